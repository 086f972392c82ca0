//! The circuit breaker, with `execute` for sync and async functions.

use std::rc::Rc;

use cnarch_core::ffi;
use cnarch_core::resilience::breaker::{
    CircuitBreaker as CoreBreaker, Outcome, Permit as CorePermit, State,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{data, millis, ms, number, opt_data, out, time, to_js_value};
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
