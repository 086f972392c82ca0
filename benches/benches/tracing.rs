//! W3C Trace Context and samplers: `traceparent` parsing (the target, issue 14: under 50 ns),
//! a three-member `tracestate`, and one decision of each sampler kind, side by side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_core::tracing::{Parent, Sampler, TraceParent, TraceState};
use criterion::{criterion_group, criterion_main, Criterion};

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const TRACESTATE: &str = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,ot=th:c;rv:c0000000000000";

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("trace_context");
    g.bench_function("traceparent_parse", |b| {
        b.iter(|| TraceParent::parse(black_box(TRACEPARENT)).unwrap())
    });
    let tp = TraceParent::parse(TRACEPARENT).unwrap();
    g.bench_function("traceparent_format", |b| {
        b.iter(|| black_box(&tp).to_string())
    });
    g.bench_function("tracestate_parse_3_members", |b| {
        b.iter(|| TraceState::parse(black_box(TRACESTATE)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("sampler_decision");
    let parent = Parent {
        sampled: true,
        remote: true,
        tracestate: TraceState::parse(TRACESTATE).unwrap(),
    };
    let samplers = [
        (
            "trace_id_ratio_root",
            Sampler::trace_id_ratio(0.25).unwrap(),
            None,
        ),
        (
            "probability_root",
            Sampler::probability(0.25, 4).unwrap(),
            None,
        ),
        (
            "parent_based_remote_sampled",
            Sampler::from_sample_rate(Some(0.25)).unwrap(),
            Some(&parent),
        ),
    ];
    for (name, s, p) in &samplers {
        g.bench_function(*name, |b| {
            b.iter(|| s.should_sample(black_box(&tp.trace_id), *p).sampled)
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
