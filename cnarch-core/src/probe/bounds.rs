//! Worst-case times that follow from a health check's settings, as closed formulas. Each is
//! the supremum over where the container's start or the fault falls between two ticks of the
//! probe workers, which the tests check against [`super::timeline()`] sweeping that phase.
//!
//! Notation: `D` initial delay, `P` period, `T` timeout, `F` failure threshold, `S` success
//! threshold of a probe; `up` how long the container takes to answer after it starts;
//! `L` the answer's latency (below every timeout).

use std::time::Duration;

use serde::Serialize;

use super::{ProbeKind, Spec};
use crate::error::InvalidInput;
use crate::model::workload::HealthCheck;

/// The worst-case times of a health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounds {
    /// From the container's start to the pod's Ready, at most (the container answers after
    /// `up`). Without a startup probe: `max(up, Dr) + Sr·Pr + L`, or `(Sr − 1)·Pr + L` when
    /// `up` and `Dr` are 0 (the readiness probe the container's start triggers succeeds). With
    /// one: started by `max(up, Ds) + Ps + L`; then `max(started + L, Dr + Pr + L) + (Sr − 1)·Pr`.
    /// Without a readiness probe: when started.
    pub first_ready: Duration,
    /// A container that answers within this long after its start is never killed by the
    /// probe that guards its start (the startup probe, else liveness): `D + (F − 1)·P`.
    /// `None` without either.
    pub start_budget: Option<Duration>,
    /// A container that takes this long or longer to answer is always killed:
    /// `D + F·P`.
    pub start_limit: Option<Duration>,
    /// From a hang to the liveness kill, at most: `P + (F − 1)·max(P, T) + T` (at least
    /// `(F − 1)·max(P, T) + T`). `None` without a liveness probe.
    pub hang_detection: Option<Duration>,
    /// From a hang to the pod leaving Ready, at most, with the readiness probe's settings in
    /// the same formula. `None` without a readiness probe.
    pub hang_unready: Option<Duration>,
}

/// The wait before the `restart`-th restart of a container (1 for the first) that keeps
/// crashing: none, then 10 s doubling to at most 300 s (CrashLoopBackOff).
pub fn back_off(restart: u32) -> Duration {
    match restart {
        0 | 1 => Duration::ZERO,
        r => {
            let steps = (r - 2).min(6);
            Duration::from_secs((10u64 << steps).min(300))
        }
    }
}

fn detection(s: &Spec) -> u64 {
    let gap = s.period.max(s.timeout);
    s.period + u64::from(s.failure.saturating_sub(1)) * gap + s.timeout
}

/// The bounds of `hc` for a container that answers `up` after its start, each answer taking
/// `latency`. Refuses a health check the API server would refuse.
pub fn bounds(hc: &HealthCheck, up: Duration, latency: Duration) -> Result<Bounds, InvalidInput> {
    super::check(hc, "health_check")?;
    let spec = |k| ProbeKind::of(hc, k).map(Spec::of);
    let (startup, liveness, readiness) = (
        spec(ProbeKind::Startup),
        spec(ProbeKind::Liveness),
        spec(ProbeKind::Readiness),
    );
    let up = super::ms(up);
    let l = super::ms(latency);
    let started = match startup {
        None => 0,
        Some(s) => up.max(s.delay_s * 1000) + s.period + l,
    };
    let first_ready = match (readiness, startup) {
        (None, _) => started,
        (Some(r), None) => {
            let x = up.max(r.delay_s * 1000);
            if x == 0 {
                u64::from(r.success - 1) * r.period + l
            } else {
                x + u64::from(r.success) * r.period + l
            }
        }
        (Some(r), Some(_)) => {
            (started + l).max(r.delay_s * 1000 + r.period + l) + u64::from(r.success - 1) * r.period
        }
    };
    let guard = startup.or(liveness);
    let budget = guard.map(|g| g.delay_s * 1000 + u64::from(g.failure - 1) * g.period);
    let limit = guard.map(|g| g.delay_s * 1000 + u64::from(g.failure) * g.period);
    Ok(Bounds {
        first_ready: super::dur(first_ready),
        start_budget: budget.map(super::dur),
        start_limit: limit.map(super::dur),
        hang_detection: liveness.as_ref().map(|s| super::dur(detection(s))),
        hang_unready: readiness.as_ref().map(|s| super::dur(detection(s))),
    })
}
