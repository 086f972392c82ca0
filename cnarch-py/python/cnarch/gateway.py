"""API gateways (`cnarch_core::gateway`).

`Router(routes)` compiles an HTTP API's route keys (`"GET /pets/{id}"`, `"ANY /{proxy+}"`,
`"$default"`; a malformed or repeated key raises `cnarch.ConfigError`, code
`invalid_route_key`, path `routes[i]`) into one matcher; `Router.from_api_gateway(api)` takes a
REST API as the model writes it (its resources' and methods' route keys). `router.select(method,
path)` picks the route as API Gateway does: a full match of route and method (a `{param}`
segment matches any one segment; a literal segment is tried first), then the deepest greedy
`{proxy+}` route, then `$default`; else status 404 with the body `{"message":"Not Found"}`.
`ANY` covers the methods a route does not define. The result: `route_key`, `status`,
`path_parameters` (percent-decoded; a greedy one holds the rest of the path) and `rule`
(`exact`, `greedy`, `default`, `not_found`).

CORS as the Fetch standard defines it. A request is `{"origin", "method", "headers",
"credentials"}` (`headers` a dict or a list of `(name, value)`, `credentials` a bool or the
Fetch mode `"include"`/`"same-origin"`/`"omit"`). `cors_check(request, response_headers)`: may
the page read the response (`ok`, the deciding `rule`, `detail`). `preflight(request,
response_headers=None, *, status=200)`: whether a preflight is needed (`needed`,
`unsafe_headers`, the normalized `method`) and the verdict on its answer, with `max_age` in
seconds (5 by default). `cors_response(config, request)`: the headers an API Gateway HTTP API
with the model's `CorsConfig` (`{"allowOrigins", "allowMethods", ...}`) answers with
(`preflight`, `status`: 204 for a preflight, `headers` as `[name, value]` pairs).

`Throttle(*, account=None, stage=None, methods=None, usage_plan=None,
usage_plan_methods=None)`: API Gateway's throttling levels, each `{"rate", "burst"}` (`methods`
map route keys to limits; the account defaults to 10,000 per second with a burst of 5,000);
`.request(now, route_key, client=None)` (times in seconds, `client` an API key): `status`
(200 or 429), the refusing `level`, `retry_after` and, for a 429, `body`.
`StageCache(*, ttl=300, allow_invalidation=False, methods=["GET"])`: `.request(now, method,
resource, parameters=None, cache_control=None)`: `outcome` (`hit`, `miss`, `invalidated`,
`bypass`), the cache `key` and `expires_at`.

Rules and sources: docs/gateway.md.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ._core import Router, StageCache, Throttle, _cors_check, _cors_response, _preflight

__all__ = ["Router", "Throttle", "StageCache", "cors_check", "preflight", "cors_response"]


def cors_check(request: Mapping[str, Any], response_headers: Any) -> Dict[str, Any]:
    """Fetch's CORS check of a response (its headers) to `request`."""
    return _cors_check(request, response_headers)


def preflight(request: Mapping[str, Any], response_headers: Optional[Any] = None, *, status: int = 200) -> Dict[str, Any]:
    """Whether `request` needs a preflight, and the verdict on the preflight's answer
    (`response_headers` `None`: none was answered)."""
    return _preflight(request, response_headers, status)


def cors_response(config: Mapping[str, Any], request: Mapping[str, Any]) -> Dict[str, Any]:
    """The CORS headers an API Gateway HTTP API with `config` answers `request` with."""
    return _cors_response(config, request)
