//! Reading a value as a typed model: serde's errors turned into violations with stable codes,
//! cnarch's wording and the path the user wrote; after each error the value at fault is removed
//! and reading starts again, so that every independent mistake is reported at once.

use serde_norway::{Mapping, Value};

use super::found::Found;
use super::path::{parse, render, Seg};
use crate::error::Violation;
use crate::model::workload;

/// Most schema errors one document may report before the loader stops looking.
const MAX_SCHEMA_ERRORS: usize = 100;

/// What the loader removed from a document to keep looking for mistakes, so that later paths
/// can be reported in the coordinates of the text the user wrote.
#[derive(Debug, Default)]
pub(crate) struct Repairs {
    /// Original paths of removed values.
    removed: Vec<String>,
    /// For each list (by original path), the original indices removed, ascending.
    seq_removed: std::collections::BTreeMap<String, Vec<usize>>,
}

impl Repairs {
    /// Maps a path in the repaired value back to the original text.
    fn to_original(&self, segs: &[Seg]) -> Vec<Seg> {
        let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
        for s in segs {
            match s {
                Seg::Index(c) => {
                    let mut o = *c;
                    if let Some(rm) = self.seq_removed.get(&render(&out)) {
                        for &r in rm {
                            if r <= o {
                                o += 1;
                            }
                        }
                    }
                    out.push(Seg::Index(o));
                }
                other => out.push(other.clone()),
            }
        }
        out
    }

    /// Records that the value at this original path was removed.
    fn note_removal(&mut self, original: &[Seg]) {
        if let Some((Seg::Index(i), parent)) = original.split_last() {
            let list = self.seq_removed.entry(render(parent)).or_default();
            list.push(*i);
            list.sort_unstable();
        }
        self.removed.push(render(original));
    }

    /// Maps a rendered path (from validation of the repaired value) back to the original.
    pub(crate) fn original_path(&self, path: &str) -> String {
        if self.seq_removed.is_empty() {
            return path.to_string();
        }
        render(&self.to_original(&parse(path)))
    }

    /// Was the value at this original path removed (so rules about it are moot)?
    pub(crate) fn was_removed(&self, path: &str) -> bool {
        self.removed.iter().any(|r| r == path)
    }
}

/// Deserializes `body` as `T`. On an error, records it, removes the offending value and tries
/// again, so that every independent mistake is reported at once.
pub(crate) fn typed<T: serde::de::DeserializeOwned, D>(
    body: &mut Value,
    wrap: fn(T) -> D,
) -> (Option<D>, Vec<Found>, Repairs) {
    let mut found = Vec::new();
    let mut repairs = Repairs::default();
    loop {
        match super::de::deserialize::<T, _>(&*body) {
            // Even after removals the rest is returned, so its rules are checked too.
            Ok(v) => return (Some(wrap(v)), found, repairs),
            Err(e) => {
                let segments: Vec<Seg> = e.path;
                let message = humanize(&e.message);
                let (code, current) = classify(&message, segments);
                let original = repairs.to_original(&current);
                let path = render(&original);
                if code == "missing_field" {
                    // Report it unless it is the echo of an invalid value removed before; then,
                    // since a required field cannot be invented, drop the object that lacks it
                    // (silently) and keep looking. At the document root there is nothing to drop.
                    if !repairs.was_removed(&path) {
                        found.push(Found::new(path.clone(), code, message));
                    }
                    let (Some((_, cur_parent)), Some((_, orig_parent))) =
                        (current.split_last(), original.split_last())
                    else {
                        return (None, found, repairs);
                    };
                    if cur_parent.is_empty()
                        || found.len() >= MAX_SCHEMA_ERRORS
                        || !remove(body, cur_parent)
                    {
                        return (None, found, repairs);
                    }
                    repairs.note_removal(orig_parent);
                    continue;
                }
                found.push(Found::new(path.clone(), code, message));
                if found.len() >= MAX_SCHEMA_ERRORS || !remove(body, &current) {
                    return (None, found, repairs);
                }
                repairs.note_removal(&original);
            }
        }
    }
}

/// One value of structured input (options, pods, a trace) read as `T`: a failure is one
/// violation at the path of the value at fault (below `prefix`), with the same codes and
/// messages as documents get (`unknown_field`, `invalid_type`, `missing_field`, ...).
pub(crate) fn read_input<T: serde::de::DeserializeOwned>(
    v: &serde_json::Value,
    prefix: &str,
) -> Result<T, Violation> {
    match super::de::deserialize::<T, _>(v) {
        Ok(t) => Ok(t),
        Err(e) => {
            let mut segs: Vec<Seg> = parse(prefix);
            segs.extend(e.path);
            let message = humanize(&e.message);
            let (code, at) = classify(&message, segs);
            Err(Violation::at(render(&at), code, message))
        }
    }
}

fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Rewrites serde's messages into cnarch's style: "expected X, found Y", no Rust type names,
/// user input in backticks.
fn humanize(message: &str) -> String {
    fn expected(t: &str) -> String {
        match t {
            "i8" | "i16" | "i32" => "a 32-bit integer".to_string(),
            "i64" | "i128" => "an integer".to_string(),
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a non-negative integer".to_string(),
            "f32" | "f64" => "a number".to_string(),
            "a map" => "a mapping".to_string(),
            "a sequence" => "a list".to_string(),
            "a boolean" | "a string" => t.to_string(),
            _ if t.starts_with("struct ") => "a mapping".to_string(),
            _ if t.starts_with("enum ") || t == "variant identifier" => {
                "a name from the allowed list".to_string()
            }
            _ => t.to_string(),
        }
    }
    fn found(t: &str) -> String {
        if let Some(rest) = t
            .strip_prefix("string \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            return format!("the string `{rest}`");
        }
        match t {
            "map" => "a mapping".to_string(),
            "sequence" => "a list".to_string(),
            "unit value" | "unit" => "null".to_string(),
            _ => t.to_string(),
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((f, e)) = rest.split_once(", expected ") {
                return format!(
                    "{}: expected {}, found {}",
                    prefix.trim_end_matches(": "),
                    expected(e),
                    found(f)
                );
            }
        }
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing field: expected {rest}, found nothing");
    }
    message.to_string()
}

/// Maps a deserialization message to a stable code, and the path to the value at fault.
fn classify(message: &str, mut segs: Vec<Seg>) -> (&'static str, Vec<Seg>) {
    let has = |s: &str| message.contains(s);
    let code = if message.starts_with("unknown field") {
        // serde reports an unknown field at its parent; point at the field itself.
        if let Some(f) = backticked(message) {
            if segs.last() != Some(&Seg::Key(f.to_string())) {
                segs.push(Seg::Key(f.to_string()));
            }
        }
        "unknown_field"
    } else if message.starts_with("missing field") {
        if let Some(f) = backticked(message) {
            segs.push(Seg::Key(f.to_string()));
        }
        "missing_field"
    } else if message.starts_with("invalid type") {
        "invalid_type"
    } else if message.starts_with("unknown variant") {
        "invalid_enum"
    } else if message.starts_with("invalid quantity") {
        if has("unknown suffix") {
            "invalid_quantity_suffix"
        } else if has("out of range") {
            "quantity_out_of_range"
        } else {
            "invalid_quantity"
        }
    } else if message.starts_with("invalid duration") {
        if has("missing unit") {
            "duration_missing_unit"
        } else if has("unknown unit") {
            "duration_unknown_unit"
        } else if has("out of range") {
            "duration_out_of_range"
        } else {
            "invalid_duration"
        }
    } else if message.starts_with("invalid schedule") {
        "invalid_schedule"
    } else if message.starts_with(workload::PROBE_HANDLER_MESSAGE) {
        "probe_handler"
    } else if has("URL") || has("international domain name") {
        "invalid_url"
    } else if has("input contains invalid characters")
        || has("premature end of input")
        || has("input is out of range")
        || has("trailing input")
    {
        "invalid_timestamp"
    } else {
        "invalid_value"
    };
    (code, segs)
}

/// Removes the value at `path` from `root`; false when there is nothing to remove.
fn remove(root: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut cur = root;
    for s in parents {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Mapping(m)) => match find_key(m, k) {
                Some(key) => match m.get_mut(&key) {
                    Some(v) => v,
                    None => return false,
                },
                None => return false,
            },
            (Seg::Index(i), Value::Sequence(items)) => match items.get_mut(*i) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, cur) {
        (Seg::Key(k), Value::Mapping(m)) => find_key(m, k)
            .and_then(|key| m.shift_remove(&key))
            .is_some(),
        (Seg::Index(i), Value::Sequence(items)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

/// The mapping key that prints as `k` (keys may be numbers, as in status-code maps).
fn find_key(m: &Mapping, k: &str) -> Option<Value> {
    let s = Value::String(k.to_string());
    if m.contains_key(&s) {
        return Some(s);
    }
    m.keys().find(|key| scalar_text(key) == k).cloned()
}

pub(crate) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "null".to_string(),
        _ => "a collection".to_string(),
    }
}
