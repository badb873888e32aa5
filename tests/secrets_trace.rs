//! The API key never shows in anything a program logs: with a global subscriber taking every
//! `tracing` event and span of every crate at TRACE (hyper-util, h2 when used, this crate's own
//! `moco.request` spans and retry warnings...) and a `log` logger taking the `log` records of
//! reqwest and rustls-platform-verifier, the client
//! goes through success, 401, 403, 404, 422, 429 then success, 429 given up, 5xx, a timeout,
//! refused connections (http and https), an undecodable answer, impersonation, login and the raw
//! `Client::request`, against a server that echoes the `Authorization` header into its bodies.
//! Nothing captured, and no `Display` or `Debug` of any error (nor of its sources), contains the
//! key or a piece of it.
//!
//! A test binary of its own: the subscriber and the logger are process-wide.

use std::{
    error::Error as _,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex, OnceLock,
    },
    time::Duration,
};

use axum::{
    body::Bytes,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use mocoapp::{AuthScheme, Client, Error, RateLimit, RetryPolicy};
use serde_json::{json, Value};
use tracing_subscriber::fmt::format::FmtSpan;

/// A key with a distinctive middle, so that a piece of it would be found too.
const KEY: &str = "mk-live-Q7xZ4b7e19d2c0a8f3Lw";
/// Pieces of the key that must not appear either (a cut excerpt, a partial echo).
const PIECES: [&str; 3] = ["Q7xZ4b7e19", "4b7e19d2c0a8f3", "d2c0a8f3Lw"];

/// Everything logged, by `tracing` and by `log`.
fn captured() -> &'static Mutex<Vec<u8>> {
    static CAPTURED: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    CAPTURED.get_or_init(Mutex::default)
}

struct Writer;

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        captured().lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// reqwest logs through the `log` crate (e.g. its verbose connection logging, redirects).
struct Logger;

impl log::Log for Logger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("LOG {} {}: {}\n", record.level(), record.target(), record.args());
        captured().lock().unwrap().extend_from_slice(line.as_bytes());
    }
    fn flush(&self) {}
}

fn install_capture() {
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_target(true)
        .with_writer(|| Writer)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this binary");
    log::set_logger(&Logger).expect("the only logger of this binary");
    log::set_max_level(log::LevelFilter::Trace);
}

/// A MOCO stand-in whose error bodies repeat the request's `Authorization` header, as a
/// misconfigured proxy might. It logs nothing itself.
#[derive(Clone, Default)]
struct Server {
    limited: Arc<AtomicUsize>,
}

async fn handle(
    axum::extract::State(server): axum::extract::State<Server>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let json = |status: u16, value: Value| {
        (StatusCode::from_u16(status).unwrap(), [("content-type", "application/json")], value.to_string()).into_response()
    };
    let path = uri.path().strip_prefix("/api/v1").unwrap_or_default();
    match (method.as_str(), path) {
        ("GET", "/projects/1") => json(200, json!({"id": 1, "name": "P"})),
        ("GET", "/projects/401") => json(401, json!({"message": format!("bad credentials: {auth}")})),
        ("GET", "/projects/403") => json(403, json!({"message": format!("{auth} lacks the Staff permission")})),
        ("GET", "/projects/404") => json(404, json!({"message": format!("no project for {auth}")})),
        ("POST", "/projects") => {
            json(422, json!({"message": format!("invalid, sent with {auth}"), "errors": {"name": [format!("can't be blank ({auth})")]}}))
        }
        ("GET", "/projects/429") => {
            if server.limited.fetch_add(1, Ordering::SeqCst) == 0 {
                (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], format!("slow down, {auth}")).into_response()
            } else {
                json(200, json!({"id": 429, "name": "after the pause"}))
            }
        }
        ("GET", "/projects/4290") => (StatusCode::TOO_MANY_REQUESTS, format!("{{\"message\": \"limit for {auth}\"}}")).into_response(),
        ("GET", "/projects/503") => {
            (StatusCode::SERVICE_UNAVAILABLE, [("content-type", "text/html")], format!("<html>upstream failed for {auth}</html>"))
                .into_response()
        }
        ("GET", "/projects/200") => (StatusCode::OK, [("content-type", "application/json")], format!("debug: {auth}")).into_response(),
        ("GET", "/projects/slow") => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            json(200, json!({"id": 2, "name": "late"}))
        }
        ("POST", "/session") => json(200, json!({"id": 1, "uuid": "u", "api_key": KEY})),
        ("GET", "/custom") => json(200, json!({"seen": headers.contains_key("authorization")})),
        ("POST", "/custom") => json(500, json!({"message": format!("{auth} broke it"), "body": String::from_utf8_lossy(&body)})),
        _ => json(404, json!({"message": format!("no route for {auth}")})),
    }
}

async fn start_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/v1", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(handle).with_state(Server::default());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(KEY), "the key is in {what}:\n{text}");
    for piece in PIECES {
        assert!(!text.contains(piece), "a piece of the key ({piece}) is in {what}:\n{text}");
    }
}

/// `Display` and `Debug` of the error and of every error in its `source()` chain.
fn assert_error_clean(scenario: &str, err: &Error) {
    let mut texts = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    let mut source = err.source();
    while let Some(inner) = source {
        texts.push(inner.to_string());
        texts.push(format!("{inner:?}"));
        source = inner.source();
    }
    for text in texts {
        assert_clean(&format!("the {scenario} error"), &text);
    }
    // Through a subscriber too, as applications log them.
    tracing::error!(error = %err, details = ?err, scenario, "call failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_in_no_log_line_and_no_error_whatever_happens() {
    install_capture();
    let url = start_server().await;
    let builder = Client::builder().base_url(&url).api_key(KEY).rate_limit(RateLimit::off()).retry(fast_retries());
    let client = builder.clone().build().unwrap();
    tracing::info!(?builder, ?client, "set up");

    // Success, with the client's spans at TRACE.
    assert_eq!(client.get_project(1).send().await.unwrap().id, 1);
    // Error statuses, each body echoing the Authorization header.
    let mut errors = vec![
        ("401", client.get_project(401).send().await.unwrap_err()),
        ("404", client.get_project(404).send().await.unwrap_err()),
        ("422", client.create_project().body_map(|b| b.name("x").currency("EUR").leader_id(1).customer_id(2)).send().await.unwrap_err()),
        ("5xx", client.get_project(503).send().await.unwrap_err()),
        ("decode", client.get_project(200).send().await.unwrap_err()),
    ];
    assert!(matches!(errors[0].1, Error::Unauthorized { .. }), "{:?}", errors[0].1);
    assert!(matches!(errors[1].1, Error::NotFound { .. }), "{:?}", errors[1].1);
    assert!(matches!(errors[2].1, Error::Unprocessable { .. }), "{:?}", errors[2].1);
    assert!(matches!(errors[3].1, Error::Http { .. }), "{:?}", errors[3].1);
    assert!(matches!(errors[4].1, Error::Decode { .. }), "{:?}", errors[4].1);

    // 429 with Retry-After, then success; and a 429 given up at once.
    assert_eq!(client.get_project(429).send().await.unwrap().id, 429);
    let no_retries = builder.clone().retry(RetryPolicy::none()).build().unwrap();
    errors.push(("429", no_retries.get_project(4290).send().await.unwrap_err()));
    assert!(matches!(errors.last().unwrap().1, Error::RateLimited { .. }));

    // Impersonation: success and a refusal.
    let colleague = client.impersonate(933589591);
    tracing::info!(?colleague, "impersonating");
    assert_eq!(colleague.get_project(1).send().await.unwrap().id, 1);
    errors.push(("403", colleague.get_project(403).send().await.unwrap_err()));
    assert!(matches!(errors.last().unwrap().1, Error::Forbidden { .. }));

    // The raw escape hatch: success, an error status with a body, an error without a route.
    let seen: Value = client.request(Method::GET, "/custom").send().await.unwrap();
    assert_eq!(seen, json!({"seen": true}));
    errors.push(("raw 500", client.request(Method::POST, "/custom").json(&json!({"k": "v"})).send::<Value>().await.unwrap_err()));
    errors.push(("raw 404", colleague.request(Method::GET, "/nowhere").send::<Value>().await.unwrap_err()));

    // Login: the key arrives in a response body.
    let logged_in = Client::builder().base_url(&url).rate_limit(RateLimit::off()).login("a@example.com", "pw").await.unwrap();
    tracing::info!(?logged_in, "logged in");
    assert_eq!(logged_in.get_project(1).send().await.unwrap().id, 1);

    // The Bearer scheme.
    let bearer = builder.clone().auth_scheme(AuthScheme::Bearer).build().unwrap();
    errors.push(("bearer 401", bearer.get_project(401).send().await.unwrap_err()));

    // Transport errors: a refused connection (retried, so the retry warning is logged), over
    // http and https, and a timeout.
    let refused = Client::builder()
        .base_url(format!("http://127.0.0.1:{}/api/v1", closed_port()))
        .api_key(KEY)
        .rate_limit(RateLimit::off())
        .retry(fast_retries())
        .build()
        .unwrap();
    errors.push(("refused", refused.get_project(1).send().await.unwrap_err()));
    let refused_tls = Client::builder()
        .base_url(format!("https://127.0.0.1:{}/api/v1", closed_port()))
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    errors.push(("refused TLS", refused_tls.get_project(1).send().await.unwrap_err()));
    let impatient = builder.clone().timeout(Some(Duration::from_millis(200))).retry(RetryPolicy::none()).build().unwrap();
    errors.push(("timeout", impatient.request(Method::GET, "/projects/slow").send::<Value>().await.unwrap_err()));
    for (scenario, err) in &errors[errors.len() - 3..] {
        assert!(matches!(err, Error::Transport(_)), "{scenario}: {err:?}");
    }

    // Setup errors.
    errors
        .push(("malformed key", Client::builder().base_url(&url).api_key(format!("{}\n{}", &KEY[..12], &KEY[12..])).build().unwrap_err()));
    errors.push(("plain http", Client::builder().base_url("http://example.com/api/v1").api_key(KEY).build().unwrap_err()));

    for (scenario, err) in &errors {
        assert_error_clean(scenario, err);
    }

    let log = String::from_utf8_lossy(&captured().lock().unwrap()).into_owned();
    // The capture did see the client's spans, the retries and the HTTP stack's own events...
    for expected in [
        "moco.request",
        "operation=\"get_project\"",
        "operation=\"raw_request\"",
        "retrying",
        "hyper_util",
        "LOG DEBUG reqwest::connect",
        "call failed",
    ] {
        assert!(log.contains(expected), "{expected:?} was not captured: is the subscriber set up?\n{log}");
    }
    // ...and none of it holds the key.
    assert_clean("the TRACE log", &log);
}
