//! `azreg apply --token-from-az`: the whole registration through Graph, signed in with the real
//! Azure CLI (from PyPI) against the Entra ID and Graph stand-in (`common/graph.rs`, written
//! from Microsoft's documented contract, the same one the generated scripts are tested against).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::az::{Az, az_cli};
use crate::common::graph::{Options, StandIn};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");

fn progress() -> &'static str {
    crate::common::graph::APPLY_PROGRESS
}

/// A progress file with every value apply needs, in a directory of its own.
fn progress_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, progress()).unwrap();
    (dir, file)
}

fn apply(cli: &Az, s: &StandIn, file: &Path) -> Output {
    apply_with(cli, s, file, &[])
}

fn apply_with(cli: &Az, s: &StandIn, file: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--file")
        .arg(file)
        .args([
            "apply",
            "--yes",
            "--token-from-az",
            "--authority",
            &s.login_url(),
        ])
        .args(extra)
        .env("SSL_CERT_FILE", &s.ca_file)
        .env("AZREG_RETRY_FIRST_MS", crate::common::graph::FAST_RETRY_MS)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::null());
    cli.env(&mut cmd);
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn saved(file: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn apply_registers_everything_ticks_the_steps_and_runs_again_safely() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let (_dir, file) = progress_file();
    let o = apply(&cli, &s, &file);
    let t = text(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{t}\n--- stand-in log:\n{}",
        s.log_text()
    );
    assert!(t.contains("✓ app registration"), "{t}");
    assert!(
        t.contains("✓ Client ID and secret: tenant, client ID and secret belong together"),
        "{t}"
    );
    let apps = s.apps();
    assert_eq!(apps.len(), 1, "{}", s.dump());
    assert_eq!(apps[0]["signInAudience"], "AzureADMyOrg");
    assert_eq!(apps[0]["passwordCredentials"].as_array().unwrap().len(), 1);
    assert_eq!(s.sps().len(), 1);
    assert_eq!(s.grants().len(), 1);
    assert_eq!(s.role_assignments().len(), 1);
    let p = saved(&file);
    let v = p["values"].as_table().unwrap();
    assert_eq!(v["client_id"].as_str(), apps[0]["appId"].as_str());
    assert_eq!(v["tenant_id"].as_str(), Some(s.opts.tenant.as_str()));
    assert!(v["client_secret"].as_str().unwrap().contains("8Q~"));
    assert_eq!(p["app_object_id"].as_str(), apps[0]["id"].as_str());
    let done = p["done"].as_table().unwrap();
    assert_eq!(
        done.len(),
        23 + 3,
        "every step, P1 to P3 included: {done:?}"
    );
    assert!(p.get("pending_secret").is_none());
    assert!(
        !t.contains(v["client_secret"].as_str().unwrap()),
        "the secret was printed"
    );

    // Again: the recorded app is found, nothing is duplicated, the secret is kept.
    let o = apply(&cli, &s, &file);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(s.apps().len(), 1);
    assert_eq!(
        s.apps()[0]["passwordCredentials"].as_array().unwrap().len(),
        1
    );
    assert_eq!(s.sps().len(), 1);
    assert_eq!(s.grants().len(), 1);

    // Interrupted between addPassword and saving the value: the next run finds the secret it
    // asked for by its start time and the run's mark in its description, removes it (azreg
    // made it) and makes a new one.
    let mut table = saved(&file);
    let start = s.apps()[0]["passwordCredentials"][0]["startDateTime"]
        .as_str()
        .unwrap()
        .to_string();
    let name = s.apps()[0]["passwordCredentials"][0]["displayName"]
        .as_str()
        .unwrap()
        .to_string();
    let marker = name
        .rsplit_once('(')
        .and_then(|(_, m)| m.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no mark in {name:?}"))
        .to_string();
    assert!(marker.starts_with("azreg-"), "{name}");
    table.insert("pending_marker".into(), marker.into());
    // A cut-off run saved neither the value nor its key (both are saved together).
    table.remove("secret_key_id");
    table["values"]
        .as_table_mut()
        .unwrap()
        .remove("client_secret");
    table.insert("pending_secret".into(), start.into());
    std::fs::write(&file, toml::to_string(&table).unwrap()).unwrap();
    let o = apply(&cli, &s, &file);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let creds = s.apps()[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(creds.len(), 1, "exactly one secret: {}", s.dump());
    assert_eq!(
        saved(&file)["secret_key_id"].as_str(),
        creds[0]["keyId"].as_str()
    );
}

#[test]
fn apply_renew_adds_a_secret_checks_it_and_removes_only_the_recorded_old_one() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let (_dir, file) = progress_file();
    let o = apply(&cli, &s, &file);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let first = saved(&file);
    let old_secret = first["values"]["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let old_key = first["secret_key_id"].as_str().unwrap().to_string();
    let creds = |s: &StandIn| {
        s.apps()[0]["passwordCredentials"]
            .as_array()
            .unwrap()
            .clone()
    };

    // Without --remove-old: a second secret beside the first, the new value checked live.
    let o = apply_with(&cli, &s, &file, &["--renew", "--expires", "365"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(t.contains("✓ new client secret"), "{t}");
    assert!(t.contains("belong together"), "the live check ran: {t}");
    assert_eq!(creds(&s).len(), 2, "{}", s.dump());
    let p = saved(&file);
    let new_secret = p["values"]["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, old_secret);
    assert!(!t.contains(new_secret), "the secret was printed");
    let new_key = p["secret_key_id"].as_str().unwrap().to_string();
    assert_ne!(new_key, old_key);
    assert_eq!(p["renewals"].as_array().unwrap().len(), 1);
    assert_eq!(
        p["renewals"][0]["old_expiry"].as_str(),
        Some("2099-05-25"),
        "{p:?}"
    );
    assert!(p.get("pending_secret").is_none());

    // The first renewal started a rotation: the first secret (Intrexx's until it is switched)
    // stays. --remove-old with --renew removes nothing in the same run, and says how to go on.
    assert_eq!(
        p["rotation"]["old_key"].as_str(),
        Some(old_key.as_str()),
        "{p:?}"
    );
    let o = apply_with(&cli, &s, &file, &["--renew", "--remove-old"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(!t.contains("removed"), "{t}");
    assert!(t.contains("stays, so the connector keeps working"), "{t}");
    assert_eq!(creds(&s).len(), 3, "{}", s.dump());
    // Finishing the rotation needs the admin's word that Intrexx uses the new secret.
    let o = apply_with(&cli, &s, &file, &["--remove-old"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("stays until Intrexx uses the new one"), "{t}");
    assert_eq!(creds(&s).len(), 3);
    let o = apply_with(&cli, &s, &file, &["--remove-old", "--intrexx-updated"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(t.contains(&format!("(key {old_key}) removed")), "{t}");
    let keys: Vec<String> = creds(&s)
        .iter()
        .map(|c| c["keyId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.contains(&new_key),
        "the second, not the rotation's old one, stays"
    );
    assert!(saved(&file).get("rotation").is_none());
    // --remove-old-now: the recorded secret goes in the same run, marked in the plan.
    let recorded = saved(&file)["secret_key_id"].as_str().unwrap().to_string();
    let o = apply_with(&cli, &s, &file, &["--renew", "--remove-old-now"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(
        t.contains("the connector stops until Intrexx has the new value"),
        "{t}"
    );
    assert!(t.contains(&format!("(key {recorded}) removed")), "{t}");
    assert_eq!(saved(&file)["renewals"].as_array().unwrap().len(), 3);
}

#[test]
fn a_refused_create_stops_at_its_step_and_says_which_role_is_needed() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options {
        deny_create: true,
        ..Options::default()
    });
    let cli = Az::new(&az, &s);
    let (_dir, file) = progress_file();
    let o = apply(&cli, &s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(8), "{t}");
    assert!(t.contains("stopped at step 5"), "{t}");
    assert!(t.contains("Application Administrator"), "{t}");
    assert!(s.apps().is_empty());
    let p = saved(&file);
    assert!(
        p.get("done")
            .and_then(|d| d.as_table())
            .is_none_or(|d| d.is_empty())
    );
}

/// The device code sign-in against the stand-in (Entra ID's device authorization grant as
/// src/docs/entra.md documents it; no Azure CLI involved): the code is shown, the poll waits while the
/// person has not entered it, and the token is used, never shown.
fn apply_by_device_code(s: &StandIn, file: &Path) -> Output {
    s.device_code_apply(file).output().unwrap()
}

#[test]
fn apply_by_device_code_shows_the_code_waits_and_registers() {
    let s = StandIn::start(Options {
        device_pending_polls: 2,
        ..Options::default()
    });
    let (_dir, file) = progress_file();
    let o = apply_by_device_code(&s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(
        t.contains("open https://microsoft.com/devicelogin and enter the code STAND"),
        "{t}"
    );
    let polls = s
        .log()
        .iter()
        .filter(|l| l.port == "login" && l.body.contains("device_code"))
        .count();
    assert_eq!(polls, 3, "two pending answers, then the token");
    assert_eq!(s.apps().len(), 1, "{}", s.dump());
    assert_eq!(s.sps().len(), 1);
    assert!(t.contains("belong together"), "the live check passed: {t}");
    assert!(!t.contains("c2lnbmF0dXJl"), "a token was printed: {t}");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("c2lnbmF0dXJl"), "a token was saved");
    if let Ok(path) = std::env::var("AZREG_DUMP_STANDIN") {
        std::fs::write(path, s.dump()).unwrap();
    }
}

/// The default sign-in: authorization code with PKCE, curl playing the browser.
#[test]
fn apply_signs_in_in_the_browser_by_default_and_registers() {
    let s = StandIn::start(Options::default());
    let (_dir, file) = progress_file();
    let Some(mut cmd) = s.browser_apply(&file) else {
        return;
    };
    let o = cmd.output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(t.contains("Sign in in the browser"), "{t}");
    let log = s.log();
    let authorize = log
        .iter()
        .find(|l| l.target.contains("/oauth2/v2.0/authorize"))
        .expect("the browser went to /authorize");
    assert_eq!(authorize.status, 302, "redirected back with a code");
    assert!(authorize.target.contains("code_challenge_method=S256"));
    assert!(
        authorize
            .target
            .contains("redirect_uri=http%3A%2F%2Flocalhost%3A")
    );
    let redeemed = log
        .iter()
        .find(|l| l.body.contains("grant_type=authorization_code"))
        .expect("the code was redeemed");
    assert_eq!(redeemed.status, 200, "the verifier matched the challenge");
    // The browser got azreg's answer: a browser that waits for it (lynx, curl) is not left
    // hanging while azreg waits for the browser.
    let page = std::fs::read_to_string(file.with_file_name("browser-page.html")).unwrap();
    assert!(page.contains("Signed in."), "{page}");
    assert_eq!(s.apps().len(), 1, "{}", s.dump());
    assert!(t.contains("belong together"), "the live check passed: {t}");
    assert!(!t.contains("c2lnbmF0dXJl"), "a token was printed: {t}");
    assert!(
        !t.contains("-code-"),
        "the authorization code was printed: {t}"
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("c2lnbmF0dXJl"), "a token was saved");
}

/// Another program on this machine knocks at azreg's loopback port first, with a code and a
/// guessed `state`: it is turned away, and the real answer still signs in.
#[test]
fn a_stray_answer_at_the_loopback_port_is_turned_away() {
    use std::os::unix::fs::PermissionsExt;
    let s = StandIn::start(Options::default());
    let (dir, file) = progress_file();
    let Some(mut cmd) = s.browser_apply(&file) else {
        return;
    };
    let d = dir.path().display();
    let script = dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             port=$(printf %s \"$1\" | sed -n 's/.*redirect_uri=http%3A%2F%2Flocalhost%3A\\([0-9]*\\).*/\\1/p')\n\
             curl --silent --max-time 5 --output {d}/stray.html --write-out '%{{http_code}}' \"http://127.0.0.1:$port/?code=stolen&state=guess\" > {d}/stray.status\n\
             exec curl --silent --location --max-time 10 --cacert {} --output {d}/browser-page.html \"$1\"\n",
            s.ca_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    cmd.env("BROWSER", &script);
    let o = cmd.output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    let status = std::fs::read_to_string(dir.path().join("stray.status")).unwrap();
    assert_eq!(status, "404", "the stranger was turned away");
    let stray = std::fs::read_to_string(dir.path().join("stray.html")).unwrap();
    assert!(
        !stray.contains("stolen"),
        "nothing it sent is echoed: {stray}"
    );
    let redeemed: Vec<_> = s
        .log()
        .into_iter()
        .filter(|l| l.body.contains("grant_type=authorization_code"))
        .collect();
    assert_eq!(redeemed.len(), 1);
    assert!(
        !redeemed[0].body.contains("stolen"),
        "only the real code was redeemed"
    );
    assert_eq!(s.apps().len(), 1);
}

#[test]
fn a_declined_browser_sign_in_is_explained_and_changes_nothing() {
    let s = StandIn::start(Options {
        decline_browser: true,
        ..Options::default()
    });
    let (_dir, file) = progress_file();
    let before = std::fs::read(&file).unwrap();
    let Some(mut cmd) = s.browser_apply(&file) else {
        return;
    };
    let o = cmd.output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(7), "{t}");
    assert!(t.contains("AADSTS65004"), "{t}");
    assert!(s.apps().is_empty());
    assert!(
        !s.log()
            .iter()
            .any(|l| l.body.contains("authorization_code")),
        "nothing to redeem"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing changed");
}

/// The network fails right after Graph made the secret: its value never arrived. The run stops
/// at the secret's step; the next run finds that secret by the start time it recorded, removes
/// it, and adds one whose value it keeps: one secret at the end, and it works.
#[test]
fn a_connection_dropped_after_add_password_is_settled_by_the_next_run() {
    let s = StandIn::start(Options {
        drop_add_password: 1,
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_dir, file) = progress_file();
    let o = apply_by_device_code(&s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(5), "no answer: {t}");
    assert!(t.contains("stopped at step 19"), "{t}");
    let creds = |s: &StandIn| {
        s.apps()[0]["passwordCredentials"]
            .as_array()
            .unwrap()
            .clone()
    };
    let orphan = creds(&s);
    assert_eq!(orphan.len(), 1, "Graph made it; its value is lost");
    let first = saved(&file);
    assert!(first.get("pending_secret").is_some(), "{first:?}");
    assert!(
        !first["values"]
            .as_table()
            .unwrap()
            .contains_key("client_secret")
    );

    let o = apply_by_device_code(&s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    let now = creds(&s);
    assert_eq!(now.len(), 1, "the orphan removed, one new: {now:?}");
    assert_ne!(now[0]["keyId"], orphan[0]["keyId"]);
    let second = saved(&file);
    assert_eq!(second["secret_key_id"].as_str(), now[0]["keyId"].as_str());
    assert!(second.get("pending_secret").is_none());
    assert_eq!(s.apps().len(), 1, "no second app");
    assert!(t.contains("belong together"), "the saved value works: {t}");
}

#[test]
fn a_blocked_device_code_sign_in_is_explained_and_changes_nothing() {
    let s = StandIn::start(Options {
        block_device_code: true,
        ..Options::default()
    });
    let (_dir, file) = progress_file();
    let o = apply_by_device_code(&s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(7), "{t}");
    assert!(t.contains("AADSTS53003"), "{t}");
    assert!(
        t.contains("without --device-code"),
        "says what else to do: {t}"
    );
    assert!(s.apps().is_empty());
}

/// In a terminal the sign-in code is also copied (here by OSC 52, as over SSH); in a pipe, as
/// in the tests above, nothing is written but the text.
#[test]
fn in_a_terminal_the_device_code_is_copied() {
    use base64::Engine;
    let s = StandIn::start(Options::default());
    let (_dir, file) = progress_file();
    let (login, graph) = (s.login_url(), s.graph_url());
    let mut pty = crate::common::Pty::spawn(
        &[
            "--file",
            crate::common::arg(&file),
            "apply",
            "--device-code",
            "--authority",
            &login,
            "--graph",
            &graph,
            "--clipboard",
            "osc52",
        ],
        &[
            ("SSL_CERT_FILE", Some(crate::common::arg(&s.ca_file))),
            (
                "AZREG_RETRY_FIRST_MS",
                Some(crate::common::graph::FAST_RETRY_MS),
            ),
            ("LANG", None),
            ("LC_ALL", None),
            ("TMUX", None),
        ],
        100,
        30,
    );
    pty.wait_for("The code is copied", 20);
    // In a terminal apply asks, and writes nothing before the answer.
    pty.wait_for("Do this plan? [y/N]", 20);
    assert!(s.writes().is_empty(), "{}", s.log_text());
    pty.send("y\r");
    assert_eq!(pty.wait_exit(60), 0, "{}", pty.screen());
    assert_eq!(s.apps().len(), 1);
    let code = String::from_utf8_lossy(&pty.raw())
        .split("enter the code ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let osc = format!(
        "\x1b]52;c;{}",
        base64::engine::general_purpose::STANDARD.encode(&code)
    );
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains(&osc), "no OSC 52 copy of {code:?}");
}
