//! Every operation of `sections/invoices.md`, `sections/invoice_payments.md`,
//! `sections/invoice_reminders.md`, `sections/invoice_bookkeeping_exports.md` and
//! `sections/letter_papers.md`: the exact request and the decoded answer.

use httpmock::prelude::*;
use mocoapp::{types, CustomFields, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// A PDF as MOCO sends it: binary, not valid UTF-8 (the `%âãÏÓ` marker line, a NUL, 0xFF).
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog>>\nstream\n\x00\xff\xfe\x80\x81\nendstream\n%%EOF\n";

/// Decodes `with_unknown_enums(schema, example)` as `T`, checks that every open enum the helper
/// replaced is written back unchanged, and returns the decoded value with the changed paths.
fn decode_unknown_enums<T: serde::de::DeserializeOwned + serde::Serialize>(schema: &str, value: &Value) -> (T, Vec<String>) {
    let (future, changed) = with_unknown_enums(schema, value);
    assert!(!changed.is_empty(), "{schema} has open enums in its example");
    let decoded: T = serde_json::from_value(future).unwrap_or_else(|e| panic!("{schema} with unknown enums: {e}"));
    let back = serde_json::to_value(&decoded).unwrap();
    for path in &changed {
        assert_eq!(value_at(&back, path), &json!(UNKNOWN_ENUM_VALUE), "{schema} at {path}");
    }
    (decoded, changed)
}

// ---------------------------------------------------------------------------------------------
// Invoices
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_invoices_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_invoices");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "date desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "80547,80548"),
                ("custom_properties[ext-ref]", "3421"),
                ("status", "sent,overdue,partially_paid"),
                ("include_disregarded", "true"),
                ("not_booked", "false"),
                ("date_from", "2018-01-01"),
                ("date_to", "2018-01-31"),
                ("service_period_from", "2018-10-01"),
                ("service_period_to", "2018-10-31"),
                ("tags", "Postversand,Urgent"),
                ("identifier", "R1704-013"),
                ("term", "Website"),
                ("company_id", "760269602"),
                ("project_id", "944514545"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let invoices = client(&server)
        .filter_custom_fields(&CustomFields::new().with("ext-ref", "3421"))
        .list_invoices()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("date"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([80547, 80548])
        .status([types::InvoiceStatusFilter::Sent, types::InvoiceStatusFilter::Overdue, types::InvoiceStatusFilter::PartiallyPaid])
        .include_disregarded(true)
        .not_booked(false)
        .date_from(date("2018-01-01"))
        .date_to(date("2018-01-31"))
        .service_period_from(date("2018-10-01"))
        .service_period_to(date("2018-10-31"))
        .tags(["Postversand", "Urgent"])
        .identifier("R1704-013")
        .term("Website")
        .company_id(760269602)
        .project_id(944514545)
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&invoices, &body);
    let invoice = &invoices[0];
    assert_eq!(invoice.id, 80547);
    assert_eq!(invoice.identifier.as_deref(), Some("R1704-013"));
    assert_eq!(invoice.status, Some(types::InvoiceSummaryStatus::Paid));
    assert_eq!(invoice.date, Some(date("2017-04-05")));
    assert_eq!(invoice.service_period_to, Some(date("2018-10-31")));
    assert_eq!(invoice.reversed_invoice_id, None);
    assert_eq!(invoice.gross_total, Some(dec("38461.5")));
    assert_eq!(invoice.vat.as_ref().unwrap().code.as_deref(), Some("1"));
    assert_eq!(invoice.custom_properties.as_ref().unwrap().text("ext-ref"), Some("3421"));
    let procedure = invoice.debt_collection_procedure.as_ref().unwrap();
    assert_eq!((procedure.id, procedure.user.as_ref().unwrap().id), (15, 1234));
    assert_eq!(invoice.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[test]
fn the_status_filter_takes_every_state_by_its_wire_name() {
    let states = [
        (types::InvoiceStatusFilter::Draft, "draft"),
        (types::InvoiceStatusFilter::Created, "created"),
        (types::InvoiceStatusFilter::Sent, "sent"),
        (types::InvoiceStatusFilter::PartiallyPaid, "partially_paid"),
        (types::InvoiceStatusFilter::Paid, "paid"),
        (types::InvoiceStatusFilter::Overdue, "overdue"),
        (types::InvoiceStatusFilter::Ignored, "ignored"),
    ];
    for (state, wire) in states {
        assert_eq!(serde_json::to_value(state).unwrap(), json!(wire));
        assert_eq!(wire.parse::<types::InvoiceStatusFilter>().unwrap(), state);
    }
    // A filter value MOCO does not know is refused before anything is sent.
    assert!("disregarded".parse::<types::InvoiceStatusFilter>().is_err());
}

#[tokio::test]
async fn list_invoices_decodes_an_empty_page_and_sparse_and_disregarded_invoices() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("InvoiceSummary", &example("InvoiceSummary"));
    let disregarded = json!({"id": 80999, "status": "disregarded", "title": "Marked as billed"});
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices").is_true(exact_query(&[("status", "paid")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices").is_true(exact_query(&[("include_disregarded", "true")]));
            then.status(200).json_body(json!([sparse.clone(), disregarded.clone()]));
        })
        .await;
    let client = client(&server);
    let none = client.list_invoices().status([types::InvoiceStatusFilter::Paid]).send().await.unwrap();
    assert!(none.is_empty());

    let invoices = client.list_invoices().include_disregarded(true).send().await.unwrap();
    assert_eq!(invoices.len(), 2);
    let sparse_invoice = &invoices[0];
    assert_eq!(sparse_invoice.id, 80547);
    assert_eq!(sparse_invoice.identifier, None);
    assert_eq!(sparse_invoice.status, None);
    assert_eq!(sparse_invoice.vat, None);
    assert_eq!(sparse_invoice.debt_collection_procedure, None);
    assert_eq!(sparse_invoice.user, None);
    assert_eq!(sparse_invoice.tags, None);
    assert_eq!(sparse_invoice.created_at, None);
    let marked = &invoices[1];
    assert_eq!(marked.status, Some(types::InvoiceSummaryStatus::Disregarded));
    assert_eq!((marked.customer_id, marked.net_total), (None, None));
}

#[test]
fn invoice_summaries_keep_unknown_states() {
    let (decoded, changed) = decode_unknown_enums::<types::InvoiceSummary>("InvoiceSummary", &example("InvoiceSummary"));
    assert_eq!(changed, vec!["$.status".to_string()]);
    assert_eq!(decoded.status, Some(types::InvoiceSummaryStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn list_locked_invoices_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_locked_invoices");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/locked").is_true(no_body()).is_true(exact_query(&[
                ("page", "3"),
                ("per_page", "20"),
                ("sort_by", "identifier asc"),
                ("updated_after", "2023-01-01T00:00:00Z"),
                ("ids", "80547"),
                ("status", "paid"),
                ("date_from", "2018-01-01"),
                ("date_to", "2018-01-31"),
                ("identifier", "R1903-003"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let invoices = client(&server)
        .list_locked_invoices()
        .page(3)
        .per_page(20)
        .sort_by(SortBy::asc("identifier"))
        .updated_after(timestamp("2023-01-01T00:00:00Z"))
        .ids([80547])
        .status(types::ListLockedInvoicesStatus::Paid)
        .date_from(date("2018-01-01"))
        .date_to(date("2018-01-31"))
        .identifier("R1903-003")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&invoices, &body);
    assert_eq!(invoices[0].locked, Some(false));
    assert_eq!(invoices[0].reversal_invoice_id, Some(80548));
}

#[tokio::test]
async fn list_locked_invoices_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/locked").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_locked_invoices().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_invoice_decodes_the_full_invoice() {
    let server = MockServer::start_async().await;
    let body = example("Invoice");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let invoice = client(&server).get_invoice(80547).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&invoice, &body);
    assert_eq!(invoice.status, Some(types::InvoiceStatus::Paid));
    assert_eq!(invoice.recipient_address.as_deref(), Some("Beispiel AG\r\nBeispielstrasse 123\r\n8000 Zürich"));
    assert!(invoice.salutation.as_deref().unwrap().starts_with("<div>Wir erlauben uns"));
    assert_eq!(invoice.tax, Some(dec("8.0")));
    assert_eq!(invoice.discount, Some(dec("10.0")));
    assert_eq!(invoice.cash_discount_days, Some(5));
    assert_eq!(invoice.debit_number, None);

    let items = invoice.items.as_ref().unwrap();
    assert_eq!(items.len(), 7);
    assert_eq!(items[0].kind, Some(types::InvoiceItemType::Title));
    assert_eq!(items[0].quantity, None);
    assert_eq!(items[1].kind, Some(types::InvoiceItemType::Item));
    assert_eq!(items[1].revenue_category, None);
    assert_eq!((items[1].quantity, items[1].unit_price, items[1].net_total), (Some(dec("15.5")), Some(dec("185.0")), Some(dec("2867.5"))));
    assert_eq!(items[4].service_type, Some(types::InvoiceItemServiceType::Expense));
    let category = items[4].revenue_category.as_ref().unwrap();
    assert_eq!((category.id, category.revenue_account), (124, Some(30056)));
    assert_eq!(serde_json::to_value(&category.cost_category).unwrap(), json!("HO1"));

    let payments = invoice.payments.as_ref().unwrap();
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[1].paid_total, Some(dec("28461.5")));
    assert_eq!(payments[1].created_on, Some(date("2017-07-10")));
    let reminders = invoice.reminders.as_ref().unwrap();
    assert_eq!((reminders[0].id, reminders[0].due_date), (2291, Some(date("2017-05-28"))));
}

#[test]
fn invoice_positions_of_every_type_decode() {
    // What MOCO sends for the kinds of positions the docs' example does not show.
    let items = json!([
        {"id": 1, "type": "title", "title": "März 2017", "description": null, "quantity": null,
         "unit": null, "unit_price": null, "net_total": 0, "service_type": "service"},
        {"id": 2, "type": "description", "title": null, "description": "<div>Listing of all hours</div>"},
        {"id": 3, "type": "item", "title": "Design", "quantity": 3, "unit": "h", "unit_price": 150.0,
         "net_total": 450.0, "service_type": "service", "additional": false, "optional": true,
         "expense_ids": null, "revenue_category": {"id": 123, "name": "Design", "revenue_account": 30055, "cost_category": 4400}},
        {"id": 4, "type": "subtotal", "title": "Zwischentotal", "subtotal_type": "part_total", "net_total": 450.0},
        {"id": 5, "type": "subtotal", "subtotal_type": "sub_total", "net_total": 450.0},
        {"id": 6, "type": "page-break"},
        {"id": 7, "type": "separator", "title": null, "net_total": null},
        {"id": 8, "type": "item", "title": "Hosting", "quantity": 1, "unit": "Stk", "unit_price": 99,
         "net_total": 99, "service_type": "expense", "additional": true, "expense_ids": [47266, 47267]}
    ]);
    let decoded: Vec<types::InvoiceItem> = serde_json::from_value(items.clone()).unwrap();
    assert_decoded(&decoded, &items);
    let kinds: Vec<_> = decoded.iter().map(|i| i.kind.clone().unwrap()).collect();
    assert_eq!(
        kinds,
        vec![
            types::InvoiceItemType::Title,
            types::InvoiceItemType::Description,
            types::InvoiceItemType::Item,
            types::InvoiceItemType::Subtotal,
            types::InvoiceItemType::Subtotal,
            types::InvoiceItemType::PageBreak,
            types::InvoiceItemType::Separator,
            types::InvoiceItemType::Item,
        ]
    );
    assert_eq!(decoded[1].description.as_deref(), Some("<div>Listing of all hours</div>"));
    assert_eq!(decoded[2].optional, Some(true));
    // cost_category is a string in the invoice docs, a number elsewhere: both decode.
    assert_eq!(serde_json::to_value(&decoded[2].revenue_category.as_ref().unwrap().cost_category).unwrap(), json!(4400));
    assert_eq!(decoded[3].subtotal_type, Some(types::InvoiceItemSubtotalType::PartTotal));
    assert_eq!(decoded[4].subtotal_type, Some(types::InvoiceItemSubtotalType::SubTotal));
    assert_eq!((decoded[5].title.as_ref(), decoded[5].net_total), (None, None));
    assert_eq!(decoded[7].expense_ids, Some(vec![47266, 47267]));
    // The wire name `page-break` is written back as it came.
    assert_eq!(serde_json::to_value(&decoded[5]).unwrap()["type"], json!("page-break"));
}

#[test]
fn invoices_decode_with_every_nullable_field_null() {
    let sparse = with_nulls("Invoice", &example("Invoice"));
    let invoice: types::Invoice = serde_json::from_value(sparse).unwrap();
    assert_eq!(invoice.id, 80547);
    assert_eq!(invoice.status, None);
    assert_eq!(invoice.items, None);
    assert_eq!(invoice.payments, None);
    assert_eq!(invoice.reminders, None);
    assert_eq!(invoice.vat, None);
    assert_eq!(invoice.salutation, None);
    assert_eq!(invoice.custom_properties, None);
    assert_eq!(invoice.updated_at, None);

    // Positions, payments and reminders inside an invoice, each with its nullable fields null.
    let full = example("Invoice");
    let mut nested = full.clone();
    nested["items"] = Value::Array(full["items"].as_array().unwrap().iter().map(|i| with_nulls("InvoiceItem", i)).collect());
    nested["payments"] =
        Value::Array(full["payments"].as_array().unwrap().iter().map(|p| with_nulls("InvoicePaymentSummary", p)).collect());
    nested["reminders"] =
        Value::Array(full["reminders"].as_array().unwrap().iter().map(|r| with_nulls("InvoiceReminderSummary", r)).collect());
    nested["vat"] = with_nulls("InvoiceVat", &full["vat"]);
    nested["debt_collection_procedure"] = with_nulls("InvoiceDebtCollectionProcedure", &full["debt_collection_procedure"]);
    let invoice: types::Invoice = serde_json::from_value(nested).unwrap();
    let item = &invoice.items.as_ref().unwrap()[0];
    assert_eq!((item.id, item.kind.as_ref(), item.title.as_ref(), item.revenue_category.as_ref()), (387469, None, None, None));
    let payment = &invoice.payments.as_ref().unwrap()[0];
    assert_eq!((payment.id, payment.paid_total, payment.date), (65938, None, None));
    assert_eq!(invoice.reminders.as_ref().unwrap()[0].text, None);
    assert_eq!(invoice.vat.as_ref().unwrap().tax, None);
    assert_eq!(invoice.debt_collection_procedure.as_ref().unwrap().user, None);
}

#[test]
fn invoices_keep_unknown_states_and_position_kinds() {
    let (invoice, changed) = decode_unknown_enums::<types::Invoice>("Invoice", &example("Invoice"));
    assert!(changed.contains(&"$.status".to_string()));
    assert!(changed.contains(&"$.items[0].type".to_string()));
    assert!(changed.contains(&"$.items[6].service_type".to_string()));
    let unknown = || UNKNOWN_ENUM_VALUE.to_string();
    assert_eq!(invoice.status, Some(types::InvoiceStatus::Unknown(unknown())));
    let item = &invoice.items.as_ref().unwrap()[0];
    assert_eq!(item.kind, Some(types::InvoiceItemType::Unknown(unknown())));
    assert_eq!(item.service_type, Some(types::InvoiceItemServiceType::Unknown(unknown())));
    let subtotal = json!({"id": 1, "type": "subtotal", "subtotal_type": "running_total"});
    let decoded: types::InvoiceItem = serde_json::from_value(subtotal).unwrap();
    assert_eq!(decoded.subtotal_type, Some(types::InvoiceItemSubtotalType::Unknown("running_total".into())));
}

#[tokio::test]
async fn download_invoice_pdf_returns_the_exact_bytes() {
    let server = MockServer::start_async().await;
    let default = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547.pdf").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let blank = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547.pdf").is_true(exact_query(&[("blank", "true")]));
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let on_paper = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547.pdf").is_true(exact_query(&[("letter_paper_id", "123")]));
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let client = client(&server);

    let file: Vec<u8> = client.download_invoice_pdf(80547).send().await.unwrap();
    assert_eq!(file, PDF);
    assert!(file.starts_with(b"%PDF"));
    let file = client.download_invoice_pdf(80547).blank(true).send().await.unwrap();
    assert_eq!(file, PDF);
    let response = client.download_invoice_pdf(80547).letter_paper_id(123).send_with_response().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");

    default.assert_async().await;
    blank.assert_async().await;
    on_paper.assert_async().await;
}

#[tokio::test]
async fn download_invoice_pdf_of_an_unknown_invoice_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/1.pdf");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).download_invoice_pdf(1).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{error:?}");
}

#[tokio::test]
async fn get_invoice_timesheet_decodes_the_billed_activities() {
    let server = MockServer::start_async().await;
    let body = response_example("get_invoice_timesheet");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547/timesheet").is_true(no_body()).is_true(exact_query(&[("page", "2"), ("per_page", "10")]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80548/timesheet").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    let activities = client.get_invoice_timesheet(80547).page(2).per_page(10).send().await.unwrap();
    assert_decoded(&activities, &body);
    let activity = &activities[0];
    assert_eq!(activity.id, 988913748);
    assert_eq!((activity.date, activity.hours, activity.billed), (Some(date("2021-01-25")), Some(dec("4.0")), Some(true)));
    assert_eq!(activity.remote_service, Some(types::RemoteService::Trello));
    assert_eq!(activity.project.as_ref().unwrap().name.as_deref(), Some("Pitch Project"));
    assert_eq!(activity.timer_started_at, None);
    assert!(client.get_invoice_timesheet(80548).send().await.unwrap().is_empty());
    mock.assert_async().await;
    empty.assert_async().await;
}

#[tokio::test]
async fn download_invoice_timesheet_pdf_returns_the_bytes_or_not_found() {
    let server = MockServer::start_async().await;
    let plain = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547/timesheet.pdf").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let on_paper = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547/timesheet.pdf").is_true(exact_query(&[("letter_paper_id", "123")]));
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    // An invoice without billed hours has no timesheet document.
    let no_hours = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80548/timesheet.pdf");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let client = client(&server);
    assert_eq!(client.download_invoice_timesheet_pdf(80547).send().await.unwrap(), PDF);
    assert_eq!(client.download_invoice_timesheet_pdf(80547).letter_paper_id(123).send().await.unwrap(), PDF);
    let error = client.download_invoice_timesheet_pdf(80548).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{error:?}");
    plain.assert_async().await;
    on_paper.assert_async().await;
    no_hours.assert_async().await;
}

#[tokio::test]
async fn list_invoice_expenses_decodes_the_billed_expenses() {
    let server = MockServer::start_async().await;
    let body = response_example("list_invoice_expenses");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547/expenses").is_true(no_body()).is_true(exact_query(&[("page", "1"), ("per_page", "5")]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let mut sparse = body[0].clone();
    for (key, value) in sparse.as_object_mut().unwrap() {
        if key != "id" {
            *value = Value::Null;
        }
    }
    let other = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80548/expenses").is_true(exact_query(&[]));
            then.status(200).json_body(json!([sparse.clone()]));
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80549/expenses");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    let expenses = client.list_invoice_expenses(80547).page(1).per_page(5).send().await.unwrap();
    assert_decoded(&expenses, &body);
    let expense = &expenses[0];
    assert_eq!(expense.id, 47266);
    assert_eq!((expense.quantity, expense.price, expense.currency.as_deref()), (Some(dec("3.0")), Some(dec("87.0")), Some("CHF")));
    assert_eq!(expense.recurring_expense_id, None);
    assert_eq!(expense.service_period_from, Some(date("2020-10-01")));
    assert_eq!(expense.company.as_ref().unwrap().id, 1234);
    assert_eq!(expense.custom_properties.as_ref().unwrap().text("Type"), Some("Website"));
    assert_eq!(expense.purchase_item_id, Some(234567));

    let sparse_expenses = client.list_invoice_expenses(80548).send().await.unwrap();
    assert_eq!(sparse_expenses[0].id, 47266);
    assert_eq!((sparse_expenses[0].title.as_ref(), sparse_expenses[0].company.as_ref()), (None, None));
    assert!(client.list_invoice_expenses(80549).send().await.unwrap().is_empty());
    mock.assert_async().await;
    other.assert_async().await;
    empty.assert_async().await;
}

#[tokio::test]
async fn update_invoice_status_sends_the_closed_enum() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/invoices/80547/update_status")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("update_invoice_status"));
            then.status(204);
        })
        .await;
    let ignored = server
        .mock_async(|when, then| {
            moco(when, PUT, "/invoices/80548/update_status").json_body(json!({"status": "ignored"}));
            then.status(200);
        })
        .await;
    let client = client(&server);
    let response = client
        .update_invoice_status(80547)
        .body_map(|b| b.status(types::InvoiceStatusUpdateStatus::Sent))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    client
        .update_invoice_status(80548)
        .body(types::InvoiceStatusUpdate { status: types::InvoiceStatusUpdateStatus::Ignored })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    ignored.assert_async().await;
    // Only the states a user may set by hand exist; payment states are not among them.
    assert!("paid".parse::<types::InvoiceStatusUpdateStatus>().is_err());
    assert!(serde_json::from_value::<types::InvoiceStatusUpdate>(json!({"status": "partially_paid"})).is_err());
}

#[tokio::test]
async fn update_invoice_status_without_a_status_is_not_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let result = client(&server).update_invoice_status(80547).body_map(|b| b).send().await;
    assert!(result.is_err());
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_invoice_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_invoice");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("Invoice"));
        })
        .await;
    let item = |kind: &str| types::InvoiceItemCreate::builder().kind(kind);
    let items: Vec<types::InvoiceItemCreate> = vec![
        item("title").title("Hours"),
        item("description").description("Listing of all hours"),
        item("item").title("Hosting").quantity(dec("1.0")).unit("Stk").unit_price(dec("99.0")).revenue_category_id(123),
        item("separator"),
        item("item").title("Design").quantity(dec("3.0")).unit("h").unit_price(dec("150.0")),
        item("item").title("Setup MailChimp (pauschal)").net_total(dec("400.0")),
    ]
    .into_iter()
    .map(|b| b.try_into().unwrap())
    .collect();
    let response = client(&server)
        .create_invoice()
        .body_map(|b| {
            b.customer_id(123456)
                .project_id(654321)
                .recipient_address("Mein Kunde\nHauptstrasse 1\n8000 Zürich")
                .date(date("2018-09-17"))
                .due_date(date("2018-10-16"))
                .title("Invoice")
                .tax(8.0)
                .currency("CHF")
                .service_period_from(date("2019-12-01"))
                .service_period_to(date("2019-12-31"))
                .internal_contact_id(1234)
                .items(items)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let invoice = response.into_inner();
    assert_eq!(invoice.id, 80547);
    assert_eq!(invoice.items.unwrap().len(), 7);
}

#[tokio::test]
async fn create_invoice_with_every_field_and_position_kind() {
    let server = MockServer::start_async().await;
    let request = json!({
        "customer_id": 123456,
        "recipient_address": "Mein Kunde\nHauptstrasse 1\n8000 Zürich",
        "date": "2018-09-17",
        "due_date": "2018-10-16",
        "title": "Invoice",
        "tax": 7.7,
        "currency": "CHF",
        "status": "draft",
        "change_address": "customer",
        "salutation": "<div>Dear {contact_name}</div>",
        "footer": "<div>Payable by {due_date}</div>",
        "discount": 5,
        "cash_discount": 2.5,
        "cash_discount_days": 10,
        "custom_properties": {"ext-ref": "3421"},
        "tags": ["Postversand"],
        "print_detail_columns": false,
        "items": [
            {"type": "item", "title": "Design", "quantity": 3, "unit": "h", "unit_price": 150.0,
             "activity_ids": [1253, 8712], "service_type": "service", "optional": false},
            {"type": "item", "title": "Hosting", "quantity": 1, "unit": "Stk", "unit_price": 99,
             "expense_ids": [47266], "additional": true, "service_type": "expense"},
            {"type": "subtotal", "subtotal_type": "part_total"},
            {"type": "page-break"},
            {"type": "subtotal", "subtotal_type": "sub_total"}
        ]
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices").is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Invoice"));
        })
        .await;
    let body: types::InvoiceCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.status, Some(types::InvoiceCreateStatus::Draft));
    assert_eq!(body.change_address, Some(types::InvoiceCreateChangeAddress::Customer));
    assert_eq!(body.items[0].kind, types::InvoiceItemCreateType::Item);
    assert_eq!(body.items[0].activity_ids, Some(vec![1253, 8712]));
    assert_eq!(body.items[1].service_type, Some(types::InvoiceItemCreateServiceType::Expense));
    assert_eq!(body.items[2].subtotal_type, Some(types::InvoiceItemCreateSubtotalType::PartTotal));
    assert_eq!(body.items[3].kind, types::InvoiceItemCreateType::PageBreak);
    // Request enums are closed: a position kind MOCO does not know is refused.
    assert!(serde_json::from_value::<types::InvoiceItemCreate>(json!({"type": "chapter"})).is_err());
    client(&server).create_invoice().body(body).send().await.unwrap();
    mock.assert_async().await;

    // The docs' single position example (billing tracked activities) is a valid position.
    let position: types::InvoiceItemCreate = serde_json::from_value(example("InvoiceItemCreate")).unwrap();
    assert_eq!(position.activity_ids, Some(vec![1253, 8712]));
}

#[tokio::test]
async fn create_invoice_without_its_required_fields_is_not_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).json_body(example("Invoice"));
        })
        .await;
    let result = client(&server).create_invoice().body_map(|b| b.customer_id(123456).title("Invoice")).send().await;
    assert!(result.is_err());
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn send_invoice_email_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let answer = example("InvoiceEmailRecipients");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/80547/send_email")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("send_invoice_email"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let all = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/80548/send_email").json_body(json!({
                "subject": "Invoice",
                "text": "Kind regards",
                "emails_to": "a@example.com;b@example.com",
                "emails_cc": "c@example.com",
                "emails_bcc": "d@example.com",
                "letter_paper_id": 123
            }));
            then.status(201).json_body(json!({
                "emails_to": "a@example.com;b@example.com",
                "emails_cc": "c@example.com",
                "emails_bcc": "d@example.com"
            }));
        })
        .await;
    let client = client(&server);
    let recipients = client
        .send_invoice_email(80547)
        .body_map(|b| b.emails_to("somebody@example.com").subject("Invoice").text("Kind regards"))
        .send()
        .await
        .unwrap();
    assert_decoded(&recipients, &answer);
    assert_eq!(recipients.emails_to.as_deref(), Some("somebody@example.com"));
    assert_eq!(recipients.emails_cc, None);
    let recipients = client
        .send_invoice_email(80548)
        .body_map(|b| {
            b.subject("Invoice")
                .text("Kind regards")
                .emails_to("a@example.com;b@example.com")
                .emails_cc("c@example.com")
                .emails_bcc("d@example.com")
                .letter_paper_id(123)
        })
        .send()
        .await
        .unwrap();
    assert_eq!(recipients.emails_bcc.as_deref(), Some("d@example.com"));
    mock.assert_async().await;
    all.assert_async().await;

    let empty: types::InvoiceEmailRecipients = serde_json::from_value(json!({})).unwrap();
    assert_eq!(empty, types::InvoiceEmailRecipients::default());
}

#[tokio::test]
async fn delete_invoice_sends_the_reason_as_json() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/invoices/80547")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("delete_invoice"));
            then.status(204);
        })
        .await;
    let response = client(&server).delete_invoice(80547).body_map(|b| b.reason("Wrong invoice number")).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn delete_draft_invoice_without_a_reason_sends_an_empty_object() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/invoices/80549").is_true(exact_query(&[])).json_body(json!({}));
            then.status(200);
        })
        .await;
    let response = client(&server).delete_invoice(80549).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn list_invoice_attachments() {
    let server = MockServer::start_async().await;
    let body = json!([example("InvoiceAttachment"), {"id": 124, "filename": null, "content_type": "application/pdf"}]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80547/attachments").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/80548/attachments");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    let attachments = client.list_invoice_attachments(80547).send().await.unwrap();
    assert_decoded(&attachments[0], &example("InvoiceAttachment"));
    assert_eq!(attachments[0].id, Some(123));
    assert_eq!(attachments[0].filename.as_deref(), Some("attachment.pdf"));
    // Fields the spec does not know are tolerated; nulls become None.
    assert_eq!((attachments[1].id, attachments[1].filename.as_ref()), (Some(124), None));
    assert!(client.list_invoice_attachments(80548).send().await.unwrap().is_empty());
    let sparse: types::InvoiceAttachment = serde_json::from_value(with_nulls("InvoiceAttachment", &example("InvoiceAttachment"))).unwrap();
    assert_eq!(sparse, types::InvoiceAttachment::default());
    mock.assert_async().await;
    empty.assert_async().await;
}

#[tokio::test]
async fn create_invoice_attachment_sends_the_base64_file() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/80547/attachments")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("create_invoice_attachment"));
            then.status(201).json_body(example("InvoiceAttachment"));
        })
        .await;
    let attachment = client(&server)
        .create_invoice_attachment(80547)
        .body_map(|b| {
            b.attachment(types::InvoiceAttachmentFile {
                filename: "attachment.pdf".into(),
                base64: "JVBERi0xLjQKJeLjz9MKNCAwIG9iago8PC9GaWx...".into(),
            })
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(attachment.id, Some(123));
}

#[tokio::test]
async fn delete_invoice_attachment() {
    assert_deletes("/invoices/80547/attachments/123", 204, |client| async move {
        client.delete_invoice_attachment(80547, 123).send_with_response().await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Invoice payments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_invoice_payments_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_invoice_payments");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/payments").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "100"),
                ("sort_by", "date desc"),
                ("updated_after", "2018-10-17T09:33:46Z"),
                ("ids", "123,124"),
                ("invoice_id", "12345"),
                ("date_from", "2017-10-01"),
                ("date_to", "2017-10-31"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let payments = client(&server)
        .list_invoice_payments()
        .page(2)
        .per_page(100)
        .sort_by(SortBy::desc("date"))
        .updated_after(timestamp("2018-10-17T09:33:46Z"))
        .ids([123, 124])
        .invoice_id(12345)
        .date_from(date("2017-10-01"))
        .date_to(date("2017-10-31"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&payments, &body);
    let payment = &payments[0];
    assert_eq!(payment.id, 123);
    assert_eq!(payment.date, Some(date("2017-10-01")));
    let invoice = payment.invoice.as_ref().unwrap();
    assert_eq!((invoice.id, invoice.identifier.as_deref()), (12345, Some("R1710-001")));
    assert_eq!(payment.description.as_deref(), Some(""));
}

#[test]
fn payment_amounts_sent_as_strings_stay_strings() {
    let payment: types::InvoicePayment = serde_json::from_value(example("InvoicePayment")).unwrap();
    // "17999.00" keeps its two decimals: no float round trip.
    assert_eq!(payment.paid_total.map(|d| d.to_string()).as_deref(), Some("17999.00"));
    assert_eq!(payment.paid_total_in_account_currency, Some(dec("17999.00")));
    let back = serde_json::to_value(&payment).unwrap();
    assert_eq!(back["paid_total"], json!("17999.00"));
    assert_eq!(back["paid_total_in_account_currency"], json!("17999.00"));
    let odd: types::InvoicePayment =
        serde_json::from_value(json!({"id": 1, "paid_total": "0.10", "paid_total_in_account_currency": "1234567890.12"})).unwrap();
    assert_eq!(odd.paid_total.map(|d| d.to_string()).as_deref(), Some("0.10"));
    assert_eq!(odd.paid_total_in_account_currency.map(|d| d.to_string()).as_deref(), Some("1234567890.12"));
    // The VAT code is a string as well ("1"), the custom field value too ("3421").
    let invoice: types::Invoice = serde_json::from_value(example("Invoice")).unwrap();
    let back = serde_json::to_value(&invoice).unwrap();
    assert_eq!(back["vat"]["code"], json!("1"));
    assert_eq!(back["creditor_reference"], json!("12345"));
    assert_eq!(back["custom_properties"]["ext-ref"], json!("3421"));
}

#[tokio::test]
async fn list_invoice_payments_decodes_an_empty_page_and_sparse_payments() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("InvoicePayment", &example("InvoicePayment"));
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/payments").is_true(exact_query(&[("invoice_id", "1")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/payments").is_true(exact_query(&[]));
            then.status(200).json_body(json!([sparse.clone()]));
        })
        .await;
    let client = client(&server);
    assert!(client.list_invoice_payments().invoice_id(1).send().await.unwrap().is_empty());
    let payments = client.list_invoice_payments().send().await.unwrap();
    let payment = &payments[0];
    assert_eq!(payment.id, 123);
    assert_eq!((payment.invoice.as_ref(), payment.paid_total.as_ref(), payment.date), (None, None, None));
    assert_eq!((payment.currency.as_ref(), payment.created_at), (None, None));
    // A payment's invoice reference can come with its own nulls.
    let mut with_ref = example("InvoicePayment");
    with_ref["invoice"] = with_nulls("InvoiceRef", &example("InvoiceRef"));
    let decoded: types::InvoicePayment = serde_json::from_value(with_ref).unwrap();
    let invoice = decoded.invoice.unwrap();
    assert_eq!((invoice.id, invoice.identifier, invoice.title), (12345, None, None));
}

#[tokio::test]
async fn list_invoice_payments_streams_every_page() {
    let server = MockServer::start_async().await;
    let next = format!("<{}?invoice_id=12345&page=2>; rel=\"next\"", server.url("/api/v1/invoices/payments"));
    let payment = |id: i64| {
        let mut p = example("InvoicePayment");
        p["id"] = json!(id);
        p
    };
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/payments").is_true(exact_query(&[("invoice_id", "12345")]));
            then.status(200).header("X-Total", "3").header("Link", next.as_str()).json_body(json!([payment(1), payment(2)]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/payments").is_true(exact_query(&[("invoice_id", "12345"), ("page", "2")]));
            then.status(200).header("X-Total", "3").json_body(json!([payment(3)]));
        })
        .await;
    let payments = client(&server).list_invoice_payments().invoice_id(12345).collect_all().await.unwrap();
    assert_eq!(payments.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn get_invoice_payment() {
    let server = MockServer::start_async().await;
    let body = example("InvoicePayment");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/payments/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let payment = client(&server).get_invoice_payment(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&payment, &body);
    assert_eq!(payment.currency.as_deref(), Some("EUR"));
    assert_eq!(payment.updated_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn create_invoice_payment_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/payments")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request_example("create_invoice_payment")));
            then.status(201).json_body(example("InvoicePayment"));
        })
        .await;
    let without_invoice = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/payments").is_true(json_equiv(json!({
                "date": "2018-10-21",
                "paid_total": 99.95,
                "currency": "CHF",
                "partially_paid": true,
                "description": "Cash payment"
            })));
            then.status(200).json_body(example("InvoicePayment"));
        })
        .await;
    let client = client(&server);
    let response = client
        .create_invoice_payment()
        .body_map(|b| b.date(date("2018-10-20")).invoice_id(123).paid_total(1000.0).currency("EUR"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().paid_total, Some(dec("17999.00")));
    client
        .create_invoice_payment()
        .body_map(|b| b.date(date("2018-10-21")).paid_total(99.95).currency("CHF").partially_paid(true).description("Cash payment"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    without_invoice.assert_async().await;
}

#[tokio::test]
async fn create_invoice_payments_bulk_sends_every_payment() {
    let server = MockServer::start_async().await;
    let created = json!([example("InvoicePayment"), {"id": 124, "date": "2018-10-22", "paid_total": "1000.00", "currency": "EUR"}]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/payments/bulk")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request_example("create_invoice_payments_bulk")));
            then.status(201).json_body(created.clone());
        })
        .await;
    let payment = |day: &str, invoice_id: i64, paid_total: mocoapp::Decimal| types::InvoicePaymentBulkItem {
        date: date(day),
        invoice_id,
        paid_total,
        payment_account_id: None,
        currency: Some("EUR".into()),
    };
    let payments = client(&server)
        .create_invoice_payments_bulk()
        .body_map(|b| b.bulk_data(vec![payment("2018-10-20", 456, dec("2000.0")), payment("2018-10-22", 123, dec("1000.0"))]))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&payments, &created);
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[1].paid_total, Some(dec("1000.00")));
    // The docs' whole bulk body decodes into the request type.
    let body: types::InvoicePaymentBulkCreate = serde_json::from_value(example("InvoicePaymentBulkCreate")).unwrap();
    assert_eq!(body.bulk_data[0].invoice_id, 456);
}

#[test]
fn a_bulk_payment_without_its_invoice_is_refused() {
    // Every bulk payment needs its invoice: a body without one does not even build.
    let incomplete = serde_json::from_value::<types::InvoicePaymentBulkItem>(json!({"date": "2018-10-20", "paid_total": 10}));
    assert!(incomplete.is_err());
}

#[tokio::test]
async fn update_invoice_payment_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/invoices/payments/123")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request_example("update_invoice_payment")));
            then.status(200).json_body(example("InvoicePayment"));
        })
        .await;
    let payment = client(&server).update_invoice_payment(123).body_map(|b| b.paid_total(dec("2000.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(payment.id, 123);
}

#[tokio::test]
async fn delete_invoice_payment() {
    assert_deletes("/invoices/payments/123", 204, |client| async move { client.delete_invoice_payment(123).send_with_response().await })
        .await;
}

// ---------------------------------------------------------------------------------------------
// Invoice reminders
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_invoice_reminders_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_invoice_reminders");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoice_reminders").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "25"),
                ("sort_by", "due_date asc"),
                ("updated_after", "2020-03-19T09:13:44Z"),
                ("ids", "1,2"),
                ("invoice_id", "1489"),
                ("date_from", "2019-10-01"),
                ("date_to", "2019-10-31"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let reminders = client(&server)
        .list_invoice_reminders()
        .page(2)
        .per_page(25)
        .sort_by(SortBy::asc("due_date"))
        .updated_after(timestamp("2020-03-19T09:13:44Z"))
        .ids([1, 2])
        .invoice_id(1489)
        .date_from(date("2019-10-01"))
        .date_to(date("2019-10-31"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&reminders, &body);
    let reminder = &reminders[0];
    assert_eq!(reminder.id, 1);
    assert_eq!(reminder.status, Some(types::InvoiceReminderStatus::Created));
    assert_eq!(reminder.fee, Some(dec("0.0")));
    assert_eq!(reminder.due_date, Some(date("2019-10-30")));
    assert_eq!(reminder.invoice.as_ref().unwrap().identifier.as_deref(), Some("1409-019"));
}

#[tokio::test]
async fn list_invoice_reminders_decodes_empty_sparse_and_unknown() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("InvoiceReminder", &example("InvoiceReminder"));
    let (future, changed) = with_unknown_enums("InvoiceReminder", &example("InvoiceReminder"));
    assert_eq!(changed, vec!["$.status".to_string()]);
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoice_reminders").is_true(exact_query(&[("invoice_id", "1")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoice_reminders").is_true(exact_query(&[]));
            then.status(200).json_body(json!([sparse.clone(), future.clone()]));
        })
        .await;
    let client = client(&server);
    assert!(client.list_invoice_reminders().invoice_id(1).send().await.unwrap().is_empty());
    let reminders = client.list_invoice_reminders().send().await.unwrap();
    let sparse = &reminders[0];
    assert_eq!(sparse.id, 1);
    assert_eq!((sparse.status.as_ref(), sparse.invoice.as_ref(), sparse.fee, sparse.title.as_ref()), (None, None, None, None));
    assert_eq!(reminders[1].status, Some(types::InvoiceReminderStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn get_invoice_reminder() {
    let server = MockServer::start_async().await;
    let body = example("InvoiceReminder");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoice_reminders/1").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let reminder = client(&server).get_invoice_reminder(1).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&reminder, &body);
    assert_eq!(reminder.title.as_deref(), Some("Zahlungserinnerung"));
    assert_eq!(reminder.created_at, Some(timestamp("2019-10-30T07:20:40Z")));
}

#[tokio::test]
async fn create_invoice_reminder_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoice_reminders")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("create_invoice_reminder"));
            then.status(201).json_body(example("InvoiceReminder"));
        })
        .await;
    let with_fee = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoice_reminders").is_true(json_equiv(json!({"invoice_id": 546047, "fee": 20})));
            then.status(200).json_body(example("InvoiceReminder"));
        })
        .await;
    let client = client(&server);
    let response = client
        .create_invoice_reminder()
        .body_map(|b| b.invoice_id(546046).title("Mahnung").text("Hallo").date(date("2020-08-04")).due_date(date("2020-09-12")))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 1);
    // Title and text may be left to the account's defaults.
    client.create_invoice_reminder().body_map(|b| b.invoice_id(546047).fee(dec("20.0"))).send().await.unwrap();
    mock.assert_async().await;
    with_fee.assert_async().await;
}

#[tokio::test]
async fn delete_invoice_reminder() {
    assert_deletes("/invoice_reminders/1", 204, |client| async move { client.delete_invoice_reminder(1).send_with_response().await }).await;
}

#[tokio::test]
async fn send_invoice_reminder_email_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let answer = example("InvoiceEmailRecipients");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoice_reminders/1/send_email")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("send_invoice_reminder_email"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let copies = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoice_reminders/2/send_email").json_body(json!({
                "subject": "reminder",
                "text": "pending invoice",
                "emails_cc": "boss@example.com",
                "emails_bcc": "archive@example.com"
            }));
            then.status(201)
                .json_body(json!({"emails_to": "billing@customer.example", "emails_cc": "boss@example.com", "emails_bcc": null}));
        })
        .await;
    let client = client(&server);
    let recipients = client
        .send_invoice_reminder_email(1)
        .body_map(|b| b.emails_to("somebody@example.com").subject("reminder").text("pending invoice"))
        .send()
        .await
        .unwrap();
    assert_decoded(&recipients, &answer);
    assert_eq!(recipients.emails_to.as_deref(), Some("somebody@example.com"));
    // Without `emails_to` MOCO picks the default recipients and names them in the answer.
    let recipients = client
        .send_invoice_reminder_email(2)
        .body_map(|b| b.subject("reminder").text("pending invoice").emails_cc("boss@example.com").emails_bcc("archive@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(recipients.emails_to.as_deref(), Some("billing@customer.example"));
    assert_eq!(recipients.emails_bcc, None);
    mock.assert_async().await;
    copies.assert_async().await;
}

// ---------------------------------------------------------------------------------------------
// Invoice bookkeeping exports
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_invoice_bookkeeping_exports_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_invoice_bookkeeping_exports");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/bookkeeping_exports").is_true(no_body()).is_true(exact_query(&[
                ("page", "1"),
                ("per_page", "10"),
                ("sort_by", "created_at desc"),
                ("updated_after", "2021-03-01T00:00:00Z"),
                ("ids", "1101,1102"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let exports = client(&server)
        .list_invoice_bookkeeping_exports()
        .page(1)
        .per_page(10)
        .sort_by(SortBy::desc("created_at"))
        .updated_after(timestamp("2021-03-01T00:00:00Z"))
        .ids([1101, 1102])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&exports, &body);
    let export = &exports[0];
    assert_eq!(export.id, 1101);
    assert_eq!((export.from, export.to), (Some(date("2015-01-01")), Some(date("2015-12-31"))));
    assert_eq!(export.invoice_ids.as_ref().unwrap().len(), 36);
    assert_eq!(export.invoice_ids.as_ref().unwrap()[0], 2197);
    assert_eq!(export.comment.as_deref(), Some("2015"));
    assert_eq!(export.status, Some(types::InvoiceBookkeepingExportStatus::Manual));
    assert_eq!(export.user.as_ref().unwrap().lastname.as_deref(), Some("Miesel"));
}

#[tokio::test]
async fn list_invoice_bookkeeping_exports_decodes_empty_sparse_and_unknown() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("InvoiceBookkeepingExport", &example("InvoiceBookkeepingExport"));
    let (future, changed) = with_unknown_enums("InvoiceBookkeepingExport", &example("InvoiceBookkeepingExport"));
    assert_eq!(changed, vec!["$.status".to_string()]);
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/bookkeeping_exports").is_true(exact_query(&[("page", "9")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/bookkeeping_exports").is_true(exact_query(&[]));
            then.status(200).json_body(json!([sparse.clone(), future.clone()]));
        })
        .await;
    let client = client(&server);
    assert!(client.list_invoice_bookkeeping_exports().page(9).send().await.unwrap().is_empty());
    let exports = client.list_invoice_bookkeeping_exports().send().await.unwrap();
    let sparse = &exports[0];
    assert_eq!(sparse.id, 1101);
    assert_eq!((sparse.from, sparse.invoice_ids.as_ref(), sparse.user.as_ref(), sparse.status.as_ref()), (None, None, None, None));
    assert_eq!(exports[1].status, Some(types::InvoiceBookkeepingExportStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn get_invoice_bookkeeping_export() {
    let server = MockServer::start_async().await;
    let body = example("InvoiceBookkeepingExport");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/invoices/bookkeeping_exports/1101").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let export = client(&server).get_invoice_bookkeeping_export(1101).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&export, &body);
    assert_eq!(export.created_at, Some(timestamp("2021-03-23T05:38:53Z")));
}

#[tokio::test]
async fn create_invoice_bookkeeping_export_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/bookkeeping_exports")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("create_invoice_bookkeeping_export"));
            then.status(201).json_body(example("InvoiceBookkeepingExport"));
        })
        .await;
    let manual = server
        .mock_async(|when, then| {
            moco(when, POST, "/invoices/bookkeeping_exports")
                .json_body(json!({"invoice_ids": [456], "trigger_submission": false, "comment": "Q4"}));
            then.status(200).json_body(example("InvoiceBookkeepingExport"));
        })
        .await;
    let client = client(&server);
    let response =
        client.create_invoice_bookkeeping_export().body_map(|b| b.invoice_ids(vec![123, 234, 345])).send_with_response().await.unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 1101);
    client
        .create_invoice_bookkeeping_export()
        .body_map(|b| b.invoice_ids(vec![456]).trigger_submission(false).comment("Q4"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    manual.assert_async().await;
}

// ---------------------------------------------------------------------------------------------
// Letter papers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_letter_papers_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_letter_papers");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/letter_papers").is_true(no_body()).is_true(exact_query(&[
                ("page", "1"),
                ("per_page", "1000"),
                ("ids", "123,124"),
                ("updated_after", "2024-01-01T00:00:00Z"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let papers = client(&server)
        .list_letter_papers()
        .page(1)
        .per_page(1000)
        .ids([123, 124])
        .updated_after(timestamp("2024-01-01T00:00:00Z"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&papers, &body);
    let paper = &papers[0];
    assert_eq!(paper.id, 123);
    assert_eq!(paper.name.as_deref(), Some("Standard Letter Paper"));
    assert_eq!(paper.active, Some(true));
    assert_eq!(paper.template, Some(types::LetterPaperTemplate::Invoice));
    assert_eq!(paper.updated_at, Some(timestamp("2024-03-20T14:45:00Z")));
}

#[tokio::test]
async fn list_letter_papers_decodes_empty_sparse_and_unknown() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("LetterPaper", &example("LetterPaper"));
    let (future, changed) = with_unknown_enums("LetterPaper", &example("LetterPaper"));
    assert_eq!(changed, vec!["$.template".to_string()]);
    server
        .mock_async(|when, then| {
            moco(when, GET, "/letter_papers").is_true(exact_query(&[("ids", "1")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/letter_papers").is_true(exact_query(&[]));
            then.status(200).json_body(json!([sparse.clone(), future.clone()]));
        })
        .await;
    let client = client(&server);
    assert!(client.list_letter_papers().ids([1]).send().await.unwrap().is_empty());
    let papers = client.list_letter_papers().send().await.unwrap();
    let sparse = &papers[0];
    assert_eq!(sparse.id, 123);
    assert_eq!((sparse.name.as_ref(), sparse.template.as_ref(), sparse.file.as_ref(), sparse.active), (None, None, None, None));
    assert_eq!(papers[1].template, Some(types::LetterPaperTemplate::Unknown(UNKNOWN_ENUM_VALUE.into())));
}
