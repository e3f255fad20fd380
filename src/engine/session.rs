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
use crate::core::report::Report;
use crate::remote::graph::Graph;
use crate::remote::signin::login::{self, SignIn};
use crate::remote::verify::Results;
use crate::tr;

/// What the admin asked for, before the record is read: the registration, or a renewal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The registration as the record asks for it; its secret ending `secret_end` instead of
    /// the expiry recorded at the secret's step.
    Register { secret_end: Option<String> },
    /// Only a new client secret ending `end` for the recorded app; `remove_old`: the old one
    /// goes in the same run, after the live check.
    Renew { end: String, remove_old: bool },
    /// End the rotation under way (its old secret removed once Intrexx uses the new one).
    FinishRotation,
}

/// What one run is asked to do. The record is the front end's ([`Front::record`]): the run
/// reads it there, so what it checks is what the front end holds.
pub struct Request<'r> {
    pub procedure: &'r Procedure,
    /// How to sign in, as asked; the record adds its tenant. An identity platform named here
    /// is trusted as the admin's choice for the secret too.
    pub sign_in: login::Asked,
    pub ask: Ask,
    /// The plan's choices (`new_key`, `new_secret`, `new_app`, `adopt`); the live check's
    /// target and the end of a rotation are set here.
    pub options: plan::Options,
    /// Seconds the whole run may wait for replication and throttling.
    pub wait: Option<u64>,
    pub today: Date,
    pub now: fn() -> Datetime,
    /// Show the plan and stop (`azreg plan`, `--dry-run`).
    pub plan_only: bool,
    /// The admin said Intrexx uses the new secret (`--intrexx-updated`).
    pub intrexx_updated: bool,
}

/// What a run needs before anyone signs in, checked against the record.
#[derive(Debug)]
pub struct Prepared {
    pub goal: Goal,
    /// The ids on file, checked.
    pub recorded: plan::Recorded,
    pub sign_in: SignIn,
}

/// The goal the record and the ask make, the ids on file checked, the sign-in: everything
/// that can be refused before a sign-in (the walkthrough asks it before it starts a run too).
pub fn prepare(
    procedure: &Procedure,
    progress: &Progress,
    today: Date,
    (ask, sign_in): (&Ask, &login::Asked),
) -> Result<Prepared, JobError> {
    let r = Report::new(procedure, progress, today);
    let goal = match ask {
        Ask::Register { secret_end } => {
            let mut d = record::desired(&r, false).map_err(JobError::Unusable)?;
            if let Some(end) = secret_end {
                d.secret.end.clone_from(end);
            }
            Goal::Register(d)
        }
        Ask::Renew { end, remove_old } => Goal::Renew {
            secret: plan::SecretSpec {
                description: progress
                    .values
                    .get("secret_description")
                    .cloned()
                    .unwrap_or_else(|| "Intrexx connector".into()),
                end: end.clone(),
            },
            remove_old: *remove_old,
        },
        Ask::FinishRotation if progress.rotation.is_none() => return Err(JobError::NoRotation),
        Ask::FinishRotation => Goal::FinishRotation,
    };
    let recorded = record::recorded(progress).map_err(JobError::BadRecord)?;
    let sign_in = sign_in.with(progress).map_err(JobError::Login)?;
    Ok(Prepared {
        goal,
        recorded,
        sign_in,
    })
}

/// How a run ended short of an error.
#[derive(Debug)]
pub enum Ended {
    /// The plan, shown only (`plan_only`).
    Planned(Box<Plan>),
    /// Nothing to write: the tenant holds what the record asks for. `rotation_closed`: the
    /// rotation's old secret was gone already (removed in the portal), so it is closed.
    NothingToDo {
        plan: Box<Plan>,
        rotation_closed: bool,
    },
    /// Done; the live check's results when it ran.
    Done(Option<Results>),
}

/// Read the record from the front end (held for a run that writes), check what can be
/// checked before anyone signs in, sign in, then [`act`].
pub async fn run(front: &mut dyn Front, req: Request<'_>) -> Result<Ended, JobError> {
    let lang = req.procedure.lang();
    // From here nothing changes the record between the plan and the writes but this run.
    let progress = front.record(!req.plan_only).map_err(JobError::Record)?;
    let prepared = prepare(
        req.procedure,
        &progress,
        req.today,
        (&req.ask, &req.sign_in),
    )?;
    let graph = login::graph(&prepared.sign_in, lang, &mut |p| front.prompt(&p))
        .await
        .map_err(JobError::Login)?;
    act(front, &graph, &req, (prepared, progress)).await
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
async fn act(
    front: &mut dyn Front,
    graph: &Graph,
    req: &Request<'_>,
    (prepared, progress): (Prepared, Progress),
) -> Result<Ended, JobError> {
    let lang = req.procedure.lang();
    let Prepared { goal, recorded, .. } = prepared;
    // The secret goes to Microsoft's authority of this cloud, or to one named on the command
    // line; one only the record names is marked in the plan (and `--yes` does not cover it).
    let (authority, check) =
        check_target(req.sign_in.authority.as_deref(), &progress, &graph.root())
            .map_err(JobError::Authority)?;
    // One budget for every wait of this run, reads and writes together.
    let backoff = backoff(req.wait);
    let finishing =
        rotation_finished(front, graph, (req, &goal, &progress), backoff.clone()).await?;
    let options = plan::Options {
        check: Some(check),
        today: Some(req.today),
        finish_rotation: finishing && matches!(goal, Goal::Register(_)),
        ..req.options.clone()
    };
    let plan = {
        let mut reading = Run::new(
            progress.clone(),
            lang,
            backoff.clone(),
            Box::new(&mut *front),
        );
        make_plan(graph, &mut reading, &goal, &recorded, &options)
            .await
            .map_err(JobError::Stopped)?
            .map_err(JobError::Refused)?
    };
    if req.plan_only {
        return Ok(Ended::Planned(Box::new(plan)));
    }
    if plan.is_empty() {
        let rotation_closed =
            goal == Goal::FinishRotation && close_rotation(front, progress).await?;
        return Ok(Ended::NothingToDo {
            plan: Box::new(plan),
            rotation_closed,
        });
    }
    let ctx = ctx(req.now, req.procedure, req.today, authority, &goal);
    carry(front, graph, &plan, &ctx, (progress, backoff)).await
}

/// A rotation to finish whose old secret is no longer on the app (removed in the portal):
/// closed in the record, saved.
async fn close_rotation(front: &mut dyn Front, mut progress: Progress) -> Result<bool, JobError> {
    if !crate::core::edit::applied::rotation_closed(&mut progress) {
        return Ok(false);
    }
    front
        .save(&progress)
        .await
        .map_err(|e| JobError::Stopped(super::Stop::Saving(e)))?;
    Ok(true)
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
    (req, goal, progress): (&Request<'_>, &Goal, &Progress),
    backoff: super::Backoff,
) -> Result<bool, JobError> {
    let Some(rot) = &progress.rotation else {
        return Ok(false);
    };
    let asked = match goal {
        Goal::FinishRotation if req.intrexx_updated => return Ok(true),
        Goal::FinishRotation => true,
        Goal::Register(_) => false,
        Goal::Renew { .. } => return Ok(false),
    };
    let lang = req.procedure.lang();
    let client = progress
        .values
        .get("client_id")
        .cloned()
        .unwrap_or_default();
    let report = {
        let mut reading = Run::new(progress.clone(), lang, backoff, Box::new(&mut *front));
        super::read::credential_activity(graph, &mut reading, &client)
            .await
            .map_err(JobError::Stopped)?
    };
    let said = match (&report, new_key_used(progress, rot, report.as_deref())) {
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
            old_hint: rot.hint_shown(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::signin::login::Login;

    /// A whole registration's values, but no tenant yet.
    fn record(pr: &Procedure) -> Progress {
        let mut p = Progress::new(&pr.id);
        for (k, v) in crate::core::fixtures::FULL {
            if *k != "tenant_id" {
                p.values.insert((*k).into(), (*v).into());
            }
        }
        p
    }

    /// What can be refused is refused before anyone signs in, for every front end alike.
    #[test]
    fn the_gate_before_the_sign_in_holds_the_ask_against_the_record() {
        let pr = Procedure::embedded().unwrap();
        let today = time::macros::date!(2026 - 12 - 06);
        let browser = login::Asked::plain(Login::Browser);
        let mut p = record(&pr);
        let register = Ask::Register {
            secret_end: Some("2027-01-31".into()),
        };
        let got = prepare(&pr, &p, today, (&register, &browser)).unwrap();
        let Goal::Register(d) = got.goal else {
            panic!("{:?}", got.goal)
        };
        assert_eq!(d.secret.end, "2027-01-31", "--expires wins over the record");
        assert_eq!(got.sign_in.tenant, "organizations");
        // Finishing a rotation that is not under way.
        assert_eq!(
            prepare(&pr, &p, today, (&Ask::FinishRotation, &browser)).unwrap_err(),
            JobError::NoRotation
        );
        // The recorded tenant is the sign-in's; an id on file that is no GUID stops the run.
        p.values.insert(
            "tenant_id".into(),
            "0b1c2d3e-1111-2222-3333-444455556666".into(),
        );
        let renew = Ask::Renew {
            end: "2027-06-04".into(),
            remove_old: false,
        };
        let got = prepare(&pr, &p, today, (&renew, &browser)).unwrap();
        assert_eq!(got.sign_in.tenant, "0b1c2d3e-1111-2222-3333-444455556666");
        assert!(matches!(
            got.goal,
            Goal::Renew { ref secret, remove_old: false }
                if secret.end == "2027-06-04" && secret.description == "Intrexx connector"
        ));
        p.app_object_id = Some("../../me".into());
        assert!(matches!(
            prepare(&pr, &p, today, (&renew, &browser)).unwrap_err(),
            JobError::BadRecord(_)
        ));
        // Values missing: nothing to register.
        p = Progress::new(&pr.id);
        assert!(matches!(
            prepare(&pr, &p, today, (&register, &browser)).unwrap_err(),
            JobError::Unusable(_)
        ));
        // A sign-in the options make impossible (plain http) is refused here too.
        let http = login::Asked {
            authority: Some("http://login.example".into()),
            ..browser.clone()
        };
        assert!(matches!(
            prepare(&pr, &record(&pr), today, (&register, &http)).unwrap_err(),
            JobError::Login(_)
        ));
    }
}
