//! Label selectors from plain data: the structured `LabelSelector` form (`matchLabels`,
//! `matchExpressions`) is Kubernetes-shaped and read as written in every language.

use serde_json::Value;

use super::{read, Error, ErrorKind, Host};
use crate::error::Violation;
use crate::labels::Selector;
use crate::model::data::LabelSelector;

const AS_WRITTEN: Host = Host::RUST;

/// The operators a structured selector takes, as apimachinery's `LabelSelectorAsSelector`.
const OPERATORS: [&str; 4] = ["In", "NotIn", "Exists", "DoesNotExist"];

/// A structured selector as `LabelSelectorAsSelector` converts it: absent or `null` selects
/// nothing, `{}` everything. An operator other than the four is a selector error
/// (`invalid_selector_operator`) naming `matchExpressions[i].operator`.
pub fn from_label_selector(host: Host, data: Option<&Value>) -> Result<Selector, Error> {
    let Some(data) = data.filter(|d| !d.is_null()) else {
        return Ok(Selector::nothing());
    };
    if let Some(list) = data.get("matchExpressions").and_then(Value::as_array) {
        for (i, e) in list.iter().enumerate() {
            match e.get("operator") {
                Some(Value::String(op)) if OPERATORS.contains(&op.as_str()) => {}
                Some(found) => return Err(bad_operator(i, found)),
                None => {}
            }
        }
    }
    let ls: LabelSelector = read(AS_WRITTEN, data, "data", &[])?;
    Selector::from_label_selector(Some(&ls)).map_err(|e| host.error(&e))
}

fn bad_operator(i: usize, found: &Value) -> Error {
    let path = format!("matchExpressions[{i}].operator");
    let found = match found {
        Value::String(s) => format!("`{s}`"),
        other => super::kind_of(other).to_string(),
    };
    let node = if matches!(found.as_str(), "`Gt`" | "`Lt`") {
        " (`Gt` and `Lt` are node-selector operators)"
    } else {
        ""
    };
    let message = format!(
        "{path}: expected one of `In`, `NotIn`, `Exists`, `DoesNotExist`, found {found}{node}"
    );
    Error {
        kind: ErrorKind::Parse,
        code: "invalid_selector_operator",
        violations: vec![Violation::at(
            &path,
            "invalid_selector_operator",
            message.clone(),
        )],
        message,
        path: Some(path),
        position: None,
    }
}
