//! Rule `operation-id`: operationIds become the Rust method names, so they are unique, snake_case
//! and verb first (`list_project_tasks`, `download_invoice_pdf`), with a verb that fits the method.

use std::collections::BTreeMap;

use super::{Findings, Spec};

/// The verbs an operationId may start with: the ones the spec uses. A new kind of action adds
/// its verb here.
pub(crate) const VERBS: [&str; 27] = [
    // Reads (GET, and only these).
    "list",
    "get",
    "download", //
    // Writes with a fixed method.
    "create",
    "update",
    "delete", //
    // Actions (any method but GET).
    "activate",
    "add",
    "approve",
    "archive",
    "assign",
    "deactivate",
    "deny",
    "disable",
    "disregard",
    "enable",
    "recur",
    "replace",
    "send",
    "set",
    "share",
    "start",
    "stop",
    "store",
    "touch",
    "unarchive",
    "unassign",
];

/// The methods a verb is bound to; verbs not listed here take any method but GET.
fn methods_of(verb: &str) -> Option<&'static [&'static str]> {
    match verb {
        "list" | "get" | "download" => Some(&["get"]),
        "create" => Some(&["post"]),
        "update" => Some(&["put", "patch"]),
        "delete" => Some(&["delete"]),
        _ => None,
    }
}

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    let mut first_use: BTreeMap<&str, String> = BTreeMap::new();
    for op in &spec.operations {
        let Some(id) = op.id() else { continue };
        let line = spec.op_line(op, &["operationId"]);
        let mut problem = |message: String| out.add("operation-id", op.name(), line, message);
        if let Some(first) = first_use.get(id) {
            problem(format!("operationId {id} is also used by {first}"));
        } else {
            first_use.insert(id, op.name());
        }
        let snake = id.split('_').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
            && id.starts_with(|c: char| c.is_ascii_lowercase());
        if !snake {
            problem(format!("operationId {id:?} is not snake_case (lowercase words joined by `_`)"));
            continue;
        }
        let (verb, object) = id.split_once('_').unwrap_or((id, ""));
        if object.is_empty() {
            problem(format!("operationId {id} names no object after its verb (`{id}_projects`)"));
        }
        if !VERBS.contains(&verb) {
            problem(format!(
                "operationId {id} starts with {verb:?}, not a known verb ({}); start with one of them, or add a new \
                 kind of action to VERBS in xtask/src/lint/operation_ids.rs",
                VERBS.join(", ")
            ));
            continue;
        }
        match methods_of(verb) {
            Some(methods) if !methods.contains(&op.method) => problem(format!(
                "operationId {id} starts with {verb:?}, which is for {} operations",
                methods.iter().map(|m| m.to_uppercase()).collect::<Vec<_>>().join(" and ")
            )),
            None if op.method == "get" => {
                problem(format!("operationId {id} of a GET starts with {verb:?}; a read starts with list, get or download"))
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn the_verbs_are_distinct() {
        let mut verbs = super::VERBS.to_vec();
        verbs.sort();
        verbs.dedup();
        assert_eq!(verbs.len(), super::VERBS.len());
    }

    #[test]
    fn duplicate_operation_ids_are_found() {
        let found = findings(&good_with("operationId: delete_thing", "operationId: get_thing"), "operation-id");
        assert_eq!(found.len(), 2, "{found:?}"); // duplicate, and `get` on a DELETE
        assert!(
            found[0].starts_with("DELETE /things/{id} (get_thing): operationId get_thing is also used by GET /things/{id} (get_thing)"),
            "{found:?}"
        );
    }

    #[test]
    fn style_and_verbs_are_checked() {
        let found = findings(&good_with("operationId: get_thing", "operationId: getThing"), "operation-id");
        assert!(found[0].starts_with("GET /things/{id} (getThing): operationId \"getThing\" is not snake_case"), "{found:?}");
        let found = findings(&good_with("operationId: get_thing", "operationId: fetch_thing"), "operation-id");
        assert!(found[0].contains("starts with \"fetch\", not a known verb"), "{found:?}");
        let found = findings(&good_with("operationId: get_thing", "operationId: get"), "operation-id");
        assert!(found[0].contains("names no object"), "{found:?}");
        let found = findings(&good_with("operationId: create_thing", "operationId: update_thing"), "operation-id");
        assert_eq!(found, ["POST /things (update_thing): operationId update_thing starts with \"update\", which is for PUT and PATCH operations [operation-id, line 38]"]);
        let found = findings(&good_with("operationId: get_thing", "operationId: archive_thing"), "operation-id");
        assert!(found[0].contains("of a GET starts with \"archive\""), "{found:?}");
    }
}
