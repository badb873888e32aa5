//! Reading what MOCO's servers send, not only what the docs' examples show
//! (openapi/CONVENTIONS.md, "Real answers"). The codegen routes every field of the generated
//! types that holds an integer, a decimal, a date or a timestamp through [`deserialize`] and
//! [`serialize`] (`#[serde(with = "crate::lenient")]`), and every optional nested object through
//! [`object`]:
//! - integers also read from integral floats (`10.0`) and numeric strings (`"10"`);
//! - decimals ([`Decimal`]) read from a JSON number or a numeric string, exactly: from
//!   serde_json the number's own text is parsed (serde_json's `raw_value`), never an `f64`;
//! - an empty string in an optional date or timestamp, and `{}` in an optional object, are absent;
//! - a date also reads from a timestamp (`2024-05-31T10:00:00+02:00` is 2024-05-31, the date
//!   where it was written): MOCO's OpenAPI description types some `_on` dates as timestamps.
//!
//! Anything else stays an error: a fractional integer, text in a date, a string where an object
//! belongs. Writing is strict: integers, dates and timestamps as serde writes them, decimals as a
//! JSON number ([`text`]: as a string, where the docs send one).

use std::{fmt, marker::PhantomData, str::FromStr};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{
    de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor},
    ser::{Serialize, Serializer},
};

/// The name under which serde_json hands out a value's raw text (its `RawValue` protocol, with
/// the `raw_value` feature): asked for a newtype struct of this name, serde_json's deserializers
/// answer with a one-entry map from this key to the text. Any other deserializer treats it as an
/// ordinary newtype struct, which the visitors below read as the value itself.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// A field type that reads leniently. `read` gives `Ok(None)` for a form that means "absent"
/// (`""` in a date); a required field turns that into an error, an optional one into `None`.
pub trait Lenient: Sized {
    /// Reads a value in any of its real-world forms.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error>;
    /// Writes the value the way the docs ask.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Writes the value as text where the docs send decimals as strings.
    fn write_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write(serializer)
    }
}

/// Reads a field of a [`Lenient`] type.
pub fn deserialize<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    T::read(deserializer)?.ok_or_else(|| de::Error::custom("an empty value where a value is required"))
}

/// Writes a field of a [`Lenient`] type.
pub fn serialize<S: Serializer, T: Lenient>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.write(serializer)
}

/// For decimal fields the docs send as strings (`"50.0"`): read like any other, written as text.
pub mod text {
    pub use super::deserialize;
    use super::Lenient;

    /// Writes the field with [`Lenient::write_text`].
    pub fn serialize<S: serde::Serializer, T: Lenient>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.write_text(serializer)
    }
}

/// Reads an optional nested object: `null` and `{}` are absent. From serde_json the object's
/// text is read once more into `T`; from other deserializers through a `serde_json::Value`.
pub fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(deserializer: D) -> Result<Option<T>, D::Error> {
    struct Optional<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for Optional<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object, `{}` or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_newtype_struct(RAW_VALUE, Object(PhantomData))
        }
    }
    struct Object<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for Object<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            match map.next_key_seed(FirstKey)? {
                None => Ok(None),
                Some(Key::Raw) => {
                    let text = map.next_value_seed(RawText)?;
                    if is_empty_object(&text) {
                        return Ok(None);
                    }
                    serde_json::from_str(&text).map(Some).map_err(de::Error::custom)
                }
                Some(Key::Field(first)) => {
                    // A genuine map from a deserializer that is not serde_json's.
                    let mut object = serde_json::Map::new();
                    object.insert(first, map.next_value()?);
                    while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                        object.insert(key, value);
                    }
                    serde_json::from_value(serde_json::Value::Object(object)).map(Some).map_err(de::Error::custom)
                }
            }
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            match serde_json::Value::deserialize(deserializer)? {
                serde_json::Value::Object(object) if object.is_empty() => Ok(None),
                value => serde_json::from_value(value).map(Some).map_err(de::Error::custom),
            }
        }
    }
    use serde::Deserialize as _;
    deserializer.deserialize_option(Optional(PhantomData))
}

fn is_empty_object(text: &str) -> bool {
    text.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).is_some_and(|inside| inside.trim().is_empty())
}

/// The first key of a map: serde_json's raw-value key, or a field name.
enum Key {
    Raw,
    Field(String),
}

/// Reads the first key of a map as a [`Key`].
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(if v == RAW_VALUE { Key::Raw } else { Key::Field(v.to_string()) })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The raw JSON text of a value (serde_json borrows it from the input where it can).
struct RawText;

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = std::borrow::Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = std::borrow::Cow<'de, str>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("raw JSON text")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(std::borrow::Cow::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(std::borrow::Cow::Owned(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(std::borrow::Cow::Owned(v))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

// --- integers -----------------------------------------------------------------------------

struct Integer<T>(PhantomData<T>);

impl<T: TryFrom<i64> + TryFrom<u64>> Integer<T> {
    fn signed<E: de::Error>(&self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), self))
    }
    fn unsigned<E: de::Error>(&self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), self))
    }
}

impl<T: TryFrom<i64> + TryFrom<u64>> Visitor<'_> for Integer<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer (or an integral float, or an integer as a string)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.signed(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.unsigned(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // 2^63 and 2^64 are exact in f64: the casts below are exact for integral values inside.
        if v.is_finite() && v.fract() == 0.0 {
            if (-9_223_372_036_854_775_808.0..0.0).contains(&v) {
                return self.signed(v as i64);
            }
            if (0.0..18_446_744_073_709_551_616.0).contains(&v) {
                return self.unsigned(v as u64);
            }
        }
        Err(E::invalid_value(Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let text = v.trim();
        if let Ok(n) = text.parse::<i64>() {
            return self.signed(n);
        }
        if let Ok(n) = text.parse::<u64>() {
            return self.unsigned(n);
        }
        // "10.0": an integral decimal written as text.
        match Decimal::from_str_exact(text) {
            Ok(d) if d.fract().is_zero() => {
                let d = d.trunc();
                match i64::try_from(d) {
                    Ok(n) => self.signed(n),
                    Err(_) => u64::try_from(d).map_err(|_| E::invalid_value(Unexpected::Str(v), &self)).and_then(|n| self.unsigned(n)),
                }
            }
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
                deserializer.deserialize_any(Integer::<$t>(PhantomData)).map(Some)
            }
            fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
        }
    )*};
}

integer!(i64, u64, i32, u32);

// --- decimals -----------------------------------------------------------------------------

/// Parses a decimal's text exactly: plain (`-17999.00`) or with an exponent (`1.5e3`).
fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str_exact(text).ok()
    }
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal (a JSON number or a numeric string)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key_seed(FirstKey)? {
            Some(Key::Raw) => {
                let text = map.next_value_seed(RawText)?;
                let number = if text.starts_with('"') {
                    let inner: String = serde_json::from_str(&text).map_err(de::Error::custom)?;
                    parse_decimal(&inner)
                } else {
                    parse_decimal(&text)
                };
                number.ok_or_else(|| de::Error::invalid_value(unexpected_json(&text), &self))
            }
            _ => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Only from deserializers that have no text of the number any more (not serde_json's):
        // the shortest text that reads back as the same f64, which is the sender's text for any
        // decimal of up to 15 significant digits.
        (v.is_finite()).then(|| parse_decimal(&v.to_string())).flatten().ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

/// What a raw JSON value is, for an error message.
fn unexpected_json(text: &str) -> Unexpected<'_> {
    match text.as_bytes().first() {
        Some(b'{') => Unexpected::Map,
        Some(b'[') => Unexpected::Seq,
        Some(b't' | b'f') => Unexpected::Bool(text.starts_with('t')),
        Some(b'n') => Unexpected::Unit,
        _ => Unexpected::Other(text),
    }
}

impl Lenient for Decimal {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE, DecimalVisitor).map(Some)
    }
    /// As a JSON number: an integer when it has no decimal places (`20`), else the `f64` whose
    /// shortest text is this decimal (`20.0`, `0.3`). That is exact for up to 15 significant
    /// digits: two such decimals never share an f64, so every shortest-text printer (serde_json's
    /// too) writes the decimal back. A longer decimal goes as a string rather than rounded.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.scale() == 0 {
            if let Ok(n) = i64::try_from(self.trunc()) {
                return serializer.serialize_i64(n);
            }
        }
        const FIFTEEN_DIGITS: u128 = 1_000_000_000_000_000;
        match f64::from_str(&self.to_string()) {
            Ok(float) if self.normalize().mantissa().unsigned_abs() < FIFTEEN_DIGITS => serializer.serialize_f64(float),
            _ => serializer.collect_str(self),
        }
    }
    fn write_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

// --- dates and timestamps -----------------------------------------------------------------

struct DateText<T>(PhantomData<T>);

/// How a date or timestamp type reads its text.
trait DateLike: Sized {
    fn parse_text(text: &str) -> Option<Self>;
}

impl DateLike for NaiveDate {
    fn parse_text(text: &str) -> Option<Self> {
        text.parse().ok().or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|t| t.date_naive()))
    }
}

impl DateLike for DateTime<Utc> {
    fn parse_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl<T: DateLike> Visitor<'_> for DateText<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 8601 date or timestamp, or an empty string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        T::parse_text(v).map(Some).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }
}

macro_rules! date {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
                deserializer.deserialize_str(DateText::<$t>(PhantomData))
            }
            fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
        }
    )*};
}

date!(NaiveDate, DateTime<Utc>);

// --- optional values and lists ------------------------------------------------------------

/// Writes a value through [`Lenient`] (`text`: [`Lenient::write_text`]).
struct Written<'a, T>(&'a T, bool);

impl<T: Lenient> Serialize for Written<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.1 {
            self.0.write_text(serializer)
        } else {
            self.0.write(serializer)
        }
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        struct OptionVisitor<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                T::read(deserializer)
            }
        }
        deserializer.deserialize_option(OptionVisitor(PhantomData)).map(Some)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Written(value, false)),
            None => serializer.serialize_none(),
        }
    }
    fn write_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Written(value, true)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Self>, D::Error> {
        struct Element<T>(PhantomData<T>);
        impl<'de, T: Lenient> DeserializeSeed<'de> for Element<T> {
            type Value = T;
            fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
                deserialize(deserializer)
            }
        }
        struct List<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for List<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(Element(PhantomData))? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(List(PhantomData)).map(Some)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|value| Written(value, false)))
    }
    fn write_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|value| Written(value, true)))
    }
}

#[cfg(test)]
mod tests;
