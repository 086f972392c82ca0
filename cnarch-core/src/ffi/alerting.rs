//! Alertmanager for hosts: matcher lists, configurations (YAML text or the same structure as
//! data, keys as Alertmanager spells them in every language), the routes an alert takes, and
//! notification timelines in the host's time unit.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Error, Host};
use crate::alerting::config::{Config, Grouping, RouteNode};
use crate::alerting::dispatch::{DispatchOptions, Notification};
use crate::alerting::matcher::{parse_matchers as parse_list, Matcher};
use crate::alerting::routing::Alert;
use crate::error::{InvalidInput, Violation};

/// One parsed matcher.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatcherOut {
    /// The label name.
    pub name: String,
    /// `=`, `!=`, `=~` or `!~`.
    pub op: String,
    /// The value (unescaped), or the regular expression.
    pub value: String,
    /// The matcher as Alertmanager prints it (`name="value"`).
    pub text: String,
}

impl From<&Matcher> for MatcherOut {
    fn from(m: &Matcher) -> Self {
        MatcherOut {
            name: m.name.clone(),
            op: m.kind.as_str().to_string(),
            value: m.value.clone(),
            text: m.to_string(),
        }
    }
}

/// A matcher list as Alertmanager's `ParseMatchers` reads it (`{a="b", c=~"d.*"}`).
pub fn parse_matchers(host: Host, text: &Value) -> Result<Vec<MatcherOut>, Error> {
    Ok(matcher_list(host, text)?
        .iter()
        .map(MatcherOut::from)
        .collect())
}

/// The `text` argument as a parsed matcher list; anything but a string is a type error.
fn matcher_list(host: Host, text: &Value) -> Result<Vec<Matcher>, Error> {
    let Value::String(t) = text else {
        return Err(Error::type_error(
            "text",
            "a matcher list string",
            super::kind_of(text),
        ));
    };
    parse_list(t).map_err(|e| host.error(&e))
}

/// Whether every matcher of the list `text` matches `labels`.
pub fn matches(host: Host, text: &Value, labels: &Value) -> Result<bool, Error> {
    let ms = matcher_list(host, text)?;
    let labels = label_set(host, labels, "labels")?;
    Ok(crate::alerting::matcher::all_match(&ms, &labels))
}

/// An Alertmanager configuration: its YAML text, or the same structure as data.
pub fn config(host: Host, v: &Value) -> Result<Config, Error> {
    match v {
        Value::String(text) => Config::from_yaml(text).map_err(|e| host.error(&e)),
        Value::Object(_) => {
            Config::from_value(v).map_err(|violations| host.error(&InvalidInput { violations }))
        }
        other => Err(Error::type_error(
            "config",
            "Alertmanager's YAML configuration or a mapping",
            super::kind_of(other),
        )),
    }
}

fn label_set(host: Host, v: &Value, path: &str) -> Result<BTreeMap<String, String>, Error> {
    super::read(host, v, path, &[])
}

/// One route an alert takes, with its effective settings (times in the host's unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteOut {
    /// The route's place in the configuration (`route`, `route.routes[0]`).
    pub path: String,
    /// The receiver.
    pub receiver: String,
    /// The grouping labels, sorted; `["..."]` groups by every label, `[]` puts every alert of
    /// the route in one group.
    pub group_by: Vec<String>,
    /// The alert's group: its values of the grouping labels.
    pub group: BTreeMap<String, String>,
    /// Host unit.
    pub group_wait: f64,
    /// Host unit.
    pub group_interval: f64,
    /// Host unit.
    pub repeat_interval: f64,
    /// The route's own matchers, as Alertmanager prints them.
    pub matchers: Vec<String>,
    /// Whether matching went on to the next sibling after this route.
    #[serde(rename = "continue")]
    pub continue_matching: bool,
    /// Time intervals when the route's notifications are muted.
    pub mute_time_intervals: Vec<String>,
    /// Time intervals outside which the route's notifications are muted.
    pub active_time_intervals: Vec<String>,
}

fn route_out(host: Host, n: &RouteNode, labels: &BTreeMap<String, String>) -> RouteOut {
    let s = 1.0 / host.unit_seconds();
    RouteOut {
        path: n.path.clone(),
        receiver: n.receiver.clone(),
        group_by: match &n.group_by {
            Grouping::All => vec!["...".to_string()],
            Grouping::Labels(l) => l.iter().cloned().collect(),
        },
        group: n.group_by.group_labels(labels),
        group_wait: n.group_wait * s,
        group_interval: n.group_interval * s,
        repeat_interval: n.repeat_interval * s,
        matchers: n.matchers.iter().map(Matcher::to_string).collect(),
        continue_matching: n.continue_matching,
        mute_time_intervals: n.mute_time_intervals.clone(),
        active_time_intervals: n.active_time_intervals.clone(),
    }
}

/// The routes an alert with `labels` takes, in Alertmanager's order.
pub fn routes(host: Host, config: &Config, labels: &Value) -> Result<Vec<RouteOut>, Error> {
    let labels = label_set(host, labels, "labels")?;
    Ok(config
        .matching(&labels)
        .into_iter()
        .map(|i| route_out(host, &config.routes[i], &labels))
        .collect())
}

/// The receivers' names an alert with `labels` reaches (each once, in route order).
pub fn receivers(host: Host, config: &Config, labels: &Value) -> Result<Vec<String>, Error> {
    let mut out: Vec<String> = Vec::new();
    for r in routes(host, config, labels)? {
        if !out.contains(&r.receiver) {
            out.push(r.receiver);
        }
    }
    Ok(out)
}

fn alerts(host: Host, v: &Value) -> Result<Vec<Alert>, Error> {
    let v = super::slo::routing_seconds(host, host.input(v.clone(), &["labels"]));
    crate::validate::schema::read_input(&v, "alerts").map_err(|e| {
        host.error(&InvalidInput {
            violations: vec![e],
        })
    })
}

/// Whether the inhibit rules of `config` mute `labels` at `at` (host unit), given the alerts
/// received so far.
pub fn inhibited(
    host: Host,
    config: &Config,
    alerts_v: &Value,
    labels: &Value,
    at: f64,
) -> Result<bool, Error> {
    let a = alerts(host, alerts_v)?;
    let labels = label_set(host, labels, "labels")?;
    let t = at * host.unit_seconds();
    if !t.is_finite() {
        return Err(host.error(&InvalidInput {
            violations: vec![Violation::invalid_value(
                "at",
                format!("expected a finite time, found {at}"),
            )],
        }));
    }
    Ok(crate::alerting::dispatch::mutes(
        &config.inhibit_rules,
        &a,
        &labels,
        t,
    ))
}

/// The notifications Alertmanager sends for `alerts` (`labels`, `starts_at`, `ends_at` in the
/// host's unit) up to `until`, with the dispatcher started at `start` (default 0).
pub fn timeline(
    host: Host,
    config: &Config,
    alerts_v: &Value,
    until: f64,
    start: Option<f64>,
) -> Result<Vec<Notification>, Error> {
    let a = alerts(host, alerts_v)?;
    let k = host.unit_seconds();
    let opts = DispatchOptions {
        start: start.unwrap_or(0.0) * k,
        ..DispatchOptions::default()
    };
    let mut out = crate::alerting::dispatch::timeline(config, &a, until * k, &opts)
        .map_err(|violations| host.error(&InvalidInput { violations }))?;
    for n in out.iter_mut() {
        n.at /= k;
    }
    Ok(out)
}
