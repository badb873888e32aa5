//! Where the fake is strict because a test needs it to be: unknown query parameters refused on
//! request (`strict`), a login that checks the password and hands out that user's own key, a
//! request body over the limit refused with 413, and a shutdown that is over when it returns.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client as HttpClient, rt::TokioExecutor};
use moco_fake::{
    http::{HeaderMap, Method},
    FakeConfig, FakeMoco, Faults, DEFAULT_MAX_REQUEST_BODY, DEFAULT_PASSWORD,
};
use mocoapp::{Error, RetryPolicy};
use serde_json::{json, Value};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A plain HTTP request (no mocoapp in between): status, headers and body.
async fn plain(method: &str, url: &str, headers: &[(&str, String)], body: impl Into<Bytes>) -> (u16, HeaderMap, Bytes) {
    let client: HttpClient<_, Full<Bytes>> = HttpClient::builder(TokioExecutor::new()).build_http();
    let mut request = hyper::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = client.request(request.body(Full::new(body.into())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.into_body().collect().await.unwrap().to_bytes())
}

fn key(fake: &FakeMoco) -> (&'static str, String) {
    ("authorization", format!("Token token={}", fake.api_key()))
}

const JSON: (&str, &str) = ("content-type", "application/json");

/// An id as MOCO may send it (`7`, `7.0` or `"7"`).
fn id(value: &Value) -> i64 {
    value
        .as_i64()
        .or_else(|| value.as_f64().map(|f| f as i64))
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("{value} is no id"))
}

async fn fake_with(config: FakeConfig) -> FakeMoco {
    FakeMoco::start(config).await.expect("the fake starts")
}

/// The message of a 400 from the mocoapp client.
fn bad_request(result: std::result::Result<Value, Error>) -> String {
    match result {
        Err(Error::Http { status, message: Some(message), .. }) if status == 400 => message,
        other => panic!("expected 400, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Strict query parameters

#[tokio::test]
async fn unknown_query_parameters_are_ignored_like_moco_unless_strict() -> Result {
    let fake = fake_with(FakeConfig::default()).await;
    let client = fake.client();
    let typo = || client.request(Method::GET, "/projects").query("compnay_id", 999_999).send::<Value>();
    assert!(!fake.strict());
    let lenient = client.list_projects().per_page(10).collect_all().await?;
    let unfiltered: Value = client.request(Method::GET, "/projects").send().await?;
    assert!(!unfiltered.as_array().unwrap().is_empty());
    assert_eq!(typo().await?, unfiltered, "ignored by default, as MOCO does");

    fake.set_strict(true);
    assert_eq!(bad_request(typo().await), "unknown query parameter `compnay_id` for list_projects (moco-fake --strict)");
    // On an operation with no query parameters at all, too.
    let session = client.request(Method::GET, "/session").query("verbose", "1").send::<Value>().await;
    assert_eq!(bad_request(session), "unknown query parameter `verbose` for get_session (moco-fake --strict)");
    // `[..]` keys only for a declared deepObject parameter.
    let bracketed = client.request(Method::GET, "/projects").query("ids[0]", 1).send::<Value>().await;
    assert!(bad_request(bracketed).contains("`ids[0]`"));

    // What the spec declares still passes: paging, filters, custom field keys, with the typed
    // client and with raw calls.
    let company = fake.entities("/projects").unwrap()[0]["customer"]["id"].as_i64().unwrap();
    let filtered: Value = client
        .request(Method::GET, "/projects")
        .query("company_id", company)
        .query("include_archived", true)
        .query("custom_properties[Sector]", "Automotive")
        .query("custom_properties[Tags][]", "A")
        .query("per_page", 5)
        .query("page", 1)
        .send()
        .await?;
    assert!(filtered.is_array());
    let strict = client.list_projects().per_page(10).collect_all().await?;
    assert!(lenient.len() > 10);
    assert_eq!(strict, lenient, "the client's own paging (page, per_page) is declared");
    client.list_activities().from(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).send().await?;
    client.verify_key().await?;

    fake.set_strict(false);
    assert!(typo().await.is_ok(), "switched off at run time");
    Ok(())
}

#[tokio::test]
async fn strict_from_the_start_and_over_plain_http() -> Result {
    let fake = fake_with(FakeConfig { strict: true, ..FakeConfig::default() }).await;
    let (status, _, body) = plain("GET", &format!("{}/projects?per_page=2&sort_by=name&compnay_id=1", fake.url()), &[key(&fake)], "").await;
    assert_eq!(status, 400);
    assert_eq!(
        serde_json::from_slice::<Value>(&body)?,
        json!({ "message": "unknown query parameter `compnay_id` for list_projects (moco-fake --strict)" })
    );
    let (status, ..) = plain("GET", &format!("{}/projects?per_page=2&sort_by=name%20desc", fake.url()), &[key(&fake)], "").await;
    assert_eq!(status, 200);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Login

fn user(fake: &FakeMoco, index: usize) -> (i64, String) {
    let users = fake.entities("/users").unwrap();
    let user = if index == 0 {
        users.iter().find(|u| u["id"] == fake.owner_id()).unwrap()
    } else {
        users.iter().filter(|u| u["id"] != fake.owner_id()).nth(index - 1).unwrap()
    };
    (user["id"].as_i64().unwrap(), user["email"].as_str().unwrap().to_string())
}

/// `POST /session`: the status, and the body with `user_id` as a plain integer.
async fn login(fake: &FakeMoco, email: &str, password: &str) -> (u16, Value) {
    let body = json!({ "email": email, "password": password }).to_string();
    let (status, _, answer) = plain("POST", &format!("{}/session", fake.url()), &[(JSON.0, JSON.1.into())], body).await;
    let mut answer: Value = serde_json::from_slice(&answer).unwrap();
    if let Some(user) = answer.get("user_id").map(id) {
        answer["user_id"] = json!(user);
    }
    (status, answer)
}

#[tokio::test]
async fn a_login_checks_the_password_and_hands_out_that_users_own_key() -> Result {
    let fake = fake_with(FakeConfig::default()).await;
    let (owner, owner_email) = user(&fake, 0);
    let (colleague, colleague_email) = user(&fake, 1);

    assert_eq!(login(&fake, &owner_email, DEFAULT_PASSWORD).await, (200, json!({ "api_key": fake.api_key(), "user_id": owner })));
    let (status, body) = login(&fake, &colleague_email.to_uppercase(), DEFAULT_PASSWORD).await;
    assert_eq!(status, 200, "emails compare without case");
    let key = body["api_key"].as_str().unwrap().to_string();
    assert_eq!((body["user_id"].as_i64(), Some(key.clone())), (Some(colleague), fake.user_api_key(colleague)));
    assert_ne!(key, fake.api_key());

    // MOCO's bare 401, the same for a wrong password and an unknown email.
    let wrong = login(&fake, &colleague_email, "not-the-password").await;
    assert_eq!(wrong, (401, json!({ "message": "Unauthorized" })));
    assert_eq!(login(&fake, "nobody@example.com", DEFAULT_PASSWORD).await, wrong);
    assert_eq!(login(&fake, &colleague_email, "").await, wrong);

    // The key works, and acts as that user.
    let as_colleague = mocoapp::Client::builder()
        .base_url(fake.url())
        .rate_limit(mocoapp::RateLimit::off())
        .login(&colleague_email, DEFAULT_PASSWORD)
        .await?;
    assert_eq!(as_colleague.verify_key().await?.id, colleague);
    let project = fake.entities("/projects").unwrap()[0].clone();
    let task = project["tasks"][0]["id"].as_i64().unwrap();
    let activity: Value = as_colleague
        .request(Method::POST, "/activities")
        .json(&json!({ "date": "2024-07-01", "project_id": project["id"], "task_id": task, "seconds": 600 }))
        .send()
        .await?;
    assert_eq!(activity["user"]["id"], colleague, "created as the key's owner");
    let refused = mocoapp::Client::builder().base_url(fake.url()).retry(RetryPolicy::none()).login(&colleague_email, "wrong").await;
    assert!(matches!(&refused, Err(Error::Unauthorized { message: Some(m) }) if m == "Unauthorized"), "{refused:?}");

    // A key nobody was given is refused; a deleted user's key stops working.
    let made_up =
        mocoapp::Client::builder().base_url(fake.url()).api_key("0123456789abcdef0123456789abcdef").retry(RetryPolicy::none()).build()?;
    assert!(matches!(made_up.verify_key().await, Err(Error::Unauthorized { .. })));
    fake.client().delete_user(colleague).send().await?;
    assert!(matches!(as_colleague.verify_key().await, Err(Error::Unauthorized { .. })));
    assert_eq!(fake.user_api_key(colleague), None);
    Ok(())
}

#[tokio::test]
async fn passwords_are_configurable_and_set_by_creating_or_updating_a_user() -> Result {
    let fake = fake_with(FakeConfig { password: "hunter2".into(), ..FakeConfig::default() }).await;
    let (owner, owner_email) = user(&fake, 0);
    assert_eq!(login(&fake, &owner_email, DEFAULT_PASSWORD).await.0, 401);
    assert_eq!(login(&fake, &owner_email, "hunter2").await.1["user_id"], owner);
    assert_eq!(login(&fake, &owner_email, "hunter2").await.1["api_key"], fake.api_key());

    let client = fake.client();
    let unit = fake.entities("/units").unwrap()[0]["id"].clone();
    let with: Value = client
        .request(Method::POST, "/users")
        .json(&json!({ "firstname": "Ada", "lastname": "Lovelace", "email": "ada@example.com", "unit_id": unit, "password": "analytical" }))
        .send()
        .await?;
    let without: Value = client
        .request(Method::POST, "/users")
        .json(&json!({ "firstname": "Alan", "lastname": "Turing", "email": "alan@example.com", "unit_id": unit }))
        .send()
        .await?;
    assert!(with.get("password").is_none(), "a password is never shown");
    assert_eq!(login(&fake, "ada@example.com", "analytical").await.1["user_id"], id(&with["id"]));
    assert_eq!(login(&fake, "ada@example.com", "hunter2").await.0, 401);
    assert_eq!(login(&fake, "alan@example.com", "hunter2").await.1["user_id"], id(&without["id"]), "no password given: the configured one");

    let ada = id(&with["id"]);
    let _: Value = client.request(Method::PUT, &format!("/users/{ada}")).json(&json!({ "password": "engine" })).send().await?;
    assert_eq!(login(&fake, "ada@example.com", "analytical").await.0, 401);
    assert_eq!(login(&fake, "ada@example.com", "engine").await.0, 200);
    // A refused update changes nothing.
    let refused = client
        .request(Method::PUT, &format!("/users/{ada}"))
        .json(&json!({ "password": "x", "unit_id": "not a number" }))
        .send::<Value>()
        .await;
    assert!(refused.is_err());
    assert_eq!(login(&fake, "ada@example.com", "engine").await.0, 200);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Request body limit

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_with_a_message_and_takes_no_effect() -> Result {
    let fake = fake_with(FakeConfig { max_request_body: 1024, ..FakeConfig::default() }).await;
    let projects = fake.entities("/projects").unwrap().len();
    let body = |size: usize| {
        let base =
            json!({ "name": "", "currency": "EUR", "leader_id": fake.owner_id(), "customer_id": fake.entities("/companies").unwrap()[0]["id"] })
                .to_string();
        json!({ "name": "x".repeat(size - base.len()), "currency": "EUR", "leader_id": fake.owner_id(), "customer_id": fake.entities("/companies").unwrap()[0]["id"] }).to_string()
    };
    let url = format!("{}/projects", fake.url());
    let headers = [key(&fake), (JSON.0, JSON.1.into())];
    let (status, _, answer) = plain("POST", &url, &headers, body(1024)).await;
    assert_eq!(status, 200, "exactly at the limit is fine: {answer:?}");
    let (status, over_headers, answer) = plain("POST", &url, &headers, body(1025)).await;
    assert_eq!(status, 413);
    assert!(over_headers["content-type"].to_str()?.starts_with("application/json"));
    let message = serde_json::from_slice::<Value>(&answer)?["message"].as_str().unwrap().to_string();
    assert!(message.contains("1024 bytes"), "{message}");
    let seen = fake.requests_seen().pop().unwrap();
    assert_eq!((seen.status, seen.operation_id.as_deref()), (413, Some("create_project")));
    // Far over the limit, still sending: the client reads the 413, not a reset.
    assert_eq!(plain("POST", &url, &headers, vec![b' '; 8 << 20]).await.0, 413);
    assert_eq!(fake.entities("/projects").unwrap().len(), projects + 1, "only the body within the limit took effect");

    // Through the mocoapp client: a typed error with the message.
    let refused = fake.client().request(Method::POST, "/projects").json(&json!({ "name": "y".repeat(2000) })).send::<Value>().await;
    assert!(matches!(&refused, Err(Error::Http { status, message: Some(m), .. }) if *status == 413 && m.contains("1024")), "{refused:?}");
    Ok(())
}

#[tokio::test]
async fn the_default_limit_is_64_mib() -> Result {
    assert_eq!(DEFAULT_MAX_REQUEST_BODY, 64 * 1024 * 1024);
    let fake = fake_with(FakeConfig::default()).await;
    let (status, ..) = plain(
        "POST",
        &format!("{}/projects", fake.url()),
        &[key(&fake), (JSON.0, JSON.1.into())],
        vec![b' '; DEFAULT_MAX_REQUEST_BODY + 1],
    )
    .await;
    assert_eq!(status, 413);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Shutdown

#[tokio::test]
async fn after_shutdown_returns_the_port_refuses_connections() -> Result {
    let fake = fake_with(FakeConfig::default()).await;
    let addr = fake.addr();
    // A pooled keep-alive connection does not hold the shutdown up.
    fake.client().list_units().send().await?;
    let started = Instant::now();
    fake.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    let refused = tokio::net::TcpStream::connect(addr).await.expect_err("nothing listens any more");
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    Ok(())
}

#[tokio::test]
async fn a_request_in_progress_is_answered_before_shutdown_returns() -> Result {
    // Every answer is held back 400 ms after the request took effect (and was recorded).
    let fake = fake_with(FakeConfig { faults: Faults::none().stalls(1.0, Duration::from_millis(400)), ..FakeConfig::default() }).await;
    let addr = fake.addr();
    let client = fake.client_builder().retry(RetryPolicy::none()).build()?;
    let in_flight = tokio::spawn(async move { client.list_units().send().await });
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.requests_seen().is_empty() {
        assert!(Instant::now() < deadline, "the request never arrived");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    fake.shutdown().await;
    let waited = started.elapsed();
    let units = in_flight.await?.expect("the request in progress is answered, not cut off");
    assert!(!units.is_empty());
    assert!(waited >= Duration::from_millis(200), "shutdown waited for the answer ({waited:?})");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    Ok(())
}
