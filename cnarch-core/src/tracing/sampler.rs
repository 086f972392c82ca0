//! Head samplers: AlwaysOn, AlwaysOff, TraceIdRatioBased and ParentBased as the OpenTelemetry
//! Go SDK decides (`sdk/trace/sampling.go`), and the consistent probability sampler of the
//! OpenTelemetry specification, which writes its rejection threshold as `ot=th:...`.

use super::context::TraceState;
use super::TraceError;

/// 2^56: thresholds and randomness are 56-bit values.
const MAX_THRESHOLD: u64 = 1 << 56;

/// A sampler.
#[derive(Debug, Clone, PartialEq)]
pub enum Sampler {
    /// Samples every span.
    AlwaysOn,
    /// Samples none.
    AlwaysOff,
    /// Go's `TraceIDRatioBased(ratio)`: trace id bytes 8..16 read big-endian and shifted
    /// right by one, sampled below `ratio * 2^63`; a ratio of 1 or more is AlwaysOn.
    TraceIdRatioBased {
        /// The ratio as given (at most 1, at least 0).
        ratio: f64,
        /// `uint64(ratio * 2^63)`.
        upper_bound: u64,
    },
    /// The specification's consistent probability sampler: sampled when the randomness (the
    /// trace id's rightmost 7 bytes, or `ot=rv`) is at least the rejection threshold
    /// `(1 - p) * 2^56`, rounded to `precision` hex digits; the threshold is written to
    /// `ot=th`.
    Probability {
        /// The probability, in [0, 1].
        probability: f64,
        /// The threshold; `None` for probability 0 (never sampled).
        threshold: Option<u64>,
        /// The threshold as `th` writes it.
        th: String,
    },
    /// Go's `ParentBased`: the root sampler without a parent, else the delegate for the
    /// parent's kind.
    ParentBased(Box<ParentBased>),
}

/// ParentBased's five delegates.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentBased {
    /// For spans without a parent.
    pub root: Sampler,
    /// Remote parent, sampled (default AlwaysOn).
    pub remote_parent_sampled: Sampler,
    /// Remote parent, not sampled (default AlwaysOff).
    pub remote_parent_not_sampled: Sampler,
    /// Local parent, sampled (default AlwaysOn).
    pub local_parent_sampled: Sampler,
    /// Local parent, not sampled (default AlwaysOff).
    pub local_parent_not_sampled: Sampler,
}

impl ParentBased {
    /// ParentBased with `root` and Go's default delegates.
    pub fn new(root: Sampler) -> ParentBased {
        ParentBased {
            root,
            remote_parent_sampled: Sampler::AlwaysOn,
            remote_parent_not_sampled: Sampler::AlwaysOff,
            local_parent_sampled: Sampler::AlwaysOn,
            local_parent_not_sampled: Sampler::AlwaysOff,
        }
    }
}

/// The parent of the span being started.
#[derive(Debug, Clone, PartialEq)]
pub struct Parent {
    /// The parent's sampled flag.
    pub sampled: bool,
    /// Whether it came from another process (a `traceparent` header).
    pub remote: bool,
    /// Its `tracestate`.
    pub tracestate: TraceState,
}

/// A sampling decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Record and sample (true) or drop.
    pub sampled: bool,
    /// The new span's `tracestate`.
    pub tracestate: TraceState,
}

/// Go's `%g` for a ratio: the shortest digits, with an exponent below 1e-4 or from 1e21.
fn go_g(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let e = format!("{x:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..21).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{x}")
}

/// The rejection threshold for probability `p` in (0, 1] at `precision` hex digits, as the
/// specification's algorithm rounds it (precision raised by the leading `f` digits).
fn threshold(p: f64, precision: u32) -> (u64, String) {
    if p >= 1.0 {
        return (0, "0".to_string());
    }
    // the base-2 exponent as frexp gives it: p = m * 2^exp with m in [0.5, 1)
    let exp = ((p.to_bits() >> 52) & 0x7ff) as i32 - 1022;
    let precision = (precision as i32 + (-exp).div_euclid(4)).clamp(1, 12);
    let rejection = 2.0 - p + 0.5 * 2f64.powi(-4 * precision);
    let digits = if rejection >= 2.0 {
        "fffffffffffff".to_string()
    } else {
        format!("{:013x}", rejection.to_bits() & ((1u64 << 52) - 1))
    };
    let kept = digits.get(..precision as usize).unwrap_or(&digits);
    let th = kept.trim_end_matches('0');
    let th = if th.is_empty() { "0" } else { th }.to_string();
    let mut padded = th.clone();
    while padded.len() < 14 {
        padded.push('0');
    }
    (u64::from_str_radix(&padded, 16).unwrap_or(0), th)
}

/// The `ot` member's sub-keys (`k:v` pairs joined by `;`).
fn ot_fields(ts: &TraceState) -> Vec<(String, String)> {
    ts.get("ot")
        .map(|v| {
            v.split(';')
                .filter_map(|kv| kv.split_once(':'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// `ts` with `ot`'s `th` set (first among its sub-keys) or erased; a member that changes
/// moves to the left, an unchanged `tracestate` is returned as it is.
fn with_th(ts: &TraceState, th: Option<&str>) -> TraceState {
    let before = ot_fields(ts);
    let mut fields: Vec<(String, String)> =
        before.iter().filter(|(k, _)| k != "th").cloned().collect();
    if let Some(t) = th {
        fields.insert(0, ("th".to_string(), t.to_string()));
    }
    if fields == before {
        return ts.clone();
    }
    let mut out = ts.clone();
    if fields.is_empty() {
        out.remove("ot");
        return out;
    }
    let value: Vec<String> = fields.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    if out.insert("ot", &value.join(";")).is_err() {
        out.remove("ot");
    }
    out
}

impl Sampler {
    /// Go's `TraceIDRatioBased(ratio)`: AlwaysOn from 1, never sampling at 0 or below.
    pub fn trace_id_ratio(ratio: f64) -> Result<Sampler, TraceError> {
        if ratio.is_nan() {
            return Err(TraceError::sampler("ratio", "a number", "NaN"));
        }
        if ratio >= 1.0 {
            return Ok(Sampler::AlwaysOn);
        }
        let ratio = ratio.max(0.0);
        Ok(Sampler::TraceIdRatioBased {
            ratio,
            upper_bound: (ratio * (1u64 << 63) as f64) as u64,
        })
    }

    /// The consistent probability sampler for `probability` in [0, 1] with `precision`
    /// (1 to 13 hex digits; OpenTelemetry's default is 4).
    pub fn probability(probability: f64, precision: u32) -> Result<Sampler, TraceError> {
        if !(0.0..=1.0).contains(&probability) {
            return Err(TraceError::sampler(
                "probability",
                "a number from 0 to 1",
                &probability.to_string(),
            ));
        }
        if probability > 0.0 && probability < 1.0 / MAX_THRESHOLD as f64 {
            return Err(TraceError::sampler(
                "probability",
                "0 or at least 2^-56",
                &probability.to_string(),
            ));
        }
        if !(1..=13).contains(&precision) {
            return Err(TraceError::sampler(
                "precision",
                "1 to 13 hex digits",
                &precision.to_string(),
            ));
        }
        if probability == 0.0 {
            return Ok(Sampler::Probability {
                probability,
                threshold: None,
                th: String::new(),
            });
        }
        let (t, th) = threshold(probability, precision);
        Ok(Sampler::Probability {
            probability,
            threshold: Some(t),
            th,
        })
    }

    /// The sampler a model's `sampleRate` stands for: ParentBased around TraceIdRatioBased
    /// (OpenTelemetry's `parentbased_traceidratio`); no rate is AlwaysOn in ParentBased (the
    /// SDK default).
    pub fn from_sample_rate(rate: Option<f64>) -> Result<Sampler, TraceError> {
        let root = match rate {
            None => Sampler::AlwaysOn,
            Some(r) if !(0.0..=1.0).contains(&r) => {
                return Err(TraceError::sampler(
                    "sampleRate",
                    "a number from 0 to 1",
                    &r.to_string(),
                ))
            }
            Some(r) => Sampler::trace_id_ratio(r)?,
        };
        Ok(Sampler::ParentBased(Box::new(ParentBased::new(root))))
    }

    /// Go's description string.
    pub fn description(&self) -> String {
        match self {
            Sampler::AlwaysOn => "AlwaysOnSampler".to_string(),
            Sampler::AlwaysOff => "AlwaysOffSampler".to_string(),
            Sampler::TraceIdRatioBased { ratio, .. } => {
                format!("TraceIDRatioBased{{{}}}", go_g(*ratio))
            }
            Sampler::Probability { th, threshold, .. } => match threshold {
                Some(_) => format!("ProbabilitySampler{{th:{th}}}"),
                None => "ProbabilitySampler{never}".to_string(),
            },
            Sampler::ParentBased(p) => format!(
                "ParentBased{{root:{},remoteParentSampled:{},remoteParentNotSampled:{},localParentSampled:{},localParentNotSampled:{}}}",
                p.root.description(),
                p.remote_parent_sampled.description(),
                p.remote_parent_not_sampled.description(),
                p.local_parent_sampled.description(),
                p.local_parent_not_sampled.description()
            ),
        }
    }

    /// The sampler that decides for a span with `parent`: ParentBased's delegate, else this one.
    pub fn decider(&self, parent: Option<&Parent>) -> &Sampler {
        let Sampler::ParentBased(p) = self else {
            return self;
        };
        let delegate = match parent {
            None => &p.root,
            Some(x) => match (x.remote, x.sampled) {
                (true, true) => &p.remote_parent_sampled,
                (true, false) => &p.remote_parent_not_sampled,
                (false, true) => &p.local_parent_sampled,
                (false, false) => &p.local_parent_not_sampled,
            },
        };
        delegate.decider(parent)
    }

    /// Decides for a span of trace `trace_id` with `parent` (`None` for a root span).
    pub fn should_sample(&self, trace_id: &[u8; 16], parent: Option<&Parent>) -> Decision {
        let inherited = parent.map(|p| p.tracestate.clone()).unwrap_or_default();
        let decided = |sampled: bool, tracestate: TraceState| Decision {
            sampled,
            tracestate,
        };
        match self {
            Sampler::AlwaysOn => decided(true, inherited),
            Sampler::AlwaysOff => decided(false, inherited),
            Sampler::TraceIdRatioBased { upper_bound, .. } => {
                let mut low = [0u8; 8];
                low.copy_from_slice(&trace_id[8..16]);
                let x = u64::from_be_bytes(low) >> 1;
                decided(x < *upper_bound, inherited)
            }
            Sampler::Probability { threshold, th, .. } => {
                let Some(t) = threshold else {
                    return decided(false, with_th(&inherited, None));
                };
                let sampled = randomness(trace_id, &inherited) >= *t;
                let th = sampled.then_some(th.as_str());
                decided(sampled, with_th(&inherited, th))
            }
            Sampler::ParentBased(_) => self.decider(parent).should_sample(trace_id, parent),
        }
    }
}

/// The 56-bit randomness: `ot=rv` (14 hex digits) when present, else the trace id's
/// rightmost 7 bytes.
fn randomness(trace_id: &[u8; 16], ts: &TraceState) -> u64 {
    if let Some((_, rv)) = ot_fields(ts).into_iter().find(|(k, _)| k == "rv") {
        if rv.len() == 14 {
            if let Ok(r) = u64::from_str_radix(&rv, 16) {
                return r;
            }
        }
    }
    let mut low = [0u8; 8];
    low[1..].copy_from_slice(&trace_id[9..16]);
    u64::from_be_bytes(low)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn go_g_matches_go_formatting() {
        assert_eq!(go_g(0.5), "0.5");
        assert_eq!(go_g(0.0001), "0.0001");
        assert_eq!(go_g(0.00001), "1e-05");
        assert_eq!(go_g(0.25), "0.25");
        assert_eq!(go_g(0.0), "0");
    }
}
