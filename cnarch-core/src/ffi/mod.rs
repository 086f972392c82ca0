//! The binding-facing calls: where Rust, Python and JavaScript meet (as in cedar's `ffi`).
//!
//! A binding entry point converts its language's values in, calls a function here, and
//! converts the result out. Everything a binding would otherwise decide lives here or below:
//! defaults (taken from the core's own `Default`s and constructors), time units (one
//! [`Host`] per language: seconds and snake_case names for Python, milliseconds and
//! camelCase names for JavaScript), and the one error shape, [`Error`], that both bindings
//! map to their exception classes by its [`ErrorKind`].
//!
//! Submodules, one per concept:
//! - [`error`]: [`Error`], [`Host`], [`Case`], and rendering core errors for a host.
//! - [`autoscale`]: pods, metric inputs, KPA, KEDA and simulator inputs from plain data, and
//!   the replica calculator and HPA controller options with the controller's defaults.
//! - [`slo`]: budget math arguments, policies (standard, Pyrra, custom rules with the
//!   workbook's default short window), Sloth specs, routing and escalation inputs.
//!
//! ```
//! use cnarch_core::ffi::{self, Host};
//! let e = ffi::Error::from_coded(
//!     &cnarch_core::resilience::breaker::CircuitBreaker::new(
//!         cnarch_core::resilience::breaker::BreakerConfig {
//!             failure_rate_threshold: 0.0,
//!             ..Default::default()
//!         },
//!     )
//!     .unwrap_err(),
//!     Host::JS,
//! );
//! assert_eq!(e.code, "invalid_breaker_config");
//! assert_eq!(e.path.as_deref(), Some("failureRateThreshold"));
//! assert!(e.message.contains("failureRateThreshold"));
//! ```

pub mod autoscale;
pub mod error;
pub mod host;
pub mod slo;

pub use crate::error::ErrorKind;
pub use crate::time::TimeUnit;
pub use error::{Error, OrFfi};
pub use host::{Case, Host};
