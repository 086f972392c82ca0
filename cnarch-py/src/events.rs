//! EventBridge event patterns: one at a time, or many compiled into a `PatternMatcher`.
//! Patterns and events are dicts or their JSON text (`str`). SNS filter policies and topics.

use cnarch_core::events::sns::{FilterPolicy, Topic};
use cnarch_core::events::PatternMatcher;
use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::to_py;
use crate::error::OrPy;

/// A pattern or an event: JSON-shaped data read directly (this is the per-event hot path),
/// one level deeper than the core allows, so the core's own depth check speaks.
fn plain(v: &Bound<'_, PyAny>, argument: &str) -> PyResult<serde_json::Value> {
    crate::convert::json_data(v, argument, ffi::events::MAX_EVENT_DEPTH + 1)
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
            let depth =
                crate::convert::check_json_data(event, "event", ffi::events::MAX_EVENT_DEPTH + 1)?;
            ffi::events::event_shape(None, depth).or_py()?;
            Ok(ffi::events::match_in_place(
                &self.0,
                &crate::convert::InPlace(event.clone()),
            ))
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

fn opt_plain(v: Option<&Bound<'_, PyAny>>, argument: &str) -> PyResult<Option<serde_json::Value>> {
    match v {
        Some(x) if !x.is_none() => plain(x, argument).map(Some),
        _ => Ok(None),
    }
}

/// Whether a message passes the SNS filter `policy` read for `scope`.
#[guarded]
#[pyfunction]
#[pyo3(signature = (policy, attributes=None, body=None, scope="MessageAttributes"))]
pub fn _filter_policy_matches(
    policy: &Bound<'_, PyAny>,
    attributes: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
    scope: &str,
) -> PyResult<bool> {
    let (a, b) = message(attributes, body)?;
    ffi::events::filter_policy_matches(
        &plain(policy, "policy")?,
        a.as_ref(),
        b.as_ref(),
        Some(scope),
    )
    .or_py()
}

/// A message's `attributes` and `body` arguments as data.
type MessageArgs = (Option<serde_json::Value>, Option<serde_json::Value>);

fn message(
    attributes: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
) -> PyResult<MessageArgs> {
    Ok((
        opt_plain(attributes, "attributes")?,
        opt_plain(body, "body")?,
    ))
}

/// An SNS subscription filter policy (`cnarch.events.FilterPolicy`).
#[pyclass(name = "FilterPolicy", module = "cnarch.events", frozen)]
pub(crate) struct PyFilterPolicy(FilterPolicy);

#[guarded]
#[pymethods]
impl PyFilterPolicy {
    #[new]
    #[pyo3(signature = (policy, scope="MessageAttributes"))]
    fn new(policy: &Bound<'_, PyAny>, scope: &str) -> PyResult<Self> {
        ffi::events::filter_policy(&plain(policy, "policy")?, Some(scope))
            .map(PyFilterPolicy)
            .or_py()
    }

    /// `MessageAttributes` or `MessageBody`.
    #[getter]
    fn scope(&self) -> PyResult<&'static str> {
        Ok(self.0.scope().as_str())
    }

    /// The keys the policy names, sorted.
    #[getter]
    fn keys(&self) -> PyResult<Vec<String>> {
        Ok(self.0.keys().to_vec())
    }

    /// The value combinations SNS counts against its 150.
    #[getter]
    fn combinations(&self) -> PyResult<u64> {
        Ok(self.0.combinations())
    }

    /// The verdict on a message: `{"delivered", "failed_keys"}` (and `"reason"` when no key
    /// is to blame).
    #[pyo3(signature = (attributes=None, body=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        attributes: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let (a, b) = message(attributes, body)?;
        let r = ffi::events::evaluate(&self.0, a.as_ref(), b.as_ref()).or_py()?;
        to_py(py, &r)
    }

    /// Whether the policy accepts the message.
    #[pyo3(signature = (attributes=None, body=None))]
    fn matches(
        &self,
        attributes: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let (a, b) = message(attributes, body)?;
        Ok(ffi::events::evaluate(&self.0, a.as_ref(), b.as_ref())
            .or_py()?
            .delivered)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "<FilterPolicy {} on {}>",
            self.0.scope().as_str(),
            self.0.keys().join(", ")
        ))
    }
}

/// An SNS topic with its subscriptions (`cnarch.events.Topic`).
#[pyclass(name = "Topic", module = "cnarch.events")]
pub(crate) struct PyTopic(Topic);

#[guarded]
#[pymethods]
impl PyTopic {
    #[new]
    fn new(name: &str) -> PyResult<Self> {
        ffi::events::topic(name).map(PyTopic).or_py()
    }

    /// The topic's name.
    #[getter]
    fn name(&self) -> PyResult<String> {
        Ok(self.0.name().to_string())
    }

    /// Whether it is a FIFO topic (its name ends in `.fifo`).
    #[getter]
    fn fifo(&self) -> PyResult<bool> {
        Ok(self.0.is_fifo())
    }

    /// The subscription names, in order.
    #[getter]
    fn subscriptions(&self) -> PyResult<Vec<String>> {
        Ok(self
            .0
            .subscriptions()
            .iter()
            .map(|s| s.name.clone())
            .collect())
    }

    /// Subscribes `name` with `protocol` (`sqs`, `lambda`, `email-json`, ...) and an optional
    /// filter policy (a dict or its JSON text, as `Subscribe` takes `FilterPolicy`) read for
    /// `scope`.
    #[pyo3(signature = (name, protocol, policy=None, scope="MessageAttributes"))]
    fn subscribe(
        &mut self,
        name: &str,
        protocol: &str,
        policy: Option<&Bound<'_, PyAny>>,
        scope: &str,
    ) -> PyResult<()> {
        let policy = opt_plain(policy, "policy")?;
        ffi::events::subscribe(&mut self.0, name, protocol, policy.as_ref(), Some(scope)).or_py()
    }

    /// Removes a subscription; whether it was there.
    fn unsubscribe(&mut self, name: &str) -> PyResult<bool> {
        Ok(self.0.unsubscribe(name))
    }

    /// What publishing the message does for each subscription, in order:
    /// `{"subscription", "protocol", "delivered", "failed_keys"}`.
    #[pyo3(signature = (attributes=None, body=None))]
    fn publish(
        &self,
        py: Python<'_>,
        attributes: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let (a, b) = message(attributes, body)?;
        let r = ffi::events::publish(&self.0, a.as_ref(), b.as_ref()).or_py()?;
        to_py(py, &r)
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.0.subscriptions().len())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "<Topic {} with {} subscriptions>",
            self.0.name(),
            self.0.subscriptions().len()
        ))
    }
}

/// A simulated SQS queue with its dead-letter queue (`cnarch.events.Queue`).
#[pyclass(name = "Queue", module = "cnarch.events")]
pub(crate) struct PyQueue(pub(crate) cnarch_core::events::sqs::Queue);

/// Keyword arguments given (not `None`) as one options mapping.
fn kwargs(pairs: &[(&str, Option<&Bound<'_, PyAny>>)]) -> PyResult<serde_json::Value> {
    let mut map = serde_json::Map::new();
    for (k, v) in pairs {
        if let Some(v) = crate::convert::opt_json(*v, k)? {
            map.insert((*k).to_string(), v);
        }
    }
    Ok(serde_json::Value::Object(map))
}

const HOST: ffi::Host = ffi::Host::PYTHON;

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
