//! Projections and snapshots: the core's folds with JavaScript functions and states.

use cnarch_core::eventsourcing::{self as core_es, RecordedEvent, RunError};
use cnarch_core::ffi::eventsourcing as es;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::EventStore;
use crate::convert::{maybe_whole, number, opt_data, string, to_js_value};
use crate::error::{err, OrJs, HOST};

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
        let batch = maybe_whole::<u64>(&get("batchSize")?, "batchSize")?;
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
        Ok(self.0.offer(&stream, revision, now, JsState(state)))
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
