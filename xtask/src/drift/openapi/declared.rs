//! Declared differences: `x-openapi-drift` in the spec (openapi/CONVENTIONS.md, "Declared
//! exceptions"). A difference the spec has decided on is written next to what it concerns, with
//! its reason, and the drift reports it as accepted instead of as a finding:
//!
//! - at the top of the document, `x-openapi-drift: {"PATCH /things/{id}": reason}`: an operation
//!   of the other description the spec leaves out;
//! - on an operation, `x-openapi-drift: {key: reason}`, where the key names what differs:
//!   `operation` (the spec has it, the other description does not), `status.201`,
//!   `query.<name>`, `path.<name>`, `body`, `body.<field>`, `response`, `response.<field>`
//!   (fields as the report writes them: `response[].customer.id`);
//! - on an object schema, `x-openapi-drift: {<property>: reason}`: anything about that property,
//!   wherever the schema is used (also a property only the other description has);
//! - on a property, `x-openapi-drift: reason`: anything about the property.
//!
//! A key covers what it names and everything below it (`response.customer` covers
//! `response.customer.id`; `query` every query parameter). A declaration nothing needs is
//! reported as information, so that stale ones get removed.

use serde_json::Value;

use super::document::escape;

pub const EXTENSION: &str = "x-openapi-drift";

/// One declared difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Declared {
    /// The JSON pointer of the object that carries the extension (`""` for the document).
    pub site: String,
    /// The key as written; empty for a property's plain reason.
    pub key: String,
    pub reason: String,
}

impl Declared {
    /// Where it is written, for people: `operation update_project`, `schema Project`,
    /// `property Project.customer`, `the document`.
    pub fn place(&self, doc: &Value) -> String {
        place(doc, &self.site)
    }
}

pub fn place(doc: &Value, site: &str) -> String {
    if site.is_empty() {
        return "the top of the spec".to_string();
    }
    let tokens: Vec<String> = site.trim_start_matches('/').split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match tokens.as_slice() {
        ["components", "schemas", name] => format!("schema {name}"),
        ["components", "schemas", name, "properties", property] => {
            format!("property {name}.{property}")
        }
        ["paths", path, method] => {
            let id = doc.pointer(site).and_then(|op| op["operationId"].as_str()).map(|id| format!(" ({id})")).unwrap_or_default();
            format!("operation {} {path}{id}", method.to_ascii_uppercase())
        }
        _ => format!("`{site}`"),
    }
}

/// Every `x-openapi-drift` of a document, and what is wrong with malformed ones.
pub fn scan(doc: &Value) -> (Vec<Declared>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    walk(doc, doc, "", &mut found, &mut problems);
    found.sort();
    (found, problems)
}

fn walk(doc: &Value, value: &Value, pointer: &str, found: &mut Vec<Declared>, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(declared) = map.get(EXTENSION) {
                read(doc, declared, pointer, found, problems);
            }
            for (key, child) in map {
                if key != EXTENSION && !key.starts_with("example") {
                    walk(doc, child, &format!("{pointer}/{}", escape(key)), found, problems);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(doc, item, &format!("{pointer}/{index}"), found, problems);
            }
        }
        _ => {}
    }
}

fn read(doc: &Value, declared: &Value, site: &str, found: &mut Vec<Declared>, problems: &mut Vec<String>) {
    let at = place(doc, site);
    let reason = |value: &Value| value.as_str().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    match declared {
        Value::String(_) => match reason(declared) {
            Some(reason) => found.push(Declared { site: site.to_string(), key: String::new(), reason }),
            None => problems.push(format!("{EXTENSION} on {at}: the reason is empty")),
        },
        Value::Object(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                match reason(value) {
                    Some(reason) => found.push(Declared { site: site.to_string(), key: key.trim().to_string(), reason }),
                    None => problems.push(format!("{EXTENSION} on {at}: `{key}` needs a reason (a sentence), not {value}")),
                }
            }
        }
        other => problems.push(format!("{EXTENSION} on {at}: expected a reason or a map from what differs to its reason, found {other}")),
    }
}

/// Whether a declaration's key covers a finding's key: the same, or the finding is below it.
pub fn covers(key: &str, finding: &str) -> bool {
    finding == key || (finding.starts_with(key) && matches!(finding.as_bytes().get(key.len()), Some(b'.') | Some(b'[')))
}

/// The finding key of a field: `response` + `.customer.id`, `response` + `[].id`.
pub fn field_key(section: &str, path: &str) -> String {
    if path.is_empty() {
        section.to_string()
    } else if path.starts_with('[') {
        format!("{section}{path}")
    } else {
        format!("{section}.{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_declarations_everywhere_and_names_their_place() {
        let doc = json!({
            "x-openapi-drift": {"PATCH /things/{id}": "We keep PUT only."},
            "paths": {"/things": {"get": {"operationId": "list_things", "x-openapi-drift": {"query.term": "Docs only.", "status": ""}}}},
            "components": {"schemas": {"Thing": {
                "x-openapi-drift": {"colour": "The docs' spelling."},
                "properties": {"id": {"type": "integer", "x-openapi-drift": "Sent as a string there."}},
                "example": {"x-openapi-drift": "an example is data, not a declaration"},
            }}},
        });
        let (found, problems) = scan(&doc);
        let sites: Vec<(String, &str)> = found.iter().map(|d| (d.place(&doc), d.key.as_str())).collect();
        assert_eq!(
            sites,
            [
                ("the top of the spec".to_string(), "PATCH /things/{id}"),
                ("schema Thing".to_string(), "colour"),
                ("property Thing.id".to_string(), ""),
                ("operation GET /things (list_things)".to_string(), "query.term"),
            ]
        );
        assert_eq!(problems, ["x-openapi-drift on operation GET /things (list_things): `status` needs a reason (a sentence), not \"\""]);
    }

    #[test]
    fn keys_cover_what_is_below_them() {
        assert!(covers("response.customer", "response.customer.id"));
        assert!(covers("response", "response[].id"));
        assert!(covers("query", "query.term"));
        assert!(!covers("response.customer", "response.customers"));
        assert!(!covers("query.term", "query"));
        assert_eq!(field_key("body", ""), "body");
        assert_eq!(field_key("body", "[].id"), "body[].id");
        assert_eq!(field_key("response", "customer.id"), "response.customer.id");
    }
}
