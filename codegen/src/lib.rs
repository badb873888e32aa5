//! Turns `openapi/moco.yaml` into the `mocoapp` client. Called by mocoapp's `build.rs`; kept in a
//! crate of its own so that each step is unit-tested.
//!
//! 0. [`resources`]: keep the operations of the enabled cargo features (one per tag) and the
//!    components they use;
//! 1. [`facts`]: read what the spec says about each operation before it is adapted (path
//!    parameters, comma lists, required fields);
//! 2. [`adapt`] and [`open_enums`]: rewrite the in-memory spec where it says something true that
//!    progenitor cannot express (comma-separated lists, `deepObject` filters, nullable
//!    references, open enums, empty optional arrays);
//! 3. [`generate`]: progenitor (builder interface); on failure every operation is generated alone
//!    to name the ones at fault;
//! 4. [`builders`]: keep the type builders of request types only;
//! 5. [`wrap`] and [`surface`]: connect the generated builders to the hand-written layer (`send`,
//!    errors, pagination streams, friendlier setters) and give them the surface a Rust user
//!    expects (required ids as arguments, typed lists, no names ending in `_`).

pub mod adapt;
pub mod builders;
pub mod facts;
pub mod generate;
pub mod naming;
pub mod open_enums;
pub mod resources;
pub mod surface;
pub mod wrap;

pub use resources::Resources;

/// The generated Rust source for a spec given as YAML text, or a message naming what is wrong.
pub fn generate(spec_yaml: &str) -> Result<String, String> {
    generate_resources(spec_yaml, &Resources::All)
}

/// Like [`generate`], for the operations of the enabled resources only (see [`resources`]).
pub fn generate_resources(spec_yaml: &str, resources: &Resources) -> Result<String, String> {
    let mut raw: serde_json::Value = serde_norway::from_str(spec_yaml).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
    resources::select(&mut raw, resources);
    let operations = facts::read(&raw);
    let open_enums = open_enums::hoist(&mut raw)?;
    adapt::adapt_spec(&mut raw);
    let replaced: Vec<String> = open_enums.iter().map(|e| e.name.clone()).collect();
    let tokens = generate::generate(&raw, &replaced).map_err(|message| format!("{message}\n{}", generate::blame_operations(&raw, &replaced)))?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    wrap::wrap_builders(&mut file)?;
    builders::prune_type_builders(&mut file)?;
    wrap::relax_optional_setters(&mut file)?;
    surface::apply(&mut file, &operations)?;
    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or("generated code has no `types` module")?;
    types.extend(open_enums::items(&open_enums)?);
    let filtered = operations.iter().filter(|(_, f)| f.custom_field_filter).map(|(id, _)| id.as_str());
    file.items.push(syn::parse_quote! {
        /// The operations that take MOCO's `custom_properties[Name]=value` filter
        /// (`Client::filter_custom_fields` adds it to these only).
        pub(crate) const CUSTOM_FIELD_FILTER_OPERATIONS: &[&str] = &[#(#filtered),*];
    });
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod resources_tests;

/// The cargo features of the spec's resources, one per tag (see [`resources::feature_name`]).
pub fn resource_features(spec_yaml: &str) -> Result<Vec<String>, String> {
    let raw: serde_json::Value = serde_norway::from_str(spec_yaml).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
    Ok(resources::spec_features(&raw))
}

/// Checks that `Cargo.toml` (its text) has a feature for every tag of the spec and a `full`
/// feature enabling them all; the message says what to add.
pub fn check_manifest_features(spec_yaml: &str, manifest: &str) -> Result<(), String> {
    let raw: serde_json::Value = serde_norway::from_str(spec_yaml).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
    resources::check_manifest(&raw, manifest)
}

/// The crate docs' index of resources: one line per tag of the spec, linking the `Client` method
/// of each of its operations. `build.rs` writes it next to the generated code.
pub fn resource_index(spec_yaml: &str) -> Result<String, String> {
    resource_index_of(spec_yaml, &Resources::All)
}

/// Like [`resource_index`], for the enabled resources only.
pub fn resource_index_of(spec_yaml: &str, resources: &Resources) -> Result<String, String> {
    let mut raw: serde_json::Value = serde_norway::from_str(spec_yaml).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
    resources::select(&mut raw, resources);
    let mut by_tag: Vec<(String, Vec<String>)> = raw
        .get("tags")
        .and_then(serde_json::Value::as_array)
        .map(|tags| tags.iter().filter_map(|t| t.get("name")?.as_str()).map(|n| (n.to_string(), Vec::new())).collect())
        .unwrap_or_default();
    for item in raw.get("paths").and_then(serde_json::Value::as_object).into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            let (Some(id), Some(tag)) = (
                op.get("operationId").and_then(serde_json::Value::as_str),
                op.pointer("/tags/0").and_then(serde_json::Value::as_str),
            ) else {
                continue;
            };
            match by_tag.iter_mut().find(|(name, _)| name == tag) {
                Some((_, ids)) => ids.push(id.to_string()),
                None => by_tag.push((tag.to_string(), vec![id.to_string()])),
            }
        }
    }
    let mut out = String::from("## Resources\n\n");
    for (tag, ids) in by_tag.iter().filter(|(_, ids)| !ids.is_empty()) {
        let links: Vec<String> = ids.iter().map(|id| format!("[`{id}`](Client::{id})")).collect();
        out.push_str(&format!("- **{tag}**: {}\n", links.join(", ")));
    }
    Ok(out)
}
