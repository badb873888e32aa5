//! `cargo xtask <task>`: chores that keep the spec honest.
//!
//! - `codegen [--check]`: writes the generated client in `src/generated/` (see `codegen.rs`).
//! - `lint [SPEC]`: validates `openapi/moco.yaml` (see `lint.rs`); exits 1 on any problem.
//! - `build-figures`: measures build times and generated code size (see `build_figures.rs`).
//! - `docs [--check]`: regenerates the API reference in `docs/` (see `docs.rs`).
//! - `drift --docs PATH | --openapi FILE`: compares the spec with a checkout of MOCO's docs, or with
//!   another OpenAPI description of the API such as MOCO's own (see `drift.rs`).

mod build_figures;
mod codegen;
mod docs;
mod drift;
mod lint;

use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("lint") => {
            let spec = args.get(1).map(PathBuf::from).unwrap_or_else(|| workspace_root().join("openapi/moco.yaml"));
            let text = match std::fs::read_to_string(&spec) {
                Ok(text) => text,
                Err(e) => {
                    eprintln!("cannot read {}: {e}", spec.display());
                    return ExitCode::FAILURE;
                }
            };
            let report = lint::lint(&text);
            for problem in &report.problems {
                println!("{problem}");
            }
            println!(
                "{}: {} operations, {} schemas, {} examples checked, {} problem(s)",
                spec.display(),
                report.operations,
                report.schemas,
                report.examples,
                report.problems.len()
            );
            if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Some("codegen") => codegen::run(&workspace_root(), &args[1..]),
        Some("docs") => docs::run(&workspace_root(), &args[1..]),
        Some("drift") => drift::run(&workspace_root(), &args[1..]),
        Some("build-figures") => match build_figures::run(&workspace_root(), &args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("build-figures: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask codegen [--check] | lint [SPEC] | docs [--check] | drift [--docs PATH] [--openapi FILE] | build-figures [CARGO BUILD ARGS]");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}
