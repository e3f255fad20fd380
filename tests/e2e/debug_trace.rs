//! The debug trace for support (`--debug`, `AZREG_DEBUG`, `--log FILE`): each call to Entra ID
//! and Graph with its method, path, status, request-id and time, each retry; never a token, a
//! secret, a device code or a body.

use std::process::Output;

use crate::common::graph::{APPLY_PROGRESS, Options, StandIn};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// What a trace may never hold: the pieces of a JWT, the device code, a secret's value.
fn assert_no_credentials(trace: &str, secret: Option<&str>) {
    assert!(!trace.contains("eyJ"), "a token in the trace:\n{trace}");
    assert!(!trace.contains("DAQABAAEAAAD"), "the device code:\n{trace}");
    if let Some(secret) = secret {
        assert!(!trace.contains(secret), "the secret:\n{trace}");
    }
    assert!(!trace.contains("secretText"), "a body:\n{trace}");
}

#[test]
fn plan_with_a_log_file_traces_every_call_and_nothing_secret() {
    let s = StandIn::start(Options {
        device_pending_polls: 1,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, APPLY_PROGRESS).unwrap();
    let log = dir.path().join("trace.log");
    let log_arg = log.to_str().unwrap();
    let o = s
        .device_code(&file, &["plan", "--debug", "--log", log_arg])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("azreg debug"),
        "the trace goes to the file, not stderr"
    );
    let trace = std::fs::read_to_string(&log).unwrap();
    // `AZREG_TRANSCRIPT=FILE`: the trace for a reader who wants to see one.
    if let Some(path) = std::env::var_os("AZREG_TRANSCRIPT") {
        let _ = std::fs::write(
            path,
            format!("$ azreg plan --debug --log trace.log\n{trace}"),
        );
    }
    let mode = std::fs::metadata(&log).unwrap().permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(mode.mode() & 0o777, 0o600, "the log is the user's alone");
    }
    let _ = mode;
    let port = s
        .graph_url()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    for want in [
        "POST 127.0.0.1:".to_string(),
        "/organizations/oauth2/v2.0/devicecode -> 200 in ".to_string(),
        "/organizations/oauth2/v2.0/token -> 400 (authorization_pending) in ".to_string(),
        "/organizations/oauth2/v2.0/token -> 200 in ".to_string(),
        format!("GET 127.0.0.1:{port}/v1.0/organization?$select=id,displayName -> 200 in "),
        "/v1.0/applications?$filter=displayName eq 'Intrexx Portal'".to_string(),
        ", request-id ".to_string(),
    ] {
        assert!(trace.contains(&want), "{want:?} not in\n{trace}");
    }
    assert!(
        trace.lines().all(|l| l.starts_with("azreg debug ")),
        "{trace}"
    );
    assert_no_credentials(&trace, None);
}

/// `AZREG_DEBUG=1` traces on stderr: through a throttled apply, every retry with its wait, and
/// never the new secret's value Graph answered with.
#[test]
fn apply_traced_on_stderr_shows_retries_and_never_the_secret() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        throttle_every: 4,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, APPLY_PROGRESS).unwrap();
    let o = s
        .device_code(&file, &["apply", "--yes"])
        .env("AZREG_DEBUG", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(err.contains("-> 429 (TooManyRequests) in "), "{err}");
    assert!(err.contains("(as Retry-After asks)"), "{err}");
    assert!(
        err.contains("POST 127.0.0.1:") && err.contains("/addPassword -> 200 in "),
        "{err}"
    );
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let secret = saved["values"]["client_secret"].as_str().unwrap();
    assert_no_credentials(&err, Some(secret));
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("azreg debug"),
        "stdout stays clean"
    );
}

/// A log path that is a link, or a file of another user's, is refused before anything is sent.
#[cfg(unix)]
#[test]
fn a_log_through_a_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere");
    std::fs::write(&target, "").unwrap();
    let link = dir.path().join("trace.log");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(dir.path().join("p.toml"))
        .args(["status", "--log"])
        .arg(&link)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("--log"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "");
}
