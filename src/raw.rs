//! The escape hatch: any MOCO endpoint, described in the spec or not, called with the client's
//! authentication, impersonation, rate limit, retries, tracing and [`Error`] mapping.

use progenitor_client::{OperationInfo, ResponseValue};
use reqwest::Method;
use serde::{de::DeserializeOwned, Serialize};

use crate::{answer::Call, Client, Error};

/// The operation name raw requests carry in spans and errors.
const RAW_OPERATION: &str = "raw_request";

impl Client {
    /// A request to any path below the base URL (`/api/v1`), for endpoints the spec does not
    /// describe yet. It goes through the same hooks as every generated call.
    ///
    /// ```no_run
    /// # async fn run(client: mocoapp::Client) -> Result<(), mocoapp::Error> {
    /// use reqwest::Method;
    /// // Typed answer:
    /// #[derive(serde::Deserialize)]
    /// struct Tag { id: i64, name: String }
    /// let tags: Vec<Tag> = client.request(Method::GET, "/tags").query("context", "Project").send().await?;
    /// // Or raw JSON, with a body:
    /// let created: serde_json::Value = client
    ///     .request(Method::POST, "/tags")
    ///     .json(&serde_json::json!({ "name": "Print", "context": "Project" }))
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn request(&self, method: Method, path: &str) -> RawRequest<'_> {
        RawRequest {
            client: self,
            operation: RAW_OPERATION,
            method,
            path: path.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Ok(None),
        }
    }
}

/// A request built with [`Client::request`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<'a> {
    client: &'a Client,
    /// The name in spans and errors (hand-written operations set their operationId).
    operation: &'static str,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    /// Content type and bytes.
    body: Result<Option<(String, Vec<u8>)>, String>,
}

impl RawRequest<'_> {
    /// Adds a query parameter (repeat it for several).
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds a request header (e.g. `X-IMPERSONATE-USER-ID` for this request only).
    pub fn header(mut self, name: reqwest::header::HeaderName, value: reqwest::header::HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sends this value as the JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = serde_json::to_vec(body)
            .map(|bytes| Some(("application/json".to_string(), bytes)))
            .map_err(|e| format!("the body cannot be serialized: {e}"));
        self
    }

    /// Sends these bytes as the body, with this content type.
    pub(crate) fn body(mut self, content_type: String, bytes: Vec<u8>) -> Self {
        self.body = Ok(Some((content_type, bytes)));
        self
    }

    /// Names the request in spans and errors.
    pub(crate) fn operation(mut self, operation_id: &'static str) -> Self {
        self.operation = operation_id;
        self
    }

    /// Sends the request and decodes the JSON answer into `T` (`serde_json::Value` for raw JSON;
    /// an empty answer decodes as JSON `null`, so `()` and `Option<_>` accept it).
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.send_with_response().await.map(ResponseValue::into_inner)
    }

    /// Like [`Self::send`], with the HTTP status and headers.
    pub async fn send_with_response<T: DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        let (client, operation) = (self.client, self.operation);
        let call = Call::new(client, operation);
        let request = self.build_request()?;
        let answer = crate::hooks::send(client, operation, request, crate::hooks::Success::Json).await?;
        if !answer.status().is_success() {
            return Err(call.failure(answer));
        }
        call.json(answer)
    }

    /// Builds the request, prepared by the hooks; sending it and reading the answer is left to
    /// `hooks.rs` and `answer.rs`.
    fn build_request(self) -> Result<reqwest::Request, Error> {
        let Self { client, operation, method, path, query, headers, body } = self;
        let body = body.map_err(Error::InvalidRequest)?;
        let url = format!("{}/{}", client.baseurl, path.trim_start_matches('/'));
        let mut builder = client.client.request(method, url).header(reqwest::header::ACCEPT, "application/json");
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        if let Some((content_type, bytes)) = body {
            builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
        }
        let mut request = builder.build().map_err(crate::error::from_reqwest)?;
        stays_below_base(request.url(), &client.baseurl, &path).map_err(Error::InvalidRequest)?;
        crate::hooks::prepare(client, &mut request, &OperationInfo { operation_id: operation });
        Ok(request)
    }
}

/// A raw path may not leave the base URL: `..` (also as `%2e%2e`, which URL parsing resolves the
/// same way) could otherwise reach another path of the host with the API key attached, and `?`
/// or `#` would smuggle a query past [`RawRequest::query`].
fn stays_below_base(url: &reqwest::Url, base: &str, path: &str) -> Result<(), String> {
    if path.contains(['?', '#']) {
        return Err(format!("the path {path:?} contains `?` or `#`: give query parameters with .query(name, value)"));
    }
    let prefix = format!("{}/", base.trim_end_matches('/'));
    if !url.as_str().starts_with(&prefix) {
        return Err(format!("the path {path:?} leaves the base URL {base}"));
    }
    Ok(())
}
