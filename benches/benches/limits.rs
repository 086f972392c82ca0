//! Hostile input is refused in linear time (issue 12).
//!
//! - `refuse_nesting`: a spec whose `environment` is n nested flow sequences, n = 10,000 to
//!   1,000,000, through `load_str` (refused by the pre-parse scan), beside the YAML parser
//!   alone on the 10,000-level text (what `load_str` did before the scan: quadratic, seconds).
//! - `scan_size`: the scan over a shallow, valid document of 1 MB, 8 MB and 64 MB (throughput
//!   shows it is linear), and the refusal of a text one byte over the 64 MiB limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_core::limits::{self, Limits};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;

fn nested(n: usize) -> String {
    format!(
        "apiVersion: cnarch.dev/v1alpha1\nkind: Microservice\nname: web\nimage: web\nenvironment: {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    )
}

/// About `bytes` of shallow YAML: one list of short flow mappings.
fn wide(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 64);
    s.push_str("items:\n");
    let mut i = 0u64;
    while s.len() < bytes {
        s.push_str(&format!(
            "  - {{name: item-{i}, tags: [a, 'b[', \"c{{\"]}} # [[\n"
        ));
        i += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("refuse_nesting");
    g.sample_size(10);
    for n in [10_000usize, 100_000, 1_000_000] {
        let text = nested(n);
        assert_eq!(
            cnarch_core::load_str(&text).unwrap_err().code(),
            "input_limit_exceeded"
        );
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("cnarch_load_str", n), &text, |b, t| {
            b.iter(|| cnarch_core::load_str(black_box(t)).unwrap_err())
        });
    }
    let text = nested(10_000);
    g.bench_with_input(
        BenchmarkId::new("yaml_parser_alone", 10_000),
        &text,
        |b, t| {
            b.iter(|| {
                serde_norway::Deserializer::from_str(black_box(t))
                    .map(|d| serde_norway::Value::deserialize(d).is_err())
                    .collect::<Vec<bool>>()
            })
        },
    );
    g.finish();

    let mut g = c.benchmark_group("scan_size");
    g.sample_size(10);
    for mb in [1usize, 8, 64] {
        let text = wide((mb << 20) - 200);
        limits::check(&text, &Limits::DEFAULT).unwrap();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("limits_check", format!("{mb}MB")),
            &text,
            |b, t| b.iter(|| limits::check(black_box(t), &Limits::DEFAULT).unwrap()),
        );
    }
    let over = "a".repeat((64 << 20) + 1);
    g.throughput(Throughput::Bytes(over.len() as u64));
    g.bench_function("cnarch_load_str_refuses_64MiB_plus_1", |b| {
        b.iter(|| cnarch_core::load_str(black_box(&over)).unwrap_err())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
