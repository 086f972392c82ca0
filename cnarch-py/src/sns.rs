//! SNS subscription filter policies (`FilterPolicy`, `filter_policy_matches`) and topics
//! (`Topic`), in `cnarch.events`. Policies are dicts or their JSON text.

use cnarch_core::events::sns::{FilterPolicy, Topic};
use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::to_py;
use crate::error::OrPy;
use crate::events::{opt_plain, plain};

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
