//! EventBridge patterns, side by side in one run, over one ~1 KB event:
//! - `PatternMatcher` with 10,000 rules (a mix of exact, prefix, suffix, equals-ignore-case,
//!   numeric, anything-but, exists and array conditions, as many teams' rules on one bus look)
//!   and with the 10 of them that share the event's source and detail-type (the same answer,
//!   so the difference is what the other 9,990 rules cost);
//! - the scan baseline: the 10,000 patterns tested one by one with `EventPattern::matches`.
//!
//! The targets (issue 13): under 5 µs per event with 10,000 rules, at most 3× the 10-rule time,
//! at least 20× faster than the scan.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_core::events::{EventPattern, PatternMatcher};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};

/// Rule `i` of the mix: 40 teams' sources times 25 detail-types, ten rules for each pair, each
/// with one more condition from one of the operator families.
fn rule(i: usize) -> Value {
    let source = format!("com.shop.team{}", i % 40);
    let detail_type = format!("Order{}", (i / 40) % 25);
    let detail = match (i / 1000) % 8 {
        0 => json!({"state": [format!("state{}", i % 50), "shipped"]}),
        1 => {
            json!({"amount": [{"numeric": [">", (i % 1000) as f64, "<=", (i % 1000 + 50) as f64]}]})
        }
        2 => {
            json!({"customer": {"email": [{"equals-ignore-case": format!("user{i}@Example.com")}]}})
        }
        3 => json!({"sku": [{"prefix": format!("SKU-{}", i % 300)}]}),
        4 => json!({"region": [{"anything-but": [format!("r{}", i % 20), "eu-west-3"]}]}),
        5 => json!({"coupon": [{"exists": i.is_multiple_of(2)}]}),
        6 => json!({"items": {"category": [format!("cat{}", i % 60)]}}),
        _ => json!({"id": [{"suffix": format!("{:04}", i % 10_000)}]}),
    };
    json!({"source": [source], "detail-type": [detail_type], "detail": detail})
}

/// A ~1 KB order event that matches a handful of the rules (shared with the bindings' benches).
fn event() -> Value {
    serde_json::from_str(include_str!("../data/order_event.json")).expect("valid JSON")
}

/// The rules with these numbers, compiled, and their patterns.
fn compile(ids: impl Iterator<Item = usize>) -> (PatternMatcher, Vec<EventPattern>) {
    let mut m = PatternMatcher::new();
    let mut patterns = Vec::new();
    for i in ids {
        let p = EventPattern::from_value(&rule(i)).unwrap();
        m.add(&format!("rule-{i:05}"), &p);
        patterns.push(p);
    }
    (m, patterns)
}

fn matching(c: &mut Criterion) {
    let ev = event();
    let size = serde_json::to_vec(&ev).unwrap().len();
    assert!((1000..1200).contains(&size), "{size} bytes");
    // The ten rules of the event's source and detail-type: the same answer from 10 rules and
    // from 10,000, so the difference is what the other 9,990 rules cost.
    let (small, _) = compile((0..10).map(|k| 137 + 1000 * k));
    let (large, patterns) = compile(0..10_000);
    let scan = |e: &Value| -> usize { patterns.iter().filter(|p| p.matches(e)).count() };
    let hits = large.matches(&ev);
    assert!((5..=10).contains(&hits.len()), "{hits:?}");
    assert_eq!(hits.len(), scan(&ev), "the matcher and the scan agree");
    assert_eq!(
        small.matches(&ev),
        hits,
        "the ten rules are the ones that match"
    );
    let mut g = c.benchmark_group("event_pattern_match_1kb_event");
    g.throughput(Throughput::Elements(1));
    g.bench_function("matcher_10_rules", |b| {
        b.iter(|| small.matches(black_box(&ev)))
    });
    g.bench_function("matcher_10000_rules", |b| {
        b.iter(|| large.matches(black_box(&ev)))
    });
    g.bench_function("scan_10000_patterns", |b| b.iter(|| scan(black_box(&ev))));
    g.finish();
}

fn building(c: &mut Criterion) {
    let patterns: Vec<Value> = (0..10_000).map(rule).collect();
    let mut g = c.benchmark_group("event_pattern_compile");
    g.sample_size(10);
    g.bench_function("add_10000_rules", |b| {
        b.iter(|| {
            let mut m = PatternMatcher::new();
            for (i, p) in patterns.iter().enumerate() {
                m.add(&format!("r{i}"), &EventPattern::from_value(p).unwrap());
            }
            m.len()
        })
    });
    g.finish();
}

criterion_group!(benches, matching, building);
criterion_main!(benches);
