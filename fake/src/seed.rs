//! The deterministic dataset a fake starts with: every entity is the spec's example with varied
//! ids, names, dates and amounts, and references that point at other seeded entities (an
//! activity's task belongs to its project, its customer is the project's).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
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

/// When the seeded history starts; each seeded entity is five minutes younger than the one before.
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
        let time = timestamp(epoch() + Duration::minutes(5 * self.tick));
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
    for i in 0..config.users.max(1) {
        let mut v = Seeder::example("User");
        let (first, last) = if i == 0 { ("Max".to_string(), "Muster".to_string()) } else { s.person() };
        v["firstname"] = json!(first);
        v["lastname"] = json!(last);
        v["email"] = json!(format!("{}.{}{}@example.com", slug(&first), slug(&last), if i == 0 { String::new() } else { i.to_string() }));
        v["active"] = json!(true);
        v["extern"] = json!(false);
        let year = 1960 + s.rng.below(40) as i32;
        v["birthday"] = json!(s.date(year));
        s.link(store, "User", &mut v);
        let id = s.add(store, users, None, v);
        if i == 0 {
            store.owner_id = id;
        }
    }

    let companies = mark(coll("/companies"));
    for i in 0..config.companies {
        let mut v = Seeder::example("Company");
        let name = format!("{} {} {}", s.rng.pick(COMPANY_WORDS), s.rng.pick(COMPANY_KINDS), s.rng.pick(COMPANY_SUFFIXES));
        v["type"] = json!(if i % 5 == 4 { "supplier" } else { "customer" });
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
        v["status"] = json!(*s.rng.pick(&["potential", "pending", "won", "lost", "dropped"]));
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
        v["context"] = json!(*s.rng.pick(&["Project", "Company", "Contact", "Deal", "Invoice", "Offer"]));
        s.add(store, tags, None, v);
    }

    let projects = mark(coll("/projects"));
    let tasks = mark(coll("/projects/{project_id}/tasks"));
    let contracts = mark(coll("/projects/{project_id}/contracts"));
    let user_ids = store.ids(users);
    for i in 0..config.projects {
        let mut v = Seeder::example("Project");
        s.link(store, "Project", &mut v);
        v["name"] = json!(format!("{} {}", s.rng.pick(PROJECT_NAMES), i + 1));
        v["identifier"] = json!(format!("P{:04}", i + 1));
        v["active"] = json!(true);
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
            task["billable"] = json!(t % 4 != 3);
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
    for _ in 0..config.activities {
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
        v["seconds"] = json!(seconds);
        v["worked_seconds"] = json!(seconds);
        v["hours"] = json!(seconds as f64 / 3600.0);
        v["description"] = json!(*s.rng.pick(DESCRIPTIONS));
        v["billable"] = json!(v["task"]["billable"].as_bool().unwrap_or(true));
        v["billed"] = json!(false);
        v["invoice_id"] = Value::Null;
        v["tag"] = json!("");
        v["remote_service"] = Value::Null;
        v["remote_id"] = Value::Null;
        v["remote_url"] = Value::Null;
        v["timer_started_at"] = Value::Null;
        v["hourly_rate"] = project_value["hourly_rate"].clone();
        s.add(store, activities, None, v);
    }

    let schedules = mark(coll("/schedules"));
    for _ in 0..config.schedules {
        let mut v = Seeder::example("Schedule");
        s.link(store, "Schedule", &mut v);
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
            let customer = store.entity(projects, project).and_then(|p| p.value["customer"]["id"].as_i64());
            if let (Some(customer), Some(prop)) = (customer, spec().property(schema, "customer")) {
                v["customer"] = store.make_ref(companies, customer, prop);
            }
        }
        v["identifier"] = json!(format!("R2024-{:04}", i + 1));
        v["date"] = json!(s.date(2024));
        v["status"] = json!(*s.rng.pick(&["created", "sent", "partially_paid", "paid", "overdue"]));
        v["title"] = json!(format!("Invoice {}", i + 1));
        s.add(store, invoices, None, v);
    }

    let offers = mark(coll("/offers"));
    for i in 0..config.offers {
        let mut v = Seeder::example("Offer");
        s.link(store, "Offer", &mut v);
        v["identifier"] = json!(format!("A2024-{:04}", i + 1));
        v["date"] = json!(s.date(2024));
        v["status"] = json!(*s.rng.pick(&["created", "sent", "accepted", "partially_billed", "billed", "archived"]));
        v["title"] = json!(format!("Offer - {}", s.rng.pick(PROJECT_NAMES)));
        s.add(store, offers, None, v);
    }

    let purchases = mark(coll("/purchases"));
    for i in 0..config.purchases {
        let mut v = Seeder::example("Purchase");
        s.link(store, "Purchase", &mut v);
        v["identifier"] = json!(format!("E2024-{:04}", i + 1));
        v["date"] = json!(s.date(2024));
        v["status"] = json!(*s.rng.pick(&["pending", "paid"]));
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
                Some((parent, _)) => match store.ids(*parent) {
                    ids if ids.is_empty() => break,
                    ids => Some(ids[i % ids.len()]),
                },
                None => None,
            };
            let mut v = Seeder::example(&def.schema);
            let schema = spec().schema(&def.schema);
            if let Some(props) = spec().properties(schema) {
                for (name, prop) in props {
                    let kind = spec().resolve(prop);
                    match (name.as_str(), &v[name.as_str()]) {
                        ("name" | "title", Value::String(text)) => v[name.as_str()] = json!(format!("{text} {}", i + 1)),
                        (_, Value::String(_)) if kind["format"] == "date" => v[name.as_str()] = json!(s.date(2024)),
                        _ => {}
                    }
                }
            }
            s.link(store, &def.schema, &mut v);
            s.add(store, c, scope, v);
        }
    }
    let last = epoch() + Duration::minutes(5 * s.tick);
    if last > store.last_time {
        store.last_time = last;
    }
}
