//! Any bytes as a pattern and an event (split at the first NUL): parsing never panics; an
//! accepted pattern matches an event exactly when a `PatternMatcher` holding it says so, also
//! next to a second rule.
#![no_main]
use cnarch_core::events::{EventPattern, PatternMatcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |&b| b == 0);
    let pattern = std::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or("");
    let event = parts.next().unwrap_or_default();
    let Ok(p) = EventPattern::parse(pattern) else {
        return;
    };
    let Ok(event) = serde_json::from_slice::<serde_json::Value>(event) else {
        return;
    };
    let mut m = PatternMatcher::new();
    m.add("a", &p);
    let want = p.matches(&event);
    assert_eq!(m.matches(&event) == ["a"], want, "{pattern} on {event}");
    m.add("b", &EventPattern::parse(r#"{"source": [{"prefix": "aws."}]}"#).expect("valid"));
    assert_eq!(m.matches(&event).iter().any(|n| n == "a"), want, "{pattern} on {event}");
});
