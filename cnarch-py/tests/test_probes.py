"""testdata/probes/timelines.json through `cnarch.probes.timeline` (the kubelet prober
worker's rules), the bounds against sweeps of the simulation, and refused input."""

from __future__ import annotations

import datetime as dt

import pytest

import cnarch
from cnarch import probes
from conftest import vectors

V = vectors("probes/timelines.json")


@pytest.mark.parametrize("c", V["cases"], ids=lambda c: c["name"][:50])
def test_timeline_vectors(c):
    opts = c["options"]
    got = probes.timeline(c["health_check"], c["behaviour"], **opts)
    want = c["expect"]
    assert (got["restarts"], got["first_ready"], got["ready"]) == (
        want["restarts"],
        want["first_ready"],
        want["ready"],
    )
    for probe, starts in want.get("probe_starts", {}).items():
        assert [p["start"] for p in got["probes"] if p["probe"] == probe] == starts, probe
    for probe, outcomes in want.get("outcomes", {}).items():
        assert [p["outcome"] for p in got["probes"] if p["probe"] == probe] == outcomes, probe
    events = [e for e in got["events"] if e["event"] in want["only"]]
    assert events == want["events"]


HANG = {"liveness": {"tcpSocket": {"port": 8080}, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3}}


def test_hang_detection_bound_is_reached_and_never_passed():
    bound = probes.bounds(HANG)["hang_detection"]
    assert bound == 10 + 2 * 10 + 1
    took = []
    for i in range(0, 100, 5):
        hang = 100 + i / 10
        t = probes.timeline(HANG, {"phases": [{"at": hang, "state": "hung"}]}, until=hang + 60)
        kill = next(e["at"] for e in t["events"] if e["event"] == "container_killed")
        took.append(kill - hang)
    assert max(took) <= bound and bound - max(took) <= 0.5
    assert min(took) >= 2 * 10 + 1


def test_times_as_timedelta_and_back_off():
    t = probes.timeline(
        HANG,
        {"phases": [{"at": dt.timedelta(seconds=30), "state": "hung"}]},
        until=dt.timedelta(minutes=1),
    )
    assert t["restarts"] == 1
    assert [probes.back_off(n) for n in range(1, 9)] == [0, 10, 20, 40, 80, 160, 300, 300]


def test_start_budget():
    hc = {"startup": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10, "failureThreshold": 30}}
    b = probes.bounds(hc, up=120)
    assert (b["start_budget"], b["start_limit"], b["hang_detection"]) == (290, 300, None)


@pytest.mark.parametrize(
    "hc, behaviour, until, path",
    [
        ({"liveness": {"tcpSocket": {"port": 80}, "periodSeconds": 0}}, None, 10, "health_check.liveness.periodSeconds"),
        ({"readiness": {"tcpSocket": {"port": 80}}}, {"phases": [{"at": 1, "state": "dozing"}]}, 10, "behaviour.phases[0].state"),
        ({"readiness": {"tcpSocket": {"port": 80}}}, {"startup": -1}, 10, "behaviour.startup"),
        ({"readiness": {"tcpSocket": {"port": 80}}}, None, 10**6, "options.until"),
    ],
)
def test_refusals_name_the_field(hc, behaviour, until, path):
    with pytest.raises(cnarch.CnarchError) as info:
        probes.timeline(hc, behaviour, until=until)
    e = info.value
    assert path in [v.path for v in getattr(e, "violations", [])] + [e.path]
