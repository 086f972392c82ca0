//! The autoscaling/v2 `HorizontalPodAutoscaler` spec in Kubernetes' own shape: the scale target,
//! the metrics (Resource, ContainerResource, Pods, Object, External) with their targets, the
//! replica bounds, and its validation with the API server's rules and defaults.

use serde::{Deserialize, Serialize};

use super::behavior::*;
use crate::error::Violation;
use crate::quantity::Quantity;

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

    pub(crate) fn failure_reason(&self) -> &'static str {
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
        let parsed: HpaSpec = crate::validate::de::deserialize(spec)
            .map_err(|e| vec![violation(join(&e.path_text()), "invalid_type", e.message)])?;
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
