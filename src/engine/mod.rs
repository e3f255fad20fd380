//! The engine: `apply` and `apply --renew` through Microsoft Graph (src/docs/architecture.md, "Plan, then
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
mod ops;
pub mod prepare;
pub mod read;
mod run;
pub mod session;
mod write;

pub use crate::core::plan::Written;
pub use backoff::{Backoff, DEFAULT_WAIT, Waiting};
pub use execute::execute;
pub use job::{Job, JobError, Journal, JournalSink, start};
pub use run::{Channel, Event, Front, Run};
pub use write::Ctx;

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
    /// The signed-in account may not do part of the plan (403 Authorization_RequestDenied):
    /// what it may do was done and saved.
    NotAllowed(NotAllowed),
    /// The tenant's app management policy refused the new secret (an app-specific policy the
    /// plan could not know).
    SecretPolicy(crate::core::plan::policy::PolicyLimit),
}

/// What the signed-in account was not allowed to do, and where an administrator grants consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAllowed {
    pub denied: Vec<Denied>,
    /// The part of the procedure the run stopped at, when a refused write stopped it (later
    /// writes need it); `None` when only consent or ownership was skipped.
    pub stopped_at: Option<&'static str>,
    pub account: Option<String>,
    /// `{authority}/{tenant}/adminconsent?client_id={client}`, when the app is known.
    pub consent_link: Option<String>,
}

/// One kind of write Entra refused for lack of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Create an app registration.
    CreateApp,
    /// Change the app (redirect URIs, permissions, secrets, service principal, delete).
    ChangeApp,
    /// Make the signed-in person an owner.
    Owner,
    /// Tenant-wide consent to these delegated permissions.
    Delegated(Vec<String>),
    /// Consent to these application permissions of Microsoft Graph.
    Application(Vec<String>),
}

impl Denied {
    /// Of an operation Entra refused.
    pub fn of(op: &crate::core::plan::Op) -> Denied {
        use crate::core::plan::Op;
        match op {
            Op::CreateApp { .. } => Denied::CreateApp,
            Op::AddOwner { .. } => Denied::Owner,
            Op::GrantScopes { add, .. } => Denied::Delegated(add.clone()),
            Op::AssignRoles { names, .. } => Denied::Application(names.clone()),
            _ => Denied::ChangeApp,
        }
    }

    /// What was refused and which roles may do it (Microsoft's built-in roles reference and
    /// the Graph permission docs; src/docs/graph.md, "Who may").
    fn words(&self, lang: Lang) -> String {
        match self {
            Denied::CreateApp => tr!(
                lang,
                "creating the app registration needs Application Administrator or Cloud Application Administrator (or Application Developer, or the tenant setting \"Users can register applications\")",
                "die App-Registrierung anzulegen braucht Anwendungsadministrator oder Cloudanwendungsadministrator (oder Anwendungsentwickler oder die Mandanteneinstellung „Benutzer können Anwendungen registrieren“)"
            ),
            Denied::ChangeApp => tr!(
                lang,
                "changing the app needs Application Administrator or Cloud Application Administrator, or being one of its owners",
                "die App zu ändern braucht Anwendungsadministrator oder Cloudanwendungsadministrator, oder einen Eintrag als ihr Besitzer"
            ),
            Denied::Owner => tr!(
                lang,
                "adding you as owner needs Application Administrator or Cloud Application Administrator (an owner of the app may add others): the app stays without you as owner",
                "Sie als Besitzer einzutragen braucht Anwendungsadministrator oder Cloudanwendungsadministrator (ein Besitzer der App kann andere eintragen): die App bleibt ohne Sie als Besitzer"
            ),
            Denied::Delegated(names) => tr!(
                lang,
                "consent to the delegated permissions {names} for all users needs Cloud Application Administrator, Application Administrator or Privileged Role Administrator",
                "die Zustimmung zu den delegierten Berechtigungen {names} für alle Benutzer braucht Cloudanwendungsadministrator, Anwendungsadministrator oder Administrator für privilegierte Rollen",
                names = names.join(", "),
            ),
            Denied::Application(names) => tr!(
                lang,
                "consent to the application permissions {names} of Microsoft Graph needs Privileged Role Administrator or Global Administrator",
                "die Zustimmung zu den Anwendungsberechtigungen {names} von Microsoft Graph braucht Administrator für privilegierte Rollen oder globalen Administrator",
                names = names.join(", "),
            ),
        }
    }
}

impl NotAllowed {
    fn words(&self, p: &Procedure) -> String {
        let lang = p.lang();
        let who = self
            .account
            .clone()
            .unwrap_or_else(|| tr!(lang, "this account", "dieses Konto"));
        let list: Vec<String> = self.denied.iter().map(|d| d.words(lang)).collect();
        let mut out = match self.stopped_at {
            Some(part) => {
                let at = step_of(p, part)
                    .map(|s| tr!(lang, "at step {s}", "bei Schritt {s}", s = s))
                    .unwrap_or_else(|| tr!(lang, "here", "hier"));
                tr!(lang, "stopped {at}: ", "angehalten {at}: ", at = at)
            }
            None => String::new(),
        };
        out += &tr!(
            lang,
            "{who} may not do all of the plan: {list}. What it may do is done and saved.",
            "{who} darf nicht den ganzen Plan ausführen: {list}. Was erlaubt ist, ist erledigt und gespeichert.",
            who = who,
            list = list.join("; "),
        );
        let consent = self
            .denied
            .iter()
            .any(|d| matches!(d, Denied::Delegated(_) | Denied::Application(_)));
        if consent {
            let step = step_of(p, "consent").unwrap_or_default();
            match &self.consent_link {
                Some(link) => out.push_str(&tr!(
                    lang,
                    " For the consent, an administrator with that role opens {link} and accepts (or \"Grant admin consent\" on the app's API permissions page, step {step}); then azreg apply finds it done.",
                    " Für die Zustimmung öffnet ein Administrator mit dieser Rolle {link} und akzeptiert (oder „Administratorzustimmung erteilen“ auf der Seite „API-Berechtigungen“ der App, Schritt {step}); danach findet azreg apply sie erledigt.",
                    link = link,
                    step = step,
                )),
                None => out.push_str(&tr!(
                    lang,
                    " For the consent, an administrator with that role uses \"Grant admin consent\" on the app's API permissions page (step {step}).",
                    " Für die Zustimmung nutzt ein Administrator mit dieser Rolle „Administratorzustimmung erteilen“ auf der Seite „API-Berechtigungen“ der App (Schritt {step}).",
                    step = step,
                )),
            }
        } else {
            out.push_str(&tr!(
                lang,
                " Sign in as someone with that role and run azreg apply again: it goes on from here.",
                " Melden Sie sich mit einem Konto mit dieser Rolle an und rufen Sie azreg apply erneut auf: es macht hier weiter.",
            ));
        }
        out
    }
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
            Stop::NotAllowed(NotAllowed {
                denied: vec![
                    Denied::CreateApp,
                    Denied::ChangeApp,
                    Denied::Owner,
                    Denied::Delegated(vec!["User.Read".into()]),
                    Denied::Application(vec!["Chat.Read.All".into()]),
                ],
                account: Some("a@b".into()),
                stopped_at: Some("app"),
                consent_link: Some("https://login.example/t/adminconsent?client_id=c".into()),
            }),
            Stop::SecretPolicy(crate::core::plan::policy::PolicyLimit {
                blocked: false,
                max_days: Some(90),
                longest: Some("2027-03-04".into()),
                asked: "2027-06-01".into(),
            }),
            Stop::NotAllowed(NotAllowed {
                denied: vec![Denied::Delegated(vec!["User.Read".into()])],
                account: None,
                stopped_at: None,
                consent_link: None,
            }),
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
            Stop::NotAllowed(n) => n.words(p),
            Stop::SecretPolicy(l) => tr!(
                lang,
                "stopped {at}: {why}; {again}",
                "angehalten {at}: {why}; {again}",
                at = at(&Some("secret")),
                why = l.message(lang),
                again = again,
            ),
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
