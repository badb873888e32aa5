//! Generates the MOCO client from `openapi/moco.yaml` at build time. The work is done by the
//! `mocoapp-codegen` crate (`codegen/`): spec adaptations, progenitor, and the rewrites that
//! connect the generated builders to the hand-written layer in `src/`.
//! Output: `$OUT_DIR/codegen.rs`, included by `src/generated.rs`, and `$OUT_DIR/resources.md`,
//! the index of resources at the top of the crate docs.

use std::{env, fs, path::Path, process::exit};

const SPEC: &str = "openapi/moco.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let code = mocoapp_codegen::generate(&text).unwrap_or_else(|message| fail(&message));
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("codegen.rs");
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    let index = mocoapp_codegen::resource_index(&text).unwrap_or_else(|message| fail(&message));
    let index_out = out.with_file_name("resources.md");
    fs::write(&index_out, index).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", index_out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("\nmocoapp build.rs ({SPEC}): {message}\n");
    exit(1);
}
