//! `X-IMPERSONATE-USER-ID`: on every request of an impersonating client, never on the original,
//! and per request through the builders.

use httpmock::prelude::*;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn an_impersonating_client_sends_the_header_on_every_request() {
    let server = MockServer::start_async().await;
    let as_colleague = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/assigned").header("x-impersonate-user-id", "933589591");
            then.status(200).json_body(json!([]));
        })
        .await;
    let report_as_colleague = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/report").header("x-impersonate-user-id", "933589591");
            then.status(200).json_body(json!({}));
        })
        .await;
    let as_self = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/assigned").header_missing("x-impersonate-user-id");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    let colleague = client.impersonate(933589591);
    assert_eq!(colleague.impersonated_user(), Some(933589591));
    assert_eq!(client.impersonated_user(), None);

    colleague.list_assigned_projects().send().await.unwrap();
    colleague.get_project_report(1).send().await.unwrap();
    client.list_assigned_projects().send().await.unwrap();
    colleague.list_assigned_projects().send().await.unwrap();

    as_colleague.assert_calls_async(2).await;
    report_as_colleague.assert_calls_async(1).await;
    as_self.assert_calls_async(1).await;
}

#[tokio::test]
async fn per_request_impersonation_and_its_precedence() {
    let server = MockServer::start_async().await;
    let user_7 = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/assigned").header("x-impersonate-user-id", "7");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    client.list_assigned_projects().x_impersonate_user_id(7).send().await.unwrap();
    // The request's own value wins over the client's.
    client.impersonate(8).list_assigned_projects().x_impersonate_user_id(7).send().await.unwrap();
    user_7.assert_calls_async(2).await;
}

#[tokio::test]
async fn impersonation_set_on_the_builder_applies_to_the_whole_client() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/session").header("x-impersonate-user-id", "55");
            then.status(200).json_body(json!({"id": 55}));
        })
        .await;
    let client = builder(&server).impersonate(55).build().unwrap();
    assert_eq!(client.verify_key().await.unwrap().id, 55);
    mock.assert_async().await;
}
