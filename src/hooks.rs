//! Cross-cutting behaviour of every request. Each operation's generated code calls both (and
//! [`crate::RawRequest`] too):
//!
//! - [`prepare`], when `build_request` has built the request (in place of progenitor's
//!   `ClientHooks::pre`, which is async and would make building a request a future of its own):
//!   authentication, impersonation, and the custom field filter (on the lists that take it);
//! - [`send`], in place of progenitor's `exec` hook: the client-side rate limit (see
//!   `rate_limit.rs`; a 429's `Retry-After` pauses the whole client), retries (see `retry.rs`),
//!   the body size limit and a tracing span. JSON and text bodies are read here, inside the
//!   retries, so that a body that breaks off is retried like any other transport failure
//!   (idempotent methods only); downloads stream (within the limit). It returns an [`Answer`]
//!   (head and body apart), which `answer.rs` decodes: `exec` would have to return a
//!   `reqwest::Response`, and putting a body that was read back into one costs several
//!   allocations per request.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use tracing::Instrument;

use crate::{
    client::ClientState,
    error::{from_reqwest, BodyTooLarge},
    retry::Outcome,
    Client, Error,
};

/// The header MOCO reads to act on behalf of another user.
pub const IMPERSONATE_HEADER: &str = "x-impersonate-user-id";
/// The same, checked once at compile time rather than on every request.
const IMPERSONATE: HeaderName = HeaderName::from_static(IMPERSONATE_HEADER);

/// What every request gets from the client's settings: its key, its impersonation, and the
/// custom field filter on the lists that take it.
pub(crate) fn prepare(client: &Client, request: &mut reqwest::Request, info: &OperationInfo) {
    let state = client.inner();
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
    if let Some(user_id) = state.impersonate {
        if !headers.contains_key(&IMPERSONATE) {
            headers.insert(IMPERSONATE, HeaderValue::from(user_id));
        }
    }
}

/// progenitor's generated client asks for its hooks; the generated code calls [`prepare`] itself.
impl ClientHooks<ClientState> for Client {
    async fn pre<E>(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), progenitor_client::Error<E>> {
        prepare(self, request, info);
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
    /// A download's file, left to stream in `response` (cut off at the client's limit). Only for
    /// [`Success::File`].
    Streamed,
}

/// What an operation's success answer carries, as the spec says: it decides whether the body
/// of a success is read before the answer is handed on (the body of every other answer is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Success {
    /// JSON, or nothing: read into memory (within the limit), so that decoding it waits for
    /// nothing.
    Json,
    /// A file (a PDF): left to stream, unless the server sent JSON or text.
    File,
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

/// Sends a request built by the generated code with the client's rate limit, retries and body
/// limit, in a `moco.request` span; a transport failure after the retries is the call's
/// [`Error`].
///
/// The retry loop is written out here rather than in a future of its own that the span
/// instruments: only the small futures inside it (the limiter's wait, reqwest's, the body's, the
/// backoff's sleep) are wrapped in the span, so that the loop's own state is not moved into a
/// wrapper on every call. Every event of a request, reqwest's and hyper's included, is still
/// inside its span. The future is an `async move` block rather than an `async fn`, whose
/// arguments rustc keeps twice (as given and as locals): with the loop's bindings kept to what
/// each wait needs, it is about half the size, and it is moved on every call (see
/// BENCHMARKS.md, per-request overhead).
#[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice (see `send`)
pub(crate) fn send<'a>(
    client: &'a Client,
    operation: &'static str,
    mut request: reqwest::Request,
    success: Success,
) -> impl Future<Output = Result<Answer, Error>> + Send + 'a {
    async move {
        let state = client.inner();
        let span = tracing::debug_span!(
            "moco.request",
            operation,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let mut retries = state.retry.start(request.method());
        loop {
            // Bodies from the generated code are in memory, so a copy is always possible; a body
            // that streams cannot be sent twice, and its request is not retried.
            let Some(next_attempt) = copy_for_retry(&request) else {
                let result = attempt(client, request, success, &span).await;
                return finish(result, retries.attempts(), &span);
            };
            // (A block, so that nothing of this attempt but the copy is kept while it waits.)
            let delay = {
                let result = attempt(client, request, success, &span).await;
                let outcome = match &result {
                    Ok((response, _)) => Outcome::Status(response.status(), response.headers()),
                    Err(error) => Outcome::Transport(error),
                };
                let Some(delay) = retries.next_delay(outcome) else {
                    return finish(result, retries.attempts(), &span);
                };
                let delay_ms = delay.as_millis() as u64;
                match result {
                    Ok((response, _)) => tracing::warn!(parent: &span, status = response.status().as_u16(), delay_ms, "retrying"),
                    Err(error) => tracing::warn!(parent: &span, %error, delay_ms, "retrying"),
                }
                delay
            };
            tokio::time::sleep(delay).instrument(span.clone()).await;
            request = next_attempt;
        }
    }
}

/// The last attempt's outcome as the call's answer, recorded in the span.
fn finish(result: reqwest::Result<(reqwest::Response, AnswerBody)>, attempts: u32, span: &tracing::Span) -> Result<Answer, Error> {
    span.record("attempts", attempts);
    let (response, body) = result.map_err(from_reqwest)?;
    span.record("status", response.status().as_u16());
    Ok(Answer { response, body, attempts })
}

/// One attempt: a place in the rate limit's window, the request, and the answer's body.
/// (An `async move` block, like [`send`]'s, so that the request is not kept twice.)
#[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice (see `send`)
fn attempt<'a>(
    client: &'a Client,
    request: reqwest::Request,
    success: Success,
    span: &'a tracing::Span,
) -> impl Future<Output = reqwest::Result<(reqwest::Response, AnswerBody)>> + Send + 'a {
    async move {
        let state = client.inner();
        let permit = match state.limiter.try_acquire() {
            Some(permit) => permit,
            None => state.limiter.acquire().instrument(span.clone()).await,
        };
        // (One expression: a `response` binding would be kept beside the body's future.)
        let sent = client.client().execute(request).instrument(span.clone()).await?;
        receive(release(state, permit, sent), success, state.max_response_size).instrument(span.clone()).await
    }
}

/// Gives back the request's place in the rate limit's window once its answer has come. The
/// server's word wins: a 429 with `Retry-After` holds back every request of the client (all
/// clones), set before the place is released so that no waiting request slips through. A wait
/// beyond the retry bound is not imposed on the others: this request gives up at once, and so
/// will they when they get their own 429.
fn release(state: &ClientState, permit: crate::rate_limit::Permit<'_>, response: reqwest::Response) -> reqwest::Response {
    if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
        permit.refused();
        if let Some(wait) = crate::retry::retry_after(response.headers()).filter(|w| *w <= state.retry.max_total_wait) {
            state.limiter.pause_for(wait);
        }
    }
    response
}

/// A copy of `request` for the next attempt, `None` when its body cannot be copied (a stream).
/// reqwest's `try_clone` sets the copy's timeout even when there is none, which allocates a map
/// for it; a request without a per-request timeout and without a body (every GET and DELETE the
/// generated code builds) is copied here without that map. reqwest keeps nothing else outside
/// the method, URL, headers, version and body that a request built through its `RequestBuilder`
/// could carry.
fn copy_for_retry(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() || request.timeout().is_some() {
        return request.try_clone();
    }
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    Some(copy)
}

/// Reads the body of a JSON or text answer (and of every error answer) into memory, at most
/// `limit` bytes; a download's body is left to stream, cut off at `limit`. A body over the limit
/// is not read further (an [`crate::Error::ResponseTooLarge`] for the caller); a body that breaks
/// off is the attempt's transport error.
/// (An `async move` block, like [`send`]'s, so that the response is not kept twice.)
#[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice (see `send`)
fn receive(
    mut response: reqwest::Response,
    success: Success,
    limit: Option<usize>,
) -> impl Future<Output = reqwest::Result<(reqwest::Response, AnswerBody)>> + Send {
    async move {
        let limit = limit.unwrap_or(usize::MAX);
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Ok((response, AnswerBody::TooLarge { limit }));
        }
        if !in_memory(&response, success) {
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
}

/// Whether the body is read before the answer is handed on: everything but a successful
/// download of a file (a PDF or other binary type).
fn in_memory(response: &reqwest::Response, success: Success) -> bool {
    if success == Success::Json || !response.status().is_success() {
        return true;
    }
    let content_type = response.headers().get(CONTENT_TYPE).map_or(&b""[..], |v| v.as_bytes());
    let lower = |range: &[u8], word: &[u8]| range.eq_ignore_ascii_case(word);
    content_type.is_empty()
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::{header::ACCEPT, Method, Version};

    use super::*;

    fn http() -> reqwest::Client {
        crate::ClientBuilder::http_client_builder().build().unwrap()
    }

    #[test]
    fn a_retry_copy_is_the_same_request() {
        let mut request = http()
            .get("https://moco.invalid/api/v1/projects/1?include_company=true")
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, "Token token=k")
            .header(IMPERSONATE, "7")
            .build()
            .unwrap();
        *request.version_mut() = Version::HTTP_11;
        let copy = copy_for_retry(&request).unwrap();
        assert_eq!(copy.method(), Method::GET);
        assert_eq!(copy.url(), request.url());
        assert_eq!(copy.headers(), request.headers());
        assert_eq!(copy.version(), Version::HTTP_11);
        assert!(copy.body().is_none() && copy.timeout().is_none());
    }

    #[test]
    fn a_request_with_a_body_or_a_timeout_is_copied_by_reqwest() {
        let request =
            http().post("https://moco.invalid/api/v1/projects").body(r#"{"name":"A"}"#).timeout(Duration::from_secs(3)).build().unwrap();
        let copy = copy_for_retry(&request).unwrap();
        assert_eq!(copy.method(), Method::POST);
        assert_eq!(copy.body().and_then(reqwest::Body::as_bytes), Some(&br#"{"name":"A"}"#[..]));
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(3)));
    }

    fn answer(status: u16, content_type: &str) -> reqwest::Response {
        let mut response = http::Response::new(Bytes::new());
        *response.status_mut() = reqwest::StatusCode::from_u16(status).unwrap();
        if !content_type.is_empty() {
            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        }
        reqwest::Response::from(response)
    }

    #[test]
    fn only_a_download_of_a_file_streams() {
        assert!(in_memory(&answer(200, "application/pdf"), Success::Json), "a JSON operation reads whatever comes");
        assert!(!in_memory(&answer(200, "application/pdf"), Success::File));
        assert!(in_memory(&answer(200, "application/json; charset=utf-8"), Success::File), "JSON instead of the file");
        assert!(in_memory(&answer(200, "text/html"), Success::File));
        assert!(in_memory(&answer(200, ""), Success::File), "no type: read like text");
        assert!(in_memory(&answer(404, "application/pdf"), Success::File), "every error is read");
    }
}
