//! App state and `update(msg) -> effects`. No I/O happens here: saving, opening a browser
//! and timers are effects that the runtime performs and answers with messages; the clock is
//! passed in (`Config::today` for dates, `App::now`, set by the runtime before each message,
//! for the time a mark is stamped with).
//!
//! `impl App` is split by feature: navigation, editing, overlays, clipboard, the live check
//! and quitting each have a file of their own below this one.

mod applying;
mod clipboard;
mod editing;
mod examining;
mod live_check;
mod navigation;
mod overlays;
mod quitting;

use std::rc::Rc;
use std::time::Duration;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use time::Date;
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use crate::core::fields::{self, Assessment, Context, FieldSpec, FieldState};
use crate::core::procedure::{EntryKind, Procedure};
use crate::core::progress::{self, Progress};
use crate::core::report::Report;
use crate::i18n::Lang;
use crate::remote::verify;
use crate::tr;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::layout;

pub use crate::tui::msg::{Copied, Effect, Msg, News, Timer};
pub use applying::{ApplyLog, SIGN_INS};

/// Longest paste taken into a field; anything longer is not a value azreg asks for.
pub const MAX_PASTE: usize = 4096;
/// How often the live check's spinner turns.
pub const SPINNER_EVERY: Duration = Duration::from_millis(120);
/// How long `r` shows the secret.
pub const REVEAL_FOR: Duration = Duration::from_secs(10);

/// The live check in the walkthrough.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Idle,
    Running { frame: usize },
    Done(verify::Results),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Checklist,
    /// The n-th field of the current step.
    Field(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help {
        scroll: u16,
    },
    Values {
        selected: usize,
    },
    Pick {
        field: String,
        selected: usize,
    },
    /// Quitting while the progress file could not be saved.
    ConfirmQuit,
    /// Values an `azreg import` kept aside while this file was locked (`App::pending_import`).
    TakeImport,
    /// The live check would send the secret to an authority other than Microsoft's default.
    ConfirmAuthority {
        host: String,
    },
    /// Quitting while the secret is only in memory (`--no-store-secret`).
    ConfirmSecretQuit,
    /// "Let azreg do it" or "check in Azure" (`examine`): how to sign in (`SIGN_INS`), at
    /// this host.
    SignIn {
        selected: usize,
        host: String,
        examine: bool,
    },
    /// "Check in Azure": the findings (`App::examined`).
    Findings {
        scroll: u16,
    },
    /// The last messages, whole (`m`).
    Messages {
        scroll: u16,
    },
    /// "Let azreg do it": the plan (`App::plan`), before anything is written.
    Plan {
        scroll: u16,
    },
}

/// A value being edited.
#[derive(Debug, Clone)]
pub struct Editor {
    pub target: EditTarget,
    pub input: Input,
    pub error: Option<String>,
}

/// What the line editor edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    Field(String),
    /// Where to write the progress when the progress file cannot be saved.
    SavePath,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub tone: Tone,
}

/// How many of the last messages `m` shows.
pub const MAX_MESSAGES: usize = 30;

/// Facts from the environment, read once at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The progress file as shown in the status line.
    pub file_label: String,
    /// A browser can be opened (a display is there).
    pub has_display: bool,
    /// Write the client secret to the progress file.
    pub store_secret: bool,
    pub no_color: bool,
    pub today: Date,
    /// Seconds until a copied secret is cleared from the clipboard; 0 = never.
    pub clear_after: u32,
    /// Offered as the place to write progress to when the progress file cannot be saved.
    pub rescue_path: String,
    /// The profile's name, shown in the title.
    pub profile: Option<String>,
    /// Microsoft Graph's root for "let azreg do it" (`--graph`), for a cloud azreg does not know.
    pub graph: Option<String>,
    /// Other users logged in to this machine: they can read the browser sign-in's link.
    pub other_users: Vec<String>,
    /// Take the mouse (click, wheel); off with `--no-mouse` or `mouse = false`.
    pub mouse: bool,
}

impl Config {
    /// A walkthrough without a display or colour that stores the secret, on `today`: the one
    /// starting point of the tests and benchmarks (`Config { no_color: false, ..headless }`).
    pub fn headless(today: Date) -> Config {
        Config {
            file_label: "~/.local/state/azreg/progress.toml".into(),
            has_display: false,
            store_secret: true,
            no_color: true,
            today,
            clear_after: 30,
            rescue_path: "/tmp/rescue.toml".into(),
            profile: None,
            graph: None,
            other_users: Vec::new(),
            mouse: true,
        }
    }
}

pub struct App {
    pub procedure: Rc<Procedure>,
    pub progress: Progress,
    pub config: Config,
    /// Index into `procedure.entries`.
    pub cursor: usize,
    pub focus: Focus,
    pub overlay: Overlay,
    pub editor: Option<Editor>,
    pub body_scroll: u16,
    pub status: Option<Status>,
    /// The last save failed with this reason; shown until a save succeeds.
    pub save_error: Option<crate::core::progress::Unsaved>,
    pub secret_revealed: bool,
    /// Seconds left until the copied secret is cleared from the clipboard.
    pub clear_left: Option<u32>,
    pub check: Check,
    /// Quit once the next save succeeds (the user chose to retry).
    pub quit_after_save: bool,
    /// Said on the terminal after the walkthrough ends.
    pub farewell: Option<String>,
    pub size: (u16, u16),
    pub quitting: bool,
    /// Values an import kept aside, and the file they are in, while the offer is open.
    pub pending_import: Option<(
        std::path::PathBuf,
        serde_json::Map<String, serde_json::Value>,
    )>,
    /// The authority host the user agreed to send the secret to, in this session.
    pub authority_confirmed: Option<String>,
    /// How far the step's text can scroll, as the last frame drawn found (`Msg::Drawn`).
    pub max_body_scroll: u16,
    /// The time a mark is stamped with: set by the runtime before each message, so `update`
    /// reads no clock (like `Config::today`).
    pub now: toml::value::Datetime,
    /// "Let azreg do it": the run going on or last ended, and what it said.
    pub apply: Option<ApplyLog>,
    /// The plan the run waits on an answer for.
    pub plan: Option<Box<crate::core::plan::Plan>>,
    /// "Check in Azure": what the last read found.
    examined: Option<crate::core::doctor::Examined>,
    /// The last messages, oldest first (`m` shows them whole).
    pub messages: Vec<Status>,
    /// The step and how many of its text's links `c` has copied in a row (it takes the next).
    copied_links: (usize, usize),
}

/// Shows where the user is, never what they entered (one value is the client secret).
impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("procedure", &self.procedure.id)
            .field("progress", &self.progress)
            .field("cursor", &self.cursor)
            .field("focus", &self.focus)
            .field("overlay", &self.overlay)
            .field("editing", &self.editor.as_ref().map(|e| &e.target))
            .field("check", &matches!(self.check, Check::Running { .. }))
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}
impl App {
    pub fn new(
        procedure: Rc<Procedure>,
        progress: Progress,
        config: Config,
        size: (u16, u16),
    ) -> Self {
        let cursor = Report::new(&procedure, &progress, config.today).current();
        let mut app = App {
            procedure,
            progress,
            config,
            cursor,
            focus: Focus::Checklist,
            overlay: Overlay::None,
            editor: None,
            body_scroll: 0,
            status: None,
            save_error: None,
            secret_revealed: false,
            clear_left: None,
            check: Check::Idle,
            quit_after_save: false,
            farewell: None,
            size,
            quitting: false,
            pending_import: None,
            authority_confirmed: None,
            max_body_scroll: 0,
            now: progress::EPOCH,
            apply: None,
            plan: None,
            examined: None,
            messages: Vec::new(),
            copied_links: (usize::MAX, 0),
        };
        if !app.config.store_secret {
            app.info(tr!(
                app.lang(),
                "The client secret is kept in memory only (--no-store-secret)",
                "Der geheime Clientschlüssel bleibt nur im Speicher (--no-store-secret)"
            ));
        }
        // A secret that expires soon, or has: offer the renewal first thing.
        match app.report().expiry() {
            crate::core::report::Expiry::Soon { date, days } => {
                let n = crate::i18n::nouns::DAYS_DATIVE.count(app.lang(), days);
                app.warning(tr!(
                    app.lang(),
                    "The client secret expires on {date}, in {n}: renew it (azreg renew, or azreg script az --renew)",
                    "Der geheime Clientschlüssel läuft am {date} ab, in {n}: erneuern Sie ihn (azreg renew oder azreg script az --renew)",
                    date = date,
                    n = n,
                ));
            }
            crate::core::report::Expiry::Past { date, .. } => app.error(tr!(
                app.lang(),
                "The client secret expired on {date}: the connector no longer reaches Microsoft 365; renew it (azreg renew, or azreg script az --renew)",
                "Der geheime Clientschlüssel ist am {date} abgelaufen: der Connector erreicht Microsoft 365 nicht mehr; erneuern Sie ihn (azreg renew oder azreg script az --renew)",
                date = date,
            )),
            _ => {}
        }
        app
    }

    pub fn ctx(&self) -> Context<'_> {
        self.procedure
            .context(&self.progress.values, self.config.today)
    }

    pub fn assess(&self, field_id: &str) -> Assessment {
        match self.procedure.field(field_id) {
            Some(spec) => self.ctx().assess(spec),
            None => Assessment {
                value: None,
                derived: false,
                problems: Vec::new(),
            },
        }
    }

    /// The interface's language: the procedure's.
    pub fn lang(&self) -> Lang {
        self.procedure.lang()
    }

    pub fn report(&self) -> Report<'_> {
        Report::new(&self.procedure, &self.progress, self.config.today)
    }

    pub fn done_count(&self) -> usize {
        self.report().done_count()
    }

    pub fn current_fields(&self) -> &[String] {
        &self.procedure.entries[self.cursor].step.fields
    }

    /// What Tab moves through: the fields a step captures, or the lines the summary lists.
    pub fn focus_items(&self) -> &[String] {
        let step = &self.procedure.entries[self.cursor].step;
        if step.fields.is_empty() {
            &step.lists
        } else {
            &step.fields
        }
    }

    pub fn focused_field(&self) -> Option<&FieldSpec> {
        match self.focus {
            Focus::Field(i) => self
                .focus_items()
                .get(i)
                .and_then(|id| self.procedure.field(id)),
            Focus::Checklist => None,
        }
    }

    /// The scopes whose bindings apply now, most specific first.
    pub fn scopes(&self) -> Vec<Scope> {
        if self.editor.is_some() {
            vec![Scope::Always, Scope::Editor]
        } else if self.overlay == Overlay::ConfirmQuit {
            vec![Scope::Always, Scope::Confirm]
        } else if matches!(self.overlay, Overlay::Plan { .. }) {
            vec![Scope::Always, Scope::Plan]
        } else if matches!(
            self.overlay,
            Overlay::TakeImport | Overlay::ConfirmAuthority { .. } | Overlay::ConfirmSecretQuit
        ) {
            vec![Scope::Always, Scope::Ask]
        } else if !matches!(self.overlay, Overlay::None) {
            vec![Scope::Always, Scope::Overlay]
        } else {
            let busy = matches!(self.check, Check::Running { .. })
                || self.apply.as_ref().is_some_and(|a| a.running);
            let focus = match self.focus {
                Focus::Field(_) => Scope::Field,
                Focus::Checklist => Scope::Checklist,
            };
            [Scope::Always, Scope::Busy, focus, Scope::Browse]
                .into_iter()
                .filter(|s| busy || *s != Scope::Busy)
                .collect()
        }
    }

    /// The progress as it goes to disk: without the secret when it must not be stored.
    /// Whether a key's action does something here and now: the status line hints only those.
    pub fn acts(&self, action: Action) -> bool {
        let entry = &self.procedure.entries[self.cursor];
        let step = &entry.step;
        let has_value = |id: &str| self.ctx().effective(id).is_some();
        match action {
            // On the cards Enter only moves on: "done" would be a lie there.
            Action::ToggleDone => matches!(entry.kind, EntryKind::Step { .. }),
            Action::CopyMain => {
                step.main.as_deref().is_some_and(has_value)
                    || step.link.is_some()
                    || step.share.is_some()
                    || step.lists.iter().any(|id| has_value(id))
                    || !step.body_urls().is_empty()
            }
            Action::CopyField => self.focused_field().is_some_and(|f| has_value(&f.id)),
            Action::OpenLink => self.procedure.link_for(self.cursor, None).is_some(),
            Action::Verify => step.verify && !matches!(self.check, Check::Running { .. }),
            Action::Apply => {
                matches!(entry.kind, EntryKind::Intro)
                    && !self.procedure.is_renewal()
                    && !self.apply.as_ref().is_some_and(|a| a.running)
            }
            Action::Examine => step.verify && !self.apply.as_ref().is_some_and(|a| a.running),
            Action::Messages => !self.messages.is_empty(),
            Action::Reveal => self
                .focus_items()
                .iter()
                .any(|id| self.procedure.field(id).is_some_and(|f| f.is_secret()) && has_value(id)),
            Action::FocusNext | Action::FocusPrev => !self.focus_items().is_empty(),
            // Values listed on the summary are entered at their own steps.
            Action::Edit => self
                .focused_field()
                .is_some_and(|f| self.current_fields().contains(&f.id)),
            Action::Commit => {
                matches!(
                    self.overlay,
                    Overlay::Values { .. } | Overlay::Pick { .. } | Overlay::SignIn { .. }
                ) || self.editor.is_some()
            }
            Action::PageDown => self.body_scroll < self.max_body_scroll,
            Action::PageUp => self.body_scroll > 0,
            _ => true,
        }
    }

    pub fn persisted(&self) -> Progress {
        let mut p = self.progress.clone();
        if !self.config.store_secret {
            p.values
                .retain(|id, _| !self.procedure.field(id).is_some_and(FieldSpec::is_secret));
            p.earlier_secrets.clear();
        }
        p
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per message the walkthrough gets: the update of the model-update-view loop, read as one"
    )]
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Msg::Key(_) => Vec::new(),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Drawn(d) => {
                self.max_body_scroll = d.max_body_scroll;
                self.body_scroll = self.body_scroll.min(d.max_body_scroll);
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Msg::Timer(Timer::HideSecret) => {
                self.secret_revealed = false;
                Vec::new()
            }
            Msg::Timer(Timer::ClipboardTick) => self.clipboard_tick(),
            Msg::Timer(Timer::Spinner) => match &mut self.check {
                Check::Running { frame } => {
                    *frame += 1;
                    vec![Effect::Schedule(Timer::Spinner, SPINNER_EVERY)]
                }
                _ => Vec::new(),
            },
            Msg::Verified(results) => self.on_verified(results),
            Msg::Copied(result) => self.on_copied(result),
            Msg::ClipboardCleared(true) => {
                self.clear_left = None;
                self.info(tr!(
                    self.lang(),
                    "The client secret was cleared from the clipboard",
                    "Der geheime Clientschlüssel wurde aus der Zwischenablage entfernt"
                ));
                Vec::new()
            }
            Msg::ClipboardCleared(false) => {
                self.clear_left = None;
                Vec::new()
            }
            Msg::Saved(Ok(())) => {
                if self.save_error.take().is_some() {
                    self.success(tr!(
                        self.lang(),
                        "Saved again: nothing was lost",
                        "Wieder gespeichert: nichts ging verloren"
                    ));
                }
                if std::mem::take(&mut self.quit_after_save) {
                    return self.quit();
                }
                Vec::new()
            }
            Msg::Saved(Err(reason)) => {
                self.save_error = Some(reason);
                if std::mem::take(&mut self.quit_after_save) {
                    self.overlay = Overlay::ConfirmQuit;
                }
                Vec::new()
            }
            Msg::SavedAs(Ok(path)) => {
                self.quit_after_save = false;
                self.farewell = Some(tr!(
                    self.lang(),
                    "the progress file could not be saved; your progress was written to {path}",
                    "die Fortschrittsdatei konnte nicht gespeichert werden; Ihr Fortschritt steht in {path}",
                    path = path,
                ));
                self.quitting = true;
                vec![Effect::Quit]
            }
            Msg::SavedAs(Err(failed)) => {
                let reason = failed.message(self.lang());
                self.quit_after_save = false;
                self.overlay = Overlay::ConfirmQuit;
                self.error(tr!(
                    self.lang(),
                    "Not written either: {reason}",
                    "Auch nicht geschrieben: {reason}",
                    reason = reason,
                ));
                Vec::new()
            }
            Msg::Opened(Ok(url)) => {
                self.info(tr!(
                    self.lang(),
                    "Opened {url} in the browser",
                    "{url} im Browser geöffnet",
                    url = url,
                ));
                Vec::new()
            }
            Msg::Opened(Err(failed)) => {
                self.error(failed.message(self.lang()));
                Vec::new()
            }
            Msg::Applied(progress) => self.on_applied(&progress),
            Msg::ApplyNews(news) => self.on_apply_news(news),
            Msg::ApplyEnded(result) => self.on_apply_ended(result),
            Msg::ApplyPlan(plan) => self.on_apply_plan(plan),
            Msg::ApplyExamined(t) => self.on_examined(&t),
            Msg::ApplyVerified(results) => {
                self.check = Check::Running { frame: 0 };
                self.on_verified(results)
            }
        }
    }

    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let scopes = self.scopes();
        let action = keymap::lookup(&scopes, &key, self.lang());
        if self.editor.is_some() {
            return match action {
                Some(Action::Quit) => self.quit(),
                Some(Action::Commit) => self.commit_edit(),
                Some(Action::Back) => {
                    let target = self.editor.take().map(|e| e.target);
                    if target == Some(EditTarget::SavePath) {
                        self.overlay = Overlay::ConfirmQuit;
                    } else {
                        self.info(tr!(
                            self.lang(),
                            "Edit cancelled; the value is as it was",
                            "Bearbeiten abgebrochen; der Wert ist wie vorher"
                        ));
                    }
                    Vec::new()
                }
                Some(Action::Suspend) => vec![Effect::Suspend],
                _ => {
                    if let Some(ed) = &mut self.editor
                        && ed
                            .input
                            .handle_event(&crossterm::event::Event::Key(key))
                            .is_some()
                    {
                        ed.error = None;
                    }
                    Vec::new()
                }
            };
        }
        match action {
            Some(Action::Suspend) => vec![Effect::Suspend],
            Some(a) => self.act(a),
            None => Vec::new(),
        }
    }

    pub(super) fn act(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(self.overlay, Overlay::None) {
            return self.act_overlay(action);
        }
        match (action, self.focus) {
            (Action::Up, Focus::Checklist) => self.move_to(self.cursor.saturating_sub(1)),
            (Action::Down, Focus::Checklist) => self.move_to(self.cursor + 1),
            (Action::First, _) => self.move_to(0),
            (Action::Last, _) => self.move_to(self.procedure.summary_index()),
            (Action::Up, Focus::Field(i)) => {
                self.focus = Focus::Field(i.saturating_sub(1));
                Vec::new()
            }
            (Action::Down, Focus::Field(i)) => {
                self.focus = Focus::Field((i + 1).min(self.focus_items().len() - 1));
                Vec::new()
            }
            (Action::PageDown, _) => {
                let page = self.page_height();
                self.scroll_by(i32::from(page));
                Vec::new()
            }
            (Action::PageUp, _) => {
                let page = self.page_height();
                self.scroll_by(-i32::from(page));
                Vec::new()
            }
            (Action::ToggleDone, _) => self.toggle_done(),
            (Action::NextOpen, _) => {
                let next = self.next_open(self.cursor);
                self.move_to(next)
            }
            (Action::OpenLink, _) => self.open_link(),
            (Action::FocusNext, _) => self.cycle_focus(true),
            (Action::FocusPrev, _) => self.cycle_focus(false),
            (Action::Edit, _) => self.start_edit(None),
            (Action::Back, Focus::Checklist) => {
                // Esc never quits: there is nothing to leave on the checklist.
                self.info(tr!(
                    self.lang(),
                    "Esc does not quit: press q (your progress is saved)",
                    "Esc beendet nicht: drücken Sie q (Ihr Fortschritt ist gespeichert)"
                ));
                Vec::new()
            }
            (Action::Back, _) => {
                self.focus = Focus::Checklist;
                Vec::new()
            }
            (Action::Values, _) => {
                self.overlay = Overlay::Values { selected: 0 };
                Vec::new()
            }
            (Action::Help, _) => {
                self.overlay = Overlay::Help { scroll: 0 };
                Vec::new()
            }
            (Action::Reveal, _) => self.reveal(),
            (Action::Verify, _) => self.start_verify(),
            (Action::Apply, _) => self.offer_apply(),
            (Action::Examine, _) => self.offer_examine(),
            (Action::Messages, _) => {
                self.overlay = Overlay::Messages { scroll: 0 };
                Vec::new()
            }
            (Action::Cancel, _) => {
                if matches!(self.check, Check::Running { .. }) {
                    self.check = Check::Idle;
                    self.info(tr!(
                        self.lang(),
                        "Live check cancelled",
                        "Live-Prüfung abgebrochen"
                    ));
                    return vec![Effect::CancelVerify];
                }
                if self.apply.as_ref().is_some_and(|a| a.running) {
                    return vec![Effect::CancelApply];
                }
                Vec::new()
            }
            (Action::CopyMain, _) => self.copy_main(),
            (Action::CopyField, _) => match self.focused_field() {
                Some(spec) => {
                    let id = spec.id.clone();
                    self.copy_field(&id)
                }
                None => self.copy_main(),
            },
            (Action::Quit, _) => self.quit(),
            (
                Action::Commit
                | Action::EditText
                | Action::Suspend
                | Action::Retry
                | Action::SaveAs
                | Action::Accept,
                _,
            ) => Vec::new(),
        }
    }

    pub(super) fn set_status(&mut self, text: impl Into<String>, tone: Tone) {
        let status = Status {
            text: text.into(),
            tone,
        };
        // Every message stays reachable (`m`), whole, however long it was.
        if self.messages.last() != Some(&status) {
            self.messages.push(status.clone());
            if self.messages.len() > MAX_MESSAGES {
                self.messages.remove(0);
            }
        }
        self.status = Some(status);
    }
    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Info);
    }
    pub(super) fn success(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Success);
    }
    pub(super) fn warning(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Warning);
    }
    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Error);
    }
}

#[cfg(test)]
pub(crate) mod tests;
