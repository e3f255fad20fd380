//! `azreg doctor`, `azreg secrets` and `azreg delete` against the Entra ID and Graph stand-in:
//! registrations made by hand with the real Azure CLI (the Graph calls a script or the portal
//! makes), each carrying one of the slips of the portal steps, read back and judged.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::az::{Az, az_cli};
use crate::common::graph::{Options, StandIn};

const BIN: &str = env!("CARGO_BIN_EXE_azreg");
const WEB: &str = "https://portal.example.com/oauth2/token/ms365-mycompany";
const SPA: &str = "https://portal.example.com/oauth2callback.html";
const USER_READ: &str = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `azreg --file FILE ARGS --token-from-az --authority <stand-in>` with this Azure CLI.
pub(crate) fn azreg(
    cli: &Az,
    s: &StandIn,
    file: &Path,
    args: &[&str],
    lang: Option<&str>,
) -> Output {
    azreg_in(cli, s, file, args, lang, None)
}

fn azreg_in(
    cli: &Az,
    s: &StandIn,
    file: &Path,
    args: &[&str],
    lang: Option<&str>,
    stdin: Option<&str>,
) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--file")
        .arg(file)
        .args(args)
        .args(["--token-from-az", "--authority", &s.login_url()])
        .env("SSL_CERT_FILE", &s.ca_file)
        .env("AZREG_RETRY_FIRST_MS", crate::common::graph::FAST_RETRY_MS)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(l) = lang {
        cmd.args(["--lang", l]);
    }
    cli.env(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes());
    child.wait_with_output().unwrap()
}

/// `az ARGS --output json` with this configuration, tried again as a person would while the
/// stand-in's replication lag says "does not exist".
fn az_json(az: &Path, cli: &Az, args: &[&str]) -> String {
    let mut last = String::new();
    for _ in 0..10 {
        let mut cmd = Command::new(az);
        cmd.args(args).args(["--output", "json"]);
        cli.env(&mut cmd);
        let o = cmd.output().unwrap();
        if o.status.success() {
            return String::from_utf8(o.stdout).unwrap();
        }
        last = String::from_utf8_lossy(&o.stderr).into_owned();
        if !last.contains("does not exist") {
            break;
        }
    }
    panic!("az {}: {last}", args.join(" "));
}

/// `azreg import` of a JSON document.
fn import(file: &Path, json: &str) {
    let o = crate::common::fed(
        Command::new(BIN)
            .arg("--file")
            .arg(file)
            .arg("import")
            .env_remove("LANG")
            .env_remove("LC_ALL"),
        json.as_bytes(),
    );
    assert!(o.status.success(), "import: {}", text(&o));
}

/// The day in `days` days, as `YYYY-MM-DD` (UTC).
fn in_days(days: i64) -> String {
    let o = Command::new("date")
        .args(["-u", "-d", &format!("+{days} days"), "+%F"])
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// The progress of a portal registered by hand: what the walkthrough records before the
/// Azure steps, and the values taken from Azure by `azreg import`.
pub(crate) fn hand_made_progress(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("p.toml");
    std::fs::write(&file, crate::common::graph::APPLY_PROGRESS).unwrap();
    file
}

/// A registration as a hurried admin makes it with the Azure CLI: both URIs under Web (the
/// SPA one belongs under Single-page application), only User.Read, no service principal, a
/// secret that ends in 10 days. Its client ID.
pub(crate) fn slipped_registration(az: &Path, cli: &Az, file: &Path) -> String {
    let manifest = file.with_file_name("access.json");
    std::fs::write(
        &manifest,
        format!(
            r#"[{{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{{"id": "{USER_READ}", "type": "Scope"}}]}}]"#
        ),
    )
    .unwrap();
    let created = az_json(
        az,
        cli,
        &[
            "ad",
            "app",
            "create",
            "--display-name",
            "Intrexx Portal",
            "--sign-in-audience",
            "AzureADMyOrg",
            "--web-redirect-uris",
            WEB,
            SPA,
            "--required-resource-accesses",
            &format!("@{}", manifest.display()),
        ],
    );
    import(file, &created);
    let v: serde_json::Value = serde_json::from_str(&created).unwrap();
    let app_id = v["appId"].as_str().unwrap().to_string();
    let secret = az_json(
        az,
        cli,
        &[
            "ad",
            "app",
            "credential",
            "reset",
            "--id",
            &app_id,
            "--append",
            "--display-name",
            "Intrexx connector",
            "--end-date",
            &format!("{}T12:00:00+00:00", in_days(10)),
        ],
    );
    import(file, &secret);
    app_id
}

fn findings(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn severity<'a>(v: &'a serde_json::Value, id: &str) -> Vec<&'a str> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| f["severity"].as_str().unwrap())
        .collect()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one end-to-end story with the real Azure CLI, step by step"
)]
fn doctor_reads_a_hand_made_registration_names_each_slip_and_apply_fixes_them() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let dir = tempfile::tempdir().unwrap();
    let file = hand_made_progress(dir.path());
    let client_id = slipped_registration(&az, &cli, &file);
    let made = s.writes().len();

    let o = azreg(&cli, &s, &file, &["doctor"], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}\n{}", s.log_text());
    assert!(
        t.contains(&format!(
            "✓ the app Intrexx Portal ({client_id}) is in the signed-in tenant"
        )),
        "{t}"
    );
    assert!(
        t.contains(&format!("✓ redirect URI on the Web platform: {WEB}")),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "✗ the redirect URI {SPA} is under the Web platform, but belongs under Single-page application (step 14; azreg apply fixes it)"
        )),
        "{t}"
    );
    assert!(
        t.contains("✗ the app has no service principal (Enterprise application): sign-ins fail (AADSTS7000229); by hand: the app's Overview, link \"Managed application in local directory\" > Create, or az ad sp create --id "),
        "{t}"
    );
    assert!(
        t.contains("✗ the API permission Chat.Read.All (Application) is not on the app (step P2; azreg apply fixes it)"),
        "{t}"
    );
    assert!(t.contains("! the secret in use ("), "{t}");
    assert!(
        t.contains(&format!("expires on {}, in 10 days", in_days(10))),
        "{t}"
    );
    assert!(t.contains("! the app has no owners"), "{t}");
    // Only reads: nothing was written to the tenant.
    assert_eq!(s.writes().len(), made, "{}", s.log_text());
    // Azure's end date is kept beside the typed one.
    let p: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(
        p["azure_secret"]["end"]
            .as_str()
            .unwrap()
            .starts_with(&in_days(10)),
        "{p:?}"
    );

    // German, and the JSON for scripts.
    let o = azreg(&cli, &s, &file, &["doctor"], Some("de"));
    let t = text(&o);
    assert!(
        t.contains("steht unter der Plattform Web, gehört aber unter Single-Page-Anwendung (Schritt 14; azreg apply behebt es)"),
        "{t}"
    );
    let o = azreg(&cli, &s, &file, &["doctor", "--json"], Some("de"));
    let v = findings(&o);
    crate::common::schema::assert_valid("doctor", &v);
    assert_eq!(v["schema"], "azreg.doctor");
    assert_eq!(v["ok"], false);
    assert_eq!(severity(&v, "spa_uri"), ["error"]);
    assert_eq!(severity(&v, "service_principal"), ["error"]);
    assert_eq!(severity(&v, "secret"), ["warning"]);
    assert_eq!(
        v["secret_expiry"]["azure"].as_str(),
        Some(in_days(10).as_str())
    );

    // Monitoring: the typed expiry says 2099, Azure's end says 10 days.
    let o = azreg(
        &cli,
        &s,
        &file,
        &["check", "--expires-within", "30", "--online", "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    let v = findings(&o);
    crate::common::schema::assert_valid("expiry", &v);
    let v = &v["secrets"][0];
    assert_eq!(v["source"], "azure");
    assert_eq!(v["state"], "expiring");
    assert_eq!(v["expires"].as_str(), Some(in_days(10).as_str()));
    let o = Command::new(BIN)
        .arg("--file")
        .arg(&file)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let v = findings(&o);
    crate::common::schema::assert_valid("status", &v);
    // status says the earlier one, and where it comes from; the typed one stays beside it.
    assert_eq!(v["secret_expiry_typed"]["date"], "2099-05-25");
    assert_eq!(
        v["secret_expiry"]["date"].as_str(),
        Some(in_days(10).as_str())
    );
    assert_eq!(v["secret_expiry"]["source"], "azure");
    assert_eq!(v["secret_expiry"]["state"], "expiring");
    assert_eq!(
        v["secret_expiry_azure"]["date"].as_str(),
        Some(in_days(10).as_str())
    );
    assert_eq!(v["secret_expiry_azure"]["state"], "expiring");
    let o = Command::new(BIN)
        .arg("--file")
        .arg(&file)
        .arg("status")
        .output()
        .unwrap();
    let t = text(&o);
    let want = format!(
        "Secret expires: {}: warning: in 10 days; create a new secret in time; Azure's end, read ",
        in_days(10)
    );
    assert!(t.contains(&want), "{t}");
    assert!(t.contains("typed at the secret's step: 2099-05-25"), "{t}");

    // apply moves the URI, makes the service principal, adds the permission and consents;
    // a renewal replaces the expiring secret; an owner is added in the portal.
    let o = azreg(&cli, &s, &file, &["apply", "--yes"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = azreg(
        &cli,
        &s,
        &file,
        &["apply", "--yes", "--renew", "--remove-old-now"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    s.add_owner(&client_id, "admin@contoso.example");
    let o = azreg(&cli, &s, &file, &["doctor"], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("Nothing is wrong: the registration is what the connector needs."),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "✓ redirect URI on the Single-page application platform: {SPA}"
        )),
        "{t}"
    );
    assert!(
        t.contains("✓ admin consent is in place for every chosen permission"),
        "{t}"
    );
}

#[test]
fn doctor_tells_a_disabled_service_principal_missing_consent_and_a_foreign_uri() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let (client_id, secret) = s.seed_registration(
        &[WEB, "https://attacker.example/steal"],
        &[SPA],
        true,
        "2099-01-01T00:00:00Z",
    );
    {
        let mut st = s.state.lock().unwrap();
        for sp in st.service_principals.iter_mut() {
            if sp["appId"] == client_id.as_str() {
                sp["accountEnabled"] = serde_json::json!(false);
            }
        }
        // "Accounts in any organizational directory" chosen at step 5 by mistake.
        for app in st.applications.iter_mut() {
            if app["appId"] == client_id.as_str() {
                app["signInAudience"] = serde_json::json!("AzureADMultipleOrgs");
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        format!(
            "{}client_id = \"{client_id}\"\ntenant_id = \"{}\"\nclient_secret = \"{secret}\"\nsecret_expiry = \"2098-06-01\"\n",
            crate::common::graph::APPLY_PROGRESS.replace("secret_expiry = \"2099-05-25\"\n", ""),
            s.opts.tenant
        ),
    )
    .unwrap();
    let o = azreg(&cli, &s, &file, &["doctor", "--json"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = findings(&o);
    let message = |id: &str| -> String {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["id"] == id)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(message("service_principal").contains("disabled"), "{v:#}");
    assert!(
        message("other_uri").contains("https://attacker.example/steal"),
        "{v:#}"
    );
    assert!(message("secret_expiry").contains("2098-06-01"), "{v:#}");
    assert!(message("permission").contains("not on the app"), "{v:#}");
    assert!(
        message("account_type").contains("AzureADMultipleOrgs"),
        "{v:#}"
    );
    assert!(
        message("consent").contains("admin consent is missing for User.Read"),
        "{v:#}"
    );
    // The recorded secret is another one than the app's: removed, or another app's.
    let other_secret = "xyz8Q~abcdefghijklmnopqrstuvwxyz0123456_";
    let swapped = std::fs::read_to_string(&file)
        .unwrap()
        .replace(&secret, other_secret);
    std::fs::write(&file, swapped).unwrap();
    let o = azreg(&cli, &s, &file, &["doctor"], None);
    let t = text(&o);
    assert!(
        t.contains("✗ no secret on the app starts like the recorded one (xyz…)"),
        "{t}"
    );
    assert!(
        t.contains("· another secret on the app: Intrexx connector (abc…), valid until 2099-01-01"),
        "{t}"
    );
    // Another app by --client-id: the record's secret and expiry are not held against it.
    let (_, other_client) = s.seed_app("Other", &[], &[], Some("eve@contoso.example"));
    let o = azreg(
        &cli,
        &s,
        &file,
        &["doctor", "--client-id", &other_client],
        None,
    );
    let t = text(&o);
    assert!(t.contains("owners: eve@contoso.example"), "{t}");
    assert!(!t.contains("recorded expiry"), "{t}");
    assert!(s.writes().is_empty(), "{}", s.log_text());
}

#[test]
fn doctor_without_a_recorded_app_says_how_to_name_one_before_signing_in() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, crate::common::graph::APPLY_PROGRESS).unwrap();
    let o = Command::new(BIN)
        .arg("--file")
        .arg(&file)
        .args(["doctor", "--device-code"])
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--client-id"), "{}", text(&o));
    let o = Command::new(BIN)
        .arg("--file")
        .arg(&file)
        .args(["doctor", "--client-id", "not-a-guid"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// A registration in use at the stand-in, recorded in `p.toml` in a directory of its own: the
/// directory, the client ID and the secret.
fn registration_in_use(s: &StandIn) -> (tempfile::TempDir, String, String) {
    let (client_id, secret) = s.seed_registration(&[WEB], &[SPA], true, "2099-01-01T00:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.toml"),
        format!(
            "{}client_id = \"{client_id}\"\ntenant_id = \"{}\"\nclient_secret = \"{secret}\"\n",
            crate::common::graph::APPLY_PROGRESS,
            s.opts.tenant
        ),
    )
    .unwrap();
    (dir, client_id, secret)
}

/// The journal's lines beside the progress file.
fn journal(file: &Path) -> Vec<serde_json::Value> {
    let path = file.with_file_name(format!(
        "{}.journal.jsonl",
        file.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn secrets_are_listed_removed_after_the_plan_and_the_recorded_one_kept_while_alone() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let (dir, client_id, secret) = registration_in_use(&s);
    let file = dir.path().join("p.toml");
    // A second secret made by hand, as an admin testing something would.
    let added = az_json(
        &az,
        &cli,
        &[
            "ad",
            "app",
            "credential",
            "reset",
            "--id",
            &client_id,
            "--append",
            "--display-name",
            "test",
            "--years",
            "1",
        ],
    );
    assert!(added.contains("password"));
    let o = azreg(&cli, &s, &file, &["secrets", "--json"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v = findings(&o);
    crate::common::schema::assert_valid("secrets", &v);
    let list = v["secrets"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{v:#}");
    let recorded: Vec<_> = list.iter().filter(|c| c["recorded"] == true).collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["hint"], &secret[..3]);
    let recorded_key = recorded[0]["key_id"].as_str().unwrap().to_string();
    let other_key = list.iter().find(|c| c["recorded"] == false).unwrap()["key_id"]
        .as_str()
        .unwrap()
        .to_string();
    let o = azreg(&cli, &s, &file, &["secrets"], None);
    let t = text(&o);
    assert!(t.contains("← recorded, used by Intrexx"), "{t}");

    // Without a terminal and without --yes: shown, not done.
    let writes = s.writes().len();
    let o = azreg(&cli, &s, &file, &["secrets", "remove", &other_key], None);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("remove the client secret"), "{t}");
    assert_eq!(s.writes().len(), writes);
    // The recorded one, while the other is valid: allowed, and marked.
    let o = azreg(&cli, &s, &file, &["secrets", "remove", &recorded_key], None);
    assert!(
        text(&o).contains("! this is the secret azreg recorded"),
        "{}",
        text(&o)
    );
    // The other one, confirmed.
    let o = azreg(
        &cli,
        &s,
        &file,
        &["secrets", "remove", &other_key, "--yes"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let app = s
        .apps()
        .into_iter()
        .find(|a| a["appId"] == client_id.as_str())
        .unwrap();
    assert_eq!(app["passwordCredentials"].as_array().unwrap().len(), 1);
    let j = journal(&file);
    assert_eq!(j.last().unwrap()["op"], "remove_secret");
    assert_eq!(j.last().unwrap()["result"], "done");
    // Now the recorded one is the only valid one: refused, nothing sent.
    let writes = s.writes().len();
    let o = azreg(
        &cli,
        &s,
        &file,
        &["secrets", "remove", &recorded_key, "--yes"],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("the app's only valid one"), "{t}");
    assert_eq!(s.writes().len(), writes);
}

#[test]
fn delete_asks_for_the_display_name_journals_and_keeps_the_ids_in_the_history() {
    let Some(az) = az_cli() else { return };
    let s = StandIn::start(Options::default());
    let cli = Az::new(&az, &s);
    let (dir, client_id, _) = registration_in_use(&s);
    let file = dir.path().join("p.toml");
    let o = azreg(&cli, &s, &file, &["delete"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--confirm-name"), "{}", text(&o));
    let o = azreg(
        &cli,
        &s,
        &file,
        &["delete", "--confirm-name", "Intrexx"],
        Some("de"),
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("ist nicht der Anzeigename \"Intrexx Portal\""),
        "{t}"
    );
    assert_eq!(s.apps().len(), 1);
    let o = azreg(
        &cli,
        &s,
        &file,
        &["delete", "--confirm-name", "Intrexx Portal"],
        None,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(
        t.contains("delete the app registration \"Intrexx Portal\""),
        "{t}"
    );
    assert!(t.contains("! every sign-in of the connector ends"), "{t}");
    assert!(s.apps().iter().all(|a| a["appId"] != client_id.as_str()));
    let j = journal(&file);
    assert_eq!(j.last().unwrap()["op"], "delete_app");
    assert_eq!(j.last().unwrap()["method"], "DELETE");
    let p: toml::Table = toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(p["values"].get("client_id").is_none(), "{p:?}");
    let history = p["history"].as_array().unwrap();
    assert!(
        history.iter().any(|h| h.to_string().contains(&client_id)),
        "{history:?}"
    );
    // The record says the app is gone: status, and check reports it as deleted, not expiring.
    let plain = |args: &[&str]| {
        Command::new(BIN)
            .arg("--file")
            .arg(&file)
            .args(args)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .output()
            .unwrap()
    };
    let o = plain(&["status"]);
    // `AZREG_TRANSCRIPT=FILE`: the delete and the status after it, for a reader.
    if let Some(path) = std::env::var_os("AZREG_TRANSCRIPT") {
        let _ = std::fs::write(
            path,
            format!(
                "$ azreg delete --confirm-name 'Intrexx Portal'\n{t}\n$ azreg status\n{}",
                text(&o)
            ),
        );
    }
    assert!(
        text(&o).contains("the app registration was deleted on"),
        "{}",
        text(&o)
    );
    let o = plain(&["check", "--expires-within", "36500"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("was deleted on") && text(&o).contains("nothing to renew"),
        "{}",
        text(&o)
    );
    assert!(p.get("azure_secret").is_none(), "{p:?}");
}

#[test]
fn check_in_azure_in_the_walkthrough_marks_what_azure_confirms_and_contradicts() {
    let s = StandIn::start(Options {
        device_pending_polls: 1,
        ..Options::default()
    });
    // The SPA URI under Web, no service principal: two slips of the portal steps.
    let (client_id, secret) = s.seed_registration(&[WEB, SPA], &[], false, "2099-01-01T10:00:00Z");
    s.add_owner(&client_id, "admin@contoso.example");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let text = crate::common::graph::APPLY_PROGRESS.replacen(
        "\n[values]",
        &format!("authority = \"{}\"\n\n[values]", s.login_url()),
        1,
    );
    std::fs::write(
        &file,
        format!(
            "{text}client_id = \"{client_id}\"\ntenant_id = \"{}\"\nclient_secret = \"{secret}\"\n",
            s.opts.tenant
        ),
    )
    .unwrap();
    let mut pty = crate::common::walkthrough(&s, &file, &[]);
    pty.wait_for("Two ways from here", 10);
    pty.send("G");
    pty.wait_for("Summary", 5);
    pty.send("D");
    pty.wait_for("Check in Azure: sign in", 5);
    pty.send("\r");
    pty.wait_for("In Azure: the registration as read back", 30);
    // Each line is waited for: the popup's frame may still be arriving when its title shows.
    for line in [
        "is under the Web platform,",
        "the app has no service principal",
        "owners: admin@contoso.example",
    ] {
        pty.wait_for(line, 10);
    }
    pty.send("\x1b");
    pty.wait_all(
        &[
            "[✗] 14 Enter the OneDrive",
            "[✓] 10 Enter the connector",
            "[!] 19 Describe the secret",
        ],
        5,
    );
    // On the contradicted step's card: what Azure says and how to fix it.
    pty.send("g");
    for _ in 0..14 {
        pty.send("j");
    }
    pty.wait_all(&["In Azure: ✗ the redirect URI", "azreg apply fixes it"], 5);
    assert!(s.writes().is_empty(), "{}", s.log_text());
    pty.send("q");
}
