//! Evaluating the 4 standard multiwindow alert rules over 30 days of 1-minute samples
//! (43,200 points): every window from prefix sums, then the alert states.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use cnarch_core::alerting::evaluate::evaluate;
use cnarch_core::alerting::policy::MultiwindowPolicy;
use cnarch_core::slo::budget::Objective;
use criterion::{criterion_group, criterion_main, Criterion};

fn evaluation(c: &mut Criterion) {
    let n = 30 * 24 * 60;
    let t: Vec<f64> = (1..=n).map(|m| m as f64 * 60.0).collect();
    let total: Vec<f64> = (0..n).map(|m| 1000.0 + (m % 97) as f64).collect();
    // A few incidents: 100 % errors for 10 minutes every 5 days, 0.3 % errors otherwise.
    let good: Vec<f64> = (0..n)
        .map(|m| {
            if m % 7200 < 10 {
                0.0
            } else {
                (total[m] * 0.997).floor()
            }
        })
        .collect();
    let policy = MultiwindowPolicy::standard(Duration::from_secs(30 * 86400));
    let o = Objective::new(0.999).unwrap();
    let e = evaluate(&policy, &o, &t, &good, &total).unwrap();
    assert!(!e.rules[0].episodes.is_empty());
    c.bench_function("evaluate_4_rules_30d_1min", |b| {
        b.iter(|| black_box(evaluate(&policy, &o, black_box(&t), &good, &total).unwrap()))
    });
}

criterion_group!(benches, evaluation);
criterion_main!(benches);
