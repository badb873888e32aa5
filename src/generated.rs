//! The code progenitor generates from `openapi/moco.yaml` at build time (see `build.rs`):
//! `types` (one Rust type per schema), `builder` (one request builder per operation) and the
//! `Client` struct with one method per operation. Nothing in here is written by hand.
#![allow(clippy::all, clippy::pedantic, missing_docs, unused_imports, unreachable_patterns, dead_code, rustdoc::all)]

include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
