//! SQS queues from plain data: CreateQueue's attribute mappings as AWS writes them (the same
//! PascalCase names in every language, never re-spelled), calls at the host's times, and
//! results as plain data in the host's spelling.

use serde_json::{json, Value};

use super::{Error, Fields, Host};
use crate::events::sqs::{
    Queue, QueueAttributes, QueueMetrics, ReceiptHandle, ReceiveRequest, SendOptions, SendReceipt,
    Side,
};

/// A queue named `name` with CreateQueue's `attributes` (absent: the defaults) and, when its
/// `RedrivePolicy` names a dead-letter queue, that queue's attributes.
pub fn queue(
    host: Host,
    name: &str,
    attributes: Option<&Value>,
    dead_letter_attributes: Option<&Value>,
) -> Result<Queue, Error> {
    let attrs = match attributes {
        None | Some(Value::Null) => QueueAttributes::default(),
        Some(v) => QueueAttributes::from_value(v, "attributes").map_err(|e| host.error(&e))?,
    };
    let dead_letter = match dead_letter_attributes {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            QueueAttributes::from_value(v, "dead_letter_attributes").map_err(|e| host.error(&e))?,
        ),
    };
    Queue::new(name, attrs, dead_letter).map_err(|e| host.error(&e))
}

/// Sends `body` at `now` with `options` (`delay_seconds`, `message_group_id`,
/// `message_deduplication_id`): `{message_id, sequence_number, duplicate}`.
pub fn send(
    host: Host,
    q: &mut Queue,
    now: f64,
    body: &str,
    options: Option<&Value>,
) -> Result<Value, Error> {
    let now = host.instant(now, "now")?;
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "delay_seconds",
            "message_group_id",
            "message_deduplication_id",
        ],
    )?;
    let r = q
        .send(
            now,
            body,
            &SendOptions {
                delay_seconds: o.u32("delay_seconds")?,
                message_group_id: o.string("message_group_id")?,
                message_deduplication_id: o.string("message_deduplication_id")?,
            },
        )
        .map_err(|e| host.error(&e))?;
    host.output(&receipt(&r))
}

fn receipt(r: &SendReceipt) -> Value {
    json!({
        "message_id": r.message_id.to_string(),
        "sequence_number": r.sequence_number.map(|n| n.to_string()),
        "duplicate": r.duplicate,
    })
}

/// Receives at `now` with `options` (`max_messages`, `visibility_timeout`,
/// `wait_time_seconds`, `dead_letter`): the messages, each with its receipt handle, body,
/// receive count, times (in the host's unit) and FIFO fields.
pub fn receive(
    host: Host,
    q: &mut Queue,
    now: f64,
    options: Option<&Value>,
) -> Result<Value, Error> {
    let now = host.instant(now, "now")?;
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "max_messages",
            "visibility_timeout",
            "wait_time_seconds",
            "dead_letter",
        ],
    )?;
    let request = ReceiveRequest {
        max_messages: o.u32("max_messages")?.unwrap_or(1),
        visibility_timeout: o.u32("visibility_timeout")?,
        wait_time_seconds: o.u32("wait_time_seconds")?,
        side: if o.bool("dead_letter")?.unwrap_or(false) {
            Side::DeadLetter
        } else {
            Side::Source
        },
    };
    let got = q.receive(now, &request).map_err(|e| host.error(&e))?;
    let list: Vec<Value> = got
        .iter()
        .map(|m| {
            json!({
                "message_id": m.message_id.to_string(),
                "receipt_handle": m.receipt_handle.to_string(),
                "body": m.body,
                "receive_count": m.receive_count,
                "sent_at": host.of_instant(m.sent_at),
                "first_received_at": host.of_instant(m.first_received_at),
                "message_group_id": m.message_group_id.as_deref(),
                "message_deduplication_id": m.message_deduplication_id.as_deref(),
                "sequence_number": m.sequence_number.map(|n| n.to_string()),
            })
        })
        .collect();
    host.output(&list)
}

fn handle(host: Host, text: &str) -> Result<ReceiptHandle, Error> {
    text.parse::<ReceiptHandle>().map_err(|e| host.error(&e))
}

/// Deletes, at `now`, the message a receipt handle names.
pub fn delete(host: Host, q: &mut Queue, now: f64, receipt_handle: &str) -> Result<(), Error> {
    let now = host.instant(now, "now")?;
    let h = handle(host, receipt_handle)?;
    q.delete(now, &h).map_err(|e| host.error(&e))
}

/// Changes, at `now`, the visibility timeout of the in-flight message a handle names to
/// `visibility_timeout` whole seconds from now.
pub fn change_visibility(
    host: Host,
    q: &mut Queue,
    now: f64,
    receipt_handle: &str,
    visibility_timeout: f64,
) -> Result<(), Error> {
    let now = host.instant(now, "now")?;
    let h = handle(host, receipt_handle)?;
    let t = visibility_timeout;
    if !(t.is_finite() && t >= 0.0 && t.fract() == 0.0 && t <= f64::from(u32::MAX)) {
        return Err(Error::number(
            &host.name("visibility_timeout"),
            "to be a whole number of seconds from 0 to 43200",
            t,
        ));
    }
    q.change_visibility(now, &h, t as u32)
        .map_err(|e| host.error(&e))
}

fn metrics_value(host: Host, m: &QueueMetrics) -> Value {
    json!({
        "visible": m.visible,
        "in_flight": m.in_flight,
        "delayed": m.delayed,
        "oldest_age": m.oldest_age.map(|d| host.of(d)),
        "sent": m.sent,
        "deduplicated": m.deduplicated,
        "received": m.received,
        "deleted": m.deleted,
        "expired": m.expired,
        "moved_to_dead_letter": m.moved_to_dead_letter,
        "moved_in": m.moved_in,
    })
}

/// The queue's numbers at `now`, with its dead-letter queue's under `dead_letter` (`null`
/// without one); the age of the oldest message in the host's unit.
pub fn metrics(host: Host, q: &mut Queue, now: f64) -> Result<Value, Error> {
    let now = host.instant(now, "now")?;
    let (m, d) = q.metrics_both(now).map_err(|e| host.error(&e))?;
    let mut v = metrics_value(host, &m);
    v["dead_letter"] = d.map_or(Value::Null, |d| metrics_value(host, &d));
    host.output(&v)
}
