//! NetworkPolicy evaluation against the scenarios in `testdata/policy/network.json` (from the
//! Kubernetes documentation), plus the truth table agreeing with single evaluations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::model::data::{NetworkPolicy, NetworkProtocol};
use cnarch_core::policy::network::{
    ContainerPort, DirectionVerdict, Endpoint, Namespace, NetworkPolicyEngine, Pod,
};
use serde_json::Value;

fn scenarios() -> Vec<Value> {
    let v: Value = common::testdata("policy/network.json");
    v["scenarios"].as_array().unwrap().clone()
}

fn protocol(s: &str) -> NetworkProtocol {
    serde_json::from_value(Value::String(s.to_string())).unwrap()
}

fn engine(s: &Value) -> NetworkPolicyEngine {
    let namespaces = s["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| Namespace {
            name: n["name"].as_str().unwrap().into(),
            labels: serde_json::from_value(n["labels"].clone()).unwrap(),
        })
        .collect();
    let pods = s["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Pod {
            namespace: p["namespace"].as_str().unwrap().into(),
            name: p["name"].as_str().unwrap().into(),
            labels: serde_json::from_value(p["labels"].clone()).unwrap(),
            ips: p["ips"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ip| ip.as_str().unwrap().parse().unwrap())
                .collect(),
            ports: p["ports"]
                .as_array()
                .map(|ports| {
                    ports
                        .iter()
                        .map(|c| ContainerPort {
                            name: c["name"].as_str().map(String::from),
                            port: c["port"].as_u64().unwrap() as u16,
                            protocol: protocol(c["protocol"].as_str().unwrap()),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let policies: Vec<NetworkPolicy> = serde_json::from_value(s["policies"].clone()).unwrap();
    for p in &policies {
        validator::Validate::validate(p).unwrap();
    }
    NetworkPolicyEngine::new(namespaces, pods, &policies).unwrap()
}

fn endpoint(s: &str) -> Endpoint {
    match s.split_once('/') {
        Some((ns, name)) => Endpoint::Pod {
            namespace: ns.into(),
            name: name.into(),
        },
        None => Endpoint::Ip(s.parse().unwrap()),
    }
}

fn kind(v: &DirectionVerdict) -> &'static str {
    match v {
        DirectionVerdict::NotApplicable => "not_applicable",
        DirectionVerdict::NotIsolated => "not_isolated",
        DirectionVerdict::Allowed { .. } => "allowed",
        DirectionVerdict::Denied { .. } => "denied",
    }
}

#[test]
fn documented_scenarios() {
    let mut checked = 0;
    for s in scenarios() {
        let e = engine(&s);
        for c in s["cases"].as_array().unwrap() {
            let proto = protocol(c["protocol"].as_str().unwrap_or("TCP"));
            let v = e
                .evaluate(
                    &endpoint(c["from"].as_str().unwrap()),
                    &endpoint(c["to"].as_str().unwrap()),
                    c["port"].as_u64().unwrap() as u16,
                    proto,
                )
                .unwrap();
            let what = format!("{}: {c}: {v:?}", s["name"]);
            assert_eq!(v.allowed, c["allowed"].as_bool().unwrap(), "{what}");
            for dir in ["ingress", "egress"] {
                if let Some(want) = c[dir].as_str() {
                    let got = if dir == "ingress" {
                        &v.ingress
                    } else {
                        &v.egress
                    };
                    assert_eq!(kind(got), want, "{dir} {what}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked}");
}

#[test]
fn verdicts_name_the_policy_and_rule() {
    let s = &scenarios()[0];
    let e = engine(s);
    let v = e
        .evaluate(
            &endpoint("default/frontend"),
            &endpoint("default/db"),
            6379,
            NetworkProtocol::Tcp,
        )
        .unwrap();
    assert_eq!(
        v.ingress,
        DirectionVerdict::Allowed {
            policy: "default/test-network-policy".into(),
            rule: 0
        }
    );
    let v = e
        .evaluate(
            &endpoint("default/other"),
            &endpoint("default/db"),
            6379,
            NetworkProtocol::Tcp,
        )
        .unwrap();
    assert_eq!(
        v.ingress,
        DirectionVerdict::Denied {
            isolated_by: vec!["default/test-network-policy".into()]
        }
    );
    assert_eq!(
        e.policies_selecting("default", "db").unwrap(),
        ["default/test-network-policy"]
    );
    assert!(e
        .policies_selecting("default", "frontend")
        .unwrap()
        .is_empty());
    assert_eq!(
        e.evaluate(
            &endpoint("nowhere/x"),
            &endpoint("default/db"),
            1,
            NetworkProtocol::Tcp
        )
        .unwrap_err()
        .code(),
        "unknown_pod"
    );
}

#[test]
fn truth_table_agrees_with_single_evaluations() {
    for s in scenarios() {
        let e = engine(&s);
        for (port, proto) in [
            (6379, NetworkProtocol::Tcp),
            (8080, NetworkProtocol::Tcp),
            (32100, NetworkProtocol::Tcp),
            (53, NetworkProtocol::Udp),
        ] {
            let table = e.connectivity(port, proto);
            for (i, a) in e.pods().iter().enumerate() {
                for (j, b) in e.pods().iter().enumerate() {
                    let v = e
                        .evaluate(
                            &Endpoint::Pod {
                                namespace: a.namespace.clone(),
                                name: a.name.clone(),
                            },
                            &Endpoint::Pod {
                                namespace: b.namespace.clone(),
                                name: b.name.clone(),
                            },
                            port,
                            proto,
                        )
                        .unwrap();
                    assert_eq!(table[i][j], v.allowed, "{} → {} :{port}", a.name, b.name);
                }
            }
        }
    }
}
