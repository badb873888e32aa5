//! What a call makes of MOCO's answer once the hooks (`hooks.rs`) have sent the request and read
//! the body: the operation's type for a success, an [`Error`] for everything else.
//!
//! Each generated `send_with_response` is
//!
//! ```text
//! let call = Call::new(self.client, "get_project");
//! let answer = call.answer(self.send_raw().await)?;   // the request, through the hooks
//! match answer.status().as_u16() {
//!     200u16 => call.json(answer).await,               // the spec's success statuses
//!     _ => Err(call.failure(answer).await),
//! }
//! ```
//!
//! with the success arms taken from the spec (`Call::empty` for an answer without a body,
//! `Call::stream` for a download). What an error needs of the call travels with it: the
//! operation and the key to redact here, the attempts in the [`Answer`], the `Retry-After` in its
//! headers. So nothing is kept per call on the side, and the decoded value is moved through as
//! few futures as possible (see BENCHMARKS.md, per-request overhead).

use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
use reqwest::{header::HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::{
    auth::ApiKey,
    error::{excerpt, from_body, from_reqwest, not_sent, CallRecord},
    hooks::{Answer, AnswerBody},
    types, Client, Error,
};

/// One call of an operation, as far as its answer is concerned.
pub(crate) struct Call<'a> {
    operation: &'static str,
    api_key: Option<&'a ApiKey>,
}

impl<'a> Call<'a> {
    pub(crate) fn new(client: &'a Client, operation: &'static str) -> Self {
        Call { operation, api_key: client.inner().api_key.as_ref() }
    }

    /// A call without a client, for `crate::__fuzz`.
    #[cfg(feature = "unstable-internals")]
    pub(crate) fn detached(operation: &'static str, api_key: Option<&'a ApiKey>) -> Self {
        Call { operation, api_key }
    }

    /// What the generated `send_raw` gave: the answer, or why there is none (a parameter the
    /// request could not be built with, or a transport failure after the retries).
    pub(crate) fn answer(&self, sent: Result<reqwest::Result<Answer>, progenitor_client::Error<types::Error>>) -> Result<Answer, Error> {
        match sent {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(error)) => Err(from_reqwest(error)),
            Err(error) => Err(not_sent(error)),
        }
    }

    /// A success answer's JSON body, decoded into `T`. An empty body reads as `null`: operations
    /// whose answer may be empty have an `Option` type (see `codegen/src/adapt.rs`); for the
    /// others it is a [`Error::Decode`].
    pub(crate) async fn json<T: DeserializeOwned>(&self, answer: Answer) -> Result<ResponseValue<T>, Error> {
        let (status, headers, body) = read(answer).await?;
        self.decode(status, headers, json_of(&body), &body)
    }

    /// Decodes `json` (the body, or what stands for it) into `T`; a mismatch is an
    /// [`Error::Decode`] that quotes the start of `body`.
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        status: StatusCode,
        headers: HeaderMap,
        json: &[u8],
        body: &[u8],
    ) -> Result<ResponseValue<T>, Error> {
        match serde_json::from_slice(json) {
            Ok(value) => Ok(ResponseValue::new(value, status, headers)),
            Err(source) => {
                let record = CallRecord { attempts: 1, retry_after: None, api_key: self.api_key };
                Err(Error::Decode { operation: self.operation, status, excerpt: excerpt(body, &record), source })
            }
        }
    }

    /// A success answer without a body (or whose body does not matter).
    pub(crate) fn empty(&self, mut answer: Answer) -> ResponseValue<()> {
        let (status, headers) = answer.take_head();
        ResponseValue::new((), status, headers)
    }

    /// A download: the body as a stream of chunks (a file over the size limit is an error at once).
    pub(crate) fn stream(&self, mut answer: Answer) -> Result<ResponseValue<ByteStream>, Error> {
        let (status, headers) = answer.take_head();
        let stream = match answer.body {
            AnswerBody::Streamed => ByteStream::new(Box::pin(answer.response.bytes_stream())),
            AnswerBody::TooLarge { limit } => return Err(Error::ResponseTooLarge { limit }),
            // A file the server sent as text (or without a type) was read like one.
            AnswerBody::Read(bytes) => ByteStream::new(Box::pin(futures::stream::once(std::future::ready(Ok(bytes))))),
        };
        Ok(ResponseValue::new(stream, status, headers))
    }

    /// Any answer that is not one of the operation's successes: MOCO's JSON error, a proxy's
    /// HTML page, a status the spec does not declare.
    pub(crate) async fn failure(&self, answer: Answer) -> Error {
        let record = CallRecord {
            attempts: answer.attempts,
            retry_after: crate::retry::retry_after(answer.response.headers()),
            api_key: self.api_key,
        };
        match read(answer).await {
            Ok((status, _, body)) => from_body(status, &body, &record),
            Err(error) => error,
        }
    }
}

/// What a success body stands for as JSON: itself, or `null` when it is empty.
pub(crate) fn json_of(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    }
}

/// The status, the headers (taken, not copied) and the whole body.
pub(crate) async fn read(mut answer: Answer) -> Result<(StatusCode, HeaderMap, bytes::Bytes), Error> {
    let (status, headers) = answer.take_head();
    match answer.body {
        AnswerBody::Read(body) => Ok((status, headers, body)),
        AnswerBody::TooLarge { limit } => Err(Error::ResponseTooLarge { limit }),
        // A success of a type that is neither JSON nor text, where JSON was expected: read it
        // (within the limit) all the same, and let the decoding judge it.
        AnswerBody::Streamed => Ok((status, headers, answer.response.bytes().await.map_err(from_reqwest)?)),
    }
}
