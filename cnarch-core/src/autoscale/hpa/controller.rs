//! The controller's decision over time: per-metric proposals, failed metrics, the min/max
//! pre-checks, the normalization (legacy or `behavior`) and the conditions it writes;
//! [`HorizontalAutoscaler`] keeps the recommendation history and scale events between decisions.

use std::time::Duration;

use serde::Serialize;

use super::behavior::*;
use super::spec::*;
use crate::autoscale::replica::{
    average_value_replicas, object_average_replicas, object_value_replicas, ready_pod_count,
    resource_utilization_replicas, CalcOptions, PodSample, Tolerances,
};
use crate::error::Violation;
use crate::quantity::Quantity;
use crate::time::Instant;

/// What the controller observed for one metric.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricInput {
    /// Per-pod samples (Resource, ContainerResource, Pods metrics).
    Pods(Vec<PodSample>),
    /// The metric's value in milli-units (Object: the object's value; External: the sum).
    Value(i64),
    /// Fetching the metric failed with this message.
    Failed(String),
}

/// One reconcile's inputs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observation {
    /// The target's `spec.replicas`.
    pub current_replicas: i32,
    /// The target's `status.replicas` (default: `current_replicas`).
    pub status_replicas: Option<i32>,
    /// The target's pods (for the ready count of Object/External `Value` targets).
    pub pods: Vec<PodSample>,
    /// One input per entry of the effective `spec.metrics`, in order.
    pub metrics: Vec<MetricInput>,
}

fn condition_status<S: serde::Serializer>(status: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *status { "True" } else { "False" })
}

/// A status condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `AbleToScale`, `ScalingActive` or `ScalingLimited`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `True` or `False` (serialized as Kubernetes writes it: `"True"`, `"False"`).
    #[serde(serialize_with = "condition_status")]
    pub status: bool,
    /// Reason.
    pub reason: &'static str,
    /// Message.
    pub message: std::borrow::Cow<'static, str>,
}

/// One metric's proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The controller's name for the metric.
    pub metric: String,
    /// Replicas it proposes (absent when it failed).
    pub replicas: Option<i32>,
    /// Current utilization percent (utilization targets).
    pub utilization: Option<i32>,
    /// Current value in milli-units (average per pod, or the value).
    pub value: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
}

/// A decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The replica count the controller sets.
    pub desired_replicas: i32,
    /// Whether that is a change.
    pub rescale: bool,
    /// Why (the `SuccessfulRescale` event's reason).
    pub rescale_reason: Option<String>,
    /// The maximum over the metric proposals, before normalization.
    pub metric_replicas: Option<i32>,
    /// After stabilization, before the rate and bound limits.
    pub stabilized_replicas: Option<i32>,
    /// Per metric.
    pub proposals: Vec<Proposal>,
    /// `AbleToScale`, `ScalingActive`, `ScalingLimited` as the HPA status shows them after this
    /// reconcile (`ScalingLimited` only when the normalization ran).
    pub conditions: Vec<Condition>,
    /// `ScalingLimited`'s reason when it is `True`.
    pub limited_reason: Option<&'static str>,
}

/// Per-metric outcome: the highest proposal, its metric, how many failed, the first failure.
type MetricsOutcome = (i32, String, usize, Option<(&'static str, String)>);

/// Misuse of [`HorizontalAutoscaler::decide`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecideError {
    /// Inputs do not line up with the spec's metrics.
    #[error("expected {expected} metric inputs (one per spec.metrics entry), found {found}")]
    MetricCount {
        /// Expected.
        expected: usize,
        /// Found.
        found: usize,
    },
    /// An input of the wrong kind.
    #[error("metrics[{index}]: expected {expected} for a {metric} metric")]
    MetricKind {
        /// Index.
        index: usize,
        /// Expected input.
        expected: &'static str,
        /// The metric.
        metric: String,
    },
    /// A negative replica count (`spec.replicas` and `status.replicas` never are).
    #[error("{field}: expected 0 or more replicas, found {found}")]
    NegativeReplicas {
        /// `current_replicas` or `status_replicas`.
        field: &'static str,
        /// The count.
        found: i32,
    },
}

impl DecideError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        "invalid_observation"
    }
}

/// Controller-wide settings (kube-controller-manager flags).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControllerOptions {
    /// `--horizontal-pod-autoscaler-tolerance` (0.1).
    pub tolerance: f64,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (5 min).
    pub downscale_stabilization: Duration,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min).
    pub cpu_initialization_period: Duration,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s).
    pub initial_readiness_delay: Duration,
}

impl Default for ControllerOptions {
    fn default() -> Self {
        ControllerOptions {
            tolerance: 0.1,
            downscale_stabilization: Duration::from_secs(300),
            cpu_initialization_period: Duration::from_secs(300),
            initial_readiness_delay: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct ScaleEvent {
    at: Instant,
    change: i32,
    outdated: bool,
}

/// The controller for one HPA: spec, settings and the history it keeps between reconciles.
#[derive(Debug, Clone)]
pub struct HorizontalAutoscaler {
    spec: HpaSpec,
    metrics: Vec<MetricSpec>,
    options: ControllerOptions,
    up: EffectiveRules,
    down: EffectiveRules,
    tolerances: Tolerances,
    recommendations: Vec<(Instant, i32)>,
    scale_up_events: Vec<ScaleEvent>,
    scale_down_events: Vec<ScaleEvent>,
}

fn cond(
    kind: &'static str,
    status: bool,
    reason: &'static str,
    message: impl Into<std::borrow::Cow<'static, str>>,
) -> Condition {
    Condition {
        kind,
        status,
        reason,
        message: message.into(),
    }
}

fn set(conds: &mut Vec<Condition>, c: Condition) {
    match conds.iter_mut().find(|x| x.kind == c.kind) {
        Some(x) => *x = c,
        None => conds.push(c),
    }
}

fn quantity_f64(q: &Option<Quantity>) -> Option<f64> {
    q.as_ref().map(|q| q.milli_value() as f64 / 1000.0)
}

fn milli(q: &Option<Quantity>) -> i64 {
    q.as_ref()
        .map(|q| i64::try_from(q.milli_value()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl HorizontalAutoscaler {
    /// A controller for `spec` (validated) with `options`.
    pub fn new(
        spec: HpaSpec,
        options: ControllerOptions,
    ) -> Result<HorizontalAutoscaler, Vec<Violation>> {
        let mut problems = spec.validate();
        if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
            problems.push(Violation::at(
                "options.tolerance",
                "invalid_tolerance",
                format!(
                    "expected a finite tolerance of 0 or more, found {}",
                    options.tolerance
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let b = spec.behavior.clone().unwrap_or_default();
        let up = effective(b.scale_up.as_ref(), true, options.downscale_stabilization);
        let down = effective(
            b.scale_down.as_ref(),
            false,
            options.downscale_stabilization,
        );
        let tolerances = Tolerances {
            up: b
                .scale_up
                .as_ref()
                .and_then(|r| quantity_f64(&r.tolerance))
                .unwrap_or(options.tolerance),
            down: b
                .scale_down
                .as_ref()
                .and_then(|r| quantity_f64(&r.tolerance))
                .unwrap_or(options.tolerance),
        };
        Ok(HorizontalAutoscaler {
            metrics: spec.effective_metrics(),
            spec,
            options,
            up,
            down,
            tolerances,
            recommendations: Vec::new(),
            scale_up_events: Vec::new(),
            scale_down_events: Vec::new(),
        })
    }

    /// The spec.
    pub fn spec(&self) -> &HpaSpec {
        &self.spec
    }

    /// The effective metrics (the order `Observation::metrics` follows).
    pub fn metrics(&self) -> &[MetricSpec] {
        &self.metrics
    }

    /// Scale-up rules with defaults.
    pub fn scale_up_rules(&self) -> &EffectiveRules {
        &self.up
    }

    /// Scale-down rules with defaults.
    pub fn scale_down_rules(&self) -> &EffectiveRules {
        &self.down
    }

    /// Seeds the recommendation history (as the controller's tests do), oldest first.
    pub fn with_recommendations(mut self, recs: &[(Instant, i32)]) -> Self {
        self.recommendations = recs.to_vec();
        self
    }

    /// Seeds past scale events: `(when, change)` with positive changes for scale-ups.
    pub fn with_scale_events(mut self, events: &[(Instant, i32)]) -> Self {
        for &(at, change) in events {
            let e = ScaleEvent {
                at,
                change: change.abs(),
                outdated: false,
            };
            if change > 0 {
                self.scale_up_events.push(e);
            } else if change < 0 {
                self.scale_down_events.push(e);
            }
        }
        self
    }

    /// One reconcile at `now`.
    pub fn decide(&mut self, now: Instant, obs: &Observation) -> Result<Decision, DecideError> {
        if obs.metrics.len() != self.metrics.len() {
            return Err(DecideError::MetricCount {
                expected: self.metrics.len(),
                found: obs.metrics.len(),
            });
        }
        for (field, n) in [
            ("current_replicas", Some(obs.current_replicas)),
            ("status_replicas", obs.status_replicas),
        ] {
            if let Some(found) = n.filter(|&n| n < 0) {
                return Err(DecideError::NegativeReplicas { field, found });
            }
        }
        let current = obs.current_replicas;
        let min = self.spec.min();
        let max = self.spec.max_replicas;
        let mut conds = vec![cond(
            "AbleToScale",
            true,
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
        )];
        let mut d = Decision {
            desired_replicas: current,
            rescale: false,
            rescale_reason: None,
            metric_replicas: None,
            stabilized_replicas: None,
            proposals: Vec::new(),
            conditions: Vec::new(),
            limited_reason: None,
        };
        let desired;
        if current == 0 && min != 0 {
            set(
                &mut conds,
                cond(
                    "ScalingActive",
                    false,
                    "ScalingDisabled",
                    "scaling is disabled since the replica count of the target is zero",
                ),
            );
            d.conditions = conds;
            d.desired_replicas = 0;
            return Ok(d);
        } else if current > max {
            d.rescale_reason = Some("Current number of replicas above Spec.MaxReplicas".into());
            desired = max;
        } else if current < min {
            d.rescale_reason = Some("Current number of replicas below Spec.MinReplicas".into());
            desired = min;
        } else {
            let (proposal, name, invalid, first_error) = self.compute_metrics(now, obs, &mut d)?;
            let n = self.metrics.len();
            if invalid >= n || (invalid > 0 && proposal < current) {
                if let Some((reason, message)) = first_error {
                    set(
                        &mut conds,
                        cond(
                            "ScalingActive",
                            false,
                            reason,
                            format!("the HPA was unable to compute the replica count: {message}"),
                        ),
                    );
                }
                d.conditions = conds;
                return Ok(d);
            }
            set(
                &mut conds,
                cond(
                    "ScalingActive",
                    true,
                    "ValidMetricFound",
                    format!(
                        "the HPA was able to successfully calculate a replica count from {name}"
                    ),
                ),
            );
            d.metric_replicas = Some(proposal);
            let mut wanted = 0;
            let mut rescale_metric = String::new();
            if proposal > wanted {
                wanted = proposal;
                rescale_metric = name;
            }
            if wanted > current {
                d.rescale_reason = Some(format!("{rescale_metric} above target"));
            }
            if wanted < current {
                d.rescale_reason = Some("All metrics below target".into());
            }
            desired = if self.spec.behavior.is_none() {
                self.normalize_legacy(now, current, wanted, min, max, &mut conds, &mut d)
            } else {
                self.normalize_with_behavior(now, current, wanted, min, max, &mut conds, &mut d)
            };
        }
        d.desired_replicas = desired;
        d.rescale = desired != current;
        if d.rescale {
            set(
                &mut conds,
                cond(
                    "AbleToScale",
                    true,
                    "SucceededRescale",
                    format!("the HPA controller was able to update the target scale to {desired}"),
                ),
            );
            self.store_scale_event(now, current, desired);
        } else {
            d.rescale_reason = None;
        }
        d.conditions = conds;
        Ok(d)
    }

    /// Per-metric proposals: (max proposal, its metric, invalid count, first error).
    fn compute_metrics(
        &self,
        now: Instant,
        obs: &Observation,
        d: &mut Decision,
    ) -> Result<MetricsOutcome, DecideError> {
        let spec_replicas = obs.current_replicas;
        let status_replicas = obs.status_replicas.unwrap_or(spec_replicas);
        let calc = CalcOptions {
            tolerances: self.tolerances,
            cpu_initialization_period: self.options.cpu_initialization_period,
            initial_readiness_delay: self.options.initial_readiness_delay,
            now,
        };
        let mut replicas = 0;
        let mut name = String::new();
        let mut invalid = 0;
        let mut first_error = None;
        for (i, (m, input)) in self.metrics.iter().zip(&obs.metrics).enumerate() {
            let metric = m.display_name();
            let mut p = Proposal {
                metric: metric.clone(),
                replicas: None,
                utilization: None,
                value: None,
                error: None,
            };
            let kind_err = |expected| DecideError::MetricKind {
                index: i,
                expected,
                metric: metric.clone(),
            };
            let result: Result<i32, String> = match input {
                MetricInput::Failed(msg) => Err(msg.clone()),
                _ => match m {
                    MetricSpec::Resource {
                        resource: ResourceSource { name: res, target },
                    }
                    | MetricSpec::ContainerResource {
                        container_resource:
                            ContainerResourceSource {
                                name: res, target, ..
                            },
                    } => {
                        let MetricInput::Pods(pods) = input else {
                            return Err(kind_err("per-pod samples"));
                        };
                        if target.average_value.is_some() {
                            average_value_replicas(
                                spec_replicas,
                                pods,
                                milli(&target.average_value),
                                Some(res),
                                &calc,
                            )
                            .map(|v| {
                                p.value = Some(v.value);
                                v.replicas
                            })
                            .map_err(|e| e.to_string())
                        } else {
                            resource_utilization_replicas(
                                spec_replicas,
                                pods,
                                target.average_utilization.unwrap_or(0),
                                res,
                                &calc,
                            )
                            .map(|u| {
                                p.utilization = Some(u.utilization);
                                p.value = Some(u.raw_average);
                                u.replicas
                            })
                            .map_err(|e| e.to_string())
                        }
                    }
                    MetricSpec::Pods { pods: src } => {
                        let MetricInput::Pods(pods) = input else {
                            return Err(kind_err("per-pod samples"));
                        };
                        average_value_replicas(
                            spec_replicas,
                            pods,
                            milli(&src.target.average_value),
                            None,
                            &calc,
                        )
                        .map(|v| {
                            p.value = Some(v.value);
                            v.replicas
                        })
                        .map_err(|e| e.to_string())
                    }
                    MetricSpec::Object {
                        object: ObjectSource { target, .. },
                    }
                    | MetricSpec::External {
                        external: ExternalSource { target, .. },
                    } => {
                        let MetricInput::Value(v) = input else {
                            return Err(kind_err("a value"));
                        };
                        let external = matches!(m, MetricSpec::External { .. });
                        let use_value = if external {
                            target.average_value.is_none()
                        } else {
                            target.kind == TargetType::Value && target.value.is_some()
                        };
                        let r = if use_value {
                            object_value_replicas(
                                spec_replicas,
                                *v,
                                milli(&target.value),
                                ready_pod_count(&obs.pods),
                                self.tolerances,
                            )
                        } else {
                            object_average_replicas(
                                status_replicas,
                                *v,
                                milli(&target.average_value),
                                self.tolerances,
                            )
                        };
                        r.map(|x| {
                            p.value = Some(x.value);
                            x.replicas
                        })
                        .map_err(|e| {
                            if use_value && e == crate::autoscale::replica::CalcError::NoPods {
                                format!("unable to calculate ready pods: {e}")
                            } else {
                                e.to_string()
                            }
                        })
                    }
                },
            };
            match result {
                Ok(r) => {
                    p.replicas = Some(r);
                    if replicas == 0 || r > replicas {
                        replicas = r;
                        name = metric.clone();
                    }
                }
                Err(msg) => {
                    if invalid == 0 {
                        first_error = Some((m.failure_reason(), msg.clone()));
                    }
                    invalid += 1;
                    p.error = Some(msg);
                }
            }
            d.proposals.push(p);
        }
        if invalid > 0 {
            if let Some((reason, msg)) = first_error.take() {
                first_error = Some((
                    reason,
                    format!(
                        "invalid metrics ({invalid} invalid out of {}), first error is: {msg}",
                        self.metrics.len()
                    ),
                ));
            }
        }
        Ok((replicas, name, invalid, first_error))
    }

    #[allow(clippy::too_many_arguments)]
    fn normalize_legacy(
        &mut self,
        now: Instant,
        current: i32,
        wanted: i32,
        min: i32,
        max: i32,
        conds: &mut Vec<Condition>,
        d: &mut Decision,
    ) -> i32 {
        // Downscale stabilization over the recommendation history.
        let cutoff = now.as_nanos().saturating_sub(
            u64::try_from(self.options.downscale_stabilization.as_nanos()).unwrap_or(u64::MAX),
        );
        let mut stabilized = wanted;
        let mut old = None;
        for (i, &(at, rec)) in self.recommendations.iter().enumerate() {
            if at.as_nanos() < cutoff {
                old = Some(i);
            } else if rec > stabilized {
                stabilized = rec;
            }
        }
        match old {
            Some(i) => self.recommendations[i] = (now, wanted),
            None => self.recommendations.push((now, wanted)),
        }
        d.stabilized_replicas = Some(stabilized);
        if stabilized != wanted {
            set(conds, cond("AbleToScale", true, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"));
        } else {
            set(
                conds,
                cond(
                    "AbleToScale",
                    true,
                    "ReadyForNewScale",
                    "recommended size matches current size",
                ),
            );
        }
        let scale_up_limit = (2.0 * f64::from(current)).max(4.0) as i32;
        let (max_allowed, mut reason, mut message) = if max > scale_up_limit {
            (
                scale_up_limit,
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate",
            )
        } else {
            (
                max,
                "TooManyReplicas",
                "the desired replica count is more than the maximum replica count",
            )
        };
        let desired = if stabilized < min {
            reason = "TooFewReplicas";
            message = "the desired replica count is less than the minimum replica count";
            min
        } else if stabilized > max_allowed {
            max_allowed
        } else {
            reason = "DesiredWithinRange";
            message = "the desired count is within the acceptable range";
            stabilized
        };
        self.limit_condition(conds, d, desired != stabilized, reason, message);
        desired
    }

    fn limit_condition(
        &self,
        conds: &mut Vec<Condition>,
        d: &mut Decision,
        limited: bool,
        reason: &'static str,
        message: &'static str,
    ) {
        set(conds, cond("ScalingLimited", limited, reason, message));
        d.limited_reason = limited.then_some(reason);
    }

    #[allow(clippy::too_many_arguments)]
    fn normalize_with_behavior(
        &mut self,
        now: Instant,
        current: i32,
        wanted: i32,
        min: i32,
        max: i32,
        conds: &mut Vec<Condition>,
        d: &mut Decision,
    ) -> i32 {
        let t = now.as_nanos();
        let cut = |w: Duration| t.saturating_sub(u64::try_from(w.as_nanos()).unwrap_or(u64::MAX));
        let (up_cut, down_cut) = (
            cut(self.up.stabilization_window),
            cut(self.down.stabilization_window),
        );
        let (mut up_rec, mut down_rec) = (wanted, wanted);
        let mut old = None;
        for (i, &(at, rec)) in self.recommendations.iter().enumerate() {
            let a = at.as_nanos();
            if a > up_cut {
                up_rec = up_rec.min(rec);
            }
            if a > down_cut {
                down_rec = down_rec.max(rec);
            }
            if a < up_cut && a < down_cut {
                old = Some(i);
            }
        }
        let stabilized = current.max(up_rec).min(down_rec);
        match old {
            Some(i) => self.recommendations[i] = (now, wanted),
            None => self.recommendations.push((now, wanted)),
        }
        d.stabilized_replicas = Some(stabilized);
        if stabilized != wanted {
            let (reason, message) = if wanted >= current {
                ("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation")
            } else {
                ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
            };
            set(conds, cond("AbleToScale", true, reason, message));
        } else {
            set(
                conds,
                cond(
                    "AbleToScale",
                    true,
                    "ReadyForNewScale",
                    "recommended size matches current size",
                ),
            );
        }
        let (desired, reason, message) = if stabilized > current {
            let limit = self.scale_up_limit(now, current).max(current);
            let (allowed, reason, message) = if max > limit {
                (
                    limit,
                    "ScaleUpLimit",
                    "the desired replica count is increasing faster than the maximum scale rate",
                )
            } else {
                (
                    max,
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                )
            };
            if stabilized > allowed {
                (allowed, reason, message)
            } else {
                (
                    stabilized,
                    "DesiredWithinRange",
                    "the desired count is within the acceptable range",
                )
            }
        } else if stabilized < current {
            let limit = self.scale_down_limit(now, current).min(current);
            let (allowed, reason, message) = if min < limit {
                (
                    limit,
                    "ScaleDownLimit",
                    "the desired replica count is decreasing faster than the maximum scale rate",
                )
            } else {
                (
                    min,
                    "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count",
                )
            };
            if stabilized < allowed {
                (allowed, reason, message)
            } else {
                (
                    stabilized,
                    "DesiredWithinRange",
                    "the desired count is within the acceptable range",
                )
            }
        } else {
            (
                stabilized,
                "DesiredWithinRange",
                "the desired count is within the acceptable range",
            )
        };
        self.limit_condition(conds, d, desired != stabilized, reason, message);
        desired
    }

    fn change_in_period(events: &[ScaleEvent], now: Instant, period_seconds: i32) -> i32 {
        let cutoff = now
            .as_nanos()
            .saturating_sub(u64::try_from(period_seconds).unwrap_or(0) * 1_000_000_000);
        events
            .iter()
            .filter(|e| e.at.as_nanos() > cutoff)
            .map(|e| e.change)
            .sum()
    }

    fn period_start(&self, now: Instant, current: i32, p: &ScalingPolicy) -> i32 {
        current - Self::change_in_period(&self.scale_up_events, now, p.period_seconds)
            + Self::change_in_period(&self.scale_down_events, now, p.period_seconds)
    }

    fn scale_up_limit(&self, now: Instant, current: i32) -> i32 {
        let r = &self.up;
        let (mut result, pick): (i64, fn(i64, i64) -> i64) = match r.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => (i64::from(i32::MAX), i64::min),
            SelectPolicy::Max => (i64::from(i32::MIN), i64::max),
        };
        for p in &r.policies {
            let start = i64::from(self.period_start(now, current, p));
            let proposed = match p.kind {
                PolicyType::Pods => start + i64::from(p.value),
                PolicyType::Percent => {
                    (start as f64 * (1.0 + f64::from(p.value) / 100.0)).ceil() as i64
                }
            };
            result = pick(result, proposed);
        }
        result.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }

    fn scale_down_limit(&self, now: Instant, current: i32) -> i32 {
        let r = &self.down;
        let (mut result, pick): (i64, fn(i64, i64) -> i64) = match r.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => (i64::from(i32::MIN), i64::max),
            SelectPolicy::Max => (i64::from(i32::MAX), i64::min),
        };
        for p in &r.policies {
            let start = i64::from(self.period_start(now, current, p));
            let proposed = match p.kind {
                PolicyType::Pods => start - i64::from(p.value),
                PolicyType::Percent => (start as f64 * (1.0 - f64::from(p.value) / 100.0)) as i64,
            };
            result = pick(result, proposed);
        }
        result.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }

    fn store_scale_event(&mut self, now: Instant, prev: i32, new: i32) {
        if self.spec.behavior.is_none() {
            return;
        }
        let (events, rules) = if new > prev {
            (&mut self.scale_up_events, &self.up)
        } else {
            (&mut self.scale_down_events, &self.down)
        };
        let longest = rules
            .policies
            .iter()
            .map(|p| p.period_seconds)
            .max()
            .unwrap_or(0);
        let cutoff = now
            .as_nanos()
            .saturating_sub(u64::try_from(longest).unwrap_or(0) * 1_000_000_000);
        let mut old = None;
        for (i, e) in events.iter_mut().enumerate() {
            if e.at.as_nanos() < cutoff {
                e.outdated = true;
            }
            if e.outdated {
                old = Some(i);
            }
        }
        let e = ScaleEvent {
            at: now,
            change: (new - prev).abs(),
            outdated: false,
        };
        match old {
            Some(i) => events[i] = e,
            None => events.push(e),
        }
    }
}

impl crate::error::Coded for DecideError {
    fn code(&self) -> &'static str {
        DecideError::code(self)
    }
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Argument
    }
    fn field(&self) -> Option<&str> {
        match self {
            DecideError::NegativeReplicas { field, .. } => Some(field),
            _ => None,
        }
    }
}
