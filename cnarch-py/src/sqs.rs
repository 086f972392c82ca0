//! Simulated SQS queues (`cnarch.events.Queue`): CreateQueue's attributes as dicts, times in
//! seconds, results as dicts.

use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{kwargs, to_py};
use crate::error::{OrPy, HOST};
use crate::events::opt_plain;

/// A simulated SQS queue with its dead-letter queue (`cnarch.events.Queue`).
#[pyclass(name = "Queue", module = "cnarch.events")]
pub(crate) struct PyQueue(pub(crate) cnarch_core::events::sqs::Queue);

#[guarded]
#[pymethods]
impl PyQueue {
    /// A queue named `name` with CreateQueue's `attributes` (AWS's names, e.g.
    /// `{"VisibilityTimeout": 30, "RedrivePolicy": {...}}`) and its dead-letter queue's.
    #[new]
    #[pyo3(signature = (name, attributes=None, *, dead_letter_attributes=None))]
    fn new(
        name: &str,
        attributes: Option<&Bound<'_, PyAny>>,
        dead_letter_attributes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let a = opt_plain(attributes, "attributes")?;
        let d = opt_plain(dead_letter_attributes, "dead_letter_attributes")?;
        ffi::sqs::queue(HOST, name, a.as_ref(), d.as_ref())
            .map(PyQueue)
            .or_py()
    }

    /// The queue's name.
    #[getter]
    fn name(&self) -> PyResult<String> {
        Ok(self.0.name().to_string())
    }

    /// The dead-letter queue's name, or `None`.
    #[getter]
    fn dead_letter_name(&self) -> PyResult<Option<String>> {
        Ok(self.0.dead_letter_name().map(str::to_string))
    }

    /// Whether it is a FIFO queue.
    #[getter]
    fn fifo(&self) -> PyResult<bool> {
        Ok(self.0.is_fifo())
    }

    /// SendMessage at `now` (seconds): `{"message_id", "sequence_number", "duplicate"}`.
    #[pyo3(signature = (now, body, *, delay_seconds=None, message_group_id=None, message_deduplication_id=None))]
    fn send(
        &mut self,
        py: Python<'_>,
        now: f64,
        body: &str,
        delay_seconds: Option<&Bound<'_, PyAny>>,
        message_group_id: Option<&Bound<'_, PyAny>>,
        message_deduplication_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let o = kwargs(&[
            ("delay_seconds", delay_seconds),
            ("message_group_id", message_group_id),
            ("message_deduplication_id", message_deduplication_id),
        ])?;
        let r = ffi::sqs::send(HOST, &mut self.0, now, body, Some(&o)).or_py()?;
        to_py(py, &r)
    }

    /// ReceiveMessage at `now` (seconds): a list of message dicts, each with its
    /// `receipt_handle`.
    #[pyo3(signature = (now, *, max_messages=None, visibility_timeout=None, wait_time_seconds=None, dead_letter=false))]
    fn receive(
        &mut self,
        py: Python<'_>,
        now: f64,
        max_messages: Option<&Bound<'_, PyAny>>,
        visibility_timeout: Option<&Bound<'_, PyAny>>,
        wait_time_seconds: Option<&Bound<'_, PyAny>>,
        dead_letter: bool,
    ) -> PyResult<Py<PyAny>> {
        let mut o = kwargs(&[
            ("max_messages", max_messages),
            ("visibility_timeout", visibility_timeout),
            ("wait_time_seconds", wait_time_seconds),
        ])?;
        o["dead_letter"] = serde_json::Value::Bool(dead_letter);
        let r = ffi::sqs::receive(HOST, &mut self.0, now, Some(&o)).or_py()?;
        to_py(py, &r)
    }

    /// DeleteMessage at `now` by the message's latest receipt handle.
    fn delete(&mut self, now: f64, receipt_handle: &str) -> PyResult<()> {
        ffi::sqs::delete(HOST, &mut self.0, now, receipt_handle).or_py()
    }

    /// ChangeMessageVisibility at `now`: visible again `visibility_timeout` whole seconds
    /// from now.
    fn change_visibility(
        &mut self,
        now: f64,
        receipt_handle: &str,
        visibility_timeout: f64,
    ) -> PyResult<()> {
        ffi::sqs::change_visibility(HOST, &mut self.0, now, receipt_handle, visibility_timeout)
            .or_py()
    }

    /// The queue's numbers at `now`, its dead-letter queue's under `"dead_letter"`.
    fn metrics(&mut self, py: Python<'_>, now: f64) -> PyResult<Py<PyAny>> {
        let r = ffi::sqs::metrics(HOST, &mut self.0, now).or_py()?;
        to_py(py, &r)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "<Queue {}{}>",
            self.0.name(),
            self.0
                .dead_letter_name()
                .map(|d| format!(" (dead letters to {d})"))
                .unwrap_or_default()
        ))
    }
}
