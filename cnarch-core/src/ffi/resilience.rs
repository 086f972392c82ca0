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

/// A retry policy as a caller describes it; absent fields take [`RetryArgs::default`]:
/// exponential backoff ×2 from 100 ms, capped at 10 s, with full jitter (AWS's
/// "exponential backoff and jitter" shape; `max_attempts` has no default).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(rename = "RetryOptions", rename_all = "camelCase")
)]
pub struct RetryArgs {
    /// Attempts in all (the first call included).
    #[cfg_attr(feature = "ts", ts(as = "u32"))]
    pub max_attempts: Option<u32>,
    /// `constant`, `linear` or `exponential` (default `exponential`).
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional))]
    pub backoff: String,
    /// The first wait (default 100 ms): milliseconds from JavaScript, seconds from Python, or
    /// duration text.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub initial: Option<super::slo::Span>,
    /// The exponential multiplier (default 2).
    #[cfg_attr(feature = "ts", ts(as = "Option<f64>", optional))]
    pub multiplier: f64,
    /// The cap on a wait (default 10 s), in the same units as `initial`.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_delay: Option<super::slo::Span>,
    /// `none`, `full`, `equal` or `decorrelated` (default `full`).
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional))]
    pub jitter: String,
}

impl Default for RetryArgs {
    fn default() -> Self {
        RetryArgs {
            max_attempts: None,
            backoff: "exponential".into(),
            initial: None,
            multiplier: 2.0,
            max_delay: None,
            jitter: "full".into(),
        }
    }
}

/// The first wait when none is given (100 ms).
pub const DEFAULT_INITIAL: std::time::Duration = std::time::Duration::from_millis(100);
/// The cap when none is given (10 s).
pub const DEFAULT_MAX_DELAY: std::time::Duration = std::time::Duration::from_secs(10);

/// A required option that the caller left out: a `missing_field` violation at
/// `options.<name>` (re-spelled for the host).
fn required<T>(host: Host, value: Option<T>, name: &str) -> Result<T, Error> {
    value.ok_or_else(|| {
        host.error(&InvalidInput {
            violations: vec![Violation::at(
                format!("options.{name}"),
                "missing_field",
                format!("missing field: expected `{name}`, found nothing"),
            )],
        })
    })
}

/// An optional duration option, or `default` when absent.
fn span_or(
    host: Host,
    span: Option<&super::slo::Span>,
    field: &str,
    default: std::time::Duration,
) -> Result<std::time::Duration, Error> {
    span.map_or(Ok(default), |s| s.resolve(host, field))
}

/// A retry policy from its description (an options object in the host's spelling).
pub fn retry_policy(
    host: Host,
    args: Option<&Value>,
) -> Result<crate::resilience::retry::RetryPolicy, Error> {
    use crate::resilience::retry::{Backoff, Jitter, RetryPolicy};
    let a: RetryArgs = options(host, args, "options", &[])?;
    let max_attempts = required(host, a.max_attempts, "max_attempts")?;
    let backoff = Backoff::from_name(&a.backoff, a.multiplier).map_err(|e| host.error(&e))?;
    let jitter: Jitter = a.jitter.parse().map_err(|e| host.error(&e))?;
    let initial = span_or(host, a.initial.as_ref(), "initial", DEFAULT_INITIAL)?;
    let max_delay = span_or(host, a.max_delay.as_ref(), "max_delay", DEFAULT_MAX_DELAY)?;
    RetryPolicy::new(max_attempts, backoff, jitter, initial, max_delay).map_err(|e| host.error(&e))
}

/// A bulkhead as a caller describes it: `max_concurrent` (required), `max_queued` (0: no
/// queue), `max_wait` (absent: waiters wait until served or cancelled).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(rename = "BulkheadOptions", rename_all = "camelCase")
)]
pub struct BulkheadArgs {
    /// Calls in flight at once.
    #[cfg_attr(feature = "ts", ts(as = "u32"))]
    pub max_concurrent: Option<u32>,
    /// Waiters held in line (default 0: no queue).
    #[cfg_attr(feature = "ts", ts(as = "Option<u32>", optional))]
    pub max_queued: u32,
    /// The longest a waiter waits (default: until served or cancelled): milliseconds from
    /// JavaScript, seconds from Python, or duration text.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_wait: Option<super::slo::Span>,
}

/// A bulkhead from its description (an options object in the host's spelling).
pub fn bulkhead(
    host: Host,
    args: Option<&Value>,
) -> Result<crate::resilience::bulkhead::Bulkhead, Error> {
    let a: BulkheadArgs = options(host, args, "options", &[])?;
    let max_concurrent = required(host, a.max_concurrent, "max_concurrent")?;
    let max_wait = a
        .max_wait
        .map(|s| s.resolve(host, "max_wait"))
        .transpose()?;
    crate::resilience::bulkhead::Bulkhead::new(max_concurrent, a.max_queued, max_wait)
        .map_err(|e| host.error(&e))
}

/// Istio's `outlierDetection` fields that [`OutlierConfig::istio`] maps; absent ones at
/// Istio's (and Envoy's) defaults: 5 consecutive 5xx, a 10 s interval, 30 s base ejection.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(rename = "IstioOutlierOptions", rename_all = "camelCase")
)]
pub struct IstioOutlierArgs {
    /// `consecutive5xxErrors` (default 5; 0 turns consecutive-5xx ejection off).
    #[cfg_attr(feature = "ts", ts(as = "Option<u32>", optional))]
    pub consecutive_5xx_errors: u32,
    /// `interval` between ejection sweeps (default 10 s): milliseconds from JavaScript,
    /// seconds from Python, or duration text.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub interval: Option<super::slo::Span>,
    /// `baseEjectionTime` (default 30 s), in the same units as `interval`.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub base_ejection_time: Option<super::slo::Span>,
}

impl Default for IstioOutlierArgs {
    fn default() -> Self {
        IstioOutlierArgs {
            consecutive_5xx_errors: OutlierConfig::default().consecutive_5xx,
            interval: None,
            base_ejection_time: None,
        }
    }
}

/// What Istio programs into Envoy for a DestinationRule's `outlierDetection`.
pub fn istio_outlier(host: Host, args: Option<&Value>) -> Result<OutlierConfig, Error> {
    let a: IstioOutlierArgs = options(host, args, "options", &[])?;
    let d = OutlierConfig::default();
    let interval = span_or(host, a.interval.as_ref(), "interval", d.interval)?;
    let base = span_or(
        host,
        a.base_ejection_time.as_ref(),
        "base_ejection_time",
        d.base_ejection_time,
    )?;
    Ok(OutlierConfig::istio(
        a.consecutive_5xx_errors,
        interval,
        base,
    ))
}
