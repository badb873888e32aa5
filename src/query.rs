//! Helpers for query parameter values MOCO encodes in its own way.

use std::fmt;

/// MOCO's comma-separated list encoding (`ids=1,2,3`), used by the generated list setters.
/// Values are written as they are in JSON, strings without quotes (so enums use their wire names).
pub(crate) fn comma_join<T: serde::Serialize>(values: impl IntoIterator<Item = T>) -> String {
    values
        .into_iter()
        .map(|v| match serde_json::to_value(v) {
            Ok(serde_json::Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// An optional query parameter, added only if it is set; the generated `build_request` adds each
/// one this way (see `codegen/src/cheap_requests.rs`). reqwest's `query` takes the URL's query
/// apart and puts it back even when the value adds nothing, which most requests' unset options
/// would cost.
pub(crate) trait OptionalQuery {
    fn optional_query<T: serde::Serialize>(self, name: &str, value: &Option<T>) -> Self;
}

impl OptionalQuery for reqwest::RequestBuilder {
    fn optional_query<T: serde::Serialize>(self, name: &str, value: &Option<T>) -> Self {
        match value {
            None => self,
            Some(_) => self.query(&progenitor_client::QueryParam::new(name, value)),
        }
    }
}

/// A `sort_by` value: a field and a direction (`title desc`).
///
/// ```
/// use mocoapp::SortBy;
/// assert_eq!(String::from(SortBy::desc("title")), "title desc");
/// assert_eq!(SortBy::asc("date").to_string(), "date asc");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortBy {
    field: String,
    descending: bool,
}

impl SortBy {
    /// Ascending by `field`.
    pub fn asc(field: impl Into<String>) -> Self {
        Self { field: field.into(), descending: false }
    }

    /// Descending by `field`.
    pub fn desc(field: impl Into<String>) -> Self {
        Self { field: field.into(), descending: true }
    }
}

impl fmt::Display for SortBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, if self.descending { "desc" } else { "asc" })
    }
}

impl From<SortBy> for String {
    fn from(sort: SortBy) -> Self {
        sort.to_string()
    }
}

/// A `FROM:TO` date range, as the planning entries' `period` filter takes it.
///
/// ```
/// use chrono::NaiveDate;
/// use mocoapp::Period;
/// let may = NaiveDate::from_ymd_opt(2020, 5, 1).unwrap();
/// let july = NaiveDate::from_ymd_opt(2020, 7, 31).unwrap();
/// assert_eq!(String::from(Period::new(may, july)), "2020-05-01:2020-07-31");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

impl Period {
    /// From `from` to `to`, both included.
    pub fn new(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Self {
        Self { from, to }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.from.format("%Y-%m-%d"), self.to.format("%Y-%m-%d"))
    }
}

impl From<Period> for String {
    fn from(period: Period) -> Self {
        period.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn comma_join_writes_mocos_list_encoding() {
        assert_eq!(super::comma_join([12, 34]), "12,34");
        assert_eq!(super::comma_join(["Print", "Digital"]), "Print,Digital");
        assert_eq!(super::comma_join(Vec::<i64>::new()), "");
    }
}
