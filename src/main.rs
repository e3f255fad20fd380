//! Parse the command line, load the procedure and the progress, run the walkthrough, and map
//! errors to exit codes (2 usage or bad procedure, 3 progress file problem).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;

use azreg::cli::{Cli, Command};
use azreg::clipboard;
use azreg::procedure::Procedure;
use azreg::progress::Progress;
use azreg::store;
use azreg::tui::app::{App, Config};

const EXIT_USAGE: u8 = 2;
const EXIT_PROGRESS_FILE: u8 = 3;
/// How long creating the system clipboard may take before OSC 52 is used instead.
const CLIPBOARD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

fn main() -> ExitCode {
    // Read the local date while the process has one thread (the only time `time` allows it).
    let today = time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date();
    let cli = Cli::parse();
    match run(cli, today) {
        Ok(code) => ExitCode::from(code),
        Err((code, message)) => {
            eprintln!("azreg: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli, today: time::Date) -> Result<u8, (u8, String)> {
    let procedure = match &cli.procedure {
        Some(path) => Procedure::load(path),
        None => Procedure::embedded(),
    }
    .map_err(|e| (EXIT_USAGE, e.to_string()))?;
    let path = match &cli.file {
        Some(p) => p.clone(),
        None => store::default_path().map_err(|e| (EXIT_PROGRESS_FILE, e.to_string()))?,
    };
    let progress = store::load(&path)
        .map_err(|e| (EXIT_PROGRESS_FILE, e.to_string()))?
        .unwrap_or_else(|| Progress::new(&procedure.id));
    match cli.command.as_ref().unwrap_or(&Command::Walk) {
        Command::Walk => walk(&cli, procedure, progress, path, today),
    }
}

fn walk(
    cli: &Cli,
    procedure: Procedure,
    mut progress: Progress,
    path: PathBuf,
    today: time::Date,
) -> Result<u8, (u8, String)> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err((
            EXIT_USAGE,
            "the walkthrough needs a terminal (stdin and stdout)".into(),
        ));
    }
    progress.procedure = procedure.id.clone();
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let config = Config {
        file_label: display_path(&path),
        has_display: has_display(),
        store_secret: !cli.no_store_secret,
        clear_after: cli.clear_after,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        today,
    };
    let app = App::new(Rc::new(procedure), progress, config, size);
    let env = |name: &str| std::env::var_os(name);
    let kind = clipboard::choose(cli.clipboard, &env, cfg!(target_os = "linux"));
    let clipboard = clipboard::Lazy::new(kind, CLIPBOARD_TIMEOUT);
    let code = azreg::tui::runtime::run(app, path, clipboard).map_err(|e| (1, e.to_string()))?;
    Ok(u8::try_from(code).unwrap_or(1))
}

/// `~/...` for paths in the home directory.
fn display_path(path: &Path) -> String {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match home.and_then(|h| path.strip_prefix(&h).ok().map(Path::to_path_buf)) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

fn has_display() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}
