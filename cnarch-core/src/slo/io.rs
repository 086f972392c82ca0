//! Reading SLO and alert-routing inputs from plain data for hosts and bindings (times in
//! seconds), with path-naming errors.

use serde_json::Value;

use super::rules::SlothSpec;
use crate::alerting::routing::{
    Alert, EscalationPolicy, EscalationStep, InhibitRule, Matcher, Route,
};
use crate::error::Violation;

fn violation(path: String, message: String) -> Violation {
    Violation {
        document: 0,
        name: None,
        path,
        code: "invalid_value".into(),
        message,
    }
}

fn read<T: serde::de::DeserializeOwned>(v: &Value, prefix: &str) -> Result<T, Vec<Violation>> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let p = e.path().to_string();
        let path = if p == "." || p.is_empty() {
            prefix.to_string()
        } else if p.starts_with('[') {
            format!("{prefix}{p}")
        } else {
            format!("{prefix}.{p}")
        };
        vec![violation(path, e.into_inner().to_string())]
    })
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

fn matchers(v: Option<&Value>, path: &str) -> Result<Vec<Matcher>, Vec<Violation>> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let items: Vec<String> = read(v, path)?;
    items
        .iter()
        .enumerate()
        .map(|(i, m)| Matcher::parse(m).map_err(|e| vec![violation(format!("{path}[{i}]"), e)]))
        .collect()
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
            return Err(vec![violation(
                "inhibit".into(),
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
            vec![violation(
                "policy.steps".into(),
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
                Some(Value::String(c)) => Some(
                    Matcher::parse(c).map_err(|e| vec![violation(format!("{p}.condition"), e)])?,
                ),
                None | Some(Value::Null) => None,
                Some(other) => {
                    return Err(vec![violation(
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
