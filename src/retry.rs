//! When a failed attempt is tried again, and after how long.
//!
//! - 429 Too Many Requests: always (the server did not process the request), after
//!   `Retry-After` when the server sends it, otherwise after an exponential backoff with jitter.
//! - 500/502/503/504 and connection failures: only for idempotent methods (GET, PUT, DELETE, ...),
//!   since a POST may have been processed before the failure.
//!
//! Both the number of retries and the total time spent waiting are bounded.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::{header::RETRY_AFTER, Method, StatusCode};

/// Retry settings; see the module docs for what is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// First backoff delay; it doubles on each retry, with jitter.
    pub initial_backoff: Duration,
    /// Longest single backoff delay.
    pub max_backoff: Duration,
    /// Longest total wait across all retries of one request. A `Retry-After` that would exceed
    /// it ends the retries at once.
    pub max_total_wait: Duration,
    /// Retry 5xx answers and connection failures of idempotent requests.
    pub retry_server_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(32),
            max_total_wait: Duration::from_secs(120),
            retry_server_errors: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> {
        ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_retries as usize)
            .build()
    }
}

/// What one attempt ended in, as far as retrying is concerned.
pub(crate) enum Outcome<'a> {
    Status(StatusCode, &'a reqwest::header::HeaderMap),
    Transport(&'a reqwest::Error),
}

/// Tracks one request's retries.
pub(crate) struct RetryState<B> {
    policy: RetryPolicy,
    idempotent: bool,
    backoff: B,
    retries: u32,
    waited: Duration,
}

impl RetryState<()> {
    pub(crate) fn new(policy: RetryPolicy, method: &Method) -> RetryState<impl Iterator<Item = Duration>> {
        RetryState {
            policy,
            idempotent: matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS),
            backoff: policy.backoff(),
            retries: 0,
            waited: Duration::ZERO,
        }
    }
}

impl<B: Iterator<Item = Duration>> RetryState<B> {
    /// How long to wait before the next attempt, or `None` to give up and return this outcome.
    pub(crate) fn next_delay(&mut self, outcome: Outcome<'_>) -> Option<Duration> {
        let server_hint = match outcome {
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS, headers) => retry_after(headers),
            Outcome::Status(status, headers) if self.retries_server_errors() && is_transient(status) => retry_after(headers),
            Outcome::Transport(e) if self.retries_server_errors() && (e.is_connect() || e.is_timeout()) => None,
            _ => return None,
        };
        if self.retries >= self.policy.max_retries {
            return None;
        }
        let backoff = self.backoff.next();
        let delay = server_hint.or(backoff)?;
        if self.waited + delay > self.policy.max_total_wait {
            return None;
        }
        self.retries += 1;
        self.waited += delay;
        Some(delay)
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.retries + 1
    }

    fn retries_server_errors(&self) -> bool {
        self.idempotent && self.policy.retry_server_errors
    }
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

/// `Retry-After` as delta-seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}
