use super::*;
use crate::core::plan::tests::{GRAPH_SP, SPA, WEB, complete_app, desired, empty_tenant};
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 30);

fn recorded() -> Recorded {
    Recorded {
        tenant_id: Some(crate::core::plan::tests::TENANT.into()),
        client_id: Some(complete_app().app_id),
        secret_hint: Some("abc".into()),
        ..Recorded::default()
    }
}

/// The tenant a complete registration leaves: app, enabled service principal, consent,
/// an owner.
fn complete() -> Tenant {
    let mut a = complete_app();
    a.owners = vec!["admin@contoso.example".into()];
    let d = desired();
    Tenant {
        app: Found::App(Box::new(a)),
        sp: Some(("55555555-0000-4000-a000-000000000005".into(), true)),
        graph_sp: Some(GRAPH_SP.into()),
        grant: Some(("g".into(), vec!["User.Read".into()])),
        roles: d
            .permissions
            .iter()
            .filter(|p| p.kind == Kind::Application)
            .map(|p| p.id.to_string())
            .collect(),
        ..empty_tenant()
    }
}

fn app_mut(t: &mut Tenant) -> &mut AppState {
    match &mut t.app {
        Found::App(a) => a,
        _ => unreachable!(),
    }
}

fn run(t: &Tenant, expiry: Option<&str>) -> Examined {
    let p = Procedure::embedded().unwrap();
    examine(&p, &desired(), &recorded(), expiry, t, TODAY)
}

fn ids(e: &Examined, level: Level) -> Vec<&'static str> {
    e.findings
        .iter()
        .filter(|f| f.level == level)
        .map(|f| f.id)
        .collect()
}

#[test]
fn a_complete_registration_has_nothing_wrong() {
    let e = run(&complete(), Some("2099-05-24"));
    assert!(!e.failed(true), "{}", e.text(Lang::En));
    assert_eq!(
        ids(&e, Level::Ok),
        [
            "app",
            "web_uri",
            "spa_uri",
            "service_principal",
            "permission",
            "consent",
            "secret",
            "owners"
        ]
    );
    assert_eq!(e.azure_expiry(), Some("2099-05-25"));
    assert!(e.text(Lang::En).contains("Nothing is wrong"));
}

#[test]
fn the_spa_uri_under_web_is_an_error_with_its_step_and_apply_fixes_it() {
    let mut t = complete();
    let a = app_mut(&mut t);
    a.redirect_uris.set(Platform::Spa, Vec::new());
    a.redirect_uris.add(Platform::Web, SPA);
    let e = run(&t, None);
    assert!(e.failed(false));
    let f = e.findings.iter().find(|f| f.id == "spa_uri").unwrap();
    assert_eq!(f.level, Level::Error);
    assert!(f.fixable);
    let p = Procedure::embedded().unwrap();
    let step = p.step_of_field("spa_redirect_uri").to_string();
    assert_eq!(f.step.as_deref(), Some(step.as_str()));
    assert!(
        f.line(Lang::En)
            .contains("is under the Web platform, but belongs under Single-page application"),
        "{}",
        f.line(Lang::En)
    );
    // Not also listed as "another" URI.
    assert!(!e.findings.iter().any(|f| f.id == "other_uri"));
}

#[test]
fn a_missing_uri_and_foreign_ones_are_told_apart() {
    let mut t = complete();
    let a = app_mut(&mut t);
    a.redirect_uris
        .set(Platform::Web, vec!["https://attacker.example/steal".into()]);
    let e = run(&t, None);
    let web = e.findings.iter().find(|f| f.id == "web_uri").unwrap();
    assert_eq!(
        web.what,
        What::UriMissing {
            uri: WEB.into(),
            platform: Platform::Web
        }
    );
    let other = e.findings.iter().find(|f| f.id == "other_uri").unwrap();
    assert_eq!(other.level, Level::Info);
    assert!(other.line(Lang::En).contains("attacker.example"));
}

#[test]
fn no_service_principal_is_an_error_and_recorded_consent_one_of_its_own() {
    let mut t = complete();
    t.sp = None;
    t.grant = None;
    t.roles.clear();
    let e = run(&t, None);
    assert!(ids(&e, Level::Error).contains(&"service_principal"));
    // The record says consent was given; Azure cannot hold it without a service principal.
    assert!(ids(&e, Level::Error).contains(&"consent"));
    let mut t = complete();
    t.sp = Some(("x".into(), false));
    let f = run(&t, None)
        .findings
        .into_iter()
        .find(|f| f.id == "service_principal")
        .unwrap();
    assert_eq!(f.what, What::SpDisabled);
}

#[test]
fn consent_is_measured_per_permission() {
    let mut t = complete();
    t.roles.clear();
    let e = run(&t, None);
    let f = e.findings.iter().find(|f| f.id == "consent").unwrap();
    assert_eq!(
        f.what,
        What::ConsentMissing {
            names: vec![("Chat.Read.All".into(), true)]
        }
    );
    let mut t = complete();
    app_mut(&mut t).graph_access.clear();
    let e = run(&t, None);
    assert_eq!(
        e.findings.iter().filter(|f| f.id == "permission").count(),
        2
    );
}

#[test]
fn a_secret_ending_in_ten_days_is_expiring_and_the_recorded_date_is_held_against_azures() {
    let mut t = complete();
    app_mut(&mut t).creds[0].end = "2026-12-10T09:00:00Z".into();
    let e = run(&t, Some("2027-05-29"));
    let f = e.findings.iter().find(|f| f.id == "secret").unwrap();
    assert_eq!(f.level, Level::Warning);
    assert!(matches!(f.what, What::SecretExpiring { days: 10, .. }));
    let d = e.findings.iter().find(|f| f.id == "secret_expiry").unwrap();
    assert!(d.line(Lang::En).contains("2027-05-29"));
    assert_eq!(e.azure_expiry(), Some("2026-12-10"));
    // A secret whose end is midnight worked through the day before only.
    app_mut(&mut t).creds[0].end = "2026-11-30T00:00:00Z".into();
    let f = run(&t, None)
        .findings
        .into_iter()
        .find(|f| f.id == "secret");
    assert!(matches!(f.unwrap().what, What::SecretExpired { .. }));
}

#[test]
fn the_secret_in_use_is_found_by_its_hint_and_the_others_listed() {
    let mut t = complete();
    let a = app_mut(&mut t);
    a.creds.insert(
        0,
        Cred {
            key_id: "k2".into(),
            display_name: "old".into(),
            hint: "xyz".into(),
            end: "2026-01-01T00:00:00Z".into(),
            ..Cred::default()
        },
    );
    let e = run(&t, None);
    assert!(matches!(
        e.findings.iter().find(|f| f.id == "secret").unwrap().what,
        What::SecretOk { .. }
    ));
    let other = e.findings.iter().find(|f| f.id == "other_secret").unwrap();
    assert!(other.line(Lang::En).contains("old (xyz…)"));
    // The hint on no secret: removed, or another app's.
    app_mut(&mut t).creds.retain(|c| c.hint != "abc");
    let f = run(&t, None)
        .findings
        .into_iter()
        .find(|f| f.id == "secret")
        .unwrap();
    assert_eq!(f.level, Level::Error);
}

#[test]
fn no_owners_is_a_warning_and_another_tenant_an_error() {
    let mut t = complete();
    app_mut(&mut t).owners.clear();
    let e = run(&t, None);
    assert_eq!(ids(&e, Level::Warning), ["owners"]);
    // A warning alone: the connector can work, exit 0; --strict fails on it.
    assert!(!e.failed(false) && e.failed(true));
    t.who.tenant_id = "aaaaaaaa-0000-4000-a000-00000000000a".into();
    let e = run(&t, None);
    assert_eq!(e.findings[0].id, "tenant");
    assert_eq!(e.findings[0].level, Level::Error);
}

#[test]
fn the_json_carries_id_severity_step_message_and_fixable() {
    let mut t = complete();
    t.sp = None;
    let v = run(&t, None).to_json(Lang::De, Some("2099-05-24"));
    assert_eq!(v["schema"], "azreg.doctor");
    assert_eq!(v["ok"], false);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "service_principal")
        .unwrap();
    assert_eq!(f["severity"], "error");
    assert_eq!(f["fixable"], true);
    assert!(f["message"].as_str().unwrap().contains("Dienstprinzipal"));
    assert_eq!(v["secret_expiry"]["azure"], "2099-05-25");
}

#[test]
fn what_graph_hands_back_is_cleaned_before_a_terminal_sees_it() {
    let mut t = complete();
    app_mut(&mut t).redirect_uris.add(
        Platform::Web,
        "https://x.example/\u{1b}]52;c;AAAA\u{7}\u{202e}",
    );
    let text = run(&t, None).text(Lang::En);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("https://x.example/"), "{text}");
}

#[test]
fn consent_recorded_without_a_service_principal_is_a_finding_of_its_own() {
    let mut t = complete();
    t.sp = None;
    let e = run(&t, None);
    let errors = ids(&e, Level::Error);
    assert!(errors.contains(&"service_principal"), "{errors:?}");
    assert!(errors.contains(&"consent"), "{errors:?}");
    let sp = e
        .findings
        .iter()
        .find(|f| f.id == "service_principal")
        .unwrap();
    let text = sp.line(Lang::En);
    assert!(text.contains("az ad sp create --id"), "{text}");
    assert!(sp.line(Lang::De).contains("Verwaltete Anwendung"));
}

mod outside_text_forges_no_line {
    use super::*;
    use proptest::prelude::*;

    /// Strings as hostile as Graph may hand out: line breaks, tabs, ESC, C1, bidi and
    /// zero-width characters among ordinary text.
    fn hostile() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("\n✓ forged".to_string()),
                Just("\r\t".to_string()),
                Just("\u{1b}[2J".to_string()),
                Just("\u{9b}31m".to_string()),
                Just("\u{202e}\u{2066}".to_string()),
                Just("\u{200b}\u{2060}\u{feff}".to_string()),
                "[a-zA-Z0-9 .:/-]{0,8}".prop_map(|s| s),
                any::<String>(),
            ],
            0..6,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever the app's texts hold, the doctor prints one line per finding and the plan
        /// one line per line it means, none with a character that steers the terminal.
        #[test]
        fn through_every_printer(
            name in hostile(),
            uri in hostile(),
            desc in hostile(),
            hint in hostile(),
            owner in hostile(),
            tenant in hostile(),
        ) {
            let mut t = complete();
            t.who.tenant_name = Some(tenant);
            {
                let a = app_mut(&mut t);
                a.display_name = name;
                a.redirect_uris.add(Platform::Web, &uri);
                a.redirect_uris.add(Platform::PublicClient, &uri);
                a.creds.push(Cred {
                    key_id: "77777777-0000-4000-a000-000000000007".into(),
                    display_name: desc,
                    hint,
                    start: "2026-01-01T00:00:00Z".into(),
                    end: "2099-01-01T00:00:00Z".into(),
                });
                a.owners = vec![owner];
            }
            let safe = |l: &str| !l.chars().any(crate::text::is_unsafe);
            for lang in [Lang::En, Lang::De] {
                let e = run(&t, None);
                let text = e.text(lang);
                prop_assert_eq!(text.lines().count(), e.findings.len() + 2, "{}", text);
                prop_assert!(text.lines().all(safe), "{}", text);
                // As every --json leaves azreg (`cli::json_text`).
                let json =
                    serde_json::to_string(&crate::text::clean_json(e.to_json(lang, None))).unwrap();
                prop_assert!(json.chars().all(|c| !crate::text::is_unsafe(c)), "{}", json);
                let d = desired();
                let p = crate::core::plan::build(
                    &crate::core::plan::Goal::Register(d),
                    &recorded(),
                    &t,
                    &crate::core::plan::Options::default(),
                );
                if let Ok(p) = p {
                    let text = p.text(lang);
                    prop_assert_eq!(text.lines().count(), p.lines(lang).len());
                    prop_assert!(text.lines().all(safe), "{}", text);
                }
            }
        }
    }
}

/// Doctor holds every platform the record names, a third one too: its own finding id, the
/// platform it was found on.
#[test]
fn a_third_platform_is_examined_as_data() {
    const NATIVE: &str = "https://portal.example.com/native";
    let mut d = desired();
    d.redirect_uris.add(Platform::PublicClient, NATIVE);
    let mut t = complete();
    app_mut(&mut t).redirect_uris.add(Platform::Spa, NATIVE);
    let p = Procedure::embedded().unwrap();
    let e = examine(
        &p,
        &d,
        &Recorded::default(),
        None,
        &t,
        date!(2026 - 11 - 30),
    );
    let f = e
        .findings
        .iter()
        .find(|f| f.id == "public_client_uri")
        .unwrap();
    assert_eq!(
        f.what,
        What::UriWrongPlatform {
            uri: NATIVE.into(),
            platform: Platform::PublicClient,
            on: Platform::Spa,
        }
    );
    assert!(f.line(Lang::En).contains("is under the Single-page application platform, but belongs under Mobile and desktop applications"), "{}", f.line(Lang::En));
}
