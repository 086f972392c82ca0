//! Autoscaling: the HPA replica calculator and controller on testdata/autoscale vectors, plus
//! properties.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use cnarch_core::autoscale::replica::{
    average_value_replicas, object_average_replicas, object_value_replicas, ready_pod_count,
    resource_utilization_replicas, CalcOptions, PodPhase, PodSample, Tolerances,
};
use cnarch_core::time::Instant;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    common::testdata(&format!("autoscale/{name}"))
}

fn secs(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

/// The Go harness's pods, as the vector file describes them.
fn harness_pods(c: &Value, o: &Value) -> Vec<PodSample> {
    let now = secs(&o["now"]);
    let n = (c["current_replicas"].as_u64().unwrap() as usize)
        .max(c["phase"].as_array().map_or(0, Vec::len));
    let list = |k: &str| c[k].as_array().cloned().unwrap_or_default();
    let (requests, usage, readiness, start, phase, deleted) = (
        list("requests"),
        list("usage"),
        list("readiness"),
        list("start"),
        list("phase"),
        list("deleted"),
    );
    (0..n)
        .map(|i| PodSample {
            name: format!("test-pod-{i}"),
            phase: phase
                .get(i)
                .map_or(PodPhase::Running, |p| p.as_str().unwrap().parse().unwrap()),
            ready: Some(readiness.get(i).is_none_or(|r| r.as_bool().unwrap())),
            deleted: deleted.get(i).is_some_and(|d| d.as_bool().unwrap()),
            start_time: Some(match start.get(i).and_then(Value::as_str) {
                Some("hot") => Instant::from_millis(now * 1000),
                Some("cool") => Instant::from_millis((now - secs(&o["cool_age"])) * 1000),
                _ => Instant::ZERO,
            }),
            ready_transition_time: Some(Instant::ZERO),
            request: requests.get(i).map(|r| r.as_i64().unwrap()),
            usage: usage.get(i).map(|u| u.as_i64().unwrap()),
            sample_time: Some(Instant::ZERO),
            sample_window: Some(Duration::from_secs(secs(&o["sample_window"]))),
        })
        .collect()
}

#[test]
fn replica_calculator_vectors() {
    let v = vectors("replica_calc.json");
    let o = &v["options"];
    let opts = CalcOptions {
        tolerances: Tolerances::symmetric(o["tolerance"].as_f64().unwrap()),
        cpu_initialization_period: Duration::from_secs(secs(&o["cpu_initialization_period"])),
        initial_readiness_delay: Duration::from_secs(secs(&o["initial_readiness_delay"])),
        now: Instant::from_millis(secs(&o["now"]) * 1000),
    };
    for c in v["cases"].as_array().unwrap() {
        let name = c["test"].as_str().unwrap();
        let current = c["current_replicas"].as_i64().unwrap() as i32;
        let target = c["target"].as_i64().unwrap();
        let pods = harness_pods(c, o);
        let first = || c["usage"][0].as_i64().unwrap();
        let got: Result<Value, (String, String)> = match c["kind"].as_str().unwrap() {
            "utilization" => resource_utilization_replicas(current, &pods, target as i32, "cpu", &opts)
                .map(|p| serde_json::json!({"replicas": p.replicas, "utilization": p.utilization, "raw_average": p.raw_average}))
                .map_err(|e| (e.code().to_string(), e.to_string())),
            "average_value" => average_value_replicas(current, &pods, target, None, &opts)
                .map(|p| serde_json::json!({"replicas": p.replicas, "value": p.value}))
                .map_err(|e| (e.code().to_string(), e.to_string())),
            "object_value" => object_value_replicas(current, first(), target, ready_pod_count(&pods), opts.tolerances)
                .map(|p| serde_json::json!({"replicas": p.replicas, "value": p.value}))
                .map_err(|e| (e.code().to_string(), e.to_string())),
            "object_average" => object_average_replicas(current, first(), target, opts.tolerances)
                .map(|p| serde_json::json!({"replicas": p.replicas, "value": p.value}))
                .map_err(|e| (e.code().to_string(), e.to_string())),
            k => panic!("unknown kind {k}"),
        };
        match (&c["expect"], got) {
            (Value::Null, Err((code, msg))) => {
                assert_eq!(code, c["error"]["code"].as_str().unwrap(), "{name}");
                assert!(
                    msg.contains(c["error"]["message"].as_str().unwrap()),
                    "{name}: {msg}"
                );
            }
            (want, Ok(got)) => assert_eq!(&got, want, "{name}"),
            (want, Err(e)) => panic!("{name}: expected {want}, got error {e:?}"),
        }
    }
}

use cnarch_core::autoscale::hpa::{
    ControllerOptions, HorizontalAutoscaler, HpaSpec, MetricInput, Observation,
};

const BASE: u64 = 1_000_000; // seconds; scenario times are relative to it

fn at(v: &Value) -> Instant {
    Instant::from_millis(((BASE as i64 + v.as_i64().unwrap()) * 1000) as u64)
}

#[test]
fn hpa_controller_scenarios() {
    for s in vectors("hpa.json")["scenarios"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let spec = HpaSpec::from_json(&s["spec"]).unwrap_or_else(|v| panic!("{name}: {v:?}"));
        let recs: Vec<(Instant, i32)> = s["recommendations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| (at(&r[0]), r[1].as_i64().unwrap() as i32))
                    .collect()
            })
            .unwrap_or_default();
        let events: Vec<(Instant, i32)> = s["scale_events"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| (at(&r[0]), r[1].as_i64().unwrap() as i32))
                    .collect()
            })
            .unwrap_or_default();
        let mut hpa = HorizontalAutoscaler::new(spec, ControllerOptions::default())
            .unwrap()
            .with_recommendations(&recs)
            .with_scale_events(&events);
        for step in s["steps"].as_array().unwrap() {
            let what = format!("{name} at {}", step["at"]);
            let inputs = step["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| match (i.get("value"), i.get("failed")) {
                    (Some(v), _) => MetricInput::Value(v.as_i64().unwrap()),
                    (_, Some(f)) => MetricInput::Failed(f.as_str().unwrap().to_string()),
                    _ => panic!("{what}: bad input {i}"),
                })
                .collect();
            let obs = Observation {
                current_replicas: step["current"].as_i64().unwrap() as i32,
                metrics: inputs,
                ..Observation::default()
            };
            let d = hpa.decide(at(&step["at"]), &obs).unwrap();
            let e = &step["expect"];
            assert_eq!(
                i64::from(d.desired_replicas),
                e["desired"].as_i64().unwrap(),
                "{what}: {d:#?}"
            );
            let rescale = e["rescale"].as_bool().unwrap_or(true);
            assert_eq!(d.rescale, rescale, "{what}");
            if let Some(l) = e.get("limited") {
                assert_eq!(d.limited_reason, l.as_str(), "{what}: {d:#?}");
            }
            let find = |k: &str| d.conditions.iter().find(|c| c.kind == k).cloned();
            if let Some(a) = e["able"].as_str() {
                assert_eq!(find("AbleToScale").unwrap().reason, a, "{what}");
            }
            if let Some(a) = e["active"].as_array() {
                let c = find("ScalingActive").unwrap();
                assert_eq!(
                    (if c.status { "True" } else { "False" }, c.reason),
                    (a[0].as_str().unwrap(), a[1].as_str().unwrap()),
                    "{what}"
                );
                if let Some(m) = e["active_message"].as_str() {
                    assert_eq!(c.message, m, "{what}");
                }
            }
            if let Some(r) = e["reason"].as_str() {
                assert_eq!(d.rescale_reason.as_deref(), Some(r), "{what}");
            }
        }
    }
}

#[test]
fn hpa_spec_errors_name_their_paths() {
    let bad = serde_json::json!({"spec": {"maxReplicas": 0, "minReplicas": 3, "metrics": [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Value", "value": "1"}}},
        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue"}}}],
        "behavior": {"scaleUp": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 4000}]}}}});
    let v = HpaSpec::from_json(&bad).unwrap_err();
    let paths: Vec<&str> = v.iter().map(|x| x.path.as_str()).collect();
    for p in [
        "spec.maxReplicas",
        "spec.minReplicas",
        "spec.metrics[0].resource.target.type",
        "spec.metrics[1].pods.target.averageValue",
        "spec.behavior.scaleUp.policies[0].value",
        "spec.behavior.scaleUp.policies[0].periodSeconds",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    let typo = serde_json::json!({"maxReplicas": 3, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilisation": 50}}}]});
    let v = HpaSpec::from_json(&typo).unwrap_err();
    assert_eq!(v[0].path, "metrics[0].resource.target.averageUtilisation");
    assert!(
        v[0].message.contains("averageUtilisation"),
        "{}",
        v[0].message
    );
}

mod properties {
    use super::*;
    use cnarch_core::autoscale::hpa::{
        Behavior, MetricSpec, PolicyType, ScalingPolicy, ScalingRules, SelectPolicy,
    };
    use proptest::prelude::*;

    fn external() -> MetricSpec {
        serde_json::from_value(serde_json::json!({"type": "External", "external": {"metric": {"name": "q"}, "target": {"type": "AverageValue", "averageValue": "1"}}})).unwrap()
    }

    fn policy() -> impl Strategy<Value = ScalingPolicy> {
        (any::<bool>(), 1i32..200, 1i32..120).prop_map(|(pods, value, period_seconds)| {
            ScalingPolicy {
                kind: if pods {
                    PolicyType::Pods
                } else {
                    PolicyType::Percent
                },
                value,
                period_seconds,
            }
        })
    }

    fn rules() -> impl Strategy<Value = Option<ScalingRules>> {
        proptest::option::of(
            (0i32..600, 0u8..3, prop::collection::vec(policy(), 1..4)).prop_map(|(w, sel, ps)| {
                ScalingRules {
                    stabilization_window_seconds: Some(w),
                    select_policy: Some(
                        [SelectPolicy::Max, SelectPolicy::Min, SelectPolicy::Disabled]
                            [sel as usize],
                    ),
                    policies: Some(ps),
                    tolerance: None,
                }
            }),
        )
    }

    fn spec() -> impl Strategy<Value = HpaSpec> {
        (1i32..20, 0i32..80, any::<bool>(), rules(), rules()).prop_map(
            |(min, span, legacy, up, down)| HpaSpec {
                scale_target_ref: None,
                min_replicas: Some(min),
                max_replicas: min + span,
                metrics: vec![external()],
                behavior: (!legacy).then_some(Behavior {
                    scale_up: up,
                    scale_down: down,
                }),
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Desired replicas stay in [min, max]; a ratio within tolerance changes nothing on a
        /// fresh controller; a scale-up stays within the selected policy limit; a scale-down never
        /// goes below the highest recommendation in the window.
        #[test]
        fn decisions_respect_bounds_policies_and_windows(
            spec in spec(),
            start in 1i32..100,
            steps in prop::collection::vec((0u64..40, 0i64..400_000), 1..40),
        ) {
            let min = spec.min();
            let max = spec.max_replicas;
            let mut hpa = HorizontalAutoscaler::new(spec.clone(), ControllerOptions::default()).unwrap();
            let mut current = start.clamp(min, max);
            let mut now = 10_000u64;
            let mut history: Vec<(u64, i32)> = Vec::new();
            let mut events: Vec<(u64, i32)> = Vec::new();
            for (dt, value) in steps {
                now += dt;
                let obs = Observation { current_replicas: current, metrics: vec![MetricInput::Value(value)], ..Observation::default() };
                let fresh = history.is_empty();
                let d = hpa.decide(Instant::from_millis(now * 1000), &obs).unwrap();
                prop_assert!(d.desired_replicas >= min && d.desired_replicas <= max, "{d:?}");
                let ratio = value as f64 / (1000.0 * f64::from(current));
                if fresh && (0.9..=1.1).contains(&ratio) {
                    prop_assert_eq!(d.desired_replicas, current);
                }
                if let (Some(b), true) = (&spec.behavior, d.desired_replicas > current) {
                    let up = hpa.scale_up_rules();
                    prop_assert!(up.select_policy != SelectPolicy::Disabled);
                    let _ = b;
                    // Never more than the selected policy allows from the replicas at the start of
                    // its period (the current count minus what the period added, plus what it
                    // removed).
                    let limits = up.policies.iter().map(|p| {
                        let since = now.saturating_sub(p.period_seconds as u64);
                        let changed: i32 = events.iter().filter(|&&(t, _)| t > since).map(|&(_, c)| c).sum();
                        let start = current - changed;
                        match p.kind {
                            PolicyType::Pods => start + p.value,
                            PolicyType::Percent => (f64::from(start) * (1.0 + f64::from(p.value) / 100.0)).ceil() as i32,
                        }
                    });
                    let limit = if up.select_policy == SelectPolicy::Min { limits.min() } else { limits.max() }.unwrap();
                    prop_assert!(d.desired_replicas <= limit.max(current), "{} > {}", d.desired_replicas, limit);
                }
                if d.desired_replicas < current {
                    let window = match &spec.behavior {
                        None => 300,
                        Some(_) => hpa.scale_down_rules().stabilization_window.as_secs(),
                    };
                    let wanted = d.metric_replicas.unwrap();
                    let highest = history.iter().filter(|(t, _)| t + window > now).map(|&(_, r)| r).chain([wanted]).max().unwrap();
                    prop_assert!(d.desired_replicas >= highest.min(current).max(min), "scaled down to {} below the window's {}", d.desired_replicas, highest);
                }
                if let Some(m) = d.metric_replicas {
                    history.push((now, m));
                }
                if d.desired_replicas != current {
                    events.push((now, d.desired_replicas - current));
                }
                current = d.desired_replicas;
            }
        }
    }
}

use cnarch_core::autoscale::kpa::{DeciderSpec, KpaConfig, ServerlessAutoscaler};

#[test]
fn kpa_decider_vectors() {
    for c in vectors("kpa.json")["cases"].as_array().unwrap() {
        let name = c["test"].as_str().unwrap();
        let target = c["target"].as_f64().unwrap();
        let o = &c["overrides"];
        let spec = DeciderSpec {
            target_value: target,
            total_value: target / 0.75,
            target_burst_capacity: c["tbc"].as_f64().unwrap_or(0.0),
            panic_threshold: o["panic_threshold"].as_f64().unwrap_or(2.0),
            max_scale_up_rate: o["max_scale_up_rate"].as_f64().unwrap_or(10.0),
            max_scale_down_rate: o["max_scale_down_rate"].as_f64().unwrap_or(10.0),
            stable_window: Duration::from_secs(60),
            scale_down_delay: Duration::from_secs(o["scale_down_delay_s"].as_u64().unwrap_or(0)),
            activation_scale: 1,
        };
        let t0 = 1_000_000_000u64; // ms
        let ms = |s: &Value| Instant::from_millis(t0 + (s.as_f64().unwrap() * 1000.0) as u64);
        let mut kpa = ServerlessAutoscaler::new(KpaConfig::default())
            .unwrap()
            .with_decider(spec);
        if let Some(n) = c["start_ready"].as_u64() {
            kpa = kpa.starting_with(ms(&c["steps"][0]["at"]), n as u32);
        }
        for step in c["steps"].as_array().unwrap() {
            let d = kpa
                .scale_reachable(
                    ms(&step["at"]),
                    step["stable"].as_f64().unwrap(),
                    step["panic"].as_f64().unwrap(),
                    step["ready"].as_u64().unwrap() as u32,
                    step["reachable"].as_bool().unwrap_or(true),
                )
                .unwrap();
            assert_eq!(
                u64::from(d.autoscaler_replicas),
                step["want"].as_u64().unwrap(),
                "{name}: {step}"
            );
            if let Some(p) = step["panicking"].as_bool() {
                assert_eq!(d.panicking, p, "{name}: {step}");
            }
            if let Some(e) = step["ebc"].as_i64() {
                assert!(
                    (d.excess_burst_capacity - e).abs() <= 1,
                    "{name}: ebc {} vs {e}",
                    d.excess_burst_capacity
                );
            }
        }
    }
}

#[test]
fn kpa_reconciler_bounds_and_scale_to_zero() {
    let cfg = KpaConfig {
        min_scale: 0,
        max_scale: 5,
        ..KpaConfig::default()
    };
    let mut k = ServerlessAutoscaler::new(cfg).unwrap();
    let t = |s: u64| Instant::from_millis(s * 1000);
    // Observations Knative's metrics never produce are refused, and change nothing.
    for (stable, panic) in [(f64::NAN, 1.0), (1.0, -1.0), (f64::INFINITY, 1.0)] {
        let e = k.scale(t(0), stable, panic, 1).unwrap_err();
        assert_eq!(e.code(), "invalid_observation", "{e}");
    }
    // 70 per pod (100 x 70 %): 1000 in flight wants 15, capped at max_scale.
    let d = k.scale(t(0), 1000.0, 1000.0, 1).unwrap();
    assert_eq!(
        (d.autoscaler_replicas, d.desired_replicas, d.reason),
        (15, 5, Some("max_scale"))
    );
    // No traffic: the decider says 0, the reconciler keeps 1 through the 30 s grace period.
    let d = k.scale(t(100), 0.0, 0.0, 1).unwrap();
    assert_eq!(
        (d.autoscaler_replicas, d.desired_replicas, d.reason),
        (0, 1, Some("scale_to_zero_grace"))
    );
    assert_eq!(k.scale(t(129), 0.0, 0.0, 1).unwrap().desired_replicas, 1);
    assert_eq!(k.scale(t(130), 0.0, 0.0, 1).unwrap().desired_replicas, 0);
    // Traffic again resets the grace timer.
    assert_eq!(k.scale(t(131), 7.0, 7.0, 0).unwrap().desired_replicas, 1);
    assert_eq!(k.scale(t(132), 0.0, 0.0, 1).unwrap().desired_replicas, 1);
    let mut never = ServerlessAutoscaler::new(KpaConfig {
        enable_scale_to_zero: false,
        ..KpaConfig::default()
    })
    .unwrap();
    assert_eq!(
        never.scale(t(0), 0.0, 0.0, 1).unwrap().reason,
        Some("scale_to_zero_disabled")
    );
    let mut act = ServerlessAutoscaler::new(KpaConfig {
        activation_scale: 3,
        ..KpaConfig::default()
    })
    .unwrap();
    assert_eq!(act.scale(t(0), 1.0, 1.0, 0).unwrap().autoscaler_replicas, 3);
    assert_eq!(
        act.scale(t(1), 0.0, 0.0, 3).unwrap().autoscaler_replicas,
        1,
        "0 is not raised to the activation scale"
    );
    for bad in [
        KpaConfig {
            target_utilization_percentage: 0.0,
            ..KpaConfig::default()
        },
        KpaConfig {
            max_scale_down_rate: 1.0,
            ..KpaConfig::default()
        },
        KpaConfig {
            panic_threshold_percentage: 100.0,
            ..KpaConfig::default()
        },
        KpaConfig {
            min_scale: 5,
            max_scale: 2,
            ..KpaConfig::default()
        },
    ] {
        assert_eq!(
            ServerlessAutoscaler::new(bad).unwrap_err().code(),
            "invalid_kpa_config"
        );
    }
    // Defaults: 100 x 70 % concurrency; rps 200 x 70 %; containerConcurrency caps the target.
    assert_eq!(KpaConfig::default().target_value(), 70.0);
    assert_eq!(
        KpaConfig {
            container_concurrency: 10,
            ..KpaConfig::default()
        }
        .target_value(),
        7.0
    );
    assert_eq!(KpaConfig::default().panic_window(), Duration::from_secs(6));
}

use cnarch_core::autoscale::keda::{KedaConfig, ScaledObject};

#[test]
fn keda_scenarios() {
    for s in vectors("keda.json")["scenarios"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let config: KedaConfig = serde_json::from_value(s["config"].clone()).unwrap();
        let mut so = ScaledObject::new(config).unwrap();
        for p in s["polls"].as_array().unwrap() {
            let values: Vec<Option<f64>> = p["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(Value::as_f64)
                .collect();
            let d = so.poll(
                Instant::from_millis(1_000_000 + p["at"].as_u64().unwrap() * 1000),
                p["current"].as_u64().unwrap() as u32,
                &values,
            );
            assert_eq!(d.active, p["active"].as_bool().unwrap(), "{name}: {p}");
            assert_eq!(d.action, p["action"].as_str().unwrap(), "{name}: {p}");
            assert_eq!(
                d.set_replicas.map(u64::from),
                p["set"].as_u64(),
                "{name}: {p}"
            );
            if let Some(t) = p["triggers"].as_array() {
                let want: Vec<Option<bool>> = t.iter().map(Value::as_bool).collect();
                assert_eq!(d.triggers_active, want, "{name}");
            }
        }
    }
}

#[test]
fn keda_builds_the_hpa_and_refuses_bad_objects() {
    let cfg: KedaConfig = serde_json::from_value(
        serde_json::json!({"minReplicaCount": 0, "maxReplicaCount": 30,
        "triggers": [{"name": "s0-rabbitmq", "threshold": 20, "activationThreshold": 2}]}),
    )
    .unwrap();
    let so = ScaledObject::new(cfg).unwrap();
    let spec = so.hpa_spec();
    assert_eq!((spec.min_replicas, spec.max_replicas), (Some(1), 30));
    let json = serde_json::to_value(&spec).unwrap();
    assert_eq!(
        json["metrics"][0]["external"]["target"],
        serde_json::json!({"type": "AverageValue", "averageValue": "20"})
    );
    // The HPA path then proposes ceil(total / 20).
    let mut hpa = HorizontalAutoscaler::new(spec, ControllerOptions::default()).unwrap();
    let d = hpa
        .decide(
            Instant::from_millis(1000),
            &Observation {
                current_replicas: 1,
                metrics: vec![MetricInput::Value(75_000)],
                ..Observation::default()
            },
        )
        .unwrap();
    assert_eq!(d.metric_replicas, Some(4));
    for bad in [
        serde_json::json!({"triggers": []}),
        serde_json::json!({"minReplicaCount": 5, "maxReplicaCount": 2, "triggers": [{"name": "a", "threshold": 1}]}),
        serde_json::json!({"minReplicaCount": 1, "idleReplicaCount": 1, "triggers": [{"name": "a", "threshold": 1}]}),
        serde_json::json!({"triggers": [{"name": "a", "threshold": 0}]}),
    ] {
        let cfg: KedaConfig = serde_json::from_value(bad.clone()).unwrap();
        assert_eq!(
            ScaledObject::new(cfg).unwrap_err().code(),
            "invalid_scaled_object",
            "{bad}"
        );
    }
}

use cnarch_core::autoscale::simulate::{compare, simulate, PodModel, Scaler, SimConfig};

fn hpa_sim(min: i32, max: i32, cpu: i32, startup: u64) -> SimConfig {
    let spec = HpaSpec::from_json(&serde_json::json!({"minReplicas": min, "maxReplicas": max, "metrics": [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}}}]})).unwrap();
    SimConfig {
        scaler: Scaler::Hpa(spec),
        pod: PodModel {
            capacity: 100.0,
            startup_delay: Duration::from_secs(startup),
            ..PodModel::default()
        },
        tick: None,
        scrape_interval: Duration::from_secs(15),
        metric_window: Duration::from_secs(30),
        initial_replicas: None,
        demand_noise: 0.0,
    }
}

fn step_trace() -> Vec<(f64, f64)> {
    vec![
        (0.0, 100.0),
        (600.0, 500.0),
        (1800.0, 100.0),
        (3600.0, 100.0),
    ]
}

#[test]
fn simulator_follows_a_step_with_the_hpa() {
    let r = simulate(&hpa_sim(2, 10, 70, 30), &step_trace(), 7).unwrap();
    let tl = &r.timeline;
    let at = |s: f64| tl.time.iter().position(|&t| t >= s).unwrap();
    // Before the step: 100 rps on 2 pods, about 50 % CPU, within range: stays at 2.
    assert_eq!(tl.replicas[at(590.0)], 2);
    // 500 rps needs ceil(500 x 0.95 / 70) pods at 70 %: the HPA settles around 7.
    let settled = tl.replicas[at(1700.0)];
    assert!((6..=8).contains(&settled), "{settled}");
    // Right after the step the 2 pods are overloaded until new pods are ready.
    assert!(tl.unserved[at(615.0)] > 0.0);
    assert_eq!(tl.unserved[at(1700.0)], 0.0);
    // After the drop, the 5-minute downscale stabilization holds the count, then it falls.
    assert_eq!(tl.replicas[at(2000.0)], settled);
    assert!(tl.replicas[at(3500.0)] <= 3, "{}", tl.replicas[at(3500.0)]);
    let s = r.summary;
    assert!(
        s.overloaded_seconds > 0.0 && s.overloaded_seconds < 300.0,
        "{s:?}"
    );
    let pod_seconds: f64 = tl.replicas.iter().map(|&n| f64::from(n) * 15.0).sum();
    assert!((s.pod_seconds - pod_seconds).abs() < 1e-6);
    assert_eq!(s.decisions as usize, tl.time.len());
    for i in 0..tl.time.len() {
        assert!(tl.served[i] <= tl.demand[i] + 1e-9 && tl.unserved[i] >= 0.0);
        assert!(tl.replicas[i] >= 2 && tl.replicas[i] <= 10);
    }
}

#[test]
fn simulator_is_deterministic_and_compares_configurations() {
    let mut noisy = hpa_sim(2, 10, 70, 30);
    noisy.demand_noise = 0.2;
    noisy.pod.startup_jitter = 0.5;
    let a = simulate(&noisy, &step_trace(), 42).unwrap();
    assert_eq!(a, simulate(&noisy, &step_trace(), 42).unwrap());
    assert_ne!(
        a.timeline.demand,
        simulate(&noisy, &step_trace(), 43).unwrap().timeline.demand
    );
    let slow = hpa_sim(2, 10, 70, 120);
    let fast = hpa_sim(2, 10, 70, 5);
    let c = compare(&slow, &fast, &step_trace(), 1).unwrap();
    assert!(
        c.unserved_delta < 0.0,
        "faster startup serves more: {}",
        c.unserved_delta
    );
    assert!(c.overloaded_seconds_delta < 0.0);
}

#[test]
fn simulator_runs_the_kpa_and_scales_to_zero() {
    let cfg = SimConfig {
        scaler: Scaler::Kpa(KpaConfig::default()),
        pod: PodModel {
            capacity: 100.0,
            startup_delay: Duration::from_secs(2),
            ..PodModel::default()
        },
        tick: None,
        scrape_interval: Duration::from_secs(15),
        metric_window: Duration::from_secs(30),
        initial_replicas: None,
        demand_noise: 0.0,
    };
    // Concurrency 0, a burst of 700 in-flight requests for 2 minutes, then nothing.
    let trace = vec![(0.0, 0.0), (60.0, 700.0), (180.0, 0.0), (600.0, 0.0)];
    let r = simulate(&cfg, &trace, 0).unwrap();
    let tl = &r.timeline;
    let at = |s: f64| tl.time.iter().position(|&t| t >= s).unwrap();
    assert_eq!(
        tl.replicas[at(30.0)],
        1,
        "initial scale 1 before any traffic has aged out"
    );
    // 700 / 70 per pod = 10 pods; the panic window sees the burst within seconds.
    assert!(tl.desired[at(70.0)] >= 10, "{}", tl.desired[at(70.0)]);
    assert_eq!(
        *tl.replicas.last().unwrap(),
        0,
        "scaled to zero after the stable window and grace period"
    );
}

#[test]
fn simulator_refuses_bad_traces_with_paths() {
    let e = simulate(
        &hpa_sim(1, 5, 50, 10),
        &[(0.0, 1.0), (-1.0, 2.0), (5.0, f64::NAN)],
        0,
    )
    .unwrap_err();
    let paths: Vec<&str> = e.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["trace[1].time", "trace[2].demand"]);
    assert_eq!(
        simulate(&hpa_sim(1, 5, 50, 10), &[], 0).unwrap_err()[0].path,
        "trace"
    );
    let mut cfg = hpa_sim(1, 5, 50, 10);
    cfg.pod.capacity = 0.0;
    assert_eq!(
        simulate(&cfg, &step_trace(), 0).unwrap_err()[0].path,
        "pod.capacity"
    );
}

#[test]
fn simulator_refuses_runs_too_big_to_finish() {
    let paths = |cfg: &SimConfig, trace: &[(f64, f64)]| -> Vec<(String, String)> {
        simulate(cfg, trace, 0)
            .unwrap_err()
            .into_iter()
            .map(|v| (v.path, v.code))
            .collect()
    };
    let v = |p: &str, c: &str| (p.to_string(), c.to_string());
    // A trace of a thousand years.
    assert_eq!(
        paths(&hpa_sim(1, 5, 50, 10), &[(0.0, 1.0), (3.2e10, 1.0)]),
        vec![v("trace", "invalid_value")]
    );
    // 300 days at 1-second ticks: 25.9 million ticks.
    let mut fine = hpa_sim(1, 5, 50, 10);
    fine.tick = Some(Duration::from_secs(1));
    assert_eq!(
        paths(&fine, &[(0.0, 1.0), (300.0 * 86_400.0, 1.0)]),
        vec![v("tick", "invalid_value")]
    );
    // Ticks, windows and startup delays of more than a day.
    let mut long = hpa_sim(1, 5, 50, 10);
    long.tick = Some(Duration::from_secs(2 * 86_400));
    long.metric_window = Duration::MAX;
    long.pod.startup_delay = Duration::MAX;
    long.pod.cpu_idle = f64::NAN;
    assert_eq!(
        paths(&long, &step_trace()),
        vec![
            v("pod.cpu_idle", "invalid_value"),
            v("pod.startup_delay", "invalid_value"),
            v("metric_window", "invalid_value"),
            v("tick", "invalid_value"),
        ]
    );
    // An unbounded KPA facing enormous demand stops at the cluster's pod limit.
    let kpa = SimConfig {
        scaler: Scaler::Kpa(KpaConfig::default()),
        pod: PodModel {
            startup_delay: Duration::from_secs(2),
            ..PodModel::default()
        },
        tick: None,
        scrape_interval: Duration::from_secs(15),
        metric_window: Duration::from_secs(30),
        initial_replicas: None,
        demand_noise: 0.0,
    };
    let e = simulate(&kpa, &[(0.0, 1e12), (60.0, 1e12)], 0).unwrap_err();
    assert_eq!(
        (e[0].path.as_str(), e[0].code.as_str()),
        ("scaler", "too_many_pods")
    );
    assert!(e[0].message.contains("150000"), "{}", e[0].message);
    // Within the limits, 60 days at 15-second ticks run.
    let days = simulate(
        &hpa_sim(1, 5, 50, 10),
        &[(0.0, 10.0), (60.0 * 86_400.0, 10.0)],
        0,
    )
    .unwrap();
    assert_eq!(days.summary.decisions, 60 * 5760 + 1);
}

#[test]
fn negative_replica_counts_are_refused() {
    use cnarch_core::autoscale::replica::{object_value_replicas, Tolerances};
    let e = object_value_replicas(-1, 1000, 500, 1, Tolerances::default()).unwrap_err();
    assert_eq!(e.code(), "invalid_replicas");
    let e = object_value_replicas(2, 1000, 500, 1, Tolerances::symmetric(f64::NAN)).unwrap_err();
    assert_eq!(e.code(), "invalid_tolerance");
}
