"""testdata/tracing/*.json through `cnarch.tracing`: the W3C Trace Context test suite's
traceparent and tracestate cases, tracestate updates and truncation, and the OpenTelemetry
samplers (the specification's threshold table, Go's TraceIDRatioBased and ParentBased)."""

from __future__ import annotations

import pytest

import cnarch
from cnarch import tracing
from conftest import vectors

TP = vectors("tracing/traceparent.json")
TS = vectors("tracing/tracestate.json")
S = vectors("tracing/samplers.json")
FIELDS = ["version", "trace_id", "parent_id", "trace_flags", "sampled", "random_trace_id"]


@pytest.mark.parametrize("c", TP["valid"], ids=lambda c: c["why"])
def test_valid_traceparents(c):
    tp = tracing.parse_traceparent(c["header"])
    assert {k: getattr(tp, k) for k in FIELDS} == {k: c[k] for k in FIELDS}
    # written back as version 00 with the same ids and flags
    again = tracing.parse_traceparent(str(tp))
    assert (again.trace_id, again.parent_id, again.trace_flags, again.version) == (tp.trace_id, tp.parent_id, tp.trace_flags, 0)


@pytest.mark.parametrize("c", TP["invalid"], ids=lambda c: c["why"])
def test_invalid_traceparents(c):
    with pytest.raises(cnarch.TraceContextError) as info:
        tracing.parse_traceparent(c["header"])
    assert isinstance(info.value, ValueError)
    assert info.value.code == "invalid_traceparent"
    assert info.value.path == "traceparent"


@pytest.mark.parametrize("c", TP["format"], ids=lambda c: c["why"])
def test_format_traceparent(c):
    assert tracing.format_traceparent(c["trace_id"], c["parent_id"], **(c["options"] or {})) == c["header"]


@pytest.mark.parametrize("c", TP["format_invalid"], ids=lambda c: c["why"])
def test_format_refuses_bad_ids(c):
    with pytest.raises(cnarch.TraceContextError) as info:
        tracing.format_traceparent(c["trace_id"], c["parent_id"])
    assert info.value.code == c["code"]


@pytest.mark.parametrize("c", TS["valid"], ids=lambda c: c["why"][:60])
def test_valid_tracestates(c):
    assert tracing.parse_tracestate(c["header"]) == [tuple(m) for m in c["members"]]


@pytest.mark.parametrize("c", TS["invalid"], ids=lambda c: c["why"][:60])
def test_invalid_tracestates_discard_the_header(c):
    with pytest.raises(cnarch.TraceContextError) as info:
        tracing.parse_tracestate(c["header"])
    assert info.value.code == "invalid_tracestate"


def test_tracestate_updates_and_truncation():
    for c in TS["update"]:
        assert tracing.update_tracestate(c["header"], c["key"], c["value"]) == c["after"], c["why"]
    for c in TS["update_invalid"]:
        with pytest.raises(cnarch.TraceContextError):
            tracing.update_tracestate(c["header"], c["key"], c["value"])
    for c in TS["truncate"]:
        assert tracing.truncate_tracestate(c["header"], c["max_len"]) == c["after"], c["why"]
    assert tracing.remove_tracestate("a=1,b=2", "a") == "b=2"


def sampler(spec) -> tracing.Sampler:
    kind = spec["type"]
    if kind == "always_on":
        return tracing.AlwaysOn()
    if kind == "always_off":
        return tracing.AlwaysOff()
    if kind == "trace_id_ratio_based":
        return tracing.TraceIdRatioBased(spec["ratio"])
    if kind == "probability":
        return tracing.ProbabilitySampler(spec["probability"], spec.get("precision", 4))
    delegates = {k: sampler(v) for k, v in spec.items() if k not in ("type", "root")}
    return tracing.ParentBased(sampler(spec["root"]), **delegates)


@pytest.mark.parametrize("c", S["thresholds"], ids=lambda c: f"1in{c['one_in']}p{c['precision']}")
def test_probability_thresholds_follow_the_specification_table(c):
    s = tracing.ProbabilitySampler(c["probability"], c["precision"])
    want = f"ProbabilitySampler{{th:{c['th']}}}"
    assert s.description == want


@pytest.mark.parametrize("c", S["decisions"], ids=lambda c: c["why"][:60])
def test_sampling_decisions(c):
    r = sampler(c["sampler"]).should_sample(c["trace_id"], c["parent"])
    assert (r.sampled, r.tracestate) == (c["sampled"], c["tracestate"])
    assert r.decision == ("RecordAndSample" if c["sampled"] else "Drop")


@pytest.mark.parametrize("c", S["descriptions"], ids=lambda c: c["description"][:40])
def test_descriptions_are_go_s(c):
    assert sampler(c["sampler"]).description == c["description"]


@pytest.mark.parametrize("c", S["invalid"], ids=lambda c: c["why"])
def test_bad_samplers_are_refused(c):
    with pytest.raises(cnarch.ConfigError) as info:
        sampler(c["sampler"])
    assert info.value.code == c["code"]


def test_sample_rate_maps_to_parent_based_ratio():
    s = tracing.sampler_for_rate(0.25)
    assert s.description.startswith("ParentBased{root:TraceIDRatioBased{0.25},")
    assert tracing.sampler_for_rate().description.startswith("ParentBased{root:AlwaysOnSampler,")
    with pytest.raises(cnarch.CnarchError):
        tracing.sampler_for_rate(2.0)
    with pytest.raises(cnarch.CnarchError) as missing:
        tracing.AlwaysOn().should_sample("0" * 31 + "1", {"remote": True})
    assert missing.value.path == "parent.sampled"


TREES = vectors("tracing/trees.json")


@pytest.mark.parametrize("c", TREES["cases"], ids=lambda c: c["name"][:50])
def test_span_trees(c):
    got = tracing.span_tree({"spans": c["spans"]})
    assert len(got) == len(c["expect"])
    for g, w in zip(got, c["expect"]):
        assert (g["trace_id"], g["roots"], g["orphans"]) == (w["trace_id"], w["roots"], w["orphans"])
        path = [[s["span_id"], round(s["start"] * 1e6), round(s["end"] * 1e6)] for s in g["critical_path"]]
        assert path == w["critical_path_us"]
        node = {s["span_id"]: s for s in g["spans"]}
        for sid, us in w.get("self_time_us", {}).items():
            assert round(node[sid]["self_time"] * 1e6) == us, sid
        for sid, d in w.get("depth", {}).items():
            assert node[sid]["depth"] == d, sid
        for sid, kids in w.get("children", {}).items():
            assert node[sid]["children"] == kids, sid
        assert [[f["span_id"], f["code"]] for f in g["findings"]] == w["findings"]


def test_span_tree_refuses_what_the_model_refuses():
    with pytest.raises(cnarch.ValidationError) as info:
        tracing.span_tree({"spans": [{"traceID": "xyz", "spanID": "00000000000000a1", "name": "a"}]})
    assert any(v.path.startswith("spans[0].traceID") for v in info.value.violations)
