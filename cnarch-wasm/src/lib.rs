//! WebAssembly bindings for cnarch: conversion only, no decision logic.
//! The full API arrives with the bindings issue; this module exports the version so the
//! npm pipeline can be exercised.
// wasm-bindgen's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

use wasm_bindgen::prelude::*;

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
