//! The Rust client's view of an operation, as the codegen (`codegen/src/`) shapes it: the method
//! is the `operationId`, required path parameters are its arguments in path order, every other
//! parameter is a setter, a JSON body is set with `.body(..)` or `.body_map(|b| ..)`, and the
//! call ends in `.send().await?` (or `.stream()` for a paginated list).

use serde_norway::Value;

use super::spec::{schema_ref_name, text, Operation, Param, Spec};

/// Wire names that are Rust keywords, and the name the codegen gives them. Keep in step with
/// `RENAMES` in codegen/src/surface.rs (a test compares the two).
pub const RENAMES: &[(&str, &str)] = &[("type", "kind"), ("extern", "external"), ("override", "override_time")];

/// The Rust name of a parameter or field: snake case (`X-IMPERSONATE-USER-ID` →
/// `x_impersonate_user_id`), with keywords renamed.
pub fn ident(wire: &str) -> String {
    let mut out = String::new();
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match RENAMES.iter().find(|(from, _)| *from == out) {
        Some((_, to)) => to.to_string(),
        None => out,
    }
}

/// Component schemas the codegen replaces with a hand-written type (codegen/src/generate.rs,
/// `with_replacement`; a test compares the two).
pub const REPLACED: &[(&str, &str)] = &[("CustomProperties", "mocoapp::CustomFields"), ("CustomPropertiesInput", "mocoapp::CustomFields")];

/// The Rust type of a component schema, as a user names it.
pub fn type_path(name: &str) -> String {
    match REPLACED.iter().find(|(n, _)| *n == name) {
        Some((_, rust)) => rust.to_string(),
        None => format!("types::{name}"),
    }
}

// The generated code's own naming rule (not a copy of it).
#[path = "../../../codegen/src/naming.rs"]
mod naming;
pub use naming::pascal_case;

/// `ProjectTask` → `project_task`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn plural(word: &str) -> String {
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if word.ends_with('y') && !word.ends_with("ay") && !word.ends_with("ey") && !word.ends_with("oy") {
        format!("{}ies", &word[..word.len() - 1])
    } else {
        format!("{word}s")
    }
}

/// What a successful call returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// No body (`()`).
    Nothing,
    /// A file (`Vec<u8>`).
    File,
    /// A component schema.
    Named(String),
    /// An array of a component schema.
    List(String),
    /// A body without a component name (an inline schema).
    Inline { list: bool },
}

/// The success answer of an operation.
pub fn answer(spec: &Spec, op: &Operation<'_>) -> Answer {
    let mut found = Answer::Nothing;
    for (code, response) in &op.responses {
        if !code.starts_with('2') {
            continue;
        }
        let Some(content) = response.get("content").and_then(Value::as_mapping) else { continue };
        let Some((media, body)) = content.iter().next() else { continue };
        if media.as_str() != Some("application/json") {
            return Answer::File;
        }
        let Some(schema) = body.get("schema") else { continue };
        found = match schema_ref_name(schema) {
            Some(name) => Answer::Named(name.to_string()),
            None => {
                let schema = spec.resolve(schema);
                match (text(schema, "type"), schema.get("items")) {
                    (Some("array"), Some(items)) => match schema_ref_name(items) {
                        Some(name) => Answer::List(name.to_string()),
                        None => Answer::Inline { list: true },
                    },
                    _ => Answer::Inline { list: false },
                }
            }
        };
        break;
    }
    found
}

/// A paginated list: a `page` parameter and an array answer (codegen/src/wrap.rs).
pub fn is_paginated(spec: &Spec, op: &Operation<'_>) -> bool {
    op.params.iter().any(|p| p.name == "page" && p.location == "query")
        && matches!(answer(spec, op), Answer::List(_) | Answer::Inline { list: true })
}

/// The multipart upload (hand-written in src/uploads.rs: path arguments, then file name and
/// content).
pub fn is_upload(op: &Operation<'_>) -> bool {
    op.body.and_then(|b| b.get("content")).and_then(Value::as_mapping).is_some_and(|c| c.contains_key("multipart/form-data"))
}

/// The Rust column of a parameter row.
pub fn param_usage(param: &Param<'_>) -> String {
    if param.location == "path" {
        return format!("argument `{}`", ident(&param.name));
    }
    if param.is_deep_object() && param.name == "custom_properties" {
        return "`client.filter_custom_fields(&fields)`".to_string();
    }
    let value = if param.is_comma_list() { "[..]" } else { ".." };
    format!("`.{}({value})`", ident(&param.name))
}

/// The JSON body's schema and its component name.
fn json_body<'a>(spec: &'a Spec, op: &Operation<'a>) -> Option<(&'a Value, Option<&'a str>)> {
    let schema = op.body?.get("content")?.get("application/json")?.get("schema")?;
    Some((spec.resolve(schema), schema_ref_name(schema)))
}

/// The call as a user writes it, and a sentence on what it returns.
pub fn call(spec: &Spec, op: &Operation<'_>) -> (String, String) {
    let arguments: Vec<String> = op.params.iter().filter(|p| p.location == "path").map(|p| ident(&p.name)).collect();
    let mut args = arguments.clone();
    if is_upload(op) {
        args.extend(["file_name".to_string(), "content".to_string()]);
    }
    // An alias has no method of its own: the update it repeats is called.
    let method = op.alias_of.as_deref().unwrap_or(&op.id);
    let mut chain = vec![format!("{method}({})", args.join(", "))];
    let required_query: Vec<&Param<'_>> = op.params.iter().filter(|p| p.location != "path" && p.required).collect();
    for param in &required_query {
        chain.push(setter(param));
    }
    // One optional filter, for the shape of a call with setters: the operation's first own
    // comma-separated filter (the shared ones, `ids` and `tags`, are left for the table).
    let mut optional_shown = None;
    if required_query.is_empty() {
        let own = |p: &&Param<'_>| p.location == "query" && !p.required && !COMMON.contains(&p.name.as_str()) && p.is_comma_list();
        if let Some(param) = op.params.iter().find(own) {
            chain.push(setter(param));
            optional_shown = Some(ident(&param.name));
        }
    }
    let mut required_body: Vec<String> = Vec::new();
    if !is_upload(op) {
        if let Some((schema, _)) = json_body(spec, op) {
            required_body = schema
                .get("required")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let shown: Vec<String> = if required_body.is_empty() {
                schema
                    .get("properties")
                    .and_then(Value::as_mapping)
                    .and_then(|p| p.keys().next())
                    .and_then(Value::as_str)
                    .map(|f| vec![f.to_string()])
                    .unwrap_or_default()
            } else {
                required_body.clone()
            };
            let setters: String = shown.iter().map(|f| format!(".{}(..)", ident(f))).collect();
            chain.push(format!("body_map(|b| b{setters})"));
        }
    }
    let paginated = is_paginated(spec, op);
    let answer = answer(spec, op);
    chain.push(if paginated { "stream()".to_string() } else { "send().await?".to_string() });
    let binding = match (&answer, paginated) {
        (_, true) => match &answer {
            Answer::List(name) => format!("let mut {} = ", plural(&snake_case(name))),
            _ => "let mut items = ".to_string(),
        },
        (Answer::Nothing, _) => String::new(),
        (Answer::File, _) => "let file = ".to_string(),
        (Answer::Named(name), _) => format!("let {} = ", snake_case(name)),
        (Answer::List(name), _) => format!("let {} = ", plural(&snake_case(name))),
        (Answer::Inline { list: true }, _) => "let items = ".to_string(),
        (Answer::Inline { list: false }, _) => "let answer = ".to_string(),
    };
    let one_line = format!("{binding}client.{};", chain.join("."));
    let code = if one_line.len() <= 96 {
        one_line
    } else {
        let mut code = format!("{binding}client");
        for link in &chain {
            code.push_str(&format!("\n    .{link}"));
        }
        code.push(';');
        code
    };

    let mut notes: Vec<String> = Vec::new();
    let type_name = |name: &str| format!("`{}`", type_path(name));
    notes.push(match (&answer, paginated) {
        (Answer::List(name), true) => format!(
            "`.stream()` yields every {} across all pages; `.send().await?` returns one page (`Vec<{}>`), `.pages()` the pages with their totals.",
            type_name(name),
            type_path(name)
        ),
        (_, true) => "`.stream()` yields every item across all pages; `.send().await?` returns one page.".to_string(),
        (Answer::Nothing, _) => "Returns `()`: the answer has no body.".to_string(),
        (Answer::File, _) => "Returns the file's bytes (`Vec<u8>`); `.send_with_response()` streams it instead.".to_string(),
        (Answer::Named(name), _) => format!("Returns {}.", type_name(name)),
        (Answer::List(name), _) => format!("Returns `Vec<{}>`.", type_path(name)),
        (Answer::Inline { list: true }, _) => "Returns a `Vec` of the items described below.".to_string(),
        (Answer::Inline { list: false }, _) => "Returns the answer described below.".to_string(),
    });
    if let Some(name) = optional_shown {
        notes.push(format!("`.{name}(..)` is optional, like every parameter not marked required below."));
    }
    if !arguments.is_empty() {
        notes.push(format!(
            "Path parameters are the arguments ({}).",
            arguments.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if is_upload(op) {
        notes.push("The body is a `multipart/form-data` upload: pass the file's name and its bytes.".to_string());
    }
    if !required_query.is_empty() {
        let names: Vec<String> = required_query.iter().map(|p| format!("`.{}(..)`", ident(&p.name))).collect();
        notes.push(format!("Required query parameters (checked before sending): {}.", names.join(", ")));
    }
    if !required_body.is_empty() {
        let names: Vec<String> = required_body.iter().map(|f| format!("`{}`", ident(f))).collect();
        notes.push(format!("Required body fields (checked before sending): {}.", names.join(", ")));
    } else if json_body(spec, op).is_some() && !is_upload(op) {
        notes.push("Every body field is optional.".to_string());
    }
    if let Some((_, Some(name))) = json_body(spec, op) {
        notes.push(format!("`.body(types::{name} {{ .. }})` sets the whole body at once."));
    }
    (code, notes.join(" "))
}

/// Parameters shared by most lists (`components/parameters`), not picked as the example setter.
const COMMON: &[&str] = &["page", "per_page", "sort_by", "updated_after", "ids", "tags", "X-IMPERSONATE-USER-ID"];

fn setter(param: &Param<'_>) -> String {
    let value = if param.is_comma_list() { "[..]" } else { ".." };
    format!("{}({value})", ident(&param.name))
}
