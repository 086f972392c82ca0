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
(`exact`, `greedy`, `default`, `not_found`). Rules and sources: docs/gateway.md.
"""

from __future__ import annotations

from ._core import Router

__all__ = ["Router"]
