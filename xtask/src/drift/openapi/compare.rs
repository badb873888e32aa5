//! Compares the spec with another OpenAPI description, both ways.
//!
//! **Operations** match by method and path, with every `{placeholder}` equal to any other and
//! trailing slashes ignored (`.pdf` stays part of the path, as in the docs drift). What matches
//! nothing is missing from the other document.
//!
//! **Per matched operation:**
//! - *parameters*: path parameters by position (their types), query parameters by name (only in
//!   one document; type, `required`, known values). A comma-separated list of ours
//!   (`type: array`, `style: form`, `explode: false`) equals a plain item or string parameter.
//!   The docs' global filters ([`GLOBAL_FILTERS`]) only the spec has are no findings;
//! - *request body*: present in both, the same media type, and field by field (`fields.rs`):
//!   only in one document, type, `required`, known values. A description without a `required`
//!   list says nothing about what is optional;
//! - *success status codes* (2xx and 3xx): a code the other description answers that the spec
//!   lacks. The spec's extra codes are its conventions (creates `200` and `201`, deletes `200`
//!   and `204`), not findings;
//! - *response body* of the first success response with JSON: present in both, field by field:
//!   only in one document, type, known values; and where the spec is stricter than the other
//!   description says MOCO is (a field it requires that is optional there, a field that is
//!   nullable there and not in the spec), since a client built from the spec would then reject
//!   a real answer. The spec's own leniency (nullable, optional fields) is not a finding.
//!
//! **Known values.** Every value the other description lists must be one the spec knows; in a
//! request or parameter (a closed enum) the spec must not send values the other side does not
//! list either. An enum only the spec has is no finding: MOCO's docs name the values.
//!
//! **Fields.** A field only one document has is reported at its top (not again for what is below
//! it), and not at all below an object the other document leaves free-form (no properties) or
//! below a value that cannot have fields there (an answer of ids). The fields that only another
//! form of an object has (an `anyOf`/`oneOf` of the reference and the full entity) are one
//! finding for that object.
//!
//! Types compare as `types.rs` reduces them. A finding on a property of a named schema is one
//! finding for all the operations that share the schema ("also in ..."). Each finding has a key
//! (`query.term`, `response.customer.id`, `status.201`); a declaration (`declared.rs`) whose key
//! covers it turns it into an accepted difference.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    declared::{covers, field_key, scan, Declared},
    document::{Document, Operation, Param},
    fields::{flatten, Flat},
    types::{has_fields, same_kind, ty, Kind, Ty},
};
use crate::drift::compare::segments;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Param,
    Body,
    Response,
    Enum,
    Status,
}

impl Category {
    pub const ALL: [Category; 5] = [Category::Param, Category::Body, Category::Response, Category::Enum, Category::Status];

    pub fn name(self) -> &'static str {
        match self {
            Category::Param => "param",
            Category::Body => "body",
            Category::Response => "response",
            Category::Enum => "enum",
            Category::Status => "status",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub category: Category,
    /// What the finding is about, as a declaration names it (`response.customer.id`).
    pub key: String,
    /// `query parameter `term``, `response field `customer.id``.
    pub subject: String,
    /// The named schema and property the field belongs to (`CompanyRef.id`).
    pub owner: Option<String>,
    /// What differs.
    pub detail: String,
    /// What to do: fix, or declare (and where).
    pub todo: String,
    /// Other operations with the same finding (on the same schema property).
    pub also: Vec<String>,
    dedupe: Option<String>,
}

/// An accepted difference: the finding and the declaration that accepts it.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub finding: Finding,
    pub place: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct OpReport {
    /// `GET /projects/{id} (get_project) [spec line 512]`.
    pub label: String,
    /// The other description's summary and tag: ` "Get project" [Projects]`.
    pub official: String,
    pub findings: Vec<Finding>,
    pub accepted: Vec<Accepted>,
}

/// An operation only one document has.
#[derive(Debug, Clone)]
pub struct Missing {
    pub label: String,
    /// A note on what to do.
    pub note: String,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Operations only the other description has.
    pub only_official: Vec<Missing>,
    /// Operations only the spec has.
    pub only_spec: Vec<Missing>,
    /// Missing operations declared on purpose: (operation, place, reason).
    pub accepted_operations: Vec<(Missing, String, String)>,
    pub operations: Vec<OpReport>,
    /// Malformed declarations.
    pub invalid: Vec<String>,
    /// Declarations that accepted nothing: (place, key, reason).
    pub unused: Vec<(String, String, String)>,
    pub spec_operations: usize,
    pub official_operations: usize,
    pub matched: usize,
    /// The other description's title and version.
    pub official_title: String,
}

impl Report {
    pub fn count(&self, category: Category) -> usize {
        self.operations.iter().flat_map(|op| &op.findings).filter(|f| f.category == category).count()
    }

    pub fn findings(&self) -> usize {
        self.operations.iter().map(|op| op.findings.len()).sum::<usize>()
            + self.only_official.len()
            + self.only_spec.len()
            + self.invalid.len()
    }

    pub fn accepted(&self) -> usize {
        self.operations.iter().map(|op| op.accepted.len()).sum::<usize>() + self.accepted_operations.len()
    }
}

/// The docs' global filters: MOCO's docs give them to every list of an entity that has them,
/// and the lint's global-filter rule (with its `x-no-global-filters`) decides where the spec
/// has them, so a list of the spec that has one the other description omits is no finding.
const GLOBAL_FILTERS: [&str; 4] = ["sort_by", "updated_after", "ids", "custom_properties"];

/// The operation key: method and path segments with placeholders equal.
type OpKey = (String, Vec<String>);

fn op_key(method: &str, path: &str) -> OpKey {
    (method.to_ascii_uppercase(), segments(path))
}

pub fn compare(spec: &Document, official: &Document) -> Report {
    let (declared, invalid) = scan(&spec.doc);
    let mut used: BTreeSet<Declared> = BTreeSet::new();
    let mut report = Report {
        invalid,
        spec_operations: spec.ops.len(),
        official_operations: official.ops.len(),
        official_title: official.title.clone(),
        ..Report::default()
    };
    let place = |d: &Declared| d.place(&spec.doc);

    // Operations.
    let mut theirs: BTreeMap<OpKey, &Operation> = BTreeMap::new();
    for op in &official.ops {
        theirs.entry(op_key(&op.method, &op.path)).or_insert(op);
    }
    let mut pairs = Vec::new();
    let mut matched = BTreeSet::new();
    for ours in &spec.ops {
        let key = op_key(&ours.method, &ours.path);
        match theirs.get(&key) {
            Some(other) => {
                matched.insert(key);
                pairs.push((ours, *other));
            }
            None => {
                let note = if ours.source.as_deref() == Some("openapi") {
                    "marked `x-source: openapi`, but the official description no longer has it: check whether MOCO dropped it, then remove it (and whatever the lint then finds unused)"
                } else {
                    "check whether MOCO's docs still describe it: remove it if not, else declare it on the operation: `x-openapi-drift: {operation: <reason>}`"
                };
                let missing = Missing { label: with_line(ours), note: note.to_string() };
                match declared.iter().find(|d| d.site == ours.pointer && d.key == "operation") {
                    Some(d) => {
                        used.insert(d.clone());
                        report.accepted_operations.push((missing, place(d), d.reason.clone()));
                    }
                    None => report.only_spec.push(missing),
                }
            }
        }
    }
    for op in &official.ops {
        if matched.contains(&op_key(&op.method, &op.path)) {
            continue;
        }
        let missing = Missing {
            label: op.label(),
            note: format!(
                "add the operation (`x-source: openapi` where MOCO's docs do not describe it), or declare at the top of the spec: `x-openapi-drift: {{\"{} {}\": <reason>}}`",
                op.method, op.path
            ),
        };
        let top = declared.iter().find(|d| {
            d.site.is_empty() && d.key.split_once(' ').is_some_and(|(m, p)| op_key(m.trim(), p.trim()) == op_key(&op.method, &op.path))
        });
        match top {
            Some(d) => {
                used.insert(d.clone());
                report.accepted_operations.push((missing, place(d), d.reason.clone()));
            }
            None => report.only_official.push(missing),
        }
    }
    report.matched = pairs.len();

    // Per operation.
    let mut names: Vec<String> = Vec::new();
    for (ours, other) in pairs {
        let mut check =
            Check { spec, official, ours, declared: &declared, flat_declared: Vec::new(), out: OpReport::default(), used: &mut used };
        check.out.label = with_line(ours);
        check.out.official = other.aside();
        check.params(other);
        check.body(other);
        check.statuses(other);
        check.response(other);
        let mut out = check.out;
        for accepted in &mut out.accepted {
            accepted.finding.todo.clear();
        }
        report.operations.push(out);
        names.push(ours.short());
    }
    dedupe(&mut report.operations, &names);
    report.unused = declared.iter().filter(|d| !used.contains(*d)).map(|d| (place(d), d.key.clone(), d.reason.clone())).collect();
    report
}

fn with_line(op: &Operation) -> String {
    if op.line > 0 {
        format!("{} [spec line {}]", op.label(), op.line)
    } else {
        op.label()
    }
}

/// Keeps the first of the findings (and accepted differences) that concern the same property of
/// the same named schema, and lists the other operations in its `also`.
fn dedupe(operations: &mut [OpReport], names: &[String]) {
    let mut first: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut first_accepted: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for index in 0..operations.len() {
        let name = &names[index];
        for finding in std::mem::take(&mut operations[index].findings) {
            let key = finding.dedupe.clone();
            match key.as_ref().and_then(|key| first.get(key)) {
                Some(&(op, at)) => operations[op].findings[at].also.push(name.clone()),
                None => {
                    if let Some(key) = key {
                        first.insert(key, (index, operations[index].findings.len()));
                    }
                    operations[index].findings.push(finding);
                }
            }
        }
        for item in std::mem::take(&mut operations[index].accepted) {
            let key = item.finding.dedupe.clone();
            match key.as_ref().and_then(|key| first_accepted.get(key)) {
                Some(&(op, at)) => operations[op].accepted[at].finding.also.push(name.clone()),
                None => {
                    if let Some(key) = key {
                        first_accepted.insert(key, (index, operations[index].accepted.len()));
                    }
                    operations[index].accepted.push(item);
                }
            }
        }
    }
}

/// The names of a path's placeholders, in order.
fn placeholders(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
}

/// `` `a`, `b` `` for a message.
fn list<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    names.into_iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

/// Enum values for a message: their JSON text (`"sent", 1`).
fn list_values<'a>(values: impl IntoIterator<Item = &'a String>) -> String {
    values.into_iter().cloned().collect::<Vec<_>>().join(", ")
}

/// What differs in the known values, if anything. `sent`: the spec's values are what a client
/// sends (a request field or a parameter), so values the other side does not list matter too.
fn values(ours: &Ty, theirs: &Ty, sent: bool) -> Option<(String, String)> {
    let known = theirs.values.as_ref()?;
    let Some(ours_values) = &ours.values else {
        let open = if sent { "an enum" } else { "an open enum" };
        return Some((
            format!("the official description knows the values {}, the spec none", list_values(known)),
            format!("add them as {open}"),
        ));
    };
    let lacking: Vec<&String> = known.difference(ours_values).collect();
    let extra: Vec<&String> = if sent && !ours.open { ours_values.difference(known).collect() } else { Vec::new() };
    let mut parts = Vec::new();
    if !lacking.is_empty() {
        parts.push(format!("values only in the official description: {}", list_values(lacking.iter().copied())));
    }
    if !extra.is_empty() {
        parts.push(format!("values the spec sends that the official description does not list: {}", list_values(extra.iter().copied())));
    }
    if parts.is_empty() {
        return None;
    }
    let todo = if lacking.is_empty() { "check that MOCO takes them; remove them if not" } else { "add the values to the spec's enum" };
    Some((parts.join("; "), todo.to_string()))
}

/// One operation pair being compared.
struct Check<'a> {
    spec: &'a Document,
    official: &'a Document,
    ours: &'a Operation,
    declared: &'a [Declared],
    /// Declarations on the schemas of the section being compared: (finding key, site, key).
    flat_declared: Vec<(String, String, String)>,
    out: OpReport,
    used: &'a mut BTreeSet<Declared>,
}

impl Check<'_> {
    /// Records a finding, or an accepted difference if a declaration covers it.
    fn add(&mut self, mut finding: Finding, hint: String) {
        let on_operation = self.declared.iter().find(|d| d.site == self.ours.pointer && !d.key.is_empty() && covers(&d.key, &finding.key));
        let on_schema = || {
            self.flat_declared
                .iter()
                .filter(|(key, _, _)| covers(key, &finding.key))
                .find_map(|(_, site, key)| self.declared.iter().find(|d| &d.site == site && &d.key == key))
        };
        match on_operation.or_else(on_schema) {
            Some(d) => {
                self.used.insert(d.clone());
                self.out.accepted.push(Accepted { place: d.place(&self.spec.doc), reason: d.reason.clone(), finding });
            }
            None => {
                finding.todo = format!("{}, or declare {hint}", finding.todo);
                self.out.findings.push(finding);
            }
        }
    }

    fn add_simple(&mut self, category: Category, key: String, subject: String, detail: String, todo: &str) {
        let hint = format!("on the operation: `x-openapi-drift: {{{key}: <reason>}}`");
        let finding = Finding { category, key, subject, owner: None, detail, todo: todo.to_string(), also: Vec::new(), dedupe: None };
        self.add(finding, hint);
    }

    fn params(&mut self, other: &Operation) {
        let (doc, their_doc) = (&self.spec.doc, &self.official.doc);
        let ours = self.ours;
        for (mine, theirs) in placeholders(&ours.path).iter().zip(placeholders(&other.path)) {
            let (Some(p), Some(q)) = (param(ours, "path", mine), param(other, "path", &theirs)) else {
                continue;
            };
            let (a, b) = (ty(doc, &p.schema), ty(their_doc, &q.schema));
            if !same_kind(&a.kind, &b.kind, false) {
                let named = if *mine == theirs { String::new() } else { format!(" (`{theirs}` there)") };
                self.add_simple(
                    Category::Param,
                    format!("path.{mine}"),
                    format!("path parameter `{mine}`{named}"),
                    format!("{} in the spec, {} in the official description", a.describe(), b.describe()),
                    "correct the type",
                );
            }
        }
        let names: BTreeSet<String> =
            ours.params.iter().chain(&other.params).filter(|p| p.location == "query").map(|p| p.name.clone()).collect();
        for name in names {
            let key = format!("query.{name}");
            let subject = format!("query parameter `{name}`");
            match (param(ours, "query", &name), param(other, "query", &name)) {
                (Some(_), None) if GLOBAL_FILTERS.contains(&name.as_str()) => {}
                (Some(_), None) => self.add_simple(
                    Category::Param,
                    key,
                    subject,
                    "only in the spec".to_string(),
                    "check that MOCO still takes it (do the docs name it?) and remove it if not",
                ),
                (None, Some(q)) => {
                    let b = ty(their_doc, &q.schema);
                    let required = if q.required { "required " } else { "" };
                    self.add_simple(
                        Category::Param,
                        key,
                        subject,
                        format!("only in the official description ({required}{})", b.describe()),
                        "add it to the operation",
                    )
                }
                (Some(p), Some(q)) => {
                    let (a, b) = (ty(doc, &p.schema), ty(their_doc, &q.schema));
                    let list_of = |item: &Kind| same_kind(item, &b.kind, false) || b.kind == Kind::String;
                    let same =
                        same_kind(&a.kind, &b.kind, false) || (p.comma_list && matches!(&a.kind, Kind::Array(item) if list_of(item)));
                    if !same {
                        self.add_simple(
                            Category::Param,
                            key.clone(),
                            subject.clone(),
                            format!("{} in the spec, {} in the official description", a.describe(), b.describe()),
                            "correct the type",
                        );
                    }
                    if p.required != q.required {
                        let (yes, no) =
                            if p.required { ("the spec", "the official description") } else { ("the official description", "the spec") };
                        self.add_simple(
                            Category::Param,
                            key.clone(),
                            subject.clone(),
                            format!("required in {yes}, optional in {no}"),
                            "correct `required`",
                        );
                    }
                    if let Some((detail, todo)) = values(&a, &b, true) {
                        self.add_simple(Category::Enum, key, subject, detail, &todo);
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn body(&mut self, other: &Operation) {
        self.flat_declared.clear();
        match (&self.ours.body, &other.body) {
            (None, None) => {}
            (Some(body), None) => self.add_simple(
                Category::Body,
                "body".to_string(),
                "request body".to_string(),
                format!("only in the spec ({})", body.media),
                "check that MOCO takes it and remove it if not",
            ),
            (None, Some(body)) => {
                let flat = flatten(&self.official.doc, &body.schema, &body.pointer, body.example.as_ref());
                let top: Vec<&String> = flat.fields.keys().filter(|k| !k.contains('.') && !k.contains('[')).collect();
                self.add_simple(
                    Category::Body,
                    "body".to_string(),
                    "request body".to_string(),
                    format!("only in the official description ({}; fields {})", body.media, list(top)),
                    "add the request body",
                );
            }
            (Some(mine), Some(theirs)) => {
                if mine.media != theirs.media {
                    self.add_simple(
                        Category::Body,
                        "body".to_string(),
                        "request body".to_string(),
                        format!("{} in the spec, {} in the official description", mine.media, theirs.media),
                        "correct the media type",
                    );
                }
                let ours = flatten(&self.spec.doc, &mine.schema, &mine.pointer, mine.example.as_ref());
                let theirs = flatten(&self.official.doc, &theirs.schema, &theirs.pointer, theirs.example.as_ref());
                self.fields("body", &ours, &theirs);
            }
        }
    }

    fn statuses(&mut self, other: &Operation) {
        for (code, description) in &other.statuses {
            if !self.ours.statuses.contains_key(code) {
                let what = if description.is_empty() { String::new() } else { format!(" (\"{description}\")") };
                self.add_simple(
                    Category::Status,
                    format!("status.{code}"),
                    format!("status {code}"),
                    format!("only in the official description{what}"),
                    "add the response",
                );
            }
        }
    }

    fn response(&mut self, other: &Operation) {
        self.flat_declared.clear();
        for media in &other.response_media {
            if media != "application/json" && !self.ours.response_media.contains(media) {
                self.add_simple(
                    Category::Response,
                    "response".to_string(),
                    "response".to_string(),
                    format!("the official description answers `{media}`, the spec does not declare it"),
                    "add it to the success response",
                );
            }
        }
        match (&self.ours.response, &other.response) {
            (None, None) => {}
            (Some(mine), None) => self.add_simple(
                Category::Response,
                "response".to_string(),
                "response body".to_string(),
                format!("JSON at {} in the spec; the official description shows no body", mine.status.as_deref().unwrap_or("?")),
                "check what MOCO answers",
            ),
            (None, Some(theirs)) => {
                let flat = flatten(&self.official.doc, &theirs.schema, &theirs.pointer, theirs.example.as_ref());
                let root = flat.root.as_ref().map(Ty::describe).unwrap_or_default();
                self.add_simple(
                    Category::Response,
                    "response".to_string(),
                    "response body".to_string(),
                    format!(
                        "JSON ({root}) at {} in the official description; the spec declares no body",
                        theirs.status.as_deref().unwrap_or("?")
                    ),
                    "add the response schema",
                );
            }
            (Some(mine), Some(theirs)) => {
                let ours = flatten(&self.spec.doc, &mine.schema, &mine.pointer, mine.example.as_ref());
                let theirs = flatten(&self.official.doc, &theirs.schema, &theirs.pointer, theirs.example.as_ref());
                self.fields("response", &ours, &theirs);
            }
        }
    }

    /// Field by field; `section` is `body` (what the client sends) or `response`.
    fn fields(&mut self, section: &str, ours: &Flat, theirs: &Flat) {
        let sent = section == "body";
        let category = if sent { Category::Body } else { Category::Response };
        let what = if sent { "request body" } else { "response body" };
        self.flat_declared = ours.declared.iter().map(|(path, site, key)| (field_key(section, path), site.clone(), key.clone())).collect();
        if let (Some(a), Some(b)) = (&ours.root, &theirs.root) {
            if !same_kind(&a.kind, &b.kind, false) {
                let owner = ours.root_name.clone();
                let finding = Finding {
                    category,
                    key: section.to_string(),
                    subject: what.to_string(),
                    owner,
                    detail: format!("{} in the spec, {} in the official description", a.kind, b.kind),
                    todo: "correct the schema".to_string(),
                    also: Vec::new(),
                    dedupe: None,
                };
                self.add(finding, format!("on the operation: `x-openapi-drift: {{{section}: <reason>}}`"));
                return;
            }
            // An answer of ids (or entities, in the spec) has no fields to compare.
            if !has_fields(&a.kind) || !has_fields(&b.kind) {
                return;
            }
        }
        let mut paths: BTreeSet<&String> = ours.fields.keys().collect();
        paths.extend(theirs.fields.keys());
        let mut done: Vec<&String> = Vec::new();
        let mut forms: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for path in paths {
            if done.iter().any(|d| covers(d, path)) {
                continue;
            }
            let finding = |detail: String, todo: &str, owner: Option<(String, String)>, category: Category| Finding {
                category,
                key: field_key(section, path),
                subject: format!("{} field `{path}`", if sent { "body" } else { "response" }),
                owner: owner.as_ref().map(|(name, rel)| format!("{name}.{rel}")),
                dedupe: owner.as_ref().map(|(name, rel)| format!("{category:?}|{section}|{name}.{rel}|{detail}")),
                detail,
                todo: todo.to_string(),
                also: Vec::new(),
            };
            let hint = declare_hint(ours, section, path);
            match (ours.fields.get(path), theirs.fields.get(path)) {
                // A free-form object (or map) on one side says nothing about the fields below it.
                (Some(_), None) if theirs.free_above(path) => done.push(path),
                (None, Some(_)) if ours.free_above(path) => done.push(path),
                (Some(mine), None) => {
                    done.push(path);
                    let todo = if sent {
                        "check that MOCO still takes it (do the docs show it?) and remove it if not"
                    } else {
                        "check that MOCO still sends it (do the docs show it?) and remove it if not"
                    };
                    self.add(finding("only in the spec".to_string(), todo, mine.owner.clone(), category), hint);
                }
                // A field of another form of the object (`oneOf` the reference or the full
                // entity): one finding for the form, below.
                (None, Some(field)) if field.variant && parent_of(path).is_some_and(|(parent, _)| ours.fields.contains_key(parent)) => {
                    done.push(path);
                    if let Some((parent, name)) = parent_of(path) {
                        forms.entry(parent.to_string()).or_default().push(name.to_string());
                    }
                }
                (None, Some(field)) => {
                    done.push(path);
                    let owner = owner_of_new(ours, path);
                    let target = match parent_of(path).and_then(|(parent, _)| ours.objects.get(parent).cloned().flatten()) {
                        Some(name) => format!("add it to {name}"),
                        None => format!("add it to the {what}"),
                    };
                    let required = if sent && field.required { "required " } else { "" };
                    self.add(
                        finding(format!("only in the official description ({required}{})", field.ty.describe()), &target, owner, category),
                        hint,
                    );
                }
                (Some(mine), Some(field)) => {
                    if mine.map || field.map {
                        done.push(path);
                        continue;
                    }
                    let owner = mine.owner.clone();
                    if !same_kind(&mine.ty.kind, &field.ty.kind, field.numeric_text) {
                        done.push(path);
                        let detail = format!("{} in the spec, {} in the official description", mine.ty.describe(), field.ty.describe());
                        self.add(finding(detail, "correct the type", owner, category), hint);
                        continue;
                    }
                    if !has_fields(&mine.ty.kind) || !has_fields(&field.ty.kind) {
                        done.push(path);
                    }
                    if let Some((detail, todo)) = values(&mine.ty, &field.ty, sent) {
                        self.add(finding(detail, &todo, owner.clone(), Category::Enum), hint.clone());
                    }
                    // Their silence (no `required` list) is no statement that a field is optional.
                    if sent && mine.required != field.required && (field.required || field.stated) {
                        let (yes, no) =
                            if mine.required { ("the spec", "the official description") } else { ("the official description", "the spec") };
                        self.add(
                            finding(format!("required in {yes}, optional in {no}"), "correct `required`", owner.clone(), category),
                            hint.clone(),
                        );
                    }
                    if !sent && mine.required && !field.required && field.stated {
                        let detail = "required in the spec, optional in the official description (a client rejects an answer without it)";
                        self.add(finding(detail.to_string(), "drop it from `required`", owner.clone(), category), hint.clone());
                    }
                    if !sent && field.ty.nullable && !mine.ty.nullable {
                        let detail = "nullable in the official description, not in the spec (a strict client rejects null)";
                        self.add(finding(detail.to_string(), "make it nullable", owner, category), hint);
                    }
                }
                (None, None) => {}
            }
        }
        for (parent, names) in forms {
            let owner = ours.fields.get(&parent).and_then(|f| f.owner.clone());
            let detail = format!(
                "the official description has another form of it (an anyOf/oneOf alternative) with fields the spec lacks: {}",
                list(&names)
            );
            let finding = Finding {
                category,
                key: field_key(section, &parent),
                subject: format!("{} field `{parent}`", if sent { "body" } else { "response" }),
                owner: owner.as_ref().map(|(name, rel)| format!("{name}.{rel}")),
                dedupe: owner.as_ref().map(|(name, rel)| format!("{category:?}|{section}|{name}.{rel}|{detail}")),
                detail,
                todo: "add that form to the spec where MOCO sends it".to_string(),
                also: Vec::new(),
            };
            self.add(finding, declare_hint(ours, section, &parent));
        }
    }
}

fn param<'a>(op: &'a Operation, location: &str, name: &str) -> Option<&'a Param> {
    op.params.iter().find(|p| p.location == location && p.name == name)
}

/// The parent object path and the property name of a field path (`items[].title` gives
/// `items[]` and `title`; `id` gives `` and `id`).
fn parent_of(path: &str) -> Option<(&str, &str)> {
    match path.rfind('.') {
        Some(at) => Some((&path[..at], &path[at + 1..])),
        None if path.ends_with("[]") => None,
        None => Some(("", path)),
    }
}

/// The named schema a field only the other description has would belong to in the spec.
fn owner_of_new(ours: &Flat, path: &str) -> Option<(String, String)> {
    let (parent, name) = parent_of(path)?;
    if let Some(Some(schema)) = ours.objects.get(parent) {
        return Some((schema.clone(), name.to_string()));
    }
    let field = ours.fields.get(parent.strip_suffix("[]").unwrap_or(parent))?;
    let (schema, rel) = field.owner.clone()?;
    let items = if parent.ends_with("[]") { "[]" } else { "" };
    Some((schema, format!("{rel}{items}.{name}")))
}

/// Where to declare a difference of a field: on its named schema, else on the operation.
fn declare_hint(ours: &Flat, section: &str, path: &str) -> String {
    if let Some((parent, name)) = parent_of(path) {
        if let Some(Some(schema)) = ours.objects.get(parent) {
            return format!("on schema {schema}: `x-openapi-drift: {{{name}: <reason>}}`");
        }
    }
    format!("on the operation: `x-openapi-drift: {{{}: <reason>}}`", field_key(section, path))
}
