//! The engine: `apply` and `apply --renew` through Microsoft Graph (DESIGN.md, "Plan, then
//! act"). It reads the tenant with GETs only ([`read`]), and executes a plan the admin saw and
//! confirmed ([`execute`]) exactly as shown: the writes `plan::Op::writes` spells out, answers
//! taken as `plan::take` says, lag and throttling waited out within a budget the admin sees
//! ([`backoff`]), what Graph hands out saved before the next write, each write journaled.
//!
//! It speaks through the [`Run`] a front end gives it and has its own error type ([`Stop`]);
//! `job` runs it for the walkthrough on a thread of its own, `prepare` is what both front ends
//! do before a run.
//!
//! May import: `remote`, `core`, `i18n`, `text`, `secret`; never a front end, never `io`.

mod backoff;
mod execute;
mod job;
pub mod prepare;
pub mod read;
mod run;

pub use crate::core::plan::Written;
pub use backoff::{Backoff, DEFAULT_WAIT, Waiting};
pub use execute::{Ctx, execute};
pub use job::{Job, JobError, Journal, start};
pub use run::{Event, Local, Run};

use std::time::Duration;

use crate::core::procedure::Procedure;
use crate::core::progress::Unsaved;
use crate::i18n::{Lang, Worded};
use crate::remote::graph::GraphError;
use crate::remote::http::HttpError;
use crate::remote::verify::RequestError;
use crate::tr;

/// Why a run stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// Graph refused a write of this part of the procedure.
    Refused {
        part: Option<&'static str>,
        error: GraphError,
    },
    /// The budget ran out waiting for replication or throttling.
    Waited {
        part: Option<&'static str>,
        seconds: u64,
        error: GraphError,
    },
    /// A read of the tenant was refused.
    Read(GraphError),
    /// Graph or the identity platform could not be reached.
    Unreachable(HttpError),
    /// Graph answered with something azreg will not use.
    BadAnswer(BadAnswer),
    /// The live check cannot be made of what is recorded.
    Check(RequestError),
    /// The progress could not be saved.
    Saving(Unsaved),
}

/// What Graph answered that azreg will not use: nothing more is sent after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadAnswer {
    /// An id that is not a GUID (or a grant's key), cleaned.
    Id(String),
    /// The read of one client ID answered with another app.
    OtherApp { want: String, got: String },
    /// A service principal of another app.
    OtherSp,
    /// The app made under this key cannot be read back.
    NotReadBack { key: String },
    /// A secret value that is not one: not stored, and the credential removed.
    SecretValue,
}

#[cfg(test)]
impl crate::i18n::Samples for Stop {
    fn samples() -> Vec<Self> {
        let refused = GraphError::Refused {
            status: 403,
            code: "Authorization_RequestDenied".into(),
            message: "m".into(),
            retry_after: None,
        };
        vec![
            Stop::Refused {
                part: Some("secret"),
                error: refused.clone(),
            },
            Stop::Refused {
                part: None,
                error: refused.clone(),
            },
            Stop::Waited {
                part: Some("consent"),
                seconds: 300,
                error: refused.clone(),
            },
            Stop::Read(refused),
            Stop::Unreachable(HttpError::Timeout { host: "g".into() }),
            Stop::BadAnswer(BadAnswer::OtherSp),
            Stop::Check(RequestError::Missing { at: None }),
            Stop::Saving(Unsaved::Write("Read-only file system".into())),
        ]
        .into_iter()
        .chain(
            <Unsaved as crate::i18n::Samples>::samples()
                .into_iter()
                .map(Stop::Saving),
        )
        .collect()
    }
}

#[cfg(test)]
impl crate::i18n::Samples for BadAnswer {
    fn samples() -> Vec<Self> {
        vec![
            BadAnswer::Id("x".into()),
            BadAnswer::OtherApp {
                want: "a".into(),
                got: "b".into(),
            },
            BadAnswer::OtherSp,
            BadAnswer::NotReadBack {
                key: "azreg-1".into(),
            },
            BadAnswer::SecretValue,
        ]
    }
}

impl Worded for BadAnswer {
    fn message(&self, lang: Lang) -> String {
        match self {
            BadAnswer::Id(id) => tr!(
                lang,
                "Microsoft Graph answered with an id azreg cannot use ({id:?})",
                "Microsoft Graph antwortete mit einer ID, die azreg nicht verwenden kann ({id:?})",
                id = id,
            ),
            BadAnswer::OtherApp { want, got } => tr!(
                lang,
                "Microsoft Graph answered the read of client ID {want} with another app ({got})",
                "Microsoft Graph beantwortete das Lesen der Client-ID {want} mit einer anderen App ({got})",
                want = want,
                got = got,
            ),
            BadAnswer::OtherSp => tr!(
                lang,
                "Microsoft Graph answered with a service principal of another app",
                "Microsoft Graph antwortete mit dem Dienstprinzipal einer anderen App"
            ),
            BadAnswer::NotReadBack { key } => tr!(
                lang,
                "the app made under key {key} cannot be read back",
                "die unter dem Schlüssel {key} angelegte App lässt sich nicht zurücklesen",
                key = key,
            ),
            BadAnswer::SecretValue => tr!(
                lang,
                "Microsoft Graph answered with a secret value that is not one (wrong length or characters): it was not stored, and that credential was removed",
                "Microsoft Graph antwortete mit einem Schlüsselwert, der keiner ist (falsche Länge oder Zeichen): er wurde nicht gespeichert und die Anmeldeinformation entfernt"
            ),
        }
    }
}

impl Stop {
    /// What happened, where, and what to do, in the procedure's language.
    pub fn message(&self, p: &Procedure) -> String {
        self.words(p, true)
    }

    /// `message` without the advice to run `azreg apply` again (the walkthrough has `A`).
    pub fn short(&self, p: &Procedure) -> String {
        self.words(p, false)
    }

    fn words(&self, p: &Procedure, cli: bool) -> String {
        let lang = p.lang();
        let at = |part: &Option<&'static str>| {
            part.and_then(|part| step_of(p, part))
                .map(|s| tr!(lang, "at step {s}", "bei Schritt {s}", s = s))
                .unwrap_or_else(|| tr!(lang, "here", "hier"))
        };
        let again = if cli {
            tr!(
                lang,
                "what was done so far is saved, and azreg apply goes on from here when run again",
                "das bisher Erledigte ist gespeichert, und azreg apply macht beim nächsten Aufruf hier weiter"
            )
        } else {
            tr!(
                lang,
                "what was done so far is saved",
                "das bisher Erledigte ist gespeichert"
            )
        };
        match self {
            Stop::Refused { part, error } => tr!(
                lang,
                "stopped {at}: {why}; {again}",
                "angehalten {at}: {why}; {again}",
                at = at(part),
                why = error.message(lang),
                again = again,
            ),
            Stop::Waited {
                part,
                seconds,
                error,
            } => {
                let raise = if cli {
                    tr!(
                        lang,
                        " (--wait raises the budget)",
                        " (--wait erhöht die Wartezeit)"
                    )
                } else {
                    String::new()
                };
                tr!(
                    lang,
                    "stopped {at} after waiting {seconds} s for Entra ID (replication or throttling; last answer: {why}); {again}{raise}",
                    "angehalten {at} nach {seconds} s Warten auf Entra ID (Replikation oder Drosselung; letzte Antwort: {why}); {again}{raise}",
                    at = at(part),
                    seconds = seconds,
                    why = error.message(lang),
                    again = again,
                    raise = raise,
                )
            }
            Stop::Read(e) => tr!(
                lang,
                "reading the tenant failed: {why}; nothing was changed",
                "das Lesen des Mandanten schlug fehl: {why}; nichts wurde geändert",
                why = e.message(lang),
            ),
            Stop::Unreachable(why) => why.message(lang),
            Stop::BadAnswer(why) => tr!(
                lang,
                "{why}; nothing more was sent",
                "{why}; nichts weiter wurde gesendet",
                why = why.message(lang),
            ),
            Stop::Check(why) => why.message(lang),
            Stop::Saving(why) => tr!(
                lang,
                "not saved: {why}",
                "nicht gespeichert: {why}",
                why = why.message(lang),
            ),
        }
    }
}

/// The step a part of the procedure begins at (its label), for "stopped at".
pub fn step_of(p: &Procedure, part: &str) -> Option<String> {
    let field = match part {
        "app" => Some("app_name"),
        "secret" => Some("secret_description"),
        "consent" => Some(crate::core::report::CONSENT_FIELD),
        _ => None,
    };
    field
        .and_then(|f| p.entry_of_field(f))
        .or_else(|| {
            p.entries
                .iter()
                .position(|e| e.applied.as_deref() == Some(part))
        })
        .map(|i| p.label(i).to_string())
}

/// A wait in seconds as people read it: whole seconds, tenths below one.
pub fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.1}", d.as_secs_f64())
    } else {
        format!("{}", d.as_secs())
    }
}

/// "Not visible yet (replication); trying again in 4 s (12 of 300 s)".
fn say_wait(run: &mut Run<'_>, waiting: &Waiting, d: Duration, e: &GraphError) {
    let lang: Lang = run.lang;
    let (spent, budget) = waiting.spent();
    let secs = seconds(d);
    let line = if e.is_throttled() {
        tr!(
            lang,
            "Microsoft Graph asks to wait (throttling); trying again in {secs} s ({spent} of {budget} s)",
            "Microsoft Graph bittet zu warten (Drosselung); neuer Versuch in {secs} s ({spent} von {budget} s)",
            secs = secs,
            spent = spent,
            budget = budget,
        )
    } else {
        tr!(
            lang,
            "not visible yet (replication); trying again in {secs} s ({spent} of {budget} s)",
            "noch nicht sichtbar (Replikation); neuer Versuch in {secs} s ({spent} von {budget} s)",
            secs = secs,
            spent = spent,
            budget = budget,
        )
    };
    run.notice(&line);
}
