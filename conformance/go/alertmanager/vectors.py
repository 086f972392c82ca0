#!/usr/bin/env python3
"""Writes the matcher, routing and inhibition sections of testdata/alerting/alertmanager.json
from Alertmanager 0.25's own answers (the harness built by build.sh), for the inputs listed
here; the hand-derived `timelines` section of the file is kept as it is.

    conformance/go/alertmanager/build.sh /tmp/am && python3 conformance/go/alertmanager/vectors.py /tmp/am
"""

import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "testdata" / "alerting" / "alertmanager.json"

VALUES = ["", "b", "B", "ab", "bcd", "b,c=d", "b!=c", "=b", "b\\c", 'b"c', "b\nc", "d"]

MATCHERS = [
    ("a comma outside quotes separates matchers", "a=b,c=d"),
    ("braces around the list", "{a=b}"),
    ("a trailing comma inside braces", '{a="b",}'),
    ("an empty string is the empty list", ""),
    ("empty braces are the empty list", "{}"),
    ("blanks around names, operators and values", "a = b , c != d "),
    ("a blank before the opening brace: the braces are not trimmed, and `{ a` is no label name", " { a = b }"),
    ("only the first operator splits: a=\"b!=c\"", "a=b!=c"),
    ("!~ is found before =: severity !~ \"=b\"", "a!~=b"),
    ("a comma inside quotes is part of the value", 'a="b,c=d"'),
    ("a regex matcher is anchored at both ends", "a=~b"),
    ("a regex alternation, anchored as a whole", 'a=~"b|ab"'),
    ("a negative regex matcher", 'a!~"b.*"'),
    ("a case-insensitive flag", 'a=~"(?i)b"'),
    ("\\\\ unescapes to one backslash", 'a="b\\\\c"'),
    ("\\\" unescapes to a quote", 'a="b\\"c"'),
    ("\\n unescapes to a newline", 'a="b\\nc"'),
    ("an empty value matches the absent label", 'a=""'),
    ("!= \"\" requires the label", 'a!=""'),
    ("a colon in the name", "a:b=c"),
    ("an unescaped quote in the value is an error", 'a=b"'),
    ("an unclosed quote is an error", 'a="b'),
    ("a name starting with a digit is an error", "0a=b"),
    ("a dash in the name is an error", "a-b=c"),
    ("no operator is an error", "ab"),
    ("an invalid regular expression is an error", "a=~(b"),
    ("two commas in a row are an error", "a=b,,c=d"),
]

ROUTES_CONFIG = """route:
  receiver: default
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - matchers: ['severity="page"']
      receiver: pager
      group_by: [alertname, cluster]
      continue: true
    - matchers: ['team=~"db|infra"']
      receiver: ops
      group_by: ['...']
      group_wait: 10s
      routes:
        - matchers: [env="prod"]
          receiver: ops-prod
          repeat_interval: 1h
          mute_time_intervals: [weekend]
        - match_re:
            service: api|web
          receiver: frontend
          group_by: [service]
    - match:
        service: billing
      receiver: billing
      active_time_intervals: [office]
receivers:
  - name: default
  - name: pager
  - name: ops
  - name: ops-prod
  - name: frontend
  - name: billing
time_intervals:
  - name: weekend
    time_intervals:
      - weekdays: [saturday, sunday]
  - name: office
    time_intervals:
      - weekdays: [monday:friday]
        times:
          - start_time: '09:00'
            end_time: '17:00'
"""

ROUTE_ALERTS = [
    ("no child matches: the root route, one group for everything (group_by omitted)", {"alertname": "A", "cluster": "c1"}),
    ("continue: the pager route and then the next matching sibling", {"alertname": "A", "severity": "page", "team": "db", "cluster": "c1"}),
    ("continue without another match: the pager route alone", {"alertname": "A", "severity": "page"}),
    ("group_by ['...'] groups by every label, group_wait overrides, a child without match stops at the parent", {"alertname": "B", "team": "infra", "env": "dev"}),
    ("a nested route inherits grouping and timing, sets repeat and mute intervals", {"alertname": "B", "team": "db", "env": "prod", "service": "api"}),
    ("match_re is anchored: 'apiserver' is not api|web", {"alertname": "B", "team": "db", "service": "apiserver"}),
    ("match_re route with its own group_by", {"alertname": "B", "team": "db", "service": "web"}),
    ("the regex team=~db|infra is anchored: 'dbx' goes to the root", {"alertname": "C", "team": "dbx"}),
    ("legacy match with active time intervals", {"alertname": "D", "service": "billing"}),
]

BAD_CONFIGS = [
    ("'...' with other labels in group_by", "route:\n  receiver: a\n  group_by: ['...', alertname]\nreceivers:\n  - name: a\n"),
    ("an invalid label name in group_by", "route:\n  receiver: a\n  group_by: [0team]\nreceivers:\n  - name: a\n"),
    ("a route naming an undefined receiver", "route:\n  receiver: a\n  routes:\n    - receiver: b\nreceivers:\n  - name: a\n"),
    ("the root route without a receiver", "route:\n  group_by: [a]\nreceivers:\n  - name: a\n"),
    ("an undefined mute time interval", "route:\n  receiver: a\n  routes:\n    - receiver: a\n      mute_time_intervals: [never]\nreceivers:\n  - name: a\n"),
    ("a bad matcher in a child route", "route:\n  receiver: a\n  routes:\n    - receiver: a\n      matchers: ['a=b\"']\nreceivers:\n  - name: a\n"),
    ("a zero group_interval", "route:\n  receiver: a\n  group_interval: 0s\nreceivers:\n  - name: a\n"),
]

INHIBIT_CONFIG = """route:
  receiver: a
receivers:
  - name: a
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity=~"warning|critical"]
    equal: [alertname, cluster]
  - source_matchers: [alertname="NodeDown"]
    target_matchers: [alertname!="NodeDown"]
    equal: [node]
"""

INHIBIT_CASES = [
    ("a firing critical alert mutes the warning with equal labels", [{"labels": {"alertname": "A", "severity": "critical", "cluster": "c1"}, "firing": True}], {"alertname": "A", "severity": "warning", "cluster": "c1"}),
    ("a different value of an equal label does not mute", [{"labels": {"alertname": "A", "severity": "critical", "cluster": "c1"}, "firing": True}], {"alertname": "A", "severity": "warning", "cluster": "c2"}),
    ("an equal label absent on both sides is equal", [{"labels": {"alertname": "A", "severity": "critical"}, "firing": True}], {"alertname": "A", "severity": "warning"}),
    ("an equal label empty on one side and absent on the other is equal", [{"labels": {"alertname": "A", "severity": "critical", "cluster": ""}, "firing": True}], {"alertname": "A", "severity": "warning"}),
    ("a source that also matches the target side cannot inhibit (not even another critical)", [{"labels": {"alertname": "A", "severity": "critical", "cluster": "c1"}, "firing": True}], {"alertname": "A", "severity": "critical", "cluster": "c1"}),
    ("a resolved source does not mute", [{"labels": {"alertname": "A", "severity": "critical", "cluster": "c1"}, "firing": False}], {"alertname": "A", "severity": "warning", "cluster": "c1"}),
    ("a node down mutes every other alert of the node", [{"labels": {"alertname": "NodeDown", "node": "n1"}, "firing": True}], {"alertname": "DiskFull", "node": "n1"}),
    ("but not itself: it matches the source side", [{"labels": {"alertname": "NodeDown", "node": "n1"}, "firing": True}], {"alertname": "NodeDown", "node": "n1"}),
    ("another node is not muted", [{"labels": {"alertname": "NodeDown", "node": "n1"}, "firing": True}], {"alertname": "DiskFull", "node": "n2"}),
]


def ask(binary, cases):
    text = "".join(json.dumps(c) + "\n" for c in cases)
    out = subprocess.run([binary], input=text, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def main():
    binary = sys.argv[1]
    doc = json.loads(OUT.read_text()) if OUT.exists() else {}
    answers = ask(binary, [{"matchers": t, "values": VALUES} for _, t in MATCHERS])
    matchers = []
    for (why, text), a in zip(MATCHERS, answers):
        case = {"why": why, "text": text}
        if "error" in a:
            case["error"] = True
        else:
            case["want"] = [[m[0], m[1], m[2], [v for v, hit in zip(VALUES, m[3]) if hit]] for m in a["ok"]]
        matchers.append(case)
    routes = []
    (a,) = ask(binary, [{"config": ROUTES_CONFIG, "alerts": [l for _, l in ROUTE_ALERTS]}])
    for (why, labels), rs in zip(ROUTE_ALERTS, a["ok"]):
        routes.append({"why": why, "labels": labels, "want": [
            {"receiver": r["receiver"], "group_by": ["..."] if r["group_by_all"] else r["group_by"], "group": r["group"],
             "group_wait": float(r["group_wait"]), "group_interval": float(r["group_interval"]), "repeat_interval": float(r["repeat_interval"]),
             "continue": r["continue"], "mute_time_intervals": r["mute"], "active_time_intervals": r["active"]} for r in rs]})
    bad = []
    for (why, cfg), a in zip(BAD_CONFIGS, ask(binary, [{"config": c, "alerts": []} for _, c in BAD_CONFIGS])):
        assert "error" in a, why
        bad.append({"why": why, "config": cfg, "alertmanager_says": a["error"]})
    inhibit = []
    answers = ask(binary, [{"config": INHIBIT_CONFIG, "sources": s, "targets": [t]} for _, s, t in INHIBIT_CASES])
    for (why, sources, target), a in zip(INHIBIT_CASES, answers):
        inhibit.append({"why": why, "sources": sources, "target": target, "muted": a["ok"][0]})
    out = {
        "source": "Alertmanager 0.25 (Debian's golang-github-prometheus-alertmanager-dev). `matchers`, `routes`, `bad_configs` and `inhibit` are Alertmanager's own answers (labels.ParseMatchers and Matcher.Matches; config.Load, dispatch.NewRoute and Route.Match; Inhibitor.Mutes), written by conformance/go/alertmanager/vectors.py. `timelines` are derived by reading the dispatcher (dispatch/dispatch.go: aggrGroup flushes, insert, the 30 s cleanup; notify/notify.go: MuteStage, TimeMuteStage, DedupStage.needsUpdate, RetryStage; inhibit/inhibit.go) with the reasoning in each case's `why`. Times in seconds.",
        "matcher_values": VALUES,
        "matchers": matchers,
        "routes_config": ROUTES_CONFIG,
        "routes": routes,
        "bad_configs": bad,
        "inhibit_config": INHIBIT_CONFIG,
        "inhibit_at": {"firing_since": 0, "resolved_at": 50, "at": 100},
        "inhibit": inhibit,
        "timelines": doc.get("timelines", []),
    }
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
