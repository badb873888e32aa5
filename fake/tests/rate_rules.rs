//! The client's defaults against server rate rules that are not its own model (see
//! `fake/src/rate_rules.rs`): for each rule, a burst, a long sync and 1,000 concurrent creates
//! through one client finish with every call answered, nothing lost or duplicated, and a bounded
//! number of 429s. Small windows keep the tests fast; what is asserted is counts, not timings
//! (BENCHMARKS.md has the figures, from `examples/bench_rules.rs`).

use std::time::Duration;

use moco_fake::{FakeConfig, FakeMoco, Faults, RateLimit, RateRule};

#[path = "../examples/support/workloads.rs"]
mod workloads;

/// 25 requests per second: a pace of 40 ms.
const N: u32 = 25;
const WINDOW: Duration = Duration::from_secs(1);

async fn fake(rule: RateRule) -> FakeMoco {
    FakeMoco::start(FakeConfig {
        // Five windows' allowance of pages, 2 activities per page.
        activities: 5 * N as usize * 2,
        rate_limit: Some(RateLimit { requests: N, window: WINDOW }),
        rate_rule: rule,
        faults: Faults::none().latency(Duration::from_millis(10)),
        ..FakeConfig::default()
    })
    .await
    .expect("the fake starts")
}

/// The client as a user sets it up for this plan: its own limit of N per window, default
/// retries, and (new each workload) nothing learnt yet.
fn client(fake: &FakeMoco) -> mocoapp::Client {
    fake.client_builder().rate_limit(mocoapp::RateLimit::per_window(N, WINDOW)).build().unwrap()
}

/// Runs the three workloads; returns their 429 counts after checking that nothing was lost.
async fn run(rule: RateRule) -> [usize; 3] {
    let fake = fake(rule).await;
    let burst = workloads::burst(&fake, &client(&fake), 2 * N as usize).await;
    fake.set_rate_rule(rule); // a fresh count for each workload
    let sync = workloads::sync(&fake, &client(&fake), 2).await;
    fake.set_rate_rule(rule);
    let creates = workloads::creates(&fake, &client(&fake), 1000, "rules").await;
    for (name, outcome) in [("burst", &burst), ("sync", &sync), ("1,000 creates", &creates)] {
        eprintln!("{rule:?}, {name}: {} calls, {} × 429, {:.1} s", outcome.calls, outcome.refused, outcome.wall_s);
        assert!(outcome.problems.is_empty(), "{rule:?}, {name}: {:?}", outcome.problems);
        assert_eq!(outcome.succeeded, outcome.calls, "{rule:?}, {name}: every call answered");
        assert_eq!(outcome.requests - outcome.refused, outcome.calls, "{rule:?}, {name}: each carried out once");
    }
    assert_eq!(sync.calls, 5 * N as usize, "the sync is five windows long");
    [burst.refused, sync.refused, creates.refused]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sliding_window_like_the_clients_own_model_sees_no_429() {
    assert_eq!(run(RateRule::SlidingWindow).await, [0, 0, 0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_window_sees_no_429() {
    // The client keeps to any span of the window, so to every fixed period too.
    assert_eq!(run(RateRule::FixedWindow).await, [0, 0, 0]);
}

/// At most one refused burst (fewer than N) per client, and then a few more where the network
/// (here: a busy machine's scheduler) brought two paced requests closer than the pace (each
/// slows the pace by a tenth): fewer than one call in 20. Without pacing after a 429 the client
/// sent a refused burst every window and gave up on most calls.
fn bounded(refused: [usize; 3]) -> bool {
    let calls = [2 * N as usize, 5 * N as usize, 1000];
    refused.iter().zip(calls).all(|(&r, calls)| r < N as usize + calls / 20)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_token_bucket_refuses_one_burst_then_the_client_paces() {
    let refused = run(RateRule::TokenBucket { capacity: N / 10 }).await;
    assert!(bounded(refused), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strict_pace_refuses_one_burst_then_the_client_paces() {
    let refused = run(RateRule::StrictPace).await;
    assert!(bounded(refused), "{refused:?}");
}
