//! The event store (`cnarch.eventsourcing`): the store, subscriptions, projections with a
//! Python fold, snapshots of Python states, and replay. Events are dicts; times are seconds
//! since the Unix epoch.

use cnarch_core::eventsourcing::{
    CatchUp, Persistent, Projection, RecordedEvent, Replay, RunError, Snapshots, Store,
};
use cnarch_core::ffi::eventsourcing as es;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::convert::{json_of, kwargs, to_py};
use crate::error::{OrPy, HOST};

fn opt_json(v: Option<&Bound<'_, PyAny>>, argument: &str) -> PyResult<Option<serde_json::Value>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => json_of(v, argument).map(Some),
    }
}

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

/// A catch-up subscription (`cnarch.eventsourcing.CatchUpSubscription`).
#[pyclass(name = "CatchUpSubscription", module = "cnarch.eventsourcing")]
pub(crate) struct PyCatchUp(CatchUp);

#[guarded]
#[pymethods]
impl PyCatchUp {
    #[new]
    #[pyo3(signature = (source=None, *, checkpoint=None, batch_size=500))]
    fn new(
        source: Option<&Bound<'_, PyAny>>,
        checkpoint: Option<u64>,
        batch_size: u64,
    ) -> PyResult<Self> {
        let src = opt_json(source, "source")?;
        es::catch_up(HOST, src.as_ref(), checkpoint, batch_size)
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
        self.0
            .ack(checkpoint)
            .map_err(|e| es::error(HOST, &e))
            .or_py()
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
        self.0
            .ack(position)
            .map_err(|e| es::error(HOST, &e))
            .or_py()
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

/// A Python object held as a projection or snapshot state.
#[derive(Debug)]
pub(crate) struct PyState(Py<PyAny>);

impl Clone for PyState {
    fn clone(&self) -> Self {
        Python::attach(|py| PyState(self.0.clone_ref(py)))
    }
}

/// Calls `fold(state, event_dict)` for the core's folds.
fn call_fold(
    py: Python<'_>,
    fold: &Py<PyAny>,
    state: &PyState,
    e: &RecordedEvent,
) -> PyResult<PyState> {
    let event = to_py(py, &es::event(HOST, e))?;
    fold.call1(py, (state.0.clone_ref(py), event)).map(PyState)
}

fn run_error(e: RunError<PyErr>) -> PyErr {
    match e {
        RunError::Fold { error, .. } => error,
        RunError::Store(e) => crate::error::err(e),
    }
}

/// A projection with a Python fold (`cnarch.eventsourcing.Projection`'s engine).
#[pyclass(name = "_Projection", module = "cnarch.eventsourcing")]
pub(crate) struct PyProjection {
    p: Projection<PyState>,
    fold: Py<PyAny>,
}

#[guarded]
#[pymethods]
impl PyProjection {
    #[new]
    #[pyo3(signature = (source, fold, event_types, partition, initial, batch_size=None))]
    fn new(
        source: Option<&Bound<'_, PyAny>>,
        fold: Py<PyAny>,
        event_types: Vec<String>,
        partition: Option<String>,
        initial: Py<PyAny>,
        batch_size: Option<u64>,
    ) -> PyResult<Self> {
        let src = opt_json(source, "source")?;
        let p = es::projection(
            HOST,
            src.as_ref(),
            event_types,
            partition.as_deref(),
            PyState(initial),
            batch_size,
        )
        .or_py()?;
        Ok(PyProjection { p, fold })
    }

    /// Folds what was appended since the last run: `{"folded", "passed_over", "checkpoint"}`.
    fn run(&mut self, py: Python<'_>, store: &PyEventStore, now: f64) -> PyResult<Py<PyAny>> {
        let now = es::millis(HOST, now, "now").or_py()?;
        let fold = self.fold.clone_ref(py);
        let r = self
            .p
            .run(&store.0, now, |s, e| call_fold(py, &fold, s, e))
            .map_err(run_error)?;
        to_py(py, &es::run_report(HOST, &r).or_py()?)
    }

    /// Every partition's state.
    #[getter]
    fn states(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let d = pyo3::types::PyDict::new(py);
        for (k, v) in self.p.states() {
            d.set_item(k, v.0.clone_ref(py))?;
        }
        Ok(d.into_any().unbind())
    }

    /// The checkpoint.
    #[getter]
    fn checkpoint(&self) -> PyResult<Option<u64>> {
        Ok(self.p.checkpoint())
    }

    /// Forgets the states and checkpoint.
    fn reset(&mut self) -> PyResult<()> {
        self.p.reset();
        Ok(())
    }
}

/// Snapshots of Python states (`cnarch.eventsourcing.Snapshots`).
#[pyclass(name = "Snapshots", module = "cnarch.eventsourcing")]
pub(crate) struct PySnapshots(Snapshots<PyState>);

#[guarded]
#[pymethods]
impl PySnapshots {
    #[new]
    #[pyo3(signature = (*, every_events=None, every=None, retention=None))]
    fn new(
        every_events: Option<&Bound<'_, PyAny>>,
        every: Option<&Bound<'_, PyAny>>,
        retention: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let o = kwargs(&[
            ("every_events", every_events),
            ("every", every),
            ("retention", retention),
        ])?;
        es::snapshots(HOST, Some(&o)).map(PySnapshots).or_py()
    }

    /// Takes a snapshot of `state` at `revision` when one is due at `now`; whether it did.
    fn offer(&mut self, stream: &str, revision: u64, now: f64, state: Py<PyAny>) -> PyResult<bool> {
        let now = es::millis(HOST, now, "now").or_py()?;
        if !self.0.due(stream, revision, now) {
            return Ok(false);
        }
        self.0.take(stream, revision, now, PyState(state));
        Ok(true)
    }

    /// Loads `stream`'s aggregate: `{"state", "revision", "snapshot", "events_read"}`.
    #[pyo3(signature = (store, stream, fold, initial, now=0.0))]
    fn load(
        &self,
        py: Python<'_>,
        store: &PyEventStore,
        stream: &str,
        fold: Py<PyAny>,
        initial: Py<PyAny>,
        now: f64,
    ) -> PyResult<Py<PyAny>> {
        let now = es::millis(HOST, now, "now").or_py()?;
        let l = self
            .0
            .load(&store.0, stream, PyState(initial), now, |s, e| {
                call_fold(py, &fold, s, e)
            })
            .map_err(run_error)?;
        let info = es::loaded(HOST, &l).or_py()?;
        let d = to_py(py, &info)?;
        d.bind(py).set_item("state", l.state.0.clone_ref(py))?;
        Ok(d)
    }

    /// `stream`'s snapshots, oldest first: `[{"revision", "taken", "state"}]`.
    fn list(&self, py: Python<'_>, stream: &str) -> PyResult<Py<PyAny>> {
        let out = pyo3::types::PyList::empty(py);
        for s in self.0.list(stream) {
            let d = pyo3::types::PyDict::new(py);
            d.set_item("revision", s.revision)?;
            d.set_item("taken", es::time_out(HOST, s.taken))?;
            d.set_item("state", s.state.0.clone_ref(py))?;
            out.append(d)?;
        }
        Ok(out.into_any().unbind())
    }
}

/// A replay (`cnarch.eventsourcing.Replay`).
#[pyclass(name = "Replay", module = "cnarch.eventsourcing")]
pub(crate) struct PyReplay(Replay);

#[guarded]
#[pymethods]
impl PyReplay {
    #[new]
    #[pyo3(signature = (store, *, from_position=None, from_time=None, to_position=None, to_time=None, stream_prefixes=None, event_type_prefixes=None, batch_size=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        store: &PyEventStore,
        from_position: Option<&Bound<'_, PyAny>>,
        from_time: Option<&Bound<'_, PyAny>>,
        to_position: Option<&Bound<'_, PyAny>>,
        to_time: Option<&Bound<'_, PyAny>>,
        stream_prefixes: Option<&Bound<'_, PyAny>>,
        event_type_prefixes: Option<&Bound<'_, PyAny>>,
        batch_size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let o = kwargs(&[
            ("from_position", from_position),
            ("from_time", from_time),
            ("to_position", to_position),
            ("to_time", to_time),
            ("stream_prefixes", stream_prefixes),
            ("event_type_prefixes", event_type_prefixes),
            ("batch_size", batch_size),
        ])?;
        es::replay(HOST, &store.0, Some(&o)).map(PyReplay).or_py()
    }

    /// The next batch (a list of events), or `None` when done.
    fn next_batch(&mut self, py: Python<'_>, store: &PyEventStore) -> PyResult<Py<PyAny>> {
        to_py(py, &es::replay_next(HOST, &mut self.0, &store.0))
    }

    /// `{"done", "total", "position"}`.
    #[getter]
    fn progress(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &es::progress(HOST, self.0.progress()).or_py()?)
    }
}
