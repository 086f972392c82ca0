//! Label selectors, side by side in one run:
//! - matching a 5-requirement selector against a 10-label set: cnarch (on a `LabelSet`, and on
//!   the same `BTreeMap`) vs kube-core's `Selector` (on the `BTreeMap`): same selector, same labels;
//! - parsing a typical selector string;
//! - `SelectorIndex` with 10,000 selectors vs a linear scan of the same selectors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeMap;
use std::hint::black_box;

use cnarch_core::labels::{LabelSet, Selector, SelectorIndex};
use criterion::{criterion_group, criterion_main, Criterion};
use kube_core::{Expression, SelectorExt};

const SELECTOR: &str = "app=web,tier in (frontend,edge),env!=dev,!legacy,team notin (a,b)";

fn pod() -> BTreeMap<String, String> {
    [
        ("app", "web"),
        ("tier", "frontend"),
        ("env", "prod"),
        ("team", "payments"),
        ("version", "v1.4.2"),
        ("app.kubernetes.io/name", "web"),
        ("app.kubernetes.io/part-of", "shop"),
        ("pod-template-hash", "7d9f8c6b5"),
        ("region", "eu-west-1"),
        ("zone", "eu-west-1a"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn kube_selector() -> kube_core::Selector {
    let set = |vs: &[&str]| vs.iter().map(|s| s.to_string()).collect();
    kube_core::Selector::from_iter([
        Expression::Equal("app".into(), "web".into()),
        Expression::In("tier".into(), set(&["frontend", "edge"])),
        Expression::NotEqual("env".into(), "dev".into()),
        Expression::DoesNotExist("legacy".into()),
        Expression::NotIn("team".into(), set(&["a", "b"])),
    ])
}

fn matching(c: &mut Criterion) {
    let labels = pod();
    let ours = Selector::parse(SELECTOR).unwrap();
    let theirs = kube_selector();
    assert!(ours.matches(&labels) && theirs.matches(&labels));
    let mut g = c.benchmark_group("selector_match_5_requirements_10_labels");
    let set = LabelSet::new(&labels);
    assert!(ours.matches(&set));
    g.bench_function("cnarch_label_set", |b| {
        b.iter(|| black_box(&ours).matches(black_box(&set)))
    });
    g.bench_function("cnarch_btreemap", |b| {
        b.iter(|| black_box(&ours).matches(black_box(&labels)))
    });
    g.bench_function("kube_core_btreemap", |b| {
        b.iter(|| black_box(&theirs).matches(black_box(&labels)))
    });
    g.finish();

    let mut g = c.benchmark_group("selector_parse");
    g.bench_function("cnarch", |b| {
        b.iter(|| Selector::parse(black_box(SELECTOR)).unwrap())
    });
    g.finish();
}

fn index(c: &mut Criterion) {
    // 10,000 selectors over 500 apps, 4 tiers and some negative-only selectors.
    let mut idx = SelectorIndex::new();
    for i in 0..10_000 {
        let s = match i % 10 {
            0 => format!("app=app-{},tier in (t{},t{})", i % 500, i % 4, (i + 1) % 4),
            1 => format!("team=team-{},!legacy", i % 97),
            2 => format!("env!=dev,zone notin (z{})", i % 13),
            _ => format!("app=app-{},env=prod", i % 500),
        };
        idx.insert(Selector::parse(&s).unwrap());
    }
    let labels: BTreeMap<String, String> = [
        ("app", "app-42"),
        ("tier", "t2"),
        ("env", "prod"),
        ("team", "team-7"),
        ("zone", "z3"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(idx.matching(&labels), idx.matching_by_scan(&labels));
    let mut g = c.benchmark_group("selector_index_10000_which_match_this_pod");
    g.bench_function("index", |b| b.iter(|| idx.matching(black_box(&labels))));
    g.bench_function("linear_scan", |b| {
        b.iter(|| idx.matching_by_scan(black_box(&labels)))
    });
    g.finish();
}

criterion_group!(benches, matching, index);
criterion_main!(benches);
