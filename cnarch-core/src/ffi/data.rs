//! [`Data`]: plain data from a binding (JSON-like), read through any serde deserializer, with
//! NaN and infinities refused. `serde_json` would store them as `null`, which reads as "absent"
//! and would silently select a default.

use serde_json::Value;

/// JSON-like data whose numbers are all finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Data(pub Value);

impl<'de> serde::Deserialize<'de> for Data {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Data, D::Error> {
        d.deserialize_any(Visitor).map(Data)
    }
}

struct Visitor;

impl<'de> serde::de::Visitor<'de> for Visitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("plain data (mappings, lists, numbers, strings, booleans, null)")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::from)
            .or_else(|_| u64::try_from(v).map(Value::from))
            .map_err(|_| E::custom(format!("expected a number within 64 bits, found {v}")))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        u64::try_from(v)
            .map(Value::from)
            .map_err(|_| E::custom(format!("expected a number within 64 bits, found {v}")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("expected a finite number, found {v}")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(d).map(|f: Data| f.0)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Data(x)) = seq.next_element()? {
            out.push(x);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((k, Data(v))) = map.next_entry::<String, Data>()? {
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Reads plain data with `deserializer`; a refusal is an `invalid_argument_type` error (for
/// a value that is not data) or `invalid_number` (a NaN or infinity), naming the argument and
/// the path inside it.
pub fn data<'de, D>(deserializer: D, argument: &str) -> Result<Value, super::Error>
where
    D: serde::Deserializer<'de>,
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize::<_, Data>(deserializer)
        .map(|d| d.0)
        .map_err(|e| {
            let inner = e.path().to_string();
            let at = if inner == "." || inner.is_empty() {
                argument.to_string()
            } else if inner.starts_with('[') {
                format!("{argument}{inner}")
            } else {
                format!("{argument}.{inner}")
            };
            let message = e.into_inner().to_string();
            let message = message.trim_start_matches("Error: ");
            if message.starts_with("expected a finite number") {
                super::Error::number(
                    &at,
                    "to be a finite number",
                    message.trim_start_matches("expected a finite number, found "),
                )
            } else {
                super::Error::type_error(
                    &at,
                    "plain data (mappings, lists, numbers, strings, booleans, null)",
                    message,
                )
            }
        })
}
