//! `azreg verify` against a local stand-in for Entra ID.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::entra::{Entra, Scenario, TOKEN, closed_port};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");
const SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
const CLIENT: &str = "0b1c2d3e-1111-2222-3333-444455556666";
const TENANT: &str = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";

fn progress_file(dir: &std::path::Path, with_secret: bool) -> std::path::PathBuf {
    let file = dir.join("p.toml");
    let secret = if with_secret {
        format!("client_secret = \"{SECRET}\"\n")
    } else {
        String::new()
    };
    std::fs::write(
        &file,
        format!(
            "version = 1\n[values]\nportal_url = \"https://portal.example.com\"\ncollaboration = \"mycompany\"\nclient_id = \"{CLIENT}\"\ntenant_id = \"{TENANT}\"\n{secret}"
        ),
    )
    .unwrap();
    file
}

fn verify(
    authority: &str,
    extra: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = progress_file(dir.path(), stdin.is_none() && env.is_empty());
    let mut cmd = Command::new(BIN);
    cmd.args(["verify", "--authority", authority, "--file"])
        .arg(&file)
        .args(extra)
        .env_remove("AZREG_CLIENT_SECRET")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let input = stdin.unwrap_or("");
    // The program may exit before it reads stdin (a bad file): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    (child.wait_with_output().unwrap(), dir)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn assert_no_leak(o: &Output) {
    let t = text(o);
    assert!(!t.contains(SECRET), "secret leaked:\n{t}");
    assert!(
        !t.contains(TOKEN) && !t.contains("SECRET-TOKEN"),
        "token leaked:\n{t}"
    );
}

#[test]
fn success_passes_and_sends_the_right_form() {
    let entra = Entra::start(Scenario::Success);
    let (o, dir) = verify(&entra.authority(), &[], &[], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains(&format!("✓ Tenant: found: tenant {TENANT}")),
        "{t}"
    );
    assert!(t.contains("belong together"), "{t}");
    assert!(
        t.contains("does not prove Graph permissions or admin consent"),
        "{t}"
    );
    assert!(t.contains("✓ Web redirect URI"), "{t}");
    assert!(t.contains("heuristic"), "{t}");
    assert_no_leak(&o);
    let reqs = entra.requests();
    let token = reqs
        .iter()
        .find(|r| r.method == "POST")
        .expect("token request");
    assert_eq!(token.target, format!("/{TENANT}/oauth2/v2.0/token"));
    let form: Vec<(String, String)> = url::form_urlencoded::parse(token.body.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    assert_eq!(get("grant_type"), Some("client_credentials"));
    assert_eq!(get("client_id"), Some(CLIENT));
    assert_eq!(get("client_secret"), Some(SECRET));
    assert_eq!(get("scope"), Some("https://graph.microsoft.com/.default"));
    let authorize: Vec<_> = reqs
        .iter()
        .filter(|r| r.target.contains("/authorize?"))
        .collect();
    assert_eq!(authorize.len(), 2);
    assert!(
        authorize
            .iter()
            .any(|r| r.target.contains("oauth2callback.html"))
    );
    // The time of the successful check is kept; never the token.
    let saved = std::fs::read_to_string(dir.path().join("p.toml")).unwrap();
    assert!(saved.contains("last_verified = "), "{saved}");
    assert!(!saved.contains("SECRET-TOKEN"));
}

#[test]
fn failures_give_advice_by_error_code() {
    let cases = [
        (Scenario::UnknownTenant, "does not exist (AADSTS90002)"),
        (
            Scenario::MalformedTenant,
            "not a valid tenant ID (AADSTS900023)",
        ),
        (Scenario::WrongClientId, "no app with client ID"),
        (
            Scenario::SecretIdAsSecret,
            "Secret ID was copied instead of the Value",
        ),
        (
            Scenario::ExpiredSecret,
            "the secret has expired (AADSTS7000222)",
        ),
        (
            Scenario::NoServicePrincipal,
            "the app has no service principal in this tenant (AADSTS7000229): create it with `az ad sp create",
        ),
        (
            Scenario::ConsentRequired,
            "admin consent is required (AADSTS90094/90095)",
        ),
        (
            Scenario::OtherError,
            "weird_error (AADSTS1234567); for a support request: trace_id trace-1234, correlation_id corr-5678",
        ),
    ];
    for (scenario, needle) in cases {
        let entra = Entra::start(scenario);
        let (o, dir) = verify(&entra.authority(), &[], &[], None);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(4), "{scenario:?}: {t}");
        assert!(t.contains(needle), "{scenario:?}: {t}");
        assert_no_leak(&o);
        let saved = std::fs::read_to_string(dir.path().join("p.toml")).unwrap();
        assert!(!saved.contains("last_verified"), "{scenario:?}");
    }
}

#[test]
fn unregistered_redirect_uri_is_reported() {
    let entra = Entra::start(Scenario::SpaNotRegistered);
    let (o, _) = verify(&entra.authority(), &[], &[], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(4), "{t}");
    assert!(t.contains("✓ Web redirect URI"), "{t}");
    assert!(t.contains("redirect URI not registered (AADSTS50011): add it at step 14, exactly as shown: https://portal.example.com/oauth2callback.html"), "{t}");
}

#[test]
fn server_error_timeout_and_refused_connection_exit_5() {
    let entra = Entra::start(Scenario::ServerError);
    let (o, _) = verify(&entra.authority(), &[], &[], None);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(text(&o).contains("server error (HTTP 500)"));

    let entra = Entra::start(Scenario::NeverAnswers);
    let start = std::time::Instant::now();
    let (o, _) = verify(&entra.authority(), &["--timeout", "0.5"], &[], None);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        text(&o).contains("could not reach 127.0.0.1: no answer in time"),
        "{}",
        text(&o)
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));

    let (o, _) = verify(
        &format!("http://127.0.0.1:{}", closed_port()),
        &[],
        &[],
        None,
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        text(&o).contains("could not reach 127.0.0.1"),
        "{}",
        text(&o)
    );
    assert_no_leak(&o);
}

#[test]
fn secret_from_the_environment_or_stdin_and_overrides() {
    let entra = Entra::start(Scenario::Success);
    let (o, _) = verify(
        &entra.authority(),
        &[],
        &[("AZREG_CLIENT_SECRET", SECRET)],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_no_leak(&o);
    let (o, _) = verify(
        &entra.authority(),
        &["--secret-stdin", "--tenant", "contoso.onmicrosoft.com"],
        &[],
        Some(&format!("{SECRET}\n")),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let reqs = entra.requests();
    assert!(
        reqs.iter()
            .any(|r| r.target.starts_with("/contoso.onmicrosoft.com/"))
    );
    // No secret anywhere: the credential check is skipped, values missing.
    let (o, _) = verify(
        &entra.authority(),
        &[],
        &[("AZREG_CLIENT_SECRET", "")],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no client secret"));
}

#[test]
fn authority_must_be_https_or_loopback() {
    let (o, _) = verify("http://login.example.com", &[], &[], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("use https"));
}

/// The walkthrough's check, driven through the App with the effects performed by hand.
#[test]
fn walkthrough_check_through_the_app() {
    use azreg::core::procedure::Procedure;
    use azreg::core::progress::Progress;
    use azreg::tui::app::{App, Check, Config, Effect, Msg};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use std::rc::Rc;

    let entra = Entra::start(Scenario::SecretIdAsSecret);
    let p = Rc::new(Procedure::embedded().unwrap());
    let mut progress = Progress::new(&p.id);
    progress.authority = Some(entra.authority());
    progress.current = Some("copy-ids".into());
    for (k, v) in [
        ("client_id", CLIENT),
        ("tenant_id", TENANT),
        ("client_secret", SECRET),
    ] {
        progress.values.insert(k.into(), v.into());
    }
    let config = Config::headless(time::macros::date!(2026 - 11 - 26));
    let mut app = App::new(p, progress, config, (100, 30));
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('V'),
        KeyModifiers::SHIFT,
    )));
    // Not Microsoft's authority: nothing is sent before the user agrees to the host.
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        matches!(app.overlay, azreg::tui::app::Overlay::ConfirmAuthority { ref host } if host == "127.0.0.1")
    );
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('y'),
        KeyModifiers::NONE,
    )));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Checking live with 127.0.0.1")
    );
    let Some(Effect::Verify(req)) = effects.first().cloned() else {
        panic!("no check started: {effects:?}");
    };
    assert!(matches!(app.check, Check::Running { .. }));
    assert!(
        !format!("{req:?}").contains(SECRET),
        "Debug shows the secret"
    );
    let http =
        azreg::remote::verify::client(std::time::Duration::from_secs(5), &req.authority).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let results = rt.block_on(azreg::remote::verify::run(
        &http,
        &req,
        std::time::Duration::from_secs(5),
    ));
    let effects = app.update(Msg::Verified(results));
    assert!(
        effects.is_empty(),
        "a failed check saves nothing: {effects:?}"
    );
    let status = app.status.clone().unwrap();
    assert!(
        status
            .text
            .contains("Secret ID was copied instead of the Value"),
        "{}",
        status.text
    );
    assert!(!status.text.contains(SECRET));
    assert!(matches!(app.check, Check::Done(_)));
    assert!(app.progress.last_verified.is_none());

    // A cancelled check ignores a late answer.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('V'),
        KeyModifiers::SHIFT,
    )));
    let fx = app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(fx, vec![Effect::CancelVerify]);
    assert_eq!(app.check, Check::Idle);
}

#[test]
fn v_in_the_walkthrough_shows_the_results() {
    let entra = Entra::start(Scenario::Success);
    let dir = tempfile::tempdir().unwrap();
    let file = progress_file(dir.path(), true);
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = text.replace(
        "version = 1\n",
        &format!(
            "version = 1\ncurrent = \"copy-ids\"\nauthority = \"{}\"\n",
            entra.authority()
        ),
    );
    std::fs::write(&file, text).unwrap();
    let mut pty = common::Pty::spawn(&["--file", common::arg(&file)], &[], 120, 40);
    pty.wait_for("Step 23 of 23", 10);
    pty.send("V");
    // The progress file names another authority: the screen names the host, nothing is sent
    // before the user agrees.
    pty.wait_for("Send the secret to this host?", 5);
    pty.wait_for("authority 127.0.0.1", 5);
    assert!(entra.requests().is_empty());
    pty.send("y");
    pty.wait_for("Live check passed", 10);
    pty.wait_for(
        "✓ Client ID and secret: tenant, client ID and secret belong together",
        5,
    );
    assert!(!pty.screen().contains(TOKEN));
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("last_verified"), "{saved}");
}

#[test]
fn proxies_are_honoured_but_never_for_a_loopback_authority() {
    // A loopback authority (plain http carries the secret) never goes through a proxy.
    let proxy = Entra::start(Scenario::Success);
    let entra = Entra::start(Scenario::Success);
    let (o, _) = verify(
        &entra.authority(),
        &[],
        &[
            ("HTTP_PROXY", &proxy.authority()),
            ("http_proxy", &proxy.authority()),
            ("ALL_PROXY", &proxy.authority()),
            ("NO_PROXY", ""),
            ("AZREG_CLIENT_SECRET", SECRET),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        proxy.requests().is_empty(),
        "the proxy saw {:?}",
        proxy.requests()
    );
    assert!(
        entra
            .requests()
            .iter()
            .any(|r| r.body.contains("client_secret"))
    );
    // Any other authority goes through HTTPS_PROXY, as an encrypted tunnel.
    let (o, _) = verify(
        "https://login.example.test",
        &["--timeout", "5"],
        &[("HTTPS_PROXY", &proxy.authority()), ("NO_PROXY", "")],
        None,
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(proxy.requests().iter().any(|r| r.method == "PROXIED"));
}

mod hostile_servers {
    use super::*;
    use common::hostile::{Hostile, Mode, NASTY};
    use std::time::{Duration, Instant};

    #[test]
    fn an_endless_body_is_cut_and_costs_little() {
        let h = Hostile::start(Mode::Huge { bytes: 1 << 30 });
        let start = Instant::now();
        let (o, _) = verify(&h.authority(), &["--timeout", "20"], &[], None);
        let t = text(&o);
        // Not the JSON expected: a failure, never a pass, and it ends long before 1 GB.
        assert!(!t.contains("✓"), "{t}");
        assert!(
            o.status.code() == Some(4) || o.status.code() == Some(5),
            "{t}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
        assert!(*h.sent.lock().unwrap() < (1 << 30), "read to the end");
        assert_no_leak(&o);
    }

    #[test]
    fn a_dripping_server_is_no_answer_within_the_whole_runs_timeout() {
        let h = Hostile::start(Mode::Drip);
        let start = Instant::now();
        let (o, _) = verify(&h.authority(), &["--timeout", "3"], &[], None);
        let t = text(&o);
        let took = start.elapsed();
        assert_eq!(o.status.code(), Some(5), "{t}");
        assert!(!t.contains("✓"), "a body that never ended passed: {t}");
        assert!(took < Duration::from_secs(5), "--timeout 3 took {took:?}");
    }

    #[test]
    fn escape_sequences_from_a_server_never_reach_the_terminal() {
        let h = Hostile::start(Mode::Escapes);
        let (o, _) = verify(&h.authority(), &[], &[], None);
        let raw = [o.stdout.clone(), o.stderr.clone()].concat();
        for bad in [0x1b_u8, 0x07] {
            assert!(!raw.contains(&bad), "{:?}", text(&o));
        }
        let t = text(&o);
        assert!(!t.contains('\u{9b}') && !t.contains('\u{202e}'), "{t}");
        assert!(t.contains("]0;pwned"), "the text is shown, defused: {t}");
        assert!(!t.contains(NASTY));
    }

    #[test]
    fn a_server_echoing_most_of_the_secret_gets_none_of_it_printed() {
        let h = Hostile::start(Mode::Echo);
        let (o, _) = verify(&h.authority(), &[], &[], None);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(4), "{t}");
        let chars: Vec<char> = SECRET.chars().collect();
        for w in chars.windows(8) {
            let piece: String = w.iter().collect();
            assert!(!t.contains(&piece), "{piece:?} printed:\n{t}");
        }
        assert!(t.contains("<redacted>"), "{t}");
    }
}

#[test]
fn json_output_for_scripts() {
    let entra = Entra::start(Scenario::Success);
    let (o, _) = verify(&entra.authority(), &["--json"], &[], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["exit_code"], 0);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks[0]["check"], "Tenant");
    assert!(checks.iter().all(|c| c["outcome"] == "pass"), "{v}");
    assert_no_leak(&o);
}

/// The header and each finished check show at once, not after the slowest one.
#[test]
fn verify_prints_as_it_goes() {
    use std::io::BufRead;
    let entra = Entra::start(Scenario::NeverAnswers);
    let dir = tempfile::tempdir().unwrap();
    let file = progress_file(dir.path(), true);
    let mut child = Command::new(BIN)
        .args([
            "verify",
            "--timeout",
            "4",
            "--authority",
            &entra.authority(),
            "--file",
        ])
        .arg(&file)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("Live check against"), "{first}");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    assert!(rest.contains("? Tenant: could not reach"), "{rest}");
    assert_eq!(child.wait().unwrap().code(), Some(5));
}
