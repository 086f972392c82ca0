//! Conversions between JavaScript values and the core's: strings, whole numbers, seeds, times
//! in milliseconds, `Date`s, and plain data (with NaN and infinities refused).

use cnarch_core::ffi;
use cnarch_core::time::Instant;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{to_js, type_error, OrJs, HOST};

/// A result as plain JS data (objects, arrays; JSON-compatible).
pub fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| to_js(ffi::Error::internal(&e.to_string())))
}

/// A result with its names in camelCase.
pub fn out<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    to_js_value(&HOST.output(value).or_js()?)
}

/// A string argument; anything else is a `TypeError` naming it (wasm-bindgen's own `&str`
/// conversion reads other values as garbage).
pub fn string(v: &JsValue, argument: &str) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| type_error(argument, "a string", v))
}

/// An optional string argument (`undefined` or `null`: absent).
pub fn opt_string(v: &JsValue, argument: &str) -> Result<Option<String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        string(v, argument).map(Some)
    }
}

/// A whole-number argument that fits `T` (a count, a port). JavaScript passes any number, and
/// wasm-bindgen's own conversion would wrap -1 to 4294967295 and turn NaN into 0.
pub fn whole<T: TryFrom<i64>>(v: &JsValue, argument: &str) -> Result<T, JsValue> {
    let Some(x) = v.as_f64() else {
        return Err(type_error(argument, "a number", v));
    };
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        if let Ok(n) = T::try_from(x as i64) {
            return Ok(n);
        }
    }
    Err(to_js(ffi::Error::number(
        argument,
        "as a whole number in range",
        x,
    )))
}

/// An optional whole number (`undefined` or `null`: `default`).
pub fn opt_whole<T: TryFrom<i64>>(v: &JsValue, argument: &str, default: T) -> Result<T, JsValue> {
    Ok(maybe_whole(v, argument)?.unwrap_or(default))
}

/// An optional whole number (`undefined` or `null`: `None`).
pub fn maybe_whole<T: TryFrom<i64>>(v: &JsValue, argument: &str) -> Result<Option<T>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        whole(v, argument).map(Some)
    }
}

/// A number argument.
pub fn number(v: &JsValue, argument: &str) -> Result<f64, JsValue> {
    v.as_f64()
        .ok_or_else(|| type_error(argument, "a number", v))
}

/// A seed: a whole number from 0 to 2^53, or a BigInt up to 2^64 − 1; absent is 0.
pub fn seed(v: &JsValue, argument: &str) -> Result<u64, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(0);
    }
    if v.is_bigint() {
        return u64::try_from(v.clone()).map_err(|_| {
            to_js(ffi::Error::number(
                argument,
                "as a BigInt from 0 to 2^64 - 1",
                describe_big(v),
            ))
        });
    }
    whole::<u64>(v, argument)
}

fn describe_big(v: &JsValue) -> String {
    js_sys::BigInt::from(v.clone())
        .to_string(10)
        .map(String::from)
        .unwrap_or_else(|_| "a BigInt".into())
}

/// A time argument in milliseconds on the caller's clock.
pub fn time(ms: f64, argument: &str) -> Result<Instant, JsValue> {
    HOST.instant(ms, argument).or_js()
}

/// A duration argument in milliseconds.
pub fn millis(ms: f64, argument: &str) -> Result<std::time::Duration, JsValue> {
    HOST.duration(ms, argument).or_js()
}

/// Milliseconds of a duration.
pub fn ms(d: std::time::Duration) -> f64 {
    HOST.of(d)
}

/// Milliseconds since the epoch of a `Date` or a number.
pub fn epoch_ms(v: &JsValue, argument: &str) -> Result<f64, JsValue> {
    let ms = if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        d.get_time()
    } else if let Some(n) = v.as_f64() {
        n
    } else {
        return Err(type_error(
            argument,
            "a Date or milliseconds since the epoch",
            v,
        ));
    };
    if ms.is_finite() && ms.abs() <= 8.64e15 {
        Ok(ms)
    } else {
        Err(to_js(ffi::Error::number(
            argument,
            "to be a valid date",
            ms,
        )))
    }
}

/// Plain data from JavaScript as a JSON value; NaN and infinities are refused with their path
/// (`serde_json` would store them as `null`, read as "absent").
pub fn data(v: &JsValue, argument: &str) -> Result<serde_json::Value, JsValue> {
    if v.is_undefined() {
        return Ok(serde_json::Value::Null);
    }
    ffi::data::data(serde_wasm_bindgen::Deserializer::from(v.clone()), argument).or_js()
}

/// Optional plain data (`undefined` or `null`: absent).
pub fn opt_data(v: &JsValue, argument: &str) -> Result<Option<serde_json::Value>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        data(v, argument).map(Some)
    }
}

/// As [`whole`], for a parameter wasm-bindgen already read as a number.
pub fn whole_f64<T: TryFrom<i64>>(x: f64, argument: &str) -> Result<T, JsValue> {
    whole(&JsValue::from_f64(x), argument)
}

/// An outcome given as an HTTP status (a number) or a name, parsed by the core.
pub fn status_or_name<T: std::str::FromStr>(
    v: &JsValue,
    argument: &str,
    what: &str,
) -> Result<T, JsValue>
where
    T::Err: cnarch_core::error::Coded,
{
    let text = match (v.as_f64(), v.as_string()) {
        (Some(n), _) if n.fract() == 0.0 => format!("{n}"),
        (_, Some(s)) => s,
        _ => return Err(type_error(argument, what, v)),
    };
    text.parse().or_js()
}

/// An options object from a positional call's arguments (`[(name, value)]`, names as the
/// options object spells them); absent (`undefined`/`null`) arguments are left out, so they
/// take the core's defaults as in the options form.
pub fn positional(args: &[(&str, &JsValue)]) -> Result<serde_json::Value, JsValue> {
    let mut o = serde_json::Map::new();
    for (name, v) in args {
        if !(v.is_undefined() || v.is_null()) {
            o.insert((*name).to_string(), data(v, name)?);
        }
    }
    Ok(serde_json::Value::Object(o))
}
