//! Observability: metrics, logs, tracing, alerting, dashboards, SLOs and spans.
//! Durations that Prometheus or Grafana read (scrape interval, alert `for`, SLO window,
//! retention, refresh) use the Prometheus syntax ([`PromDuration`]).

use serde::{Deserialize, Serialize};
use url::Url;
use validator::Validate;

use super::data::Severity;
use super::{JsonMap, Labels, Timestamp};
use crate::duration::{Duration, PromDuration};
use crate::validate::field_rules as rules;

/// The observability stack of a system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObservabilityStack {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub metrics: Option<MetricsCollector>,
    /// Logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub logs: Option<LogAggregator>,
    /// Traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub traces: Option<TracingSystem>,
    /// Alerting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub alerts: Option<AlertingSystem>,
    /// Dashboards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub dashboards: Vec<Dashboard>,
    /// SLOs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub slos: Vec<Slo>,
}

/// A metrics backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsCollector {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Backend (`prometheus`).
    #[serde(rename = "type")]
    #[validate(custom(function = "rules::not_blank"))]
    pub collector_type: String,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Url>,
    /// Scrape interval (positive; Prometheus' default is 1m).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_prom_duration"))]
    pub interval: Option<PromDuration>,
    /// Sample metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub metrics: Vec<Metric>,
    /// External labels.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    #[validate(custom(function = "rules::prom_labels"))]
    pub labels: Labels,
}

/// Prometheus metric types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    /// Monotonic counter.
    Counter,
    /// Value that goes up and down.
    Gauge,
    /// Bucketed distribution.
    Histogram,
    /// Quantiles.
    Summary,
}

/// A metric sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metric {
    /// Prometheus metric name.
    #[validate(custom(function = "rules::metric_name"))]
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub metric_type: MetricType,
    /// Value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::finite"))]
    pub value: Option<f64>,
    /// Labels (Prometheus label names).
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    #[validate(custom(function = "rules::prom_labels"))]
    pub labels: Labels,
    /// Sample time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A log backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogAggregator {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Backend (`elasticsearch`, `loki`).
    #[serde(rename = "type")]
    #[validate(custom(function = "rules::not_blank"))]
    pub aggregator_type: String,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Url>,
    /// Index pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// Retention (positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_prom_duration"))]
    pub retention: Option<PromDuration>,
    /// Parsers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub parsers: Vec<LogParser>,
    /// Filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub filters: Vec<LogFilter>,
}

/// Parser kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogParserType {
    /// Regular expression with named groups.
    Regex,
    /// JSON lines.
    Json,
    /// Grok patterns.
    Grok,
    /// `key=value` pairs.
    Logfmt,
}

/// A log parser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogParser {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Pattern (for regex and grok).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Fields it extracts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Kind.
    #[serde(rename = "type")]
    pub parser_type: LogParserType,
}

/// What a filter does with matching lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFilterAction {
    /// Keep matching lines only.
    Keep,
    /// Drop matching lines.
    Drop,
}

/// A log filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogFilter {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Condition.
    #[validate(custom(function = "rules::not_blank"))]
    pub condition: String,
    /// Action.
    pub action: LogFilterAction,
}

/// A tracing backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TracingSystem {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Backend (`jaeger`, `tempo`, `otlp`).
    #[serde(rename = "type")]
    #[validate(custom(function = "rules::not_blank"))]
    pub tracing_type: String,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Url>,
    /// Fraction of traces sampled, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::unit_interval"))]
    pub sample_rate: Option<f64>,
    /// Headers sent to the backend.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub headers: Labels,
    /// Baggage propagated.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub baggage: Labels,
}

/// Alert routing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertingSystem {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Backend (`alertmanager`).
    #[serde(rename = "type")]
    #[validate(custom(function = "rules::not_blank"))]
    pub alerting_type: String,
    /// Rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub rules: Vec<AlertRule>,
    /// Channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub channels: Vec<NotificationChannel>,
    /// Escalation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub escalation: Option<EscalationPolicy>,
}

/// A Prometheus alerting rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlertRule {
    /// Alert name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// PromQL expression.
    #[validate(custom(function = "rules::not_blank"))]
    pub condition: String,
    /// Threshold in the expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::finite"))]
    pub threshold: Option<f64>,
    /// Pending time before firing (Prometheus `for`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<PromDuration>,
    /// Severity.
    pub severity: Severity,
    /// Labels.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    #[validate(custom(function = "rules::prom_labels"))]
    pub labels: Labels,
    /// Annotations.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub annotations: Labels,
}

/// Channel kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelType {
    /// Email.
    Email,
    /// Slack.
    Slack,
    /// PagerDuty.
    Pagerduty,
    /// Opsgenie.
    Opsgenie,
    /// Generic webhook.
    Webhook,
    /// SMS.
    Sms,
}

/// A notification channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationChannel {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    /// Address (URL, email address, service key).
    #[validate(custom(function = "rules::not_blank"))]
    pub endpoint: String,
    /// Message template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Whether it is used.
    #[serde(default)]
    pub enabled: bool,
}

/// An escalation policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EscalationPolicy {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Steps, in order.
    #[validate(nested)]
    pub steps: Vec<EscalationStep>,
    /// Start again after the last step.
    #[serde(default)]
    pub repeat: bool,
    /// Repeats at most (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0))]
    pub max_repeat: Option<i32>,
}

/// An escalation step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EscalationStep {
    /// Wait before this step (≥ 0).
    #[validate(custom(function = "rules::non_negative_duration"))]
    pub delay: Duration,
    /// Channel names (at least one).
    #[validate(custom(function = "rules::non_empty_list"))]
    pub channels: Vec<String>,
    /// Extra condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dashboard {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Panels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub panels: Vec<Panel>,
    /// Template variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub variables: Vec<Variable>,
    /// Auto-refresh (positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_prom_duration"))]
    pub refresh: Option<PromDuration>,
    /// Default time range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub time_range: Option<TimeRange>,
}

/// Panel kinds (Grafana).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PanelType {
    /// Time series graph.
    Timeseries,
    /// Legacy graph.
    Graph,
    /// Single value.
    Stat,
    /// Gauge.
    Gauge,
    /// Bar gauge.
    Bargauge,
    /// Table.
    Table,
    /// Heatmap.
    Heatmap,
    /// Text.
    Text,
}

/// A panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Panel {
    /// Title.
    #[validate(custom(function = "rules::not_blank"))]
    pub title: String,
    /// Kind.
    #[serde(rename = "type")]
    pub panel_type: PanelType,
    /// Single query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Queries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub targets: Vec<Target>,
    /// Thresholds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub thresholds: Vec<Threshold>,
    /// Axes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub axes: Option<Axes>,
}

/// A panel query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    /// Expression.
    #[validate(custom(function = "rules::not_blank"))]
    pub expr: String,
    /// Legend format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legend: Option<String>,
    /// Query id (`A`).
    #[serde(default, rename = "refID", skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<String>,
}

/// Threshold comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdOp {
    /// Greater than.
    Gt,
    /// Less than.
    Lt,
}

/// A threshold line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Threshold {
    /// Value.
    #[validate(custom(function = "rules::finite"))]
    pub value: f64,
    /// Color (`red`, `#ff0000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<ThresholdOp>,
}

/// Panel axes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Axes {
    /// Left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub left: Option<Axis>,
    /// Right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub right: Option<Axis>,
    /// Bottom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub bottom: Option<Axis>,
}

/// An axis (`min` ≤ `max` when both are given).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Axis {
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::finite"))]
    pub min: Option<f64>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::finite"))]
    pub max: Option<f64>,
    /// Unit (`s`, `percentunit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Variable kinds (Grafana).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariableType {
    /// Values from a query.
    Query,
    /// Fixed list.
    Custom,
    /// Constant.
    Constant,
    /// Time interval.
    Interval,
    /// Data source.
    Datasource,
    /// Free text.
    Textbox,
}

/// A dashboard variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variable {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub variable_type: VariableType,
    /// Query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Several values at once.
    #[serde(default)]
    pub multi: bool,
    /// Offer "All".
    #[serde(default)]
    pub include_all: bool,
}

/// A time range in Grafana's syntax (`now-6h` to `now`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimeRange {
    /// Start.
    #[validate(custom(function = "rules::not_blank"))]
    pub from: String,
    /// End.
    #[validate(custom(function = "rules::not_blank"))]
    pub to: String,
}

/// A service level objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Slo {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Target fraction of good events, strictly between 0 and 1.
    #[validate(custom(function = "rules::objective"))]
    pub objective: f64,
    /// Rolling window (positive, e.g. `30d`).
    #[validate(custom(function = "rules::positive_prom_duration"))]
    pub window: PromDuration,
    /// Labels.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    #[validate(custom(function = "rules::prom_labels"))]
    pub labels: Labels,
    /// Indicators.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub indicators: Vec<Indicator>,
}

/// Indicator kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorType {
    /// Successful requests over all requests.
    Availability,
    /// Requests under a latency threshold over all requests.
    Latency,
    /// Correct results over all results.
    Correctness,
    /// Fresh data over all data.
    Freshness,
    /// Work done over work asked.
    Throughput,
}

/// A service level indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Indicator {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub indicator_type: IndicatorType,
    /// Query (a PromQL ratio of good to valid events).
    #[validate(custom(function = "rules::not_blank"))]
    pub query: String,
    /// Threshold (e.g. latency seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::finite"))]
    pub threshold: Option<f64>,
    /// Weight in a composite SLO, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::unit_interval"))]
    pub weight: Option<f64>,
}

/// Distributed tracing setup plus recorded spans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DistributedTracing {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Tracer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub tracer: Option<Tracer>,
    /// Spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub spans: Vec<Span>,
    /// Baggage.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub baggage: Labels,
    /// Propagation headers.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub headers: Labels,
}

/// A tracer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tracer {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Collector address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Url>,
    /// Fraction sampled, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::unit_interval"))]
    pub sample_rate: Option<f64>,
    /// Headers.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub headers: Labels,
}

/// Span kinds (OpenTelemetry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    /// In-process.
    Internal,
    /// Handles a request.
    Server,
    /// Makes a request.
    Client,
    /// Sends a message.
    Producer,
    /// Receives a message.
    Consumer,
}

/// Span status codes (OpenTelemetry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpanStatus {
    /// Not set.
    Unset,
    /// Succeeded.
    Ok,
    /// Failed.
    Error,
}

/// A span (ids in W3C Trace Context form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Span {
    /// 32 hex digits.
    #[serde(rename = "traceID")]
    #[validate(custom(function = "rules::trace_id"))]
    pub trace_id: String,
    /// 16 hex digits.
    #[serde(rename = "spanID")]
    #[validate(custom(function = "rules::span_id"))]
    pub span_id: String,
    /// Parent span id.
    #[serde(default, rename = "parentID", skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::span_id"))]
    pub parent_id: Option<String>,
    /// Operation name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SpanKind>,
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    /// End (≥ start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Timestamp>,
    /// Duration (≥ 0; equals end − start when all three are given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::non_negative_duration"))]
    pub duration: Option<Duration>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SpanStatus>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub attributes: JsonMap,
    /// Events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub events: Vec<SpanEvent>,
    /// Links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub links: Vec<Link>,
}

/// An event inside a span (the seed design's second `Event`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpanEvent {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Attributes.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub attributes: JsonMap,
}

/// A link to another span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Link {
    /// Trace id.
    #[serde(rename = "traceID")]
    #[validate(custom(function = "rules::trace_id"))]
    pub trace_id: String,
    /// Span id.
    #[serde(rename = "spanID")]
    #[validate(custom(function = "rules::span_id"))]
    pub span_id: String,
    /// Attributes.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub attributes: JsonMap,
}

/// A set of SLOs with their budget and burn state and alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceLevelObjectives {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// SLOs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub slos: Vec<Slo>,
    /// Reported budget state (an observation, not computed here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub error_budget: Option<ErrorBudget>,
    /// Reported burn state (an observation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub burn_rate: Option<BurnRate>,
    /// Alerts on SLOs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub alerts: Vec<Alert>,
}

/// Reported error-budget state, as fractions of the budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorBudget {
    /// Total budget (≥ 0).
    #[validate(range(min = 0.0))]
    pub total: f64,
    /// Consumed (≥ 0).
    #[validate(range(min = 0.0))]
    pub consumed: f64,
    /// Remaining (may be negative when overspent).
    #[validate(custom(function = "rules::finite"))]
    pub remaining: f64,
    /// Current burn rate (≥ 0).
    #[validate(range(min = 0.0))]
    pub burn_rate: f64,
}

/// Burn trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// Burning faster.
    Increasing,
    /// Steady.
    Stable,
    /// Burning slower.
    Decreasing,
}

/// Reported burn-rate state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BurnRate {
    /// Current (≥ 0).
    #[validate(range(min = 0.0))]
    pub current: f64,
    /// Average (≥ 0).
    #[validate(range(min = 0.0))]
    pub average: f64,
    /// Trend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
    /// Alerting threshold (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(exclusive_min = 0.0))]
    pub threshold: Option<f64>,
}

/// A threshold alert: on a database's metrics (`CloudNativeDB.monitoring.alerts`) or on an SLO
/// (`ServiceLevelObjectives.alerts`, where `slo` names the SLO and is required; elsewhere it is
/// refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Alert {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// The SLO's name (alerts on an SLO only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub slo: Option<String>,
    /// Condition (a PromQL expression).
    #[validate(custom(function = "rules::not_blank"))]
    pub condition: String,
    /// Threshold (e.g. a burn factor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::finite"))]
    pub threshold: Option<f64>,
    /// Severity.
    pub severity: Severity,
    /// Actions (notification channel names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
}
