//! The plan from whatever Graph answers for an app: any JSON read as the app either stops with
//! a clear error or gives a plan whose write paths are made of segments (no `..` escapes), and
//! whose text and JSON can be shown.
#![no_main]

use azreg::core::plan::{self, Found, Goal, Recorded, Tenant};
use libfuzzer_sys::fuzz_target;

fn goal() -> Goal {
    let p = azreg::core::procedure::Procedure::embedded().unwrap();
    let mut progress = azreg::core::progress::Progress::new(&p.id);
    for (k, v) in [
        ("portal_url", "https://portal.example.com"),
        ("collaboration", "mycompany"),
        ("app_name", "Intrexx Portal"),
        ("secret_description", "Intrexx connector"),
        ("secret_expiry", "2027-05-25"),
    ] {
        progress.values.insert(k.into(), v.into());
    }
    let r = azreg::core::report::Report::new(&p, &progress, time::macros::date!(2026 - 11 - 26));
    Goal::Register(plan::record::desired(&r, true).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(app) = azreg::engine::read::app_state(&v) else {
        return;
    };
    let t = Tenant {
        who: plan::Who::default(),
        app: Found::App(Box::new(app)),
        sp: None,
        graph_sp: Some("11111111-0000-4000-a000-000000000001".into()),
        grant: None,
        roles: Vec::new(),
    };
    if let Ok(p) = plan::build(&goal(), &Recorded::default(), &t, &plan::Options::default()) {
        let _ = p.text(azreg::i18n::Lang::De);
        let _ = p.to_json(azreg::i18n::Lang::En);
        for w in p.writes(&plan::Ids::default()) {
            assert!(!w.path_text().contains("/../"), "{}", w.path_text());
        }
    }
});
