//! Whole-screen snapshots of the main screens at 80x24, in English and German: the start
//! screen, step 10 (a derived value), and the Summary. `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test screens`) updates them after a deliberate change.

use std::rc::Rc;

use azreg::core::procedure::Procedure;
use azreg::core::progress::Progress;
use azreg::i18n::Lang;
use azreg::tui::app::{App, Config, Msg};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(lang: Lang, current: &str, filled: bool) -> String {
    let p = Rc::new(Procedure::embedded_in(lang).unwrap());
    let mut pr = Progress::new(&p.id);
    pr.current = Some(current.into());
    if filled {
        for (k, v) in [
            ("portal_url", "https://portal.example.com"),
            ("collaboration", "mycompany"),
            ("app_name", "Intrexx Portal"),
            ("account_type", "AzureADMyOrg"),
            ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
            ("tenant_id", "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"),
            ("client_secret", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"),
            ("secret_expiry", "2027-05-25"),
        ] {
            pr.values.insert(k.into(), v.into());
        }
        for id in ["sign-in", "choose-route", "open-entra-id"] {
            pr.done
                .insert(id.into(), "2026-11-26T10:00:00Z".parse().unwrap());
        }
    }
    let mut app = App::new(
        p,
        pr,
        Config::headless(time::macros::date!(2026 - 11 - 26)),
        (80, 24),
    );
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut drawn = Default::default();
    t.draw(|f| drawn = azreg::tui::view::draw(f, &app)).unwrap();
    app.update(Msg::Drawn(drawn));
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn start_screen_en() {
    insta::assert_snapshot!(screen(Lang::En, "before-you-start", false));
}

#[test]
fn start_screen_de() {
    insta::assert_snapshot!(screen(Lang::De, "before-you-start", false));
}

#[test]
fn step_10_en() {
    insta::assert_snapshot!(screen(Lang::En, "enter-web-uri", true));
}

#[test]
fn step_10_de() {
    insta::assert_snapshot!(screen(Lang::De, "enter-web-uri", true));
}

#[test]
fn summary_en() {
    insta::assert_snapshot!(screen(Lang::En, "summary", true));
}

#[test]
fn summary_de() {
    insta::assert_snapshot!(screen(Lang::De, "summary", true));
}

/// The words of a screen: letters only, four or more of them.
fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_string)
        .collect()
}

/// Every screen the snapshots draw (and P3 and step 21), in German: no word that only the
/// English screen has (names such as Azure or Intrexx are in both).
#[test]
fn german_screens_carry_no_english() {
    let german_texts = [
        include_str!("../../assets/procedure.de.toml"),
        include_str!("../../assets/renew.de.toml"),
    ]
    .concat();
    // Key names and the progress file's path are the same in every language.
    let shared: std::collections::BTreeSet<String> = words(&german_texts)
        .into_iter()
        .chain(words("Enter Shift ~/.local/state/azreg/progress.toml"))
        // The values entered are the admin's, not the interface's.
        .chain(words(
            "portal.example.com mycompany 9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
        ))
        .collect();
    for (current, filled) in [
        ("before-you-start", false),
        ("enter-web-uri", true),
        ("summary", true),
        ("grant-admin-consent", true),
        ("copy-secret-value", true),
    ] {
        let en = screen(Lang::En, current, filled);
        let de = screen(Lang::De, current, filled);
        let english_only: Vec<String> = words(&en)
            .into_iter()
            .filter(|w| !shared.contains(w))
            .collect();
        let found: Vec<&String> = english_only
            .iter()
            .filter(|w| words(&de).contains(*w))
            .collect();
        assert!(
            found.is_empty(),
            "{current}: English in the German screen: {found:?}\n{de}"
        );
    }
}
