//! WebAssembly bindings for cnarch (the `cnarch` npm package): conversion, error mapping and
//! JavaScript idioms only. Every decision is made in `cnarch-core` (its `ffi` module holds the
//! binding-facing calls).
//!
//! Errors are thrown as JavaScript `Error` objects whose `name` is the error kind
//! (`ParseError`, `ValidationError`, `ConfigError`, `RangeError`, `TypeError`, ...; the table
//! is `docs/errors.md`) with a stable `code`, `path`, `position` (`{line, column}`) and
//! `violations`. Times are milliseconds or `Date`s.
//!
//! One file per concept, mirroring the core: `document`, `values`, `labels`, `events`, `policy`,
//! `resilience`, `autoscale`, `slo`, `alerting`; `convert` holds the time, number and data
//! conversions and `error` the error mapping.
// wasm-bindgen's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]

pub mod alerting;
pub mod autoscale;
mod convert;
pub mod document;
mod error;
pub mod events;
pub mod gateway;
pub mod labels;
pub mod policy;
pub mod probes;
pub mod prom;
pub mod resilience;
pub mod serverless;
pub mod slo;
pub mod sns;
pub mod sqs;
pub mod tracing;
pub mod values;
