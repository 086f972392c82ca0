//! Autoscaling: the HPA's replica calculator and controller, Knative's KPA, KEDA and the
//! simulator. Times are seconds; every default is the controller's own (in `ffi::autoscale`).

use cnarch_core::autoscale::hpa::HorizontalAutoscaler;
use cnarch_core::autoscale::keda::{is_active as keda_is_active, ScaledObject};
use cnarch_core::autoscale::kpa::ServerlessAutoscaler;
use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, opt_json, time_in, to_py};
use crate::error::{OrPy, HOST};

/// One metric's proposal (`desired_replicas`, `utilization`, `raw_average`, `value`) for
/// per-pod metrics; `options` are the replica calculator's in snake_case.
#[guarded]
#[pyfunction]
#[pyo3(signature = (current_replicas, pods, options=None))]
pub fn _replica_calc(
    py: Python<'_>,
    current_replicas: i32,
    pods: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let r = ffi::autoscale::replica_calc(
        HOST,
        current_replicas,
        &json_of(pods, "pods")?,
        opt_json(options, "options")?.as_ref(),
    )
    .or_py()?;
    to_py(py, &r)
}

/// The proposal for an Object or External metric.
#[guarded]
#[pyfunction]
#[pyo3(signature = (current_replicas, total, options=None))]
pub fn _object_replica_calc(
    py: Python<'_>,
    current_replicas: i32,
    total: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let r = ffi::autoscale::object_replica_calc(
        HOST,
        current_replicas,
        &json_of(total, "total")?,
        opt_json(options, "options")?.as_ref(),
    )
    .or_py()?;
    to_py(py, &r)
}

/// The native HPA controller.
#[pyclass(name = "_HorizontalAutoscaler", module = "cnarch._core")]
pub(crate) struct PyHpa(HorizontalAutoscaler);

#[guarded]
#[pymethods]
impl PyHpa {
    #[new]
    #[pyo3(signature = (spec, options=None))]
    fn new(spec: &Bound<'_, PyAny>, options: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        ffi::autoscale::horizontal_autoscaler(
            HOST,
            &json_of(spec, "spec")?,
            opt_json(options, "options")?.as_ref(),
        )
        .map(PyHpa)
        .or_py()
    }

    /// The decision as a dict (conditions' `status` is `"True"`/`"False"`, as Kubernetes
    /// writes it).
    #[pyo3(signature = (now, current_replicas, metrics, options=None))]
    fn decide(
        &mut self,
        py: Python<'_>,
        now: f64,
        current_replicas: i32,
        metrics: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let d = ffi::autoscale::hpa_decide(
            HOST,
            &mut self.0,
            now,
            current_replicas,
            &json_of(metrics, "metrics")?,
            opt_json(options, "options")?.as_ref(),
        )
        .or_py()?;
        to_py(py, &d)
    }

    /// The effective metric names, in input order.
    fn metric_names(&self) -> PyResult<Vec<String>> {
        Ok(self.0.metrics().iter().map(|m| m.display_name()).collect())
    }
}

/// The native KPA.
#[pyclass(name = "_ServerlessAutoscaler", module = "cnarch._core")]
pub(crate) struct PyKpa(ServerlessAutoscaler);

#[guarded]
#[pymethods]
impl PyKpa {
    #[new]
    #[pyo3(signature = (config, decider=None, start=0.0, start_ready=0))]
    fn new(
        config: &Bound<'_, PyAny>,
        decider: Option<&Bound<'_, PyAny>>,
        start: f64,
        start_ready: u32,
    ) -> PyResult<Self> {
        ffi::autoscale::serverless_autoscaler(
            HOST,
            Some(&json_of(config, "config")?),
            opt_json(decider, "decider")?.as_ref(),
            start,
            start_ready,
        )
        .map(PyKpa)
        .or_py()
    }

    #[pyo3(signature = (now, stable, panic, ready_pods, reachable=true))]
    fn scale(
        &mut self,
        py: Python<'_>,
        now: f64,
        stable: f64,
        panic: f64,
        ready_pods: u32,
        reachable: bool,
    ) -> PyResult<Py<PyAny>> {
        let d = self
            .0
            .scale_reachable(time_in(now)?, stable, panic, ready_pods, reachable)
            .or_py()?;
        to_py(py, &d)
    }
}

/// The native KEDA ScaledObject.
#[pyclass(name = "_ScaledObject", module = "cnarch._core")]
pub(crate) struct PyKeda(ScaledObject);

#[guarded]
#[pymethods]
impl PyKeda {
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        ffi::autoscale::scaled_object(HOST, &json_of(config, "config")?)
            .map(PyKeda)
            .or_py()
    }

    fn poll(
        &mut self,
        py: Python<'_>,
        now: f64,
        current_replicas: u32,
        values: Vec<Option<f64>>,
    ) -> PyResult<Py<PyAny>> {
        let d = self.0.poll(time_in(now)?, current_replicas, &values);
        to_py(py, &d)
    }

    fn hpa_spec(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.0.hpa_spec())
    }
}

/// Whether a KEDA trigger with this value is active (KEDA's default `activationThreshold`
/// is 0).
#[guarded]
#[pyfunction]
#[pyo3(signature = (value, activation_threshold=None))]
pub fn keda_activation(value: f64, activation_threshold: Option<f64>) -> PyResult<bool> {
    Ok(keda_is_active(
        value,
        activation_threshold.unwrap_or(cnarch_core::autoscale::keda::DEFAULT_ACTIVATION_THRESHOLD),
    ))
}

/// `{"timeline": {...}, "summary": {...}}`.
#[guarded]
#[pyfunction]
pub fn _simulate(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    trace: &Bound<'_, PyAny>,
    seed: u64,
) -> PyResult<Py<PyAny>> {
    let r = ffi::autoscale::simulate(
        HOST,
        &json_of(config, "config")?,
        &json_of(trace, "trace")?,
        seed,
    )
    .or_py()?;
    to_py(py, &r)
}

/// Both configurations on the same trace and seed.
#[guarded]
#[pyfunction]
pub fn _compare(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    trace: &Bound<'_, PyAny>,
    seed: u64,
) -> PyResult<Py<PyAny>> {
    let r = ffi::autoscale::compare(
        HOST,
        &json_of(a, "a")?,
        &json_of(b, "b")?,
        &json_of(trace, "trace")?,
        seed,
    )
    .or_py()?;
    to_py(py, &r)
}
