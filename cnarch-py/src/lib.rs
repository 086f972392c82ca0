//! Python bindings for cnarch: conversion, error mapping and Python idioms only. Every
//! decision is made in `cnarch-core`.
//!
//! The native module is `cnarch._core`; the pure-Python package `cnarch` (in `python/`) is the
//! public face. Core errors map one-to-one to the exception classes in `cnarch._errors`, and
//! a Rust panic inside any entry point surfaces as `cnarch.CnarchError`, never an abort.
// pyo3's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};

use std::collections::BTreeMap;

use cnarch_core::alerting::evaluate::evaluate as slo_evaluate;
use cnarch_core::alerting::policy::MultiwindowPolicy;
use cnarch_core::alerting::routing::notifications;
use cnarch_core::alerting::rule::AlertRule;
use cnarch_core::autoscale::hpa::{
    ControllerOptions, HorizontalAutoscaler, HpaSpec, MetricInput, Observation,
};
use cnarch_core::autoscale::io::{
    decider_from_json, keda_config_from_json, kpa_config_from_json, metric_inputs_from_json,
    pods_from_json, sim_config_from_json, trace_from_json,
};
use cnarch_core::autoscale::keda::{is_active as keda_is_active, ScaledObject};
use cnarch_core::autoscale::kpa::ServerlessAutoscaler;
use cnarch_core::autoscale::replica::{
    average_value_replicas, object_average_replicas, object_value_replicas,
    resource_utilization_replicas, CalcOptions, Tolerances,
};
use cnarch_core::autoscale::simulate::{compare, simulate};
use cnarch_core::duration::{parse_any, DurationError};
use cnarch_core::labels::{Selector, SelectorIndex, SelectorParseError};
use cnarch_core::model::data::{LabelSelector, NetworkPolicy, NetworkProtocol};
use cnarch_core::model::mesh::MeshPolicy;
use cnarch_core::policy::mesh::{authorize as core_authorize, Request};
use cnarch_core::policy::network::{Namespace, NetworkPolicyEngine, Pod, PolicyError};
use cnarch_core::quantity::{Quantity, QuantityError, QuantityFormat};
use cnarch_core::resilience::breaker::{
    BreakerConfig, BreakerSnapshot, CircuitBreaker, Outcome, Permit, State,
};
use cnarch_core::resilience::budget::{RetryBudget, RetryQuota, RetryThrottle};
use cnarch_core::resilience::bulkhead::{Admission, Bulkhead, Ticket};
use cnarch_core::resilience::outlier::{HostResult, OutlierAction, OutlierConfig, OutlierDetector};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket};
use cnarch_core::resilience::retry::{Backoff, Jitter, RetryPolicy};
use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn};
use cnarch_core::schedule::{Schedule, ScheduleError};
use cnarch_core::slo::budget::{self as slo_budget, Objective};
use cnarch_core::slo::io::{
    escalation_inputs, routing_inputs, spec_from_json as slo_spec_from_json,
};
use cnarch_core::slo::rules::generate as generate_rules;
use cnarch_core::time::{duration_from_secs, Instant};
use cnarch_core::{LoadError, Violation};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::PyList;

/// As [`guard`], for entry points without a `Python` token in their arguments (pyo3 calls them
/// with the interpreter attached, so attaching again to raise is cheap).
fn guarded<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Python::attach(|py| guard(py, || std::panic::resume_unwind(payload))),
    }
}

/// Runs `f`, turning a Rust panic into `cnarch.CnarchError`. Every entry point of the module
/// runs inside `guard` or [`guarded`].
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(raise(
                py,
                "CnarchError",
                (
                    format!("internal error in cnarch (please report it): {what}"),
                    "internal_error",
                ),
            ))
        }
    }
}

/// Builds an exception of one of `cnarch._errors`' classes.
fn raise<'py, A: pyo3::call::PyCallArgs<'py>>(py: Python<'py>, class: &str, args: A) -> PyErr {
    let made = py
        .import("cnarch._errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| c.call1(args));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn parse_error(
    py: Python<'_>,
    message: String,
    code: &str,
    position: Option<(usize, usize)>,
) -> PyErr {
    raise(py, "ParseError", (message, code.to_string(), position))
}

fn violation_objects<'py>(
    py: Python<'py>,
    violations: &[Violation],
) -> PyResult<Bound<'py, PyList>> {
    let class = py.import("cnarch._errors")?.getattr("Violation")?;
    let items = violations
        .iter()
        .map(|v| {
            class.call1((
                v.document,
                v.name.clone(),
                v.path.clone(),
                v.code.clone(),
                v.message.clone(),
            ))
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn load_error(py: Python<'_>, e: LoadError) -> PyErr {
    match e {
        LoadError::Syntax {
            message,
            line,
            column,
        } => parse_error(py, message, "syntax_error", line.zip(column)),
        LoadError::Invalid { ref violations } => {
            let message = e.to_string();
            match violation_objects(py, violations) {
                Ok(list) => raise(py, "ValidationError", (message, list)),
                Err(err) => err,
            }
        }
    }
}

fn quantity_error(py: Python<'_>, e: QuantityError) -> PyErr {
    parse_error(py, e.to_string(), e.code(), None)
}

fn duration_error(py: Python<'_>, e: DurationError) -> PyErr {
    parse_error(py, e.to_string(), e.code(), None)
}

fn schedule_error(py: Python<'_>, e: ScheduleError) -> PyErr {
    parse_error(py, e.to_string(), e.code(), None)
}

fn selector_error(py: Python<'_>, e: SelectorParseError) -> PyErr {
    // A selector is one line: the position is (1, byte offset + 1).
    parse_error(py, e.message.clone(), e.code(), Some((1, e.position + 1)))
}

/// Python data (a dict, or a list of dicts) as one JSON value.
fn documents_from_python(data: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    pythonize::depythonize(data).map_err(|e| {
        PyTypeError::new_err(format!("expected a document dict or a list of them: {e}"))
    })
}

/// Loads and validates YAML or JSON text; returns the documents as plain data.
#[pyfunction]
fn load(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let docs = cnarch_core::load_str(text).map_err(|e| load_error(py, e))?;
        Ok(pythonize::pythonize(py, &docs)?.unbind())
    })
}

/// Every violation of the given document(s); an empty list when valid.
#[pyfunction]
fn validate<'py>(py: Python<'py>, docs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    guard(py, || {
        let values = documents_from_python(docs)?;
        violation_objects(py, &cnarch_core::validate_json_value(values))
    })
}

/// Writes documents as YAML or JSON text (after validating them).
#[pyfunction]
#[pyo3(signature = (docs, format = "yaml"))]
fn dump(py: Python<'_>, docs: &Bound<'_, PyAny>, format: &str) -> PyResult<String> {
    guard(py, || {
        let values = documents_from_python(docs)?;
        let docs = cnarch_core::load_json_value(values).map_err(|e| load_error(py, e))?;
        let out = match format {
            "yaml" => cnarch_core::to_yaml(&docs),
            "json" => cnarch_core::to_json(&docs),
            other => {
                return Err(PyValueError::new_err(format!(
                    "expected format \"yaml\" or \"json\", found {other:?}"
                )))
            }
        };
        out.map_err(|e| load_error(py, e))
    })
}

/// Nanoseconds of a duration in Go (`1h30m`) or Prometheus (`30d`) syntax.
#[pyfunction]
fn parse_duration_ns(py: Python<'_>, text: &str) -> PyResult<i64> {
    guard(py, || {
        parse_any(text)
            .map(|d| d.as_nanos())
            .map_err(|e| duration_error(py, e))
    })
}

/// Test-only: panics inside Rust, to prove panics surface as `CnarchError`.
#[pyfunction]
#[allow(clippy::panic)]
#[pyo3(signature = (without_token=false))]
fn _panic_for_tests(py: Python<'_>, without_token: bool) -> PyResult<()> {
    if without_token {
        guarded(|| panic!("deliberate panic for the binding tests (guarded)"))
    } else {
        guard(py, || panic!("deliberate panic for the binding tests"))
    }
}

/// An exact Kubernetes resource quantity.
#[pyclass(name = "Quantity", module = "cnarch", frozen, skip_from_py_object)]
struct PyQuantity(Quantity);

#[pymethods]
impl PyQuantity {
    #[new]
    fn new(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(py, || {
            Quantity::parse(text)
                .map(PyQuantity)
                .map_err(|e| quantity_error(py, e))
        })
    }

    fn __str__(&self) -> PyResult<String> {
        guarded(|| Ok(self.0.to_string()))
    }

    fn __repr__(&self) -> PyResult<String> {
        guarded(|| Ok(format!("Quantity('{}')", self.0)))
    }

    fn __add__(&self, other: &Self) -> PyResult<Self> {
        guarded(|| {
            self.0
                .checked_add(&other.0)
                .map(PyQuantity)
                .ok_or_else(|| PyOverflowError::new_err("quantity sum out of range"))
        })
    }

    fn __sub__(&self, other: &Self) -> PyResult<Self> {
        guarded(|| {
            self.0
                .checked_sub(&other.0)
                .map(PyQuantity)
                .ok_or_else(|| PyOverflowError::new_err("quantity difference out of range"))
        })
    }

    fn __neg__(&self) -> PyResult<Self> {
        guarded(|| Ok(PyQuantity(self.0.neg())))
    }

    fn __hash__(&self) -> PyResult<u64> {
        guarded(|| Ok(hash_of(&self.0)))
    }

    fn __bool__(&self) -> PyResult<bool> {
        guarded(|| Ok(!self.0.is_zero()))
    }

    /// The value rounded up, away from zero, to a whole unit.
    fn value(&self) -> PyResult<i128> {
        guarded(|| Ok(self.0.value()))
    }

    /// The value in thousandths, rounded up, away from zero.
    fn milli_value(&self) -> PyResult<i128> {
        guarded(|| Ok(self.0.milli_value()))
    }

    /// The exact value in nanounits.
    fn nanos(&self) -> PyResult<i128> {
        guarded(|| Ok(self.0.nanos()))
    }

    /// `"DecimalSI"`, `"BinarySI"` or `"DecimalExponent"`.
    #[getter]
    fn format(&self) -> PyResult<&'static str> {
        guarded(|| {
            Ok({
                match self.0.format() {
                    QuantityFormat::DecimalSI => "DecimalSI",
                    QuantityFormat::BinarySI => "BinarySI",
                    QuantityFormat::DecimalExponent => "DecimalExponent",
                }
            })
        })
    }

    fn __float__(&self) -> PyResult<f64> {
        guarded(|| Ok(self.0.as_f64()))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        guarded(|| {
            let py = other.py();
            let Ok(other) = other.cast::<PyQuantity>() else {
                return Ok(py.NotImplemented());
            };
            let o = &other.get().0;
            Ok(op
                .matches(self.0.cmp(o))
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind())
        })
    }
}

/// A parsed schedule (times cross the boundary as microseconds since the Unix epoch, UTC).
#[pyclass(name = "_Schedule", module = "cnarch._core", frozen)]
struct PySchedule(Schedule);

#[pymethods]
impl PySchedule {
    #[new]
    fn new(py: Python<'_>, expr: &str) -> PyResult<Self> {
        guard(py, || {
            Schedule::parse(expr)
                .map(PySchedule)
                .map_err(|e| schedule_error(py, e))
        })
    }

    fn __str__(&self) -> PyResult<String> {
        guarded(|| Ok(self.0.to_string()))
    }

    /// The next `n` fire times after `after_us`, as microseconds since the epoch.
    fn next_after_us(&self, py: Python<'_>, after_us: i64, n: usize) -> PyResult<Vec<i64>> {
        guard(py, || {
            let t = chrono::DateTime::from_timestamp_micros(after_us).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "expected a datetime chrono can represent, found {after_us} µs"
                ))
            })?;
            Ok(self
                .0
                .next_n_after(t, n)
                .iter()
                .map(|t| t.timestamp_micros())
                .collect())
        })
    }
}

/// A Kubernetes label selector (exposed as `cnarch.labels.Selector`).
#[pyclass(
    name = "Selector",
    module = "cnarch.labels",
    frozen,
    skip_from_py_object
)]
struct PySelector(Selector);

#[pymethods]
impl PySelector {
    /// Parses the string syntax (`app=web,tier in (a,b),!legacy`).
    #[staticmethod]
    fn parse(py: Python<'_>, text: &str) -> PyResult<Self> {
        guard(py, || {
            Selector::parse(text)
                .map(PySelector)
                .map_err(|e| selector_error(py, e))
        })
    }

    /// Matches every label set.
    #[staticmethod]
    fn everything() -> PyResult<Self> {
        guarded(|| Ok(PySelector(Selector::everything())))
    }

    /// Matches no label set.
    #[staticmethod]
    fn nothing() -> PyResult<Self> {
        guarded(|| Ok(PySelector(Selector::nothing())))
    }

    /// From a structured selector dict (`matchLabels`, `matchExpressions`); `None` selects
    /// nothing, `{}` everything.
    #[staticmethod]
    fn from_label_selector(py: Python<'_>, data: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        guard(py, || {
            let ls: Option<LabelSelector> = match data {
                None => None,
                Some(d) if d.is_none() => None,
                Some(d) => Some(pythonize::depythonize(d).map_err(|e| {
                    PyTypeError::new_err(format!("expected a label selector dict: {e}"))
                })?),
            };
            Selector::from_label_selector(ls.as_ref())
                .map(PySelector)
                .map_err(|e| selector_error(py, e))
        })
    }

    /// The structured form as a dict.
    fn to_label_selector(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let ls = self
                .0
                .to_label_selector()
                .map_err(|e| selector_error(py, e))?;
            Ok(pythonize::pythonize(py, &ls)?.unbind())
        })
    }

    /// Does the label mapping satisfy the selector?
    fn matches(&self, labels: BTreeMap<String, String>) -> PyResult<bool> {
        guarded(|| Ok(self.0.matches(&labels)))
    }

    /// A label set both selectors match, or `None` when they cannot overlap.
    fn overlaps(&self, other: &PySelector) -> PyResult<Option<BTreeMap<String, String>>> {
        guarded(|| Ok(self.0.overlaps(&other.0)))
    }

    /// Does `other` match every label set this selector matches?
    fn is_subset_of(&self, other: &PySelector) -> PyResult<bool> {
        guarded(|| Ok(self.0.is_subset_of(&other.0)))
    }

    /// Is this the selector that matches nothing?
    #[getter]
    fn is_nothing(&self) -> PyResult<bool> {
        guarded(|| Ok(self.0.is_nothing()))
    }

    /// Does it match every label set?
    #[getter]
    fn is_everything(&self) -> PyResult<bool> {
        guarded(|| Ok(self.0.is_everything()))
    }

    fn __str__(&self) -> PyResult<String> {
        guarded(|| Ok(self.0.to_string()))
    }

    fn __repr__(&self) -> PyResult<String> {
        guarded(|| {
            Ok({
                if self.0.is_nothing() {
                    "Selector.nothing()".to_string()
                } else {
                    format!("Selector.parse({:?})", self.0.to_string())
                }
            })
        })
    }

    fn __hash__(&self) -> PyResult<u64> {
        guarded(|| Ok(hash_of(&self.0)))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        guarded(|| {
            Ok({
                other
                    .cast::<PySelector>()
                    .is_ok_and(|o| o.get().0 == self.0)
            })
        })
    }
}

/// Many selectors, indexed for "which selectors match this label set" (`cnarch.labels.SelectorIndex`).
#[pyclass(name = "SelectorIndex", module = "cnarch.labels")]
#[derive(Default)]
struct PySelectorIndex(SelectorIndex);

#[pymethods]
impl PySelectorIndex {
    #[new]
    fn new() -> PyResult<Self> {
        guarded(|| Ok(PySelectorIndex::default()))
    }

    /// Adds a selector; returns its id (0, 1, 2, ... in insertion order).
    fn insert(&mut self, selector: &PySelector) -> PyResult<usize> {
        guarded(|| Ok(self.0.insert(selector.0.clone())))
    }

    /// The ids of the selectors that match the label mapping, ascending.
    fn matching(&self, labels: BTreeMap<String, String>) -> PyResult<Vec<usize>> {
        guarded(|| Ok(self.0.matching(&labels)))
    }

    fn __len__(&self) -> PyResult<usize> {
        guarded(|| Ok(self.0.len()))
    }
}

fn policy_error(py: Python<'_>, e: PolicyError) -> PyErr {
    raise(py, "PolicyError", (e.to_string(), e.code()))
}

fn from_py<T: serde::de::DeserializeOwned>(data: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    pythonize::depythonize(data).map_err(|e| PyValueError::new_err(format!("expected {what}: {e}")))
}

fn protocol(text: &str) -> PyResult<NetworkProtocol> {
    text.parse().map_err(PyValueError::new_err)
}

fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Namespaces, pods and NetworkPolicies, ready to decide connections
/// (`cnarch.policy.NetworkPolicyEngine`).
#[pyclass(name = "NetworkPolicyEngine", module = "cnarch.policy", frozen)]
struct PyNetworkPolicyEngine(NetworkPolicyEngine);

#[pymethods]
impl PyNetworkPolicyEngine {
    #[new]
    fn new(
        py: Python<'_>,
        namespaces: &Bound<'_, PyAny>,
        pods: &Bound<'_, PyAny>,
        policies: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let namespaces: Vec<Namespace> =
                from_py(namespaces, "a list of namespaces ({name, labels})")?;
            let pods: Vec<Pod> = from_py(
                pods,
                "a list of pods ({namespace, name, labels, ips, ports})",
            )?;
            let policies: Vec<NetworkPolicy> = from_py(policies, "a list of NetworkPolicy dicts")?;
            NetworkPolicyEngine::new(namespaces, pods, &policies)
                .map(PyNetworkPolicyEngine)
                .map_err(|e| policy_error(py, e))
        })
    }

    /// Decides a connection; endpoints are `"namespace/name"` or an IP address. Returns
    /// `{"allowed", "egress", "ingress"}` with each direction's verdict and reason.
    #[pyo3(signature = (source, destination, port, protocol = "TCP"))]
    fn evaluate(
        &self,
        py: Python<'_>,
        source: &str,
        destination: &str,
        port: u16,
        protocol: &str,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let proto = self::protocol(protocol)?;
            let v = self
                .0
                .evaluate_str(source, destination, port, proto)
                .map_err(|e| policy_error(py, e))?;
            Ok(pythonize::pythonize(py, &v)?.unbind())
        })
    }

    /// The pod-to-pod truth table for one port (pods in the order given).
    #[pyo3(signature = (port, protocol = "TCP"))]
    fn connectivity(&self, py: Python<'_>, port: u16, protocol: &str) -> PyResult<Vec<Vec<bool>>> {
        guard(py, || {
            Ok(self.0.connectivity(port, self::protocol(protocol)?))
        })
    }

    /// `namespace/name` of the policies that select a pod.
    fn policies_selecting(
        &self,
        py: Python<'_>,
        namespace: &str,
        name: &str,
    ) -> PyResult<Vec<String>> {
        guard(py, || {
            self.0
                .policies_selecting(namespace, name)
                .map_err(|e| policy_error(py, e))
        })
    }
}

/// Decides a request against mesh policies with Istio AuthorizationPolicy semantics.
#[pyfunction]
fn authorize(
    py: Python<'_>,
    policies: &Bound<'_, PyAny>,
    request: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let policies: Vec<MeshPolicy> = from_py(policies, "a list of MeshPolicy dicts")?;
        let request: Request = from_py(request, "a request dict ({service, principal, namespace, serviceNamespace, attributes, customDecisions})")?;
        Ok(pythonize::pythonize(py, &core_authorize(&policies, &request))?.unbind())
    })
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A time argument (seconds on the caller's clock) as an `Instant`, or a ValueError.
fn time_in(s: f64) -> PyResult<Instant> {
    Instant::try_from_secs_f64(s).map_err(PyValueError::new_err)
}

fn secs(d: std::time::Duration) -> f64 {
    d.as_secs_f64()
}

/// The native breaker; `cnarch.resilience.CircuitBreaker` wraps it with Python idioms.
#[pyclass(name = "_CircuitBreaker", module = "cnarch._core", frozen)]
struct PyBreaker(CircuitBreaker);

/// A permit's identity, as the native breaker hands it out.
#[pyclass(name = "_Permit", module = "cnarch._core", frozen)]
struct PyPermit(Permit);

#[pymethods]
impl PyBreaker {
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let c: BreakerConfig = from_py(config, "a circuit breaker configuration")?;
            CircuitBreaker::new(c).map(PyBreaker).map_err(value_error)
        })
    }

    /// `(permit, None, None)` or `(None, state, retry_after_seconds_or_None)`.
    fn try_acquire(
        &self,
        now: f64,
    ) -> PyResult<(Option<PyPermit>, Option<&'static str>, Option<f64>)> {
        guarded(|| {
            Ok({
                match self.0.try_acquire(time_in(now)?) {
                    Ok(p) => (Some(PyPermit(p)), None, None),
                    Err(r) => (None, Some(r.state.as_str()), r.retry_after.map(secs)),
                }
            })
        })
    }

    fn record(
        &self,
        now: f64,
        permit: &PyPermit,
        success: Option<bool>,
        duration: f64,
    ) -> PyResult<()> {
        guarded(|| {
            let d = duration_from_secs(duration).map_err(value_error)?;
            let outcome = match success {
                Some(true) => Outcome::success(d),
                Some(false) => Outcome::failure(d),
                None => Outcome::ignored(d),
            };
            self.0.record(time_in(now)?, permit.0, outcome);
            Ok(())
        })
    }

    fn state(&self, now: f64) -> PyResult<&'static str> {
        guarded(|| Ok(self.0.state(time_in(now)?).as_str()))
    }

    fn metrics(&self, py: Python<'_>, now: f64) -> PyResult<Py<PyAny>> {
        guarded(|| Ok(pythonize::pythonize(py, &self.0.metrics(time_in(now)?))?.unbind()))
    }

    fn transition_to(&self, now: f64, state: &str) -> PyResult<()> {
        guarded(|| {
            let to: State = state.parse().map_err(value_error)?;
            self.0.transition_to(time_in(now)?, to);
            Ok(())
        })
    }

    fn snapshot(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guarded(|| Ok(pythonize::pythonize(py, &self.0.snapshot())?.unbind()))
    }

    #[staticmethod]
    fn restore(
        py: Python<'_>,
        config: &Bound<'_, PyAny>,
        snapshot: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let c: BreakerConfig = from_py(config, "a circuit breaker configuration")?;
            let snap: BreakerSnapshot = from_py(
                snapshot,
                "a breaker snapshot (from CircuitBreaker.snapshot())",
            )?;
            CircuitBreaker::restore(c, &snap)
                .map(PyBreaker)
                .map_err(value_error)
        })
    }
}

/// The native retry policy.
#[pyclass(name = "_RetryPolicy", module = "cnarch._core", frozen)]
struct PyRetry(RetryPolicy);

#[pymethods]
impl PyRetry {
    #[new]
    fn new(
        max_attempts: u32,
        backoff: &str,
        initial: f64,
        multiplier: f64,
        max_delay: f64,
        jitter: &str,
    ) -> PyResult<Self> {
        guarded(|| {
            let backoff = Backoff::from_name(backoff, multiplier).map_err(value_error)?;
            let jitter: Jitter = jitter.parse().map_err(value_error)?;
            let initial = duration_from_secs(initial).map_err(value_error)?;
            let max_delay = duration_from_secs(max_delay).map_err(value_error)?;
            RetryPolicy::new(max_attempts, backoff, jitter, initial, max_delay)
                .map(PyRetry)
                .map_err(value_error)
        })
    }

    #[staticmethod]
    fn envoy() -> PyResult<Self> {
        guarded(|| Ok(PyRetry(RetryPolicy::envoy())))
    }

    #[staticmethod]
    fn grpc(
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        backoff_multiplier: f64,
    ) -> PyResult<Self> {
        guarded(|| {
            RetryPolicy::grpc(
                max_attempts,
                initial_backoff,
                max_backoff,
                backoff_multiplier,
            )
            .map(PyRetry)
            .map_err(value_error)
        })
    }

    fn delays(&self, seed: u64) -> PyResult<Vec<f64>> {
        guarded(|| Ok(self.0.delays(seed).into_iter().map(secs).collect()))
    }

    #[getter]
    fn max_attempts(&self) -> PyResult<u32> {
        guarded(|| Ok(self.0.max_attempts))
    }
}

/// gRPC retry throttling (`cnarch.resilience.RetryThrottle`).
#[pyclass(name = "RetryThrottle", module = "cnarch.resilience")]
struct PyThrottle(RetryThrottle);

#[pymethods]
impl PyThrottle {
    #[new]
    fn new(max_tokens: u32, token_ratio: f64) -> PyResult<Self> {
        guarded(|| {
            RetryThrottle::new(max_tokens, token_ratio)
                .map(PyThrottle)
                .ok_or_else(|| PyValueError::new_err(format!("expected max_tokens in 1..=1000 and token_ratio > 0, found {max_tokens} and {token_ratio}")))
        })
    }
    fn on_success(&mut self) -> PyResult<()> {
        guarded(|| {
            {
                self.0.on_success();
            }
            Ok(())
        })
    }
    fn on_failure(&mut self) -> PyResult<()> {
        guarded(|| {
            {
                self.0.on_failure();
            }
            Ok(())
        })
    }
    fn allows_retry(&self) -> PyResult<bool> {
        guarded(|| Ok(self.0.allows_retry()))
    }
    #[getter]
    fn tokens(&self) -> PyResult<f64> {
        guarded(|| Ok(self.0.tokens()))
    }
}

/// Envoy's retry budget (`cnarch.resilience.RetryBudget`).
#[pyclass(name = "RetryBudget", module = "cnarch.resilience", frozen)]
struct PyBudget(RetryBudget);

#[pymethods]
impl PyBudget {
    #[new]
    #[pyo3(signature = (budget_percent = 20.0, min_retry_concurrency = 3))]
    fn new(budget_percent: f64, min_retry_concurrency: u32) -> PyResult<Self> {
        guarded(|| {
            RetryBudget::new(budget_percent, min_retry_concurrency)
                .map(PyBudget)
                .map_err(value_error)
        })
    }
    fn max_active_retries(&self, active_requests: u32) -> PyResult<u32> {
        guarded(|| Ok(self.0.max_active_retries(active_requests)))
    }
    fn allows_retry(&self, active_requests: u32, active_retries: u32) -> PyResult<bool> {
        guarded(|| Ok(self.0.allows_retry(active_requests, active_retries)))
    }
}

/// The AWS SDK standard retry quota (`cnarch.resilience.RetryQuota`).
#[pyclass(name = "RetryQuota", module = "cnarch.resilience")]
struct PyQuota(RetryQuota);

#[pymethods]
impl PyQuota {
    #[new]
    fn new() -> PyResult<Self> {
        guarded(|| Ok(PyQuota(RetryQuota::aws_standard())))
    }
    #[pyo3(signature = (after_timeout = false))]
    fn acquire(&mut self, after_timeout: bool) -> PyResult<Option<u32>> {
        guarded(|| Ok(self.0.acquire(after_timeout)))
    }
    #[pyo3(signature = (retry_cost = None))]
    fn on_success(&mut self, retry_cost: Option<u32>) -> PyResult<()> {
        guarded(|| {
            {
                self.0.on_success(retry_cost);
            }
            Ok(())
        })
    }
    #[getter]
    fn available(&self) -> PyResult<u32> {
        guarded(|| Ok(self.0.available()))
    }
}

/// The native rate limiter behind `TokenBucket` and `Gcra` (one algorithm, see
/// `cnarch_core::resilience::ratelimit`).
#[pyclass(name = "_RateLimiter", module = "cnarch._core")]
struct PyLimiter(TokenBucket);

#[pymethods]
impl PyLimiter {
    #[new]
    fn new(rate: f64, burst: u64) -> PyResult<Self> {
        guarded(|| {
            TokenBucket::new(rate, burst)
                .map(PyLimiter)
                .map_err(value_error)
        })
    }

    /// `(allowed, retry_after_seconds_or_None)`; raises ValueError when `n` exceeds the burst.
    fn check(&mut self, now: f64, n: u64) -> PyResult<(bool, Option<f64>)> {
        guarded(|| {
            Ok(match self.0.check(time_in(now)?, n).map_err(value_error)? {
                RateDecision::Allowed => (true, None),
                RateDecision::Denied { retry_after } => (false, Some(secs(retry_after))),
            })
        })
    }
}

/// The native bulkhead.
#[pyclass(name = "_Bulkhead", module = "cnarch._core", frozen)]
struct PyBulkhead(Bulkhead);

fn opt_secs(v: Option<f64>) -> PyResult<Option<std::time::Duration>> {
    v.map(duration_from_secs).transpose().map_err(value_error)
}

#[pymethods]
impl PyBulkhead {
    #[new]
    #[pyo3(signature = (max_concurrent, max_queued, max_wait=None))]
    fn new(max_concurrent: u32, max_queued: u32, max_wait: Option<f64>) -> PyResult<Self> {
        guarded(|| {
            Bulkhead::new(max_concurrent, max_queued, opt_secs(max_wait)?)
                .map(PyBulkhead)
                .map_err(value_error)
        })
    }

    /// `(decision, ticket_or_None)`.
    fn try_enter(&self, now: f64) -> PyResult<(&'static str, Option<u64>)> {
        guarded(|| {
            Ok({
                let a = self.0.try_enter(time_in(now)?);
                let ticket = match a {
                    Admission::Queued(t) => Some(t.0),
                    _ => None,
                };
                (a.as_str(), ticket)
            })
        })
    }

    fn release(&self, now: f64) -> PyResult<Option<u64>> {
        guarded(|| {
            Ok(self
                .0
                .release(time_in(now)?)
                .map_err(value_error)?
                .map(|t| t.0))
        })
    }

    fn cancel(&self, ticket: u64) -> PyResult<bool> {
        guarded(|| Ok(self.0.cancel(Ticket(ticket))))
    }

    fn expire(&self, now: f64) -> PyResult<Vec<u64>> {
        guarded(|| {
            Ok({
                self.0
                    .expire(time_in(now)?)
                    .into_iter()
                    .map(|t| t.0)
                    .collect()
            })
        })
    }

    #[getter]
    fn active(&self) -> PyResult<u32> {
        guarded(|| Ok(self.0.active()))
    }

    #[getter]
    fn queued(&self) -> PyResult<u32> {
        guarded(|| Ok(self.0.queued()))
    }

    #[getter]
    fn rejected(&self) -> PyResult<u64> {
        guarded(|| Ok(self.0.rejected()))
    }
}

/// An outlier event as the Python facade unpacks it: at, host, action, kind, duration.
type EventTuple = (f64, String, &'static str, Option<&'static str>, Option<f64>);

/// The native outlier detector (hosts are strings).
#[pyclass(name = "_OutlierDetector", module = "cnarch._core")]
struct PyOutlier(OutlierDetector<String>);

fn host_result(v: &Bound<'_, PyAny>) -> PyResult<HostResult> {
    if let Ok(code) = v.extract::<u16>() {
        return format!("{code}").parse().map_err(value_error);
    }
    let s: String = v.extract().map_err(|_| {
        PyTypeError::new_err("expected an HTTP status (int), \"connect_failure\" or \"timeout\"")
    })?;
    s.parse().map_err(value_error)
}

#[pymethods]
impl PyOutlier {
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>, start: f64, seed: u64) -> PyResult<Self> {
        guard(py, || {
            let c: OutlierConfig = from_py(config, "an outlier detection configuration")?;
            OutlierDetector::new(c, time_in(start)?, seed)
                .map(PyOutlier)
                .map_err(value_error)
        })
    }

    #[staticmethod]
    fn istio(
        consecutive_5xx_errors: u32,
        interval: f64,
        base_ejection_time: f64,
        start: f64,
        seed: u64,
    ) -> PyResult<Self> {
        guarded(|| {
            let c = OutlierConfig::istio(
                consecutive_5xx_errors,
                duration_from_secs(interval).map_err(value_error)?,
                duration_from_secs(base_ejection_time).map_err(value_error)?,
            );
            OutlierDetector::new(c, time_in(start)?, seed)
                .map(PyOutlier)
                .map_err(value_error)
        })
    }

    fn add_host(&mut self, host: String) -> PyResult<()> {
        guarded(|| {
            {
                self.0.add_host(host);
            }
            Ok(())
        })
    }

    fn remove_host(&mut self, host: String) -> PyResult<bool> {
        guarded(|| Ok(self.0.remove_host(&host)))
    }

    fn record(&mut self, now: f64, host: String, result: &Bound<'_, PyAny>) -> PyResult<()> {
        guarded(|| {
            let r = host_result(result)?;
            self.0.record(time_in(now)?, &host, r);
            Ok(())
        })
    }

    fn advance(&mut self, now: f64) -> PyResult<()> {
        guarded(|| {
            {
                self.0.advance(time_in(now)?);
            }
            Ok(())
        })
    }

    /// `[(at, host, action, kind_or_None, duration_or_None)]`.
    fn take_events(&mut self) -> PyResult<Vec<EventTuple>> {
        guarded(|| {
            Ok({
                self.0
                    .take_events()
                    .into_iter()
                    .map(|e| {
                        let duration = match e.action {
                            OutlierAction::Eject { duration, .. } => Some(secs(duration)),
                            _ => None,
                        };
                        (
                            e.at.as_nanos() as f64 / 1e9,
                            e.host,
                            e.action.as_str(),
                            e.action.kind().map(|k| k.as_str()),
                            duration,
                        )
                    })
                    .collect()
            })
        })
    }

    fn is_ejected(&self, host: String) -> PyResult<bool> {
        guarded(|| Ok(self.0.is_ejected(&host)))
    }

    fn ejected(&self) -> PyResult<Vec<String>> {
        guarded(|| Ok(self.0.ejected().into_iter().cloned().collect()))
    }

    fn hosts(&self) -> PyResult<Vec<String>> {
        guarded(|| Ok(self.0.hosts().cloned().collect()))
    }
}

/// Envoy / Istio / gRPC retry conditions.
#[pyclass(name = "RetryOn", module = "cnarch.resilience", frozen)]
struct PyRetryOn(RetryOn);

fn call_outcome(v: &Bound<'_, PyAny>) -> PyResult<CallOutcome> {
    if let Ok(code) = v.extract::<u16>() {
        return format!("{code}").parse().map_err(value_error);
    }
    let s: String = v.extract().map_err(|_| {
        PyTypeError::new_err("expected an outcome: an HTTP status (int) or a name such as \"grpc:UNAVAILABLE\" or \"reset\"")
    })?;
    s.parse().map_err(value_error)
}

#[pymethods]
impl PyRetryOn {
    /// `retry_on` is Envoy's comma-separated list; `status_codes` are the
    /// `retriable-status-codes`.
    #[new]
    #[pyo3(signature = (retry_on, status_codes=Vec::new()))]
    fn new(retry_on: &str, status_codes: Vec<u16>) -> PyResult<Self> {
        guarded(|| {
            Ok(PyRetryOn(
                RetryOn::parse(retry_on)
                    .map_err(value_error)?
                    .with_status_codes(&status_codes),
            ))
        })
    }

    /// gRFC A6's `retryableStatusCodes`.
    #[staticmethod]
    fn grpc(codes: Vec<String>) -> PyResult<Self> {
        guarded(|| RetryOn::grpc(&codes).map(PyRetryOn).map_err(value_error))
    }

    /// Istio's default retry conditions.
    #[staticmethod]
    fn istio_default() -> PyResult<Self> {
        guarded(|| Ok(PyRetryOn(RetryOn::istio_default())))
    }

    /// Whether `outcome` (an HTTP status, `"grpc:NAME"`, `"connect_failure"`, `"reset"`,
    /// `"refused_stream"`, `"per_try_timeout"`, `"retryable"`, `"not_retryable"`) is retried.
    fn should_retry(&self, outcome: &Bound<'_, PyAny>) -> PyResult<bool> {
        guarded(|| Ok(self.0.should_retry(call_outcome(outcome)?)))
    }
}

// ---- autoscale --------------------------------------------------------------------------

/// `ValidationError` listing `violations` (paths name the argument's fields).
fn invalid(py: Python<'_>, violations: Vec<Violation>) -> PyErr {
    let message = match violations.as_slice() {
        [one] => format!("{}: {}", one.path, one.message),
        many => format!(
            "{} problems, first {}: {}",
            many.len(),
            many[0].path,
            many[0].message
        ),
    };
    match violation_objects(py, &violations) {
        Ok(list) => raise(py, "ValidationError", (message, list)),
        Err(e) => e,
    }
}

fn json_of(v: &Bound<'_, PyAny>, what: &str) -> PyResult<serde_json::Value> {
    pythonize::depythonize(v).map_err(|e| PyTypeError::new_err(format!("expected {what}: {e}")))
}

fn to_py<T: serde::Serialize>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, v)?.unbind())
}

/// `(replicas, utilization, raw_average, value)` for one metric; raises `ValueError` with the
/// controller's message when no proposal can be made.
#[pyfunction]
#[pyo3(signature = (current_replicas, pods, target_utilization, target_average_value, resource, up, down, now, cpu_initialization_period, initial_readiness_delay))]
#[allow(clippy::too_many_arguments)]
fn _replica_calc(
    py: Python<'_>,
    current_replicas: i32,
    pods: &Bound<'_, PyAny>,
    target_utilization: Option<i32>,
    target_average_value: Option<&Bound<'_, PyAny>>,
    resource: Option<String>,
    up: f64,
    down: f64,
    now: Option<f64>,
    cpu_initialization_period: f64,
    initial_readiness_delay: f64,
) -> PyResult<(i32, Option<i32>, Option<i64>)> {
    guard(py, || {
        let pods = pods_from_json(&json_of(pods, "a list of pod dicts")?, 1.0, "pods")
            .map_err(|v| invalid(py, v))?;
        let now = match now {
            Some(t) => time_in(t)?,
            None => pods
                .iter()
                .filter_map(|p| p.start_time.max(p.ready_transition_time).max(p.sample_time))
                .max()
                .unwrap_or(Instant::ZERO),
        };
        let o = CalcOptions {
            tolerances: Tolerances { up, down },
            cpu_initialization_period: duration_from_secs(cpu_initialization_period)
                .map_err(value_error)?,
            initial_readiness_delay: duration_from_secs(initial_readiness_delay)
                .map_err(value_error)?,
            now,
        };
        match (target_utilization, target_average_value) {
            (Some(u), None) => {
                let r = resource.unwrap_or_else(|| "cpu".into());
                resource_utilization_replicas(current_replicas, &pods, u, &r, &o)
                    .map(|p| (p.replicas, Some(p.utilization), Some(p.raw_average)))
                    .map_err(value_error)
            }
            (None, Some(v)) => {
                let target = milli_of(v)?;
                average_value_replicas(current_replicas, &pods, target, resource.as_deref(), &o)
                    .map(|p| (p.replicas, None, Some(p.value)))
                    .map_err(value_error)
            }
            _ => Err(PyValueError::new_err(
                "expected exactly one of target_utilization and target_average_value",
            )),
        }
    })
}

/// A milli-unit number or a quantity string.
fn milli_of(v: &Bound<'_, PyAny>) -> PyResult<i64> {
    let json = json_of(v, "a number of milli-units or a quantity string")?;
    let ms = metric_inputs_from_json(&serde_json::Value::Array(vec![json]), 1.0).map_err(|v| {
        PyValueError::new_err(v.first().map(|x| x.message.clone()).unwrap_or_default())
    })?;
    match ms.first() {
        Some(MetricInput::Value(m)) => Ok(*m),
        _ => Err(PyTypeError::new_err(
            "expected a number of milli-units or a quantity string",
        )),
    }
}

/// `(replicas, value)` for an Object/External metric.
#[pyfunction]
#[pyo3(signature = (current_replicas, total, target_value, target_average_value, ready_pod_count, up, down))]
#[allow(clippy::too_many_arguments)]
fn _object_replica_calc(
    py: Python<'_>,
    current_replicas: i32,
    total: &Bound<'_, PyAny>,
    target_value: Option<&Bound<'_, PyAny>>,
    target_average_value: Option<&Bound<'_, PyAny>>,
    ready_pod_count: Option<usize>,
    up: f64,
    down: f64,
) -> PyResult<(i32, i64)> {
    guard(py, || {
        let total = milli_of(total)?;
        let tol = Tolerances { up, down };
        let r = match (target_value, target_average_value) {
            (Some(t), None) => object_value_replicas(
                current_replicas,
                total,
                milli_of(t)?,
                ready_pod_count.unwrap_or(current_replicas.max(0) as usize),
                tol,
            ),
            (None, Some(t)) => object_average_replicas(current_replicas, total, milli_of(t)?, tol),
            _ => {
                return Err(PyValueError::new_err(
                    "expected exactly one of target_value and target_average_value",
                ))
            }
        };
        r.map(|p| (p.replicas, p.value)).map_err(value_error)
    })
}

/// The native HPA controller.
#[pyclass(name = "_HorizontalAutoscaler", module = "cnarch._core")]
struct PyHpa(HorizontalAutoscaler);

#[pymethods]
impl PyHpa {
    #[new]
    #[pyo3(signature = (spec, tolerance, downscale_stabilization, cpu_initialization_period, initial_readiness_delay, recommendations, scale_events))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        spec: &Bound<'_, PyAny>,
        tolerance: f64,
        downscale_stabilization: f64,
        cpu_initialization_period: f64,
        initial_readiness_delay: f64,
        recommendations: Vec<(f64, i32)>,
        scale_events: Vec<(f64, i32)>,
    ) -> PyResult<Self> {
        guard(py, || {
            let spec = HpaSpec::from_json(&json_of(
                spec,
                "an autoscaling/v2 HorizontalPodAutoscaler spec",
            )?)
            .map_err(|v| invalid(py, v))?;
            let options = ControllerOptions {
                tolerance,
                downscale_stabilization: duration_from_secs(downscale_stabilization)
                    .map_err(value_error)?,
                cpu_initialization_period: duration_from_secs(cpu_initialization_period)
                    .map_err(value_error)?,
                initial_readiness_delay: duration_from_secs(initial_readiness_delay)
                    .map_err(value_error)?,
            };
            let at = |v: Vec<(f64, i32)>| {
                v.into_iter()
                    .map(|(t, n)| Ok((time_in(t)?, n)))
                    .collect::<PyResult<Vec<_>>>()
            };
            let (recommendations, scale_events) = (at(recommendations)?, at(scale_events)?);
            HorizontalAutoscaler::new(spec, options)
                .map(|h| {
                    PyHpa(
                        h.with_recommendations(&recommendations)
                            .with_scale_events(&scale_events),
                    )
                })
                .map_err(|v| invalid(py, v))
        })
    }

    /// The decision as a dict.
    #[pyo3(signature = (now, current_replicas, metrics, status_replicas=None, pods=None))]
    fn decide(
        &mut self,
        py: Python<'_>,
        now: f64,
        current_replicas: i32,
        metrics: &Bound<'_, PyAny>,
        status_replicas: Option<i32>,
        pods: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let inputs = metric_inputs_from_json(&json_of(metrics, "one input per metric")?, 1.0)
                .map_err(|v| invalid(py, v))?;
            let pods = match pods {
                Some(p) => pods_from_json(&json_of(p, "a list of pod dicts")?, 1.0, "pods")
                    .map_err(|v| invalid(py, v))?,
                None => Vec::new(),
            };
            let obs = Observation {
                current_replicas,
                status_replicas,
                pods,
                metrics: inputs,
            };
            let d = self.0.decide(time_in(now)?, &obs).map_err(value_error)?;
            to_py(py, &d)
        })
    }

    /// The effective metric names, in input order.
    fn metric_names(&self) -> PyResult<Vec<String>> {
        guarded(|| Ok(self.0.metrics().iter().map(|m| m.display_name()).collect()))
    }
}

/// The native KPA.
#[pyclass(name = "_ServerlessAutoscaler", module = "cnarch._core")]
struct PyKpa(ServerlessAutoscaler);

#[pymethods]
impl PyKpa {
    #[new]
    #[pyo3(signature = (config, decider=None, start=0.0, start_ready=0))]
    fn new(
        py: Python<'_>,
        config: &Bound<'_, PyAny>,
        decider: Option<&Bound<'_, PyAny>>,
        start: f64,
        start_ready: u32,
    ) -> PyResult<Self> {
        guard(py, || {
            let c = kpa_config_from_json(&json_of(config, "a KPA configuration")?, 1.0)
                .map_err(|v| invalid(py, v))?;
            let mut k = ServerlessAutoscaler::new(c).map_err(value_error)?;
            if let Some(d) = decider {
                k = k.with_decider(
                    decider_from_json(&json_of(d, "a decider spec")?, 1.0)
                        .map_err(|v| invalid(py, v))?,
                );
            }
            Ok(PyKpa(k.starting_with(time_in(start)?, start_ready)))
        })
    }

    #[pyo3(signature = (now, stable, panic, ready_pods, reachable=true))]
    fn scale(
        &mut self,
        py: Python<'_>,
        now: f64,
        stable: f64,
        panic: f64,
        ready_pods: u32,
        reachable: bool,
    ) -> PyResult<Py<PyAny>> {
        guarded(|| {
            let d = self
                .0
                .scale_reachable(time_in(now)?, stable, panic, ready_pods, reachable)
                .map_err(value_error)?;
            to_py(py, &d)
        })
    }
}

/// The native KEDA ScaledObject.
#[pyclass(name = "_ScaledObject", module = "cnarch._core")]
struct PyKeda(ScaledObject);

#[pymethods]
impl PyKeda {
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let c = keda_config_from_json(&json_of(config, "a ScaledObject's fields")?)
                .map_err(|v| invalid(py, v))?;
            ScaledObject::new(c).map(PyKeda).map_err(value_error)
        })
    }

    fn poll(
        &mut self,
        py: Python<'_>,
        now: f64,
        current_replicas: u32,
        values: Vec<Option<f64>>,
    ) -> PyResult<Py<PyAny>> {
        guarded(|| {
            let d = self.0.poll(time_in(now)?, current_replicas, &values);
            to_py(py, &d)
        })
    }

    fn hpa_spec(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guarded(|| to_py(py, &self.0.hpa_spec()))
    }
}

#[pyfunction]
#[pyo3(signature = (value, activation_threshold=0.0))]
fn keda_activation(value: f64, activation_threshold: f64) -> PyResult<bool> {
    guarded(|| Ok(keda_is_active(value, activation_threshold)))
}

/// `{"timeline": {...}, "summary": {...}}`.
#[pyfunction]
fn _simulate(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    trace: &Bound<'_, PyAny>,
    seed: u64,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let c = sim_config_from_json(&json_of(config, "a simulation configuration")?, 1.0)
            .map_err(|v| invalid(py, v))?;
        let t = trace_from_json(&json_of(trace, "a trace")?, 1.0).map_err(|v| invalid(py, v))?;
        let r = simulate(&c, &t, seed).map_err(|v| invalid(py, v))?;
        to_py(py, &r)
    })
}

#[pyfunction]
fn _compare(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    trace: &Bound<'_, PyAny>,
    seed: u64,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let a = sim_config_from_json(&json_of(a, "a simulation configuration")?, 1.0)
            .map_err(|v| invalid(py, v))?;
        let b = sim_config_from_json(&json_of(b, "a simulation configuration")?, 1.0)
            .map_err(|v| invalid(py, v))?;
        let t = trace_from_json(&json_of(trace, "a trace")?, 1.0).map_err(|v| invalid(py, v))?;
        let r = compare(&a, &b, &t, seed).map_err(|v| invalid(py, v))?;
        to_py(py, &r)
    })
}

// ---- slo and alerting (seconds) --------------------------------------------------------

/// A burn-rate rule as the Python facade passes it: long, short, factor, severity, for,
/// keep_firing_for.
type RuleRow = (f64, f64, f64, String, f64, f64);

fn objective(o: f64) -> PyResult<Objective> {
    Objective::new(o).map_err(value_error)
}

fn dur(s: f64) -> PyResult<std::time::Duration> {
    duration_from_secs(s).map_err(value_error)
}

#[pyfunction]
fn _slo_burn_rate(error_ratio: f64, o: f64) -> PyResult<f64> {
    guarded(|| slo_budget::burn_rate(error_ratio, &objective(o)?).map_err(value_error))
}

#[pyfunction]
fn _slo_time_to_exhaustion(o: f64, window: f64, error_ratio: f64) -> PyResult<Option<f64>> {
    guarded(|| {
        Ok(
            slo_budget::time_to_exhaustion(&objective(o)?, dur(window)?, error_ratio)
                .map_err(value_error)?
                .map(secs),
        )
    })
}

#[pyfunction]
fn _slo_allowed_bad_time(o: f64, window: f64) -> PyResult<f64> {
    guarded(|| {
        Ok(secs(slo_budget::allowed_bad_time(
            &objective(o)?,
            dur(window)?,
        )))
    })
}

#[pyfunction]
fn _slo_allowed_bad_events(o: f64, total: u64) -> PyResult<u64> {
    guarded(|| Ok(slo_budget::allowed_bad_events(&objective(o)?, total)))
}

#[pyfunction]
fn _slo_budget_consumed(error_ratio: f64, o: f64, duration: f64, period: f64) -> PyResult<f64> {
    guarded(|| {
        slo_budget::budget_consumed(error_ratio, &objective(o)?, dur(duration)?, dur(period)?)
            .map_err(value_error)
    })
}

#[pyfunction]
fn _slo_burn_factor(budget_fraction: f64, period: f64, long_window: f64) -> PyResult<f64> {
    guarded(|| {
        slo_budget::burn_factor(budget_fraction, dur(period)?, dur(long_window)?)
            .map_err(value_error)
    })
}

#[pyfunction]
fn _slo_detection_time(
    o: f64,
    error_ratio: f64,
    window: f64,
    factor: f64,
) -> PyResult<Option<f64>> {
    guarded(|| {
        Ok(
            slo_budget::detection_time(&objective(o)?, error_ratio, dur(window)?, factor)
                .map_err(value_error)?
                .map(secs),
        )
    })
}

#[pyfunction]
fn _slo_reset_time(o: f64, error_ratio: f64, window: f64, factor: f64) -> PyResult<Option<f64>> {
    guarded(|| {
        Ok(
            slo_budget::reset_time(&objective(o)?, error_ratio, dur(window)?, factor)
                .map_err(value_error)?
                .map(secs),
        )
    })
}

#[pyfunction]
fn _slo_budget_status(py: Python<'_>, o: f64, good: u64, total: u64) -> PyResult<Py<PyAny>> {
    guarded(|| to_py(py, &slo_budget::budget_status(&objective(o)?, good, total)))
}

/// `[(long_s, short_s, factor, severity, for_s, keep_firing_for_s)]`.
#[pyfunction]
fn _slo_policy(kind: &str, period: f64) -> PyResult<Vec<RuleRow>> {
    guarded(|| {
        let p = match kind {
            "standard" => MultiwindowPolicy::standard(dur(period)?),
            "pyrra" => MultiwindowPolicy::pyrra(dur(period)?),
            other => {
                return Err(PyValueError::new_err(format!(
                    "expected `standard` or `pyrra`, found `{other}`"
                )))
            }
        };
        Ok(p.rules
            .iter()
            .map(|r| {
                (
                    secs(r.long_window),
                    secs(r.short_window),
                    r.factor,
                    r.severity.clone(),
                    secs(r.for_),
                    secs(r.keep_firing_for),
                )
            })
            .collect())
    })
}

#[pyfunction]
fn _slo_validate(
    py: Python<'_>,
    period: f64,
    rules: Vec<RuleRow>,
    o: f64,
    events_per_second: Option<f64>,
    min_events: f64,
) -> PyResult<Py<PyAny>> {
    guarded(|| {
        let p = MultiwindowPolicy::from_seconds(period, &rules).map_err(PyValueError::new_err)?;
        to_py(
            py,
            &p.validate(&objective(o)?, events_per_second, min_events)
                .map_err(PyValueError::new_err)?,
        )
    })
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _slo_evaluate(
    py: Python<'_>,
    period: f64,
    rules: Vec<RuleRow>,
    o: f64,
    timestamps: Vec<f64>,
    good: Vec<f64>,
    total: Vec<f64>,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let p = MultiwindowPolicy::from_seconds(period, &rules).map_err(PyValueError::new_err)?;
        let e = slo_evaluate(&p, &objective(o)?, &timestamps, &good, &total)
            .map_err(|v| invalid(py, v))?;
        to_py(py, &e)
    })
}

/// Sloth's spec (a dict), or a model `ServiceLevelObjectives` document with `service`.
#[pyfunction]
#[pyo3(signature = (spec, period, service=None))]
fn _slo_prometheus_rules(
    py: Python<'_>,
    spec: &Bound<'_, PyAny>,
    period: f64,
    service: Option<String>,
) -> PyResult<String> {
    guard(py, || {
        let v = json_of(
            spec,
            "a Sloth prometheus/v1 spec or a ServiceLevelObjectives document",
        )?;
        let sloth = slo_spec_from_json(&v, service.as_deref()).map_err(|v| invalid(py, v))?;
        Ok(generate_rules(&sloth, dur(period)?)
            .map_err(|v| invalid(py, v))?
            .to_yaml())
    })
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _slo_evaluate_ratios(
    py: Python<'_>,
    period: f64,
    rules: Vec<RuleRow>,
    o: f64,
    timestamps: Vec<f64>,
    error_ratios: Vec<f64>,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let p = MultiwindowPolicy::from_seconds(period, &rules).map_err(PyValueError::new_err)?;
        let e = cnarch_core::alerting::evaluate::evaluate_ratios(
            &p,
            &objective(o)?,
            &timestamps,
            &error_ratios,
        )
        .map_err(|v| invalid(py, v))?;
        to_py(py, &e)
    })
}

/// The SLI of `(t, good, total)` samples by an OpenSLO budgeting method (`{"method": ...}`).
#[pyfunction]
fn _slo_sli(
    py: Python<'_>,
    method: &Bound<'_, PyAny>,
    samples: Vec<(f64, f64, f64)>,
) -> PyResult<Option<f64>> {
    guarded(|| {
        let m: cnarch_core::slo::window::BudgetingMethod = from_py(method, "a budgeting method ({\"method\": \"occurrences\" | \"timeslices\" | \"ratio_timeslices\", ...})")?;
        cnarch_core::slo::window::sli(m, &samples).map_err(|v| invalid(py, v))
    })
}

/// `(start, end)` Unix seconds of the calendar window containing `at`, in an IANA zone or a
/// fixed offset (`"+02:00"`).
#[pyfunction]
fn _slo_calendar_window(unit: &str, zone: &str, at: i64) -> PyResult<(i64, i64)> {
    guarded(|| {
        use cnarch_core::slo::window::{CalendarUnit, CalendarWindow};
        let u: CalendarUnit = unit.parse().map_err(value_error)?;
        CalendarWindow::containing(u, zone, at).map_err(value_error)
    })
}

/// The native alert rule.
#[pyclass(name = "_AlertRule", module = "cnarch._core")]
struct PyAlertRule(AlertRule);

#[pymethods]
impl PyAlertRule {
    #[new]
    fn new(for_secs: f64, keep_firing_for_secs: f64) -> PyResult<Self> {
        guarded(|| {
            AlertRule::try_new(for_secs, keep_firing_for_secs)
                .map(PyAlertRule)
                .map_err(PyValueError::new_err)
        })
    }
    fn eval(&mut self, t: f64, active: bool) -> PyResult<&'static str> {
        guarded(|| {
            self.0
                .try_eval(t, active)
                .map(|s| s.as_str())
                .map_err(PyValueError::new_err)
        })
    }
    #[getter]
    fn state(&self) -> PyResult<&'static str> {
        guarded(|| Ok(self.0.state().as_str()))
    }
}

#[pyfunction]
fn _alert_notifications(
    py: Python<'_>,
    route: &Bound<'_, PyAny>,
    inhibit: &Bound<'_, PyAny>,
    alerts: &Bound<'_, PyAny>,
    until: f64,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let (route, inhibit, alerts) = routing_inputs(
            &json_of(route, "a route")?,
            &json_of(inhibit, "inhibit rules")?,
            &json_of(alerts, "alerts")?,
        )
        .map_err(|v| invalid(py, v))?;
        to_py(
            py,
            &notifications(&route, &inhibit, &alerts, until).map_err(|v| invalid(py, v))?,
        )
    })
}

#[pyfunction]
fn _alert_escalation(
    py: Python<'_>,
    policy: &Bound<'_, PyAny>,
    alert: &Bound<'_, PyAny>,
    until: f64,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let (p, a) = escalation_inputs(
            &json_of(policy, "an escalation policy")?,
            &json_of(alert, "an alert")?,
        )
        .map_err(|v| invalid(py, v))?;
        to_py(py, &p.notices(&a, until).map_err(|v| invalid(py, v))?)
    })
}

/// The native module, imported by the pure-Python package as `cnarch._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(dump, m)?)?;
    m.add_function(wrap_pyfunction!(parse_duration_ns, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_class::<PyQuantity>()?;
    m.add_class::<PySchedule>()?;
    m.add_class::<PySelector>()?;
    m.add_class::<PySelectorIndex>()?;
    m.add_class::<PyNetworkPolicyEngine>()?;
    m.add_function(wrap_pyfunction!(authorize, m)?)?;
    m.add_class::<PyBreaker>()?;
    m.add_class::<PyPermit>()?;
    m.add_class::<PyRetry>()?;
    m.add_class::<PyThrottle>()?;
    m.add_class::<PyBudget>()?;
    m.add_class::<PyQuota>()?;
    m.add_class::<PyLimiter>()?;
    m.add_class::<PyBulkhead>()?;
    m.add_class::<PyOutlier>()?;
    m.add_class::<PyRetryOn>()?;
    m.add_function(wrap_pyfunction!(_replica_calc, m)?)?;
    m.add_function(wrap_pyfunction!(_object_replica_calc, m)?)?;
    m.add_class::<PyHpa>()?;
    m.add_class::<PyKpa>()?;
    m.add_class::<PyKeda>()?;
    m.add_function(wrap_pyfunction!(keda_activation, m)?)?;
    m.add_function(wrap_pyfunction!(_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(_compare, m)?)?;
    for f in [
        wrap_pyfunction!(_slo_burn_rate, m)?,
        wrap_pyfunction!(_slo_time_to_exhaustion, m)?,
        wrap_pyfunction!(_slo_allowed_bad_time, m)?,
        wrap_pyfunction!(_slo_allowed_bad_events, m)?,
        wrap_pyfunction!(_slo_budget_consumed, m)?,
        wrap_pyfunction!(_slo_burn_factor, m)?,
        wrap_pyfunction!(_slo_detection_time, m)?,
        wrap_pyfunction!(_slo_reset_time, m)?,
        wrap_pyfunction!(_slo_budget_status, m)?,
        wrap_pyfunction!(_slo_policy, m)?,
        wrap_pyfunction!(_slo_validate, m)?,
        wrap_pyfunction!(_slo_evaluate, m)?,
        wrap_pyfunction!(_slo_evaluate_ratios, m)?,
        wrap_pyfunction!(_slo_sli, m)?,
        wrap_pyfunction!(_slo_calendar_window, m)?,
        wrap_pyfunction!(_slo_prometheus_rules, m)?,
        wrap_pyfunction!(_alert_notifications, m)?,
        wrap_pyfunction!(_alert_escalation, m)?,
    ] {
        m.add_function(f)?;
    }
    m.add_class::<PyAlertRule>()?;
    Ok(())
}
