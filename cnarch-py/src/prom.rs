//! Prometheus formats (`cnarch.prometheus`): promtool's expanding series notation and the
//! text exposition format (families as dicts, samples as `(name, labels, value, timestamp)`
//! tuples, built directly: values may be NaN or infinite).

use cnarch_core::ffi;
use cnarch_core::prom::exposition::{Family, MetricKind, Sample};
use cnarch_core::prom::series::SeriesValue;
use cnarch_py_macros::guarded;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::error::{OrPy, HOST};

/// The samples a notation expands to: floats, `None` for a missing sample, the string
/// `"stale"` for a stale marker (`cnarch.prometheus` turns it into `STALE`).
#[guarded]
#[pyfunction]
pub fn _expand_series(py: Python<'_>, notation: &str) -> PyResult<Vec<Py<PyAny>>> {
    {
        let values = ffi::prom::expand_series(HOST, notation).or_py()?;
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            out.push(match v {
                SeriesValue::Value(x) => pyo3::types::PyFloat::new(py, x).into_any().unbind(),
                SeriesValue::Missing => py.None(),
                SeriesValue::Stale => pyo3::types::PyString::new(py, "stale").into_any().unbind(),
            });
        }
        Ok(out)
    }
}

/// `values` (floats, `None` for a missing sample, the string `"stale"` for a stale marker)
/// written in the expanding notation.
#[guarded]
#[pyfunction]
pub fn _format_series(values: &Bound<'_, PyAny>) -> PyResult<String> {
    {
        let mut out = Vec::new();
        for (i, v) in values.try_iter()?.enumerate() {
            let v = v?;
            out.push(if v.is_none() {
                SeriesValue::Missing
            } else if v.extract::<&str>().is_ok_and(|s| s == "stale") {
                SeriesValue::Stale
            } else if v.cast::<pyo3::types::PyBool>().is_err() {
                match v.extract::<f64>() {
                    Ok(x) => SeriesValue::Value(x),
                    Err(_) => {
                        return Err(crate::error::err(ffi::Error::type_error(
                            &format!("values[{i}]"),
                            "a number, None or STALE",
                            &v.get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default(),
                        )))
                    }
                }
            } else {
                return Err(crate::error::err(ffi::Error::type_error(
                    &format!("values[{i}]"),
                    "a number, None or STALE",
                    "bool",
                )));
            });
        }
        Ok(ffi::prom::format_series(&out))
    }
}

/// The families of an exposition text.
#[guarded]
#[pyfunction]
pub fn _parse_exposition(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    {
        let families = py
            .detach(|| ffi::prom::parse_exposition(HOST, text))
            .or_py()?;
        let out = PyList::empty(py);
        let mut keys: Vec<(&str, Bound<'_, PyString>)> = Vec::new();
        for f in &families {
            let d = PyDict::new(py);
            d.set_item("name", &f.name)?;
            d.set_item("help", &f.help)?;
            d.set_item("type", f.kind.name())?;
            let name = PyString::new(py, &f.name);
            let mut last: Option<(&str, Bound<'_, PyString>)> = None;
            let samples = PyList::empty(py);
            for s in &f.samples {
                let n = match &last {
                    Some((text, obj)) if *text == s.name => obj.clone(),
                    _ if s.name == f.name => name.clone(),
                    _ => PyString::new(py, &s.name),
                };
                last = Some((s.name.as_str(), n.clone()));
                let labels = PyDict::new(py);
                for (k, v) in &s.labels {
                    // Label names repeat across a scrape: one string object each, whose hash
                    // Python then computes once.
                    let key = match keys.iter().find(|(t, _)| *t == k.as_str()) {
                        Some((_, o)) => o.clone(),
                        None => {
                            let o = PyString::new(py, k);
                            if keys.len() < 64 {
                                keys.push((k.as_str(), o.clone()));
                            }
                            o
                        }
                    };
                    labels.set_item(key, v)?;
                }
                let t = PyTuple::new(
                    py,
                    [
                        n.into_any(),
                        labels.into_any(),
                        pyo3::types::PyFloat::new(py, s.value).into_any(),
                        s.timestamp.into_pyobject(py)?.into_any(),
                    ],
                )?;
                samples.append(t)?;
            }
            d.set_item("samples", samples)?;
            out.append(d)?;
        }
        Ok(out.into_any().unbind())
    }
}

fn type_error(path: &str, expected: &str, v: &Bound<'_, PyAny>) -> PyErr {
    crate::error::err(ffi::Error::type_error(
        path,
        expected,
        &v.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default(),
    ))
}

fn item<'py>(v: &Bound<'py, PyAny>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    match v.cast::<PyDict>() {
        Ok(d) => Ok(d.get_item(key)?.filter(|x| !x.is_none())),
        Err(_) => Ok(None),
    }
}

fn text(v: &Bound<'_, PyAny>, path: &str) -> PyResult<String> {
    v.extract::<String>()
        .map_err(|_| type_error(path, "a string", v))
}

fn sample(v: &Bound<'_, PyAny>, path: &str) -> PyResult<Sample> {
    let (name, labels, value, timestamp) = if let Ok(t) = v.cast::<PyTuple>() {
        if !(3..=4).contains(&t.len()) {
            return Err(type_error(
                path,
                "a (name, labels, value, timestamp) tuple",
                v,
            ));
        }
        (
            Some(t.get_item(0)?),
            Some(t.get_item(1)?).filter(|x| !x.is_none()),
            Some(t.get_item(2)?),
            if t.len() == 4 {
                Some(t.get_item(3)?).filter(|x| !x.is_none())
            } else {
                None
            },
        )
    } else if v.cast::<PyDict>().is_ok() {
        (
            item(v, "name")?,
            item(v, "labels")?,
            item(v, "value")?,
            item(v, "timestamp")?,
        )
    } else {
        return Err(type_error(
            path,
            "a (name, labels, value, timestamp) tuple or a dict",
            v,
        ));
    };
    let name = match name {
        Some(n) => text(&n, &format!("{path}.name"))?,
        None => {
            return Err(type_error(
                &format!("{path}.name"),
                "a string",
                &v.py().None().into_bound(v.py()),
            ))
        }
    };
    let mut out_labels = Vec::new();
    if let Some(l) = labels {
        let d = l
            .cast::<PyDict>()
            .map_err(|_| type_error(&format!("{path}.labels"), "a dict of strings", &l))?;
        for (k, val) in d.iter() {
            let k = text(&k, &format!("{path}.labels"))?;
            let val = text(&val, &format!("{path}.labels.{k}"))?;
            out_labels.push((k, val));
        }
    }
    let value = match value {
        Some(x) if x.cast::<pyo3::types::PyBool>().is_err() => x
            .extract::<f64>()
            .map_err(|_| type_error(&format!("{path}.value"), "a number", &x))?,
        Some(x) => return Err(type_error(&format!("{path}.value"), "a number", &x)),
        None => {
            return Err(type_error(
                &format!("{path}.value"),
                "a number",
                &v.py().None().into_bound(v.py()),
            ))
        }
    };
    let timestamp = match timestamp {
        None => None,
        Some(t) => Some(t.extract::<i64>().map_err(|_| {
            type_error(
                &format!("{path}.timestamp"),
                "an integer (milliseconds) or None",
                &t,
            )
        })?),
    };
    Ok(Sample {
        name,
        labels: out_labels,
        value,
        timestamp,
    })
}

/// Families (dicts as `_parse_exposition` gives them) in the exposition format.
#[guarded]
#[pyfunction]
pub fn _render_exposition(families: &Bound<'_, PyAny>) -> PyResult<String> {
    {
        let mut out = Vec::new();
        for (i, f) in families.try_iter()?.enumerate() {
            let f = f?;
            let path = format!("families[{i}]");
            if f.cast::<PyDict>().is_err() {
                return Err(type_error(
                    &path,
                    "a dict with name, help, type and samples",
                    &f,
                ));
            }
            let name = match item(&f, "name")? {
                Some(n) => text(&n, &format!("{path}.name"))?,
                None => {
                    return Err(type_error(
                        &format!("{path}.name"),
                        "a string",
                        &f.py().None().into_bound(f.py()),
                    ))
                }
            };
            let help = item(&f, "help")?
                .map(|h| text(&h, &format!("{path}.help")))
                .transpose()?;
            let kind = match item(&f, "type")? {
                None => MetricKind::Untyped,
                Some(t) => {
                    let s = text(&t, &format!("{path}.type"))?;
                    MetricKind::from_name(&s).ok_or_else(|| {
                        type_error(
                            &format!("{path}.type"),
                            "counter, gauge, histogram, summary or untyped",
                            &t,
                        )
                    })?
                }
            };
            let mut samples = Vec::new();
            if let Some(list) = item(&f, "samples")? {
                for (j, s) in list.try_iter()?.enumerate() {
                    samples.push(sample(&s?, &format!("{path}.samples[{j}]"))?);
                }
            }
            out.push(Family {
                name,
                help,
                kind,
                samples,
            });
        }
        ffi::prom::render_exposition(HOST, &out).or_py()
    }
}

/// The model's `Metric` values (dicts as the model writes them) in the exposition format.
#[guarded]
#[pyfunction]
pub fn _render_metrics(metrics: &Bound<'_, PyAny>) -> PyResult<String> {
    {
        let m = crate::convert::json_of(metrics, "metrics")?;
        ffi::prom::render_metrics(HOST, &m).or_py()
    }
}
