//! The deterministic dataset a fake starts with: every entity is the spec's example with varied
//! ids, names, dates and amounts, and references that point at other seeded entities (an
//! activity's task belongs to its project, its customer is the project's).

use chrono::{Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use crate::{
    model::model,
    spec::spec,
    store::{ref_target, stamp, timestamp, Rng, Store},
    FakeConfig,
};

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Klara", "Lukas", "Mia", "Noah", "Olivia", "Paul",
    "Quirin", "Rosa", "Simon", "Tina", "Uwe", "Vera", "Willi", "Yara", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Muster", "Meier", "Schmidt", "Keller", "Weber", "Fischer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Brunner",
    "Frei", "Huber", "Graf", "Lang", "Vogel", "Roth", "Berger",
];
const COMPANY_WORDS: &[&str] =
    &["Alpen", "Nordlicht", "Rhein", "Berg", "Sonnen", "Blau", "Eichen", "Stadt", "Kristall", "Feder", "Falken", "Linden"];
const COMPANY_KINDS: &[&str] = &["Druck", "Digital", "Bau", "Logistik", "Medien", "Software", "Design", "Energie", "Reisen", "Pharma"];
const COMPANY_SUFFIXES: &[&str] = &["AG", "GmbH", "& Co. KG", "SA", "Ltd."];
const PROJECT_NAMES: &[&str] = &[
    "Website Relaunch",
    "Brand Refresh",
    "Mobile App",
    "Intranet",
    "Online Shop",
    "Annual Report",
    "Trade Fair",
    "Newsletter",
    "Customer Portal",
    "Data Migration",
    "SEO Audit",
    "Campaign",
    "Support Retainer",
    "Workshop Series",
];
const TASK_NAMES: &[&str] = &["Project Management", "Concept", "Design", "Development", "Testing", "Content", "Support", "Consulting"];
const UNIT_NAMES: &[&str] = &["Management", "Design", "Development", "Consulting", "Sales", "Operations", "Marketing", "Finance"];
const TAG_NAMES: &[&str] = &["Important", "Strategic", "Print", "Digital", "Key Account", "On Hold", "Pharma", "Retail", "Public"];
const DESCRIPTIONS: &[&str] = &[
    "Analysis context and dependencies",
    "Meeting with the client",
    "Implementation",
    "Review and feedback",
    "Bug fixing",
    "Workshop preparation",
    "Coordination",
    "Documentation",
    "Design iteration",
    "Testing on devices",
];

/// When the seeded history starts; each seeded entity is an hour younger than the one before
/// (so that `created_from`, `updated_after` and the like find some entities and not others).
fn epoch() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).single().unwrap_or_default()
}

struct Seeder {
    rng: Rng,
    tick: i64,
}

impl Seeder {
    fn date(&mut self, year: i32) -> String {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        (start + Duration::days(self.rng.below(365) as i64)).format("%Y-%m-%d").to_string()
    }

    fn example(schema: &str) -> Value {
        spec().example(spec().schema(schema))
    }

    /// Stores a seeded entity with a new id and the next timestamp.
    fn add(&mut self, store: &mut Store, coll: usize, scope: Option<i64>, mut value: Value) -> i64 {
        let id = store.allocate_id();
        value["id"] = json!(id);
        let time = timestamp(epoch() + Duration::hours(self.tick));
        self.tick += 1;
        let schema = spec().schema(&model().collections[coll].schema);
        stamp(spec(), schema, &mut value, Some(&time), &time);
        store.insert(coll, scope, value);
        id
    }

    fn random_id(&mut self, store: &Store, coll: usize) -> Option<i64> {
        let ids: Vec<i64> = store.colls[coll].keys().copied().collect();
        (!ids.is_empty()).then(|| *self.rng.pick(&ids))
    }

    /// Points every reference property at a random seeded entity of its kind (a nullable one
    /// becomes `null` when there is none).
    fn link(&mut self, store: &Store, schema_name: &str, value: &mut Value) {
        let spec = spec();
        let schema = spec.schema(schema_name);
        let Some(props) = spec.properties(schema) else { return };
        for (name, prop) in props {
            if spec.object_schema(prop).is_none() || name == "impersonating_user" {
                continue;
            }
            let Some(target) = ref_target(schema_name, name).and_then(|t| model().collection(t)) else { continue };
            let picked = if name == "task" {
                let project = value["project"]["id"].as_i64();
                project.and_then(|p| {
                    let ids = store.ids_in(target, p);
                    (!ids.is_empty()).then(|| *self.rng.pick(&ids))
                })
            } else {
                self.random_id(store, target)
            };
            match picked {
                Some(id) => value[name.as_str()] = store.make_ref(target, id, prop),
                None if spec.nullable(prop) => value[name.as_str()] = Value::Null,
                None => {}
            }
        }
    }

    fn person(&mut self) -> (String, String) {
        (self.rng.pick(FIRST_NAMES).to_string(), self.rng.pick(LAST_NAMES).to_string())
    }
}

/// The values of a closed string or integer enum (also one branch of an `anyOf`), if the
/// property has one.
fn enum_values(prop: &Value) -> Option<Vec<Value>> {
    let spec = spec();
    let schema = spec.resolve(prop);
    if let Some(values) = schema["enum"].as_array() {
        return Some(values.clone());
    }
    schema["anyOf"].as_array()?.iter().find_map(|branch| spec.resolve(branch)["enum"].as_array().cloned())
}

/// Whether a property holds a date (`format: date`, also as a branch of an `anyOf`).
fn is_date(prop: &Value) -> bool {
    let spec = spec();
    let schema = spec.resolve(prop);
    schema["format"] == "date" || schema["anyOf"].as_array().is_some_and(|b| b.iter().any(|b| spec.resolve(b)["format"] == "date"))
}

/// Kinds of commented entities and where the fake keeps them.
const COMMENTABLE: &[(&str, &str)] = &[
    ("Company", "/companies"),
    ("Contact", "/contacts/people"),
    ("Deal", "/deals"),
    ("Expense", "/projects/{project_id}/expenses"),
    ("Invoice", "/invoices"),
    ("InvoiceBookkeepingExport", "/invoices/bookkeeping_exports"),
    ("InvoiceReminder", "/invoice_reminders"),
    ("Offer", "/offers"),
    ("OfferConfirmation", "/offer_confirmations"),
    ("Project", "/projects"),
    ("ProjectGroup", "/projects/groups"),
    ("Purchase", "/purchases"),
    ("PurchaseBookkeepingExport", "/purchases/bookkeeping_exports"),
    ("PurchaseDraft", "/purchases/drafts"),
    ("Receipt", "/receipts"),
    ("RecurringExpense", "/projects/{project_id}/recurring_expenses"),
    ("Unit", "/units"),
    ("User", "/users"),
];

/// Date pairs that must stay in order.
const SPANS: &[(&str, &str)] =
    &[("starts_on", "ends_on"), ("from", "to"), ("start_date", "finish_date"), ("service_period_from", "service_period_to")];

/// A day of the month before this one (`back` months ago), or of this month up to today, so
/// that "this month" and "last month" always have data.
fn recent_date(rng: &mut Rng, back: u32) -> String {
    let today = Utc::now().date_naive();
    let first = today.with_day(1).unwrap_or(today);
    let start = first.checked_sub_months(Months::new(back)).unwrap_or(first);
    let days = if back == 0 {
        (today - first).num_days() + 1
    } else {
        (first.checked_sub_months(Months::new(back - 1)).unwrap_or(first) - start).num_days()
    };
    (start + Duration::days(rng.below(days.max(1) as usize) as i64)).format("%Y-%m-%d").to_string()
}

/// What the spec's example holds the same for every entity of a collection that a filter
/// selects on: made to differ, pointing at seeded entities where it names one.
fn vary(store: &Store, schema: &str, i: usize, v: &mut Value) {
    let pick = |base: &str| {
        let ids = store.ids(Store::coll(base));
        (!ids.is_empty()).then(|| ids[i % ids.len()])
    };
    // Their users take turns, so that two entries of one list belong to different users.
    if let (true, Some(prop), Some(user)) = (v["user"].is_object(), spec().property(spec().schema(schema), "user"), pick("/users")) {
        v["user"] = store.make_ref(Store::coll("/users"), user, prop);
    }
    match schema {
        "Comment" => {
            let (kind, base) = [("Project", "/projects"), ("Company", "/companies"), ("Deal", "/deals"), ("Invoice", "/invoices")][i % 4];
            v["commentable_type"] = json!(kind);
            v["commentable_id"] = json!(pick(base));
        }
        "Approval" => {
            // The target is an invoice or a purchase, as `target_type` says.
            let base = if v["target_type"] == "invoice" { "/invoices" } else { "/purchases" };
            if let (Some(target), Some(prop)) = (pick(base), spec().property(spec().schema("Approval"), "target")) {
                v["target"] = store.make_ref(Store::coll(base), target, prop);
            }
        }
        "CustomPropertyDefinition" => v["entity"] = json!(["Project", "Company", "Deal", "Contact", "User"][i % 5]),
        "RevenueCategory" => {
            v["revenue_account"] = json!(3000 + i as i64 * 10);
            v["cost_category"] = json!(format!("KOST{}", i + 1));
        }
        "Receipt" => {
            v["refund_request"] = if i.is_multiple_of(2) { json!({ "id": 260 + i as i64, "status": "pending" }) } else { Value::Null };
            if let (Some(items), Some(category)) = (v["items"].as_array_mut(), pick("/purchases/categories")) {
                for item in items {
                    if item["purchase_category"].is_object() {
                        item["purchase_category"]["id"] = json!(category);
                    }
                }
            }
        }
        "InvoiceBookkeepingExport" | "PurchaseBookkeepingExport" => {
            // Each export books one of the first seeded invoices (purchases); the others are not booked.
            let (field, base) =
                if schema == "InvoiceBookkeepingExport" { ("invoice_ids", "/invoices") } else { ("purchase_ids", "/purchases") };
            let ids = store.ids(Store::coll(base));
            v[field] = json!(ids.get(i).into_iter().collect::<Vec<_>>());
        }
        _ => {}
    }
}

fn slug(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase()
}

pub(crate) fn seed(store: &mut Store, config: &FakeConfig) {
    let mut s = Seeder { rng: Rng::new(config.seed), tick: 0 };
    let coll = Store::coll;
    let mut seeded: Vec<usize> = Vec::new();
    let mut mark = |c: usize| {
        seeded.push(c);
        c
    };

    let units = mark(coll("/units"));
    for i in 0..config.units.max(1) {
        let mut v = Seeder::example("Unit");
        v["name"] = json!(UNIT_NAMES.get(i).map(|n| n.to_string()).unwrap_or_else(|| format!("Team {}", i + 1)));
        s.add(store, units, None, v);
    }

    let users = mark(coll("/users"));
    // One more user than asked for, deactivated, for `include_archived` to show.
    let active_users = config.users.max(1);
    for i in 0..active_users + 1 {
        let mut v = Seeder::example("User");
        let (first, last) = if i == 0 { ("Max".to_string(), "Muster".to_string()) } else { s.person() };
        v["firstname"] = json!(first);
        v["lastname"] = json!(last);
        v["email"] = json!(format!("{}.{}{}@example.com", slug(&first), slug(&last), if i == 0 { String::new() } else { i.to_string() }));
        v["active"] = json!(i < active_users);
        v["extern"] = json!(false);
        v["tags"] = json!([TAG_NAMES[i % TAG_NAMES.len()]]);
        let year = 1960 + s.rng.below(40) as i32;
        v["birthday"] = json!(s.date(year));
        s.link(store, "User", &mut v);
        let id = s.add(store, users, None, v);
        if i == 0 {
            store.owner_id = id;
        }
    }

    let companies = mark(coll("/companies"));
    // Archived companies come on top of the active ones asked for: one per seven.
    for i in 0..config.companies + config.companies / 7 {
        let mut v = Seeder::example("Company");
        let name = format!("{} {} {}", s.rng.pick(COMPANY_WORDS), s.rng.pick(COMPANY_KINDS), s.rng.pick(COMPANY_SUFFIXES));
        v["type"] = json!(match i % 10 {
            4 | 8 => "supplier",
            9 => "organization",
            _ => "customer",
        });
        v["tags"] = json!([TAG_NAMES[(i * 2) % TAG_NAMES.len()]]);
        let archived = i >= config.companies;
        v["active"] = json!(!archived);
        v["archived_on"] = if archived { json!("2024-06-30") } else { Value::Null };
        v["identifier"] = json!((i + 1).to_string());
        v["website"] = json!(format!("www.{}.example", slug(&name)));
        v["email"] = json!(format!("info@{}.example", slug(&name)));
        v["name"] = json!(name);
        v["currency"] = json!("EUR");
        s.link(store, "Company", &mut v);
        s.add(store, companies, None, v);
    }
    let customers: Vec<i64> = store.colls[companies].iter().filter(|(_, e)| e.value["type"] == "customer").map(|(id, _)| *id).collect();

    let contacts = mark(coll("/contacts/people"));
    for _ in 0..config.contacts {
        let mut v = Seeder::example("Contact");
        let (first, last) = s.person();
        v["work_email"] = json!(format!("{}.{}@example.com", slug(&first), slug(&last)));
        v["firstname"] = json!(first);
        v["lastname"] = json!(last);
        let n = store.colls[contacts].len();
        v["work_phone"] = json!(format!("+41 44 {:03} {:02} {:02}", 100 + n, n % 100, (n * 7) % 100));
        v["mobile_phone"] = json!(format!("+41 79 {:03} {:02} {:02}", 200 + n, (n * 3) % 100, (n * 11) % 100));
        v["tags"] = json!([TAG_NAMES[n % TAG_NAMES.len()]]);
        let year = 1960 + s.rng.below(40) as i32;
        v["birthday"] = json!(s.date(year));
        s.link(store, "Contact", &mut v);
        s.add(store, contacts, None, v);
    }

    let categories = mark(coll("/deal_categories"));
    for (name, probability) in [("Contact", 10), ("Offer", 30), ("Negotiation", 60), ("Verbal agreement", 90)] {
        let mut v = Seeder::example("DealCategory");
        v["name"] = json!(name);
        v["probability"] = json!(probability);
        s.add(store, categories, None, v);
    }

    let deals = mark(coll("/deals"));
    for i in 0..config.deals {
        let mut v = Seeder::example("Deal");
        v["name"] = json!(format!("{} {}", s.rng.pick(PROJECT_NAMES), i + 1));
        let status = ["potential", "pending", "won", "lost", "dropped"][i % 5];
        v["status"] = json!(status);
        v["closed_on"] = if matches!(status, "won" | "lost" | "dropped") { json!(s.date(2024)) } else { Value::Null };
        v["tags"] = json!([TAG_NAMES[i % TAG_NAMES.len()]]);
        v["money"] = json!((s.rng.below(200) as f64 + 1.0) * 500.0);
        v["currency"] = json!("EUR");
        v["reminder_date"] = json!(s.date(2024));
        s.link(store, "Deal", &mut v);
        s.add(store, deals, None, v);
    }

    let tags = mark(coll("/tags"));
    for i in 0..config.tags {
        let mut v = Seeder::example("Tag");
        v["name"] = json!(TAG_NAMES.get(i).map(|n| n.to_string()).unwrap_or_else(|| format!("Tag {}", i + 1)));
        v["context"] = json!(["Project", "Company", "Contact", "Deal", "Invoice", "Offer", "Purchase", "User"][i % 8]);
        s.add(store, tags, None, v);
    }

    let projects = mark(coll("/projects"));
    let tasks = mark(coll("/projects/{project_id}/tasks"));
    let contracts = mark(coll("/projects/{project_id}/contracts"));
    let user_ids = store.ids(users);
    // Archived projects come on top of the active ones asked for: one per six.
    for i in 0..config.projects + config.projects / 6 {
        let mut v = Seeder::example("Project");
        s.link(store, "Project", &mut v);
        v["name"] = json!(format!("{} {}", s.rng.pick(PROJECT_NAMES), i + 1));
        v["identifier"] = json!(format!("P{:04}", i + 1));
        // Every fourth is a retainer.
        let archived = i >= config.projects;
        v["active"] = json!(!archived);
        v["archived_on"] = if archived { json!("2024-12-31") } else { Value::Null };
        v["retainer"] = json!(i % 4 == 1);
        let priority = ["High", "Normal", "Low"][i % 3];
        v["custom_properties"] = json!({
            "Project Management": format!("https://basecamp.example/projects/{}", i + 1),
            "Priority": priority,
        });
        let start = s.date(2024);
        v["start_date"] = json!(start);
        v["finish_date"] = json!(format!("{}-12-31", &start[..4]));
        v["budget"] = json!((s.rng.below(100) + 1) as f64 * 1000.0);
        v["hourly_rate"] = json!(*s.rng.pick(&[100, 120, 150, 180]));
        v["currency"] = json!("EUR");
        let tag = *s.rng.pick(TAG_NAMES);
        v["tags"] = json!([tag]);
        if !customers.is_empty() {
            let customer = *s.rng.pick(&customers);
            if let Some(prop) = spec().property(spec().schema("Project"), "customer") {
                v["customer"] = store.make_ref(companies, customer, prop);
            }
        }
        if s.rng.unit() < 0.7 {
            v["co_leader"] = Value::Null;
        }
        if s.rng.unit() < 0.5 {
            v["deal"] = Value::Null;
        }
        let project = s.add(store, projects, None, v);
        for t in 0..config.tasks_per_project {
            let mut task = Seeder::example("ProjectTask");
            task["name"] = json!(TASK_NAMES[(t + i) % TASK_NAMES.len()]);
            task["billable"] = json!((t + i) % 4 != 3);
            task["active"] = json!(true);
            task["budget"] = json!((s.rng.below(20) + 1) as f64 * 500.0);
            task["hourly_rate"] = json!(*s.rng.pick(&[0, 100, 120, 150]));
            s.add(store, tasks, Some(project), task);
        }
        let mut staff = user_ids.clone();
        for _ in 0..config.contracts_per_project.min(staff.len()) {
            let user = staff.remove(s.rng.below(staff.len()));
            let mut contract = Seeder::example("ProjectContract");
            contract["user_id"] = json!(user);
            if let Some(u) = store.entity(users, user) {
                contract["firstname"] = u.value["firstname"].clone();
                contract["lastname"] = u.value["lastname"].clone();
            }
            contract["budget"] = json!((s.rng.below(20) + 1) as f64 * 500.0);
            contract["hourly_rate"] = json!(*s.rng.pick(&[90, 110, 130]));
            s.add(store, contracts, Some(project), contract);
        }
    }

    let activities = mark(coll("/activities"));
    let project_ids = store.ids(projects);
    let activity_schema = spec().schema("Activity");
    for i in 0..config.activities {
        if project_ids.is_empty() {
            break;
        }
        let mut v = Seeder::example("Activity");
        let project = *s.rng.pick(&project_ids);
        let project_value = store.entity(projects, project).map(|e| e.value.clone()).unwrap_or_default();
        if let Some(prop) = spec().property(activity_schema, "project") {
            v["project"] = store.make_ref(projects, project, prop);
        }
        let task_ids = store.ids_in(tasks, project);
        match (task_ids.is_empty(), spec().property(activity_schema, "task")) {
            (false, Some(prop)) => {
                let task = *s.rng.pick(&task_ids);
                v["task"] = store.make_ref(tasks, task, prop);
            }
            _ => v["task"] = Value::Null,
        }
        if let (Some(customer), Some(prop)) = (project_value["customer"]["id"].as_i64(), spec().property(activity_schema, "customer")) {
            v["customer"] = store.make_ref(companies, customer, prop);
        }
        let staff: Vec<i64> =
            store.ids_in(contracts, project).iter().filter_map(|c| store.entity(contracts, *c)?.value["user_id"].as_i64()).collect();
        let user = if staff.is_empty() { *s.rng.pick(&user_ids) } else { *s.rng.pick(&staff) };
        if let Some(prop) = spec().property(activity_schema, "user") {
            v["user"] = store.make_ref(users, user, prop);
        }
        let seconds = 900 * (s.rng.below(32) as i64 + 1);
        v["date"] = json!(s.date(2024));
        // A fifth in this month and a fifth in the last one, whatever today is.
        match i % 5 {
            0 => v["date"] = json!(recent_date(&mut s.rng, 0)),
            1 => v["date"] = json!(recent_date(&mut s.rng, 1)),
            _ => {}
        }
        v["seconds"] = json!(seconds);
        v["worked_seconds"] = json!(seconds);
        v["hours"] = json!(seconds as f64 / 3600.0);
        v["description"] = json!(*s.rng.pick(DESCRIPTIONS));
        let task_billable = v["task"]["id"].as_i64().and_then(|t| store.entity(tasks, t)).and_then(|t| t.value["billable"].as_bool());
        v["billable"] = json!(task_billable.unwrap_or(true));
        // Older billable activities are partly billed; some carry a tag or come from Jira.
        let billed = v["billable"] == true && i % 5 >= 2 && i % 3 == 0;
        v["billed"] = json!(billed);
        v["invoice_id"] = Value::Null;
        v["tag"] = json!(["", "", "Meeting", "Travel"][i % 4]);
        let remote = i % 7 == 3;
        v["remote_service"] = if remote { json!("jira") } else { Value::Null };
        v["remote_id"] = if remote { json!(format!("JIRA-{}", 100 + i)) } else { Value::Null };
        v["remote_url"] = if remote { json!(format!("https://example.atlassian.net/browse/JIRA-{}", 100 + i)) } else { Value::Null };
        v["deal"] = match (project_value["deal"]["id"].as_i64(), spec().property(activity_schema, "deal")) {
            (Some(deal), Some(prop)) => store.make_ref(deals, deal, prop),
            _ => Value::Null,
        };
        v["timer_started_at"] = Value::Null;
        v["hourly_rate"] = project_value["hourly_rate"].clone();
        s.add(store, activities, None, v);
    }

    let schedules = mark(coll("/schedules"));
    for i in 0..config.schedules {
        let mut v = Seeder::example("Schedule");
        s.link(store, "Schedule", &mut v);
        let (code, name) = [(4, "Holiday"), (3, "Sick day"), (5, "Absence"), (2, "Public holiday"), (1, "Unplannable absence")][i % 5];
        if v["assignment"].is_object() {
            v["assignment"]["code"] = json!(code.to_string());
            v["assignment"]["name"] = json!(name);
        }
        v["date"] = json!(s.date(2024));
        v["am"] = json!(true);
        v["pm"] = json!(s.rng.unit() < 0.7);
        v["comment"] = json!("");
        s.add(store, schedules, None, v);
    }

    let presences = mark(coll("/users/presences"));
    for _ in 0..config.presences {
        let mut v = Seeder::example("Presence");
        s.link(store, "Presence", &mut v);
        v["date"] = json!(s.date(2024));
        v["from"] = json!(*s.rng.pick(&["07:30", "08:00", "08:30", "09:00"]));
        v["to"] = json!(*s.rng.pick(&["12:00", "16:30", "17:00", "18:00"]));
        v["is_home_office"] = json!(s.rng.unit() < 0.4);
        s.add(store, presences, None, v);
    }

    let invoices = mark(coll("/invoices"));
    for i in 0..config.invoices {
        let mut v = Seeder::example("Invoice");
        s.link(store, "Invoice", &mut v);
        if let Some(project) = (!project_ids.is_empty()).then(|| *s.rng.pick(&project_ids)) {
            let schema = spec().schema("Invoice");
            if let Some(prop) = spec().property(schema, "project") {
                v["project"] = store.make_ref(projects, project, prop);
            }
            v["project_id"] = json!(project);
            let customer = store.entity(projects, project).and_then(|p| p.value["customer"]["id"].as_i64());
            if let (Some(customer), Some(prop)) = (customer, spec().property(schema, "customer")) {
                v["customer"] = store.make_ref(companies, customer, prop);
            }
            v["customer_id"] = json!(customer);
        }
        v["identifier"] = json!(format!("R2024-{:04}", i + 1));
        let date = s.date(2024);
        v["service_period_from"] = json!(format!("{}-01", &date[..7]));
        v["service_period_to"] = json!(format!("{}-28", &date[..7]));
        v["date"] = json!(date);
        v["status"] = json!(["draft", "created", "sent", "partially_paid", "paid", "overdue", "ignored", "disregarded"][i % 8]);
        // One locked invoice of each status `/invoices/locked` can filter by.
        v["locked"] = json!(i < 7);
        v["tags"] = json!([TAG_NAMES[i % TAG_NAMES.len()]]);
        v["title"] = json!(format!("Invoice {}", i + 1));
        s.add(store, invoices, None, v);
    }

    let offers = mark(coll("/offers"));
    for i in 0..config.offers {
        let mut v = Seeder::example("Offer");
        s.link(store, "Offer", &mut v);
        v["identifier"] = json!(format!("A2024-{:04}", i + 1));
        v["date"] = json!(s.date(2024));
        v["status"] = json!(["created", "sent", "accepted", "partially_billed", "billed", "archived"][i % 6]);
        v["tags"] = json!([TAG_NAMES[i % TAG_NAMES.len()]]);
        v["title"] = json!(format!("Offer - {}", s.rng.pick(PROJECT_NAMES)));
        s.add(store, offers, None, v);
    }

    let purchases = mark(coll("/purchases"));
    for i in 0..config.purchases {
        let mut v = Seeder::example("Purchase");
        s.link(store, "Purchase", &mut v);
        v["identifier"] = json!(format!("E2024-{:04}", i + 1));
        v["date"] = json!(s.date(2024));
        v["status"] = json!(["pending", "archived"][i % 2]);
        v["payment_method"] =
            json!(["bank_transfer", "direct_debit", "credit_card", "paypal", "cash", "bank_transfer_swiss_qr_esr"][i % 6]);
        v["approval_status"] = json!(["none", "approved", "denied", "pending"][i % 4]);
        v["partially_paid"] = json!(i % 3 == 1);
        v["tags"] = json!([TAG_NAMES[i % TAG_NAMES.len()]]);
        v["receipt_identifier"] = json!(format!("SUP-{:05}", 100 + i));
        let item_title = ["Train tickets", "Hotel", "Software licence", "Office supplies", "Printing"][i % 5];
        if let Some(items) = v["items"].as_array_mut() {
            for item in items {
                item["title"] = json!(item_title);
            }
        }
        // Every fourth has no supplier; every third has a payment.
        if i % 4 == 3 {
            v["company"] = Value::Null;
        }
        v["payments"] =
            if i % 3 == 2 { json!([{ "id": 9000 + i, "date": v["date"].clone(), "total": v["gross_total"].clone() }]) } else { json!([]) };
        s.add(store, purchases, None, v);
    }

    // Web hooks start empty: deliveries go only where a test registered one.
    let hooks = mark(coll("/account/web_hooks"));
    let _ = hooks;

    // Everything else: a few entities per collection, from the example.
    for (c, def) in model().collections.iter().enumerate() {
        if seeded.contains(&c) {
            continue;
        }
        for i in 0..config.others {
            let scope = match &def.parent {
                // Spread over the enclosing entities, starting with the first.
                // Two to the first enclosing entity, so that a nested list has some to filter.
                Some((parent, _)) => match store.ids(*parent) {
                    ids if ids.is_empty() => break,
                    ids => Some(ids[(i / 2) % ids.len()]),
                },
                None => None,
            };
            let mut v = Seeder::example(&def.schema);
            let schema = spec().schema(&def.schema);
            if let Some(props) = spec().properties(schema) {
                for (name, prop) in props {
                    // Enum values and flags take turns, so that a filter on them has
                    // something to find and something to leave out.
                    match (name.as_str(), &v[name.as_str()]) {
                        ("name" | "title", Value::String(text)) => v[name.as_str()] = json!(format!("{text} {}", i + 1)),
                        (_, Value::String(_)) if is_date(prop) => v[name.as_str()] = json!(s.date(2024)),
                        ("year", Value::Number(_)) => v[name.as_str()] = json!(2024 - (i % 2) as i64),
                        ("id", _) => {}
                        (_, Value::Bool(_)) => v[name.as_str()] = json!(i % 2 == 0),
                        (_, Value::String(_) | Value::Number(_)) => {
                            if let Some(values) = enum_values(prop).filter(|values| !values.is_empty()) {
                                v[name.as_str()] = values[i % values.len()].clone();
                            }
                        }
                        _ => {}
                    }
                }
            }
            for (first, second) in SPANS {
                if let (Some(a), Some(b)) = (v[*first].as_str(), v[*second].as_str()) {
                    if a > b {
                        let (a, b) = (a.to_string(), b.to_string());
                        v[*first] = json!(b);
                        v[*second] = json!(a);
                    }
                }
            }
            s.link(store, &def.schema, &mut v);
            vary(store, &def.schema, i, &mut v);
            s.add(store, c, scope, v);
        }
    }
    // Project groups are seeded with the other collections, after the projects: a third of
    // the projects join one.
    let groups = store.ids(coll("/projects/groups"));
    if let (false, Some(prop)) = (groups.is_empty(), spec().property(spec().schema("Project"), "project_group")) {
        for (i, project) in store.ids(projects).into_iter().enumerate() {
            let group = (i % 3 == 0).then(|| store.make_ref(coll("/projects/groups"), groups[i % groups.len()], prop));
            if let Some(entity) = store.colls[projects].get_mut(&project) {
                entity.value["project_group"] = group.unwrap_or(Value::Null);
            }
        }
    }
    // A comment on an entity of each kind the fake keeps.
    let comments = coll("/comments");
    for (kind, base) in COMMENTABLE {
        let Some(target) = model().collection(base).and_then(|c| store.ids(c).first().copied()) else { continue };
        let mut v = Seeder::example("Comment");
        v["commentable_type"] = json!(kind);
        v["commentable_id"] = json!(target);
        v["text"] = json!(format!("<p>About this {kind}</p>"));
        s.link(store, "Comment", &mut v);
        s.add(store, comments, None, v);
    }
    // Purchase categories too: the purchases' items are booked to them in turn.
    let categories = store.ids(coll("/purchases/categories"));
    if !categories.is_empty() {
        for (i, purchase) in store.ids(purchases).into_iter().enumerate() {
            let category = store.entity(coll("/purchases/categories"), categories[i % categories.len()]).map(|c| c.value.clone());
            let (Some(category), Some(entity)) = (category, store.colls[purchases].get_mut(&purchase)) else { continue };
            for item in entity.value["items"].as_array_mut().into_iter().flatten() {
                item["category"] = json!({ "id": category["id"], "name": category["name"] });
            }
        }
    }
    let last = epoch() + Duration::hours(s.tick);
    if last > store.last_time {
        store.last_time = last;
    }
}
