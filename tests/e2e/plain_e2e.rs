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
    // The commands in German, as the list names them.
    pty.send("hilfe\r");
    pty.wait_for("· zurück · weiter (überspringen) · liste · kopieren", 5);
    pty.send("zurück\r");
    pty.wait_for("Schritt 4 von 23", 5);
    pty.send("beenden\r");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("account_type = \"AzureADMyOrg\""), "{saved}");
}

/// Plain mode does what the full screen does: copy (OSC 52 here), let azreg do it through
/// Graph with the plan printed and asked about, and the live check (asked first when the file
/// names another identity platform).
#[test]
fn plain_mode_copies_applies_and_checks_live() {
    use crate::common::graph::{Options, StandIn};
    let s = StandIn::start(Options {
        device_pending_polls: 1,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let text = crate::common::graph::APPLY_PROGRESS.replacen(
        "\n[values]",
        &format!(
            "authority = \"{}\"\ncurrent = \"before-you-start\"\n\n[values]",
            s.login_url()
        ),
        1,
    );
    std::fs::write(&file, text).unwrap();
    let mut pty = crate::common::walkthrough(&s, &file, &["--plain"]);
    pty.wait_for("Before you start", 10);
    pty.send("apply\r");
    pty.wait_for("Sign in how?", 5);
    pty.send("2\r");
    pty.wait_for("enter the code STAND", 20);
    pty.wait_for("Do this plan? [y/N]", 30);
    assert!(
        s.writes().is_empty(),
        "written before yes: {}",
        s.log_text()
    );
    let plan = pty.screen();
    assert!(plan.contains("create the app registration"), "{plan}");
    // The file names the stand-in as identity platform: the plan marks where the secret goes.
    pty.send("y\r");
    pty.wait_for("Live check passed", 60);
    assert_eq!(s.apps().len(), 1, "{}", s.dump());
    // On to the secret's step: copy it (OSC 52), then the next command clears it.
    pty.send("list\r");
    pty.wait_for("[x] 21", 5);
    pty.send("quit\r");
    assert_eq!(pty.wait_exit(10), 0);
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(saved["values"]["client_id"].as_str().is_some(), "{saved:?}");

    // A second session at step 21: copy the secret, then any command clears it.
    let at = |step: &str| {
        let text: String = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .map(|l| {
                if l.starts_with("current = ") {
                    format!("current = \"{step}\"\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(&file, text).unwrap();
    };
    at("copy-secret-value");
    let mut pty = Pty::spawn(
        &["--file", arg(&file), "--plain", "--clipboard", "osc52"],
        &[("TMUX", None)],
        120,
        40,
    );
    pty.wait_for("Step 21 of 23", 10);
    pty.send("copy\r");
    // OSC 52 cannot be read back, so azreg says it cannot clear it (the system clipboard is
    // cleared at the next command).
    pty.wait_for("azreg cannot clear it there", 5);
    pty.send("quit\r");
    assert_eq!(pty.wait_exit(10), 0);
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("\x1b]52;c;"), "the copy went out as OSC 52");

    // The live check on the summary: the file names the stand-in, so plain mode asks first.
    at("summary");
    let mut pty = Pty::spawn(
        &["--file", arg(&file), "--plain"],
        &[("SSL_CERT_FILE", Some(arg(&s.ca_file)))],
        120,
        40,
    );
    pty.wait_for("Summary", 10);
    pty.send("check\r");
    pty.wait_for(
        "for the live check? It is not Microsoft's sign-in service. [y/N]",
        5,
    );
    pty.send("y\r");
    pty.wait_for("Live check passed", 30);
    pty.send("quit\r");
    assert_eq!(pty.wait_exit(10), 0);
}
