//! What the fake makes of the spec's paths: which ones form collections of entities (`/things`
//! with `/things/{id}`, nested ones such as `/projects/{project_id}/tasks`), and what each
//! operation does to them.

use std::{collections::HashMap, sync::OnceLock};

use crate::spec::{spec, Method, Response, Segment, Spec};

/// A collection of entities, e.g. `/projects` or `/projects/{project_id}/tasks`.
#[derive(Debug)]
pub(crate) struct CollectionDef {
    /// The list path template.
    pub base: String,
    /// The schema of one entity (`Project`).
    pub schema: String,
    /// The enclosing collection (index) and the path parameter naming its entity.
    pub parent: Option<(usize, String)>,
    /// `X-Moco-Target` of web hook deliveries for this collection.
    pub target: Option<&'static str>,
    /// Array properties filled from a nested collection: (property, child collection).
    pub children: Vec<(String, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OpKind {
    List {
        coll: usize,
        all_scopes: bool,
    },
    Create {
        coll: usize,
    },
    Bulk {
        coll: usize,
    },
    Get {
        coll: usize,
    },
    Update {
        coll: usize,
    },
    Delete {
        coll: usize,
    },
    DestroyAll {
        coll: usize,
    },
    /// `B/{id}/word...` answering with the entity (or nothing): merge the body, apply the action.
    Action {
        coll: usize,
        action: String,
    },
    Taggings,
    Login,
    Session,
    Profile,
    /// Answered from the spec's examples.
    Static,
}

/// An entity the path names and that must exist: `{param}` must be an id in `coll`.
#[derive(Clone, Debug)]
pub(crate) struct Check {
    pub coll: usize,
    pub param: String,
}

pub(crate) struct Model {
    pub collections: Vec<CollectionDef>,
    pub kinds: Vec<OpKind>,
    pub checks: Vec<Vec<Check>>,
    by_base: HashMap<String, usize>,
}

pub(crate) fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::build(spec()))
}

/// Web hook targets of the collections MOCO delivers events for.
const TARGETS: &[(&str, &str)] = &[
    ("/activities", "Activity"),
    ("/companies", "Company"),
    ("/contacts/people", "Contact"),
    ("/deals", "Deal"),
    ("/invoices", "Invoice"),
    ("/offers", "Offer"),
    ("/projects", "Project"),
    ("/purchases", "Purchase"),
    ("/users", "User"),
    ("/comments", "Comment"),
    ("/schedules", "Schedule"),
    ("/planning_entries", "PlanningEntry"),
    ("/users/presences", "Presence"),
    ("/projects/{project_id}/tasks", "Task"),
    ("/projects/{project_id}/contracts", "Contract"),
    ("/projects/{project_id}/expenses", "Expense"),
    ("/projects/{project_id}/recurring_expenses", "RecurringExpense"),
    ("/projects/{project_id}/payment_schedules", "Project::PaymentSchedule"),
    ("/invoices/payments", "Invoice::Payment"),
    ("/invoice_reminders", "InvoiceReminder"),
    ("/purchases/drafts", "Purchase::Draft"),
    ("/purchases/payments", "Purchase::Payment"),
];

fn template_of(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        match segment {
            Segment::Literal(l) => out.push_str(l),
            Segment::Param { name, prefix, suffix } => {
                out.push_str(prefix);
                out.push('{');
                out.push_str(name);
                out.push('}');
                out.push_str(suffix);
            }
        }
    }
    out
}

fn is_plain_param(segment: &Segment) -> Option<&str> {
    match segment {
        Segment::Param { name, prefix, suffix } if prefix.is_empty() && suffix.is_empty() => Some(name),
        _ => None,
    }
}

impl Model {
    fn build(spec: &Spec) -> Self {
        // Candidate bases: `B` of every `B/{id}`, and every path with both a list and a create.
        let mut bases: Vec<String> = Vec::new();
        for op in &spec.ops {
            let n = op.segments.len();
            if n >= 2 && is_plain_param(&op.segments[n - 1]) == Some("id") {
                let base = template_of(&op.segments[..n - 1]);
                if !bases.contains(&base) {
                    bases.push(base);
                }
            }
        }
        for op in &spec.ops {
            if op.method == Method::Post && op.response_schema_name().is_some_and(|(_, list)| !list) {
                let lists = spec
                    .ops
                    .iter()
                    .any(|o| o.template == op.template && o.method == Method::Get && o.response_schema_name().is_some_and(|(_, l)| l));
                if lists && !bases.contains(&op.template) {
                    bases.push(op.template.clone());
                }
            }
        }
        // The entity schema of each base.
        let mut collections: Vec<CollectionDef> = Vec::new();
        for base in &bases {
            let item = format!("{base}/{{id}}");
            let find = |template: &str, method: Method, list: bool| {
                spec.ops
                    .iter()
                    .find(|o| o.template == template && o.method == method)
                    .and_then(|o| o.response_schema_name())
                    .filter(|(_, l)| *l == list)
                    .map(|(name, _)| name.to_string())
            };
            let schema = find(&item, Method::Get, false)
                .or_else(|| find(&item, Method::Put, false))
                .or_else(|| find(&item, Method::Patch, false))
                .or_else(|| find(base, Method::Post, false))
                .or_else(|| find(base, Method::Get, true));
            let Some(schema) = schema else { continue };
            let target = TARGETS.iter().find(|(b, _)| b == base).map(|(_, t)| *t);
            collections.push(CollectionDef { base: base.clone(), schema, parent: None, target, children: Vec::new() });
        }
        let by_base: HashMap<String, usize> = collections.iter().enumerate().map(|(i, c)| (c.base.clone(), i)).collect();
        // Parents and children.
        for i in 0..collections.len() {
            let segments: Vec<Segment> = collections[i].base.trim_matches('/').split('/').map(Segment::parse).collect();
            if let Some(pos) = segments.iter().rposition(|s| is_plain_param(s).is_some()) {
                let parent_base = template_of(&segments[..pos]);
                if let Some(&parent) = by_base.get(&parent_base) {
                    let param = is_plain_param(&segments[pos]).unwrap_or_default().to_string();
                    collections[i].parent = Some((parent, param));
                    if pos + 2 == segments.len() {
                        if let Segment::Literal(word) = &segments[pos + 1] {
                            let parent_schema = spec.schema(&collections[parent].schema);
                            if spec.property(parent_schema, word).is_some_and(|p| p["type"] == "array") {
                                collections[parent].children.push((word.clone(), i));
                            }
                        }
                    }
                }
            }
        }
        // What each operation does.
        let mut kinds = Vec::new();
        let mut checks = Vec::new();
        for op in &spec.ops {
            let n = op.segments.len();
            let (schema_name, is_list) = match op.response_schema_name() {
                Some((name, list)) => (Some(name), list),
                None => (None, false),
            };
            let empty = matches!(op.response, Response::Empty);
            let base_of = |k: usize| by_base.get(&template_of(&op.segments[..k])).copied();
            let kind = if op.template == "/session" {
                if op.method == Method::Post {
                    OpKind::Login
                } else {
                    OpKind::Session
                }
            } else if op.template == "/profile" {
                OpKind::Profile
            } else if op.template.starts_with("/taggings/") {
                OpKind::Taggings
            } else if let Some(&coll) = by_base.get(&op.template) {
                match op.method {
                    Method::Get if is_list => OpKind::List { coll, all_scopes: false },
                    Method::Post if !is_list && schema_name.is_some() => OpKind::Create { coll },
                    _ => OpKind::Static,
                }
            } else if n >= 2 && is_plain_param(&op.segments[n - 1]) == Some("id") && base_of(n - 1).is_some() {
                let coll = base_of(n - 1).unwrap_or_default();
                match op.method {
                    Method::Get => OpKind::Get { coll },
                    Method::Put | Method::Patch => OpKind::Update { coll },
                    Method::Delete => OpKind::Delete { coll },
                    Method::Post => OpKind::Static,
                }
            } else if n >= 2
                && base_of(n - 1).is_some()
                && op.segments[n - 1] == Segment::Literal("bulk".into())
                && op.method == Method::Post
            {
                OpKind::Bulk { coll: base_of(n - 1).unwrap_or_default() }
            } else if n >= 2 && base_of(n - 1).is_some() && op.segments[n - 1] == Segment::Literal("destroy_all".into()) {
                OpKind::DestroyAll { coll: base_of(n - 1).unwrap_or_default() }
            } else if let Some(k) = (1..n).rev().find(|&k| {
                is_plain_param(&op.segments[k]) == Some("id")
                    && k + 1 < n
                    && base_of(k).is_some()
                    && op.segments[k + 1..].iter().all(|s| matches!(s, Segment::Literal(_)))
            }) {
                let coll = base_of(k).unwrap_or_default();
                let returns_entity = empty || (schema_name == Some(collections[coll].schema.as_str()) && !is_list);
                if returns_entity && op.method != Method::Get {
                    let action = op.segments[k + 1..]
                        .iter()
                        .map(|s| match s {
                            Segment::Literal(l) => l.as_str(),
                            _ => "",
                        })
                        .collect::<Vec<_>>()
                        .join("/");
                    OpKind::Action { coll, action }
                } else {
                    OpKind::Static
                }
            } else if op.method == Method::Get && is_list && !op.segments.iter().any(|s| matches!(s, Segment::Param { .. })) {
                let found = collections.iter().position(|c| c.parent.is_some() && Some(c.schema.as_str()) == schema_name);
                match found {
                    Some(coll) => OpKind::List { coll, all_scopes: true },
                    None => OpKind::Static,
                }
            } else {
                OpKind::Static
            };
            kinds.push(kind);
            // Entities named by the path must exist.
            let mut op_checks = Vec::new();
            for (k, segment) in op.segments.iter().enumerate() {
                if let Segment::Param { name, .. } = segment {
                    if let Some(coll) = base_of(k) {
                        op_checks.push(Check { coll, param: name.clone() });
                    }
                }
            }
            checks.push(op_checks);
        }
        Model { collections, kinds, checks, by_base }
    }

    pub(crate) fn collection(&self, base: &str) -> Option<usize> {
        self.by_base.get(base).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(operation_id: &str) -> &'static OpKind {
        let i = spec().ops.iter().position(|o| o.id == operation_id).unwrap();
        &model().kinds[i]
    }

    fn coll(base: &str) -> usize {
        model().collection(base).unwrap_or_else(|| panic!("no collection {base}"))
    }

    #[test]
    fn the_main_entities_are_collections() {
        for base in [
            "/users",
            "/units",
            "/companies",
            "/contacts/people",
            "/projects",
            "/projects/{project_id}/tasks",
            "/projects/{project_id}/contracts",
            "/activities",
            "/deals",
            "/invoices",
            "/offers",
            "/schedules",
            "/users/presences",
            "/purchases",
            "/tags",
            "/account/web_hooks",
        ] {
            coll(base);
        }
    }

    #[test]
    fn operations_are_classified() {
        let projects = coll("/projects");
        let tasks = coll("/projects/{project_id}/tasks");
        assert_eq!(kind("list_projects"), &OpKind::List { coll: projects, all_scopes: false });
        assert_eq!(kind("create_project"), &OpKind::Create { coll: projects });
        assert_eq!(kind("get_project"), &OpKind::Get { coll: projects });
        assert_eq!(kind("update_project"), &OpKind::Update { coll: projects });
        assert_eq!(kind("delete_project"), &OpKind::Delete { coll: projects });
        assert_eq!(kind("archive_project"), &OpKind::Action { coll: projects, action: "archive".into() });
        assert_eq!(kind("get_project_report"), &OpKind::Static);
        assert_eq!(kind("list_project_tasks"), &OpKind::List { coll: tasks, all_scopes: false });
        assert_eq!(kind("delete_all_project_tasks"), &OpKind::DestroyAll { coll: tasks });
        assert_eq!(kind("create_activities_bulk"), &OpKind::Bulk { coll: coll("/activities") });
        let expenses = coll("/projects/{project_id}/expenses");
        assert_eq!(kind("list_all_project_expenses"), &OpKind::List { coll: expenses, all_scopes: true });
        assert_eq!(model().collections[tasks].parent, Some((projects, "project_id".to_string())));
        assert!(model().collections[projects].children.iter().any(|(p, c)| p == "tasks" && *c == tasks));
        assert_eq!(model().collections[coll("/invoices")].schema, "Invoice");
    }
}
