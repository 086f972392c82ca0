//! Policy evaluation: Kubernetes NetworkPolicy ([`network`]) and Istio-style mesh
//! authorization ([`mesh`]).
pub mod mesh;
pub mod network;
