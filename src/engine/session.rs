//! One run against a tenant, the same for every front end that signs in (`apply`, `plan`, the
//! walkthrough's "let azreg do it" in the full screen and in plain mode): sign in, find the
//! target, plan, show the plan and ask, do exactly that, journaled. The rules live here once:
//! who is signed in and where (the tenant check is the plan's), where the secret may go (the
//! Microsoft authority, or one named on this command line; one only the record names is
//! marked in the plan and asked about), the confirmation, the journal before the first write,
//! one time budget for the whole run, a rotation finished only on proof.

use time::Date;
use toml::value::Datetime;

use super::prepare::{backoff, check_target, ctx, make_plan};
use super::run::Front;
use super::{JobError, Run};
use crate::core::plan::{self, Goal, Plan, record};
use crate::core::procedure::Procedure;
use crate::core::progress::{Progress, Rotation};
use crate::remote::graph::Graph;
use crate::remote::signin::login::{self, SignIn};
use crate::remote::verify::Results;
use crate::tr;

/// What one run is asked to do.
pub struct Request<'r> {
    pub procedure: &'r Procedure,
    pub sign_in: &'r SignIn,
    /// The record as the run starts (the command line holds its file locked from before).
    pub progress: Progress,
    pub goal: Goal,
    /// The plan's choices (`new_key`, `new_secret`, `new_app`, `adopt`); the live check's
    /// target and the end of a rotation are set here.
    pub options: plan::Options,
    /// An identity platform named on this command line (trusted as the admin's choice).
    pub authority: Option<&'r str>,
    /// Seconds the whole run may wait for replication and throttling.
    pub wait: Option<u64>,
    pub today: Date,
    pub now: fn() -> Datetime,
    /// Show the plan and stop (`azreg plan`, `--dry-run`).
    pub plan_only: bool,
    /// The admin said Intrexx uses the new secret (`--intrexx-updated`).
    pub intrexx_updated: bool,
}

/// How a run ended short of an error.
#[derive(Debug)]
pub enum Ended {
    /// The plan, shown only (`plan_only`).
    Planned(Box<Plan>),
    /// Nothing to write: the tenant holds what the record asks for.
    NothingToDo(Box<Plan>),
    /// Done; the live check's results when it ran.
    Done(Option<Results>),
}

/// Sign in, then [`act`].
pub async fn run(front: &mut dyn Front, req: Request<'_>) -> Result<Ended, JobError> {
    let lang = req.procedure.lang();
    let graph = login::graph(req.sign_in, lang, &mut |p| front.prompt(&p))
        .await
        .map_err(JobError::Login)?;
    act(front, &graph, req).await
}

/// Sign in and read the registration back, GETs only ("check in Azure", `doctor`, `secrets`,
/// `check --online`, and before `secrets remove` and `delete` plan): the app the record names,
/// or `client_id` when one is named; within one budget.
pub async fn examine(
    front: &mut dyn Front,
    sign_in: &SignIn,
    (progress, client_id): (&Progress, Option<&str>),
    (lang, wait): (crate::i18n::Lang, Option<u64>),
) -> Result<(Graph, plan::Tenant), JobError> {
    let graph = login::graph(sign_in, lang, &mut |p| front.prompt(&p))
        .await
        .map_err(JobError::Login)?;
    let recorded = record::recorded(progress).map_err(JobError::BadRecord)?;
    let mut reading = Run::new(progress.clone(), lang, backoff(wait), Box::new(&mut *front));
    let tenant = super::prepare::read_registration(&graph, &mut reading, &recorded, client_id)
        .await
        .map_err(JobError::Stopped)?;
    drop(reading);
    Ok((graph, tenant))
}

/// Plan, show, ask, do: everything after the sign-in.
pub async fn act(
    front: &mut dyn Front,
    graph: &Graph,
    req: Request<'_>,
) -> Result<Ended, JobError> {
    let lang = req.procedure.lang();
    let recorded = record::recorded(&req.progress).map_err(JobError::BadRecord)?;
    // The secret goes to Microsoft's authority of this cloud, or to one named on the command
    // line; one only the record names is marked in the plan (and `--yes` does not cover it).
    let (authority, check) =
        check_target(req.authority, &req.progress, &graph.root()).map_err(JobError::Authority)?;
    // One budget for every wait of this run, reads and writes together.
    let backoff = backoff(req.wait);
    let finishing = rotation_finished(front, graph, &req, backoff.clone()).await?;
    let options = plan::Options {
        check: Some(check),
        today: Some(req.today),
        finish_rotation: finishing && matches!(req.goal, Goal::Register(_)),
        ..req.options.clone()
    };
    let plan = {
        let mut reading = Run::new(
            req.progress.clone(),
            lang,
            backoff.clone(),
            Box::new(&mut *front),
        );
        make_plan(graph, &mut reading, &req.goal, &recorded, &options)
            .await
            .map_err(JobError::Stopped)?
            .map_err(JobError::Refused)?
    };
    if req.plan_only {
        return Ok(Ended::Planned(Box::new(plan)));
    }
    if plan.is_empty() {
        return Ok(Ended::NothingToDo(Box::new(plan)));
    }
    let ctx = ctx(req.now, req.procedure, req.today, authority, &req.goal);
    carry(front, graph, &plan, &ctx, (req.progress, backoff)).await
}

/// A plan made: shown and asked about through the front end, the journal made ready, then done
/// exactly as shown. Every write to a tenant goes through here (`apply`, the walkthrough,
/// `secrets remove`, `delete`).
pub async fn carry(
    front: &mut dyn Front,
    graph: &Graph,
    plan: &Plan,
    ctx: &super::Ctx<'_>,
    (progress, backoff): (Progress, super::Backoff),
) -> Result<Ended, JobError> {
    // Nothing is written before the admin saw the plan and said yes.
    if !front.confirm(plan).await {
        return Err(JobError::Declined);
    }
    // No write without its account: a journal that cannot be kept safely stops the run here.
    front.ready().map_err(JobError::Journal)?;
    let lang = ctx.procedure.lang();
    let mut run = Run::new(progress, lang, backoff, Box::new(&mut *front));
    super::execute(graph, plan, ctx, &mut run)
        .await
        .map(Ended::Done)
        .map_err(JobError::Stopped)
}

/// Whether the rotation in progress may end: Graph's credential activity report shows Intrexx
/// signed in with the new secret after the rotation began and after azreg's own check (which
/// signs in too); where the tenant does not offer the report or shows no such sign-in, the
/// admin's word (`--intrexx-updated`, or asked) decides when the run asks to finish one. A
/// plain run finishes it only on the report's evidence.
async fn rotation_finished(
    front: &mut dyn Front,
    graph: &Graph,
    req: &Request<'_>,
    backoff: super::Backoff,
) -> Result<bool, JobError> {
    let Some(rot) = &req.progress.rotation else {
        return Ok(false);
    };
    let asked = match req.goal {
        Goal::FinishRotation if req.intrexx_updated => return Ok(true),
        Goal::FinishRotation => true,
        Goal::Register(_) => false,
        Goal::Renew { .. } => return Ok(false),
    };
    let lang = req.procedure.lang();
    let client = req
        .progress
        .values
        .get("client_id")
        .cloned()
        .unwrap_or_default();
    let report = {
        let mut reading = Run::new(req.progress.clone(), lang, backoff, Box::new(&mut *front));
        super::read::credential_activity(graph, &mut reading, &client)
            .await
            .map_err(JobError::Stopped)?
    };
    let said = match (&report, new_key_used(&req.progress, rot, report.as_deref())) {
        (Some(_), Some(at)) => {
            front.notice(&tr!(
                lang,
                "Graph's credential activity report shows the new secret in use (last sign-in {at}): Intrexx has it",
                "Der Bericht zur Anmeldeaktivität in Graph zeigt den neuen Schlüssel in Gebrauch (letzte Anmeldung {at}): Intrexx hat ihn",
                at = at,
            ));
            return Ok(true);
        }
        (Some(_), None) => tr!(
            lang,
            "Graph's credential activity report shows no sign-in with the new secret since the rotation began (the report may lag by hours)",
            "Der Bericht zur Anmeldeaktivität in Graph zeigt seit Beginn der Rotation keine Anmeldung mit dem neuen Schlüssel (der Bericht kann Stunden nachhinken)"
        ),
        (None, _) => tr!(
            lang,
            "this tenant does not offer Graph's credential activity report to this account (it needs Microsoft Entra ID P1 or P2 and a role such as Reports Reader): your word decides",
            "dieser Mandant bietet diesem Konto den Bericht zur Anmeldeaktivität in Graph nicht an (er braucht Microsoft Entra ID P1 oder P2 und eine Rolle wie Berichtsleser): Ihr Wort entscheidet"
        ),
    };
    if !asked {
        return Ok(false);
    }
    front.notice(&said);
    let question = tr!(
        lang,
        "Does Intrexx use the new client secret (entered under Authentication, connector tested)? [y/N] ",
        "Nutzt Intrexx den neuen geheimen Clientschlüssel (unter Authentifizierung eingetragen, Connector getestet)? [j/N] "
    );
    if front.ask(&question).await {
        Ok(true)
    } else {
        Err(JobError::NotSwitched {
            old_hint: rot.old_hint.clone().unwrap_or_else(|| "?".into()),
        })
    }
}

/// The latest sign-in with the rotation's new secret that is Intrexx's: after the rotation
/// began and after azreg's own check (the record keeps whole seconds, and the check's sign-in
/// comes just before its time is recorded: a margin keeps it from passing for Intrexx's).
fn new_key_used(
    progress: &Progress,
    rot: &Rotation,
    report: Option<&[crate::remote::graph::AppCredentialSignInActivity]>,
) -> Option<String> {
    use crate::remote::graph::GraphTime;
    let new_key = progress.secret_key_id.as_deref().unwrap_or_default();
    let used = report?
        .iter()
        .filter(|a| a.key_id.eq_ignore_ascii_case(new_key))
        .filter_map(|a| a.sign_in_activity.last_sign_in_date_time.clone())
        .max_by_key(GraphTime::instant)?;
    let instant = |t: &Datetime| GraphTime::parse(&t.to_string()).and_then(|t| t.instant());
    let since = [Some(rot.since), progress.last_verified]
        .iter()
        .flatten()
        .filter_map(instant)
        .max()
        .map(|t| t + time::Duration::seconds(3));
    since
        .is_none_or(|s| used.instant().is_some_and(|a| a > s))
        .then(|| used.as_str().to_string())
}
