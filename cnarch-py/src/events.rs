//! EventBridge event patterns: one at a time, or many compiled into a `PatternMatcher`.
//! Patterns and events are dicts or their JSON text (`str`).

use cnarch_core::events::PatternMatcher;
use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::error::OrPy;

/// A pattern or an event: JSON-shaped data read directly (this is the per-event hot path),
/// one level deeper than the core allows, so the core's own depth check speaks.
pub(crate) fn plain(v: &Bound<'_, PyAny>, argument: &str) -> PyResult<serde_json::Value> {
    crate::plain::json_data(v, argument, ffi::events::MAX_EVENT_DEPTH + 1)
}

#[guarded]
#[pyfunction]
pub fn _event_matches(pattern: &Bound<'_, PyAny>, event: &Bound<'_, PyAny>) -> PyResult<bool> {
    {
        ffi::events::matches(&plain(pattern, "pattern")?, &plain(event, "event")?).or_py()
    }
}

/// Many named event patterns compiled into one index (`cnarch.events.PatternMatcher`).
#[pyclass(name = "PatternMatcher", module = "cnarch.events")]
pub(crate) struct PyPatternMatcher(PatternMatcher);

#[guarded]
#[pymethods]
impl PyPatternMatcher {
    #[new]
    fn new() -> PyResult<Self> {
        Ok(PyPatternMatcher(PatternMatcher::new()))
    }

    /// Adds `pattern` under `name`; the same name again adds an alternative (an OR).
    fn add(&mut self, name: &str, pattern: &Bound<'_, PyAny>) -> PyResult<()> {
        {
            ffi::events::add(&mut self.0, name, &plain(pattern, "pattern")?).or_py()
        }
    }

    /// Removes every pattern under `name`; whether there was one.
    fn remove(&mut self, name: &str) -> PyResult<bool> {
        Ok(self.0.remove(name))
    }

    /// The names whose patterns match `event`, sorted. A dict is read in place (checked
    /// whole, converted only where the patterns read); JSON text is parsed.
    #[pyo3(name = "match")]
    fn match_event(&self, event: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        {
            if event.cast::<pyo3::types::PyDict>().is_err() {
                return ffi::events::match_event(&self.0, &plain(event, "event")?).or_py();
            }
            crate::plain::InPlace::matches(event, "event", ffi::events::MAX_EVENT_DEPTH, |t| {
                ffi::events::match_in_place(&self.0, t)
            })
        }
    }

    /// The rule names, sorted.
    #[getter]
    fn names(&self) -> PyResult<Vec<String>> {
        Ok(self.0.names())
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.0.len())
    }

    fn __contains__(&self, name: &str) -> PyResult<bool> {
        Ok(self.0.contains(name))
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<PatternMatcher with {} rules>", self.0.len()))
    }
}

pub(crate) fn opt_plain(
    v: Option<&Bound<'_, PyAny>>,
    argument: &str,
) -> PyResult<Option<serde_json::Value>> {
    match v {
        Some(x) if !x.is_none() => plain(x, argument).map(Some),
        _ => Ok(None),
    }
}
