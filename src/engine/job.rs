//! "Let azreg do it" from the walkthrough: the same steps as `azreg apply`, on a thread of its
//! own so that waiting for the sign-in and for Graph never holds up the screen. After the
//! sign-in and the reads, the plan goes to the walkthrough ([`Event::Plan`]) and nothing is
//! written until the admin says yes there; each save waits until the walkthrough has written
//! the file.

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

use super::run::Channel;
use super::{Event, Stop, Written};
use crate::core::plan::{self, record};
use crate::core::procedure::Procedure;
use crate::core::progress::Progress;
use crate::i18n::{Lang, Worded};
use crate::remote::http::AuthorityError;
use crate::remote::signin::login::{Asked, Login, LoginError, SignIn};
use crate::tr;

/// Why a run from the walkthrough did not start, or how it ended short of done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// Values the registration needs are missing or wrong.
    Unusable(Vec<record::Unusable>),
    BadRecord(record::BadRecord),
    Login(LoginError),
    Authority(AuthorityError),
    /// The plan was refused before anything was written.
    Refused(plan::Refusal),
    Stopped(Stop),
    /// The admin said no to the plan.
    Declined,
    /// Stopped on request; what was done is saved.
    Cancelled,
    /// No thread or runtime for the run (the system's reason).
    System(String),
    /// "Check in Azure" needs an app recorded (its client ID).
    NothingRecorded,
    /// The journal cannot be kept safely: nothing was written (why).
    Journal(String),
    /// The record could not be read, or held for the run (why, in the front end's words).
    Record(String),
    /// A rotation's end asked for, and none is under way.
    NoRotation,
    /// A rotation's end asked for, and Intrexx is not shown (nor said) to use the new secret.
    NotSwitched {
        old_hint: String,
    },
}

#[cfg(test)]
impl crate::i18n::Samples for JobError {
    fn samples() -> Vec<Self> {
        use crate::core::plan::Who;
        let who = Who {
            account: Some("admin@contoso.example".into()),
            app_id: None,
            tenant_id: "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".into(),
            tenant_name: None,
            user_id: None,
        };
        vec![
            JobError::Unusable(vec![record::Unusable::NoSuchField("x".into())]),
            JobError::BadRecord(record::BadRecord("app_object_id")),
            JobError::Login(LoginError::BadClientId),
            JobError::Authority(AuthorityError::NotHttps {
                shown: "http://x".into(),
            }),
            JobError::Refused(plan::Refusal::TenantMismatch {
                recorded: "0b1c2d3e-1111-2222-3333-444455556666".into(),
                who: Box::new(who),
            }),
            JobError::Refused(plan::Refusal::NoGraph),
            JobError::Stopped(Stop::BadAnswer(super::BadAnswer::SecretValue)),
            JobError::Declined,
            JobError::Cancelled,
            JobError::System("Resource temporarily unavailable".into()),
            JobError::NothingRecorded,
            JobError::Journal("the journal is another user's".into()),
            JobError::Record("p.toml is locked by another azreg (pid 7)".into()),
            JobError::NoRotation,
            JobError::NotSwitched {
                old_hint: "abc".into(),
            },
        ]
    }
}

impl JobError {
    /// In the procedure's language, its steps named by their labels.
    pub fn message(&self, p: &Procedure) -> String {
        let lang = p.lang();
        match self {
            JobError::Unusable(list) => {
                let list: Vec<String> = list.iter().map(|x| x.message(lang)).collect();
                tr!(
                    lang,
                    "values are missing or wrong: {list}",
                    "Werte fehlen oder sind falsch: {list}",
                    list = list.join("; "),
                )
            }
            JobError::BadRecord(b) => b.message(lang),
            JobError::Login(e) => e.message(lang),
            JobError::Authority(e) => e.message(lang),
            JobError::Refused(r) => {
                plan::refusal_text(r, lang, &|f| p.step_of_field(f).to_string())
            }
            JobError::Stopped(s) => s.short(p),
            JobError::Declined => tr!(
                lang,
                "not applied: nothing was changed",
                "nicht ausgeführt: nichts wurde geändert"
            ),
            JobError::Cancelled => tr!(
                lang,
                "cancelled; what was done is saved",
                "abgebrochen; Erledigtes ist gespeichert"
            ),
            JobError::System(e) => tr!(
                lang,
                "the run could not start: {e}",
                "der Lauf konnte nicht beginnen: {e}",
                e = e,
            ),
            JobError::NothingRecorded => tr!(
                lang,
                "no app is recorded yet: enter the application (client) ID at step {s} first",
                "noch keine App erfasst: geben Sie zuerst die Anwendungs-ID (Client-ID) in Schritt {s} ein",
                s = p.step_of_field("client_id"),
            ),
            JobError::Journal(why) => tr!(
                lang,
                "stopped before the first write: {why}",
                "vor dem ersten Schreiben angehalten: {why}",
                why = why,
            ),
            JobError::Record(why) => tr!(
                lang,
                "the run could not read its record: {why}",
                "der Lauf konnte seinen Datensatz nicht lesen: {why}",
                why = why,
            ),
            JobError::NoRotation => tr!(
                lang,
                "no rotation is in progress: --remove-old finishes one that azreg apply --renew started; nothing was changed",
                "keine Rotation im Gang: --remove-old beendet eine, die azreg apply --renew begonnen hat; nichts wurde geändert"
            ),
            JobError::NotSwitched { old_hint } => tr!(
                lang,
                "the old secret ({old}…) stays until Intrexx uses the new one: enter the new value in Intrexx, test the connector, then confirm here or with --intrexx-updated; nothing was changed",
                "der alte Schlüssel ({old}…) bleibt, bis Intrexx den neuen nutzt: tragen Sie den neuen Wert in Intrexx ein, testen Sie den Connector und bestätigen Sie hier oder mit --intrexx-updated; nichts wurde geändert",
                old = old_hint,
            ),
        }
    }
}

/// Where a run's writes are journaled: the front end's (the walkthrough keeps the journal
/// beside its progress file).
pub type Journal = Box<dyn JournalSink>;

/// A journal as a run uses it: whether it can be kept safely (asked before the first write),
/// and each write.
pub trait JournalSink: Send {
    fn ready(&mut self) -> Result<(), String>;
    fn append(&mut self, w: &Written);
}

/// What a run from the walkthrough does after the sign-in.
#[derive(Debug)]
enum Task {
    /// Plan the registration, ask, do it.
    Apply,
    /// Read the registration back for "check in Azure"; nothing is written.
    Examine,
}

/// One run, prepared from the walkthrough's state.
#[derive(Debug)]
pub struct Job {
    /// The sign-in as the walkthrough asks it, and as the record completes it.
    asked: Asked,
    sign_in: SignIn,
    task: Task,
    progress: Progress,
    procedure: Procedure,
    today: time::Date,
    /// The clock for what the run records.
    now: fn() -> toml::value::Datetime,
}

/// What the walkthrough's "let azreg do it" asks for: the registration as the record holds it.
const REGISTER: super::session::Ask = super::session::Ask::Register { secret_end: None };

impl Job {
    /// The values apply needs and the sign-in, or what is missing (in the procedure's
    /// language). `graph` is the walkthrough's `--graph`; the authority is the progress file's.
    pub fn new(
        procedure: &Procedure,
        progress: &Progress,
        today: time::Date,
        login: Login,
        graph: Option<&str>,
        now: fn() -> toml::value::Datetime,
    ) -> Result<Job, JobError> {
        let asked = Asked {
            graph: graph.map(str::to_string),
            ..Asked::plain(login)
        };
        // The session's own checks, asked before the run starts so the walkthrough can say
        // what is missing at once; the run asks them again of the record it is handed.
        let prepared = super::session::prepare(procedure, progress, today, (&REGISTER, &asked))?;
        Ok(Job {
            sign_in: prepared.sign_in,
            asked,
            task: Task::Apply,
            progress: progress.clone(),
            procedure: procedure.clone(),
            today,
            now,
        })
    }

    /// "Check in Azure": sign in and read the recorded app back (GETs only).
    pub fn examine(
        procedure: &Procedure,
        progress: &Progress,
        today: time::Date,
        login: Login,
        graph: Option<&str>,
        now: fn() -> toml::value::Datetime,
    ) -> Result<Job, JobError> {
        let r = record::recorded(progress).map_err(JobError::BadRecord)?;
        if r.client_id.is_none() && r.app_object_id.is_none() && r.unique_name.is_none() {
            return Err(JobError::NothingRecorded);
        }
        let asked = Asked {
            graph: graph.map(str::to_string),
            ..Asked::plain(login)
        };
        let sign_in = asked.with(progress).map_err(JobError::Login)?;
        Ok(Job {
            sign_in,
            asked,
            task: Task::Examine,
            progress: progress.clone(),
            procedure: procedure.clone(),
            today,
            now,
        })
    }

    /// The host the person signs in at, for the question before a run.
    pub fn sign_in_host(&self) -> String {
        self.sign_in
            .authority
            .host_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn run(self, tx: &UnboundedSender<Event>, journal: Journal) -> Result<(), JobError> {
        let lang: Lang = self.procedure.lang();
        let mut front = Channel {
            tx: tx.clone(),
            journal,
            record: self.progress.clone(),
        };
        match self.task {
            Task::Apply => {}
            Task::Examine => {
                let (_, t) = super::session::examine(
                    &mut front,
                    &self.sign_in,
                    (&self.progress, None),
                    (lang, None),
                )
                .await?;
                let _ = tx.send(Event::Examined(Box::new(t)));
                return Ok(());
            }
        };
        // The same run as the command line's: sign in, plan, ask (the walkthrough's overlay),
        // do exactly that.
        let ended = super::session::run(
            &mut front,
            super::session::Request {
                procedure: &self.procedure,
                sign_in: self.asked,
                ask: REGISTER,
                options: plan::Options {
                    new_key: format!("azreg-{}", uuid::Uuid::new_v4()),
                    ..plan::Options::default()
                },
                wait: None,
                today: self.today,
                now: self.now,
                plan_only: false,
                intrexx_updated: false,
            },
        )
        .await?;
        if let super::session::Ended::NothingToDo { .. } = ended {
            let _ = tx.send(Event::Said(tr!(
                lang,
                "Nothing to do: the registration is as the record asks.",
                "Nichts zu tun: die Registrierung ist so, wie der Datensatz es verlangt."
            )));
        }
        Ok(())
    }
}

/// Start the run; its events, the last one `Event::Ended`, arrive on `tx`. Sending on (or
/// dropping) the returned sender stops it where it is, as Ctrl-C would: what is saved stays,
/// and the next run goes on from there.
/// `journal` takes each write.
pub fn start(
    job: Job,
    journal: Journal,
    tx: UnboundedSender<Event>,
) -> std::io::Result<oneshot::Sender<()>> {
    let (cancel, cancelled) = oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("azreg-apply".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            let ended = match runtime {
                Ok(rt) => rt.block_on(async {
                    tokio::select! {
                        ended = job.run(&tx, journal) => ended,
                        _ = cancelled => Err(JobError::Cancelled),
                    }
                }),
                Err(e) => Err(JobError::System(e.to_string())),
            };
            let _ = tx.send(Event::Ended(ended));
        })?;
    Ok(cancel)
}
