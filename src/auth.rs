//! The API key and how it is sent. The key lives only inside [`ApiKey`], whose `Debug` and
//! `Display` print a placeholder, and whose header value is marked sensitive so that reqwest and
//! http never print it either.

use std::{fmt, sync::Arc};

use reqwest::header::HeaderValue;

use crate::Error;

/// How the key is presented in the `Authorization` header. MOCO accepts both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Token token=KEY` (MOCO's original scheme).
    #[default]
    Token,
    /// `Authorization: Bearer KEY`.
    Bearer,
}

/// A MOCO API key (a user's or an account's), ready to be sent. Crate-private: the builder's
/// `api_key(..)` takes the text and checks it when the client is built.
#[derive(Clone)]
pub struct ApiKey {
    secret: Arc<str>,
    header: HeaderValue,
}

impl ApiKey {
    /// Checks the key and prepares its `Authorization` header value.
    pub fn new(key: impl Into<String>, scheme: AuthScheme) -> Result<Self, Error> {
        let secret: String = key.into();
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        let value = match scheme {
            AuthScheme::Token => format!("Token token={secret}"),
            AuthScheme::Bearer => format!("Bearer {secret}"),
        };
        let mut header = HeaderValue::from_str(&value)
            .map_err(|_| Error::Config("the API key contains characters that cannot be sent in a header".into()))?;
        header.set_sensitive(true);
        Ok(Self { secret: secret.into(), header })
    }

    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }

    /// Replaces every occurrence of the key in `text` (used on response excerpts that end up in
    /// error messages, in case a proxy echoes the request).
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(&*self.secret, "[redacted]")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let key = ApiKey::new("0123456789abcdef", AuthScheme::Bearer).unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey([redacted])");
        assert!(!format!("{:?}", key.header()).contains("0123456789"), "the header value is sensitive");
    }
}
