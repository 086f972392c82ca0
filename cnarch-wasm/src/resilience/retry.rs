//! Retry policies, Envoy's and gRPC's retry conditions, and retry budgets.

use cnarch_core::ffi;
use cnarch_core::resilience::budget::{
    RetryBudget as CoreBudget, RetryQuota as CoreQuota, RetryThrottle as CoreThrottle,
};
use cnarch_core::resilience::retry::RetryPolicy as CoreRetry;
use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn as CoreRetryOn};
use wasm_bindgen::prelude::*;

use crate::convert::{data, ms, number, positional, status_or_name, string, whole, whole_f64};
use crate::error::{type_error, OrJs, HOST};

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
            // maxAttempts is checked here so that `new RetryPolicy(2.5)` is a RangeError
            // naming it, as before; the rest is read by the core as in the options form.
            whole::<u32>(&options, "maxAttempts")?;
            Some(positional(&[
                ("maxAttempts", &options),
                ("backoff", &backoff),
                ("initial", &initial),
                ("multiplier", &multiplier),
                ("maxDelay", &max_delay),
                ("jitter", &jitter),
            ])?)
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
        let o: CallOutcome = status_or_name::<CallOutcome>(
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
