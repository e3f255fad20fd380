//! Every subcommand as a process against temporary progress files.

use std::io::Write;
use std::path::PathBuf;
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
admin_consent = "yes"
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
    assert!(out.contains("3 errors, 1 warning\n"), "{out}");
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
    // No half values handed on: refused, naming each missing one, unless asked.
    let o = s.azreg(&["export", "--format", "env"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("client_id: missing"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let o = s.azreg(&["export", "--format", "env", "--allow-incomplete"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("AZREG_APP_NAME='Intrexx Portal'"));
    for format in ["json", "toml", "intrexx"] {
        let o = s.azreg(&["export", "--format", format, "--allow-incomplete"], None);
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
    // The key a new app is created under is new each time.
    let key = script
        .lines()
        .find_map(|l| l.strip_prefix("$UniqueName = '"))
        .and_then(|l| l.strip_suffix('\''))
        .unwrap()
        .to_string();
    assert!(key.starts_with("azreg-"), "{key}");
    insta::assert_snapshot!("script_ps1", script.replace(&key, "azreg-<key>"));
    // The redirect URIs keyed by Graph's platform property: a platform is data.
    assert!(script.contains("$RedirectUris = @{ 'web' = @('https://portal.example.com/oauth2/token/ms365-mycompany'); 'spa' = @('https://portal.example.com/oauth2callback.html') }"), "{script}");
    assert!(
        script.contains(
            "Invoke-Write 'create_service_principal' $spOf 'POST' 'v1.0/servicePrincipals'"
        )
    );
    assert!(script.contains(
        "Invoke-Write 'add_secret' $null 'POST' 'v1.0/applications/@OBJECT_ID@/addPassword'"
    ));
    assert!(script.contains("@{ Prefer = 'create-if-missing' }"));
}

#[test]
fn escape_sequences_in_a_procedure_file_never_reach_the_terminal() {
    let s = Setup::new();
    s.walked();
    let nasty = "\\u001b]0;pwned\\u0007\\u001b[2J\\u202e";
    let text = include_str!("../../assets/procedure.en.toml")
        .replacen(
            "title = \"Register your Intrexx portal as an app in Microsoft Azure\"",
            &format!("title = \"Register{nasty}\""),
            1,
        )
        .replacen(
            "label = \"App name in Azure\"",
            &format!("label = \"App name{nasty}\""),
            1,
        );
    let proc_file = s.dir.path().join("nasty.toml");
    std::fs::write(&proc_file, text).unwrap();
    let p = proc_file.to_str().unwrap();
    for args in [
        &["--procedure", p, "status"][..],
        &["--procedure", p, "check"],
        &["--procedure", p, "steps"],
        &[
            "--procedure",
            p,
            "export",
            "--format",
            "intrexx",
            "--allow-incomplete",
        ],
    ] {
        let o = s.azreg(args, None);
        // The file loaded and the command ran (check exits 1: values are missing).
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!stdout(&o).is_empty(), "{args:?}");
        let all = [o.stdout.clone(), o.stderr.clone()].concat();
        assert!(
            !all.contains(&0x1b) && !all.contains(&0x07),
            "{args:?}: {}",
            stdout(&o)
        );
        assert!(
            !String::from_utf8_lossy(&all).contains('\u{202e}'),
            "{args:?}"
        );
    }
}

/// `azreg status | head -1`, `azreg completions bash | head -1`: the reader went away, which
/// is no error: exit 0, nothing on stderr, no panic.
#[test]
fn a_closed_pipe_ends_quietly() {
    let s = Setup::new();
    s.walked();
    std::fs::set_permissions(
        s.file(),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    for args in [&["status"][..], &["completions", "bash"], &["steps"]] {
        let mut child = Command::new(BIN)
            .arg("--file")
            .arg(s.file())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before azreg writes.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn set_and_done_from_the_command_line() {
    let s = Setup::new();
    let o = s.azreg(&["set", "collaboration", "my-company"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("letters and digits"), "{}", stderr(&o));
    let o = s.azreg(&["set", "portal_url", "https://portal.example.com/"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = s.azreg(&["set", "collaboration", "mycompany"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = s.azreg(&["done", "10"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Step 10 done (1/23)\n");
    let o = s.azreg(
        &["set", "client_secret", "--stdin"],
        Some(&format!("{SECRET}\n")),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains(SECRET));
    let saved = std::fs::read_to_string(s.file()).unwrap();
    assert!(
        saved.contains("portal_url = \"https://portal.example.com\""),
        "{saved}"
    );
    assert!(saved.contains("enter-web-uri = "), "{saved}");
    // The same lock as the walkthrough: while one holds the file, set is refused.
    let _held = azreg::io::store::lock(&s.file()).unwrap();
    let o = s.azreg(&["set", "app_name", "x"], None);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("already open"), "{}", stderr(&o));
}
