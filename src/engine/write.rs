//! Writing to the tenant, one request at a time: each write exactly as `plan::Op::writes`
//! spells it, its answer taken as `plan::take` says (lag and throttling waited out within the
//! budget, "exists" settled by a read), journaled; the steps a finished part leaves done; the
//! live check at the end. The operations (`ops`) and the run (`execute`) are built on these.

use serde_json::Value;
use time::Date;
use url::Url;

use super::read;
use super::{Run, Stop, Written};
use crate::core::edit::applied;
use crate::core::plan::{self, Answer, Op, Seg, Write};
use crate::core::procedure::Procedure;
use crate::remote::graph::{
    AppRoleAssignment, Application, DirectoryObject, Graph, GraphError, OAuth2PermissionGrant,
    Read, filter_eq,
};
use crate::remote::verify::Results;
use crate::tr;

/// What a run needs besides the plan.
pub struct Ctx<'p> {
    pub procedure: &'p Procedure,
    pub today: Date,
    /// The identity platform of the live check: Microsoft's of the cloud in use, or the one
    /// named on the command line (or confirmed by the admin).
    pub authority: Url,
    /// The procedure's parts the finished plan leaves done (`app`, `secret`, `consent`, `ids`).
    pub parts: Vec<&'static str>,
    /// A renewal: the new secret's expiry becomes the recorded one, the old kept in the
    /// history of renewals.
    pub renewal: bool,
    /// The clock for what is recorded (marks, history, a secret's start).
    pub now: fn() -> toml::value::Datetime,
}

/// A read that tells whether a write that answered "lag" or "exists" took effect after all.
pub(super) enum Settle {
    None,
    /// The app's service principal, by the app's client ID.
    Sp(String),
    /// The tenant-wide grant of this service principal to Graph's.
    Grant {
        sp: String,
        graph_sp: String,
    },
    /// This app role held by this service principal.
    Role {
        sp: String,
        role: String,
    },
    /// This key gone from this app.
    KeyGone {
        object_id: String,
        key: String,
    },
    /// This person among the app's owners.
    Owner {
        object_id: String,
        user_id: String,
    },
}

/// What a settling read found: the object, or `None` when it is not (yet) there.
async fn settled(graph: &Graph, s: &Settle) -> Result<Option<Value>, Stop> {
    fn got<T>(r: Result<T, GraphError>) -> Result<Option<T>, Stop> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(GraphError::Unreachable(why)) => Err(Stop::Unreachable(why)),
            Err(_) => Ok(None),
        }
    }
    // A settling read looks at the first page only: what a write just made is on it or not
    // there yet, and the next try of the write settles it again.
    async fn first<T: serde::de::DeserializeOwned>(
        graph: &Graph,
        read: Read,
        path: &[Seg],
        filter: Option<&str>,
    ) -> Result<Vec<T>, GraphError> {
        let url = graph.first_page(read, path, filter);
        Ok(graph.page::<T>(read, &url).await?.value)
    }
    Ok(match s {
        Settle::None => None,
        Settle::Sp(client_id) => got(graph
            .read::<Value>(
                Read::ServicePrincipal,
                &[Seg::Key {
                    set: "servicePrincipals",
                    property: "appId",
                    value: client_id.clone(),
                }],
            )
            .await)?,
        Settle::Grant { sp, graph_sp } => {
            let filter = filter_eq("clientId", sp);
            got(first::<OAuth2PermissionGrant>(
                graph,
                Read::Grants,
                &[Seg::Name("oauth2PermissionGrants")],
                Some(&filter),
            )
            .await)?
            .and_then(|list| list.into_iter().find(|g| g.is_tenant_wide_to(graph_sp)))
            .map(|g| serde_json::json!({"id": g.id, "scope": g.scope}))
        }
        Settle::Role { sp, role } => got(first::<AppRoleAssignment>(
            graph,
            Read::RoleAssignments,
            &[
                Seg::Name("servicePrincipals"),
                Seg::Id(sp.clone()),
                Seg::Name("appRoleAssignments"),
            ],
            None,
        )
        .await)?
        .and_then(|list| {
            list.into_iter()
                .find(|a| a.app_role_id.eq_ignore_ascii_case(role))
        })
        .map(|a| serde_json::json!({"id": a.id, "appRoleId": a.app_role_id})),
        Settle::KeyGone { object_id, key } => got(graph
            .read::<Application>(
                Read::Application,
                &[Seg::Name("applications"), Seg::Id(object_id.clone())],
            )
            .await)?
        .filter(|app| {
            !app.password_credentials
                .iter()
                .any(|c| c.key_id.eq_ignore_ascii_case(key))
        })
        .map(|_| Value::Null),
        Settle::Owner { object_id, user_id } => {
            let path = [
                Seg::Name("applications"),
                Seg::Id(object_id.clone()),
                Seg::Name("owners"),
            ];
            let mut url = graph.first_page(Read::Owners, &path, None);
            let mut found = false;
            for pages in 1.. {
                let Some(page) = got(graph.page::<DirectoryObject>(Read::Owners, &url).await)?
                else {
                    break;
                };
                found |= page
                    .value
                    .iter()
                    .any(|o| o.id.eq_ignore_ascii_case(user_id));
                match page
                    .next_link
                    .map(|l| graph.next_page(Read::Owners, &l, pages))
                {
                    Some(Ok(next)) if !found => url = next,
                    _ => break,
                }
            }
            found.then_some(Value::Null)
        }
    })
}

/// What a policy refusal of `addPassword` means: the policy it names read when it can be, for
/// its maximum and the longest end allowed.
pub(super) async fn policy_refusal(
    graph: &Graph,
    code: &str,
    message: &str,
    end: &str,
    today: time::Date,
) -> crate::core::plan::policy::PolicyLimit {
    use crate::core::plan::policy::{PolicyLimit, SecretPolicy, limit};
    let blocked = code == "CredentialTypeNotAllowedAsPerAppPolicy";
    let read = read::named_policy(graph, message)
        .await
        .unwrap_or(SecretPolicy {
            blocked,
            max_days: None,
        });
    limit(Some(&read), end, Some(today)).unwrap_or(PolicyLimit {
        blocked,
        max_days: read.max_days,
        longest: None,
        asked: end.to_string(),
    })
}

/// Entra refused this write for lack of a role (403 `Authorization_RequestDenied`).
pub(super) fn is_denied(s: &Stop) -> bool {
    matches!(s, Stop::Refused { error, .. }
        if error.status() == Some(403) && error.code() == Some("Authorization_RequestDenied"))
}

/// One write, as the plan has it, until it is done, settled, refused, or the budget is spent.
pub(super) async fn send(
    graph: &Graph,
    run: &mut Run<'_>,
    op: &Op,
    w: &Write,
    settle: &Settle,
) -> Result<Value, Stop> {
    let mut waiting = run.backoff.start();
    let mut attempts = 0;
    let journal = |run: &mut Run<'_>, status: Option<u16>, result, code: Option<&str>, n| {
        run.journal(&Written {
            account: run.who.id().map(str::to_string),
            app: run.who.account.is_none() && run.who.app_id.is_some(),
            tenant: run.who.tenant_id.clone(),
            op: op.kind(),
            method: w.method.as_str(),
            path: w.path_text(),
            status,
            result,
            code: code.map(str::to_string),
            attempts: n,
        });
    };
    loop {
        attempts += 1;
        let e = match graph.write(w).await {
            Ok(v) => {
                journal(run, None, "done", None, attempts);
                return Ok(v);
            }
            Err(e) => e,
        };
        let answer = match &e {
            GraphError::Refused { status, code, .. } => plan::take(op, *status, code),
            _ => Answer::Refused,
        };
        match answer {
            Answer::Lag | Answer::Exists => {
                if let Some(v) = settled(graph, settle).await? {
                    journal(run, e.status(), "exists", e.code(), attempts);
                    return Ok(v);
                }
            }
            Answer::Throttled => {}
            Answer::Refused | Answer::Done => {
                journal(run, e.status(), "failed", e.code(), attempts);
                return Err(Stop::Refused {
                    part: op.part(),
                    error: e,
                });
            }
        }
        match waiting.next(e.retry_after()) {
            Some(d) => {
                super::say_wait(run, &waiting, d, &e);
                tokio::time::sleep(d).await;
            }
            None => {
                journal(run, e.status(), "failed", e.code(), attempts);
                return Err(Stop::Waited {
                    part: op.part(),
                    seconds: waiting.spent().0,
                    error: e,
                });
            }
        }
    }
}

/// Mark the steps of one part of the procedure done, and save.
pub(super) async fn mark(
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    part: &str,
    what: Option<String>,
) -> Result<(), Stop> {
    let labels = run
        .record(|p| applied::part_done(p, ctx.procedure, part, (ctx.now)()))
        .await?;
    if let Some(what) = what {
        let steps = if labels.is_empty() {
            String::new()
        } else {
            format!(" [{}]", labels.join(", "))
        };
        run.say(&format!("✓ {what}{steps}"));
    }
    Ok(())
}

/// The live check with what is recorded; right after a new app or secret, a refusal may be
/// replication and is tried again within the budget. A pass is recorded.
pub(super) async fn live_check(
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    fresh: bool,
) -> Result<Results, Stop> {
    let lang = run.lang;
    let req = crate::remote::verify::Request::from_progress(
        ctx.procedure,
        &run.progress,
        ctx.today,
        crate::remote::verify::Overrides {
            authority: Some(ctx.authority.to_string()),
            ..Default::default()
        },
    )
    .map_err(Stop::Check)?;
    let timeout = crate::remote::verify::DEFAULT_TIMEOUT;
    let http = crate::remote::http::client(timeout, &req.authority).map_err(Stop::Unreachable)?;
    let mut waiting = run.backoff.start();
    let results = loop {
        let r = crate::remote::verify::run(&http, &req, timeout).await;
        let unreachable = r
            .lines(lang)
            .iter()
            .any(|(_, o)| matches!(o, crate::remote::verify::Outcome::Unreachable(_)));
        if r.credentials_ok() || !fresh || unreachable {
            break r;
        }
        match waiting.next(None) {
            Some(d) => {
                let (spent, budget) = waiting.spent();
                run.notice(&tr!(
                    lang,
                    "the new values are not accepted yet (replication); trying again in {d} s ({spent} of {budget} s)",
                    "die neuen Werte werden noch nicht angenommen (Replikation); neuer Versuch in {d} s ({spent} von {budget} s)",
                    d = super::seconds(d),
                    spent = spent,
                    budget = budget,
                ));
                tokio::time::sleep(d).await;
            }
            None => break r,
        }
    };
    for (what, o) in results.lines(lang) {
        run.say(&format!("{} {what}: {}", o.mark(), o.message()));
    }
    if results.credentials_ok() {
        run.record(|p| applied::check_passed(p, true, (ctx.now)()))
            .await?;
    }
    run.verified(&results);
    Ok(results)
}
