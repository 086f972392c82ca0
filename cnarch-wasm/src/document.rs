//! Loading, validating and writing documents, and durations.

use cnarch_core::duration::parse_any;
use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_string, string, to_js_value};
use crate::error::{to_js, OrJs};

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Loads and validates YAML or JSON text; returns the documents as plain objects.
#[wasm_bindgen]
pub fn load(text: JsValue) -> Result<JsValue, JsValue> {
    let docs = cnarch_core::load_str(&string(&text, "text")?).or_js()?;
    // One JSON string and the engine's `JSON.parse` build large object graphs several times
    // faster than setting each property across the boundary.
    let json =
        serde_json::to_string(&docs).map_err(|e| to_js(ffi::Error::internal(&e.to_string())))?;
    js_sys::JSON::parse(&json)
}

/// Every violation of a document or an array of documents; empty when valid. Never throws
/// for invalid documents.
#[wasm_bindgen]
pub fn validate(docs: JsValue) -> Result<JsValue, JsValue> {
    to_js_value(&cnarch_core::validate_json_value(data(&docs, "docs")?))
}

/// Writes documents as `"yaml"` (the default) or `"json"` text, after validating them.
#[wasm_bindgen]
pub fn dump(docs: JsValue, format: JsValue) -> Result<String, JsValue> {
    let docs = cnarch_core::load_json_value(data(&docs, "docs")?).or_js()?;
    match opt_string(&format, "format")?.as_deref().unwrap_or("yaml") {
        "yaml" => cnarch_core::to_yaml(&docs).or_js(),
        "json" => cnarch_core::to_json(&docs).or_js(),
        other => Err(crate::error::err(cnarch_core::error::UnknownName::new(
            "format",
            format!("expected format `yaml` or `json`, found `{other}`"),
        ))),
    }
}

/// Milliseconds in a Go (`1h30m`) or Prometheus (`30d`) duration; fractional below a
/// millisecond.
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: JsValue) -> Result<f64, JsValue> {
    parse_any(&string(&text, "text")?)
        .map(|d| d.as_nanos() as f64 / 1e6)
        .or_js()
}
