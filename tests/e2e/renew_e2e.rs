//! `azreg renew` in a real pseudo-terminal: the short walkthrough on the same progress file,
//! ending with the new secret in the record and the old expiry in the history.

use crate::common::{Pty, arg};

const NEW: &str = "new8Q~abcdefghijklmnopqrstuvwxyz0123456_";

#[test]
fn renew_walks_to_a_new_secret_and_keeps_the_old_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "version = 2\n[values]\nclient_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\ntenant_id = \"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff\"\nsecret_expiry = \"2026-12-01\"\nclient_secret = \"old8Q~abcdefghijklmnopqrstuvwxyz0123456_\"\n",
    )
    .unwrap();
    let mut pty = Pty::spawn(&["--file", arg(&file), "renew"], &[], 100, 30);
    pty.wait_for("Renew the client secret", 10);
    pty.wait_for("Overview · 5 steps in 1 section ", 5); // not "sections"
    pty.send("j");
    pty.wait_for("Step 1 of 5", 5);
    pty.send("\r");
    pty.wait_for("Step 2 of 5", 5);
    // Description: a paste goes into the step's first field.
    pty.paste("Intrexx connector 2027");
    pty.send("\r");
    pty.wait_for("description saved", 5);
    pty.esc();
    // Expiry: the picker starts on the recommended 180 days.
    pty.send("\t\t\r");
    pty.wait_for("recommended", 5);
    pty.send("\r");
    pty.wait_for("New secret expires on saved", 5);
    pty.esc();
    pty.send("\r");
    pty.wait_for("Step 3 of 5", 5);
    // The Secret ID guard holds here too.
    pty.paste("11111111-2222-3333-4444-555555555555");
    pty.send("\r");
    pty.wait_for("Secret ID", 5);
    pty.esc();
    // The old secret pasted again is not a new one: refused, not taken.
    pty.paste("old8Q~abcdefghijklmnopqrstuvwxyz0123456_");
    pty.send("\r");
    pty.wait_for("records already", 5);
    pty.esc();
    pty.paste(NEW);
    pty.send("\r");
    pty.wait_for("New client secret value saved", 5);
    pty.esc();
    pty.send("\r");
    pty.wait_for("Step 4 of 5", 5);
    pty.send("\r");
    pty.wait_for("Step 5 of 5", 5);
    pty.send("\r");
    pty.wait_for("Renewed: the new client secret", 5);
    // The end says what was done and what is left, not "0/5 steps done".
    let screen = pty.wait_all(&["Left to do, unless done already", "was renewed on"], 5);
    assert!(!screen.contains("0/5 steps done"), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    // On the restored terminal: where the progress is.
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("progress saved in"), "{raw}");
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let values = saved["values"].as_table().unwrap();
    assert_eq!(values["client_secret"].as_str(), Some(NEW));
    // 180 days from today (the recommended preset).
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let in_180 = |d: time::Date| (d + time::Duration::days(180)).format(&fmt).unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let expected = [
        in_180(today - time::Duration::days(1)),
        in_180(today),
        in_180(today + time::Duration::days(1)),
    ];
    let new_expiry = values["secret_expiry"].as_str().unwrap().to_string();
    assert!(expected.contains(&new_expiry), "{new_expiry}");
    assert!(!values.contains_key("new_client_secret"));
    let r = saved["renewals"].as_array().unwrap();
    assert_eq!(r[0]["old_expiry"].as_str(), Some("2026-12-01"));
    assert_eq!(r[0]["new_expiry"].as_str(), Some(new_expiry.as_str()));
    // The record stays whole: the IDs stay, the old secret's key and hint go into the history,
    // and its value is kept (0600) until a live check passed with the new one.
    assert_eq!(
        values["client_id"].as_str(),
        Some("0b1c2d3e-1111-2222-3333-444455556666")
    );
    assert_eq!(
        values["tenant_id"].as_str(),
        Some("9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff")
    );
    assert_eq!(
        saved["earlier_secrets"].as_array().unwrap()[0].as_str(),
        Some("old8Q~abcdefghijklmnopqrstuvwxyz0123456_")
    );
    let history = saved["history"].as_array().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["field"].as_str() == Some("client_secret")
                && h["hint"].as_str() == Some("old")),
        "{history:?}"
    );
    assert!(
        !history.iter().any(|h| h.to_string().contains("old8Q~")),
        "the history holds a hint, never a value"
    );
}
