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

/// The exits the table once missed: `import` of empty or non-JSON input and `--token-from-az`
/// without the Azure CLI are usage errors (2), and a `--help` or `--version` that cannot be
/// written (a full disk) is exit 3 like any other output, never 0.
#[test]
fn the_exits_once_off_the_table_are_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    for (input, says) in [("", "ends too early"), ("values = 1", "is not JSON")] {
        let out = crate::common::fed(
            azreg().arg("--file").arg(&file).arg("import"),
            input.as_bytes(),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{input:?}: {err}");
        assert!(
            err.contains(says) && err.contains("nothing was changed"),
            "{err}"
        );
        assert!(!file.exists(), "no file made from {input:?}");
    }
    std::fs::write(
        &file,
        "version = 3\nprocedure = \"intrexx-ms365-app-registration\"\n[values]\nportal_url = \"https://portal.example.com\"\ncollaboration = \"mycompany\"\napp_name = \"Intrexx Portal\"\naccount_type = \"AzureADMyOrg\"\nsecret_description = \"Intrexx connector\"\nsecret_expiry = \"2099-05-25\"\nadmin_consent = \"yes\"\n",
    )
    .unwrap();
    let empty = dir.path().join("empty-path");
    std::fs::create_dir(&empty).unwrap();
    for cmd in ["plan", "apply"] {
        let out = azreg()
            .env("PATH", &empty)
            .arg("--file")
            .arg(&file)
            .args([cmd, "--token-from-az"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("the Azure CLI could not be started"), "{err}");
    }
    if std::path::Path::new("/dev/full").exists() {
        for arg in ["--help", "--version"] {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = azreg().arg(arg).stdout(full).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{arg}: {err}");
            assert!(err.contains("cannot write"), "{err}");
        }
    }
}

/// Every code of the exit table is produced by at least one end-to-end test of the real
/// binary (a code no test can produce is a row nobody checked).
#[test]
fn every_exit_code_of_the_table_has_a_test() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let mut tests = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            tests += &std::fs::read_to_string(path).unwrap();
        }
    }
    let help = azreg().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let table = &help[help.find("Exit codes:").expect("the table in --help")..];
    let codes: Vec<u8> = table
        .lines()
        .skip(1)
        .map_while(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(codes.len() >= 9, "{table}");
    for code in codes {
        assert!(
            tests.contains(&format!("code(), Some({code})")),
            "no end-to-end test expects exit {code}"
        );
    }
}
