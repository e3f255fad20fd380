//! Shared helpers: the real binary in a real pseudo-terminal, its screen read through vt100.
#![allow(dead_code)]

pub mod az;
pub mod graph;
pub mod hostile;
pub mod schema;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_azreg");

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for checks on raw escape sequences.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Start azreg with `args` in a `cols` x `rows` terminal; `env` adds or (with `None`)
    /// removes variables.
    pub fn spawn(args: &[&str], env: &[(&str, Option<&str>)], cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for var in [
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "NO_COLOR",
            "LANG",
            "LC_ALL",
            "LC_MESSAGES",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            }
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn azreg");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            parser,
            raw,
            writer,
            child,
            master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Wait until the screen shows `text`; panics with the screen after `secs`.
    pub fn wait_for(&self, text: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {text:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until every one of `texts` is on the screen at once, and returns that screen: a
    /// test asserts on a frame that has arrived whole, never on one still being drawn.
    pub fn wait_all(&self, texts: &[&str], secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            if Instant::now() > deadline {
                let missing: Vec<_> = texts.iter().filter(|t| !screen.contains(*t)).collect();
                panic!("timed out waiting for {missing:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let the program handle one input before the next, as a person's typing would.
        std::thread::sleep(Duration::from_millis(40));
    }

    /// Esc on its own: a key right behind it in the same read would make it Alt+key (the
    /// terminal's old ambiguity), so give the program time to read it alone.
    pub fn esc(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Write bytes without waiting.
    pub fn send_raw(&mut self, bytes: &str) {
        let _ = self.writer.write_all(bytes.as_bytes());
        let _ = self.writer.flush();
    }

    /// Type text as one bracketed paste.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        // vt100 itself overflows on 1-column screens; below 10x5 the parser keeps its size
        // (only azreg's own behaviour at those sizes is under test).
        if cols >= 10 && rows >= 5 {
            self.parser.lock().unwrap().screen_mut().set_size(
                std::num::NonZeroU16::new(rows).unwrap(),
                std::num::NonZeroU16::new(cols).unwrap(),
            );
        }
    }

    /// Resize the pseudo-terminal only: the screen parser keeps its size (for sizes it could
    /// not hold, like 65535x65535).
    pub fn resize_pty_only(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// Wait for the process to end and give its exit code.
    pub fn wait_exit(&mut self, secs: u64) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The last bytes (the terminal given back) may still be on their way through
                // the reader thread: wait until no more arrive, as a loaded machine is slow.
                let mut seen = self.raw.lock().unwrap().len();
                for _ in 0..30 {
                    std::thread::sleep(Duration::from_millis(100));
                    let now = self.raw.lock().unwrap().len();
                    if now == seen {
                        break;
                    }
                    seen = now;
                }
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("azreg did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL, no chance to clean up (portable-pty's own kill sends SIGHUP first).
    pub fn sigkill(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let _ = self.child.wait();
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

pub fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// A loopback port where nothing listens.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A server on loopback that takes every connection and never answers: `http://127.0.0.1:PORT`.
pub fn black_hole() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            held.push(s);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// An HTTP proxy that records the first line of each request (`CONNECT host:443 ...` for a
/// tunnel, a whole URL for plain HTTP) and refuses it (502): where it sees nothing, nothing
/// went through it.
pub struct ProxyRecorder {
    pub url: String,
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl ProxyRecorder {
    pub fn start() -> ProxyRecorder {
        use std::io::BufRead;
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://127.0.0.1:{}", l.local_addr().unwrap().port());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for mut s in l.incoming().flatten() {
                let mut line = String::new();
                let _ = std::io::BufReader::new(&s).read_line(&mut line);
                log.lock().unwrap().push(line.trim().to_string());
                let _ = s.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            }
        });
        ProxyRecorder { url, seen }
    }

    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// The walkthrough on `file` in a pseudo-terminal (100x32) with `extra` arguments, its Graph
/// the stand-in's, copies as OSC 52, fast retries, outside tmux.
pub fn walkthrough(s: &graph::StandIn, file: &std::path::Path, extra: &[&str]) -> Pty {
    let graph = s.graph_url();
    let mut args = vec![
        "--file",
        arg(file),
        "--graph",
        &graph,
        "--clipboard",
        "osc52",
    ];
    args.extend_from_slice(extra);
    Pty::spawn(
        &args,
        &[
            ("SSL_CERT_FILE", Some(arg(&s.ca_file))),
            ("AZREG_RETRY_FIRST_MS", Some(graph::FAST_RETRY_MS)),
            ("TMUX", None),
        ],
        100,
        32,
    )
}

/// Runs `cmd` with `input` on its stdin (then closed) and waits for it, output captured.
pub fn fed(cmd: &mut std::process::Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}
