//! What every documented query parameter of a list means to the fake: each one is applied with
//! MOCO's meaning (the docs and MOCO's OpenAPI description say what it filters on) or refused
//! with a 400 that names it. None is ignored: a filter the fake answered as if it were absent
//! would let a user's filtering bug pass its tests.
//!
//! The rules read the entity as the fake keeps it (the clean form of its schema) through JSON
//! pointers; a `*` segment walks every element of an array (`/items/*/category/id`).

use chrono::DateTime;
use serde_json::Value;

use crate::{spec::Operation, store::Store};

/// How one query parameter selects entities.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    /// `page`, `per_page`, `sort_by` and `sort`: applied by the list itself.
    Paging,
    /// Changes how an item is shown, not which items are listed (`include_company`).
    Shape,
    /// An input of a report the fake computes (`fake/src/reports.rs` reads it).
    Report,
    /// Archived entities (`active: false`) are listed only with `include_archived=true`.
    IncludeArchived,
    /// Only the given ids.
    Ids,
    /// Only entities updated strictly after the timestamp.
    UpdatedAfter,
    /// `custom_properties[Name]=value`: the custom field holds the value (or, for a list
    /// field, contains it).
    CustomProperties,
    /// One of the comma-separated values equals a value at one of the pointers.
    Equals(&'static [&'static str]),
    /// `true`/`false` (or `1`/`0`) equals the boolean at the pointer; absent counts as false.
    Flag(&'static str),
    /// `true`: nothing at the pointer (null, absent, `""`, `[]`); `false`: something.
    Missing(&'static str),
    /// `true`: something at the pointer; `false`: nothing.
    Present(&'static str),
    /// The date (or the timestamp's date) at the pointer is on or after the value.
    OnOrAfter(&'static str),
    /// The date (or the timestamp's date) at the pointer is on or before the value.
    OnOrBefore(&'static str),
    /// `FROM:TO`: the date at the pointer lies within, or the entity's
    /// `starts_on`..`ends_on` span overlaps it.
    Span(&'static str),
    /// The year of the date at the pointer (or the integer there) is one of the values.
    Year(&'static str),
    /// The tag names at the pointer contain one of the comma-separated names.
    AnyTag(&'static str),
    /// The tag names at the pointer contain one of the tags whose ids are given.
    AnyTagId(&'static str),
    /// Case-insensitive substring of the text at one of the pointers.
    Contains(&'static [&'static str]),
    /// The rule applied to another entity the pointer names by id: (pointer to the id, the
    /// collection, the rule there). A payment schedule's customer is its project's.
    Via(&'static str, &'static str, &'static Rule),
    /// An end date on or after the value, or none (open-ended): an employment that has not
    /// ended before the range asked for.
    EndsOnOrAfter(&'static str),
    /// The digits of the value appear in the digits of the number at one of the pointers
    /// (a reverse phone lookup: `79 826` finds `+41 79 826 11 22`).
    Phone(&'static [&'static str]),
    /// `disregarded` invoices (only marked as billed) are listed only with `true`.
    IncludeDisregarded,
    /// `true`: the entity's id is in no list at the pointer of any entity of the collection
    /// (not yet exported to bookkeeping); `false`: it is in one.
    NotIn(&'static str, &'static str),
    /// Like `Equals`, where the value `0` selects entities with nothing at the pointer
    /// (purchases without a supplier).
    SupplierOrNone(&'static str),
    /// The fake cannot honour it, for the reason given: such a request is answered 400.
    Refused(&'static str),
}

use Rule::*;

/// The rule of `param` on operation `op`; `None` for a parameter the fake has no rule for,
/// which is refused like `Refused`.
pub(crate) fn rule(op: &str, param: &str) -> Option<Rule> {
    Some(match (op, param) {
        (_, "page" | "per_page" | "sort_by") => Paging,
        ("list_offers", "sort") => Paging,
        (_, "ids") => Ids,
        ("list_receipts" | "list_revenue_categories" | "list_vat_code_sales" | "list_vat_code_purchases", "updated_after") => {
            Refused("these entities do not show when they were last updated, so the fake keeps no such time")
        }
        (_, "updated_after") => UpdatedAfter,
        (_, "custom_properties") => CustomProperties,
        (_, "include_archived") => IncludeArchived,

        ("list_projects" | "get_project", "include_company") => Shape,
        ("list_projects", "leader_id") => Equals(&["/leader/id", "/co_leader/id"]),
        ("list_projects", "company_id") => Equals(&["/customer/id"]),
        ("list_projects", "created_from") => OnOrAfter("/created_at"),
        ("list_projects", "created_to") => OnOrBefore("/created_at"),
        ("list_projects", "updated_from") => OnOrAfter("/updated_at"),
        ("list_projects", "updated_to") => OnOrBefore("/updated_at"),
        ("list_projects", "identifier") => Equals(&["/identifier"]),
        ("list_projects", "tags") => AnyTag("/tags"),
        ("list_projects", "retainer") => Flag("/retainer"),
        ("list_projects", "project_group_id") => Equals(&["/project_group/id"]),
        ("list_projects", "deal_id") => Equals(&["/deal/id"]),
        ("list_projects", "term") => Contains(&["/name", "/identifier", "/customer/name"]),
        ("list_assigned_projects", "active") => Flag("/active"),

        ("list_activities", "from") => OnOrAfter("/date"),
        ("list_activities", "to") => OnOrBefore("/date"),
        ("list_activities", "user_id") => Equals(&["/user/id"]),
        ("list_activities", "project_id") => Equals(&["/project/id"]),
        ("list_activities", "task_id") => Equals(&["/task/id"]),
        ("list_activities", "company_id") => Equals(&["/customer/id"]),
        ("list_activities", "billable") => Flag("/billable"),
        ("list_activities", "billed") => Flag("/billed"),
        ("list_activities", "term") => Contains(&["/tag", "/description", "/remote_id"]),
        ("list_activities", "deal_id") => Equals(&["/deal/id"]),
        ("list_activities", "remote_id") => Equals(&["/remote_id"]),
        ("list_activities", "tag") => Equals(&["/tag"]),

        ("list_presences", "from") => OnOrAfter("/date"),
        ("list_presences", "to") => OnOrBefore("/date"),
        ("list_presences", "user_id") => Equals(&["/user/id"]),
        ("list_presences", "is_home_office") => Flag("/is_home_office"),

        ("list_schedules", "from") => OnOrAfter("/date"),
        ("list_schedules", "to") => OnOrBefore("/date"),
        ("list_schedules", "user_id") => Equals(&["/user/id"]),
        ("list_schedules", "absence_code") => Equals(&["/assignment/code"]),
        ("list_schedules", "absence_request_id") => Refused("a seeded absence does not record the absence request it came from"),

        ("list_planning_entries", "period") => Span("/starts_on"),
        ("list_planning_entries", "user_id") => Equals(&["/user/id"]),
        ("list_planning_entries", "project_id") => Equals(&["/project/id"]),
        ("list_planning_entries", "deal_id") => Equals(&["/deal/id"]),

        ("list_holidays", "year") => Year("/year"),
        ("list_holidays", "user_id") => Equals(&["/user/id"]),

        ("list_work_time_adjustments", "from") => OnOrAfter("/date"),
        ("list_work_time_adjustments", "to") => OnOrBefore("/date"),
        ("list_work_time_adjustments", "user_id") => Equals(&["/user/id"]),

        ("list_users", "tags") => AnyTag("/tags"),
        ("list_users", "email") => Equals(&["/email"]),

        // An employment lasts from `from` to `to` (open-ended without `to`): it is listed when
        // it overlaps the range asked for.
        ("list_employments", "from") => EndsOnOrAfter("/to"),
        ("list_employments", "to") => OnOrBefore("/from"),
        ("list_employments", "user_id") => Equals(&["/user/id"]),

        ("list_all_project_expenses", "from") => OnOrAfter("/date"),
        ("list_all_project_expenses", "to") => OnOrBefore("/date"),
        ("list_all_project_expenses" | "list_project_expenses", "billable") => Flag("/billable"),
        ("list_all_project_expenses" | "list_project_expenses", "billed") => Flag("/billed"),
        ("list_all_project_expenses" | "list_project_expenses", "budget_relevant") => Flag("/budget_relevant"),
        ("list_all_project_expenses", "tags") => Via("/project/id", "/projects", &AnyTag("/tags")),
        ("list_all_project_expenses" | "list_project_expenses", "user_id") => Equals(&["/user/id"]),

        ("list_all_project_recurring_expenses", "project_id") => Equals(&["/project/id"]),

        ("list_all_project_payment_schedules" | "list_project_payment_schedules", "from") => OnOrAfter("/date"),
        ("list_all_project_payment_schedules" | "list_project_payment_schedules", "to") => OnOrBefore("/date"),
        ("list_all_project_payment_schedules" | "list_project_payment_schedules", "checked") => Flag("/checked"),
        ("list_all_project_payment_schedules" | "list_project_payment_schedules", "company_id") => {
            Via("/project/id", "/projects", &Equals(&["/customer/id"]))
        }
        ("list_all_project_payment_schedules", "project_id") => Equals(&["/project/id"]),

        ("list_project_groups", "user_id") => Equals(&["/user/id"]),
        ("list_project_groups", "company_id") => Equals(&["/company/id"]),

        ("list_companies", "type") => Equals(&["/type"]),
        ("list_companies", "tags") => AnyTag("/tags"),
        ("list_companies", "identifier") => Equals(&["/identifier"]),
        ("list_companies", "term") => Contains(&["/name", "/identifier", "/email", "/website"]),

        ("list_contacts", "tags") => AnyTag("/tags"),
        ("list_contacts", "term") => Contains(&["/firstname", "/lastname", "/work_email", "/company/name"]),
        ("list_contacts", "phone") => Phone(&["/work_phone", "/mobile_phone"]),

        ("list_deals", "status") => Equals(&["/status"]),
        ("list_deals", "tags") => AnyTag("/tags"),
        ("list_deals", "closed_from") => OnOrAfter("/closed_on"),
        ("list_deals", "closed_to") => OnOrBefore("/closed_on"),
        ("list_deals", "company_id") => Equals(&["/company/id"]),

        ("list_comments", "commentable_type") => Equals(&["/commentable_type"]),
        ("list_comments", "commentable_id") => Equals(&["/commentable_id"]),
        ("list_comments", "user_id") => Equals(&["/user/id"]),
        ("list_comments", "manual") => Flag("/manual"),

        ("list_tags", "context") => Equals(&["/context"]),

        ("list_invoices" | "list_locked_invoices", "status") => Equals(&["/status"]),
        ("list_invoices", "include_disregarded") => IncludeDisregarded,
        ("list_invoices", "not_booked") => NotIn("/invoices/bookkeeping_exports", "/invoice_ids"),
        ("list_invoices" | "list_locked_invoices", "date_from") => OnOrAfter("/date"),
        ("list_invoices" | "list_locked_invoices", "date_to") => OnOrBefore("/date"),
        ("list_invoices", "service_period_from") => OnOrAfter("/service_period_from"),
        ("list_invoices", "service_period_to") => OnOrBefore("/service_period_to"),
        ("list_invoices", "tags") => AnyTag("/tags"),
        ("list_invoices" | "list_locked_invoices", "identifier") => Equals(&["/identifier"]),
        ("list_invoices", "term") => Contains(&["/title", "/identifier"]),
        ("list_invoices", "company_id") => Equals(&["/customer_id"]),
        ("list_invoices", "project_id") => Equals(&["/project_id"]),

        ("list_invoice_payments", "invoice_id") => Equals(&["/invoice/id"]),
        ("list_invoice_payments", "date_from") => OnOrAfter("/date"),
        ("list_invoice_payments", "date_to") => OnOrBefore("/date"),

        ("list_invoice_reminders", "invoice_id") => Equals(&["/invoice/id"]),
        ("list_invoice_reminders", "date_from") => OnOrAfter("/date"),
        ("list_invoice_reminders", "date_to") => OnOrBefore("/date"),

        ("list_offers", "status") => Equals(&["/status"]),
        ("list_offers", "from") => OnOrAfter("/date"),
        ("list_offers", "to") => OnOrBefore("/date"),
        ("list_offers", "identifier") => Equals(&["/identifier"]),
        ("list_offers", "deal_id") => Equals(&["/deal/id"]),
        ("list_offers", "project_id") => Equals(&["/project/id"]),
        ("list_offers", "company_id") => Equals(&["/company/id"]),
        ("list_offers", "tags") => AnyTag("/tags"),

        ("list_vat_code_sales" | "list_vat_code_purchases", "reverse_charge") => Flag("/reverse_charge"),
        ("list_vat_code_sales" | "list_vat_code_purchases", "intra_eu") => Flag("/intra_eu"),
        ("list_vat_code_sales" | "list_vat_code_purchases", "active") => Flag("/active"),

        ("list_receipts", "from") => OnOrAfter("/date"),
        ("list_receipts", "to") => OnOrBefore("/date"),
        ("list_receipts", "project_id") => Equals(&["/project/id"]),
        ("list_receipts", "user_id") => Equals(&["/user/id"]),
        ("list_receipts", "purchase_category_id") => Equals(&["/items/*/purchase_category/id"]),
        ("list_receipts", "refund_request_id") => Equals(&["/refund_request/id"]),
        ("list_receipts", "submitted") => Present("/refund_request/id"),

        ("list_purchases", "category_id") => Equals(&["/items/*/category/id"]),
        ("list_purchases", "term") => Contains(&["/items/*/title"]),
        ("list_purchases", "company_id") => SupplierOrNone("/company/id"),
        ("list_purchases", "status") => Equals(&["/status"]),
        ("list_purchases", "not_booked") => NotIn("/purchases/bookkeeping_exports", "/purchase_ids"),
        ("list_purchases", "tags") => AnyTag("/tags"),
        ("list_purchases", "date") => Span("/date"),
        ("list_purchases", "unpaid") => Missing("/payments"),
        ("list_purchases", "payment_method") => Equals(&["/payment_method"]),
        ("list_purchases", "receipt_identifier") => Equals(&["/receipt_identifier"]),
        ("list_purchases", "identifier") => Equals(&["/identifier"]),
        ("list_purchases", "user_id") => Equals(&["/user/id"]),
        ("list_purchases", "approval_status") => Equals(&["/approval_status"]),
        ("list_purchases", "approver_user_id") => Refused("a purchase does not show who is asked to approve it (see list_approvals)"),
        ("list_purchases", "partially_paid") => Flag("/partially_paid"),
        ("list_purchases", "tag_ids") => AnyTagId("/tags"),

        ("list_purchase_payments", "purchase_id") => Equals(&["/purchase/id"]),
        ("list_purchase_payments", "date_from") => OnOrAfter("/date"),
        ("list_purchase_payments", "date_to") => OnOrBefore("/date"),

        ("list_purchase_budgets", "year") => Year("/year"),
        ("list_custom_property_definitions", "entity") => Equals(&["/entity"]),
        ("list_fixed_costs", "year") => Year("/costs/*/year"),

        ("list_revenue_categories", "term") => Contains(&["/name", "/revenue_account"]),
        ("list_revenue_categories", "revenue_account") => Equals(&["/revenue_account"]),
        ("list_revenue_categories", "cost_category") => Equals(&["/cost_category"]),

        ("list_absence_requests", "user_id") => Equals(&["/user/id"]),
        ("list_absence_requests", "selected_approver_id") => Equals(&["/selected_approver/id"]),
        ("list_absence_requests", "type") => Equals(&["/type"]),
        ("list_absence_requests", "status") => Equals(&["/status"]),

        ("list_approvals", "type") => Equals(&["/target_type"]),
        ("list_approvals", "approver_user_id") => Equals(&["/approver/id", "/approver2/id"]),
        ("list_approvals", "creator_user_id") => Equals(&["/creator/id"]),
        ("list_approvals", "approval_status") => Equals(&["/status"]),

        ("list_offer_confirmations", "offer_id") => Equals(&["/offer/id"]),

        ("list_todos", "responsible_user_id") => Refused("a to-do shows who created it and who it is assigned to, not who is responsible"),
        ("list_todos", "assigned_to_user_id") => Equals(&["/assigned_to/id"]),
        ("list_todos", "created_by_user_id") => Equals(&["/created_by/id"]),
        ("list_todos", "term") => Contains(&["/title"]),
        ("list_todos", "completed") => Flag("/completed"),

        // The cash flow and finance reports stay the spec's examples; their records are
        // filtered like a list.
        ("get_cashflow_report" | "get_finance_report", "from") => OnOrAfter("/date"),
        ("get_cashflow_report" | "get_finance_report", "to") => OnOrBefore("/date"),
        ("get_cashflow_report" | "get_finance_report", "term") => Contains(&["/description", "/company/name"]),
        ("get_finance_report", "company_id") => Equals(&["/company_id", "/company/id"]),
        (
            "get_absences_report"
            | "get_planned_vs_tracked_report"
            | "get_utilization_report"
            | "get_user_performance_report"
            | "get_profile_performance_report"
            | "get_hourly_rates"
            | "list_internal_hourly_rates",
            _,
        ) => Report,

        _ => return None,
    })
}

/// One filter of a request: its rule, the parameter's name and its raw value.
struct Filter<'a> {
    rule: Rule,
    name: &'a str,
    raw: &'a str,
}

/// A request's filters, checked against the operation's rules.
pub(crate) struct Selection<'a> {
    filters: Vec<Filter<'a>>,
    /// Archived entities (`active: false`) are hidden unless asked for.
    hide_archived: bool,
    /// `disregarded` invoices are hidden unless asked for.
    hide_disregarded: bool,
}

/// Why a filter cannot be applied: the answer names it.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub param: String,
    pub message: String,
}

fn truthy(raw: &str) -> bool {
    matches!(raw.trim(), "true" | "1")
}

/// The filters of a list request. Parameters the operation does not declare are left to the
/// caller (ignored, as MOCO does, or refused in strict mode).
pub(crate) fn selection<'a>(op: &Operation, query: &'a [(String, String)]) -> Result<Selection<'a>, Refusal> {
    let mut selection = Selection {
        filters: Vec::new(),
        hide_archived: op.query_param("include_archived").is_some(),
        hide_disregarded: op.query_param("include_disregarded").is_some(),
    };
    for (name, raw) in query {
        let declared = if name.starts_with("custom_properties[") { "custom_properties" } else { name.as_str() };
        if op.query_param(declared).is_none() {
            continue;
        }
        let refuse = |reason: &str| Refusal {
            param: name.clone(),
            message: format!("moco-fake cannot apply the filter `{name}` of {}: {reason}", op.id),
        };
        match rule(&op.id, declared) {
            None => return Err(refuse("the fake has no rule for it")),
            Some(Refused(reason)) => return Err(refuse(reason)),
            Some(Paging | Shape | Report) => {}
            Some(IncludeArchived) => selection.hide_archived = !truthy(raw),
            Some(IncludeDisregarded) => selection.hide_disregarded = !truthy(raw),
            Some(rule) => selection.filters.push(Filter { rule, name, raw }),
        }
    }
    Ok(selection)
}

impl Selection<'_> {
    /// Whether an entity passes every filter.
    pub(crate) fn keeps(&self, store: &Store, entity: &Value) -> bool {
        if self.hide_archived && entity["active"] == Value::Bool(false) {
            return false;
        }
        if self.hide_disregarded && entity["status"] == "disregarded" {
            return false;
        }
        self.filters.iter().all(|f| passes(store, &f.rule, f.name, f.raw, entity))
    }
}

/// The values at a pointer; a `*` segment walks every element of an array.
fn values_at<'v>(value: &'v Value, pointer: &str) -> Vec<&'v Value> {
    let mut current = vec![value];
    for segment in pointer.split('/').skip(1) {
        current = current
            .into_iter()
            .flat_map(|v| match (segment, v) {
                ("*", Value::Array(items)) => items.iter().collect::<Vec<_>>(),
                ("*", _) => Vec::new(),
                (key, Value::Object(map)) => map.get(key).into_iter().collect(),
                (index, Value::Array(items)) => index.parse::<usize>().ok().and_then(|i| items.get(i)).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
    }
    current.into_iter().filter(|v| !is_nothing(v)).collect()
}

fn is_nothing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// A scalar as text: `10` and `"10"` compare equal, as a query value cannot tell them apart.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The date of a date or timestamp (`2024-03-01T10:00:00Z` → `2024-03-01`).
fn day(value: &Value) -> Option<&str> {
    value.as_str().and_then(|s| s.get(..10))
}

fn list(raw: &str) -> Vec<&str> {
    raw.split(',').map(str::trim).filter(|v| !v.is_empty()).collect()
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn passes(store: &Store, rule: &Rule, name: &str, raw: &str, entity: &Value) -> bool {
    let raw_trimmed = raw.trim();
    match rule {
        Ids => {
            let wanted = list(raw);
            entity["id"].as_i64().is_some_and(|id| wanted.iter().any(|v| v.parse::<i64>().ok() == Some(id)))
        }
        UpdatedAfter => {
            match (DateTime::parse_from_rfc3339(raw_trimmed), entity["updated_at"].as_str().map(DateTime::parse_from_rfc3339)) {
                (Ok(after), Some(Ok(updated))) => updated > after,
                _ => false,
            }
        }
        CustomProperties => {
            let field = name.trim_start_matches("custom_properties[").trim_end_matches("[]").trim_end_matches(']');
            match &entity["custom_properties"][field] {
                Value::Array(held) => held.iter().any(|h| text(h).as_deref() == Some(raw_trimmed)),
                other => text(other).is_some_and(|t| t == raw_trimmed),
            }
        }
        Equals(pointers) => {
            let wanted = list(raw);
            pointers.iter().flat_map(|p| values_at(entity, p)).filter_map(text).any(|t| wanted.contains(&t.as_str()))
        }
        SupplierOrNone(pointer) => {
            let wanted = list(raw);
            let held: Vec<String> = values_at(entity, pointer).into_iter().filter_map(text).collect();
            (held.is_empty() && wanted.contains(&"0")) || held.iter().any(|t| wanted.contains(&t.as_str()))
        }
        Flag(pointer) => {
            let held = values_at(entity, pointer).first().and_then(|v| v.as_bool()).unwrap_or(false);
            held == truthy(raw)
        }
        Missing(pointer) => values_at(entity, pointer).is_empty() == truthy(raw),
        Present(pointer) => values_at(entity, pointer).is_empty() != truthy(raw),
        OnOrAfter(pointer) => values_at(entity, pointer).first().and_then(|v| day(v)).is_some_and(|d| d >= raw_trimmed),
        OnOrBefore(pointer) => values_at(entity, pointer).first().and_then(|v| day(v)).is_some_and(|d| d <= raw_trimmed),
        EndsOnOrAfter(pointer) => values_at(entity, pointer).first().and_then(|v| day(v)).is_none_or(|d| d >= raw_trimmed),
        Span(pointer) => {
            let Some((from, to)) = raw_trimmed.split_once(':') else { return false };
            match (day(&entity["starts_on"]), day(&entity["ends_on"])) {
                (Some(start), Some(end)) if *pointer == "/starts_on" => start <= to && end >= from,
                _ => values_at(entity, pointer).first().and_then(|v| day(v)).is_some_and(|d| d >= from && d <= to),
            }
        }
        Year(pointer) => {
            let wanted = list(raw);
            values_at(entity, pointer)
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => s.get(..4).map(str::to_string),
                    other => text(other),
                })
                .any(|year| wanted.contains(&year.as_str()))
        }
        AnyTag(pointer) => {
            let wanted: Vec<String> = list(raw).into_iter().map(str::to_lowercase).collect();
            values_at(entity, &format!("{pointer}/*")).into_iter().filter_map(Value::as_str).any(|t| wanted.contains(&t.to_lowercase()))
        }
        AnyTagId(pointer) => {
            let tags = Store::coll("/tags");
            let names: Vec<String> = list(raw)
                .into_iter()
                .filter_map(|id| id.parse::<i64>().ok())
                .filter_map(|id| store.entity(tags, id))
                .filter_map(|tag| tag.value["name"].as_str().map(str::to_lowercase))
                .collect();
            values_at(entity, &format!("{pointer}/*")).into_iter().filter_map(Value::as_str).any(|t| names.contains(&t.to_lowercase()))
        }
        Contains(pointers) => {
            let term = raw_trimmed.to_lowercase();
            pointers.iter().flat_map(|p| values_at(entity, p)).filter_map(text).any(|t| t.to_lowercase().contains(&term))
        }
        Phone(pointers) => {
            let wanted = digits(raw);
            !wanted.is_empty() && pointers.iter().flat_map(|p| values_at(entity, p)).filter_map(text).any(|t| digits(&t).contains(&wanted))
        }
        NotIn(collection, pointer) => {
            let id = entity["id"].as_i64();
            let booked = store.colls[Store::coll(collection)]
                .values()
                .any(|export| values_at(&export.value, &format!("{pointer}/*")).into_iter().any(|v| v.as_i64() == id));
            booked != truthy(raw)
        }
        Via(pointer, collection, inner) => {
            let coll = Store::coll(collection);
            values_at(entity, pointer)
                .into_iter()
                .filter_map(Value::as_i64)
                .filter_map(|id| store.entity(coll, id))
                .any(|other| passes(store, inner, name, raw, &other.value))
        }
        Paging | Shape | Report | IncludeArchived | IncludeDisregarded | Refused(_) => true,
    }
}
