//! Every subcommand as a process against temporary progress files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");
const SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("progress.toml")
    }

    fn write(&self, text: &str) {
        std::fs::write(self.file(), text).unwrap();
    }

    /// Values as the walkthrough would have saved them after the name and URI steps.
    fn walked(&self) {
        self.write(
            r#"version = 1
procedure = "intrexx-ms365-app-registration"
current = "add-secret"

[done]
sign-in = 2026-11-26T10:00:00Z

[values]
portal_url = "https://portal.example.com"
collaboration = "mycompany"
app_name = "Intrexx Portal"
account_type = "AzureADMyOrg"
secret_description = "Intrexx connector"
secret_expiry = "2099-05-25"
"#,
        );
    }

    fn azreg(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("--file").arg(self.file()).args(args);
        cmd.env("XDG_STATE_HOME", self.dir.path().join("state"));
        cmd.env("HOME", self.dir.path());
        for v in ["LANG", "LC_ALL", "LC_MESSAGES"] {
            cmd.env_remove(v);
        }
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(input) = stdin {
            // The program may exit before it reads stdin (a bad file): ignore a broken pipe.
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        child.wait_with_output().unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compare with a committed snapshot; AZREG_UPDATE_SNAPSHOTS=1 rewrites it.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("AZREG_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {name}; run with AZREG_UPDATE_SNAPSHOTS=1"));
    assert_eq!(
        actual, expected,
        "snapshot {name} differs (AZREG_UPDATE_SNAPSHOTS=1 rewrites it)"
    );
}

#[test]
fn status_without_and_with_values() {
    let s = Setup::new();
    let o = s.azreg(&["status"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("0/23 steps done"));
    s.walked();
    let o = s.azreg(&["status"], None);
    let out = stdout(&o);
    assert!(out.contains("1/23 steps done"), "{out}");
    assert!(out.contains("Current step:   20. Click Add"), "{out}");
    assert!(out.contains("Next open step: 20. Click Add"), "{out}");
    assert!(out.contains("web_redirect_uri    ok        https://portal.example.com/oauth2/token/ms365-mycompany (derived)"), "{out}");
}

#[test]
fn check_fails_on_missing_values_and_passes_when_complete() {
    let s = Setup::new();
    s.walked();
    let o = s.azreg(&["check"], None);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("client_id: error: missing"), "{out}");
    assert!(out.contains("3 error(s)"), "{out}");
}

#[test]
fn bad_progress_files_exit_3_for_every_subcommand() {
    let s = Setup::new();
    s.write("version = [\n");
    for args in [
        &["status"][..],
        &["check"],
        &["export"],
        &["script", "az"],
        &["import"],
    ] {
        let o = s.azreg(args, Some("{}"));
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with("azreg: ") && err.lines().count() == 1,
            "{err}"
        );
    }
    assert_eq!(std::fs::read_to_string(s.file()).unwrap(), "version = [\n");
}

#[test]
fn export_formats() {
    let s = Setup::new();
    s.walked();
    let o = s.azreg(&["export", "--format", "env"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("AZREG_APP_NAME='Intrexx Portal'"));
    for format in ["json", "toml", "intrexx"] {
        let o = s.azreg(&["export", "--format", format], None);
        assert_eq!(o.status.code(), Some(0), "{format}");
        assert!(stdout(&o).contains("oauth2callback.html"), "{format}");
    }
    let o = s.azreg(&["export", "--format", "yaml"], None);
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn steps_and_completions_and_version() {
    let s = Setup::new();
    let o = s.azreg(&["steps"], None);
    assert!(stdout(&o).contains("17. Open Certificates & secrets"));
    let o = s.azreg(&["steps", "--format", "markdown"], None);
    assert!(stdout(&o).contains("## Store redirect URIs from Intrexx"));
    for shell in ["bash", "zsh", "fish"] {
        let o = s.azreg(&["completions", shell], None);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("export"), "{shell}");
    }
    let o = Command::new(BIN).arg("--version").output().unwrap();
    assert!(stdout(&o).starts_with("azreg "));
    for sub in [
        "status",
        "check",
        "export",
        "script",
        "import",
        "steps",
        "reset",
        "completions",
        "profiles",
        "walk",
    ] {
        let o = Command::new(BIN).args([sub, "--help"]).output().unwrap();
        assert!(
            stdout(&o).contains("Example"),
            "{sub} --help has no example"
        );
    }
}

#[test]
fn reset_keeps_a_backup_and_refuses_without_yes_when_piped() {
    let s = Setup::new();
    s.walked();
    let o = s.azreg(&["reset"], Some(""));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(s.file().exists());
    let o = s.azreg(&["reset", "--yes"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!s.file().exists());
    let backup = std::fs::read_dir(s.dir.path())
        .unwrap()
        .flatten()
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("progress.toml.bak-")
        })
        .expect("backup beside the file");
    assert!(
        std::fs::read_to_string(backup.path())
            .unwrap()
            .contains("Intrexx Portal")
    );
}

#[test]
fn profiles_keep_files_apart() {
    let s = Setup::new();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("XDG_STATE_HOME", s.dir.path().join("state"))
            .env("HOME", s.dir.path())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // The program may exit before it reads stdin (a bad file): ignore a broken pipe.
        let _ = child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.unwrap_or("").as_bytes());
        child.wait_with_output().unwrap()
    };
    let json = r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666"}"#;
    let o = run(&["--profile", "portal-a", "import"], Some(json));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let profile = s.dir.path().join("state/azreg/profiles/portal-a.toml");
    assert!(profile.exists());
    let o = run(&["profiles"], None);
    let out = stdout(&o);
    assert!(out.contains("portal-a") && out.contains("0/23"), "{out}");
    let o = run(&["--profile", "../evil", "status"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid profile name"));
}

#[test]
fn import_through_stdin() {
    let s = Setup::new();
    let o = s.azreg(&["import"], Some("garbage"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not JSON"));
    assert!(!s.file().exists());
    let json = format!(
        r#"{{"appId": "0b1c2d3e-1111-2222-3333-444455556666", "password": "{SECRET}", "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"}}"#
    );
    let o = s.azreg(&["import"], Some(&json));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains(SECRET));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.file()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn script_refuses_until_the_values_are_there() {
    let s = Setup::new();
    let o = s.azreg(&["script", "az"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("app_name: missing"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn powershell_script_snapshot() {
    let s = Setup::new();
    s.walked();
    let o = s.azreg(&["script", "powershell"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    snapshot("script.ps1", &script);
    assert!(
        script.contains(
            "-Spa @{ RedirectUris = @('https://portal.example.com/oauth2callback.html') }"
        )
    );
    assert!(script.contains("Add-MgApplicationPassword"));
}

/// A fake `az` that logs each call (arguments separated by US) and answers as the real one.
const FAKE_AZ: &str = r#"#!/usr/bin/env bash
( IFS=$'\x1f'; printf '%s\n' "$*" ) >> "$AZ_LOG"
case "$1 $2 $3" in
  "ad app create") printf '0b1c2d3e-1111-2222-3333-444455556666\tobj-42\n' ;;
  "rest --method GET") printf 'https://old.example.com/oauth2callback.html\n' ;;
  "rest --method PATCH") ;;
  "ad app credential") printf '{\n  "appId": "0b1c2d3e-1111-2222-3333-444455556666",\n  "password": "%s",\n  "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"\n}\n' "$FAKE_SECRET" ;;
  *) echo "fake az: unexpected call: $*" >&2; exit 2 ;;
esac
"#;

#[test]
fn az_script_runs_against_a_fake_az_and_its_output_imports() {
    let s = Setup::new();
    s.walked();
    let o = s.azreg(&["script", "az"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let script = stdout(&o);
    snapshot("script-az.sh", &script);
    let script_path = s.dir.path().join("register.sh");
    std::fs::write(&script_path, &script).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script_path)
        .status()
        .unwrap();
    assert!(syntax.success(), "bash -n");

    let bin = s.dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let az = bin.join("az");
    std::fs::write(&az, FAKE_AZ).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let log = s.dir.path().join("az.log");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("bash")
        .arg(&script_path)
        .env("PATH", path)
        .env("AZ_LOG", &log)
        .env("FAKE_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(run.status.success(), "script failed: {}", stderr(&run));
    let calls: Vec<Vec<String>> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| l.split('\x1f').map(String::from).collect())
        .collect();
    assert_eq!(calls.len(), 4, "{calls:?}");
    let has = |call: &[String], pair: [&str; 2]| {
        call.windows(2).any(|w| w[0] == pair[0] && w[1] == pair[1])
    };
    // 1: create with name, audience and the Web URI.
    assert_eq!(&calls[0][..3], ["ad", "app", "create"]);
    assert!(has(&calls[0], ["--display-name", "Intrexx Portal"]));
    assert!(has(&calls[0], ["--sign-in-audience", "AzureADMyOrg"]));
    assert!(has(
        &calls[0],
        [
            "--web-redirect-uris",
            "https://portal.example.com/oauth2/token/ms365-mycompany"
        ]
    ));
    // 2: read the current SPA URIs of the object, 3: PATCH the merged list.
    assert_eq!(&calls[1][..3], ["rest", "--method", "GET"]);
    assert!(has(
        &calls[1],
        [
            "--uri",
            "https://graph.microsoft.com/v1.0/applications/obj-42"
        ]
    ));
    assert_eq!(&calls[2][..3], ["rest", "--method", "PATCH"]);
    let body = calls[2]
        .iter()
        .skip_while(|a| *a != "--body")
        .nth(1)
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body["spa"]["redirectUris"],
        serde_json::json!([
            "https://old.example.com/oauth2callback.html",
            "https://portal.example.com/oauth2callback.html"
        ])
    );
    // 4: the secret, appended, never replacing the others.
    assert_eq!(&calls[3][..4], ["ad", "app", "credential", "reset"]);
    assert!(calls[3].contains(&"--append".to_string()));
    assert!(has(
        &calls[3],
        ["--id", "0b1c2d3e-1111-2222-3333-444455556666"]
    ));
    assert!(has(&calls[3], ["--display-name", "Intrexx connector"]));
    assert!(has(&calls[3], ["--end-date", "2099-05-25"]));
    let err = stderr(&run);
    assert!(
        err.contains("Directory (tenant) ID:   9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"),
        "{err}"
    );
    assert!(err.contains("WARNING"), "{err}");

    // Its output goes into azreg import; then export and check.
    let o = s.azreg(&["import"], Some(&stdout(&run)));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains(SECRET));
    let o = s.azreg(&["export", "--format", "env"], None);
    let env = stdout(&o);
    assert!(
        env.contains("AZREG_CLIENT_ID='0b1c2d3e-1111-2222-3333-444455556666'"),
        "{env}"
    );
    assert!(
        env.contains("AZREG_TENANT_ID='9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff'"),
        "{env}"
    );
    assert!(env.contains("AZREG_CLIENT_SECRET='<redacted>'"), "{env}");
    let o = s.azreg(&["check"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn az_script_stops_when_az_fails() {
    let s = Setup::new();
    s.walked();
    let script = stdout(&s.azreg(&["script", "az"], None));
    let bin = s.dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(
        bin.join("az"),
        "#!/bin/sh\necho 'ERROR: not logged in' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("az"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(
        !stderr(&run).contains("Adding the single-page"),
        "went on after a failure"
    );
}
