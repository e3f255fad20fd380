//! The browser sign-in: OAuth 2.0 authorization code with PKCE (S256) and a loopback redirect
//! `http://localhost:<port>` (src/docs/entra.md "Signing in a command-line tool"), Microsoft's
//! recommended path for a public client. `localhost` may resolve to 127.0.0.1 or ::1, and a
//! port azreg leaves free on either is one another local user can take to receive the code: so
//! azreg listens on both, the same port, or picks another. Each connection is served on its own
//! task (bounded in number, size and time), so idle or trickling ones cannot hold the real
//! answer up. Only an answer with the `state` azreg sent counts; anything else is turned away,
//! and nothing the browser sends is echoed into the page.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
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
/// A connection that sends nothing for this long is dropped: a browser sends its request at
/// once, and another local user's idle sockets must not sit in the slots.
const IDLE: Duration = Duration::from_secs(2);
/// Connections served at once. A new one is never turned away for want of a slot: the oldest
/// connection that has sent nothing (else the oldest at all) makes room.
const MAX_CONNECTIONS: usize = 32;
/// Ports tried before giving up when ::1 has the one 127.0.0.1 gave.
const PORT_TRIES: usize = 16;

/// Listeners on 127.0.0.1 and ::1 with one port. Where this machine has no IPv6 loopback,
/// nobody can listen there either, and 127.0.0.1 alone is enough; a port taken on ::1 is never
/// used (fail closed: another one is tried).
async fn listen() -> Result<(u16, Vec<TcpListener>), SignInError> {
    let no_port = |e: std::io::Error| SignInError::NoLoopback(e.to_string());
    let mut last = None;
    for _ in 0..PORT_TRIES {
        let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(no_port)?;
        let port = v4.local_addr().map_err(no_port)?.port();
        match TcpListener::bind((Ipv6Addr::LOCALHOST, port)).await {
            Ok(v6) => return Ok((port, vec![v4, v6])),
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrNotAvailable
                    || crate::platform::is_family_unsupported(&e) =>
            {
                return Ok((port, vec![v4]));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(no_port(last.unwrap_or_else(|| {
        std::io::Error::from(std::io::ErrorKind::AddrInUse)
    })))
}

/// What one connection's task serves: the `state` to match and the two pages.
struct Serve {
    state: String,
    signed_in: String,
    refused: String,
    stray: String,
}

/// One connection: its head read within bounds, the answer sent back on `found` when it is
/// ours.
async fn serve(
    mut stream: TcpStream,
    s: Arc<Serve>,
    found: tokio::sync::mpsc::Sender<Answer>,
    heard: Arc<std::sync::atomic::AtomicBool>,
) {
    let head = read_head(&mut stream, &heard).await;
    match read_answer(&head, &s.state) {
        Answer::Stray => reply(&mut stream, "404 Not Found", &s.stray).await,
        Answer::Code(code) => {
            reply(&mut stream, "200 OK", &s.signed_in).await;
            let _ = found.send(Answer::Code(code)).await;
        }
        Answer::Refused(error, description) => {
            reply(&mut stream, "200 OK", &s.refused).await;
            let _ = found.send(Answer::Refused(error, description)).await;
        }
    }
}

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
pub enum Answer {
    Code(String),
    /// Entra ID refused: `error`, `error_description`.
    Refused(String, String),
    /// Not ours (another path, no or another `state`): turned away, keep waiting.
    Stray,
}

/// Read the request line of one connection and say what it carries (public for the fuzz
/// target and the property test: any head is taken).
pub fn read_answer(head: &str, state: &str) -> Answer {
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

/// The request head of one connection, bounded in size and time: nothing for [`IDLE`] ends
/// it, and so does [`HEAD_TIME`] in all. `heard` is set once a byte came.
async fn read_head(stream: &mut TcpStream, heard: &std::sync::atomic::AtomicBool) -> String {
    let mut buf = Vec::with_capacity(1024);
    let read = async {
        let mut chunk = [0u8; 1024];
        while buf.len() < MAX_HEAD && !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            match tokio::time::timeout(IDLE, stream.read(&mut chunk)).await {
                Ok(Ok(0) | Err(_)) | Err(_) => break,
                Ok(Ok(n)) => {
                    heard.store(true, std::sync::atomic::Ordering::Relaxed);
                    buf.extend_from_slice(&chunk[..n]);
                }
            }
        }
    };
    let _ = tokio::time::timeout(HEAD_TIME, read).await;
    String::from_utf8_lossy(&buf).into_owned()
}

/// The connections being served, oldest first: whether each has sent a byte, and how to end it.
#[derive(Default)]
struct Served {
    next: u64,
    live: std::collections::VecDeque<(
        u64,
        Arc<std::sync::atomic::AtomicBool>,
        tokio::task::AbortHandle,
    )>,
}

impl Served {
    /// End the oldest connection that has sent nothing, else the oldest: room for a new one.
    fn evict(&mut self) {
        let idle = self
            .live
            .iter()
            .position(|(_, heard, _)| !heard.load(std::sync::atomic::Ordering::Relaxed));
        if let Some((_, _, abort)) = self.live.remove(idle.unwrap_or(0)) {
            abort.abort();
        }
    }
}

/// Sign in in the browser for `scope`: listen on a loopback port, hand the authorize link to
/// `show` (which opens the browser and says where it is), wait for the code, and redeem it
/// with the PKCE verifier.
#[allow(
    clippy::too_many_lines,
    reason = "the authorization-code flow with PKCE in its order: listen, show the link, wait for the code, redeem it"
)]
pub async fn sign_in(t: &Target<'_>, show: &mut dyn FnMut(&str)) -> Result<Secret, SignInError> {
    let lang = t.lang;
    let (port, listeners) = listen().await?;
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
    let serving = Arc::new(Serve {
        state,
        signed_in: tr!(
            lang,
            "Signed in. You can close this tab and go back to azreg.",
            "Angemeldet. Sie können diesen Tab schließen und zu azreg zurückkehren."
        ),
        refused: tr!(
            lang,
            "The sign-in was refused. azreg says why.",
            "Die Anmeldung wurde abgelehnt. azreg sagt, warum."
        ),
        stray: tr!(lang, "Not an azreg sign-in.", "Keine Anmeldung von azreg."),
    });
    // Every task ends with this set: dropped when the sign-in is over, one way or another.
    let mut tasks = tokio::task::JoinSet::new();
    let (found, mut answers) = tokio::sync::mpsc::channel(1);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    // Shared by both listeners: one bound on the connections served.
    let served = Arc::new(std::sync::Mutex::new(Served::default()));
    for listener in listeners {
        let (serving, found, slots, served) = (
            serving.clone(),
            found.clone(),
            slots.clone(),
            served.clone(),
        );
        tasks.spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    // Out of file descriptors, say: wait a moment instead of spinning.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                // Every slot taken: the oldest quiet connection makes room, so idle sockets
                // another user holds can never shut the real redirect out.
                let slot = match slots.clone().try_acquire_owned() {
                    Ok(slot) => slot,
                    Err(_) => {
                        served.lock().unwrap_or_else(|e| e.into_inner()).evict();
                        match slots.clone().acquire_owned().await {
                            Ok(slot) => slot,
                            Err(_) => continue,
                        }
                    }
                };
                let heard = Arc::new(std::sync::atomic::AtomicBool::new(false));
                let (serving, found, served_by) = (serving.clone(), found.clone(), served.clone());
                let mut list = served.lock().unwrap_or_else(|e| e.into_inner());
                list.next += 1;
                let id = list.next;
                let h = heard.clone();
                let abort = conns.spawn(async move {
                    serve(stream, serving, found, h).await;
                    drop(slot);
                    let mut list = served_by.lock().unwrap_or_else(|e| e.into_inner());
                    list.live.retain(|(i, _, _)| *i != id);
                });
                list.live.push_back((id, heard, abort));
                drop(list);
                // Reap the finished ones so the set does not grow.
                while conns.try_join_next().is_some() {}
            }
        });
    }
    drop(found);
    show(link.as_str());
    let answer = tokio::time::timeout(WAIT, answers.recv())
        .await
        .map_err(|_| SignInError::BrowserTimeout {
            minutes: WAIT.as_secs() / 60,
        })?;
    drop(tasks);
    let code = match answer {
        Some(Answer::Code(code)) => code,
        Some(Answer::Refused(error, description)) => {
            return Err(SignInError::Refused {
                body: entra_error(&error, &description),
            });
        }
        // Every listener gone (cannot happen while they loop): as if no answer came.
        Some(Answer::Stray) | None => {
            return Err(SignInError::BrowserTimeout {
                minutes: WAIT.as_secs() / 60,
            });
        }
    };

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
