//! Kubelet probes: what the startup, liveness and readiness probes of a [`HealthCheck`] do to
//! a container whose behaviour is given as a timeline ([`timeline()`]), and the worst-case
//! times that follow from the probe settings ([`bounds()`]).
//!
//! The simulation follows the kubelet's prober worker (`pkg/kubelet/prober/worker.go`) and its
//! restart back-off (`pkg/kubelet/kuberuntime`, `flowcontrol.Backoff`): initial results
//! (readiness Failure, liveness Success, startup Unknown), probing skipped while the whole
//! seconds since the container started are below `initialDelaySeconds`, liveness and
//! readiness held until the startup probe succeeds, a result published only after
//! `successThreshold` or `failureThreshold` identical results in a row, a published liveness
//! or startup failure killing the container (probing on hold until the next container), and
//! restarts delayed by CrashLoopBackOff (none, then 10 s doubling to 300 s, reset after
//! 10 minutes without a restart).
//!
//! ```
//! use std::time::Duration;
//! use cnarch_core::model::workload::HealthCheck;
//! use cnarch_core::probe::{timeline, Behaviour, Options, Phase, State};
//!
//! let hc: HealthCheck = serde_json::from_value(serde_json::json!({
//!     "liveness": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
//!     "readiness": {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 5},
//! })).unwrap();
//! let behaviour = Behaviour {
//!     phases: vec![Phase::new(Duration::from_secs(60), State::Hung)],
//!     ..Behaviour::default()
//! };
//! let t = timeline(&hc, &behaviour, &Options::until(Duration::from_secs(120))).unwrap();
//! assert_eq!(t.restarts, 1); // three timeouts in a row from 60 s: killed at 81 s
//! assert_eq!(t.first_ready, Some(Duration::ZERO));
//! ```
//!
//! Rules, conventions and sources: `docs/probes.md`.

pub mod bounds;
pub mod timeline;

use std::time::Duration;

use serde::Serialize;

pub use bounds::{back_off, bounds, Bounds};
pub use timeline::{timeline, Event, EventKind, ProbeRun, Timeline};

use crate::error::{InvalidInput, Violation};
use crate::model::workload::{HealthCheck, Probe};

/// The three kubelet probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeKind {
    /// Holds the other two until it succeeds; its failure restarts the container.
    Startup,
    /// Its failure restarts the container.
    Liveness,
    /// Its result is the container's readiness.
    Readiness,
}

impl ProbeKind {
    /// All three, in the order the simulation breaks ties in.
    pub const ALL: [ProbeKind; 3] = [
        ProbeKind::Startup,
        ProbeKind::Liveness,
        ProbeKind::Readiness,
    ];

    /// The lowercase name (`startup`, `liveness`, `readiness`).
    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
        }
    }

    /// The result a new container starts with (kubelet's `initialValue`).
    pub fn initial(self) -> ProbeResult {
        match self {
            ProbeKind::Startup => ProbeResult::Unknown,
            ProbeKind::Liveness => ProbeResult::Success,
            ProbeKind::Readiness => ProbeResult::Failure,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn of(hc: &HealthCheck, kind: ProbeKind) -> Option<&Probe> {
        match kind {
            ProbeKind::Startup => hc.startup.as_ref(),
            ProbeKind::Liveness => hc.liveness.as_ref(),
            ProbeKind::Readiness => hc.readiness.as_ref(),
        }
    }
}

/// A published probe result (kubelet's `results.Result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeResult {
    /// Not probed yet (the startup probe's initial result).
    Unknown,
    /// Healthy, ready or started.
    Success,
    /// Failed.
    Failure,
}

/// How one probe went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered in time with success.
    Success,
    /// Answered in time with a failure.
    Failure,
    /// No answer within `timeoutSeconds`: a failure.
    Timeout,
    /// The container was not answering yet (still starting): a failure, at once.
    Refused,
}

impl Outcome {
    /// Success, or one of the failures.
    pub fn result(self) -> ProbeResult {
        match self {
            Outcome::Success => ProbeResult::Success,
            _ => ProbeResult::Failure,
        }
    }
}

/// What the container does when probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Answers with success after the behaviour's `latency`.
    Healthy,
    /// Answers with a failure (an HTTP 500, a non-zero exit) after the behaviour's `latency`.
    Failing,
    /// Never answers: every probe times out.
    Hung,
    /// Answers with success after this long (a timeout if that is `timeoutSeconds` or more).
    Slow(Duration),
}

/// A change of the container's behaviour at a time on the pod's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phase {
    /// When it begins (from the pod's start).
    pub at: Duration,
    /// What the container does from then on.
    pub state: State,
    /// A fault of the process itself (a deadlock, a leak) that a restart clears: a container
    /// started after `at` does not have it. `false` for an outside fault (a dependency down)
    /// that every container sees until the next phase. Default `true`.
    pub cleared_by_restart: bool,
}

impl Phase {
    /// A phase a restart clears.
    pub fn new(at: Duration, state: State) -> Phase {
        Phase {
            at,
            state,
            cleared_by_restart: true,
        }
    }
}

/// The container's behaviour.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Behaviour {
    /// When the first container starts (from the pod's start, when the probe workers start).
    pub start_at: Duration,
    /// How long each container takes after it starts before it answers probes (until then
    /// every probe is [`Outcome::Refused`]).
    pub startup: Duration,
    /// How long a healthy or failing answer takes.
    pub latency: Duration,
    /// How long the container takes to exit once the kubelet kills it (at most the
    /// termination grace period).
    pub stop: Duration,
    /// Changes of behaviour, in time order; before the first the container is healthy.
    pub phases: Vec<Phase>,
}

/// How long to simulate, and the pod's setting that bounds a kill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Options {
    /// The end of the simulation (at most [`MAX_UNTIL`]).
    pub until: Duration,
    /// `terminationGracePeriodSeconds` (Kubernetes' default 30 s).
    pub termination_grace_period: Duration,
}

/// The longest simulation: one day.
pub const MAX_UNTIL: Duration = Duration::from_secs(86_400);

impl Options {
    /// Simulate until `until`, with the default grace period.
    pub fn until(until: Duration) -> Options {
        Options {
            until,
            termination_grace_period: Duration::from_secs(30),
        }
    }
}

/// A probe's settings with Kubernetes' defaults applied, times in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub delay_s: u64,
    pub period: u64,
    pub timeout: u64,
    pub failure: u32,
    pub success: u32,
}

fn positive(v: i32) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Spec {
    pub(crate) fn of(p: &Probe) -> Spec {
        Spec {
            delay_s: positive(p.initial_delay_seconds_or_default()),
            period: positive(p.period_seconds_or_default()) * 1000,
            timeout: positive(p.timeout_seconds_or_default()) * 1000,
            failure: u32::try_from(p.failure_threshold_or_default()).unwrap_or(0),
            success: u32::try_from(p.success_threshold_or_default()).unwrap_or(0),
        }
    }
}

/// Checks a health check as the API server would (the model's ranges, a success threshold of
/// 1 for liveness and startup), with paths under `prefix`.
pub(crate) fn check(hc: &HealthCheck, prefix: &str) -> Result<(), InvalidInput> {
    let mut found = Vec::new();
    if let Err(errors) = validator::Validate::validate(hc) {
        crate::validate::fields::flatten(prefix, &errors, &mut found);
    }
    for kind in [ProbeKind::Liveness, ProbeKind::Startup] {
        if let Some(s) = ProbeKind::of(hc, kind).and_then(|p| p.success_threshold) {
            if s != 1 {
                found.push(crate::validate::found::Found::new(
                    format!("{prefix}.{}.successThreshold", kind.name()),
                    "invalid_success_threshold",
                    format!(
                        "expected 1 for a {} probe (as Kubernetes requires), found {s}",
                        kind.name()
                    ),
                ));
            }
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Err(InvalidInput {
        violations: found
            .into_iter()
            .map(|f| Violation::at(f.path, &f.code, f.message))
            .collect(),
    })
}

pub(crate) fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

pub(crate) fn dur(ms: u64) -> Duration {
    Duration::from_millis(ms)
}
