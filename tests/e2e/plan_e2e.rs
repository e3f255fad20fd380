//! Plan, then act (src/docs/architecture.md): `azreg plan` reads the tenant and changes nothing; `azreg apply`
//! shows the plan, acts only when told, and sends exactly the plan's writes; the app is never
//! a guess; the journal records each write. Against the Entra ID / Graph stand-in
//! (`common/graph`, from Microsoft's documented contract, with replication lag on every path),
//! signed in by device code.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::graph::{ADMIN_UPN, APPLY_PROGRESS, Options, StandIn, received_as_planned};
use serde_json::Value;

fn progress_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn plan_json(s: &StandIn, file: &Path) -> Value {
    let o = s.device_code(file, &["plan", "--json"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    crate::common::schema::assert_valid("plan", &v);
    v
}

fn apply(s: &StandIn, file: &Path) -> Output {
    s.device_code_apply(file).output().unwrap()
}

fn saved(file: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

/// A first run, a run cut off and resumed, and a run on a complete registration: each time
/// Graph receives exactly the writes `azreg plan` listed, in order.
#[test]
fn apply_sends_exactly_the_planned_writes_first_resumed_and_no_op() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let before = std::fs::read(&file).unwrap();

    // First run.
    let plan = plan_json(&s, &file);
    assert_eq!(plan["schema"], "azreg.plan");
    assert_eq!(plan["signed_in"]["account"], ADMIN_UPN);
    assert_eq!(plan["signed_in"]["kind"], "user");
    assert_eq!(plan["signed_in"]["user_principal_name"], ADMIN_UPN);
    assert_eq!(plan["signed_in"]["app_id"], Value::Null);
    // Data, not sentences: the same fields in German.
    let de = s
        .device_code(&file, &["plan", "--json", "--lang", "de"])
        .output()
        .unwrap();
    let de: Value = serde_json::from_slice(&de.stdout).unwrap();
    assert_eq!(de["signed_in"], plan["signed_in"]);
    assert_eq!(plan["signed_in"]["tenant_id"], s.opts.tenant.as_str());
    let ops: Vec<&str> = plan["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["op"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        [
            "create_app",
            "create_service_principal",
            "add_owner",
            "add_secret",
            "grant_scopes",
            "assign_roles",
            "live_check"
        ]
    );
    assert!(s.writes().is_empty(), "plan wrote: {}", s.log_text());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "plan changed the file"
    );
    let o = apply(&s, &file);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o), s.log_text());
    received_as_planned(&plan, &s.writes()).unwrap();
    let first_writes = s.writes().len();

    // Cut off: the secret and the consent are gone from the record and the tenant.
    let app = s.apps()[0].clone();
    {
        let mut st = s.state.lock().unwrap();
        st.grants.clear();
        st.role_assignments.clear();
    }
    let mut t = saved(&file);
    t["done"]
        .as_table_mut()
        .unwrap()
        .remove("grant-admin-consent");
    std::fs::write(&file, toml::to_string(&t).unwrap()).unwrap();
    let plan = plan_json(&s, &file);
    let ops: Vec<&str> = plan["ops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["op"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        ["grant_scopes", "assign_roles", "live_check"],
        "{plan:#}"
    );
    let o = apply(&s, &file);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    received_as_planned(&plan, &s.writes()[first_writes..]).unwrap();
    assert_eq!(s.apps()[0]["id"], app["id"]);
    assert_eq!(s.grants().len(), 1);
    assert_eq!(s.role_assignments().len(), 1);

    // Complete: nothing planned, nothing written.
    let n = s.writes().len();
    let plan = plan_json(&s, &file);
    assert_eq!(plan["nothing_to_do"], true, "{plan:#}");
    assert_eq!(plan["writes"], serde_json::json!([]));
    let o = apply(&s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("Nothing to do"), "{t}");
    assert_eq!(s.writes().len(), n);
    assert_eq!(s.apps().len(), 1);
    assert_eq!(
        s.apps()[0]["passwordCredentials"].as_array().unwrap().len(),
        1
    );
}

#[test]
fn the_plan_says_who_and_where_and_marks_what_needs_a_second_look() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = s.device_code(&file, &["plan"]).output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains(&format!(
            "Signed in as {ADMIN_UPN} to Contoso (stand-in) ({})",
            s.opts.tenant
        )),
        "{t}"
    );
    assert!(
        t.contains("! Chat.Read.All is an application permission"),
        "{t}"
    );
    assert!(t.contains("check live at 127.0.0.1"), "{t}");
    assert!(t.contains("nothing was changed"), "{t}");
    assert!(s.writes().is_empty());
}

#[test]
fn without_a_terminal_apply_acts_only_with_yes() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let before = std::fs::read(&file).unwrap();
    let o = s.device_code(&file, &["apply"]).output().unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("acts only with --yes"), "{t}");
    assert!(
        t.contains("1. create the app registration"),
        "the plan was shown: {t}"
    );
    assert!(s.writes().is_empty(), "{}", s.log_text());
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn an_app_of_the_same_name_is_named_never_taken_and_adopted_only_when_asked() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let (_, stranger) = s.seed_app(
        "Intrexx Portal",
        &["https://attacker.example/steal"],
        &[],
        Some("eve@contoso.example"),
    );
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let before = std::fs::read(&file).unwrap();
    let o = apply(&s, &file);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    for part in [
        "exists already",
        stranger.as_str(),
        "eve@contoso.example",
        "https://attacker.example/steal",
        "2025-03-04",
        "--adopt",
    ] {
        assert!(t.contains(part), "{part}: {t}");
    }
    assert!(s.writes().is_empty(), "{}", s.log_text());
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // Taken over explicitly: the plan marks the stranger's redirect URI, which stays.
    let o = s
        .device_code(&file, &["apply", "--yes", "--adopt", &stranger])
        .output()
        .unwrap();
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(
        t.contains(
            "! already on the app, not put there by azreg (Web): https://attacker.example/steal"
        ),
        "{t}"
    );
    assert_eq!(s.apps().len(), 1);
    let web = &s.apps()[0]["web"]["redirectUris"];
    assert_eq!(
        web,
        &serde_json::json!([
            "https://attacker.example/steal",
            "https://portal.example.com/oauth2/token/ms365-mycompany"
        ])
    );
    assert_eq!(
        saved(&file)["values"]["client_id"].as_str(),
        Some(stranger.as_str())
    );
}

#[test]
fn another_tenant_or_an_unknown_client_id_stops_before_any_write_and_keeps_the_record() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let secret = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
    for (extra, says) in [
        (
            "tenant_id = \"aaaaaaaa-0000-4000-a000-00000000000a\"\n".to_string(),
            vec![
                "aaaaaaaa-0000-4000-a000-00000000000a",
                "Contoso (stand-in)",
                "--tenant",
            ],
        ),
        (
            format!(
                "tenant_id = \"{}\"\nclient_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\nclient_secret = \"{secret}\"\n",
                s.opts.tenant
            ),
            vec![
                "0b1c2d3e-1111-2222-3333-444455556666",
                "typo in step 23",
                "--new-app",
            ],
        ),
    ] {
        let (_dir, file) = progress_file(&format!("{APPLY_PROGRESS}{extra}"));
        let before = std::fs::read(&file).unwrap();
        // Signed in where the admin's account lives, not where the record points.
        let o = s
            .device_code(&file, &["apply", "--yes", "--tenant", "organizations"])
            .output()
            .unwrap();
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{t}");
        for part in says {
            assert!(t.contains(part), "{part}: {t}");
        }
        assert!(t.contains("nothing was changed"), "{t}");
        assert!(s.writes().is_empty(), "{}", s.log_text());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            before,
            "the record is as it was"
        );
    }
}

#[test]
fn each_write_goes_into_the_journal_and_history_prints_it() {
    use std::os::unix::fs::PermissionsExt;
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let (dir, file) = progress_file(APPLY_PROGRESS);
    let o = apply(&s, &file);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let journal = dir.path().join("p.journal.jsonl");
    let mode = std::fs::metadata(&journal).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let lines: Vec<Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), s.writes().len(), "one line per write");
    for l in &lines {
        assert_eq!(l["account"], ADMIN_UPN);
        assert_eq!(l["tenant"], s.opts.tenant.as_str());
    }
    let ops: Vec<&str> = lines.iter().map(|l| l["op"].as_str().unwrap()).collect();
    assert_eq!(
        ops,
        [
            "create_app",
            "create_service_principal",
            "add_owner",
            "add_secret",
            "grant_scopes",
            "assign_roles"
        ]
    );
    let raw = std::fs::read_to_string(&journal).unwrap();
    let secret = saved(&file)["values"]["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!raw.contains(&secret), "a secret in the journal");
    assert!(!raw.contains("c2lnbmF0dXJl"), "a token in the journal");
    let h = std::process::Command::new(crate::common::BIN)
        .arg("--file")
        .arg(&file)
        .arg("history")
        .env_remove("LANG")
        .output()
        .unwrap();
    let ht = text(&h);
    assert_eq!(h.status.code(), Some(0), "{ht}");
    assert!(
        ht.contains(&format!("{ADMIN_UPN} in {}", s.opts.tenant)),
        "{ht}"
    );
    assert!(ht.contains("done    add_secret"), "{ht}");
}

/// An authority only the progress file names: the new secret goes there only when the admin
/// confirms it in a terminal; `--yes` does not cover it, `--authority` on the command line does.
#[test]
fn a_file_named_authority_needs_the_admin_not_just_yes() {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let named = APPLY_PROGRESS.replace(
        "[values]",
        &format!("authority = \"{}\"\n\n[values]", s.login_url()),
    );
    let (_dir, file) = progress_file(&named);
    let run = |extra: &[&str]| {
        let mut cmd = std::process::Command::new(crate::common::BIN);
        cmd.arg("--file")
            .arg(&file)
            .args(["apply", "--yes", "--device-code", "--graph", &s.graph_url()])
            .args(extra)
            .env("SSL_CERT_FILE", &s.ca_file)
            .env("AZREG_RETRY_FIRST_MS", crate::common::graph::FAST_RETRY_MS)
            .env_remove("LANG")
            .stdin(std::process::Stdio::null());
        cmd.output().unwrap()
    };
    let o = run(&[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("! the new secret is sent to 127.0.0.1"), "{t}");
    assert!(t.contains("--yes does not cover"), "{t}");
    assert!(s.writes().is_empty(), "{}", s.log_text());
    let o = run(&["--authority", &s.login_url()]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(!t.contains("! the new secret is sent"), "{t}");
}

/// Entra ID's replication has no SLA: under many lag schedules (every path lagging 0 to 3
/// times, some throttled), one `apply` ends every time with one app, one service principal,
/// one secret and the consent, and the secret works.
#[test]
fn under_any_lag_schedule_one_run_ends_with_one_of_each() {
    // Four at a time: the runs mostly wait (Retry-After is whole seconds).
    std::thread::scope(|scope| {
        for lane in 0..4u64 {
            scope.spawn(move || {
                for seed in (0..12u64).filter(|s| s % 4 == lane) {
                    one_lagged_run(seed);
                }
            });
        }
    });
}

fn one_lagged_run(seed: u64) {
    {
        let s = StandIn::start(Options::lagged(seed));
        let (_dir, file) = progress_file(APPLY_PROGRESS);
        let o = apply(&s, &file);
        let t = text(&o);
        let schedule = format!("seed {seed}: {:?}\n{t}\n{}", s.opts, s.log_text());
        assert_eq!(o.status.code(), Some(0), "{schedule}");
        assert_eq!(s.apps().len(), 1, "{schedule}");
        assert_eq!(s.sps().len(), 1, "{schedule}");
        assert_eq!(
            s.apps()[0]["passwordCredentials"].as_array().unwrap().len(),
            1,
            "{schedule}"
        );
        assert_eq!(s.grants().len(), 1, "{schedule}");
        assert_eq!(s.role_assignments().len(), 1, "{schedule}");
        assert!(t.contains("belong together"), "{schedule}");
    }
}
