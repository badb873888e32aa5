//! Web hook deliveries: a change to an entity is posted to every enabled hook registered for its
//! target and event, signed like MOCO signs (`X-Moco-Signature`: HMAC-SHA256 of the body, keyed
//! with the hook's key, lower-case hex).

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde_json::Value;
use sha2::Sha256;
use tokio::sync::{mpsc, watch};

use crate::{handlers::Event, store::Store, WebhookDelivery};

/// One delivery to make.
pub(crate) struct Job {
    hook_id: i64,
    url: String,
    key: String,
    target: &'static str,
    event: &'static str,
    body: Vec<u8>,
    user_id: i64,
    account_url: String,
}

/// The deliveries a batch of changes causes.
pub(crate) fn jobs(store: &mut Store, events: Vec<Event>, account_url: &str) -> Vec<Job> {
    if events.is_empty() {
        return Vec::new();
    }
    let hooks = Store::coll("/account/web_hooks");
    let registered: Vec<(i64, Value)> = store.colls[hooks].iter().map(|(id, e)| (*id, e.value.clone())).collect();
    let mut out = Vec::new();
    for event in events {
        let body = serde_json::to_vec(&event.body).unwrap_or_default();
        for (hook_id, hook) in &registered {
            let listens = hook["target"].as_str() == Some(event.target)
                && hook["event"].as_str() == Some(event.event)
                && hook["disabled"] != Value::Bool(true);
            let Some(url) = hook["hook"].as_str().filter(|_| listens) else { continue };
            out.push(Job {
                hook_id: *hook_id,
                url: url.to_string(),
                key: store.hook_key(*hook_id),
                target: event.target,
                event: event.event,
                body: body.clone(),
                user_id: event.user_id,
                account_url: account_url.to_string(),
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

/// Posts deliveries one after the other, in the order the changes happened, and records each.
pub(crate) async fn worker(
    mut jobs: mpsc::UnboundedReceiver<Job>,
    log: Arc<Mutex<Vec<WebhookDelivery>>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    loop {
        let job = tokio::select! {
            job = jobs.recv() => match job { Some(job) => job, None => break },
            _ = shutdown.changed() => break,
        };
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis().to_string();
        let signature = signature(&job.key, &job.body);
        let headers: Vec<(String, String)> = vec![
            ("content-type".into(), "application/json".into()),
            ("x-moco-target".into(), job.target.into()),
            ("x-moco-event".into(), job.event.into()),
            ("x-moco-timestamp".into(), timestamp),
            ("x-moco-signature".into(), signature),
            ("x-moco-user-id".into(), job.user_id.to_string()),
            ("x-moco-account-url".into(), job.account_url.clone()),
        ];
        let mut delivery = WebhookDelivery {
            hook_id: job.hook_id,
            url: job.url.clone(),
            target: job.target.to_string(),
            event: job.event.to_string(),
            headers: headers.clone(),
            body: Bytes::from(job.body.clone()),
            status: None,
            error: None,
        };
        let mut request = hyper::Request::post(&job.url);
        for (name, value) in &headers {
            request = request.header(name, value);
        }
        match request.body(Full::new(Bytes::from(job.body))) {
            Ok(request) => match tokio::time::timeout(Duration::from_secs(10), client.request(request)).await {
                Ok(Ok(response)) => delivery.status = Some(response.status().as_u16()),
                Ok(Err(e)) => delivery.error = Some(e.to_string()),
                Err(_) => delivery.error = Some("no answer within 10 s".into()),
            },
            Err(e) => delivery.error = Some(format!("invalid hook URL: {e}")),
        }
        log.lock().unwrap_or_else(|e| e.into_inner()).push(delivery);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signs_like_moco() {
        // The example of MOCO's docs (also used by mocoapp's verifier tests).
        let body = br#"{"id":111,"description":"a description"}"#;
        assert_eq!(
            super::signature("1d608b9d72219b90ff2393a1d3ee0ac0", body),
            "bf027a86207ef1ca1cb76f5a536b41a14287ab1a0fd5b33bfe86924bc2f48fd1"
        );
    }
}
