//! Replay of the global log.

use cnarch_core::eventsourcing::Replay;
use cnarch_core::ffi::eventsourcing as es;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use super::PyEventStore;
use crate::convert::{kwargs, to_py};
use crate::error::{OrPy, HOST};

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
