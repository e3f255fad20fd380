//! Where a run of apply puts what it learns: the progress, saved before the run goes on, and
//! lines that say what was done. On the command line both go to the locked progress file and
//! stdout; in the walkthrough they go to the screen as [`Event`]s, and each save is answered
//! only once the walkthrough has written the file, so "saved before anything else" holds there
//! too.

use std::io::Write;

use tokio::sync::{mpsc, oneshot};

use crate::commands::{EXIT_FILE, Env, Failure, Opened};
use crate::i18n::Lang;
use crate::progress::Progress;
use crate::signin::DeviceCode;
use crate::tr;

/// What a run of apply tells the walkthrough.
#[derive(Debug)]
pub enum Event {
    /// Save this progress; the answer says when it is on disk, or why it is not.
    Save(Box<Progress>, oneshot::Sender<Result<(), String>>),
    /// A line of what happens.
    Said(String),
    /// The browser sign-in is waiting at this link; why the browser did not open, if not.
    Link(String, Option<String>),
    /// The device code sign-in: the person enters this code at this link.
    Code(DeviceCode),
    /// The run ended: done, or where and why it stopped.
    Ended(Result<(), String>),
}

pub enum Ledger<'a> {
    /// The command line: the locked file, lines on `out`, notices on stderr.
    File {
        env: &'a Env,
        opened: &'a mut Opened,
        out: &'a mut dyn Write,
    },
    /// The walkthrough, which saves and shows.
    Walkthrough(mpsc::UnboundedSender<Event>),
}

/// A run: the progress it works on, and where that goes.
pub struct Run<'a> {
    pub progress: Progress,
    pub lang: Lang,
    ledger: Ledger<'a>,
}

impl<'a> Run<'a> {
    /// A run on the command line, on the opened file (given back with what was saved).
    pub fn file(env: &'a Env, opened: &'a mut Opened, out: &'a mut dyn Write) -> Self {
        Run {
            progress: opened.progress.clone(),
            lang: env.procedure.lang(),
            ledger: Ledger::File { env, opened, out },
        }
    }

    pub fn walkthrough(progress: Progress, lang: Lang, tx: mpsc::UnboundedSender<Event>) -> Self {
        Run {
            progress,
            lang,
            ledger: Ledger::Walkthrough(tx),
        }
    }

    /// Make the progress durable; the run goes on only after this.
    pub async fn save(&mut self) -> Result<(), Failure> {
        match &mut self.ledger {
            Ledger::File { env, opened, .. } => {
                opened.progress = self.progress.clone();
                env.save_opened(opened)
            }
            Ledger::Walkthrough(tx) => {
                let gone = || {
                    Failure::new(
                        EXIT_FILE,
                        tr!(
                            self.lang,
                            "the walkthrough ended before it saved",
                            "der Durchgang endete, bevor er speicherte"
                        ),
                    )
                };
                let (ack, saved) = oneshot::channel();
                tx.send(Event::Save(Box::new(self.progress.clone()), ack))
                    .map_err(|_| gone())?;
                saved
                    .await
                    .map_err(|_| gone())?
                    .map_err(|e| Failure::new(EXIT_FILE, e))
            }
        }
    }

    /// Say a line of what was done. Lines carry what Graph answered: cleaned for the terminal.
    pub fn say(&mut self, line: String) {
        let line = crate::text::clean_for_display(&line).into_owned();
        match &mut self.ledger {
            Ledger::File { out, .. } => {
                let _ = writeln!(out, "{line}");
            }
            Ledger::Walkthrough(tx) => {
                let _ = tx.send(Event::Said(line));
            }
        }
    }

    /// Said while Graph does not yet show what was just made (eventual consistency).
    pub fn waited(&self) -> impl FnMut(u64) + use<> {
        let tx = match &self.ledger {
            Ledger::Walkthrough(tx) => Some(tx.clone()),
            Ledger::File { .. } => None,
        };
        let lang = self.lang;
        move |seconds| {
            let line = tr!(
                lang,
                "not visible yet (replication); trying again in {seconds} s",
                "noch nicht sichtbar (Replikation); neuer Versuch in {seconds} s",
                seconds = seconds,
            );
            match &tx {
                Some(tx) => {
                    let _ = tx.send(Event::Said(line));
                }
                None => eprintln!("azreg: {line}"),
            }
        }
    }
}
