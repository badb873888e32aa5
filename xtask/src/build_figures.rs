//! `cargo xtask build-figures`: measures what the generated client costs to build, in a target
//! directory of its own (`target/build-figures`), and prints a Markdown table for BENCHMARKS.md.
//!
//! 1. a clean build of the `mocoapp` library (dependencies included), twice: as cargo builds it
//!    for a project that depends on it (`CARGO_INCREMENTAL=0`: cargo never compiles a crates.io
//!    dependency incrementally), which is the figure the target is about, and as it builds it in
//!    this workspace (incremental, which costs a little more the first time);
//! 2. the rebuild after the generated code changes (`src/generated/codegen.rs` is touched, as
//!    `cargo xtask codegen` does after a change to the spec): the crate compiles again;
//! 3. the rebuild after a hand-written file is touched (the same, by another way in);
//! 4. the size of the generated code (all resources; features leave out what they gate).
//!
//! Arguments after `build-figures` go to every `cargo build`, e.g.
//! `cargo xtask build-figures --no-default-features --features projects` for one resource. The
//! load average before and after is printed too: on a shared 2-core machine it says how far the
//! figures can be trusted.

use std::{
    fs,
    path::Path,
    process::Command,
    time::{Duration, Instant, SystemTime},
};

pub fn run(root: &Path, cargo_args: &[String]) -> Result<(), String> {
    let target = root.join("target/build-figures");
    let load_before = load_average();
    let _ = fs::remove_dir_all(&target);
    let build_with = |incremental: bool| -> Result<Duration, String> {
        let started = Instant::now();
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "mocoapp", "--lib", "--target-dir"])
            .arg(&target)
            .args(cargo_args)
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("cargo build failed".into());
        }
        Ok(started.elapsed())
    };
    let build = || build_with(true);
    let touch = |file: &str| -> Result<(), String> {
        let f = fs::File::options().append(true).open(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
        f.set_modified(SystemTime::now()).map_err(|e| format!("{file}: {e}"))
    };

    let clean_as_dependency = build_with(false)?;
    fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    let clean = build()?;
    touch("src/generated/codegen.rs")?;
    let after_generated = build()?;
    touch("src/client.rs")?;
    let after_wrapper = build()?;
    let generated = fs::read_to_string(root.join("src/generated/codegen.rs")).map_err(|e| e.to_string())?;
    let (lines, bytes) = (generated.lines().count(), generated.len());
    let spec = fs::read_to_string(root.join("openapi/moco.yaml")).map_err(|e| e.to_string())?;
    let operations = spec.lines().filter(|l| l.trim_start().starts_with("operationId:")).count();

    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| cargo build arguments | `{}` |",
        if cargo_args.is_empty() { "(none: all resources)".to_string() } else { cargo_args.join(" ") }
    );
    println!("| load average (1 min) before / after | {load_before} / {} |", load_average());
    println!("| operations in the spec | {operations} |");
    println!(
        "| clean build of the library, dependencies included, as a dependency (not incremental) | {:.1} s |",
        clean_as_dependency.as_secs_f64()
    );
    println!("| the same in this workspace (incremental) | {:.1} s |", clean.as_secs_f64());
    println!("| rebuild after the generated code changes | {:.1} s |", after_generated.as_secs_f64());
    println!("| rebuild after touching `src/client.rs` | {:.1} s |", after_wrapper.as_secs_f64());
    println!("| generated code (`src/generated/codegen.rs`, all resources) | {lines} lines, {} KiB |", bytes / 1024);
    Ok(())
}

/// The 1-minute load average (Linux), or `?`.
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(str::to_string)).unwrap_or_else(|| "?".into())
}
