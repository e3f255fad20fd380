//! Faults, bad input and a second instance, against the real binary in a pseudo-terminal.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{BIN, Pty, arg};

const SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";

fn progress_with_secret(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("p.toml");
    std::fs::write(
        &file,
        format!("version = 1\n[values]\nclient_secret = \"{SECRET}\"\n"),
    )
    .unwrap();
    file
}

#[test]
fn a_second_instance_is_refused_but_reading_works() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut first = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    first.wait_for("0/23", 10);
    let pid = first.pid().unwrap();
    let second = Command::new(BIN)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--file")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(3));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains(&format!("already open in another azreg (pid {pid})")),
        "{err}"
    );
    for sub in ["status", "check", "export", "steps"] {
        let o = Command::new(BIN)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .arg("--file")
            .arg(&file)
            .arg(sub)
            .args(if sub == "export" {
                &["--allow-incomplete"][..]
            } else {
                &[]
            })
            .output()
            .unwrap();
        assert!(
            o.status.code() == Some(0) || (sub == "check" && o.status.code() == Some(1)),
            "{sub}"
        );
    }
    let mut child = Command::new(BIN)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--file")
        .arg(&file)
        .arg("import")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666"}"#)
        .unwrap();
    let import = child.wait_with_output().unwrap();
    assert_eq!(import.status.code(), Some(3), "import writes: refused too");
    // ... and keeps what it read beside the file, for the walkthrough to take in.
    let err = String::from_utf8_lossy(&import.stderr);
    assert!(err.contains("are kept in"), "{err}");
    assert_eq!(azreg::io::kept::pending(&file).len(), 1);
    first.send("q");
    assert_eq!(first.wait_exit(10), 0);
    // Released on exit.
    let o = Command::new(BIN)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--file")
        .arg(&file)
        .arg("reset")
        .arg("--yes")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_failed_save_is_shown_kept_in_memory_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    std::fs::create_dir(&state).unwrap();
    let file = state.join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    // The directory goes away and a file takes its place: every save fails (even for root).
    let moved = dir.path().join("state.moved");
    std::fs::rename(&state, &moved).unwrap();
    std::fs::write(&state, "in the way").unwrap();
    pty.send("j");
    pty.wait_for("not saved:", 5);
    pty.send("j");
    pty.wait_for("Step 2 of 23", 5);
    assert!(pty.screen().contains("not saved:"), "the message lasts");
    pty.send("q");
    pty.wait_for("Changes are not saved", 5);
    pty.esc(); // stay
    std::fs::remove_file(&state).unwrap();
    std::fs::rename(&moved, &state).unwrap();
    pty.send("j");
    pty.wait_for("Saved again: nothing was lost", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("current = \"open-entra-id\""), "{saved}");
}

#[test]
fn quitting_unsaved_can_write_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    std::fs::create_dir(&state).unwrap();
    let file = state.join("p.toml");
    let rescue = dir.path().join("rescue.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    std::fs::rename(&state, dir.path().join("gone")).unwrap();
    std::fs::write(&state, "in the way").unwrap();
    pty.send("jj");
    pty.wait_for("not saved:", 5);
    pty.send("q");
    pty.wait_for("Changes are not saved", 5);
    pty.send("w");
    pty.wait_for("Write the progress to", 5);
    pty.send("\x15"); // Ctrl-U clears the suggestion
    pty.send(arg(&rescue));
    pty.send("\r");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&rescue).unwrap();
    assert!(saved.contains("current = \"choose-route\""), "{saved}");
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(
        raw.contains("your progress was written to"),
        "farewell missing"
    );
}

#[test]
fn hostile_pastes_are_refused_and_never_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 100, 30);
    pty.wait_for("0/23", 10);
    pty.send("\t\r"); // edit the portal URL
    let before = pty.raw().len();
    pty.paste("\x1b]0;pwned\x07");
    pty.wait_for("Paste refused", 5);
    for evil in ["a\u{0}b", "line\nbreak", "abc\u{202e}def", "\x1b[31mred"] {
        pty.paste(evil);
        pty.wait_for("Paste refused", 5);
    }
    let raw = pty.raw()[before..].to_vec();
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        !raw.contains("\x1b]0;pwned"),
        "a title sequence reached the terminal"
    );
    assert!(
        !raw.contains('\u{202e}'),
        "a bidi control reached the terminal"
    );
    // A megabyte: refused at once, and the screen still answers.
    let big = "x".repeat(1 << 20);
    let start = Instant::now();
    pty.paste(&big);
    pty.wait_for("far more than any value", 10);
    let took = start.elapsed();
    pty.esc(); // leave the editor
    pty.esc(); // back to the checklist
    pty.send("j");
    pty.wait_for("Step 1 of 23", 5);
    assert!(took < Duration::from_secs(5), "{took:?}");
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap_or_default()
            .contains("pwned")
    );
}

#[test]
fn wide_and_combining_text_keeps_the_borders_straight() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    pty.send("jjjjj"); // step 5
    pty.send("\t\r");
    pty.paste("日本語ポータル 🙂 Cafe\u{301} تطبيق");
    pty.send("\r");
    pty.wait_for("App name in Azure saved", 5);
    let screen = pty.screen();
    // The checklist's right border sits in the same column on every row of the list.
    let col = 31;
    for (i, row) in screen.lines().enumerate().skip(1).take(20) {
        let cells: Vec<char> = row.chars().collect();
        let width: usize = row
            .chars()
            .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
            .sum();
        assert!(width <= 80, "row {i} too wide: {row}");
        if cells.len() > col {
            let at: usize = row
                .chars()
                .scan(0, |w, c| {
                    let start = *w;
                    *w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    Some((start, c))
                })
                .find(|(_, c)| *c == '│')
                .map(|(s, _)| s)
                .unwrap_or(usize::MAX);
            assert_eq!(at, col, "row {i}: {row}");
        }
    }
    pty.esc();
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn rapid_resizes_and_tiny_sizes_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    let sizes = [
        (1, 1),
        (500, 200),
        (2, 1),
        (59, 15),
        (60, 16),
        (300, 3),
        (7, 90),
        (120, 40),
    ];
    for round in 0..40 {
        let (c, r) = sizes[round % sizes.len()];
        pty.resize(c, r);
        std::thread::sleep(Duration::from_millis(5));
    }
    pty.resize(80, 24);
    pty.wait_for("0/23", 5);
    std::thread::sleep(Duration::from_millis(100));
    pty.send("j");
    pty.wait_for("Step 1 of 23", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn sighup_and_sigint_save_and_exit_with_128_plus_signal() {
    for (sig, code) in [("HUP", 129), ("INT", 130), ("TERM", 143)] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
        pty.wait_for("0/23", 10);
        pty.send("jjj");
        pty.wait_for("Step 3 of 23", 5);
        let pid = pty.pid().unwrap().to_string();
        Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .unwrap();
        assert_eq!(pty.wait_exit(10), code, "SIG{sig}");
        let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
        assert!(
            raw.ends_with("\x1b[?25h") || raw.contains("\x1b[?1049l"),
            "SIG{sig}: terminal not restored"
        );
        let saved = std::fs::read_to_string(&file).unwrap();
        assert!(
            saved.contains("current = \"open-entra-id\""),
            "SIG{sig}: {saved}"
        );
    }
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_redraws_on_resume() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    let before = pty.raw().len();
    pty.send("\x1a"); // Ctrl-Z
    // Outside a job-control shell the stop is discarded or ends with SIGCONT; either way azreg
    // takes the terminal back and draws everything again.
    let pid = pty.pid().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(200));
    Command::new("kill").args(["-CONT", &pid]).status().unwrap();
    pty.wait_for("0/23", 5);
    let raw = String::from_utf8_lossy(&pty.raw()[before..]).into_owned();
    let left = raw.find("\x1b[?1049l").expect("left the alternate screen");
    let back = raw[left..].find("\x1b[?1049h").expect("came back to it");
    assert!(
        raw[left + back..].contains("Before you start"),
        "redrawn whole"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

#[test]
fn a_panic_restores_the_terminal_and_leaks_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = progress_with_secret(dir.path());
    let mut pty = Pty::spawn(
        &["--file", arg(&file)],
        &[("AZREG_TEST_PANIC", Some("1"))],
        100,
        30,
    );
    let code = pty.wait_exit(10);
    assert_eq!(code, 101, "a panic exits with 101");
    std::thread::sleep(Duration::from_millis(100));
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("azreg test panic"), "{raw:?}");
    let restored = raw.rfind("\x1b[?1049l").expect("alternate screen left");
    assert!(
        restored < raw.find("azreg test panic").unwrap(),
        "restored before the message"
    );
    assert!(!raw.contains(SECRET), "the secret reached the terminal");
    assert!(
        !raw.contains("abc8Q~"),
        "part of the secret reached the terminal"
    );
}

/// A small tmpfs of our own, unmounted when dropped.
struct Mount(std::path::PathBuf);

impl Mount {
    /// `None`, with the reason printed, where mounting is not allowed (not root).
    fn tmpfs(dir: &std::path::Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            let why = "cannot mount a tmpfs here (needs root) to make a full or read-only disk";
            // CI runs as root and must run this test, not skip it.
            if std::env::var_os("AZREG_REQUIRE_TMPFS").is_some() {
                panic!("{why}, and AZREG_REQUIRE_TMPFS is set");
            }
            eprintln!("SKIPPED: {why}");
            return None;
        }
        Some(Mount(dir.to_path_buf()))
    }

    fn remount(&self, mode: &str) {
        let st = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success(), "remount {mode}");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The walkthrough at step 1, its progress file on a 256 KiB tmpfs of its own (`None`, with
/// the reason printed, where no tmpfs can be mounted).
fn walking_on_a_small_disk() -> Option<(tempfile::TempDir, Mount, std::path::PathBuf, Pty)> {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    let mount = Mount::tmpfs(&mnt, "256k")?;
    let file = mnt.join("p.toml");
    let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
    pty.wait_for("0/23", 10);
    pty.send("j");
    pty.wait_for("Step 1 of 23", 5);
    Some((dir, mount, file, pty))
}

#[test]
fn a_full_disk_and_a_read_only_directory_lose_nothing() {
    let Some((_dir, mount, file, mut pty)) = walking_on_a_small_disk() else {
        return;
    };

    // Disk full: fill the tmpfs to the last byte.
    let fill = file.with_file_name("fill");
    let _ = std::fs::write(&fill, vec![0u8; 512 * 1024]);
    pty.send("j");
    pty.wait_for("not saved: No space left on device", 5);
    std::fs::remove_file(&fill).unwrap();
    pty.send("j");
    pty.wait_for("Saved again: nothing was lost", 5);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("current = \"open-entra-id\""), "{saved}");

    // Read-only: the same, then writable again.
    mount.remount("ro");
    pty.send("j");
    pty.wait_for("not saved: Read-only file system", 5);
    pty.send("j");
    pty.wait_for("Step 5 of 23", 5);
    mount.remount("rw");
    pty.send("k");
    pty.wait_for("Saved again: nothing was lost", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("current = \"open-app-registrations\""),
        "{saved}"
    );
}

mod process {
    use super::*;

    /// Signals that would end azreg: it saves, gives the terminal back (alternate screen left,
    /// mouse reporting off, cursor shown) and exits 128+n; QUIT dumps no core.
    #[test]
    fn every_ending_signal_restores_the_terminal() {
        for (sig, n) in [("QUIT", 3), ("USR1", 10), ("USR2", 12), ("ALRM", 14)] {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("p.toml");
            let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
            pty.wait_for("Before you start", 10);
            let pid = pty.pid().unwrap().to_string();
            // No core file may ever hold the secret.
            let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
            let core = limits
                .lines()
                .find(|l| l.starts_with("Max core file size"))
                .unwrap();
            assert!(
                core.split_whitespace().filter(|w| *w == "0").count() >= 2,
                "{core}"
            );
            Command::new("kill")
                .args(["-s", sig, &pid])
                .status()
                .unwrap();
            assert_eq!(pty.wait_exit(10), 128 + n, "{sig}");
            let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
            let tail = &raw[raw.rfind("\x1b[?1049h").unwrap_or(0)..];
            for off in ["\x1b[?1049l", "\x1b[?1000l", "\x1b[?25h"] {
                assert!(tail.contains(off), "{sig}: {off:?} missing at the end");
            }
            assert!(!dir.path().join("core").exists());
        }
    }

    #[test]
    fn a_huge_window_is_drawn_clamped_and_does_not_abort() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        let mut pty = Pty::spawn(&["--file", arg(&file)], &[], 80, 24);
        pty.wait_for("Before you start", 10);
        pty.resize_pty_only(65535, 65535);
        std::thread::sleep(std::time::Duration::from_millis(500));
        pty.resize(80, 24);
        std::thread::sleep(std::time::Duration::from_millis(300));
        pty.send("q");
        // A debug build draws a 1000x500 frame slowly on a loaded machine: time enough.
        assert_eq!(pty.wait_exit(30), 0, "{}", pty.screen());
    }
}

/// Quitting saves: after a failed save, "quit anyway" still writes what it can on the way out
/// (here the disk is writable again by then), so the last change is not lost.
#[test]
fn quitting_saves_the_last_change() {
    let Some((_dir, mount, file, mut pty)) = walking_on_a_small_disk() else {
        return;
    };
    mount.remount("ro");
    pty.send("j");
    pty.wait_for("not saved: Read-only file system", 5);
    mount.remount("rw");
    // No key since: only the quit can save the move to step 2.
    pty.send("q");
    pty.wait_for("Changes are not saved", 5);
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("current = \"choose-route\""), "{saved}");
}
