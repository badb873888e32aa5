//! Every request runs in a `moco.request` span with its operation, method, path, status and
//! attempts; nothing logged, even at TRACE level and by reqwest/hyper, contains the API key.
//!
//! A test binary of its own: tracing caches per-callsite interest process-wide, so tests in other
//! threads hitting the same callsites without a subscriber would hide the spans from this one.

use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use mocoapp::RetryPolicy;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;

use support::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn requests_are_traced_without_the_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects/7");
            then.status(503).body("").up_to_n_times(1);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects/7");
            then.status(200).json_body(json!({"id": 7, "name": "Traced"}));
        })
        .await;
    let retry = RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(1));
    let client = builder(&server).retry(retry).build().unwrap();
    client.get_project(7).send().await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closed = log.lines().find(|l| l.contains("moco.request") && l.contains("close")).unwrap_or_else(|| panic!("{log}"));
    for field in ["operation=\"get_project\"", "method=GET", "path=\"/api/v1/projects/7\"", "status=200", "attempts=2"] {
        assert!(closed.contains(field), "{field} missing in {closed}");
    }
    assert!(log.contains("retrying"), "{log}");
    assert!(!log.contains(KEY), "the key is in the log:\n{log}");
}
