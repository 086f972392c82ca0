//! Validation: every rule a document must meet, each failure a [`crate::Violation`] with the
//! path the user wrote, a stable code and what was expected.
//!
//! - [`field_rules`]: the rules of single fields (Kubernetes names, label keys and values, ports,
//!   Prometheus names, ARNs, trace ids), used by the model's `#[validate(...)]` attributes;
//! - `schema` (internal): reading a value as a typed model, serde's errors turned into violations,
//!   every independent mistake reported at once;
//! - `fields` (internal): the field rules' failures named by path;
//! - `kinds` (internal): the cross-field rules of each document kind;
//! - `locate` (internal): the line and column of each path in the source text;
//! - `path`, `found` (internal): paths (`a.b[0].c`) and violations before the document is known.
//!
//! ```
//! use cnarch_core::validate::field_rules;
//! assert!(field_rules::dns1123_label("web-1").is_ok());
//! let err = field_rules::dns1123_label("Web").unwrap_err();
//! assert_eq!(err.code, "invalid_dns1123_label");
//! ```

pub(crate) mod de;
pub mod field_rules;
pub(crate) mod fields;
pub(crate) mod found;
pub(crate) mod kinds;
pub(crate) mod locate;
pub(crate) mod path;
pub(crate) mod schema;

pub(crate) use found::Found;
