//! Operations the generator cannot produce because their body is `multipart/form-data` (the
//! codegen leaves them out, see `codegen/src/adapt.rs`): written here by hand, on top of
//! [`Client::request`], so they get the same hooks as every generated call.

use reqwest::{
    header::{HeaderName, HeaderValue},
    Method,
};

use crate::{types, Client, Error, RawRequest, ResponseValue, IMPERSONATE_HEADER};

impl Client {
    /// Upload or replace a purchase's document: `PATCH /purchases/{id}/store_document`, a
    /// `multipart/form-data` upload with the single part `file`.
    ///
    /// ```no_run
    /// # async fn run(client: mocoapp::Client) -> Result<(), mocoapp::Error> {
    /// let pdf = std::fs::read("invoice-4711.pdf").unwrap();
    /// // MOCO may answer with the purchase or with nothing (`None`).
    /// let purchase = client.store_purchase_document(123, "invoice-4711.pdf", pdf).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn store_purchase_document(&self, id: i64, file_name: &str, content: impl Into<Vec<u8>>) -> StorePurchaseDocument<'_> {
        let (content_type, body) = multipart_file("file", file_name, &content.into());
        let request = self
            .request(Method::PATCH, &format!("/purchases/{id}/store_document"))
            .operation("store_purchase_document")
            .body(content_type, body);
        StorePurchaseDocument { request }
    }
}

/// The request built by [`Client::store_purchase_document`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct StorePurchaseDocument<'a> {
    request: RawRequest<'a>,
}

impl StorePurchaseDocument<'_> {
    /// Act on behalf of this user for this request only.
    pub fn x_impersonate_user_id(self, user_id: i64) -> Self {
        Self { request: self.request.header(HeaderName::from_static(IMPERSONATE_HEADER), HeaderValue::from(user_id)) }
    }

    /// Sends the upload and returns the purchase, or `None` when MOCO answers with an empty body
    /// (as its OpenAPI description shows; its docs show no answer).
    pub async fn send(self) -> Result<Option<types::Purchase>, Error> {
        self.request.send().await
    }

    /// Like `send`, with the HTTP status and headers.
    pub async fn send_with_response(self) -> Result<ResponseValue<Option<types::Purchase>>, Error> {
        self.request.send_with_response().await
    }
}

/// A `multipart/form-data` body with one file part, built in memory so that a 429 can be retried
/// with the same bytes. Returns the content type (with its boundary) and the body.
fn multipart_file(field: &str, file_name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("mocoapp-{}", uuid::Uuid::new_v4().simple());
    // Quotes and line breaks would end the header value early.
    let file_name: String = file_name.chars().filter(|c| !matches!(c, '"' | '\r' | '\n')).collect();
    let mut body = Vec::with_capacity(content.len() + 256);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
