//! Exact values: quantities and schedules.

use cnarch_core::quantity::{Quantity as CoreQuantity, QuantityFormat};
use cnarch_core::schedule::Schedule as CoreSchedule;
use wasm_bindgen::prelude::*;

use crate::convert::{epoch_ms, opt_whole, string};
use crate::error::{to_js, OrJs};

/// An exact Kubernetes resource quantity.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Quantity(CoreQuantity);

#[wasm_bindgen]
impl Quantity {
    /// Parses quantity text (`500m`, `1.5Gi`).
    #[wasm_bindgen(constructor)]
    pub fn new(text: JsValue) -> Result<Quantity, JsValue> {
        CoreQuantity::parse(&string(&text, "text")?)
            .map(Quantity)
            .or_js()
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

    /// The sum (throws `QuantityOverflowError` past the representable range).
    pub fn add(&self, other: &Quantity) -> Result<Quantity, JsValue> {
        self.0.try_add(&other.0).map(Quantity).or_js()
    }

    /// The difference (throws `QuantityOverflowError` past the representable range).
    pub fn sub(&self, other: &Quantity) -> Result<Quantity, JsValue> {
        self.0.try_sub(&other.0).map(Quantity).or_js()
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
    pub fn new(expr: JsValue) -> Result<Schedule, JsValue> {
        CoreSchedule::parse(&string(&expr, "expr")?)
            .map(Schedule)
            .or_js()
    }

    /// The expression.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }

    /// The next `n` (default 1) fire times strictly after `after` (a `Date` or milliseconds
    /// since the epoch), as `Date`s in UTC; with `anchor` (when the rule was created), those
    /// of a schedule that began then.
    #[wasm_bindgen(js_name = nextAfter)]
    pub fn next_after(
        &self,
        after: JsValue,
        n: JsValue,
        anchor: JsValue,
    ) -> Result<js_sys::Array, JsValue> {
        let n: u32 = opt_whole(&n, "n", 1)?;
        let when = |v: &JsValue, name: &str| -> Result<chrono::DateTime<chrono::Utc>, JsValue> {
            let ms = epoch_ms(v, name)?;
            let micros = (ms * 1000.0).round() as i64;
            chrono::DateTime::from_timestamp_micros(micros).ok_or_else(|| {
                to_js(cnarch_core::ffi::Error::number(
                    name,
                    "to be a valid date",
                    ms,
                ))
            })
        };
        let t = when(&after, "after")?;
        let anchor = if anchor.is_undefined() || anchor.is_null() {
            None
        } else {
            Some(when(&anchor, "anchor")?)
        };
        let times = self.0.next_n_after_anchored(anchor, t, n as usize);
        let out = js_sys::Array::new();
        for next in times {
            out.push(&js_sys::Date::new(&JsValue::from_f64(
                next.timestamp_millis() as f64,
            )));
        }
        Ok(out)
    }
}
