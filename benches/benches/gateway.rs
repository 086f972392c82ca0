//! API Gateway route selection over 1,000 routes (the target, issue 14: under 200 ns), side
//! by side with 10 routes and with a linear scan of the same 1,000 patterns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_core::gateway::Router;
use criterion::{criterion_group, criterion_main, Criterion};

/// Route `i`: 50 services with 20 routes each, literal, variable and greedy paths.
fn key(i: usize) -> String {
    let svc = format!("svc{}", i / 20);
    match i % 20 {
        0 => format!("GET /{svc}/items"),
        1 => format!("POST /{svc}/items"),
        2 => format!("GET /{svc}/items/{{id}}"),
        3 => format!("PUT /{svc}/items/{{id}}"),
        4 => format!("DELETE /{svc}/items/{{id}}"),
        5 => format!("GET /{svc}/items/{{id}}/history"),
        6 => format!("ANY /{svc}/admin/{{proxy+}}"),
        7 => format!("GET /{svc}/health"),
        n => format!("GET /{svc}/v{n}/reports/{{year}}/{{month}}"),
    }
}

/// A linear scan: each route's pattern tried in turn (the baseline a trie avoids).
fn scan(keys: &[(String, Vec<String>)], method: &str, path: &str) -> Option<usize> {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    keys.iter().position(|(m, parts)| {
        (m == method || m == "ANY")
            && parts.len() == segs.len()
            && parts
                .iter()
                .zip(&segs)
                .all(|(p, s)| p.starts_with('{') || p == s)
    })
}

fn bench(c: &mut Criterion) {
    let keys: Vec<String> = (0..1000).map(key).collect();
    let big = Router::new(&keys).unwrap();
    let small = Router::new(&keys[..10]).unwrap();
    let parsed: Vec<(String, Vec<String>)> = keys
        .iter()
        .map(|k| {
            let (m, p) = k.split_once(' ').unwrap();
            (
                m.to_string(),
                p.trim_start_matches('/')
                    .split('/')
                    .map(str::to_string)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        big.select("GET", "/svc42/items/7/history").route_key,
        Some("GET /svc42/items/{id}/history")
    );
    let mut g = c.benchmark_group("route_selection");
    g.bench_function("1000_routes_variable", |b| {
        b.iter(|| big.select(black_box("GET"), black_box("/svc42/items/7/history")))
    });
    g.bench_function("1000_routes_literal", |b| {
        b.iter(|| big.select(black_box("GET"), black_box("/svc42/health")))
    });
    g.bench_function("1000_routes_greedy", |b| {
        b.iter(|| big.select(black_box("PATCH"), black_box("/svc42/admin/users/7/roles")))
    });
    g.bench_function("10_routes_variable", |b| {
        b.iter(|| small.select(black_box("GET"), black_box("/svc0/items/7/history")))
    });
    g.bench_function("1000_routes_linear_scan", |b| {
        b.iter(|| {
            scan(
                &parsed,
                black_box("GET"),
                black_box("/svc42/items/7/history"),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
