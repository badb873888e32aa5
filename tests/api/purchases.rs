//! Every operation of sections/purchases.md, purchase_drafts.md, purchase_payments.md,
//! purchase_categories.md, purchase_budgets.md and purchase_bookkeeping_exports.md: the exact
//! request and the decoded answer.

use std::time::Duration;

use futures::TryStreamExt;
use httpmock::prelude::*;
use mocoapp::{types, CustomFields, RetryPolicy, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// The global list filters, each set once, as they must appear in the query.
const GLOBAL_FILTERS: &[(&str, &str)] =
    &[("page", "2"), ("per_page", "50"), ("sort_by", "title desc"), ("updated_after", "2022-04-20T09:17:58Z"), ("ids", "123,456")];

// ---------------------------------------------------------------------------------------------
// Purchases
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_purchases_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_purchases");
    let mut query = GLOBAL_FILTERS.to_vec();
    query.extend([
        ("custom_properties[Various]", "some stuff"),
        ("category_id", "671034328"),
        ("term", "Ticket"),
        ("company_id", "5552"),
        ("status", "pending"),
        ("not_booked", "true"),
        ("tags", "Transportation,Restaurants"),
        ("date", "2020-02-01:2020-02-22"),
        ("unpaid", "false"),
        ("payment_method", "bank_transfer_swiss_qr_esr"),
        ("receipt_identifier", "R2023-1234"),
        ("identifier", "E2312-0001"),
    ]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases").header("x-impersonate-user-id", "933590696").is_true(exact_query(&query)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let purchases = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Various", "some stuff"))
        .list_purchases()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("title"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 456])
        .category_id(671034328)
        .term("Ticket")
        .company_id(5552)
        .status(types::ListPurchasesStatus::Pending)
        .not_booked(true)
        .tags(["Transportation", "Restaurants"])
        .date("2020-02-01:2020-02-22")
        .unpaid(false)
        .payment_method(types::ListPurchasesPaymentMethod::BankTransferSwissQrEsr)
        .receipt_identifier("R2023-1234")
        .identifier("E2312-0001")
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&purchases, &body);
    assert_eq!(purchases.len(), 1);
    let purchase = &purchases[0];
    assert_eq!(purchase.id, 987);
    assert_eq!(purchase.identifier.as_deref(), Some("E2016-0001"));
    assert_eq!(purchase.date, Some(date("2020-02-28")));
    assert_eq!(purchase.due_date, None);
    assert_eq!(purchase.status, Some(types::PurchaseStatus::Pending));
    assert_eq!(purchase.payment_method, Some(types::PurchasePaymentMethod::BankTransfer));
    assert_eq!(purchase.approval_status, Some(types::PurchaseApprovalStatus::Approved));
    assert_eq!(purchase.gross_total, Some(dec("46.0")));
    assert_eq!(purchase.custom_properties.as_ref().unwrap().text("Various"), Some("some stuff"));
    assert_eq!(purchase.tags.as_deref(), Some(&["Transportation".to_string()][..]));
    assert_eq!(purchase.company.as_ref().unwrap().id, 5552);
    assert_eq!(purchase.payments.as_ref().map(Vec::len), Some(0));
    // The embedded user carries the last name as `name`.
    let user = purchase.user.as_ref().unwrap();
    assert_eq!((user.id, user.firstname.as_deref(), user.name.as_deref()), (433109936, Some("Mario"), Some("Rossi")));
    assert_eq!(purchase.refund_request.as_ref().unwrap().user_id, Some(123456));
    assert_eq!(purchase.credit_card_transaction.as_ref().unwrap().source.as_deref(), Some("pliant"));
    assert_eq!(purchase.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn list_purchases_without_supplier_sends_company_id_zero_and_decodes_an_empty_page() {
    // `0` is a meaningful value here (purchases without a supplier): it must be sent, not dropped.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases").is_true(exact_query(&[("company_id", "0")])).is_true(no_body());
            then.status(200).json_body(json!([]));
        })
        .await;
    let purchases = client(&server).list_purchases().company_id(0).send().await.unwrap();
    mock.assert_async().await;
    assert!(purchases.is_empty());
}

#[tokio::test]
async fn list_purchases_streams_every_page_with_the_date_range() {
    let server = MockServer::start_async().await;
    let next = format!("<{}?page=2&date=2020-02-01:2020-02-22>; rel=\"next\"", server.url("/api/v1/purchases"));
    let mut second_purchase = example("Purchase");
    second_purchase["id"] = json!(988);
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases").is_true(exact_query(&[("date", "2020-02-01:2020-02-22")]));
            then.status(200).header("Link", next.as_str()).json_body(json!([example("Purchase")]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases").is_true(exact_query(&[("date", "2020-02-01:2020-02-22"), ("page", "2")]));
            then.status(200).json_body(json!([second_purchase.clone()]));
        })
        .await;
    let all = client(&server).list_purchases().date("2020-02-01:2020-02-22").collect_all().await.unwrap();
    assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), vec![987, 988]);
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn get_purchase_decodes_the_items() {
    let server = MockServer::start_async().await;
    let body = example("Purchase");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/987").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let purchase = client(&server).get_purchase(987).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&purchase, &body);
    let items = purchase.items.unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.id, 311936153);
    assert_eq!((item.net_total, item.tax_total, item.tax), (Some(dec("44.88")), Some(dec("1.12")), Some(dec("2.5"))));
    let vat = item.vat.as_ref().unwrap();
    assert_eq!((vat.reverse_charge, vat.intra_eu, vat.code.as_deref()), (Some(false), Some(false), Some("9")));
    let category = item.category.as_ref().unwrap();
    assert_eq!((category.id, category.credit_account.as_deref()), (671034328, Some("6640")));
    assert_eq!(item.supplier_credit_number, Some(70001));
    let expense = item.expense.as_ref().unwrap();
    assert_eq!(expense.id, 7655423);
    let project = expense.project.as_ref().unwrap();
    assert_eq!((project.id, project.company_id), (23345545, Some(54345)));
    let receipt = item.receipt.as_ref().unwrap();
    assert_eq!((receipt.id, receipt.date), (9857765, Some(date("2018-10-01"))));
}

#[test]
fn a_sparse_purchase_decodes_with_every_nullable_field_empty() {
    let sparse = with_nulls("Purchase", &example("Purchase"));
    assert!(sparse["status"].is_null() && sparse["company"].is_null() && sparse["items"].is_null());
    let purchase: types::Purchase = serde_json::from_value(sparse).unwrap();
    assert_eq!(purchase.id, 987);
    assert_eq!(purchase.identifier, None);
    assert_eq!(purchase.date, None);
    assert_eq!(purchase.status, None);
    assert_eq!(purchase.payment_method, None);
    assert_eq!(purchase.approval_status, None);
    assert_eq!(purchase.net_total, None);
    assert!(purchase.custom_properties.is_none());
    assert!(purchase.tags.is_none());
    assert!(purchase.company.is_none());
    assert!(purchase.payments.is_none());
    assert!(purchase.user.is_none());
    assert!(purchase.refund_request.is_none());
    assert!(purchase.credit_card_transaction.is_none());
    assert!(purchase.items.is_none());
    assert_eq!(purchase.created_at, None);

    // A line item whose nested references are all null (no expense, no receipt, no category).
    let item = with_nulls("PurchaseItem", &example("PurchaseItem"));
    let item: types::PurchaseItem = serde_json::from_value(item).unwrap();
    assert_eq!(item.id, 311936153);
    assert!(item.vat.is_none() && item.category.is_none() && item.expense.is_none() && item.receipt.is_none());
    assert_eq!((item.title, item.supplier_credit_number, item.tax_included), (None, None, None));

    // The nested objects' own nullable fields.
    let mut nested = example("PurchaseItem");
    nested["vat"] = with_nulls("PurchaseItemVat", &nested["vat"]);
    nested["expense"] = with_nulls("PurchaseItemExpense", &nested["expense"]);
    nested["receipt"] = with_nulls("PurchaseItemReceipt", &nested["receipt"]);
    nested["category"] = with_nulls("PurchaseCategoryRef", &nested["category"]);
    let item: types::PurchaseItem = serde_json::from_value(nested).unwrap();
    assert_eq!(
        item.vat.unwrap(),
        types::PurchaseItemVat { active: None, code: None, intra_eu: None, reverse_charge: None, tax: None, id: None, description: None }
    );
    assert!(item.expense.unwrap().project.is_none());
    assert_eq!(item.receipt.unwrap().attachment_url, None);
    assert_eq!(item.category.unwrap().name, None);
}

#[test]
fn a_purchase_with_enum_values_from_the_future_keeps_them() {
    let (future, mut changed) = with_unknown_enums("Purchase", &example("Purchase"));
    changed.sort();
    assert_eq!(changed, ["$.approval_status", "$.payment_method", "$.status"]);
    let purchase: types::Purchase = serde_json::from_value(future).unwrap();
    assert_eq!(purchase.status, Some(types::PurchaseStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(purchase.payment_method, Some(types::PurchasePaymentMethod::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(purchase.approval_status, Some(types::PurchaseApprovalStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(serde_json::to_value(&purchase).unwrap()["status"], json!(UNKNOWN_ENUM_VALUE));
}

#[tokio::test]
async fn create_purchase_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_purchase")));
            then.status(201).json_body(example("Purchase"));
        })
        .await;
    let purchase = client(&server)
        .create_purchase()
        .body_map(|b| {
            b.date(date("2020-02-02"))
                .currency("EUR")
                .payment_method(types::PurchaseCreatePaymentMethod::BankTransfer)
                .receipt_identifier("XXLA")
                .custom_property_values(CustomFields::new().with("Various", "Stuff"))
                .items(vec![types::PurchaseItemCreate {
                    title: "Ticket".into(),
                    total: dec("30.0"),
                    tax: Some(dec("10.0")),
                    tax_included: Some(true),
                    category_id: None,
                    vat_code_id: None,
                    ksk_relevant: None,
                }])
                .file(types::PurchaseFile { filename: "document.pdf".into(), base64: "JVBERi0xLjQKJeLjz9MKNCAwIG9iago8PC9GaWx...".into() })
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(purchase.status(), 201);
    assert_eq!(purchase.into_inner().id, 987);
}

#[tokio::test]
async fn create_purchase_with_every_field() {
    let server = MockServer::start_async().await;
    let request = json!({
        "date": "2020-02-02",
        "currency": "CHF",
        "payment_method": "credit_card",
        "title": "Team offsite",
        "items": [
            {"title": "Train", "total": 120.5, "tax_included": false, "category_id": 671034328, "vat_code_id": 234},
            {"title": "Hotel", "total": 300, "tax": 3.8}
        ],
        "due_date": "2020-02-18",
        "service_period_from": "2020-01-01",
        "service_period_to": "2020-01-31",
        "status": "archived",
        "company_id": 211,
        "user_id": 123,
        "receipt_identifier": "R2023-1234",
        "info": "free text",
        "iban": "CH123",
        "reference": "ref",
        "custom_property_values": {"Field": "Value", "Sector": ["Pharma", "Chemistry"]},
        "file": {"filename": "document.pdf", "base64": "JVBERi0xLjQK"},
        "tags": ["Label1", "Label2"]
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases").is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    let body: types::PurchaseCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.payment_method, types::PurchaseCreatePaymentMethod::CreditCard);
    assert_eq!(body.status, Some(types::PurchaseCreateStatus::Archived));
    assert_eq!(body.items[0].vat_code_id, Some(234));
    let purchase = client(&server).create_purchase().body(body).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(purchase.id, 987);
}

#[tokio::test]
async fn update_purchase_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/purchases/987")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .json_body(request_example("update_purchase"));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    let purchase = client(&server)
        .update_purchase(987)
        .body_map(|b| {
            b.date(date("2020-02-02"))
                .currency("EUR")
                .payment_method(types::PurchaseUpdatePaymentMethod::BankTransfer)
                .receipt_identifier("XXLA")
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(purchase.receipt_identifier.as_deref(), Some("KK121"));
}

#[tokio::test]
async fn update_purchase_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/purchases/987").json_body(json!({
                "status": "archived",
                "tags": [],
                "custom_property_values": {"Various": "Other stuff"}
            }));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    client(&server)
        .update_purchase(987)
        .body_map(|b| {
            b.status(types::PurchaseUpdateStatus::Archived)
                .tags(Vec::<String>::new())
                .custom_property_values(CustomFields::new().with("Various", "Other stuff"))
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_purchase() {
    assert_deletes("/purchases/987", 204, |client| async move { client.delete_purchase(987).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_purchase_answered_with_200() {
    assert_deletes("/purchases/987", 200, |client| async move { client.delete_purchase(987).send_with_response().await }).await;
}

#[tokio::test]
async fn assign_purchase_to_project_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/987/assign_to_project")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .json_body(request_example("assign_purchase_to_project"));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    let purchase = client(&server)
        .assign_purchase_to_project(987)
        .body_map(|b| {
            b.item_id(311936153)
                .project_id(23345545)
                .expense_id(7655423)
                .notify_project_leader(true)
                .billable(true)
                .budget_relevant(true)
                .surcharge(true)
        })
        .send()
        .await
        .unwrap()
        .expect("the purchase");
    mock.assert_async().await;
    let expense = purchase.items.unwrap()[0].expense.clone().unwrap();
    assert_eq!((expense.id, expense.project.unwrap().id), (7655423, 23345545));
}

#[tokio::test]
async fn assign_purchase_to_project_with_only_the_mandatory_fields() {
    // Without `expense_id` a new expense is created; the optional flags are left out, so the
    // account settings apply.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/987/assign_to_project").json_body(json!({"item_id": 311936153, "project_id": 23345545}));
            then.status(201).json_body(example("Purchase"));
        })
        .await;
    let response = client(&server)
        .assign_purchase_to_project(987)
        .body(types::PurchaseAssignToProject {
            item_id: 311936153,
            project_id: 23345545,
            expense_id: None,
            notify_project_leader: None,
            billable: None,
            budget_relevant: None,
            surcharge: None,
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn update_purchase_status_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut archived = example("Purchase");
    archived["status"] = json!("archived");
    let archive = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/987/update_status")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .json_body(request_example("update_purchase_status"));
            then.status(200).json_body(archived.clone());
        })
        .await;
    let back_to_inbox = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/987/update_status").json_body(json!({"status": "pending"}));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    let client = client(&server);
    let purchase = client
        .update_purchase_status(987)
        .body_map(|b| b.status(types::PurchaseStatusUpdateStatus::Archived))
        .send()
        .await
        .unwrap()
        .expect("the purchase");
    assert_eq!(purchase.status, Some(types::PurchaseStatus::Archived));
    let purchase = client
        .update_purchase_status(987)
        .body(types::PurchaseStatusUpdate { status: types::PurchaseStatusUpdateStatus::Pending })
        .send()
        .await
        .unwrap()
        .expect("the purchase");
    assert_eq!(purchase.status, Some(types::PurchaseStatus::Pending));
    archive.assert_async().await;
    back_to_inbox.assert_async().await;
    // The status is a closed set: anything else is refused before a request is made.
    assert!(serde_json::from_value::<types::PurchaseStatusUpdateStatus>(json!("deleted")).is_err());
}

/// Bytes that are not valid UTF-8 and contain CR/LF and NUL, so that any re-encoding shows.
fn pdf_bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\r\n".to_vec();
    bytes.extend((0u8..=255).rev());
    bytes.extend_from_slice(b"\r\n\r\n--not-a-boundary\x00\xff\n%%EOF\n");
    bytes
}

/// Whether `request` is a `multipart/form-data` body with exactly one part, named `file`,
/// with this file name and exactly these bytes.
fn single_file_part(file_name: &'static str, content: Vec<u8>) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    move |request: &HttpMockRequest| {
        let headers = request.headers();
        let Some(content_type) = headers.get("content-type").and_then(|v| v.to_str().ok()) else { return false };
        let Some(boundary) = content_type.strip_prefix("multipart/form-data; boundary=") else { return false };
        if boundary.is_empty() {
            return false;
        }
        let body = request.body_ref();
        let opening = format!("--{boundary}\r\n");
        let closing = format!("\r\n--{boundary}--\r\n");
        let Some(rest) = body.strip_prefix(opening.as_bytes()) else { return false };
        let Some(part) = rest.strip_suffix(closing.as_bytes()) else { return false };
        let Some(split) = part.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
        let (part_headers, part_body) = (&part[..split], &part[split + 4..]);
        let Ok(part_headers) = std::str::from_utf8(part_headers) else { return false };
        let disposition = format!("Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"");
        part_headers.lines().any(|line| line.eq_ignore_ascii_case(&disposition)) && part_body == content.as_slice()
    }
}

#[tokio::test]
async fn store_purchase_document_uploads_the_file_as_multipart_form_data() {
    let server = MockServer::start_async().await;
    let content = pdf_bytes();
    let mut stored = example("Purchase");
    stored["file_url"] = json!("https://moco.example/purchases/987/document.pdf");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/987/store_document")
                .header_prefix("content-type", "multipart/form-data; boundary=")
                .header_missing("x-impersonate-user-id")
                .is_true(exact_query(&[]))
                .body_includes("Content-Disposition: form-data; name=\"file\"; filename=\"file.pdf\"")
                .is_true(single_file_part("file.pdf", content.clone()));
            then.status(200).json_body(stored.clone());
        })
        .await;
    let purchase = client(&server).store_purchase_document(987, "file.pdf", content.clone()).send().await.unwrap().expect("the purchase");
    mock.assert_async().await;
    assert_decoded(&purchase, &stored);
    assert_eq!(purchase.id, 987);
    assert_eq!(purchase.file_url.as_deref(), Some("https://moco.example/purchases/987/document.pdf"));
}

#[tokio::test]
async fn store_purchase_document_acts_on_behalf_of_a_user_and_reports_the_status() {
    let server = MockServer::start_async().await;
    let content = b"%PDF-1.7 tiny".to_vec();
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/42/store_document")
                .header("x-impersonate-user-id", "933590696")
                .is_true(single_file_part("Rechnung 4711.pdf", content.clone()));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    let response = client(&server)
        .store_purchase_document(42, "Rechnung 4711.pdf", content.as_slice())
        .x_impersonate_user_id(933590696)
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_inner().expect("the purchase").id, 987);
}

#[tokio::test(start_paused = true)]
async fn store_purchase_document_is_retried_with_the_same_bytes_on_429() {
    let server = MockServer::start_async().await;
    let content = pdf_bytes();
    let limited = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/987/store_document").is_true(single_file_part("file.pdf", content.clone()));
            then.status(429).header("Retry-After", "1").body("").up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/987/store_document").is_true(single_file_part("file.pdf", content.clone()));
            then.status(200).json_body(example("Purchase"));
        })
        .await;
    let policy = RetryPolicy { max_retries: 2, initial_backoff: Duration::from_secs(1), ..RetryPolicy::default() };
    let client = builder(&server).retry(policy).build().unwrap();
    let purchase = client.store_purchase_document(987, "file.pdf", content.clone()).send().await.unwrap().expect("the purchase");
    assert_eq!(purchase.id, 987);
    limited.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn store_purchase_document_maps_a_refusal_to_an_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/987/store_document");
            then.status(422).json_body(json!({"message": "Datei ist ungültig"}));
        })
        .await;
    let err = client(&server).store_purchase_document(987, "file.exe", b"MZ".to_vec()).send().await.unwrap_err();
    assert!(
        matches!(err, mocoapp::Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Datei ist ungültig")),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Purchase drafts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_purchase_drafts_sends_the_global_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_purchase_drafts");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/drafts").is_true(exact_query(GLOBAL_FILTERS)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let drafts = client(&server)
        .list_purchase_drafts()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("title"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 456])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&drafts, &body);
    let draft = &drafts[0];
    assert_eq!(draft.id, 123);
    assert_eq!(draft.email_from.as_deref(), Some("john@example.com"));
    assert_eq!(draft.user.as_ref().unwrap().lastname.as_deref(), Some("Doe"));
    assert_eq!((draft.net_total, draft.gross_total), (Some(dec("100.0")), Some(dec("119.0"))));
    assert_eq!(draft.created_at, Some(timestamp("2021-10-17T09:33:46Z")));
}

#[tokio::test]
async fn list_purchase_drafts_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/drafts").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_purchase_drafts().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_purchase_draft() {
    let server = MockServer::start_async().await;
    let body = example("PurchaseDraft");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/drafts/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let draft = client(&server).get_purchase_draft(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&draft, &body);
    assert_eq!(draft.title.as_deref(), Some("Ticket"));
    assert_eq!(draft.file_url.as_deref(), Some("https://..."));
    assert_eq!(draft.user.unwrap().id, 933590696);
}

#[test]
fn a_sparse_purchase_draft_decodes() {
    let draft: types::PurchaseDraft = serde_json::from_value(with_nulls("PurchaseDraft", &example("PurchaseDraft"))).unwrap();
    assert_eq!(draft.id, 123);
    assert_eq!((draft.title, draft.email_from, draft.email_body, draft.file_url), (None, None, None, None));
    assert!(draft.user.is_none());
    assert_eq!((draft.net_total, draft.gross_total, draft.updated_at), (None, None, None));
}

#[tokio::test]
async fn create_purchase_draft_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/drafts")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .json_body(request_example("create_purchase_draft"));
            then.status(201).json_body(example("PurchaseDraft"));
        })
        .await;
    let response = client(&server)
        .create_purchase_draft()
        .body_map(|b| {
            b.title("Supplier invoice draft").file(types::PurchaseFile { filename: "invoice.pdf".into(), base64: "JVBERi0xLjQK...".into() })
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 123);
}

#[tokio::test]
async fn create_purchase_draft_without_a_file() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/drafts").json_body(json!({"title": "Hotel"}));
            then.status(200).json_body(example("PurchaseDraft"));
        })
        .await;
    client(&server).create_purchase_draft().body_map(|b| b.title("Hotel")).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_purchase_draft() {
    assert_deletes("/purchases/drafts/123", 204, |client| async move { client.delete_purchase_draft(123).send_with_response().await })
        .await;
}

#[tokio::test]
async fn download_purchase_draft_pdf_returns_the_exact_bytes() {
    let server = MockServer::start_async().await;
    let pdf = pdf_bytes();
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/drafts/123.pdf").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).header("content-type", "application/pdf").body(pdf.clone());
        })
        .await;
    let client = client(&server);
    let file = client.download_purchase_draft_pdf(123).send().await.unwrap();
    assert_eq!(file, pdf);
    // The streaming variant yields the same bytes, with the status and headers.
    let response = client.download_purchase_draft_pdf(123).send_with_response().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let streamed: Vec<u8> = response
        .into_inner()
        .into_inner()
        .try_fold(Vec::new(), |mut file, chunk| async move {
            file.extend_from_slice(&chunk);
            Ok(file)
        })
        .await
        .unwrap();
    assert_eq!(streamed, pdf);
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn download_purchase_draft_pdf_of_a_non_pdf_document_is_an_empty_204() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/drafts/124.pdf").header("x-impersonate-user-id", "933590696");
            then.status(204);
        })
        .await;
    let client = client(&server);
    let response = client.download_purchase_draft_pdf(124).x_impersonate_user_id(933590696).send_with_response().await.unwrap();
    assert_eq!(response.status(), 204);
    let body: Vec<u8> = response
        .into_inner()
        .into_inner()
        .try_fold(Vec::new(), |mut file, chunk| async move {
            file.extend_from_slice(&chunk);
            Ok(file)
        })
        .await
        .unwrap();
    assert!(body.is_empty());
    // `send` succeeds too, with an empty file rather than an error.
    let file = client.download_purchase_draft_pdf(124).x_impersonate_user_id(933590696).send().await.unwrap();
    assert_eq!(file, Vec::<u8>::new());
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn download_purchase_draft_pdf_of_a_missing_draft_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/drafts/999.pdf");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let err = client(&server).download_purchase_draft_pdf(999).send().await.unwrap_err();
    assert!(matches!(err, mocoapp::Error::NotFound { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Purchase payments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_purchase_payments_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_purchase_payments");
    let mut query = GLOBAL_FILTERS.to_vec();
    query.extend([("purchase_id", "123,456"), ("date_from", "2018-01-01"), ("date_to", "2018-01-31")]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/payments").is_true(exact_query(&query)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let payments = client(&server)
        .list_purchase_payments()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("title"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 456])
        .purchase_id([123, 456])
        .date_from(date("2018-01-01"))
        .date_to(date("2018-01-31"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&payments, &body);
    let payment = &payments[0];
    assert_eq!(payment.id, 123);
    assert_eq!(payment.date, Some(date("2022-03-01")));
    // The amount is a decimal string, kept as sent.
    assert_eq!(payment.total.map(|d| d.to_string()).as_deref(), Some("1999.00"));
    let purchase = payment.purchase.as_ref().unwrap();
    assert_eq!((purchase.id, purchase.identifier.as_deref()), (12345, Some("E2203-001")));
    assert_eq!(purchase.title.as_deref(), Some("Purchase – Electronics"));
}

#[tokio::test]
async fn list_purchase_payments_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/payments").is_true(exact_query(&[("purchase_id", "987")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_purchase_payments().purchase_id([987]).send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_purchase_payment() {
    let server = MockServer::start_async().await;
    let body = example("PurchasePayment");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/payments/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let payment = client(&server).get_purchase_payment(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&payment, &body);
    assert_eq!(payment.purchase.unwrap().id, 12345);
    assert_eq!(payment.updated_at, Some(timestamp("2022-03-01T09:33:46Z")));
}

#[test]
fn a_payment_without_purchase_decodes() {
    // Payments recorded with only a description have no purchase.
    let payment: types::PurchasePayment = serde_json::from_value(with_nulls("PurchasePayment", &example("PurchasePayment"))).unwrap();
    assert_eq!(payment.id, 123);
    assert!(payment.purchase.is_none());
    assert_eq!((payment.date, payment.total, payment.created_at), (None, None, None));
    let embedded: types::PurchaseRef = serde_json::from_value(with_nulls("PurchaseRef", &example("PurchaseRef"))).unwrap();
    assert_eq!((embedded.id, embedded.identifier, embedded.title), (12345, None, None));
}

#[tokio::test]
async fn create_purchase_payment_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/payments")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_purchase_payment")));
            then.status(201).json_body(example("PurchasePayment"));
        })
        .await;
    let response = client(&server)
        .create_purchase_payment()
        .body_map(|b| b.date(date("2018-10-20")).purchase_id(123).total(1000.0))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().total, Some(dec("1999.00")));
}

#[tokio::test]
async fn create_purchase_payment_without_purchase_needs_a_description() {
    let server = MockServer::start_async().await;
    let mut answer = example("PurchasePayment");
    answer["purchase"] = Value::Null;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/payments")
                .is_true(json_equiv(json!({"date": "2018-10-22", "total": 1000, "description": "salaries"})));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let payment = client(&server)
        .create_purchase_payment()
        .body_map(|b| b.date(date("2018-10-22")).total(1000.0).description("salaries"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(payment.purchase.is_none());
}

#[tokio::test]
async fn create_purchase_payments_bulk_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut second = example("PurchasePayment");
    second["id"] = json!(124);
    second["purchase"] = Value::Null;
    second["total"] = json!("1000.00");
    let answer = json!([example("PurchasePayment"), second]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/payments/bulk")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_purchase_payments_bulk")));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let payments = client(&server)
        .create_purchase_payments_bulk()
        .body_map(|b| {
            b.bulk_data(vec![
                types::PurchasePaymentCreate {
                    date: date("2018-10-20"),
                    total: dec("2000.0"),
                    purchase_id: Some(456),
                    description: None,
                    currency: None,
                    partially_paid: None,
                    payment_account_id: None,
                },
                types::PurchasePaymentCreate {
                    date: date("2018-10-22"),
                    total: dec("1000.0"),
                    purchase_id: None,
                    description: Some("salaries".into()),
                    currency: None,
                    partially_paid: None,
                    payment_account_id: None,
                },
            ])
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&payments, &answer);
    assert_eq!(payments.iter().map(|p| p.id).collect::<Vec<_>>(), vec![123, 124]);
    assert!(payments[1].purchase.is_none());
}

#[tokio::test]
async fn create_purchase_payments_bulk_keeps_the_order_and_answers_201() {
    let server = MockServer::start_async().await;
    let request = json!({"bulk_data": [
        {"date": "2018-10-01", "total": 10.5, "purchase_id": 1},
        {"date": "2018-10-02", "total": 20, "purchase_id": 2},
        {"date": "2018-10-03", "total": 30, "description": "rent"}
    ]});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/payments/bulk").is_true(json_equiv(request.clone()));
            then.status(201).json_body(json!([]));
        })
        .await;
    let body: types::PurchasePaymentBulkCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.bulk_data.len(), 3);
    let response = client(&server).create_purchase_payments_bulk().body(body).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert!(response.into_inner().is_empty());
}

#[tokio::test]
async fn update_purchase_payment_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/purchases/payments/123")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("update_purchase_payment")));
            then.status(200).json_body(example("PurchasePayment"));
        })
        .await;
    let payment = client(&server).update_purchase_payment(123).body_map(|b| b.total(dec("2000.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(payment.id, 123);
}

#[tokio::test]
async fn update_purchase_payment_date_and_description() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/purchases/payments/124").json_body(json!({"date": "2018-10-23", "description": "wages"}));
            then.status(200).json_body(example("PurchasePayment"));
        })
        .await;
    client(&server).update_purchase_payment(124).body_map(|b| b.date(date("2018-10-23")).description("wages")).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_purchase_payment() {
    assert_deletes("/purchases/payments/123", 204, |client| async move { client.delete_purchase_payment(123).send_with_response().await })
        .await;
}

// ---------------------------------------------------------------------------------------------
// Purchase categories
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_purchase_categories_sends_the_global_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_purchase_categories");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/categories").is_true(exact_query(GLOBAL_FILTERS)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let categories = client(&server)
        .list_purchase_categories()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("title"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 456])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&categories, &body);
    let category = &categories[0];
    assert_eq!((category.id, category.name.as_str()), (123, "Travel expenses"));
    assert_eq!(category.credit_account.as_deref(), Some("6640"));
    assert_eq!(category.active, Some(true));
}

#[tokio::test]
async fn list_purchase_categories_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/categories").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_purchase_categories().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_purchase_category() {
    let server = MockServer::start_async().await;
    let body = example("PurchaseCategory");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/categories/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let category = client(&server).get_purchase_category(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&category, &body);
    assert_eq!(category.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[test]
fn a_sparse_purchase_category_decodes() {
    let category: types::PurchaseCategory = serde_json::from_value(with_nulls("PurchaseCategory", &example("PurchaseCategory"))).unwrap();
    assert_eq!((category.id, category.name.as_str()), (123, "Travel expenses"));
    assert_eq!((category.credit_account, category.active, category.updated_at), (None, None, None));
}

// ---------------------------------------------------------------------------------------------
// Purchase budgets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_purchase_budgets_of_a_year_decodes_the_string_id_and_the_exhaused_field() {
    let server = MockServer::start_async().await;
    let body = response_example("list_purchase_budgets");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/budgets")
                .header("x-impersonate-user-id", "933590696")
                .is_true(exact_query(&[("year", "2023")]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let budgets = client(&server).list_purchase_budgets().year(2023).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&budgets, &body);
    let budget = &budgets[0];
    // MOCO spells the used amount `exhaused`.
    assert_eq!(budget.id, 2);
    assert_eq!(budget.year, Some(2024));
    assert_eq!(budget.title.as_deref(), Some("Betrieb – Hosting"));
    assert_eq!(budget.active, Some(true));
    assert_eq!(
        (budget.target, budget.exhaused, budget.planned, budget.remaining),
        (Some(dec("84000.0")), Some(dec("66483.0")), Some(dec("4494.0")), Some(dec("13023.0")))
    );
    // Written back under MOCO's spelling.
    let written = serde_json::to_value(budget).unwrap();
    assert_eq!(written["exhaused"], json!(66483), "written back as sent (an integer stays one)");
    assert!(written.get("exhausted").is_none());
    assert_eq!(written["id"], json!(2));
}

#[tokio::test]
async fn list_purchase_budgets_without_a_year_sends_no_query_and_decodes_an_empty_list() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/budgets").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_purchase_budgets().send().await.unwrap().is_empty());
    mock.assert_async().await;
}

#[test]
fn purchase_budgets_decode_sparse_and_read_the_id_as_a_string_or_a_number() {
    let budget: types::PurchaseBudget = serde_json::from_value(with_nulls("PurchaseBudget", &example("PurchaseBudget"))).unwrap();
    assert_eq!(budget.id, 2);
    assert_eq!((budget.year, budget.title, budget.active), (None, None, None));
    assert_eq!((budget.target, budget.exhaused, budget.planned, budget.remaining), (None, None, None, None));
    // The docs' example sends the id as a string ("2"), MOCO's OpenAPI description as a number.
    for id in [json!("2"), json!(2), json!(2.0)] {
        let mut budget = example("PurchaseBudget");
        budget["id"] = id;
        assert_eq!(serde_json::from_value::<types::PurchaseBudget>(budget).unwrap().id, 2);
    }
}

// ---------------------------------------------------------------------------------------------
// Purchase bookkeeping exports
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_purchase_bookkeeping_exports_sends_the_global_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_purchase_bookkeeping_exports");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/bookkeeping_exports").is_true(exact_query(GLOBAL_FILTERS)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let exports = client(&server)
        .list_purchase_bookkeeping_exports()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("title"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 456])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&exports, &body);
    let export = &exports[0];
    assert_eq!(export.id, 1101);
    assert_eq!((export.from, export.to), (Some(date("2015-01-01")), Some(date("2015-12-31"))));
    let ids = export.purchase_ids.as_ref().unwrap();
    assert_eq!((ids.len(), ids[0], ids[35]), (36, 2197, 2201));
    assert_eq!(export.comment.as_deref(), Some("2015"));
    assert_eq!(export.user.as_ref().unwrap().firstname.as_deref(), Some("Tobias"));
    assert_eq!(export.status, Some(types::PurchaseBookkeepingExportStatus::Pending));
}

#[tokio::test]
async fn list_purchase_bookkeeping_exports_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/bookkeeping_exports").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_purchase_bookkeeping_exports().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_purchase_bookkeeping_export() {
    let server = MockServer::start_async().await;
    let mut body = example("PurchaseBookkeepingExport");
    body["status"] = json!("manual");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/purchases/bookkeeping_exports/1101").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let export = client(&server).get_purchase_bookkeeping_export(1101).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&export, &body);
    assert_eq!(export.status, Some(types::PurchaseBookkeepingExportStatus::Manual));
    assert_eq!(export.user.unwrap().id, 933589840);
    assert_eq!(export.created_at, Some(timestamp("2021-03-23T05:38:53Z")));
}

#[test]
fn purchase_bookkeeping_exports_decode_sparse_and_with_unknown_status() {
    let export: types::PurchaseBookkeepingExport =
        serde_json::from_value(with_nulls("PurchaseBookkeepingExport", &example("PurchaseBookkeepingExport"))).unwrap();
    assert_eq!(export.id, 1101);
    assert_eq!((export.from, export.to, export.purchase_ids, export.comment), (None, None, None, None));
    assert!(export.user.is_none());
    assert_eq!(export.status, None);

    let (future, changed) = with_unknown_enums("PurchaseBookkeepingExport", &example("PurchaseBookkeepingExport"));
    assert_eq!(changed, vec!["$.status".to_string()]);
    let export: types::PurchaseBookkeepingExport = serde_json::from_value(future).unwrap();
    assert_eq!(export.status, Some(types::PurchaseBookkeepingExportStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn create_purchase_bookkeeping_export_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/bookkeeping_exports")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .json_body(request_example("create_purchase_bookkeeping_export"));
            then.status(201).json_body(example("PurchaseBookkeepingExport"));
        })
        .await;
    let response = client(&server)
        .create_purchase_bookkeeping_export()
        .body_map(|b| b.purchase_ids(vec![123, 234, 345]))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 1101);
}

#[tokio::test]
async fn create_purchase_bookkeeping_export_with_every_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/bookkeeping_exports").json_body(json!({
                "purchase_ids": [123],
                "trigger_submission": false,
                "archive_after_export": true,
                "comment": "some additional info..."
            }));
            then.status(200).json_body(example("PurchaseBookkeepingExport"));
        })
        .await;
    client(&server)
        .create_purchase_bookkeeping_export()
        .body(types::PurchaseBookkeepingExportCreate {
            purchase_ids: vec![123],
            trigger_submission: Some(false),
            archive_after_export: Some(true),
            comment: Some("some additional info...".into()),
            with_direct_online_submission: None,
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn purchase_actions_answered_with_an_empty_body_are_none() {
    // MOCO's OpenAPI description shows 200 with an empty body for these.
    let server = MockServer::start_async().await;
    for (method, path) in
        [(PATCH, "/purchases/987/update_status"), (POST, "/purchases/987/assign_to_project"), (PATCH, "/purchases/987/store_document")]
    {
        server
            .mock_async(|when, then| {
                moco(when, method, path);
                then.status(200).header("content-type", "application/json");
            })
            .await;
    }
    let client = client(&server);
    let status =
        client.update_purchase_status(987).body_map(|b| b.status(types::PurchaseStatusUpdateStatus::Pending)).send().await.unwrap();
    let assigned = client.assign_purchase_to_project(987).body_map(|b| b.item_id(1).project_id(2)).send().await.unwrap();
    let stored = client.store_purchase_document(987, "file.pdf", b"%PDF-1.4".to_vec()).send().await.unwrap();
    assert_eq!((status, assigned, stored), (None, None, None));
}
