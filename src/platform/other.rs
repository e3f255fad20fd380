//! The fallback with std alone (Windows and anything not unix): what it cannot check it does
//! not pretend to; Ctrl-C is the one ending signal.

use std::fs::{DirBuilder, Metadata, OpenOptions};
use std::io;
use std::path::Path;

use super::Facts;

pub fn euid() -> u32 {
    0
}

pub fn facts(meta: &Metadata) -> Facts {
    Facts {
        // No uid or mode bits here: ownership and mode checks pass (the user's profile
        // directory is private by the OS's own ACLs).
        owner: None,
        mode: None,
        links: 1,
        id: None,
        special: (!meta.is_file() && !meta.is_dir()).then_some("special file"),
    }
}

pub fn no_follow(opts: &mut OpenOptions, _nonblock: bool) -> &mut OpenOptions {
    opts
}

pub fn is_link_refused(_e: &io::Error) -> bool {
    false
}

pub fn is_family_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::AddrNotAvailable
}

pub fn private_dir(builder: &mut DirBuilder) -> &mut DirBuilder {
    builder
}

pub fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

pub fn no_core_dumps() {}

pub fn stop_self() {}

pub struct Endings;

impl Endings {
    pub fn new() -> io::Result<Endings> {
        Ok(Endings)
    }

    /// Ctrl-C, reported as SIGINT's number.
    pub async fn next(&mut self) -> i32 {
        let _ = tokio::signal::ctrl_c().await;
        2
    }
}

/// The tests' file set-up: not available without unix file modes and owners.
#[cfg(test)]
pub mod testing {
    use std::path::Path;

    pub fn mode(_path: &Path) -> u32 {
        unimplemented!("no file modes on this platform")
    }

    pub fn symlink(_target: impl AsRef<Path>, _link: &Path) {
        unimplemented!("symbolic links need unix here")
    }

    pub fn chown(_path: &Path, _uid: u32) {
        unimplemented!("no owners on this platform")
    }

    pub fn mkfifo(_path: &Path) {
        unimplemented!("no FIFOs on this platform")
    }
}
