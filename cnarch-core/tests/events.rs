//! testdata/events/patterns.json against `events`: every case through `EventPattern::matches`
//! and through a one-rule `PatternMatcher` (they must agree), the refused patterns with their
//! paths, the many-rule matcher cases, and a property: a compiled matcher answers what the
//! patterns answer one by one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::error::Coded;
use cnarch_core::events::{EventPattern, PatternMatcher};
use proptest::prelude::*;
use serde_json::{json, Value};

fn v() -> Value {
    common::testdata("events/patterns.json")
}

#[test]
fn patterns_match_as_event_ruler() {
    let d = v();
    let cases = d["matches"].as_array().unwrap();
    assert!(cases.len() >= 60);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let p = EventPattern::from_value(&c["pattern"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = c["matches"].as_bool().unwrap();
        assert_eq!(p.matches(&c["event"]), want, "{name}");
        let text = serde_json::to_string(&c["pattern"]).unwrap();
        assert_eq!(
            EventPattern::parse(&text).unwrap(),
            p,
            "{name}: text and value parse alike"
        );
        let mut m = PatternMatcher::new();
        m.add("r", &p);
        let got = m.matches(&c["event"]);
        assert_eq!(got.len() == 1, want, "{name}: compiled matcher");
    }
}

#[test]
fn bad_patterns_are_refused_with_their_path() {
    let d = v();
    for c in d["invalid"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let e = EventPattern::from_value(&c["pattern"])
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.code(), "invalid_event_pattern", "{name}");
        assert_eq!(e.path.as_deref(), c["path"].as_str(), "{name}: {e}");
        assert!(!e.message.is_empty(), "{name}");
    }
}

#[test]
fn not_json_text_is_refused() {
    let e = EventPattern::parse("{\"source\": [").unwrap_err();
    assert_eq!(e.path, None);
    assert!(e.message.contains("JSON"), "{}", e.message);
}

#[test]
fn many_rules_compile_into_one_matcher() {
    let d = v();
    for c in d["machine"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let mut m = PatternMatcher::new();
        for r in c["rules"].as_array().unwrap() {
            m.add(
                r[0].as_str().unwrap(),
                &EventPattern::from_value(&r[1]).unwrap(),
            );
        }
        let run = |m: &PatternMatcher, list: &Value| {
            for e in list.as_array().unwrap() {
                let want: Vec<String> = serde_json::from_value(e["matches"].clone()).unwrap();
                assert_eq!(m.matches(&e["event"]), want, "{name}: {}", e["event"]);
            }
        };
        run(&m, &c["events"]);
        let gone = c["remove"].as_str().unwrap();
        assert!(m.remove(gone), "{name}");
        assert!(!m.remove(gone), "{name}: removed twice");
        assert!(!m.names().contains(&gone.to_string()));
        run(&m, &c["after_remove"]);
    }
}

#[test]
fn removal_and_rebuild_keep_the_other_rules() {
    let mut m = PatternMatcher::new();
    for i in 0..300 {
        let p = json!({"detail": {"n": [{"numeric": ["=", i]}], "k": [format!("v{}", i % 7)]}});
        m.add(&format!("r{i:03}"), &EventPattern::from_value(&p).unwrap());
    }
    assert_eq!(m.len(), 300);
    for i in 0..250 {
        assert!(m.remove(&format!("r{i:03}")));
    }
    assert_eq!(m.len(), 50);
    let ev = |i: i64| json!({"detail": {"n": i, "k": format!("v{}", i % 7)}});
    assert!(m.matches(&ev(10)).is_empty());
    assert_eq!(m.matches(&ev(260)), vec!["r260".to_string()]);
    m.add(
        "r010",
        &EventPattern::from_value(&json!({"detail": {"n": [10]}})).unwrap(),
    );
    assert_eq!(m.matches(&ev(10)), vec!["r010".to_string()]);
}

// ---- property: compiled matcher == one-by-one ----

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            "a", "ab", "abc", "b", "ba", "A", "Ab", "10.0.0.1", "x*y", ""
        ])
        .prop_map(|s| json!(s)),
        (-3i64..4).prop_map(|n| json!(n)),
        Just(json!(2.5)),
        Just(Value::Null),
        Just(json!(true)),
    ]
}

fn event() -> impl Strategy<Value = Value> {
    let field = prop_oneof![
        3 => leaf(),
        1 => prop::collection::vec(leaf(), 0..3).prop_map(Value::Array),
        1 => prop::collection::vec((0usize..2, leaf()), 1..3).prop_map(|xs| {
            Value::Array(xs.into_iter().map(|(k, v)| json!({["p", "q"][k]: v})).collect())
        }),
    ];
    prop::collection::btree_map(prop::sample::select(vec!["f", "g", "h"]), field, 0..4).prop_map(
        |m| {
            let mut o = serde_json::Map::new();
            for (k, v) in m {
                o.insert(k.to_string(), v);
            }
            Value::Object(o)
        },
    )
}

fn operator() -> impl Strategy<Value = Value> {
    let word = prop::sample::select(vec!["a", "ab", "b", "A", ""]);
    prop_oneof![
        leaf(),
        word.clone().prop_map(|s| json!({ "prefix": s })),
        word.clone().prop_map(|s| json!({ "suffix": s })),
        word.clone()
            .prop_map(|s| json!({ "equals-ignore-case": s })),
        word.clone()
            .prop_map(|s| json!({"prefix": {"equals-ignore-case": s}})),
        word.clone().prop_map(|s| json!({ "anything-but": s })),
        prop::collection::vec(word.clone(), 1..4).prop_map(|s| json!({ "anything-but": s })),
        word.clone()
            .prop_map(|s| json!({"anything-but": {"prefix": if s.is_empty() { "a" } else { s }}})),
        prop::sample::select(vec!["a*", "*b", "*", "a*c", "x\\*y"])
            .prop_map(|s| json!({ "wildcard": s })),
        (-3i64..3, 0i64..4).prop_map(|(a, w)| json!({"numeric": [">=", a, "<", a + w + 1]})),
        (-3i64..3, 0usize..5).prop_map(|(a, k)| {
            let ops = [["=", ""], [">", ""], ["<=", ""], [">", "<="], [">=", "<"]];
            match ops[k] {
                [o, ""] => json!({ "numeric": [o, a] }),
                [o, p] => json!({ "numeric": [o, a, p, f64::from(a as i32) + 2.5] }),
            }
        }),
        (-3i64..3).prop_map(|a| json!({ "anything-but": a })),
        prop::bool::ANY.prop_map(|b| json!({ "exists": b })),
        Just(json!({"cidr": "10.0.0.0/24"})),
    ]
}

fn field_pattern() -> impl Strategy<Value = Value> {
    let list = || prop::collection::vec(operator(), 1..3).prop_map(Value::Array);
    prop_oneof![
        3 => list(),
        2 => prop::collection::btree_map(prop::sample::select(vec!["p", "q"]), list(), 1..3)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, l)| (k.to_string(), l)).collect())),
    ]
}

fn pattern() -> impl Strategy<Value = Value> {
    let obj = || {
        prop::collection::btree_map(
            prop::sample::select(vec!["f", "g", "h"]),
            field_pattern(),
            1..3,
        )
        .prop_map(|m| {
            let mut o = serde_json::Map::new();
            for (k, v) in m {
                o.insert(k.to_string(), v);
            }
            Value::Object(o)
        })
    };
    prop_oneof![
        4 => obj(),
        1 => prop::collection::vec(obj(), 2..4).prop_map(|alts| json!({ "$or": alts })),
    ]
}

/// An event read in place, as a binding reads its own objects.
struct Tree<'a>(&'a Value);

impl cnarch_core::events::EventTree for Tree<'_> {
    type Error = String;
    fn fields(&self, f: &mut cnarch_core::events::FieldVisitor<'_, Self>) -> Result<bool, String> {
        match self.0 {
            Value::Object(m) => {
                for (k, v) in m {
                    f(k, &Tree(v)).map_err(|e| format!(".{k}{e}"))?;
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn items(&self, f: &mut dyn FnMut(&Self) -> Result<(), String>) -> Result<bool, String> {
        match self.0 {
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    f(&Tree(v)).map_err(|e| format!("[{i}]{e}"))?;
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn scalar(&self) -> Result<Value, String> {
        refuse_marker(self.0)?;
        Ok(self.0.clone())
    }
    fn skip(&self) -> Result<(), String> {
        // checks everything below, as a binding checks values no pattern reads
        match self.0 {
            Value::Object(m) => m
                .iter()
                .try_for_each(|(k, v)| Tree(v).skip().map_err(|e| format!(".{k}{e}"))),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| Tree(v).skip().map_err(|e| format!("[{i}]{e}"))),
            other => refuse_marker(other),
        }
    }
}

/// The test tree's stand-in for data a binding cannot read: the string `"<bad>"`.
fn refuse_marker(v: &Value) -> Result<(), String> {
    if v.as_str() == Some("<bad>") {
        return Err(String::new());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// The matcher agrees with each pattern, also on events read in place.
    #[test]
    fn compiled_matcher_agrees_with_each_pattern(
        patterns in prop::collection::vec(pattern(), 1..12),
        events in prop::collection::vec(event(), 1..8),
    ) {
        let parsed: Vec<EventPattern> = patterns
            .iter()
            .filter_map(|p| EventPattern::from_value(p).ok())
            .collect();
        let mut m = PatternMatcher::new();
        for (i, p) in parsed.iter().enumerate() {
            m.add(&format!("r{i:02}"), p);
        }
        for e in &events {
            let want: Vec<String> = parsed
                .iter()
                .enumerate()
                .filter(|(_, p)| p.matches(e))
                .map(|(i, _)| format!("r{i:02}"))
                .collect();
            prop_assert_eq!(m.matches_tree(&Tree(e)), Ok(want.clone()), "in place, event {}", e);
            prop_assert_eq!(m.matches(e), want, "event {}", e);
        }
        // removing every other rule leaves exactly the others' answers
        for i in (0..parsed.len()).step_by(2) {
            m.remove(&format!("r{i:02}"));
        }
        for e in &events {
            let want: Vec<String> = parsed
                .iter()
                .enumerate()
                .filter(|(i, p)| i % 2 == 1 && p.matches(e))
                .map(|(i, _)| format!("r{i:02}"))
                .collect();
            prop_assert_eq!(m.matches(e), want, "after removal, event {}", e);
        }
    }
}

#[test]
fn ffi_reads_mappings_or_json_text_and_refuses_the_rest() {
    use cnarch_core::ffi;
    let p = json!({"source": [{"prefix": "aws."}]});
    let e = json!({"source": "aws.ec2"});
    assert!(ffi::events::matches(&p, &e).unwrap());
    let text = |v: &Value| Value::String(v.to_string());
    assert!(ffi::events::matches(&text(&p), &text(&e)).unwrap());
    let err = ffi::events::matches(&json!(5), &e).unwrap_err();
    assert_eq!((err.code, err.path), ("invalid_event_pattern", None));
    for (pat, ev, at) in [
        (p.clone(), json!([1]), "event"),
        (p.clone(), json!("{not json"), "event"),
        (p.clone(), json!("[1]"), "event"),
    ] {
        let err = ffi::events::matches(&pat, &ev).unwrap_err();
        assert_eq!(err.code, "invalid_argument_type", "{at}");
        assert_eq!(err.path.as_deref(), Some(at));
    }
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!({ "a": deep });
    }
    let err = ffi::events::matches(&p, &deep).unwrap_err();
    assert_eq!(err.path.as_deref(), Some("event"));
    // a pattern error keeps the pattern's keys as written, for JavaScript too
    let bad = json!({"detail_type": {"x-y": [{"numeric": ["<", "5"]}]}});
    let err = ffi::events::matches(&bad, &e).unwrap_err();
    assert_eq!(err.code, "invalid_event_pattern");
    assert_eq!(err.path.as_deref(), Some("detail_type.x-y[0].numeric[1]"));
    let mut m = cnarch_core::events::PatternMatcher::new();
    assert!(ffi::events::add(&mut m, "bad", &bad).is_err());
    assert!(m.is_empty());
    ffi::events::add(&mut m, "ok", &p).unwrap();
    assert_eq!(ffi::events::match_event(&m, &text(&e)).unwrap(), vec!["ok"]);
}

/// The in-place walk visits every value once: a value the binding refuses is refused wherever
/// it is (on a path a pattern reads, under a key none reads, in an array), with its path, and
/// also by a matcher without rules.
#[test]
fn in_place_walk_checks_every_value() {
    let mut m = PatternMatcher::new();
    let p = EventPattern::from_value(&json!({"detail": {"state": ["ok"]}})).unwrap();
    m.add("r", &p);
    let empty = PatternMatcher::new();
    for (event, path) in [
        (json!({"detail": {"state": "<bad>"}}), ".detail.state"),
        (
            json!({"detail": {"other": {"x": "<bad>"}}}),
            ".detail.other.x",
        ),
        (json!({"elsewhere": [1, ["<bad>"]]}), ".elsewhere[1][0]"),
        (
            json!({"detail": {"state": ["ok", "<bad>"]}}),
            ".detail.state[1]",
        ),
    ] {
        assert_eq!(m.matches_tree(&Tree(&event)), Err(path.to_string()));
        assert_eq!(empty.matches_tree(&Tree(&event)), Err(path.to_string()));
    }
    let good = json!({"detail": {"state": ["ok", 1]}, "x": {"y": [null]}});
    assert_eq!(m.matches_tree(&Tree(&good)), Ok(vec!["r".to_string()]));
}
