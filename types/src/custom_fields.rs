//! Custom fields ("custom properties"): values by field name, each a string or, for
//! multiple-choice fields, a list of strings. Yes/No fields are `"0"`/`"1"`, dates `YYYY-MM-DD`.
//! When sent, MOCO merges the given fields into the entity's existing ones.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The custom field values of an entity, by field name.
///
/// ```
/// use mocoapp_types::CustomFields;
/// let fields = CustomFields::new()
///     .with("PO number", "123-ABC")
///     .with("Sector", ["Pharma", "Chemistry"]);
/// assert_eq!(fields.text("PO number"), Some("123-ABC"));
/// assert_eq!(fields.list("Sector").unwrap().len(), 2);
/// assert_eq!(serde_json::to_string(&fields).unwrap(),
///            r#"{"PO number":"123-ABC","Sector":["Pharma","Chemistry"]}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomFields(BTreeMap<String, CustomFieldValue>);

/// One custom field value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CustomFieldValue {
    /// Text, link, date, single choice, Yes/No (`"0"`/`"1"`).
    Text(String),
    /// Multiple choice.
    List(Vec<String>),
    /// Anything else the server sends (a `null` for an empty field, a number...), kept as is.
    Other(serde_json::Value),
}

impl CustomFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a field (builder style).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<CustomFieldValue>) -> Self {
        self.insert(name, value);
        self
    }

    /// Adds or replaces a field.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<CustomFieldValue>) -> Option<CustomFieldValue> {
        self.0.insert(name.into(), value.into())
    }

    /// The raw value of a field.
    pub fn get(&self, name: &str) -> Option<&CustomFieldValue> {
        self.0.get(name)
    }

    /// A single-value field's text.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            CustomFieldValue::Text(text) => Some(text),
            _ => None,
        }
    }

    /// A multiple-choice field's values.
    pub fn list(&self, name: &str) -> Option<&[String]> {
        match self.get(name)? {
            CustomFieldValue::List(values) => Some(values),
            _ => None,
        }
    }

    /// A Yes/No field: `"1"`/`"true"` is yes, `"0"`/`"false"` no.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            CustomFieldValue::Text(t) if t == "1" || t.eq_ignore_ascii_case("true") => Some(true),
            CustomFieldValue::Text(t) if t == "0" || t.eq_ignore_ascii_case("false") => Some(false),
            CustomFieldValue::Other(serde_json::Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A date field.
    pub fn date(&self, name: &str) -> Option<chrono::NaiveDate> {
        self.text(name)?.parse().ok()
    }

    /// All fields in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CustomFieldValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for CustomFieldValue {
    fn from(value: &str) -> Self {
        Self::Text(value.into())
    }
}

impl From<String> for CustomFieldValue {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<bool> for CustomFieldValue {
    /// Yes/No fields are sent as `"1"`/`"0"`.
    fn from(value: bool) -> Self {
        Self::Text(if value { "1" } else { "0" }.into())
    }
}

impl From<chrono::NaiveDate> for CustomFieldValue {
    fn from(value: chrono::NaiveDate) -> Self {
        Self::Text(value.format("%Y-%m-%d").to_string())
    }
}

impl From<Vec<String>> for CustomFieldValue {
    fn from(values: Vec<String>) -> Self {
        Self::List(values)
    }
}

impl<const N: usize> From<[&str; N]> for CustomFieldValue {
    fn from(values: [&str; N]) -> Self {
        Self::List(values.iter().map(|v| v.to_string()).collect())
    }
}

impl<K: Into<String>, V: Into<CustomFieldValue>> FromIterator<(K, V)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
