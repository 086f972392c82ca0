//! testdata/events/sns.json against `events::sns`: filter verdicts with the failing keys,
//! refused policies and attributes with their paths, topic fan-out; SNS's size limit; and a
//! property: with only `String` attributes and no `anything-but`, the attributes reading
//! answers what the EventBridge engine answers for the same values as a flat event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::error::{Coded, ErrorKind};
use cnarch_core::events::sns::{
    FilterPolicy, FilterPolicyScope, MessageAttributes, Protocol, SnsMessage, Subscription, Topic,
    MAX_POLICY_BYTES,
};
use cnarch_core::events::EventPattern;
use proptest::prelude::*;
use serde_json::{json, Value};

fn v() -> Value {
    common::testdata("events/sns.json")
}

fn scope(c: &Value) -> FilterPolicyScope {
    FilterPolicyScope::parse(c["scope"].as_str().unwrap()).unwrap()
}

fn message(m: &Value) -> SnsMessage {
    SnsMessage {
        attributes: MessageAttributes::from_value(m.get("attributes").unwrap_or(&json!({})), "")
            .unwrap(),
        body: m["body"].as_str().unwrap_or("").to_string(),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn policies_filter_as_sns_documents() {
    let d = v();
    let cases = d["filter"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let p = FilterPolicy::from_value(&c["policy"], scope(c))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = serde_json::to_string(&c["policy"]).unwrap();
        assert_eq!(FilterPolicy::parse(&text, scope(c)).unwrap(), p, "{name}");
        if let Some(n) = c.get("combinations") {
            assert_eq!(p.combinations(), n.as_u64().unwrap(), "{name}");
        }
        for (i, m) in c["messages"].as_array().unwrap().iter().enumerate() {
            let got = p.evaluate(&message(m));
            assert_eq!(
                got.delivered,
                m["delivered"].as_bool().unwrap(),
                "{name} #{i}"
            );
            assert_eq!(got.failed_keys, strings(&m["failed_keys"]), "{name} #{i}");
            assert_eq!(p.matches(&message(m)), got.delivered, "{name} #{i}");
        }
    }
}

#[test]
fn bad_policies_are_refused_with_their_path() {
    let d = v();
    for c in d["invalid"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let e = FilterPolicy::from_value(&c["policy"], scope(c))
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.code(), "invalid_filter_policy", "{name}");
        assert_eq!(e.kind(), ErrorKind::Pattern, "{name}");
        assert_eq!(e.path.as_deref(), c["path"].as_str(), "{name}: {e}");
        let part = c["message_contains"].as_str().unwrap();
        assert!(e.message.contains(part), "{name}: {}", e.message);
    }
}

#[test]
fn bad_attributes_are_refused_with_their_path() {
    let d = v();
    for c in d["invalid_attributes"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let e = MessageAttributes::from_value(&c["attributes"], "")
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.code(), "invalid_message_attribute", "{name}");
        assert_eq!(e.path.as_deref(), c["path"].as_str(), "{name}: {e}");
    }
}

#[test]
fn topics_fan_out_with_each_subscriptions_verdict() {
    let d = v();
    for c in d["topic"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let mut t = Topic::new(c["topic"].as_str().unwrap()).unwrap();
        for s in c["subscriptions"].as_array().unwrap() {
            let filter_policy = s
                .get("policy")
                .map(|p| FilterPolicy::from_value(p, scope(s)).unwrap());
            t.subscribe(Subscription {
                name: s["name"].as_str().unwrap().to_string(),
                protocol: Protocol::parse(s["protocol"].as_str().unwrap()).unwrap(),
                filter_policy,
            })
            .unwrap();
        }
        for (i, m) in c["messages"].as_array().unwrap().iter().enumerate() {
            let got = t.publish(&message(m));
            let want = m["deliveries"].as_array().unwrap();
            assert_eq!(got.len(), want.len(), "{name} #{i}");
            for (g, w) in got.iter().zip(want) {
                assert_eq!(g.subscription, w["subscription"].as_str().unwrap());
                assert_eq!(
                    g.outcome.delivered,
                    w["delivered"].as_bool().unwrap(),
                    "{name} #{i} {}",
                    g.subscription
                );
                assert_eq!(
                    g.outcome.failed_keys,
                    strings(&w["failed_keys"]),
                    "{name} #{i}"
                );
            }
        }
    }
}

#[test]
fn the_size_limit_is_256_kb_of_text() {
    let pad = |n: usize| format!("{{\"a\":[\"{}\"]}}", "x".repeat(n - 10));
    let at = pad(MAX_POLICY_BYTES);
    assert_eq!(at.len(), MAX_POLICY_BYTES);
    assert!(FilterPolicy::parse(&at, FilterPolicyScope::MessageAttributes).is_ok());
    let over = pad(MAX_POLICY_BYTES + 1);
    let e = FilterPolicy::parse(&over, FilterPolicyScope::MessageAttributes).unwrap_err();
    assert_eq!(e.path, None);
    assert!(e.message.contains("262144"), "{}", e.message);
    let v: Value = serde_json::from_str(&over).unwrap();
    assert!(FilterPolicy::from_value(&v, FilterPolicyScope::MessageAttributes).is_err());
}

#[test]
fn publish_api_attributes_read_as_notification_ones() {
    let publish = json!({
        "event": {"DataType": "String", "StringValue": "order_placed"},
        "price": {"DataType": "Number.float", "StringValue": "12.5"},
        "blob": {"DataType": "Binary", "BinaryValue": "AAEC"}
    });
    let notification = json!({
        "event": {"Type": "String", "Value": "order_placed"},
        "price": {"Type": "Number", "Value": "12.5"},
        "blob": {"Type": "Binary", "Value": "AAEC"}
    });
    assert_eq!(
        MessageAttributes::from_value(&publish, "").unwrap(),
        MessageAttributes::from_value(&notification, "").unwrap()
    );
    let e = MessageAttributes::from_value(&json!([1]), "message.attributes").unwrap_err();
    assert_eq!(e.path.as_deref(), Some("message.attributes"));
}

#[test]
fn topic_rules() {
    assert!(Topic::new("").is_err());
    assert!(Topic::new("a b").is_err());
    assert!(Topic::new(".fifo").is_err());
    assert!(Topic::new(&"a".repeat(257)).is_err());
    let mut fifo = Topic::new("orders.fifo").unwrap();
    assert!(fifo.is_fifo());
    let sub = |name: &str, protocol| Subscription {
        name: name.to_string(),
        protocol,
        filter_policy: None,
    };
    let e = fifo.subscribe(sub("fn", Protocol::Lambda)).unwrap_err();
    assert_eq!(e.code(), "invalid_subscription");
    assert_eq!(e.path.as_deref(), Some("protocol"));
    fifo.subscribe(sub("q", Protocol::Sqs)).unwrap();
    let e = fifo.subscribe(sub("q", Protocol::Sqs)).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("name"));
    assert!(fifo.unsubscribe("q"));
    assert!(!fifo.unsubscribe("q"));
    assert!(fifo.publish(&SnsMessage::default()).is_empty());
}

fn entry() -> impl Strategy<Value = Value> {
    let word = prop::sample::select(vec!["a", "ab", "b", "ba", "10.0.0.1", "A"]);
    prop_oneof![
        word.clone().prop_map(|w| json!(w)),
        word.clone().prop_map(|w| json!({"prefix": w})),
        word.clone().prop_map(|w| json!({"suffix": w})),
        word.prop_map(|w| json!({"equals-ignore-case": w})),
        Just(json!({"cidr": "10.0.0.0/24"})),
        any::<bool>().prop_map(|b| json!({"exists": b})),
    ]
}

proptest! {
    #[test]
    fn attributes_read_as_the_event_engine_reads_a_flat_event(
        policy in prop::collection::btree_map(
            prop::sample::select(vec!["k1", "k2", "k3"]),
            prop::collection::vec(entry(), 1..3),
            1..3,
        ),
        attrs in prop::collection::btree_map(
            prop::sample::select(vec!["k1", "k2", "k3"]),
            prop::sample::select(vec!["a", "ab", "b", "ba", "10.0.0.1", "10.0.1.1", "A", ""]),
            0..3,
        ),
    ) {
        let pv = json!(policy);
        let p = FilterPolicy::from_value(&pv, FilterPolicyScope::MessageAttributes).unwrap();
        let attributes: Value = attrs
            .iter()
            .map(|(k, x)| (k.to_string(), json!({"Type": "String", "Value": x})))
            .collect::<serde_json::Map<_, _>>()
            .into();
        let m = SnsMessage {
            attributes: MessageAttributes::from_value(&attributes, "").unwrap(),
            body: String::new(),
        };
        let flat: Value = json!(attrs);
        let want = EventPattern::from_value(&pv).unwrap().matches(&flat);
        prop_assert_eq!(p.matches(&m), want);
        // The body reading of the same values is the engine's by construction.
        let pb = FilterPolicy::from_value(&pv, FilterPolicyScope::MessageBody).unwrap();
        prop_assert_eq!(pb.evaluate_body(&flat).delivered, want);
    }
}

#[test]
fn ffi_options_and_subscriptions_refuse_what_they_do_not_know() {
    use cnarch_core::ffi;
    let p = json!({"a": ["x"]});
    let e = ffi::events::filter_policy_matches_options(&p, Some(&json!({"atributes": {}})))
        .unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert_eq!(e.violations.len(), 1);
    assert!(
        e.violations[0].path.contains("atributes"),
        "{:?}",
        e.violations
    );
    let attrs = json!({"attributes": {"a": {"Type": "String", "Value": "x"}}});
    assert!(ffi::events::filter_policy_matches_options(&p, Some(&attrs)).unwrap());
    assert!(!ffi::events::filter_policy_matches_options(&p, None).unwrap());
    let mut t = ffi::events::topic("orders").unwrap();
    let e = ffi::events::subscribe(&mut t, "q", "sqs", None, Some("Body")).unwrap_err();
    assert_eq!(e.code, "unknown_name");
    assert_eq!(e.path.as_deref(), Some("scope"));
    assert!(t.subscriptions().is_empty());
    ffi::events::subscribe(&mut t, "q", "sqs", Some(&json!("{\"a\": [\"x\"]}")), None).unwrap();
    assert!(t.subscriptions()[0].filter_policy.is_some());
}
