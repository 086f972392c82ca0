//! Exact satisfiability of conjunctions of requirements (and negated requirements), used by
//! `overlaps` and `is_subset_of`. Keys are independent, so each key is solved on its own by
//! trying a finite set of candidate values that covers every equivalence class: absence, each
//! value the constraints mention, a fresh non-integer value, and integers around every bound
//! (plus zero-padded spellings, since `>`/`<` compare parsed integers).

use std::collections::{BTreeMap, BTreeSet};

use super::{Operator, Requirement};
use crate::validate::field_rules as rules;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Constraint<'a> {
    Req(&'a Requirement),
    Not(&'a Requirement),
}

impl Constraint<'_> {
    fn key(&self) -> &str {
        match self {
            Constraint::Req(r) | Constraint::Not(r) => &r.key,
        }
    }

    fn holds(&self, value: Option<&str>) -> bool {
        let one = [(self.key(), value.unwrap_or(""))];
        let labels: &[(&str, &str)] = if value.is_some() { &one } else { &[] };
        match self {
            Constraint::Req(r) => r.matches(labels),
            Constraint::Not(r) => !r.matches(labels),
        }
    }

    fn requirement(&self) -> &Requirement {
        match self {
            Constraint::Req(r) | Constraint::Not(r) => r,
        }
    }
}

/// Candidate values for one key's constraints.
fn candidates(cs: &[Constraint<'_>]) -> Vec<Option<String>> {
    let mut mentioned: BTreeSet<String> = BTreeSet::new();
    let mut bounds: Vec<i64> = vec![0];
    for c in cs {
        let r = c.requirement();
        mentioned.extend(r.values.iter().cloned());
        if matches!(r.op, Operator::GreaterThan | Operator::LessThan) {
            bounds.push(r.bound);
        }
    }
    let mut out: Vec<Option<String>> = vec![None];
    out.extend(mentioned.iter().cloned().map(Some));
    let fresh = (0..)
        .map(|i| format!("v{i}"))
        .find(|v| !mentioned.contains(v))
        .unwrap_or_default();
    // Integers near each bound, then the first unmentioned one after it, in two spellings.
    let mut ints: BTreeSet<i64> = BTreeSet::new();
    for b in &bounds {
        for d in -1..=1 {
            if let Some(n) = b.checked_add(d) {
                ints.insert(n);
            }
        }
        let mut n = b.saturating_add(1);
        let mut tries = 0;
        while mentioned.contains(&n.to_string()) && tries <= mentioned.len() {
            n = n.saturating_add(1);
            tries += 1;
        }
        ints.insert(n);
    }
    let ints: Vec<i64> = ints.into_iter().filter(|n| *n >= 0).collect();
    out.extend(ints.iter().map(|n| Some(n.to_string())));
    out.extend(ints.iter().map(|n| Some(format!("0{n}"))));
    // A fresh non-integer value.
    out.push(Some(fresh));
    out.retain(|v| v.as_deref().is_none_or(rules::is_label_value));
    out
}

/// A label set satisfying every constraint (with valid label values), or `None`.
pub(crate) fn witness(cs: &[Constraint<'_>]) -> Option<BTreeMap<String, String>> {
    let mut by_key: BTreeMap<&str, Vec<Constraint<'_>>> = BTreeMap::new();
    for c in cs {
        by_key.entry(c.key()).or_default().push(*c);
    }
    let mut out = BTreeMap::new();
    for (key, group) in by_key {
        let value = candidates(&group)
            .into_iter()
            .find(|v| group.iter().all(|c| c.holds(v.as_deref())))?;
        if let Some(v) = value {
            out.insert(key.to_string(), v);
        }
    }
    Some(out)
}
