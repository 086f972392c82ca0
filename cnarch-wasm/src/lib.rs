//! WebAssembly bindings for cnarch (the `cnarch` npm package): conversion, error mapping and
//! JavaScript idioms only. Every decision is made in `cnarch-core`.
//!
//! Errors are thrown as JavaScript `Error` objects whose `name` is the error kind
//! (`ParseError`, `ValidationError`) with a stable `code` and, where known, `position`
//! (`{line, column}`) or `violations`. Times are milliseconds or `Date`s.
// wasm-bindgen's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::rc::Rc;

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
    BreakerConfig, BreakerSnapshot, CircuitBreaker as CoreBreaker, Outcome, Permit as CorePermit,
    State,
};
use cnarch_core::resilience::budget::{
    RetryBudget as CoreBudget, RetryQuota as CoreQuota, RetryThrottle as CoreThrottle,
};
use cnarch_core::resilience::bulkhead::{Admission, Bulkhead as CoreBulkhead, Ticket};
use cnarch_core::resilience::outlier::{
    HostResult, OutlierAction, OutlierConfig, OutlierDetector as CoreOutlier,
};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket as CoreBucket};
use cnarch_core::resilience::retry::{Backoff, Jitter, RetryPolicy as CoreRetry};
use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn as CoreRetryOn};
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
pub struct CircuitBreaker(Rc<CoreBreaker>);

fn set(o: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(o, &key.into(), value);
}

/// A camelCase configuration object (durations in milliseconds) as the core's snake_case
/// config (durations as serde's `{secs, nanos}`).
fn snake_config<T: serde::de::DeserializeOwned>(
    config: JsValue,
    what: &str,
    is_duration: fn(&str) -> bool,
) -> Result<T, JsValue> {
    let mut map: serde_json::Map<String, serde_json::Value> =
        if config.is_undefined() || config.is_null() {
            serde_json::Map::new()
        } else {
            from_js(config, what)?
        };
    let mut snake = serde_json::Map::new();
    for (k, v) in map.iter_mut() {
        let mut key = String::with_capacity(k.len() + 4);
        for c in k.chars() {
            if c.is_ascii_uppercase() {
                key.push('_');
                key.push(c.to_ascii_lowercase());
            } else {
                key.push(c);
            }
        }
        let key = key.replace("consecutive5xx", "consecutive_5xx");
        let value = if is_duration(&key) && !v.is_null() {
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
    serde_json::from_value(serde_json::Value::Object(snake)).map_err(|e| {
        error(
            "TypeError",
            &format!("expected {what}: {e}"),
            "invalid_argument",
        )
    })
}

#[wasm_bindgen]
impl CircuitBreaker {
    /// Keys are resilience4j's in camelCase; durations in milliseconds; absent keys take
    /// resilience4j's defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<CircuitBreaker, JsValue> {
        let c: BreakerConfig =
            snake_config(config, "a circuit breaker configuration object", |k| {
                k.contains("duration")
            })?;
        CoreBreaker::new(c)
            .map(|b| CircuitBreaker(Rc::new(b)))
            .map_err(|e| range_error(e, "invalid_breaker_config"))
    }

    /// A breaker with `config` in the state of `snapshot` (from `snapshot()`); `RangeError`
    /// when it does not fit the configuration.
    pub fn restore(config: JsValue, snapshot: JsValue) -> Result<CircuitBreaker, JsValue> {
        let c: BreakerConfig =
            snake_config(config, "a circuit breaker configuration object", |k| {
                k.contains("duration")
            })?;
        let snap: BreakerSnapshot = from_js(snapshot, "a breaker snapshot (from snapshot())")?;
        CoreBreaker::restore(c, &snap)
            .map(|b| CircuitBreaker(Rc::new(b)))
            .map_err(|e| range_error(&e, e.code()))
    }

    /// The breaker's state as plain data (JSON-serializable); times are nanoseconds on the
    /// caller's clock.
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.snapshot())
    }

    /// Calls `fn` (sync or async) under the breaker, timed with `clock` (default
    /// `performance.now`); resolves to its result, rejects with its error (counted as a
    /// failure) or with a `CallNotPermittedError` (`state`, `retryAfter`) when refused.
    pub fn execute(&self, f: js_sys::Function, clock: Option<js_sys::Function>) -> js_sys::Promise {
        let b = Rc::clone(&self.0);
        wasm_bindgen_futures::future_to_promise(async move {
            let now = || -> Result<f64, JsValue> {
                let v = match &clock {
                    Some(c) => c.call0(&JsValue::UNDEFINED)?,
                    None => {
                        let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into())?;
                        let f: js_sys::Function =
                            js_sys::Reflect::get(&perf, &"now".into())?.dyn_into()?;
                        f.call0(&perf)?
                    }
                };
                v.as_f64().ok_or_else(|| {
                    error(
                        "TypeError",
                        "the clock must return milliseconds as a number",
                        "invalid_argument",
                    )
                })
            };
            let start = now()?;
            let permit = match b.try_acquire(instant_ms(start)) {
                Ok(p) => p,
                Err(r) => {
                    let e = error(
                        "CallNotPermittedError",
                        &format!("call not permitted: breaker is {}", r.state),
                        "call_not_permitted",
                    );
                    set(&e, "state", &r.state.as_str().into());
                    set(
                        &e,
                        "retryAfter",
                        &r.retry_after
                            .map(ms)
                            .map_or(JsValue::NULL, JsValue::from_f64),
                    );
                    return Err(e);
                }
            };
            let settled = match f.call0(&JsValue::UNDEFINED) {
                Ok(v) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&v)).await,
                Err(e) => Err(e),
            };
            let end = now()?;
            let took = millis((end - start).max(0.0))?;
            b.record(
                instant_ms(end),
                permit,
                if settled.is_ok() {
                    Outcome::success(took)
                } else {
                    Outcome::failure(took)
                },
            );
            settled
        })
    }

    /// Moves to `closed` by hand.
    #[wasm_bindgen(js_name = transitionToClosed)]
    pub fn transition_to_closed(&self, now: f64) {
        self.0.transition_to(instant_ms(now), State::Closed);
    }
    /// Moves to `open` by hand.
    #[wasm_bindgen(js_name = transitionToOpen)]
    pub fn transition_to_open(&self, now: f64) {
        self.0.transition_to(instant_ms(now), State::Open);
    }
    /// Moves to `half_open` by hand.
    #[wasm_bindgen(js_name = transitionToHalfOpen)]
    pub fn transition_to_half_open(&self, now: f64) {
        self.0.transition_to(instant_ms(now), State::HalfOpen);
    }
    /// Moves to `disabled` by hand.
    #[wasm_bindgen(js_name = transitionToDisabled)]
    pub fn transition_to_disabled(&self, now: f64) {
        self.0.transition_to(instant_ms(now), State::Disabled);
    }
    /// Moves to `forced_open` by hand.
    #[wasm_bindgen(js_name = transitionToForcedOpen)]
    pub fn transition_to_forced_open(&self, now: f64) {
        self.0.transition_to(instant_ms(now), State::ForcedOpen);
    }
    /// Moves to `metrics_only` by hand.
    #[wasm_bindgen(js_name = transitionToMetricsOnly)]
    pub fn transition_to_metrics_only(&self, now: f64) {
        self.0.transition_to(instant_ms(now), State::MetricsOnly);
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

/// At most `maxConcurrent` calls in flight and `maxQueued` waiting (first come, first served),
/// each waiting at most `maxWait` milliseconds when given.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Bulkhead(CoreBulkhead);

#[wasm_bindgen]
impl Bulkhead {
    /// `RangeError` for `maxConcurrent` of 0.
    #[wasm_bindgen(constructor)]
    pub fn new(
        max_concurrent: u32,
        max_queued: Option<u32>,
        max_wait: Option<f64>,
    ) -> Result<Bulkhead, JsValue> {
        let wait = max_wait.map(millis).transpose()?;
        CoreBulkhead::new(max_concurrent, max_queued.unwrap_or(0), wait)
            .map(Bulkhead)
            .map_err(|e| range_error(&e, e.code()))
    }

    /// `{admitted, queued, ticket}` (`ticket` is a number when queued, else `null`).
    #[wasm_bindgen(js_name = tryEnter)]
    pub fn try_enter(&self, now: f64) -> JsValue {
        let a = self.0.try_enter(instant_ms(now));
        let o: JsValue = js_sys::Object::new().into();
        set(&o, "admitted", &matches!(a, Admission::Admitted).into());
        set(&o, "queued", &matches!(a, Admission::Queued(_)).into());
        let ticket = match a {
            Admission::Queued(t) => JsValue::from_f64(t.0 as f64),
            _ => JsValue::NULL,
        };
        set(&o, "ticket", &ticket);
        o
    }

    /// Frees a slot; returns the ticket of the waiter that now holds it, or `null`. Throws
    /// when no slot is held.
    pub fn release(&self, now: f64) -> Result<Option<f64>, JsValue> {
        self.0
            .release(instant_ms(now))
            .map(|t| t.map(|t| t.0 as f64))
            .map_err(|e| error("Error", &e.to_string(), e.code()))
    }

    /// Leaves the queue.
    pub fn cancel(&self, ticket: f64) -> bool {
        self.0.cancel(Ticket(ticket as u64))
    }

    /// Drops waiters past `maxWait`; returns their tickets.
    pub fn expire(&self, now: f64) -> Vec<f64> {
        self.0
            .expire(instant_ms(now))
            .into_iter()
            .map(|t| t.0 as f64)
            .collect()
    }

    /// Calls in flight.
    #[wasm_bindgen(getter)]
    pub fn active(&self) -> u32 {
        self.0.active()
    }

    /// Calls waiting.
    #[wasm_bindgen(getter)]
    pub fn queued(&self) -> u32 {
        self.0.queued()
    }

    /// Calls refused since creation.
    #[wasm_bindgen(getter)]
    pub fn rejected(&self) -> f64 {
        self.0.rejected() as f64
    }
}

fn outlier_duration(k: &str) -> bool {
    matches!(
        k,
        "interval" | "base_ejection_time" | "max_ejection_time" | "max_ejection_time_jitter"
    )
}

/// A status number or a name, parsed by the core.
fn named<T: std::str::FromStr>(v: &JsValue, what: &str) -> Result<T, JsValue>
where
    T::Err: std::fmt::Display,
{
    let text = match (v.as_f64(), v.as_string()) {
        (Some(n), _) if n.fract() == 0.0 => format!("{n}"),
        (_, Some(s)) => s,
        _ => {
            return Err(error(
                "TypeError",
                &format!("expected {what}"),
                "invalid_argument",
            ))
        }
    };
    text.parse()
        .map_err(|e: T::Err| range_error(e, "invalid_argument"))
}

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
        seed: Option<u64>,
    ) -> Result<OutlierDetector, JsValue> {
        let c: OutlierConfig = snake_config(
            config,
            "an outlier detection configuration object",
            outlier_duration,
        )?;
        OutlierDetector::build(c, hosts, start, seed)
    }

    fn build(
        c: OutlierConfig,
        hosts: Option<Vec<String>>,
        start: Option<f64>,
        seed: Option<u64>,
    ) -> Result<OutlierDetector, JsValue> {
        let mut d = CoreOutlier::new(c, instant_ms(start.unwrap_or(0.0)), seed.unwrap_or(0))
            .map_err(|e| range_error(&e, e.code()))?;
        for h in hosts.unwrap_or_default() {
            d.add_host(h);
        }
        Ok(OutlierDetector(d))
    }

    /// What Istio's `outlierDetection` programs into Envoy (success-rate ejection off).
    pub fn istio(
        consecutive5xx_errors: u32,
        interval: f64,
        base_ejection_time: f64,
        hosts: Option<Vec<String>>,
        start: Option<f64>,
        seed: Option<u64>,
    ) -> Result<OutlierDetector, JsValue> {
        let c = OutlierConfig::istio(
            consecutive5xx_errors,
            millis(interval)?,
            millis(base_ejection_time)?,
        );
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
        let r: HostResult = named(
            &result,
            "an HTTP status, \"connect_failure\" or \"timeout\"",
        )?;
        self.0.record(instant_ms(now), &host, r);
        Ok(())
    }

    /// Runs the sweeps due at or before `now`.
    pub fn advance(&mut self, now: f64) {
        self.0.advance(instant_ms(now));
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

/// Envoy / Istio / gRPC retry conditions.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryOn(CoreRetryOn);

#[wasm_bindgen]
impl RetryOn {
    /// Envoy's comma-separated `retry_on`, plus `retriable-status-codes`.
    #[wasm_bindgen(constructor)]
    pub fn new(retry_on: &str, status_codes: Option<Vec<u16>>) -> Result<RetryOn, JsValue> {
        CoreRetryOn::parse(retry_on)
            .map(|r| RetryOn(r.with_status_codes(&status_codes.unwrap_or_default())))
            .map_err(|e| range_error(&e, e.code()))
    }

    /// gRFC A6's `retryableStatusCodes`.
    pub fn grpc(codes: Vec<String>) -> Result<RetryOn, JsValue> {
        CoreRetryOn::grpc(&codes)
            .map(RetryOn)
            .map_err(|e| range_error(&e, e.code()))
    }

    /// Istio's default retry conditions.
    #[wasm_bindgen(js_name = istioDefault)]
    pub fn istio_default() -> RetryOn {
        RetryOn(CoreRetryOn::istio_default())
    }

    /// Whether `outcome` (an HTTP status, `"grpc:NAME"`, `"connect_failure"`, `"reset"`,
    /// `"refused_stream"`, `"per_try_timeout"`, `"retryable"`, `"not_retryable"`) is retried.
    #[wasm_bindgen(js_name = shouldRetry)]
    pub fn should_retry(&self, outcome: JsValue) -> Result<bool, JsValue> {
        let o: CallOutcome = named(
            &outcome,
            "an outcome: an HTTP status or a name such as \"grpc:UNAVAILABLE\"",
        )?;
        Ok(self.0.should_retry(o))
    }
}

/// gRFC A6 retry throttling: a failure takes a token, a success returns `tokenRatio`;
/// retries only while tokens > maxTokens / 2.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryThrottle(CoreThrottle);

#[wasm_bindgen]
impl RetryThrottle {
    /// `RangeError` outside gRFC A6's limits (maxTokens in (0, 1000], tokenRatio > 0).
    #[wasm_bindgen(constructor)]
    pub fn new(max_tokens: u32, token_ratio: f64) -> Result<RetryThrottle, JsValue> {
        CoreThrottle::new(max_tokens, token_ratio)
            .map(RetryThrottle)
            .ok_or_else(|| {
                range_error(
                    "expected maxTokens in (0, 1000] and tokenRatio > 0 (gRFC A6)",
                    "invalid_retry_throttle",
                )
            })
    }
    /// A success.
    #[wasm_bindgen(js_name = onSuccess)]
    pub fn on_success(&mut self) {
        self.0.on_success();
    }
    /// A failure.
    #[wasm_bindgen(js_name = onFailure)]
    pub fn on_failure(&mut self) {
        self.0.on_failure();
    }
    /// May a retry start?
    #[wasm_bindgen(js_name = allowsRetry)]
    pub fn allows_retry(&self) -> bool {
        self.0.allows_retry()
    }
    /// Tokens left.
    #[wasm_bindgen(getter)]
    pub fn tokens(&self) -> f64 {
        self.0.tokens()
    }
}

/// Envoy's retry budget.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryBudget(CoreBudget);

#[wasm_bindgen]
impl RetryBudget {
    /// Defaults: 20 % and 3.
    #[wasm_bindgen(constructor)]
    pub fn new(
        budget_percent: Option<f64>,
        min_retry_concurrency: Option<u32>,
    ) -> Result<RetryBudget, JsValue> {
        CoreBudget::new(
            budget_percent.unwrap_or(20.0),
            min_retry_concurrency.unwrap_or(3),
        )
        .map(RetryBudget)
        .map_err(|e| range_error(e, "invalid_retry_budget"))
    }
    /// Retries allowed with this many active requests.
    #[wasm_bindgen(js_name = maxActiveRetries)]
    pub fn max_active_retries(&self, active_requests: u32) -> u32 {
        self.0.max_active_retries(active_requests)
    }
    /// May one more retry start?
    #[wasm_bindgen(js_name = allowsRetry)]
    pub fn allows_retry(&self, active_requests: u32, active_retries: u32) -> bool {
        self.0.allows_retry(active_requests, active_retries)
    }
}

/// The AWS SDKs' standard retry quota (500 tokens; a retry costs 5, after a timeout 10).
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryQuota(CoreQuota);

#[wasm_bindgen]
impl RetryQuota {
    /// A full quota.
    #[wasm_bindgen(constructor)]
    pub fn new() -> RetryQuota {
        RetryQuota(CoreQuota::aws_standard())
    }
    /// Takes the cost of a retry; the cost, or `undefined` when the quota cannot pay.
    pub fn acquire(&mut self, after_timeout: Option<bool>) -> Option<u32> {
        self.0.acquire(after_timeout.unwrap_or(false))
    }
    /// A success: pass the retry's cost when it was a retry.
    #[wasm_bindgen(js_name = onSuccess)]
    pub fn on_success(&mut self, retry_cost: Option<u32>) {
        self.0.on_success(retry_cost);
    }
    /// Tokens left.
    #[wasm_bindgen(getter)]
    pub fn available(&self) -> u32 {
        self.0.available()
    }
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::new()
    }
}
