//! WebAssembly bindings for cnarch (the `cnarch` npm package): conversion, error mapping and
//! JavaScript idioms only. Every decision is made in `cnarch-core`.
//!
//! Errors are thrown as JavaScript `Error` objects whose `name` is the error kind
//! (`ParseError`, `ValidationError`) with a stable `code` and, where known, `position`
//! (`{line, column}`) or `violations`. Times are milliseconds or `Date`s.
// wasm-bindgen's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

use std::collections::BTreeMap;

use cnarch_core::duration::parse_any;
use cnarch_core::labels::{
    Selector as CoreSelector, SelectorIndex as CoreSelectorIndex, SelectorParseError,
};
use cnarch_core::model::data::{LabelSelector, NetworkPolicy, NetworkProtocol};
use cnarch_core::model::mesh::MeshPolicy;
use cnarch_core::policy::mesh::Request;
use cnarch_core::policy::network::{
    Namespace, NetworkPolicyEngine as CoreEngine, Pod, PolicyError,
};
use cnarch_core::quantity::{Quantity as CoreQuantity, QuantityFormat};
use cnarch_core::resilience::breaker::{
    BreakerConfig, CircuitBreaker as CoreBreaker, Outcome, Permit as CorePermit,
};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket as CoreBucket};
use cnarch_core::resilience::retry::{Backoff, Jitter, RetryPolicy as CoreRetry};
use cnarch_core::schedule::Schedule as CoreSchedule;
use cnarch_core::time::Instant;
use cnarch_core::{LoadError, Violation};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::json_compatible()
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serializer())
        .map_err(|e| error("TypeError", &e.to_string(), "conversion_error"))
}

/// A JS `Error` with the given `name` and `code`.
fn error(name: &str, message: &str, code: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

fn parse_error(message: &str, code: &str, position: Option<(usize, usize)>) -> JsValue {
    let e = error("ParseError", message, code);
    let pos = match position {
        Some((line, column)) => {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"line".into(), &(line as u32).into());
            let _ = js_sys::Reflect::set(&o, &"column".into(), &(column as u32).into());
            o.into()
        }
        None => JsValue::NULL,
    };
    let _ = js_sys::Reflect::set(&e, &"position".into(), &pos);
    e
}

fn violations_js(violations: &[Violation]) -> JsValue {
    to_js(violations).unwrap_or(JsValue::NULL)
}

fn load_error(e: LoadError) -> JsValue {
    match e {
        LoadError::Syntax {
            ref message,
            line,
            column,
        } => parse_error(message, "syntax_error", line.zip(column)),
        LoadError::Invalid { ref violations } => {
            let err = error("ValidationError", &e.to_string(), e.code());
            let _ = js_sys::Reflect::set(&err, &"violations".into(), &violations_js(violations));
            err
        }
    }
}

/// JS documents (an object or an array of objects) as one JSON value.
fn documents_from_js(docs: JsValue) -> Result<serde_json::Value, JsValue> {
    serde_wasm_bindgen::from_value(docs).map_err(|e| {
        error(
            "TypeError",
            &format!("expected a document object or an array of them: {e}"),
            "invalid_argument",
        )
    })
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Loads and validates YAML or JSON text; returns the documents as plain objects.
#[wasm_bindgen]
pub fn load(text: &str) -> Result<JsValue, JsValue> {
    let docs = cnarch_core::load_str(text).map_err(load_error)?;
    // One JSON string and the engine's `JSON.parse` build large object graphs several times
    // faster than setting each property across the boundary.
    let json = serde_json::to_string(&docs)
        .map_err(|e| error("TypeError", &e.to_string(), "conversion_error"))?;
    js_sys::JSON::parse(&json)
}

/// Every violation of a document or an array of documents; empty when valid. Never throws
/// for invalid documents.
#[wasm_bindgen]
pub fn validate(docs: JsValue) -> Result<JsValue, JsValue> {
    let values = documents_from_js(docs)?;
    to_js(&cnarch_core::validate_json_value(values))
}

/// Writes documents as `"yaml"` (the default) or `"json"` text, after validating them.
#[wasm_bindgen]
pub fn dump(docs: JsValue, format: Option<String>) -> Result<String, JsValue> {
    let values = documents_from_js(docs)?;
    let docs = cnarch_core::load_json_value(values).map_err(load_error)?;
    match format.as_deref().unwrap_or("yaml") {
        "yaml" => cnarch_core::to_yaml(&docs).map_err(load_error),
        "json" => cnarch_core::to_json(&docs).map_err(load_error),
        other => Err(error(
            "TypeError",
            &format!("expected format \"yaml\" or \"json\", found {other:?}"),
            "invalid_argument",
        )),
    }
}

/// Milliseconds in a Go (`1h30m`) or Prometheus (`30d`) duration; fractional below a
/// millisecond.
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: &str) -> Result<f64, JsValue> {
    parse_any(text)
        .map(|d| d.as_nanos() as f64 / 1e6)
        .map_err(|e| parse_error(&e.to_string(), e.code(), None))
}

/// An exact Kubernetes resource quantity.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Quantity(CoreQuantity);

#[wasm_bindgen]
impl Quantity {
    /// Parses quantity text (`500m`, `1.5Gi`).
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<Quantity, JsValue> {
        CoreQuantity::parse(text)
            .map(Quantity)
            .map_err(|e| parse_error(&e.to_string(), e.code(), None))
    }

    /// The canonical text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }

    /// JSON form: the canonical text.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> String {
        self.0.to_string()
    }

    /// -1, 0 or 1 as this is less than, equal to or greater than `other`.
    pub fn compare(&self, other: &Quantity) -> i32 {
        self.0.cmp(&other.0) as i32
    }

    /// Equal values (`1Ki` equals `1024`).
    pub fn equals(&self, other: &Quantity) -> bool {
        self.0 == other.0
    }

    /// The sum (throws `RangeError` past the representable range).
    pub fn add(&self, other: &Quantity) -> Result<Quantity, JsValue> {
        self.0.checked_add(&other.0).map(Quantity).ok_or_else(|| {
            error(
                "RangeError",
                "quantity sum out of range",
                "quantity_out_of_range",
            )
        })
    }

    /// The difference (throws `RangeError` past the representable range).
    pub fn sub(&self, other: &Quantity) -> Result<Quantity, JsValue> {
        self.0.checked_sub(&other.0).map(Quantity).ok_or_else(|| {
            error(
                "RangeError",
                "quantity difference out of range",
                "quantity_out_of_range",
            )
        })
    }

    /// The negated value.
    pub fn neg(&self) -> Quantity {
        Quantity(self.0.neg())
    }

    /// The value rounded up, away from zero, to a whole unit.
    pub fn value(&self) -> i128 {
        self.0.value()
    }

    /// The value in thousandths, rounded up, away from zero.
    #[wasm_bindgen(js_name = milliValue)]
    pub fn milli_value(&self) -> i128 {
        self.0.milli_value()
    }

    /// The exact value in nanounits.
    pub fn nanos(&self) -> i128 {
        self.0.nanos()
    }

    /// `"DecimalSI"`, `"BinarySI"` or `"DecimalExponent"`.
    #[wasm_bindgen(getter)]
    pub fn format(&self) -> String {
        match self.0.format() {
            QuantityFormat::DecimalSI => "DecimalSI",
            QuantityFormat::BinarySI => "BinarySI",
            QuantityFormat::DecimalExponent => "DecimalExponent",
        }
        .to_string()
    }
}

/// A cron (Kubernetes CronJob), `@every`, or AWS `rate(...)`/`cron(...)` schedule.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Schedule(CoreSchedule);

#[wasm_bindgen]
impl Schedule {
    /// Parses a schedule expression.
    #[wasm_bindgen(constructor)]
    pub fn new(expr: &str) -> Result<Schedule, JsValue> {
        CoreSchedule::parse(expr)
            .map(Schedule)
            .map_err(|e| parse_error(&e.to_string(), e.code(), None))
    }

    /// The expression.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }

    /// The next `n` (default 1) fire times strictly after `after` (a `Date` or milliseconds
    /// since the epoch), as `Date`s in UTC.
    #[wasm_bindgen(js_name = nextAfter)]
    pub fn next_after(&self, after: JsValue, n: Option<u32>) -> Result<js_sys::Array, JsValue> {
        let ms = if let Some(d) = after.dyn_ref::<js_sys::Date>() {
            d.get_time()
        } else if let Some(n) = after.as_f64() {
            n
        } else {
            return Err(error(
                "TypeError",
                "expected a Date or milliseconds since the epoch",
                "invalid_argument",
            ));
        };
        if !ms.is_finite() {
            return Err(error(
                "RangeError",
                "expected a valid date, found an invalid one",
                "invalid_argument",
            ));
        }
        let micros = (ms * 1000.0).round() as i64;
        let t = chrono::DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| error("RangeError", "date out of range", "invalid_argument"))?;
        let out = js_sys::Array::new();
        for next in self.0.next_n_after(t, n.unwrap_or(1) as usize) {
            out.push(&js_sys::Date::new(&JsValue::from_f64(
                next.timestamp_millis() as f64,
            )));
        }
        Ok(out)
    }
}

fn selector_error(e: SelectorParseError) -> JsValue {
    // A selector is one line: the position is line 1, column = byte offset + 1.
    parse_error(&e.message, e.code(), Some((1, e.position + 1)))
}

fn labels_from_js(labels: JsValue) -> Result<BTreeMap<String, String>, JsValue> {
    serde_wasm_bindgen::from_value(labels).map_err(|e| {
        error(
            "TypeError",
            &format!("expected an object of string labels: {e}"),
            "invalid_argument",
        )
    })
}

/// A Kubernetes label selector with apimachinery's exact semantics.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Selector(CoreSelector);

#[wasm_bindgen]
impl Selector {
    /// Parses the string syntax (`app=web,tier in (a,b),!legacy`).
    pub fn parse(text: &str) -> Result<Selector, JsValue> {
        CoreSelector::parse(text)
            .map(Selector)
            .map_err(selector_error)
    }

    /// Matches every label set.
    pub fn everything() -> Selector {
        Selector(CoreSelector::everything())
    }

    /// Matches no label set.
    pub fn nothing() -> Selector {
        Selector(CoreSelector::nothing())
    }

    /// From a structured selector (`matchLabels`, `matchExpressions`); `null`/`undefined`
    /// selects nothing, `{}` everything.
    #[wasm_bindgen(js_name = fromLabelSelector)]
    pub fn from_label_selector(data: JsValue) -> Result<Selector, JsValue> {
        let ls: Option<LabelSelector> = if data.is_null() || data.is_undefined() {
            None
        } else {
            Some(serde_wasm_bindgen::from_value(data).map_err(|e| {
                error(
                    "TypeError",
                    &format!("expected a label selector object: {e}"),
                    "invalid_argument",
                )
            })?)
        };
        CoreSelector::from_label_selector(ls.as_ref())
            .map(Selector)
            .map_err(selector_error)
    }

    /// The structured form.
    #[wasm_bindgen(js_name = toLabelSelector)]
    pub fn to_label_selector(&self) -> Result<JsValue, JsValue> {
        let ls = self.0.to_label_selector().map_err(selector_error)?;
        to_js(&ls)
    }

    /// Does the label object satisfy the selector?
    pub fn matches(&self, labels: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.matches(&labels_from_js(labels)?))
    }

    /// A label set both selectors match, or `null` when they cannot overlap.
    pub fn overlaps(&self, other: &Selector) -> Result<JsValue, JsValue> {
        match self.0.overlaps(&other.0) {
            Some(w) => to_js(&w),
            None => Ok(JsValue::NULL),
        }
    }

    /// Does `other` match every label set this selector matches?
    #[wasm_bindgen(js_name = isSubsetOf)]
    pub fn is_subset_of(&self, other: &Selector) -> bool {
        self.0.is_subset_of(&other.0)
    }

    /// Equal selectors.
    pub fn equals(&self, other: &Selector) -> bool {
        self.0 == other.0
    }

    /// Is this the selector that matches nothing?
    #[wasm_bindgen(getter, js_name = isNothing)]
    pub fn is_nothing(&self) -> bool {
        self.0.is_nothing()
    }

    /// Does it match every label set?
    #[wasm_bindgen(getter, js_name = isEverything)]
    pub fn is_everything(&self) -> bool {
        self.0.is_everything()
    }

    /// apimachinery's canonical text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }
}

/// Many selectors, indexed for "which selectors match this label set".
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct SelectorIndex(CoreSelectorIndex);

#[wasm_bindgen]
impl SelectorIndex {
    /// An empty index.
    #[wasm_bindgen(constructor)]
    pub fn new() -> SelectorIndex {
        SelectorIndex::default()
    }

    /// Adds a selector; returns its id (0, 1, 2, ... in insertion order).
    pub fn insert(&mut self, selector: &Selector) -> usize {
        self.0.insert(selector.0.clone())
    }

    /// The ids of the selectors that match the label object, ascending.
    pub fn matching(&self, labels: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.0.matching(&labels_from_js(labels)?))
    }

    /// The number of selectors.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }
}

fn policy_error(e: PolicyError) -> JsValue {
    error("PolicyError", &e.to_string(), e.code())
}

fn from_js<T: serde::de::DeserializeOwned>(v: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(v).map_err(|e| {
        error(
            "TypeError",
            &format!("expected {what}: {e}"),
            "invalid_argument",
        )
    })
}

fn protocol(p: Option<String>) -> Result<NetworkProtocol, JsValue> {
    p.as_deref()
        .unwrap_or("TCP")
        .parse()
        .map_err(|e: String| error("TypeError", &e, "invalid_argument"))
}

/// Namespaces, pods and NetworkPolicies, ready to decide connections.
#[wasm_bindgen]
#[derive(Debug)]
pub struct NetworkPolicyEngine(CoreEngine);

#[wasm_bindgen]
impl NetworkPolicyEngine {
    /// Builds the engine from plain objects. Throws `PolicyError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        namespaces: JsValue,
        pods: JsValue,
        policies: JsValue,
    ) -> Result<NetworkPolicyEngine, JsValue> {
        let namespaces: Vec<Namespace> =
            from_js(namespaces, "an array of namespaces ({name, labels})")?;
        let pods: Vec<Pod> = from_js(
            pods,
            "an array of pods ({namespace, name, labels, ips, ports})",
        )?;
        let policies: Vec<NetworkPolicy> = from_js(policies, "an array of NetworkPolicy objects")?;
        CoreEngine::new(namespaces, pods, &policies)
            .map(NetworkPolicyEngine)
            .map_err(policy_error)
    }

    /// Decides a connection; endpoints are `"namespace/name"` or an IP address.
    pub fn evaluate(
        &self,
        from: &str,
        to: &str,
        port: u16,
        protocol: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let v = self
            .0
            .evaluate_str(from, to, port, self::protocol(protocol)?)
            .map_err(policy_error)?;
        to_js(&v)
    }

    /// The pod-to-pod truth table for one port.
    pub fn connectivity(&self, port: u16, protocol: Option<String>) -> Result<JsValue, JsValue> {
        to_js(&self.0.connectivity(port, self::protocol(protocol)?))
    }

    /// `namespace/name` of the policies that select a pod.
    #[wasm_bindgen(js_name = policiesSelecting)]
    pub fn policies_selecting(&self, namespace: &str, name: &str) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .0
                .policies_selecting(namespace, name)
                .map_err(policy_error)?,
        )
    }
}

/// Decides a request against mesh policies with Istio AuthorizationPolicy semantics.
#[wasm_bindgen]
pub fn authorize(policies: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let policies: Vec<MeshPolicy> = from_js(policies, "an array of MeshPolicy objects")?;
    let request: Request = from_js(request, "a request object ({service, principal, namespace, serviceNamespace, attributes, customDecisions})")?;
    to_js(&cnarch_core::policy::mesh::authorize(&policies, &request))
}

/// A duration from milliseconds; `TypeError` for what cannot be one (negative, NaN, infinite).
fn millis(v: f64) -> Result<std::time::Duration, JsValue> {
    cnarch_core::time::duration_from_secs(v / 1000.0)
        .map_err(|e| error("TypeError", &e, "invalid_argument"))
}

fn instant_ms(ms: f64) -> Instant {
    Instant::from_secs_f64(ms / 1000.0)
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn range_error(e: impl std::fmt::Display, code: &str) -> JsValue {
    error("RangeError", &e.to_string(), code)
}

/// Permission for one call; give it back to `CircuitBreaker.record`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Permit(CorePermit);

/// A circuit breaker with resilience4j's model (times in milliseconds).
#[wasm_bindgen]
#[derive(Debug)]
pub struct CircuitBreaker(CoreBreaker);

#[wasm_bindgen]
impl CircuitBreaker {
    /// Keys are resilience4j's in camelCase; durations in milliseconds; absent keys take
    /// resilience4j's defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<CircuitBreaker, JsValue> {
        let mut map: serde_json::Map<String, serde_json::Value> =
            if config.is_undefined() || config.is_null() {
                serde_json::Map::new()
            } else {
                from_js(config, "a circuit breaker configuration object")?
            };
        let mut snake = serde_json::Map::new();
        for (k, v) in map.iter_mut() {
            let key: String = k
                .chars()
                .flat_map(|c| {
                    if c.is_ascii_uppercase() {
                        vec!['_', c.to_ascii_lowercase()]
                    } else {
                        vec![c]
                    }
                })
                .collect();
            // Durations arrive in milliseconds; serde wants `{secs, nanos}`.
            let value = if key.contains("duration") {
                let d = millis(v.as_f64().ok_or_else(|| {
                    error(
                        "TypeError",
                        &format!("expected {k} in milliseconds"),
                        "invalid_argument",
                    )
                })?)?;
                serde_json::json!({"secs": d.as_secs(), "nanos": d.subsec_nanos()})
            } else {
                v.take()
            };
            snake.insert(key, value);
        }
        let c: BreakerConfig = serde_json::from_value(serde_json::Value::Object(snake))
            .map_err(|e| error("TypeError", &e.to_string(), "invalid_argument"))?;
        CoreBreaker::new(c)
            .map(CircuitBreaker)
            .map_err(|e| range_error(e, "invalid_breaker_config"))
    }

    /// A `Permit`, or `{state, retryAfter}` (milliseconds or `null`) when refused.
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&self, now: f64) -> Result<JsValue, JsValue> {
        match self.0.try_acquire(instant_ms(now)) {
            Ok(p) => Ok(Permit(p).into()),
            Err(r) => {
                let o = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&o, &"state".into(), &r.state.as_str().into());
                let _ = js_sys::Reflect::set(
                    &o,
                    &"retryAfter".into(),
                    &r.retry_after
                        .map(ms)
                        .map_or(JsValue::NULL, JsValue::from_f64),
                );
                Ok(o.into())
            }
        }
    }

    /// Records an outcome: `true` success, `false` failure, `null` not counted.
    pub fn record(
        &self,
        now: f64,
        permit: &Permit,
        success: Option<bool>,
        duration: Option<f64>,
    ) -> Result<(), JsValue> {
        let d = millis(duration.unwrap_or(0.0))?;
        let outcome = match success {
            Some(true) => Outcome::success(d),
            Some(false) => Outcome::failure(d),
            None => Outcome::ignored(d),
        };
        self.0.record(instant_ms(now), permit.0, outcome);
        Ok(())
    }

    /// The state at `now`.
    pub fn state(&self, now: f64) -> String {
        self.0.state(instant_ms(now)).to_string()
    }

    /// Rates and counts at `now`.
    pub fn metrics(&self, now: f64) -> Result<JsValue, JsValue> {
        to_js(&self.0.metrics(instant_ms(now)))
    }
}

/// Attempts, backoff and jitter; `delays(seed)` in milliseconds.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryPolicy(CoreRetry);

#[wasm_bindgen]
impl RetryPolicy {
    /// `backoff`: constant, linear, exponential; `jitter`: none, full, equal, decorrelated;
    /// times in milliseconds.
    #[wasm_bindgen(constructor)]
    pub fn new(
        max_attempts: u32,
        backoff: &str,
        initial: f64,
        multiplier: f64,
        max_delay: f64,
        jitter: &str,
    ) -> Result<RetryPolicy, JsValue> {
        let backoff = Backoff::from_name(backoff, multiplier)
            .map_err(|e| error("TypeError", &e.to_string(), e.code()))?;
        let jitter: Jitter =
            jitter
                .parse()
                .map_err(|e: cnarch_core::resilience::retry::RetryPolicyError| {
                    error("TypeError", &e.to_string(), e.code())
                })?;
        CoreRetry::new(
            max_attempts,
            backoff,
            jitter,
            millis(initial)?,
            millis(max_delay)?,
        )
        .map(RetryPolicy)
        .map_err(|e| range_error(e, "invalid_retry_policy"))
    }

    /// Envoy's router defaults.
    pub fn envoy() -> RetryPolicy {
        RetryPolicy(CoreRetry::envoy())
    }

    /// gRFC A6 (seconds, as in the service config).
    pub fn grpc(
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        backoff_multiplier: f64,
    ) -> Result<RetryPolicy, JsValue> {
        CoreRetry::grpc(
            max_attempts,
            initial_backoff,
            max_backoff,
            backoff_multiplier,
        )
        .map(RetryPolicy)
        .map_err(|e| range_error(e, "invalid_retry_policy"))
    }

    /// The waits (milliseconds) before attempts 2..maxAttempts.
    pub fn delays(&self, seed: u64) -> Vec<f64> {
        self.0.delays(seed).into_iter().map(ms).collect()
    }

    /// Attempts in all.
    #[wasm_bindgen(getter, js_name = maxAttempts)]
    pub fn max_attempts(&self) -> u32 {
        self.0.max_attempts
    }
}

fn decision_js(d: RateDecision) -> JsValue {
    let o = js_sys::Object::new();
    let (allowed, retry) = match d {
        RateDecision::Allowed => (true, JsValue::NULL),
        RateDecision::Denied { retry_after } => (false, JsValue::from_f64(ms(retry_after))),
    };
    let _ = js_sys::Reflect::set(&o, &"allowed".into(), &allowed.into());
    let _ = js_sys::Reflect::set(&o, &"retryAfter".into(), &retry);
    o.into()
}

/// One JS class per name over the one core algorithm (see `resilience::ratelimit`).
macro_rules! rate_limiter {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[wasm_bindgen]
        #[derive(Debug)]
        pub struct $name(CoreBucket);

        #[wasm_bindgen]
        impl $name {
            /// Throws `RangeError` for a rate ≤ 0 or a burst of 0.
            #[wasm_bindgen(constructor)]
            pub fn new(rate: f64, burst: u32) -> Result<$name, JsValue> {
                CoreBucket::new(rate, u64::from(burst))
                    .map($name)
                    .map_err(|e| range_error(&e, e.code()))
            }

            /// `{allowed, retryAfter}` (milliseconds); `RangeError` when `n` exceeds the burst.
            pub fn check(&mut self, now: f64, n: Option<u32>) -> Result<JsValue, JsValue> {
                self.0
                    .check(instant_ms(now), u64::from(n.unwrap_or(1)))
                    .map(decision_js)
                    .map_err(|e| range_error(&e, e.code()))
            }
        }
    };
}

rate_limiter!(
    TokenBucket,
    "`rate` tokens per second refill a bucket of `burst`."
);
rate_limiter!(Gcra, "GCRA with emission interval 1/rate and a burst tolerance (the same decisions as `TokenBucket`).");
