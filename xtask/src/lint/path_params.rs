//! Rule `path-params`: a path names each `{placeholder}` once (`/projects/{project_id}/tasks/{id}`,
//! never `{id}` twice), every placeholder has a required `in: path` parameter, every path parameter
//! appears in the path, and no parameter (name and location) is declared twice at one level.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Findings, Operation, Seg, Spec};

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    let mut paths_done = BTreeSet::new();
    for op in &spec.operations {
        let names = placeholders(op.path);
        if paths_done.insert(op.path) {
            let mut seen = BTreeSet::new();
            let line = spec.line(&[Seg::Key("paths".into()), Seg::Key(op.path.into())]);
            for name in &names {
                if !seen.insert(name) {
                    out.add(
                        "path-params",
                        format!("path {}", op.path),
                        line,
                        format!("{{{name}}} appears twice; name each placeholder after what it identifies"),
                    );
                }
            }
            duplicates(spec, op.item, &format!("path {}", op.path), line, out);
        }
        duplicates(spec, op.op, &op.name(), spec.op_line(op, &["parameters"]), out);
        let params = op.parameters(spec);
        let path_params: Vec<&Value> = params.iter().copied().filter(|p| p["in"] == "path").collect();
        for name in &names {
            match path_params.iter().find(|p| p["name"] == name.as_str()) {
                None => out.add("path-params", op.name(), line_of_params(spec, op), format!("no path parameter for {{{name}}}")),
                Some(p) if p["required"] != true => {
                    out.add("path-params", op.name(), line_of_params(spec, op), format!("path parameter {name} is not `required: true`"))
                }
                Some(_) => {}
            }
        }
        for p in path_params {
            let name = p["name"].as_str().unwrap_or("?");
            if !names.iter().any(|n| n == name) {
                out.add("path-params", op.name(), line_of_params(spec, op), format!("path parameter {name} does not appear in the path"));
            }
        }
    }
}

fn line_of_params(spec: &Spec, op: &Operation) -> Option<usize> {
    if op.op.get("parameters").is_some() {
        spec.op_line(op, &["parameters"])
    } else {
        spec.line(&[Seg::Key("paths".into()), Seg::Key(op.path.into()), Seg::Key("parameters".into())])
    }
}

fn duplicates(spec: &Spec, holder: &Value, subject: &str, line: Option<usize>, out: &mut Findings) {
    let mut seen = BTreeSet::new();
    for p in holder["parameters"].as_array().into_iter().flatten().map(|p| spec.resolve(p)) {
        let key = (p["in"].as_str().unwrap_or(""), p["name"].as_str().unwrap_or(""));
        if !seen.insert(key) {
            out.add("path-params", subject, line, format!("parameter {} ({}) is declared twice", key.1, key.0));
        }
    }
}

pub(crate) fn placeholders(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn an_undeclared_or_unused_path_parameter_is_found() {
        let found = findings(&good_with("{name: id, in: path", "{name: thing_id, in: path"), "path-params");
        assert!(
            found.contains(&"GET /things/{id} (get_thing): no path parameter for {id} [path-params, line 60]".to_string()),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.starts_with("DELETE /things/{id} (delete_thing): path parameter thing_id does not appear in the path")),
            "{found:?}"
        );
        let found = findings(&good_with("{name: id, in: path, required: true,", "{name: id, in: path,"), "path-params");
        assert!(found.iter().any(|p| p.contains("path parameter id is not `required: true`")), "{found:?}");
    }

    #[test]
    fn a_placeholder_used_twice_is_found() {
        let spec = good_with_path(
            "  /things/{id}/parts/{id}:\n    get:\n      operationId: get_thing_part\n      tags: [Things]\n      summary: s\n      \
             parameters:\n        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}\n        \
             - {name: id, in: path, required: true, schema: {type: integer, format: int64}}\n      \
             responses: {'200': {description: ok}}\n",
        );
        let found = findings(&spec, "path-params");
        assert!(found.iter().any(|p| p.starts_with("path /things/{id}/parts/{id}: {id} appears twice")), "{found:?}");
        assert!(
            found.iter().any(|p| p.starts_with("GET /things/{id}/parts/{id} (get_thing_part): parameter id (path) is declared twice")),
            "{found:?}"
        );
    }
}
