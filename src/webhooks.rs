//! Receiving MOCO web hooks: verify a delivery's `X-Moco-Signature` and parse it into a typed
//! [`WebhookEvent`].
//!
//! MOCO signs the raw request body with HMAC-SHA256, keyed with the hook's 32-character key (the
//! key's text, as shown in MOCO), and sends the digest as lower-case hex. It retries failed
//! deliveries and does not keep them in order, so every event carries its timestamp, and
//! [`WebhookVerifier::tolerance`] can reject deliveries older than you accept (replays).
//!
//! ```
//! use mocoapp::webhooks::{WebhookPayload, WebhookVerifier};
//! use reqwest::header::{HeaderMap, HeaderValue};
//!
//! let verifier = WebhookVerifier::new("1d608b9d72219b90ff2393a1d3ee0ac0");
//! let body = br#"{"id":111,"description":"a description"}"#;
//! let mut headers = HeaderMap::new();
//! headers.insert("X-Moco-Target", HeaderValue::from_static("Activity"));
//! headers.insert("X-Moco-Event", HeaderValue::from_static("delete"));
//! headers.insert("X-Moco-Timestamp", HeaderValue::from_static("1527170410463"));
//! headers.insert(
//!     "X-Moco-Signature",
//!     HeaderValue::from_static("bf027a86207ef1ca1cb76f5a536b41a14287ab1a0fd5b33bfe86924bc2f48fd1"),
//! );
//! let event = verifier.parse(&headers, body).unwrap();
//! assert_eq!(event.target, "Activity");
//! assert!(matches!(event.payload, WebhookPayload::Deleted { id: 111 }));
//! ```

use std::time::{Duration, SystemTime};

use chrono::{DateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

use crate::types;

/// The header carrying the hex HMAC-SHA256 of the body.
pub const SIGNATURE_HEADER: &str = "x-moco-signature";
/// The entity kind (`Activity`, `Project`, `Invoice::Payment`, ...).
pub const TARGET_HEADER: &str = "x-moco-target";
/// The event (`create`, `update`, `delete`, `archive`, ...).
pub const EVENT_HEADER: &str = "x-moco-event";
/// When the event happened, in milliseconds since the epoch.
pub const TIMESTAMP_HEADER: &str = "x-moco-timestamp";
/// The user whose action triggered the delivery.
pub const USER_ID_HEADER: &str = "x-moco-user-id";
/// The account's URL.
pub const ACCOUNT_URL_HEADER: &str = "x-moco-account-url";

/// Why a delivery was rejected. Answer MOCO with a 4xx for these (MOCO retries on failure).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header MOCO always sends is missing.
    #[error("the web hook delivery has no {0} header")]
    MissingHeader(&'static str),
    /// A header is not what MOCO sends (not text, not a number, ...).
    #[error("the web hook delivery's {name} header is malformed: {reason}")]
    MalformedHeader {
        /// The header.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The signature is not 64 hex digits.
    #[error("the web hook signature is not a hex SHA-256 digest")]
    MalformedSignature,
    /// The signature does not match the body and key: not from MOCO, or tampered with.
    #[error("the web hook signature does not match the body")]
    WrongSignature,
    /// The event is older than the verifier's tolerance (a late retry or a replay).
    #[error("the web hook event is {age:?} old, more than the {tolerance:?} accepted")]
    TooOld {
        /// How old the event is.
        age: Duration,
        /// The tolerance set on the verifier.
        tolerance: Duration,
    },
    /// The event is dated further in the future than the verifier's tolerance (a clock far off,
    /// or a timestamp that is not MOCO's).
    #[error("the web hook event is dated {ahead:?} in the future, more than the {tolerance:?} accepted")]
    FromTheFuture {
        /// How far ahead of now the event's timestamp is.
        ahead: Duration,
        /// The tolerance set on the verifier.
        tolerance: Duration,
    },
    /// The body is not JSON of the shape its target has.
    #[error("the web hook body for {target} cannot be read: {source}")]
    Payload {
        /// The target header.
        target: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
}

/// Verifies and parses deliveries of one web hook (one key).
#[derive(Clone)]
pub struct WebhookVerifier {
    key: Vec<u8>,
    tolerance: Option<Duration>,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier").field("key", &"[redacted]").field("tolerance", &self.tolerance).finish()
    }
}

impl WebhookVerifier {
    /// A verifier for the hook with this key (the 32-character hex string MOCO shows).
    pub fn new(key: impl AsRef<str>) -> Self {
        Self { key: key.as_ref().trim().as_bytes().to_vec(), tolerance: None }
    }

    /// Rejects events whose `X-Moco-Timestamp` is older than `tolerance`, or further than
    /// `tolerance` in the future (default: no limit, since MOCO retries failed deliveries later).
    ///
    /// MOCO's signature covers the body only, not the timestamp header: this rejects late
    /// retries and verbatim replays of a recorded delivery, not a replay whose sender rewrites
    /// `X-Moco-Timestamp`. To ignore repeated deliveries, remember what was processed (e.g. the
    /// target, the entity's id and its `updated_at`).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// Checks `signature` (hex) against the raw body.
    ///
    /// Anything but 64 hex digits (surrounding whitespace aside) is
    /// [`WebhookError::MalformedSignature`] before any comparison. The comparison itself is
    /// `hmac`'s `verify_slice`, which compares in constant time (`subtle`), so the time taken
    /// does not tell an attacker how many leading bytes of a forged digest were right. (A test
    /// cannot show timing; do not replace it with `==` on the bytes or the hex.)
    pub fn verify(&self, signature: &str, body: &[u8]) -> Result<(), WebhookError> {
        let signature = signature.trim();
        if signature.len() != 64 {
            return Err(WebhookError::MalformedSignature);
        }
        let expected = hex::decode(signature).map_err(|_| WebhookError::MalformedSignature)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(body);
        mac.verify_slice(&expected).map_err(|_| WebhookError::WrongSignature)
    }

    /// Verifies a delivery (headers and raw body) and parses it, judging its age against now.
    pub fn parse(&self, headers: &HeaderMap, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        self.parse_at(headers, body, SystemTime::now())
    }

    /// [`Self::parse`] with the current time given (for tests and replays of stored deliveries).
    pub fn parse_at(&self, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Result<WebhookEvent, WebhookError> {
        let signature = header(headers, SIGNATURE_HEADER)?.ok_or(WebhookError::MissingHeader(SIGNATURE_HEADER))?;
        self.verify(signature, body)?;
        let target = header(headers, TARGET_HEADER)?.ok_or(WebhookError::MissingHeader(TARGET_HEADER))?.to_string();
        let event = header(headers, EVENT_HEADER)?.ok_or(WebhookError::MissingHeader(EVENT_HEADER))?.to_string();
        let millis: i64 = number(headers, TIMESTAMP_HEADER)?.ok_or(WebhookError::MissingHeader(TIMESTAMP_HEADER))?;
        let timestamp = Utc
            .timestamp_millis_opt(millis)
            .single()
            .ok_or_else(|| WebhookError::MalformedHeader { name: TIMESTAMP_HEADER, reason: format!("{millis} is not a time") })?;
        if let Some(tolerance) = self.tolerance {
            match now.duration_since(SystemTime::from(timestamp)) {
                Ok(age) if age > tolerance => return Err(WebhookError::TooOld { age, tolerance }),
                Err(ahead) if ahead.duration() > tolerance => {
                    return Err(WebhookError::FromTheFuture { ahead: ahead.duration(), tolerance })
                }
                _ => {}
            }
        }
        let user_id = number(headers, USER_ID_HEADER)?;
        let account_url = header(headers, ACCOUNT_URL_HEADER)?.map(str::to_string);
        let payload =
            WebhookPayload::read(&target, &event, body).map_err(|source| WebhookError::Payload { target: target.clone(), source })?;
        Ok(WebhookEvent { target, event, timestamp, user_id, account_url, payload })
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<Option<&'h str>, WebhookError> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => {
            value.to_str().map(|v| Some(v.trim())).map_err(|_| WebhookError::MalformedHeader { name, reason: "not visible ASCII".into() })
        }
    }
}

fn number(headers: &HeaderMap, name: &'static str) -> Result<Option<i64>, WebhookError> {
    header(headers, name)?
        .map(|v| v.parse().map_err(|_| WebhookError::MalformedHeader { name, reason: format!("{v:?} is not a number") }))
        .transpose()
}

/// One verified delivery.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// `X-Moco-Target`: `Activity`, `Project`, `Invoice::Payment`, ...
    pub target: String,
    /// `X-Moco-Event`: `create`, `update`, `delete`, `archive`, ...
    pub event: String,
    /// `X-Moco-Timestamp`: when it happened. Deliveries can arrive out of order: compare these.
    pub timestamp: DateTime<Utc>,
    /// `X-Moco-User-Id`: who triggered it.
    pub user_id: Option<i64>,
    /// `X-Moco-Account-Url`.
    pub account_url: Option<String>,
    /// The body, as the model of its target where the crate has one.
    pub payload: WebhookPayload,
}

/// A delivery's body. Targets without a model here, and bodies that do not match their model,
/// are kept as JSON in [`WebhookPayload::Other`]; a `delete` carries only the id.
///
/// Each typed variant exists with its resource's cargo feature (`activities`, `companies`,
/// `contacts`, `deals-leads`, `invoices`, `offers`, `projects`, `purchases`, `users`, `comments`,
/// `schedules`, `planning-entries`; all with the default `full`); without it that target's
/// deliveries arrive as [`WebhookPayload::Other`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum WebhookPayload {
    /// `Activity`
    #[cfg(feature = "activities")]
    Activity(types::Activity),
    /// `Company`
    #[cfg(feature = "companies")]
    Company(types::Company),
    /// `Contact`
    #[cfg(feature = "contacts")]
    Contact(types::Contact),
    /// `Deal`
    #[cfg(feature = "deals-leads")]
    Deal(types::Deal),
    /// `Invoice`
    #[cfg(feature = "invoices")]
    Invoice(types::Invoice),
    /// `Offer`
    #[cfg(feature = "offers")]
    Offer(types::Offer),
    /// `Project`
    #[cfg(feature = "projects")]
    Project(types::Project),
    /// `Purchase`
    #[cfg(feature = "purchases")]
    Purchase(types::Purchase),
    /// `User`
    #[cfg(feature = "users")]
    User(types::User),
    /// `Comment`
    #[cfg(feature = "comments")]
    Comment(types::Comment),
    /// `Schedule`
    #[cfg(feature = "schedules")]
    Schedule(types::Schedule),
    /// `PlanningEntry`
    #[cfg(feature = "planning-entries")]
    PlanningEntry(types::PlanningEntry),
    /// A `delete` event: only the id of what is gone.
    Deleted {
        /// The deleted entity's id.
        id: i64,
    },
    /// Any other target, or a body its model does not describe.
    Other(serde_json::Value),
}

impl WebhookPayload {
    fn read(target: &str, event: &str, body: &[u8]) -> Result<Self, serde_json::Error> {
        let json: serde_json::Value = serde_json::from_slice(body)?;
        if event == "delete" {
            if let Some(id) = json.get("id").and_then(serde_json::Value::as_i64) {
                return Ok(Self::Deleted { id });
            }
        }
        fn typed<T: serde::de::DeserializeOwned>(json: &serde_json::Value, wrap: fn(T) -> WebhookPayload) -> WebhookPayload {
            match T::deserialize(json) {
                Ok(value) => wrap(value),
                Err(_) => WebhookPayload::Other(json.clone()),
            }
        }
        Ok(match target {
            #[cfg(feature = "activities")]
            "Activity" => typed(&json, Self::Activity),
            #[cfg(feature = "companies")]
            "Company" | "Customer" => typed(&json, Self::Company),
            #[cfg(feature = "contacts")]
            "Contact" => typed(&json, Self::Contact),
            #[cfg(feature = "deals-leads")]
            "Deal" => typed(&json, Self::Deal),
            #[cfg(feature = "invoices")]
            "Invoice" => typed(&json, Self::Invoice),
            #[cfg(feature = "offers")]
            "Offer" => typed(&json, Self::Offer),
            #[cfg(feature = "projects")]
            "Project" => typed(&json, Self::Project),
            #[cfg(feature = "purchases")]
            "Purchase" => typed(&json, Self::Purchase),
            #[cfg(feature = "users")]
            "User" => typed(&json, Self::User),
            #[cfg(feature = "comments")]
            "Comment" => typed(&json, Self::Comment),
            #[cfg(feature = "schedules")]
            "Schedule" => typed(&json, Self::Schedule),
            #[cfg(feature = "planning-entries")]
            "PlanningEntry" => typed(&json, Self::PlanningEntry),
            _ => Self::Other(json),
        })
    }
}
