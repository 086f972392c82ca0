//! Any text: traceparent and tracestate parsing never panic; an accepted traceparent writes
//! back (as version 00) to the same ids and flags, an accepted tracestate to the same
//! members, and truncation stays within its limit.
#![no_main]
use cnarch_core::tracing::{TraceParent, TraceState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(tp) = TraceParent::parse(data) {
        let again = TraceParent::parse(&tp.to_string()).expect("written form parses");
        assert_eq!(
            (again.trace_id, again.parent_id, again.flags),
            (tp.trace_id, tp.parent_id, tp.flags),
            "{data:?}"
        );
    }
    if let Ok(ts) = TraceState::parse(data) {
        let text = ts.to_string();
        assert_eq!(TraceState::parse(&text).expect("written form parses"), ts, "{data:?}");
        let limit = data.len() / 2;
        assert!(ts.truncate(limit).to_string().len() <= limit);
    }
});
