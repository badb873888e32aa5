//! The per-resource features: tag filter, pruning of components, and the manifest kept in sync
//! with the spec's tags.

use std::collections::BTreeSet;

use serde_json::json;

use crate::resources::{self, feature_name, Resources};

fn only(features: &[&str]) -> Resources {
    Resources::Only(features.iter().map(|f| f.to_string()).collect())
}

fn real_spec() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/moco.yaml")).unwrap()
}

fn operation_ids(spec: &serde_json::Value) -> BTreeSet<String> {
    spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("operationId")?.as_str().map(str::to_string))
        .collect()
}

#[test]
fn feature_names_are_slugs_of_tags() {
    assert_eq!(feature_name("Projects"), "projects");
    assert_eq!(feature_name("Project Tasks"), "project-tasks");
    assert_eq!(feature_name("Units / Teams"), "units-teams");
    assert_eq!(feature_name("Taggings (tag associations)"), "taggings");
    assert_eq!(feature_name("VAT Codes"), "vat-codes");
    assert_eq!(feature_name("Web Hooks"), "web-hooks");
}

#[test]
fn the_tag_filter_keeps_enabled_tags_and_session_and_prunes_what_only_the_others_use() {
    let mut spec = json!({
        "openapi": "3.0.3",
        "tags": [{"name": "Session"}, {"name": "Things"}, {"name": "Other Stuff"}],
        "paths": {
            "/session": {"get": {"operationId": "get_session", "tags": ["Session"],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}}}},
            "/things": {
                "parameters": [{"$ref": "#/components/parameters/Page"}],
                "get": {"operationId": "list_things", "tags": ["Things"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
                "post": {"operationId": "create_stuff_on_things", "tags": ["Other Stuff"], "responses": {"204": {"description": "ok"}}}
            },
            "/stuff": {"get": {"operationId": "list_stuff", "tags": ["Other Stuff"],
                "parameters": [{"$ref": "#/components/parameters/StuffFilter"}],
                "responses": {"200": {"$ref": "#/components/responses/StuffList"}}}}
        },
        "components": {
            "parameters": {
                "Page": {"name": "page", "in": "query", "schema": {"type": "integer"}},
                "StuffFilter": {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/StuffKind"}}
            },
            "responses": {"StuffList": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stuff"}}}}},
            "schemas": {
                "Error": {"type": "object"},
                "Session": {"type": "object"},
                "SessionCreate": {"type": "object"},
                "Thing": {"type": "object", "properties": {"part": {"$ref": "#/components/schemas/Part"}}},
                "Part": {"type": "object", "properties": {"shared": {"$ref": "#/components/schemas/Shared"}}},
                "Shared": {"type": "object"},
                "Stuff": {"type": "object", "properties": {"shared": {"$ref": "#/components/schemas/Shared"}}},
                "StuffKind": {"type": "string"},
                "Unused": {"type": "object"}
            },
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}
        }
    });
    let all = spec.clone();
    let mut unchanged = all.clone();
    resources::select(&mut unchanged, &Resources::All);
    assert_eq!(unchanged, all, "the full build leaves the spec as it is");

    resources::select(&mut spec, &only(&["things"]));
    assert_eq!(operation_ids(&spec), ["get_session", "list_things"].map(String::from).into());
    assert!(spec["paths"].get("/stuff").is_none(), "a path without operations goes");
    assert!(spec["paths"]["/things"].get("parameters").is_some(), "path-level parameters stay");
    let names = |kind: &str| -> Vec<String> { spec["components"][kind].as_object().unwrap().keys().cloned().collect() };
    let mut schemas = names("schemas");
    schemas.sort();
    assert_eq!(schemas, ["Error", "Part", "Session", "SessionCreate", "Shared", "Thing"], "reached through refs, plus the always kept");
    assert_eq!(names("parameters"), ["Page"]);
    assert!(names("responses").is_empty());
    assert_eq!(names("securitySchemes"), ["key"], "security schemes are not pruned");

    let mut none = all.clone();
    resources::select(&mut none, &only(&[]));
    assert_eq!(operation_ids(&none), ["get_session"].map(String::from).into(), "Session is always on");

    let mut other = all.clone();
    resources::select(&mut other, &only(&["other-stuff"]));
    assert_eq!(operation_ids(&other), ["create_stuff_on_things", "get_session", "list_stuff"].map(String::from).into());
}

#[test]
fn every_tag_of_the_spec_has_a_feature_in_the_manifest() {
    let text = real_spec();
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
    crate::check_manifest_features(&text, &manifest).unwrap();
    let features = crate::resource_features(&text).unwrap();
    assert_eq!(features.len(), features.iter().collect::<BTreeSet<_>>().len(), "two tags give one feature name: {features:?}");
    assert!(features.contains(&"project-tasks".to_string()) && features.contains(&"web-hooks".to_string()));
}

#[test]
fn a_missing_feature_is_reported_with_what_to_add() {
    let spec = json!({"tags": [{"name": "Session"}, {"name": "Projects"}, {"name": "Web Hooks"}], "paths": {}});
    let good = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"full\"]\nfull = [\n    \"projects\",\n    \"web-hooks\", # hooks\n]\nprojects = []\nweb-hooks = []\n\n[dependencies]\n";
    resources::check_manifest(&spec, good).unwrap();
    let missing = good.replace("web-hooks = []\n", "").replace("    \"web-hooks\", # hooks\n", "");
    let message = resources::check_manifest(&spec, &missing).unwrap_err();
    assert!(message.contains("web-hooks = []") && message.contains("`full` feature in Cargo.toml lacks: web-hooks"), "{message}");
    let no_full = "[features]\nprojects = []\nweb-hooks = []\n";
    assert!(resources::check_manifest(&spec, no_full).unwrap_err().contains("no `full` feature"));
}

/// `src/webhooks.rs` gates each typed payload with `#[cfg(feature = "f")] Variant(types::T)`:
/// with `f` alone, `T` must be generated.
#[test]
fn each_gated_webhook_payload_type_exists_with_its_feature_alone() {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../src/webhooks.rs")).unwrap();
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let mut gated = Vec::new();
    for pair in lines.windows(2) {
        let (Some(feature), Some(ty)) = (
            pair[0].strip_prefix("#[cfg(feature = \"").and_then(|r| r.strip_suffix("\")]")),
            pair[1].split_once("(types::").and_then(|(_, r)| r.strip_suffix("),")),
        ) else {
            continue;
        };
        gated.push((feature.to_string(), ty.to_string()));
    }
    assert!(gated.len() >= 10, "{gated:?}");
    let raw: serde_json::Value = serde_norway::from_str(&real_spec()).unwrap();
    let features = resources::spec_features(&raw);
    for (feature, ty) in gated {
        assert!(features.contains(&feature), "src/webhooks.rs gates {ty} with `{feature}`, which is no feature of the spec");
        let mut spec = raw.clone();
        resources::select(&mut spec, &only(&[&feature]));
        assert!(spec["components"]["schemas"].get(&ty).is_some(), "types::{ty} is not generated with `{feature}` alone");
    }
}

#[test]
fn one_resource_of_the_real_spec_generates() {
    let text = real_spec();
    let projects = crate::generate_resources(&text, &only(&["projects"])).unwrap();
    assert!(projects.contains("pub fn list_projects(") && projects.contains("pub fn get_session("), "projects and the session");
    assert!(!projects.contains("pub fn list_invoices("), "no invoices");
    let index = crate::resource_index_of(&text, &only(&["projects"])).unwrap();
    assert!(index.contains("**Projects**") && !index.contains("**Invoices**"), "{index}");
}
