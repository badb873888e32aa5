//! Benchmark: the client's defaults against server rate rules that are not its own model. For
//! each rule the fake can enforce (`RateRule`: sliding window, fixed window as rack-attack
//! counts, a token bucket of a tenth of the allowance, a strict pace of one request per
//! `window / n`), three workloads, each through a fresh client whose limit is the plan's
//! (`RateLimit::per_window(n, window)`, default retries) and a fresh server-side count; each
//! with the client's default (**default**: after the first 429 it paces at one request per
//! `window / n`) and with `.pace_after_refusal(false)` (**bursts**: the client's behaviour before
//! it learnt to pace, a window's allowance at once whatever the server said):
//!
//! - **burst**: 200 `GET /projects/{id}` at once (each answer must be the project asked for);
//! - **sync**: `.stream()` over five windows' allowance of pages (each activity exactly once);
//! - **creates**: 1,000 `POST /deal_categories` at once (each must exist exactly once after).
//!
//! Printed per run: calls, calls that succeeded, requests the fake received, 429s it answered,
//! wall time, and what was lost or duplicated. The plan is MOCO's standard allowance of 120
//! requests per window, with the window shortened to 6 s (a pace of 50 ms) so that a run takes
//! minutes, not hours; `Retry-After` stays in whole seconds as MOCO sends it.
//!
//! ```sh
//! cargo run --release -p moco-fake --example bench_rules
//! cargo run --release -p moco-fake --example bench_rules -- --requests 120 --window-s 6 --latency-ms 50 --burst 200 --calls 1000
//! ```

use std::time::Duration;

use moco_fake::{AnswerStyle, FakeConfig, FakeMoco, Faults, RateLimit, RateRule};

#[path = "support/workloads.rs"]
mod workloads;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut n, mut window_s, mut latency_ms, mut burst, mut calls, mut per_page) = (120u32, 6u64, 50u64, 200usize, 1000usize, 5i64);
    let mut skip_bursts = false;
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse::<u64>().ok()).unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--requests" => n = value as u32,
            "--window-s" => window_s = value,
            "--latency-ms" => latency_ms = value,
            "--burst" => burst = value as usize,
            "--calls" => calls = value as usize,
            "--per-page" => per_page = value as i64,
            // Only the default client, not also the one that keeps bursting after a 429.
            "--default-only" => skip_bursts = value != 0,
            other => panic!("unknown option {other}"),
        }
    }
    let window = Duration::from_secs(window_s);
    let plan = RateLimit { requests: n, window };
    let sync_pages = 5 * n as usize;
    println!(
        "bench_rules: plan {n} per {window_s} s (pace {} ms), {latency_ms} ms latency; burst {burst} GETs, sync {sync_pages} pages of {per_page}, {calls} creates; client RateLimit::per_window({n}, {window_s} s), default retries",
        window.as_millis() / u128::from(n)
    );
    println!(
        "{:<24} {:<8} {:<8} {:>6} {:>6} {:>9} {:>6} {:>8}  lost or duplicated",
        "server rule", "client", "workload", "calls", "ok", "requests", "429s", "wall s"
    );
    for rule in [RateRule::SlidingWindow, RateRule::FixedWindow, RateRule::TokenBucket { capacity: (n / 10).max(1) }, RateRule::StrictPace]
    {
        let fake = FakeMoco::start(FakeConfig {
            activities: sync_pages * per_page as usize,
            rate_limit: Some(plan),
            rate_rule: rule,
            faults: Faults::none().latency(Duration::from_millis(latency_ms)),
            answers: AnswerStyle::Docs,
            ..FakeConfig::default()
        })
        .await?;
        let client = |pace: bool| {
            fake.client_builder().rate_limit(mocoapp::RateLimit::per_window(n, window)).pace_after_refusal(pace).build().expect("client")
        };
        let name = match rule {
            RateRule::TokenBucket { capacity } => format!("token bucket ({capacity})"),
            other => format!("{other:?}"),
        };
        for (pace, client_label) in [(true, "default"), (false, "bursts")].into_iter().filter(|(pace, _)| *pace || !skip_bursts) {
            for workload in ["burst", "sync", "creates"] {
                fake.set_rate_rule(rule); // a fresh count
                let outcome = match workload {
                    "burst" => workloads::burst(&fake, &client(pace), burst).await,
                    "sync" => workloads::sync(&fake, &client(pace), per_page).await,
                    _ => workloads::creates(&fake, &client(pace), calls, &format!("bench {client_label}")).await,
                };
                let problems = if outcome.problems.is_empty() { "none".to_string() } else { outcome.problems.join("; ") };
                println!(
                    "{name:<24} {client_label:<8} {workload:<8} {:>6} {:>6} {:>9} {:>6} {:>8.1}  {problems}",
                    outcome.calls, outcome.succeeded, outcome.requests, outcome.refused, outcome.wall_s
                );
            }
        }
        fake.shutdown().await;
    }
    Ok(())
}
