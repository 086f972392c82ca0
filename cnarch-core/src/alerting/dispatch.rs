//! Alertmanager's dispatcher in virtual time: which notifications each receiver's
//! integrations get, when, with which alerts (`dispatch/dispatch.go` and the notification
//! pipeline of `notify/notify.go`, 0.25).
//!
//! Each alert reaches the routes [`Config::matching`] gives. On each route, alerts with the
//! same group labels form an aggregation group:
//!
//! - **Flush lattice.** A new group flushes `group_wait` after its first alert, then every
//!   `group_interval` after that while it exists (`aggrGroup.run`); an alert joining an existing
//!   group waits for the group's next flush.
//! - **Cleanup.** A flush removes the alerts it found resolved; a group left empty lives on
//!   until the dispatcher's next 30 s cleanup tick (counted from the dispatcher's `start`), so an
//!   alert arriving before that joins the old schedule instead of waiting `group_wait`.
//! - **Identity.** An alert is its label set: the same labels firing again are the same alert
//!   (a re-fire before the resolved flush replaces it, and the old episode is never listed as
//!   resolved).
//! - **Pipeline per flush.** Inhibited alerts are dropped, firing or resolved (`MuteStage`);
//!   then the route's active and mute time intervals; if nothing is left, nothing happens (the
//!   notification log is not written). Then per integration of the route's receiver the
//!   `DedupStage` decides: with no log entry, notify if something fires; notify if a firing
//!   alert is not in the last notification; when nothing fires, notify only if the last
//!   notification had firing alerts (the all-clear); with `send_resolved`, notify if a resolved
//!   alert is new; otherwise notify once the last notification is *strictly* older than
//!   `repeat_interval`. An integration without `send_resolved` sends only the firing alerts and
//!   sends nothing when none fire (the log is still written, `RetryStage`).
//! - **Notification log.** Entries are kept per receiver integration and group key (route key
//!   and group labels) and expire after `min(2 × repeat_interval, retention)`; expired entries
//!   are removed at the 15-minute maintenance ticks (counted from `start`).
//! - **Inhibition** ([`mutes`]): a target alert is muted while a firing alert that matches the
//!   rule's source matchers has the same values of the `equal` labels (absent = `""`); when the
//!   target itself matches the source matchers, sources that also match the target matchers do
//!   not count.
//!
//! At one instant, alerts arrive first, then groups flush (in route order), then the cleanup
//! runs. Times are seconds; an alert is received at `starts_at` and its resolution at `ends_at`
//! (as a Prometheus that keeps re-sending its alerts delivers them).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::config::{Config, InhibitRule};
use super::matcher::all_match;
use super::routing::{Alert, MAX_STEPS};
use super::timeinterval::any_contains;
use crate::error::Violation;

/// The dispatcher's cleanup period (`dispatch.go`: a 30 s ticker).
pub const CLEANUP_INTERVAL: f64 = 30.0;
/// The notification log's maintenance period (`--data.maintenance-interval`, 15 min).
pub const MAINTENANCE_INTERVAL: f64 = 900.0;
/// The notification log's retention (`--data.retention`, 120 h).
pub const RETENTION: f64 = 432_000.0;

/// Options of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DispatchOptions {
    /// When the dispatcher started (seconds): the phase of the cleanup and maintenance ticks.
    pub start: f64,
    /// The notification log's retention in seconds.
    pub retention: f64,
}

impl Default for DispatchOptions {
    fn default() -> Self {
        DispatchOptions {
            start: 0.0,
            retention: RETENTION,
        }
    }
}

/// One notification sent by one integration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    /// When (seconds).
    pub at: f64,
    /// The receiver (empty for a flat route without receivers).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub receiver: String,
    /// The integration (`webhook_configs[0]`; empty for a flat route).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub integration: String,
    /// The route's path in the config (`route.routes[0]`; empty for a flat route).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub route: String,
    /// The group's labels.
    pub group: BTreeMap<String, String>,
    /// Firing alerts sent (indices into the input).
    pub firing: Vec<usize>,
    /// Resolved alerts sent (indices).
    pub resolved: Vec<usize>,
}

type Labels = BTreeMap<String, String>;

struct Group {
    route: usize,
    labels: Labels,
    /// The current episode of each alert (by label set).
    alerts: BTreeMap<Labels, usize>,
    next: f64,
}

struct Entry {
    at: f64,
    firing: BTreeSet<Labels>,
    resolved: BTreeSet<Labels>,
    expires: f64,
}

fn firing_at(a: &Alert, t: f64) -> bool {
    a.firing_at(t)
}

/// Whether `labels` are muted at `t` by `rules`, with `alerts` the alerts received so far
/// (`inhibit.Inhibitor.Mutes`).
pub fn mutes(rules: &[InhibitRule], alerts: &[Alert], labels: &Labels, t: f64) -> bool {
    rules.iter().any(|r| {
        if !all_match(&r.target_matchers, labels) {
            return false;
        }
        let two_sided = all_match(&r.source_matchers, labels);
        alerts.iter().any(|src| {
            firing_at(src, t)
                && all_match(&r.source_matchers, &src.labels)
                && r.equal.iter().all(|l| {
                    src.labels.get(l).map_or("", String::as_str)
                        == labels.get(l).map_or("", String::as_str)
                })
                && !(two_sided && all_match(&r.target_matchers, &src.labels))
        })
    })
}

/// The first tick `start + k·period` at or after `t`.
fn tick_at_or_after(start: f64, period: f64, t: f64) -> f64 {
    start + ((t - start) / period).ceil() * period
}

fn check(alerts: &[Alert], until: f64, opts: &DispatchOptions) -> Vec<Violation> {
    let mut out = Vec::new();
    if until.is_nan() {
        out.push(Violation::at(
            "until",
            "invalid_value",
            "expected a time in seconds, found NaN",
        ));
    }
    if !opts.start.is_finite() {
        out.push(Violation::at(
            "start",
            "invalid_value",
            format!("expected a finite time in seconds, found {}", opts.start),
        ));
    }
    if !(opts.retention.is_finite() && opts.retention > 0.0) {
        out.push(Violation::at(
            "retention",
            "invalid_value",
            format!(
                "expected a finite duration above zero, found {}",
                opts.retention
            ),
        ));
    }
    let mut by_labels: BTreeMap<&Labels, Vec<usize>> = BTreeMap::new();
    for (i, a) in alerts.iter().enumerate() {
        if !a.starts_at.is_finite() {
            out.push(Violation::at(
                format!("alerts[{i}].starts_at"),
                "invalid_value",
                format!("expected a finite time in seconds, found {}", a.starts_at),
            ));
        }
        if let Some(e) = a.ends_at {
            if !e.is_finite() || e < a.starts_at {
                out.push(Violation::at(
                    format!("alerts[{i}].ends_at"),
                    "invalid_value",
                    format!(
                        "expected a finite time at or after starts_at ({}), found {e}",
                        a.starts_at
                    ),
                ));
            }
        }
        if a.labels.is_empty() {
            out.push(Violation::at(
                format!("alerts[{i}].labels"),
                "required",
                "expected at least one label (Alertmanager refuses alerts without labels)",
            ));
        }
        for k in a.labels.keys() {
            if !super::matcher::is_label_name(k) {
                out.push(Violation::at(
                    format!("alerts[{i}].labels.{k}"),
                    "invalid_label_name",
                    format!("expected a label name matching `[a-zA-Z_][a-zA-Z0-9_]*`, found `{k}`"),
                ));
            }
        }
        by_labels.entry(&a.labels).or_default().push(i);
    }
    if !out.is_empty() {
        return out;
    }
    for idx in by_labels.values_mut() {
        idx.sort_by(|&x, &y| alerts[x].starts_at.total_cmp(&alerts[y].starts_at));
        for w in idx.windows(2) {
            let (a, b) = (&alerts[w[0]], &alerts[w[1]]);
            if a.ends_at.is_none_or(|e| e > b.starts_at) {
                out.push(Violation::at(
                    format!("alerts[{}]", w[1]),
                    "overlapping_alerts",
                    format!(
                        "expected episodes of the same labels one after another, found it starting at {} while alerts[{}] still fires",
                        b.starts_at, w[0]
                    ),
                ));
            }
        }
    }
    if until == f64::INFINITY && alerts.iter().any(|a| a.ends_at.is_none()) {
        out.push(Violation::at(
            "until",
            "unbounded",
            "expected a finite `until`: an alert that never resolves is notified again every repeat_interval forever",
        ));
    }
    out
}

/// Every notification of `config` for `alerts` up to `until` (seconds), in time order (then
/// route order, group labels, receiver integration).
///
/// Refused: alerts with non-finite times, ending before they start, without labels or with
/// invalid label names, episodes of the same labels that overlap, an infinite `until` while an
/// alert never resolves (`unbounded`), and more than [`MAX_STEPS`] flushes (`timeline_too_long`).
pub fn timeline(
    config: &Config,
    alerts: &[Alert],
    until: f64,
    opts: &DispatchOptions,
) -> Result<Vec<Notification>, Vec<Violation>> {
    let problems = check(alerts, until, opts);
    if !problems.is_empty() {
        return Err(problems);
    }
    let routes_of: Vec<Vec<usize>> = alerts.iter().map(|a| config.matching(&a.labels)).collect();
    let mut arrivals: Vec<usize> = (0..alerts.len()).collect();
    arrivals.sort_by(|&x, &y| {
        alerts[x]
            .starts_at
            .total_cmp(&alerts[y].starts_at)
            .then(x.cmp(&y))
    });
    let mut next_arrival = 0usize;
    // Groups by (route, group labels); BTreeMap keeps route order for ties.
    let mut groups: BTreeMap<(usize, Labels), Group> = BTreeMap::new();
    let mut log: BTreeMap<(String, String, Labels), Entry> = BTreeMap::new();
    let mut out = Vec::new();
    let mut steps = 0usize;
    let mut last: Option<f64> = None;
    loop {
        let ta = arrivals
            .get(next_arrival)
            .map_or(f64::INFINITY, |&i| alerts[i].starts_at);
        let tf = groups
            .values()
            .map(|g| g.next)
            .fold(f64::INFINITY, f64::min);
        // After an instant is processed, an empty group remains only if that instant was not
        // a cleanup tick; the next tick removes it.
        let tc = match (groups.values().any(|g| g.alerts.is_empty()), last) {
            (true, Some(l)) => tick_at_or_after(opts.start, CLEANUP_INTERVAL, l),
            _ => f64::INFINITY,
        };
        let t = ta.min(tf).min(tc);
        if t > until || t == f64::INFINITY {
            break;
        }
        last = Some(t);
        // Arrivals at t.
        while let Some(&i) = arrivals.get(next_arrival) {
            if alerts[i].starts_at != t {
                break;
            }
            next_arrival += 1;
            for &r in &routes_of[i] {
                let node = &config.routes[r];
                let gl = node.group_by.group_labels(&alerts[i].labels);
                let g = groups.entry((r, gl.clone())).or_insert_with(|| Group {
                    route: r,
                    labels: gl,
                    alerts: BTreeMap::new(),
                    next: t + node.group_wait,
                });
                g.alerts.insert(alerts[i].labels.clone(), i);
            }
        }
        // Flushes at t.
        for g in groups.values_mut().filter(|g| g.next == t) {
            steps += 1;
            if steps > MAX_STEPS {
                return Err(vec![Violation::at(
                    "until",
                    "timeline_too_long",
                    format!("the timeline needs more than {MAX_STEPS} group flushes before `until`; give a nearer `until`"),
                )]);
            }
            g.next = t + config.routes[g.route].group_interval;
            if g.alerts.is_empty() {
                continue;
            }
            flush(config, alerts, g, t, opts, &mut log, &mut out);
            g.alerts.retain(|_, &mut i| firing_at(&alerts[i], t));
        }
        // The dispatcher's cleanup at its ticks.
        if tick_at_or_after(opts.start, CLEANUP_INTERVAL, t) == t {
            groups.retain(|_, g| !g.alerts.is_empty());
        }
    }
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    Ok(out)
}

fn flush(
    config: &Config,
    alerts: &[Alert],
    g: &Group,
    t: f64,
    opts: &DispatchOptions,
    log: &mut BTreeMap<(String, String, Labels), Entry>,
    out: &mut Vec<Notification>,
) {
    let node = &config.routes[g.route];
    // MuteStage (inhibition), then the time intervals.
    let kept: Vec<(&Labels, usize)> = g
        .alerts
        .iter()
        .filter(|(l, _)| !mutes(&config.inhibit_rules, alerts, l, t))
        .map(|(l, &i)| (l, i))
        .collect();
    if kept.is_empty() {
        return;
    }
    if !node.active_time_intervals.is_empty()
        && !node.active_time_intervals.iter().any(|n| {
            config
                .time_intervals
                .get(n)
                .is_some_and(|l| any_contains(l, t))
        })
    {
        return;
    }
    if node.mute_time_intervals.iter().any(|n| {
        config
            .time_intervals
            .get(n)
            .is_some_and(|l| any_contains(l, t))
    }) {
        return;
    }
    let Some(receiver) = config.receiver(&node.receiver) else {
        return;
    };
    let firing: BTreeSet<Labels> = kept
        .iter()
        .filter(|(_, i)| firing_at(&alerts[*i], t))
        .map(|(l, _)| (*l).clone())
        .collect();
    let resolved: BTreeSet<Labels> = kept
        .iter()
        .filter(|(_, i)| !firing_at(&alerts[*i], t))
        .map(|(l, _)| (*l).clone())
        .collect();
    for integ in &receiver.integrations {
        let k = (
            format!("{}/{}", receiver.name, integ.name),
            node.key.clone(),
            g.labels.clone(),
        );
        // Maintenance removes an entry at the first tick at or after it expires.
        if let Some(e) = log.get(&k) {
            if tick_at_or_after(opts.start, MAINTENANCE_INTERVAL, e.expires) <= t {
                log.remove(&k);
            }
        }
        let entry = log.get(&k);
        let needs = match entry {
            None => !firing.is_empty(),
            Some(e) => {
                if !firing.is_subset(&e.firing) {
                    true
                } else if firing.is_empty() {
                    !e.firing.is_empty()
                } else if integ.send_resolved && !resolved.is_subset(&e.resolved) {
                    true
                } else {
                    e.at < t - node.repeat_interval
                }
            }
        };
        if !needs {
            continue;
        }
        let sent_any = integ.send_resolved || !firing.is_empty();
        if sent_any {
            let idx = |set: &BTreeSet<Labels>| -> Vec<usize> {
                let mut v: Vec<usize> = kept
                    .iter()
                    .filter(|(l, _)| set.contains(*l))
                    .map(|(_, i)| *i)
                    .collect();
                v.sort_unstable();
                v
            };
            out.push(Notification {
                at: t,
                receiver: receiver.name.clone(),
                integration: integ.name.clone(),
                route: node.path.clone(),
                group: g.labels.clone(),
                firing: idx(&firing),
                resolved: if integ.send_resolved {
                    idx(&resolved)
                } else {
                    Vec::new()
                },
            });
        }
        let expiry = (2.0 * node.repeat_interval).min(opts.retention);
        log.insert(
            k,
            Entry {
                at: t,
                firing: firing.clone(),
                resolved: resolved.clone(),
                expires: t + expiry,
            },
        );
    }
}
