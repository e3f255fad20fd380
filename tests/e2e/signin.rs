//! The device code sign-in's polling, against a scripted stand-in for Entra ID's device
//! authorization endpoints (plain HTTP on 127.0.0.1; answers written from the contract in
//! src/docs/entra.md: `authorization_pending`, `slow_down` (+5 s), `authorization_declined`,
//! `expired_token`). The whole flow against the full stand-in is in `apply_e2e.rs`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use azreg::i18n::Lang;
use azreg::remote::signin::{DeviceCode, device_code};

/// Serves the device code answer, then `polls` in order (repeating the last), one connection
/// per request; returns the port and the times the token endpoint was asked.
fn scripted(
    code_answer: &'static str,
    polls: Vec<&'static str>,
) -> (u16, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let times = Arc::new(Mutex::new(Vec::new()));
    let seen = times.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut len = 0;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let (status, answer) = if line.contains("/devicecode") {
                (200, code_answer)
            } else {
                let mut t = seen.lock().unwrap();
                t.push(Instant::now());
                let a = polls[(t.len() - 1).min(polls.len() - 1)];
                (if a.contains("access_token") { 200 } else { 400 }, a)
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (port, times)
}

const CODE: &str = r#"{"user_code":"ABC-123","device_code":"dc","verification_uri":"https://microsoft.com/devicelogin","interval":1,"expires_in":900}"#;

fn sign_in(port: u16, shown: &mut Vec<DeviceCode>) -> Result<String, String> {
    let authority = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let http = azreg::remote::http::client(Duration::from_secs(5), &authority).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let target = azreg::remote::signin::Target {
        http: &http,
        authority: &authority,
        tenant: "organizations",
        client_id: azreg::remote::signin::AZURE_CLI_CLIENT_ID,
        scope: "https://graph.microsoft.com/.default",
        lang: Lang::En,
    };
    rt.block_on(device_code(&target, &mut |c| shown.push(c.clone())))
        .map(|t| t.expose().to_string())
        .map_err(|e| azreg::i18n::Worded::message(&e, Lang::En))
}

#[test]
fn pending_then_a_token() {
    let (port, times) = scripted(
        CODE,
        vec![
            r#"{"error":"authorization_pending","error_codes":[70016]}"#,
            r#"{"access_token":"tok","token_type":"Bearer"}"#,
        ],
    );
    let mut shown = Vec::new();
    assert_eq!(sign_in(port, &mut shown).as_deref(), Ok("tok"));
    assert_eq!(shown[0].user_code, "ABC-123");
    assert_eq!(times.lock().unwrap().len(), 2);
}

#[test]
fn slow_down_adds_five_seconds_and_an_expired_code_stops() {
    let (port, times) = scripted(
        CODE,
        vec![
            r#"{"error":"slow_down"}"#,
            r#"{"error":"expired_token","error_codes":[70020]}"#,
        ],
    );
    let err = sign_in(port, &mut Vec::new()).unwrap_err();
    assert!(err.contains("expired"), "{err}");
    let t = times.lock().unwrap();
    assert_eq!(t.len(), 2);
    let gap = t[1] - t[0];
    assert!(gap >= Duration::from_millis(5900), "waited only {gap:?}");
}

#[test]
fn a_declined_sign_in_stops_with_its_reason() {
    let (port, _) = scripted(CODE, vec![r#"{"error":"authorization_declined"}"#]);
    let err = sign_in(port, &mut Vec::new()).unwrap_err();
    assert_eq!(err, "the sign-in was declined");
}

#[test]
fn the_code_shown_is_cleaned_of_terminal_escapes() {
    let (port, _) = scripted(
        r#"{"user_code":"\u001b]52;c;cHduZWQ=\u0007AB","device_code":"dc","verification_uri":"https://x\u001b[2J","interval":1}"#,
        vec![r#"{"access_token":"tok"}"#],
    );
    let mut shown = Vec::new();
    sign_in(port, &mut shown).unwrap();
    assert!(!shown[0].user_code.contains('\u{1b}'), "{:?}", shown[0]);
    assert!(
        !shown[0].verification_uri.contains('\u{1b}'),
        "{:?}",
        shown[0]
    );
    assert_eq!(shown[0].expires_in, 900, "the default lifetime");
}

#[test]
fn no_device_code_in_the_answer_is_an_error_not_a_wait() {
    let (port, times) = scripted(r#"<html>maintenance</html>"#, vec![]);
    let err = sign_in(port, &mut Vec::new()).unwrap_err();
    assert!(err.contains("no device code"), "{err}");
    assert!(times.lock().unwrap().is_empty());
}
