//! Reading the tenant before a plan, with GETs only (DOMAIN.md, "Reading a registration
//! back"): who is signed in and where, the app the record names (in the order
//! `plan::lookups` gives), its service principal, the consent it holds. Nothing is written.
//! Every id Graph hands out is checked before it goes into a path, the progress file or onto
//! the screen.

use serde_json::Value;

use super::{BadAnswer, Run, Stop};
use crate::core::permissions::Kind;
use crate::core::plan::{
    Access, AppState, Cred, Found, GRAPH_APP_ID, Lookup, Recorded, Seg, Tenant, Who,
};
use crate::remote::entra::server_text;
use crate::remote::graph::{Graph, GraphError, filter_eq};
use crate::tr;

/// A read; a "not found" is `None`, waited out first when `wait` (an object azreg made may
/// not be replicated yet), throttling always waited out.
pub async fn get(
    graph: &Graph,
    run: &mut Run<'_>,
    path: &[Seg],
    query: Option<&str>,
    wait: bool,
) -> Result<Option<Value>, Stop> {
    let mut waiting = run.backoff.start();
    loop {
        let e = match graph.get(path, query).await {
            Ok(v) => return Ok(Some(v)),
            Err(e) if e.is_not_found() && !wait => return Ok(None),
            Err(e) if e.is_throttled() || e.is_not_found() => e,
            Err(e) => return Err(Stop::Read(e)),
        };
        match waiting.next(e.retry_after()) {
            Some(d) => {
                super::say_wait(run, &waiting, d, &e);
                tokio::time::sleep(d).await;
            }
            None if e.is_not_found() => return Ok(None),
            None => return Err(Stop::Read(e)),
        }
    }
}

/// An id Graph handed out: a GUID, lower case; anything else stops the run.
pub fn guid(v: &Value) -> Result<String, Stop> {
    let s = v.as_str().unwrap_or_default();
    if crate::core::fields::is_guid(s) {
        return Ok(s.to_ascii_lowercase());
    }
    Err(Stop::BadAnswer(BadAnswer::Id(server_text(s))))
}

/// A grant's id: Graph's base64url key.
pub fn grant_id(v: &Value) -> Result<String, Stop> {
    let s = v.as_str().unwrap_or_default();
    if (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(s.to_string());
    }
    guid(v)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .take(256)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// An application as a plan needs it.
pub fn app_state(v: &Value) -> Result<AppState, Stop> {
    let mut graph_access = Vec::new();
    let mut other_access = Vec::new();
    for r in v["requiredResourceAccess"].as_array().into_iter().flatten() {
        if r["resourceAppId"].as_str() == Some(GRAPH_APP_ID) {
            for a in r["resourceAccess"].as_array().into_iter().flatten() {
                let kind = match a["type"].as_str() {
                    Some("Role") => Kind::Application,
                    _ => Kind::Delegated,
                };
                graph_access.push(Access {
                    id: text(&a["id"]).to_ascii_lowercase(),
                    kind,
                });
            }
        } else {
            other_access.push(r.clone());
        }
    }
    let creds = v["passwordCredentials"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| crate::core::fields::is_guid(c["keyId"].as_str().unwrap_or_default()))
        .map(|c| Cred {
            key_id: text(&c["keyId"]).to_ascii_lowercase(),
            display_name: text(&c["displayName"]),
            hint: text(&c["hint"]),
            start: text(&c["startDateTime"]),
            end: text(&c["endDateTime"]),
        })
        .collect();
    Ok(AppState {
        id: guid(&v["id"])?,
        app_id: guid(&v["appId"])?,
        display_name: text(&v["displayName"]),
        audience: text(&v["signInAudience"]),
        web: strings(&v["web"]["redirectUris"]),
        spa: strings(&v["spa"]["redirectUris"]),
        public_client: strings(&v["publicClient"]["redirectUris"]),
        graph_access,
        other_access,
        creds,
        created: v["createdDateTime"].as_str().map(str::to_string),
        unique_name: v["uniqueName"].as_str().map(str::to_string),
        owners: Vec::new(),
    })
}

/// Who is signed in and where: the tenant from `/organization`, the user from `/me`; an app
/// identity (no `/me`) by its client ID from the token.
pub async fn who(graph: &Graph, run: &mut Run<'_>) -> Result<Who, Stop> {
    let lang = run.lang;
    let org = get(graph, run, &[Seg::Name("organization")], None, false)
        .await?
        .unwrap_or_default();
    let tenant_id = guid(&org["value"][0]["id"])?;
    let tenant_name = org["value"][0]["displayName"]
        .as_str()
        .map(crate::remote::verify::server_text);
    let me = match graph
        .get(&[Seg::Name("me")], Some("$select=userPrincipalName"))
        .await
    {
        Ok(v) => v["userPrincipalName"]
            .as_str()
            .map(crate::remote::verify::server_text),
        Err(GraphError::Unreachable(why)) => return Err(Stop::Unreachable(why)),
        Err(_) => None,
    };
    let account = me.or_else(|| {
        graph.token_app().map(|app| {
            tr!(
                lang,
                "the app {app} (a service principal)",
                "die App {app} (ein Dienstprinzipal)",
                app = app
            )
        })
    });
    Ok(Who {
        account,
        tenant_id,
        tenant_name,
    })
}

/// Apps of this display name, with their owners (a refusal names them).
async fn same_name(graph: &Graph, run: &mut Run<'_>, name: &str) -> Result<Vec<AppState>, Stop> {
    let query = format!("$filter={}", filter_eq("displayName", name));
    let list = get(
        graph,
        run,
        &[Seg::Name("applications")],
        Some(&query),
        false,
    )
    .await?
    .unwrap_or_default();
    let mut out = Vec::new();
    for v in list["value"].as_array().into_iter().flatten().take(20) {
        let mut a = app_state(v)?;
        a.owners = owners(graph, run, &a.id).await?;
        out.push(a);
    }
    Ok(out)
}

/// An app's owners by name (UPN, else display name, else client ID), cleaned, at most 20.
pub async fn owners(
    graph: &Graph,
    run: &mut Run<'_>,
    object_id: &str,
) -> Result<Vec<String>, Stop> {
    let owners = get(
        graph,
        run,
        &[
            Seg::Name("applications"),
            Seg::Id(object_id.to_string()),
            Seg::Name("owners"),
        ],
        None,
        false,
    )
    .await?
    .unwrap_or_default();
    Ok(owners["value"]
        .as_array()
        .into_iter()
        .flatten()
        .take(20)
        .filter_map(|o| {
            o["userPrincipalName"]
                .as_str()
                .or(o["displayName"].as_str())
                .or(o["appId"].as_str())
        })
        .map(crate::remote::verify::server_text)
        .collect())
}

/// The app the record means, by the first lookup that finds one.
async fn find_app(
    graph: &Graph,
    run: &mut Run<'_>,
    r: &Recorded,
    lookups: &[Lookup],
) -> Result<Found, Stop> {
    for lookup in lookups {
        let wait = lookup.waits(r);
        let (path, want) = match lookup {
            Lookup::ObjectId(id) => (vec![Seg::Name("applications"), Seg::Id(id.clone())], None),
            Lookup::ClientId(id) | Lookup::Adopt(id) => (
                vec![Seg::Key {
                    set: "applications",
                    property: "appId",
                    value: id.clone(),
                }],
                Some(id),
            ),
            Lookup::UniqueName(k) => (
                vec![Seg::Key {
                    set: "applications",
                    property: "uniqueName",
                    value: k.clone(),
                }],
                None,
            ),
            Lookup::SameName(name) => {
                return Ok(Found::Fresh {
                    same_name: same_name(graph, run, name).await?,
                });
            }
        };
        if let Some(v) = get(graph, run, &path, None, wait).await? {
            let a = app_state(&v)?;
            // An app read by its client ID must be that app.
            if let Some(want) = want
                && !a.app_id.eq_ignore_ascii_case(want)
            {
                return Err(Stop::BadAnswer(BadAnswer::OtherApp {
                    want: want.to_string(),
                    got: a.app_id,
                }));
            }
            return Ok(Found::App(Box::new(a)));
        }
    }
    Ok(crate::core::plan::not_found(lookups))
}

/// The tenant as a plan needs it. `consent`: read Graph's service principal and what consent
/// the app holds.
pub async fn tenant(
    graph: &Graph,
    run: &mut Run<'_>,
    who: Who,
    r: &Recorded,
    lookups: &[Lookup],
    consent: bool,
) -> Result<Tenant, Stop> {
    let app = find_app(graph, run, r, lookups).await?;
    let mut t = Tenant {
        who,
        app,
        sp: None,
        graph_sp: None,
        grant: None,
        roles: Vec::new(),
    };
    if let Found::App(a) = &t.app {
        let by_id = r
            .sp_object_id
            .as_ref()
            .map(|id| vec![Seg::Name("servicePrincipals"), Seg::Id(id.clone())]);
        let by_app = vec![Seg::Key {
            set: "servicePrincipals",
            property: "appId",
            value: a.app_id.clone(),
        }];
        let mut sp = None;
        if let Some(path) = by_id {
            sp = get(graph, run, &path, None, true).await?;
        }
        if sp.is_none() {
            sp = get(graph, run, &by_app, None, false).await?;
        }
        if let Some(sp) = sp {
            if !sp["appId"]
                .as_str()
                .is_some_and(|x| x.eq_ignore_ascii_case(&a.app_id))
            {
                return Err(Stop::BadAnswer(BadAnswer::OtherSp));
            }
            t.sp = Some((
                guid(&sp["id"])?,
                sp["accountEnabled"].as_bool().unwrap_or(true),
            ));
        }
    }
    if consent || matches!(t.app, Found::App(_)) {
        let g = get(
            graph,
            run,
            &[Seg::Key {
                set: "servicePrincipals",
                property: "appId",
                value: GRAPH_APP_ID.into(),
            }],
            None,
            false,
        )
        .await?;
        t.graph_sp = g.map(|g| guid(&g["id"])).transpose()?;
    }
    if let (Some((sp, _)), Some(graph_sp)) = (t.sp.clone(), t.graph_sp.clone()) {
        let query = format!("$filter={}", filter_eq("clientId", &sp));
        let grants = get(
            graph,
            run,
            &[Seg::Name("oauth2PermissionGrants")],
            Some(&query),
            false,
        )
        .await?
        .unwrap_or_default();
        if let Some(g) = grants["value"].as_array().into_iter().flatten().find(|g| {
            g["resourceId"].as_str() == Some(graph_sp.as_str())
                && g["consentType"] == "AllPrincipals"
        }) {
            let scopes = g["scope"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            t.grant = Some((grant_id(&g["id"])?, scopes));
        }
        let roles = get(
            graph,
            run,
            &[
                Seg::Name("servicePrincipals"),
                Seg::Id(sp),
                Seg::Name("appRoleAssignments"),
            ],
            None,
            true,
        )
        .await?
        .unwrap_or_default();
        t.roles = roles["value"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["resourceId"].as_str() == Some(graph_sp.as_str()))
            .filter_map(|a| a["appRoleId"].as_str())
            .map(str::to_ascii_lowercase)
            .collect();
    }
    Ok(t)
}
