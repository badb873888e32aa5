//! The command line against the spec: every operation has its subcommand, with the spec's path
//! parameters, query parameters and body, and every subcommand parses. Read from
//! `openapi/moco.yaml` itself, not from the generated table.

use std::collections::BTreeSet;

use clap::Command;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/moco.yaml")).unwrap();
    serde_norway::from_str(&text).unwrap()
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap(),
        None => value,
    }
}

fn kebab(name: &str) -> String {
    name.replace('_', "-").to_ascii_lowercase()
}

/// `(path, method, operation)` for every operation of the spec.
fn operations(spec: &Value) -> Vec<(String, &'static str, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let mut op = op.clone();
                let shared = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
                let own = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
                op["parameters"] = Value::Array(shared.into_iter().chain(own).collect());
                out.push((path.clone(), method, op));
            }
        }
    }
    out
}

#[test]
fn the_command_line_is_consistent() {
    mocoapp_cli::command().debug_assert();
}

#[test]
fn every_operation_of_the_spec_has_its_subcommand_with_its_parameters_and_body() {
    let spec = spec();
    let command = mocoapp_cli::command();
    let operations = operations(&spec);
    assert!(operations.len() > 300, "the spec has {} operations", operations.len());
    let mut covered = BTreeSet::new();
    for (path, method, op) in &operations {
        let id = op["operationId"].as_str().unwrap();
        let sub = command.find_subcommand(kebab(id)).unwrap_or_else(|| panic!("no subcommand for {id} ({method} {path})"));
        covered.insert(sub.get_name().to_string());
        if let Some(of) = op.get("x-alias-of").and_then(Value::as_str) {
            // A PUT/PATCH variant of an update names the update's subcommand (one client method).
            assert_eq!(sub.get_name(), kebab(of), "{id} is an alias of {of}");
            continue;
        }
        assert_eq!(sub.get_name(), kebab(id));
        let summary = op["summary"].as_str().unwrap();
        assert_eq!(sub.get_about().map(|a| a.to_string()).as_deref(), Some(summary), "{id}: the summary is the help");
        let long = sub.get_long_about().map(|a| a.to_string()).unwrap_or_default();
        assert!(long.contains(&format!("{} {path}", method.to_uppercase())), "{id}: the long help names the request: {long}");

        let mut expected_positionals = Vec::new();
        for param in op["parameters"].as_array().unwrap() {
            let param = resolve(&spec, param);
            let name = param["name"].as_str().unwrap();
            let arg = sub.get_arguments().find(|a| a.get_id() == name);
            match param["in"].as_str().unwrap() {
                "path" => {
                    let arg = arg.unwrap_or_else(|| panic!("{id}: no argument for the path parameter {name}"));
                    assert!(arg.is_positional() && arg.is_required_set(), "{id}: {name} is a required positional");
                    let at = path.find(&format!("{{{name}}}")).unwrap();
                    expected_positionals.push((at, name.to_string()));
                }
                "query" if param.get("style").and_then(Value::as_str) == Some("deepObject") => {
                    assert!(sub.get_arguments().any(|a| a.get_id() == "custom-field"), "{id}: --custom-field for {name}");
                }
                "query" => {
                    let arg = arg.unwrap_or_else(|| panic!("{id}: no flag for the query parameter {name}"));
                    assert_eq!(arg.get_long(), Some(kebab(name).as_str()), "{id}: the flag of {name}");
                    let required = param.get("required") == Some(&Value::Bool(true));
                    assert_eq!(arg.is_required_set(), required, "{id}: --{} required as the spec says", kebab(name));
                    let schema = resolve(&spec, &param["schema"]);
                    let values = match schema.get("items") {
                        Some(items) => resolve(&spec, items).get("enum"),
                        None => schema.get("enum"),
                    };
                    if let Some(values) = values.and_then(Value::as_array) {
                        let mut offered: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
                        let mut wanted: Vec<String> =
                            values.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect();
                        offered.sort();
                        wanted.sort();
                        assert_eq!(offered, wanted, "{id}: --{} offers the spec's values", kebab(name));
                    }
                }
                "header" => assert_eq!(name, "X-IMPERSONATE-USER-ID", "{id}: the only header parameter is the global --impersonate"),
                other => panic!("{id}: a parameter in {other}"),
            }
        }
        expected_positionals.sort();
        let positionals: Vec<String> = sub.get_positionals().map(|a| a.get_id().to_string()).collect();
        let expected: Vec<String> = expected_positionals.into_iter().map(|(_, n)| n).collect();
        assert_eq!(positionals, expected, "{id}: path parameters in path order");

        let body = op.get("requestBody").map(|b| resolve(&spec, b));
        let multipart = body.and_then(|b| b.pointer("/content/multipart~1form-data"));
        match (body, multipart) {
            (None, _) => assert!(!sub.get_arguments().any(|a| a.get_id() == "json-body"), "{id}: no body"),
            (Some(_), Some(_)) => assert!(sub.get_arguments().any(|a| a.get_id() == "file" && a.is_required_set()), "{id}: --file"),
            (Some(body), None) => {
                let arg = sub.get_arguments().find(|a| a.get_id() == "json-body").unwrap_or_else(|| panic!("{id}: --json-body"));
                assert_eq!(
                    arg.is_required_set(),
                    body.get("required") == Some(&Value::Bool(true)),
                    "{id}: --json-body required as the spec says"
                );
            }
        }
        let pdf = op["responses"].as_object().unwrap().values().any(|r| resolve(&spec, r).pointer("/content/application~1pdf").is_some());
        assert_eq!(sub.get_arguments().any(|a| a.get_id() == "output"), pdf, "{id}: --output for downloads only");
        let paged = op["parameters"].as_array().unwrap().iter().any(|p| resolve(&spec, p)["name"] == "page");
        assert_eq!(sub.get_arguments().any(|a| a.get_id() == "all"), paged, "{id}: --all for paged lists only");
    }
    // And nothing but the spec's operations (and the two commands of the tool itself).
    let extra: Vec<&str> =
        command.get_subcommands().map(Command::get_name).filter(|n| !covered.contains(*n) && !["api", "completions"].contains(n)).collect();
    assert!(extra.is_empty(), "subcommands for no operation of the spec: {extra:?}");
}

/// A value clap accepts for an argument.
fn sample(arg: &clap::Arg) -> String {
    if let Some(value) = arg.get_possible_values().first() {
        return value.get_name().to_string();
    }
    let name = arg.get_value_names().and_then(|n| n.first()).map(|n| n.to_string()).unwrap_or_default();
    match name.as_str() {
        "YYYY-MM-DD" => "2024-05-31".into(),
        "TIMESTAMP" => "2024-05-31T12:00:00Z".into(),
        "FILE" => "body.json".into(),
        "TEXT" | "TEXT,..." => "text".into(),
        _ => "1".into(),
    }
}

#[test]
fn every_subcommand_parses_with_its_required_arguments_and_every_flag() {
    let command = mocoapp_cli::command();
    for sub in command.get_subcommands() {
        let mut minimal = vec!["moco".to_string(), sub.get_name().to_string()];
        let mut full = minimal.clone();
        for arg in sub.get_arguments().filter(|a| !a.is_global_set()) {
            let value = sample(arg);
            let words = match (arg.is_positional(), arg.get_long(), arg.get_num_args().is_some_and(|n| n.min_values() == 0)) {
                (true, _, _) => vec![value],
                (false, Some(long), true) => vec![format!("--{long}")],
                (false, Some(long), false) if matches!(arg.get_action(), clap::ArgAction::SetTrue) => vec![format!("--{long}")],
                (false, Some(long), false) => vec![format!("--{long}"), value],
                (false, None, _) => continue,
            };
            if arg.is_required_set() {
                minimal.extend(words.clone());
            }
            full.extend(words);
        }
        for argv in [&minimal, &full] {
            if let Err(e) = mocoapp_cli::command().try_get_matches_from(argv) {
                panic!("{argv:?} does not parse: {e}");
            }
        }
    }
}

#[test]
fn typed_flags_refuse_what_the_client_would_not_send() {
    let parse = |args: &[&str]| mocoapp_cli::command().try_get_matches_from(std::iter::once("moco").chain(args.iter().copied()));
    assert!(parse(&["list-projects", "--company-id", "1,2", "--per-page", "200"]).is_ok());
    assert!(parse(&["list-projects", "--company-id", "1,x"]).is_err(), "ids are integers");
    assert!(parse(&["list-projects", "--created-from", "31.05.2024"]).is_err(), "dates are YYYY-MM-DD");
    assert!(parse(&["list-companies", "--type", "friend"]).is_err(), "only the spec's values");
    assert!(parse(&["list-invoices", "--status", "paid,sent"]).is_ok());
    assert!(parse(&["get-project"]).is_err(), "the id is required");
    assert!(parse(&["get-project", "abc"]).is_err(), "the id is an integer");
    assert!(parse(&["create-activity"]).is_err(), "the body is required");
}
