//! The Rust surface itself: open enums that keep unknown values, `per_page` on streams, and the
//! escape hatch `Client::request` going through the same hooks as generated calls.

use httpmock::prelude::*;
use mocoapp::{types, Error, RetryPolicy};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::*;

#[tokio::test]
async fn unknown_enum_values_decode_and_round_trip() {
    let server = MockServer::start_async().await;
    let mut project = example("Project");
    project["billing_variant"] = json!("flat_rate");
    let mut schedule = example("Schedule");
    schedule["assignment"]["code"] = json!(9);
    schedule["symbol"] = json!("13");
    let mut nulls = example("Schedule");
    nulls["assignment"]["code"] = Value::Null;
    nulls["symbol"] = Value::Null;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(200).json_body(project.clone());
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/schedules");
            then.status(200).json_body(json!([schedule.clone(), nulls.clone()]));
        })
        .await;
    let client = client(&server);

    let decoded = client.get_project(1).send().await.unwrap();
    let variant = decoded.billing_variant.clone().unwrap();
    assert_eq!(variant, types::ProjectBillingVariant::Unknown("flat_rate".into()));
    assert!(variant.is_unknown());
    assert_eq!(variant.as_str(), "flat_rate");
    assert_eq!(serde_json::to_value(&decoded).unwrap()["billing_variant"], json!("flat_rate"));

    let schedules = client.list_schedules().send().await.unwrap();
    let code = schedules[0].assignment.as_ref().unwrap().code.clone().unwrap();
    assert_eq!(code, types::ScheduleAssignmentCode::Unknown("9".into()));
    assert_eq!(code.code(), Some(9));
    assert_eq!(serde_json::to_value(&code).unwrap(), json!(9));
    assert_eq!(schedules[0].symbol.clone().unwrap().code(), Some(13));
    assert_eq!(schedules[1].assignment.as_ref().unwrap().code, None);
    assert_eq!(schedules[1].symbol, None);
}

#[test]
fn known_enum_values_read_from_any_form() {
    let from_text: types::ScheduleAssignmentCode = serde_json::from_value(json!("3")).unwrap();
    let from_number: types::ScheduleAssignmentCode = serde_json::from_value(json!(3)).unwrap();
    assert_eq!(from_text, types::ScheduleAssignmentCode::SickDay);
    assert_eq!(from_number, types::ScheduleAssignmentCode::SickDay);
    assert_eq!("project".parse::<types::ProjectBillingVariant>().unwrap(), types::ProjectBillingVariant::Project);
    assert_eq!(types::ProjectBillingVariant::Task.to_string(), "task");
    assert!(serde_json::from_value::<types::ProjectBillingVariant>(json!({"no": "object"})).is_err());
}

#[tokio::test]
async fn per_page_is_sent_on_every_page_of_a_stream() {
    let server = MockServer::start_async().await;
    let next = format!("<{}?page=2&per_page=2>; rel=\"next\"", server.url("/api/v1/units"));
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/units").is_true(exact_query(&[("per_page", "2")]));
            then.status(200).header("X-Per-Page", "2").header("X-Total", "3").header("Link", next.as_str()).json_body(json!([
                {"id": 1, "name": "A"},
                {"id": 2, "name": "B"}
            ]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            moco(when, GET, "/units").is_true(exact_query(&[("page", "2"), ("per_page", "2")]));
            then.status(200).header("X-Per-Page", "2").header("X-Total", "3").json_body(json!([{"id": 3, "name": "C"}]));
        })
        .await;
    let units = client(&server).list_units().per_page(2).collect_all().await.unwrap();
    assert_eq!(units.iter().map(|u| u.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn raw_request_sends_auth_impersonation_query_and_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/not_in_the_spec/42/things")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .header("content-type", "application/json")
                .is_true(exact_query(&[("scope", "all"), ("limit", "5")]))
                .json_body(json!({"name": "thing"}));
            then.status(201).json_body(json!({"id": 7, "name": "thing"}));
        })
        .await;
    #[derive(serde::Deserialize)]
    struct Thing {
        id: i64,
        name: String,
    }
    let thing: Thing = client(&server)
        .impersonate(933590696)
        .request(Method::POST, "/not_in_the_spec/42/things")
        .query("scope", "all")
        .query("limit", 5)
        .json(&json!({"name": "thing"}))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!((thing.id, thing.name.as_str()), (7, "thing"));
}

#[tokio::test]
async fn raw_request_decodes_raw_json_and_empty_answers() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/anything").is_true(no_body());
            then.status(200).json_body(json!({"a": [1, null]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/anything/1");
            then.status(204);
        })
        .await;
    let client = client(&server);
    let value: Value = client.request(Method::GET, "anything").send().await.unwrap();
    assert_eq!(value, json!({"a": [1, null]}));
    let response = client.request(Method::DELETE, "/anything/1").send_with_response::<()>().await.unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test(start_paused = true)]
async fn raw_request_is_retried_on_429() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            moco(when, POST, "/custom");
            then.status(429).header("Retry-After", "1").body("").up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            moco(when, POST, "/custom");
            then.status(200).json_body(json!(true));
        })
        .await;
    let policy = RetryPolicy { max_retries: 2, ..RetryPolicy::default() };
    let client = builder(&server).retry(policy).build().unwrap();
    let answer: bool = client.request(Method::POST, "/custom").send().await.unwrap();
    assert!(answer);
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn raw_request_maps_errors_like_generated_calls() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/missing");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, PUT, "/invalid");
            then.status(422).json_body(json!({"message": "Name muss ausgefüllt werden", "errors": {"name": ["blank"]}}));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/html");
            then.status(200).body("<html>proxy says hi</html>");
        })
        .await;
    let client = client(&server);
    let missing = client.request(Method::GET, "/missing").send::<Value>().await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{missing}");
    let invalid = client.request(Method::PUT, "/invalid").json(&json!({})).send::<Value>().await.unwrap_err();
    match invalid {
        Error::Unprocessable { message, errors } => {
            assert_eq!(message.as_deref(), Some("Name muss ausgefüllt werden"));
            assert_eq!(errors, Some(json!({"name": ["blank"]})));
        }
        other => panic!("expected Unprocessable, got {other:?}"),
    }
    let html = client.request(Method::GET, "/html").send::<Value>().await.unwrap_err();
    match &html {
        Error::Decode { operation, excerpt, .. } => {
            assert_eq!(*operation, "raw_request");
            assert!(excerpt.contains("proxy says hi"), "{excerpt}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!format!("{html:?}").contains(KEY));
}

#[test]
fn support_helpers_null_every_nullable_field_and_replace_every_open_enum() {
    let project = example("Project");
    let sparse = with_nulls("Project", &project);
    assert_eq!(sparse["id"], project["id"]);
    assert_eq!(sparse["name"], project["name"]);
    assert!(sparse["leader"].is_null() && sparse["billing_variant"].is_null() && sparse["tags"].is_null());
    let decoded: types::Project = serde_json::from_value(sparse).unwrap();
    assert_eq!(decoded.leader, None);

    let (future, changed) = with_unknown_enums("Project", &project);
    assert_eq!(changed, vec!["$.billing_variant".to_string()]);
    let decoded: types::Project = serde_json::from_value(future).unwrap();
    assert_eq!(decoded.billing_variant, Some(types::ProjectBillingVariant::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn a_raw_path_cannot_leave_the_base_url_or_smuggle_a_query() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = client(&server);
    for path in ["/../admin", "../../etc", "/projects/%2e%2e/%2E%2E/%2e%2e/x", "/tags?ids=1", "/tags#x"] {
        let err = client.request(Method::GET, path).send::<Value>().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains(path)), "{path}: {err:?}");
    }
    anything.assert_calls_async(0).await;
    // `..` that stays below the base URL is fine, and so is a path without a leading slash.
    let _: Value = client.request(Method::GET, "/projects/../tags").send().await.unwrap();
    let _: Value = client.request(Method::GET, "tags").send().await.unwrap();
    anything.assert_calls_async(2).await;
}
