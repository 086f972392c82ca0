//! API gateways: stages, cache, throttling, resources, CORS, methods, integrations,
//! authorizers and models (API Gateway's REST API model).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::Url;
use validator::Validate;

use super::JsonMap;
use crate::duration::Duration;
use crate::quantity::Quantity;
use crate::validate::field_rules as rules;

/// An API gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiGateway {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// API version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Stages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub stages: Vec<Stage>,
    /// Resources (paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub resources: Vec<Resource>,
    /// Methods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub methods: Vec<Method>,
    /// Authorizers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub authorizers: Vec<Authorizer>,
    /// Models.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub models: Vec<Model>,
}

/// A deployment stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Stage {
    /// Name (`prod`).
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Deployment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<String>,
    /// Stage variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
    /// Response cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub cache: Option<CacheConfig>,
    /// Throttling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub throttle: Option<ThrottleConfig>,
}

/// Response cache. API Gateway allows a TTL of 0–3600 s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CacheConfig {
    /// Whether caching is on.
    #[serde(default)]
    pub enabled: bool,
    /// Entry lifetime, 0 s–1 h.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "cache_ttl"))]
    pub ttl: Option<Duration>,
    /// Cache size (`0.5G`, `1.6G`, ...), > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_quantity"))]
    pub size: Option<Quantity>,
    /// Encrypted at rest.
    #[serde(default)]
    pub encrypted: bool,
}

fn cache_ttl(d: &Duration) -> Result<(), validator::ValidationError> {
    if d.as_nanos() < 0 || d.as_nanos() > 3600 * 1_000_000_000 {
        return Err(rules::fail(
            "out_of_range",
            format!("expected a cache ttl between 0s and 1h0m0s, found `{d}`"),
        ));
    }
    Ok(())
}

/// Token-bucket throttling: `rateLimit` requests per second refill a bucket of `burstLimit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ThrottleConfig {
    /// Bucket size (≥ 1).
    #[validate(range(min = 1))]
    pub burst_limit: i64,
    /// Steady rate in requests per second (> 0).
    #[validate(custom(function = "positive_rate"))]
    pub rate_limit: f64,
}

fn positive_rate(v: f64) -> Result<(), validator::ValidationError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(rules::fail(
            "not_positive",
            format!("expected a rate greater than 0 requests per second, found {v}"),
        ))
    }
}

/// HTTP methods API Gateway routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// HEAD.
    Head,
    /// OPTIONS.
    Options,
    /// Any method.
    Any,
}

/// A path resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resource {
    /// Path (`/users/{id}`).
    #[validate(custom(function = "rules::http_path"))]
    pub path: String,
    /// Methods it accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<HttpMethod>,
    /// Authorizer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<String>,
    /// CORS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub cors: Option<CorsConfig>,
}

/// CORS (the Fetch standard forbids credentials with a `*` origin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CorsConfig {
    /// Whether CORS headers are sent.
    #[serde(default)]
    pub enabled: bool,
    /// Allowed origins (`*` or `https://app.example.com`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_origins: Vec<String>,
    /// Allowed methods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_methods: Vec<String>,
    /// Allowed request headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_headers: Vec<String>,
    /// Response headers exposed to scripts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expose_headers: Vec<String>,
    /// Preflight cache seconds (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0))]
    pub max_age: Option<i32>,
    /// `Access-Control-Allow-Credentials` (added to the seed design).
    #[serde(default)]
    pub allow_credentials: bool,
}

/// A method on a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Method {
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Resource path.
    #[validate(custom(function = "rules::http_path"))]
    pub resource: String,
    /// Backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub integration: Option<Integration>,
    /// Request handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub request: Option<RequestConfig>,
    /// Response handling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub response: Option<ResponseConfig>,
}

/// Integration kinds (API Gateway).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IntegrationType {
    /// AWS service, mapped.
    Aws,
    /// Lambda proxy.
    AwsProxy,
    /// HTTP backend, mapped.
    Http,
    /// HTTP proxy.
    HttpProxy,
    /// Canned response.
    Mock,
}

/// A backend integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Integration {
    /// Kind.
    #[serde(rename = "type")]
    pub integration_type: IntegrationType,
    /// Backend URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<Url>,
    /// Role ARN the gateway assumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::arn"))]
    pub credentials: Option<String>,
    /// Request mapping templates by content type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_templates: BTreeMap<String, String>,
    /// Response mapping templates by content type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response_templates: BTreeMap<String, String>,
}

/// Request handling.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestConfig {
    /// Validation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationConfig>,
    /// Transformation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub transform: Option<TransformConfig>,
}

/// Request validation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidationConfig {
    /// Body required.
    #[serde(default)]
    pub required: bool,
    /// JSON schema of the body.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub schema: JsonMap,
}

/// Request transformation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransformConfig {
    /// Template.
    #[validate(custom(function = "rules::not_blank"))]
    pub template: String,
    /// Template variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, String>,
}

/// Response handling.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResponseConfig {
    /// Per status code (100–599).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(custom(function = "valid_status_codes"))]
    pub status_codes: BTreeMap<StatusCode, StatusCodeConfig>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
}

fn valid_status_codes(
    map: &BTreeMap<StatusCode, StatusCodeConfig>,
) -> Result<(), validator::ValidationError> {
    match map.keys().map(|c| c.0).find(|c| !(100..=599).contains(c)) {
        Some(c) => Err(rules::fail(
            "invalid_status_code",
            format!("expected HTTP status codes between 100 and 599, found {c}"),
        )),
        None => Ok(()),
    }
}

/// One status code's mapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusCodeConfig {
    /// Regex on the backend response that selects this code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection_pattern: Option<String>,
    /// Header mappings.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response_parameters: BTreeMap<String, String>,
    /// Body templates.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response_templates: BTreeMap<String, String>,
}

/// Authorizer kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthorizerType {
    /// Lambda on a bearer token.
    Token,
    /// Lambda on request parameters.
    Request,
    /// Cognito user pools.
    CognitoUserPools,
    /// JWT (HTTP APIs).
    Jwt,
}

/// An authorizer. API Gateway caches results for 0–3600 s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Authorizer {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(rename = "type")]
    pub authorizer_type: AuthorizerType,
    /// Where the identity comes from (`method.request.header.Authorization`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_source: Option<String>,
    /// Authorizer function URI.
    #[serde(
        default,
        rename = "authorizerURI",
        skip_serializing_if = "Option::is_none"
    )]
    pub authorizer_uri: Option<Url>,
    /// Result cache seconds, 0–3600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0, max = 3600))]
    pub authorizer_result_ttl_in_seconds: Option<i32>,
}

/// A body model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    /// Name (alphanumeric).
    #[validate(custom(function = "model_name"))]
    pub name: String,
    /// Media type (`application/json`).
    #[validate(custom(function = "media_type"))]
    pub content_type: String,
    /// JSON schema.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub schema: JsonMap,
}

fn model_name(s: &str) -> Result<(), validator::ValidationError> {
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(rules::fail(
            "invalid_model_name",
            format!("expected an alphanumeric model name, found `{s}`"),
        ))
    }
}

fn media_type(s: &str) -> Result<(), validator::ValidationError> {
    let ok = s
        .split_once('/')
        .is_some_and(|(t, st)| !t.is_empty() && !st.is_empty() && !s.contains(char::is_whitespace));
    if ok {
        Ok(())
    } else {
        Err(rules::fail(
            "invalid_media_type",
            format!("expected a media type like `application/json`, found `{s}`"),
        ))
    }
}

/// An HTTP status code used as a map key. It loads from a number (YAML `200:`) or a string
/// (JSON `"200":`) and is written as a string, so documents as data have string keys in every
/// language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(pub u16);

impl Serialize for StatusCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = StatusCode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an HTTP status code")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<StatusCode, E> {
                u16::try_from(v).map(StatusCode).map_err(|_| {
                    E::custom(format!(
                        "invalid value: expected an HTTP status code, found {v}"
                    ))
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<StatusCode, E> {
                u16::try_from(v).map(StatusCode).map_err(|_| {
                    E::custom(format!(
                        "invalid value: expected an HTTP status code, found {v}"
                    ))
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<StatusCode, E> {
                v.parse().map(StatusCode).map_err(|_| {
                    E::custom(format!(
                        "invalid value: expected an HTTP status code, found `{v}`"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}
