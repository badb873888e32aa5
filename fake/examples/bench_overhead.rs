//! Benchmark: the client's per-request overhead. The same request, `GET /projects/{id}` on the
//! fake (no latency, no rate limit, requests not recorded), sent one after the other through
//! `mocoapp` (`client.get_project(id).send()`, client-side limiter off as `FakeMoco::client`
//! sets it, default retries) and through plain reqwest + `serde_json::from_slice` into the
//! same `mocoapp::types::Project`, that reqwest client set up as `mocoapp`'s default one (gzip,
//! 30 s timeout). Rounds alternate between the two so that load from elsewhere
//! on the machine hits both alike; the ratio of the medians is the figure (target ≤ 1.05).
//!
//! ```sh
//! cargo run --release -p moco-fake --example bench_overhead
//! cargo run --release -p moco-fake --example bench_overhead -- --requests 2000 --rounds 15
//! ```

use std::time::Instant;

use moco_fake::{FakeConfig, FakeMoco};
use mocoapp::types::Project;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut requests, mut rounds) = (2000usize, 15usize);
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse::<usize>().ok()).unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--requests" => requests = value,
            "--rounds" => rounds = value,
            other => panic!("unknown option {other}"),
        }
    }
    let fake = FakeMoco::start(FakeConfig { record_requests: false, ..FakeConfig::default() }).await?;
    let client = fake.client(); // installs the ring provider, as the plain client needs it too
    // Configured as `mocoapp` configures its own reqwest client by default (gzip, a 30 s timeout,
    // which costs a timer per request), so the figure is the layer's overhead, not a setting's.
    let plain = reqwest::Client::builder().gzip(true).timeout(std::time::Duration::from_secs(30)).build()?;
    let ids: Vec<i64> = fake.entities("/projects").unwrap_or_default().iter().filter_map(|p| p["id"].as_i64()).collect();
    let auth = format!("Token token={}", fake.api_key());
    let urls: Vec<String> = ids.iter().map(|id| format!("{}/projects/{id}", fake.url())).collect();

    let run_mocoapp = || async {
        let started = Instant::now();
        for i in 0..requests {
            let project = client.get_project(ids[i % ids.len()]).send().await.expect("mocoapp request");
            std::hint::black_box(project);
        }
        started.elapsed().as_secs_f64() * 1e6 / requests as f64
    };
    let run_plain = || async {
        let started = Instant::now();
        for i in 0..requests {
            let response = plain
                .get(&urls[i % urls.len()])
                .header(reqwest::header::AUTHORIZATION, &auth)
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await
                .expect("plain request");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("plain body");
            let project: Project = serde_json::from_slice(&bytes).expect("a project");
            std::hint::black_box(project);
        }
        started.elapsed().as_secs_f64() * 1e6 / requests as f64
    };

    // Warm-up: connections, allocator, caches.
    run_mocoapp().await;
    run_plain().await;
    println!("bench_overhead: {rounds} rounds of {requests} sequential GET /projects/{{id}} each way");
    println!("{:<7} {:>16} {:>16} {:>7}", "round", "mocoapp µs/req", "reqwest µs/req", "ratio");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        // Alternate which goes first.
        let (m, p) = if round % 2 == 1 {
            let m = run_mocoapp().await;
            (m, run_plain().await)
        } else {
            let p = run_plain().await;
            (run_mocoapp().await, p)
        };
        println!("{round:<7} {m:>16.1} {p:>16.1} {:>7.3}", m / p);
        ours.push(m);
        theirs.push(p);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (m, p) = (median(&mut ours), median(&mut theirs));
    println!("median  {m:>16.1} {p:>16.1} {:>7.3}   (target ≤ 1.05)", m / p);
    println!("overhead per request: {:.1} µs", m - p);
    Ok(())
}
