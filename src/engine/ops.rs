//! One function per operation of a plan: its writes (through `execute::send`, which waits out
//! lag and throttling and journals each), what Graph hands out checked, recorded through
//! `core::edit::applied` and saved before the next write, and the steps it leaves done.

use super::read::{self, guid};
use super::write::{Ctx, Settle, mark, send};
use super::{BadAnswer, Run, Stop};
use crate::core::edit::applied;
use crate::core::plan::{self, AppRef, Ids, Op, Seg, SpRef};
use crate::remote::graph::Graph;
use crate::remote::graph::{
    Application, GraphError, OAuth2PermissionGrant, PasswordCredential, Read, ServicePrincipal,
    typed,
};
use crate::remote::verify::Results;
use crate::secret::Secret;
use crate::tr;

/// What the operations of one run hand each other.
#[derive(Default)]
pub struct Done {
    /// The ids Graph handed out so far.
    pub ids: Ids,
    /// Anything made in this run (the live check then waits out replication).
    pub fresh: bool,
    /// The live check's results, once it ran.
    pub results: Option<Results>,
}

/// Whether the run goes on after an operation.
pub enum Flow {
    Next,
    /// The live check did not pass: what follows (removing an old secret) needs it.
    End,
}

/// One operation of the plan; the steps of the parts in `skip` stay unticked.
pub async fn run_op(
    graph: &Graph,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    op: &Op,
    done: &mut Done,
    skip: &[&str],
) -> Result<Flow, Stop> {
    match op {
        Op::CreateApp { key, .. } => create_app(graph, ctx, run, op, done, key).await?,
        Op::UpdateApp { .. } => {
            send(graph, run, op, &op.writes(&done.ids)[0], &Settle::None).await?;
            let what = tr!(
                run.lang,
                "app registration updated",
                "App-Registrierung geändert"
            );
            mark(ctx, run, "app", Some(what)).await?;
        }
        Op::AddOwner {
            app, user_id, user, ..
        } => {
            let settle = Settle::Owner {
                object_id: object_id(app, &done.ids),
                user_id: user_id.clone(),
            };
            send(graph, run, op, &op.writes(&done.ids)[0], &settle).await?;
            run.say(&tr!(
                run.lang,
                "✓ {user} is an owner of the app",
                "✓ {user} ist Besitzer der App",
                user = user,
            ));
        }
        Op::CreateServicePrincipal { app } => {
            service_principal(graph, ctx, run, op, done, app).await?;
        }
        Op::RemoveSecret {
            app, key_id, hint, ..
        } => remove_secret(graph, run, op, &done.ids, (app, key_id, hint)).await?,
        Op::AddSecret { app, end, .. } => add_secret(graph, ctx, run, op, done, (app, end)).await?,
        Op::GrantScopes {
            sp, graph_sp, add, ..
        } => grant_scopes(graph, run, op, &done.ids, (sp, graph_sp, add)).await?,
        Op::AssignRoles { sp, roles, .. } => {
            // One write per role, in the order of `roles`.
            let sp_id = sp_id(sp, &done.ids);
            for (w, role) in op.writes(&done.ids).iter().zip(roles) {
                let settle = Settle::Role {
                    sp: sp_id.clone(),
                    role: role.id.clone(),
                };
                send(graph, run, op, w, &settle).await?;
            }
        }
        Op::DeleteApp { client_id, .. } => {
            delete_app(graph, ctx, run, op, &done.ids, client_id).await?;
        }
        Op::LiveCheck { .. } => return live_check(ctx, run, done, skip).await,
    }
    Ok(Flow::Next)
}

fn object_id(app: &AppRef, ids: &Ids) -> String {
    match app {
        AppRef::Known { object_id, .. } => object_id.clone(),
        AppRef::New => ids.object_id.clone().unwrap_or_default(),
    }
}

fn sp_id(sp: &SpRef, ids: &Ids) -> String {
    match sp {
        SpRef::Known(id) => id.clone(),
        SpRef::New => ids.sp_id.clone().unwrap_or_default(),
    }
}

/// The application, under the key saved first; an answer without a body (it existed: made
/// by a run that was cut off) is read back by that key.
async fn create_app(
    graph: &Graph,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    op: &Op,
    done: &mut Done,
    key: &str,
) -> Result<(), Stop> {
    run.record(|p| applied::app_key(p, key, (ctx.now)()))
        .await?;
    let made = send(graph, run, op, &op.writes(&done.ids)[0], &Settle::None).await?;
    let made: Application = if made.is_null() {
        let path = [Seg::Key {
            set: "applications",
            property: "uniqueName",
            value: key.to_string(),
        }];
        read::get(graph, run, Read::Application, &path, true)
            .await?
            .ok_or_else(|| {
                Stop::BadAnswer(BadAnswer::NotReadBack {
                    key: key.to_string(),
                })
            })?
    } else {
        typed(Read::Written, made).map_err(Stop::Read)?
    };
    let a = read::app_state(&made)?;
    done.fresh = true;
    done.ids.object_id = Some(a.id.clone());
    done.ids.client_id = Some(a.app_id.clone());
    // Recorded at once: a run after an interruption finds this app.
    run.record(|p| applied::app_made(p, &a.id, &a.app_id, (ctx.now)()))
        .await?;
    let what = tr!(
        run.lang,
        "app registration {client_id}: both redirect URIs, the API permissions",
        "App-Registrierung {client_id}: beide Umleitungs-URIs, die API-Berechtigungen",
        client_id = a.app_id,
    );
    mark(ctx, run, "app", Some(what)).await
}

async fn service_principal(
    graph: &Graph,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    op: &Op,
    done: &mut Done,
    app: &AppRef,
) -> Result<(), Stop> {
    let client_id = match app {
        AppRef::Known { client_id, .. } => client_id.clone(),
        AppRef::New => done.ids.client_id.clone().unwrap_or_default(),
    };
    let settle = Settle::Sp(client_id);
    let sp = send(graph, run, op, &op.writes(&done.ids)[0], &settle).await?;
    let sp: ServicePrincipal = typed(Read::Written, sp).map_err(Stop::Read)?;
    let id = guid(&sp.id)?;
    done.fresh = true;
    done.ids.sp_id = Some(id.clone());
    run.record(|p| applied::service_principal_made(p, &id, (ctx.now)()))
        .await?;
    run.say(&tr!(
        run.lang,
        "✓ service principal (Enterprise application)",
        "✓ Dienstprinzipal (Unternehmensanwendung)"
    ));
    Ok(())
}

async fn remove_secret(
    graph: &Graph,
    run: &mut Run<'_>,
    op: &Op,
    ids: &Ids,
    (app, key_id, hint): (&AppRef, &String, &String),
) -> Result<(), Stop> {
    let settle = Settle::KeyGone {
        object_id: object_id(app, ids),
        key: key_id.clone(),
    };
    send(graph, run, op, &op.writes(ids)[0], &settle).await?;
    // The rotation's old secret gone: the rotation is over.
    run.record(|p| applied::secret_removed(p, key_id)).await?;
    run.say(&tr!(
        run.lang,
        "✓ client secret {hint}… (key {key}) removed",
        "✓ geheimer Clientschlüssel {hint}… (Schlüssel {key}) entfernt",
        hint = hint,
        key = key_id,
    ));
    Ok(())
}

/// A new client secret. Its start (whole seconds) and a random mark in its description are
/// saved first: should the value never arrive, a rerun finds this secret by both and removes
/// it, and no other secret that merely starts at the same second. A value that is not usable
/// is never stored, and the credential it came with goes again.
async fn add_secret(
    graph: &Graph,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    op: &Op,
    done: &mut Done,
    (app, end): (&AppRef, &String),
) -> Result<(), Stop> {
    let start = (ctx.now)().to_string();
    let marker = format!("azreg-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    run.record(|p| applied::secret_pending(p, &start, &marker))
        .await?;
    done.ids.start = Some(start);
    done.ids.marker = Some(marker);
    let added = match send(graph, run, op, &op.writes(&done.ids)[0], &Settle::None).await {
        Ok(added) => added,
        Err(Stop::Refused {
            error: GraphError::Refused { code, message, .. },
            ..
        }) if code.ends_with("AsPerAppPolicy") => {
            // No credential was made: nothing pending.
            run.record(applied::secret_not_made).await?;
            return Err(Stop::SecretPolicy(
                super::write::policy_refusal(graph, &code, &message, end, ctx.today).await,
            ));
        }
        Err(e) => return Err(e),
    };
    // A shape that is not a credential is one without a usable value.
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
        if let Some(key) = &key {
            let gone = Op::RemoveSecret {
                app: app.clone(),
                key_id: key.clone(),
                hint: String::new(),
                why: plan::RemoveWhy::Orphaned,
            };
            let _ = send(graph, run, &gone, &gone.writes(&done.ids)[0], &Settle::None).await;
        }
        run.record(applied::secret_not_made).await?;
        return Err(Stop::BadAnswer(BadAnswer::SecretValue));
    }
    done.fresh = true;
    let secret = applied::NewSecret {
        value,
        key_id: key,
        end,
        azure_end: added.end_date_time.as_ref().map(|e| e.as_str().to_string()),
        renewal: ctx.renewal,
    };
    run.record(|p| applied::secret_added(p, ctx.procedure, &secret, (ctx.today, (ctx.now)())))
        .await?;
    let what = if ctx.renewal {
        tr!(
            run.lang,
            "new client secret (value saved, valid until {end}); enter it in Intrexx (New registration - Authentication)",
            "neuer geheimer Clientschlüssel (Wert gespeichert, gültig bis {end}); tragen Sie ihn in Intrexx ein (Neue Registrierung – Authentifizierung)",
            end = end,
        )
    } else {
        tr!(
            run.lang,
            "client secret (value saved, valid until {end})",
            "geheimer Clientschlüssel (Wert gespeichert, gültig bis {end})",
            end = end,
        )
    };
    mark(ctx, run, "secret", Some(what)).await
}

/// A secret value as Graph handed it out, checked like one typed in: else never stored.
fn usable_secret(s: &str) -> bool {
    (16..=128).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '~' | '-'))
        && !crate::core::fields::is_guid(s)
}

/// The tenant-wide grant; one that was there after all (409) but lacks scopes gets them.
async fn grant_scopes(
    graph: &Graph,
    run: &mut Run<'_>,
    op: &Op,
    ids: &Ids,
    (sp, graph_sp, add): (&SpRef, &String, &[String]),
) -> Result<(), Stop> {
    let settle = Settle::Grant {
        sp: sp_id(sp, ids),
        graph_sp: graph_sp.clone(),
    };
    let got = send(graph, run, op, &op.writes(ids)[0], &settle).await?;
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
    Ok(())
}

/// The app deleted. A "not found" is not taken as gone: a replica that has not seen the app
/// answers so too (src/docs/graph.md, replication lag); the delete is sent again until one
/// answers 204, within the budget. The ids go into the history.
async fn delete_app(
    graph: &Graph,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    op: &Op,
    ids: &Ids,
    client_id: &str,
) -> Result<(), Stop> {
    send(graph, run, op, &op.writes(ids)[0], &Settle::None).await?;
    run.record(|p| applied::app_deleted(p, (ctx.now)())).await?;
    run.say(&tr!(
        run.lang,
        "✓ app registration {client_id} deleted (restorable for 30 days under Deleted applications); its ids are kept in the record's history",
        "✓ App-Registrierung {client_id} gelöscht (30 Tage lang unter „Gelöschte Anwendungen“ wiederherstellbar); ihre IDs bleiben im Verlauf des Datensatzes",
        client_id = client_id,
    ));
    Ok(())
}

/// The live check, after the steps of every part the run finished are ticked. A secret azreg
/// itself made (its key recorded) that never passed a check is as new as one made in this
/// run: a run cut off before the check must not take replication for a wrong secret.
async fn live_check(
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
    done: &mut Done,
    skip: &[&str],
) -> Result<Flow, Stop> {
    for part in ctx.parts.iter().filter(|p| !skip.contains(p)) {
        mark(ctx, run, part, None).await?;
    }
    let unproven = run.progress.secret_key_id.is_some() && run.progress.last_verified.is_none();
    let r = super::write::live_check(ctx, run, done.fresh || unproven).await?;
    let passed = r.credentials_ok();
    done.results = Some(r);
    // What follows (removing an old secret) needs a passed check.
    Ok(if passed { Flow::Next } else { Flow::End })
}
