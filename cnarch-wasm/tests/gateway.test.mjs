// testdata/gateway/routes.json through the npm package: the API Gateway guide's routing rules
// and example, cnarch's documented conventions, refused route keys, and a REST API's resources.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { Router } = cnarch;
const V = vectors("gateway/routes.json");

const check = (r, req) => {
  const got = r.select(req.method, req.path);
  assert.deepEqual(
    { routeKey: got.routeKey, status: got.status, pathParameters: got.pathParameters, rule: got.rule },
    { routeKey: req.route_key, status: req.status, pathParameters: req.path_parameters, rule: req.rule },
    `${req.method} ${req.path}`,
  );
  if (req.status === 404) assert.equal(got.body, '{"message":"Not Found"}');
};

test("routes are selected as API Gateway selects them", () => {
  for (const api of V.apis) {
    const r = new Router(api.routes);
    assert.deepEqual(r.routes, api.routes);
    for (const req of api.requests) check(r, req);
    r.free();
  }
});

test("bad route keys are refused with their index", () => {
  for (const c of V.invalid) {
    assert.throws(() => new Router(c.routes), { name: "ConfigError", code: "invalid_route_key", path: `routes[${c.index}]` }, c.why);
  }
  assert.throws(() => new Router(["GET /a", 5]), { name: "TypeError", path: "routes[1]" });
});

test("a REST API's resources and methods", () => {
  const r = Router.fromApiGateway(V.rest_api.api);
  assert.deepEqual(r.routes, V.rest_api.keys);
  for (const req of V.rest_api.requests) check(r, req);
});

test("CORS follows the Fetch standard; the gateway answers as configured", () => {
  const { corsCheck, preflight, corsResponse } = cnarch;
  const C = vectors("gateway/cors.json");
  for (const c of C.cors_check) {
    const got = corsCheck(c.request, c.response_headers);
    assert.deepEqual([got.ok, got.rule], [c.ok, c.rule], c.why);
  }
  for (const c of C.preflight) {
    const got = preflight(c.request, c.response_headers, c.status);
    assert.deepEqual([got.needed, got.unsafeHeaders, got.ok, got.rule], [c.needed, c.unsafe_headers, c.ok, c.rule], c.why);
    assert.equal(got.maxAge, c.max_age === null ? null : c.max_age * 1000, c.why);
  }
  for (const c of C.gateway) {
    const got = corsResponse(c.config, c.request);
    assert.deepEqual([got.preflight, got.status, got.headers], [c.preflight, c.status, c.headers], c.why);
  }
  assert.throws(() => corsCheck({ origin: "https://a", method: "GET", credentials: "yes" }, {}), { name: "TypeError", path: "request.credentials" });
});

test("throttling levels in API Gateway's order, and the stage cache (milliseconds)", () => {
  const { Throttle, StageCache } = cnarch;
  const T = vectors("gateway/throttle.json");
  const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
  const settings = (s) => (s ? Object.fromEntries(Object.entries(s).map(([k, v]) => [camel(k), v])) : null);
  for (const s of T.throttle) {
    const t = new Throttle(settings(s.settings));
    for (const r of s.requests) {
      for (let i = 0; i < (r.repeat ?? 1); i++) {
        const got = t.request(r.at * 1000, r.route_key, r.client);
        assert.deepEqual([got.status, got.level], [r.status, r.level], s.why);
        if (r.retry_after !== undefined) assert.ok(Math.abs(got.retryAfter - r.retry_after * 1000) < 1e-6, s.why);
      }
    }
    t.free();
  }
  for (const c of T.throttle_invalid) {
    assert.throws(() => new Throttle(settings(c.settings)), { name: "ConfigError", code: "invalid_gateway_settings", path: c.path }, c.why);
  }
  for (const s of T.cache) {
    const o = s.options ? { ...settings(s.options), ...(s.options.ttl !== undefined ? { ttl: s.options.ttl * 1000 } : {}) } : null;
    const cache = new StageCache(o);
    for (const r of s.requests) {
      const got = cache.request(r.at * 1000, r.method, r.resource, r.parameters, r.cache_control);
      assert.equal(got.outcome, r.outcome, s.why);
      assert.equal(got.expiresAt === null ? null : Math.round(got.expiresAt), r.expires_at === null ? null : r.expires_at * 1000, s.why);
    }
  }
});
