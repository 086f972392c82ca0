//! Amazon SQS queues, simulated: a queue and its dead-letter queue driven by explicit times,
//! with AWS's attributes (defaults and ranges), visibility timeouts, per-message delays,
//! receive counts and redrive, retention, FIFO message groups and deduplication, and receipt
//! handles.
//!
//! Nothing happens between calls: each call takes `now` (never earlier than the last call's)
//! and first applies what the time passed brings (delays ending, visibility timeouts running
//! out, retention expiring), in that order: a message that expires at the instant it would
//! become visible is gone.
//!
//! ```
//! use cnarch_core::events::sqs::{Queue, QueueAttributes, ReceiveRequest, SendOptions};
//! use cnarch_core::time::Instant;
//!
//! let mut q = Queue::new("orders", QueueAttributes::default(), None).unwrap();
//! let s = |secs: u64| Instant::from_millis(secs * 1000);
//! q.send(s(0), "order 1", &SendOptions::default()).unwrap();
//! let got = q.receive(s(1), &ReceiveRequest::default()).unwrap();
//! assert_eq!(got[0].body, "order 1");
//! // In flight for the 30 s visibility timeout, then visible again.
//! assert!(q.receive(s(30), &ReceiveRequest::default()).unwrap().is_empty());
//! let again = q.receive(s(31), &ReceiveRequest::default()).unwrap();
//! assert_eq!(again[0].receive_count, 2);
//! // The first receipt handle is stale now; the latest deletes the message.
//! assert!(q.delete(s(32), &got[0].receipt_handle).is_err());
//! q.delete(s(32), &again[0].receipt_handle).unwrap();
//! assert_eq!(q.metrics(s(32)).unwrap().deleted, 1);
//! ```
//!
//! Every rule and its source in the SQS developer guide and API reference is in
//! `docs/events.md`.

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;

/// The tables' hasher: foldhash with a fixed seed (the simulation is deterministic and its
/// keys are the caller's own).
type Fixed = foldhash::fast::FixedState;
use std::time::Duration;

use serde_json::Value;

use super::ServiceError;
use crate::error::ErrorKind;
use crate::time::Instant;

/// `VisibilityTimeout`'s default, in seconds.
pub const DEFAULT_VISIBILITY_TIMEOUT: u32 = 30;
/// The longest visibility timeout, in seconds (12 hours); also the longest a message may stay
/// in flight from the receive that took it.
pub const MAX_VISIBILITY_TIMEOUT: u32 = 43_200;
/// `MessageRetentionPeriod`'s default, in seconds (4 days).
pub const DEFAULT_RETENTION: u32 = 345_600;
/// The shortest retention period, in seconds.
pub const MIN_RETENTION: u32 = 60;
/// The longest retention period, in seconds (14 days).
pub const MAX_RETENTION: u32 = 1_209_600;
/// The longest queue or message delay, in seconds (15 minutes).
pub const MAX_DELAY: u32 = 900;
/// The longest long-polling wait, in seconds.
pub const MAX_WAIT_TIME: u32 = 20;
/// `MaximumMessageSize`'s bounds and default, in bytes (1 KiB to 1 MiB; 1 MiB by default).
pub const MIN_MESSAGE_SIZE: u32 = 1024;
/// The largest message SQS takes, and `MaximumMessageSize`'s default.
pub const MAX_MESSAGE_SIZE: u32 = 1_048_576;
/// `maxReceiveCount`'s bounds.
pub const MAX_RECEIVE_COUNT: u32 = 1000;
/// The most messages one receive returns.
pub const MAX_MESSAGES_PER_RECEIVE: u32 = 10;
/// A FIFO queue's deduplication interval, in seconds.
pub const DEDUPLICATION_WINDOW: u32 = 300;
/// The most messages a standard queue holds in flight; a receive past it fails (`OverLimit`).
pub const STANDARD_IN_FLIGHT_LIMIT: u64 = 120_000;
/// The longest queue name, `.fifo` included.
pub const MAX_NAME_LEN: usize = 80;
/// The longest message group or deduplication id.
pub const MAX_ID_LEN: usize = 128;

/// Attributes CreateQueue takes that the simulation accepts and does not model (encryption,
/// access policy, throughput mode, redrive permission).
const UNMODELLED: [&str; 6] = [
    "Policy",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
    "FifoThroughputLimit",
    "RedriveAllowPolicy",
];

/// Why a queue call was refused (`invalid_queue_attribute`, `invalid_message`,
/// `invalid_receipt_handle`, `message_not_in_flight`, `over_limit`, `invalid_number`,
/// `invalid_time`), where (`path`, with AWS's attribute names) and what was expected.
pub type SqsError = ServiceError;

impl ServiceError {
    fn queue_attribute(path: &str, message: impl Into<String>) -> SqsError {
        ServiceError::new("invalid_queue_attribute", ErrorKind::Config, path, message)
    }
    fn message(path: &str, message: impl Into<String>) -> SqsError {
        ServiceError::new("invalid_message", ErrorKind::Argument, path, message)
    }
    fn number(path: &str, message: impl Into<String>) -> SqsError {
        ServiceError::new("invalid_number", ErrorKind::Argument, path, message)
    }
    fn handle(message: impl Into<String>) -> SqsError {
        ServiceError::new(
            "invalid_receipt_handle",
            ErrorKind::State,
            "receipt_handle",
            message,
        )
    }
}

/// Where a FIFO queue looks for duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DeduplicationScope {
    /// The whole queue (SQS's default).
    #[default]
    Queue,
    /// Each message group (high-throughput FIFO).
    MessageGroup,
}

/// Where a queue's failing messages go: `RedrivePolicy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedrivePolicy {
    /// The dead-letter queue: its ARN (`arn:aws:sqs:region:account:name`) or its name.
    pub dead_letter_target: String,
    /// Receives a message may have; the receive that would be one more moves it instead.
    pub max_receive_count: u32,
}

impl RedrivePolicy {
    /// The dead-letter queue's name: the ARN's last field, or the target as given.
    pub fn target_name(&self) -> &str {
        if self.dead_letter_target.starts_with("arn:") {
            self.dead_letter_target
                .rsplit(':')
                .next()
                .unwrap_or(&self.dead_letter_target)
        } else {
            &self.dead_letter_target
        }
    }
}

/// A queue's attributes, as CreateQueue takes them; times in whole seconds, as AWS counts
/// them in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueAttributes {
    /// `FifoQueue`: a FIFO queue (its name ends in `.fifo`).
    pub fifo: bool,
    /// `VisibilityTimeout`, 0 to 43,200 s; 30 by default.
    pub visibility_timeout: u32,
    /// `MessageRetentionPeriod`, 60 s to 14 days; 4 days by default.
    pub message_retention_period: u32,
    /// `DelaySeconds`, 0 to 900; 0 by default.
    pub delay_seconds: u32,
    /// `ReceiveMessageWaitTimeSeconds`, 0 to 20; 0 by default.
    pub receive_message_wait_time_seconds: u32,
    /// `MaximumMessageSize`, 1,024 to 1,048,576 bytes; 1,048,576 by default.
    pub maximum_message_size: u32,
    /// `ContentBasedDeduplication` (FIFO only): the body is the deduplication id when none
    /// is given.
    pub content_based_deduplication: bool,
    /// `DeduplicationScope` (FIFO only).
    pub deduplication_scope: DeduplicationScope,
    /// `RedrivePolicy`.
    pub redrive_policy: Option<RedrivePolicy>,
}

impl Default for QueueAttributes {
    fn default() -> Self {
        QueueAttributes {
            fifo: false,
            visibility_timeout: DEFAULT_VISIBILITY_TIMEOUT,
            message_retention_period: DEFAULT_RETENTION,
            delay_seconds: 0,
            receive_message_wait_time_seconds: 0,
            maximum_message_size: MAX_MESSAGE_SIZE,
            content_based_deduplication: false,
            deduplication_scope: DeduplicationScope::Queue,
            redrive_policy: None,
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A numeric attribute's bounds and unit (the `RedrivePolicy`'s `maxReceiveCount` too).
fn bounds(name: &str) -> (u32, u32, &'static str) {
    match name {
        "VisibilityTimeout" => (0, MAX_VISIBILITY_TIMEOUT, "seconds"),
        "MessageRetentionPeriod" => (MIN_RETENTION, MAX_RETENTION, "seconds"),
        "DelaySeconds" => (0, MAX_DELAY, "seconds"),
        "ReceiveMessageWaitTimeSeconds" => (0, MAX_WAIT_TIME, "seconds"),
        "MaximumMessageSize" => (MIN_MESSAGE_SIZE, MAX_MESSAGE_SIZE, "bytes"),
        _ => (1, MAX_RECEIVE_COUNT, "receives"),
    }
}

/// `n` for the attribute `name` at `path`, if within its bounds.
fn within(path: &str, name: &str, n: u64) -> Result<u32, SqsError> {
    let (lo, hi, unit) = bounds(name);
    if n < u64::from(lo) || n > u64::from(hi) {
        return Err(SqsError::queue_attribute(
            path,
            format!("expected a whole number of {unit} from {lo} to {hi}, found {n}"),
        ));
    }
    Ok(n as u32)
}

/// The attribute `name` from a JSON number or its decimal text (AWS writes attribute values
/// as strings), within its bounds.
fn whole(v: &Value, path: &str, name: &str) -> Result<u32, SqsError> {
    let n = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<u64>().ok()
        }
        _ => None,
    };
    let Some(n) = n else {
        let (lo, hi, unit) = bounds(name);
        return Err(SqsError::queue_attribute(
            path,
            format!("expected a whole number of {unit} from {lo} to {hi} (or its text), found {v}"),
        ));
    };
    within(path, name, n)
}

fn boolean(v: &Value, path: &str) -> Result<bool, SqsError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        other => Err(SqsError::queue_attribute(
            path,
            format!("expected `true` or `false`, found {other}"),
        )),
    }
}

impl QueueAttributes {
    /// A FIFO queue's defaults.
    pub fn fifo() -> QueueAttributes {
        QueueAttributes {
            fifo: true,
            ..QueueAttributes::default()
        }
    }

    /// The attributes from CreateQueue's `Attributes` mapping (AWS's names; values as numbers
    /// or booleans, or their text as AWS writes them; `RedrivePolicy` as a mapping or its JSON
    /// text). Attributes not given keep their defaults; names CreateQueue does not know, and
    /// values outside their ranges, are refused with the attribute's path under `path`.
    pub fn from_value(v: &Value, path: &str) -> Result<QueueAttributes, SqsError> {
        let Value::Object(map) = v else {
            return Err(SqsError::queue_attribute(
                path,
                format!("expected a mapping of queue attributes, found {v}"),
            ));
        };
        let mut a = QueueAttributes::default();
        for (key, value) in map {
            let p = join(path, key);
            match key.as_str() {
                "FifoQueue" => a.fifo = boolean(value, &p)?,
                "VisibilityTimeout" => a.visibility_timeout = whole(value, &p, key)?,
                "MessageRetentionPeriod" => a.message_retention_period = whole(value, &p, key)?,
                "DelaySeconds" => a.delay_seconds = whole(value, &p, key)?,
                "ReceiveMessageWaitTimeSeconds" => {
                    a.receive_message_wait_time_seconds = whole(value, &p, key)?
                }
                "MaximumMessageSize" => a.maximum_message_size = whole(value, &p, key)?,
                "ContentBasedDeduplication" => a.content_based_deduplication = boolean(value, &p)?,
                "DeduplicationScope" => {
                    a.deduplication_scope = match value.as_str() {
                        Some("queue") => DeduplicationScope::Queue,
                        Some("messageGroup") => DeduplicationScope::MessageGroup,
                        _ => {
                            return Err(SqsError::queue_attribute(
                                &p,
                                format!("expected `queue` or `messageGroup`, found {value}"),
                            ))
                        }
                    }
                }
                "RedrivePolicy" => a.redrive_policy = Some(redrive(value, &p)?),
                k if UNMODELLED.contains(&k) => {}
                other => {
                    return Err(SqsError::queue_attribute(
                        &p,
                        format!("expected a queue attribute CreateQueue knows (`VisibilityTimeout`, `MessageRetentionPeriod`, `DelaySeconds`, `ReceiveMessageWaitTimeSeconds`, `MaximumMessageSize`, `FifoQueue`, `ContentBasedDeduplication`, `DeduplicationScope`, `RedrivePolicy`, ...), found `{other}`"),
                    ))
                }
            }
        }
        Ok(a)
    }

    /// The attributes of the model's queue (`visibility`, `retention`, `deadLetter`), which
    /// must be whole seconds.
    pub fn from_model(q: &crate::model::events::Queue) -> Result<QueueAttributes, SqsError> {
        let secs = |d: &crate::duration::Duration, field: &str| -> Result<u32, SqsError> {
            let n = d.as_nanos();
            if n % 1_000_000_000 != 0 || n < 0 || n / 1_000_000_000 > i64::from(u32::MAX) {
                return Err(SqsError::queue_attribute(
                    field,
                    format!("expected whole seconds (SQS counts in seconds), found `{d}`"),
                ));
            }
            Ok((n / 1_000_000_000) as u32)
        };
        let mut a = QueueAttributes {
            fifo: q.queue_type == Some(crate::model::events::QueueType::Fifo),
            ..QueueAttributes::default()
        };
        if let Some(d) = &q.visibility {
            a.visibility_timeout = secs(d, "visibility")?;
        }
        if let Some(d) = &q.retention {
            a.message_retention_period = secs(d, "retention")?;
        }
        if let Some(dl) = &q.dead_letter {
            a.redrive_policy = Some(RedrivePolicy {
                dead_letter_target: dl.name.clone(),
                max_receive_count: u32::try_from(dl.max_receive).unwrap_or(0),
            });
        }
        Ok(a)
    }

    fn check(&self, path: &str) -> Result<(), SqsError> {
        for (name, n) in [
            ("VisibilityTimeout", self.visibility_timeout),
            ("MessageRetentionPeriod", self.message_retention_period),
            ("DelaySeconds", self.delay_seconds),
            (
                "ReceiveMessageWaitTimeSeconds",
                self.receive_message_wait_time_seconds,
            ),
            ("MaximumMessageSize", self.maximum_message_size),
        ] {
            within(&join(path, name), name, u64::from(n))?;
        }
        if !self.fifo {
            if self.content_based_deduplication {
                return Err(SqsError::queue_attribute(
                    &join(path, "ContentBasedDeduplication"),
                    "expected it on FIFO queues only (a standard queue does not deduplicate)",
                ));
            }
            if self.deduplication_scope != DeduplicationScope::Queue {
                return Err(SqsError::queue_attribute(
                    &join(path, "DeduplicationScope"),
                    "expected it on FIFO queues only (a standard queue does not deduplicate)",
                ));
            }
        }
        if let Some(r) = &self.redrive_policy {
            let p = join(path, "RedrivePolicy.maxReceiveCount");
            within(&p, "maxReceiveCount", u64::from(r.max_receive_count))?;
        }
        Ok(())
    }
}

fn redrive(v: &Value, path: &str) -> Result<RedrivePolicy, SqsError> {
    let parsed;
    let v = match v {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).map_err(|e| {
                SqsError::queue_attribute(path, format!("expected a redrive policy (a mapping or its JSON text), found text that is not JSON ({e})"))
            })?;
            &parsed
        }
        other => other,
    };
    let Value::Object(map) = v else {
        return Err(SqsError::queue_attribute(
            path,
            format!("expected a redrive policy (a mapping with `deadLetterTargetArn` and `maxReceiveCount`), found {v}"),
        ));
    };
    let mut target = None;
    let mut count = None;
    for (k, x) in map {
        let p = join(path, k);
        match k.as_str() {
            "deadLetterTargetArn" => match x {
                Value::String(s) if !s.is_empty() => target = Some(s.clone()),
                other => {
                    return Err(SqsError::queue_attribute(
                        &p,
                        format!("expected the dead-letter queue's ARN or name, found {other}"),
                    ))
                }
            },
            "maxReceiveCount" => {
                count = Some(whole(x, &p, k)?);
            }
            other => {
                return Err(SqsError::queue_attribute(
                    &p,
                    format!("expected `deadLetterTargetArn` or `maxReceiveCount`, found `{other}`"),
                ))
            }
        }
    }
    match (target, count) {
        (Some(dead_letter_target), Some(max_receive_count)) => Ok(RedrivePolicy {
            dead_letter_target,
            max_receive_count,
        }),
        (None, _) => Err(SqsError::queue_attribute(
            &join(path, "deadLetterTargetArn"),
            "expected the dead-letter queue's ARN or name, found nothing",
        )),
        (_, None) => Err(SqsError::queue_attribute(
            &join(path, "maxReceiveCount"),
            "expected a whole number of receives from 1 to 1000, found nothing",
        )),
    }
}

fn check_name(name: &str, fifo: bool, path: &str) -> Result<(), SqsError> {
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    let ok = !stem.is_empty()
        && name.len() <= MAX_NAME_LEN
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(SqsError::queue_attribute(
            path,
            format!("expected a queue name of 1 to 80 letters, digits, `-` or `_` (a FIFO queue's ending in `.fifo`, counted in the 80), found `{name}`"),
        ));
    }
    if fifo != name.ends_with(".fifo") {
        return Err(SqsError::queue_attribute(
            path,
            if fifo {
                format!("expected a FIFO queue's name to end in `.fifo`, found `{name}`")
            } else {
                format!("expected a queue named `{name}` to be created with `FifoQueue` true (only FIFO queues' names end in `.fifo`)")
            },
        ));
    }
    Ok(())
}

/// A message's id: unique in its queue, kept when the message moves to the dead-letter
/// queue. Written `m-<n>`, `n` counting sends from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(pub u64);

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m-{}", self.0)
    }
}

/// Which of the two queues a receipt handle or a receive is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Side {
    /// The queue itself.
    #[default]
    Source,
    /// Its dead-letter queue.
    DeadLetter,
}

/// One receive of one message: valid until the message is received again, deleted, expires
/// or moves. Written `<q|dlq>.<slot>.<receive>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceiptHandle {
    side: Side,
    slot: u64,
    receive: u32,
}

impl fmt::Display for ReceiptHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.side {
            Side::Source => "q",
            Side::DeadLetter => "dlq",
        };
        write!(f, "{side}.{}.{}", self.slot, self.receive)
    }
}

impl std::str::FromStr for ReceiptHandle {
    type Err = SqsError;
    fn from_str(s: &str) -> Result<Self, SqsError> {
        let bad = || {
            SqsError::handle(format!(
                "expected a receipt handle a receive returned, found `{s}`"
            ))
        };
        let mut parts = s.split('.');
        let side = match parts.next() {
            Some("q") => Side::Source,
            Some("dlq") => Side::DeadLetter,
            _ => return Err(bad()),
        };
        let slot = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let receive = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        if parts.next().is_some() || receive == 0 {
            return Err(bad());
        }
        Ok(ReceiptHandle {
            side,
            slot,
            receive,
        })
    }
}

/// SendMessage's per-message parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// `DelaySeconds`, 0 to 900, overriding the queue's (standard queues only).
    pub delay_seconds: Option<u32>,
    /// `MessageGroupId`: required on FIFO queues; on a standard queue it is kept and
    /// returned (fair queues) without changing the order.
    pub message_group_id: Option<String>,
    /// `MessageDeduplicationId` (FIFO only).
    pub message_deduplication_id: Option<String>,
}

/// What a send returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    /// The message's id; for a duplicate, the id of the message it duplicates.
    pub message_id: MessageId,
    /// FIFO queues: the message's sequence number (increasing per queue).
    pub sequence_number: Option<u64>,
    /// Whether the send was accepted as a duplicate within the deduplication interval, and
    /// so not enqueued.
    pub duplicate: bool,
}

/// ReceiveMessage's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveRequest {
    /// `MaxNumberOfMessages`, 1 to 10; 1 by default.
    pub max_messages: u32,
    /// `VisibilityTimeout` for these messages, 0 to 43,200 s; the queue's by default.
    pub visibility_timeout: Option<u32>,
    /// `WaitTimeSeconds`, 0 to 20: checked, and without effect (a simulated receive sees
    /// at `now` everything the queue holds, as a long poll's first answer would).
    pub wait_time_seconds: Option<u32>,
    /// Which queue to receive from.
    pub side: Side,
}

impl Default for ReceiveRequest {
    fn default() -> Self {
        ReceiveRequest {
            max_messages: 1,
            visibility_timeout: None,
            wait_time_seconds: None,
            side: Side::Source,
        }
    }
}

/// A received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// Its id.
    pub message_id: MessageId,
    /// This receive's handle, for delete and change-visibility.
    pub receipt_handle: ReceiptHandle,
    /// The body.
    pub body: String,
    /// `ApproximateReceiveCount`, this receive included.
    pub receive_count: u32,
    /// `SentTimestamp`: when it was first sent (kept across a move).
    pub sent_at: Instant,
    /// `ApproximateFirstReceiveTimestamp`.
    pub first_received_at: Instant,
    /// `MessageGroupId`, as sent (shared with the queue, not copied).
    pub message_group_id: Option<Arc<str>>,
    /// `MessageDeduplicationId` (FIFO), as sent or from the body.
    pub message_deduplication_id: Option<Arc<str>>,
    /// `SequenceNumber` (FIFO).
    pub sequence_number: Option<u64>,
}

/// A queue's numbers at a step: its messages by state now, and counts since it was made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueMetrics {
    /// `ApproximateNumberOfMessages`: waiting to be received.
    pub visible: u64,
    /// `ApproximateNumberOfMessagesNotVisible`: received, not deleted.
    pub in_flight: u64,
    /// `ApproximateNumberOfMessagesDelayed`.
    pub delayed: u64,
    /// `ApproximateAgeOfOldestMessage`: the oldest message still held (in any state), since
    /// it was sent, or since it moved into a dead-letter queue.
    pub oldest_age: Option<Duration>,
    /// Messages enqueued by a send (duplicates not counted).
    pub sent: u64,
    /// Sends accepted as duplicates (FIFO).
    pub deduplicated: u64,
    /// Messages handed out by receives (each receive of a message once).
    pub received: u64,
    /// Messages deleted.
    pub deleted: u64,
    /// Messages expired at the end of their retention.
    pub expired: u64,
    /// Messages moved out to the dead-letter queue.
    pub moved_to_dead_letter: u64,
    /// Messages moved in from the source queue (dead-letter queues).
    pub moved_in: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Delayed(Instant),
    Visible,
    InFlight {
        until: Instant,
        received_at: Instant,
    },
}

#[derive(Debug, Clone)]
struct Msg {
    id: MessageId,
    body: String,
    group_id: Option<Arc<str>>,
    group: u32,
    dedup_id: Option<Arc<str>>,
    sequence: Option<u64>,
    sent_at: Instant,
    enqueued_at: Instant,
    expires_at: Instant,
    state: State,
    receive_count: u32,
    first_received_at: Option<Instant>,
}

#[derive(Debug, Clone, Default)]
struct Group {
    name: Arc<str>,
    messages: VecDeque<u64>,
    in_flight: u32,
    listed: Option<u64>,
}

/// One queue's messages and indexes.
#[derive(Debug, Clone)]
struct Store {
    name: String,
    attrs: QueueAttributes,
    side: Side,
    /// Messages by slot (slot − `base`); `None` once gone. Slots are handed out in
    /// enqueue order.
    slots: VecDeque<Option<Msg>>,
    base: u64,
    /// Standard queues: visible slots, oldest first (entries may be stale).
    ready: BinaryHeap<Reverse<u64>>,
    /// Delayed and in-flight messages by when they become visible (entries may be stale).
    pending: BinaryHeap<Reverse<(Instant, u64)>>,
    /// Expiry order when it is not slot order (a standard dead-letter queue keeps the
    /// original enqueue times).
    expiry: Option<BinaryHeap<Reverse<(Instant, u64)>>>,
    /// FIFO: groups, their index, and the groups that can deliver by their head's slot.
    groups: Vec<Group>,
    group_index: HashMap<Arc<str>, u32, Fixed>,
    eligible: BinaryHeap<Reverse<(u64, u32)>>,
    /// FIFO: deduplication keys seen in the last interval, and when they were first seen.
    dedup: HashMap<Arc<str>, (Instant, MessageId, Option<u64>), Fixed>,
    dedup_order: VecDeque<(Instant, Arc<str>)>,
    next_sequence: u64,
    metrics: QueueMetrics,
}

impl Store {
    fn new(name: String, attrs: QueueAttributes, side: Side) -> Store {
        let expiry = (side == Side::DeadLetter && !attrs.fifo).then(BinaryHeap::new);
        Store {
            name,
            attrs,
            side,
            slots: VecDeque::new(),
            base: 0,
            ready: BinaryHeap::new(),
            pending: BinaryHeap::new(),
            expiry,
            groups: Vec::new(),
            group_index: HashMap::default(),
            eligible: BinaryHeap::new(),
            dedup: HashMap::default(),
            dedup_order: VecDeque::new(),
            next_sequence: 1,
            metrics: QueueMetrics::default(),
        }
    }

    fn slot(&self, slot: u64) -> Option<&Msg> {
        let i = usize::try_from(slot.checked_sub(self.base)?).ok()?;
        self.slots.get(i)?.as_ref()
    }

    fn slot_mut(&mut self, slot: u64) -> Option<&mut Msg> {
        let i = usize::try_from(slot.checked_sub(self.base)?).ok()?;
        self.slots.get_mut(i)?.as_mut()
    }

    /// Takes the message out of its slot, and drops empty slots at the front.
    fn take(&mut self, slot: u64) -> Option<Msg> {
        let i = usize::try_from(slot.checked_sub(self.base)?).ok()?;
        let m = self.slots.get_mut(i)?.take()?;
        match m.state {
            State::Delayed(_) => self.metrics.delayed -= 1,
            State::Visible => self.metrics.visible -= 1,
            State::InFlight { .. } => self.metrics.in_flight -= 1,
        }
        if self.attrs.fifo {
            let in_flight = matches!(m.state, State::InFlight { .. });
            let g = &mut self.groups[m.group as usize];
            if let Some(pos) = g.messages.iter().position(|&s| s == slot) {
                g.messages.remove(pos);
            }
            if in_flight {
                g.in_flight -= 1;
            }
            self.refresh_group(m.group);
        }
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
        Some(m)
    }

    /// Adds a message in the state `m.state` says; returns its slot.
    /// Messages enter a queue delayed or visible, never in flight.
    fn push(&mut self, m: Msg) -> u64 {
        let slot = self.base + self.slots.len() as u64;
        if let State::Delayed(t) = m.state {
            self.metrics.delayed += 1;
            self.pending.push(Reverse((t, slot)));
        } else {
            self.metrics.visible += 1;
            if !self.attrs.fifo {
                self.ready.push(Reverse(slot));
            }
        }
        if let Some(h) = &mut self.expiry {
            h.push(Reverse((m.expires_at, slot)));
        }
        let fifo_group = self.attrs.fifo.then_some(m.group);
        self.slots.push_back(Some(m));
        if let Some(g) = fifo_group {
            self.groups[g as usize].messages.push_back(slot);
            self.refresh_group(g);
        }
        slot
    }

    fn group_of(&mut self, id: &str) -> u32 {
        if let Some(&g) = self.group_index.get(id) {
            return g;
        }
        let g = self.groups.len() as u32;
        let name: Arc<str> = Arc::from(id);
        self.groups.push(Group {
            name: name.clone(),
            ..Group::default()
        });
        self.group_index.insert(name, g);
        g
    }

    /// Lists a FIFO group as able to deliver when nothing of it is in flight and its first
    /// message is visible.
    /// The index holds entries lazily: an entry counts while its group is still listed with
    /// that head.
    fn refresh_group(&mut self, g: u32) {
        let grp = &self.groups[g as usize];
        let head = if grp.in_flight == 0 {
            grp.messages.front().copied()
        } else {
            None
        };
        let head = head.filter(|&h| matches!(self.slot(h).map(|m| m.state), Some(State::Visible)));
        let grp = &mut self.groups[g as usize];
        match head {
            Some(h) if grp.listed != Some(h) => {
                grp.listed = Some(h);
                self.eligible.push(Reverse((h, g)));
            }
            Some(_) => {}
            None => grp.listed = None,
        }
    }

    /// The listed group whose first message is oldest, taken off the index.
    fn next_group(&mut self) -> Option<u32> {
        while let Some(Reverse((h, g))) = self.eligible.pop() {
            let grp = &mut self.groups[g as usize];
            if grp.listed == Some(h) {
                grp.listed = None;
                return Some(g);
            }
        }
        None
    }

    /// Applies what the time up to `now` brings: expiries, then delays and visibility
    /// timeouts ending.
    fn advance(&mut self, now: Instant) {
        if self.expiry.is_some() {
            while let Some(&Reverse((t, slot))) = self.expiry.as_ref().and_then(|h| h.peek()) {
                if t > now {
                    break;
                }
                if let Some(h) = &mut self.expiry {
                    h.pop();
                }
                if self.slot(slot).is_some_and(|m| m.expires_at == t) && self.take(slot).is_some() {
                    self.metrics.expired += 1;
                }
            }
        } else {
            while let Some(Some(m)) = self.slots.front() {
                if m.expires_at > now {
                    break;
                }
                if self.take(self.base).is_some() {
                    self.metrics.expired += 1;
                }
            }
        }
        while let Some(&Reverse((t, slot))) = self.pending.peek() {
            if t > now {
                break;
            }
            self.pending.pop();
            let fifo = self.attrs.fifo;
            let Some(m) = self.slot_mut(slot) else {
                continue;
            };
            let was_in_flight = match m.state {
                State::Delayed(u) if u == t => false,
                State::InFlight { until, .. } if until == t => true,
                _ => continue,
            };
            m.state = State::Visible;
            let group = m.group;
            if was_in_flight {
                self.metrics.in_flight -= 1;
            } else {
                self.metrics.delayed -= 1;
            }
            self.metrics.visible += 1;
            if fifo {
                if was_in_flight {
                    self.groups[group as usize].in_flight -= 1;
                }
                self.refresh_group(group);
            } else {
                self.ready.push(Reverse(slot));
            }
        }
    }

    fn oldest_age(&self, now: Instant) -> Option<Duration> {
        // Slots are in enqueue order (a dead-letter queue's enqueue time is the move), and
        // the first is never empty.
        let oldest = self.slots.front()?.as_ref()?.enqueued_at;
        Some(now.saturating_since(oldest))
    }

    fn deliver(&mut self, slot: u64, now: Instant, visibility: u32) -> Option<ReceivedMessage> {
        let side = self.side;
        let m = self.slot_mut(slot)?;
        m.receive_count += 1;
        let first = *m.first_received_at.get_or_insert(now);
        let until = now.saturating_add(Duration::from_secs(u64::from(visibility)));
        m.state = State::InFlight {
            until,
            received_at: now,
        };
        let out = ReceivedMessage {
            message_id: m.id,
            receipt_handle: ReceiptHandle {
                side,
                slot,
                receive: m.receive_count,
            },
            body: m.body.clone(),
            receive_count: m.receive_count,
            sent_at: m.sent_at,
            first_received_at: first,
            message_group_id: m.group_id.clone(),
            message_deduplication_id: m.dedup_id.clone(),
            sequence_number: m.sequence,
        };
        let group = m.group;
        self.pending.push(Reverse((until, slot)));
        self.metrics.visible -= 1;
        self.metrics.in_flight += 1;
        self.metrics.received += 1;
        if self.attrs.fifo {
            self.groups[group as usize].in_flight += 1;
        }
        Some(out)
    }

    /// The message behind a handle, if the handle is its latest receive.
    fn check_handle(&self, h: &ReceiptHandle) -> Result<&Msg, SqsError> {
        match self.slot(h.slot) {
            Some(m) if m.receive_count == h.receive => Ok(m),
            Some(m) if m.receive_count > h.receive => Err(SqsError::handle(format!(
                "the handle `{h}` is stale: message {} was received again since ({} receives); use the latest receive's handle",
                m.id, m.receive_count
            ))),
            _ => Err(SqsError::handle(format!(
                "no message in `{}` has the handle `{h}` (it was deleted, expired or moved to the dead-letter queue)",
                self.name
            ))),
        }
    }
}

/// A simulated queue with its dead-letter queue (when its `RedrivePolicy` names one).
#[derive(Debug, Clone)]
pub struct Queue {
    source: Store,
    dead_letter: Option<Store>,
    max_receive_count: u32,
    next_id: u64,
    last: Instant,
}

impl Queue {
    /// A queue named `name` with `attributes`. With a `RedrivePolicy`, its dead-letter queue
    /// is made too, named by the policy's target, with `dead_letter_attributes` (the same
    /// kind's defaults when `None`). Names, ranges and the pairing of kinds (a FIFO queue's
    /// dead-letter queue is FIFO, a standard queue's standard) are checked.
    pub fn new(
        name: &str,
        attributes: QueueAttributes,
        dead_letter_attributes: Option<QueueAttributes>,
    ) -> Result<Queue, SqsError> {
        check_name(name, attributes.fifo, "name")?;
        attributes.check("attributes")?;
        let (dead_letter, max_receive_count) = match &attributes.redrive_policy {
            None => {
                if dead_letter_attributes.is_some() {
                    return Err(SqsError::queue_attribute(
                        "dead_letter_attributes",
                        "expected no dead-letter attributes for a queue without a `RedrivePolicy`",
                    ));
                }
                (None, 0)
            }
            Some(r) => {
                let dl_name = r.target_name().to_string();
                let dl = dead_letter_attributes.unwrap_or(QueueAttributes {
                    fifo: attributes.fifo,
                    ..QueueAttributes::default()
                });
                let path = "attributes.RedrivePolicy.deadLetterTargetArn";
                check_name(&dl_name, dl.fifo, path)?;
                if dl.fifo != attributes.fifo {
                    return Err(SqsError::queue_attribute(
                        path,
                        format!("expected a dead-letter queue of the source's kind (a FIFO queue's is FIFO, a standard queue's standard), found `{dl_name}`"),
                    ));
                }
                if dl_name == name {
                    return Err(SqsError::queue_attribute(
                        path,
                        format!("expected a dead-letter queue other than the queue itself, found `{dl_name}`"),
                    ));
                }
                dl.check("dead_letter_attributes")?;
                if dl.redrive_policy.is_some() {
                    return Err(SqsError::queue_attribute(
                        "dead_letter_attributes.RedrivePolicy",
                        "expected none: the simulation ends at the dead-letter queue",
                    ));
                }
                (
                    Some(Store::new(dl_name, dl, Side::DeadLetter)),
                    r.max_receive_count,
                )
            }
        };
        Ok(Queue {
            source: Store::new(name.to_string(), attributes, Side::Source),
            dead_letter,
            max_receive_count,
            next_id: 1,
            last: Instant::ZERO,
        })
    }

    /// The queue of the model's `queues` entry.
    pub fn from_model(q: &crate::model::events::Queue) -> Result<Queue, SqsError> {
        Queue::new(&q.name, QueueAttributes::from_model(q)?, None)
    }

    /// The queue's name.
    pub fn name(&self) -> &str {
        &self.source.name
    }

    /// The dead-letter queue's name, if there is one.
    pub fn dead_letter_name(&self) -> Option<&str> {
        self.dead_letter.as_ref().map(|d| d.name.as_str())
    }

    /// The queue's attributes.
    pub fn attributes(&self) -> &QueueAttributes {
        &self.source.attrs
    }

    /// Whether it is a FIFO queue.
    pub fn is_fifo(&self) -> bool {
        self.source.attrs.fifo
    }

    fn step(&mut self, now: Instant) -> Result<(), SqsError> {
        if now < self.last {
            return Err(ServiceError::new(
                "invalid_time",
                ErrorKind::Argument,
                "now",
                format!(
                    "expected a time at or after the queue's last call ({:?}), found {:?}",
                    std::time::Duration::from_nanos(self.last.as_nanos()),
                    std::time::Duration::from_nanos(now.as_nanos())
                ),
            ));
        }
        self.last = now;
        self.source.advance(now);
        if let Some(d) = &mut self.dead_letter {
            d.advance(now);
        }
        Ok(())
    }

    fn store_mut(&mut self, side: Side) -> Result<&mut Store, SqsError> {
        match side {
            Side::Source => Ok(&mut self.source),
            Side::DeadLetter => self.dead_letter.as_mut().ok_or_else(|| {
                ServiceError::new(
                    "invalid_queue_attribute",
                    ErrorKind::Config,
                    "dead_letter",
                    "expected a queue with a `RedrivePolicy`: this one has no dead-letter queue",
                )
            }),
        }
    }

    /// SendMessage at `now`. The body is 1 byte to `MaximumMessageSize` of the characters
    /// SQS allows; a FIFO queue needs a `MessageGroupId`, and a `MessageDeduplicationId`
    /// unless it deduplicates by content; per-message delays are for standard queues only.
    pub fn send(
        &mut self,
        now: Instant,
        body: impl Into<String>,
        options: &SendOptions,
    ) -> Result<SendReceipt, SqsError> {
        let body = body.into();
        self.check_message(&body, options)?;
        self.step(now)?;
        let fifo = self.source.attrs.fifo;
        let q = &mut self.source;
        let mut dedup_id = None;
        let mut group = 0;
        let mut group_id: Option<Arc<str>> = None;
        if fifo {
            let gid = options.message_group_id.as_deref().unwrap_or_default();
            let did: &str = options.message_deduplication_id.as_deref().unwrap_or(&body);
            let window = Duration::from_secs(u64::from(DEDUPLICATION_WINDOW));
            while let Some((t, _)) = q.dedup_order.front() {
                if t.saturating_add(window) > now {
                    break;
                }
                if let Some((t, key)) = q.dedup_order.pop_front() {
                    if let Entry::Occupied(e) = q.dedup.entry(key) {
                        if e.get().0 == t {
                            e.remove();
                        }
                    }
                }
            }
            let scoped;
            let lookup = match q.attrs.deduplication_scope {
                DeduplicationScope::Queue => did,
                DeduplicationScope::MessageGroup => {
                    scoped = format!("{gid}\u{0}{did}");
                    scoped.as_str()
                }
            };
            let key: Arc<str> = Arc::from(lookup);
            let id = MessageId(self.next_id);
            let seq = q.next_sequence;
            match q.dedup.entry(key.clone()) {
                Entry::Occupied(e) => {
                    let &(_, id, seq) = e.get();
                    q.metrics.deduplicated += 1;
                    return Ok(SendReceipt {
                        message_id: id,
                        sequence_number: seq,
                        duplicate: true,
                    });
                }
                Entry::Vacant(e) => {
                    e.insert((now, id, Some(seq)));
                }
            }
            dedup_id = Some(if lookup.len() == did.len() {
                key.clone()
            } else {
                Arc::from(did)
            });
            q.dedup_order.push_back((now, key));
            group = q.group_of(gid);
            group_id = Some(q.groups[group as usize].name.clone());
        }
        let id = MessageId(self.next_id);
        self.next_id += 1;
        let sequence = fifo.then(|| {
            let s = q.next_sequence;
            q.next_sequence += 1;
            s
        });
        let delay = options.delay_seconds.unwrap_or(q.attrs.delay_seconds);
        let state = if delay == 0 {
            State::Visible
        } else {
            State::Delayed(now.saturating_add(Duration::from_secs(u64::from(delay))))
        };
        let expires_at = now.saturating_add(Duration::from_secs(u64::from(
            q.attrs.message_retention_period,
        )));
        q.push(Msg {
            id,
            body,
            group_id: if fifo {
                group_id
            } else {
                options.message_group_id.as_deref().map(Arc::from)
            },
            group,
            dedup_id,
            sequence,
            sent_at: now,
            enqueued_at: now,
            expires_at,
            state,
            receive_count: 0,
            first_received_at: None,
        });
        q.metrics.sent += 1;
        Ok(SendReceipt {
            message_id: id,
            sequence_number: sequence,
            duplicate: false,
        })
    }

    fn check_message(&self, body: &str, o: &SendOptions) -> Result<(), SqsError> {
        let a = &self.source.attrs;
        if body.is_empty() {
            return Err(SqsError::message(
                "body",
                "expected a body of at least 1 character",
            ));
        }
        if body.len() > a.maximum_message_size as usize {
            return Err(SqsError::message(
                "body",
                format!(
                    "expected at most {} bytes (`MaximumMessageSize`), found {}",
                    a.maximum_message_size,
                    body.len()
                ),
            ));
        }
        if let Some(c) = body.chars().find(|&c| {
            !(matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        }) {
            return Err(SqsError::message(
                "body",
                format!("expected only the characters SQS allows (#x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF), found U+{:04X}", c as u32),
            ));
        }
        for (field, v) in [
            ("message_group_id", &o.message_group_id),
            ("message_deduplication_id", &o.message_deduplication_id),
        ] {
            if let Some(v) = v {
                if v.is_empty() || v.len() > MAX_ID_LEN || !v.bytes().all(|b| b.is_ascii_graphic())
                {
                    return Err(SqsError::message(
                        field,
                        format!("expected 1 to 128 letters, digits or punctuation, found `{v}`"),
                    ));
                }
            }
        }
        if a.fifo {
            if o.delay_seconds.is_some() {
                return Err(SqsError::message(
                    "delay_seconds",
                    "expected no per-message delay on a FIFO queue (only the queue's `DelaySeconds` applies)",
                ));
            }
            if o.message_group_id.is_none() {
                return Err(SqsError::message(
                    "message_group_id",
                    "expected a message group id: a FIFO queue requires one",
                ));
            }
            if o.message_deduplication_id.is_none() && !a.content_based_deduplication {
                return Err(SqsError::message(
                    "message_deduplication_id",
                    "expected a deduplication id: the queue does not deduplicate by content (`ContentBasedDeduplication`)",
                ));
            }
        } else {
            if o.message_deduplication_id.is_some() {
                return Err(SqsError::message(
                    "message_deduplication_id",
                    "expected none on a standard queue (only FIFO queues deduplicate)",
                ));
            }
            if let Some(d) = o.delay_seconds {
                if d > MAX_DELAY {
                    return Err(SqsError::message(
                        "delay_seconds",
                        format!("expected a whole number of seconds from 0 to 900, found {d}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// ReceiveMessage at `now`: up to `max_messages` visible messages, oldest first, each
    /// now in flight for the visibility timeout. A message already received
    /// `maxReceiveCount` times moves to the dead-letter queue instead of being returned. A
    /// FIFO queue skips groups with a message in flight and returns each group's messages in
    /// order, as many of one group as fit before the next.
    pub fn receive(
        &mut self,
        now: Instant,
        request: &ReceiveRequest,
    ) -> Result<Vec<ReceivedMessage>, SqsError> {
        if request.max_messages == 0 || request.max_messages > MAX_MESSAGES_PER_RECEIVE {
            return Err(SqsError::number(
                "max_messages",
                format!(
                    "expected 1 to 10 messages (`MaxNumberOfMessages`), found {}",
                    request.max_messages
                ),
            ));
        }
        for (field, v, max) in [
            (
                "visibility_timeout",
                request.visibility_timeout,
                MAX_VISIBILITY_TIMEOUT,
            ),
            (
                "wait_time_seconds",
                request.wait_time_seconds,
                MAX_WAIT_TIME,
            ),
        ] {
            if let Some(v) = v.filter(|&v| v > max) {
                return Err(SqsError::number(
                    field,
                    format!("expected a whole number of seconds from 0 to {max}, found {v}"),
                ));
            }
        }
        self.store_mut(request.side)?;
        self.step(now)?;
        // Receiving from the source queue redrives to the dead-letter queue, if there is one.
        let max_receive = self.max_receive_count;
        let (store, mut redrive) = match (request.side, self.dead_letter.as_mut()) {
            (Side::Source, dl) => (&mut self.source, dl),
            (Side::DeadLetter, Some(d)) => (d, None),
            (Side::DeadLetter, None) => return Ok(Vec::new()),
        };
        if !store.attrs.fifo && store.metrics.in_flight >= STANDARD_IN_FLIGHT_LIMIT {
            return Err(ServiceError::new(
                "over_limit",
                ErrorKind::State,
                "",
                format!("`{}` has {STANDARD_IN_FLIGHT_LIMIT} messages in flight, the most a standard queue holds (OverLimit)", store.name),
            ));
        }
        let visibility = request
            .visibility_timeout
            .unwrap_or(store.attrs.visibility_timeout);
        let max = request.max_messages as usize;
        let mut out = Vec::with_capacity(max);
        // The message in `slot`, if visible, is handed out, or moved to the dead-letter queue
        // when it has had its receives; whether it was visible.
        let mut hand_out = |store: &mut Store, slot: u64, out: &mut Vec<ReceivedMessage>| {
            let Some(m) = store.slot(slot).filter(|m| m.state == State::Visible) else {
                return false;
            };
            match redrive.as_deref_mut() {
                Some(dl) if m.receive_count >= max_receive => move_out(store, dl, slot, now),
                _ => out.extend(store.deliver(slot, now, visibility)),
            }
            true
        };
        if store.attrs.fifo {
            while out.len() < max {
                let Some(g) = store.next_group() else {
                    break;
                };
                // The group's messages in order: a delivered one stays in the group (in
                // flight), a moved one leaves its place to the next.
                let mut i = 0;
                while out.len() < max {
                    let Some(&slot) = store.groups[g as usize].messages.get(i) else {
                        break;
                    };
                    let before = out.len();
                    if !hand_out(store, slot, &mut out) {
                        break;
                    }
                    i += out.len() - before;
                }
                store.refresh_group(g);
            }
        } else {
            while out.len() < max {
                let Some(Reverse(slot)) = store.ready.pop() else {
                    break;
                };
                hand_out(store, slot, &mut out);
            }
        }
        Ok(out)
    }

    /// DeleteMessage at `now` with the handle of the message's latest receive. A handle from
    /// an earlier receive (the message was received again since) is refused, as is one whose
    /// message is gone; a message whose visibility timeout ran out and that was not received
    /// again is deleted.
    pub fn delete(&mut self, now: Instant, handle: &ReceiptHandle) -> Result<(), SqsError> {
        self.store_mut(handle.side)?;
        self.step(now)?;
        let store = self.store_mut(handle.side)?;
        store.check_handle(handle)?;
        store.take(handle.slot);
        store.metrics.deleted += 1;
        Ok(())
    }

    /// ChangeMessageVisibility at `now`: the message (in flight, by its latest handle)
    /// becomes visible `timeout` seconds from now (0: now), at most 12 hours from the receive
    /// that took it.
    pub fn change_visibility(
        &mut self,
        now: Instant,
        handle: &ReceiptHandle,
        timeout: u32,
    ) -> Result<(), SqsError> {
        self.store_mut(handle.side)?;
        self.step(now)?;
        let store = self.store_mut(handle.side)?;
        let m = store.check_handle(handle)?;
        let State::InFlight { received_at, .. } = m.state else {
            return Err(ServiceError::new(
                "message_not_in_flight",
                ErrorKind::State,
                "receipt_handle",
                format!(
                    "expected message {} to be in flight, found it visible again (its visibility timeout ran out)",
                    m.id
                ),
            ));
        };
        let until = now.saturating_add(Duration::from_secs(u64::from(timeout)));
        let limit =
            received_at.saturating_add(Duration::from_secs(u64::from(MAX_VISIBILITY_TIMEOUT)));
        if timeout > MAX_VISIBILITY_TIMEOUT || until > limit {
            return Err(SqsError::number(
                "visibility_timeout",
                format!(
                    "expected at most {} s (12 hours from the receive), found {timeout}",
                    limit.saturating_since(now).as_secs()
                ),
            ));
        }
        if let Some(m) = store.slot_mut(handle.slot) {
            m.state = State::InFlight { until, received_at };
        }
        store.pending.push(Reverse((until, handle.slot)));
        if timeout == 0 {
            store.advance(now);
        }
        Ok(())
    }

    /// The queue's numbers at `now` (after what the time passed brings), with its
    /// dead-letter queue's.
    pub fn metrics(&mut self, now: Instant) -> Result<QueueMetrics, SqsError> {
        Ok(self.metrics_both(now)?.0)
    }

    /// The queue's and its dead-letter queue's numbers at `now`.
    pub fn metrics_both(
        &mut self,
        now: Instant,
    ) -> Result<(QueueMetrics, Option<QueueMetrics>), SqsError> {
        self.step(now)?;
        let mut q = self.source.metrics.clone();
        q.oldest_age = self.source.oldest_age(now);
        let d = self.dead_letter.as_ref().map(|d| {
            let mut m = d.metrics.clone();
            m.oldest_age = d.oldest_age(now);
            m
        });
        Ok((q, d))
    }
}

/// Moves a message that has had its receives to the dead-letter queue: a standard queue's
/// keeps its enqueue time (and so its expiry), a FIFO queue's starts its retention anew.
fn move_out(source: &mut Store, dl: &mut Store, slot: u64, now: Instant) {
    let Some(mut m) = source.take(slot) else {
        return;
    };
    source.metrics.moved_to_dead_letter += 1;
    let retention = Duration::from_secs(u64::from(dl.attrs.message_retention_period));
    m.expires_at = if dl.attrs.fifo {
        now.saturating_add(retention)
    } else {
        m.sent_at.saturating_add(retention)
    };
    m.enqueued_at = now;
    m.state = State::Visible;
    if dl.attrs.fifo {
        m.group = dl.group_of(m.group_id.as_deref().unwrap_or_default());
    }
    if m.expires_at <= now {
        // Past the dead-letter queue's retention already: it expires on arrival.
        dl.metrics.moved_in += 1;
        dl.metrics.expired += 1;
        return;
    }
    dl.push(m);
    dl.metrics.moved_in += 1;
}
