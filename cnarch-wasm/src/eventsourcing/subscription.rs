//! Catch-up and persistent subscriptions.

use cnarch_core::eventsourcing::{CatchUp, Persistent};
use cnarch_core::ffi::eventsourcing as es;
use wasm_bindgen::prelude::*;

use super::EventStore;
use crate::convert::{maybe_whole, opt_data, string, to_js_value};
use crate::error::{OrJs, HOST};

/// A catch-up subscription.
#[wasm_bindgen]
#[derive(Debug)]
pub struct CatchUpSubscription(CatchUp);

#[wasm_bindgen]
impl CatchUpSubscription {
    /// A subscription to `source` (a stream name, or `null` or `{streamPrefixes,
    /// eventTypePrefixes}` for the global log); `options`: `{checkpoint, batchSize}`.
    #[wasm_bindgen(constructor)]
    pub fn new(source: JsValue, options: JsValue) -> Result<CatchUpSubscription, JsValue> {
        let src = opt_data(&source, "source")?;
        let o = opt_data(&options, "options")?;
        es::catch_up(HOST, src.as_ref(), o.as_ref())
            .map(CatchUpSubscription)
            .or_js()
    }

    /// The next batch at `now`: `{events, checkpoint, caughtUp}`.
    pub fn poll(&mut self, store: &EventStore, now: f64) -> Result<JsValue, JsValue> {
        to_js_value(&es::poll(HOST, &mut self.0, &store.0, now).or_js()?)
    }

    /// The handler finished everything up to `checkpoint`.
    pub fn ack(&mut self, checkpoint: JsValue) -> Result<(), JsValue> {
        let cp = maybe_whole::<u64>(&checkpoint, "checkpoint")?;
        self.0.ack(cp).or_js()
    }

    /// The next poll delivers again after the acknowledged checkpoint.
    pub fn rewind(&mut self) {
        self.0.rewind();
    }

    /// The acknowledged checkpoint (what to store), or `undefined`.
    #[wasm_bindgen(getter)]
    pub fn checkpoint(&self) -> Option<f64> {
        self.0.checkpoint().map(|c| c as f64)
    }

    /// Whether a poll has reached the end of the source.
    #[wasm_bindgen(getter)]
    pub fn live(&self) -> bool {
        self.0.is_live()
    }
}

/// A persistent subscription (one consumer group).
#[wasm_bindgen]
#[derive(Debug)]
pub struct PersistentSubscription(Persistent);

#[wasm_bindgen]
impl PersistentSubscription {
    /// A group on `source`; `options`: `{startAfter, maxRetryCount, messageTimeout (ms),
    /// bufferSize}`.
    #[wasm_bindgen(constructor)]
    pub fn new(source: JsValue, options: JsValue) -> Result<PersistentSubscription, JsValue> {
        let src = opt_data(&source, "source")?;
        let o = opt_data(&options, "options")?;
        es::persistent(HOST, src.as_ref(), o.as_ref())
            .map(PersistentSubscription)
            .or_js()
    }

    /// What is handed out at `now`: `[{event, retryCount}]`.
    pub fn poll(&mut self, store: &EventStore, now: f64) -> Result<JsValue, JsValue> {
        to_js_value(&es::persistent_poll(HOST, &mut self.0, &store.0, now).or_js()?)
    }

    /// The event at global `position` was handled.
    pub fn ack(&mut self, position: f64) -> Result<(), JsValue> {
        let p = crate::convert::whole_f64::<u64>(position, "position")?;
        self.0.ack(p).or_js()
    }

    /// The event at global `position` was not handled: `"retry"`, `"park"` or `"skip"`.
    pub fn nack(&mut self, position: f64, action: JsValue) -> Result<(), JsValue> {
        let p = crate::convert::whole_f64::<u64>(position, "position")?;
        let a = if action.is_undefined() {
            "retry".to_string()
        } else {
            string(&action, "action")?
        };
        es::nack(HOST, &mut self.0, p, &a).or_js()
    }

    /// The parked events: `[{position, reason}]`.
    #[wasm_bindgen(getter)]
    pub fn parked(&self) -> Result<JsValue, JsValue> {
        to_js_value(&es::parked(HOST, &self.0))
    }

    /// Hands the parked events out again.
    #[wasm_bindgen(js_name = replayParked)]
    pub fn replay_parked(&mut self, store: &EventStore) {
        self.0.replay_parked(&store.0);
    }

    /// The group's checkpoint, or `undefined`.
    #[wasm_bindgen(getter)]
    pub fn checkpoint(&self) -> Option<f64> {
        self.0.checkpoint().map(|c| c as f64)
    }

    /// Events delivered and not yet acknowledged.
    #[wasm_bindgen(getter)]
    pub fn outstanding(&self) -> f64 {
        self.0.outstanding() as f64
    }
}
