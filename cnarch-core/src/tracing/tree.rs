//! The span tree of recorded spans (the model's `DistributedTracing.spans`): per trace, its
//! roots, orphans and inconsistencies, each span's self time, and the critical path as
//! Jaeger computes it (jaeger-ui `TracePage/CriticalPath`).

use std::collections::HashMap;

use serde::Serialize;

use crate::model::observability::Span;

/// One problem in a trace's structure or timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The span at fault.
    pub span_id: String,
    /// `duplicate_span_id`, `orphan`, `parent_in_other_trace`, `cycle`, `untimed`,
    /// `starts_before_parent`, `ends_after_parent`, `outside_parent`.
    pub code: &'static str,
    /// What was found.
    pub message: String,
}

/// A span in its tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanNode {
    /// Its id.
    pub span_id: String,
    /// Its parent's id, as recorded.
    pub parent_id: Option<String>,
    /// Its name.
    pub name: String,
    /// Levels below its root (a root or an orphan is 0).
    pub depth: usize,
    /// Its children's ids, by start time.
    pub children: Vec<String>,
    /// Seconds from the trace's first start; `None` for a span without times.
    pub start: Option<f64>,
    /// Its duration in seconds.
    pub duration: Option<f64>,
    /// Its duration less the time at least one child ran (children clipped to it), seconds.
    pub self_time: Option<f64>,
}

/// A section of the critical path: `span_id` was what the trace waited for from `start` to
/// `end` (seconds from the trace's first start).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The span.
    pub span_id: String,
    /// Its name.
    pub name: String,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
}

/// One trace's tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceTree {
    /// The trace id.
    pub trace_id: String,
    /// Spans without a parent id.
    pub roots: Vec<String>,
    /// Spans whose parent is not among the trace's spans.
    pub orphans: Vec<String>,
    /// The spans in depth-first order from the roots (then orphans, then spans in cycles).
    pub spans: Vec<SpanNode>,
    /// The critical path from the trace's root (the first root with times), latest first as
    /// Jaeger lists it; empty when there is no timed root.
    pub critical_path: Vec<Section>,
    /// What is wrong.
    pub findings: Vec<Finding>,
}

/// A span's times in nanoseconds: start and end.
fn times(s: &Span) -> Option<(i64, i64)> {
    let start = s.start_time?.timestamp_nanos_opt()?;
    let end = match (s.end_time, s.duration) {
        (Some(e), _) => e.timestamp_nanos_opt()?,
        (None, Some(d)) => start.checked_add(d.as_nanos())?,
        (None, None) => return None,
    };
    Some((start, end.max(start)))
}

/// Seconds from `origin`.
fn secs(t: i64, origin: i64) -> f64 {
    (t - origin) as f64 / 1e9
}

/// The trees of `spans`, one per trace id, in the order traces first appear.
pub fn trees(spans: &[Span]) -> Vec<TraceTree> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_trace: HashMap<&str, Vec<&Span>> = HashMap::new();
    for s in spans {
        let list = by_trace.entry(s.trace_id.as_str()).or_insert_with(|| {
            order.push(s.trace_id.as_str());
            Vec::new()
        });
        list.push(s);
    }
    let owner: HashMap<&str, &str> = spans
        .iter()
        .map(|s| (s.span_id.as_str(), s.trace_id.as_str()))
        .collect();
    order
        .iter()
        .map(|t| tree(t, by_trace.get(t).map(Vec::as_slice).unwrap_or(&[]), &owner))
        .collect()
}

fn tree(trace_id: &str, all: &[&Span], owner: &HashMap<&str, &str>) -> TraceTree {
    let mut findings = Vec::new();
    // the spans, first of each id kept
    let mut spans: Vec<&Span> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for s in all {
        if index.contains_key(s.span_id.as_str()) {
            findings.push(Finding {
                span_id: s.span_id.clone(),
                code: "duplicate_span_id",
                message: format!("span id {} appears again; the first is kept", s.span_id),
            });
            continue;
        }
        index.insert(s.span_id.as_str(), spans.len());
        spans.push(s);
    }
    let n = spans.len();
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut roots = Vec::new();
    let mut orphans = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        match s.parent_id.as_deref() {
            None => roots.push(i),
            Some(p) => match index.get(p) {
                Some(&j) => parent[i] = Some(j),
                None => {
                    let (code, message) = match owner.get(p) {
                        Some(other) if *other != trace_id => (
                            "parent_in_other_trace",
                            format!("its parent {p} is a span of trace {other}"),
                        ),
                        _ => ("orphan", format!("its parent {p} is not among the spans")),
                    };
                    findings.push(Finding {
                        span_id: s.span_id.clone(),
                        code,
                        message,
                    });
                    orphans.push(i);
                }
            },
        }
    }
    let t: Vec<Option<(i64, i64)>> = spans.iter().map(|s| times(s)).collect();
    let origin = t.iter().flatten().map(|(a, _)| *a).min().unwrap_or(0);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = *p {
            children[p].push(i);
        }
    }
    for c in &mut children {
        c.sort_by_key(|&i| (t[i].map(|x| x.0), i));
    }
    // depth-first from roots, then orphans; what is left is in cycles
    let mut depth = vec![usize::MAX; n];
    let mut visit: Vec<usize> = Vec::with_capacity(n);
    for &r in roots.iter().chain(orphans.iter()) {
        let mut stack = vec![(r, 0usize)];
        while let Some((i, d)) = stack.pop() {
            if depth[i] != usize::MAX {
                continue;
            }
            depth[i] = d;
            visit.push(i);
            stack.extend(children[i].iter().rev().map(|&c| (c, d + 1)));
        }
    }
    for i in 0..n {
        if depth[i] == usize::MAX {
            findings.push(Finding {
                span_id: spans[i].span_id.clone(),
                code: "cycle",
                message: "its parents lead back to itself, never to a root".to_string(),
            });
            depth[i] = 0;
            visit.push(i);
        }
    }
    // timing checks against the parent, and the windows clipped as Jaeger clips them
    let mut window: Vec<Option<(i64, i64)>> = t.clone();
    for &i in &visit {
        let Some((s, e)) = t[i] else {
            findings.push(Finding {
                span_id: spans[i].span_id.clone(),
                code: "untimed",
                message: "it has no start time (or neither an end time nor a duration)".to_string(),
            });
            continue;
        };
        let Some(p) = parent[i].filter(|_| depth[i] > 0) else {
            continue;
        };
        let Some((ps, pe)) = window[p] else {
            window[i] = None;
            continue;
        };
        if e <= ps || s >= pe {
            findings.push(Finding {
                span_id: spans[i].span_id.clone(),
                code: "outside_parent",
                message: "it runs entirely outside its parent; the critical path leaves it out"
                    .to_string(),
            });
            window[i] = None;
            continue;
        }
        if s < ps {
            findings.push(Finding {
                span_id: spans[i].span_id.clone(),
                code: "starts_before_parent",
                message: format!(
                    "it starts {:.6} s before its parent (clock skew?)",
                    (ps - s) as f64 / 1e9
                ),
            });
        }
        if e > pe {
            findings.push(Finding {
                span_id: spans[i].span_id.clone(),
                code: "ends_after_parent",
                message: format!(
                    "it ends {:.6} s after its parent (clock skew, or not awaited)",
                    (e - pe) as f64 / 1e9
                ),
            });
        }
        window[i] = Some((s.max(ps), e.min(pe)));
    }
    let self_time = |i: usize| -> Option<f64> {
        let (s, e) = t[i]?;
        let mut covered: Vec<(i64, i64)> = children[i]
            .iter()
            .filter_map(|&c| t[c])
            .map(|(a, b)| (a.max(s), b.min(e)))
            .filter(|(a, b)| a < b)
            .collect();
        covered.sort_unstable();
        let mut busy = 0i64;
        let mut reach = s;
        for (a, b) in covered {
            let a = a.max(reach);
            if b > a {
                busy += b - a;
                reach = b;
            }
        }
        Some((e - s - busy) as f64 / 1e9)
    };
    let nodes: Vec<SpanNode> = visit
        .iter()
        .map(|&i| SpanNode {
            span_id: spans[i].span_id.clone(),
            parent_id: spans[i].parent_id.clone(),
            name: spans[i].name.clone(),
            depth: depth[i],
            children: children[i]
                .iter()
                .map(|&c| spans[c].span_id.clone())
                .collect(),
            start: t[i].map(|(s, _)| secs(s, origin)),
            duration: t[i].map(|(s, e)| (e - s) as f64 / 1e9),
            self_time: self_time(i),
        })
        .collect();
    let critical_path = match roots.iter().find(|&&r| window[r].is_some()) {
        Some(&r) => critical(r, &children, &window, &parent)
            .into_iter()
            .map(|(i, a, b)| Section {
                span_id: spans[i].span_id.clone(),
                name: spans[i].name.clone(),
                start: secs(a, origin),
                end: secs(b, origin),
            })
            .collect(),
        None => Vec::new(),
    };
    TraceTree {
        trace_id: trace_id.to_string(),
        roots: roots.iter().map(|&i| spans[i].span_id.clone()).collect(),
        orphans: orphans.iter().map(|&i| spans[i].span_id.clone()).collect(),
        spans: nodes,
        critical_path,
        findings,
    }
}

/// Jaeger's critical path from `root`: from a span's end, the last child to finish is
/// followed down; back at the parent, the next child to finish strictly before the returning
/// child's start is followed, and the rest of the parent's time is its own. Windows are the
/// clipped times; zero-length sections are left out.
fn critical(
    root: usize,
    children: &[Vec<usize>],
    window: &[Option<(i64, i64)>],
    parent: &[Option<usize>],
) -> Vec<(usize, i64, i64)> {
    let mut out = Vec::new();
    let mut span = root;
    let mut returning: Option<i64> = None;
    let mut steps = 0usize;
    // each step moves down to a child or back up past one, so 2 × spans steps suffice
    while steps <= 2 * window.len() + 1 {
        steps += 1;
        let Some((start, end)) = window[span] else {
            break;
        };
        let bound = returning.unwrap_or(end);
        let last = children[span]
            .iter()
            .filter_map(|&c| window[c].map(|(_, e)| (c, e)))
            .filter(|&(_, e)| returning.is_none_or(|r| e < r))
            .fold(None::<(usize, i64)>, |best, (c, e)| match best {
                Some((_, be)) if be >= e => best,
                _ => Some((c, e)),
            });
        match last {
            Some((c, e)) => {
                if e < bound {
                    out.push((span, e, bound));
                }
                span = c;
                returning = None;
            }
            None => {
                if start < bound {
                    out.push((span, start, bound));
                }
                if span == root {
                    break;
                }
                match parent[span] {
                    Some(p) => {
                        returning = Some(start);
                        span = p;
                    }
                    None => break,
                }
            }
        }
    }
    out
}
