//! Conversions between Python values and the core's: times (seconds on the caller's clock),
//! durations, plain data (dicts and lists as JSON values) and results.

use cnarch_core::ffi;
use cnarch_core::time::Instant;
use pyo3::prelude::*;
use serde::Serialize;

use crate::error::{OrPy, HOST};

/// A time argument (seconds on the caller's clock), refused when negative, NaN, infinite or
/// past the nanosecond timeline.
pub fn time_in(s: f64) -> PyResult<Instant> {
    HOST.instant(s, "now").or_py()
}

/// A duration argument in seconds, naming `field` when refused.
pub fn dur(s: f64, field: &str) -> PyResult<std::time::Duration> {
    HOST.duration(s, field).or_py()
}

/// Seconds of a duration.
pub fn secs(d: std::time::Duration) -> f64 {
    d.as_secs_f64()
}

/// Python data (dicts, lists, numbers, strings, None) as a JSON value; anything else, or a
/// NaN or infinite float, is refused naming the argument and the path inside it.
///
/// A `datetime.timedelta` anywhere inside is read as its seconds, so every duration option
/// takes a `timedelta` as well as seconds or duration text.
pub fn json_of(v: &Bound<'_, PyAny>, argument: &str) -> PyResult<serde_json::Value> {
    let delta = v.py().import("datetime")?.getattr("timedelta")?;
    match with_seconds(v, &delta)? {
        Some(plain) => {
            let mut de = pythonize::Depythonizer::from_object(&plain);
            ffi::data::data(&mut de, argument).or_py()
        }
        None => {
            let mut de = pythonize::Depythonizer::from_object(v);
            ffi::data::data(&mut de, argument).or_py()
        }
    }
}

/// `v` with every `timedelta` (in dicts, lists and tuples) replaced by its seconds, or `None`
/// when it holds none (the common case copies nothing).
fn with_seconds<'py>(
    v: &Bound<'py, PyAny>,
    delta: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    use pyo3::types::{PyDict, PyList, PyTuple};
    if v.is_instance(delta)? {
        // Whole seconds stay integers, for fields Kubernetes types as int (KEDA's
        // `cooldownPeriod`, `periodSeconds`).
        let micros: i64 = v.getattr("microseconds")?.extract()?;
        if micros == 0 {
            let days: i64 = v.getattr("days")?.extract()?;
            let secs: i64 = v.getattr("seconds")?.extract()?;
            let whole = days.saturating_mul(86_400).saturating_add(secs);
            return Ok(Some(whole.into_pyobject(v.py())?.into_any()));
        }
        return Ok(Some(v.call_method0("total_seconds")?));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut changed: Option<Bound<'py, PyDict>> = None;
        for (k, x) in d.iter() {
            if let Some(y) = with_seconds(&x, delta)? {
                changed.get_or_insert(d.copy()?).set_item(k, y)?;
            }
        }
        return Ok(changed.map(Bound::into_any));
    }
    let items: Option<Vec<Bound<'py, PyAny>>> = if let Ok(l) = v.cast::<PyList>() {
        Some(l.iter().collect())
    } else if let Ok(t) = v.cast::<PyTuple>() {
        Some(t.iter().collect())
    } else {
        None
    };
    let Some(items) = items else { return Ok(None) };
    let mut out = Vec::with_capacity(items.len());
    let mut any = false;
    for x in &items {
        match with_seconds(x, delta)? {
            Some(y) => {
                any = true;
                out.push(y);
            }
            None => out.push(x.clone()),
        }
    }
    Ok(if any {
        Some(PyList::new(v.py(), out)?.into_any())
    } else {
        None
    })
}

/// An optional argument as plain data (`None` stays absent).
pub fn opt_json(
    v: Option<&Bound<'_, PyAny>>,
    argument: &str,
) -> PyResult<Option<serde_json::Value>> {
    v.filter(|x| !x.is_none())
        .map(|x| json_of(x, argument))
        .transpose()
}

/// Reads `T` from Python data with the core's path-naming errors.
pub fn read<T: serde::de::DeserializeOwned>(v: &Bound<'_, PyAny>, argument: &str) -> PyResult<T> {
    ffi::read(HOST, &json_of(v, argument)?, argument, &[]).or_py()
}

/// A result as Python data.
pub fn to_py<T: Serialize + ?Sized>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, v)?.unbind())
}

/// A hash for `__hash__`.
pub fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// An outcome given as an HTTP status (int) or a name, parsed by the core (`argument` names it
/// in a type error; `expected` says what it may be).
pub fn status_or_name<T: std::str::FromStr>(
    v: &Bound<'_, PyAny>,
    argument: &str,
    expected: &str,
) -> PyResult<T>
where
    T::Err: cnarch_core::error::Coded,
{
    let text = match v.extract::<u16>() {
        Ok(code) => code.to_string(),
        Err(_) => v.extract::<String>().map_err(|_| {
            crate::error::ffi_err(ffi::Error::type_error(argument, expected, "another type"))
        })?,
    };
    text.parse().or_py()
}

/// Why [`json_data`] refused a value, and where (segments innermost first).
struct Refused {
    at: Vec<String>,
    found: String,
    why: Why,
}

#[derive(Clone, Copy, PartialEq)]
enum Why {
    Type,
    Number,
    Deep,
}

/// JSON-shaped Python data (dicts with `str` keys, lists, tuples, `str`, `int`, `float`, `bool`,
/// `None`) read directly, without `json_of`'s `timedelta` pass or path tracking on the way
/// (the path is assembled only when something is refused), nested at most `max_depth` levels.
/// For per-call hot paths such as events; refusals are those of `json_of`.
pub fn json_data(
    v: &Bound<'_, PyAny>,
    argument: &str,
    max_depth: usize,
) -> PyResult<serde_json::Value> {
    json_value(v, max_depth).map_err(|r| {
        let mut at = argument.to_string();
        for seg in r.at.iter().rev() {
            at.push_str(seg);
        }
        let e = match r.why {
            Why::Number => ffi::Error::number(&at, "to be a finite number", &r.found),
            Why::Deep => ffi::Error::number(
                argument,
                &format!("to nest at most {max_depth} levels deep"),
                "deeper nesting",
            ),
            Why::Type => ffi::Error::type_error(
                &at,
                "plain data (mappings, lists, numbers, strings, booleans, null)",
                &r.found,
            ),
        };
        crate::error::err(e)
    })
}

fn json_value(v: &Bound<'_, PyAny>, depth: usize) -> Result<serde_json::Value, Refused> {
    use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
    use serde_json::Value;
    let refuse = |found: String, why: Why| Refused {
        at: Vec::new(),
        found,
        why,
    };
    if let Ok(s) = v.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| refuse("a string that is not valid Unicode".into(), Why::Type));
    }
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if v.cast::<PyInt>().is_ok() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(i.into());
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(u.into());
        }
        return Err(refuse("an integer beyond 64 bits".into(), Why::Type));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        return serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| refuse(format!("{x}"), Why::Number));
    }
    let nested = |items: &mut dyn Iterator<Item = Bound<'_, PyAny>>| -> Result<Value, Refused> {
        if depth == 0 {
            return Err(refuse(String::new(), Why::Deep));
        }
        let mut out = Vec::new();
        for (i, x) in items.enumerate() {
            out.push(json_value(&x, depth - 1).map_err(|mut r| {
                r.at.push(format!("[{i}]"));
                r
            })?);
        }
        Ok(Value::Array(out))
    };
    if let Ok(d) = v.cast::<PyDict>() {
        if depth == 0 {
            return Err(refuse(String::new(), Why::Deep));
        }
        let mut out = serde_json::Map::new();
        for (k, x) in d.iter() {
            let Ok(key) = k
                .cast::<PyString>()
                .map_err(|_| ())
                .and_then(|k| k.to_cow().map_err(|_| ()))
            else {
                let name = k
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                return Err(refuse(format!("a key of type {name}"), Why::Type));
            };
            let key = key.into_owned();
            let value = json_value(&x, depth - 1).map_err(|mut r| {
                r.at.push(format!(".{key}"));
                r
            })?;
            out.insert(key, value);
        }
        return Ok(Value::Object(out));
    }
    if let Ok(l) = v.cast::<PyList>() {
        return nested(&mut l.iter());
    }
    if let Ok(t) = v.cast::<PyTuple>() {
        return nested(&mut t.iter());
    }
    let name = v
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    Err(refuse(format!("a value of type {name}"), Why::Type))
}
