//! Resilience as pure, deterministic logic: retry policies with seeded jitter ([`retry`]),
//! retry budgets ([`budget`]) and rate limiters ([`ratelimit`]). Time is an argument
//! ([`crate::time::Instant`]) and randomness a caller-given seed; decisions are values that say
//! why, and when to try again.
pub mod breaker;
pub mod budget;
pub mod ratelimit;
pub mod retry;
