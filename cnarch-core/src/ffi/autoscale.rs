//! Reading autoscaling inputs from plain data, for hosts and bindings: pods, metric inputs,
//! KPA and simulator configurations and traces, with times as numbers in a unit the caller
//! names (seconds for Python, milliseconds for JavaScript). Errors name the path.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::autoscale::hpa::MetricInput;
use crate::autoscale::keda::KedaConfig;
use crate::autoscale::kpa::KpaConfig;
use crate::autoscale::replica::{PodPhase, PodSample};
use crate::autoscale::simulate::SimConfig;
use crate::error::Violation;
use crate::quantity::Quantity;
use crate::time::Instant;

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty() || path == ".") {
        (true, _) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

fn read<T: serde::de::DeserializeOwned>(v: &Value, prefix: &str) -> Result<T, Vec<Violation>> {
    crate::validate::schema::read_input(v, prefix).map_err(|v| vec![v])
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
        Err(Violation::invalid_value(
            path,
            format!("expected a time of 0 or more, found {t}"),
        ))
    }
}

fn duration(t: f64, unit: f64, path: String) -> Result<Duration, Violation> {
    crate::time::duration_from_secs(t * unit)
        .map_err(|e| Violation::invalid_value(path, e.to_string()))
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
        return Err(vec![Violation::invalid_value(
            "metrics",
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
                    return Err(vec![Violation::invalid_value(
                        path,
                        "expected pods (a list), a value, or {\"error\": message}".into(),
                    )]);
                }
            },
            _ => {
                return Err(vec![Violation::invalid_value(
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
pub fn decider_from_json(
    v: &Value,
    unit: f64,
) -> Result<crate::autoscale::kpa::DeciderSpec, Vec<Violation>> {
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
                return Err(vec![Violation::invalid_value(
                    "trace",
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

// ---- binding-facing calls -------------------------------------------------------------------

use super::{Error, Host};
use crate::autoscale::hpa::{
    ControllerOptions, Decision, HorizontalAutoscaler, HpaSpec, Observation,
};
use crate::autoscale::replica::{CalcOptions, Tolerances};
use crate::error::InvalidInput;

fn invalid(host: Host, violations: Vec<Violation>) -> Error {
    host.error(&InvalidInput { violations })
}

/// Present, even as `null` (`Some(None)`), or absent (`None`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Options of the replica calculator; absent ones take the controller's defaults
/// ([`ControllerOptions::default`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalcArgs {
    /// A Resource metric's utilization target (percent).
    pub target_utilization: Option<i32>,
    /// An AverageValue target (milli-units or a quantity string).
    pub target_average_value: Option<Value>,
    /// An Object/External Value target.
    pub target_value: Option<Value>,
    /// The resource; absent means `cpu`, `null` a Pods metric.
    #[serde(default, deserialize_with = "present")]
    pub resource: Option<Option<String>>,
    /// Both tolerances.
    pub tolerance: Option<f64>,
    /// The scale-up tolerance (default: `tolerance`).
    pub scale_up_tolerance: Option<f64>,
    /// The scale-down tolerance (default: `tolerance`).
    pub scale_down_tolerance: Option<f64>,
    /// The controller's clock, in the host's unit (default: the latest time any pod reports).
    pub now: Option<f64>,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, in the host's unit.
    pub cpu_initialization_period: Option<f64>,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`, in the host's unit.
    pub initial_readiness_delay: Option<f64>,
    /// Ready pods, for an Object/External Value target (default: the current replicas).
    pub ready_pod_count: Option<usize>,
}

impl CalcArgs {
    fn tolerances(&self) -> Tolerances {
        let t = self
            .tolerance
            .unwrap_or(ControllerOptions::default().tolerance);
        Tolerances {
            up: self.scale_up_tolerance.unwrap_or(t),
            down: self.scale_down_tolerance.unwrap_or(t),
        }
    }
}

/// One metric's proposal: `desired_replicas`, `utilization` (utilization targets), the raw
/// per-pod average, and `value` (what the HPA's status reports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalcResult {
    /// Replicas proposed.
    pub desired_replicas: i32,
    /// Utilization in percent (utilization targets only).
    pub utilization: Option<i32>,
    /// Per-pod average in milli-units (per-pod metrics only).
    pub raw_average: Option<i64>,
    /// What the HPA status reports.
    pub value: Option<i64>,
}

fn milli(host: Host, v: &Value, path: &str) -> Result<i64, Error> {
    read::<Milli>(v, path)
        .map(|m| m.0)
        .map_err(|e| invalid(host, e))
}

/// The controller's clock when the caller gives none: the latest sample time of the pods (the
/// metrics' timestamp, which the controller reads at about "now"); without sample times, the
/// latest pod time plus the longer initialization window, so every pod counts as started
/// long ago (as absent pod times do).
fn default_now(pods: &[PodSample], window: Duration) -> Instant {
    if let Some(t) = pods.iter().filter_map(|p| p.sample_time).max() {
        return t;
    }
    pods.iter()
        .filter_map(|p| p.start_time.max(p.ready_transition_time))
        .max()
        .unwrap_or(Instant::ZERO)
        .saturating_add(window)
}

/// The replica calculator for one per-pod metric (Resource with `resource`, Pods with
/// `resource: null`), exactly one of `target_utilization` and `target_average_value`.
pub fn replica_calc(
    host: Host,
    current_replicas: i32,
    pods: &Value,
    args: Option<&Value>,
) -> Result<CalcResult, Error> {
    let a: CalcArgs = super::options(host, args, "options", &[])?;
    let pods = pods_from_json(&host.input(pods.clone(), &[]), host.unit_seconds(), "pods")
        .map_err(|e| invalid(host, e))?;
    let defaults = ControllerOptions::default();
    let cpu_initialization_period = match a.cpu_initialization_period {
        Some(x) => host.duration(x, "cpu_initialization_period")?,
        None => defaults.cpu_initialization_period,
    };
    let initial_readiness_delay = match a.initial_readiness_delay {
        Some(x) => host.duration(x, "initial_readiness_delay")?,
        None => defaults.initial_readiness_delay,
    };
    let now = match a.now {
        Some(t) => host.instant(t, "now")?,
        None => default_now(
            &pods,
            cpu_initialization_period.max(initial_readiness_delay),
        ),
    };
    let o = CalcOptions {
        tolerances: a.tolerances(),
        cpu_initialization_period,
        initial_readiness_delay,
        now,
    };
    let resource = a.resource.clone().unwrap_or_else(|| Some("cpu".into()));
    match (a.target_utilization, &a.target_average_value) {
        (Some(u), None) => {
            let r = resource.unwrap_or_else(|| "cpu".into());
            let p = crate::autoscale::replica::resource_utilization_replicas(
                current_replicas,
                &pods,
                u,
                &r,
                &o,
            )
            .map_err(|e| host.error(&e))?;
            Ok(CalcResult {
                desired_replicas: p.replicas,
                utilization: Some(p.utilization),
                raw_average: Some(p.raw_average),
                value: Some(p.raw_average),
            })
        }
        (None, Some(v)) => {
            let target = milli(host, v, "options.target_average_value")?;
            let p = crate::autoscale::replica::average_value_replicas(
                current_replicas,
                &pods,
                target,
                resource.as_deref(),
                &o,
            )
            .map_err(|e| host.error(&e))?;
            Ok(CalcResult {
                desired_replicas: p.replicas,
                utilization: None,
                raw_average: Some(p.value),
                value: Some(p.value),
            })
        }
        _ => Err(invalid(
            host,
            vec![Violation::invalid_value(
                "options",
                "expected exactly one of target_utilization and target_average_value".into(),
            )],
        )),
    }
}

/// The proposal for an Object or External metric: exactly one of `target_value` (scales the
/// ready pod count by total / target) and `target_average_value` (divides the total by the
/// per-pod target).
pub fn object_replica_calc(
    host: Host,
    current_replicas: i32,
    total: &Value,
    args: Option<&Value>,
) -> Result<CalcResult, Error> {
    let a: CalcArgs = super::options(host, args, "options", &[])?;
    let total = milli(host, total, "total")?;
    let tol = a.tolerances();
    let p = match (&a.target_value, &a.target_average_value) {
        (Some(t), None) => crate::autoscale::replica::object_value_replicas(
            current_replicas,
            total,
            milli(host, t, "options.target_value")?,
            a.ready_pod_count
                .unwrap_or(usize::try_from(current_replicas.max(0)).unwrap_or(0)),
            tol,
        ),
        (None, Some(t)) => crate::autoscale::replica::object_average_replicas(
            current_replicas,
            total,
            milli(host, t, "options.target_average_value")?,
            tol,
        ),
        _ => {
            return Err(invalid(
                host,
                vec![Violation::invalid_value(
                    "options",
                    "expected exactly one of target_value and target_average_value".into(),
                )],
            ))
        }
    }
    .map_err(|e| host.error(&e))?;
    Ok(CalcResult {
        desired_replicas: p.replicas,
        utilization: None,
        raw_average: None,
        value: Some(p.value),
    })
}

/// Options of the HPA controller; absent ones take kube-controller-manager's defaults
/// ([`ControllerOptions::default`]). `recommendations` (`[time, replicas]`) and
/// `scale_events` (`[time, change]`) restore the history an earlier controller kept.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HpaArgs {
    /// `--horizontal-pod-autoscaler-tolerance`.
    pub tolerance: Option<f64>,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`, in the host's unit.
    pub downscale_stabilization: Option<f64>,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, in the host's unit.
    pub cpu_initialization_period: Option<f64>,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`, in the host's unit.
    pub initial_readiness_delay: Option<f64>,
    /// Earlier recommendations: `[time, replicas]`.
    #[serde(default)]
    pub recommendations: Vec<(f64, i32)>,
    /// Earlier scale events: `[time, change]`.
    #[serde(default)]
    pub scale_events: Vec<(f64, i32)>,
}

/// The HPA controller for an autoscaling/v2 spec (Kubernetes' JSON shape, the same in every
/// language).
pub fn horizontal_autoscaler(
    host: Host,
    spec: &Value,
    args: Option<&Value>,
) -> Result<HorizontalAutoscaler, Error> {
    let a: HpaArgs = super::options(host, args, "options", &[])?;
    let d = ControllerOptions::default();
    let dur = |x: Option<f64>, field: &str, default: std::time::Duration| match x {
        Some(x) => host.duration(x, field),
        None => Ok(default),
    };
    let opts = ControllerOptions {
        tolerance: a.tolerance.unwrap_or(d.tolerance),
        downscale_stabilization: dur(
            a.downscale_stabilization,
            "downscale_stabilization",
            d.downscale_stabilization,
        )?,
        cpu_initialization_period: dur(
            a.cpu_initialization_period,
            "cpu_initialization_period",
            d.cpu_initialization_period,
        )?,
        initial_readiness_delay: dur(
            a.initial_readiness_delay,
            "initial_readiness_delay",
            d.initial_readiness_delay,
        )?,
    };
    let at = |v: &[(f64, i32)], field: &str| {
        v.iter()
            .map(|&(t, n)| Ok((host.instant(t, field)?, n)))
            .collect::<Result<Vec<_>, Error>>()
    };
    let recs = at(&a.recommendations, "recommendations")?;
    let events = at(&a.scale_events, "scale_events")?;
    let spec = HpaSpec::from_json(spec).map_err(|v| host.error(&InvalidInput { violations: v }))?;
    let h = HorizontalAutoscaler::new(spec, opts)
        .map_err(|v| host.error(&InvalidInput { violations: v }))?;
    Ok(h.with_recommendations(&recs).with_scale_events(&events))
}

/// What `decide` takes beside the metrics: the target's `status_replicas` and its `pods`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideArgs {
    /// The target's `status.replicas`.
    pub status_replicas: Option<i32>,
    /// The target's pods (for Object/External `Value` targets).
    pub pods: Option<Value>,
}

/// One reconcile of `hpa` at `now` (host unit).
pub fn hpa_decide(
    host: Host,
    hpa: &mut HorizontalAutoscaler,
    now: f64,
    current_replicas: i32,
    metrics: &Value,
    args: Option<&Value>,
) -> Result<Decision, Error> {
    let a: DecideArgs = super::options(host, args, "options", &[])?;
    let unit = host.unit_seconds();
    let metrics = metric_inputs_from_json(&host.input(metrics.clone(), &[]), unit)
        .map_err(|e| invalid(host, e))?;
    let pods = match &a.pods {
        Some(p) => pods_from_json(p, unit, "pods").map_err(|e| invalid(host, e))?,
        None => Vec::new(),
    };
    let obs = Observation {
        current_replicas,
        status_replicas: a.status_replicas,
        pods,
        metrics,
    };
    hpa.decide(host.instant(now, "now")?, &obs)
        .map_err(|e| host.error(&e))
}

/// Knative's KPA from `config-autoscaler` keys (durations in the host's unit), optionally
/// with the decider's inputs set directly, starting at `start` with `start_ready` pods.
pub fn serverless_autoscaler(
    host: Host,
    config: Option<&Value>,
    decider: Option<&Value>,
    start: f64,
    start_ready: u32,
) -> Result<crate::autoscale::kpa::ServerlessAutoscaler, Error> {
    let unit = host.unit_seconds();
    let c = match config {
        None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
        Some(v) => host.input(v.clone(), &[]),
    };
    let c = kpa_config_from_json(&c, unit).map_err(|e| invalid(host, e))?;
    let mut k = crate::autoscale::kpa::ServerlessAutoscaler::new(c).map_err(|e| host.error(&e))?;
    if let Some(d) = decider.filter(|d| !d.is_null()) {
        k = k.with_decider(
            decider_from_json(&host.input(d.clone(), &[]), unit).map_err(|e| invalid(host, e))?,
        );
    }
    Ok(k.starting_with(host.instant(start, "start")?, start_ready))
}

/// KEDA's executor for a ScaledObject's scaling fields (camelCase as in its spec, seconds as
/// there, in every language).
pub fn scaled_object(
    host: Host,
    config: &Value,
) -> Result<crate::autoscale::keda::ScaledObject, Error> {
    let c = keda_config_from_json(config).map_err(|e| invalid(host, e))?;
    crate::autoscale::keda::ScaledObject::new(c).map_err(|e| host.error(&e))
}

/// A simulation configuration: `{"hpa": spec}` or `{"kpa": config}` plus the run's settings
/// (durations in the host's unit).
pub fn sim_config(host: Host, config: &Value) -> Result<SimConfig, Error> {
    let mut c = host.input(config.clone(), &["hpa", "spec"]);
    if let Value::Object(map) = &mut c {
        for key in ["hpa", "kpa"] {
            if let Some(v) = map.remove(key) {
                map.insert("scaler".into(), serde_json::json!({ key: v }));
            }
        }
    }
    sim_config_from_json(&c, host.unit_seconds()).map_err(|e| invalid(host, e))
}

/// A result's times in the host's unit (the `*_seconds` totals keep their unit).
fn result_in(
    host: Host,
    mut r: crate::autoscale::simulate::SimResult,
) -> crate::autoscale::simulate::SimResult {
    let k = 1.0 / host.unit_seconds();
    if k != 1.0 {
        for t in r.timeline.time.iter_mut() {
            *t *= k;
        }
        r.summary.duration *= k;
    }
    r
}

/// Replays `trace` through `config` with `seed`.
pub fn simulate(
    host: Host,
    config: &Value,
    trace: &Value,
    seed: u64,
) -> Result<crate::autoscale::simulate::SimResult, Error> {
    let c = sim_config(host, config)?;
    let t = trace_from_json(trace, host.unit_seconds()).map_err(|e| invalid(host, e))?;
    let r = crate::autoscale::simulate::simulate(&c, &t, seed).map_err(|e| invalid(host, e))?;
    Ok(result_in(host, r))
}

/// Both configurations on the same trace and seed.
pub fn compare(
    host: Host,
    a: &Value,
    b: &Value,
    trace: &Value,
    seed: u64,
) -> Result<crate::autoscale::simulate::Comparison, Error> {
    let (a, b) = (sim_config(host, a)?, sim_config(host, b)?);
    let t = trace_from_json(trace, host.unit_seconds()).map_err(|e| invalid(host, e))?;
    let mut c =
        crate::autoscale::simulate::compare(&a, &b, &t, seed).map_err(|e| invalid(host, e))?;
    c.a = result_in(host, c.a);
    c.b = result_in(host, c.b);
    Ok(c)
}
