//! `azreg verify` against the Entra ID stand-in (`common::graph`, the identity platform over
//! plain HTTP on loopback, as azreg allows for tests), hostile servers, a black hole and a
//! proxy that records what reaches it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::graph::{Options, StandIn};
use crate::common::{ProxyRecorder, black_hole, closed_port};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");
/// The signature of every token the stand-in issues: never printed.
const TOKEN: &str = "c2lnbmF0dXJl";
const SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
const TENANT: &str = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
const WEB: &str = "https://portal.example.com/oauth2/token/ms365-mycompany";
const SPA: &str = "https://portal.example.com/oauth2callback.html";

/// A registration in use at the stand-in, its secret valid for years: its client ID.
fn registered(s: &StandIn) -> String {
    s.seed_registration(&[WEB], &[SPA], true, "2099-01-01T00:00:00Z")
        .0
}

fn stand_in() -> (StandIn, String) {
    let s = StandIn::start(Options {
        secret_misses: 0,
        ..Options::default()
    });
    let client = registered(&s);
    (s, client)
}

fn progress_file(dir: &std::path::Path, client: &str, with_secret: bool) -> std::path::PathBuf {
    let file = dir.join("p.toml");
    let secret = if with_secret {
        format!("client_secret = \"{SECRET}\"\n")
    } else {
        String::new()
    };
    std::fs::write(
        &file,
        format!(
            "version = 1\n[values]\nportal_url = \"https://portal.example.com\"\ncollaboration = \"mycompany\"\nclient_id = \"{client}\"\ntenant_id = \"{TENANT}\"\n{secret}"
        ),
    )
    .unwrap();
    file
}

fn verify(
    authority: &str,
    client: &str,
    extra: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = progress_file(dir.path(), client, stdin.is_none() && env.is_empty());
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
    assert!(!t.contains(TOKEN), "token leaked:\n{t}");
}

#[test]
fn success_passes_and_sends_the_right_form() {
    let (s, client) = stand_in();
    let (o, dir) = verify(&s.login_http_url(), &client, &[], &[], None);
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
    let reqs = s.log();
    let token = reqs
        .iter()
        .find(|r| r.method == "POST")
        .expect("token request");
    assert_eq!(token.target, format!("/{TENANT}/oauth2/v2.0/token"));
    // The stand-in took the secret (it answered with a token); its log masks it.
    assert_eq!(token.status, 200);
    let form: Vec<(String, String)> = url::form_urlencoded::parse(token.body.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| form.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    assert_eq!(get("grant_type"), Some("client_credentials"));
    assert_eq!(get("client_id"), Some(client.as_str()));
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
    assert!(!saved.contains(TOKEN));
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "a table of cases, one row per error code"
)]
fn failures_give_advice_by_error_code() {
    // (what the stand-in holds, the options given, what azreg must say)
    type Case = (
        &'static str,
        fn(&StandIn) -> (String, Vec<String>),
        &'static str,
    );
    let cases: [Case; 8] = [
        (
            "unknown tenant",
            |s| {
                (
                    registered(s),
                    vec![
                        "--tenant".into(),
                        "aaaaaaaa-0000-4000-a000-00000000000a".into(),
                    ],
                )
            },
            "does not exist (AADSTS90002)",
        ),
        (
            "malformed tenant",
            |s| {
                (
                    registered(s),
                    vec!["--tenant".into(), "not-a-tenant".into()],
                )
            },
            "not a valid tenant ID (AADSTS900023)",
        ),
        (
            "unknown client ID",
            |s| {
                registered(s);
                ("0b1c2d3e-1111-2222-3333-44445555ffff".into(), Vec::new())
            },
            "no app with client ID",
        ),
        (
            "the Secret ID as the secret",
            |s| {
                let c = registered(s);
                (c, vec!["--secret-stdin".into()])
            },
            "Secret ID was copied instead of the Value",
        ),
        (
            "an expired secret",
            |s| {
                (
                    s.seed_registration(&[WEB], &[SPA], true, "2020-01-01T00:00:00Z")
                        .0,
                    Vec::new(),
                )
            },
            "the secret has expired (AADSTS7000222)",
        ),
        (
            "no service principal",
            |s| {
                (
                    s.seed_registration(&[WEB], &[SPA], false, "2099-01-01T00:00:00Z")
                        .0,
                    Vec::new(),
                )
            },
            "the app has no service principal in this tenant (AADSTS7000229): create it with `az ad sp create",
        ),
        (
            "consent required",
            |s| (registered(s), Vec::new()),
            "admin consent is required (AADSTS90094/90095)",
        ),
        (
            "an unknown code",
            |s| (registered(s), Vec::new()),
            "weird_error (AADSTS1234567); for a support request: trace_id trace-1, correlation_id corr-1",
        ),
    ];
    for (what, setup, needle) in cases {
        let refusal = match what {
            "consent required" => Some((90094, "invalid_grant")),
            "an unknown code" => Some((1234567, "weird_error")),
            _ => None,
        };
        let s = StandIn::start(Options {
            secret_misses: 0,
            token_refusal: refusal,
            ..Options::default()
        });
        let (client, args) = setup(&s);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let stdin = args
            .contains(&"--secret-stdin")
            .then_some("11111111-2222-3333-4444-555555555555\n");
        let (o, dir) = verify(&s.login_http_url(), &client, &args, &[], stdin);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(4), "{what}: {t}");
        assert!(t.contains(needle), "{what}: {t}");
        if what == "unknown client ID" {
            // Entra never looked at the redirect URIs of an app it does not know.
            assert!(!t.contains("✓ Web redirect URI"), "{t}");
            assert!(
                t.contains("not checked: no app with client ID 0b1c2d3e-1111-2222-3333-44445555ffff in this tenant (AADSTS700016)"),
                "{t}"
            );
        }
        assert_no_leak(&o);
        let saved = std::fs::read_to_string(dir.path().join("p.toml")).unwrap();
        assert!(!saved.contains("last_verified"), "{what}");
    }
}

#[test]
fn unregistered_redirect_uri_is_reported() {
    let s = StandIn::start(Options {
        secret_misses: 0,
        ..Options::default()
    });
    let (client, _) = s.seed_registration(&[WEB], &[], true, "2099-01-01T00:00:00Z");
    let (o, _) = verify(&s.login_http_url(), &client, &[], &[], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(4), "{t}");
    assert!(t.contains("✓ Web redirect URI"), "{t}");
    assert!(t.contains("redirect URI not registered (AADSTS50011): add it at step 14, exactly as shown: https://portal.example.com/oauth2callback.html"), "{t}");
}

#[test]
fn server_error_timeout_and_refused_connection_exit_5() {
    let s = StandIn::start(Options {
        login_server_error: true,
        ..Options::default()
    });
    let client = registered(&s);
    let (o, _) = verify(&s.login_http_url(), &client, &[], &[], None);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(text(&o).contains("server error (HTTP 500)"));

    let start = std::time::Instant::now();
    let (o, _) = verify(&black_hole(), &client, &["--timeout", "0.5"], &[], None);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        text(&o).contains("could not reach 127.0.0.1: no answer in time"),
        "{}",
        text(&o)
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));

    let (o, _) = verify(
        &format!("http://127.0.0.1:{}", closed_port()),
        &client,
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
    let (s, client) = stand_in();
    let (o, _) = verify(
        &s.login_http_url(),
        &client,
        &[],
        &[("AZREG_CLIENT_SECRET", SECRET)],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_no_leak(&o);
    let (o, _) = verify(
        &s.login_http_url(),
        &client,
        &["--secret-stdin", "--tenant", "organizations"],
        &[],
        Some(&format!("{SECRET}\n")),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        s.log()
            .iter()
            .any(|r| r.target.starts_with("/organizations/"))
    );
    // No secret anywhere: the credential check is skipped, values missing.
    let (o, _) = verify(
        &s.login_http_url(),
        &client,
        &[],
        &[("AZREG_CLIENT_SECRET", "")],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no client secret"));
}

#[test]
fn authority_must_be_https_or_loopback() {
    let (o, _) = verify("http://login.example.com", TENANT, &[], &[], None);
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

    let (s, client) = stand_in();
    let p = Rc::new(Procedure::embedded().unwrap());
    let mut progress = Progress::new(&p.id);
    progress.authority = Some(s.login_http_url());
    progress.current = Some("copy-ids".into());
    // The Secret ID where the value belongs.
    for (k, v) in [
        ("client_id", client.as_str()),
        ("tenant_id", TENANT),
        ("client_secret", "zzz8Q~abcdefghijklmnopqrstuvwxyz0123456_"),
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
        azreg::remote::http::client(std::time::Duration::from_secs(5), &req.authority).unwrap();
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
    let (s, client) = stand_in();
    let dir = tempfile::tempdir().unwrap();
    let file = progress_file(dir.path(), &client, true);
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = text.replace(
        "version = 1\n",
        &format!(
            "version = 1\ncurrent = \"copy-ids\"\nauthority = \"{}\"\n",
            s.login_http_url()
        ),
    );
    std::fs::write(&file, text).unwrap();
    let mut pty = crate::common::Pty::spawn(&["--file", crate::common::arg(&file)], &[], 120, 40);
    pty.wait_for("Step 23 of 23", 10);
    pty.send("V");
    // The progress file names another authority: the screen names the host, nothing is sent
    // before the user agrees.
    pty.wait_for("Send the secret to this host?", 5);
    pty.wait_for("authority 127.0.0.1", 5);
    assert!(s.log().is_empty());
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
    let proxy = ProxyRecorder::start();
    let (s, client) = stand_in();
    let (o, _) = verify(
        &s.login_http_url(),
        &client,
        &[],
        &[
            ("HTTP_PROXY", &proxy.url),
            ("http_proxy", &proxy.url),
            ("ALL_PROXY", &proxy.url),
            ("NO_PROXY", ""),
            ("AZREG_CLIENT_SECRET", SECRET),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(proxy.seen().is_empty(), "the proxy saw {:?}", proxy.seen());
    assert!(s.log().iter().any(|r| r.body.contains("client_secret")));
    // Any other authority goes through HTTPS_PROXY, as an encrypted tunnel.
    let (o, _) = verify(
        "https://login.example.test",
        &client,
        &["--timeout", "5"],
        &[("HTTPS_PROXY", &proxy.url), ("NO_PROXY", "")],
        None,
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        proxy
            .seen()
            .iter()
            .any(|l| l.starts_with("CONNECT login.example.test:443")),
        "{:?}",
        proxy.seen()
    );
}

mod hostile_servers {
    use super::*;
    use crate::common::hostile::{Hostile, Mode, NASTY};
    use std::time::{Duration, Instant};

    #[test]
    fn an_endless_body_is_cut_and_costs_little() {
        let h = Hostile::start(Mode::Huge { bytes: 1 << 30 });
        let start = Instant::now();
        let (o, _) = verify(&h.authority(), TENANT, &["--timeout", "20"], &[], None);
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
        let (o, _) = verify(&h.authority(), TENANT, &["--timeout", "3"], &[], None);
        let t = text(&o);
        let took = start.elapsed();
        assert_eq!(o.status.code(), Some(5), "{t}");
        assert!(!t.contains("✓"), "a body that never ended passed: {t}");
        assert!(took < Duration::from_secs(5), "--timeout 3 took {took:?}");
    }

    #[test]
    fn escape_sequences_from_a_server_never_reach_the_terminal() {
        let h = Hostile::start(Mode::Escapes);
        let (o, _) = verify(
            &h.authority(),
            "0b1c2d3e-1111-2222-3333-444455556666",
            &[],
            &[],
            None,
        );
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
        let (o, _) = verify(
            &h.authority(),
            "0b1c2d3e-1111-2222-3333-444455556666",
            &[],
            &[],
            None,
        );
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
    let (s, client) = stand_in();
    let (o, _) = verify(&s.login_http_url(), &client, &["--json"], &[], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    crate::common::schema::assert_valid("verify", &v);
    assert_eq!(v["exit_code"], 0);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks[0]["check"], "tenant");
    assert_eq!(checks[0]["label"], "Tenant");
    assert_eq!(checks[2]["check"], "web_redirect_uri");
    assert!(checks.iter().all(|c| c["outcome"] == "pass"), "{v}");
    assert_no_leak(&o);
}

/// The header and each finished check show at once, not after the slowest one.
#[test]
fn verify_prints_as_it_goes() {
    use std::io::BufRead;
    let hole = black_hole();
    let dir = tempfile::tempdir().unwrap();
    let file = progress_file(dir.path(), "0b1c2d3e-1111-2222-3333-444455556666", true);
    let mut child = Command::new(BIN)
        .args(["verify", "--timeout", "4", "--authority", &hole, "--file"])
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
