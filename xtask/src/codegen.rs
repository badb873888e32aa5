//! `cargo xtask codegen [--check]`: writes the client generated from `openapi/moco.yaml`
//! (`src/generated/codegen.rs`, the types in `types/src/generated.rs`, the crate docs'
//! `src/generated/resources.md` and the `moco` command line's `cli/src/generated.rs`, see
//! `mocoapp_codegen::committed_outputs`); with `--check`, writes nothing and fails if any is
//! not what the spec gives. Run it after every change to the spec or to `codegen/`.

use std::{path::Path, process::ExitCode};

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: cargo xtask codegen [--check]");
            return ExitCode::FAILURE;
        }
    };
    match outputs(root) {
        Ok(outputs) => {
            let mut stale = Vec::new();
            for (relative, content) in outputs {
                let path = root.join(relative);
                if std::fs::read_to_string(&path).ok().as_deref() == Some(content.as_str()) {
                    continue;
                }
                if check {
                    stale.push(relative);
                } else if let Err(e) = std::fs::write(&path, content) {
                    eprintln!("codegen: cannot write {}: {e}", path.display());
                    return ExitCode::FAILURE;
                } else {
                    println!("codegen: wrote {relative}");
                }
            }
            if stale.is_empty() {
                if check {
                    println!("codegen: the generated code is current");
                }
                ExitCode::SUCCESS
            } else {
                eprintln!("codegen: {} not what openapi/moco.yaml and codegen/ give; run `cargo xtask codegen`", stale.join(" and "));
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn outputs(root: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let read = |relative: &str| std::fs::read_to_string(root.join(relative)).map_err(|e| format!("cannot read {relative}: {e}"));
    mocoapp_codegen::committed_outputs(&read("openapi/moco.yaml")?, &read("Cargo.toml")?, &read("types/Cargo.toml")?)
}
