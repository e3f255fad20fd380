//! What a server answers the live check: whatever the body, the summary shown is free of
//! control and bidi characters, bounded in length, and carries no 8-character piece of the
//! secret once redacted.
#![no_main]

use azreg::i18n::Lang;
use azreg::text::has_unsafe_chars;
use azreg::remote::verify::{error_summary, redact, server_text};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    for lang in [Lang::En, Lang::De] {
        let shown = redact(&error_summary(&body, &Default::default(), lang), SECRET);
        assert!(!has_unsafe_chars(&shown), "{shown:?}");
        assert!(shown.chars().count() < 1000, "{}", shown.len());
        let chars: Vec<char> = SECRET.chars().collect();
        for w in chars.windows(8) {
            let piece: String = w.iter().collect();
            assert!(!shown.contains(&piece));
        }
    }
    let t = server_text(&body);
    assert!(!has_unsafe_chars(&t));
    assert!(t.chars().count() <= 121);
});
