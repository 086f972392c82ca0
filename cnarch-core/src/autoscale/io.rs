//! Reading autoscaling inputs from plain data, for hosts and bindings: pods, metric inputs,
//! KPA and simulator configurations and traces, with times as numbers in a unit the caller
//! names (seconds for Python, milliseconds for JavaScript). Errors name the path.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::hpa::MetricInput;
use super::keda::KedaConfig;
use super::kpa::KpaConfig;
use super::replica::{PodPhase, PodSample};
use super::simulate::SimConfig;
use crate::error::Violation;
use crate::quantity::Quantity;
use crate::time::Instant;

fn violation(path: String, message: String) -> Violation {
    Violation {
        document: 0,
        name: None,
        path,
        code: "invalid_value".into(),
        message,
    }
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty() || path == ".") {
        (true, _) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

fn read<T: serde::de::DeserializeOwned>(v: &Value, prefix: &str) -> Result<T, Vec<Violation>> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = join(prefix, &e.path().to_string());
        vec![violation(path, e.into_inner().to_string())]
    })
}

/// A value in milli-units: a number (already milli-units) or a quantity string (`"250m"`, `"1"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Milli(i64);

impl<'de> Deserialize<'de> for Milli {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(f64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(n) if n.is_finite() && n.abs() < 9.0e18 => Ok(Milli(n.round() as i64)),
            Raw::N(n) => Err(serde::de::Error::custom(format!(
                "expected a finite number of milli-units, found {n}"
            ))),
            Raw::S(s) => {
                let q = Quantity::parse(s.trim()).map_err(serde::de::Error::custom)?;
                i64::try_from(q.milli_value())
                    .map(Milli)
                    .map_err(|_| serde::de::Error::custom(format!("quantity `{s}` is too large")))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PodInput {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    phase: Option<PodPhase>,
    #[serde(default)]
    ready: Option<bool>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    start_time: Option<f64>,
    #[serde(default)]
    ready_transition_time: Option<f64>,
    #[serde(default)]
    request: Option<Milli>,
    #[serde(default)]
    usage: Option<Milli>,
    #[serde(default)]
    sample_time: Option<f64>,
    #[serde(default)]
    sample_window: Option<f64>,
}

fn instant(t: f64, unit: f64, path: String) -> Result<Instant, Violation> {
    let s = t * unit;
    if (0.0..1.8e10).contains(&s) {
        Ok(Instant::from_secs_f64(s))
    } else {
        Err(violation(
            path,
            format!("expected a time of 0 or more, found {t}"),
        ))
    }
}

fn duration(t: f64, unit: f64, path: String) -> Result<Duration, Violation> {
    crate::time::duration_from_secs(t * unit).map_err(|e| violation(path, e))
}

/// Pods from a list of objects: `name`, `phase` (`Running` default), `ready` (default `true`),
/// `deleted`, `start_time` and `ready_transition_time` (default: the clock's zero, i.e. long
/// ago), `request`, `usage` (`null`: no sample),
/// `sample_time`, `sample_window`. Times are numbers × `unit` seconds; `request` and `usage` are
/// milli-units or quantity strings.
pub fn pods_from_json(
    v: &Value,
    unit: f64,
    prefix: &str,
) -> Result<Vec<PodSample>, Vec<Violation>> {
    let inputs: Vec<PodInput> = read(v, prefix)?;
    let mut out = Vec::with_capacity(inputs.len());
    let mut errs = Vec::new();
    for (i, p) in inputs.into_iter().enumerate() {
        let at = |f: &str| join(prefix, &format!("[{i}].{f}"));
        let mut t = |x: Option<f64>, f: &str| {
            x.map(|x| instant(x, unit, at(f)))
                .transpose()
                .unwrap_or_else(|e| {
                    errs.push(e);
                    None
                })
        };
        // Absent times are the clock's zero (long ago), as in the controller's tests.
        let start_time = t(p.start_time, "start_time").or(Some(Instant::ZERO));
        let ready_transition_time =
            t(p.ready_transition_time, "ready_transition_time").or(Some(Instant::ZERO));
        let sample_time = t(p.sample_time, "sample_time");
        let sample_window = p
            .sample_window
            .map(|w| duration(w, unit, at("sample_window")))
            .transpose()
            .unwrap_or_else(|e| {
                errs.push(e);
                None
            });
        out.push(PodSample {
            name: p.name.unwrap_or_else(|| format!("pod-{i}")),
            phase: p.phase.unwrap_or_default(),
            ready: Some(p.ready.unwrap_or(true)),
            deleted: p.deleted,
            start_time,
            ready_transition_time,
            request: p.request.map(|m| m.0),
            usage: p.usage.map(|m| m.0),
            sample_time,
            sample_window,
        });
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// One input per HPA metric: a list of pods (per-pod metrics), a number or quantity string
/// (Object/External value, milli-units when a number), or `{"error": "message"}` (the fetch
/// failed).
pub fn metric_inputs_from_json(v: &Value, unit: f64) -> Result<Vec<MetricInput>, Vec<Violation>> {
    let Some(items) = v.as_array() else {
        return Err(vec![violation(
            "metrics".into(),
            "expected a list with one input per metric".into(),
        )]);
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("metrics[{i}]");
        out.push(match item {
            Value::Array(_) => MetricInput::Pods(pods_from_json(item, unit, &path)?),
            Value::Number(_) | Value::String(_) => {
                MetricInput::Value(read::<Milli>(item, &path)?.0)
            }
            Value::Object(o) => match o.get("error").and_then(Value::as_str) {
                Some(msg) => MetricInput::Failed(msg.to_string()),
                None => {
                    return Err(vec![violation(
                        path,
                        "expected pods (a list), a value, or {\"error\": message}".into(),
                    )]);
                }
            },
            _ => {
                return Err(vec![violation(
                    path,
                    "expected pods (a list), a value, or {\"error\": message}".into(),
                )])
            }
        });
    }
    Ok(out)
}

/// Replaces numbers under `keys` (anywhere in `v`) by serde's `{secs, nanos}` duration,
/// reading them as `unit` seconds; `null` is left alone.
pub fn durations_in(
    v: &mut Value,
    unit: f64,
    keys: &[&str],
    prefix: &str,
) -> Result<(), Vec<Violation>> {
    fn walk(v: &mut Value, unit: f64, keys: &[&str], path: String, errs: &mut Vec<Violation>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    let p = join(&path, k);
                    if keys.contains(&k.as_str()) && x.is_number() {
                        match duration(x.as_f64().unwrap_or(f64::NAN), unit, p) {
                            Ok(d) => {
                                *x = serde_json::json!({"secs": d.as_secs(), "nanos": d.subsec_nanos()})
                            }
                            Err(e) => errs.push(e),
                        }
                    } else {
                        walk(x, unit, keys, p, errs);
                    }
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter_mut().enumerate() {
                    walk(x, unit, keys, format!("{path}[{i}]"), errs);
                }
            }
            _ => {}
        }
    }
    let mut errs = Vec::new();
    walk(v, unit, keys, prefix.to_string(), &mut errs);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

const KPA_DURATIONS: &[&str] = &[
    "stable_window",
    "scale_to_zero_grace_period",
    "scale_to_zero_pod_retention_period",
    "scale_down_delay",
];
const SIM_DURATIONS: &[&str] = &["startup_delay", "tick", "scrape_interval", "metric_window"];

/// A KPA configuration (snake_case keys, durations in `unit` seconds).
pub fn kpa_config_from_json(v: &Value, unit: f64) -> Result<KpaConfig, Vec<Violation>> {
    let mut v = v.clone();
    durations_in(&mut v, unit, KPA_DURATIONS, "")?;
    read(&v, "")
}

/// A KPA decider spec (Knative's `DeciderSpec` fields in snake_case; durations in `unit`
/// seconds), for hosts that set the decision's inputs directly.
pub fn decider_from_json(v: &Value, unit: f64) -> Result<super::kpa::DeciderSpec, Vec<Violation>> {
    let mut v = v.clone();
    durations_in(&mut v, unit, KPA_DURATIONS, "decider")?;
    read(&v, "decider")
}

/// A KEDA ScaledObject's scaling fields (camelCase, seconds as in the spec).
pub fn keda_config_from_json(v: &Value) -> Result<KedaConfig, Vec<Violation>> {
    read(v, "")
}

/// A simulation: `{"hpa": spec}` or `{"kpa": config}` as `scaler`, plus `pod`, `tick`,
/// `scrape_interval`, `metric_window`, `initial_replicas`, `demand_noise`; durations in `unit`
/// seconds.
pub fn sim_config_from_json(v: &Value, unit: f64) -> Result<SimConfig, Vec<Violation>> {
    let mut v = v.clone();
    let mut keys: Vec<&str> = SIM_DURATIONS.to_vec();
    keys.extend_from_slice(KPA_DURATIONS);
    durations_in(&mut v, unit, &keys, "")?;
    read(&v, "")
}

/// A trace: a list of `[time, demand]` pairs, or `{"time": [...], "demand": [...]}`; times in
/// `unit` seconds, converted to seconds.
pub fn trace_from_json(v: &Value, unit: f64) -> Result<Vec<(f64, f64)>, Vec<Violation>> {
    let pairs: Vec<(f64, f64)> = match v {
        Value::Object(o) => {
            let col = |k: &str| -> Result<Vec<f64>, Vec<Violation>> {
                read(o.get(k).unwrap_or(&Value::Null), &format!("trace.{k}"))
            };
            let (t, d) = (col("time")?, col("demand")?);
            if t.len() != d.len() {
                return Err(vec![violation(
                    "trace".into(),
                    format!(
                        "expected time and demand of the same length, found {} and {}",
                        t.len(),
                        d.len()
                    ),
                )]);
            }
            t.into_iter().zip(d).collect()
        }
        _ => read(v, "trace")?,
    };
    Ok(pairs.into_iter().map(|(t, d)| (t * unit, d)).collect())
}
