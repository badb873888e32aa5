//! `mocoapp::__fuzz`: entry points into private parsers for the fuzz targets (`fuzz/`) and the
//! property tests (`tests/properties.rs`). Only with the `unstable-internals` feature; not part of
//! the API, may change at any time.
//! The rest they exercise is public (response types, [`crate::Page::from_response`],
//! [`crate::webhooks`]) or comes with the same feature (the page streams in `pagination`).

use reqwest::{header::HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::{
    answer::Call,
    auth::ApiKey,
    error::CallRecord,
    hooks::{Answer, AnswerBody},
    pagination::Page,
    AuthScheme, Error,
};

/// Decodes a 200 answer with this body the way every generated call does (`Call::json` in
/// `answer.rs`: an empty body reads as `null`, a body that does not decode is an
/// [`Error::Decode`] quoting its start, `api_key` redacted).
pub fn decode_answer<T: DeserializeOwned>(body: &[u8], api_key: Option<&str>) -> Result<T, Error> {
    let key = api_key.and_then(|key| ApiKey::new(key, AuthScheme::Token).ok());
    let call = Call::detached("fuzz", key.as_ref());
    let body = bytes::Bytes::copy_from_slice(body);
    let response = reqwest::Response::from(http::Response::new(body.clone()));
    let answer = Answer { response, body: AnswerBody::Read(body), attempts: 1 };
    call.json::<T>(answer).map(progenitor_client::ResponseValue::into_inner)
}

/// What the page streams read from one list response's headers.
#[derive(Debug)]
pub struct PageHeaders {
    /// The page as [`Page::from_response`] reads it (without items).
    pub page: Result<Page<()>, Error>,
    /// The last page that `X-Total` and `X-Per-Page` imply, when both are usable.
    pub last_page: Option<i64>,
    /// The page to fetch after `current` (`Link: rel="next"`, which must point forward), when
    /// the headers could be read.
    pub follow: Option<Result<Option<i64>, Error>>,
}

/// Reads pagination headers the way the page streams do, with `current` as the page requested.
pub fn page_headers(headers: &HeaderMap, current: i64) -> PageHeaders {
    let page = Page::from_response(progenitor_client::ResponseValue::new(Vec::new(), StatusCode::OK, headers.clone()));
    let (last_page, follow) = match &page {
        Ok(page) => (page.last_page(), Some(page.follow(current))),
        Err(_) => (None, None),
    };
    PageHeaders { page, last_page, follow }
}

/// The error the client returns for a non-success answer with this body, as for a response
/// the spec does not declare (the body may or may not be MOCO's JSON error); `api_key`, when
/// given and valid, is redacted from the message.
pub fn error_from_body(status: StatusCode, body: &[u8], api_key: Option<&str>) -> Error {
    let key = api_key.and_then(|key| ApiKey::new(key, AuthScheme::Token).ok());
    let record = CallRecord { attempts: 1, retry_after: None, api_key: key.as_ref() };
    crate::error::from_body(status, body, &record)
}
