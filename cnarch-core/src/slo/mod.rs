//! Service-level objectives: error-budget and burn-rate math ([`budget`]), SLO windows and
//! budgeting methods ([`window`]), and Prometheus rule generation ([`rules`]), after the Google SRE
//! book and workbook, OpenSLO and Sloth.
pub mod budget;
pub mod rules;
pub mod window;

pub use budget::{Objective, ObjectiveError};
