//! Any text: promtool's expanding notation never panics, and an accepted notation never
//! expands past its sample limit.
#![no_main]
use cnarch_core::prom::series::{expand, MAX_SAMPLES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(values) = expand(data) {
        assert!(values.len() as u64 <= MAX_SAMPLES);
    }
});
