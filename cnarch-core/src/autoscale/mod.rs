//! Autoscaling decisions as the controllers make them: the Kubernetes HPA's replica calculator
//! ([`replica`]) and controller ([`hpa`]).
pub mod hpa;
pub mod keda;
pub mod kpa;
pub mod replica;
pub mod simulate;
