//! The in-memory state: entities per collection, ids, the clock, and the rules that keep created
//! and updated entities shaped like the spec's response schemas (references filled from the
//! entities they name, owner set from the acting user, derived fields kept consistent).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde_json::{json, Map, Value};

use crate::{
    model::model,
    spec::{spec, Spec},
};

/// A small deterministic generator (splitmix64): the same seed gives the same dataset and the
/// same fault sequence on every machine.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One stored entity: its JSON (shaped like the collection's schema) and, in a nested
/// collection, the id of the enclosing entity (the project of a task).
#[derive(Clone, Debug)]
pub(crate) struct Entity {
    pub scope: Option<i64>,
    pub value: Value,
}

/// Who a request acts as: the key's owner, or the impersonated user.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Actor {
    pub user_id: i64,
    /// The key's owner while impersonating.
    pub impersonated_by: Option<i64>,
}

pub(crate) struct Store {
    pub colls: Vec<BTreeMap<i64, Entity>>,
    next_id: i64,
    pub(crate) last_time: DateTime<Utc>,
    /// The user the API key belongs to.
    pub owner_id: i64,
    seed: u64,
    /// Keys of web hooks, by hook id.
    hook_keys: HashMap<i64, String>,
    /// One key for every web hook, if configured.
    pub fixed_hook_key: Option<String>,
}

/// The collection an embedded reference points into, by the property's name.
pub(crate) fn ref_target(schema: &str, property: &str) -> Option<&'static str> {
    Some(match property {
        "user" | "leader" | "co_leader" | "creator" | "impersonating_user" => "/users",
        "customer" | "company" => "/companies",
        "project" => "/projects",
        "deal" => "/deals",
        "person" | "contact" | "billing_contact" | "secondary_contact" => "/contacts/people",
        "unit" => "/units",
        "task" => "/projects/{project_id}/tasks",
        "project_group" => "/projects/groups",
        "invoice" => "/invoices",
        "offer" => "/offers",
        "purchase" => "/purchases",
        "category" if schema == "Deal" => "/deal_categories",
        _ => return None,
    })
}

/// The reference property an `..._id` request field sets.
fn ref_property(key: &str) -> Option<&str> {
    match key {
        "deal_category_id" => Some("category"),
        _ => key.strip_suffix("_id"),
    }
}

pub(crate) fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    pub(crate) fn new(seed: u64) -> Self {
        Store {
            colls: vec![BTreeMap::new(); model().collections.len()],
            next_id: 1000,
            last_time: Utc.timestamp_opt(0, 0).single().unwrap_or_default(),
            owner_id: 0,
            seed,
            hook_keys: HashMap::new(),
            fixed_hook_key: None,
        }
    }

    pub(crate) fn allocate_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// Now, to the second, never before the last time handed out.
    pub(crate) fn now(&mut self) -> String {
        let now = Utc::now();
        let now = Utc.timestamp_opt(now.timestamp(), 0).single().unwrap_or(now);
        if now > self.last_time {
            self.last_time = now;
        }
        timestamp(self.last_time)
    }

    pub(crate) fn coll(base: &str) -> usize {
        model().collection(base).unwrap_or_else(|| panic!("the spec has no collection {base}"))
    }

    pub(crate) fn entity(&self, coll: usize, id: i64) -> Option<&Entity> {
        self.colls[coll].get(&id)
    }

    pub(crate) fn ids(&self, coll: usize) -> Vec<i64> {
        self.colls[coll].keys().copied().collect()
    }

    pub(crate) fn ids_in(&self, coll: usize, scope: i64) -> Vec<i64> {
        self.colls[coll].iter().filter(|(_, e)| e.scope == Some(scope)).map(|(id, _)| *id).collect()
    }

    /// The 32-character key a web hook's deliveries are signed with.
    pub(crate) fn hook_key(&mut self, hook_id: i64) -> String {
        if let Some(key) = &self.fixed_hook_key {
            return key.clone();
        }
        let seed = self.seed;
        self.hook_keys
            .entry(hook_id)
            .or_insert_with(|| {
                let mut rng = Rng::new(seed ^ (hook_id as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
                format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
            })
            .clone()
    }

    /// A reference (`UserRef`, `CompanyRef`, ...) to entity `id` of `coll`, shaped by `schema`.
    pub(crate) fn make_ref(&self, coll: usize, id: i64, schema: &Value) -> Value {
        let spec = spec();
        let Some(object) = spec.object_schema(schema) else { return json!({ "id": id }) };
        let example = spec.example(object);
        let mut out = match self.entity(coll, id) {
            Some(entity) => {
                let mut source = entity.value.clone();
                if let Value::Object(map) = &mut source {
                    if !map.contains_key("name") {
                        let first = map.get("firstname").and_then(Value::as_str).unwrap_or_default();
                        let last = map.get("lastname").and_then(Value::as_str).unwrap_or_default();
                        if !first.is_empty() || !last.is_empty() {
                            map.insert("name".into(), Value::String(format!("{first} {last}").trim().to_string()));
                        }
                    }
                }
                let mut none = || 0;
                spec.conform(&source, object, Some(&example), &mut none)
            }
            None => example,
        };
        if let Value::Object(map) = &mut out {
            map.insert("id".into(), Value::from(id));
        }
        out
    }

    /// Sets the references that `..._id` fields of `input` name (`leader_id` → `leader`).
    fn link_refs(&self, schema_name: &str, value: &mut Value, input: &Value) {
        let spec = spec();
        let schema = spec.schema(schema_name);
        let Value::Object(fields) = input else { return };
        for (key, raw) in fields {
            let Some(property) = ref_property(key) else { continue };
            let Some(prop_schema) = spec.property(schema, property) else { continue };
            if spec.object_schema(prop_schema).is_none() {
                continue;
            }
            let Some(target) = ref_target(schema_name, property).and_then(|t| model().collection(t)) else { continue };
            let linked = match raw.as_i64() {
                Some(id) => self.make_ref(target, id, prop_schema),
                None if raw.is_null() && spec.nullable(prop_schema) => Value::Null,
                None => continue,
            };
            value[property] = linked;
        }
    }

    /// Fields derived from others, so that created and updated entities stay consistent.
    fn derive(&self, schema_name: &str, value: &mut Value, input: &Value) {
        let spec = spec();
        match schema_name {
            "Activity" => {
                if let Some(seconds) = input.get("seconds").and_then(Value::as_f64) {
                    value["hours"] = json!((seconds / 36.0).round() / 100.0);
                    if input.get("worked_seconds").is_none() {
                        value["worked_seconds"] = json!(seconds as i64);
                    }
                } else if let Some(hours) = input.get("hours").and_then(Value::as_f64) {
                    value["seconds"] = json!((hours * 3600.0).round() as i64);
                    value["worked_seconds"] = json!((hours * 3600.0).round() as i64);
                }
                // The customer is the project's.
                let project = value["project"]["id"].as_i64().and_then(|id| self.entity(Store::coll("/projects"), id));
                if let Some(project) = project {
                    if let Some(customer_id) = project.value["customer"]["id"].as_i64() {
                        if let Some(prop) = spec.property(spec.schema("Activity"), "customer") {
                            value["customer"] = self.make_ref(Store::coll("/companies"), customer_id, prop);
                        }
                    }
                    if input.get("billable").is_none() && input.get("task_id").is_some() {
                        if let Some(billable) = value["task"]["billable"].as_bool() {
                            value["billable"] = Value::Bool(billable && project.value["billable"].as_bool().unwrap_or(true));
                        }
                    }
                }
            }
            "ProjectContract" => {
                if let Some(user) = value["user_id"].as_i64().and_then(|id| self.entity(Store::coll("/users"), id)) {
                    value["firstname"] = user.value["firstname"].clone();
                    value["lastname"] = user.value["lastname"].clone();
                }
            }
            _ => {}
        }
    }

    /// What an entity created by `actor` records about its owner.
    fn assign_actor(&self, schema_name: &str, value: &mut Value, input: &Value, actor: Actor) {
        let spec = spec();
        let schema = spec.schema(schema_name);
        let users = Store::coll("/users");
        if input.get("user_id").is_none() {
            if let Some(prop) = spec.property(schema, "user") {
                if spec.object_schema(prop).is_some() {
                    value["user"] = self.make_ref(users, actor.user_id, prop);
                }
            } else if let Some(prop) = spec.property(schema, "user_id") {
                if prop["type"] == "integer" {
                    value["user_id"] = json!(actor.user_id);
                }
            }
        }
        if let Some(prop) = spec.property(schema, "impersonating_user") {
            value["impersonating_user"] = match actor.impersonated_by {
                Some(owner) => self.make_ref(users, owner, prop),
                None => Value::Null,
            };
        }
    }

    /// Creates an entity from a request body: the schema's example, with the body's fields.
    pub(crate) fn create(&mut self, coll: usize, scope: Option<i64>, input: &Value, actor: Actor) -> Value {
        let spec = spec();
        let def = &model().collections[coll];
        let schema = spec.schema(&def.schema);
        let base = spec.example(schema);
        let mut value = self.fit(input, schema, &base);
        let id = self.allocate_id();
        value["id"] = json!(id);
        self.link_refs(&def.schema, &mut value, input);
        self.assign_actor(&def.schema, &mut value, input, actor);
        self.derive(&def.schema, &mut value, input);
        let now = self.now();
        stamp(spec, schema, &mut value, Some(&now), &now);
        self.colls[coll].insert(id, Entity { scope, value: value.clone() });
        value
    }

    /// Merges a request body into an entity.
    pub(crate) fn update(&mut self, coll: usize, id: i64, input: &Value) -> Option<Value> {
        let spec = spec();
        let def = &model().collections[coll];
        let schema = spec.schema(&def.schema);
        let current = self.entity(coll, id)?.value.clone();
        let mut value = self.fit(input, schema, &current);
        value["id"] = json!(id);
        self.link_refs(&def.schema, &mut value, input);
        self.derive(&def.schema, &mut value, input);
        self.touch(coll, id, value)
    }

    /// Stores a new version of an entity with a fresh `updated_at`.
    pub(crate) fn touch(&mut self, coll: usize, id: i64, mut value: Value) -> Option<Value> {
        let spec = spec();
        let schema = spec.schema(&model().collections[coll].schema);
        let now = self.now();
        stamp(spec, schema, &mut value, None, &now);
        let entity = self.colls[coll].get_mut(&id)?;
        entity.value = value.clone();
        Some(value)
    }

    fn fit(&mut self, input: &Value, schema: &Value, base: &Value) -> Value {
        let mut next = self.next_id;
        let value = spec().conform(input, schema, Some(base), &mut || {
            next += 1;
            next
        });
        self.next_id = next;
        value
    }

    /// Removes an entity and everything nested in it.
    pub(crate) fn delete(&mut self, coll: usize, id: i64) -> Option<Entity> {
        let removed = self.colls[coll].remove(&id)?;
        for (child, def) in model().collections.iter().enumerate() {
            if def.parent.as_ref().is_some_and(|(parent, _)| *parent == coll) {
                self.colls[child].retain(|_, e| e.scope != Some(id));
            }
        }
        Some(removed)
    }

    /// Inserts an entity as it is (the seeded dataset).
    pub(crate) fn insert(&mut self, coll: usize, scope: Option<i64>, value: Value) {
        let id = value["id"].as_i64().unwrap_or_default();
        self.colls[coll].insert(id, Entity { scope, value });
    }

    /// An entity as the API shows it: embedded lists (a project's tasks and contracts, a
    /// team's users, a company's projects) filled from the current state.
    pub(crate) fn render(&self, coll: usize, entity: &Entity) -> Value {
        let spec = spec();
        let def = &model().collections[coll];
        let schema = spec.schema(&def.schema);
        let mut value = entity.value.clone();
        let Some(id) = value["id"].as_i64() else { return value };
        for (property, child) in &def.children {
            let Some(item_schema) = spec.property(schema, property).map(|p| &p["items"]) else { continue };
            let items: Vec<Value> =
                self.colls[*child].values().filter(|e| e.scope == Some(id)).map(|e| spec.project(&e.value, item_schema)).collect();
            value[property.as_str()] = Value::Array(items);
        }
        let reverse: &[(&str, &str, &str, &str)] = &[("Unit", "users", "/users", "unit"), ("Company", "projects", "/projects", "customer")];
        for (schema_name, property, source, via) in reverse {
            if def.schema != *schema_name {
                continue;
            }
            let Some(item_schema) = spec.property(schema, property).map(|p| &p["items"]) else { continue };
            let Some(source) = model().collection(source) else { continue };
            let items: Vec<Value> = self.colls[source]
                .values()
                .filter(|e| e.value[via]["id"].as_i64() == Some(id))
                .map(|e| spec.project(&e.value, item_schema))
                .collect();
            value[*property] = Value::Array(items);
        }
        value
    }

    /// The user's profile, in the shape of `/profile`.
    pub(crate) fn profile(&self, user_id: i64) -> Value {
        let spec = spec();
        let profile_schema = spec.schema("Profile");
        let mut out = spec.example(profile_schema);
        if let Some(user) = self.entity(Store::coll("/users"), user_id) {
            let u = &user.value;
            let first = u["firstname"].as_str().unwrap_or_default();
            let last = u["lastname"].as_str().unwrap_or_default();
            let fields: Map<String, Value> = [
                ("id", json!(user_id)),
                ("email", u["email"].clone()),
                ("full_name", json!(format!("{first} {last}").trim())),
                ("first_name", u["firstname"].clone()),
                ("last_name", u["lastname"].clone()),
                ("active", u["active"].clone()),
                ("external", u["extern"].clone()),
                ("avatar_url", u["avatar_url"].clone()),
                ("unit", u["unit"].clone()),
                ("created_at", u["created_at"].clone()),
                ("updated_at", u["updated_at"].clone()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            let mut none = || 0;
            out = spec.conform(&Value::Object(fields), profile_schema, Some(&out), &mut none);
        }
        out["id"] = json!(user_id);
        out
    }
}

/// Sets `created_at` (when given) and `updated_at`, where the schema has them.
pub(crate) fn stamp(spec: &Spec, schema: &Value, value: &mut Value, created: Option<&str>, updated: &str) {
    if let Some(created) = created {
        if spec.property(schema, "created_at").is_some() {
            value["created_at"] = json!(created);
        }
    }
    if spec.property(schema, "updated_at").is_some() {
        value["updated_at"] = json!(updated);
    }
}
