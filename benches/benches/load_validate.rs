//! Load and validate a generated 1,000-microservice YAML file (about 1 MB).
//!
//! Side by side in one run: cnarch's `load_str` (parse, typed decode with paths, validation)
//! against parsing the same YAML into an untyped `serde_norway::Value` (the YAML parser alone,
//! a floor for any loader) and decoding it into plain serde structs without path tracking or
//! validation (what a hand-rolled loader does).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_benches::microservices_yaml;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::Deserialize;

fn bench(c: &mut Criterion) {
    let yaml = microservices_yaml(1000);
    assert_eq!(cnarch_core::load_str(&yaml).unwrap().len(), 1000);
    let mut g = c.benchmark_group("load_validate_1000_microservices");
    g.throughput(Throughput::Bytes(yaml.len() as u64));
    g.sample_size(20);
    g.bench_function("cnarch_load_str", |b| {
        b.iter(|| cnarch_core::load_str(black_box(&yaml)).unwrap())
    });
    g.bench_function("yaml_to_untyped_value", |b| {
        b.iter(|| {
            serde_norway::Deserializer::from_str(black_box(&yaml))
                .map(|d| serde_norway::Value::deserialize(d).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("yaml_to_plain_structs", |b| {
        b.iter(|| {
            serde_norway::Deserializer::from_str(black_box(&yaml))
                .map(|d| {
                    cnarch_core::model::workload::Microservice::deserialize(StripTags(d))
                        .map(|_| ())
                        .unwrap_or(())
                })
                .count()
        })
    });
    g.finish();
}

/// Decodes a Microservice document, skipping `apiVersion` and `kind`, with no validation.
struct StripTags<'de>(serde_norway::Deserializer<'de>);

impl<'de> serde::Deserializer<'de> for StripTags<'de> {
    type Error = serde_norway::Error;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        let mut value = serde_norway::Value::deserialize(self.0)?;
        if let Some(m) = value.as_mapping_mut() {
            m.shift_remove("apiVersion");
            m.shift_remove("kind");
        }
        serde::Deserializer::deserialize_any(value, v)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
        newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
