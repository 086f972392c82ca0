//! SLO math: error budgets, burn rates, policies, offline evaluation, SLIs, calendar windows
//! and Prometheus rules. Durations are seconds; defaults come from `ffi::slo`.

use cnarch_core::alerting::evaluate::evaluate as slo_evaluate;
use cnarch_core::alerting::policy::MultiwindowPolicy;
use cnarch_core::ffi;
use cnarch_core::slo::budget::{self as slo_budget, Objective};
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, opt_json, read, secs, to_py};
use crate::error::{invalid, OrPy, HOST};

fn objective(o: f64) -> PyResult<Objective> {
    Objective::new(o).or_py()
}

fn dur(s: f64) -> PyResult<std::time::Duration> {
    crate::convert::dur(s, "duration")
}

#[guarded]
#[pyfunction]
pub fn _slo_burn_rate(error_ratio: f64, o: f64) -> PyResult<f64> {
    slo_budget::burn_rate(error_ratio, &objective(o)?).or_py()
}

#[guarded]
#[pyfunction]
pub fn _slo_time_to_exhaustion(o: f64, window: f64, error_ratio: f64) -> PyResult<Option<f64>> {
    {
        Ok(
            slo_budget::time_to_exhaustion(&objective(o)?, dur(window)?, error_ratio)
                .or_py()?
                .map(secs),
        )
    }
}

#[guarded]
#[pyfunction]
pub fn _slo_allowed_bad_time(o: f64, window: f64) -> PyResult<f64> {
    {
        Ok(secs(slo_budget::allowed_bad_time(
            &objective(o)?,
            dur(window)?,
        )))
    }
}

#[guarded]
#[pyfunction]
pub fn _slo_allowed_bad_events(o: f64, total: u64) -> PyResult<u64> {
    Ok(slo_budget::allowed_bad_events(&objective(o)?, total))
}

#[guarded]
#[pyfunction]
pub fn _slo_budget_consumed(error_ratio: f64, o: f64, duration: f64, period: f64) -> PyResult<f64> {
    {
        slo_budget::budget_consumed(error_ratio, &objective(o)?, dur(duration)?, dur(period)?)
            .or_py()
    }
}

#[guarded]
#[pyfunction]
pub fn _slo_burn_factor(budget_fraction: f64, period: f64, long_window: f64) -> PyResult<f64> {
    {
        slo_budget::burn_factor(budget_fraction, dur(period)?, dur(long_window)?).or_py()
    }
}

#[guarded]
#[pyfunction]
pub fn _slo_detection_time(
    o: f64,
    error_ratio: f64,
    window: f64,
    factor: f64,
) -> PyResult<Option<f64>> {
    {
        Ok(
            slo_budget::detection_time(&objective(o)?, error_ratio, dur(window)?, factor)
                .or_py()?
                .map(secs),
        )
    }
}

#[guarded]
#[pyfunction]
pub fn _slo_reset_time(
    o: f64,
    error_ratio: f64,
    window: f64,
    factor: f64,
) -> PyResult<Option<f64>> {
    {
        Ok(
            slo_budget::reset_time(&objective(o)?, error_ratio, dur(window)?, factor)
                .or_py()?
                .map(secs),
        )
    }
}

#[guarded]
#[pyfunction]
pub fn _slo_budget_status(py: Python<'_>, o: f64, good: u64, total: u64) -> PyResult<Py<PyAny>> {
    to_py(py, &slo_budget::budget_status(&objective(o)?, good, total))
}

/// `{period, rules}` of the `standard` or `pyrra` policy over `period` (seconds or text;
/// absent: the policy's own period), rules as dicts.
#[guarded]
#[pyfunction]
#[pyo3(signature = (kind, period=None))]
pub fn _slo_policy(
    py: Python<'_>,
    kind: &str,
    period: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let p = ffi::slo::policy(HOST, kind, opt_json(period, "period")?.as_ref()).or_py()?;
    let out = serde_json::json!({"period": secs(p.period), "rules": ffi::slo::rules_out(HOST, &p)});
    to_py(py, &out)
}

/// Custom rules resolved (a `short_window` of None is long / 12, no severity is `page`), as
/// dicts.
#[guarded]
#[pyfunction]
pub fn _slo_rules(py: Python<'_>, rules: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let p = policy_of(0.0, rules)?;
    to_py(py, &ffi::slo::rules_out(HOST, &p))
}

fn policy_of(period: f64, rules: &Bound<'_, PyAny>) -> PyResult<MultiwindowPolicy> {
    ffi::slo::policy_from_rules(HOST, &serde_json::json!(period), &json_of(rules, "rules")?).or_py()
}

#[guarded]
#[pyfunction]
#[pyo3(signature = (period, rules, o, events_per_second=None, min_events=None))]
pub fn _slo_validate(
    py: Python<'_>,
    period: f64,
    rules: &Bound<'_, PyAny>,
    o: f64,
    events_per_second: Option<f64>,
    min_events: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let p = policy_of(period, rules)?;
    let f = ffi::slo::validate_policy(HOST, &p, o, events_per_second, min_events).or_py()?;
    to_py(py, &f)
}

#[guarded]
#[pyfunction]
pub fn _slo_evaluate(
    py: Python<'_>,
    period: f64,
    rules: &Bound<'_, PyAny>,
    o: f64,
    timestamps: Vec<f64>,
    good: Vec<f64>,
    total: Vec<f64>,
) -> PyResult<Py<PyAny>> {
    let p = policy_of(period, rules)?;
    let e = slo_evaluate(&p, &objective(o)?, &timestamps, &good, &total).map_err(invalid)?;
    to_py(py, &e)
}

/// Sloth's spec (a dict), or a model `ServiceLevelObjectives` document with `service`.
#[guarded]
#[pyfunction]
#[pyo3(signature = (spec, period=None, service=None))]
pub fn _slo_prometheus_rules(
    spec: &Bound<'_, PyAny>,
    period: Option<&Bound<'_, PyAny>>,
    service: Option<String>,
) -> PyResult<String> {
    ffi::slo::prometheus_rules(
        HOST,
        &json_of(spec, "spec")?,
        opt_json(period, "period")?.as_ref(),
        service.as_deref(),
    )
    .or_py()
}

/// A `promtool test rules` file and its rule file, from a spec and an incident.
#[guarded]
#[pyfunction]
#[pyo3(signature = (spec, incident, period=None, service=None, rules_file=None))]
pub fn _slo_promtool_test(
    py: Python<'_>,
    spec: &Bound<'_, PyAny>,
    incident: &Bound<'_, PyAny>,
    period: Option<&Bound<'_, PyAny>>,
    service: Option<String>,
    rules_file: Option<String>,
) -> PyResult<Py<PyAny>> {
    let t = ffi::slo::promtool_test(
        HOST,
        &json_of(spec, "spec")?,
        &json_of(incident, "incident")?,
        opt_json(period, "period")?.as_ref(),
        service.as_deref(),
        rules_file.as_deref(),
    )
    .or_py()?;
    to_py(py, &t)
}

#[guarded]
#[pyfunction]
pub fn _slo_evaluate_ratios(
    py: Python<'_>,
    period: f64,
    rules: &Bound<'_, PyAny>,
    o: f64,
    timestamps: Vec<f64>,
    error_ratios: Vec<f64>,
) -> PyResult<Py<PyAny>> {
    let p = policy_of(period, rules)?;
    let e = cnarch_core::alerting::evaluate::evaluate_ratios(
        &p,
        &objective(o)?,
        &timestamps,
        &error_ratios,
    )
    .map_err(invalid)?;
    to_py(py, &e)
}

/// The SLI of `(t, good, total)` samples by an OpenSLO budgeting method (`{"method": ...}`).
#[guarded]
#[pyfunction]
pub fn _slo_sli(method: &Bound<'_, PyAny>, samples: Vec<(f64, f64, f64)>) -> PyResult<Option<f64>> {
    {
        let m: cnarch_core::slo::window::BudgetingMethod = read(method, "method")?;
        cnarch_core::slo::window::sli(m, &samples).map_err(invalid)
    }
}

/// `(start, end)` Unix seconds of the calendar window containing `at`, in an IANA zone or a
/// fixed offset (`"+02:00"`).
#[guarded]
#[pyfunction]
pub fn _slo_calendar_window(unit: &str, zone: &str, at: i64) -> PyResult<(i64, i64)> {
    {
        use cnarch_core::slo::window::{CalendarUnit, CalendarWindow};
        let u: CalendarUnit = unit.parse().or_py()?;
        CalendarWindow::containing(u, zone, at).or_py()
    }
}
