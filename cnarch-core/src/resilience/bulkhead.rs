//! A bulkhead: at most `max_concurrent` calls in flight, at most `max_queued` waiting for a slot
//! (first come, first served), each waiting at most `max_wait` when set. resilience4j's
//! semaphore bulkhead is `max_queued = 0` plus a wait; its thread-pool bulkhead and Envoy's
//! `max_requests` / `max_pending_requests` are the concurrent and queued limits.
//!
//! Pure and thread-safe (`Send + Sync`, one mutex): [`Bulkhead::try_enter`] admits, queues or
//! rejects; [`Bulkhead::release`] frees a slot and, when someone waits, hands it to the oldest
//! waiter (returned so the host can wake it); [`Bulkhead::expire`] drops waiters past their wait.
//!
//! ```
//! use cnarch_core::resilience::bulkhead::{Admission, Bulkhead};
//! use cnarch_core::time::Instant;
//! let b = Bulkhead::new(1, 1, None).unwrap();
//! let t = Instant::ZERO;
//! assert!(matches!(b.try_enter(t), Admission::Admitted));
//! let Admission::Queued(ticket) = b.try_enter(t) else { panic!() };
//! assert!(matches!(b.try_enter(t), Admission::Rejected { .. }));
//! assert_eq!(b.release(t).unwrap(), Some(ticket)); // the waiter now holds the slot
//! ```

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crate::time::Instant;

/// A place in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket(pub u64);

/// The answer to [`Bulkhead::try_enter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// A slot is held; give it back with [`Bulkhead::release`].
    Admitted,
    /// Waiting; the ticket comes back from `release` when the slot is handed over.
    Queued(Ticket),
    /// Full: `active` calls in flight and `queued` waiting.
    Rejected {
        /// Calls in flight.
        active: u32,
        /// Calls waiting.
        queued: u32,
    },
}

impl Admission {
    /// `"admitted"`, `"queued"` or `"rejected"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Admission::Admitted => "admitted",
            Admission::Queued(_) => "queued",
            Admission::Rejected { .. } => "rejected",
        }
    }
}

/// Misuse or bad configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulkheadError {
    /// `max_concurrent` of 0.
    #[error("invalid bulkhead config: expected max_concurrent of at least 1, found 0")]
    Invalid,
    /// `release` without a held slot.
    #[error("bulkhead released more often than entered")]
    NotHeld,
}

impl BulkheadError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            BulkheadError::Invalid => "invalid_bulkhead_config",
            BulkheadError::NotHeld => "bulkhead_not_held",
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    active: u32,
    queue: VecDeque<(Ticket, Instant)>,
    next: u64,
    rejected: u64,
}

/// Concurrency and queue limits.
#[derive(Debug)]
pub struct Bulkhead {
    max_concurrent: u32,
    max_queued: u32,
    max_wait: Option<Duration>,
    inner: Mutex<Inner>,
}

impl Bulkhead {
    /// A bulkhead; `max_wait` of `None` lets waiters wait until served or cancelled.
    pub fn new(
        max_concurrent: u32,
        max_queued: u32,
        max_wait: Option<Duration>,
    ) -> Result<Bulkhead, BulkheadError> {
        if max_concurrent == 0 {
            return Err(BulkheadError::Invalid);
        }
        Ok(Bulkhead {
            max_concurrent,
            max_queued,
            max_wait,
            inner: Mutex::new(Inner::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks for a slot at `now` (waiters past their wait are dropped first).
    pub fn try_enter(&self, now: Instant) -> Admission {
        let mut s = self.lock();
        self.drop_expired(&mut s, now);
        if s.active < self.max_concurrent && s.queue.is_empty() {
            s.active += 1;
            return Admission::Admitted;
        }
        if (s.queue.len() as u64) < u64::from(self.max_queued) {
            let t = Ticket(s.next);
            s.next += 1;
            s.queue.push_back((t, now));
            return Admission::Queued(t);
        }
        s.rejected += 1;
        Admission::Rejected {
            active: s.active,
            queued: u32::try_from(s.queue.len()).unwrap_or(u32::MAX),
        }
    }

    /// Gives a slot back at `now`. When a call waits (and has not waited past `max_wait`), the
    /// slot passes to the oldest waiter, whose ticket is returned (it now holds the slot and
    /// must `release` it in turn).
    pub fn release(&self, now: Instant) -> Result<Option<Ticket>, BulkheadError> {
        let mut s = self.lock();
        self.drop_expired(&mut s, now);
        if s.active == 0 {
            return Err(BulkheadError::NotHeld);
        }
        match s.queue.pop_front() {
            Some((t, _)) => Ok(Some(t)),
            None => {
                s.active -= 1;
                Ok(None)
            }
        }
    }

    /// Leaves the queue; false when the ticket is not waiting (served, expired or unknown).
    pub fn cancel(&self, ticket: Ticket) -> bool {
        let mut s = self.lock();
        let before = s.queue.len();
        s.queue.retain(|(t, _)| *t != ticket);
        s.queue.len() != before
    }

    fn drop_expired(&self, s: &mut Inner, now: Instant) -> Vec<Ticket> {
        let Some(w) = self.max_wait else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while let Some(&(t, since)) = s.queue.front() {
            if now.saturating_since(since) >= w {
                s.queue.pop_front();
                s.rejected += 1;
                out.push(t);
            } else {
                break;
            }
        }
        out
    }

    /// Drops the waiters whose `max_wait` is over at `now`, returning their tickets.
    pub fn expire(&self, now: Instant) -> Vec<Ticket> {
        let mut s = self.lock();
        self.drop_expired(&mut s, now)
    }

    /// Calls in flight.
    pub fn active(&self) -> u32 {
        self.lock().active
    }

    /// Calls waiting.
    pub fn queued(&self) -> u32 {
        u32::try_from(self.lock().queue.len()).unwrap_or(u32::MAX)
    }

    /// Calls refused (full, or waited too long) since creation.
    pub fn rejected(&self) -> u64 {
        self.lock().rejected
    }

    /// Slots still free.
    pub fn available(&self) -> u32 {
        self.max_concurrent - self.lock().active
    }
}

impl crate::error::Coded for BulkheadError {
    fn code(&self) -> &'static str {
        BulkheadError::code(self)
    }
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            BulkheadError::Invalid => crate::error::ErrorKind::Config,
            BulkheadError::NotHeld => crate::error::ErrorKind::State,
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            BulkheadError::Invalid => Some("max_concurrent"),
            BulkheadError::NotHeld => None,
        }
    }
}
