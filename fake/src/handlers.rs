//! What each operation does, once the request is routed, authenticated and validated: CRUD on
//! the collections, MOCO's paging and filters on lists, taggings, session and profile, and
//! answers built from the spec's examples for everything else.

use std::cmp::Ordering;

use serde_json::{json, Value};

use crate::{
    filters::{self, Refusal},
    model::{model, OpKind},
    pdf, reports,
    spec::{spec, Operation, Response},
    store::{Actor, Entity, Store},
};

/// A routed request.
pub(crate) struct Call<'a> {
    pub op_index: usize,
    pub params: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub body: Option<&'a Value>,
    pub actor: Actor,
    /// `http://host:port` as the client addressed the fake.
    pub origin: &'a str,
    /// The request path, e.g. `/api/v1/projects`.
    pub path: &'a str,
}

pub(crate) enum ReplyBody {
    Json(Value),
    Pdf(Vec<u8>),
    Empty,
}

pub(crate) struct Reply {
    pub status: u16,
    pub body: ReplyBody,
    pub headers: Vec<(&'static str, String)>,
    pub events: Vec<Event>,
}

/// A change that web hooks may be told about.
pub(crate) struct Event {
    pub target: &'static str,
    /// The component schema of `body` (the collection's entity schema).
    pub schema: &'static str,
    pub event: &'static str,
    pub body: Value,
    pub user_id: i64,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Reply { status, body: ReplyBody::Json(body), headers: Vec::new(), events: Vec::new() }
    }

    pub(crate) fn error(status: u16, message: impl Into<String>) -> Self {
        Reply::json(status, json!({ "message": message.into() }))
    }

    fn empty(status: u16) -> Self {
        Reply { status, body: ReplyBody::Empty, headers: Vec::new(), events: Vec::new() }
    }
}

fn param<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A filter the fake cannot apply: a 400 naming it, never an answer as if it were absent.
fn refused(refusal: Refusal) -> Reply {
    let mut reply = Reply::error(400, refusal.message);
    reply.headers.push(("x-moco-fake-refused", refusal.param));
    reply
}

fn not_found(schema: &str, id: &str) -> Reply {
    Reply::error(404, format!("Couldn't find {schema} with 'id'={id}"))
}

/// A 404 when an entity the path names does not exist (or belongs to another enclosing one).
pub(crate) fn check_path(store: &Store, op_index: usize, params: &[(String, String)]) -> Option<Reply> {
    let model = model();
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    for check in &model.checks[op_index] {
        let raw = param(&check.param).unwrap_or_default();
        let def = &model.collections[check.coll];
        let Ok(id) = raw.parse::<i64>() else { return Some(not_found(&def.schema, raw)) };
        let Some(entity) = store.entity(check.coll, id) else { return Some(not_found(&def.schema, raw)) };
        if let Some((_, parent_param)) = &def.parent {
            let parent = param(parent_param).and_then(|p| p.parse::<i64>().ok());
            if parent.is_some() && entity.scope != parent {
                return Some(not_found(&def.schema, raw));
            }
        }
    }
    None
}

pub(crate) fn handle(store: &mut Store, call: &Call<'_>) -> Reply {
    let spec = spec();
    let model = model();
    let op = &spec.ops[call.op_index];
    if let Some(missing) = check_path(store, call.op_index, call.params) {
        return missing;
    }
    let scope_of = |coll: usize| -> Option<i64> {
        let (_, parent_param) = model.collections[coll].parent.as_ref()?;
        param(call, parent_param)?.parse().ok()
    };
    let id_param = || param(call, "id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let empty = json!({});
    let body = call.body.unwrap_or(&empty);
    match &model.kinds[call.op_index] {
        OpKind::List { coll, all_scopes } => {
            let scope = if *all_scopes { None } else { scope_of(*coll) };
            list(store, call, op, *coll, scope)
        }
        OpKind::Create { coll } => {
            let created = store.create(*coll, scope_of(*coll), body, call.actor);
            let rendered = render(store, *coll, created["id"].as_i64().unwrap_or_default());
            let mut reply = Reply::json(op.status, rendered.clone());
            reply.events.extend(event(*coll, "create", rendered, call.actor));
            reply
        }
        OpKind::Bulk { coll } => {
            let mut items = Vec::new();
            let mut events = Vec::new();
            for input in bulk_items(body) {
                let created = store.create(*coll, scope_of(*coll), &input, call.actor);
                let rendered = render(store, *coll, created["id"].as_i64().unwrap_or_default());
                events.extend(event(*coll, "create", rendered.clone(), call.actor));
                items.push(rendered);
            }
            let mut reply = Reply::json(op.status, Value::Array(items));
            reply.events = events;
            reply
        }
        OpKind::Get { coll } => Reply::json(op.status, render(store, *coll, id_param())),
        OpKind::Update { coll } => {
            let id = id_param();
            store.update(*coll, id, body);
            let rendered = render(store, *coll, id);
            let mut reply = Reply::json(op.status, rendered.clone());
            reply.events.extend(event(*coll, "update", rendered, call.actor));
            reply
        }
        OpKind::Delete { coll } => {
            let id = id_param();
            store.delete(*coll, id);
            let mut reply = Reply::empty(op.status);
            reply.events.extend(event(*coll, "delete", json!({ "id": id }), call.actor));
            reply
        }
        OpKind::DestroyAll { coll } => {
            let mut reply = Reply::empty(op.status);
            if let Some(scope) = scope_of(*coll) {
                for id in store.ids_in(*coll, scope) {
                    store.delete(*coll, id);
                    reply.events.extend(event(*coll, "delete", json!({ "id": id }), call.actor));
                }
            }
            reply
        }
        OpKind::Action { coll, action } => {
            let id = id_param();
            apply_action(store, *coll, id, action, body, call.actor);
            let rendered = render(store, *coll, id);
            let mut reply = match op.response {
                Response::Empty => Reply::empty(op.status),
                _ => Reply::json(op.status, rendered.clone()),
            };
            reply.events.extend(event(*coll, "update", rendered, call.actor));
            reply
        }
        OpKind::Taggings => taggings(store, call, op, body),
        OpKind::Login => {
            // The user's own key for the right password; MOCO's bare 401 for a wrong password
            // and for an unknown email alike.
            let users = Store::coll("/users");
            let email = body["email"].as_str().unwrap_or_default().trim();
            let password = body["password"].as_str().unwrap_or_default();
            let user = store.colls[users]
                .values()
                .find(|e| e.value["email"].as_str().is_some_and(|m| m.eq_ignore_ascii_case(email)))
                .and_then(|e| e.value["id"].as_i64())
                .filter(|id| store.accounts.password_matches(*id, password));
            match user {
                Some(id) => Reply::json(op.status, json!({ "api_key": store.accounts.key_of(id, store.owner_id), "user_id": id })),
                None => Reply::error(401, "Unauthorized"),
            }
        }
        OpKind::Session => {
            let uuid = format!("00000000-0000-4000-8000-{:012x}", call.actor.user_id);
            Reply::json(op.status, json!({ "id": call.actor.user_id, "uuid": uuid }))
        }
        OpKind::Profile => Reply::json(op.status, store.profile(call.actor.user_id)),
        OpKind::Static if VIEWS.contains(&op.id.as_str()) => view(store, call, op),
        OpKind::Static => match reports::answer(store, call, op) {
            Some(reply) => reply,
            None => static_reply(store, call, op),
        },
    }
}

fn render(store: &Store, coll: usize, id: i64) -> Value {
    match store.entity(coll, id) {
        Some(entity) => store.render(coll, entity),
        None => Value::Null,
    }
}

fn event(coll: usize, event: &'static str, body: Value, actor: Actor) -> Option<Event> {
    let def = &model().collections[coll];
    let target = def.target?;
    Some(Event { target, schema: &def.schema, event, body, user_id: actor.user_id })
}

/// The entries of a bulk create: the objects of its array field, or one entry per id of an
/// `..._ids` field (comments for several entities).
fn bulk_items(body: &Value) -> Vec<Value> {
    let Some(fields) = body.as_object() else { return Vec::new() };
    for (key, value) in fields {
        let Some(items) = value.as_array() else { continue };
        if items.iter().all(Value::is_object) {
            return items.clone();
        }
        if let Some(singular) = key.strip_suffix("_ids") {
            let mut rest = fields.clone();
            rest.remove(key);
            return items
                .iter()
                .map(|id| {
                    let mut item = rest.clone();
                    item.insert(format!("{singular}_id"), id.clone());
                    Value::Object(item)
                })
                .collect();
        }
    }
    Vec::new()
}

fn apply_action(store: &mut Store, coll: usize, id: i64, action: &str, body: &Value, actor: Actor) {
    // A denial's note is the reason, not a change of the requester's note.
    if body.as_object().is_some_and(|b| !b.is_empty()) && action != "deny" {
        store.update(coll, id, body);
    }
    let Some(mut value) = store.entity(coll, id).map(|e| e.value.clone()) else { return };
    let now = store.now();
    match action {
        "archive" => value["active"] = json!(false),
        "unarchive" => value["active"] = json!(true),
        "start_timer" => value["timer_started_at"] = json!(now),
        "stop_timer" => value["timer_started_at"] = Value::Null,
        "disable" => {
            value["disabled"] = json!(true);
            value["disabled_at"] = json!(now);
        }
        "enable" => {
            value["disabled"] = json!(false);
            value["disabled_at"] = Value::Null;
        }
        "unassign_project_group" => value["project_group"] = Value::Null,
        "approve" | "deny" => {
            value["status"] = json!(if action == "approve" { "approved" } else { "denied" });
            value["decided_at"] = json!(now);
            let schema = spec().schema(&model().collections[coll].schema);
            if let Some(prop) = spec().property(schema, "processed_by") {
                value["processed_by"] = store.make_ref(Store::coll("/users"), actor.user_id, prop);
            }
            if action == "deny" {
                value["deny_note"] = body.get("note").cloned().unwrap_or(Value::Null);
            }
        }
        "billable_seconds" => {
            if let Some(seconds) = body["billable_seconds"].as_i64() {
                value["seconds"] = json!(seconds);
                value["hours"] = json!((seconds as f64 / 36.0).round() / 100.0);
            }
        }
        _ => {}
    }
    store.touch(coll, id, value);
}

/// Tags of one entity: `/taggings/{entity}/{entity_id}`.
fn taggings(store: &mut Store, call: &Call<'_>, op: &Operation, body: &Value) -> Reply {
    let entity = param(call, "entity").unwrap_or_default();
    let base = match entity {
        "Company" => "/companies",
        "Contact" => "/contacts/people",
        "Project" => "/projects",
        "Deal" => "/deals",
        "Purchase" => "/purchases",
        "Invoice" => "/invoices",
        "Offer" => "/offers",
        "User" => "/users",
        other => return Reply::error(404, format!("{other} cannot be tagged")),
    };
    let coll = Store::coll(base);
    let raw_id = param(call, "entity_id").unwrap_or_default();
    let Some(id) = raw_id.parse::<i64>().ok().filter(|id| store.entity(coll, *id).is_some()) else {
        return not_found(entity, raw_id);
    };
    let Some(mut value) = store.entity(coll, id).map(|e| e.value.clone()) else { return not_found(entity, raw_id) };
    let mut tags: Vec<String> =
        value["tags"].as_array().map(|t| t.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default();
    let given: Vec<String> =
        body["tags"].as_array().map(|t| t.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default();
    let changed = match op.method {
        crate::spec::Method::Get => false,
        crate::spec::Method::Patch | crate::spec::Method::Post => {
            for tag in given {
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            true
        }
        crate::spec::Method::Put => {
            tags = given;
            true
        }
        crate::spec::Method::Delete => {
            tags.retain(|t| !given.contains(t));
            true
        }
    };
    if changed {
        value["tags"] = json!(tags);
        store.touch(coll, id, value);
    }
    Reply::json(op.status, json!(tags))
}

/// An answer from the spec's examples (lists get the paging headers too), marked
/// `X-Moco-Fake-Canned: example`. The documented filters of a list apply to the example's
/// items as they do to stored entities.
fn static_reply(store: &Store, call: &Call<'_>, op: &Operation) -> Reply {
    let spec = spec();
    match &op.response {
        Response::Empty => Reply::empty(op.status),
        Response::Pdf => {
            let title = format!("{} {}", op.id, call.params.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(" "));
            Reply { status: op.status, body: ReplyBody::Pdf(pdf::document(&title)), headers: Vec::new(), events: Vec::new() }
        }
        Response::Json { schema, example } => {
            let body = example.clone().unwrap_or_else(|| spec.example(schema));
            let mut reply = match body {
                Value::Array(items) => {
                    let selection = match filters::selection(op, call.query) {
                        Ok(selection) => selection,
                        Err(refusal) => return refused(refusal),
                    };
                    let items: Vec<Value> = items.into_iter().filter(|item| selection.keeps(store, item)).collect();
                    if op.paged {
                        let (page_number, per_page) = paging(call);
                        let total = items.len();
                        let items = items.into_iter().skip((page_number - 1).saturating_mul(per_page)).take(per_page).collect();
                        page(call, total, items, page_number, per_page)
                    } else {
                        Reply::json(op.status, Value::Array(items))
                    }
                }
                body => Reply::json(op.status, body),
            };
            reply.headers.push(("x-moco-fake-canned", "example".into()));
            reply
        }
    }
}

/// The paging parameters of a list request.
fn paging(call: &Call<'_>) -> (usize, usize) {
    let get = |name: &str| call.query.iter().rev().find(|(k, _)| k == name).and_then(|(_, v)| v.trim().parse::<i64>().ok());
    let page = get("page").unwrap_or(1).max(1) as usize;
    let per_page = get("per_page").unwrap_or(100).max(1) as usize;
    (page, per_page)
}

fn list(store: &Store, call: &Call<'_>, op: &Operation, coll: usize, scope: Option<i64>) -> Reply {
    list_where(store, call, op, coll, scope, &|_| true, &|_| {})
}

/// Operations answered with a view of a collection the path does not name.
pub(crate) const VIEWS: &[&str] = &["list_locked_invoices", "list_assigned_projects"];

/// The operations whose JSON answer is the spec's example (`X-Moco-Fake-Canned: example`), as
/// `(operationId, "METHOD /path")`.
#[cfg(test)]
pub(crate) fn canned_operations() -> Vec<(&'static str, String)> {
    let spec = spec();
    spec.ops
        .iter()
        .enumerate()
        .filter(|(i, op)| {
            model().kinds[*i] == OpKind::Static
                && matches!(op.response, Response::Json { .. })
                && !reports::COMPUTED.contains(&op.id.as_str())
                && !VIEWS.contains(&op.id.as_str())
        })
        .map(|(_, op)| (op.id.as_str(), format!("{} {}", op.method.as_str(), op.template)))
        .collect()
}

/// The lists over a collection that the path does not name.
fn view(store: &Store, call: &Call<'_>, op: &Operation) -> Reply {
    match op.id.as_str() {
        "list_locked_invoices" => list_where(store, call, op, Store::coll("/invoices"), None, &|e| e["locked"] == true, &|_| {}),
        _ => assigned_projects(store, call, op),
    }
}

/// The projects the acting user has a contract on (`/projects/assigned`), each with that
/// contract.
fn assigned_projects(store: &Store, call: &Call<'_>, op: &Operation) -> Reply {
    let contracts = Store::coll("/projects/{project_id}/contracts");
    let user = call.actor.user_id;
    let contract_of = |project: i64| {
        store.colls[contracts].values().find(|c| c.scope == Some(project) && c.value["user_id"].as_i64() == Some(user)).map(|c| &c.value)
    };
    list_where(store, call, op, Store::coll("/projects"), None, &|p| p["id"].as_i64().and_then(contract_of).is_some(), &|rendered| {
        if let Some(contract) = rendered["id"].as_i64().and_then(contract_of) {
            rendered["contract"] = contract.clone();
        }
    })
}

/// A list of `coll`'s entities that pass `only` and the request's filters, each shown after
/// `adorn`.
fn list_where(
    store: &Store,
    call: &Call<'_>,
    op: &Operation,
    coll: usize,
    scope: Option<i64>,
    only: &dyn Fn(&Value) -> bool,
    adorn: &dyn Fn(&mut Value),
) -> Reply {
    let spec = spec();
    let def = &model().collections[coll];
    let selection = match filters::selection(op, call.query) {
        Ok(selection) => selection,
        Err(refusal) => return refused(refusal),
    };
    let mut matching: Vec<&Entity> = store.colls[coll]
        .values()
        .filter(|e| scope.is_none() || e.scope == scope)
        .filter(|e| only(&e.value))
        .filter(|e| selection.keeps(store, &e.value))
        .collect();
    if let Some((_, sort_by)) = call.query.iter().rev().find(|(k, _)| k == "sort_by") {
        let mut words = sort_by.split_whitespace();
        let field = words.next().unwrap_or("id");
        let descending = words.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
        let pointer = format!("/{}", field.replace('.', "/"));
        matching.sort_by(|a, b| {
            let order = compare(a.value.pointer(&pointer), b.value.pointer(&pointer));
            if descending {
                order.reverse()
            } else {
                order
            }
        });
    }
    let (page_number, per_page) = paging(call);
    let total = matching.len();
    let item_schema = match &op.response {
        Response::Json { schema, .. } => schema["items"].clone(),
        _ => Value::Null,
    };
    let same_schema = crate::spec::ref_name(&item_schema) == Some(def.schema.as_str());
    let items: Vec<Value> = matching
        .into_iter()
        .skip((page_number - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|e| {
            let mut rendered = store.render(coll, e);
            adorn(&mut rendered);
            if same_schema {
                rendered
            } else {
                spec.project(&rendered, &item_schema)
            }
        })
        .collect();
    page(call, total, items, page_number, per_page)
}

/// A page of a list (`items` already cut) with MOCO's headers: `X-Page`, `X-Per-Page`, `X-Total` and `Link`.
fn page(call: &Call<'_>, total: usize, items: Vec<Value>, page_number: usize, per_page: usize) -> Reply {
    let last = total.div_ceil(per_page).max(1);
    let link_to = |n: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in call.query.iter().filter(|(k, _)| k != "page") {
            query.append_pair(k, v);
        }
        query.append_pair("page", &n.to_string());
        format!("{}{}?{}", call.origin, call.path, query.finish())
    };
    let mut links = Vec::new();
    if page_number > 1 {
        links.push(format!("<{}>; rel=\"first\"", link_to(1)));
        links.push(format!("<{}>; rel=\"prev\"", link_to((page_number - 1).min(last))));
    }
    if page_number < last {
        links.push(format!("<{}>; rel=\"next\"", link_to(page_number + 1)));
        links.push(format!("<{}>; rel=\"last\"", link_to(last)));
    }
    let mut reply = Reply::json(200, Value::Array(items));
    reply.headers.push(("x-page", page_number.to_string()));
    reply.headers.push(("x-per-page", per_page.to_string()));
    reply.headers.push(("x-total", total.to_string()));
    if !links.is_empty() {
        reply.headers.push(("link", links.join(", ")));
    }
    reply
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(_) => 4,
        }
    }
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or_default().partial_cmp(&y.as_f64().unwrap_or_default()).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fake/README.md` lists exactly the operations that stay canned, between its markers.
    #[test]
    fn the_readme_lists_exactly_the_canned_answers() {
        let readme = include_str!("../README.md");
        let start = readme.find("<!-- canned:start -->").expect("start marker");
        let end = readme.find("<!-- canned:end -->").expect("end marker");
        let listed: Vec<&str> = readme[start..end]
            .lines()
            .filter_map(|line| line.trim().strip_prefix("- `"))
            .filter_map(|rest| rest.split('`').next())
            .collect();
        let canned: Vec<(&str, String)> = canned_operations();
        let expected: Vec<&str> = canned.iter().map(|(id, _)| *id).collect();
        let lines: Vec<String> = canned.iter().map(|(id, route)| format!("- `{id}` ({route})")).collect();
        assert_eq!(listed, expected, "fake/README.md's canned list should be:\n{}", lines.join("\n"));
    }

    #[test]
    fn every_computed_report_is_an_operation_of_the_spec() {
        for id in reports::COMPUTED.iter().chain(VIEWS) {
            assert!(spec().ops.iter().any(|op| op.id == *id), "{id}");
        }
    }
}
