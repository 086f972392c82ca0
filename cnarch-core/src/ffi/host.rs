//! [`Host`]: what a binding's language expects (time unit, spelling of names), and the
//! conversions of plain data in and out that follow from it.

use serde::Serialize;
use serde_json::Value;

use super::error::{render_path, Error};
use crate::error::Coded;
use crate::time::{Instant, TimeUnit};

/// How a language spells the names of options and arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// `failure_rate_threshold` (Rust, Python).
    Snake,
    /// `failureRateThreshold` (JavaScript).
    Camel,
}

/// What a binding's language expects: the unit its numbers of time are in and how it spells
/// names. Paths inside Kubernetes-shaped objects (`spec.metrics[0].resource`) are the same in
/// every language and are never re-spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Host {
    /// Unit of times and durations given as numbers.
    pub unit: TimeUnit,
    /// Spelling of option and argument names.
    pub case: Case,
}

impl Host {
    /// Python: seconds, snake_case.
    pub const PYTHON: Host = Host {
        unit: TimeUnit::Seconds,
        case: Case::Snake,
    };
    /// JavaScript: milliseconds, camelCase.
    pub const JS: Host = Host {
        unit: TimeUnit::Millis,
        case: Case::Camel,
    };
    /// Rust: seconds, snake_case (the core's own names).
    pub const RUST: Host = Host::PYTHON;

    /// `name` (a core name, snake_case) as this host spells it.
    pub fn name(&self, name: &str) -> String {
        match self.case {
            Case::Snake => name.to_string(),
            Case::Camel => render_path(name),
        }
    }

    /// A core error as this host's [`Error`].
    pub fn error<E: Coded + ?Sized>(&self, e: &E) -> Error {
        Error::from_coded(e, *self)
    }

    /// Seconds in one of this host's time units.
    pub fn unit_seconds(&self) -> f64 {
        self.unit.seconds()
    }

    /// A time argument in this host's unit, refusing negative, NaN, infinite and too large
    /// values; `field` is the core's name of the argument.
    pub fn instant(&self, value: f64, field: &str) -> Result<Instant, Error> {
        Instant::try_from_unit(value, self.unit, field).map_err(|e| self.error(&e))
    }

    /// A duration argument in this host's unit.
    pub fn duration(&self, value: f64, field: &str) -> Result<std::time::Duration, Error> {
        crate::time::duration_from_unit(value, self.unit, field).map_err(|e| self.error(&e))
    }

    /// A duration as a number in this host's unit.
    pub fn of(&self, d: std::time::Duration) -> f64 {
        self.unit.of(d)
    }

    /// An instant as a number in this host's unit.
    pub fn of_instant(&self, t: Instant) -> f64 {
        self.unit.of_instant(t)
    }

    /// Plain data from the caller with its option names in the core's spelling (camelCase keys
    /// become snake_case for JavaScript); values under the keys in `keep` (Kubernetes-shaped
    /// objects, label maps) are left as written.
    pub fn input(&self, value: Value, keep: &[&str]) -> Value {
        match self.case {
            Case::Snake => value,
            Case::Camel => rename_keys(value, snake, keep),
        }
    }

    /// A result as plain data with names in this host's spelling (snake_case keys become
    /// camelCase for JavaScript).
    pub fn output<T: Serialize + ?Sized>(&self, value: &T) -> Result<Value, Error> {
        let v = serde_json::to_value(value)
            .map_err(|e| Error::internal(&format!("a result could not be written as data: {e}")))?;
        Ok(match self.case {
            Case::Snake => v,
            Case::Camel => rename_keys(v, render_path, &["labels", "group"]),
        })
    }
}

/// `camelCase` as `snake_case` (`consecutive5xx` becomes `consecutive_5xx`).
fn snake(k: &str) -> String {
    let mut out = String::with_capacity(k.len() + 4);
    let mut prev: Option<char> = None;
    for c in k.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_digit() && prev.is_some_and(|p| p.is_ascii_lowercase()) {
            out.push('_');
            out.push(c);
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

fn rename_keys(v: Value, f: fn(&str) -> String, keep: &[&str]) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, x)| {
                    let x = if keep.contains(&k.as_str()) {
                        x
                    } else {
                        rename_keys(x, f, keep)
                    };
                    (f(&k), x)
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|x| rename_keys(x, f, keep)).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_between_cases() {
        for k in [
            "failure_rate_threshold",
            "consecutive_5xx",
            "max_ejection_time",
            "tick",
        ] {
            assert_eq!(snake(&render_path(k)), k);
        }
        assert_eq!(snake("slidingWindowSize"), "sliding_window_size");
    }
}
