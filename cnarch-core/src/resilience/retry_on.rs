//! Which outcomes are worth retrying: Envoy's `retry_on` conditions (also Istio's `retryOn`),
//! gRPC's `retryableStatusCodes` (gRFC A6), and an explicit "retryable" flag for errors a host
//! classifies itself.
//!
//! Envoy's rules: `5xx` retries any 5xx response, any reset and a per-try timeout;
//! `gateway-error` the same but only 502, 503 and 504 among responses; `reset` any reset or
//! connect failure; `connect-failure` and `refused-stream` only those; `retriable-4xx` a 409;
//! `retriable-status-codes` the codes listed; `cancelled`, `deadline-exceeded`, `internal`,
//! `resource-exhausted` and `unavailable` the gRPC status of that name.
//!
//! ```
//! use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn};
//! let on = RetryOn::parse("gateway-error,retriable-4xx").unwrap();
//! assert!(on.should_retry(CallOutcome::Http(503)));
//! assert!(!on.should_retry(CallOutcome::Http(500)));
//! assert!(on.should_retry(CallOutcome::Http(409)));
//! ```

/// What a call attempt ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    /// An HTTP response with this status (2xx included).
    Http(u16),
    /// A gRPC status code (0 = OK … 16 = UNAUTHENTICATED).
    Grpc(u8),
    /// The connection could not be established.
    ConnectFailure,
    /// The stream or connection was reset after it was established.
    Reset,
    /// The server refused the stream (HTTP/2 REFUSED_STREAM).
    RefusedStream,
    /// The per-try timeout fired.
    PerTryTimeout,
    /// An error the host has classified itself.
    Error {
        /// Whether it may be retried.
        retryable: bool,
    },
}

impl CallOutcome {
    /// Whether this outcome is a success (2xx, 3xx, 4xx other than as configured are answers,
    /// not failures; gRPC OK).
    pub fn is_success(&self) -> bool {
        match self {
            CallOutcome::Http(s) => *s < 500,
            CallOutcome::Grpc(c) => *c == 0,
            _ => false,
        }
    }
}

impl std::str::FromStr for CallOutcome {
    type Err = RetryOnError;
    /// The names the bindings use: an HTTP status (`"503"`), `"grpc:UNAVAILABLE"`,
    /// `"connect_failure"`, `"reset"`, `"refused_stream"`, `"per_try_timeout"`, `"retryable"`,
    /// `"not_retryable"`.
    fn from_str(s: &str) -> Result<Self, RetryOnError> {
        Ok(match s {
            "connect_failure" => CallOutcome::ConnectFailure,
            "reset" => CallOutcome::Reset,
            "refused_stream" => CallOutcome::RefusedStream,
            "per_try_timeout" => CallOutcome::PerTryTimeout,
            "retryable" => CallOutcome::Error { retryable: true },
            "not_retryable" => CallOutcome::Error { retryable: false },
            other => {
                if let Some(name) = other.strip_prefix("grpc:") {
                    CallOutcome::Grpc(grpc_code(name).ok_or_else(|| {
                        RetryOnError::new(
                            "outcome",
                            format!(
                                "expected a gRPC status code name after `grpc:`, found `{name}`"
                            ),
                        )
                    })?)
                } else {
                    match other.parse::<u16>() {
                        Ok(code) if (100..600).contains(&code) => CallOutcome::Http(code),
                        _ => {
                            return Err(RetryOnError::new("outcome", format!(
                                "expected an outcome (an HTTP status, grpc:<NAME>, connect_failure, reset, refused_stream, per_try_timeout, retryable, not_retryable), found `{other}`"
                            )))
                        }
                    }
                }
            }
        })
    }
}

const GRPC_NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

/// The gRPC status code for a canonical name (`"UNAVAILABLE"` → 14), case-insensitive, `-` or
/// `_` between words.
pub fn grpc_code(name: &str) -> Option<u8> {
    let norm = name.trim().to_ascii_uppercase().replace('-', "_");
    GRPC_NAMES
        .iter()
        .position(|n| *n == norm)
        .and_then(|i| u8::try_from(i).ok())
}

crate::error::field_error!(
    /// Why a condition list was refused.
    RetryOnError,
    "",
    "invalid_retry_on",
    crate::error::ErrorKind::Config
);

/// A set of retry conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryOn {
    five_xx: bool,
    gateway_error: bool,
    reset: bool,
    connect_failure: bool,
    refused_stream: bool,
    retriable_4xx: bool,
    status_codes: Vec<u16>,
    grpc_codes: Vec<u8>,
}

impl RetryOn {
    /// Parses Envoy's comma-separated `retry_on` (`x-envoy-retry-on`, Istio `retryOn`). Status
    /// codes for `retriable-status-codes` are given with [`RetryOn::with_status_codes`]; a bare
    /// number in the list (Istio accepts `"503,connect-failure"`) adds that code.
    pub fn parse(list: &str) -> Result<RetryOn, RetryOnError> {
        let mut r = RetryOn::default();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "5xx" => r.five_xx = true,
                "gateway-error" => r.gateway_error = true,
                "reset" => r.reset = true,
                "connect-failure" => r.connect_failure = true,
                "refused-stream" => r.refused_stream = true,
                "retriable-4xx" => r.retriable_4xx = true,
                "retriable-status-codes" => {}
                "cancelled" | "deadline-exceeded" | "internal" | "resource-exhausted"
                | "unavailable" => {
                    if let Some(c) = grpc_code(item) {
                        r.grpc_codes.push(c);
                    }
                }
                other => match other.parse::<u16>() {
                    Ok(code) if (100..600).contains(&code) => r.status_codes.push(code),
                    _ => {
                        return Err(RetryOnError::new("conditions", format!(
                            "expected an Envoy retry_on condition (5xx, gateway-error, reset, connect-failure, refused-stream, retriable-4xx, retriable-status-codes, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable) or an HTTP status, found `{other}`"
                        )))
                    }
                },
            }
        }
        Ok(r)
    }

    /// Adds HTTP status codes to retry (`retriable_status_codes`).
    pub fn with_status_codes(mut self, codes: &[u16]) -> RetryOn {
        self.status_codes.extend_from_slice(codes);
        self
    }

    /// gRFC A6's `retryableStatusCodes`: gRPC status names (`"UNAVAILABLE"`) to retry.
    pub fn grpc<S: AsRef<str>>(names: &[S]) -> Result<RetryOn, RetryOnError> {
        let mut r = RetryOn::default();
        for n in names {
            let code = grpc_code(n.as_ref()).ok_or_else(|| {
                RetryOnError::new(
                    "codes",
                    format!(
                        "expected a gRPC status code name (e.g. UNAVAILABLE), found `{}`",
                        n.as_ref()
                    ),
                )
            })?;
            r.grpc_codes.push(code);
        }
        Ok(r)
    }

    /// Istio's default HTTP retry policy: `connect-failure,refused-stream,unavailable,
    /// cancelled,retriable-status-codes` with 503 as the retriable status.
    pub fn istio_default() -> RetryOn {
        RetryOn {
            connect_failure: true,
            refused_stream: true,
            grpc_codes: vec![14, 1],
            status_codes: vec![503],
            ..RetryOn::default()
        }
    }

    /// Whether `outcome` should be retried under these conditions.
    pub fn should_retry(&self, outcome: CallOutcome) -> bool {
        match outcome {
            CallOutcome::Http(s) => {
                (self.five_xx && (500..600).contains(&s))
                    || (self.gateway_error && matches!(s, 502..=504))
                    || (self.retriable_4xx && s == 409)
                    || self.status_codes.contains(&s)
            }
            CallOutcome::Grpc(c) => self.grpc_codes.contains(&c),
            CallOutcome::Reset | CallOutcome::ConnectFailure | CallOutcome::RefusedStream => {
                self.reset
                    || self.five_xx
                    || self.gateway_error
                    || (self.refused_stream && outcome == CallOutcome::RefusedStream)
                    || (self.connect_failure && outcome == CallOutcome::ConnectFailure)
            }
            CallOutcome::PerTryTimeout => self.five_xx || self.gateway_error,
            CallOutcome::Error { retryable } => retryable,
        }
    }
}
