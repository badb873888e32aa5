//! Every operation of the spec, called on a running fake with its example request: the answer
//! has the operation's success status and a body valid against its response schema.

use std::collections::HashMap;

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde_json::Value;

use crate::{
    model::model,
    spec::{spec, Method, Response, Segment},
    validate, FakeConfig, FakeMoco,
};

/// The path of an operation with ids of existing entities (`/projects/1004/tasks/1007`).
fn concrete_path(fake: &FakeMoco, op_index: usize) -> String {
    let op = &spec().ops[op_index];
    let mut values: HashMap<String, String> = HashMap::new();
    let store = fake.shared.store.lock().unwrap();
    for check in model().checks[op_index].iter().rev() {
        if values.contains_key(&check.param) {
            continue;
        }
        let def = &model().collections[check.coll];
        let scope = def.parent.as_ref().and_then(|(_, p)| values.get(p).and_then(|v| v.parse::<i64>().ok()));
        let entity = store.colls[check.coll].iter().find(|(_, e)| scope.is_none() || e.scope == scope);
        let (id, entity) = entity.unwrap_or_else(|| panic!("{}: no seeded entity in {}", op.id, def.base));
        values.insert(check.param.clone(), id.to_string());
        if let (Some((_, parent_param)), Some(parent)) = (&def.parent, entity.scope) {
            values.entry(parent_param.clone()).or_insert(parent.to_string());
        }
    }
    op.segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => format!("/{l}"),
            Segment::Param { name, prefix, suffix } => {
                let value = values.get(name).cloned().unwrap_or_else(|| if name == "entity" { "Project".into() } else { "1".into() });
                let value = if name == "entity_id" { first_project(&store) } else { value };
                format!("/{prefix}{value}{suffix}")
            }
        })
        .collect()
}

fn first_project(store: &crate::store::Store) -> String {
    let projects = crate::store::Store::coll("/projects");
    store.colls[projects].keys().next().map(|id| id.to_string()).unwrap_or_default()
}

fn method(m: Method) -> hyper::Method {
    match m {
        Method::Get => hyper::Method::GET,
        Method::Post => hyper::Method::POST,
        Method::Put => hyper::Method::PUT,
        Method::Patch => hyper::Method::PATCH,
        Method::Delete => hyper::Method::DELETE,
    }
}

#[tokio::test]
async fn every_operation_answers_with_its_documented_success() {
    let fake = FakeMoco::start(FakeConfig::default()).await.unwrap();
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    // Deletes last, so that they do not remove what other operations name.
    let mut order: Vec<usize> = (0..spec().ops.len()).collect();
    order.sort_by_key(|&i| (spec().ops[i].method == Method::Delete, i));
    let mut failures = Vec::new();
    for i in order {
        let op = &spec().ops[i];
        let path = concrete_path(&fake, i);
        let mut query = String::new();
        for param in op.params.iter().filter(|p| p.required && p.location == crate::spec::Location::Query) {
            let example = spec().example(&param.schema);
            let value = example.as_str().map(str::to_string).unwrap_or_else(|| example.to_string());
            query.push_str(&format!("{}={}&", param.name, value));
        }
        let uri = format!("{}{}?{}", fake.url(), path, query);
        let mut request = hyper::Request::builder()
            .method(method(op.method))
            .uri(&uri)
            .header("authorization", format!("Token token={}", fake.api_key()));
        let body = match &op.body {
            Some(declared) if declared.content_type.contains("json") => {
                request = request.header("content-type", "application/json");
                serde_json::to_vec(&spec().example(&declared.schema)).unwrap()
            }
            Some(declared) => {
                request = request.header("content-type", declared.content_type.clone());
                b"%PDF-1.4 upload".to_vec()
            }
            None => Vec::new(),
        };
        let response = client.request(request.body(Full::new(Bytes::from(body))).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        if status != op.status {
            failures.push(format!("{} {}: status {status} instead of {}: {}", op.id, uri, op.status, String::from_utf8_lossy(&bytes)));
            continue;
        }
        match &op.response {
            Response::Empty => {
                if !bytes.is_empty() {
                    failures.push(format!("{}: a body where the spec has none", op.id));
                }
            }
            Response::Pdf => {
                if !bytes.starts_with(b"%PDF-") || content_type.as_deref() != Some("application/pdf") {
                    failures.push(format!("{}: not a PDF", op.id));
                }
            }
            Response::Json { schema, .. } => {
                let value: Value = match serde_json::from_slice(&bytes) {
                    Ok(v) => v,
                    Err(e) => {
                        failures.push(format!("{}: not JSON: {e}", op.id));
                        continue;
                    }
                };
                let validator = validate::compile_answer(schema).unwrap_or_else(|| panic!("{}: response schema compiles", op.id));
                let errors: Vec<String> =
                    validator.iter_errors(&value).take(3).map(|e| format!("{} at {}", e, e.instance_path())).collect();
                if !errors.is_empty() {
                    failures.push(format!("{}: response does not match its schema: {errors:?}", op.id));
                }
                if op.paged && value.as_array().is_some_and(Vec::is_empty) && op.id != "list_web_hooks" {
                    failures.push(format!("{}: an empty list", op.id));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} operations failed:\n{}", failures.len(), spec().ops.len(), failures.join("\n"));
    assert!(spec().ops.len() >= 250, "the whole spec is served");
}
