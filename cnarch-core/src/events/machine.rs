//! Many patterns compiled into one index, after event-ruler's `Machine`: the work per event
//! follows the event's fields and the values they hit, not the number of rules.
//!
//! The index has two levels. Field paths form a trie of key steps (event-ruler's name
//! states): walking an event descends only into keys some pattern names, so the rest of the
//! event costs nothing. At a path that patterns read, each leaf value is looked up by kind:
//! exact strings, comparable numbers and `equals-ignore-case` in hash maps, prefixes and
//! suffixes (plain and case-folded) in byte tries walked once along the value, and
//! `anything-but` lists as "every such pattern, less those that list this value". Numeric
//! ranges, CIDR blocks, wildcards, `exists` and the wrapped `anything-but` forms are tested
//! one by one, but only those at the path at hand.
//!
//! A hit names a slot (one field of one branch of one pattern). A branch matches when each of
//! its slots has a hit (or is absent and allows it), with hits from different elements of one
//! array never combined.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::flatten;
use super::pattern::{comparable, fold, number_key, EventPattern, Matcher, Range, MAX_DEPTH};

#[derive(Debug, Default, Clone)]
struct Trie {
    /// Node 0 is the root; each node's edges sorted by byte.
    nodes: Vec<TrieNode>,
}

#[derive(Debug, Default, Clone)]
struct TrieNode {
    edges: Vec<(u8, u32)>,
    slots: Vec<u32>,
}

impl Trie {
    fn insert(&mut self, key: impl Iterator<Item = u8>, slot: u32) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut n = 0usize;
        for b in key {
            n = match self.nodes[n].edges.binary_search_by_key(&b, |e| e.0) {
                Ok(i) => self.nodes[n].edges[i].1 as usize,
                Err(i) => {
                    let id = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[n].edges.insert(i, (b, id as u32));
                    id
                }
            };
        }
        self.nodes[n].slots.push(slot);
    }

    /// Every slot whose key is a prefix of `key`.
    fn walk(&self, key: impl Iterator<Item = u8>, out: &mut impl FnMut(u32)) {
        let Some(root) = self.nodes.first() else {
            return;
        };
        root.slots.iter().for_each(|&s| out(s));
        let mut n = 0usize;
        for b in key {
            match self.nodes[n].edges.binary_search_by_key(&b, |e| e.0) {
                Ok(i) => {
                    n = self.nodes[n].edges[i].1 as usize;
                    self.nodes[n].slots.iter().for_each(|&s| out(s));
                }
                Err(_) => return,
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// The values patterns accept at one path.
#[derive(Debug, Default, Clone)]
struct ValueIndex {
    strs: HashMap<Box<str>, Vec<u32>>,
    nums: HashMap<u64, Vec<u32>>,
    folds: HashMap<Box<str>, Vec<u32>>,
    prefix: Trie,
    suffix: Trie,
    prefix_fold: Trie,
    suffix_fold: Trie,
    /// `anything-but` string and number lists: the slot of each (one entry per matcher, as
    /// two in one field's list exclude separately), and which entries exclude each value.
    not_all: Vec<u32>,
    not_strs: HashMap<Box<str>, Vec<u32>>,
    not_nums: HashMap<u64, Vec<u32>>,
    /// `numeric` ranges.
    ranges: Ranges,
    /// Tested one by one.
    scan: Vec<(Matcher, u32)>,
}

/// The `numeric` ranges at one path, with a stabbing index (a segment tree over the ranges'
/// endpoints) built on the first match after a change, so a match costs O(log n + hits)
/// rather than one comparison per range.
#[derive(Debug, Default, Clone)]
struct Ranges {
    list: Vec<(Range, u32)>,
    tree: OnceLock<RangeTree>,
}

#[derive(Debug, Clone)]
struct RangeTree {
    /// The ranges' distinct endpoints, ascending. Cell `2i + 1` is the point `points[i]`,
    /// cell `2i` the open gap below it (cell `2m` the gap above the last).
    points: Vec<f64>,
    /// Leaves (a power of two, at least the cell count).
    size: usize,
    /// Node `n`'s slots: the ranges whose canonical cover holds `n` (root 1, leaves from `size`).
    nodes: Vec<Vec<u32>>,
}

impl Ranges {
    fn add(&mut self, r: Range, slot: u32) {
        self.list.push((r, slot));
        self.tree = OnceLock::new();
    }

    fn hits(&self, x: f64, out: &mut impl FnMut(u32)) {
        if self.list.is_empty() {
            return;
        }
        let t = self.tree.get_or_init(|| RangeTree::build(&self.list));
        let mut n = t.size + t.cell(x);
        while n >= 1 {
            t.nodes[n].iter().for_each(|&s| out(s));
            n >>= 1;
        }
    }
}

impl RangeTree {
    fn build(list: &[(Range, u32)]) -> RangeTree {
        let mut points: Vec<f64> = list
            .iter()
            .flat_map(|(r, _)| [r.lo + 0.0, r.hi + 0.0])
            .collect();
        points.sort_by(f64::total_cmp);
        points.dedup();
        let size = (2 * points.len() + 1).next_power_of_two();
        let mut t = RangeTree {
            points,
            size,
            nodes: vec![Vec::new(); 2 * size],
        };
        for (r, slot) in list {
            let lo = 2 * t.point(r.lo) + 1 + usize::from(r.lo_open);
            let hi = 2 * t.point(r.hi) + 1 - usize::from(r.hi_open);
            // the cells lo..=hi, as the fewest nodes that cover them exactly
            let (mut l, mut h) = (lo + size, hi + size + 1);
            while l < h {
                if l & 1 == 1 {
                    t.nodes[l].push(*slot);
                    l += 1;
                }
                if h & 1 == 1 {
                    h -= 1;
                    t.nodes[h].push(*slot);
                }
                l >>= 1;
                h >>= 1;
            }
        }
        t
    }

    /// The index of an endpoint (every range's endpoints are among the points).
    fn point(&self, x: f64) -> usize {
        self.points
            .binary_search_by(|p| p.total_cmp(&(x + 0.0)))
            .unwrap_or_else(|i| i)
    }

    /// The cell holding `x`.
    fn cell(&self, x: f64) -> usize {
        match self.points.binary_search_by(|p| p.total_cmp(&(x + 0.0))) {
            Ok(i) => 2 * i + 1,
            Err(i) => 2 * i,
        }
    }
}

impl ValueIndex {
    fn add(&mut self, m: &Matcher, slot: u32) {
        match m {
            Matcher::Str(s) => self.strs.entry(s.as_str().into()).or_default().push(slot),
            Matcher::Num(x) => self.nums.entry(number_key(*x)).or_default().push(slot),
            Matcher::Fold(s) => self.folds.entry(s.as_str().into()).or_default().push(slot),
            Matcher::Prefix(p) => self.prefix.insert(p.bytes(), slot),
            Matcher::Suffix(p) => self.suffix.insert(p.bytes().rev(), slot),
            Matcher::PrefixFold(p) => self.prefix_fold.insert(p.bytes(), slot),
            Matcher::SuffixFold(p) => self.suffix_fold.insert(p.bytes().rev(), slot),
            Matcher::NotStrs(set) => {
                let entry = self.not_all.len() as u32;
                self.not_all.push(slot);
                for s in set {
                    self.not_strs
                        .entry(s.as_str().into())
                        .or_default()
                        .push(entry);
                }
            }
            Matcher::NotNums(set) => {
                let entry = self.not_all.len() as u32;
                self.not_all.push(slot);
                for x in set {
                    self.not_nums.entry(number_key(*x)).or_default().push(entry);
                }
            }
            Matcher::Numeric(r) => self.ranges.add(*r, slot),
            other => self.scan.push((other.clone(), slot)),
        }
    }

    /// Every slot that accepts `leaf` (a slot may come more than once).
    fn hits(&self, leaf: &Value, out: &mut impl FnMut(u32)) {
        let mut excluded: &[u32] = &[];
        match leaf {
            Value::String(s) => {
                if let Some(v) = self.strs.get(s.as_str()) {
                    v.iter().for_each(|&x| out(x));
                }
                self.prefix.walk(s.bytes(), out);
                self.suffix.walk(s.bytes().rev(), out);
                if !self.folds.is_empty()
                    || !self.prefix_fold.is_empty()
                    || !self.suffix_fold.is_empty()
                {
                    let f = fold(s);
                    if let Some(v) = self.folds.get(f.as_str()) {
                        v.iter().for_each(|&x| out(x));
                    }
                    self.prefix_fold.walk(f.bytes(), out);
                    self.suffix_fold.walk(f.bytes().rev(), out);
                }
                if let Some(v) = self.not_strs.get(s.as_str()) {
                    excluded = v;
                }
            }
            Value::Number(n) => {
                if let Some(x) = comparable(n) {
                    if let Some(v) = self.nums.get(&number_key(x)) {
                        v.iter().for_each(|&s| out(s));
                    }
                    if let Some(v) = self.not_nums.get(&number_key(x)) {
                        excluded = v;
                    }
                    self.ranges.hits(x, out);
                }
            }
            _ => {}
        }
        // Entries are numbered in insertion order, so `excluded` is sorted (a value listed twice
        // in one matcher comes twice): walk both at once.
        let mut skip = excluded.iter().peekable();
        for (entry, &s) in self.not_all.iter().enumerate() {
            let mut hit = false;
            while skip.peek().is_some_and(|&&e| e as usize <= entry) {
                hit |= skip.next().is_some_and(|&e| e as usize == entry);
            }
            if !hit {
                out(s);
            }
        }
        for (m, s) in &self.scan {
            if m.test(leaf) {
                out(*s);
            }
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Node {
    children: HashMap<Box<str>, u32>,
    values: Option<Box<ValueIndex>>,
    /// Some slot here allows the field to be absent.
    absent: bool,
}

#[derive(Debug, Clone)]
struct Slot {
    node: u32,
    absent_ok: bool,
}

#[derive(Debug, Clone)]
struct BranchInfo {
    rule: u32,
    /// Its slots: `first..first + count`.
    first: u32,
    count: u32,
    alive: bool,
}

/// Many named event patterns compiled into one index (event-ruler's `Machine`): `add` a
/// pattern under a name (the same name again adds an alternative, as `addRule` does),
/// `remove` a name, and `matches` returns the names whose patterns match an event, sorted.
///
/// It agrees with [`EventPattern::matches`] on every pattern (a property test holds it to
/// that), and its cost per event follows the event, not the rule count (`benches/events.rs`).
#[derive(Debug, Clone, Default)]
pub struct PatternMatcher {
    rules: BTreeMap<String, (u32, Vec<EventPattern>)>,
    names: Vec<String>,
    nodes: Vec<Node>,
    slots: Vec<Slot>,
    branches: Vec<BranchInfo>,
    slot_branch: Vec<u32>,
    /// Branches whose every slot allows absence: checked on every event.
    absent_only: Vec<u32>,
    dead: usize,
}

/// A value accepted by a slot: the slot, the leaf it came from, and its array memberships.
#[derive(Debug, Clone, Copy)]
struct Hit {
    slot: u32,
    leaf: u32,
    start: u32,
    len: u32,
}

#[derive(Debug, Default)]
struct Scratch {
    hits: Vec<Hit>,
    members: Vec<(u32, u32)>,
    stack: Vec<(u32, u32)>,
    present: Vec<u32>,
    next_array: u32,
    leaves: u32,
}

impl PatternMatcher {
    /// An empty matcher.
    pub fn new() -> PatternMatcher {
        PatternMatcher::default()
    }

    /// Adds `pattern` under `name`; a name added before gains another alternative.
    pub fn add(&mut self, name: &str, pattern: &EventPattern) {
        let next_id = self.names.len() as u32;
        let id = match self.rules.get_mut(name) {
            Some((id, list)) => {
                list.push(pattern.clone());
                *id
            }
            None => {
                self.rules
                    .insert(name.to_string(), (next_id, vec![pattern.clone()]));
                self.names.push(name.to_string());
                next_id
            }
        };
        self.index(id, pattern);
    }

    /// Removes every pattern added under `name`; whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some((id, _)) = self.rules.remove(name) else {
            return false;
        };
        for b in &mut self.branches {
            if b.rule == id && b.alive {
                b.alive = false;
                self.dead += 1;
            }
        }
        if self.dead > 64 && self.dead * 2 > self.branches.len() {
            self.rebuild();
        }
        true
    }

    /// The rule names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.rules.keys().cloned().collect()
    }

    /// Whether a rule is held under `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.rules.contains_key(name)
    }

    /// How many names it holds.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    fn rebuild(&mut self) {
        let rules = std::mem::take(&mut self.rules);
        *self = PatternMatcher::default();
        for (name, (_, patterns)) in rules {
            for p in &patterns {
                self.add(&name, p);
            }
        }
    }

    fn node_for(&mut self, segments: &[String]) -> u32 {
        if self.nodes.is_empty() {
            self.nodes.push(Node::default());
        }
        let mut n = 0u32;
        for s in segments {
            n = match self.nodes[n as usize].children.get(s.as_str()) {
                Some(&c) => c,
                None => {
                    let c = self.nodes.len() as u32;
                    self.nodes.push(Node::default());
                    self.nodes[n as usize].children.insert(s.as_str().into(), c);
                    c
                }
            };
        }
        n
    }

    fn index(&mut self, rule: u32, pattern: &EventPattern) {
        for b in &pattern.branches {
            let branch = self.branches.len() as u32;
            let first = self.slots.len() as u32;
            for f in &b.fields {
                let node = self.node_for(&f.segments);
                let slot = self.slots.len() as u32;
                self.slots.push(Slot {
                    node,
                    absent_ok: f.absent_ok,
                });
                self.slot_branch.push(branch);
                let n = &mut self.nodes[node as usize];
                n.absent |= f.absent_ok;
                if !f.matchers.is_empty() {
                    let vi = n.values.get_or_insert_with(Default::default);
                    for m in &f.matchers {
                        vi.add(m, slot);
                    }
                }
            }
            let count = b.fields.len() as u32;
            if b.fields.iter().all(|f| f.absent_ok) {
                self.absent_only.push(branch);
            }
            self.branches.push(BranchInfo {
                rule,
                first,
                count,
                alive: true,
            });
        }
    }

    /// The names whose patterns match `event` (a JSON object), sorted.
    pub fn matches(&self, event: &Value) -> Vec<String> {
        let Value::Object(map) = event else {
            return Vec::new();
        };
        if self.nodes.is_empty() {
            return Vec::new();
        }
        let mut st = Scratch::default();
        self.walk_object(0, map, &mut st, 0);
        st.hits.sort_unstable_by_key(|h| (h.slot, h.leaf));
        st.hits.dedup_by_key(|h| (h.slot, h.leaf));
        let mut matched: BTreeSet<u32> = BTreeSet::new();
        let mut i = 0;
        while i < st.hits.len() {
            let b = self.slot_branch[st.hits[i].slot as usize];
            let info = &self.branches[b as usize];
            let end = info.first + info.count;
            let mut j = i;
            while j < st.hits.len() && st.hits[j].slot < end {
                j += 1;
            }
            if info.alive
                && !matched.contains(&info.rule)
                && self.branch_ok(info, &st.hits[i..j], &st)
            {
                matched.insert(info.rule);
            }
            i = j;
        }
        for &b in &self.absent_only {
            let info = &self.branches[b as usize];
            if !info.alive || matched.contains(&info.rule) {
                continue;
            }
            let lo = st.hits.partition_point(|h| h.slot < info.first);
            let hi = st
                .hits
                .partition_point(|h| h.slot < info.first + info.count);
            if self.branch_ok(info, &st.hits[lo..hi], &st) {
                matched.insert(info.rule);
            }
        }
        let mut out: Vec<String> = matched
            .into_iter()
            .map(|r| self.names[r as usize].clone())
            .collect();
        out.sort();
        out
    }

    /// Whether a branch matches given its hits (sorted by slot).
    fn branch_ok(&self, info: &BranchInfo, hits: &[Hit], st: &Scratch) -> bool {
        let mut lists: Vec<Vec<&[(u32, u32)]>> = Vec::with_capacity(info.count as usize);
        let mut k = 0;
        for slot in info.first..info.first + info.count {
            let start = k;
            while k < hits.len() && hits[k].slot == slot {
                k += 1;
            }
            if start == k {
                let s = &self.slots[slot as usize];
                if s.absent_ok && !st.present.contains(&s.node) {
                    continue;
                }
                return false;
            }
            lists.push(
                hits[start..k]
                    .iter()
                    .map(|h| &st.members[h.start as usize..(h.start + h.len) as usize])
                    .collect(),
            );
        }
        flatten::consistent(&lists)
    }

    fn walk_object(&self, node: u32, map: &Map<String, Value>, st: &mut Scratch, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for (k, v) in map {
            let mut n = Some(node);
            for seg in k.split('.') {
                n = n.and_then(|n| self.nodes[n as usize].children.get(seg).copied());
            }
            if let Some(n) = n {
                self.walk_value(n, v, st, depth + 1);
            }
        }
    }

    fn walk_value(&self, node: u32, v: &Value, st: &mut Scratch, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(map) => self.walk_object(node, map, st, depth),
            Value::Array(items) => {
                let id = st.next_array;
                st.next_array += 1;
                for (i, x) in items.iter().enumerate() {
                    st.stack.push((id, i as u32));
                    self.walk_value(node, x, st, depth + 1);
                    st.stack.pop();
                }
            }
            leaf => {
                let n = &self.nodes[node as usize];
                if n.absent && !st.present.contains(&node) {
                    st.present.push(node);
                }
                let Some(vi) = &n.values else {
                    return;
                };
                let leaf_id = st.leaves;
                st.leaves += 1;
                let start = st.members.len() as u32;
                let len = st.stack.len() as u32;
                let mut any = false;
                let hits = &mut st.hits;
                vi.hits(leaf, &mut |slot| {
                    any = true;
                    hits.push(Hit {
                        slot,
                        leaf: leaf_id,
                        start,
                        len,
                    });
                });
                if any {
                    let stack = std::mem::take(&mut st.stack);
                    st.members.extend_from_slice(&stack);
                    st.stack = stack;
                }
            }
        }
    }
}
