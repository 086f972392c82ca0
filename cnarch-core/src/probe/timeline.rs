//! The kubelet's probe workers and restart back-off, simulated event by event on the pod's
//! clock in milliseconds.
//!
//! Each probe has a worker whose ticker fires every `periodSeconds` from the pod's start
//! (the first run at 0). A probe runs synchronously: one that takes longer than a period
//! makes the next run start the moment it ends (Go's ticker keeps one tick). The kubelet's
//! pod syncs that follow a published change (a startup or readiness result, a liveness
//! failure, a container starting) trigger an immediate readiness probe while the started
//! container is not ready, as `prober_manager.UpdatePodStatus` does.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use serde::Serialize;

use super::{dur, ms, Behaviour, Options, Outcome, ProbeKind, ProbeResult, Spec, State};
use crate::error::{InvalidInput, Violation};
use crate::model::workload::HealthCheck;

/// One probe the kubelet ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProbeRun {
    /// Which probe.
    pub probe: ProbeKind,
    /// The container it probed (0 for the first, then one more per restart).
    pub container: u32,
    /// When it started.
    pub start: Duration,
    /// When its answer (or its timeout) came.
    pub end: Duration,
    /// How it went.
    pub outcome: Outcome,
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A container started (its number is its restart count).
    ContainerStarted {
        /// The container.
        container: u32,
    },
    /// A probe's published result changed (from the container's initial result or the last
    /// published one).
    Result {
        /// Which probe.
        probe: ProbeKind,
        /// The container.
        container: u32,
        /// The new result.
        result: ProbeResult,
    },
    /// The pod's Ready condition changed.
    Ready {
        /// The new value.
        ready: bool,
    },
    /// The kubelet killed the container after a published liveness or startup failure.
    ContainerKilled {
        /// The container.
        container: u32,
        /// The probe whose failure killed it.
        probe: ProbeKind,
    },
    /// The container exited.
    ContainerExited {
        /// The container.
        container: u32,
    },
    /// The next container waits in CrashLoopBackOff.
    BackOff {
        /// The container that will start.
        container: u32,
        /// How long it waits.
        wait: Duration,
    },
}

/// A change at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Event {
    /// When (from the pod's start).
    pub at: Duration,
    /// What.
    #[serde(flatten)]
    pub what: EventKind,
}

/// Everything that happened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// Every probe, in the order they ended.
    pub probes: Vec<ProbeRun>,
    /// Every change, in time order.
    pub events: Vec<Event>,
    /// Containers started after the first.
    pub restarts: u32,
    /// When the pod first became Ready.
    pub first_ready: Option<Duration>,
    /// Whether it is Ready at the end.
    pub ready: bool,
}

#[derive(Debug, Clone, Copy)]
struct InFlight {
    start: u64,
    end: u64,
    outcome: Outcome,
    container: usize,
}

#[derive(Debug)]
struct Worker {
    spec: Spec,
    busy: Option<InFlight>,
    tick_pending: bool,
    manual_pending: bool,
    container: Option<usize>,
    on_hold: bool,
    last: Option<ProbeResult>,
    run: u32,
}

#[derive(Debug, Clone, Copy)]
struct Container {
    started: u64,
    killed: bool,
    exited: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Exit(usize),
    Start,
    Done(ProbeKind),
    Manual(ProbeKind),
    Tick(ProbeKind),
}

impl Ev {
    fn class(self) -> u8 {
        match self {
            Ev::Exit(_) => 0,
            Ev::Start => 1,
            Ev::Done(_) => 2,
            Ev::Manual(_) => 3,
            Ev::Tick(k) => 4 + k.index() as u8,
        }
    }
}

const BACK_OFF_INITIAL: u64 = 10_000;
const BACK_OFF_MAX: u64 = 300_000;

struct Sim<'a> {
    behaviour: &'a Behaviour,
    grace: u64,
    workers: [Option<Worker>; 3],
    /// The published result of each probe, for the container it was published for.
    results: [Option<(usize, ProbeResult)>; 3],
    containers: Vec<Container>,
    back_off: Option<(u64, u64)>,
    queue: BinaryHeap<Reverse<(u64, u8, u64, Ev)>>,
    seq: u64,
    out: Timeline,
    ready: bool,
}

/// Runs the probes of `hc` against a container that behaves as `behaviour` says, until
/// `options.until`. Refuses a health check the API server would refuse (paths under
/// `health_check`) and a behaviour that cannot run (paths under `behaviour` and `options`).
pub fn timeline(
    hc: &HealthCheck,
    behaviour: &Behaviour,
    options: &Options,
) -> Result<Timeline, InvalidInput> {
    super::check(hc, "health_check")?;
    check_behaviour(behaviour, options)?;
    let mut sim = Sim {
        behaviour,
        grace: ms(options.termination_grace_period),
        workers: ProbeKind::ALL.map(|k| {
            ProbeKind::of(hc, k).map(|p| Worker {
                spec: Spec::of(p),
                busy: None,
                tick_pending: false,
                manual_pending: false,
                container: None,
                on_hold: false,
                last: None,
                run: 0,
            })
        }),
        results: [None; 3],
        containers: Vec::new(),
        back_off: None,
        queue: BinaryHeap::new(),
        seq: 0,
        out: Timeline::default(),
        ready: false,
    };
    sim.push(ms(behaviour.start_at), Ev::Start);
    for k in ProbeKind::ALL {
        if sim.workers[k.index()].is_some() {
            sim.push(0, Ev::Tick(k));
        }
    }
    let until = ms(options.until);
    while let Some(Reverse((t, _, _, ev))) = sim.queue.pop() {
        if t > until {
            break;
        }
        sim.handle(t, ev);
        sim.update_ready(t);
    }
    sim.out.ready = sim.ready;
    Ok(sim.out)
}

fn check_behaviour(b: &Behaviour, o: &Options) -> Result<(), InvalidInput> {
    let refuse = |path: String, message: String| InvalidInput {
        violations: vec![Violation::at(path, "out_of_range", message)],
    };
    if o.until > super::MAX_UNTIL {
        return Err(refuse(
            "options.until".into(),
            format!(
                "expected at most {} s (one day), found {} s",
                super::MAX_UNTIL.as_secs(),
                o.until.as_secs_f64()
            ),
        ));
    }
    for (i, w) in b.phases.windows(2).enumerate() {
        if w[1].at < w[0].at {
            return Err(refuse(
                format!("behaviour.phases[{}].at", i + 1),
                format!(
                    "expected phases in time order: {} s is before the previous phase's {} s",
                    w[1].at.as_secs_f64(),
                    w[0].at.as_secs_f64()
                ),
            ));
        }
    }
    Ok(())
}

impl Sim<'_> {
    fn push(&mut self, t: u64, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((t, ev.class(), self.seq, ev)));
    }

    fn event(&mut self, t: u64, what: EventKind) {
        self.out.events.push(Event { at: dur(t), what });
    }

    fn current(&self) -> Option<usize> {
        self.containers.len().checked_sub(1)
    }

    fn running(&self, c: usize) -> bool {
        self.containers.get(c).is_some_and(|c| c.exited.is_none())
    }

    fn result(&self, kind: ProbeKind, c: usize) -> Option<ProbeResult> {
        match self.results[kind.index()] {
            Some((rc, r)) if rc == c => Some(r),
            _ => None,
        }
    }

    /// `Started` of the container: its startup probe succeeded, or it has none.
    fn started(&self, c: usize) -> bool {
        if self.workers[ProbeKind::Startup.index()].is_none() {
            return true;
        }
        self.result(ProbeKind::Startup, c) == Some(ProbeResult::Success)
    }

    fn update_ready(&mut self, t: u64) {
        let ready = self.current().is_some_and(|c| {
            self.running(c)
                && self.started(c)
                && (self.workers[ProbeKind::Readiness.index()].is_none()
                    || self.result(ProbeKind::Readiness, c) == Some(ProbeResult::Success))
        });
        if ready != self.ready {
            self.ready = ready;
            self.event(t, EventKind::Ready { ready });
            if ready && self.out.first_ready.is_none() {
                self.out.first_ready = Some(dur(t));
            }
        }
    }

    fn handle(&mut self, t: u64, ev: Ev) {
        match ev {
            Ev::Start => self.start(t),
            Ev::Exit(c) => self.exit(t, c),
            Ev::Tick(k) => {
                let period = self.workers[k.index()]
                    .as_ref()
                    .map_or(0, |w| w.spec.period);
                self.push(t + period, Ev::Tick(k));
                if let Some(w) = self.workers[k.index()].as_mut() {
                    if w.busy.is_some() {
                        w.tick_pending = true;
                        return;
                    }
                }
                self.probe(k, t);
            }
            Ev::Manual(k) => {
                if let Some(w) = self.workers[k.index()].as_mut() {
                    if w.busy.is_some() {
                        w.manual_pending = true;
                        return;
                    }
                }
                self.probe(k, t);
            }
            Ev::Done(k) => self.done(k, t),
        }
    }

    fn start(&mut self, t: u64) {
        let c = self.containers.len();
        self.containers.push(Container {
            started: t,
            killed: false,
            exited: None,
        });
        self.out.restarts = u32::try_from(c).unwrap_or(u32::MAX);
        self.event(t, EventKind::ContainerStarted { container: n(c) });
        self.sync(t);
    }

    fn exit(&mut self, t: u64, c: usize) {
        if let Some(k) = self.containers.get_mut(c) {
            k.exited = Some(t);
        }
        self.event(t, EventKind::ContainerExited { container: n(c) });
        // The restart back-off: in back-off while less than the current delay has passed
        // since the container finished; each restart out of back-off doubles the delay; an
        // entry older than twice the maximum is forgotten.
        let restart_at = match self.back_off {
            Some((delay, last)) if t.saturating_sub(last) <= 2 * BACK_OFF_MAX => {
                let at = t + delay;
                self.back_off = Some(((2 * delay).min(BACK_OFF_MAX), at));
                self.event(
                    t,
                    EventKind::BackOff {
                        container: n(c + 1),
                        wait: dur(delay),
                    },
                );
                at
            }
            _ => {
                self.back_off = Some((BACK_OFF_INITIAL, t));
                t
            }
        };
        self.push(restart_at, Ev::Start);
    }

    /// The kubelet's pod sync after a change: a published liveness or startup failure kills
    /// the running container; a started container that is not ready gets a readiness probe.
    fn sync(&mut self, t: u64) {
        let Some(c) = self.current() else { return };
        if !self.running(c) {
            return;
        }
        let failed = [ProbeKind::Startup, ProbeKind::Liveness]
            .into_iter()
            .find(|&k| self.result(k, c) == Some(ProbeResult::Failure));
        if let Some(probe) = failed {
            if !self.containers[c].killed {
                self.containers[c].killed = true;
                self.event(
                    t,
                    EventKind::ContainerKilled {
                        container: n(c),
                        probe,
                    },
                );
                let stop = ms(self.behaviour.stop).min(self.grace);
                self.push(t + stop, Ev::Exit(c));
            }
            return;
        }
        if self.workers[ProbeKind::Readiness.index()].is_some()
            && self.started(c)
            && self.result(ProbeKind::Readiness, c) != Some(ProbeResult::Success)
        {
            self.push(t, Ev::Manual(ProbeKind::Readiness));
        }
    }

    /// The worker's `doProbe`.
    fn probe(&mut self, kind: ProbeKind, t: u64) {
        let Some(c) = self.current() else { return };
        let started = self.started(c);
        let running = self.running(c);
        let container = self.containers[c];
        let Some(w) = self.workers[kind.index()].as_mut() else {
            return;
        };
        if w.container != Some(c) {
            // A new container: its initial result, probing resumes.
            w.container = Some(c);
            w.on_hold = false;
            self.results[kind.index()] = Some((c, kind.initial()));
        }
        if w.on_hold {
            return;
        }
        if !running {
            self.results[kind.index()] = Some((c, ProbeResult::Failure));
            return;
        }
        // int32(time.Since(startedAt).Seconds()) < initialDelaySeconds: whole seconds.
        if (t - container.started) / 1000 < w.spec.delay_s {
            return;
        }
        if started == (kind == ProbeKind::Startup) {
            return;
        }
        let (took, outcome) = answer(self.behaviour, &container, t, w.spec.timeout);
        w.busy = Some(InFlight {
            start: t,
            end: t + took,
            outcome,
            container: c,
        });
        self.push(t + took, Ev::Done(kind));
    }

    fn done(&mut self, kind: ProbeKind, t: u64) {
        let Some(w) = self.workers[kind.index()].as_mut() else {
            return;
        };
        let Some(run) = w.busy.take() else { return };
        let result = run.outcome.result();
        if w.last == Some(result) {
            w.run += 1;
        } else {
            w.last = Some(result);
            w.run = 1;
        }
        let threshold = if result == ProbeResult::Failure {
            w.spec.failure
        } else {
            w.spec.success
        };
        let publish = w.run >= threshold;
        if publish && kind != ProbeKind::Readiness && result == ProbeResult::Failure {
            w.on_hold = true;
            w.run = 0;
        }
        self.out.probes.push(ProbeRun {
            probe: kind,
            container: n(run.container),
            start: dur(run.start),
            end: dur(run.end),
            outcome: run.outcome,
        });
        if publish {
            let before = self.result(kind, run.container).unwrap_or(kind.initial());
            self.results[kind.index()] = Some((run.container, result));
            if before != result {
                self.event(
                    t,
                    EventKind::Result {
                        probe: kind,
                        container: n(run.container),
                        result,
                    },
                );
                let syncs = kind != ProbeKind::Liveness || result == ProbeResult::Failure;
                if syncs && Some(run.container) == self.current() {
                    self.update_ready(t);
                    self.sync(t);
                }
            }
        }
        // Go's select: a trigger or a tick that came while probing runs the next probe now.
        loop {
            let Some(w) = self.workers[kind.index()].as_mut() else {
                return;
            };
            if w.busy.is_some() {
                return;
            }
            if w.manual_pending {
                w.manual_pending = false;
            } else if w.tick_pending {
                w.tick_pending = false;
            } else {
                return;
            }
            self.probe(kind, t);
        }
    }
}

fn n(c: usize) -> u32 {
    u32::try_from(c).unwrap_or(u32::MAX)
}

/// How the container answers a probe started at `t`: how long it takes and how it goes.
fn answer(b: &Behaviour, c: &Container, t: u64, timeout: u64) -> (u64, Outcome) {
    if t - c.started < ms(b.startup) {
        return (0, Outcome::Refused);
    }
    let state = b
        .phases
        .iter()
        .rev()
        .find(|p| {
            let at = ms(p.at);
            at <= t && (!p.cleared_by_restart || at >= c.started)
        })
        .map_or(State::Healthy, |p| p.state);
    let (latency, ok) = match state {
        State::Healthy => (ms(b.latency), true),
        State::Failing => (ms(b.latency), false),
        State::Slow(l) => (ms(l), true),
        State::Hung => (u64::MAX, false),
    };
    if latency >= timeout {
        (timeout, Outcome::Timeout)
    } else if ok {
        (latency, Outcome::Success)
    } else {
        (latency, Outcome::Failure)
    }
}
