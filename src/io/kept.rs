//! The files `azreg import` keeps beside a progress file it could not write (locked by a running
//! walkthrough, or not writable): created exclusively with mode 0600, offered to the walkthrough,
//! removed once taken in. Beside a progress file in a shared directory, anyone may plant a file
//! of that name: only a regular file of the running user's, mode 0600, opened without following
//! a link and checked on the open descriptor, is ever offered.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// Longest file read back: the JSON in question is well under a kilobyte.
const MAX_INPUT: u64 = 1 << 20;

/// Files `import` left beside a progress file it could not write, oldest first.
pub fn pending(path: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}.import-", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(".json")
        })
        .map(|e| e.path())
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| ours(&m) && m.len() <= MAX_INPUT))
        .collect();
    found.sort();
    found
}

/// As `keep_aside` makes them: a regular file of the running user's that only they may read.
fn ours(meta: &std::fs::Metadata) -> bool {
    let facts = crate::platform::facts(meta);
    crate::io::safe_fs::check_owned_regular(meta).is_ok()
        && facts.mode.is_none_or(|m| m & 0o077 == 0)
        && facts.links == 1
}

/// A file `import` kept aside: ours (checked on the open descriptor, never through a link),
/// bounded, holding a JSON object.
pub fn read_kept(path: &Path) -> Option<Map<String, Value>> {
    let file = crate::io::safe_fs::open_existing(path).ok()??;
    let meta = file.metadata().ok()?;
    if !ours(&meta) || meta.len() > MAX_INPUT {
        return None;
    }
    let mut text = String::new();
    file.take(MAX_INPUT).read_to_string(&mut text).ok()?;
    crate::core::edit::import::find_object(&text)
}

/// Keep what was read in a new file beside the progress file: created exclusively, 0600.
pub fn keep_aside(path: &Path, obj: &Map<String, Value>) -> std::io::Result<PathBuf> {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "progress.toml".into());
    let text = serde_json::to_string_pretty(obj).unwrap_or_default() + "\n";
    for n in 0..100 {
        let aside = path.with_file_name(format!(
            "{name}.import-{stamp}-{}-{n}.json",
            std::process::id()
        ));
        match crate::io::safe_fs::create_new(&aside) {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                f.sync_all()?;
                return Ok(aside);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj() -> Map<String, Value> {
        let v = serde_json::json!({"appId": "0b1c2d3e-1111-2222-3333-444455556666"});
        v.as_object().unwrap().clone()
    }

    #[test]
    fn only_a_private_regular_file_of_ours_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let progress = dir.path().join("progress.toml");
        let ours = keep_aside(&progress, &obj()).unwrap();
        assert_eq!(pending(&progress), std::slice::from_ref(&ours));
        assert!(read_kept(&ours).is_some());
        // Readable by others: not as keep_aside makes them.
        let loose = progress.with_file_name("progress.toml.import-1-1-0.json");
        std::fs::write(&loose, serde_json::to_string(&obj()).unwrap()).unwrap();
        crate::platform::set_mode(&loose, 0o644).unwrap();
        // A link to a file of ours, and a second name (hard link) of one.
        let link = progress.with_file_name("progress.toml.import-2-1-0.json");
        crate::platform::testing::symlink(&ours, &link);
        let hard = progress.with_file_name("progress.toml.import-3-1-0.json");
        std::fs::hard_link(&ours, &hard).unwrap();
        assert!(read_kept(&loose).is_none());
        assert!(read_kept(&link).is_none());
        assert!(read_kept(&hard).is_none());
        assert!(read_kept(&ours).is_none(), "now it has two names");
        std::fs::remove_file(&hard).unwrap();
        assert_eq!(pending(&progress), [ours]);
    }

    /// Another user plants a file of the right name beside a progress file in a sticky
    /// directory (as root can play that user): it is never offered.
    #[test]
    fn another_users_file_is_never_offered() {
        // SAFETY: geteuid has no preconditions.
        if crate::platform::euid() != 0 {
            let why = "not root: cannot make a file of another user";
            assert!(std::env::var_os("AZREG_REQUIRE_ROOT").is_none(), "{why}");
            eprintln!("SKIPPED: {why}");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        crate::platform::set_mode(dir.path(), 0o1777).unwrap();
        let progress = dir.path().join("progress.toml");
        let planted = progress.with_file_name("progress.toml.import-1-1-0.json");
        std::fs::write(&planted, serde_json::to_string(&obj()).unwrap()).unwrap();
        crate::platform::set_mode(&planted, 0o600).unwrap();
        crate::platform::testing::chown(&planted, 65534);
        assert!(pending(&progress).is_empty());
        assert!(read_kept(&planted).is_none());
    }
}
