//! Resilience, one file per concept as in the core: `breaker`, `retry` (policies,
//! conditions, budgets), `limits` (rate limiters, bulkhead), `outlier`. Times are seconds.

pub(crate) mod breaker;
pub(crate) mod limits;
pub(crate) mod outlier;
pub(crate) mod retry;

pub(crate) use breaker::{PyBreaker, PyPermit};
pub(crate) use limits::{PyBulkhead, PyLimiter};
pub(crate) use outlier::PyOutlier;
pub(crate) use retry::{PyBudget, PyQuota, PyRetry, PyRetryOn, PyThrottle};
