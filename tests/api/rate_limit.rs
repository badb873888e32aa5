//! The client-side limiter applies MOCO's rule, "at most n requests in any window of w": a
//! window's requests go out at once, the next one waits until the oldest leaves the window, and
//! clones (including impersonating ones) share one budget. A 429's `Retry-After` pauses every
//! request of the client. All on tokio's paused clock: no real time passes.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use httpmock::prelude::*;
use mocoapp::{Error, RateLimit, RetryPolicy};
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

/// A 429 with `Retry-After: seconds` for the first `times` calls of `GET /projects/1`, then 200.
async fn limited_once<'a>(server: &'a MockServer, seconds: u64) -> (httpmock::Mock<'a>, httpmock::Mock<'a>) {
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects/1");
            then.status(429).header("Retry-After", seconds.to_string()).body("").up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects/1");
            then.status(200).json_body(json!({"id": 1, "name": "P"}));
        })
        .await;
    (limited, ok)
}

fn retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy { max_retries, max_total_wait: Duration::from_secs(60), ..RetryPolicy::default() }
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_n_goes_at_once_and_request_n_plus_one_waits_exactly_for_the_window() {
    let server = MockServer::start_async().await;
    let mock = session_mock(&server).await;
    let client = builder(&server).rate_limit(RateLimit::per_window(20, Duration::from_secs(10))).build().unwrap();
    let started = Instant::now();
    for _ in 0..20 {
        client.get_session().send().await.unwrap();
    }
    assert_eq!(started.elapsed(), Duration::ZERO, "the whole window's allowance at once");
    client.get_session().send().await.unwrap();
    // The first response arrived at 0 s: its place is free again at 10 s, not a moment earlier.
    assert_eq!(started.elapsed(), Duration::from_secs(10));
    mock.assert_calls_async(21).await;
}

#[tokio::test(start_paused = true)]
async fn over_a_long_run_every_window_admits_exactly_n() {
    // GCRA (the previous limiter) admitted 90 % of this; request i now goes at floor(i / n) windows.
    let server = MockServer::start_async().await;
    let mock = session_mock(&server).await;
    let (n, w) = (5, Duration::from_secs(10));
    let client = builder(&server).rate_limit(RateLimit::per_window(n, w)).build().unwrap();
    let started = Instant::now();
    for i in 0..60u32 {
        client.get_session().send().await.unwrap();
        assert_eq!(started.elapsed(), w * (i / n), "request {i}");
    }
    mock.assert_calls_async(60).await;
}

#[tokio::test(start_paused = true)]
async fn clones_and_impersonating_clients_share_the_limit() {
    let server = MockServer::start_async().await;
    let mock = session_mock(&server).await;
    let client = builder(&server).rate_limit(RateLimit::per_window(2, Duration::from_secs(10))).build().unwrap();
    let clone = client.clone();
    let colleague = client.impersonate(42);
    let started = Instant::now();
    client.get_session().send().await.unwrap();
    clone.get_session().send().await.unwrap(); // the window's two
    assert_eq!(started.elapsed(), Duration::ZERO);
    colleague.get_session().send().await.unwrap(); // waits for the window
    assert_eq!(started.elapsed(), Duration::from_secs(10));
    mock.assert_calls_async(3).await;
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

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_on_one_clone_delays_a_concurrent_request_on_another() {
    let server = MockServer::start_async().await;
    let (limited, ok) = limited_once(&server, 10).await;
    let session = session_mock(&server).await;
    // One request per second, so that the colleague's request waits in the limiter while the
    // first one is answered: without the pause it would go at 1 s.
    let client = builder(&server).rate_limit(RateLimit::per_window(1, Duration::from_secs(1))).retry(retries(2)).build().unwrap();
    let colleague = client.impersonate(7);
    let started = Instant::now();
    let first = tokio::spawn(async move {
        client.get_project(1).send().await.unwrap();
        started.elapsed()
    });
    let second = tokio::spawn(async move {
        colleague.get_session().send().await.unwrap();
        started.elapsed()
    });
    let (first, second) = (first.await.unwrap(), second.await.unwrap());
    assert_eq!(second, Duration::from_secs(10), "held back by the other clone's Retry-After");
    // The retry queues behind it and then waits for its place in the window.
    assert_eq!(first, Duration::from_secs(11));
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    session.assert_calls_async(1).await;
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_pauses_the_client_even_without_a_limit_or_retries() {
    let server = MockServer::start_async().await;
    limited_once(&server, 10).await;
    let session = session_mock(&server).await;
    let client = builder(&server).retry(RetryPolicy::none()).build().unwrap();
    let started = Instant::now();
    let err = client.get_project(1).send().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { attempts: 1, .. }), "{err:?}");
    assert_eq!(started.elapsed(), Duration::ZERO);
    client.impersonate(7).get_session().send().await.unwrap();
    assert_eq!(started.elapsed(), Duration::from_secs(10));
    client.clone().get_session().send().await.unwrap();
    assert_eq!(started.elapsed(), Duration::from_secs(10), "the pause is over");
    session.assert_calls_async(2).await;
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_retry_bound_does_not_hold_back_the_others() {
    // The request that got it gives up at once (Error::RateLimited); the others are not made to
    // hang for an hour: they go, and would get their own 429.
    let server = MockServer::start_async().await;
    limited_once(&server, 3600).await;
    let session = session_mock(&server).await;
    let client = builder(&server).retry(retries(5)).build().unwrap();
    let started = Instant::now();
    assert!(matches!(client.get_project(1).send().await, Err(Error::RateLimited { attempts: 1, .. })));
    client.get_session().send().await.unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO);
    session.assert_calls_async(1).await;
}

/// What a strict server saw: answers by status, and arrivals.
#[derive(Default)]
struct Seen {
    ok: usize,
    too_many: usize,
}

/// An in-process server on the test's (paused) clock applying MOCO's rule to arrivals: at most
/// `n` in any window `w`, a 429 otherwise. Request k takes a varying time to "arrive" (be
/// counted) and to be answered.
async fn strict_server(n: usize, w: Duration) -> (String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let arrivals = Arc::new(Mutex::new((0usize, VecDeque::<Instant>::new())));
    let app = axum::Router::new().fallback({
        let seen = seen.clone();
        move || {
            let (seen, arrivals) = (seen.clone(), arrivals.clone());
            async move {
                let k = {
                    let mut a = arrivals.lock().unwrap();
                    a.0 += 1;
                    a.0
                };
                tokio::time::sleep(Duration::from_millis([400, 0, 150, 50, 300, 250, 20][k % 7])).await;
                let admitted = {
                    let mut a = arrivals.lock().unwrap();
                    let now = Instant::now();
                    while a.1.front().is_some_and(|&t| t + w <= now) {
                        a.1.pop_front();
                    }
                    let admitted = a.1.len() < n;
                    if admitted {
                        a.1.push_back(now);
                    }
                    admitted
                };
                if !admitted {
                    seen.lock().unwrap().too_many += 1;
                    return (axum::http::StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], String::new());
                }
                tokio::time::sleep(Duration::from_millis([0, 200, 100, 30, 150, 0, 250][k % 7])).await;
                seen.lock().unwrap().ok += 1;
                (axum::http::StatusCode::OK, [("content-type", "application/json")], r#"{"id": 1}"#.to_string())
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test(start_paused = true)]
async fn a_server_applying_the_same_rule_never_answers_429() {
    let (n, w) = (10, Duration::from_secs(30));
    let (url, seen) = strict_server(n, w).await;
    install_tls_provider();
    let http = reqwest::Client::builder().pool_idle_timeout(None).build().unwrap();
    let client = mocoapp::Client::builder()
        .base_url(url)
        .api_key(KEY)
        .http_client(http)
        .rate_limit(RateLimit::per_window(n as u32, w))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..4 * n as i64)
        .map(|i| {
            let client = if i % 2 == 0 { client.clone() } else { client.impersonate(i) };
            tokio::spawn(async move { client.get_session().send().await.map(|_| ()) })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    let seen = seen.lock().unwrap();
    assert_eq!((seen.ok, seen.too_many), (4 * n, 0));
    assert!(results.iter().all(Result::is_ok));
    assert!(started.elapsed() >= w * 3, "four windows' worth: {:?}", started.elapsed());
}

#[test]
fn presets_match_mocos_plans() {
    assert_eq!(RateLimit::default(), RateLimit::standard());
    assert_eq!(RateLimit::standard(), RateLimit::per_window(120, Duration::from_secs(120)));
    assert_eq!(RateLimit::unlimited_plan(), RateLimit::per_window(1200, Duration::from_secs(120)));
    assert_eq!(RateLimit::per_window(5, Duration::from_secs(1)), RateLimit::PerWindow { requests: 5, window: Duration::from_secs(1) });
    assert_eq!(RateLimit::off(), RateLimit::Off);
}
