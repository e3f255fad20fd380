//! HTTP for the live check: the client, requests, and bodies read within bounds.

use std::time::Duration;

use url::Url;

use crate::i18n::{L, Lang};
use crate::tr;

/// The most of an answer's body read (an error page is a few kilobytes).
pub(super) const MAX_BODY: usize = 256 * 1024;

/// An HTTP client for the checks: rustls with the ring provider, no redirects followed,
/// a timeout per request; HTTPS_PROXY and friends are honoured by reqwest, except for a
/// loopback authority, which a proxy must never see (plain http there carries the secret).
pub fn client(timeout: Duration, authority: &Url) -> Result<reqwest::Client, String> {
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
        .map_err(|e| format!("cannot set up HTTPS: {}", chain(&e)))
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
pub(super) fn chain(e: &dyn std::error::Error) -> String {
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

pub fn unreachable(url: &Url, e: &reqwest::Error, lang: Lang) -> String {
    let host = url.host_str().unwrap_or("the authority");
    let reason = if e.is_timeout() {
        L::new("no answer in time", "keine Antwort in der Zeit")
            .get(lang)
            .to_string()
    } else {
        innermost(&chain(e)).to_string()
    };
    tr!(
        lang,
        "could not reach {host}: {reason}",
        "{host} nicht erreichbar: {reason}",
        host = host,
        reason = reason,
    )
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

/// Send a request and read its answer; a transport failure or a server error is the reason
/// the service counts as unreachable.
pub async fn fetch(
    request: reqwest::RequestBuilder,
    url: &Url,
    lang: Lang,
) -> Result<(reqwest::StatusCode, String), String> {
    let resp = request
        .send()
        .await
        .map_err(|e| unreachable(url, &e, lang))?;
    let status = resp.status();
    let body = read_body(resp)
        .await
        .map_err(|e| unreachable(url, &e, lang))?;
    if status.is_server_error() {
        let (host, code) = (url.host_str().unwrap_or(""), status.as_u16());
        return Err(tr!(
            lang,
            "{host} answered with a server error (HTTP {code}): try again later",
            "{host} antwortete mit einem Serverfehler (HTTP {code}): versuchen Sie es später noch einmal",
            host = host,
            code = code,
        ));
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
mod tests {
    use super::*;

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
