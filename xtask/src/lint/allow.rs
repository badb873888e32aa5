//! Rule `lint-allow`: `x-lint-allow` declares a deliberate exception, so it names rules that
//! accept one (`ALLOWABLE`) and stands beside a `description` that says why.

use serde_json::Value;

use super::locate::pointer_segs;
use super::{Findings, Spec};

/// The rules a schema or component can be exempted from.
pub(crate) const ALLOWABLE: [&str; 2] = ["field-consistency", "unused-components"];

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    walk(spec, spec.doc, String::new(), out);
}

fn walk(spec: &Spec, value: &Value, at: String, out: &mut Findings) {
    match value {
        Value::Object(map) => {
            if let Some(allow) = map.get("x-lint-allow") {
                let line = spec.line(&pointer_segs(&format!("{at}/x-lint-allow")));
                let subject = format!("x-lint-allow at {}", if at.is_empty() { "/" } else { &at });
                let rules: Vec<&str> = allow.as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                if rules.is_empty() || allow.as_array().is_some_and(|a| a.len() != rules.len()) {
                    out.add("lint-allow", &subject, line, format!("is a list of rule names ({})", ALLOWABLE.join(", ")));
                }
                for rule in rules.iter().filter(|r| !ALLOWABLE.contains(r)) {
                    out.add(
                        "lint-allow",
                        &subject,
                        line,
                        format!("names {rule:?}, which takes no exceptions ({} do)", ALLOWABLE.join(", ")),
                    );
                }
                if map.get("description").and_then(Value::as_str).is_none_or(|d| d.trim().is_empty()) {
                    out.add("lint-allow", &subject, line, "has no description beside it saying why the exception is right");
                }
            }
            for (key, child) in map {
                walk(spec, child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(spec, child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn an_exception_names_known_rules_and_gives_a_reason() {
        let spec = good_with(
            "        note: {type: string, nullable: true}\n",
            "        note: {type: string, nullable: true, x-lint-allow: [field-consistency, pagination]}\n",
        );
        let found = findings(&spec, "lint-allow");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0]
                .starts_with("x-lint-allow at /components/schemas/Thing/properties/note: names \"pagination\", which takes no exceptions"),
            "{found:?}"
        );
        assert!(found[1].contains("has no description"), "{found:?}");
        assert!(found[1].ends_with("[lint-allow, line 117]"), "{found:?}");
        let spec = good_with(
            "        note: {type: string, nullable: true}\n",
            "        note: {type: string, nullable: true, description: d, x-lint-allow: field-consistency}\n",
        );
        assert!(findings(&spec, "lint-allow")[0].contains("is a list of rule names"));
    }
}
