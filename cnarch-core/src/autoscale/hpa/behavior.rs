//! `behavior`: per-direction scaling rules (stabilization window, Pods/Percent policies over a
//! period, `selectPolicy`) and the API's defaults for them (scale up: no window, 4 pods or 100 %
//! per 15 s, the larger; scale down: the controller's window, 100 % per 15 s).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::quantity::Quantity;

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

pub(crate) fn effective(
    rules: Option<&ScalingRules>,
    up: bool,
    downscale_window: Duration,
) -> EffectiveRules {
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
