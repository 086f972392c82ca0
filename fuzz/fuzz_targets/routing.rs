//! Any JSON `{route, inhibit, alerts, until, policy, alert}`: reading routing and escalation
//! inputs never panics, and an accepted timeline is computed in bounded time, in time order,
//! before the horizon.
#![no_main]
use cnarch_core::ffi::slo::{escalation_inputs, routing_inputs};
use cnarch_core::alerting::routing::notifications;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &str| {
    let Ok(v) = serde_json::from_str::<Value>(data) else {
        return;
    };
    let null = Value::Null;
    let until = v.get("until").and_then(Value::as_f64).unwrap_or(f64::INFINITY);
    if let Ok((route, inhibit, alerts)) = routing_inputs(
        v.get("route").unwrap_or(&null),
        v.get("inhibit").unwrap_or(&null),
        v.get("alerts").unwrap_or(&null),
    ) {
        if let Ok(n) = notifications(&route, &inhibit, &alerts, until) {
            assert!(n.windows(2).all(|w| w[0].at <= w[1].at));
            assert!(n.iter().all(|x| x.at <= until));
        }
    }
    if let Ok((policy, alert)) = escalation_inputs(
        v.get("policy").unwrap_or(&null),
        v.get("alert").unwrap_or(&null),
    ) {
        if let Ok(n) = policy.notices(&alert, until) {
            assert!(n.windows(2).all(|w| w[0].at <= w[1].at));
            assert!(n.iter().all(|x| x.at < until));
        }
    }
});
