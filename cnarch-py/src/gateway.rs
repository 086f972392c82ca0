//! API Gateway route selection (`cnarch.gateway.Router`).

use cnarch_core::ffi;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;

use crate::convert::{json_of, to_py};
use crate::error::{OrPy, HOST};

/// The routes of an HTTP API compiled into one matcher.
#[pyclass(name = "Router", module = "cnarch.gateway", frozen)]
pub(crate) struct PyRouter(cnarch_core::gateway::Router);

#[guarded]
#[pymethods]
impl PyRouter {
    /// A router from route keys (`"GET /pets/{id}"`, `"ANY /{proxy+}"`, `"$default"`).
    #[new]
    fn new(routes: &Bound<'_, PyAny>) -> PyResult<Self> {
        let r = json_of(routes, "routes")?;
        ffi::gateway::router(HOST, &r).map(PyRouter).or_py()
    }

    /// A router from a REST API as the model writes it (its resources and methods).
    #[staticmethod]
    fn from_api_gateway(api: &Bound<'_, PyAny>) -> PyResult<Self> {
        let a = json_of(api, "api")?;
        ffi::gateway::router_from_api(HOST, &a)
            .map(PyRouter)
            .or_py()
    }

    /// The route keys, in the order given.
    #[getter]
    fn routes(&self) -> PyResult<Vec<String>> {
        Ok(ffi::gateway::keys(&self.0))
    }

    /// The route for `method` and `path`: `{route_key, status, path_parameters, rule}` (and
    /// `body` for a 404).
    fn select(&self, py: Python<'_>, method: &str, path: &str) -> PyResult<Py<PyAny>> {
        let r = ffi::gateway::select(HOST, &self.0, method, path).or_py()?;
        to_py(py, &r)
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.0.keys().len())
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<Router with {} routes>", self.0.keys().len()))
    }
}

/// Fetch's CORS check of a response to `request`.
#[guarded]
#[pyfunction]
pub fn _cors_check(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    response_headers: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    {
        let r = json_of(request, "request")?;
        let h = json_of(response_headers, "response_headers")?;
        let v = ffi::gateway::cors_check(HOST, &r, &h).or_py()?;
        to_py(py, &v)
    }
}

/// Whether `request` needs a preflight, and Fetch's verdict on its answer.
#[guarded]
#[pyfunction]
#[pyo3(signature = (request, response_headers=None, status=200))]
pub fn _preflight(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    response_headers: Option<&Bound<'_, PyAny>>,
    status: u16,
) -> PyResult<Py<PyAny>> {
    {
        let r = json_of(request, "request")?;
        let h = crate::convert::opt_json(response_headers, "response_headers")?;
        let v = ffi::gateway::preflight(HOST, &r, status, h.as_ref()).or_py()?;
        to_py(py, &v)
    }
}

/// The CORS headers an HTTP API with `config` answers `request` with.
#[guarded]
#[pyfunction]
pub fn _cors_response(
    py: Python<'_>,
    config: &Bound<'_, PyAny>,
    request: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    {
        let c = json_of(config, "config")?;
        let r = json_of(request, "request")?;
        let v = ffi::gateway::gateway_cors(HOST, &c, &r).or_py()?;
        to_py(py, &v)
    }
}

/// API Gateway's throttling levels (`cnarch.gateway.Throttle`).
#[pyclass(name = "Throttle", module = "cnarch.gateway")]
pub(crate) struct PyThrottle(cnarch_core::gateway::throttle::Throttle);

#[guarded]
#[pymethods]
impl PyThrottle {
    /// Levels from `account`, `stage`, `methods`, `usage_plan`, `usage_plan_methods`.
    #[new]
    #[pyo3(signature = (**settings))]
    fn new(settings: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
        let s = match settings {
            Some(d) => Some(json_of(d.as_any(), "settings")?),
            None => None,
        };
        ffi::gateway::throttle(HOST, s.as_ref())
            .map(PyThrottle)
            .or_py()
    }

    /// One request at `now` (seconds) for `route_key` from `client` (an API key).
    #[pyo3(signature = (now, route_key, client=None))]
    fn request(
        &mut self,
        py: Python<'_>,
        now: f64,
        route_key: &str,
        client: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let r =
            ffi::gateway::throttle_request(HOST, &mut self.0, now, client, route_key).or_py()?;
        to_py(py, &r)
    }
}

/// The stage cache (`cnarch.gateway.StageCache`).
#[pyclass(name = "StageCache", module = "cnarch.gateway")]
pub(crate) struct PyStageCache(cnarch_core::gateway::throttle::StageCache);

#[guarded]
#[pymethods]
impl PyStageCache {
    /// A cache with `ttl` (seconds, 300 by default), `allow_invalidation`, `methods`.
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<Self> {
        let o = match options {
            Some(d) => Some(json_of(d.as_any(), "options")?),
            None => None,
        };
        ffi::gateway::stage_cache(HOST, o.as_ref())
            .map(PyStageCache)
            .or_py()
    }

    /// A request through the cache at `now` (seconds).
    #[pyo3(signature = (now, method, resource, parameters=None, cache_control=None))]
    fn request(
        &mut self,
        py: Python<'_>,
        now: f64,
        method: &str,
        resource: &str,
        parameters: Option<&Bound<'_, PyAny>>,
        cache_control: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let p = crate::convert::opt_json(parameters, "parameters")?;
        let r = ffi::gateway::cache_request(
            HOST,
            &mut self.0,
            now,
            method,
            resource,
            p.as_ref(),
            cache_control,
        )
        .or_py()?;
        to_py(py, &r)
    }
}
