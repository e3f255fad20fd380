//! A further language needs no call site touched: the test language (`Lang::Pseudo`, catalog
//! `assets/i18n/qps.toml`) reaches a message of `tr!`, a real error's message, a keymap label
//! and a plural through its catalog, and what the catalog lacks shows in English.

use azreg::i18n::{Lang, nouns};
use azreg::tr;

#[test]
fn a_catalog_language_reaches_every_kind_of_message() {
    let n = 3;
    assert_eq!(
        tr!(Lang::Pseudo, "{n} steps", "{n} Schritte", n = n),
        "⟦3 šţéƥš⟧"
    );
    let empty = azreg::io::store::StoreError::Empty {
        path: "/tmp/p.toml".into(),
    };
    assert_eq!(
        empty.message(Lang::Pseudo),
        "⟦/tmp/p.toml: ţĥé ƒíļé íš éɱƥţý⟧"
    );
    let quit = azreg::tui::keymap::BINDINGS
        .iter()
        .find(|b| b.desc.en == "quit (progress is already saved)")
        .expect("the keymap has quit");
    assert_eq!(quit.desc.get(Lang::Pseudo), "⟦Qüíţ⟧");
    assert_eq!(nouns::DAYS.count(Lang::Pseudo, 2), "2 ďàýš");
    assert_eq!(nouns::DAYS.count(Lang::Pseudo, 1), "1 ďàý");
    assert_eq!(nouns::WARNINGS.count(Lang::Pseudo, 2), "2 warnings");
    assert_eq!(
        tr!(Lang::Pseudo, "{n} left", "{n} übrig", n = n),
        "3 left",
        "not in the catalog: English"
    );
    // The walkthrough itself: the test language has no procedure files, so it gets English.
    let (text, _) = azreg::core::procedure::embedded_text(Lang::Pseudo);
    assert!(text.contains("App registrations"));
}

/// A catalog entry whose English is no longer in the source would never be shown: each key of
/// every embedded catalog is a message literal of `src/`.
#[test]
fn every_catalog_key_is_a_message_of_the_source() {
    let mut source = String::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                source.push_str(&std::fs::read_to_string(p).unwrap());
            }
        }
    }
    for (lang, text) in azreg::i18n::catalog::EMBEDDED {
        let (messages, _) = azreg::i18n::catalog::parse(text).unwrap();
        for en in messages.keys() {
            let literal = format!("{en:?}");
            assert!(
                source.contains(&literal),
                "{lang:?}: {literal} is in no source file"
            );
        }
    }
}
