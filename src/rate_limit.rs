//! The client-side rate limiter, so that a busy program waits a little instead of provoking
//! MOCO's 429s. One limiter is shared by all clones of a client (including impersonating ones).
//!
//! MOCO's rule is "at most `n` requests in any window of `w`" (120 per 2 minutes on the standard
//! plan). The limiter applies the same rule with a sliding-window log: it remembers the last `n`
//! requests, so a burst of `n` goes out at once and request `n + 1` waits until the oldest of
//! them leaves the window. Over a long run that admits exactly `n` per `w`, the whole allowance.
//!
//! **Safety margin.** MOCO counts a request when it arrives; the client only knows when it sent
//! it, and network delays vary. So a request occupies its place in the window from the moment it
//! is admitted until `w` after its *response was received* (or the attempt failed or was
//! dropped): the server necessarily counted it before that, so the request that later takes the
//! place arrives more than `w` after it, whatever the latency. The price is one round trip per
//! window (0.25 s in 120 s: 99.8 % of the allowance).
//!
//! **Learning from the server.** A 429 with `Retry-After` pauses every request of the client (all
//! clones) until then, not only the one that got it (see `hooks.rs`). This holds with
//! [`RateLimit::off`] too. A `Retry-After` longer than the retry policy's `max_total_wait` pauses
//! nobody: that request fails at once with `Error::RateLimited`, and the others are not left
//! hanging (they go, and fail the same way if the server still refuses).
//!
//! **Pacing after a 429.** MOCO does not document how it counts. A server that counts by a
//! sliding or a fixed window accepts the burst of `n` this limiter sends; one with a small token
//! bucket or a strict pace of one request per `w / n` refuses most of it. So the first 429 (with
//! a per-window limit) switches the limiter, for the rest of the client's life and all its
//! clones, from bursts to a pace: one request per `w / n`, evenly spaced, which every such rule
//! accepts and which is still the whole allowance over a long run. The window no longer applies
//! then (an even pace keeps to it by itself; the refused burst would otherwise hold its places
//! for a whole window). So a client sees at most one refused burst (fewer than `n` 429s) and
//! then, with a steady network, none; each refused request is retried (a 429 always is). A
//! paced request that is refused all the same (the network brought two requests closer than
//! the server allows) slows the pace by a tenth, up to half the allowance.
//! `ClientBuilder::pace_after_refusal(false)` keeps the bursts.
//!
//! Waiting requests queue in order (a fair async mutex): only the first of them watches the clock,
//! the others wait their turn. Everything runs on tokio's clock, so tests use the paused clock.
//!
//! (governor, used before, implements GCRA: it admits at most `b + w/T` requests in any span `w`
//! for a burst `b` and a period `T`, so a burst costs sustained rate. It cannot express "a burst
//! of `n` and `n` per `w`"; the log here is a few lines and exact.)

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard},
    time::Duration,
};

use tokio::{
    sync::{Mutex as Queue, Notify},
    time::Instant,
};

/// How many requests the client lets through: [`standard()`](Self::standard) (the default),
/// [`unlimited_plan()`](Self::unlimited_plan), [`per_window(..)`](Self::per_window) or
/// [`off()`](Self::off). `#[non_exhaustive]`, so that another kind of limit can be added without a
/// breaking release: construct it with those functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimit {
    /// No client-side limit (429s are still retried, and a 429's `Retry-After` still pauses every
    /// request of the client).
    Off,
    /// At most `requests` requests in any span of `window`.
    #[non_exhaustive]
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

    /// A custom limit of `requests` per `window` (at least one request).
    pub const fn per_window(requests: u32, window: Duration) -> Self {
        Self::PerWindow { requests, window }
    }

    pub(crate) fn limiter(&self, pace_after_refusal: bool) -> Limiter {
        let window = match *self {
            Self::Off => None,
            Self::PerWindow { requests, window } => Some((requests.max(1) as usize, window)),
        };
        Limiter {
            limit: *self,
            window,
            pace_after_refusal,
            queue: Queue::new(()),
            state: Mutex::new(State { in_flight: 0, finished: VecDeque::new(), paused_until: None, pace: None, last_admitted: None }),
            released: Notify::new(),
        }
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::standard()
    }
}

/// The limiter a client and its clones share (behind an `Arc`).
pub(crate) struct Limiter {
    /// The setting it was made from.
    pub(crate) limit: RateLimit,
    /// `(n, w)`: at most `n` requests in any span `w`; `None` for [`RateLimit::Off`].
    window: Option<(usize, Duration)>,
    /// Whether a 429 switches to pacing (`ClientBuilder::pace_after_refusal`).
    pace_after_refusal: bool,
    /// The order in which waiting requests are admitted; its holder is the next one to go.
    queue: Queue<()>,
    state: Mutex<State>,
    /// Signalled when a request's response arrives (its place starts its countdown).
    released: Notify,
}

struct State {
    /// Admitted requests whose response has not arrived yet: they hold their place.
    in_flight: usize,
    /// When the responses of the last requests arrived, oldest first (they arrive in clock
    /// order, so pushing at the back keeps it sorted). Each holds a place until `w` later.
    finished: VecDeque<Instant>,
    /// Set by a 429 with `Retry-After`: nothing goes out before.
    paused_until: Option<Instant>,
    /// Set by the first 429 (per-window limits only): `w / n`, the spacing of admissions from
    /// then on, in place of the window.
    pace: Option<Duration>,
    /// When the last request was admitted (for the pace).
    last_admitted: Option<Instant>,
}

/// What an admission has to wait for.
enum Wait {
    Until(Instant),
    /// All `n` places are held by requests still in flight.
    Response,
}

impl State {
    /// Admits a request now (`Ok(paced)`: whether it went by the pace), or says what to wait for.
    fn try_admit(&mut self, now: Instant, window: Option<(usize, Duration)>) -> Result<bool, Wait> {
        if let Some(until) = self.paused_until {
            if until > now {
                return Err(Wait::Until(until));
            }
            self.paused_until = None;
        }
        let Some((n, w)) = window else {
            return Ok(false);
        };
        if let Some(pace) = self.pace {
            if let Some(next) = self.last_admitted.map(|last| last + pace).filter(|&next| next > now) {
                return Err(Wait::Until(next));
            }
            self.in_flight += 1;
            self.last_admitted = Some(now);
            return Ok(true);
        }
        while self.finished.front().is_some_and(|&done| done + w <= now) {
            self.finished.pop_front();
        }
        if self.in_flight + self.finished.len() < n {
            self.in_flight += 1;
            self.last_admitted = Some(now);
            return Ok(false);
        }
        match self.finished.front() {
            Some(&oldest) => Err(Wait::Until(oldest + w)),
            None => Err(Wait::Response),
        }
    }
}

impl Limiter {
    /// A place at once in the usual case, without queueing: nobody is waiting (a waiting request
    /// holds the queue, so this cannot overtake it) and the window has room. Otherwise `None`,
    /// and [`Self::acquire`] waits. (Tried first by the hooks, so that the usual case makes no
    /// future.)
    pub(crate) fn try_acquire(&self) -> Option<Permit<'_>> {
        let _turn = self.queue.try_lock().ok()?;
        let paced = self.state().try_admit(Instant::now(), self.window).ok()?;
        Some(Permit { limiter: self, paced })
    }

    /// Waits until the next request may go out. The returned permit holds the request's place in
    /// the window; drop it when the response (or the failure) arrives.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        if let Some(permit) = self.try_acquire() {
            return permit;
        }
        let _turn = self.queue.lock().await;
        loop {
            // Registered before looking, so that a response arriving in between is not missed.
            let released = self.released.notified();
            let now = Instant::now();
            let wait = match self.state().try_admit(now, self.window) {
                Ok(paced) => return Permit { limiter: self, paced },
                Err(wait) => wait,
            };
            match wait {
                Wait::Until(until) => {
                    let wait_ms = until.saturating_duration_since(now).as_millis() as u64;
                    tracing::debug!(wait_ms, "client-side rate limit: waiting");
                    tokio::time::sleep_until(until).await;
                }
                Wait::Response => {
                    tracing::debug!("client-side rate limit: waiting for a response");
                    released.await;
                }
            }
        }
    }

    /// Holds back every request of the client for `wait` (a 429's `Retry-After`). Requests
    /// already sent are not affected; a shorter pause never shortens a longer one.
    pub(crate) fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut state = self.state();
        if state.paused_until.is_none_or(|current| current < until) {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "the server asked to wait: pausing all requests");
            state.paused_until = Some(until);
        }
    }

    /// The server refused a request (429). The first refusal switches from bursts to a pace of
    /// one request per `w / n`; a refusal of a request that already went by the pace (the
    /// network brought two closer than the server allows) slows the pace by a tenth, up to
    /// half the allowance. Nothing changes for [`RateLimit::Off`].
    fn refused(&self, paced: bool) {
        let Some((n, w)) = self.window.filter(|_| self.pace_after_refusal) else {
            return;
        };
        let even = w / n as u32;
        let mut state = self.state();
        let pace = match state.pace {
            None => even,
            Some(pace) if paced => (pace + pace / 10).min(even * 2),
            Some(_) => return,
        };
        tracing::debug!(pace_ms = pace.as_millis() as u64, "the server refused a request: pacing");
        state.pace = Some(pace);
    }

    /// How many requests would be admitted right now without waiting, as far as the window
    /// tells (`None` without a client-side limit); 0 during a pause and while pacing. Page
    /// streams size their concurrency by it.
    pub(crate) fn room(&self) -> Option<usize> {
        let (n, w) = self.window?;
        let now = Instant::now();
        let state = self.state();
        if state.paused_until.is_some_and(|until| until > now) {
            return Some(0);
        }
        if state.pace.is_some() {
            // The pace admits one at a time; a page stream keeps its floor.
            return Some(0);
        }
        let current = state.finished.iter().filter(|&&done| done + w > now).count();
        Some(n.saturating_sub(state.in_flight + current))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is consistent after every statement; a panic elsewhere cannot corrupt it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A request's place in the window, from its admission until its response arrives; after that
/// the place stays taken for one more window.
pub(crate) struct Permit<'a> {
    limiter: &'a Limiter,
    /// Admitted by the pace (after a 429) rather than by the window.
    paced: bool,
}

impl Permit<'_> {
    /// The server answered this request with 429: pace from now on (see [`Limiter::refused`]).
    pub(crate) fn refused(&self) {
        self.limiter.refused(self.paced);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let Some((n, _)) = self.limiter.window else { return };
        {
            let mut state = self.limiter.state();
            state.in_flight -= 1;
            state.finished.push_back(Instant::now());
            // Never more than n places are counted; older entries cannot matter.
            while state.finished.len() > n {
                state.finished.pop_front();
            }
        }
        self.limiter.released.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// Sends `count` simulated requests at once through `limit`. Request `i` reaches the server
    /// `inbound(i)` after its admission and its response arrives `outbound(i)` later. Returns
    /// `(admitted, arrived)` instants relative to the start, in request order.
    async fn simulate(
        limit: RateLimit,
        count: usize,
        inbound: impl Fn(usize) -> Duration,
        outbound: impl Fn(usize) -> Duration,
    ) -> Vec<(Duration, Duration)> {
        let limiter = Arc::new(limit.limiter(true));
        let start = Instant::now();
        let tasks: Vec<_> = (0..count)
            .map(|i| {
                let limiter = limiter.clone();
                let (inbound, outbound) = (inbound(i), outbound(i));
                tokio::spawn(async move {
                    let permit = limiter.acquire().await;
                    let admitted = start.elapsed();
                    tokio::time::sleep(inbound).await;
                    let arrived = start.elapsed();
                    tokio::time::sleep(outbound).await;
                    drop(permit);
                    (admitted, arrived)
                })
            })
            .collect();
        // Spawned in order on the current-thread runtime, they queue in that order.
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.unwrap());
        }
        out
    }

    /// The most requests a server would count within any span shorter than `w`.
    fn most_in_any_window(arrivals: &[Duration], w: Duration) -> usize {
        let mut sorted = arrivals.to_vec();
        sorted.sort();
        (0..sorted.len()).map(|i| sorted[i..].iter().take_while(|&&t| t < sorted[i] + w).count()).max().unwrap_or(0)
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_n_goes_at_once_and_the_next_waits_the_window() {
        let times = simulate(RateLimit::per_window(5, Duration::from_secs(10)), 6, |_| Duration::ZERO, |_| Duration::ZERO).await;
        let admitted: Vec<_> = times.iter().map(|t| t.0).collect();
        assert_eq!(admitted[..5], [Duration::ZERO; 5]);
        assert_eq!(admitted[5], Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn the_standard_plan_takes_one_window_for_a_200_request_burst() {
        // 250 ms round trips. GCRA (burst 12, then one per second) needed about 209 s.
        let rtt = Duration::from_millis(125);
        let times = simulate(RateLimit::standard(), 200, |_| rtt, |_| rtt).await;
        let last = times.iter().map(|t| t.0).max().unwrap();
        assert_eq!(times.iter().filter(|t| t.0 == Duration::ZERO).count(), 120, "the first 120 at once");
        assert_eq!(last, Duration::from_secs(120) + 2 * rtt, "the rest as soon as the first responses are a window old");
        assert!(most_in_any_window(&times.iter().map(|t| t.1).collect::<Vec<_>>(), Duration::from_secs(120)) <= 120);
    }

    #[tokio::test(start_paused = true)]
    async fn a_long_run_admits_n_per_window() {
        // Without latency: request i goes out at floor(i / n) windows, exactly n per window.
        let (n, w) = (12, Duration::from_secs(60));
        let times = simulate(RateLimit::per_window(n as u32, w), 25 * n, |_| Duration::ZERO, |_| Duration::ZERO).await;
        for (i, (admitted, _)) in times.iter().enumerate() {
            assert_eq!(*admitted, w * (i / n) as u32, "request {i}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn varying_latency_never_puts_more_than_n_in_a_servers_window() {
        // Request i reaches the server after 0..=900 ms (varying), its response takes 0..=300 ms
        // more: a limiter counting from the send instant would let the server see n + 1 within
        // a window here (a slow request followed, one window later, by a fast one).
        let (n, w) = (10, Duration::from_secs(60));
        let inbound = |i: usize| Duration::from_millis([900, 0, 450, 100, 700, 250, 50][i % 7]);
        let outbound = |i: usize| Duration::from_millis([0, 300, 150, 50, 200, 100, 250][i % 7]);
        let count = 30 * n;
        let times = simulate(RateLimit::per_window(n as u32, w), count, inbound, outbound).await;
        let arrivals: Vec<_> = times.iter().map(|t| t.1).collect();
        assert_eq!(most_in_any_window(&arrivals, w), n);
        // Throughput: 29 further windows, each lengthened by at most one round trip (1.2 s).
        let last = times.iter().map(|t| t.0).max().unwrap();
        assert!(last >= w * 29 && last <= (w + Duration::from_millis(1200)) * 29, "{last:?}");
        let ideal = (w * 29).as_secs_f64();
        assert!(ideal / last.as_secs_f64() >= 0.98, "{:.3} of the allowance", ideal / last.as_secs_f64());
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_back_waiting_and_new_requests_but_not_sent_ones() {
        let limiter = RateLimit::off().limiter(true);
        let start = Instant::now();
        let sent = limiter.acquire().await;
        limiter.pause_for(Duration::from_secs(30));
        limiter.pause_for(Duration::from_secs(5)); // does not shorten it
        drop(sent);
        let _next = limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(30));
        let _after = limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(30), "the pause is over");
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_given_up_while_waiting_takes_no_place() {
        let limiter = RateLimit::per_window(1, Duration::from_secs(10)).limiter(true);
        let start = Instant::now();
        let first = limiter.acquire().await;
        // Waits for `first`'s response, then gives up.
        assert!(tokio::time::timeout(Duration::from_secs(1), limiter.acquire()).await.is_err());
        drop(first); // its response arrives at 1 s
        let _second = limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(11));
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_refusal_requests_are_paced_at_window_over_n_and_the_window_no_longer_applies() {
        let limiter = RateLimit::per_window(4, Duration::from_secs(8)).limiter(true);
        let start = Instant::now();
        let mut admitted = Vec::new();
        // A burst of 4 goes at once; the server refuses two of them.
        let mut burst = Vec::new();
        for _ in 0..4 {
            burst.push(limiter.acquire().await);
            admitted.push(start.elapsed());
        }
        burst[1].refused();
        burst[2].refused(); // a burst refused counts once
        drop(burst);
        assert_eq!(limiter.room(), Some(0), "paced: one at a time");
        // From now on one per 2 s, although the window (full until 8 s) would hold them back.
        for _ in 0..6 {
            drop(limiter.acquire().await);
            admitted.push(start.elapsed());
        }
        let secs: Vec<u64> = admitted.iter().map(|d| d.as_secs()).collect();
        assert_eq!(secs, [0, 0, 0, 0, 2, 4, 6, 8, 10, 12]);
        // A Retry-After pause still comes first; the pace goes on after it.
        limiter.pause_for(Duration::from_secs(5));
        assert_eq!(limiter.room(), Some(0));
        drop(limiter.acquire().await);
        assert_eq!(start.elapsed(), Duration::from_secs(17));
        drop(limiter.acquire().await);
        assert_eq!(start.elapsed(), Duration::from_secs(19));
        // A paced request refused (jitter) slows the pace by a tenth each time, to 2 × w / n.
        let paced = limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_secs(21));
        paced.refused();
        drop(paced);
        drop(limiter.acquire().await);
        assert_eq!(start.elapsed(), Duration::from_millis(23_200));
        for _ in 0..20 {
            limiter.acquire().await.refused();
        }
        let before = start.elapsed();
        drop(limiter.acquire().await);
        assert_eq!(start.elapsed() - before, Duration::from_secs(4));
    }

    #[tokio::test(start_paused = true)]
    async fn off_ignores_refusals_and_room_follows_the_window() {
        let off = RateLimit::off().limiter(true);
        off.acquire().await.refused();
        assert_eq!(off.room(), None);
        assert!(off.state().pace.is_none());
        let bursts = RateLimit::per_window(3, Duration::from_secs(10)).limiter(false);
        bursts.acquire().await.refused();
        assert!(bursts.state().pace.is_none(), "pace_after_refusal(false) keeps the bursts");
        let limiter = RateLimit::per_window(3, Duration::from_secs(10)).limiter(true);
        assert_eq!(limiter.room(), Some(3));
        let held = limiter.acquire().await;
        drop(limiter.acquire().await);
        assert_eq!(limiter.room(), Some(1), "one in flight, one answered within the window");
        drop(held);
        tokio::time::sleep(Duration::from_secs(10)).await;
        assert_eq!(limiter.room(), Some(3));
    }

    #[test]
    fn off_has_no_window_and_zero_requests_means_one() {
        assert!(RateLimit::off().limiter(true).window.is_none());
        assert_eq!(RateLimit::per_window(0, Duration::from_secs(1)).limiter(true).window, Some((1, Duration::from_secs(1))));
    }
}
