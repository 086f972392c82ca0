//! Rate limiters (one algorithm in two forms) and the bulkhead.

use cnarch_core::resilience::bulkhead::{Admission, Bulkhead as CoreBulkhead, Ticket};
use cnarch_core::resilience::ratelimit::{RateDecision, TokenBucket as CoreBucket};
use wasm_bindgen::prelude::*;

use cnarch_core::ffi;

use crate::convert::{data, ms, positional, time, whole_f64};
use crate::error::{set, type_error, OrJs, HOST};

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
    /// `new Bulkhead({maxConcurrent, maxQueued, maxWait})` (absent: no queue, no wait limit;
    /// `maxWait` in ms or duration text), or the positional form `(maxConcurrent, maxQueued,
    /// maxWait)`. `RangeError` for `maxConcurrent` of 0.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: JsValue,
        max_queued: JsValue,
        max_wait: JsValue,
    ) -> Result<Bulkhead, JsValue> {
        let o = if options.as_f64().is_some() {
            positional(&[
                ("maxConcurrent", &options),
                ("maxQueued", &max_queued),
                ("maxWait", &max_wait),
            ])?
        } else if options.is_object() {
            data(&options, "options")?
        } else {
            return Err(type_error(
                "options",
                "an options object or maxConcurrent",
                &options,
            ));
        };
        ffi::resilience::bulkhead(HOST, Some(&o))
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
