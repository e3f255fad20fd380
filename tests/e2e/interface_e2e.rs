//! The interface as a person meets it, in a real pseudo-terminal: hints that only name keys that
//! act, a checklist that uses a wide terminal, and `o` naming the app's own page.

use crate::common::{Pty, arg};

const IDS: &str = "client_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\ntenant_id = \"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff\"\n";

#[test]
fn hints_name_only_keys_that_act_here() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        format!("version = 1\ncurrent = \"copy-ids\"\n[values]\n{IDS}"),
    )
    .unwrap();
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 160, 40);
    pty.wait_for("Step 23 of 23", 10);
    // At step 23 the live check works, and the hint says so.
    pty.wait_for("V live check", 5);
    // On the Summary nothing is "done" by Enter.
    pty.send("G");
    let hints = pty
        .wait_all(&["Summary: what goes where", "? help", "q quit"], 5)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert!(!hints.contains("Enter done"), "{hints}");
    assert!(
        hints.contains("? help") && hints.contains("q quit"),
        "{hints}"
    );
    // Esc on the checklist says how to quit instead of quitting.
    pty.esc();
    pty.wait_for("Esc does not quit", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn a_wide_terminal_shows_whole_titles_and_o_names_the_apps_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        format!("version = 1\ncurrent = \"enter-spa-uri\"\n[values]\n{IDS}"),
    )
    .unwrap();
    // No display: `o` says where to go instead of starting a browser.
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 200, 50);
    pty.wait_all(
        &[
            "Step 14 of 23",
            "14 Enter the OneDrive control's redirect URI",
        ],
        10,
    );
    pty.send("o");
    pty.wait_for(
        "ApplicationMenuBlade/~/Authentication/appId/0b1c2d3e-1111-2222-3333-444455556666",
        5,
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}
