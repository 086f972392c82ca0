//! Time for stateful logic: a monotonic [`Instant`] (nanoseconds from an origin the caller
//! picks) and the [`Clock`] trait, with a [`ManualClock`] for tests and simulation. Nothing in
//! cnarch-core reads the system clock; callers pass `now` or hand over a clock.

use std::sync::atomic::{AtomicU64, Ordering};

/// A point on a monotonic timeline, in nanoseconds from an arbitrary origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The origin.
    pub const ZERO: Instant = Instant(0);

    /// From nanoseconds since the origin.
    pub const fn from_nanos(n: u64) -> Instant {
        Instant(n)
    }

    /// From milliseconds since the origin (saturating).
    pub const fn from_millis(ms: u64) -> Instant {
        Instant(ms.saturating_mul(1_000_000))
    }

    /// From seconds since the origin (negative and NaN become the origin; saturating).
    pub fn from_secs_f64(s: f64) -> Instant {
        Instant((s * 1e9).clamp(0.0, u64::MAX as f64) as u64)
    }

    /// From seconds since the origin, refusing what the timeline cannot hold: negative, NaN,
    /// infinite, or past `u64::MAX` nanoseconds (about 584 years). Valid input gives the same
    /// instant as [`Instant::from_secs_f64`].
    pub fn try_from_secs_f64(s: f64) -> Result<Instant, TimeError> {
        if s.is_finite() && s >= 0.0 && s * 1e9 < u64::MAX as f64 {
            Ok(Instant::from_secs_f64(s))
        } else {
            Err(TimeError::new(
                "now",
                format!("expected a time of 0 s or more on the caller's clock (finite, below 1.8e10 s), found {s}"),
            ))
        }
    }

    /// As [`Instant::try_from_secs_f64`], for a time in `unit` (seconds or milliseconds),
    /// naming `field` (as the core names it) in the error.
    pub fn try_from_unit(value: f64, unit: TimeUnit, field: &str) -> Result<Instant, TimeError> {
        let secs = value * unit.seconds();
        if secs.is_finite() && secs >= 0.0 && secs * 1e9 < u64::MAX as f64 {
            Ok(Instant::from_secs_f64(secs))
        } else {
            let bound = 1.8e10 / unit.seconds();
            Err(TimeError::new(
                field,
                format!("expected a time of 0 {u} or more for `{field}` on the caller's clock (finite, below {bound:e} {u}), found {value}", u = unit.symbol()),
            ))
        }
    }

    /// Nanoseconds since the origin.
    pub const fn as_nanos(&self) -> u64 {
        self.0
    }

    /// The time from `earlier` to this instant (zero if `earlier` is later).
    pub fn saturating_since(&self, earlier: Instant) -> std::time::Duration {
        std::time::Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// This instant plus a duration (saturating).
    pub fn saturating_add(&self, d: std::time::Duration) -> Instant {
        Instant(
            self.0
                .saturating_add(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)),
        )
    }
}

/// A duration from seconds given as a float (what the bindings receive), refusing what
/// `std::time::Duration` cannot hold instead of panicking: negative, NaN, infinite, or more
/// than about 584 years.
pub fn duration_from_secs(s: f64) -> Result<std::time::Duration, TimeError> {
    if s.is_finite() && (0.0..1.8e10).contains(&s) {
        Ok(std::time::Duration::from_nanos((s * 1e9).round() as u64))
    } else {
        Err(TimeError::new(
            "duration",
            format!(
                "expected a duration of zero or more seconds (finite, at most 1.8e10), found {s}"
            ),
        ))
    }
}

/// As [`duration_from_secs`], for a number in `unit`, naming `field` in the error.
pub fn duration_from_unit(
    value: f64,
    unit: TimeUnit,
    field: &str,
) -> Result<std::time::Duration, TimeError> {
    let secs = value * unit.seconds();
    if secs.is_finite() && (0.0..1.8e10).contains(&secs) {
        Ok(std::time::Duration::from_nanos((secs * 1e9).round() as u64))
    } else {
        let bound = 1.8e10 / unit.seconds();
        Err(TimeError::new(
            field,
            format!("expected a duration of 0 {u} or more for `{field}` (finite, below {bound:e} {u}), found {value}", u = unit.symbol()),
        ))
    }
}

/// The unit a binding counts time in: seconds in Python, milliseconds in JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Seconds (Python).
    Seconds,
    /// Milliseconds (JavaScript).
    Millis,
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Millis => 0.001,
        }
    }

    /// `s` or `ms`.
    pub fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Millis => "ms",
        }
    }

    /// A duration as a number in this unit.
    pub fn of(self, d: std::time::Duration) -> f64 {
        match self {
            TimeUnit::Seconds => d.as_secs_f64(),
            TimeUnit::Millis => d.as_secs_f64() * 1000.0,
        }
    }

    /// An instant as a number in this unit.
    pub fn of_instant(self, t: Instant) -> f64 {
        t.as_nanos() as f64 / 1e9 / self.seconds()
    }
}

crate::error::field_error!(
    /// A time or duration a caller passed that the timeline cannot hold: negative, NaN,
    /// infinite, or past `u64::MAX` nanoseconds.
    TimeError,
    "",
    "invalid_time",
    crate::error::ErrorKind::Argument
);

/// A source of monotonic time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Instant;
}

/// A clock that moves only when told to (`advance`, `set`): for tests and simulation.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock at `start`.
    pub fn new(start: Instant) -> ManualClock {
        ManualClock(AtomicU64::new(start.0))
    }

    /// Moves the clock forward.
    pub fn advance(&self, d: std::time::Duration) {
        let n = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| {
                Some(v.saturating_add(n))
            });
    }

    /// Sets the clock (it may not go back: earlier instants are ignored).
    pub fn set(&self, t: Instant) {
        self.0.fetch_max(t.0, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        Instant(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_checked() {
        assert_eq!(
            duration_from_secs(1.5),
            Ok(std::time::Duration::from_millis(1500))
        );
        for bad in [-1.0, f64::NAN, f64::INFINITY, 1e300] {
            assert!(duration_from_secs(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Instant::try_from_secs_f64(1.5),
            Ok(Instant::from_millis(1500))
        );
        for bad in [-1.0, f64::NAN, f64::INFINITY, 1.9e10] {
            assert!(Instant::try_from_secs_f64(bad).is_err(), "{bad}");
        }
        let c = ManualClock::new(Instant::from_millis(5));
        c.advance(std::time::Duration::from_millis(10));
        c.set(Instant::ZERO);
        assert_eq!(
            c.now(),
            Instant::from_millis(15),
            "a manual clock never goes back"
        );
    }
}
