//! Property tests: no input makes a loader or validator panic, and normalising is stable.

use std::collections::BTreeMap;

use azreg::core::fields::{check, clean_input, normalize};
use azreg::core::procedure::Procedure;
use azreg::io::store;
use proptest::prelude::*;
use time::macros::date;

fn procedure() -> &'static Procedure {
    static P: std::sync::OnceLock<Procedure> = std::sync::OnceLock::new();
    P.get_or_init(|| Procedure::embedded().unwrap())
}

/// Strings that look like the values azreg sees, and plain noise.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,80}",
        "(https?|ftp)://[a-z0-9.:@\\[\\]-]{0,30}(/[a-zA-Z0-9_.~!$'(),;*?#=-]{0,20}){0,4}/?",
        "\\{?[0-9a-fA-F-]{30,40}\\}?",
        "[A-Za-z0-9_.~-]{3}[78]Q~[A-Za-z0-9_.~-]{28,40}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn validators_never_panic_and_normalising_is_stable(v in value(), other in value()) {
        let p = procedure();
        for spec in &p.fields {
            let mut values = BTreeMap::new();
            values.insert("portal_url".to_string(), other.clone());
            values.insert("collaboration".to_string(), other.clone());
            let ctx = p.context(&values, date!(2026 - 11 - 26));
            let _ = check(spec, &v, &ctx);
            if let Ok(clean) = clean_input(&v) {
                let once = normalize(spec, &clean);
                let twice = normalize(spec, &once);
                prop_assert_eq!(&once, &twice, "{} not idempotent", spec.id);
                // Normalising never makes a value worse (an error where the cleaned one had none).
                let worst = |v: &str| check(spec, v, &ctx).iter().map(|p| p.severity).max();
                prop_assert!(worst(&once) <= worst(&clean), "{}: {:?} -> {:?}", spec.id, clean, once);
                prop_assert!(clean_input(&once).is_ok());
            }
            let _ = ctx.assess(spec);
        }
    }

    #[test]
    fn loaders_never_panic(text in any::<String>()) {
        let _ = Procedure::parse(&text, "fuzz.toml");
        let _ = store::parse(&text, "fuzz.toml");
    }

    #[test]
    fn tomlish_progress_never_panics(
        version in 0u32..5,
        current in "[a-z-]{0,12}",
        extra in "[ -~\n]{0,60}",
    ) {
        let text = format!("version = {version}\ncurrent = \"{current}\"\n{extra}");
        let _ = store::parse(&text, "p.toml");
    }
}

/// One thing that writes the record.
#[derive(Debug, Clone)]
enum Edit {
    /// `azreg set`, or a value typed in the walkthrough (empty clears it).
    Set(&'static str, &'static str),
    /// `azreg done`, or Enter on a step in the walkthrough.
    Done(usize),
    /// `azreg import` of a script's or the Azure CLI's JSON.
    Import(&'static str, &'static str, &'static str),
    /// What a run of `azreg apply` recorded, taken into the walkthrough's progress.
    Apply(&'static str, &'static str),
    /// The renewal walkthrough, all its steps done with this new secret.
    Renew(&'static str),
}

const IDS: [&str; 3] = [
    "0b1c2d3e-1111-2222-3333-444455556666",
    "1b1c2d3e-1111-2222-3333-444455556666",
    "2b1c2d3e-1111-2222-3333-444455556666",
];
const TENANTS: [&str; 2] = [
    "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
    "8f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
];
const SECRETS: [&str; 3] = [
    "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
    "xyz8Q~abcdefghijklmnopqrstuvwxyz0123456_",
    "klm8Q~abcdefghijklmnopqrstuvwxyz0123456_",
];

fn edit() -> impl Strategy<Value = Edit> {
    let field = prop_oneof![
        Just("client_id"),
        Just("tenant_id"),
        Just("client_secret"),
        Just("app_name")
    ];
    let value = prop_oneof![
        Just(""),
        Just(IDS[0]),
        Just(IDS[1]),
        Just(TENANTS[0]),
        Just(TENANTS[1]),
        Just(SECRETS[0]),
        Just(SECRETS[1]),
        Just("Intrexx Portal")
    ];
    prop_oneof![
        (field, value).prop_map(|(f, v)| Edit::Set(f, v)),
        (0usize..30).prop_map(Edit::Done),
        (0usize..3, 0usize..2, 0usize..3)
            .prop_map(|(a, t, s)| Edit::Import(IDS[a], TENANTS[t], SECRETS[s])),
        (0usize..3, 0usize..3).prop_map(|(a, s)| Edit::Apply(IDS[a], SECRETS[s])),
        (0usize..3).prop_map(|s| Edit::Renew(SECRETS[s])),
    ]
}

fn perform(e: &Edit, progress: &mut azreg::core::progress::Progress) {
    use azreg::core::edit;
    let p = procedure();
    let today = date!(2026 - 11 - 26);
    let at = azreg::io::clock::now();
    match e {
        Edit::Set(field, value) => {
            let spec = p.field(field).unwrap();
            edit::set_value(p, progress, spec, value, (today, at, "set"));
        }
        Edit::Done(i) => {
            let i = i % p.entries.len();
            if matches!(
                p.entries[i].kind,
                azreg::core::procedure::EntryKind::Step { .. }
            ) {
                let _ = edit::mark_done(p, progress, i, (today, at));
            }
        }
        Edit::Import(app, tenant, secret) => {
            let json = serde_json::json!({"appId": app, "tenant": tenant, "password": secret,
                "secretKeyId": "aaaaaaaa-1111-2222-3333-444455556666", "azreg": "script az"});
            let _ = azreg::core::edit::import::take_import(
                p,
                progress,
                json.as_object().unwrap(),
                (today, at),
            );
        }
        Edit::Apply(app, secret) => {
            let mut run = progress.clone();
            run.put_value("client_id", Some(app.to_string()), "apply", at);
            run.put_value("client_secret", Some(secret.to_string()), "apply", at);
            run.put_id(
                azreg::core::progress::Slot::AppObject,
                Some(app.replace("0b1c", "ffff")),
                "apply",
                at,
            );
            azreg::core::edit::take_applied(progress, &run);
        }
        Edit::Renew(secret) => {
            static R: std::sync::OnceLock<Procedure> = std::sync::OnceLock::new();
            let r = R.get_or_init(|| Procedure::renewal_in(azreg::i18n::Lang::En).unwrap());
            for (k, v) in [
                ("new_secret_description", "Intrexx 2027"),
                ("new_secret_expiry", "2027-05-30"),
                ("new_client_secret", secret),
            ] {
                edit::set_value(r, progress, r.field(k).unwrap(), v, (today, at, "renew"));
            }
            for i in 0..r.entries.len() {
                if matches!(
                    r.entries[i].kind,
                    azreg::core::procedure::EntryKind::Step { .. }
                ) {
                    let _ = edit::mark_done(r, progress, i, (today, at));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Nothing recorded is lost: whatever sets values, marks steps, imports, applies and renews
    /// in whatever order, every client ID, tenant ID, object ID and secret the record ever held
    /// is still there: the current value, the history, or (for a secret not yet replaced by a
    /// proved one) the earlier secrets.
    #[test]
    fn recorded_identity_values_never_shrink(edits in proptest::collection::vec(edit(), 1..24)) {
        use azreg::core::progress::{IDENTITY_VALUES, Progress, SECRET_FIELDS};
        let mut progress = Progress::new(&procedure().id);
        let mut held: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in &edits {
            perform(e, &mut progress);
            for f in IDENTITY_VALUES {
                if let Some(v) = progress.values.get(f) {
                    let seen = held.entry(f.to_string()).or_default();
                    if !seen.contains(v) {
                        seen.push(v.clone());
                    }
                }
            }
            if let Some(v) = &progress.app_object_id {
                let seen = held.entry("app_object_id".into()).or_default();
                if !seen.contains(v) {
                    seen.push(v.clone());
                }
            }
            for (f, values) in &held {
                for v in values {
                    let current = if f == "app_object_id" {
                        progress.app_object_id.as_ref()
                    } else {
                        progress.values.get(f)
                    };
                    let kept = current == Some(v)
                        || if SECRET_FIELDS.contains(&f.as_str()) {
                            progress.earlier_secrets.contains(v)
                        } else {
                            progress.history.iter().any(|h| &h.field == f && h.old.as_ref() == Some(v))
                        };
                    prop_assert!(kept, "{f} = {v} was lost after {e:?} in {edits:?}");
                }
            }
        }
    }
}

/// A request head as a browser, a scanner or another local user might send it.
fn head() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(GET|POST|PUT) /[ -~]{0,60} HTTP/1\\.[01]\r\n[ -~]{0,40}\r\n\r\n",
        "GET /\\?(code|state|error|error_description)=[A-Za-z0-9%+_.-]{0,20}(&(code|state|error)=[A-Za-z0-9%+_.-]{0,20}){0,3} HTTP/1\\.1\r\n\r\n",
    ]
}

/// An application object as Graph might answer it, hostile ids and all.
fn graph_app() -> impl Strategy<Value = serde_json::Value> {
    let id = prop_oneof![
        Just("0b1c2d3e-1111-2222-3333-444455556666".to_string()),
        "[ -~]{0,40}",
        Just("../../beta/users?$select=id".to_string()),
    ];
    let uri = prop_oneof!["https://[a-z.]{1,12}/[ -~]{0,20}", any::<String>(),];
    (
        id.clone(),
        id,
        proptest::collection::vec(uri.clone(), 0..3),
        proptest::collection::vec(uri, 0..3),
        proptest::collection::vec(("[ -~]{0,40}", "[ -~]{0,10}", "[ -~]{0,30}"), 0..3),
    )
        .prop_map(|(id, app_id, web, spa, creds)| {
            serde_json::json!({
                "id": id, "appId": app_id, "displayName": "Intrexx Portal",
                "signInAudience": "AzureADMyOrg",
                "web": {"redirectUris": web}, "spa": {"redirectUris": spa},
                "passwordCredentials": creds.into_iter().map(|(k, d, s)| serde_json::json!({
                    "keyId": k, "displayName": d, "startDateTime": s, "hint": "abc",
                })).collect::<Vec<_>>(),
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// The loopback listener: any head is an answer, and only one with azreg's `state` counts.
    #[test]
    fn only_a_head_with_our_state_is_an_answer(h in head()) {
        use azreg::remote::signin::browser::{Answer, read_answer};
        let state = "S0123456789abcdef";
        match read_answer(&h, state) {
            Answer::Stray => {}
            Answer::Code(c) => prop_assert!(!c.is_empty() && h.contains(state)),
            Answer::Refused(..) => prop_assert!(h.contains(state)),
        }
    }

    /// Whatever Graph answers for the app, the plan either stops with an error or sends its
    /// writes to paths made of checked segments.
    #[test]
    fn a_plan_from_any_answer_stays_on_its_paths(v in graph_app()) {
        use azreg::core::plan::{self, Found, Goal, Recorded, Tenant};
        // The answer as Graph's type (a shape that is not is refused before any plan), then
        // as the plan's.
        let Ok(v) = azreg::remote::graph::typed::<azreg::remote::graph::Application>(
            azreg::remote::graph::Read::Application,
            v,
        ) else {
            return Ok(());
        };
        let Ok(app) = azreg::engine::read::app_state(&v) else {
            return Ok(());
        };
        prop_assert!(azreg::core::fields::is_guid(&app.id) && azreg::core::fields::is_guid(&app.app_id));
        let p = procedure();
        let mut progress = azreg::core::progress::Progress::new(&p.id);
        for (k, val) in [
            ("portal_url", "https://portal.example.com"),
            ("collaboration", "mycompany"),
            ("app_name", "Intrexx Portal"),
            ("secret_description", "Intrexx connector"),
            ("secret_expiry", "2027-05-25"),
        ] {
            progress.values.insert(k.into(), val.into());
        }
        let r = azreg::core::report::Report::new(p, &progress, date!(2026 - 11 - 26));
        let goal = Goal::Register(plan::record::desired(&r, true).unwrap());
        let t = Tenant {
            who: plan::Who::default(),
            app: Found::App(Box::new(app)),
            sp: None,
            graph_sp: Some("11111111-0000-4000-a000-000000000001".into()),
            grant: None,
            roles: Vec::new(),
            secret_policy: None,
        };
        if let Ok(plan) = plan::build(&goal, &Recorded::default(), &t, &plan::Options::default()) {
            let _ = plan.text(azreg::i18n::Lang::De);
            for w in plan.writes(&plan::Ids::default()) {
                prop_assert!(!w.path_text().contains("/../"), "{}", w.path_text());
                prop_assert!(!w.path_text().contains('?'), "{}", w.path_text());
            }
        }
    }
}
