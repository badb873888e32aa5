//! Benchmark: `mocoapp` side by side with the Python client `moco-py` (PyPI) on the same fake
//! and the same full sync of activities. The fake runs as a separate process (the `moco-fake`
//! binary, built here with cargo if needed, on a free loopback port); each client lists every
//! activity with its own defaults (100 per page; `mocoapp` with `.stream()`, moco-py with
//! `auto_paging_iter()`), counts them and sums their ids. Printed for both: items, id sum (so
//! the items are the same), wall time, peak resident set (Rust: `VmHWM`; Python: `ru_maxrss`).
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
print(count, id_sum, wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
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
    let started = Instant::now();
    let client = mocoapp::Client::builder().base_url(&url).api_key(key).rate_limit(limit).build()?;
    let (count, id_sum) =
        client.list_activities().stream().try_fold((0usize, 0i64), |(n, sum), a| async move { Ok((n + 1, sum + a.id)) }).await?;
    let rust = (count, id_sum, started.elapsed().as_secs_f64(), status_kb("VmHWM:"));

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
    let py = (fields[0].parse::<usize>()?, fields[1].parse::<i64>()?, fields[2].parse::<f64>()?, fields[3].parse::<u64>()?);

    println!("{:<22} {:>8} {:>14} {:>9} {:>13}", "client", "items", "sum of ids", "wall s", "peak RSS MB");
    println!("{:<22} {:>8} {:>14} {:>9.1} {:>13.1}", "mocoapp (.stream())", rust.0, rust.1, rust.2, rust.3 as f64 / 1024.0);
    println!("{:<22} {:>8} {:>14} {:>9.1} {:>13.1}", format!("moco-py {moco_py_version}"), py.0, py.1, py.2, py.3 as f64 / 1024.0);
    println!("items equal: {}", if (rust.0, rust.1) == (py.0, py.1) && rust.0 == activities { "yes" } else { "NO" });
    println!("wall time moco-py / mocoapp: {:.1}×, peak memory: {:.1}×", py.2 / rust.2, py.3 as f64 / rust.3 as f64);
    Ok(())
}
