//! Resilience: the circuit breaker (with a one-crossing `call`), retry policies, conditions and
//! budgets, rate limiters, the bulkhead and outlier detection. Times are seconds.

use std::sync::OnceLock;

use cnarch_core::ffi;
use cnarch_core::resilience::breaker::{CircuitBreaker, Outcome, Permit, State};
use cnarch_core::resilience::budget::{RetryBudget, RetryQuota, RetryThrottle};
use cnarch_core::resilience::bulkhead::{Admission, Bulkhead, Ticket};
use cnarch_core::resilience::outlier::{HostResult, OutlierAction, OutlierConfig, OutlierDetector};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket};
use cnarch_core::resilience::retry::RetryPolicy;
use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn};
use cnarch_py_macros::guarded;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{dur, json_of, opt_json, secs, time_in, to_py};
use crate::error::{ffi_err, OrPy, HOST};

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
            Err(e) => {
                let matches = |classes: &Option<Py<PyAny>>| {
                    classes
                        .as_ref()
                        .is_some_and(|c| e.matches(py, c.bind(py)).unwrap_or(false))
                };
                let not_permitted = py.import("cnarch._errors")?.getattr("CallNotPermitted")?;
                if !e.is_instance_of::<PyException>(py)
                    || e.matches(py, not_permitted)?
                    || matches(&self.ignore)
                {
                    None
                } else if matches(&self.exclude) {
                    Some(true)
                } else {
                    Some(false)
                }
            }
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

/// The native retry policy.
#[pyclass(name = "_RetryPolicy", module = "cnarch._core", frozen)]
pub(crate) struct PyRetry(RetryPolicy);

#[guarded]
#[pymethods]
impl PyRetry {
    /// `options`: `max_attempts`, and optionally `backoff`, `initial`, `multiplier`,
    /// `max_delay`, `jitter` (absent: the core's defaults).
    #[new]
    fn new(options: &Bound<'_, PyAny>) -> PyResult<Self> {
        let o = json_of(options, "options")?;
        ffi::resilience::retry_policy(HOST, Some(&o))
            .map(PyRetry)
            .or_py()
    }

    #[staticmethod]
    fn envoy() -> PyResult<Self> {
        Ok(PyRetry(RetryPolicy::envoy()))
    }

    #[staticmethod]
    fn grpc(
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        backoff_multiplier: f64,
    ) -> PyResult<Self> {
        {
            RetryPolicy::grpc(
                max_attempts,
                initial_backoff,
                max_backoff,
                backoff_multiplier,
            )
            .map(PyRetry)
            .or_py()
        }
    }

    fn delays(&self, seed: u64) -> PyResult<Vec<f64>> {
        Ok(self.0.delays(seed).into_iter().map(secs).collect())
    }

    #[getter]
    fn max_attempts(&self) -> PyResult<u32> {
        Ok(self.0.max_attempts)
    }
}

/// gRPC retry throttling (`cnarch.resilience.RetryThrottle`).
#[pyclass(name = "RetryThrottle", module = "cnarch.resilience")]
pub(crate) struct PyThrottle(RetryThrottle);

#[guarded]
#[pymethods]
impl PyThrottle {
    #[new]
    fn new(max_tokens: u32, token_ratio: f64) -> PyResult<Self> {
        {
            RetryThrottle::new(max_tokens, token_ratio)
                .map(PyThrottle)
                .or_py()
        }
    }
    fn on_success(&mut self) -> PyResult<()> {
        {
            {
                self.0.on_success();
            }
            Ok(())
        }
    }
    fn on_failure(&mut self) -> PyResult<()> {
        {
            {
                self.0.on_failure();
            }
            Ok(())
        }
    }
    fn allows_retry(&self) -> PyResult<bool> {
        Ok(self.0.allows_retry())
    }
    #[getter]
    fn tokens(&self) -> PyResult<f64> {
        Ok(self.0.tokens())
    }
}

/// Envoy's retry budget (`cnarch.resilience.RetryBudget`).
#[pyclass(name = "RetryBudget", module = "cnarch.resilience", frozen)]
pub(crate) struct PyBudget(RetryBudget);

#[guarded]
#[pymethods]
impl PyBudget {
    #[new]
    #[pyo3(signature = (budget_percent = None, min_retry_concurrency = None))]
    fn new(budget_percent: Option<f64>, min_retry_concurrency: Option<u32>) -> PyResult<Self> {
        {
            let d = RetryBudget::default();
            RetryBudget::new(
                budget_percent.unwrap_or(d.budget_percent),
                min_retry_concurrency.unwrap_or(d.min_retry_concurrency),
            )
            .map(PyBudget)
            .or_py()
        }
    }
    fn max_active_retries(&self, active_requests: u32) -> PyResult<u32> {
        Ok(self.0.max_active_retries(active_requests))
    }
    fn allows_retry(&self, active_requests: u32, active_retries: u32) -> PyResult<bool> {
        Ok(self.0.allows_retry(active_requests, active_retries))
    }
}

/// The AWS SDK standard retry quota (`cnarch.resilience.RetryQuota`).
#[pyclass(name = "RetryQuota", module = "cnarch.resilience")]
pub(crate) struct PyQuota(RetryQuota);

#[guarded]
#[pymethods]
impl PyQuota {
    #[new]
    fn new() -> PyResult<Self> {
        Ok(PyQuota(RetryQuota::aws_standard()))
    }
    #[pyo3(signature = (after_timeout = false))]
    fn acquire(&mut self, after_timeout: bool) -> PyResult<Option<u32>> {
        Ok(self.0.acquire(after_timeout))
    }
    #[pyo3(signature = (retry_cost = None))]
    fn on_success(&mut self, retry_cost: Option<u32>) -> PyResult<()> {
        {
            {
                self.0.on_success(retry_cost);
            }
            Ok(())
        }
    }
    #[getter]
    fn available(&self) -> PyResult<u32> {
        Ok(self.0.available())
    }
}

/// The native rate limiter behind `TokenBucket` and `Gcra` (one algorithm, see
/// `cnarch_core::resilience::ratelimit`).
#[pyclass(name = "_RateLimiter", module = "cnarch._core")]
pub(crate) struct PyLimiter(TokenBucket);

#[guarded]
#[pymethods]
impl PyLimiter {
    #[new]
    fn new(rate: f64, burst: u64) -> PyResult<Self> {
        {
            TokenBucket::new(rate, burst).map(PyLimiter).or_py()
        }
    }

    /// `(allowed, retry_after_seconds_or_None)`; raises ValueError when `n` exceeds the burst.
    fn check(&mut self, now: f64, n: u64) -> PyResult<(bool, Option<f64>)> {
        {
            Ok(match self.0.check(time_in(now)?, n).or_py()? {
                RateDecision::Allowed => (true, None),
                RateDecision::Denied { retry_after } => (false, Some(secs(retry_after))),
            })
        }
    }
}

/// The native bulkhead.
#[pyclass(name = "_Bulkhead", module = "cnarch._core", frozen)]
pub(crate) struct PyBulkhead(Bulkhead);

fn opt_secs(v: Option<f64>) -> PyResult<Option<std::time::Duration>> {
    v.map(|x| dur(x, "max_wait")).transpose()
}

#[guarded]
#[pymethods]
impl PyBulkhead {
    #[new]
    #[pyo3(signature = (max_concurrent, max_queued, max_wait=None))]
    fn new(max_concurrent: u32, max_queued: u32, max_wait: Option<f64>) -> PyResult<Self> {
        {
            Bulkhead::new(max_concurrent, max_queued, opt_secs(max_wait)?)
                .map(PyBulkhead)
                .or_py()
        }
    }

    /// `(decision, ticket_or_None)`.
    fn try_enter(&self, now: f64) -> PyResult<(&'static str, Option<u64>)> {
        {
            Ok({
                let a = self.0.try_enter(time_in(now)?);
                let ticket = match a {
                    Admission::Queued(t) => Some(t.0),
                    _ => None,
                };
                (a.as_str(), ticket)
            })
        }
    }

    fn release(&self, now: f64) -> PyResult<Option<u64>> {
        {
            Ok(self.0.release(time_in(now)?).or_py()?.map(|t| t.0))
        }
    }

    fn cancel(&self, ticket: u64) -> PyResult<bool> {
        Ok(self.0.cancel(Ticket(ticket)))
    }

    fn expire(&self, now: f64) -> PyResult<Vec<u64>> {
        {
            Ok({
                self.0
                    .expire(time_in(now)?)
                    .into_iter()
                    .map(|t| t.0)
                    .collect()
            })
        }
    }

    #[getter]
    fn active(&self) -> PyResult<u32> {
        Ok(self.0.active())
    }

    #[getter]
    fn queued(&self) -> PyResult<u32> {
        Ok(self.0.queued())
    }

    #[getter]
    fn rejected(&self) -> PyResult<u64> {
        Ok(self.0.rejected())
    }
}

/// An outlier event as the Python facade unpacks it: at, host, action, kind, duration.
type EventTuple = (f64, String, &'static str, Option<&'static str>, Option<f64>);

/// The native outlier detector (hosts are strings).
#[pyclass(name = "_OutlierDetector", module = "cnarch._core")]
pub(crate) struct PyOutlier(OutlierDetector<String>);

fn host_result(v: &Bound<'_, PyAny>) -> PyResult<HostResult> {
    if let Ok(code) = v.extract::<u16>() {
        return format!("{code}").parse().or_py();
    }
    let s: String = v.extract().map_err(|_| {
        ffi_err(ffi::Error::type_error(
            "result",
            "an HTTP status (int), \"connect_failure\" or \"timeout\"",
            "another type",
        ))
    })?;
    s.parse().or_py()
}

#[guarded]
#[pymethods]
impl PyOutlier {
    #[new]
    fn new(config: Option<&Bound<'_, PyAny>>, start: f64, seed: u64) -> PyResult<Self> {
        {
            let c = ffi::resilience::outlier_config(HOST, opt_json(config, "config")?.as_ref())
                .or_py()?;
            OutlierDetector::new(c, time_in(start)?, seed)
                .map(PyOutlier)
                .or_py()
        }
    }

    #[staticmethod]
    fn istio(
        consecutive_5xx_errors: u32,
        interval: f64,
        base_ejection_time: f64,
        start: f64,
        seed: u64,
    ) -> PyResult<Self> {
        {
            let c = OutlierConfig::istio(
                consecutive_5xx_errors,
                dur(interval, "interval")?,
                dur(base_ejection_time, "base_ejection_time")?,
            );
            OutlierDetector::new(c, time_in(start)?, seed)
                .map(PyOutlier)
                .or_py()
        }
    }

    fn add_host(&mut self, host: String) -> PyResult<()> {
        {
            {
                self.0.add_host(host);
            }
            Ok(())
        }
    }

    fn remove_host(&mut self, host: String) -> PyResult<bool> {
        Ok(self.0.remove_host(&host))
    }

    fn record(&mut self, now: f64, host: String, result: &Bound<'_, PyAny>) -> PyResult<()> {
        {
            let r = host_result(result)?;
            self.0.record(time_in(now)?, &host, r);
            Ok(())
        }
    }

    fn advance(&mut self, now: f64) -> PyResult<()> {
        {
            {
                self.0.advance(time_in(now)?);
            }
            Ok(())
        }
    }

    /// `[(at, host, action, kind_or_None, duration_or_None)]`.
    fn take_events(&mut self) -> PyResult<Vec<EventTuple>> {
        {
            Ok({
                self.0
                    .take_events()
                    .into_iter()
                    .map(|e| {
                        let duration = match e.action {
                            OutlierAction::Eject { duration, .. } => Some(secs(duration)),
                            _ => None,
                        };
                        (
                            e.at.as_nanos() as f64 / 1e9,
                            e.host,
                            e.action.as_str(),
                            e.action.kind().map(|k| k.as_str()),
                            duration,
                        )
                    })
                    .collect()
            })
        }
    }

    fn is_ejected(&self, host: String) -> PyResult<bool> {
        Ok(self.0.is_ejected(&host))
    }

    fn ejected(&self) -> PyResult<Vec<String>> {
        Ok(self.0.ejected().into_iter().cloned().collect())
    }

    fn hosts(&self) -> PyResult<Vec<String>> {
        Ok(self.0.hosts().cloned().collect())
    }
}

/// Envoy / Istio / gRPC retry conditions.
#[pyclass(name = "RetryOn", module = "cnarch.resilience", frozen)]
pub(crate) struct PyRetryOn(RetryOn);

fn call_outcome(v: &Bound<'_, PyAny>) -> PyResult<CallOutcome> {
    if let Ok(code) = v.extract::<u16>() {
        return format!("{code}").parse().or_py();
    }
    let s: String = v.extract().map_err(|_| {
        ffi_err(ffi::Error::type_error(
            "outcome",
            "an HTTP status (int) or a name such as \"grpc:UNAVAILABLE\" or \"reset\"",
            "another type",
        ))
    })?;
    s.parse().or_py()
}

#[guarded]
#[pymethods]
impl PyRetryOn {
    /// `retry_on` is Envoy's comma-separated list; `status_codes` are the
    /// `retriable-status-codes`.
    #[new]
    #[pyo3(signature = (retry_on, status_codes=Vec::new()))]
    fn new(retry_on: &str, status_codes: Vec<u16>) -> PyResult<Self> {
        {
            Ok(PyRetryOn(
                RetryOn::parse(retry_on)
                    .or_py()?
                    .with_status_codes(&status_codes),
            ))
        }
    }

    /// gRFC A6's `retryableStatusCodes`.
    #[staticmethod]
    fn grpc(codes: Vec<String>) -> PyResult<Self> {
        RetryOn::grpc(&codes).map(PyRetryOn).or_py()
    }

    /// Istio's default retry conditions.
    #[staticmethod]
    fn istio_default() -> PyResult<Self> {
        Ok(PyRetryOn(RetryOn::istio_default()))
    }

    /// Whether `outcome` (an HTTP status, `"grpc:NAME"`, `"connect_failure"`, `"reset"`,
    /// `"refused_stream"`, `"per_try_timeout"`, `"retryable"`, `"not_retryable"`) is retried.
    fn should_retry(&self, outcome: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.0.should_retry(call_outcome(outcome)?))
    }
}
