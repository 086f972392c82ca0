//! Kubelet probe timelines and bounds from plain data: the health check as the model writes
//! it (Kubernetes' names, never re-spelled), the behaviour and options in the host's spelling
//! and time unit, results as plain data.

use serde_json::{json, Value};

use super::{Error, Fields, Host};
use crate::error::{InvalidInput, Violation};
use crate::model::workload::HealthCheck;
use crate::probe::{self, Behaviour, EventKind, Options, Phase, State};

fn health_check(host: Host, v: &Value) -> Result<HealthCheck, Error> {
    crate::validate::schema::read_input(v, "health_check").map_err(|v| {
        host.error(&InvalidInput {
            violations: vec![v],
        })
    })
}

fn refuse(host: Host, path: String, code: &str, message: String) -> Error {
    host.error(&InvalidInput {
        violations: vec![Violation::at(path, code, message)],
    })
}

fn duration(host: Host, f: &Fields, key: &str) -> Result<Option<std::time::Duration>, Error> {
    f.f64(key)?
        .map(|x| host.duration(x, &f.at(key)))
        .transpose()
}

fn behaviour(host: Host, v: Option<&Value>) -> Result<Behaviour, Error> {
    let f = Fields::new(
        host,
        v,
        "behaviour",
        &["start_at", "startup", "latency", "stop", "phases"],
    )?;
    let mut b = Behaviour {
        start_at: duration(host, &f, "start_at")?.unwrap_or_default(),
        startup: duration(host, &f, "startup")?.unwrap_or_default(),
        latency: duration(host, &f, "latency")?.unwrap_or_default(),
        stop: duration(host, &f, "stop")?.unwrap_or_default(),
        phases: Vec::new(),
    };
    match f.value("phases") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                b.phases
                    .push(phase(host, item, &format!("behaviour.phases[{i}]"))?);
            }
        }
        Some(other) => {
            return Err(refuse(
                host,
                f.at("phases"),
                "invalid_type",
                format!(
                    "invalid type: expected a list, found {}",
                    super::kind_of(other)
                ),
            ))
        }
    }
    Ok(b)
}

fn phase(host: Host, v: &Value, path: &str) -> Result<Phase, Error> {
    let f = Fields::new(
        host,
        Some(v),
        path,
        &["at", "state", "latency", "cleared_by_restart"],
    )?;
    let at = duration(host, &f, "at")?.ok_or_else(|| {
        refuse(
            host,
            f.at("at"),
            "missing_field",
            "missing field `at`, the phase's start".to_string(),
        )
    })?;
    let name = f.string("state")?.unwrap_or_default();
    let latency = duration(host, &f, "latency")?;
    let state = match (name.as_str(), latency) {
        ("healthy", None) => State::Healthy,
        ("failing", None) => State::Failing,
        ("hung", None) => State::Hung,
        ("slow", Some(l)) => State::Slow(l),
        ("slow", None) => {
            return Err(refuse(
                host,
                f.at("latency"),
                "missing_field",
                "missing field `latency`: a slow phase needs its answer time".to_string(),
            ))
        }
        ("healthy" | "failing" | "hung", Some(_)) => {
            return Err(refuse(
                host,
                f.at("latency"),
                "unknown_field",
                format!(
                    "`latency` belongs to a slow phase; a {name} phase answers after the behaviour's latency"
                ),
            ))
        }
        _ => {
            return Err(refuse(
                host,
                f.at("state"),
                "unknown_variant",
                format!(
                    "expected one of `healthy`, `failing`, `hung`, `slow`, found `{name}`"
                ),
            ))
        }
    };
    Ok(Phase {
        at,
        state,
        cleared_by_restart: f.bool("cleared_by_restart")?.unwrap_or(true),
    })
}

fn options(host: Host, v: Option<&Value>) -> Result<Options, Error> {
    let f = Fields::new(host, v, "options", &["until", "termination_grace_period"])?;
    let until = duration(host, &f, "until")?.ok_or_else(|| {
        refuse(
            host,
            f.at("until"),
            "missing_field",
            "missing field `until`, the end of the simulation".to_string(),
        )
    })?;
    let mut o = Options::until(until);
    if let Some(g) = duration(host, &f, "termination_grace_period")? {
        o.termination_grace_period = g;
    }
    Ok(o)
}

/// The probes of `health_check` run against a container behaving as `behaviour` says:
/// `{probes, events, restarts, first_ready, ready}`; times in the host's unit from the pod's
/// start.
pub fn timeline(
    host: Host,
    health_check_v: &Value,
    behaviour_v: Option<&Value>,
    options_v: Option<&Value>,
) -> Result<Value, Error> {
    let hc = health_check(host, health_check_v)?;
    let b = behaviour(host, behaviour_v)?;
    let o = options(host, options_v)?;
    let t = probe::timeline(&hc, &b, &o).map_err(|e| host.error(&e))?;
    let at = |d: std::time::Duration| host.of(d);
    let probes: Vec<Value> = t
        .probes
        .iter()
        .map(|p| {
            json!({
                "probe": p.probe,
                "container": p.container,
                "start": at(p.start),
                "end": at(p.end),
                "outcome": p.outcome,
            })
        })
        .collect();
    let events: Vec<Value> = t
        .events
        .iter()
        .map(|e| {
            let mut v = match e.what {
                EventKind::BackOff { container, wait } => {
                    json!({"event": "back_off", "container": container, "wait": at(wait)})
                }
                other => serde_json::to_value(other).unwrap_or(Value::Null),
            };
            if let Value::Object(m) = &mut v {
                m.insert("at".into(), json!(at(e.at)));
            }
            v
        })
        .collect();
    host.output(&json!({
        "probes": probes,
        "events": events,
        "restarts": t.restarts,
        "first_ready": t.first_ready.map(at),
        "ready": t.ready,
    }))
}

/// The worst-case times of `health_check` (`options`: `up`, `latency`), in the host's unit.
pub fn bounds(
    host: Host,
    health_check_v: &Value,
    options_v: Option<&Value>,
) -> Result<Value, Error> {
    let hc = health_check(host, health_check_v)?;
    let f = Fields::new(host, options_v, "options", &["up", "latency"])?;
    let up = duration(host, &f, "up")?.unwrap_or_default();
    let latency = duration(host, &f, "latency")?.unwrap_or_default();
    let b = probe::bounds(&hc, up, latency).map_err(|e| host.error(&e))?;
    let at = |d: std::time::Duration| host.of(d);
    host.output(&json!({
        "first_ready": at(b.first_ready),
        "start_budget": b.start_budget.map(at),
        "start_limit": b.start_limit.map(at),
        "hang_detection": b.hang_detection.map(at),
        "hang_unready": b.hang_unready.map(at),
    }))
}

/// The wait before the `restart`-th restart (1 for the first) in the host's unit.
pub fn back_off(host: Host, restart: u32) -> f64 {
    host.of(probe::back_off(restart))
}
