//! The Prometheus text format against `testdata/prometheus/exposition.json` (the exposition
//! formats document and expfmt's syntax, with what promtool does), and render/parse round
//! trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cnarch_core::error::Coded;
use cnarch_core::prom::exposition::{
    self, parse, parse_go_float, render, same_families, write_go_float, Family, MetricKind, Sample,
};
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Value {
    let path = format!(
        "{}/../testdata/prometheus/exposition.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_documents_example() {
    let v = vectors();
    let text = v["valid"][0]["text"].as_str().unwrap();
    let f = parse(text).unwrap();
    let names: Vec<&str> = f.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "http_requests_total",
            "msdos_file_access_time_seconds",
            "metric_without_timestamp_and_labels",
            "something_weird",
            "http_request_duration_seconds",
            "rpc_duration_seconds"
        ]
    );
    assert_eq!(f[0].kind, MetricKind::Counter);
    assert_eq!(
        f[0].help.as_deref(),
        Some("The total number of HTTP requests.")
    );
    assert_eq!(f[0].samples[1].value, 3.0);
    assert_eq!(f[0].samples[1].timestamp, Some(1395066363000));
    assert_eq!(
        f[1].samples[0].labels,
        [
            ("path".to_string(), r"C:\DIR\FILE.TXT".to_string()),
            (
                "error".to_string(),
                "Cannot find file:\n\"FILE.TXT\"".to_string()
            )
        ]
    );
    assert_eq!(f[1].samples[0].value, 1.458255915e9);
    assert_eq!(f[2].kind, MetricKind::Untyped);
    assert_eq!(f[3].samples[0].value, f64::INFINITY);
    assert_eq!(f[3].samples[0].timestamp, Some(-3982045));
    assert_eq!(f[4].kind, MetricKind::Histogram);
    assert_eq!(f[4].samples.len(), 8);
    assert_eq!(f[5].kind, MetricKind::Summary);
    assert_eq!(f[5].samples[5].value, 1.7560473e7);
}

#[test]
fn valid_texts_parse_and_round_trip() {
    let v = vectors();
    for c in v["valid"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let f = parse(c["text"].as_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = render(&f).unwrap();
        let again = parse(&text).unwrap();
        assert!(same_families(&f, &again), "{name}: {text}");
        assert_eq!(render(&again).unwrap(), text, "{name}: render is stable");
    }
    let blanks = parse(v["valid"][1]["text"].as_str().unwrap()).unwrap();
    assert_eq!(blanks[0].samples.len(), 3);
    assert_eq!(blanks[0].samples[2].timestamp, Some(-5));
    let help = parse(v["valid"][2]["text"].as_str().unwrap()).unwrap();
    assert_eq!(help[0].help.as_deref(), Some("line one\nback\\slash"));
    assert_eq!(help[0].kind, MetricKind::Gauge);
    let floats = parse(v["valid"][3]["text"].as_str().unwrap()).unwrap();
    let values: Vec<f64> = floats[0].samples.iter().map(|s| s.value).collect();
    assert_eq!(values[..4], [0.5, 5.0, 1000.0, f64::NEG_INFINITY]);
    assert!(values[4].is_nan());
    assert_eq!(values[5], 12.0);
    assert!(values[6] == 0.0 && values[6].is_sign_negative());
}

#[test]
fn invalid_texts_are_refused_at_their_line_and_column() {
    let v = vectors();
    for c in v["invalid"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let e = parse(c["text"].as_str().unwrap()).expect_err(name);
        assert_eq!(e.code(), "invalid_exposition");
        let want = (
            c["line"].as_u64().unwrap() as usize,
            c["column"].as_u64().unwrap() as usize,
        );
        assert_eq!(e.position, Some(want), "{name}: {e}");
    }
}

#[test]
fn floats_are_written_as_go_writes_them() {
    let v = vectors();
    for c in v["floats"].as_array().unwrap() {
        let x = match &c[0] {
            Value::String(s) => parse_go_float(s).unwrap(),
            n => n.as_f64().unwrap(),
        };
        let mut out = String::new();
        write_go_float(&mut out, x);
        assert_eq!(out, c[1].as_str().unwrap(), "{x:e}");
        let back = parse_go_float(&out).unwrap();
        assert!(
            back.to_bits() == x.to_bits()
                || (x == 0.0 && back == 0.0)
                || (x.is_nan() && back.is_nan())
        );
    }
}

#[test]
fn render_refuses_what_parse_could_not_read_back() {
    let s = |name: &str| Sample {
        name: name.into(),
        labels: vec![],
        value: 1.0,
        timestamp: None,
    };
    let fam = |name: &str, kind, samples| Family {
        name: name.into(),
        help: None,
        kind,
        samples,
    };
    for (families, path) in [
        (
            vec![fam("9x", MetricKind::Gauge, vec![])],
            "families[0].name",
        ),
        (
            vec![
                fam("x", MetricKind::Gauge, vec![]),
                fam("x", MetricKind::Gauge, vec![]),
            ],
            "families[1].name",
        ),
        (
            vec![fam("x", MetricKind::Gauge, vec![s("y")])],
            "families[0].samples[0].name",
        ),
        (
            vec![fam("x", MetricKind::Counter, vec![s("x"), s("x")])],
            "families[0].samples[1]",
        ),
        (
            vec![fam(
                "h",
                MetricKind::Histogram,
                vec![s("h_sum"), s("h_count")],
            )],
            "families[0].samples[0]",
        ),
        (
            vec![Family {
                help: Some(" lead".into()),
                ..fam("x", MetricKind::Gauge, vec![])
            }],
            "families[0].help",
        ),
        (
            vec![fam(
                "x",
                MetricKind::Gauge,
                vec![Sample {
                    labels: vec![("__name__".into(), "v".into())],
                    ..s("x")
                }],
            )],
            "families[0].samples[0].labels[0]",
        ),
    ] {
        let e = render(&families).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(path), "{e}");
        assert_eq!(e.code(), "invalid_exposition");
    }
}

#[test]
fn model_metrics_render() {
    let docs = cnarch_core::document::load_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/architecture.yaml"
        ))
        .unwrap(),
    )
    .unwrap();
    let metrics = docs
        .iter()
        .find_map(|d| match d {
            cnarch_core::document::Document::ObservabilityStack(o) => {
                o.metrics.as_ref().map(|m| m.metrics.clone())
            }
            _ => None,
        })
        .unwrap();
    let f = exposition::from_metrics(&metrics).unwrap();
    let text = render(&f).unwrap();
    assert!(text.starts_with("# HELP http_requests_total Total HTTP requests\n# TYPE http_requests_total counter\nhttp_requests_total{method=\"GET\",status=\"200\"} 1000\n"), "{text}");
    assert!(same_families(&parse(&text).unwrap(), &f));
}

fn label_value() -> impl Strategy<Value = String> {
    "[a-z\\\\\"\n é]{0,6}"
}

prop_compose! {
    fn sample(name: String)(labels in proptest::collection::btree_map("[a-z_][a-z0-9_]{0,3}", label_value(), 0..3),
        value in prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), -1e9f64..1e9],
        timestamp in proptest::option::of(any::<i64>())) -> Sample {
        Sample { name: name.clone(), labels: labels.into_iter().filter(|(k, _)| k != "__name__").collect(), value, timestamp }
    }
}

fn family() -> impl Strategy<Value = Family> {
    (
        "[a-z_:][a-z0-9_:]{0,5}",
        proptest::option::of("[^ \t][a-z \\\\\n]{0,8}"),
        prop_oneof![
            Just(MetricKind::Counter),
            Just(MetricKind::Gauge),
            Just(MetricKind::Untyped)
        ],
    )
        .prop_flat_map(|(name, help, kind)| {
            proptest::collection::vec(sample(name.clone()), 0..4).prop_map(move |samples| {
                let mut seen = Vec::new();
                let samples: Vec<Sample> = samples
                    .into_iter()
                    .filter(|s| {
                        let mut k = s.labels.clone();
                        k.sort();
                        let fresh = !seen.contains(&k);
                        seen.push(k);
                        fresh
                    })
                    .collect();
                Family {
                    name: name.clone(),
                    help: help.clone(),
                    kind,
                    samples,
                }
            })
        })
}

proptest! {
    #[test]
    fn parse_of_render_is_the_identity(families in proptest::collection::vec(family(), 0..4)) {
        let mut names = Vec::new();
        let families: Vec<Family> = families.into_iter().filter(|f| {
            let fresh = !names.iter().any(|n: &String| n == &f.name || f.name.starts_with(n.as_str()) || n.starts_with(f.name.as_str()));
            names.push(f.name.clone());
            fresh
        }).collect();
        let text = render(&families).unwrap();
        let back = parse(&text).unwrap();
        prop_assert!(same_families(&families, &back), "{}", text);
    }
}
