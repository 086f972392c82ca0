//! Errors: every core error reaches Python as `ffi::Error` and becomes exactly one class of
//! `cnarch._errors`, picked by its kind (the table in `docs/errors.md`); a panic becomes
//! `CnarchError` with code `internal_error`.

use std::panic::{catch_unwind, UnwindSafe};

use cnarch_core::error::{Coded, ErrorKind, Violation};
use cnarch_core::ffi::{self, Host};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// Python: seconds, snake_case.
pub const HOST: Host = Host::PYTHON;

/// The `cnarch._errors` class for each kind.
pub fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Parse => "ParseError",
        ErrorKind::Validation => "ValidationError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::Argument => "ArgumentError",
        ErrorKind::Type => "ArgumentTypeError",
        ErrorKind::Policy => "PolicyError",
        ErrorKind::Calculation => "CalculationError",
        ErrorKind::State => "StateError",
        ErrorKind::Overflow => "QuantityOverflowError",
        ErrorKind::NotPermitted => "CallNotPermitted",
        ErrorKind::Pattern => "PatternError",
        ErrorKind::Tracing => "TraceContextError",
        ErrorKind::Internal => "CnarchError",
    }
}

/// The Python exception for an `ffi::Error`.
pub fn to_py(py: Python<'_>, e: ffi::Error) -> PyErr {
    let made = (|| -> PyResult<Bound<'_, PyAny>> {
        let module = py.import("cnarch._errors")?;
        let class = module.getattr(class_name(e.kind))?;
        let violations = violation_objects(py, &e.violations)?;
        let position = e.position.map(|p| (p.line, p.column));
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("path", e.path)?;
        kwargs.set_item("position", position)?;
        kwargs.set_item("violations", violations)?;
        class.call((e.message, e.code), Some(&kwargs))
    })();
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

/// `cnarch.Violation` objects.
pub fn violation_objects<'py>(
    py: Python<'py>,
    violations: &[Violation],
) -> PyResult<Bound<'py, PyList>> {
    let class = py.import("cnarch._errors")?.getattr("Violation")?;
    let items = violations
        .iter()
        .map(|v| {
            class.call1(PyTuple::new(
                py,
                [
                    v.document.into_pyobject(py)?.into_any(),
                    v.name.clone().into_pyobject(py)?.into_any(),
                    v.path.clone().into_pyobject(py)?.into_any(),
                    v.code.clone().into_pyobject(py)?.into_any(),
                    v.message.clone().into_pyobject(py)?.into_any(),
                    v.line.into_pyobject(py)?.into_any(),
                    v.column.into_pyobject(py)?.into_any(),
                ],
            )?)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// A core error as a Python exception.
pub fn err<E: Coded>(e: E) -> PyErr {
    Python::attach(|py| to_py(py, HOST.error(&e)))
}

/// An `ffi::Error` as a Python exception.
pub fn ffi_err(e: ffi::Error) -> PyErr {
    Python::attach(|py| to_py(py, e))
}

/// `.map_err(err)` for core results.
pub trait OrPy<T> {
    /// The core error as its Python exception.
    fn or_py(self) -> PyResult<T>;
}

impl<T, E: Coded> OrPy<T> for Result<T, E> {
    fn or_py(self) -> PyResult<T> {
        self.map_err(err)
    }
}

/// Runs an entry point, turning a Rust panic into `cnarch.CnarchError` (`internal_error`).
/// `#[guarded]` (cnarch-py-macros) puts every entry point's body in here.
pub fn guard<T, F: FnOnce() -> PyResult<T> + UnwindSafe>(f: F) -> PyResult<T> {
    match catch_unwind(f) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(ffi_err(ffi::Error::internal(&what)))
        }
    }
}

/// Violations of structured input as `ValidationError` (`invalid_input`).
pub fn invalid(violations: Vec<Violation>) -> PyErr {
    err(cnarch_core::error::InvalidInput { violations })
}
