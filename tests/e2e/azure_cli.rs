//! The script of `azreg script az`, run by the real Azure CLI (azure-cli 2.91.0 from PyPI, in a
//! venv under `target/`) against the stand-in for Entra ID and Microsoft Graph in
//! `common/graph.rs` (Entra ID and Graph cannot be had here; the stand-in follows their
//! documented contract). Its output is piped into `azreg import`.
//!
//! The venv is made on first use (about a minute) and reused. Where it cannot be made the test
//! says why and skips, unless `AZREG_REQUIRE_AZ_CLI=1` (set by `.ci/run`), which makes that a
//! failure.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::common::az::{Az, az_cli};
use crate::common::graph::{GRAPH_APP_ID, Options, StandIn};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");

/// A display name and a secret description that a careless script would break on.
const NAME: &str = "Bob's ’Portal’ \"Q\" $(touch /tmp/azreg-pwned) `id` --x";
const DESCRIPTION: &str = "--Intrexx ‘connector’ $(x) `y` \"z\" @/etc/passwd";

fn azreg(file: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--file").arg(file).args(args);
    for v in ["LANG", "LC_ALL", "LC_MESSAGES"] {
        cmd.env_remove(v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn progress(consent: &str) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        r#"version = 1
procedure = "intrexx-ms365-app-registration"

[values]
portal_url = "https://portal.example.com"
collaboration = "mycompany"
app_name = {}
account_type = "AzureADMultipleOrgs"
secret_description = {}
secret_expiry = "2099-05-25"
graph_permissions = "User.Read, Calendars.ReadWrite, Chat.Read.All:Application"
admin_consent = "{consent}"
"#,
        q(NAME),
        q(DESCRIPTION)
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn text_of(b: &[u8]) -> String {
    text(b)
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one end-to-end story with the real Azure CLI, step by step"
)]
fn the_generated_script_registers_a_working_app_with_the_real_azure_cli() {
    let Some(az) = az_cli() else { return };
    let started = Instant::now();
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    std::fs::write(&file, progress("yes")).unwrap();
    let _ = std::fs::remove_file("/tmp/azreg-pwned");

    let out = azreg(&file, &["script", "az"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = dir.path().join("register.sh");
    std::fs::write(&script, &out.stdout).unwrap();

    let run = cli.run_script(&script);
    let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
    assert!(
        run.status.success(),
        "script failed:\n{stderr}\n--- stand-in log:\n{}",
        s.log_text()
    );
    assert!(
        !Path::new("/tmp/azreg-pwned").exists(),
        "a value ran as code"
    );

    // Exactly one application, as chosen, with the values verbatim.
    let apps = s.apps();
    assert_eq!(apps.len(), 1, "{}", s.dump());
    let app = &apps[0];
    assert_eq!(app["displayName"], NAME);
    assert_eq!(app["signInAudience"], "AzureADMultipleOrgs");
    assert_eq!(
        app["web"]["redirectUris"],
        serde_json::json!(["https://portal.example.com/oauth2/token/ms365-mycompany"])
    );
    assert_eq!(
        app["spa"]["redirectUris"],
        serde_json::json!(["https://portal.example.com/oauth2callback.html"])
    );
    let creds = app["passwordCredentials"].as_array().unwrap();
    assert_eq!(creds.len(), 1, "{}", s.dump());
    // The description as given, hostile characters and all, with the run's random mark.
    let name = creds[0]["displayName"].as_str().unwrap();
    let mark = name
        .strip_prefix(DESCRIPTION)
        .and_then(|m| m.strip_prefix(" ("))
        .and_then(|m| m.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{name:?}"));
    assert!(
        mark.strip_prefix("azreg-")
            .is_some_and(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit())),
        "{name:?}"
    );
    assert!(
        creds[0]["endDateTime"]
            .as_str()
            .unwrap()
            .starts_with("2099-05-25T23:59:59"),
        "{}",
        creds[0]
    );
    let rra = &app["requiredResourceAccess"];
    assert_eq!(rra[0]["resourceAppId"], GRAPH_APP_ID);
    let access: Vec<(String, String)> = rra[0]["resourceAccess"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().into(),
                a["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        access,
        [
            (
                "e1fe6dd8-ba31-4d61-89e7-88639da4683d".into(),
                "Scope".into()
            ),
            (
                "1ec239c2-d7c9-4623-a91a-a9775856bb36".into(),
                "Scope".into()
            ),
            ("6b7d71aa-70aa-4810-a8d9-5d9fb2830017".into(), "Role".into()),
        ]
    );
    // Its service principal, and the consent: one grant for the delegated scopes, one role
    // assignment for the application permission.
    let sps = s.sps();
    assert_eq!(sps.len(), 1, "{}", s.dump());
    assert_eq!(sps[0]["appId"], app["appId"]);
    let grants = s.grants();
    assert_eq!(grants.len(), 1, "{}", s.dump());
    assert_eq!(grants[0]["scope"], "User.Read Calendars.ReadWrite");
    assert_eq!(grants[0]["consentType"], "AllPrincipals");
    assert_eq!(grants[0]["clientId"], sps[0]["id"]);
    let roles = s.role_assignments();
    assert_eq!(roles.len(), 1);
    assert_eq!(
        roles[0]["appRoleId"],
        "6b7d71aa-70aa-4810-a8d9-5d9fb2830017"
    );
    assert_eq!(roles[0]["principalId"], sps[0]["id"]);
    // Eventual consistency was played, and the script waited it out.
    assert!(
        stderr.contains("not visible yet"),
        "the stand-in's consistency misses were not met:\n{stderr}"
    );
    // The stand-in's log never holds a secret.
    let log = s.log_text();
    assert!(!log.contains(&s.admin_secret), "{log}");

    // stdout is the JSON for the import, and nothing else.
    let json: serde_json::Value = serde_json::from_str(&stdout).expect(&stdout);
    assert_eq!(json["appId"], app["appId"]);
    assert_eq!(json["tenant"], s.opts.tenant.as_str());
    assert_eq!(json["adminConsent"], true);
    let secret = json["password"].as_str().unwrap().to_string();
    assert!(secret.contains("8Q~"));

    // Piping it into azreg stores client ID, tenant ID and secret, and marks the steps done.
    let imp = azreg(&file, &["import"], Some(stdout.as_bytes()));
    assert!(imp.status.success(), "{}", text(&imp.stderr));
    assert!(!text(&imp.stdout).contains(&secret));
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let values = saved["values"].as_table().unwrap();
    assert_eq!(values["client_id"].as_str(), app["appId"].as_str());
    assert_eq!(values["tenant_id"].as_str(), Some(s.opts.tenant.as_str()));
    assert_eq!(values["client_secret"].as_str(), Some(secret.as_str()));
    let done = saved["done"].as_table().unwrap();
    for id in [
        "sign-in",
        "enter-web-uri",
        "copy-secret-value",
        "copy-ids",
        "grant-admin-consent",
    ] {
        assert!(done.contains_key(id), "{id} not marked done: {done:?}");
    }

    // Run again (now with the client ID recorded): the same app is updated, the recorded
    // secret kept, nothing duplicated.
    let out = azreg(&file, &["script", "az"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::write(&script, &out.stdout).unwrap();
    let again = cli.run_script(&script);
    assert!(
        again.status.success(),
        "second run failed:\n{}\n--- stand-in log:\n{}",
        text(&again.stderr),
        s.log_text()
    );
    assert!(text(&again.stderr).contains("updating the app registration"));
    assert!(
        text(&again.stderr).contains("the client secret azreg recorded is on the app"),
        "{}",
        text(&again.stderr)
    );
    let apps = s.apps();
    assert_eq!(apps.len(), 1, "{}", s.dump());
    assert_eq!(apps[0]["passwordCredentials"].as_array().unwrap().len(), 1);
    let imp = azreg(&file, &["import"], Some(&again.stdout));
    assert!(imp.status.success(), "{}", text(&imp.stderr));
    let kept: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        kept["values"]["client_secret"].as_str(),
        Some(secret.as_str())
    );
    // Asked for: a second secret.
    let out = azreg(&file, &["script", "az", "--new-secret"], None);
    std::fs::write(&script, &out.stdout).unwrap();
    let third = cli.run_script(&script);
    assert!(third.status.success(), "{}", text(&third.stderr));
    let apps = s.apps();
    assert_eq!(apps[0]["passwordCredentials"].as_array().unwrap().len(), 2);
    let imp = azreg(&file, &["import"], Some(&third.stdout));
    assert!(imp.status.success(), "{}", text(&imp.stderr));
    assert_eq!(
        apps[0]["web"]["redirectUris"].as_array().unwrap().len(),
        1,
        "{}",
        s.dump()
    );
    assert_eq!(s.sps().len(), 1);
    assert_eq!(s.grants().len(), 1);
    assert_eq!(s.role_assignments().len(), 1);
    // Renewal: a third secret beside the others, none removed; the progress file keeps both
    // expiries and the key, and the new secret works for a client-credentials sign-in.
    let out = azreg(
        &file,
        &["script", "az", "--renew", "--expires", "2100-01-31"],
        None,
    );
    assert!(out.status.success(), "{}", text_of(&out.stderr));
    let renew = dir.path().join("renew.sh");
    std::fs::write(&renew, &out.stdout).unwrap();
    let run = cli.run_script(&renew);
    assert!(
        run.status.success(),
        "renewal failed:\n{}\n--- stand-in log:\n{}",
        text_of(&run.stderr),
        s.log_text()
    );
    let creds = s.apps()[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(creds.len(), 3, "{}", s.dump());
    assert!(
        creds[2]["endDateTime"]
            .as_str()
            .unwrap()
            .starts_with("2100-01-31")
    );
    let imp = azreg(&file, &["import"], Some(&run.stdout));
    assert!(imp.status.success(), "{}", text_of(&imp.stderr));
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        saved["values"]["secret_expiry"].as_str(),
        Some("2100-01-31")
    );
    let renewals = saved["renewals"].as_array().unwrap();
    assert_eq!(renewals.len(), 1);
    assert_eq!(renewals[0]["old_expiry"].as_str(), Some("2099-05-25"));
    assert_eq!(renewals[0]["new_expiry"].as_str(), Some("2100-01-31"));
    assert_eq!(
        saved["secret_key_id"].as_str(),
        creds[2]["keyId"].as_str(),
        "the renewed key is the one recorded"
    );
    eprintln!(
        "real Azure CLI test: {:.1} s wall (both runs, sign-in included)",
        started.elapsed().as_secs_f64()
    );
    if let Ok(path) = std::env::var("AZREG_DUMP_STANDIN") {
        std::fs::write(path, s.dump()).unwrap();
    }
}

#[test]
fn without_consent_no_grant_is_made_and_the_import_leaves_the_consent_step_open() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options {
        read_misses: 0,
        sp_misses: 1,
        ..Options::default()
    });
    let cli = Az::new(&az, &s);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    std::fs::write(&file, progress("no")).unwrap();
    let out = azreg(&file, &["script", "az"], None);
    let script = dir.path().join("register.sh");
    std::fs::write(&script, &out.stdout).unwrap();
    let run = cli.run_script(&script);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(s.apps().len(), 1);
    assert_eq!(s.sps().len(), 1);
    assert!(s.grants().is_empty() && s.role_assignments().is_empty());
    // Other lines before the JSON do not hurt the import.
    let mut input = b"some banner line\n".to_vec();
    input.extend_from_slice(&run.stdout);
    let imp = azreg(&file, &["import"], Some(&input));
    assert!(imp.status.success(), "{}", text(&imp.stderr));
    let saved: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let done = saved["done"].as_table().unwrap();
    assert!(done.contains_key("add-permissions"));
    assert!(!done.contains_key("grant-admin-consent"));
}

/// The script under Entra ID's replication lag: under several lag schedules (every path lagging
/// 0 to 3 times, some throttled), one run ends with one app, one service principal, one secret
/// and the consent.
#[test]
fn under_any_lag_schedule_one_script_run_ends_with_one_of_each() {
    let Some(az) = az_cli() else { return };
    std::thread::scope(|scope| {
        for lane in 0..3u64 {
            let az = az.clone();
            scope.spawn(move || {
                for seed in (0..6u64).filter(|s| s % 3 == lane) {
                    let s = StandIn::start(Options::lagged(seed));
                    let cli = Az::new(&az, &s);
                    let dir = tempfile::tempdir().unwrap();
                    let file = dir.path().join("progress.toml");
                    std::fs::write(&file, progress("yes")).unwrap();
                    let out = azreg(&file, &["script", "az"], None);
                    let script = dir.path().join("register.sh");
                    std::fs::write(&script, &out.stdout).unwrap();
                    let run = cli.run_script(&script);
                    let why = format!(
                        "seed {seed}: {:?}\n{}\n--- stand-in log:\n{}",
                        s.opts,
                        text(&run.stderr),
                        s.log_text()
                    );
                    assert!(run.status.success(), "{why}");
                    assert_eq!(s.apps().len(), 1, "{why}");
                    assert_eq!(s.sps().len(), 1, "{why}");
                    assert_eq!(
                        s.apps()[0]["passwordCredentials"].as_array().unwrap().len(),
                        1,
                        "{why}"
                    );
                    assert_eq!(s.grants().len(), 1, "{why}");
                    assert_eq!(s.role_assignments().len(), 1, "{why}");
                    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect(&why);
                    assert!(
                        json["password"].as_str().is_some_and(|p| p.contains("8Q~")),
                        "{why}"
                    );
                }
            });
        }
    });
}

/// A script cut off right after it created the app, run again at once while the new app is not
/// yet listed: the same app (created under the same key), one service principal, one secret.
#[test]
fn a_script_run_again_during_the_lag_makes_no_second_app() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options {
        read_misses: 3,
        ..Options::default()
    });
    let cli = Az::new(&az, &s);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    std::fs::write(&file, progress("yes")).unwrap();
    let out = azreg(&file, &["script", "az"], None);
    let script = dir.path().join("register.sh");
    std::fs::write(&script, &out.stdout).unwrap();
    // Cut off as soon as the app exists: the script's own process group, az included.
    let mut cmd = Command::new("setsid");
    cmd.arg("bash")
        .arg(&script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cli.env(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    while s.apps().is_empty() {
        assert!(started.elapsed().as_secs() < 120, "{}", s.log_text());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
    assert_eq!(s.apps().len(), 1);
    let run = cli.run_script(&script);
    assert!(
        run.status.success(),
        "{}\n{}",
        text(&run.stderr),
        s.log_text()
    );
    assert_eq!(s.apps().len(), 1, "a second app: {}", s.dump());
    assert_eq!(s.sps().len(), 1);
    assert_eq!(
        s.apps()[0]["passwordCredentials"].as_array().unwrap().len(),
        1
    );
    assert_eq!(s.grants().len(), 1);
}

/// The same generated script run twice, its output never imported: one app, one service
/// principal and one secret, the one the second run printed (the first run's secret carries
/// the script's mark and was never recorded: replaced, not added to).
#[test]
fn the_same_script_run_twice_leaves_one_secret_the_one_it_printed_last() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("progress.toml");
    std::fs::write(&file, progress("yes")).unwrap();
    let out = azreg(&file, &["script", "az"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = dir.path().join("register.sh");
    std::fs::write(&script, &out.stdout).unwrap();
    let mut printed = Vec::new();
    for round in 1..=2 {
        let run = cli.run_script(&script);
        assert!(
            run.status.success(),
            "run {round}:\n{}\n--- stand-in log:\n{}",
            text(&run.stderr),
            s.log_text()
        );
        let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        printed.push(v["secretKeyId"].as_str().unwrap().to_string());
        if round == 2 {
            assert!(
                text(&run.stderr).contains("an earlier run of this script made"),
                "{}",
                text(&run.stderr)
            );
        }
    }
    let apps = s.apps();
    assert_eq!(apps.len(), 1, "{}", s.dump());
    assert_eq!(s.sps().len(), 1);
    let keys: Vec<&str> = apps[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["keyId"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [printed[1].as_str()], "{}", s.dump());
}
