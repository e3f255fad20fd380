//! What flows between the app and the runtime: messages in (`Msg`), effects out (`Effect`).
//! Both are plain data, so `update` stays a pure function of state and message.

use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::remote::verify;
use crate::secret::Secret;

/// What the app is told from outside.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Timer(Timer),
    /// The outcome of a save: `Err` carries the reason.
    Saved(Result<(), crate::core::progress::Unsaved>),
    /// The outcome of opening a link.
    Opened(Result<String, Failed>),
    /// The outcome of a copy.
    Copied(Result<Copied, crate::io::clipboard::ClipError>),
    /// The secret was cleared from the clipboard (`false`: it no longer held it).
    ClipboardCleared(bool),
    /// The live check finished.
    Verified(verify::Results),
    /// The outcome of writing to another file: the path written, or why not.
    SavedAs(Result<String, Failed>),
    /// A frame was drawn: the layout facts `update` needs.
    Drawn(Drawn),
    /// "Let azreg do it" recorded this progress; the save that follows answers the run.
    Applied(Box<crate::core::progress::Progress>),
    /// What the run says while it works.
    ApplyNews(News),
    /// The run ended: done, or why it stopped.
    ApplyEnded(Result<(), crate::engine::JobError>),
    /// The run read the tenant and made this plan; nothing is written before the answer.
    ApplyPlan(Box<crate::core::plan::Plan>),
    /// The run's live check ended.
    ApplyVerified(verify::Results),
    /// "Check in Azure" read the registration.
    ApplyExamined(Box<crate::core::plan::Tenant>),
}

/// What a run of "let azreg do it" says while it works.
#[derive(Debug, Clone)]
pub enum News {
    /// A line: a part done, a wait for replication.
    Said(String),
    /// The browser sign-in waits at this link; why the browser did not open, if not.
    Link(String, Option<String>),
    /// The device code sign-in: enter this code at this link.
    Code(crate::remote::signin::DeviceCode),
}

/// What drawing learned that `update` needs (fed back as `Msg::Drawn`): the view owns the
/// geometry, the app only clamps with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drawn {
    pub max_body_scroll: u16,
}

/// What the runtime reports after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub label: String,
    pub chars: usize,
    pub kind: crate::io::clipboard::Kind,
    pub secret: bool,
    /// Why the system clipboard was not used, the first time that happens.
    pub fallback: Option<crate::io::clipboard::ClipError>,
    /// The copy will not arrive (tmux swallows OSC 52), and how to fix that.
    pub blocked: Option<crate::io::clipboard::ClipError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    HideSecret,
    /// One second of the countdown until the secret is cleared from the clipboard.
    ClipboardTick,
    /// The next frame of the live check's spinner.
    Spinner,
}

/// What the runtime is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Save,
    Quit,
    OpenUrl(String),
    /// Send `Msg::Timer` after the duration (replacing a pending one of the same kind).
    Schedule(Timer, Duration),
    /// Put text on the clipboard; answered with `Msg::Copied`.
    Copy {
        label: String,
        text: Secret,
        secret: bool,
    },
    /// Clear the clipboard if it still holds this text; answered with `Msg::ClipboardCleared`.
    ClearClipboardIf(Secret),
    /// Write the progress to another file; answered with `Msg::SavedAs`.
    SaveAs(String),
    /// Give the terminal back and stop (Ctrl-Z); the screen is redrawn on `fg`.
    Suspend,
    /// Remove this file after the next successful save (an import taken in).
    ForgetAfterSave(std::path::PathBuf),
    /// Run the live check in the background; answered with `Msg::Verified`.
    Verify(Box<verify::Request>),
    CancelVerify,
    /// Start "let azreg do it" with this sign-in; answered with `Msg::Applied`, `Msg::ApplyNews`
    /// and, last, `Msg::ApplyEnded`.
    Apply(crate::remote::signin::login::Login),
    /// "Check in Azure" with this sign-in: answered with `Msg::ApplyExamined`, then
    /// `Msg::ApplyEnded`; stopped by `CancelApply` like a run.
    Examine(crate::remote::signin::login::Login),
    /// Stop "let azreg do it" where it is; answered with `Msg::ApplyEnded`.
    CancelApply,
    /// The admin's answer to the plan: do it, or write nothing.
    AnswerPlan(bool),
}

/// Why something the runtime did for the app did not work; the app words it in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    /// The operating system's words (an I/O error).
    Io(String),
    /// "Write elsewhere" named the very file that cannot be saved.
    SameFile,
    /// The browser opener could not be started.
    NoOpener {
        opener: String,
        url: String,
        why: String,
    },
}

impl Failed {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::tr;
        match self {
            Failed::Io(e) => crate::text::clean_for_display(e).into_owned(),
            Failed::SameFile => tr!(
                lang,
                "that is the file that cannot be saved: choose another",
                "das ist die Datei, die nicht gespeichert werden kann: wählen Sie eine andere"
            ),
            Failed::NoOpener { opener, url, why } => tr!(
                lang,
                "could not start {opener} ({why}): open {url} yourself",
                "{opener} ließ sich nicht starten ({why}): öffnen Sie {url} selbst",
                opener = opener,
                why = why,
                url = url,
            ),
        }
    }
}
