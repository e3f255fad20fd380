//! Where a run puts what it learns, through the front end that started it ([`Front`]): the
//! progress, saved before the run goes on; lines that say what was done; the journal of its
//! writes; the plan shown and answered. The command line implements it once (saving to the
//! locked file, printing, asking on the terminal), the walkthrough once (events on a channel,
//! each save and the plan answered by the app), so "saved before anything else" and "nothing
//! written before the plan is answered" hold for both.

use futures_util::future::LocalBoxFuture;
use tokio::sync::{mpsc, oneshot};

use super::backoff::Backoff;
use crate::core::plan::{Plan, Written};
use crate::core::progress::{Progress, Unsaved};
use crate::i18n::Lang;
use crate::remote::signin::DeviceCode;
use crate::remote::signin::login::Prompt;
use crate::remote::verify::Results;

/// A front end, as a run sees it: ask, say, save, show the plan.
pub trait Front {
    /// The record a run starts from. For a run that writes (`writing`) the front end holds it
    /// from here (the command line locks its file), so nothing else changes it between the
    /// plan and the writes; why not, in the front end's words.
    fn record(&mut self, writing: bool) -> Result<Progress, String>;
    /// Make the progress durable; the run goes on only after this.
    fn save(&mut self, progress: &Progress) -> LocalBoxFuture<'_, Result<(), Unsaved>>;
    /// A line of what was done.
    fn say(&mut self, line: &str);
    /// A line while waiting (the command line puts it beside the output, on stderr).
    fn notice(&mut self, line: &str);
    /// One write, for the journal.
    fn journal(&mut self, w: &Written);
    /// The live check's results.
    fn verified(&mut self, _results: &Results) {}
    /// How to sign in: the browser's link (and why it did not open), or the device code.
    fn prompt(&mut self, _p: &Prompt<'_>) {}
    /// The plan, shown; whether to do it. Nothing is written before `true`.
    fn confirm(&mut self, plan: &Plan) -> LocalBoxFuture<'_, bool>;
    /// A yes/no question for the admin (where nothing else proves the answer): no by default.
    fn ask(&mut self, _question: &str) -> LocalBoxFuture<'_, bool> {
        Box::pin(std::future::ready(false))
    }
    /// Before the first write: whether the journal can be kept safely (else why not).
    fn ready(&mut self) -> Result<(), String> {
        Ok(())
    }
}

impl<F: Front + ?Sized> Front for &mut F {
    fn record(&mut self, writing: bool) -> Result<Progress, String> {
        (**self).record(writing)
    }
    fn save(&mut self, progress: &Progress) -> LocalBoxFuture<'_, Result<(), Unsaved>> {
        (**self).save(progress)
    }
    fn say(&mut self, line: &str) {
        (**self).say(line);
    }
    fn notice(&mut self, line: &str) {
        (**self).notice(line);
    }
    fn journal(&mut self, w: &Written) {
        (**self).journal(w);
    }
    fn verified(&mut self, results: &Results) {
        (**self).verified(results);
    }
    fn prompt(&mut self, p: &Prompt<'_>) {
        (**self).prompt(p);
    }
    fn confirm(&mut self, plan: &Plan) -> LocalBoxFuture<'_, bool> {
        (**self).confirm(plan)
    }
    fn ask(&mut self, question: &str) -> LocalBoxFuture<'_, bool> {
        (**self).ask(question)
    }
    fn ready(&mut self) -> Result<(), String> {
        (**self).ready()
    }
}

/// What a run tells the walkthrough.
#[derive(Debug)]
pub enum Event {
    /// Save this progress; the answer says when it is on disk, or why it is not.
    Save(Box<Progress>, oneshot::Sender<Result<(), Unsaved>>),
    /// A line of what happens.
    Said(String),
    /// The browser sign-in is waiting at this link; why the browser did not open, if not.
    Link(String, Option<String>),
    /// The device code sign-in: the person enters this code at this link.
    Code(DeviceCode),
    /// The plan: go ahead (`true`) or not. Nothing is written before the answer.
    Plan(Box<crate::core::plan::Plan>, oneshot::Sender<bool>),
    /// The live check at the end of the run.
    Verified(crate::remote::verify::Results),
    /// "Check in Azure": the registration as read (GETs only).
    Examined(Box<crate::core::plan::Tenant>),
    /// The run ended: done, or where and why it stopped.
    Ended(Result<(), super::JobError>),
}

/// The walkthrough's side: every event on its channel, each save and the plan answered by the
/// app once it has acted.
pub struct Channel {
    pub tx: mpsc::UnboundedSender<Event>,
    pub journal: super::Journal,
    /// The record as the walkthrough held it when the run began (it holds the file's lock;
    /// every change comes back to it as a save).
    pub record: Progress,
}

impl Front for Channel {
    fn record(&mut self, _writing: bool) -> Result<Progress, String> {
        Ok(self.record.clone())
    }
    fn save(&mut self, progress: &Progress) -> LocalBoxFuture<'_, Result<(), Unsaved>> {
        let (ack, saved) = oneshot::channel();
        let sent = self.tx.send(Event::Save(Box::new(progress.clone()), ack));
        Box::pin(async move {
            sent.map_err(|_| Unsaved::Gone)?;
            saved.await.map_err(|_| Unsaved::Gone)?
        })
    }
    fn say(&mut self, line: &str) {
        let _ = self.tx.send(Event::Said(line.to_string()));
    }
    fn notice(&mut self, line: &str) {
        let _ = self.tx.send(Event::Said(line.to_string()));
    }
    fn journal(&mut self, w: &Written) {
        self.journal.append(w);
    }
    fn ready(&mut self) -> Result<(), String> {
        self.journal.ready()
    }
    fn verified(&mut self, results: &Results) {
        let _ = self.tx.send(Event::Verified(results.clone()));
    }
    fn prompt(&mut self, p: &Prompt<'_>) {
        match p {
            Prompt::Link(link) => {
                let _ = self.tx.send(Event::Link(link.to_string(), None));
                let (tx, again) = (self.tx.clone(), link.to_string());
                crate::remote::signin::login::open_browser(link, move |why| {
                    let _ = tx.send(Event::Link(again, Some(why)));
                });
            }
            Prompt::Code(c) => {
                let _ = self.tx.send(Event::Code((*c).clone()));
            }
        }
    }
    fn confirm(&mut self, plan: &Plan) -> LocalBoxFuture<'_, bool> {
        let (ack, answer) = oneshot::channel();
        // A walkthrough that is gone cannot say yes.
        let _ = self.tx.send(Event::Plan(Box::new(plan.clone()), ack));
        Box::pin(async move { answer.await.unwrap_or(false) })
    }
}

/// A run: the progress it works on, the front end it speaks through, how long it may wait.
pub struct Run<'a> {
    pub progress: Progress,
    pub lang: Lang,
    pub backoff: Backoff,
    /// Who is signed in where, once the plan is made (for the journal).
    pub who: crate::core::plan::Who,
    front: Box<dyn Front + 'a>,
}

impl<'a> Run<'a> {
    pub fn new(
        progress: Progress,
        lang: Lang,
        backoff: Backoff,
        front: Box<dyn Front + 'a>,
    ) -> Self {
        Run {
            progress,
            lang,
            backoff,
            who: Default::default(),
            front,
        }
    }

    /// Make the progress durable; the run goes on only after this.
    pub async fn save(&mut self) -> Result<(), super::Stop> {
        self.front
            .save(&self.progress)
            .await
            .map_err(super::Stop::Saving)
    }

    /// Change the record (through `core::edit`) and, when that changed it, make it durable
    /// before the run goes on: what Graph handed out is never only in memory while the next
    /// write goes out, and no operation has to remember the save.
    pub async fn record<R>(
        &mut self,
        change: impl FnOnce(&mut Progress) -> R,
    ) -> Result<R, super::Stop> {
        let before = self.progress.clone();
        let changed = change(&mut self.progress);
        if self.progress != before {
            self.save().await?;
        }
        Ok(changed)
    }

    /// Say a line of what was done. Lines carry what Graph answered: cleaned for the terminal.
    pub fn say(&mut self, line: &str) {
        let line = crate::text::clean_for_display(line).into_owned();
        self.front.say(&line);
    }

    /// Say while waiting (on the command line on stderr, beside the output).
    pub fn notice(&mut self, line: &str) {
        let line = crate::text::clean_for_display(line).into_owned();
        self.front.notice(&line);
    }

    /// The live check's results, for the walkthrough's panel.
    pub fn verified(&mut self, results: &crate::remote::verify::Results) {
        self.front.verified(results);
    }

    pub fn journal(&mut self, w: &Written) {
        self.front.journal(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A front end that counts saves.
    struct Saves(usize);

    impl Front for Saves {
        fn record(&mut self, _writing: bool) -> Result<Progress, String> {
            Ok(Progress::new("x"))
        }
        fn save(&mut self, _p: &Progress) -> LocalBoxFuture<'_, Result<(), Unsaved>> {
            self.0 += 1;
            Box::pin(std::future::ready(Ok(())))
        }
        fn say(&mut self, _line: &str) {}
        fn notice(&mut self, _line: &str) {}
        fn journal(&mut self, _w: &Written) {}
        fn confirm(&mut self, _plan: &Plan) -> LocalBoxFuture<'_, bool> {
            Box::pin(std::future::ready(false))
        }
    }

    /// Every change of the record is saved before the run goes on; no change, no save.
    #[test]
    fn a_change_of_the_record_is_saved_before_the_run_goes_on() {
        let mut front = Saves(0);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut run = Run::new(
                Progress::new("x"),
                Lang::En,
                Backoff::new(std::time::Duration::from_secs(1)),
                Box::new(&mut front),
            );
            let said = run
                .record(|p| {
                    p.pending_secret = Some("2026-12-06T00:00:00Z".into());
                    7
                })
                .await
                .unwrap();
            assert_eq!(said, 7);
            run.record(|p| p.pending_secret.is_some()).await.unwrap();
            assert_eq!(
                run.progress.pending_secret.as_deref(),
                Some("2026-12-06T00:00:00Z")
            );
        });
        assert_eq!(front.0, 1, "one change, one save");
    }
}
