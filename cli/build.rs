//! Checks that `src/generated.rs` (written by `cargo xtask codegen` from `openapi/moco.yaml`)
//! is as new as the spec, like mocoapp's own `build.rs`: a spec change without regenerating
//! fails here with what to run, not later with puzzling type errors or a missing subcommand.
//! Outside the repository (no spec beside it) nothing is checked.

use std::{fs, process::exit};

const SPEC: &str = "../openapi/moco.yaml";
const CODE: &str = "src/generated.rs";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed={CODE}");
    println!("cargo:rerun-if-changed=build.rs");
    let (Ok(spec), Ok(code)) = (fs::read_to_string(SPEC), fs::read_to_string(CODE)) else { return };
    let expected = format!("(spec hash {:016x})", spec_hash(&spec));
    let first_line = code.lines().next().unwrap_or_default();
    if !first_line.contains(&expected) {
        eprintln!(
            "\nmocoapp-cli build.rs: cli/{CODE} was generated from another version of openapi/moco.yaml \
             (its first line: `{first_line}`; the spec's hash now: {expected}).\nRun `cargo xtask codegen` to generate it again.\n"
        );
        exit(1);
    }
}

/// FNV-1a, 64 bit: a copy of `mocoapp_codegen::spec_hash` (a test in codegen/ keeps the copies
/// equal), so that this script has no dependency to build.
fn spec_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}
