//! W3C Trace Context headers (text in, plain data out) and OpenTelemetry samplers
//! (`cnarch._core.Sampler`, wrapped as classes by `cnarch.tracing`).

use cnarch_core::ffi;
use cnarch_core::tracing::Sampler;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{opt_json, to_py};
use crate::error::{OrPy, HOST};

/// A parsed `traceparent` as a dict.
#[guarded]
#[pyfunction]
pub fn _parse_traceparent(py: Python<'_>, header: &str) -> PyResult<Py<PyAny>> {
    {
        let r = ffi::tracing::parse_traceparent(HOST, header).or_py()?;
        to_py(py, &r)
    }
}

/// A version 00 `traceparent`.
#[guarded]
#[pyfunction]
#[pyo3(signature = (trace_id, parent_id, options=None))]
pub fn _format_traceparent(
    trace_id: &str,
    parent_id: &str,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    {
        let o = opt_json(options, "options")?;
        ffi::tracing::format_traceparent(HOST, trace_id, parent_id, o.as_ref()).or_py()
    }
}

/// A `tracestate`'s members.
#[guarded]
#[pyfunction]
pub fn _parse_tracestate(header: &str) -> PyResult<Vec<(String, String)>> {
    {
        ffi::tracing::parse_tracestate(HOST, header).or_py()
    }
}

/// `header` with `key` set and moved to the left.
#[guarded]
#[pyfunction]
pub fn _update_tracestate(header: &str, key: &str, value: &str) -> PyResult<String> {
    {
        ffi::tracing::update_tracestate(HOST, header, key, value).or_py()
    }
}

/// `header` without `key`.
#[guarded]
#[pyfunction]
pub fn _remove_tracestate(header: &str, key: &str) -> PyResult<String> {
    {
        ffi::tracing::remove_tracestate(HOST, header, key).or_py()
    }
}

/// `header` truncated to `max_len` characters.
#[guarded]
#[pyfunction]
pub fn _truncate_tracestate(header: &str, max_len: usize) -> PyResult<String> {
    {
        ffi::tracing::truncate_tracestate(HOST, header, max_len).or_py()
    }
}

/// The span trees of a `DistributedTracing` (a dict as the model writes it).
#[guarded]
#[pyfunction]
pub fn _span_tree(py: Python<'_>, tracing: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    {
        let t = crate::convert::json_of(tracing, "tracing")?;
        let r = ffi::tracing::span_tree(HOST, &t).or_py()?;
        to_py(py, &r)
    }
}

/// A head sampler (the core's `tracing::Sampler`).
#[pyclass(name = "Sampler", module = "cnarch.tracing", frozen)]
pub(crate) struct PySampler(Sampler);

#[guarded]
#[pymethods]
impl PySampler {
    #[staticmethod]
    fn always_on() -> PyResult<Self> {
        Ok(PySampler(Sampler::AlwaysOn))
    }

    #[staticmethod]
    fn always_off() -> PyResult<Self> {
        Ok(PySampler(Sampler::AlwaysOff))
    }

    #[staticmethod]
    fn trace_id_ratio_based(ratio: f64) -> PyResult<Self> {
        ffi::tracing::trace_id_ratio(HOST, ratio)
            .map(PySampler)
            .or_py()
    }

    #[staticmethod]
    #[pyo3(signature = (probability, precision=None))]
    fn probability(probability: f64, precision: Option<u32>) -> PyResult<Self> {
        ffi::tracing::probability(HOST, probability, precision)
            .map(PySampler)
            .or_py()
    }

    #[staticmethod]
    #[pyo3(signature = (root, remote_parent_sampled=None, remote_parent_not_sampled=None, local_parent_sampled=None, local_parent_not_sampled=None))]
    fn parent_based(
        root: &PySampler,
        remote_parent_sampled: Option<&PySampler>,
        remote_parent_not_sampled: Option<&PySampler>,
        local_parent_sampled: Option<&PySampler>,
        local_parent_not_sampled: Option<&PySampler>,
    ) -> PyResult<Self> {
        let own = |s: Option<&PySampler>| s.map(|x| x.0.clone());
        Ok(PySampler(ffi::tracing::parent_based(
            root.0.clone(),
            own(remote_parent_sampled),
            own(remote_parent_not_sampled),
            own(local_parent_sampled),
            own(local_parent_not_sampled),
        )))
    }

    #[staticmethod]
    #[pyo3(signature = (rate=None))]
    fn from_sample_rate(rate: Option<f64>) -> PyResult<Self> {
        ffi::tracing::from_sample_rate(HOST, rate)
            .map(PySampler)
            .or_py()
    }

    /// The decision for a span of `trace_id` with `parent` (`{sampled, remote, tracestate}`).
    #[pyo3(signature = (trace_id, parent=None))]
    fn should_sample(
        &self,
        py: Python<'_>,
        trace_id: &str,
        parent: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let p = opt_json(parent, "parent")?;
        let r = ffi::tracing::should_sample(HOST, &self.0, trace_id, p.as_ref()).or_py()?;
        to_py(py, &r)
    }

    /// The OpenTelemetry Go SDK's description.
    #[getter]
    fn description(&self) -> PyResult<String> {
        Ok(self.0.description())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<Sampler {}>", self.0.description()))
    }
}
