//! The client-side rate limiter, so that a busy program waits a little instead of provoking
//! MOCO's 429s. One limiter is shared by all clones of a client (including impersonating ones).
//!
//! MOCO counts requests per 2-minute window. governor implements GCRA (a smooth rate plus a
//! burst), so a window of `n` requests becomes a burst of `n/10` plus a steady rate of the rest
//! spread over the window: no 2-minute span can then see more than `n` requests.

use std::{num::NonZeroU32, time::Duration};

use governor::{
    clock::Clock,
    middleware::NoOpMiddleware,
    state::{InMemoryState, NotKeyed},
    Quota, RateLimiter,
};

/// How many requests the client lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimit {
    /// No client-side limit (429s are still retried).
    Off,
    /// At most `requests` requests in any span of `window`.
    PerWindow {
        /// Requests allowed per window.
        requests: u32,
        /// The window's length.
        window: Duration,
    },
}

impl RateLimit {
    /// MOCO's standard plan: 120 requests per 2 minutes. The default.
    pub const fn standard() -> Self {
        Self::PerWindow { requests: 120, window: Duration::from_secs(120) }
    }

    /// MOCO's unlimited plan: 1200 requests per 2 minutes.
    pub const fn unlimited_plan() -> Self {
        Self::PerWindow { requests: 1200, window: Duration::from_secs(120) }
    }

    /// No client-side limit.
    pub const fn off() -> Self {
        Self::Off
    }

    /// A custom limit of `requests` per `window`.
    pub const fn per_window(requests: u32, window: Duration) -> Self {
        Self::PerWindow { requests, window }
    }

    pub(crate) fn limiter(&self) -> Option<Limiter> {
        let Self::PerWindow { requests, window } = *self else { return None };
        let requests = requests.max(1);
        let burst = (requests / 10).max(1);
        let steady = (requests - burst).max(1);
        let period = (window / steady).max(Duration::from_nanos(1));
        let quota = Quota::with_period(period)?.allow_burst(NonZeroU32::new(burst)?);
        Some(Limiter { inner: RateLimiter::direct_with_clock(quota, TokioClock) })
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::standard()
    }
}

/// governor's clock on tokio's time, so that waiting uses `tokio::time::sleep` and tests can
/// run on a paused clock.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TokioClock;

impl Clock for TokioClock {
    type Instant = std::time::Instant;

    fn now(&self) -> Self::Instant {
        tokio::time::Instant::now().into_std()
    }
}

pub(crate) struct Limiter {
    inner: RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<std::time::Instant>>,
}

impl Limiter {
    /// Waits until the next request may go out.
    pub(crate) async fn acquire(&self) {
        while let Err(not_until) = self.inner.check() {
            let wait = not_until.wait_time_from(TokioClock.now());
            tracing::debug!(wait_ms = wait.as_millis() as u64, "client-side rate limit: waiting");
            tokio::time::sleep(wait).await;
        }
    }
}
