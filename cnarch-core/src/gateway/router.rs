//! API Gateway HTTP API route selection: many route keys compiled into one trie, a request
//! selected in API Gateway's order (a full match of route and method, then a greedy
//! `{proxy+}` route, then `$default`, else 404).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use crate::error::{ErrorKind, ServiceError};
use crate::model::gateway::{ApiGateway, HttpMethod};

/// Why a route key was refused (code `invalid_route_key`).
pub type GatewayError = ServiceError;

/// The methods a route key may name, `ANY` last.
const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
];
const ANY: usize = 7;

fn key_error(index: usize, key: &str, why: String) -> GatewayError {
    ServiceError::new(
        "invalid_route_key",
        ErrorKind::Config,
        &format!("routes[{index}]"),
        format!("route key {key:?}: {why}"),
    )
}

/// One segment of a route's path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Param(String),
    Greedy(String),
}

/// A route key, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Route {
    key: String,
    parts: Vec<Part>,
}

/// A method table: the route index for each method, `ANY` included.
#[derive(Debug, Clone, Default)]
struct Methods([Option<u32>; 8]);

impl Methods {
    /// The route for `method`: its own, else `ANY`'s.
    fn pick(&self, method: Option<usize>) -> Option<u32> {
        method.and_then(|m| self.0[m]).or(self.0[ANY])
    }
}

#[derive(Debug, Clone, Default)]
struct Node {
    literal: HashMap<String, u32, foldhash::fast::FixedState>,
    param: Option<u32>,
    /// Routes ending here.
    here: Methods,
    /// Greedy routes (`{x+}`) hanging here.
    greedy: Methods,
}

/// The routes of an HTTP API, compiled.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<Route>,
    nodes: Vec<Node>,
    default: Option<u32>,
}

/// The answer for a request (borrowing the router's keys and the request's path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selection<'a> {
    /// The selected route key; `None` for a 404.
    pub route_key: Option<&'a str>,
    /// 200 when a route was selected, 404 otherwise.
    pub status: u16,
    /// The path parameters (a greedy one holds the rest of the path), percent-decoded.
    pub path_parameters: Vec<(&'a str, Cow<'a, str>)>,
    /// How it was selected: `exact`, `greedy`, `default` or `not_found`.
    pub rule: &'static str,
}

impl Selection<'_> {
    /// API Gateway's 404 body.
    pub const NOT_FOUND_BODY: &'static str = r#"{"message":"Not Found"}"#;
}

fn param_name(seg: &str) -> Option<(&str, bool)> {
    let inner = seg.strip_prefix('{')?.strip_suffix('}')?;
    match inner.strip_suffix('+') {
        Some(n) => Some((n, true)),
        None => Some((inner, false)),
    }
}

fn parse_key(index: usize, key: &str) -> Result<Option<(usize, Route)>, GatewayError> {
    if key == "$default" {
        return Ok(None);
    }
    let Some((method, path)) = key.split_once(' ') else {
        return Err(key_error(
            index,
            key,
            "expected `METHOD /path` or `$default`".to_string(),
        ));
    };
    let Some(m) = METHODS.iter().position(|x| *x == method) else {
        return Err(key_error(
            index,
            key,
            format!(
                "unknown method `{method}`, expected one of {}",
                METHODS.join(", ")
            ),
        ));
    };
    if !path.starts_with('/') {
        return Err(key_error(
            index,
            key,
            "the path must start with `/`".to_string(),
        ));
    }
    let mut parts = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    let body = &path[1..];
    let segs: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body.split('/').collect()
    };
    for (i, seg) in segs.iter().enumerate() {
        if seg.is_empty() {
            return Err(key_error(
                index,
                key,
                "empty path segment (`//` or a trailing `/`)".to_string(),
            ));
        }
        match param_name(seg) {
            Some((name, greedy)) => {
                if name.is_empty()
                    || !name
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
                {
                    return Err(key_error(
                        index,
                        key,
                        format!("path variable `{seg}`: a name of letters, digits, `_`, `-` or `.` is expected"),
                    ));
                }
                if names.contains(&name) {
                    return Err(key_error(
                        index,
                        key,
                        format!("path variable `{name}` appears twice"),
                    ));
                }
                names.push(name);
                if greedy {
                    if i + 1 != segs.len() {
                        return Err(key_error(
                            index,
                            key,
                            format!("greedy path variable `{seg}` must be the last segment"),
                        ));
                    }
                    parts.push(Part::Greedy(name.to_string()));
                } else {
                    parts.push(Part::Param(name.to_string()));
                }
            }
            None => {
                if seg.contains(['{', '}']) {
                    return Err(key_error(
                        index,
                        key,
                        format!("segment `{seg}`: a path variable is a whole segment, `{{name}}` or `{{name+}}`"),
                    ));
                }
                parts.push(Part::Literal(seg.to_string()));
            }
        }
    }
    Ok(Some((
        m,
        Route {
            key: key.to_string(),
            parts,
        },
    )))
}

/// Percent-decodes `s` (as API Gateway decodes parameters); undecodable text is kept as is.
fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).map_or(Cow::Borrowed(s), Cow::Owned)
}

/// Segments kept on the stack up to this many (longer paths use the heap).
const INLINE: usize = 16;

impl Router {
    /// Compiles route keys (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`). A malformed key,
    /// the same key twice, or two keys that differ only in their variables' names are
    /// refused, naming the key's index.
    pub fn new<S: AsRef<str>>(keys: &[S]) -> Result<Router, GatewayError> {
        let mut r = Router {
            routes: Vec::new(),
            nodes: vec![Node::default()],
            default: None,
        };
        for (i, k) in keys.iter().enumerate() {
            let k = k.as_ref();
            let Some((m, route)) = parse_key(i, k)? else {
                if r.default.is_some() {
                    return Err(key_error(i, k, "`$default` is given twice".to_string()));
                }
                r.default = Some(r.routes.len() as u32);
                r.routes.push(Route {
                    key: k.to_string(),
                    parts: Vec::new(),
                });
                continue;
            };
            let mut node = 0usize;
            let mut greedy = false;
            for p in &route.parts {
                match p {
                    Part::Literal(s) => {
                        let next = r.nodes.len() as u32;
                        let child = *r.nodes[node].literal.entry(s.clone()).or_insert(next);
                        if child == next {
                            r.nodes.push(Node::default());
                        }
                        node = child as usize;
                    }
                    Part::Param(_) => {
                        let child = match r.nodes[node].param {
                            Some(c) => c,
                            None => {
                                let c = r.nodes.len() as u32;
                                r.nodes.push(Node::default());
                                r.nodes[node].param = Some(c);
                                c
                            }
                        };
                        node = child as usize;
                    }
                    Part::Greedy(_) => greedy = true,
                }
            }
            let id = r.routes.len() as u32;
            let table = if greedy {
                &mut r.nodes[node].greedy
            } else {
                &mut r.nodes[node].here
            };
            if let Some(prev) = table.0[m] {
                let prev = &r.routes[prev as usize].key;
                let why = if prev == k {
                    "the same route key is given twice".to_string()
                } else {
                    format!("it matches the same requests as `{prev}` (only the variables' names differ)")
                };
                return Err(key_error(i, k, why));
            }
            table.0[m] = Some(id);
            r.routes.push(route);
        }
        Ok(r)
    }

    /// The route keys of a REST API as the model writes it: each resource's path with each
    /// of its methods, and each method's `httpMethod` and `resource`, without repeats.
    pub fn from_api_gateway(api: &ApiGateway) -> Result<Router, GatewayError> {
        let name = |m: &HttpMethod| -> &'static str {
            match m {
                HttpMethod::Get => "GET",
                HttpMethod::Post => "POST",
                HttpMethod::Put => "PUT",
                HttpMethod::Patch => "PATCH",
                HttpMethod::Delete => "DELETE",
                HttpMethod::Head => "HEAD",
                HttpMethod::Options => "OPTIONS",
                HttpMethod::Any => "ANY",
            }
        };
        let mut keys: Vec<String> = Vec::new();
        let mut push = |k: String| {
            if !keys.contains(&k) {
                keys.push(k);
            }
        };
        for res in &api.resources {
            for m in &res.methods {
                push(format!("{} {}", name(m), res.path));
            }
        }
        for m in &api.methods {
            push(format!("{} {}", name(&m.http_method), m.resource));
        }
        Router::new(&keys)
    }

    /// The route keys, as given.
    pub fn keys(&self) -> Vec<&str> {
        self.routes.iter().map(|r| r.key.as_str()).collect()
    }

    /// Selects the route for `method` and `path` (a query string is ignored).
    pub fn select<'a>(&'a self, method: &str, path: &'a str) -> Selection<'a> {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let m = METHODS[..ANY].iter().position(|x| *x == method);
        let body = path.strip_prefix('/').unwrap_or(path);
        let mut inline = [""; INLINE];
        let mut heap: Vec<&str> = Vec::new();
        let mut n = 0;
        if !body.is_empty() {
            for seg in body.split('/') {
                if n < INLINE {
                    inline[n] = seg;
                } else {
                    if heap.is_empty() {
                        heap.extend_from_slice(&inline);
                    }
                    heap.push(seg);
                }
                n += 1;
            }
        }
        let segs: &[&str] = if n <= INLINE { &inline[..n] } else { &heap };
        if let Some(id) = self.exact(0, segs, m) {
            return self.answer(id, body, segs, "exact");
        }
        let mut best: Option<(usize, u32)> = None;
        self.greedy(0, segs, 0, m, &mut best);
        if let Some((_, id)) = best {
            return self.answer(id, body, segs, "greedy");
        }
        match self.default {
            Some(id) => Selection {
                route_key: Some(self.routes[id as usize].key.as_str()),
                status: 200,
                path_parameters: Vec::new(),
                rule: "default",
            },
            None => Selection {
                route_key: None,
                status: 404,
                path_parameters: Vec::new(),
                rule: "not_found",
            },
        }
    }

    /// A full match: literal segments before variables, backtracking when a branch has no
    /// route for the method.
    fn exact(&self, node: usize, segs: &[&str], m: Option<usize>) -> Option<u32> {
        let n = &self.nodes[node];
        let Some((first, rest)) = segs.split_first() else {
            return n.here.pick(m);
        };
        if let Some(&c) = n.literal.get(*first) {
            if let Some(id) = self.exact(c as usize, rest, m) {
                return Some(id);
            }
        }
        if first.is_empty() {
            return None;
        }
        n.param.and_then(|c| self.exact(c as usize, rest, m))
    }

    /// The deepest greedy route whose prefix matches and which leaves at least one segment
    /// to the variable (literal prefixes before variable ones at the same depth).
    fn greedy(
        &self,
        node: usize,
        segs: &[&str],
        depth: usize,
        m: Option<usize>,
        best: &mut Option<(usize, u32)>,
    ) {
        let n = &self.nodes[node];
        if !segs.is_empty() && segs.iter().any(|s| !s.is_empty()) {
            if let Some(id) = n.greedy.pick(m) {
                if best.is_none_or(|(d, _)| depth > d) {
                    *best = Some((depth, id));
                }
            }
        }
        let Some((first, rest)) = segs.split_first() else {
            return;
        };
        if let Some(&c) = n.literal.get(*first) {
            self.greedy(c as usize, rest, depth + 1, m, best);
        }
        if !first.is_empty() {
            if let Some(c) = n.param {
                self.greedy(c as usize, rest, depth + 1, m, best);
            }
        }
    }

    fn answer<'a>(
        &'a self,
        id: u32,
        body: &'a str,
        segs: &[&'a str],
        rule: &'static str,
    ) -> Selection<'a> {
        let route = &self.routes[id as usize];
        let mut params = Vec::new();
        for (i, p) in route.parts.iter().enumerate() {
            match p {
                Part::Literal(_) => {}
                Part::Param(name) => {
                    if let Some(v) = segs.get(i) {
                        params.push((name.as_str(), decode(v)));
                    }
                }
                Part::Greedy(name) => {
                    // the rest of the path from segment i on, as written
                    let from: usize = segs.iter().take(i).map(|s| s.len() + 1).sum();
                    params.push((name.as_str(), decode(body.get(from..).unwrap_or(""))));
                }
            }
        }
        Selection {
            route_key: Some(route.key.as_str()),
            status: 200,
            path_parameters: params,
            rule,
        }
    }
}
