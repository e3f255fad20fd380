//! Microsoft Graph as it really answers (src/docs/graph.md, "What real Microsoft Graph answers"):
//! Graph's own service principal at its real size, every collection in pages of two, owners,
//! the roles a person holds, the tenant's secret lifetime policy, throttling. `plan`, `apply`
//! and `doctor` against the stand-in, signed in by device code as a person.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::graph::{ADMIN_UPN, APPLY_PROGRESS, Options, Role, StandIn};

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

fn run(s: &StandIn, file: &Path, args: &[&str]) -> Output {
    s.device_code(file, args).output().unwrap()
}

fn run_de(s: &StandIn, file: &Path, args: &[&str]) -> Output {
    s.device_code(file, args)
        .env("LANG", "de_DE.UTF-8")
        .output()
        .unwrap()
}

fn saved(file: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn options() -> Options {
    Options {
        device_pending_polls: 0,
        ..Options::default()
    }
}

/// Every Graph read names what it uses (`$select`); a next page keeps it.
fn every_read_selects(s: &StandIn) {
    for l in s
        .log()
        .iter()
        .filter(|l| l.port == "graph" && l.method == "GET")
    {
        assert!(l.target.contains("$select="), "{}", l.target);
    }
}

#[test]
fn plan_apply_and_doctor_hold_at_real_size_in_pages_of_two() {
    let s = StandIn::start(options());
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["plan"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    // An administrator is not made owner of what they create: the plan adds them.
    assert!(
        t.contains(&format!("add {ADMIN_UPN} as owner of the app")),
        "{t}"
    );
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(
        t.contains(&format!("✓ {ADMIN_UPN} is an owner of the app")),
        "{t}"
    );
    let client = saved(&file)["values"]["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(s.owners_of(&client), [ADMIN_UPN]);
    // The tenant-wide grant on a later page: still found, so consent holds and nothing is
    // planned twice.
    s.grants_before(&client, 5);
    let o = run(&s, &file, &["doctor"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(t.contains("✓ admin consent"), "{t}");
    assert!(t.contains(&format!("owners: {ADMIN_UPN}")), "{t}");
    let o = run(&s, &file, &["doctor", "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let writes = s.writes().len();
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("Nothing to do"), "{t}");
    assert_eq!(
        s.writes().len(),
        writes,
        "no second grant, no second anything"
    );
    assert_eq!(s.grants().len(), 6);
    every_read_selects(&s);
    assert!(
        s.log().iter().any(|l| l.target.contains("$skiptoken=")),
        "pages were followed"
    );
}

#[test]
fn doctor_warns_without_failing_and_strict_fails_on_the_warning() {
    // An app identity (no person to add as owner) leaves the app without owners: a warning.
    let s = StandIn::start(Options {
        role: Role::GlobalAdministrator,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let (_, secret) = s.seed_registration(
        &["https://portal.example.com/oauth2/token/ms365-mycompany"],
        &["https://portal.example.com/oauth2callback.html"],
        true,
        "2099-05-25T23:59:59Z",
    );
    let client = s.apps()[0]["appId"].as_str().unwrap().to_string();
    {
        // User.Read on the app, as the portal adds it.
        let mut st = s.state.lock().unwrap();
        let app = st
            .applications
            .iter_mut()
            .find(|a| a["appId"] == client.as_str())
            .unwrap();
        app["requiredResourceAccess"] = serde_json::json!([{
            "resourceAppId": "00000003-0000-0000-c000-000000000000",
            "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}]}]);
    }
    let mut text_file = std::fs::read_to_string(&file).unwrap();
    text_file = text_file.replace("admin_consent = \"yes\"", "admin_consent = \"no\"");
    text_file = text_file.replace(
        "graph_permissions = \"User.Read, Chat.Read.All:Application\"",
        "graph_permissions = \"User.Read\"",
    );
    text_file.push_str(&format!(
        "client_id = \"{client}\"\ntenant_id = \"{}\"\nclient_secret = \"{secret}\"\n",
        s.opts.tenant
    ));
    std::fs::write(&file, text_file).unwrap();
    let o = run(&s, &file, &["doctor"]);
    let t = text(&o);
    assert!(t.contains("! the app has no owners"), "{t}");
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings alone: the connector can work\n{t}"
    );
    let o = run(&s, &file, &["doctor", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn a_developer_gets_what_they_may_done_and_the_consent_link_for_the_rest() {
    let s = StandIn::start(Options {
        role: Role::ApplicationDeveloper,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(8), "{t}\n{}", s.log_text());
    assert!(
        t.contains("Chat.Read.All of Microsoft Graph needs Privileged Role Administrator or Global Administrator"),
        "{t}"
    );
    let p = saved(&file);
    let client = p["values"]["client_id"].as_str().unwrap().to_string();
    assert!(
        t.contains(&format!("/adminconsent?client_id={client}")),
        "{t}"
    );
    // What a developer may do is done and recorded: the app (they own it: createAsOwner),
    // its service principal, the secret, the delegated consent.
    assert!(p["values"]["client_secret"].as_str().is_some());
    assert_eq!(s.owners_of(&client), [ADMIN_UPN]);
    assert_eq!(s.sps().len(), 1);
    assert_eq!(s.grants().len(), 1);
    assert!(s.role_assignments().is_empty());
    let done = p["done"].as_table().unwrap();
    assert!(done.contains_key("copy-secret-value"), "{done:?}");
    assert!(!done.contains_key("grant-admin-consent"), "{done:?}");
    // The next run plans only what is left.
    let o = run(&s, &file, &["plan"]);
    let t = text(&o);
    assert!(
        t.contains("grant admin consent to the application permissions"),
        "{t}"
    );
    assert!(!t.contains("create the app registration"), "{t}");
    // In German.
    let o = run_de(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(8), "{t}");
    assert!(
        t.contains("braucht Administrator für privilegierte Rollen oder globalen Administrator"),
        "{t}"
    );
    assert!(
        t.contains("Was erlaubt ist, ist erledigt und gespeichert"),
        "{t}"
    );
}

#[test]
fn a_member_without_a_role_is_told_which_roles_may_consent() {
    let s = StandIn::start(Options {
        role: Role::Member,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(8), "{t}\n{}", s.log_text());
    assert!(t.contains("consent to the delegated permissions User.Read for all users needs Cloud Application Administrator"), "{t}");
    assert!(
        t.contains("Chat.Read.All of Microsoft Graph needs Privileged Role Administrator"),
        "{t}"
    );
    assert!(s.grants().is_empty() && s.role_assignments().is_empty());
    assert_eq!(s.apps().len(), 1);
}

#[test]
fn a_secret_beyond_the_tenants_lifetime_policy_is_refused_before_any_write() {
    let s = StandIn::start(Options {
        max_secret_days: Some(90),
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}\n{}", s.log_text());
    assert!(
        t.contains("allows client secrets of at most 90 days"),
        "{t}"
    );
    assert!(t.contains("nothing was changed"), "{t}");
    assert!(s.writes().is_empty(), "{}", s.log_text());
    let longest = t
        .split("azreg apply --expires ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let o = run_de(&s, &file, &["apply", "--yes"]);
    let de = text(&o);
    assert!(de.contains("von höchstens 90 Tagen"), "{de}");
    // The longest allowed end goes through, and the record says it.
    let o = run(&s, &file, &["apply", "--yes", "--expires", &longest]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert_eq!(
        saved(&file)["values"]["secret_expiry"].as_str(),
        Some(longest.as_str())
    );
}

#[test]
fn an_apps_own_policy_refusal_names_the_maximum_and_a_rerun_finishes() {
    let s = StandIn::start(Options {
        max_secret_days: Some(90),
        app_policy: true,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(7), "{t}\n{}", s.log_text());
    assert!(t.contains("at most 90 days"), "{t}");
    assert!(t.contains("--expires "), "{t}");
    assert_eq!(s.apps().len(), 1);
    assert!(saved(&file).get("pending_secret").is_none());
    let o = run(&s, &file, &["apply", "--yes", "--expires", "60"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert_eq!(s.apps().len(), 1);
}

#[test]
fn a_policy_azreg_may_not_read_is_still_explained() {
    let s = StandIn::start(Options {
        max_secret_days: Some(90),
        policy_unreadable: true,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(7), "{t}");
    assert!(t.contains("its maximum could not be read"), "{t}");
}

#[test]
fn password_credentials_blocked_by_policy_are_said_so() {
    let s = StandIn::start(Options {
        block_passwords: true,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("does not allow client secrets"), "{t}");
    assert!(s.writes().is_empty());
}

#[test]
fn throttling_on_every_few_calls_is_waited_out() {
    let s = StandIn::start(Options {
        throttle_every: 4,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}\n{}", s.log_text());
    assert!(s.log().iter().any(|l| l.status == 429));
    assert_eq!(s.apps().len(), 1);
    assert_eq!(s.role_assignments().len(), 1);
}

#[test]
fn a_tenant_entra_does_not_know_gets_the_directory_id_advice_everywhere() {
    let s = StandIn::start(options());
    let text_file = format!(
        "{APPLY_PROGRESS}tenant_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\nclient_id = \"1c2d3e4f-1111-2222-3333-444455556666\"\n"
    );
    let (_dir, file) = progress_file(&text_file);
    for cmd in [&["plan"][..], &["apply", "--yes"], &["doctor"]] {
        let o = run(&s, &file, cmd);
        let t = text(&o);
        assert!(
            t.contains(
                "does not exist (AADSTS90002): copy the Directory (tenant) ID again at step 23"
            ),
            "{cmd:?}: {t}"
        );
        let tid = "0b1c2d3e-1111-2222-3333-444455556666";
        assert!(t.contains(tid), "{t}");
    }
}

#[test]
fn an_answer_over_a_reads_limit_is_named_never_taken_for_broken_json() {
    // Graph's own service principal whole (over a MiB), as a Graph that ignored $select
    // would send it: the read says which answer and how large, and nothing is written.
    let s = StandIn::start(Options {
        ignore_select: true,
        ..options()
    });
    let (_dir, file) = progress_file(APPLY_PROGRESS);
    let o = run(&s, &file, &["apply", "--yes"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(7), "{t}");
    assert!(
        t.contains("Microsoft Graph's answer to the read of Microsoft Graph's service principal is larger than 64 KiB"),
        "{t}"
    );
    assert!(!t.contains("not JSON"), "{t}");
    assert!(s.writes().is_empty());
}
