//! The guided tour of cnarch on the bundled example architecture.
//!
//! `cargo run --example tour [path/to/spec.yaml]`
//!
//! Each section is one function in `SECTIONS`; later capabilities add theirs.

use std::process::ExitCode;

use chrono::{TimeZone, Utc};
use cnarch_core::model::{data, events, observability, workload};
use cnarch_core::prelude::*;

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
