//! Reading a parsed value (`serde_json::Value` or `serde_norway::Value`) as a typed model, with
//! the path of the value at fault when reading fails.
//!
//! The deserializer walks the value itself: it hands each visitor this module's map and
//! sequence accessors, which add their key or index to an error on its way out. Scalars are
//! read by the value type's own deserializer, so their messages and conversions are exactly
//! those of serde_json and serde_norway. Unlike a deserializer that wraps another one (as
//! `serde_path_to_error` does), no visitor is wrapped, so each type's deserialization is
//! compiled once, not twice: that halves the deserialization code of the npm module.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, value::BorrowedStrDeserializer, DeserializeSeed, Deserializer, EnumAccess, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};

use super::path::Seg;

/// Why a value could not be read as the type, and where (outermost segment first).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub(crate) path: Vec<Seg>,
    pub(crate) message: String,
}

impl Failure {
    /// The path as `a.b[0].c`; `.` for the value itself.
    pub(crate) fn path_text(&self) -> String {
        if self.path.is_empty() {
            return ".".to_string();
        }
        super::path::render(&self.path)
    }
}

/// Reads `v` as `T`.
pub(crate) fn deserialize<'de, T, V>(v: &'de V) -> Result<T, Failure>
where
    T: de::Deserialize<'de>,
    V: Tree,
{
    T::deserialize(Node(v)).map_err(|e: Tracked<V>| {
        let Trace { message, mut path } = *e.0;
        path.reverse();
        Failure { path, message }
    })
}

/// What a node of a parsed value is, for the walk.
pub(crate) enum Shape<'a, V: Tree + 'a> {
    Null,
    Seq(&'a [V]),
    Map(V::Entries<'a>),
    /// A YAML-tagged value: its enum when any type is asked for, the value inside otherwise.
    Tagged(&'a V),
    /// A scalar.
    Other,
}

/// A parsed value type the walk reads.
pub(crate) trait Tree: Sized + 'static {
    /// The value type's error, whose messages for wrong types and values are kept.
    type Error: de::Error;
    /// A mapping's key.
    type Key: 'static;
    /// A mapping's entries.
    type Entries<'a>: ExactSizeIterator<Item = (&'a Self::Key, &'a Self)>;
    /// `null` reads as an empty sequence or mapping (serde_norway does this).
    const NULL_IS_EMPTY: bool;
    /// A struct may be written as a sequence of its fields (serde_json allows this).
    const STRUCT_FROM_SEQ: bool;
    /// How the value type names a sequence in "fewer elements in ..." errors.
    const SEQ_NAME: &'static str;

    fn shape(&self) -> Shape<'_, Self>;
    /// The value type's own deserializer of this value (used for scalars only, so that its
    /// container code is not compiled again for every visitor).
    fn own(&self) -> impl Deserializer<'_, Error = Self::Error>;
    /// What this value is, in a wrong-type message.
    fn unexpected(&self) -> Unexpected<'_>;
    /// Visits a value that is not a sequence or a mapping, as the value type's
    /// `deserialize_any` does.
    fn scalar_any<'de, W: Visitor<'de>>(&'de self, visitor: W) -> Result<W::Value, Tracked<Self>>;
    /// The path segment of a key that was read; `None` for keys that are not scalars.
    fn key_segment(k: &Self::Key) -> Option<Seg>;
    /// The path segment of a key that failed to be read (only string keys name one).
    fn failed_key_segment(k: &Self::Key) -> Option<Seg>;
    /// Reads a key with `seed`.
    fn key<'de, S: DeserializeSeed<'de>>(
        k: &'de Self::Key,
        seed: S,
    ) -> Result<S::Value, Tracked<Self>>;
    /// Reads an enum, as the value type does.
    fn enum_of<'de, W: Visitor<'de>>(
        &'de self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Tracked<Self>>;
}

/// An error on its way out of the walk: the message, and the segments passed so far
/// (innermost first). One pointer wide, as serde_json's error is, so that results stay small
/// in every instantiation.
pub(crate) struct Tracked<V>(Box<Trace>, PhantomData<fn() -> V>);

struct Trace {
    message: String,
    path: Vec<Seg>,
}

impl<V> Tracked<V> {
    #[cold]
    #[inline(never)]
    fn new(message: String) -> Self {
        Tracked(
            Box::new(Trace {
                message,
                path: Vec::new(),
            }),
            PhantomData,
        )
    }

    #[cold]
    #[inline(never)]
    fn at(mut self, seg: Option<Seg>) -> Self {
        if let Some(s) = seg {
            self.0.path.push(s);
        }
        self
    }

    #[cold]
    #[inline(never)]
    fn of<E: fmt::Display>(e: E) -> Self {
        Tracked::new(e.to_string())
    }
}

impl<V> fmt::Debug for Tracked<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracked")
            .field("message", &self.0.message)
            .field("path", &self.0.path)
            .finish()
    }
}

impl<V> fmt::Display for Tracked<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl<V> std::error::Error for Tracked<V> {}

impl<V: Tree> de::Error for Tracked<V> {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Tracked::new(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Tracked::of(V::Error::invalid_type(unexp, exp))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Tracked::of(V::Error::invalid_value(unexp, exp))
    }
}

/// A node of the value being read.
pub(crate) struct Node<'de, V>(&'de V);

macro_rules! delegate {
    ($($method:ident)*) => {
        $(
            fn $method<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Self::Error> {
                self.0.own().$method(visitor).map_err(Tracked::of)
            }
        )*
    };
}

impl<'de, V: Tree> Node<'de, V> {
    fn seq<W: Visitor<'de>>(items: &'de [V], visitor: W) -> Result<W::Value, Tracked<V>> {
        let mut access = Items {
            iter: items.iter(),
            index: 0,
        };
        let out = visitor.visit_seq(&mut access)?;
        if access.iter.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(items.len(), &V::SEQ_NAME))
        }
    }

    fn map<W: Visitor<'de>>(entries: V::Entries<'de>, visitor: W) -> Result<W::Value, Tracked<V>> {
        let len = entries.len();
        let mut access = Entries::<V> {
            iter: entries,
            value: None,
        };
        let out = visitor.visit_map(&mut access)?;
        if access.iter.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(len, &"fewer elements in map"))
        }
    }
}

impl<'de, V: Tree> Deserializer<'de> for Node<'de, V> {
    type Error = Tracked<V>;

    fn deserialize_any<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Self::Error> {
        match self.0.shape() {
            Shape::Seq(items) => Node::seq(items, visitor),
            Shape::Map(entries) => Node::map(entries, visitor),
            Shape::Null | Shape::Tagged(_) | Shape::Other => self.0.scalar_any(visitor),
        }
    }

    fn deserialize_option<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Self::Error> {
        match self.0.shape() {
            Shape::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Self::Error> {
        match self.0.shape() {
            Shape::Seq(items) => Node::seq(items, visitor),
            Shape::Tagged(inner) => Node(inner).deserialize_seq(visitor),
            Shape::Null if V::NULL_IS_EMPTY => Node::seq(&[], visitor),
            _ => Err(de::Error::invalid_type(self.0.unexpected(), &visitor)),
        }
    }

    fn deserialize_tuple<W: Visitor<'de>>(
        self,
        _len: usize,
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, Self::Error> {
        match self.0.shape() {
            Shape::Map(entries) => Node::map(entries, visitor),
            Shape::Tagged(inner) => Node(inner).deserialize_map(visitor),
            Shape::Null if V::NULL_IS_EMPTY => visitor.visit_map(Empty(PhantomData)),
            _ => Err(de::Error::invalid_type(self.0.unexpected(), &visitor)),
        }
    }

    fn deserialize_struct<W: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        match self.0.shape() {
            Shape::Seq(items) if V::STRUCT_FROM_SEQ => Node::seq(items, visitor),
            Shape::Map(entries) => Node::map(entries, visitor),
            Shape::Tagged(inner) => Node(inner).deserialize_struct(name, fields, visitor),
            Shape::Null if V::NULL_IS_EMPTY => visitor.visit_map(Empty(PhantomData)),
            _ => Err(de::Error::invalid_type(self.0.unexpected(), &visitor)),
        }
    }

    fn deserialize_enum<W: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        self.0.enum_of(name, variants, visitor)
    }

    delegate! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<W: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        self.0
            .own()
            .deserialize_unit_struct(name, visitor)
            .map_err(Tracked::of)
    }
}

/// A sequence's items, each error naming its index.
struct Items<'de, V> {
    iter: std::slice::Iter<'de, V>,
    index: usize,
}

impl<'de, V: Tree> SeqAccess<'de> for Items<'de, V> {
    type Error = Tracked<V>;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        let Some(v) = self.iter.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Node(v))
            .map(Some)
            .map_err(|e| e.at(Some(Seg::Index(index))))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A mapping's entries, each error naming its key.
struct Entries<'de, V: Tree> {
    iter: V::Entries<'de>,
    value: Option<(&'de V::Key, &'de V)>,
}

impl<'de, V: Tree> MapAccess<'de> for Entries<'de, V> {
    type Error = Tracked<V>;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        let Some((k, v)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some((k, v));
        V::key(k, seed)
            .map(Some)
            .map_err(|e| e.at(V::failed_key_segment(k)))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        let Some((k, v)) = self.value.take() else {
            return Err(de::Error::custom("a value was asked for before its key"));
        };
        seed.deserialize(Node(v))
            .map_err(|e| e.at(V::key_segment(k)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// The entries of a `null` read as a mapping (serde_norway).
struct Empty<V>(PhantomData<fn() -> V>);

impl<'de, V: Tree> MapAccess<'de> for Empty<V> {
    type Error = Tracked<V>;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        _seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        _seed: S,
    ) -> Result<S::Value, Self::Error> {
        Err(de::Error::custom("a value was asked for before its key"))
    }
}

impl Tree for serde_json::Value {
    type Error = serde_json::Error;
    type Key = String;
    type Entries<'a> = serde_json::map::Iter<'a>;
    const NULL_IS_EMPTY: bool = false;
    const STRUCT_FROM_SEQ: bool = true;
    const SEQ_NAME: &'static str = "fewer elements in array";

    fn shape(&self) -> Shape<'_, Self> {
        match self {
            serde_json::Value::Null => Shape::Null,
            serde_json::Value::Array(a) => Shape::Seq(a),
            serde_json::Value::Object(m) => Shape::Map(m.iter()),
            _ => Shape::Other,
        }
    }

    fn own(&self) -> impl Deserializer<'_, Error = Self::Error> {
        self
    }

    fn key_segment(k: &String) -> Option<Seg> {
        Some(Seg::Key(k.clone()))
    }

    fn failed_key_segment(k: &String) -> Option<Seg> {
        Some(Seg::Key(k.clone()))
    }

    fn key<'de, S: DeserializeSeed<'de>>(
        k: &'de String,
        seed: S,
    ) -> Result<S::Value, Tracked<Self>> {
        seed.deserialize(BorrowedStrDeserializer::<Tracked<Self>>::new(k))
    }

    fn unexpected(&self) -> Unexpected<'_> {
        unexpected(self)
    }

    fn scalar_any<'de, W: Visitor<'de>>(&'de self, visitor: W) -> Result<W::Value, Tracked<Self>> {
        use serde_json::Value;
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => n.deserialize_any(visitor).map_err(Tracked::of),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(a) => Node::seq(a, visitor),
            Value::Object(m) => Node::map(m.iter(), visitor),
        }
    }

    fn enum_of<'de, W: Visitor<'de>>(
        &'de self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Tracked<Self>> {
        use serde_json::Value;
        match self {
            Value::Object(m) => {
                let mut entries = m.iter();
                let (Some((variant, value)), None) = (entries.next(), entries.next()) else {
                    return Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    ));
                };
                visitor.visit_enum(Variant {
                    variant,
                    value: Some(value),
                })
            }
            Value::String(variant) => visitor.visit_enum(Variant {
                variant,
                value: None,
            }),
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }
}

/// An externally tagged enum written as a one-key JSON object.
struct Variant<'de> {
    variant: &'de str,
    value: Option<&'de serde_json::Value>,
}

fn unexpected(v: &serde_json::Value) -> Unexpected<'_> {
    use serde_json::Value;
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Tracked<serde_json::Value>;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self), Self::Error> {
        let v = seed.deserialize(BorrowedStrDeserializer::<Self::Error>::new(self.variant))?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Tracked<serde_json::Value>;

    fn unit_variant(self) -> Result<(), Self::Error> {
        match self.value {
            Some(v) => <() as de::Deserialize>::deserialize(Node(v)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        match self.value {
            Some(v) => seed.deserialize(Node(v)),
            None => Err(unit_variant("newtype variant")),
        }
    }

    fn tuple_variant<W: Visitor<'de>>(
        self,
        _len: usize,
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        match self.value {
            Some(serde_json::Value::Array(a)) if a.is_empty() => visitor.visit_unit(),
            Some(serde_json::Value::Array(a)) => Node::seq(a, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
            None => Err(unit_variant("tuple variant")),
        }
    }

    fn struct_variant<W: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Self::Error> {
        match self.value {
            Some(serde_json::Value::Object(m)) => Node::map(m.iter(), visitor),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(other),
                &"struct variant",
            )),
            None => Err(unit_variant("struct variant")),
        }
    }
}

/// A unit variant (a bare string) where a variant with data was expected.
fn unit_variant(expected: &'static str) -> Tracked<serde_json::Value> {
    de::Error::invalid_type(Unexpected::UnitVariant, &expected)
}

impl Tree for serde_norway::Value {
    type Error = serde_norway::Error;
    type Key = serde_norway::Value;
    type Entries<'a> = serde_norway::mapping::Iter<'a>;
    const NULL_IS_EMPTY: bool = true;
    const STRUCT_FROM_SEQ: bool = false;
    const SEQ_NAME: &'static str = "fewer elements in sequence";

    fn shape(&self) -> Shape<'_, Self> {
        match self {
            serde_norway::Value::Null => Shape::Null,
            serde_norway::Value::Sequence(s) => Shape::Seq(s),
            serde_norway::Value::Mapping(m) => Shape::Map(m.iter()),
            serde_norway::Value::Tagged(t) => Shape::Tagged(&t.value),
            _ => Shape::Other,
        }
    }

    fn own(&self) -> impl Deserializer<'_, Error = Self::Error> {
        self
    }

    fn key_segment(k: &serde_norway::Value) -> Option<Seg> {
        match k {
            serde_norway::Value::String(s) => Some(Seg::Key(s.clone())),
            serde_norway::Value::Number(n) => Some(Seg::Key(n.to_string())),
            serde_norway::Value::Bool(b) => Some(Seg::Key(b.to_string())),
            _ => None,
        }
    }

    fn failed_key_segment(k: &serde_norway::Value) -> Option<Seg> {
        match k {
            serde_norway::Value::String(s) => Some(Seg::Key(s.clone())),
            _ => None,
        }
    }

    fn key<'de, S: DeserializeSeed<'de>>(
        k: &'de serde_norway::Value,
        seed: S,
    ) -> Result<S::Value, Tracked<Self>> {
        seed.deserialize(Node(k))
    }

    fn unexpected(&self) -> Unexpected<'_> {
        use serde_norway::Value;
        match self {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Unexpected::Unsigned(u),
                (None, Some(i), _) => Unexpected::Signed(i),
                (None, None, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
            },
            Value::String(s) => Unexpected::Str(s),
            Value::Sequence(_) => Unexpected::Seq,
            Value::Mapping(_) => Unexpected::Map,
            Value::Tagged(_) => Unexpected::Enum,
        }
    }

    fn scalar_any<'de, W: Visitor<'de>>(&'de self, visitor: W) -> Result<W::Value, Tracked<Self>> {
        use serde_norway::Value;
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => n.deserialize_any(visitor).map_err(Tracked::of),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Sequence(a) => Node::seq(a, visitor),
            Value::Mapping(m) => Node::map(m.iter(), visitor),
            Value::Tagged(t) => visitor.visit_enum(&**t).map_err(Tracked::of),
        }
    }

    fn enum_of<'de, W: Visitor<'de>>(
        &'de self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, Tracked<Self>> {
        // serde_norway reads enums from tags and strings only
        self.own()
            .deserialize_enum(name, variants, visitor)
            .map_err(Tracked::of)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        items: Vec<Inner>,
        #[serde(default)]
        pick: Option<Pick>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        n: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Pick {
        One,
        Many { n: u8 },
    }

    /// Messages are serde_json's own, paths name the value at fault.
    #[test]
    fn json_errors_keep_serde_json_messages_and_gain_paths() {
        for (v, path) in [
            (json!({"items": [{"n": 1}, {"n": -1}]}), "items[1].n"),
            (json!({"items": [{"n": 1}, {"m": 1}]}), "items[1].m"),
            (json!({"items": [{}]}), "items[0]"),
            (json!({"items": null}), "items"),
            (json!({"items": [], "pick": {"many": {"n": 300}}}), "pick.n"),
            (json!({"items": [], "pick": "few"}), "pick"),
            (json!({"items": [], "pick": {"one": 1, "many": 2}}), "pick"),
            (json!([]), "."),
        ] {
            let want = serde_json::from_value::<Outer>(v.clone())
                .unwrap_err()
                .to_string();
            let got = deserialize::<Outer, _>(&v).unwrap_err();
            assert_eq!(got.message, want, "{v}");
            assert_eq!(got.path_text(), path, "{v}");
        }
        let ok = json!({"items": [{"n": 2}], "pick": {"many": {"n": 3}}});
        assert_eq!(
            deserialize::<Outer, _>(&ok).unwrap(),
            Outer {
                items: vec![Inner { n: 2 }],
                pick: Some(Pick::Many { n: 3 })
            }
        );
    }

    /// YAML values read as serde_norway reads them (`null` as an empty list), with paths.
    #[test]
    fn yaml_errors_keep_serde_norway_messages_and_gain_paths() {
        let read = |text: &str| {
            let v: serde_norway::Value = serde_norway::from_str(text).unwrap();
            let want = serde_norway::from_value::<Outer>(v.clone()).map_err(|e| e.to_string());
            (deserialize::<Outer, _>(&v), want)
        };
        let (got, want) = read("items:\n- n: 1\n- n: x\n");
        let got = got.unwrap_err();
        assert_eq!(Err(got.message.clone()), want.map(|_| ()));
        assert_eq!(got.path_text(), "items[1].n");
        let (got, want) = read("items:\n");
        assert_eq!(got.unwrap(), want.unwrap());
        let (got, _) = read("items: []\n7: 1\n");
        assert_eq!(got.unwrap_err().path_text(), ".");
    }
}
