//! testdata/alerting/alertmanager.json through `ffi::alerting`: Alertmanager 0.25's matchers,
//! routing tree, config errors, inhibition and notification timelines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::ffi::{self, Host};
use serde_json::{json, Value};

const H: Host = Host::RUST;

fn v() -> Value {
    common::testdata("alerting/alertmanager.json")
}

#[test]
fn matchers_parse_and_match_as_alertmanager() {
    let d = v();
    let values: Vec<String> = serde_json::from_value(d["matcher_values"].clone()).unwrap();
    for c in d["matchers"].as_array().unwrap() {
        let got = ffi::alerting::parse_matchers(H, &c["text"]);
        if c["error"] == json!(true) {
            let e = got.expect_err(c["why"].as_str().unwrap());
            assert_eq!(e.code, "invalid_matcher", "{}", c["why"]);
            continue;
        }
        let got = got.unwrap_or_else(|e| panic!("{}: {}", c["why"], e.message));
        let rows: Vec<Value> = got
            .iter()
            .map(|m| {
                let hits: Vec<&String> = values
                    .iter()
                    .filter(|x| {
                        ffi::alerting::matches(H, &json!(m.text), &json!({ &m.name: x })).unwrap()
                    })
                    .collect();
                json!([m.name, m.op, m.value, hits])
            })
            .collect();
        assert_eq!(Value::Array(rows), c["want"], "{}", c["why"]);
    }
}

#[test]
fn routes_take_alertmanager_order_and_settings() {
    let d = v();
    let cfg = ffi::alerting::config(H, &d["routes_config"]).unwrap();
    for c in d["routes"].as_array().unwrap() {
        let got = ffi::alerting::routes(H, &cfg, &c["labels"]).unwrap();
        let rows: Vec<Value> = got
            .iter()
            .map(|r| {
                json!({
                    "receiver": r.receiver, "group_by": r.group_by, "group": r.group,
                    "group_wait": r.group_wait, "group_interval": r.group_interval,
                    "repeat_interval": r.repeat_interval, "continue": r.continue_matching,
                    "mute_time_intervals": r.mute_time_intervals,
                    "active_time_intervals": r.active_time_intervals,
                })
            })
            .collect();
        assert_eq!(Value::Array(rows), c["want"], "{}", c["why"]);
        let receivers = ffi::alerting::receivers(H, &cfg, &c["labels"]).unwrap();
        let mut want: Vec<String> = Vec::new();
        for r in c["want"].as_array().unwrap() {
            let name = r["receiver"].as_str().unwrap().to_string();
            if !want.contains(&name) {
                want.push(name);
            }
        }
        assert_eq!(receivers, want, "{}", c["why"]);
    }
}

#[test]
fn configs_alertmanager_refuses_are_refused() {
    for c in v()["bad_configs"].as_array().unwrap() {
        let e = ffi::alerting::config(H, &c["config"]).expect_err(c["why"].as_str().unwrap());
        assert_eq!(e.code, "invalid_document", "{}", c["why"]);
        assert!(!e.violations.is_empty(), "{}", c["why"]);
    }
}

fn source_alerts(d: &Value, sources: &Value) -> Value {
    let at = &d["inhibit_at"];
    Value::Array(
        sources
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                json!({
                    "labels": s["labels"],
                    "starts_at": at["firing_since"],
                    "ends_at": if s["firing"] == json!(true) { Value::Null } else { at["resolved_at"].clone() },
                })
            })
            .collect(),
    )
}

#[test]
fn inhibition_mutes_as_alertmanager() {
    let d = v();
    let cfg = ffi::alerting::config(H, &d["inhibit_config"]).unwrap();
    let at = d["inhibit_at"]["at"].as_f64().unwrap();
    for c in d["inhibit"].as_array().unwrap() {
        let got =
            ffi::alerting::inhibited(H, &cfg, &source_alerts(&d, &c["sources"]), &c["target"], at)
                .unwrap();
        assert_eq!(json!(got), c["muted"], "{}", c["why"]);
    }
}

#[test]
fn timelines_follow_the_dispatcher() {
    for c in v()["timelines"].as_array().unwrap() {
        let cfg = ffi::alerting::config(H, &c["config"]).unwrap();
        let got = ffi::alerting::timeline(
            H,
            &cfg,
            &c["alerts"],
            c["until"].as_f64().unwrap(),
            c["start"].as_f64(),
        )
        .unwrap_or_else(|e| panic!("{}: {}", c["name"], e.message));
        let rows: Vec<Value> = got
            .iter()
            .map(|n| {
                json!([
                    n.at,
                    n.receiver,
                    n.integration,
                    n.route,
                    n.firing,
                    n.resolved
                ])
            })
            .collect();
        let want: Vec<Value> = c["want"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r[0] = json!(r[0].as_f64().unwrap());
                r
            })
            .collect();
        assert_eq!(rows, want, "{}: {}", c["name"], c["why"]);
    }
}
