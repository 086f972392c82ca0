//! Autoscaling: the HPA replica calculator and controller on testdata/autoscale vectors, plus
//! properties.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use cnarch_core::autoscale::replica::{
    average_value_replicas, object_average_replicas, object_value_replicas, ready_pod_count,
    resource_utilization_replicas, CalcOptions, PodPhase, PodSample, Tolerances,
};
use cnarch_core::time::Instant;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/autoscale").join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn secs(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

/// The Go harness's pods, as the vector file describes them.
fn harness_pods(c: &Value, o: &Value) -> Vec<PodSample> {
    let now = secs(&o["now"]);
    let n = (c["current_replicas"].as_u64().unwrap() as usize).max(c["phase"].as_array().map_or(0, Vec::len));
    let list = |k: &str| c[k].as_array().cloned().unwrap_or_default();
    let (requests, usage, readiness, start, phase, deleted) =
        (list("requests"), list("usage"), list("readiness"), list("start"), list("phase"), list("deleted"));
    (0..n)
        .map(|i| PodSample {
            name: format!("test-pod-{i}"),
            phase: phase.get(i).map_or(PodPhase::Running, |p| p.as_str().unwrap().parse().unwrap()),
            ready: Some(readiness.get(i).map_or(true, |r| r.as_bool().unwrap())),
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
                assert!(msg.contains(c["error"]["message"].as_str().unwrap()), "{name}: {msg}");
            }
            (want, Ok(got)) => assert_eq!(&got, want, "{name}"),
            (want, Err(e)) => panic!("{name}: expected {want}, got error {e:?}"),
        }
    }
}
