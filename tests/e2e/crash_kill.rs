//! Crash safety: the real binary, driven with keys that save, killed with SIGKILL at random
//! moments. After every round the progress file parses and holds a state the user reached:
//! the first n steps done and the cursor right after them (the keys only mark and advance).
//!
//! 200 rounds by default; `AZREG_KILL_ROUNDS=2000 cargo test --test crash_kill -- --nocapture`
//! runs more. `AZREG_KILL_SEED` repeats a run.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::{Pty, arg};
use azreg::core::procedure::Procedure;

/// A small deterministic generator, so a failing seed can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

/// The states the keys can reach: (number of steps done, the entry the cursor is on).
fn check_reached(text: &str, ids: &[String], round: usize) -> usize {
    let p = azreg::io::store::parse(text, "progress.toml")
        .unwrap_or_else(|e| panic!("round {round}: the file does not parse: {e}\n{text}"));
    let n = p.done.len();
    for id in &ids[..n] {
        assert!(
            p.done.contains_key(id),
            "round {round}: done is not a prefix: {:?}",
            p.done.keys()
        );
    }
    let current = p.current.as_deref().unwrap_or("before-you-start");
    let expected = if n == ids.len() {
        "summary"
    } else {
        ids[n].as_str()
    };
    // The first Enter moves from the intro to step 1 before anything is marked.
    let ok = current == expected || (n == 0 && current == "before-you-start");
    assert!(ok, "round {round}: {n} done but the cursor is on {current}");
    n
}

/// Every value entered, so no step refuses to be marked done.
const START: &str = r#"version = 1
[values]
portal_url = "https://portal.example.com"
collaboration = "mycompany"
app_name = "Intrexx Portal"
account_type = "AzureADMyOrg"
secret_description = "Intrexx connector"
secret_expiry = "2099-05-25"
client_secret = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"
client_id = "0b1c2d3e-1111-2222-3333-444455556666"
tenant_id = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
admin_consent = "yes"
"#;

#[test]
fn sigkill_at_random_moments_never_corrupts_progress() {
    let rounds: usize = std::env::var("AZREG_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed = std::env::var("AZREG_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("kill rounds: {rounds}, seed {seed} (AZREG_KILL_SEED repeats it)");
    let mut rng = Lcg(seed);
    // Every numbered step in order: the guide's 23, then P1 to P3.
    let p = Procedure::embedded().unwrap();
    let ids: Vec<String> = p
        .step_ids()
        .chain(p.extra_steps().map(|e| e.step.id.as_str()))
        .map(String::from)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    std::fs::write(&file, START).unwrap();
    let mut saved_rounds = 0;
    let mut max_done = 0;
    for round in 0..rounds {
        let before = std::fs::read_to_string(&file).ok();
        let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
        // Keys typed before raw mode is on are not keys yet: wait for the first frame; the
        // kill then lands anywhere among the keys and their saves.
        pty.wait_for("/23", 10);
        let presses = 1 + rng.next(6);
        let mut writer_delay = Duration::from_millis(rng.next(8));
        for _ in 0..presses {
            pty.send_raw("\r");
            std::thread::sleep(writer_delay);
            writer_delay = Duration::from_millis(rng.next(8));
        }
        std::thread::sleep(Duration::from_micros(rng.next(20_000)));
        pty.sigkill();
        if let Ok(text) = std::fs::read_to_string(&file) {
            let n = check_reached(&text, &ids, round);
            max_done = max_done.max(n);
            if before.as_deref() != Some(text.as_str()) {
                saved_rounds += 1;
            }
            // All done: start over, so the rounds keep writing.
            if n == ids.len() {
                std::fs::write(&file, START).unwrap();
            }
        }
        // A kill between creating a temp file and renaming it may leave one; the next start
        // sweeps it, so they never pile up.
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert!(
            leftovers <= 1,
            "round {round}: temp files pile up: {leftovers}"
        );
    }
    println!(
        "kill rounds: {rounds} run, {saved_rounds} changed the file, up to {max_done} steps done"
    );
    assert!(
        saved_rounds > rounds / 10,
        "too few rounds saved anything: {saved_rounds}"
    );
}
