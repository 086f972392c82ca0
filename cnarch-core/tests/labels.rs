//! Label selectors: the shared vectors in `testdata/labels/` (from apimachinery's own tests)
//! and property tests for canonical printing, matching, overlap and subset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use cnarch_core::labels::{LabelSetIndex, Operator, Requirement, Selector, SelectorIndex};
use cnarch_core::model::data::LabelSelector;
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Value {
    common::testdata("labels/selectors.json")
}

fn labels(v: &Value) -> BTreeMap<String, String> {
    serde_json::from_value(v.clone()).unwrap()
}

#[test]
fn parse_and_print_vectors() {
    for case in vectors()["parse"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        let s = Selector::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(s.to_string(), case["string"].as_str().unwrap(), "{input:?}");
        assert_eq!(
            Selector::parse(&s.to_string()).unwrap(),
            s,
            "{input:?} reparses"
        );
    }
}

#[test]
fn invalid_vectors() {
    for case in vectors()["invalid"].as_array().unwrap() {
        let input = case.as_str().unwrap();
        let e = Selector::parse(input).expect_err(input);
        assert!(e.position <= input.len(), "{input:?}: {e:?}");
        assert!(
            [
                "selector_syntax",
                "invalid_label_key",
                "invalid_label_value",
                "invalid_selector_values"
            ]
            .contains(&e.code()),
            "{e:?}"
        );
    }
}

#[test]
fn matching_vectors() {
    for case in vectors()["matches"].as_array().unwrap() {
        let s = Selector::parse(case["selector"].as_str().unwrap()).unwrap();
        assert_eq!(
            s.matches(&labels(&case["labels"])),
            case["match"].as_bool().unwrap(),
            "{case}"
        );
    }
}

fn op(name: &str) -> Operator {
    match name {
        "In" => Operator::In,
        "NotIn" => Operator::NotIn,
        "Exists" => Operator::Exists,
        "DoesNotExist" => Operator::DoesNotExist,
        "GreaterThan" => Operator::GreaterThan,
        "LessThan" => Operator::LessThan,
        "Equals" => Operator::Equals,
        other => panic!("{other}"),
    }
}

#[test]
fn requirement_vectors() {
    for case in vectors()["requirements"].as_array().unwrap() {
        let values: Vec<String> = serde_json::from_value(case["values"].clone()).unwrap();
        let r = Requirement::new(
            case["key"].as_str().unwrap(),
            op(case["operator"].as_str().unwrap()),
            values,
        );
        assert_eq!(r.is_ok(), case["valid"].as_bool().unwrap(), "{case}");
    }
}

#[test]
fn structured_vectors() {
    for case in vectors()["structured"].as_array().unwrap() {
        let ls: LabelSelector = serde_json::from_value(case["labelSelector"].clone()).unwrap();
        let s = Selector::from_label_selector(Some(&ls)).unwrap();
        assert_eq!(s.to_string(), case["string"].as_str().unwrap());
        // Back to the structured form and again: the same selector.
        assert_eq!(
            Selector::from_label_selector(Some(&s.to_label_selector().unwrap())).unwrap(),
            s
        );
    }
    let nothing = Selector::from_label_selector(None).unwrap();
    assert!(nothing.is_nothing() && !nothing.matches(&BTreeMap::new()));
    assert_ne!(nothing, Selector::everything());
    assert_eq!(nothing.to_string(), Selector::everything().to_string());
    assert!(Selector::everything().matches(&labels(&serde_json::json!({"x": "y"}))));
    assert!(Selector::parse("x>1").unwrap().to_label_selector().is_err());
    assert_eq!(
        Selector::parse("x!=a")
            .unwrap()
            .to_label_selector()
            .unwrap()
            .match_expressions[0]
            .values,
        ["a"]
    );
}

#[test]
fn overlap_and_subset_examples() {
    let p = |s: &str| Selector::parse(s).unwrap();
    assert!(p("x in (a)").overlaps(&p("x notin (a)")).is_none());
    assert!(p("x").overlaps(&p("!x")).is_none());
    assert!(p("x>5").overlaps(&p("x<6")).is_none());
    let w = p("x>5").overlaps(&p("x<8,x!=6")).unwrap();
    assert_eq!(w.get("x").map(String::as_str), Some("7"));
    // Integers compare parsed, so a zero-padded spelling escapes an inequality on the text.
    let w = p("x>5,x<7").overlaps(&p("x!=6")).unwrap();
    assert_eq!(w.get("x").map(String::as_str), Some("06"));
    // Values in `>`/`<` must be valid label values, so negative bounds are refused.
    assert_eq!(
        Selector::parse("x>-1").unwrap_err().code(),
        "invalid_label_value"
    );
    assert!(p("x=a").overlaps(&Selector::nothing()).is_none());
    assert!(p("app=web,tier=fe").is_subset_of(&p("app=web")));
    assert!(!p("app=web").is_subset_of(&p("app=web,tier=fe")));
    assert!(p("x in (a)").is_subset_of(&p("x")));
    assert!(p("x>5").is_subset_of(&p("x!=3")));
    assert!(!p("x!=3").is_subset_of(&p("x>5")));
    assert!(Selector::nothing().is_subset_of(&p("x")));
    assert!(p("x,!x").is_subset_of(&Selector::nothing()));
    assert!(!Selector::everything().is_subset_of(&Selector::nothing()));
}

// ---- property tests -------------------------------------------------------------------

const KEYS: [&str; 3] = ["a", "example.com/b", "c"];
const VALUES: [&str; 5] = ["", "x", "y", "1", "7"];

fn requirement() -> impl Strategy<Value = Requirement> {
    let values = prop::collection::btree_set(prop::sample::select(VALUES.to_vec()), 1..3);
    (
        prop::sample::select(KEYS.to_vec()),
        0usize..9,
        values,
        0i64..9,
    )
        .prop_map(|(k, o, vs, n)| {
            let one = vs.iter().next().copied().unwrap_or("x");
            match o {
                0 => Requirement::new(k, Operator::Equals, [one]),
                1 => Requirement::new(k, Operator::DoubleEquals, [one]),
                2 => Requirement::new(k, Operator::NotEquals, [one]),
                3 => Requirement::new(k, Operator::In, vs),
                4 => Requirement::new(k, Operator::NotIn, vs),
                5 => Requirement::new(k, Operator::Exists, Vec::<String>::new()),
                6 => Requirement::new(k, Operator::DoesNotExist, Vec::<String>::new()),
                7 => Requirement::new(k, Operator::GreaterThan, [n.to_string()]),
                _ => Requirement::new(k, Operator::LessThan, [n.to_string()]),
            }
            .unwrap()
        })
}

fn selector() -> impl Strategy<Value = Selector> {
    prop::collection::vec(requirement(), 0..4).prop_map(Selector::from_requirements)
}

fn label_set() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop::collection::btree_map(
        prop::sample::select(KEYS.to_vec()),
        prop::sample::select(VALUES.to_vec()),
        0..4,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    })
}

/// A naive reference evaluator, written from the documented rules.
fn naive(s: &Selector, l: &BTreeMap<String, String>) -> bool {
    s.requirements().iter().all(|r| {
        let v = l.get(r.key());
        let vals: BTreeSet<&str> = r.values().iter().map(String::as_str).collect();
        match r.operator() {
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                v.is_some_and(|v| vals.contains(v.as_str()))
            }
            Operator::NotEquals | Operator::NotIn => v.is_none_or(|v| !vals.contains(v.as_str())),
            Operator::Exists => v.is_some(),
            Operator::DoesNotExist => v.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let bound: i64 = r.values()[0].parse().unwrap();
                match v.and_then(|v| v.parse::<i64>().ok()) {
                    Some(n) => {
                        if r.operator() == Operator::GreaterThan {
                            n > bound
                        } else {
                            n < bound
                        }
                    }
                    None => false,
                }
            }
        }
    })
}

/// Every label set over the small universe (each key absent or one of the values).
fn universe() -> Vec<BTreeMap<String, String>> {
    let mut all = vec![BTreeMap::new()];
    for k in KEYS {
        let mut next = Vec::new();
        for m in &all {
            next.push(m.clone());
            for v in VALUES
                .iter()
                .chain(["0", "2", "3", "4", "5", "6", "8", "9", "10", "02", "z"].iter())
            {
                let mut m2 = m.clone();
                m2.insert(k.to_string(), v.to_string());
                next.push(m2);
            }
        }
        all = next;
    }
    all
}

proptest! {
    #[test]
    fn display_parses_back_to_the_same_selector(s in selector()) {
        let text = s.to_string();
        let back = Selector::parse(&text).unwrap();
        prop_assert_eq!(back.to_string(), text);
        prop_assert_eq!(back, s);
    }

    #[test]
    fn display_is_canonical_under_permutation(mut rs in prop::collection::vec(requirement(), 0..4), seed in any::<u64>()) {
        // Distinct keys, so that the stable order of equal keys does not matter.
        let mut seen = BTreeSet::new();
        rs.retain(|r| seen.insert(r.key().to_string()));
        let a = Selector::from_requirements(rs.clone());
        let n = rs.len().max(1);
        rs.rotate_left((seed as usize) % n);
        let text: Vec<String> = rs.iter().map(|r| r.to_string()).collect();
        prop_assert_eq!(Selector::parse(&text.join(",")).unwrap().to_string(), a.to_string());
    }

    #[test]
    fn matches_agrees_with_a_naive_evaluator(s in selector(), l in label_set()) {
        prop_assert_eq!(s.matches(&l), naive(&s, &l));
    }

    #[test]
    fn overlap_is_exact_and_its_witness_matches_both(a in selector(), b in selector()) {
        let brute = universe().into_iter().any(|l| a.matches(&l) && b.matches(&l));
        match a.overlaps(&b) {
            Some(w) => prop_assert!(a.matches(&w) && b.matches(&w), "{:?}", w),
            None => prop_assert!(!brute, "{} and {} overlap", a, b),
        }
    }

    #[test]
    fn subset_agrees_with_brute_force(a in selector(), b in selector()) {
        let brute = universe().into_iter().all(|l| !a.matches(&l) || b.matches(&l));
        prop_assert_eq!(a.is_subset_of(&b), brute, "{} ⊆ {}", a, b);
    }

    #[test]
    fn indexes_agree_with_scans(sels in prop::collection::vec(selector(), 0..30), sets in prop::collection::vec(label_set(), 0..30), probe in label_set()) {
        let mut si = SelectorIndex::new();
        for s in &sels { si.insert(s.clone()); }
        prop_assert_eq!(si.matching(&probe), si.matching_by_scan(&probe));
        let mut li = LabelSetIndex::new();
        for l in &sets { li.insert(l.clone()); }
        for s in &sels {
            let scan: Vec<usize> = (0..sets.len()).filter(|&i| s.matches(&sets[i])).collect();
            prop_assert_eq!(li.matched_by(s), scan);
        }
    }
}

#[test]
fn structured_selectors_validate_their_keys_values_and_operators() {
    use validator::Validate;
    let ls = |v: serde_json::Value| {
        serde_json::from_value::<LabelSelector>(v)
            .unwrap()
            .validate()
            .unwrap_err()
            .to_string()
    };
    let bad_key =
        ls(serde_json::json!({"matchExpressions": [{"key": "-x", "operator": "Exists"}]}));
    assert!(
        bad_key.contains("invalid_label_key") || bad_key.contains("label keys"),
        "{bad_key}"
    );
    let bad_value = ls(
        serde_json::json!({"matchExpressions": [{"key": "x", "operator": "In", "values": ["a b"]}]}),
    );
    assert!(bad_value.contains("label values"), "{bad_value}");
    let no_values =
        ls(serde_json::json!({"matchExpressions": [{"key": "x", "operator": "NotIn"}]}));
    assert!(no_values.contains("expected values"), "{no_values}");
    let extra = ls(
        serde_json::json!({"matchExpressions": [{"key": "x", "operator": "Exists", "values": ["a"]}]}),
    );
    assert!(extra.contains("expected no values"), "{extra}");
}
