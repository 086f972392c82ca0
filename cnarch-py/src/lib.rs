//! Python bindings for cnarch: conversion only, no decision logic.
//! The full API arrives with the bindings issue; this module exposes the version so the
//! wheel pipeline can be exercised.
// pyo3's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

use pyo3::prelude::*;

/// The native module, imported by the pure-Python package as `cnarch._core`.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
