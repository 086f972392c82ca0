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

/// Keyword arguments given (not `None`) as one options mapping, under their Python names.
pub fn kwargs(pairs: &[(&str, Option<&Bound<'_, PyAny>>)]) -> PyResult<serde_json::Value> {
    let mut map = serde_json::Map::new();
    for (k, v) in pairs {
        if let Some(v) = opt_json(*v, k)? {
            map.insert((*k).to_string(), v);
        }
    }
    Ok(serde_json::Value::Object(map))
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
