//! Every validator and the normaliser: never a panic; a normalised value normalises to itself
//! and validates the same.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use azreg::core::fields::{check, clean_input, normalize};
use azreg::core::procedure::Procedure;
use libfuzzer_sys::fuzz_target;

fn procedure() -> &'static Procedure {
    static P: OnceLock<Procedure> = OnceLock::new();
    P.get_or_init(|| Procedure::embedded().expect("embedded procedure"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The first line is the value, the rest the other fields' value.
    let (value, other) = text.split_once('\n').unwrap_or((text, ""));
    let p = procedure();
    let today = time::macros::date!(2026 - 11 - 26);
    let mut values = BTreeMap::new();
    for id in ["portal_url", "collaboration", "client_id", "web_redirect_uri"] {
        values.insert(id.to_string(), other.to_string());
    }
    let ctx = p.context(&values, today);
    for spec in &p.fields {
        let _ = check(spec, value, &ctx);
        if let Ok(clean) = clean_input(value) {
            let once = normalize(spec, &clean);
            let twice = normalize(spec, &once);
            assert_eq!(once, twice, "{} not idempotent", spec.id);
            assert_eq!(check(spec, &once, &ctx), check(spec, &twice, &ctx));
        }
        let _ = ctx.assess(spec);
    }
});
