//! A stand-in for Entra ID on 127.0.0.1: answers as the real service does for each scenario
//! and records every request.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Success,
    UnknownTenant,
    MalformedTenant,
    WrongClientId,
    SecretIdAsSecret,
    ExpiredSecret,
    /// The app exists but has no service principal (since 2026-03-31: AADSTS7000229).
    NoServicePrincipal,
    /// Admin consent required (AADSTS90094).
    ConsentRequired,
    OtherError,
    /// The SPA URI is not registered.
    SpaNotRegistered,
    ServerError,
    NeverAnswers,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub body: String,
}

pub struct Entra {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

pub const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.SECRET-TOKEN-PAYLOAD.sig";

fn error(code: u64, error: &str) -> String {
    format!(
        r#"{{"error":"{error}","error_description":"AADSTS{code}: described. Trace ID: t1","error_codes":[{code}],"timestamp":"2026-11-26 10:00:00Z","trace_id":"trace-1234","correlation_id":"corr-5678"}}"#
    )
}

fn answer(s: Scenario, method: &str, target: &str) -> Option<(u16, String)> {
    use Scenario::*;
    let path = target.split('?').next().unwrap_or("");
    let tenant = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if s == ServerError {
        return Some((500, "<html>Internal Server Error</html>".into()));
    }
    if s == NeverAnswers {
        return None;
    }
    if path.ends_with("/.well-known/openid-configuration") {
        return Some(match s {
            UnknownTenant => (400, error(90002, "invalid_tenant")),
            MalformedTenant => (400, error(900023, "invalid_request")),
            _ => (
                200,
                format!(
                    r#"{{"issuer":"https://login.example.test/{tenant}/v2.0","token_endpoint":"https://login.example.test/{tenant}/oauth2/v2.0/token"}}"#
                ),
            ),
        });
    }
    if method == "POST" && path.ends_with("/oauth2/v2.0/token") {
        return Some(match s {
            WrongClientId => (400, error(700016, "unauthorized_client")),
            SecretIdAsSecret => (401, error(7000215, "invalid_client")),
            ExpiredSecret => (401, error(7000222, "invalid_client")),
            NoServicePrincipal => (400, error(7000229, "invalid_client")),
            ConsentRequired => (400, error(90094, "invalid_grant")),
            OtherError => (400, error(1234567, "weird_error")),
            _ => (
                200,
                format!(r#"{{"token_type":"Bearer","expires_in":3599,"access_token":"{TOKEN}"}}"#),
            ),
        });
    }
    if path.ends_with("/oauth2/v2.0/authorize") {
        if s == SpaNotRegistered && target.contains("oauth2callback.html") {
            return Some((
                200,
                "<html><body>AADSTS50011: The redirect URI specified in the request does not match.</body></html>".into(),
            ));
        }
        return Some((302, String::new()));
    }
    Some((404, "{}".into()))
}

fn handle(mut stream: TcpStream, s: Scenario, log: Arc<Mutex<Vec<Recorded>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let mut target = parts.next().unwrap_or("").to_string();
    // A tunnel through a proxy (https): say so and refuse it.
    if method == "CONNECT" {
        log_proxied(&log);
        let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    // A request through a proxy names the whole URL ("absolute form").
    if let Some(rest) = target.strip_prefix("http://") {
        target = rest.find('/').map_or("/".into(), |i| rest[i..].to_string());
        log_proxied(&log);
    }
    let mut len = 0;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    log.lock().unwrap().push(Recorded {
        method: method.clone(),
        target: target.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    match answer(s, &method, &target) {
        None => std::thread::sleep(Duration::from_secs(30)),
        Some((status, body)) => {
            let location = if status == 302 {
                "Location: https://portal.example.com/?code=x\r\n"
            } else {
                ""
            };
            let resp = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{location}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(resp.as_bytes());
        }
    }
}

fn log_proxied(log: &Arc<Mutex<Vec<Recorded>>>) {
    log.lock().unwrap().push(Recorded {
        method: "PROXIED".into(),
        target: String::new(),
        body: String::new(),
    });
}

impl Entra {
    pub fn start(s: Scenario) -> Entra {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                std::thread::spawn(move || handle(stream, s, log));
            }
        });
        Entra { port, requests }
    }

    pub fn authority(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

/// A loopback port where nothing listens.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
