//! 429s are retried for every method; 5xx and connection failures only for idempotent ones;
//! both bounded. Backoff sleeps run on tokio's paused clock, so these tests take no real time.

use std::time::Duration;

use httpmock::prelude::*;
use mocoapp::{Error, RetryPolicy};
use serde_json::json;
use tokio::time::Instant;

use crate::support::*;

fn policy(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(8),
        max_total_wait: Duration::from_secs(60),
        retry_server_errors: true,
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_twice_then_success() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(429).body("Too Many Requests").up_to_n_times(2);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(200).json_body(json!({"id": 1, "name": "P"}));
        })
        .await;
    let client = builder(&server).retry(policy(5)).build().unwrap();
    let project = client.get_project(1).send().await.unwrap();
    assert_eq!(project.id, 1);
    limited.assert_calls_async(2).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test(start_paused = true)]
async fn a_429_forever_becomes_rate_limited_within_the_bound() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects");
            then.status(429).body("");
        })
        .await;
    let client = builder(&server).retry(policy(3)).build().unwrap();
    let started = Instant::now();
    let err = client.create_project().body_map(|b| b.name("X").currency("EUR").leader_id(1).customer_id(2)).send().await.unwrap_err();
    // POST is retried on 429: the server did not process the request.
    limited.assert_calls_async(4).await;
    assert!(matches!(err, Error::RateLimited { attempts: 4, retry_after: None }), "{err:?}");
    // Backoff 1 s, 2 s, 4 s, each with up to 100 % jitter: at most 14 s of (paused) waiting.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(7) && waited <= Duration::from_secs(14), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(429).header("Retry-After", "20").body("");
        })
        .await;
    let client = builder(&server).retry(policy(2)).build().unwrap();
    let started = Instant::now();
    let err = client.get_project(1).send().await.unwrap_err();
    limited.assert_calls_async(3).await;
    assert!(matches!(err, Error::RateLimited { retry_after: Some(d), attempts: 3 } if d == Duration::from_secs(20)), "{err:?}");
    assert!(started.elapsed() >= Duration::from_secs(40), "{:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_total_bound_gives_up_at_once() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(429).header("Retry-After", "3600").body("");
        })
        .await;
    let client = builder(&server).retry(policy(5)).build().unwrap();
    let err = client.get_project(1).send().await.unwrap_err();
    limited.assert_calls_async(1).await;
    assert!(matches!(err, Error::RateLimited { attempts: 1, .. }), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_503_is_retried_for_get() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1");
            then.status(503).body("<html><body>Service Unavailable</body></html>");
        })
        .await;
    let client = builder(&server).retry(policy(2)).build().unwrap();
    let err = client.get_project(1).send().await.unwrap_err();
    failing.assert_calls_async(3).await;
    assert!(matches!(err, Error::Http { status, .. } if status == 503), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_503_is_not_retried_for_post() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects");
            then.status(503).body("");
        })
        .await;
    let client = builder(&server).retry(policy(5)).build().unwrap();
    let err = client.create_project().body_map(|b| b.name("X").currency("EUR").leader_id(1).customer_id(2)).send().await.unwrap_err();
    failing.assert_calls_async(1).await;
    assert!(matches!(err, Error::Http { status, .. } if status == 503), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn a_422_is_never_retried() {
    let server = MockServer::start_async().await;
    let refused = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1");
            then.status(422).json_body(json!({"message": "Budget ist ungültig"}));
        })
        .await;
    let client = builder(&server).retry(policy(5)).build().unwrap();
    let err = client.update_project(1).body_map(|b| b.budget(dec("-1.0"))).send().await.unwrap_err();
    refused.assert_calls_async(1).await;
    assert!(matches!(err, Error::Unprocessable { .. }), "{err:?}");
}

#[tokio::test]
async fn connection_failures_of_get_are_retried_then_reported_as_transport() {
    // Nothing listens on this port (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = mocoapp::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .api_key(KEY)
        .rate_limit(mocoapp::RateLimit::off())
        .retry(RetryPolicy { initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(2), ..policy(2) })
        .build()
        .unwrap();
    let err = client.get_project(1).send().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}
