//! Rule `operation`: every operation has an operationId, a summary and a 2xx response. An
//! operation marked `x-alias-of: <operationId>` (a PUT or PATCH that MOCO accepts beside the
//! documented update, openapi/CONVENTIONS.md) names an operation on the same path with the other
//! method, which is no alias itself, and takes the same request body.

use super::{Findings, Spec};

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    for op in &spec.operations {
        let line = spec.op_line(op, &[]);
        if op.id().is_none() {
            out.add("operation", op.name(), line, "no operationId");
        }
        if op.op["summary"].as_str().is_none_or(|s| s.trim().is_empty()) {
            out.add("operation", op.name(), line, "no summary");
        }
        let has_success = op.op["responses"].as_object().is_some_and(|r| r.keys().any(|code| code.starts_with('2')));
        if !has_success {
            out.add("operation", op.name(), spec.op_line(op, &["responses"]), "no 2xx response");
        }
        if let Some(alias_of) = op.op.get("x-alias-of") {
            let target = spec.operations.iter().find(|o| alias_of.as_str().is_some_and(|id| o.id() == Some(id)));
            let problem = match target {
                None => Some(format!("x-alias-of {alias_of} names no operation")),
                Some(t) if t.path != op.path || t.method == op.method => {
                    Some(format!("x-alias-of names {}, not an operation on this path with another method", t.name()))
                }
                Some(t) if t.op.get("x-alias-of").is_some() => Some(format!("x-alias-of names {}, itself an alias", t.name())),
                Some(t) if t.op["requestBody"] != op.op["requestBody"] => {
                    Some(format!("takes another request body than {}, which it is an alias of", t.name()))
                }
                Some(_) => None,
            };
            if let Some(problem) = problem {
                out.add("operation", op.name(), spec.op_line(op, &["x-alias-of"]), problem);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn missing_operation_fields_are_found() {
        let spec = good_with("      operationId: get_thing\n", "").replace("      summary: Get a thing\n", "");
        let found = findings(&spec, "operation");
        assert_eq!(found, ["GET /things/{id}: no operationId [operation, line 62]", "GET /things/{id}: no summary [operation, line 62]"]);
        let found = findings(&good_with("        '200': {description: deleted}\n        '204': {description: deleted}\n", ""), "operation");
        assert_eq!(found, ["DELETE /things/{id} (delete_thing): no 2xx response [operation, line 78]"]);
    }

    #[test]
    fn an_alias_names_the_other_method_of_its_path() {
        let alias = |of: &str| {
            good_with("      operationId: delete_thing\n", &format!("      operationId: delete_thing\n      x-alias-of: {of}\n"))
        };
        assert!(findings(&alias("nothing"), "operation")[0].contains("x-alias-of \"nothing\" names no operation"));
        assert!(findings(&alias("list_things"), "operation")[0].contains("not an operation on this path with another method"));
        // get_thing is on the same path with another method, and neither takes a body.
        assert_eq!(findings(&alias("get_thing"), "operation"), Vec::<String>::new());
    }
}
