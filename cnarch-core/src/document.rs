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

use crate::error::{LoadError, Violation};
use crate::model::{
    data, events, eventsourcing, gateway, mesh, observability, serverless, workload,
};

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
pub fn load_str(text: &str) -> Result<Vec<Document>, LoadError> {
    load_values(parse_values(text)?)
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
        Err(LoadError::Syntax { message, .. }) => {
            vec![Violation {
                document: 0,
                name: None,
                path: String::new(),
                code: "syntax_error".into(),
                message,
            }]
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
            for mut v in crate::validate::document(&doc) {
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
        let mut found: Vec<Violation> = crate::validate::document(doc)
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
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
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

/// A violation relative to one document, before its index is known.
pub(crate) struct Found {
    pub path: String,
    pub code: String,
    pub message: String,
}

impl Found {
    pub(crate) fn new(
        path: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Found {
        Found {
            path: path.into(),
            code: code.into(),
            message: message.into(),
        }
    }

    pub(crate) fn at(self, document: usize, name: Option<&str>) -> Violation {
        Violation {
            document,
            name: name.map(str::to_string),
            path: self.path,
            code: self.code,
            message: self.message,
        }
    }
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

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "null".to_string(),
        _ => "a collection".to_string(),
    }
}

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
        render(&self.to_original(&parse_path(path)))
    }

    /// Was the value at this original path removed (so rules about it are moot)?
    pub(crate) fn was_removed(&self, path: &str) -> bool {
        self.removed.iter().any(|r| r == path)
    }
}

/// Parses `a.b[0].c` (the inverse of [`render`] for keys without `.` or `[`).
fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                out.push(Seg::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(r) = rest.strip_prefix('[') {
                let Some(close) = r.find(']') else { break };
                match r[..close].parse() {
                    Ok(n) => out.push(Seg::Index(n)),
                    Err(_) => out.push(Seg::Key(r[..close].to_string())),
                }
                rest = &r[close + 1..];
            }
        } else {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

/// Deserializes `body` as `T`. On an error, records it, removes the offending value and tries
/// again, so that every independent mistake is reported at once.
fn typed<T: serde::de::DeserializeOwned>(
    body: &mut Value,
    wrap: fn(T) -> Document,
) -> (Option<Document>, Vec<Found>, Repairs) {
    let mut found = Vec::new();
    let mut repairs = Repairs::default();
    loop {
        match serde_path_to_error::deserialize::<_, T>(&*body) {
            // Even after removals the rest is returned, so its rules are checked too.
            Ok(v) => return (Some(wrap(v)), found, repairs),
            Err(e) => {
                let segments: Vec<Seg> = e.path().iter().filter_map(Seg::from_segment).collect();
                let message = humanize(&e.inner().to_string());
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
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => Ok(t),
        Err(e) => {
            let mut segs: Vec<Seg> = prefix_segments(prefix);
            segs.extend(e.path().iter().filter_map(Seg::from_segment));
            let message = humanize(&e.inner().to_string());
            let (code, at) = classify(&message, segs);
            Err(Violation::at(render(&at), code, message))
        }
    }
}

/// `a.b[0].c` as segments.
fn prefix_segments(prefix: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in prefix.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segs.push(Seg::Key(key.to_string()));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                segs.push(Seg::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    segs
}

/// A path step inside a document value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn from_segment(s: &serde_path_to_error::Segment) -> Option<Seg> {
        match s {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            _ => None,
        }
    }
}

/// Renders `a.b[0].c`.
pub(crate) fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
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
    } else if has("URL") {
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
