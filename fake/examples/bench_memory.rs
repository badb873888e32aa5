//! Benchmark: the client's memory while streaming 100,000 activities. The fake runs as a
//! separate process (the `moco-fake` binary, built here with cargo if needed, on a free
//! loopback port), so only the client's memory is measured: `VmRSS` every 10,000 items and
//! `VmHWM` (peak resident set) at the end, from `/proc/self/status`. Target: flat, under 30 MB.
//!
//! ```sh
//! cargo run --release -p moco-fake --example bench_memory
//! cargo run --release -p moco-fake --example bench_memory -- --items 100000 --per-page 100
//! ```

use std::time::Instant;

use futures::TryStreamExt;

mod support;
use support::{start_fake, status_kb};

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut items, mut per_page) = (100_000usize, 100usize);
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse::<usize>().ok()).unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--items" => items = value,
            "--per-page" => per_page = value,
            other => panic!("unknown option {other}"),
        }
    }
    let baseline = status_kb("VmHWM:");

    // The fake as its own process, built in the same profile as this example.
    let seeding = Instant::now();
    // The docs' clean answers, which BENCHMARKS.md's figures were measured on.
    let fake = start_fake(
        &["--no-request-log", "--docs-answers", "--api-key", "bench-key", "--activities", &items.to_string()].map(String::from),
    )?;
    let url = fake.url.clone();
    println!("bench_memory: fake at {url} (separate process, {items} activities seeded in {:.1} s)", seeding.elapsed().as_secs_f64());

    let client = mocoapp::Client::builder().base_url(&url).api_key("bench-key").rate_limit(mocoapp::RateLimit::off()).build()?;
    let before = status_kb("VmRSS:");
    println!("{:>8} {:>10} {:>10}", "items", "VmRSS MB", "VmHWM MB");
    println!("{:>8} {:>10.1} {:>10.1}", 0, mb(before), mb(status_kb("VmHWM:")));
    let started = Instant::now();
    let mut stream = client.list_activities().per_page(per_page as i64).stream();
    let mut count = 0usize;
    let mut samples = Vec::new();
    while let Some(activity) = stream.try_next().await? {
        std::hint::black_box(&activity);
        count += 1;
        if count.is_multiple_of(10_000) {
            let rss = status_kb("VmRSS:");
            samples.push(rss);
            println!("{count:>8} {:>10.1} {:>10.1}", mb(rss), mb(status_kb("VmHWM:")));
        }
    }
    let wall = started.elapsed().as_secs_f64();
    let peak = status_kb("VmHWM:");
    println!("streamed {count} activities in {wall:.1} s ({:.0} items/s, .stream(), {per_page} per page)", count as f64 / wall);
    println!("peak resident set (VmHWM) {:.1} MB   (target < 30 MB; {:.1} MB before the fake started)", mb(peak), mb(baseline));
    if let (Some(first), Some(last)) = (samples.first(), samples.last()) {
        println!("VmRSS from 10,000 items to the end: {:.1} → {:.1} MB", mb(*first), mb(*last));
    }
    if count != items {
        return Err(format!("streamed {count} items, the fake has {items}").into());
    }
    Ok(())
}
