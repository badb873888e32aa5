//! `POST /session` (login) and `GET /session` (key check), from authentication.md.

use httpmock::prelude::*;
use mocoapp::{Client, Error, RateLimit};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn login_exchanges_credentials_for_a_key_that_later_requests_use() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v1/session")
                .header_missing("authorization")
                .header("content-type", "application/json")
                .json_body(request_example("create_session"));
            then.status(200).json_body(json!({"api_key": "fresh-key-123", "user_id": 933590696}));
        })
        .await;
    let check = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/session").header("authorization", "Bearer fresh-key-123");
            then.status(200).json_body(example("Session"));
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/v1"))
        .auth_scheme(mocoapp::AuthScheme::Bearer)
        .rate_limit(RateLimit::off())
        .login("max@muster.de", "secret")
        .await
        .unwrap();
    let session = client.verify_key().await.unwrap();
    login.assert_async().await;
    check.assert_async().await;
    assert_eq!(session.id, 123);
    assert_eq!(session.uuid.unwrap().to_string(), "aec324a2-4832-11eb-b378-0242ac130002");
}

#[tokio::test]
async fn login_with_wrong_password_is_unauthorized() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/session");
            then.status(401).json_body(json!({"message": "Invalid email or password"}));
        })
        .await;
    let err = Client::builder().base_url(server.url("/api/v1")).login("max@muster.de", "wrong").await.unwrap_err();
    assert!(matches!(&err, Error::Unauthorized { message: Some(m) } if m == "Invalid email or password"), "{err:?}");
}

#[tokio::test]
async fn get_session_decodes_the_key_owner() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/session").is_true(exact_query(&[]));
            then.status(200).json_body(example("Session"));
        })
        .await;
    let session = client(&server).get_session().send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&session, &example("Session"));
}

#[tokio::test]
async fn verify_key_reports_an_invalid_key_as_unauthorized() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/session");
            then.status(401).body("");
        })
        .await;
    let err = client(&server).verify_key().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { message: None }), "{err:?}");
}
