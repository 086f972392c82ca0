//! Resilience as pure, deterministic logic: circuit breakers ([`breaker`]), retry policies with
//! seeded jitter ([`retry`]) and the outcomes they retry ([`retry_on`]), retry budgets
//! ([`budget`]), rate limiters ([`ratelimit`]), bulkheads ([`bulkhead`]), Envoy's outlier
//! detection ([`outlier`]) and a pipeline composing them ([`policy`]). Time is an argument
//! ([`crate::time::Instant`]) and randomness a caller-given seed; decisions are values that say
//! why, and when to try again.
pub mod breaker;
pub mod budget;
pub mod bulkhead;
pub mod outlier;
pub mod policy;
pub mod ratelimit;
pub mod retry;
pub mod retry_on;
