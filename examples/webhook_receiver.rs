//! Receives MOCO web hooks on axum, verifying each delivery's signature.
//!
//! ```sh
//! MOCO_WEBHOOK_KEY=<the hook's key> cargo run --example webhook_receiver   # listens on 127.0.0.1:3000
//! ```
//! Register `https://<your host>/moco` as the hook's URL (MOCO only delivers over HTTPS: put a
//! TLS-terminating proxy in front). `MOCO_WEBHOOK_ADDR` changes the listening address.

use std::{sync::Arc, time::Duration};

use axum::{body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};
use mocoapp::webhooks::{WebhookError, WebhookPayload, WebhookVerifier};

/// The receiver: `POST /moco` answers 204 for a verified delivery, 401 for a missing or wrong
/// signature, 400 for anything else malformed. MOCO retries on any non-2xx answer.
pub fn app(verifier: WebhookVerifier) -> Router {
    Router::new().route("/moco", post(receive)).with_state(Arc::new(verifier))
}

async fn receive(State(verifier): State<Arc<WebhookVerifier>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match verifier.parse(&headers, &body) {
        Ok(event) => {
            // MOCO waits a few seconds at most: hand heavy work to a queue instead of doing it here.
            match &event.payload {
                WebhookPayload::Activity(activity) => println!("{} activity {} ({:?} h)", event.event, activity.id, activity.hours),
                WebhookPayload::Deleted { id } => println!("{} {id} deleted", event.target),
                other => println!("{} {} at {}: {other:?}", event.event, event.target, event.timestamp),
            }
            StatusCode::NO_CONTENT
        }
        Err(
            error @ (WebhookError::WrongSignature | WebhookError::MalformedSignature | WebhookError::MissingHeader("x-moco-signature")),
        ) => {
            eprintln!("rejected: {error}");
            StatusCode::UNAUTHORIZED
        }
        Err(error) => {
            eprintln!("rejected: {error}");
            StatusCode::BAD_REQUEST
        }
    }
}

#[allow(dead_code)] // the tests include this file for `app` only
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("MOCO_WEBHOOK_KEY").map_err(|_| "set MOCO_WEBHOOK_KEY to the web hook's key")?;
    let address = std::env::var("MOCO_WEBHOOK_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    // Deliveries older than a day are late retries or replays.
    let verifier = WebhookVerifier::new(key).tolerance(Duration::from_secs(24 * 60 * 60));
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{address}/moco");
    axum::serve(listener, app(verifier)).await?;
    Ok(())
}
