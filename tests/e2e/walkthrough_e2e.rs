//! End-to-end: the real binary in a pseudo-terminal, read back from its screen.

use crate::common::{Pty, arg};

#[test]
fn marks_survive_quit_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("Before you start", 10);
    pty.wait_for("0/23", 5);
    pty.send("j"); // step 1
    pty.send("\r"); // 1 done -> 2
    pty.send(" "); // 2 done -> 3
    pty.send("\r"); // 3 done -> 4
    pty.wait_for("3/23", 5);
    pty.wait_for("Step 4 of 23", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("current = \"open-app-registrations\""),
        "{saved}"
    );

    let mut again = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    again.wait_for("3/23", 10);
    again.wait_for("Step 4 of 23", 5);
    let screen = again.screen();
    for mark in [
        "[x]  1 Sign in",
        "[x]  2 Choose",
        "[x]  3 Open Microsoft",
        "[ ]  4 Open App",
    ] {
        assert!(screen.contains(mark), "{mark:?} missing:\n{screen}");
    }
    // Esc does not quit (it says what does); q does.
    again.esc();
    again.wait_for("Esc does not quit: press q", 5);
    again.send("q");
    assert_eq!(again.wait_exit(10), 0);
}

#[test]
fn sigterm_saves_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    pty.send("jj");
    pty.wait_for("Step 2 of 23", 5);
    let pid = pty.pid().unwrap();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert_eq!(pty.wait_exit(10), 128 + 15);
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("\x1b[?1049l"), "alternate screen left");
    assert!(raw.contains("\x1b[?1000l"), "mouse capture off");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("current = \"choose-route\""), "{saved}");
}

#[test]
fn too_small_then_resized() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 50, 12);
    pty.wait_for("terminal too small (needs 60x16)", 10);
    pty.resize(80, 24);
    pty.wait_for("0/23", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn help_overlay_lists_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 100, 40);
    pty.wait_for("0/23", 10);
    pty.send("?");
    pty.wait_all(&["Keys", "mark the step done", "next open step"], 5);
    pty.esc();
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}
