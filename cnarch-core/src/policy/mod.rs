//! Policy evaluation: Kubernetes NetworkPolicy ([`network`]).
pub mod network;
