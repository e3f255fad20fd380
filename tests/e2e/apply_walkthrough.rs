//! "Let azreg do it" in the walkthrough: the real binary in a pseudo-terminal, signing in by
//! device code at the Entra ID and Graph stand-in (`common/graph`, written from Microsoft's
//! documented contract; Entra ID and Graph cannot be had here). The checklist must tick itself
//! as the Graph calls succeed, the progress file must hold what Graph handed out, and a refusal
//! must stop at its step with the rest of the walkthrough still usable.

use std::path::{Path, PathBuf};

use crate::common::Pty;
use crate::common::graph::{Options, StandIn};

/// A progress file with the values apply needs, its authority the stand-in's.
fn progress_file(s: &StandIn) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let text = crate::common::graph::APPLY_PROGRESS.replacen(
        "\n[values]",
        &format!("authority = \"{}\"\n\n[values]", s.login_url()),
        1,
    );
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

fn walkthrough(s: &StandIn, file: &Path) -> Pty {
    crate::common::walkthrough(s, file, &[])
}

/// `A`, then the device code: without a display, as over SSH, the sign-in offered first.
fn let_azreg_do_it(pty: &mut Pty) {
    pty.wait_for("Two ways from here", 10);
    pty.send("A");
    pty.wait_for("Let azreg do it: sign in", 5);
    pty.wait_for("Sign-in at 127.0.0.1", 5);
    pty.send("\r");
}

/// The plan overlay, once it shows `lines` too: nothing is written before `y`.
fn say_yes_to_the_plan(pty: &mut Pty, s: &StandIn, lines: &[&str]) -> String {
    let mut wanted = vec!["The plan: nothing is written before you say y"];
    wanted.extend_from_slice(lines);
    let screen = pty.wait_all(&wanted, 30);
    assert!(s.writes().is_empty(), "written before y: {}", s.log_text());
    pty.send("y");
    screen
}

fn saved(file: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn the_checklist_ticks_itself_while_azreg_registers_through_graph() {
    let s = StandIn::start(Options {
        device_pending_polls: 2,
        ..Options::default()
    });
    let (_dir, file) = progress_file(&s);
    let mut pty = walkthrough(&s, &file);
    pty.wait_for("[ ]  5 Start a new registration", 10);
    let_azreg_do_it(&mut pty);
    pty.wait_for("enter the code STAND", 15);
    let lines = [
        "Signed in as admin@contoso.example to Contoso (stand-in)",
        "1. create the app registration \"Intrexx Portal\"",
        "! Chat.Read.All is an application permission",
        // The file names the stand-in as the identity platform: marked.
        "! the new secret is sent to 127.0.0.1",
    ];
    let plan = say_yes_to_the_plan(&mut pty, &s, &lines);
    for line in lines {
        assert!(plan.contains(line), "{line}:\n{plan}");
    }
    // The first part done: its steps are ticked on screen while the rest still runs.
    pty.wait_for("✓ app registration", 30);
    let during = pty.wait_all(&["[x]  5 Start a new registration", "working…"], 5);
    assert!(
        during.contains("working…"),
        "the run still goes on: {during}"
    );
    if let Ok(path) = std::env::var("AZREG_DUMP_SCREEN") {
        std::fs::write(path, &during).unwrap();
    }
    // The live check goes to the host the plan named, which the admin said yes to.
    let screen = pty.wait_all(
        &[
            "Live check passed",
            "[x]  5 Start a new registration",
            "[x] 10 Enter the connector's r",
            "[x] 14 Enter the OneDrive cont",
            "[x] 19 Describe the secret and",
        ],
        60,
    );
    for step in [
        "[x]  5 Start a new registration",
        "[x] 10 Enter the connector's r",
        "[x] 14 Enter the OneDrive cont",
        "[x] 19 Describe the secret and",
    ] {
        assert!(screen.contains(step), "{step} not ticked:\n{screen}");
    }
    let t = saved(&file);
    let values = t["values"].as_table().unwrap();
    let apps = s.apps();
    assert_eq!(apps.len(), 1, "{}", s.dump());
    assert_eq!(
        values["client_id"].as_str(),
        apps[0]["appId"].as_str(),
        "the client ID Graph gave is saved"
    );
    assert_eq!(
        t["app_object_id"].as_str(),
        apps[0]["id"].as_str(),
        "the object ID is saved"
    );
    assert!(
        values["client_secret"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
    );
    assert!(t.get("pending_secret").is_none(), "the secret is recorded");
    let done = t["done"].as_table().unwrap();
    for id in [
        "sign-in",
        "register",
        "enter-web-uri",
        "enter-spa-uri",
        "copy-secret-value",
        "copy-ids",
        "add-permissions",
        "grant-admin-consent",
    ] {
        assert!(done.contains_key(id), "{id} not marked done: {done:?}");
    }
    assert!(t.get("last_verified").is_some(), "the live check passed");
    assert!(
        !String::from_utf8_lossy(&pty.raw()).contains("c2lnbmF0dXJl"),
        "a token reached the screen"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn a_refused_create_stops_at_its_step_and_the_rest_stays_open() {
    let s = StandIn::start(Options {
        deny_create: true,
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_dir, file) = progress_file(&s);
    let mut pty = walkthrough(&s, &file);
    let_azreg_do_it(&mut pty);
    say_yes_to_the_plan(&mut pty, &s, &[]);
    let screen = pty.wait_all(&["stopped at step 5", "by hand"], 30);
    assert!(
        screen.contains("Application Developer") || screen.contains("Authorization_RequestDenied"),
        "says which role is needed: {screen}"
    );
    assert!(screen.contains("by hand"), "{screen}");
    assert!(
        screen.contains("[ ]  5 Start a new registration"),
        "nothing ticked: {screen}"
    );
    assert!(s.apps().is_empty());
    // The walkthrough goes on: to step 1, marked by hand.
    pty.send("j");
    pty.send("\r");
    pty.wait_for("[x]  1 Sign in", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let t = saved(&file);
    assert!(t["done"].as_table().unwrap().contains_key("sign-in"));
}

#[test]
fn esc_cancels_a_run_that_waits_for_the_sign_in() {
    let s = StandIn::start(Options {
        device_pending_polls: 1000,
        ..Options::default()
    });
    let (_dir, file) = progress_file(&s);
    let mut pty = walkthrough(&s, &file);
    let_azreg_do_it(&mut pty);
    pty.wait_for("enter the code STAND", 15);
    pty.esc();
    pty.wait_for("cancelled; what was done is saved", 10);
    pty.wait_for("Let azreg do it · ended", 5);
    assert!(s.apps().is_empty());
    let polls = s.log().len();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(s.log().len(), polls, "no more polling after the cancel");
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}
