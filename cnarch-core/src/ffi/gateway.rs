//! API Gateway route selection from plain data: route keys as strings (or a REST API as the
//! model writes it), answers as plain data in the host's spelling.

use serde_json::{json, Map, Value};

use super::{kind_of, Error, Fields, Host};
use crate::document::Document;
use crate::gateway::cors::{self, CorsRequest, Verdict};
use crate::gateway::throttle::{
    CacheSettings, Limit, StageCache, Throttle, ThrottleSettings, Throttled,
};
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
    let Document::ApiGateway(a) = super::model_document(api, "api", "APIGateway")? else {
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

/// A cross-origin request from plain data: `{origin, method, headers, credentials}`;
/// `headers` a mapping or a list of `[name, value]`, `credentials` a boolean or the Fetch
/// credentials mode (`include`, `same-origin`, `omit`; only `include` sends them).
pub fn cors_request(host: Host, v: &Value) -> Result<CorsRequest, Error> {
    let f = Fields::new(
        host,
        Some(v),
        "request",
        &["origin", "method", "headers", "credentials"],
    )?;
    let required = |k: &str| -> Result<String, Error> {
        f.string(k)?.ok_or_else(|| {
            Error::type_error(&host.name(&format!("request.{k}")), "a string", "nothing")
        })
    };
    let credentials = match f.value("credentials") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(Value::String(m)) if m == "include" => true,
        Some(Value::String(m)) if m == "same-origin" || m == "omit" => false,
        Some(other) => {
            return Err(Error::type_error(
                &host.name("request.credentials"),
                "a boolean or `include`, `same-origin`, `omit`",
                kind_of(other),
            ))
        }
    };
    Ok(CorsRequest {
        origin: required("origin")?,
        method: required("method")?,
        headers: header_list(host, f.value("headers"), "request.headers")?,
        credentials,
    })
}

/// Headers from a mapping or a list of `[name, value]` pairs.
pub fn header_list(
    host: Host,
    v: Option<&Value>,
    at: &str,
) -> Result<Vec<(String, String)>, Error> {
    let bad = |found: &Value| {
        Error::type_error(
            &host.name(at),
            "headers as a mapping of names to strings or a list of [name, value]",
            kind_of(found),
        )
    };
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, x)| {
                x.as_str()
                    .map(|s| (k.clone(), s.to_string()))
                    .ok_or_else(|| bad(x))
            })
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([Value::String(n), Value::String(x)]) => Ok((n.clone(), x.clone())),
                _ => Err(bad(p)),
            })
            .collect(),
        Some(other) => Err(bad(other)),
    }
}

fn verdict(v: &Verdict) -> Value {
    json!({"ok": v.ok, "rule": v.rule, "detail": v.detail})
}

/// Fetch's CORS check of a response (its headers) to `request`: `{ok, rule, detail}`.
pub fn cors_check(host: Host, request: &Value, response_headers: &Value) -> Result<Value, Error> {
    let req = cors_request(host, request)?;
    let h = header_list(host, Some(response_headers), "response_headers")?;
    host.output(&verdict(&cors::cors_check(&req, &h)))
}

/// Whether `request` needs a preflight and Fetch's verdict on the preflight's answer
/// (`response_headers` absent: none was answered): `{needed, unsafe_headers, method, ok,
/// rule, detail, max_age}` (`max_age` in the host's unit).
pub fn preflight(
    host: Host,
    request: &Value,
    status: u16,
    response_headers: Option<&Value>,
) -> Result<Value, Error> {
    let req = cors_request(host, request)?;
    let h = match response_headers {
        None | Some(Value::Null) => None,
        Some(v) => Some(header_list(host, Some(v), "response_headers")?),
    };
    let p = cors::preflight(&req, status, h.as_deref());
    host.output(&json!({
        "needed": p.needed,
        "unsafe_headers": p.unsafe_headers,
        "method": p.method,
        "ok": p.verdict.ok,
        "rule": p.verdict.rule,
        "detail": p.verdict.detail,
        "max_age": p.max_age.map(|s| s as f64 / host.unit_seconds()),
    }))
}

/// The CORS headers an API Gateway HTTP API with `config` (the model's `CorsConfig`, as it
/// writes it) answers `request` with: `{preflight, status, headers}`.
pub fn gateway_cors(host: Host, config: &Value, request: &Value) -> Result<Value, Error> {
    let c: crate::model::gateway::CorsConfig = super::read(Host::RUST, config, "config", &[])?;
    let req = cors_request(host, request)?;
    let a = cors::gateway_answer(&c, &req);
    let mut out = host.output(&json!({"preflight": a.preflight, "status": a.status}))?;
    out["headers"] = json!(a.headers);
    Ok(out)
}

/// A limit `{rate, burst}`.
fn limit(host: Host, v: &Value, at: &str) -> Result<Limit, Error> {
    let f = Fields::new(host, Some(v), at, &["rate", "burst"])?;
    let missing =
        |k: &str| Error::type_error(&host.name(&format!("{at}.{k}")), "a number", "nothing");
    Ok(Limit {
        rate: f.f64("rate")?.ok_or_else(|| missing("rate"))?,
        burst: f.u64("burst")?.ok_or_else(|| missing("burst"))?,
    })
}

/// Limits by route key (`{"GET /pets": {rate, burst}}`; the keys are never re-spelled).
fn limits_by_route(host: Host, v: Option<&Value>, at: &str) -> Result<Vec<(String, Limit)>, Error> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, x)| Ok((k.clone(), limit(host, x, &format!("{at}.{k}"))?)))
            .collect(),
        Some(other) => Err(Error::type_error(
            &host.name(at),
            "a mapping of route keys to {rate, burst}",
            kind_of(other),
        )),
    }
}

/// The throttling levels from `settings` (`{account, stage, methods, usage_plan,
/// usage_plan_methods}` in the host's spelling; `methods` and `usage_plan_methods` map route
/// keys to `{rate, burst}`).
pub fn throttle(host: Host, settings: Option<&Value>) -> Result<Throttle, Error> {
    const KNOWN: [&str; 5] = [
        "account",
        "stage",
        "methods",
        "usage_plan",
        "usage_plan_methods",
    ];
    let empty = Map::new();
    let map = match settings {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(Error::type_error(
                "settings",
                "a mapping of throttling levels",
                kind_of(other),
            ))
        }
    };
    let get = |k: &str| map.get(&host.name(k)).filter(|v| !v.is_null());
    if let Some(k) = map
        .keys()
        .find(|k| !KNOWN.iter().any(|n| host.name(n) == **k))
    {
        let names: Vec<String> = KNOWN
            .iter()
            .map(|n| format!("`{}`", host.name(n)))
            .collect();
        return Err(Error::type_error(
            &format!("settings.{k}"),
            &format!("one of {}", names.join(", ")),
            &format!("`{k}`"),
        ));
    }
    let one = |k: &str| {
        get(k)
            .map(|v| limit(host, v, &host.name(&format!("settings.{k}"))))
            .transpose()
    };
    let s = ThrottleSettings {
        account: one("account")?,
        stage: one("stage")?,
        methods: limits_by_route(host, get("methods"), "settings.methods")?,
        usage_plan: one("usage_plan")?,
        usage_plan_methods: limits_by_route(
            host,
            get("usage_plan_methods"),
            "settings.usage_plan_methods",
        )?,
    };
    Throttle::new(s).map_err(|e| host.error(&e))
}

/// One request at `now` for `route_key` from `client` (an API key, or none):
/// `{status, level, retry_after}` and, for a 429, API Gateway's `body`.
pub fn throttle_request(
    host: Host,
    t: &mut Throttle,
    now: f64,
    client: Option<&str>,
    route_key: &str,
) -> Result<Value, Error> {
    let now = host.instant(now, "now")?;
    let r = t.request(now, client, route_key);
    let mut out = host.output(&json!({
        "status": r.status,
        "level": r.level,
        "retry_after": r.retry_after.map(|d| host.of(d)),
    }))?;
    if r.status == 429 {
        out["body"] = Value::String(Throttled::BODY.to_string());
    }
    Ok(out)
}

/// The stage cache from `options` (`{ttl, allow_invalidation, methods}`; `ttl` in the host's
/// unit, 300 s by default).
pub fn stage_cache(host: Host, options: Option<&Value>) -> Result<StageCache, Error> {
    let o = Fields::new(
        host,
        options,
        "options",
        &["ttl", "allow_invalidation", "methods"],
    )?;
    let mut s = CacheSettings::default();
    if let Some(t) = o.f64("ttl")? {
        s.ttl = host.duration(t, &host.name("options.ttl"))?;
    }
    if let Some(a) = o.bool("allow_invalidation")? {
        s.allow_invalidation = a;
    }
    if let Some(m) = o.value("methods") {
        let Some(list) = m.as_array().and_then(|l| {
            l.iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        }) else {
            return Err(Error::type_error(
                &o.at("methods"),
                "a list of methods",
                kind_of(m),
            ));
        };
        s.methods = list;
    }
    StageCache::new(s).map_err(|e| host.error(&e))
}

/// A request through the cache at `now`: `{outcome, key, expires_at}` (`expires_at` in the
/// host's unit). `parameters` are the method's cache key parameters (a mapping or `[name,
/// value]` pairs), `cache_control` the client's `Cache-Control` header.
pub fn cache_request(
    host: Host,
    c: &mut StageCache,
    now: f64,
    method: &str,
    resource: &str,
    parameters: Option<&Value>,
    cache_control: Option<&str>,
) -> Result<Value, Error> {
    let now = host.instant(now, "now")?;
    let p = header_list(host, parameters, "parameters")?;
    let a = c.request(now, method, resource, &p, cache_control);
    host.output(&json!({
        "outcome": a.outcome,
        "key": a.key,
        "expires_at": a.expires_at.map(|s| s / host.unit_seconds()),
    }))
}
