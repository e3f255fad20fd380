//! Who else is logged in to this machine: on a shared host, other users can read a browser's
//! command line (`/proc/*/cmdline` without `hidepid`), so the browser sign-in's link is not a
//! secret there. Read from the login records (utmp), as `who` does; Linux only.

use std::path::PathBuf;

/// Where the login records are (`AZREG_UTMP` for the tests).
fn utmp_path() -> PathBuf {
    std::env::var_os("AZREG_UTMP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/run/utmp"))
}

/// glibc's `struct utmp` on Linux: 384 bytes; `ut_type` first (a short), `ut_user` at 44.
const RECORD: usize = 384;
const USER_PROCESS: i16 = 7;
const USER_AT: usize = 44;
const USER_LEN: usize = 32;

/// The names of users with a login session in `records`, other than `me`, each once.
pub fn others_in(records: &[u8], me: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for r in records.chunks_exact(RECORD) {
        if i16::from_ne_bytes([r[0], r[1]]) != USER_PROCESS {
            continue;
        }
        let raw = &r[USER_AT..USER_AT + USER_LEN];
        let end = raw.iter().position(|&b| b == 0).unwrap_or(USER_LEN);
        let name =
            crate::text::clean_for_display(&String::from_utf8_lossy(&raw[..end])).into_owned();
        if !name.is_empty() && name != me && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The running user's name, from the password database by uid (not from the environment).
fn my_name() -> Option<String> {
    let uid = crate::platform::euid().to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        (f.nth(1)? == uid).then(|| name.to_string())
    })
}

/// Other users logged in to this machine now (empty when it cannot be told).
pub fn others_logged_in() -> Vec<String> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    // At most a few hundred sessions; a bigger file is not a login record.
    let Ok(bytes) = std::fs::read(utmp_path()) else {
        return Vec::new();
    };
    if bytes.len() > RECORD * 4096 {
        return Vec::new();
    }
    others_in(&bytes, &my_name().unwrap_or_default())
}

/// A login record, as the tests write them.
#[doc(hidden)]
pub fn record(user: &str, kind: i16) -> Vec<u8> {
    let mut r = vec![0u8; RECORD];
    r[..2].copy_from_slice(&kind.to_ne_bytes());
    let n = user.len().min(USER_LEN);
    r[USER_AT..USER_AT + n].copy_from_slice(&user.as_bytes()[..n]);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_other_users_sessions_count_each_once() {
        let mut f = record("admin", USER_PROCESS);
        f.extend(record("mallory", USER_PROCESS));
        f.extend(record("mallory", USER_PROCESS));
        f.extend(record("LOGIN", 6)); // a getty, not a session
        f.extend(record("bob\u{1b}]0;x", USER_PROCESS));
        f.extend([1, 2, 3]); // a torn record at the end
        let names = others_in(&f, "admin");
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(names[0], "mallory");
        assert!(!names[1].contains('\u{1b}'), "cleaned: {names:?}");
        assert!(others_in(&f[..RECORD], "admin").is_empty());
    }
}
