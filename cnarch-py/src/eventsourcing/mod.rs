//! The event store (`cnarch.eventsourcing`), one file per concept as in the core: the store
//! (here), subscriptions, folds (projections and snapshots of Python states) and replay.
//! Events are dicts; times are seconds since the Unix epoch.

mod fold;
mod replay;
mod subscription;

use cnarch_core::eventsourcing::Store;
use cnarch_core::ffi::eventsourcing as es;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::convert::{json_of, kwargs, opt_json, to_py};
use crate::error::{OrPy, HOST};

pub(crate) use fold::{PyProjection, PySnapshots};
pub(crate) use replay::PyReplay;
pub(crate) use subscription::{PyCatchUp, PyPersistent};

/// An event store (`cnarch.eventsourcing.EventStore`).
#[pyclass(name = "EventStore", module = "cnarch.eventsourcing")]
pub(crate) struct PyEventStore(pub(crate) Store);

#[guarded]
#[pymethods]
impl PyEventStore {
    #[new]
    fn new() -> PyResult<Self> {
        Ok(PyEventStore(Store::new()))
    }

    /// Appends `events` (dicts) to `stream` expecting `expected` at `now`.
    #[pyo3(signature = (stream, events, *, expected=None, now=0.0))]
    fn append(
        &mut self,
        py: Python<'_>,
        stream: &str,
        events: &Bound<'_, PyAny>,
        expected: Option<&Bound<'_, PyAny>>,
        now: f64,
    ) -> PyResult<Py<PyAny>> {
        let evs = json_of(events, "events")?;
        let exp = opt_json(expected, "expected")?;
        let r = es::append(HOST, &mut self.0, stream, &evs, exp.as_ref(), now).or_py()?;
        to_py(py, &r)
    }

    /// Reads `stream`.
    #[pyo3(signature = (stream, *, direction=None, from_revision=None, max_count=None, now=None))]
    fn read_stream(
        &self,
        py: Python<'_>,
        stream: &str,
        direction: Option<&Bound<'_, PyAny>>,
        from_revision: Option<&Bound<'_, PyAny>>,
        max_count: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let o = kwargs(&[
            ("direction", direction),
            ("from_revision", from_revision),
            ("max_count", max_count),
            ("now", now),
        ])?;
        let r = es::read_stream(HOST, &self.0, stream, Some(&o)).or_py()?;
        to_py(py, &r)
    }

    /// Reads the global log.
    #[pyo3(signature = (*, direction=None, from_position=None, max_count=None, stream_prefixes=None, event_type_prefixes=None))]
    fn read_all(
        &self,
        py: Python<'_>,
        direction: Option<&Bound<'_, PyAny>>,
        from_position: Option<&Bound<'_, PyAny>>,
        max_count: Option<&Bound<'_, PyAny>>,
        stream_prefixes: Option<&Bound<'_, PyAny>>,
        event_type_prefixes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let o = kwargs(&[
            ("direction", direction),
            ("from_position", from_position),
            ("max_count", max_count),
            ("stream_prefixes", stream_prefixes),
            ("event_type_prefixes", event_type_prefixes),
        ])?;
        let r = es::read_all(HOST, &self.0, Some(&o)).or_py()?;
        to_py(py, &r)
    }

    /// Soft-deletes `stream`.
    #[pyo3(signature = (stream, *, expected=None))]
    fn delete(&mut self, stream: &str, expected: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let exp = opt_json(expected, "expected")?;
        es::delete(HOST, &mut self.0, stream, exp.as_ref(), false).or_py()
    }

    /// Tombstones `stream`.
    #[pyo3(signature = (stream, *, expected=None))]
    fn tombstone(&mut self, stream: &str, expected: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let exp = opt_json(expected, "expected")?;
        es::delete(HOST, &mut self.0, stream, exp.as_ref(), true).or_py()
    }

    /// Sets `stream`'s metadata.
    #[pyo3(signature = (stream, *, max_count=None, max_age=None, truncate_before=None))]
    fn set_metadata(
        &mut self,
        stream: &str,
        max_count: Option<&Bound<'_, PyAny>>,
        max_age: Option<&Bound<'_, PyAny>>,
        truncate_before: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let o = kwargs(&[
            ("max_count", max_count),
            ("max_age", max_age),
            ("truncate_before", truncate_before),
        ])?;
        es::set_metadata(HOST, &mut self.0, stream, Some(&o)).or_py()
    }

    /// `stream`'s metadata, or `None`.
    fn metadata(&self, py: Python<'_>, stream: &str) -> PyResult<Py<PyAny>> {
        let r = es::metadata(HOST, &self.0, stream).or_py()?;
        to_py(py, &r)
    }

    /// `stream`'s last revision, or `None`.
    fn revision(&self, stream: &str) -> PyResult<Option<u64>> {
        Ok(self.0.revision(stream))
    }

    /// Removes for good what deletes and metadata hide at `now`; the count removed.
    fn scavenge(&mut self, now: f64) -> PyResult<usize> {
        let now = es::millis(HOST, now, "now").or_py()?;
        Ok(self.0.scavenge(now))
    }

    /// The store as JSON lines.
    fn to_json_lines(&self) -> PyResult<String> {
        Ok(self.0.to_json_lines())
    }

    /// The store in its binary form.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.0.to_bytes()))
    }

    /// Loads a store from JSON lines.
    #[staticmethod]
    fn from_json_lines(text: &str) -> PyResult<Self> {
        es::from_json_lines(HOST, text).map(PyEventStore).or_py()
    }

    /// Loads a store from its binary form.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        es::from_bytes(HOST, data).map(PyEventStore).or_py()
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.0.len())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<EventStore {} events>", self.0.len()))
    }
}
