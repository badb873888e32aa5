//! Web hook deliveries as MOCO makes them: a change to an entity is posted to every enabled hook
//! registered for its target and event, signed like MOCO signs (`X-Moco-Signature`: HMAC-SHA256
//! of the body, keyed with the hook's key, lower-case hex) and with MOCO's other `X-Moco-*`
//! headers; a failed delivery is retried with exponential backoff, and a hook that keeps failing
//! is disabled (see [`WebhookRetry`]).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::{
    client::legacy::{connect::HttpConnector, Client},
    rt::TokioExecutor,
};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::{mpsc, watch};

use crate::{handlers::Event, server::Shared, store::Store, WebhookDelivery};

/// How failed web hook deliveries are retried, and when a hook is given up on.
///
/// MOCO's rule, as its OpenAPI description states it: a delivery succeeds when the receiver
/// answers with a 2xx status within 10 seconds; any other status, a timeout or a connection error
/// is a failure and is retried with exponential backoff; after 500 failures in a row the hook is
/// disabled (it shows `disabled: true` and `disabled_at`), and a successful delivery resets the
/// count. The defaults ([`WebhookRetry::moco`]) follow that rule. MOCO publishes neither its
/// backoff schedule nor a limit on the attempts of one delivery, so the defaults' schedule is
/// the fake's: 10 s before the first retry, doubling up to an hour, and no limit other than the
/// hook being disabled. Tests set milliseconds:
///
/// ```
/// # use std::time::Duration;
/// let fast = moco_fake::WebhookRetry::moco()
///     .backoff(Duration::from_millis(20), Duration::from_millis(200))
///     .disable_after(5);
/// assert_eq!(fast.wait_after(1), Duration::from_millis(20));
/// assert_eq!(fast.wait_after(3), Duration::from_millis(80));
/// assert_eq!(fast.wait_after(9), Duration::from_millis(200));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebhookRetry {
    /// How long the receiver has to answer (MOCO: 10 s); later is a failure.
    pub timeout: Duration,
    /// The wait before the first retry; each later wait doubles.
    pub first_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
    /// Attempts of one delivery, the first included; `None`: until it succeeds or the hook is
    /// disabled (MOCO names no other limit).
    pub attempts: Option<u32>,
    /// Failed attempts in a row, across the hook's deliveries, after which the hook is disabled
    /// (MOCO: 500). A successful attempt resets the count.
    pub disable_after: u32,
}

impl Default for WebhookRetry {
    fn default() -> Self {
        Self::moco()
    }
}

impl WebhookRetry {
    /// MOCO's rule (10 s to answer, disabled after 500 failures in a row) with the fake's
    /// backoff: 10 s, doubling up to an hour, no limit on attempts.
    pub const fn moco() -> Self {
        WebhookRetry {
            timeout: Duration::from_secs(10),
            first_backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(3600),
            attempts: None,
            disable_after: 500,
        }
    }

    /// No retries: one attempt per delivery (the hook is still disabled after `disable_after`
    /// failures in a row).
    pub fn no_retries(mut self) -> Self {
        self.attempts = Some(1);
        self
    }

    /// The wait before the first retry and the longest wait.
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max;
        self
    }

    /// At most `n` attempts per delivery (the first included).
    pub fn attempts(mut self, n: u32) -> Self {
        self.attempts = Some(n.max(1));
        self
    }

    /// Disables a hook after `n` failed attempts in a row.
    pub fn disable_after(mut self, n: u32) -> Self {
        self.disable_after = n.max(1);
        self
    }

    /// How long the receiver has to answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The wait after failed attempt `attempt` (1 for the first): `first_backoff` doubled
    /// `attempt - 1` times, at most `max_backoff`.
    pub fn wait_after(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.first_backoff.saturating_mul(1u32 << doublings).min(self.max_backoff)
    }
}

/// What came of one attempt to deliver (see [`WebhookDelivery::outcome`](crate::WebhookDelivery)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The receiver answered with a 2xx status in time.
    Delivered,
    /// A failure; the next attempt follows after this wait.
    Retrying {
        /// The wait before the next attempt.
        after: Duration,
    },
    /// A failure on the last attempt [`WebhookRetry::attempts`] allows.
    GaveUp,
    /// A failure that made [`WebhookRetry::disable_after`] in a row: the hook is now disabled and
    /// nothing more is sent to it (neither retries nor new events) until it is enabled again.
    HookDisabled,
}

/// One delivery to make: the same body, headers and signature on every attempt.
pub(crate) struct Job {
    hook_id: i64,
    url: String,
    target: &'static str,
    event: &'static str,
    headers: Vec<(String, String)>,
    body: Bytes,
}

/// The deliveries' shared state: the retry rule, each hook's failures in a row, and the log.
pub(crate) struct Outbox {
    pub retry: Mutex<WebhookRetry>,
    failures: Mutex<HashMap<i64, u32>>,
    pub log: Mutex<Vec<WebhookDelivery>>,
}

impl Outbox {
    pub(crate) fn new(retry: WebhookRetry) -> Self {
        Outbox { retry: Mutex::new(retry), failures: Mutex::new(HashMap::new()), log: Mutex::new(Vec::new()) }
    }
}

/// The deliveries a batch of changes causes, stamped with the time of the change.
pub(crate) fn jobs(store: &mut Store, events: Vec<Event>, account_url: &str) -> Vec<Job> {
    if events.is_empty() {
        return Vec::new();
    }
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis().to_string();
    let hooks = Store::coll("/account/web_hooks");
    let registered: Vec<(i64, Value)> = store.colls[hooks].iter().map(|(id, e)| (*id, e.value.clone())).collect();
    let mut out = Vec::new();
    for event in events {
        let body = Bytes::from(serde_json::to_vec(&event.body).unwrap_or_default());
        for (hook_id, hook) in &registered {
            let listens = hook["target"].as_str() == Some(event.target)
                && hook["event"].as_str() == Some(event.event)
                && hook["disabled"] != Value::Bool(true);
            let Some(url) = hook["hook"].as_str().filter(|_| listens) else { continue };
            let headers = vec![
                ("content-type".into(), "application/json".into()),
                ("x-moco-target".into(), event.target.into()),
                ("x-moco-event".into(), event.event.into()),
                ("x-moco-timestamp".into(), timestamp.clone()),
                ("x-moco-signature".into(), signature(&store.hook_key(*hook_id), &body)),
                ("x-moco-user-id".into(), event.user_id.to_string()),
                ("x-moco-account-url".into(), account_url.to_string()),
                // Every change the fake sees comes through its API.
                ("x-moco-origin".into(), "api".into()),
            ];
            out.push(Job {
                hook_id: *hook_id,
                url: url.to_string(),
                target: event.target,
                event: event.event,
                headers,
                body: body.clone(),
            });
        }
    }
    out
}

/// The hex HMAC-SHA256 of `body` with `key`.
pub fn signature(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Makes the first attempt of every delivery, one after the other in the order the changes
/// happened; a failed delivery is retried by a task of its own, so that it holds no other up.
pub(crate) async fn worker(mut jobs: mpsc::UnboundedReceiver<Job>, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    loop {
        let job = tokio::select! {
            job = jobs.recv() => match job { Some(job) => job, None => break },
            _ = shutdown.changed() => break,
        };
        let Some(wait) = attempt(&client, &shared, &job, 1, &mut shutdown).await else { continue };
        let (client, shared, mut shutdown) = (client.clone(), shared.clone(), shutdown.clone());
        tokio::spawn(async move {
            let mut wait = wait;
            for number in 2.. {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => return,
                }
                match attempt(&client, &shared, &job, number, &mut shutdown).await {
                    Some(next) => wait = next,
                    None => return,
                }
            }
        });
    }
}

/// Attempt `number` of a delivery, recorded in the log; the wait before the next attempt if
/// there is to be one. Nothing is sent (or recorded) once the hook is gone or disabled.
async fn attempt(client: &HttpClient, shared: &Shared, job: &Job, number: u32, shutdown: &mut watch::Receiver<bool>) -> Option<Duration> {
    if *shutdown.borrow() || !hook_enabled(shared, job.hook_id) {
        return None;
    }
    let retry = *shared.outbox.retry.lock().unwrap_or_else(|e| e.into_inner());
    let sent_at = SystemTime::now();
    let mut request = hyper::Request::post(&job.url);
    for (name, value) in &job.headers {
        request = request.header(name, value);
    }
    let (status, error) = match request.body(Full::new(job.body.clone())) {
        Ok(request) => tokio::select! {
            answer = tokio::time::timeout(retry.timeout, client.request(request)) => match answer {
                Ok(Ok(response)) => (Some(response.status().as_u16()), None),
                Ok(Err(e)) => (None, Some(e.to_string())),
                Err(_) => (None, Some(format!("no answer within {:?}", retry.timeout))),
            },
            _ = shutdown.changed() => return None,
        },
        Err(e) => (None, Some(format!("invalid hook URL: {e}"))),
    };
    let delivered = status.is_some_and(|s| (200..300).contains(&s));
    let outcome = {
        let mut failures = shared.outbox.failures.lock().unwrap_or_else(|e| e.into_inner());
        if delivered {
            failures.remove(&job.hook_id);
            DeliveryOutcome::Delivered
        } else {
            let in_a_row = failures.entry(job.hook_id).or_default();
            *in_a_row += 1;
            if *in_a_row >= retry.disable_after {
                failures.remove(&job.hook_id);
                disable(shared, job.hook_id);
                DeliveryOutcome::HookDisabled
            } else if retry.attempts.is_some_and(|max| number >= max) {
                DeliveryOutcome::GaveUp
            } else {
                DeliveryOutcome::Retrying { after: retry.wait_after(number) }
            }
        }
    };
    shared.outbox.log.lock().unwrap_or_else(|e| e.into_inner()).push(WebhookDelivery {
        hook_id: job.hook_id,
        url: job.url.clone(),
        target: job.target.to_string(),
        event: job.event.to_string(),
        headers: job.headers.clone(),
        body: job.body.clone(),
        status,
        error,
        attempt: number,
        sent_at,
        outcome,
    });
    match outcome {
        DeliveryOutcome::Retrying { after } => Some(after),
        _ => None,
    }
}

fn hook_enabled(shared: &Shared, hook_id: i64) -> bool {
    let store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
    store.entity(Store::coll("/account/web_hooks"), hook_id).is_some_and(|hook| hook.value["disabled"] != Value::Bool(true))
}

/// Disables a hook as MOCO does after too many failures: `disabled`, `disabled_at` now.
fn disable(shared: &Shared, hook_id: i64) {
    let mut store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
    let hooks = Store::coll("/account/web_hooks");
    let Some(mut hook) = store.entity(hooks, hook_id).map(|e| e.value.clone()) else { return };
    let now = store.now();
    hook["disabled"] = json!(true);
    hook["disabled_at"] = json!(now);
    store.touch(hooks, hook_id, hook);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::WebhookRetry;

    #[test]
    fn signs_like_moco() {
        // The example of MOCO's docs (also used by mocoapp's verifier tests).
        let body = br#"{"id":111,"description":"a description"}"#;
        assert_eq!(
            super::signature("1d608b9d72219b90ff2393a1d3ee0ac0", body),
            "bf027a86207ef1ca1cb76f5a536b41a14287ab1a0fd5b33bfe86924bc2f48fd1"
        );
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let moco = WebhookRetry::moco();
        assert_eq!((moco.timeout, moco.disable_after, moco.attempts), (Duration::from_secs(10), 500, None));
        let waits: Vec<u64> = (1..=11).map(|n| moco.wait_after(n).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
        assert_eq!(moco.wait_after(u32::MAX), Duration::from_secs(3600), "no overflow");
        assert_eq!(moco.attempts(0).attempts, Some(1));
    }
}
