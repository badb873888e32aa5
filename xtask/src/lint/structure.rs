//! Rule `openapi`: the document validates against the OpenAPI Initiative's 3.0 schema and parses
//! as `openapiv3::OpenAPI` (what the Rust codegen reads).

use super::locate::pointer_segs;
use super::{shorten, Findings, Spec};

const OPENAPI_30_SCHEMA: &str = include_str!("../../schemas/openapi-3.0.schema.json");

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    let schema: serde_json::Value = serde_json::from_str(OPENAPI_30_SCHEMA).expect("bundled schema is JSON");
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft4).build(&schema).expect("bundled schema compiles");
    for error in validator.iter_errors(spec.doc).take(20) {
        let at = error.instance_path().to_string();
        let line = spec.line(&pointer_segs(&at));
        out.add("openapi", "document", line, format!("invalid OpenAPI 3.0 at {at}: {}", shorten(&error.to_string())));
    }
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(spec.doc.clone()) {
        out.add("openapi", "document", None, format!("not an OpenAPI 3.0 document: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn structural_errors_are_found_with_their_place() {
        let found = findings(&good_with("info: {title: t, version: v1}", "info: {title: t}"), "openapi");
        assert!(found.iter().any(|p| p.starts_with("document: invalid OpenAPI 3.0 at /info")), "{found:?}");
        let found = findings(&good_with("        '204': {description: deleted}\n", "        '204': {}\n"), "openapi");
        assert!(found.iter().any(|p| p.contains("/responses/204") && p.ends_with("line 80]")), "{found:?}");
    }
}
