//! Any JSON `{config, trace}`: reading a simulation never panics, and an accepted run finishes
//! with as many rows as decisions, replicas within the pod limit.
#![no_main]
use cnarch_core::ffi::autoscale::{sim_config_from_json, trace_from_json};
use cnarch_core::autoscale::simulate::{simulate, MAX_PODS};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &str| {
    let Ok(v) = serde_json::from_str::<Value>(data) else {
        return;
    };
    let null = Value::Null;
    let (Ok(cfg), Ok(trace)) = (
        sim_config_from_json(v.get("config").unwrap_or(&null), 1.0),
        trace_from_json(v.get("trace").unwrap_or(&null), 1.0),
    ) else {
        return;
    };
    if let Ok(r) = simulate(&cfg, &trace, 0) {
        assert_eq!(r.timeline.time.len() as u64, r.summary.decisions);
        assert!(r.timeline.replicas.iter().all(|&n| n <= MAX_PODS));
    }
});
