//! W3C Trace Context headers (text in, objects in camelCase out) and OpenTelemetry samplers.

use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{opt_data, to_js_value};
use crate::error::{OrJs, HOST};

/// A parsed `traceparent`: `{version, traceId, parentId, traceFlags, sampled, randomTraceId}`.
#[wasm_bindgen(js_name = parseTraceparent)]
pub fn parse_traceparent(header: &str) -> Result<JsValue, JsValue> {
    to_js_value(&ffi::tracing::parse_traceparent(HOST, header).or_js()?)
}

/// A version 00 `traceparent`; `options`: `{sampled, random, traceFlags}`.
#[wasm_bindgen(js_name = formatTraceparent)]
pub fn format_traceparent(
    trace_id: &str,
    parent_id: &str,
    options: JsValue,
) -> Result<String, JsValue> {
    let o = opt_data(&options, "options")?;
    ffi::tracing::format_traceparent(HOST, trace_id, parent_id, o.as_ref()).or_js()
}

/// A `tracestate`'s members, `[key, value]` pairs leftmost first.
#[wasm_bindgen(js_name = parseTracestate)]
pub fn parse_tracestate(header: &str) -> Result<JsValue, JsValue> {
    to_js_value(&ffi::tracing::parse_tracestate(HOST, header).or_js()?)
}

/// `header` with `key` set to `value` and moved to the left.
#[wasm_bindgen(js_name = updateTracestate)]
pub fn update_tracestate(header: &str, key: &str, value: &str) -> Result<String, JsValue> {
    ffi::tracing::update_tracestate(HOST, header, key, value).or_js()
}

/// `header` without `key`.
#[wasm_bindgen(js_name = removeTracestate)]
pub fn remove_tracestate(header: &str, key: &str) -> Result<String, JsValue> {
    ffi::tracing::remove_tracestate(HOST, header, key).or_js()
}

/// `header` within `maxLen` characters.
#[wasm_bindgen(js_name = truncateTracestate)]
pub fn truncate_tracestate(header: &str, max_len: usize) -> Result<String, JsValue> {
    ffi::tracing::truncate_tracestate(HOST, header, max_len).or_js()
}

/// The span trees of a `DistributedTracing` (as the model writes it); times in milliseconds
/// from each trace's first start.
#[wasm_bindgen(js_name = spanTree)]
pub fn span_tree(tracing: JsValue) -> Result<JsValue, JsValue> {
    let t = crate::convert::data(&tracing, "tracing")?;
    to_js_value(&ffi::tracing::span_tree(HOST, &t).or_js()?)
}

/// A head sampler.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Sampler(cnarch_core::tracing::Sampler);

#[wasm_bindgen]
impl Sampler {
    /// Samples every span.
    #[wasm_bindgen(js_name = alwaysOn)]
    pub fn always_on() -> Sampler {
        Sampler(cnarch_core::tracing::Sampler::AlwaysOn)
    }

    /// Samples none.
    #[wasm_bindgen(js_name = alwaysOff)]
    pub fn always_off() -> Sampler {
        Sampler(cnarch_core::tracing::Sampler::AlwaysOff)
    }

    /// Go's `TraceIDRatioBased(ratio)`.
    #[wasm_bindgen(js_name = traceIdRatioBased)]
    pub fn trace_id_ratio_based(ratio: f64) -> Result<Sampler, JsValue> {
        ffi::tracing::trace_id_ratio(HOST, ratio)
            .map(Sampler)
            .or_js()
    }

    /// The consistent probability sampler (precision 4 hex digits unless given).
    pub fn probability(probability: f64, precision: Option<u32>) -> Result<Sampler, JsValue> {
        ffi::tracing::probability(HOST, probability, precision)
            .map(Sampler)
            .or_js()
    }

    /// Go's `ParentBased(root)` with Go's default delegates (see `withDelegate`).
    #[wasm_bindgen(js_name = parentBased)]
    pub fn parent_based(root: &Sampler) -> Sampler {
        Sampler(ffi::tracing::parent_based(
            root.0.clone(),
            None,
            None,
            None,
            None,
        ))
    }

    /// This ParentBased sampler with one delegate replaced: `which` is `remoteParentSampled`,
    /// `remoteParentNotSampled`, `localParentSampled` or `localParentNotSampled`.
    #[wasm_bindgen(js_name = withDelegate)]
    pub fn with_delegate(&self, which: &str, delegate: &Sampler) -> Result<Sampler, JsValue> {
        ffi::tracing::with_delegate(HOST, &self.0, which, &delegate.0)
            .map(Sampler)
            .or_js()
    }

    /// The sampler a model's `sampleRate` stands for (ParentBased around TraceIdRatioBased).
    #[wasm_bindgen(js_name = fromSampleRate)]
    pub fn from_sample_rate(rate: Option<f64>) -> Result<Sampler, JsValue> {
        ffi::tracing::from_sample_rate(HOST, rate)
            .map(Sampler)
            .or_js()
    }

    /// The decision for a span of `traceId` with `parent` (`{sampled, remote, tracestate}`):
    /// `{sampled, decision, tracestate, sampler}`.
    #[wasm_bindgen(js_name = shouldSample)]
    pub fn should_sample(&self, trace_id: &str, parent: JsValue) -> Result<JsValue, JsValue> {
        let p = opt_data(&parent, "parent")?;
        to_js_value(&ffi::tracing::should_sample(HOST, &self.0, trace_id, p.as_ref()).or_js()?)
    }

    /// The OpenTelemetry Go SDK's description.
    #[wasm_bindgen(getter)]
    pub fn description(&self) -> String {
        self.0.description()
    }
}
