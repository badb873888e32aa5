//! The lenient readers on their own, through a small struct shaped like the generated ones.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Nested {
    #[serde(with = "crate::lenient")]
    id: i64,
    #[serde(default, with = "crate::lenient")]
    tax: Option<Decimal>,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Thing {
    #[serde(with = "crate::lenient")]
    id: i64,
    #[serde(default, with = "crate::lenient")]
    count: Option<u32>,
    #[serde(default, with = "crate::lenient")]
    total: Option<Decimal>,
    #[serde(default, with = "crate::lenient::text")]
    paid: Option<Decimal>,
    #[serde(default, with = "crate::lenient")]
    due: Option<NaiveDate>,
    #[serde(default, with = "crate::lenient")]
    at: Option<DateTime<Utc>>,
    #[serde(default, with = "crate::lenient")]
    ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "crate::lenient::object")]
    nested: Option<Nested>,
}

fn read(text: &str) -> Result<Thing, serde_json::Error> {
    serde_json::from_str(text)
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn integers_read_from_integral_floats_and_numeric_strings() {
    for text in [r#"{"id": 10}"#, r#"{"id": 10.0}"#, r#"{"id": "10"}"#, r#"{"id": " 10 "}"#, r#"{"id": "10.0"}"#, r#"{"id": 1e1}"#] {
        assert_eq!(read(text).unwrap().id, 10, "{text}");
    }
    assert_eq!(read(r#"{"id": -3.0}"#).unwrap().id, -3);
    assert_eq!(read(r#"{"id": 1, "ids": [1, 2.0, "3"]}"#).unwrap().ids, Some(vec![1, 2, 3]));
    assert_eq!(read(r#"{"id": 1, "count": null}"#).unwrap().count, None);
    // Fractions, text, out-of-range values and the wrong kind stay errors, with the value named.
    for (text, message) in [
        (r#"{"id": 10.5}"#, "invalid value: floating point `10.5`, expected an integer"),
        (r#"{"id": "ten"}"#, "invalid value: string \"ten\", expected an integer"),
        (r#"{"id": "10.5"}"#, "invalid value: string \"10.5\""),
        (r#"{"id": true}"#, "invalid type: boolean `true`, expected an integer"),
        (r#"{"id": 1, "count": -1}"#, "invalid value: integer `-1`"),
        (r#"{"id": 1, "count": 4294967296.0}"#, "invalid value: integer `4294967296`"),
        (r#"{"id": 1e300}"#, "invalid value: floating point"),
        (r#"{"id": ""}"#, "invalid value: string \"\""),
    ] {
        let error = read(text).unwrap_err().to_string();
        assert!(error.contains(message), "{text}: {error}");
    }
    // A required integer is still required.
    assert!(read("{}").unwrap_err().to_string().contains("missing field `id`"));
}

#[test]
fn decimals_are_exact_from_numbers_and_strings() {
    let thing = read(r#"{"id": 1, "total": 0.1, "paid": "17999.00"}"#).unwrap();
    assert_eq!(thing.total, Some(dec("0.1")));
    assert_eq!(thing.paid.unwrap().to_string(), "17999.00", "the sender's decimal places are kept");
    // More digits than an f64 holds: the number's own text is read, not a float.
    let precise = read(r#"{"id": 1, "total": 12345678901234567.89, "paid": 0.30000000000000004441}"#).unwrap();
    assert_eq!(precise.total.unwrap().to_string(), "12345678901234567.89");
    assert_eq!(precise.paid.unwrap().to_string(), "0.30000000000000004441");
    // 0.1 + 0.2 is 0.3.
    let a = read(r#"{"id": 1, "total": 0.1}"#).unwrap().total.unwrap();
    let b = read(r#"{"id": 1, "total": "0.2"}"#).unwrap().total.unwrap();
    assert_eq!(a + b, dec("0.3"));
    for text in [
        r#"{"id": 1, "total": 1.5e3}"#,
        r#"{"id": 1, "total": "1500"}"#,
        r#"{"id": 1, "total": 1500}"#,
        r#"{"id": 1, "total": " 1500.0 "}"#,
    ] {
        assert_eq!(read(text).unwrap().total, Some(dec("1500")), "{text}");
    }
    assert_eq!(read(r#"{"id": 1, "total": -0.5}"#).unwrap().total, Some(dec("-0.5")));
    assert_eq!(read(r#"{"id": 1, "total": null}"#).unwrap().total, None);
    for (text, message) in [
        (r#"{"id": 1, "total": "12,50"}"#, "expected a decimal"),
        (r#"{"id": 1, "total": ""}"#, "expected a decimal"),
        (r#"{"id": 1, "total": true}"#, "invalid value: boolean `true`, expected a decimal"),
        (r#"{"id": 1, "total": {"amount": 1}}"#, "invalid value: map, expected a decimal"),
        (r#"{"id": 1, "total": [1]}"#, "invalid value: sequence, expected a decimal"),
    ] {
        let error = read(text).unwrap_err().to_string();
        assert!(error.contains(message), "{text}: {error}");
    }
}

#[test]
fn decimals_are_written_as_the_docs_ask() {
    let thing = Thing {
        id: 1,
        count: None,
        total: Some(dec("38461.5")),
        paid: Some(dec("17999.00")),
        due: None,
        at: None,
        ids: None,
        nested: None,
    };
    let written = serde_json::to_value(&thing).unwrap();
    assert_eq!(written["total"], json!(38461.5));
    assert_eq!(written["paid"], json!("17999.00"), "a field the docs send as text stays text");
    let whole = |total: &str| serde_json::to_string(&Thing { total: Some(dec(total)), ..read(r#"{"id": 1}"#).unwrap() }).unwrap();
    assert!(whole("20").contains(r#""total":20,"#), "{}", whole("20"));
    assert!(whole("20.0").contains(r#""total":20.0,"#), "{}", whole("20.0"));
    assert!(whole("0.3").contains(r#""total":0.3,"#), "{}", whole("0.3"));
    // No f64 holds it exactly: sent as text rather than rounded.
    assert!(whole("12345678901234567.89").contains(r#""total":"12345678901234567.89""#), "{}", whole("12345678901234567.89"));
    // 16 digits whose f64 lies halfway between two 16-digit decimals (printers may pick either).
    assert!(whole("600000000000000.3").contains(r#""total":"600000000000000.3""#), "{}", whole("600000000000000.3"));
    assert!(whole("99999999999999.9").contains(r#""total":99999999999999.9,"#), "{}", whole("99999999999999.9"));
}

#[test]
fn empty_strings_in_dates_and_empty_objects_are_absent() {
    let thing = read(r#"{"id": 1, "due": "", "at": "", "nested": {}}"#).unwrap();
    assert_eq!((thing.due, thing.at, thing.nested), (None, None, None));
    let thing = read(r#"{"id": 1, "due": "2024-02-29", "at": "2018-10-17T09:33:46Z", "nested": {"id": "7", "tax": "7.7"}}"#).unwrap();
    assert_eq!(thing.due, NaiveDate::from_ymd_opt(2024, 2, 29));
    assert_eq!(thing.at.unwrap().to_rfc3339(), "2018-10-17T09:33:46+00:00");
    assert_eq!(thing.nested, Some(Nested { id: 7, tax: Some(dec("7.7")) }), "nested objects read leniently too");
    assert_eq!(read(r#"{"id": 1, "nested": { }}"#).unwrap().nested, None);
    // A date sent as a timestamp is the date where it was written.
    assert_eq!(read(r#"{"id": 1, "due": "2024-05-31T23:30:00-02:00"}"#).unwrap().due, NaiveDate::from_ymd_opt(2024, 5, 31));
    assert_eq!(read(r#"{"id": 1, "nested": null}"#).unwrap().nested, None);
    for (text, message) in [
        (r#"{"id": 1, "due": "soon"}"#, "invalid value: string \"soon\", expected an ISO 8601 date"),
        (r#"{"id": 1, "due": "2024-02-30"}"#, "invalid value: string \"2024-02-30\""),
        (r#"{"id": 1, "due": 20240229}"#, "invalid type: integer `20240229`"),
        (r#"{"id": 1, "nested": "7"}"#, "invalid type: string \"7\", expected struct Nested"),
        (r#"{"id": 1, "nested": {"tax": 1}}"#, "missing field `id`"),
        (r#"{"id": 1, "nested": {"id": 1.5}}"#, "expected an integer"),
        (r#"{"id": 1, "nested": []}"#, "expected struct Nested"),
    ] {
        let error = read(text).unwrap_err().to_string();
        assert!(error.contains(message), "{text}: {error}");
    }
}

#[test]
fn other_deserializers_than_serde_json_text_work_too() {
    // From a serde_json::Value (numbers already parsed) and through serde's buffering (an
    // untagged enum), the same forms read.
    let value = json!({"id": "10", "total": "0.1", "due": "", "nested": {}, "ids": [1.0]});
    let thing: Thing = serde_json::from_value(value.clone()).unwrap();
    assert_eq!((thing.id, thing.total, thing.due, thing.nested, thing.ids), (10, Some(dec("0.1")), None, None, Some(vec![1])));
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    enum Either {
        Thing(Thing),
    }
    let Either::Thing(buffered) = serde_json::from_value(value).unwrap();
    assert_eq!((buffered.id, buffered.total, buffered.nested), (10, Some(dec("0.1")), None));
    let Either::Thing(nested) = serde_json::from_str(r#"{"id": 1, "total": 2.5, "nested": {"id": 3}}"#).unwrap();
    assert_eq!((nested.total, nested.nested.map(|n| n.id)), (Some(dec("2.5")), Some(3)));
}
