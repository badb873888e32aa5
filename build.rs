//! Generates the MOCO client from `openapi/moco.yaml` at build time. The work is done by the
//! `mocoapp-codegen` crate (`codegen/`): spec adaptations, progenitor, and the rewrites that
//! connect the generated builders to the hand-written layer in `src/`.
//! Output: `$OUT_DIR/codegen.rs`, included by `src/generated.rs`, and `$OUT_DIR/resources.md`,
//! the index of resources at the top of the crate docs.
//!
//! Cargo features: one per tag of the spec (`projects`, `project-tasks`, ...; see
//! `codegen/src/resources.rs`), `full` (the default) for all. Only the operations of the enabled
//! ones are generated, with the types they use; the build fails if a tag has no feature.

use std::{collections::BTreeSet, env, fs, path::Path, process::exit};

use mocoapp_codegen::Resources;

const SPEC: &str = "openapi/moco.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let manifest = fs::read_to_string("Cargo.toml").unwrap_or_else(|e| fail(&format!("cannot read Cargo.toml: {e}")));
    mocoapp_codegen::check_manifest_features(&text, &manifest).unwrap_or_else(|message| fail(&message));
    let resources = if enabled("full") {
        Resources::All
    } else {
        let features = mocoapp_codegen::resource_features(&text).unwrap_or_else(|message| fail(&message));
        Resources::Only(features.into_iter().filter(|f| enabled(f)).collect::<BTreeSet<_>>())
    };
    let code = mocoapp_codegen::generate_resources(&text, &resources).unwrap_or_else(|message| fail(&message));
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("codegen.rs");
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    let index = mocoapp_codegen::resource_index_of(&text, &resources).unwrap_or_else(|message| fail(&message));
    let index_out = out.with_file_name("resources.md");
    fs::write(&index_out, index).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", index_out.display())));
}

/// Whether cargo enabled `feature` (it sets `CARGO_FEATURE_<NAME>` for the build script).
fn enabled(feature: &str) -> bool {
    env::var_os(format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"))).is_some()
}

fn fail(message: &str) -> ! {
    eprintln!("\nmocoapp build.rs ({SPEC}): {message}\n");
    exit(1);
}
