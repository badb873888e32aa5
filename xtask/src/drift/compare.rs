//! Compares the docs with the spec.
//!
//! **Endpoints.** A spec operation belongs to the docs endpoint, in its tag's `x-docs-file`,
//! whose heading has the same method and path, or else whose curl example does. Paths compare
//! with every `{placeholder}` equal to any other and the leading `/` optional (the docs' heading
//! `PUT invoices/payments/{id}`); a curl example's concrete values (`/taggings/Project/357`,
//! `/vat_code_sales/123`) fill the spec's placeholders. Where the heading is wrong in a way the
//! curl example does not settle, the operation names it: `x-docs-heading: "GET /taggings"`.
//! An operation no endpoint of its file documents may be documented in another file. What stays
//! unmatched is a gap: a documented endpoint without an operation ("missing") or an operation
//! the docs no longer mention ("removed").
//!
//! **Parameters** (per operation and its endpoint section). Every name of the section's parameter
//! list (`- **name** – ...`, or a table's first column) and of its curl query strings must be a
//! query or path parameter of the operation, or, for a list item of an operation with a request
//! body, a field of that body (or of an object in it: the items of a bulk request). Every query
//! parameter of the operation, except the global ones ([`GLOBAL_PARAMS`]), must be mentioned
//! somewhere in the section.
//!
//! Several operations may share one section (the docs' heading says `PATCH`, its curl `PUT`, and
//! the spec has both), and a section's example may show an object nested in the body (an
//! invoice item): the checks take that into account.
//!
//! **Fields.** Every key of the docs' JSON examples must be a property of the matching schema,
//! nested objects and arrays included: a curl `-d` body against the request body; a JSON block of
//! an endpoint section against whichever fits best of its response, its request body or an object
//! nested in them (the docs show item snippets); an "Attributes" example against whichever fits
//! best of the response schemas of the file's operations. Maps (`custom_properties`) and schemas
//! that take any key are not checked. The reverse, for every schema an example or a parameter
//! list showed: a property that appears nowhere in the docs file(s) that showed the schema is a
//! gap (the docs dropped the field); one the docs mention only in prose, not in an example or a
//! list, is reported as information and is not an error. A request schema's property listed or
//! sent anywhere in its file counts as shown (an update is "analogous to the POST request").
//! `x-docs-names` (docs name → property) and `x-not-in-docs` (property → reason) on an object
//! schema declare deliberate differences.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    docs::{Docs, Endpoint},
    json::Json,
    spec::{entity, items, shape, Op, Shape, Spec},
};

/// Query parameters that apply to every list (the docs' "global filters", paging and sorting):
/// the docs mention them once for all endpoints, so a section need not name them.
pub const GLOBAL_PARAMS: [&str; 6] = ["page", "per_page", "sort_by", "updated_after", "ids", "custom_properties"];

#[derive(Debug, Default)]
pub struct Report {
    /// Documented endpoints no operation describes.
    pub missing: Vec<String>,
    /// Operations the docs no longer mention.
    pub removed: Vec<String>,
    /// Query parameters documented but not in the spec, or in the spec but not documented.
    pub params: Vec<String>,
    /// Fields of the docs' examples and lists missing from the schemas, or schema properties the
    /// docs do not mention at all.
    pub fields: Vec<String>,
    /// Schema properties the docs mention only in prose (not an error): schema → properties.
    pub prose_only: BTreeMap<String, BTreeSet<String>>,
    /// Operations checked and endpoints read.
    pub operations: usize,
    pub endpoints: usize,
}

impl Report {
    pub fn gaps(&self) -> usize {
        self.missing.len() + self.removed.len() + self.params.len() + self.fields.len()
    }

    pub fn prose_only_count(&self) -> usize {
        self.prose_only.values().map(BTreeSet::len).sum()
    }
}

/// Path segments with placeholders as `{}` and no leading or trailing `/`.
pub fn segments(path: &str) -> Vec<String> {
    path.trim_matches('/')
        .split('/')
        .map(|segment| {
            let mut out = String::new();
            let mut rest = segment;
            while let Some(open) = rest.find('{') {
                out.push_str(&rest[..open]);
                match rest[open..].find('}') {
                    Some(close) => {
                        out.push_str("{}");
                        rest = &rest[open + close + 1..];
                    }
                    None => {
                        out.push_str(&rest[open..]);
                        rest = "";
                    }
                }
            }
            out.push_str(rest);
            out
        })
        .collect()
}

/// A concrete value in a curl example's path (`357`, `Project`), not a route name.
fn is_value(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether a spec path matches a docs path; `concrete` lets a spec placeholder match a value.
fn path_matches(spec: &str, docs: &str, concrete: bool) -> bool {
    let (spec, docs) = (segments(spec), segments(docs));
    spec.len() == docs.len()
        && spec.iter().zip(&docs).all(|(s, d)| {
            s == d
                || (concrete
                    && s.matches("{}").count() == 1
                    && s.split_once("{}").is_some_and(|(prefix, suffix)| {
                        d.len() > prefix.len() + suffix.len()
                            && d.starts_with(prefix)
                            && d.ends_with(suffix)
                            && is_value(&d[prefix.len()..d.len() - suffix.len()])
                    }))
        })
}

/// How well an operation matches an endpoint: 0 the heading, 1 a curl example, 2 a curl example
/// with values in place of placeholders; `None` no match.
fn score(op: &Op, endpoint: &Endpoint) -> Option<u8> {
    let mut keys = vec![(op.method.as_str(), op.path.as_str())];
    if let Some((method, path)) = &op.docs_heading {
        keys.insert(0, (method.as_str(), path.as_str()));
    }
    let mut best = None;
    for (method, path) in keys {
        let mut candidates = Vec::new();
        if endpoint.method == method && path_matches(path, &endpoint.path, false) {
            candidates.push(if endpoint.from_curl { 1 } else { 0 });
        }
        for curl in &endpoint.curls {
            if curl.method == method {
                if path_matches(path, &curl.path, false) {
                    candidates.push(1);
                } else if path_matches(path, &curl.path, true) {
                    candidates.push(2);
                }
            }
        }
        if let Some(found) = candidates.into_iter().min() {
            best = Some(best.map_or(found, |b: u8| b.min(found)));
        }
    }
    best
}

/// Index of a docs endpoint: (file, endpoint).
type At = (usize, usize);

fn best_endpoint(op: &Op, docs: &Docs, files: impl Iterator<Item = usize>) -> Option<At> {
    let mut best: Option<(u8, At)> = None;
    for f in files {
        for (e, endpoint) in docs.files[f].endpoints.iter().enumerate() {
            if let Some(s) = score(op, endpoint) {
                if best.is_none_or(|(b, _)| s < b) {
                    best = Some((s, (f, e)));
                }
            }
        }
    }
    best.map(|(_, at)| at)
}

fn mentions(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word)
        .any(|(at, _)| !text[..at].chars().next_back().is_some_and(is_word) && !text[at + word.len()..].chars().next().is_some_and(is_word))
}

pub fn compare(spec: &Spec, docs: &Docs) -> Report {
    let mut report = Report { operations: spec.ops.len(), ..Report::default() };
    report.endpoints = docs.files.iter().map(|f| f.endpoints.len()).sum();
    let file_index = |rel: &str| docs.files.iter().position(|f| f.rel == rel);

    // Endpoints.
    let mut matched: Vec<Option<At>> = Vec::new();
    let mut covered = BTreeSet::new();
    for op in &spec.ops {
        let own = op.docs_file.as_deref().and_then(file_index);
        let at = own.and_then(|f| best_endpoint(op, docs, std::iter::once(f))).or_else(|| best_endpoint(op, docs, 0..docs.files.len()));
        match at {
            Some(at) => {
                covered.insert(at);
            }
            None => {
                let file = op.docs_file.as_deref().unwrap_or("(no x-docs-file)");
                let why = if own.is_some() || op.docs_file.is_none() {
                    format!("no `## {} {}` heading or curl example in {file} or elsewhere", op.method, op.path)
                } else {
                    format!("its docs file {file} is gone")
                };
                report.removed.push(format!("{} [spec line {}]: the docs no longer mention it ({why})", op.label(), op.line));
            }
        }
        matched.push(at);
    }
    for (f, file) in docs.files.iter().enumerate() {
        for (e, endpoint) in file.endpoints.iter().enumerate() {
            if covered.contains(&(f, e)) || spec.ops.iter().any(|op| score(op, endpoint).is_some()) {
                continue;
            }
            let how = if endpoint.from_curl { "a curl example" } else { "a heading" };
            report.missing.push(format!(
                "{} ({}:{}): documented ({how}), but no operation of the spec has this method and path",
                endpoint.heading(),
                file.rel,
                endpoint.line
            ));
        }
    }

    // Parameters and fields, per operation and its endpoint.
    let mut fields = Fields::default();
    for (op, at) in spec.ops.iter().zip(&matched) {
        let Some((f, e)) = *at else { continue };
        let file = &docs.files[f];
        let endpoint = &file.endpoints[e];
        let place = |line: usize| format!("{}:{line}", file.rel);
        let request = op.request.as_ref().filter(|schema| shape(&spec.doc, schema).object);
        let request_shape = request.map(|schema| shape(&spec.doc, schema));
        let request_label = request_shape.as_ref().and_then(|s| s.name.clone()).unwrap_or_else(|| format!("{} request", op.id));
        let is_param = |name: &str| op.query.iter().any(|q| q == name) || op.path_params.iter().any(|p| p == name);

        // Objects nested in the request body: a list may describe the items of a bulk request.
        let mut nested = Vec::new();
        if let Some(schema) = request {
            nested_objects(&spec.doc, schema, &request_label, 0, &mut nested);
        }
        for listed in &endpoint.params {
            let name = listed.name.as_str();
            if is_param(name) {
                continue;
            }
            let in_nested = nested.iter().find_map(|(schema, label)| {
                shape(&spec.doc, schema).property(name).map(|(property, _)| (label.clone(), property.to_string()))
            });
            match &request_shape {
                Some(shape) if shape.property(name).is_some() => {
                    let property = shape.property(name).map(|(p, _)| p.to_string()).unwrap_or_default();
                    fields.seen(&request_label, &property);
                }
                Some(shape) if shape.open || shape.variants => {}
                Some(_) if in_nested.is_some() => {
                    let (label, property) = in_nested.unwrap_or_default();
                    fields.seen(&label, &property);
                }
                Some(_) => report.fields.push(format!(
                    "{}: `{name}`, listed in the docs ({}), is neither a field of the request body {request_label} nor a parameter",
                    op.label(),
                    place(listed.line)
                )),
                None => report.params.push(format!(
                    "{}: `{name}`, listed in the docs ({}), is not a parameter of the operation",
                    op.label(),
                    place(listed.line)
                )),
            }
        }
        if let Some(shape) = &request_shape {
            if !endpoint.params.is_empty() {
                fields.visit(&request_label, shape, &file.rel);
            }
        }
        for curl in &endpoint.curls {
            for name in &curl.query {
                if !is_param(name) {
                    report.params.push(format!(
                        "{}: query parameter `{name}` of the docs' curl example ({}) is not a parameter of the operation",
                        op.label(),
                        place(curl.line)
                    ));
                }
            }
            let Some(body) = &curl.body else { continue };
            if curl.method != op.method && endpoint.curls.iter().any(|c| c.method == op.method) {
                continue;
            }
            match request {
                Some(schema) => {
                    let mut walk = Walk::default();
                    walk_top(&spec.doc, body, schema, &request_label, &mut walk);
                    fields.merge(walk, &op.label(), &place(curl.line), "request body", &mut report.fields, &file.rel, true);
                }
                None => {
                    if let Json::Object(keys) = body {
                        let keys: Vec<_> = keys.iter().map(|(k, _)| format!("`{k}`")).collect();
                        report.fields.push(format!(
                            "{}: the docs' curl example ({}) sends a JSON body ({}), the operation has none",
                            op.label(),
                            place(curl.line),
                            keys.join(", ")
                        ));
                    }
                }
            }
        }
        for name in &op.query {
            if !GLOBAL_PARAMS.contains(&name.as_str()) && !mentions(&endpoint.text, name) {
                report.params.push(format!(
                    "{} [spec line {}]: query parameter `{name}` is not mentioned in the docs' section {} ({})",
                    op.label(),
                    op.line,
                    endpoint.heading(),
                    place(endpoint.line)
                ));
            }
        }
        for example in &endpoint.examples {
            let mut candidates: Vec<(&Value, String)> = Vec::new();
            if let Some(response) = &op.response {
                candidates.push((response, format!("{} response", op.id)));
            }
            if let Some(request) = request {
                candidates.push((request, request_label.clone()));
            }
            for (schema, label) in candidates.clone() {
                nested_objects(&spec.doc, schema, &label, 0, &mut candidates);
            }
            if let Some((walk, _)) = best_fit(&spec.doc, &example.json, &candidates) {
                fields.merge(walk, &op.label(), &place(example.line), "example", &mut report.fields, &file.rel, false);
            }
        }
    }

    // The entity examples ("Attributes") of each file, against the responses of its operations.
    for file in &docs.files {
        if file.entity_examples.is_empty() {
            continue;
        }
        let ops: Vec<&Op> = spec.ops.iter().filter(|op| op.docs_file.as_deref() == Some(file.rel.as_str())).collect();
        let mut candidates: Vec<(&Value, String)> = Vec::new();
        let mut names = BTreeSet::new();
        for op in &ops {
            if let Some(response) = &op.response {
                let schema = entity(&spec.doc, response);
                let label = shape(&spec.doc, schema).name.unwrap_or_else(|| format!("{} response", op.id));
                if names.insert(label.clone()) {
                    candidates.push((schema, label));
                }
            }
        }
        // Then the objects nested in them: the docs show some (a planning entry's deal) apart.
        for (schema, label) in candidates.clone() {
            nested_objects(&spec.doc, schema, &label, 1, &mut candidates);
        }
        for example in &file.entity_examples {
            if let Some((walk, index)) = best_fit(&spec.doc, &example.json, &candidates) {
                let subject = format!("{} (entity example)", candidates[index].1);
                let place = format!("{}:{}", file.rel, example.line);
                fields.merge(walk, &subject, &place, "entity example", &mut report.fields, &file.rel, false);
            }
        }
    }

    // The reverse: properties of the schemas the docs showed that the docs do not show.
    let mut sent: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for file in &docs.files {
        let names = sent.entry(file.rel.as_str()).or_default();
        for endpoint in &file.endpoints {
            names.extend(endpoint.params.iter().map(|p| p.name.clone()));
            names.extend(endpoint.nested_params.iter().cloned());
            for body in endpoint.curls.iter().filter_map(|c| c.body.as_ref()) {
                keys(body, names);
            }
        }
    }
    for (label, visit) in &fields.visited {
        if visit.variants {
            continue;
        }
        let seen = fields.seen.get(label);
        let request = fields.requests.contains(label);
        for property in &visit.properties {
            if seen.is_some_and(|s| s.contains(property)) {
                continue;
            }
            if request && visit.files.iter().any(|rel| sent.get(rel.as_str()).is_some_and(|names| names.contains(property))) {
                continue;
            }
            let mentioned = visit.files.iter().any(|rel| docs.file(rel).is_some_and(|f| mentions(&f.text, property)));
            if mentioned {
                report.prose_only.entry(label.clone()).or_default().insert(property.clone());
            } else {
                let files: Vec<_> = visit.files.iter().map(String::as_str).collect();
                report.fields.push(format!("schema {label}: property `{property}` appears nowhere in the docs ({})", files.join(", ")));
            }
        }
    }
    for list in [&mut report.missing, &mut report.removed, &mut report.params, &mut report.fields] {
        let mut seen = BTreeSet::new();
        list.retain(|line| seen.insert(line.clone()));
    }
    report
}

/// Every key of a JSON example, at any depth.
fn keys(json: &Json, out: &mut BTreeSet<String>) {
    match json {
        Json::Object(fields) => {
            for (key, value) in fields {
                out.insert(key.clone());
                keys(value, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|item| keys(item, out)),
        Json::Null | Json::Scalar => {}
    }
}

/// The object schemas nested in a schema (properties and array items), with their labels.
fn nested_objects<'a>(doc: &'a Value, schema: &'a Value, label: &str, depth: usize, out: &mut Vec<(&'a Value, String)>) {
    if depth > 4 {
        return;
    }
    if let Some(item) = items(doc, schema) {
        let label = format!("{label}[]");
        if depth > 0 && shape(doc, item).object {
            out.push((item, label.clone()));
        }
        nested_objects(doc, item, &label, depth + 1, out);
        return;
    }
    let outer = shape(doc, schema);
    let base = outer.name.clone().unwrap_or_else(|| label.to_string());
    for (key, property) in &outer.properties {
        let label = format!("{base}.{key}");
        let inner = shape(doc, property);
        if inner.object || items(doc, property).is_some() {
            if inner.object && !inner.open {
                out.push((*property, inner.name.clone().unwrap_or_else(|| label.clone())));
            }
            nested_objects(doc, property, &label, depth + 1, out);
        }
    }
}

/// Walks the example against each candidate and keeps the best fit: the fewest keys the schema
/// lacks, then the most keys it has. Returns the walk and the candidate's index.
fn best_fit(doc: &Value, json: &Json, candidates: &[(&Value, String)]) -> Option<(Walk, usize)> {
    let mut best: Option<(Walk, usize)> = None;
    for (index, (schema, label)) in candidates.iter().enumerate() {
        let mut walk = Walk::default();
        walk_top(doc, json, schema, label, &mut walk);
        if walk.matched == 0 && walk.missing.is_empty() {
            continue;
        }
        let better = match &best {
            None => true,
            Some((b, _)) => (walk.missing.len(), std::cmp::Reverse(walk.matched)) < (b.missing.len(), std::cmp::Reverse(b.matched)),
        };
        if better {
            best = Some((walk, index));
        }
    }
    best
}

/// What walking one example against one schema found.
#[derive(Default)]
struct Walk {
    /// (schema label, key) the schema lacks.
    missing: Vec<(String, String)>,
    /// (schema label, key) the schema has.
    seen: Vec<(String, String)>,
    /// Object schemas the example showed: label → (properties, variants).
    visited: Vec<(String, Vec<String>, bool)>,
    matched: usize,
}

/// An example against a schema, where a list's example may show one entity or a list of them.
fn walk_top(doc: &Value, json: &Json, schema: &Value, label: &str, walk: &mut Walk) {
    let is_array = items(doc, schema).is_some();
    match json {
        Json::Array(elements) if !is_array => {
            for element in elements {
                walk_json(doc, element, schema, label, walk);
            }
        }
        Json::Object(_) if is_array => {
            if let Some(item) = items(doc, schema) {
                walk_json(doc, json, item, &format!("{label}[]"), walk);
            }
        }
        _ => walk_json(doc, json, schema, label, walk),
    }
}

fn walk_json(doc: &Value, json: &Json, schema: &Value, label: &str, walk: &mut Walk) {
    match json {
        Json::Object(fields) => {
            let shape = shape(doc, schema);
            if !shape.object {
                return;
            }
            if shape.open && shape.properties.is_empty() {
                return;
            }
            let label = shape.name.clone().unwrap_or_else(|| label.to_string());
            walk.visited.push((label.clone(), documented(&shape), shape.variants));
            for (key, value) in fields {
                match shape.property(key) {
                    Some((name, property)) => {
                        walk.matched += 1;
                        walk.seen.push((label.clone(), name.to_string()));
                        walk_json(doc, value, property, &format!("{label}.{name}"), walk);
                    }
                    None if shape.open => {}
                    None => walk.missing.push((label.clone(), key.clone())),
                }
            }
        }
        Json::Array(elements) => {
            if let Some(item) = items(doc, schema) {
                for element in elements {
                    walk_json(doc, element, item, &format!("{label}[]"), walk);
                }
            }
        }
        Json::Null | Json::Scalar => {}
    }
}

/// The properties the docs should show: all but those marked `x-not-in-docs`.
fn documented(shape: &Shape) -> Vec<String> {
    shape.properties.keys().filter(|p| !shape.not_in_docs.contains(*p)).cloned().collect()
}

struct Visit {
    properties: BTreeSet<String>,
    variants: bool,
    /// The docs files whose examples or lists showed the schema.
    files: BTreeSet<String>,
}

/// Fields seen in the docs, per schema label, across all examples.
#[derive(Default)]
struct Fields {
    visited: BTreeMap<String, Visit>,
    seen: BTreeMap<String, BTreeSet<String>>,
    /// Labels of request schemas: a parameter list or curl body elsewhere in the file shows
    /// their properties (the docs describe an update as "analogous to the POST request").
    requests: BTreeSet<String>,
}

impl Fields {
    fn visit(&mut self, label: &str, shape: &Shape, rel: &str) {
        self.requests.insert(label.to_string());
        self.visit_names(label, documented(shape), shape.variants || shape.open, rel);
    }

    fn visit_names(&mut self, label: &str, properties: Vec<String>, variants: bool, rel: &str) {
        let visit = self.visited.entry(label.to_string()).or_insert_with(|| Visit {
            properties: BTreeSet::new(),
            variants: false,
            files: BTreeSet::new(),
        });
        visit.properties.extend(properties);
        visit.variants |= variants;
        visit.files.insert(rel.to_string());
    }

    fn seen(&mut self, label: &str, key: &str) {
        self.seen.entry(label.to_string()).or_default().insert(key.to_string());
    }

    #[allow(clippy::too_many_arguments)]
    fn merge(&mut self, walk: Walk, subject: &str, place: &str, what: &str, findings: &mut Vec<String>, rel: &str, request: bool) {
        for (label, properties, variants) in walk.visited {
            if request {
                self.requests.insert(label.clone());
            }
            self.visit_names(&label, properties, variants, rel);
        }
        for (label, key) in walk.seen {
            self.seen(&label, &key);
        }
        for (label, key) in walk.missing {
            findings.push(format!("{subject}: field `{key}` of the docs' {what} ({place}) is not a property of {label}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_with_placeholders_equal() {
        assert!(path_matches("/invoices/payments/{id}", "invoices/payments/{id}", false));
        assert!(path_matches("/projects/{project_id}/tasks/{id}", "/projects/{id}/tasks/{id}", false));
        assert!(path_matches("/invoices/{id}.pdf", "/invoices/{invoice_id}.pdf", false));
        assert!(!path_matches("/projects/{id}", "/projects/assigned", false));
        assert!(!path_matches("/projects/{id}", "/projects/assigned", true));
        assert!(!path_matches("/projects/assigned", "/projects/{id}", true));
        assert!(path_matches("/taggings/{entity}/{entity_id}", "/taggings/Project/357", true));
        assert!(path_matches("/invoices/{id}.pdf", "/invoices/123.pdf", true));
        assert!(!path_matches("/invoices/{id}", "/invoices", true));
    }

    #[test]
    fn words_are_whole() {
        assert!(mentions("- **from** – date", "from"));
        assert!(mentions("`date_from`", "date_from"));
        assert!(!mentions("`date_from`", "from"));
        assert!(!mentions("fromage", "from"));
    }
}
