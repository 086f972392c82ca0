//! Alerting: Prometheus' alert state, Alertmanager's notifications and escalation policies.
//! Times are seconds.

use cnarch_core::alerting::routing::notifications;
use cnarch_core::alerting::rule::AlertRule;
use cnarch_core::ffi::slo::{escalation_inputs, routing_inputs};
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
        let (route, inhibit, alerts) = routing_inputs(
            &json_of(route, "route")?,
            &json_of(inhibit, "inhibit")?,
            &json_of(alerts, "alerts")?,
        )
        .map_err(invalid)?;
        to_py(
            py,
            &notifications(&route, &inhibit, &alerts, until).map_err(invalid)?,
        )
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
