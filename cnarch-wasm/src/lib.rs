//! WebAssembly bindings for cnarch (the `cnarch` npm package): conversion, error mapping and
//! JavaScript idioms only. Every decision is made in `cnarch-core`.
//!
//! Errors are thrown as JavaScript `Error` objects whose `name` is the error kind
//! (`ParseError`, `ValidationError`) with a stable `code` and, where known, `position`
//! (`{line, column}`) or `violations`. Times are milliseconds or `Date`s.
// wasm-bindgen's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

use cnarch_core::duration::parse_any;
use cnarch_core::quantity::{Quantity as CoreQuantity, QuantityFormat};
use cnarch_core::schedule::Schedule as CoreSchedule;
use cnarch_core::{LoadError, Violation};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::json_compatible()
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serializer())
        .map_err(|e| error("TypeError", &e.to_string(), "conversion_error"))
}

/// A JS `Error` with the given `name` and `code`.
fn error(name: &str, message: &str, code: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

fn parse_error(message: &str, code: &str, position: Option<(usize, usize)>) -> JsValue {
    let e = error("ParseError", message, code);
    let pos = match position {
        Some((line, column)) => {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"line".into(), &(line as u32).into());
            let _ = js_sys::Reflect::set(&o, &"column".into(), &(column as u32).into());
            o.into()
        }
        None => JsValue::NULL,
    };
    let _ = js_sys::Reflect::set(&e, &"position".into(), &pos);
    e
}

fn violations_js(violations: &[Violation]) -> JsValue {
    to_js(violations).unwrap_or(JsValue::NULL)
}

fn load_error(e: LoadError) -> JsValue {
    match e {
        LoadError::Syntax {
            ref message,
            line,
            column,
        } => parse_error(message, "syntax_error", line.zip(column)),
        LoadError::Invalid { ref violations } => {
            let err = error("ValidationError", &e.to_string(), e.code());
            let _ = js_sys::Reflect::set(&err, &"violations".into(), &violations_js(violations));
            err
        }
    }
}

/// JS documents (an object or an array of objects) as JSON values, one per document.
fn documents_from_js(docs: JsValue) -> Result<Vec<serde_json::Value>, JsValue> {
    let value: serde_json::Value = serde_wasm_bindgen::from_value(docs).map_err(|e| {
        error(
            "TypeError",
            &format!("expected a document object or an array of them: {e}"),
            "invalid_argument",
        )
    })?;
    Ok(match value {
        serde_json::Value::Array(items) => items,
        one => vec![one],
    })
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Loads and validates YAML or JSON text; returns the documents as plain objects.
#[wasm_bindgen]
pub fn load(text: &str) -> Result<JsValue, JsValue> {
    let docs = cnarch_core::load_str(text).map_err(load_error)?;
    // One JSON string and the engine's `JSON.parse` build large object graphs several times
    // faster than setting each property across the boundary.
    let json = serde_json::to_string(&docs)
        .map_err(|e| error("TypeError", &e.to_string(), "conversion_error"))?;
    js_sys::JSON::parse(&json)
}

/// Every violation of a document or an array of documents; empty when valid. Never throws
/// for invalid documents.
#[wasm_bindgen]
pub fn validate(docs: JsValue) -> Result<JsValue, JsValue> {
    let values = documents_from_js(docs)?;
    to_js(&cnarch_core::validate_json_values(values))
}

/// Writes documents as `"yaml"` (the default) or `"json"` text, after validating them.
#[wasm_bindgen]
pub fn dump(docs: JsValue, format: Option<String>) -> Result<String, JsValue> {
    let values = documents_from_js(docs)?;
    let docs = cnarch_core::load_json_values(values).map_err(load_error)?;
    match format.as_deref().unwrap_or("yaml") {
        "yaml" => cnarch_core::to_yaml(&docs).map_err(load_error),
        "json" => cnarch_core::to_json(&docs).map_err(load_error),
        other => Err(error(
            "TypeError",
            &format!("expected format \"yaml\" or \"json\", found {other:?}"),
            "invalid_argument",
        )),
    }
}

/// Milliseconds in a Go (`1h30m`) or Prometheus (`30d`) duration; fractional below a
/// millisecond.
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: &str) -> Result<f64, JsValue> {
    parse_any(text)
        .map(|d| d.as_nanos() as f64 / 1e6)
        .map_err(|e| parse_error(&e.to_string(), e.code(), None))
}

/// An exact Kubernetes resource quantity.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Quantity(CoreQuantity);

#[wasm_bindgen]
impl Quantity {
    /// Parses quantity text (`500m`, `1.5Gi`).
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<Quantity, JsValue> {
        CoreQuantity::parse(text)
            .map(Quantity)
            .map_err(|e| parse_error(&e.to_string(), e.code(), None))
    }

    /// The canonical text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }

    /// JSON form: the canonical text.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> String {
        self.0.to_string()
    }

    /// -1, 0 or 1 as this is less than, equal to or greater than `other`.
    pub fn compare(&self, other: &Quantity) -> i32 {
        self.0.cmp(&other.0) as i32
    }

    /// Equal values (`1Ki` equals `1024`).
    pub fn equals(&self, other: &Quantity) -> bool {
        self.0 == other.0
    }

    /// The sum (throws `RangeError` past the representable range).
    pub fn add(&self, other: &Quantity) -> Result<Quantity, JsValue> {
        self.0.checked_add(&other.0).map(Quantity).ok_or_else(|| {
            error(
                "RangeError",
                "quantity sum out of range",
                "quantity_out_of_range",
            )
        })
    }

    /// The difference (throws `RangeError` past the representable range).
    pub fn sub(&self, other: &Quantity) -> Result<Quantity, JsValue> {
        self.0.checked_sub(&other.0).map(Quantity).ok_or_else(|| {
            error(
                "RangeError",
                "quantity difference out of range",
                "quantity_out_of_range",
            )
        })
    }

    /// The negated value.
    pub fn neg(&self) -> Quantity {
        Quantity(self.0.neg())
    }

    /// The value rounded up, away from zero, to a whole unit.
    pub fn value(&self) -> i128 {
        self.0.value()
    }

    /// The value in thousandths, rounded up, away from zero.
    #[wasm_bindgen(js_name = milliValue)]
    pub fn milli_value(&self) -> i128 {
        self.0.milli_value()
    }

    /// The exact value in nanounits.
    pub fn nanos(&self) -> i128 {
        self.0.nanos()
    }

    /// `"DecimalSI"`, `"BinarySI"` or `"DecimalExponent"`.
    #[wasm_bindgen(getter)]
    pub fn format(&self) -> String {
        match self.0.format() {
            QuantityFormat::DecimalSI => "DecimalSI",
            QuantityFormat::BinarySI => "BinarySI",
            QuantityFormat::DecimalExponent => "DecimalExponent",
        }
        .to_string()
    }
}

/// A cron (Kubernetes CronJob), `@every`, or AWS `rate(...)`/`cron(...)` schedule.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Schedule(CoreSchedule);

#[wasm_bindgen]
impl Schedule {
    /// Parses a schedule expression.
    #[wasm_bindgen(constructor)]
    pub fn new(expr: &str) -> Result<Schedule, JsValue> {
        CoreSchedule::parse(expr)
            .map(Schedule)
            .map_err(|e| parse_error(&e.to_string(), e.code(), None))
    }

    /// The expression.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }

    /// The next `n` (default 1) fire times strictly after `after` (a `Date` or milliseconds
    /// since the epoch), as `Date`s in UTC.
    #[wasm_bindgen(js_name = nextAfter)]
    pub fn next_after(&self, after: JsValue, n: Option<u32>) -> Result<js_sys::Array, JsValue> {
        let ms = if let Some(d) = after.dyn_ref::<js_sys::Date>() {
            d.get_time()
        } else if let Some(n) = after.as_f64() {
            n
        } else {
            return Err(error(
                "TypeError",
                "expected a Date or milliseconds since the epoch",
                "invalid_argument",
            ));
        };
        if !ms.is_finite() {
            return Err(error(
                "RangeError",
                "expected a valid date, found an invalid one",
                "invalid_argument",
            ));
        }
        let micros = (ms * 1000.0).round() as i64;
        let t = chrono::DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| error("RangeError", "date out of range", "invalid_argument"))?;
        let out = js_sys::Array::new();
        for next in self.0.next_n_after(t, n.unwrap_or(1) as usize) {
            out.push(&js_sys::Date::new(&JsValue::from_f64(
                next.timestamp_millis() as f64,
            )));
        }
        Ok(out)
    }
}
