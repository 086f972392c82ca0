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
//!
//! The crate builds two modules of the npm package: the default feature `main` is `cnarch`
//! (everything but the event store), and `eventsourcing` alone is `cnarch/eventsourcing`, so
//! the event store does not weigh on users who do not load it (each stays under the 1 MB
//! gzipped budget).
// wasm-bindgen's macros expand to FFI glue that uses `unsafe`.
#![allow(unsafe_code)]
// The eventsourcing-only build leaves most shared conversions unused.
#![cfg_attr(not(feature = "main"), allow(dead_code, unused_imports))]

#[cfg(feature = "main")]
pub mod alerting;
#[cfg(feature = "main")]
pub mod autoscale;
mod convert;
#[cfg(feature = "main")]
pub mod document;
mod error;
#[cfg(feature = "main")]
pub mod events;
#[cfg(feature = "eventsourcing")]
pub mod eventsourcing;
#[cfg(feature = "main")]
pub mod gateway;
#[cfg(feature = "main")]
pub mod labels;
#[cfg(feature = "main")]
pub mod policy;
#[cfg(feature = "main")]
pub mod probes;
#[cfg(feature = "main")]
pub mod prom;
#[cfg(feature = "main")]
pub mod resilience;
#[cfg(feature = "main")]
pub mod serverless;
#[cfg(feature = "main")]
pub mod slo;
#[cfg(feature = "main")]
pub mod sns;
#[cfg(feature = "main")]
pub mod sqs;
#[cfg(feature = "main")]
pub mod tracing;
#[cfg(feature = "main")]
pub mod values;
