//! Any text: the exposition parser never panics, and what it accepts renders, parses back to
//! the same families (-0 written as 0, NaN as NaN) and renders to the same text again.
#![no_main]
use cnarch_core::prom::exposition::{parse, render, Family};
use libfuzzer_sys::fuzz_target;

fn same(a: &[Family], b: &[Family]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name == y.name
                && x.help == y.help
                && x.kind == y.kind
                && x.samples.len() == y.samples.len()
                && x.samples.iter().zip(&y.samples).all(|(s, t)| {
                    s.name == t.name
                        && s.labels == t.labels
                        && s.timestamp == t.timestamp
                        && (s.value == t.value || (s.value.is_nan() && t.value.is_nan()))
                })
        })
}

fuzz_target!(|data: &str| {
    if let Ok(families) = parse(data) {
        let text = render(&families).expect("accepted families render");
        let back = parse(&text).expect("rendered text parses");
        assert!(same(&families, &back), "round trip: {text:?}");
        assert_eq!(render(&back).expect("renders again"), text);
    }
});
