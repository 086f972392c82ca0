//! KEDA's activation layer (`pkg/scaling/executor/scale_scaledobjects.go`): triggers are active
//! when their value exceeds the `activationThreshold`; KEDA itself moves the target between 0 (or
//! `idleReplicaCount`) and `max(minReplicaCount, 1)`, honouring `cooldownPeriod` since the last
//! active poll, and hands the 1..max range to an HPA whose External metrics have the triggers'
//! `threshold` as `AverageValue` (or `Value`) target.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::hpa::{ExternalSource, HpaSpec, MetricIdentifier, MetricSpec, MetricTarget, TargetType};
use crate::quantity::Quantity;
use crate::time::Instant;

/// How a trigger's threshold targets the HPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum KedaMetricType {
    /// Per pod (KEDA's default).
    #[default]
    AverageValue,
    /// A total.
    Value,
}

/// One trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KedaTrigger {
    /// Metric name (the External metric's name, e.g. `s0-prometheus`).
    pub name: String,
    /// The HPA target.
    pub threshold: f64,
    /// Active only above this (default 0).
    #[serde(default)]
    pub activation_threshold: f64,
    /// `AverageValue` or `Value`.
    #[serde(default)]
    pub metric_type: KedaMetricType,
}

/// A ScaledObject's scaling fields (camelCase as in its spec), with KEDA's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct KedaConfig {
    /// `minReplicaCount` (0).
    pub min_replica_count: u32,
    /// `maxReplicaCount` (100).
    pub max_replica_count: u32,
    /// `idleReplicaCount` (unset; below min when set).
    pub idle_replica_count: Option<u32>,
    /// `cooldownPeriod`, seconds (300).
    pub cooldown_period: u64,
    /// `pollingInterval`, seconds (30).
    pub polling_interval: u64,
    /// `fallback.replicas` when every trigger errs.
    pub fallback_replicas: Option<u32>,
    /// Triggers.
    pub triggers: Vec<KedaTrigger>,
}

impl Default for KedaConfig {
    fn default() -> Self {
        KedaConfig {
            min_replica_count: 0,
            max_replica_count: 100,
            idle_replica_count: None,
            cooldown_period: 300,
            polling_interval: 30,
            fallback_replicas: None,
            triggers: Vec::new(),
        }
    }
}

crate::error::field_error!(
    /// A configuration KEDA's webhook would refuse.
    KedaConfigError,
    "invalid ScaledObject: ",
    "invalid_scaled_object",
    crate::error::ErrorKind::Config
);

/// A trigger's `activationThreshold` when its spec names none (KEDA's default: 0, so any
/// value above zero activates).
pub const DEFAULT_ACTIVATION_THRESHOLD: f64 = 0.0;

/// Whether a trigger with this value is active.
pub fn is_active(value: f64, activation_threshold: f64) -> bool {
    value > activation_threshold
}

/// One poll's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KedaDecision {
    /// Any trigger active.
    pub active: bool,
    /// Per trigger (`None`: it erred).
    pub triggers_active: Vec<Option<bool>>,
    /// The replica count KEDA sets itself (`None`: it leaves the target to the HPA).
    pub set_replicas: Option<u32>,
    /// What happened: `scale_from_zero`, `keep_active`, `cooldown`, `scale_to_zero`,
    /// `scale_to_idle`, `scale_to_min`, `fallback`, `idle`.
    pub action: &'static str,
}

/// The KEDA executor for one ScaledObject.
#[derive(Debug, Clone)]
pub struct ScaledObject {
    config: KedaConfig,
    last_active: Option<Instant>,
}

impl ScaledObject {
    /// Checks the fields as KEDA's admission webhook does.
    pub fn new(config: KedaConfig) -> Result<ScaledObject, KedaConfigError> {
        if config.triggers.is_empty() {
            return Err(KedaConfigError::new(
                "triggers",
                "triggers: expected at least one trigger",
            ));
        }
        if config.min_replica_count > config.max_replica_count {
            return Err(KedaConfigError::new(
                "minReplicaCount",
                format!(
                    "minReplicaCount ({}) must not exceed maxReplicaCount ({})",
                    config.min_replica_count, config.max_replica_count
                ),
            ));
        }
        if let Some(idle) = config.idle_replica_count {
            if idle >= config.min_replica_count {
                return Err(KedaConfigError::new(
                    "idleReplicaCount",
                    format!(
                        "idleReplicaCount ({idle}) must be less than minReplicaCount ({})",
                        config.min_replica_count
                    ),
                ));
            }
        }
        for (i, t) in config.triggers.iter().enumerate() {
            if !(t.threshold.is_finite() && t.threshold > 0.0) {
                return Err(KedaConfigError::new(
                    format!("triggers[{i}].threshold"),
                    format!(
                        "triggers[{i}].threshold: expected a positive number, found {}",
                        t.threshold
                    ),
                ));
            }
            if !t.activation_threshold.is_finite() {
                return Err(KedaConfigError::new(
                    format!("triggers[{i}].activationThreshold"),
                    format!("triggers[{i}].activationThreshold: expected a number"),
                ));
            }
        }
        Ok(ScaledObject {
            config,
            last_active: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &KedaConfig {
        &self.config
    }

    /// When a trigger was last seen active.
    pub fn last_active(&self) -> Option<Instant> {
        self.last_active
    }

    /// The HPA KEDA creates: one External metric per trigger, min `max(minReplicaCount, 1)`.
    pub fn hpa_spec(&self) -> HpaSpec {
        let metrics = self
            .config
            .triggers
            .iter()
            .map(|t| {
                let q = Quantity::from_millis((t.threshold * 1000.0).round() as i64);
                let (kind, value, average_value) = match t.metric_type {
                    KedaMetricType::AverageValue => (TargetType::AverageValue, None, Some(q)),
                    KedaMetricType::Value => (TargetType::Value, Some(q), None),
                };
                MetricSpec::External {
                    external: ExternalSource {
                        metric: MetricIdentifier {
                            name: t.name.clone(),
                            selector: None,
                        },
                        target: MetricTarget {
                            kind,
                            value,
                            average_value,
                            average_utilization: None,
                        },
                    },
                }
            })
            .collect();
        HpaSpec {
            scale_target_ref: None,
            min_replicas: Some(self.config.min_replica_count.max(1) as i32),
            max_replicas: self.config.max_replica_count.max(1) as i32,
            metrics,
            behavior: None,
        }
    }

    /// One poll at `now`: the target's current replicas and each trigger's value (`None`: the
    /// scaler erred).
    pub fn poll(
        &mut self,
        now: Instant,
        current_replicas: u32,
        values: &[Option<f64>],
    ) -> KedaDecision {
        let c = &self.config;
        let triggers_active: Vec<Option<bool>> = c
            .triggers
            .iter()
            .zip(values.iter().chain(std::iter::repeat(&None)))
            .map(|(t, v)| v.map(|v| is_active(v, t.activation_threshold)))
            .collect();
        let active = triggers_active.contains(&Some(true));
        let error = triggers_active.iter().any(Option::is_none);
        let all_error = triggers_active.iter().all(Option::is_none);
        let min = c.min_replica_count;
        let decision = |set: Option<u32>, action| KedaDecision {
            active,
            triggers_active: triggers_active.clone(),
            set_replicas: set,
            action,
        };
        if active {
            let from_idle = c.idle_replica_count.is_some() && current_replicas < min;
            self.last_active = Some(now);
            if from_idle || current_replicas == 0 {
                return decision(Some(min.max(1)), "scale_from_zero");
            }
            return decision(None, "keep_active");
        }
        if error && all_error {
            if let Some(f) = c.fallback_replicas.filter(|&f| f != 0) {
                return decision(Some(f), "fallback");
            }
        }
        let above_idle = c
            .idle_replica_count
            .is_some_and(|idle| current_replicas > idle);
        if above_idle || (current_replicas > 0 && min == 0) {
            let cooled = self
                .last_active
                .is_none_or(|t| t.saturating_add(Duration::from_secs(c.cooldown_period)) < now);
            if cooled {
                return match c.idle_replica_count {
                    Some(idle) => decision(Some(idle), "scale_to_idle"),
                    None => decision(Some(min), "scale_to_zero"),
                };
            }
            return decision(None, "cooldown");
        }
        if current_replicas < min && c.idle_replica_count.is_none() {
            return decision(Some(min), "scale_to_min");
        }
        decision(None, "idle")
    }
}
