//! `azreg apply` and `azreg plan`: the registration through Microsoft Graph after one sign-in,
//! as Terraform's plan/apply (src/docs/architecture.md, "Plan, then act"): read the tenant (GETs only), make
//! the plan (`plan::build`), show it with who is signed in and where, ask (or `--yes`), then
//! let the engine do exactly that, journaled. `azreg plan` and `--dry-run` stop after showing.
//!
//! Identity is never a guess: the app is the one the record names, or `--adopt`'s; another
//! tenant, an unknown client ID or an app of the same name stop before any write.
//!
//! The sign-in (`sign_in`) is the browser's by default, a device code, or the Azure CLI's
//! token; the walkthrough runs the same steps on a thread of its own (`walkthrough`).

use crate::i18n::Worded;
use std::io::{IsTerminal, Write};

use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::core::plan::record::renewal_end;
use crate::core::plan::{self, Plan};
use crate::core::procedure::Procedure;
use crate::engine::{self, Stop, session};
use crate::i18n::Lang;
use crate::tr;

pub(crate) mod front;
mod sign_in;

/// `azreg apply`: the sign-in options and the plan's choices.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// Show the plan and change nothing (as azreg plan)
    #[arg(long)]
    pub dry_run: bool,
    /// Do the plan without asking (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Take over this existing app (its client ID) instead of creating one; the plan shows
    /// what changes on it
    #[arg(long, value_name = "CLIENT_ID", conflicts_with = "renew")]
    pub adopt: Option<String>,
    /// Create a new app although the record names one this tenant does not have (the old
    /// IDs stay in the history)
    #[arg(long, conflicts_with_all = ["renew", "adopt"])]
    pub new_app: bool,
    /// Add a client secret although the recorded one is in place
    #[arg(long, conflicts_with = "renew")]
    pub new_secret: bool,
    /// Only a new client secret for the recorded app (its value saved first), then the
    /// live check with it
    #[arg(long)]
    pub renew: bool,
    /// When the new secret expires, as YYYY-MM-DD or days from today [default: with
    /// --renew the recommended 180 days, else the expiry recorded at step 19] (a tenant's
    /// policy may allow less)
    #[arg(long, value_name = "DATE|DAYS")]
    pub expires: Option<String>,
    /// Finish a rotation: remove the old secret once Intrexx uses the new one (asked in a
    /// terminal, else --intrexx-updated). With --renew: the old secret stays until then, and
    /// the plan says how to switch Intrexx
    #[arg(long)]
    pub remove_old: bool,
    /// With --remove-old: Intrexx has the new value and the connector was tested with it
    #[arg(long, requires = "remove_old")]
    pub intrexx_updated: bool,
    /// With --renew: remove the old secret in the same run, after the live check (the
    /// connector stops until Intrexx has the new value)
    #[arg(long, requires = "renew", conflicts_with = "remove_old")]
    pub remove_old_now: bool,
}

/// `azreg plan`.
#[derive(Debug, Clone, clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// The plan as one JSON object
    #[arg(long)]
    pub json: bool,
    /// Plan the take-over of this existing app (its client ID)
    #[arg(long, value_name = "CLIENT_ID")]
    pub adopt: Option<String>,
    /// Plan a new app although the record names one this tenant does not have
    #[arg(long)]
    pub new_app: bool,
    /// Plan a new client secret although the recorded one is in place
    #[arg(long)]
    pub new_secret: bool,
}

pub use sign_in::SignInArgs;
pub(crate) use sign_in::{options as sign_in_options, runtime};

/// What needs the values, in a refusal that names the missing ones.
pub const WHAT: crate::i18n::L = crate::i18n::L::new("azreg apply", "azreg apply");

/// What one `apply` or `plan` run is asked to do (from [`Args`] or [`PlanArgs`]).
#[derive(Debug, Default)]
pub struct ApplyArgs {
    pub sign_in: SignInArgs,
    /// Show the plan and change nothing (`azreg plan`, `apply --dry-run`).
    pub plan_only: bool,
    /// With `plan_only`: the plan as JSON.
    pub json: bool,
    /// `--renew [--expires ...]`: only a new secret (the new expiry, "" for the default).
    pub renew: Option<String>,
    /// Without `--renew`: the new secret's end instead of the recorded expiry.
    pub expires: Option<String>,
    /// With `--renew`: after a passed live check, remove the old secret azreg recorded in the
    /// same run (`--remove-old-now`).
    pub remove_old: bool,
    /// `--remove-old` alone: finish the rotation in progress.
    pub finish_rotation: bool,
    /// `--intrexx-updated`: the admin says Intrexx uses the new secret.
    pub intrexx_updated: bool,
    /// Act without asking (needed without a terminal).
    pub yes: bool,
    /// Take over this app (client ID) explicitly.
    pub adopt: Option<String>,
    /// Create a new app although the record names one this tenant does not have.
    pub new_app: bool,
    /// Add a secret although the recorded one is in place.
    pub new_secret: bool,
}

/// `azreg apply`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(
        env,
        &ApplyArgs {
            sign_in: a.sign_in.clone(),
            plan_only: a.dry_run,
            renew: a.renew.then(|| a.expires.clone().unwrap_or_default()),
            expires: a.expires.clone().filter(|_| !a.renew),
            remove_old: a.remove_old_now,
            finish_rotation: a.remove_old && !a.renew,
            intrexx_updated: a.intrexx_updated,
            yes: a.yes,
            adopt: a.adopt.clone(),
            new_app: a.new_app,
            new_secret: a.new_secret,
            ..Default::default()
        },
        out,
    )
}

/// `azreg plan`: apply's reads and plan, nothing written.
pub fn exec_plan(env: &Env, a: &PlanArgs, out: &mut dyn Write) -> Outcome {
    run(
        env,
        &ApplyArgs {
            sign_in: a.sign_in.clone(),
            plan_only: true,
            json: a.json,
            adopt: a.adopt.clone(),
            new_app: a.new_app,
            new_secret: a.new_secret,
            ..Default::default()
        },
        out,
    )
}

/// What the command asks for; a new secret's end (`--expires`) checked here, before anything
/// is read.
fn ask(args: &ApplyArgs, env: &Env) -> Result<session::Ask, Failure> {
    let lang = env.procedure.lang();
    let end_of = |expires: &str| {
        renewal_end(&env.procedure, env.today, expires).ok_or_else(|| {
            Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "--expires {:?}: a date (YYYY-MM-DD, in the future) or days from today (1 to 730)",
                    "--expires {:?}: ein Datum (JJJJ-MM-TT, in der Zukunft) oder Tage ab heute (1 bis 730)",
                    crate::text::clean_for_display(expires)
                ),
            )
        })
    };
    Ok(if let Some(expires) = &args.renew {
        session::Ask::Renew {
            end: end_of(expires)?,
            remove_old: args.remove_old,
        }
    } else if args.finish_rotation {
        session::Ask::FinishRotation
    } else {
        session::Ask::Register {
            secret_end: args.expires.as_deref().map(end_of).transpose()?,
        }
    })
}

/// How a stop ends the command: its exit code and message.
pub fn stop_failure(s: &Stop, p: &Procedure) -> Failure {
    let code = match s {
        Stop::Unreachable(_) => crate::cli::exit::UNREACHABLE,
        Stop::Read(crate::remote::graph::GraphError::Unreachable(_))
        | Stop::Refused {
            error: crate::remote::graph::GraphError::Unreachable(_),
            ..
        } => crate::cli::exit::UNREACHABLE,
        Stop::Saving(_) => crate::cli::exit::FILE,
        Stop::NotAllowed(_) => crate::cli::exit::NOT_ALLOWED,
        _ => crate::cli::exit::APPLY_STOPPED,
    };
    Failure::new(code, s.message(p))
}

/// Ask on the terminal; without one, only `--yes` acts.
pub(crate) fn confirm(yes: bool, plan: &Plan, lang: Lang) -> Result<(), Failure> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let untrusted = plan.steps.iter().any(|s| {
        s.marks
            .iter()
            .any(|m| matches!(m, plan::Mark::SecretToHost(_)))
    });
    if !interactive {
        if untrusted {
            return Err(Failure::new(
                EXIT_CHECK,
                tr!(
                    lang,
                    "the progress file names another identity platform for the live check, and --yes does not cover sending the new secret there: run azreg apply in a terminal, or name it with --authority; nothing was changed",
                    "die Fortschrittsdatei nennt eine andere Identitätsplattform für die Live-Prüfung, und --yes deckt nicht ab, den neuen Schlüssel dorthin zu senden: führen Sie azreg apply in einem Terminal aus oder nennen Sie sie mit --authority; nichts wurde geändert"
                ),
            ));
        }
        if !yes {
            return Err(Failure::new(
                EXIT_CHECK,
                tr!(
                    lang,
                    "not a terminal: azreg acts only with --yes (the plan above is what it would do); nothing was changed",
                    "kein Terminal: azreg handelt nur mit --yes (der Plan oben ist, was es täte); nichts wurde geändert"
                ),
            ));
        }
    }
    if yes && !untrusted {
        eprintln!(
            "{}",
            tr!(
                lang,
                "azreg: --yes: doing the plan above without asking ({n} marked)",
                "azreg: --yes: der Plan oben wird ohne Rückfrage ausgeführt ({n} markiert)",
                n = plan.marked(),
            )
        );
        return Ok(());
    }
    let marked = plan.marked();
    let question = if marked > 0 {
        tr!(
            lang,
            "{marked} marked (!) above: read them. Do this plan? [y/N] ",
            "{marked} oben markiert (!): lesen Sie sie. Diesen Plan ausführen? [j/N] ",
            marked = marked,
        )
    } else {
        tr!(
            lang,
            "Do this plan? [y/N] ",
            "Diesen Plan ausführen? [j/N] "
        )
    };
    if crate::cli::ask_yes(&question, &mut std::io::stdin().lock()) == Some(true) {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_CHECK,
        tr!(
            lang,
            "not applied: nothing was changed",
            "nicht ausgeführt: nichts wurde geändert"
        ),
    ))
}

/// `--adopt`'s client ID, checked.
fn adopt_id(adopt: Option<&str>, lang: Lang) -> Result<Option<String>, Failure> {
    match adopt {
        Some(a) if crate::core::fields::is_guid(a.trim()) => {
            Ok(Some(a.trim().to_ascii_lowercase()))
        }
        Some(_) => Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "--adopt: a client ID (GUID)",
                "--adopt: eine Client-ID (GUID)"
            ),
        )),
        None => Ok(None),
    }
}

/// What the plan may do, from the command line.
fn options(args: &ApplyArgs, adopt: Option<String>, lang: Lang) -> plan::Options {
    plan::Options {
        // `azreg plan` makes no key: apply makes its own when it runs (and saves it first).
        new_key: if args.plan_only {
            crate::i18n::L::new("azreg-<new GUID>", "azreg-<neue GUID>")
                .get(lang)
                .into()
        } else {
            format!("azreg-{}", uuid::Uuid::new_v4())
        },
        new_secret: args.new_secret,
        new_app: args.new_app,
        adopt,
        // The live check's target, the graph root and the rotation's end: set by the session.
        ..plan::Options::default()
    }
}

/// The plan shown (as JSON for `plan --json`); whether the command ends here (`plan`,
/// `--dry-run`).
fn show(plan: &Plan, args: &ApplyArgs, lang: Lang, out: &mut dyn Write) -> Result<bool, Failure> {
    let io = |e: std::io::Error| Failure::write(e, lang);
    if args.plan_only && args.json {
        write!(out, "{}", crate::cli::json_text(plan.to_json(lang))).map_err(io)?;
        return Ok(true);
    }
    write!(out, "{}", plan.text(lang)).map_err(io)?;
    out.flush().map_err(io)?;
    if args.plan_only && !plan.is_empty() {
        writeln!(
            out,
            "{}",
            tr!(
                lang,
                "(nothing was changed: azreg apply does this after you confirm it)",
                "(nichts wurde geändert: azreg apply tut dies, nachdem Sie es bestätigt haben)"
            )
        )
        .map_err(io)?;
    }
    Ok(args.plan_only)
}

/// The command: what it asks, handed to the one run every front end shares
/// (`engine::session`: the record read and locked, sign in, plan, ask, do); its end worded here.
pub fn run(env: &Env, args: &ApplyArgs, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    let request = session::Request {
        procedure: &env.procedure,
        sign_in: args.sign_in.asked(),
        ask: ask(args, env)?,
        options: options(args, adopt_id(args.adopt.as_deref(), lang)?, lang),
        wait: args.sign_in.wait,
        today: env.today,
        now: crate::io::clock::now,
        plan_only: args.plan_only,
        intrexx_updated: args.intrexx_updated,
    };
    let rt = runtime()?;
    let mut front = front::CliFront::new(env, out, (args.yes, args.sign_in.clipboard));
    match rt.block_on(session::run(&mut front, request)) {
        Ok(session::Ended::Planned(plan)) => {
            show(&plan, args, lang, front.out)?;
            Ok(EXIT_OK)
        }
        Ok(session::Ended::NothingToDo {
            plan,
            rotation_closed,
        }) => {
            show(&plan, args, lang, front.out)?;
            if rotation_closed {
                writeln!(
                    front.out,
                    "{}",
                    tr!(
                        lang,
                        "the rotation's old secret is no longer on the app: the rotation is closed",
                        "der alte Schlüssel der Rotation ist nicht mehr an der App: die Rotation ist abgeschlossen"
                    )
                )
                .map_err(|e| Failure::write(e, lang))?;
            }
            Ok(EXIT_OK)
        }
        Ok(session::Ended::Done(Some(results))) => Ok(crate::cli::exit::of(results.verdict())),
        Ok(session::Ended::Done(None)) => Ok(EXIT_OK),
        Err(engine::JobError::Declined) if front.refused.is_some() => Err(front
            .refused
            .take()
            .unwrap_or_else(|| Failure::new(EXIT_CHECK, ""))),
        Err(e) => Err(failure_of(e, env)),
    }
}

/// How a run that did not end well ends the command: its exit code and message.
pub(crate) fn failure_of(e: engine::JobError, env: &Env) -> Failure {
    use engine::JobError as E;
    let lang = env.procedure.lang();
    match e {
        E::Login(e) => sign_in::sign_in_failure(e, env),
        E::Stopped(s) => stop_failure(&s, &env.procedure),
        E::Authority(e) => Failure::new(EXIT_USAGE, e.message(lang)),
        E::Journal(why) | E::Record(why) => Failure::new(crate::cli::exit::FILE, why),
        E::Unusable(u) => super::refused(WHAT, &u, lang),
        E::System(why) => Failure::new(EXIT_USAGE, why),
        e => Failure::new(EXIT_CHECK, e.message(&env.procedure)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_ends_with_the_code_of_what_went_wrong() {
        let p = Procedure::embedded().unwrap();
        let gone = crate::remote::graph::GraphError::Unreachable(
            crate::remote::http::HttpError::Timeout { host: "g".into() },
        );
        let refused = crate::remote::graph::GraphError::Refused {
            status: 403,
            code: "Authorization_RequestDenied".into(),
            message: String::new(),
            retry_after: None,
        };
        let code = |s: Stop| stop_failure(&s, &p).code;
        assert_eq!(
            code(Stop::Unreachable(crate::remote::http::HttpError::Timeout {
                host: "g".into()
            })),
            crate::cli::exit::UNREACHABLE
        );
        assert_eq!(
            code(Stop::Refused {
                part: Some("app"),
                error: gone
            }),
            crate::cli::exit::UNREACHABLE
        );
        assert_eq!(
            code(Stop::Refused {
                part: Some("app"),
                error: refused.clone()
            }),
            crate::cli::exit::APPLY_STOPPED
        );
        assert!(
            stop_failure(
                &Stop::Refused {
                    part: Some("app"),
                    error: refused
                },
                &p
            )
            .message
            .contains("at step 5")
        );
        assert_eq!(
            code(Stop::Saving(crate::core::progress::Unsaved::Gone)),
            crate::cli::exit::FILE
        );
    }
}
