//! Property tests: no input makes a loader or validator panic, and normalising is stable.

use std::collections::BTreeMap;

use azreg::fields::{check, clean_input, normalize};
use azreg::procedure::Procedure;
use azreg::store;
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
            if let Ok(clean) = clean_input(&v, p.lang()) {
                let once = normalize(spec, &clean);
                let twice = normalize(spec, &once);
                prop_assert_eq!(&once, &twice, "{} not idempotent", spec.id);
                // Normalising never makes a value worse (an error where the cleaned one had none).
                let worst = |v: &str| check(spec, v, &ctx).iter().map(|p| p.severity).max();
                prop_assert!(worst(&once) <= worst(&clean), "{}: {:?} -> {:?}", spec.id, clean, once);
                prop_assert!(clean_input(&once, p.lang()).is_ok());
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
