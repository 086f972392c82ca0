//! Label selectors with the exact semantics of Kubernetes' `k8s.io/apimachinery/pkg/labels`.
//!
//! - [`Selector::parse`] reads the string syntax (`app=web,tier in (a,b),!legacy,replicas>2`)
//!   with apimachinery's lexer rules: whitespace is space, tab, CR or LF; `=`, `!`, `(`, `)`,
//!   `,`, `>`, `<` are the special symbols; `in` and `notin` are keywords only where an operator
//!   is expected; `()` means the set `{""}`; a value may be empty after `=`, `==` or `!=`; empty
//!   items in value lists (`(a,,b)`, `(,a)`, `(a,)`) stand for the empty value.
//! - Keys are label keys (optional DNS-1123 subdomain prefix, name of at most 63 characters),
//!   values are label values (at most 63), and `>`/`<` take one 64-bit integer.
//! - [`Selector`]'s `Display` is apimachinery's `String()`: requirements sorted by key, values
//!   sorted, operators as written (`==` stays `==`).
//! - Matching: `=`, `==`, `in` need the key; `!=` and `notin` match when the key is absent;
//!   `>`/`<` need the key and an integer value; `key` (exists) and `!key` (does not exist).
//! - [`Selector::everything`] (the empty selector) matches every label set;
//!   [`Selector::nothing`] matches none; both print as the empty string, and they are
//!   different values.
//! - [`Selector::from_label_selector`] converts the structured form (`matchLabels` plus
//!   `matchExpressions` with `In`, `NotIn`, `Exists`, `DoesNotExist`) as apimachinery's
//!   `LabelSelectorAsSelector` does: a missing selector selects nothing, an empty one everything.
//!
//! ```
//! use cnarch_core::labels::Selector;
//! use std::collections::BTreeMap;
//! let s = Selector::parse("tier in (web, api), env != prod, !legacy").unwrap();
//! assert_eq!(s.to_string(), "env!=prod,!legacy,tier in (api,web)");
//! let pod: BTreeMap<String, String> = [("tier".into(), "web".into())].into();
//! assert!(s.matches(&pod));
//! ```

mod index;
mod parse;
mod set;
mod solve;

use std::collections::BTreeMap;
use std::fmt;

pub use index::{LabelSetIndex, SelectorIndex};
pub use parse::SelectorParseError;
pub use set::LabelSet;

use crate::model::data::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement};

/// Something that has labels: a map from key to value.
pub trait Labels {
    /// The value of `key`, if present.
    fn get_label(&self, key: &str) -> Option<&str>;

    /// The labels as a [`LabelSet`], when they are one (lookups then use the key hashes
    /// computed when the selector was parsed).
    fn as_label_set(&self) -> Option<&LabelSet> {
        None
    }
}

impl Labels for BTreeMap<String, String> {
    fn get_label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Labels for std::collections::HashMap<String, String> {
    fn get_label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Labels for [(&str, &str)] {
    fn get_label(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// A selector operator, spelled as in the string syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// `key=value`
    Equals,
    /// `key==value`
    DoubleEquals,
    /// `key!=value`
    NotEquals,
    /// `key in (a,b)`
    In,
    /// `key notin (a,b)`
    NotIn,
    /// `key`
    Exists,
    /// `!key`
    DoesNotExist,
    /// `key>n`
    GreaterThan,
    /// `key<n`
    LessThan,
}

/// One requirement: a key, an operator and its values (sorted, without duplicates).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Requirement {
    key: String,
    op: Operator,
    values: Vec<String>,
    /// The integer operand of `>`/`<`.
    bound: i64,
    /// `set::key_hash(key)`, computed once.
    key_hash: u64,
}

impl Requirement {
    /// Builds a requirement, validating the key, the values and their count as apimachinery's
    /// `NewRequirement` does.
    pub fn new(
        key: &str,
        op: Operator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Requirement, SelectorParseError> {
        Requirement::at(key, op, values.into_iter().map(Into::into).collect(), 0)
    }

    /// [`Requirement::new`], reporting errors at byte position `pos` of a selector text.
    pub(crate) fn at(
        key: &str,
        op: Operator,
        mut values: Vec<String>,
        pos: usize,
    ) -> Result<Requirement, SelectorParseError> {
        values.sort();
        values.dedup();
        parse::validate_requirement(key, op, &values, pos)?;
        let bound = match op {
            Operator::GreaterThan | Operator::LessThan => {
                values.first().and_then(|v| v.parse().ok()).unwrap_or(0)
            }
            _ => 0,
        };
        Ok(Requirement {
            key_hash: set::key_hash(key),
            key: key.to_string(),
            op,
            values,
            bound,
        })
    }

    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.op
    }

    /// The values, sorted.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    #[inline]
    fn has_value(&self, v: &str) -> bool {
        match self.values.as_slice() {
            [one] => one == v,
            many => many.binary_search_by(|x| x.as_str().cmp(v)).is_ok(),
        }
    }

    /// Does the label set satisfy this requirement?
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        self.matches_value(labels.get_label(&self.key))
    }

    /// Does a label value (or its absence) satisfy this requirement?
    #[inline]
    fn matches_value(&self, value: Option<&str>) -> bool {
        match self.op {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                value.is_some_and(|v| self.has_value(v))
            }
            Operator::NotIn | Operator::NotEquals => value.is_none_or(|v| !self.has_value(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                match value.and_then(|v| v.parse::<i64>().ok()) {
                    Some(n) if self.op == Operator::GreaterThan => n > self.bound,
                    Some(n) => n < self.bound,
                    None => false,
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let (op, paren) = match self.op {
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
            Operator::Equals => ("=", false),
            Operator::DoubleEquals => ("==", false),
            Operator::NotEquals => ("!=", false),
            Operator::In => (" in (", true),
            Operator::NotIn => (" notin (", true),
            Operator::GreaterThan => (">", false),
            Operator::LessThan => ("<", false),
        };
        f.write_str(op)?;
        f.write_str(&self.values.join(","))?;
        if paren {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A label selector: a conjunction of requirements, or the selector that matches nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    /// Sorted by key (stable for equal keys); `None` is the nothing-selector.
    requirements: Option<Vec<Requirement>>,
}

impl Selector {
    /// Matches every label set (the empty selector; what `""` parses to).
    pub fn everything() -> Selector {
        Selector {
            requirements: Some(Vec::new()),
        }
    }

    /// Matches no label set (what a missing structured selector means).
    pub fn nothing() -> Selector {
        Selector { requirements: None }
    }

    /// Parses the string syntax.
    pub fn parse(text: &str) -> Result<Selector, SelectorParseError> {
        Ok(Selector::from_requirements(parse::parse(text)?))
    }

    /// A selector from requirements (sorted by key as apimachinery's `Add` does).
    pub fn from_requirements(mut requirements: Vec<Requirement>) -> Selector {
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Selector {
            requirements: Some(requirements),
        }
    }

    /// Is this the selector that matches nothing?
    pub fn is_nothing(&self) -> bool {
        self.requirements.is_none()
    }

    /// Does it match every label set (no requirements)?
    pub fn is_everything(&self) -> bool {
        self.requirements.as_ref().is_some_and(Vec::is_empty)
    }

    /// The requirements (empty for both `everything` and `nothing`).
    pub fn requirements(&self) -> &[Requirement] {
        self.requirements.as_deref().unwrap_or(&[])
    }

    /// Does the label set satisfy every requirement?
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match &self.requirements {
            None => false,
            Some(rs) => match labels.as_label_set() {
                Some(set) => rs
                    .iter()
                    .all(|r| r.matches_value(set.get_hashed(r.key_hash, &r.key))),
                None => rs.iter().all(|r| r.matches(labels)),
            },
        }
    }

    /// Converts the structured form, as `LabelSelectorAsSelector`: `None` selects nothing, an
    /// empty selector everything.
    pub fn from_label_selector(ls: Option<&LabelSelector>) -> Result<Selector, SelectorParseError> {
        let Some(ls) = ls else {
            return Ok(Selector::nothing());
        };
        let mut rs = Vec::with_capacity(ls.match_labels.len() + ls.match_expressions.len());
        for (k, v) in &ls.match_labels {
            rs.push(Requirement::new(k, Operator::Equals, [v.as_str()])?);
        }
        for e in &ls.match_expressions {
            let op = match e.operator {
                LabelSelectorOperator::In => Operator::In,
                LabelSelectorOperator::NotIn => Operator::NotIn,
                LabelSelectorOperator::Exists => Operator::Exists,
                LabelSelectorOperator::DoesNotExist => Operator::DoesNotExist,
            };
            rs.push(Requirement::new(
                &e.key,
                op,
                e.values.iter().map(String::as_str),
            )?);
        }
        Ok(Selector::from_requirements(rs))
    }

    /// The structured form. `=`/`==` become `matchLabels` (a second equality on the same key
    /// becomes an `In` expression), `!=` becomes `NotIn` (the same meaning; apimachinery's
    /// `ParseToLabelSelector` refuses it), and `>`/`<` are refused as apimachinery refuses
    /// them. The nothing-selector has no structured form.
    pub fn to_label_selector(&self) -> Result<LabelSelector, SelectorParseError> {
        let Some(rs) = &self.requirements else {
            return Err(SelectorParseError::unsupported("the selector that matches nothing has no structured form (it is a missing selector)"));
        };
        let mut out = LabelSelector::default();
        for r in rs {
            let (operator, values) = match r.op {
                Operator::Equals | Operator::DoubleEquals => {
                    let v = r.values.first().cloned().unwrap_or_default();
                    if !out.match_labels.contains_key(&r.key) {
                        out.match_labels.insert(r.key.clone(), v);
                        continue;
                    }
                    (LabelSelectorOperator::In, vec![v])
                }
                Operator::In => (LabelSelectorOperator::In, r.values.clone()),
                Operator::NotIn | Operator::NotEquals => {
                    (LabelSelectorOperator::NotIn, r.values.clone())
                }
                Operator::Exists => (LabelSelectorOperator::Exists, Vec::new()),
                Operator::DoesNotExist => (LabelSelectorOperator::DoesNotExist, Vec::new()),
                Operator::GreaterThan | Operator::LessThan => {
                    return Err(SelectorParseError::unsupported(format!(
                        "`{r}`: `>` and `<` are not supported in structured label selectors"
                    )));
                }
            };
            out.match_expressions.push(LabelSelectorRequirement {
                key: r.key.clone(),
                operator,
                values,
            });
        }
        Ok(out)
    }

    /// Is there a label set both selectors match? Returns one (a witness) when there is.
    pub fn overlaps(&self, other: &Selector) -> Option<BTreeMap<String, String>> {
        let (Some(a), Some(b)) = (&self.requirements, &other.requirements) else {
            return None;
        };
        let all: Vec<solve::Constraint<'_>> =
            a.iter().chain(b).map(solve::Constraint::Req).collect();
        solve::witness(&all)
    }

    /// Does `other` match every label set this selector matches?
    pub fn is_subset_of(&self, other: &Selector) -> bool {
        let Some(a) = &self.requirements else {
            return true;
        };
        let Some(b) = &other.requirements else {
            // Only the empty set of label sets is a subset of nothing's.
            return solve::witness(&a.iter().map(solve::Constraint::Req).collect::<Vec<_>>())
                .is_none();
        };
        // A ⊆ B iff A ∧ ¬r is unsatisfiable for every requirement r of B.
        b.iter().all(|r| {
            let mut cs: Vec<solve::Constraint<'_>> = a.iter().map(solve::Constraint::Req).collect();
            cs.push(solve::Constraint::Not(r));
            solve::witness(&cs).is_none()
        })
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements().iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Selector {
    type Err = SelectorParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Selector::parse(s)
    }
}
