"""testdata/gateway/routes.json through `cnarch.gateway.Router`: the API Gateway guide's
routing rules and example, cnarch's documented conventions, refused route keys, and a REST
API's resources."""

from __future__ import annotations

import pytest

import cnarch
from cnarch import gateway
from conftest import vectors

V = vectors("gateway/routes.json")
KEYS = ["route_key", "status", "path_parameters", "rule"]


def check(router, req):
    got = router.select(req["method"], req["path"])
    assert {k: got[k] for k in KEYS} == {k: req[k] for k in KEYS}, (req["method"], req["path"])
    if req["status"] == 404:
        assert got["body"] == '{"message":"Not Found"}'


@pytest.mark.parametrize("api", V["apis"], ids=lambda a: a["name"][:50])
def test_route_selection(api):
    r = gateway.Router(api["routes"])
    assert r.routes == api["routes"] and len(r) == len(api["routes"])
    for req in api["requests"]:
        check(r, req)


@pytest.mark.parametrize("c", V["invalid"], ids=lambda c: c["why"])
def test_bad_route_keys(c):
    with pytest.raises(cnarch.ConfigError) as info:
        gateway.Router(c["routes"])
    assert info.value.code == "invalid_route_key"
    assert info.value.path == f"routes[{c['index']}]"


def test_rest_api_resources():
    rest = V["rest_api"]
    r = gateway.Router.from_api_gateway(rest["api"])
    assert r.routes == rest["keys"]
    for req in rest["requests"]:
        check(r, req)
    with pytest.raises(cnarch.ArgumentTypeError) as info:
        gateway.Router(["GET /a", 5])
    assert info.value.path == "routes[1]"


CORS = vectors("gateway/cors.json")


@pytest.mark.parametrize("c", CORS["cors_check"], ids=lambda c: c["why"][:50])
def test_cors_check(c):
    got = gateway.cors_check(c["request"], c["response_headers"])
    assert (got["ok"], got["rule"]) == (c["ok"], c["rule"])


@pytest.mark.parametrize("c", CORS["preflight"], ids=lambda c: c["why"][:50])
def test_preflight(c):
    got = gateway.preflight(c["request"], c["response_headers"], status=c["status"])
    for k in ["needed", "unsafe_headers", "ok", "rule", "max_age"]:
        assert got[k] == c[k], k


@pytest.mark.parametrize("c", CORS["gateway"], ids=lambda c: c["why"][:50])
def test_cors_response(c):
    got = gateway.cors_response(c["config"], c["request"])
    assert got["preflight"] == c["preflight"] and got["status"] == c["status"]
    assert [list(h) for h in got["headers"]] == c["headers"]


def test_cors_requests_are_checked():
    with pytest.raises(cnarch.ArgumentTypeError) as info:
        gateway.cors_check({"origin": "https://a", "method": "GET", "credentials": "yes"}, {})
    assert info.value.path == "request.credentials"
    with pytest.raises(cnarch.ArgumentTypeError):
        gateway.cors_check({"method": "GET"}, {})


T = vectors("gateway/throttle.json")


@pytest.mark.parametrize("s", T["throttle"], ids=lambda s: s["why"][:50])
def test_throttling(s):
    t = gateway.Throttle(**(s["settings"] or {}))
    for r in s["requests"]:
        for _ in range(r.get("repeat", 1)):
            got = t.request(r["at"], r["route_key"], r["client"])
            assert (got["status"], got["level"]) == (r["status"], r["level"]), r
            if "retry_after" in r:
                assert got["retry_after"] == pytest.approx(r["retry_after"])
            if r["status"] == 429:
                assert got["body"] == '{"message":"Too Many Requests"}'


@pytest.mark.parametrize("c", T["throttle_invalid"], ids=lambda c: c["why"])
def test_bad_throttling(c):
    with pytest.raises(cnarch.ConfigError) as info:
        gateway.Throttle(**c["settings"])
    assert info.value.code == "invalid_gateway_settings" and info.value.path == c["path"]


@pytest.mark.parametrize("s", T["cache"], ids=lambda s: s["why"][:50])
def test_stage_cache(s):
    cache = gateway.StageCache(**(s["options"] or {}))
    for r in s["requests"]:
        got = cache.request(r["at"], r["method"], r["resource"], r["parameters"], r["cache_control"])
        assert got["outcome"] == r["outcome"], r
        assert got["expires_at"] == (None if r["expires_at"] is None else pytest.approx(r["expires_at"]))
