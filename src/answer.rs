//! What a call makes of MOCO's answer once the hooks (`hooks.rs`) have sent the request and read
//! the body: the operation's type for a success, an [`Error`] for everything else.
//!
//! Each generated `send_with_response` is
//!
//! ```text
//! let call = Call::new(self.client, "get_project");
//! let response = call.answer(self.send_raw().await)?;   // the request, through the hooks
//! match response.status().as_u16() {
//!     200u16 => call.json(response).await,               // the spec's success statuses
//!     _ => Err(call.failure(response).await),
//! }
//! ```
//!
//! with the success arms taken from the spec (`ResponseValue::empty` for an answer without a
//! body, `ResponseValue::stream` for a download). What the error needs of the call travels with
//! it: the operation and the key to redact here, the attempts in the answer's extensions (set by
//! the hooks), the `Retry-After` in its headers. So nothing is kept per call on the side, and the
//! decoded value is moved through as few futures as possible (see BENCHMARKS.md, per-request
//! overhead).

use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::{header::HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::{
    auth::ApiKey,
    error::{excerpt, from_body, from_reqwest, not_sent, CallRecord},
    types, Client, Error,
};

/// The attempts made for a non-success answer, retries included; the hooks put it in the
/// answer's extensions (a success does not need it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attempts(pub(crate) u32);

/// One call of an operation, as far as its answer is concerned.
pub(crate) struct Call<'a> {
    operation: &'static str,
    api_key: Option<&'a ApiKey>,
}

impl<'a> Call<'a> {
    pub(crate) fn new(client: &'a Client, operation: &'static str) -> Self {
        Call { operation, api_key: client.inner().api_key.as_ref() }
    }

    /// What the generated `send_raw` gave: the answer, or why there is none (a parameter the
    /// request could not be built with, or a transport failure after the retries).
    pub(crate) fn answer(
        &self,
        sent: Result<reqwest::Result<reqwest::Response>, progenitor_client::Error<types::Error>>,
    ) -> Result<reqwest::Response, Error> {
        match sent {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => Err(from_reqwest(error)),
            Err(error) => Err(not_sent(error)),
        }
    }

    /// A success answer's JSON body, decoded into `T`.
    pub(crate) async fn json<T: DeserializeOwned>(&self, response: reqwest::Response) -> Result<ResponseValue<T>, Error> {
        let (status, headers, body) = read(response).await?;
        self.decode(status, headers, &body, &body)
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

    /// Any answer that is not one of the operation's successes: MOCO's JSON error, a proxy's
    /// HTML page, a status the spec does not declare.
    pub(crate) async fn failure(&self, response: reqwest::Response) -> Error {
        let record = CallRecord {
            attempts: response.extensions().get::<Attempts>().map_or(1, |a| a.0),
            retry_after: crate::retry::retry_after(response.headers()),
            api_key: self.api_key,
        };
        match read(response).await {
            Ok((status, _, body)) => from_body(status, &body, &record),
            Err(error) => error,
        }
    }
}

/// The status, the headers (taken, not copied) and the whole body.
pub(crate) async fn read(mut response: reqwest::Response) -> Result<(StatusCode, HeaderMap, bytes::Bytes), Error> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(from_reqwest)?;
    Ok((status, headers, body))
}
