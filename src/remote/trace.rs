//! The debug trace for support (`--debug`, `AZREG_DEBUG=1`, `--log FILE`): one line per call to
//! Entra ID or Microsoft Graph (time, method, host and path, status, Microsoft's request id, how
//! long it took) and per retry. Never a token, a secret, a code or a body: only what the
//! request line and the answer's status carry, with the values of query parameters that can
//! hold a credential replaced.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use url::Url;

static SINK: OnceLock<Mutex<Box<dyn Write + Send>>> = OnceLock::new();

/// Start tracing into `sink` (stderr, or a file only the user can read). Once per process.
pub fn start(sink: Box<dyn Write + Send>) {
    let _ = SINK.set(Mutex::new(sink));
}

/// Whether the trace is on.
pub fn on() -> bool {
    SINK.get().is_some()
}

fn line(text: &str) {
    let Some(sink) = SINK.get() else { return };
    let now = time::OffsetDateTime::now_utc();
    let stamp = now
        .format(time::macros::format_description!(
            "[hour]:[minute]:[second].[subsecond digits:3]"
        ))
        .unwrap_or_default();
    if let Ok(mut w) = sink.lock() {
        // A trace that cannot be written must not stop the command.
        let _ = writeln!(w, "azreg debug {stamp} {text}");
        let _ = w.flush();
    }
}

/// Query parameters whose values are never traced.
const SECRET_PARAMS: [&str; 10] = [
    "code",
    "client_secret",
    "client_assertion",
    "assertion",
    "device_code",
    "refresh_token",
    "access_token",
    "id_token",
    "password",
    "state",
];

/// The URL as traced: host, path and query, credential-bearing values replaced, cleaned of
/// anything a terminal would act on.
pub fn shown(url: &Url) -> String {
    // Host, port and path: never a user or password an address might carry.
    let mut s = url[url::Position::BeforeHost..url::Position::AfterPath].to_string();
    let pairs: Vec<String> = url
        .query_pairs()
        .map(|(k, v)| {
            if SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str()) {
                format!("{k}=<redacted>")
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    if !pairs.is_empty() {
        s.push('?');
        s.push_str(&pairs.join("&"));
    }
    // A next page's address is the server's: a line of the trace stays a line.
    if s.chars().count() > MAX_SHOWN {
        s = s.chars().take(MAX_SHOWN).collect::<String>() + "…";
    }
    crate::text::one_line(&s).into_owned()
}

/// The longest address a trace line shows (real `$skiptoken`s are a few hundred characters).
const MAX_SHOWN: usize = 1000;

/// Microsoft's id of the request, as support asks for it: Graph's `request-id`, Entra's
/// `x-ms-request-id`; bounded and cleaned.
pub fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    ["request-id", "x-ms-request-id"]
        .iter()
        .find_map(|h| headers.get(*h)?.to_str().ok())
        .map(|v| {
            let v: String = v.chars().take(64).collect();
            crate::text::one_line(&v).into_owned()
        })
}

/// One call being made, traced once it is answered or fails:
/// `GET graph.microsoft.com/v1.0/... -> 200 in 123 ms, request-id ...`.
pub struct Call {
    method: String,
    shown: Option<String>,
    started: std::time::Instant,
}

impl Call {
    pub fn start(method: &str, url: &Url) -> Call {
        Call {
            method: method.to_string(),
            shown: on().then(|| shown(url)),
            started: std::time::Instant::now(),
        }
    }

    /// The answer: its status, Microsoft's request id, and the error code the service named
    /// (`authorization_pending`, `Authorization_RequestDenied`; never more of the body).
    pub fn answered(&self, status: u16, request_id: Option<&str>, error: Option<&str>) {
        let Some(url) = &self.shown else { return };
        let error = error
            .filter(|e| !e.is_empty())
            .map(|e| {
                let e: String = e.chars().take(80).collect();
                format!(" ({})", crate::text::one_line(&e))
            })
            .unwrap_or_default();
        let id = request_id
            .map(|r| format!(", request-id {r}"))
            .unwrap_or_default();
        line(&format!(
            "{} {url} -> {status}{error} in {} ms{id}",
            self.method,
            self.started.elapsed().as_millis()
        ));
    }

    /// No answer: why (the transport's error, which names no credential).
    pub fn failed(&self, why: &str) {
        let Some(url) = &self.shown else { return };
        line(&format!(
            "{} {url} -> no answer ({}) after {} ms",
            self.method,
            crate::text::one_line(why),
            self.started.elapsed().as_millis()
        ));
    }
}

/// A retry: which one, how long azreg waits, why, and what is left of the command's budget.
pub fn retry(attempt: u32, wait: Duration, retry_after: bool, spent: (u64, u64)) {
    let why = if retry_after {
        "as Retry-After asks"
    } else {
        "backing off"
    };
    line(&format!(
        "retry {attempt} in {} ms ({why}); {} of {} s of --wait spent",
        wait.as_millis(),
        spent.0,
        spent.1
    ));
}

/// Anything else worth a line (a budget spent, the Azure CLI asked for a token).
pub fn note(text: &str) {
    if on() {
        line(&crate::text::one_line(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_query_are_never_traced() {
        let url = Url::parse(
            "https://login.example/t/oauth2/v2.0/authorize?client_id=abc&code=SECRETCODE&state=S1&client_secret=abc8Q~x&scope=x",
        )
        .unwrap();
        let s = shown(&url);
        assert!(
            s.starts_with("login.example/t/oauth2/v2.0/authorize?client_id=abc&code=<redacted>"),
            "{s}"
        );
        for never in ["SECRETCODE", "S1", "abc8Q~x"] {
            assert!(!s.contains(never), "{s}");
        }
        let graph = Url::parse(
            "http://127.0.0.1:8080/v1.0/applications?$filter=displayName%20eq%20%27a%1b%5b2J%27",
        )
        .unwrap();
        let s = shown(&graph);
        assert!(
            s.starts_with("127.0.0.1:8080/v1.0/applications?$filter=displayName eq 'a"),
            "{s}"
        );
        assert!(!s.contains('\u{1b}'), "{s:?}");
        let long = Url::parse(&format!(
            "https://graph.example/v1.0/applications?$skiptoken={}",
            "x".repeat(5000)
        ))
        .unwrap();
        assert_eq!(shown(&long).chars().count(), MAX_SHOWN + 1);
    }

    #[test]
    fn the_request_id_is_bounded_and_clean() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            "request-id",
            "a\u{7f}b"
                .repeat(40)
                .parse()
                .unwrap_or(reqwest::header::HeaderValue::from_static("x")),
        );
        let id = request_id(&h).unwrap();
        assert!(id.chars().count() <= 64, "{id}");
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            "x-ms-request-id",
            reqwest::header::HeaderValue::from_static("0d3c-entra"),
        );
        assert_eq!(request_id(&h).as_deref(), Some("0d3c-entra"));
    }
}
