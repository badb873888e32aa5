//! Rule `pagination`: MOCO pages its collections (`page`, `per_page`; the 200 response reports
//! `X-Page`, `X-Per-Page`, `X-Total` and `Link`). A GET that takes `page` or `per_page`, or
//! declares one of the headers, is a paginated list and takes both parameters and declares all
//! four headers. A GET returning an array of a component schema without `page` is reported
//! unless it carries `x-paginated: false` (MOCO sends the whole list at once).

use serde_json::Value;

use super::{Findings, Operation, Spec};

pub(crate) const HEADERS: [&str; 4] = ["X-Page", "X-Per-Page", "X-Total", "Link"];

/// Whether a GET is a paginated list (takes `page` or `per_page`, or declares a pagination header).
pub(crate) fn is_paginated(spec: &Spec, op: &Operation) -> bool {
    op.method == "get" && (op.takes(spec, "query", "page") || op.takes(spec, "query", "per_page") || !declared_headers(spec, op).is_empty())
}

fn declared_headers<'a>(spec: &Spec<'a>, op: &Operation<'a>) -> Vec<&'static str> {
    let headers = op.response(spec, "200").map(|r| &r["headers"]);
    let names: Vec<String> =
        headers.and_then(Value::as_object).map(|h| h.keys().map(|k| k.to_ascii_lowercase()).collect()).unwrap_or_default();
    HEADERS.into_iter().filter(|h| names.contains(&h.to_ascii_lowercase())).collect()
}

/// The component schema a GET's 200 JSON response is an array of.
pub(crate) fn array_item<'a>(spec: &Spec<'a>, op: &Operation<'a>) -> Option<&'a str> {
    let schema = &op.response(spec, "200")?["content"]["application/json"]["schema"];
    let schema = spec.resolve(schema);
    if schema["type"] != "array" {
        return None;
    }
    schema["items"]["$ref"].as_str()?.strip_prefix("#/components/schemas/")
}

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    for op in spec.operations.iter().filter(|op| op.method == "get") {
        let line = spec.op_line(op, &[]);
        let marker = op.op.get("x-paginated");
        if marker.is_some_and(|m| m != &Value::Bool(false)) {
            out.add(
                "pagination",
                op.name(),
                spec.op_line(op, &["x-paginated"]),
                "x-paginated only takes `false` (a list MOCO sends whole)",
            );
        }
        if is_paginated(spec, op) {
            if marker == Some(&Value::Bool(false)) {
                out.add("pagination", op.name(), spec.op_line(op, &["x-paginated"]), "says x-paginated: false but is a paginated list");
            }
            let missing: Vec<&str> = [("page", "Page"), ("per_page", "PerPage")]
                .into_iter()
                .filter(|(name, _)| !op.takes(spec, "query", name))
                .map(|(_, component)| component)
                .collect();
            if !missing.is_empty() {
                out.add(
                    "pagination",
                    op.name(),
                    line,
                    format!("a paginated list without the parameter {} (`$ref: '#/components/parameters/...'`)", missing.join(" and ")),
                );
            }
            let declared = declared_headers(spec, op);
            let missing: Vec<&str> = HEADERS.into_iter().filter(|h| !declared.contains(h)).collect();
            if !missing.is_empty() {
                out.add(
                    "pagination",
                    op.name(),
                    spec.op_line(op, &["responses", "200"]),
                    format!("a paginated list whose 200 response lacks the header {}", missing.join(", ")),
                );
            }
        } else if let Some(item) = array_item(spec, op) {
            if marker != Some(&Value::Bool(false)) {
                out.add(
                    "pagination",
                    op.name(),
                    line,
                    format!(
                        "returns an array of {item} without the Page parameter; declare Page, PerPage and the pagination \
                         headers, or `x-paginated: false` if MOCO sends the whole list at once"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn a_paginated_list_needs_per_page_and_the_headers() {
        let found = findings(&good_with("        - $ref: '#/components/parameters/PerPage'\n", ""), "pagination");
        assert_eq!(found, ["GET /things (list_things): a paginated list without the parameter PerPage (`$ref: '#/components/parameters/...'`) [pagination, line 13]"]);
        let found = findings(&good_with("            X-Total: {$ref: '#/components/headers/XTotal'}\n", ""), "pagination");
        assert_eq!(
            found,
            ["GET /things (list_things): a paginated list whose 200 response lacks the header X-Total [pagination, line 24]"]
        );
        // per_page alone makes a paginated list too.
        let found = findings(&good_with("        - $ref: '#/components/parameters/Page'\n", ""), "pagination");
        assert!(found[0].contains("without the parameter Page"), "{found:?}");
    }

    #[test]
    fn an_unpaged_array_needs_the_marker() {
        let spec = good_with("        - $ref: '#/components/parameters/Page'\n        - $ref: '#/components/parameters/PerPage'\n", "")
            .replace("          headers:\n            X-Page: {$ref: '#/components/headers/XPage'}\n            X-Per-Page: {$ref: '#/components/headers/XPerPage'}\n            X-Total: {$ref: '#/components/headers/XTotal'}\n            Link: {$ref: '#/components/headers/Link'}\n", "");
        let found = findings(&spec, "pagination");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("GET /things (list_things): returns an array of Thing without the Page parameter"), "{found:?}");
        let marked = spec.replace("      summary: List things\n", "      summary: List things\n      x-paginated: false\n");
        assert_eq!(findings(&marked, "pagination"), Vec::<String>::new());
        // The marker on a paginated list, or with another value, is a finding.
        let found =
            findings(&good_with("      summary: List things\n", "      summary: List things\n      x-paginated: false\n"), "pagination");
        assert!(found[0].contains("says x-paginated: false but is a paginated list"), "{found:?}");
        let found = findings(&marked.replace("x-paginated: false", "x-paginated: nope"), "pagination");
        assert!(found.iter().any(|p| p.contains("x-paginated only takes `false`")), "{found:?}");
    }
}
