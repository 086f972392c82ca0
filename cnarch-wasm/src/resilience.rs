//! Resilience: the circuit breaker (with `execute`), retry policies, conditions and budgets,
//! rate limiters, the bulkhead and outlier detection. Times are milliseconds.

use std::rc::Rc;

use cnarch_core::ffi;
use cnarch_core::resilience::breaker::{
    CircuitBreaker as CoreBreaker, Outcome, Permit as CorePermit, State,
};
use cnarch_core::resilience::budget::{
    RetryBudget as CoreBudget, RetryQuota as CoreQuota, RetryThrottle as CoreThrottle,
};
use cnarch_core::resilience::bulkhead::{Admission, Bulkhead as CoreBulkhead, Ticket};
use cnarch_core::resilience::outlier::{
    HostResult, OutlierAction, OutlierConfig, OutlierDetector as CoreOutlier,
};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket as CoreBucket};
use cnarch_core::resilience::retry::RetryPolicy as CoreRetry;
use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn as CoreRetryOn};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{
    data, millis, ms, number, opt_data, opt_string, out, string, time, to_js_value, whole,
    whole_f64,
};
use crate::error::{set, to_js, type_error, OrJs, HOST};

/// Permission for one call; give it back to `CircuitBreaker.record`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Permit(CorePermit);

/// A circuit breaker with resilience4j's model (times in milliseconds).
#[wasm_bindgen]
#[derive(Debug)]
pub struct CircuitBreaker(Rc<CoreBreaker>);

fn rejected_js(r: &cnarch_core::resilience::breaker::Rejected) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "state", &r.state.as_str().into());
    set(
        &o,
        "retryAfter",
        &r.retry_after
            .map(ms)
            .map_or(JsValue::NULL, JsValue::from_f64),
    );
    o
}

fn outcome(success: Option<bool>, d: std::time::Duration) -> Outcome {
    match success {
        Some(true) => Outcome::success(d),
        Some(false) => Outcome::failure(d),
        None => Outcome::ignored(d),
    }
}

/// One `transitionTo*` method per state.
macro_rules! transitions {
    ($($js:literal $rust:ident $state:ident),*) => {
        #[wasm_bindgen]
        impl CircuitBreaker {
            $(
                #[doc = concat!("Moves to `", stringify!($state), "` by hand.")]
                #[wasm_bindgen(js_name = $js)]
                pub fn $rust(&self, now: f64) -> Result<(), JsValue> {
                    self.0.transition_to(time(now, "now")?, State::$state);
                    Ok(())
                }
            )*
        }
    };
}

transitions!(
    "transitionToClosed" transition_to_closed Closed,
    "transitionToOpen" transition_to_open Open,
    "transitionToHalfOpen" transition_to_half_open HalfOpen,
    "transitionToDisabled" transition_to_disabled Disabled,
    "transitionToForcedOpen" transition_to_forced_open ForcedOpen,
    "transitionToMetricsOnly" transition_to_metrics_only MetricsOnly
);

#[wasm_bindgen]
impl CircuitBreaker {
    /// Keys are resilience4j's in camelCase; durations in milliseconds or duration text;
    /// absent keys take resilience4j's defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<CircuitBreaker, JsValue> {
        ffi::resilience::circuit_breaker(HOST, opt_data(&config, "config")?.as_ref())
            .map(|b| CircuitBreaker(Rc::new(b)))
            .or_js()
    }

    /// A breaker with `config` in the state of `snapshot` (from `snapshot()`); `ConfigError`
    /// when it does not fit the configuration.
    pub fn restore(config: JsValue, snapshot: JsValue) -> Result<CircuitBreaker, JsValue> {
        ffi::resilience::restore_breaker(
            HOST,
            opt_data(&config, "config")?.as_ref(),
            &data(&snapshot, "snapshot")?,
        )
        .map(|b| CircuitBreaker(Rc::new(b)))
        .or_js()
    }

    /// The breaker's state as plain data (JSON-serializable); times are nanoseconds on the
    /// caller's clock.
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js_value(&self.0.snapshot())
    }

    /// Calls `fn` (sync or async) under the breaker, timed with `clock` (default
    /// `performance.now`, the monotonic clock); resolves to its result, rejects with its error
    /// (counted as a failure, except an inner breaker's `CallNotPermittedError`, which is not
    /// counted) or with a `CallNotPermittedError` (`state`, `retryAfter`) when refused.
    pub fn execute(&self, f: JsValue, clock: JsValue) -> Result<js_sys::Promise, JsValue> {
        let f: js_sys::Function = f
            .dyn_into()
            .map_err(|v| type_error("fn", "a function", &v))?;
        let clock: Option<js_sys::Function> = if clock.is_undefined() || clock.is_null() {
            None
        } else {
            Some(
                clock
                    .dyn_into()
                    .map_err(|v| type_error("clock", "a function", &v))?,
            )
        };
        let b = Rc::clone(&self.0);
        Ok(wasm_bindgen_futures::future_to_promise(async move {
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
                number(&v, "clock()")
            };
            let start = now()?;
            let permit = match b.try_acquire(time(start, "now")?) {
                Ok(p) => p,
                Err(r) => {
                    let e = to_js(ffi::Error {
                        kind: cnarch_core::error::ErrorKind::NotPermitted,
                        code: "call_not_permitted",
                        message: format!("call not permitted: breaker is {}", r.state),
                        path: None,
                        position: None,
                        violations: Vec::new(),
                    });
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
            let took = millis((end - start).max(0.0), "duration")?;
            let recorded = match &settled {
                Ok(_) => Some(true),
                Err(e) => {
                    let code = js_sys::Reflect::get(e, &"code".into())
                        .ok()
                        .and_then(|c| c.as_string());
                    if code.as_deref() == Some("call_not_permitted") {
                        None
                    } else {
                        Some(false)
                    }
                }
            };
            b.record(time(end, "now")?, permit, outcome(recorded, took));
            settled
        }))
    }

    /// A `Permit`, or `{state, retryAfter}` (milliseconds or `null`) when refused.
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&self, now: f64) -> Result<JsValue, JsValue> {
        match self.0.try_acquire(time(now, "now")?) {
            Ok(p) => Ok(Permit(p).into()),
            Err(r) => Ok(rejected_js(&r)),
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
        let d = millis(duration.unwrap_or(0.0), "duration")?;
        self.0
            .record(time(now, "now")?, permit.0, outcome(success, d));
        Ok(())
    }

    /// The state at `now`.
    pub fn state(&self, now: f64) -> Result<String, JsValue> {
        Ok(self.0.state(time(now, "now")?).to_string())
    }

    /// Rates and counts at `now`.
    pub fn metrics(&self, now: f64) -> Result<JsValue, JsValue> {
        out(&self.0.metrics(time(now, "now")?))
    }
}

/// Attempts, backoff and jitter; `delays(seed)` in milliseconds.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryPolicy(CoreRetry);

#[wasm_bindgen]
impl RetryPolicy {
    /// `new RetryPolicy({maxAttempts, backoff, initial, multiplier, maxDelay, jitter})`
    /// (absent: exponential ×2 from 100 ms, capped at 10 s, full jitter; times in ms or
    /// duration text), or the positional form `(maxAttempts, backoff, initial, multiplier,
    /// maxDelay, jitter)`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: JsValue,
        backoff: JsValue,
        initial: JsValue,
        multiplier: JsValue,
        max_delay: JsValue,
        jitter: JsValue,
    ) -> Result<RetryPolicy, JsValue> {
        let o = if options.as_f64().is_some() {
            let mut o = serde_json::Map::new();
            o.insert(
                "maxAttempts".into(),
                whole::<u32>(&options, "maxAttempts")?.into(),
            );
            if let Some(b) = opt_string(&backoff, "backoff")? {
                o.insert("backoff".into(), b.into());
            }
            for (v, k) in [
                (&initial, "initial"),
                (&multiplier, "multiplier"),
                (&max_delay, "maxDelay"),
            ] {
                if !(v.is_undefined() || v.is_null()) {
                    let x = number(v, k)?;
                    let n = serde_json::Number::from_f64(x)
                        .ok_or_else(|| to_js(ffi::Error::number(k, "to be a finite number", x)))?;
                    o.insert(k.into(), n.into());
                }
            }
            if let Some(j) = opt_string(&jitter, "jitter")? {
                o.insert("jitter".into(), j.into());
            }
            Some(serde_json::Value::Object(o))
        } else if options.is_object() {
            Some(data(&options, "options")?)
        } else {
            return Err(type_error(
                "options",
                "an options object or maxAttempts",
                &options,
            ));
        };
        ffi::resilience::retry_policy(HOST, o.as_ref())
            .map(RetryPolicy)
            .or_js()
    }

    /// Envoy's router defaults.
    pub fn envoy() -> RetryPolicy {
        RetryPolicy(CoreRetry::envoy())
    }

    /// gRFC A6 (seconds, as in the service config).
    pub fn grpc(
        max_attempts: JsValue,
        initial_backoff: JsValue,
        max_backoff: JsValue,
        backoff_multiplier: JsValue,
    ) -> Result<RetryPolicy, JsValue> {
        CoreRetry::grpc(
            whole(&max_attempts, "maxAttempts")?,
            number(&initial_backoff, "initialBackoff")?,
            number(&max_backoff, "maxBackoff")?,
            number(&backoff_multiplier, "backoffMultiplier")?,
        )
        .map(RetryPolicy)
        .or_js()
    }

    /// The waits (milliseconds) before attempts 2..maxAttempts; `seed` is a number or a
    /// BigInt.
    pub fn delays(&self, seed: JsValue) -> Result<Vec<f64>, JsValue> {
        let s = crate::convert::seed(&seed, "seed")?;
        Ok(self.0.delays(s).into_iter().map(ms).collect())
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
                let burst: u64 = whole_f64(burst, "burst")?;
                CoreBucket::new(rate, burst).map($name).or_js()
            }

            /// `{allowed, retryAfter}` (milliseconds); `RangeError` when `n` exceeds the burst.
            pub fn check(&mut self, now: f64, n: Option<f64>) -> Result<JsValue, JsValue> {
                let n: u64 = whole_f64(n.unwrap_or(1.0), "n")?;
                self.0.check(time(now, "now")?, n).map(decision_js).or_js()
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
        let max_concurrent: u32 = whole_f64(max_concurrent, "maxConcurrent")?;
        let max_queued: u32 = whole_f64(max_queued.unwrap_or(0.0), "maxQueued")?;
        let wait = max_wait.map(|w| millis(w, "maxWait")).transpose()?;
        CoreBulkhead::new(max_concurrent, max_queued, wait)
            .map(Bulkhead)
            .or_js()
    }

    /// `{admitted, queued, ticket}` (`ticket` is a number when queued, else `null`).
    #[wasm_bindgen(js_name = tryEnter)]
    pub fn try_enter(&self, now: f64) -> Result<JsValue, JsValue> {
        let a = self.0.try_enter(time(now, "now")?);
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
            .release(time(now, "now")?)
            .map(|t| t.map(|t| t.0 as f64))
            .or_js()
    }

    /// Leaves the queue.
    pub fn cancel(&self, ticket: f64) -> bool {
        self.0.cancel(Ticket(ticket as u64))
    }

    /// Drops waiters past `maxWait`; returns their tickets.
    pub fn expire(&self, now: f64) -> Result<Vec<f64>, JsValue> {
        Ok(self
            .0
            .expire(time(now, "now")?)
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

/// A status number or a name, parsed by the core.
fn named<T: std::str::FromStr>(v: &JsValue, argument: &str, what: &str) -> Result<T, JsValue>
where
    T::Err: cnarch_core::error::Coded,
{
    let text = match (v.as_f64(), v.as_string()) {
        (Some(n), _) if n.fract() == 0.0 => format!("{n}"),
        (_, Some(s)) => s,
        _ => return Err(type_error(argument, what, v)),
    };
    text.parse().or_js()
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

    /// What Istio's `outlierDetection` programs into Envoy (success-rate ejection off).
    pub fn istio(
        consecutive5xx_errors: f64,
        interval: f64,
        base_ejection_time: f64,
        hosts: Option<Vec<String>>,
        start: Option<f64>,
        seed: JsValue,
    ) -> Result<OutlierDetector, JsValue> {
        let seed = crate::convert::seed(&seed, "seed")?;
        let c = OutlierConfig::istio(
            whole_f64(consecutive5xx_errors, "consecutive5xxErrors")?,
            millis(interval, "interval")?,
            millis(base_ejection_time, "baseEjectionTime")?,
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

/// Envoy / Istio / gRPC retry conditions.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RetryOn(CoreRetryOn);

#[wasm_bindgen]
impl RetryOn {
    /// Envoy's comma-separated `retry_on`, plus `retriable-status-codes`.
    #[wasm_bindgen(constructor)]
    pub fn new(retry_on: JsValue, status_codes: Option<Vec<u16>>) -> Result<RetryOn, JsValue> {
        CoreRetryOn::parse(&string(&retry_on, "retryOn")?)
            .map(|r| RetryOn(r.with_status_codes(&status_codes.unwrap_or_default())))
            .or_js()
    }

    /// gRFC A6's `retryableStatusCodes`.
    pub fn grpc(codes: Vec<String>) -> Result<RetryOn, JsValue> {
        CoreRetryOn::grpc(&codes).map(RetryOn).or_js()
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
            "outcome",
            "an HTTP status or a name such as \"grpc:UNAVAILABLE\"",
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
    /// `ConfigError` outside gRFC A6's limits (maxTokens in (0, 1000], tokenRatio > 0).
    #[wasm_bindgen(constructor)]
    pub fn new(max_tokens: f64, token_ratio: f64) -> Result<RetryThrottle, JsValue> {
        CoreThrottle::new(whole_f64(max_tokens, "maxTokens")?, token_ratio)
            .map(RetryThrottle)
            .or_js()
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
    /// Envoy's defaults: 20 % and 3.
    #[wasm_bindgen(constructor)]
    pub fn new(
        budget_percent: Option<f64>,
        min_retry_concurrency: Option<f64>,
    ) -> Result<RetryBudget, JsValue> {
        let d = CoreBudget::default();
        CoreBudget::new(
            budget_percent.unwrap_or(d.budget_percent),
            match min_retry_concurrency {
                Some(n) => whole_f64(n, "minRetryConcurrency")?,
                None => d.min_retry_concurrency,
            },
        )
        .map(RetryBudget)
        .or_js()
    }
    /// Retries allowed with this many active requests.
    #[wasm_bindgen(js_name = maxActiveRetries)]
    pub fn max_active_retries(&self, active_requests: f64) -> Result<u32, JsValue> {
        Ok(self
            .0
            .max_active_retries(whole_f64(active_requests, "activeRequests")?))
    }
    /// May one more retry start?
    #[wasm_bindgen(js_name = allowsRetry)]
    pub fn allows_retry(&self, active_requests: f64, active_retries: f64) -> Result<bool, JsValue> {
        Ok(self.0.allows_retry(
            whole_f64(active_requests, "activeRequests")?,
            whole_f64(active_retries, "activeRetries")?,
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
