//! Benchmark: a full sync of activities on MOCO's unlimited plan (1200 requests per 2 minutes,
//! i.e. 10 per second over the long run) with 250 ms injected latency: sequential
//! (`.stream_concurrent(1)`), with the old fixed bound of 4 pages in flight
//! (`.stream_concurrent(4)`), and with `.stream()`, whose concurrency follows the rate limiter,
//! over 2,000 pages and over a long sync of five windows' allowance (6,000 pages); then a
//! sustained sync on the standard plan (120 per 2 minutes) to count the 429s. The fake enforces
//! the same limit as the client's `RateLimit`.
//!
//! Every figure is a ratio to **the rule's fastest schedule** for the same work at the same
//! latency: the least wall time MOCO's rule allows for that many requests with unbounded
//! concurrency, where request k > n may start a window after request k − n was answered:
//! `floor((pages − 1) / n) × (window + latency) + latency`. ("Of ceiling", the rate against the
//! long-run average of n per window, is printed too; any run that starts with an empty window
//! beats it for free, so it is no target.)
//!
//! ```sh
//! cargo run --release -p moco-fake --example bench_sync
//! cargo run --release -p moco-fake --example bench_sync -- --pages 2000 --long-pages 6000 --fixed-pages 2000 --sequential-pages 300 --standard-pages 360 --per-page 5 --latency-ms 250
//! ```
//!
//! Every run gets a fresh client and a fresh server-side window. Prints, per run: pages,
//! items, wall time, requests per second, that rate against the long-run ceiling, the rule's
//! fastest schedule and the share of it reached, and the 429s the fake answered.

use std::time::{Duration, Instant};

use futures::StreamExt;
use moco_fake::{AnswerStyle, FakeConfig, FakeMoco, Faults, RateLimit};

struct Args {
    pages: usize,
    long_pages: usize,
    fixed_pages: usize,
    sequential_pages: usize,
    standard_pages: usize,
    per_page: usize,
    latency_ms: u64,
}

fn args() -> Args {
    let mut a =
        Args { pages: 2000, long_pages: 6000, fixed_pages: 2000, sequential_pages: 300, standard_pages: 360, per_page: 5, latency_ms: 250 };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = || pair.get(1).and_then(|v| v.parse::<usize>().ok()).unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--pages" => a.pages = value(),
            "--long-pages" => a.long_pages = value(),
            "--fixed-pages" => a.fixed_pages = value(),
            "--sequential-pages" => a.sequential_pages = value(),
            "--standard-pages" => a.standard_pages = value(),
            "--per-page" => a.per_page = value(),
            "--latency-ms" => a.latency_ms = value() as u64,
            other => panic!("unknown option {other}"),
        }
    }
    a
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args();
    let plan = RateLimit::unlimited_plan();
    let ceiling = plan.requests as f64 / plan.window.as_secs_f64();
    let dataset_pages = a.pages.max(a.long_pages).max(a.fixed_pages).max(a.sequential_pages).max(a.standard_pages);
    let fake = FakeMoco::start(FakeConfig {
        activities: dataset_pages * a.per_page,
        rate_limit: Some(plan),
        faults: Faults::none().latency(Duration::from_millis(a.latency_ms)),
        // The docs' clean answers, which BENCHMARKS.md's figures were measured on.
        answers: AnswerStyle::Docs,
        ..FakeConfig::default()
    })
    .await?;
    println!(
        "bench_sync: {} activities ({} per page), {} ms latency, plan {} per {} s (ceiling {ceiling:.1} req/s)",
        dataset_pages * a.per_page,
        a.per_page,
        a.latency_ms,
        plan.requests,
        plan.window.as_secs()
    );
    println!(
        "{:<48} {:>6} {:>7} {:>8} {:>7} {:>10} {:>14} {:>6} {:>5}",
        "run", "pages", "items", "wall s", "req/s", "of ceiling", "rule's fastest", "of it", "429s"
    );
    let standard = RateLimit::standard();
    for (label, concurrency, pages, plan) in [
        ("unlimited plan, sequential (1 at a time)", Some(1), a.sequential_pages, plan),
        ("unlimited plan, fixed 4 (.stream_concurrent(4))", Some(4), a.fixed_pages, plan),
        ("unlimited plan, .stream()", None, a.pages, plan),
        ("unlimited plan, .stream(), long sync", None, a.long_pages, plan),
        ("standard plan, .stream()", None, a.standard_pages, standard),
    ] {
        if pages == 0 {
            continue;
        }
        let ceiling = plan.requests as f64 / plan.window.as_secs_f64();
        fake.set_rate_limit(Some(plan)); // a fresh window on the server
        fake.clear_requests();
        let client = fake.client_builder().rate_limit(mocoapp::RateLimit::per_window(plan.requests, plan.window)).build()?;
        let request = client.list_activities().per_page(a.per_page as i64);
        let started = Instant::now();
        let stream = match concurrency {
            Some(n) => request.stream_concurrent(n),
            None => request.stream(),
        };
        let mut taken = stream.take(pages * a.per_page);
        let mut items = 0;
        while let Some(item) = taken.next().await {
            item?;
            items += 1;
        }
        let wall = started.elapsed().as_secs_f64();
        let latency = a.latency_ms as f64 / 1000.0;
        let fastest = ((pages.max(1) - 1) / plan.requests as usize) as f64 * (plan.window.as_secs_f64() + latency) + latency;
        let seen = fake.requests_seen();
        let requests = seen.iter().filter(|r| r.path.ends_with("/activities") && r.status == 200).count();
        let rejected = seen.iter().filter(|r| r.status == 429).count();
        let rate = requests as f64 / wall;
        println!(
            "{label:<48} {requests:>6} {items:>7} {wall:>8.1} {rate:>7.2} {:>9.0}% {fastest:>12.1} s {:>5.0}% {rejected:>5}",
            100.0 * rate / ceiling,
            100.0 * fastest / wall
        );
    }
    Ok(())
}
