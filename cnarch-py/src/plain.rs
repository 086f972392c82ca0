//! JSON-shaped Python data read directly, for per-call hot paths: [`json_data`] converts it
//! (without `json_of`'s `timedelta` pass, the path assembled only when something is refused),
//! and [`InPlace`] lets the core's pattern matcher read an event dict where it lies, checking
//! it on the way with the same refusals.

use cnarch_core::ffi;
use pyo3::prelude::*;

/// Why [`json_data`] refused a value, and where (segments innermost first).
pub(crate) struct Refused {
    at: Vec<String>,
    found: String,
    why: Why,
}

#[derive(Clone, Copy, PartialEq)]
enum Why {
    Type,
    Number,
    Deep,
}

/// JSON-shaped Python data (dicts with `str` keys, lists, tuples, `str`, `int`, `float`, `bool`,
/// `None`) read directly, without `json_of`'s `timedelta` pass or path tracking on the way
/// (the path is assembled only when something is refused), nested at most `max_depth` levels.
/// For per-call hot paths such as events; refusals are those of `json_of`.
pub fn json_data(
    v: &Bound<'_, PyAny>,
    argument: &str,
    max_depth: usize,
) -> PyResult<serde_json::Value> {
    json_value(v, max_depth).map_err(|r| refused(r, argument, max_depth))
}

fn refused(r: Refused, argument: &str, max_depth: usize) -> PyErr {
    let mut at = argument.to_string();
    for seg in r.at.iter().rev() {
        at.push_str(seg);
    }
    let e = match r.why {
        Why::Number => ffi::Error::number(&at, "to be a finite number", &r.found),
        Why::Deep => ffi::Error::number(
            argument,
            &format!("to nest at most {max_depth} levels deep"),
            "deeper nesting",
        ),
        Why::Type => ffi::Error::type_error(
            &at,
            "plain data (mappings, lists, numbers, strings, booleans, null)",
            &r.found,
        ),
    };
    crate::error::err(e)
}

/// What a Python value is as JSON.
pub(crate) enum Shape<'a, 'py> {
    /// A scalar other than a string.
    Scalar(serde_json::Value),
    /// A `str`.
    Str(&'a Bound<'py, pyo3::types::PyString>),
    /// A `dict`.
    Dict(&'a Bound<'py, pyo3::types::PyDict>),
    /// A `list` or a `tuple`.
    Seq(&'a Bound<'py, PyAny>),
}

fn refuse(found: String, why: Why) -> Refused {
    Refused {
        at: Vec::new(),
        found,
        why,
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn shape<'a, 'py>(v: &'a Bound<'py, PyAny>) -> Result<Shape<'a, 'py>, Refused> {
    use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
    use serde_json::Value;
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Shape::Str(s));
    }
    if v.is_none() {
        return Ok(Shape::Scalar(Value::Null));
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Shape::Scalar(Value::Bool(b.is_true())));
    }
    if v.cast::<PyInt>().is_ok() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Shape::Scalar(i.into()));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Shape::Scalar(u.into()));
        }
        return Err(refuse("an integer beyond 64 bits".into(), Why::Type));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        return serde_json::Number::from_f64(x)
            .map(|n| Shape::Scalar(Value::Number(n)))
            .ok_or_else(|| refuse(format!("{x}"), Why::Number));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        return Ok(Shape::Dict(d));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        return Ok(Shape::Seq(v));
    }
    Err(refuse(
        format!("a value of type {}", type_name(v)),
        Why::Type,
    ))
}

fn text<'a>(s: &'a Bound<'_, pyo3::types::PyString>) -> Result<std::borrow::Cow<'a, str>, Refused> {
    s.to_cow()
        .map_err(|_| refuse("a string that is not valid Unicode".into(), Why::Type))
}

fn key_text<'a>(k: &'a Bound<'_, PyAny>) -> Result<std::borrow::Cow<'a, str>, Refused> {
    k.cast::<pyo3::types::PyString>()
        .map_err(|_| ())
        .and_then(|k| k.to_cow().map_err(|_| ()))
        .map_err(|()| refuse(format!("a key of type {}", type_name(k)), Why::Type))
}

/// A visitor of a sequence's items.
type ItemVisitor<'a, 'py> = dyn FnMut(usize, &Bound<'py, PyAny>) -> Result<(), Refused> + 'a;

/// Visits a list's or a tuple's items.
fn for_each_item<'py>(
    seq: &Bound<'py, PyAny>,
    f: &mut ItemVisitor<'_, 'py>,
) -> Result<(), Refused> {
    use pyo3::types::{PyList, PyTuple};
    if let Ok(l) = seq.cast::<PyList>() {
        for (i, x) in l.iter().enumerate() {
            f(i, &x)?;
        }
    } else if let Ok(t) = seq.cast::<PyTuple>() {
        for (i, x) in t.iter().enumerate() {
            f(i, &x)?;
        }
    }
    Ok(())
}

fn at_item(i: usize) -> impl FnOnce(Refused) -> Refused {
    move |mut r| {
        r.at.push(format!("[{i}]"));
        r
    }
}

fn at_key(key: &str) -> impl FnOnce(Refused) -> Refused + '_ {
    move |mut r| {
        r.at.push(format!(".{key}"));
        r
    }
}

fn json_value(v: &Bound<'_, PyAny>, depth: usize) -> Result<serde_json::Value, Refused> {
    use serde_json::Value;
    match shape(v)? {
        Shape::Scalar(x) => Ok(x),
        Shape::Str(s) => Ok(Value::String(text(s)?.into_owned())),
        _ if depth == 0 => Err(refuse(String::new(), Why::Deep)),
        Shape::Dict(d) => {
            let mut out = serde_json::Map::new();
            for (k, x) in d.iter() {
                let key = key_text(&k)?.into_owned();
                let value = json_value(&x, depth - 1).map_err(at_key(&key))?;
                out.insert(key, value);
            }
            Ok(Value::Object(out))
        }
        Shape::Seq(seq) => {
            let mut out = Vec::new();
            for_each_item(seq, &mut |i, x| {
                out.push(json_value(x, depth - 1).map_err(at_item(i))?);
                Ok(())
            })?;
            Ok(Value::Array(out))
        }
    }
}

/// Checks that `v` is what [`json_value`] reads, refusing it as `json_value` would, without
/// building anything.
fn check_value(v: &Bound<'_, PyAny>, depth: usize) -> Result<(), Refused> {
    match shape(v)? {
        Shape::Scalar(_) => {}
        Shape::Str(s) => {
            text(s)?;
        }
        _ if depth == 0 => return Err(refuse(String::new(), Why::Deep)),
        Shape::Dict(d) => {
            for (k, x) in d.iter() {
                let key = key_text(&k)?;
                check_value(&x, depth - 1).map_err(at_key(&key))?;
            }
        }
        Shape::Seq(seq) => for_each_item(seq, &mut |i, x| {
            check_value(x, depth - 1).map_err(at_item(i))
        })?,
    }
    Ok(())
}

/// A Python event read in place by the pattern matcher, and checked on the way as
/// [`json_data`] checks it: `left` is how many more levels of nesting it may have.
pub(crate) struct InPlace<'py> {
    pub(crate) v: Bound<'py, PyAny>,
    pub(crate) left: usize,
}

impl<'py> InPlace<'py> {
    /// Reads `event` in place with `matcher`, refusing it (naming `argument`) as [`json_data`]
    /// with `max_depth` would.
    pub(crate) fn matches<R>(
        event: &Bound<'py, PyAny>,
        argument: &str,
        max_depth: usize,
        matcher: impl FnOnce(&InPlace<'py>) -> Result<R, Refused>,
    ) -> PyResult<R> {
        let tree = InPlace {
            v: event.clone(),
            left: max_depth,
        };
        matcher(&tree).map_err(|r| refused(r, argument, max_depth))
    }

    fn below(&self, v: Bound<'py, PyAny>) -> Result<InPlace<'py>, Refused> {
        match self.left.checked_sub(1) {
            Some(left) => Ok(InPlace { v, left }),
            None => Err(refuse(String::new(), Why::Deep)),
        }
    }
}

impl cnarch_core::events::EventTree for InPlace<'_> {
    type Error = Refused;

    fn fields(&self, f: &mut cnarch_core::events::FieldVisitor<'_, Self>) -> Result<bool, Refused> {
        let Ok(d) = self.v.cast::<pyo3::types::PyDict>() else {
            return Ok(false);
        };
        for (k, x) in d.iter() {
            let key = key_text(&k)?;
            f(&key, &self.below(x)?).map_err(at_key(&key))?;
        }
        Ok(true)
    }

    fn items(&self, f: &mut dyn FnMut(&Self) -> Result<(), Refused>) -> Result<bool, Refused> {
        use pyo3::types::{PyList, PyTuple};
        if !(self.v.cast::<PyList>().is_ok() || self.v.cast::<PyTuple>().is_ok()) {
            return Ok(false);
        }
        for_each_item(&self.v, &mut |i, x| {
            f(&self.below(x.clone())?).map_err(at_item(i))
        })?;
        Ok(true)
    }

    fn scalar(&self) -> Result<serde_json::Value, Refused> {
        match shape(&self.v)? {
            Shape::Scalar(x) => Ok(x),
            Shape::Str(s) => Ok(serde_json::Value::String(text(s)?.into_owned())),
            // the matcher asks for scalars only; a container here is read as checked
            _ => check_value(&self.v, self.left).map(|()| serde_json::Value::Null),
        }
    }

    fn skip(&self) -> Result<(), Refused> {
        check_value(&self.v, self.left)
    }
}
