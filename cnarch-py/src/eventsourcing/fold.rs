//! Projections and snapshots: the core's folds with a Python callable and Python states.

use cnarch_core::eventsourcing::{Projection, RecordedEvent, RunError, Snapshots};
use cnarch_core::ffi::eventsourcing as es;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use super::PyEventStore;
use crate::convert::{kwargs, opt_json, to_py};
use crate::error::{OrPy, HOST};

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
        Ok(self.0.offer(stream, revision, now, PyState(state)))
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
