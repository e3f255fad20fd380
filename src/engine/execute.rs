//! Executing a confirmed plan: each operation's writes exactly as `plan::Op::writes` spells
//! them, answers taken as `plan::take` says (lag and throttling waited out within the budget,
//! "exists" settled by a read), what Graph hands out checked and saved before the next write,
//! each write journaled, the procedure's steps ticked as their parts are done.

use serde_json::Value;
use time::Date;
use url::Url;

use super::read::{self, guid};
use super::{BadAnswer, Denied, NotAllowed, Run, Stop, Written};
use crate::core::plan::{self, Answer, AppRef, Ids, Op, Plan, Seg, SpRef, Write};
use crate::core::procedure::Procedure;
use crate::core::progress::Slot;
use crate::remote::graph::{
    AppRoleAssignment, Application, DirectoryObject, Graph, GraphError, OAuth2PermissionGrant,
    PasswordCredential, Read, ServicePrincipal, filter_eq, typed,
};
use crate::remote::verify::Results;
use crate::secret::Secret;
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
enum Settle {
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
async fn policy_refusal(
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
fn is_denied(s: &Stop) -> bool {
    matches!(s, Stop::Refused { error, .. }
        if error.status() == Some(403) && error.code() == Some("Authorization_RequestDenied"))
}

/// One write, as the plan has it, until it is done, settled, refused, or the budget is spent.
async fn send(
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
async fn mark(
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    part: &str,
    what: Option<String>,
) -> Result<(), Stop> {
    let p = ctx.procedure;
    let at = (ctx.now)();
    let mut labels = Vec::new();
    for (i, e) in p.entries.iter().enumerate() {
        if e.applied.as_deref() == Some(part) && !run.progress.is_done(&e.step.id) {
            run.progress.done.insert(e.step.id.clone(), at);
            labels.push(p.label(i).to_string());
        }
    }
    if labels.is_empty() && what.is_none() {
        return Ok(());
    }
    run.save().await?;
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

/// A secret value as Graph handed it out, checked like one typed in: else never stored.
fn usable_secret(s: &str) -> bool {
    (16..=128).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '~' | '-'))
        && !crate::core::fields::is_guid(s)
}

/// Execute `plan` exactly as shown; the live check's results when it ran.
pub async fn execute(
    graph: &Graph,
    plan: &Plan,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
) -> Result<Option<Results>, Stop> {
    let lang = run.lang;

    run.who = plan.who.clone();
    let mut ids = Ids::default();
    let mut fresh = false;
    let mut results = None;
    // The tenant the plan was made for (the plan refused any other), and the app and service
    // principal it found: recorded before the first write (the history keeps what they
    // replace, as after --adopt).
    let before = run.progress.clone();
    run.progress.put_value(
        "tenant_id",
        Some(plan.who.tenant_id.clone()),
        "apply",
        (ctx.now)(),
    );
    if let Some((object_id, client_id)) = &plan.app {
        run.progress.put_id(
            Slot::AppObject,
            Some(object_id.clone()),
            "apply",
            (ctx.now)(),
        );
        run.progress
            .put_value("client_id", Some(client_id.clone()), "apply", (ctx.now)());
    }
    if let Some(sp) = &plan.sp {
        run.progress.put_id(
            Slot::ServicePrincipal,
            Some(sp.clone()),
            "apply",
            (ctx.now)(),
        );
    }
    // Every read refreshes Azure's end of the secret in use in the record.
    if let Some(end) = &plan.in_use_end
        && run.progress.azure_secret.as_ref().map(|a| &a.end) != Some(end)
    {
        run.progress.azure_secret = Some(crate::core::progress::AzureSecret {
            end: end.clone(),
            read: (ctx.now)(),
        });
    }
    if run.progress != before {
        run.save().await?;
    }
    let consent_ops = plan
        .steps
        .iter()
        .filter(|s| s.op.part() == Some("consent"))
        .count();
    let mut consent_done = 0;
    // Writes Entra refused for lack of a role: consent and ownership are skipped and the rest
    // goes on; anything else stops here (later writes need it).
    let mut denied: Vec<Denied> = Vec::new();
    let not_allowed = |denied: Vec<Denied>, stopped_at, run: &Run<'_>, ids: &Ids| {
        let client = ids
            .client_id
            .clone()
            .or_else(|| plan.app.as_ref().map(|(_, c)| c.clone()));
        Stop::NotAllowed(NotAllowed {
            denied,
            stopped_at,
            account: Some(run.who.shown(run.lang)),
            consent_link: client.map(|c| {
                let mut url = crate::remote::http::endpoint(
                    &ctx.authority,
                    &plan.who.tenant_id,
                    &["adminconsent"],
                );
                url.query_pairs_mut().append_pair("client_id", &c);
                url.to_string()
            }),
        })
    };
    for step in &plan.steps {
        let op = &step.op;
        let skippable = matches!(
            op,
            Op::GrantScopes { .. } | Op::AssignRoles { .. } | Op::AddOwner { .. }
        );
        // Consent refused for lack of a role stays open (its steps unticked).
        let skip: &[&str] = if denied
            .iter()
            .any(|d| matches!(d, Denied::Delegated(_) | Denied::Application(_)))
        {
            &["consent"]
        } else {
            &[]
        };
        let done = run_op(
            graph,
            ctx,
            run,
            op,
            (&mut ids, &mut fresh, &mut results),
            skip,
        )
        .await;
        match done {
            Ok(Flow::Next) => {}
            Ok(Flow::End) => return Ok(results),
            Err(e) if is_denied(&e) && skippable => {
                denied.push(Denied::of(op));
                continue;
            }
            Err(e) if is_denied(&e) => {
                denied.push(Denied::of(op));
                return Err(not_allowed(denied, op.part().or(Some("app")), run, &ids));
            }
            Err(e) => return Err(e),
        }
        if op.part() == Some("consent") {
            consent_done += 1;
            if consent_done == consent_ops {
                let what = tr!(
                    lang,
                    "admin consent granted",
                    "Administratorzustimmung erteilt"
                );
                mark(ctx, run, "consent", Some(what)).await?;
            }
        }
    }
    let consent_denied = denied
        .iter()
        .any(|d| matches!(d, Denied::Delegated(_) | Denied::Application(_)));
    for part in &ctx.parts {
        if !(consent_denied && *part == "consent") {
            mark(ctx, run, part, None).await?;
        }
    }
    if !denied.is_empty() {
        return Err(not_allowed(denied, None, run, &ids));
    }
    Ok(results)
}

/// Whether the run goes on after an operation.
enum Flow {
    Next,
    /// The live check did not pass: what follows (removing an old secret) needs it.
    End,
}

/// One operation of the plan: its writes, what Graph hands out saved, its steps ticked (but
/// the parts in `skip`). `state`: the ids handed out so far, whether anything is new, the live
/// check's results.
async fn run_op(
    graph: &Graph,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    op: &Op,
    state: (&mut Ids, &mut bool, &mut Option<Results>),
    skip: &[&str],
) -> Result<Flow, Stop> {
    let lang = run.lang;
    let (ids, fresh, results) = state;
    {
        match op {
            Op::CreateApp { key, .. } => {
                // The key first: a run cut off after the create upserts by it again.
                if run.progress.app_unique_name.as_deref() != Some(key) {
                    run.progress
                        .put_id(Slot::UniqueName, Some(key.clone()), "apply", (ctx.now)());
                    run.save().await?;
                }
                let made = send(graph, run, op, &op.writes(ids)[0], &Settle::None).await?;
                let made: Application = if made.is_null() {
                    // It existed (204): made by a run that was cut off. Read it back.
                    let path = [Seg::Key {
                        set: "applications",
                        property: "uniqueName",
                        value: key.clone(),
                    }];
                    read::get(graph, run, Read::Application, &path, true)
                        .await?
                        .ok_or_else(|| {
                            Stop::BadAnswer(BadAnswer::NotReadBack { key: key.clone() })
                        })?
                } else {
                    typed(Read::Written, made).map_err(Stop::Read)?
                };
                let a = read::app_state(&made)?;
                *fresh = true;
                ids.object_id = Some(a.id.clone());
                ids.client_id = Some(a.app_id.clone());
                // Recorded at once: a run after an interruption finds this app.
                run.progress.app_deleted = None;
                run.progress
                    .put_id(Slot::AppObject, Some(a.id.clone()), "apply", (ctx.now)());
                run.progress
                    .put_value("client_id", Some(a.app_id.clone()), "apply", (ctx.now)());
                let what = tr!(
                    lang,
                    "app registration {client_id}: both redirect URIs, the API permissions",
                    "App-Registrierung {client_id}: beide Umleitungs-URIs, die API-Berechtigungen",
                    client_id = a.app_id,
                );
                run.save().await?;
                mark(ctx, run, "app", Some(what)).await?;
            }
            Op::UpdateApp { .. } => {
                send(graph, run, op, &op.writes(ids)[0], &Settle::None).await?;
                let what = tr!(
                    lang,
                    "app registration updated",
                    "App-Registrierung geändert"
                );
                mark(ctx, run, "app", Some(what)).await?;
            }
            Op::AddOwner {
                app, user_id, user, ..
            } => {
                let object_id = match app {
                    AppRef::Known { object_id, .. } => object_id.clone(),
                    AppRef::New => ids.object_id.clone().unwrap_or_default(),
                };
                let settle = Settle::Owner {
                    object_id,
                    user_id: user_id.clone(),
                };
                send(graph, run, op, &op.writes(ids)[0], &settle).await?;
                run.say(&tr!(
                    lang,
                    "✓ {user} is an owner of the app",
                    "✓ {user} ist Besitzer der App",
                    user = user,
                ));
            }
            Op::CreateServicePrincipal { app } => {
                let client_id = match app {
                    AppRef::Known { client_id, .. } => client_id.clone(),
                    AppRef::New => ids.client_id.clone().unwrap_or_default(),
                };
                let settle = Settle::Sp(client_id.clone());
                let sp = send(graph, run, op, &op.writes(ids)[0], &settle).await?;
                let sp: ServicePrincipal = typed(Read::Written, sp).map_err(Stop::Read)?;
                let id = guid(&sp.id)?;
                *fresh = true;
                ids.sp_id = Some(id.clone());
                run.progress
                    .put_id(Slot::ServicePrincipal, Some(id), "apply", (ctx.now)());
                run.save().await?;
                run.say(&tr!(
                    lang,
                    "✓ service principal (Enterprise application)",
                    "✓ Dienstprinzipal (Unternehmensanwendung)"
                ));
            }
            Op::RemoveSecret {
                app, key_id, hint, ..
            } => {
                let object_id = match app {
                    AppRef::Known { object_id, .. } => object_id.clone(),
                    AppRef::New => ids.object_id.clone().unwrap_or_default(),
                };
                let settle = Settle::KeyGone {
                    object_id,
                    key: key_id.clone(),
                };
                send(graph, run, op, &op.writes(ids)[0], &settle).await?;
                // The rotation's old secret gone: the rotation is over.
                if run
                    .progress
                    .rotation
                    .as_ref()
                    .is_some_and(|r| r.old_key.eq_ignore_ascii_case(key_id))
                {
                    run.progress.rotation = None;
                    run.save().await?;
                }
                run.say(&tr!(
                    lang,
                    "✓ client secret {hint}… (key {key}) removed",
                    "✓ geheimer Clientschlüssel {hint}… (Schlüssel {key}) entfernt",
                    hint = hint,
                    key = key_id,
                ));
            }
            Op::AddSecret { app, end, .. } => {
                // Whole seconds, RFC 3339, and a random mark in the description, both saved
                // first: should the value never arrive, a rerun finds this secret by both and
                // removes it, and no other secret that merely starts at the same second.
                let start = (ctx.now)().to_string();
                let marker = format!("azreg-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
                run.progress.pending_secret = Some(start.clone());
                run.progress.pending_marker = Some(marker.clone());
                run.save().await?;
                ids.start = Some(start);
                ids.marker = Some(marker);
                let added = match send(graph, run, op, &op.writes(ids)[0], &Settle::None).await {
                    Ok(added) => added,
                    Err(Stop::Refused {
                        error: GraphError::Refused { code, message, .. },
                        ..
                    }) if code.ends_with("AsPerAppPolicy") => {
                        // No credential was made: nothing pending.
                        run.progress.pending_secret = None;
                        run.progress.pending_marker = None;
                        run.save().await?;
                        return Err(Stop::SecretPolicy(
                            policy_refusal(graph, &code, &message, end, ctx.today).await,
                        ));
                    }
                    Err(e) => return Err(e),
                };
                // A shape that is not a credential is one without a usable value: the same
                // path as a bad value below (never stored, the credential removed if named).
                let added: PasswordCredential = typed(Read::Written, added).unwrap_or_default();
                let value = added
                    .secret_text
                    .as_ref()
                    .map(Secret::expose)
                    .unwrap_or_default();
                let key = Some(added.key_id.as_str())
                    .filter(|k| crate::core::fields::is_guid(k))
                    .map(str::to_ascii_lowercase);
                if !usable_secret(value) {
                    // Never stored; the credential it made goes again.
                    if let Some(key) = &key {
                        let gone = Op::RemoveSecret {
                            app: app.clone(),
                            key_id: key.clone(),
                            hint: String::new(),
                            why: plan::RemoveWhy::Orphaned,
                        };
                        let _ = send(graph, run, &gone, &gone.writes(ids)[0], &Settle::None).await;
                    }
                    run.progress.pending_secret = None;
                    run.progress.pending_marker = None;
                    run.save().await?;
                    return Err(Stop::BadAnswer(BadAnswer::SecretValue));
                }
                *fresh = true;
                if ctx.renewal
                    && let Some(field) = ctx.procedure.expiry_field()
                {
                    crate::core::edit::record_renewal(
                        &mut run.progress,
                        &field.id,
                        end,
                        (ctx.today, (ctx.now)(), "apply"),
                    );
                } else if let Some(field) = ctx.procedure.expiry_field()
                    && run.progress.values.get(&field.id) != Some(end)
                {
                    // `--expires` chose another end than the recorded one (a tenant's policy
                    // allows less): the record says what Azure holds, the earlier kept.
                    run.progress
                        .put_value(&field.id, Some(end.clone()), "apply", (ctx.now)());
                }
                // A renewal starts a rotation: the secret Intrexx uses now stays on the app
                // until it is known to use the new one (a rotation already open keeps its old
                // secret: Intrexx may still be on that one).
                if ctx.renewal
                    && run.progress.rotation.is_none()
                    && let Some(old_key) = run.progress.secret_key_id.clone()
                {
                    run.progress.rotation = Some(crate::core::progress::Rotation {
                        since: (ctx.now)(),
                        old_key,
                        old_hint: run
                            .progress
                            .values
                            .get("client_secret")
                            .map(|v| v.chars().take(3).collect()),
                    });
                }
                run.progress.put_value(
                    "client_secret",
                    Some(value.to_string()),
                    "apply",
                    (ctx.now)(),
                );
                run.progress
                    .put_id(Slot::SecretKey, key, "apply", (ctx.now)());
                // Azure's end of the new secret in use, as Graph handed it out.
                run.progress.azure_secret =
                    added
                        .end_date_time
                        .as_ref()
                        .map(|e| crate::core::progress::AzureSecret {
                            end: e.as_str().to_string(),
                            read: (ctx.now)(),
                        });
                run.progress.pending_secret = None;
                run.progress.pending_marker = None;
                run.save().await?;
                let what = if ctx.renewal {
                    tr!(
                        lang,
                        "new client secret (value saved, valid until {end}); enter it in Intrexx (New registration - Authentication)",
                        "neuer geheimer Clientschlüssel (Wert gespeichert, gültig bis {end}); tragen Sie ihn in Intrexx ein (Neue Registrierung – Authentifizierung)",
                        end = end,
                    )
                } else {
                    tr!(
                        lang,
                        "client secret (value saved, valid until {end})",
                        "geheimer Clientschlüssel (Wert gespeichert, gültig bis {end})",
                        end = end,
                    )
                };
                mark(ctx, run, "secret", Some(what)).await?;
            }
            Op::GrantScopes {
                sp, graph_sp, add, ..
            } => {
                let sp_id = match sp {
                    SpRef::Known(id) => id.clone(),
                    SpRef::New => ids.sp_id.clone().unwrap_or_default(),
                };
                let settle = Settle::Grant {
                    sp: sp_id.clone(),
                    graph_sp: graph_sp.clone(),
                };
                let got = send(graph, run, op, &op.writes(ids)[0], &settle).await?;
                // A grant that was there after all (409) but lacks scopes: add them to it.
                let got: OAuth2PermissionGrant = typed(Read::Written, got).unwrap_or_default();
                let have = got.scopes();
                if !got.id.is_empty() && add.iter().any(|s| !have.contains(s)) {
                    let more = Op::GrantScopes {
                        sp: sp.clone(),
                        graph_sp: graph_sp.clone(),
                        add: add.iter().filter(|s| !have.contains(s)).cloned().collect(),
                        existing: Some((read::grant_id(&got.id)?, have)),
                    };
                    send(graph, run, &more, &more.writes(ids)[0], &Settle::None).await?;
                }
            }
            Op::AssignRoles { sp, roles, .. } => {
                let sp_id = match sp {
                    SpRef::Known(id) => id.clone(),
                    SpRef::New => ids.sp_id.clone().unwrap_or_default(),
                };
                // One write per role, in the order of `roles`.
                for (w, role) in op.writes(ids).iter().zip(roles) {
                    let settle = Settle::Role {
                        sp: sp_id.clone(),
                        role: role.id.clone(),
                    };
                    send(graph, run, op, w, &settle).await?;
                }
            }
            Op::DeleteApp { client_id, .. } => {
                // A "not found" is not taken as gone: a replica that has not seen the app just
                // read answers so too (src/docs/graph.md, replication lag); the delete is sent again
                // until one answers 204, within the budget.
                send(graph, run, op, &op.writes(ids)[0], &Settle::None).await?;
                // The ids of an app that is gone go into the history: a later apply makes a
                // new one instead of refusing, and nothing recorded is lost.
                let at = (ctx.now)();
                run.progress.put_id(Slot::AppObject, None, "delete", at);
                run.progress
                    .put_id(Slot::ServicePrincipal, None, "delete", at);
                run.progress.put_id(Slot::UniqueName, None, "delete", at);
                run.progress.put_value("client_id", None, "delete", at);
                // Azure's end of a secret of an app that is gone tells nothing any more, and
                // the record says the app is gone (status, profiles, check).
                run.progress.azure_secret = None;
                run.progress.rotation = None;
                run.progress.app_deleted = Some(at);
                run.save().await?;
                run.say(&tr!(
                    lang,
                    "✓ app registration {client_id} deleted (restorable for 30 days under Deleted applications); its ids are kept in the record's history",
                    "✓ App-Registrierung {client_id} gelöscht (30 Tage lang unter „Gelöschte Anwendungen“ wiederherstellbar); ihre IDs bleiben im Verlauf des Datensatzes",
                    client_id = client_id,
                ));
            }
            Op::LiveCheck { .. } => {
                for part in ctx.parts.iter().filter(|p| !skip.contains(p)) {
                    mark(ctx, run, part, None).await?;
                }
                // A secret azreg itself made (its key recorded) that never passed a check is as
                // new as one made in this run: a run cut off before the check must not take
                // replication for a wrong secret.
                let unproven =
                    run.progress.secret_key_id.is_some() && run.progress.last_verified.is_none();
                let r = live_check(ctx, run, *fresh || unproven).await?;
                let passed = r.credentials_ok();
                *results = Some(r);
                if !passed {
                    // What follows (removing an old secret) needs a passed check.
                    return Ok(Flow::End);
                }
            }
        }
    }
    Ok(Flow::Next)
}

/// The live check with what is recorded; right after a new app or secret, a refusal may be
/// replication and is tried again within the budget. A pass is recorded.
async fn live_check(ctx: &Ctx<'_>, run: &mut Run<'_>, fresh: bool) -> Result<Results, Stop> {
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
        run.progress.proved((ctx.now)());
        run.save().await?;
    }
    run.verified(&results);
    Ok(results)
}
