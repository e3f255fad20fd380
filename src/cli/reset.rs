//! `azreg reset`: start over, keeping the old file as a timestamped backup beside it.

use std::io::{BufRead, IsTerminal, Write};

use crate::i18n::L;
use crate::tr;

use super::{EXIT_CHECK, EXIT_FILE, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};

/// `azreg reset`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Do not ask (required when stdin is not a terminal)
    #[arg(long)]
    pub yes: bool,
}

/// `azreg reset`: asks on a terminal, else only with `--yes`.
pub fn exec(env: &Env, a: &Args, input: &mut dyn BufRead, out: &mut dyn Write) -> Outcome {
    run(env, a.yes, input, stdin_is_terminal(), out)
}

pub fn run(
    env: &Env,
    yes: bool,
    input: &mut dyn BufRead,
    interactive: bool,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    let io = |e: std::io::Error| Failure::write(e, lang);
    if !env.path.exists() {
        writeln!(
            out,
            "{}",
            tr!(
                lang,
                "nothing to reset: {} does not exist",
                "nichts zurückzusetzen: {} gibt es nicht",
                env.path.display()
            )
        )
        .map_err(io)?;
        return Ok(EXIT_OK);
    }
    if !yes {
        if !interactive {
            return Err(Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "stdin is not a terminal: add --yes to reset without asking",
                    "stdin ist kein Terminal: mit --yes wird ohne Nachfrage zurückgesetzt"
                ),
            ));
        }
        write!(
            out,
            "{}",
            tr!(
                lang,
                "Start over? {} is kept as a backup. [y/N] ",
                "Neu beginnen? {} bleibt als Sicherung erhalten. [j/N] ",
                env.path.display()
            )
        )
        .map_err(io)?;
        out.flush().map_err(io)?;
        let mut answer = String::new();
        input
            .read_line(&mut answer)
            .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
        if !matches!(
            answer.trim(),
            "y" | "Y" | "yes" | "Yes" | "j" | "J" | "ja" | "Ja"
        ) {
            writeln!(
                out,
                "{}",
                L::new("not reset", "nicht zurückgesetzt").get(lang)
            )
            .map_err(io)?;
            return Ok(EXIT_CHECK);
        }
    }
    let _lock = crate::io::store::lock(&env.path)?;
    // A new name every time (two resets in one second keep both backups), mode 0600.
    let backup = crate::io::safe_fs::move_aside(&env.path, "bak").map_err(|e| {
        Failure::new(
            EXIT_FILE,
            format!("{}: cannot move aside: {e}", env.path.display()),
        )
    })?;
    writeln!(
        out,
        "{}",
        tr!(
            lang,
            "reset: the old progress is kept as {}",
            "zurückgesetzt: der alte Fortschritt liegt in {}",
            backup.display()
        )
    )
    .map_err(io)?;
    Ok(EXIT_OK)
}

/// Whether stdin is a terminal (the confirmation needs one).
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn yes_moves_the_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("app_name", "x")]);
        let before = std::fs::read(&env.path).unwrap();
        let (r, out) = capture(|o| super::run(&env, true, &mut &b""[..], false, o));
        assert_eq!(r, Ok(0), "{out}");
        assert!(!env.path.exists());
        let backups: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| !e.file_name().to_string_lossy().ends_with(".lock"))
            .collect();
        assert_eq!(backups.len(), 1);
        assert!(
            backups[0]
                .file_name()
                .to_string_lossy()
                .starts_with("progress.toml.bak-")
        );
        assert_eq!(std::fs::read(backups[0].path()).unwrap(), before);
    }

    #[test]
    fn asks_and_refuses_without_a_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("app_name", "x")]);
        let (r, _) = capture(|o| super::run(&env, false, &mut &b""[..], false, o));
        assert_eq!(r.unwrap_err().code, 2);
        let (r, out) = capture(|o| super::run(&env, false, &mut &b"n\n"[..], true, o));
        assert_eq!(r, Ok(1));
        assert!(out.contains("not reset"));
        assert!(env.path.exists());
        let (r, _) = capture(|o| super::run(&env, false, &mut &b"y\n"[..], true, o));
        assert_eq!(r, Ok(0));
        assert!(!env.path.exists());
    }
}
