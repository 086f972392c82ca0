//! Alerting on SLOs: multiwindow multi-burn-rate policies ([`policy`]), Prometheus's alert
//! state machine ([`rule`]), and offline evaluation of a policy over a time series
//! ([`evaluate`]).
pub mod config;
pub mod dispatch;
pub mod evaluate;
pub mod matcher;
pub mod policy;
pub mod routing;
pub mod rule;
pub mod timeinterval;
