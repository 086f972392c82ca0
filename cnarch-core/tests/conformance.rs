//! Runs the shared conformance vectors in `testdata/` (facts from Kubernetes, Go, Prometheus,
//! robfig/cron and EventBridge; each file names its sources) against cnarch-core.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, Utc};
use cnarch_core::duration::{Duration, PromDuration};
use cnarch_core::quantity::{Quantity, QuantityFormat};
use cnarch_core::schedule::Schedule;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    common::testdata(name)
}

fn items<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    let list = v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"));
    assert!(!list.is_empty(), "{key} is empty");
    list
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn format_name(f: QuantityFormat) -> &'static str {
    match f {
        QuantityFormat::DecimalSI => "DecimalSI",
        QuantityFormat::BinarySI => "BinarySI",
        QuantityFormat::DecimalExponent => "DecimalExponent",
    }
}

#[test]
fn quantity_parse_vectors() {
    let v = vectors("quantity.json");
    for case in items(&v, "parse") {
        let input = s(case, "input");
        let nanos: i128 = s(case, "nanos").parse().unwrap();
        let format = s(case, "format");
        for (sign, prefix) in [(1, ""), (-1, "-"), (1, "+")] {
            let text = format!("{prefix}{input}");
            let q = Quantity::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(q.nanos(), sign * nanos, "{text}");
            assert_eq!(format_name(q.format()), format, "{text}");
        }
    }
}

#[test]
fn quantity_canonical_vectors() {
    let v = vectors("quantity.json");
    for case in items(&v, "canonical") {
        let input = s(case, "input");
        let expected = s(case, "canonical");
        let q = Quantity::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(q.to_string(), expected, "{input}");
        // The canonical text parses back to the same value.
        assert_eq!(Quantity::parse(expected).unwrap(), q, "{expected}");
        if !q.is_zero() {
            assert_eq!(
                Quantity::parse(&format!("-{input}")).unwrap().to_string(),
                format!("-{expected}"),
                "-{input}"
            );
        }
    }
}

#[test]
fn quantity_invalid_vectors() {
    let v = vectors("quantity.json");
    for case in items(&v, "invalid") {
        let input = case.as_str().unwrap();
        assert!(
            Quantity::parse(input).is_err(),
            "`{input}` should be rejected"
        );
    }
}

#[test]
fn quantity_compare_and_arithmetic_vectors() {
    let v = vectors("quantity.json");
    let q = |t: &str| Quantity::parse(t).unwrap();
    for case in items(&v, "compare") {
        let (a, b) = (q(s(case, "a")), q(s(case, "b")));
        let want = case["cmp"].as_i64().unwrap();
        assert_eq!(a.cmp(&b) as i64, want, "{case}");
        assert_eq!(b.cmp(&a) as i64, -want, "{case}");
    }
    for case in items(&v, "arithmetic") {
        let a = q(s(case, "a"));
        let got = match s(case, "op") {
            "neg" => a.neg(),
            "add" => a.checked_add(&q(s(case, "b"))).unwrap(),
            "sub" => a.checked_sub(&q(s(case, "b"))).unwrap(),
            "mul" => a.checked_mul(case["factor"].as_i64().unwrap()).unwrap(),
            op => panic!("unknown op {op}"),
        };
        assert_eq!(got.to_string(), s(case, "result"), "{case}");
    }
}

#[test]
fn go_duration_vectors() {
    let v = vectors("duration.json");
    for case in items(&v, "go_parse") {
        let input = s(case, "input");
        let nanos: i64 = s(case, "nanos").parse().unwrap();
        let d = Duration::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(d.as_nanos(), nanos, "{input}");
        // Printing and parsing again gives the same duration.
        assert_eq!(Duration::parse(&d.to_string()).unwrap(), d, "{input} → {d}");
    }
    for case in items(&v, "go_invalid") {
        let input = case.as_str().unwrap();
        assert!(
            Duration::parse(input).is_err(),
            "`{input}` should be rejected"
        );
    }
    for case in items(&v, "go_string") {
        let nanos: i64 = s(case, "nanos").parse().unwrap();
        assert_eq!(
            Duration::from_nanos(nanos).to_string(),
            s(case, "string"),
            "{case}"
        );
    }
}

#[test]
fn prometheus_duration_vectors() {
    let v = vectors("duration.json");
    for case in items(&v, "prometheus_parse") {
        let input = s(case, "input");
        let d = PromDuration::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            i128::from(d.to_go().as_nanos()),
            s(case, "nanos").parse::<i128>().unwrap(),
            "{input}"
        );
        assert_eq!(d.to_string(), s(case, "string"), "{input}");
    }
    for case in items(&v, "prometheus_invalid") {
        let input = case.as_str().unwrap();
        assert!(
            PromDuration::parse(input).is_err(),
            "`{input}` should be rejected"
        );
    }
}

fn at(t: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc)
}

#[test]
fn schedule_vectors() {
    let v = vectors("schedule.json");
    for case in items(&v, "next") {
        let expr = s(case, "expr");
        let schedule = Schedule::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let want: Vec<DateTime<Utc>> = case["next"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| at(t.as_str().unwrap()))
            .collect();
        let n = want.len().max(1);
        let anchor = case.get("anchor").map(|a| at(a.as_str().unwrap()));
        let got = schedule.next_n_after_anchored(anchor, at(s(case, "after")), n);
        let got = &got[..got.len().min(want.len())];
        assert_eq!(got, &want[..], "{expr} after {}", s(case, "after"));
        if want.is_empty() {
            assert_eq!(schedule.next_after(at(s(case, "after"))), None, "{expr}");
        }
    }
    for case in items(&v, "invalid") {
        let input = case.as_str().unwrap();
        let err = Schedule::parse(input).expect_err(input);
        assert_eq!(err.code(), "invalid_schedule");
    }
}
