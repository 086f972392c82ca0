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
