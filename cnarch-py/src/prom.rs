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
