//! Prometheus formats: promtool's expanding series notation (`cnarch.prometheus`).

use cnarch_core::ffi;
use cnarch_core::prom::series::SeriesValue;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::error::{OrPy, HOST};

/// The samples a notation expands to: floats, `None` for a missing sample, the string
/// `"stale"` for a stale marker (`cnarch.prometheus` turns it into `STALE`).
#[guarded]
#[pyfunction]
pub fn _expand_series(py: Python<'_>, notation: &str) -> PyResult<Vec<Py<PyAny>>> {
    {
        let values = ffi::prom::expand_series(HOST, notation).or_py()?;
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            out.push(match v {
                SeriesValue::Value(x) => pyo3::types::PyFloat::new(py, x).into_any().unbind(),
                SeriesValue::Missing => py.None(),
                SeriesValue::Stale => pyo3::types::PyString::new(py, "stale").into_any().unbind(),
            });
        }
        Ok(out)
    }
}

/// `values` (floats, `None` for a missing sample, the string `"stale"` for a stale marker)
/// written in the expanding notation.
#[guarded]
#[pyfunction]
pub fn _format_series(values: &Bound<'_, PyAny>) -> PyResult<String> {
    {
        let mut out = Vec::new();
        for (i, v) in values.try_iter()?.enumerate() {
            let v = v?;
            out.push(if v.is_none() {
                SeriesValue::Missing
            } else if v.extract::<&str>().is_ok_and(|s| s == "stale") {
                SeriesValue::Stale
            } else if v.cast::<pyo3::types::PyBool>().is_err() {
                match v.extract::<f64>() {
                    Ok(x) => SeriesValue::Value(x),
                    Err(_) => {
                        return Err(crate::error::err(ffi::Error::type_error(
                            &format!("values[{i}]"),
                            "a number, None or STALE",
                            &v.get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default(),
                        )))
                    }
                }
            } else {
                return Err(crate::error::err(ffi::Error::type_error(
                    &format!("values[{i}]"),
                    "a number, None or STALE",
                    "bool",
                )));
            });
        }
        Ok(ffi::prom::format_series(&out))
    }
}
