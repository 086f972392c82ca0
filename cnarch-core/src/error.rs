//! Errors: loading and validation report every violation with its path; parse errors of the
//! value types live beside them (`QuantityError`, `DurationError`, `ScheduleError`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem found in a spec: where it is, a stable code, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Violation {
    /// Index of the document in its file (0-based).
    pub document: usize,
    /// The document's `name`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    /// Dotted path inside the document, list items as `[i]`, map entries as `.key`
    /// (e.g. `healthCheck.liveness.periodSeconds`, `services[0].port`). Empty for the whole
    /// document.
    pub path: String,
    /// Stable snake_case code (the same in every binding).
    pub code: String,
    /// What was expected and what was found.
    pub message: String,
    /// The line (1-based) where the value at `path` starts in the source text; when the value
    /// is missing, the line of the nearest enclosing value; absent for input that was not text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub line: Option<u32>,
    /// The column (1-based, in characters) that goes with `line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub column: Option<u32>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "document {}", self.document)?;
        if let Some(n) = &self.name {
            write!(f, " (`{n}`)")?;
        }
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line}, column {column})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a file of specs could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// The text is not well-formed YAML or JSON.
    #[error("{message}")]
    Syntax {
        /// What the parser expected, lowercase.
        message: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// The text is past an input limit (size or nesting depth, [`crate::limits`]); refused
    /// before parsing, in linear time.
    #[error("{message}")]
    TooLarge {
        /// What limit was exceeded.
        message: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// The documents parsed but break the schema or its rules.
    #[error("{} violation(s); first: {}", violations.len(), violations.first().map(|v| v.to_string()).unwrap_or_default())]
    Invalid {
        /// Every violation found, in document order.
        violations: Vec<Violation>,
    },
}

impl LoadError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::Syntax { .. } => "syntax_error",
            LoadError::TooLarge { .. } => "input_limit_exceeded",
            LoadError::Invalid { .. } => "invalid_document",
        }
    }

    /// The violations (empty for a syntax error).
    pub fn violations(&self) -> &[Violation] {
        match self {
            LoadError::Syntax { .. } | LoadError::TooLarge { .. } => &[],
            LoadError::Invalid { violations } => violations,
        }
    }
}

/// What kind of mistake an error reports. Each binding maps a kind to exactly one exception
/// class (Python) and one error name (JavaScript); `docs/errors.md` is the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Text that does not parse: YAML or JSON, a quantity, a duration, a schedule, a selector.
    Parse,
    /// Documents or structured input that break the rules; the error lists every violation.
    Validation,
    /// A configuration (breaker, retry policy, limiter, autoscaler, objective, ...) that breaks
    /// its rules.
    Config,
    /// A call argument outside its domain (a negative or NaN time, a count out of range, an
    /// error ratio above 1, a request larger than the burst).
    Argument,
    /// A call argument of the wrong type.
    Type,
    /// A policy the engine cannot use, or an endpoint it does not know.
    Policy,
    /// A computation that has no answer for these inputs (the HPA's "no metrics").
    Calculation,
    /// A stateful object used out of order (releasing a bulkhead slot never taken).
    State,
    /// Quantity arithmetic past the representable range.
    Overflow,
    /// A call a circuit breaker refused.
    NotPermitted,
    /// An EventBridge event pattern or SNS filter policy that is not valid.
    Pattern,
    /// A W3C Trace Context header (`traceparent`, `tracestate`) that is not valid.
    Tracing,
    /// A bug in cnarch (a caught panic).
    Internal,
}

impl ErrorKind {
    /// Every kind, in the order of `docs/errors.md`.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::Parse,
        ErrorKind::Validation,
        ErrorKind::Config,
        ErrorKind::Argument,
        ErrorKind::Type,
        ErrorKind::Policy,
        ErrorKind::Calculation,
        ErrorKind::State,
        ErrorKind::Overflow,
        ErrorKind::NotPermitted,
        ErrorKind::Pattern,
        ErrorKind::Tracing,
        ErrorKind::Internal,
    ];

    /// The snake_case name (`parse`, `not_permitted`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::Validation => "validation",
            ErrorKind::Config => "config",
            ErrorKind::Argument => "argument",
            ErrorKind::Type => "type",
            ErrorKind::Policy => "policy",
            ErrorKind::Calculation => "calculation",
            ErrorKind::State => "state",
            ErrorKind::Overflow => "overflow",
            ErrorKind::NotPermitted => "not_permitted",
            ErrorKind::Pattern => "pattern",
            ErrorKind::Tracing => "tracing",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every cnarch error tells a caller beyond its message: a stable code, its kind and,
/// where they apply, the field it is about, a position in the source text and the violations.
pub trait Coded: std::error::Error {
    /// Stable snake_case code, the same in Rust, Python and JavaScript.
    fn code(&self) -> &'static str;
    /// The kind, which picks the exception class or error name in each binding.
    fn kind(&self) -> ErrorKind;
    /// The field or argument the error is about, as the core names it (snake_case; the `ffi`
    /// layer renders it in the caller's language).
    fn field(&self) -> Option<&str> {
        None
    }
    /// 1-based line and column in the source text, when the error came from text.
    fn position(&self) -> Option<(usize, usize)> {
        None
    }
    /// The violations, for errors that collect them.
    fn violations(&self) -> &[Violation] {
        &[]
    }
}

impl Coded for LoadError {
    fn code(&self) -> &'static str {
        LoadError::code(self)
    }
    fn kind(&self) -> ErrorKind {
        match self {
            LoadError::Syntax { .. } | LoadError::TooLarge { .. } => ErrorKind::Parse,
            LoadError::Invalid { .. } => ErrorKind::Validation,
        }
    }
    fn position(&self) -> Option<(usize, usize)> {
        match self {
            LoadError::Syntax { line, column, .. } | LoadError::TooLarge { line, column, .. } => {
                line.zip(*column)
            }
            LoadError::Invalid { .. } => None,
        }
    }
    fn violations(&self) -> &[Violation] {
        LoadError::violations(self)
    }
}

/// Structured input (options, pods, traces, specs given as data) that breaks the rules: every
/// violation, each with its path and code. Loading documents reports [`LoadError`] instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.violations))]
pub struct InvalidInput {
    /// Every violation, in the order of the input.
    pub violations: Vec<Violation>,
}

fn summary(violations: &[Violation]) -> String {
    match violations {
        [] => "invalid input".to_string(),
        [one] if one.path.is_empty() => one.message.clone(),
        [one] => format!("{}: {}", one.path, one.message),
        [first, ..] if first.path.is_empty() => {
            format!("{} problems, first: {}", violations.len(), first.message)
        }
        [first, ..] => format!(
            "{} problems, first {}: {}",
            violations.len(),
            first.path,
            first.message
        ),
    }
}

impl From<Vec<Violation>> for InvalidInput {
    fn from(violations: Vec<Violation>) -> InvalidInput {
        InvalidInput { violations }
    }
}

impl Coded for InvalidInput {
    fn code(&self) -> &'static str {
        "invalid_input"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Validation
    }
    fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl Violation {
    /// An `invalid_value` violation of the first (or only) input, at `path`.
    pub fn invalid_value(path: impl Into<String>, message: String) -> Violation {
        Violation::at(path, "invalid_value", message)
    }

    /// A violation of the first (or only) input, at `path`.
    pub fn at(path: impl Into<String>, code: &str, message: impl Into<String>) -> Violation {
        Violation {
            document: 0,
            name: None,
            path: path.into(),
            code: code.to_string(),
            message: message.into(),
            line: None,
            column: None,
        }
    }
}

/// Declares an error enum whose one variant is a field or argument outside its domain (the
/// field as the core names it, and what was expected and found), with its code and kind.
macro_rules! field_error {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, $code:literal, $kind:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            /// A field or argument outside its domain.
            Field {
                /// The field or argument, as the core names it (snake_case, or a path such
                /// as `window[2]`).
                field: String,
                /// What was expected and what was found.
                message: String,
            },
        }

        impl $name {
            /// An error about `field` (as the core names it) with what was expected and found.
            pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
                $name::Field {
                    field: field.into(),
                    message: message.into(),
                }
            }

            /// Stable snake_case code.
            pub fn code(&self) -> &'static str {
                $code
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let $name::Field { message, .. } = self;
                write!(f, "{}{}", $prefix, message)
            }
        }

        impl std::error::Error for $name {}

        impl $crate::error::Coded for $name {
            fn code(&self) -> &'static str {
                $code
            }
            fn kind(&self) -> $crate::error::ErrorKind {
                $kind
            }
            fn field(&self) -> Option<&str> {
                let $name::Field { field, .. } = self;
                Some(field)
            }
        }
    };
}
pub(crate) use field_error;

/// Implements [`Coded`] for an error type with an inherent `code()`, one kind for all its
/// variants.
macro_rules! coded {
    ($name:ty, $kind:expr) => {
        impl $crate::error::Coded for $name {
            fn code(&self) -> &'static str {
                <$name>::code(self)
            }
            fn kind(&self) -> $crate::error::ErrorKind {
                $kind
            }
        }
    };
}
pub(crate) use coded;

field_error!(
    /// A name that is not one of those allowed (a breaker state, a protocol, a host result, a
    /// pod phase, an output format).
    UnknownName,
    "",
    "unknown_name",
    ErrorKind::Argument
);

/// One error code: its kind and what it means. [`CODES`] lists every code an error (not a
/// violation) can carry; `docs/errors.md` is the same table, and tests keep them equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code.
    pub code: &'static str,
    /// Its kind.
    pub kind: ErrorKind,
    /// What it means.
    pub meaning: &'static str,
}

macro_rules! codes {
    ($($code:literal => $kind:ident, $meaning:literal;)*) => {
        /// Every error code, with its kind and meaning (violation codes are listed in
        /// `docs/errors.md` and `docs/validation.md`).
        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo { code: $code, kind: ErrorKind::$kind, meaning: $meaning },)*
        ];
    };
}

/// Why input to a simulated service was refused (SNS: [`crate::events::sns::SnsError`], SQS:
/// [`crate::events::sqs::SqsError`], Lambda: [`crate::serverless::ServerlessError`]): a stable
/// code, its kind, where (`path`, as the input spells it) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    code: &'static str,
    kind: ErrorKind,
    /// The place in the input: keys joined with `.`, list items as `[i]`; `None` for the input
    /// as a whole.
    pub path: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl ServiceError {
    pub(crate) fn new(
        code: &'static str,
        kind: ErrorKind,
        path: &str,
        message: impl Into<String>,
    ) -> ServiceError {
        ServiceError {
            code,
            kind,
            path: (!path.is_empty()).then(|| path.to_string()),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "`{p}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ServiceError {}

impl Coded for ServiceError {
    fn code(&self) -> &'static str {
        self.code
    }
    fn kind(&self) -> ErrorKind {
        self.kind
    }
    fn field(&self) -> Option<&str> {
        self.path.as_deref()
    }
}

codes! {
    "syntax_error" => Parse, "the text is not well-formed YAML or JSON";
    "invalid_quantity" => Parse, "a quantity that does not follow the quantity grammar";
    "invalid_quantity_suffix" => Parse, "a quantity with a suffix Kubernetes does not know";
    "quantity_out_of_range" => Parse, "a quantity too large to hold exactly";
    "invalid_duration" => Parse, "a duration that does not follow Go's or Prometheus' syntax";
    "duration_missing_unit" => Parse, "a duration number without a unit";
    "duration_unknown_unit" => Parse, "a duration with an unknown unit";
    "duration_out_of_range" => Parse, "a duration beyond the int64 nanosecond range";
    "invalid_schedule" => Parse, "a cron, `@every` or AWS schedule expression that does not parse";
    "selector_syntax" => Parse, "a label selector that does not follow apimachinery's grammar";
    "invalid_label_key" => Parse, "a label key in a selector that is not a qualified name";
    "invalid_label_value" => Parse, "a label value in a selector that is not a valid label value";
    "invalid_selector_values" => Parse, "a set operator with the wrong number of values";
    "invalid_selector_operator" => Parse, "a structured selector's operator other than `In`, `NotIn`, `Exists`, `DoesNotExist`";
    "unsupported_selector" => Parse, "a selector with no structured (`matchLabels`/`matchExpressions`) form";
    "invalid_matcher" => Parse, "an Alertmanager matcher that does not follow its grammar (`name=value`, `!=`, `=~`, `!~`; an RE2 expression after `=~`/`!~`)";
    "input_limit_exceeded" => Parse, "a text longer than the size limit (64 MiB unless set) or nested deeper than 128 levels, refused before parsing";
    "invalid_document" => Validation, "documents that break the schema or its rules (see `violations`)";
    "invalid_input" => Validation, "structured input (options, pods, traces, specs) that breaks its rules (see `violations`)";
    "invalid_breaker_config" => Config, "a circuit breaker configuration outside resilience4j's rules";
    "invalid_breaker_snapshot" => Config, "a breaker snapshot that does not fit the configuration";
    "invalid_retry_policy" => Config, "a retry policy that cannot run (no attempts, a cap below the first wait, a bad backoff or jitter name)";
    "invalid_retry_on" => Config, "a retry condition or outcome Envoy or gRPC does not define";
    "invalid_retry_throttle" => Config, "gRPC retry throttling outside gRFC A6's limits";
    "invalid_retry_budget" => Config, "an Envoy retry budget outside its limits";
    "invalid_rate_limit" => Config, "a rate limiter without a positive rate and a burst of at least 1";
    "invalid_bulkhead_config" => Config, "a bulkhead without room for one call";
    "invalid_outlier_config" => Config, "an outlier detection configuration outside Envoy's rules";
    "invalid_kpa_config" => Config, "a Knative autoscaler configuration outside `config-autoscaler`'s rules";
    "invalid_scaled_object" => Config, "a KEDA ScaledObject its admission webhook refuses";
    "invalid_objective" => Config, "an SLO objective outside (0, 1)";
    "invalid_window" => Config, "a calendar window with an unknown unit or zone, or outside the calendar";
    "invalid_policy_rules" => Config, "burn-rate rules that cannot be evaluated";
    "invalid_time" => Argument, "a time that is negative, NaN, infinite or past the nanosecond timeline";
    "invalid_number" => Argument, "a number argument outside its domain (negative, NaN, not whole, out of range)";
    "invalid_observation" => Argument, "observations the autoscaler cannot use (wrong count or kind of metric inputs, negative replicas or averages)";
    "invalid_replicas" => Argument, "a negative replica count";
    "invalid_tolerance" => Argument, "an HPA tolerance that is negative, NaN or infinite";
    "invalid_target" => Argument, "an autoscaling target of zero or less";
    "exceeds_burst" => Argument, "a rate-limit request for more tokens than the bucket holds";
    "invalid_budget_input" => Argument, "a number or duration outside what the error-budget math is defined for";
    "unknown_name" => Argument, "a name that is not one of those allowed (a breaker state, a protocol, a host result, a pod phase, an output format)";
    "invalid_argument_type" => Type, "an argument of the wrong type";
    "invalid_endpoint" => Policy, "an endpoint that is neither `namespace/name` nor an IP address";
    "unknown_pod" => Policy, "an endpoint naming a pod the engine does not know";
    "invalid_policy" => Policy, "a network policy that breaks the NetworkPolicy schema";
    "missing_field" => Policy, "a network policy without a required field";
    "no_pods" => Calculation, "no pods matched the target's selector";
    "no_metrics_returned" => Calculation, "the metrics API returned nothing";
    "no_usable_metrics" => Calculation, "every sample belonged to an ignored or unready pod";
    "missing_request" => Calculation, "a pod without a resource request for a utilization target";
    "no_matching_requests" => Calculation, "resource requests summed to zero";
    "bulkhead_not_held" => State, "a bulkhead released more often than entered";
    "quantity_overflow" => Overflow, "quantity arithmetic past the representable range";
    "call_not_permitted" => NotPermitted, "a call the circuit breaker refused";
    "invalid_gateway_settings" => Config, "API Gateway throttling or cache settings that cannot apply (a rate of 0 or less, a burst of 0, a cache TTL over 3,600 s)";
    "invalid_series" => Parse, "a promtool series notation that does not parse (`a+bxn`, `axn`, `_`, `_xn`, `stale`)";
    "invalid_exposition" => Parse, "a Prometheus text exposition (0.0.4) that breaks the format: a bad name, escape, value or timestamp, a repeated HELP or TYPE, a metric's lines not grouped, a repeated series, a histogram or summary without its buckets, quantiles, `_sum` or `_count`";
    "invalid_route_key" => Config, "an API Gateway route key that is malformed (`METHOD /path` or `$default`, a known method, whole-segment variables, a greedy variable last) or repeats another";
    "invalid_traceparent" => Tracing, "a `traceparent` that breaks W3C Trace Context's format (55 characters for version 00, lowercase hex, ids not all zero, version ff)";
    "invalid_tracestate" => Tracing, "a `tracestate` with a bad key or value, a duplicate key or more than 32 members (the whole header is discarded)";
    "invalid_sampler" => Config, "a sampler outside its domain (a probability outside [0, 1], a precision outside 1 to 13 hex digits)";
    "invalid_event_pattern" => Pattern, "an EventBridge event pattern event-ruler refuses (an empty list or object, an unknown operator, a bad `numeric` range, `**` in a wildcard, ...)";
    "invalid_filter_policy" => Pattern, "an SNS filter policy SNS refuses: an operator SNS does not have, a nested policy for the MessageAttributes scope, more than 5 keys or 150 combinations, a number beyond +-10^9 or 5 decimals, over 256 KB";
    "invalid_message_attribute" => Argument, "an SNS message attribute that is not one: an unknown data type, a Number that is not a number, a String.Array that is not a JSON list of values";
    "invalid_subscription" => Config, "an SNS topic name or subscription SNS refuses: a bad topic name, a name subscribed twice, a FIFO topic with a protocol other than sqs";
    "invalid_queue_attribute" => Config, "an SQS queue name or attribute CreateQueue refuses: a value outside its range, an unknown attribute, a FIFO name without `FifoQueue`, a dead-letter queue of the other kind";
    "invalid_message" => Argument, "an SQS message SendMessage refuses: an empty or oversized body, a character SQS does not allow, a FIFO message without a group or deduplication id, a per-message delay on a FIFO queue";
    "invalid_receipt_handle" => State, "a receipt handle that is not one, is stale (the message was received again since) or whose message is gone";
    "message_not_in_flight" => State, "a visibility change for a message that is no longer in flight";
    "over_limit" => State, "a receive from a standard queue holding 120,000 messages in flight";
    "invalid_price_table" => Config, "a Lambda price table that cannot price: a negative or non-finite price, tiers whose ends do not increase, an architecture without tiers";
    "invalid_event_source_mapping" => Config, "an SQS event source mapping Lambda refuses: a batch size outside 1 to 10,000 (10 from a FIFO queue), above 10 without a batching window, a window past 300 s or on a FIFO queue, a maximum concurrency outside 2 to 1,000";
    "wrong_expected_version" => State, "an event store append or delete whose expected revision (`any`, `no_stream`, `stream_exists` or a revision) the stream does not meet; the error carries the actual revision";
    "stream_deleted" => State, "an event store stream that is tombstoned (or soft-deleted, for `stream_exists`)";
    "stream_not_found" => State, "a read of an event store stream that does not exist or is soft-deleted";
    "corrupt_store" => Parse, "a persisted event store that does not load (corrupt, truncated, another format or version); the error carries the byte offset";
    "invalid_store_argument" => Argument, "an event store argument outside its domain: an empty or `$` stream name, an empty event type, a batch size of 0, a checkpoint or position that is not one, a bad JSON pointer";
    "internal_error" => Internal, "a bug in cnarch (a caught panic); please report it";
}

/// The entry for `code`, if it is one of [`CODES`].
pub fn code_info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}
