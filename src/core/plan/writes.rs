//! The requests an operation sends to Microsoft Graph v1.0 (src/docs/graph.md, "Microsoft Graph v1.0
//! calls"): the one place they are spelt out. Paths are segments, never joined strings: an id
//! is one segment whatever it holds, so it cannot reach another path.

use serde_json::{Value, json};

use super::{AppRef, Change, Op, SpRef};
use crate::core::permissions::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One segment of a path below `/v1.0/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A fixed name (`applications`, `addPassword`).
    Name(&'static str),
    /// An id: one segment, percent-encoded when sent.
    Id(String),
    /// An alternate key: `applications(uniqueName='...')`, the value an OData string literal.
    Key {
        set: &'static str,
        property: &'static str,
        value: String,
    },
}

impl Seg {
    /// The segment as Graph reads it (before percent-encoding).
    pub fn text(&self) -> String {
        match self {
            Seg::Name(n) => (*n).to_string(),
            Seg::Id(id) => id.clone(),
            Seg::Key {
                set,
                property,
                value,
            } => format!("{set}({property}='{}')", value.replace('\'', "''")),
        }
    }
}

/// The path `/v1.0/a/b/c` of these segments, for display and the journal.
pub fn path_text(path: &[Seg]) -> String {
    let mut out = String::from("/v1.0");
    for s in path {
        out.push('/');
        out.push_str(&s.text());
    }
    out
}

/// One write to Graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub method: Method,
    pub path: Vec<Seg>,
    pub body: Value,
    /// The `Prefer` header (`create-if-missing` for the upsert).
    pub prefer: Option<&'static str>,
}

impl Write {
    pub fn path_text(&self) -> String {
        path_text(&self.path)
    }

    /// `{method, path, body}` for `azreg plan --json`.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "method": self.method.as_str(),
            "path": self.path_text(),
            "body": self.body,
        });
        if let Some(p) = self.prefer {
            v["headers"] = json!({ "Prefer": p });
        }
        v
    }
}

/// Ids handed out while a plan runs; `None` shows as a placeholder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    /// The new app's object ID.
    pub object_id: Option<String>,
    /// The new app's client ID.
    pub client_id: Option<String>,
    /// The new service principal's id.
    pub sp_id: Option<String>,
    /// The new secret's start (RFC 3339): the clock is the caller's.
    pub start: Option<String>,
    /// The new secret's mark (`azreg-<12 hex>`), random, the caller's.
    pub marker: Option<String>,
}

/// A secret's mark as azreg makes them: `azreg-` and 12 lower-case hex digits.
pub fn is_marker(m: &str) -> bool {
    m.strip_prefix("azreg-").is_some_and(|h| {
        h.len() == 12
            && h.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

/// The description a new secret gets: the admin's, with the run's mark.
pub fn marked_description(description: &str, marker: &str) -> String {
    format!("{description} ({marker})")
}

/// The credential carries this mark (a description that ends with it).
pub fn has_marker(display_name: &str, marker: &str) -> bool {
    display_name.ends_with(&format!("({marker})"))
}

/// Placeholders for ids not yet known, in a shown plan and the scripts.
pub const NEW_OBJECT_ID: &str = "<app.id>";
pub const NEW_CLIENT_ID: &str = "<app.appId>";
pub const NEW_SP_ID: &str = "<servicePrincipal.id>";
pub const NOW: &str = "<now>";
pub const MARKER: &str = "<marker>";

impl Ids {
    fn object_id(&self, app: &AppRef) -> String {
        match app {
            AppRef::Known { object_id, .. } => object_id.clone(),
            AppRef::New => self.object_id.clone().unwrap_or(NEW_OBJECT_ID.into()),
        }
    }
    fn client_id(&self, app: &AppRef) -> String {
        match app {
            AppRef::Known { client_id, .. } => client_id.clone(),
            AppRef::New => self.client_id.clone().unwrap_or(NEW_CLIENT_ID.into()),
        }
    }
    fn sp_id(&self, sp: &SpRef) -> String {
        match sp {
            SpRef::Known(id) => id.clone(),
            SpRef::New => self.sp_id.clone().unwrap_or(NEW_SP_ID.into()),
        }
    }
}

/// A secret's `endDateTime` for its last day `YYYY-MM-DD`: the end of that day in UTC, so the
/// day shown is a day it still works (`fields::last_day_of_end` reads it back as that day).
pub fn end_date_time(day: &str) -> String {
    format!("{day}T23:59:59Z")
}

/// Microsoft Graph's `requiredResourceAccess` entry for these permissions.
pub fn graph_access(list: &[super::Access]) -> Value {
    let access: Vec<Value> = list
        .iter()
        .map(|a| {
            json!({"id": a.id, "type": if a.kind == Kind::Delegated { "Scope" } else { "Role" }})
        })
        .collect();
    json!({ "resourceAppId": super::GRAPH_APP_ID, "resourceAccess": access })
}

fn app(ids: &Ids, app: &AppRef, tail: Option<&'static str>) -> Vec<Seg> {
    let mut p = vec![Seg::Name("applications"), Seg::Id(ids.object_id(app))];
    p.extend(tail.map(Seg::Name));
    p
}

impl Op {
    /// The writes of this operation, in order, with `ids` for what earlier operations handed out.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per operation with the exact Graph requests it makes: the contract in one place"
    )]
    pub fn writes(&self, ids: &Ids) -> Vec<Write> {
        let post = |path: Vec<Seg>, body: Value| Write {
            method: Method::Post,
            path,
            body,
            prefer: None,
        };
        match self {
            Op::CreateApp {
                key,
                name,
                audience,
                redirect_uris,
                permissions,
            } => {
                let access = if permissions.is_empty() {
                    json!([])
                } else {
                    json!([graph_access(permissions)])
                };
                vec![Write {
                    method: Method::Patch,
                    path: vec![Seg::Key {
                        set: "applications",
                        property: "uniqueName",
                        value: key.clone(),
                    }],
                    body: {
                        let mut body = json!({
                            "displayName": name,
                            "signInAudience": audience,
                            "requiredResourceAccess": access,
                        });
                        // Each platform's URIs under its own property.
                        for (platform, uris) in &redirect_uris.0 {
                            body[platform.property()] = json!({"redirectUris": uris});
                        }
                        body
                    },
                    prefer: Some("create-if-missing"),
                }]
            }
            Op::UpdateApp {
                object_id,
                changes,
                other_access,
            } => {
                let mut body = serde_json::Map::new();
                for c in changes {
                    match c {
                        Change::DisplayName { to, .. } => {
                            body.insert("displayName".into(), json!(to));
                        }
                        Change::Audience { to, .. } => {
                            body.insert("signInAudience".into(), json!(to));
                        }
                        Change::RedirectUris { platform, to, .. } => {
                            body.insert(platform.property().into(), json!({"redirectUris": to}));
                        }
                        Change::Permissions { to, .. } => {
                            let mut all = other_access.clone();
                            if !to.is_empty() {
                                all.push(graph_access(to));
                            }
                            body.insert("requiredResourceAccess".into(), Value::Array(all));
                        }
                    }
                }
                vec![Write {
                    method: Method::Patch,
                    path: vec![Seg::Name("applications"), Seg::Id(object_id.clone())],
                    body: Value::Object(body),
                    prefer: None,
                }]
            }
            Op::CreateServicePrincipal { app } => vec![post(
                vec![Seg::Name("servicePrincipals")],
                json!({"appId": ids.client_id(app)}),
            )],
            Op::RemoveSecret { app: a, key_id, .. } => vec![post(
                app(ids, a, Some("removePassword")),
                json!({"keyId": key_id}),
            )],
            Op::AddSecret {
                app: a,
                description,
                end,
            } => vec![post(
                app(ids, a, Some("addPassword")),
                json!({"passwordCredential": {
                    "displayName": marked_description(
                        description,
                        ids.marker.as_deref().unwrap_or(MARKER),
                    ),
                    "startDateTime": ids.start.clone().unwrap_or(NOW.into()),
                    "endDateTime": end_date_time(end),
                }}),
            )],
            Op::GrantScopes {
                sp,
                graph_sp,
                add,
                existing,
            } => match existing {
                Some((id, scopes)) => {
                    let mut all = scopes.clone();
                    all.extend(add.iter().cloned());
                    vec![Write {
                        method: Method::Patch,
                        path: vec![Seg::Name("oauth2PermissionGrants"), Seg::Id(id.clone())],
                        body: json!({"scope": all.join(" ")}),
                        prefer: None,
                    }]
                }
                None => vec![post(
                    vec![Seg::Name("oauth2PermissionGrants")],
                    json!({
                        "clientId": ids.sp_id(sp),
                        "consentType": "AllPrincipals",
                        "resourceId": graph_sp,
                        "scope": add.join(" "),
                    }),
                )],
            },
            Op::AssignRoles {
                sp,
                graph_sp,
                roles,
                ..
            } => roles
                .iter()
                .map(|r| {
                    post(
                        vec![
                            Seg::Name("servicePrincipals"),
                            Seg::Id(graph_sp.clone()),
                            Seg::Name("appRoleAssignedTo"),
                        ],
                        json!({
                            "principalId": ids.sp_id(sp),
                            "resourceId": graph_sp,
                            "appRoleId": r.id,
                        }),
                    )
                })
                .collect(),
            Op::AddOwner {
                app,
                user_id,
                graph_root,
                ..
            } => vec![post(
                vec![
                    Seg::Name("applications"),
                    Seg::Id(ids.object_id(app)),
                    Seg::Name("owners"),
                    Seg::Name("$ref"),
                ],
                json!({"@odata.id": format!(
                    "{}/v1.0/directoryObjects/{user_id}",
                    graph_root.trim_end_matches('/')
                )}),
            )],
            Op::LiveCheck { .. } => Vec::new(),
            Op::DeleteApp { object_id, .. } => vec![Write {
                method: Method::Delete,
                path: vec![Seg::Name("applications"), Seg::Id(object_id.clone())],
                body: Value::Null,
                prefer: None,
            }],
        }
    }
}
