//! Documents: the kind-tagged top-level specs a file holds, and loading them.
//!
//! A file holds one or more YAML documents (separated by `---`), or a JSON object or array of
//! objects. Each document is `{apiVersion: cnarch.dev/v1alpha1, kind: <Kind>, ...fields}`.
//!
//! ```
//! let docs = cnarch_core::load_str(r#"
//! apiVersion: cnarch.dev/v1alpha1
//! kind: Microservice
//! name: web
//! image: web:1.0
//! resources: {cpu: "0.5", memory: 1024Mi}
//! "#).unwrap();
//! let cnarch_core::Document::Microservice(ms) = &docs[0] else { unreachable!() };
//! assert_eq!(ms.resources.as_ref().unwrap().cpu.unwrap().to_string(), "500m");
//! assert!(cnarch_core::to_yaml(&docs).unwrap().contains("memory: 1Gi"));
//! ```

use serde::{Deserialize, Serialize};
use serde_norway::{Mapping, Value};

use crate::limits::Limits;

use crate::error::{LoadError, Violation};
use crate::model::{
    data, events, eventsourcing, gateway, mesh, observability, serverless, workload,
};
use crate::validate::locate::locate;
use crate::validate::schema::{scalar_text, typed, Repairs};
use crate::validate::{kinds, Found};

/// The `apiVersion` every document carries.
pub const API_VERSION: &str = "cnarch.dev/v1alpha1";

/// The document kinds, as written in `kind:`.
pub const KINDS: [&str; 11] = [
    "CloudNativeApp",
    "Microservice",
    "ServiceMesh",
    "CloudNativeDB",
    "ServerlessFunction",
    "EventDrivenArchitecture",
    "APIGateway",
    "EventSourcing",
    "ObservabilityStack",
    "ServiceLevelObjectives",
    "DistributedTracing",
];

/// One top-level spec, tagged by its kind.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Document {
    /// `kind: CloudNativeApp`
    CloudNativeApp(workload::CloudNativeApp),
    /// `kind: Microservice`
    Microservice(workload::Microservice),
    /// `kind: ServiceMesh`
    ServiceMesh(mesh::ServiceMesh),
    /// `kind: CloudNativeDB`
    CloudNativeDb(data::CloudNativeDb),
    /// `kind: ServerlessFunction`
    ServerlessFunction(serverless::ServerlessFunction),
    /// `kind: EventDrivenArchitecture`
    EventDrivenArchitecture(events::EventDrivenArchitecture),
    /// `kind: APIGateway`
    ApiGateway(gateway::ApiGateway),
    /// `kind: EventSourcing`
    EventSourcing(eventsourcing::EventSourcing),
    /// `kind: ObservabilityStack`
    ObservabilityStack(observability::ObservabilityStack),
    /// `kind: ServiceLevelObjectives`
    ServiceLevelObjectives(observability::ServiceLevelObjectives),
    /// `kind: DistributedTracing`
    DistributedTracing(observability::DistributedTracing),
}

impl Document {
    /// The `kind:` text.
    pub fn kind(&self) -> &'static str {
        match self {
            Document::CloudNativeApp(_) => KINDS[0],
            Document::Microservice(_) => KINDS[1],
            Document::ServiceMesh(_) => KINDS[2],
            Document::CloudNativeDb(_) => KINDS[3],
            Document::ServerlessFunction(_) => KINDS[4],
            Document::EventDrivenArchitecture(_) => KINDS[5],
            Document::ApiGateway(_) => KINDS[6],
            Document::EventSourcing(_) => KINDS[7],
            Document::ObservabilityStack(_) => KINDS[8],
            Document::ServiceLevelObjectives(_) => KINDS[9],
            Document::DistributedTracing(_) => KINDS[10],
        }
    }

    /// The document's name.
    pub fn name(&self) -> Option<&str> {
        match self {
            Document::CloudNativeApp(d) => Some(&d.name),
            Document::Microservice(d) => Some(&d.name),
            Document::ServiceMesh(d) => Some(&d.name),
            Document::CloudNativeDb(d) => Some(&d.name),
            Document::ServerlessFunction(d) => d.name.as_deref(),
            Document::EventDrivenArchitecture(d) => Some(&d.name),
            Document::ApiGateway(d) => Some(&d.name),
            Document::EventSourcing(d) => Some(&d.name),
            Document::ObservabilityStack(d) => Some(&d.name),
            Document::ServiceLevelObjectives(d) => Some(&d.name),
            Document::DistributedTracing(d) => Some(&d.name),
        }
    }
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    kind: &'static str,
    #[serde(flatten)]
    spec: &'a T,
}

impl Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fn tag<'a, T: Serialize>(kind: &'static str, spec: &'a T) -> Tagged<'a, T> {
            Tagged {
                api_version: API_VERSION,
                kind,
                spec,
            }
        }
        let k = self.kind();
        match self {
            Document::CloudNativeApp(d) => tag(k, d).serialize(s),
            Document::Microservice(d) => tag(k, d).serialize(s),
            Document::ServiceMesh(d) => tag(k, d).serialize(s),
            Document::CloudNativeDb(d) => tag(k, d).serialize(s),
            Document::ServerlessFunction(d) => tag(k, d).serialize(s),
            Document::EventDrivenArchitecture(d) => tag(k, d).serialize(s),
            Document::ApiGateway(d) => tag(k, d).serialize(s),
            Document::EventSourcing(d) => tag(k, d).serialize(s),
            Document::ObservabilityStack(d) => tag(k, d).serialize(s),
            Document::ServiceLevelObjectives(d) => tag(k, d).serialize(s),
            Document::DistributedTracing(d) => tag(k, d).serialize(s),
        }
    }
}

/// Writes documents as YAML, `---`-separated. Loading the text gives equal documents.
pub fn to_yaml(docs: &[Document]) -> Result<String, LoadError> {
    let mut out = String::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&serde_norway::to_string(d).map_err(|e| LoadError::Syntax {
            message: e.to_string(),
            line: None,
            column: None,
        })?);
    }
    Ok(out)
}

/// Writes documents as a pretty JSON array. Loading the text gives equal documents.
pub fn to_json(docs: &[Document]) -> Result<String, LoadError> {
    serde_json::to_string_pretty(docs).map_err(|e| LoadError::Syntax {
        message: e.to_string(),
        line: None,
        column: None,
    })
}

/// Loads and validates every document in a YAML or JSON text. On failure the error holds every
/// violation of every document.
///
/// Each violation carries the line and column of the value at its path (or, for a missing
/// value, of the nearest enclosing one), and a document's violations come in the order of the
/// text.
///
/// The text is first checked against the default [`Limits`] (64 MiB, nesting depth 128) in
/// linear time; [`load_str_with`] sets other limits.
pub fn load_str(text: &str) -> Result<Vec<Document>, LoadError> {
    load_str_with(text, &Limits::DEFAULT)
}

/// [`load_str`] with the caller's input limits.
pub fn load_str_with(text: &str, limits: &Limits) -> Result<Vec<Document>, LoadError> {
    crate::limits::check(text, limits).map_err(|e| LoadError::TooLarge {
        message: e.message,
        line: e.line,
        column: e.column,
    })?;
    match load_values(parse_values(text)?) {
        Err(LoadError::Invalid { mut violations }) => {
            if let Some(at) = locate(text, is_json(text)) {
                for v in &mut violations {
                    if let Some((line, column)) = at.find(v.document, &v.path) {
                        v.line = Some(u32::try_from(line).unwrap_or(u32::MAX));
                        v.column = Some(u32::try_from(column).unwrap_or(u32::MAX));
                    }
                }
                // Documents stay in order; inside one, source order (ties keep path order).
                violations.sort_by_key(|v| {
                    (
                        v.document,
                        v.line.unwrap_or(u32::MAX),
                        v.column.unwrap_or(0),
                    )
                });
            }
            Err(LoadError::Invalid { violations })
        }
        other => other,
    }
}

/// The loader reads a text that starts with `{` or `[` as JSON.
fn is_json(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// Loads and validates documents that are already data: one JSON object or an array of them,
/// as in a JSON file (for example a binding's dicts or objects converted to a JSON value), with
/// the same rules and paths as [`load_str`].
pub fn load_json_value(value: serde_json::Value) -> Result<Vec<Document>, LoadError> {
    let values = json_documents(value)
        .into_iter()
        .map(|j| serde_norway::to_value(j).map_err(syntax_yaml))
        .collect::<Result<Vec<_>, _>>()?;
    load_values(values)
}

/// Every violation in documents given as data (see [`load_json_value`]); empty when valid.
pub fn validate_json_value(value: serde_json::Value) -> Vec<Violation> {
    match load_json_value(value) {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid { violations }) => violations,
        Err(e @ (LoadError::Syntax { .. } | LoadError::TooLarge { .. })) => {
            vec![Violation::at("", e.code(), e.to_string())]
        }
    }
}

/// A JSON array is a list of documents; anything else is one document.
fn json_documents(value: serde_json::Value) -> Vec<serde_json::Value> {
    match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    }
}

fn load_values(values: Vec<Value>) -> Result<Vec<Document>, LoadError> {
    let mut docs = Vec::with_capacity(values.len());
    let mut violations = Vec::new();
    for (index, value) in values.into_iter().enumerate() {
        let (doc, mut found, repairs) = decode(index, value);
        if let Some(doc) = doc {
            for mut v in rules_of(&doc) {
                v.path = repairs.original_path(&v.path);
                if !repairs.was_removed(&v.path) {
                    found.push(v.at(index, doc.name()));
                }
            }
            docs.push(doc);
        }
        found.sort_by(|a, b| (&a.path, &a.code).cmp(&(&b.path, &b.code)));
        violations.extend(found);
    }
    if violations.is_empty() {
        Ok(docs)
    } else {
        Err(LoadError::Invalid { violations })
    }
}

/// Validates documents built in code (the same rules `load_str` applies).
pub fn validate(docs: &[Document]) -> Vec<Violation> {
    let mut out = Vec::new();
    for (index, doc) in docs.iter().enumerate() {
        let mut found: Vec<Violation> = rules_of(doc)
            .into_iter()
            .map(|v| v.at(index, doc.name()))
            .collect();
        found.sort_by(|a, b| (&a.path, &a.code).cmp(&(&b.path, &b.code)));
        out.extend(found);
    }
    out
}

fn syntax_yaml(e: serde_norway::Error) -> LoadError {
    let loc = e.location();
    let mut message = e.to_string();
    if let Some(first) = message.get(..1) {
        message = first.to_lowercase() + &message[1..];
    }
    LoadError::Syntax {
        message,
        line: loc.as_ref().map(|l| l.line()),
        column: loc.as_ref().map(|l| l.column()),
    }
}

/// Splits the text into one value per document.
fn parse_values(text: &str) -> Result<Vec<Value>, LoadError> {
    if is_json(text) {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LoadError::Syntax {
                message: e.to_string(),
                line: Some(e.line()),
                column: Some(e.column()),
            })?;
        return json_documents(json)
            .into_iter()
            .map(|j| serde_norway::to_value(j).map_err(syntax_yaml))
            .collect();
    }
    let mut out = Vec::new();
    for de in serde_norway::Deserializer::from_str(text) {
        let v = Value::deserialize(de).map_err(syntax_yaml)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

fn str_field<'a>(m: &'a Mapping, key: &str) -> Option<&'a Value> {
    m.get(Value::String(key.to_string()))
}

/// Turns one document value into a typed document, collecting every schema violation.
fn decode(index: usize, value: Value) -> (Option<Document>, Vec<Violation>, Repairs) {
    let Value::Mapping(mut map) = value else {
        let v = Found::new(
            "",
            "invalid_type",
            "expected a mapping with `apiVersion` and `kind`, found another value",
        );
        return (None, vec![v.at(index, None)], Repairs::default());
    };
    let name = str_field(&map, "name")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut out = Vec::new();
    let mut push = |f: Found| out.push(f.at(index, name.as_deref()));
    match map.shift_remove(Value::String("apiVersion".into())) {
        Some(Value::String(v)) if v == API_VERSION => {}
        Some(other) => push(Found::new(
            "apiVersion",
            "invalid_api_version",
            format!("expected `{API_VERSION}`, found `{}`", scalar_text(&other)),
        )),
        None => push(Found::new(
            "apiVersion",
            "missing_field",
            format!("expected `apiVersion: {API_VERSION}`, found nothing"),
        )),
    }
    let kind = match map.shift_remove(Value::String("kind".into())) {
        Some(Value::String(k)) if KINDS.contains(&k.as_str()) => k,
        Some(other) => {
            push(Found::new(
                "kind",
                "unknown_kind",
                format!(
                    "expected one of {}, found `{}`",
                    KINDS.join(", "),
                    scalar_text(&other)
                ),
            ));
            return (None, out, Repairs::default());
        }
        None => {
            push(Found::new(
                "kind",
                "missing_field",
                format!(
                    "expected `kind:` with one of {}, found nothing",
                    KINDS.join(", ")
                ),
            ));
            return (None, out, Repairs::default());
        }
    };
    let mut body = Value::Mapping(map);
    let (doc, found, repairs) = match kind.as_str() {
        "CloudNativeApp" => typed(&mut body, Document::CloudNativeApp),
        "Microservice" => typed(&mut body, Document::Microservice),
        "ServiceMesh" => typed(&mut body, Document::ServiceMesh),
        "CloudNativeDB" => typed(&mut body, Document::CloudNativeDb),
        "ServerlessFunction" => typed(&mut body, Document::ServerlessFunction),
        "EventDrivenArchitecture" => typed(&mut body, Document::EventDrivenArchitecture),
        "APIGateway" => typed(&mut body, Document::ApiGateway),
        "EventSourcing" => typed(&mut body, Document::EventSourcing),
        "ObservabilityStack" => typed(&mut body, Document::ObservabilityStack),
        "ServiceLevelObjectives" => typed(&mut body, Document::ServiceLevelObjectives),
        _ => typed(&mut body, Document::DistributedTracing),
    };
    for f in found {
        push(f);
    }
    (doc, out, repairs)
}

/// Every violation of one document's rules (paths relative to the document).
fn rules_of(doc: &Document) -> Vec<Found> {
    let mut out = Vec::new();
    match doc {
        Document::CloudNativeApp(d) => kinds::cloud_native_app(d, &mut out),
        Document::Microservice(d) => kinds::microservice(d, &mut out),
        Document::ServiceMesh(d) => kinds::mesh(d, &mut out),
        Document::CloudNativeDb(d) => kinds::database(d, &mut out),
        Document::ServerlessFunction(d) => kinds::function(d, &mut out),
        Document::EventDrivenArchitecture(d) => kinds::events(d, &mut out),
        Document::ApiGateway(d) => kinds::gateway(d, &mut out),
        Document::EventSourcing(d) => kinds::event_sourcing(d, &mut out),
        Document::ObservabilityStack(d) => kinds::observability(d, &mut out),
        Document::ServiceLevelObjectives(d) => kinds::objectives(d, &mut out),
        Document::DistributedTracing(d) => kinds::tracing(d, &mut out),
    }
    out
}
