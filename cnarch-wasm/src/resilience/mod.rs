//! Resilience, one file per concept as in the core: `breaker`, `retry` (policies, conditions,
//! budgets), `limits` (rate limiters, bulkhead), `outlier`. Times are milliseconds.

pub mod breaker;
pub mod limits;
pub mod outlier;
pub mod retry;
