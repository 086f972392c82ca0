//! Errors: every core error reaches JavaScript as `ffi::Error` and is thrown as an `Error`
//! whose `name` is its kind (the table in `docs/errors.md`), with `code`, `path`,
//! `position` (`{line, column}` or `null`) and `violations`. Argument errors are real
//! `RangeError`s and wrong types real `TypeError`s.

use cnarch_core::error::{Coded, ErrorKind, InvalidInput, Violation};
use cnarch_core::ffi::{self, Host};
use wasm_bindgen::prelude::*;

/// JavaScript: milliseconds, camelCase.
pub const HOST: Host = Host::JS;

/// The `name` of the thrown error for each kind.
pub fn js_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Parse => "ParseError",
        ErrorKind::Validation => "ValidationError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::Argument => "RangeError",
        ErrorKind::Type => "TypeError",
        ErrorKind::Policy => "PolicyError",
        ErrorKind::Calculation => "CalculationError",
        ErrorKind::State => "StateError",
        ErrorKind::Overflow => "QuantityOverflowError",
        ErrorKind::NotPermitted => "CallNotPermittedError",
        ErrorKind::Pattern => "PatternError",
        ErrorKind::Tracing => "TraceContextError",
        ErrorKind::Internal => "InternalError",
    }
}

pub fn set(o: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(o, &key.into(), value);
}

/// The thrown value for an `ffi::Error`.
pub fn to_js(e: ffi::Error) -> JsValue {
    let err: js_sys::Error = match e.kind {
        ErrorKind::Type => js_sys::TypeError::new(&e.message).into(),
        ErrorKind::Argument => js_sys::RangeError::new(&e.message).into(),
        _ => js_sys::Error::new(&e.message),
    };
    err.set_name(js_name(e.kind));
    let v: JsValue = err.into();
    set(&v, "code", &e.code.into());
    set(&v, "path", &e.path.map_or(JsValue::NULL, JsValue::from));
    let position = match e.position {
        Some(p) => {
            let o: JsValue = js_sys::Object::new().into();
            set(&o, "line", &(p.line as f64).into());
            set(&o, "column", &(p.column as f64).into());
            o
        }
        None => JsValue::NULL,
    };
    set(&v, "position", &position);
    set(&v, "violations", &violations_js(&e.violations));
    v
}

/// Violations as plain objects.
pub fn violations_js(violations: &[Violation]) -> JsValue {
    crate::convert::to_js_value(violations).unwrap_or(JsValue::NULL)
}

/// A core error as the thrown value.
pub fn err<E: Coded>(e: E) -> JsValue {
    to_js(HOST.error(&e))
}

/// Violations of structured input as a `ValidationError` (`invalid_input`).
pub fn invalid(violations: Vec<Violation>) -> JsValue {
    err(InvalidInput { violations })
}

/// `.map_err(err)` for core results.
pub trait OrJs<T> {
    /// The core error as its thrown value.
    fn or_js(self) -> Result<T, JsValue>;
}

impl<T, E: Coded> OrJs<T> for Result<T, E> {
    fn or_js(self) -> Result<T, JsValue> {
        self.map_err(err)
    }
}

/// A wrong-typed argument (`TypeError`, `invalid_argument_type`).
pub fn type_error(argument: &str, expected: &str, found: &JsValue) -> JsValue {
    to_js(ffi::Error::type_error(argument, expected, &describe(found)))
}

/// What a JS value is, in words.
pub fn describe(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(s) = v.as_string() {
        format!("the string {s:?}")
    } else if let Some(n) = v.as_f64() {
        format!("the number {n}")
    } else if v.as_bool().is_some() {
        "a boolean".into()
    } else if js_sys::Array::is_array(v) {
        "an array".into()
    } else if v.is_function() {
        "a function".into()
    } else if v.is_bigint() {
        "a BigInt".into()
    } else {
        "an object".into()
    }
}
