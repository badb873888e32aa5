//! The spec lint (`cargo xtask lint`): what every change to `openapi/moco.yaml` must keep true.
//!
//! A finding names the operation (`GET /projects (list_projects)`) or the schema
//! (`schema Project.leader`), says what is wrong and ends with its rule and the spec's line:
//! `GET /projects (list_projects): ... [pagination, line 412]`. Any finding exits 1.
//!
//! Rules, one module each under `lint/`:
//! - `openapi` (structure.rs): the document is OpenAPI 3.0.x, validates against the OpenAPI
//!   Initiative's schema (`schemas/openapi-3.0.schema.json`) and parses as `openapiv3::OpenAPI`.
//! - `operation` (operations.rs): every operation has an operationId, a summary and a 2xx response.
//! - `operation-id` (operation_ids.rs): operationIds are unique, snake_case and verb first, from
//!   the verbs the spec uses (`operation_ids::VERBS`); `list`/`get`/`download` are exactly the
//!   GETs, `create` is a POST, `update` a PUT or PATCH, `delete` a DELETE.
//! - `tags` (tags.rs): every operation has exactly one tag, declared at the top level; every tag
//!   is declared once, used, and linked to its docs section with `externalDocs.url` and
//!   `x-docs-file` (the section's markdown file; the URL is the docs site plus that file's path).
//! - `path-params` (path_params.rs): a path names each `{placeholder}` once, every placeholder has
//!   a required path parameter, every path parameter appears in the path, and no parameter is
//!   declared twice at one level.
//! - `pagination` (pagination.rs): a paginated list (a GET with `page`, `per_page` or a
//!   pagination header) takes `Page` and `PerPage` and its 200 response declares `X-Page`,
//!   `X-Per-Page`, `X-Total` and `Link`; a GET returning an array of a component schema without
//!   `Page` is a finding unless the operation says `x-paginated: false`.
//! - `global-filters` (global_filters.rs): a paginated list takes `SortBy`, `UpdatedAfter` and
//!   `Ids`, and `CustomPropertiesFilter` when its entity has `custom_properties`, unless
//!   `x-no-global-filters` gives the reason (for all of them, or per filter).
//! - `dangling-ref`, `unused-components` (components.rs): every `$ref` resolves; every schema,
//!   parameter, header, response, request body and example component is reachable from the paths.
//! - `body-types` (body_types.rs): at most one success body type and one error body type per
//!   operation, and error responses do not mix a body with no body (progenitor's limits).
//! - `nullable` (nullable.rs): `nullable` only stands beside a `type` in the same schema object
//!   (OpenAPI 3.0.3: elsewhere it has no effect, and strict tools ignore or reject it).
//! - `examples` (examples.rs): every component schema and every request body has an example, and
//!   every example (schemas, parameters, request and response bodies, named media examples)
//!   validates against its schema, formats (`date`, `date-time`, `uuid`) included, under
//!   openapi-schema-validator's strict `OAS30Validator` semantics: `null` is accepted only by a
//!   schema object whose `type` has `nullable: true` beside it (and, for an `enum`, only if `null`
//!   is one of its values), or through an `anyOf`/`oneOf` branch that accepts it.
//! - `field-consistency` (field_consistency.rs): fields follow the naming conventions (`id` and
//!   `*_id` integer/int64, `*_ids` arrays of them, `date`, `*_on` and `*_date` format date, `*_at`
//!   format date-time; parameters too), a field name has one type and format across all schemas,
//!   and one entity's schemas (`Invoice`, `InvoiceSummary`, `InvoiceCreate`, ...) do not disagree
//!   on a field's enum (one of its value sets holds all the others).
//! - `real-world-forms` (real_world.rs): answers admit what MOCO's servers send (a decimal as a
//!   number or a numeric string, `""` for an absent date, `{}` for an absent object) and request
//!   numbers are `format: decimal` (openapi/CONVENTIONS.md, "Real answers").
//! - `lint-allow` (allow.rs): `x-lint-allow` lists rules that accept it and stands beside a
//!   `description` that gives the reason.
//!
//! Extensions the lint reads (openapi/CONVENTIONS.md, "Declared exceptions"):
//! - `x-paginated: false` on a GET returning an array: MOCO sends the whole list at once.
//! - `x-no-global-filters` on a paginated list: a reason (string) why none of the global filters
//!   apply, or a map from filter name (`sort_by`, `updated_after`, `ids`, `custom_properties`) to
//!   the reason that one is missing.
//! - `x-lint-allow: [field-consistency]` on a property schema, `x-lint-allow: [unused-components]`
//!   on a component: a deliberate exception, explained by the `description` beside it.

mod allow;
mod body_types;
mod components;
mod examples;
mod field_consistency;
mod global_filters;
mod locate;
mod nullable;
mod operation_ids;
mod operations;
mod pagination;
mod path_params;
mod real_world;
mod structure;
mod tags;

use serde_json::Value;

pub use locate::Seg;
use locate::{segs, Locator};

pub(crate) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub operations: usize,
    pub schemas: usize,
    pub examples: usize,
}

pub fn lint(text: &str) -> Report {
    let mut report = Report::default();
    let doc: Value = match serde_norway::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            report.problems.push(format!("not YAML: {e}"));
            return report;
        }
    };
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        report.problems.push(format!("openapi is {version:?}; the generator needs 3.0.x"));
        return report;
    }
    let spec = Spec::new(&doc, text);
    let mut out = Findings::default();
    structure::check(&spec, &mut out);
    operations::check(&spec, &mut out);
    operation_ids::check(&spec, &mut out);
    tags::check(&spec, &mut out);
    path_params::check(&spec, &mut out);
    pagination::check(&spec, &mut out);
    global_filters::check(&spec, &mut out);
    components::check(&spec, &mut out);
    body_types::check(&spec, &mut out);
    nullable::check(&spec, &mut out);
    let counts = examples::check(&spec, &mut out);
    field_consistency::check(&spec, &mut out);
    real_world::check(&spec, &mut out);
    allow::check(&spec, &mut out);
    report.operations = spec.operations.len();
    report.schemas = counts.schemas;
    report.examples = counts.examples;
    report.problems = out.render();
    report
}

/// A finding: the rule, what it is about (operation, schema, tag, ...), the spec's line if known.
#[derive(Debug)]
pub(crate) struct Finding {
    pub rule: &'static str,
    pub subject: String,
    pub message: String,
    pub line: Option<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Findings {
    list: Vec<Finding>,
}

impl Findings {
    pub fn add(&mut self, rule: &'static str, subject: impl Into<String>, line: Option<usize>, message: impl Into<String>) {
        self.list.push(Finding { rule, subject: subject.into(), message: message.into(), line });
    }

    /// Rule by rule (in the order they ran), in the order of the spec's lines.
    fn render(mut self) -> Vec<String> {
        let order: Vec<&str> = self.list.iter().map(|f| f.rule).fold(Vec::new(), |mut seen, rule| {
            if !seen.contains(&rule) {
                seen.push(rule);
            }
            seen
        });
        self.list.sort_by_key(|f| (order.iter().position(|r| *r == f.rule), f.line.unwrap_or(usize::MAX)));
        self.list
            .into_iter()
            .map(|f| match f.line {
                Some(line) => format!("{}: {} [{}, line {line}]", f.subject, f.message, f.rule),
                None => format!("{}: {} [{}]", f.subject, f.message, f.rule),
            })
            .collect()
    }
}

/// One operation of the document.
pub(crate) struct Operation<'a> {
    pub path: &'a str,
    pub method: &'static str,
    /// The path item (for its shared `parameters`).
    pub item: &'a Value,
    pub op: &'a Value,
}

impl<'a> Operation<'a> {
    pub fn id(&self) -> Option<&'a str> {
        self.op["operationId"].as_str().filter(|id| !id.is_empty())
    }

    /// `GET /projects/{id} (get_project)`, or without the parenthesis if there is no id.
    pub fn name(&self) -> String {
        match self.id() {
            Some(id) => format!("{} {} ({id})", self.method.to_uppercase(), self.path),
            None => format!("{} {}", self.method.to_uppercase(), self.path),
        }
    }

    pub fn segs(&self) -> Vec<Seg> {
        segs(["paths", self.path, self.method])
    }

    /// The parameters that apply (references resolved): the operation's own, then those of the
    /// path item it does not override.
    pub fn parameters(&self, spec: &Spec<'a>) -> Vec<&'a Value> {
        let own: Vec<&Value> = self.op["parameters"].as_array().into_iter().flatten().map(|p| spec.resolve(p)).collect();
        let shared = self.item["parameters"].as_array().into_iter().flatten().map(|p| spec.resolve(p));
        let shared: Vec<&Value> = shared.filter(|s| !own.iter().any(|o| o["name"] == s["name"] && o["in"] == s["in"])).collect();
        own.into_iter().chain(shared).collect()
    }

    pub fn takes(&self, spec: &Spec<'a>, location: &str, name: &str) -> bool {
        self.parameters(spec).iter().any(|p| p["in"] == location && p["name"] == name)
    }

    /// The response for `code`, resolved.
    pub fn response(&self, spec: &Spec<'a>, code: &str) -> Option<&'a Value> {
        self.op["responses"].get(code).map(|r| spec.resolve(r))
    }
}

/// The document with what every rule needs: reference resolution, operations, line numbers.
pub(crate) struct Spec<'a> {
    pub doc: &'a Value,
    pub operations: Vec<Operation<'a>>,
    lines: Locator,
}

impl<'a> Spec<'a> {
    pub fn new(doc: &'a Value, text: &str) -> Self {
        let mut operations = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    operations.push(Operation { path, method, item, op });
                }
            }
        }
        Spec { doc, operations, lines: Locator::new(text) }
    }

    /// A `$ref` to a place in this document, followed (repeatedly); anything else as it is.
    pub fn resolve(&self, value: &'a Value) -> &'a Value {
        let mut value = value;
        for _ in 0..16 {
            match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                Some(pointer) => value = self.doc.pointer(pointer).unwrap_or(&Value::Null),
                None => break,
            }
        }
        value
    }

    pub fn line(&self, path: &[Seg]) -> Option<usize> {
        self.lines.line(path)
    }

    /// The line of `components/<kind>/<name>/<rest...>`.
    pub fn component_line(&self, kind: &str, name: &str, rest: &[&str]) -> Option<usize> {
        self.line(&segs(["components", kind, name].into_iter().chain(rest.iter().copied())))
    }

    pub fn op_line(&self, op: &Operation, rest: &[&str]) -> Option<usize> {
        self.line(&segs(["paths", op.path, op.method].into_iter().chain(rest.iter().copied())))
    }

    pub fn schemas(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.doc["components"]["schemas"].as_object().into_iter().flatten()
    }
}

/// The rules a schema object or component exempts itself from with `x-lint-allow`.
pub(crate) fn allows(holder: &Value, rule: &str) -> bool {
    holder["x-lint-allow"].as_array().is_some_and(|rules| rules.iter().any(|r| r == rule))
}

pub(crate) fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        short.push('…');
    }
    short
}

/// A small spec that passes every rule, and helpers to break it.
#[cfg(test)]
pub(crate) mod fixture {
    pub const GOOD: &str = r##"
openapi: 3.0.3
info: {title: t, version: v1}
externalDocs:
  url: https://docs.example/
tags:
  - name: Things
    externalDocs:
      url: https://docs.example/sections/things
    x-docs-file: sections/things.md
paths:
  /things:
    get:
      operationId: list_things
      tags: [Things]
      summary: List things
      parameters:
        - $ref: '#/components/parameters/Page'
        - $ref: '#/components/parameters/PerPage'
        - $ref: '#/components/parameters/SortBy'
        - $ref: '#/components/parameters/UpdatedAfter'
        - $ref: '#/components/parameters/Ids'
      responses:
        '200':
          description: ok
          headers:
            X-Page: {$ref: '#/components/headers/XPage'}
            X-Per-Page: {$ref: '#/components/headers/XPerPage'}
            X-Total: {$ref: '#/components/headers/XTotal'}
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Thing'}
        '4XX': {$ref: '#/components/responses/Error'}
    post:
      operationId: create_thing
      tags: [Things]
      summary: Create a thing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingCreate'}
            example: {day: '2020-01-31'}
      responses:
        '200':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '4XX': {$ref: '#/components/responses/Error'}
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: get_thing
      tags: [Things]
      summary: Get a thing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {id: 1, day: '2020-01-31', note: null}
        '4XX': {$ref: '#/components/responses/Error'}
    delete:
      operationId: delete_thing
      tags: [Things]
      summary: Delete a thing
      responses:
        '200': {description: deleted}
        '204': {description: deleted}
        '4XX': {$ref: '#/components/responses/Error'}
components:
  parameters:
    Page: {name: page, in: query, schema: {type: integer}}
    PerPage: {name: per_page, in: query, schema: {type: integer}}
    SortBy: {name: sort_by, in: query, schema: {type: string}}
    UpdatedAfter: {name: updated_after, in: query, schema: {type: string, format: date-time}}
    Ids:
      name: ids
      in: query
      style: form
      explode: false
      schema: {type: array, items: {type: integer, format: int64}}
  headers:
    XPage: {schema: {type: integer}}
    XPerPage: {schema: {type: integer}}
    XTotal: {schema: {type: integer}}
    Link: {schema: {type: string}}
  responses:
    Error:
      description: refused
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    Error:
      type: object
      properties:
        message: {type: string, nullable: true}
      example: {message: Not found}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        day: {type: string, format: date}
        note: {type: string, nullable: true}
      example: {id: 2, day: '2021-12-01'}
    ThingCreate:
      type: object
      required: [day]
      properties:
        day: {type: string, format: date}
      example: {day: '2021-12-01'}
"##;

    pub fn problems(spec: &str) -> Vec<String> {
        super::lint(spec).problems
    }

    /// The findings of one rule.
    pub fn findings(spec: &str, rule: &str) -> Vec<String> {
        let tag = format!("[{rule}");
        problems(spec).into_iter().filter(|p| p.contains(&format!("{tag}]")) || p.contains(&format!("{tag}, "))).collect()
    }

    /// GOOD with `from` replaced by `to`; panics if `from` is not in GOOD, so a test cannot
    /// silently check the unbroken spec.
    pub fn good_with(from: &str, to: &str) -> String {
        assert!(GOOD.contains(from), "the fixture has no {from:?}");
        GOOD.replacen(from, to, 1)
    }

    /// GOOD with one more path item (YAML at the indentation of a path, `  /path:`).
    pub fn good_with_path(path_item: &str) -> String {
        good_with("components:\n", &format!("{path_item}components:\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;

    #[test]
    fn the_good_spec_passes_every_rule() {
        let report = lint(GOOD);
        assert_eq!(report.problems, Vec::<String>::new());
        assert_eq!((report.operations, report.schemas), (4, 3));
    }

    #[test]
    fn openapi_31_is_refused() {
        let found = problems(&good_with("openapi: 3.0.3", "openapi: 3.1.0"));
        assert!(found[0].contains("3.0.x"), "{found:?}");
    }

    #[test]
    fn findings_name_their_rule_and_line() {
        let found = problems(&good_with("      summary: Get a thing\n", ""));
        assert_eq!(found, ["GET /things/{id} (get_thing): no summary [operation, line 62]"]);
    }
}
