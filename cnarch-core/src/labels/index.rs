//! Indexes for many selectors and many label sets.

use std::collections::{BTreeMap, HashMap};

use super::{Operator, Selector};

type Postings = HashMap<String, HashMap<String, Vec<u32>>>;

fn push(p: &mut Postings, k: &str, v: &str, id: u32) {
    p.entry(k.to_string())
        .or_default()
        .entry(v.to_string())
        .or_default()
        .push(id);
}

/// Many selectors, indexed so that "which selectors match this label set" looks only at
/// selectors that can match it.
///
/// Each selector is filed under one requirement that a matching label set must satisfy
/// positively: an equality or `in` (filed under each `key=value` pair), else an exists, `>` or
/// `<` (filed under the key). A query verifies only the selectors filed under the label set's
/// own pairs and keys. Selectors with only negative requirements (or none) match unless one of
/// the label set's pairs or keys rules them out, so they are answered from a second index of
/// what rules each out, without evaluating them.
///
/// ```
/// use cnarch_core::labels::{Selector, SelectorIndex};
/// let mut index = SelectorIndex::new();
/// let web = index.insert(Selector::parse("app=web").unwrap());
/// let _db = index.insert(Selector::parse("app=db").unwrap());
/// let all_but_legacy = index.insert(Selector::parse("!legacy").unwrap());
/// let pod = [("app".to_string(), "web".to_string())].into();
/// assert_eq!(index.matching(&pod), vec![web, all_but_legacy]);
/// ```
#[derive(Debug, Default, Clone)]
pub struct SelectorIndex {
    selectors: Vec<Selector>,
    by_pair: Postings,
    by_key: HashMap<String, Vec<u32>>,
    /// Selectors with only negative requirements (`!=`, `notin`, `!key`) or none, ascending:
    /// they match unless a label the query has rules them out.
    negative: Vec<u32>,
    /// For those: the `key=value` pairs and keys that rule each one out.
    ruled_out_by_pair: Postings,
    ruled_out_by_key: HashMap<String, Vec<u32>>,
}

impl SelectorIndex {
    /// An empty index.
    pub fn new() -> SelectorIndex {
        SelectorIndex::default()
    }

    /// Adds a selector; returns its id (ids count up from 0 in insertion order).
    pub fn insert(&mut self, selector: Selector) -> usize {
        let id = self.selectors.len() as u32;
        if !selector.is_nothing() {
            let rs = selector.requirements();
            let by_value = rs
                .iter()
                .filter(|r| {
                    matches!(
                        r.op,
                        Operator::Equals | Operator::DoubleEquals | Operator::In
                    )
                })
                .min_by_key(|r| r.values.len());
            let by_presence = rs.iter().find(|r| {
                matches!(
                    r.op,
                    Operator::Exists | Operator::GreaterThan | Operator::LessThan
                )
            });
            match (by_value, by_presence) {
                (Some(r), _) => {
                    for v in &r.values {
                        push(&mut self.by_pair, &r.key, v, id);
                    }
                }
                (None, Some(r)) => self.by_key.entry(r.key.clone()).or_default().push(id),
                (None, None) => {
                    self.negative.push(id);
                    for r in rs {
                        match r.op {
                            Operator::DoesNotExist => self
                                .ruled_out_by_key
                                .entry(r.key.clone())
                                .or_default()
                                .push(id),
                            _ => {
                                for v in &r.values {
                                    push(&mut self.ruled_out_by_pair, &r.key, v, id);
                                }
                            }
                        }
                    }
                }
            }
        }
        self.selectors.push(selector);
        id as usize
    }

    /// The number of selectors.
    pub fn len(&self) -> usize {
        self.selectors.len()
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.selectors.is_empty()
    }

    /// The selector with this id.
    pub fn get(&self, id: usize) -> Option<&Selector> {
        self.selectors.get(id)
    }

    /// The ids of every selector that matches the label set, ascending.
    pub fn matching(&self, labels: &BTreeMap<String, String>) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let check = |out: &mut Vec<usize>, ids: &[u32]| {
            for &id in ids {
                if self.selectors[id as usize].matches(labels) {
                    out.push(id as usize);
                }
            }
        };
        // Negative-only selectors: all of them, less those a label rules out.
        let mut ruled_out: Vec<u32> = Vec::new();
        for (k, v) in labels {
            if let Some(ids) = self.ruled_out_by_key.get(k.as_str()) {
                ruled_out.extend_from_slice(ids);
            }
            if let Some(ids) = self
                .ruled_out_by_pair
                .get(k.as_str())
                .and_then(|m| m.get(v.as_str()))
            {
                ruled_out.extend_from_slice(ids);
            }
        }
        ruled_out.sort_unstable();
        let mut skip = ruled_out.iter().peekable();
        for &id in &self.negative {
            while skip.next_if(|&&r| r < id).is_some() {}
            if skip.peek() != Some(&&id) {
                out.push(id as usize);
            }
        }
        for (k, v) in labels {
            if let Some(ids) = self.by_key.get(k.as_str()) {
                check(&mut out, ids);
            }
            if let Some(ids) = self.by_pair.get(k.as_str()).and_then(|m| m.get(v.as_str())) {
                check(&mut out, ids);
            }
        }
        // Each selector is filed once, under a key the label set has at most one value for,
        // so nothing is visited twice.
        out.sort_unstable();
        out
    }

    /// The same answer by checking every selector (the reference the index must agree with).
    pub fn matching_by_scan(&self, labels: &BTreeMap<String, String>) -> Vec<usize> {
        (0..self.selectors.len())
            .filter(|&i| self.selectors[i].matches(labels))
            .collect()
    }
}

/// Many label sets (pods, namespaces), indexed so that "which of them does this selector
/// match" starts from the smallest posting list of the selector's positive requirements.
#[derive(Debug, Default, Clone)]
pub struct LabelSetIndex {
    sets: Vec<BTreeMap<String, String>>,
    by_pair: Postings,
    by_key: HashMap<String, Vec<u32>>,
}

impl LabelSetIndex {
    /// An empty index.
    pub fn new() -> LabelSetIndex {
        LabelSetIndex::default()
    }

    /// Adds a label set; returns its id (counting up from 0).
    pub fn insert(&mut self, labels: BTreeMap<String, String>) -> usize {
        let id = self.sets.len() as u32;
        for (k, v) in &labels {
            push(&mut self.by_pair, k, v, id);
            self.by_key.entry(k.clone()).or_default().push(id);
        }
        self.sets.push(labels);
        id as usize
    }

    /// The number of label sets.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The label set with this id.
    pub fn get(&self, id: usize) -> Option<&BTreeMap<String, String>> {
        self.sets.get(id)
    }

    /// The ids of every label set the selector matches, ascending.
    pub fn matched_by(&self, selector: &Selector) -> Vec<usize> {
        if selector.is_nothing() {
            return Vec::new();
        }
        let empty: &[u32] = &[];
        // Candidate lists, one per positive requirement; the shortest wins.
        let mut best: Option<Vec<&[u32]>> = None;
        let size = |lists: &Vec<&[u32]>| lists.iter().map(|l| l.len()).sum::<usize>();
        for r in selector.requirements() {
            let lists: Vec<&[u32]> = match r.op {
                Operator::Equals | Operator::DoubleEquals | Operator::In => {
                    let m = self.by_pair.get(r.key.as_str());
                    r.values
                        .iter()
                        .map(|v| {
                            m.and_then(|m| m.get(v.as_str()))
                                .map_or(empty, Vec::as_slice)
                        })
                        .collect()
                }
                Operator::Exists | Operator::GreaterThan | Operator::LessThan => {
                    vec![self.by_key.get(r.key.as_str()).map_or(empty, Vec::as_slice)]
                }
                _ => continue,
            };
            if best.as_ref().is_none_or(|b| size(&lists) < size(b)) {
                best = Some(lists);
            }
        }
        let mut out: Vec<usize> = match best {
            Some(lists) => lists
                .into_iter()
                .flatten()
                .map(|&id| id as usize)
                .filter(|&id| selector.matches(&self.sets[id]))
                .collect(),
            None => (0..self.sets.len())
                .filter(|&id| selector.matches(&self.sets[id]))
                .collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}
