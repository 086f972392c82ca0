//! Replay of the global log.

use cnarch_core::eventsourcing as core_es;
use cnarch_core::ffi::eventsourcing as es;
use wasm_bindgen::prelude::*;

use super::EventStore;
use crate::convert::{opt_data, to_js_value};
use crate::error::{OrJs, HOST};

/// A replay of the global log.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Replay(core_es::Replay);

#[wasm_bindgen]
impl Replay {
    /// `options`: `{fromPosition | fromTime, toPosition | toTime, streamPrefixes,
    /// eventTypePrefixes, batchSize}` (times in ms).
    #[wasm_bindgen(constructor)]
    pub fn new(store: &EventStore, options: JsValue) -> Result<Replay, JsValue> {
        let o = opt_data(&options, "options")?;
        es::replay(HOST, &store.0, o.as_ref()).map(Replay).or_js()
    }

    /// The next batch (an array of events), or `null` when done.
    #[wasm_bindgen(js_name = nextBatch)]
    pub fn next_batch(&mut self, store: &EventStore) -> Result<JsValue, JsValue> {
        to_js_value(&es::replay_next(HOST, &mut self.0, &store.0))
    }

    /// `{done, total, position}`.
    #[wasm_bindgen(getter)]
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js_value(&es::progress(HOST, self.0.progress()).or_js()?)
    }
}
