//! Any text: selector parsing never panics; an accepted selector prints canonical text that
//! parses back to the same selector, and overlap with itself yields a witness it matches.
#![no_main]
use cnarch_core::labels::Selector;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(s) = Selector::parse(data) {
        let text = s.to_string();
        assert_eq!(Selector::parse(&text).expect("canonical text parses"), s, "{data:?} → {text}");
        if let Some(w) = s.overlaps(&s) {
            assert!(s.matches(&w), "{data:?}: witness {w:?}");
        }
        assert!(s.is_subset_of(&s));
    }
});
