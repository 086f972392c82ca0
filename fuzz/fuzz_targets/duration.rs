//! Any text: Go and Prometheus duration parsing never panic, and accepted durations print
//! forms that parse back to the same duration.
#![no_main]
use cnarch_core::duration::{Duration, PromDuration};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(d) = Duration::parse(data) {
        let text = d.to_string();
        assert_eq!(
            Duration::parse(&text).expect("printed form parses"),
            d,
            "{data:?} → {text}"
        );
    }
    if let Ok(d) = PromDuration::parse(data) {
        let text = d.to_string();
        assert_eq!(
            PromDuration::parse(&text).expect("printed form parses"),
            d,
            "{data:?} → {text}"
        );
    }
});
