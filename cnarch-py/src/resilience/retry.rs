//! Retry policies, Envoy's and gRPC's retry conditions, and retry budgets.

use cnarch_core::ffi;
use cnarch_core::resilience::budget::{RetryBudget, RetryQuota, RetryThrottle};
use cnarch_core::resilience::retry::RetryPolicy;
use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn};
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, secs, status_or_name};
use crate::error::{OrPy, HOST};

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

/// Envoy / Istio / gRPC retry conditions.
#[pyclass(name = "RetryOn", module = "cnarch.resilience", frozen)]
pub(crate) struct PyRetryOn(RetryOn);

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
        Ok(self.0.should_retry(status_or_name::<CallOutcome>(
            outcome,
            "outcome",
            "an HTTP status (int) or a name such as \"grpc:UNAVAILABLE\" or \"reset\"",
        )?))
    }
}
