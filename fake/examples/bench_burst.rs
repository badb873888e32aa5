//! Benchmark: a burst of 200 requests on MOCO's standard plan (120 requests per 2 minutes), all
//! issued at once through one client with `RateLimit::standard()`, the fake enforcing the same
//! limit. MOCO's rule allows the 200 in just over 120 s (120 at once, the other 80 once the
//! first ones leave the window); the target is a wall time of at most 1.05 × 120 s and no 429.
//!
//! ```sh
//! cargo run --release -p moco-fake --example bench_burst
//! cargo run --release -p moco-fake --example bench_burst -- --requests 200 --latency-ms 50
//! ```

use std::time::{Duration, Instant};

use moco_fake::{AnswerStyle, FakeConfig, FakeMoco, Faults, RateLimit};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut requests, mut latency_ms) = (200usize, 50u64);
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse::<u64>().ok()).unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--requests" => requests = value as usize,
            "--latency-ms" => latency_ms = value,
            other => panic!("unknown option {other}"),
        }
    }
    let plan = RateLimit::standard();
    let fake = FakeMoco::start(FakeConfig {
        rate_limit: Some(plan),
        faults: Faults::none().latency(Duration::from_millis(latency_ms)),
        // The docs' clean answers, which BENCHMARKS.md's figures were measured on.
        answers: AnswerStyle::Docs,
        ..FakeConfig::default()
    })
    .await?;
    let client = fake.client_builder().rate_limit(mocoapp::RateLimit::standard()).build()?;
    let ids: Vec<i64> = fake.entities("/projects").unwrap_or_default().iter().filter_map(|p| p["id"].as_i64()).collect();
    println!(
        "bench_burst: {requests} GET /projects/{{id}} at once, plan {} per {} s, {latency_ms} ms latency",
        plan.requests,
        plan.window.as_secs()
    );
    let started = Instant::now();
    let calls = (0..requests).map(|i| {
        let client = client.clone();
        let id = ids[i % ids.len()];
        async move {
            let result = client.get_project(id).send().await;
            (result.is_ok(), started.elapsed())
        }
    });
    let results = futures::future::join_all(calls).await;
    let wall = started.elapsed().as_secs_f64();
    let ok = results.iter().filter(|(ok, _)| *ok).count();
    let mut finished: Vec<f64> = results.iter().map(|(_, t)| t.as_secs_f64()).collect();
    finished.sort_by(f64::total_cmp);
    let seen = fake.requests_seen();
    let rejected = seen.iter().filter(|r| r.status == 429).count();
    let allowed = plan.window.as_secs_f64();
    let n = plan.requests as usize;
    println!("succeeded                 {ok} of {requests}");
    println!("requests the fake saw     {}", seen.len());
    println!("429s received             {rejected}   (target 0)");
    if requests > n {
        println!("request {n} done after     {:.2} s", finished[n - 1]);
        println!("request {} done after     {:.2} s", n + 1, finished[n]);
    }
    println!("wall time                 {wall:.1} s");
    println!("against the window        {:.3} × {allowed:.0} s   (target ≤ 1.05)", wall / allowed);
    Ok(())
}
