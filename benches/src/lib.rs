//! Helpers shared by cnarch's criterion benchmarks (in `benches/benches/`).

use std::fmt::Write;

/// A YAML file of `n` Microservice documents, each with resources, environment, probes,
/// scaling and dependencies (about 1 KB per document).
pub fn microservices_yaml(n: usize) -> String {
    let mut out = String::with_capacity(n * 1100);
    for i in 0..n {
        if i > 0 {
            out.push_str("---\n");
        }
        let _ = write!(
            out,
            "apiVersion: cnarch.dev/v1alpha1
kind: Microservice
name: service-{i}
namespace: team-{team}
image: registry.example.com/team-{team}/service-{i}:v1.{minor}.0
replicas: {replicas}
resources:
  cpu: {cpu}m
  memory: {mem}Mi
environment:
  DATABASE_URL: postgresql://user:pass@db-{team}:5432/service_{i}
  REDIS_URL: redis://redis-{team}:6379/{db}
  LOG_LEVEL: info
  FEATURE_FLAGS: alpha,beta,gamma
secrets: [service-{i}-db, service-{i}-tls]
configMaps: [service-{i}-config]
dependencies: [service-{dep1}, service-{dep2}, redis-{team}]
healthCheck:
  liveness:
    httpGet: {{path: /health, port: 8080}}
    initialDelaySeconds: 30
    periodSeconds: 10
    timeoutSeconds: 2
    failureThreshold: 3
  readiness:
    httpGet: {{path: /ready, port: 8080}}
    initialDelaySeconds: 5
    periodSeconds: 5
  startup:
    tcpSocket: {{port: 8080}}
    failureThreshold: 30
    periodSeconds: 2
scaling:
  minReplicas: 2
  maxReplicas: {max}
  targetCPU: 70
  targetMemory: 80
",
            team = i % 37,
            minor = i % 10,
            replicas = 2 + i % 5,
            cpu = 100 + (i % 20) * 50,
            mem = 128 * (1 + i % 8),
            db = i % 16,
            dep1 = (i + 1) % n.max(1),
            dep2 = (i + 7) % n.max(1),
            max = 10 + i % 40,
        );
    }
    out
}
