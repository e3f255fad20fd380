//! Files in directories others may write to (a shared /tmp, a team share), treated the way git
//! and OpenSSH treat theirs: nothing is opened through a link azreg did not expect, files azreg
//! makes are created exclusively under a new name with mode 0600, a file or directory that
//! belongs to someone else is refused, and anything that is not a regular file (a FIFO, a
//! device, a directory) is refused without blocking.

use crate::platform;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest progress or procedure file read (they are a few kilobytes).
pub const MAX_FILE: u64 = 1 << 20;

/// Why a path is refused; shown to the user with the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotRegular(&'static str),
    OtherOwner(u32),
    SharedDir,
    TooLarge,
}

impl Refusal {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::tr;
        match self {
            Refusal::NotRegular(kind) => match lang {
                crate::i18n::Lang::De => format!(
                    "ist {}, keine gewöhnliche Datei: abgelehnt",
                    match *kind {
                        "directory" => "ein Verzeichnis",
                        "symbolic link" => "ein symbolischer Link",
                        "FIFO" => "ein FIFO",
                        "device" => "ein Gerät",
                        "socket" => "ein Socket",
                        _ => "eine besondere Datei",
                    }
                ),
                _ => tr!(
                    lang,
                    "is a {kind}, not a regular file: refused",
                    "ist ein(e) {kind}, keine gewöhnliche Datei: abgelehnt",
                    kind = kind,
                ),
            },
            Refusal::OtherOwner(uid) => tr!(
                lang,
                "belongs to another user (uid {uid}): refused, nothing was written",
                "gehört einem anderen Benutzer (uid {uid}): abgelehnt, nichts wurde geschrieben",
                uid = uid,
            ),
            Refusal::SharedDir => tr!(
                lang,
                "lies in a directory others may write to (and it is not sticky): refused; use a private directory",
                "liegt in einem Verzeichnis, in das andere schreiben dürfen (ohne Sticky-Bit): abgelehnt; verwenden Sie ein privates Verzeichnis"
            ),
            Refusal::TooLarge => tr!(
                lang,
                "is larger than 1 MiB: not a file azreg wrote; refused",
                "ist größer als 1 MiB: keine Datei von azreg; abgelehnt"
            ),
        }
    }

    /// As an I/O error that still knows it is a refusal: [`worded`] says it in any language.
    pub fn io(self) -> io::Error {
        io::Error::other(self)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(crate::i18n::Lang::En))
    }
}

impl std::error::Error for Refusal {}

/// An I/O error in the user's language where azreg refused the path itself; the system's
/// wording otherwise.
pub fn worded(e: &io::Error, lang: crate::i18n::Lang) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Refusal>())
    {
        Some(r) => r.message(lang),
        None => e.to_string(),
    }
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "directory"
    } else if t.is_symlink() {
        "symbolic link"
    } else {
        platform::facts(meta).special.unwrap_or("special file")
    }
}

/// A regular file of ours. Root too refuses another user's file: in a shared directory it
/// may have been planted.
pub fn check_owned_regular(meta: &fs::Metadata) -> Result<(), Refusal> {
    if !meta.file_type().is_file() {
        return Err(Refusal::NotRegular(kind_of(meta)));
    }
    match platform::facts(meta).owner {
        Some(uid) if uid != platform::euid() => Err(Refusal::OtherOwner(uid)),
        _ => Ok(()),
    }
}

/// The directory a file of ours lives in: others may write there only when it is sticky (like
/// /tmp), so they cannot replace or remove what is ours.
pub fn check_dir(dir: &Path) -> Result<(), Refusal> {
    let Ok(meta) = fs::metadata(dir) else {
        return Ok(()); // made later, privately
    };
    let facts = platform::facts(&meta);
    let (Some(mode), Some(owner)) = (facts.mode, facts.owner) else {
        return Ok(()); // no mode bits here: the OS's own access rules apply
    };
    if mode & 0o022 != 0 && mode & 0o1000 == 0 && owner != platform::euid() {
        return Err(Refusal::SharedDir);
    }
    if mode & 0o002 != 0 && mode & 0o1000 == 0 {
        return Err(Refusal::SharedDir);
    }
    Ok(())
}

/// A path given by the user, with a symbolic link at its end resolved once: the real file is
/// locked and saved, and the link stays as it was.
pub fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(real) => real,
            Err(_) => match fs::read_link(path) {
                // A dangling link: the file it names is made there.
                Ok(t) if t.is_relative() => path.parent().unwrap_or(Path::new(".")).join(t),
                Ok(t) => t,
                Err(_) => path.to_path_buf(),
            },
        },
        _ => path.to_path_buf(),
    }
}

/// Open an existing file for reading without following a link and without blocking on a FIFO;
/// it must be a regular file of ours. `Ok(None)` when there is none.
pub fn open_existing(path: &Path) -> io::Result<Option<File>> {
    let file = match platform::no_follow(OpenOptions::new().read(true), true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if platform::is_link_refused(&e) => {
            return Err(Refusal::NotRegular("symbolic link").io());
        }
        Err(e) => return Err(e),
    };
    check_owned_regular(&file.metadata()?).map_err(Refusal::io)?;
    Ok(Some(file))
}

/// Read a whole file of ours, at most `MAX_FILE` bytes.
pub fn read_bounded(path: &Path) -> io::Result<Option<String>> {
    let Some(file) = open_existing(path)? else {
        return Ok(None);
    };
    let mut text = String::new();
    file.take(MAX_FILE + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_FILE {
        return Err(Refusal::TooLarge.io());
    }
    Ok(Some(text))
}

/// Write `bytes` to `path` whole or not at all: a temporary file beside it, synced, given
/// `mode`, then renamed over it (a reader never sees half a file; a link at `path` is
/// replaced, not followed).
pub fn replace_whole(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".azreg-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    platform::set_mode(tmp.path(), mode)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A file of ours to append to (a log): created 0600, never through a link, never another
/// user's or a non-regular file; an existing one made private.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    let file = platform::no_follow(OpenOptions::new().append(true).create(true), true)
        .open(path)
        .map_err(|e| {
            if platform::is_link_refused(&e) {
                Refusal::NotRegular("symbolic link").io()
            } else {
                e
            }
        })?;
    check_owned_regular(&file.metadata()?).map_err(Refusal::io)?;
    platform::set_mode(path, 0o600)?;
    Ok(file)
}

/// Create a new file, never through an existing path: `O_CREAT | O_EXCL | O_NOFOLLOW`, mode
/// 0600 from the start.
pub fn create_new(path: &Path) -> io::Result<File> {
    platform::no_follow(OpenOptions::new().write(true).create_new(true), false).open(path)
}

/// `<name>.<suffix>-<UTC timestamp>[-n]` beside `path` that does not exist yet, created by
/// `make` exclusively: two backups in one second never share a name.
pub fn new_sibling<T>(
    path: &Path,
    suffix: &str,
    mut make: impl FnMut(&Path) -> io::Result<T>,
) -> io::Result<(PathBuf, T)> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_else(|_| "unknown".into());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 0..1000 {
        let extra = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let target = path.with_file_name(format!("{name}.{suffix}-{stamp}{extra}"));
        match make(&target) {
            Ok(t) => return Ok((target, t)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("no free name for a backup"))
}

/// Move a file of ours aside under a new name, never over an existing one (a hard link, then
/// the old name removed), and make it private.
pub fn move_aside(path: &Path, suffix: &str) -> io::Result<PathBuf> {
    let meta = fs::symlink_metadata(path)?;
    check_owned_regular(&meta).map_err(Refusal::io)?;
    let (target, ()) = new_sibling(path, suffix, |t| fs::hard_link(path, t))?;
    fs::remove_file(path)?;
    platform::set_mode(&target, 0o600)?;
    Ok(target)
}

/// A procedure file given with `--procedure`: read bounded, never through a link, never a
/// FIFO or device, then checked as the embedded one is.
pub fn load_procedure(
    path: &Path,
) -> Result<crate::core::procedure::Procedure, crate::core::procedure::ProcedureError> {
    let name = path.display().to_string();
    let text = read_bounded(path)
        .and_then(|t| t.ok_or_else(|| io::Error::from(io::ErrorKind::NotFound)))
        .map_err(|e| crate::core::procedure::ProcedureError {
            source_name: name.clone(),
            position: None,
            flaw: crate::core::procedure::Flaw::Unreadable(e.to_string()),
        })?;
    crate::core::procedure::Procedure::parse(&text, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        crate::platform::testing::mkfifo(&fifo);
        let e = read_bounded(&fifo).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read_bounded(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("device"), "{e}");
        let e = read_bounded(dir.path()).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        let link = dir.path().join("link");
        crate::platform::testing::symlink("/etc/hostname", &link);
        let e = read_bounded(&link).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(read_bounded(&dir.path().join("none")).unwrap(), None);
    }

    #[test]
    fn another_users_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("p.toml");
        std::fs::write(&f, "x").unwrap();
        if crate::platform::euid() != 0 {
            eprintln!("SKIPPED part: only root can give a file to another user here");
            return;
        }
        crate::platform::testing::chown(&f, 65534);
        let e = read_bounded(&f).unwrap_err();
        assert!(e.to_string().contains("another user (uid 65534)"), "{e}");
    }

    #[test]
    fn big_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'#'; MAX_FILE as usize + 1]).unwrap();
        assert!(
            read_bounded(&big)
                .unwrap_err()
                .to_string()
                .contains("1 MiB")
        );
    }

    #[test]
    fn new_files_never_go_through_an_existing_path() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let planted = dir.path().join("x.bak");
        crate::platform::testing::symlink(&victim, &planted);
        assert!(create_new(&planted).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        create_new(&dir.path().join("fresh")).unwrap();
        assert_eq!(
            crate::platform::testing::mode(&dir.path().join("fresh")),
            0o600
        );
    }

    #[test]
    fn siblings_never_collide_and_moved_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.toml");
        let mut names = Vec::new();
        for _ in 0..3 {
            std::fs::write(&p, "x").unwrap();
            crate::platform::set_mode(&p, 0o644).unwrap();
            let t = move_aside(&p, "bad").unwrap();
            assert_eq!(crate::platform::testing::mode(&t), 0o600);
            names.push(t);
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(!p.exists());
    }

    #[test]
    fn a_world_writable_directory_without_the_sticky_bit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        fs::create_dir(&open).unwrap();
        crate::platform::set_mode(&open, 0o777).unwrap();
        assert_eq!(check_dir(&open), Err(Refusal::SharedDir));
        crate::platform::set_mode(&open, 0o1777).unwrap();
        assert_eq!(check_dir(&open), Ok(()));
        crate::platform::set_mode(&open, 0o700).unwrap();
        assert_eq!(check_dir(&open), Ok(()));
    }

    #[test]
    fn a_symlinked_file_resolves_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "x").unwrap();
        let link = dir.path().join("link.toml");
        crate::platform::testing::symlink("real.toml", &link);
        assert_eq!(resolve(&link), real.canonicalize().unwrap());
        assert_eq!(resolve(&real), real);
    }
}
