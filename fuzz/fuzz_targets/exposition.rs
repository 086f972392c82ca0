//! Any text: the exposition parser never panics, and what it accepts renders, parses back to
//! the same families (-0 written as 0, NaN as NaN) and renders to the same text again.
#![no_main]
use cnarch_core::prom::exposition::{parse, render, same_families};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(families) = parse(data) {
        let text = render(&families).expect("accepted families render");
        let back = parse(&text).expect("rendered text parses");
        assert!(same_families(&families, &back), "round trip: {text:?}");
        assert_eq!(render(&back).expect("renders again"), text);
    }
});
