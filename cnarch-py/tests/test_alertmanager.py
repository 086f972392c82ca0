"""testdata/alerting/alertmanager.json through cnarch.alerting: Alertmanager 0.25's matchers,
routing tree, config errors, inhibition and notification timelines (seconds)."""

from __future__ import annotations

import pytest

from cnarch import ParseError, ValidationError, alerting

from conftest import vectors

V = vectors("alerting/alertmanager.json")


@pytest.mark.parametrize("c", V["matchers"], ids=lambda c: c["text"])
def test_matchers(c):
    if c.get("error"):
        with pytest.raises(ParseError) as e:
            alerting.parse_matchers(c["text"])
        assert e.value.code == "invalid_matcher"
        return
    got = [
        [m["name"], m["op"], m["value"], [v for v in V["matcher_values"] if alerting.matchers_match(m["text"], {m["name"]: v})]]
        for m in alerting.parse_matchers(c["text"])
    ]
    assert got == c["want"], c["why"]


def test_routes():
    cfg = alerting.AlertmanagerConfig(V["routes_config"])
    for c in V["routes"]:
        got = cfg.routes(c["labels"])
        assert [{k: r[k] for k in c["want"][0]} for r in got] == c["want"], c["why"]
        assert all(r["path"].startswith("route") for r in got)
        assert cfg.receivers(c["labels"]) == list(dict.fromkeys(r["receiver"] for r in c["want"]))


@pytest.mark.parametrize("c", V["bad_configs"], ids=lambda c: c["why"])
def test_bad_configs(c):
    with pytest.raises(ValidationError) as e:
        alerting.AlertmanagerConfig(c["config"])
    assert e.value.code == "invalid_document" and e.value.violations


def test_config_as_mapping_is_the_yaml():
    import yaml

    a = alerting.AlertmanagerConfig(V["routes_config"])
    b = alerting.AlertmanagerConfig(yaml.safe_load(V["routes_config"]))
    labels = V["routes"][1]["labels"]
    assert a.routes(labels) == b.routes(labels)


def test_inhibition():
    cfg = alerting.AlertmanagerConfig(V["inhibit_config"])
    at = V["inhibit_at"]
    for c in V["inhibit"]:
        alerts = [{"labels": s["labels"], "starts_at": at["firing_since"], "ends_at": None if s["firing"] else at["resolved_at"]} for s in c["sources"]]
        assert cfg.inhibited(alerts, c["target"], at["at"]) is c["muted"], c["why"]


@pytest.mark.parametrize("c", V["timelines"], ids=lambda c: c["name"])
def test_timelines(c):
    got = alerting.AlertmanagerConfig(c["config"]).timeline(c["alerts"], c["until"], c.get("start"))
    assert [[n["at"], n["receiver"], n["integration"], n["route"], n["firing"], n["resolved"]] for n in got] == c["want"], c["why"]
