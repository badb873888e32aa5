//! The code progenitor generates from `openapi/moco.yaml`, committed in `src/generated/` and
//! written by `cargo xtask codegen` (see `codegen/`): `builder` (one request builder per
//! operation) and the `Client` struct with one method per operation, on the generated `types`
//! of the `mocoapp-types` crate (`types/`); every item is gated by the cargo features of the
//! resources that use it. Nothing in here is written by hand.
#![allow(clippy::all, clippy::pedantic, missing_docs, unused_imports, unused_mut, unreachable_patterns, dead_code, rustdoc::all)]

pub use mocoapp_types::types;

include!("generated/codegen.rs");
