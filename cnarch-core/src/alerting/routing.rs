//! Alert routing state: Alertmanager's grouping, timing and inhibition (`dispatch/dispatch.go`,
//! `notify.DedupStage`, `inhibit`), and escalation policies (the design's `EscalationPolicy`).
//!
//! **Grouping, timing and inhibition** follow Alertmanager exactly; they live in
//! [`super::dispatch`] (the routing tree of a real configuration is [`super::config`]).
//! [`notifications`] runs that dispatcher for one flat route with one receiver integration:
//! `group_by` empty (the default) puts every alert in one group, `["..."]` groups by every
//! label.
//!
//! **Escalation.** Step *i* notifies its channels `delay_i` after step *i − 1* (step 0 after the
//! alert starts) while the alert is firing and its condition (a label matcher) holds; with
//! `repeat`, the steps start over after the last, at most `max_repeat` more times.
//! [`EscalationPolicy::from_model_with_channels`] drops the channels the model declares
//! disabled; a step left with no channel sends nothing but keeps its place in the timing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::Violation;

/// The most steps (group evaluations, escalation steps) one call computes: a timeline longer
/// than this is refused with `timeline_too_long` rather than computed for minutes or hours.
pub const MAX_STEPS: usize = 1_000_000;

fn violation(path: &str, code: &str, message: String) -> Violation {
    Violation::at(path, code, message)
}

fn check_until(until: f64, out: &mut Vec<Violation>) {
    if until.is_nan() {
        out.push(violation(
            "until",
            "invalid_value",
            "expected a time in seconds, found NaN".into(),
        ));
    }
}

fn check_alerts(alerts: &[Alert], out: &mut Vec<Violation>) {
    for (i, a) in alerts.iter().enumerate() {
        if !a.starts_at.is_finite() {
            out.push(violation(
                &format!("alerts[{i}].starts_at"),
                "invalid_value",
                format!("expected a finite time in seconds, found {}", a.starts_at),
            ));
        }
        if let Some(e) = a.ends_at {
            if !e.is_finite() || e < a.starts_at {
                out.push(violation(
                    &format!("alerts[{i}].ends_at"),
                    "invalid_value",
                    format!(
                        "expected a finite time at or after starts_at ({}), found {e}",
                        a.starts_at
                    ),
                ));
            }
        }
    }
}

fn too_long(what: &str) -> Vec<Violation> {
    vec![violation(
        "until",
        "timeline_too_long",
        format!(
            "the timeline needs more than {MAX_STEPS} {what} before `until`; give a nearer `until`"
        ),
    )]
}

pub use super::config::InhibitRule;
pub use super::dispatch::Notification;
pub use super::matcher::Matcher;

/// An alert and when it fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Labels (including `alertname`).
    pub labels: BTreeMap<String, String>,
    /// Firing from (seconds).
    pub starts_at: f64,
    /// Resolved at (`None`: still firing).
    #[serde(default)]
    pub ends_at: Option<f64>,
}

impl Alert {
    /// Whether the alert fires at `t` (from `starts_at`, until `ends_at` exclusive).
    pub fn firing_at(&self, t: f64) -> bool {
        self.starts_at <= t && self.ends_at.is_none_or(|e| t < e)
    }
}

/// A route's grouping and timing (Alertmanager's defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Route {
    /// Labels that form the group key (empty: one group; `["..."]`: every label).
    pub group_by: Vec<String>,
    /// Seconds (30).
    pub group_wait: f64,
    /// Seconds (300).
    pub group_interval: f64,
    /// Seconds (14400).
    pub repeat_interval: f64,
    /// Notify resolved alerts (true).
    pub send_resolved: bool,
}

impl Default for Route {
    fn default() -> Self {
        Route {
            group_by: Vec::new(),
            group_wait: 30.0,
            group_interval: 300.0,
            repeat_interval: 14400.0,
            send_resolved: true,
        }
    }
}

impl Route {
    /// Alertmanager's route checks (`config.Route.UnmarshalYAML`): no label twice in
    /// `group_by`, `group_interval` and `repeat_interval` not zero; durations are never negative
    /// (here: finite seconds, `group_wait` ≥ 0).
    pub fn validate(&self) -> Result<(), Vec<Violation>> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, l) in self.group_by.iter().enumerate() {
            if l != "..." && !super::matcher::is_label_name(l) {
                out.push(violation(
                    &format!("route.group_by[{i}]"),
                    "invalid_label_name",
                    format!("expected a label name matching `[a-zA-Z_][a-zA-Z0-9_]*` or `...`, found `{l}`"),
                ));
            } else if !seen.insert(l.as_str()) {
                out.push(violation(
                    &format!("route.group_by[{i}]"),
                    "duplicate",
                    format!("duplicated label `{l}` in group_by"),
                ));
            }
        }
        if seen.contains("...") && seen.len() > 1 {
            out.push(violation(
                "route.group_by",
                "invalid_value",
                "expected `...` alone in group_by (it already groups by every label), found it with other labels".into(),
            ));
        }
        if !(self.group_wait.is_finite() && self.group_wait >= 0.0) {
            out.push(violation(
                "route.group_wait",
                "invalid_value",
                format!(
                    "expected a finite duration of 0 s or more, found {}",
                    self.group_wait
                ),
            ));
        }
        for (name, v) in [
            ("group_interval", self.group_interval),
            ("repeat_interval", self.repeat_interval),
        ] {
            if !(v.is_finite() && v > 0.0) {
                out.push(violation(
                    &format!("route.{name}"),
                    "invalid_value",
                    format!(
                        "expected a finite duration above zero ({name} cannot be zero), found {v}"
                    ),
                ));
            }
        }
        if out.is_empty() {
            Ok(())
        } else {
            Err(out)
        }
    }
}

impl Route {
    /// The route as a one-node Alertmanager configuration with one receiver integration.
    pub fn to_config(&self, inhibit: &[InhibitRule]) -> super::config::Config {
        use super::config::{Config, Grouping, Integration, Receiver, RouteNode};
        let group_by = if self.group_by.iter().any(|l| l == "...") {
            Grouping::All
        } else {
            Grouping::Labels(self.group_by.iter().cloned().collect())
        };
        Config {
            routes: vec![RouteNode {
                path: String::new(),
                key: "{}".into(),
                receiver: String::new(),
                group_by,
                group_wait: self.group_wait,
                group_interval: self.group_interval,
                repeat_interval: self.repeat_interval,
                matchers: Vec::new(),
                continue_matching: false,
                mute_time_intervals: Vec::new(),
                active_time_intervals: Vec::new(),
                children: Vec::new(),
            }],
            receivers: vec![Receiver {
                name: String::new(),
                integrations: vec![Integration {
                    name: String::new(),
                    send_resolved: self.send_resolved,
                }],
            }],
            inhibit_rules: inhibit.to_vec(),
            time_intervals: BTreeMap::new(),
        }
    }
}

/// The notifications Alertmanager sends for `alerts` on one route until `until` (seconds; may
/// be infinite when every alert resolves): [`super::dispatch::timeline`] with a dispatcher
/// started at time 0.
///
/// Refused: an invalid route ([`Route::validate`]) and what
/// [`super::dispatch::timeline`] refuses.
pub fn notifications(
    route: &Route,
    inhibit: &[InhibitRule],
    alerts: &[Alert],
    until: f64,
) -> Result<Vec<Notification>, Vec<Violation>> {
    route.validate()?;
    super::dispatch::timeline(
        &route.to_config(inhibit),
        alerts,
        until,
        &super::dispatch::DispatchOptions::default(),
    )
}

/// An escalation step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationStep {
    /// Seconds after the previous step (step 0: after the alert starts).
    pub delay: f64,
    /// Channels notified.
    pub channels: Vec<String>,
    /// Only when the alert's labels match.
    #[serde(default)]
    pub condition: Option<Matcher>,
}

/// An escalation policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationPolicy {
    /// Steps.
    pub steps: Vec<EscalationStep>,
    /// Start over after the last step.
    #[serde(default)]
    pub repeat: bool,
    /// How many times to start over (`None`: until the alert resolves).
    #[serde(default)]
    pub max_repeat: Option<u32>,
}

/// One escalation notice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Escalation {
    /// When.
    pub at: f64,
    /// Step index.
    pub step: usize,
    /// Round (0 first, then repeats).
    pub round: u32,
    /// Channels.
    pub channels: Vec<String>,
}

impl EscalationPolicy {
    /// From the model's policy (delays as durations, conditions as matchers).
    pub fn from_model(
        p: &crate::model::observability::EscalationPolicy,
    ) -> Result<EscalationPolicy, String> {
        let steps = p
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Ok(EscalationStep {
                    delay: s.delay.as_secs_f64(),
                    channels: s.channels.clone(),
                    condition: s
                        .condition
                        .as_deref()
                        .map(Matcher::parse)
                        .transpose()
                        .map_err(|e| format!("steps[{i}].condition: {e}"))?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(EscalationPolicy {
            steps,
            repeat: p.repeat,
            max_repeat: p.max_repeat.map(|n| u32::try_from(n).unwrap_or(0)),
        })
    }

    /// As [`EscalationPolicy::from_model`], leaving out the channels the model declares with
    /// `enabled: false` (channels it does not declare are kept; a step left without channels
    /// notifies no one but still takes its delay).
    pub fn from_model_with_channels(
        p: &crate::model::observability::EscalationPolicy,
        channels: &[crate::model::observability::NotificationChannel],
    ) -> Result<EscalationPolicy, String> {
        let mut out = EscalationPolicy::from_model(p)?;
        let disabled: BTreeSet<&str> = channels
            .iter()
            .filter(|c| !c.enabled)
            .map(|c| c.name.as_str())
            .collect();
        for s in &mut out.steps {
            s.channels.retain(|c| !disabled.contains(c.as_str()));
        }
        Ok(out)
    }

    /// Checks the delays: finite seconds, 0 or more.
    pub fn validate(&self) -> Result<(), Vec<Violation>> {
        let out: Vec<Violation> = self
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| !(s.delay.is_finite() && s.delay >= 0.0))
            .map(|(i, s)| {
                violation(
                    &format!("policy.steps[{i}].delay"),
                    "invalid_value",
                    format!("expected a finite delay of 0 s or more, found {}", s.delay),
                )
            })
            .collect();
        if out.is_empty() {
            Ok(())
        } else {
            Err(out)
        }
    }

    /// The notices for `alert` until it resolves or `until` (seconds; may be infinite unless
    /// the policy repeats without `max_repeat` for an alert that never resolves, `unbounded`).
    /// Refused also: invalid delays, alert times, and more than [`MAX_STEPS`] steps.
    pub fn notices(&self, alert: &Alert, until: f64) -> Result<Vec<Escalation>, Vec<Violation>> {
        let mut problems = self.validate().err().unwrap_or_default();
        check_until(until, &mut problems);
        check_alerts(std::slice::from_ref(alert), &mut problems);
        for p in problems.iter_mut() {
            if let Some(rest) = p.path.strip_prefix("alerts[0]") {
                p.path = format!("alert{rest}");
            }
        }
        let repeats_forever =
            self.repeat && self.max_repeat.is_none() && self.steps.iter().any(|s| s.delay > 0.0);
        if repeats_forever && until == f64::INFINITY && alert.ends_at.is_none() {
            problems.push(violation(
                "until",
                "unbounded",
                "expected a finite `until`: the policy repeats without max_repeat and the alert never resolves".into(),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut out = Vec::new();
        if self.steps.is_empty() {
            return Ok(out);
        }
        let mut steps = 0usize;
        let end = alert.ends_at.unwrap_or(f64::INFINITY).min(until);
        let rounds = if self.repeat {
            self.max_repeat.map_or(u32::MAX, |n| n.saturating_add(1))
        } else {
            1
        };
        let mut t = alert.starts_at;
        'outer: for round in 0..rounds {
            for (i, s) in self.steps.iter().enumerate() {
                steps += 1;
                if steps > MAX_STEPS {
                    return Err(too_long("escalation steps"));
                }
                t += s.delay;
                if t >= end {
                    break 'outer;
                }
                let applies = s
                    .condition
                    .as_ref()
                    .is_none_or(|m| m.matches_labels(&alert.labels));
                if applies && !s.channels.is_empty() {
                    out.push(Escalation {
                        at: t,
                        step: i,
                        round,
                        channels: s.channels.clone(),
                    });
                }
            }
            if self.steps.iter().all(|s| s.delay <= 0.0) {
                break;
            }
        }
        Ok(out)
    }
}
