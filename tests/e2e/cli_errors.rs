//! Bad files are reported before the terminal is touched, and never changed.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_azreg");

/// azreg in English, whatever the machine's locale.
fn azreg() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

#[test]
fn corrupt_progress_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    let bad = b"version = 1\ncurrent = \"sign-in\"\n[done\nsign-in = 2026-01-01T00:00:00Z\n";
    std::fs::write(&file, bad).unwrap();
    let out = azreg().arg("--file").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:3:", file.display());
    assert!(err.contains(&expected), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);
    assert_eq!(std::fs::read(&file).unwrap(), bad, "file changed");
}

#[test]
fn wrong_types_and_newer_versions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    for (text, needle) in [
        ("version = 1\ndone = 5\n", ":2:"),
        ("version = 7\n", "newer azreg"),
        ("", "empty"),
    ] {
        std::fs::write(&file, text).unwrap();
        let out = azreg().arg("--file").arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{text:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{text:?}: {err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    }
}

#[test]
fn bad_procedure_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let proc_file = dir.path().join("proc.toml");
    std::fs::write(
        &proc_file,
        "schema = 1\nid = \"x\"\ntitle = \"T\"\n[intro\n",
    )
    .unwrap();
    let out = azreg()
        .arg("--procedure")
        .arg(&proc_file)
        .arg("--file")
        .arg(dir.path().join("p.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:4:", proc_file.display())),
        "{err}"
    );
    assert!(!dir.path().join("p.toml").exists());
}

#[test]
fn walkthrough_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = azreg()
        .arg("--file")
        .arg(dir.path().join("p.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}

/// A sign-in option counts before a subcommand's own subcommand as after it.
#[test]
fn sign_in_options_count_before_and_after_secrets_remove() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "version = 3\nprocedure = \"intrexx-ms365-app-registration\"\n[values]\nclient_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\n",
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let key = "1c2d3e4f-1111-2222-3333-444455556666";
    for args in [
        &["secrets", "--token-from-az", "remove", key, "--yes"][..],
        &["secrets", "remove", key, "--yes", "--token-from-az"],
    ] {
        // No `az` on PATH: the Azure CLI's sign-in was chosen, wherever the option stood.
        let o = azreg()
            .arg("--file")
            .arg(&file)
            .args(args)
            .env("PATH", empty.path())
            .output()
            .unwrap();
        let t = String::from_utf8_lossy(&o.stderr);
        assert!(
            t.contains("--token-from-az: the Azure CLI could not be started"),
            "{args:?}: {t}"
        );
    }
    let o = azreg()
        .arg("--file")
        .arg(&file)
        .args(["secrets", "--device-code", "remove", key, "--token-from-az"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be used with --device-code"));
}
