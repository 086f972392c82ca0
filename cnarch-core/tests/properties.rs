//! Property tests: printing and parsing are inverse on canonical forms, ordering agrees with
//! exact values, and generated models survive serialize → load.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Timelike, Utc};
use cnarch_core::duration::{Duration, PromDuration};
use cnarch_core::model::mesh::{Destination, MeshService, Protocol, ServiceMesh};
use cnarch_core::model::workload::{
    HealthCheck, HttpGetAction, Microservice, Probe, ProbeHandler, Resources, Scaling,
};
use cnarch_core::quantity::Quantity;
use cnarch_core::schedule::Schedule;
use cnarch_core::{load_str, to_json, to_yaml, Document};
use proptest::prelude::*;

const DEC: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];
const BIN: [(&str, u32); 6] = [
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];

/// A quantity text with its exact value in nanounits when it is representable without
/// rounding (integer digits, fraction digits, suffix).
fn quantity_text() -> impl Strategy<Value = (String, Option<i128>)> {
    (
        0u64..1_000_000,
        0u32..1000,
        0usize..4,
        0usize..16,
        any::<bool>(),
    )
        .prop_map(|(int, frac, frac_len, suffix, neg)| {
            let frac_digits = if frac_len == 0 {
                String::new()
            } else {
                format!("{:0w$}", frac % 10u32.pow(frac_len as u32), w = frac_len)
            };
            let number = if frac_digits.is_empty() {
                int.to_string()
            } else {
                format!("{int}.{frac_digits}")
            };
            let digits: i128 = format!("{int}{frac_digits}").parse().unwrap();
            let (text_suffix, exact) = if suffix < DEC.len() {
                let (s, e) = DEC[suffix];
                let shift = e + 9 - frac_len as i32;
                let exact = if shift >= 0 {
                    Some(digits * 10i128.pow(shift as u32))
                } else {
                    None
                };
                (s, exact)
            } else {
                let (s, e) = BIN[(suffix - DEC.len()) % BIN.len()];
                let shift = 9 - frac_len as i32;
                let exact = if shift >= 0 {
                    (digits << e).checked_mul(10i128.pow(shift as u32))
                } else {
                    None
                };
                // Binary values saturate at the int64 bound.
                let exact = exact.filter(|n| *n <= i128::from(i64::MAX) * 1_000_000_000);
                (s, exact)
            };
            let sign = if neg { -1 } else { 1 };
            (
                format!("{}{number}{text_suffix}", if neg { "-" } else { "" }),
                exact.map(|n| sign * n),
            )
        })
}

proptest! {
    #[test]
    fn quantity_print_parse_is_identity((text, _) in quantity_text()) {
        let q = Quantity::parse(&text).unwrap();
        let canonical = q.to_string();
        let again = Quantity::parse(&canonical).unwrap();
        prop_assert_eq!(again, q);
        // Identity on canonical forms: a canonical text prints as itself. (The first print
        // may change format as in Kubernetes: `62.5Ki` prints `64000`, then `64k`.)
        let fixed = again.to_string();
        prop_assert_eq!(Quantity::parse(&fixed).unwrap().to_string(), fixed.clone());
        if q.format() != cnarch_core::quantity::QuantityFormat::BinarySI || canonical.ends_with('i') {
            prop_assert_eq!(fixed, canonical);
        }
    }

    #[test]
    fn binary_integers_off_1024_print_as_digits(k in 1i64..1_000_000, r in 1i64..1024) {
        // 1024·k + r is an integer, not a multiple of 1024: Kubernetes prints plain digits.
        let n = 1024 * k + r;
        let text = format!("{}.{}Ki", n / 1024, ((n % 1024) as f64 / 1024.0).to_string().trim_start_matches("0."));
        if let Ok(q) = Quantity::parse(&text) {
            if q.nanos() % 1_000_000_000 == 0 {
                prop_assert_eq!(q.to_string(), (q.nanos() / 1_000_000_000).to_string());
            }
        }
    }

    #[test]
    fn quantity_value_and_order_are_exact((a, ea) in quantity_text(), (b, eb) in quantity_text()) {
        let (qa, qb) = (Quantity::parse(&a).unwrap(), Quantity::parse(&b).unwrap());
        if let (Some(ea), Some(eb)) = (ea, eb) {
            prop_assert_eq!(qa.nanos(), ea, "{}", a);
            prop_assert_eq!(qb.nanos(), eb, "{}", b);
            prop_assert_eq!(qa.cmp(&qb), ea.cmp(&eb));
            prop_assert_eq!(qa.checked_add(&qb).unwrap().nanos(), ea + eb);
        }
    }

    #[test]
    fn go_duration_print_parse_is_identity(n in any::<i64>()) {
        let d = Duration::from_nanos(n);
        let text = d.to_string();
        let back = Duration::parse(&text).unwrap();
        prop_assert_eq!(back, d, "{}", text);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn prometheus_duration_print_parse_is_identity(ms in 0i64..(i64::MAX / 1_000_000)) {
        let d = PromDuration::from_millis(ms);
        let text = d.to_string();
        let back = PromDuration::parse(&text).unwrap();
        prop_assert_eq!(back, d, "{}", text);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn cron_fire_times_increase_on_whole_minutes(
        minute in prop::sample::select(vec!["*", "0", "*/5", "10-20", "0,30", "59"]),
        hour in prop::sample::select(vec!["*", "0", "9-17", "*/6", "23"]),
        dom in prop::sample::select(vec!["*", "1", "15", "31", "1-7", "*/10"]),
        month in prop::sample::select(vec!["*", "1", "2", "FEB", "6-8", "*/3"]),
        dow in prop::sample::select(vec!["*", "0", "MON-FRI", "6", "SUN,SAT"]),
        start in 0i64..4_000_000_000,
    ) {
        let expr = format!("{minute} {hour} {dom} {month} {dow}");
        let s = Schedule::parse(&expr).unwrap();
        let t0: DateTime<Utc> = Utc.timestamp_opt(start, 0).unwrap();
        let mut prev = t0;
        for next in s.next_n_after(t0, 5) {
            prop_assert!(next > prev, "{} {} {}", expr, prev, next);
            prop_assert_eq!(next.second(), 0);
            // The same instant asked again, minus a second, yields the same fire time.
            prop_assert_eq!(s.next_after(next - chrono::Duration::seconds(1)), Some(next));
            prev = next;
        }
    }
}

fn name() -> impl Strategy<Value = String> {
    "[a-z]([a-z0-9-]{0,20}[a-z0-9])?"
}

fn probe() -> impl Strategy<Value = Probe> {
    (
        "/[a-z]{0,8}",
        1i32..=65535,
        prop::option::of(0i32..100),
        prop::option::of(1i32..60),
    )
        .prop_map(|(path, port, delay, period)| Probe {
            handler: ProbeHandler::HttpGet(HttpGetAction { path, port }),
            initial_delay_seconds: delay,
            period_seconds: period,
            timeout_seconds: None,
            failure_threshold: Some(3),
            success_threshold: None,
        })
}

fn microservice() -> impl Strategy<Value = Microservice> {
    (
        name(),
        prop::option::of(name()),
        prop::option::of(0i32..50),
        prop::option::of((1i64..64_000, 1i64..65_536)),
        prop::collection::btree_map("[A-Z_][A-Z0-9_]{0,10}", "[ -~]{0,12}", 0..4),
        prop::option::of((probe(), prop::option::of(probe()))),
        prop::option::of((1i32..10, 0i32..10, prop::option::of(1i32..=100))),
    )
        .prop_map(
            |(name, namespace, replicas, res, environment, probes, scaling)| Microservice {
                image: format!("{name}:v1"),
                name,
                namespace,
                replicas,
                resources: res.map(|(m, mi)| Resources {
                    cpu: Some(Quantity::from_millis(m)),
                    memory: Some(Quantity::parse(&format!("{mi}Mi")).unwrap()),
                    storage: None,
                }),
                environment,
                secrets: vec![],
                config_maps: vec![],
                dependencies: vec![],
                health_check: probes.map(|(l, r)| HealthCheck {
                    liveness: Some(l),
                    readiness: r,
                    startup: None,
                }),
                scaling: scaling.map(|(min, extra, cpu)| Scaling {
                    min_replicas: min,
                    max_replicas: min + extra,
                    target_cpu: cpu,
                    target_memory: None,
                }),
            },
        )
}

fn mesh() -> impl Strategy<Value = ServiceMesh> {
    (
        name(),
        prop::collection::vec(
            (
                name(),
                1i32..=65535,
                prop::collection::vec((name(), 1i32..100), 0..3),
            ),
            0..3,
        ),
    )
        .prop_map(|(n, services)| ServiceMesh {
            name: n,
            namespace: None,
            services: services
                .into_iter()
                .enumerate()
                .map(|(i, (s, port, dests))| MeshService {
                    name: format!("{s}-{i}"),
                    namespace: None,
                    port,
                    protocol: Some(Protocol::Http),
                    destinations: dests
                        .into_iter()
                        .map(|(service, w)| Destination {
                            service,
                            namespace: None,
                            weight: Some(w),
                        })
                        .collect(),
                })
                .collect(),
            policies: vec![],
            traffic: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn generated_models_round_trip(ms in microservice(), m in mesh()) {
        // Names starting with a digit are DNS-1123 but not DNS-1035 labels; keep them valid.
        prop_assume!(ms.name.as_bytes()[0].is_ascii_lowercase());
        let docs = vec![Document::Microservice(ms), Document::ServiceMesh(m)];
        prop_assert_eq!(cnarch_core::validate_documents(&docs), vec![]);
        let yaml = to_yaml(&docs).unwrap();
        prop_assert_eq!(&load_str(&yaml).unwrap(), &docs, "{}", yaml);
        let json = to_json(&docs).unwrap();
        prop_assert_eq!(&load_str(&json).unwrap(), &docs, "{}", json);
    }
}

#[test]
fn environment_values_survive_yaml_quoting() {
    let mut env = BTreeMap::new();
    for v in [
        "yes", "no", "null", "~", "1e3", "0x10", "- a", ": b", "#c", "'q'", "\"d\"", "true", "",
    ] {
        env.insert(format!("K{}", env.len()), v.to_string());
    }
    let ms = Microservice {
        name: "api".into(),
        namespace: None,
        image: "api:1".into(),
        replicas: None,
        resources: None,
        environment: env,
        secrets: vec![],
        config_maps: vec![],
        dependencies: vec![],
        health_check: None,
        scaling: None,
    };
    let docs = vec![Document::Microservice(ms)];
    assert_eq!(load_str(&to_yaml(&docs).unwrap()).unwrap(), docs);
}

proptest! {
    /// An anchored rate fires on the anchor's grid: every time is `anchor + k·rate` with
    /// k ≥ 1, the first is strictly after `after`, the one before it is not, and the times are
    /// one rate apart.
    #[test]
    fn anchored_rates_fire_on_the_anchors_grid(
        minutes in 1i64..2000,
        anchor_s in 0i64..4_000_000_000,
        offset_s in -100_000_000i64..100_000_000,
        n in 1usize..5,
    ) {
        // EventBridge wants the singular unit for a value of 1.
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        let s = Schedule::parse(&format!("rate({minutes} {unit})")).unwrap();
        let anchor = Utc.timestamp_opt(anchor_s, 0).unwrap();
        let after = Utc.timestamp_opt(anchor_s + offset_s, 0).unwrap();
        let times = s.next_n_after_anchored(Some(anchor), after, n);
        prop_assert_eq!(times.len(), n);
        let step = minutes * 60;
        for (i, t) in times.iter().enumerate() {
            let since = (*t - anchor).num_seconds();
            prop_assert!(since >= step && since % step == 0);
            if i > 0 {
                prop_assert_eq!((*t - times[i - 1]).num_seconds(), step);
            }
        }
        prop_assert!(times[0] > after);
        let before = times[0] - chrono::Duration::seconds(step);
        prop_assert!(before <= after || before == anchor);
    }
}
