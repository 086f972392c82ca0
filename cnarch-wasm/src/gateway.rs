//! API Gateway route selection (`Router`).

use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, to_js_value};
use crate::error::{OrJs, HOST};

/// The routes of an HTTP API compiled into one matcher.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Router(cnarch_core::gateway::Router);

#[wasm_bindgen]
impl Router {
    /// A router from route keys (`"GET /pets/{id}"`, `"ANY /{proxy+}"`, `"$default"`).
    #[wasm_bindgen(constructor)]
    pub fn new(routes: JsValue) -> Result<Router, JsValue> {
        let r = data(&routes, "routes")?;
        ffi::gateway::router(HOST, &r).map(Router).or_js()
    }

    /// A router from a REST API as the model writes it (its resources and methods).
    #[wasm_bindgen(js_name = fromApiGateway)]
    pub fn from_api_gateway(api: JsValue) -> Result<Router, JsValue> {
        let a = data(&api, "api")?;
        ffi::gateway::router_from_api(HOST, &a).map(Router).or_js()
    }

    /// The route keys, in the order given.
    #[wasm_bindgen(getter)]
    pub fn routes(&self) -> Vec<String> {
        ffi::gateway::keys(&self.0)
    }

    /// The route for `method` and `path`: `{routeKey, status, pathParameters, rule}` (and
    /// `body` for a 404).
    pub fn select(&self, method: &str, path: &str) -> Result<JsValue, JsValue> {
        to_js_value(&ffi::gateway::select(HOST, &self.0, method, path).or_js()?)
    }
}

/// Fetch's CORS check of a response (its headers) to `request` (`{origin, method, headers,
/// credentials}`): `{ok, rule, detail}`.
#[wasm_bindgen(js_name = corsCheck)]
pub fn cors_check(request: JsValue, response_headers: JsValue) -> Result<JsValue, JsValue> {
    let r = data(&request, "request")?;
    let h = data(&response_headers, "responseHeaders")?;
    to_js_value(&ffi::gateway::cors_check(HOST, &r, &h).or_js()?)
}

/// Whether `request` needs a preflight, and Fetch's verdict on its answer (`status`, 200
/// unless given; `responseHeaders` absent: none was answered); `maxAge` in milliseconds.
#[wasm_bindgen]
pub fn preflight(
    request: JsValue,
    response_headers: JsValue,
    status: Option<u16>,
) -> Result<JsValue, JsValue> {
    let r = data(&request, "request")?;
    let h = opt_data(&response_headers, "responseHeaders")?;
    to_js_value(&ffi::gateway::preflight(HOST, &r, status.unwrap_or(200), h.as_ref()).or_js()?)
}

/// The CORS headers an API Gateway HTTP API with `config` (the model's CorsConfig) answers
/// `request` with: `{preflight, status, headers}`.
#[wasm_bindgen(js_name = corsResponse)]
pub fn cors_response(config: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let c = data(&config, "config")?;
    let r = data(&request, "request")?;
    to_js_value(&ffi::gateway::gateway_cors(HOST, &c, &r).or_js()?)
}

/// API Gateway's throttling levels.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Throttle(cnarch_core::gateway::throttle::Throttle);

#[wasm_bindgen]
impl Throttle {
    /// Levels from `{account, stage, methods, usagePlan, usagePlanMethods}`.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<Throttle, JsValue> {
        let s = opt_data(&settings, "settings")?;
        ffi::gateway::throttle(HOST, s.as_ref())
            .map(Throttle)
            .or_js()
    }

    /// One request at `now` (ms) for `routeKey` from `client` (an API key).
    pub fn request(
        &mut self,
        now: f64,
        route_key: &str,
        client: Option<String>,
    ) -> Result<JsValue, JsValue> {
        to_js_value(
            &ffi::gateway::throttle_request(HOST, &mut self.0, now, client.as_deref(), route_key)
                .or_js()?,
        )
    }
}

/// The stage cache.
#[wasm_bindgen]
#[derive(Debug)]
pub struct StageCache(cnarch_core::gateway::throttle::StageCache);

#[wasm_bindgen]
impl StageCache {
    /// A cache from `{ttl, allowInvalidation, methods}` (`ttl` in ms, 300 s by default).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<StageCache, JsValue> {
        let o = opt_data(&options, "options")?;
        ffi::gateway::stage_cache(HOST, o.as_ref())
            .map(StageCache)
            .or_js()
    }

    /// A request through the cache at `now` (ms).
    pub fn request(
        &mut self,
        now: f64,
        method: &str,
        resource: &str,
        parameters: JsValue,
        cache_control: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let p = opt_data(&parameters, "parameters")?;
        to_js_value(
            &ffi::gateway::cache_request(
                HOST,
                &mut self.0,
                now,
                method,
                resource,
                p.as_ref(),
                cache_control.as_deref(),
            )
            .or_js()?,
        )
    }
}
