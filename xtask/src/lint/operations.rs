//! Rule `operation`: every operation has an operationId, a summary and a 2xx response.

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
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn missing_operation_fields_are_found() {
        let spec = good_with("      operationId: get_thing\n", "").replace("      summary: Get a thing\n", "");
        let found = findings(&spec, "operation");
        assert_eq!(
            found,
            ["GET /things/{id}: no operationId [operation, line 62]", "GET /things/{id}: no summary [operation, line 62]"]
        );
        let found = findings(&good_with("        '200': {description: deleted}\n        '204': {description: deleted}\n", ""), "operation");
        assert_eq!(found, ["DELETE /things/{id} (delete_thing): no 2xx response [operation, line 78]"]);
    }
}
