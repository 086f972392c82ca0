//! EventBridge event patterns: one at a time (`patternMatches`), or many compiled into a
//! `PatternMatcher`. Patterns and events are objects or their JSON text.

use cnarch_core::events::PatternMatcher as CoreMatcher;
use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, string};
use crate::error::OrJs;

/// Whether `event` matches the EventBridge `pattern`.
#[wasm_bindgen(js_name = patternMatches)]
pub fn pattern_matches(pattern: JsValue, event: JsValue) -> Result<bool, JsValue> {
    ffi::events::matches(&data(&pattern, "pattern")?, &data(&event, "event")?).or_js()
}

/// Many named event patterns compiled into one index.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct PatternMatcher(CoreMatcher);

#[wasm_bindgen]
impl PatternMatcher {
    /// An empty matcher.
    #[wasm_bindgen(constructor)]
    pub fn new() -> PatternMatcher {
        PatternMatcher::default()
    }

    /// Adds `pattern` under `name`; the same name again adds an alternative (an OR).
    pub fn add(&mut self, name: JsValue, pattern: JsValue) -> Result<(), JsValue> {
        let name = string(&name, "name")?;
        ffi::events::add(&mut self.0, &name, &data(&pattern, "pattern")?).or_js()
    }

    /// Removes every pattern under `name`; whether there was one.
    pub fn remove(&mut self, name: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.remove(&string(&name, "name")?))
    }

    /// Whether a rule is held under `name`.
    pub fn has(&self, name: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.contains(&string(&name, "name")?))
    }

    /// The names whose patterns match `event`, sorted.
    #[wasm_bindgen(js_name = match)]
    pub fn match_event(&self, event: JsValue) -> Result<Vec<String>, JsValue> {
        ffi::events::match_event(&self.0, &data(&event, "event")?).or_js()
    }

    /// The rule names, sorted.
    #[wasm_bindgen(getter)]
    pub fn names(&self) -> Vec<String> {
        self.0.names()
    }

    /// The number of rule names.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }
}
