//! The HorizontalPodAutoscaler controller's decision (`pkg/controller/podautoscaler/horizontal.go`):
//! per-metric proposals, the maximum of them with the rules for failed metrics, the min/max
//! pre-checks, and the normalization, legacy (no `behavior`: downscale stabilization over the
//! recommendation history, scale-up limit `max(2 × current, 4)`) or with `behavior`
//! (stabilization windows, Pods/Percent policies over recorded scale events, `selectPolicy`).
//!
//! The spec is autoscaling/v2's (`HpaSpec`, JSON/YAML in Kubernetes' own shape) with the API's
//! defaults. [`HorizontalAutoscaler`] keeps the recommendation history and scale events between
//! decisions and is driven with `now`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::replica::{
    average_value_replicas, object_average_replicas, object_value_replicas, ready_pod_count,
    resource_utilization_replicas, CalcOptions, PodSample, Tolerances,
};
use crate::error::Violation;
use crate::quantity::Quantity;
use crate::time::Instant;

/// A reference to a scaled or described object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectReference {
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// API version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
}

/// A metric's name and optional label selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricIdentifier {
    /// Name.
    pub name: String,
    /// Selector (kept as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<serde_json::Value>,
}

/// Target kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetType {
    /// Percent of request (resource metrics).
    Utilization,
    /// A total value (Object, External).
    Value,
    /// A value per pod.
    AverageValue,
}

/// A metric target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricTarget {
    /// Kind.
    #[serde(rename = "type")]
    pub kind: TargetType,
    /// For `Value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// For `AverageValue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    /// For `Utilization`, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
}

/// `Resource` metric source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceSource {
    /// `cpu`, `memory`, ...
    pub name: String,
    /// Target.
    pub target: MetricTarget,
}

/// `ContainerResource` metric source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerResourceSource {
    /// Resource name.
    pub name: String,
    /// Container name.
    pub container: String,
    /// Target.
    pub target: MetricTarget,
}

/// `Pods` metric source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodsSource {
    /// Metric.
    pub metric: MetricIdentifier,
    /// Target.
    pub target: MetricTarget,
}

/// `Object` metric source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectSource {
    /// The object the metric describes.
    pub described_object: ObjectReference,
    /// Metric.
    pub metric: MetricIdentifier,
    /// Target.
    pub target: MetricTarget,
}

/// `External` metric source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalSource {
    /// Metric.
    pub metric: MetricIdentifier,
    /// Target.
    pub target: MetricTarget,
}

/// Metric source kinds (`spec.metrics[].type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum MetricKind {
    Resource,
    ContainerResource,
    Pods,
    Object,
    External,
}

/// `spec.metrics[]` as written, read field by field so errors keep their paths.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawMetric {
    #[serde(rename = "type")]
    kind: MetricKind,
    #[serde(default)]
    resource: Option<ResourceSource>,
    #[serde(default)]
    container_resource: Option<ContainerResourceSource>,
    #[serde(default)]
    pods: Option<PodsSource>,
    #[serde(default)]
    object: Option<ObjectSource>,
    #[serde(default)]
    external: Option<ExternalSource>,
}

impl TryFrom<RawMetric> for MetricSpec {
    type Error = String;
    fn try_from(r: RawMetric) -> Result<Self, String> {
        let missing = |f: &str| format!("type {:?} needs the `{f}` field", r.kind);
        Ok(match r.kind {
            MetricKind::Resource => MetricSpec::Resource {
                resource: r.resource.ok_or_else(|| missing("resource"))?,
            },
            MetricKind::ContainerResource => MetricSpec::ContainerResource {
                container_resource: r
                    .container_resource
                    .ok_or_else(|| missing("containerResource"))?,
            },
            MetricKind::Pods => MetricSpec::Pods {
                pods: r.pods.ok_or_else(|| missing("pods"))?,
            },
            MetricKind::Object => MetricSpec::Object {
                object: r.object.ok_or_else(|| missing("object"))?,
            },
            MetricKind::External => MetricSpec::External {
                external: r.external.ok_or_else(|| missing("external"))?,
            },
        })
    }
}

/// One entry of `spec.metrics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", try_from = "RawMetric")]
pub enum MetricSpec {
    /// A resource of the pods (utilization or average value).
    Resource {
        /// Source.
        resource: ResourceSource,
    },
    /// A resource of one container of the pods.
    ContainerResource {
        /// Source.
        #[serde(rename = "containerResource")]
        container_resource: ContainerResourceSource,
    },
    /// A custom metric per pod.
    Pods {
        /// Source.
        pods: PodsSource,
    },
    /// A metric of another object.
    Object {
        /// Source.
        object: ObjectSource,
    },
    /// A metric from outside the cluster.
    External {
        /// Source.
        external: ExternalSource,
    },
}

impl MetricSpec {
    fn target(&self) -> &MetricTarget {
        match self {
            MetricSpec::Resource { resource } => &resource.target,
            MetricSpec::ContainerResource { container_resource } => &container_resource.target,
            MetricSpec::Pods { pods } => &pods.target,
            MetricSpec::Object { object } => &object.target,
            MetricSpec::External { external } => &external.target,
        }
    }

    /// The name the controller gives this metric in conditions and events.
    pub fn display_name(&self) -> String {
        match self {
            MetricSpec::Resource { resource } => {
                if resource.target.average_value.is_some() {
                    format!("{} resource", resource.name)
                } else {
                    format!(
                        "{} resource utilization (percentage of request)",
                        resource.name
                    )
                }
            }
            MetricSpec::ContainerResource {
                container_resource: c,
            } => {
                if c.target.average_value.is_some() {
                    format!("{} container resource", c.name)
                } else {
                    format!(
                        "{} container resource utilization (percentage of request)",
                        c.name
                    )
                }
            }
            MetricSpec::Pods { pods } => format!("pods metric {}", pods.metric.name),
            MetricSpec::Object { object } => {
                format!(
                    "{} metric {}",
                    object.described_object.kind, object.metric.name
                )
            }
            MetricSpec::External { external } => {
                format!("external metric {}", external.metric.name)
            }
        }
    }

    fn failure_reason(&self) -> &'static str {
        match self {
            MetricSpec::Resource { .. } => "FailedGetResourceMetric",
            MetricSpec::ContainerResource { .. } => "FailedGetContainerResourceMetric",
            MetricSpec::Pods { .. } => "FailedGetPodsMetric",
            MetricSpec::Object { .. } => "FailedGetObjectMetric",
            MetricSpec::External { .. } => "FailedGetExternalMetric",
        }
    }

    /// A CPU or memory utilization target (what the seed design's `Scaling` holds).
    pub fn resource_utilization(name: &str, percent: i32) -> MetricSpec {
        MetricSpec::Resource {
            resource: ResourceSource {
                name: name.to_string(),
                target: MetricTarget {
                    kind: TargetType::Utilization,
                    value: None,
                    average_value: None,
                    average_utilization: Some(percent),
                },
            },
        }
    }
}

/// `selectPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SelectPolicy {
    /// The policy allowing the largest change.
    #[default]
    Max,
    /// The policy allowing the smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

/// Policy kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyType {
    /// A number of pods per period.
    Pods,
    /// A percentage of the replicas at the period's start.
    Percent,
}

/// One scaling policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScalingPolicy {
    /// Kind.
    #[serde(rename = "type")]
    pub kind: PolicyType,
    /// Pods or percent (> 0).
    pub value: i32,
    /// Period, seconds (1–1800).
    pub period_seconds: i32,
}

/// `behavior.scaleUp` / `behavior.scaleDown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScalingRules {
    /// Stabilization window, seconds (0–3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<i32>,
    /// How to combine the policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<SelectPolicy>,
    /// Policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Vec<ScalingPolicy>>,
    /// Tolerance in this direction (KEP-4951; default the controller's, 0.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Quantity>,
}

/// `spec.behavior`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Behavior {
    /// Scale-up rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<ScalingRules>,
    /// Scale-down rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<ScalingRules>,
}

/// An autoscaling/v2 HorizontalPodAutoscaler spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaSpec {
    /// The scaled object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_target_ref: Option<ObjectReference>,
    /// Lower bound (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<i32>,
    /// Upper bound.
    pub max_replicas: i32,
    /// Metrics (default: CPU at 80 % utilization).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricSpec>,
    /// Scaling behavior; absent means the legacy normalization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<Behavior>,
}

fn violation(path: String, code: &str, message: String) -> Violation {
    Violation::at(path, code, message)
}

impl HpaSpec {
    /// Reads a spec from JSON: a whole HorizontalPodAutoscaler object (its `spec` is used) or the
    /// spec alone; then validates it. Errors name the field path (`spec.metrics[0]...`).
    pub fn from_json(value: &serde_json::Value) -> Result<HpaSpec, Vec<Violation>> {
        let (spec, prefix) = match value.get("spec") {
            Some(s) if value.get("maxReplicas").is_none() => (s, "spec"),
            _ => (value, ""),
        };
        let join = |p: &str| {
            if prefix.is_empty() {
                p.to_string()
            } else if p.is_empty() || p == "." {
                prefix.to_string()
            } else {
                format!("{prefix}.{p}")
            }
        };
        let parsed: HpaSpec = serde_path_to_error::deserialize(spec).map_err(|e| {
            let path = e.path().to_string();
            vec![violation(
                join(&path),
                "invalid_type",
                e.into_inner().to_string(),
            )]
        })?;
        let problems: Vec<Violation> = parsed
            .validate()
            .into_iter()
            .map(|mut v| {
                v.path = join(&v.path);
                v
            })
            .collect();
        if problems.is_empty() {
            Ok(parsed)
        } else {
            Err(problems)
        }
    }

    /// The seed design's `Scaling { minReplicas, maxReplicas, targetCPU, targetMemory }` as an
    /// HPA spec (no `targetCPU` and no `targetMemory`: the API default, CPU at 80 %).
    pub fn from_scaling(s: &crate::model::workload::Scaling) -> HpaSpec {
        let mut metrics = Vec::new();
        if let Some(c) = s.target_cpu {
            metrics.push(MetricSpec::resource_utilization("cpu", c));
        }
        if let Some(m) = s.target_memory {
            metrics.push(MetricSpec::resource_utilization("memory", m));
        }
        HpaSpec {
            scale_target_ref: None,
            min_replicas: Some(s.min_replicas),
            max_replicas: s.max_replicas,
            metrics,
            behavior: None,
        }
    }

    /// Kubernetes' validation rules for the fields cnarch reads (paths relative to the spec).
    pub fn validate(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut bad =
            |path: String, message: String| out.push(violation(path, "invalid_value", message));
        if self.max_replicas < 1 {
            bad(
                "maxReplicas".into(),
                format!(
                    "must be greater than or equal to 1, found {}",
                    self.max_replicas
                ),
            );
        }
        let scale_to_zero_ok = self
            .metrics
            .iter()
            .any(|m| matches!(m, MetricSpec::Object { .. } | MetricSpec::External { .. }));
        if let Some(min) = self.min_replicas {
            if min < 0 || (min == 0 && !scale_to_zero_ok) {
                bad("minReplicas".into(), format!("must be greater than or equal to 1 (0 only with an Object or External metric), found {min}"));
            }
            if min > self.max_replicas {
                bad(
                    "minReplicas".into(),
                    format!(
                        "must be less than or equal to maxReplicas ({}), found {min}",
                        self.max_replicas
                    ),
                );
            }
        }
        for (i, m) in self.metrics.iter().enumerate() {
            let t = m.target();
            let (field, allowed): (&str, &[TargetType]) = match m {
                MetricSpec::Resource { .. } => (
                    "resource",
                    &[TargetType::Utilization, TargetType::AverageValue],
                ),
                MetricSpec::ContainerResource { .. } => (
                    "containerResource",
                    &[TargetType::Utilization, TargetType::AverageValue],
                ),
                MetricSpec::Pods { .. } => ("pods", &[TargetType::AverageValue]),
                MetricSpec::Object { .. } => {
                    ("object", &[TargetType::Value, TargetType::AverageValue])
                }
                MetricSpec::External { .. } => {
                    ("external", &[TargetType::Value, TargetType::AverageValue])
                }
            };
            let path = format!("metrics[{i}].{field}.target");
            if !allowed.contains(&t.kind) {
                bad(
                    format!("{path}.type"),
                    format!(
                        "must be one of {allowed:?} for this metric source, found {:?}",
                        t.kind
                    ),
                );
            }
            let positive = |q: &Option<Quantity>| q.as_ref().is_some_and(|q| q.milli_value() > 0);
            match t.kind {
                TargetType::Utilization => {
                    if t.average_utilization.is_none_or(|u| u <= 0) {
                        bad(
                            format!("{path}.averageUtilization"),
                            "must be set and greater than 0 for a Utilization target".into(),
                        );
                    }
                }
                TargetType::Value => {
                    if !positive(&t.value) {
                        bad(
                            format!("{path}.value"),
                            "must be set and positive for a Value target".into(),
                        );
                    }
                }
                TargetType::AverageValue => {
                    if !positive(&t.average_value) {
                        bad(
                            format!("{path}.averageValue"),
                            "must be set and positive for an AverageValue target".into(),
                        );
                    }
                }
            }
        }
        if let Some(b) = &self.behavior {
            for (name, rules) in [("scaleUp", &b.scale_up), ("scaleDown", &b.scale_down)] {
                let Some(r) = rules else { continue };
                let path = format!("behavior.{name}");
                if let Some(w) = r.stabilization_window_seconds {
                    if !(0..=3600).contains(&w) {
                        bad(
                            format!("{path}.stabilizationWindowSeconds"),
                            format!("must be between 0 and 3600, found {w}"),
                        );
                    }
                }
                if let Some(ps) = &r.policies {
                    if ps.is_empty() {
                        bad(
                            format!("{path}.policies"),
                            "must specify at least one Policy".into(),
                        );
                    }
                    for (j, p) in ps.iter().enumerate() {
                        if p.value <= 0 {
                            bad(
                                format!("{path}.policies[{j}].value"),
                                format!("must be greater than zero, found {}", p.value),
                            );
                        }
                        if !(1..=1800).contains(&p.period_seconds) {
                            bad(
                                format!("{path}.policies[{j}].periodSeconds"),
                                format!("must be between 1 and 1800, found {}", p.period_seconds),
                            );
                        }
                    }
                }
                if let Some(t) = &r.tolerance {
                    if t.milli_value() < 0 {
                        bad(
                            format!("{path}.tolerance"),
                            format!("must be greater than or equal to 0, found {t}"),
                        );
                    }
                }
            }
        }
        out
    }

    /// `minReplicas` with its default.
    pub fn min(&self) -> i32 {
        self.min_replicas.unwrap_or(1)
    }

    /// `metrics` with its default (CPU at 80 %).
    pub fn effective_metrics(&self) -> Vec<MetricSpec> {
        if self.metrics.is_empty() {
            vec![MetricSpec::resource_utilization("cpu", 80)]
        } else {
            self.metrics.clone()
        }
    }
}

/// Rules with the API's defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveRules {
    /// Window.
    pub stabilization_window: Duration,
    /// Selection.
    pub select_policy: SelectPolicy,
    /// Policies.
    pub policies: Vec<ScalingPolicy>,
}

fn effective(rules: Option<&ScalingRules>, up: bool, downscale_window: Duration) -> EffectiveRules {
    let r = rules.cloned().unwrap_or_default();
    let default_policies = if up {
        vec![
            ScalingPolicy {
                kind: PolicyType::Pods,
                value: 4,
                period_seconds: 15,
            },
            ScalingPolicy {
                kind: PolicyType::Percent,
                value: 100,
                period_seconds: 15,
            },
        ]
    } else {
        vec![ScalingPolicy {
            kind: PolicyType::Percent,
            value: 100,
            period_seconds: 15,
        }]
    };
    EffectiveRules {
        stabilization_window: match r.stabilization_window_seconds {
            Some(s) => Duration::from_secs(u64::try_from(s).unwrap_or(0)),
            None if up => Duration::ZERO,
            None => downscale_window,
        },
        select_policy: r.select_policy.unwrap_or_default(),
        policies: r.policies.unwrap_or(default_policies),
    }
}

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
            problems.push(Violation {
                document: 0,
                name: None,
                path: "options.tolerance".into(),
                code: "invalid_tolerance".into(),
                message: format!(
                    "expected a finite tolerance of 0 or more, found {}",
                    options.tolerance
                ),
            });
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
                            if use_value && e == super::replica::CalcError::NoPods {
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
