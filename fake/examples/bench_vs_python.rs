//! Benchmark: `mocoapp` side by side with the Python client `moco-py` (PyPI) on the same fake
//! and the same full sync of activities. The fake runs as a separate process (the `moco-fake`
//! binary, built here with cargo if needed, on a free loopback port); each client lists every
//! activity (100 per page), counts them and sums their ids: moco-py with its default
//! `auto_paging_iter()` (one page after the other), `mocoapp` one page at a time
//! (`.stream_concurrent(1)`, the like-for-like comparison) and with its default `.stream()`
//! (concurrent pages). Printed for each: items, id sum (so the items are the same), wall time,
//! the client process's CPU time, peak resident set (Rust: `VmHWM`; Python: `ru_maxrss`).
//!
//! ```sh
//! python3 -m venv /tmp/moco-py && /tmp/moco-py/bin/pip install moco-py==1.2.0
//! MOCO_PY_PYTHON=/tmp/moco-py/bin/python cargo run --release -p moco-fake --example bench_vs_python
//! # options: -- --activities 10000 --latency-ms 250 --rate-limit 1200/120
//! ```

use std::{process::Command, time::Instant};

use futures::TryStreamExt;

mod support;
use support::{start_fake, status_kb};

const PYTHON: &str = r#"
import resource, sys, time
from moco_py import Moco
url, key = sys.argv[1], sys.argv[2]
started = time.monotonic()
client = Moco(api_key=key, base_url=url)
count = id_sum = 0
for activity in client.activities.list().auto_paging_iter():
    count += 1
    id_sum += activity.id
wall = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(count, id_sum, wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut activities, mut latency_ms, mut rate_limit) = (10_000usize, 250u64, "1200/120".to_string());
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| panic!("{} needs a value", pair[0]));
        match pair[0].as_str() {
            "--activities" => activities = value.parse()?,
            "--latency-ms" => latency_ms = value.parse()?,
            "--rate-limit" => rate_limit = value,
            other => panic!("unknown option {other}"),
        }
    }
    let python = std::env::var("MOCO_PY_PYTHON").unwrap_or_else(|_| "python3".into());
    let check = Command::new(&python).args(["-c", "import moco_py; print(moco_py.__version__)"]).output()?;
    if !check.status.success() {
        return Err(format!("{python} cannot import moco_py: pip install moco-py (see the example's docs)").into());
    }
    let moco_py_version = String::from_utf8_lossy(&check.stdout).trim().to_string();

    let key = "bench-key";
    // The docs' clean answers (which BENCHMARKS.md's figures were measured on, and which moco-py
    // is written for).
    let mut fake_args = vec!["--no-request-log".to_string(), "--docs-answers".into(), "--api-key".into(), key.into()];
    fake_args.extend(["--activities".into(), activities.to_string(), "--latency-ms".into(), latency_ms.to_string()]);
    if rate_limit != "off" {
        fake_args.extend(["--rate-limit".into(), rate_limit.clone()]);
    }
    let fake = start_fake(&fake_args)?;
    let url = fake.url.clone();
    println!(
        "bench_vs_python: full sync of {activities} activities, fake as a separate process, {latency_ms} ms latency, rate limit {rate_limit}"
    );

    // mocoapp, with the plan's client-side limit when the fake enforces one.
    let limit = match rate_limit.split_once('/') {
        Some((n, s)) => mocoapp::RateLimit::per_window(n.parse()?, std::time::Duration::from_secs(s.parse()?)),
        None => mocoapp::RateLimit::off(),
    };
    // One page at a time first (as moco-py pages), then the default `.stream()`; each with a
    // client of its own.
    let mut rust = Vec::new();
    for one_at_a_time in [true, false] {
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let client = mocoapp::Client::builder().base_url(&url).api_key(key).rate_limit(limit).build()?;
        let request = client.list_activities();
        let stream = if one_at_a_time { request.stream_concurrent(1) } else { request.stream() };
        let (count, id_sum) = stream.try_fold((0usize, 0i64), |(n, sum), a| async move { Ok((n + 1, sum + a.id)) }).await?;
        rust.push((count, id_sum, started.elapsed().as_secs_f64(), status_kb("VmHWM:"), cpu_seconds() - cpu));
    }

    // moco-py, on the same fake (a fresh window: wait out the Rust run's requests when limited).
    if rate_limit != "off" {
        if let Some((_, s)) = rate_limit.split_once('/') {
            let window: u64 = s.parse()?;
            let pages = activities.div_ceil(100) as u64;
            let (n, _) = rate_limit.split_once('/').unwrap_or(("0", ""));
            if pages * 2 > n.parse::<u64>()? {
                println!("(waiting {window} s for the fake's window to clear)");
                tokio::time::sleep(std::time::Duration::from_secs(window)).await;
            }
        }
    }
    let output = Command::new(&python).args(["-c", PYTHON, &url, key]).output()?;
    if !output.status.success() {
        return Err(format!("moco-py run failed:\n{}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    let py = (
        fields[0].parse::<usize>()?,
        fields[1].parse::<i64>()?,
        fields[2].parse::<f64>()?,
        fields[3].parse::<u64>()?,
        fields[4].parse::<f64>()?,
    );

    println!("{:<40} {:>8} {:>14} {:>9} {:>7} {:>13}", "client", "items", "sum of ids", "wall s", "CPU s", "peak RSS MB");
    for (label, r) in [("mocoapp, one page at a time", rust[0]), ("mocoapp, default (.stream())", rust[1])] {
        println!("{label:<40} {:>8} {:>14} {:>9.1} {:>7.2} {:>13.1}", r.0, r.1, r.2, r.4, r.3 as f64 / 1024.0);
    }
    println!(
        "{:<40} {:>8} {:>14} {:>9.1} {:>7.2} {:>13.1}",
        format!("moco-py {moco_py_version}, default (one at a time)"),
        py.0,
        py.1,
        py.2,
        py.4,
        py.3 as f64 / 1024.0
    );
    let equal = rust.iter().all(|r| (r.0, r.1) == (py.0, py.1)) && py.0 == activities;
    println!("items equal: {}", if equal { "yes" } else { "NO" });
    println!("(peak RSS of mocoapp: the process's high-water mark after each run, so the second includes the first)");
    println!(
        "moco-py / mocoapp, one page at a time each: wall {:.1}×, CPU {:.1}×; both at their defaults: wall {:.1}×, CPU {:.1}×",
        py.2 / rust[0].2,
        py.4 / rust[0].4,
        py.2 / rust[1].2,
        py.4 / rust[1].4
    );
    Ok(())
}

/// This process's CPU time (user and system, all threads), in seconds.
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec for clock_gettime to write.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}
