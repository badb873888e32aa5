//! Reads an OpenAPI document, ours or another one, into what `drift --openapi` compares per
//! operation: method and path, path and query parameters, the request body, the success status
//! codes and the success response body. Schemas stay JSON values (with the JSON pointer they sit
//! at, so that a declaration found inside one can be named); `fields.rs` and `types.rs` read them.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::drift::spec::{locate, resolve};

const HTTP_METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The media types whose schema is a request or response body, in order of preference.
const BODY_MEDIA: [&str; 3] = ["application/json", "multipart/form-data", "application/x-www-form-urlencoded"];

pub struct Document {
    pub doc: Value,
    pub ops: Vec<Operation>,
    /// `info.title` and `info.version`.
    pub title: String,
}

#[derive(Debug)]
pub struct Operation {
    /// Upper case (`GET`).
    pub method: String,
    pub path: String,
    /// The JSON pointer of the operation object (`/paths/~1projects~1{id}/get`).
    pub pointer: String,
    pub id: Option<String>,
    pub summary: Option<String>,
    pub tag: Option<String>,
    /// `x-source` (`openapi`: only MOCO's OpenAPI description has the operation).
    pub source: Option<String>,
    /// Path and query parameters (path-level and operation-level), by location and name.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The 2xx and 3xx status codes and their descriptions.
    pub statuses: BTreeMap<String, String>,
    /// The first success response with a JSON body (by status code).
    pub response: Option<Body>,
    /// The media types of all success responses.
    pub response_media: Vec<String>,
    /// 1-based line of the operation in a YAML text (0 when not found).
    pub line: usize,
}

#[derive(Debug)]
pub struct Param {
    pub name: String,
    /// `path` or `query`.
    pub location: String,
    pub required: bool,
    pub schema: Value,
    /// `style: form, explode: false` on an array: a comma-separated list.
    pub comma_list: bool,
}

#[derive(Debug)]
pub struct Body {
    pub media: String,
    /// The status code, for a response body.
    pub status: Option<String>,
    pub schema: Value,
    pub pointer: String,
    /// The media type's `example`, where the schema has none (examples show decimals as text).
    pub example: Option<Value>,
}

impl Operation {
    /// `GET /projects/{id} (get_project)`, or for a description without operation ids
    /// `GET /projects/{id} "Get project" [Projects]`.
    pub fn label(&self) -> String {
        match &self.id {
            Some(id) => format!("{} {} ({id})", self.method, self.path),
            None => format!("{} {}{}", self.method, self.path, self.aside()),
        }
    }

    /// ` "Get project" [Projects]`: the summary and tag that name an operation without an id.
    pub fn aside(&self) -> String {
        let mut out = String::new();
        if let Some(summary) = &self.summary {
            out.push_str(&format!(" \"{summary}\""));
        }
        if let Some(tag) = &self.tag {
            out.push_str(&format!(" [{tag}]"));
        }
        out
    }

    /// The operation id, else method and path: how "also in" lists name an operation.
    pub fn short(&self) -> String {
        self.id.clone().unwrap_or_else(|| format!("{} {}", self.method, self.path))
    }
}

/// `~` and `/` escaped for a JSON pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Follows `$ref`s like [`resolve`], and says where it ended: the JSON pointer of the target.
pub fn resolve_at<'a>(doc: &'a Value, value: &'a Value, pointer: &str) -> (&'a Value, String) {
    let mut current = value;
    let mut at = pointer.to_string();
    for _ in 0..32 {
        match current["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
            Some(target) => match doc.pointer(target) {
                Some(found) => {
                    current = found;
                    at = target.to_string();
                }
                None => break,
            },
            None => break,
        }
    }
    (current, at)
}

impl Document {
    /// Reads JSON, or else YAML.
    pub fn parse(text: &str) -> Result<Document, String> {
        let (doc, yaml): (Value, bool) = match serde_json::from_str(text) {
            Ok(doc) => (doc, false),
            Err(_) => (serde_norway::from_str(text).map_err(|e| format!("not valid JSON or YAML: {e}"))?, true),
        };
        if doc["paths"].as_object().is_none() {
            return Err("not an OpenAPI document (no `paths`)".to_string());
        }
        // Lines only for block-style YAML (the spec); a JSON description has no use for them.
        let lines: Vec<&str> = if yaml { text.lines().collect() } else { Vec::new() };
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            let (item, item_pointer) = resolve_at(&doc, item, &format!("/paths/{}", escape(path)));
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                let pointer = format!("{item_pointer}/{method}");
                ops.push(read_operation(&doc, path, method, item, op, &pointer, locate(&lines, path, method)));
            }
        }
        let title = format!("{} {}", doc["info"]["title"].as_str().unwrap_or("?"), doc["info"]["version"].as_str().unwrap_or("?"));
        Ok(Document { doc, ops, title })
    }
}

fn read_operation(doc: &Value, path: &str, method: &str, item: &Value, op: &Value, pointer: &str, line: usize) -> Operation {
    let text = |key: &str| op[key].as_str().map(str::to_string);
    let mut params: Vec<Param> = Vec::new();
    let item_params = item["parameters"].as_array().into_iter().flatten();
    let op_params = op["parameters"].as_array().into_iter().flatten();
    // Operation-level parameters override path-level ones of the same name and location.
    for param in op_params.chain(item_params) {
        let param = resolve(doc, param);
        let (Some(name), Some(location)) = (param["name"].as_str(), param["in"].as_str()) else {
            continue;
        };
        if !matches!(location, "path" | "query") || params.iter().any(|p| p.name == name && p.location == location) {
            continue;
        }
        let array = resolve(doc, &param["schema"])["type"] == "array";
        params.push(Param {
            name: name.to_string(),
            location: location.to_string(),
            required: param["required"] == true || location == "path",
            schema: param["schema"].clone(),
            comma_list: array && param["explode"] == false && param["style"].as_str().is_none_or(|s| s == "form"),
        });
    }
    let (request, request_at) = resolve_at(doc, &op["requestBody"], &format!("{pointer}/requestBody"));
    let body = body_of(request, &request_at, None);
    let mut statuses = BTreeMap::new();
    let mut response = None;
    let mut response_media = Vec::new();
    let mut codes: Vec<(&String, &Value)> = op["responses"].as_object().into_iter().flatten().collect();
    codes.sort_by(|a, b| a.0.cmp(b.0));
    for (code, answer) in codes {
        if !(code.starts_with('2') || code.starts_with('3')) {
            continue;
        }
        let (answer, answer_at) = resolve_at(doc, answer, &format!("{pointer}/responses/{}", escape(code)));
        statuses.insert(code.clone(), answer["description"].as_str().unwrap_or_default().trim().to_string());
        for media in answer["content"].as_object().into_iter().flatten().map(|(m, _)| m) {
            if !response_media.contains(media) {
                response_media.push(media.clone());
            }
        }
        if response.is_none() && code.starts_with('2') {
            response = body_of(answer, &answer_at, Some(code)).filter(|b| b.media == "application/json");
        }
    }
    Operation {
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        pointer: pointer.to_string(),
        id: text("operationId"),
        summary: text("summary"),
        tag: op["tags"][0].as_str().map(str::to_string),
        source: text("x-source"),
        params,
        body,
        statuses,
        response,
        response_media,
        line,
    }
}

/// The schema of a request body or response (JSON, else a form).
fn body_of(holder: &Value, at: &str, status: Option<&String>) -> Option<Body> {
    let content = holder["content"].as_object()?;
    let media = BODY_MEDIA.iter().find(|m| content.get(**m).is_some_and(|c| c.get("schema").is_some()))?;
    let entry = &content[*media];
    Some(Body {
        media: media.to_string(),
        status: status.cloned(),
        schema: entry["schema"].clone(),
        pointer: format!("{at}/content/{}/schema", escape(media)),
        example: entry.get("example").cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_operations_of_json_and_yaml() {
        let json = r##"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {"/things/{id}": {
            "parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "integer"}}],
            "get": {"summary": "Get thing", "tags": ["Things"],
                "parameters": [{"in": "query", "name": "ids", "style": "form", "explode": false, "schema": {"type": "array", "items": {"type": "integer"}}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}, "example": {"a": 1}}}},
                              "302": {"description": "elsewhere"}, "404": {"description": "no"}}}}}}"##;
        let doc = Document::parse(json).unwrap();
        assert_eq!(doc.title, "T 1");
        let op = &doc.ops[0];
        assert_eq!(op.label(), "GET /things/{id} \"Get thing\" [Things]");
        assert_eq!(op.pointer, "/paths/~1things~1{id}/get");
        assert_eq!(
            op.params.iter().map(|p| (p.location.as_str(), p.name.as_str(), p.comma_list)).collect::<Vec<_>>(),
            [("query", "ids", true), ("path", "id", false)]
        );
        assert_eq!(op.statuses.keys().collect::<Vec<_>>(), ["200", "302"]);
        let response = op.response.as_ref().unwrap();
        assert_eq!((response.status.as_deref(), response.example.is_some()), (Some("200"), true));
        assert_eq!(response.pointer, "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema");

        let yaml = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /things:\n    post:\n      operationId: create_thing\n      x-source: openapi\n      requestBody:\n        $ref: '#/components/requestBodies/Thing'\n      responses:\n        '201': {description: created}\ncomponents:\n  requestBodies:\n    Thing:\n      content:\n        multipart/form-data:\n          schema: {type: object}\n";
        let doc = Document::parse(yaml).unwrap();
        let op = &doc.ops[0];
        assert_eq!((op.label(), op.line, op.source.as_deref()), ("POST /things (create_thing)".to_string(), 5, Some("openapi")));
        let body = op.body.as_ref().unwrap();
        assert_eq!(
            (body.media.as_str(), body.pointer.as_str()),
            ("multipart/form-data", "/components/requestBodies/Thing/content/multipart~1form-data/schema")
        );
        assert!(Document::parse("a: b").is_err());
    }
}
