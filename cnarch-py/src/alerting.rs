//! Alerting: Prometheus' alert state, Alertmanager's notifications and escalation policies.
//! Times are seconds.

use cnarch_core::alerting::rule::AlertRule;
use cnarch_core::ffi::slo::escalation_inputs;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, to_py};
use crate::error::{invalid, OrPy};

/// The native alert rule.
#[pyclass(name = "_AlertRule", module = "cnarch._core")]
pub(crate) struct PyAlertRule(AlertRule);

#[guarded]
#[pymethods]
impl PyAlertRule {
    #[new]
    fn new(for_secs: f64, keep_firing_for_secs: f64) -> PyResult<Self> {
        {
            AlertRule::try_new(for_secs, keep_firing_for_secs)
                .map(PyAlertRule)
                .or_py()
        }
    }
    fn eval(&mut self, t: f64, active: bool) -> PyResult<&'static str> {
        {
            self.0.try_eval(t, active).map(|s| s.as_str()).or_py()
        }
    }
    #[getter]
    fn state(&self) -> PyResult<&'static str> {
        Ok(self.0.state().as_str())
    }
}

#[guarded]
#[pyfunction]
pub fn _alert_notifications(
    py: Python<'_>,
    route: &Bound<'_, PyAny>,
    inhibit: &Bound<'_, PyAny>,
    alerts: &Bound<'_, PyAny>,
    until: f64,
) -> PyResult<Py<PyAny>> {
    {
        let n = cnarch_core::ffi::slo::notifications(
            crate::error::HOST,
            &json_of(alerts, "alerts")?,
            &json_of(route, "route")?,
            &json_of(inhibit, "inhibit")?,
            until,
        )
        .or_py()?;
        to_py(py, &n)
    }
}

#[guarded]
#[pyfunction]
pub fn _alert_escalation(
    py: Python<'_>,
    policy: &Bound<'_, PyAny>,
    alert: &Bound<'_, PyAny>,
    until: f64,
) -> PyResult<Py<PyAny>> {
    {
        let (p, a) = escalation_inputs(&json_of(policy, "policy")?, &json_of(alert, "alert")?)
            .map_err(invalid)?;
        to_py(py, &p.notices(&a, until).map_err(invalid)?)
    }
}

/// Alertmanager's `ParseMatchers`: a list of `{name, op, value, text}`.
#[guarded]
#[pyfunction]
pub fn _am_parse_matchers(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    {
        let m =
            cnarch_core::ffi::alerting::parse_matchers(crate::error::HOST, &json_of(text, "text")?)
                .or_py()?;
        to_py(py, &m)
    }
}

/// Whether every matcher of a list matches a label set.
#[guarded]
#[pyfunction]
pub fn _am_matches(text: &Bound<'_, PyAny>, labels: &Bound<'_, PyAny>) -> PyResult<bool> {
    {
        cnarch_core::ffi::alerting::matches(
            crate::error::HOST,
            &json_of(text, "text")?,
            &json_of(labels, "labels")?,
        )
        .or_py()
    }
}

/// A loaded Alertmanager configuration.
#[pyclass(name = "_AlertmanagerConfig", module = "cnarch._core")]
pub(crate) struct PyAlertmanagerConfig(cnarch_core::alerting::config::Config);

#[guarded]
#[pymethods]
impl PyAlertmanagerConfig {
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        {
            cnarch_core::ffi::alerting::config(crate::error::HOST, &json_of(config, "config")?)
                .map(PyAlertmanagerConfig)
                .or_py()
        }
    }
    fn routes(&self, py: Python<'_>, labels: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        {
            let r = cnarch_core::ffi::alerting::routes(
                crate::error::HOST,
                &self.0,
                &json_of(labels, "labels")?,
            )
            .or_py()?;
            to_py(py, &r)
        }
    }
    fn receivers(&self, labels: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        {
            cnarch_core::ffi::alerting::receivers(
                crate::error::HOST,
                &self.0,
                &json_of(labels, "labels")?,
            )
            .or_py()
        }
    }
    fn inhibited(
        &self,
        alerts: &Bound<'_, PyAny>,
        labels: &Bound<'_, PyAny>,
        at: f64,
    ) -> PyResult<bool> {
        {
            cnarch_core::ffi::alerting::inhibited(
                crate::error::HOST,
                &self.0,
                &json_of(alerts, "alerts")?,
                &json_of(labels, "labels")?,
                at,
            )
            .or_py()
        }
    }
    #[pyo3(signature = (alerts, until, start=None))]
    fn timeline(
        &self,
        py: Python<'_>,
        alerts: &Bound<'_, PyAny>,
        until: f64,
        start: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        {
            let n = cnarch_core::ffi::alerting::timeline(
                crate::error::HOST,
                &self.0,
                &json_of(alerts, "alerts")?,
                until,
                start,
            )
            .or_py()?;
            to_py(py, &n)
        }
    }
}
