//! Rate limiters and the bulkhead.

use cnarch_core::resilience::bulkhead::{Admission, Bulkhead, Ticket};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket};
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{secs, time_in};
use crate::error::OrPy;
use crate::error::HOST;

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

#[guarded]
#[pymethods]
impl PyBulkhead {
    /// From `{max_concurrent, max_queued, max_wait}` (seconds or duration text), absent ones
    /// at the core's defaults.
    #[new]
    fn new(options: &Bound<'_, PyAny>) -> PyResult<Self> {
        let o = crate::convert::json_of(options, "options")?;
        cnarch_core::ffi::resilience::bulkhead(HOST, Some(&o))
            .map(PyBulkhead)
            .or_py()
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
