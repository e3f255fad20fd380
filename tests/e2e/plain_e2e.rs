//! The plain walkthrough (`TERM=dumb`, or `--plain`), driven line by line in a real
//! pseudo-terminal: same steps, checks, messages and progress file, no escape sequences.

use crate::common::{Pty, arg};

#[test]
fn the_plain_walkthrough_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[("TERM", Some("dumb"))], 100, 40);
    pty.wait_for("Intrexx portal base URL (The address", 10);
    // A wrong value: the walkthrough's own message (kept, marked wrong, as in the full screen).
    pty.send("ftp://portal.example.com\r");
    pty.wait_for("Intrexx portal base URL:", 5);
    pty.send("https://portal.example.com/\r");
    pty.wait_for("Intrexx portal base URL saved", 5);
    pty.send("my-company\r");
    pty.wait_for("letters and digits", 5);
    pty.send("mycompany\r");
    pty.wait_for("collaboration name saved", 5);
    pty.send("\r");
    pty.wait_for("Step 1 of 23 (open)", 5);
    pty.send("\r");
    pty.wait_for("Step 1 done (1/23)", 5);
    pty.wait_for("Step 2 of 23 (open)", 5);
    pty.send("\r");
    pty.wait_for("Step 3 of 23 (open)", 5);
    pty.send("back\r");
    pty.wait_for("Step 2 of 23 (done)", 5);
    pty.send("list\r");
    pty.wait_for("[x] 2 Choose the way to App registrations <", 5);
    pty.send("quit\r");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("portal_url = \"https://portal.example.com\""),
        "{saved}"
    );
    assert!(
        saved.contains("sign-in = ") && saved.contains("choose-route = "),
        "{saved}"
    );
    // Line by line: no cursor addressing, no colours, no alternate screen.
    let raw = pty.raw();
    assert!(!raw.contains(&0x1b), "escape sequences in the plain mode");
}

#[test]
fn plain_mode_choices_by_number_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, "version = 1\ncurrent = \"new-registration\"\n").unwrap();
    let mut pty = Pty::spawn(
        &["--file", arg(&file), "--plain", "--lang", "de"],
        &[],
        100,
        40,
    );
    pty.wait_for("Schritt 5 von 23 (offen)", 10);
    pty.send("Intrexx Portal\r");
    pty.wait_for("Name der App in Azure gespeichert", 5);
    pty.send("1\r");
    pty.wait_for("Unterstützte Kontotypen gespeichert", 5);
    pty.send("quit\r");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("account_type = \"AzureADMyOrg\""), "{saved}");
}
