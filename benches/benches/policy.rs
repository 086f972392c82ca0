//! NetworkPolicy: the 1,000-pod × 200-policy truth table for one port.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeMap;
use std::hint::black_box;

use cnarch_core::model::data::{NetworkPolicy, NetworkProtocol};
use cnarch_core::policy::network::{Namespace, NetworkPolicyEngine, Pod};
use criterion::{criterion_group, criterion_main, Criterion};

fn labels(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn engine() -> NetworkPolicyEngine {
    let namespaces = (0..20)
        .map(|i| Namespace {
            name: format!("ns{i}"),
            labels: labels(&[("team", format!("t{}", i % 5))]),
        })
        .collect();
    let pods = (0..1000)
        .map(|i| Pod {
            namespace: format!("ns{}", i % 20),
            name: format!("pod{i}"),
            labels: labels(&[
                ("app", format!("app{}", i % 100)),
                ("tier", ["frontend", "backend", "db"][i % 3].to_string()),
            ]),
            ips: vec![format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256)
                .parse()
                .unwrap()],
            ports: vec![],
        })
        .collect();
    let policies: Vec<NetworkPolicy> = (0..200)
        .map(|i| {
            serde_json::from_value(serde_json::json!({
                "name": format!("p{i}"),
                "namespace": format!("ns{}", i % 20),
                "podSelector": {"matchLabels": {"app": format!("app{}", i % 100)}},
                "policyTypes": if i % 4 == 0 { vec!["Ingress", "Egress"] } else { vec!["Ingress"] },
                "ingress": [
                    {"from": [{"podSelector": {"matchLabels": {"tier": "frontend"}}}, {"namespaceSelector": {"matchLabels": {"team": format!("t{}", i % 5)}}}],
                     "ports": [{"port": 8080}]},
                    {"from": [{"ipBlock": {"cidr": "10.0.0.0/22", "except": ["10.0.1.0/24"]}}]}
                ],
                "egress": [{"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"tier": "db"}}}], "ports": [{"port": 8080, "endPort": 8090}]}]
            }))
            .unwrap()
        })
        .collect();
    NetworkPolicyEngine::new(namespaces, pods, &policies).unwrap()
}

fn truth_table(c: &mut Criterion) {
    let e = engine();
    let mut g = c.benchmark_group("network_policy_truth_table_1000_pods_200_policies");
    g.sample_size(10);
    g.bench_function("connectivity", |b| {
        b.iter(|| black_box(e.connectivity(black_box(8080), NetworkProtocol::Tcp)))
    });
    g.finish();
}

criterion_group!(benches, truth_table);
criterion_main!(benches);
