//! CORS as the WHATWG Fetch standard defines it: the CORS check of a response, whether a
//! request needs a preflight (safelisted methods and request headers), and the CORS-preflight
//! fetch's checks, each verdict naming the rule that decided it. And the gateway's side: the
//! headers an API Gateway HTTP API with a `CorsConfig` answers with.

use serde::Serialize;

use crate::model::gateway::CorsConfig;

/// A cross-origin request as the browser would send it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CorsRequest {
    /// The request's origin, serialized (`https://app.example.com`).
    pub origin: String,
    /// The method, as the page wrote it (normalized here as Fetch normalizes it).
    pub method: String,
    /// The author request headers (name, value).
    pub headers: Vec<(String, String)>,
    /// The credentials mode is `include`.
    pub credentials: bool,
}

/// A verdict: the rule that decided it (`rule`), and what it found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Whether the browser lets the page read the response (or send the request).
    pub ok: bool,
    /// The Fetch rule that decided.
    pub rule: &'static str,
    /// What was found.
    pub detail: String,
}

fn verdict(ok: bool, rule: &'static str, detail: impl Into<String>) -> Verdict {
    Verdict {
        ok,
        rule,
        detail: detail.into(),
    }
}

/// A preflight's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preflight {
    /// Whether the request needs a preflight at all.
    pub needed: bool,
    /// The request's CORS-unsafe header names, sorted and lowercase.
    pub unsafe_headers: Vec<String>,
    /// The method as Fetch normalizes it.
    pub method: String,
    /// The verdict on the preflight response (ok without one when none is needed).
    pub verdict: Verdict,
    /// How long the preflight result may be cached, seconds (`Access-Control-Max-Age`, 5 by
    /// default); `None` when the preflight failed or was not needed.
    pub max_age: Option<u64>,
}

/// Fetch's method normalization: only DELETE, GET, HEAD, OPTIONS, POST and PUT are
/// uppercased.
pub fn normalize_method(m: &str) -> String {
    for n in ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"] {
        if m.eq_ignore_ascii_case(n) {
            return n.to_string();
        }
    }
    m.to_string()
}

/// GET, HEAD and POST.
pub fn safelisted_method(m: &str) -> bool {
    matches!(m, "GET" | "HEAD" | "POST")
}

fn unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != 0x09)
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7f
        )
}

fn http_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// The essence (`type/subtype`, lowercase) of a MIME type, or `None` when it does not parse.
fn mime_essence(v: &str) -> Option<String> {
    let v = v.trim_matches(|c: char| c.is_ascii() && http_ws(c as u8));
    let (ty, rest) = v.split_once('/')?;
    let sub = rest
        .split(';')
        .next()?
        .trim_end_matches(|c: char| c.is_ascii() && http_ws(c as u8));
    if !token(ty) || !token(sub) {
        return None;
    }
    Some(format!(
        "{}/{}",
        ty.to_ascii_lowercase(),
        sub.to_ascii_lowercase()
    ))
}

/// A simple range header value: `bytes=` start `-` optional end, start present and not past
/// the end.
fn simple_range(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("bytes=") else {
        return false;
    };
    let Some((a, b)) = rest.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(a) || !(b.is_empty() || digits(b)) {
        return false;
    }
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(s), Ok(e)) => s <= e,
        (Ok(_), Err(_)) => b.is_empty(),
        _ => false,
    }
}

/// Whether (`name`, `value`) is a CORS-safelisted request-header.
pub fn safelisted_header(name: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    match name.to_ascii_lowercase().as_str() {
        "accept" => !value.bytes().any(unsafe_byte),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b" *,-.;=".contains(&c)),
        "content-type" => {
            !value.bytes().any(unsafe_byte)
                && mime_essence(value).is_some_and(|e| {
                    matches!(
                        e.as_str(),
                        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                    )
                })
        }
        "range" => simple_range(value),
        _ => false,
    }
}

/// The CORS-unsafe request-header names: the headers that are not safelisted, and all of them
/// when the safelisted values exceed 1,024 bytes together; sorted, lowercase, once each.
pub fn unsafe_header_names(headers: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut safe: Vec<String> = Vec::new();
    let mut size = 0usize;
    for (n, v) in headers {
        if safelisted_header(n, v) {
            size += v.len();
            safe.push(n.to_ascii_lowercase());
        } else {
            out.push(n.to_ascii_lowercase());
        }
    }
    if size > 1024 {
        out.extend(safe);
    }
    out.sort();
    out.dedup();
    out
}

/// A header's value from a response: several fields of one name are combined with `, `.
fn get(headers: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// A comma-separated list of tokens (`Access-Control-Allow-Methods`/`-Headers`); `Err` when
/// an item is not a token.
fn token_list(v: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in v.split(',') {
        let t = item.trim_matches(|c: char| c.is_ascii() && http_ws(c as u8));
        if t.is_empty() {
            continue;
        }
        if !token(t) {
            return Err(format!("`{t}` is not a token"));
        }
        out.push(t.to_string());
    }
    Ok(out)
}

/// Fetch's CORS check of a response to `req`.
pub fn cors_check(req: &CorsRequest, response: &[(String, String)]) -> Verdict {
    let Some(origin) = get(response, "Access-Control-Allow-Origin") else {
        return verdict(
            false,
            "allow-origin-missing",
            "the response has no Access-Control-Allow-Origin",
        );
    };
    if !req.credentials && origin == "*" {
        return verdict(
            true,
            "wildcard-origin",
            "`*` allows any origin without credentials",
        );
    }
    if origin != req.origin {
        let why = if origin == "*" {
            "`*` does not allow a request with credentials".to_string()
        } else {
            format!("Access-Control-Allow-Origin is `{origin}`, the request's origin `{}` (compared byte for byte)", req.origin)
        };
        return verdict(false, "origin-mismatch", why);
    }
    if !req.credentials {
        return verdict(true, "origin-match", "the origin matches");
    }
    match get(response, "Access-Control-Allow-Credentials") {
        Some(c) if c == "true" => verdict(
            true,
            "credentials-allowed",
            "the origin matches and Access-Control-Allow-Credentials is `true`",
        ),
        Some(c) => verdict(
            false,
            "credentials-not-allowed",
            format!("Access-Control-Allow-Credentials is `{c}`, not exactly `true`"),
        ),
        None => verdict(
            false,
            "credentials-not-allowed",
            "a request with credentials needs Access-Control-Allow-Credentials: true",
        ),
    }
}

/// Whether `req` needs a preflight, and if so Fetch's verdict on the preflight response
/// (`status` and `response` headers; `None` when no preflight was answered).
pub fn preflight(
    req: &CorsRequest,
    status: u16,
    response: Option<&[(String, String)]>,
) -> Preflight {
    let method = normalize_method(&req.method);
    let unsafe_headers = unsafe_header_names(&req.headers);
    let needed = !safelisted_method(&method) || !unsafe_headers.is_empty();
    let mut out = Preflight {
        needed,
        unsafe_headers: unsafe_headers.clone(),
        method: method.clone(),
        verdict: verdict(
            true,
            "no-preflight",
            "a safelisted method with safelisted headers",
        ),
        max_age: None,
    };
    if !needed {
        return out;
    }
    let Some(resp) = response else {
        out.verdict = verdict(
            false,
            "preflight-missing",
            "the request needs a preflight and none was answered",
        );
        return out;
    };
    let cors = cors_check(req, resp);
    if !cors.ok {
        out.verdict = cors;
        return out;
    }
    if !(200..300).contains(&status) {
        out.verdict = verdict(
            false,
            "preflight-status",
            format!("the preflight answered {status}, not an ok status (200 to 299)"),
        );
        return out;
    }
    let methods = match get(resp, "Access-Control-Allow-Methods").map(|v| token_list(&v)) {
        Some(Err(e)) => {
            out.verdict = verdict(false, "allow-methods-invalid", e);
            return out;
        }
        Some(Ok(m)) => m,
        // no header: no method beyond the safelisted ones (Fetch takes the request's method
        // only for its use-CORS-preflight flag, which upload listeners set)
        None => Vec::new(),
    };
    let wildcard = |l: &[String]| l.iter().any(|x| x == "*");
    if !methods.contains(&method)
        && !safelisted_method(&method)
        && (req.credentials || !wildcard(&methods))
    {
        let why = if wildcard(&methods) {
            format!(
                "`*` in Access-Control-Allow-Methods does not cover `{method}` with credentials"
            )
        } else {
            format!(
                "`{method}` is not in Access-Control-Allow-Methods ({}; compared case-sensitively)",
                methods.join(", ")
            )
        };
        out.verdict = verdict(false, "method-not-allowed", why);
        return out;
    }
    let names = match get(resp, "Access-Control-Allow-Headers").map(|v| token_list(&v)) {
        Some(Err(e)) => {
            out.verdict = verdict(false, "allow-headers-invalid", e);
            return out;
        }
        Some(Ok(h)) => h,
        None => Vec::new(),
    };
    let listed = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if req
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        && !listed("authorization")
    {
        out.verdict = verdict(
            false,
            "authorization-not-allowed",
            "Authorization must be listed by name: `*` never covers it",
        );
        return out;
    }
    for n in &unsafe_headers {
        if !listed(n) && (req.credentials || !wildcard(&names)) {
            let why = if wildcard(&names) {
                format!("`*` in Access-Control-Allow-Headers does not cover `{n}` with credentials")
            } else {
                format!("`{n}` is not in Access-Control-Allow-Headers")
            };
            out.verdict = verdict(false, "header-not-allowed", why);
            return out;
        }
    }
    let max_age = get(resp, "Access-Control-Max-Age")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(5);
    out.max_age = Some(max_age);
    out.verdict = verdict(
        true,
        "preflight-ok",
        format!("the method and headers are allowed; cached for {max_age} s"),
    );
    out
}

/// A gateway's answer: status (for a preflight) and headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatewayAnswer {
    /// Whether the request was answered as a preflight (an `OPTIONS` with
    /// `Access-Control-Request-Method`).
    pub preflight: bool,
    /// The preflight's status (204), or `None` for an actual request (the integration answers).
    pub status: Option<u16>,
    /// The CORS headers the gateway adds.
    pub headers: Vec<(String, String)>,
}

/// The CORS headers an API Gateway HTTP API with `config` answers `req` with. A preflight is
/// an `OPTIONS` request with `Access-Control-Request-Method` among `req.headers`; it is
/// answered with 204. An origin not in `allowOrigins` (nor `*` there) gets no CORS headers.
pub fn gateway_answer(config: &CorsConfig, req: &CorsRequest) -> GatewayAnswer {
    let preflight = normalize_method(&req.method) == "OPTIONS"
        && req
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("access-control-request-method"));
    let mut headers = Vec::new();
    let star = config.allow_origins.iter().any(|o| o == "*");
    let allowed = config.enabled && (star || config.allow_origins.contains(&req.origin));
    if allowed {
        let origin = if star && !config.allow_credentials {
            "*".to_string()
        } else {
            req.origin.clone()
        };
        headers.push(("access-control-allow-origin".to_string(), origin));
        if config.allow_credentials {
            headers.push((
                "access-control-allow-credentials".to_string(),
                "true".to_string(),
            ));
        }
        if preflight {
            if !config.allow_methods.is_empty() {
                headers.push((
                    "access-control-allow-methods".to_string(),
                    config.allow_methods.join(","),
                ));
            }
            if !config.allow_headers.is_empty() {
                headers.push((
                    "access-control-allow-headers".to_string(),
                    config.allow_headers.join(","),
                ));
            }
            if let Some(age) = config.max_age {
                headers.push(("access-control-max-age".to_string(), age.to_string()));
            }
        } else if !config.expose_headers.is_empty() {
            headers.push((
                "access-control-expose-headers".to_string(),
                config.expose_headers.join(","),
            ));
        }
        if !star || config.allow_credentials {
            headers.push(("vary".to_string(), "Origin".to_string()));
        }
    }
    GatewayAnswer {
        preflight,
        status: preflight.then_some(204),
        headers,
    }
}
