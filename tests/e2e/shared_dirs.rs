//! Files in a shared directory, as an attacker would plant them, and odd files: the real binary
//! must neither write through them nor hang on them.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");
const JSON: &str = r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666"}"#;

fn azreg(file: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--file").arg(file).args(args);
    for v in ["LANG", "LC_ALL", "LC_MESSAGES"] {
        cmd.env_remove(v);
    }
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        use std::io::Write;
        let _ = child.stdin.take().unwrap().write_all(input);
    }
    child.wait_with_output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A shared, sticky directory like /tmp, and a victim file elsewhere.
fn shared() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    (dir, shared, victim)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn a_planted_lock_link_is_not_written_through() {
    let (_d, shared, victim) = shared();
    let file = shared.join("x.toml");
    std::os::unix::fs::symlink(&victim, shared.join("x.toml.lock")).unwrap();
    let o = azreg(&file, &["import"], Some(JSON.as_bytes()));
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("symbolic link"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn a_planted_backup_does_not_receive_the_progress() {
    let (_d, shared, _) = shared();
    let file = shared.join("old.toml");
    // An older layout, so the first save keeps a backup.
    std::fs::write(
        &file,
        "done = [\"sign-in\"]\n[values]\nclient_secret = \"abc8Q~abcdefghijklmnopqrstuvwxyz0123456_\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let planted = shared.join("old.toml.bak");
    std::fs::write(&planted, "mine").unwrap();
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
    if is_root() {
        std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
    }
    let o = azreg(&file, &["import"], Some(JSON.as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&planted).unwrap(), "mine");
    // The backup went under a new name of its own, private.
    let backups: Vec<PathBuf> = std::fs::read_dir(&shared)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("old.toml.bak-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let meta = std::fs::metadata(&backups[0]).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&backups[0])
            .unwrap()
            .contains("client_secret")
    );
}

#[test]
fn a_lock_or_progress_file_of_another_user_is_refused_clearly() {
    if !is_root() {
        eprintln!("SKIPPED: giving a file to another user needs root here");
        return;
    }
    let (_d, shared, _) = shared();
    let file = shared.join("x.toml");
    let lock = shared.join("x.toml.lock");
    std::fs::write(&lock, "1").unwrap();
    std::os::unix::fs::chown(&lock, Some(65534), Some(65534)).unwrap();
    let o = azreg(&file, &["import"], Some(JSON.as_bytes()));
    assert_eq!(o.status.code(), Some(3));
    assert!(err(&o).contains("another user (uid 65534)"), "{}", err(&o));
    assert!(!err(&o).contains("pid 1"), "{}", err(&o));
    std::fs::remove_file(&lock).unwrap();
    std::fs::write(&file, "version = 1\n").unwrap();
    std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
    let o = azreg(&file, &["status"], None);
    assert_eq!(o.status.code(), Some(3));
    assert!(err(&o).contains("another user"), "{}", err(&o));
}

#[test]
fn a_symlinked_progress_file_stays_a_link_and_its_target_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.toml");
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink("real.toml", &link).unwrap();
    let o = azreg(&link, &["import"], Some(JSON.as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().contains("0b1c2d3e"));
    // And again, now that the target exists.
    let o = azreg(
        &link,
        &["import"],
        Some(br#"{"tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"}"#),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.contains("0b1c2d3e") && text.contains("9f8e7d6c"),
        "{text}"
    );
}

#[test]
fn fifos_devices_and_endless_input_neither_hang_nor_grow() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let start = Instant::now();
    for args in [&["status"][..], &["--reset-bad-file", "import"]] {
        let o = azreg(&fifo, args, Some(JSON.as_bytes()));
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("FIFO"), "{}", err(&o));
    }
    assert!(fifo.exists(), "--reset-bad-file moved the FIFO");
    let o = azreg(Path::new("/dev/zero"), &["status"], None);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("device"), "{}", err(&o));
    // /dev/zero on --secret-stdin: read up to a bound, then refused.
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "version = 1\n[values]\nclient_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\ntenant_id = \"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff\"\n",
    )
    .unwrap();
    let o = Command::new(BIN)
        .args([
            "verify",
            "--secret-stdin",
            "--authority",
            "http://127.0.0.1:9",
            "--file",
        ])
        .arg(&file)
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("longer than any client secret"),
        "{}",
        err(&o)
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn two_resets_in_one_second_keep_both_backups_privately() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    for n in 0..2 {
        std::fs::write(
            &file,
            format!("version = 1\n[values]\napp_name = \"run{n}\"\n"),
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = azreg(&file, &["reset", "--yes"], None);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    }
    let backups: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("p.toml.bak-"))
        .collect();
    assert_eq!(backups.len(), 2, "{backups:?}");
    for b in &backups {
        let m = std::fs::metadata(b).unwrap().permissions().mode();
        assert_eq!(m & 0o777, 0o600, "{b:?}");
    }
    // A bad file moved aside is private too.
    std::fs::write(&file, "garbage [").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = azreg(
        &file,
        &["--reset-bad-file", "import"],
        Some(JSON.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let bad: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".bad-"))
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(
        std::fs::metadata(&bad[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_world_writable_directory_without_the_sticky_bit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = azreg(&open.join("p.toml"), &["import"], Some(JSON.as_bytes()));
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("others may write to"), "{}", err(&o));
}
