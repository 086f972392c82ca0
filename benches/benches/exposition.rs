//! The Prometheus text format: parsing a 1 MB scrape (the target, issue 14: at least 2×
//! faster than the `prometheus-parse` crate on the same text), side by side, and rendering
//! it back. The scrape is the one `benches/bindings/scrape.py` writes (counters, gauges and
//! histograms with four labels; the same generator).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;

use cnarch_core::prom::exposition::{parse, render};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// A scrape of at least `bytes` bytes, as `scrape.py` writes it.
pub fn scrape(bytes: usize) -> String {
    let methods = ["GET", "POST", "PUT", "DELETE"];
    let codes = ["200", "201", "404", "500", "503"];
    let mut s = String::new();
    let mut f = 0usize;
    while s.len() < bytes {
        let n = format!("app_{f}");
        match f % 3 {
            0 => {
                let _ = writeln!(
                    s,
                    "# HELP {n}_requests_total Requests handled by handler {f}."
                );
                let _ = writeln!(s, "# TYPE {n}_requests_total counter");
                for i in 0..20 {
                    let _ = writeln!(
                        s,
                        "{n}_requests_total{{method=\"{}\",code=\"{}\",instance=\"10.0.{}.{i}:8080\",job=\"api\"}} {} 1700000000000",
                        methods[i % 4],
                        codes[i % 5],
                        f % 256,
                        (f * 31 + i * 7) * 3
                    );
                }
            }
            1 => {
                let _ = writeln!(s, "# HELP {n}_queue_depth Items waiting in queue {f}.");
                let _ = writeln!(s, "# TYPE {n}_queue_depth gauge");
                for i in 0..10 {
                    let _ = writeln!(
                        s,
                        "{n}_queue_depth{{queue=\"q{i}\",instance=\"10.0.{}.{i}:8080\"}} {}",
                        f % 256,
                        i as f64 * 0.25
                    );
                }
            }
            _ => {
                let _ = writeln!(s, "# HELP {n}_duration_seconds Latency of handler {f}.");
                let _ = writeln!(s, "# TYPE {n}_duration_seconds histogram");
                for i in 0..5 {
                    let labels = format!(
                        "method=\"{}\",instance=\"10.0.{}.{i}:8080\"",
                        methods[i % 4],
                        f % 256
                    );
                    let mut count = 0;
                    for (b, le) in [
                        "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
                        "10",
                    ]
                    .iter()
                    .enumerate()
                    {
                        count += b + i;
                        let _ = writeln!(
                            s,
                            "{n}_duration_seconds_bucket{{{labels},le=\"{le}\"}} {count}"
                        );
                    }
                    let _ = writeln!(
                        s,
                        "{n}_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
                    );
                    let _ = writeln!(
                        s,
                        "{n}_duration_seconds_sum{{{labels}}} {}",
                        count as f64 * 0.125
                    );
                    let _ = writeln!(s, "{n}_duration_seconds_count{{{labels}}} {count}");
                }
            }
        }
        f += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    let text = scrape(1 << 20);
    // CNARCH_SCRAPE_OUT=path writes the scrape, to compare with scrape.py's.
    if let Ok(path) = std::env::var("CNARCH_SCRAPE_OUT") {
        std::fs::write(path, &text).unwrap();
    }
    let families = parse(&text).unwrap();
    let mut g = c.benchmark_group("exposition_1mb");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("cnarch_parse", |b| {
        b.iter(|| parse(black_box(&text)).unwrap())
    });
    g.bench_function("prometheus_parse_crate", |b| {
        b.iter(|| {
            prometheus_parse::Scrape::parse(black_box(&text).lines().map(|l| Ok(l.to_string())))
                .unwrap()
        })
    });
    g.bench_function("cnarch_render", |b| {
        b.iter(|| render(black_box(&families)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
