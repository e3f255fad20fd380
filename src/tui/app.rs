//! App state and `update(msg) -> effects`. No I/O happens here: saving, opening a browser
//! and timers are effects that the runtime performs and answers with messages.

use std::rc::Rc;
use std::time::Duration;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use time::Date;
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use crate::fields::{self, Assessment, Context, FieldKind, FieldSpec, FieldState};
use crate::i18n::Lang;
use crate::procedure::{EntryKind, Procedure};
use crate::progress::{self, Progress};
use crate::report::Report;
use crate::secret::Secret;
use crate::tr;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::layout;
use crate::verify;

/// Longest paste taken into a field; anything longer is not a value azreg asks for.
pub const MAX_PASTE: usize = 4096;
/// How often the live check's spinner turns.
pub const SPINNER_EVERY: Duration = Duration::from_millis(120);
/// How long `r` shows the secret.
pub const REVEAL_FOR: Duration = Duration::from_secs(10);

/// What the app is told from outside.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Timer(Timer),
    /// The outcome of a save: `Err` carries the reason.
    Saved(Result<(), String>),
    /// The outcome of opening a link.
    Opened(Result<String, String>),
    /// The outcome of a copy.
    Copied(Result<Copied, String>),
    /// The secret was cleared from the clipboard (`false`: it no longer held it).
    ClipboardCleared(bool),
    /// The live check finished.
    Verified(verify::Results),
    /// The outcome of writing to another file: the path written, or why not.
    SavedAs(Result<String, String>),
}

/// What the runtime reports after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub label: String,
    pub chars: usize,
    pub kind: crate::clipboard::Kind,
    pub secret: bool,
    /// Why the system clipboard was not used, the first time that happens.
    pub fallback: Option<String>,
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
}

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
    pub save_error: Option<String>,
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
        };
        if !app.config.store_secret {
            app.info(tr!(
                app.lang(),
                "The client secret is kept in memory only (--no-store-secret)",
                "Der geheime Clientschlüssel bleibt nur im Speicher (--no-store-secret)"
            ));
        }
        app
    }

    // ---- queries the view also uses ---------------------------------------------------

    pub fn ctx(&self) -> Context<'_> {
        Context::new(&self.procedure, &self.progress.values, self.config.today)
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

    pub fn all_done(&self) -> bool {
        self.done_count() == self.procedure.step_count()
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
        } else if matches!(
            self.overlay,
            Overlay::TakeImport | Overlay::ConfirmAuthority { .. } | Overlay::ConfirmSecretQuit
        ) {
            vec![Scope::Always, Scope::Ask]
        } else if !matches!(self.overlay, Overlay::None) {
            vec![Scope::Always, Scope::Overlay]
        } else {
            let busy = matches!(self.check, Check::Running { .. });
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
    pub fn persisted(&self) -> Progress {
        let mut p = self.progress.clone();
        if !self.config.store_secret {
            p.values
                .retain(|id, _| !self.procedure.field(id).is_some_and(FieldSpec::is_secret));
        }
        p
    }

    // ---- update ---------------------------------------------------------------------

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Msg::Key(_) => Vec::new(),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(m) => self.on_mouse(m),
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
                    "die Fortschrittsdatei konnte nicht gespeichert werden; Ihr Fortschritt steht in {path}"
                ));
                self.quitting = true;
                vec![Effect::Quit]
            }
            Msg::SavedAs(Err(reason)) => {
                self.quit_after_save = false;
                self.overlay = Overlay::ConfirmQuit;
                self.error(tr!(
                    self.lang(),
                    "Not written either: {reason}",
                    "Auch nicht geschrieben: {reason}"
                ));
                Vec::new()
            }
            Msg::Opened(Ok(url)) => {
                self.info(tr!(
                    self.lang(),
                    "Opened {url} in the browser",
                    "{url} im Browser geöffnet"
                ));
                Vec::new()
            }
            Msg::Opened(Err(reason)) => {
                self.error(reason);
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let scopes = self.scopes();
        let action = keymap::lookup(&scopes, &key);
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

    fn act(&mut self, action: Action) -> Vec<Effect> {
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

    /// Offer to take in what an import kept aside (the runtime found and read the file).
    pub fn offer_import(
        &mut self,
        path: std::path::PathBuf,
        obj: serde_json::Map<String, serde_json::Value>,
    ) {
        self.pending_import = Some((path, obj));
        self.overlay = Overlay::TakeImport;
    }

    fn take_import(&mut self) -> Vec<Effect> {
        self.overlay = Overlay::None;
        let Some((path, obj)) = self.pending_import.take() else {
            return Vec::new();
        };
        let lang = self.lang();
        let mut progress = self.progress.clone();
        match crate::commands::import::apply(
            &self.procedure,
            &mut progress,
            &obj,
            self.config.today,
        ) {
            Ok(applied) => {
                self.progress = progress;
                let marked = if applied.marked.is_empty() {
                    String::new()
                } else {
                    tr!(
                        lang,
                        "; marked done: {}",
                        "; erledigt: {}",
                        applied.marked.join(", ")
                    )
                };
                self.success(tr!(
                    lang,
                    "Took in the imported values{marked}",
                    "Importierte Werte übernommen{marked}"
                ));
                vec![Effect::Save, Effect::ForgetAfterSave(path)]
            }
            Err(problems) => {
                self.error(tr!(
                    lang,
                    "The imported values were not taken in: {}",
                    "Die importierten Werte wurden nicht übernommen: {}",
                    problems.join("; ")
                ));
                Vec::new()
            }
        }
    }

    fn act_overlay(&mut self, action: Action) -> Vec<Effect> {
        let len = self.overlay_len();
        match (&mut self.overlay, action) {
            (Overlay::TakeImport, Action::Accept) => self.take_import(),
            (Overlay::ConfirmSecretQuit, Action::Accept) => self.quit(),
            (Overlay::ConfirmSecretQuit, Action::Back) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::ConfirmAuthority { host }, Action::Accept) => {
                self.authority_confirmed = Some(host.clone());
                self.overlay = Overlay::None;
                self.start_verify()
            }
            (Overlay::ConfirmAuthority { .. }, Action::Back) => {
                self.overlay = Overlay::None;
                self.info(tr!(
                    self.lang(),
                    "Live check not started: nothing was sent",
                    "Live-Prüfung nicht gestartet: nichts wurde gesendet"
                ));
                Vec::new()
            }
            (Overlay::TakeImport, Action::Back) => {
                self.overlay = Overlay::None;
                self.pending_import = None;
                Vec::new()
            }
            (Overlay::ConfirmQuit, Action::Retry) => {
                self.overlay = Overlay::None;
                self.quit_after_save = true;
                vec![Effect::Save]
            }
            (Overlay::ConfirmQuit, Action::SaveAs) => {
                self.overlay = Overlay::None;
                self.editor = Some(Editor {
                    target: EditTarget::SavePath,
                    input: Input::new(self.config.rescue_path.clone()),
                    error: None,
                });
                self.info(tr!(
                    self.lang(),
                    "Write the progress to this file (Enter), or Esc to go back",
                    "Fortschritt in diese Datei schreiben (Enter), oder Esc für zurück"
                ));
                Vec::new()
            }
            (_, Action::Quit) => self.quit(),
            (_, Action::Back) | (Overlay::Help { .. }, Action::Help | Action::Commit) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Help { scroll }, Action::Down) => {
                *scroll = scroll.saturating_add(1);
                Vec::new()
            }
            (Overlay::Help { scroll }, Action::Up) => {
                *scroll = scroll.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Values { selected } | Overlay::Pick { selected, .. }, Action::Down) => {
                *selected = (*selected + 1).min(len.saturating_sub(1));
                Vec::new()
            }
            (Overlay::Values { selected } | Overlay::Pick { selected, .. }, Action::Up) => {
                *selected = selected.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Values { selected }, Action::Commit) => {
                let selected = *selected;
                self.overlay = Overlay::None;
                self.jump_to_field(selected)
            }
            (Overlay::Pick { field, selected }, Action::Commit) => {
                let (field, selected) = (field.clone(), *selected);
                self.overlay = Overlay::None;
                self.pick(&field, selected)
            }
            _ => Vec::new(),
        }
    }

    fn overlay_len(&self) -> usize {
        match &self.overlay {
            Overlay::Values { .. } => self.procedure.fields.len(),
            Overlay::Pick { field, .. } => self.procedure.field(field).map_or(0, pick_len),
            _ => 0,
        }
    }

    fn page_height(&self) -> u16 {
        layout::areas(Rect::new(0, 0, self.size.0, self.size.1))
            .map_or(10, |a| a.step.height.saturating_sub(4).max(1))
    }

    /// Scroll the step's text, within what there is to scroll.
    fn scroll_by(&mut self, delta: i32) {
        let max = i32::from(crate::tui::view::max_body_scroll(self));
        self.body_scroll = (i32::from(self.body_scroll) + delta).clamp(0, max.max(0)) as u16;
    }

    fn move_to(&mut self, entry: usize) -> Vec<Effect> {
        let entry = entry.min(self.procedure.summary_index());
        if entry == self.cursor {
            return Vec::new();
        }
        self.cursor = entry;
        self.focus = Focus::Checklist;
        self.body_scroll = 0;
        self.progress.current = Some(self.procedure.entries[entry].step.id.clone());
        vec![Effect::Save]
    }

    /// The first step after `from` that is not done, wrapping around; the summary when all are.
    pub fn next_open(&self, from: usize) -> usize {
        self.report().next_open(from)
    }

    fn toggle_done(&mut self) -> Vec<Effect> {
        let entry = &self.procedure.entries[self.cursor];
        let number = entry.label.clone();
        let in_guide = entry.in_guide;
        let EntryKind::Step { .. } = entry.kind else {
            let next = self.next_open(self.cursor);
            if next == self.cursor {
                return Vec::new();
            }
            return self.move_to(next);
        };
        let id = entry.step.id.clone();
        if self.progress.done.remove(&id).is_some() {
            self.info(tr!(
                self.lang(),
                "Step {number} is open again",
                "Schritt {number} ist wieder offen"
            ));
            return vec![Effect::Save];
        }
        if let Some(reason) = self.blocker() {
            self.error(tr!(
                self.lang(),
                "Step {number} is not done yet: {reason}",
                "Schritt {number} ist noch nicht erledigt: {reason}"
            ));
            return Vec::new();
        }
        self.progress.done.insert(id, progress::now());
        let done = self.done_count();
        let total = self.procedure.step_count();
        if !in_guide {
            self.success(tr!(
                self.lang(),
                "Step {number} done",
                "Schritt {number} erledigt"
            ));
        } else if done == total {
            self.success(tr!(
                self.lang(),
                "Step {number} done. All {total} steps are done!",
                "Schritt {number} erledigt. Alle {total} Schritte sind erledigt!"
            ));
        } else {
            self.success(tr!(
                self.lang(),
                "Step {number} done ({done}/{total})",
                "Schritt {number} erledigt ({done}/{total})"
            ));
        }
        let next = self.next_open(self.cursor);
        let mut effects = self.move_to(next);
        if effects.is_empty() {
            effects.push(Effect::Save);
        }
        effects
    }

    /// Why the current step cannot be marked done: a field that is empty or in error.
    fn blocker(&self) -> Option<String> {
        self.current_fields().iter().find_map(|id| {
            let spec = self.procedure.field(id)?;
            let a = self.ctx().assess(spec);
            match a.state() {
                FieldState::Empty => Some(tr!(
                    self.lang(),
                    "enter \"{}\" first (Tab to the field, Enter to edit)",
                    "erst „{}“ eintragen (Tab zum Feld, Enter zum Bearbeiten)",
                    spec.label
                )),
                FieldState::Error => a
                    .first_error()
                    .map(|p| format!("{}: {}", spec.label, p.message)),
                _ => None,
            }
        })
    }

    fn cycle_focus(&mut self, forward: bool) -> Vec<Effect> {
        let n = self.focus_items().len();
        if n == 0 {
            self.info(tr!(
                self.lang(),
                "This step has no values to enter",
                "Dieser Schritt hat keine Werte zum Eintragen"
            ));
            return Vec::new();
        }
        self.focus = match (self.focus, forward) {
            (Focus::Checklist, true) => Focus::Field(0),
            (Focus::Checklist, false) => Focus::Field(n - 1),
            (Focus::Field(i), true) if i + 1 < n => Focus::Field(i + 1),
            (Focus::Field(i), false) if i > 0 => Focus::Field(i - 1),
            (Focus::Field(_), _) => Focus::Checklist,
        };
        Vec::new()
    }

    /// Open the editor (or the picker) on the focused field, or the step's first field.
    fn start_edit(&mut self, initial: Option<String>) -> Vec<Effect> {
        if self.focus == Focus::Checklist {
            if self.current_fields().is_empty() {
                return Vec::new();
            }
            let main = self.procedure.entries[self.cursor].step.main.clone();
            let idx = main
                .and_then(|m| self.current_fields().iter().position(|f| *f == m))
                .unwrap_or(0);
            self.focus = Focus::Field(idx);
        }
        let Some(spec) = self.focused_field().cloned() else {
            return Vec::new();
        };
        if !self.current_fields().contains(&spec.id) {
            self.info(tr!(
                self.lang(),
                "{} is entered at its own step: v shows where",
                "{} wird in seinem eigenen Schritt eingetragen: v zeigt, wo",
                spec.label
            ));
            return Vec::new();
        }
        if spec.is_picked() && initial.is_none() {
            let current = self.progress.values.get(&spec.id).cloned();
            self.overlay = Overlay::Pick {
                selected: pick_index(&spec, current.as_deref(), self.config.today),
                field: spec.id,
            };
            return Vec::new();
        }
        let text = initial.unwrap_or_else(|| self.assess(&spec.id).value.unwrap_or_default());
        self.editor = Some(Editor {
            target: EditTarget::Field(spec.id),
            input: Input::new(text),
            error: None,
        });
        Vec::new()
    }

    fn commit_edit(&mut self) -> Vec<Effect> {
        let lang = self.procedure.lang();
        let Some(editor) = &mut self.editor else {
            return Vec::new();
        };
        let cleaned = match fields::clean_input(editor.input.value(), lang) {
            Ok(v) => v,
            Err(msg) => {
                editor.error = Some(msg.clone());
                self.error(tr!(
                    self.lang(),
                    "Not taken: {msg}",
                    "Nicht übernommen: {msg}"
                ));
                return Vec::new();
            }
        };
        let target = editor.target.clone();
        self.editor = None;
        match target {
            EditTarget::Field(field) => self.set_value(&field, &cleaned),
            EditTarget::SavePath if cleaned.is_empty() => {
                self.overlay = Overlay::ConfirmQuit;
                Vec::new()
            }
            EditTarget::SavePath => {
                self.quit_after_save = true;
                vec![Effect::SaveAs(cleaned)]
            }
        }
    }

    /// Store a cleaned value (empty clears it) and say what the checks found.
    fn set_value(&mut self, field: &str, cleaned: &str) -> Vec<Effect> {
        let Some(spec) = self.procedure.field(field).cloned() else {
            return Vec::new();
        };
        let value = fields::normalize(&spec, cleaned);
        let before = self.progress.values.get(field).cloned();
        self.progress.values.remove(field);
        // A value equal to the derived one is not stored: it keeps following its sources.
        let derived = self
            .ctx()
            .effective(field)
            .filter(|(_, d)| *d)
            .map(|(v, _)| v);
        if !value.is_empty() && derived.as_deref() != Some(value.as_str()) {
            self.progress.values.insert(field.to_string(), value);
        }
        let a = self.ctx().assess(&spec);
        match (a.state(), a.problems.first()) {
            (FieldState::Empty, _) => {
                self.info(tr!(self.lang(), "{} cleared", "{} geleert", spec.label))
            }
            (FieldState::Error, Some(p)) => self.error(format!("{}: {}", spec.label, p.message)),
            (FieldState::Warning, Some(p)) => self.warning(tr!(
                self.lang(),
                "{} saved, but: {}",
                "{} gespeichert, aber: {}",
                spec.label,
                p.message
            )),
            _ if a.derived => self.success(tr!(
                self.lang(),
                "{} follows the derived value",
                "{} folgt dem abgeleiteten Wert",
                spec.label
            )),
            _ if spec.is_secret() && !self.config.store_secret => self.warning(tr!(
                self.lang(),
                "{} kept in memory only, not saved (--no-store-secret): enter it in Intrexx before you quit",
                "{} nur im Speicher, nicht gespeichert (--no-store-secret): tragen Sie ihn vor dem Beenden in Intrexx ein",
                spec.label
            )),
            _ => self.success(tr!(self.lang(), "{} saved", "{} gespeichert", spec.label)),
        }
        if before == self.progress.values.get(field).cloned() {
            return Vec::new();
        }
        vec![Effect::Save]
    }

    fn pick(&mut self, field: &str, selected: usize) -> Vec<Effect> {
        let Some(spec) = self.procedure.field(field).cloned() else {
            return Vec::new();
        };
        match pick_value(&spec, selected, self.config.today) {
            Some(v) => self.set_value(field, &v),
            // "Custom date": type it.
            None => {
                let current = self.progress.values.get(field).cloned().unwrap_or_default();
                self.editor = Some(Editor {
                    target: EditTarget::Field(field.to_string()),
                    input: Input::new(current),
                    error: None,
                });
                self.info(tr!(
                    self.lang(),
                    "Type the date as YYYY-MM-DD",
                    "Geben Sie das Datum als JJJJ-MM-TT ein"
                ));
                Vec::new()
            }
        }
    }

    fn jump_to_field(&mut self, index: usize) -> Vec<Effect> {
        let Some(spec) = self.procedure.fields.get(index) else {
            return Vec::new();
        };
        let id = spec.id.clone();
        let Some(entry) = self.procedure.entry_of_field(&id) else {
            return Vec::new();
        };
        let effects = self.move_to(entry);
        if let Some(pos) = self.current_fields().iter().position(|f| *f == id) {
            self.focus = Focus::Field(pos);
        }
        effects
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if text.len() > MAX_PASTE {
            let n = text.chars().count();
            self.error(tr!(
                self.lang(),
                "Paste refused: {n} characters is far more than any value here",
                "Einfügen abgelehnt: {n} Zeichen sind weit mehr als jeder Wert hier"
            ));
            return Vec::new();
        }
        let cleaned = match fields::clean_input(text, self.lang()) {
            Ok(c) => c,
            Err(msg) => {
                self.error(tr!(
                    self.lang(),
                    "Paste refused: {msg}",
                    "Einfügen abgelehnt: {msg}"
                ));
                return Vec::new();
            }
        };
        if let Some(ed) = &mut self.editor {
            for c in cleaned.chars() {
                ed.input.handle(InputRequest::InsertChar(c));
            }
            ed.error = None;
            return Vec::new();
        }
        if !matches!(self.overlay, Overlay::None) || self.current_fields().is_empty() {
            self.info(tr!(self.lang(), "Nothing takes a pasted value here: go to the step that asks for it", "Hier nimmt nichts einen eingefügten Wert: gehen Sie zu dem Schritt, der danach fragt"));
            return Vec::new();
        }
        // A paste while browsing goes into the focused (or the step's main) field's editor,
        // so the user sees it and keeps it with Enter.
        self.overlay = Overlay::None;
        if self.focused_field().is_some_and(FieldSpec::is_picked) {
            self.focus = Focus::Checklist;
        }
        let effects = self.start_edit(Some(cleaned));
        if let Some(spec) = self.focused_field() {
            let label = spec.label.clone();
            self.info(tr!(
                self.lang(),
                "Pasted into {label}: Enter keeps it, Esc discards it",
                "In {label} eingefügt: Enter übernimmt, Esc verwirft"
            ));
        }
        effects
    }

    fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if self.editor.is_some() || !matches!(self.overlay, Overlay::None) {
            return Vec::new();
        }
        let Some(areas) = layout::areas(Rect::new(0, 0, self.size.0, self.size.1)) else {
            return Vec::new();
        };
        let pos = Position::new(m.column, m.row);
        let in_list = areas.list.contains(pos);
        let in_step = areas.step.contains(pos);
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) if in_list => {
                let offset = layout::list_offset(
                    self.procedure.row_of_entry[self.cursor],
                    areas.list.height as usize,
                    self.procedure.rows.len(),
                );
                let row = offset + (m.row - areas.list.y) as usize;
                match self.procedure.rows.get(row) {
                    Some(crate::procedure::Row::Entry(e)) => self.move_to(*e),
                    _ => Vec::new(),
                }
            }
            MouseEventKind::ScrollDown if in_list => self.move_to(self.cursor + 1),
            MouseEventKind::ScrollUp if in_list => self.move_to(self.cursor.saturating_sub(1)),
            MouseEventKind::ScrollDown if in_step => {
                self.scroll_by(2);
                Vec::new()
            }
            MouseEventKind::ScrollUp if in_step => {
                self.scroll_by(-2);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn open_link(&mut self) -> Vec<Effect> {
        let Some(link) = self.procedure.entries[self.cursor].step.link.clone() else {
            self.info(tr!(
                self.lang(),
                "This step has no link to open",
                "Dieser Schritt hat keinen Link zum Öffnen"
            ));
            return Vec::new();
        };
        if self.config.has_display {
            vec![Effect::OpenUrl(link)]
        } else {
            self.warning(tr!(
                self.lang(),
                "No display to open a browser here: open {link} yourself",
                "Kein Bildschirm für einen Browser hier: öffnen Sie {link} selbst"
            ));
            Vec::new()
        }
    }

    fn reveal(&mut self) -> Vec<Effect> {
        let has_secret = self
            .procedure
            .fields
            .iter()
            .any(|f| f.is_secret() && self.progress.values.contains_key(&f.id));
        if !has_secret {
            self.info(tr!(
                self.lang(),
                "There is no client secret to show yet",
                "Es gibt noch keinen geheimen Clientschlüssel zum Anzeigen"
            ));
            return Vec::new();
        }
        self.secret_revealed = true;
        self.info(tr!(
            self.lang(),
            "The client secret is shown for 10 seconds",
            "Der geheime Clientschlüssel wird 10 Sekunden lang angezeigt"
        ));
        vec![Effect::Schedule(Timer::HideSecret, REVEAL_FOR)]
    }

    fn start_verify(&mut self) -> Vec<Effect> {
        if !self.procedure.entries[self.cursor].step.verify {
            self.info(tr!(self.lang(), "The live check runs at step 23 and on the summary: go there and press V", "Die Live-Prüfung läuft in Schritt 23 und in der Zusammenfassung: gehen Sie dorthin und drücken Sie V"));
            return Vec::new();
        }
        if matches!(self.check, Check::Running { .. }) {
            return Vec::new();
        }
        let req = verify::Request::from_progress(
            &self.procedure,
            &self.progress,
            self.config.today,
            verify::Overrides::default(),
        );
        match req {
            Err(e) => {
                self.error(tr!(
                    self.lang(),
                    "Cannot check yet: {}",
                    "Noch keine Prüfung möglich: {}",
                    e.message()
                ));
                Vec::new()
            }
            Ok(req) => {
                let host = req.authority.host_str().unwrap_or_default().to_string();
                let default = verify::DEFAULT_AUTHORITY.trim_start_matches("https://");
                let other =
                    req.authority.as_str().trim_end_matches('/') != verify::DEFAULT_AUTHORITY;
                if other && self.authority_confirmed.as_deref() != Some(host.as_str()) {
                    // The progress file named another authority: the secret goes nowhere
                    // unless the user agrees to that host.
                    self.overlay = Overlay::ConfirmAuthority { host };
                    return Vec::new();
                }
                self.check = Check::Running { frame: 0 };
                let host =
                    crate::text::clean_for_display(if host.is_empty() { default } else { &host })
                        .into_owned();
                self.info(tr!(
                    self.lang(),
                    "Checking live with {host}… (Esc cancels)",
                    "Prüfe live bei {host} … (Esc bricht ab)"
                ));
                vec![
                    Effect::Verify(Box::new(req)),
                    Effect::Schedule(Timer::Spinner, SPINNER_EVERY),
                ]
            }
        }
    }

    fn on_verified(&mut self, results: verify::Results) -> Vec<Effect> {
        if !matches!(self.check, Check::Running { .. }) {
            // Cancelled meanwhile.
            return Vec::new();
        }
        let ok = results.credentials_ok() && results.exit_code() == 0;
        let first_problem = results
            .lines(self.lang())
            .into_iter()
            .find(|(_, o)| !matches!(o, verify::Outcome::Pass(_)))
            .map(|(what, o)| format!("{what}: {}", o.message()));
        let mut effects = Vec::new();
        if results.credentials_ok() {
            self.progress.last_verified = Some(progress::now());
            effects.push(Effect::Save);
        }
        match (ok, first_problem) {
            (true, _) | (false, None) => self.success(tr!(
                self.lang(),
                "Live check passed: the values work",
                "Live-Prüfung bestanden: die Werte funktionieren"
            )),
            (false, Some(p)) => {
                self.error(tr!(self.lang(), "Live check: {p}", "Live-Prüfung: {p}"))
            }
        }
        self.check = Check::Done(results);
        effects
    }

    /// `c`: the step's main value, else its link; on the summary the focused line.
    fn copy_main(&mut self) -> Vec<Effect> {
        let step = &self.procedure.entries[self.cursor].step;
        if let Some(main) = step.main.clone() {
            return self.copy_field(&main);
        }
        if let Some(link) = step.link.clone() {
            return vec![Effect::Copy {
                label: tr!(self.lang(), "link", "Link"),
                text: link.into(),
                secret: false,
            }];
        }
        if let Some(spec) = self.focused_field() {
            let id = spec.id.clone();
            return self.copy_field(&id);
        }
        if let Some(first) = step.lists.first().cloned() {
            return self.copy_field(&first);
        }
        self.info(tr!(
            self.lang(),
            "This step has nothing to copy",
            "Dieser Schritt hat nichts zum Kopieren"
        ));
        Vec::new()
    }

    /// Copy a field's value, unless it is empty or has an error.
    fn copy_field(&mut self, id: &str) -> Vec<Effect> {
        let Some(spec) = self.procedure.field(id).cloned() else {
            return Vec::new();
        };
        let a = self.ctx().assess(&spec);
        match (a.state(), a.value) {
            (FieldState::Error, _) => {
                let why = a
                    .problems
                    .first()
                    .map(|p| p.message.clone())
                    .unwrap_or_default();
                self.error(tr!(
                    self.lang(),
                    "Not copied: {} has an error: {why}",
                    "Nicht kopiert: {} hat einen Fehler: {why}",
                    spec.label
                ));
                Vec::new()
            }
            (_, None) => {
                self.warning(tr!(
                    self.lang(),
                    "Nothing to copy: {} is empty",
                    "Nichts zu kopieren: {} ist leer",
                    spec.label
                ));
                Vec::new()
            }
            (_, Some(text)) => vec![Effect::Copy {
                label: spec.label.clone(),
                text: text.into(),
                secret: spec.is_secret(),
            }],
        }
    }

    fn on_copied(&mut self, result: Result<Copied, String>) -> Vec<Effect> {
        let c = match result {
            Ok(c) => c,
            Err(reason) => {
                self.error(tr!(
                    self.lang(),
                    "Not copied: {reason}",
                    "Nicht kopiert: {reason}"
                ));
                return Vec::new();
            }
        };
        let fallback = c.fallback.map(|f| format!(" ({f})")).unwrap_or_default();
        let mut text = tr!(
            self.lang(),
            "Copied {} ({} chars) {}{fallback}",
            "{} kopiert ({} Zeichen) {}{fallback}",
            c.label,
            c.chars,
            c.kind.describe(self.lang())
        );
        let mut effects = Vec::new();
        if c.secret {
            if c.kind == crate::clipboard::Kind::Osc52 {
                text.push_str(&tr!(self.lang(), "; azreg cannot clear it there: copy something else once pasted", "; dort kann azreg ihn nicht löschen: kopieren Sie nach dem Einfügen etwas anderes"));
            } else if self.config.clear_after > 0 {
                self.clear_left = Some(self.config.clear_after);
                effects.push(Effect::Schedule(
                    Timer::ClipboardTick,
                    Duration::from_secs(1),
                ));
            }
        } else {
            // Something else was copied over the secret: no need to clear it any more.
            self.clear_left = None;
        }
        self.success(text);
        effects
    }

    fn clipboard_tick(&mut self) -> Vec<Effect> {
        match self.clear_left {
            Some(n) if n > 1 => {
                self.clear_left = Some(n - 1);
                vec![Effect::Schedule(
                    Timer::ClipboardTick,
                    Duration::from_secs(1),
                )]
            }
            Some(_) => {
                self.clear_left = Some(0);
                self.secret_value()
                    .map(|s| Effect::ClearClipboardIf(s.into()))
                    .into_iter()
                    .collect()
            }
            None => Vec::new(),
        }
    }

    /// The client secret, wherever the procedure declares it.
    pub fn secret_value(&self) -> Option<String> {
        self.report().secret()
    }

    /// Quit, unless changes are unsaved: then ask first.
    fn quit(&mut self) -> Vec<Effect> {
        if let Some(reason) = &self.save_error
            && self.overlay != Overlay::ConfirmQuit
        {
            let reason = reason.clone();
            self.editor = None;
            self.overlay = Overlay::ConfirmQuit;
            self.error(tr!(
                self.lang(),
                "Changes are not saved: {reason}",
                "Änderungen sind nicht gespeichert: {reason}"
            ));
            return Vec::new();
        }
        // A secret kept in memory only is gone once azreg ends, and Azure never shows it
        // again: ask first.
        let secret_in_memory = !self.config.store_secret
            && self
                .procedure
                .fields
                .iter()
                .any(|f| f.is_secret() && self.progress.values.contains_key(&f.id));
        if secret_in_memory && self.overlay != Overlay::ConfirmSecretQuit {
            self.editor = None;
            self.overlay = Overlay::ConfirmSecretQuit;
            return Vec::new();
        }
        self.overlay = Overlay::None;
        self.quitting = true;
        vec![Effect::Quit]
    }

    /// A warning from start-up (file moved aside, loose permissions) for the status line.
    pub fn note(&mut self, text: &str) {
        self.warning(text.to_string());
    }

    fn set_status(&mut self, text: impl Into<String>, tone: Tone) {
        self.status = Some(Status {
            text: text.into(),
            tone,
        });
    }
    fn info(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Info);
    }
    fn success(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Success);
    }
    fn warning(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Warning);
    }
    fn error(&mut self, text: impl Into<String>) {
        self.set_status(text, Tone::Error);
    }
}

/// Items of a picker: the options of a choice; a date's presets plus "custom date".
pub fn pick_len(spec: &FieldSpec) -> usize {
    match spec.kind {
        FieldKind::Choice => spec.options.len(),
        _ => spec.presets.len() + 1,
    }
}

/// The value an item of the picker stands for; `None` for "custom date".
pub fn pick_value(spec: &FieldSpec, index: usize, today: Date) -> Option<String> {
    match spec.kind {
        FieldKind::Choice => spec.options.get(index).map(|o| o.value.clone()),
        _ => spec
            .presets
            .get(index)
            .map(|days| fields::format_date(fields::preset_date(today, *days))),
    }
}

/// Where the picker starts: the current value, else the recommended or first item.
fn pick_index(spec: &FieldSpec, current: Option<&str>, today: Date) -> usize {
    let found = current.and_then(|c| {
        (0..pick_len(spec)).find(|i| pick_value(spec, *i, today).as_deref() == Some(c))
    });
    match (found, spec.kind, current) {
        (Some(i), _, _) => i,
        (None, FieldKind::Date, Some(_)) => spec.presets.len(),
        _ => spec
            .recommended
            .and_then(|r| spec.presets.iter().position(|d| *d == r))
            .unwrap_or(0),
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
