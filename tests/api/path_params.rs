//! A path parameter's value cannot change the path: the generated code percent-encodes every
//! path argument into one segment (progenitor's `encode_path`), but for integers, whose digits
//! and `-` need no encoding, and the spec keeps every path parameter to values that cannot carry
//! path syntax at all (integer ids, or closed enums of plain words such as `TaggableEntity`). `encode_path` escapes `/ ? # % space` and friends but
//! leaves `.` and `\` alone, so a free-text value `..` or `a\b` would still move the request
//! (URL parsing resolves dot segments and reads `\` as `/`): the spec check below is what keeps
//! such values out, and it fails the day someone adds a free-text path parameter.

use moco_fake::{FakeConfig, FakeMoco};
use mocoapp::types::TaggableEntity;
use reqwest::Method;
use serde_json::Value;

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/moco.yaml")).unwrap();
    serde_norway::from_str(&text).unwrap()
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let target = reference.trim_start_matches("#/").split('/').fold(spec, |node, part| &node[part]);
            resolve(spec, target)
        }
        None => value,
    }
}

fn plain_word(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What in the spec would let a path parameter's value change the path; returns the number of
/// path parameters checked and the problems.
fn path_parameter_problems(spec: &Value) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut problems = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        let operations = item.as_object().unwrap().iter().filter(|(k, _)| *k != "parameters");
        for (method, op) in operations {
            let own = op["parameters"].as_array().cloned().unwrap_or_default();
            let params: Vec<&Value> = shared.iter().chain(own.iter()).map(|p| resolve(spec, p)).collect();
            let in_path: Vec<&Value> = params.into_iter().filter(|p| p["in"] == "path").collect();
            // Every `{name}` of the template is a declared parameter (nothing undeclared is pasted in).
            let placeholders = path.split('/').filter(|s| s.starts_with('{')).count();
            if placeholders != in_path.len() {
                problems.push(format!("{method} {path}: placeholders and path parameters differ"));
            }
            for param in in_path {
                let name = param["name"].as_str().unwrap_or_default();
                if !path.contains(&format!("{{{name}}}")) {
                    problems.push(format!("{method} {path}: {name} is not in the path"));
                }
                let schema = resolve(spec, &param["schema"]);
                match (schema["type"].as_str(), schema["enum"].as_array()) {
                    (Some("integer"), _) => {}
                    (Some("string"), Some(values)) => {
                        for value in values.iter().map(|v| v.as_str().unwrap_or_default()).filter(|v| !plain_word(v)) {
                            problems.push(format!("{method} {path}: {name} value {value:?} is not a plain word"));
                        }
                    }
                    (Some("string"), None) => problems.push(format!(
                        "{method} {path}: path parameter {name} is free text. progenitor's encode_path lets `..` and \
                         `\\` through, so such a value could change the path: make it an enum or an integer, or \
                         encode it (and `.`/`..` segments) in the generator first"
                    )),
                    (other, _) => problems.push(format!("{method} {path}: path parameter {name} has type {other:?}")),
                }
                checked += 1;
            }
        }
    }
    (checked, problems)
}

#[test]
fn every_path_parameter_of_the_spec_is_an_integer_or_a_closed_enum_of_plain_words() {
    let spec = spec();
    let (checked, problems) = path_parameter_problems(&spec);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 100, "only {checked} path parameters found: is the spec read correctly?");

    // The check catches what it is for: a free-text path parameter, a value with path syntax.
    let mut free_text = spec.clone();
    free_text["components"]["schemas"]["TaggableEntity"].as_object_mut().unwrap().remove("enum");
    let (_, problems) = path_parameter_problems(&free_text);
    assert!(problems.iter().any(|p| p.contains("/taggings/{entity}/{entity_id}") && p.contains("free text")), "{problems:#?}");
    let mut dotted = spec.clone();
    dotted["components"]["schemas"]["TaggableEntity"]["enum"].as_array_mut().unwrap().push("..".into());
    assert!(!path_parameter_problems(&dotted).1.is_empty());
}

/// The names of the spec's path parameters that are integers wherever they occur (and never
/// anything else): the generated code formats these without `encode_path`.
fn integer_path_parameters(spec: &Value) -> Vec<String> {
    let (mut integers, mut others) = (Vec::new(), Vec::new());
    for item in spec["paths"].as_object().unwrap().values() {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for op in item.as_object().unwrap().iter().filter(|(k, _)| *k != "parameters").map(|(_, op)| op) {
            let own = op["parameters"].as_array().cloned().unwrap_or_default();
            for param in shared.iter().chain(own.iter()).map(|p| resolve(spec, p)).filter(|p| p["in"] == "path") {
                let name = param["name"].as_str().unwrap_or_default().to_string();
                let list = if resolve(spec, &param["schema"])["type"] == "integer" { &mut integers } else { &mut others };
                list.push(name);
            }
        }
    }
    integers.retain(|name| !others.contains(name));
    integers.sort();
    integers.dedup();
    integers
}

/// URLs of the generated code that paste a path argument in without `encode_path` (other than
/// an integer); returns the numbers of URLs and of encoded or integer arguments, and the
/// problems.
fn unencoded_path_arguments(code: &str, integers: &[String]) -> (usize, usize, Vec<String>) {
    let (mut urls, mut arguments, mut problems) = (0, 0, Vec::new());
    for (start, _) in code.match_indices("let url = format!(") {
        let call = &code[start..start + code[start..].find(");").unwrap()];
        let literal = call.split('"').nth(1).unwrap_or_default();
        let placeholders = literal.matches("{}").count();
        // The arguments after the literal: `client.baseurl`, then one per path parameter.
        let rest = call.splitn(3, '"').nth(2).unwrap_or_default();
        let args: Vec<&str> = rest.split(',').map(str::trim).filter(|a| !a.is_empty()).skip(1).collect();
        let joined = args.join(",");
        let encoded = joined.matches("encode_path(").count();
        let bare = args.iter().filter(|a| integers.iter().any(|name| name == *a)).count();
        if !literal.starts_with("{}/") || encoded + bare + 1 != placeholders {
            problems.push(call.to_string());
        }
        urls += 1;
        arguments += encoded + bare;
    }
    (urls, arguments, problems)
}

#[test]
fn every_generated_url_percent_encodes_each_path_argument() {
    let code = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated/codegen.rs")).unwrap();
    let integers = integer_path_parameters(&spec());
    assert!(integers.contains(&"id".to_string()) && !integers.contains(&"entity".to_string()), "{integers:?}");
    let (urls, arguments, problems) = unencoded_path_arguments(&code, &integers);
    assert!(problems.is_empty(), "path arguments pasted in unencoded: {problems:#?}");
    assert!(urls > 200 && arguments > 200, "{urls} URLs, {arguments} path arguments: is the generated code read correctly?");

    // The check catches a generator that stops encoding a text argument.
    let raw = code.replacen("encode_path(& entity.to_string())", "entity.to_string()", 1);
    assert_ne!(raw, code, "the taggings URL is where the check expects it");
    assert_eq!(unencoded_path_arguments(&raw, &integers).2.len(), 1);
    // and one that pastes in a text argument as it is.
    let bare = code.replacen("encode_path(& entity.to_string())", "entity", 1);
    assert_eq!(unencoded_path_arguments(&bare, &integers).2.len(), 1);
}

/// Percent-decodes one path segment.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn values_with_path_syntax_travel_as_one_segment() {
    let fake = FakeMoco::start(FakeConfig::default()).await.unwrap();
    let client = fake.client();
    // The string path parameter of the API: only its enum's values get in.
    for hostile in ["../users", "Project/../../users", "Project?x=1", "Project#x", "Pro%6aect"] {
        assert!(hostile.parse::<TaggableEntity>().is_err(), "{hostile} parses as an entity");
    }
    let project = fake.entities("/projects").unwrap()[0]["id"].as_i64().unwrap();
    client.list_taggings(TaggableEntity::Project, project).send().await.unwrap();
    let seen = fake.requests_seen();
    assert_eq!(seen.last().unwrap().path, format!("/api/v1/taggings/Project/{project}"));

    // The encoding the generated code applies to every path argument, through the client's
    // request pipeline: whatever the value, the server sees it as one segment, intact.
    let values = ["a/b", "../../account", "x?y=1", "x#frag", "100%", "%2e%2e", "%2F", "a b", "a/../b", "?", "#", "/"];
    for value in values {
        fake.clear_requests();
        let path = format!("/taggings/{}/{project}", progenitor_client::encode_path(value));
        let _ = client.request(Method::GET, &path).send::<Value>().await;
        let seen = fake.requests_seen();
        assert_eq!(seen.len(), 1, "{value:?}");
        let (path, query) = (&seen[0].path, &seen[0].query);
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        assert_eq!(segments.len(), 5, "{value:?} became {path}");
        assert_eq!(segments[..3], ["api", "v1", "taggings"], "{value:?} became {path}");
        assert_eq!(decode(segments[3]), value, "{value:?} became {path}");
        assert_eq!(segments[4], project.to_string(), "{value:?} became {path}");
        assert!(query.is_empty(), "{value:?} added a query: {query}");
    }
}
