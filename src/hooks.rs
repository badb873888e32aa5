//! Cross-cutting behaviour of every request, plugged into the generated client through
//! progenitor's `ClientHooks` (the oxide.rs pattern):
//!
//! - `pre`: authentication, impersonation, the custom field filter (on the lists that take it),
//!   and dropping progenitor's
//!   `api-version` header;
//! - `exec`: the client-side rate limit (see `rate_limit.rs`; a 429's `Retry-After` pauses the
//!   whole client), retries (see `retry.rs`) and a tracing span.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use tracing::Instrument;

use crate::{
    client::ClientState,
    error::{record_call, CallRecord},
    retry::Outcome,
    Client,
};

/// The header MOCO reads to act on behalf of another user.
pub const IMPERSONATE_HEADER: &str = "x-impersonate-user-id";

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let state = self.inner();
        // Only the lists the spec declares the filter on: MOCO would reject (or ignore) it elsewhere.
        let filtered = crate::generated::CUSTOM_FIELD_FILTER_OPERATIONS.contains(&info.operation_id);
        if filtered && !state.extra_query.is_empty() {
            request.url_mut().query_pairs_mut().extend_pairs(state.extra_query.iter());
        }
        let headers = request.headers_mut();
        // Every generated request carries the spec's `info.version`; MOCO has no use for it.
        headers.remove("api-version");
        if let Some(key) = &state.api_key {
            headers.insert(AUTHORIZATION, key.header().clone());
        }
        // A per-request `.x_impersonate_user_id(..)` wins over the client's setting.
        let name = HeaderName::from_static(IMPERSONATE_HEADER);
        if let (Some(user_id), false) = (state.impersonate, headers.contains_key(&name)) {
            headers.insert(name, HeaderValue::from(user_id));
        }
        Ok(())
    }

    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let span = tracing::debug_span!(
            "moco.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        execute(self.inner(), self.client(), request, info).instrument(span).await
    }
}

async fn execute(
    state: &ClientState,
    http: &reqwest::Client,
    mut request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<reqwest::Response> {
    let mut retries = state.retry.start(request.method());
    loop {
        // Bodies from the generated code are in memory, so a copy is always possible; without one
        // the request is simply not retried.
        let next_attempt = request.try_clone();
        let permit = state.limiter.acquire().await;
        let result = http.execute(request).await;
        // The server's word wins: a 429 with `Retry-After` holds back every request of the client
        // (all clones), set before this request's place in the window is released so that no
        // waiting request slips through. A wait beyond the retry bound is not imposed on the
        // others: this request gives up at once, and so will they when they get their own 429.
        if let Ok(response) = &result {
            if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
                if let Some(wait) = crate::retry::retry_after(response.headers()).filter(|w| *w <= state.retry.max_total_wait) {
                    state.limiter.pause_for(wait);
                }
            }
        }
        drop(permit);
        let outcome = match &result {
            Ok(response) => Outcome::Status(response.status(), response.headers()),
            Err(error) => Outcome::Transport(error),
        };
        let delay = next_attempt.as_ref().and_then(|_| retries.next_delay(outcome));
        match (delay, next_attempt) {
            (Some(delay), Some(next)) => {
                match &result {
                    Ok(response) => tracing::warn!(status = response.status().as_u16(), delay_ms = delay.as_millis() as u64, "retrying"),
                    Err(error) => tracing::warn!(%error, delay_ms = delay.as_millis() as u64, "retrying"),
                }
                tokio::time::sleep(delay).await;
                request = next;
            }
            _ => {
                let status = result.as_ref().ok().map(|r| r.status());
                let retry_after = result.as_ref().ok().and_then(|r| crate::retry::retry_after(r.headers()));
                let span = tracing::Span::current();
                span.record("attempts", retries.attempts());
                if let Some(status) = status {
                    span.record("status", status.as_u16());
                }
                record_call(CallRecord {
                    operation: info.operation_id,
                    status,
                    attempts: retries.attempts(),
                    retry_after,
                    api_key: state.api_key.clone(),
                });
                return result;
            }
        }
    }
}
