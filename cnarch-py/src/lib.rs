//! Python bindings for cnarch: conversion, error mapping and Python idioms only. Every
//! decision is made in `cnarch-core` (its `ffi` module holds the binding-facing calls).
//!
//! The native module is `cnarch._core`; the pure-Python package `cnarch` (in `python/`) is the
//! public face. Each core error kind maps to one exception class of `cnarch._errors`
//! (`error`), and every entry point runs inside the panic guard (`#[guarded]`), so a Rust
//! panic surfaces as `cnarch.CnarchError`, never an abort.
//!
//! One file per concept, mirroring the core: `document`, `values`, `labels`, `events`,
//! `policy`, `resilience`, `autoscale`, `slo`, `alerting`; `convert` holds the
//! time and data conversions.
// pyo3's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

mod alerting;
mod autoscale;
mod convert;
mod document;
mod error;
mod events;
mod eventsourcing;
mod gateway;
mod labels;
mod plain;
mod policy;
mod probes;
mod prom;
mod resilience;
mod serverless;
mod slo;
mod sns;
mod sqs;
mod tracing;
mod values;

use pyo3::prelude::*;

/// The native module, imported by the pure-Python package as `cnarch._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    for f in [
        wrap_pyfunction!(document::load, m)?,
        wrap_pyfunction!(document::validate, m)?,
        wrap_pyfunction!(document::dump, m)?,
        wrap_pyfunction!(document::parse_duration_ns, m)?,
        wrap_pyfunction!(document::_duration_seconds, m)?,
        wrap_pyfunction!(document::_panic_for_tests, m)?,
        wrap_pyfunction!(policy::authorize, m)?,
        wrap_pyfunction!(autoscale::_replica_calc, m)?,
        wrap_pyfunction!(autoscale::_object_replica_calc, m)?,
        wrap_pyfunction!(autoscale::keda_activation, m)?,
        wrap_pyfunction!(autoscale::_simulate, m)?,
        wrap_pyfunction!(autoscale::_compare, m)?,
        wrap_pyfunction!(slo::_slo_burn_rate, m)?,
        wrap_pyfunction!(slo::_slo_time_to_exhaustion, m)?,
        wrap_pyfunction!(slo::_slo_allowed_bad_time, m)?,
        wrap_pyfunction!(slo::_slo_allowed_bad_events, m)?,
        wrap_pyfunction!(slo::_slo_budget_consumed, m)?,
        wrap_pyfunction!(slo::_slo_burn_factor, m)?,
        wrap_pyfunction!(slo::_slo_detection_time, m)?,
        wrap_pyfunction!(slo::_slo_reset_time, m)?,
        wrap_pyfunction!(slo::_slo_budget_status, m)?,
        wrap_pyfunction!(slo::_slo_policy, m)?,
        wrap_pyfunction!(slo::_slo_rules, m)?,
        wrap_pyfunction!(slo::_slo_validate, m)?,
        wrap_pyfunction!(slo::_slo_evaluate, m)?,
        wrap_pyfunction!(slo::_slo_evaluate_ratios, m)?,
        wrap_pyfunction!(slo::_slo_sli, m)?,
        wrap_pyfunction!(slo::_slo_calendar_window, m)?,
        wrap_pyfunction!(slo::_slo_prometheus_rules, m)?,
        wrap_pyfunction!(slo::_slo_promtool_test, m)?,
        wrap_pyfunction!(alerting::_alert_notifications, m)?,
        wrap_pyfunction!(alerting::_alert_escalation, m)?,
        wrap_pyfunction!(alerting::_am_parse_matchers, m)?,
        wrap_pyfunction!(alerting::_am_matches, m)?,
        wrap_pyfunction!(events::_event_matches, m)?,
        wrap_pyfunction!(sns::_filter_policy_matches, m)?,
        wrap_pyfunction!(serverless::_serverless_cost, m)?,
        wrap_pyfunction!(serverless::_serverless_prices, m)?,
        wrap_pyfunction!(serverless::_serverless_check, m)?,
        wrap_pyfunction!(tracing::_parse_traceparent, m)?,
        wrap_pyfunction!(tracing::_format_traceparent, m)?,
        wrap_pyfunction!(tracing::_parse_tracestate, m)?,
        wrap_pyfunction!(tracing::_update_tracestate, m)?,
        wrap_pyfunction!(tracing::_remove_tracestate, m)?,
        wrap_pyfunction!(tracing::_truncate_tracestate, m)?,
        wrap_pyfunction!(tracing::_span_tree, m)?,
        wrap_pyfunction!(probes::_probe_timeline, m)?,
        wrap_pyfunction!(probes::_probe_bounds, m)?,
        wrap_pyfunction!(probes::_probe_back_off, m)?,
        wrap_pyfunction!(prom::_expand_series, m)?,
        wrap_pyfunction!(prom::_format_series, m)?,
        wrap_pyfunction!(prom::_parse_exposition, m)?,
        wrap_pyfunction!(prom::_render_exposition, m)?,
        wrap_pyfunction!(prom::_render_metrics, m)?,
        wrap_pyfunction!(gateway::_cors_check, m)?,
        wrap_pyfunction!(gateway::_preflight, m)?,
        wrap_pyfunction!(gateway::_cors_response, m)?,
    ] {
        m.add_function(f)?;
    }
    m.add_class::<alerting::PyAlertmanagerConfig>()?;
    m.add_class::<values::PyQuantity>()?;
    m.add_class::<values::PySchedule>()?;
    m.add_class::<labels::PySelector>()?;
    m.add_class::<labels::PySelectorIndex>()?;
    m.add_class::<policy::PyNetworkPolicyEngine>()?;
    m.add_class::<resilience::PyBreaker>()?;
    m.add_class::<resilience::PyPermit>()?;
    m.add_class::<resilience::PyRetry>()?;
    m.add_class::<resilience::PyThrottle>()?;
    m.add_class::<resilience::PyBudget>()?;
    m.add_class::<resilience::PyQuota>()?;
    m.add_class::<resilience::PyLimiter>()?;
    m.add_class::<resilience::PyBulkhead>()?;
    m.add_class::<resilience::PyOutlier>()?;
    m.add_class::<resilience::PyRetryOn>()?;
    m.add_class::<autoscale::PyHpa>()?;
    m.add_class::<autoscale::PyKpa>()?;
    m.add_class::<autoscale::PyKeda>()?;
    m.add_class::<alerting::PyAlertRule>()?;
    m.add_class::<events::PyPatternMatcher>()?;
    m.add_class::<sns::PyFilterPolicy>()?;
    m.add_class::<sns::PyTopic>()?;
    m.add_class::<sqs::PyQueue>()?;
    m.add_class::<serverless::PyEventSourceMapping>()?;
    m.add_class::<tracing::PySampler>()?;
    m.add_class::<gateway::PyRouter>()?;
    m.add_class::<gateway::PyThrottle>()?;
    m.add_class::<gateway::PyStageCache>()?;
    m.add_class::<eventsourcing::PyEventStore>()?;
    m.add_class::<eventsourcing::PyCatchUp>()?;
    m.add_class::<eventsourcing::PyPersistent>()?;
    m.add_class::<eventsourcing::PyProjection>()?;
    m.add_class::<eventsourcing::PySnapshots>()?;
    m.add_class::<eventsourcing::PyReplay>()?;
    Ok(())
}
