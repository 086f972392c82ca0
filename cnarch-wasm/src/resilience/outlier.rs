//! Envoy's outlier detection.

use cnarch_core::ffi;
use cnarch_core::resilience::outlier::{
    HostResult, OutlierAction, OutlierConfig, OutlierDetector as CoreOutlier,
};
use wasm_bindgen::prelude::*;

use crate::convert::{data, ms, number, opt_data, positional, status_or_name, time};
use crate::error::{set, type_error, OrJs, HOST};

/// Envoy's outlier detection (options are Envoy's `OutlierDetection` fields in camelCase,
/// durations in milliseconds).
#[wasm_bindgen]
#[derive(Debug)]
pub struct OutlierDetector(CoreOutlier<String>);

#[wasm_bindgen]
impl OutlierDetector {
    /// Sweeps run every `interval` from `start` (ms); `seed` drives partial enforcement and
    /// jitter.
    #[wasm_bindgen(constructor)]
    pub fn new(
        hosts: Option<Vec<String>>,
        config: JsValue,
        start: Option<f64>,
        seed: JsValue,
    ) -> Result<OutlierDetector, JsValue> {
        let seed = crate::convert::seed(&seed, "seed")?;
        let c =
            ffi::resilience::outlier_config(HOST, opt_data(&config, "config")?.as_ref()).or_js()?;
        OutlierDetector::build(c, hosts, start, seed)
    }

    fn build(
        c: OutlierConfig,
        hosts: Option<Vec<String>>,
        start: Option<f64>,
        seed: u64,
    ) -> Result<OutlierDetector, JsValue> {
        let mut d = CoreOutlier::new(c, time(start.unwrap_or(0.0), "start")?, seed).or_js()?;
        for h in hosts.unwrap_or_default() {
            d.add_host(h);
        }
        Ok(OutlierDetector(d))
    }

    /// What Istio's `outlierDetection` programs into Envoy (success-rate ejection off):
    /// `OutlierDetector.istio({consecutive5xxErrors, interval, baseEjectionTime}, hosts, start,
    /// seed)` with Istio's defaults (5, 10 s, 30 s; times in ms or duration text), or the
    /// positional form `(consecutive5xxErrors, interval, baseEjectionTime, hosts, start, seed)`.
    pub fn istio(
        options: JsValue,
        a: JsValue,
        b: JsValue,
        c: JsValue,
        d: JsValue,
        e: JsValue,
    ) -> Result<OutlierDetector, JsValue> {
        let (o, hosts, start, seed) = if options.as_f64().is_some() {
            let o = positional(&[
                ("consecutive5xxErrors", &options),
                ("interval", &a),
                ("baseEjectionTime", &b),
            ])?;
            (Some(o), c, d, e)
        } else {
            (opt_data(&options, "options")?, a, b, c)
        };
        let absent = |v: &JsValue| v.is_undefined() || v.is_null();
        let hosts: Option<Vec<String>> = if absent(&hosts) {
            None
        } else {
            let list = serde_json::from_value(data(&hosts, "hosts")?);
            Some(list.map_err(|_| type_error("hosts", "a list of host names", &hosts))?)
        };
        let start = if absent(&start) {
            None
        } else {
            Some(number(&start, "start")?)
        };
        let seed = crate::convert::seed(&seed, "seed")?;
        let c = ffi::resilience::istio_outlier(HOST, o.as_ref()).or_js()?;
        OutlierDetector::build(c, hosts, start, seed)
    }

    /// Adds a host.
    #[wasm_bindgen(js_name = addHost)]
    pub fn add_host(&mut self, host: String) {
        self.0.add_host(host);
    }

    /// Removes a host.
    #[wasm_bindgen(js_name = removeHost)]
    pub fn remove_host(&mut self, host: String) -> bool {
        self.0.remove_host(&host)
    }

    /// Records a status (number), `"connect_failure"` (as 503) or `"timeout"` (as 504).
    pub fn record(&mut self, now: f64, host: String, result: JsValue) -> Result<(), JsValue> {
        let r: HostResult = status_or_name::<HostResult>(
            &result,
            "result",
            "an HTTP status, \"connect_failure\" or \"timeout\"",
        )?;
        self.0.record(time(now, "now")?, &host, r);
        Ok(())
    }

    /// Runs the sweeps due at or before `now`.
    pub fn advance(&mut self, now: f64) -> Result<(), JsValue> {
        self.0.advance(time(now, "now")?);
        Ok(())
    }

    /// Decisions since the last call: `{at, host, action, kind, duration}` (ms; `kind` and
    /// `duration` `null` where they do not apply).
    pub fn events(&mut self) -> js_sys::Array {
        self.0
            .take_events()
            .into_iter()
            .map(|e| {
                let o: JsValue = js_sys::Object::new().into();
                set(&o, "at", &JsValue::from_f64(e.at.as_nanos() as f64 / 1e6));
                set(&o, "host", &e.host.into());
                set(&o, "action", &e.action.as_str().into());
                set(
                    &o,
                    "kind",
                    &e.action.kind().map_or(JsValue::NULL, |k| k.as_str().into()),
                );
                let d = match e.action {
                    OutlierAction::Eject { duration, .. } => JsValue::from_f64(ms(duration)),
                    _ => JsValue::NULL,
                };
                set(&o, "duration", &d);
                o
            })
            .collect()
    }

    /// Whether `host` is ejected.
    #[wasm_bindgen(js_name = isEjected)]
    pub fn is_ejected(&self, host: String) -> bool {
        self.0.is_ejected(&host)
    }

    /// Ejected hosts, in insertion order.
    pub fn ejected(&self) -> Vec<String> {
        self.0.ejected().into_iter().cloned().collect()
    }

    /// Hosts, in insertion order.
    #[wasm_bindgen(getter)]
    pub fn hosts(&self) -> Vec<String> {
        self.0.hosts().cloned().collect()
    }
}
