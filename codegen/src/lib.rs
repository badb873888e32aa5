//! Turns `openapi/moco.yaml` into the `mocoapp` client. Called by mocoapp's `build.rs`; kept in a
//! crate of its own so that each step is unit-tested.
//!
//! 1. [`adapt`]: rewrite the in-memory spec where it says something true that progenitor cannot
//!    express (comma-separated lists, `deepObject` filters, empty optional arrays);
//! 2. [`generate`]: progenitor (builder interface); on failure every operation is generated alone
//!    to name the ones at fault;
//! 3. [`wrap`]: connect the generated builders to the hand-written layer (`send` mapping errors
//!    into `mocoapp::Error`, pagination streams, friendlier optional setters).

pub mod adapt;
pub mod generate;
pub mod wrap;

/// The generated Rust source for a spec given as YAML text, or a message naming what is wrong.
pub fn generate(spec_yaml: &str) -> Result<String, String> {
    let mut raw: serde_json::Value = serde_norway::from_str(spec_yaml).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
    adapt::adapt_spec(&mut raw);
    let tokens = generate::generate(&raw).map_err(|message| format!("{message}\n{}", generate::blame_operations(&raw)))?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    wrap::wrap_builders(&mut file)?;
    wrap::relax_optional_setters(&mut file)?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests;
