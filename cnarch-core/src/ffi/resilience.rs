//! Resilience configurations from plain data: resilience4j's breaker keys and Envoy's outlier
//! detection fields, with durations as numbers in the host's unit or duration text, and every
//! absent key at the core's default.

use serde_json::Value;

use super::{options, Error, Host};
use crate::error::{InvalidInput, Violation};
use crate::resilience::breaker::{BreakerConfig, BreakerSnapshot, CircuitBreaker};
use crate::resilience::outlier::OutlierConfig;

/// The duration fields of [`BreakerConfig`].
pub const BREAKER_DURATIONS: &[&str] = &[
    "slow_call_duration_threshold",
    "max_wait_duration_in_half_open_state",
    "wait_duration_in_open_state",
    "max_wait_duration_in_open_state",
];

/// The duration fields of [`OutlierConfig`].
pub const OUTLIER_DURATIONS: &[&str] = &[
    "interval",
    "base_ejection_time",
    "max_ejection_time",
    "max_ejection_time_jitter",
];

/// `config` with the numbers (host unit) or texts under `keys` as the core's durations.
fn with_durations(
    host: Host,
    config: Option<&Value>,
    keys: &[&str],
) -> Result<Option<Value>, Error> {
    let Some(Value::Object(map)) = config else {
        return Ok(config.cloned());
    };
    let mut map = match host.input(Value::Object(map.clone()), &[]) {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    for k in keys {
        let Some(v) = map.get(*k) else { continue };
        if v.is_null() {
            continue;
        }
        let d = match super::slo::span(host, Some(v), k)? {
            Some(d) => d,
            None => continue,
        };
        map.insert(
            (*k).to_string(),
            serde_json::json!({"secs": d.as_secs(), "nanos": d.subsec_nanos()}),
        );
    }
    // Already in the core's spelling: read as Rust (no second re-spelling).
    Ok(Some(Value::Object(map)))
}

/// A breaker configuration: resilience4j's keys in the host's spelling, absent keys at
/// resilience4j's defaults ([`BreakerConfig::default`]).
pub fn breaker_config(host: Host, config: Option<&Value>) -> Result<BreakerConfig, Error> {
    let v = with_durations(host, config, BREAKER_DURATIONS)?;
    options(Host::RUST, v.as_ref(), "config", &[]).map_err(|e| respelled(host, e))
}

/// A breaker from its configuration.
pub fn circuit_breaker(host: Host, config: Option<&Value>) -> Result<CircuitBreaker, Error> {
    CircuitBreaker::new(breaker_config(host, config)?).map_err(|e| host.error(&e))
}

/// A breaker in the state of `snapshot` (what `snapshot()` returned).
pub fn restore_breaker(
    host: Host,
    config: Option<&Value>,
    snapshot: &Value,
) -> Result<CircuitBreaker, Error> {
    let c = breaker_config(host, config)?;
    let snap: BreakerSnapshot = super::read(Host::RUST, snapshot, "snapshot", &[])?;
    CircuitBreaker::restore(c, &snap).map_err(|e| host.error(&e))
}

/// An outlier detection configuration: Envoy's `OutlierDetection` fields in the host's
/// spelling, absent ones at Envoy's defaults ([`OutlierConfig::default`]).
pub fn outlier_config(host: Host, config: Option<&Value>) -> Result<OutlierConfig, Error> {
    let v = with_durations(host, config, OUTLIER_DURATIONS)?;
    options(Host::RUST, v.as_ref(), "config", &[]).map_err(|e| respelled(host, e))
}

/// An error read with the core's names, re-spelled for `host`.
fn respelled(host: Host, e: Error) -> Error {
    if e.violations.is_empty() {
        return e;
    }
    let violations: Vec<Violation> = e.violations;
    host.error(&InvalidInput { violations })
}
