//! The API key never shows in `Debug` output or error messages.

use httpmock::prelude::*;
use mocoapp::{Client, Error, RetryPolicy};

use crate::support::*;

#[test]
fn debug_output_of_client_builder_and_key_hides_the_key() {
    let builder = Client::builder().account("example").api_key(KEY);
    let client = builder.clone().build().unwrap();
    for text in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{:?}", client.impersonate(1)),
        format!("{:?}", mocoapp::ApiKey::new(KEY, mocoapp::AuthScheme::Bearer).unwrap()),
    ] {
        assert!(!text.contains(KEY), "key in {text}");
        assert!(!text.contains(&KEY[5..15]), "part of the key in {text}");
    }
    assert!(format!("{client:?}").contains("example.mocoapp.com"));
}

#[tokio::test]
async fn an_error_page_echoing_the_key_is_redacted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(502).body(format!("<html>upstream failed for Authorization: Token token={KEY}</html>"));
        })
        .await;
    let err = builder(&server).retry(RetryPolicy::none()).build().unwrap().get_project(1).send().await.unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(KEY), "key in {text}");
        assert!(text.contains("[redacted]"), "{text}");
    }
}

#[tokio::test]
async fn a_decode_error_echoing_the_key_is_redacted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(format!("debug: {KEY}"));
        })
        .await;
    let err = client(&server).get_project(1).send().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
    assert!(!err.to_string().contains(KEY), "{err}");
    assert!(!format!("{err:?}").contains(KEY), "{err:?}");
}

#[tokio::test]
async fn transport_errors_do_not_carry_the_key() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client =
        Client::builder().base_url(format!("http://127.0.0.1:{port}/api/v1")).api_key(KEY).retry(RetryPolicy::none()).build().unwrap();
    let err = client.get_project(1).send().await.unwrap_err();
    assert!(!err.to_string().contains(KEY) && !format!("{err:?}").contains(KEY), "{err:?}");
}

#[test]
fn a_malformed_key_error_does_not_echo_the_key() {
    let bad = "secret\nkey";
    let err = Client::builder().account("example").api_key(bad).build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(!err.to_string().contains("secret"), "{err}");
}
