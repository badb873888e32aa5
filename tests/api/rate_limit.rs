//! The client-side limiter: a window's requests go out at once, the next one waits, and clones
//! (including impersonating ones) share one budget.

use std::time::Duration;

use httpmock::prelude::*;
use mocoapp::RateLimit;
use serde_json::json;
use tokio::time::Instant;

use crate::support::*;

async fn session_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/session");
            then.status(200).json_body(json!({"id": 1}));
        })
        .await
}

#[tokio::test(start_paused = true)]
async fn the_request_after_the_burst_waits_for_the_window() {
    let server = MockServer::start_async().await;
    let mock = session_mock(&server).await;
    // 20 per 10 s: a burst of 2, then one every 10 s / 18.
    let client = builder(&server).rate_limit(RateLimit::per_window(20, Duration::from_secs(10))).build().unwrap();
    let started = Instant::now();
    client.get_session().send().await.unwrap();
    client.get_session().send().await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(50), "the burst is not delayed: {:?}", started.elapsed());
    client.get_session().send().await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(500), "request 3 waited only {waited:?}");
    mock.assert_calls_async(3).await;
}

#[tokio::test(start_paused = true)]
async fn clones_and_impersonating_clients_share_the_limit() {
    let server = MockServer::start_async().await;
    session_mock(&server).await;
    let client = builder(&server).rate_limit(RateLimit::per_window(10, Duration::from_secs(10))).build().unwrap();
    let clone = client.clone();
    let colleague = client.impersonate(42);
    let started = Instant::now();
    client.get_session().send().await.unwrap(); // the burst of one
    clone.get_session().send().await.unwrap(); // waits 10 s / 9
    colleague.get_session().send().await.unwrap(); // waits again
    assert!(started.elapsed() >= Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn off_sends_without_waiting() {
    let server = MockServer::start_async().await;
    let mock = session_mock(&server).await;
    let client = builder(&server).rate_limit(RateLimit::off()).build().unwrap();
    let started = Instant::now();
    for _ in 0..30 {
        client.get_session().send().await.unwrap();
    }
    assert!(started.elapsed() < Duration::from_millis(50), "{:?}", started.elapsed());
    mock.assert_calls_async(30).await;
}

#[test]
fn presets_match_mocos_plans() {
    assert_eq!(RateLimit::default(), RateLimit::per_window(120, Duration::from_secs(120)));
    assert_eq!(RateLimit::unlimited_plan(), RateLimit::per_window(1200, Duration::from_secs(120)));
}
