//! Open enums: the Rust side of the spec's "known values, but accept any" response fields.
//!
//! The codegen emits one `open_enum!` invocation per open enum of the spec (see
//! `codegen/src/open_enums.rs`). Each becomes a `#[non_exhaustive]` enum whose `Unknown` variant
//! keeps a value this version of the crate does not know, so a value MOCO adds later never fails
//! a whole page, and it serializes back to exactly what was received.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Reads a string, or a number as its text: MOCO sends some codes either way (`4` or `"4"`).
pub(crate) fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    struct Text;
    impl Visitor<'_> for Text {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    deserializer.deserialize_any(Text)
}

/// Defines an open enum. `text` enums travel as strings; `integer` enums as numeric codes (read
/// from a number or a numeric string, written as a number).
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident: text { $($variant:ident = $value:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("`", $value, "`")] $variant,)*
            /// A value this version of the crate does not know, as MOCO sent it.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as MOCO writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        $crate::open_enum::open_enum!(@common $name);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    ($(#[$meta:meta])* $name:ident: integer { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("code `", $code, "`")] $variant,)*
            /// A code this version of the crate does not know, as MOCO sent it.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The numeric code; `None` for an unknown value that is not a number.
            pub fn code(&self) -> ::std::option::Option<i64> {
                match self {
                    $(Self::$variant => Some($code),)*
                    Self::Unknown(value) => value.trim().parse().ok(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value.trim().parse::<i64>() {
                    $(Ok($code) => Self::$variant,)*
                    // An unknown code keeps its number's plain text (not ` 7` or `+7`): it is
                    // written back as that number, so it must read back as the same value
                    // (found by tests/properties.rs).
                    Ok(code) => Self::Unknown(code.to_string()),
                    Err(_) => Self::Unknown(value.to_string()),
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(code: i64) -> Self {
                Self::from(code.to_string().as_str())
            }
        }

        $crate::open_enum::open_enum!(@common $name);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match (self, self.code()) {
                    (Self::Unknown(value), _) => f.write_str(value),
                    (_, code) => write!(f, "{}", code.unwrap_or_default()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                // Codes are numbers; only an unknown value that is no number stays text.
                match self.code() {
                    Some(code) => serializer.serialize_i64(code),
                    None => serializer.serialize_str(&self.to_string()),
                }
            }
        }
    };
    (@common $name:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl $name {
            /// Whether MOCO sent a value this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::open_enum::text_or_number(deserializer).map(Self::from)
            }
        }
    };
}

pub(crate) use open_enum;
