//! Rotation without downtime: the stand-in plays Intrexx's connector signing in with whichever
//! secret it holds. Through every order of the rotation's steps (renew, Intrexx switched,
//! finish), a finish asked for too early, and a renewal killed at each of its requests and run
//! again, the connector always holds a secret Entra takes, and the rotation ends with one
//! secret on the app: the one Intrexx uses.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::graph::{APPLY_PROGRESS, Options, StandIn};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn file(dir: &Path) -> PathBuf {
    let f = dir.join("p.toml");
    std::fs::write(&f, APPLY_PROGRESS).unwrap();
    f
}

fn run(s: &StandIn, f: &Path, args: &[&str]) -> Output {
    s.device_code(f, args).output().unwrap()
}

fn saved(f: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()
}

fn secret_of(f: &Path) -> String {
    saved(f)["values"]["client_secret"]
        .as_str()
        .unwrap()
        .to_string()
}

fn options(report: bool) -> Options {
    Options {
        device_pending_polls: 0,
        credential_report: report,
        ..Options::default()
    }
}

/// A registration made by `apply`: the stand-in, the file's folder and path, the client ID.
fn registered(report: bool) -> (StandIn, tempfile::TempDir, PathBuf, String) {
    let s = StandIn::start(options(report));
    let dir = tempfile::tempdir().unwrap();
    let f = file(dir.path());
    assert_eq!(run(&s, &f, &["apply", "--yes"]).status.code(), Some(0));
    let client = saved(&f)["values"]["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    (s, dir, f, client)
}

fn creds(s: &StandIn) -> usize {
    s.apps()[0]["passwordCredentials"].as_array().unwrap().len()
}

/// With `AZREG_TRANSCRIPT=FILE`, what a test's commands printed goes into FILE (for a reader who
/// wants to see a whole rotation; the test asserts the same either way).
fn transcript(what: &str, o: &Output) {
    if let Some(path) = std::env::var_os("AZREG_TRANSCRIPT") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        let _ = writeln!(
            f,
            "$ azreg {what}   (exit {:?})\n{}",
            o.status.code(),
            text(o)
        );
    }
}

#[test]
fn the_report_shows_intrexx_on_the_new_secret_and_only_then_the_old_one_goes() {
    let (s, _dir, f, client) = registered(true);
    let old = secret_of(&f);
    assert!(s.connector_signs_in(&client, &old));
    let o = run(&s, &f, &["apply", "--yes", "--renew"]);
    transcript("apply --yes --renew", &o);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("stays, so the connector keeps working"), "{t}");
    let new = secret_of(&f);
    assert_ne!(new, old);
    // Every read refreshes Azure's end of the secret in use: now the new one's.
    let end = saved(&f)["azure_secret"]["end"]
        .as_str()
        .unwrap()
        .to_string();
    let new_cred = s.apps()[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| Some(c["keyId"].as_str().unwrap()) == saved(&f)["secret_key_id"].as_str())
        .unwrap()
        .clone();
    assert_eq!(Some(end.as_str()), new_cred["endDateTime"].as_str());
    // No downtime: Intrexx, still on the old secret, signs in.
    assert!(s.connector_signs_in(&client, &old));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(&f)
        .arg("status")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    transcript("status", &o);
    assert!(text(&o).contains("rotation since"), "{}", text(&o));
    // Too early: the report shows no sign-in with the new secret but azreg's own check.
    let o = run(&s, &f, &["apply", "--yes", "--remove-old"]);
    transcript("apply --yes --remove-old   (before Intrexx switched)", &o);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("shows no sign-in with the new secret"), "{t}");
    assert_eq!(creds(&s), 2);
    // Intrexx switched: the report shows it, and the old secret goes.
    std::thread::sleep(Duration::from_millis(3200));
    assert!(s.connector_signs_in(&client, &new));
    let o = run(&s, &f, &["apply", "--yes", "--remove-old"]);
    transcript("apply --yes --remove-old   (after Intrexx switched)", &o);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(t.contains("shows the new secret in use"), "{t}");
    assert!(t.contains("removed"), "{t}");
    assert_eq!(creds(&s), 1);
    assert!(s.connector_signs_in(&client, &new));
    assert!(
        !s.connector_signs_in(&client, &old),
        "the old secret is gone"
    );
    assert!(saved(&f).get("rotation").is_none());
}

#[test]
fn without_the_report_the_admins_word_decides() {
    let (s, _dir, f, _) = registered(false);
    assert_eq!(
        run(&s, &f, &["apply", "--yes", "--renew"]).status.code(),
        Some(0)
    );
    let o = run(&s, &f, &["apply", "--yes", "--remove-old"]);
    transcript(
        "apply --yes --remove-old   (no report in this tenant, no word)",
        &o,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("does not offer Graph's credential activity report"),
        "{t}"
    );
    assert_eq!(creds(&s), 2);
    let o = run(
        &s,
        &f,
        &["apply", "--yes", "--remove-old", "--intrexx-updated"],
    );
    transcript(
        "apply --yes --remove-old --intrexx-updated   (no report in this tenant)",
        &o,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(creds(&s), 1);
}

/// Runs azreg and kills it once the stand-in has seen `k` more requests (or it ended).
fn killed_after(s: &StandIn, f: &Path, args: &[&str], k: usize) {
    let before = s.log().len();
    let mut child = s
        .device_code(f, args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none()
        && s.log().len() - before < k
        && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Every interleaving of renew (R), Intrexx switched (X) and finish (F), F tried at every
/// point, and R and F each killed after each of its requests and run again: the connector always signs
/// in, and the end is one secret, the one Intrexx holds.
#[test]
fn every_interleaving_and_every_kill_keeps_the_connector_signed_in() {
    let mut finishes_cut = 0;
    for kill_at in [None, Some(3), Some(6), Some(9), Some(12), Some(15)] {
        let (s, _dir, f, client) = registered(true);
        let mut held = secret_of(&f);
        let signs_in = |held: &str, when: &str| {
            assert!(
                s.connector_signs_in(&client, held),
                "the connector lost its sign-in {when} (kill at {kill_at:?})\n{}",
                s.dump()
            );
        };
        signs_in(&held, "before the rotation");
        // F before any renewal: nothing to finish, nothing removed.
        let o = run(&s, &f, &["apply", "--yes", "--remove-old"]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        signs_in(&held, "after an early finish");
        // R, killed after `k` requests, then run again to its end.
        if let Some(k) = kill_at {
            killed_after(&s, &f, &["apply", "--yes", "--renew"], k);
            signs_in(&held, "after a killed renewal");
        }
        if kill_at.is_none() || saved(&f).get("rotation").is_none() {
            let o = run(&s, &f, &["apply", "--yes", "--renew"]);
            assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o), s.log_text());
        }
        signs_in(&held, "after the renewal");
        // F before X: refused, the old secret stays.
        let o = run(&s, &f, &["apply", "--yes", "--remove-old"]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        signs_in(&held, "after a finish before the switch");
        // X: Intrexx takes the recorded (new) value.
        std::thread::sleep(Duration::from_millis(3200));
        held = secret_of(&f);
        signs_in(&held, "after the switch");
        // F after X, killed after `k` requests, then run again: the old secret goes.
        if let Some(k) = kill_at {
            killed_after(&s, &f, &["apply", "--yes", "--remove-old"], k);
            signs_in(&held, "after a killed finish");
        }
        // A finish killed after it recorded the end has nothing left to do.
        if kill_at.is_none() || saved(&f).get("rotation").is_some() {
            finishes_cut += usize::from(kill_at.is_some());
            let o = run(&s, &f, &["apply", "--yes", "--remove-old"]);
            assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o), s.log_text());
        }
        signs_in(&held, "after the finish");
        assert_eq!(
            creds(&s),
            1,
            "one secret left (kill at {kill_at:?}): {}",
            s.dump()
        );
        assert!(saved(&f).get("rotation").is_none());
        assert!(saved(&f).get("pending_secret").is_none());
    }
    assert!(
        finishes_cut >= 2,
        "the kills cut {finishes_cut} finishes short"
    );
}

/// The next plain `apply` finishes a rotation once Graph's report shows Intrexx on the new
/// secret, and only says it is open before that.
#[test]
fn the_next_apply_finishes_a_rotation_the_report_shows_done() {
    let (s, _dir, f, client) = registered(true);
    assert_eq!(
        run(&s, &f, &["apply", "--yes", "--renew"]).status.code(),
        Some(0)
    );
    let o = run(&s, &f, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("a rotation is in progress"), "{t}");
    assert_eq!(creds(&s), 2);
    std::thread::sleep(Duration::from_millis(3200));
    assert!(s.connector_signs_in(&client, &secret_of(&f)));
    let o = run(&s, &f, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(
        t.contains("shows the new secret in use") && t.contains("removed"),
        "{t}"
    );
    assert_eq!(creds(&s), 1);
    assert!(saved(&f).get("rotation").is_none());
}
