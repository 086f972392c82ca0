//! Any JSON `{spec, steps: [{now, current, status?, metrics, pods?}]}`: reading the HPA spec and
//! the inputs never panics, and every decision an accepted spec makes stays within
//! [min, max] unless scaling is disabled.
#![no_main]
use cnarch_core::autoscale::hpa::{ControllerOptions, HorizontalAutoscaler, HpaSpec, Observation};
use cnarch_core::ffi::autoscale::{metric_inputs_from_json, pods_from_json};
use cnarch_core::time::Instant;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &str| {
    let Ok(v) = serde_json::from_str::<Value>(data) else {
        return;
    };
    let Ok(spec) = HpaSpec::from_json(v.get("spec").unwrap_or(&Value::Null)) else {
        return;
    };
    let (min, max) = (spec.min(), spec.max_replicas);
    let Ok(mut hpa) = HorizontalAutoscaler::new(spec, ControllerOptions::default()) else {
        return;
    };
    let Some(steps) = v.get("steps").and_then(Value::as_array) else {
        return;
    };
    for s in steps.iter().take(64) {
        let Ok(metrics) = metric_inputs_from_json(s.get("metrics").unwrap_or(&Value::Null), 1.0)
        else {
            continue;
        };
        let pods = match s.get("pods") {
            Some(p) => match pods_from_json(p, 1.0, "pods") {
                Ok(p) => p,
                Err(_) => continue,
            },
            None => Vec::new(),
        };
        let current = s.get("current").and_then(Value::as_i64).unwrap_or(1) as i32;
        let obs = Observation {
            current_replicas: current,
            status_replicas: s.get("status").and_then(Value::as_i64).map(|x| x as i32),
            pods,
            metrics,
        };
        let now = s.get("now").and_then(Value::as_f64).unwrap_or(0.0);
        if let Ok(d) = hpa.decide(Instant::from_secs_f64(now.max(0.0)), &obs) {
            if current != 0 || min == 0 {
                assert!(
                    d.desired_replicas >= min && d.desired_replicas <= max,
                    "{} not in [{min}, {max}]",
                    d.desired_replicas
                );
            }
        }
    }
});
