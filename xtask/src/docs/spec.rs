//! The parts of the spec the reference shows, read in the spec's own order (tags, paths,
//! methods, parameters, properties): `serde_norway`'s mapping keeps the order of the file, which
//! `serde_json::Value` (without `preserve_order`) would not.

use serde_norway::Value;

/// HTTP methods in the order a path item is read when it lists them out of order.
pub const METHODS: [&str; 8] = ["get", "put", "post", "patch", "delete", "options", "head", "trace"];

/// The spec document.
pub struct Spec {
    pub doc: Value,
}

/// A tag: one section of MOCO's docs.
#[derive(Clone, Debug)]
pub struct Tag {
    pub name: String,
    pub description: String,
    /// `x-docs-file`: the section's file in MOCO's docs repository.
    pub docs_file: Option<String>,
    /// `externalDocs.url`.
    pub docs_url: Option<String>,
}

/// One operation with its parameters resolved.
pub struct Operation<'a> {
    pub path: String,
    pub method: String,
    pub id: String,
    pub tag: Option<String>,
    pub summary: String,
    pub description: String,
    pub deprecated: bool,
    /// `security: []`: the operation needs no API key.
    pub no_auth: bool,
    /// `x-alias-of`: the update this PUT or PATCH repeats, whose Rust method it shares.
    pub alias_of: Option<String>,
    /// Path parameters in path order, then the others in spec order (path-item level first).
    pub params: Vec<Param<'a>>,
    /// The resolved `requestBody`.
    pub body: Option<&'a Value>,
    /// Status code (as written) and resolved response, in spec order.
    pub responses: Vec<(String, &'a Value)>,
}

/// One parameter, resolved.
pub struct Param<'a> {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub description: String,
    pub schema: Option<&'a Value>,
    pub style: Option<String>,
    pub explode: Option<bool>,
    pub example: Option<&'a Value>,
}

impl Param<'_> {
    /// `style: form, explode: false` on an array: MOCO's `ids=1,2`.
    pub fn is_comma_list(&self) -> bool {
        self.explode == Some(false) && self.schema.and_then(|s| text(s, "type")) == Some("array")
    }

    /// `custom_properties[Name]=value`.
    pub fn is_deep_object(&self) -> bool {
        self.style.as_deref() == Some("deepObject")
    }
}

impl Spec {
    pub fn parse(source: &str) -> Result<Spec, String> {
        let doc: Value = serde_norway::from_str(source).map_err(|e| format!("the spec is not YAML: {e}"))?;
        if !doc.is_mapping() {
            return Err("the spec is not a YAML mapping".into());
        }
        Ok(Spec { doc })
    }

    pub fn title(&self) -> &str {
        self.doc.get("info").and_then(|i| text(i, "title")).unwrap_or("API")
    }

    pub fn version(&self) -> &str {
        self.doc.get("info").and_then(|i| text(i, "version")).unwrap_or("")
    }

    /// Follows local `$ref`s (`#/a/b`) to what they point at; an unresolvable one stays as it is.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(target) = text(value, "$ref").and_then(|r| self.pointer(r)) else { return value };
            value = target;
        }
        value
    }

    /// `#/components/schemas/Project` → the schema.
    pub fn pointer(&self, reference: &str) -> Option<&Value> {
        let path = reference.strip_prefix("#/")?;
        let mut at = &self.doc;
        for segment in path.split('/') {
            let key = segment.replace("~1", "/").replace("~0", "~");
            at = at.get(key.as_str())?;
        }
        Some(at)
    }

    /// A component schema by name.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.doc.get("components")?.get("schemas")?.get(name)
    }

    pub fn tags(&self) -> Vec<Tag> {
        let Some(tags) = self.doc.get("tags").and_then(Value::as_sequence) else { return Vec::new() };
        tags.iter()
            .filter_map(|tag| {
                Some(Tag {
                    name: text(tag, "name")?.to_string(),
                    description: text(tag, "description").unwrap_or_default().trim().to_string(),
                    docs_file: text(tag, "x-docs-file").map(str::to_string),
                    docs_url: tag.get("externalDocs").and_then(|d| text(d, "url")).map(str::to_string),
                })
            })
            .collect()
    }

    /// Every operation, in the order of the file.
    pub fn operations(&self) -> Result<Vec<Operation<'_>>, String> {
        let mut out = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_mapping) else { return Ok(out) };
        for (path, item) in paths {
            let path = path.as_str().ok_or("a key under `paths` is not a string")?;
            let item = self.resolve(item);
            let shared: Vec<&Value> = item.get("parameters").and_then(Value::as_sequence).into_iter().flatten().collect();
            let Some(item_map) = item.as_mapping() else { continue };
            for (method, op) in item_map {
                let Some(method) = method.as_str().filter(|m| METHODS.contains(m)) else { continue };
                let id = text(op, "operationId").ok_or_else(|| format!("{} {path} has no operationId", method.to_uppercase()))?;
                let own: Vec<&Value> = op.get("parameters").and_then(Value::as_sequence).into_iter().flatten().collect();
                let params = self.params(path, &shared, &own);
                let tag = op.get("tags").and_then(Value::as_sequence).and_then(|t| t.first()).and_then(Value::as_str).map(str::to_string);
                let responses = op
                    .get("responses")
                    .and_then(Value::as_mapping)
                    .into_iter()
                    .flatten()
                    .map(|(code, response)| (key_text(code), self.resolve(response)))
                    .collect();
                out.push(Operation {
                    path: path.to_string(),
                    method: method.to_string(),
                    id: id.to_string(),
                    tag,
                    summary: text(op, "summary").unwrap_or_default().trim().to_string(),
                    description: text(op, "description").unwrap_or_default().trim().to_string(),
                    deprecated: op.get("deprecated").and_then(Value::as_bool) == Some(true),
                    no_auth: op.get("security").and_then(Value::as_sequence).is_some_and(|s| s.is_empty()),
                    alias_of: op.get("x-alias-of").and_then(Value::as_str).map(str::to_string),
                    params,
                    body: op.get("requestBody").map(|b| self.resolve(b)),
                    responses,
                });
            }
        }
        Ok(out)
    }

    /// Path-item parameters overridden by the operation's own (same name and location); path
    /// parameters first, in the order they appear in the path.
    fn params<'a>(&'a self, path: &str, shared: &[&'a Value], own: &[&'a Value]) -> Vec<Param<'a>> {
        let mut params: Vec<Param<'a>> = Vec::new();
        for raw in shared.iter().chain(own) {
            let value = self.resolve(raw);
            let Some(name) = text(value, "name") else { continue };
            let location = text(value, "in").unwrap_or("query");
            let param = Param {
                name: name.to_string(),
                location: location.to_string(),
                required: value.get("required").and_then(Value::as_bool) == Some(true) || location == "path",
                description: text(value, "description").unwrap_or_default().trim().to_string(),
                schema: value.get("schema"),
                style: text(value, "style").map(str::to_string),
                explode: value.get("explode").and_then(Value::as_bool),
                example: value.get("example").or_else(|| value.get("schema").map(|s| self.resolve(s)).and_then(|s| s.get("example"))),
            };
            match params.iter_mut().find(|p| p.name == param.name && p.location == param.location) {
                Some(existing) => *existing = param,
                None => params.push(param),
            }
        }
        // Stable: path parameters by position, the rest keep their order.
        params.sort_by_key(|p| if p.location == "path" { path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX) } else { usize::MAX });
        params
    }
}

/// A string field of a mapping.
pub fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// A mapping key as text (`200` may be read as a number when unquoted).
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_norway::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// `#/components/schemas/Project` → `Project`.
pub fn schema_ref_name(value: &Value) -> Option<&str> {
    text(value, "$ref").and_then(|r| r.strip_prefix("#/components/schemas/"))
}
