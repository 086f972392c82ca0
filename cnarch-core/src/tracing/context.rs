//! W3C Trace Context: the `traceparent` and `tracestate` headers, parsed and written as the
//! Trace Context recommendation (Level 2) and its test suite define them.

use std::fmt;

use super::TraceError;

/// The `sampled` trace flag.
pub const FLAG_SAMPLED: u8 = 0x01;
/// The `random` trace flag (Trace Context Level 2): the trace id's right 7 bytes are random.
pub const FLAG_RANDOM: u8 = 0x02;
/// Most members a `tracestate` may hold.
pub const MAX_MEMBERS: usize = 32;
/// Members longer than this go first when a `tracestate` is truncated.
pub const LONG_MEMBER: usize = 128;

/// A parsed `traceparent` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraceParent {
    /// The version (0 today; 255 is never valid).
    pub version: u8,
    /// The trace id, 16 bytes, not all zero.
    pub trace_id: [u8; 16],
    /// The parent (caller's span) id, 8 bytes, not all zero.
    pub parent_id: [u8; 8],
    /// The trace flags (bit 0: sampled, bit 1: random).
    pub flags: u8,
}

/// Spaces and tabs around a header value (HTTP's optional white space).
fn trim_ows(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// The value of each lowercase hex digit; 255 for every other byte.
const HEX: [u8; 256] = {
    let mut t = [255u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// `N` bytes from `2N` lowercase hex digits (the recommendation refuses uppercase).
fn hex_bytes<const N: usize>(b: &[u8], what: &str) -> Result<[u8; N], TraceError> {
    let mut out = [0u8; N];
    let mut bad = b.len() != 2 * N;
    if !bad {
        for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
            let (h, l) = (HEX[pair[0] as usize], HEX[pair[1] as usize]);
            bad |= (h | l) == 255 || h > 15 || l > 15;
            *o = h.wrapping_shl(4) | (l & 15);
        }
    }
    if bad {
        return Err(TraceError::traceparent(format!(
            "expected {} as {} lowercase hex digits, found {:?}",
            what,
            2 * N,
            String::from_utf8_lossy(b)
        )));
    }
    Ok(out)
}

/// [`hex_bytes`] of a text field.
fn hex_field<const N: usize>(s: &str, what: &str) -> Result<[u8; N], TraceError> {
    hex_bytes::<N>(s.as_bytes(), what)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

impl TraceParent {
    /// Parses a `traceparent` value. Version `00` is exactly 55 characters; a higher version
    /// is read from its first 55 characters, which must be followed by the end or a `-`;
    /// `ff`, uppercase hex and all-zero ids are refused. Spaces and tabs around the value are
    /// ignored.
    pub fn parse(header: &str) -> Result<TraceParent, TraceError> {
        let b = trim_ows(header).as_bytes();
        if b.len() < 55 {
            return Err(TraceError::traceparent(format!(
                "expected 55 characters (version-traceid-parentid-flags), found {}",
                b.len()
            )));
        }
        let [version] = hex_bytes::<1>(&b[..2], "the version")?;
        if version == 0xff {
            return Err(TraceError::traceparent(
                "version ff is not valid".to_string(),
            ));
        }
        if version == 0 && b.len() != 55 {
            return Err(TraceError::traceparent(format!(
                "expected exactly 55 characters for version 00, found {}",
                b.len()
            )));
        }
        if b.len() > 55 && b[55] != b'-' {
            return Err(TraceError::traceparent(format!(
                "expected `-` or the end after the flags, found {:?}",
                String::from_utf8_lossy(&b[55..56])
            )));
        }
        for at in [2, 35, 52] {
            if b[at] != b'-' {
                return Err(TraceError::traceparent(format!(
                    "expected `-` at position {}, found {:?}",
                    at + 1,
                    String::from_utf8_lossy(&b[at..=at])
                )));
            }
        }
        let trace_id = hex_bytes::<16>(&b[3..35], "the trace id")?;
        let parent_id = hex_bytes::<8>(&b[36..52], "the parent id")?;
        let [flags] = hex_bytes::<1>(&b[53..55], "the trace flags")?;
        nonzero(&trace_id, &parent_id)?;
        Ok(TraceParent {
            version,
            trace_id,
            parent_id,
            flags,
        })
    }

    /// A version 00 `traceparent` from hex ids (32 and 16 lowercase digits, not all zero).
    pub fn new(trace_id: &str, parent_id: &str, flags: u8) -> Result<TraceParent, TraceError> {
        let trace_id = hex_field::<16>(trace_id, "the trace id")?;
        let parent_id = hex_field::<8>(parent_id, "the parent id")?;
        nonzero(&trace_id, &parent_id)?;
        Ok(TraceParent {
            version: 0,
            trace_id,
            parent_id,
            flags,
        })
    }

    /// The sampled flag.
    pub fn sampled(&self) -> bool {
        self.flags & FLAG_SAMPLED != 0
    }

    /// The random flag (Level 2).
    pub fn random_trace_id(&self) -> bool {
        self.flags & FLAG_RANDOM != 0
    }

    /// The trace id as 32 lowercase hex digits.
    pub fn trace_id_hex(&self) -> String {
        hex(&self.trace_id)
    }

    /// The parent id as 16 lowercase hex digits.
    pub fn parent_id_hex(&self) -> String {
        hex(&self.parent_id)
    }
}

impl fmt::Display for TraceParent {
    /// The header as version 00 writes it (a caller that forwards a context writes the
    /// version it understands: the fields after the flags of a higher version are dropped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "00-{}-{}-{}",
            hex(&self.trace_id),
            hex(&self.parent_id),
            hex(&[self.flags])
        )
    }
}

impl std::str::FromStr for TraceParent {
    type Err = TraceError;
    fn from_str(s: &str) -> Result<TraceParent, TraceError> {
        TraceParent::parse(s)
    }
}

/// Parses a 32-hex-digit trace id.
pub fn trace_id(s: &str) -> Result<[u8; 16], TraceError> {
    let id = hex_field::<16>(s, "the trace id")?;
    nonzero(&id, &[1])?;
    Ok(id)
}

/// All-zero ids are invalid.
fn nonzero(trace_id: &[u8], parent_id: &[u8]) -> Result<(), TraceError> {
    for (id, what) in [(trace_id, "trace"), (parent_id, "parent")] {
        if id.iter().all(|&b| b == 0) {
            return Err(TraceError::traceparent(format!(
                "the {what} id is all zeros"
            )));
        }
    }
    Ok(())
}

/// A `tracestate`: its members in order, the leftmost the most recently updated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TraceState {
    members: Vec<(String, String)>,
}

fn key_char(c: u8) -> bool {
    matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'*' | b'/')
}

/// Checks a key: a simple key (a lowercase letter, then at most 255 of `a-z0-9_-*/`) or a
/// multi-tenant key (`tenant@system`: a tenant of at most 241 starting with a letter or a
/// digit, a system of at most 14 starting with a letter).
fn check_key(k: &str) -> Result<(), String> {
    let b = k.as_bytes();
    let part = |p: &[u8], max: usize, digit_first: bool, what: &str| -> Result<(), String> {
        match p.first() {
            Some(c) if c.is_ascii_lowercase() || (digit_first && c.is_ascii_digit()) => {}
            _ => {
                return Err(format!(
                    "{what} must start with a lowercase letter{}",
                    if digit_first { " or a digit" } else { "" }
                ))
            }
        }
        if p.len() > max {
            return Err(format!("{what} is longer than {max} characters"));
        }
        if !p.iter().all(|&c| key_char(c)) {
            return Err(format!(
                "{what} may hold only a-z, 0-9, `_`, `-`, `*` and `/`"
            ));
        }
        Ok(())
    };
    match k.split_once('@') {
        None => part(b, 256, false, "the key"),
        Some((tenant, system)) => {
            part(tenant.as_bytes(), 241, true, "the tenant id")?;
            if system.contains('@') {
                return Err("a key holds at most one `@`".to_string());
            }
            part(system.as_bytes(), 14, false, "the system id")
        }
    }
}

/// Checks a value: 1 to 256 printable ASCII characters other than `,` and `=`, not ending
/// in a space.
fn check_value(v: &str) -> Result<(), String> {
    let b = v.as_bytes();
    if b.is_empty() {
        return Err("the value is empty".to_string());
    }
    if b.len() > 256 {
        return Err("the value is longer than 256 characters".to_string());
    }
    if !b
        .iter()
        .all(|&c| (0x20..=0x7e).contains(&c) && c != b',' && c != b'=')
    {
        return Err("the value may hold only printable ASCII other than `,` and `=`".to_string());
    }
    if b.last() == Some(&b' ') {
        return Err("the value ends in a space".to_string());
    }
    Ok(())
}

impl TraceState {
    /// An empty `tracestate`.
    pub fn new() -> TraceState {
        TraceState::default()
    }

    /// Parses a `tracestate` value (several headers are one value joined with `,`). Empty
    /// members and white space around members are allowed; a bad key or value, a duplicate
    /// key or more than 32 members make the whole value invalid (the recommendation's
    /// answer: discard the header).
    pub fn parse(header: &str) -> Result<TraceState, TraceError> {
        let mut members: Vec<(String, String)> = Vec::new();
        for (i, raw) in header.split(',').enumerate() {
            let m = trim_ows(raw);
            if m.is_empty() {
                continue;
            }
            let Some((k, v)) = m.split_once('=') else {
                return Err(TraceError::tracestate(
                    i,
                    m,
                    "expected `key=value`".to_string(),
                ));
            };
            check_key(k).map_err(|e| TraceError::tracestate(i, m, e))?;
            check_value(v).map_err(|e| TraceError::tracestate(i, m, e))?;
            if members.iter().any(|(x, _)| x == k) {
                return Err(TraceError::tracestate(
                    i,
                    m,
                    format!("the key `{k}` appears twice"),
                ));
            }
            members.push((k.to_string(), v.to_string()));
        }
        if members.len() > MAX_MEMBERS {
            return Err(TraceError::tracestate_count(members.len()));
        }
        Ok(TraceState { members })
    }

    /// The members, leftmost first.
    pub fn members(&self) -> &[(String, String)] {
        &self.members
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `key` to `value` and moves it to the left (a modified or new member goes
    /// first); when that makes 33 members, the rightmost is dropped.
    pub fn insert(&mut self, key: &str, value: &str) -> Result<(), TraceError> {
        let m = format!("{key}={value}");
        check_key(key).map_err(|e| TraceError::tracestate(0, &m, e))?;
        check_value(value).map_err(|e| TraceError::tracestate(0, &m, e))?;
        self.members.retain(|(k, _)| k != key);
        self.members.insert(0, (key.to_string(), value.to_string()));
        self.members.truncate(MAX_MEMBERS);
        Ok(())
    }

    /// Removes `key`; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let before = self.members.len();
        self.members.retain(|(k, _)| k != key);
        self.members.len() != before
    }

    /// The members kept so the header is at most `max_len` characters: members longer than
    /// 128 characters go first (from the right), then members from the right.
    pub fn truncate(&self, max_len: usize) -> TraceState {
        let len = |m: &[(String, String)]| -> usize {
            m.iter().map(|(k, v)| k.len() + 1 + v.len()).sum::<usize>() + m.len().saturating_sub(1)
        };
        let mut members = self.members.clone();
        while len(&members) > max_len {
            match members
                .iter()
                .rposition(|(k, v)| k.len() + 1 + v.len() > LONG_MEMBER)
            {
                Some(i) => {
                    members.remove(i);
                }
                None => break,
            }
        }
        while len(&members) > max_len {
            members.pop();
        }
        TraceState { members }
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl fmt::Display for TraceState {
    /// The header value: members joined by `,`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.members.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{k}={v}")?;
        }
        Ok(())
    }
}
