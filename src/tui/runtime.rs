//! Terminal setup and restore, the event loop, and the effects `update` asks for.
//!
//! The loop sleeps until input, a signal or a running timer arrives; it draws only after
//! something happened, and each frame is wrapped in a synchronized update so it never tears.

use std::io::{self, Stdout, Write};
use std::path::{Path, PathBuf};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, MouseEventKind,
};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::time::Instant;

use crate::store;
use crate::tui::app::{App, Effect, Msg, Timer};
use crate::tui::view;

type Term = Terminal<CrosstermBackend<Stdout>>;

/// How the walkthrough ended: the process exit code.
pub type ExitCode = i32;

/// Run the walkthrough until the user quits or a signal ends it.
pub fn run(app: App, path: PathBuf) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let mut terminal = setup()?;
        let mut app = app;
        let result = event_loop(&mut terminal, &mut app, &path).await;
        restore();
        result
    })
}

fn setup() -> io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| restore())
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

fn draw(terminal: &mut Term, app: &App) -> io::Result<()> {
    execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let result = terminal.draw(|f| view::draw(f, app)).map(|_| ());
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    result
}

/// Terminal events worth a message; mouse moves and focus changes are not.
fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(_) | MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                Some(Msg::Mouse(m))
            }
            _ => None,
        },
        _ => None,
    }
}

async fn event_loop(terminal: &mut Term, app: &mut App, path: &Path) -> anyhow::Result<ExitCode> {
    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut timers: Vec<(Instant, Timer)> = Vec::new();
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let mut dirty = true;
    loop {
        if dirty {
            draw(terminal, app)?;
            dirty = false;
        }
        let next_timer = timers.iter().map(|(at, _)| *at).min();
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => to_msg(ev),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(0),
            },
            _ = sigterm.recv() => return Ok(finish(app, path, 128 + 15)),
            _ = sighup.recv() => return Ok(finish(app, path, 128 + 1)),
            _ = sigint.recv() => return Ok(finish(app, path, 128 + 2)),
            _ = tokio::time::sleep_until(next_timer.unwrap_or_else(Instant::now)), if next_timer.is_some() => {
                let now = Instant::now();
                let due = timers.iter().position(|(at, _)| *at <= now);
                due.map(|i| Msg::Timer(timers.swap_remove(i).1))
            }
        };
        let Some(msg) = msg else { continue };
        dirty = true;
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in app.update(msg) {
                match effect {
                    Effect::Save => queue.push(Msg::Saved(save(app, path))),
                    Effect::Quit => {
                        let _ = save(app, path);
                        return Ok(0);
                    }
                    Effect::OpenUrl(url) => queue.push(Msg::Opened(open_url(&url))),
                    Effect::Schedule(timer, after) => {
                        timers.retain(|(_, t)| *t != timer);
                        timers.push((Instant::now() + after, timer));
                    }
                }
            }
        }
    }
}

fn save(app: &App, path: &Path) -> Result<(), String> {
    store::save(path, &app.persisted(), true).map_err(|e| e.to_string())
}

/// Save once more and give the exit code for a signal.
fn finish(app: &App, path: &Path, code: ExitCode) -> ExitCode {
    let _ = save(app, path);
    code
}

/// Start the platform's opener without waiting for the browser.
fn open_url(url: &str) -> Result<String, String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {opener} ({e}): open {url} yourself"))?;
    // Reap it in the background so it leaves no zombie.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    let _ = io::stdout().flush();
    Ok(url.to_string())
}
