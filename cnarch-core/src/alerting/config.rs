//! Alertmanager's configuration: the routing tree, receivers, inhibit rules and time
//! intervals, read from Alertmanager's own YAML (`config/config.go` `Load`, 0.25) and built
//! as `dispatch.NewRoute` builds it.
//!
//! **Reading.** Unknown keys are errors (Alertmanager reads with `UnmarshalStrict`). `global`
//! and `templates` are accepted and not read; a receiver's integration settings
//! (`webhook_configs`, `slack_configs`, …) are read only for `send_resolved`, whose default is
//! the integration's (`true` for webhook, PagerDuty, OpsGenie, VictorOps, Pushover, SNS,
//! Telegram, Discord and Webex; `false` for email, Slack and WeChat).
//!
//! **Checks** (each as Alertmanager): a route is required; the root route names a receiver
//! and has no matchers, no `continue`, no time intervals; every receiver a route names exists;
//! receiver and time-interval names are unique; `group_by` holds label names
//! (`[a-zA-Z_][a-zA-Z0-9_]*`), no label twice, and `...` only alone; `group_interval` and
//! `repeat_interval` are not zero; `match` and `source_match`/`target_match` keys are label
//! names; `equal` holds label names; every time interval a route names exists.
//!
//! **Building** (`dispatch.NewRoute`): a route starts from its parent's settings (the root
//! from group_wait 30 s, group_interval 5 m, repeat_interval 4 h, no grouping labels) and
//! overrides what it sets. `group_by` omitted (or empty) keeps the parent's grouping: at the
//! root that is one group for all alerts; `['...']` groups by every label. Time intervals are
//! not inherited. Matchers are `match` (equality), `match_re` (anchored regex) and `matchers`
//! (Alertmanager's matcher lists, [`super::matcher`]), sorted as Alertmanager sorts them.
//!
//! **Matching** ([`Config::matching`], `Route.Match`): depth first, left to right; a route
//! whose matchers hold tries its children in order and stops after the first that matches
//! unless that child has `continue: true`; a route none of whose children matched is itself a
//! match.
//!
//! ```
//! use std::collections::BTreeMap;
//! use cnarch_core::alerting::config::Config;
//! let cfg = Config::from_yaml(r#"
//! route:
//!   receiver: default
//!   group_by: [alertname]
//!   routes:
//!     - matchers: ['severity="page"']
//!       receiver: pager
//!       continue: true
//!     - matchers: ['team=~"db|storage"']
//!       receiver: db
//! receivers: [{name: default}, {name: pager}, {name: db}]
//! "#).unwrap();
//! let labels = BTreeMap::from([
//!     ("alertname".to_string(), "DiskFull".to_string()),
//!     ("severity".to_string(), "page".to_string()),
//!     ("team".to_string(), "db".to_string()),
//! ]);
//! let receivers: Vec<&str> = cfg.matching(&labels).iter().map(|&r| cfg.routes[r].receiver.as_str()).collect();
//! assert_eq!(receivers, ["pager", "db"]);
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::matcher::{
    is_label_name, list_string, parse_matchers, sort_matchers, MatchType, Matcher,
};
use super::timeinterval::TimeInterval;
use crate::duration::PromDuration;
use crate::error::{LoadError, Violation};

/// How a route groups alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Grouping {
    /// By these labels (none: one group for every alert of the route).
    Labels(BTreeSet<String>),
    /// By every label (`group_by: ['...']`).
    All,
}

impl Grouping {
    /// The group labels of an alert.
    pub fn group_labels(&self, labels: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        match self {
            Grouping::All => labels.clone(),
            Grouping::Labels(names) => labels
                .iter()
                .filter(|(k, _)| names.contains(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}

/// A node of the routing tree with its effective settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteNode {
    /// Where it is in the config (`route`, `route.routes[1].routes[0]`).
    pub path: String,
    /// Alertmanager's route key (`{}/{severity="page"}`); groups of routes with the same key
    /// share notification-log entries, as in Alertmanager.
    pub key: String,
    /// The receiver (inherited when not set).
    pub receiver: String,
    /// Grouping (inherited when not set).
    pub group_by: Grouping,
    /// Seconds.
    pub group_wait: f64,
    /// Seconds.
    pub group_interval: f64,
    /// Seconds.
    pub repeat_interval: f64,
    /// The route's matchers, in Alertmanager's order.
    pub matchers: Vec<Matcher>,
    /// Keep matching siblings after this one matched.
    pub continue_matching: bool,
    /// Time intervals when notifications are muted (not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Time intervals outside which notifications are muted (not inherited).
    pub active_time_intervals: Vec<String>,
    /// Child routes (indices into [`Config::routes`]).
    pub children: Vec<usize>,
}

/// One integration of a receiver (`webhook_configs[0]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Integration {
    /// Its key and index as written (`webhook_configs[0]`).
    pub name: String,
    /// Whether resolved alerts are sent.
    pub send_resolved: bool,
}

/// A receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receiver {
    /// The name.
    pub name: String,
    /// Its integrations; a receiver without any sends nothing.
    pub integrations: Vec<Integration>,
}

/// An inhibit rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct InhibitRule {
    /// Matchers of the inhibiting alert.
    pub source_matchers: Vec<Matcher>,
    /// Matchers of the muted alert.
    pub target_matchers: Vec<Matcher>,
    /// Labels whose values must be equal (an absent label equals `""`).
    pub equal: Vec<String>,
}

/// A loaded Alertmanager configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The routing tree, depth first; `routes[0]` is the root.
    pub routes: Vec<RouteNode>,
    /// Receivers, in config order.
    pub receivers: Vec<Receiver>,
    /// Inhibit rules, in config order.
    pub inhibit_rules: Vec<InhibitRule>,
    /// Named time intervals (`time_intervals` and the older `mute_time_intervals`).
    pub time_intervals: BTreeMap<String, Vec<TimeInterval>>,
}

/// The integration keys of a receiver and their `send_resolved` defaults
/// (`config/notifiers.go`).
const INTEGRATIONS: [(&str, bool); 12] = [
    ("discord_configs", true),
    ("email_configs", false),
    ("pagerduty_configs", true),
    ("slack_configs", false),
    ("webhook_configs", true),
    ("opsgenie_configs", true),
    ("wechat_configs", false),
    ("pushover_configs", true),
    ("victorops_configs", true),
    ("sns_configs", true),
    ("telegram_configs", true),
    ("webex_configs", true),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    global: Option<Value>,
    #[serde(default)]
    route: Option<RawRoute>,
    #[serde(default)]
    receivers: Option<Vec<serde_json::Map<String, Value>>>,
    #[serde(default)]
    inhibit_rules: Option<Vec<RawInhibit>>,
    #[serde(default)]
    mute_time_intervals: Option<Vec<RawNamedInterval>>,
    #[serde(default)]
    time_intervals: Option<Vec<RawNamedInterval>>,
    #[serde(default)]
    templates: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    #[serde(default)]
    receiver: Option<String>,
    #[serde(default)]
    group_by: Option<Vec<String>>,
    #[serde(default, rename = "match")]
    match_eq: Option<BTreeMap<String, String>>,
    #[serde(default)]
    match_re: Option<BTreeMap<String, String>>,
    #[serde(default)]
    matchers: Option<Vec<String>>,
    #[serde(default)]
    mute_time_intervals: Option<Vec<String>>,
    #[serde(default)]
    active_time_intervals: Option<Vec<String>>,
    #[serde(default, rename = "continue")]
    continue_matching: Option<bool>,
    #[serde(default)]
    routes: Option<Vec<RawRoute>>,
    #[serde(default)]
    group_wait: Option<PromDuration>,
    #[serde(default)]
    group_interval: Option<PromDuration>,
    #[serde(default)]
    repeat_interval: Option<PromDuration>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawInhibit {
    #[serde(default)]
    source_match: Option<BTreeMap<String, String>>,
    #[serde(default)]
    source_match_re: Option<BTreeMap<String, String>>,
    #[serde(default)]
    source_matchers: Option<Vec<String>>,
    #[serde(default)]
    target_match: Option<BTreeMap<String, String>>,
    #[serde(default)]
    target_match_re: Option<BTreeMap<String, String>>,
    #[serde(default)]
    target_matchers: Option<Vec<String>>,
    #[serde(default)]
    equal: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamedInterval {
    #[serde(default)]
    name: String,
    #[serde(default)]
    time_intervals: Vec<Value>,
}

/// Route defaults of Alertmanager's root (`dispatch.DefaultRouteOpts`), in seconds.
pub const DEFAULT_GROUP_WAIT: f64 = 30.0;
/// Seconds.
pub const DEFAULT_GROUP_INTERVAL: f64 = 300.0;
/// Seconds.
pub const DEFAULT_REPEAT_INTERVAL: f64 = 14_400.0;

fn secs(d: &PromDuration) -> f64 {
    d.as_duration().as_secs_f64()
}

/// Reads `match`/`match_re`/`matchers` into one sorted list.
fn route_matchers(
    eq: Option<&BTreeMap<String, String>>,
    re: Option<&BTreeMap<String, String>>,
    lists: Option<&Vec<String>>,
    prefix: &str,
    names: (&str, &str, &str),
    out: &mut Vec<Violation>,
) -> Vec<Matcher> {
    let mut ms = Vec::new();
    for (k, v) in eq.into_iter().flatten() {
        if !is_label_name(k) {
            out.push(Violation::at(
                format!("{prefix}{}.{k}", names.0),
                "invalid_label_name",
                format!("expected a label name matching `[a-zA-Z_][a-zA-Z0-9_]*`, found `{k}`"),
            ));
            continue;
        }
        if let Ok(m) = Matcher::new(MatchType::Equal, k, v) {
            ms.push(m);
        }
    }
    for (k, v) in re.into_iter().flatten() {
        // `config.Regexp` compiles `^(?:v)$` and hands that text on as the matcher's value.
        match Matcher::new(MatchType::Regexp, k, &format!("^(?:{v})$")) {
            Ok(m) => ms.push(m),
            Err(e) => out.push(Violation::at(
                format!("{prefix}{}.{k}", names.1),
                e.code(),
                e.to_string(),
            )),
        }
    }
    for (i, line) in lists.into_iter().flatten().enumerate() {
        match parse_matchers(line) {
            Ok(mut m) => ms.append(&mut m),
            Err(e) => out.push(Violation::at(
                format!("{prefix}{}[{i}]", names.2),
                e.code(),
                e.to_string(),
            )),
        }
    }
    sort_matchers(&mut ms);
    ms
}

fn label_names(list: &[String], path: &str, out: &mut Vec<Violation>) {
    for (i, l) in list.iter().enumerate() {
        if !is_label_name(l) {
            out.push(Violation::at(
                format!("{path}[{i}]"),
                "invalid_label_name",
                format!("expected a label name matching `[a-zA-Z_][a-zA-Z0-9_]*`, found `{l}`"),
            ));
        }
    }
}

struct Builder<'a> {
    routes: Vec<RouteNode>,
    out: &'a mut Vec<Violation>,
}

impl Builder<'_> {
    fn route(&mut self, raw: &RawRoute, path: String, parent: Option<usize>) -> usize {
        let base = parent.map(|p| self.routes[p].clone());
        let mut group_by = base
            .as_ref()
            .map_or_else(|| Grouping::Labels(BTreeSet::new()), |b| b.group_by.clone());
        if let Some(list) = &raw.group_by {
            let mut names = BTreeSet::new();
            let mut all = false;
            for (i, l) in list.iter().enumerate() {
                let at = format!("{path}.group_by[{i}]");
                if l == "..." {
                    all = true;
                } else if !is_label_name(l) {
                    self.out.push(Violation::at(
                        at,
                        "invalid_label_name",
                        format!("expected a label name matching `[a-zA-Z_][a-zA-Z0-9_]*` or `...`, found `{l}`"),
                    ));
                } else if !names.insert(l.clone()) {
                    self.out.push(Violation::at(
                        at,
                        "duplicate",
                        format!("expected each label once in group_by, found `{l}` twice"),
                    ));
                }
            }
            if all && !names.is_empty() {
                self.out.push(Violation::at(
                    format!("{path}.group_by"),
                    "invalid_value",
                    "expected `...` alone in group_by (it already groups by every label), found it with other labels".to_string(),
                ));
            }
            if !names.is_empty() {
                group_by = Grouping::Labels(names);
            } else if all {
                group_by = Grouping::All;
            }
        }
        for (name, d) in [
            ("group_interval", &raw.group_interval),
            ("repeat_interval", &raw.repeat_interval),
        ] {
            if d.as_ref().is_some_and(|d| d.as_millis() == 0) {
                self.out.push(Violation::at(
                    format!("{path}.{name}"),
                    "invalid_value",
                    format!("expected a duration above zero ({name} cannot be zero), found `0s`"),
                ));
            }
        }
        let matchers = route_matchers(
            raw.match_eq.as_ref(),
            raw.match_re.as_ref(),
            raw.matchers.as_ref(),
            &format!("{path}."),
            ("match", "match_re", "matchers"),
            self.out,
        );
        let key = match parent {
            Some(p) => format!("{}/{}", self.routes[p].key, list_string(&matchers)),
            None => list_string(&matchers),
        };
        let node = RouteNode {
            path: path.clone(),
            key,
            receiver: raw
                .receiver
                .clone()
                .filter(|r| !r.is_empty())
                .or_else(|| base.as_ref().map(|b| b.receiver.clone()))
                .unwrap_or_default(),
            group_by,
            group_wait: raw
                .group_wait
                .as_ref()
                .map(secs)
                .or(base.as_ref().map(|b| b.group_wait))
                .unwrap_or(DEFAULT_GROUP_WAIT),
            group_interval: raw
                .group_interval
                .as_ref()
                .map(secs)
                .or(base.as_ref().map(|b| b.group_interval))
                .unwrap_or(DEFAULT_GROUP_INTERVAL),
            repeat_interval: raw
                .repeat_interval
                .as_ref()
                .map(secs)
                .or(base.as_ref().map(|b| b.repeat_interval))
                .unwrap_or(DEFAULT_REPEAT_INTERVAL),
            matchers,
            continue_matching: raw.continue_matching.unwrap_or(false),
            mute_time_intervals: raw.mute_time_intervals.clone().unwrap_or_default(),
            active_time_intervals: raw.active_time_intervals.clone().unwrap_or_default(),
            children: Vec::new(),
        };
        let me = self.routes.len();
        self.routes.push(node);
        for (i, child) in raw.routes.iter().flatten().enumerate() {
            let c = self.route(child, format!("{path}.routes[{i}]"), Some(me));
            self.routes[me].children.push(c);
        }
        me
    }
}

fn receivers(raw: &[serde_json::Map<String, Value>], out: &mut Vec<Violation>) -> Vec<Receiver> {
    let mut seen = BTreeSet::new();
    let mut list = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let p = format!("receivers[{i}]");
        let name = match r.get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                out.push(Violation::at(
                    format!("{p}.name"),
                    "required",
                    "expected the receiver's name, found none".to_string(),
                ));
                continue;
            }
            Some(other) => {
                out.push(Violation::at(
                    format!("{p}.name"),
                    "invalid_type",
                    format!("expected a string, found {other}"),
                ));
                continue;
            }
        };
        if !seen.insert(name.clone()) {
            out.push(Violation::at(
                format!("{p}.name"),
                "duplicate",
                format!("expected unique receiver names, found `{name}` twice"),
            ));
        }
        let mut integrations = Vec::new();
        for (key, v) in r {
            if key == "name" {
                continue;
            }
            let Some(&(_, default)) = INTEGRATIONS.iter().find(|(k, _)| k == key) else {
                out.push(Violation::at(
                    format!("{p}.{key}"),
                    "unknown_field",
                    format!(
                        "expected `name` or an integration list ({}), found `{key}`",
                        INTEGRATIONS
                            .iter()
                            .map(|(k, _)| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                continue;
            };
            let items: &[Value] = match v {
                Value::Array(a) => a,
                Value::Null => &[],
                other => {
                    out.push(Violation::at(
                        format!("{p}.{key}"),
                        "invalid_type",
                        format!("expected a list of integration settings, found {other}"),
                    ));
                    continue;
                }
            };
            for (j, item) in items.iter().enumerate() {
                let send_resolved = match item.get("send_resolved") {
                    None | Some(Value::Null) => default,
                    Some(Value::Bool(b)) => *b,
                    Some(other) => {
                        out.push(Violation::at(
                            format!("{p}.{key}[{j}].send_resolved"),
                            "invalid_type",
                            format!("expected true or false, found {other}"),
                        ));
                        default
                    }
                };
                integrations.push(Integration {
                    name: format!("{key}[{j}]"),
                    send_resolved,
                });
            }
        }
        list.push(Receiver { name, integrations });
    }
    list
}

fn inhibit_rules(raw: &[RawInhibit], out: &mut Vec<Violation>) -> Vec<InhibitRule> {
    let mut rules = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let p = format!("inhibit_rules[{i}].");
        for (name, m) in [
            ("source_match", &r.source_match),
            ("target_match", &r.target_match),
        ] {
            for k in m.iter().flat_map(|m| m.keys()) {
                if !is_label_name(k) {
                    out.push(Violation::at(
                        format!("{p}{name}.{k}"),
                        "invalid_label_name",
                        format!(
                            "expected a label name matching `[a-zA-Z_][a-zA-Z0-9_]*`, found `{k}`"
                        ),
                    ));
                }
            }
        }
        let equal = r.equal.clone().unwrap_or_default();
        label_names(&equal, &format!("{p}equal"), out);
        let source_matchers = route_matchers(
            r.source_match.as_ref(),
            r.source_match_re.as_ref(),
            r.source_matchers.as_ref(),
            &p,
            ("source_match", "source_match_re", "source_matchers"),
            out,
        );
        let target_matchers = route_matchers(
            r.target_match.as_ref(),
            r.target_match_re.as_ref(),
            r.target_matchers.as_ref(),
            &p,
            ("target_match", "target_match_re", "target_matchers"),
            out,
        );
        rules.push(InhibitRule {
            source_matchers,
            target_matchers,
            equal,
        });
    }
    rules
}

fn check_references(
    routes: &[RouteNode],
    receivers: &[Receiver],
    intervals: &BTreeMap<String, Vec<TimeInterval>>,
    out: &mut Vec<Violation>,
) {
    let names: BTreeSet<&str> = receivers.iter().map(|r| r.name.as_str()).collect();
    for r in routes {
        if !r.receiver.is_empty() && !names.contains(r.receiver.as_str()) {
            out.push(Violation::at(
                format!("{}.receiver", r.path),
                "undefined_reference",
                format!(
                    "expected a receiver declared under `receivers`, found `{}`",
                    r.receiver
                ),
            ));
        }
        for (key, list) in [
            ("mute_time_intervals", &r.mute_time_intervals),
            ("active_time_intervals", &r.active_time_intervals),
        ] {
            for (i, t) in list.iter().enumerate() {
                if !intervals.contains_key(t) {
                    out.push(Violation::at(
                        format!("{}.{key}[{i}]", r.path),
                        "undefined_reference",
                        format!(
                            "expected a time interval declared under `time_intervals`, found `{t}`"
                        ),
                    ));
                }
            }
        }
    }
}

impl Config {
    /// Reads Alertmanager's YAML (or JSON) configuration.
    pub fn from_yaml(text: &str) -> Result<Config, LoadError> {
        crate::limits::check(text, &crate::limits::Limits::DEFAULT).map_err(|e| {
            LoadError::TooLarge {
                message: e.message,
                line: e.line,
                column: e.column,
            }
        })?;
        let value: Value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_norway::from_str(text).map_err(|e| {
                let loc = e.location();
                LoadError::Syntax {
                    message: e.to_string(),
                    line: loc.as_ref().map(|l| l.line()),
                    column: loc.as_ref().map(|l| l.column()),
                }
            })?
        };
        Config::from_value(&value).map_err(|violations| LoadError::Invalid { violations })
    }

    /// Reads the configuration from data (the YAML's structure as JSON).
    pub fn from_value(v: &Value) -> Result<Config, Vec<Violation>> {
        let raw: RawConfig = if v.is_null() {
            RawConfig {
                global: None,
                route: None,
                receivers: None,
                inhibit_rules: None,
                mute_time_intervals: None,
                time_intervals: None,
                templates: None,
            }
        } else {
            crate::validate::schema::read_input(v, "").map_err(|e| vec![e])?
        };
        let _ = (&raw.global, &raw.templates);
        let mut out = Vec::new();
        let Some(root) = &raw.route else {
            return Err(vec![Violation::at(
                "route",
                "required",
                "expected a root route, found none",
            )]);
        };
        if root.receiver.as_deref().is_none_or(str::is_empty) {
            out.push(Violation::at(
                "route.receiver",
                "required",
                "expected the root route to name a default receiver, found none",
            ));
        }
        let root_matchers = root.match_eq.as_ref().is_some_and(|m| !m.is_empty())
            || root.match_re.as_ref().is_some_and(|m| !m.is_empty())
            || root.matchers.as_ref().is_some_and(|m| !m.is_empty());
        if root_matchers {
            out.push(Violation::at(
                "route",
                "invalid_value",
                "expected no matchers on the root route (it catches every alert), found some",
            ));
        }
        if root.continue_matching == Some(true) {
            out.push(Violation::at(
                "route.continue",
                "invalid_value",
                "expected no `continue` on the root route, found `true`",
            ));
        }
        for (key, list) in [
            ("mute_time_intervals", &root.mute_time_intervals),
            ("active_time_intervals", &root.active_time_intervals),
        ] {
            if list.as_ref().is_some_and(|l| !l.is_empty()) {
                out.push(Violation::at(
                    format!("route.{key}"),
                    "invalid_value",
                    format!("expected no {key} on the root route, found some"),
                ));
            }
        }
        let receivers = receivers(raw.receivers.as_deref().unwrap_or(&[]), &mut out);
        let mut time_intervals = BTreeMap::new();
        for (key, list) in [
            ("mute_time_intervals", &raw.mute_time_intervals),
            ("time_intervals", &raw.time_intervals),
        ] {
            for (i, t) in list.iter().flatten().enumerate() {
                let p = format!("{key}[{i}]");
                if t.name.is_empty() {
                    out.push(Violation::at(
                        format!("{p}.name"),
                        "required",
                        "expected the time interval's name, found none",
                    ));
                    continue;
                }
                let mut parsed = Vec::new();
                for (j, ti) in t.time_intervals.iter().enumerate() {
                    match TimeInterval::from_value(ti, &format!("{p}.time_intervals[{j}]")) {
                        Ok(x) => parsed.push(x),
                        Err(mut v) => out.append(&mut v),
                    }
                }
                if time_intervals.insert(t.name.clone(), parsed).is_some() {
                    out.push(Violation::at(
                        format!("{p}.name"),
                        "duplicate",
                        format!(
                            "expected unique time interval names, found `{}` twice",
                            t.name
                        ),
                    ));
                }
            }
        }
        let mut b = Builder {
            routes: Vec::new(),
            out: &mut out,
        };
        b.route(root, "route".to_string(), None);
        let routes = b.routes;
        check_references(&routes, &receivers, &time_intervals, &mut out);
        let inhibit_rules = inhibit_rules(raw.inhibit_rules.as_deref().unwrap_or(&[]), &mut out);
        if out.is_empty() {
            Ok(Config {
                routes,
                receivers,
                inhibit_rules,
                time_intervals,
            })
        } else {
            Err(out)
        }
    }

    /// The routes an alert with `labels` reaches, in Alertmanager's order (indices into
    /// [`Config::routes`]).
    pub fn matching(&self, labels: &BTreeMap<String, String>) -> Vec<usize> {
        let mut all = Vec::new();
        self.match_at(0, labels, &mut all);
        all
    }

    fn match_at(&self, r: usize, labels: &BTreeMap<String, String>, all: &mut Vec<usize>) -> bool {
        let node = &self.routes[r];
        if !super::matcher::all_match(&node.matchers, labels) {
            return false;
        }
        let before = all.len();
        for &c in &node.children {
            if self.match_at(c, labels, all) && !self.routes[c].continue_matching {
                break;
            }
        }
        if all.len() == before {
            all.push(r);
        }
        true
    }

    /// The receiver named `name`.
    pub fn receiver(&self, name: &str) -> Option<&Receiver> {
        self.receivers.iter().find(|r| r.name == name)
    }
}
