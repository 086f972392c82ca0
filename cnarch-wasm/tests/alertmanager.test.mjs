// testdata/alerting/alertmanager.json through the npm package: Alertmanager 0.25's matchers,
// routing tree, config errors, inhibition and notification timelines (times in ms).
import assert from "node:assert/strict";
import test from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const V = vectors("alerting/alertmanager.json");

test("matchers parse and match as Alertmanager's ParseMatchers", () => {
  for (const c of V.matchers) {
    if (c.error) {
      assert.throws(() => cnarch.parseMatchers(c.text), (e) => e.name === "ParseError" && e.code === "invalid_matcher", c.why);
      continue;
    }
    const got = cnarch.parseMatchers(c.text).map((m) => [m.name, m.op, m.value, V.matcher_values.filter((v) => cnarch.matchersMatch(m.text, { [m.name]: v }))]);
    assert.deepEqual(got, c.want, c.why);
  }
});

test("routes in Alertmanager's order with their effective settings (ms)", () => {
  const cfg = new cnarch.AlertmanagerConfig(V.routes_config);
  for (const c of V.routes) {
    const got = cfg.routes(c.labels).map((r) => ({
      receiver: r.receiver, group_by: r.groupBy, group: r.group,
      group_wait: r.groupWait / 1000, group_interval: r.groupInterval / 1000, repeat_interval: r.repeatInterval / 1000,
      continue: r.continue, mute_time_intervals: r.muteTimeIntervals, active_time_intervals: r.activeTimeIntervals,
    }));
    assert.deepEqual(got, c.want, c.why);
    assert.deepEqual(cfg.receivers(c.labels), [...new Set(c.want.map((r) => r.receiver))], c.why);
  }
  cfg.free();
});

test("configs Alertmanager refuses are refused", () => {
  for (const c of V.bad_configs) {
    assert.throws(() => new cnarch.AlertmanagerConfig(c.config), (e) => e.name === "ValidationError" && e.code === "invalid_document" && e.violations.length > 0, c.why);
  }
});

test("inhibition as Inhibitor.Mutes", () => {
  const cfg = new cnarch.AlertmanagerConfig(V.inhibit_config);
  const at = V.inhibit_at;
  for (const c of V.inhibit) {
    const alerts = c.sources.map((s) => ({ labels: s.labels, startsAt: at.firing_since * 1000, endsAt: s.firing ? null : at.resolved_at * 1000 }));
    assert.equal(cfg.inhibited(alerts, c.target, at.at * 1000), c.muted, c.why);
  }
  cfg.free();
});

test("notification timelines as the dispatcher sends them", () => {
  for (const c of V.timelines) {
    const cfg = new cnarch.AlertmanagerConfig(c.config);
    const alerts = c.alerts.map((a) => ({ labels: a.labels, startsAt: a.starts_at * 1000, endsAt: a.ends_at == null ? null : a.ends_at * 1000 }));
    const got = cfg.timeline(alerts, c.until * 1000, c.start == null ? undefined : c.start * 1000);
    assert.deepEqual(got.map((n) => [n.at / 1000, n.receiver, n.integration, n.route, n.firing, n.resolved]), c.want, `${c.name}: ${c.why}`);
    cfg.free();
  }
});
