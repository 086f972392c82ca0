//! An event as event-ruler sees it: leaf values under their dotted paths, arrays crushed out,
//! each value remembering the array elements it sits in (so two values from different
//! elements of one array are never combined, as `rulesForJSONEvent` guarantees).

use serde_json::Value;

use super::pattern::MAX_DEPTH;

/// One leaf: its path (keys joined with `.`), the value, and its array memberships as a range
/// of [`FlatEvent::membership`].
#[derive(Debug)]
pub(crate) struct FlatField<'a> {
    pub(crate) path: String,
    pub(crate) leaf: &'a Value,
    start: usize,
    len: usize,
}

/// The flattened event.
#[derive(Debug, Default)]
pub(crate) struct FlatEvent<'a> {
    pub(crate) fields: Vec<FlatField<'a>>,
    /// `(array id, element index)` pairs, sliced by each field.
    membership: Vec<(u32, u32)>,
}

impl FlatEvent<'_> {
    /// The array elements a field sits in.
    pub(crate) fn members(&self, f: &FlatField<'_>) -> &[(u32, u32)] {
        &self.membership[f.start..f.start + f.len]
    }
}

/// Flattens an event; a value that is not an object has no fields. Nesting past
/// [`MAX_DEPTH`] is not followed (the bindings refuse such events first).
pub(crate) fn flatten(event: &Value) -> FlatEvent<'_> {
    let mut out = FlatEvent::default();
    let mut stack = Vec::new();
    let mut next = 0u32;
    if let Value::Object(_) = event {
        walk(event, String::new(), &mut stack, &mut next, &mut out, 0);
    }
    out
}

fn walk<'a>(
    v: &'a Value,
    path: String,
    stack: &mut Vec<(u32, u32)>,
    next: &mut u32,
    out: &mut FlatEvent<'a>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(x, p, stack, next, out, depth + 1);
            }
        }
        Value::Array(items) => {
            let id = *next;
            *next += 1;
            for (i, x) in items.iter().enumerate() {
                stack.push((id, i as u32));
                walk(x, path.clone(), stack, next, out, depth + 1);
                stack.pop();
            }
        }
        leaf => {
            let start = out.membership.len();
            out.membership.extend_from_slice(stack);
            out.fields.push(FlatField {
                path,
                leaf,
                start,
                len: stack.len(),
            });
        }
    }
}

/// Whether two values' memberships agree: every array both sit in, at the same element.
pub(crate) fn compatible(a: &[(u32, u32)], b: &[(u32, u32)]) -> bool {
    a.iter()
        .all(|(id, i)| b.iter().all(|(id2, j)| id != id2 || i == j))
}

/// Whether one candidate can be picked from each list so that every two picked agree.
pub(crate) fn consistent(lists: &[Vec<&[(u32, u32)]>]) -> bool {
    if lists.iter().all(|l| l.iter().any(|m| m.is_empty())) {
        return true;
    }
    let mut chosen: Vec<&[(u32, u32)]> = Vec::with_capacity(lists.len());
    pick(lists, &mut chosen)
}

fn pick<'a>(lists: &[Vec<&'a [(u32, u32)]>], chosen: &mut Vec<&'a [(u32, u32)]>) -> bool {
    let Some((first, rest)) = lists.split_first() else {
        return true;
    };
    for &m in first {
        if chosen.iter().all(|c| compatible(c, m)) {
            chosen.push(m);
            if pick(rest, chosen) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}
