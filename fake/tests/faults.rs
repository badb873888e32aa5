//! The faults that stand for a busy or broken MOCO in the client's fault matrix: 429 storms,
//! resets after the request took effect, stalled answers and oversized bodies. Each is checked
//! on the wire (status, headers, body) and against the store (did the request take effect?).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client as HttpClient, rt::TokioExecutor};
use moco_fake::{http::HeaderMap, FakeConfig, FakeMoco, Faults};
use mocoapp::{Error, RetryPolicy};
use serde_json::{json, Value};

async fn fake() -> FakeMoco {
    FakeMoco::start(FakeConfig::default()).await.expect("the fake starts")
}

/// A raw request with the fake's key: status, headers and body.
async fn raw(fake: &FakeMoco, method: &str, path: &str, body: &str) -> (u16, HeaderMap, Bytes) {
    let client: HttpClient<_, Full<Bytes>> = HttpClient::builder(TokioExecutor::new()).build_http();
    let request = hyper::Request::builder()
        .method(method)
        .uri(format!("{}{}", fake.url(), path))
        .header("authorization", format!("Token token={}", fake.api_key()))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body)
}

fn project_count(fake: &FakeMoco) -> usize {
    fake.entities("/projects").unwrap().len()
}

/// A valid `create_project` body.
fn new_project(fake: &FakeMoco) -> String {
    let leader = fake.entities("/users").unwrap()[0]["id"].clone();
    let customer = fake.entities("/companies").unwrap()[0]["id"].clone();
    json!({"name": "Faulty", "currency": "EUR", "leader_id": leader, "customer_id": customer}).to_string()
}

#[tokio::test]
async fn a_429_fault_answers_with_retry_after_and_does_not_process_the_request() {
    let fake = fake().await;
    let before = project_count(&fake);
    fake.set_faults(Faults::none().rate_limited(1.0, Duration::from_millis(1500)));
    let (status, headers, body) = raw(&fake, "POST", "/projects", &new_project(&fake)).await;
    assert_eq!(status, 429);
    assert_eq!(headers["retry-after"], "2", "whole seconds, rounded up");
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["message"].as_str().unwrap().contains("Rate limit exceeded"));
    assert_eq!(project_count(&fake), before, "not processed");
    assert_eq!(fake.requests_seen().last().unwrap().status, 429);
    // A storm that ends: after `max_faults` the requests go through.
    fake.set_faults(Faults::none().rate_limited(1.0, Duration::ZERO).max_faults(2));
    let statuses = [
        raw(&fake, "GET", "/projects", "").await.0,
        raw(&fake, "GET", "/projects", "").await.0,
        raw(&fake, "GET", "/projects", "").await.0,
    ];
    assert_eq!(statuses, [429, 429, 200]);
    assert_eq!(fake.requests_seen().iter().rev().nth(1).unwrap().headers.get("retry-after"), None);
}

#[tokio::test]
async fn a_reset_after_processing_takes_effect_without_an_answer() {
    let fake = fake().await;
    let before = project_count(&fake);
    let body: Value = serde_json::from_str(&new_project(&fake)).unwrap();
    fake.set_faults(Faults::none().resets_after_processing(1.0));
    let client = fake.client_builder().retry(RetryPolicy::none()).build().unwrap();
    let result: Result<Value, Error> = client.request(reqwest::Method::POST, "/projects").json(&body).send().await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(project_count(&fake), before + 1, "the request took effect");
    let seen = fake.requests_seen().pop().unwrap();
    assert_eq!((seen.status, seen.operation_id.as_deref()), (0, Some("create_project")));
    // The fake keeps serving.
    fake.set_faults(Faults::none());
    assert_eq!(raw(&fake, "GET", "/projects", "").await.0, 200);
}

#[tokio::test]
async fn a_stall_holds_back_the_answer_after_processing() {
    let fake = fake().await;
    let before = project_count(&fake);
    fake.set_faults(Faults::none().stalls(1.0, Duration::from_millis(400)));
    let started = Instant::now();
    let (status, _, _) = raw(&fake, "POST", "/projects", &new_project(&fake)).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
    assert_eq!(project_count(&fake), before + 1);
    // A client that gives up sooner sees a timeout; the request took effect all the same.
    let impatient = fake.client_builder().retry(RetryPolicy::none()).timeout(Some(Duration::from_millis(100))).build().unwrap();
    assert!(matches!(impatient.list_projects().send().await, Err(Error::Transport(e)) if e.is_timeout()));
    let body: Value = serde_json::from_str(&new_project(&fake)).unwrap();
    let created: Result<Value, Error> = impatient.request(reqwest::Method::POST, "/projects").json(&body).send().await;
    assert!(matches!(created, Err(Error::Transport(e)) if e.is_timeout()));
    assert_eq!(project_count(&fake), before + 2);
}

#[tokio::test]
async fn an_oversized_body_is_the_real_json_padded_and_streamed_without_a_length() {
    let fake = fake().await;
    let (_, headers, plain) = raw(&fake, "GET", "/projects", "").await;
    assert!(headers.contains_key("content-length"));
    fake.set_faults(Faults::none().oversized_body(1.0, 3 * 1024 * 1024 + 7));
    let (status, headers, padded) = raw(&fake, "GET", "/projects", "").await;
    assert_eq!(status, 200);
    assert!(!headers.contains_key("content-length"), "streamed: {headers:?}");
    assert_eq!(padded.len(), plain.len() + 3 * 1024 * 1024 + 7);
    let (plain, padded): (Value, Value) = (serde_json::from_slice(&plain).unwrap(), serde_json::from_slice(&padded).unwrap());
    assert_eq!(padded, plain, "the same JSON");
    // Only JSON is padded: a PDF download is left as it is.
    let invoice = fake.entities("/invoices").unwrap()[0]["id"].as_i64().unwrap();
    let (_, headers, pdf) = raw(&fake, "GET", &format!("/invoices/{invoice}.pdf"), "").await;
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(pdf.starts_with(b"%PDF") && pdf.len() < 1024 * 1024);
}

#[tokio::test]
async fn a_truncated_body_arrives_with_its_headers_and_half_of_it() {
    let fake = fake().await;
    fake.set_faults(Faults::none().truncated_body(1.0));
    let client: HttpClient<_, Full<Bytes>> = HttpClient::builder(TokioExecutor::new()).build_http();
    let request = hyper::Request::builder()
        .uri(format!("{}/projects", fake.url()))
        .header("authorization", format!("Token token={}", fake.api_key()))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = client.request(request).await.expect("the status and headers arrive");
    assert_eq!(response.status(), 200);
    let length: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    let mut body = response.into_body();
    let mut received = 0;
    let error = loop {
        match body.frame().await {
            Some(Ok(frame)) => received += frame.data_ref().map_or(0, |d| d.len()),
            Some(Err(error)) => break error,
            None => panic!("the body ended normally after {received} of {length} bytes"),
        }
    };
    assert_eq!(received, length / 2, "{error}");
}
