//! Label selectors with apimachinery's semantics.

use std::collections::BTreeMap;

use cnarch_core::labels::{Selector, SelectorIndex};
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use cnarch_core::ffi;

use crate::convert::{hash_of, json_of, to_py};
use crate::error::OrPy;
use crate::error::HOST;

/// A Kubernetes label selector (exposed as `cnarch.labels.Selector`).
#[pyclass(
    name = "Selector",
    module = "cnarch.labels",
    frozen,
    skip_from_py_object
)]
pub(crate) struct PySelector(Selector);

#[guarded]
#[pymethods]
impl PySelector {
    /// Parses the string syntax (`app=web,tier in (a,b),!legacy`).
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        {
            Selector::parse(text).map(PySelector).or_py()
        }
    }

    /// Matches every label set.
    #[staticmethod]
    fn everything() -> PyResult<Self> {
        Ok(PySelector(Selector::everything()))
    }

    /// Matches no label set.
    #[staticmethod]
    fn nothing() -> PyResult<Self> {
        Ok(PySelector(Selector::nothing()))
    }

    /// From a structured selector dict (`matchLabels`, `matchExpressions`); `None` selects
    /// nothing, `{}` everything.
    #[staticmethod]
    fn from_label_selector(data: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let data = data.map(|d| json_of(d, "data")).transpose()?;
        ffi::labels::from_label_selector(HOST, data.as_ref())
            .map(PySelector)
            .or_py()
    }

    /// The structured form as a dict.
    fn to_label_selector(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        {
            let ls = self.0.to_label_selector().or_py()?;
            to_py(py, &ls)
        }
    }

    /// Does the label mapping satisfy the selector?
    fn matches(&self, labels: BTreeMap<String, String>) -> PyResult<bool> {
        Ok(self.0.matches(&labels))
    }

    /// A label set both selectors match, or `None` when they cannot overlap.
    fn overlaps(&self, other: &PySelector) -> PyResult<Option<BTreeMap<String, String>>> {
        Ok(self.0.overlaps(&other.0))
    }

    /// Does `other` match every label set this selector matches?
    fn is_subset_of(&self, other: &PySelector) -> PyResult<bool> {
        Ok(self.0.is_subset_of(&other.0))
    }

    /// Is this the selector that matches nothing?
    #[getter]
    fn is_nothing(&self) -> PyResult<bool> {
        Ok(self.0.is_nothing())
    }

    /// Does it match every label set?
    #[getter]
    fn is_everything(&self) -> PyResult<bool> {
        Ok(self.0.is_everything())
    }

    fn __str__(&self) -> PyResult<String> {
        Ok(self.0.to_string())
    }

    fn __repr__(&self) -> PyResult<String> {
        {
            Ok({
                if self.0.is_nothing() {
                    "Selector.nothing()".to_string()
                } else {
                    format!("Selector.parse({:?})", self.0.to_string())
                }
            })
        }
    }

    fn __hash__(&self) -> PyResult<u64> {
        Ok(hash_of(&self.0))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        {
            Ok({
                other
                    .cast::<PySelector>()
                    .is_ok_and(|o| o.get().0 == self.0)
            })
        }
    }
}

/// Many selectors, indexed for "which selectors match this label set" (`cnarch.labels.SelectorIndex`).
#[pyclass(name = "SelectorIndex", module = "cnarch.labels")]
#[derive(Default)]
pub(crate) struct PySelectorIndex(SelectorIndex);

#[guarded]
#[pymethods]
impl PySelectorIndex {
    #[new]
    fn new() -> PyResult<Self> {
        Ok(PySelectorIndex::default())
    }

    /// Adds a selector; returns its id (0, 1, 2, ... in insertion order).
    fn insert(&mut self, selector: &PySelector) -> PyResult<usize> {
        Ok(self.0.insert(selector.0.clone()))
    }

    /// The ids of the selectors that match the label mapping, ascending.
    fn matching(&self, labels: BTreeMap<String, String>) -> PyResult<Vec<usize>> {
        Ok(self.0.matching(&labels))
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.0.len())
    }
}
