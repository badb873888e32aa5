//! What a call makes of MOCO's answer once the hooks (`hooks.rs`) have sent the request and read
//! the body: the operation's type for a success, an [`Error`] for everything else.
//!
//! Each generated `send_with_response` is
//!
//! ```text
//! let (client, call) = (self.client, Call::new(self.client, "get_project"));
//! let request = self.build_request().map_err(crate::error::not_sent)?;   // a parameter it could not take
//! let answer = crate::hooks::send(client, "get_project", request, Success::Json).await?;  // through the hooks
//! match answer.status().as_u16() {
//!     200u16 => call.json(answer),                     // the spec's success statuses
//!     _ => Err(call.failure(answer)),
//! }
//! ```
//!
//! with the success arms taken from the spec (`Call::empty` for an answer without a body,
//! `Call::stream` for a download); each `send` is the same with `Call::value`, which hands back
//! the decoded value alone. What an error needs of the call travels with it: the
//! operation and the key to redact here, the attempts in the [`Answer`], the `Retry-After` in its
//! headers. So nothing is kept per call on the side, and the decoded value is moved through as
//! few futures as possible (see BENCHMARKS.md, per-request overhead).

use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
use reqwest::{header::HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::{
    auth::ApiKey,
    error::{excerpt, from_body, CallRecord},
    hooks::{Answer, AnswerBody},
    Client, Error,
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

    /// A success answer's JSON body, decoded into `T`, with the answer's status and headers. An
    /// empty body reads as `null`: operations whose answer may be empty have an `Option` type
    /// (see `codegen/src/adapt.rs`); for the others it is a [`Error::Decode`].
    pub(crate) fn json<T: DeserializeOwned>(&self, answer: Answer) -> Result<ResponseValue<T>, Error> {
        let (status, headers, body) = read(answer)?;
        self.decode(status, json_of(&body), &body).map(|value| ResponseValue::new(value, status, headers))
    }

    /// The same as [`Self::json`], the decoded value alone (for `send`: the value is then not
    /// moved into a `ResponseValue` and out again).
    pub(crate) fn value<T: DeserializeOwned>(&self, answer: Answer) -> Result<T, Error> {
        let (status, _, body) = read(answer)?;
        self.decode(status, json_of(&body), &body)
    }

    /// Decodes `json` (the body, or what stands for it) into `T`; a mismatch is an
    /// [`Error::Decode`] that quotes the start of `body`.
    pub(crate) fn decode<T: DeserializeOwned>(&self, status: StatusCode, json: &[u8], body: &[u8]) -> Result<T, Error> {
        match serde_json::from_slice(json) {
            Ok(value) => Ok(value),
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
    pub(crate) fn failure(&self, answer: Answer) -> Error {
        let record = CallRecord {
            attempts: answer.attempts,
            retry_after: crate::retry::retry_after(answer.response.headers()),
            api_key: self.api_key,
        };
        match read(answer) {
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

/// The status, the headers (taken, not copied) and the whole body, which the hooks have read:
/// they read every answer but a download's file (`Success::File`), and only a download's
/// [`Call::stream`] takes that.
pub(crate) fn read(mut answer: Answer) -> Result<(StatusCode, HeaderMap, bytes::Bytes), Error> {
    let (status, headers) = answer.take_head();
    match answer.body {
        AnswerBody::Read(body) => Ok((status, headers, body)),
        AnswerBody::TooLarge { limit } => Err(Error::ResponseTooLarge { limit }),
        AnswerBody::Streamed => {
            Err(Error::Http { status, message: Some("the answer is a file where JSON was expected".into()), body: String::new() })
        }
    }
}
