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

/// The notifications Alertmanager sends for `alerts` until `until` (seconds).
pub fn notifications(
    route: &Route,
    inhibit: &[InhibitRule],
    alerts: &[Alert],
    until: f64,
) -> Vec<Notification> {
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
    out
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

    /// The notices for `alert` until it resolves or `until` (seconds).
    pub fn notices(&self, alert: &Alert, until: f64) -> Vec<Escalation> {
        let mut out = Vec::new();
        if self.steps.is_empty() {
            return out;
        }
        let end = alert.ends_at.unwrap_or(f64::INFINITY).min(until);
        let rounds = if self.repeat {
            self.max_repeat.map_or(u32::MAX, |n| n.saturating_add(1))
        } else {
            1
        };
        let mut t = alert.starts_at;
        'outer: for round in 0..rounds {
            for (i, s) in self.steps.iter().enumerate() {
                t += s.delay.max(0.0);
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
        out
    }
}
