//! Lambda cost and checks: functions and architectures as the model writes them, usage
//! options in camelCase with durations in milliseconds, price tables as objects.

use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, to_js_value};
use crate::error::OrJs;

const HOST: ffi::Host = ffi::Host::JS;

/// A month's cost of `function`; `options`: `{invocations, duration, memoryMb,
/// architecture, freeTier, prices}`.
#[wasm_bindgen(js_name = serverlessCost)]
pub fn serverless_cost(function: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let f = data(&function, "function")?;
    let o = opt_data(&options, "options")?;
    to_js_value(&ffi::serverless::cost(HOST, &f, o.as_ref()).or_js()?)
}

/// The published Lambda price table.
#[wasm_bindgen(js_name = lambdaPrices)]
pub fn lambda_prices() -> Result<JsValue, JsValue> {
    to_js_value(&ffi::serverless::default_prices(HOST).or_js()?)
}

/// The findings on an event-driven architecture's functions.
#[wasm_bindgen(js_name = checkServerless)]
pub fn check_serverless(architecture: JsValue) -> Result<JsValue, JsValue> {
    let a = data(&architecture, "architecture")?;
    to_js_value(&ffi::serverless::check(&a).or_js()?)
}
