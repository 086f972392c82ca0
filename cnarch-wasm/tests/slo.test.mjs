// testdata/slo vectors through the npm package (durations in milliseconds).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { cnarch, vectors, root } from "./helpers.mjs";
import { join } from "node:path";

const S = 1000;
const close = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

test("budget vectors", () => {
  const v = vectors("slo/budget.json");
  for (const c of v.time_to_exhaustion) {
    const got = cnarch.timeToExhaustion(c.objective, c.window_s * S, c.error_ratio);
    assert.equal(got === null ? null : got / S, c.want_s, JSON.stringify(c));
  }
  for (const c of v.burn_rate) assert.ok(close(cnarch.burnRate(c.error_ratio, c.objective), c.want), JSON.stringify(c));
  for (const c of v.allowed_bad_time) assert.ok(close(cnarch.allowedBadTime(c.objective, c.window_s * S) / S, c.want_s), JSON.stringify(c));
  for (const c of v.allowed_bad_events) assert.equal(cnarch.allowedBadEvents(c.objective, c.total), c.want, JSON.stringify(c));
  for (const c of v.burn_factor) assert.ok(Math.abs(cnarch.burnFactor(c.budget_fraction, c.period_s * S, c.long_window_s * S) - c.want) < 1e-9, JSON.stringify(c));
  for (const c of v.budget_consumed) assert.ok(close(cnarch.budgetConsumed(c.error_ratio, c.objective, c.duration_s * S, c.period_s * S), c.want), JSON.stringify(c));
  for (const [k, f] of [["detection_time", cnarch.detectionTime], ["reset_time", cnarch.resetTime]]) {
    for (const c of v[k]) {
      const got = f(c.objective, c.error_ratio, c.window_s * S, c.factor);
      if (c.want_s === null) assert.equal(got, null, k);
      else assert.ok(Math.abs(got / S - c.want_s) < 1e-6, `${k} ${JSON.stringify(c)}: ${got}`);
    }
  }
  for (const c of v.budget_status) {
    const s = cnarch.budgetStatus(c.objective, c.good, c.total);
    assert.deepEqual([s.sli, s.bad, s.allowedBad, s.remainingEvents], [c.sli, c.bad, c.allowed_bad, c.remaining_events]);
    if (c.consumed === null) assert.equal(s.consumed, null);
    else assert.ok(close(s.consumed, c.consumed) && close(s.remaining, c.remaining));
  }
  for (const bad of v.invalid_objectives) assert.throws(() => cnarch.burnRate(0.1, bad), { name: "ConfigError", code: "invalid_objective" });
  assert.equal(cnarch.allowedBadTime(0.999, "30d"), 2_592_000);
});

test("policies: Sloth factors and Pyrra windows", () => {
  assert.deepEqual(cnarch.MultiwindowPolicy.standard().rules.map((r) => Math.round(r.factor * 1e9) / 1e9), [14.4, 6, 3, 1]);
  for (const p of vectors("slo/pyrra.json").periods) {
    const got = cnarch.MultiwindowPolicy.pyrra(p.period_days * 86400 * S).rules.map((r) => [r.longWindow / S, r.shortWindow / S, r.for / S, r.factor]);
    assert.deepEqual(got, p.rules);
  }
  assert.deepEqual(cnarch.MultiwindowPolicy.standard("30d").validate(0.9).map((f) => f.code), ["never_fires"]);
});

test("alert rule vectors", () => {
  for (const s of vectors("slo/alert_rule.json").scenarios) {
    const r = new cnarch.AlertRule(s.for_s * S, s.keep_firing_for_s * S);
    for (const [t, active, want] of s.steps) assert.equal(r.eval(t * S, active), want, `${s.name} at ${t}`);
  }
});

test("alert evaluation vectors", () => {
  for (const s of vectors("slo/alerts.json").scenarios) {
    const t = [], g = [], tot = [];
    let m = 0;
    for (const seg of s.segments) for (let i = 0; i < seg.minutes; i++) { m++; t.push(m * 60 * S); g.push(seg.good); tot.push(seg.total); }
    const period = s.period_days * 86400 * S;
    const pol = s.policy === "standard" ? cnarch.MultiwindowPolicy.standard(period) : cnarch.MultiwindowPolicy.pyrra(period);
    const ev = cnarch.evaluate(pol, s.objective, t, g, tot);
    s.want.forEach((w, i) => {
      const r = ev.rules[i];
      assert.equal(r.severity, w.severity);
      assert.equal(r.episodes.length, w.episodes.length, `${s.name} rule ${i}`);
      r.episodes.forEach((e, j) => {
        const we = w.episodes[j];
        const min = (x) => (x === null ? null : Math.round(x / 60 / S));
        assert.equal(min(e.pendingAt), we.pending_at_min);
        assert.equal(min(e.firedAt), we.fired_at_min);
        if ("resolved_at_min" in we) assert.equal(min(e.resolvedAt), we.resolved_at_min);
        if ("detection_s" in we) assert.equal(e.detectionTime, we.detection_s * S);
        if ("reset_s" in we) assert.equal(e.resetTime, we.reset_s * S);
        if ("budget_spent" in we) assert.ok(close(e.budgetSpentBeforeFiring, we.budget_spent, 1e-8));
      });
    });
  }
});

test("generated rules: the golden file, and errors with paths", () => {
  const golden = readFileSync(join(root, "testdata/slo/sloth_rules.golden.yaml"), "utf8");
  // The same spec as testdata/slo/sloth_spec.yaml, as an object.
  const spec = {
    version: "prometheus/v1", service: "myservice", labels: { owner: "myteam", repo: "myorg/myservice", tier: "2" },
    slos: [{
      name: "requests-availability", objective: 99.9, description: "Common SLO based on availability for HTTP request responses.",
      sli: { events: {
        error_query: 'sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))',
        total_query: 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))' } },
      alerting: { name: "MyServiceHighErrorRate", labels: { category: "availability" }, annotations: { summary: "High error rate on 'myservice' requests responses" },
        page_alert: { labels: { severity: "pageteam", routing_key: "myteam" } }, ticket_alert: { labels: { severity: "slack", slack_channel: "#alerts-myteam" } } },
    }],
  };
  assert.equal(cnarch.prometheusRules(spec, "30d"), golden);
  assert.throws(() => cnarch.prometheusRules({ ...spec, version: "v2" }), (e) => e.name === "ValidationError" && e.violations[0].path === "version");
});

test("routing and escalation vectors", () => {
  const v = vectors("slo/routing.json");
  const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const deep = (o) => (Array.isArray(o) ? o.map(deep) : o && typeof o === "object" ? Object.fromEntries(Object.entries(o).map(([k, x]) => [k === "labels" ? k : camel(k), k === "labels" ? x : deep(x)])) : o);
  const ms = (o) => (Array.isArray(o) ? o.map(ms) : o && typeof o === "object" ? Object.fromEntries(Object.entries(o).map(([k, x]) => [k, ["startsAt", "endsAt", "groupWait", "groupInterval", "repeatInterval", "delay"].includes(k) && typeof x === "number" ? x * S : ms(x)])) : o);
  for (const s of v.scenarios) {
    const got = cnarch.notifications(ms(deep(s.alerts)), { route: ms(deep(s.route)), inhibit: deep(s.inhibit ?? []), until: s.until * S });
    assert.deepEqual(got.map((n) => [n.at / S, n.firing, n.resolved]), s.want, s.name);
  }
  for (const c of v.escalation.cases) {
    const got = cnarch.escalation(ms(deep(v.escalation.policy)), ms(deep(c.alert)));
    assert.deepEqual(got.map((n) => [n.at / S, n.step, n.round]), c.want);
  }
});

test("routing refuses endless or invalid timelines", () => {
  const firing = { labels: { alertname: "A" }, startsAt: 0 };
  const repeating = { steps: [{ delay: 60 * S, channels: ["pager"] }], repeat: true };
  assert.deepEqual(cnarch.escalation(repeating, { ...firing, endsAt: 200 * S }).map((n) => n.at / S), [60, 120, 180]);
  const code = (e) => e.violations.map((v) => [v.path, v.code]);
  assert.throws(() => cnarch.escalation(repeating, firing), (e) => JSON.stringify(code(e)) === JSON.stringify([["until", "unbounded"]]));
  assert.throws(() => cnarch.escalation(repeating, firing, 1e15), (e) => e.violations[0].code === "timeline_too_long");
  assert.throws(() => cnarch.notifications([firing], { route: { groupInterval: 0 }, until: 3600 * S }), (e) => e.violations[0].path === "route.groupInterval" && !/group_interval/.test(e.message));
});

test("OpenSLO budgeting methods, error-ratio series and custom rules", () => {
  const v = vectors("slo/openslo.json");
  for (const c of v.cases) {
    const got = cnarch.sli(v.samples, { method: c.method, sliceSeconds: c.slice_seconds, target: c.target });
    assert.ok(Math.abs(got - c.want) < 1e-12, JSON.stringify(c));
  }
  const t = Array.from({ length: 199 }, (_, i) => (i + 1) * 60 * S);
  const ratios = t.map((_, i) => (i + 1 > 100 && i + 1 <= 110 ? 1 : 0));
  const pol = cnarch.MultiwindowPolicy.fromRules("30d", [{ longWindow: "1h", shortWindow: "1h", factor: 36, severity: "page" }]);
  const ev = cnarch.evaluateRatios(pol, 0.999, t, ratios);
  assert.equal(ev.rules[0].episodes[0].firedAt, 103 * 60 * S);
  assert.throws(() => cnarch.evaluateRatios(pol, 0.999, [0], [2]), (e) => e.violations[0].path === "errorRatios[0]");
});

test("calendar window vectors (fixed offsets; IANA zones are not in the wasm build)", () => {
  for (const c of vectors("slo/calendar.json").cases) {
    if (c.needs_tz) {
      assert.throws(() => cnarch.calendarWindow(Date.parse(c.at), c.unit, c.zone), (e) => e.name === "ConfigError" && e.code === "invalid_window" && /tz database/.test(e.message));
      continue;
    }
    assert.deepEqual(cnarch.calendarWindow(new Date(c.at), c.unit, c.zone), { start: Date.parse(c.start), end: Date.parse(c.end) }, c.why);
  }
  assert.deepEqual(cnarch.calendarWindow(Date.parse("2026-11-25T08:00:00Z")), { start: Date.parse("2026-11-01T00:00:00Z"), end: Date.parse("2026-12-01T00:00:00Z") });
  assert.throws(() => cnarch.calendarWindow(0, "fortnight"), (e) => e.name === "ConfigError" && e.path === "unit" && /quarter/.test(e.message));
  assert.throws(() => cnarch.calendarWindow(NaN), (e) => e.name === "RangeError");
});

test("budget math refuses inputs outside its domain with the argument's name", () => {
  for (const f of [-1, NaN]) {
    assert.throws(() => cnarch.detectionTime(0.999, 0.5, "1h", f), (e) => e.name === "RangeError" && /^burnFactor:/.test(e.message));
    assert.throws(() => cnarch.resetTime(0.999, 0.5, "1h", f), (e) => e.name === "RangeError");
  }
  for (const r of [-0.1, 1.5, NaN]) {
    assert.throws(() => cnarch.burnRate(r, 0.999), (e) => e.name === "RangeError" && /^errorRatio:/.test(e.message));
  }
  assert.throws(() => cnarch.burnFactor(0.02, "30d", "0s"), (e) => /^longWindow:/.test(e.message));
  assert.equal(cnarch.detectionTime(0.999, 0.5, "1h", 0), 0);
});

test("inputs that cannot be are refused", () => {
  assert.throws(() => cnarch.sli([[0, 1, 1], [60, 3, 2]], { method: "timeslices", sliceSeconds: 0, target: 1.5 }), (e) => e.name === "ValidationError" && e.violations.length === 3);
  const rule = new cnarch.AlertRule("1m", 0);
  assert.equal(rule.eval(100_000, true), "pending");
  assert.throws(() => rule.eval(50_000, true), (e) => e.name === "RangeError" && /time order/.test(e.message));
  assert.throws(() => rule.eval(NaN, true), (e) => e.name === "RangeError");
  assert.throws(() => cnarch.MultiwindowPolicy.standard("30d").validate(0.999, -1), (e) => e.name === "RangeError" && /^eventsPerSecond:/.test(e.message));
  assert.ok(Array.isArray(cnarch.MultiwindowPolicy.standard("30d").validate(0.999, 100)));
  assert.throws(() => cnarch.evaluateRatios(cnarch.MultiwindowPolicy.standard("30d"), 0.999, [0, 60_000], [0, 1.5]), (e) => e.violations[0].path === "errorRatios[1]");
});

test("specs promtool would refuse are refused with their paths; names are escaped in selectors", () => {
  const v = vectors("slo/rule_checks.json");
  // Paths name fields in camelCase for JavaScript; label and annotation names stay as written.
  const js = (path) => path.split(".").map((seg, i, all) => (i > 0 && ["labels", "annotations"].includes(all[i - 1]) ? seg : seg.replace(/_([a-z])/g, (_, c) => c.toUpperCase()))).join(".");
  for (const c of v.refused) {
    const want = JSON.stringify(c.violations.map(([p, code]) => [js(p), code]));
    assert.throws(() => cnarch.prometheusRules(c.spec), (e) => e.name === "ValidationError" && JSON.stringify(e.violations.map((x) => [x.path, x.code])) === want, c.why);
  }
  for (const c of v.accepted) {
    assert.ok(cnarch.prometheusRules(c.spec).includes(c.selector), c.why);
  }
});

test("promtool test files: vector cases, camelCase incidents, refusals", () => {
  const v = vectors("slo/promtool.json");
  const spans = (checks) => {
    const out = {}, open = {};
    for (const c of checks) {
      out[c.alertname] ??= { page: [], ticket: [] };
      for (const s of ["page", "ticket"]) {
        const k = `${c.alertname}/${s}`;
        if (c.firing.includes(s)) (open[k] ??= [c.time, c.time])[1] = c.time;
        else if (open[k]) { out[c.alertname][s].push(open[k]); delete open[k]; }
      }
    }
    for (const [k, span] of Object.entries(open)) { const [n, s] = k.split("/"); out[n][s].push(span); }
    return out;
  };
  const ms = (f) => Object.fromEntries(Object.entries(f).map(([n, s]) => [n, Object.fromEntries(Object.entries(s).map(([k, l]) => [k, l.map(([a, b]) => [a * 1000, b * 1000])]))]));
  for (const c of v.cases) {
    const t = cnarch.promtoolTest(v.spec, c.incident);
    assert.equal(t.checks.length, c.steps + 1, c.name);
    assert.deepEqual(spans(t.checks), ms(c.firing), c.name);
    assert.deepEqual([t.replayDifferences, t.nearTies], [[], []], c.name);
  }
  const t = cnarch.promtoolTest(v.spec, { interval: 300000, requestsSeries: "req_total", phases: [{ duration: "1h", requestsPerSecond: 1, errorRatio: 0.5 }] }, "28d", undefined, "r.yaml");
  assert.deepEqual(t.checks.slice(0, 2).map((c) => [c.time, c.firing]), [[0, []], [300000, ["page", "ticket"]]]);
  assert.ok(t.test.includes('- "r.yaml"') && t.test.includes('series: "req_total"'));
  const camel = (p) => p.replace(/_([a-z])/g, (_, x) => x.toUpperCase());
  for (const c of v.refused) {
    assert.throws(() => cnarch.promtoolTest(v.spec, c.incident), (e) => e.name === "ValidationError" && e.violations.some((x) => x.path === camel(c.path)), c.path);
  }
});
