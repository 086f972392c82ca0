//! Any bytes as an SNS filter policy and a message (split at the first NUL): making the policy
//! never panics, for either scope; a body policy SNS accepts answers what the same text read as
//! an EventBridge pattern answers; an attributes policy evaluates any attribute map the reader
//! accepts without panicking, and its verdict names keys only when it filters the message out.
#![no_main]
use cnarch_core::events::sns::{FilterPolicy, FilterPolicyScope, MessageAttributes, SnsMessage};
use cnarch_core::events::EventPattern;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |&b| b == 0);
    let policy = std::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or("");
    let message = std::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or("");
    if let Ok(p) = FilterPolicy::parse(policy, FilterPolicyScope::MessageBody) {
        let m = SnsMessage {
            body: message.to_string(),
            ..SnsMessage::default()
        };
        let verdict = p.evaluate(&m);
        if let Ok(body @ serde_json::Value::Object(_)) = serde_json::from_str(message) {
            let pattern = EventPattern::parse(policy).expect("an SNS policy is an event pattern");
            assert_eq!(verdict.delivered, pattern.matches(&body), "{policy} on {message}");
        }
        assert_eq!(verdict.delivered, verdict.failed_keys.is_empty() && verdict.reason.is_none());
    }
    if let Ok(p) = FilterPolicy::parse(policy, FilterPolicyScope::MessageAttributes) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(message) else {
            return;
        };
        if let Ok(attributes) = MessageAttributes::from_value(&v, "attributes") {
            let m = SnsMessage {
                attributes,
                body: String::new(),
            };
            let verdict = p.evaluate(&m);
            assert_eq!(verdict.delivered, verdict.failed_keys.is_empty());
        }
    }
});
