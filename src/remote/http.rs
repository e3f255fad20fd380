//! HTTP for everything that goes out: the bounded client, requests, bodies read within
//! bounds, and why a service could not be reached.

use std::time::Duration;

use url::Url;

use crate::i18n::{Lang, Worded};
use crate::tr;

/// The most of an answer's body read (an error page is a few kilobytes).
pub const MAX_BODY: usize = 256 * 1024;

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The TLS client could not be built (a broken system, never the network).
    Setup(String),
    /// No answer in time.
    Timeout { host: String },
    /// The connection failed: the innermost cause ("Connection refused", "dns error").
    Unreachable { host: String, reason: String },
    /// The service answered 5xx.
    Server { host: String, code: u16 },
}

impl HttpError {
    pub fn unreachable(url: &Url, e: &reqwest::Error) -> HttpError {
        let host = url.host_str().unwrap_or_default().to_string();
        if e.is_timeout() {
            HttpError::Timeout { host }
        } else {
            HttpError::Unreachable {
                host,
                reason: innermost(&chain(e)).to_string(),
            }
        }
    }
}

impl Worded for HttpError {
    fn message(&self, lang: Lang) -> String {
        match self {
            HttpError::Setup(e) => tr!(
                lang,
                "cannot set up HTTPS: {e}",
                "HTTPS lässt sich nicht einrichten: {e}",
                e = e,
            ),
            HttpError::Timeout { host } => tr!(
                lang,
                "could not reach {host}: no answer in time",
                "{host} nicht erreichbar: keine Antwort in der Zeit",
                host = host,
            ),
            HttpError::Unreachable { host, reason } => tr!(
                lang,
                "could not reach {host}: {reason}",
                "{host} nicht erreichbar: {reason}",
                host = host,
                reason = reason,
            ),
            HttpError::Server { host, code } => tr!(
                lang,
                "{host} answered with a server error (HTTP {code}): try again later",
                "{host} antwortete mit einem Serverfehler (HTTP {code}): versuchen Sie es später noch einmal",
                host = host,
                code = code,
            ),
        }
    }
}

/// Why an identity platform's address (`--authority`, or the progress file's) is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorityError {
    NotAddress {
        shown: String,
        reason: String,
    },
    /// Plain http to another machine would carry the secret in the clear.
    NotHttps {
        shown: String,
    },
}

impl Worded for AuthorityError {
    fn message(&self, lang: Lang) -> String {
        match self {
            AuthorityError::NotAddress { shown, reason } => tr!(
                lang,
                "the authority {shown:?} is not an address ({reason})",
                "die Autorität {shown:?} ist keine Adresse ({reason})",
                shown = shown,
                reason = reason,
            ),
            AuthorityError::NotHttps { shown } => tr!(
                lang,
                "the authority {shown:?} must use https (plain http only for loopback addresses)",
                "die Autorität {shown:?} muss https verwenden (einfaches http nur für Loopback-Adressen)",
                shown = shown,
            ),
        }
    }
}

/// An identity platform's address: https, or plain http only to a loopback address (tests).
pub fn parse_authority(text: &str) -> Result<Url, AuthorityError> {
    let shown = crate::text::clean_for_display(text).into_owned();
    let url = Url::parse(text.trim()).map_err(|e| AuthorityError::NotAddress {
        shown: shown.clone(),
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(AuthorityError::NotHttps { shown }),
    }
}

/// An HTTP client: rustls with the ring provider, no redirects followed, a timeout per
/// request; HTTPS_PROXY and friends are honoured by reqwest, except for a loopback authority,
/// which a proxy must never see (plain http there carries the secret).
pub fn client(timeout: Duration, authority: &Url) -> Result<reqwest::Client, HttpError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder();
    if is_loopback(authority) {
        builder = builder.no_proxy();
    }
    builder
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("azreg/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| HttpError::Setup(chain(&e)))
}

/// `{authority}/{tenant}/{rest}`, the tenant as one path segment.
pub fn endpoint(authority: &Url, tenant: &str, rest: &[&str]) -> Url {
    let mut url = authority.clone();
    if let Ok(mut segs) = url.path_segments_mut() {
        segs.pop_if_empty().push(tenant).extend(rest);
    }
    url
}

/// An error and its causes, innermost last: "error sending request: ... Connection refused".
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

/// The innermost cause says most ("Connection refused", "dns error", "invalid peer
/// certificate"); a link to a library's manual after it (rustls adds one) says nothing.
fn innermost(full: &str) -> &str {
    full.rsplit(": ")
        .find(|part| !part.starts_with("http"))
        .unwrap_or(full)
}

/// The body, read chunk by chunk and never beyond `MAX_BODY`: a server that streams without
/// end costs at most that much memory. A body that breaks off is an error, never "empty".
pub async fn read_body(mut resp: reqwest::Response) -> Result<String, reqwest::Error> {
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = MAX_BODY - buf.len();
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= MAX_BODY {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// A body read within a limit: whole, or cut at the limit (never parsed then).
#[derive(Debug)]
pub enum Body {
    Whole(String),
    Cut,
}

/// The body, never more than `limit` bytes of it: a larger one is `Cut`, so the caller says
/// which answer was too large instead of failing to parse half of it.
pub async fn read_body_within(
    mut resp: reqwest::Response,
    limit: usize,
) -> Result<Body, reqwest::Error> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Ok(Body::Cut);
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if buf.len() + chunk.len() > limit {
            return Ok(Body::Cut);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Body::Whole(String::from_utf8_lossy(&buf).into_owned()))
}

/// Send a request and read its answer; a transport failure or a server error is the reason
/// the service counts as unreachable.
pub async fn fetch(
    request: reqwest::RequestBuilder,
    url: &Url,
) -> Result<(reqwest::StatusCode, String), HttpError> {
    let (client, request) = request.build_split();
    let request = request.map_err(|e| HttpError::unreachable(url, &e))?;
    let call = super::trace::Call::start(request.method().as_str(), url);
    let resp = client.execute(request).await.map_err(|e| {
        call.failed(&chain(&e));
        HttpError::unreachable(url, &e)
    })?;
    let status = resp.status();
    let request_id = super::trace::request_id(resp.headers());
    let body = read_body(resp).await.map_err(|e| {
        call.failed(&chain(&e));
        HttpError::unreachable(url, &e)
    })?;
    // Entra's error code (`authorization_pending`, `invalid_client`): the one part of a body
    // the trace shows.
    let error = (super::trace::on() && !status.is_success())
        .then(|| serde_json::from_str::<serde_json::Value>(&body).ok())
        .flatten()
        .and_then(|v| v["error"].as_str().map(str::to_string));
    call.answered(status.as_u16(), request_id.as_deref(), error.as_deref());
    if status.is_server_error() {
        return Err(HttpError::Server {
            host: url.host_str().unwrap_or_default().to_string(),
            code: status.as_u16(),
        });
    }
    Ok((status, body))
}

/// The authority is this machine (tests, a local stand-in).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
impl crate::i18n::Samples for HttpError {
    fn samples() -> Vec<Self> {
        let host = "login.example".to_string();
        vec![
            HttpError::Setup("no provider".into()),
            HttpError::Timeout { host: host.clone() },
            HttpError::Unreachable {
                host: host.clone(),
                reason: "Connection refused".into(),
            },
            HttpError::Server { host, code: 503 },
        ]
    }
}

#[cfg(test)]
impl crate::i18n::Samples for AuthorityError {
    fn samples() -> Vec<Self> {
        vec![
            AuthorityError::NotAddress {
                shown: "nope".into(),
                reason: "relative URL without a base".into(),
            },
            AuthorityError::NotHttps {
                shown: "http://login.example".into(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authority_is_https_or_loopback_http() {
        assert!(parse_authority("https://login.microsoftonline.us").is_ok());
        assert!(parse_authority("http://127.0.0.1:8080").is_ok());
        assert!(parse_authority("http://localhost:1").is_ok());
        assert_eq!(
            parse_authority("http://login.example.com"),
            Err(AuthorityError::NotHttps {
                shown: "http://login.example.com".into()
            })
        );
        assert!(parse_authority("ftp://x").is_err());
        assert!(matches!(
            parse_authority("nope"),
            Err(AuthorityError::NotAddress { .. })
        ));
    }

    #[test]
    fn the_innermost_cause_is_kept_and_a_manual_link_dropped() {
        assert_eq!(
            innermost("error sending request: client error (Connect): Connection refused"),
            "Connection refused"
        );
        assert_eq!(
            innermost(
                "error decoding response body: peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/_03_howto/index.html#unexpected-eof"
            ),
            "peer closed connection without sending TLS close_notify"
        );
    }
}
