//! Prometheus formats from text: promtool's expanding series notation.

use super::{Error, Host};
use crate::prom::series::{self, SeriesValue};

/// The samples `notation` expands to (the bindings convert them: a number, a missing sample,
/// a stale marker).
pub fn expand_series(host: Host, notation: &str) -> Result<Vec<SeriesValue>, Error> {
    series::expand(notation).map_err(|e| host.error(&e))
}

/// `values` written in the expanding notation (the bindings convert their samples).
pub fn format_series(values: &[SeriesValue]) -> String {
    series::format(values)
}
