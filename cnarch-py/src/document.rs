//! Loading, validating and writing documents, and durations.

use cnarch_core::duration::parse_any;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::json_of;
use crate::error::{violation_objects, OrPy};

/// Loads and validates YAML or JSON text; returns the documents as plain data.
#[guarded]
#[pyfunction]
pub fn load(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let docs = cnarch_core::load_str(text).or_py()?;
    crate::convert::to_py(py, &docs)
}

/// Every violation of the given document(s); an empty list when valid.
#[guarded]
#[pyfunction]
pub fn validate<'py>(py: Python<'py>, docs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let values = json_of(docs, "docs")?;
    violation_objects(py, &cnarch_core::validate_json_value(values))
}

/// Writes documents as YAML or JSON text (after validating them).
#[guarded]
#[pyfunction]
#[pyo3(signature = (docs, format = "yaml"))]
pub fn dump(docs: &Bound<'_, PyAny>, format: &str) -> PyResult<String> {
    let values = json_of(docs, "docs")?;
    let docs = cnarch_core::load_json_value(values).or_py()?;
    match format {
        "yaml" => cnarch_core::to_yaml(&docs).or_py(),
        "json" => cnarch_core::to_json(&docs).or_py(),
        other => Err(crate::error::err(cnarch_core::error::UnknownName::new(
            "format",
            format!("expected format `yaml` or `json`, found `{other}`"),
        ))),
    }
}

/// Nanoseconds of a duration in Go (`1h30m`) or Prometheus (`30d`) syntax.
#[guarded]
#[pyfunction]
pub fn parse_duration_ns(text: &str) -> PyResult<i64> {
    parse_any(text).map(|d| d.as_nanos()).or_py()
}

/// A duration argument (seconds as a number, or text in Go or Prometheus syntax) as seconds,
/// refusing negative, NaN and infinite values with the argument's name.
#[guarded]
#[pyfunction]
pub fn _duration_seconds(value: &Bound<'_, PyAny>, argument: &str) -> PyResult<f64> {
    let seconds = match value.extract::<String>() {
        Ok(text) => parse_any(&text)
            .map(|d| d.as_nanos() as f64 / 1e9)
            .or_py()?,
        Err(_) => value.extract::<f64>().map_err(|_| {
            crate::error::ffi_err(cnarch_core::ffi::Error::type_error(
                argument,
                "seconds, a timedelta or duration text",
                "another type",
            ))
        })?,
    };
    crate::convert::dur(seconds, argument).map(crate::convert::secs)
}

/// Test-only: panics inside Rust, to prove panics surface as `CnarchError`.
#[guarded]
#[pyfunction]
#[allow(clippy::panic)]
#[pyo3(signature = (without_token=false))]
pub fn _panic_for_tests(without_token: bool) -> PyResult<()> {
    if without_token {
        panic!("deliberate panic for the binding tests (guarded)")
    } else {
        panic!("deliberate panic for the binding tests")
    }
}
