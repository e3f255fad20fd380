//! `azreg apply` killed with SIGKILL at points spread over its run, then run again: however
//! often it was cut off, the tenant ends with exactly one application, one service principal,
//! one consent, and exactly one secret, whose value the progress file holds and which passes the
//! live check. Against the Entra ID and Graph stand-in (`common/graph.rs`, from Microsoft's
//! documented contract), signed in by device code so no Azure CLI is needed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::graph::{Options, StandIn};

fn apply(s: &StandIn, file: &Path) -> Command {
    let mut cmd = s.device_code_apply(file);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

fn secrets(s: &StandIn) -> usize {
    s.apps()
        .iter()
        .map(|a| a["passwordCredentials"].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn killed_at_any_point_a_rerun_ends_with_one_app_and_one_working_secret() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, crate::common::graph::APPLY_PROGRESS).unwrap();
    // Round k kills the run right after the stand-in answered its k-th request (sign-in
    // included): after the create, between the service principal and the secret, right after
    // addPassword answered, during consent, ... Each run starts from what the earlier ones left.
    let mut rounds = Vec::new();
    for k in 1..=16 {
        let before = s.log().len();
        let mut child = apply(&s, &file).spawn().unwrap();
        let started = Instant::now();
        let finished = loop {
            if child.try_wait().unwrap().is_some() {
                break true;
            }
            if s.log().len() - before >= k {
                break false;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "round {k} hangs"
            );
            std::thread::sleep(Duration::from_millis(1));
        };
        child.kill().ok(); // SIGKILL: no handler, no save on the way out
        child.wait().unwrap();
        let last = s
            .log()
            .get(before + k - 1)
            .map(|l| format!("{} {}", l.method, l.target));
        rounds.push(format!(
            "round {k:>2}: {} → {} app(s), {} secret(s), {} service principal(s), {} grant(s)",
            if finished {
                "ran to its end".to_string()
            } else {
                format!("killed after {}", last.unwrap_or_default())
            },
            s.apps().len(),
            secrets(&s),
            s.sps().len(),
            s.grants().len()
        ));
        assert!(
            s.apps().len() <= 1,
            "a second app: {rounds:#?}\n{}",
            s.dump()
        );
        // The file is always whole: a kill never leaves half a save.
        let text = std::fs::read_to_string(&file).unwrap();
        toml::from_str::<toml::Table>(&text).expect("the progress file parses after a kill");
        if finished {
            break;
        }
    }
    let writes_before = s.writes().len();
    let out = apply(&s, &file).output().unwrap();
    let t = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", rounds.join("\n"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{t}\n{rounds:#?}\n{}\n{}",
        std::fs::read_to_string(&file).unwrap(),
        s.log_text()
    );
    assert_eq!(s.apps().len(), 1, "{}", s.dump());
    assert_eq!(secrets(&s), 1, "exactly one secret: {}", s.dump());
    assert_eq!(s.sps().len(), 1);
    assert_eq!(s.grants().len(), 1);
    assert_eq!(s.role_assignments().len(), 1);
    // A run after a finished one writes nothing: it plans nothing, or only the live check
    // when the last kill fell before a passed check was recorded.
    assert_eq!(s.writes().len(), writes_before, "{t}");
    assert!(
        t.contains("Nothing to do") || (t.contains(" 1. check live") && !t.contains(" 2. ")),
        "a run after a finished one plans no write: {t}"
    );
    // The secret on file works.
    let v = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(&file)
        .args(["verify", "--authority", &s.login_url()])
        .env("SSL_CERT_FILE", &s.ca_file)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    let vt = String::from_utf8_lossy(&v.stdout);
    assert!(vt.contains("belong together"), "{vt}");
    if let Ok(path) = std::env::var("AZREG_DUMP_KILL_ROUNDS") {
        std::fs::write(path, rounds.join("\n") + "\n").unwrap();
    }
}
