//! Any text: schedule parsing never panics; an accepted schedule yields strictly later fire
//! times from ordinary and extreme instants.
#![no_main]
use chrono::{DateTime, TimeZone, Utc};
use cnarch_core::schedule::Schedule;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(s) = Schedule::parse(data) {
        let starts = [
            Utc.timestamp_opt(1_700_000_000, 0).single(),
            Some(DateTime::<Utc>::MAX_UTC),
            Some(DateTime::<Utc>::MIN_UTC),
        ];
        for t in starts.into_iter().flatten() {
            for next in s.next_n_after(t, 3) {
                assert!(next > t, "{data:?}: {next} after {t}");
            }
        }
    }
});
