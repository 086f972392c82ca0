//! testdata/serverless/cost.json through `ffi::serverless` (which reads the model's function
//! and calls `serverless::cost`): AWS's pricing examples, rounding, tiers, timeouts, refused
//! usage and tables; and `serverless::check`'s findings on architectures. The published table
//! is read and checked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::ffi::{self, Host};
use cnarch_core::serverless::PriceTable;
use serde_json::Value;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn costs_follow_the_pricing_page() {
    let d = common::testdata("serverless/cost.json");
    let cases = d["cost"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let got = ffi::serverless::cost(Host::RUST, &c["function"], Some(&c["usage"]))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for (k, want) in c["expect"].as_object().unwrap() {
            match want {
                Value::Bool(b) => assert_eq!(got[k].as_bool(), Some(*b), "{name}: {k}"),
                n => assert!(
                    close(got[k].as_f64().unwrap(), n.as_f64().unwrap()),
                    "{name}: {k} = {} (want {n})",
                    got[k]
                ),
            }
        }
        let total = got["compute_cost"].as_f64().unwrap() + got["request_cost"].as_f64().unwrap();
        assert!(close(got["total_cost"].as_f64().unwrap(), total), "{name}");
    }
}

#[test]
fn bad_usage_and_tables_are_refused_with_their_path() {
    let d = common::testdata("serverless/cost.json");
    for c in d["invalid"].as_array().unwrap() {
        let e = ffi::serverless::cost(Host::RUST, &c["function"], Some(&c["usage"])).unwrap_err();
        assert_eq!(e.code, c["code"].as_str().unwrap(), "{}", c["name"]);
        assert_eq!(e.path.as_deref(), c["path"].as_str(), "{}", c["name"]);
        assert!(e.message.contains("expected"), "{}", e.message);
    }
}

#[test]
fn checks_find_what_lambda_refuses_or_warns_about() {
    let d = common::testdata("serverless/cost.json");
    for c in d["check"].as_array().unwrap() {
        let got = ffi::serverless::check(&c["architecture"]).unwrap();
        let got: Vec<Value> = got
            .as_array()
            .unwrap()
            .iter()
            .map(|f| serde_json::json!([f["path"], f["code"], f["severity"]]))
            .collect();
        assert_eq!(&Value::Array(got), &c["findings"], "{}", c["name"]);
    }
}

#[test]
fn the_published_table_reads_and_prices() {
    let t = PriceTable::aws_default();
    t.check().unwrap();
    assert_eq!(t.free_tier.requests, 1_000_000);
    assert_eq!(t.architectures.len(), 2);
    assert!(t.source.contains("aws.amazon.com/lambda/pricing"));
    let v = ffi::serverless::default_prices(Host::JS).unwrap();
    assert!(v["requestPricePerMillion"].is_number());
    assert_eq!(v["architectures"][1]["architecture"], "arm64");
    // A bad function is refused as its document would be, with the document's path.
    let e = ffi::serverless::cost(
        Host::RUST,
        &serde_json::json!({"runtime": "go1.x", "handler": "h", "memory": 64}),
        Some(&serde_json::json!({"invocations": 1, "duration": 1.0})),
    )
    .unwrap_err();
    assert_eq!(e.code, "invalid_document");
    assert_eq!(e.violations[0].path, "memory");
    let e = ffi::serverless::check(&serde_json::json!(["not", "a", "mapping"])).unwrap_err();
    assert_eq!(e.code, "invalid_argument_type");
}

#[test]
fn event_source_mappings_follow_lambdas_rules() {
    let d = common::testdata("serverless/esm.json");
    for c in d["invalid"].as_array().unwrap() {
        let r = ffi::serverless::event_source_mapping(Host::RUST, Some(&c["mapping"]));
        let e = if c["fifo"].as_bool() == Some(true) {
            let m = r.unwrap();
            let mut q = ffi::sqs::queue(
                Host::RUST,
                "q.fifo",
                Some(&serde_json::json!({"FifoQueue": true})),
                None,
            )
            .unwrap();
            let opts = serde_json::json!({"duration": 1.0, "until": 1.0, "arrivals": []});
            ffi::serverless::drain(Host::RUST, &mut q, &m, Some(&opts)).unwrap_err()
        } else {
            r.unwrap_err()
        };
        assert_eq!(e.code, "invalid_event_source_mapping", "{}", c["source"]);
        assert_eq!(e.path.as_deref(), c["path"].as_str(), "{}", c["source"]);
        assert!(e.message.contains("expected"), "{}", e.message);
    }
    for c in d["valid"].as_array().unwrap() {
        let m = ffi::serverless::event_source_mapping(Host::RUST, Some(&c["mapping"])).unwrap();
        assert_eq!(
            ffi::serverless::mapping_settings(Host::RUST, &m).unwrap(),
            c["expect"]
        );
    }
}

#[test]
fn drains_give_the_timeline_lambda_would() {
    let d = common::testdata("serverless/esm.json");
    let cases = d["drain"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let mut q = ffi::sqs::queue(
            Host::RUST,
            c["queue"].as_str().unwrap(),
            Some(&c["attributes"]),
            None,
        )
        .unwrap();
        let m = ffi::serverless::event_source_mapping(Host::RUST, Some(&c["mapping"])).unwrap();
        let mut opts = c["consumer"].clone();
        opts["arrivals"] = c["arrivals"].clone();
        opts["until"] = c["until"].clone();
        let got = ffi::serverless::drain(Host::RUST, &mut q, &m, Some(&opts))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let same = |a: &Value, b: &Value| match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        };
        for (k, want) in c["expect"].as_object().into_iter().flatten() {
            assert!(
                same(&got[k], want),
                "{name}: {k} = {} (want {want})",
                got[k]
            );
        }
        for (at, want) in c["points"].as_object().into_iter().flatten() {
            let p = &got["points"][at.parse::<usize>().unwrap()];
            assert_eq!(p["at"].as_f64(), Some(at.parse::<f64>().unwrap()), "{name}");
            for (k, v) in want.as_object().unwrap() {
                assert!(same(&p[k], v), "{name} at {at}: {k} = {} (want {v})", p[k]);
            }
        }
    }
}
