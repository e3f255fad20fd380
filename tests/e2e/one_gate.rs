//! The rules every signing-in run keeps, on the paths that used to skip them: `verify` sends
//! the secret to an identity platform only the progress file names only when confirmed, and
//! keeps `--authority` for later only when asked; a journal another user planted stops `apply`
//! before its first write; a throttling storm costs one `--wait` budget per command, not one
//! per read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::graph::{APPLY_PROGRESS, Options, StandIn};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn file_with(dir: &Path, text: &str) -> PathBuf {
    let f = dir.join("p.toml");
    std::fs::write(&f, text).unwrap();
    f
}

/// A registration in use, recorded in a progress file that names the stand-in as its
/// identity platform (as a file edited by another hand could).
fn recorded(s: &StandIn, dir: &Path, authority_in_file: bool) -> PathBuf {
    let (client, secret) = s.seed_registration(
        &["https://portal.example.com/oauth2/token/ms365-mycompany"],
        &["https://portal.example.com/oauth2callback.html"],
        true,
        "2099-05-25T23:59:59Z",
    );
    let mut t = String::new();
    if authority_in_file {
        t.push_str(&format!("authority = \"{}\"\n", s.login_url()));
    }
    t.push_str(APPLY_PROGRESS.trim_start_matches('\n'));
    t.push_str(&format!(
        "client_id = \"{client}\"\ntenant_id = \"{}\"\nclient_secret = \"{secret}\"\n",
        s.opts.tenant
    ));
    // Top-level keys before the tables.
    let t = t.replacen("version = 2\n", "", 1);
    file_with(dir, &format!("version = 2\n{t}"))
}

fn verify(s: &StandIn, file: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(file)
        .arg("verify")
        .args(args)
        .env("SSL_CERT_FILE", &s.ca_file)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn token_requests(s: &StandIn) -> usize {
    s.log()
        .iter()
        .filter(|l| l.port == "login" && l.target.ends_with("/oauth2/v2.0/token"))
        .count()
}

#[test]
fn verify_sends_the_secret_to_a_file_named_platform_only_when_confirmed() {
    let s = StandIn::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let file = recorded(&s, dir.path(), true);
    let o = verify(&s, &file, &[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("names 127.0.0.1 as the identity platform"),
        "{t}"
    );
    assert!(t.contains("nothing was sent"), "{t}");
    assert_eq!(token_requests(&s), 0, "{}", s.log_text());
    // Named on the command line: it goes there.
    let o = verify(&s, &file, &["--authority", &s.login_url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(token_requests(&s), 1);
}

#[test]
fn verify_keeps_the_authority_for_later_only_when_asked() {
    let s = StandIn::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let file = recorded(&s, dir.path(), false);
    let o = verify(&s, &file, &["--authority", &s.login_url()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        !saved.contains("authority ="),
        "kept without being asked: {saved}"
    );
    let o = verify(
        &s,
        &file,
        &["--authority", &s.login_url(), "--save-authority"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains(&format!("authority = \"{}\"", s.login_url())),
        "{saved}"
    );
}

#[test]
fn a_journal_another_user_planted_stops_apply_before_its_first_write() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        assert!(
            std::env::var_os("AZREG_REQUIRE_ROOT").is_none(),
            "not root, and AZREG_REQUIRE_ROOT is set"
        );
        eprintln!("SKIPPED: not root: no other user to plant the journal");
        return;
    }
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = file_with(dir.path(), APPLY_PROGRESS);
    let journal = dir.path().join("p.journal.jsonl");
    std::fs::write(&journal, "").unwrap();
    let c = std::ffi::CString::new(journal.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; chown to nobody.
    assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
    let o = s.device_code_apply(&file).output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(3), "{t}");
    assert!(t.contains("cannot be kept safely"), "{t}");
    assert!(t.contains("belongs to another user"), "{t}");
    assert!(s.writes().is_empty(), "{}", s.log_text());
}

#[test]
fn a_throttling_storm_costs_one_budget_per_command_not_one_per_read() {
    // Every Graph request throttled, Retry-After 1 s: doctor reads a dozen things.
    let s = StandIn::start(Options {
        throttle_every: 1,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = recorded(&s, dir.path(), false);
    let started = Instant::now();
    let o = s
        .device_code(&file, &["doctor", "--wait", "4"])
        .env_remove("AZREG_RETRY_FIRST_MS")
        .output()
        .unwrap();
    let took = started.elapsed();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(7), "{t}");
    assert!(t.contains("throttling"), "{t}");
    // One budget of 4 s for the whole command (each read alone used to get its own).
    assert!(took < Duration::from_secs(12), "took {took:?}: {t}");
}
