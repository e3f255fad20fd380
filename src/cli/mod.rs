//! The command line: one file per subcommand (its arguments from `args` and its `run`), and
//! what they share: the context of a run (`Env`), a failure with its exit code (`Failure`, the
//! codes in `exit`). Every subcommand writes to a `Write` it is given and returns the exit code,
//! so tests can run them without a process.
//!
//! May import: `engine`, `scripts`, `remote`, `core`, `io`, `i18n`, `text`, `secret`.

pub mod apply;
pub mod args;
pub mod check;
pub mod completions;
pub mod config;
pub mod doctor;
pub mod exit;
pub mod expiry;
pub mod export;
pub mod history;
pub mod ics;
pub mod import;
pub mod manual;
pub mod profiles;
pub mod reset;
pub mod script;
pub mod secrets;
pub mod set;
pub mod status;
pub mod steps;
pub mod verify;

use std::path::PathBuf;

use time::Date;

use crate::core::procedure::Procedure;
use crate::core::progress::Progress;
use crate::io::store;

pub use crate::cli::exit::{
    CHECK as EXIT_CHECK, FILE as EXIT_FILE, OK as EXIT_OK, USAGE as EXIT_USAGE,
};

/// An error for stderr, one line, and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl Failure {
    /// stdout could not be written. A closed pipe (`azreg status | head -1`) is no error: the
    /// reader has what it wanted, so azreg ends quietly with 0. A full disk is one.
    pub fn write(e: std::io::Error, lang: crate::i18n::Lang) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Failure::new(EXIT_OK, "");
        }
        Failure::new(
            EXIT_FILE,
            crate::tr!(
                lang,
                "cannot write: {e}",
                "kann nicht schreiben: {e}",
                e = e
            ),
        )
    }
}

impl From<store::StoreError> for Failure {
    fn from(e: store::StoreError) -> Self {
        Failure::new(EXIT_FILE, e.to_string())
    }
}

/// What every subcommand works with.
pub struct Env {
    pub procedure: Procedure,
    pub path: PathBuf,
    pub profile: Option<String>,
    pub today: Date,
    /// `--reset-bad-file`: move an unusable progress file aside and start fresh.
    pub reset_bad_file: bool,
}

/// A progress file opened for changing it: locked for as long as this lives.
pub struct Opened {
    pub progress: Progress,
    pub lock: store::Lock,
    /// Keep the original as `<name>.bak` before the first save (it was migrated).
    pub backup_pending: bool,
    /// Things to tell the user (file moved aside, loose permissions).
    pub notes: Vec<String>,
}

impl Env {
    /// The progress for reading, or a fresh one when the file does not exist yet.
    pub fn load(&self) -> Result<Progress, Failure> {
        let lang = self.procedure.lang();
        let loaded =
            store::load_full(&self.path).map_err(|e| Failure::new(EXIT_FILE, e.message(lang)))?;
        if let Some(w) = loaded
            .as_ref()
            .and_then(|l| l.permission_warning(&self.path, lang))
        {
            eprintln!("azreg: warning: {w}");
        }
        Ok(loaded.map_or_else(|| Progress::new(&self.procedure.id), |l| l.progress))
    }

    /// Lock the file for this process and read it; an unusable file is moved aside first
    /// when `--reset-bad-file` asks for it.
    pub fn open(&self) -> Result<Opened, Failure> {
        let lang = self.procedure.lang();
        let lock = store::lock(&self.path).map_err(|e| Failure::new(EXIT_FILE, e.message(lang)))?;
        let mut notes = Vec::new();
        let loaded = match store::load_full(&self.path) {
            Err(e) if e.is_bad_file() && self.reset_bad_file => {
                let aside = store::move_aside(&self.path).map_err(|io| {
                    Failure::new(
                        EXIT_FILE,
                        format!("{e}; and it could not be moved aside: {io}"),
                    )
                })?;
                notes.push(crate::tr!(
                    lang,
                    "the unusable progress file was moved to {}; starting fresh",
                    "die unbrauchbare Fortschrittsdatei wurde nach {} verschoben; es geht neu los",
                    aside.display()
                ));
                None
            }
            Err(e) if e.is_bad_file() => {
                let m = e.message(lang);
                return Err(Failure::new(
                    EXIT_FILE,
                    crate::tr!(
                        lang,
                        "{m} (--reset-bad-file moves it aside and starts fresh)",
                        "{m} (--reset-bad-file legt sie beiseite und beginnt neu)",
                        m = m,
                    ),
                ));
            }
            other => other.map_err(|e| Failure::new(EXIT_FILE, e.message(lang)))?,
        };
        notes.extend(
            loaded
                .as_ref()
                .and_then(|l| l.permission_warning(&self.path, lang)),
        );
        let backup_pending = loaded.as_ref().is_some_and(|l| l.migrated_from.is_some());
        if backup_pending {
            notes.push(crate::tr!(
                lang,
                "{} has an older layout; it is updated, and the original kept as .bak",
                "{} hat ein älteres Format; es wird aktualisiert und das Original als .bak aufbewahrt",
                self.path.display()
            ));
        }
        let progress = loaded.map_or_else(|| Progress::new(&self.procedure.id), |l| l.progress);
        Ok(Opened {
            progress,
            lock,
            backup_pending,
            notes,
        })
    }

    /// Save an opened file, keeping the original of a migrated one first.
    pub fn save_opened(&self, opened: &mut Opened) -> Result<(), Failure> {
        store::save_keeping_original(&self.path, &opened.progress, &mut opened.backup_pending)
            .map_err(|e| Failure::new(EXIT_FILE, e.message(&self.path, self.procedure.lang())))
    }

    /// A save for the engine: why not, as it keeps it.
    pub fn save_opened_unsaved(
        &self,
        opened: &mut Opened,
    ) -> Result<(), crate::core::progress::Unsaved> {
        store::save_keeping_original(&self.path, &opened.progress, &mut opened.backup_pending)
            .map_err(|e| e.unsaved())
    }

    pub fn save(&self, progress: &Progress) -> Result<(), Failure> {
        store::save_keeping_original(&self.path, progress, &mut false)
            .map_err(|e| Failure::new(EXIT_FILE, e.message(&self.path, self.procedure.lang())))
    }
}

pub type Outcome = Result<u8, Failure>;

/// A JSON document as every `--json` prints it: pretty, every string cleaned for a terminal.
/// A yes/no question on the terminal (stderr), answered on `input`: `None` without a terminal
/// (only a flag can say yes then), else whether the answer was yes (`y`/`yes`, `j`/`ja` in
/// German; anything else is no). The one way the command line asks.
pub(crate) fn ask_yes(question: &str, input: &mut dyn std::io::BufRead) -> Option<bool> {
    use std::io::{BufRead, IsTerminal, Read};
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    eprint!("{question}");
    let mut answer = String::new();
    let _ = input.take(64).read_line(&mut answer);
    Some(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "j" | "ja"
    ))
}

pub fn json_text(v: serde_json::Value) -> String {
    format!("{:#}\n", crate::text::clean_json(v))
}

/// The effective values of `ids` (entered, derived or default), or, unless `allow_incomplete`,
/// a refusal (exit 1) that names each one missing or in error: no half values are handed on.
pub fn handed_on(
    r: &crate::core::report::Report,
    ids: &[&str],
    allow_incomplete: bool,
    what: crate::i18n::L,
) -> Result<Vec<Option<String>>, Failure> {
    let (got, unusable) = crate::core::plan::record::needed(r, ids);
    if unusable.is_empty() || allow_incomplete {
        return Ok(got);
    }
    Err(refused(what, &unusable, r.procedure.lang()).or_allow_incomplete(r.procedure.lang()))
}

impl Failure {
    /// Add that `--allow-incomplete` hands the values on anyway (only where the command has it).
    pub(crate) fn or_allow_incomplete(mut self, lang: crate::i18n::Lang) -> Self {
        let hint = crate::tr!(
            lang,
            " (--allow-incomplete hands them on anyway)",
            " (--allow-incomplete gibt sie trotzdem weiter)"
        );
        if let Some(at) = self.message.find(":\n") {
            self.message.insert_str(at, &hint);
        }
        self
    }
}

/// "what: refused while values are missing or wrong", each one named.
pub fn refused(
    what: crate::i18n::L,
    unusable: &[crate::core::plan::record::Unusable],
    lang: crate::i18n::Lang,
) -> Failure {
    let reasons: Vec<String> = unusable.iter().map(|u| u.message(lang)).collect();
    let what = what.get(lang);
    Failure::new(
        EXIT_CHECK,
        crate::tr!(
            lang,
            "{what}: refused while values are missing or wrong:\n  {p0}",
            "{what}: abgelehnt, solange Werte fehlen oder falsch sind:\n  {p0}",
            p0 = reasons.join("\n  "),
            what = what,
        ),
    )
}

pub use crate::scripts::sh_quote;

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn env(dir: &std::path::Path) -> Env {
        Env {
            procedure: Procedure::embedded().unwrap(),
            path: dir.join("progress.toml"),
            profile: None,
            today: time::macros::date!(2026 - 11 - 26),
            reset_bad_file: false,
        }
    }

    pub use crate::core::fixtures::FULL;

    pub fn with_values(env: &Env, values: &[(&str, &str)]) {
        let mut p = Progress::new(&env.procedure.id);
        for (k, v) in values {
            p.values.insert(k.to_string(), v.to_string());
        }
        env.save(&p).unwrap();
    }

    pub fn capture(f: impl FnOnce(&mut Vec<u8>) -> Outcome) -> (Outcome, String) {
        let mut out = Vec::new();
        let r = f(&mut out);
        (r, String::from_utf8(out).unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sh_quoting() {
        assert_eq!(sh_quote("abc"), "'abc'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
    }
}
