//! Every operation of `sections/offers.md`, `sections/offer_customer_approval.md`,
//! `sections/vat_codes.md` and `sections/receipts.md`: the exact request and the decoded answer.

use futures::TryStreamExt;
use httpmock::prelude::*;
use mocoapp::{types, CustomFields, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// A PDF as MOCO sends it: binary, not valid UTF-8 (the `%âãÏÓ` marker line, a NUL, 0xFF).
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog>>\nstream\n\x00\xff\xfe\x80\x81\nendstream\n%%EOF\n";

/// `PDF` base64-encoded (standard alphabet, padded): it holds `+`, `/` and `==`, the characters
/// a careless transport would escape or mangle.
const PDF_BASE64: &str = "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgpzdHJlYW0KAP/+gIEKZW5kc3RyZWFtCiUlRU9GCg==";

/// A PDF large enough to arrive in many chunks: the `PDF` header, then every byte value over
/// and over (invalid UTF-8 throughout), then the trailer.
fn large_pdf() -> Vec<u8> {
    let mut file = PDF.to_vec();
    file.extend((0..300_000u32).map(|i| (i.wrapping_mul(151) % 256) as u8));
    file.extend_from_slice(b"\n%%EOF\n");
    file
}

/// A mock that answers `GET {path}` (no query, no body) with `[]`, and the list it decodes to.
async fn decodes_empty_list<T, F, Fut>(path: &str, call: F) -> Vec<T>
where
    F: FnOnce(mocoapp::Client) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, Error>>,
{
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, path).is_true(exact_query(&[])).is_true(no_body());
            then.status(200).header("X-Total", "0").json_body(json!([]));
        })
        .await;
    let list = call(client(&server)).await.unwrap();
    mock.assert_async().await;
    list
}

// ---------------------------------------------------------------------------------------------
// Offers
// ---------------------------------------------------------------------------------------------

/// The docs' offer, field by field.
fn assert_docs_offer(offer: &types::Offer) {
    assert_eq!(offer.id, 273);
    assert_eq!(offer.identifier.as_deref(), Some("A1704-042"));
    assert_eq!(offer.invoice_id, Some(1873491));
    assert_eq!((offer.date, offer.due_date), (Some(date("2017-04-12")), Some(date("2017-04-26"))));
    assert_eq!(offer.recipient_address.as_deref(), Some("Beispiel GmbH\nPeter Muster\nBeispielstrasse 123\n12345 Berlin"));
    assert_eq!(
        (offer.net_total, offer.tax, offer.gross_total, offer.discount),
        (Some(dec("12750.0")), Some(dec("19.0")), Some(dec("15172.5")), Some(dec("10.0")))
    );
    assert_eq!(offer.status, Some(types::OfferStatus::Created));
    let vat = offer.vat.as_ref().unwrap();
    assert_eq!(
        (vat.tax, vat.reverse_charge, vat.intra_eu, vat.print_gross_total),
        (Some(dec("19.0")), Some(false), Some(false), Some(true))
    );
    assert_eq!(vat.code.as_deref(), Some(""));
    assert_eq!(offer.tags.as_deref(), Some(&["Print".to_string(), "Digital".to_string()][..]));
    assert_eq!(offer.custom_properties.as_ref().unwrap().text("ext-ref"), Some("3421"));
    assert_eq!(offer.company.as_ref().unwrap().name.as_deref(), Some("Acme Corp."));
    assert_eq!(offer.project.as_ref().unwrap().identifier.as_deref(), Some("P123"));
    assert_eq!(offer.deal.as_ref().unwrap().name.as_deref(), Some("A Lead"));
    assert_eq!(offer.user.as_ref().unwrap().lastname.as_deref(), Some("Doe"));
    let confirmation = offer.offer_confirmation.as_ref().unwrap();
    assert_eq!((confirmation.id, confirmation.date), (1234, Some(date("2022-12-12"))));
    assert_eq!(confirmation.created_at, Some(timestamp("2022-12-12T09:33:46Z")));
    let approval = offer.customer_approval.as_ref().unwrap();
    assert_eq!((approval.id, approval.active), (1234, Some(true)));
    assert!(approval.url.as_deref().unwrap().ends_with("/customer_approvals/ffbe642f6bdc65df7cb83a0d9459ece4"));
    assert_eq!(offer.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn list_offers_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let mut entry = example("Offer");
    // List entries leave out salutation, footer and items.
    for field in ["salutation", "footer", "items"] {
        entry.as_object_mut().unwrap().remove(field);
    }
    let body = json!([entry]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offers").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "title desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "273,274"),
                ("custom_properties[ext-ref]", "3421"),
                ("sort", "date"),
                ("status", "partially_billed"),
                ("from", "2018-01-01"),
                ("to", "2018-01-31"),
                ("identifier", "A1903-003"),
                ("deal_id", "123,456"),
                ("project_id", "1234"),
                ("company_id", "1234,5678"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let offers = client(&server)
        .filter_custom_fields(&CustomFields::new().with("ext-ref", "3421"))
        .list_offers()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("title"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([273, 274])
        .sort(types::ListOffersSort::Date)
        .status(types::ListOffersStatus::PartiallyBilled)
        .from(date("2018-01-01"))
        .to(date("2018-01-31"))
        .identifier("A1903-003")
        .deal_id([123, 456])
        .project_id([1234])
        .company_id(vec![1234, 5678])
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&offers, &body);
    assert_eq!(offers.len(), 1);
    assert_docs_offer(&offers[0]);
    assert_eq!((offers[0].salutation.as_ref(), offers[0].footer.as_ref(), offers[0].items.as_ref()), (None, None, None));
}

#[tokio::test]
async fn list_offers_decodes_an_empty_page() {
    let offers = decodes_empty_list("/offers", |c| async move { c.list_offers().send().await }).await;
    assert!(offers.is_empty());
}

#[tokio::test]
async fn get_offer_decodes_the_docs_example_with_its_positions() {
    let server = MockServer::start_async().await;
    let body = response_example("get_offer");
    assert_eq!(body, example("Offer"));
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/273").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let offer = client(&server).get_offer(273).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&offer, &body);
    assert_docs_offer(&offer);
    assert!(offer.salutation.as_deref().unwrap().starts_with("Hallo Peter<br><br>"));
    assert!(offer.footer.as_deref().unwrap().ends_with("Tobias"));
    let items = offer.items.as_ref().unwrap();
    assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![29, 30, 31, 34, 35, 38]);
    let setup = &items[0];
    assert_eq!(setup.kind, Some(types::OfferItemType::Item));
    assert_eq!(setup.title.as_deref(), Some("Project Setup"));
    assert_eq!(setup.description, None);
    assert_eq!(
        (setup.quantity, setup.unit.as_deref(), setup.unit_price, setup.unit_cost),
        (Some(dec("1.0")), Some("d"), Some(dec("1500.0")), Some(dec("1200.0")))
    );
    assert_eq!((setup.net_total, setup.optional), (Some(dec("1500.0")), Some(false)));
    assert_eq!(setup.service_type, Some(types::OfferItemServiceType::Service));
    let category = setup.revenue_category.as_ref().unwrap();
    assert_eq!((category.id, category.revenue_account, category.cost_category.as_deref()), (124, Some(30056), Some("HO1")));
    assert_eq!(items[1].unit_cost, None);
    assert_eq!(items[1].revenue_category, None);
    let text = &items[2];
    assert_eq!(text.kind, Some(types::OfferItemType::Description));
    assert_eq!((text.title.as_ref(), text.description.as_deref(), text.unit.as_ref()), (None, Some("Master data can be added."), None));
    assert_eq!(items[3].service_type, Some(types::OfferItemServiceType::Expense));
    assert_eq!(items[5].quantity, Some(dec("0.5")));
}

#[tokio::test]
async fn get_offer_decodes_positions_of_every_type() {
    // The docs' example only has `item` and `description` positions; MOCO has six kinds, and
    // subtotals carry one of four subtotal types.
    let server = MockServer::start_async().await;
    let mut offer = example("Offer");
    let blank = |id: i64, kind: &str| {
        json!({"id": id, "type": kind, "title": null, "description": null, "quantity": 0, "unit": null,
               "unit_price": 0, "unit_cost": null, "net_total": 0, "optional": false,
               "service_type": "service", "revenue_category": null})
    };
    let mut title = blank(1, "title");
    title["title"] = json!("Stunden");
    let subtotal = |id: i64, subtotal_type: &str, total: f64| {
        let mut item = blank(id, "subtotal");
        item["subtotal_type"] = json!(subtotal_type);
        item["net_total"] = json!(total);
        item
    };
    offer["items"] = json!([
        title,
        example("Offer")["items"][2].clone(),
        example("Offer")["items"][0].clone(),
        subtotal(2, "part_total", 1500.0),
        blank(3, "page-break"),
        subtotal(4, "sub_total", 1500.0),
        blank(5, "separator"),
        subtotal(6, "optional_part_total", 0.0),
        subtotal(7, "optional_sub_total", 0.0),
    ]);
    server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/273");
            then.status(200).json_body(offer.clone());
        })
        .await;
    let decoded = client(&server).get_offer(273).send().await.unwrap();
    assert_decoded(&decoded, &offer);
    let items = decoded.items.unwrap();
    use types::OfferItemType as T;
    assert_eq!(
        items.iter().map(|i| i.kind.clone().unwrap()).collect::<Vec<_>>(),
        vec![T::Title, T::Description, T::Item, T::Subtotal, T::PageBreak, T::Subtotal, T::Separator, T::Subtotal, T::Subtotal]
    );
    assert_eq!(items[0].title.as_deref(), Some("Stunden"));
    use types::OfferItemSubtotalType as S;
    assert_eq!(
        items.iter().filter_map(|i| i.subtotal_type.clone()).collect::<Vec<_>>(),
        vec![S::PartTotal, S::SubTotal, S::OptionalPartTotal, S::OptionalSubTotal]
    );
    assert_eq!(items[3].net_total, Some(dec("1500.0")));
    assert_eq!(items[4].subtotal_type, None);
    // Written back with MOCO's wire names.
    let back = serde_json::to_value(&items).unwrap();
    assert_eq!(back[4]["type"], "page-break");
    assert_eq!(back[7]["subtotal_type"], "optional_part_total");
}

#[test]
fn offers_decode_with_every_nullable_field_null() {
    let sparse: types::Offer = serde_json::from_value(with_nulls("Offer", &example("Offer"))).unwrap();
    assert_eq!(sparse.id, 273);
    assert_eq!((sparse.identifier, sparse.invoice_id, sparse.date, sparse.due_date), (None, None, None, None));
    assert_eq!((sparse.net_total, sparse.tax, sparse.gross_total, sparse.discount), (None, None, None, None));
    assert_eq!((sparse.status, sparse.vat, sparse.tags, sparse.custom_properties), (None, None, None, None));
    assert_eq!((sparse.company, sparse.project, sparse.deal, sparse.user), (None, None, None, None));
    assert_eq!((sparse.offer_confirmation, sparse.customer_approval, sparse.items), (None, None, None));
    assert_eq!((sparse.salutation, sparse.footer, sparse.created_at, sparse.updated_at), (None, None, None, None));

    // The nested objects, each with its own nullable fields null.
    let full = example("Offer");
    let mut nested = full.clone();
    nested["items"] = Value::Array(full["items"].as_array().unwrap().iter().map(|i| with_nulls("OfferItem", i)).collect());
    nested["items"][0]["revenue_category"] = with_nulls("OfferItemRevenueCategory", &full["items"][0]["revenue_category"]);
    nested["vat"] = with_nulls("OfferVat", &full["vat"]);
    nested["offer_confirmation"] = with_nulls("OfferConfirmation", &full["offer_confirmation"]);
    nested["customer_approval"] = with_nulls("OfferCustomerApprovalRef", &full["customer_approval"]);
    let offer: types::Offer = serde_json::from_value(nested).unwrap();
    let item = &offer.items.as_ref().unwrap()[0];
    assert_eq!(item.id, 29);
    assert_eq!((item.kind.as_ref(), item.title.as_ref(), item.quantity, item.unit_price), (None, None, None, None));
    assert_eq!((item.net_total, item.optional, item.service_type.as_ref()), (None, None, None));
    let category = item.revenue_category.as_ref().unwrap();
    assert_eq!((category.id, category.name.as_ref(), category.revenue_account, category.cost_category.as_ref()), (124, None, None, None));
    assert_eq!(offer.items.as_ref().unwrap()[1].revenue_category, None);
    let vat = offer.vat.as_ref().unwrap();
    assert_eq!((vat.tax, vat.reverse_charge, vat.code.as_ref()), (None, None, None));
    let confirmation = offer.offer_confirmation.as_ref().unwrap();
    assert_eq!((confirmation.id, confirmation.title.as_ref(), confirmation.date), (1234, None, None));
    let approval = offer.customer_approval.as_ref().unwrap();
    assert_eq!((approval.id, approval.active, approval.url.as_ref()), (1234, None, None));
}

#[test]
fn offers_keep_unknown_status_position_kinds_and_types() {
    let mut offer = example("Offer");
    offer["items"][2]["subtotal_type"] = json!("part_total");
    let (future, changed) = with_unknown_enums("Offer", &offer);
    for path in ["$.status", "$.items[0].type", "$.items[0].service_type", "$.items[2].subtotal_type", "$.items[5].type"] {
        assert!(changed.contains(&path.to_string()), "{path} not in {changed:?}");
    }
    let decoded: types::Offer = serde_json::from_value(future).unwrap();
    let unknown = || UNKNOWN_ENUM_VALUE.to_string();
    assert_eq!(decoded.status, Some(types::OfferStatus::Unknown(unknown())));
    let item = &decoded.items.as_ref().unwrap()[2];
    assert_eq!(item.kind, Some(types::OfferItemType::Unknown(unknown())));
    assert_eq!(item.service_type, Some(types::OfferItemServiceType::Unknown(unknown())));
    assert_eq!(item.subtotal_type, Some(types::OfferItemSubtotalType::Unknown(unknown())));
    // Unknown values are written back unchanged.
    let back = serde_json::to_value(&decoded).unwrap();
    for path in &changed {
        assert_eq!(value_at(&back, path), &json!(UNKNOWN_ENUM_VALUE), "at {path}");
    }
}

#[tokio::test]
async fn download_offer_pdf_returns_the_exact_bytes() {
    let server = MockServer::start_async().await;
    let file = large_pdf();
    let plain = server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/273.pdf").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let on_paper = server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/273.pdf")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[("letter_paper_id", "12")]))
                .is_true(no_body());
            then.status(200).header("content-type", "application/pdf").body(file.clone());
        })
        .await;
    let client = client(&server);

    let pdf: Vec<u8> = client.download_offer_pdf(273).send().await.unwrap();
    assert_eq!(pdf, PDF);
    assert!(pdf.starts_with(b"%PDF"));
    assert!(std::str::from_utf8(&pdf).is_err(), "the file is binary, not text");

    let large = client.download_offer_pdf(273).letter_paper_id(12).x_impersonate_user_id(933590696).send().await.unwrap();
    assert_eq!(large.len(), file.len());
    assert!(large == file, "the large PDF differs from what was served");
    plain.assert_async().await;
    on_paper.assert_calls_async(1).await;
}

#[tokio::test]
async fn download_offer_pdf_with_response_streams_the_file() {
    let server = MockServer::start_async().await;
    let file = large_pdf();
    server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/273.pdf").is_true(exact_query(&[("letter_paper_id", "12")]));
            then.status(200).header("content-type", "application/pdf").body(file.clone());
        })
        .await;
    let response = client(&server).download_offer_pdf(273).letter_paper_id(12).send_with_response().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let streamed = response
        .into_inner()
        .into_inner()
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .unwrap();
    assert!(streamed == file, "the streamed PDF differs from what was served");
}

#[tokio::test]
async fn download_offer_pdf_of_an_unknown_offer_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/1.pdf");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).download_offer_pdf(1).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{error:?}");
}

#[tokio::test]
async fn create_offer_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_offer");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("Offer"));
        })
        .await;
    let item = |kind: types::OfferItemCreateType| types::OfferItemCreate::builder().kind(kind);
    let items: Vec<types::OfferItemCreate> = vec![
        item(types::OfferItemCreateType::Title).title("Stunden"),
        item(types::OfferItemCreateType::Description).description("Aufstellung über geleistete Arbeiten"),
        item(types::OfferItemCreateType::Item).title("MailChimp Einrichtung").quantity(dec("1.0")).unit("Std").unit_price(dec("100.0")),
    ]
    .into_iter()
    .map(|b| b.try_into().unwrap())
    .collect();
    let response = client(&server)
        .create_offer()
        .body_map(|b| {
            b.deal_id(123)
                .recipient_address("Acme\r\nPark Avenue")
                .date(date("2019-05-10"))
                .due_date(date("2019-06-08"))
                .title("Offer - Shop Locator")
                .salutation("Hey")
                .tax(8.0)
                .discount(dec("0.0"))
                .footer("Bye")
                .internal_contact_id(1234)
                .items(items)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let offer = response.into_inner();
    assert_eq!(offer.id, 273);
    assert_eq!(offer.items.unwrap().len(), 6);
}

#[tokio::test]
async fn create_offer_with_every_field_and_position_type() {
    let server = MockServer::start_async().await;
    let request = json!({
        "company_id": 1234,
        "project_id": 2345,
        "recipient_address": "Beispiel GmbH\nPeter Muster",
        "date": "2019-05-10",
        "due_date": "2019-06-08",
        "title": "Offer - Shop Locator",
        "tax": 7.7,
        "currency": "CHF",
        "change_address": "customer",
        "salutation": "<div>Hallo {company_name}</div>",
        "footer": "<div>Approve here: {customer_approval_link}</div>",
        "discount": 10,
        "contact_id": 4567,
        "internal_contact_id": 1234,
        "tags": ["Retail"],
        "custom_properties": {"ext-ref": "3421"},
        "print_detail_columns": false,
        "items": [
            {"type": "title", "title": "Stunden"},
            {"type": "description", "description": "Aufstellung <b>über</b> geleistete Arbeiten"},
            {"type": "item", "title": "Design", "quantity": 3, "unit": "h", "unit_price": 150, "unit_cost": 90},
            {"type": "item", "title": "Hosting", "net_total": 400, "additional": true},
            {"type": "subtotal", "subtotal_type": "part_total"},
            {"type": "page-break"},
            {"type": "item", "title": "Extra", "quantity": 1, "unit": "d", "unit_price": 1200, "optional": true},
            {"type": "subtotal", "subtotal_type": "optional_part_total"},
            {"type": "separator"},
            {"type": "subtotal", "subtotal_type": "sub_total"},
            {"type": "subtotal", "subtotal_type": "optional_sub_total"}
        ]
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers").is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Offer"));
        })
        .await;
    use types::{OfferItemCreateSubtotalType as S, OfferItemCreateType as T};
    let item = |kind: &str| types::OfferItemCreate::builder().kind(kind);
    let subtotal = |subtotal_type: S| types::OfferItemCreate::builder().kind(T::Subtotal).subtotal_type(subtotal_type);
    let items: Vec<types::OfferItemCreate> = vec![
        item("title").title("Stunden"),
        item("description").description("Aufstellung <b>über</b> geleistete Arbeiten"),
        item("item").title("Design").quantity(dec("3.0")).unit("h").unit_price(dec("150.0")).unit_cost(dec("90.0")),
        item("item").title("Hosting").net_total(dec("400.0")).additional(true),
        subtotal(S::PartTotal),
        item("page-break"),
        item("item").title("Extra").quantity(dec("1.0")).unit("d").unit_price(dec("1200.0")).optional(true),
        subtotal(S::OptionalPartTotal),
        item("separator"),
        subtotal(S::SubTotal),
        subtotal(S::OptionalSubTotal),
    ]
    .into_iter()
    .map(|b| b.try_into().unwrap())
    .collect();
    let offer = client(&server)
        .create_offer()
        .body_map(|b| {
            b.company_id(1234)
                .project_id(2345)
                .recipient_address("Beispiel GmbH\nPeter Muster")
                .date(date("2019-05-10"))
                .due_date(date("2019-06-08"))
                .title("Offer - Shop Locator")
                .tax(7.7)
                .currency("CHF")
                .change_address(types::OfferCreateChangeAddress::Customer)
                .salutation("<div>Hallo {company_name}</div>")
                .footer("<div>Approve here: {customer_approval_link}</div>")
                .discount(dec("10.0"))
                .contact_id(4567)
                .internal_contact_id(1234)
                .tags(vec!["Retail".to_string()])
                .custom_properties(CustomFields::new().with("ext-ref", "3421"))
                .print_detail_columns(false)
                .items(items)
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(offer.id, 273);
}

#[test]
fn offer_positions_only_take_the_documented_types() {
    assert_eq!("page-break".parse::<types::OfferItemCreateType>().unwrap(), types::OfferItemCreateType::PageBreak);
    assert!("page_break".parse::<types::OfferItemCreateType>().is_err());
    // A position without a type cannot be built.
    let untyped = types::OfferItemCreate::try_from(types::OfferItemCreate::builder().title("Stunden"));
    assert!(untyped.is_err());
}

#[tokio::test]
async fn create_offer_without_the_mandatory_fields_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers");
            then.status(200).json_body(example("Offer"));
        })
        .await;
    // No due_date, tax or items.
    let error = client(&server)
        .create_offer()
        .body_map(|b| b.recipient_address("Acme").date(date("2019-05-10")).title("Offer"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn assign_offer_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut assigned = example("Offer");
    assigned["company"] = json!({"id": 1234, "name": "Acme Corp."});
    assigned["project"] = json!({"id": 2345, "identifier": "P124", "name": "Shop"});
    assigned["deal"] = json!({"id": 3456, "name": "Shop Lead"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/offers/273/assign")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("assign_offer"));
            then.status(200).json_body(assigned.clone());
        })
        .await;
    let offer = client(&server).assign_offer(273).body_map(|b| b.company_id(1234).project_id(2345).deal_id(3456)).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&offer, &assigned);
    assert_eq!((offer.company.unwrap().id, offer.project.unwrap().id, offer.deal.unwrap().id), (1234, 2345, 3456));
}

#[tokio::test]
async fn assign_offer_sends_only_the_given_link() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/offers/273/assign").json_body(json!({"project_id": 2345}));
            then.status(200).json_body(example("Offer"));
        })
        .await;
    client(&server).assign_offer(273).body_map(|b| b.project_id(2345)).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn update_offer_status_sends_the_docs_example_and_accepts_an_empty_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/offers/273/update_status")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("update_offer_status"));
            then.status(204);
        })
        .await;
    let response = client(&server)
        .update_offer_status(273)
        .body_map(|b| b.status(types::OfferStatusUpdateStatus::Billed))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn update_offer_status_sends_every_state_and_accepts_an_answer_with_content() {
    // MOCO may answer 200 with the offer; the call still succeeds.
    use types::OfferStatusUpdateStatus as S;
    let server = MockServer::start_async().await;
    let states = [
        (S::Created, "created"),
        (S::Sent, "sent"),
        (S::Accepted, "accepted"),
        (S::PartiallyBilled, "partially_billed"),
        (S::Billed, "billed"),
        (S::Archived, "archived"),
    ];
    let client = client(&server);
    for (state, wire) in states {
        let mut answer = example("Offer");
        answer["status"] = json!(wire);
        let mock = server
            .mock_async(|when, then| {
                moco(when, PUT, "/offers/273/update_status").json_body(json!({"status": wire}));
                then.status(200).json_body(answer);
            })
            .await;
        client.update_offer_status(273).body_map(|b| b.status(state)).send().await.unwrap();
        mock.assert_async().await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn update_offer_status_refuses_a_state_outside_the_closed_enum() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/offers/273/update_status");
            then.status(204);
        })
        .await;
    assert!("paid".parse::<types::OfferStatusUpdateStatus>().is_err());
    assert_eq!("partially_billed".parse::<types::OfferStatusUpdateStatus>().unwrap(), types::OfferStatusUpdateStatus::PartiallyBilled);
    let client = client(&server);
    let error = client.update_offer_status(273).body_map(|b| b.status("paid")).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("status")), "{error:?}");
    let error = client.update_offer_status(273).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    // The request body type cannot hold any other state either.
    assert!(serde_json::from_value::<types::OfferStatusUpdate>(json!({"status": "paid"})).is_err());
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn send_offer_email_sends_the_docs_example_and_decodes_the_recipients() {
    let server = MockServer::start_async().await;
    let body = response_example("send_offer_email");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/273/send_email")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("send_offer_email"));
            then.status(200).json_body(body.clone());
        })
        .await;
    let recipients = client(&server)
        .send_offer_email(273)
        .body_map(|b| b.emails_to("somebody@example.com").subject("Offer").text("Kind regards"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&recipients, &body);
    assert_eq!(recipients.emails_to.as_deref(), Some("somebody@example.com"));
    assert_eq!((recipients.emails_cc, recipients.emails_bcc), (None, None));
}

#[tokio::test]
async fn send_offer_email_with_address_lists_or_to_the_default_recipients() {
    let server = MockServer::start_async().await;
    let lists = json!({
        "subject": "Offer A1704-042",
        "text": "Dear Peter,\n\nplease find our offer attached.",
        "emails_to": "peter@example.com;info@example.com",
        "emails_cc": "somebodyelse@example.com",
        "emails_bcc": "somebody@partner.example.com"
    });
    let explicit = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/273/send_email").json_body(lists.clone());
            then.status(201).json_body(json!({
                "emails_to": "peter@example.com;info@example.com",
                "emails_cc": "somebodyelse@example.com",
                "emails_bcc": "somebody@partner.example.com"
            }));
        })
        .await;
    // Without recipients, none are sent (not even empty ones): MOCO uses the defaults.
    let defaults = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/274/send_email").json_body(json!({"subject": "Offer", "text": "Kind regards"}));
            then.status(200).json_body(json!({"emails_to": "billing@acme.example", "emails_cc": null, "emails_bcc": null}));
        })
        .await;
    let client = client(&server);
    let sent = client
        .send_offer_email(273)
        .body(types::OfferSendEmail {
            subject: "Offer A1704-042".into(),
            text: "Dear Peter,\n\nplease find our offer attached.".into(),
            emails_to: Some("peter@example.com;info@example.com".into()),
            emails_cc: Some("somebodyelse@example.com".into()),
            emails_bcc: Some("somebody@partner.example.com".into()),
            letter_paper_id: None,
        })
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    assert_eq!(sent.into_inner().emails_bcc.as_deref(), Some("somebody@partner.example.com"));
    let to_defaults = client.send_offer_email(274).body_map(|b| b.subject("Offer").text("Kind regards")).send().await.unwrap();
    assert_eq!(to_defaults.emails_to.as_deref(), Some("billing@acme.example"));
    explicit.assert_async().await;
    defaults.assert_async().await;

    let sparse: types::OfferEmailRecipients =
        serde_json::from_value(with_nulls("OfferEmailRecipients", &example("OfferEmailRecipients"))).unwrap();
    assert_eq!(sparse, types::OfferEmailRecipients { emails_to: None, emails_cc: None, emails_bcc: None, subject: None, text: None });
}

#[tokio::test]
async fn list_offer_attachments_decodes_the_attachments() {
    let server = MockServer::start_async().await;
    let body = json!([example("OfferAttachment"), {"id": 1235, "filename": "AGB 2024.pdf"}]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/273/attachments").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let attachments = client(&server).list_offer_attachments(273).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&attachments, &body);
    assert_eq!(attachments[0].id, Some(1234));
    assert_eq!(attachments[0].filename.as_deref(), Some("attachment.pdf"));
    assert_eq!(attachments[1].filename.as_deref(), Some("AGB 2024.pdf"));
    assert_eq!(response_example("list_offer_attachments"), json!([example("OfferAttachment")]));

    let sparse: types::OfferAttachment = serde_json::from_value(with_nulls("OfferAttachment", &example("OfferAttachment"))).unwrap();
    assert_eq!((sparse.id, sparse.filename), (None, None));
    let none = decodes_empty_list("/offers/273/attachments", |c| async move { c.list_offer_attachments(273).send().await }).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn create_offer_attachment_sends_the_docs_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/273/attachments")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("create_offer_attachment"));
            then.status(201).json_body(example("OfferAttachment"));
        })
        .await;
    let response = client(&server)
        .create_offer_attachment(273)
        .body_map(|b| {
            b.attachment(types::OfferAttachmentFile {
                filename: "attachment.pdf".into(),
                base64: "JVBERi0xLjQKJeLjz9MKNCAwIG9iago8PC9GaWx...".into(),
            })
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let attachment = response.into_inner();
    assert_eq!((attachment.id, attachment.filename.as_deref()), (Some(1234), Some("attachment.pdf")));
}

#[tokio::test]
async fn create_offer_attachment_sends_a_real_base64_file_verbatim() {
    // `+`, `/` and `=` arrive as they are (no JSON escaping that changes the value, no
    // re-encoding), and so does a file name with a space and an umlaut.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/273/attachments")
                .json_body(json!({"attachment": {"filename": "Leistungsübersicht 2024.pdf", "base64": PDF_BASE64}}));
            then.status(200).json_body(json!({"id": 1236, "filename": "Leistungsübersicht 2024.pdf"}));
        })
        .await;
    let file = types::OfferAttachmentFile::try_from(
        types::OfferAttachmentFile::builder().filename("Leistungsübersicht 2024.pdf").base64(PDF_BASE64),
    )
    .unwrap();
    let attachment =
        client(&server).create_offer_attachment(273).body(types::OfferAttachmentCreate { attachment: file }).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(attachment.id, Some(1236));
}

#[tokio::test]
async fn create_offer_attachment_needs_a_file() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/273/attachments");
            then.status(200).json_body(example("OfferAttachment"));
        })
        .await;
    let error = client(&server).create_offer_attachment(273).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn delete_offer_attachment() {
    assert_deletes("/offers/273/attachments/1234", 204, |client| async move {
        client.delete_offer_attachment(273, 1234).send_with_response().await
    })
    .await;
    // The spec also allows a 200.
    assert_deletes("/offers/273/attachments/1235", 200, |client| async move {
        client.delete_offer_attachment(273, 1235).send_with_response().await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Offer customer approval
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_offer_customer_approval_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("get_offer_customer_approval");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/456/customer_approval").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let approval = client(&server).get_offer_customer_approval(456).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&approval, &body);
    assert_eq!(approval.id, 123);
    assert_eq!(approval.active, Some(false));
    assert!(approval.approval_url.as_deref().unwrap().ends_with("/offers/456/customer_approvals/abcdefhijklmnopqrstuvwxyz1234567890"));
    assert!(approval.offer_document_url.as_deref().unwrap().ends_with("/document.pdf"));
    assert_eq!(
        (approval.customer_full_name.as_ref(), approval.customer_email.as_ref(), approval.signature_url.as_ref()),
        (None, None, None)
    );
    // Not signed: not approved.
    assert_eq!(approval.signed_at, None);
    assert_eq!(approval.created_at, Some(timestamp("2024-04-10T08:41:48Z")));
    assert_eq!(approval.updated_at, Some(timestamp("2024-04-10T09:49:43Z")));
}

#[tokio::test]
async fn get_offer_customer_approval_decodes_a_signed_approval() {
    let server = MockServer::start_async().await;
    let mut signed = example("OfferCustomerApproval");
    signed["active"] = json!(true);
    signed["customer_full_name"] = json!("Peter Muster");
    signed["customer_email"] = json!("peter@beispiel.de");
    signed["signature_url"] = json!("https://.../signatures/123.png");
    signed["signed_at"] = json!("2024-04-11T14:02:07Z");
    server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/456/customer_approval");
            then.status(200).json_body(signed.clone());
        })
        .await;
    let approval = client(&server).get_offer_customer_approval(456).send().await.unwrap();
    assert_decoded(&approval, &signed);
    assert_eq!(approval.signed_at, Some(timestamp("2024-04-11T14:02:07Z")));
    assert_eq!(approval.customer_full_name.as_deref(), Some("Peter Muster"));
    assert_eq!(approval.customer_email.as_deref(), Some("peter@beispiel.de"));
}

#[tokio::test]
async fn get_offer_customer_approval_never_activated_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/offers/457/customer_approval");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).get_offer_customer_approval(457).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
    assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
}

#[test]
fn offer_customer_approvals_decode_with_every_nullable_field_null() {
    let sparse: types::OfferCustomerApproval =
        serde_json::from_value(with_nulls("OfferCustomerApproval", &example("OfferCustomerApproval"))).unwrap();
    assert_eq!(sparse.id, 123);
    assert_eq!((sparse.approval_url, sparse.offer_document_url, sparse.active), (None, None, None));
    assert_eq!((sparse.created_at, sparse.updated_at), (None, None));
}

#[tokio::test]
async fn activate_and_deactivate_offer_customer_approval() {
    let server = MockServer::start_async().await;
    let mut active = example("OfferCustomerApproval");
    active["active"] = json!(true);
    let inactive = example("OfferCustomerApproval");
    let activate = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/456/customer_approval/activate").is_true(exact_query(&[])).is_true(no_body());
            then.status(201).json_body(active.clone());
        })
        .await;
    let deactivate = server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/456/customer_approval/deactivate").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(inactive.clone());
        })
        .await;
    let client = client(&server);
    let response = client.activate_offer_customer_approval(456).send_with_response().await.unwrap();
    assert_eq!(response.status(), 201);
    let on = response.into_inner();
    assert_decoded(&on, &active);
    assert_eq!(on.active, Some(true));
    assert!(on.offer_document_url.as_deref().unwrap().ends_with("/document.pdf"));
    let off = client.deactivate_offer_customer_approval(456).send().await.unwrap();
    assert_decoded(&off, &inactive);
    assert_eq!((off.id, off.active), (123, Some(false)));
    activate.assert_async().await;
    deactivate.assert_async().await;
}

#[tokio::test]
async fn activate_offer_customer_approval_accepts_200_too() {
    let server = MockServer::start_async().await;
    let body = response_example("activate_offer_customer_approval");
    server
        .mock_async(|when, then| {
            moco(when, POST, "/offers/456/customer_approval/activate");
            then.status(200).json_body(body.clone());
        })
        .await;
    let approval = client(&server).activate_offer_customer_approval(456).send().await.unwrap();
    assert_decoded(&approval, &body);
    assert_eq!(approval.id, 123);
}

// ---------------------------------------------------------------------------------------------
// VAT codes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_vat_code_sales_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_vat_code_sales");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/vat_code_sales").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "tax desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "186,187"),
                ("reverse_charge", "false"),
                ("intra_eu", "true"),
                ("active", "true"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let codes = client(&server)
        .list_vat_code_sales()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("tax"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([186, 187])
        .reverse_charge(false)
        .intra_eu(true)
        .active(true)
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&codes, &body);
    let code = &codes[0];
    assert_eq!((code.id, code.tax), (186, Some(dec("7.7"))));
    assert_eq!(
        (code.reverse_charge, code.intra_eu, code.active, code.print_gross_total),
        (Some(false), Some(false), Some(true), Some(true))
    );
    assert_eq!(code.notice_tax_exemption.as_deref(), Some(""));
    // Bookkeeping codes stay text.
    assert_eq!((code.code.as_deref(), code.credit_account.as_deref()), (Some("9"), Some("4000")));
}

#[tokio::test]
async fn get_vat_code_sale() {
    let server = MockServer::start_async().await;
    let body = response_example("get_vat_code_sale");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/vat_code_sales/186").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let code = client(&server).get_vat_code_sale(186).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&code, &body);
    assert_eq!((code.id, code.code.as_deref(), code.credit_account.as_deref()), (186, Some("9"), Some("4000")));
}

#[tokio::test]
async fn vat_code_sales_decode_an_empty_list_and_null_fields() {
    let none = decodes_empty_list("/vat_code_sales", |c| async move { c.list_vat_code_sales().send().await }).await;
    assert!(none.is_empty());
    let sparse: types::VatCodeSale = serde_json::from_value(with_nulls("VatCodeSale", &example("VatCodeSale"))).unwrap();
    assert_eq!(sparse.id, 186);
    assert_eq!(
        (sparse.tax, sparse.reverse_charge, sparse.intra_eu, sparse.active, sparse.print_gross_total),
        (None, None, None, None, None)
    );
    assert_eq!(
        (sparse.notice_tax_exemption, sparse.notice_tax_exemption_alt, sparse.code, sparse.credit_account),
        (None, None, None, None)
    );
}

#[tokio::test]
async fn list_vat_code_purchases_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_vat_code_purchases");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/vat_code_purchases").is_true(no_body()).is_true(exact_query(&[
                ("page", "3"),
                ("per_page", "20"),
                ("sort_by", "tax asc"),
                ("ids", "186,188"),
                ("reverse_charge", "true"),
                ("intra_eu", "false"),
                ("active", "false"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let codes = client(&server)
        .list_vat_code_purchases()
        .page(3)
        .per_page(20)
        .sort_by(SortBy::asc("tax"))
        .ids([186, 188])
        .reverse_charge(true)
        .intra_eu(false)
        .active(false)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&codes, &body);
    let code = &codes[0];
    assert_eq!((code.id, code.tax, code.code.as_deref()), (186, Some(dec("7.7")), Some("9")));
    assert_eq!((code.reverse_charge, code.intra_eu, code.active), (Some(false), Some(false), Some(true)));
}

#[tokio::test]
async fn get_vat_code_purchase() {
    let server = MockServer::start_async().await;
    let body = response_example("get_vat_code_purchase");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/vat_code_purchases/186").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let code = client(&server).get_vat_code_purchase(186).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&code, &body);
    assert_eq!((code.id, code.active), (186, Some(true)));
}

#[tokio::test]
async fn vat_code_purchases_decode_an_empty_list_and_null_fields() {
    let none = decodes_empty_list("/vat_code_purchases", |c| async move { c.list_vat_code_purchases().send().await }).await;
    assert!(none.is_empty());
    let sparse: types::VatCodePurchase = serde_json::from_value(with_nulls("VatCodePurchase", &example("VatCodePurchase"))).unwrap();
    assert_eq!(sparse.id, 186);
    assert_eq!((sparse.tax, sparse.reverse_charge, sparse.intra_eu, sparse.active, sparse.code), (None, None, None, None, None));
}

// ---------------------------------------------------------------------------------------------
// Receipts
// ---------------------------------------------------------------------------------------------

fn assert_docs_receipt(receipt: &types::Receipt) {
    assert_eq!(receipt.id, 123);
    assert_eq!(receipt.title.as_deref(), Some("Team-Lunch"));
    assert_eq!(receipt.date, Some(date("2021-12-13")));
    assert_eq!((receipt.billable, receipt.pending), (Some(false), Some(false)));
    assert_eq!((receipt.gross_total, receipt.currency.as_deref()), (Some(dec("56.5")), Some("CHF")));
    let item = &receipt.items.as_ref().unwrap()[0];
    assert_eq!(item.gross_total, Some(dec("56.5")));
    let vat = item.vat.as_ref().unwrap();
    assert_eq!((vat.id, vat.tax, vat.reverse_charge, vat.intra_eu), (186, Some(dec("7.7")), Some(false), Some(false)));
    let category = item.purchase_category.as_ref().unwrap();
    assert_eq!((category.id, category.name.as_deref()), (2684, Some("Bewirtungsaufwände")));
    let project = receipt.project.as_ref().unwrap();
    assert_eq!((project.id, project.name.as_deref(), project.billable), (567, Some("Intern/Admin"), Some(false)));
    assert_eq!(project.company.as_ref().unwrap().name.as_deref(), Some("Acme Inc."));
    let refund = receipt.refund_request.as_ref().unwrap();
    assert_eq!((refund.id, refund.status.as_deref()), (266, Some("paid")));
    assert_eq!(receipt.info.as_deref(), Some("Teamlunch mit Peter, Sandra und Till"));
    assert_eq!(receipt.user.as_ref().unwrap().lastname.as_deref(), Some("Schäuble"));
    assert_eq!(receipt.attachment_url.as_deref(), Some("/system/documents/account/123/document/123/d8fef77df35c5753.pdf"));
}

#[tokio::test]
async fn list_receipts_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_receipts");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/receipts").header(mocoapp::IMPERSONATE_HEADER, "933").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "date desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "123,124"),
                ("from", "2021-06-01"),
                ("to", "2021-06-30"),
                ("project_id", "567"),
                ("user_id", "933"),
                ("purchase_category_id", "2684"),
                ("refund_request_id", "123,456"),
                ("submitted", "true"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let receipts = client(&server)
        .list_receipts()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("date"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 124])
        .from(date("2021-06-01"))
        .to(date("2021-06-30"))
        .project_id(567)
        .user_id(933)
        .purchase_category_id(2684)
        .refund_request_id([123, 456])
        .submitted(true)
        .x_impersonate_user_id(933)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&receipts, &body);
    assert_eq!(receipts.len(), 1);
    assert_docs_receipt(&receipts[0]);
}

#[tokio::test]
async fn list_receipts_decodes_an_empty_page() {
    let receipts = decodes_empty_list("/receipts", |c| async move { c.list_receipts().send().await }).await;
    assert!(receipts.is_empty());
}

#[tokio::test]
async fn get_receipt() {
    let server = MockServer::start_async().await;
    let body = response_example("get_receipt");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/receipts/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let receipt = client(&server).get_receipt(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&receipt, &body);
    assert_docs_receipt(&receipt);
}

#[test]
fn receipts_decode_with_every_nullable_field_null() {
    let sparse: types::Receipt = serde_json::from_value(with_nulls("Receipt", &example("Receipt"))).unwrap();
    assert_eq!(sparse.id, 123);
    assert_eq!((sparse.title, sparse.date, sparse.billable, sparse.pending), (None, None, None, None));
    assert_eq!((sparse.gross_total, sparse.currency, sparse.items, sparse.project), (None, None, None, None));
    assert_eq!((sparse.refund_request, sparse.info, sparse.user, sparse.attachment_url), (None, None, None, None));

    // A receipt not yet claimed, without project, and its nested objects with null fields.
    let full = example("Receipt");
    let mut nested = full.clone();
    nested["items"] = json!([
        with_nulls("ReceiptItem", &full["items"][0]),
        {"gross_total": 12.0, "vat": with_nulls("ReceiptItemVat", &full["items"][0]["vat"]),
         "purchase_category": {"id": 2684, "name": null}}
    ]);
    nested["project"] = with_nulls("ReceiptProject", &full["project"]);
    nested["refund_request"] = with_nulls("ReceiptRefundRequest", &full["refund_request"]);
    let receipt: types::Receipt = serde_json::from_value(nested).unwrap();
    let items = receipt.items.as_ref().unwrap();
    assert_eq!((items[0].gross_total, items[0].vat.as_ref(), items[0].purchase_category.as_ref()), (None, None, None));
    let vat = items[1].vat.as_ref().unwrap();
    assert_eq!((vat.id, vat.tax, vat.reverse_charge, vat.intra_eu), (186, None, None, None));
    assert_eq!(items[1].purchase_category.as_ref().unwrap().name, None);
    let project = receipt.project.as_ref().unwrap();
    assert_eq!((project.id, project.name.as_ref(), project.billable, project.company.as_ref()), (567, None, None, None));
    let refund = receipt.refund_request.as_ref().unwrap();
    assert_eq!((refund.id, refund.status.as_ref()), (266, None));
}

#[test]
fn receipts_keep_any_refund_request_status() {
    // Only `paid` is documented, so the status is plain text: other states decode as they are.
    let mut receipt = example("Receipt");
    receipt["refund_request"]["status"] = json!("pending");
    let decoded: types::Receipt = serde_json::from_value(receipt).unwrap();
    assert_eq!(decoded.refund_request.unwrap().status.as_deref(), Some("pending"));
}

#[tokio::test]
async fn create_receipt_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_receipt");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/receipts")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("Receipt"));
        })
        .await;
    let response = client(&server)
        .create_receipt()
        .body_map(|b| {
            b.date(date("2020-02-02"))
                .title("Lunch with coworkers")
                .currency("CHF")
                .items(vec![types::ReceiptItemCreate { vat_code_id: 186, gross_total: dec("99.90"), purchase_category_id: None }])
                .project_id(123)
                .attachment(types::ReceiptAttachmentFile {
                    filename: "document.pdf".into(),
                    base64: "JVBERi0xLjQKJeLjz9MKNCAwIG9iago8PC9GaWx...".into(),
                })
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_docs_receipt(&response.into_inner());
}

#[tokio::test]
async fn create_receipt_with_every_field_for_an_impersonated_user() {
    let server = MockServer::start_async().await;
    let request = json!({
        "date": "2021-12-13",
        "title": "Team-Lunch",
        "currency": "CHF",
        "items": [
            {"vat_code_id": 186, "gross_total": 40.5, "purchase_category_id": 2684},
            {"vat_code_id": 187, "gross_total": 16, "purchase_category_id": 2684}
        ],
        "project_id": 567,
        "info": "Teamlunch mit Peter, Sandra und Till",
        "billable": false,
        "attachment": {"filename": "quittung.pdf", "base64": PDF_BASE64}
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/receipts").header(mocoapp::IMPERSONATE_HEADER, "933").is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Receipt"));
        })
        .await;
    let items = vec![
        types::ReceiptItemCreate::try_from(
            types::ReceiptItemCreate::builder().vat_code_id(186).gross_total(40.5).purchase_category_id(2684),
        )
        .unwrap(),
        types::ReceiptItemCreate::try_from(
            types::ReceiptItemCreate::builder().vat_code_id(187).gross_total(16.0).purchase_category_id(2684),
        )
        .unwrap(),
    ];
    let receipt = client(&server)
        .create_receipt()
        .x_impersonate_user_id(933)
        .body_map(|b| {
            b.date(date("2021-12-13"))
                .title("Team-Lunch")
                .currency("CHF")
                .items(items)
                .project_id(567)
                .info("Teamlunch mit Peter, Sandra und Till")
                .billable(false)
                .attachment(types::ReceiptAttachmentFile { filename: "quittung.pdf".into(), base64: PDF_BASE64.into() })
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(receipt.id, 123);
}

#[tokio::test]
async fn create_receipt_without_positions_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/receipts");
            then.status(200).json_body(example("Receipt"));
        })
        .await;
    let error =
        client(&server).create_receipt().body_map(|b| b.date(date("2020-02-02")).title("Lunch").currency("CHF")).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn update_receipt_sends_the_docs_example_body_with_patch() {
    let server = MockServer::start_async().await;
    let request = request_example("update_receipt");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/receipts/123")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Receipt"));
        })
        .await;
    let receipt = client(&server)
        .update_receipt(123)
        .body_map(|b| {
            b.date(date("2020-02-02"))
                .title("Lunch with customer")
                .currency("CHF")
                .items(vec![types::ReceiptItemCreate { vat_code_id: 186, gross_total: dec("109.90"), purchase_category_id: None }])
                .attachment(types::ReceiptAttachmentFile {
                    filename: "document.pdf".into(),
                    base64: "JVBERi0xLjQKJeLjz9MKNCAwIG9iago8PC9GaWx...".into(),
                })
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_docs_receipt(&receipt);
}

#[tokio::test]
async fn update_receipt_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mut updated = example("Receipt");
    updated["info"] = json!("Mit Kunde");
    updated["billable"] = json!(true);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/receipts/123").json_body(json!({"info": "Mit Kunde", "billable": true}));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let receipt = client(&server).update_receipt(123).body_map(|b| b.info("Mit Kunde").billable(true)).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!((receipt.info.as_deref(), receipt.billable), (Some("Mit Kunde"), Some(true)));
}

#[tokio::test]
async fn delete_receipt() {
    assert_deletes("/receipts/123", 204, |client| async move { client.delete_receipt(123).send_with_response().await }).await;
    assert_deletes("/receipts/124", 200, |client| async move { client.delete_receipt(124).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_receipt_already_claimed_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/receipts/123");
            then.status(422).json_body(json!({"message": "Receipt is part of a refund request"}));
        })
        .await;
    let error = client(&server).delete_receipt(123).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Receipt is part of a refund request")),
        "{error:?}"
    );
}
