//! The `promtool test rules` writer (slo::promtool) on testdata/slo/promtool.json, and, where
//! promtool is installed (scripts/setup.sh installs Debian's prometheus), the written files run
//! through `promtool test rules`: the vector cases and seeded random incidents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use cnarch_core::ffi::{self, Host};
use serde_json::{json, Value};

const H: Host = Host::RUST;

fn vectors() -> Value {
    common::testdata("slo/promtool.json")
}

/// `{alertname: {severity: [[from, to], ...]}}` from the checks.
fn spans(
    checks: &[cnarch_core::slo::promtool::Check],
) -> BTreeMap<String, BTreeMap<String, Vec<(f64, f64)>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<(f64, f64)>>> = BTreeMap::new();
    let mut open: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    let mut sevs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in checks {
        let seen = sevs.entry(c.alertname.clone()).or_default();
        for s in ["page", "ticket"] {
            if !seen.contains(&s.to_string()) {
                seen.push(s.to_string());
            }
            let key = (c.alertname.clone(), s.to_string());
            let on = c.firing.iter().any(|f| f == s);
            match (on, open.get_mut(&key)) {
                (true, Some(span)) => span.1 = c.time,
                (true, None) => {
                    open.insert(key, (c.time, c.time));
                }
                (false, Some(_)) => {
                    let span = open.remove(&key).unwrap();
                    out.entry(key.0)
                        .or_default()
                        .entry(key.1)
                        .or_default()
                        .push(span);
                }
                (false, None) => {
                    out.entry(key.0).or_default().entry(key.1).or_default();
                }
            }
        }
    }
    for (key, span) in open {
        out.entry(key.0)
            .or_default()
            .entry(key.1)
            .or_default()
            .push(span);
    }
    out
}

fn expected(v: &Value) -> BTreeMap<String, BTreeMap<String, Vec<(f64, f64)>>> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(name, sev)| {
            let m = sev
                .as_object()
                .unwrap()
                .iter()
                .map(|(s, list)| {
                    let l = list
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                        .collect();
                    (s.clone(), l)
                })
                .collect();
            (name.clone(), m)
        })
        .collect()
}

fn promtool() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("promtool"))
            .find(|f| f.is_file())
    })
}

/// Runs `promtool test rules` on the written files; its output when it fails.
fn run_promtool(
    tool: &PathBuf,
    t: &cnarch_core::slo::promtool::PromtoolTest,
    tag: &str,
) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("cnarch-promtool-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("slo_rules.yaml"), &t.rules).unwrap();
    std::fs::write(dir.join("test.yaml"), &t.test).unwrap();
    let out = Command::new(tool)
        .args(["test", "rules", "test.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    } else {
        Err(format!("{} (files kept in {})", text, dir.display()))
    }
}

#[test]
fn vector_cases_fire_when_worked_out() {
    let v = vectors();
    for c in v["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let t = ffi::slo::promtool_test(H, &v["spec"], &c["incident"], None, None, None)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let steps = c["steps"].as_u64().unwrap() as usize;
        assert_eq!(
            t.checks.len(),
            steps + 1,
            "{name}: one check per evaluation"
        );
        assert_eq!(spans(&t.checks), expected(&c["firing"]), "{name}");
        assert!(
            t.replay_differences.is_empty(),
            "{name}: replay differs at {:?}",
            t.replay_differences
        );
        assert!(t.near_ties.is_empty(), "{name}");
        assert!(t.test.contains("group_eval_order:"), "{name}");
        assert!(
            t.test
                .contains("\"runbook\": \"https://runbooks.example/availability\""),
            "{name}"
        );
        if let Some(tool) = promtool() {
            run_promtool(&tool, &t, "vector").unwrap_or_else(|e| panic!("{name}: promtool: {e}"));
        }
    }
}

#[test]
fn bad_incidents_are_refused_with_their_path() {
    let v = vectors();
    for c in v["refused"].as_array().unwrap() {
        let e = ffi::slo::promtool_test(H, &v["spec"], &c["incident"], None, None, None)
            .expect_err(&c.to_string());
        let paths: Vec<&str> = e.violations.iter().map(|x| x.path.as_str()).collect();
        assert!(
            paths.contains(&c["path"].as_str().unwrap()),
            "{c}: {paths:?} {e:?}"
        );
    }
}

#[test]
fn templates_other_than_labels_are_refused() {
    let mut spec = vectors()["spec"].clone();
    spec["slos"][0]["alerting"]["page_alert"]["annotations"] =
        json!({"value": "burning at {{ $value | humanizePercentage }}"});
    let inc = json!({"requests": [10, 10], "errors": [0, 5]});
    let e = ffi::slo::promtool_test(H, &spec, &inc, None, None, None).unwrap_err();
    assert_eq!(
        e.violations[0].path,
        "slos[0].alerting.page_alert.annotations.value"
    );
    assert_eq!(e.violations[0].code, "unsupported_template");
}

/// splitmix64: a fixed-seed source for the random incidents.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Random incidents (bursts of errors, quiet stretches, fractional counts, three objectives,
/// page or ticket disabled, custom series) pass promtool with the expectations written.
#[test]
fn random_incidents_pass_promtool() {
    let Some(tool) = promtool() else {
        eprintln!("promtool is not installed: skipped");
        return;
    };
    let mut rng = Rng(20261207);
    let (mut on, mut off) = (0, 0);
    for case in 0..12 {
        let objective = [99.9, 99.5, 99.95][rng.below(3) as usize];
        let interval = [60u64, 300, 30][rng.below(3) as usize];
        let steps = (rng.below(6 * 3600 / interval) + 12) as usize;
        let mut requests = Vec::with_capacity(steps);
        let mut errors = Vec::with_capacity(steps);
        let mut burst = 0u64;
        for _ in 0..steps {
            let r = match rng.below(10) {
                0 => 0.0,
                1 => (rng.below(1000) as f64) / 8.0,
                _ => (rng.below(500) + 1) as f64,
            };
            if burst == 0 && rng.below(40) == 0 {
                burst = rng.below(30) + 1;
            }
            let share = if burst > 0 {
                burst -= 1;
                rng.below(101) as f64 / 100.0
            } else if rng.below(4) == 0 {
                rng.below(30) as f64 / 1000.0
            } else {
                0.0
            };
            requests.push(r);
            errors.push((r * share).floor().min(r));
        }
        let mut spec = vectors()["spec"].clone();
        spec["slos"][0]["objective"] = json!(objective);
        match rng.below(4) {
            0 => spec["slos"][0]["alerting"]["page_alert"]["disable"] = json!(true),
            1 => spec["slos"][0]["alerting"]["ticket_alert"]["disable"] = json!(true),
            _ => {}
        }
        if case % 2 == 0 {
            // A label the series lacks expands to "" (Prometheus's missingkey=zero), and a
            // rule label that expands to "" is dropped.
            spec["slos"][0]["alerting"]["labels"]["owner"] = json!("{{ $labels.owner }}");
            spec["slos"][0]["alerting"]["annotations"]["missing"] = json!("x{{$labels.nope}}y");
        }
        if case % 3 == 0 {
            // A second SLO on the same counters, with its own objective and Sloth's default
            // alert name: each alert name gets its own checks.
            let mut second = spec["slos"][0].clone();
            second["name"] = json!("strict");
            second["objective"] = json!(99.99);
            second["alerting"].as_object_mut().unwrap().remove("name");
            spec["slos"].as_array_mut().unwrap().push(second);
        }
        let inc = json!({
            "interval": interval,
            "requests": requests,
            "errors": errors,
            "requests_series": "http_requests_total{job=\"api\", env=\"a\\\"b\"}",
            "errors_series": "http_requests_errors_total{job=\"api\"}",
        });
        let t = ffi::slo::promtool_test(H, &spec, &inc, None, None, None).unwrap();
        let names: std::collections::BTreeSet<&str> =
            t.checks.iter().map(|c| c.alertname.as_str()).collect();
        assert_eq!(
            names.len(),
            if case % 3 == 0 { 2 } else { 1 },
            "case {case}: {names:?}"
        );
        let fired = t.checks.iter().filter(|c| !c.firing.is_empty()).count();
        on += fired;
        // cnarch's offline replay fires at the same steps, but where a ratio ties a threshold.
        assert!(
            t.replay_differences.iter().all(|x| t.near_ties.contains(x)),
            "case {case}: the replay differs at {:?}",
            t.replay_differences
        );
        off += t.checks.len() - fired;
        run_promtool(&tool, &t, &format!("random{case}")).unwrap_or_else(|e| {
            panic!("case {case} (objective {objective}, interval {interval}s, {steps} steps, {fired} firing checks): {e}")
        });
    }
    assert!(
        on > 100 && off > 100,
        "the incidents fire at {on} checks and not at {off}"
    );
}
