//! The Graph side of the stand-in: OData filters, and the calls on applications, service
//! principals, grants and role assignments, as Microsoft documents them.

use super::*;

// ------------------------------------------------------------------------------------------
// OData $filter: the few forms Graph clients send, with OData's string literal rules.

#[derive(Debug)]
enum Cond {
    Eq(String, String),
    StartsWith(String, String),
    AnyEq(String, String),
}

/// `'...'` with `''` for a quote inside; returns the literal and the rest.
fn literal(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('\'')?.char_indices().peekable();
    let inner = &s[1..];
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|(_, c)| *c) == Some('\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some((out, &inner[i + 1..]));
            }
        } else {
            out.push(c);
        }
    }
    None
}

fn parse_filter(f: &str) -> Option<Vec<Cond>> {
    let mut conds = Vec::new();
    let mut rest = f.trim();
    loop {
        if let Some(r) = rest.strip_prefix("startswith(") {
            let (prop, r) = r.split_once(",")?;
            let (lit, r) = literal(r.trim_start())?;
            rest = r.trim_start().strip_prefix(')')?;
            conds.push(Cond::StartsWith(prop.trim().into(), lit));
        } else {
            let (lhs, r) = rest.split_once(' ')?;
            let r = r.strip_prefix("eq ")?;
            let (lit, r) = literal(r)?;
            rest = r;
            conds.push(Cond::Eq(lhs.into(), lit));
        }
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(conds);
        }
        rest = rest.strip_prefix("and ")?.trim_start();
    }
}

/// `coll/any(c:c eq '...')`, which has no space before its `eq`.
fn parse_any(f: &str) -> Option<Cond> {
    let (coll, r) = f.trim().split_once("/any(")?;
    let (var, r) = r.split_once(':')?;
    let r = r.strip_prefix(var)?.strip_prefix(" eq ")?;
    let (lit, r) = literal(r)?;
    (r.trim() == ")").then(|| Cond::AnyEq(coll.into(), lit))
}

fn matches(obj: &Value, conds: &[Cond]) -> bool {
    conds.iter().all(|c| match c {
        Cond::Eq(p, v) => obj[p].as_str() == Some(v.as_str()),
        Cond::StartsWith(p, v) => obj[p].as_str().is_some_and(|s| s.starts_with(v.as_str())),
        Cond::AnyEq(p, v) => obj[p]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(v.as_str()))),
    })
}

fn filter_of(query: &HashMap<String, String>) -> Result<Option<Vec<Cond>>, (u16, String)> {
    let Some(f) = query.get("$filter") else {
        return Ok(None);
    };
    let bad = || {
        graph_error(
            400,
            "Request_BadRequest",
            "Invalid filter clause: syntax error.",
        )
    };
    if f.contains("/any(") {
        return parse_any(f).map(|c| Some(vec![c])).ok_or_else(bad);
    }
    parse_filter(f).map(Some).ok_or_else(bad)
}

fn list(items: Vec<Value>) -> (u16, String) {
    (200, json!({"value": items}).to_string())
}

/// `/applications(appId='...')` and friends: the key inside.
fn alt_key(seg: &str, prefix: &str) -> Option<String> {
    let inner = seg.strip_prefix(prefix)?.strip_prefix("(appId=")?;
    let inner = inner.strip_suffix(')')?;
    literal(inner).filter(|(_, r)| r.is_empty()).map(|(l, _)| l)
}

fn not_found(what: &str) -> (u16, String) {
    graph_error(
        404,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{what}' does not exist or one of its queried reference-property objects are not present."
        ),
    )
}

fn denied() -> (u16, String) {
    graph_error(
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

/// May the caller change this application: an app identity (Application.ReadWrite.All), an
/// administrator of applications, or one of its owners.
fn may_change(opts: &Options, st: &State, caller: &Caller, app_obj: &str) -> bool {
    match caller {
        Caller::App => true,
        Caller::User(u) => {
            opts.role.is_app_admin()
                || st
                    .owners
                    .get(app_obj)
                    .is_some_and(|o| o.iter().any(|x| x["id"] == u["id"]))
        }
    }
}

/// The answer of `addPassword` under the tenant's app management policy, if it refuses.
/// The id of the stand-in's app management policy.
const POLICY: &str = "2b9d8e2c-5a4f-4c1e-9d3a-7f6e5d4c3b2a";

/// The password restrictions of the stand-in's policy, as Graph lists them.
fn restrictions(opts: &Options) -> Value {
    let mut r = Vec::new();
    if opts.block_passwords {
        r.push(
            json!({"restrictionType": "passwordAddition", "state": "enabled",
            "maxLifetime": null, "restrictForAppsCreatedAfterDateTime": "2019-10-19T10:37:00Z",
            "excludeActors": null}),
        );
    }
    if let Some(days) = opts.max_secret_days {
        r.push(
            json!({"restrictionType": "passwordLifetime", "state": "enabled",
            "maxLifetime": format!("P{days}D"),
            "restrictForAppsCreatedAfterDateTime": "2014-10-19T10:37:00Z", "excludeActors": null}),
        );
    }
    json!(r)
}

fn policy_refusal(opts: &Options, end: Option<&str>) -> Option<(u16, String)> {
    if opts.block_passwords {
        return Some(graph_error(
            400,
            "CredentialTypeNotAllowedAsPerAppPolicy",
            &format!("Password credentials are not allowed as per assigned policy '{POLICY}'."),
        ));
    }
    let max = opts.max_secret_days?;
    let now = time::OffsetDateTime::now_utc();
    let end = end
        .and_then(|e| {
            time::OffsetDateTime::parse(e, &time::format_description::well_known::Rfc3339).ok()
        })
        .unwrap_or(now + time::Duration::days(730));
    (end - now > time::Duration::days(max)).then(|| {
        graph_error(
            400,
            "CredentialInvalidLifetimeAsPerAppPolicy",
            &format!(
                "Credential lifetime exceeds the max value allowed as per assigned policy '{POLICY}'."
            ),
        )
    })
}

#[allow(clippy::too_many_arguments)]
#[allow(
    clippy::too_many_lines,
    reason = "the stand-in's routes, one arm per Graph endpoint: a route table"
)]
pub(super) fn graph(
    opts: &Options,
    st: &mut State,
    caller: &Caller,
    create_if_missing: bool,
    method: &str,
    path: &str,
    query: &HashMap<String, String>,
    body: Value,
) -> (u16, String) {
    if method == "GET" && path == "/beta/reports/appCredentialSignInActivities" {
        return credential_report(opts, st, query);
    }
    let Some(rest) = path.strip_prefix("/v1.0/") else {
        return graph_error(400, "BadRequest", "Invalid version.");
    };
    let segs: Vec<&str> = rest.split('/').collect();
    match (method, segs.as_slice()) {
        ("GET", ["organization"]) => list(vec![json!({"id": opts.tenant,
            "displayName": "Contoso (stand-in)"})]),
        ("GET", ["policies", ..])
            if opts.policy_unreadable && matches!(caller, Caller::User(_)) =>
        {
            denied()
        }
        ("GET", ["policies", "defaultAppManagementPolicy"]) => {
            let pw = if opts.app_policy {
                json!([])
            } else {
                restrictions(opts)
            };
            (
                200,
                json!({"id": "00000000-0000-0000-0000-000000000000",
                    "displayName": "Default app management tenant policy",
                    "description": "Default tenant policy that enforces app management restrictions.",
                    "isEnabled": true,
                    "applicationRestrictions": {"passwordCredentials": pw, "keyCredentials": []},
                    "servicePrincipalRestrictions": {"passwordCredentials": [], "keyCredentials": []}})
                .to_string(),
            )
        }
        ("GET", ["policies", "appManagementPolicies", id]) if *id == POLICY => (
            200,
            json!({"id": POLICY, "displayName": "Credential management policy",
                "description": "Stand-in policy", "isEnabled": true,
                "restrictions": {"passwordCredentials": restrictions(opts), "keyCredentials": []}})
            .to_string(),
        ),
        ("GET", ["applications"]) => {
            let conds = match filter_of(query) {
                Ok(c) => c,
                Err(e) => return e,
            };
            let mut out = Vec::new();
            for i in 0..st.applications.len() {
                let app = st.applications[i].clone();
                if conds.as_ref().is_none_or(|c| matches(&app, c)) && !st.read_miss(&app) {
                    out.push(app);
                }
            }
            list(out)
        }
        ("POST", ["applications"]) => match create_app(opts, st, caller, &body, None) {
            Ok(app) => (201, app.to_string()),
            Err(e) => e,
        },
        // Upsert by the alternate key `uniqueName` (Microsoft's "Upsert application": PATCH with
        // `Prefer: create-if-missing` creates (201, the object) or updates (204); without the
        // header a missing key is 404), and a read by that key.
        (m, [seg]) if seg.starts_with("applications(uniqueName=") => {
            let Some(key) = seg
                .strip_prefix("applications(uniqueName=")
                .and_then(|k| k.strip_suffix(')'))
                .and_then(literal)
                .filter(|(_, r)| r.is_empty())
                .map(|(l, _)| l)
            else {
                return graph_error(400, "BadRequest", "Invalid alternate key.");
            };
            let found = st
                .applications
                .iter()
                .position(|a| a["uniqueName"].as_str() == Some(key.as_str()));
            match (m, found) {
                ("PATCH", Some(i)) => {
                    let obj = st.applications[i]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    if !may_change(opts, st, caller, &obj) {
                        return denied();
                    }
                    patch_app(st, i, &body)
                }
                ("PATCH", None) if create_if_missing => {
                    match create_app(opts, st, caller, &body, Some(&key)) {
                        Ok(app) => (201, app.to_string()),
                        Err(e) => e,
                    }
                }
                ("GET", Some(i)) => {
                    let app = st.applications[i].clone();
                    if st.read_miss(&app) {
                        return not_found(&key);
                    }
                    (200, app.to_string())
                }
                (_, None) => not_found(&key),
                _ => graph_error(405, "Request_BadRequest", "Unsupported on applications."),
            }
        }
        (m, [seg, tail @ ..]) if seg.starts_with("applications") => {
            let idx = if let Some(app_id) = alt_key(seg, "applications") {
                match st.app_index(&app_id, true) {
                    // Hostile: the first application that is not the one asked for.
                    Some(_) if opts.wrong_app_by_app_id => st
                        .applications
                        .iter()
                        .position(|a| a["appId"].as_str() != Some(app_id.as_str())),
                    found => found,
                }
            } else if *seg == "applications" {
                match tail.first() {
                    Some(id) => st.app_index(id, false),
                    None => None,
                }
            } else {
                return graph_error(400, "BadRequest", "Unsupported segment.");
            };
            let tail = if *seg == "applications" {
                &tail[1.min(tail.len())..]
            } else {
                tail
            };
            let Some(i) = idx else {
                return not_found(tail.first().copied().unwrap_or(seg));
            };
            let app = st.applications[i].clone();
            if st.read_miss(&app) {
                return not_found(app["id"].as_str().unwrap_or_default());
            }
            let obj = app["id"].as_str().unwrap_or_default().to_string();
            if m != "GET" && !may_change(opts, st, caller, &obj) {
                return denied();
            }
            match (m, tail) {
                ("GET", []) => (200, app.to_string()),
                ("GET", ["owners"]) => list(st.owners.get(&obj).cloned().unwrap_or_default()),
                // `POST /applications/{id}/owners/$ref {"@odata.id": ".../directoryObjects/{id}"}`
                ("POST", ["owners", "$ref"]) => {
                    let Some(who) = body["@odata.id"]
                        .as_str()
                        .and_then(|r| r.rsplit_once("/directoryObjects/"))
                        .map(|(_, id)| id.to_string())
                    else {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "Invalid object identifier.",
                        );
                    };
                    let user = st
                        .users
                        .iter()
                        .find(|(_, id)| **id == who)
                        .map(|(upn, _)| upn.clone());
                    let Some(upn) = user else {
                        return not_found(&who);
                    };
                    let u = st.user(&upn);
                    let owners = st.owners.entry(obj).or_default();
                    if owners.iter().any(|o| o["id"] == u["id"]) {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "One or more added object references already exist for the following modified properties: 'owners'.",
                        );
                    }
                    owners.push(u);
                    (204, String::new())
                }
                ("PATCH", []) => patch_app(st, i, &body),
                // Deleted: gone from reads at once here (in Entra ID it moves to the deleted
                // items for 30 days), its service principal with it.
                ("DELETE", []) => {
                    let app_id = app["appId"].clone();
                    st.applications.remove(i);
                    st.service_principals.retain(|sp| sp["appId"] != app_id);
                    (204, String::new())
                }
                ("POST", ["addPassword"]) => {
                    let pc = &body["passwordCredential"];
                    if let Some(refusal) = policy_refusal(opts, pc["endDateTime"].as_str()) {
                        return refusal;
                    }
                    let key_id = st.new_id();
                    let n = st.next_id;
                    let secret = format!(
                        "s{:02}8Q~{:0>34}",
                        n % 100,
                        format!("StandInSecret{n}x").repeat(3)
                    )
                    .chars()
                    .take(40)
                    .collect::<String>();
                    let end = pc["endDateTime"]
                        .as_str()
                        .unwrap_or("2028-11-27T10:00:00Z")
                        .to_string();
                    let cred = json!({"customKeyIdentifier": null,
                        "displayName": pc["displayName"].clone(), "endDateTime": end,
                        "hint": &secret[..3], "keyId": key_id,
                        "startDateTime": pc["startDateTime"].as_str().unwrap_or("2026-11-27T10:00:00Z")});
                    st.applications[i]["passwordCredentials"]
                        .as_array_mut()
                        .unwrap()
                        .push(cred.clone());
                    let app_id = app["appId"].as_str().unwrap_or_default().to_string();
                    st.secrets.entry(app_id).or_default().push(secret.clone());
                    st.secret_keys.insert(secret.clone(), key_id.clone());
                    st.secret_misses.insert(secret.clone(), opts.secret_misses);
                    st.secret_ends.insert(secret.clone(), end.clone());
                    let mut answer = cred;
                    answer["secretText"] = json!(opts.bad_secret_text.unwrap_or(&secret));
                    (200, answer.to_string())
                }
                ("POST", ["removePassword"]) => {
                    let key = body["keyId"].as_str().unwrap_or_default();
                    let creds = st.applications[i]["passwordCredentials"]
                        .as_array_mut()
                        .unwrap();
                    let before = creds.len();
                    creds.retain(|c| c["keyId"].as_str() != Some(key));
                    if creds.len() == before {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "No password credential with this keyId.",
                        );
                    }
                    // The removed secret signs in no more.
                    let gone: Vec<String> = st
                        .secret_keys
                        .iter()
                        .filter(|(_, k)| k.as_str() == key)
                        .map(|(s, _)| s.clone())
                        .collect();
                    for list in st.secrets.values_mut() {
                        list.retain(|s| !gone.contains(s));
                    }
                    (204, String::new())
                }
                _ => graph_error(405, "Request_BadRequest", "Unsupported on applications."),
            }
        }
        ("GET", ["servicePrincipals"]) => {
            let conds = match filter_of(query) {
                Ok(c) => c,
                Err(e) => return e,
            };
            let mut out = Vec::new();
            for i in 0..st.service_principals.len() {
                let sp = st.service_principals[i].clone();
                if conds.as_ref().is_none_or(|c| matches(&sp, c))
                    && !st.sp_miss(&sp, |l| &mut l.lists)
                {
                    out.push(sp);
                }
            }
            list(out)
        }
        ("POST", ["servicePrincipals"]) => {
            let app_id = body["appId"].as_str().unwrap_or_default().to_string();
            let app = st
                .app_index(&app_id, true)
                .map(|i| st.applications[i].clone());
            let missing = match st.sp_misses.get_mut(&app_id) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            };
            let Some(app) = app.filter(|_| !missing) else {
                return graph_error(
                    400,
                    "NoBackingApplicationObject",
                    &format!(
                        "The appId '{app_id}' of the service principal does not reference a valid application object."
                    ),
                );
            };
            if st
                .service_principals
                .iter()
                .any(|s| s["appId"] == app["appId"])
            {
                return graph_error(
                    409,
                    "Request_MultipleObjectsWithSameKeyValue",
                    "The service principal for this application already exists.",
                );
            }
            let sp = json!({"id": st.new_id(), "appId": app_id,
                "displayName": app["displayName"].clone(),
                "servicePrincipalNames": [app_id], "accountEnabled": true});
            st.service_principals.push(sp.clone());
            let n = opts.sp_read_misses;
            st.sp_lag.insert(
                sp["id"].as_str().unwrap_or_default().to_string(),
                SpLag {
                    reads: n,
                    lists: n,
                    role_reads: n,
                    grants: opts.ref_misses,
                    roles: opts.ref_misses,
                },
            );
            (201, sp.to_string())
        }
        (m, [seg, tail @ ..]) if seg.starts_with("servicePrincipals") => {
            let idx = if let Some(app_id) = alt_key(seg, "servicePrincipals") {
                st.service_principals
                    .iter()
                    .position(|s| s["appId"].as_str() == Some(app_id.as_str()))
            } else {
                tail.first().and_then(|id| {
                    st.service_principals
                        .iter()
                        .position(|s| s["id"].as_str() == Some(*id))
                })
            };
            let tail = if *seg == "servicePrincipals" {
                &tail[1.min(tail.len())..]
            } else {
                tail
            };
            let Some(i) = idx else {
                return not_found(tail.first().copied().unwrap_or(seg));
            };
            let sp = st.service_principals[i].clone();
            let sp_id = sp["id"].as_str().unwrap_or_default().to_string();
            match (m, tail) {
                ("GET", []) if st.sp_miss(&sp, |l| &mut l.reads) => not_found(&sp_id),
                ("GET", []) => (200, sp.to_string()),
                ("GET", ["appRoleAssignments"]) if st.sp_miss(&sp, |l| &mut l.role_reads) => {
                    not_found(&sp_id)
                }
                ("GET", ["appRoleAssignments"]) => list(
                    st.role_assignments
                        .iter()
                        .filter(|a| a["principalId"].as_str() == Some(&sp_id))
                        .cloned()
                        .collect(),
                ),
                ("GET", ["appRoleAssignedTo"]) => list(
                    st.role_assignments
                        .iter()
                        .filter(|a| a["resourceId"].as_str() == Some(&sp_id))
                        .cloned()
                        .collect(),
                ),
                ("POST", ["appRoleAssignedTo"]) => {
                    let role_ok = match caller {
                        Caller::App => true,
                        Caller::User(_) => opts.role.grants_application(),
                    };
                    if opts.deny_consent || !role_ok {
                        return denied();
                    }
                    let role = body["appRoleId"].as_str().unwrap_or_default();
                    let principal = body["principalId"].as_str().unwrap_or_default();
                    if body["resourceId"].as_str() != Some(&sp_id) {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "resourceId must be the service principal in the path.",
                        );
                    }
                    if !sp["appRoles"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|x| x["id"].as_str() == Some(role)))
                    {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "Permission being assigned was not found on application.",
                        );
                    }
                    let Some(p) = st
                        .service_principals
                        .iter()
                        .find(|s| s["id"].as_str() == Some(principal))
                        .cloned()
                    else {
                        return not_found(principal);
                    };
                    if st.sp_miss(&p, |l| &mut l.roles) {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "Not a valid reference update.",
                        );
                    }
                    if st.role_assignments.iter().any(|a| {
                        a["principalId"].as_str() == Some(principal)
                            && a["appRoleId"].as_str() == Some(role)
                    }) {
                        return graph_error(
                            400,
                            "Request_BadRequest",
                            "Permission being assigned already exists on the object.",
                        );
                    }
                    let a = json!({"id": st.new_id(), "appRoleId": role, "principalId": principal,
                        "resourceId": sp_id, "principalType": "ServicePrincipal",
                        "resourceDisplayName": sp["displayName"].clone()});
                    st.role_assignments.push(a.clone());
                    (201, a.to_string())
                }
                _ => graph_error(
                    405,
                    "Request_BadRequest",
                    "Unsupported on servicePrincipals.",
                ),
            }
        }
        ("GET", ["oauth2PermissionGrants"]) => {
            let conds = match filter_of(query) {
                Ok(c) => c,
                Err(e) => return e,
            };
            list(
                st.grants
                    .iter()
                    .filter(|g| conds.as_ref().is_none_or(|c| matches(g, c)))
                    .cloned()
                    .collect(),
            )
        }
        ("POST", ["oauth2PermissionGrants"]) => {
            let role_ok = match caller {
                Caller::App => true,
                Caller::User(_) => opts.role.grants_delegated(),
            };
            if opts.deny_consent || !role_ok {
                return denied();
            }
            let client = body["clientId"].as_str().unwrap_or_default();
            let resource = body["resourceId"].as_str().unwrap_or_default();
            if let Some(sp) = st
                .service_principals
                .iter()
                .find(|s| s["id"].as_str() == Some(client))
                .cloned()
                && st.sp_miss(&sp, |l| &mut l.grants)
            {
                return graph_error(
                    400,
                    "Request_BadRequest",
                    "Invalid value specified for property 'clientId' of resource 'OAuth2PermissionGrant'.",
                );
            }
            for id in [client, resource] {
                if !st
                    .service_principals
                    .iter()
                    .any(|s| s["id"].as_str() == Some(id))
                {
                    return not_found(id);
                }
            }
            if st.grants.iter().any(|g| {
                g["clientId"].as_str() == Some(client)
                    && g["resourceId"].as_str() == Some(resource)
                    && g["consentType"] == body["consentType"]
            }) {
                return graph_error(
                    409,
                    "Request_MultipleObjectsWithSameKeyValue",
                    "Permission entry already exists.",
                );
            }
            let mut g = body.clone();
            g["id"] = json!(st.new_id());
            st.grants.push(g.clone());
            (201, g.to_string())
        }
        ("PATCH", ["oauth2PermissionGrants", id]) => {
            let Some(g) = st.grants.iter_mut().find(|g| g["id"].as_str() == Some(*id)) else {
                return not_found(id);
            };
            if let Some(scope) = body.get("scope") {
                g["scope"] = scope.clone();
            }
            (204, String::new())
        }
        _ => graph_error(
            400,
            "BadRequest",
            &format!("Resource not found for the segment '{}'.", segs[0]),
        ),
    }
}

/// Graph's rule: one URI may not be on two platforms.
fn check_uris(app: &Value) -> Result<(), (u16, String)> {
    let web = app["web"]["redirectUris"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let spa = app["spa"]["redirectUris"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if web.iter().any(|u| spa.contains(u)) {
        return Err(graph_error(
            400,
            "Request_BadRequest",
            "Redirect URIs must have distinct values.",
        ));
    }
    Ok(())
}

/// A new application (`POST /applications`, or an upsert that found none).
fn create_app(
    opts: &Options,
    st: &mut State,
    caller: &Caller,
    body: &Value,
    unique_name: Option<&str>,
) -> Result<Value, (u16, String)> {
    if opts.deny_create {
        return Err(denied());
    }
    let Some(name) = body["displayName"].as_str().filter(|n| !n.is_empty()) else {
        return Err(graph_error(
            400,
            "Request_BadRequest",
            "A value is required for property 'displayName' of resource 'Application'.",
        ));
    };
    check_uris(body)?;
    let (id, app_id) = (st.new_id(), st.new_id());
    let mut app = json!({
        "id": id, "appId": app_id, "displayName": name,
        "signInAudience": body.get("signInAudience").cloned()
            .unwrap_or(json!("AzureADandPersonalMicrosoftAccount")),
        "web": {"redirectUris": body["web"]["redirectUris"].as_array().cloned().unwrap_or_default()},
        "spa": {"redirectUris": body["spa"]["redirectUris"].as_array().cloned().unwrap_or_default()},
        "requiredResourceAccess": body.get("requiredResourceAccess").cloned().unwrap_or(json!([])),
        "passwordCredentials": [], "keyCredentials": [],
        "createdDateTime": "2026-11-27T10:00:00Z",
    });
    if let Some(u) = unique_name {
        app["uniqueName"] = json!(u);
    }
    st.read_misses.insert(app_id.clone(), opts.read_misses);
    st.sp_misses.insert(app_id, opts.sp_misses);
    st.applications.push(app.clone());
    // `applications/createAsOwner` makes the creator the first owner; `applications/create`
    // (administrators) does not (src/docs/graph.md, "Who becomes owner").
    if let Caller::User(u) = caller
        && opts.role.creates_as_owner()
    {
        st.owners.insert(id, vec![u.clone()]);
    }
    // The create answer has 7 fractional digits; later reads none.
    app["createdDateTime"] = json!("2026-11-27T10:00:00.1234567Z");
    Ok(app)
}

/// `PATCH` of an application: read-only properties refused, redirect URIs checked.
fn patch_app(st: &mut State, i: usize, body: &Value) -> (u16, String) {
    let Some(obj) = body.as_object() else {
        return graph_error(400, "BadRequest", "Empty payload.");
    };
    let mut merged = st.applications[i].clone();
    for (k, v) in obj {
        if matches!(k.as_str(), "id" | "appId" | "passwordCredentials") {
            return graph_error(
                400,
                "Request_BadRequest",
                &format!("Property '{k}' is read-only."),
            );
        }
        merged[k] = v.clone();
    }
    if let Err(e) = check_uris(&merged) {
        return e;
    }
    st.applications[i] = merged;
    (204, String::new())
}

/// Beta `/reports/appCredentialSignInActivities`: one entry per credential of the app that
/// signed in, with its last sign-in; refused as in a tenant without Entra ID P1/P2.
fn credential_report(opts: &Options, st: &State, query: &HashMap<String, String>) -> (u16, String) {
    if !opts.credential_report {
        return graph_error(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
        );
    }
    let conds = match filter_of(query) {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return e,
    };
    let mut out = Vec::new();
    for app in &st.applications {
        let app_id = app["appId"].as_str().unwrap_or_default();
        for c in app["passwordCredentials"].as_array().into_iter().flatten() {
            let key = c["keyId"].as_str().unwrap_or_default();
            let Some(at) = st.key_use.get(key) else {
                continue;
            };
            let entry = json!({"id": format!("{app_id}_{key}"), "keyId": key, "keyType": "clientSecret",
                "keyUsage": "sign", "appId": app_id, "appObjectId": app["id"].clone(),
                "credentialOrigin": "application",
                "expirationDateTime": c["endDateTime"].clone(),
                "signInActivity": {"lastSignInDateTime": at, "lastSignInRequestId": "req-1"}});
            if matches(&entry, &conds) {
                out.push(entry);
            }
        }
    }
    list(out)
}
