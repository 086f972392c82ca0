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

use cnarch_core::alerting::evaluate::evaluate as slo_evaluate;
use cnarch_core::alerting::policy::MultiwindowPolicy as CorePolicy;
use cnarch_core::alerting::routing::notifications as core_notifications;
use cnarch_core::alerting::rule::AlertRule as CoreAlertRule;
use cnarch_core::autoscale::hpa::{
    ControllerOptions, HorizontalAutoscaler as CoreHpa, HpaSpec, MetricInput, Observation,
};
use cnarch_core::autoscale::io::{
    decider_from_json, keda_config_from_json, kpa_config_from_json, metric_inputs_from_json,
    pods_from_json, sim_config_from_json, trace_from_json,
};
use cnarch_core::autoscale::keda::{is_active as keda_is_active, ScaledObject as CoreScaledObject};
use cnarch_core::autoscale::kpa::ServerlessAutoscaler as CoreKpa;
use cnarch_core::autoscale::replica::{
    average_value_replicas, object_average_replicas, object_value_replicas,
    resource_utilization_replicas, CalcOptions, Tolerances,
};
use cnarch_core::autoscale::simulate::{compare as core_compare, simulate as core_simulate};
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
use cnarch_core::slo::budget::{self as slo_budget, Objective};
use cnarch_core::slo::io::{
    escalation_inputs, routing_inputs, spec_from_json as slo_spec_from_json,
};
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
    pub fn next_after(&self, after: JsValue, n: Option<f64>) -> Result<js_sys::Array, JsValue> {
        let n: u32 = whole(n.unwrap_or(1.0), "n")?;
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
        for next in self.0.next_n_after(t, n as usize) {
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
        port: f64,
        protocol: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let port: u16 = whole(port, "port")?;
        let v = self
            .0
            .evaluate_str(from, to, port, self::protocol(protocol)?)
            .map_err(policy_error)?;
        to_js(&v)
    }

    /// The pod-to-pod truth table for one port.
    pub fn connectivity(&self, port: f64, protocol: Option<String>) -> Result<JsValue, JsValue> {
        let port: u16 = whole(port, "port")?;
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

/// A time argument in ms as an `Instant`, or a RangeError (negative, NaN, infinite or past
/// the nanosecond timeline).
fn instant_ms(ms: f64) -> Result<Instant, JsValue> {
    if (0.0..1.8e13).contains(&ms) {
        Ok(Instant::from_secs_f64(ms / 1000.0))
    } else {
        Err(range_error(
            format!("expected a time in ms of 0 or more (finite, below 1.8e13), found {ms}"),
            "invalid_argument",
        ))
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// An optional number in an options object: absent or null is `None`, anything but a number
/// a TypeError naming the option (camelCase, as the caller wrote it).
fn opt_number(o: &serde_json::Value, key: &str, option: &str) -> Result<Option<f64>, JsValue> {
    match o.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(error(
            "TypeError",
            &format!("expected options.{option} to be a number, found {other}"),
            "invalid_argument",
        )),
    }
}

/// As [`opt_number`], for a whole number that fits `T`.
fn opt_int<T: TryFrom<i64>>(
    o: &serde_json::Value,
    key: &str,
    option: &str,
) -> Result<Option<T>, JsValue> {
    match opt_number(o, key, option)? {
        None => Ok(None),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.1e18 => {
            T::try_from(x as i64).map(Some).map_err(|_| {
                range_error(
                    format!("expected options.{option} in range, found {x}"),
                    "invalid_argument",
                )
            })
        }
        Some(x) => Err(range_error(
            format!("expected options.{option} to be a whole number, found {x}"),
            "invalid_argument",
        )),
    }
}

/// A whole-number argument (a count, a port): JavaScript passes any number, and wasm-bindgen's
/// own conversion would wrap -1 to 4294967295 and turn NaN into 0, so counts arrive as `f64`
/// and are checked here.
fn whole<T: TryFrom<i64>>(x: f64, name: &str) -> Result<T, JsValue> {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        if let Ok(v) = T::try_from(x as i64) {
            return Ok(v);
        }
    }
    Err(range_error(
        format!("expected {name} as a whole number in range, found {x}"),
        "invalid_argument",
    ))
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
            let permit = match b.try_acquire(instant_ms(start)?) {
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
                instant_ms(end)?,
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
    pub fn transition_to_closed(&self, now: f64) -> Result<(), JsValue> {
        self.0.transition_to(instant_ms(now)?, State::Closed);
        Ok(())
    }
    /// Moves to `open` by hand.
    #[wasm_bindgen(js_name = transitionToOpen)]
    pub fn transition_to_open(&self, now: f64) -> Result<(), JsValue> {
        self.0.transition_to(instant_ms(now)?, State::Open);
        Ok(())
    }
    /// Moves to `half_open` by hand.
    #[wasm_bindgen(js_name = transitionToHalfOpen)]
    pub fn transition_to_half_open(&self, now: f64) -> Result<(), JsValue> {
        self.0.transition_to(instant_ms(now)?, State::HalfOpen);
        Ok(())
    }
    /// Moves to `disabled` by hand.
    #[wasm_bindgen(js_name = transitionToDisabled)]
    pub fn transition_to_disabled(&self, now: f64) -> Result<(), JsValue> {
        self.0.transition_to(instant_ms(now)?, State::Disabled);
        Ok(())
    }
    /// Moves to `forced_open` by hand.
    #[wasm_bindgen(js_name = transitionToForcedOpen)]
    pub fn transition_to_forced_open(&self, now: f64) -> Result<(), JsValue> {
        self.0.transition_to(instant_ms(now)?, State::ForcedOpen);
        Ok(())
    }
    /// Moves to `metrics_only` by hand.
    #[wasm_bindgen(js_name = transitionToMetricsOnly)]
    pub fn transition_to_metrics_only(&self, now: f64) -> Result<(), JsValue> {
        self.0.transition_to(instant_ms(now)?, State::MetricsOnly);
        Ok(())
    }

    /// A `Permit`, or `{state, retryAfter}` (milliseconds or `null`) when refused.
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&self, now: f64) -> Result<JsValue, JsValue> {
        match self.0.try_acquire(instant_ms(now)?) {
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
        self.0.record(instant_ms(now)?, permit.0, outcome);
        Ok(())
    }

    /// The state at `now`.
    pub fn state(&self, now: f64) -> Result<String, JsValue> {
        Ok(self.0.state(instant_ms(now)?).to_string())
    }

    /// Rates and counts at `now`.
    pub fn metrics(&self, now: f64) -> Result<JsValue, JsValue> {
        to_js(&self.0.metrics(instant_ms(now)?))
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
        max_attempts: f64,
        backoff: &str,
        initial: f64,
        multiplier: f64,
        max_delay: f64,
        jitter: &str,
    ) -> Result<RetryPolicy, JsValue> {
        let max_attempts: u32 = whole(max_attempts, "maxAttempts")?;
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
        max_attempts: f64,
        initial_backoff: f64,
        max_backoff: f64,
        backoff_multiplier: f64,
    ) -> Result<RetryPolicy, JsValue> {
        let max_attempts: u32 = whole(max_attempts, "maxAttempts")?;
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
            pub fn new(rate: f64, burst: f64) -> Result<$name, JsValue> {
                let burst: u64 = whole(burst, "burst")?;
                CoreBucket::new(rate, burst)
                    .map($name)
                    .map_err(|e| range_error(&e, e.code()))
            }

            /// `{allowed, retryAfter}` (milliseconds); `RangeError` when `n` exceeds the burst.
            pub fn check(&mut self, now: f64, n: Option<f64>) -> Result<JsValue, JsValue> {
                let n: u64 = whole(n.unwrap_or(1.0), "n")?;
                self.0
                    .check(instant_ms(now)?, n)
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
        max_concurrent: f64,
        max_queued: Option<f64>,
        max_wait: Option<f64>,
    ) -> Result<Bulkhead, JsValue> {
        let max_concurrent: u32 = whole(max_concurrent, "maxConcurrent")?;
        let max_queued: u32 = whole(max_queued.unwrap_or(0.0), "maxQueued")?;
        let wait = max_wait.map(millis).transpose()?;
        CoreBulkhead::new(max_concurrent, max_queued, wait)
            .map(Bulkhead)
            .map_err(|e| range_error(&e, e.code()))
    }

    /// `{admitted, queued, ticket}` (`ticket` is a number when queued, else `null`).
    #[wasm_bindgen(js_name = tryEnter)]
    pub fn try_enter(&self, now: f64) -> Result<JsValue, JsValue> {
        let a = self.0.try_enter(instant_ms(now)?);
        let o: JsValue = js_sys::Object::new().into();
        set(&o, "admitted", &matches!(a, Admission::Admitted).into());
        set(&o, "queued", &matches!(a, Admission::Queued(_)).into());
        let ticket = match a {
            Admission::Queued(t) => JsValue::from_f64(t.0 as f64),
            _ => JsValue::NULL,
        };
        set(&o, "ticket", &ticket);
        Ok(o)
    }

    /// Frees a slot; returns the ticket of the waiter that now holds it, or `null`. Throws
    /// when no slot is held.
    pub fn release(&self, now: f64) -> Result<Option<f64>, JsValue> {
        self.0
            .release(instant_ms(now)?)
            .map(|t| t.map(|t| t.0 as f64))
            .map_err(|e| error("Error", &e.to_string(), e.code()))
    }

    /// Leaves the queue.
    pub fn cancel(&self, ticket: f64) -> bool {
        self.0.cancel(Ticket(ticket as u64))
    }

    /// Drops waiters past `maxWait`; returns their tickets.
    pub fn expire(&self, now: f64) -> Result<Vec<f64>, JsValue> {
        Ok(self
            .0
            .expire(instant_ms(now)?)
            .into_iter()
            .map(|t| t.0 as f64)
            .collect())
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
        let mut d = CoreOutlier::new(c, instant_ms(start.unwrap_or(0.0))?, seed.unwrap_or(0))
            .map_err(|e| range_error(&e, e.code()))?;
        for h in hosts.unwrap_or_default() {
            d.add_host(h);
        }
        Ok(OutlierDetector(d))
    }

    /// What Istio's `outlierDetection` programs into Envoy (success-rate ejection off).
    pub fn istio(
        consecutive5xx_errors: f64,
        interval: f64,
        base_ejection_time: f64,
        hosts: Option<Vec<String>>,
        start: Option<f64>,
        seed: Option<u64>,
    ) -> Result<OutlierDetector, JsValue> {
        let c = OutlierConfig::istio(
            whole(consecutive5xx_errors, "consecutive5xxErrors")?,
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
        self.0.record(instant_ms(now)?, &host, r);
        Ok(())
    }

    /// Runs the sweeps due at or before `now`.
    pub fn advance(&mut self, now: f64) -> Result<(), JsValue> {
        self.0.advance(instant_ms(now)?);
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
    pub fn new(max_tokens: f64, token_ratio: f64) -> Result<RetryThrottle, JsValue> {
        CoreThrottle::new(whole(max_tokens, "maxTokens")?, token_ratio)
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
        min_retry_concurrency: Option<f64>,
    ) -> Result<RetryBudget, JsValue> {
        CoreBudget::new(
            budget_percent.unwrap_or(20.0),
            whole(min_retry_concurrency.unwrap_or(3.0), "minRetryConcurrency")?,
        )
        .map(RetryBudget)
        .map_err(|e| range_error(e, "invalid_retry_budget"))
    }
    /// Retries allowed with this many active requests.
    #[wasm_bindgen(js_name = maxActiveRetries)]
    pub fn max_active_retries(&self, active_requests: f64) -> Result<u32, JsValue> {
        Ok(self
            .0
            .max_active_retries(whole(active_requests, "activeRequests")?))
    }
    /// May one more retry start?
    #[wasm_bindgen(js_name = allowsRetry)]
    pub fn allows_retry(&self, active_requests: f64, active_retries: f64) -> Result<bool, JsValue> {
        Ok(self.0.allows_retry(
            whole(active_requests, "activeRequests")?,
            whole(active_retries, "activeRetries")?,
        ))
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

// ---- autoscale (times in milliseconds) -----------------------------------------------------

const MS: f64 = 0.001;

fn invalid(violations: Vec<Violation>) -> JsValue {
    let message = match violations.as_slice() {
        [one] => format!("{}: {}", one.path, one.message),
        many => format!(
            "{} problems, first {}: {}",
            many.len(),
            many[0].path,
            many[0].message
        ),
    };
    let err = error("ValidationError", &message, "invalid_value");
    let _ = js_sys::Reflect::set(&err, &"violations".into(), &violations_js(&violations));
    err
}

fn camel_to_snake(k: &str) -> String {
    let mut out = String::with_capacity(k.len() + 4);
    for c in k.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn snake_to_camel(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    let mut up = false;
    for c in k.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Renames object keys recursively, leaving the values under `keep` (Kubernetes-shaped specs)
/// as they are.
fn rename_keys(v: serde_json::Value, f: fn(&str) -> String, keep: &[&str]) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .map(|(k, x)| {
                    let x = if keep.contains(&k.as_str()) {
                        x
                    } else {
                        rename_keys(x, f, keep)
                    };
                    (f(&k), x)
                })
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(|x| rename_keys(x, f, keep)).collect())
        }
        other => other,
    }
}

fn json_in(v: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(serde_json::Value::Object(serde_json::Map::new()));
    }
    serde_path_to_error::deserialize::<_, Finite>(serde_wasm_bindgen::Deserializer::from(v))
        .map(|f| f.0)
        .map_err(|e| {
            let path = e.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!(" at {path}")
            };
            error(
                "TypeError",
                &format!(
                    "expected {what}{at}: {}",
                    e.into_inner().to_string().trim_start_matches("Error: ")
                ),
                "invalid_argument",
            )
        })
}

/// JSON-like data from JavaScript, refusing NaN and infinities: `serde_json` would turn them
/// into `null`, which reads as "absent" and would silently select a default.
struct Finite(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Finite {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Finite, D::Error> {
        d.deserialize_any(FiniteVisitor).map(Finite)
    }
}

struct FiniteVisitor;

impl<'de> serde::de::Visitor<'de> for FiniteVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON-like data")
    }
    fn visit_bool<E>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<serde_json::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("expected a finite number, found {v}")))
    }
    fn visit_str<E>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<serde_json::Value, D::Error> {
        serde::Deserialize::deserialize(d).map(|f: Finite| f.0)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Finite(x)) = seq.next_element()? {
            out.push(x);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((k, Finite(v))) = map.next_entry::<String, Finite>()? {
            out.insert(k, v);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// camelCase JS data as the core's snake_case (Kubernetes specs under `hpa`/`spec` untouched).
fn snake_in(v: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    Ok(rename_keys(
        json_in(v, what)?,
        camel_to_snake,
        &["hpa", "spec"],
    ))
}

/// A core result as camelCase JS.
fn camel_out<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_value(v)
        .map_err(|e| error("TypeError", &e.to_string(), "conversion_error"))?;
    to_js(&rename_keys(json, snake_to_camel, &[]))
}

fn pods_in(v: JsValue) -> Result<Vec<cnarch_core::autoscale::replica::PodSample>, JsValue> {
    pods_from_json(&snake_in(v, "an array of pod objects")?, MS, "pods").map_err(invalid)
}

fn milli_in(v: &serde_json::Value, what: &str) -> Result<i64, JsValue> {
    match metric_inputs_from_json(&serde_json::Value::Array(vec![v.clone()]), MS) {
        Ok(m) => match m.first() {
            Some(MetricInput::Value(x)) => Ok(*x),
            _ => Err(error(
                "TypeError",
                &format!("expected {what} as milli-units or a quantity string"),
                "invalid_argument",
            )),
        },
        Err(v) => Err(invalid(v)),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct CalcArgs {
    target_utilization: Option<i32>,
    target_average_value: Option<serde_json::Value>,
    target_value: Option<serde_json::Value>,
    resource: Option<serde_json::Value>,
    tolerance: Option<f64>,
    scale_up_tolerance: Option<f64>,
    scale_down_tolerance: Option<f64>,
    now: Option<f64>,
    cpu_initialization_period: Option<f64>,
    initial_readiness_delay: Option<f64>,
    ready_pod_count: Option<usize>,
}

impl CalcArgs {
    fn tolerances(&self) -> Tolerances {
        let t = self.tolerance.unwrap_or(0.1);
        Tolerances {
            up: self.scale_up_tolerance.unwrap_or(t),
            down: self.scale_down_tolerance.unwrap_or(t),
        }
    }
}

/// The HPA replica calculator for one per-pod metric: `{desiredReplicas, utilization,
/// rawAverage, value}`. Options: `targetUtilization` or `targetAverageValue`, `resource`
/// (`"cpu"`; `null` for a Pods metric), `tolerance`, `scaleUpTolerance`, `scaleDownTolerance`,
/// `now` (ms, default `Date.now()`), `cpuInitializationPeriod`, `initialReadinessDelay` (ms).
#[wasm_bindgen(js_name = replicaCalc)]
pub fn replica_calc(
    current_replicas: f64,
    pods: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let current_replicas: i32 = whole(current_replicas, "currentReplicas")?;
    let raw = json_in(options, "replicaCalc options")?;
    let a: CalcArgs = serde_json::from_value(raw.clone()).map_err(|e| {
        error(
            "TypeError",
            &format!("expected replicaCalc options: {e}"),
            "invalid_argument",
        )
    })?;
    let pods = pods_in(pods)?;
    let o = CalcOptions {
        tolerances: a.tolerances(),
        cpu_initialization_period: millis(a.cpu_initialization_period.unwrap_or(300_000.0))?,
        initial_readiness_delay: millis(a.initial_readiness_delay.unwrap_or(30_000.0))?,
        now: instant_ms(a.now.unwrap_or_else(js_sys::Date::now))?,
    };
    // Absent: cpu; null: a Pods metric.
    let resource = match raw.get("resource") {
        None => Some("cpu".to_string()),
        Some(serde_json::Value::String(r)) => Some(r.clone()),
        Some(serde_json::Value::Null) => None,
        Some(_) => {
            return Err(error(
                "TypeError",
                "expected resource as a string or null",
                "invalid_argument",
            ))
        }
    };
    let (replicas, utilization, raw) = match (a.target_utilization, &a.target_average_value) {
        (Some(u), None) => {
            let r = resource.unwrap_or_else(|| "cpu".into());
            let p = resource_utilization_replicas(current_replicas, &pods, u, &r, &o)
                .map_err(|e| range_error(&e, e.code()))?;
            (p.replicas, Some(p.utilization), p.raw_average)
        }
        (None, Some(v)) => {
            let p = average_value_replicas(
                current_replicas,
                &pods,
                milli_in(v, "targetAverageValue")?,
                resource.as_deref(),
                &o,
            )
            .map_err(|e| range_error(&e, e.code()))?;
            (p.replicas, None, p.value)
        }
        _ => {
            return Err(error(
                "TypeError",
                "expected exactly one of targetUtilization and targetAverageValue",
                "invalid_argument",
            ))
        }
    };
    camel_out(
        &serde_json::json!({"desired_replicas": replicas, "utilization": utilization, "raw_average": raw, "value": raw}),
    )
}

/// The proposal for an Object or External metric: options `targetValue` or
/// `targetAverageValue`, `readyPodCount`, tolerances. `{desiredReplicas, value}`.
#[wasm_bindgen(js_name = objectReplicaCalc)]
pub fn object_replica_calc(
    current_replicas: f64,
    total: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let current_replicas: i32 = whole(current_replicas, "currentReplicas")?;
    let a: CalcArgs = from_js(options, "objectReplicaCalc options")?;
    let total = milli_in(&json_in(total, "a value")?, "total")?;
    let tol = a.tolerances();
    let p = match (&a.target_value, &a.target_average_value) {
        (Some(t), None) => object_value_replicas(
            current_replicas,
            total,
            milli_in(t, "targetValue")?,
            a.ready_pod_count
                .unwrap_or(current_replicas.max(0) as usize),
            tol,
        ),
        (None, Some(t)) => object_average_replicas(
            current_replicas,
            total,
            milli_in(t, "targetAverageValue")?,
            tol,
        ),
        _ => {
            return Err(error(
                "TypeError",
                "expected exactly one of targetValue and targetAverageValue",
                "invalid_argument",
            ))
        }
    }
    .map_err(|e| range_error(&e, e.code()))?;
    camel_out(&serde_json::json!({"desired_replicas": p.replicas, "value": p.value}))
}

#[derive(serde::Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct HpaArgs {
    tolerance: Option<f64>,
    downscale_stabilization: Option<f64>,
    cpu_initialization_period: Option<f64>,
    initial_readiness_delay: Option<f64>,
    recommendations: Vec<(f64, i32)>,
    scale_events: Vec<(f64, i32)>,
}

/// The HPA controller for an autoscaling/v2 spec (Kubernetes' JSON shape).
#[wasm_bindgen]
#[derive(Debug)]
pub struct HorizontalAutoscaler(CoreHpa);

#[wasm_bindgen]
impl HorizontalAutoscaler {
    /// Options: `tolerance`, `downscaleStabilization`, `cpuInitializationPeriod`,
    /// `initialReadinessDelay` (ms), `recommendations` (`[ms, replicas]`), `scaleEvents`
    /// (`[ms, change]`). Throws `ValidationError` naming the spec's fields.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue, options: JsValue) -> Result<HorizontalAutoscaler, JsValue> {
        let a: HpaArgs = if options.is_undefined() || options.is_null() {
            HpaArgs::default()
        } else {
            from_js(options, "HorizontalAutoscaler options")?
        };
        let spec =
            HpaSpec::from_json(&json_in(spec, "an autoscaling/v2 spec")?).map_err(invalid)?;
        let opts = ControllerOptions {
            tolerance: a.tolerance.unwrap_or(0.1),
            downscale_stabilization: millis(a.downscale_stabilization.unwrap_or(300_000.0))?,
            cpu_initialization_period: millis(a.cpu_initialization_period.unwrap_or(300_000.0))?,
            initial_readiness_delay: millis(a.initial_readiness_delay.unwrap_or(30_000.0))?,
        };
        let at = |v: &[(f64, i32)]| {
            v.iter()
                .map(|&(t, n)| Ok((instant_ms(t)?, n)))
                .collect::<Result<Vec<_>, JsValue>>()
        };
        let h = CoreHpa::new(spec, opts).map_err(invalid)?;
        Ok(HorizontalAutoscaler(
            h.with_recommendations(&at(&a.recommendations)?)
                .with_scale_events(&at(&a.scale_events)?),
        ))
    }

    /// One reconcile: `metrics` has one entry per metric (an array of pods, a value, or
    /// `{error}`); `extra` may give `statusReplicas` and `pods`. Returns the decision with
    /// camelCase keys.
    pub fn decide(
        &mut self,
        now: f64,
        current_replicas: f64,
        metrics: JsValue,
        extra: JsValue,
    ) -> Result<JsValue, JsValue> {
        let current_replicas: i32 = whole(current_replicas, "currentReplicas")?;
        let metrics = metric_inputs_from_json(&snake_in(metrics, "one input per metric")?, MS)
            .map_err(invalid)?;
        let extra = snake_in(extra, "decide options")?;
        let pods = match extra.get("pods") {
            Some(p) => pods_from_json(p, MS, "pods").map_err(invalid)?,
            None => Vec::new(),
        };
        let status_replicas: Option<i32> = opt_int(&extra, "status_replicas", "statusReplicas")?;
        let obs = Observation {
            current_replicas,
            status_replicas,
            pods,
            metrics,
        };
        let d = self
            .0
            .decide(instant_ms(now)?, &obs)
            .map_err(|e| error("TypeError", &e.to_string(), e.code()))?;
        camel_out(&d)
    }

    /// The controller's names for the metrics, in the order `decide` takes them.
    #[wasm_bindgen(getter, js_name = metricNames)]
    pub fn metric_names(&self) -> Vec<String> {
        self.0.metrics().iter().map(|m| m.display_name()).collect()
    }
}

/// Knative's KPA (config keys are `config-autoscaler`'s in camelCase, durations in ms).
#[wasm_bindgen]
#[derive(Debug)]
pub struct ServerlessAutoscaler(CoreKpa);

#[wasm_bindgen]
impl ServerlessAutoscaler {
    /// Options: `decider` (Knative's DeciderSpec in camelCase), `start` (ms), `startReady`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, options: JsValue) -> Result<ServerlessAutoscaler, JsValue> {
        let c =
            kpa_config_from_json(&snake_in(config, "a KPA configuration")?, MS).map_err(invalid)?;
        let mut k = CoreKpa::new(c).map_err(|e| range_error(&e, e.code()))?;
        let o = snake_in(options, "ServerlessAutoscaler options")?;
        if let Some(d) = o.get("decider") {
            k = k.with_decider(decider_from_json(d, MS).map_err(invalid)?);
        }
        let start = opt_number(&o, "start", "start")?.unwrap_or(0.0);
        let ready: u32 = opt_int(&o, "start_ready", "startReady")?.unwrap_or(0);
        Ok(ServerlessAutoscaler(
            k.starting_with(instant_ms(start)?, ready),
        ))
    }

    /// `{desiredReplicas, autoscalerReplicas, panicking, excessBurstCapacity, reason}`.
    pub fn scale(
        &mut self,
        now: f64,
        stable: f64,
        panic: f64,
        ready_pods: f64,
        reachable: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let ready_pods: u32 = whole(ready_pods, "readyPods")?;
        let d = self
            .0
            .scale_reachable(
                instant_ms(now)?,
                stable,
                panic,
                ready_pods,
                reachable.unwrap_or(true),
            )
            .map_err(|e| range_error(&e, e.code()))?;
        camel_out(&d)
    }
}

/// KEDA's executor for one ScaledObject (fields camelCase as in its spec; seconds as there).
#[wasm_bindgen]
#[derive(Debug)]
pub struct ScaledObject(CoreScaledObject);

#[wasm_bindgen]
impl ScaledObject {
    /// Throws `RangeError` (`invalid_scaled_object`) for what KEDA's webhook refuses.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ScaledObject, JsValue> {
        let c =
            keda_config_from_json(&json_in(config, "a ScaledObject's fields")?).map_err(invalid)?;
        CoreScaledObject::new(c)
            .map(ScaledObject)
            .map_err(|e| range_error(&e, e.code()))
    }

    /// One poll (`now` in ms; `values` one per trigger, `null` when its scaler erred).
    pub fn poll(
        &mut self,
        now: f64,
        current_replicas: f64,
        values: Vec<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let current_replicas: u32 = whole(current_replicas, "currentReplicas")?;
        // A trigger's value, or null/undefined when its scaler erred; anything else is a mistake.
        let values: Vec<Option<f64>> = values
            .iter()
            .enumerate()
            .map(|(i, v)| match v.as_f64() {
                Some(x) => Ok(Some(x)),
                None if v.is_null() || v.is_undefined() => Ok(None),
                None => Err(error(
                    "TypeError",
                    &format!("expected values[{i}] as a number, or null when the scaler erred"),
                    "invalid_argument",
                )),
            })
            .collect::<Result<_, _>>()?;
        camel_out(&self.0.poll(instant_ms(now)?, current_replicas, &values))
    }

    /// The HPA spec KEDA creates.
    #[wasm_bindgen(js_name = hpaSpec)]
    pub fn hpa_spec(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.hpa_spec())
    }
}

/// Whether a KEDA trigger with this value is active.
#[wasm_bindgen(js_name = kedaActivation)]
pub fn keda_activation(value: f64, activation_threshold: Option<f64>) -> bool {
    keda_is_active(value, activation_threshold.unwrap_or(0.0))
}

fn sim_in(config: JsValue) -> Result<cnarch_core::autoscale::simulate::SimConfig, JsValue> {
    let mut c = snake_in(config, "a simulation configuration")?;
    if let serde_json::Value::Object(map) = &mut c {
        for key in ["hpa", "kpa"] {
            if let Some(v) = map.remove(key) {
                map.insert("scaler".into(), serde_json::json!({ key: v }));
            }
        }
    }
    sim_config_from_json(&c, MS).map_err(invalid)
}

/// The timeline's times and the duration in milliseconds (the `*Seconds` totals keep their
/// unit).
fn result_ms(
    mut r: cnarch_core::autoscale::simulate::SimResult,
) -> cnarch_core::autoscale::simulate::SimResult {
    for t in r.timeline.time.iter_mut() {
        *t *= 1000.0;
    }
    r.summary.duration *= 1000.0;
    r
}

/// Replays `trace` (`[[ms, demand], ...]` or `{time: [...], demand: [...]}`) through `config`
/// (`{hpa: spec}` or `{kpa: {...}}`, `pod`, `tick`, `scrapeInterval`, `metricWindow`,
/// `initialReplicas`, `demandNoise`; ms). Returns `{timeline: {time (ms), demand, ...},
/// summary}`.
#[wasm_bindgen]
pub fn simulate(config: JsValue, trace: JsValue, seed: Option<u64>) -> Result<JsValue, JsValue> {
    let c = sim_in(config)?;
    let t = trace_from_json(&json_in(trace, "a trace")?, MS).map_err(invalid)?;
    let r = core_simulate(&c, &t, seed.unwrap_or(0)).map_err(invalid)?;
    camel_out(&result_ms(r))
}

/// Both configurations on the same trace and seed.
#[wasm_bindgen]
pub fn compare(
    a: JsValue,
    b: JsValue,
    trace: JsValue,
    seed: Option<u64>,
) -> Result<JsValue, JsValue> {
    let (a, b) = (sim_in(a)?, sim_in(b)?);
    let t = trace_from_json(&json_in(trace, "a trace")?, MS).map_err(invalid)?;
    let mut c = core_compare(&a, &b, &t, seed.unwrap_or(0)).map_err(invalid)?;
    c.a = result_ms(c.a);
    c.b = result_ms(c.b);
    camel_out(&c)
}

// ---- slo and alerting (durations in milliseconds, or strings like "30d") -------------------

fn objective_in(o: f64) -> Result<Objective, JsValue> {
    Objective::new(o).map_err(|e| range_error(&e, e.code()))
}

/// Milliseconds (a number) or a duration string, as a std duration.
fn span_in(v: &JsValue, what: &str) -> Result<std::time::Duration, JsValue> {
    if let Some(ms) = v.as_f64() {
        return millis(ms);
    }
    if let Some(s) = v.as_string() {
        return parse_any(&s).ok().and_then(|d| d.to_std()).ok_or_else(|| {
            error(
                "TypeError",
                &format!(
                    "expected {what} as milliseconds or a duration like \"30d\", found \"{s}\""
                ),
                "invalid_argument",
            )
        });
    }
    Err(error(
        "TypeError",
        &format!("expected {what} as milliseconds or a duration string"),
        "invalid_argument",
    ))
}

fn ms_opt(d: Option<std::time::Duration>) -> JsValue {
    d.map_or(JsValue::NULL, |d| JsValue::from_f64(ms(d)))
}

/// `{start, end}` (ms since the epoch, end exclusive) of the calendar `unit` (`day`, `week`
/// from Monday, `month`, `quarter`) containing `at` (ms or a Date) in a fixed UTC offset
/// (`"UTC"`, `"+02:00"`). IANA zones are refused: the tz database is not in this build.
#[wasm_bindgen(js_name = calendarWindow)]
pub fn calendar_window(
    at: JsValue,
    unit: Option<String>,
    zone: Option<String>,
) -> Result<JsValue, JsValue> {
    use cnarch_core::slo::window::{CalendarUnit, CalendarWindow};
    let ms_at = if let Some(d) = at.dyn_ref::<js_sys::Date>() {
        d.get_time()
    } else {
        at.as_f64().ok_or_else(|| {
            error(
                "TypeError",
                "expected at as ms since the epoch or a Date",
                "invalid_argument",
            )
        })?
    };
    if !ms_at.is_finite() || ms_at.abs() > 8.64e15 {
        return Err(range_error(
            format!("expected a valid date, found {ms_at}"),
            "invalid_argument",
        ));
    }
    let u: CalendarUnit = unit
        .as_deref()
        .unwrap_or("month")
        .parse()
        .map_err(|e: cnarch_core::slo::window::WindowError| range_error(&e, e.code()))?;
    let (start, end) = CalendarWindow::containing(
        u,
        zone.as_deref().unwrap_or("UTC"),
        (ms_at / 1000.0).floor() as i64,
    )
    .map_err(|e| range_error(&e, e.code()))?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"start".into(), &((start as f64) * 1000.0).into());
    let _ = js_sys::Reflect::set(&out, &"end".into(), &((end as f64) * 1000.0).into());
    Ok(out.into())
}

/// A budget-math refusal as a RangeError, the argument named as JavaScript calls it.
fn budget_error(e: slo_budget::BudgetInputError) -> JsValue {
    range_error(snake_to_camel_prefix(&e.to_string()), e.code())
}

/// `"error_ratio: ..."` as `"errorRatio: ..."`.
fn snake_to_camel_prefix(text: &str) -> String {
    match text.split_once(':') {
        Some((arg, rest)) => format!("{}:{rest}", snake_to_camel(arg)),
        None => text.to_string(),
    }
}

/// Error ratio over the error budget.
#[wasm_bindgen(js_name = burnRate)]
pub fn burn_rate(error_ratio: f64, objective: f64) -> Result<f64, JsValue> {
    slo_budget::burn_rate(error_ratio, &objective_in(objective)?).map_err(budget_error)
}

/// window / burn rate in ms; `null` at an error ratio of 0.
#[wasm_bindgen(js_name = timeToExhaustion)]
pub fn time_to_exhaustion(
    objective: f64,
    window: JsValue,
    error_ratio: f64,
) -> Result<JsValue, JsValue> {
    Ok(ms_opt(
        slo_budget::time_to_exhaustion(
            &objective_in(objective)?,
            span_in(&window, "window")?,
            error_ratio,
        )
        .map_err(budget_error)?,
    ))
}

/// window × (1 − objective) in ms.
#[wasm_bindgen(js_name = allowedBadTime)]
pub fn allowed_bad_time(objective: f64, window: JsValue) -> Result<f64, JsValue> {
    Ok(ms(slo_budget::allowed_bad_time(
        &objective_in(objective)?,
        span_in(&window, "window")?,
    )))
}

/// ⌊total × (1 − objective)⌋.
#[wasm_bindgen(js_name = allowedBadEvents)]
pub fn allowed_bad_events(objective: f64, total_events: f64) -> Result<f64, JsValue> {
    if !(total_events >= 0.0 && total_events.fract() == 0.0 && total_events < 9.0e15) {
        return Err(error(
            "TypeError",
            "expected totalEvents as a whole number of events",
            "invalid_argument",
        ));
    }
    Ok(slo_budget::allowed_bad_events(&objective_in(objective)?, total_events as u64) as f64)
}

/// The fraction of a period's budget `duration` at `errorRatio` consumes.
#[wasm_bindgen(js_name = budgetConsumed)]
pub fn budget_consumed(
    error_ratio: f64,
    objective: f64,
    duration: JsValue,
    period: JsValue,
) -> Result<f64, JsValue> {
    slo_budget::budget_consumed(
        error_ratio,
        &objective_in(objective)?,
        span_in(&duration, "duration")?,
        span_in(&period, "period")?,
    )
    .map_err(budget_error)
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
        span_in(&period, "period")?,
        span_in(&long_window, "longWindow")?,
    )
    .map_err(budget_error)
}

/// Detection time in ms (`null`: never fires).
#[wasm_bindgen(js_name = detectionTime)]
pub fn detection_time(
    objective: f64,
    error_ratio: f64,
    alert_window: JsValue,
    factor: f64,
) -> Result<JsValue, JsValue> {
    Ok(ms_opt(
        slo_budget::detection_time(
            &objective_in(objective)?,
            error_ratio,
            span_in(&alert_window, "alertWindow")?,
            factor,
        )
        .map_err(budget_error)?,
    ))
}

/// Reset time in ms (`null`: never fired).
#[wasm_bindgen(js_name = resetTime)]
pub fn reset_time(
    objective: f64,
    error_ratio: f64,
    alert_window: JsValue,
    factor: f64,
) -> Result<JsValue, JsValue> {
    Ok(ms_opt(
        slo_budget::reset_time(
            &objective_in(objective)?,
            error_ratio,
            span_in(&alert_window, "alertWindow")?,
            factor,
        )
        .map_err(budget_error)?,
    ))
}

/// `{sli, total, bad, allowedBad, consumed, remaining, remainingEvents}`.
#[wasm_bindgen(js_name = budgetStatus)]
pub fn budget_status(objective: f64, good: f64, total: f64) -> Result<JsValue, JsValue> {
    camel_out(&slo_budget::budget_status(
        &objective_in(objective)?,
        good.max(0.0) as u64,
        total.max(0.0) as u64,
    ))
}

/// Multiwindow multi-burn-rate rules over an SLO period (ms).
#[wasm_bindgen]
#[derive(Debug)]
pub struct MultiwindowPolicy(CorePolicy);

#[wasm_bindgen]
impl MultiwindowPolicy {
    /// Sloth's four alerts with factors for `period` (default 30 days).
    pub fn standard(period: JsValue) -> Result<MultiwindowPolicy, JsValue> {
        let p = if period.is_undefined() {
            std::time::Duration::from_secs(30 * 86400)
        } else {
            span_in(&period, "period")?
        };
        Ok(MultiwindowPolicy(CorePolicy::standard(p)))
    }

    /// Pyrra's windows scaled to `period` (default 28 days).
    pub fn pyrra(period: JsValue) -> Result<MultiwindowPolicy, JsValue> {
        let p = if period.is_undefined() {
            std::time::Duration::from_secs(28 * 86400)
        } else {
            span_in(&period, "period")?
        };
        Ok(MultiwindowPolicy(CorePolicy::pyrra(p)))
    }

    /// Custom rules (`[{longWindow, shortWindow, factor, severity, for}]`, ms or duration
    /// strings) over `period`, e.g. to reproduce the workbook's single-window approaches.
    #[wasm_bindgen(js_name = fromRules)]
    pub fn from_rules(period: JsValue, rules: Vec<JsValue>) -> Result<MultiwindowPolicy, JsValue> {
        let p = span_in(&period, "period")?.as_secs_f64();
        let rows = rules
            .iter()
            .map(|r| {
                let get =
                    |k: &str| js_sys::Reflect::get(r, &k.into()).unwrap_or(JsValue::UNDEFINED);
                let long = span_in(&get("longWindow"), "longWindow")?.as_secs_f64();
                let short = match get("shortWindow") {
                    v if v.is_undefined() => long / 12.0,
                    v => span_in(&v, "shortWindow")?.as_secs_f64(),
                };
                let opt = |k: &str| -> Result<f64, JsValue> {
                    match get(k) {
                        v if v.is_undefined() || v.is_null() => Ok(0.0),
                        v => Ok(span_in(&v, k)?.as_secs_f64()),
                    }
                };
                Ok((
                    long,
                    short,
                    get("factor").as_f64().unwrap_or(f64::NAN),
                    get("severity").as_string().unwrap_or_else(|| "page".into()),
                    opt("for")?,
                    opt("keepFiringFor")?,
                ))
            })
            .collect::<Result<Vec<_>, JsValue>>()?;
        CorePolicy::from_seconds(p, &rows)
            .map(MultiwindowPolicy)
            .map_err(|e| range_error(e, "invalid_policy"))
    }

    /// `[{longWindow, shortWindow, factor, severity, for}]` (ms).
    #[wasm_bindgen(getter)]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        let rows: Vec<serde_json::Value> = self
            .0
            .rules
            .iter()
            .map(|r| serde_json::json!({"longWindow": ms(r.long_window), "shortWindow": ms(r.short_window), "factor": r.factor, "severity": r.severity, "for": ms(r.for_), "keepFiringFor": ms(r.keep_firing_for)}))
            .collect();
        to_js(&rows)
    }

    /// Findings: `never_fires`, `low_traffic`.
    pub fn validate(
        &self,
        objective: f64,
        events_per_second: Option<f64>,
        min_events: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let findings = self
            .0
            .validate(
                &objective_in(objective)?,
                events_per_second,
                min_events.unwrap_or(10.0),
            )
            .map_err(|e| range_error(snake_to_camel_prefix(&e), "invalid_argument"))?;
        camel_out(&findings)
    }
}

/// Replays `policy` over a series (timestamps in ms; events per sample): per rule the states
/// and episodes (times and durations in ms).
#[wasm_bindgen]
pub fn evaluate(
    policy: &MultiwindowPolicy,
    objective: f64,
    timestamps: Vec<f64>,
    good: Vec<f64>,
    total: Vec<f64>,
) -> Result<JsValue, JsValue> {
    let t: Vec<f64> = timestamps.iter().map(|x| x / 1000.0).collect();
    let e =
        slo_evaluate(&policy.0, &objective_in(objective)?, &t, &good, &total).map_err(invalid)?;
    evaluation_out(e)
}

/// An evaluation with its times in ms.
fn evaluation_out(mut e: cnarch_core::alerting::evaluate::Evaluation) -> Result<JsValue, JsValue> {
    for r in e.rules.iter_mut() {
        r.long_window *= 1000.0;
        r.short_window *= 1000.0;
        for ep in r.episodes.iter_mut() {
            ep.pending_at *= 1000.0;
            for x in [
                &mut ep.fired_at,
                &mut ep.resolved_at,
                &mut ep.detection_time,
                &mut ep.reset_time,
            ]
            .into_iter()
            .flatten()
            {
                *x *= 1000.0;
            }
        }
    }
    camel_out(&e)
}

/// As `evaluate`, from per-sample error ratios (NaN: no data).
#[wasm_bindgen(js_name = evaluateRatios)]
pub fn evaluate_ratios(
    policy: &MultiwindowPolicy,
    objective: f64,
    timestamps: Vec<f64>,
    error_ratios: Vec<f64>,
) -> Result<JsValue, JsValue> {
    let t: Vec<f64> = timestamps.iter().map(|x| x / 1000.0).collect();
    let e = cnarch_core::alerting::evaluate::evaluate_ratios(
        &policy.0,
        &objective_in(objective)?,
        &t,
        &error_ratios,
    )
    .map_err(|mut v| {
        for x in v.iter_mut() {
            x.path = x.path.replace("error_ratios", "errorRatios");
        }
        invalid(v)
    })?;
    evaluation_out(e)
}

/// The SLI of `[t, good, total]` samples by an OpenSLO budgeting method: `{method:
/// "occurrences" | "timeslices" | "ratio_timeslices", sliceSeconds?, target?}`.
#[wasm_bindgen]
pub fn sli(samples: JsValue, method: JsValue) -> Result<Option<f64>, JsValue> {
    let s: Vec<(f64, f64, f64)> = from_js(samples, "samples as [t, good, total] triples")?;
    let m: cnarch_core::slo::window::BudgetingMethod =
        serde_json::from_value(snake_in(method, "a budgeting method")?).map_err(|e| {
            error(
                "TypeError",
                &format!("expected a budgeting method: {e}"),
                "invalid_argument",
            )
        })?;
    cnarch_core::slo::window::sli(m, &s).map_err(invalid)
}

/// Prometheus rule groups (YAML) with Sloth's names, from a Sloth `prometheus/v1` spec or a
/// ServiceLevelObjectives document (for `service`).
#[wasm_bindgen(js_name = prometheusRules)]
pub fn prometheus_rules(
    spec: JsValue,
    period: JsValue,
    service: Option<String>,
) -> Result<String, JsValue> {
    let v = json_in(spec, "a Sloth spec or a ServiceLevelObjectives document")?;
    let sloth = slo_spec_from_json(&v, service.as_deref()).map_err(invalid)?;
    let p = if period.is_undefined() || period.is_null() {
        std::time::Duration::from_secs(30 * 86400)
    } else {
        span_in(&period, "period")?
    };
    Ok(cnarch_core::slo::rules::generate(&sloth, p)
        .map_err(invalid)?
        .to_yaml())
}

/// One alert's state as Prometheus evaluates it (ms).
#[wasm_bindgen]
#[derive(Debug)]
pub struct AlertRule(CoreAlertRule);

#[wasm_bindgen]
impl AlertRule {
    /// `for` and `keepFiringFor` in ms (or duration strings).
    #[wasm_bindgen(constructor)]
    pub fn new(for_: JsValue, keep_firing_for: JsValue) -> Result<AlertRule, JsValue> {
        let d = |v: &JsValue, w: &str| {
            if v.is_undefined() || v.is_null() {
                Ok(0.0)
            } else {
                span_in(v, w).map(|d| d.as_secs_f64())
            }
        };
        Ok(AlertRule(CoreAlertRule::new(
            d(&for_, "for")?,
            d(&keep_firing_for, "keepFiringFor")?,
        )))
    }

    /// One evaluation at `t` (ms): `"inactive"`, `"pending"` or `"firing"`.
    pub fn eval(&mut self, t: f64, active: bool) -> Result<String, JsValue> {
        self.0
            .try_eval(t / 1000.0, active)
            .map(|s| s.as_str().to_string())
            .map_err(|e| range_error(e, "invalid_argument"))
    }

    /// The state.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.0.state().as_str().to_string()
    }
}

const ROUTING_TIMES: [&str; 6] = [
    "starts_at",
    "ends_at",
    "group_wait",
    "group_interval",
    "repeat_interval",
    "delay",
];

/// Scales the named time fields from ms to seconds.
fn seconds_in(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.into_iter()
                .map(|(k, x)| {
                    let x = match (&x, ROUTING_TIMES.contains(&k.as_str())) {
                        (serde_json::Value::Number(n), true) => {
                            serde_json::json!(n.as_f64().unwrap_or(0.0) / 1000.0)
                        }
                        _ => seconds_in(x),
                    };
                    (k, x)
                })
                .collect(),
        ),
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(seconds_in).collect())
        }
        other => other,
    }
}

/// Alertmanager's notifications (ms): alerts `{labels, startsAt, endsAt}`, options `{route:
/// {groupBy, groupWait, groupInterval, repeatInterval, sendResolved}, inhibit: [{sourceMatchers,
/// targetMatchers, equal}], until}`.
#[wasm_bindgen]
pub fn notifications(alerts: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let alerts = seconds_in(rename_keys(
        json_in(alerts, "alerts")?,
        camel_to_snake,
        &["labels"],
    ));
    let o = seconds_in(rename_keys(
        json_in(options, "options")?,
        camel_to_snake,
        &["labels"],
    ));
    let until = o
        .get("until")
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| {
            error(
                "TypeError",
                "expected options.until in ms",
                "invalid_argument",
            )
        })?
        / 1000.0;
    let (route, inhibit, alerts) = routing_inputs(
        o.get("route").unwrap_or(&serde_json::Value::Null),
        o.get("inhibit").unwrap_or(&serde_json::Value::Null),
        &alerts,
    )
    .map_err(invalid)?;
    let mut out = core_notifications(&route, &inhibit, &alerts, until).map_err(invalid)?;
    for n in out.iter_mut() {
        n.at *= 1000.0;
    }
    camel_out(&out)
}

/// An escalation policy's notices for one alert (ms).
#[wasm_bindgen]
pub fn escalation(policy: JsValue, alert: JsValue, until: Option<f64>) -> Result<JsValue, JsValue> {
    let p = seconds_in(rename_keys(
        json_in(policy, "an escalation policy")?,
        camel_to_snake,
        &["labels"],
    ));
    let a = seconds_in(rename_keys(
        json_in(alert, "an alert")?,
        camel_to_snake,
        &["labels"],
    ));
    let (p, a) = escalation_inputs(&p, &a).map_err(invalid)?;
    let mut out = p
        .notices(&a, until.map_or(f64::INFINITY, |u| u / 1000.0))
        .map_err(invalid)?;
    for n in out.iter_mut() {
        n.at *= 1000.0;
    }
    camel_out(&out)
}
