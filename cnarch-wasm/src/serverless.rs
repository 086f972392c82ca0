//! Lambda cost and checks: functions and architectures as the model writes them, usage
//! options in camelCase with durations in milliseconds, price tables as objects.

use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, to_js_value};
use crate::error::{OrJs, HOST};

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

/// An SQS event source mapping from CreateEventSourceMapping's parameters.
#[wasm_bindgen]
#[derive(Debug)]
pub struct EventSourceMapping(cnarch_core::serverless::esm::EventSourceMapping);

#[wasm_bindgen]
impl EventSourceMapping {
    /// A mapping (`{BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes,
    /// ScalingConfig}`; absent: the defaults), checked against Lambda's rules.
    #[wasm_bindgen(constructor)]
    pub fn new(mapping: JsValue) -> Result<EventSourceMapping, JsValue> {
        let m = opt_data(&mapping, "mapping")?;
        ffi::serverless::event_source_mapping(HOST, m.as_ref())
            .map(EventSourceMapping)
            .or_js()
    }

    /// The settings: `{batchSize, maximumBatchingWindow, reportBatchItemFailures,
    /// maximumConcurrency}`.
    #[wasm_bindgen(getter)]
    pub fn settings(&self) -> Result<JsValue, JsValue> {
        to_js_value(&ffi::serverless::mapping_settings(HOST, &self.0).or_js()?)
    }

    /// Drains `queue` (changed in place) through a function; `options`: `{duration,
    /// perMessage, timeout, reservedConcurrency, arrivals, until, tick}`, times in
    /// milliseconds.
    pub fn drain(
        &self,
        queue: &mut crate::sqs::Queue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let o = opt_data(&options, "options")?;
        to_js_value(&ffi::serverless::drain(HOST, &mut queue.0, &self.0, o.as_ref()).or_js()?)
    }
}
