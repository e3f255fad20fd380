//! Parse the command line, pick the subcommand, and map errors to exit codes: one line on
//! stderr, no backtrace (the codes: `cli::exit`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;

use azreg::cli::args::{Cli, Command, WalkArgs};
use azreg::cli::{self as commands, EXIT_FILE, EXIT_USAGE, Env, Failure, Outcome};
use azreg::core::procedure::Procedure;
use azreg::i18n::Lang;
use azreg::io::{clipboard, store};
use azreg::tui::app::{App, Config};

/// How long creating the system clipboard may take before OSC 52 is used instead.
const CLIPBOARD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

fn main() -> ExitCode {
    no_core_dumps();
    // Read the local date while the process has one thread (the only time `time` allows it).
    let today = time::OffsetDateTime::now_local()
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .date();
    let cli = {
        use clap::FromArgMatches;
        match azreg::cli::args::command()
            .try_get_matches()
            .and_then(|m| Cli::from_arg_matches(&m))
        {
            Ok(cli) => cli,
            Err(e) => return parse_failed(&e),
        }
    };
    match run(cli, today) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            // An empty message: ended on purpose (a closed pipe), nothing to say.
            if !f.message.is_empty() {
                eprintln!("azreg: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

/// `--debug` / `AZREG_DEBUG=1` / `--log FILE`: the trace of every call, for support.
fn start_trace(cli: &Cli, lang: Lang) -> Result<(), Failure> {
    let asked = cli.debug || cli.log.is_some();
    let from_env = std::env::var_os("AZREG_DEBUG").is_some_and(|v| !v.is_empty() && v != "0");
    if !asked && !from_env {
        return Ok(());
    }
    if let Some(path) = &cli.log {
        let file = azreg::io::safe_fs::open_private_append(path).map_err(|e| {
            Failure::new(
                commands::EXIT_FILE,
                format!(
                    "--log {}: {e}",
                    azreg::text::one_line(&path.display().to_string())
                ),
            )
        })?;
        azreg::remote::trace::start(Box::new(file));
        return Ok(());
    }
    // The full-screen walkthrough draws on this terminal: a trace there would tear its frames.
    let full_screen = match &cli.command {
        None => !cli.walk.plain,
        Some(Command::Walk(a) | Command::Renew(a)) => !a.plain,
        _ => false,
    } && std::io::stdout().is_terminal();
    if full_screen && std::io::stderr().is_terminal() {
        if cli.debug {
            return Err(Failure::new(
                EXIT_USAGE,
                azreg::tr!(
                    lang,
                    "--debug: the walkthrough draws on this terminal; name a file for the trace with --log FILE (or send stderr to one: 2>FILE)",
                    "--debug: der Durchgang zeichnet auf dieses Terminal; nennen Sie für die Aufzeichnung eine Datei mit --log DATEI (oder leiten Sie stderr in eine: 2>DATEI)"
                ),
            ));
        }
        return Ok(());
    }
    azreg::remote::trace::start(Box::new(std::io::stderr()));
    Ok(())
}

/// `--help`, `--version` or a usage error from clap: printed as clap prints it, but a help that
/// cannot be written (a full disk) is exit 3 like any other output, not 0.
fn parse_failed(e: &clap::Error) -> ExitCode {
    match e.print() {
        Ok(()) => ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE)),
        Err(io) => {
            let f = Failure::write(io, Lang::En);
            if !f.message.is_empty() {
                eprintln!("azreg: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

/// The client secret lives in this process's memory: no core file may ever hold it, and no
/// other process of the same user may read that memory (`PR_SET_DUMPABLE` 0 also blocks
/// ptrace attach).
fn no_core_dumps() {
    azreg::platform::no_core_dumps();
}

fn run(cli: Cli, today: time::Date) -> Outcome {
    if let Some(Command::Completions(a)) = &cli.command {
        return commands::completions::exec(a, azreg::cli::args::command());
    }
    let read_env = |name: &str| std::env::var_os(name);
    let settings = commands::config::resolve(
        commands::config::Flags {
            lang: cli.lang,
            clipboard: match &cli.command {
                Some(Command::Walk(a) | Command::Renew(a)) => a.clipboard,
                _ => cli.walk.clipboard,
            },
            color: cli.color,
            no_mouse: match &cli.command {
                Some(Command::Walk(a) | Command::Renew(a)) => a.no_mouse,
                _ => cli.walk.no_mouse,
            },
        },
        &read_env,
        &sys_locale::get_locale,
    )?;
    let lang = settings.lang.0;
    // The interface speaks the procedure's language; the embedded one comes in both.
    let procedure = match &cli.procedure {
        Some(path) => azreg::io::safe_fs::load_procedure(path),
        None => Procedure::embedded_in(lang),
    }
    .map_err(|e| Failure::new(EXIT_USAGE, e.message(lang)))?;
    let lang = procedure.lang();
    start_trace(&cli, lang)?;
    if let Some(name) = &cli.profile {
        commands::profiles::check_name(name, lang)?;
    }
    let state_dir = || store::state_dir().map_err(|e| Failure::new(EXIT_FILE, e.message(lang)));
    let path = match (&cli.file, &cli.profile) {
        (Some(p), _) => p.clone(),
        (None, Some(name)) => commands::profiles::profile_path(&state_dir()?, name),
        (None, None) => state_dir()?.join("progress.toml"),
    };
    // A link at the end is resolved once: the real file is locked and saved, the link kept.
    let path = azreg::io::safe_fs::resolve(&path);
    let env = Env {
        procedure,
        path,
        profile: cli.profile.clone(),
        today,
        reset_bad_file: cli.reset_bad_file,
    };
    let mut out = std::io::stdout().lock();
    // Locked only by the command that reads it: a prompt elsewhere locks it again.
    let stdin = || std::io::stdin().lock();
    match &cli.command {
        None => walk(&cli.walk, env, &settings),
        Some(Command::Walk(a)) => walk(a, env, &settings),
        Some(Command::Renew(a)) => {
            let renewal = Procedure::renewal_in(env.procedure.lang())
                .map_err(|e| Failure::new(EXIT_USAGE, e.message(env.procedure.lang())))?;
            let env = Env {
                procedure: renewal,
                ..env
            };
            walk(a, env, &settings)
        }
        Some(Command::Apply(a)) => commands::apply::exec(&env, a, &mut out),
        Some(Command::Plan(a)) => commands::apply::exec_plan(&env, a, &mut out),
        Some(Command::Doctor(a)) => commands::doctor::exec(&env, a, &mut out),
        Some(Command::Secrets(a)) => commands::secrets::exec(&env, a, &mut out),
        Some(Command::Delete(a)) => commands::secrets::exec_delete(&env, a, &mut out),
        Some(Command::Verify(a)) => commands::verify::run(&env, a, &mut stdin(), &mut out),
        Some(Command::Check(a)) => commands::check::exec(&env, a, &state_dir, &mut out),
        Some(Command::Status(a)) => commands::status::exec(&env, a, &mut out),
        Some(Command::History(a)) => commands::history::exec(&env, a, &mut out),
        Some(Command::Export(a)) => commands::export::exec(&env, a, &mut out),
        Some(Command::Script(a)) => commands::script::exec(&env, a, &mut out),
        Some(Command::Import) => commands::import::run(&env, &mut stdin(), &mut out),
        Some(Command::Set(a)) => commands::set::exec(&env, a, &mut stdin(), &mut out),
        Some(Command::Done(a)) => commands::set::exec_done(&env, a, &mut out),
        Some(Command::Steps(a)) => commands::steps::exec(&env, a, &mut out),
        Some(Command::Reset(a)) => commands::reset::exec(&env, a, &mut stdin(), &mut out),
        Some(Command::Config(a)) => commands::config::exec(&settings, a, &mut out),
        Some(Command::Profiles(a)) => {
            commands::profiles::exec(a, &state_dir()?, &env.procedure, today, &mut out)
        }
        Some(Command::Man(a)) => commands::manual::exec(a, azreg::cli::args::command(), &mut out),
        Some(Command::Completions(_)) => unreachable!("handled above"),
    }
}

fn walk(args: &WalkArgs, env: Env, settings: &commands::config::Effective) -> Outcome {
    // The file first: a bad or locked file is the clearer message. The lock is held until
    // the walkthrough ends, so a second azreg on this file is refused.
    let opened = env.open()?;
    let term = std::env::var("TERM").unwrap_or_default();
    let plain = args.plain || term == "dumb" || term.is_empty();
    if !plain && (!std::io::stdout().is_terminal() || !std::io::stdin().is_terminal()) {
        return Err(Failure::new(
            EXIT_USAGE,
            azreg::tr!(
                env.procedure.lang(),
                "the walkthrough needs a terminal (stdin and stdout); azreg --plain walks through it line by line without one (azreg status says where the setup stands)",
                "der Durchgang braucht ein Terminal (stdin und stdout); azreg --plain geht ihn ohne eines Zeile für Zeile durch (azreg status sagt, wo die Einrichtung steht)"
            ),
        ));
    }
    let mut progress = opened.progress;
    progress.procedure = env.procedure.id.clone();
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let config = Config {
        file_label: display_path(&env.path),
        has_display: has_display(),
        store_secret: !args.no_store_secret,
        clear_after: args.clear_after,
        rescue_path: rescue_path(&env.path),
        no_color: !settings.color.0,
        mouse: settings.mouse.0,
        today: env.today,
        profile: env.profile.clone(),
        graph: args.graph.clone(),
        other_users: azreg::io::users::others_logged_in(),
    };
    let read_env = |name: &str| std::env::var_os(name);
    let kind = clipboard::choose(settings.clipboard.0, &read_env, cfg!(target_os = "linux"));
    let clipboard = clipboard::Lazy::new(kind, CLIPBOARD_TIMEOUT);
    let mut app = App::new(Rc::new(env.procedure), progress, config, size);
    if let Some(note) = opened.notes.last() {
        app.note(note);
    }
    // What an import kept aside while this file was locked: offer to take the oldest in.
    if let Some((file, obj)) = azreg::io::kept::pending(&env.path)
        .into_iter()
        .find_map(|f| azreg::io::kept::read_kept(&f).map(|o| (f, o)))
    {
        app.offer_import(file, obj);
    }
    let path: PathBuf = env.path;
    if plain {
        let lang = app.lang();
        azreg::tui::plain::run(
            app,
            &path,
            opened.backup_pending,
            clipboard,
            &mut std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
        )
        .map_err(|e| Failure::write(e, lang))?;
        drop(opened.lock);
        return Ok(commands::EXIT_OK);
    }
    let lang = app.lang();
    let code = azreg::tui::runtime::run(app, path.clone(), clipboard, opened.backup_pending)
        .map_err(|e| Failure::new(1, e.to_string()))?;
    drop(opened.lock);
    // Where it all is, on the restored terminal: the next `azreg` resumes there.
    if code == 0 || code > 128 {
        eprintln!(
            "azreg: {}",
            azreg::tr!(
                lang,
                "progress saved in {file}: azreg resumes there (azreg status shows where the setup stands)",
                "Fortschritt gespeichert in {file}: azreg macht dort weiter (azreg status zeigt, wo die Einrichtung steht)",
                file = azreg::text::one_line(&display_path(&path)),
            )
        );
    }
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

/// Where to offer writing the progress when its file cannot be saved: the home directory,
/// which is usually writable when the state directory is not.
fn rescue_path(path: &Path) -> String {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "progress".into());
    match directories::BaseDirs::new() {
        Some(_) => format!("~/azreg-{name}-rescue.toml"),
        None => format!("azreg-{name}-rescue.toml"),
    }
}
