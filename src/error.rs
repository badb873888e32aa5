//! [`Error`], the one error type of the crate, and the mapping from what the generated code
//! returns into it.

use std::time::Duration;

use reqwest::StatusCode;

use crate::{auth::ApiKey, types};

/// Everything that can go wrong when talking to MOCO.
///
/// Messages never contain the API key. Body excerpts are cut to a few hundred characters.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: the API key is missing, wrong or revoked.
    #[error("MOCO rejected the API key (401 Unauthorized){}", suffix(.message))]
    Unauthorized {
        /// MOCO's explanation, when the body had one.
        message: Option<String>,
    },
    /// 403: the key's owner lacks the permission for this request.
    #[error("MOCO refused the request (403 Forbidden){}", suffix(.message))]
    Forbidden {
        /// MOCO's explanation, when the body had one.
        message: Option<String>,
    },
    /// 404: no such entity (or route).
    #[error("not found (404){}", suffix(.message))]
    NotFound {
        /// MOCO's explanation, when the body had one.
        message: Option<String>,
    },
    /// 422: MOCO did not accept the data.
    #[error("MOCO did not accept the request (422 Unprocessable Entity){}", suffix(.message))]
    Unprocessable {
        /// MOCO's message.
        message: Option<String>,
        /// Field-level validation errors, as MOCO sent them.
        errors: Option<serde_json::Value>,
    },
    /// 429 even after the configured retries.
    #[error("rate limited by MOCO (429) after {attempts} attempt(s){}", .retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The last `Retry-After` the server sent.
        retry_after: Option<Duration>,
        /// Attempts made, including the first.
        attempts: u32,
    },
    /// Any other HTTP status that is not the operation's success (5xx, an HTML page from a proxy,
    /// a status the spec does not declare...).
    #[error("MOCO answered {status}{}{}", suffix(.message), excerpt_suffix(.body))]
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// MOCO's message, when the body was MOCO's JSON error.
        message: Option<String>,
        /// The start of the body.
        body: String,
    },
    /// The request never got a complete answer: connection, TLS, timeout or a truncated body.
    #[error("no complete answer from MOCO: {0}")]
    Transport(#[source] reqwest::Error),
    /// The answer's body was larger than the client accepts
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size), 64 MiB by
    /// default); reading stopped at the limit. Not retried: the same answer would come again.
    #[error("MOCO's answer is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A success answer whose body did not match the operation's schema.
    #[error("cannot decode the answer to {operation} ({status}): {source}; body starts with: {excerpt}")]
    Decode {
        /// The operationId.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        excerpt: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// Pagination metadata that cannot be followed (e.g. a `Link` that does not advance).
    #[error("cannot follow MOCO's pagination: {0}")]
    Pagination(String),
    /// A request the client refused to send (an invalid parameter value).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Client setup failed (account, key or URL missing or malformed).
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status behind this error, if it came from a response.
    pub fn status(&self) -> Option<StatusCode> {
        Some(match self {
            Error::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Error::Forbidden { .. } => StatusCode::FORBIDDEN,
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Http { status, .. } | Error::Decode { status, .. } => *status,
            _ => return None,
        })
    }
}

fn suffix(message: &Option<String>) -> String {
    message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
}

fn excerpt_suffix(body: &str) -> String {
    if body.is_empty() {
        " with an empty body".into()
    } else {
        format!("; body starts with: {body}")
    }
}

const EXCERPT_CHARS: usize = 300;

/// What the error mapping knows of the call an answer belongs to.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CallRecord<'a> {
    /// Attempts made, retries included.
    pub(crate) attempts: u32,
    /// The `Retry-After` of the last answer (a 429 or 503).
    pub(crate) retry_after: Option<Duration>,
    /// The client's key, redacted from whatever of the answer ends up in the error.
    pub(crate) api_key: Option<&'a ApiKey>,
}

/// A failure before any answer: a request the generated code could not build (an invalid
/// parameter), or a transport error.
pub(crate) fn not_sent(error: progenitor_client::Error<types::Error>) -> Error {
    use progenitor_client::Error as G;
    match error {
        G::InvalidRequest(message) | G::Custom(message) => Error::InvalidRequest(message),
        G::CommunicationError(e) | G::ResponseBodyError(e) | G::InvalidUpgrade(e) => from_reqwest(e),
        // The generated `build_request` only builds the request; these carry an answer and do not occur.
        G::ErrorResponse(response) => Error::Http { status: response.status(), message: None, body: String::new() },
        G::UnexpectedResponse(response) => Error::Http { status: response.status(), message: None, body: String::new() },
        G::InvalidResponsePayload(_, source) => Error::InvalidRequest(source.to_string()),
    }
}

/// What a body over the size limit ends in (see `hooks.rs`); found in a `reqwest::Error`'s
/// sources, it becomes [`Error::ResponseTooLarge`].
#[derive(Debug)]
pub(crate) struct BodyTooLarge {
    pub(crate) limit: usize,
}

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the body is larger than the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// [`Error::Transport`], or [`Error::ResponseTooLarge`] when the body was cut off at the limit.
pub(crate) fn from_reqwest(error: reqwest::Error) -> Error {
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        if let Some(too_large) = cause.downcast_ref::<BodyTooLarge>() {
            return Error::ResponseTooLarge { limit: too_large.limit };
        }
        source = cause.source();
    }
    Error::Transport(error)
}

/// Maps a non-success answer whose body may or may not be MOCO's JSON error.
pub(crate) fn from_body(status: StatusCode, bytes: &[u8], record: &CallRecord) -> Error {
    let parsed: Option<types::Error> = serde_json::from_slice(bytes).ok();
    let (message, errors) = parsed.map(|b| (b.message, b.errors)).unwrap_or_default();
    from_status(status, message, errors, excerpt(bytes, record), record)
}

fn from_status(status: StatusCode, message: Option<String>, errors: Option<serde_json::Value>, body: String, record: &CallRecord) -> Error {
    let message = message.filter(|m| !m.trim().is_empty()).map(|m| redact(&m, record));
    match status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized { message },
        StatusCode::FORBIDDEN => Error::Forbidden { message },
        StatusCode::NOT_FOUND => Error::NotFound { message },
        StatusCode::UNPROCESSABLE_ENTITY => {
            Error::Unprocessable { message, errors: errors.filter(|e| !e.is_null()).map(|e| redact_json(e, record)) }
        }
        StatusCode::TOO_MANY_REQUESTS => Error::RateLimited { retry_after: record.retry_after, attempts: record.attempts.max(1) },
        _ => Error::Http { status, message, body },
    }
}

pub(crate) fn excerpt(bytes: &[u8], record: &CallRecord) -> String {
    let text = String::from_utf8_lossy(bytes);
    // Redact before cutting, so that a key cut in half cannot survive.
    let collapsed = redact(&text.split_whitespace().collect::<Vec<_>>().join(" "), record);
    let mut cut: String = collapsed.chars().take(EXCERPT_CHARS).collect();
    if collapsed.chars().count() > EXCERPT_CHARS {
        cut.push('…');
    }
    cut
}

/// [`redact`] on every string (and object key) of a JSON value, such as a 422's `errors`.
fn redact_json(value: serde_json::Value, record: &CallRecord) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => Value::String(redact(&text, record)),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| redact_json(v, record)).collect()),
        Value::Object(fields) => Value::Object(fields.into_iter().map(|(k, v)| (redact(&k, record), redact_json(v, record))).collect()),
        other => other,
    }
}

fn redact(text: &str, record: &CallRecord) -> String {
    match record.api_key {
        Some(key) => key.redact(text),
        None => text.to_string(),
    }
}
