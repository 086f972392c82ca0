//! Kubelet probe timelines and bounds: objects in, objects in camelCase out, times in
//! milliseconds.

use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, to_js_value};
use crate::error::{OrJs, HOST};

/// The probes of a health check (as the model writes it) run against a container's
/// `behaviour`; `options`: `{until, terminationGracePeriod}`.
#[wasm_bindgen(js_name = probeTimeline)]
pub fn probe_timeline(
    health_check: JsValue,
    behaviour: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let h = data(&health_check, "health_check")?;
    let b = opt_data(&behaviour, "behaviour")?;
    let o = opt_data(&options, "options")?;
    to_js_value(&ffi::probes::timeline(HOST, &h, b.as_ref(), o.as_ref()).or_js()?)
}

/// The worst-case times of a health check; `options`: `{up, latency}`.
#[wasm_bindgen(js_name = probeBounds)]
pub fn probe_bounds(health_check: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let h = data(&health_check, "health_check")?;
    let o = opt_data(&options, "options")?;
    to_js_value(&ffi::probes::bounds(HOST, &h, o.as_ref()).or_js()?)
}

/// Milliseconds the kubelet waits before the `restart`-th restart (1 for the first).
#[wasm_bindgen(js_name = probeBackOff)]
pub fn probe_back_off(restart: u32) -> f64 {
    ffi::probes::back_off(HOST, restart)
}
