//! What every Microsoft Graph answer of the stand-in goes through, as real Graph does it
//! (src/docs/graph.md, "What real Microsoft Graph answers"): `$select` honoured, collections paged
//! with an absolute `@odata.nextLink` carrying a `$skiptoken`, `@odata.context`, and Graph's
//! headers. Also Microsoft Graph's own service principal at its real size.

use super::*;

/// Success answers' content type, as Graph sends it.
pub const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// `$select=a,b`: only those properties (and the `@odata.*` annotations) of an object.
fn select(obj: &Value, props: &[&str]) -> Value {
    match obj.as_object() {
        Some(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.starts_with("@odata.") || props.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => obj.clone(),
    }
}

/// An answer to a GET as Graph shapes it: `$select` applied, a collection cut into pages of
/// `page_size` (or `$top`, at most 999) with a next link back to the same address.
pub(super) fn shape(
    graph_port: u16,
    page_size: usize,
    path: &str,
    raw_query: &str,
    body: &str,
) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    let query: Vec<(String, String)> = url::form_urlencoded::parse(raw_query.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.clone());
    let props: Option<Vec<String>> =
        get("$select").map(|s| s.split(',').map(|p| p.trim().to_string()).collect());
    let props_ref: Option<Vec<&str>> = props
        .as_ref()
        .map(|p| p.iter().map(String::as_str).collect());
    let context = format!(
        "https://127.0.0.1:{graph_port}/v1.0/$metadata#{}",
        path.trim_start_matches("/v1.0/")
    );
    if let Some(items) = v.get("value").and_then(Value::as_array).cloned() {
        let top = get("$top")
            .and_then(|t| t.parse::<usize>().ok())
            .map_or(page_size, |t| t.clamp(1, 999));
        let skip = get("$skiptoken").and_then(|t| skip_of(&t)).unwrap_or(0);
        let page: Vec<Value> = items
            .iter()
            .skip(skip)
            .take(top)
            .map(|o| props_ref.as_ref().map_or(o.clone(), |p| select(o, p)))
            .collect();
        let mut out = json!({"@odata.context": context, "value": page});
        if skip + top < items.len() {
            // As Graph writes it: the query as asked (`$` and `,` as they are), then the token.
            let kept: Vec<&str> = raw_query
                .split('&')
                .filter(|p| {
                    !p.is_empty()
                        && !p.starts_with("$skiptoken=")
                        && !p.starts_with("%24skiptoken=")
                })
                .collect();
            let mut q = kept.join("&");
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(&format!("$skiptoken={}", token_of(skip + top)));
            out["@odata.nextLink"] = json!(format!("https://127.0.0.1:{graph_port}{path}?{q}"));
        }
        return out.to_string();
    }
    if let Some(p) = &props_ref {
        v = select(&v, p);
    }
    if let Some(m) = v.as_object_mut() {
        m.insert("@odata.context".into(), json!(format!("{context}/$entity")));
    }
    v.to_string()
}

/// An opaque-looking skip token (Graph's are opaque; this one only has to round-trip).
fn token_of(skip: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("RFNwdAoAAQ:{skip}"))
}

fn skip_of(token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("RFNwdAoAAQ:")?
        .parse()
        .ok()
}

/// Headers Graph sends with every answer: a request id, and on success the OData ones.
pub(super) fn headers(status: u16, n: u64) -> String {
    let id = format!("{n:08x}-5eed-4000-a000-{:012x}", n.wrapping_mul(7919));
    let content_type = if (200..300).contains(&status) {
        ODATA_JSON
    } else {
        "application/json"
    };
    format!(
        "Content-Type: {content_type}\r\nrequest-id: {id}\r\nclient-request-id: {id}\r\nOData-Version: 4.0\r\nx-ms-ags-diagnostic: {{\"ServerInfo\":{{\"DataCenter\":\"Stand-in\"}}}}\r\n"
    )
}

/// Words for the stand-in's permission texts: made up, of the length real ones have (Graph's
/// own service principal carries a description, display names and consent texts for each of
/// its hundreds of permissions; unselected it is well over a MiB, src/docs/graph.md).
fn text(name: &str, kind: &str, len: usize) -> String {
    let words: Vec<String> = name
        .split(['.', '-'])
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let mut out = format!(
        "Stand-in {kind} text for {name}: lets the holder use {}",
        words.join(" ")
    );
    let filler = [
        "within the limits the tenant sets",
        "as far as the directory permits",
        "for the objects this permission covers",
        "subject to the policies of the organisation",
        "on behalf of whoever holds it",
    ];
    let mut i = name.len();
    while out.len() < len {
        out.push_str(", ");
        out.push_str(filler[i % filler.len()]);
        i += 3;
    }
    out.push('.');
    out
}

/// Microsoft Graph's service principal with every permission of the bundled catalogue, in the
/// shape of the recorded real one (src/docs/graph.md, "Size": its head fields, and per entry
/// the properties of `appRoles` and `oauth2PermissionScopes`).
pub(super) fn graph_service_principal(id: &str, tsv: &str) -> Value {
    let (mut roles, mut scopes, mut rsc) = (Vec::new(), Vec::new(), Vec::new());
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (name, kind, pid) = (cols[0], cols[1], cols[2]);
        if kind == "Application" {
            roles.push(json!({"allowedMemberTypes": ["Application"],
                "description": text(name, "role", 900), "displayName": text(name, "name", 60),
                "id": pid, "isEnabled": true, "origin": "Application", "value": name}));
            if rsc.len() < 100 {
                rsc.push(json!({"description": text(name, "resource-specific", 900),
                    "displayName": text(name, "name", 60), "id": pid, "isEnabled": true,
                    "value": format!("{name}.Group")}));
            }
        } else {
            scopes.push(
                json!({"adminConsentDescription": text(name, "admin consent", 900),
                "adminConsentDisplayName": text(name, "admin name", 60), "id": pid,
                "isEnabled": true, "type": "Admin",
                "userConsentDescription": text(name, "user consent", 900),
                "userConsentDisplayName": text(name, "user name", 60), "value": name}),
            );
        }
    }
    json!({
        "id": id, "deletedDateTime": null, "accountEnabled": true, "alternativeNames": [],
        "appDisplayName": "Microsoft Graph", "appDescription": null, "appId": GRAPH_APP_ID,
        "applicationTemplateId": null, "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
        "appRoleAssignmentRequired": false, "createdDateTime": null, "description": null,
        "disabledByMicrosoftStatus": null, "displayName": "Microsoft Graph", "homepage": null,
        "loginUrl": null, "logoutUrl": null, "notes": null, "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": null, "preferredTokenSigningKeyThumbprint": null,
        "replyUrls": [], "servicePrincipalType": "Application", "signInAudience": "AzureADMultipleOrgs",
        "tags": [], "tokenEncryptionKeyId": null, "samlSingleSignOnSettings": null,
        "servicePrincipalNames": [GRAPH_APP_ID, "https://graph.microsoft.com",
            "https://graph.microsoft.us", "https://dod-graph.microsoft.us",
            "https://microsoftgraph.chinacloudapi.cn", "https://canary.graph.microsoft.com",
            "https://ags.windows.net", "https://graph.microsoft.com/"],
        "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
        "addIns": [], "appRoles": roles, "info": {"logoUrl": null, "marketingUrl": null,
            "privacyStatementUrl": null, "supportUrl": null, "termsOfServiceUrl": null},
        "keyCredentials": [], "oauth2PermissionScopes": scopes, "passwordCredentials": [],
        "resourceSpecificApplicationPermissions": rsc,
    })
}

#[test]
fn graphs_service_principal_is_over_a_mib_unselected_and_small_selected() {
    let tsv = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/graph-permissions.tsv"),
    )
    .unwrap();
    let sp = graph_service_principal("a3efc889-f1b7-4532-9e01-91e32d1039f4", &tsv);
    let full = sp.to_string();
    assert!(full.len() > 1024 * 1024, "{} bytes", full.len());
    let body = shape(
        1,
        2,
        "/v1.0/servicePrincipals(appId='x')",
        "$select=id,appId",
        &full,
    );
    assert!(body.len() < 300, "{body}");
}

#[test]
fn collections_are_paged_with_a_next_link_on_the_same_address() {
    let body = json!({"value": [{"id": "1", "x": 1}, {"id": "2"}, {"id": "3"}]}).to_string();
    let first = shape(443, 2, "/v1.0/applications", "$select=id", &body);
    let v: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["value"], json!([{"id": "1"}, {"id": "2"}]));
    let next = url::Url::parse(v["@odata.nextLink"].as_str().unwrap()).unwrap();
    assert_eq!(next.path(), "/v1.0/applications");
    let second = shape(443, 2, next.path(), next.query().unwrap(), &body);
    let v: Value = serde_json::from_str(&second).unwrap();
    assert_eq!(v["value"], json!([{"id": "3"}]));
    assert!(v.get("@odata.nextLink").is_none());
}
