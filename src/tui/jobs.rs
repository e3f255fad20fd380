//! "Let azreg do it" and "check in Azure" for both front ends (the full screen and plain
//! mode): starting the engine's run for the walkthrough's state, and its events as the app's
//! messages, the answers the run waits for (saves, the plan) kept to be sent.

use std::path::Path;

use tokio::sync::{mpsc, oneshot};

use crate::engine;
use crate::remote::signin::login::Login;
use crate::tui::app::App;
use crate::tui::msg::{Msg, News};

/// A save the run waits on: answered once the file is written, or with why not.
pub type SaveAck = oneshot::Sender<Result<(), crate::core::progress::Unsaved>>;

/// Start the run (`examine`: the read of "check in Azure"); its events arrive on `tx`, each
/// write is journaled beside `path`. The sender stops it where it is.
pub fn start(
    app: &App,
    examine: bool,
    login: Login,
    path: &Path,
    tx: mpsc::UnboundedSender<engine::Event>,
) -> Result<oneshot::Sender<()>, engine::JobError> {
    let make = if examine {
        engine::Job::examine
    } else {
        engine::Job::new
    };
    let job = make(
        &app.procedure,
        &app.progress,
        app.config.today,
        login,
        app.config.graph.as_deref(),
        crate::io::clock::now,
    )?;
    let mut journal = Kept {
        journal: crate::io::journal::Journal::new(path),
        lang: app.procedure.lang(),
    };
    // A journal that cannot be kept safely is said before the sign-in, not after it; the
    // session asks again before its first write (the rule lives there).
    if !examine {
        engine::JournalSink::ready(&mut journal).map_err(engine::JobError::System)?;
    }
    engine::start(job, Box::new(journal), tx).map_err(|e| engine::JobError::System(e.to_string()))
}

/// The journal beside the walkthrough's progress file, as the run keeps it.
struct Kept {
    journal: crate::io::journal::Journal,
    lang: crate::i18n::Lang,
}

impl engine::JournalSink for Kept {
    fn ready(&mut self) -> Result<(), String> {
        self.journal.ready(self.lang)
    }
    fn append(&mut self, w: &crate::core::plan::Written) {
        let _ = self.journal.append(w);
    }
}

/// The event as the app's message; a save's and the plan's answer channels kept here.
pub fn to_msg(
    event: engine::Event,
    acks: &mut Vec<SaveAck>,
    plan_ack: &mut Option<oneshot::Sender<bool>>,
) -> Msg {
    match event {
        engine::Event::Save(progress, ack) => {
            acks.push(ack);
            Msg::Applied(progress)
        }
        engine::Event::Said(line) => Msg::ApplyNews(News::Said(line)),
        engine::Event::Link(link, failed) => Msg::ApplyNews(News::Link(link, failed)),
        engine::Event::Code(code) => Msg::ApplyNews(News::Code(code)),
        engine::Event::Plan(plan, ack) => {
            *plan_ack = Some(ack);
            Msg::ApplyPlan(plan)
        }
        engine::Event::Verified(results) => Msg::ApplyVerified(results),
        engine::Event::Examined(t) => Msg::ApplyExamined(t),
        engine::Event::Ended(result) => Msg::ApplyEnded(result),
    }
}
