//! Label selectors with apimachinery's semantics.

use std::collections::BTreeMap;

use cnarch_core::ffi;
use cnarch_core::labels::{Selector as CoreSelector, SelectorIndex as CoreSelectorIndex};
use wasm_bindgen::prelude::*;

use crate::convert::{data, string, to_js_value};
use crate::error::OrJs;

/// A label object (string values).
fn labels(v: &JsValue) -> Result<BTreeMap<String, String>, JsValue> {
    ffi::read(ffi::Host::RUST, &data(v, "labels")?, "labels", &[]).or_js()
}

/// A Kubernetes label selector with apimachinery's exact semantics.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Selector(CoreSelector);

#[wasm_bindgen]
impl Selector {
    /// Parses the string syntax (`app=web,tier in (a,b),!legacy`).
    pub fn parse(text: JsValue) -> Result<Selector, JsValue> {
        CoreSelector::parse(&string(&text, "text")?)
            .map(Selector)
            .or_js()
    }

    /// Matches every label set.
    pub fn everything() -> Selector {
        Selector(CoreSelector::everything())
    }

    /// Matches no label set.
    pub fn nothing() -> Selector {
        Selector(CoreSelector::nothing())
    }

    /// From a structured selector (`matchLabels`, `matchExpressions`); `null`/`undefined`
    /// selects nothing, `{}` everything.
    #[wasm_bindgen(js_name = fromLabelSelector)]
    pub fn from_label_selector(data: JsValue) -> Result<Selector, JsValue> {
        let data = if data.is_null() || data.is_undefined() {
            None
        } else {
            Some(super::convert::data(&data, "data")?)
        };
        ffi::labels::from_label_selector(crate::error::HOST, data.as_ref())
            .map(Selector)
            .or_js()
    }

    /// The structured form.
    #[wasm_bindgen(js_name = toLabelSelector)]
    pub fn to_label_selector(&self) -> Result<JsValue, JsValue> {
        let ls = self.0.to_label_selector().or_js()?;
        to_js_value(&ls)
    }

    /// Does the label object satisfy the selector?
    pub fn matches(&self, labels: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.matches(&self::labels(&labels)?))
    }

    /// A label set both selectors match, or `null` when they cannot overlap.
    pub fn overlaps(&self, other: &Selector) -> Result<JsValue, JsValue> {
        match self.0.overlaps(&other.0) {
            Some(w) => to_js_value(&w),
            None => Ok(JsValue::NULL),
        }
    }

    /// Does `other` match every label set this selector matches?
    #[wasm_bindgen(js_name = isSubsetOf)]
    pub fn is_subset_of(&self, other: &Selector) -> bool {
        self.0.is_subset_of(&other.0)
    }

    /// Equal selectors.
    pub fn equals(&self, other: &Selector) -> bool {
        self.0 == other.0
    }

    /// Is this the selector that matches nothing?
    #[wasm_bindgen(getter, js_name = isNothing)]
    pub fn is_nothing(&self) -> bool {
        self.0.is_nothing()
    }

    /// Does it match every label set?
    #[wasm_bindgen(getter, js_name = isEverything)]
    pub fn is_everything(&self) -> bool {
        self.0.is_everything()
    }

    /// apimachinery's canonical text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_js_string(&self) -> String {
        self.0.to_string()
    }
}

/// Many selectors, indexed for "which selectors match this label set".
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct SelectorIndex(CoreSelectorIndex);

#[wasm_bindgen]
impl SelectorIndex {
    /// An empty index.
    #[wasm_bindgen(constructor)]
    pub fn new() -> SelectorIndex {
        SelectorIndex::default()
    }

    /// Adds a selector; returns its id (0, 1, 2, ... in insertion order).
    pub fn insert(&mut self, selector: &Selector) -> usize {
        self.0.insert(selector.0.clone())
    }

    /// The ids of the selectors that match the label object, ascending.
    pub fn matching(&self, labels: JsValue) -> Result<JsValue, JsValue> {
        let labels_arg = labels;
        to_js_value(&self.0.matching(&self::labels(&labels_arg)?))
    }

    /// The number of selectors.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }
}
