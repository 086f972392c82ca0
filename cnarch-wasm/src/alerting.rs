//! Alerting: Prometheus' alert state, Alertmanager's notifications and escalation policies.
//! Times are milliseconds.

use cnarch_core::alerting::rule::AlertRule as CoreAlertRule;
use cnarch_core::ffi;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, out};
use crate::error::{OrJs, HOST};

/// One alert's state as Prometheus evaluates it (ms).
#[wasm_bindgen]
#[derive(Debug)]
pub struct AlertRule(CoreAlertRule);

#[wasm_bindgen]
impl AlertRule {
    /// `for` and `keepFiringFor` in ms (or duration strings).
    #[wasm_bindgen(constructor)]
    pub fn new(for_: JsValue, keep_firing_for: JsValue) -> Result<AlertRule, JsValue> {
        let d = |v: &JsValue, w: &str| -> Result<f64, JsValue> {
            Ok(ffi::slo::span(HOST, opt_data(v, w)?.as_ref(), w)
                .or_js()?
                .map_or(0.0, |d| d.as_secs_f64()))
        };
        CoreAlertRule::try_new(d(&for_, "for")?, d(&keep_firing_for, "keepFiringFor")?)
            .map(AlertRule)
            .or_js()
    }

    /// One evaluation at `t` (ms): `"inactive"`, `"pending"` or `"firing"`.
    pub fn eval(&mut self, t: f64, active: bool) -> Result<String, JsValue> {
        self.0
            .try_eval(t / 1000.0, active)
            .map(|s| s.as_str().to_string())
            .or_js()
    }

    /// The state.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.0.state().as_str().to_string()
    }
}

/// The options of `notifications`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoutingOptions {
    route: Option<serde_json::Value>,
    inhibit: Option<serde_json::Value>,
    until: Option<f64>,
}

/// Alertmanager's notifications (ms): alerts `{labels, startsAt, endsAt}`, options `{route:
/// {groupBy, groupWait, groupInterval, repeatInterval, sendResolved}, inhibit: [{sourceMatchers,
/// targetMatchers, equal}], until}`.
#[wasm_bindgen]
pub fn notifications(alerts: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let o: RoutingOptions = ffi::options(
        HOST,
        opt_data(&options, "options")?.as_ref(),
        "options",
        &["route", "inhibit"],
    )
    .or_js()?;
    let null = serde_json::Value::Null;
    let until = o.until.ok_or_else(|| {
        crate::error::to_js(ffi::Error::type_error(
            "options.until",
            "a time in ms",
            "nothing",
        ))
    })?;
    let n = ffi::slo::notifications(
        HOST,
        &data(&alerts, "alerts")?,
        o.route.as_ref().unwrap_or(&null),
        o.inhibit.as_ref().unwrap_or(&null),
        until,
    )
    .or_js()?;
    out(&n)
}

/// An escalation policy's notices for one alert (ms).
#[wasm_bindgen]
pub fn escalation(policy: JsValue, alert: JsValue, until: Option<f64>) -> Result<JsValue, JsValue> {
    let n = ffi::slo::escalation(
        HOST,
        &data(&policy, "policy")?,
        &data(&alert, "alert")?,
        until,
    )
    .or_js()?;
    out(&n)
}

/// Alertmanager's `ParseMatchers`: `[{name, op, value, text}]`.
#[wasm_bindgen(js_name = parseMatchers)]
pub fn parse_matchers(text: JsValue) -> Result<JsValue, JsValue> {
    let m = ffi::alerting::parse_matchers(HOST, &data(&text, "text")?).or_js()?;
    out(&m)
}

/// Whether every matcher of a list matches a label set.
#[wasm_bindgen(js_name = matchersMatch)]
pub fn matchers_match(text: JsValue, labels: JsValue) -> Result<bool, JsValue> {
    ffi::alerting::matches(HOST, &data(&text, "text")?, &data(&labels, "labels")?).or_js()
}

/// A loaded Alertmanager configuration (YAML text, or the same structure as an object with
/// Alertmanager's own key spelling).
#[wasm_bindgen]
#[derive(Debug)]
pub struct AlertmanagerConfig(cnarch_core::alerting::config::Config);

#[wasm_bindgen]
impl AlertmanagerConfig {
    /// Loads and validates the configuration.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<AlertmanagerConfig, JsValue> {
        ffi::alerting::config(HOST, &data(&config, "config")?)
            .map(AlertmanagerConfig)
            .or_js()
    }

    /// The routes an alert with `labels` takes, in Alertmanager's order (times in ms).
    pub fn routes(&self, labels: JsValue) -> Result<JsValue, JsValue> {
        let r = ffi::alerting::routes(HOST, &self.0, &data(&labels, "labels")?).or_js()?;
        out(&r)
    }

    /// The receivers an alert with `labels` reaches, each once, in route order.
    pub fn receivers(&self, labels: JsValue) -> Result<Vec<String>, JsValue> {
        ffi::alerting::receivers(HOST, &self.0, &data(&labels, "labels")?).or_js()
    }

    /// Whether the inhibit rules mute `labels` at `at` (ms), given the alerts so far.
    pub fn inhibited(&self, alerts: JsValue, labels: JsValue, at: f64) -> Result<bool, JsValue> {
        ffi::alerting::inhibited(
            HOST,
            &self.0,
            &data(&alerts, "alerts")?,
            &data(&labels, "labels")?,
            at,
        )
        .or_js()
    }

    /// The notifications sent for `alerts` (`{labels, startsAt, endsAt}`, ms) up to `until`,
    /// with the dispatcher started at `start` (default 0).
    pub fn timeline(
        &self,
        alerts: JsValue,
        until: f64,
        start: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let n = ffi::alerting::timeline(HOST, &self.0, &data(&alerts, "alerts")?, until, start)
            .or_js()?;
        out(&n)
    }
}
