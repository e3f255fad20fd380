//! Copying through the real binary: OSC 52 in a pseudo-terminal without a display.

use crate::common::{Pty, arg};
use base64::Engine;

#[test]
fn c_at_step_10_writes_the_uri_as_osc52() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 100, 30);
    pty.wait_for("Before you start", 10);
    pty.send("\t\r");
    pty.send("https://portal.example.com/");
    pty.send("\r\t\r");
    pty.send("mycompany");
    pty.send("\r");
    pty.wait_for("collaboration name saved", 5);
    pty.esc();
    for _ in 0..10 {
        pty.send("j");
    }
    pty.wait_for("Step 10 of 23", 5);
    pty.send("c");
    pty.wait_for(
        "Copied Web redirect URI (connector) (55 chars) with OSC 52",
        5,
    );
    let uri = "https://portal.example.com/oauth2/token/ms365-mycompany";
    let expected = format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(uri)
    );
    let raw = pty.raw();
    assert!(
        raw.windows(expected.len())
            .any(|w| w == expected.as_bytes()),
        "no OSC 52 sequence with the URI in the output"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn clipboard_off_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file), "--clipboard", "off"], &[], 100, 30);
    pty.wait_for("Before you start", 10);
    pty.send("j");
    pty.send("c"); // step 1: the portal link
    pty.wait_for("Not copied: the clipboard is off", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

/// Inside tmux with its default `set-clipboard external`, an OSC 52 copy never arrives: azreg
/// asks tmux (the real one) and says so, with the line for .tmux.conf.
#[test]
fn tmux_that_would_swallow_the_copy_is_named() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        if std::env::var_os("AZREG_REQUIRE_TMUX").is_some() {
            panic!("tmux is not installed, and AZREG_REQUIRE_TMUX is set");
        }
        eprintln!("SKIPPED: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("tmux.sock");
    let tmux = |args: &[&str]| {
        let st = std::process::Command::new("tmux")
            .arg("-S")
            .arg(&sock)
            .args(["-f", "/dev/null"])
            .args(args)
            .status()
            .unwrap();
        assert!(st.success(), "tmux {args:?}");
    };
    tmux(&["new-session", "-d", "-s", "t"]);
    tmux(&["set", "-s", "set-clipboard", "external"]);
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "version = 1\ncurrent = \"enter-web-uri\"\n[values]\nportal_url = \"https://portal.example.com\"\ncollaboration = \"mycompany\"\n",
    )
    .unwrap();
    let tmux_env = format!("{},1,0", sock.display());
    let mut pty = Pty::spawn(
        &["--file", arg(&file), "--clipboard", "osc52"],
        &[("TMUX", Some(&tmux_env))],
        120,
        30,
    );
    pty.wait_for("Step 10 of 23", 10);
    pty.send("c");
    pty.wait_for("Not on your clipboard: tmux has set-clipboard external", 5);
    pty.wait_for("set -s set-clipboard on", 5);
    // The admin fixes tmux while azreg runs: the next copy asks tmux again and arrives.
    tmux(&["set", "-s", "set-clipboard", "on"]);
    pty.send("c");
    pty.wait_for("Copied", 5);
    let screen = pty.screen();
    assert!(!screen.contains("Not on your clipboard"), "{screen}");
    pty.send("q");
    pty.wait_exit(10);
    tmux(&["kill-server"]);
}
