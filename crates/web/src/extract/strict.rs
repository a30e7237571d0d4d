//! A JSON value read as serde reads it, except that a struct is read only
//! from a JSON object. serde's derived structs also accept a sequence of
//! their fields in order, so `{"sections": [null, null]}` would fill a
//! struct-typed field from an array; [`Strict`] refuses that wherever the
//! struct sits in the body (a field, an option, a list element, a map value,
//! an enum variant). Everything else is `serde_json`'s own reading of a
//! `&Value`.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, Error as _, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::{Error, Value};

/// Reads a `&Value` like `serde_json` does, refusing arrays for structs.
pub struct Strict<'a>(pub &'a Value);

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Like serde_json, what the visitor leaves unread is an error.
        match self.0 {
            Value::Array(items) => {
                let mut rest = Elements(items.iter());
                let v = visitor.visit_seq(&mut rest)?;
                match rest.0.len() {
                    0 => Ok(v),
                    _ => Err(Error::invalid_length(
                        items.len(),
                        &"fewer elements in array",
                    )),
                }
            }
            Value::Object(map) => {
                let mut rest = Entries {
                    entries: map.iter(),
                    value: None,
                };
                let v = visitor.visit_map(&mut rest)?;
                match rest.entries.len() {
                    0 => Ok(v),
                    _ => Err(Error::invalid_length(map.len(), &"fewer elements in map")),
                }
            }
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(_) => Err(Error::invalid_type(Unexpected::Seq, &visitor)),
            Value::Object(_) => self.deserialize_any(visitor),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // `{"Variant": content}`, serde's external tagging.
            Value::Object(map) if map.len() == 1 => {
                let (variant, content) = map.iter().next().expect("one entry");
                visitor.visit_enum(Variant { variant, content })
            }
            other => other.deserialize_enum(name, variants, visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The elements of an array, each read strictly.
struct Elements<'a>(std::slice::Iter<'a, Value>);

impl<'de> SeqAccess<'de> for Elements<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Strict(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of an object, each value read strictly.
struct Entries<'a> {
    entries: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| Error::custom("a value asked for before its key"))?;
        seed.deserialize(Strict(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An externally tagged enum variant and its content, read strictly.
struct Variant<'a> {
    variant: &'a str,
    content: &'a Value,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let v = seed.deserialize(BorrowedStrDeserializer::<Error>::new(self.variant))?;
        Ok((v, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        serde::Deserialize::deserialize(Strict(self.content))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(Strict(self.content))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        Strict(self.content).deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        Strict(self.content).deserialize_struct("", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Strict;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        a: u8,
        b: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        inner: Inner,
        maybe: Option<Inner>,
        list: Vec<Inner>,
    }

    fn read(v: serde_json::Value) -> Result<Outer, serde_json::Error> {
        Outer::deserialize(Strict(&v))
    }

    #[test]
    fn objects_are_read_as_serde_reads_them() {
        let v = json!({"inner": {"a": 1, "b": "x"}, "maybe": null, "list": [{"a": 2, "b": null}]});
        assert_eq!(read(v.clone()).unwrap(), serde_json::from_value(v).unwrap());
    }

    #[test]
    fn a_struct_anywhere_is_never_read_from_an_array() {
        let inner = json!({"a": 1, "b": null});
        for v in [
            json!({"inner": [1, null], "maybe": null, "list": []}),
            json!({"inner": inner, "maybe": [1, null], "list": []}),
            json!({"inner": inner, "maybe": null, "list": [[1, null]]}),
            json!([inner, null, []]),
        ] {
            assert!(
                serde_json::from_value::<Outer>(v.clone()).is_ok(),
                "serde reads {v}"
            );
            assert!(read(v.clone()).is_err(), "{v} was read");
        }
    }
}
