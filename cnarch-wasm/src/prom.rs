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
