//! Reading SLO and alert-routing inputs from plain data for hosts and bindings (times in
//! seconds), with path-naming errors.

use serde_json::Value;

use crate::alerting::routing::{
    Alert, EscalationPolicy, EscalationStep, InhibitRule, Matcher, Route,
};
use crate::error::Violation;
use crate::slo::rules::SlothSpec;

fn read<T: serde::de::DeserializeOwned>(v: &Value, prefix: &str) -> Result<T, Vec<Violation>> {
    crate::validate::schema::read_input(v, prefix).map_err(|v| vec![v])
}

/// A Sloth `prometheus/v1` spec, or a model `ServiceLevelObjectives` document (`kind` or
/// `slos` with fractions) for `service` (default: the document's name).
pub fn spec_from_json(v: &Value, service: Option<&str>) -> Result<SlothSpec, Vec<Violation>> {
    if v.get("version").is_some() {
        return SlothSpec::from_json(v);
    }
    let mut doc = v.clone();
    if let Value::Object(m) = &mut doc {
        m.remove("apiVersion");
        m.remove("kind");
    }
    let slos: crate::model::observability::ServiceLevelObjectives = read(&doc, "")?;
    let svc = service
        .map(str::to_string)
        .unwrap_or_else(|| slos.name.clone());
    SlothSpec::from_model(&slos, &svc)
}

/// Matcher lists as Alertmanager reads `matchers`: each string is a list (`a=b,c=~"d"`).
fn matchers(v: Option<&Value>, path: &str) -> Result<Vec<Matcher>, Vec<Violation>> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let items: Vec<String> = read(v, path)?;
    let mut out = Vec::new();
    for (i, m) in items.iter().enumerate() {
        let mut ms = crate::alerting::matcher::parse_matchers(m).map_err(|e| {
            vec![Violation::at(
                format!("{path}[{i}]"),
                e.code(),
                e.to_string(),
            )]
        })?;
        out.append(&mut ms);
    }
    crate::alerting::matcher::sort_matchers(&mut out);
    Ok(out)
}

/// A route (`group_by`, `group_wait`, `group_interval`, `repeat_interval` in seconds,
/// `send_resolved`), inhibit rules (`source_matchers`, `target_matchers` as `"name=value"`
/// strings, `equal`) and alerts (`labels`, `starts_at`, `ends_at`).
pub fn routing_inputs(
    route: &Value,
    inhibit: &Value,
    alerts: &Value,
) -> Result<(Route, Vec<InhibitRule>, Vec<Alert>), Vec<Violation>> {
    let route: Route = if route.is_null() {
        Route::default()
    } else {
        read(route, "route")?
    };
    let mut rules = Vec::new();
    let items: &[Value] = match inhibit {
        Value::Null => &[],
        Value::Array(items) => items,
        other => {
            return Err(vec![Violation::invalid_value(
                "inhibit",
                format!("expected a list of inhibit rules, found {other}"),
            )])
        }
    };
    {
        for (i, r) in items.iter().enumerate() {
            let p = format!("inhibit[{i}]");
            rules.push(InhibitRule {
                source_matchers: matchers(
                    r.get("source_matchers"),
                    &format!("{p}.source_matchers"),
                )?,
                target_matchers: matchers(
                    r.get("target_matchers"),
                    &format!("{p}.target_matchers"),
                )?,
                equal: match r.get("equal") {
                    Some(e) => read(e, &format!("{p}.equal"))?,
                    None => Vec::new(),
                },
            });
        }
    }
    let alerts: Vec<Alert> = read(alerts, "alerts")?;
    Ok((route, rules, alerts))
}

/// An escalation policy (`steps` of `delay` seconds, `channels`, `condition` as
/// `"name=value"`; `repeat`; `max_repeat`) and an alert.
pub fn escalation_inputs(
    policy: &Value,
    alert: &Value,
) -> Result<(EscalationPolicy, Alert), Vec<Violation>> {
    let steps = policy
        .get("steps")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            vec![Violation::invalid_value(
                "policy.steps",
                "expected a list of steps".into(),
            )]
        })?;
    let mut out = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let p = format!("policy.steps[{i}]");
        out.push(EscalationStep {
            delay: read(
                s.get("delay").unwrap_or(&Value::Null),
                &format!("{p}.delay"),
            )?,
            channels: read(
                s.get("channels").unwrap_or(&Value::Array(Vec::new())),
                &format!("{p}.channels"),
            )?,
            condition: match s.get("condition") {
                Some(Value::String(c)) => Some(Matcher::parse(c).map_err(|e| {
                    vec![Violation::at(
                        format!("{p}.condition"),
                        e.code(),
                        e.to_string(),
                    )]
                })?),
                None | Some(Value::Null) => None,
                Some(other) => {
                    return Err(vec![Violation::invalid_value(
                        format!("{p}.condition"),
                        format!("expected a matcher string `name=value`, found {other}"),
                    )])
                }
            },
        });
    }
    let repeat: bool = match policy.get("repeat") {
        None | Some(Value::Null) => false,
        Some(v) => read(v, "policy.repeat")?,
    };
    let max_repeat: Option<u32> = match policy.get("max_repeat") {
        None => None,
        Some(v) => read(v, "policy.max_repeat")?,
    };
    let alert: Alert = read(alert, "alert")?;
    Ok((
        EscalationPolicy {
            steps: out,
            repeat,
            max_repeat,
        },
        alert,
    ))
}

// ---- binding-facing calls -------------------------------------------------------------------

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Error, Host};
use crate::alerting::policy::{BurnRateRule, MultiwindowPolicy};
use crate::error::InvalidInput;

/// A duration as a caller gives it: a number in the host's unit, or text in Go or
/// Prometheus syntax (`"30d"`, `"1h30m"`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Span {
    /// A number in the host's unit.
    Number(f64),
    /// Duration text.
    Text(String),
}

impl Span {
    /// The duration, or an error naming `field`.
    pub fn resolve(&self, host: Host, field: &str) -> Result<Duration, Error> {
        match self {
            Span::Number(x) => host.duration(*x, field),
            Span::Text(t) => {
                let d = crate::duration::parse_any(t).map_err(|e| host.error(&e))?;
                d.to_std().ok_or_else(|| {
                    host.error(&crate::time::TimeError::new(
                        field,
                        format!("expected `{field}` of zero or more, found `{t}`"),
                    ))
                })
            }
        }
    }
}

/// A span from plain data (`null` or absent: `None`).
pub fn span(host: Host, v: Option<&Value>, field: &str) -> Result<Option<Duration>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let s: Span =
                read(v, field).map_err(|e| host.error(&InvalidInput { violations: e }))?;
            s.resolve(host, field).map(Some)
        }
    }
}

/// One burn-rate rule as a caller gives it; an absent `short_window` is the workbook's
/// long / 12, an absent `severity` is [`MultiwindowPolicy::DEFAULT_SEVERITY`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleArgs {
    /// Long window.
    pub long_window: Span,
    /// Short window.
    pub short_window: Option<Span>,
    /// Burn factor.
    pub factor: f64,
    /// Severity.
    pub severity: Option<String>,
    /// Prometheus `for`.
    #[serde(rename = "for")]
    pub for_: Option<Span>,
    /// Prometheus `keep_firing_for`.
    pub keep_firing_for: Option<Span>,
}

/// One rule as the bindings return it (durations in the host's unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleOut {
    /// Long window.
    pub long_window: f64,
    /// Short window.
    pub short_window: f64,
    /// Burn factor.
    pub factor: f64,
    /// Severity.
    pub severity: String,
    /// Prometheus `for`.
    #[serde(rename = "for")]
    pub for_: f64,
    /// Prometheus `keep_firing_for`.
    pub keep_firing_for: f64,
}

/// `standard` (Sloth's four alerts) or `pyrra`, over `period` (default 30 and 28 days).
pub fn policy(host: Host, kind: &str, period: Option<&Value>) -> Result<MultiwindowPolicy, Error> {
    let p = span(host, period, "period")?;
    match kind {
        "standard" => Ok(MultiwindowPolicy::standard(
            p.unwrap_or(MultiwindowPolicy::STANDARD_PERIOD),
        )),
        "pyrra" => Ok(MultiwindowPolicy::pyrra(
            p.unwrap_or(MultiwindowPolicy::PYRRA_PERIOD),
        )),
        other => Err(host.error(&InvalidInput {
            violations: vec![Violation::invalid_value(
                "kind",
                format!("expected `standard` or `pyrra`, found `{other}`"),
            )],
        })),
    }
}

/// Custom rules over `period`.
pub fn policy_from_rules(
    host: Host,
    period: &Value,
    rules: &Value,
) -> Result<MultiwindowPolicy, Error> {
    let period = span(host, Some(period), "period")?.unwrap_or(Duration::ZERO);
    let items: Vec<RuleArgs> = read(&host.input(rules.clone(), &[]), "rules")
        .map_err(|e| host.error(&InvalidInput { violations: e }))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, r) in items.iter().enumerate() {
        let f = |name: &str| format!("rules[{i}].{name}");
        let long = r.long_window.resolve(host, &f("long_window"))?;
        let mut rule = BurnRateRule::new(
            long,
            r.factor,
            r.severity
                .as_deref()
                .unwrap_or(MultiwindowPolicy::DEFAULT_SEVERITY),
        );
        if let Some(s) = &r.short_window {
            rule.short_window = s.resolve(host, &f("short_window"))?;
        }
        if let Some(s) = &r.for_ {
            rule.for_ = s.resolve(host, &f("for"))?;
        }
        if let Some(s) = &r.keep_firing_for {
            rule.keep_firing_for = s.resolve(host, &f("keep_firing_for"))?;
        }
        if !(r.factor.is_finite() && r.factor > 0.0) {
            return Err(host.error(&crate::alerting::policy::PolicyRulesError::new(
                f("factor"),
                format!(
                    "{}: expected a positive number, found {}",
                    f("factor"),
                    r.factor
                ),
            )));
        }
        out.push(rule);
    }
    Ok(MultiwindowPolicy { period, rules: out })
}

/// The rules of `p` with durations in the host's unit.
pub fn rules_out(host: Host, p: &MultiwindowPolicy) -> Vec<RuleOut> {
    p.rules
        .iter()
        .map(|r| RuleOut {
            long_window: host.of(r.long_window),
            short_window: host.of(r.short_window),
            factor: r.factor,
            severity: r.severity.clone(),
            for_: host.of(r.for_),
            keep_firing_for: host.of(r.keep_firing_for),
        })
        .collect()
}

/// [`MultiwindowPolicy::validate`] with the default `min_events`.
pub fn validate_policy(
    host: Host,
    p: &MultiwindowPolicy,
    objective: f64,
    events_per_second: Option<f64>,
    min_events: Option<f64>,
) -> Result<Vec<crate::alerting::policy::Finding>, Error> {
    let o = crate::slo::budget::Objective::new(objective).map_err(|e| host.error(&e))?;
    p.validate(
        &o,
        events_per_second,
        min_events.unwrap_or(MultiwindowPolicy::DEFAULT_MIN_EVENTS),
    )
    .map_err(|e| host.error(&e))
}

/// Prometheus rule groups (YAML) from a Sloth spec or a ServiceLevelObjectives document over
/// `period` (default [`MultiwindowPolicy::STANDARD_PERIOD`]).
pub fn prometheus_rules(
    host: Host,
    spec: &Value,
    period: Option<&Value>,
    service: Option<&str>,
) -> Result<String, Error> {
    let sloth =
        spec_from_json(spec, service).map_err(|v| host.error(&InvalidInput { violations: v }))?;
    let p = span(host, period, "period")?.unwrap_or(MultiwindowPolicy::STANDARD_PERIOD);
    crate::slo::rules::generate(&sloth, p)
        .map(|r| r.to_yaml())
        .map_err(|v| host.error(&InvalidInput { violations: v }))
}

/// `good`/`total` per sample, or error ratios per sample.
#[derive(Debug, Clone, Copy)]
pub enum Series<'a> {
    /// Good and total events per sample.
    Counts(&'a [f64], &'a [f64]),
    /// Error ratios per sample (NaN: no data).
    Ratios(&'a [f64]),
}

/// Replays `policy` over a series with timestamps in the host's unit; the evaluation's
/// times and durations come back in the host's unit.
pub fn evaluate(
    host: Host,
    policy: &MultiwindowPolicy,
    objective: f64,
    timestamps: &[f64],
    series: Series<'_>,
) -> Result<crate::alerting::evaluate::Evaluation, Error> {
    let o = crate::slo::budget::Objective::new(objective).map_err(|e| host.error(&e))?;
    let k = host.unit_seconds();
    let t: Vec<f64> = timestamps.iter().map(|x| x * k).collect();
    let invalid = |v: Vec<Violation>| host.error(&InvalidInput { violations: v });
    let mut e = match series {
        Series::Counts(good, total) => {
            crate::alerting::evaluate::evaluate(policy, &o, &t, good, total).map_err(invalid)?
        }
        Series::Ratios(r) => {
            crate::alerting::evaluate::evaluate_ratios(policy, &o, &t, r).map_err(invalid)?
        }
    };
    if k != 1.0 {
        let s = 1.0 / k;
        for r in e.rules.iter_mut() {
            r.long_window *= s;
            r.short_window *= s;
            for ep in r.episodes.iter_mut() {
                ep.pending_at *= s;
                for x in [
                    &mut ep.fired_at,
                    &mut ep.resolved_at,
                    &mut ep.detection_time,
                    &mut ep.reset_time,
                ]
                .into_iter()
                .flatten()
                {
                    *x *= s;
                }
            }
        }
    }
    Ok(e)
}

/// The time fields of routing and escalation inputs.
const ROUTING_TIMES: [&str; 6] = [
    "starts_at",
    "ends_at",
    "group_wait",
    "group_interval",
    "repeat_interval",
    "delay",
];

/// Numbers under the routing time keys, from the host's unit to seconds.
pub(crate) fn routing_seconds(host: Host, v: Value) -> Value {
    let k = host.unit_seconds();
    if k == 1.0 {
        return v;
    }
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(key, x)| {
                    let x = match (&x, ROUTING_TIMES.contains(&key.as_str())) {
                        (Value::Number(n), true) => {
                            serde_json::json!(n.as_f64().unwrap_or(f64::NAN) * k)
                        }
                        _ => routing_seconds(host, x),
                    };
                    (key, x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| routing_seconds(host, x)).collect()),
        other => other,
    }
}

/// Alertmanager's notifications for `alerts` under `route` and `inhibit` rules, up to
/// `until` (host unit); notification times in the host's unit.
pub fn notifications(
    host: Host,
    alerts: &Value,
    route: &Value,
    inhibit: &Value,
    until: f64,
) -> Result<Vec<crate::alerting::routing::Notification>, Error> {
    let prep = |v: &Value| routing_seconds(host, host.input(v.clone(), &["labels"]));
    let (route, inhibit, alerts) = routing_inputs(&prep(route), &prep(inhibit), &prep(alerts))
        .map_err(|v| host.error(&InvalidInput { violations: v }))?;
    let mut out = crate::alerting::routing::notifications(
        &route,
        &inhibit,
        &alerts,
        until * host.unit_seconds(),
    )
    .map_err(|v| host.error(&InvalidInput { violations: v }))?;
    let s = 1.0 / host.unit_seconds();
    for n in out.iter_mut() {
        n.at *= s;
    }
    Ok(out)
}

/// An escalation policy's notices for one alert up to `until` (host unit; absent: no end,
/// which a repeating policy refuses as unbounded).
pub fn escalation(
    host: Host,
    policy: &Value,
    alert: &Value,
    until: Option<f64>,
) -> Result<Vec<crate::alerting::routing::Escalation>, Error> {
    let prep = |v: &Value| routing_seconds(host, host.input(v.clone(), &["labels"]));
    let (p, a) = escalation_inputs(&prep(policy), &prep(alert))
        .map_err(|v| host.error(&InvalidInput { violations: v }))?;
    let until = until.map_or(f64::INFINITY, |u| u * host.unit_seconds());
    let mut out = p
        .notices(&a, until)
        .map_err(|v| host.error(&InvalidInput { violations: v }))?;
    let s = 1.0 / host.unit_seconds();
    for n in out.iter_mut() {
        n.at *= s;
    }
    Ok(out)
}

/// One steady phase of an incident as a caller gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseArgs {
    /// How long.
    pub duration: Span,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Failed share.
    pub error_ratio: f64,
}

/// An incident as a caller gives it: `phases`, or `requests` and `errors` per interval.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentArgs {
    /// Scrape and evaluation interval (default 1 minute).
    pub interval: Option<Span>,
    /// Steady phases.
    pub phases: Option<Vec<PhaseArgs>>,
    /// Requests per interval.
    pub requests: Option<Vec<f64>>,
    /// Failed requests per interval.
    pub errors: Option<Vec<f64>>,
    /// The requests counter (series notation).
    pub requests_series: Option<String>,
    /// The errors counter (series notation).
    pub errors_series: Option<String>,
}

fn under(prefix: &str, mut v: Vec<Violation>) -> Vec<Violation> {
    for x in v.iter_mut() {
        x.path = if x.path.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", x.path)
        };
    }
    v
}

/// A `promtool test rules` file (and its rule file) from a Sloth spec or a
/// ServiceLevelObjectives document and an incident: see [`crate::slo::promtool`].
pub fn promtool_test(
    host: Host,
    spec: &Value,
    incident: &Value,
    period: Option<&Value>,
    service: Option<&str>,
    rules_file: Option<&str>,
) -> Result<crate::slo::promtool::PromtoolTest, Error> {
    use crate::slo::promtool::{self, Incident, Phase};
    let invalid = |v: Vec<Violation>| host.error(&InvalidInput { violations: v });
    let sloth = spec_from_json(spec, service).map_err(invalid)?;
    let p = span(host, period, "period")?.unwrap_or(MultiwindowPolicy::STANDARD_PERIOD);
    let args: IncidentArgs = super::read(host, incident, "incident", &[])?;
    let interval = match &args.interval {
        Some(s) => s.resolve(host, "incident.interval")?,
        None => Duration::from_secs(60),
    };
    let mut inc = match (&args.phases, &args.requests, &args.errors) {
        (Some(ph), None, None) => {
            let mut phases = Vec::with_capacity(ph.len());
            for (i, x) in ph.iter().enumerate() {
                phases.push(Phase {
                    duration: x
                        .duration
                        .resolve(host, &format!("incident.phases[{i}].duration"))?,
                    requests_per_second: x.requests_per_second,
                    error_ratio: x.error_ratio,
                });
            }
            Incident::from_phases(interval, &phases).map_err(|v| invalid(under("incident", v)))?
        }
        (None, Some(r), Some(e)) => Incident {
            interval,
            requests: r.clone(),
            errors: e.clone(),
            requests_series: promtool::DEFAULT_REQUESTS_SERIES.into(),
            errors_series: promtool::DEFAULT_ERRORS_SERIES.into(),
        },
        _ => {
            return Err(invalid(vec![Violation::invalid_value(
                "incident",
                "expected `phases`, or `requests` and `errors` per interval".into(),
            )]))
        }
    };
    if let Some(s) = &args.requests_series {
        inc.requests_series = s.clone();
    }
    if let Some(s) = &args.errors_series {
        inc.errors_series = s.clone();
    }
    let mut opts = promtool::Options::default();
    if let Some(f) = rules_file {
        opts.rules_file = f.to_string();
    }
    // The incident's own problems carry its path; what `write` refuses after that is the spec's.
    inc.check().map_err(|v| invalid(under("incident", v)))?;
    let mut t = promtool::write(&sloth, p, &inc, &opts).map_err(invalid)?;
    let k = host.unit_seconds();
    for c in t.checks.iter_mut() {
        c.time /= k;
    }
    for x in t
        .replay_differences
        .iter_mut()
        .chain(t.near_ties.iter_mut())
    {
        *x /= k;
    }
    Ok(t)
}
