//! Alerting on SLOs: multiwindow multi-burn-rate policies ([`policy`]), Prometheus's alert
//! state machine ([`rule`]), and offline evaluation of a policy over a time series
//! ([`evaluate`]).
pub mod evaluate;
pub mod policy;
pub mod routing;
pub mod rule;
