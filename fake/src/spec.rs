//! The spec, read once per process: its operations (path template, method, parameters, request
//! body, success response) and the schema helpers everything else uses (resolving `$ref`s,
//! synthesising examples, fitting JSON into a response schema).

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// `openapi/moco.yaml`, compiled in.
pub const SPEC_YAML: &str = include_str!("../../openapi/moco.yaml");

/// The parsed spec, shared by every fake in the process.
pub(crate) fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| Spec::load(SPEC_YAML))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub(crate) fn parse(method: &str) -> Option<Self> {
        Some(match method.to_ascii_lowercase().as_str() {
            "get" => Self::Get,
            "post" => Self::Post,
            "put" => Self::Put,
            "patch" => Self::Patch,
            "delete" => Self::Delete,
            _ => return None,
        })
    }
}

/// One segment of a path template: `projects`, `{id}`, `{id}.pdf`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param { name: String, prefix: String, suffix: String },
}

impl Segment {
    pub(crate) fn parse(text: &str) -> Self {
        match (text.find('{'), text.find('}')) {
            (Some(open), Some(close)) if open < close => Segment::Param {
                name: text[open + 1..close].to_string(),
                prefix: text[..open].to_string(),
                suffix: text[close + 1..].to_string(),
            },
            _ => Segment::Literal(text.to_string()),
        }
    }

    /// Matches one request path segment, returning the parameter's value for a parameter.
    pub(crate) fn matches<'a>(&self, segment: &'a str) -> Option<Option<&'a str>> {
        match self {
            Segment::Literal(literal) => (literal == segment).then_some(None),
            Segment::Param { prefix, suffix, .. } => {
                let value = segment.strip_prefix(prefix.as_str())?.strip_suffix(suffix.as_str())?;
                (!value.is_empty()).then_some(Some(value))
            }
        }
    }

    /// Characters matched literally, to prefer `/projects/assigned` over `/projects/{id}`.
    pub(crate) fn literal_len(&self) -> usize {
        match self {
            Segment::Literal(literal) => literal.len() + 1000,
            Segment::Param { prefix, suffix, .. } => prefix.len() + suffix.len(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub schema: Value,
}

#[derive(Clone, Debug)]
pub(crate) struct RequestBody {
    pub content_type: String,
    pub schema: Value,
    pub required: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Response {
    /// No body (204, or 200 without content).
    Empty,
    /// A JSON body of this schema; `example` is the media type's own example, if any.
    Json { schema: Value, example: Option<Value> },
    /// A PDF download.
    Pdf,
}

#[derive(Debug)]
pub(crate) struct Operation {
    pub id: String,
    pub method: Method,
    pub template: String,
    pub segments: Vec<Segment>,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// The success status the fake answers with.
    pub status: u16,
    pub response: Response,
    /// Whether the operation needs an API key (`security: []` does not).
    pub secured: bool,
    /// Whether the operation is a paginated list (it takes `page`).
    pub paged: bool,
    /// The compiled request body validator, built on first use.
    pub(crate) validator: OnceLock<Option<crate::validate::BodyValidator>>,
}

impl Operation {
    pub(crate) fn query_param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.location == Location::Query && p.name == name)
    }

    /// The `$ref` name of the JSON response schema, or of its items for a list.
    pub(crate) fn response_schema_name(&self) -> Option<(&str, bool)> {
        let Response::Json { schema, .. } = &self.response else { return None };
        if let Some(name) = ref_name(schema) {
            return Some((name, false));
        }
        if schema["type"] == "array" {
            return ref_name(&schema["items"]).map(|name| (name, true));
        }
        None
    }
}

pub(crate) struct Spec {
    pub doc: Value,
    pub ops: Vec<Operation>,
}

pub(crate) fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.rsplit('/').next()
}

impl Spec {
    pub(crate) fn load(yaml: &str) -> Self {
        let doc: Value = serde_norway::from_str(yaml).expect("openapi/moco.yaml is valid YAML");
        let mut ops = Vec::new();
        let empty = Map::new();
        for (template, item) in doc["paths"].as_object().unwrap_or(&empty) {
            let shared: Vec<Value> = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for (method, op) in item.as_object().unwrap_or(&empty) {
                let Some(method) = Method::parse(method) else { continue };
                let Some(id) = op["operationId"].as_str() else { continue };
                let mut params: Vec<Param> = Vec::new();
                let own: Vec<Value> = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
                for raw in shared.iter().chain(own.iter()) {
                    let p = resolve_in(&doc, raw);
                    let location = match p["in"].as_str() {
                        Some("path") => Location::Path,
                        Some("query") => Location::Query,
                        Some("header") => Location::Header,
                        _ => continue,
                    };
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    params.retain(|existing: &Param| !(existing.name == name && existing.location == location));
                    params.push(Param { name, location, required: p["required"] == Value::Bool(true), schema: p["schema"].clone() });
                }
                let body = op.get("requestBody").and_then(|rb| {
                    let rb = resolve_in(&doc, rb);
                    let (content_type, media) = rb["content"].as_object()?.iter().next()?;
                    Some(RequestBody {
                        content_type: content_type.clone(),
                        schema: media["schema"].clone(),
                        required: rb["required"] == Value::Bool(true),
                    })
                });
                let (status, response) = success(&doc, &op["responses"]);
                let secured = !op.get("security").and_then(Value::as_array).is_some_and(Vec::is_empty);
                let paged = params.iter().any(|p| p.location == Location::Query && p.name == "page");
                ops.push(Operation {
                    id: id.to_string(),
                    method,
                    template: template.clone(),
                    segments: template.trim_matches('/').split('/').map(Segment::parse).collect(),
                    params,
                    body,
                    status,
                    response,
                    secured,
                    paged,
                    validator: OnceLock::new(),
                });
            }
        }
        Spec { doc, ops }
    }

    /// A component schema by name (`Null` if there is none).
    pub(crate) fn schema(&self, name: &str) -> &Value {
        &self.doc["components"]["schemas"][name]
    }

    /// Follows `$ref`s.
    pub(crate) fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut current = schema;
        for _ in 0..16 {
            match ref_name(current) {
                Some(name) => current = self.schema(name),
                None => return current,
            }
        }
        current
    }

    /// The branches of an `anyOf`/`oneOf` that are not the `null` branch of a nullable reference.
    fn branches<'a>(&'a self, schema: &'a Value) -> Vec<&'a Value> {
        let list = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array);
        list.map(|b| b.iter().map(|s| self.resolve(s)).filter(|s| !is_null_branch(s)).collect()).unwrap_or_default()
    }

    /// The object schema (with `properties`) behind a schema: itself, its `$ref`, or the
    /// non-null branch of a nullable reference.
    pub(crate) fn object_schema<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        let schema = self.resolve(schema);
        if schema["properties"].is_object() {
            return Some(schema);
        }
        self.branches(schema).into_iter().find_map(|b| self.object_schema(b))
    }

    /// The properties of an object schema.
    pub(crate) fn properties<'a>(&'a self, schema: &'a Value) -> Option<&'a Map<String, Value>> {
        self.object_schema(schema)?["properties"].as_object()
    }

    /// A property's schema within an object schema.
    pub(crate) fn property<'a>(&'a self, schema: &'a Value, name: &str) -> Option<&'a Value> {
        self.properties(schema)?.get(name)
    }

    /// Whether `null` is allowed.
    pub(crate) fn nullable(&self, schema: &Value) -> bool {
        let schema = self.resolve(schema);
        schema["nullable"] == Value::Bool(true)
            || schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(Value::as_array)
                .is_some_and(|b| b.iter().any(|s| is_null_branch(s) || self.nullable(s)))
    }

    /// The JSON type a schema describes (`object`, `array`, `string`, ...), if it names one.
    fn kind<'a>(&'a self, schema: &'a Value) -> Option<&'a str> {
        let schema = self.resolve(schema);
        if let Some(kind) = schema["type"].as_str() {
            return Some(kind);
        }
        if schema["properties"].is_object() {
            return Some("object");
        }
        self.branches(schema).into_iter().find_map(|b| self.kind(b))
    }

    /// An example of a schema: its own `example`, else one built from its parts.
    pub(crate) fn example(&self, schema: &Value) -> Value {
        self.example_depth(schema, 0)
    }

    fn example_depth(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if let Some(example) = schema.get("example") {
            return example.clone();
        }
        if depth > 8 {
            return Value::Null;
        }
        if let Some(values) = schema["enum"].as_array() {
            if let Some(first) = values.iter().find(|v| !v.is_null()) {
                return first.clone();
            }
        }
        let branches = self.branches(schema);
        if !branches.is_empty() && schema["type"].is_null() {
            return self.example_depth(branches[0], depth + 1);
        }
        match self.kind(schema) {
            Some("object") => {
                let mut out = Map::new();
                if let Some(props) = schema["properties"].as_object() {
                    for (name, prop) in props {
                        out.insert(name.clone(), self.example_depth(prop, depth + 1));
                    }
                }
                Value::Object(out)
            }
            Some("array") => Value::Array(vec![self.example_depth(&schema["items"], depth + 1)]),
            Some("integer") => Value::from(1),
            Some("number") => Value::from(1.0),
            Some("boolean") => Value::Bool(true),
            Some("string") => Value::String(match schema["format"].as_str() {
                Some("date") => "2024-01-01".into(),
                Some("date-time") => "2024-01-01T08:00:00Z".into(),
                Some("uuid") => "00000000-0000-4000-8000-000000000000".into(),
                _ => "string".into(),
            }),
            _ => Value::Null,
        }
    }

    /// `input` fitted into `schema`: object properties the schema does not declare are dropped,
    /// values of the wrong JSON type are replaced by `base` (or the schema's example), so that
    /// the result always matches the response schema. `base` supplies the fields `input` lacks.
    /// New array items of objects with an `id` get one from `next_id`.
    pub(crate) fn conform(&self, input: &Value, schema: &Value, base: Option<&Value>, next_id: &mut dyn FnMut() -> i64) -> Value {
        let resolved = self.resolve(schema);
        if input.is_null() {
            return if self.nullable(resolved) { Value::Null } else { base.cloned().unwrap_or_else(|| self.example(resolved)) };
        }
        // A union: the first branch of the input's kind.
        let branches = self.branches(resolved);
        if !branches.is_empty() && !resolved["properties"].is_object() && resolved["type"].is_null() {
            let fitting = branches.iter().find(|b| kind_fits(self.kind(b), input));
            return match fitting {
                Some(branch) => self.conform(input, branch, base, next_id),
                None => base.cloned().unwrap_or_else(|| self.example(resolved)),
            };
        }
        match (self.kind(resolved), input) {
            (Some("object"), Value::Object(fields)) => {
                let mut out = match base {
                    Some(Value::Object(b)) => b.clone(),
                    _ => match self.example(resolved) {
                        Value::Object(e) => e,
                        _ => Map::new(),
                    },
                };
                let props = resolved["properties"].as_object();
                let additional = &resolved["additionalProperties"];
                for (key, value) in fields {
                    match props.and_then(|p| p.get(key)) {
                        Some(prop) => {
                            let current = out.get(key).cloned();
                            out.insert(key.clone(), self.conform(value, prop, current.as_ref(), next_id));
                        }
                        None if additional.is_object() || *additional == Value::Bool(true) => {
                            out.insert(key.clone(), value.clone());
                        }
                        None => {}
                    }
                }
                Value::Object(out)
            }
            (Some("array"), Value::Array(items)) => {
                let item_schema = &resolved["items"];
                let item_example = self.example(item_schema);
                let with_id = self.property(item_schema, "id").is_some();
                Value::Array(
                    items
                        .iter()
                        .map(|item| {
                            let mut fitted = self.conform(item, item_schema, Some(&item_example), next_id);
                            if with_id && item.get("id").is_none() {
                                if let Value::Object(map) = &mut fitted {
                                    map.insert("id".into(), Value::from(next_id()));
                                }
                            }
                            fitted
                        })
                        .collect(),
                )
            }
            (kind, value) if kind_fits(kind, value) && !matches!(kind, Some("object" | "array")) => value.clone(),
            _ => base.cloned().unwrap_or_else(|| self.example(resolved)),
        }
    }

    /// `value` cut down to the properties `schema` declares (for list item schemas that show
    /// less than the full entity).
    pub(crate) fn project(&self, value: &Value, schema: &Value) -> Value {
        let Some(props) = self.properties(schema) else { return value.clone() };
        let Value::Object(fields) = value else { return value.clone() };
        let mut out = Map::new();
        for (name, prop) in props {
            if let Some(v) = fields.get(name) {
                out.insert(name.clone(), v.clone());
            } else {
                let example = self.example(prop);
                out.insert(name.clone(), if self.nullable(prop) { Value::Null } else { example });
            }
        }
        Value::Object(out)
    }
}

fn is_null_branch(schema: &Value) -> bool {
    schema["enum"].as_array().is_some_and(|e| e.len() == 1 && e[0].is_null())
}

fn kind_fits(kind: Option<&str>, value: &Value) -> bool {
    match (kind, value) {
        (None, _) => true,
        (Some("object"), Value::Object(_)) | (Some("array"), Value::Array(_)) | (Some("string"), Value::String(_)) => true,
        (Some("boolean"), Value::Bool(_)) => true,
        (Some("number"), Value::Number(_)) => true,
        (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn resolve_in<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { return current };
        let Some(pointer) = reference.strip_prefix('#') else { return current };
        match doc.pointer(pointer) {
            Some(target) => current = target,
            None => return current,
        }
    }
    current
}

/// The status the fake answers with and what its body is: the first 2xx with content, else 204
/// if declared, else the first 2xx.
fn success(doc: &Value, responses: &Value) -> (u16, Response) {
    let Some(responses) = responses.as_object() else { return (200, Response::Empty) };
    let mut codes: Vec<(u16, &Value)> = responses
        .iter()
        .filter_map(|(code, r)| code.parse::<u16>().ok().filter(|c| (200..300).contains(c)).map(|c| (c, resolve_in(doc, r))))
        .collect();
    codes.sort_by_key(|(c, _)| *c);
    for (code, response) in &codes {
        if let Some((content_type, media)) = response["content"].as_object().and_then(|c| c.iter().next()) {
            if content_type.contains("pdf") || media["schema"]["format"] == "binary" {
                return (*code, Response::Pdf);
            }
            return (*code, Response::Json { schema: media["schema"].clone(), example: media.get("example").cloned() });
        }
    }
    if codes.iter().any(|(c, _)| *c == 204) {
        return (204, Response::Empty);
    }
    (codes.first().map(|(c, _)| *c).unwrap_or(200), Response::Empty)
}
