//! The differential loop shared by every reference: generate, ask both sides, compare, sort
//! out the documented deliberate differences, shrink the rest.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::rng::Rng;

/// What one side made of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted, with everything observable about the result in a canonical text.
    Accepted(String),
    /// Refused (the message is shown, never compared).
    Refused(String),
    /// The implementation panicked.
    Panicked(String),
}

impl Outcome {
    fn kind(&self) -> &'static str {
        match self {
            Outcome::Accepted(_) => "accepts",
            Outcome::Refused(_) => "refuses",
            Outcome::Panicked(_) => "panics",
        }
    }
}

/// Do the two sides agree? Both refuse, or both accept with the same result.
pub fn agree(ours: &Outcome, theirs: &Outcome) -> bool {
    match (ours, theirs) {
        (Outcome::Accepted(a), Outcome::Accepted(b)) => a == b,
        (Outcome::Refused(_), Outcome::Refused(_)) => true,
        _ => false,
    }
}

/// A reference implementation reached through a harness process speaking JSON lines.
pub trait Reference {
    type Case: Clone + Debug;
    /// The reference's name, as printed.
    fn name(&self) -> &'static str;
    /// One generated case.
    fn generate(&self, rng: &mut Rng) -> Self::Case;
    /// The case as one JSON line for the harness.
    fn wire(&self, case: &Self::Case) -> serde_json::Value;
    /// cnarch's outcome.
    fn ours(&self, case: &Self::Case) -> Outcome;
    /// The harness's reply as an outcome.
    fn theirs(&self, reply: &serde_json::Value) -> Outcome;
    /// The documented deliberate difference this disagreement is, if it is one.
    fn deliberate(
        &self,
        case: &Self::Case,
        ours: &Outcome,
        theirs: &Outcome,
    ) -> Option<&'static str>;
    /// Smaller or simpler variants of a case, for shrinking.
    fn simpler(&self, case: &Self::Case) -> Vec<Self::Case>;
}

/// A harness program.
#[derive(Debug)]
pub struct Process {
    bin: String,
}

impl Process {
    pub fn new(bin: &str) -> Process {
        Process {
            bin: bin.to_string(),
        }
    }

    /// Sends every line, returns one reply per line.
    fn ask(&self, lines: Vec<String>) -> Result<Vec<serde_json::Value>, String> {
        let mut child = Command::new(&self.bin)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.bin))?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let count = lines.len();
        let writer = std::thread::spawn(move || -> std::io::Result<()> {
            let mut w = std::io::BufWriter::new(&mut stdin);
            for line in lines {
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")?;
            }
            w.flush()
        });
        let mut replies = Vec::with_capacity(count);
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading {}: {e}", self.bin))?;
            replies.push(
                serde_json::from_str(&line)
                    .map_err(|e| format!("{} answered `{line}`: {e}", self.bin))?,
            );
        }
        writer
            .join()
            .map_err(|_| "writer thread failed".to_string())?
            .map_err(|e| format!("writing to {}: {e}", self.bin))?;
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() || replies.len() != count {
            return Err(format!(
                "{} exited with {status} after {} of {count} answers",
                self.bin,
                replies.len()
            ));
        }
        Ok(replies)
    }
}

fn outcomes<R: Reference>(
    r: &R,
    p: &Process,
    cases: &[R::Case],
) -> Result<Vec<(Outcome, Outcome)>, String> {
    let lines = cases.iter().map(|c| r.wire(c).to_string()).collect();
    let replies = p.ask(lines)?;
    Ok(cases
        .iter()
        .zip(&replies)
        .map(|(c, reply)| (ours_caught(r, c), r.theirs(reply)))
        .collect())
}

/// cnarch's outcome, a panic turned into `Panicked` so that it is reported, not fatal.
fn ours_caught<R: Reference>(r: &R, case: &R::Case) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.ours(case))).unwrap_or_else(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Outcome::Panicked(msg)
    })
}

/// The shape of a disagreement, kept while shrinking.
fn class(ours: &Outcome, theirs: &Outcome) -> (&'static str, &'static str) {
    (ours.kind(), theirs.kind())
}

/// Greedy shrinking: take the first simpler case that still disagrees the same way.
fn shrink<R: Reference>(
    r: &R,
    p: &Process,
    mut case: R::Case,
    want: (&'static str, &'static str),
) -> Result<(R::Case, Outcome, Outcome), String> {
    let (mut ours, mut theirs) = outcomes(r, p, std::slice::from_ref(&case))?
        .pop()
        .ok_or("no answer")?;
    for _ in 0..200 {
        let candidates = r.simpler(&case);
        if candidates.is_empty() {
            break;
        }
        let answers = outcomes(r, p, &candidates)?;
        let better = candidates.into_iter().zip(answers).find(|(c, (o, t))| {
            !agree(o, t) && class(o, t) == want && r.deliberate(c, o, t).is_none()
        });
        match better {
            Some((c, (o, t))) => {
                case = c;
                ours = o;
                theirs = t;
            }
            None => break,
        }
    }
    Ok((case, ours, theirs))
}

/// Runs `count` generated cases from `seed`; true when every disagreement is a documented one.
pub fn run<R: Reference>(r: &R, p: &Process, count: usize, seed: u64) -> Result<bool, String> {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let cases: Vec<R::Case> = (0..count).map(|_| r.generate(&mut rng)).collect();
    let results = outcomes(r, p, &cases)?;
    let mut accepted = 0usize;
    let mut deliberate: BTreeMap<&'static str, (usize, String)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (case, (ours, theirs)) in cases.iter().zip(&results) {
        if agree(ours, theirs) {
            accepted += usize::from(matches!(ours, Outcome::Accepted(_)));
            continue;
        }
        match r.deliberate(case, ours, theirs) {
            Some(label) => {
                let e = deliberate
                    .entry(label)
                    .or_insert_with(|| (0, format!("{case:?}")));
                e.0 += 1;
            }
            None => failures.push((case.clone(), class(ours, theirs))),
        }
    }
    println!(
        "{}: {count} cases from seed {seed}: {} agree ({accepted} accepted by both), {} deliberate differences, {} disagreements, {:.1}s",
        r.name(),
        count - failures.len() - deliberate.values().map(|d| d.0).sum::<usize>(),
        deliberate.values().map(|d| d.0).sum::<usize>(),
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    for (label, (n, example)) in &deliberate {
        println!("  deliberate ({n}×): {label}\n    e.g. {example}");
    }
    // Shrink one failure of each shape.
    let mut shown = std::collections::BTreeSet::new();
    for (case, want) in failures {
        if !shown.insert(want) {
            continue;
        }
        let (case, ours, theirs) = shrink(r, p, case, want)?;
        println!(
            "  DISAGREEMENT (cnarch {}, {} {}), shrunk to: {case:?}\n    cnarch:    {ours:?}\n    reference: {theirs:?}",
            want.0,
            r.name(),
            want.1
        );
    }
    Ok(shown.is_empty())
}
