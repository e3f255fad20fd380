//! Where a run puts what it learns: the progress, saved before the run goes on; lines that say
//! what was done; and the journal of its writes. The front end provides them: the command line
//! saves to the locked file and prints, the walkthrough gets [`Event`]s and answers each save
//! only once it has written the file, so "saved before anything else" holds in both.

use tokio::sync::{mpsc, oneshot};

use super::backoff::Backoff;
use crate::core::plan::Written;
use crate::core::progress::{Progress, Unsaved};
use crate::i18n::Lang;
use crate::remote::signin::DeviceCode;

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

/// Makes a progress durable, or says why not.
pub type Saver<'a> = Box<dyn FnMut(&Progress) -> Result<(), Unsaved> + 'a>;

/// The command line's side: save, say, and say on the side (waits).
pub struct Local<'a> {
    pub save: Saver<'a>,
    pub say: Box<dyn FnMut(&str) + 'a>,
    pub notice: Box<dyn FnMut(&str) + 'a>,
}

enum Sink<'a> {
    Local(Local<'a>),
    Walkthrough(mpsc::UnboundedSender<Event>),
}

/// A run: the progress it works on, where that goes, how long it may wait.
pub struct Run<'a> {
    pub progress: Progress,
    pub lang: Lang,
    pub backoff: Backoff,
    /// Who is signed in where, once the plan is made (for the journal).
    pub who: crate::core::plan::Who,
    sink: Sink<'a>,
    journal: Box<dyn FnMut(&Written) + 'a>,
}

impl<'a> Run<'a> {
    pub fn local(
        progress: Progress,
        lang: Lang,
        backoff: Backoff,
        local: Local<'a>,
        journal: Box<dyn FnMut(&Written) + 'a>,
    ) -> Self {
        Run {
            progress,
            lang,
            backoff,
            who: Default::default(),
            sink: Sink::Local(local),
            journal,
        }
    }

    pub fn walkthrough(
        progress: Progress,
        lang: Lang,
        backoff: Backoff,
        tx: mpsc::UnboundedSender<Event>,
        journal: Box<dyn FnMut(&Written) + 'a>,
    ) -> Self {
        Run {
            progress,
            lang,
            backoff,
            who: Default::default(),
            sink: Sink::Walkthrough(tx),
            journal,
        }
    }

    /// Make the progress durable; the run goes on only after this.
    pub async fn save(&mut self) -> Result<(), super::Stop> {
        match &mut self.sink {
            Sink::Local(l) => (l.save)(&self.progress).map_err(super::Stop::Saving),
            Sink::Walkthrough(tx) => {
                let gone = || super::Stop::Saving(Unsaved::Gone);
                let (ack, saved) = oneshot::channel();
                tx.send(Event::Save(Box::new(self.progress.clone()), ack))
                    .map_err(|_| gone())?;
                saved
                    .await
                    .map_err(|_| gone())?
                    .map_err(super::Stop::Saving)
            }
        }
    }

    /// Say a line of what was done. Lines carry what Graph answered: cleaned for the terminal.
    pub fn say(&mut self, line: &str) {
        let line = crate::text::clean_for_display(line).into_owned();
        match &mut self.sink {
            Sink::Local(l) => (l.say)(&line),
            Sink::Walkthrough(tx) => {
                let _ = tx.send(Event::Said(line));
            }
        }
    }

    /// Say while waiting (on the command line on stderr, beside the output).
    pub fn notice(&mut self, line: &str) {
        let line = crate::text::clean_for_display(line).into_owned();
        match &mut self.sink {
            Sink::Local(l) => (l.notice)(&line),
            Sink::Walkthrough(tx) => {
                let _ = tx.send(Event::Said(line));
            }
        }
    }

    /// The live check's results, for the walkthrough's panel.
    pub fn verified(&mut self, results: &crate::remote::verify::Results) {
        if let Sink::Walkthrough(tx) = &self.sink {
            let _ = tx.send(Event::Verified(results.clone()));
        }
    }

    pub fn journal(&mut self, w: &Written) {
        (self.journal)(w);
    }
}
