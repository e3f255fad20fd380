//! "Let azreg do it" from the walkthrough: the same run as `azreg apply`, on a thread of its own
//! so that waiting for the sign-in and for Graph never holds up the screen. It reports as
//! [`Event`]s; each save waits until the walkthrough has written the file.

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

use super::sign_in::{self, Login, Prompt, SignIn};
use super::{Event, Inputs, Run, WHAT, apply, inputs, runtime};
use crate::i18n::Lang;
use crate::procedure::Procedure;
use crate::progress::Progress;
use crate::report::Report;
use crate::tr;

/// One run, prepared from the walkthrough's state.
#[derive(Debug)]
pub struct Job {
    sign_in: SignIn,
    inputs: Inputs,
    progress: Progress,
    procedure: Procedure,
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
    ) -> Result<Job, String> {
        let lang = procedure.lang();
        let r = Report::new(procedure, progress, today);
        let inputs = inputs(&r, false, WHAT).map_err(|f| f.message)?;
        let sign_in = SignIn::new(login, None, graph, None, None, progress, lang)?;
        Ok(Job {
            sign_in,
            inputs,
            progress: progress.clone(),
            procedure: procedure.clone(),
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

    async fn run(self, tx: &UnboundedSender<Event>) -> Result<(), String> {
        let lang: Lang = self.procedure.lang();
        let graph = sign_in::graph(&self.sign_in, lang, &mut |p| match p {
            Prompt::Link(link) => {
                let _ = tx.send(Event::Link(link.to_string(), None));
                let (tx, again) = (tx.clone(), link.to_string());
                sign_in::open_browser(link, move |why| {
                    let _ = tx.send(Event::Link(again, Some(why)));
                });
            }
            Prompt::Code(c) => {
                let _ = tx.send(Event::Code(c.clone()));
            }
        })
        .await
        .map_err(|f| f.message)?;
        let mut run = Run::walkthrough(self.progress, lang, tx.clone());
        apply(&self.procedure, &graph, &self.inputs, &mut run)
            .await
            .map_err(|s| s.failure(lang).message)
    }
}

/// Start the run; its events, the last one `Event::Ended`, arrive on `tx`. Sending on (or
/// dropping) the returned sender stops it where it is, as Ctrl-C would: what is saved stays,
/// and the next run goes on from there.
pub fn start(job: Job, tx: UnboundedSender<Event>) -> std::io::Result<oneshot::Sender<()>> {
    let (cancel, cancelled) = oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("azreg-apply".into())
        .spawn(move || {
            let lang = job.procedure.lang();
            let ended = match runtime() {
                Ok(rt) => rt.block_on(async {
                    tokio::select! {
                        ended = job.run(&tx) => ended,
                        _ = cancelled => Err(tr!(
                            lang,
                            "cancelled; what was done is saved",
                            "abgebrochen; Erledigtes ist gespeichert"
                        )),
                    }
                }),
                Err(f) => Err(f.message),
            };
            let _ = tx.send(Event::Ended(ended));
        })?;
    Ok(cancel)
}
