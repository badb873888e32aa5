//! Checks that the committed generated code (`src/generated/codegen.rs` and the types in
//! `types/src/generated.rs`, written by `cargo xtask codegen` from `openapi/moco.yaml`) is as new
//! as the spec, so that a change to the spec without regenerating fails here with what to run,
//! not later with puzzling type errors.
//!
//! It only compares the spec's hash with the one recorded in the generated file's first line: the
//! generator itself (progenitor and its chain) is not built with the client, which was a third of
//! a clean build. Where the spec is not beside the code (the crate as published), there is
//! nothing to compare and nothing is checked. `cargo xtask codegen --check`, in CI, compares the
//! code itself.

use std::{fs, process::exit};

const SPEC: &str = "openapi/moco.yaml";
/// The generated files: the client's and the types' (the mocoapp-types crate).
const CODE: &[&str] = &["src/generated/codegen.rs", "types/src/generated.rs"];

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    let Ok(spec) = fs::read_to_string(SPEC) else { return };
    let expected = format!("(spec hash {:016x})", spec_hash(&spec));
    for file in CODE {
        println!("cargo:rerun-if-changed={file}");
        let Ok(code) = fs::read_to_string(file) else { continue };
        let first_line = code.lines().next().unwrap_or_default();
        if !first_line.contains(&expected) {
            fail(&format!(
                "{file} was generated from another version of {SPEC} (its first line: `{first_line}`; the spec's hash now: {expected}).\n\
                 Run `cargo xtask codegen` to generate it again."
            ));
        }
    }
}

/// FNV-1a, 64 bit: a copy of `mocoapp_codegen::spec_hash` (a test in codegen/ keeps them equal),
/// so that this script has no dependency to build.
fn spec_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

fn fail(message: &str) -> ! {
    eprintln!("\nmocoapp build.rs: {message}\n");
    exit(1);
}
