//! A hostile or broken server on 127.0.0.1, for what azreg must survive: a body without end, a
//! body that drips a byte a second, answers laden with terminal escapes, and answers that echo
//! the secret back. Plain HTTP; each connection in its own thread; it stops with the test.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 200 with a body of `bytes` bytes, streamed without a length.
    Huge { bytes: u64 },
    /// 200, then one byte a second for ever.
    Drip,
    /// Every string field full of escape sequences (window title, OSC 52, screen clear, bidi).
    Escapes,
    /// Error answers that quote the secret from the request, but for its last character.
    Echo,
}

pub struct Hostile {
    pub port: u16,
    /// Bytes of body sent, over all connections.
    pub sent: Arc<Mutex<u64>>,
}

pub const NASTY: &str =
    "\u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil";

fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut len = 0;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((line, String::from_utf8_lossy(&body).into_owned()))
}

fn handle(mut stream: TcpStream, mode: Mode, sent: Arc<Mutex<u64>>) {
    let Some((line, body)) = read_request(&stream) else {
        return;
    };
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
    match mode {
        Mode::Huge { bytes } => {
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = vec![b'a'; 64 * 1024];
            let mut left = bytes;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                if stream.write_all(&chunk[..n]).is_err() {
                    return;
                }
                *sent.lock().unwrap() += n as u64;
                left -= n as u64;
            }
        }
        Mode::Drip => {
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..600 {
                if stream.write_all(b"{").is_err() {
                    return;
                }
                *sent.lock().unwrap() += 1;
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        Mode::Escapes => {
            let j = |s: &str| serde_json::Value::from(s).to_string();
            let nasty = j(NASTY);
            let (status, answer) = if line.contains("openid-configuration") {
                (200, format!(r#"{{"issuer": {nasty}}}"#))
            } else {
                (
                    400,
                    format!(
                        r#"{{"error": {nasty}, "error_codes": [1234567], "trace_id": {nasty}, "correlation_id": {nasty}}}"#
                    ),
                )
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
        Mode::Echo => {
            // Quote what came in, as a careless server would: the secret but for its last
            // character, in every string field.
            let secret = body
                .split('&')
                .find_map(|kv| kv.strip_prefix("client_secret="))
                .map(|v| {
                    url::form_urlencoded::parse(format!("x={v}").as_bytes())
                        .next()
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default()
                })
                .unwrap_or_default();
            let part: String = secret
                .chars()
                .take(secret.chars().count().saturating_sub(1))
                .collect();
            let j = |s: String| serde_json::Value::from(s).to_string();
            let (status, answer) = if line.contains("openid-configuration") {
                (200, r#"{"issuer": "https://login.example.test/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff/v2.0"}"#.to_string())
            } else {
                (
                    400,
                    format!(
                        r#"{{"error": {}, "error_codes": [1234567], "trace_id": {}, "correlation_id": {}}}"#,
                        j(format!("bad secret {part}")),
                        j(part.clone()),
                        j(format!("x{part}y"))
                    ),
                )
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    }
}

impl Hostile {
    pub fn start(mode: Mode) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sent = Arc::new(Mutex::new(0));
        let total = sent.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let total = total.clone();
                std::thread::spawn(move || handle(stream, mode, total));
            }
        });
        Hostile { port, sent }
    }

    pub fn authority(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
