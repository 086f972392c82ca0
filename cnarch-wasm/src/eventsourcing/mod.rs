//! The event store (the `cnarch/eventsourcing` module), one file per concept as in the core:
//! the store (here), subscriptions, folds (projections and snapshots of JavaScript states) and
//! replay. Events are objects; times are milliseconds since the Unix epoch.

mod fold;
mod replay;
mod subscription;

use cnarch_core::eventsourcing::Store;
use cnarch_core::ffi::eventsourcing as es;
use wasm_bindgen::prelude::*;

use crate::convert::{data, number, opt_data, string, to_js_value};
use crate::error::{OrJs, HOST};

pub use fold::{Projection, Snapshots};
pub use replay::Replay;
pub use subscription::{CatchUpSubscription, PersistentSubscription};

/// An event store.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct EventStore(Store);

#[wasm_bindgen]
impl EventStore {
    /// An empty store.
    #[wasm_bindgen(constructor)]
    pub fn new() -> EventStore {
        EventStore(Store::new())
    }

    /// Appends `events` to `stream` expecting `expected` at `now` (ms).
    pub fn append(
        &mut self,
        stream: JsValue,
        events: JsValue,
        expected: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let stream = string(&stream, "stream")?;
        let evs = data(&events, "events")?;
        let exp = opt_data(&expected, "expected")?;
        let now = if now.is_undefined() {
            0.0
        } else {
            number(&now, "now")?
        };
        let r = es::append(HOST, &mut self.0, &stream, &evs, exp.as_ref(), now).or_js()?;
        to_js_value(&r)
    }

    /// Reads `stream`; `options`: `{direction, fromRevision, maxCount, now}`.
    #[wasm_bindgen(js_name = readStream)]
    pub fn read_stream(&self, stream: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let stream = string(&stream, "stream")?;
        let o = opt_data(&options, "options")?;
        to_js_value(&es::read_stream(HOST, &self.0, &stream, o.as_ref()).or_js()?)
    }

    /// Reads the global log; `options`: `{direction, fromPosition, maxCount, streamPrefixes,
    /// eventTypePrefixes}`.
    #[wasm_bindgen(js_name = readAll)]
    pub fn read_all(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let o = opt_data(&options, "options")?;
        to_js_value(&es::read_all(HOST, &self.0, o.as_ref()).or_js()?)
    }

    /// Soft-deletes `stream`.
    pub fn delete(&mut self, stream: JsValue, expected: JsValue) -> Result<(), JsValue> {
        let stream = string(&stream, "stream")?;
        let exp = opt_data(&expected, "expected")?;
        es::delete(HOST, &mut self.0, &stream, exp.as_ref(), false).or_js()
    }

    /// Tombstones `stream`.
    pub fn tombstone(&mut self, stream: JsValue, expected: JsValue) -> Result<(), JsValue> {
        let stream = string(&stream, "stream")?;
        let exp = opt_data(&expected, "expected")?;
        es::delete(HOST, &mut self.0, &stream, exp.as_ref(), true).or_js()
    }

    /// Sets `stream`'s metadata: `{maxCount, maxAge (ms), truncateBefore}`.
    #[wasm_bindgen(js_name = setMetadata)]
    pub fn set_metadata(&mut self, stream: JsValue, metadata: JsValue) -> Result<(), JsValue> {
        let stream = string(&stream, "stream")?;
        let m = opt_data(&metadata, "metadata")?;
        es::set_metadata(HOST, &mut self.0, &stream, m.as_ref()).or_js()
    }

    /// `stream`'s metadata, or `null`.
    pub fn metadata(&self, stream: JsValue) -> Result<JsValue, JsValue> {
        let stream = string(&stream, "stream")?;
        to_js_value(&es::metadata(HOST, &self.0, &stream).or_js()?)
    }

    /// `stream`'s last revision, or `undefined`.
    pub fn revision(&self, stream: JsValue) -> Result<Option<f64>, JsValue> {
        let stream = string(&stream, "stream")?;
        Ok(self.0.revision(&stream).map(|r| r as f64))
    }

    /// Events in the global log.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> f64 {
        self.0.len() as f64
    }

    /// Removes for good what deletes and metadata hide at `now`; the count removed.
    pub fn scavenge(&mut self, now: JsValue) -> Result<f64, JsValue> {
        let now = es::millis(HOST, number(&now, "now")?, "now").or_js()?;
        Ok(self.0.scavenge(now) as f64)
    }

    /// The store as JSON lines.
    #[wasm_bindgen(js_name = toJsonLines)]
    pub fn to_json_lines(&self) -> String {
        self.0.to_json_lines()
    }

    /// The store in its binary form.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    /// Loads a store from JSON lines.
    #[wasm_bindgen(js_name = fromJsonLines)]
    pub fn from_json_lines(text: JsValue) -> Result<EventStore, JsValue> {
        let text = string(&text, "text")?;
        es::from_json_lines(HOST, &text).map(EventStore).or_js()
    }

    /// Loads a store from its binary form (a `Uint8Array`).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<EventStore, JsValue> {
        es::from_bytes(HOST, bytes).map(EventStore).or_js()
    }
}
