//! Security round three: the attacks of a second local user (played by uid 65534 through
//! `setpriv`, as root may), of a hostile progress file, and of a hostile Graph, each against
//! the real binary and the stand-in.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use crate::common::graph::{Options, StandIn, which};

fn progress_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, crate::common::graph::APPLY_PROGRESS).unwrap();
    (dir, file)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Skip (saying why) unless `AZREG_REQUIRE_SETPRIV` asks for the test to run.
fn skip(why: &str) {
    assert!(
        std::env::var_os("AZREG_REQUIRE_SETPRIV").is_none(),
        "{why}, and AZREG_REQUIRE_SETPRIV is set"
    );
    eprintln!("SKIPPED: {why}");
}

/// A second user can be played here: root, with setpriv and the system's python3.
fn second_user() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        skip("not root: no second user to play");
        return false;
    }
    if which("setpriv").is_none() || !Path::new("/usr/bin/python3").exists() {
        skip("setpriv or /usr/bin/python3 missing");
        return false;
    }
    true
}

fn ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// A browser script: `$port` is azreg's loopback port, `$1` the authorize link.
fn browser(dir: &Path, body: &str) -> PathBuf {
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/bash\n\
             port=$(printf %s \"$1\" | sed -n 's/.*redirect_uri=http%3A%2F%2Flocalhost%3A\\([0-9]*\\).*/\\1/p')\n\
             {body}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    script
}

/// A browser that prefers IPv6 delivers the code to [::1]: azreg listens there too, on the
/// same port, so another user cannot take it and wait for the code.
#[test]
fn the_code_reaches_azreg_on_ipv6_and_another_user_cannot_take_that_port() {
    if !second_user() {
        return;
    }
    if !ipv6_loopback() {
        skip("this machine has no IPv6 loopback");
        return;
    }
    let s = StandIn::start(Options::default());
    let (dir, file) = progress_file();
    let Some(mut cmd) = s.browser_apply(&file) else {
        return;
    };
    let d = dir.path().display();
    let ca = s.ca_file.display();
    let script = browser(
        dir.path(),
        &format!(
            "setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c \"\n\
import socket\n\
s = socket.socket(socket.AF_INET6)\n\
try:\n    s.bind(('::1', $port)); print('bound')\n\
except OSError as e:\n    print('refused', e.errno)\n\" > {d}/attacker.txt 2>&1\n\
             loc=$(curl --silent --cacert {ca} --output /dev/null --write-out '%{{redirect_url}}' \"$1\")\n\
             loc6=$(printf %s \"$loc\" | sed 's#^http://localhost:#http://[::1]:#')\n\
             printf %s \"$loc6\" > {d}/delivered-to.txt\n\
             exec curl --silent --globoff --max-time 10 --output {d}/browser-page.html \"$loc6\""
        ),
    );
    cmd.env("BROWSER", &script);
    let o = cmd.output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    let delivered = std::fs::read_to_string(dir.path().join("delivered-to.txt")).unwrap();
    assert!(delivered.starts_with("http://[::1]:"), "{delivered}");
    let attacker = std::fs::read_to_string(dir.path().join("attacker.txt")).unwrap();
    assert_eq!(
        attacker.trim(),
        format!("refused {}", libc::EADDRINUSE),
        "the other user's bind"
    );
    assert_eq!(s.apps().len(), 1);
}

/// Idle connections and one that trickles a byte a second at the loopback port: each is
/// served on its own task, so the real answer signs in at once (one at a time, three idle ones
/// held it up 30 s, and a steady trickle until the timeout).
#[test]
fn idle_and_trickling_connections_do_not_hold_the_answer_up() {
    let s = StandIn::start(Options::default());
    let (dir, file) = progress_file();
    let Some(mut cmd) = s.browser_apply(&file) else {
        return;
    };
    let d = dir.path().display();
    let ca = s.ca_file.display();
    let script = browser(
        dir.path(),
        &format!(
            "for i in 1 2 3; do (exec 3<>/dev/tcp/127.0.0.1/$port; sleep 90) >/dev/null 2>&1 & echo $! >> {d}/pids; done\n\
             (exec 3<>/dev/tcp/127.0.0.1/$port; for i in $(seq 90); do printf G >&3; sleep 1; done) >/dev/null 2>&1 & echo $! >> {d}/pids\n\
             sleep 0.5\n\
             exec curl --silent --location --max-time 10 --cacert {ca} --output {d}/browser-page.html \"$1\""
        ),
    );
    cmd.env("BROWSER", &script);
    let started = Instant::now();
    let o = cmd.output().unwrap();
    let took = started.elapsed();
    for pid in std::fs::read_to_string(dir.path().join("pids"))
        .unwrap_or_default()
        .lines()
    {
        let _ = std::process::Command::new("kill").arg(pid).status();
    }
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    // Well inside the 10 s one idle connection alone used to cost.
    assert!(took < Duration::from_secs(9), "took {took:?}");
    assert_eq!(s.apps().len(), 1);
}

/// Another user plants `<file>.import-….json` beside a progress file in a sticky directory
/// (/tmp): the walkthrough does not offer it, and nothing of it reaches the record.
#[test]
fn an_import_planted_by_another_user_is_never_offered() {
    if !second_user() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let file = dir.path().join("p.toml");
    let planted = dir.path().join("p.toml.import-1-1-0.json");
    // Written by the other user, as that user, mode 0600 like azreg's own.
    let o = std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/usr/bin/python3",
            "-c",
        ])
        .arg(format!(
            "import os\nfd = os.open({:?}, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)\nos.write(fd, b'{{\"appId\": \"0b1c2d3e-1111-2222-3333-444455556666\", \"tenant\": \"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff\", \"password\": \"evil8Q~abcdefghijklmnopqrstuvwxyz0123456\", \"azreg\": \"script-bash\"}}')",
            planted.display().to_string()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    // The plain walkthrough asks about an import first; here there is nothing to ask.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
        .args(["--plain", "--file"])
        .arg(&file)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"y\nquit\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let t = text(&o);
    assert!(!t.contains("Take it in now?"), "{t}");
    let saved = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(!saved.contains("0b1c2d3e"), "{saved}");
    assert!(!saved.contains("evil8Q"), "{saved}");
    assert!(planted.exists(), "another user's file is left alone");
}

/// The same in plain mode for a file of azreg's own: asked in words (Enter never takes it in
/// unseen), taken on `y`, and removed once saved, as the full screen does.
#[test]
fn plain_mode_asks_about_an_import_and_removes_the_file_it_took() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666", "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"}"#,
    )
    .unwrap();
    let run = |input: &[u8]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
            .args(["--plain", "--file"])
            .arg(&file)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(input)?;
                c.wait_with_output()
            })
            .unwrap()
    };
    let kept = azreg::io::kept::keep_aside(&file, &obj).unwrap();
    // No: nothing taken, the file stays for later.
    let o = run(b"n\nquit\n");
    assert!(text(&o).contains("Take it in now? (y/n)"), "{}", text(&o));
    assert!(kept.exists());
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap_or_default()
            .contains("0b1c2d3e")
    );
    // Yes: taken in, saved, and the file is gone (not offered again).
    let o = run(b"y\nquit\n");
    assert!(
        text(&o).contains("Took in the imported values"),
        "{}",
        text(&o)
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains("0b1c2d3e"));
    assert!(!kept.exists(), "the import file is removed once saved");
    let o = run(b"quit\n");
    assert!(!text(&o).contains("Take it in now?"), "{}", text(&o));
}

/// A hand-made production secret that happens to start in the same second as the one a
/// cut-off run asked for: `apply --renew` without `--remove-old` reports it and removes
/// nothing.
#[test]
fn a_secret_that_only_shares_the_start_of_a_cut_off_runs_is_never_removed() {
    let s = StandIn::start(Options::default());
    let (_dir, file) = progress_file();
    let o = s.device_code_apply(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let app = s.apps()[0].clone();
    let creds = app["passwordCredentials"].as_array().unwrap();
    let start = creds[0]["startDateTime"].as_str().unwrap().to_string();
    let key = creds[0]["keyId"].as_str().unwrap().to_string();
    // The record says a run asked for a secret at that second and never heard back; the
    // secret there is not that run's (no mark of it).
    let saved = std::fs::read_to_string(&file).unwrap();
    let mut t: toml::Table = toml::from_str(&saved).unwrap();
    t.insert("pending_secret".into(), toml::Value::String(start));
    t.insert(
        "pending_marker".into(),
        toml::Value::String("azreg-0123456789ab".into()),
    );
    std::fs::write(&file, toml::to_string(&t).unwrap()).unwrap();
    let o = s
        .device_code(&file, &["apply", "--renew", "--yes"])
        .output()
        .unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", s.log_text());
    assert!(out.contains("lacks its mark"), "{out}");
    let removed: Vec<_> = s
        .writes()
        .into_iter()
        .filter(|w| w.target.contains("removePassword"))
        .collect();
    assert!(removed.is_empty(), "{removed:?}");
    let now = s.apps()[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        now.iter().any(|c| c["keyId"] == key.as_str()),
        "the hand-made secret is still there"
    );
}

/// `--graph http://…` is refused before anyone signs in: no token is ever asked for.
#[test]
fn a_plain_http_graph_is_refused_before_the_sign_in() {
    let s = StandIn::start(Options::default());
    let (_dir, file) = progress_file();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(&file)
        .args([
            "apply",
            "--yes",
            "--device-code",
            "--authority",
            &s.login_url(),
        ])
        .args(["--graph", "http://127.0.0.1:9/"])
        .env("SSL_CERT_FILE", &s.ca_file)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(out.contains("https only"), "{out}");
    assert!(
        !s.log().iter().any(|l| l.target.contains("devicecode")),
        "nobody was asked to sign in: {}",
        s.log_text()
    );
}

/// A hostile Graph hands out a "secret" with a control character and a shell payload: it is
/// never stored, no step is marked, azreg says so and removes that credential by its keyId.
#[test]
fn a_secret_value_that_is_not_one_is_never_stored_and_its_credential_goes() {
    let s = StandIn::start(Options {
        bad_secret_text: Some("abc8Q~\u{1b}]0;pwned\u{7}$(touch /tmp/azreg-pwned)"),
        ..Options::default()
    });
    let (_dir, file) = progress_file();
    let o = s.device_code_apply(&file).output().unwrap();
    let out = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("not one"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "nothing of it reached the terminal"
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("pwned"), "{saved}");
    let t: toml::Table = toml::from_str(&saved).unwrap();
    assert!(t["values"].get("client_secret").is_none(), "{saved}");
    let done = t
        .get("done")
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let secret_step = azreg::core::procedure::Procedure::embedded()
        .unwrap()
        .entries
        .iter()
        .find(|e| e.step.fields.iter().any(|f| f == "client_secret"))
        .map(|e| e.step.id.clone())
        .unwrap();
    assert!(!done.contains_key(&secret_step), "{saved}");
    let removed: Vec<_> = s
        .writes()
        .into_iter()
        .filter(|w| w.target.contains("removePassword"))
        .collect();
    assert_eq!(removed.len(), 1, "{}", s.log_text());
    assert!(
        s.apps()[0]["passwordCredentials"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{}",
        s.dump()
    );
}

/// A hostile Graph answers the read of the recorded client ID with another application:
/// azreg stops before it writes anything to either.
#[test]
fn an_app_read_by_client_id_must_be_that_app() {
    let hostile = StandIn::start(Options {
        wrong_app_by_app_id: true,
        ..Options::default()
    });
    let (_id, client_id) = hostile.seed_app("Intrexx Portal", &[], &[], None);
    let (_dir, file) = progress_file();
    let saved = std::fs::read_to_string(&file).unwrap();
    let mut t: toml::Table = toml::from_str(&saved).unwrap();
    t["values"]
        .as_table_mut()
        .unwrap()
        .insert("client_id".into(), client_id.into());
    std::fs::write(&file, toml::to_string(&t).unwrap()).unwrap();
    let o = hostile.device_code_apply(&file).output().unwrap();
    let out = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("with another app"), "{out}");
    assert!(
        hostile.writes().is_empty(),
        "nothing written: {}",
        hostile.log_text()
    );
}

/// Round four: a progress file that calls the recorded secret a cut-off run's (its start and the
/// mark in its description, both public on the app, copied into `pending_secret` and
/// `pending_marker`) makes no command remove it.
#[test]
fn a_progress_file_cannot_make_apply_remove_the_recorded_secret() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_dir, file) = progress_file();
    let o = s.device_code_apply(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let cred = s.apps()[0]["passwordCredentials"][0].clone();
    let start = cred["startDateTime"].as_str().unwrap().to_string();
    let name = cred["displayName"].as_str().unwrap().to_string();
    let mark = name
        .rsplit_once('(')
        .map(|(_, m)| m.trim_end_matches(')').to_string())
        .unwrap();
    let text_file = std::fs::read_to_string(&file).unwrap();
    let forged = format!("pending_secret = \"{start}\"\npending_marker = \"{mark}\"\n{text_file}");
    std::fs::write(&file, forged).unwrap();
    let o = s.device_code_apply(&file).output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(!t.contains("remove the client secret"), "{t}");
    assert!(
        t.contains("the progress file calls the client secret"),
        "{t}"
    );
    let creds = s.apps()[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(creds.len(), 1);
    assert_eq!(creds[0]["keyId"], cred["keyId"]);
}

/// Round four: another local user holds a hundred idle connections to the loopback port (more
/// than the 32 served at once) and keeps opening new ones; the real redirect still gets
/// through at once: a quiet connection makes room, and one that sends nothing is dropped.
#[test]
fn a_hundred_idle_connections_of_another_user_do_not_starve_the_sign_in() {
    if !second_user() {
        return;
    }
    let s = StandIn::start(Options::default());
    let (dir, file) = progress_file();
    let Some(mut cmd) = s.browser_apply(&file) else {
        return;
    };
    let d = dir.path().display();
    let ca = s.ca_file.display();
    // The other user's program: a hundred connections held open, each one azreg closes
    // opened again, for a minute.
    let attacker = r#"
import socket, sys, time
port = int(sys.argv[1])
held = []
end = time.time() + 60
while time.time() < end:
    while len(held) < 100:
        try:
            held.append(socket.create_connection(('127.0.0.1', port), timeout=1))
        except OSError:
            time.sleep(0.01)
            break
    time.sleep(0.05)
    alive = []
    for c in held:
        c.setblocking(False)
        try:
            gone = c.recv(1) == b''
        except BlockingIOError:
            gone = False
        except OSError:
            gone = True
        if gone:
            c.close()
        else:
            alive.append(c)
    held = alive
"#;
    let script = browser(
        dir.path(),
        &format!(
            "setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c \"$(cat <<'PY'\n{attacker}\nPY\n)\" \"$port\" > {d}/attacker.txt 2>&1 &\n\
             echo $! > {d}/pids\n\
             sleep 1\n\
             exec curl --silent --location --max-time 10 --cacert {ca} --output {d}/browser-page.html \"$1\""
        ),
    );
    cmd.env("BROWSER", &script);
    let started = Instant::now();
    // Bounded: a starved sign-in would wait its ten minutes.
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(40) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let o = child.wait_with_output().unwrap();
    let took = started.elapsed();
    for pid in std::fs::read_to_string(dir.path().join("pids"))
        .unwrap_or_default()
        .lines()
    {
        let _ = std::process::Command::new("pkill")
            .args(["-P", pid])
            .status();
        let _ = std::process::Command::new("kill").arg(pid).status();
    }
    let t = text(&o);
    let attacker = std::fs::read_to_string(dir.path().join("attacker.txt")).unwrap_or_default();
    assert!(
        attacker.trim().is_empty(),
        "the other user's script failed: {attacker}"
    );
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_eq!(s.apps().len(), 1);
    let page = std::fs::read_to_string(dir.path().join("browser-page.html")).unwrap_or_default();
    assert!(page.contains("Signed in"), "{page}");
}

/// Round four (mission review): `set` and `import` say what a recorded tenant ID, client ID or
/// secret they replace was (a secret by its first characters only).
#[test]
fn set_and_import_say_what_they_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let run = |args: &[&str], stdin: &str| {
        let o = crate::common::fed(
            std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
                .arg("--file")
                .arg(&file)
                .args(args)
                .env_remove("LANG")
                .env_remove("LC_ALL"),
            stdin.as_bytes(),
        );
        (o.status.code(), text(&o))
    };
    let old_tenant = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
    let (code, t) = run(&["set", "tenant_id", old_tenant], "");
    assert_eq!(code, Some(0), "{t}");
    assert!(!t.contains("replaced"), "{t}");
    let (code, t) = run(
        &["set", "client_secret", "--stdin"],
        "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_\n",
    );
    assert_eq!(code, Some(0), "{t}");
    let (code, t) = run(
        &["set", "tenant_id", "0b1c2d3e-1111-2222-3333-444455556666"],
        "",
    );
    assert_eq!(code, Some(0), "{t}");
    assert!(t.contains(&format!("replaced: was {old_tenant}")), "{t}");
    let (code, t) = run(
        &["import"],
        r#"{"appId": "1c2d3e4f-1111-2222-3333-444455556666", "tenant": "2d3e4f5a-1111-2222-3333-444455556666", "password": "xyz8Q~abcdefghijklmnopqrstuvwxyz0123456_"}"#,
    );
    assert_eq!(code, Some(0), "{t}");
    assert!(
        t.contains("replaced: was 0b1c2d3e-1111-2222-3333-444455556666"),
        "{t}"
    );
    assert!(t.contains("replaced: was abc…"), "{t}");
    assert!(
        !t.contains("abc8Q~"),
        "the old secret is never shown whole: {t}"
    );
}
