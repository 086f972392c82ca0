//! Service-level objectives: error-budget and burn-rate math ([`budget`]), SLO windows and
//! budgeting methods ([`window`]), and Prometheus rule generation ([`rules`]) with `promtool test rules` files ([`promtool`]), after the Google SRE
//! book and workbook, OpenSLO and Sloth.
pub mod budget;
pub mod promtool;
pub mod rules;
pub mod window;

pub use budget::{Objective, ObjectiveError};
