//! The guided tour of cnarch on the bundled example architecture.
//!
//! `cargo run --example tour [path/to/spec.yaml]`
//!
//! Each section is one function in `SECTIONS`; later capabilities add theirs.

use std::process::ExitCode;

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use cnarch_core::alerting::evaluate::evaluate;
use cnarch_core::alerting::policy::MultiwindowPolicy;
use cnarch_core::autoscale::hpa::HpaSpec;
use cnarch_core::autoscale::simulate::{simulate, PodModel, Scaler, SimConfig};
use cnarch_core::labels::Selector;
use cnarch_core::model::data::{LabelSelector, NetworkProtocol};
use cnarch_core::model::{data, events, observability, workload};
use cnarch_core::policy::network::{Namespace, NetworkPolicyEngine, Pod};
use cnarch_core::prelude::*;
use cnarch_core::resilience::breaker::{BreakerConfig, CircuitBreaker};
use cnarch_core::resilience::outlier::{HostResult, OutlierConfig, OutlierDetector};
use cnarch_core::resilience::policy::{Policy, Step, Verdict};
use cnarch_core::resilience::retry_on::CallOutcome;
use cnarch_core::slo::budget::{allowed_bad_events, allowed_bad_time, detection_time, Objective};
use cnarch_core::slo::rules::{generate, SlothSpec};
use cnarch_core::time::Instant;

/// The instant the tour treats as "now", so its output is the same on every run.
fn tour_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

type Section = (&'static str, fn(&[Document]));

const SECTIONS: &[Section] = &[
    ("What the architecture holds", section_inventory),
    ("Exact resource quantities", section_quantities),
    (
        "Probes, with Kubernetes' defaults made visible",
        section_probes,
    ),
    ("Schedules and their next fire times", section_schedules),
    ("Observability and SLOs", section_observability),
    (
        "Label selectors and network policy",
        section_selectors_and_policy,
    ),
    (
        "Resilience: the mesh's traffic policy against a failing dependency",
        section_resilience,
    ),
    (
        "Autoscaling: the HPA as the controller computes it, over a bursty hour",
        section_autoscaling,
    ),
    (
        "SLOs: the budget, the standard alerts replaying an incident, the rules",
        section_slo_alerts,
    ),
    (
        "Events and serverless: user-events' rule, its queue draining through user-processor, the monthly cost",
        section_events,
    ),
    (
        "The API gateway: public-api's routes as API Gateway selects them, and CORS for a browser origin",
        section_gateway,
    ),
    (
        "Tracing: a traceparent from the gateway, the sampler's decision, the span tree",
        section_tracing,
    ),
    (
        "Event sourcing: user-ledger's appends, a conflicting writer, the projection, snapshots, a replay",
        section_eventsourcing,
    ),
    ("Validation: every mistake at once", section_validation),
];

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/architecture.yaml").to_string()
    });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let docs = match load_str(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path} did not load:");
            for v in e.violations() {
                eprintln!("  {v}");
            }
            if let LoadError::Syntax { message, .. } = &e {
                eprintln!("  {message}");
            }
            return ExitCode::FAILURE;
        }
    };
    println!(
        "cnarch tour: {} documents loaded and validated from {}",
        docs.len(),
        short(&path)
    );
    for (i, (title, section)) in SECTIONS.iter().enumerate() {
        println!("\n{}. {}\n{}", i + 1, title, "-".repeat(title.len() + 3));
        section(&docs);
    }
    ExitCode::SUCCESS
}

fn short(path: &str) -> &str {
    path.rsplit_once("/../").map(|(_, p)| p).unwrap_or(path)
}

fn section_inventory(docs: &[Document]) {
    for d in docs {
        let detail = match d {
            Document::CloudNativeApp(a) => format!(
                "{} services, {} config maps, {} secrets, ingress {}",
                a.services.len(),
                a.config_maps.len(),
                a.secrets.len(),
                a.ingress
                    .as_ref()
                    .and_then(|i| i.host.as_deref())
                    .unwrap_or("none")
            ),
            Document::Microservice(m) => format!(
                "image {}, {} replicas, namespace {}",
                m.image,
                m.replicas.unwrap_or(1),
                m.namespace.as_deref().unwrap_or("default")
            ),
            Document::ServiceMesh(m) => format!(
                "{} services, {} policies",
                m.services.len(),
                m.policies.len()
            ),
            Document::CloudNativeDb(db) => format!(
                "{:?} {}, {} replicas",
                db.db_type,
                db.version.as_deref().unwrap_or("?"),
                db.replicas.unwrap_or(1)
            ),
            Document::ServerlessFunction(f) => format!(
                "{} ({}), {} triggers",
                f.handler,
                f.runtime,
                f.triggers.len()
            ),
            Document::EventDrivenArchitecture(e) => format!(
                "{} functions, {} events, {} rules, {} queues",
                e.functions.len(),
                e.events.len(),
                e.rules.len(),
                e.queues.len()
            ),
            Document::ApiGateway(g) => format!(
                "{} stages, {} resources, {} methods",
                g.stages.len(),
                g.resources.len(),
                g.methods.len()
            ),
            Document::EventSourcing(es) => format!(
                "store {}, {} projections",
                es.event_store.name,
                es.projections.len()
            ),
            Document::ObservabilityStack(o) => format!(
                "{} alert rules",
                o.alerts.as_ref().map_or(0, |a| a.rules.len())
            ),
            Document::ServiceLevelObjectives(s) => {
                format!("{} SLOs, {} alerts", s.slos.len(), s.alerts.len())
            }
            Document::DistributedTracing(t) => format!("{} spans", t.spans.len()),
        };
        println!(
            "  {:<24} {:<26} {}",
            d.kind(),
            d.name().unwrap_or("-"),
            detail
        );
    }
}

fn section_quantities(docs: &[Document]) {
    let mut cpu = Quantity::ZERO;
    let mut memory = Quantity::ZERO;
    for d in docs {
        if let Document::Microservice(m) = d {
            let replicas = i64::from(m.replicas.unwrap_or(1));
            let res = m.resources.clone().unwrap_or_default();
            let (c, mem) = (res.cpu.unwrap_or_default(), res.memory.unwrap_or_default());
            println!("  {}: {} × (cpu {}, memory {})", m.name, replicas, c, mem);
            cpu = cpu + c.checked_mul(replicas).unwrap_or(c);
            memory = memory + mem.checked_mul(replicas).unwrap_or(mem);
            if let Some(s) = &m.scaling {
                let max = i64::from(s.max_replicas);
                println!(
                    "  at maxReplicas {}: cpu {}, memory {}",
                    max,
                    c.checked_mul(max).unwrap_or(c),
                    mem.checked_mul(max).unwrap_or(mem)
                );
            }
        }
    }
    println!(
        "  requested now: cpu {cpu} ({} millicores), memory {memory} ({} bytes)",
        cpu.milli_value(),
        memory.value()
    );
    for text in ["1024Mi", "5000m", "0.5", "1.5Gi"] {
        if let Ok(q) = text.parse::<Quantity>() {
            println!("  canonical form of {text:>6} is {q}");
        }
    }
}

fn describe(h: &workload::ProbeHandler) -> String {
    match h {
        workload::ProbeHandler::HttpGet(g) => format!("GET :{}{}", g.port, g.path),
        workload::ProbeHandler::TcpSocket(t) => format!("TCP :{}", t.port),
        workload::ProbeHandler::Exec(e) => format!("exec {}", e.command.join(" ")),
    }
}

fn section_probes(docs: &[Document]) {
    for d in docs {
        let Document::Microservice(m) = d else {
            continue;
        };
        let Some(hc) = &m.health_check else { continue };
        for (kind, p) in [
            ("liveness", &hc.liveness),
            ("readiness", &hc.readiness),
            ("startup", &hc.startup),
        ] {
            let Some(p) = p else { continue };
            // A container that never passes fails its first check after the initial delay and
            // reaches the failure threshold (failures − 1) periods later.
            let worst = p.initial_delay_seconds_or_default()
                + p.period_seconds_or_default() * (p.failure_threshold_or_default() - 1);
            println!(
                "  {} {kind:<9} {:<16} every {}s, timeout {}s{}, threshold {} failures → a never-healthy container trips it {}s after start",
                m.name,
                describe(&p.handler),
                p.period_seconds_or_default(),
                p.timeout_seconds_or_default(),
                if p.timeout_seconds.is_none() { " (default)" } else { "" },
                p.failure_threshold_or_default(),
                worst
            );
        }
        probe_story(&m.name, hc);
    }
}

/// The kubelet's probes of one service through a hang, and the worst-case formulas beside.
fn probe_story(name: &str, hc: &workload::HealthCheck) {
    use cnarch_core::probe::{self, Behaviour, EventKind, Options, Phase, State};
    use std::time::Duration;
    let up = Duration::from_secs(8);
    let latency = Duration::from_millis(20);
    let behaviour = Behaviour {
        startup: up,
        latency,
        phases: vec![Phase::new(Duration::from_secs(120), State::Hung)],
        ..Behaviour::default()
    };
    let t = match probe::timeline(hc, &behaviour, &Options::until(Duration::from_secs(200))) {
        Ok(t) => t,
        Err(e) => return println!("  {name}: the probes cannot run: {e}"),
    };
    println!(
        "  {name} through a hang at 120 s (the container answers 8 s after each start, in 20 ms):"
    );
    for e in &t.events {
        let what = match e.what {
            EventKind::ContainerStarted { container } => {
                format!("container {container} started")
            }
            EventKind::Result {
                probe,
                container,
                result,
            } => format!("{} → {result:?} (container {container})", probe.name()),
            EventKind::Ready { ready } => format!("pod Ready = {ready}"),
            EventKind::ContainerKilled { container, probe } => {
                format!("container {container} killed: {} failed", probe.name())
            }
            EventKind::ContainerExited { container } => format!("container {container} exited"),
            EventKind::BackOff { container, wait } => {
                format!(
                    "container {container} waits {}s in CrashLoopBackOff",
                    wait.as_secs()
                )
            }
        };
        println!("    {:>7.2}s  {what}", e.at.as_secs_f64());
    }
    let probes = t.probes.len();
    let timeouts = t
        .probes
        .iter()
        .filter(|p| p.outcome == probe::Outcome::Timeout)
        .count();
    println!(
        "    {probes} probes ran, {timeouts} timed out; {} restart",
        t.restarts
    );
    if let Ok(b) = probe::bounds(hc, up, latency) {
        let s =
            |d: Option<Duration>| d.map_or("-".to_string(), |d| format!("{}s", d.as_secs_f64()));
        println!(
            "    worst cases: Ready within {} of a start, a hang killed within {} and unready within {}; a start answering by {} is never killed, one not answering by {} always is",
            s(Some(b.first_ready)),
            s(b.hang_detection),
            s(b.hang_unready),
            s(b.start_budget),
            s(b.start_limit)
        );
    }
}

fn section_schedules(docs: &[Document]) {
    let now = tour_now();
    println!("  from {}", now.to_rfc3339());
    let shown = |what: String, s: &Schedule| {
        let next: Vec<String> = s
            .next_n_after(now, 3)
            .iter()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .collect();
        println!(
            "  {what:<34} {:<20} next: {}",
            s.to_string(),
            next.join(", ")
        );
    };
    for d in docs {
        match d {
            Document::CloudNativeDb(data::CloudNativeDb {
                name,
                backup: Some(b),
                ..
            }) => {
                if let Some(s) = &b.schedule {
                    shown(format!("{name} backup"), s);
                }
            }
            Document::EventDrivenArchitecture(e) => {
                for events::Schedule {
                    name, expression, ..
                } in &e.schedules
                {
                    shown(format!("{} schedule {name}", e.name), expression);
                }
            }
            _ => {}
        }
    }
}

fn section_observability(docs: &[Document]) {
    for d in docs {
        match d {
            Document::ObservabilityStack(o) => {
                if let Some(m) = &o.metrics {
                    println!(
                        "  metrics: {} every {}",
                        m.name,
                        m.interval
                            .map(|i| i.to_string())
                            .unwrap_or_else(|| "1m (default)".into())
                    );
                    // The sample metrics as a scrape of them would read (text format 0.0.4).
                    match cnarch_core::prom::exposition::from_metrics(&m.metrics)
                        .and_then(|f| cnarch_core::prom::exposition::render(&f))
                    {
                        Ok(text) => {
                            println!("  the sample metrics as Prometheus would scrape them:");
                            for line in text.lines() {
                                println!("    {line}");
                            }
                            let back = cnarch_core::prom::exposition::parse(&text);
                            println!(
                                "  parsed back: {}",
                                match back {
                                    Ok(f) => format!(
                                        "{} families, {} samples",
                                        f.len(),
                                        f.iter().map(|f| f.samples.len()).sum::<usize>()
                                    ),
                                    Err(e) => e.to_string(),
                                }
                            );
                        }
                        Err(e) => println!("  the sample metrics do not render: {e}"),
                    }
                }
                for r in o.alerts.iter().flat_map(|a| &a.rules) {
                    println!(
                        "  alert {} ({:?}) when {} for {}",
                        r.name,
                        r.severity,
                        r.condition,
                        r.duration
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "0s".into())
                    );
                }
            }
            Document::ServiceLevelObjectives(s) => {
                for observability::Slo {
                    name,
                    objective,
                    window,
                    ..
                } in &s.slos
                {
                    let budget = 1.0 - objective;
                    let minutes = window.as_duration().as_secs_f64() * budget / 60.0;
                    println!("  SLO {name}: {:.3}% over {window} → error budget {:.3}% = {minutes:.1} minutes of full outage", objective * 100.0, budget * 100.0);
                }
            }
            _ => {}
        }
    }
}

/// The conventional `app=<name>` label of each workload in the example.
fn workloads(docs: &[Document]) -> Vec<(String, String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    for d in docs {
        let (name, ns) = match d {
            Document::Microservice(m) => (m.name.clone(), m.namespace.clone()),
            Document::CloudNativeDb(db) => (db.name.clone(), Some("production".to_string())),
            _ => continue,
        };
        out.push((
            name.clone(),
            ns.unwrap_or_else(|| "default".into()),
            BTreeMap::from([("app".to_string(), name)]),
        ));
    }
    out.push((
        "batch-job".into(),
        "production".into(),
        BTreeMap::from([("app".to_string(), "batch-job".to_string())]),
    ));
    out
}

fn section_selectors_and_policy(docs: &[Document]) {
    let pods = workloads(docs);
    println!(
        "  workloads (labelled app=<name>, as Deployments conventionally are): {}",
        pods.iter()
            .map(|p| p.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut selectors: Vec<(String, Selector)> = Vec::new();
    for d in docs {
        if let Document::CloudNativeApp(a) = d {
            for s in &a.services {
                let ls = LabelSelector {
                    match_labels: s.selector.clone(),
                    match_expressions: vec![],
                };
                if let Ok(sel) = Selector::from_label_selector(Some(&ls)) {
                    selectors.push((format!("service {}", s.name), sel));
                }
            }
        }
        if let Document::CloudNativeDb(db) = d {
            for (i, rule) in db
                .security
                .iter()
                .flat_map(|s| &s.network)
                .flat_map(|n| &n.ingress)
                .enumerate()
            {
                for peer in &rule.from {
                    if let Ok(sel) = Selector::from_label_selector(peer.pod_selector.as_ref()) {
                        selectors.push((format!("{} ingress rule {i} peer", db.name), sel));
                    }
                }
            }
        }
    }
    if let Ok(sel) = Selector::parse("app in (user-service, users-db), !legacy") {
        selectors.push(("a hand-written selector".into(), sel));
    }
    for (what, sel) in &selectors {
        let matched: Vec<&str> = pods
            .iter()
            .filter(|p| sel.matches(&p.2))
            .map(|p| p.0.as_str())
            .collect();
        println!(
            "  {what:<32} `{sel}` selects {}",
            if matched.is_empty() {
                "nothing".to_string()
            } else {
                matched.join(", ")
            }
        );
    }
    // The database's network policy, applied to the database's pods.
    let Some(Document::CloudNativeDb(db)) = docs
        .iter()
        .find(|d| matches!(d, Document::CloudNativeDb(_)))
    else {
        return;
    };
    let Some(mut np) = db.security.as_ref().and_then(|s| s.network.clone()) else {
        return;
    };
    np.name = Some(format!("{}-ingress", db.name));
    np.namespace = Some("production".into());
    np.pod_selector = Some(LabelSelector {
        match_labels: BTreeMap::from([("app".to_string(), db.name.clone())]),
        match_expressions: vec![],
    });
    let namespaces = vec![Namespace {
        name: "production".into(),
        labels: BTreeMap::new(),
    }];
    let engine_pods: Vec<Pod> = pods
        .iter()
        .enumerate()
        .map(|(i, (name, ns, labels))| Pod {
            namespace: ns.clone(),
            name: name.clone(),
            labels: labels.clone(),
            ips: vec![std::net::IpAddr::from([10, 0, 0, i as u8 + 10])],
            ports: vec![],
        })
        .collect();
    let engine = match NetworkPolicyEngine::new(namespaces, engine_pods, &[np]) {
        Ok(e) => e,
        Err(e) => {
            println!("  network policy: {e}");
            return;
        }
    };
    println!("  NetworkPolicy `{}-ingress` (the database's security.network), TCP 5432, rows may connect to columns:", db.name);
    let table = engine.connectivity(5432, NetworkProtocol::Tcp);
    let names: Vec<&str> = engine.pods().iter().map(|p| p.name.as_str()).collect();
    println!(
        "    {:<14}{}",
        "",
        names.iter().map(|n| format!("{n:<14}")).collect::<String>()
    );
    for (i, row) in table.iter().enumerate() {
        println!(
            "    {:<14}{}",
            names[i],
            row.iter()
                .map(|ok| format!("{:<14}", if *ok { "yes" } else { "-" }))
                .collect::<String>()
        );
    }
    for from in ["production/user-service", "production/batch-job"] {
        if let Ok(v) = engine.evaluate_str(
            from,
            &format!("production/{}", db.name),
            5432,
            NetworkProtocol::Tcp,
        ) {
            println!("    {from} → {}: ingress {}", db.name, v.ingress);
        }
    }
}

fn section_gateway(docs: &[Document]) {
    use cnarch_core::gateway::Router;
    for d in docs {
        let Document::ApiGateway(api) = d else {
            continue;
        };
        let router = match Router::from_api_gateway(api) {
            Ok(r) => r,
            Err(e) => {
                println!("  {}: {e}", api.name);
                continue;
            }
        };
        println!("  {}: routes {}", api.name, router.keys().join(", "));
        for (method, path) in [
            ("GET", "/users/42"),
            ("PUT", "/users/ada%20lovelace"),
            ("DELETE", "/users/42"),
            ("GET", "/users/42/orders"),
        ] {
            let s = router.select(method, path);
            let params: Vec<String> = s
                .path_parameters
                .iter()
                .map(|(k, v)| format!("{k}={v:?}"))
                .collect();
            match &s.route_key {
                Some(k) => println!(
                    "    {method} {path} → {k} ({}) {}",
                    s.rule,
                    params.join(" ")
                ),
                None => println!(
                    "    {method} {path} → {} {}",
                    s.status,
                    cnarch_core::gateway::Selection::NOT_FOUND_BODY
                ),
            }
        }
        // CORS for the browser app at https://app.example.com, with the resource's config.
        use cnarch_core::gateway::cors::{cors_check, gateway_answer, preflight, CorsRequest};
        for res in &api.resources {
            let Some(cfg) = &res.cors else { continue };
            let origin = "https://app.example.com".to_string();
            for (method, headers) in [
                ("GET", vec![]),
                (
                    "PUT",
                    vec![("Content-Type".to_string(), "application/json".to_string())],
                ),
            ] {
                let req = CorsRequest {
                    origin: origin.clone(),
                    method: method.to_string(),
                    headers,
                    credentials: true,
                };
                let p = preflight(&req, 200, None);
                let verdict = if p.needed {
                    let asked = CorsRequest {
                        method: "OPTIONS".into(),
                        headers: vec![("Access-Control-Request-Method".into(), method.to_string())],
                        ..req.clone()
                    };
                    let answer = gateway_answer(cfg, &asked);
                    preflight(&req, answer.status.unwrap_or(200), Some(&answer.headers)).verdict
                } else {
                    cors_check(&req, &gateway_answer(cfg, &req).headers)
                };
                println!(
                    "    CORS {method} {} from {origin} with credentials: preflight {}, {} ({}: {})",
                    res.path,
                    if p.needed { "needed" } else { "not needed" },
                    if verdict.ok { "allowed" } else { "refused" },
                    verdict.rule,
                    verdict.detail
                );
            }
        }
        // The stage's throttle and cache: a burst of 250 requests at once, then the cache.
        use cnarch_core::gateway::throttle::{
            CacheSettings, Limit, StageCache, Throttle, ThrottleSettings,
        };
        for stage in &api.stages {
            if let Some(t) = &stage.throttle {
                let settings = ThrottleSettings {
                    stage: Some(Limit {
                        rate: t.rate_limit,
                        burst: t.burst_limit.max(1) as u64,
                    }),
                    ..ThrottleSettings::default()
                };
                if let Ok(mut th) = Throttle::new(settings) {
                    let now = Instant::from_secs_f64(0.0);
                    let refused = (0..250)
                        .map(|_| th.request(now, None, "GET /users/{id}"))
                        .filter(|r| r.status == 429)
                        .count();
                    println!(
                        "    stage {}: 250 requests at once against rate {} and burst {}: {} admitted, {refused} answered 429",
                        stage.name,
                        t.rate_limit,
                        t.burst_limit,
                        250 - refused
                    );
                }
            }
            if let Some(c) = stage.cache.as_ref().filter(|c| c.enabled) {
                let ttl = c
                    .ttl
                    .and_then(|d| d.to_std())
                    .unwrap_or(std::time::Duration::from_secs(300));
                if let Ok(mut cache) = StageCache::new(CacheSettings {
                    ttl,
                    ..CacheSettings::default()
                }) {
                    let seq: Vec<String> = [0.0, 60.0, ttl.as_secs_f64()]
                        .iter()
                        .map(|&t| {
                            let a = cache.request(
                                Instant::from_secs_f64(t),
                                "GET",
                                "/users/{id}",
                                &[("id".to_string(), "42".to_string())],
                                None,
                            );
                            format!("{t:.0} s {}", a.outcome)
                        })
                        .collect();
                    println!(
                        "    stage {} cache, TTL {} s: GET /users/42 at {}",
                        stage.name,
                        ttl.as_secs(),
                        seq.join(", ")
                    );
                }
            }
        }
        // The same paths behind an HTTP API with a catch-all proxy and a $default route.
        if let Ok(http) = Router::new(&[
            "GET /users/{id}",
            "PUT /users/{id}",
            "ANY /users/{proxy+}",
            "$default",
        ]) {
            for (method, path) in [
                ("DELETE", "/users/42"),
                ("GET", "/users/42/orders"),
                ("GET", "/health"),
            ] {
                let s = http.select(method, path);
                println!(
                    "    as an HTTP API with ANY /users/{{proxy+}} and $default: {method} {path} → {} ({})",
                    s.route_key.unwrap_or_default(),
                    s.rule
                );
            }
        }
    }
}

fn section_tracing(docs: &[Document]) {
    use cnarch_core::tracing::{trees, Parent, Sampler, TraceParent, TraceState};
    let Some(t) = docs.iter().find_map(|d| match d {
        Document::DistributedTracing(t) => Some(t),
        _ => None,
    }) else {
        return;
    };
    // The request the gateway forwarded, as its headers arrive at user-service.
    let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
    let (Ok(tp), Ok(mut state)) = (
        TraceParent::parse(header),
        TraceState::parse("congo=t61rcWkgMzE"),
    ) else {
        return;
    };
    println!(
        "  traceparent {header}: trace {}, parent {}, sampled {}",
        tp.trace_id_hex(),
        tp.parent_id_hex(),
        tp.sampled()
    );
    let rate = t.tracer.as_ref().and_then(|x| x.sample_rate);
    let Ok(sampler) = Sampler::from_sample_rate(rate) else {
        return;
    };
    let parent = Parent {
        sampled: tp.sampled(),
        remote: true,
        tracestate: state.clone(),
    };
    let followed = sampler.should_sample(&tp.trace_id, Some(&parent));
    let fresh = sampler.should_sample(&tp.trace_id, None);
    println!(
        "  sampleRate {} → {}\n    with the gateway's sampled parent: {} (by {}); as a new root trace: {}",
        rate.map(|r| r.to_string()).unwrap_or_else(|| "none".into()),
        sampler.description(),
        if followed.sampled { "sampled" } else { "dropped" },
        sampler.decider(Some(&parent)).description(),
        if fresh.sampled { "sampled" } else { "dropped" },
    );
    if state.insert("user-service", "00f067aa0ba902b7").is_ok() {
        println!("  tracestate forwarded downstream: {state}");
    }
    for tree in trees(&t.spans) {
        println!(
            "  trace {}: {} spans, root {}",
            tree.trace_id,
            tree.spans.len(),
            tree.roots.join(", ")
        );
        for n in &tree.spans {
            println!(
                "    {}{} {:>6.1} ms, self {:>6.1} ms",
                "  ".repeat(n.depth),
                n.name,
                n.duration.unwrap_or(0.0) * 1e3,
                n.self_time.unwrap_or(0.0) * 1e3
            );
        }
        let path: Vec<String> = tree
            .critical_path
            .iter()
            .rev()
            .map(|c| format!("{} {:.0}–{:.0} ms", c.name, c.start * 1e3, c.end * 1e3))
            .collect();
        println!("    critical path: {}", path.join(" → "));
        for f in &tree.findings {
            println!("    finding {} on {}: {}", f.code, f.span_id, f.message);
        }
    }
}

fn section_validation(_docs: &[Document]) {
    let broken = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/broken/microservice.yaml"
    );
    let Ok(text) = std::fs::read_to_string(broken) else {
        println!("  (examples/broken/microservice.yaml not found)");
        return;
    };
    match load_str(&text) {
        Ok(_) => println!("  examples/broken/microservice.yaml unexpectedly loaded"),
        Err(e) => {
            println!(
                "  examples/broken/microservice.yaml → {} violations:",
                e.violations().len()
            );
            for v in e.violations() {
                println!("    {:<40} {:<28} {}", v.path, v.code, v.message);
            }
        }
    }
}

/// The dependency the tour calls: the whole `users` service answers 503 from t = 10 s to
/// t = 40 s; replica `users-2` alone also fails from 45 s to 50 s. Every call takes 20 ms.
fn dependency(host: usize, at: Instant) -> CallOutcome {
    let t = at.as_nanos() / 1_000_000;
    if (10_000..40_000).contains(&t) || (host == 2 && (45_000..50_000).contains(&t)) {
        CallOutcome::Http(503)
    } else {
        CallOutcome::Http(200)
    }
}

fn at_s(t: Instant) -> String {
    format!("{:>5.1}s", t.as_nanos() as f64 / 1e9)
}

const CALL: std::time::Duration = std::time::Duration::from_millis(20);

fn section_resilience(docs: &[Document]) {
    let Some(traffic) = docs.iter().find_map(|d| match d {
        Document::ServiceMesh(m) => m.traffic.clone(),
        _ => None,
    }) else {
        println!("  (no mesh traffic policy in this architecture)");
        return;
    };
    let Some(cb) = traffic.circuit_breaker.as_ref() else {
        println!("  (the traffic policy has no circuitBreaker block)");
        return;
    };
    let outlier_config = OutlierConfig::from(cb);
    println!(
        "  traffic policy: {} retries, per-try timeout {}, overall timeout {}; circuitBreaker: eject a replica after {} consecutive 5xx, sweep every {:?}, eject for {:?} × times ejected",
        traffic.retry.as_ref().map(|r| r.attempts).unwrap_or(0),
        traffic.retry.as_ref().and_then(|r| r.timeout).map(|d| d.to_string()).unwrap_or_else(|| "none".into()),
        traffic.timeout.as_ref().map(|t| t.duration.to_string()).unwrap_or_else(|| "none".into()),
        outlier_config.consecutive_5xx,
        outlier_config.interval,
        outlier_config.base_ejection_time,
    );
    // A client-side breaker on the same numbers: open after the consecutive errors, wait the
    // ejection time, three trial calls.
    let Ok(breaker) = CircuitBreaker::new(BreakerConfig {
        consecutive_failures: Some(outlier_config.consecutive_5xx),
        wait_duration_in_open_state: outlier_config.base_ejection_time,
        permitted_number_of_calls_in_half_open_state: 3,
        automatic_transition_from_open_to_half_open_enabled: true,
        ..BreakerConfig::default()
    }) else {
        return;
    };
    let policy = Policy::from_traffic(&traffic).with_breaker(breaker);
    let seed = 42;
    let delays = policy.start(Instant::ZERO, seed).delay_plan().to_vec();
    println!(
        "  retry waits with seed {seed} (Envoy backoff, 25 ms base, full jitter): {}",
        delays
            .iter()
            .map(|d| format!("{} ms", d.as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // A request every 250 ms for a minute, round-robin over the replicas still in rotation; a
    // retry goes to the next replica (Istio's previous-hosts predicate).
    let hosts = ["users-0", "users-1", "users-2"];
    let Ok(mut detector) = OutlierDetector::new(outlier_config, Instant::ZERO, seed) else {
        return;
    };
    for h in hosts {
        detector.add_host(h);
    }
    let mut tally: BTreeMap<&str, u32> = BTreeMap::new();
    let mut attempts = 0;
    let mut outlier_log = Vec::new();
    for i in 0..240u64 {
        let start = Instant::from_millis(i * 250);
        let mut ex = policy.start(start, seed.wrapping_add(i));
        let mut now = start;
        let mut pick = i as usize;
        let verdict = loop {
            match ex.next(now) {
                Step::Call { .. } => {
                    attempts += 1;
                    let healthy: Vec<usize> = (0..3)
                        .filter(|&h| !detector.is_ejected(&hosts[h]))
                        .collect();
                    let host = healthy[pick % healthy.len()];
                    pick += 1;
                    let out = dependency(host, now);
                    now = now.saturating_add(CALL);
                    if let CallOutcome::Http(status) = out {
                        detector.record(now, &hosts[host], HostResult::Status(status));
                    }
                    match ex.record(now, out, CALL) {
                        Ok(Step::Done(v)) => break Some(v),
                        Ok(_) => {}
                        Err(_) => break None,
                    }
                }
                Step::Wait(d) => now = now.saturating_add(d),
                Step::Done(v) => break Some(v),
            }
        };
        let key = match verdict {
            Some(Verdict::Succeeded { attempts: 1 }) => "succeeded at once",
            Some(Verdict::Succeeded { .. }) => "succeeded after retrying",
            Some(Verdict::Rejected { .. }) => "refused by the open breaker",
            _ => "failed",
        };
        *tally.entry(key).or_default() += 1;
        outlier_log.extend(detector.take_events());
    }
    detector.advance(Instant::from_millis(120_000));
    outlier_log.extend(detector.take_events());
    println!("  client breaker timeline:");
    if let Some(b) = policy.breaker() {
        for t in b.take_transitions() {
            println!("    {}  {} → {}", at_s(t.at), t.from, t.to);
        }
    }
    println!("  outlier detection (Envoy, as Istio programs it):");
    for e in &outlier_log {
        let what = match e.action {
            cnarch_core::resilience::outlier::OutlierAction::Eject { kind, duration } => {
                format!("eject ({}) for {:?}", kind.as_str(), duration)
            }
            other => match other.kind() {
                Some(k) => format!("{} ({})", other.as_str(), k.as_str()),
                None => other.as_str().to_string(),
            },
        };
        println!("    {}  {}  {what}", at_s(e.at), e.host);
    }
    let summary: Vec<String> = tally.iter().map(|(k, v)| format!("{v} {k}")).collect();
    println!(
        "  240 requests, {attempts} attempts: {}",
        summary.join(", ")
    );
}

fn section_autoscaling(docs: &[Document]) {
    let Some((name, scaling)) = docs.iter().find_map(|d| match d {
        Document::Microservice(m) => m.scaling.clone().map(|s| (m.name.clone(), s)),
        _ => None,
    }) else {
        println!("  (no microservice with a scaling block)");
        return;
    };
    let spec = HpaSpec::from_scaling(&scaling);
    println!(
        "  {name}: HPA {}–{} replicas on {} (no behavior block: the legacy rules, 5-minute downscale stabilization)",
        scaling.min_replicas,
        scaling.max_replicas,
        spec.effective_metrics().iter().map(|m| m.display_name()).collect::<Vec<_>>().join(" and ")
    );
    // A pod serves 100 requests/s at its full CPU request and is ready 40 s after it starts.
    // The hour: 120 requests/s, a burst to 650 at 10:00 for ten minutes, one to 900 at 30:00.
    let trace = [
        (0.0, 120.0),
        (600.0, 650.0),
        (1200.0, 200.0),
        (1800.0, 900.0),
        (2100.0, 120.0),
        (3600.0, 120.0),
    ];
    let config = SimConfig {
        scaler: Scaler::Hpa(spec),
        pod: PodModel {
            capacity: 100.0,
            startup_delay: std::time::Duration::from_secs(40),
            ..PodModel::default()
        },
        tick: None,
        scrape_interval: std::time::Duration::from_secs(15),
        metric_window: std::time::Duration::from_secs(30),
        initial_replicas: None,
        demand_noise: 0.0,
    };
    let result = match simulate(&config, &trace, 1) {
        Ok(r) => r,
        Err(v) => {
            println!(
                "  simulation refused: {}",
                v.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            return;
        }
    };
    let tl = &result.timeline;
    println!("  time    demand  replicas ready  CPU   decision");
    let mut last = (u32::MAX, f64::NAN);
    for i in 0..tl.time.len() {
        let changed = tl.desired[i] != tl.replicas[i]
            || tl.demand[i] != last.1
            || (tl.reason[i].is_some() && tl.replicas[i] != last.0);
        if !changed {
            continue;
        }
        last = (tl.replicas[i], tl.demand[i]);
        let t = tl.time[i] as u64;
        let decision = if tl.desired[i] != tl.replicas[i] {
            format!(
                "→ {} ({})",
                tl.desired[i],
                tl.reason[i].as_deref().unwrap_or("-")
            )
        } else {
            tl.reason[i]
                .clone()
                .map(|r| format!("hold ({r})"))
                .unwrap_or_default()
        };
        println!(
            "  {:02}:{:02}  {:>6.0}  {:>8} {:>5} {:>4.0}%  {decision}",
            t / 60,
            t % 60,
            tl.demand[i],
            tl.replicas[i],
            tl.ready[i],
            tl.utilization[i]
        );
    }
    let s = result.summary;
    println!(
        "  one hour: {:.1}% of requests unserved, {:.0} s overloaded, {:.0} pod-minutes, peak {} replicas, {} scale-ups and {} scale-downs",
        s.unserved_fraction * 100.0,
        s.overloaded_seconds,
        s.pod_seconds / 60.0,
        s.peak_replicas,
        s.scale_ups,
        s.scale_downs
    );
}

fn section_slo_alerts(docs: &[Document]) {
    let Some(set) = docs.iter().find_map(|d| match d {
        Document::ServiceLevelObjectives(s) => Some(s.clone()),
        _ => None,
    }) else {
        println!("  (no ServiceLevelObjectives document)");
        return;
    };
    let Some(first) = set.slos.first() else {
        return;
    };
    let Ok(o) = Objective::new(first.objective) else {
        return;
    };
    let period = first.window.as_duration();
    println!(
        "  {}: objective {o} over {} → budget {} = {} of full outage, or {} bad requests in 100 million",
        first.name,
        first.window,
        o.budget_text(),
        cnarch_core::prom::duration(allowed_bad_time(&o, period)),
        allowed_bad_events(&o, 100_000_000)
    );
    let policy = MultiwindowPolicy::standard(period);
    for r in &policy.rules {
        let full = match detection_time(&o, 1.0, r.long_window, r.factor) {
            Ok(Some(d)) => format!("{:.0} s", d.as_secs_f64()),
            Ok(None) => "never".into(),
            Err(e) => e.to_string(),
        };
        println!(
            "  {:>6} alert: {}/{} windows, burn factor {:.4}, fires after {full} of a full outage",
            r.severity,
            cnarch_core::prom::duration(r.long_window),
            cnarch_core::prom::duration(r.short_window),
            r.factor
        );
    }
    // Three quiet days at 1,000 requests a minute, then 20 % errors for 45 minutes, then a
    // slow 0.4 % leak for a day.
    let (mut t, mut good, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut minute = 0u32;
    for (minutes, bad) in [
        (3 * 1440, 0.0),
        (45, 200.0),
        (120, 0.0),
        (1440, 4.0),
        (600, 0.0),
    ] {
        for _ in 0..minutes {
            minute += 1;
            t.push(f64::from(minute) * 60.0);
            total.push(1000.0);
            good.push(1000.0 - bad);
        }
    }
    let hhmm = |s: f64| {
        let m = (s / 60.0) as u64 - 3 * 1440;
        format!("day {} {:02}:{:02}", 4 + m / 1440, m / 60 % 24, m % 60)
    };
    match evaluate(&policy, &o, &t, &good, &total) {
        Ok(ev) => {
            println!("  replay (incident at day 4 00:00: 20 % errors for 45 min; from 02:45 a 0.4 % leak for 24 h):");
            for r in &ev.rules {
                for e in &r.episodes {
                    let Some(fired) = e.fired_at else { continue };
                    println!(
                        "    {:>6} {}/{}: fires {} ({:.0} min after the errors began, {:.1}% of the budget spent), resolves {}",
                        r.severity,
                        cnarch_core::prom::duration(std::time::Duration::from_secs_f64(r.long_window)),
                        cnarch_core::prom::duration(std::time::Duration::from_secs_f64(r.short_window)),
                        hhmm(fired),
                        e.detection_time.unwrap_or(0.0) / 60.0,
                        e.budget_spent_before_firing.unwrap_or(0.0) * 100.0,
                        e.resolved_at.map(hhmm).unwrap_or_else(|| "still firing".into())
                    );
                }
            }
        }
        Err(v) => println!("  evaluation refused: {}", v.len()),
    }
    match SlothSpec::from_model(&set, "user-service").and_then(|spec| generate(&spec, period)) {
        Ok(rules) => {
            let yaml = rules.to_yaml();
            println!(
                "  Prometheus rules (Sloth's names): {} groups, {} rules, {} lines of YAML",
                rules.groups.len(),
                rules.groups.iter().map(|g| g.rules.len()).sum::<usize>(),
                yaml.lines().count()
            );
        }
        Err(v) => println!(
            "  rules refused: {}",
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
    // The same incident as a promtool test, so Prometheus itself can confirm the replay.
    let incident = cnarch_core::slo::promtool::Incident {
        interval: std::time::Duration::from_secs(60),
        errors: total.iter().zip(&good).map(|(t, g)| t - g).collect(),
        requests: total.clone(),
        requests_series: "http_requests_total{service=\"user-service\"}".into(),
        errors_series: "http_requests_errors_total{service=\"user-service\"}".into(),
    };
    let written = SlothSpec::from_model(&set, "user-service").and_then(|spec| {
        cnarch_core::slo::promtool::write(
            &spec,
            period,
            &incident,
            &cnarch_core::slo::promtool::Options::default(),
        )
    });
    match written {
        Ok(t) => {
            println!(
                "  promtool test rules file: {} checks, {} with an alert firing, {} lines; the replay above {}",
                t.checks.len(),
                t.checks.iter().filter(|c| !c.firing.is_empty()).count(),
                t.test.lines().count(),
                if t.replay_differences.is_empty() {
                    "fires at the same steps".to_string()
                } else {
                    format!("differs at {} steps", t.replay_differences.len())
                }
            );
        }
        Err(v) => println!("  promtool test refused: {} problems", v.len()),
    }
}

fn section_events(docs: &[Document]) {
    use cnarch_core::events::sqs::Queue;
    use cnarch_core::events::EventPattern;
    use cnarch_core::serverless::esm::{
        drain, Arrival, Consumer, DrainOptions, EventSourceMapping,
    };
    use cnarch_core::serverless::{check, cost, Architecture, PriceTable, Usage};
    for d in docs {
        let Document::EventDrivenArchitecture(e) = d else {
            continue;
        };
        // Each rule as the EventBridge pattern of the event it names.
        for r in &e.rules {
            let Some(ev) = e.events.get(&r.event) else {
                continue;
            };
            let pattern =
                serde_json::json!({"source": [ev.source], "detail-type": [ev.event_type]});
            let Ok(p) = EventPattern::from_value(&pattern) else {
                continue;
            };
            println!("  rule {} -> {}: pattern {pattern}", r.name, r.target);
            for (source, kind) in [
                (ev.source.as_str(), ev.event_type.as_str()),
                (ev.source.as_str(), "UserDeleted"),
                ("billing-service", ev.event_type.as_str()),
            ] {
                let event =
                    serde_json::json!({"source": source, "detail-type": kind, "detail": {"id": 7}});
                println!(
                    "    {source} / {kind:<12} {}",
                    if p.matches(&event) {
                        "matches"
                    } else {
                        "no match"
                    }
                );
            }
        }
        // Each queue draining through the function its trigger names, as Lambda's event
        // source mapping runs it: 2,000 messages at once, 3 of them poison, 800 ms per batch,
        // reserved concurrency 20.
        for q in &e.queues {
            let Ok(mut sim) = Queue::from_model(q) else {
                continue;
            };
            let Some((fname, f, batch)) = e.functions.iter().find_map(|(n, f)| {
                f.triggers
                    .iter()
                    .find(|t| t.source == q.name)
                    .map(|t| (n, f, t.batch_size.unwrap_or(10)))
            }) else {
                continue;
            };
            let mapping = EventSourceMapping {
                batch_size: u32::try_from(batch).unwrap_or(10),
                ..EventSourceMapping::default()
            };
            let consumer = Consumer {
                duration: std::time::Duration::from_millis(800),
                timeout: f.timeout.map_or(std::time::Duration::from_secs(3), |d| {
                    std::time::Duration::from_nanos(u64::try_from(d.as_nanos()).unwrap_or(0))
                }),
                reserved_concurrency: Some(20),
                ..Consumer::default()
            };
            let arrivals = [Arrival {
                count: 2000,
                failing: 3,
                ..Arrival::default()
            }];
            let options = DrainOptions {
                until: Instant::from_millis(300_000),
                ..DrainOptions::default()
            };
            if let Ok(d) = drain(&mut sim, &mapping, &consumer, &arrivals, &options) {
                println!(
                    "  queue {} through {fname} (batches of {batch}, visibility {} s, maxReceiveCount {}, reserved concurrency 20):",
                    q.name,
                    sim.attributes().visibility_timeout,
                    sim.attributes().redrive_policy.as_ref().map_or(0, |r| r.max_receive_count),
                );
                for p in d.points.iter().filter(|p| {
                    [0, 1, 5, 30, 60, 120, 150].contains(&(p.at.as_nanos() / 1_000_000_000))
                }) {
                    println!(
                        "    t={:>3} s  visible {:>4}  in flight {:>4}  oldest {:>3} s  running {:>2}  throttled {:>2}  deleted {:>4}  dead letters {}",
                        p.at.as_nanos() / 1_000_000_000,
                        p.visible,
                        p.in_flight,
                        p.oldest_age.map_or(0, |a| a.as_secs()),
                        p.concurrency,
                        p.throttles,
                        p.deleted,
                        p.moved_to_dead_letter
                    );
                }
                println!(
                    "    {} invocations, {} throttled batches, {} deleted, {} moved to {}, drained at {}",
                    d.invocations,
                    d.throttles,
                    d.deleted,
                    d.moved_to_dead_letter,
                    sim.dead_letter_name().unwrap_or("-"),
                    d.drained_at.map_or("never".into(), |t| format!("{} s", t.as_nanos() / 1_000_000_000))
                );
            }
            // The same with partial batch responses: only the poison messages go back.
            let partial = EventSourceMapping {
                report_batch_item_failures: true,
                ..mapping.clone()
            };
            if let Ok(mut again) = Queue::from_model(q) {
                if let Ok(d) = drain(&mut again, &partial, &consumer, &arrivals, &options) {
                    println!(
                        "    with ReportBatchItemFailures: {} deleted, {} moved to the dead-letter queue",
                        d.deleted, d.moved_to_dead_letter
                    );
                }
            }
            // A month of it: 20 million invocations of 120 ms.
            for arch in [Architecture::X86_64, Architecture::Arm64] {
                let usage = Usage {
                    invocations: 20_000_000,
                    duration: std::time::Duration::from_millis(120),
                    architecture: arch,
                    free_tier: true,
                    memory_mb: None,
                };
                if let Ok(c) = cost(f, &usage, &PriceTable::aws_default()) {
                    println!(
                        "  {fname} on {}: {:.0} GB-s ({:.0} free) -> ${:.2} a month (${:.2} duration, ${:.2} requests)",
                        arch.as_str(),
                        c.gb_seconds,
                        c.free_gb_seconds,
                        c.total_cost,
                        c.compute_cost,
                        c.request_cost
                    );
                }
            }
        }
        for finding in check(e) {
            println!(
                "  {:?} {} at {}: {}",
                finding.severity, finding.code, finding.path, finding.message
            );
        }
    }
}

fn section_eventsourcing(docs: &[Document]) {
    use cnarch_core::eventsourcing::{
        EventData, EventId, ExpectedRevision, LogFilter, Partition, Projection, RecordedEvent,
        Replay, SnapshotPolicy, Snapshots, Source, Store, StoreError, StreamMetadata,
    };
    for d in docs {
        let Document::EventSourcing(es) = d else {
            continue;
        };
        let mut store = Store::new();
        let meta = StreamMetadata::from_model(&es.event_store);
        println!(
            "  {}: store {} ({}), retention as $maxAge: {} h",
            es.name,
            es.event_store.name,
            es.event_store.store_type,
            meta.max_age.map_or(0, |d| d.as_secs() / 3600)
        );
        let ev = |id: u128, ty: &str, data: serde_json::Value| EventData {
            id: EventId(id),
            event_type: ty.into(),
            data: data.to_string().into_bytes(),
            metadata: Vec::new(),
            is_json: true,
        };
        // A month of a user's history, one event every 6 hours from 2026-01-01.
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default()
            .timestamp_millis();
        let hour = 3_600_000i64;
        let kinds = ["EmailChanged", "LoggedIn", "LoggedIn", "ProfileUpdated"];
        let _ = store.set_metadata("user-42", meta);
        let _ = store.append(
            "user-42",
            ExpectedRevision::NoStream,
            vec![ev(1, "UserCreated", serde_json::json!({"email": "a@x.io"}))],
            start,
        );
        for k in 1..160u128 {
            let ty = kinds[(k % 4) as usize];
            let rev = store.revision("user-42").unwrap_or(0);
            let data = serde_json::json!({"email": format!("u{k}@x.io")});
            let _ = store.append(
                "user-42",
                ExpectedRevision::Exact(rev),
                vec![ev(k + 1, ty, data)],
                start + 6 * hour * k as i64,
            );
        }
        let now = start + 6 * hour * 160;
        println!(
            "  appended {} events to user-42, one every 6 hours (revision {})",
            store.len(),
            store.revision("user-42").unwrap_or(0)
        );
        // Two writers read revision 159 and both append with that expectation.
        let rev = store.revision("user-42").unwrap_or(0);
        let mut write = |id: u128, email: &str| {
            store.append(
                "user-42",
                ExpectedRevision::Exact(rev),
                vec![ev(
                    id,
                    "EmailChanged",
                    serde_json::json!({ "email": email }),
                )],
                now,
            )
        };
        let first = write(500, "w1@x.io");
        let second = write(501, "w2@x.io");
        let retry = write(500, "w1@x.io");
        println!(
            "  two writers expecting revision {rev}: the first writes revision {}; the second is refused ({}); the first's retry writes nothing (written: {})",
            first.ok().and_then(|r| r.next_expected_revision).unwrap_or(0),
            match &second {
                Err(e @ StoreError::WrongExpectedVersion { .. }) => e.to_string(),
                other => format!("{other:?}"),
            },
            retry.map(|r| r.written).unwrap_or(true)
        );
        // The model's projection: the profile (latest email, logins) per user stream.
        for p in &es.projections {
            let batch = p.batch_size.map_or(500, |b| b.max(1) as usize);
            let Ok(mut proj) = Projection::new(
                Source::All(LogFilter {
                    stream_prefixes: vec!["user-".into()],
                    ..LogFilter::default()
                }),
                [],
                Partition::Stream,
                (String::new(), 0u32),
                batch,
            ) else {
                continue;
            };
            let fold = |s: &(String, u32), e: &RecordedEvent| -> Result<(String, u32), ()> {
                let v: serde_json::Value = serde_json::from_slice(&e.data).unwrap_or_default();
                let email = v["email"].as_str().map(str::to_string);
                Ok(match e.event_type.as_str() {
                    "LoggedIn" => (s.0.clone(), s.1 + 1),
                    _ => (email.unwrap_or_else(|| s.0.clone()), s.1),
                })
            };
            if let Ok(r) = proj.run(&store, now, fold) {
                let state = proj.state("user-42").cloned().unwrap_or_default();
                println!(
                    "  projection {} (handler {}, batches of {batch}, checkpoint position {} kept as `{}`): {} events folded; user-42 is {} with {} logins",
                    p.name,
                    p.handler,
                    r.checkpoint.unwrap_or(0),
                    p.checkpoint.as_deref().unwrap_or("-"),
                    r.folded,
                    state.0,
                    state.1
                );
            }
        }
        // The model's snapshots: every `frequency`, kept `retention`.
        for sn in &es.snapshots {
            let policy = SnapshotPolicy::from_model(sn);
            let Ok(mut snaps) = Snapshots::<u64>::new(policy) else {
                continue;
            };
            let count = |n: &u64, _: &RecordedEvent| -> Result<u64, ()> { Ok(n + 1) };
            // the snapshotter runs after each event, at the event's time
            let events = store
                .read_stream(
                    "user-42",
                    cnarch_core::eventsourcing::Direction::Forwards,
                    None,
                    usize::MAX,
                    now,
                )
                .unwrap_or_default();
            let mut n = 0u64;
            for e in &events {
                n += 1;
                snaps.offer("user-42", e.revision, e.created, n);
            }
            let loaded = snaps.load(&store, "user-42", 0, now, count);
            let full = Snapshots::<u64>::new(SnapshotPolicy {
                every_events: Some(u64::MAX),
                ..SnapshotPolicy::default()
            })
            .ok()
            .and_then(|s| s.load(&store, "user-42", 0, now, count).ok());
            if let Ok(l) = loaded {
                println!(
                    "  snapshots {} (every {} h, kept {} h), offered after each event: {} kept; loading user-42 reads {} events after the snapshot at revision {} instead of {}",
                    sn.name,
                    policy.every_ms.unwrap_or(0) / hour,
                    policy.retention_ms.unwrap_or(0) / hour,
                    snaps.list("user-42").len(),
                    l.events_read,
                    l.snapshot.unwrap_or(0),
                    full.map_or(0, |f| f.events_read)
                );
            }
        }
        // The model's replay window.
        if let Some(cfg) = &es.replay {
            if let Ok(mut r) = Replay::from_model(&store, cfg) {
                let mut batches = 0;
                while r.next_batch(&store).is_some() {
                    batches += 1;
                }
                let p = r.progress();
                println!(
                    "  replay {} .. {} (enabled: {}): {} events in {batches} batch(es) of up to {}, last position {}",
                    cfg.from.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    cfg.to.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    cfg.enabled,
                    p.total,
                    cfg.batch_size.unwrap_or(500),
                    p.position.unwrap_or(0)
                );
            }
        }
        let bytes = store.to_bytes();
        let text = store.to_json_lines();
        let back = Store::from_bytes(&bytes).map(|s| s.to_json_lines() == text);
        println!(
            "  persisted: {} bytes binary, {} bytes of JSON lines; the binary form loads back to the same store: {}",
            bytes.len(),
            text.len(),
            back.unwrap_or(false)
        );
    }
}
