"""`cnarch.slo.promtool_test` on testdata/slo/promtool.json: the checks fire when the vectors
say, bad incidents raise with their path, and (where promtool is installed) the written files
pass `promtool test rules`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import yaml

import cnarch
from cnarch import slo
from conftest import vectors

V = vectors("slo/promtool.json")
PROMTOOL = shutil.which("promtool")


def spans(checks):
    out: dict = {}
    open_: dict = {}
    for c in checks:
        sev = out.setdefault(c["alertname"], {"page": [], "ticket": []})
        for s in ("page", "ticket"):
            key = (c["alertname"], s)
            if s in c["firing"]:
                open_.setdefault(key, [c["time"], c["time"]])[1] = c["time"]
            elif key in open_:
                sev[s].append(open_.pop(key))
    for (name, s), span in open_.items():
        out[name][s].append(span)
    return out


@pytest.mark.parametrize("case", V["cases"], ids=lambda c: c["name"][:40])
def test_vector_cases(case, tmp_path):
    t = slo.promtool_test(V["spec"], case["incident"])
    assert len(t["checks"]) == case["steps"] + 1
    assert spans(t["checks"]) == case["firing"]
    assert t["replay_differences"] == [] and t["near_ties"] == []
    if PROMTOOL:
        (tmp_path / "slo_rules.yaml").write_text(t["rules"])
        (tmp_path / "test.yaml").write_text(t["test"])
        r = subprocess.run([PROMTOOL, "test", "rules", "test.yaml"], cwd=tmp_path, capture_output=True, timeout=120)
        assert r.returncode == 0, (r.stdout + r.stderr).decode()


def test_timedeltas_and_names():
    inc = {"interval": dt.timedelta(minutes=5), "phases": [{"duration": dt.timedelta(hours=1), "requests_per_second": 1, "error_ratio": 0.5}],
           "requests_series": 'http_requests_total{job="api"}'}
    t = slo.promtool_test(V["spec"], inc, rules_file="r.yaml", period="28d")
    y = yaml.safe_load(t["test"])
    assert y["rule_files"] == ["r.yaml"]
    assert [s["series"] for s in y["tests"][0]["input_series"]] == ['http_requests_total{job="api"}', "slo_errors_total"]
    assert len(y["tests"][0]["alert_rule_test"]) == len(t["checks"])
    assert [c["time"] for c in t["checks"]][:3] == [0.0, 300.0, 600.0]
    assert t["checks"][1]["firing"] == ["page", "ticket"]


@pytest.mark.parametrize("case", V["refused"], ids=lambda c: c["path"])
def test_refused(case):
    with pytest.raises(cnarch.ValidationError) as e:
        slo.promtool_test(V["spec"], case["incident"])
    assert case["path"] in [v.path for v in e.value.violations], e.value
