//! Reading the tenant before a plan, with GETs only (src/docs/graph.md, "Reading a registration
//! back"): who is signed in and where, the app the record names (in the order
//! `plan::lookups` gives), its service principal, the consent it holds. Nothing is written.
//! Every id Graph hands out is checked before it goes into a path, the progress file or onto
//! the screen.

use serde::de::DeserializeOwned;

use super::{BadAnswer, Run, Stop};
use crate::core::permissions::Kind;
use crate::core::plan::policy::{Restriction, SecretPolicy};
use crate::core::plan::{
    Access, AppState, Cred, Found, GRAPH_APP_ID, Lookup, Platform, Recorded, RedirectUris, Seg,
    Tenant, Who,
};
use crate::remote::entra::server_text;
use crate::remote::graph::{
    AppManagementPolicy, AppRoleAssignment, Application, DirectoryObject, Graph, GraphError,
    GraphTime, OAuth2PermissionGrant, Organization, Read, RedirectSet, ServicePrincipal, User,
    filter_eq,
};

/// One call, with a "not found" as `None`: waited out first when `wait` (an object azreg made
/// may not be replicated yet); throttling always waited out, within the run's budget.
async fn retried<T>(
    run: &mut Run<'_>,
    wait: bool,
    mut call: impl AsyncFnMut() -> Result<T, GraphError>,
) -> Result<Option<T>, Stop> {
    let mut waiting = run.backoff.start();
    loop {
        let e = match call().await {
            Ok(v) => return Ok(Some(v)),
            Err(e) if e.is_not_found() && !wait => return Ok(None),
            Err(e) if e.is_throttled() || e.is_not_found() => e,
            Err(GraphError::Unreachable(why)) => return Err(Stop::Unreachable(why)),
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

/// A read of one object, typed (see [`retried`] for "not found" and waiting).
pub async fn get<T: DeserializeOwned>(
    graph: &Graph,
    run: &mut Run<'_>,
    read: Read,
    path: &[Seg],
    wait: bool,
) -> Result<Option<T>, Stop> {
    retried(run, wait, async || graph.read::<T>(read, path).await).await
}

/// A whole collection, every page followed to the end (on the origin it asked only, at most
/// `MAX_PAGES`); `None` when its parent is not found.
pub async fn list<T: DeserializeOwned>(
    graph: &Graph,
    run: &mut Run<'_>,
    read: Read,
    path: &[Seg],
    filter: Option<&str>,
    wait: bool,
) -> Result<Option<Vec<T>>, Stop> {
    pages(graph, run, read, graph.first_page(read, path, filter), wait).await
}

/// Every page of a collection from `url` on (see [`list`]).
async fn pages<T: DeserializeOwned>(
    graph: &Graph,
    run: &mut Run<'_>,
    read: Read,
    mut url: url::Url,
    wait: bool,
) -> Result<Option<Vec<T>>, Stop> {
    let mut out = Vec::new();
    for pages in 1.. {
        let Some(page) = retried(run, wait, async || graph.page::<T>(read, &url).await).await?
        else {
            return Ok(None);
        };
        out.extend(page.value);
        match page.next_link {
            Some(link) => url = graph.next_page(read, &link, pages).map_err(Stop::Read)?,
            None => break,
        }
    }
    Ok(Some(out))
}

/// An id Graph handed out: a GUID, lower case; anything else stops the run.
pub fn guid(s: &str) -> Result<String, Stop> {
    if crate::core::fields::is_guid(s) {
        return Ok(s.to_ascii_lowercase());
    }
    Err(Stop::BadAnswer(BadAnswer::Id(server_text(s))))
}

/// A grant's id: Graph's base64url key.
pub fn grant_id(s: &str) -> Result<String, Stop> {
    if (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(s.to_string());
    }
    guid(s)
}

fn uris(set: &RedirectSet) -> Vec<String> {
    set.redirect_uris
        .iter()
        .take(256)
        .map(|u| line(u))
        .collect()
}

/// Text from Graph as it goes into the plan, the doctor and the record: one line, cleaned
/// (`text::one_line`), so no front end or format can print a line it forged.
fn line(s: &str) -> String {
    crate::text::one_line(s).into_owned()
}

/// An application as a plan needs it.
pub fn app_state(v: &Application) -> Result<AppState, Stop> {
    let mut graph_access = Vec::new();
    let mut other_access = Vec::new();
    for r in &v.required_resource_access {
        if r.resource_app_id.eq_ignore_ascii_case(GRAPH_APP_ID) {
            for a in &r.resource_access {
                let kind = match a.kind.as_str() {
                    "Role" => Kind::Application,
                    _ => Kind::Delegated,
                };
                graph_access.push(Access {
                    id: a.id.to_ascii_lowercase(),
                    kind,
                });
            }
        } else {
            other_access.push(serde_json::to_value(r).unwrap_or_default());
        }
    }
    let text = |t: &Option<GraphTime>| t.as_ref().map(|t| t.0.clone()).unwrap_or_default();
    let creds = v
        .password_credentials
        .iter()
        .filter(|c| crate::core::fields::is_guid(&c.key_id))
        .map(|c| Cred {
            key_id: c.key_id.to_ascii_lowercase(),
            display_name: line(c.display_name.as_deref().unwrap_or_default()),
            hint: line(c.hint.as_deref().unwrap_or_default()),
            start: text(&c.start_date_time),
            end: text(&c.end_date_time),
        })
        .collect();
    Ok(AppState {
        id: guid(&v.id)?,
        app_id: guid(&v.app_id)?,
        display_name: line(v.display_name.as_deref().unwrap_or_default()),
        audience: line(v.sign_in_audience.as_deref().unwrap_or_default()),
        redirect_uris: {
            let mut all = RedirectUris::default();
            for (platform, list) in [
                (Platform::Web, &v.web),
                (Platform::Spa, &v.spa),
                (Platform::PublicClient, &v.public_client),
            ] {
                all.set(platform, uris(list));
            }
            all
        },
        graph_access,
        other_access,
        creds,
        created: v.created_date_time.as_ref().map(|t| t.0.clone()),
        unique_name: v.unique_name.as_deref().map(line),
        owners: Vec::new(),
        owner_ids: Vec::new(),
    })
}

/// Who is signed in and where: the tenant from `/organization`, the user from `/me`; an app
/// identity (no `/me`) by its client ID from the token.
pub async fn who(graph: &Graph, run: &mut Run<'_>) -> Result<Who, Stop> {
    let orgs: Vec<Organization> = list(
        graph,
        run,
        Read::Organization,
        &[Seg::Name("organization")],
        None,
        false,
    )
    .await?
    .unwrap_or_default();
    let org = orgs.first().cloned().unwrap_or_default();
    let tenant_id = guid(&org.id)?;
    // An empty name from Graph is no name: never "Signed in as  to  (…)".
    let tenant_name = org
        .display_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(server_text);
    let me = match graph.read::<User>(Read::Me, &[Seg::Name("me")]).await {
        Ok(u) => Some(u),
        Err(GraphError::Unreachable(why)) => return Err(Stop::Unreachable(why)),
        Err(_) => None,
    };
    let user_id = me
        .as_ref()
        .and_then(|u| crate::core::fields::is_guid(&u.id).then(|| u.id.to_ascii_lowercase()));
    let account = me
        .and_then(|u| u.user_principal_name)
        .filter(|u| !u.trim().is_empty())
        .map(|u| server_text(&u));
    let app_id = account
        .is_none()
        .then(|| graph.token_app().map(|a| server_text(&a)))
        .flatten();
    Ok(Who {
        account,
        app_id,
        tenant_id,
        tenant_name,
        user_id,
    })
}

/// Apps of this display name, with their owners (a refusal names them).
async fn same_name(graph: &Graph, run: &mut Run<'_>, name: &str) -> Result<Vec<AppState>, Stop> {
    let filter = filter_eq("displayName", name);
    let apps: Vec<Application> = list(
        graph,
        run,
        Read::Applications,
        &[Seg::Name("applications")],
        Some(&filter),
        false,
    )
    .await?
    .unwrap_or_default();
    let mut out = Vec::new();
    for v in apps.iter().take(20) {
        let mut a = app_state(v)?;
        owners(graph, run, &mut a).await?;
        out.push(a);
    }
    Ok(out)
}

/// An app's owners (every page): their names (UPN, else display name, else client ID, cleaned,
/// at most 20 shown) and ids.
pub async fn owners(graph: &Graph, run: &mut Run<'_>, a: &mut AppState) -> Result<(), Stop> {
    let owners: Vec<DirectoryObject> = list(
        graph,
        run,
        Read::Owners,
        &[
            Seg::Name("applications"),
            Seg::Id(a.id.clone()),
            Seg::Name("owners"),
        ],
        None,
        false,
    )
    .await?
    .unwrap_or_default();
    a.owners = owners
        .iter()
        .filter_map(DirectoryObject::name)
        .take(20)
        .map(server_text)
        .collect();
    a.owner_ids = owners
        .iter()
        .filter(|o| crate::core::fields::is_guid(&o.id))
        .map(|o| o.id.to_ascii_lowercase())
        .collect();
    Ok(())
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
        if let Some(v) = get::<Application>(graph, run, Read::Application, &path, wait).await? {
            let mut a = app_state(&v)?;
            // An app read by its client ID must be that app.
            if let Some(want) = want
                && !a.app_id.eq_ignore_ascii_case(want)
            {
                return Err(Stop::BadAnswer(BadAnswer::OtherApp {
                    want: want.to_string(),
                    got: a.app_id,
                }));
            }
            owners(graph, run, &mut a).await?;
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
        secret_policy: None,
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
            sp = get::<ServicePrincipal>(graph, run, Read::ServicePrincipal, &path, true).await?;
        }
        if sp.is_none() {
            sp = get(graph, run, Read::ServicePrincipal, &by_app, false).await?;
        }
        if let Some(sp) = sp {
            if !sp.app_id.eq_ignore_ascii_case(&a.app_id) {
                return Err(Stop::BadAnswer(BadAnswer::OtherSp));
            }
            t.sp = Some((guid(&sp.id)?, sp.account_enabled.unwrap_or(true)));
        }
    }
    if consent || matches!(t.app, Found::App(_)) {
        // Only its id: unselected, Graph's own service principal is more than a MiB of
        // permission texts.
        let g: Option<ServicePrincipal> = get(
            graph,
            run,
            Read::GraphServicePrincipal,
            &[Seg::Key {
                set: "servicePrincipals",
                property: "appId",
                value: GRAPH_APP_ID.into(),
            }],
            false,
        )
        .await?;
        t.graph_sp = g.map(|g| guid(&g.id)).transpose()?;
    }
    if let (Some((sp, _)), Some(graph_sp)) = (t.sp.clone(), t.graph_sp.clone()) {
        let filter = filter_eq("clientId", &sp);
        let grants: Vec<OAuth2PermissionGrant> = list(
            graph,
            run,
            Read::Grants,
            &[Seg::Name("oauth2PermissionGrants")],
            Some(&filter),
            false,
        )
        .await?
        .unwrap_or_default();
        if let Some(g) = grants.iter().find(|g| g.is_tenant_wide_to(&graph_sp)) {
            t.grant = Some((grant_id(&g.id)?, g.scopes()));
        }
        let roles: Vec<AppRoleAssignment> = list(
            graph,
            run,
            Read::RoleAssignments,
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
        t.roles = roles
            .iter()
            .filter(|a| a.resource_id.eq_ignore_ascii_case(&graph_sp))
            .map(|a| a.app_role_id.to_ascii_lowercase())
            .collect();
    }
    Ok(t)
}

/// What the tenant's default app management policy says of client secrets; `None` when it
/// cannot be read (reading it needs a role such as Global Reader or Application Administrator:
/// a refusal of the secret then says what it can).
pub async fn secret_policy(graph: &Graph, run: &mut Run<'_>) -> Result<Option<SecretPolicy>, Stop> {
    let path = [
        Seg::Name("policies"),
        Seg::Name("defaultAppManagementPolicy"),
    ];
    match graph
        .read::<AppManagementPolicy>(Read::DefaultAppPolicy, &path)
        .await
    {
        Ok(p) => Ok(Some(policy_of(&p))),
        Err(GraphError::Unreachable(why)) => Err(Stop::Unreachable(why)),
        Err(e) if e.is_throttled() => {
            // One wait within the run's budget, then without it.
            Ok(
                get::<AppManagementPolicy>(graph, run, Read::DefaultAppPolicy, &path, false)
                    .await
                    .ok()
                    .flatten()
                    .map(|p| policy_of(&p)),
            )
        }
        Err(_) => Ok(None),
    }
}

/// The policy a refusal of `addPassword` names (`... policy '{id}'`), when it can be read.
pub async fn named_policy(graph: &Graph, message: &str) -> Option<SecretPolicy> {
    let id = message
        .split(['\'', ' ', '"'])
        .find(|w| crate::core::fields::is_guid(w))?;
    let path = [
        Seg::Name("policies"),
        Seg::Name("appManagementPolicies"),
        Seg::Id(id.to_ascii_lowercase()),
    ];
    graph
        .read::<AppManagementPolicy>(Read::AppPolicy, &path)
        .await
        .ok()
        .map(|p| policy_of(&p))
}

fn policy_of(p: &AppManagementPolicy) -> SecretPolicy {
    let restrictions: Vec<Restriction> = p
        .password_restrictions()
        .into_iter()
        .map(|r| Restriction {
            kind: r.restriction_type.clone(),
            state: r.state.clone(),
            max_lifetime: r.max_lifetime.clone(),
        })
        .collect();
    SecretPolicy::of(&restrictions)
}

/// When each of the app's credentials last signed in, from Graph's credential activity report
/// (beta; Entra ID P1/P2 and a reports reader role): `None` when the tenant does not offer it
/// or the account may not read it, so the caller falls back to asking the admin.
pub async fn credential_activity(
    graph: &Graph,
    run: &mut Run<'_>,
    app_id: &str,
) -> Result<Option<Vec<crate::remote::graph::AppCredentialSignInActivity>>, Stop> {
    let filter = filter_eq("appId", app_id);
    let url = graph.beta_first_page(
        Read::CredentialActivity,
        &[
            Seg::Name("reports"),
            Seg::Name("appCredentialSignInActivities"),
        ],
        Some(&filter),
    );
    match pages(graph, run, Read::CredentialActivity, url, false).await {
        Ok(found) => Ok(found),
        Err(Stop::Unreachable(why)) => Err(Stop::Unreachable(why)),
        // Refused (no licence, no role) or not there: no proof from Graph.
        Err(_) => Ok(None),
    }
}
