//! `LabelSet`: an immutable label map built for fast selector matching.

use std::collections::BTreeMap;

use super::Labels;

/// FNV-1a, 64-bit: small, fast on short keys, and the same in every build (no global seed).
#[inline]
pub(crate) fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One table slot: the key's hash, the key and the value.
type Slot = Option<(u64, Box<str>, Box<str>)>;

/// A label set stored for matching: an open-addressed table of `(hash, key, value)`, so a
/// selector (whose requirements carry their key hashes from parse time) finds each key with
/// one hash comparison and usually one string comparison.
///
/// ```
/// use cnarch_core::labels::{LabelSet, Selector};
/// let pod = LabelSet::from_iter([("app", "web"), ("tier", "frontend")]);
/// assert!(Selector::parse("app=web,tier in (frontend,edge)").unwrap().matches(&pod));
/// ```
#[derive(Debug, Clone, Default)]
pub struct LabelSet {
    /// Slots of a power-of-two table; `None` is empty.
    slots: Vec<Slot>,
    len: usize,
}

impl LabelSet {
    /// Builds the table (later entries for the same key win).
    pub fn new(labels: &BTreeMap<String, String>) -> LabelSet {
        labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// The number of labels.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn slot_of(&self, hash: u64, key: &str) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = (hash as usize) & mask;
        loop {
            match &self.slots[i] {
                None => return None,
                Some((h, k, _)) if *h == hash && k.as_ref() == key => return Some(i),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    #[inline]
    pub(crate) fn get_hashed(&self, hash: u64, key: &str) -> Option<&str> {
        self.slot_of(hash, key)
            .and_then(|i| self.slots[i].as_ref())
            .map(|(_, _, v)| v.as_ref())
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for LabelSet {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        let items: Vec<(&str, &str)> = iter.into_iter().collect();
        let cap = (items.len() * 2).next_power_of_two().max(4);
        let mut set = LabelSet {
            slots: vec![None; cap],
            len: 0,
        };
        for (k, v) in items {
            let h = key_hash(k);
            match set.slot_of(h, k) {
                Some(i) => set.slots[i] = Some((h, k.into(), v.into())),
                None => {
                    let mask = cap - 1;
                    let mut i = (h as usize) & mask;
                    while set.slots[i].is_some() {
                        i = (i + 1) & mask;
                    }
                    set.slots[i] = Some((h, k.into(), v.into()));
                    set.len += 1;
                }
            }
        }
        set
    }
}

impl Labels for LabelSet {
    fn get_label(&self, key: &str) -> Option<&str> {
        self.get_hashed(key_hash(key), key)
    }

    fn as_label_set(&self) -> Option<&LabelSet> {
        Some(self)
    }
}
