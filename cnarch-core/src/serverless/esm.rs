//! Lambda's event source mapping for SQS: the mapping's settings with Lambda's defaults and
//! ranges, and a function draining a simulated [`Queue`] over a trace of arrivals, as a
//! timeline (queue depth, age of the oldest message, concurrency, throttles, dead-letter
//! moves).
//!
//! ```
//! use cnarch_core::events::sqs::{Queue, QueueAttributes};
//! use cnarch_core::serverless::esm::{drain, Arrival, Consumer, DrainOptions, EventSourceMapping};
//! use cnarch_core::time::Instant;
//! use std::time::Duration;
//!
//! let mut q = Queue::new("jobs", QueueAttributes::default(), None).unwrap();
//! let arrivals = [Arrival { at: Instant::ZERO, count: 100, ..Arrival::default() }];
//! let consumer = Consumer { duration: Duration::from_secs(2), ..Consumer::default() };
//! let options = DrainOptions { until: Instant::from_millis(60_000), ..DrainOptions::default() };
//! let d = drain(&mut q, &EventSourceMapping::default(), &consumer, &arrivals, &options).unwrap();
//! assert_eq!(d.deleted, 100);
//! assert_eq!(d.max_concurrency, 5); // Lambda starts with five concurrent batches
//! ```
//!
//! Rules and sources: `docs/serverless.md`.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;

use super::ServerlessError;
use crate::error::{ErrorKind, ServiceError};
use crate::events::sqs::{
    MessageId, Queue, ReceiveRequest, ReceivedMessage, SendOptions, MAX_MESSAGES_PER_RECEIVE,
};
use crate::time::Instant;

/// The largest invocation payload: 6 MB (6,291,456 bytes).
pub const MAX_PAYLOAD_BYTES: u64 = 6_291_456;
/// The largest batch from a standard queue.
pub const MAX_BATCH_STANDARD: u32 = 10_000;
/// The largest batch from a FIFO queue, and from a standard queue without a batching window.
pub const MAX_BATCH_UNWINDOWED: u32 = 10;
/// The longest batching window, in seconds.
pub const MAX_BATCHING_WINDOW: u32 = 300;
/// `ScalingConfig.MaximumConcurrency`'s bounds.
pub const MIN_MAXIMUM_CONCURRENCY: u32 = 2;
/// The largest `MaximumConcurrency`.
pub const MAX_MAXIMUM_CONCURRENCY: u32 = 1000;
/// Concurrent batches when messages first appear ...
pub const INITIAL_BATCHES: u32 = 5;
/// ... more each minute while messages remain ...
pub const BATCHES_PER_MINUTE: u32 = 300;
/// ... up to this many.
pub const MAX_BATCHES: u32 = 1250;

impl ServiceError {
    fn mapping(path: &str, message: String) -> Self {
        ServiceError::new(
            "invalid_event_source_mapping",
            ErrorKind::Config,
            path,
            message,
        )
    }
}

/// An SQS event source mapping's settings, as CreateEventSourceMapping names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSourceMapping {
    /// `BatchSize`: 10 by default; at most 10,000 (10 from a FIFO queue, or without a window).
    pub batch_size: u32,
    /// `MaximumBatchingWindowInSeconds`: 0 by default, at most 300; none on FIFO queues.
    pub maximum_batching_window: u32,
    /// `FunctionResponseTypes: ["ReportBatchItemFailures"]`: a batch's failed messages alone
    /// return to the queue.
    pub report_batch_item_failures: bool,
    /// `ScalingConfig.MaximumConcurrency`, 2 to 1,000.
    pub maximum_concurrency: Option<u32>,
}

impl Default for EventSourceMapping {
    fn default() -> Self {
        EventSourceMapping {
            batch_size: 10,
            maximum_batching_window: 0,
            report_batch_item_failures: false,
            maximum_concurrency: None,
        }
    }
}

fn whole(v: &Value, path: &str) -> Result<u32, ServerlessError> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            ServerlessError::mapping(path, format!("expected a whole number, found {v}"))
        })
}

impl EventSourceMapping {
    /// The settings from CreateEventSourceMapping's parameters (`BatchSize`,
    /// `MaximumBatchingWindowInSeconds`, `FunctionResponseTypes`, `ScalingConfig`), checked for
    /// a standard queue; others keep their defaults, unknown names are refused.
    pub fn from_value(v: &Value, path: &str) -> Result<EventSourceMapping, ServerlessError> {
        let join = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        let Value::Object(map) = v else {
            return Err(ServerlessError::mapping(
                path,
                format!("expected a mapping of event source mapping settings, found {v}"),
            ));
        };
        let mut m = EventSourceMapping::default();
        for (k, x) in map {
            let p = join(k);
            match k.as_str() {
                "BatchSize" => m.batch_size = whole(x, &p)?,
                "MaximumBatchingWindowInSeconds" => m.maximum_batching_window = whole(x, &p)?,
                "FunctionResponseTypes" => {
                    let list = x.as_array().ok_or_else(|| {
                        ServerlessError::mapping(&p, format!("expected a list, found {x}"))
                    })?;
                    for (i, t) in list.iter().enumerate() {
                        if t.as_str() != Some("ReportBatchItemFailures") {
                            return Err(ServerlessError::mapping(
                                &format!("{p}[{i}]"),
                                format!("expected `ReportBatchItemFailures`, found {t}"),
                            ));
                        }
                    }
                    m.report_batch_item_failures = !list.is_empty();
                }
                "ScalingConfig" => match x {
                    Value::Object(s) => {
                        for (sk, sv) in s {
                            if sk != "MaximumConcurrency" {
                                return Err(ServerlessError::mapping(
                                    &format!("{p}.{sk}"),
                                    format!("expected `MaximumConcurrency`, found `{sk}`"),
                                ));
                            }
                            m.maximum_concurrency = Some(whole(sv, &format!("{p}.{sk}"))?);
                        }
                    }
                    other => {
                        return Err(ServerlessError::mapping(
                            &p,
                            format!("expected a mapping with `MaximumConcurrency`, found {other}"),
                        ))
                    }
                },
                other => {
                    return Err(ServerlessError::mapping(
                        &p,
                        format!("expected an SQS event source mapping setting (`BatchSize`, `MaximumBatchingWindowInSeconds`, `FunctionResponseTypes`, `ScalingConfig`), found `{other}`"),
                    ))
                }
            }
        }
        m.check(false)?;
        Ok(m)
    }

    /// Checks the settings against Lambda's rules for a standard or a FIFO queue.
    pub fn check(&self, fifo: bool) -> Result<(), ServerlessError> {
        let max = if fifo {
            MAX_BATCH_UNWINDOWED
        } else {
            MAX_BATCH_STANDARD
        };
        if self.batch_size == 0 || self.batch_size > max {
            return Err(ServerlessError::mapping(
                "BatchSize",
                format!(
                    "expected 1 to {max} records per batch{}, found {}",
                    if fifo { " from a FIFO queue" } else { "" },
                    self.batch_size
                ),
            ));
        }
        if self.maximum_batching_window > MAX_BATCHING_WINDOW {
            return Err(ServerlessError::mapping(
                "MaximumBatchingWindowInSeconds",
                format!(
                    "expected 0 to 300 seconds, found {}",
                    self.maximum_batching_window
                ),
            ));
        }
        if fifo && self.maximum_batching_window > 0 {
            return Err(ServerlessError::mapping(
                "MaximumBatchingWindowInSeconds",
                "expected none on a FIFO queue (Lambda has no batching window for FIFO queues)"
                    .into(),
            ));
        }
        if self.batch_size > MAX_BATCH_UNWINDOWED && self.maximum_batching_window == 0 {
            return Err(ServerlessError::mapping(
                "MaximumBatchingWindowInSeconds",
                format!(
                    "expected at least 1 s for a batch size above 10, found 0 (BatchSize {})",
                    self.batch_size
                ),
            ));
        }
        if let Some(c) = self.maximum_concurrency {
            if !(MIN_MAXIMUM_CONCURRENCY..=MAX_MAXIMUM_CONCURRENCY).contains(&c) {
                return Err(ServerlessError::mapping(
                    "ScalingConfig.MaximumConcurrency",
                    format!("expected 2 to 1000 concurrent invocations, found {c}"),
                ));
            }
        }
        Ok(())
    }
}

/// The function at the other end: how long an invocation takes, its timeout, its reserved
/// concurrency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    /// Time per invocation ...
    pub duration: Duration,
    /// ... plus this per message of the batch.
    pub per_message: Duration,
    /// The function's timeout (3 s by default): an invocation that would run longer stops at
    /// it and fails its whole batch.
    pub timeout: Duration,
    /// Reserved concurrency: invocations past it are throttled.
    pub reserved_concurrency: Option<u32>,
}

impl Default for Consumer {
    fn default() -> Self {
        Consumer {
            duration: Duration::from_millis(100),
            per_message: Duration::ZERO,
            timeout: super::DEFAULT_TIMEOUT,
            reserved_concurrency: None,
        }
    }
}

/// Messages arriving at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// When (applied at the first tick at or after it).
    pub at: Instant,
    /// How many.
    pub count: u32,
    /// Each body's size in bytes.
    pub size: u32,
    /// How many of them (the first ones) fail on every attempt.
    pub failing: u32,
    /// FIFO queues: message groups the arrival's messages are spread over, round robin.
    pub groups: u32,
}

impl Default for Arrival {
    fn default() -> Self {
        Arrival {
            at: Instant::ZERO,
            count: 1,
            size: 1024,
            failing: 0,
            groups: 1,
        }
    }
}

/// How long to run and how finely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainOptions {
    /// The last tick.
    pub until: Instant,
    /// The step between ticks (1 s by default).
    pub tick: Duration,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            until: Instant::from_millis(3_600_000),
            tick: Duration::from_secs(1),
        }
    }
}

/// The state at one tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinePoint {
    /// The tick.
    pub at: Instant,
    /// Messages waiting in the queue.
    pub visible: u64,
    /// Messages received and not deleted (in batches being gathered or run, or thrown back).
    pub in_flight: u64,
    /// The queue's age of its oldest message.
    pub oldest_age: Option<Duration>,
    /// Invocations running.
    pub concurrency: u32,
    /// Concurrent batches Lambda's scaling allows now.
    pub batches_allowed: u32,
    /// Invocations started at this tick.
    pub invocations: u32,
    /// Batches throttled at this tick.
    pub throttles: u32,
    /// Messages deleted so far.
    pub deleted: u64,
    /// Messages moved to the dead-letter queue so far.
    pub moved_to_dead_letter: u64,
}

/// A drain's timeline and totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drain {
    /// One point per tick.
    pub points: Vec<TimelinePoint>,
    /// Invocations started.
    pub invocations: u64,
    /// Batches throttled (their messages return after the visibility timeout).
    pub throttles: u64,
    /// Invocations stopped at the timeout.
    pub timeouts: u64,
    /// Records the function reported failed (or whose batch failed).
    pub failed_records: u64,
    /// The most invocations running at once.
    pub max_concurrency: u32,
    /// Messages deleted.
    pub deleted: u64,
    /// Messages moved to the dead-letter queue.
    pub moved_to_dead_letter: u64,
    /// Deletes refused because the message had been received again (processed twice).
    pub stale_deletes: u64,
    /// The first tick after the last arrival with the queue empty and nothing running.
    pub drained_at: Option<Instant>,
}

/// A batch being gathered; `opened` is the tick of its first messages (a slot that gathers
/// nothing is freed at the same tick).
struct Batch {
    messages: Vec<ReceivedMessage>,
    bytes: u64,
    opened: Instant,
}

struct Running {
    end: Instant,
    messages: Vec<ReceivedMessage>,
    timed_out: bool,
}

/// Runs the mapping: each tick sends the arrivals due, finishes the invocations that ended
/// (deleting what succeeded), and lets each free batch slot gather a batch (up to
/// `BatchSize`, 6 MB, and the batching window) and invoke the function, throttled past its
/// reserved concurrency. Lambda allows 5 concurrent batches when the drain starts and 300
/// more each minute, up to 1,250, and at most `MaximumConcurrency`.
pub fn drain(
    queue: &mut Queue,
    mapping: &EventSourceMapping,
    consumer: &Consumer,
    arrivals: &[Arrival],
    options: &DrainOptions,
) -> Result<Drain, ServerlessError> {
    mapping.check(queue.is_fifo())?;
    if options.tick.is_zero() {
        return Err(ServerlessError::usage(
            "tick",
            "expected a step above 0".into(),
        ));
    }
    for (i, a) in arrivals.iter().enumerate() {
        if a.failing > a.count || a.groups == 0 || a.size == 0 {
            return Err(ServerlessError::usage(
                &format!("arrivals[{i}]"),
                format!(
                    "expected `failing` at most `count`, and `groups` and `size` of at least 1, found count {}, failing {}, groups {}, size {}",
                    a.count, a.failing, a.groups, a.size
                ),
            ));
        }
    }
    let mut order: Vec<&Arrival> = arrivals.iter().collect();
    order.sort_by_key(|a| a.at);
    let last_arrival = order.last().map(|a| a.at);
    let largest = u64::from(order.iter().map(|a| a.size).max().unwrap_or(1));
    let start = order.first().map_or(Instant::ZERO, |a| a.at);
    let mut next = 0;
    let mut sent: u64 = 0;
    let mut failing: HashSet<MessageId> = HashSet::new();
    let mut open: Vec<Batch> = Vec::new();
    let mut running: Vec<Running> = Vec::new();
    let mut d = Drain {
        points: Vec::new(),
        invocations: 0,
        throttles: 0,
        timeouts: 0,
        failed_records: 0,
        max_concurrency: 0,
        deleted: 0,
        moved_to_dead_letter: 0,
        stale_deletes: 0,
        drained_at: None,
    };
    let window = Duration::from_secs(u64::from(mapping.maximum_batching_window));
    let mut t = start;
    while t <= options.until {
        // 1. Arrivals due.
        while next < order.len() && order[next].at <= t {
            let a = order[next];
            for k in 0..a.count {
                sent += 1;
                let mut body = sent.to_string();
                if body.len() < a.size as usize {
                    body.push_str(&"x".repeat(a.size as usize - body.len()));
                }
                let opts = if queue.is_fifo() {
                    SendOptions {
                        message_group_id: Some(format!("g{}", k % a.groups)),
                        message_deduplication_id: Some(sent.to_string()),
                        ..SendOptions::default()
                    }
                } else {
                    SendOptions::default()
                };
                let r = queue.send(t, body, &opts)?;
                if k < a.failing {
                    failing.insert(r.message_id);
                }
            }
            next += 1;
        }
        // 2. Invocations that ended.
        let mut i = 0;
        while i < running.len() {
            if running[i].end > t {
                i += 1;
                continue;
            }
            let r = running.swap_remove(i);
            let failed: Vec<bool> = r
                .messages
                .iter()
                .map(|m| r.timed_out || failing.contains(&m.message_id))
                .collect();
            let any_failed = failed.iter().any(|&f| f);
            d.failed_records += if r.timed_out || mapping.report_batch_item_failures {
                failed.iter().filter(|&&f| f).count() as u64
            } else if any_failed {
                r.messages.len() as u64
            } else {
                0
            };
            for (m, f) in r.messages.iter().zip(&failed) {
                let delete = !r.timed_out
                    && if mapping.report_batch_item_failures {
                        !f
                    } else {
                        !any_failed
                    };
                if delete {
                    match queue.delete(t, &m.receipt_handle) {
                        Ok(()) => d.deleted += 1,
                        Err(_) => d.stale_deletes += 1,
                    }
                }
            }
        }
        // 3. Lambda's scaling.
        let minutes = u32::try_from(t.saturating_since(start).as_secs() / 60).unwrap_or(u32::MAX);
        let mut allowed = INITIAL_BATCHES
            .saturating_add(BATCHES_PER_MINUTE.saturating_mul(minutes))
            .min(MAX_BATCHES);
        if let Some(c) = mapping.maximum_concurrency {
            allowed = allowed.min(c);
        }
        // 4. Gather: open batches take more, free slots open new ones.
        let mut ready: Vec<Batch> = Vec::new();
        let slots = allowed as usize;
        let mut b = 0;
        loop {
            if b >= open.len() {
                if running.len() + open.len() + ready.len() >= slots {
                    break;
                }
                open.push(Batch {
                    messages: Vec::new(),
                    bytes: 0,
                    opened: t,
                });
            }
            let batch = &mut open[b];
            loop {
                let room = (mapping.batch_size as usize).saturating_sub(batch.messages.len());
                let by_bytes = (MAX_PAYLOAD_BYTES.saturating_sub(batch.bytes) / largest) as usize;
                let n = room.min(by_bytes).min(MAX_MESSAGES_PER_RECEIVE as usize);
                if n == 0 {
                    break;
                }
                let got = queue.receive(
                    t,
                    &ReceiveRequest {
                        max_messages: n as u32,
                        ..ReceiveRequest::default()
                    },
                )?;
                if got.is_empty() {
                    break;
                }
                for m in got {
                    batch.bytes += m.body.len() as u64;
                    batch.messages.push(m);
                }
            }
            let full = batch.messages.len() >= mapping.batch_size as usize
                || MAX_PAYLOAD_BYTES.saturating_sub(batch.bytes) < largest;
            if batch.messages.is_empty() {
                // Nothing to gather: the slot stays free.
                open.swap_remove(b);
                break;
            }
            if full || window.is_zero() || t.saturating_since(batch.opened) >= window {
                ready.push(open.swap_remove(b));
            } else {
                b += 1;
            }
        }
        // 5. Invoke, or throttle past the reserved concurrency.
        let mut started: u32 = 0;
        let mut throttled: u32 = 0;
        for batch in ready {
            let limit = consumer
                .reserved_concurrency
                .map_or(usize::MAX, |r| r as usize);
            if running.len() >= limit {
                throttled += 1;
                continue;
            }
            let per = consumer
                .per_message
                .saturating_mul(u32::try_from(batch.messages.len()).unwrap_or(u32::MAX));
            let run = consumer.duration.saturating_add(per);
            let timed_out = run > consumer.timeout;
            if timed_out {
                d.timeouts += 1;
            }
            running.push(Running {
                end: t.saturating_add(run.min(consumer.timeout)),
                messages: batch.messages,
                timed_out,
            });
            started += 1;
        }
        d.invocations += u64::from(started);
        d.throttles += u64::from(throttled);
        d.max_concurrency = d.max_concurrency.max(running.len() as u32);
        let m = queue.metrics(t)?;
        d.moved_to_dead_letter = m.moved_to_dead_letter;
        d.points.push(TimelinePoint {
            at: t,
            visible: m.visible,
            in_flight: m.in_flight,
            oldest_age: m.oldest_age,
            concurrency: running.len() as u32,
            batches_allowed: allowed,
            invocations: started,
            throttles: throttled,
            deleted: d.deleted,
            moved_to_dead_letter: m.moved_to_dead_letter,
        });
        let empty = m.visible + m.in_flight + m.delayed == 0 && running.is_empty();
        if d.drained_at.is_none() && empty && last_arrival.is_some_and(|l| t >= l) {
            d.drained_at = Some(t);
        }
        t = t.saturating_add(options.tick);
    }
    Ok(d)
}
