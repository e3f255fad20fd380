//! "Let azreg do it" from the walkthrough: the same steps as `azreg apply`, on a thread of its
//! own so that waiting for the sign-in and for Graph never holds up the screen. After the
//! sign-in and the reads, the plan goes to the walkthrough ([`Event::Plan`]) and nothing is
//! written until the admin says yes there; each save waits until the walkthrough has written
//! the file.

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

use super::prepare::{backoff, check_target, ctx, make_plan};
use super::{Event, Run, Stop, Written};
use crate::core::plan::{self, Goal, record};
use crate::core::procedure::Procedure;
use crate::core::progress::Progress;
use crate::core::report::Report;
use crate::i18n::{Lang, Worded};
use crate::remote::http::AuthorityError;
use crate::remote::signin::login::{self, Login, LoginError, Prompt, SignIn};
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
        }
    }
}

/// Where a run's writes are journaled: the front end's (the walkthrough keeps the journal
/// beside its progress file).
pub type Journal = Box<dyn FnMut(&Written) + Send>;

/// What a run from the walkthrough does after the sign-in.
#[derive(Debug)]
enum Task {
    /// Plan the registration (or its renewal), ask, do it.
    Apply(Goal),
    /// Read the registration back for "check in Azure"; nothing is written.
    Examine,
}

/// One run, prepared from the walkthrough's state.
#[derive(Debug)]
pub struct Job {
    sign_in: SignIn,
    task: Task,
    progress: Progress,
    procedure: Procedure,
    today: time::Date,
    /// The clock for what the run records.
    now: fn() -> toml::value::Datetime,
}

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
        let r = Report::new(procedure, progress, today);
        let goal = Goal::Register(record::desired(&r, false).map_err(JobError::Unusable)?);
        record::recorded(progress).map_err(JobError::BadRecord)?;
        let sign_in =
            SignIn::new(login, None, graph, None, None, progress).map_err(JobError::Login)?;
        Ok(Job {
            sign_in,
            task: Task::Apply(goal),
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
        let sign_in =
            SignIn::new(login, None, graph, None, None, progress).map_err(JobError::Login)?;
        Ok(Job {
            sign_in,
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
        let graph = login::graph(&self.sign_in, lang, &mut |p| match p {
            Prompt::Link(link) => {
                let _ = tx.send(Event::Link(link.to_string(), None));
                let (tx, again) = (tx.clone(), link.to_string());
                login::open_browser(link, move |why| {
                    let _ = tx.send(Event::Link(again, Some(why)));
                });
            }
            Prompt::Code(c) => {
                let _ = tx.send(Event::Code(c.clone()));
            }
        })
        .await
        .map_err(JobError::Login)?;
        let recorded = record::recorded(&self.progress).map_err(JobError::BadRecord)?;
        let goal = match &self.task {
            Task::Apply(goal) => goal,
            Task::Examine => {
                let mut reading = Run::walkthrough(
                    self.progress.clone(),
                    lang,
                    backoff(None),
                    tx.clone(),
                    Box::new(|_| {}),
                );
                let t = super::prepare::read_registration(&graph, &mut reading, &recorded, None)
                    .await
                    .map_err(JobError::Stopped)?;
                let _ = tx.send(Event::Examined(Box::new(t)));
                return Ok(());
            }
        };
        let root = format!(
            "{}://{}",
            graph.base().scheme(),
            graph.base().host_str().unwrap_or_default()
        );
        let (authority, check) =
            check_target(None, &self.progress, &root).map_err(JobError::Authority)?;
        let options = plan::Options {
            new_key: format!("azreg-{}", uuid::Uuid::new_v4()),
            check: Some(check),
            today: Some(self.today),
            ..plan::Options::default()
        };
        let backoff = backoff(None);
        let made = {
            let mut reading = Run::walkthrough(
                self.progress.clone(),
                lang,
                backoff.clone(),
                tx.clone(),
                Box::new(|_| {}),
            );
            make_plan(&graph, &mut reading, goal, &recorded, &options)
                .await
                .map_err(JobError::Stopped)?
        };
        let plan = made.map_err(JobError::Refused)?;
        if plan.is_empty() {
            let _ = tx.send(Event::Said(tr!(
                lang,
                "Nothing to do: the registration is as the record asks.",
                "Nichts zu tun: die Registrierung ist so, wie der Datensatz es verlangt."
            )));
            return Ok(());
        }
        // Nothing is written before the admin saw the plan and said yes.
        let (ack, answer) = oneshot::channel();
        // A walkthrough that is gone cannot say yes.
        let _ = tx.send(Event::Plan(Box::new(plan.clone()), ack));
        if !answer.await.unwrap_or(false) {
            return Err(JobError::Declined);
        }
        let ctx = ctx(self.now, &self.procedure, self.today, authority, goal);
        let mut run = Run::walkthrough(self.progress.clone(), lang, backoff, tx.clone(), journal);
        super::execute(&graph, &plan, &ctx, &mut run)
            .await
            .map(|_| ())
            .map_err(JobError::Stopped)
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
