//! promtool's expanding series notation against `testdata/prometheus/series.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cnarch_core::ffi::{self, Host};
use cnarch_core::prom::series::SeriesValue;
use serde_json::Value;

fn want(v: &Value) -> SeriesValue {
    match v {
        Value::Null => SeriesValue::Missing,
        Value::String(s) if s == "stale" => SeriesValue::Stale,
        Value::String(s) if s == "+Inf" => SeriesValue::Value(f64::INFINITY),
        Value::String(s) if s == "-Inf" => SeriesValue::Value(f64::NEG_INFINITY),
        Value::String(s) if s == "NaN" => SeriesValue::Value(f64::NAN),
        other => SeriesValue::Value(other.as_f64().unwrap()),
    }
}

#[test]
fn series_notation_vectors() {
    let path = format!(
        "{}/../testdata/prometheus/series.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for c in v["cases"].as_array().unwrap() {
        let got = ffi::prom::expand_series(Host::RUST, c["notation"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e:?}", c["why"]));
        let expected: Vec<SeriesValue> = c["values"].as_array().unwrap().iter().map(want).collect();
        assert_eq!(got, expected, "{}", c["why"]);
    }
    for c in v["invalid"].as_array().unwrap() {
        let e = ffi::prom::expand_series(Host::RUST, c["notation"].as_str().unwrap())
            .expect_err(c["why"].as_str().unwrap());
        assert_eq!(e.code, "invalid_series", "{}", c["why"]);
        assert_eq!(e.path.as_deref(), Some("notation"));
    }
    assert!(cnarch_core::prom::series::expand("1x99999999999").is_err());
}

proptest::proptest! {
    /// Any text expands or is refused, never panics; accepted notations stay within the limit.
    #[test]
    fn any_text_expands_or_is_refused(text in "\\PC{0,40}") {
        if let Ok(v) = cnarch_core::prom::series::expand(&text) {
            proptest::prop_assert!(v.len() as u64 <= cnarch_core::prom::series::MAX_SAMPLES);
        }
    }
}

/// Writing then reading gives the same samples, bit for bit; runs are compressed.
#[test]
fn format_writes_runs_that_read_back() {
    use cnarch_core::prom::series::{expand, format, SeriesValue::*};
    let v = vec![
        Value(1.0),
        Value(1.0),
        Value(1.0),
        Missing,
        Missing,
        Value(5.0),
        Value(0.1),
        Value(0.2),
        Value(0.30000000000000004),
        Value(0.4),
        Stale,
        Value(-2.0),
        Value(2.0),
        Value(6.0),
    ];
    let text = format(&v);
    assert_eq!(expand(&text).unwrap(), v, "{text}");
    assert_eq!(text, "1x2 _x2 5 0.1+0.1x3 stale -2+4x2");
}

mod round_trip {
    use cnarch_core::prom::series::{expand, format, SeriesValue};
    use proptest::prelude::*;

    fn sample() -> impl Strategy<Value = SeriesValue> {
        prop_oneof![
            3 => (-5i32..5).prop_map(|x| SeriesValue::Value(f64::from(x) * 0.5)),
            1 => any::<f64>().prop_filter("not NaN", |x| !x.is_nan()).prop_map(SeriesValue::Value),
            1 => Just(SeriesValue::Missing),
            1 => Just(SeriesValue::Stale),
        ]
    }

    proptest! {
        /// Any samples (no NaN) write to a notation that reads back bit for bit.
        #[test]
        fn format_round_trips(vals in prop::collection::vec(sample(), 0..30)) {
            let text = format(&vals);
            let back = expand(&text).unwrap();
            prop_assert_eq!(back.len(), vals.len(), "{}", text);
            for (a, b) in back.iter().zip(&vals) {
                match (a, b) {
                    (SeriesValue::Value(x), SeriesValue::Value(y)) => {
                        prop_assert_eq!(x.to_bits(), y.to_bits(), "{}", text)
                    }
                    _ => prop_assert_eq!(a, b, "{}", text),
                }
            }
        }
    }
}
