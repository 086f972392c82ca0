// Type declarations for the `cnarch` package: the classes and functions are written here, the
// ffi's wire types (options, violations) are generated from the Rust types into
// generated.d.ts. Checked by compiling a sample that uses every export with `tsc --strict`.

import type { BulkheadOptions, IstioOutlierOptions, RetryOptions, Span, Violation } from "./generated";
export type { BulkheadOptions, IstioOutlierOptions, RetryOptions, Span, Violation } from "./generated";

/** The document kinds. */
export type Kind =
  | "CloudNativeApp"
  | "Microservice"
  | "ServiceMesh"
  | "CloudNativeDB"
  | "ServerlessFunction"
  | "EventDrivenArchitecture"
  | "APIGateway"
  | "EventSourcing"
  | "ObservabilityStack"
  | "ServiceLevelObjectives"
  | "DistributedTracing";

/** A document as plain data: `apiVersion`, `kind`, and the kind's fields (see docs/model.md). */
export interface Document {
  apiVersion: "cnarch.dev/v1alpha1";
  kind: Kind;
  name?: string;
  [field: string]: unknown;
}


/** What every thrown cnarch error carries (docs/errors.md lists every code, its kind and name). */
export interface CnarchError extends Error {
  name:
    | "ParseError"
    | "ValidationError"
    | "ConfigError"
    | "RangeError"
    | "TypeError"
    | "PolicyError"
    | "CalculationError"
    | "StateError"
    | "QuantityOverflowError"
    | "CallNotPermittedError"
    | "PatternError"
    | "TraceContextError"
    | "InternalError";
  /** Stable snake_case code, the same in Rust and Python. */
  code: string;
  /** The option or argument at fault, as you spelled it (camelCase), or `null`. */
  path: string | null;
  /** 1-based line and column, for errors in text; else `null`. */
  position: { line: number; column: number } | null;
  /** Every violation, for validation errors; else empty. */
  violations: Violation[];
}

/** Thrown for malformed YAML/JSON or an invalid quantity, duration, schedule or selector. */
export interface ParseError extends CnarchError {
  name: "ParseError";
}

/** Thrown when documents (`invalid_document`) or structured input (`invalid_input`) break the
 * rules; lists every violation. */
export interface ValidationError extends CnarchError {
  name: "ValidationError";
  code: "invalid_document" | "invalid_input";
}

/** Thrown for a configuration that breaks its rules (breaker, retry policy, limiter, autoscaler, objective). */
export interface ConfigError extends CnarchError {
  name: "ConfigError";
}

/** Thrown for an EventBridge event pattern event-ruler would refuse; `path` is the place in the
 * pattern (`detail.state[0].numeric`), keys as written. */
export interface PatternError extends CnarchError {
  name: "PatternError";
  code: "invalid_event_pattern";
}

/** Thrown for a W3C Trace Context header that is not valid (the recommendation's answer is to
 * discard it); `path` is `traceparent` or `tracestate`. */
export interface TraceContextError extends CnarchError {
  name: "TraceContextError";
  code: "invalid_traceparent" | "invalid_tracestate";
}

/** The library version. */
export function version(): string;

/** Loads and validates YAML or JSON text. Throws `ParseError` or `ValidationError`. */
export function load(text: string): Document[];

/** Every violation of a document or an array of documents; empty when valid. */
export function validate(docs: Document | Document[]): Violation[];

/** Writes documents as YAML (default) or JSON text, after validating them. */
export function dump(docs: Document | Document[], format?: "yaml" | "json"): string;

/** Milliseconds in a Go (`1h30m`) or Prometheus (`30d`) duration. Throws `ParseError`. */
export function parseDuration(text: string): number;

/** An exact Kubernetes resource quantity. */
export class Quantity {
  /** Parses quantity text (`500m`, `1.5Gi`). Throws `ParseError`. */
  constructor(text: string);
  /** The canonical text. */
  toString(): string;
  /** The canonical text. */
  toJSON(): string;
  /** -1, 0 or 1. */
  compare(other: Quantity): number;
  /** Equal values (`1Ki` equals `1024`). */
  equals(other: Quantity): boolean;
  /** The sum; throws `QuantityOverflowError` past the representable range. */
  add(other: Quantity): Quantity;
  /** The difference; throws `QuantityOverflowError` past the representable range. */
  sub(other: Quantity): Quantity;
  /** The negated value. */
  neg(): Quantity;
  /** The value rounded up, away from zero, to a whole unit. */
  value(): bigint;
  /** The value in thousandths, rounded up, away from zero. */
  milliValue(): bigint;
  /** The exact value in nanounits. */
  nanos(): bigint;
  /** How it prints. */
  readonly format: "DecimalSI" | "BinarySI" | "DecimalExponent";
  /** Frees the WebAssembly memory now (otherwise the garbage collector does). */
  free(): void;
}

/** A cron (Kubernetes CronJob), `@every`, or AWS `rate(...)`/`cron(...)` schedule. */
export class Schedule {
  /** Parses a schedule expression. Throws `ParseError`. */
  constructor(expr: string);
  /** The expression. */
  toString(): string;
  /** The next `n` (default 1) fire times strictly after `after`, as UTC `Date`s. With `anchor` (when the rule was created), a `rate(...)` or `@every` fires at `anchor + k·rate` (k ≥ 1), as EventBridge's rates do, and a cron schedule never at or before `anchor`. */
  nextAfter(after: Date | number, n?: number, anchor?: Date | number): Date[];
  /** Frees the WebAssembly memory now (otherwise the garbage collector does). */
  free(): void;
}

/** A structured label selector (metav1 `LabelSelector`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

/** A Kubernetes label selector with apimachinery's exact semantics. */
export class Selector {
  private constructor();
  /** Parses the string syntax. Throws `ParseError` (position: line 1, column = byte offset + 1). */
  static parse(text: string): Selector;
  /** Matches every label set. */
  static everything(): Selector;
  /** Matches no label set. */
  static nothing(): Selector;
  /** From a structured selector; `null`/`undefined` selects nothing, `{}` everything. */
  static fromLabelSelector(data: LabelSelector | null | undefined): Selector;
  /** The structured form; throws for `>`/`<` and for the nothing-selector. */
  toLabelSelector(): LabelSelector;
  /** Does the label object satisfy the selector? */
  matches(labels: Record<string, string>): boolean;
  /** A label set both selectors match, or `null`. */
  overlaps(other: Selector): Record<string, string> | null;
  /** Does `other` match every label set this selector matches? */
  isSubsetOf(other: Selector): boolean;
  /** Equal selectors. */
  equals(other: Selector): boolean;
  /** Is this the selector that matches nothing? */
  readonly isNothing: boolean;
  /** Does it match every label set? */
  readonly isEverything: boolean;
  /** apimachinery's canonical text. */
  toString(): string;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** Many selectors, indexed for "which selectors match this label set". */
export class SelectorIndex {
  constructor();
  /** Adds a selector; returns its id. */
  insert(selector: Selector): number;
  /** The ids of the selectors that match, ascending. */
  matching(labels: Record<string, string>): number[];
  /** The number of selectors. */
  readonly length: number;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** One direction's verdict. */
export type DirectionVerdict =
  | { verdict: "not_applicable" }
  | { verdict: "not_isolated" }
  | { verdict: "allowed"; policy: string; rule: number }
  | { verdict: "denied"; isolated_by: string[] };

/** Whether a connection is allowed, and why, per direction. */
export interface NetworkVerdict {
  allowed: boolean;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
}

/** A pod for the NetworkPolicy engine. */
export interface PodSpec {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  ips?: string[];
  ports?: { name?: string; port: number; protocol?: "TCP" | "UDP" | "SCTP" }[];
}

/** Thrown for unusable policies or unknown endpoints. */
export interface PolicyError extends Error {
  name: "PolicyError";
  code: string;
}

/** Kubernetes NetworkPolicy semantics over namespaces, pods and policies. */
export class NetworkPolicyEngine {
  /** Throws `PolicyError`. */
  constructor(namespaces: { name: string; labels?: Record<string, string> }[], pods: PodSpec[], policies: Record<string, unknown>[]);
  /** Endpoints are `"namespace/name"` or an IP address; protocol defaults to TCP. */
  evaluate(from: string, to: string, port: number, protocol?: "TCP" | "UDP" | "SCTP"): NetworkVerdict;
  /** `table[i][j]`: may pod i connect to pod j (pods in the order given)? */
  connectivity(port: number, protocol?: "TCP" | "UDP" | "SCTP"): boolean[][];
  /** `namespace/name` of the policies that select a pod. */
  policiesSelecting(namespace: string, name: string): string[];
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** A rule of a mesh policy. */
export interface RuleRef {
  policy: string;
  rule: number;
}

/** The outcome of mesh authorization. */
export interface AuthzVerdict {
  allowed: boolean;
  decision:
    | { decision: "denied_by_custom"; rule: RuleRef; provider: string }
    | { decision: "denied_by_deny"; rule: RuleRef }
    | { decision: "allowed_no_allow_policy" }
    | { decision: "allowed_by"; rule: RuleRef }
    | { decision: "denied_no_allow_matched"; allow_policies: string[] };
  audited: RuleRef[];
  dry_run: [RuleRef, "ALLOW" | "DENY" | "AUDIT" | "CUSTOM"][];
}

/** Istio AuthorizationPolicy semantics over mesh policies. */
export function authorize(
  policies: Record<string, unknown>[],
  request: { service: string; principal?: string; namespace?: string; serviceNamespace?: string; attributes?: Record<string, string>; customDecisions?: Record<string, boolean> },
): AuthzVerdict;

/** Permission for one call; give it back to `CircuitBreaker.record`. */
export class Permit {
  private constructor();
  free(): void;
}

/** A refused call. */
export interface Rejected {
  state: "closed" | "open" | "half_open" | "disabled" | "forced_open" | "metrics_only";
  /** Milliseconds until calls may pass, or `null` when waiting alone will not do. */
  retryAfter: number | null;
}

/** Configuration: resilience4j's names in camelCase; durations in milliseconds. */
export interface BreakerConfig {
  failureRateThreshold?: number;
  slowCallRateThreshold?: number;
  slowCallDurationThreshold?: number;
  slidingWindowType?: "count_based" | "time_based";
  slidingWindowSize?: number;
  minimumNumberOfCalls?: number;
  permittedNumberOfCallsInHalfOpenState?: number;
  maxWaitDurationInHalfOpenState?: number;
  waitDurationInOpenState?: number;
  waitMultiplier?: number;
  maxWaitDurationInOpenState?: number;
  automaticTransitionFromOpenToHalfOpenEnabled?: boolean;
  consecutiveFailures?: number;
}

/** A circuit breaker with resilience4j's model; `now` in milliseconds on your own timeline. */
export class CircuitBreaker {
  constructor(config?: BreakerConfig);
  tryAcquire(now: number): Permit | Rejected;
  /** `true` success, `false` failure, `null` not counted; duration in milliseconds. */
  record(now: number, permit: Permit, success: boolean | null, duration?: number): void;
  state(now: number): Rejected["state"];
  metrics(now: number): { failureRate: number | null; slowCallRate: number | null; calls: number; failed: number; slow: number; notPermitted: number };
  /** Calls `fn` (sync or async) under the breaker, timed by `clock` (ms; default `performance.now`).
   * Rejects with the function's error (counted as a failure, except an inner breaker's
   * `CallNotPermittedError`) or a `CallNotPermittedError` when refused. */
  execute<T>(fn: () => T | PromiseLike<T>, clock?: () => number): Promise<T>;
  /** The state as plain JSON data, to persist. */
  snapshot(): BreakerSnapshot;
  /** A breaker with `config` in the state of `snapshot`; */
  /** `ConfigError` (`invalid_breaker_snapshot`) when the snapshot does not fit. */
  static restore(config: BreakerConfig | undefined, snapshot: BreakerSnapshot): CircuitBreaker;
  transitionToClosed(now: number): void;
  transitionToOpen(now: number): void;
  transitionToHalfOpen(now: number): void;
  transitionToDisabled(now: number): void;
  transitionToForcedOpen(now: number): void;
  transitionToMetricsOnly(now: number): void;
  free(): void;
}

/** What `CircuitBreaker.execute` rejects with when the breaker refuses. */
export interface CallNotPermittedError extends CnarchError {
  name: "CallNotPermittedError";
  code: "call_not_permitted";
  state: Rejected["state"];
  retryAfter: number | null;
}

/** A breaker's state as data (instants in nanoseconds on the caller's clock). */
export interface BreakerSnapshot {
  state: Rejected["state"];
  window: { second?: number; calls: number; failed: number; slow: number }[];
  open_until_ns: number;
  openings: number;
  half_open_since_ns: number;
  half_open_permits: number;
  half_open: [number, number, number];
  consecutive_failures: number;
  not_permitted: number;
}

/** The answer of `Bulkhead.tryEnter`. */
export interface BulkheadDecision {
  admitted: boolean;
  queued: boolean;
  /** The queue ticket when queued, else `null`. */
  ticket: number | null;
}

/** At most `maxConcurrent` calls in flight and `maxQueued` waiting (FIFO), each waiting at most `maxWait` ms. */

export class Bulkhead {
  constructor(options: BulkheadOptions);
  constructor(maxConcurrent: number, maxQueued?: number, maxWait?: number);
  tryEnter(now: number): BulkheadDecision;
  /** Frees a slot; the ticket of the waiter now holding it, or `null`. */
  release(now: number): number | null;
  cancel(ticket: number): boolean;
  expire(now: number): Float64Array;
  readonly active: number;
  readonly queued: number;
  readonly rejected: number;
  free(): void;
}

/** Envoy's `OutlierDetection` fields in camelCase; durations in milliseconds. */
export interface OutlierConfig {
  interval?: number;
  baseEjectionTime?: number;
  maxEjectionTime?: number;
  maxEjectionTimeJitter?: number;
  maxEjectionPercent?: number;
  alwaysEjectOneHost?: boolean;
  consecutive5xx?: number;
  enforcingConsecutive5xx?: number;
  consecutiveGatewayFailure?: number;
  enforcingConsecutiveGatewayFailure?: number;
  successRateMinimumHosts?: number;
  successRateRequestVolume?: number;
  successRateStdevFactor?: number;
  enforcingSuccessRate?: number;
  failurePercentageThreshold?: number;
  failurePercentageMinimumHosts?: number;
  failurePercentageRequestVolume?: number;
  enforcingFailurePercentage?: number;
}

/** A decision about a host (times in ms). */
export interface OutlierEvent {
  at: number;
  host: string;
  action: "eject" | "uneject" | "overflow" | "not_enforced";
  kind: "consecutive_5xx" | "consecutive_gateway_failure" | "success_rate" | "failure_percentage" | null;
  duration: number | null;
}

/** Envoy's outlier detection over string-named hosts. */

export class OutlierDetector {
  constructor(hosts?: string[], config?: OutlierConfig, start?: number, seed?: number | bigint);
  /** What Istio's `outlierDetection` programs into Envoy (success-rate ejection off). */
  /** Istio's `outlierDetection`; absent options at Istio's defaults (5, 10 s, 30 s). */
  static istio(options: IstioOutlierOptions, hosts?: string[], start?: number, seed?: number | bigint): OutlierDetector;
  static istio(consecutive5xxErrors: number, interval: number, baseEjectionTime: number, hosts?: string[], start?: number, seed?: number | bigint): OutlierDetector;
  addHost(host: string): void;
  removeHost(host: string): boolean;
  /** A status number, `"connect_failure"` (as 503) or `"timeout"` (as 504). */
  record(now: number, host: string, result: number | "connect_failure" | "timeout"): void;
  advance(now: number): void;
  events(): OutlierEvent[];
  isEjected(host: string): boolean;
  ejected(): string[];
  readonly hosts: string[];
  free(): void;
}

/** gRFC A6 retry throttling. */
export class RetryThrottle {
  constructor(maxTokens: number, tokenRatio: number);
  onSuccess(): void;
  onFailure(): void;
  allowsRetry(): boolean;
  readonly tokens: number;
  free(): void;
}

/** Envoy's retry budget (defaults 20 % and 3). */
export class RetryBudget {
  constructor(budgetPercent?: number, minRetryConcurrency?: number);
  maxActiveRetries(activeRequests: number): number;
  allowsRetry(activeRequests: number, activeRetries: number): boolean;
  free(): void;
}

/** The AWS SDKs' standard retry quota. */
export class RetryQuota {
  constructor();
  /** The cost taken, or `undefined` when the quota cannot pay for a retry. */
  acquire(afterTimeout?: boolean): number | undefined;
  onSuccess(retryCost?: number): void;
  readonly available: number;
  free(): void;
}

/** Envoy / Istio / gRPC retry conditions. */
export class RetryOn {
  /** Envoy's comma-separated `retry_on`, plus the `retriable-status-codes`. */
  constructor(retryOn: string, statusCodes?: number[]);
  static grpc(codes: string[]): RetryOn;
  static istioDefault(): RetryOn;
  /** An HTTP status, `"grpc:NAME"`, `"connect_failure"`, `"reset"`, `"refused_stream"`, `"per_try_timeout"`, `"retryable"` or `"not_retryable"`. */
  shouldRetry(outcome: number | string): boolean;
  free(): void;
}


/** Attempts, backoff and jitter (milliseconds). */
export class RetryPolicy {
  /** Absent options: exponential backoff ×2 from 100 ms, capped at 10 s, full jitter. */
  constructor(options: RetryOptions);
  /** The positional form. */
  constructor(maxAttempts: number, backoff?: "constant" | "linear" | "exponential", initial?: number, multiplier?: number, maxDelay?: number, jitter?: "none" | "full" | "equal" | "decorrelated");
  static envoy(): RetryPolicy;
  /** gRFC A6, seconds as in the service config. */
  static grpc(maxAttempts: number, initialBackoff: number, maxBackoff: number, backoffMultiplier: number): RetryPolicy;
  /** Waits in milliseconds before attempts 2..maxAttempts; the same seed gives the same delays in every language. */
  delays(seed?: number | bigint): Float64Array;
  readonly maxAttempts: number;
  free(): void;
}

/** The answer of a rate limiter. */
export interface RateDecision {
  allowed: boolean;
  /** Milliseconds until the same request would be admitted. */
  retryAfter: number | null;
}

/** `rate` tokens per second refill a bucket of `burst`. */
export class TokenBucket {
  constructor(rate: number, burst: number);
  /** Throws `RangeError` when `n` exceeds the burst. */
  check(now: number, n?: number): RateDecision;
  free(): void;
}

/** GCRA with emission interval 1/rate and a burst tolerance. */
export class Gcra {
  constructor(rate: number, burst: number);
  /** Throws `RangeError` when `n` exceeds the burst. */
  check(now: number, n?: number): RateDecision;
  free(): void;
}

// ---- autoscale (times in milliseconds; values milli-units or quantity strings) ----

/** A pod as the HPA's replica calculator sees it. */
export interface PodInput {
  name?: string;
  phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  /** The Ready condition (default true). */
  ready?: boolean;
  deleted?: boolean;
  /** ms; default 0 (long ago). */
  startTime?: number;
  readyTransitionTime?: number;
  /** Milli-units or a quantity string. */
  request?: number | string;
  /** `null`: the metrics API returned no sample for this pod. */
  usage?: number | string | null;
  sampleTime?: number;
  sampleWindow?: number;
}

export interface ReplicaCalcOptions {
  targetUtilization?: number;
  targetAverageValue?: number | string;
  /** Default "cpu"; `null` for a Pods metric. */
  resource?: string | null;
  tolerance?: number;
  scaleUpTolerance?: number;
  scaleDownTolerance?: number;
  /** ms, default `Date.now()`. */
  now?: number;
  cpuInitializationPeriod?: number;
  initialReadinessDelay?: number;
}

export interface ReplicaCalcResult {
  desiredReplicas: number;
  utilization?: number | null;
  rawAverage?: number;
  value: number;
}

/** The HPA replica calculator for one per-pod metric. Throws `CalculationError` with the controller's message when it cannot propose. */
export function replicaCalc(currentReplicas: number, pods: PodInput[], options: ReplicaCalcOptions): ReplicaCalcResult;

/** The proposal for an Object or External metric. */
export function objectReplicaCalc(currentReplicas: number, total: number | string, options: { targetValue?: number | string; targetAverageValue?: number | string; readyPodCount?: number; tolerance?: number; scaleUpTolerance?: number; scaleDownTolerance?: number }): ReplicaCalcResult;

export interface HpaCondition {
  type: "AbleToScale" | "ScalingActive" | "ScalingLimited";
  /** As Kubernetes writes it. */
  status: "True" | "False";
  reason: string;
  message: string;
}

export interface HpaDecision {
  desiredReplicas: number;
  rescale: boolean;
  rescaleReason: string | null;
  metricReplicas: number | null;
  stabilizedReplicas: number | null;
  proposals: { metric: string; replicas: number | null; utilization: number | null; value: number | null; error: string | null }[];
  conditions: HpaCondition[];
  limitedReason: string | null;
}

/** One metric's input: pods (per-pod metrics), a value (Object/External), or a fetch error. */
export type MetricInput = PodInput[] | number | string | { error: string };

/** The HPA controller for an autoscaling/v2 spec (Kubernetes' JSON shape). */
export class HorizontalAutoscaler {
  constructor(spec: object, options?: { tolerance?: number; downscaleStabilization?: number; cpuInitializationPeriod?: number; initialReadinessDelay?: number; recommendations?: [number, number][]; scaleEvents?: [number, number][] });
  decide(now: number, currentReplicas: number, metrics: MetricInput[], extra?: { statusReplicas?: number; pods?: PodInput[] }): HpaDecision;
  readonly metricNames: string[];
  free(): void;
}

export interface KpaDecision {
  autoscalerReplicas: number;
  desiredReplicas: number;
  panicking: boolean;
  excessBurstCapacity: number;
  reason: string | null;
}

/** Knative's KPA; config keys are config-autoscaler's in camelCase (durations in ms). */
export class ServerlessAutoscaler {
  constructor(config?: Record<string, unknown>, options?: { decider?: Record<string, number>; start?: number; startReady?: number });
  scale(now: number, stable: number, panic: number, readyPods: number, reachable?: boolean): KpaDecision;
  free(): void;
}

/** KEDA's executor for one ScaledObject. */
export class ScaledObject {
  constructor(config: { minReplicaCount?: number; maxReplicaCount?: number; idleReplicaCount?: number; cooldownPeriod?: number; pollingInterval?: number; fallbackReplicas?: number; triggers: { name: string; threshold: number; activationThreshold?: number; metricType?: "AverageValue" | "Value" }[] });
  poll(now: number, currentReplicas: number, values: (number | null)[]): { active: boolean; triggersActive: (boolean | null)[]; setReplicas: number | null; action: string };
  hpaSpec(): object;
  free(): void;
}

export function kedaActivation(value: number, activationThreshold?: number): boolean;

export interface SimulationResult {
  timeline: { time: number[]; demand: number[]; replicas: number[]; ready: number[]; served: number[]; unserved: number[]; utilization: number[]; desired: number[]; reason: (string | null)[] };
  summary: { duration: number; demand: number; unserved: number; unservedFraction: number; overloadedSeconds: number; podSeconds: number; peakReplicas: number; scaleUps: number; scaleDowns: number; decisions: number };
}

export type Trace = [number, number][] | { time: number[]; demand: number[] };

/** Replays a demand trace through `{hpa: spec}` or `{kpa: {...}}` with a pod model. */
export function simulate(config: Record<string, unknown>, trace: Trace, seed?: number | bigint): SimulationResult;
export function compare(a: Record<string, unknown>, b: Record<string, unknown>, trace: Trace, seed?: number | bigint): { a: SimulationResult; b: SimulationResult; unservedDelta: number; podSecondsDelta: number; overloadedSecondsDelta: number };

// ---- slo and alerting (durations in milliseconds or strings like "30d") ----

/** The calendar window (`day`, `week` from Monday, `month` (default), `quarter`) containing `at`, in a fixed UTC offset ("UTC" (default), "+02:00", "-0530"), as ms since the epoch, `end` exclusive. IANA zone names throw a ConfigError: this build has no tz database. */
export function calendarWindow(at: number | Date, unit?: "day" | "week" | "month" | "quarter", zone?: string): { start: number; end: number };

export function burnRate(errorRatio: number, objective: number): number;
export function timeToExhaustion(objective: number, window: Span, errorRatio: number): number | null;
export function allowedBadTime(objective: number, window: Span): number;
export function allowedBadEvents(objective: number, totalEvents: number): number;
export function budgetConsumed(errorRatio: number, objective: number, duration: Span, period: Span): number;
export function burnFactor(budgetFraction: number, period: Span, longWindow: Span): number;
export function detectionTime(objective: number, errorRatio: number, alertWindow: Span, burnFactor: number): number | null;
export function resetTime(objective: number, errorRatio: number, alertWindow: Span, burnFactor: number): number | null;
export function budgetStatus(objective: number, good: number, total: number): { sli: number | null; total: number; bad: number; allowedBad: number; consumed: number | null; remaining: number | null; remainingEvents: number };

export interface BurnRateRule { longWindow: number; shortWindow: number; factor: number; severity: string; for: number; keepFiringFor: number }

/** Multiwindow multi-burn-rate rules over an SLO period. */
export class MultiwindowPolicy {
  private constructor();
  /** Sloth's four alerts, factors derived for the period (default 30 days). */
  static standard(period?: Span): MultiwindowPolicy;
  /** Pyrra's windows scaled to the period (default 28 days). */
  static pyrra(period?: Span): MultiwindowPolicy;
  /** Custom rules (short window defaults to long / 12). */
  static fromRules(period: Span, rules: { longWindow: Span; shortWindow?: Span; factor: number; severity?: string; for?: Span; keepFiringFor?: Span }[]): MultiwindowPolicy;
  readonly rules: BurnRateRule[];
  validate(objective: number, eventsPerSecond?: number, minEvents?: number): { rule: number; code: "never_fires" | "low_traffic"; message: string }[];
  free(): void;
}

export interface AlertEpisode { pendingAt: number; firedAt: number | null; resolvedAt: number | null; detectionTime: number | null; budgetSpentBeforeFiring: number | null; resetTime: number | null }

/** Replays a policy over a series (timestamps in ms, events per sample). */
export function evaluate(policy: MultiwindowPolicy, objective: number, timestamps: ArrayLike<number>, good: ArrayLike<number>, total: ArrayLike<number>): { rules: { severity: string; longWindow: number; shortWindow: number; factor: number; states: ("inactive" | "pending" | "firing")[]; episodes: AlertEpisode[] }[] };

/** As `evaluate`, from per-sample error ratios. */
export function evaluateRatios(policy: MultiwindowPolicy, objective: number, timestamps: ArrayLike<number>, errorRatios: ArrayLike<number>): ReturnType<typeof evaluate>;

/** The SLI of [t, good, total] samples by an OpenSLO budgeting method. */
export function sli(samples: [number, number, number][], method: { method: "occurrences" | "timeslices" | "ratio_timeslices"; sliceSeconds?: number; target?: number }): number | null;

/** Prometheus rule groups (YAML) with Sloth's names, from a Sloth spec or a ServiceLevelObjectives document. */
export function prometheusRules(spec: object, period?: Span, service?: string): string;

/** An incident for {@link promtoolTest}: steady phases, or requests and errors per interval. */
export type PromtoolIncident = {
  interval?: Span;
  requestsSeries?: string;
  errorsSeries?: string;
} & (
  | { phases: { duration: Span; requestsPerSecond: number; errorRatio: number }[] }
  | { requests: number[]; errors: number[] }
);

/** A `promtool test rules` file and the rule file it names; times in milliseconds. */
export interface PromtoolTest {
  rules: string;
  test: string;
  checks: { time: number; alertname: string; firing: string[] }[];
  replayDifferences: number[];
  nearTies: number[];
}

/** A `promtool test rules` file from the SLO rules and an incident (Prometheus 2.x's evaluation). */
export function promtoolTest(spec: object, incident: PromtoolIncident, period?: Span, service?: string, rulesFile?: string): PromtoolTest;

/** One alert's state as Prometheus evaluates it. */
export class AlertRule {
  constructor(for_?: Span, keepFiringFor?: Span);
  eval(t: number, active: boolean): "inactive" | "pending" | "firing";
  readonly state: "inactive" | "pending" | "firing";
  free(): void;
}

export interface AlertInput { labels: Record<string, string>; startsAt: number; endsAt?: number | null }

/** Alertmanager's notifications (ms) for one flat route. Matchers are Alertmanager matcher lists ("name=value", "a=~b.*,c!=d"). */
export function notifications(alerts: AlertInput[], options: { route?: { groupBy?: string[]; groupWait?: number; groupInterval?: number; repeatInterval?: number; sendResolved?: boolean }; inhibit?: { sourceMatchers?: string[]; targetMatchers?: string[]; equal?: string[] }[]; until: number }): { at: number; group: Record<string, string>; firing: number[]; resolved: number[] }[];

/** One Alertmanager matcher: label name, operator, value (unescaped; the pattern for =~ and !~) and the matcher as Alertmanager prints it. */
export interface AlertmanagerMatcher { name: string; op: "=" | "!=" | "=~" | "!~"; value: string; text: string }

/** A matcher list as Alertmanager 0.25 reads `matchers` (`{a="b", c=~"d.*"}`, `a=b,c!=d`); throws a ParseError with code "invalid_matcher". */
export function parseMatchers(text: string): AlertmanagerMatcher[];

/** Whether every matcher of a list matches a label set (an absent label is ""). */
export function matchersMatch(text: string, labels: Record<string, string>): boolean;

/** One route an alert takes, with its effective settings (ms). groupBy ["..."] groups by every label; [] puts all alerts of the route in one group. */
export interface AlertmanagerRoute { path: string; receiver: string; groupBy: string[]; group: Record<string, string>; groupWait: number; groupInterval: number; repeatInterval: number; matchers: string[]; continue: boolean; muteTimeIntervals: string[]; activeTimeIntervals: string[] }

/** One notification one receiver integration sends (ms): route path, group labels, indices of the firing and resolved alerts. */
export interface ReceiverNotification { at: number; receiver: string; integration: string; route: string; group: Record<string, string>; firing: number[]; resolved: number[] }

/** An Alertmanager configuration (YAML text, or the same structure as an object with Alertmanager's key spelling); throws with every problem config.Load reports. */
export class AlertmanagerConfig {
  constructor(config: string | object);
  /** The routes an alert with these labels takes, in Alertmanager's order. */
  routes(labels: Record<string, string>): AlertmanagerRoute[];
  /** The receivers an alert reaches, each once, in route order. */
  receivers(labels: Record<string, string>): string[];
  /** Whether the inhibit rules mute these labels at `at` (ms), given the alerts so far. */
  inhibited(alerts: AlertInput[], labels: Record<string, string>, at: number): boolean;
  /** Alertmanager's notifications per route, group and receiver integration up to `until` (ms); `start` is when the dispatcher started (default 0). */
  timeline(alerts: AlertInput[], until: number, start?: number): ReceiverNotification[];
  free(): void;
}

/** An escalation policy's notices for one alert (ms), up to `until` (default: no limit; an alert that never ends under a policy repeating without `maxRepeat` then throws a ValidationError with code "unbounded"). */
export function escalation(policy: { steps: { delay: number; channels: string[]; condition?: string }[]; repeat?: boolean; maxRepeat?: number }, alert: AlertInput, until?: number): { at: number; step: number; round: number; channels: string[] }[];

/** An EventBridge event pattern (docs/events.md): fields map to lists of values or operators, nested as the event is; `$or` takes a list of alternatives. */
export type EventPattern = { [field: string]: EventPattern | unknown[] };

/** Whether `event` matches the EventBridge `pattern` (each an object or its JSON text); throws a PatternError (code "invalid_event_pattern") for a pattern event-ruler refuses. */
export function patternMatches(pattern: EventPattern | string, event: object | string): boolean;

/** Many named EventBridge patterns compiled into one index: the cost of `match` follows the event, not the number of rules. */
export class PatternMatcher {
  constructor();
  /** Adds `pattern` under `name`; the same name again adds an alternative (an OR). Throws a PatternError for a bad pattern. */
  add(name: string, pattern: EventPattern | string): void;
  /** Removes every pattern under `name`; whether there was one. */
  remove(name: string): boolean;
  /** Whether a rule is held under `name`. */
  has(name: string): boolean;
  /** The names whose patterns match `event` (an object or its JSON text), sorted. */
  match(event: object | string): string[];
  /** The rule names, sorted. */
  readonly names: string[];
  /** The number of rule names. */
  readonly length: number;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** An SNS message attribute, as a notification writes it or as `Publish` takes it. */
export type SnsAttribute =
  | { Type: string; Value: string }
  | { DataType: string; StringValue?: string; BinaryValue?: string };

/** A filter policy's verdict: delivered, or the policy keys no value satisfied (sorted). */
export interface FilterOutcome {
  delivered: boolean;
  failedKeys: string[];
  /** Why, when no key is to blame (a body that is not a JSON object). */
  reason?: string;
}

/** What a publish does for one subscription. */
export interface Delivery extends FilterOutcome {
  subscription: string;
  protocol: "sqs" | "lambda" | "http" | "https" | "email" | "email-json" | "sms" | "application" | "firehose";
}

/** Whether a message passes the SNS filter `policy` (an object or its JSON text), read for `scope` (`"MessageAttributes"` when absent). */
export function filterPolicyMatches(
  policy: EventPattern | string,
  options?: { attributes?: Record<string, SnsAttribute> | null; body?: string | object | null; scope?: "MessageAttributes" | "MessageBody" },
): boolean;

/** An SNS subscription filter policy, checked against SNS's operators and limits when made (a PatternError with code `invalid_filter_policy` otherwise). */
export class FilterPolicy {
  /** `scope`: `"MessageAttributes"` (the default) or `"MessageBody"`. */
  constructor(policy: EventPattern | string, scope?: "MessageAttributes" | "MessageBody");
  readonly scope: string;
  /** The keys the policy names, sorted. */
  readonly keys: string[];
  /** The value combinations SNS counts against its 150. */
  readonly combinations: number;
  /** The verdict on a message with these attributes and this body (text, or an object as its JSON). */
  evaluate(attributes?: Record<string, SnsAttribute> | null, body?: string | object | null): FilterOutcome;
  /** Whether the policy accepts the message. */
  matches(attributes?: Record<string, SnsAttribute> | null, body?: string | object | null): boolean;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** One step of a Lambda price table. */
export interface PriceTier {
  /** Where the step ends in GB-seconds per month; null for the last. */
  upToGbSeconds: number | null;
  pricePerGbSecond: number;
}

/** A Lambda price table (USD), as `lambdaPrices()` returns it. */
export interface LambdaPrices {
  source?: string;
  date?: string;
  requestPricePerMillion: number;
  freeTier: { requests: number; gbSeconds: number };
  architectures: { architecture: "x86_64" | "arm64"; tiers: PriceTier[] }[];
}

/** A month's cost of a function. */
export interface LambdaCost {
  invocations: number;
  memoryMb: number;
  architecture: "x86_64" | "arm64";
  /** One invocation's billed duration in milliseconds. */
  billedDuration: number;
  timedOut: boolean;
  gbSeconds: number;
  freeGbSeconds: number;
  freeRequests: number;
  computeCost: number;
  requestCost: number;
  totalCost: number;
}

/** A finding of `checkServerless`. */
export interface ServerlessFinding {
  path: string;
  code: string;
  severity: "error" | "warning";
  message: string;
}

/** A month's Lambda cost of `fn` (the model's ServerlessFunction); `duration` is one invocation's, in milliseconds. */
export function serverlessCost(
  fn: Record<string, unknown>,
  options: { invocations: number; duration: number; memoryMb?: number; architecture?: "x86_64" | "arm64"; freeTier?: boolean; prices?: LambdaPrices | null },
): LambdaCost;
/** The published Lambda price table (US East), with its source and date. */
export function lambdaPrices(): LambdaPrices;
/** Findings on an event-driven architecture's functions (the document without apiVersion and kind). */
export function checkServerless(architecture: Record<string, unknown>): ServerlessFinding[];

/** A drain's state at one tick. */
export interface DrainPoint {
  /** The tick, in milliseconds. */
  at: number;
  visible: number;
  inFlight: number;
  /** The queue's age of its oldest message, in milliseconds. */
  oldestAge: number | null;
  /** Invocations running. */
  concurrency: number;
  /** Concurrent batches Lambda's scaling allows now. */
  batchesAllowed: number;
  invocations: number;
  throttles: number;
  deleted: number;
  movedToDeadLetter: number;
}

/** A drain's timeline and totals. */
export interface Drain {
  points: DrainPoint[];
  invocations: number;
  throttles: number;
  timeouts: number;
  failedRecords: number;
  maxConcurrency: number;
  deleted: number;
  movedToDeadLetter: number;
  /** Deletes refused because the message had been received again (processed twice). */
  staleDeletes: number;
  /** The first tick after the last arrival with the queue empty and nothing running (ms). */
  drainedAt: number | null;
}

/** An SQS event source mapping, from CreateEventSourceMapping's parameters. */
export class EventSourceMapping {
  constructor(mapping?: { BatchSize?: number; MaximumBatchingWindowInSeconds?: number; FunctionResponseTypes?: "ReportBatchItemFailures"[]; ScalingConfig?: { MaximumConcurrency: number } } | null);
  readonly settings: { batchSize: number; maximumBatchingWindow: number; reportBatchItemFailures: boolean; maximumConcurrency: number | null };
  /** Drains `queue` (changed in place) through a function; times in milliseconds. */
  drain(queue: Queue, options: {
    duration: number;
    perMessage?: number;
    timeout?: number;
    reservedConcurrency?: number;
    arrivals: { at: number; count: number; size?: number; failing?: number; groups?: number }[];
    until: number;
    tick?: number;
  }): Drain;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** SendMessage's result. */
export interface SendReceipt {
  /** The message's id (`m-<n>`); for a duplicate, the id of the message it duplicates. */
  messageId: string;
  /** FIFO queues: the sequence number, as text. */
  sequenceNumber: string | null;
  /** Accepted as a duplicate within the 5-minute deduplication interval, so not enqueued. */
  duplicate: boolean;
}

/** A received message. */
export interface SqsMessage {
  messageId: string;
  /** This receive's handle, for `delete` and `changeVisibility`. */
  receiptHandle: string;
  body: string;
  /** ApproximateReceiveCount, this receive included. */
  receiveCount: number;
  /** SentTimestamp, in milliseconds on the caller's clock. */
  sentAt: number;
  /** ApproximateFirstReceiveTimestamp, in milliseconds. */
  firstReceivedAt: number;
  messageGroupId: string | null;
  messageDeduplicationId: string | null;
  sequenceNumber: string | null;
}

/** A queue's numbers at a step. */
export interface QueueMetrics {
  visible: number;
  inFlight: number;
  delayed: number;
  /** ApproximateAgeOfOldestMessage in milliseconds; null when the queue is empty. */
  oldestAge: number | null;
  sent: number;
  deduplicated: number;
  received: number;
  deleted: number;
  expired: number;
  movedToDeadLetter: number;
  movedIn: number;
}

/** CreateQueue's attributes, as AWS names them (values also as AWS's strings). */
export interface QueueAttributes {
  VisibilityTimeout?: number | string;
  MessageRetentionPeriod?: number | string;
  DelaySeconds?: number | string;
  ReceiveMessageWaitTimeSeconds?: number | string;
  MaximumMessageSize?: number | string;
  FifoQueue?: boolean | "true" | "false";
  ContentBasedDeduplication?: boolean | "true" | "false";
  DeduplicationScope?: "queue" | "messageGroup";
  RedrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number | string } | string;
  [unmodelled: string]: unknown;
}

/** A simulated SQS queue and the dead-letter queue its RedrivePolicy names; `now` in milliseconds, attributes in AWS's seconds. */
export class Queue {
  constructor(name: string, attributes?: QueueAttributes | null, deadLetterAttributes?: QueueAttributes | null);
  readonly name: string;
  readonly deadLetterName: string | undefined;
  readonly fifo: boolean;
  send(now: number, body: string, options?: { delaySeconds?: number; messageGroupId?: string; messageDeduplicationId?: string } | null): SendReceipt;
  receive(now: number, options?: { maxMessages?: number; visibilityTimeout?: number; waitTimeSeconds?: number; deadLetter?: boolean } | null): SqsMessage[];
  /** Deletes by the message's latest receipt handle; a stale handle is refused (StateError). */
  delete(now: number, receiptHandle: string): void;
  /** Visible again `visibilityTimeout` whole seconds from now (at most 12 hours from the receive). */
  changeVisibility(now: number, receiptHandle: string, visibilityTimeout: number): void;
  /** The queue's numbers, its dead-letter queue's under `deadLetter`. */
  metrics(now: number): QueueMetrics & { deadLetter: QueueMetrics | null };
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** An SNS topic: subscriptions in order, each with an optional filter policy. */
export class Topic {
  /** A topic name: 1 to 256 letters, digits, `-`, `_`; a FIFO topic's ends in `.fifo`. */
  constructor(name: string);
  readonly name: string;
  readonly fifo: boolean;
  /** The subscription names, in order. */
  readonly subscriptions: string[];
  /** Subscribes `name`; `policy` (an object or its JSON text) is read for `scope`. A FIFO topic takes only `sqs`. */
  subscribe(name: string, protocol: Delivery["protocol"], policy?: EventPattern | string | null, scope?: "MessageAttributes" | "MessageBody"): void;
  /** Removes a subscription; whether it was there. */
  unsubscribe(name: string): boolean;
  /** What publishing the message does for each subscription, in order. */
  publish(attributes?: Record<string, SnsAttribute> | null, body?: string | object | null): Delivery[];
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** A parsed W3C `traceparent` header. */
export interface TraceParent {
  /** The version (0 today; a higher version is read from its first 55 characters). */
  version: number;
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  parentId: string;
  /** The flags byte (bit 0 sampled, bit 1 random). */
  traceFlags: number;
  sampled: boolean;
  /** The Level 2 random flag: the trace id's rightmost 7 bytes are random. */
  randomTraceId: boolean;
}

/** Parses a `traceparent` header; throws a TraceContextError (code `invalid_traceparent`) for an invalid one. */
export function parseTraceparent(header: string): TraceParent;
/** A version 00 `traceparent` (flags 0 unless given; `sampled` and `random` set or clear their bits). */
export function formatTraceparent(
  traceId: string,
  parentId: string,
  options?: { sampled?: boolean; random?: boolean; traceFlags?: number } | null,
): string;
/** A `tracestate` header's members, leftmost first (several headers: join them with ","); throws a TraceContextError (code `invalid_tracestate`) when the header is to be discarded. */
export function parseTracestate(header: string): [string, string][];
/** `header` with `key` set to `value` and moved to the left. */
export function updateTracestate(header: string, key: string, value: string): string;
/** `header` without `key`. */
export function removeTracestate(header: string, key: string): string;
/** `header` within `maxLen` characters (members over 128 characters go first, then from the right). */
export function truncateTracestate(header: string, maxLen: number): string;

/** A span in its trace's tree (times in milliseconds from the trace's first start). */
export interface SpanNode {
  spanId: string;
  parentId: string | null;
  name: string;
  /** Levels below its root (roots and orphans are 0). */
  depth: number;
  /** Its children's ids, by start time. */
  children: string[];
  start: number | null;
  duration: number | null;
  /** Its duration less the time at least one child ran inside it. */
  selfTime: number | null;
}

/** A trace's tree: roots, orphans, spans, Jaeger's critical path (latest first) and what is wrong. */
export interface TraceTree {
  traceId: string;
  roots: string[];
  orphans: string[];
  spans: SpanNode[];
  criticalPath: { spanId: string; name: string; start: number; end: number }[];
  findings: { spanId: string; code: "duplicate_span_id" | "orphan" | "parent_in_other_trace" | "cycle" | "untimed" | "starts_before_parent" | "ends_after_parent" | "outside_parent"; message: string }[];
}

/** The span trees of the model's DistributedTracing (the document without apiVersion and kind; `name` optional). */
export function spanTree(tracing: Record<string, unknown>): TraceTree[];

/** A probe's name. */
export type ProbeKind = "startup" | "liveness" | "readiness";

/** What the container does from a time on (`latency` only for `slow`). */
export interface ProbePhase {
  at: number;
  state: "healthy" | "failing" | "hung" | "slow";
  latency?: number;
  /** A fault of the process a new container does not have (default true). */
  clearedByRestart?: boolean;
}

/** A container's behaviour; times in milliseconds from the pod's start. */
export interface ContainerBehaviour {
  startAt?: number;
  /** Each container answers this long after it starts (before: every probe is `refused`). */
  startup?: number;
  latency?: number;
  /** Time to exit once killed (cut at the grace period). */
  stop?: number;
  phases?: ProbePhase[];
}

/** One probe the kubelet ran. */
export interface ProbeRun {
  probe: ProbeKind;
  container: number;
  start: number;
  end: number;
  outcome: "success" | "failure" | "timeout" | "refused";
}

/** A change on the pod's clock (milliseconds). */
export type ProbeEvent =
  | { at: number; event: "container_started"; container: number }
  | { at: number; event: "result"; probe: ProbeKind; container: number; result: "unknown" | "success" | "failure" }
  | { at: number; event: "ready"; ready: boolean }
  | { at: number; event: "container_killed"; container: number; probe: ProbeKind }
  | { at: number; event: "container_exited"; container: number }
  | { at: number; event: "back_off"; container: number; wait: number };

/** Every probe, change and restart. */
export interface ProbeTimeline {
  probes: ProbeRun[];
  events: ProbeEvent[];
  restarts: number;
  firstReady: number | null;
  ready: boolean;
}

/** Worst-case times (milliseconds) of a health check. */
export interface ProbeBounds {
  firstReady: number;
  startBudget: number | null;
  startLimit: number | null;
  hangDetection: number | null;
  hangUnready: number | null;
}

/** The kubelet's probes of a health check (as the model writes it) against a container's behaviour, until `options.until` (ms). */
export function probeTimeline(healthCheck: Record<string, unknown>, behaviour: ContainerBehaviour | null | undefined, options: { until: number; terminationGracePeriod?: number }): ProbeTimeline;
/** The worst-case times of a health check for a container that answers `up` ms after it starts. */
export function probeBounds(healthCheck: Record<string, unknown>, options?: { up?: number; latency?: number }): ProbeBounds;
/** CrashLoopBackOff's wait (ms) before the `restart`-th restart: 0, 10 s, 20 s, ... 300 s. */
export function probeBackOff(restart: number): number;

/** A sampling decision. */
export interface SamplingResult {
  sampled: boolean;
  decision: "RecordAndSample" | "Drop";
  /** The new span's `tracestate`. */
  tracestate: string;
  /** The description of the sampler that decided. */
  sampler: string;
}

/** An OpenTelemetry head sampler. */
export class Sampler {
  private constructor();
  static alwaysOn(): Sampler;
  static alwaysOff(): Sampler;
  /** Go's TraceIDRatioBased(ratio). */
  static traceIdRatioBased(ratio: number): Sampler;
  /** The consistent probability sampler (`ot=th`), precision 4 hex digits unless given. */
  static probability(probability: number, precision?: number | null): Sampler;
  /** Go's ParentBased(root) with its default delegates. */
  static parentBased(root: Sampler): Sampler;
  /** The sampler a model's `sampleRate` stands for: ParentBased(TraceIDRatioBased(rate)). */
  static fromSampleRate(rate?: number | null): Sampler;
  /** This ParentBased sampler with one delegate replaced. */
  withDelegate(
    which: "remoteParentSampled" | "remoteParentNotSampled" | "localParentSampled" | "localParentNotSampled",
    delegate: Sampler,
  ): Sampler;
  /** The decision for a span of `traceId` with `parent` (absent for a root span). */
  shouldSample(traceId: string, parent?: { sampled: boolean; remote?: boolean; tracestate?: string } | null): SamplingResult;
  /** The OpenTelemetry Go SDK's description. */
  readonly description: string;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** API Gateway's answer for a request. */
export interface RouteSelection {
  /** The selected route key; null for a 404. */
  routeKey: string | null;
  status: 200 | 404;
  /** The path parameters, percent-decoded, names as the route writes them (a greedy one holds the rest of the path). */
  pathParameters: Record<string, string>;
  /** How the route was selected. */
  rule: "exact" | "greedy" | "default" | "not_found";
  /** For a 404: API Gateway's body, `{"message":"Not Found"}`. */
  body?: string;
}

/** The routes of an API Gateway HTTP API compiled into one matcher. Throws a ConfigError (code `invalid_route_key`, path `routes[i]`) for a malformed or repeated key. */
export class Router {
  constructor(routes: string[]);
  /** A router from a REST API as the model writes it (its resources' and methods' route keys). */
  static fromApiGateway(api: Record<string, unknown>): Router;
  /** The route keys, in the order given. */
  readonly routes: string[];
  /** The route for `method` and `path`, selected as API Gateway selects it. */
  select(method: string, path: string): RouteSelection;
  /** Frees the WebAssembly memory now. */
  free(): void;
}

/** A cross-origin request as the browser sends it. */
export interface CorsRequest {
  /** The serialized origin (`https://app.example.com`, or `null` for an opaque one). */
  origin: string;
  method: string;
  /** Author request headers. */
  headers?: Record<string, string> | [string, string][];
  /** `true` or `"include"` sends credentials. */
  credentials?: boolean | "include" | "same-origin" | "omit";
}

/** A Fetch verdict: whether it passes, and the rule that decided. */
export interface CorsVerdict {
  ok: boolean;
  rule: "allow-origin-missing" | "wildcard-origin" | "origin-mismatch" | "origin-match" | "credentials-allowed" | "credentials-not-allowed"
    | "no-preflight" | "preflight-missing" | "preflight-status" | "allow-methods-invalid" | "method-not-allowed" | "allow-headers-invalid"
    | "authorization-not-allowed" | "header-not-allowed" | "preflight-ok";
  detail: string;
}

/** Fetch's CORS check of a response to `request`. */
export function corsCheck(request: CorsRequest, responseHeaders: Record<string, string> | [string, string][]): CorsVerdict;
/** Whether `request` needs a preflight, and Fetch's verdict on its answer; `maxAge` in milliseconds (5 s by default). */
export function preflight(
  request: CorsRequest,
  responseHeaders?: Record<string, string> | [string, string][] | null,
  status?: number | null,
): CorsVerdict & { needed: boolean; unsafeHeaders: string[]; method: string; maxAge: number | null };
/** The CORS headers an API Gateway HTTP API with `config` (the model's CorsConfig) answers `request` with; a preflight gets 204. */
export function corsResponse(
  config: { enabled?: boolean; allowOrigins?: string[]; allowMethods?: string[]; allowHeaders?: string[]; exposeHeaders?: string[]; maxAge?: number; allowCredentials?: boolean },
  request: CorsRequest,
): { preflight: boolean; status: number | null; headers: [string, string][] };

/** A token bucket's numbers. */
export interface RateLimit {
  /** Requests per second. */
  rate: number;
  burst: number;
}

/** API Gateway's throttling levels, checked in its order; the account defaults to 10,000 per second with a burst of 5,000. */
export class Throttle {
  constructor(settings?: { account?: RateLimit; stage?: RateLimit; methods?: Record<string, RateLimit>; usagePlan?: RateLimit; usagePlanMethods?: Record<string, RateLimit> } | null);
  /** One request at `now` (ms) for `routeKey` from `client` (an API key). */
  request(now: number, routeKey: string, client?: string | null): {
    status: 200 | 429;
    level: "usage_plan_method" | "usage_plan" | "method" | "stage" | "account" | null;
    /** Milliseconds until the refusing level would admit it. */
    retryAfter: number | null;
    body?: string;
  };
  free(): void;
}

/** The stage cache: TTL 300 s by default (at most 3,600 s, 0 disables), GET cached by default. */
export class StageCache {
  constructor(options?: { ttl?: number; allowInvalidation?: boolean; methods?: string[] } | null);
  /** A request through the cache at `now` (ms). */
  request(now: number, method: string, resource: string, parameters?: Record<string, string> | [string, string][] | null, cacheControl?: string | null): {
    outcome: "hit" | "miss" | "invalidated" | "bypass";
    key: string;
    /** Milliseconds. */
    expiresAt: number | null;
  };
  free(): void;
}

/** The samples of promtool's expanding notation (`a+bxn`, `axn`, `_`, `_xn`, `stale`): numbers, `null` for a missing sample, `"stale"` for a stale marker. Throws a ParseError (code `invalid_series`) for a notation that does not parse. */
export function expandSeries(notation: string): (number | null | "stale")[];
/** Samples (numbers, `null`, `"stale"`) written in promtool's expanding notation, runs compressed; `expandSeries` reads it back to the same samples. */

/** One sample line of the text exposition format. */
export interface ExpositionSample {
  name: string;
  /** In the order written. */
  labels: Record<string, string>;
  /** May be NaN or ±Infinity. */
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number | null;
}

/** A metric family: HELP, TYPE and samples. */
export interface MetricFamily {
  name: string;
  help: string | null;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  samples: ExpositionSample[];
}

/** The families of a text in the Prometheus exposition format 0.0.4; a text that breaks it throws a ParseError (`invalid_exposition`) with its line and column. */
export function parseExposition(text: string): MetricFamily[];
/** Families written as Prometheus' client libraries write them: `parseExposition(renderExposition(f))` gives `f` back. */
export function renderExposition(families: { name: string; help?: string | null; type?: MetricFamily["type"]; samples?: { name: string; labels?: Record<string, string>; value: number; timestamp?: number | null }[] }[]): string;
/** The model's Metric values (as the model writes them) in the exposition format. */
export function renderMetrics(metrics: Record<string, unknown>[]): string;
export function formatSeries(values: (number | null | "stale")[]): string;
