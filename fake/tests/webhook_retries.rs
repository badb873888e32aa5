//! Web hook deliveries as MOCO makes them: a receiver that fails is retried with growing waits
//! (same body, signature and timestamp every time), one that keeps failing gets its hook
//! disabled, and a success resets the count. The waits are measured at the receiver, not taken
//! from the fake's own log.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{body::Bytes, extract::State, http::StatusCode};
use moco_fake::{http::HeaderMap, DeliveryOutcome, FakeConfig, FakeMoco, WebhookDelivery, WebhookRetry};
use mocoapp::types;
use serde_json::{json, Value};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Hit {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Clone)]
struct Script {
    /// The status of the first, second, ... request; 200 after the list.
    statuses: Arc<Vec<u16>>,
    /// How long each answer takes.
    delay: Duration,
    hits: Arc<Mutex<Vec<Hit>>>,
}

/// A receiver on loopback that answers its requests with `statuses` in turn (200 after them).
async fn receiver(statuses: &[u16], delay: Duration) -> (String, Arc<Mutex<Vec<Hit>>>) {
    let hits = Arc::new(Mutex::new(Vec::new()));
    let script = Script { statuses: Arc::new(statuses.to_vec()), delay, hits: hits.clone() };
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(|State(script): State<Script>, headers: HeaderMap, body: Bytes| async move {
                let n = {
                    let mut hits = script.hits.lock().unwrap();
                    hits.push(Hit { at: Instant::now(), headers, body });
                    hits.len() - 1
                };
                tokio::time::sleep(script.delay).await;
                StatusCode::from_u16(script.statuses.get(n).copied().unwrap_or(200)).unwrap()
            }),
        )
        .with_state(script);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

/// Waits (up to 10 s) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn fake(retry: WebhookRetry) -> FakeMoco {
    FakeMoco::start(FakeConfig { webhook_retry: retry, ..FakeConfig::default() }).await.expect("the fake starts")
}

/// A hook for created tasks, posting to `url`.
async fn task_hook(fake: &FakeMoco, url: &str) -> Result<i64> {
    let hook = fake
        .client()
        .create_web_hook()
        .body_map(|b| b.target(types::WebHookCreateTarget::Task).event(types::WebHookCreateEvent::Create).hook(url.to_string()))
        .send()
        .await?;
    Ok(hook.id)
}

/// Creates a task (a `Task` `create` event).
async fn create_task(fake: &FakeMoco, name: &str) -> Result<i64> {
    let project = fake.entities("/projects").unwrap()[0]["id"].as_i64().unwrap();
    let task: Value = fake
        .client()
        .request(moco_fake::http::Method::POST, &format!("/projects/{project}/tasks"))
        .json(&json!({ "name": name }))
        .send()
        .await?;
    Ok(task["id"].as_i64().unwrap())
}

fn attempts_of(fake: &FakeMoco, hook: i64) -> Vec<WebhookDelivery> {
    fake.webhook_deliveries().into_iter().filter(|d| d.hook_id == hook).collect()
}

fn header<'a>(hit: &'a Hit, name: &str) -> &'a str {
    hit.headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_growing_waits_and_the_same_signed_body() -> Result {
    let retry = WebhookRetry::moco().backoff(Duration::from_millis(60), Duration::from_secs(5));
    let fake = fake(retry).await;
    // A 5xx, a redirect and a 404 are all failures: only a 2xx counts.
    let (url, hits) = receiver(&[500, 302, 404], Duration::ZERO).await;
    let hook = task_hook(&fake, &url).await?;
    let task = create_task(&fake, "Retried until it lands").await?;
    eventually("four attempts", || hits.lock().unwrap().len() == 4).await;
    eventually("the log of the fourth", || attempts_of(&fake, hook).len() == 4).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hits = hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 4, "no attempt after the success");

    // Growing waits, each at least the scheduled one (60, 120, 240 ms), measured at the receiver.
    let gaps: Vec<Duration> = hits.windows(2).map(|w| w[1].at - w[0].at).collect();
    for (gap, scheduled) in gaps.iter().zip([60, 120, 240]) {
        assert!(*gap >= Duration::from_millis(scheduled), "waits {gaps:?}");
    }
    // (Each bound above is a lower one: a loaded machine adds to any wait, so only the first and
    // last are compared directly; the log below has the exact schedule.)
    assert!(gaps[0] < gaps[2], "waits grow: {gaps:?}");

    // The same delivery every time: body, signature and the event's timestamp.
    for hit in &hits[1..] {
        assert_eq!(hit.body, hits[0].body);
        for name in [
            "x-moco-signature",
            "x-moco-timestamp",
            "x-moco-target",
            "x-moco-event",
            "x-moco-user-id",
            "x-moco-account-url",
            "x-moco-origin",
        ] {
            assert_eq!(header(hit, name), header(&hits[0], name), "{name}");
        }
    }
    let first = &hits[0];
    assert_eq!(header(first, "x-moco-origin"), "api", "the change came through the API");
    assert_eq!(header(first, "x-moco-user-id"), fake.owner_id().to_string());
    let event = mocoapp::webhooks::WebhookVerifier::new(fake.webhook_key(hook))
        .tolerance(Duration::from_secs(60))
        .parse(&first.headers, &first.body)?;
    assert_eq!((event.target.as_str(), event.event.as_str()), ("Task", "create"));
    assert_eq!(serde_json::from_slice::<Value>(&first.body)?["id"], task);

    // The fake's log: one entry per attempt, with what came of it.
    let log = attempts_of(&fake, hook);
    let summary: Vec<(u32, Option<u16>, DeliveryOutcome)> = log.iter().map(|d| (d.attempt, d.status, d.outcome)).collect();
    let retrying = |ms| DeliveryOutcome::Retrying { after: Duration::from_millis(ms) };
    assert_eq!(
        summary,
        [
            (1, Some(500), retrying(60)),
            (2, Some(302), retrying(120)),
            (3, Some(404), retrying(240)),
            (4, Some(200), DeliveryOutcome::Delivered)
        ]
    );
    assert!(log.windows(2).all(|w| w[0].sent_at < w[1].sent_at));
    assert!(log.iter().all(|d| d.body == hits[0].body && d.error.is_none()));
    let hook = fake.client().get_web_hook(hook).send().await?;
    assert_eq!(hook.disabled, Some(false), "failures followed by a success do not disable");
    Ok(())
}

#[tokio::test]
async fn a_hook_that_keeps_failing_is_disabled_and_hears_nothing_more() -> Result {
    let fake = fake(WebhookRetry::moco()).await;
    // Changeable at run time, like the other settings.
    fake.set_webhook_retry(WebhookRetry::moco().backoff(Duration::from_millis(5), Duration::from_millis(20)).disable_after(4));
    assert_eq!(fake.webhook_retry().disable_after, 4);
    let (url, hits) = receiver(&[500; 100], Duration::ZERO).await;
    let hook = task_hook(&fake, &url).await?;
    let before = fake.client().get_web_hook(hook).send().await?;
    assert_eq!((before.disabled, before.disabled_at.is_none()), (Some(false), true));

    create_task(&fake, "Never lands").await?;
    eventually("the hook disabled", || attempts_of(&fake, hook).iter().any(|d| d.outcome == DeliveryOutcome::HookDisabled)).await;
    let outcomes: Vec<DeliveryOutcome> = attempts_of(&fake, hook).iter().map(|d| d.outcome).collect();
    assert_eq!(outcomes.len(), 4);
    assert!(matches!(
        outcomes[..3],
        [DeliveryOutcome::Retrying { .. }, DeliveryOutcome::Retrying { .. }, DeliveryOutcome::Retrying { .. }]
    ));
    assert_eq!(outcomes[3], DeliveryOutcome::HookDisabled);

    // The hook shows it, as MOCO's do.
    let disabled = fake.client().get_web_hook(hook).send().await?;
    assert_eq!(disabled.disabled, Some(true));
    let raw: Value = fake.client().request(moco_fake::http::Method::GET, &format!("/account/web_hooks/{hook}")).send().await?;
    let disabled_at = raw["disabled_at"].as_str().expect("disabled_at is set");
    assert!(chrono::DateTime::parse_from_rfc3339(disabled_at).is_ok(), "{disabled_at}");

    // Later events are not delivered, and the disabled delivery is not retried.
    create_task(&fake, "Not sent").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hits.lock().unwrap().len(), 4);
    assert_eq!(attempts_of(&fake, hook).len(), 4);

    // Enabled again, it hears the next event.
    fake.client().enable_web_hook(hook).send().await?;
    create_task(&fake, "Heard again").await?;
    eventually("a delivery after enabling", || hits.lock().unwrap().len() > 4).await;
    let last = hits.lock().unwrap()[4].body.clone();
    assert_eq!(serde_json::from_slice::<Value>(&last)?["name"], "Heard again");
    Ok(())
}

#[tokio::test]
async fn a_success_resets_the_count_of_failures_in_a_row() -> Result {
    let fake = fake(WebhookRetry::moco().backoff(Duration::from_millis(5), Duration::from_millis(5)).disable_after(3)).await;
    // Four failures in all, never three in a row.
    let (url, hits) = receiver(&[500, 500, 200, 500, 500, 200], Duration::ZERO).await;
    let hook = task_hook(&fake, &url).await?;
    for (n, name) in ["first", "second"].into_iter().enumerate() {
        create_task(&fake, name).await?;
        eventually("the delivery", || attempts_of(&fake, hook).iter().filter(|d| d.outcome == DeliveryOutcome::Delivered).count() == n + 1)
            .await;
    }
    assert_eq!(hits.lock().unwrap().len(), 6);
    assert_eq!(fake.client().get_web_hook(hook).send().await?.disabled, Some(false));
    Ok(())
}

#[tokio::test]
async fn timeouts_and_connection_errors_are_failures_and_attempts_can_be_bounded() -> Result {
    let retry =
        WebhookRetry::moco().timeout(Duration::from_millis(100)).backoff(Duration::from_millis(10), Duration::from_millis(10)).attempts(2);
    let fake = fake(retry).await;
    // A receiver that answers 200, but too late.
    let (slow_url, slow_hits) = receiver(&[], Duration::from_millis(1000)).await;
    let slow = task_hook(&fake, &slow_url).await?;
    // Nobody listens here.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let closed_url = format!("http://{}/hook", closed.local_addr()?);
    drop(closed);
    let refused = task_hook(&fake, &closed_url).await?;

    create_task(&fake, "Too slow to hear").await?;
    eventually("both given up", || {
        [slow, refused].iter().all(|h| attempts_of(&fake, *h).iter().any(|d| d.outcome == DeliveryOutcome::GaveUp))
    })
    .await;
    for hook in [slow, refused] {
        let log = attempts_of(&fake, hook);
        let outcomes: Vec<(u32, DeliveryOutcome)> = log.iter().map(|d| (d.attempt, d.outcome)).collect();
        assert_eq!(
            outcomes,
            [(1, DeliveryOutcome::Retrying { after: Duration::from_millis(10) }), (2, DeliveryOutcome::GaveUp)],
            "hook {hook}"
        );
        assert!(log.iter().all(|d| d.status.is_none() && d.error.is_some()), "{log:?}");
    }
    assert!(attempts_of(&fake, slow)[0].error.as_deref().unwrap().contains("no answer within"));
    assert_eq!(slow_hits.lock().unwrap().len(), 2, "the receiver saw both attempts");
    Ok(())
}
