//! End-to-end: every value entered through the keys, kept across quit and resume.

use crate::common::{Pty, arg};

const SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
const CLIENT: &str = "0b1c2d3e-1111-2222-3333-444455556666";
const TENANT: &str = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";

fn edit(pty: &mut Pty, text: &str) {
    pty.send("\t\r");
    pty.send(text);
    pty.send("\r");
}

#[test]
fn every_value_through_the_keys_then_resume() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 120, 40);
    pty.wait_for("Before you start", 10);
    edit(&mut pty, "https://portal.example.com/");
    pty.wait_for("Intrexx portal base URL saved", 5);
    edit(&mut pty, "mycompany");
    pty.wait_for("collaboration name saved", 5);
    pty.esc(); // back to the checklist
    pty.send("jjjjj"); // step 5
    pty.wait_for("Step 5 of 23", 5);
    edit(&mut pty, "Intrexx Portal");
    pty.send("\t\r"); // account type: picker
    pty.wait_for("single tenant) (typical)", 5);
    pty.send("\r");
    pty.wait_for("Supported account types saved", 5);
    pty.esc();
    pty.send("jjjjj"); // step 10
    pty.wait_for("Step 10 of 23", 5);
    pty.wait_for("https://portal.example.com/oauth2/token/ms365-mycompany", 5);
    pty.wait_for("[ok · derived]", 5);
    pty.send("jjjj"); // step 14
    pty.wait_for("https://portal.example.com/oauth2callback.html", 5);
    pty.send("jjjjj"); // step 19
    pty.wait_for("Step 19 of 23", 5);
    edit(&mut pty, "Intrexx connector");
    pty.send("\t\r"); // expiry: picker starts on 180 days
    pty.wait_for("recommended", 5);
    pty.send("\r");
    pty.wait_for("Secret expires on saved", 5);
    pty.esc();
    pty.send("jj"); // step 21
    pty.wait_for("Step 21 of 23", 5);
    pty.paste(SECRET);
    pty.wait_for("Pasted into Client secret value", 5);
    pty.send("\r");
    pty.wait_for("Client secret value saved", 5);
    assert!(!pty.screen().contains(SECRET), "secret drawn in clear");
    pty.wait_for("abc•••", 5);
    pty.esc();
    pty.send("jj"); // step 23
    pty.wait_for("Step 23 of 23", 5);
    edit(&mut pty, CLIENT);
    edit(&mut pty, TENANT);
    pty.wait_for("Directory (tenant) ID saved", 5);
    pty.esc();
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);

    let saved = std::fs::read_to_string(&file).unwrap();
    for v in [
        "portal_url = \"https://portal.example.com\"",
        "collaboration = \"mycompany\"",
        "app_name = \"Intrexx Portal\"",
        "account_type = \"AzureADMyOrg\"",
        "secret_description = \"Intrexx connector\"",
        "secret_expiry = ",
        SECRET,
        CLIENT,
        TENANT,
    ] {
        assert!(saved.contains(v), "{v} missing in:\n{saved}");
    }
    assert!(
        !saved.contains("redirect_uri"),
        "derived values are not stored:\n{saved}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    let mut again = Pty::spawn(&["--file", arg(&file)], &[], 120, 40);
    again.wait_for("Step 23 of 23", 10);
    again.send("v");
    again.wait_for("Values", 5);
    let screen = again.screen();
    for v in [
        "https://portal.example.com",
        "mycompany",
        "Intrexx Portal",
        "Accounts in this organizational directory only",
        "oauth2/token/ms365-mycompany",
        "oauth2callback.html",
        "Intrexx connector",
        CLIENT,
        TENANT,
        "abc•••",
    ] {
        assert!(screen.contains(v), "{v} missing:\n{screen}");
    }
    assert!(!screen.contains(SECRET), "secret shown unmasked:\n{screen}");
    again.esc();
    again.send("q");
    assert_eq!(again.wait_exit(10), 0);
}

#[test]
fn no_store_secret_keeps_the_secret_out_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file), "--no-store-secret"], &[], 100, 30);
    pty.wait_for("in memory only", 10);
    pty.send("G");
    pty.send("kkk"); // P3, P2, P1
    pty.send("k"); // step 23
    pty.send("kk"); // step 21
    pty.wait_for("Step 21 of 23", 5);
    pty.paste(SECRET);
    pty.send("\r");
    pty.wait_for("kept in memory only, not saved", 5);
    // Quitting asks first: the value can never be shown again.
    pty.send("q");
    pty.wait_for("The secret is not saved", 5);
    pty.send("n");
    pty.send("q");
    pty.wait_for("Quit anyway?", 5);
    pty.send("y");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("client_secret"), "{saved}");
    assert!(saved.contains("current = \"copy-secret-value\""), "{saved}");
}

#[test]
fn the_walkthrough_takes_in_what_a_locked_import_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    // What `azreg import` leaves beside a locked progress file.
    let aside = dir.path().join("progress.toml.import-1800000000-42-0.json");
    std::fs::write(
        &aside,
        format!(
            r#"{{"appId": "0b1c2d3e-1111-2222-3333-444455556666", "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff", "password": "{SECRET}"}}"#
        ),
    )
    .unwrap();
    // As `azreg import` makes it: only its owner may read it (anything else is not offered).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&aside, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 100, 30);
    pty.wait_for("Values from an import", 10);
    pty.wait_for("Take it in now?", 5);
    assert!(!pty.screen().contains(SECRET));
    pty.send("y");
    pty.wait_for("Took in the imported values", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("client_id = \"0b1c2d3e-1111-2222-3333-444455556666\""),
        "{saved}"
    );
    assert!(saved.contains(SECRET));
    assert!(
        !aside.exists(),
        "taken in and saved: the kept file is removed"
    );
}
