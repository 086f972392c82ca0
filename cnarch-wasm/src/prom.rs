//! Prometheus formats: promtool's expanding series notation.

use cnarch_core::ffi;
use cnarch_core::prom::series::SeriesValue;
use wasm_bindgen::prelude::*;

use crate::error::{OrJs, HOST};

/// The samples a notation expands to: numbers, `null` for a missing sample, the string
/// `"stale"` for a stale marker.
#[wasm_bindgen(js_name = expandSeries)]
pub fn expand_series(notation: &str) -> Result<js_sys::Array, JsValue> {
    let values = ffi::prom::expand_series(HOST, notation).or_js()?;
    Ok(values
        .into_iter()
        .map(|v| match v {
            SeriesValue::Value(x) => JsValue::from_f64(x),
            SeriesValue::Missing => JsValue::NULL,
            SeriesValue::Stale => JsValue::from_str("stale"),
        })
        .collect())
}

/// `values` (numbers, `null` for a missing sample, `"stale"` for a stale marker) written in
/// the expanding notation.
#[wasm_bindgen(js_name = formatSeries)]
pub fn format_series(values: js_sys::Array) -> Result<String, JsValue> {
    let mut out = Vec::with_capacity(values.length() as usize);
    for (i, v) in values.iter().enumerate() {
        out.push(if v.is_null() {
            SeriesValue::Missing
        } else if v.as_string().is_some_and(|s| s == "stale") {
            SeriesValue::Stale
        } else if let Some(x) = v.as_f64() {
            SeriesValue::Value(x)
        } else {
            return Err(crate::error::to_js(ffi::Error::type_error(
                &format!("values[{i}]"),
                "a number, null or \"stale\"",
                "another type",
            )));
        });
    }
    Ok(ffi::prom::format_series(&out))
}
