//! The circuit breaker, with a `call` that crosses into the native module once.

use std::sync::OnceLock;

use cnarch_core::ffi;
use cnarch_core::resilience::breaker::{CircuitBreaker, Outcome, Permit, State};
use cnarch_py_macros::guarded;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{dur, json_of, opt_json, secs, time_in, to_py};
use crate::error::{OrPy, HOST};

/// The native breaker; `cnarch.resilience.CircuitBreaker` wraps it with Python idioms.
/// `ignore` and `exclude` are the exception classes `call` does not count or counts as
/// successes.
#[pyclass(name = "_CircuitBreaker", module = "cnarch._core", frozen)]
pub(crate) struct PyBreaker {
    inner: CircuitBreaker,
    ignore: Option<Py<PyAny>>,
    exclude: Option<Py<PyAny>>,
}

/// `types.CoroutineType`, looked up once.
fn coroutine_type(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static T: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    T.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("types")?.getattr("CoroutineType")?.unbind())
    })
    .map(|t| t.bind(py))
}

/// A permit's identity, as the native breaker hands it out.
#[pyclass(name = "_Permit", module = "cnarch._core", frozen)]
pub(crate) struct PyPermit(Permit);

/// `time.monotonic()` read natively: the same clock (CLOCK_MONOTONIC), anchored once to
/// Python's reading so times from both agree.
fn monotonic(py: Python<'_>) -> PyResult<f64> {
    static ORIGIN: OnceLock<(std::time::Instant, f64)> = OnceLock::new();
    if let Some((at, secs)) = ORIGIN.get() {
        return Ok(secs + at.elapsed().as_secs_f64());
    }
    let secs: f64 = py.import("time")?.call_method0("monotonic")?.extract()?;
    let (at, base) = ORIGIN.get_or_init(|| (std::time::Instant::now(), secs));
    Ok(base + at.elapsed().as_secs_f64())
}

fn outcome(success: Option<bool>, d: std::time::Duration) -> Outcome {
    match success {
        Some(true) => Outcome::success(d),
        Some(false) => Outcome::failure(d),
        None => Outcome::ignored(d),
    }
}

impl PyBreaker {
    /// How an exception a protected call raised is recorded: `None` (not counted) for a
    /// `BaseException` that is not an `Exception`, an inner breaker's `CallNotPermitted` or one
    /// of `ignore`; a success for one of `exclude`; else a failure.
    fn counts_as(&self, py: Python<'_>, e: &PyErr) -> PyResult<Option<bool>> {
        let matches = |classes: &Option<Py<PyAny>>| {
            classes
                .as_ref()
                .is_some_and(|c| e.matches(py, c.bind(py)).unwrap_or(false))
        };
        let not_permitted = py.import("cnarch._errors")?.getattr("CallNotPermitted")?;
        Ok(
            if !e.is_instance_of::<PyException>(py)
                || e.matches(py, not_permitted)?
                || matches(&self.ignore)
            {
                None
            } else if matches(&self.exclude) {
                Some(true)
            } else {
                Some(false)
            },
        )
    }

    fn with(
        inner: CircuitBreaker,
        ignore: Option<&Bound<'_, PyAny>>,
        exclude: Option<&Bound<'_, PyAny>>,
    ) -> Self {
        let keep =
            |c: Option<&Bound<'_, PyAny>>| c.filter(|c| !c.is_none()).map(|c| c.clone().unbind());
        PyBreaker {
            inner,
            ignore: keep(ignore),
            exclude: keep(exclude),
        }
    }
}

#[guarded]
#[pymethods]
impl PyBreaker {
    #[new]
    #[pyo3(signature = (config=None, ignore=None, exclude=None))]
    fn new(
        config: Option<&Bound<'_, PyAny>>,
        ignore: Option<&Bound<'_, PyAny>>,
        exclude: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let c = opt_json(config, "config")?;
        let b = ffi::resilience::circuit_breaker(HOST, c.as_ref()).or_py()?;
        Ok(PyBreaker::with(b, ignore, exclude))
    }

    /// `(permit, None, None)` or `(None, state, retry_after_seconds_or_None)`.
    fn try_acquire(
        &self,
        now: f64,
    ) -> PyResult<(Option<PyPermit>, Option<&'static str>, Option<f64>)> {
        Ok(match self.inner.try_acquire(time_in(now)?) {
            Ok(p) => (Some(PyPermit(p)), None, None),
            Err(r) => (None, Some(r.state.as_str()), r.retry_after.map(secs)),
        })
    }

    fn record(
        &self,
        now: f64,
        permit: &PyPermit,
        success: Option<bool>,
        duration: f64,
    ) -> PyResult<()> {
        let d = dur(duration, "duration")?;
        self.inner
            .record(time_in(now)?, permit.0, outcome(success, d));
        Ok(())
    }

    /// Calls `f(*args, **kwargs)` under the breaker in one crossing: acquires at the
    /// monotonic clock, calls, records. An `Exception` counts as a failure unless it is one of
    /// `ignore` (not counted, like resilience4j's `ignoreExceptions`) or `exclude` (a success,
    /// like pybreaker's `exclude`), or a `CallNotPermitted` from an inner breaker (not
    /// counted); a `BaseException` that is not an `Exception` (`KeyboardInterrupt`,
    /// `SystemExit`, `GeneratorExit`) passes through and is not counted. Raises
    /// `CallNotPermitted` when refused, and `TypeError` for a coroutine function (use
    /// `async_call`).
    #[pyo3(signature = (f, *args, **kwargs))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        f: &Bound<'py, PyAny>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let start = monotonic(py)?;
        let permit = match self.inner.try_acquire(time_in(start)?) {
            Ok(p) => p,
            Err(r) => {
                let rejected = py
                    .import("cnarch.resilience")?
                    .getattr("Rejected")?
                    .call1((r.state.as_str(), r.retry_after.map(secs)))?;
                let exc = py
                    .import("cnarch._errors")?
                    .getattr("CallNotPermitted")?
                    .call1((rejected,))?;
                return Err(PyErr::from_value(exc));
            }
        };
        let result = f.call(args, kwargs);
        let end = monotonic(py)?;
        let took = dur((end - start).max(0.0), "duration")?;
        let recorded = match &result {
            Ok(v) if v.get_type().is(coroutine_type(py)?) => None,
            Ok(_) => Some(true),
            Err(e) => self.counts_as(py, e)?,
        };
        self.inner
            .record(time_in(end)?, permit, outcome(recorded, took));
        let v = result?;
        if v.get_type().is(coroutine_type(py)?) {
            let _ = v.call_method0("close");
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "call() got an async function: await breaker.async_call(fn, ...) instead",
            ));
        }
        Ok(v.unbind())
    }

    /// Records the exception `error` a call raised, counted as `call` counts it (for
    /// `async_call`, which awaits in Python).
    fn record_error(
        &self,
        py: Python<'_>,
        now: f64,
        permit: &PyPermit,
        error: &Bound<'_, PyAny>,
        duration: f64,
    ) -> PyResult<()> {
        let counted = self.counts_as(py, &PyErr::from_value(error.clone()))?;
        let d = dur(duration, "duration")?;
        self.inner
            .record(time_in(now)?, permit.0, outcome(counted, d));
        Ok(())
    }

    fn state(&self, now: f64) -> PyResult<&'static str> {
        Ok(self.inner.state(time_in(now)?).as_str())
    }

    fn metrics(&self, py: Python<'_>, now: f64) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.metrics(time_in(now)?))
    }

    fn transition_to(&self, now: f64, state: &str) -> PyResult<()> {
        let to: State = state.parse().or_py()?;
        self.inner.transition_to(time_in(now)?, to);
        Ok(())
    }

    fn snapshot(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.snapshot())
    }

    #[staticmethod]
    #[pyo3(signature = (config, snapshot, ignore=None, exclude=None))]
    fn restore(
        config: Option<&Bound<'_, PyAny>>,
        snapshot: &Bound<'_, PyAny>,
        ignore: Option<&Bound<'_, PyAny>>,
        exclude: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let c = opt_json(config, "config")?;
        let snap = json_of(snapshot, "snapshot")?;
        let b = ffi::resilience::restore_breaker(HOST, c.as_ref(), &snap).or_py()?;
        Ok(PyBreaker::with(b, ignore, exclude))
    }
}
