//! Terminal setup and restore, the event loop, and the effects `update` asks for.
//!
//! The loop sleeps until input, a signal or a running timer arrives; it draws only after
//! something happened, and each frame is wrapped in a synchronized update so it never tears.

use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, MouseEventKind,
};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::time::Instant;

use crate::engine;
use crate::io::clipboard::{self, Handover};
use crate::io::store;
use crate::remote::verify;
use crate::secret::Secret;
use crate::tui::app::{App, Copied, Effect, Msg, Timer};
use crate::tui::msg::Failed;
use crate::tui::view;
use tokio::sync::mpsc;

/// The frame is written through one buffer big enough for a whole frame, so it leaves in one
/// write (stdout's own buffer is 1 KiB).
type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

const FRAME_BUFFER: usize = 256 * 1024;

/// How the walkthrough ended: the process exit code.
pub type ExitCode = i32;

/// How long a clipboard manager gets to take what azreg copied, at exit.
const HANDOVER: Duration = Duration::from_millis(1500);

/// Run the walkthrough until the user quits or a signal ends it.
pub fn run(
    app: App,
    path: PathBuf,
    clipboard: clipboard::Lazy,
    backup_pending: bool,
) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut session = Session {
        app,
        path,
        clipboard,
        last_copy: None,
        check_task: None,
        backup_pending,
        forget: Vec::new(),
    };
    let result = rt.block_on(async {
        let mut terminal = setup(session.app.config.mouse)?;
        let result = event_loop(&mut terminal, &mut session).await;
        restore();
        result
    });
    // After the terminal is back: say what happens to the clipboard, and anything else.
    if let Some(note) = session.leave_clipboard() {
        eprintln!("azreg: {note}");
    }
    if let Some(note) = &session.app.farewell {
        eprintln!("azreg: {note}");
    }
    result
}

/// What the event loop works on: the app and what performs its effects.
struct Session {
    app: App,
    path: PathBuf,
    clipboard: clipboard::Lazy,
    /// The last text copied, and whether it was the secret.
    last_copy: Option<(String, Secret, bool)>,
    check_task: Option<tokio::task::JoinHandle<()>>,
    /// The file was migrated: keep its original as .bak before the first save.
    backup_pending: bool,
    /// Files of imports taken in, removed after the next successful save.
    forget: Vec<PathBuf>,
}

impl Session {
    fn save(&mut self) -> Result<(), crate::core::progress::Unsaved> {
        let progress = self.app.persisted();
        store::save_keeping_original(&self.path, &progress, &mut self.backup_pending)
            .map_err(|e| e.unsaved())?;
        // Only now is what an import kept aside safe in the progress file.
        for f in self.forget.drain(..) {
            let _ = std::fs::remove_file(f);
        }
        Ok(())
    }

    fn copy(
        &mut self,
        label: String,
        text: Secret,
        secret: bool,
    ) -> Result<Copied, crate::io::clipboard::ClipError> {
        let opened = self.clipboard.is_open();
        self.clipboard.get();
        if opened {
            // Opening asked tmux already; a later copy asks again.
            self.clipboard.recheck_tmux();
        }
        let backend = self.clipboard.get();
        backend.set(text.expose(), secret)?;
        let kind = backend.kind();
        let chars = text.expose().chars().count();
        self.last_copy = Some((label.clone(), text, secret));
        Ok(Copied {
            label,
            chars,
            kind,
            secret,
            fallback: self.clipboard.fallback_reason.take(),
            blocked: self.clipboard.tmux.clone(),
        })
    }

    /// Write the progress to another file (`~/` is the home directory).
    fn save_as(&self, target: &str) -> Result<String, Failed> {
        let path = match (target.strip_prefix("~/"), directories::BaseDirs::new()) {
            (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
            _ => PathBuf::from(target),
        };
        if path == self.path {
            return Err(Failed::SameFile);
        }
        store::save(&path, &self.app.persisted(), true).map_err(|e| Failed::Io(e.to_string()))?;
        Ok(path.display().to_string())
    }

    /// Start the live check in the background; its results arrive on `tx`.
    fn start_check(
        &mut self,
        req: verify::Request,
        tx: mpsc::UnboundedSender<verify::Results>,
    ) -> Option<String> {
        // A client per check: whether a proxy may be used depends on the authority.
        let http = match crate::remote::http::client(verify::DEFAULT_TIMEOUT, &req.authority) {
            Ok(c) => c,
            Err(e) => return Some(crate::i18n::Worded::message(&e, req.lang)),
        };
        if let Some(old) = self.check_task.take() {
            old.abort();
        }
        self.check_task = Some(tokio::spawn(async move {
            let results = verify::run(&http, &req, verify::DEFAULT_TIMEOUT).await;
            let _ = tx.send(results);
        }));
        None
    }

    /// Clear the clipboard if it still holds `text`.
    fn clear_if(&mut self, text: &str) -> bool {
        let backend = self.clipboard.get();
        if backend.get().as_deref() == Some(text) {
            return backend.clear().is_ok();
        }
        false
    }

    /// At exit: clear a copied secret; give a clipboard manager the chance to take anything
    /// else, and say when it will be gone.
    fn leave_clipboard(&mut self) -> Option<String> {
        let (label, text, secret) = self.last_copy.take()?;
        if !self.clipboard.is_open() || self.clipboard.get().kind() != clipboard::Kind::System {
            return None;
        }
        let lang = self.app.lang();
        if secret {
            return self.clear_if(text.expose()).then(|| {
                crate::tr!(
                    lang,
                    "the client secret was cleared from the clipboard",
                    "der geheime Clientschlüssel wurde aus der Zwischenablage entfernt"
                )
            });
        }
        let deadline = std::time::Instant::now() + HANDOVER;
        match self.clipboard.get().hand_over(text.expose(), deadline) {
            Handover::Lost => Some(crate::tr!(
                lang,
                "no clipboard manager took the copied {label}: it is gone now that azreg exits; paste it first, or run azreg again and copy it",
                "keine Zwischenablage-Verwaltung übernahm {label}: es ist weg, sobald azreg endet; fügen Sie es erst ein, oder starten Sie azreg neu und kopieren Sie es",
                label = label,
            )),
            Handover::Taken | Handover::NotNeeded => None,
        }
    }
}

/// Take the terminal: raw mode, the alternate screen, pastes bracketed and, unless the admin
/// leaves it to the terminal (`--no-mouse`), the mouse.
fn take(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

fn setup(mouse: bool) -> io::Result<Term> {
    install_panic_hook();
    if let Err(e) = take(mouse) {
        restore();
        return Err(e);
    }
    let out = io::stdout();
    let (w, h) = crossterm::terminal::size().inspect_err(|_| restore())?;
    Terminal::with_options(
        CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER, out)),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(drawn_area(w, h)),
        },
    )
    .inspect_err(|_| restore())
}

/// The largest screen drawn: a window of 65535x65535 cells would need gigabytes for one frame.
const MAX_COLS: u16 = 1000;
const MAX_ROWS: u16 = 500;

/// The part of the terminal azreg draws on: all of it, up to `MAX_COLS` x `MAX_ROWS`.
pub fn drawn_area(w: u16, h: u16) -> ratatui::layout::Rect {
    ratatui::layout::Rect::new(0, 0, w.min(MAX_COLS), h.min(MAX_ROWS))
}

/// Ctrl-Z: give the terminal back, stop until `fg`, then take it again and redraw all.
fn suspend(terminal: &mut Term, mouse: bool) -> io::Result<()> {
    restore();
    // Stops the process here; it continues after SIGCONT.
    crate::platform::stop_self();
    take(mouse)?;
    // Not `Terminal::clear`: it asks the terminal for the cursor position, and the answer
    // would race the event reader. A resize to the current size clears and redraws all.
    let (w, h) = crossterm::terminal::size()?;
    terminal.resize(drawn_area(w, h))
}

/// Put the terminal back as we found it. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Draw a frame, then tell the app what the view measured (it changes nothing on screen).
fn draw(terminal: &mut Term, app: &mut App) -> io::Result<()> {
    // Begin, the frame and End in one buffer: ratatui's flush after the frame writes the first
    // two, the End follows.
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let mut drawn = view::Drawn::default();
    let result = terminal.draw(|f| drawn = view::draw(f, app)).map(|_| ());
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    app.update(Msg::Drawn(drawn));
    result
}

/// Terminal events worth a message; mouse moves and focus changes are not.
fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => {
            let area = drawn_area(w, h);
            Some(Msg::Resize(area.width, area.height))
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(_) | MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                Some(Msg::Mouse(m))
            }
            _ => None,
        },
        _ => None,
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "the one select over terminal, timers, jobs and signals: each branch a few lines, the loop read as one"
)]
async fn event_loop(terminal: &mut Term, session: &mut Session) -> anyhow::Result<ExitCode> {
    // Signals that would otherwise end azreg with the terminal left raw, in the alternate
    // screen with mouse reporting on (QUIT would also dump core): save, restore, exit.
    let mut endings = crate::platform::Endings::new()?;
    let mut timers: Vec<(Instant, Timer)> = Vec::new();
    let (check_tx, mut check_rx) = mpsc::unbounded_channel();
    // "Let azreg do it": its events, and the saves it waits for (answered after the save).
    let (apply_tx, mut apply_rx) = mpsc::unbounded_channel::<engine::Event>();
    let mut plan_ack: Option<tokio::sync::oneshot::Sender<bool>> = None;
    let mut acks: Vec<tokio::sync::oneshot::Sender<Result<(), crate::core::progress::Unsaved>>> =
        Vec::new();
    let mut apply_cancel: Option<tokio::sync::oneshot::Sender<()>> = None;
    let area = terminal.get_frame().area();
    session.app.size = (area.width, area.height);
    // The first frame before anything else: keys typed meanwhile wait in the terminal, and the
    // event reader (a thread of its own) starts right after.
    draw(terminal, &mut session.app)?;
    // Only in test (debug) builds: a release binary has no hook to be made to panic.
    #[cfg(debug_assertions)]
    if std::env::var_os("AZREG_TEST_PANIC").is_some() {
        // For the tests of the panic path: the terminal is restored, nothing leaks.
        panic!("azreg test panic with {:?}", session.app);
    }
    let mut events = EventStream::new();
    let mut dirty = false;
    loop {
        if dirty {
            draw(terminal, &mut session.app)?;
            dirty = false;
        }
        let next_timer = timers.iter().map(|(at, _)| *at).min();
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(0),
            },
            Some(results) = check_rx.recv() => Some(Msg::Verified(results)),
            Some(event) = apply_rx.recv() => Some(crate::tui::jobs::to_msg(event, &mut acks, &mut plan_ack)),
            n = endings.next() => return Ok(finish(session, 128 + n)),
            _ = tokio::time::sleep_until(next_timer.unwrap_or_else(Instant::now)), if next_timer.is_some() => {
                let now = Instant::now();
                let due = timers.iter().position(|(at, _)| *at <= now);
                due.map(|i| Msg::Timer(timers.swap_remove(i).1))
            }
        };
        let Some(msg) = msg else { continue };
        if let Msg::Resize(w, h) = msg {
            // The viewport is fixed (to bound its size), so it follows the window here.
            terminal.resize(ratatui::layout::Rect::new(0, 0, w, h))?;
        }
        dirty = true;
        let mut queue = vec![msg];
        // Saves wait until the frame is drawn: the key's answer is on screen before the fsyncs,
        // which can be slow on some disks; the save follows within the same turn of the loop.
        let mut save_due = false;
        loop {
            let Some(msg) = queue.pop() else {
                if !save_due {
                    break;
                }
                draw(terminal, &mut session.app)?;
                dirty = false;
                save_due = false;
                let saved = session.save();
                for ack in acks.drain(..) {
                    let _ = ack.send(saved.clone());
                }
                queue.push(Msg::Saved(saved));
                continue;
            };
            if let Msg::Saved(result) = &msg {
                // A save shows only when it fails, or works again after failing.
                dirty = result.is_err()
                    || session.app.save_error.is_some()
                    || session.app.quit_after_save;
            }
            // The clock is read here, not in `update`.
            session.app.now = crate::io::clock::now();
            for effect in session.app.update(msg) {
                match effect {
                    Effect::Save => save_due = true,
                    Effect::ForgetAfterSave(file) => session.forget.push(file),
                    Effect::Quit => {
                        let _ = session.save();
                        return Ok(0);
                    }
                    Effect::Copy {
                        label,
                        text,
                        secret,
                    } => {
                        queue.push(Msg::Copied(session.copy(label, text, secret)));
                    }
                    Effect::ClearClipboardIf(text) => {
                        queue.push(Msg::ClipboardCleared(session.clear_if(text.expose())));
                    }
                    Effect::Verify(req) => {
                        if let Some(e) = session.start_check(*req, check_tx.clone()) {
                            let fail = verify::Outcome::Unreachable(e);
                            queue.push(Msg::Verified(verify::Results {
                                tenant: fail.clone(),
                                credentials: fail,
                                redirects: Vec::new(),
                            }));
                        }
                    }
                    Effect::SaveAs(target) => {
                        queue.push(Msg::SavedAs(session.save_as(&target)));
                    }
                    Effect::Suspend => {
                        suspend(terminal, session.app.config.mouse)?;
                    }
                    Effect::CancelVerify => {
                        if let Some(task) = session.check_task.take() {
                            task.abort();
                        }
                    }
                    Effect::OpenUrl(url) => queue.push(Msg::Opened(open_url(&url))),
                    Effect::Apply(login) | Effect::Examine(login) => {
                        let examine = matches!(effect, Effect::Examine(_));
                        let started = crate::tui::jobs::start(
                            &session.app,
                            examine,
                            login,
                            &session.path,
                            apply_tx.clone(),
                        );
                        match started {
                            Ok(cancel) => apply_cancel = Some(cancel),
                            Err(e) => queue.push(Msg::ApplyEnded(Err(e))),
                        }
                    }
                    Effect::AnswerPlan(yes) => {
                        if let Some(ack) = plan_ack.take() {
                            let _ = ack.send(yes);
                        }
                    }
                    Effect::CancelApply => {
                        if let Some(cancel) = apply_cancel.take() {
                            let _ = cancel.send(());
                        }
                    }
                    Effect::Schedule(timer, after) => {
                        timers.retain(|(_, t)| *t != timer);
                        timers.push((Instant::now() + after, timer));
                    }
                }
            }
        }
    }
}

/// Save once more and give the exit code for a signal.
fn finish(session: &mut Session, code: ExitCode) -> ExitCode {
    let _ = session.save();
    code
}

/// Open a link in the user's browser: `$BROWSER`, WSL and macOS included (webbrowser); only
/// http(s) addresses, and the browser's own output kept off the screen.
pub(crate) fn open_url(url: &str) -> Result<String, Failed> {
    let options = {
        let mut o = webbrowser::BrowserOptions::new();
        o.with_suppress_output(true);
        o
    };
    webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options).map_err(
        |e| Failed::NoOpener {
            opener: "the browser".into(),
            url: url.into(),
            why: e.to_string(),
        },
    )?;
    let _ = io::stdout().flush();
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::clipboard::{Lazy, Memory};
    use crate::tui::app::Config;
    use std::rc::Rc;

    fn session(dir: &std::path::Path) -> Session {
        let p = Rc::new(crate::core::procedure::Procedure::embedded().unwrap());
        let progress = crate::core::progress::Progress::new(&p.id);
        let config = Config::headless(time::macros::date!(2026 - 11 - 26));
        Session {
            app: App::new(p, progress, config, (80, 24)),
            path: dir.join("p.toml"),
            clipboard: Lazy::with(Box::new(Memory::default())),
            last_copy: None,
            check_task: None,
            backup_pending: false,
            forget: Vec::new(),
        }
    }

    #[test]
    fn copies_reach_the_backend_and_secrets_skip_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path());
        let c = s.copy("URI".into(), "https://a/x".into(), false).unwrap();
        assert_eq!((c.chars, c.kind), (11, clipboard::Kind::System));
        assert_eq!(s.clipboard.get().get().as_deref(), Some("https://a/x"));
        s.copy("secret".into(), "abc8Q~zzz".into(), true).unwrap();
        assert_eq!(s.clipboard.get().get().as_deref(), Some("abc8Q~zzz"));
    }

    #[test]
    fn clearing_only_touches_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path());
        s.copy("secret".into(), "abc8Q~zzz".into(), true).unwrap();
        // The user copied something else meanwhile: leave it alone.
        s.clipboard.get().set("mine", false).unwrap();
        assert!(!s.clear_if("abc8Q~zzz"));
        assert_eq!(s.clipboard.get().get().as_deref(), Some("mine"));
        s.clipboard.get().set("abc8Q~zzz", true).unwrap();
        assert!(s.clear_if("abc8Q~zzz"));
        assert_eq!(s.clipboard.get().get(), None);
    }

    #[test]
    fn quitting_clears_a_copied_secret() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session(dir.path());
        s.copy("secret".into(), "abc8Q~zzz".into(), true).unwrap();
        let note = s.leave_clipboard().unwrap();
        assert!(note.contains("cleared"));
        assert_eq!(s.clipboard.get().get(), None);
    }
}
