//! Lambda cost and checks: functions and architectures as the model writes them (dicts),
//! usage as keyword arguments (durations in seconds), price tables as dicts.

use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, kwargs, opt_json, to_py};
use crate::error::{OrPy, HOST};

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

/// An SQS event source mapping (`cnarch.serverless.EventSourceMapping`).
#[pyclass(name = "EventSourceMapping", module = "cnarch.serverless")]
pub(crate) struct PyEventSourceMapping(cnarch_core::serverless::esm::EventSourceMapping);

#[guarded]
#[pymethods]
impl PyEventSourceMapping {
    /// A mapping from CreateEventSourceMapping's parameters (`BatchSize`,
    /// `MaximumBatchingWindowInSeconds`, `FunctionResponseTypes`, `ScalingConfig`).
    #[new]
    #[pyo3(signature = (mapping=None))]
    fn new(mapping: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let m = opt_json(mapping, "mapping")?;
        ffi::serverless::event_source_mapping(HOST, m.as_ref())
            .map(PyEventSourceMapping)
            .or_py()
    }

    /// The settings: `batch_size`, `maximum_batching_window`, `report_batch_item_failures`,
    /// `maximum_concurrency`.
    #[getter]
    fn settings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let r = ffi::serverless::mapping_settings(HOST, &self.0).or_py()?;
        to_py(py, &r)
    }

    /// Drains `queue` (a `cnarch.events.Queue`, changed in place) through a function; times
    /// in seconds.
    #[pyo3(signature = (queue, *, duration, arrivals, until, per_message=None, timeout=None, reserved_concurrency=None, tick=None))]
    #[allow(clippy::too_many_arguments)]
    fn drain(
        &self,
        py: Python<'_>,
        mut queue: PyRefMut<'_, crate::sqs::PyQueue>,
        duration: &Bound<'_, PyAny>,
        arrivals: &Bound<'_, PyAny>,
        until: &Bound<'_, PyAny>,
        per_message: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        reserved_concurrency: Option<&Bound<'_, PyAny>>,
        tick: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let o = kwargs(&[
            ("duration", Some(duration)),
            ("arrivals", Some(arrivals)),
            ("until", Some(until)),
            ("per_message", per_message),
            ("timeout", timeout),
            ("reserved_concurrency", reserved_concurrency),
            ("tick", tick),
        ])?;
        let r = ffi::serverless::drain(HOST, &mut queue.0, &self.0, Some(&o)).or_py()?;
        to_py(py, &r)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "<EventSourceMapping BatchSize={} MaximumBatchingWindowInSeconds={}>",
            self.0.batch_size, self.0.maximum_batching_window
        ))
    }
}
