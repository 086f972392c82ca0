//! Alertmanager 0.25 against `cnarch_core::alerting`: the matcher grammar
//! (`labels.ParseMatchers` and `Matcher.Matches`), configuration loading and the routing tree
//! (`config.Load`, `dispatch.NewRoute`, `Route.Match`), and inhibition (`Inhibitor.Mutes`).

use std::collections::BTreeMap;

use cnarch_core::alerting::config::{Config, Grouping};
use cnarch_core::alerting::dispatch::mutes;
use cnarch_core::alerting::matcher::parse_matchers;
use cnarch_core::alerting::routing::Alert;
use serde_json::{json, Value};

use crate::harness::{Outcome, Reference};
use crate::rng::Rng;

type Labels = BTreeMap<String, String>;

const NAMES: &[&str] = &[
    "a", "severity", "team", "_x", "a:b", "env", "0a", "a-b", "", " a",
];
const VALUES: &[&str] = &[
    "b", "page", "", "x,y", "crit.*", "p.ge", "é", "٤٢", "42", "a b", "\\", "\"", "db", "\n",
];
const OPS: &[&str] = &["=", "!=", "=~", "!~", "==", "!", "~", "=!", " = "];
const REGEX_PARTS: &[&str] = &[
    "a",
    "b",
    ".",
    ".*",
    "+",
    "?",
    "|",
    "(",
    ")",
    "[a-c]",
    "[^a]",
    "\\d",
    "\\w",
    "\\s",
    "\\b",
    "\\D",
    "[\\d]",
    "é",
    "^",
    "$",
    "{2}",
    "(?i)",
    "[[:alpha:]]",
    "\\.",
    "x*",
    "\\Q.\\E",
    "[a&&b]",
    "[a~~b]",
    "[a[]",
    "\\pL",
    "(?:p|q)",
];

fn value_text(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=3 => rng.word(VALUES).to_string(),
        4..=6 => {
            let n = 1 + rng.below(4) as usize;
            (0..n).map(|_| rng.word(REGEX_PARTS)).collect()
        }
        7 => format!("\"{}\"", rng.word(VALUES)),
        8 => format!(
            "\"{}{}{}\"",
            rng.word(VALUES),
            rng.word(&["\\\\", "\\\"", "\\n", "\\q", ",", "\""]),
            rng.word(VALUES)
        ),
        _ => format!(
            "\"{}\"",
            (0..2).map(|_| rng.word(REGEX_PARTS)).collect::<String>()
        ),
    }
}

fn matcher_text(rng: &mut Rng) -> String {
    let name = if rng.chance(85) {
        rng.word(&NAMES[..6])
    } else {
        rng.word(NAMES)
    };
    let ws = |rng: &mut Rng| {
        if rng.chance(15) {
            rng.word(&[" ", "\t", "  ", "\u{a0}", "\n"])
        } else {
            ""
        }
    };
    let a = ws(rng);
    let b = ws(rng);
    let c = ws(rng);
    let op = if rng.chance(85) {
        rng.word(&OPS[..4])
    } else {
        rng.word(OPS)
    };
    let v = value_text(rng);
    format!("{a}{name}{b}{op}{c}{v}{}", ws(rng))
}

fn list_text(rng: &mut Rng) -> String {
    let n = rng.below(4) as usize;
    let mut s: String = (0..n)
        .map(|_| matcher_text(rng))
        .collect::<Vec<_>>()
        .join(if rng.chance(70) { "," } else { ", " });
    if rng.chance(10) {
        s.push(',');
    }
    if rng.chance(25) {
        s = format!("{{{s}}}");
    }
    if rng.chance(5) {
        s.push_str(rng.word(&[",,", "}", "{", " ", "\""]));
    }
    s
}

/// Label values a matcher is checked against: the case's own values and fixed ones.
fn probe_values(text: &str) -> Vec<String> {
    let mut v: Vec<String> = VALUES.iter().map(|s| s.to_string()).collect();
    v.extend(
        [
            "critical", "ab", "abc", "a.b", "_", "x y", "PAGE", "K", "\u{212a}",
        ]
        .map(String::from),
    );
    for part in text.split(['=', '~', '!', ',', '"']) {
        if !part.is_empty() && part.len() < 12 {
            v.push(part.to_string());
        }
    }
    v.sort();
    v.dedup();
    v
}

#[derive(Debug)]
pub struct Matchers;

impl Reference for Matchers {
    type Case = String;
    fn name(&self) -> &'static str {
        "alertmanager matchers (labels.ParseMatchers, Matcher.Matches)"
    }
    fn generate(&self, rng: &mut Rng) -> String {
        list_text(rng)
    }
    fn wire(&self, c: &String) -> Value {
        json!({"matchers": c, "values": probe_values(c)})
    }
    fn ours(&self, c: &String) -> Outcome {
        match parse_matchers(c) {
            Err(e) => Outcome::Refused(e.to_string()),
            Ok(ms) => {
                let values = probe_values(c);
                let list: Vec<Value> = ms
                    .iter()
                    .map(|m| {
                        let hits: Vec<bool> = values.iter().map(|v| m.matches(v)).collect();
                        json!([m.name, m.kind.as_str(), m.value, hits])
                    })
                    .collect();
                Outcome::Accepted(Value::Array(list).to_string())
            }
        }
    }
    fn theirs(&self, reply: &Value) -> Outcome {
        reply_outcome(reply)
    }
    fn deliberate(&self, c: &String, ours: &Outcome, theirs: &Outcome) -> Option<&'static str> {
        if matches!(ours, Outcome::Refused(_))
            && matches!(theirs, Outcome::Accepted(_))
            && repeat_after_flag_group(c)
        {
            return Some("a repetition right after a flag group (`(?i)?`): Go's RE2 parser applies it to the item before the group; cnarch refuses it as a repetition of nothing (docs/alerting.md)");
        }
        None
    }
    fn simpler(&self, c: &String) -> Vec<String> {
        let chars: Vec<char> = c.chars().collect();
        (0..chars.len())
            .map(|i| {
                let mut v = chars.clone();
                v.remove(i);
                v.into_iter().collect()
            })
            .collect()
    }
}

fn reply_outcome(reply: &Value) -> Outcome {
    if let Some(p) = reply.get("panic") {
        return Outcome::Panicked(p.to_string());
    }
    match reply.get("ok") {
        Some(v) => Outcome::Accepted(v.to_string()),
        None => Outcome::Refused(reply["error"].as_str().unwrap_or("").to_string()),
    }
}

/// A generated routing tree as YAML lines.
fn route_yaml(rng: &mut Rng, depth: usize, indent: usize, root: bool, out: &mut String) {
    let pad = " ".repeat(indent);
    let receivers = ["r0", "r1", "r2"];
    if root || rng.chance(60) {
        let r = if rng.chance(3) {
            "nobody"
        } else {
            rng.word(&receivers)
        };
        out.push_str(&format!("{pad}receiver: {r}\n"));
    }
    if rng.chance(45) {
        let choices: &[&str] = &["alertname", "team", "severity", "...", "env", "0bad", "a-b"];
        let n = rng.below(3) as usize;
        let mut gb: Vec<String> = (0..n)
            .map(|_| {
                if rng.chance(90) {
                    rng.word(&choices[..5]).to_string()
                } else {
                    rng.word(choices).to_string()
                }
            })
            .collect();
        if rng.chance(10) && !gb.is_empty() {
            gb.push(gb[0].clone());
        }
        let items: Vec<String> = gb.iter().map(|g| format!("'{g}'")).collect();
        out.push_str(&format!("{pad}group_by: [{}]\n", items.join(", ")));
    }
    for key in ["group_wait", "group_interval", "repeat_interval"] {
        if rng.chance(20) {
            let d = rng.word(&["10s", "1m", "5m", "2h", "1h30m", "0s", "1d"]);
            out.push_str(&format!("{pad}{key}: {d}\n"));
        }
    }
    if !root {
        if rng.chance(70) {
            let n = 1 + rng.below(2) as usize;
            let items: Vec<String> = (0..n)
                .map(|_| {
                    let name = rng.word(&["severity", "team", "env", "alertname"]);
                    let op = rng.word(&["=", "!=", "=~", "!~"]);
                    let v = rng.word(&["page", "ticket", "db", "web", "prod", "p.*", "db|web", ""]);
                    format!("'{name}{op}\"{v}\"'")
                })
                .collect();
            out.push_str(&format!("{pad}matchers: [{}]\n", items.join(", ")));
        }
        if rng.chance(15) {
            let k = rng.word(&["team", "env", "bad-key"]);
            let v = rng.word(&["db", "prod", "web"]);
            out.push_str(&format!("{pad}match:\n{pad}  {k}: {v}\n"));
        }
        if rng.chance(10) {
            let v = rng.word(&["db|web", "p.*", "(", "[a-z]+"]);
            out.push_str(&format!("{pad}match_re:\n{pad}  team: '{v}'\n"));
        }
        if rng.chance(35) {
            out.push_str(&format!("{pad}continue: true\n"));
        }
        if rng.chance(8) {
            let t = rng.word(&["nights", "weekends", "undefined"]);
            let key = rng.word(&["mute_time_intervals", "active_time_intervals"]);
            out.push_str(&format!("{pad}{key}: [{t}]\n"));
        }
    } else if rng.chance(3) {
        out.push_str(&format!("{pad}matchers: ['a=b']\n"));
    }
    if depth > 0 && rng.chance(if root { 90 } else { 40 }) {
        let n = 1 + rng.below(3) as usize;
        out.push_str(&format!("{pad}routes:\n"));
        for _ in 0..n {
            let mut child = String::new();
            route_yaml(rng, depth - 1, indent + 4, false, &mut child);
            if child.is_empty() {
                child = format!("{}continue: false\n", " ".repeat(indent + 4));
            }
            // The first line of the child carries the list dash.
            let mut lines = child.lines();
            if let Some(first) = lines.next() {
                out.push_str(&format!("{pad}  - {}\n", first.trim_start()));
            }
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
}

fn config_yaml(rng: &mut Rng) -> String {
    let mut s = String::from("route:\n");
    route_yaml(rng, 2, 2, true, &mut s);
    s.push_str("receivers:\n  - name: r0\n  - name: r1\n    webhook_configs: [{url: 'http://example.invalid/'}]\n  - name: r2\n");
    s.push_str("time_intervals:\n  - name: nights\n    time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]\n  - name: weekends\n    time_intervals: [{weekdays: ['saturday', 'Sunday']}]\n");
    if rng.chance(50) {
        s.push_str("inhibit_rules:\n");
        let n = 1 + rng.below(2);
        for _ in 0..n {
            let src = rng.word(&[
                "severity=page",
                "severity=~\"p.*\"",
                "alertname=Down",
                "team=db",
            ]);
            let tgt = rng.word(&[
                "severity=ticket",
                "severity!=page",
                "severity=~\".+\"",
                "team=db",
            ]);
            s.push_str(&format!(
                "  - source_matchers: ['{src}']\n    target_matchers: ['{tgt}']\n"
            ));
            if rng.chance(60) {
                let eq = rng.word(&["[team]", "[team, env]", "[]", "[alertname]", "['bad-name']"]);
                s.push_str(&format!("    equal: {eq}\n"));
            }
        }
    }
    s
}

fn labels(rng: &mut Rng) -> Labels {
    let mut l = Labels::new();
    for (k, vs) in [
        ("alertname", &["Down", "Slow", "DiskFull"][..]),
        ("severity", &["page", "ticket", "info", ""][..]),
        ("team", &["db", "web", "ops"][..]),
        ("env", &["prod", "dev"][..]),
    ] {
        if rng.chance(75) {
            l.insert(k.to_string(), rng.word(vs).to_string());
        }
    }
    l
}

#[derive(Clone, Debug)]
pub struct RouteCase {
    config: String,
    alerts: Vec<Labels>,
}

#[derive(Debug)]
pub struct Routes;

impl Reference for Routes {
    type Case = RouteCase;
    fn name(&self) -> &'static str {
        "alertmanager routing (config.Load, dispatch.NewRoute, Route.Match)"
    }
    fn generate(&self, rng: &mut Rng) -> RouteCase {
        RouteCase {
            config: config_yaml(rng),
            alerts: (0..4).map(|_| labels(rng)).collect(),
        }
    }
    fn wire(&self, c: &RouteCase) -> Value {
        json!({"config": c.config, "alerts": c.alerts})
    }
    fn ours(&self, c: &RouteCase) -> Outcome {
        let cfg = match Config::from_yaml(&c.config) {
            Ok(cfg) => cfg,
            Err(e) => {
                return Outcome::Refused(e.to_string());
            }
        };
        let all: Vec<Value> = c
            .alerts
            .iter()
            .map(|l| {
                let rs: Vec<Value> = cfg
                    .matching(l)
                    .into_iter()
                    .map(|i| {
                        let r = &cfg.routes[i];
                        let (gb, all): (Vec<String>, bool) = match &r.group_by {
                            Grouping::All => (Vec::new(), true),
                            Grouping::Labels(s) => (s.iter().cloned().collect(), false),
                        };
                        json!({
                            "receiver": r.receiver, "group_by": gb, "group_by_all": all,
                            "group_wait": r.group_wait, "group_interval": r.group_interval,
                            "repeat_interval": r.repeat_interval, "continue": r.continue_matching,
                            "key": r.key, "group": r.group_by.group_labels(l),
                            "mute": r.mute_time_intervals, "active": r.active_time_intervals,
                        })
                    })
                    .collect();
                Value::Array(rs)
            })
            .collect();
        Outcome::Accepted(canon(&Value::Array(all)))
    }
    fn theirs(&self, reply: &Value) -> Outcome {
        match reply_outcome(reply) {
            Outcome::Accepted(_) => {
                // With `...`, Alertmanager keeps an inherited group_by set it never reads
                // (getGroupLabels takes every label); cnarch does not keep it.
                let mut v = reply["ok"].clone();
                for rs in v.as_array_mut().into_iter().flatten() {
                    for r in rs.as_array_mut().into_iter().flatten() {
                        if r["group_by_all"] == json!(true) {
                            r["group_by"] = json!([]);
                        }
                    }
                }
                Outcome::Accepted(canon(&v))
            }
            o => o,
        }
    }
    fn deliberate(&self, _c: &RouteCase, _o: &Outcome, _t: &Outcome) -> Option<&'static str> {
        None
    }
    fn simpler(&self, c: &RouteCase) -> Vec<RouteCase> {
        let lines: Vec<&str> = c.config.lines().collect();
        let mut out = Vec::new();
        for i in 0..lines.len() {
            let mut v = lines.clone();
            v.remove(i);
            out.push(RouteCase {
                config: v.join("\n") + "\n",
                alerts: c.alerts.clone(),
            });
        }
        for i in 0..c.alerts.len() {
            if c.alerts.len() > 1 {
                let mut a = c.alerts.clone();
                a.remove(i);
                out.push(RouteCase {
                    config: c.config.clone(),
                    alerts: a,
                });
            }
        }
        out
    }
}

/// JSON with numbers written the same way on both sides (Go writes 30, serde 30.0).
fn canon(v: &Value) -> String {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            format!("{f}")
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canon).collect::<Vec<_>>().join(",")),
        Value::Object(m) => {
            let mut items: Vec<(&String, &Value)> = m.iter().collect();
            items.sort_by(|a, b| a.0.cmp(b.0));
            format!(
                "{{{}}}",
                items
                    .iter()
                    .map(|(k, v)| format!("{k:?}:{}", canon(v)))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        other => other.to_string(),
    }
}

#[derive(Clone, Debug)]
pub struct InhibitCase {
    config: String,
    sources: Vec<(Labels, bool)>,
    targets: Vec<Labels>,
}

#[derive(Debug)]
pub struct Inhibition;

impl Reference for Inhibition {
    type Case = InhibitCase;
    fn name(&self) -> &'static str {
        "alertmanager inhibition (Inhibitor.Mutes)"
    }
    fn generate(&self, rng: &mut Rng) -> InhibitCase {
        let mut config =
            String::from("route:\n  receiver: r\nreceivers:\n  - name: r\ninhibit_rules:\n");
        let n = 1 + rng.below(2);
        for _ in 0..n {
            let src = rng.word(&[
                "severity=page",
                "severity=~\"p.*|ticket\"",
                "alertname=Down",
                "team=db",
                "severity!=info",
            ]);
            let tgt = rng.word(&[
                "severity=ticket",
                "severity!=page",
                "severity=~\".+\"",
                "team=db",
                "severity=~\"page|ticket\"",
            ]);
            config.push_str(&format!(
                "  - source_matchers: ['{src}']\n    target_matchers: ['{tgt}']\n"
            ));
            if rng.chance(70) {
                let eq = rng.word(&["[team]", "[team, env]", "[alertname]", "[severity]"]);
                config.push_str(&format!("    equal: {eq}\n"));
            }
        }
        // One alert per label set, as in the inhibitor's cache (keyed by fingerprint).
        let mut sources: Vec<(Labels, bool)> = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let l = labels(rng);
            let firing = rng.chance(75);
            if !sources.iter().any(|(s, _)| *s == l) {
                sources.push((l, firing));
            }
        }
        let mut targets: Vec<Labels> = (0..3).map(|_| labels(rng)).collect();
        // A target that is also one of the sources (the two-sided rule).
        if rng.chance(50) {
            targets.push(sources[0].0.clone());
        }
        InhibitCase {
            config,
            sources,
            targets,
        }
    }
    fn wire(&self, c: &InhibitCase) -> Value {
        let sources: Vec<Value> = c
            .sources
            .iter()
            .map(|(l, f)| json!({"labels": l, "firing": f}))
            .collect();
        json!({"config": c.config, "sources": sources, "targets": c.targets})
    }
    fn ours(&self, c: &InhibitCase) -> Outcome {
        let cfg = match Config::from_yaml(&c.config) {
            Ok(cfg) => cfg,
            Err(e) => return Outcome::Refused(e.to_string()),
        };
        // Firing sources started an hour ago; resolved ones ended a minute ago (as the
        // harness sets them).
        let alerts: Vec<Alert> = c
            .sources
            .iter()
            .map(|(l, firing)| Alert {
                labels: l.clone(),
                starts_at: -3600.0,
                ends_at: if *firing { None } else { Some(-60.0) },
            })
            .collect();
        let muted: Vec<bool> = c
            .targets
            .iter()
            .map(|t| mutes(&cfg.inhibit_rules, &alerts, t, 0.0))
            .collect();
        Outcome::Accepted(json!(muted).to_string())
    }
    fn theirs(&self, reply: &Value) -> Outcome {
        reply_outcome(reply)
    }
    fn deliberate(&self, _c: &InhibitCase, _o: &Outcome, _t: &Outcome) -> Option<&'static str> {
        None
    }
    fn simpler(&self, c: &InhibitCase) -> Vec<InhibitCase> {
        let mut out = Vec::new();
        for i in 0..c.sources.len() {
            let mut s = c.sources.clone();
            s.remove(i);
            out.push(InhibitCase {
                sources: s,
                ..c.clone()
            });
        }
        for i in 0..c.targets.len() {
            if c.targets.len() > 1 {
                let mut t = c.targets.clone();
                t.remove(i);
                out.push(InhibitCase {
                    targets: t,
                    ..c.clone()
                });
            }
        }
        out
    }
}

/// Whether a `(?flags)` group is directly followed by `*`, `+`, `?` or `{`.
fn repeat_after_flag_group(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(p) = s[i..].find("(?") {
        let start = i + p + 2;
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j] == b')' && matches!(b.get(j + 1), Some(b'*' | b'+' | b'?' | b'{')) {
            return true;
        }
        i = start;
    }
    false
}

/// `time_intervals` (`config.Load`, `TimeInterval.ContainsTime`).
pub struct TimeIntervals;

/// A configuration with time intervals, and the instants (Unix seconds) checked.
#[derive(Debug, Clone)]
pub struct IntervalCase {
    config: String,
    times: Vec<i64>,
}

// Each list: valid items first (the count), then items Alertmanager may refuse, picked now and
// then so that most configurations load.
const WEEKDAYS: (&[&str], usize) = (
    &[
        "monday",
        "Tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "SUNDAY",
        "monday:friday",
        "saturday:sunday",
        "tuesday:tuesday",
        "friday:monday",
        "funday",
        "1",
    ],
    10,
);
const DAYS: (&[&str], usize) = (
    &[
        "1", "15", "31", "-1", "-7:-1", "1:5", "28:31", "29", "-3", "-31:-28", "0", "32", "5:1",
        "-1:1", "1:-1",
    ],
    10,
);
const MONTHS: (&[&str], usize) = (
    &[
        "january",
        "February:march",
        "12",
        "1:3",
        "december",
        "may",
        "july:june",
        "13",
        "june:8",
    ],
    6,
);
const YEARS: (&[&str], usize) = (
    &[
        "2024",
        "2020:2030",
        "2031",
        "2025:2025",
        "2027:2026",
        "0:2024",
    ],
    4,
);
const CLOCK: (&[&str], usize) = (
    &[
        "00:00", "09:00", "17:00", "23:59", "24:00", "12:30", "07:05", "25:00", "9:00", "18:60",
    ],
    7,
);

/// Mostly a valid item of a list, sometimes one Alertmanager may refuse.
fn item(rng: &mut Rng, (words, valid): (&[&'static str], usize)) -> &'static str {
    if rng.chance(6) {
        rng.word(words)
    } else {
        rng.word(&words[..valid])
    }
}
const ZONES: &[&str] = &[
    "UTC",
    "Local",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Mars/Base",
];

fn interval_yaml(rng: &mut Rng) -> String {
    let mut lines = Vec::new();
    if rng.chance(50) {
        let n = 1 + rng.below(2);
        let mut s = String::from("        times:\n");
        for _ in 0..n {
            s.push_str(&format!(
                "          - start_time: '{}'\n            end_time: '{}'\n",
                item(rng, CLOCK),
                item(rng, CLOCK)
            ));
        }
        lines.push(s);
    }
    let mut list = |rng: &mut Rng, key: &str, words: (&[&'static str], usize)| {
        let n = 1 + rng.below(2) as usize;
        let items: Vec<String> = (0..n).map(|_| format!("'{}'", item(rng, words))).collect();
        lines.push(format!("        {key}: [{}]\n", items.join(", ")));
    };
    if rng.chance(50) {
        list(rng, "weekdays", WEEKDAYS);
    }
    if rng.chance(35) {
        list(rng, "days_of_month", DAYS);
    }
    if rng.chance(30) {
        list(rng, "months", MONTHS);
    }
    if rng.chance(20) {
        list(rng, "years", YEARS);
    }
    if rng.chance(40) {
        lines.push(format!("        location: '{}'\n", item(rng, (ZONES, 7))));
    }
    let mut s = String::from("      -");
    if lines.is_empty() {
        return "      - {}\n".into();
    }
    let body: String = lines.concat();
    s.push_str(&body[7..]);
    s
}

impl Reference for TimeIntervals {
    type Case = IntervalCase;
    fn name(&self) -> &'static str {
        "alertmanager time intervals (config.Load, TimeInterval.ContainsTime)"
    }
    fn generate(&self, rng: &mut Rng) -> IntervalCase {
        let mut config = String::from("route:\n  receiver: r\nreceivers:\n  - name: r\n");
        let key = if rng.chance(80) {
            "time_intervals"
        } else {
            "mute_time_intervals"
        };
        config.push_str(&format!("{key}:\n"));
        for name in ["a", "b"].iter().take(1 + rng.below(2) as usize) {
            config.push_str(&format!("  - name: {name}\n    time_intervals:\n"));
            for _ in 0..1 + rng.below(2) {
                config.push_str(&interval_yaml(rng));
            }
        }
        // 2019-01-01 to 2031-12-31, with some instants on whole hours (range edges).
        let times = (0..8)
            .map(|_| {
                let t = rng.range(1_546_300_800, 1_956_528_000);
                if rng.chance(40) {
                    t - t % 3600
                } else {
                    t
                }
            })
            .collect();
        IntervalCase { config, times }
    }
    fn wire(&self, c: &IntervalCase) -> Value {
        json!({"config": c.config, "times": c.times})
    }
    fn ours(&self, c: &IntervalCase) -> Outcome {
        match Config::from_yaml(&c.config) {
            Err(e) => Outcome::Refused(e.to_string()),
            Ok(cfg) => {
                let rows: BTreeMap<&String, Vec<bool>> = cfg
                    .time_intervals
                    .iter()
                    .map(|(name, list)| {
                        let hits = c
                            .times
                            .iter()
                            .map(|&t| {
                                cnarch_core::alerting::timeinterval::any_contains(list, t as f64)
                            })
                            .collect();
                        (name, hits)
                    })
                    .collect();
                Outcome::Accepted(json!(rows).to_string())
            }
        }
    }
    fn theirs(&self, reply: &Value) -> Outcome {
        match reply_outcome(reply) {
            Outcome::Accepted(_) => {
                let mut rows: BTreeMap<String, Value> = BTreeMap::new();
                for row in reply["ok"].as_array().into_iter().flatten() {
                    rows.insert(row[0].as_str().unwrap_or("").to_string(), row[1].clone());
                }
                Outcome::Accepted(json!(rows).to_string())
            }
            other => other,
        }
    }
    fn deliberate(&self, _c: &IntervalCase, _o: &Outcome, _t: &Outcome) -> Option<&'static str> {
        None
    }
    fn simpler(&self, c: &IntervalCase) -> Vec<IntervalCase> {
        let lines: Vec<&str> = c.config.lines().collect();
        let mut out = Vec::new();
        for i in 5..lines.len() {
            let mut v = lines.clone();
            v.remove(i);
            out.push(IntervalCase {
                config: v.join("\n") + "\n",
                times: c.times.clone(),
            });
        }
        for i in 0..c.times.len() {
            if c.times.len() > 1 {
                let mut t = c.times.clone();
                t.remove(i);
                out.push(IntervalCase {
                    config: c.config.clone(),
                    times: t,
                });
            }
        }
        out
    }
}
