//! The browser sign-in: OAuth 2.0 authorization code with PKCE (S256) and a loopback redirect
//! `http://localhost:<port>` (DOMAIN.md "Signing in a command-line tool"), Microsoft's
//! recommended path for a public client. azreg listens on 127.0.0.1 only, for one answer that
//! carries the `state` it sent; anything else that knocks is turned away, and nothing the
//! browser sends is echoed into the page.

use std::net::Ipv4Addr;
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::{SignInError, Target, token_answer};
use crate::remote::http::{endpoint, fetch};
use crate::secret::Secret;
use crate::tr;

/// How long the person has to finish signing in in the browser (MFA included).
pub const WAIT: Duration = Duration::from_secs(600);

/// The longest request head read from the browser, and how long it may take.
const MAX_HEAD: usize = 8 * 1024;
const HEAD_TIME: Duration = Duration::from_secs(10);

/// A random string of 64 URL-safe characters (RFC 7636: 43 to 128), from the operating
/// system's generator: the PKCE verifier and the `state`.
fn random() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    a + &b
}

/// PKCE's S256 challenge: BASE64URL(SHA-256(verifier)) without padding.
pub fn challenge(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// What came back to the loopback address.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    Code(String),
    /// Entra ID refused: `error`, `error_description`.
    Refused(String, String),
    /// Not ours (another path, no or another `state`): turned away, keep waiting.
    Stray,
}

/// Read the request line of one connection and say what it carries.
fn read_answer(head: &str, state: &str) -> Answer {
    let Some(target) = head
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("GET "))
        .and_then(|l| l.split(' ').next())
    else {
        return Answer::Stray;
    };
    let Ok(url) = Url::parse("http://localhost").and_then(|b| b.join(target)) else {
        return Answer::Stray;
    };
    if url.path() != "/" {
        return Answer::Stray;
    }
    let get = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    if get("state").as_deref() != Some(state) {
        return Answer::Stray;
    }
    match (get("code"), get("error")) {
        (Some(code), None) if !code.is_empty() => Answer::Code(code),
        (_, Some(error)) => Answer::Refused(error, get("error_description").unwrap_or_default()),
        _ => Answer::Stray,
    }
}

async fn reply(stream: &mut TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>azreg</title><p style=\"font:1.2em sans-serif;margin:3em\">{text}</p>"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The request head of one connection, bounded in size and time.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut buf = Vec::with_capacity(1024);
    let read = async {
        let mut chunk = [0u8; 1024];
        while buf.len() < MAX_HEAD && !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(HEAD_TIME, read).await;
    String::from_utf8_lossy(&buf).into_owned()
}

/// Sign in in the browser for `scope`: listen on a loopback port, hand the authorize link to
/// `show` (which opens the browser and says where it is), wait for the code, and redeem it
/// with the PKCE verifier.
pub async fn sign_in(t: &Target<'_>, show: &mut dyn FnMut(&str)) -> Result<Secret, SignInError> {
    let lang = t.lang;
    let no_port = |e: std::io::Error| SignInError::NoLoopback(e.to_string());
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(no_port)?;
    let port = listener.local_addr().map_err(no_port)?.port();
    let redirect = format!("http://localhost:{port}");
    let verifier = random();
    let state = random();
    let mut link = endpoint(t.authority, t.tenant, &["oauth2", "v2.0", "authorize"]);
    link.query_pairs_mut()
        .append_pair("client_id", t.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect)
        .append_pair("scope", t.scope)
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge(&verifier))
        .append_pair("code_challenge_method", "S256")
        .append_pair("prompt", "select_account");
    show(link.as_str());

    let wait = async {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                // Out of file descriptors, say: wait a moment instead of spinning.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let head = read_head(&mut stream).await;
            match read_answer(&head, &state) {
                Answer::Stray => {
                    reply(&mut stream, "404 Not Found", "Not an azreg sign-in.").await;
                }
                Answer::Code(code) => {
                    let text = tr!(
                        lang,
                        "Signed in. You can close this tab and go back to azreg.",
                        "Angemeldet. Sie können diesen Tab schließen und zu azreg zurückkehren."
                    );
                    reply(&mut stream, "200 OK", &text).await;
                    return Ok(code);
                }
                Answer::Refused(error, description) => {
                    let text = tr!(
                        lang,
                        "The sign-in was refused. azreg says why.",
                        "Die Anmeldung wurde abgelehnt. azreg sagt, warum."
                    );
                    reply(&mut stream, "200 OK", &text).await;
                    return Err(SignInError::Refused {
                        body: entra_error(&error, &description),
                    });
                }
            }
        }
    };
    let code =
        tokio::time::timeout(WAIT, wait)
            .await
            .map_err(|_| SignInError::BrowserTimeout {
                minutes: WAIT.as_secs() / 60,
            })??;

    let url = endpoint(t.authority, t.tenant, &["oauth2", "v2.0", "token"]);
    let form = [
        ("client_id", t.client_id),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
        ("code_verifier", verifier.as_str()),
        ("scope", t.scope),
    ];
    let (status, body) = fetch(t.http.post(url.clone()).form(&form), &url).await?;
    token_answer(status.is_success(), body)
}

/// The redirect's `error` and `error_description` as the token endpoint's JSON, so one
/// explanation serves both: the AADSTS code is the number after "AADSTS".
fn entra_error(error: &str, description: &str) -> String {
    let code: Option<u64> = description
        .split("AADSTS")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .and_then(|d: String| d.parse().ok());
    serde_json::json!({
        "error": error,
        "error_description": description,
        "error_codes": code.into_iter().collect::<Vec<_>>(),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_rfc_7636s_example() {
        // RFC 7636 appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_long_random_and_url_safe() {
        let (a, b) = (random(), random());
        assert_ne!(a, b);
        assert!((43..=128).contains(&a.len()));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn only_the_answer_with_our_state_counts() {
        let get = |q: &str| format!("GET {q} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert_eq!(
            read_answer(&get("/?code=abc&state=S1"), "S1"),
            Answer::Code("abc".into())
        );
        assert_eq!(
            read_answer(&get("/?code=abc&state=S2"), "S1"),
            Answer::Stray
        );
        assert_eq!(read_answer(&get("/?code=abc"), "S1"), Answer::Stray);
        assert_eq!(read_answer(&get("/favicon.ico"), "S1"), Answer::Stray);
        assert_eq!(
            read_answer(&get("/x?code=abc&state=S1"), "S1"),
            Answer::Stray
        );
        assert_eq!(
            read_answer("POST /?code=a&state=S1 HTTP/1.1", "S1"),
            Answer::Stray
        );
        assert_eq!(
            read_answer(
                &get("/?error=access_denied&error_description=AADSTS65004%3A+declined&state=S1"),
                "S1"
            ),
            Answer::Refused("access_denied".into(), "AADSTS65004: declined".into())
        );
    }

    #[test]
    fn a_refusal_keeps_its_aadsts_code() {
        let json = entra_error("access_denied", "AADSTS65004: User declined to consent.");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["error_codes"][0], 65004);
        let json = entra_error("server_error", "no code here");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["error_codes"].as_array().unwrap().len(), 0);
    }
}
