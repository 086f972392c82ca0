//! The bundled example architecture loads, round-trips through YAML and JSON, and every broken
//! example yields exactly its documented violations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use cnarch_core::{load_str, to_json, to_yaml, Document, LoadError, KINDS};

use common::repo;

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn example_architecture_loads_with_every_kind() {
    let docs = load_str(&read("examples/architecture.yaml")).unwrap_or_else(|e| panic!("{e:#?}"));
    let kinds: BTreeSet<&str> = docs.iter().map(Document::kind).collect();
    assert_eq!(kinds, KINDS.iter().copied().collect::<BTreeSet<_>>());
    let Document::Microservice(ms) = &docs[1] else {
        panic!("second document is the microservice")
    };
    assert_eq!(ms.name, "user-service");
    assert_eq!(ms.replicas, Some(3));
    let res = ms.resources.as_ref().unwrap();
    assert_eq!(res.cpu.unwrap().milli_value(), 500);
    assert_eq!(res.memory.unwrap().value(), 512 * 1024 * 1024);
    let scaling = ms.scaling.as_ref().unwrap();
    assert_eq!(
        (
            scaling.min_replicas,
            scaling.max_replicas,
            scaling.target_cpu,
            scaling.target_memory
        ),
        (2, 10, Some(70), Some(80))
    );
}

#[test]
fn yaml_and_json_round_trip() {
    let docs = load_str(&read("examples/architecture.yaml")).unwrap();
    let yaml = to_yaml(&docs).unwrap();
    assert_eq!(load_str(&yaml).unwrap(), docs, "yaml:\n{yaml}");
    let json = to_json(&docs).unwrap();
    assert_eq!(load_str(&json).unwrap(), docs, "json:\n{json}");
    // Documents as data (what the bindings pass): an array, or one object.
    let data = serde_json::to_value(&docs).unwrap();
    assert_eq!(cnarch_core::load_json_value(data.clone()).unwrap(), docs);
    assert_eq!(
        cnarch_core::load_json_value(data[1].clone()).unwrap(),
        vec![docs[1].clone()]
    );
    assert_eq!(cnarch_core::validate_json_value(data), vec![]);
    // A single JSON object is one document too.
    let one = serde_json::to_string(&docs[0]).unwrap();
    assert_eq!(load_str(&one).unwrap(), vec![docs[0].clone()]);
}

#[derive(serde::Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    document: usize,
    path: String,
    code: String,
}

#[test]
fn broken_examples_yield_exactly_their_violations() {
    let dir = repo().join("examples/broken");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let expected_path = path.with_extension("expected.json");
        let mut expected: Vec<Expected> =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let err = load_str(&text).expect_err(&format!("{} should not load", path.display()));
        let LoadError::Invalid { violations } = err else {
            panic!("{}: {err}", path.display())
        };
        for v in &violations {
            assert!(
                !v.message.is_empty() && !v.message.ends_with('.'),
                "message style: {v}"
            );
        }
        let mut got: Vec<Expected> = violations
            .iter()
            .map(|v| Expected {
                document: v.document,
                path: v.path.clone(),
                code: v.code.clone(),
            })
            .collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{}: {violations:#?}", path.display());
        checked += 1;
    }
    assert!(
        checked >= 4,
        "expected the broken examples, found {checked}"
    );
}

#[test]
fn syntax_errors_carry_a_position() {
    let err = load_str("apiVersion: cnarch.dev/v1alpha1\nkind: [unclosed\n").unwrap_err();
    let LoadError::Syntax { line, .. } = err else {
        panic!("{err:?}")
    };
    assert!(matches!(line, Some(2..=3)), "{line:?}");
    let err = load_str("{\"kind\": }").unwrap_err();
    assert_eq!(err.code(), "syntax_error");
}

#[test]
fn violations_name_the_document() {
    let err = load_str("apiVersion: cnarch.dev/v1alpha1\nkind: Microservice\nname: api\nimage: api:1\nreplicas: many\n").unwrap_err();
    let v = &err.violations()[0];
    assert_eq!(
        (
            v.document,
            v.name.as_deref(),
            v.path.as_str(),
            v.code.as_str()
        ),
        (0, Some("api"), "replicas", "invalid_type")
    );
    assert_eq!(v.to_string(), "document 0 (`api`) at `replicas` (line 5, column 11): invalid type: expected a 32-bit integer, found the string `many`");
    let err = load_str(
        "apiVersion: cnarch.dev/v1alpha1\nkind: Microservice\nname: api\nresources: [1]\n",
    )
    .unwrap_err();
    let got: Vec<(&str, &str, &str)> = err
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.code.as_str(), v.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "image",
                "missing_field",
                "missing field: expected `image`, found nothing"
            ),
            (
                "resources",
                "invalid_type",
                "invalid type: expected a mapping, found a list"
            ),
        ]
    );
}

#[test]
fn list_items_removed_during_recovery_keep_their_original_index() {
    let text = "apiVersion: cnarch.dev/v1alpha1\nkind: APIGateway\nname: g\nresources:\n  - {path: /a, methods: [FETCH]}\n  - {path: b}\n";
    let err = load_str(text).unwrap_err();
    let got: Vec<(&str, &str)> = err
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.code.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("resources[0].methods[0]", "invalid_enum"),
            ("resources[1].path", "invalid_http_path")
        ]
    );
}
