//! Catch-up and persistent subscriptions.

use cnarch_core::eventsourcing::{CatchUp, Persistent};
use cnarch_core::ffi::eventsourcing as es;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use super::PyEventStore;
use crate::convert::{kwargs, opt_json, to_py};
use crate::error::{OrPy, HOST};

/// A catch-up subscription (`cnarch.eventsourcing.CatchUpSubscription`).
#[pyclass(name = "CatchUpSubscription", module = "cnarch.eventsourcing")]
pub(crate) struct PyCatchUp(CatchUp);

#[guarded]
#[pymethods]
impl PyCatchUp {
    #[new]
    #[pyo3(signature = (source=None, *, checkpoint=None, batch_size=None))]
    fn new(
        source: Option<&Bound<'_, PyAny>>,
        checkpoint: Option<&Bound<'_, PyAny>>,
        batch_size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let src = opt_json(source, "source")?;
        let o = kwargs(&[("checkpoint", checkpoint), ("batch_size", batch_size)])?;
        es::catch_up(HOST, src.as_ref(), Some(&o))
            .map(PyCatchUp)
            .or_py()
    }

    /// The next batch at `now`: `{"events", "checkpoint", "caught_up"}`.
    fn poll(&mut self, py: Python<'_>, store: &PyEventStore, now: f64) -> PyResult<Py<PyAny>> {
        let r = es::poll(HOST, &mut self.0, &store.0, now).or_py()?;
        to_py(py, &r)
    }

    /// The handler finished everything up to `checkpoint`.
    fn ack(&mut self, checkpoint: Option<u64>) -> PyResult<()> {
        self.0.ack(checkpoint).or_py()
    }

    /// The next poll delivers again after the acknowledged checkpoint.
    fn rewind(&mut self) -> PyResult<()> {
        self.0.rewind();
        Ok(())
    }

    /// The acknowledged checkpoint (what to store).
    #[getter]
    fn checkpoint(&self) -> PyResult<Option<u64>> {
        Ok(self.0.checkpoint())
    }

    /// Whether a poll has reached the end of the source.
    #[getter]
    fn live(&self) -> PyResult<bool> {
        Ok(self.0.is_live())
    }
}

/// A persistent subscription (`cnarch.eventsourcing.PersistentSubscription`).
#[pyclass(name = "PersistentSubscription", module = "cnarch.eventsourcing")]
pub(crate) struct PyPersistent(Persistent);

#[guarded]
#[pymethods]
impl PyPersistent {
    #[new]
    #[pyo3(signature = (source=None, *, start_after=None, max_retry_count=None, message_timeout=None, buffer_size=None))]
    fn new(
        source: Option<&Bound<'_, PyAny>>,
        start_after: Option<&Bound<'_, PyAny>>,
        max_retry_count: Option<&Bound<'_, PyAny>>,
        message_timeout: Option<&Bound<'_, PyAny>>,
        buffer_size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let src = opt_json(source, "source")?;
        let o = kwargs(&[
            ("start_after", start_after),
            ("max_retry_count", max_retry_count),
            ("message_timeout", message_timeout),
            ("buffer_size", buffer_size),
        ])?;
        es::persistent(HOST, src.as_ref(), Some(&o))
            .map(PyPersistent)
            .or_py()
    }

    /// What is handed out at `now`: `[{"event", "retry_count"}]`.
    fn poll(&mut self, py: Python<'_>, store: &PyEventStore, now: f64) -> PyResult<Py<PyAny>> {
        let r = es::persistent_poll(HOST, &mut self.0, &store.0, now).or_py()?;
        to_py(py, &r)
    }

    /// The event at global `position` was handled.
    fn ack(&mut self, position: u64) -> PyResult<()> {
        self.0.ack(position).or_py()
    }

    /// The event at global `position` was not handled: `"retry"`, `"park"` or `"skip"`.
    #[pyo3(signature = (position, action="retry"))]
    fn nack(&mut self, position: u64, action: &str) -> PyResult<()> {
        es::nack(HOST, &mut self.0, position, action).or_py()
    }

    /// The parked events: `[{"position", "reason"}]`.
    #[getter]
    fn parked(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &es::parked(HOST, &self.0))
    }

    /// Hands the parked events out again.
    fn replay_parked(&mut self, store: &PyEventStore) -> PyResult<()> {
        self.0.replay_parked(&store.0);
        Ok(())
    }

    /// The group's checkpoint.
    #[getter]
    fn checkpoint(&self) -> PyResult<Option<u64>> {
        Ok(self.0.checkpoint())
    }

    /// Events delivered and not yet acknowledged.
    #[getter]
    fn outstanding(&self) -> PyResult<usize> {
        Ok(self.0.outstanding())
    }
}
