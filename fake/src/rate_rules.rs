//! How the fake counts requests against its rate limit. MOCO documents "120 requests per
//! 2 minutes (~1 request per second)" and says nothing of how it counts, so the fake can apply
//! any of the rules such a server plausibly has ([`RateRule`]), to test a client against a rule
//! that is not its own model. Every rule counts per API key and answers a refused request with
//! 429 and `Retry-After` (whole seconds, rounded up, at least 1).

use std::{collections::HashMap, time::Duration};

use tokio::time::Instant;

use crate::RateLimit;

/// How `requests` per `window` ([`RateLimit`]) is enforced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RateRule {
    /// At most `requests` in any span of `window` (a sliding-window log; the default, and the
    /// rule the client's own limiter follows).
    #[default]
    SlidingWindow,
    /// At most `requests` per fixed window, windows aligned to the fake's start (as Rails'
    /// rack-attack counts: one counter per period, refused requests count too). Allows up to
    /// twice `requests` around a window boundary.
    FixedWindow,
    /// A token bucket of `capacity` tokens, refilled at `requests / window`, full at the start; a
    /// request takes a token, a refused one takes none.
    TokenBucket {
        /// The largest burst.
        capacity: u32,
    },
    /// One request per `window / requests`, no burst at all: a request that comes sooner after
    /// the last accepted one is refused.
    StrictPace,
}

impl RateRule {
    /// The names `moco-fake --rate-rule` takes.
    pub const NAMES: [&'static str; 4] = ["sliding-window", "fixed-window", "token-bucket[:CAPACITY]", "strict-pace"];

    /// Parses a `--rate-rule` value; a token bucket's capacity defaults to a tenth of `requests`.
    pub fn parse(value: &str, requests: u32) -> Result<Self, String> {
        let (name, capacity) = match value.split_once(':') {
            Some((name, capacity)) => (name, Some(capacity)),
            None => (value, None),
        };
        match (name, capacity) {
            ("sliding-window", None) => Ok(Self::SlidingWindow),
            ("fixed-window", None) => Ok(Self::FixedWindow),
            ("strict-pace", None) => Ok(Self::StrictPace),
            ("token-bucket", None) => Ok(Self::TokenBucket { capacity: (requests / 10).max(1) }),
            ("token-bucket", Some(c)) => match c.parse::<u32>() {
                Ok(capacity) if capacity > 0 => Ok(Self::TokenBucket { capacity }),
                _ => Err(format!("--rate-rule: token-bucket capacity {c:?} is not a positive number")),
            },
            _ => Err(format!("--rate-rule: {value:?} is not one of {}", Self::NAMES.join(", "))),
        }
    }
}

/// The fake's rate limiter: a [`RateLimit`] enforced by a [`RateRule`], per API key.
pub(crate) struct Limiter {
    pub limit: Option<RateLimit>,
    pub rule: RateRule,
    /// Where fixed windows start.
    origin: Instant,
    keys: HashMap<String, KeyState>,
}

/// One key's count, in the form its rule needs.
#[derive(Default)]
struct KeyState {
    /// Sliding window: arrival times within the last window, oldest first.
    log: std::collections::VecDeque<Instant>,
    /// Fixed window: the current period's number and its count.
    period: u64,
    count: u64,
    /// Token bucket: tokens left (`None`: full) as of `refilled`.
    tokens: Option<f64>,
    refilled: Option<Instant>,
    /// Strict pace: when the last request was accepted.
    last: Option<Instant>,
}

impl Limiter {
    pub(crate) fn new(limit: Option<RateLimit>, rule: RateRule) -> Self {
        Limiter { limit, rule, origin: Instant::now(), keys: HashMap::new() }
    }

    /// Counts a request, or says how long until the next one would be allowed.
    pub(crate) fn admit(&mut self, key: &str, now: Instant) -> Result<(), Duration> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let n = limit.requests.max(1);
        let w = limit.window;
        let state = self.keys.entry(key.to_string()).or_default();
        match self.rule {
            RateRule::SlidingWindow => {
                let log = &mut state.log;
                while log.front().is_some_and(|t| now.duration_since(*t) >= w) {
                    log.pop_front();
                }
                if log.len() >= n as usize {
                    let oldest = log.front().copied().unwrap_or(now);
                    return Err(w.saturating_sub(now.duration_since(oldest)));
                }
                log.push_back(now);
                Ok(())
            }
            RateRule::FixedWindow => {
                let since = now.duration_since(self.origin);
                let w_nanos = w.as_nanos().max(1);
                let period = (since.as_nanos() / w_nanos) as u64;
                if period != state.period {
                    state.period = period;
                    state.count = 0;
                }
                // rack-attack increments first, then compares: refused requests count too.
                state.count += 1;
                if state.count > u64::from(n) {
                    let end = Duration::from_nanos(((u128::from(period) + 1) * w_nanos).min(u64::MAX as u128) as u64);
                    return Err(end.saturating_sub(since));
                }
                Ok(())
            }
            RateRule::TokenBucket { capacity } => {
                let capacity = f64::from(capacity.max(1));
                let per_second = f64::from(n) / w.as_secs_f64().max(1e-9);
                let elapsed = state.refilled.map_or(0.0, |t| now.duration_since(t).as_secs_f64());
                let tokens = state.tokens.map_or(capacity, |t| (t + elapsed * per_second).min(capacity));
                state.refilled = Some(now);
                if tokens >= 1.0 {
                    state.tokens = Some(tokens - 1.0);
                    return Ok(());
                }
                state.tokens = Some(tokens);
                Err(Duration::from_secs_f64((1.0 - tokens) / per_second))
            }
            RateRule::StrictPace => {
                let pace = w / n;
                if let Some(last) = state.last {
                    let since = now.duration_since(last);
                    if since < pace {
                        return Err(pace - since);
                    }
                }
                state.last = Some(now);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(requests: u32, window_s: u64, rule: RateRule) -> Limiter {
        Limiter::new(Some(RateLimit { requests, window: Duration::from_secs(window_s) }), rule)
    }

    /// How many of `count` requests at `at(i)` seconds are accepted.
    fn accepted(limiter: &mut Limiter, start: Instant, times: impl Iterator<Item = f64>) -> Vec<bool> {
        times.map(|t| limiter.admit("k", start + Duration::from_secs_f64(t)).is_ok()).collect()
    }

    #[test]
    fn sliding_window_admits_exactly_the_limit() {
        let mut limiter = limiter(3, 10, RateRule::SlidingWindow);
        let start = limiter.origin;
        for _ in 0..3 {
            assert!(limiter.admit("k", start).is_ok());
        }
        let wait = limiter.admit("k", start + Duration::from_secs(4)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(6));
        assert!(limiter.admit("other", start).is_ok());
        assert!(limiter.admit("k", start + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn a_fixed_window_allows_two_bursts_around_its_boundary_and_counts_refusals() {
        let mut limiter = limiter(3, 10, RateRule::FixedWindow);
        let start = limiter.origin;
        // Three at 9 s, three more at 10 s: six within one second, all accepted.
        let ok = accepted(&mut limiter, start, [9.0, 9.0, 9.0, 10.0, 10.0, 10.0].into_iter());
        assert_eq!(ok, [true; 6]);
        // The fourth of the period waits for the period's end (20 s).
        assert_eq!(limiter.admit("k", start + Duration::from_secs(15)).unwrap_err(), Duration::from_secs(5));
        assert!(limiter.admit("k", start + Duration::from_secs(20)).is_ok());
    }

    #[test]
    fn a_token_bucket_allows_its_capacity_then_the_rate() {
        let mut limiter = limiter(10, 10, RateRule::TokenBucket { capacity: 2 });
        let start = limiter.origin;
        assert_eq!(accepted(&mut limiter, start, [0.0, 0.0, 0.0].into_iter()), [true, true, false]);
        // One token a second.
        assert_eq!(limiter.admit("k", start + Duration::from_millis(500)).unwrap_err(), Duration::from_millis(500));
        assert_eq!(accepted(&mut limiter, start, [1.0, 1.5, 2.0, 3.0].into_iter()), [true, false, true, true]);
        // Refused requests took no token: after 10 s idle, the bucket is full again (2, not more).
        assert_eq!(accepted(&mut limiter, start, [20.0, 20.0, 20.0].into_iter()), [true, true, false]);
    }

    #[test]
    fn a_strict_pace_refuses_any_request_sooner_than_window_over_n() {
        let mut limiter = limiter(120, 120, RateRule::StrictPace);
        let start = limiter.origin;
        assert_eq!(accepted(&mut limiter, start, [0.0, 0.5, 1.0, 1.9, 2.0].into_iter()), [true, false, true, false, true]);
        assert_eq!(limiter.admit("k", start + Duration::from_millis(2250)).unwrap_err(), Duration::from_millis(750));
    }

    #[test]
    fn every_rule_lets_a_long_run_have_the_whole_allowance() {
        // n per w, evenly spaced by w/n: accepted by every rule.
        for rule in [RateRule::SlidingWindow, RateRule::FixedWindow, RateRule::TokenBucket { capacity: 1 }, RateRule::StrictPace] {
            let mut limiter = limiter(12, 60, rule);
            let start = limiter.origin;
            let ok = accepted(&mut limiter, start, (0..120).map(|i| f64::from(i) * 5.0));
            assert!(ok.iter().all(|&ok| ok), "{rule:?}");
        }
    }

    #[test]
    fn names_parse() {
        assert_eq!(RateRule::parse("fixed-window", 120), Ok(RateRule::FixedWindow));
        assert_eq!(RateRule::parse("token-bucket", 120), Ok(RateRule::TokenBucket { capacity: 12 }));
        assert_eq!(RateRule::parse("token-bucket:5", 120), Ok(RateRule::TokenBucket { capacity: 5 }));
        assert_eq!(RateRule::parse("strict-pace", 120), Ok(RateRule::StrictPace));
        assert!(RateRule::parse("token-bucket:0", 120).is_err());
        assert!(RateRule::parse("leaky", 120).unwrap_err().contains("sliding-window"));
    }
}
