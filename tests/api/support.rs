//! Shared test fixtures: a mock MOCO server, a client pointed at it, request matchers that pin
//! down the exact request, and the examples of `openapi/moco.yaml` (so tests decode the same
//! JSON the spec documents).

use std::sync::OnceLock;

use httpmock::{prelude::*, When};
use mocoapp::{Client, RateLimit};
use serde_json::Value;

/// reqwest is built without a TLS provider of its own (the crate uses ring); a test that builds
/// its own reqwest client installs it first, as `ClientBuilder::build` does.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A date written as in the docs (`2018-10-17`).
pub fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// A UTC timestamp written as in the docs (`2018-10-17T09:33:46Z`).
pub fn timestamp(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

/// The JSON value at a `$.a.b[0].c` path (as `with_unknown_enums` reports them).
pub fn value_at<'a>(value: &'a Value, path: &str) -> &'a Value {
    let mut current = value;
    for part in path.trim_start_matches('$').split('.').filter(|p| !p.is_empty()) {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, Some(rest.trim_end_matches(']').parse::<usize>().unwrap())),
            None => (part, None),
        };
        current = &current[key];
        if let Some(i) = index {
            current = &current[i];
        }
    }
    current
}

pub const KEY: &str = "test-key-5f0c2a7e91";
pub const AUTH: &str = "Token token=test-key-5f0c2a7e91";

/// A client for the mock server: no client-side rate limit (tests of the limiter set their own),
/// no per-attempt timeout (tokio's paused clock would fire it while the mock answers).
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client builds")
}

/// The client's builder, for tests that change a setting. Its HTTP client has no timers at all
/// (no timeout, no idle-connection sweep): on tokio's paused clock a pending timer would be
/// fired while the test waits for the mock server, and make waits look longer than they were.
pub fn builder(server: &MockServer) -> mocoapp::ClientBuilder {
    install_tls_provider();
    let http = reqwest::Client::builder().pool_idle_timeout(None).gzip(true).build().unwrap();
    Client::builder().base_url(server.url("/api/v1")).api_key(KEY).rate_limit(RateLimit::off()).http_client(http)
}

/// Matches a request by method and path, with the API key and without progenitor's
/// `api-version` header.
pub fn moco(when: When, method: httpmock::Method, path: &str) -> When {
    when.method(method).path(format!("/api/v1{path}")).header("authorization", AUTH).header_missing("api-version")
}

/// Matches when the query string holds exactly these parameters (order ignored).
pub fn exact_query(expected: &[(&str, &str)]) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    expected.sort();
    move |request: &HttpMockRequest| {
        let mut actual = request.query_params();
        actual.sort();
        actual == expected
    }
}

/// Matches a JSON body equal to `expected`, where numbers compare by value (`150` = `150.0`).
pub fn json_equiv(expected: Value) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    move |request: &HttpMockRequest| serde_json::from_slice::<Value>(request.body_ref()).is_ok_and(|actual| same_json(&expected, &actual))
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w))),
        _ => a == b,
    }
}

/// Matches a request without a body (or with an empty one).
pub fn no_body() -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    |request: &HttpMockRequest| request.body_ref().is_empty()
}

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/moco.yaml")).unwrap();
        serde_norway::from_str(&text).unwrap()
    })
}

/// The `example` of a component schema.
pub fn example(schema: &str) -> Value {
    let example = spec()["components"]["schemas"][schema]["example"].clone();
    assert!(!example.is_null(), "no example for schema {schema}");
    example
}

/// The example of an operation's request body.
pub fn request_example(operation_id: &str) -> Value {
    let (_, op) = operation(operation_id);
    let content = &op["requestBody"]["content"]["application/json"];
    let example = content["example"].clone();
    assert!(!example.is_null(), "no request example for {operation_id}");
    example
}

/// The example of an operation's success response: the media type's own `example`, or the
/// example of its schema (for an array of `$ref`s, a one-element array of the item's example).
pub fn response_example(operation_id: &str) -> Value {
    let (_, op) = operation(operation_id);
    let responses = op["responses"].as_object().unwrap();
    let success = responses
        .iter()
        .find(|(code, r)| code.starts_with('2') && !r["content"].is_null())
        .unwrap_or_else(|| panic!("{operation_id} has no success body"))
        .1;
    let media = &success["content"]["application/json"];
    if !media["example"].is_null() {
        return media["example"].clone();
    }
    let schema = &media["schema"];
    if let Some(reference) = schema["$ref"].as_str() {
        return example(reference.rsplit('/').next().unwrap());
    }
    if let Some(reference) = schema["items"]["$ref"].as_str() {
        return Value::Array(vec![example(reference.rsplit('/').next().unwrap())]);
    }
    panic!("{operation_id}: cannot find a response example")
}

fn operation(operation_id: &str) -> (String, Value) {
    for (path, item) in spec()["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["operationId"] == operation_id {
                return (format!("{method} {path}"), op.clone());
            }
        }
    }
    panic!("no operation {operation_id} in the spec")
}

/// Asserts that `value` serializes to JSON equal to `expected`, field by field, ignoring the
/// fields `value` leaves out (None).
pub fn assert_decoded<T: serde::Serialize>(value: &T, expected: &Value) {
    let actual = serde_json::to_value(value).unwrap();
    assert_json_subset(expected, &actual, "$");
}

fn assert_json_subset(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or(&Value::Null);
                assert_json_subset(ev, av, &format!("{at}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "array length at {at}");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_json_subset(ev, av, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            assert_eq!(e.as_f64(), a.as_f64(), "number at {at}");
        }
        // Numeric codes MOCO sends as strings ("4") are written back as numbers by their open enum.
        (Value::String(e), Value::Number(a)) if e.parse::<f64>().ok() == a.as_f64() => {}
        (Value::String(e), Value::String(a)) if e != a => {
            // Timestamps may be re-rendered (`2018-10-17T09:33:46Z` ↔ `...+00:00`).
            let same_time = matches!(
                (chrono::DateTime::parse_from_rfc3339(e), chrono::DateTime::parse_from_rfc3339(a)),
                (Ok(x), Ok(y)) if x == y
            );
            assert!(same_time, "string at {at}: expected {e:?}, got {a:?}");
        }
        _ => assert_eq!(expected, actual, "value at {at}"),
    }
}

/// Expects exactly one `DELETE /api/v1{path}` without query or body, answers it with `status`,
/// and checks that `call` sent it and got that status back.
pub async fn assert_deletes<F, Fut>(path: &str, status: u16, call: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Result<mocoapp::ResponseValue<()>, mocoapp::Error>>,
{
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, path).is_true(exact_query(&[])).is_true(no_body());
            then.status(status);
        })
        .await;
    let response = call(client(&server)).await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), status);
}

/// A component schema of the spec, with a `$ref` followed.
fn schema(reference_or_name: &str) -> &'static Value {
    let name = reference_or_name.rsplit('/').next().unwrap();
    let found = &spec()["components"]["schemas"][name];
    assert!(!found.is_null(), "no schema {name}");
    found
}

/// Resolves `$ref` and the single-branch `allOf` wrapper.
fn resolved(s: &'static Value) -> &'static Value {
    if let Some(reference) = s["$ref"].as_str() {
        return resolved(schema(reference));
    }
    s
}

fn is_null_branch(s: &Value) -> bool {
    s["enum"] == serde_json::json!([null])
}

/// Whether the spec lets this property be `null` (scalar `nullable`, the anyOf null branch, or a
/// nullable branch of an open enum).
fn nullable(s: &Value) -> bool {
    s["nullable"] == Value::Bool(true)
        || s["anyOf"].as_array().is_some_and(|branches| branches.iter().any(|b| is_null_branch(b) || b["nullable"] == Value::Bool(true)))
}

/// The object schema behind a property, if it is one (directly, through `$ref`, or as the
/// non-null branch of a nullable reference).
fn object_schema(s: &'static Value) -> Option<&'static Value> {
    let s = resolved(s);
    if s["properties"].is_object() {
        return Some(s);
    }
    s["anyOf"].as_array()?.iter().filter(|b| !is_null_branch(b)).find_map(|b| object_schema(b))
}

/// `value` (an instance of the component `schema_name`) with every property the spec declares
/// nullable set to `null`, at every depth: the shape a real server sends for a sparse record.
pub fn with_nulls(schema_name: &str, value: &Value) -> Value {
    nulls_in(schema(schema_name), value)
}

fn nulls_in(s: &'static Value, value: &Value) -> Value {
    let s = resolved(s);
    match value {
        Value::Object(map) => {
            let Some(object) = object_schema(s) else { return value.clone() };
            let mut out = map.clone();
            for (key, property) in object["properties"].as_object().unwrap() {
                let Some(current) = out.get(key).cloned() else { continue };
                out[key] = if nullable(property) { Value::Null } else { nulls_in(property, &current) };
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema: &'static Value = &resolved(s)["items"];
            Value::Array(items.iter().map(|item| if item_schema.is_null() { item.clone() } else { nulls_in(item_schema, item) }).collect())
        }
        _ => value.clone(),
    }
}

/// `value` with every open-enum property (anyOf with a known-values branch) set to a value no
/// version of the spec knows: `"value_from_the_future"`, or `99` for numeric codes. Returns the
/// value and the paths changed (`$.status`, `$.items[0].type`), so a test can check each.
pub fn with_unknown_enums(schema_name: &str, value: &Value) -> (Value, Vec<String>) {
    let mut changed = Vec::new();
    let out = unknown_in(schema(schema_name), value, "$", &mut changed);
    (out, changed)
}

/// The unknown string value `with_unknown_enums` writes.
pub const UNKNOWN_ENUM_VALUE: &str = "value_from_the_future";

fn open_enum_kind(s: &Value) -> Option<&'static str> {
    let branches = s["anyOf"].as_array()?;
    let known = branches.iter().find(|b| b["enum"].as_array().is_some_and(|e| e.iter().any(|v| !v.is_null())))?;
    Some(if known["type"] == "integer" { "integer" } else { "string" })
}

fn unknown_in(s: &'static Value, value: &Value, at: &str, changed: &mut Vec<String>) -> Value {
    let s = resolved(s);
    match value {
        Value::Object(map) => {
            let Some(object) = object_schema(s) else { return value.clone() };
            let mut out = map.clone();
            for (key, property) in object["properties"].as_object().unwrap() {
                let Some(current) = out.get(key).cloned() else { continue };
                let path = format!("{at}.{key}");
                out[key] = match open_enum_kind(property) {
                    Some("integer") => {
                        changed.push(path);
                        serde_json::json!(99)
                    }
                    Some(_) => {
                        changed.push(path);
                        Value::String(UNKNOWN_ENUM_VALUE.into())
                    }
                    None => unknown_in(property, &current, &path, changed),
                };
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema: &'static Value = &resolved(s)["items"];
            Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(
                        |(i, item)| {
                            if item_schema.is_null() {
                                item.clone()
                            } else {
                                unknown_in(item_schema, item, &format!("{at}[{i}]"), changed)
                            }
                        },
                    )
                    .collect(),
            )
        }
        _ => value.clone(),
    }
}

/// An exact decimal from its text: `dec("17999.00")`.
pub fn dec(text: &str) -> mocoapp::Decimal {
    text.parse().unwrap_or_else(|e| panic!("{text:?} is not a decimal: {e}"))
}

/// MOCO's validation error, as the spec's `Error` example shows it.
pub fn validation_error() -> Value {
    serde_json::json!({"message": "Name muss ausgefüllt werden", "errors": {"name": ["muss ausgefüllt werden"]}})
}

/// Asserts that `error` is MOCO's 422 with the message and field errors of `validation_error`.
pub fn assert_validation_error(error: &mocoapp::Error) {
    assert!(
        matches!(error, mocoapp::Error::Unprocessable { message, errors }
            if message.as_deref() == Some("Name muss ausgefüllt werden")
                && errors.as_ref() == Some(&serde_json::json!({"name": ["muss ausgefüllt werden"]}))),
        "{error:?}"
    );
}

/// A mock answering any request to `path` (which must never be sent).
pub async fn never_called<'a>(server: &'a MockServer, method: httpmock::Method, path: &str, answer: Value) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            moco(when, method, path);
            then.status(200).json_body(answer);
        })
        .await
}
