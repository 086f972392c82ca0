//! Exact values: quantities and schedules.

use cnarch_core::quantity::{Quantity, QuantityFormat};
use cnarch_core::schedule::Schedule;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;

use crate::convert::hash_of;
use crate::error::OrPy;

/// An exact Kubernetes resource quantity.
#[pyclass(name = "Quantity", module = "cnarch", frozen, skip_from_py_object)]
pub(crate) struct PyQuantity(Quantity);

#[guarded]
#[pymethods]
impl PyQuantity {
    #[new]
    fn new(text: &str) -> PyResult<Self> {
        {
            Quantity::parse(text).map(PyQuantity).or_py()
        }
    }

    fn __str__(&self) -> PyResult<String> {
        Ok(self.0.to_string())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("Quantity('{}')", self.0))
    }

    fn __add__(&self, other: &Self) -> PyResult<Self> {
        {
            self.0.try_add(&other.0).map(PyQuantity).or_py()
        }
    }

    fn __sub__(&self, other: &Self) -> PyResult<Self> {
        {
            self.0.try_sub(&other.0).map(PyQuantity).or_py()
        }
    }

    fn __neg__(&self) -> PyResult<Self> {
        Ok(PyQuantity(self.0.neg()))
    }

    fn __hash__(&self) -> PyResult<u64> {
        Ok(hash_of(&self.0))
    }

    fn __bool__(&self) -> PyResult<bool> {
        Ok(!self.0.is_zero())
    }

    /// The value rounded up, away from zero, to a whole unit.
    fn value(&self) -> PyResult<i128> {
        Ok(self.0.value())
    }

    /// The value in thousandths, rounded up, away from zero.
    fn milli_value(&self) -> PyResult<i128> {
        Ok(self.0.milli_value())
    }

    /// The exact value in nanounits.
    fn nanos(&self) -> PyResult<i128> {
        Ok(self.0.nanos())
    }

    /// `"DecimalSI"`, `"BinarySI"` or `"DecimalExponent"`.
    #[getter]
    fn format(&self) -> PyResult<&'static str> {
        {
            Ok({
                match self.0.format() {
                    QuantityFormat::DecimalSI => "DecimalSI",
                    QuantityFormat::BinarySI => "BinarySI",
                    QuantityFormat::DecimalExponent => "DecimalExponent",
                }
            })
        }
    }

    fn __float__(&self) -> PyResult<f64> {
        Ok(self.0.as_f64())
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        {
            let py = other.py();
            let Ok(other) = other.cast::<PyQuantity>() else {
                return Ok(py.NotImplemented());
            };
            let o = &other.get().0;
            Ok(op
                .matches(self.0.cmp(o))
                .into_pyobject(py)?
                .to_owned()
                .into_any()
                .unbind())
        }
    }
}

/// A parsed schedule (times cross the boundary as microseconds since the Unix epoch, UTC).
#[pyclass(name = "_Schedule", module = "cnarch._core", frozen)]
pub(crate) struct PySchedule(Schedule);

#[guarded]
#[pymethods]
impl PySchedule {
    #[new]
    fn new(expr: &str) -> PyResult<Self> {
        {
            Schedule::parse(expr).map(PySchedule).or_py()
        }
    }

    fn __str__(&self) -> PyResult<String> {
        Ok(self.0.to_string())
    }

    /// The next `n` fire times after `after_us`, as microseconds since the epoch; with
    /// `anchor_us`, those of a schedule that began then.
    #[pyo3(signature = (after_us, n, anchor_us=None))]
    fn next_after_us(&self, after_us: i64, n: usize, anchor_us: Option<i64>) -> PyResult<Vec<i64>> {
        let when = |us: i64, name: &str| {
            chrono::DateTime::from_timestamp_micros(us).ok_or_else(|| {
                crate::error::ffi_err(cnarch_core::ffi::Error::number(
                    name,
                    "to be a date between the years -262143 and 262142",
                    format!("{us} µs since the epoch"),
                ))
            })
        };
        let t = when(after_us, "after")?;
        let anchor = anchor_us.map(|a| when(a, "anchor")).transpose()?;
        let times = self.0.next_n_after_anchored(anchor, t, n);
        Ok(times.iter().map(|t| t.timestamp_micros()).collect())
    }
}
