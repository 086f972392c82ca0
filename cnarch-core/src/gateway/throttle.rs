//! API Gateway's request throttling in its documented order (per client per method in a usage
//! plan, per client in a usage plan, per method in the stage, the stage's default, the
//! account), each level a token bucket (`resilience::ratelimit`), and the stage cache (TTL,
//! cache keys from the method's key parameters, `Cache-Control: max-age=0` invalidation).

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;

use crate::error::{ErrorKind, ServiceError};
use crate::resilience::ratelimit::TokenBucket;
use crate::time::Instant;

/// The account's default limits in a Region: 10,000 requests per second, a burst of 5,000.
pub const ACCOUNT_DEFAULT: Limit = Limit {
    rate: 10_000.0,
    burst: 5_000,
};

/// A token bucket's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limit {
    /// Requests per second.
    pub rate: f64,
    /// Bucket size.
    pub burst: u64,
}

/// The throttling settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThrottleSettings {
    /// The account's limit (default [`ACCOUNT_DEFAULT`]).
    pub account: Option<Limit>,
    /// The stage's default method limit.
    pub stage: Option<Limit>,
    /// Per-method limits in the stage, by route key.
    pub methods: Vec<(String, Limit)>,
    /// A usage plan's per-client limit.
    pub usage_plan: Option<Limit>,
    /// A usage plan's per-client per-method limits, by route key.
    pub usage_plan_methods: Vec<(String, Limit)>,
}

/// The throttling levels, in the order API Gateway applies them.
pub const LEVELS: [&str; 5] = [
    "usage_plan_method",
    "usage_plan",
    "method",
    "stage",
    "account",
];

/// The answer for one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Throttled {
    /// 200 admitted, 429 refused.
    pub status: u16,
    /// The level that refused it.
    pub level: Option<&'static str>,
    /// When the same request would be admitted by that level.
    pub retry_after: Option<Duration>,
}

impl Throttled {
    /// API Gateway's 429 body.
    pub const BODY: &'static str = r#"{"message":"Too Many Requests"}"#;
}

/// Why throttling or cache settings were refused (code `invalid_gateway_settings`).
pub type SettingsError = ServiceError;

fn settings_error(path: &str, message: String) -> SettingsError {
    ServiceError::new("invalid_gateway_settings", ErrorKind::Config, path, message)
}

fn bucket(l: Limit, path: &str) -> Result<TokenBucket, SettingsError> {
    TokenBucket::new(l.rate, l.burst).map_err(|e| settings_error(path, e.to_string()))
}

/// The buckets of every level.
#[derive(Debug, Clone)]
pub struct Throttle {
    settings: ThrottleSettings,
    account: TokenBucket,
    stage: Option<TokenBucket>,
    methods: HashMap<String, TokenBucket>,
    clients: HashMap<String, TokenBucket>,
    client_methods: HashMap<(String, String), TokenBucket>,
}

impl Throttle {
    /// Buckets for `settings`, all full; invalid limits are refused with their place.
    pub fn new(settings: ThrottleSettings) -> Result<Throttle, SettingsError> {
        let account = bucket(settings.account.unwrap_or(ACCOUNT_DEFAULT), "account")?;
        let stage = settings.stage.map(|l| bucket(l, "stage")).transpose()?;
        let mut methods = HashMap::new();
        for (k, l) in &settings.methods {
            methods.insert(k.clone(), bucket(*l, &format!("methods.{k}"))?);
        }
        if let Some(l) = settings.usage_plan {
            bucket(l, "usage_plan")?;
        }
        for (k, l) in &settings.usage_plan_methods {
            bucket(*l, &format!("usage_plan_methods.{k}"))?;
        }
        Ok(Throttle {
            settings,
            account,
            stage,
            methods,
            clients: HashMap::new(),
            client_methods: HashMap::new(),
        })
    }

    /// One request for `route_key` at `now`, from the usage plan client `client` (an API
    /// key; `None` without one). The levels are checked in API Gateway's order and the first
    /// without a token refuses it (429); a refused request takes no token from any level.
    pub fn request(&mut self, now: Instant, client: Option<&str>, route_key: &str) -> Throttled {
        // the buckets this request needs, in the levels' order
        let plan_method = client.and_then(|c| {
            let l = self
                .settings
                .usage_plan_methods
                .iter()
                .find(|(k, _)| k == route_key)?
                .1;
            Some(((c.to_string(), route_key.to_string()), l))
        });
        if let Some((key, l)) = &plan_method {
            if !self.client_methods.contains_key(key) {
                if let Ok(b) = TokenBucket::new(l.rate, l.burst) {
                    self.client_methods.insert(key.clone(), b);
                }
            }
        }
        if let (Some(c), Some(l)) = (client, self.settings.usage_plan) {
            if !self.clients.contains_key(c) {
                if let Ok(b) = TokenBucket::new(l.rate, l.burst) {
                    self.clients.insert(c.to_string(), b);
                }
            }
        }
        let method_has = self.methods.contains_key(route_key);
        let mut levels: Vec<(&'static str, &mut TokenBucket)> = Vec::with_capacity(5);
        if let Some((key, _)) = &plan_method {
            if let Some(b) = self.client_methods.get_mut(key) {
                levels.push((LEVELS[0], b));
            }
        }
        if let Some(c) = client {
            if let Some(b) = self.clients.get_mut(c) {
                levels.push((LEVELS[1], b));
            }
        }
        if method_has {
            if let Some(b) = self.methods.get_mut(route_key) {
                levels.push((LEVELS[2], b));
            }
        } else if let Some(b) = self.stage.as_mut() {
            levels.push((LEVELS[3], b));
        }
        levels.push((LEVELS[4], &mut self.account));
        for (name, b) in &levels {
            let mut probe = (**b).clone();
            match probe.check(now, 1) {
                Ok(d) if d.allowed() => {}
                Ok(crate::resilience::ratelimit::RateDecision::Denied { retry_after }) => {
                    return Throttled {
                        status: 429,
                        level: Some(name),
                        retry_after: Some(retry_after),
                    }
                }
                _ => {
                    return Throttled {
                        status: 429,
                        level: Some(name),
                        retry_after: None,
                    }
                }
            }
        }
        for (_, b) in levels {
            let _ = b.check(now, 1);
        }
        Throttled {
            status: 200,
            level: None,
            retry_after: None,
        }
    }
}

/// The stage cache's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheSettings {
    /// Time to live, at most 3,600 s; 0 disables caching (default 300 s).
    pub ttl: Duration,
    /// Whether a client's `Cache-Control: max-age=0` invalidates the entry (else the header
    /// is ignored and the cached answer served).
    pub allow_invalidation: bool,
    /// The methods whose answers are cached (default GET only).
    pub methods: Vec<String>,
}

impl Default for CacheSettings {
    fn default() -> CacheSettings {
        CacheSettings {
            ttl: Duration::from_secs(300),
            allow_invalidation: false,
            methods: vec!["GET".to_string()],
        }
    }
}

/// The stage cache: entries by cache key, each with its expiry.
#[derive(Debug, Clone)]
pub struct StageCache {
    settings: CacheSettings,
    entries: HashMap<String, u64>,
}

/// A cache lookup's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CacheAnswer {
    /// `hit`, `miss` (fetched from the integration and stored), `invalidated` (fetched again
    /// on the client's request), `bypass` (not cached: the method is not cached or the TTL
    /// is 0).
    pub outcome: &'static str,
    /// The cache key.
    pub key: String,
    /// When the entry expires, seconds; `None` when bypassed.
    pub expires_at: Option<f64>,
}

impl StageCache {
    /// A cache with `settings`: a TTL over 3,600 s is refused.
    pub fn new(settings: CacheSettings) -> Result<StageCache, SettingsError> {
        if settings.ttl > Duration::from_secs(3600) {
            return Err(settings_error(
                "ttl",
                format!(
                    "expected a TTL of at most 3600 s (0 disables caching), found {} s",
                    settings.ttl.as_secs_f64()
                ),
            ));
        }
        Ok(StageCache {
            settings,
            entries: HashMap::new(),
        })
    }

    /// The cache key: the method, the resource path and the method's cache key parameters
    /// (name and value, in the order given).
    pub fn key(method: &str, resource: &str, parameters: &[(String, String)]) -> String {
        let mut k = format!("{method} {resource}");
        for (n, v) in parameters {
            k.push_str(&format!("|{n}={v}"));
        }
        k
    }

    /// A request at `now` for `resource` with its key `parameters`, and the client's
    /// `Cache-Control` header.
    pub fn request(
        &mut self,
        now: Instant,
        method: &str,
        resource: &str,
        parameters: &[(String, String)],
        cache_control: Option<&str>,
    ) -> CacheAnswer {
        let key = StageCache::key(method, resource, parameters);
        if self.settings.ttl.is_zero() || !self.settings.methods.iter().any(|m| m == method) {
            return CacheAnswer {
                outcome: "bypass",
                key,
                expires_at: None,
            };
        }
        let t = now.as_nanos();
        let invalidate = self.settings.allow_invalidation
            && cache_control.is_some_and(|c| {
                c.split(',')
                    .any(|d| d.trim().eq_ignore_ascii_case("max-age=0"))
            });
        let ttl = u64::try_from(self.settings.ttl.as_nanos()).unwrap_or(u64::MAX);
        let live = self.entries.get(&key).copied().filter(|&exp| exp > t);
        match live {
            Some(exp) if !invalidate => CacheAnswer {
                outcome: "hit",
                expires_at: Some(exp as f64 / 1e9),
                key,
            },
            _ => {
                let exp = t.saturating_add(ttl);
                self.entries.insert(key.clone(), exp);
                CacheAnswer {
                    outcome: if live.is_some() {
                        "invalidated"
                    } else {
                        "miss"
                    },
                    expires_at: Some(exp as f64 / 1e9),
                    key,
                }
            }
        }
    }
}
