//! Input limits checked before a text reaches the YAML or JSON parser, in one linear pass.
//!
//! The YAML parser refuses deep nesting only after quadratic work (100,000 nested flow
//! sequences, 200 KB, cost 41 s before "recursion limit exceeded"), so a service that
//! validates specs must not hand it such a text. [`check`] scans the text once and refuses
//!
//! - a text longer than [`Limits::max_bytes`] (64 MiB by default, set by the caller), and
//! - nesting deeper than [`Limits::max_depth`] (128 by default, the depth serde_json and the
//!   YAML parser stop at too): flow collections (`[`, `{`), block collections (each indentation
//!   step of a mapping or sequence) and compact sequences (`- - x`) all count.
//!
//! The scan knows enough YAML to keep `[` and `{` inside quoted scalars, plain scalars (`a[b`),
//! comments and block scalars (`|`, `>`) from counting. It may over-count in rare layouts (a
//! plain scalar's continuation line that starts with `[`), never under-count a real
//! collection, so anything it lets through stays within the parser's own limits.

/// The limits of one load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest text accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of collections accepted.
    pub max_depth: usize,
}

impl Limits {
    /// 64 MiB and depth 128.
    pub const DEFAULT: Limits = Limits {
        max_bytes: 64 << 20,
        max_depth: 128,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A text past a limit: what was exceeded, and where (1-based line and column of the byte that
/// went past it; none for the size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    /// What was expected and found.
    pub message: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column (in bytes).
    pub column: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Outside quoted scalars and comments.
    Plain,
    Single,
    Double,
    Comment,
}

/// Checks `text` against `limits` in one pass.
pub fn check(text: &str, limits: &Limits) -> Result<(), Exceeded> {
    if text.len() > limits.max_bytes {
        return Err(Exceeded {
            message: format!(
                "input too large: expected at most {} bytes, found {}",
                limits.max_bytes,
                text.len()
            ),
            line: None,
            column: None,
        });
    }
    let b = text.as_bytes();
    // Indentations of the open block collections.
    let mut blocks: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut line = 1usize;
    let mut line_start = 0usize;
    let mut i = 0usize;
    let mut state = State::Plain;
    // Block scalar: lines indented more than this belong to it.
    let mut block_scalar: Option<usize> = None;
    // Where a node may start (line start, after `- `, `: `, `? `, and in flow after `[{,:`).
    let mut node_start = true;
    // `-`/`?` indicators on the current line (`- - x`): the first is the collection the line's
    // indentation already counts, each further one a nested collection.
    let mut compact = 0usize;
    let open = |blocks: &[usize], compact: usize| blocks.len().max(1) + compact.saturating_sub(1);
    let too_deep = |line: usize, at: usize, line_start: usize| Exceeded {
        message: format!(
            "input nested too deeply: expected at most {} levels of collections",
            limits.max_depth
        ),
        line: Some(line),
        column: Some(at - line_start + 1),
    };
    let mut at_line_start = true;
    while i < b.len() {
        if at_line_start {
            at_line_start = false;
            if state == State::Comment {
                state = State::Plain;
            }
            if state == State::Plain && flow == 0 {
                // A new block line: measure its indentation.
                let mut j = i;
                while j < b.len() && b[j] == b' ' {
                    j += 1;
                }
                let indent = j - i;
                let blank = j >= b.len() || matches!(b[j], b'\n' | b'\r' | b'#');
                if let Some(parent) = block_scalar {
                    if blank || indent > parent {
                        // Inside the block scalar: skip the line.
                        while i < b.len() && b[i] != b'\n' {
                            i += 1;
                        }
                        continue;
                    }
                    block_scalar = None;
                }
                if !blank {
                    while blocks.last().is_some_and(|&top| top > indent) {
                        blocks.pop();
                    }
                    if blocks.last() != Some(&indent) {
                        blocks.push(indent);
                    }
                    compact = 0;
                    if blocks.len() > limits.max_depth {
                        return Err(too_deep(line, j, line_start));
                    }
                }
                node_start = true;
                i = j;
                continue;
            }
        }
        let c = b[i];
        if c == b'\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
            at_line_start = true;
            continue;
        }
        match state {
            State::Comment => {}
            State::Single => {
                if c == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        state = State::Plain;
                        node_start = false;
                    }
                }
            }
            State::Double => {
                if c == b'\\' {
                    i += 1;
                } else if c == b'"' {
                    state = State::Plain;
                    node_start = false;
                }
            }
            State::Plain => {
                let prev_blank = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r');
                let next_blank = matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
                match c {
                    b'#' if prev_blank => state = State::Comment,
                    b' ' | b'\t' | b'\r' => {}
                    b'[' | b'{' if node_start || flow > 0 => {
                        flow += 1;
                        if open(&blocks, compact) + flow > limits.max_depth {
                            return Err(too_deep(line, i, line_start));
                        }
                        node_start = true;
                    }
                    b']' | b'}' if flow > 0 => {
                        flow -= 1;
                        node_start = false;
                    }
                    b',' if flow > 0 => node_start = true,
                    b'\'' if node_start => state = State::Single,
                    b'"' if node_start => state = State::Double,
                    b'-' | b'?' if node_start && next_blank && flow == 0 => {
                        compact += 1;
                        if open(&blocks, compact) > limits.max_depth {
                            return Err(too_deep(line, i, line_start));
                        }
                    }
                    b':' if next_blank || flow > 0 => node_start = true,
                    b'|' | b'>' if node_start && flow == 0 => {
                        // The parent's indentation: the current line's.
                        let mut j = line_start;
                        while j < b.len() && b[j] == b' ' {
                            j += 1;
                        }
                        block_scalar = Some(j - line_start);
                        state = State::Comment; // the rest of the header line
                    }
                    _ => node_start = false,
                }
            }
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str, max_depth: usize) -> bool {
        check(
            text,
            &Limits {
                max_bytes: usize::MAX,
                max_depth,
            },
        )
        .is_ok()
    }

    #[test]
    fn flow_nesting() {
        assert!(depth_ok("a: [[[1]]]", 4));
        assert!(!depth_ok("a: [[[1]]]", 3));
        assert!(!depth_ok(&"[".repeat(200), 128));
        assert!(depth_ok(
            &format!("{}{}", "[".repeat(127), "]".repeat(127)),
            128
        ));
    }

    #[test]
    fn brackets_in_scalars_do_not_count() {
        let deep = "[".repeat(300);
        assert!(depth_ok(&format!("a: x{deep}\n"), 128));
        assert!(depth_ok(&format!("a: '{deep}'\n"), 128));
        assert!(depth_ok(&format!("a: \"{deep}\"\n"), 128));
        assert!(depth_ok(&format!("a: 1 # {deep}\n"), 128));
        assert!(depth_ok(&format!("a: |\n  {deep}\n  {deep}\nb: 1\n"), 128));
        assert!(!depth_ok(&format!("a: |\n  x\nb: {deep}\n"), 128));
    }

    #[test]
    fn block_nesting() {
        let mut text = String::new();
        for d in 0..10 {
            text.push_str(&" ".repeat(d));
            text.push_str("k:\n");
        }
        assert!(depth_ok(&text, 10));
        assert!(!depth_ok(&text, 9));
        assert!(!depth_ok(&"- ".repeat(200), 128));
        // Three sequences, one inside the other: depth 3 exactly.
        assert!(depth_ok("- - - x\n", 3));
        assert!(!depth_ok("- - - x\n", 2));
        assert!(depth_ok("k:\n  - [x]\n", 3));
        assert!(!depth_ok("k:\n  - [x]\n", 2));
    }

    #[test]
    fn size() {
        let l = Limits {
            max_bytes: 4,
            max_depth: 128,
        };
        assert!(check("abcd", &l).is_ok());
        assert!(check("abcde", &l).is_err());
    }
}
