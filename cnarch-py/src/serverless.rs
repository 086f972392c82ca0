//! Lambda cost and checks: functions and architectures as the model writes them (dicts),
//! usage as keyword arguments (durations in seconds), price tables as dicts.

use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, opt_json, to_py};
use crate::error::OrPy;

const HOST: ffi::Host = ffi::Host::PYTHON;

/// The month's cost of `function` with `options` (invocations, duration, ...).
#[guarded]
#[pyfunction]
pub fn _serverless_cost(
    py: Python<'_>,
    function: &Bound<'_, PyAny>,
    options: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    {
        let f = json_of(function, "function")?;
        let o = opt_json(Some(options), "options")?;
        let r = ffi::serverless::cost(HOST, &f, o.as_ref()).or_py()?;
        to_py(py, &r)
    }
}

/// The published Lambda price table.
#[guarded]
#[pyfunction]
pub fn _serverless_prices(py: Python<'_>) -> PyResult<Py<PyAny>> {
    {
        let r = ffi::serverless::default_prices(HOST).or_py()?;
        to_py(py, &r)
    }
}

/// The findings on an event-driven architecture's functions.
#[guarded]
#[pyfunction]
pub fn _serverless_check(py: Python<'_>, architecture: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    {
        let a = json_of(architecture, "architecture")?;
        let r = ffi::serverless::check(&a).or_py()?;
        to_py(py, &r)
    }
}
