//! The event store (the `cnarch/eventsourcing` module): the store, subscriptions, projections
//! with a JavaScript fold, snapshots of JavaScript states, and replay. Events are objects;
//! times are milliseconds since the Unix epoch.

use cnarch_core::eventsourcing::{
    self as core_es, CatchUp, Persistent, RecordedEvent, RunError, Store,
};
use cnarch_core::ffi::eventsourcing as es;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{data, number, opt_data, string, to_js_value};
use crate::error::{err, OrJs, HOST};

fn opt_u64(v: &JsValue, argument: &str) -> Result<Option<u64>, JsValue> {
    match opt_data(v, argument)? {
        None => Ok(None),
        Some(serde_json::Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
        Some(_) => Err(err(core_es::StoreError::Invalid {
            path: argument.into(),
            message: "expected a whole number 0 or more".into(),
        })),
    }
}

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
        let (checkpoint, batch) = if options.is_undefined() || options.is_null() {
            (None, 500)
        } else {
            let cp = js_sys::Reflect::get(&options, &"checkpoint".into())?;
            let bs = js_sys::Reflect::get(&options, &"batchSize".into())?;
            (
                opt_u64(&cp, "checkpoint")?,
                opt_u64(&bs, "batchSize")?.unwrap_or(500),
            )
        };
        es::catch_up(HOST, src.as_ref(), checkpoint, batch)
            .map(CatchUpSubscription)
            .or_js()
    }

    /// The next batch at `now`: `{events, checkpoint, caughtUp}`.
    pub fn poll(&mut self, store: &EventStore, now: f64) -> Result<JsValue, JsValue> {
        to_js_value(&es::poll(HOST, &mut self.0, &store.0, now).or_js()?)
    }

    /// The handler finished everything up to `checkpoint`.
    pub fn ack(&mut self, checkpoint: JsValue) -> Result<(), JsValue> {
        let cp = opt_u64(&checkpoint, "checkpoint")?;
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

/// A JavaScript value held as a state.
#[derive(Debug, Clone)]
struct JsState(JsValue);

fn call_fold(
    fold: &js_sys::Function,
    state: &JsState,
    e: &RecordedEvent,
) -> Result<JsState, JsValue> {
    let event = to_js_value(&es::event(HOST, e))?;
    fold.call2(&JsValue::NULL, &state.0, &event).map(JsState)
}

fn run_error(e: RunError<JsValue>) -> JsValue {
    match e {
        RunError::Fold { error, .. } => error,
        RunError::Store(e) => err(e),
    }
}

/// A projection: a JavaScript fold over events into states.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Projection {
    p: Projection_,
    fold: js_sys::Function,
    handlers: Option<js_sys::Object>,
}

type Projection_ = core_es::Projection<JsState>;

#[wasm_bindgen]
impl Projection {
    /// A projection with `handlers` (a function `(state, event) => state`, or an object of
    /// event type to such a function) and `options`: `{source, partition, initial,
    /// batchSize}`.
    #[wasm_bindgen(constructor)]
    pub fn new(handlers: JsValue, options: JsValue) -> Result<Projection, JsValue> {
        let get = |k: &str| -> Result<JsValue, JsValue> {
            if options.is_undefined() || options.is_null() {
                Ok(JsValue::UNDEFINED)
            } else {
                js_sys::Reflect::get(&options, &k.into())
            }
        };
        let src = opt_data(&get("source")?, "source")?;
        let partition = crate::convert::opt_string(&get("partition")?, "partition")?;
        let initial = get("initial")?;
        let batch = opt_u64(&get("batchSize")?, "batchSize")?;
        let (fold, types, table) = if let Some(f) = handlers.dyn_ref::<js_sys::Function>() {
            (f.clone(), Vec::new(), None)
        } else if handlers.is_object() {
            let o: js_sys::Object = handlers.clone().unchecked_into();
            let keys: Vec<String> = js_sys::Object::keys(&o)
                .iter()
                .filter_map(|k| k.as_string())
                .collect();
            (js_sys::Function::new_no_args(""), keys, Some(o))
        } else {
            return Err(crate::error::type_error(
                "handlers",
                "a function or an object of functions",
                &handlers,
            ));
        };
        let p = es::projection(
            HOST,
            src.as_ref(),
            types,
            partition.as_deref(),
            JsState(initial),
            batch,
        )
        .or_js()?;
        Ok(Projection {
            p,
            fold,
            handlers: table,
        })
    }

    /// Folds what was appended since the last run: `{folded, passedOver, checkpoint}`.
    pub fn run(&mut self, store: &EventStore, now: JsValue) -> Result<JsValue, JsValue> {
        let now = if now.is_undefined() {
            0.0
        } else {
            number(&now, "now")?
        };
        let now = es::millis(HOST, now, "now").or_js()?;
        let fold = self.fold.clone();
        let table = self.handlers.clone();
        let r = self
            .p
            .run(&store.0, now, |s, e| match &table {
                None => call_fold(&fold, s, e),
                Some(t) => {
                    let f: js_sys::Function =
                        js_sys::Reflect::get(t, &e.event_type.as_str().into())?.dyn_into()?;
                    call_fold(&f, s, e)
                }
            })
            .map_err(run_error)?;
        to_js_value(&es::run_report(HOST, &r).or_js()?)
    }

    /// Every partition's state, as an object by key.
    #[wasm_bindgen(getter)]
    pub fn states(&self) -> Result<JsValue, JsValue> {
        let o = js_sys::Object::new();
        for (k, v) in self.p.states() {
            js_sys::Reflect::set(&o, &k.as_str().into(), &v.0)?;
        }
        Ok(o.into())
    }

    /// The checkpoint, or `undefined`.
    #[wasm_bindgen(getter)]
    pub fn checkpoint(&self) -> Option<f64> {
        self.p.checkpoint().map(|c| c as f64)
    }

    /// Forgets the states and checkpoint.
    pub fn reset(&mut self) {
        self.p.reset();
    }
}

/// Snapshots of JavaScript states.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Snapshots(Snapshots_);

type Snapshots_ = core_es::Snapshots<JsState>;

#[wasm_bindgen]
impl Snapshots {
    /// `options`: `{everyEvents, every (ms), retention (ms)}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Snapshots, JsValue> {
        let o = opt_data(&options, "options")?;
        es::snapshots(HOST, o.as_ref()).map(Snapshots).or_js()
    }

    /// Takes a snapshot of `state` at `revision` when one is due at `now`; whether it did.
    pub fn offer(
        &mut self,
        stream: JsValue,
        revision: f64,
        now: f64,
        state: JsValue,
    ) -> Result<bool, JsValue> {
        let stream = string(&stream, "stream")?;
        let revision = crate::convert::whole_f64::<u64>(revision, "revision")?;
        let now = es::millis(HOST, now, "now").or_js()?;
        if !self.0.due(&stream, revision, now) {
            return Ok(false);
        }
        self.0.take(&stream, revision, now, JsState(state));
        Ok(true)
    }

    /// Loads `stream`'s aggregate: `{state, revision, snapshot, eventsRead}`.
    pub fn load(
        &self,
        store: &EventStore,
        stream: JsValue,
        fold: js_sys::Function,
        initial: JsValue,
        now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let stream = string(&stream, "stream")?;
        let now = if now.is_undefined() {
            0.0
        } else {
            number(&now, "now")?
        };
        let now = es::millis(HOST, now, "now").or_js()?;
        let l = self
            .0
            .load(&store.0, &stream, JsState(initial), now, |s, e| {
                call_fold(&fold, s, e)
            })
            .map_err(run_error)?;
        let info = to_js_value(&es::loaded(HOST, &l).or_js()?)?;
        js_sys::Reflect::set(&info, &"state".into(), &l.state.0)?;
        Ok(info)
    }

    /// `stream`'s snapshots, oldest first: `[{revision, taken, state}]`.
    pub fn list(&self, stream: JsValue) -> Result<JsValue, JsValue> {
        let stream = string(&stream, "stream")?;
        let out = js_sys::Array::new();
        for s in self.0.list(&stream) {
            let o = js_sys::Object::new();
            js_sys::Reflect::set(&o, &"revision".into(), &(s.revision as f64).into())?;
            js_sys::Reflect::set(&o, &"taken".into(), &es::time_out(HOST, s.taken).into())?;
            js_sys::Reflect::set(&o, &"state".into(), &s.state.0)?;
            out.push(&o);
        }
        Ok(out.into())
    }
}

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
