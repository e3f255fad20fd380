//! The progress loader (with migration of the older layout): never a panic; whatever loads
//! saves and loads again to the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok((progress, _)) = azreg::io::store::parse_any(text, "fuzz.toml") {
            let again = azreg::io::store::to_toml(&progress).expect("a loaded progress serialises");
            let (back, migrated) = azreg::io::store::parse_any(&again, "fuzz.toml").expect("a saved file loads");
            assert!(migrated.is_none());
            assert_eq!(back, progress);
        }
    }
});
