// Compiled with `tsc --strict` against the package's declarations: every export, used as a
// TypeScript user would.
import {
  type ConfigError,
  dump,
  load,
  parseDuration,
  Quantity,
  Schedule,
  Selector,
  SelectorIndex,
  NetworkPolicyEngine,
  authorize,
  CircuitBreaker,
  Permit,
  RetryPolicy,
  TokenBucket,
  Gcra,
  Bulkhead,
  OutlierDetector,
  RetryOn,
  RetryThrottle,
  RetryBudget,
  RetryQuota,
  replicaCalc,
  objectReplicaCalc,
  HorizontalAutoscaler,
  ServerlessAutoscaler,
  ScaledObject,
  kedaActivation,
  simulate,
  compare,
  burnRate,
  timeToExhaustion,
  allowedBadTime,
  allowedBadEvents,
  budgetConsumed,
  burnFactor,
  detectionTime,
  resetTime,
  budgetStatus,
  MultiwindowPolicy,
  evaluate,
  prometheusRules,
  promtoolTest,
  AlertRule,
  notifications,
  escalation,
  parseMatchers,
  matchersMatch,
  AlertmanagerConfig,
  patternMatches,
  PatternMatcher,
  FilterPolicy,
  Topic,
  Queue,
  EventSourceMapping,
  type Drain,
  serverlessCost,
  lambdaPrices,
  checkServerless,
  parseTraceparent,
  formatTraceparent,
  parseTracestate,
  updateTracestate,
  removeTracestate,
  truncateTracestate,
  Sampler,
  Router,
  expandSeries,
  formatSeries,
  Throttle,
  StageCache,
  corsCheck,
  preflight,
  corsResponse,
  type CorsVerdict,
  type RouteSelection,
  spanTree,
  probeTimeline,
  parseExposition,
  renderExposition,
  renderMetrics,
  type MetricFamily,
  probeBounds,
  probeBackOff,
  type ProbeTimeline,
  type ProbeBounds,
  type TraceTree,
  type TraceParent,
  type SamplingResult,
  type TraceContextError,
  type SqsMessage,
  type QueueMetrics,
  type SendReceipt,
  type LambdaCost,
  type LambdaPrices,
  type ServerlessFinding,
  filterPolicyMatches,
  type FilterOutcome,
  type Delivery,
  type SnsAttribute,
  type EventPattern,
  type PatternError,
  type AlertmanagerRoute,
  type ReceiverNotification,
  evaluateRatios,
  sli,
  calendarWindow,
  validate,
  version,
  type Document,
  type Kind,
  type LabelSelector,
  type ParseError,
  type ValidationError,
  type BreakerSnapshot,
  type CallNotPermittedError,
  type OutlierEvent,
  type HpaDecision,
  type SimulationResult,
  type Violation,
} from "cnarch";
import {
  EventStore,
  CatchUpSubscription,
  PersistentSubscription,
  Projection,
  Snapshots,
  Replay,
  type RecordedEvent,
} from "cnarch/eventsourcing";

const v: string = version();
const docs: Document[] = load("apiVersion: cnarch.dev/v1alpha1\nkind: Microservice\nname: a\nimage: a\n");
const kind: Kind = docs[0].kind;
const violations: Violation[] = validate(docs);
const first: Violation | undefined = violations[0];
const path: string | undefined = first?.path;
const yaml: string = dump(docs);
const json: string = dump(docs[0], "json");
const ms: number = parseDuration("1h30m");
const q = new Quantity("1.5Gi");
const sum: Quantity = q.add(new Quantity("512Mi")).sub(new Quantity("1")).neg();
const cmp: number = q.compare(sum);
const same: boolean = q.equals(sum);
const big: bigint = q.value() + q.milliValue() + q.nanos();
const fmt: "DecimalSI" | "BinarySI" | "DecimalExponent" = q.format;
const text: string = q.toString() + q.toJSON();
const s = new Schedule("0 3 * * *");
const times: Date[] = s.nextAfter(new Date(), 3).concat(s.nextAfter(0), s.nextAfter(0, 2, new Date(0)));
const expr: string = s.toString();
const sel: Selector = Selector.parse("app=web");
const ls: LabelSelector = sel.toLabelSelector();
const back: Selector = Selector.fromLabelSelector(ls);
const witness: Record<string, string> | null = sel.overlaps(Selector.everything());
const flags: boolean[] = [sel.matches({ app: "web" }), sel.isSubsetOf(back), sel.equals(back), sel.isNothing, Selector.nothing().isEverything];
const index = new SelectorIndex();
const ids: number[] = [index.insert(sel)].concat(index.matching({ app: "web" }), [index.length]);
index.free();
const engine = new NetworkPolicyEngine([{ name: "default" }], [{ namespace: "default", name: "a", ips: ["10.0.0.1"] }], []);
const nv = engine.evaluate("default/a", "10.0.0.2", 443, "TCP");
const table: boolean[][] = engine.connectivity(80);
const selecting: string[] = engine.policiesSelecting("default", "a");
const why: string = nv.ingress.verdict === "denied" ? nv.ingress.isolated_by.join(",") : nv.egress.verdict;
const az = authorize([], { service: "web" });
const decided: string = az.decision.decision === "allowed_by" ? az.decision.rule.policy : az.decision.decision;
engine.free();
const cb = new CircuitBreaker({ slidingWindowSize: 4, waitDurationInOpenState: 1000 });
const acquired = cb.tryAcquire(0);
if (acquired instanceof Permit) cb.record(1, acquired, true, 1);
else console.log(acquired.retryAfter, acquired.state);
const st: string = cb.state(2) + cb.metrics(2).calls;
const delays: Float64Array = RetryPolicy.grpc(4, 0.1, 1, 2).delays(1n);
const fromOptions: Float64Array = new RetryPolicy({ maxAttempts: 3, initial: "50ms", jitter: "equal" }).delays(7);
const configProblem = (e: unknown): string => ((e as ConfigError).name === "ConfigError" ? `${(e as ConfigError).code} at ${(e as ConfigError).path ?? "?"}` : "");
const rd = new TokenBucket(10, 5).check(0, 2);
const rg = new Gcra(10, 5).check(0);
const limited: boolean = rd.allowed && rg.retryAfter === null;
const snap: BreakerSnapshot = cb.snapshot();
const restored = CircuitBreaker.restore({ slidingWindowSize: 4 }, snap);
restored.transitionToMetricsOnly(3);
const answer: Promise<number> = restored.execute(async () => 42, () => 5);
answer.catch((e: unknown) => {
  const refused = e as CallNotPermittedError;
  console.log(refused.state, refused.retryAfter);
});
const bh = new Bulkhead(2, 1, 100);
const bh2: Bulkhead = new Bulkhead({ maxConcurrent: 2, maxWait: "100ms" });
const entered = bh.tryEnter(0);
const promoted: number | null = entered.admitted ? bh.release(1) : entered.ticket;
const od = OutlierDetector.istio(5, 10_000, 30_000, ["a", "b"]);
const od2: OutlierDetector = OutlierDetector.istio({ interval: "5s" }, ["a"]);
new OutlierDetector(["x"], { consecutive5xx: 3, interval: 1000 }, 0, 7n).record(0, "x", "timeout");
od.record(0, "a", 503);
od.advance(10_000);
const evs: OutlierEvent[] = od.events();
const ejected: boolean = od.isEjected("a") || od.ejected().length > 0 || evs.some((e) => e.kind === "success_rate");
const retried: boolean = RetryOn.istioDefault().shouldRetry(503) && new RetryOn("5xx", [409]).shouldRetry("grpc:UNAVAILABLE") && RetryOn.grpc(["UNAVAILABLE"]).shouldRetry("reset");
const throttle = new RetryThrottle(10, 0.1);
throttle.onFailure();
throttle.onSuccess();
const quota = new RetryQuota();
const cost: number | undefined = quota.acquire(true);
quota.onSuccess(cost);
const budgeted: boolean = throttle.allowsRetry() && new RetryBudget(20, 3).allowsRetry(10, quota.available + throttle.tokens > 0 ? 1 : 0) && new RetryBudget().maxActiveRetries(5) > 0;
const rc = replicaCalc(3, [{ request: "1", usage: "600m" }, { request: 1000, usage: null }], { targetUtilization: 50, now: 0 });
const oc = objectReplicaCalc(2, "3", { targetAverageValue: 1 });
const hpaCtl = new HorizontalAutoscaler({ maxReplicas: 5, metrics: [{ type: "External", external: { metric: { name: "q" }, target: { type: "AverageValue", averageValue: "1" } } }] }, { tolerance: 0.1 });
const hd: HpaDecision = hpaCtl.decide(0, 2, [3000, { error: "x" }].slice(0, 1), { statusReplicas: 2 });
const kd = new ServerlessAutoscaler({ stableWindow: 60_000 }).scale(0, 10, 10, 1);
const so = new ScaledObject({ triggers: [{ name: "q", threshold: 5 }] });
const sd = so.poll(0, 0, [1]);
const sim: SimulationResult = simulate({ kpa: {} }, [[0, 1], [10_000, 2]], 1n);
const simCmp = compare({ kpa: {} }, { kpa: { stableWindow: 30_000 } }, { time: [0, 10_000], demand: [1, 2] });
console.log(rc.desiredReplicas + oc.value, hd.conditions[0]?.reason, hpaCtl.metricNames, kd.panicking, sd.setReplicas, so.hpaSpec(), kedaActivation(1), sim.summary.podSeconds, simCmp.unservedDelta);
const policy = MultiwindowPolicy.standard("30d");
const ev = evaluate(policy, 0.999, [60_000, 120_000], [1000, 0], [1000, 1000]);
const firstFire: number | null = ev.rules[0].episodes[0]?.firedAt ?? null;
const math = burnRate(0.01, 0.999) + (timeToExhaustion(0.999, "30d", 0.01) ?? 0) + allowedBadTime(0.999, 2_592_000_000) + allowedBadEvents(0.999, 1e6)
  + budgetConsumed(0.0144, 0.999, "1h", "30d") + burnFactor(0.02, "30d", "1h") + (detectionTime(0.999, 1, "1h", 14.4) ?? 0) + (resetTime(0.999, 1, "1h", 14.4) ?? 0) + budgetStatus(0.999, 999, 1000).bad;
const yamlRules: string = prometheusRules({ version: "prometheus/v1", service: "s", slos: [] });
const ptest = promtoolTest({ version: "prometheus/v1", service: "s", slos: [] }, { interval: "1m", phases: [{ duration: "5m", requestsPerSecond: 1, errorRatio: 0 }] });
const ptestTimes: number[] = ptest.checks.map((c) => c.time).concat(ptest.nearTies);
const ar = new AlertRule("5m", 0);
const arState: string = ar.eval(0, true) + ar.state;
const notes = notifications([{ labels: { alertname: "A" }, startsAt: 0 }], { until: 60_000 });
const esc = escalation({ steps: [{ delay: 0, channels: ["slack"] }] }, { labels: {}, startsAt: 0, endsAt: 1000 });
const am = new AlertmanagerConfig("route:\n  receiver: team\nreceivers:\n  - name: team\n");
const amRoutes: AlertmanagerRoute[] = am.routes({ alertname: "A" });
const amNotes: ReceiverNotification[] = am.timeline([{ labels: { alertname: "A" }, startsAt: 0 }], 60_000);
const amOp: string = parseMatchers('{a="b"}')[0].op;
console.log(amRoutes[0].groupBy, amRoutes[0].continue, amNotes[0]?.receiver, amOp, am.receivers({}), am.inhibited([], {}, 0), matchersMatch("a=b", { a: "b" }));
am.free();
const custom = MultiwindowPolicy.fromRules("30d", [{ longWindow: "1h", factor: 36 }]);
const evr = evaluateRatios(custom, 0.999, [60_000], [0]);
const s1: number | null = sli([[0, 1, 1]], { method: "occurrences" });
const cw: { start: number; end: number } = calendarWindow(new Date(0), "quarter", "+02:00");
console.log(evr.rules.length, s1, cw.end - calendarWindow(0).start);
console.log(firstFire, math, yamlRules.length, arState, notes.length, esc[0]?.channels, policy.rules[0].factor, MultiwindowPolicy.pyrra().validate(0.999));
console.log(budgeted, promoted, ejected, retried, bh.active + bh.queued + bh.rejected, od.hosts.length);
q.free();
s.free();

const ec2: EventPattern = { source: ["aws.ec2"], detail: { state: [{ "anything-but": "pending" }] } };
const rules = new PatternMatcher();
rules.add("ec2", ec2);
rules.add("text", '{"source": [{"prefix": "aws."}]}');
const hit: boolean = patternMatches(ec2, { source: "aws.ec2", detail: { state: "running" } });
const named: string[] = rules.match('{"source": "aws.s3"}');
const heldRules: number = rules.length;
const known: boolean = rules.has("ec2") && rules.remove("text");
let patternPath: string | null = null;
try {
  patternMatches({ source: [] }, {});
} catch (e) {
  if (e instanceof Error && e.name === "PatternError") patternPath = (e as PatternError).path;
}
const ruleNames: string[] = rules.names;
rules.free();

const interests = new FilterPolicy({ customer_interests: [{ prefix: "bas" }] });
const attrs: Record<string, SnsAttribute> = { customer_interests: { Type: "String", Value: "baseball" } };
const verdict: FilterOutcome = interests.evaluate(attrs);
const bodyPolicy = new FilterPolicy('{"region": [{"suffix": "-1"}]}', "MessageBody");
const passes: boolean = bodyPolicy.matches(null, { region: "eu-west-1" }) && interests.combinations === 1 && filterPolicyMatches({ region: ["eu-west-1"] }, { body: { region: "eu-west-1" }, scope: "MessageBody" });
const topic = new Topic("orders");
topic.subscribe("billing", "sqs", { customer_interests: ["rugby"] });
topic.subscribe("audit", "lambda");
topic.subscribe("eu", "email-json", { region: [{ prefix: "eu-" }] }, "MessageBody");
const deliveries: Delivery[] = topic.publish(attrs, '{"region": "eu-west-1"}');
const failed: string[] = deliveries.flatMap((d) => d.failedKeys).concat(interests.keys, topic.subscriptions);
const gone: boolean = topic.unsubscribe("audit") && !topic.fifo && topic.name === "orders" && bodyPolicy.scope === "MessageBody";
interests.free();
bodyPolicy.free();
topic.free();

const queue = new Queue("orders", { VisibilityTimeout: 10, RedrivePolicy: { deadLetterTargetArn: "orders-dlq", maxReceiveCount: 3 } });
const receipt: SendReceipt = queue.send(0, "order 1", { delaySeconds: 0 });
const received: SqsMessage[] = queue.receive(1000, { maxMessages: 10, visibilityTimeout: 5 });
queue.changeVisibility(1000, received[0].receiptHandle, 0);
queue.delete(1000, queue.receive(1000)[0].receiptHandle);
const qm: QueueMetrics = queue.metrics(2000);
const dlqVisible: number = (qm as QueueMetrics & { deadLetter: QueueMetrics | null }).deadLetter?.visible ?? 0;
const queueFacts: string = `${queue.name} ${queue.deadLetterName ?? ""} ${queue.fifo} ${receipt.messageId} ${dlqVisible}`;
const esm = new EventSourceMapping({ BatchSize: 10, FunctionResponseTypes: ["ReportBatchItemFailures"] });
const drained: Drain = esm.drain(queue, { duration: 500, arrivals: [{ at: 3000, count: 20, failing: 1 }], until: 60_000, reservedConcurrency: 2 });
const drainFacts: string = `${drained.points[0]?.concurrency} ${drained.drainedAt} ${esm.settings.batchSize}`;
esm.free();
queue.free();
const lambdaTable: LambdaPrices = lambdaPrices();
const monthly: LambdaCost = serverlessCost({ runtime: "go1.x", handler: "main.Handler", memory: 512 }, { invocations: 1000, duration: 120, architecture: "arm64", prices: lambdaTable });
const findings: ServerlessFinding[] = checkServerless({ name: "user-events", queues: [{ name: "q" }] });
const serverlessFacts: string = `${monthly.totalCost} ${findings.length} ${lambdaTable.freeTier.gbSeconds}`;

const tp: TraceParent = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
const header: string = formatTraceparent(tp.traceId, tp.parentId, { sampled: tp.sampled, random: tp.randomTraceId, traceFlags: tp.traceFlags });
const members: [string, string][] = parseTracestate("rojo=1,congo=2");
const state: string = truncateTracestate(removeTracestate(updateTracestate("rojo=1", "congo", "2"), "rojo"), 512);
const pb: Sampler = Sampler.parentBased(Sampler.probability(0.25, 4)).withDelegate("remoteParentNotSampled", Sampler.alwaysOn());
const sampled: SamplingResult = pb.shouldSample(tp.traceId, { sampled: false, remote: true, tracestate: state });
const samplers: Sampler[] = [Sampler.alwaysOff(), Sampler.traceIdRatioBased(0.5), Sampler.fromSampleRate(null), Sampler.fromSampleRate(0.1)];
let traceCode = "";
try {
  parseTraceparent("ff");
} catch (e) {
  if (e instanceof Error && e.name === "TraceContextError") traceCode = (e as TraceContextError).code;
}
const forest: TraceTree[] = spanTree({ spans: [] });
const probeLine: ProbeTimeline = probeTimeline({ liveness: { tcpSocket: { port: 80 } } }, { phases: [{ at: 30_000, state: "hung" }] }, { until: 60_000 });
const probeWorst: ProbeBounds = probeBounds({ liveness: { tcpSocket: { port: 80 } } }, { up: 5_000 });
const waitMs: number = probeBackOff(2) + (probeLine.firstReady ?? 0) + (probeWorst.hangDetection ?? 0);
const router: Router = new Router(["GET /pets/{id}", "$default"]);
const chosen: RouteSelection = router.select("GET", "/pets/7");
const fromRest: Router = Router.fromApiGateway({ resources: [{ path: "/users", methods: ["GET"] }] });
const corsReq = { origin: "https://app.example.com", method: "PUT", headers: [["Authorization", "t"]] as [string, string][], credentials: "include" as const };
const corsAnswer = corsResponse({ allowOrigins: ["https://app.example.com"], allowMethods: ["PUT"], allowHeaders: ["authorization"], allowCredentials: true }, { ...corsReq, method: "OPTIONS", headers: { "Access-Control-Request-Method": "PUT" } });
const pre = preflight(corsReq, corsAnswer.headers, corsAnswer.status);
const seen: CorsVerdict = corsCheck(corsReq, corsAnswer.headers);
const gwThrottle = new Throttle({ stage: { rate: 10, burst: 5 }, usagePlan: { rate: 1, burst: 2 }, methods: { "GET /pets": { rate: 1, burst: 1 } } });
const limited429 = gwThrottle.request(0, "GET /pets", "key-a");
const cache = new StageCache({ ttl: 60_000, allowInvalidation: true });
const cached = cache.request(0, "GET", "/pets", [["type", "dog"]], "max-age=0");
const samples: (number | null | "stale")[] = expandSeries("1+2x3 _ stale");
const written: string = formatSeries(samples);
const routeFacts = `${samples.length} ${written} ${limited429.level} ${limited429.retryAfter} ${cached.outcome} ${cached.expiresAt} ${pre.ok} ${pre.maxAge} ${pre.unsafeHeaders.join()} ${seen.rule} ${chosen.routeKey} ${chosen.pathParameters.id} ${chosen.body ?? ""} ${fromRest.routes.join()} ${router.routes.length}`;
router.free();
const tracingFacts: string = `${forest.length} ${forest[0]?.criticalPath[0]?.spanId} ${header} ${members.length} ${sampled.decision} ${sampled.sampler} ${samplers.map((s) => s.description).join()} ${traceCode}`;
pb.free();
const scraped: MetricFamily[] = parseExposition(renderExposition([{ name: "up", type: "gauge", samples: [{ name: "up", value: 1 }] }]) + renderMetrics([{ name: "x", type: "counter", value: 1 }]));
console.log(scraped[0].samples[0].value, waitMs, probeLine.events.map((e) => (e.event === "back_off" ? e.wait : e.at)).join());

function describe(e: unknown): string {
  if (e instanceof Error && e.name === "ParseError") {
    const p = e as ParseError;
    return `${p.code} at ${p.position?.line ?? "?"}:${p.position?.column ?? "?"}`;
  }
  if (e instanceof Error && e.name === "ValidationError") {
    return (e as ValidationError).violations.map((x) => `${x.path} ${x.code}`).join("\n");
  }
  return String(e);
}

export const used = [routeFacts, tracingFacts, queueFacts, serverlessFacts, drainFacts, verdict, passes, failed, gone, hit, named, heldRules, known, patternPath, ruleNames, st, delays, fromOptions, configProblem(null), limited, new RetryPolicy(3, "exponential", 100, 2, 1000, "full").maxAttempts, RetryPolicy.envoy(), nv.allowed, table, selecting, why, decided, sel.toString(), witness, flags, ids, v, kind, path, yaml, json, ms, cmp, same, big, fmt, text, times, expr, describe(null)];

// cnarch/eventsourcing
{
  const store = new EventStore();
  const r = store.append("acct-1", [{ id: "00000000-0000-0000-0000-000000000001", type: "Opened", data: { owner: "ana" } }], "noStream", 0);
  const next: number | null = r.nextExpectedRevision;
  const events: RecordedEvent[] = store.readStream("acct-1", { direction: "backwards", maxCount: 1 });
  const all: RecordedEvent[] = store.readAll({ streamPrefixes: ["acct-"] });
  const sub = new CatchUpSubscription("acct-1", { batchSize: 10 });
  const batch = sub.poll(store, 0);
  sub.ack(batch.checkpoint);
  const group = new PersistentSubscription(null, { maxRetryCount: 3, messageTimeout: 1000 });
  for (const d of group.poll(store, 0)) group.nack(d.event.position, d.retryCount > 1 ? "park" : "retry");
  const reasons: string[] = group.parked.map((p) => p.reason);
  const p = new Projection<number>({ Opened: (n, _e) => n + 1 }, { partition: "stream", initial: 0 });
  const report = p.run(store);
  const counts: { [key: string]: number } = p.states;
  const snaps = new Snapshots<number>({ everyEvents: 100 });
  const loaded = snaps.load(store, "acct-1", (n: number) => n + 1, 0);
  const taken: boolean = snaps.offer("acct-1", loaded.revision ?? 0, 0, loaded.state);
  const replay = new Replay(store, { fromTime: 0, batchSize: 2 });
  const first: RecordedEvent[] | null = replay.nextBatch(store);
  const copy: EventStore = EventStore.fromBytes(store.toBytes());
  const text: string = EventStore.fromJsonLines(copy.toJsonLines()).toJsonLines();
  void [next, events, all, reasons, report, counts, taken, first, text, replay.progress.done];
}
