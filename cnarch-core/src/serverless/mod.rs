//! Serverless functions: what a month of invocations costs on AWS Lambda ([`cost`]), from the
//! model's [`ServerlessFunction`] and a price table the caller can replace
//! ([`PriceTable::aws_default`] is the published US East table, `lambda_prices.json`), and the
//! checks of a function's SQS triggers and dead-letter target against Lambda's rules
//! ([`check`]).
//!
//! ```
//! use cnarch_core::model::serverless::ServerlessFunction;
//! use cnarch_core::serverless::{cost, Architecture, PriceTable, Usage};
//! use std::time::Duration;
//!
//! let f: ServerlessFunction = serde_json::from_value(serde_json::json!({
//!     "runtime": "go1.x", "handler": "main.Handler", "memory": 512
//! })).unwrap();
//! let usage = Usage {
//!     invocations: 3_000_000,
//!     duration: Duration::from_micros(120_400), // billed as 121 ms
//!     architecture: Architecture::X86_64,
//!     free_tier: false,
//!     memory_mb: None,
//! };
//! let c = cost(&f, &usage, &PriceTable::aws_default()).unwrap();
//! assert_eq!(c.billed_duration, Duration::from_millis(121));
//! assert_eq!(c.gb_seconds, 3_000_000.0 * 0.121 * 0.5);
//! assert!((c.request_cost - 0.6).abs() < 1e-9);
//! ```
//!
//! Rules and sources: `docs/serverless.md`.

pub mod esm;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, ServiceError};
use crate::model::events::{EventDrivenArchitecture, QueueType};
use crate::model::serverless::{ServerlessFunction, TriggerType};

/// Lambda's memory bounds, in MB.
pub const MIN_MEMORY_MB: u32 = 128;
/// The most memory a function may have, in MB.
pub const MAX_MEMORY_MB: u32 = 10_240;
/// A function's memory when none is set, in MB.
pub const DEFAULT_MEMORY_MB: u32 = 128;
/// A function's timeout when none is set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// The longest timeout.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(900);
/// The largest SQS batch for a standard queue, and for a FIFO queue.
pub const MAX_SQS_BATCH: i32 = 10_000;
/// The largest SQS batch from a FIFO queue (and from a standard queue without a batching
/// window).
pub const MAX_SQS_BATCH_UNWINDOWED: i32 = 10;

/// Why a cost, a mapping or a drain was refused: a usage number out of its domain
/// (`invalid_number`), a price table that cannot price (`invalid_price_table`), an event
/// source mapping Lambda refuses (`invalid_event_source_mapping`), or the queue's own error.
pub type ServerlessError = ServiceError;

impl ServiceError {
    fn usage(path: &str, message: String) -> Self {
        ServiceError::new("invalid_number", ErrorKind::Argument, path, message)
    }
    fn table(path: &str, message: String) -> Self {
        ServiceError::new("invalid_price_table", ErrorKind::Config, path, message)
    }
}

/// An instruction set a function runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Architecture {
    /// `x86_64` (Lambda's default).
    #[default]
    #[serde(rename = "x86_64")]
    X86_64,
    /// `arm64` (Graviton).
    #[serde(rename = "arm64")]
    Arm64,
}

impl Architecture {
    /// Lambda's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

/// One price step: GB-seconds in the month up to `up_to_gb_seconds` (the last step has none)
/// cost `price_per_gb_second` each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Where the step ends, counted from the month's first billable GB-second.
    pub up_to_gb_seconds: Option<f64>,
    /// USD per GB-second in this step.
    pub price_per_gb_second: f64,
}

/// What the free tier gives each month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTier {
    /// Free requests.
    pub requests: u64,
    /// Free GB-seconds.
    pub gb_seconds: f64,
}

/// One architecture's duration tiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchitecturePrices {
    /// The architecture.
    pub architecture: Architecture,
    /// Its steps, in order.
    pub tiers: Vec<Tier>,
}

/// A Lambda price table: request price, duration tiers per architecture, free tier; with
/// where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// Where the prices come from.
    #[serde(default)]
    pub source: String,
    /// When they were read.
    #[serde(default)]
    pub date: String,
    /// USD per million requests.
    pub request_price_per_million: f64,
    /// The monthly free tier.
    pub free_tier: FreeTier,
    /// Duration prices, one entry per architecture.
    pub architectures: Vec<ArchitecturePrices>,
}

impl PriceTable {
    /// The published AWS prices for US East (N. Virginia), as of the date in the table.
    pub fn aws_default() -> PriceTable {
        // The table is part of the crate and its shape is checked by a test; should it ever
        // fail to read, an empty table prices every GB-second at zero instead of panicking.
        // Read as callers' tables are read (one deserializer for both, which the npm
        // module's size budget notices).
        serde_json::from_str::<serde_json::Value>(include_str!("lambda_prices.json"))
            .ok()
            .and_then(|v| crate::validate::schema::read_input::<PriceTable>(&v, "").ok())
            .unwrap_or(PriceTable {
                source: String::new(),
                date: String::new(),
                request_price_per_million: 0.0,
                free_tier: FreeTier {
                    requests: 0,
                    gb_seconds: 0.0,
                },
                architectures: Vec::new(),
            })
    }

    /// Checks that the table can price: prices and amounts finite and not negative, tiers with
    /// increasing ends and only the last one open.
    pub fn check(&self) -> Result<(), ServerlessError> {
        let nonneg = |path: &str, x: f64| {
            if x.is_finite() && x >= 0.0 {
                Ok(())
            } else {
                Err(ServerlessError::table(
                    path,
                    format!("expected a finite number of 0 or more, found {x}"),
                ))
            }
        };
        nonneg("request_price_per_million", self.request_price_per_million)?;
        nonneg("free_tier.gb_seconds", self.free_tier.gb_seconds)?;
        for (a, arch) in self.architectures.iter().enumerate() {
            let tiers = &arch.tiers;
            if self.architectures[..a]
                .iter()
                .any(|x| x.architecture == arch.architecture)
            {
                return Err(ServerlessError::table(
                    &format!("architectures[{a}].architecture"),
                    format!(
                        "expected each architecture once, found `{}` again",
                        arch.architecture.as_str()
                    ),
                ));
            }
            if tiers.is_empty() {
                return Err(ServerlessError::table(
                    &format!("architectures[{a}].tiers"),
                    "expected at least one price tier".into(),
                ));
            }
            let mut prev = 0.0;
            for (i, t) in tiers.iter().enumerate() {
                let p = format!("architectures[{a}].tiers[{i}]");
                nonneg(&format!("{p}.price_per_gb_second"), t.price_per_gb_second)?;
                let last = i + 1 == tiers.len();
                match t.up_to_gb_seconds {
                    None if last => {}
                    None => {
                        return Err(ServerlessError::table(
                            &format!("{p}.up_to_gb_seconds"),
                            "expected an end for every tier but the last".into(),
                        ))
                    }
                    Some(end) if !(end.is_finite() && end > prev) => {
                        return Err(ServerlessError::table(
                            &format!("{p}.up_to_gb_seconds"),
                            format!(
                                "expected an end above the previous tier's ({prev}), found {end}"
                            ),
                        ))
                    }
                    Some(end) => prev = end,
                }
            }
        }
        Ok(())
    }

    fn tiers(&self, a: Architecture) -> Result<&[Tier], ServerlessError> {
        self.architectures
            .iter()
            .find(|x| x.architecture == a)
            .map(|x| x.tiers.as_slice())
            .ok_or_else(|| {
                ServerlessError::table(
                    "architectures",
                    format!("expected prices for `{}`, found none", a.as_str()),
                )
            })
    }
}

/// A month of a function's use.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    /// Invocations (requests).
    pub invocations: u64,
    /// How long one invocation runs (its average); billed rounded up to the millisecond, and
    /// at most the function's timeout.
    pub duration: Duration,
    /// The instruction set.
    pub architecture: Architecture,
    /// Whether the monthly free tier applies.
    pub free_tier: bool,
    /// Memory to price instead of the function's own (MB).
    pub memory_mb: Option<u32>,
}

/// What a month costs, and how it was counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostEstimate {
    /// Invocations.
    pub invocations: u64,
    /// The memory priced, in MB.
    pub memory_mb: u32,
    /// The instruction set.
    pub architecture: Architecture,
    /// One invocation's billed duration: its duration rounded up to the millisecond, capped
    /// at the timeout.
    #[serde(skip)]
    pub billed_duration: Duration,
    /// Whether the duration was past the timeout (the invocation is stopped and billed to
    /// the timeout).
    pub timed_out: bool,
    /// GB-seconds used: invocations × billed seconds × memory in GB (MB / 1024).
    pub gb_seconds: f64,
    /// GB-seconds the free tier covered.
    pub free_gb_seconds: f64,
    /// Requests the free tier covered.
    pub free_requests: u64,
    /// USD for duration.
    pub compute_cost: f64,
    /// USD for requests.
    pub request_cost: f64,
    /// USD in all.
    pub total_cost: f64,
}

/// The month's cost of `function` under `usage`, priced by `prices`. Memory is the usage's
/// override, else the function's, else 128 MB, and must be 128 to 10,240 MB; the timeout is
/// the function's, else 3 s. The free tier, when applied, covers the month's first requests
/// and GB-seconds; the duration tiers count the GB-seconds left.
pub fn cost(
    function: &ServerlessFunction,
    usage: &Usage,
    prices: &PriceTable,
) -> Result<CostEstimate, ServerlessError> {
    prices.check()?;
    let memory = match usage.memory_mb {
        Some(m) => m,
        None => function
            .memory
            .map_or(DEFAULT_MEMORY_MB, |m| u32::try_from(m).unwrap_or(0)),
    };
    if !(MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&memory) {
        return Err(ServerlessError::usage(
            "memory_mb",
            format!("expected 128 to 10240 MB (Lambda's memory range), found {memory}"),
        ));
    }
    let timeout = function
        .timeout
        .map_or(DEFAULT_TIMEOUT, |d| {
            Duration::from_nanos(u64::try_from(d.as_nanos()).unwrap_or(0))
        })
        .min(MAX_TIMEOUT);
    // Rounded up to the millisecond, then capped at the timeout.
    let ms = usage.duration.as_nanos().div_ceil(1_000_000);
    let rounded = Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX));
    let timed_out = rounded > timeout;
    let billed = rounded.min(timeout);
    let billed_ms = billed.as_millis() as f64;
    let gb_seconds = usage.invocations as f64 * billed_ms / 1000.0 * f64::from(memory) / 1024.0;
    let (free_gb_seconds, free_requests) = if usage.free_tier {
        (
            gb_seconds.min(prices.free_tier.gb_seconds),
            usage.invocations.min(prices.free_tier.requests),
        )
    } else {
        (0.0, 0)
    };
    let mut left = gb_seconds - free_gb_seconds;
    let mut start = 0.0;
    let mut compute_cost = 0.0;
    for t in prices.tiers(usage.architecture)? {
        if left <= 0.0 {
            break;
        }
        let room = t.up_to_gb_seconds.map_or(f64::INFINITY, |end| end - start);
        let here = left.min(room);
        compute_cost += here * t.price_per_gb_second;
        left -= here;
        start = t.up_to_gb_seconds.unwrap_or(start);
    }
    let request_cost =
        (usage.invocations - free_requests) as f64 * prices.request_price_per_million / 1e6;
    Ok(CostEstimate {
        invocations: usage.invocations,
        memory_mb: memory,
        architecture: usage.architecture,
        billed_duration: billed,
        timed_out,
        gb_seconds,
        free_gb_seconds,
        free_requests,
        compute_cost,
        request_cost,
        total_cost: compute_cost + request_cost,
    })
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Lambda would refuse the configuration.
    Error,
    /// Lambda takes it, against its own guidance.
    Warning,
}

/// One thing [`check`] found, at a path in the architecture document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Where, as the document spells it (`functions.user-processor.triggers[0].batchSize`).
    pub path: String,
    /// A stable code.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What was found and what Lambda expects.
    pub message: String,
}

fn queue_name(source: &str) -> &str {
    if source.starts_with("arn:") {
        source.rsplit(':').next().unwrap_or(source)
    } else {
        source
    }
}

/// Checks each function's SQS triggers and dead-letter target against Lambda's rules:
/// - `batch_size_fifo` (error): more than 10 records per batch from a FIFO queue;
/// - `batching_window_required` (error): more than 10 from a standard queue, which needs a
///   batching window of at least 1 s the model's trigger cannot set;
/// - `dead_letter_target` (error): a `deadLetter.targetArn` that is not an SQS queue's or an
///   SNS topic's ARN;
/// - `visibility_timeout` (warning): a source queue whose visibility timeout is under six
///   times the function's timeout;
/// - `max_receive_count` (warning): a source queue whose redrive policy moves messages after
///   fewer than 5 receives;
/// - `unknown_queue` (warning): an SQS trigger naming no queue of the architecture.
pub fn check(arch: &EventDrivenArchitecture) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |path: String, code, severity, message: String| {
        out.push(Finding {
            path,
            code,
            severity,
            message,
        })
    };
    for (name, f) in &arch.functions {
        let base = format!("functions.{name}");
        let timeout = f.timeout.map_or(DEFAULT_TIMEOUT, |d| {
            Duration::from_nanos(u64::try_from(d.as_nanos()).unwrap_or(0))
        });
        if let Some(dl) = &f.dead_letter {
            let service = dl.target_arn.split(':').nth(2).unwrap_or_default();
            if !matches!(service, "sqs" | "sns") {
                push(
                    format!("{base}.deadLetter.targetArn"),
                    "dead_letter_target",
                    Severity::Error,
                    format!("expected the ARN of an SQS queue or an SNS topic (Lambda's DeadLetterConfig), found `{}`", dl.target_arn),
                );
            }
        }
        for (i, t) in f.triggers.iter().enumerate() {
            if t.trigger_type != TriggerType::Sqs {
                continue;
            }
            let tp = format!("{base}.triggers[{i}]");
            let qn = queue_name(&t.source);
            let queue = arch.queues.iter().find(|q| q.name == qn);
            let fifo = queue.is_some_and(|q| q.queue_type == Some(QueueType::Fifo))
                || qn.ends_with(".fifo");
            let batch = t.batch_size.unwrap_or(10);
            if fifo && batch > MAX_SQS_BATCH_UNWINDOWED {
                push(
                    format!("{tp}.batchSize"),
                    "batch_size_fifo",
                    Severity::Error,
                    format!("expected at most 10 records per batch from the FIFO queue `{qn}`, found {batch}"),
                );
            } else if batch > MAX_SQS_BATCH_UNWINDOWED {
                push(
                    format!("{tp}.batchSize"),
                    "batching_window_required",
                    Severity::Error,
                    format!("expected at most 10 records per batch: {batch} needs MaximumBatchingWindowInSeconds of at least 1 s, which the trigger cannot set"),
                );
            }
            let Some(q) = queue else {
                push(
                    format!("{tp}.source"),
                    "unknown_queue",
                    Severity::Warning,
                    format!(
                        "expected a queue of this architecture, found `{}`",
                        t.source
                    ),
                );
                continue;
            };
            let visibility = q.visibility.map_or(Duration::from_secs(30), |d| {
                Duration::from_nanos(u64::try_from(d.as_nanos()).unwrap_or(0))
            });
            if visibility < timeout * 6 {
                let qi = arch.queues.iter().position(|x| x.name == qn).unwrap_or(0);
                push(
                    format!("queues[{qi}].visibility"),
                    "visibility_timeout",
                    Severity::Warning,
                    format!(
                        "expected a visibility timeout of at least six times `{name}`'s timeout ({} s), found {} s",
                        (timeout * 6).as_secs_f64(),
                        visibility.as_secs_f64()
                    ),
                );
            }
            if let Some(dlq) = &q.dead_letter {
                if dlq.max_receive < 5 {
                    let qi = arch.queues.iter().position(|x| x.name == qn).unwrap_or(0);
                    push(
                        format!("queues[{qi}].deadLetter.maxReceive"),
                        "max_receive_count",
                        Severity::Warning,
                        format!("expected a maxReceiveCount of at least 5 for a queue a function reads, found {}", dlq.max_receive),
                    );
                }
            }
        }
    }
    out
}
