//! The rules, tried on the embedded procedure's fields.

use super::*;
use crate::core::procedure::Procedure;
use crate::i18n::Lang;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 26);

fn proc() -> Procedure {
    Procedure::embedded().unwrap()
}

fn problems_of(p: &Procedure, values: &[(&str, &str)], field: &str) -> Vec<Problem> {
    let values: Values = values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let ctx = p.context(&values, TODAY);
    ctx.assess(p.field(field).unwrap()).problems
}

fn state_of(p: &Procedure, values: &[(&str, &str)], field: &str) -> FieldState {
    let values: Values = values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    p.context(&values, TODAY)
        .assess(p.field(field).unwrap())
        .state()
}

/// (field, value, expected state, a word the first message must contain)
const CASES: &[(&str, &str, FieldState, &str)] = &[
    (
        "portal_url",
        "https://portal.example.com",
        FieldState::Ok,
        "",
    ),
    (
        "portal_url",
        "https://example.com/intrexx",
        FieldState::Ok,
        "",
    ),
    (
        "portal_url",
        "portal.example.com",
        FieldState::Error,
        "scheme",
    ),
    (
        "portal_url",
        "http://portal.example.com",
        FieldState::Error,
        "https",
    ),
    (
        "portal_url",
        "http://localhost:1337",
        FieldState::Warning,
        "localhost",
    ),
    (
        "portal_url",
        "https://a.com/?x=1",
        FieldState::Error,
        "query",
    ),
    (
        "portal_url",
        "https://a.com/#top",
        FieldState::Error,
        "fragment",
    ),
    (
        "portal_url",
        "https://me:pw@a.com",
        FieldState::Error,
        "password",
    ),
    (
        "portal_url",
        "https://a.com/oauth2callback.html",
        FieldState::Error,
        "OneDrive",
    ),
    (
        "portal_url",
        "https://a.com/oauth2/token/ms365-x",
        FieldState::Error,
        "connector",
    ),
    ("portal_url", "ftp://a.com", FieldState::Error, "scheme"),
    ("collaboration", "mycompany", FieldState::Ok, ""),
    ("collaboration", "My2Company", FieldState::Ok, ""),
    (
        "collaboration",
        "my-company",
        FieldState::Error,
        "letters and digits",
    ),
    (
        "collaboration",
        "my company",
        FieldState::Error,
        "letters and digits",
    ),
    ("app_name", "Intrexx Portal", FieldState::Ok, ""),
    ("app_name", "bad\u{7}bell", FieldState::Error, "control"),
    ("account_type", "AzureADMyOrg", FieldState::Ok, ""),
    ("account_type", "Everyone", FieldState::Error, "choices"),
    (
        "web_redirect_uri",
        "https://a.com/oauth2/token/ms365-x",
        FieldState::Ok,
        "",
    ),
    (
        "web_redirect_uri",
        "https://a.com/oauth2/token/x",
        FieldState::Error,
        "ms365-",
    ),
    (
        "web_redirect_uri",
        "https://a.com/oauth2/token/ms365-",
        FieldState::Error,
        "letters",
    ),
    (
        "web_redirect_uri",
        "https://a.com/oauth2/token/ms365-x#f",
        FieldState::Error,
        "fragment",
    ),
    (
        "web_redirect_uri",
        "https://a.com/oauth2/token/ms365-x?a=b",
        FieldState::Error,
        "query",
    ),
    (
        "web_redirect_uri",
        "https://*.a.com/oauth2/token/ms365-x",
        FieldState::Error,
        "wildcard",
    ),
    (
        "web_redirect_uri",
        "https://a.com/oauth2/token/ms365-x;y",
        FieldState::Error,
        "does not support",
    ),
    (
        "web_redirect_uri",
        "http://a.com/oauth2/token/ms365-x",
        FieldState::Error,
        "https",
    ),
    (
        "web_redirect_uri",
        "http://localhost/oauth2/token/ms365-x",
        FieldState::Ok,
        "",
    ),
    (
        "web_redirect_uri",
        "https://[::1]/oauth2/token/ms365-x",
        FieldState::Error,
        "IPv6",
    ),
    (
        "spa_redirect_uri",
        "https://a.com/oauth2callback.html",
        FieldState::Ok,
        "",
    ),
    (
        "spa_redirect_uri",
        "https://a.com/callback.html",
        FieldState::Error,
        "oauth2callback.html",
    ),
    (
        "secret_description",
        "Intrexx connector",
        FieldState::Ok,
        "",
    ),
    ("secret_expiry", "2027-05-25", FieldState::Ok, ""),
    (
        "secret_expiry",
        "2026-12-10",
        FieldState::Warning,
        "expires in 14 days",
    ),
    ("secret_expiry", "2026-11-01", FieldState::Error, "passed"),
    (
        "secret_expiry",
        "2030-01-01",
        FieldState::Warning,
        "24 months",
    ),
    (
        "secret_expiry",
        "31.05.2027",
        FieldState::Error,
        "YYYY-MM-DD",
    ),
    (
        "client_id",
        "0b1c2d3e-1111-2222-3333-444455556666",
        FieldState::Ok,
        "",
    ),
    (
        "client_id",
        "0b1c2d3e-1111-2222-3333-44445555666",
        FieldState::Error,
        "GUID",
    ),
    (
        "client_id",
        "0b1c2d3e11112222333344445555666a",
        FieldState::Error,
        "GUID",
    ),
    (
        "client_id",
        "zb1c2d3e-1111-2222-3333-444455556666",
        FieldState::Error,
        "GUID",
    ),
    (
        "client_secret",
        "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
        FieldState::Ok,
        "",
    ),
    (
        "client_secret",
        "abc7Q~abcdefghijklmnopqrstuvwxyz01234",
        FieldState::Ok,
        "",
    ),
    (
        "client_secret",
        "abc8Q~abcdefghijklmnopqrstuvwxyz012345",
        FieldState::Warning,
        "38",
    ),
    (
        "client_secret",
        "0b1c2d3e-1111-2222-3333-444455556666",
        FieldState::Error,
        "Secret ID",
    ),
    (
        "client_secret",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        FieldState::Warning,
        "Q~",
    ),
    (
        "client_secret",
        "abc8Q~short",
        FieldState::Error,
        "16 to 64",
    ),
    (
        "client_secret",
        "abc8Q~abcdefghijklmnop qrstuvwxyz01234567",
        FieldState::Error,
        "character 23",
    ),
];

#[test]
fn every_rule_good_and_bad() {
    let p = proc();
    for (field, value, state, word) in CASES {
        let problems = problems_of(&p, &[(field, value)], field);
        let got = state_of(&p, &[(field, value)], field);
        assert_eq!(got, *state, "{field} = {value:?}: {problems:?}");
        if !word.is_empty() {
            assert!(
                problems.iter().any(|pr| pr.message.contains(word)),
                "{field} = {value:?}: expected {word:?} in {problems:?}"
            );
        }
    }
}

#[test]
fn redirect_uri_over_256_chars_is_an_error() {
    let p = proc();
    let long = format!("https://a.com/{}/oauth2callback.html", "x".repeat(250));
    let pr = problems_of(&p, &[("spa_redirect_uri", &long)], "spa_redirect_uri");
    assert!(
        pr.iter().any(|x| x.message.contains("at most 256")),
        "{pr:?}"
    );
}

#[test]
fn derived_uris_follow_the_portal_url_and_name() {
    let p = proc();
    let values: Values = [
        (
            "portal_url".to_string(),
            "https://portal.example.com".to_string(),
        ),
        ("collaboration".to_string(), "mycompany".to_string()),
    ]
    .into();
    let ctx = p.context(&values, TODAY);
    assert_eq!(
        ctx.effective("web_redirect_uri"),
        Some((
            "https://portal.example.com/oauth2/token/ms365-mycompany".to_string(),
            true
        ))
    );
    let spa = ctx.assess(p.field("spa_redirect_uri").unwrap());
    assert_eq!(
        spa.value.as_deref(),
        Some("https://portal.example.com/oauth2callback.html")
    );
    assert!(spa.derived);
    assert_eq!(spa.state(), FieldState::Ok);
}

#[test]
fn entered_value_wins_over_derived() {
    let p = proc();
    let values: Values = [
        (
            "portal_url".to_string(),
            "https://portal.example.com".to_string(),
        ),
        ("collaboration".to_string(), "mycompany".to_string()),
        (
            "web_redirect_uri".to_string(),
            "https://other.example.com/oauth2/token/ms365-mycompany".to_string(),
        ),
    ]
    .into();
    let ctx = p.context(&values, TODAY);
    let a = ctx.assess(p.field("web_redirect_uri").unwrap());
    assert!(!a.derived);
    assert_eq!(a.state(), FieldState::Warning, "{:?}", a.problems);
    assert!(a.problems[0].message.contains("differs from the portal"));
}

#[test]
fn no_derivation_from_invalid_sources() {
    let p = proc();
    let values: Values = [
        ("portal_url".to_string(), "https://a.com".to_string()),
        ("collaboration".to_string(), "my-company".to_string()),
    ]
    .into();
    let ctx = p.context(&values, TODAY);
    assert_eq!(ctx.effective("web_redirect_uri"), None);
    assert!(ctx.effective("spa_redirect_uri").is_some());
}

#[test]
fn web_uri_name_differing_from_collaboration_warns() {
    let p = proc();
    let pr = problems_of(
        &p,
        &[
            ("collaboration", "mycompany"),
            ("web_redirect_uri", "https://a.com/oauth2/token/ms365-other"),
        ],
        "web_redirect_uri",
    );
    assert_eq!(pr.len(), 1);
    assert_eq!(pr[0].severity, Severity::Warning);
}

#[test]
fn same_uri_twice_is_an_error() {
    let p = proc();
    let same = "https://a.com/oauth2callback.html";
    let pr = problems_of(
        &p,
        &[("web_redirect_uri", same), ("spa_redirect_uri", same)],
        "spa_redirect_uri",
    );
    assert!(
        pr.iter().any(|x| x.message.contains("must differ")),
        "{pr:?}"
    );
}

#[test]
fn client_id_equal_to_tenant_id_is_an_error() {
    let p = proc();
    let g = "0b1c2d3e-1111-2222-3333-444455556666";
    let pr = problems_of(&p, &[("client_id", g), ("tenant_id", g)], "tenant_id");
    assert!(
        pr.iter().any(|x| x.message.contains("copied twice")),
        "{pr:?}"
    );
}

#[test]
fn guid_normalisation_accepts_braces_case_and_space() {
    let p = proc();
    let spec = p.field("client_id").unwrap();
    assert_eq!(
        normalize(spec, " {0B1C2D3E-1111-2222-3333-444455556666} "),
        "0b1c2d3e-1111-2222-3333-444455556666"
    );
    // Not a GUID: left as typed, so the error shows what the user entered.
    assert_eq!(normalize(spec, "nope"), "nope");
}

#[test]
fn base_url_loses_its_trailing_slash() {
    let p = proc();
    let spec = p.field("portal_url").unwrap();
    assert_eq!(
        normalize(spec, "https://portal.example.com/"),
        "https://portal.example.com"
    );
    assert_eq!(
        normalize(spec, "https://a.com/portal//"),
        "https://a.com/portal"
    );
}

#[test]
fn clean_input_refuses_control_and_line_breaks() {
    assert_eq!(clean_input("  abc \n").unwrap(), "abc");
    assert_eq!(clean_input("a\nb"), Err(InputError::LineBreak));
    assert_eq!(clean_input("\u{1b}]0;pwned\u{7}"), Err(InputError::Unsafe));
    assert_eq!(clean_input("abc\u{202e}def"), Err(InputError::Unsafe));
    assert_eq!(clean_input("a\0b"), Err(InputError::Unsafe));
}

#[test]
fn secret_messages_never_contain_the_secret() {
    let p = proc();
    let secret = "abc8Q~abcdefghijklmnop qrstuvwxyz01234567";
    for pr in problems_of(&p, &[("client_secret", secret)], "client_secret") {
        assert!(!pr.message.contains("abc8Q~"), "{}", pr.message);
    }
}

#[test]
fn placeholders_are_found() {
    assert_eq!(placeholders("{a}/x/{b}c"), ["a", "b"]);
    assert!(placeholders("none").is_empty());
}

#[test]
fn the_renewals_new_secret_must_not_be_the_old_one() {
    let p = crate::core::procedure::Procedure::renewal_in(Lang::En).unwrap();
    let spec = p.field("new_client_secret").unwrap();
    let old = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
    let mut values = Values::new();
    values.insert("client_secret".into(), old.into());
    let today = time::macros::date!(2026 - 11 - 27);
    let ctx = p.context(&values, today);
    let same = check(spec, old, &ctx);
    assert!(
        same.iter().any(|x| x.message.contains("records already")),
        "{same:?}"
    );
    assert!(
        !same.iter().any(|x| x.message.contains("abc")),
        "no characters of it"
    );
    let hint_only = check(spec, "abc8Q~zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", &ctx);
    assert!(
        hint_only
            .iter()
            .any(|x| x.message.contains("records already"))
    );
    let new = check(spec, "xyz8Q~abcdefghijklmnopqrstuvwxyz0123456_", &ctx);
    assert!(new.iter().all(|x| x.severity != Severity::Error), "{new:?}");
}
