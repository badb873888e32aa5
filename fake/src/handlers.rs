//! What each operation does, once the request is routed, authenticated and validated: CRUD on
//! the collections, MOCO's paging and filters on lists, taggings, session and profile, and
//! answers built from the spec's examples for everything else.

use std::cmp::Ordering;

use chrono::DateTime;
use serde_json::{json, Value};

use crate::{
    model::{model, OpKind},
    pdf,
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
    pub api_key: &'a str,
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
            apply_action(store, *coll, id, action, body);
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
            let users = Store::coll("/users");
            let email = body["email"].as_str().unwrap_or_default();
            let user = store.colls[users]
                .values()
                .find(|e| e.value["email"].as_str().is_some_and(|m| m.eq_ignore_ascii_case(email)))
                .and_then(|e| e.value["id"].as_i64())
                .unwrap_or(store.owner_id);
            Reply::json(op.status, json!({ "api_key": call.api_key, "user_id": user }))
        }
        OpKind::Session => {
            let uuid = format!("00000000-0000-4000-8000-{:012x}", call.actor.user_id);
            Reply::json(op.status, json!({ "id": call.actor.user_id, "uuid": uuid }))
        }
        OpKind::Profile => Reply::json(op.status, store.profile(call.actor.user_id)),
        OpKind::Static => static_reply(call, op),
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

fn apply_action(store: &mut Store, coll: usize, id: i64, action: &str, body: &Value) {
    if body.as_object().is_some_and(|b| !b.is_empty()) {
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

/// An answer from the spec's examples (lists get the paging headers too).
fn static_reply(call: &Call<'_>, op: &Operation) -> Reply {
    let spec = spec();
    match &op.response {
        Response::Empty => Reply::empty(op.status),
        Response::Pdf => {
            let title = format!("{} {}", op.id, call.params.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(" "));
            Reply { status: op.status, body: ReplyBody::Pdf(pdf::document(&title)), headers: Vec::new(), events: Vec::new() }
        }
        Response::Json { schema, example } => {
            let body = example.clone().unwrap_or_else(|| spec.example(schema));
            if op.paged {
                if let Value::Array(items) = body {
                    let (page_number, per_page) = paging(call);
                    let total = items.len();
                    let items = items.into_iter().skip((page_number - 1).saturating_mul(per_page)).take(per_page).collect();
                    return page(call, total, items, page_number, per_page);
                }
            }
            Reply::json(op.status, body)
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
    let spec = spec();
    let def = &model().collections[coll];
    let include_archived = op.query_param("include_archived").is_none()
        || call.query.iter().any(|(k, v)| k == "include_archived" && (v == "true" || v == "1"));
    let mut matching: Vec<&Entity> = store.colls[coll]
        .values()
        .filter(|e| scope.is_none() || e.scope == scope)
        .filter(|e| include_archived || e.value["active"] != Value::Bool(false))
        .filter(|e| keep(&e.value, op, call.query))
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
            let rendered = store.render(coll, e);
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

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn normalize(value: &str) -> String {
    match value {
        "1" => "true".into(),
        "0" => "false".into(),
        other => other.to_string(),
    }
}

/// Whether an entity passes the list's filters: the global ones (`ids`, `updated_after`), the
/// custom field filter, `from`/`to` on dates, `term`, and any declared parameter named like a
/// field (`billable=true`) or a reference (`company_id=1,2` matches `company.id`). Filters on
/// fields the entity does not have are ignored.
fn keep(entity: &Value, op: &Operation, query: &[(String, String)]) -> bool {
    for (name, raw) in query {
        let values: Vec<&str> = raw.split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
        let ok = match name.as_str() {
            "page" | "per_page" | "sort_by" | "include_archived" => true,
            "ids" => entity["id"].as_i64().is_some_and(|id| values.iter().any(|v| v.parse::<i64>().ok() == Some(id))),
            "updated_after" => {
                match (DateTime::parse_from_rfc3339(raw.trim()), entity["updated_at"].as_str().map(DateTime::parse_from_rfc3339)) {
                    (Ok(after), Some(Ok(updated))) => updated > after,
                    _ => true,
                }
            }
            // Ranges written `FROM:TO` (purchases' `date`, planning entries' `period`).
            "date" | "period" if raw.contains(':') => {
                let (from, to) = raw.split_once(':').unwrap_or_default();
                match (entity["date"].as_str(), entity["starts_on"].as_str(), entity["ends_on"].as_str()) {
                    (Some(d), _, _) => d >= from && d <= to,
                    (None, Some(start), Some(end)) => start <= to && end >= from,
                    _ => true,
                }
            }
            "from" => entity["date"].as_str().is_none_or(|d| d >= raw.as_str()),
            "to" => entity["date"].as_str().is_none_or(|d| d <= raw.as_str()),
            "term" => {
                let term = raw.to_lowercase();
                entity
                    .as_object()
                    .is_none_or(|fields| fields.values().any(|v| v.as_str().is_some_and(|s| s.to_lowercase().contains(&term))))
            }
            custom if custom.starts_with("custom_properties[") => {
                let field = custom.trim_start_matches("custom_properties[").trim_end_matches("[]").trim_end_matches(']');
                match &entity["custom_properties"][field] {
                    Value::Array(held) => held.iter().any(|h| h.as_str() == Some(raw.as_str())),
                    Value::Null => false,
                    other => text(other).is_some_and(|t| t == *raw),
                }
            }
            _ if op.query_param(name).is_none() => true,
            field => match entity.get(field) {
                Some(Value::Array(held)) => values.iter().all(|v| held.iter().any(|h| text(h).as_deref() == Some(v))),
                Some(value) if !value.is_object() => text(value).is_none_or(|t| values.iter().any(|v| normalize(v) == normalize(&t))),
                _ => match field.strip_suffix("_id").and_then(|r| entity.get(r)).map(|r| &r["id"]) {
                    Some(Value::Number(id)) => values.iter().any(|v| *v == id.to_string()),
                    Some(Value::Null) => false,
                    _ => true,
                },
            },
        };
        if !ok {
            return false;
        }
    }
    true
}
