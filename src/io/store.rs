//! Where the progress file lives, and reading and writing it safely.
//!
//! Saves are atomic (temp file in the same directory, write, sync, rename, sync the
//! directory) and created with mode 0600, since the file may hold the client secret. A file
//! that does not parse is never overwritten.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::core::procedure::toml_error_parts;
use crate::core::progress::{Progress, VERSION};
use crate::io::safe_fs;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot read: {source}")]
    Read { path: String, source: io::Error },
    #[error("{path}: the file is empty; remove it or start fresh with --reset-bad-file")]
    Empty { path: String },
    #[error("{path}{}: {message}; the file was left as it is", .position.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Parse {
        path: String,
        position: Option<(usize, usize)>,
        message: String,
    },
    #[error(
        "{path}: written by a newer azreg (file version {found}, this one reads up to {VERSION}); the file was left as it is"
    )]
    Newer { path: String, found: u32 },
    #[error("no state directory could be determined (is HOME set?): use --file PATH")]
    NoStateDir,
    #[error("{path}: already open in another azreg{}", .pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Locked { path: String, pid: Option<u32> },
    #[error("{path}: cannot lock: {source}")]
    Lock { path: String, source: io::Error },
}

impl StoreError {
    /// The message in a language (`Display` is the English one).
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::tr;
        match self {
            StoreError::Read { path, source } => tr!(
                lang,
                "{path}: cannot read: {source}",
                "{path}: nicht lesbar: {source}",
                path = path,
                source = super::safe_fs::worded(source, lang),
            ),
            StoreError::Empty { path } => tr!(
                lang,
                "{path}: the file is empty; remove it or start fresh with --reset-bad-file",
                "{path}: die Datei ist leer; entfernen Sie sie oder beginnen Sie neu mit --reset-bad-file",
                path = path,
            ),
            StoreError::Parse {
                path,
                position,
                message,
            } => {
                let at = position
                    .map(|(l, c)| format!(":{l}:{c}"))
                    .unwrap_or_default();
                tr!(
                    lang,
                    "{path}{at}: {message}; the file was left as it is",
                    "{path}{at}: {message}; die Datei bleibt unverändert",
                    path = path,
                    at = at,
                    message = message,
                )
            }
            StoreError::Newer { path, found } => tr!(
                lang,
                "{path}: written by a newer azreg (file version {found}, this one reads up to {VERSION}); the file was left as it is",
                "{path}: von einem neueren azreg geschrieben (Dateiversion {found}, dieses liest bis {VERSION}); die Datei bleibt unverändert",
                path = path,
                found = found,
                VERSION = VERSION,
            ),
            StoreError::NoStateDir => tr!(
                lang,
                "no state directory could be determined (is HOME set?): use --file PATH",
                "kein Zustandsverzeichnis gefunden (ist HOME gesetzt?): verwenden Sie --file PFAD"
            ),
            StoreError::Locked { path, pid } => {
                let pid = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
                tr!(
                    lang,
                    "{path}: already open in another azreg{pid}",
                    "{path}: schon in einem anderen azreg geöffnet{pid}",
                    path = path,
                    pid = pid,
                )
            }
            StoreError::Lock { path, source } => tr!(
                lang,
                "{path}: cannot lock: {source}",
                "{path}: nicht sperrbar: {source}",
                path = path,
                source = super::safe_fs::worded(source, lang),
            ),
        }
    }

    /// The file exists but cannot be used as it is (`--reset-bad-file` helps).
    pub fn is_bad_file(&self) -> bool {
        matches!(
            self,
            StoreError::Empty { .. } | StoreError::Parse { .. } | StoreError::Newer { .. }
        )
    }
}

#[cfg(test)]
impl crate::i18n::Samples for StoreError {
    fn samples() -> Vec<Self> {
        let path = || "/x/progress.toml".to_string();
        let io = || io::Error::from(io::ErrorKind::PermissionDenied);
        vec![
            StoreError::Read {
                path: path(),
                source: io(),
            },
            StoreError::Empty { path: path() },
            StoreError::Parse {
                path: path(),
                position: Some((1, 2)),
                message: "expected `=`".into(),
            },
            StoreError::Newer {
                path: path(),
                found: 9,
            },
            StoreError::NoStateDir,
            StoreError::Locked {
                path: path(),
                pid: Some(7),
            },
            StoreError::Lock {
                path: path(),
                source: io(),
            },
        ]
    }
}

/// A progress file as read, with what the caller should know about it.
#[derive(Debug)]
pub struct Loaded {
    pub progress: Progress,
    /// The file had an older layout (this version) and was migrated in memory; keep the
    /// original as `<name>.bak` before the first save.
    pub migrated_from: Option<u32>,
    /// Permission bits, when others may read it (the secret!).
    pub loose_mode: Option<u32>,
}

impl Loaded {
    /// A line for the user about the file's permissions, if they are too open.
    pub fn permission_warning(&self, path: &Path, lang: crate::i18n::Lang) -> Option<String> {
        self.loose_mode.map(|m| {
            let (p, mode) = (path.display(), format!("{:o}", m & 0o777));
            crate::tr!(
                lang,
                "{p} is readable by others (mode {mode}): it will be made private (600) at the next save",
                "{p} ist für andere lesbar (Modus {mode}): beim nächsten Speichern wird sie privat (600)",
                p = p,
                mode = mode,
            )
        })
    }
}

/// Held for a session: a second azreg on the same progress file is refused. The lock is the
/// OS's (flock), so it goes away with the process, even after a crash or SIGKILL.
#[derive(Debug)]
pub struct Lock {
    _file: fs::File,
}

/// The lock file beside the progress file (the progress file itself is replaced on every
/// save, so it cannot carry the lock).
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

pub fn lock(path: &Path) -> Result<Lock, StoreError> {
    let lp = lock_path(path);
    let name = path.display().to_string();
    let err = |source| StoreError::Lock {
        path: name.clone(),
        source,
    };
    let dir = lp.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir.filter(|d| !d.exists()) {
        create_private_dir(dir).map_err(err)?;
    }
    if let Some(dir) = dir {
        safe_fs::check_dir(dir).map_err(|r| err(r.io()))?;
    }
    // The progress file itself, when there is one, must be a regular file of ours.
    if let Ok(meta) = fs::symlink_metadata(path) {
        safe_fs::check_owned_regular(&meta).map_err(|r| err(r.io()))?;
    }
    // A lock file is made exclusively, never through an existing path; an existing one must be
    // a regular file of ours. It is held on a read-only descriptor: a running azreg keeps no
    // file open for writing, so its filesystem can even be remounted read-only under it.
    match safe_fs::create_new(&lp) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(err(e)),
    }
    let file = safe_fs::open_existing(&lp)
        .map_err(err)?
        .ok_or_else(|| err(io::Error::from(io::ErrorKind::NotFound)))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let pid = safe_fs::read_bounded(&lp)
                .ok()
                .flatten()
                .and_then(|s| s.trim().parse().ok());
            return Err(StoreError::Locked { path: name, pid });
        }
        Err(fs::TryLockError::Error(e)) => return Err(err(e)),
    }
    sweep_temp_files(path);
    // Best effort, and only by the holder, into the very file locked (same inode), never
    // through a link: the pid makes a second instance's message helpful.
    let held = file.metadata().map_err(err)?;
    let held = crate::platform::facts(&held).id;
    if let Ok(mut w) =
        crate::platform::no_follow(fs::OpenOptions::new().write(true), true).open(&lp)
        && w.metadata()
            .is_ok_and(|m| crate::platform::facts(&m).id == held)
    {
        let _ = w.set_len(0);
        let _ = w.write_all(std::process::id().to_string().as_bytes());
    }
    Ok(Lock { _file: file })
}

/// Temp files of a progress file are named after it, so its lock holder can sweep them.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.azreg-")
}

/// Remove temp files a killed process left between creating and renaming them. Only the lock
/// holder calls this, so none of them belongs to a save in progress.
fn sweep_temp_files(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let prefix = temp_prefix(path);
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix) && name.ends_with(".tmp") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Move an unusable file aside as `<name>.bad-<timestamp>` (a new name, mode 0600); only a
/// regular file of ours is moved. Returns the new path.
pub fn move_aside(path: &Path) -> io::Result<PathBuf> {
    safe_fs::move_aside(path, "bad")
}

/// Keep the original of a migrated file as `<name>.bak` (mode 0600) before it is rewritten;
/// created exclusively, under `<name>.bak-<timestamp>` when `.bak` exists already.
pub fn backup_original(path: &Path) -> io::Result<PathBuf> {
    let bytes = safe_fs::read_bounded(path)?.unwrap_or_default();
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    let first = path.with_file_name(name);
    let (target, mut f) = match safe_fs::create_new(&first) {
        Ok(f) => (first, f),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            safe_fs::new_sibling(path, "bak", safe_fs::create_new)?
        }
        Err(e) => return Err(e),
    };
    f.write_all(bytes.as_bytes())?;
    f.sync_all()?;
    Ok(target)
}

pub fn state_dir() -> Result<PathBuf, StoreError> {
    let dirs = directories::ProjectDirs::from("", "", "azreg").ok_or(StoreError::NoStateDir)?;
    Ok(dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf())
}

/// Load a progress file. `Ok(None)` when it does not exist yet.
pub fn load(path: &Path) -> Result<Option<Progress>, StoreError> {
    Ok(load_full(path)?.map(|l| l.progress))
}

/// Load a progress file with what the caller should know about it.
pub fn load_full(path: &Path) -> Result<Option<Loaded>, StoreError> {
    let name = path.display().to_string();
    // Never through a link, never a FIFO or device, never more than 1 MiB.
    let text = match safe_fs::read_bounded(path) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(None),
        Err(source) => return Err(StoreError::Read { path: name, source }),
    };
    let (progress, migrated_from) = parse_any(&text, &name)?;
    let loose_mode = fs::metadata(path)
        .ok()
        .and_then(|m| crate::platform::facts(&m).mode)
        .filter(|m| m & 0o077 != 0);
    Ok(Some(Loaded {
        progress,
        migrated_from,
        loose_mode,
    }))
}

/// Parse the current layout, or migrate an older one.
pub fn parse_any(text: &str, name: &str) -> Result<(Progress, Option<u32>), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::Empty { path: name.into() });
    }
    if let Ok(mut table) = text.parse::<toml::Table>()
        && !table.contains_key("version")
    {
        // Version 0, before the schema was versioned: `done` was a list of step ids.
        if let Some(toml::Value::Array(ids)) = table.get("done") {
            let now = toml::Value::Datetime(crate::io::clock::now());
            let done: toml::Table = ids
                .iter()
                .filter_map(|v| v.as_str())
                .map(|id| (id.to_string(), now.clone()))
                .collect();
            table.insert("done".into(), toml::Value::Table(done));
        }
        table.insert("version".into(), toml::Value::Integer(i64::from(VERSION)));
        let migrated = toml::to_string(&table).unwrap_or_default();
        return parse(&migrated, name).map(|p| (p, Some(0)));
    }
    parse(text, name).map(|p| (p, None))
}

pub fn parse(text: &str, name: &str) -> Result<Progress, StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::Empty { path: name.into() });
    }
    // Read the version first, so a newer file is named as such rather than as a type error.
    if let Ok(table) = text.parse::<toml::Table>()
        && let Some(v) = table.get("version").and_then(|v| v.as_integer())
        && v > i64::from(VERSION)
    {
        return Err(StoreError::Newer {
            path: name.into(),
            found: u32::try_from(v).unwrap_or(u32::MAX),
        });
    }
    toml::from_str::<Progress>(text).map_err(|e| {
        let (position, message) = toml_error_parts(text, &e);
        StoreError::Parse {
            path: name.into(),
            position,
            message,
        }
    })
}

/// The file's text; an error (never an empty file) when the progress cannot be serialised.
pub fn to_toml(progress: &Progress) -> io::Result<String> {
    // What this build writes has this build's layout, whatever version it read.
    let body = if progress.version == VERSION {
        toml::to_string(progress)
    } else {
        toml::to_string(&Progress {
            version: VERSION,
            ..progress.clone()
        })
    }
    .map_err(|e| io::Error::other(format!("cannot be written as TOML: {e}")))?;
    Ok(format!(
        "# azreg progress file. Edit with care; azreg rewrites it after every change.\n{body}"
    ))
}

/// Why a save did not happen; the old file is left as it was.
#[derive(Debug)]
pub enum SaveError {
    /// The original of a migrated file could not be kept.
    Backup(io::Error),
    Write(io::Error),
}

impl SaveError {
    /// Why, as the layers above keep it.
    pub fn unsaved(&self) -> crate::core::progress::Unsaved {
        use crate::core::progress::Unsaved;
        match self {
            SaveError::Backup(e) => Unsaved::Backup(e.to_string()),
            SaveError::Write(e) => Unsaved::Write(e.to_string()),
        }
    }

    pub fn message(&self, path: &Path, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Worded;
        let (p, why) = (path.display(), self.unsaved().message(lang));
        crate::tr!(
            lang,
            "{p}: not saved: {why}",
            "{p}: nicht gespeichert: {why}",
            p = p,
            why = why,
        )
    }
}

/// The one save path of the walkthrough and the commands: keep the original of a migrated
/// file as a backup before its first save (`backup_pending`), then save atomically.
pub fn save_keeping_original(
    path: &Path,
    progress: &Progress,
    backup_pending: &mut bool,
) -> Result<(), SaveError> {
    if *backup_pending {
        backup_original(path).map_err(SaveError::Backup)?;
        *backup_pending = false;
    }
    save(path, progress, true).map_err(SaveError::Write)
}

/// Write the file atomically, creating its directory (mode 0700) when needed.
/// `sync` = false skips the two fsyncs (benchmarks only).
pub fn save(path: &Path, progress: &Progress, sync: bool) -> io::Result<()> {
    // Serialised first: if that fails, the old file stays as it is.
    let text = to_toml(progress)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        create_private_dir(&dir)?;
    }
    safe_fs::check_dir(&dir).map_err(safe_fs::Refusal::io)?;
    // What is replaced must be a regular file of ours (a link was resolved at start).
    if let Ok(meta) = fs::symlink_metadata(path) {
        safe_fs::check_owned_regular(&meta).map_err(safe_fs::Refusal::io)?;
    }
    // NamedTempFile is created with mode 0600 from the start.
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.write_all(text.as_bytes())?;
    if sync {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    if sync {
        sync_dir(&dir)?;
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    crate::platform::private_dir(&mut builder).create(dir)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_unknown_ids_and_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/progress.toml");
        let mut p = Progress::new("proc");
        p.current = Some("register".into());
        p.done.insert("sign-in".into(), crate::io::clock::now());
        p.done.insert(
            "a-step-from-another-version".into(),
            crate::io::clock::now(),
        );
        p.values.insert("portal_url".into(), "https://a.com".into());
        save(&path, &p, true).unwrap();
        let back = load(&path).unwrap().unwrap();
        assert_eq!(back, p);
        assert!(back.done.contains_key("a-step-from-another-version"));
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        save(&path, &Progress::new("x"), true).unwrap();
        let mode = crate::platform::testing::mode(&path);
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(&dir.path().join("nope.toml")).unwrap().is_none());
    }

    #[test]
    fn bad_files_give_clear_errors() {
        let e = parse("version = 1\ncurrent = [\n", "f.toml").unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::Parse {
                    position: Some((2, _)),
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().starts_with("f.toml:2:"), "{e}");
        let e = parse("", "f.toml").unwrap_err();
        assert!(matches!(e, StoreError::Empty { .. }));
        let e = parse("version = \"one\"\n", "f.toml").unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::Parse {
                    position: Some((1, _)),
                    ..
                }
            ),
            "{e}"
        );
        let e = parse("version = 99\n", "f.toml").unwrap_err();
        assert!(matches!(e, StoreError::Newer { found: 99, .. }), "{e}");
    }

    #[test]
    fn version_0_is_migrated() {
        let (p, from) = parse_any(
            "current = \"register\"\ndone = [\"sign-in\", \"register\"]\n",
            "f",
        )
        .unwrap();
        assert_eq!(from, Some(0));
        assert_eq!(p.version, VERSION);
        assert!(p.is_done("sign-in") && p.is_done("register"));
        let (_, from) = parse_any("version = 1\n", "f").unwrap();
        assert_eq!(from, None);
        assert!(matches!(
            parse_any(" \n", "f"),
            Err(StoreError::Empty { .. })
        ));
    }

    #[test]
    fn lock_refuses_a_second_holder_and_names_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        let first = lock(&path).unwrap();
        let e = lock(&path).unwrap_err();
        let pid = std::process::id();
        assert!(
            matches!(e, StoreError::Locked { pid: Some(p), .. } if p == pid),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains(&format!("already open in another azreg (pid {pid})"))
        );
        drop(first);
        assert!(lock(&path).is_ok(), "released with its holder");
    }

    #[cfg(unix)]
    #[test]
    fn loose_permissions_are_reported_and_tightened_by_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "version = 1\n").unwrap();
        crate::platform::set_mode(&path, 0o644).unwrap();
        let loaded = load_full(&path).unwrap().unwrap();
        assert!(
            loaded
                .permission_warning(&path, crate::i18n::Lang::En)
                .unwrap()
                .contains("mode 644")
        );
        save(&path, &loaded.progress, true).unwrap();
        assert_eq!(crate::platform::testing::mode(&path), 0o600);
    }

    #[test]
    fn bad_files_move_aside_and_migrated_ones_are_backed_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        fs::write(&path, "garbage [").unwrap();
        let aside = move_aside(&path).unwrap();
        assert!(!path.exists());
        assert!(
            aside
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("p.toml.bad-")
        );
        assert_eq!(fs::read_to_string(&aside).unwrap(), "garbage [");
        fs::write(&path, "done = []\n").unwrap();
        let bak = backup_original(&path).unwrap();
        assert_eq!(bak, dir.path().join("p.toml.bak"));
        assert_eq!(fs::read_to_string(bak).unwrap(), "done = []\n");
    }

    #[test]
    fn file_is_readable_toml() {
        let mut p = Progress::new("proc");
        p.done
            .insert("sign-in".into(), "2026-11-26T10:00:00Z".parse().unwrap());
        let text = to_toml(&p).unwrap();
        assert!(text.contains(&format!("version = {VERSION}")), "{text}");
        assert!(text.contains("sign-in = 2026-11-26T10:00:00Z"), "{text}");
    }
}
