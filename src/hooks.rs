//! Cross-cutting behaviour of every request. The generated `send_raw` of each operation calls
//! both (and [`crate::RawRequest`] too):
//!
//! - `pre`, progenitor's `ClientHooks` hook (the oxide.rs pattern): authentication,
//!   impersonation, and the custom field filter (on the lists that take it);
//! - [`send`], in place of progenitor's `exec` hook: the client-side rate limit (see
//!   `rate_limit.rs`; a 429's `Retry-After` pauses the whole client), retries (see `retry.rs`),
//!   the body size limit and a tracing span. JSON and text bodies are read here, inside the
//!   retries, so that a body that breaks off is retried like any other transport failure
//!   (idempotent methods only); downloads stream (within the limit). It returns an [`Answer`]
//!   (head and body apart), which `answer.rs` decodes: `exec` would have to return a
//!   `reqwest::Response`, and putting a body that was read back into one costs several
//!   allocations per request.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use crate::{client::ClientState, error::BodyTooLarge, retry::Outcome, Client};

/// The header MOCO reads to act on behalf of another user.
pub const IMPERSONATE_HEADER: &str = "x-impersonate-user-id";
/// The same, checked once at compile time rather than on every request.
const IMPERSONATE: HeaderName = HeaderName::from_static(IMPERSONATE_HEADER);

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), progenitor_client::Error<E>> {
        let state = self.inner();
        // Only the lists the spec declares the filter on: MOCO would reject (or ignore) it elsewhere.
        // (The cheap test first: the list is only searched when a filter is set.)
        if !state.extra_query.is_empty() && crate::generated::CUSTOM_FIELD_FILTER_OPERATIONS.contains(&info.operation_id) {
            request.url_mut().query_pairs_mut().extend_pairs(state.extra_query.iter());
        }
        let headers = request.headers_mut();
        if let Some(key) = &state.api_key {
            headers.insert(AUTHORIZATION, key.header().clone());
        }
        // A per-request `.x_impersonate_user_id(..)` wins over the client's setting.
        if let (Some(user_id), false) = (state.impersonate, headers.contains_key(&IMPERSONATE)) {
            headers.insert(IMPERSONATE, HeaderValue::from(user_id));
        }
        Ok(())
    }
}

/// An answer as the retries left it: the head, and the body apart from it.
pub(crate) struct Answer {
    /// Status and headers; its body is the answer's only for [`AnswerBody::Streamed`] (for the
    /// others it was read, or not read because it is too large).
    pub(crate) response: reqwest::Response,
    pub(crate) body: AnswerBody,
    /// Attempts made, retries included.
    pub(crate) attempts: u32,
}

pub(crate) enum AnswerBody {
    /// The whole body, read into memory (JSON, text, and every non-success answer).
    Read(Bytes),
    /// Larger than the client's limit (announced, or found while reading); not read further.
    TooLarge { limit: usize },
    /// A download, left to stream in `response` (cut off at the client's limit).
    Streamed,
}

impl Answer {
    pub(crate) fn status(&self) -> reqwest::StatusCode {
        self.response.status()
    }

    /// The status and the headers, taken out (not copied) for the value handed to the caller.
    pub(crate) fn take_head(&mut self) -> (reqwest::StatusCode, reqwest::header::HeaderMap) {
        (self.response.status(), std::mem::take(self.response.headers_mut()))
    }
}

/// Sends a request built by the generated code (after [`ClientHooks::pre`]) with the client's
/// rate limit, retries and body limit, in a `moco.request` span.
pub(crate) async fn send(client: &Client, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<Answer> {
    let span = tracing::debug_span!(
        "moco.request",
        operation = info.operation_id,
        method = %request.method(),
        path = request.url().path(),
        status = tracing::field::Empty,
        attempts = tracing::field::Empty,
    );
    let (result, attempts) = execute(client.inner(), client.client(), request).instrument(span.clone()).await;
    span.record("attempts", attempts);
    let (response, body) = result?;
    span.record("status", response.status().as_u16());
    Ok(Answer { response, body, attempts })
}

/// The retry loop: the last attempt's outcome, and how many attempts were made.
async fn execute(
    state: &ClientState,
    http: &reqwest::Client,
    mut request: reqwest::Request,
) -> (reqwest::Result<(reqwest::Response, AnswerBody)>, u32) {
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
                permit.refused();
                if let Some(wait) = crate::retry::retry_after(response.headers()).filter(|w| *w <= state.retry.max_total_wait) {
                    state.limiter.pause_for(wait);
                }
            }
        }
        drop(permit);
        let result = match result {
            Ok(response) => receive(response, state.max_response_size).await,
            Err(error) => Err(error),
        };
        let outcome = match &result {
            Ok((response, _)) => Outcome::Status(response.status(), response.headers()),
            Err(error) => Outcome::Transport(error),
        };
        let delay = next_attempt.as_ref().and_then(|_| retries.next_delay(outcome));
        match (delay, next_attempt) {
            (Some(delay), Some(next)) => {
                match &result {
                    Ok((response, _)) => {
                        tracing::warn!(status = response.status().as_u16(), delay_ms = delay.as_millis() as u64, "retrying")
                    }
                    Err(error) => tracing::warn!(%error, delay_ms = delay.as_millis() as u64, "retrying"),
                }
                tokio::time::sleep(delay).await;
                request = next;
            }
            _ => return (result, retries.attempts()),
        }
    }
}

/// Reads the body of a JSON or text answer (and of every error answer) into memory, at most
/// `limit` bytes; a download's body is left to stream, cut off at `limit`. A body over the limit
/// is not read further (an [`crate::Error::ResponseTooLarge`] for the caller); a body that breaks
/// off is the attempt's transport error.
async fn receive(mut response: reqwest::Response, limit: Option<usize>) -> reqwest::Result<(reqwest::Response, AnswerBody)> {
    let limit = limit.unwrap_or(usize::MAX);
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Ok((response, AnswerBody::TooLarge { limit }));
    }
    if !in_memory(&response) {
        return Ok((limited(response, limit), AnswerBody::Streamed));
    }
    // Room for what `Content-Length` announces, but not more than 8 MiB up front: the header may
    // lie, and without a limit nothing else bounds it.
    let announced = response.content_length().map_or(0, |length| length.min(8 << 20) as usize);
    // A body that arrives in one chunk (the usual case) is passed on without a copy.
    let (mut first, mut more): (Option<Bytes>, Vec<u8>) = (None, Vec::new());
    let mut received = 0usize;
    while let Some(chunk) = response.chunk().await? {
        if chunk.len() > limit - received {
            return Ok((response, AnswerBody::TooLarge { limit }));
        }
        received += chunk.len();
        if let Some(head) = first.take() {
            more.reserve(announced.max(received).saturating_sub(more.len()));
            more.extend_from_slice(&head);
        }
        if more.is_empty() {
            first = Some(chunk);
        } else {
            more.extend_from_slice(&chunk);
        }
    }
    Ok((response, AnswerBody::Read(first.unwrap_or_else(|| Bytes::from(more)))))
}

/// Whether the body is read before the answer is handed on: everything but a successful
/// download (a PDF or other binary type).
fn in_memory(response: &reqwest::Response) -> bool {
    let content_type = response.headers().get(CONTENT_TYPE).map_or(&b""[..], |v| v.as_bytes());
    let lower = |range: &[u8], word: &[u8]| range.eq_ignore_ascii_case(word);
    !response.status().is_success()
        || content_type.is_empty()
        || content_type.windows(4).any(|w| lower(w, b"json"))
        || content_type.get(..5).is_some_and(|head| lower(head, b"text/"))
}

/// The same answer, with a body that fails once more than `limit` bytes came. (A
/// `reqwest::Response` is rebuilt for that: only reqwest can turn the body's error into the
/// `reqwest::Error` that [`crate::error::from_reqwest`] recognises.)
fn limited(mut response: reqwest::Response, limit: usize) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    let (status, version, url) = (response.status(), response.version(), response.url().clone());
    let headers = std::mem::take(response.headers_mut());
    let body = http::Response::<reqwest::Body>::from(response).into_body();
    let mut rebuilt = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(reqwest::Body::wrap(Limited { inner: body, remaining: limit, limit }))
        .expect("status and version come from a response");
    *rebuilt.headers_mut() = headers;
    reqwest::Response::from(rebuilt)
}

/// A streamed body that fails once more than `limit` bytes came.
struct Limited {
    inner: reqwest::Body,
    remaining: usize,
    limit: usize,
}

impl http_body::Body for Limited {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    if data.len() > this.remaining {
                        this.remaining = 0;
                        return Poll::Ready(Some(Err(Box::new(BodyTooLarge { limit: this.limit }))));
                    }
                    this.remaining -= data.len();
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(Box::new(error)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
