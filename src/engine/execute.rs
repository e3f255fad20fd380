//! Executing a confirmed plan: each operation's writes exactly as `plan::Op::writes` spells
//! them, answers taken as `plan::take` says (lag and throttling waited out within the budget,
//! "exists" settled by a read), what Graph hands out checked and saved before the next write,
//! each write journaled, the procedure's steps ticked as their parts are done.

use super::ops::{Done, Flow, run_op};
use super::write::{Ctx, is_denied, mark};
use super::{Denied, NotAllowed, Run, Stop};
use crate::core::edit::applied;
use crate::core::plan::{Ids, Op, Plan};
use crate::remote::graph::Graph;
use crate::remote::verify::Results;
use crate::tr;

/// Execute `plan` exactly as shown; the live check's results when it ran.
pub async fn execute(
    graph: &Graph,
    plan: &Plan,
    ctx: &Ctx<'_>,
    run: &mut Run<'_>,
) -> Result<Option<Results>, Stop> {
    let lang = run.lang;

    run.who = plan.who.clone();
    let mut done = Done::default();
    // The tenant the plan was made for (the plan refused any other), and the app and service
    // principal it found: recorded before the first write (the history keeps what they
    // replace, as after --adopt).
    run.record(|p| {
        applied::plan_found(
            p,
            (&plan.who.tenant_id, plan.app.as_ref(), plan.sp.as_deref()),
            plan.in_use_end.as_deref(),
            (ctx.now)(),
        );
    })
    .await?;
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
        match run_op(graph, ctx, run, op, &mut done, skip).await {
            Ok(Flow::Next) => {}
            Ok(Flow::End) => return Ok(done.results),
            Err(e) if is_denied(&e) && skippable => {
                denied.push(Denied::of(op));
                continue;
            }
            Err(e) if is_denied(&e) => {
                denied.push(Denied::of(op));
                return Err(not_allowed(
                    denied,
                    op.part().or(Some("app")),
                    run,
                    &done.ids,
                ));
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
        return Err(not_allowed(denied, None, run, &done.ids));
    }
    Ok(done.results)
}
