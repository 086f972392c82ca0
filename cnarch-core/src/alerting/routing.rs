//! Alert routing state: Alertmanager's grouping, timing and inhibition (`dispatch/dispatch.go`,
//! `notify.DedupStage`, `inhibit`), and escalation policies (the design's `EscalationPolicy`).
//!
//! **Grouping.** Alerts with the same values of `group_by` form a group. A new group notifies
//! after `group_wait` (30 s), then is re-examined every `group_interval` (5 min); it notifies
//! when a firing alert is new since the last notification, when every alert has resolved (if
//! it had notified firing ones), when a resolved alert is new and `send_resolved` is on, or when
//! `repeat_interval` (4 h) has passed since the last notification. Resolved alerts leave the
//! group once notified; an empty group is removed (its notification log stays).
//!
//! **Inhibition.** At notification time an alert matching an inhibit rule's target matchers is
//! muted while an alert matching its source matchers is firing with the same values for the
//! `equal` labels (an alert does not inhibit itself).
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

/// A label matcher: `name=value` or `name!=value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matcher {
    /// Label name.
    pub name: String,
    /// Value.
    pub value: String,
    /// `!=` instead of `=`.
    #[serde(default)]
    pub negate: bool,
}

impl Matcher {
    /// Parses `name=value`, `name!=value` (quotes around the value optional).
    pub fn parse(text: &str) -> Result<Matcher, String> {
        let (name, value, negate) = if let Some((n, v)) = text.split_once("!=") {
            (n, v, true)
        } else if let Some((n, v)) = text.split_once('=') {
            if v.starts_with('~') || n.ends_with('!') {
                return Err(format!(
                    "regular-expression matchers are not supported, found `{text}`"
                ));
            }
            (n, v, false)
        } else {
            return Err(format!(
                "expected a matcher `name=value` or `name!=value`, found `{text}`"
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!(
                "expected a label name before the operator in `{text}`"
            ));
        }
        Ok(Matcher {
            name: name.into(),
            value: value.trim().trim_matches('"').into(),
            negate,
        })
    }

    /// Whether `labels` match (an absent label has the empty value, as in Alertmanager).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let v = labels.get(&self.name).map(String::as_str).unwrap_or("");
        (v == self.value) != self.negate
    }
}

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
    fn firing_at(&self, t: f64) -> bool {
        self.starts_at <= t && self.ends_at.is_none_or(|e| t < e)
    }
}

/// A route's grouping and timing (Alertmanager's defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Route {
    /// Labels that form the group key.
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
            group_by: vec!["alertname".into()],
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
            if !seen.insert(l.as_str()) {
                out.push(violation(
                    &format!("route.group_by[{i}]"),
                    "duplicate",
                    format!("duplicated label `{l}` in group_by"),
                ));
            }
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

/// An inhibit rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct InhibitRule {
    /// Matchers the inhibiting alert satisfies.
    pub source_matchers: Vec<Matcher>,
    /// Matchers the muted alert satisfies.
    pub target_matchers: Vec<Matcher>,
    /// Labels that must be equal.
    pub equal: Vec<String>,
}

/// A notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    /// When (seconds).
    pub at: f64,
    /// The group's labels.
    pub group: BTreeMap<String, String>,
    /// Firing alerts (indices into the input).
    pub firing: Vec<usize>,
    /// Newly resolved alerts (indices).
    pub resolved: Vec<usize>,
}

fn inhibited(i: usize, t: f64, alerts: &[Alert], rules: &[InhibitRule]) -> bool {
    let target = &alerts[i];
    rules.iter().any(|r| {
        r.target_matchers.iter().all(|m| m.matches(&target.labels))
            && alerts.iter().enumerate().any(|(j, src)| {
                j != i
                    && src.firing_at(t)
                    && r.source_matchers.iter().all(|m| m.matches(&src.labels))
                    && r.equal
                        .iter()
                        .all(|l| src.labels.get(l) == target.labels.get(l))
            })
    })
}

/// The notifications Alertmanager sends for `alerts` until `until` (seconds; may be infinite
/// when every alert resolves).
///
/// Refused: an invalid route ([`Route::validate`]), alerts with non-finite times or ending
/// before they start, an infinite `until` while an alert never resolves (`unbounded`: the group
/// would repeat forever), and a timeline of more than [`MAX_STEPS`] group evaluations.
pub fn notifications(
    route: &Route,
    inhibit: &[InhibitRule],
    alerts: &[Alert],
    until: f64,
) -> Result<Vec<Notification>, Vec<Violation>> {
    let mut problems = route.validate().err().unwrap_or_default();
    check_until(until, &mut problems);
    check_alerts(alerts, &mut problems);
    if until == f64::INFINITY && alerts.iter().any(|a| a.ends_at.is_none()) {
        problems.push(violation(
            "until",
            "unbounded",
            "expected a finite `until`: an alert that never resolves is notified again every repeat_interval forever".into(),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut steps = 0usize;
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, a) in alerts.iter().enumerate() {
        let key: Vec<String> = route
            .group_by
            .iter()
            .map(|l| a.labels.get(l).cloned().unwrap_or_default())
            .collect();
        groups.entry(key).or_default().push(i);
    }
    let mut out = Vec::new();
    for (key, members) in groups {
        let group: BTreeMap<String, String> = route
            .group_by
            .iter()
            .cloned()
            .zip(key.iter().cloned())
            .filter(|(_, v)| !v.is_empty())
            .collect();
        // Notification log entry: (time, firing set, resolved set).
        let mut log: Option<(f64, BTreeSet<usize>, BTreeSet<usize>)> = None;
        let mut done: BTreeSet<usize> = BTreeSet::new(); // resolved and flushed: left the group
        let mut starts: Vec<f64> = members.iter().map(|&i| alerts[i].starts_at).collect();
        starts.sort_by(f64::total_cmp);
        let mut pending = starts.into_iter().peekable();
        // Each life of the group: from its first alert to when it empties.
        while let Some(first) = pending.next() {
            if first > until {
                break;
            }
            let mut t = first + route.group_wait;
            loop {
                if t > until {
                    break;
                }
                steps += 1;
                if steps > MAX_STEPS {
                    return Err(too_long("group evaluations"));
                }
                let present: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&i| alerts[i].starts_at <= t && !done.contains(&i))
                    .collect();
                let firing: BTreeSet<usize> = present
                    .iter()
                    .copied()
                    .filter(|&i| alerts[i].firing_at(t) && !inhibited(i, t, alerts, inhibit))
                    .collect();
                let resolved: BTreeSet<usize> = present
                    .iter()
                    .copied()
                    .filter(|&i| !alerts[i].firing_at(t))
                    .collect();
                let notify = match &log {
                    None => !firing.is_empty(),
                    Some((at, f, r)) => {
                        if !firing.is_subset(f) {
                            true
                        } else if firing.is_empty() {
                            !f.is_empty()
                        } else if route.send_resolved && !resolved.is_subset(r) {
                            true
                        } else {
                            *at + route.repeat_interval <= t
                        }
                    }
                };
                if notify {
                    out.push(Notification {
                        at: t,
                        group: group.clone(),
                        firing: firing.iter().copied().collect(),
                        resolved: if route.send_resolved {
                            resolved.iter().copied().collect()
                        } else {
                            Vec::new()
                        },
                    });
                    log = Some((t, firing.clone(), resolved.clone()));
                }
                // Resolved alerts leave the group after a flush.
                done.extend(resolved.iter().copied());
                let remaining = members
                    .iter()
                    .any(|&i| alerts[i].starts_at <= t && !done.contains(&i));
                if !remaining {
                    break;
                }
                t += route.group_interval;
            }
            // Skip alerts that arrived while this life of the group was running.
            while pending.peek().is_some_and(|&s| s <= t) {
                pending.next();
            }
        }
    }
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    Ok(out)
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
                    .is_none_or(|m| m.matches(&alert.labels));
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
