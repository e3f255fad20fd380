//! Copying to the clipboard wherever the terminal runs: the system clipboard (arboard), OSC 52
//! (the terminal sets its clipboard; works over SSH and in tmux with `set-clipboard on`), or off.
//!
//! The backend is chosen up front from the environment, because creating a system clipboard
//! without a display can stall; the system clipboard is created on first use, bounded by a
//! timeout, and kept alive for the whole run (on X11 the copying process owns the selection).

use std::ffi::OsString;
use std::io::Write;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// `--clipboard`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// OSC 52 over SSH or without a display; the system clipboard otherwise
    Auto,
    System,
    Osc52,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    System,
    Osc52,
    Off,
}

impl Kind {
    /// How the status line names where a copy went.
    pub fn describe(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::L;
        match self {
            Kind::System => L::new("to the system clipboard", "in die Systemzwischenablage"),
            Kind::Osc52 => L::new(
                "with OSC 52: your terminal must allow it",
                "mit OSC 52: Ihr Terminal muss es erlauben",
            ),
            Kind::Off => L::new(
                "nowhere: the clipboard is off (--clipboard off)",
                "nirgendwohin: die Zwischenablage ist aus (--clipboard off)",
            ),
        }
        .get(lang)
    }
}

/// What happened to owned clipboard content when azreg exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// Nothing azreg owns would be lost.
    NotNeeded,
    /// A clipboard manager took the content: it stays.
    Taken,
    /// Nobody took it: it is gone once azreg exits.
    Lost,
}

pub trait Clipboard {
    fn kind(&self) -> Kind;
    /// Put text on the clipboard; `secret` keeps it out of clipboard managers' history
    /// where the platform allows.
    fn set(&mut self, text: &str, secret: bool) -> Result<(), ClipError>;
    /// What the clipboard holds, where it can be read back.
    fn get(&mut self) -> Option<String>;
    fn clear(&mut self) -> Result<(), ClipError>;
    /// Before exit: give a clipboard manager until `deadline` to take what azreg owns.
    fn hand_over(&mut self, _text: &str, _deadline: Instant) -> Handover {
        Handover::NotNeeded
    }
}

/// The backend `mode` stands for in this environment (`env` reads a variable).
pub fn choose(mode: Mode, env: &dyn Fn(&str) -> Option<OsString>, linux: bool) -> Kind {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match mode {
        Mode::System => Kind::System,
        Mode::Osc52 => Kind::Osc52,
        Mode::Off => Kind::Off,
        Mode::Auto if set("SSH_TTY") || set("SSH_CONNECTION") => Kind::Osc52,
        Mode::Auto if linux && !set("DISPLAY") && !set("WAYLAND_DISPLAY") => Kind::Osc52,
        Mode::Auto => Kind::System,
    }
}

/// The OSC 52 sequence that sets the clipboard: `ESC ] 52 ; c ; <base64> BEL`.
pub fn osc52_sequence(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text))
}

/// Writes OSC 52 sequences to the terminal. It cannot read the clipboard back.
pub struct Osc52<W: Write> {
    out: W,
}

impl<W: Write> Osc52<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Clipboard for Osc52<W> {
    fn kind(&self) -> Kind {
        Kind::Osc52
    }
    fn set(&mut self, text: &str, _secret: bool) -> Result<(), ClipError> {
        self.out
            .write_all(osc52_sequence(text).as_bytes())
            .and_then(|_| self.out.flush())
            .map_err(|e| ClipError::Terminal(e.to_string()))
    }
    fn get(&mut self) -> Option<String> {
        None
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        self.set("", false)
    }
}

/// Why a copy did not happen, worded in the interface's language by `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipError {
    /// The OSC 52 sequence could not be written to the terminal (the OS's words).
    Terminal(String),
    /// `--clipboard off`.
    Off,
    /// The system clipboard refused (arboard's words).
    System(String),
    /// The display did not answer in time (milliseconds waited).
    Timeout(u128),
    /// Inside tmux, whose `set-clipboard` setting (named) drops what programs send with OSC 52.
    TmuxSwallows(String),
}

impl ClipError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::tr;
        match self {
            ClipError::Terminal(e) => tr!(
                lang,
                "could not write to the terminal: {e}",
                "konnte nicht ins Terminal schreiben: {e}",
                e = e,
            ),
            ClipError::Off => tr!(
                lang,
                "the clipboard is off (--clipboard off)",
                "die Zwischenablage ist aus (--clipboard off)"
            ),
            ClipError::System(e) => crate::text::clean_for_display(e).into_owned(),
            ClipError::Timeout(ms) => tr!(
                lang,
                "the display did not answer within {ms} ms",
                "die Anzeige antwortete nicht innerhalb von {ms} ms",
                ms = ms,
            ),
            ClipError::TmuxSwallows(setting) => {
                let setting = crate::text::clean_for_display(setting);
                tr!(
                    lang,
                    "tmux has set-clipboard {setting}, so the copy stops there: add `set -s set-clipboard on` to ~/.tmux.conf and run `tmux source-file ~/.tmux.conf`",
                    "tmux hat set-clipboard {setting}, die Kopie bleibt dort stecken: tragen Sie `set -s set-clipboard on` in ~/.tmux.conf ein und führen Sie `tmux source-file ~/.tmux.conf` aus",
                    setting = setting,
                )
            }
        }
    }
}

pub struct Off;

impl Clipboard for Off {
    fn kind(&self) -> Kind {
        Kind::Off
    }
    fn set(&mut self, _text: &str, _secret: bool) -> Result<(), ClipError> {
        Err(ClipError::Off)
    }
    fn get(&mut self) -> Option<String> {
        None
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        Ok(())
    }
}

/// Whether tmux's `set-clipboard` passes a program's OSC 52 on: only `on` does (`external`,
/// tmux's default, forwards tmux's own copies but drops those of programs; `off` drops all).
pub fn tmux_setting_blocks(setting: &str) -> bool {
    setting.trim() != "on"
}

/// Inside tmux (`$TMUX`), ask it for `set-clipboard` (bounded: tmux answers at once or not at
/// all); the error to tell the user when it will swallow the copy.
fn tmux_blocks_osc52() -> Option<ClipError> {
    std::env::var_os("TMUX").filter(|v| !v.is_empty())?;
    let out = run_bounded("tmux", &["show-options", "-sv", "set-clipboard"])?;
    let setting = String::from_utf8_lossy(&out)
        .trim()
        .chars()
        .take(20)
        .collect::<String>();
    tmux_setting_blocks(&setting).then_some(ClipError::TmuxSwallows(setting))
}

/// A command's stdout, or `None` when it fails or takes longer than a second.
fn run_bounded(program: &str, args: &[&str]) -> Option<Vec<u8>> {
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => {
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut child.stdout.take()?, &mut out).ok()?;
                return Some(out);
            }
            Ok(Some(_)) | Err(_) => return None,
            Ok(None) if std::time::Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// The system clipboard through arboard, one instance for the whole run.
pub struct System {
    inner: arboard::Clipboard,
}

impl System {
    /// Create the clipboard, giving up after `timeout` (a hung display must not freeze azreg).
    pub fn open(timeout: Duration) -> Result<Self, ClipError> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(arboard::Clipboard::new());
        });
        match rx.recv_timeout(timeout) {
            Ok(Ok(inner)) => Ok(Self { inner }),
            Ok(Err(e)) => Err(ClipError::System(e.to_string())),
            Err(_) => Err(ClipError::Timeout(timeout.as_millis())),
        }
    }
}

impl Clipboard for System {
    fn kind(&self) -> Kind {
        Kind::System
    }
    fn set(&mut self, text: &str, secret: bool) -> Result<(), ClipError> {
        let set = self.inner.set();
        #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
        let set = if secret {
            #[cfg(target_os = "macos")]
            use arboard::SetExtApple;
            #[cfg(target_os = "linux")]
            use arboard::SetExtLinux;
            #[cfg(target_os = "windows")]
            use arboard::SetExtWindows;
            set.exclude_from_history()
        } else {
            set
        };
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        let _ = secret;
        set.text(text.to_string())
            .map_err(|e| ClipError::System(e.to_string()))
    }
    fn get(&mut self) -> Option<String> {
        self.inner.get_text().ok()
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        self.inner
            .clear()
            .map_err(|e| ClipError::System(e.to_string()))
    }
    #[cfg(target_os = "linux")]
    fn hand_over(&mut self, text: &str, deadline: Instant) -> Handover {
        use arboard::SetExtLinux;
        // Set the text again and serve it until someone replaces it (a clipboard manager
        // taking ownership) or the deadline passes.
        match self.inner.set().wait_until(deadline).text(text.to_string()) {
            Ok(()) if Instant::now() < deadline => Handover::Taken,
            Ok(()) => Handover::Lost,
            Err(_) => Handover::Lost,
        }
    }
}

/// An in-memory clipboard for tests.
#[derive(Debug, Default)]
pub struct Memory {
    pub content: Option<String>,
    pub history_excluded: bool,
}

impl Clipboard for Memory {
    fn kind(&self) -> Kind {
        Kind::System
    }
    fn set(&mut self, text: &str, secret: bool) -> Result<(), ClipError> {
        self.content = Some(text.to_string());
        self.history_excluded = secret;
        Ok(())
    }
    fn get(&mut self) -> Option<String> {
        self.content.clone()
    }
    fn clear(&mut self) -> Result<(), ClipError> {
        self.content = None;
        Ok(())
    }
}

/// Opens the chosen backend on first use and keeps it; falls back to OSC 52 when the
/// system clipboard cannot be had.
pub struct Lazy {
    kind: Kind,
    backend: Option<Box<dyn Clipboard>>,
    timeout: Duration,
    /// Why the system clipboard could not be used, said once with the next copy.
    pub fallback_reason: Option<ClipError>,
    /// Inside tmux, when its `set-clipboard` drops OSC 52 copies: said with every copy.
    pub tmux: Option<ClipError>,
}

impl Lazy {
    pub fn new(kind: Kind, timeout: Duration) -> Self {
        Self {
            kind,
            backend: None,
            timeout,
            fallback_reason: None,
            tmux: None,
        }
    }

    /// An already opened backend (tests).
    pub fn with(backend: Box<dyn Clipboard>) -> Self {
        Self {
            kind: backend.kind(),
            backend: Some(backend),
            timeout: Duration::ZERO,
            fallback_reason: None,
            tmux: None,
        }
    }

    pub fn get(&mut self) -> &mut dyn Clipboard {
        if self.backend.is_none() {
            let backend: Box<dyn Clipboard> = match self.kind {
                Kind::Off => Box::new(Off),
                Kind::Osc52 => {
                    self.tmux = tmux_blocks_osc52();
                    Box::new(Osc52::new(std::io::stdout()))
                }
                Kind::System => match System::open(self.timeout) {
                    Ok(s) => Box::new(s),
                    Err(reason) => {
                        self.fallback_reason = Some(reason);
                        self.tmux = tmux_blocks_osc52();
                        Box::new(Osc52::new(std::io::stdout()))
                    }
                },
            };
            self.backend = Some(backend);
        }
        self.backend.as_deref_mut().expect("set above")
    }

    /// Ask tmux again before a copy: the admin may have fixed `set-clipboard` meanwhile (or
    /// broken it), and the warning must say what holds now.
    pub fn recheck_tmux(&mut self) {
        if self
            .backend
            .as_ref()
            .is_some_and(|b| b.kind() == Kind::Osc52)
        {
            self.tmux = tmux_blocks_osc52();
        }
    }

    /// Whether a backend was ever opened (nothing to clean up otherwise).
    pub fn is_open(&self) -> bool {
        self.backend.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_env::env_of;

    #[test]
    fn auto_picks_osc52_over_ssh_and_without_display() {
        let ssh = env_of(&[("SSH_TTY", "/dev/pts/1"), ("DISPLAY", ":0")]);
        assert_eq!(choose(Mode::Auto, &ssh, true), Kind::Osc52);
        let ssh2 = env_of(&[("SSH_CONNECTION", "1 2 3 4"), ("DISPLAY", ":0")]);
        assert_eq!(choose(Mode::Auto, &ssh2, false), Kind::Osc52);
        let headless = env_of(&[]);
        assert_eq!(choose(Mode::Auto, &headless, true), Kind::Osc52);
        assert_eq!(
            choose(Mode::Auto, &headless, false),
            Kind::System,
            "macOS needs no DISPLAY"
        );
        let empty = env_of(&[("DISPLAY", "")]);
        assert_eq!(choose(Mode::Auto, &empty, true), Kind::Osc52);
    }

    #[test]
    fn auto_picks_system_on_a_desktop() {
        assert_eq!(
            choose(Mode::Auto, &env_of(&[("DISPLAY", ":0")]), true),
            Kind::System
        );
        let wl = env_of(&[("WAYLAND_DISPLAY", "wayland-0")]);
        assert_eq!(choose(Mode::Auto, &wl, true), Kind::System);
    }

    #[test]
    fn explicit_modes_win() {
        let ssh = env_of(&[("SSH_TTY", "x")]);
        assert_eq!(choose(Mode::System, &ssh, true), Kind::System);
        assert_eq!(
            choose(Mode::Osc52, &env_of(&[("DISPLAY", ":0")]), true),
            Kind::Osc52
        );
        assert_eq!(choose(Mode::Off, &ssh, true), Kind::Off);
    }

    #[test]
    fn osc52_is_byte_exact() {
        let mut out = Vec::new();
        Osc52::new(&mut out)
            .set("https://a.example/x", false)
            .unwrap();
        let expected = b"\x1b]52;c;aHR0cHM6Ly9hLmV4YW1wbGUveA==\x07";
        assert_eq!(out, expected);
        assert_eq!(osc52_sequence(""), "\x1b]52;c;\x07");
    }

    #[test]
    fn only_set_clipboard_on_lets_osc52_through_tmux() {
        assert!(!tmux_setting_blocks("on\n"));
        assert!(tmux_setting_blocks("external"));
        assert!(tmux_setting_blocks("off"));
        let e = ClipError::TmuxSwallows("external".into());
        assert!(
            e.message(crate::i18n::Lang::En)
                .contains("set -s set-clipboard on")
        );
    }

    #[test]
    fn off_refuses_with_a_reason() {
        let e = Off.set("x", false).unwrap_err();
        assert_eq!(e, ClipError::Off);
        assert!(e.message(crate::i18n::Lang::En).contains("--clipboard off"));
        assert!(
            e.message(crate::i18n::Lang::De)
                .contains("Zwischenablage ist aus")
        );
    }
}
