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

/// The metric families of a text in the exposition format 0.0.4 (the bindings convert them:
/// values may be NaN or infinite, which plain data cannot hold).
pub fn parse_exposition(
    host: Host,
    text: &str,
) -> Result<Vec<crate::prom::exposition::Family>, Error> {
    crate::prom::exposition::parse(text).map_err(|e| host.error(&e))
}

/// Families written in the exposition format (paths `families[i]...` in errors).
pub fn render_exposition(
    host: Host,
    families: &[crate::prom::exposition::Family],
) -> Result<String, Error> {
    crate::prom::exposition::render(families).map_err(|e| host.error(&e))
}

/// The model's `Metric` values (a list as the model writes it) in the exposition format.
pub fn render_metrics(host: Host, metrics: &serde_json::Value) -> Result<String, Error> {
    let metrics: Vec<crate::model::observability::Metric> =
        crate::validate::schema::read_input(metrics, "metrics").map_err(|v| {
            host.error(&crate::error::InvalidInput {
                violations: vec![v],
            })
        })?;
    let families = crate::prom::exposition::from_metrics(&metrics).map_err(|e| host.error(&e))?;
    render_exposition(host, &families)
}
