"""testdata/policy/ vectors through the Python binding."""

import pytest

import cnarch
from cnarch.policy import NetworkPolicyEngine, authorize
from conftest import vectors

NET = vectors("policy/network.json")["scenarios"]
MESH = vectors("policy/mesh.json")["cases"]


@pytest.mark.parametrize("scenario", NET, ids=lambda s: s["name"])
def test_network_scenarios(scenario):
    engine = NetworkPolicyEngine(scenario["namespaces"], scenario["pods"], scenario["policies"])
    for case in scenario["cases"]:
        v = engine.evaluate(case["from"], case["to"], case["port"], case.get("protocol", "TCP"))
        assert v["allowed"] is case["allowed"], case
        for direction in ("ingress", "egress"):
            if direction in case:
                assert v[direction]["verdict"] == case[direction], (direction, case, v)
    names = [f'{p["namespace"]}/{p["name"]}' for p in scenario["pods"]]
    table = engine.connectivity(8080)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            assert table[i][j] is engine.evaluate(a, b, 8080)["allowed"]


def test_network_verdicts_and_errors():
    s = NET[0]
    engine = NetworkPolicyEngine(s["namespaces"], s["pods"], s["policies"])
    v = engine.evaluate("default/frontend", "default/db", 6379)
    assert v["ingress"] == {"verdict": "allowed", "policy": "default/test-network-policy", "rule": 0}
    assert engine.policies_selecting("default", "db") == ["default/test-network-policy"]
    with pytest.raises(cnarch.PolicyError) as e:
        engine.evaluate("nowhere/x", "default/db", 1)
    assert e.value.code == "unknown_pod"
    with pytest.raises(cnarch.PolicyError) as e:
        engine.evaluate("not an endpoint", "default/db", 1)
    assert e.value.code == "invalid_endpoint"
    bad = [dict(s["policies"][0], ingress=[{"ports": [{"port": 70000}]}])]
    with pytest.raises(cnarch.PolicyError) as e:
        NetworkPolicyEngine(s["namespaces"], s["pods"], bad)
    assert e.value.code == "invalid_policy"


@pytest.mark.parametrize("case", MESH, ids=lambda c: c["name"])
def test_mesh_cases(case):
    v = authorize(case["policies"], case["request"])
    assert v["allowed"] is case["allowed"]
    assert v["decision"]["decision"] == case["decision"]
    if "rule" in case:
        assert [v["decision"]["rule"]["policy"], v["decision"]["rule"]["rule"]] == case["rule"]
    assert len(v["audited"]) == case.get("audited", 0)
    assert len(v["dry_run"]) == case.get("dry_run", 0)
