//! The HPA's replica calculator, as kube-controller-manager computes a proposal for one metric
//! (`pkg/controller/podautoscaler/replica_calculator.go`).
//!
//! - **Pod grouping.** Pods being deleted or `Failed` are ignored; `Pending` pods are unready;
//!   pods without a sample are missing; for CPU only, a pod is also unready when it has no Ready
//!   condition or start time, or, within `cpu_initialization_period` of its start, when it is not
//!   Ready or its sample was taken less than one metric window after its last readiness change,
//!   or, after that period, when it is not Ready and never was (its readiness last changed within
//!   `initial_readiness_delay` of its start).
//! - **Utilization** is `Σ usage × 100 / Σ request` over the pods with a sample, truncated to an
//!   integer percent; the usage ratio is that integer over the target.
//! - **Tolerance.** A ratio within `[1 − down, 1 + up]` (inclusive) keeps the current count.
//! - **Damping.** With missing pods, or unready pods on a scale-up, the ratio is recomputed with
//!   missing pods at `max(100, target)` % of their request on a scale-down (the target itself for
//!   plain metrics) or 0 on a scale-up, and unready pods at 0 on a scale-up; a recomputed ratio
//!   within tolerance or on the other side of 1 keeps the current count, as does a new count that
//!   would move the wrong way.
//! - **Object and External** metrics: a `Value` target scales the ready pod count by the ratio
//!   (from zero replicas: `ceil(ratio)`); an `AverageValue` target divides the total by the target
//!   per pod. Counts are clamped to `i32`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::time::Instant;

/// Pod phases (`status.phase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum PodPhase {
    /// Accepted, not all containers running.
    Pending,
    /// Bound and running.
    #[default]
    Running,
    /// All containers exited successfully.
    Succeeded,
    /// All containers exited, one failed.
    Failed,
    /// State unknown.
    Unknown,
}

impl std::str::FromStr for PodPhase {
    type Err = crate::error::UnknownName;
    fn from_str(s: &str) -> Result<Self, crate::error::UnknownName> {
        Ok(match s {
            "Pending" => PodPhase::Pending,
            "Running" => PodPhase::Running,
            "Succeeded" => PodPhase::Succeeded,
            "Failed" => PodPhase::Failed,
            "Unknown" => PodPhase::Unknown,
            other => {
                return Err(crate::error::UnknownName::new(
                    "phase",
                    format!("expected a pod phase (Pending, Running, Succeeded, Failed, Unknown), found `{other}`"),
                ))
            }
        })
    }
}

/// What the controller knows about one pod for one metric: its status and, for resource
/// metrics, its request; its sample, if the metrics API returned one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodSample {
    /// Pod name (used in error messages).
    pub name: String,
    /// `status.phase`.
    pub phase: PodPhase,
    /// The Ready condition's status; `None` when the pod has no Ready condition.
    pub ready: Option<bool>,
    /// Has a deletion timestamp.
    pub deleted: bool,
    /// `status.startTime`.
    pub start_time: Option<Instant>,
    /// The Ready condition's `lastTransitionTime` (default: the clock's zero).
    pub ready_transition_time: Option<Instant>,
    /// Request in milli-units (resource metrics; summed over the containers considered).
    pub request: Option<i64>,
    /// The sample in milli-units; `None` when the metrics API returned none for this pod.
    pub usage: Option<i64>,
    /// When the sample was taken (default: `now`).
    pub sample_time: Option<Instant>,
    /// The sample's window (default: one minute, as the controller's tests use).
    pub sample_window: Option<Duration>,
}

/// Scale-up and scale-down tolerances (KEP-4951; both 0.1 by default).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    /// Ratios down to `1 − down` keep the count.
    pub down: f64,
    /// Ratios up to `1 + up` keep the count.
    pub up: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances { down: 0.1, up: 0.1 }
    }
}

impl Tolerances {
    /// Both directions the same.
    pub fn symmetric(t: f64) -> Tolerances {
        Tolerances { down: t, up: t }
    }
    /// Checks both directions: finite and 0 or more.
    pub fn check(&self) -> Result<(), CalcError> {
        for t in [self.down, self.up] {
            if !(t.is_finite() && t >= 0.0) {
                return Err(CalcError::InvalidTolerance(t.to_string()));
            }
        }
        Ok(())
    }

    /// Whether `ratio` is close enough to 1 to keep the count.
    pub fn is_within(&self, ratio: f64) -> bool {
        (1.0 - self.down) <= ratio && ratio <= (1.0 + self.up)
    }
}

/// The controller settings the calculator uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalcOptions {
    /// Tolerances.
    pub tolerances: Tolerances,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min).
    pub cpu_initialization_period: Duration,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s).
    pub initial_readiness_delay: Duration,
    /// The controller's clock.
    pub now: Instant,
}

impl Default for CalcOptions {
    fn default() -> Self {
        CalcOptions {
            tolerances: Tolerances::default(),
            cpu_initialization_period: Duration::from_secs(300),
            initial_readiness_delay: Duration::from_secs(30),
            now: Instant::ZERO,
        }
    }
}

/// Why no proposal could be computed (the controller's error messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    /// No pods at all.
    #[error("no pods returned by selector while calculating replica count")]
    NoPods,
    /// The metrics API returned nothing.
    #[error("no metrics returned from {0} metrics API")]
    NoMetricsReturned(&'static str),
    /// Every sample belonged to an ignored or unready pod.
    #[error("did not receive metrics for targeted pods (pods might be unready)")]
    NoUsableMetrics,
    /// A pod without a request for the resource.
    #[error("missing request for {resource} in Pod {pod}")]
    MissingRequest {
        /// Resource name.
        resource: String,
        /// Pod name.
        pod: String,
    },
    /// Requests summed to zero.
    #[error("no metrics returned matched known pods")]
    NoMatchingRequests,
    /// A target of zero or less.
    #[error("invalid target: expected a positive {0}")]
    InvalidTarget(&'static str),
    /// A negative current replica count (`spec.replicas` is never negative).
    #[error("invalid current replicas: expected 0 or more, found {0}")]
    InvalidReplicas(i32),
    /// A tolerance that is negative, NaN or infinite (Kubernetes requires a quantity ≥ 0).
    #[error("invalid tolerance: expected a finite number of 0 or more, found {0}")]
    InvalidTolerance(String),
}

impl CalcError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            CalcError::NoPods => "no_pods",
            CalcError::NoMetricsReturned(_) => "no_metrics_returned",
            CalcError::NoUsableMetrics => "no_usable_metrics",
            CalcError::MissingRequest { .. } => "missing_request",
            CalcError::NoMatchingRequests => "no_matching_requests",
            CalcError::InvalidTarget(_) => "invalid_target",
            CalcError::InvalidTolerance(_) => "invalid_tolerance",
            CalcError::InvalidReplicas(_) => "invalid_replicas",
        }
    }
}

/// A proposal for a utilization target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtilizationProposal {
    /// Replicas proposed.
    pub replicas: i32,
    /// Current utilization, integer percent of request (as in the HPA status).
    pub utilization: i32,
    /// Average usage per pod with a sample, milli-units.
    pub raw_average: i64,
}

/// A proposal for a value target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueProposal {
    /// Replicas proposed.
    pub replicas: i32,
    /// The value the HPA status reports (average per pod, or the metric value), milli-units.
    pub value: i64,
}

/// Clamps a non-negative float count into `i32` (the controller converts with `int32(...)`).
pub(crate) fn clamp_i32(x: f64) -> i32 {
    if x.is_nan() || x <= 0.0 {
        0
    } else if x >= f64::from(i32::MAX) {
        i32::MAX
    } else {
        x as i32
    }
}

fn ceil_i32(x: f64) -> i32 {
    clamp_i32(x.ceil())
}

/// Pod groups as sums (no allocation): counts and the usage/request totals each group
/// contributes.
#[derive(Default)]
struct Grouped {
    ready: usize,
    sampled: usize,
    usage: i128,
    request: i128,
    unready: usize,
    unready_request: i128,
    missing: usize,
    missing_request: i128,
}

fn group(pods: &[PodSample], cpu: bool, o: &CalcOptions) -> Grouped {
    let mut g = Grouped::default();
    for p in pods {
        if p.deleted || p.phase == PodPhase::Failed {
            continue;
        }
        let request = i128::from(p.request.unwrap_or(0));
        if p.phase == PodPhase::Pending {
            g.unready += 1;
            g.unready_request += request;
            continue;
        }
        let Some(usage) = p.usage else {
            g.missing += 1;
            g.missing_request += request;
            continue;
        };
        if cpu && cpu_unready(p, o) {
            g.unready += 1;
            g.unready_request += request;
            continue;
        }
        g.ready += 1;
        g.sampled += 1;
        g.usage += i128::from(usage);
        g.request += request;
    }
    g
}

fn cpu_unready(p: &PodSample, o: &CalcOptions) -> bool {
    let (Some(ready), Some(start)) = (p.ready, p.start_time) else {
        return true;
    };
    let transition = p.ready_transition_time.unwrap_or(Instant::ZERO);
    if start.saturating_add(o.cpu_initialization_period) > o.now {
        let window = p.sample_window.unwrap_or(Duration::from_secs(60));
        let sampled = p.sample_time.unwrap_or(o.now);
        !ready || sampled < transition.saturating_add(window)
    } else {
        !ready && start.saturating_add(o.initial_readiness_delay) > transition
    }
}

fn check_replicas(current: i32) -> Result<(), CalcError> {
    if current < 0 {
        Err(CalcError::InvalidReplicas(current))
    } else {
        Ok(())
    }
}

/// Utilization (integer percent, truncated) of usage over request totals.
fn utilization(usage: i128, request: i128) -> Result<i32, CalcError> {
    if request == 0 {
        return Err(CalcError::NoMatchingRequests);
    }
    let pct = usage * 100 / request;
    Ok(i32::try_from(pct).unwrap_or(if pct > 0 { i32::MAX } else { i32::MIN }))
}

/// Replicas for a `Resource` (or `ContainerResource`) metric with a `Utilization` target.
/// `resource` names the resource (`"cpu"` turns on the CPU readiness rules).
pub fn resource_utilization_replicas(
    current_replicas: i32,
    pods: &[PodSample],
    target_utilization: i32,
    resource: &str,
    o: &CalcOptions,
) -> Result<UtilizationProposal, CalcError> {
    o.tolerances.check()?;
    check_replicas(current_replicas)?;
    if target_utilization <= 0 {
        return Err(CalcError::InvalidTarget("averageUtilization"));
    }
    if pods.iter().all(|p| p.usage.is_none()) {
        return Err(CalcError::NoMetricsReturned("resource"));
    }
    let g = group(pods, resource == "cpu", o);
    if g.sampled == 0 {
        return Err(CalcError::NoUsableMetrics);
    }
    if let Some(p) = pods.iter().find(|p| p.request.is_none()) {
        return Err(CalcError::MissingRequest {
            resource: resource.to_string(),
            pod: p.name.clone(),
        });
    }
    let target = f64::from(target_utilization);
    let util = utilization(g.usage, g.request)?;
    let raw = i64::try_from(g.usage / g.sampled as i128).unwrap_or(i64::MAX);
    let ratio = f64::from(util) / target;
    let done = |replicas| UtilizationProposal {
        replicas,
        utilization: util,
        raw_average: raw,
    };
    let scale_up_with_unready = g.unready > 0 && ratio > 1.0;
    if !scale_up_with_unready && g.missing == 0 {
        if o.tolerances.is_within(ratio) {
            return Ok(done(current_replicas));
        }
        return Ok(done(ceil_i32(ratio * g.ready as f64)));
    }
    let (mut usage, mut request, mut count) = (g.usage, g.request, g.sampled);
    if g.missing > 0 {
        if ratio < 1.0 {
            usage += g.missing_request * i128::from(target_utilization.max(100)) / 100;
            request += g.missing_request;
            count += g.missing;
        } else if ratio > 1.0 {
            request += g.missing_request;
            count += g.missing;
        }
    }
    if scale_up_with_unready {
        request += g.unready_request;
        count += g.unready;
    }
    let new_ratio = f64::from(utilization(usage, request)?) / target;
    if o.tolerances.is_within(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(done(current_replicas));
    }
    let replicas = ceil_i32(new_ratio * count as f64);
    if (new_ratio < 1.0 && replicas > current_replicas)
        || (new_ratio > 1.0 && replicas < current_replicas)
    {
        return Ok(done(current_replicas));
    }
    Ok(done(replicas))
}

/// Replicas for a per-pod average: a `Pods` metric, or a `Resource` metric with an
/// `AverageValue` target (`resource` = `Some("cpu")` turns on the CPU readiness rules).
pub fn average_value_replicas(
    current_replicas: i32,
    pods: &[PodSample],
    target_average: i64,
    resource: Option<&str>,
    o: &CalcOptions,
) -> Result<ValueProposal, CalcError> {
    o.tolerances.check()?;
    check_replicas(current_replicas)?;
    if target_average <= 0 {
        return Err(CalcError::InvalidTarget("averageValue"));
    }
    if pods.iter().all(|p| p.usage.is_none()) {
        return Err(CalcError::NoMetricsReturned(if resource.is_some() {
            "resource"
        } else {
            "custom"
        }));
    }
    let g = group(pods, resource == Some("cpu"), o);
    if g.sampled == 0 {
        return Err(CalcError::NoUsableMetrics);
    }
    let average = |sum: i128, n: usize| i64::try_from(sum / n.max(1) as i128).unwrap_or(i64::MAX);
    let target = target_average as f64;
    let usage = average(g.usage, g.sampled);
    let ratio = usage as f64 / target;
    let done = |replicas| ValueProposal {
        replicas,
        value: usage,
    };
    let scale_up_with_unready = g.unready > 0 && ratio > 1.0;
    if !scale_up_with_unready && g.missing == 0 {
        if o.tolerances.is_within(ratio) {
            return Ok(done(current_replicas));
        }
        return Ok(done(ceil_i32(ratio * g.ready as f64)));
    }
    let (mut sum, mut count) = (g.usage, g.sampled);
    if g.missing > 0 {
        if ratio < 1.0 {
            sum += g.missing as i128 * i128::from(target_average);
            count += g.missing;
        } else if ratio > 1.0 {
            count += g.missing;
        }
    }
    if scale_up_with_unready {
        count += g.unready;
    }
    let new_ratio = average(sum, count) as f64 / target;
    if o.tolerances.is_within(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(done(current_replicas));
    }
    let replicas = ceil_i32(new_ratio * count as f64);
    if (new_ratio < 1.0 && replicas > current_replicas)
        || (new_ratio > 1.0 && replicas < current_replicas)
    {
        return Ok(done(current_replicas));
    }
    Ok(done(replicas))
}

/// Ready pods as the controller counts them for Object/External `Value` targets: `Running`
/// and Ready.
pub fn ready_pod_count(pods: &[PodSample]) -> usize {
    pods.iter()
        .filter(|p| p.phase == PodPhase::Running && p.ready == Some(true))
        .count()
}

/// Replicas for an `Object` or `External` metric with a `Value` target: `value` is the object's
/// metric (External: the sum of the series), `ready_pods` the ready pod count. From zero
/// replicas the proposal is `ceil(value / target)` (scale from zero).
pub fn object_value_replicas(
    current_replicas: i32,
    value: i64,
    target: i64,
    ready_pods: usize,
    tolerances: Tolerances,
) -> Result<ValueProposal, CalcError> {
    tolerances.check()?;
    check_replicas(current_replicas)?;
    if target <= 0 {
        return Err(CalcError::InvalidTarget("value"));
    }
    let ratio = value as f64 / target as f64;
    let replicas = if current_replicas != 0 {
        if tolerances.is_within(ratio) {
            current_replicas
        } else {
            if ready_pods == 0 {
                return Err(CalcError::NoPods);
            }
            ceil_i32(ratio * ready_pods as f64)
        }
    } else {
        ceil_i32(ratio)
    };
    Ok(ValueProposal { replicas, value })
}

/// Replicas for an `Object` or `External` metric with an `AverageValue` target: the total over
/// the target per pod, unless `total / (target × status_replicas)` is within tolerance. The
/// reported value is the total per current replica, rounded up.
pub fn object_average_replicas(
    status_replicas: i32,
    total: i64,
    target_average: i64,
    tolerances: Tolerances,
) -> Result<ValueProposal, CalcError> {
    tolerances.check()?;
    check_replicas(status_replicas)?;
    if target_average <= 0 {
        return Err(CalcError::InvalidTarget("averageValue"));
    }
    let ratio = total as f64 / (target_average as f64 * f64::from(status_replicas));
    let replicas = if tolerances.is_within(ratio) {
        status_replicas
    } else {
        ceil_i32(total as f64 / target_average as f64)
    };
    let value = if status_replicas > 0 {
        (total as f64 / f64::from(status_replicas)).ceil() as i64
    } else {
        total
    };
    Ok(ValueProposal { replicas, value })
}

impl crate::error::Coded for CalcError {
    fn code(&self) -> &'static str {
        CalcError::code(self)
    }
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            CalcError::InvalidTarget(_)
            | CalcError::InvalidReplicas(_)
            | CalcError::InvalidTolerance(_) => crate::error::ErrorKind::Argument,
            _ => crate::error::ErrorKind::Calculation,
        }
    }
}
