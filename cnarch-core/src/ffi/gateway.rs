//! API Gateway route selection from plain data: route keys as strings (or a REST API as the
//! model writes it), answers as plain data in the host's spelling.

use serde_json::{json, Map, Value};

use super::{kind_of, Error, Host};
use crate::document::Document;
use crate::gateway::{Router, Selection};

/// A router from a list of route keys (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`).
pub fn router(host: Host, routes: &Value) -> Result<Router, Error> {
    let Value::Array(items) = routes else {
        return Err(Error::type_error(
            "routes",
            "a list of route keys",
            kind_of(routes),
        ));
    };
    let mut keys = Vec::with_capacity(items.len());
    for (i, k) in items.iter().enumerate() {
        match k {
            Value::String(s) => keys.push(s.as_str()),
            other => {
                return Err(Error::type_error(
                    &format!("routes[{i}]"),
                    "a route key (a string)",
                    kind_of(other),
                ))
            }
        }
    }
    Router::new(&keys).map_err(|e| host.error(&e))
}

/// A router from a REST API as the model writes it (an `APIGateway` without `apiVersion` and
/// `kind`; `name` may be left out): its resources' and methods' route keys.
pub fn router_from_api(host: Host, api: &Value) -> Result<Router, Error> {
    let Document::ApiGateway(a) = super::serverless::document(api, "api", "APIGateway")? else {
        return Err(Error::internal("an APIGateway loaded as another kind"));
    };
    Router::from_api_gateway(&a).map_err(|e| host.error(&e))
}

/// The answer for `method` and `path`: `{route_key, status, path_parameters, rule}`, and for
/// a 404 API Gateway's `body`.
pub fn select(host: Host, r: &Router, method: &str, path: &str) -> Result<Value, Error> {
    let s = r.select(method, path);
    let mut out = host.output(&json!({
        "route_key": s.route_key,
        "status": s.status,
        "rule": s.rule,
    }))?;
    // the parameters' names are the routes', never re-spelled
    let params: Map<String, Value> = s
        .path_parameters
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    out[host.name("path_parameters")] = Value::Object(params);
    if s.status == 404 {
        out["body"] = Value::String(Selection::NOT_FOUND_BODY.to_string());
    }
    Ok(out)
}

/// The router's route keys, in the order given.
pub fn keys(r: &Router) -> Vec<String> {
    r.keys().into_iter().map(str::to_string).collect()
}
