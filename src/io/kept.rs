//! The files `azreg import` keeps beside a progress file it could not write (locked by a running
//! walkthrough, or not writable): created exclusively with mode 0600, offered to the walkthrough,
//! removed once taken in.

use std::io::Write;
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
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// A file `import` kept aside: ours (a regular file, bounded), holding a JSON object.
pub fn read_kept(path: &Path) -> Option<Map<String, Value>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_INPUT {
        return None;
    }
    crate::core::edit::import::find_object(&std::fs::read_to_string(path).ok()?)
}

/// Keep what was read in a new file beside the progress file: created exclusively, 0600.
pub fn keep_aside(path: &Path, obj: &Map<String, Value>) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
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
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&aside)
        {
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
