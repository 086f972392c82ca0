//! SLO math: error budgets, burn rates, policies, offline evaluation, SLIs, calendar windows
//! and Prometheus rules. Durations are milliseconds or text like `"30d"`; defaults come from
//! `ffi::slo`.

use cnarch_core::alerting::policy::MultiwindowPolicy as CorePolicy;
use cnarch_core::ffi;
use cnarch_core::ffi::slo::Series;
use cnarch_core::slo::budget::{self as slo_budget, Objective};
use wasm_bindgen::prelude::*;

use crate::convert::{data, epoch_ms, ms, opt_data, opt_string, out};
use crate::error::{set, OrJs, HOST};

fn objective(o: f64) -> Result<Objective, JsValue> {
    Objective::new(o).or_js()
}

/// Milliseconds or duration text, as a std duration.
fn span(v: &JsValue, argument: &str) -> Result<std::time::Duration, JsValue> {
    match ffi::slo::span(HOST, Some(&data(v, argument)?), argument).or_js()? {
        Some(d) => Ok(d),
        None => Err(crate::error::type_error(
            argument,
            "milliseconds or a duration like \"30d\"",
            v,
        )),
    }
}

fn ms_opt(d: Option<std::time::Duration>) -> JsValue {
    d.map_or(JsValue::NULL, |d| JsValue::from_f64(ms(d)))
}

/// `{start, end}` (ms since the epoch, end exclusive) of the calendar `unit` (`day`, `week`
/// from Monday, `month`, `quarter`) containing `at` (ms or a Date) in a fixed UTC offset
/// (`"UTC"`, `"+02:00"`). IANA zones are refused: the tz database is not in this build.
#[wasm_bindgen(js_name = calendarWindow)]
pub fn calendar_window(at: JsValue, unit: JsValue, zone: JsValue) -> Result<JsValue, JsValue> {
    use cnarch_core::slo::window::{CalendarUnit, CalendarWindow};
    let ms_at = epoch_ms(&at, "at")?;
    let u: CalendarUnit = opt_string(&unit, "unit")?
        .as_deref()
        .unwrap_or("month")
        .parse()
        .or_js()?;
    let (start, end) = CalendarWindow::containing(
        u,
        opt_string(&zone, "zone")?.as_deref().unwrap_or("UTC"),
        (ms_at / 1000.0).floor() as i64,
    )
    .or_js()?;
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "start", &((start as f64) * 1000.0).into());
    set(&o, "end", &((end as f64) * 1000.0).into());
    Ok(o)
}

/// Error ratio over the error budget.
#[wasm_bindgen(js_name = burnRate)]
pub fn burn_rate(error_ratio: f64, objective_: f64) -> Result<f64, JsValue> {
    slo_budget::burn_rate(error_ratio, &objective(objective_)?).or_js()
}

/// window / burn rate in ms; `null` at an error ratio of 0.
#[wasm_bindgen(js_name = timeToExhaustion)]
pub fn time_to_exhaustion(
    objective_: f64,
    window: JsValue,
    error_ratio: f64,
) -> Result<JsValue, JsValue> {
    Ok(ms_opt(
        slo_budget::time_to_exhaustion(
            &objective(objective_)?,
            span(&window, "window")?,
            error_ratio,
        )
        .or_js()?,
    ))
}

/// window × (1 − objective) in ms.
#[wasm_bindgen(js_name = allowedBadTime)]
pub fn allowed_bad_time(objective_: f64, window: JsValue) -> Result<f64, JsValue> {
    Ok(ms(slo_budget::allowed_bad_time(
        &objective(objective_)?,
        span(&window, "window")?,
    )))
}

/// ⌊total × (1 − objective)⌋.
#[wasm_bindgen(js_name = allowedBadEvents)]
pub fn allowed_bad_events(objective_: f64, total_events: JsValue) -> Result<f64, JsValue> {
    let total: u64 = crate::convert::whole(&total_events, "totalEvents")?;
    Ok(slo_budget::allowed_bad_events(&objective(objective_)?, total) as f64)
}

/// The fraction of a period's budget `duration` at `errorRatio` consumes.
#[wasm_bindgen(js_name = budgetConsumed)]
pub fn budget_consumed(
    error_ratio: f64,
    objective_: f64,
    duration: JsValue,
    period: JsValue,
) -> Result<f64, JsValue> {
    slo_budget::budget_consumed(
        error_ratio,
        &objective(objective_)?,
        span(&duration, "duration")?,
        span(&period, "period")?,
    )
    .or_js()
}

/// The burn factor for a budget share in a long window (Sloth).
#[wasm_bindgen(js_name = burnFactor)]
pub fn burn_factor(
    budget_fraction: f64,
    period: JsValue,
    long_window: JsValue,
) -> Result<f64, JsValue> {
    slo_budget::burn_factor(
        budget_fraction,
        span(&period, "period")?,
        span(&long_window, "longWindow")?,
    )
    .or_js()
}

/// Detection time in ms (`null`: never fires).
#[wasm_bindgen(js_name = detectionTime)]
pub fn detection_time(
    objective_: f64,
    error_ratio: f64,
    alert_window: JsValue,
    factor: f64,
) -> Result<JsValue, JsValue> {
    Ok(ms_opt(
        slo_budget::detection_time(
            &objective(objective_)?,
            error_ratio,
            span(&alert_window, "alertWindow")?,
            factor,
        )
        .or_js()?,
    ))
}

/// Reset time in ms (`null`: never fired).
#[wasm_bindgen(js_name = resetTime)]
pub fn reset_time(
    objective_: f64,
    error_ratio: f64,
    alert_window: JsValue,
    factor: f64,
) -> Result<JsValue, JsValue> {
    Ok(ms_opt(
        slo_budget::reset_time(
            &objective(objective_)?,
            error_ratio,
            span(&alert_window, "alertWindow")?,
            factor,
        )
        .or_js()?,
    ))
}

/// `{sli, total, bad, allowedBad, consumed, remaining, remainingEvents}`.
#[wasm_bindgen(js_name = budgetStatus)]
pub fn budget_status(objective_: f64, good: JsValue, total: JsValue) -> Result<JsValue, JsValue> {
    let good: u64 = crate::convert::whole(&good, "good")?;
    let total: u64 = crate::convert::whole(&total, "total")?;
    out(&slo_budget::budget_status(
        &objective(objective_)?,
        good,
        total,
    ))
}

/// Multiwindow multi-burn-rate rules over an SLO period (ms).
#[wasm_bindgen]
#[derive(Debug)]
pub struct MultiwindowPolicy(pub(crate) CorePolicy);

#[wasm_bindgen]
impl MultiwindowPolicy {
    /// Sloth's four alerts with factors for `period` (default 30 days).
    pub fn standard(period: JsValue) -> Result<MultiwindowPolicy, JsValue> {
        ffi::slo::policy(HOST, "standard", opt_data(&period, "period")?.as_ref())
            .map(MultiwindowPolicy)
            .or_js()
    }

    /// Pyrra's windows scaled to `period` (default 28 days).
    pub fn pyrra(period: JsValue) -> Result<MultiwindowPolicy, JsValue> {
        ffi::slo::policy(HOST, "pyrra", opt_data(&period, "period")?.as_ref())
            .map(MultiwindowPolicy)
            .or_js()
    }

    /// Custom rules (`[{longWindow, shortWindow, factor, severity, for, keepFiringFor}]`, ms or
    /// duration strings; `shortWindow` defaults to longWindow / 12, `severity` to `page`) over
    /// `period`, e.g. to reproduce the workbook's single-window approaches.
    #[wasm_bindgen(js_name = fromRules)]
    pub fn from_rules(period: JsValue, rules: JsValue) -> Result<MultiwindowPolicy, JsValue> {
        ffi::slo::policy_from_rules(HOST, &data(&period, "period")?, &data(&rules, "rules")?)
            .map(MultiwindowPolicy)
            .or_js()
    }

    /// `[{longWindow, shortWindow, factor, severity, for, keepFiringFor}]` (ms).
    #[wasm_bindgen(getter)]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        out(&ffi::slo::rules_out(HOST, &self.0))
    }

    /// The SLO period (ms).
    #[wasm_bindgen(getter)]
    pub fn period(&self) -> f64 {
        ms(self.0.period)
    }

    /// Findings: `never_fires`, `low_traffic` (`minEvents` defaults to 10).
    pub fn validate(
        &self,
        objective_: f64,
        events_per_second: Option<f64>,
        min_events: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        out(
            &ffi::slo::validate_policy(HOST, &self.0, objective_, events_per_second, min_events)
                .or_js()?,
        )
    }
}

/// Replays `policy` over a series (timestamps in ms; events per sample): per rule the states
/// and episodes (times and durations in ms).
#[wasm_bindgen]
pub fn evaluate(
    policy: &MultiwindowPolicy,
    objective_: f64,
    timestamps: Vec<f64>,
    good: Vec<f64>,
    total: Vec<f64>,
) -> Result<JsValue, JsValue> {
    out(&ffi::slo::evaluate(
        HOST,
        &policy.0,
        objective_,
        &timestamps,
        Series::Counts(&good, &total),
    )
    .or_js()?)
}

/// As `evaluate`, from per-sample error ratios (NaN: no data).
#[wasm_bindgen(js_name = evaluateRatios)]
pub fn evaluate_ratios(
    policy: &MultiwindowPolicy,
    objective_: f64,
    timestamps: Vec<f64>,
    error_ratios: Vec<f64>,
) -> Result<JsValue, JsValue> {
    out(&ffi::slo::evaluate(
        HOST,
        &policy.0,
        objective_,
        &timestamps,
        Series::Ratios(&error_ratios),
    )
    .or_js()?)
}

/// The SLI of `[t, good, total]` samples by an OpenSLO budgeting method: `{method:
/// "occurrences" | "timeslices" | "ratio_timeslices", sliceSeconds?, target?}`.
#[wasm_bindgen]
pub fn sli(samples: JsValue, method: JsValue) -> Result<Option<f64>, JsValue> {
    let s: Vec<(f64, f64, f64)> =
        ffi::read(HOST, &data(&samples, "samples")?, "samples", &[]).or_js()?;
    let m: cnarch_core::slo::window::BudgetingMethod =
        ffi::read(HOST, &data(&method, "method")?, "method", &[]).or_js()?;
    cnarch_core::slo::window::sli(m, &s).map_err(crate::error::invalid)
}

/// Prometheus rule groups (YAML) with Sloth's names, from a Sloth `prometheus/v1` spec or a
/// ServiceLevelObjectives document (for `service`), over `period` (default 30 days).
#[wasm_bindgen(js_name = prometheusRules)]
pub fn prometheus_rules(
    spec: JsValue,
    period: JsValue,
    service: JsValue,
) -> Result<String, JsValue> {
    ffi::slo::prometheus_rules(
        HOST,
        &data(&spec, "spec")?,
        opt_data(&period, "period")?.as_ref(),
        opt_string(&service, "service")?.as_deref(),
    )
    .or_js()
}

/// A `promtool test rules` file (`test`) and the rule file it names (`rules`) from a spec and
/// an incident (`{interval, phases: [{duration, requestsPerSecond, errorRatio}]}` or
/// `{interval, requests, errors}` per interval); times in milliseconds.
#[wasm_bindgen(js_name = promtoolTest)]
pub fn promtool_test(
    spec: JsValue,
    incident: JsValue,
    period: JsValue,
    service: JsValue,
    rules_file: JsValue,
) -> Result<JsValue, JsValue> {
    let t = ffi::slo::promtool_test(
        HOST,
        &data(&spec, "spec")?,
        &data(&incident, "incident")?,
        opt_data(&period, "period")?.as_ref(),
        opt_string(&service, "service")?.as_deref(),
        opt_string(&rules_file, "rulesFile")?.as_deref(),
    )
    .or_js()?;
    out(&t)
}
