//! A trace-driven simulator: a demand series replayed through an HPA or a KPA with a simple pod
//! model and metrics pipeline, one controller decision per tick.
//!
//! **Pods.** A pod created at `t` is ready at `t + startup_delay` (± `startup_jitter` × delay,
//! drawn from the seed). Ready pods share the demand evenly; each serves at most `capacity`
//! demand units (requests/s or concurrent requests). CPU per ready pod = `cpu_idle` +
//! `cpu_per_unit` × its share, in milli-cores of its `cpu_request`. Scale-downs remove the
//! newest pods first (unready before ready, as a ReplicaSet does).
//!
//! **Metrics.** For the HPA, metrics-server refreshes each pod's CPU sample every
//! `scrape_interval` as the average over the last `metric_window`; pods created after the last
//! scrape have no sample yet. `Pods` metrics see each ready pod's served share, `External` and
//! `Object` metrics the total demand. For the KPA the observed total (demand, in concurrency or
//! rps) feeds Knative's stable and panic windows every second.
//!
//! **Outputs.** Per tick: time, demand, replicas (pods existing), ready pods, served, unserved,
//! CPU utilization (percent of request, averaged over ready pods) and the decision; in summary:
//! unserved demand (unit-seconds), overloaded seconds (demand above ready capacity), pod-seconds
//! (cost), peak replicas and the number of scale-ups and scale-downs. Deterministic given the
//! trace, the configuration and the seed.
//!
//! **Limits.** A run covers at most [`MAX_SPAN`] (400 days) in at most [`MAX_TICKS`] ticks, with
//! a tick, metric window and startup delay of at most a day, and at most [`MAX_PODS`] pods at
//! once (Kubernetes' documented scalability threshold of 150,000 pods per cluster); beyond them
//! the run is refused with a violation naming the field, rather than running for hours or
//! exhausting memory.

use std::collections::VecDeque;
use std::time::Duration;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::hpa::{
    ContainerResourceSource, ControllerOptions, HorizontalAutoscaler, HpaSpec, MetricInput,
    MetricSpec, Observation, ResourceSource,
};
use super::kpa::{KpaConfig, ServerlessAutoscaler, WindowAverages};
use super::replica::{PodPhase, PodSample};
use crate::error::Violation;
use crate::resilience::retry::uniform;
use crate::time::Instant;

/// The pod model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PodModel {
    /// Demand units one ready pod serves at most.
    pub capacity: f64,
    /// Creation to ready.
    pub startup_delay: Duration,
    /// Relative jitter of the startup delay (0.1 = ±10 %).
    pub startup_jitter: f64,
    /// CPU request, milli-cores.
    pub cpu_request: f64,
    /// CPU of an idle ready pod, milli-cores.
    pub cpu_idle: f64,
    /// CPU per demand unit served, milli-cores (default: a pod at capacity uses its request).
    pub cpu_per_unit: Option<f64>,
    /// Utilization of any other resource (memory, ...), a constant fraction of its request (0.5).
    pub other_utilization: f64,
}

impl Default for PodModel {
    fn default() -> Self {
        PodModel {
            capacity: 100.0,
            startup_delay: Duration::from_secs(30),
            startup_jitter: 0.0,
            cpu_request: 1000.0,
            cpu_idle: 50.0,
            cpu_per_unit: None,
            other_utilization: 0.5,
        }
    }
}

impl PodModel {
    fn per_unit(&self) -> f64 {
        self.cpu_per_unit
            .unwrap_or((self.cpu_request - self.cpu_idle).max(0.0) / self.capacity)
    }
}

/// Which autoscaler, and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Scaler {
    /// A HorizontalPodAutoscaler (autoscaling/v2 spec).
    Hpa(HpaSpec),
    /// A Knative KPA.
    Kpa(KpaConfig),
}

/// A simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimConfig {
    /// The autoscaler.
    pub scaler: Scaler,
    /// Pods.
    #[serde(default)]
    pub pod: PodModel,
    /// Step and controller period (HPA: `--horizontal-pod-autoscaler-sync-period`, 15 s; KPA:
    /// Knative's tick, 2 s).
    #[serde(default)]
    pub tick: Option<Duration>,
    /// metrics-server resolution (15 s).
    #[serde(default = "fifteen")]
    pub scrape_interval: Duration,
    /// The window each CPU sample averages (30 s).
    #[serde(default = "thirty")]
    pub metric_window: Duration,
    /// Replicas at the start (default: the scaler's minimum, at least 1), all ready.
    #[serde(default)]
    pub initial_replicas: Option<u32>,
    /// Relative noise on the demand (0.05 = ±5 %), drawn from the seed.
    #[serde(default)]
    pub demand_noise: f64,
}

/// The longest trace a run covers (400 days).
pub const MAX_SPAN: Duration = Duration::from_secs(400 * 86_400);
/// The most ticks (decisions) in one run.
pub const MAX_TICKS: u64 = 5_000_000;
/// The most pods at once (Kubernetes' scalability threshold: 150,000 pods per cluster).
pub const MAX_PODS: u32 = 150_000;
const DAY: Duration = Duration::from_secs(86_400);

fn fifteen() -> Duration {
    Duration::from_secs(15)
}
fn thirty() -> Duration {
    Duration::from_secs(30)
}

/// Per-tick columns (a dict of lists in Python, an object of arrays in JS).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Timeline {
    /// Seconds since the trace's start.
    pub time: Vec<f64>,
    /// Demand.
    pub demand: Vec<f64>,
    /// Pods existing (what you pay for).
    pub replicas: Vec<u32>,
    /// Ready pods.
    pub ready: Vec<u32>,
    /// Demand served.
    pub served: Vec<f64>,
    /// Demand not served.
    pub unserved: Vec<f64>,
    /// Mean CPU utilization of ready pods, percent of request.
    pub utilization: Vec<f64>,
    /// The controller's desired replicas after the decision of this tick.
    pub desired: Vec<u32>,
    /// Why: the HPA's rescale reason or its `ScalingLimited` / stabilization reason; the KPA's
    /// bound or `panic`; `null` when nothing is worth saying.
    pub reason: Vec<Option<String>>,
}

/// Totals.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Summary {
    /// Simulated seconds.
    pub duration: f64,
    /// Demand in unit-seconds.
    pub demand: f64,
    /// Unserved demand in unit-seconds.
    pub unserved: f64,
    /// Unserved share of the demand (0 when there was none).
    pub unserved_fraction: f64,
    /// Seconds with demand above the ready capacity.
    pub overloaded_seconds: f64,
    /// Pod-seconds (cost).
    pub pod_seconds: f64,
    /// Peak replicas.
    pub peak_replicas: u32,
    /// Decisions that added pods.
    pub scale_ups: u32,
    /// Decisions that removed pods.
    pub scale_downs: u32,
    /// Decisions made.
    pub decisions: u64,
}

/// A simulation's result.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SimResult {
    /// Per tick.
    pub timeline: Timeline,
    /// Totals.
    pub summary: Summary,
}

/// Why a simulation could not run (paths name the trace entry or config field).
pub type SimError = Vec<Violation>;

/// Checks a trace of `(seconds, demand)` points: finite, time non-decreasing from the first
/// point, demand ≥ 0.
pub fn check_trace(trace: &[(f64, f64)]) -> Result<(), SimError> {
    let mut out = Vec::new();
    if trace.is_empty() {
        out.push(Violation::invalid_value(
            "trace",
            "expected at least one (time, demand) point".into(),
        ));
    }
    for (i, &(t, d)) in trace.iter().enumerate() {
        if !t.is_finite() || t < 0.0 {
            out.push(Violation::invalid_value(
                format!("trace[{i}].time"),
                format!("expected a finite time of 0 s or more, found {t}"),
            ));
        } else if i > 0 && t < trace[i - 1].0 {
            out.push(Violation::invalid_value(
                format!("trace[{i}].time"),
                format!(
                    "expected times in order, found {t} after {}",
                    trace[i - 1].0
                ),
            ));
        }
        if !d.is_finite() || d < 0.0 {
            out.push(Violation::invalid_value(
                format!("trace[{i}].demand"),
                format!("expected a finite demand of 0 or more, found {d}"),
            ));
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

#[derive(Debug, Clone, Copy)]
struct Pod {
    created: u64,
    ready_at: u64,
    /// (when sampled, value) of the last metrics-server sample.
    sample: Option<(u64, i64)>,
    ready_since: Option<u64>,
}

enum Controller {
    Hpa(Box<HorizontalAutoscaler>),
    Kpa(Box<ServerlessAutoscaler>, WindowAverages),
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

const SEC: u64 = 1_000_000_000;

/// Runs `config` over `trace` (points `(seconds, demand)`, the demand held until the next point;
/// the run ends at the last point).
pub fn simulate(
    config: &SimConfig,
    trace: &[(f64, f64)],
    seed: u64,
) -> Result<SimResult, SimError> {
    check_trace(trace)?;
    let pod = &config.pod;
    let mut problems = Vec::new();
    if !(pod.capacity > 0.0 && pod.capacity.is_finite()) {
        problems.push(Violation::invalid_value(
            "pod.capacity",
            format!("expected a positive number, found {}", pod.capacity),
        ));
    }
    if !(pod.cpu_request > 0.0 && pod.cpu_request.is_finite()) {
        problems.push(Violation::invalid_value(
            "pod.cpu_request",
            format!("expected a positive number, found {}", pod.cpu_request),
        ));
    }
    if !(0.0..1.0).contains(&pod.startup_jitter) {
        problems.push(Violation::invalid_value(
            "pod.startup_jitter",
            format!(
                "expected a fraction in [0, 1), found {}",
                pod.startup_jitter
            ),
        ));
    }
    for (name, v) in [
        ("pod.cpu_idle", Some(pod.cpu_idle)),
        ("pod.cpu_per_unit", pod.cpu_per_unit),
        ("pod.other_utilization", Some(pod.other_utilization)),
    ] {
        if let Some(v) = v.filter(|v| !(v.is_finite() && *v >= 0.0)) {
            problems.push(Violation::invalid_value(
                name,
                format!("expected a finite number of 0 or more, found {v}"),
            ));
        }
    }
    for (name, d) in [
        ("pod.startup_delay", pod.startup_delay),
        ("metric_window", config.metric_window),
        ("scrape_interval", config.scrape_interval),
    ] {
        if d > DAY {
            problems.push(Violation::invalid_value(
                name,
                format!("expected at most a day, found {} s", d.as_secs_f64()),
            ));
        }
    }
    if config.initial_replicas.is_some_and(|n| n > MAX_PODS) {
        problems.push(Violation::invalid_value(
            "initial_replicas",
            format!(
                "expected at most {MAX_PODS} pods, found {}",
                config.initial_replicas.unwrap_or_default()
            ),
        ));
    }
    let span = trace[trace.len() - 1].0 - trace[0].0;
    if span > MAX_SPAN.as_secs_f64() {
        problems.push(Violation::invalid_value(
            "trace",
            format!(
                "expected a trace of at most 400 days, found {:.1} days",
                span / 86_400.0
            ),
        ));
    }
    if !(0.0..1.0).contains(&config.demand_noise) {
        problems.push(Violation::invalid_value(
            "demand_noise",
            format!(
                "expected a fraction in [0, 1), found {}",
                config.demand_noise
            ),
        ));
    }
    let (mut controller, default_tick, min_replicas) = match &config.scaler {
        Scaler::Hpa(spec) => {
            match HorizontalAutoscaler::new(spec.clone(), ControllerOptions::default()) {
                Ok(h) => (
                    Some(Controller::Hpa(Box::new(h))),
                    Duration::from_secs(15),
                    spec.min().max(1) as u32,
                ),
                Err(v) => {
                    problems.extend(v.into_iter().map(|mut x| {
                        x.path = format!("scaler.hpa.{}", x.path);
                        x
                    }));
                    (None, Duration::from_secs(15), 1)
                }
            }
        }
        Scaler::Kpa(cfg) => match ServerlessAutoscaler::new(cfg.clone()) {
            Ok(k) => {
                let w = WindowAverages::new(cfg);
                (
                    Some(Controller::Kpa(Box::new(k), w)),
                    Duration::from_secs(2),
                    cfg.min_scale.max(cfg.initial_scale),
                )
            }
            Err(e) => {
                problems.push(Violation::invalid_value("scaler.kpa", e.to_string()));
                (None, Duration::from_secs(2), 1)
            }
        },
    };
    let tick = config.tick.unwrap_or(default_tick);
    if tick.is_zero() || tick > DAY {
        problems.push(Violation::invalid_value(
            "tick",
            format!(
                "expected a tick above zero and at most a day, found {} s",
                tick.as_secs_f64()
            ),
        ));
    } else if span <= MAX_SPAN.as_secs_f64() {
        let ticks = (span * 1e9) as u64 / nanos(tick) + 1;
        if ticks > MAX_TICKS {
            problems.push(Violation::invalid_value(
                "tick",
                format!(
                    "the trace needs {ticks} ticks of {} s; at most {MAX_TICKS} are simulated (lengthen the tick or shorten the trace)",
                    tick.as_secs_f64()
                ),
            ));
        }
    }
    let (Some(ctrl), true) = (controller.as_mut(), problems.is_empty()) else {
        return Err(problems);
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tick_ns = nanos(tick);
    let start = trace[0].0;
    let end_ns = ((trace[trace.len() - 1].0 - start) * 1e9) as u64;
    let scrape_ns = nanos(config.scrape_interval).max(1);
    let window_ticks = (nanos(config.metric_window) / tick_ns).max(1) as usize;
    let per_unit = pod.per_unit();
    let startup = nanos(pod.startup_delay);
    let startup_at = |now: u64, rng: &mut ChaCha8Rng| -> u64 {
        if pod.startup_jitter == 0.0 || startup == 0 {
            return now + startup;
        }
        let spread = (startup as f64 * pod.startup_jitter) as u64;
        now + startup - spread + uniform(rng, 0, 2 * spread)
    };
    let initial = config
        .initial_replicas
        .unwrap_or(min_replicas)
        .max(u32::from(matches!(config.scaler, Scaler::Hpa(_))));
    let mut pods: Vec<Pod> = (0..initial)
        .map(|_| Pod {
            created: 0,
            ready_at: 0,
            sample: None,
            ready_since: Some(0),
        })
        .collect();
    // Per-tick CPU per ready pod (milli), for the metric window.
    let mut cpu_history: VecDeque<f64> = VecDeque::with_capacity(window_ticks.min(4096) + 1);
    let mut out = SimResult::default();
    let mut trace_i = 0;
    let mut last_scrape: Option<u64> = None;
    let mut samples: Vec<PodSample> = Vec::new();
    let mut t = 0u64;
    // Instants are offset so that "zero" readiness times stay in the past.
    let base = 10 * 86_400 * SEC;
    while t <= end_ns {
        let secs = t as f64 / 1e9;
        while trace_i + 1 < trace.len() && trace[trace_i + 1].0 - start <= secs {
            trace_i += 1;
        }
        let mut demand = trace[trace_i].1;
        if config.demand_noise > 0.0 {
            let r = uniform(&mut rng, 0, 1 << 30) as f64 / (1u64 << 30) as f64;
            demand *= 1.0 + config.demand_noise * (2.0 * r - 1.0);
        }
        for p in pods.iter_mut() {
            if p.ready_since.is_none() && p.ready_at <= t {
                p.ready_since = Some(p.ready_at);
            }
        }
        let ready = pods.iter().filter(|p| p.ready_since.is_some()).count() as u32;
        let capacity = f64::from(ready) * pod.capacity;
        let served = demand.min(capacity);
        let unserved = demand - served;
        let share = if ready > 0 {
            served / f64::from(ready)
        } else {
            0.0
        };
        let cpu = pod.cpu_idle + per_unit * share;
        cpu_history.push_back(cpu);
        if cpu_history.len() > window_ticks {
            cpu_history.pop_front();
        }
        let now = Instant::from_nanos(base + t);
        // metrics-server scrape.
        let scrape_slot = t / scrape_ns;
        if last_scrape != Some(scrape_slot) {
            last_scrape = Some(scrape_slot);
            let avg = cpu_history.iter().sum::<f64>() / cpu_history.len() as f64;
            for p in pods.iter_mut().filter(|p| p.ready_since.is_some()) {
                p.sample = Some((t, avg.round() as i64));
            }
        }
        // Decide.
        let current = pods.len() as u32;
        let reason: Option<String>;
        let desired = match ctrl {
            Controller::Hpa(h) => {
                samples.clear();
                samples.extend(pods.iter().map(|p| PodSample {
                    name: String::new(),
                    phase: PodPhase::Running,
                    ready: Some(p.ready_since.is_some()),
                    deleted: false,
                    start_time: Some(Instant::from_nanos(base + p.created)),
                    ready_transition_time: Some(Instant::from_nanos(
                        base + p.ready_since.unwrap_or(p.created),
                    )),
                    request: Some(pod.cpu_request.round() as i64),
                    usage: p.sample.map(|(_, v)| v),
                    sample_time: p.sample.map(|(at, _)| Instant::from_nanos(base + at)),
                    sample_window: Some(config.metric_window),
                }));
                // The first per-pod metric takes the samples (given back after the decision);
                // only Object/External Value targets need the pod list itself.
                let needs_pods = h
                    .metrics()
                    .iter()
                    .any(|m| matches!(m, MetricSpec::Object { .. } | MetricSpec::External { .. }));
                let pod_list = if needs_pods {
                    samples.clone()
                } else {
                    Vec::new()
                };
                let mut taken = false;
                let mut metrics = Vec::with_capacity(h.metrics().len());
                for m in h.metrics() {
                    metrics.push(match m {
                        MetricSpec::Resource {
                            resource: ResourceSource { name, .. },
                        }
                        | MetricSpec::ContainerResource {
                            container_resource: ContainerResourceSource { name, .. },
                        } if name != "cpu" => {
                            let used = (1000.0 * pod.other_utilization).round() as i64;
                            MetricInput::Pods(
                                pods.iter()
                                    .map(|p| PodSample {
                                        ready: Some(p.ready_since.is_some()),
                                        start_time: Some(Instant::from_nanos(base + p.created)),
                                        request: Some(1000),
                                        usage: p.sample.map(|_| used),
                                        ..PodSample::default()
                                    })
                                    .collect(),
                            )
                        }
                        MetricSpec::Resource { .. } | MetricSpec::ContainerResource { .. } => {
                            if taken {
                                MetricInput::Pods(samples.clone())
                            } else {
                                taken = true;
                                MetricInput::Pods(std::mem::take(&mut samples))
                            }
                        }
                        MetricSpec::Pods { .. } => MetricInput::Pods(
                            pods.iter()
                                .map(|p| PodSample {
                                    ready: Some(p.ready_since.is_some()),
                                    start_time: Some(Instant::from_nanos(base + p.created)),
                                    usage: p.ready_since.map(|_| (share * 1000.0).round() as i64),
                                    ..PodSample::default()
                                })
                                .collect(),
                        ),
                        MetricSpec::Object { .. } | MetricSpec::External { .. } => {
                            MetricInput::Value((demand * 1000.0).round() as i64)
                        }
                    });
                }
                let obs = Observation {
                    current_replicas: current as i32,
                    status_replicas: Some(current as i32),
                    pods: pod_list,
                    metrics,
                };
                let decided = h.decide(now, &obs);
                if taken {
                    if let Some(MetricInput::Pods(v)) = obs
                        .metrics
                        .into_iter()
                        .find(|m| matches!(m, MetricInput::Pods(_)))
                    {
                        samples = v;
                    }
                }
                match decided {
                    Ok(d) => {
                        reason = match (&d.rescale_reason, d.limited_reason) {
                            (Some(r), Some(l)) => Some(format!("{r} ({l})")),
                            (Some(r), None) => Some(r.clone()),
                            (None, Some(l)) => Some(l.to_string()),
                            (None, None) => d
                                .conditions
                                .iter()
                                .find(|c| {
                                    c.kind == "AbleToScale" && c.reason.ends_with("Stabilized")
                                })
                                .map(|c| c.reason.to_string()),
                        };
                        u32::try_from(d.desired_replicas).unwrap_or(0)
                    }
                    Err(e) => {
                        return Err(vec![Violation::invalid_value(
                            "scaler.hpa.metrics",
                            e.to_string(),
                        )])
                    }
                }
            }
            Controller::Kpa(k, w) => {
                // Knative records every second; within a tick the demand is constant.
                let steps = (tick_ns / SEC).max(1);
                for s in 0..steps {
                    w.record(Instant::from_nanos(base + t + s * SEC), demand);
                }
                let (stable, panic) = w
                    .averages(Instant::from_nanos(base + t + (steps - 1) * SEC))
                    .unwrap_or((0.0, 0.0));
                let d = k
                    .scale(now, stable, panic, ready)
                    .map_err(|e| vec![Violation::invalid_value("trace", e.to_string())])?;
                reason = match (d.reason, d.panicking) {
                    (Some(r), _) => Some(r.to_string()),
                    (None, true) => Some("panic".to_string()),
                    (None, false) => None,
                };
                d.desired_replicas
            }
        };
        if desired > MAX_PODS {
            return Err(vec![Violation::at(
                "scaler",
                "too_many_pods",
                format!(
                    "the autoscaler asked for {desired} replicas at {secs} s; the simulator models at most {MAX_PODS} pods (set a maximum)"
                ),
            )]);
        }
        if desired > current {
            out.summary.scale_ups += 1;
            for _ in current..desired {
                let ready_at = startup_at(t, &mut rng);
                pods.push(Pod {
                    created: t,
                    ready_at,
                    sample: None,
                    ready_since: None,
                });
            }
        } else if desired < current {
            out.summary.scale_downs += 1;
            // Unready first, then newest.
            pods.sort_by_key(|p| (p.ready_since.is_some(), std::cmp::Reverse(p.created)));
            pods.drain(..(current - desired) as usize);
            pods.sort_by_key(|p| p.created);
        }
        out.summary.decisions += 1;
        let dt = tick_ns as f64 / 1e9;
        let tl = &mut out.timeline;
        tl.time.push(secs);
        tl.demand.push(demand);
        tl.replicas.push(current);
        tl.ready.push(ready);
        tl.served.push(served);
        tl.unserved.push(unserved);
        tl.utilization.push(if ready > 0 {
            cpu / pod.cpu_request * 100.0
        } else {
            0.0
        });
        tl.desired.push(desired);
        tl.reason.push(reason);
        let s = &mut out.summary;
        s.demand += demand * dt;
        s.unserved += unserved * dt;
        if demand > capacity {
            s.overloaded_seconds += dt;
        }
        s.pod_seconds += f64::from(current) * dt;
        s.peak_replicas = s.peak_replicas.max(current);
        s.duration += dt;
        t += tick_ns;
    }
    let s = &mut out.summary;
    s.unserved_fraction = if s.demand > 0.0 {
        s.unserved / s.demand
    } else {
        0.0
    };
    Ok(out)
}

/// Two configurations on the same trace and seed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The first configuration's result.
    pub a: SimResult,
    /// The second's.
    pub b: SimResult,
    /// `b` minus `a`: unserved demand.
    pub unserved_delta: f64,
    /// `b` minus `a`: pod-seconds.
    pub pod_seconds_delta: f64,
    /// `b` minus `a`: overloaded seconds.
    pub overloaded_seconds_delta: f64,
}

/// Runs `a` and `b` over the same trace and seed.
pub fn compare(
    a: &SimConfig,
    b: &SimConfig,
    trace: &[(f64, f64)],
    seed: u64,
) -> Result<Comparison, SimError> {
    let ra = simulate(a, trace, seed)?;
    let rb = simulate(b, trace, seed)?;
    Ok(Comparison {
        unserved_delta: rb.summary.unserved - ra.summary.unserved,
        pod_seconds_delta: rb.summary.pod_seconds - ra.summary.pod_seconds,
        overloaded_seconds_delta: rb.summary.overloaded_seconds - ra.summary.overloaded_seconds,
        a: ra,
        b: rb,
    })
}
