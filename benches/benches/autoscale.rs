//! Autoscaling: one HPA decision with 3 metrics (CPU and memory utilization, a Pods metric) over
//! 100 pods; and 30 days of a diurnal trace simulated at 15-second ticks (172,800 decisions)
//! through an HPA with the pod model.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use cnarch_core::autoscale::hpa::{
    ControllerOptions, HorizontalAutoscaler, HpaSpec, MetricInput, Observation,
};
use cnarch_core::autoscale::replica::{PodPhase, PodSample};
use cnarch_core::autoscale::simulate::{simulate, PodModel, Scaler, SimConfig};
use cnarch_core::time::Instant;
use criterion::{criterion_group, criterion_main, Criterion};

fn pods(n: usize, request: i64, usage: impl Fn(usize) -> i64) -> Vec<PodSample> {
    (0..n)
        .map(|i| PodSample {
            name: format!("web-{i}"),
            phase: PodPhase::Running,
            ready: Some(true),
            start_time: Some(Instant::ZERO),
            ready_transition_time: Some(Instant::ZERO),
            request: Some(request),
            usage: Some(usage(i)),
            ..PodSample::default()
        })
        .collect()
}

fn decision(c: &mut Criterion) {
    let spec = HpaSpec::from_json(&serde_json::json!({"minReplicas": 2, "maxReplicas": 200, "metrics": [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
        {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}},
        {"type": "Pods", "pods": {"metric": {"name": "http_requests"}, "target": {"type": "AverageValue", "averageValue": "100"}}}]}))
    .unwrap();
    let mut hpa = HorizontalAutoscaler::new(spec, ControllerOptions::default()).unwrap();
    let obs = Observation {
        current_replicas: 100,
        metrics: vec![
            MetricInput::Pods(pods(100, 1000, |i| 600 + (i as i64 * 7) % 300)),
            MetricInput::Pods(pods(100, 512_000, |i| {
                300_000 + (i as i64 * 1013) % 100_000
            })),
            MetricInput::Pods(pods(100, 0, |i| 80_000 + (i as i64 * 577) % 40_000)),
        ],
        ..Observation::default()
    };
    let mut now = 1_000_000u64;
    c.bench_function("hpa_decision_3_metrics_100_pods", |b| {
        b.iter(|| {
            now += 15;
            black_box(
                hpa.decide(Instant::from_millis(now * 1000), black_box(&obs))
                    .unwrap(),
            )
        })
    });
}

fn simulation(c: &mut Criterion) {
    let spec = HpaSpec::from_json(&serde_json::json!({"minReplicas": 2, "maxReplicas": 50, "metrics": [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}))
    .unwrap();
    let cfg = SimConfig {
        scaler: Scaler::Hpa(spec),
        pod: PodModel {
            capacity: 100.0,
            startup_delay: Duration::from_secs(40),
            startup_jitter: 0.2,
            ..PodModel::default()
        },
        tick: None,
        scrape_interval: Duration::from_secs(15),
        metric_window: Duration::from_secs(30),
        initial_replicas: None,
        demand_noise: 0.05,
    };
    // 30 days, a point every 5 minutes: a daily cycle between 150 and 1650 requests/s.
    let trace: Vec<(f64, f64)> = (0..=30 * 288)
        .map(|i| {
            let t = i as f64 * 300.0;
            (
                t,
                900.0 - 750.0 * (t / 86_400.0 * std::f64::consts::TAU).cos(),
            )
        })
        .collect();
    let r = simulate(&cfg, &trace, 1).unwrap();
    assert_eq!(r.summary.decisions, 172_801);
    let mut g = c.benchmark_group("simulate");
    g.sample_size(20);
    g.bench_function("hpa_30_days_15s_ticks", |b| {
        b.iter(|| black_box(simulate(&cfg, black_box(&trace), 1).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, decision, simulation);
criterion_main!(benches);
