//! Benchmark: the client's per-request overhead, client side only. The same request,
//! `GET /projects/{id}`, sent one after the other through `mocoapp`
//! (`client.get_project(id).send()`: default retries, and a client-side rate limit that is on but
//! never binds, so that its bookkeeping is counted) and through plain reqwest +
//! `serde_json::from_slice` into the same `mocoapp::types::Project`. The server is the
//! `moco-fake` binary in a **separate process** (no latency, no rate limit, requests not
//! recorded, the docs' clean answers), so only the client's work is in this process; the figures
//! are the ratio of **this process's CPU time** per request (target ≤ 1.05), pooled over all
//! rounds and as the median of the rounds (with the middle half of them).
//! Both go through the same `reqwest::Client` (set up as `mocoapp`'s default one: gzip, 30 s
//! timeout; `ClientBuilder::http_client`), so they share the transport and its connection pool
//! and only the layer differs. (With a pool each, timing decided how many idle connections each
//! pool kept, and with two a checkout skips a hash-map removal and re-insertion: 3,000
//! instructions per request that had nothing to do with the layer.) Rounds alternate between
//! the two so that load from elsewhere on the machine hits both alike; the wall-time ratio is
//! printed too (it includes the server's time and the machine's load).
//!
//! It runs on tokio's single-threaded runtime and on the multi-threaded runtime of a default
//! `#[tokio::main]`.
//!
//! ```sh
//! cargo run --release -p moco-fake --example bench_overhead
//! cargo run --release -p moco-fake --example bench_overhead -- --requests 200 --rounds 301
//! # the server on one core and the client on the other (less noise on a small machine):
//! taskset -c 1 target/release/moco-fake --port 0 --docs-answers --no-request-log &   # prints its URL
//! taskset -c 0 target/release/examples/bench_overhead --url URL
//! # instructions of the client alone (the fake is another process, which valgrind does not follow):
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/bench_overhead --only mocoapp --rounds 1 --requests 500
//! ```

use std::time::Instant;

/// Wall time and this process's CPU time (all its threads: the client's work only, the server
/// being another process). CPU time is what the ratio is taken on: on a shared machine, wall
/// time also counts the waits for a core, and here the server's work.
struct Clock {
    wall: Instant,
    cpu: f64,
}

impl Clock {
    fn start() -> Self {
        Clock { wall: Instant::now(), cpu: process_cpu_seconds() }
    }

    /// (wall µs, CPU µs) per request.
    fn per(&self, requests: usize) -> (f64, f64) {
        let n = requests as f64;
        (self.wall.elapsed().as_secs_f64() * 1e6 / n, (process_cpu_seconds() - self.cpu) * 1e6 / n)
    }
}

fn process_cpu_seconds() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec for clock_gettime to write.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

use mocoapp::types::Project;

// (Only `start_fake` of it is used here.)
#[allow(dead_code)]
mod support;

type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Fallible<()> {
    // Short rounds, many of them: the two sides take turns every 200 requests, so that what the
    // machine does meanwhile (on a VM, wake-ups and interrupts cost more than the layer) hits
    // both alike; the pooled ratio is then steadier than any one round's.
    let (mut requests, mut rounds, mut only, mut url) = (200usize, 301usize, None, None);
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = || pair.get(1).and_then(|v| v.parse::<usize>().ok()).unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--requests" => requests = value(),
            "--rounds" => rounds = value(),
            // For a profiler (valgrind --tool=callgrind, perf): run one side only, no table.
            "--only" => only = pair.get(1).cloned(),
            // A fake already running (`moco-fake --port 0 --docs-answers --no-request-log`).
            "--url" => url = pair.get(1).cloned(),
            other => panic!("unknown option {other}"),
        }
    }
    // The server in a process of its own, unless one is given.
    let (_fake, url) = match url {
        Some(url) => (None, url),
        None => {
            let fake = support::start_fake(&["--docs-answers".into(), "--no-request-log".into()])?;
            let url = fake.url.clone();
            (Some(fake), url)
        }
    };
    let single = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    if only.is_some() {
        // One side alone, on the single-threaded runtime (one thread is what a profiler reads best).
        return single.block_on(compare(&url, requests, rounds, only.as_deref()));
    }
    println!("server: moco-fake at {url} (a separate process); CPU time below is the client's alone");
    println!("single-threaded runtime:");
    single.block_on(compare(&url, requests, rounds, None))?;
    drop(single);
    println!();
    println!("multi-threaded runtime (as #[tokio::main]):");
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(compare(&url, requests, rounds, None))
}

/// The comparison on the current runtime; `only` runs one side, without the table.
async fn compare(url: &str, requests: usize, rounds: usize, only: Option<&str>) -> Fallible<()> {
    let key = "fake-api-key";
    // A client-side limit that never binds: its bookkeeping is part of every request, as with
    // the default (standard plan) limit.
    let limit = mocoapp::RateLimit::per_window(1_000_000, std::time::Duration::from_secs(120));
    // Configured as `mocoapp` configures its own reqwest client by default (its TLS, gzip, a 30 s
    // timeout, which costs a timer per request), so the figure is the layer's overhead, not a
    // setting's; and shared, so that both use the same connections.
    let plain = mocoapp::ClientBuilder::http_client_builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let client = mocoapp::Client::builder().base_url(url).api_key(key).rate_limit(limit).http_client(plain.clone()).build()?;
    let ids: Vec<i64> = client.list_projects().send().await?.iter().map(|p| p.id).collect();
    let auth = format!("Token token={key}");
    let urls: Vec<String> = ids.iter().map(|id| format!("{url}/projects/{id}")).collect();

    let run_mocoapp = || async {
        let clock = Clock::start();
        for i in 0..requests {
            let project = client.get_project(ids[i % ids.len()]).send().await.expect("mocoapp request");
            std::hint::black_box(project);
        }
        clock.per(requests)
    };
    let run_plain = || async {
        let clock = Clock::start();
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
        clock.per(requests)
    };

    match only {
        Some("mocoapp") => {
            for _ in 0..rounds {
                run_mocoapp().await;
            }
            return Ok(());
        }
        Some("reqwest") => {
            for _ in 0..rounds {
                run_plain().await;
            }
            return Ok(());
        }
        Some(other) => panic!("--only mocoapp or --only reqwest, not {other}"),
        None => {}
    }
    // Warm-up: connections, allocator, caches.
    run_mocoapp().await;
    run_plain().await;
    println!("bench_overhead: {rounds} rounds of {requests} sequential GET /projects/{{id}} each way (µs per request)");
    println!(
        "{:<7} {:>12} {:>12} {:>7} {:>12} {:>12} {:>7}",
        "round", "mocoapp wall", "reqwest wall", "ratio", "mocoapp CPU", "reqwest CPU", "ratio"
    );
    let (mut wall_ratios, mut cpu_ratios, mut cpu_diffs) = (Vec::new(), Vec::new(), Vec::new());
    let (mut cpu_mocoapp, mut cpu_plain) = (0.0, 0.0);
    for round in 1..=rounds {
        // Alternate which goes first.
        let (m, p) = if round % 2 == 1 {
            let m = run_mocoapp().await;
            (m, run_plain().await)
        } else {
            let p = run_plain().await;
            (run_mocoapp().await, p)
        };
        println!("{round:<7} {:>12.1} {:>12.1} {:>7.3} {:>12.1} {:>12.1} {:>7.3}", m.0, p.0, m.0 / p.0, m.1, p.1, m.1 / p.1);
        wall_ratios.push(m.0 / p.0);
        cpu_ratios.push(m.1 / p.1);
        cpu_diffs.push(m.1 - p.1);
        cpu_mocoapp += m.1;
        cpu_plain += p.1;
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    // The middle half of the rounds: how far one round's ratio can be trusted on this machine.
    let quartiles = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 4], v[v.len() * 3 / 4])
    };
    println!("median ratio, wall time:  {:.3}   (load elsewhere on the machine moves this one)", median(&mut wall_ratios));
    let (low, high) = quartiles(&mut cpu_ratios);
    println!("median ratio, CPU time:   {:.3}   (target ≤ 1.05; middle half of the rounds {low:.3} to {high:.3})", median(&mut cpu_ratios));
    println!("pooled ratio, CPU time:   {:.3}   (all rounds' CPU time, mocoapp over plain reqwest)", cpu_mocoapp / cpu_plain);
    println!("overhead per request (median CPU difference, client only): {:.1} µs", median(&mut cpu_diffs));
    Ok(())
}
