//! The command line as a front end of a run ([`engine::Front`]): saves go to the locked file,
//! lines to stdout, waits and sign-in prompts to stderr, the plan is printed and asked about on
//! the terminal (`--yes` without one), each write goes into the journal beside the file.

use std::io::Write;

use futures_util::future::LocalBoxFuture;

use crate::cli::{Env, Failure, Opened};
use crate::core::plan::{Plan, Written};
use crate::core::progress::{Progress, Unsaved};
use crate::engine::Front;
use crate::i18n::Lang;
use crate::remote::signin::login::Prompt;
use crate::tr;

/// A confirmation of a plan other than `[y/N]`.
pub(crate) type Confirmation<'a> = Box<dyn FnMut(&Plan) -> Result<(), Failure> + 'a>;

pub(crate) struct CliFront<'a> {
    pub env: &'a Env,
    /// The progress file, locked once a run that writes asked for the record (none for
    /// `azreg plan`, which writes nothing).
    pub opened: Option<Opened>,
    pub out: &'a mut dyn Write,
    /// `--yes`.
    pub yes: bool,
    pub clipboard: crate::io::clipboard::Mode,
    /// The clipboard that holds the device code while the sign-in runs.
    pub kept: Option<crate::io::clipboard::Lazy>,
    /// Why the confirmation said no, when the command line refused (no terminal, no --yes).
    pub refused: Option<Failure>,
    /// Another confirmation than `[y/N]` (`delete` wants the app's display name typed).
    pub confirm_with: Option<Confirmation<'a>>,
    pub journal: crate::io::journal::Journal,
}

impl<'a> CliFront<'a> {
    pub fn new(
        env: &'a Env,
        out: &'a mut dyn Write,
        (yes, clipboard): (bool, crate::io::clipboard::Mode),
    ) -> Self {
        CliFront {
            env,
            opened: None,
            out,
            yes,
            clipboard,
            kept: None,
            refused: None,
            confirm_with: None,
            journal: crate::io::journal::Journal::new(&env.path),
        }
    }

    fn lang(&self) -> Lang {
        self.env.procedure.lang()
    }
}

impl Front for CliFront<'_> {
    /// Read for a run that only reads (`azreg plan`); locked and read for one that writes,
    /// the lock kept until the command ends.
    fn record(&mut self, writing: bool) -> Result<Progress, String> {
        if !writing {
            return self.env.load().map_err(|f| f.message);
        }
        let opened = self.env.open().map_err(|f| f.message)?;
        for note in &opened.notes {
            eprintln!("azreg: {note}");
        }
        let progress = opened.progress.clone();
        self.opened = Some(opened);
        Ok(progress)
    }

    fn save(&mut self, progress: &Progress) -> LocalBoxFuture<'_, Result<(), Unsaved>> {
        let saved = match &mut self.opened {
            Some(o) => {
                o.progress = progress.clone();
                self.env.save_opened_unsaved(o)
            }
            // `azreg plan` writes nothing, and so saves nothing.
            None => Ok(()),
        };
        Box::pin(std::future::ready(saved))
    }

    fn say(&mut self, line: &str) {
        let _ = writeln!(self.out, "{line}");
    }

    fn notice(&mut self, line: &str) {
        eprintln!("azreg: {line}");
    }

    fn journal(&mut self, w: &Written) {
        if let Err(e) = self.journal.append(w) {
            eprintln!(
                "azreg: {}",
                tr!(
                    self.lang(),
                    "the journal {path} could not be written: {e}",
                    "das Journal {path} ließ sich nicht schreiben: {e}",
                    path = self.journal.path.display(),
                    e = e,
                )
            );
        }
    }

    fn prompt(&mut self, p: &Prompt<'_>) {
        let lang = self.lang();
        super::sign_in::show_prompt(p, lang, self.clipboard, &mut self.kept);
    }

    fn confirm(&mut self, plan: &Plan) -> LocalBoxFuture<'_, bool> {
        let lang = self.lang();
        let shown = write!(self.out, "{}", plan.text(lang)).and_then(|()| self.out.flush());
        let answer = match shown {
            Err(e) => {
                self.refused = Some(Failure::write(e, lang));
                false
            }
            Ok(()) => match match &mut self.confirm_with {
                Some(confirm) => confirm(plan),
                None => super::confirm(self.yes, plan, lang),
            } {
                Ok(()) => true,
                Err(f) => {
                    self.refused = Some(f);
                    false
                }
            },
        };
        Box::pin(std::future::ready(answer))
    }

    fn ask(&mut self, question: &str) -> LocalBoxFuture<'_, bool> {
        let yes = crate::cli::ask_yes(question, &mut std::io::stdin().lock()) == Some(true);
        Box::pin(std::future::ready(yes))
    }

    fn ready(&mut self) -> Result<(), String> {
        self.journal.ready(self.lang())
    }
}
