//! API gateways: route selection as API Gateway HTTP APIs select routes ([`Router`]), and CORS
//! as the Fetch standard checks it and as a gateway answers it ([`cors`]).
//!
//! ```
//! use cnarch_core::gateway::Router;
//!
//! let r = Router::new(&["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"]).unwrap();
//! assert_eq!(r.select("GET", "/pets/dog/2").route_key.as_deref(), Some("GET /pets/dog/{id}"));
//! assert_eq!(r.select("POST", "/test/5").route_key.as_deref(), Some("ANY /{proxy+}"));
//! ```
//!
//! Rules and sources: `docs/gateway.md`.

pub mod cors;
pub mod router;
pub mod throttle;

pub use router::{GatewayError, Router, Selection};
