//! Where the progress file lives, and reading and writing it safely.
//!
//! Saves are atomic (temp file in the same directory, write, sync, rename, sync the
//! directory) and created with mode 0600, since the file may hold the client secret. A file
//! that does not parse is never overwritten.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::procedure::toml_error_parts;
use crate::progress::{Progress, VERSION};

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
}

/// The default progress file: `$XDG_STATE_HOME/azreg/progress.toml` on Linux
/// (`~/.local/state/azreg/`), the platform's local data directory elsewhere.
pub fn default_path() -> Result<PathBuf, StoreError> {
    Ok(state_dir()?.join("progress.toml"))
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
    let name = path.display().to_string();
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(StoreError::Read { path: name, source }),
    };
    parse(&text, &name).map(Some)
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

pub fn to_toml(progress: &Progress) -> String {
    let body = toml::to_string(progress).unwrap_or_default();
    format!("# azreg progress file. Edit with care; azreg rewrites it after every change.\n{body}")
}

/// Write the file atomically, creating its directory (mode 0700) when needed.
/// `sync` = false skips the two fsyncs (benchmarks only).
pub fn save(path: &Path, progress: &Progress, sync: bool) -> io::Result<()> {
    let text = to_toml(progress);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        create_private_dir(&dir)?;
    }
    // NamedTempFile is created with mode 0600 from the start.
    let mut tmp = tempfile::Builder::new()
        .prefix(".azreg-")
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
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
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
    use crate::progress::now;

    #[test]
    fn round_trip_keeps_unknown_ids_and_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/progress.toml");
        let mut p = Progress::new("proc");
        p.current = Some("register".into());
        p.done.insert("sign-in".into(), now());
        p.done.insert("a-step-from-another-version".into(), now());
        p.values.insert("portal_url".into(), "https://a.com".into());
        save(&path, &p, true).unwrap();
        let back = load(&path).unwrap().unwrap();
        assert_eq!(back, p);
        assert!(back.done.contains_key("a-step-from-another-version"));
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        save(&path, &Progress::new("x"), true).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
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
    fn file_is_readable_toml() {
        let mut p = Progress::new("proc");
        p.done
            .insert("sign-in".into(), "2026-11-26T10:00:00Z".parse().unwrap());
        let text = to_toml(&p);
        assert!(text.contains("version = 1"), "{text}");
        assert!(text.contains("sign-in = 2026-11-26T10:00:00Z"), "{text}");
    }
}
