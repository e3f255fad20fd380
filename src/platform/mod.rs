//! Everything that differs between operating systems, in one place: file ownership and modes,
//! opening without following links, the signals that end a run, core dumps, suspending. The
//! rest of azreg calls only these; `tests` fails when a unix-only API is used anywhere else.
//!
//! `unix.rs` is what Linux and macOS build; `other.rs` is the fallback with std alone (no
//! ownership or mode checks it cannot make, Ctrl-C as the only ending signal), so a Windows
//! build has this one file to complete.
//!
//! May import: nothing of azreg.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::*;

#[cfg(not(unix))]
mod other;
#[cfg(not(unix))]
pub use other::*;

/// What azreg needs to know of a file beyond std's `Metadata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// The owner's uid (`None` where the platform has none).
    pub owner: Option<u32>,
    /// The permission bits (`None` where the platform has none).
    pub mode: Option<u32>,
    /// Names the file has (hard links).
    pub links: u64,
    /// (device, inode): the same file under another name.
    pub id: Option<(u64, u64)>,
    /// What it is when not a regular file or directory.
    pub special: Option<&'static str>,
}

/// The fallback is compiled and tried here too, so a Windows build starts from code that builds.
#[cfg(all(test, unix))]
#[path = "other.rs"]
#[allow(dead_code)]
mod fallback;

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn the_fallback_builds_and_checks_nothing_it_cannot() {
        use super::fallback;
        let meta = std::fs::metadata(env!("CARGO_MANIFEST_DIR")).unwrap();
        let facts = fallback::facts(&meta);
        assert_eq!((facts.owner, facts.mode, facts.id), (None, None, None));
        assert!(!fallback::is_link_refused(&std::io::Error::other("x")));
        let mut o = std::fs::OpenOptions::new();
        fallback::no_follow(&mut o, true);
        let mut b = std::fs::DirBuilder::new();
        fallback::private_dir(&mut b);
        fallback::no_core_dumps();
        assert!(fallback::Endings::new().is_ok());
    }

    /// Every unix-only API stays in this module: a Windows build has one file to write.
    #[test]
    fn unix_only_apis_are_used_only_in_the_platform_module() {
        let forbidden = [
            "std::os::unix",
            "std::os::fd",
            "libc::",
            "tokio::signal::unix",
            "nix::",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    if p != root.join("platform") {
                        stack.push(p);
                    }
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for (n, line) in text.lines().enumerate() {
                        if forbidden.iter().any(|f| line.contains(f)) {
                            found.push(format!("{}:{}: {}", p.display(), n + 1, line.trim()));
                        }
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "unix-only calls outside src/platform/:\n{}",
            found.join("\n")
        );
    }
}
