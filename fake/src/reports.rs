//! Reports that the docs define as sums or counts over entities, computed from the fake's state
//! (so they change with the data): the project report, the users' performance reports, and the
//! absence, planned-vs-tracked and utilization reports; the hourly rate lists take their users
//! from the state. Each answer says what it computed in `X-Moco-Fake-Computed` and which fields
//! stay the spec's example in `X-Moco-Fake-Canned` (listed in `fake/README.md`).
//!
//! The fake's model, where the docs leave the computation open: a user's daily target is the
//! weekly target hours of the employment covering the day divided by five, on weekdays only
//! (public holidays are not deducted); an absence (schedule) takes the morning, the afternoon or
//! both halves of that target; activity costs use one internal rate (`INTERNAL_RATE`).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Utc, Weekday};
use serde_json::{json, Value};

use crate::{
    handlers::{Call, Reply},
    spec::{spec, Operation, Response},
    store::Store,
};

/// The internal cost of an hour of work, for the project report's costs (MOCO takes it from
/// each user's internal hourly rate, which the fake does not keep per user).
pub(crate) const INTERNAL_RATE: f64 = 60.0;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A decimal as the fake keeps it: a number, or the docs' numeric string.
fn number(value: &Value) -> f64 {
    match value {
        Value::Number(n) => n.as_f64().unwrap_or_default(),
        Value::String(s) => s.parse().unwrap_or_default(),
        _ => 0.0,
    }
}

fn date(value: &Value) -> Option<NaiveDate> {
    value.as_str().and_then(|s| s.get(..10)).and_then(|s| s.parse().ok())
}

fn query<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn flag(call: &Call<'_>, name: &str) -> bool {
    matches!(query(call, name), Some("true" | "1"))
}

fn year_param(call: &Call<'_>) -> i32 {
    query(call, "year").and_then(|y| y.trim().parse().ok()).unwrap_or_else(|| Utc::now().year())
}

/// `from` and `to`, by default the current year.
fn period(call: &Call<'_>) -> (NaiveDate, NaiveDate) {
    let year = Utc::now().year();
    let parse = |name: &str| query(call, name).and_then(|d| d.trim().parse::<NaiveDate>().ok());
    let from = parse("from").unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default());
    let to = parse("to").unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default());
    (from, to)
}

fn is_weekday(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

fn hours_of(activity: &Value) -> f64 {
    match &activity["hours"] {
        Value::Null => number(&activity["seconds"]) / 3600.0,
        hours => number(hours),
    }
}

/// An absence: its day, the share of the day it takes (0.5 or 1) and its absence code.
type Absence = (NaiveDate, f64, String);

/// What the fake knows about one user's time: targets, absences and activities.
struct Calendar<'a> {
    store: &'a Store,
}

impl<'a> Calendar<'a> {
    fn entities(&self, base: &str) -> impl Iterator<Item = &'a Value> {
        self.store.colls[Store::coll(base)].values().map(|e| &e.value)
    }

    /// The employment's daily target on a weekday (weekly target / 5), 0 without employment.
    fn daily_target(&self, user: i64, day: NaiveDate) -> f64 {
        if !is_weekday(day) {
            return 0.0;
        }
        self.entities("/users/employments")
            .filter(|e| e["user"]["id"].as_i64() == Some(user))
            .filter(|e| date(&e["from"]).is_none_or(|from| from <= day) && date(&e["to"]).is_none_or(|to| to >= day))
            .map(|e| number(&e["weekly_target_hours"]) / 5.0)
            .next()
            .unwrap_or(0.0)
    }

    /// The share of the day an absence takes (0, 0.5 or 1), with the absence code.
    fn absences(&self, user: i64) -> Vec<Absence> {
        self.entities("/schedules")
            .filter(|s| s["user"]["id"].as_i64() == Some(user))
            .filter_map(|s| {
                let share = 0.5 * (s["am"] == true) as u8 as f64 + 0.5 * (s["pm"] == true) as u8 as f64;
                let code = match &s["assignment"]["code"] {
                    Value::String(c) => c.clone(),
                    other => other.to_string(),
                };
                Some((date(&s["date"])?, share, code))
            })
            .collect()
    }

    /// The target of a day after absences.
    fn target(&self, user: i64, day: NaiveDate, absences: &[Absence]) -> f64 {
        let absent: f64 = absences.iter().filter(|(d, _, _)| *d == day).map(|(_, share, _)| share).sum();
        self.daily_target(user, day) * (1.0 - absent.min(1.0))
    }

    fn activities(&self, user: Option<i64>, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = &'a Value> {
        self.entities("/activities").filter(move |a| {
            user.is_none_or(|u| a["user"]["id"].as_i64() == Some(u)) && date(&a["date"]).is_some_and(|d| d >= from && d <= to)
        })
    }
}

/// The operations answered here.
pub(crate) const COMPUTED: &[&str] = &[
    "get_project_report",
    "get_user_performance_report",
    "get_profile_performance_report",
    "get_absences_report",
    "get_planned_vs_tracked_report",
    "get_utilization_report",
    "get_hourly_rates",
    "list_internal_hourly_rates",
];

/// Answers the computed reports; `None` for every other operation.
pub(crate) fn answer(store: &Store, call: &Call<'_>, op: &Operation) -> Option<Reply> {
    if !COMPUTED.contains(&op.id.as_str()) {
        return None;
    }
    let calendar = Calendar { store };
    let id = || call.params.iter().find(|(k, _)| k == "id").and_then(|(_, v)| v.parse::<i64>().ok()).unwrap_or_default();
    let (body, canned): (Value, &[&str]) = match op.id.as_str() {
        "get_project_report" => (project_report(store, id()), &["hours_remaining"]),
        "get_user_performance_report" => (performance(&calendar, id(), year_param(call)), &[]),
        "get_profile_performance_report" => (performance(&calendar, call.actor.user_id, year_param(call)), &[]),
        "get_absences_report" => (absences(&calendar, year_param(call), flag(call, "active")), &[]),
        "get_planned_vs_tracked_report" => (planned_vs_tracked(&calendar, call), &[]),
        "get_utilization_report" => (utilization(&calendar, call), &[]),
        "get_hourly_rates" => {
            if let Some(company) = query(call, "company_id") {
                let known = company.trim().parse::<i64>().ok().and_then(|c| store.entity(Store::coll("/companies"), c));
                if known.is_none() {
                    return Some(Reply::error(404, format!("Couldn't find Company with 'id'={company}")));
                }
            }
            (hourly_rates(store, op, flag(call, "include_archived_users")), &["defaults_rates", "tasks", "users.rates"])
        }
        "list_internal_hourly_rates" => (internal_rates(store, op, call), &["rates.rate"]),
        _ => return None,
    };
    let body = shaped(op, body);
    let mut reply = Reply::json(op.status, body);
    reply.headers.push(("x-moco-fake-computed", "true".into()));
    if !canned.is_empty() {
        reply.headers.push(("x-moco-fake-canned", canned.join(", ")));
    }
    Some(reply)
}

/// The computed answer fitted into the response schema (every field present, as the spec says).
fn shaped(op: &Operation, body: Value) -> Value {
    let spec = spec();
    let Response::Json { schema, .. } = &op.response else { return body };
    let mut none = || 0;
    match body {
        Value::Array(items) => {
            let item_schema = &spec.resolve(schema)["items"];
            let example = spec.example(item_schema);
            Value::Array(items.iter().map(|item| spec.conform(item, item_schema, Some(&example), &mut none)).collect())
        }
        body => {
            let example = spec.example(schema);
            spec.conform(&body, schema, Some(&example), &mut none)
        }
    }
}

/// Hours, budget use, invoiced amounts and costs of one project, from its activities, invoices
/// and expenses.
fn project_report(store: &Store, project_id: i64) -> Value {
    let project = store.entity(Store::coll("/projects"), project_id).map(|e| e.value.clone()).unwrap_or_default();
    let activities: Vec<&Value> = store.colls[Store::coll("/activities")]
        .values()
        .map(|e| &e.value)
        .filter(|a| a["project"]["id"].as_i64() == Some(project_id))
        .collect();
    let hours_total: f64 = activities.iter().map(|a| hours_of(a)).sum();
    let billable: Vec<&&Value> = activities.iter().filter(|a| a["billable"] == true).collect();
    let hours_billable: f64 = billable.iter().map(|a| hours_of(a)).sum();
    // Budget use: billable hours at their rate.
    let used: f64 = billable.iter().map(|a| hours_of(a) * number(&a["hourly_rate"])).sum();
    let budget = number(&project["budget"]);
    let invoiced: f64 = store.colls[Store::coll("/invoices")]
        .values()
        .map(|e| &e.value)
        .filter(|i| i["project_id"].as_i64() == Some(project_id))
        .filter(|i| !matches!(i["status"].as_str(), Some("draft" | "ignored" | "disregarded")))
        .map(|i| number(&i["net_total"]))
        .sum();
    let expenses: f64 = store.colls[Store::coll("/projects/{project_id}/expenses")]
        .values()
        .filter(|e| e.scope == Some(project_id))
        .map(|e| number(&e.value["cost"]))
        .sum();
    let mut by_task: BTreeMap<i64, (String, f64)> = BTreeMap::new();
    for task in store.colls[Store::coll("/projects/{project_id}/tasks")].values().filter(|t| t.scope == Some(project_id)) {
        let id = task.value["id"].as_i64().unwrap_or_default();
        by_task.insert(id, (task.value["name"].as_str().unwrap_or_default().to_string(), 0.0));
    }
    for activity in &activities {
        if let Some(entry) = activity["task"]["id"].as_i64().and_then(|t| by_task.get_mut(&t)) {
            entry.1 += hours_of(activity);
        }
    }
    json!({
        "budget_total": budget,
        "budget_progress_in_percentage": if budget > 0.0 { (used / budget * 100.0).round() as i64 } else { 0 },
        "budget_remaining": round2(budget - used),
        "invoiced_total": round2(invoiced),
        "currency": project["currency"],
        "hours_total": round2(hours_total),
        "hours_billable": round2(hours_billable),
        "costs_expenses": round2(expenses),
        "costs_activities": round2(hours_total * INTERNAL_RATE),
        "costs_by_task": by_task.into_iter().map(|(id, (name, hours))| json!({
            "id": id, "name": name, "hours_total": round2(hours), "total_costs": round2(hours * INTERNAL_RATE),
        })).collect::<Vec<_>>(),
    })
}

/// A user's year: employment and target hours against tracked and billable hours, per month
/// and for the year.
fn performance(calendar: &Calendar<'_>, user: i64, year: i32) -> Value {
    let absences = calendar.absences(user);
    let today = Utc::now().date_naive();
    let mut annual = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0); // employment, target, tracked, billable, target to today, tracked to today
    let mut monthly = Vec::new();
    for month in 1..=12 {
        let (Some(first), Some(next)) =
            (NaiveDate::from_ymd_opt(year, month, 1), NaiveDate::from_ymd_opt(year + (month / 12) as i32, month % 12 + 1, 1))
        else {
            continue;
        };
        let last = next.pred_opt().unwrap_or(first);
        let (mut employment, mut target, mut target_to_today) = (0.0, 0.0, 0.0);
        for day in days(first, last) {
            employment += calendar.daily_target(user, day);
            let t = calendar.target(user, day, &absences);
            target += t;
            if day <= today {
                target_to_today += t;
            }
        }
        let (mut tracked, mut billable, mut tracked_to_today) = (0.0, 0.0, 0.0);
        for activity in calendar.activities(Some(user), first, last) {
            let hours = hours_of(activity);
            tracked += hours;
            if activity["billable"] == true {
                billable += hours;
            }
            if date(&activity["date"]).is_some_and(|d| d <= today) {
                tracked_to_today += hours;
            }
        }
        annual.0 += employment;
        annual.1 += target;
        annual.2 += tracked;
        annual.3 += billable;
        annual.4 += target_to_today;
        annual.5 += tracked_to_today;
        monthly.push(json!({
            "year": year, "month": month, "target_hours": round2(target), "hours_tracked_total": round2(tracked),
            "variation": round2(tracked - target), "hours_billable_total": round2(billable),
        }));
    }
    json!({
        "annually": {
            "year": year,
            "employment_hours": round2(annual.0),
            "target_hours": round2(annual.1),
            "hours_tracked_total": round2(annual.2),
            "variation": round2(annual.2 - annual.1),
            "variation_until_today": round2(annual.5 - annual.4),
            "hours_billable_total": round2(annual.3),
        },
        "monthly": monthly,
    })
}

fn user_brief(user: &Value) -> Value {
    json!({ "id": user["id"], "firstname": user["firstname"], "lastname": user["lastname"] })
}

/// Vacation entitlement, used and planned vacation, and sick days per user in a year.
fn absences(calendar: &Calendar<'_>, year: i32, only_active: bool) -> Value {
    let today = Utc::now().date_naive();
    let mut out = Vec::new();
    for user in calendar.entities("/users").filter(|u| !only_active || u["active"] != false) {
        let id = user["id"].as_i64().unwrap_or_default();
        let entitled: f64 = calendar
            .entities("/users/holidays")
            .filter(|h| h["user"]["id"].as_i64() == Some(id) && h["year"].as_i64() == Some(year as i64))
            .map(|h| number(&h["days"]))
            .sum();
        let (mut used, mut planned, mut sick) = (0.0, 0.0, 0.0);
        for (day, share, code) in calendar.absences(id) {
            if day.year() != year {
                continue;
            }
            match code.as_str() {
                "4" if day <= today => used += share,
                "4" => planned += share,
                "3" => sick += share,
                _ => {}
            }
        }
        out.push(json!({
            "user": user_brief(user),
            "total_vacation_days": entitled, "used_vacation_days": used, "planned_vacation_days": planned, "sickdays": sick,
        }));
    }
    Value::Array(out)
}

/// Planned hours (planning entries' hours per day on the weekdays they cover) against tracked
/// hours, per user and project, within `from`..`to`.
fn planned_vs_tracked(calendar: &Calendar<'_>, call: &Call<'_>) -> Value {
    let (from, to) = period(call);
    let project_filter = query(call, "project_id").and_then(|p| p.trim().parse::<i64>().ok());
    let user_filter: Option<Vec<i64>> = query(call, "user_ids").map(|u| u.split(',').filter_map(|id| id.trim().parse().ok()).collect());
    let wanted =
        |user: i64, project: i64| project_filter.is_none_or(|p| p == project) && user_filter.as_ref().is_none_or(|u| u.contains(&user));
    let mut rows: BTreeMap<(i64, i64), (f64, f64)> = BTreeMap::new();
    for activity in calendar.activities(None, from, to) {
        let (Some(user), Some(project)) = (activity["user"]["id"].as_i64(), activity["project"]["id"].as_i64()) else { continue };
        if wanted(user, project) {
            rows.entry((user, project)).or_default().0 += hours_of(activity);
        }
    }
    for entry in calendar.entities("/planning_entries") {
        let (Some(user), Some(project)) = (entry["user"]["id"].as_i64(), entry["project"]["id"].as_i64()) else { continue };
        let (Some(start), Some(end)) = (date(&entry["starts_on"]), date(&entry["ends_on"])) else { continue };
        if !wanted(user, project) || end < from || start > to {
            continue;
        }
        let weekdays = days(start.max(from), end.min(to)).filter(|d| is_weekday(*d)).count() as f64;
        rows.entry((user, project)).or_default().1 += weekdays * number(&entry["hours_per_day"]);
    }
    let store = calendar.store;
    let rows = rows.into_iter().map(|((user, project), (tracked, planned))| {
        let u = store.entity(Store::coll("/users"), user).map(|e| e.value.clone()).unwrap_or_default();
        let p = store.entity(Store::coll("/projects"), project).map(|e| e.value.clone()).unwrap_or_default();
        let first = u["firstname"].as_str().unwrap_or_default();
        let last = u["lastname"].as_str().unwrap_or_default();
        let initials: String = [first, last].iter().filter_map(|n| n.chars().next()).collect();
        json!({
            "user_id": user, "project_id": project,
            "tracked_hours": round2(tracked), "planned_hours": round2(planned), "delta": round2(tracked - planned),
            "quota": if planned > 0.0 { round2(tracked / planned * 100.0) } else { 0.0 },
            "user": { "id": user, "firstname": first, "name": last, "initials": initials, "unit": u["unit"] },
            "project": { "id": project, "identifier": p["identifier"], "name": p["name"], "company": p["customer"] },
        })
    });
    Value::Array(rows.collect())
}

/// Per active user and day within `from`..`to`: the target, and billable and unbillable time.
fn utilization(calendar: &Calendar<'_>, call: &Call<'_>) -> Value {
    let (from, to) = period(call);
    let mut out = Vec::new();
    let users: Vec<i64> = calendar.entities("/users").filter(|u| u["active"] != false).filter_map(|u| u["id"].as_i64()).collect();
    let mut seconds: BTreeMap<(NaiveDate, i64), (i64, i64)> = BTreeMap::new();
    for activity in calendar.activities(None, from, to) {
        let (Some(day), Some(user)) = (date(&activity["date"]), activity["user"]["id"].as_i64()) else { continue };
        let secs = number(&activity["seconds"]) as i64;
        let entry = seconds.entry((day, user)).or_default();
        if activity["billable"] == true {
            entry.0 += secs;
        } else {
            entry.1 += secs;
        }
    }
    // Each user's absences once, not once per day.
    let absences: Vec<(i64, Vec<Absence>)> = users.iter().map(|&user| (user, calendar.absences(user))).collect();
    for day in days(from, to) {
        for (user, absences) in &absences {
            let user = *user;
            let (billable, unbillable) = seconds.get(&(day, user)).copied().unwrap_or_default();
            out.push(json!({
                "date": day.format("%Y-%m-%d").to_string(), "user_id": user,
                "target_hours": round2(calendar.target(user, day, absences)),
                "billable_hours": round2(billable as f64 / 3600.0), "unbillable_hours": round2(unbillable as f64 / 3600.0),
                "billable_seconds": billable, "unbillable_seconds": unbillable,
            }));
        }
    }
    Value::Array(out)
}

/// The account's hourly rates: the users from the state (deactivated ones on request), the rates
/// themselves from the spec's example.
fn hourly_rates(store: &Store, op: &Operation, include_archived: bool) -> Value {
    let Response::Json { schema, example } = &op.response else { return Value::Null };
    let mut body = example.clone().unwrap_or_else(|| spec().example(schema));
    let rates = body["users"][0]["rates"].clone();
    let users: Vec<Value> = store.colls[Store::coll("/users")]
        .values()
        .map(|e| &e.value)
        .filter(|u| include_archived || u["active"] != false)
        .map(|u| {
            let name = format!("{} {}", u["firstname"].as_str().unwrap_or_default(), u["lastname"].as_str().unwrap_or_default());
            json!({ "id": u["id"], "full_name": name.trim(), "rates": rates })
        })
        .collect();
    body["users"] = Value::Array(users);
    body
}

/// Internal hourly rates per user and year: the users from the state (of a unit, deactivated
/// ones on request), the rate itself from the spec's example.
fn internal_rates(store: &Store, op: &Operation, call: &Call<'_>) -> Value {
    let Response::Json { schema, example } = &op.response else { return Value::Null };
    let example = example.clone().unwrap_or_else(|| spec().example(schema));
    let rate = example[0]["rates"][0]["rate"].clone();
    let years: Vec<i64> = match query(call, "years") {
        Some(years) => years.split(',').filter_map(|y| y.trim().parse().ok()).collect(),
        None => vec![Utc::now().year() as i64],
    };
    let unit = query(call, "unit_id").and_then(|u| u.trim().parse::<i64>().ok());
    let include_archived = flag(call, "include_archived");
    let users = store.colls[Store::coll("/users")]
        .values()
        .map(|e| &e.value)
        .filter(|u| include_archived || u["active"] != false)
        .filter(|u| unit.is_none_or(|unit| u["unit"]["id"].as_i64() == Some(unit)))
        .map(|u| {
            let name = format!("{} {}", u["firstname"].as_str().unwrap_or_default(), u["lastname"].as_str().unwrap_or_default());
            let rates: Vec<Value> = years.iter().map(|y| json!({ "year": y, "rate": rate })).collect();
            json!({ "id": u["id"], "full_name": name.trim(), "rates": rates })
        });
    Value::Array(users.collect())
}
