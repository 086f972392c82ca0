//! Where each value sits in the source text: for every path of every document, the line and
//! column (both 1-based) where its value starts, so that a violation can point at the text.
//!
//! The text is read a second time, as a stream of YAML events with their positions, only when
//! there is something to report. A scalar or an alias is located where it starts; a mapping or
//! list that is a mapping's value is located at its key (`resources:`, which is where a reader
//! looks for it); a list item at its first character after `- `. JSON is read the same way (it
//! is YAML), and a JSON array is a list of documents, as the loader reads it.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A line and a column, 1-based.
pub(crate) type Position = (usize, usize);

/// The positions of the paths of each document, in the loader's document order.
#[derive(Debug, Default)]
pub(crate) struct Locations {
    docs: Vec<HashMap<String, Position>>,
}

impl Locations {
    /// The position of `path` in document `document`, or of its nearest ancestor that is in the
    /// text (a missing field is located at the mapping that lacks it).
    pub(crate) fn find(&self, document: usize, path: &str) -> Option<Position> {
        let doc = self.docs.get(document)?;
        let mut p = path;
        loop {
            if let Some(at) = doc.get(p) {
                return Some(*at);
            }
            if p.is_empty() {
                return None;
            }
            p = parent(p);
        }
    }
}

/// `a.b[0]` → `a.b`, `a.b` → `a`, `a` → ``.
fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Reads the positions of every path of every document in `text`; `None` when the text does
/// not read as YAML here (the positions are then left out, nothing else changes).
pub(crate) fn locate(text: &str, json: bool) -> Option<Locations> {
    let mut r = Recorder::default();
    Parser::new_from_str(text).load(&mut r, true).ok()?;
    if !json {
        return Some(Locations { docs: r.docs });
    }
    // One JSON value: an array's items are the documents, anything else is one document.
    let mut root = r.docs.into_iter().next().unwrap_or_default();
    if !root.keys().any(|k| k.starts_with('[')) {
        return Some(Locations { docs: vec![root] });
    }
    let mut docs: Vec<HashMap<String, Position>> = Vec::new();
    for (path, at) in root.drain() {
        let Some(rest) = path.strip_prefix('[') else {
            continue;
        };
        let Some((index, inner)) = rest.split_once(']') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        if docs.len() <= index {
            docs.resize_with(index + 1, HashMap::new);
        }
        docs[index].insert(inner.trim_start_matches('.').to_string(), at);
    }
    Some(Locations { docs })
}

enum Frame {
    Map {
        path: String,
        /// The key just read and where it is; `None` while a key is awaited.
        key: Option<(String, Marker)>,
    },
    List {
        path: String,
        next: usize,
    },
    /// A mapping or list used as a key: its contents have no path.
    Ignored,
}

#[derive(Default)]
struct Recorder {
    docs: Vec<HashMap<String, Position>>,
    current: HashMap<String, Position>,
    stack: Vec<Frame>,
    /// The document's root is a null scalar (an empty document, which the loader skips).
    null_root: bool,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

fn position(m: Marker) -> Position {
    // yaml-rust2 counts lines from 1 and columns from 0.
    (m.line(), m.col() + 1)
}

impl Recorder {
    /// A node starts: returns its path, or `None` for a key or inside a key.
    fn node(&mut self, mark: Marker, collection: bool, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.current.insert(String::new(), position(mark));
                Some(String::new())
            }
            Some(Frame::Ignored) => None,
            Some(Frame::Map { path, key }) => match key.take() {
                None => {
                    // This node is a key. A collection as a key has no usable text.
                    *key = Some((scalar.unwrap_or("").to_string(), mark));
                    None
                }
                Some((k, key_mark)) => {
                    let p = join(path, &k);
                    let at = if collection { key_mark } else { mark };
                    self.current.entry(p.clone()).or_insert(position(at));
                    Some(p)
                }
            },
            Some(Frame::List { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                self.current.entry(p.clone()).or_insert(position(mark));
                Some(p)
            }
        }
    }

    fn open(&mut self, mark: Marker, map: bool) {
        let awaiting_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
        let inside_key = matches!(self.stack.last(), Some(Frame::Ignored));
        let path = self.node(mark, true, None);
        let frame = match path {
            Some(path) if !awaiting_key && !inside_key => {
                if map {
                    Frame::Map { path, key: None }
                } else {
                    Frame::List { path, next: 0 }
                }
            }
            _ => Frame::Ignored,
        };
        self.stack.push(frame);
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::DocumentStart => {
                self.current.clear();
                self.stack.clear();
                self.null_root = false;
            }
            Event::DocumentEnd => {
                let doc = std::mem::take(&mut self.current);
                if !self.null_root {
                    self.docs.push(doc);
                }
            }
            Event::Scalar(value, style, _, _) => {
                if self.stack.is_empty() {
                    self.null_root = style == TScalarStyle::Plain
                        && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                }
                self.node(mark, false, Some(&value));
            }
            Event::Alias(_) => {
                self.node(mark, false, Some(""));
            }
            Event::MappingStart(..) => self.open(mark, true),
            Event::SequenceStart(..) => self.open(mark, false),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_positions_of_scalars_collections_and_items() {
        let text = "a: 1\nb:\n  c: x\n  d:\n    - 5\n    - {e: 6}\n---\n---\nf: 7\n";
        let l = locate(text, false).unwrap();
        assert_eq!(l.find(0, "a"), Some((1, 4)));
        assert_eq!(l.find(0, "b"), Some((2, 1)));
        assert_eq!(l.find(0, "b.c"), Some((3, 6)));
        assert_eq!(l.find(0, "b.d"), Some((4, 3)));
        assert_eq!(l.find(0, "b.d[0]"), Some((5, 7)));
        assert_eq!(l.find(0, "b.d[1].e"), Some((6, 11)));
        // Missing: the nearest ancestor in the text.
        assert_eq!(l.find(0, "b.zz"), Some((2, 1)));
        // The empty document between the separators is skipped, as the loader skips it.
        assert_eq!(l.find(1, "f"), Some((9, 4)));
        assert_eq!(l.find(2, "f"), None);
    }

    #[test]
    fn json_array_items_are_documents() {
        let text = "[{\"a\": 1},\n {\"b\": {\"c\": 2}}]";
        let l = locate(text, true).unwrap();
        assert_eq!(l.find(0, "a"), Some((1, 8)));
        assert_eq!(l.find(1, "b"), Some((2, 3)));
        assert_eq!(l.find(1, "b.c"), Some((2, 14)));
    }

    #[test]
    fn keys_that_are_collections_are_not_paths() {
        let text = "? [x, y]\n: 1\nz: 2\n";
        let l = locate(text, false).unwrap();
        assert_eq!(l.find(0, "z"), Some((3, 4)));
    }
}
