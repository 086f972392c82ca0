//! Prometheus formats: promtool's expanding series notation.

use cnarch_core::ffi;
use cnarch_core::prom::series::SeriesValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{OrJs, HOST};

/// The samples a notation expands to: numbers, `null` for a missing sample, the string
/// `"stale"` for a stale marker.
#[wasm_bindgen(js_name = expandSeries)]
pub fn expand_series(notation: &str) -> Result<js_sys::Array, JsValue> {
    let values = ffi::prom::expand_series(HOST, notation).or_js()?;
    Ok(values
        .into_iter()
        .map(|v| match v {
            SeriesValue::Value(x) => JsValue::from_f64(x),
            SeriesValue::Missing => JsValue::NULL,
            SeriesValue::Stale => JsValue::from_str("stale"),
        })
        .collect())
}

/// `values` (numbers, `null` for a missing sample, `"stale"` for a stale marker) written in
/// the expanding notation.
#[wasm_bindgen(js_name = formatSeries)]
pub fn format_series(values: js_sys::Array) -> Result<String, JsValue> {
    let mut out = Vec::with_capacity(values.length() as usize);
    for (i, v) in values.iter().enumerate() {
        out.push(if v.is_null() {
            SeriesValue::Missing
        } else if v.as_string().is_some_and(|s| s == "stale") {
            SeriesValue::Stale
        } else if let Some(x) = v.as_f64() {
            SeriesValue::Value(x)
        } else {
            return Err(crate::error::to_js(ffi::Error::type_error(
                &format!("values[{i}]"),
                "a number, null or \"stale\"",
                "another type",
            )));
        });
    }
    Ok(ffi::prom::format_series(&out))
}

fn set(o: &js_sys::Object, k: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), v);
}

fn get(o: &JsValue, k: &str) -> JsValue {
    js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// The families of an exposition text: `[{name, help, type, samples: [{name, labels, value,
/// timestamp}]}]` (labels an object in the order written, timestamps in milliseconds).
#[wasm_bindgen(js_name = parseExposition)]
pub fn parse_exposition(text: &str) -> Result<js_sys::Array, JsValue> {
    let families = ffi::prom::parse_exposition(HOST, text).or_js()?;
    let out = js_sys::Array::new();
    for f in &families {
        let o = js_sys::Object::new();
        let name = JsValue::from_str(&f.name);
        set(&o, "name", &name);
        set(
            &o,
            "help",
            &f.help.as_deref().map_or(JsValue::NULL, JsValue::from_str),
        );
        set(&o, "type", &JsValue::from_str(f.kind.name()));
        let samples = js_sys::Array::new();
        for s in &f.samples {
            let so = js_sys::Object::new();
            let n = if s.name == f.name {
                name.clone()
            } else {
                JsValue::from_str(&s.name)
            };
            set(&so, "name", &n);
            let labels = js_sys::Object::new();
            for (k, v) in &s.labels {
                set(&labels, k, &JsValue::from_str(v));
            }
            set(&so, "labels", &labels);
            set(&so, "value", &JsValue::from_f64(s.value));
            set(
                &so,
                "timestamp",
                &s.timestamp
                    .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64)),
            );
            samples.push(&so);
        }
        set(&o, "samples", &samples);
        out.push(&o);
    }
    Ok(out)
}

fn string(v: &JsValue, path: &str) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| crate::error::type_error(path, "a string", v))
}

/// Families (as `parseExposition` gives them) in the exposition format.
#[wasm_bindgen(js_name = renderExposition)]
pub fn render_exposition(families: js_sys::Array) -> Result<String, JsValue> {
    use cnarch_core::prom::exposition::{Family, MetricKind, Sample};
    let mut out = Vec::with_capacity(families.length() as usize);
    for (i, f) in families.iter().enumerate() {
        let path = format!("families[{i}]");
        if !f.is_object() {
            return Err(crate::error::type_error(
                &path,
                "an object with name, help, type and samples",
                &f,
            ));
        }
        let name = string(&get(&f, "name"), &format!("{path}.name"))?;
        let h = get(&f, "help");
        let help = if absent(&h) {
            None
        } else {
            Some(string(&h, &format!("{path}.help"))?)
        };
        let t = get(&f, "type");
        let kind = if absent(&t) {
            MetricKind::Untyped
        } else {
            let s = string(&t, &format!("{path}.type"))?;
            MetricKind::from_name(&s).ok_or_else(|| {
                crate::error::type_error(
                    &format!("{path}.type"),
                    "counter, gauge, histogram, summary or untyped",
                    &t,
                )
            })?
        };
        let mut samples = Vec::new();
        let list = get(&f, "samples");
        if !absent(&list) {
            let list: js_sys::Array = list.dyn_into().map_err(|v| {
                crate::error::type_error(&format!("{path}.samples"), "an array", &v)
            })?;
            for (j, s) in list.iter().enumerate() {
                let sp = format!("{path}.samples[{j}]");
                if !s.is_object() {
                    return Err(crate::error::type_error(
                        &sp,
                        "an object with name, labels, value and timestamp",
                        &s,
                    ));
                }
                let name = string(&get(&s, "name"), &format!("{sp}.name"))?;
                let mut labels = Vec::new();
                let l = get(&s, "labels");
                if !absent(&l) {
                    if !l.is_object() {
                        return Err(crate::error::type_error(
                            &format!("{sp}.labels"),
                            "an object of strings",
                            &l,
                        ));
                    }
                    let entries = js_sys::Object::entries(&js_sys::Object::from(l));
                    for e in entries.iter() {
                        let e = js_sys::Array::from(&e);
                        let k = string(&e.get(0), &format!("{sp}.labels"))?;
                        let v = string(&e.get(1), &format!("{sp}.labels.{k}"))?;
                        labels.push((k, v));
                    }
                }
                let v = get(&s, "value");
                let value = v.as_f64().ok_or_else(|| {
                    crate::error::type_error(&format!("{sp}.value"), "a number", &v)
                })?;
                let ts = get(&s, "timestamp");
                let timestamp = if absent(&ts) {
                    None
                } else {
                    match ts.as_f64() {
                        Some(x) if x.fract() == 0.0 && x.abs() <= 9.007_199_254_740_991e15 => {
                            Some(x as i64)
                        }
                        _ => {
                            return Err(crate::error::type_error(
                                &format!("{sp}.timestamp"),
                                "a whole number of milliseconds or null",
                                &ts,
                            ))
                        }
                    }
                };
                samples.push(Sample {
                    name,
                    labels,
                    value,
                    timestamp,
                });
            }
        }
        out.push(Family {
            name,
            help,
            kind,
            samples,
        });
    }
    ffi::prom::render_exposition(HOST, &out).or_js()
}

/// The model's `Metric` values in the exposition format.
#[wasm_bindgen(js_name = renderMetrics)]
pub fn render_metrics(metrics: JsValue) -> Result<String, JsValue> {
    let m = crate::convert::data(&metrics, "metrics")?;
    ffi::prom::render_metrics(HOST, &m).or_js()
}
