//! Parse the command line, pick the subcommand, and map errors to exit codes: one line on
//! stderr, no backtrace (the codes: `cli::exit`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;

use azreg::cli::args::{Cli, Command, Shell, WalkArgs};
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

/// The sign-in options of `apply` and `plan`.
fn sign_in_args(s: &azreg::cli::args::SignInArgs) -> commands::apply::ApplyArgs {
    commands::apply::ApplyArgs {
        token_from_az: s.token_from_az,
        device_code: s.device_code,
        tenant: s.tenant.clone(),
        login_client_id: s.login_client_id.clone(),
        graph: s.graph.clone(),
        clipboard: Some(s.clipboard),
        authority: s.authority.clone(),
        wait: s.wait,
        ..Default::default()
    }
}

fn run(cli: Cli, today: time::Date) -> Outcome {
    if let Some(Command::Completions { shell }) = &cli.command {
        return completions(*shell);
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
    match &cli.command {
        None => walk(&cli.walk, env, &settings),
        Some(Command::Walk(args)) => walk(args, env, &settings),
        Some(Command::Config { json }) => commands::config::run(&settings, *json, &mut out),
        Some(Command::Apply(a)) => commands::apply::run(
            &env,
            &commands::apply::ApplyArgs {
                plan_only: a.dry_run,
                renew: a.renew.then(|| a.expires.clone().unwrap_or_default()),
                expires: a.expires.clone().filter(|_| !a.renew),
                remove_old: a.remove_old_now,
                finish_rotation: a.remove_old && !a.renew,
                intrexx_updated: a.intrexx_updated,
                yes: a.yes,
                adopt: a.adopt.clone(),
                new_app: a.new_app,
                new_secret: a.new_secret,
                ..sign_in_args(&a.sign_in)
            },
            &mut out,
        ),
        Some(Command::Plan {
            sign_in,
            json,
            adopt,
            new_app,
            new_secret,
        }) => commands::apply::run(
            &env,
            &commands::apply::ApplyArgs {
                plan_only: true,
                json: *json,
                adopt: adopt.clone(),
                new_app: *new_app,
                new_secret: *new_secret,
                ..sign_in_args(sign_in)
            },
            &mut out,
        ),
        Some(Command::Doctor {
            sign_in,
            client_id,
            json,
            strict,
        }) => commands::doctor::run(
            &env,
            &sign_in_args(sign_in),
            client_id.as_deref(),
            *json,
            *strict,
            &mut out,
        ),
        Some(Command::Secrets {
            action: None,
            sign_in,
            client_id,
            json,
        }) => commands::secrets::list(
            &env,
            &sign_in_args(sign_in),
            client_id.as_deref(),
            *json,
            &mut out,
        ),
        Some(Command::Secrets {
            action:
                Some(azreg::cli::args::SecretsAction::Remove {
                    key_id,
                    yes,
                    sign_in,
                }),
            sign_in: before,
            ..
        }) => {
            // The sign-in options count before `remove` as after it.
            let merged = before
                .merged(sign_in)
                .map_err(|e| Failure::new(EXIT_USAGE, e))?;
            commands::secrets::remove(&env, &sign_in_args(&merged), key_id, *yes, &mut out)
        }
        Some(Command::Delete {
            sign_in,
            confirm_name,
        }) => commands::secrets::delete(
            &env,
            &sign_in_args(sign_in),
            confirm_name.as_deref(),
            &mut out,
        ),
        Some(Command::History { json }) => commands::history::run(&env, *json, &mut out),
        Some(Command::Renew(args)) => {
            let renewal = Procedure::renewal_in(env.procedure.lang())
                .map_err(|e| Failure::new(EXIT_USAGE, e.message(env.procedure.lang())))?;
            walk(
                args,
                Env {
                    procedure: renewal,
                    ..env
                },
                &settings,
            )
        }
        Some(Command::Status { json }) => commands::status::run(&env, *json, &mut out),
        Some(Command::Check {
            json,
            expires_within: Some(days),
            all_profiles,
            online,
            nagios,
            warning,
            critical,
            prometheus,
            sign_in,
        }) => {
            let dir = if *all_profiles {
                Some(state_dir()?)
            } else {
                None
            };
            let online = online.then(|| sign_in_args(sign_in));
            let format = if *nagios {
                commands::expiry::Format::Nagios {
                    warning: i64::from(warning.unwrap_or(*days)),
                    critical: i64::from(critical.unwrap_or(7)),
                }
            } else if *json {
                commands::expiry::Format::Json
            } else {
                commands::expiry::Format::Text
            };
            commands::expiry::run(
                &env,
                dir.as_deref(),
                i64::from(*days),
                (format, prometheus.as_deref()),
                online.as_ref(),
                &mut out,
            )
        }
        Some(Command::Check { json, .. }) => commands::check::run(&env, *json, &mut out),
        Some(Command::Export {
            format,
            reveal_secret,
            allow_incomplete,
            remind_days,
        }) => commands::export::run(
            &env,
            *format,
            (*reveal_secret, *allow_incomplete, *remind_days),
            &mut out,
        ),
        Some(Command::Script {
            kind,
            allow_incomplete,
            renew,
            expires,
            new_secret,
            adopt,
        }) => commands::script::run(
            &env,
            *kind,
            &commands::script::ScriptArgs {
                allow_incomplete: *allow_incomplete,
                renew: renew.then(|| expires.clone().unwrap_or_default()),
                new_secret: *new_secret,
                adopt: adopt.clone(),
            },
            &mut out,
        ),
        Some(Command::Import) => {
            commands::import::run(&env, &mut std::io::stdin().lock(), &mut out)
        }
        Some(Command::Set {
            field,
            value,
            stdin: _,
        }) => {
            let source = match value {
                Some(v) => commands::set::Source::Arg(v),
                None => commands::set::Source::Stdin(&mut std::io::stdin().lock()),
            };
            commands::set::set(&env, field, source, &mut out)
        }
        Some(Command::Done { step, open }) => commands::set::done(&env, step, *open, &mut out),
        Some(Command::Steps { format }) => commands::steps::run(&env, *format, &mut out),
        Some(Command::Reset { yes }) => {
            let interactive = commands::reset::stdin_is_terminal();
            commands::reset::run(
                &env,
                *yes,
                &mut std::io::stdin().lock(),
                interactive,
                &mut out,
            )
        }
        Some(Command::Verify(args)) => {
            commands::verify::run(&env, args, &mut std::io::stdin().lock(), &mut out)
        }
        Some(Command::Profiles { names: true, .. }) => {
            commands::profiles::names(&state_dir()?, &mut out)
        }
        Some(Command::Profiles { json, .. }) => {
            commands::profiles::run(&state_dir()?, &env.procedure, today, *json, &mut out)
        }
        Some(Command::Man { dir }) => man(dir.as_deref(), &mut out),
        Some(Command::Completions { .. }) => unreachable!("handled above"),
    }
}

fn completions(shell: Shell) -> Outcome {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut azreg::cli::args::command(), "azreg", &mut text);
    let text = azreg::cli::completions::with_profile_names(shell, &String::from_utf8_lossy(&text));
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
        .map_err(|e| Failure::write(e, Lang::En))?;
    Ok(commands::EXIT_OK)
}

/// `azreg man [--dir DIR]`: the manual page, or every page into DIR.
fn man(dir: Option<&std::path::Path>, out: &mut dyn std::io::Write) -> Outcome {
    let io = |e| Failure::write(e, Lang::En);
    let Some(dir) = dir else {
        let root = azreg::cli::manual::pages().swap_remove(0).1;
        out.write_all(root.as_bytes()).map_err(io)?;
        return Ok(commands::EXIT_OK);
    };
    let written = azreg::cli::manual::write_to(dir).map_err(|e| {
        Failure::new(
            commands::EXIT_FILE,
            format!("{}: {e}", azreg::text::one_line(&dir.display().to_string())),
        )
    })?;
    writeln!(
        out,
        "{} pages written to {}",
        written.len(),
        azreg::text::one_line(&dir.display().to_string())
    )
    .map_err(io)?;
    Ok(commands::EXIT_OK)
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
