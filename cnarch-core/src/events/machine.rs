//! Many patterns compiled into one automaton, after event-ruler's `Machine`: the work per
//! event follows the event's fields and the tests its values pass, not the number of rules.
//!
//! Two structures. Field paths form a trie of key steps (event-ruler's name states): walking
//! an event descends only into keys some pattern names, so the rest of the event costs
//! nothing, and collects the leaf values at the paths patterns read. Each `$or` branch is a
//! chain of field tests from the start state (event-ruler's byte and name machines in one),
//! narrow tests first; branches with the same first tests share their states. A state's test
//! on one path looks each of the path's leaf values up by kind: exact strings, comparable
//! numbers and `equals-ignore-case` in hash maps, prefixes and suffixes (plain and
//! case-folded) in byte tries walked once along the value, numeric ranges in a segment tree,
//! and `anything-but` lists as "every such test, less those that list this value"; CIDR
//! blocks, wildcards, `exists` and the wrapped `anything-but` forms are tried one by one, but
//! only those of the state at hand. A hit names the next state; a state where branches end
//! names their rules.
//!
//! A walk carries the array elements its values came from, so values from different elements
//! of one array are never combined.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::flatten;
use super::pattern::{
    comparable, fold, number_key, EventPattern, Field, Matcher, Range, MAX_DEPTH,
};

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

/// A node of the field-path trie (event-ruler's name states): the key steps patterns read.
#[derive(Debug, Default, Clone)]
struct PathNode {
    /// Sorted by key length, then bytes: most nodes have a few children, where a binary
    /// search that compares lengths first beats hashing.
    children: Vec<(Box<str>, u32)>,
    /// Some pattern reads a field at exactly this path.
    read: bool,
}

/// One field test out of an automaton state: the field's path, its values (each hit names
/// the next state) and the next state when the path has no value at all (`exists: false`).
#[derive(Debug, Default, Clone)]
struct Step {
    path: u32,
    values: ValueIndex,
    absent: Vec<u32>,
}

/// An automaton state: the field tests that continue from it, and the rules whose branches
/// end here.
#[derive(Debug, Default, Clone)]
struct State {
    steps: Vec<Step>,
    rules: Vec<u32>,
}

/// Many named event patterns compiled into one automaton (event-ruler's `Machine`): `add` a
/// pattern under a name (the same name again adds an alternative, as `addRule` does),
/// `remove` a name, and `matches` returns the names whose patterns match an event, sorted.
///
/// Each `$or` branch is a chain of field tests in one fixed order (exact values first, the
/// broad operators last; then shallow paths before nested ones, as the envelope's `source`
/// and `detail-type` are what most rules on a bus tell apart; then by path), and branches
/// that begin with the same tests share their states, so an event only follows the tests its
/// values pass: with many rules on one bus, the envelope's exact fields already leave only
/// that source's rules.
///
/// It agrees with [`EventPattern::matches`] on every pattern (a property test holds it to
/// that); `benches/events.rs` measures it against the patterns tested one by one.
#[derive(Debug, Clone, Default)]
pub struct PatternMatcher {
    rules: BTreeMap<String, (u32, Vec<EventPattern>)>,
    names: Vec<String>,
    alive: Vec<bool>,
    dead: usize,
    paths: Vec<PathNode>,
    states: Vec<State>,
    /// (state, path, field as written) → the state its test leads to.
    edges: HashMap<(u32, u32, String), u32>,
}

/// A leaf value of the event at a path patterns read, with its array memberships.
#[derive(Debug, Clone)]
struct Leaf<'a> {
    path: u32,
    value: Cow<'a, Value>,
    start: u32,
    len: u32,
}

/// The callback [`EventTree::fields`] calls with each field.
pub type FieldVisitor<'a, T> = dyn FnMut(&str, &T) -> Result<(), <T as EventTree>::Error> + 'a;

/// An event read in place, for a binding whose events are its own objects (Python dicts):
/// the matcher asks for the fields and items on the paths its patterns read, and for the
/// scalars found there, and has every other value checked by [`EventTree::skip`], so the
/// event is read and checked in one pass and nothing of it is converted. A refusal (an
/// [`EventTree::Error`]) stops the walk and is returned as it is.
pub trait EventTree {
    /// Why the binding refuses (part of) an event.
    type Error;
    /// Calls `f` with each field, and is `Ok(true)`, when this is an object (keys as written).
    fn fields(&self, f: &mut FieldVisitor<'_, Self>) -> Result<bool, Self::Error>;
    /// Calls `f` with each item, and is `Ok(true)`, when this is an array.
    fn items(
        &self,
        f: &mut dyn FnMut(&Self) -> Result<(), Self::Error>,
    ) -> Result<bool, Self::Error>;
    /// This value as a JSON scalar (it is neither an object nor an array).
    fn scalar(&self) -> Result<Value, Self::Error>;
    /// Checks a value (and everything in it) that no pattern reads.
    fn skip(&self) -> Result<(), Self::Error>;
}

#[derive(Debug, Default)]
struct Walk<'a> {
    leaves: Vec<Leaf<'a>>,
    members: Vec<(u32, u32)>,
    stack: Vec<(u32, u32)>,
    next_array: u32,
}

impl Walk<'_> {
    fn new() -> Self {
        Walk {
            leaves: Vec::with_capacity(32),
            members: Vec::with_capacity(16),
            stack: Vec::with_capacity(8),
            next_array: 0,
        }
    }
}

/// Keys ordered by length, then bytes.
fn by_length(k: &str, key: &str) -> std::cmp::Ordering {
    k.len().cmp(&key.len()).then_with(|| k.cmp(key))
}

/// How broad a field's test is: narrow tests go first in a branch's chain.
fn breadth(f: &Field) -> u8 {
    let class = |m: &Matcher| match m {
        Matcher::Str(_) | Matcher::Num(_) | Matcher::Lit(_) | Matcher::Fold(_) => 0,
        Matcher::Prefix(_)
        | Matcher::Suffix(_)
        | Matcher::PrefixFold(_)
        | Matcher::SuffixFold(_) => 1,
        Matcher::Numeric(_) | Matcher::Ip(_) | Matcher::Wildcard(_) => 2,
        _ => 3,
    };
    if f.absent_ok {
        return 3;
    }
    f.matchers.iter().map(class).max().unwrap_or(3)
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
                self.alive.push(true);
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
        self.alive[id as usize] = false;
        self.dead += 1;
        if self.dead > 64 && self.dead * 2 > self.names.len() {
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

    fn path_for(&mut self, segments: &[String]) -> u32 {
        if self.paths.is_empty() {
            self.paths.push(PathNode::default());
        }
        let mut n = 0u32;
        for s in segments {
            let at = self.paths[n as usize]
                .children
                .binary_search_by(|(k, _)| by_length(k, s));
            n = match at {
                Ok(i) => self.paths[n as usize].children[i].1,
                Err(i) => {
                    let c = self.paths.len() as u32;
                    self.paths.push(PathNode::default());
                    self.paths[n as usize]
                        .children
                        .insert(i, (s.as_str().into(), c));
                    c
                }
            };
        }
        self.paths[n as usize].read = true;
        n
    }

    fn index(&mut self, rule: u32, pattern: &EventPattern) {
        if self.states.is_empty() {
            self.states.push(State::default());
        }
        for b in &pattern.branches {
            let mut fields: Vec<&Field> = b.fields.iter().collect();
            fields.sort_by(|x, y| {
                let key = |f: &'_ Field| (breadth(f), f.segments.len(), f.path.clone());
                key(x).cmp(&key(y))
            });
            let mut state = 0u32;
            for f in fields {
                let path = self.path_for(&f.segments);
                let key = (state, path, format!("{:?}|{}", f.matchers, f.absent_ok));
                state = match self.edges.get(&key) {
                    Some(&next) => next,
                    None => {
                        let next = self.states.len() as u32;
                        self.states.push(State::default());
                        self.link(key.0, path, f, next);
                        self.edges.insert(key, next);
                        next
                    }
                };
            }
            self.states[state as usize].rules.push(rule);
        }
    }

    /// The test of field `f` from state `from` to state `to`.
    fn link(&mut self, from: u32, path: u32, f: &Field, to: u32) {
        let steps = &mut self.states[from as usize].steps;
        let i = match steps.iter().position(|s| s.path == path) {
            Some(i) => i,
            None => {
                steps.push(Step {
                    path,
                    ..Step::default()
                });
                steps.len() - 1
            }
        };
        let step = &mut steps[i];
        for m in &f.matchers {
            step.values.add(m, to);
        }
        if f.absent_ok {
            step.absent.push(to);
        }
    }

    /// The names whose patterns match `event` (a JSON object), sorted.
    pub fn matches(&self, event: &Value) -> Vec<String> {
        let Value::Object(map) = event else {
            return Vec::new();
        };
        if self.states.is_empty() {
            return Vec::new();
        }
        let mut w = Walk::new();
        self.walk_object(0, map, &mut w, 0);
        self.run(w)
    }

    /// [`PatternMatcher::matches`] for an event read in place: every value is visited once,
    /// read where a pattern reads it and [`EventTree::skip`]ped elsewhere. An event that is
    /// not an object matches nothing.
    pub fn matches_tree<T: EventTree>(&self, event: &T) -> Result<Vec<String>, T::Error> {
        let mut w = Walk::new();
        let is_object = event.fields(&mut |k, v| self.tree_field(Some(0), k, v, &mut w, 1))?;
        if !is_object || self.states.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.run(w))
    }

    fn tree_field<T: EventTree>(
        &self,
        node: Option<u32>,
        key: &str,
        v: &T,
        w: &mut Walk<'_>,
        depth: usize,
    ) -> Result<(), T::Error> {
        let mut n = node;
        for seg in key.split('.') {
            n = n.and_then(|n| self.child(n, seg));
        }
        match n {
            Some(n) => self.tree_value(n, v, w, depth),
            None => v.skip(),
        }
    }

    fn tree_value<T: EventTree>(
        &self,
        node: u32,
        v: &T,
        w: &mut Walk<'_>,
        depth: usize,
    ) -> Result<(), T::Error> {
        if depth > MAX_DEPTH {
            return v.skip();
        }
        if v.fields(&mut |k, x| self.tree_field(Some(node), k, x, w, depth + 1))? {
            return Ok(());
        }
        let id = w.next_array;
        let mut i = 0u32;
        let is_array = v.items(&mut |x| {
            if i == 0 {
                w.next_array += 1;
            }
            w.stack.push((id, i));
            let r = self.tree_value(node, x, w, depth + 1);
            w.stack.pop();
            i += 1;
            r
        })?;
        let read = self.paths.get(node as usize).is_some_and(|p| p.read);
        if is_array {
            return Ok(());
        }
        if !read {
            return v.skip();
        }
        let start = w.members.len() as u32;
        w.members.extend_from_slice(&w.stack);
        w.leaves.push(Leaf {
            path: node,
            value: Cow::Owned(v.scalar()?),
            start,
            len: w.stack.len() as u32,
        });
        Ok(())
    }

    /// The automaton over the leaves a walk collected.
    fn run(&self, mut w: Walk<'_>) -> Vec<String> {
        // stable: the leaves of one path keep the event's order
        w.leaves.sort_by_key(|l| l.path);
        let mut matched: Vec<u32> = Vec::with_capacity(16);
        let mut todo: Vec<(u32, Vec<(u32, u32)>)> = Vec::with_capacity(32);
        todo.push((0, Vec::new()));
        let mut next: Vec<u32> = Vec::with_capacity(16);
        while let Some((s, held)) = todo.pop() {
            let state = &self.states[s as usize];
            matched.extend(state.rules.iter().filter(|&&r| self.alive[r as usize]));
            for step in &state.steps {
                let lo = w.leaves.partition_point(|l| l.path < step.path);
                let hi = w.leaves.partition_point(|l| l.path <= step.path);
                if lo == hi {
                    todo.extend(step.absent.iter().map(|&t| (t, held.clone())));
                    continue;
                }
                for leaf in &w.leaves[lo..hi] {
                    next.clear();
                    step.values.hits(&leaf.value, &mut |t| next.push(t));
                    if next.is_empty() {
                        continue;
                    }
                    next.sort_unstable();
                    next.dedup();
                    let mine = &w.members[leaf.start as usize..(leaf.start + leaf.len) as usize];
                    if mine.is_empty() {
                        todo.extend(next.iter().map(|&t| (t, held.clone())));
                    } else if flatten::compatible(&held, mine) {
                        let mut both = held.clone();
                        both.extend(mine.iter().filter(|m| !held.contains(m)));
                        todo.extend(next.iter().map(|&t| (t, both.clone())));
                    }
                }
            }
        }
        matched.sort_unstable();
        matched.dedup();
        let mut out: Vec<String> = matched
            .into_iter()
            .map(|r| self.names[r as usize].clone())
            .collect();
        out.sort();
        out
    }

    fn child(&self, n: u32, key: &str) -> Option<u32> {
        let c = &self.paths.get(n as usize)?.children;
        c.binary_search_by(|(k, _)| by_length(k, key))
            .ok()
            .map(|i| c[i].1)
    }

    fn walk_object<'a>(
        &self,
        node: u32,
        map: &'a Map<String, Value>,
        w: &mut Walk<'a>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for (k, v) in map {
            let mut n = Some(node);
            for seg in k.split('.') {
                n = n.and_then(|n| self.child(n, seg));
            }
            if let Some(n) = n {
                self.walk_value(n, v, w, depth + 1);
            }
        }
    }

    fn walk_value<'a>(&self, node: u32, v: &'a Value, w: &mut Walk<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Object(map) => self.walk_object(node, map, w, depth),
            Value::Array(items) => {
                let id = w.next_array;
                w.next_array += 1;
                for (i, x) in items.iter().enumerate() {
                    w.stack.push((id, i as u32));
                    self.walk_value(node, x, w, depth + 1);
                    w.stack.pop();
                }
            }
            leaf => {
                if !self.paths[node as usize].read {
                    return;
                }
                let start = w.members.len() as u32;
                w.members.extend_from_slice(&w.stack);
                w.leaves.push(Leaf {
                    path: node,
                    value: Cow::Borrowed(leaf),
                    start,
                    len: w.stack.len() as u32,
                });
            }
        }
    }
}
