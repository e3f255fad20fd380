//! Linux and macOS.

use std::fs::{DirBuilder, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::Facts;

/// The effective user's id.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

pub fn facts(meta: &Metadata) -> Facts {
    let t = meta.file_type();
    let special = if t.is_fifo() {
        Some("FIFO")
    } else if t.is_char_device() || t.is_block_device() {
        Some("device")
    } else if t.is_socket() {
        Some("socket")
    } else {
        None
    };
    Facts {
        owner: Some(meta.uid()),
        mode: Some(meta.permissions().mode()),
        links: meta.nlink(),
        id: Some((meta.dev(), meta.ino())),
        special,
    }
}

/// Open without following a link at the end of the path, and (`nonblock`) without blocking on
/// a FIFO; files created get mode 0600 from the start.
pub fn no_follow(opts: &mut OpenOptions, nonblock: bool) -> &mut OpenOptions {
    let flags = libc::O_NOFOLLOW | if nonblock { libc::O_NONBLOCK } else { 0 };
    opts.custom_flags(flags).mode(0o600)
}

/// The open failed because the path ends in a link (`O_NOFOLLOW`).
pub fn is_link_refused(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// The address family is not supported (no IPv6 on this machine).
pub fn is_family_unsupported(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::EAFNOSUPPORT)
}

/// Directories azreg makes are private (0700).
pub fn private_dir(builder: &mut DirBuilder) -> &mut DirBuilder {
    builder.mode(0o700)
}

/// Set a file's permission bits.
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// No core file and no ptrace attach by other processes of the user: a dump would hold the
/// secret.
pub fn no_core_dumps() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain system calls with valid arguments; failure leaves the defaults.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &none);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// Stop this process as Ctrl-Z does; it goes on after SIGCONT (`fg`).
pub fn stop_self() {
    // SAFETY: raising a signal at ourselves has no preconditions.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
}

/// The signals that end a run (SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM):
/// each is caught, so the walkthrough saves and gives the terminal back, then exits 128+n.
pub struct Endings {
    streams: Vec<(i32, tokio::signal::unix::Signal)>,
}

impl Endings {
    pub fn new() -> io::Result<Endings> {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            (libc::SIGTERM, SignalKind::terminate()),
            (libc::SIGHUP, SignalKind::hangup()),
            (libc::SIGINT, SignalKind::interrupt()),
            (libc::SIGQUIT, SignalKind::quit()),
            (libc::SIGUSR1, SignalKind::user_defined1()),
            (libc::SIGUSR2, SignalKind::user_defined2()),
            (libc::SIGALRM, SignalKind::alarm()),
        ];
        let mut streams = Vec::new();
        for (n, k) in kinds {
            streams.push((n, signal(k)?));
        }
        Ok(Endings { streams })
    }

    /// The next ending signal's number.
    pub async fn next(&mut self) -> i32 {
        let pending = self.streams.iter_mut().map(|(n, s)| {
            let n = *n;
            Box::pin(async move {
                s.recv().await;
                n
            })
        });
        futures_util::future::select_all(pending).await.0
    }
}

/// What the tests need to set up files as another user or process would leave them.
#[cfg(test)]
pub mod testing {
    use std::path::Path;

    /// A file's permission bits.
    pub fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    pub fn symlink(target: impl AsRef<Path>, link: &Path) {
        std::os::unix::fs::symlink(target, link).unwrap();
    }

    /// Give a file to another user (needs root).
    pub fn chown(path: &Path, uid: u32) {
        std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
    }

    pub fn mkfifo(path: &Path) {
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }
}
