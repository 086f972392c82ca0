//! The HorizontalPodAutoscaler controller's decision (`pkg/controller/podautoscaler/horizontal.go`):
//! per-metric proposals, the maximum of them with the rules for failed metrics, the min/max
//! pre-checks, and the normalization, legacy (no `behavior`: downscale stabilization over the
//! recommendation history, scale-up limit `max(2 × current, 4)`) or with `behavior`
//! (stabilization windows, Pods/Percent policies over recorded scale events, `selectPolicy`).
//!
//! The spec is autoscaling/v2's (`HpaSpec`, JSON/YAML in Kubernetes' own shape) with the API's
//! defaults. [`HorizontalAutoscaler`] keeps the recommendation history and scale events between
//! decisions and is driven with `now`.
//!
//! - [`spec`]: the spec, its metrics and validation;
//! - [`behavior`]: scaling rules and their defaults;
//! - [`controller`]: the decision, the conditions, the controller's state.
//!
//! ```
//! use cnarch_core::autoscale::hpa::{ControllerOptions, HpaSpec};
//! let spec = HpaSpec::from_json(&serde_json::json!({
//!     "scaleTargetRef": {"kind": "Deployment", "name": "web"},
//!     "maxReplicas": 10,
//!     "metrics": [{"type": "Resource", "resource": {"name": "cpu",
//!         "target": {"type": "Utilization", "averageUtilization": 60}}}]
//! }))
//! .unwrap();
//! assert_eq!(spec.min(), 1); // the API's default minReplicas
//! assert_eq!(ControllerOptions::default().tolerance, 0.1);
//! ```

pub mod behavior;
pub mod controller;
pub mod spec;

pub use behavior::*;
pub use controller::*;
pub use spec::*;
