//! Per-resource cargo features: one feature per tag of the spec (a slug of the tag name, see
//! [`feature_name`]), `full` for all of them. For a set of resources ([`Resources`]), [`select`]
//! drops the operations of the other tags from the generator's copy of the spec and then every
//! component nothing kept refers to (progenitor generates a type for every component schema,
//! referenced or not). [`crate::gate`] generates each resource so and gates the full code by
//! what each one's code has, so that a build with few features compiles little.
//!
//! Always kept, whatever the features: the operations of [`ALWAYS_ON_TAGS`] (`Client::login` and
//! `Client::verify_key` use the session) and the schemas in [`ALWAYS_KEPT_SCHEMAS`], which the
//! hand-written layer names. Hand-written code that needs one resource's types is gated with
//! `#[cfg(feature = "...")]` (`src/uploads.rs`, the typed payloads in `src/webhooks.rs`).

use std::collections::{BTreeSet, VecDeque};

use serde_json::Value;

/// Tags whose operations are generated whatever the features, and that have no feature.
pub const ALWAYS_ON_TAGS: &[&str] = &["Session"];

/// Schemas the hand-written layer in `src/` names outside any feature gate.
pub const ALWAYS_KEPT_SCHEMAS: &[&str] = &["Error", "Session", "SessionCreate"];

/// The component kinds that are pruned when nothing kept refers to them.
const PRUNED_KINDS: &[&str] = &["schemas", "parameters", "responses", "headers", "requestBodies", "examples"];

/// Which resources to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resources {
    /// Every operation of the spec (the `full` feature); nothing is dropped.
    All,
    /// The operations of these features (see [`feature_name`]) and of [`ALWAYS_ON_TAGS`].
    Only(BTreeSet<String>),
}

impl Resources {
    /// Whether the operations of `tag` are generated.
    pub fn includes_tag(&self, tag: &str) -> bool {
        match self {
            Resources::All => true,
            Resources::Only(features) => ALWAYS_ON_TAGS.contains(&tag) || features.contains(&feature_name(tag)),
        }
    }
}

/// The cargo feature of a tag: lower case, parenthesised remarks dropped, every run of other
/// characters a `-`. `Project Tasks` → `project-tasks`, `Units / Teams` → `units-teams`,
/// `Taggings (tag associations)` → `taggings`.
pub fn feature_name(tag: &str) -> String {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in tag.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut slug = String::new();
    for c in plain.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The tags of the spec: the top-level `tags` list, then any tag an operation uses that the list
/// lacks, in order of first appearance.
pub fn spec_tags(spec: &Value) -> Vec<String> {
    let mut tags: Vec<String> = spec
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name")?.as_str().map(str::to_string))
        .collect();
    for op in operations(spec) {
        for tag in op.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
    }
    tags
}

/// The features the spec's tags call for (without [`ALWAYS_ON_TAGS`]), in the spec's order.
pub fn spec_features(spec: &Value) -> Vec<String> {
    spec_tags(spec).iter().filter(|t| !ALWAYS_ON_TAGS.contains(&t.as_str())).map(|t| feature_name(t)).collect()
}

/// Checks that the crate's manifest (the text of `Cargo.toml`) declares one feature per tag of the
/// spec, that `full` enables all of them and that no resource feature is left without a tag.
pub fn check_manifest(spec: &Value, manifest: &str) -> Result<(), String> {
    let declared = manifest_features(manifest);
    let wanted = spec_features(spec);
    let mut problems = Vec::new();
    let missing: Vec<&String> = wanted.iter().filter(|f| !declared.iter().any(|(name, _)| name == *f)).collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing.iter().map(|f| format!("{f} = []")).collect();
        problems.push(format!(
            "Cargo.toml has no feature for these tags of the spec; add to [features]:\n{}\nand add them to `full`",
            lines.join("\n")
        ));
    }
    match declared.iter().find(|(name, _)| name == "full") {
        None => problems.push("Cargo.toml has no `full` feature (all resources)".into()),
        Some((_, enabled)) => {
            let absent: Vec<&str> = wanted.iter().filter(|f| !enabled.contains(f)).map(String::as_str).collect();
            if !absent.is_empty() {
                problems.push(format!("the `full` feature in Cargo.toml lacks: {}", absent.join(", ")));
            }
            let stale: Vec<&str> = enabled.iter().filter(|f| !wanted.contains(f)).map(String::as_str).collect();
            if !stale.is_empty() {
                problems.push(format!("the `full` feature in Cargo.toml names features of no tag of the spec: {}", stale.join(", ")));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Checks that each resource feature of `manifest` enables the same feature of the crate
/// `dependency` (mocoapp's `projects = ["mocoapp-types/projects"]`): the generated types are gated
/// by the same features as the operations that use them.
pub fn check_forwarding(features: &[String], manifest: &str, dependency: &str) -> Result<(), String> {
    let declared = manifest_features(manifest);
    let wrong: Vec<String> = features
        .iter()
        .filter(|f| {
            let wanted = format!("{dependency}/{f}");
            !declared.iter().any(|(name, enabled)| name == *f && enabled.contains(&wanted))
        })
        .map(|f| format!("{f} = [\"{dependency}/{f}\"]"))
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("Cargo.toml's resource features must enable {dependency}'s; write them as:\n{}", wrong.join("\n")))
    }
}

/// The `name = ["a", "b", ...]` entries of the `[features]` table (arrays may span lines).
fn manifest_features(manifest: &str) -> Vec<(String, Vec<String>)> {
    let mut in_features = false;
    let mut table = String::new();
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') && !line.starts_with("[\"") && table.matches('[').count() == table.matches(']').count() {
            in_features = line == "[features]";
            continue;
        }
        if in_features {
            table.push_str(line);
            table.push('\n');
        }
    }
    let mut out = Vec::new();
    let mut rest = table.as_str();
    while let Some((name, after)) = rest.split_once('=') {
        let after = after.trim_start();
        let Some(array) = after.strip_prefix('[') else { break };
        let Some((items, tail)) = array.split_once(']') else { break };
        let enabled = items.split(',').map(|f| f.trim().trim_matches('"').to_string()).filter(|f| !f.is_empty()).collect();
        out.push((name.trim().trim_matches('"').to_string(), enabled));
        rest = tail;
    }
    out
}

/// Drops the operations of the tags `resources` leaves out, then the components nothing kept
/// refers to (directly or through other components). With [`Resources::All`] the spec is left
/// as it is.
pub fn select(spec: &mut Value, resources: &Resources) {
    if *resources == Resources::All {
        return;
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            item.retain(|key, op| {
                // Path-level keys and untagged operations stay; an operation stays when any of
                // its tags is enabled.
                let Some(tags) = op.get("tags").and_then(Value::as_array).filter(|_| is_method(key)) else { return true };
                tags.iter().filter_map(Value::as_str).any(|t| resources.includes_tag(t))
            });
        }
        paths.retain(|_, item| item.as_object().is_some_and(|o| o.keys().any(|k| is_method(k))));
    }
    prune_components(spec, ALWAYS_KEPT_SCHEMAS);
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "put" | "post" | "patch" | "delete" | "head" | "options" | "trace")
}

fn operations(spec: &Value) -> impl Iterator<Item = &Value> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.iter().filter(|(k, _)| is_method(k)).map(|(_, op)| op))
}

/// Removes every component of `PRUNED_KINDS` that is not reachable through `$ref`s from the
/// rest of the document (paths, security, ...) or from the schemas named in `keep`.
pub fn prune_components(spec: &mut Value, keep: &[&str]) {
    let mut queue: VecDeque<String> = keep.iter().map(|name| format!("#/components/schemas/{name}")).collect();
    if let Some(document) = spec.as_object() {
        document.iter().filter(|(k, _)| k.as_str() != "components").for_each(|(_, value)| collect_refs(value, &mut queue));
    }
    let mut reached: BTreeSet<String> = BTreeSet::new();
    while let Some(reference) = queue.pop_front() {
        if !reached.insert(reference.clone()) {
            continue;
        }
        if let Some(target) = reference.strip_prefix('#').and_then(|pointer| spec.pointer(pointer)) {
            collect_refs(target, &mut queue);
        }
    }
    let Some(components) = spec.get_mut("components").and_then(Value::as_object_mut) else { return };
    for kind in PRUNED_KINDS {
        if let Some(entries) = components.get_mut(*kind).and_then(Value::as_object_mut) {
            entries.retain(|name, _| reached.contains(&format!("#/components/{kind}/{name}")));
        }
    }
}

fn collect_refs(value: &Value, out: &mut VecDeque<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(reference)) => out.push_back(reference.clone()),
                    _ => collect_refs(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out)),
        _ => {}
    }
}
