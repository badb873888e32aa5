//! What the benchmarks that run the fake as a separate process share (`mod support;` in
//! bench_memory.rs and bench_vs_python.rs): build and start the `moco-fake` binary, and read this
//! process's memory.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

/// A field of /proc/self/status in kB (Linux), e.g. `VmRSS:` or `VmHWM:` (the peak); 0 elsewhere.
pub fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// The fake as its own process; killed when this is dropped, however the benchmark ends.
pub struct FakeProcess {
    child: std::process::Child,
    /// Its base URL, e.g. `http://127.0.0.1:40123/api/v1`.
    pub url: String,
}

impl Drop for FakeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds the `moco-fake` binary in this example's profile (with cargo; a no-op when it is
/// current), starts it on a free loopback port with `args` and waits for its first line.
pub fn start_fake(args: &[String]) -> Result<FakeProcess, Box<dyn std::error::Error>> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "--manifest-path", manifest, "-p", "moco-fake", "--bin", "moco-fake"]);
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    if !build.status()?.success() {
        return Err("cannot build the moco-fake binary".into());
    }
    let exe = std::env::current_exe()?;
    let binary = exe.parent().and_then(|examples| examples.parent()).ok_or("no target directory")?.join("moco-fake");
    let mut child = Command::new(&binary).args(["--port", "0"]).args(args).stdout(Stdio::piped()).spawn()?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut fake = FakeProcess { child, url: String::new() };
    BufReader::new(stdout).read_line(&mut line)?;
    fake.url = line.trim().strip_prefix("moco-fake listening on ").ok_or_else(|| format!("unexpected output: {line:?}"))?.to_string();
    Ok(fake)
}
