//! When a failed attempt is tried again, and after how long.
//!
//! - 429 Too Many Requests: always (the server did not process the request), after
//!   `Retry-After` when the server sends it, otherwise after an exponential backoff with jitter.
//! - A connection that could not be made (refused, DNS, TLS handshake): for every method, since
//!   nothing was sent.
//! - 500/502/503/504 and every other transport failure (a connection reset after the request
//!   went out, a timeout, a body that breaks off): only for idempotent methods (GET, PUT, DELETE,
//!   ...), since a POST or PATCH may have been processed before the failure. A retried DELETE
//!   whose first attempt did take effect answers 404 ([`crate::Error::NotFound`]).
//! - Never: any other status, and answers that arrived whole but do not decode.
//!
//! Both the number of retries and the total time spent waiting are bounded.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use reqwest::{header::RETRY_AFTER, Method, StatusCode};

/// Retry settings; see the module docs for what is retried. Start from `default()` or
/// [`none()`](Self::none) and change what differs with the setters (the fields can be read and
/// set; `#[non_exhaustive]` so that a setting can be added without a breaking release):
///
/// ```
/// use std::time::Duration;
/// let policy = mocoapp::RetryPolicy::default().max_retries(2).initial_backoff(Duration::from_millis(500));
/// assert_eq!(policy.max_retries, 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
    /// Retry 5xx answers and transport failures of idempotent requests, and connection failures
    /// (nothing sent) of every request. `false` retries 429s only.
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

    /// Sets [`max_retries`](Self::max_retries): retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff): the first backoff delay.
    #[must_use]
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff): the longest single backoff delay.
    #[must_use]
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Sets [`max_total_wait`](Self::max_total_wait): the longest total wait of one request.
    #[must_use]
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Sets [`retry_server_errors`](Self::retry_server_errors).
    #[must_use]
    pub fn retry_server_errors(mut self, retry: bool) -> Self {
        self.retry_server_errors = retry;
        self
    }

    /// The retry bookkeeping of one request.
    pub(crate) fn start(&self, method: &Method) -> RetryState<'_> {
        RetryState {
            policy: self,
            idempotent: matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS),
            backoff: None,
            retries: 0,
            waited: Duration::ZERO,
        }
    }

    fn backoff(&self) -> ExponentialBackoff {
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
pub(crate) struct RetryState<'p> {
    policy: &'p RetryPolicy,
    idempotent: bool,
    /// Made when the first retry is considered (most requests have none), and boxed: every
    /// request's future carries this state.
    backoff: Option<Box<ExponentialBackoff>>,
    retries: u32,
    waited: Duration,
}

impl RetryState<'_> {
    /// How long to wait before the next attempt, or `None` to give up and return this outcome.
    pub(crate) fn next_delay(&mut self, outcome: Outcome<'_>) -> Option<Duration> {
        let server_hint = match outcome {
            Outcome::Status(StatusCode::TOO_MANY_REQUESTS, headers) => retry_after(headers),
            Outcome::Status(status, headers) if self.retries_server_errors() && is_transient(status) => retry_after(headers),
            Outcome::Transport(e) if self.retries_transport(e) => None,
            _ => return None,
        };
        if self.retries >= self.policy.max_retries {
            return None;
        }
        let policy = self.policy;
        let backoff = self.backoff.get_or_insert_with(|| Box::new(policy.backoff())).next();
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

    /// A connection that was never made carried no request: safe to repeat whatever the method.
    /// Any other failure may come after the server received the request.
    fn retries_transport(&self, error: &reqwest::Error) -> bool {
        if error.is_builder() || error.is_redirect() {
            return false;
        }
        if error.is_connect() {
            return self.policy.retry_server_errors;
        }
        self.retries_server_errors()
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

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after(&headers("17")), Some(Duration::from_secs(17)));
        assert_eq!(retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")), Some(Duration::ZERO), "a past date: at once");
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        let wait = retry_after(&headers(&soon)).unwrap();
        assert!(wait > Duration::from_secs(85) && wait <= Duration::from_secs(90), "{wait:?}");
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_grows_and_stays_within_its_bounds() {
        let policy = RetryPolicy { max_retries: 8, max_total_wait: Duration::from_secs(3600), ..RetryPolicy::default() };
        let mut state = policy.start(&Method::GET);
        let none = HeaderMap::new();
        let delays: Vec<_> = std::iter::from_fn(|| state.next_delay(Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &none))).collect();
        assert_eq!(delays.len(), 8);
        for (i, delay) in delays.iter().enumerate() {
            let base = Duration::from_secs(1 << i.min(5)).min(policy.max_backoff);
            // Jitter adds up to one more base delay.
            assert!(*delay >= base && *delay <= base * 2, "retry {i}: {delay:?}");
        }
    }

    #[test]
    fn what_is_retried_depends_on_status_and_method() {
        let none = HeaderMap::new();
        let retried = |method: Method, status: u16| {
            RetryPolicy::default().start(&method).next_delay(Outcome::Status(StatusCode::from_u16(status).unwrap(), &none)).is_some()
        };
        assert!(retried(Method::POST, 429));
        assert!(retried(Method::PATCH, 429));
        assert!(retried(Method::GET, 503));
        assert!(retried(Method::DELETE, 502));
        assert!(!retried(Method::POST, 503));
        assert!(!retried(Method::PATCH, 500));
        assert!(!retried(Method::GET, 501));
        assert!(!retried(Method::GET, 404));
        assert!(!retried(Method::GET, 422));
        let no_5xx = RetryPolicy { retry_server_errors: false, ..RetryPolicy::default() };
        assert!(no_5xx.start(&Method::GET).next_delay(Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, &none)).is_none());
    }

    #[test]
    fn the_total_wait_is_bounded() {
        let policy = RetryPolicy { max_retries: 10, max_total_wait: Duration::from_secs(10), ..RetryPolicy::default() };
        let mut state = policy.start(&Method::GET);
        let hint = headers("4");
        let delays: Vec<_> = std::iter::from_fn(|| state.next_delay(Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &hint))).collect();
        assert_eq!(delays, vec![Duration::from_secs(4), Duration::from_secs(4)]);
        assert_eq!(state.attempts(), 3);
    }
}
