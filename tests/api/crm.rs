//! Every operation of `sections/companies.md`, `contacts.md`, `deals.md`, `deal_categories.md`,
//! `comments.md`, `tags/tags.md` and `tags/taggings.md`: the exact request and the decoded answer.

use httpmock::prelude::*;
use mocoapp::{types, CustomFields, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// Serves `body` for `GET /api/v1{path}` (no query, no body) and returns the server.
async fn serving(path: &str, body: Value) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, path).is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body);
        })
        .await;
    server
}

// ---------------------------------------------------------------------------------------------
// Companies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_companies_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_companies");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/companies").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "name desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "760253573,42"),
                ("include_archived", "true"),
                ("type", "customer"),
                ("tags", "Netzwerk,Druckerei"),
                ("identifier", "K0405"),
                ("term", "acme corp"),
                ("custom_properties[Line of business]", "Automotive"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let companies = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Line of business", "Automotive"))
        .list_companies()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("name"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([760253573, 42])
        .include_archived(true)
        .kind(types::ListCompaniesType::Customer)
        .tags(["Netzwerk", "Druckerei"])
        .identifier("K0405")
        .term("acme corp")
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&companies, &body);
    let company = &companies[0];
    assert_eq!(company.id, 760253573);
    assert_eq!(company.name, "Beispiel AG");
    assert_eq!(company.kind, Some(types::CompanyType::Customer));
    assert_eq!(company.tags.as_deref(), Some(&["Netzwerk".to_string(), "Druckerei".to_string()][..]));
    assert_eq!(company.user.as_ref().unwrap().lastname.as_deref(), Some("Miesel"));
    assert_eq!(company.custom_properties.as_ref().unwrap().text("UID"), Some("1234-UID-4567"));
}

#[tokio::test]
async fn company_custom_field_filter_goes_on_the_list_only() {
    // `custom_properties[Line of business]=Automotive` (with `type`, which MOCO needs for it) is
    // sent on list_companies, but not on a get through the same filtering client.
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            moco(when, GET, "/companies")
                .is_true(exact_query(&[("type", "customer"), ("custom_properties[Line of business]", "Automotive")]));
            then.status(200).json_body(json!([example("Company")]));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            moco(when, GET, "/companies/760253573").is_true(exact_query(&[]));
            then.status(200).json_body(example("Company"));
        })
        .await;
    let automotive = client(&server).filter_custom_fields(&CustomFields::new().with("Line of business", "Automotive"));
    let companies = automotive.list_companies().kind(types::ListCompaniesType::Customer).send().await.unwrap();
    assert_eq!(companies.len(), 1);
    let company = automotive.get_company(760253573).send().await.unwrap();
    assert_eq!(company.id, 760253573);
    list.assert_async().await;
    get.assert_async().await;
}

#[tokio::test]
async fn list_companies_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/companies").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    let companies = client(&server).list_companies().send().await.unwrap();
    assert!(companies.is_empty());
}

#[tokio::test]
async fn get_company_decodes_the_response_names() {
    let body = example("Company");
    let server = serving("/companies/760253573", body.clone()).await;
    let company = client(&server).get_company(760253573).send().await.unwrap();
    assert_decoded(&company, &body);
    // Responses call the tax rate `billing_tax` and the payment term `default_invoice_due_days`.
    assert_eq!(company.billing_tax, Some(dec("0.0")));
    assert_eq!(company.default_invoice_due_days, Some(30));
    let vat = company.customer_vat.as_ref().unwrap();
    assert_eq!((vat.reverse_charge, vat.intra_eu, vat.print_gross_total), (Some(true), Some(true), Some(true)));
    assert_eq!(company.supplier_vat.as_ref().unwrap().tax, Some(dec("0.0")));
    assert_eq!(company.identifier.as_deref(), Some("36"));
    assert_eq!(company.default_cash_discount, Some(dec("2.0")));
    assert_eq!(company.debit_number, Some(10000));
    assert_eq!(company.address.as_deref(), Some("Beispiel AG\nBeispielstrasse 123\n12345 Beispielstadt"));
    let project = &company.projects.as_ref().unwrap()[0];
    assert_eq!((project.id, project.name.as_deref(), project.active), (944504145, Some("Layoutanpassung"), Some(false)));
    assert_eq!(company.archived_on, None);
    assert_eq!(company.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn company_with_every_nullable_field_null_decodes() {
    let sparse = with_nulls("Company", &example("Company"));
    assert!(sparse["customer_vat"].is_null() && sparse["type"].is_null() && sparse["projects"].is_null());
    let server = serving("/companies/760253573", sparse).await;
    let company = client(&server).get_company(760253573).send().await.unwrap();
    assert_eq!((company.id, company.name.as_str()), (760253573, "Beispiel AG"));
    assert_eq!(company.kind, None);
    assert_eq!(company.user, None);
    assert_eq!(company.customer_vat, None);
    assert_eq!(company.supplier_vat, None);
    assert_eq!(company.custom_properties, None);
    assert_eq!(company.billing_tax, None);
    assert_eq!(company.default_invoice_due_days, None);
    assert_eq!(company.tags, None);
    assert_eq!(company.projects, None);
    assert_eq!(company.created_at, None);
}

#[tokio::test]
async fn company_with_an_unknown_type_decodes() {
    let (future, changed) = with_unknown_enums("Company", &example("Company"));
    assert_eq!(changed, vec!["$.type".to_string()]);
    let server = serving("/companies/760253573", future).await;
    let company = client(&server).get_company(760253573).send().await.unwrap();
    assert_eq!(company.kind, Some(types::CompanyType::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn create_company_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_company");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/companies").header("content-type", "application/json").json_body(request.clone());
            then.status(201).json_body(example("Company"));
        })
        .await;
    let response = client(&server)
        .create_company()
        .body_map(|b| b.name("Beispiel AG").kind(types::CompanyCreateType::Customer).currency("EUR"))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let company = response.into_inner();
    assert_decoded(&company, &example("Company"));
    assert_eq!(company.id, 760253573);
}

#[tokio::test]
async fn create_customer_sends_request_names_and_reads_response_names() {
    // Requests set `customer_tax` and `invoice_due_days`; the answer carries them as
    // `billing_tax` and `default_invoice_due_days`.
    let server = MockServer::start_async().await;
    let mut created = example("Company");
    created["billing_tax"] = json!(7.7);
    created["default_invoice_due_days"] = json!(45);
    created["custom_properties"] = json!({"Line of business": "Automotive"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/companies").is_true(json_equiv(json!({
                "name": "Beispiel AG",
                "type": "customer",
                "currency": "CHF",
                "identifier": "36",
                "country_code": "CH",
                "vat_identifier": "CH999999999",
                "alternative_correspondence_language": false,
                "website": "www.beispiel-ag.com",
                "email": "info@beispiel-ag.com",
                "billing_email_cc": "cc@beispiel-ag.com",
                "phone": "+49 30 123 45 67",
                "fax": "+49 30 123 45 66",
                "address": "Beispiel AG\nBeispielstrasse 123\n12345 Beispielstadt",
                "billing_notes": "Vor Rechnungsstellung PO beantragen.",
                "info": "Key account",
                "tags": ["Netzwerk", "Druckerei"],
                "custom_properties": {"Line of business": "Automotive"},
                "user_id": 933589840,
                "footer": "<div>Footer text</div>",
                "invoice_format": "zugferd_x_invoice",
                "default_payment_means": "credit_transfer",
                "customer_vat_code_id": 186,
                "customer_tax": 7.7,
                "invoice_due_days": 45,
                "debit_number": 10000
            })));
            then.status(200).json_body(created.clone());
        })
        .await;
    let company = client(&server)
        .create_company()
        .body_map(|b| {
            b.name("Beispiel AG")
                .kind(types::CompanyCreateType::Customer)
                .currency("CHF")
                .identifier("36")
                .country_code("CH")
                .vat_identifier("CH999999999")
                .alternative_correspondence_language(false)
                .website("www.beispiel-ag.com")
                .email("info@beispiel-ag.com")
                .billing_email_cc("cc@beispiel-ag.com")
                .phone("+49 30 123 45 67")
                .fax("+49 30 123 45 66")
                .address("Beispiel AG\nBeispielstrasse 123\n12345 Beispielstadt")
                .billing_notes("Vor Rechnungsstellung PO beantragen.")
                .info("Key account")
                .tags(vec!["Netzwerk".to_string(), "Druckerei".to_string()])
                .custom_properties(CustomFields::new().with("Line of business", "Automotive"))
                .user_id(933589840)
                .footer("<div>Footer text</div>")
                .invoice_format(types::CompanyCreateInvoiceFormat::ZugferdXInvoice)
                .default_payment_means(types::CompanyCreateDefaultPaymentMeans::CreditTransfer)
                .customer_vat_code_id(186)
                .customer_tax(dec("7.7"))
                .invoice_due_days(45)
                .debit_number(10000)
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(company.billing_tax, Some(dec("7.7")));
    assert_eq!(company.default_invoice_due_days, Some(45));
    assert_eq!(company.custom_properties.as_ref().unwrap().text("Line of business"), Some("Automotive"));
}

#[tokio::test]
async fn create_supplier_sends_bank_fields_and_reads_supplier_vat() {
    let server = MockServer::start_async().await;
    let mut created = example("Company");
    created["type"] = json!("supplier");
    created["customer_vat"] = Value::Null;
    created["iban"] = json!("CH3181239000001245689");
    created["credit_number"] = json!(70000);
    created["supplier_vat"] = json!({"tax": 8.1, "reverse_charge": false, "intra_eu": false, "active": true});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/companies").is_true(json_equiv(json!({
                "name": "Druckerei Muster",
                "type": "supplier",
                "bank_owner": "Muster Holding",
                "iban": "CH3181239000001245689",
                "bank_bic": "UBSWCHZH80A",
                "supplier_vat_code_id": 187,
                "supplier_tax": 8.1,
                "credit_number": 70000
            })));
            then.status(201).json_body(created.clone());
        })
        .await;
    let company = client(&server)
        .create_company()
        .body_map(|b| {
            b.name("Druckerei Muster")
                .kind(types::CompanyCreateType::Supplier)
                .bank_owner("Muster Holding")
                .iban("CH3181239000001245689")
                .bank_bic("UBSWCHZH80A")
                .supplier_vat_code_id(187)
                .supplier_tax(dec("8.1"))
                .credit_number(70000)
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(company.kind, Some(types::CompanyType::Supplier));
    assert_eq!(company.customer_vat, None);
    assert_eq!(company.supplier_vat.as_ref().unwrap().tax, Some(dec("8.1")));
    assert_eq!(company.iban.as_deref(), Some("CH3181239000001245689"));
    assert_eq!(company.credit_number, Some(70000));
}

#[tokio::test]
async fn update_company_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut updated = example("Company");
    updated["name"] = json!("Beispiel GmbH");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/companies/760253573").is_true(exact_query(&[])).json_body(request_example("update_company"));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let company = client(&server).update_company(760253573).body_map(|b| b.name("Beispiel GmbH")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&company, &updated);
    assert_eq!(company.name, "Beispiel GmbH");
}

#[tokio::test]
async fn update_company_sends_the_request_names_for_tax_and_payment_term() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/companies/760253573").is_true(json_equiv(json!({"customer_tax": 8.1, "invoice_due_days": 10})));
            then.status(200).json_body(example("Company"));
        })
        .await;
    client(&server).update_company(760253573).body_map(|b| b.customer_tax(dec("8.1")).invoice_due_days(10)).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_company() {
    assert_deletes("/companies/760253573", 204, |c| async move { c.delete_company(760253573).send_with_response().await }).await;
}

#[tokio::test]
async fn archive_and_unarchive_company() {
    let server = MockServer::start_async().await;
    let mut archived = example("Company");
    archived["active"] = json!(false);
    archived["archived_on"] = json!("2024-03-01");
    let archive = server
        .mock_async(|when, then| {
            moco(when, PUT, "/companies/760253573/archive").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(archived.clone());
        })
        .await;
    let unarchive = server
        .mock_async(|when, then| {
            moco(when, PUT, "/companies/760253573/unarchive").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(example("Company"));
        })
        .await;
    let client = client(&server);
    let company = client.archive_company(760253573).send().await.unwrap();
    assert_decoded(&company, &archived);
    assert_eq!((company.active, company.archived_on), (Some(false), Some(date("2024-03-01"))));
    let company = client.unarchive_company(760253573).send().await.unwrap();
    assert_eq!((company.active, company.archived_on), (Some(true), None));
    archive.assert_async().await;
    unarchive.assert_async().await;
}

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_contacts_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_contacts");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/contacts/people").is_true(no_body()).is_true(exact_query(&[
                ("page", "3"),
                ("per_page", "20"),
                ("sort_by", "lastname asc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "123,124"),
                ("tags", "Key Account,Christmas Card"),
                ("term", "mario, volkswagen"),
                ("phone", "79 826"),
                ("custom_properties[Newsletter]", "true"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let contacts = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Newsletter", "true"))
        .list_contacts()
        .page(3)
        .per_page(20)
        .sort_by(SortBy::asc("lastname"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 124])
        .tags(["Key Account", "Christmas Card"])
        .term("mario, volkswagen")
        .phone("79 826")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&contacts, &body);
    let contact = &contacts[0];
    assert_eq!(contact.id, 123);
    assert_eq!(contact.gender, Some(types::ContactGender::M));
    assert_eq!((contact.firstname.as_deref(), contact.lastname.as_deref()), (Some("Peter"), Some("Muster")));
    assert_eq!(contact.birthday, Some(date("1959-05-22")));
    let company = contact.company.as_ref().unwrap();
    assert_eq!((company.id, company.kind.clone()), (123456, Some(types::TypedCompanyRefType::Customer)));
}

#[tokio::test]
async fn list_contacts_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/contacts/people").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_contacts().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_contact() {
    let body = example("Contact");
    let server = serving("/contacts/people/123", body.clone()).await;
    let contact = client(&server).get_contact(123).send().await.unwrap();
    assert_decoded(&contact, &body);
    assert_eq!(contact.title.as_deref(), Some("Dr. med."));
    assert_eq!(contact.work_email.as_deref(), Some("peter.muster@beispiel.ch"));
    assert_eq!(contact.work_fax.as_deref(), Some(""));
    assert_eq!(contact.tags.as_ref().unwrap()[1], "Christmas Card");
    assert_eq!(contact.company.as_ref().unwrap().name.as_deref(), Some("Beispiel AG"));
    assert_eq!(contact.updated_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn contact_with_every_nullable_field_null_decodes() {
    let sparse = with_nulls("Contact", &example("Contact"));
    assert!(sparse["company"].is_null() && sparse["gender"].is_null());
    let server = serving("/contacts/people/123", sparse).await;
    let contact = client(&server).get_contact(123).send().await.unwrap();
    assert_eq!(contact.id, 123);
    assert_eq!(contact.gender, None);
    assert_eq!(contact.firstname, None);
    assert_eq!(contact.birthday, None);
    assert_eq!(contact.company, None);
    assert_eq!(contact.tags, None);
    assert_eq!(contact.created_at, None);
}

#[tokio::test]
async fn contact_with_unknown_gender_and_company_type_decodes() {
    let (future, mut changed) = with_unknown_enums("Contact", &example("Contact"));
    changed.sort();
    assert_eq!(changed, vec!["$.company.type".to_string(), "$.gender".to_string()]);
    let server = serving("/contacts/people/123", future).await;
    let contact = client(&server).get_contact(123).send().await.unwrap();
    assert_eq!(contact.gender, Some(types::ContactGender::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(contact.company.unwrap().kind, Some(types::TypedCompanyRefType::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn create_contact_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/contacts/people").header("content-type", "application/json").json_body(request_example("create_contact"));
            then.status(201).json_body(example("Contact"));
        })
        .await;
    let response = client(&server)
        .create_contact()
        .body_map(|b| b.firstname("Peter").lastname("Muster").gender(types::ContactCreateGender::M).birthday(date("1959-05-22")))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let contact = response.into_inner();
    assert_eq!((contact.id, contact.birthday), (123, Some(date("1959-05-22"))));
}

#[tokio::test]
async fn create_contact_with_company_user_and_tags() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/contacts/people").is_true(json_equiv(json!({
                "lastname": "Muster",
                "gender": "F",
                "company_id": 123456,
                "user_id": 933589840,
                "job_position": "CEO",
                "work_email": "erika@beispiel.ch",
                "tags": ["Key Account"]
            })));
            then.status(200).json_body(example("Contact"));
        })
        .await;
    client(&server)
        .create_contact()
        .body_map(|b| {
            b.lastname("Muster")
                .gender(types::ContactCreateGender::F)
                .company_id(123456)
                .user_id(933589840)
                .job_position("CEO")
                .work_email("erika@beispiel.ch")
                .tags(vec!["Key Account".to_string()])
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn update_contact_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut updated = example("Contact");
    updated["job_position"] = json!("Head of Sales");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/contacts/people/123").is_true(exact_query(&[])).json_body(request_example("update_contact"));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let contact = client(&server).update_contact(123).body_map(|b| b.job_position("Head of Sales")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&contact, &updated);
    assert_eq!(contact.job_position.as_deref(), Some("Head of Sales"));
}

#[tokio::test]
async fn delete_contact() {
    assert_deletes("/contacts/people/123", 204, |c| async move { c.delete_contact(123).send_with_response().await }).await;
}

// ---------------------------------------------------------------------------------------------
// Deals
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_deals_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_deals");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/deals").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "10"),
                ("sort_by", "money desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "123,124"),
                ("status", "won"),
                ("tags", "Website"),
                ("closed_from", "2022-01-01"),
                ("closed_to", "2022-12-31"),
                ("company_id", "760260535,42"),
                ("custom_properties[Type]", "Website"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let deals = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Type", "Website"))
        .list_deals()
        .page(2)
        .per_page(10)
        .sort_by(SortBy::desc("money"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 124])
        .status(types::ListDealsStatus::Won)
        .tags(["Website"])
        .closed_from(date("2022-01-01"))
        .closed_to(date("2022-12-31"))
        .company_id([760260535, 42])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&deals, &body);
    let deal = &deals[0];
    assert_eq!((deal.id, deal.name.as_str()), (123, "Website V2"));
    assert_eq!(deal.status, Some(types::DealStatus::Pending));
    assert_eq!(deal.money, Some(dec("61000.0")));
    assert_eq!(deal.reminder_date, Some(date("2022-09-19")));
    assert_eq!(deal.closed_on, None);
    assert_eq!(deal.custom_properties.as_ref().unwrap().text("Type"), Some("Website"));
}

#[tokio::test]
async fn list_deals_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/deals").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_deals().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_deal() {
    let body = example("Deal");
    let server = serving("/deals/123", body.clone()).await;
    let deal = client(&server).get_deal(123).send().await.unwrap();
    assert_decoded(&deal, &body);
    assert_eq!(deal.user.as_ref().unwrap().id, 933593033);
    let company = deal.company.as_ref().unwrap();
    assert_eq!((company.id, company.kind.clone()), (760260535, Some(types::TypedCompanyRefType::Customer)));
    let person = deal.person.as_ref().unwrap();
    assert_eq!((person.id, person.name.as_deref()), (123311, Some("Max Muster")));
    let category = deal.category.as_ref().unwrap();
    assert_eq!((category.id, category.name.as_deref(), category.probability), (12, Some("Angebot"), Some(30)));
    assert_eq!(deal.service_period_from, Some(date("2022-09-01")));
    assert_eq!(deal.service_period_to, Some(date("2023-01-31")));
    assert_eq!(deal.inbox_email_address.as_deref(), Some("lead-website-v2-jh72nuqrkfcndwkj@inbox.mocoapp.com"));
}

#[tokio::test]
async fn deal_with_every_nullable_field_null_decodes() {
    let sparse = with_nulls("Deal", &example("Deal"));
    assert!(sparse["company"].is_null() && sparse["person"].is_null() && sparse["category"].is_null());
    let server = serving("/deals/123", sparse).await;
    let deal = client(&server).get_deal(123).send().await.unwrap();
    assert_eq!((deal.id, deal.name.as_str()), (123, "Website V2"));
    assert_eq!(deal.status, None);
    assert_eq!(deal.money, None);
    assert_eq!(deal.reminder_date, None);
    assert_eq!(deal.user, None);
    assert_eq!(deal.company, None);
    assert_eq!(deal.person, None);
    assert_eq!(deal.category, None);
    assert_eq!(deal.custom_properties, None);
    assert_eq!(deal.service_period_from, None);
}

#[tokio::test]
async fn deal_with_unknown_status_and_company_type_decodes() {
    let (future, mut changed) = with_unknown_enums("Deal", &example("Deal"));
    changed.sort();
    assert_eq!(changed, vec!["$.company.type".to_string(), "$.status".to_string()]);
    let server = serving("/deals/123", future).await;
    let deal = client(&server).get_deal(123).send().await.unwrap();
    assert_eq!(deal.status, Some(types::DealStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(deal.company.unwrap().kind, Some(types::TypedCompanyRefType::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn create_deal_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_deal");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/deals").header("content-type", "application/json").is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("Deal"));
        })
        .await;
    let response = client(&server)
        .create_deal()
        .body_map(|b| {
            b.name("Beispiel AG Website Relaunch")
                .currency("EUR")
                .money(25000.0)
                .reminder_date(date("2018-12-01"))
                .user_id(123)
                .deal_category_id(456)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 123);
}

#[tokio::test]
async fn create_deal_with_every_optional_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/deals").is_true(json_equiv(json!({
                "name": "Website V2",
                "currency": "CHF",
                "money": 61000.5,
                "reminder_date": "2022-09-19",
                "user_id": 933593033,
                "deal_category_id": 12,
                "company_id": 760260535,
                "person_id": 123311,
                "info": "Interesting Lead!",
                "status": "potential",
                "closed_on": "2022-10-01",
                "service_period_from": "2022-09-01",
                "service_period_to": "2023-01-31",
                "tags": ["Website"],
                "custom_properties": {"Type": "Website"}
            })));
            then.status(200).json_body(example("Deal"));
        })
        .await;
    client(&server)
        .create_deal()
        .body_map(|b| {
            b.name("Website V2")
                .currency("CHF")
                .money(61000.5)
                .reminder_date(date("2022-09-19"))
                .user_id(933593033)
                .deal_category_id(12)
                .company_id(760260535)
                .person_id(123311)
                .info("Interesting Lead!")
                .status(types::DealCreateStatus::Potential)
                .closed_on(date("2022-10-01"))
                .service_period_from(date("2022-09-01"))
                .service_period_to(date("2023-01-31"))
                .tags(vec!["Website".to_string()])
                .custom_properties(CustomFields::new().with("Type", "Website"))
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn update_deal_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut lost = example("Deal");
    lost["status"] = json!("lost");
    lost["closed_on"] = json!("2022-10-05");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/deals/123").is_true(exact_query(&[])).json_body(request_example("update_deal"));
            then.status(200).json_body(lost.clone());
        })
        .await;
    let deal = client(&server).update_deal(123).body_map(|b| b.status(types::DealUpdateStatus::Lost)).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&deal, &lost);
    assert_eq!(deal.status, Some(types::DealStatus::Lost));
    assert_eq!(deal.closed_on, Some(date("2022-10-05")));
}

#[tokio::test]
async fn delete_deal() {
    assert_deletes("/deals/123", 204, |c| async move { c.delete_deal(123).send_with_response().await }).await;
}

// ---------------------------------------------------------------------------------------------
// Deal categories
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_deal_categories_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_deal_categories");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/deal_categories").is_true(no_body()).is_true(exact_query(&[
                ("page", "1"),
                ("per_page", "100"),
                ("sort_by", "probability asc"),
                ("updated_after", "2018-10-01T00:00:00Z"),
                ("ids", "123,124"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let categories = client(&server)
        .list_deal_categories()
        .page(1)
        .per_page(100)
        .sort_by(SortBy::asc("probability"))
        .updated_after(timestamp("2018-10-01T00:00:00Z"))
        .ids([123, 124])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&categories, &body);
    let category = &categories[0];
    assert_eq!((category.id, category.name.as_str(), category.probability), (123, "Contact", Some(1)));
}

#[tokio::test]
async fn list_deal_categories_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/deal_categories").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_deal_categories().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_deal_category() {
    let body = example("DealCategory");
    let server = serving("/deal_categories/123", body.clone()).await;
    let category = client(&server).get_deal_category(123).send().await.unwrap();
    assert_decoded(&category, &body);
    assert_eq!(category.probability, Some(1));
    assert_eq!(category.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn deal_category_with_every_nullable_field_null_decodes() {
    let sparse = with_nulls("DealCategory", &example("DealCategory"));
    assert!(sparse["probability"].is_null());
    let server = serving("/deal_categories/123", sparse).await;
    let category = client(&server).get_deal_category(123).send().await.unwrap();
    assert_eq!((category.id, category.name.as_str()), (123, "Contact"));
    assert_eq!((category.probability, category.created_at, category.updated_at), (None, None, None));
}

#[tokio::test]
async fn create_deal_category_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let created = json!({"id": 124, "name": "New Category", "probability": 15, "created_at": "2024-01-01T10:00:00Z", "updated_at": "2024-01-01T10:00:00Z"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/deal_categories")
                .header("content-type", "application/json")
                .json_body(request_example("create_deal_category"));
            then.status(201).json_body(created.clone());
        })
        .await;
    let response =
        client(&server).create_deal_category().body_map(|b| b.name("New Category").probability(15)).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let category = response.into_inner();
    assert_decoded(&category, &created);
    assert_eq!((category.id, category.probability), (124, Some(15)));
}

#[tokio::test]
async fn update_deal_category_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut renamed = example("DealCategory");
    renamed["name"] = json!("New Name");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/deal_categories/123").is_true(exact_query(&[])).json_body(request_example("update_deal_category"));
            then.status(200).json_body(renamed.clone());
        })
        .await;
    let category = client(&server).update_deal_category(123).body_map(|b| b.name("New Name")).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(category.name, "New Name");
}

#[tokio::test]
async fn delete_deal_category() {
    assert_deletes("/deal_categories/123", 204, |c| async move { c.delete_deal_category(123).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_deal_category_in_use_is_forbidden() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/deal_categories/12").is_true(no_body());
            then.status(403).json_body(json!({"message": "Category is still in use"}));
        })
        .await;
    let err = client(&server).delete_deal_category(12).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&err, Error::Forbidden { message: Some(m) } if m == "Category is still in use"), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_comments_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_comments");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/comments").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "25"),
                ("sort_by", "created_at desc"),
                ("updated_after", "2018-10-01T00:00:00Z"),
                ("ids", "123,124"),
                ("commentable_type", "Project"),
                ("commentable_id", "12345"),
                ("user_id", "567"),
                ("manual", "true"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let comments = client(&server)
        .list_comments()
        .page(2)
        .per_page(25)
        .sort_by(SortBy::desc("created_at"))
        .updated_after(timestamp("2018-10-01T00:00:00Z"))
        .ids([123, 124])
        .commentable_type(types::ListCommentsCommentableType::Project)
        .commentable_id(12345)
        .user_id(567)
        .manual(true)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&comments, &body);
    let comment = &comments[0];
    assert_eq!(comment.id, 123);
    assert_eq!(comment.commentable_type, Some(types::CommentableType::Project));
    assert_eq!(comment.commentable_id, Some(12345));
    assert_eq!(comment.manual, Some(true));
    assert_eq!(comment.user.as_ref().unwrap().id, 567);
    assert_eq!(comment.impersonating_user.as_ref().unwrap().firstname.as_deref(), Some("Erika"));
}

#[tokio::test]
async fn list_comments_filters_by_types_only_the_list_knows() {
    // `UserHolidayRequest` is a list filter value that cannot be commented on through create.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/comments").is_true(exact_query(&[("commentable_type", "UserHolidayRequest")]));
            then.status(200).json_body(json!([]));
        })
        .await;
    let comments =
        client(&server).list_comments().commentable_type(types::ListCommentsCommentableType::UserHolidayRequest).send().await.unwrap();
    mock.assert_async().await;
    assert!(comments.is_empty());
}

#[tokio::test]
async fn get_comment() {
    let body = example("Comment");
    let server = serving("/comments/123", body.clone()).await;
    let comment = client(&server).get_comment(123).send().await.unwrap();
    assert_decoded(&comment, &body);
    assert_eq!(comment.text.as_deref(), Some("<div>Project was ordered on <strong>1.10.2017</strong></div>."));
    assert_eq!(comment.impersonating_user.as_ref().unwrap().id, 789);
    assert_eq!(comment.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn comment_with_every_nullable_field_null_decodes() {
    let sparse = with_nulls("Comment", &example("Comment"));
    assert!(sparse["impersonating_user"].is_null() && sparse["commentable_type"].is_null());
    let server = serving("/comments/123", sparse).await;
    let comment = client(&server).get_comment(123).send().await.unwrap();
    assert_eq!(comment.id, 123);
    assert_eq!(comment.commentable_id, None);
    assert_eq!(comment.commentable_type, None);
    assert_eq!(comment.text, None);
    assert_eq!(comment.manual, None);
    assert_eq!(comment.user, None);
    assert_eq!(comment.impersonating_user, None);
}

#[tokio::test]
async fn comment_without_impersonating_user_decodes() {
    // The field is only present when someone wrote the comment on another user's behalf.
    let mut body = example("Comment");
    body.as_object_mut().unwrap().remove("impersonating_user");
    let server = serving("/comments/123", body).await;
    let comment = client(&server).get_comment(123).send().await.unwrap();
    assert_eq!(comment.impersonating_user, None);
    assert_eq!(comment.user.unwrap().id, 567);
}

#[tokio::test]
async fn comment_with_an_unknown_commentable_type_decodes() {
    let (future, changed) = with_unknown_enums("Comment", &example("Comment"));
    assert_eq!(changed, vec!["$.commentable_type".to_string()]);
    let server = serving("/comments/123", future).await;
    let comment = client(&server).get_comment(123).send().await.unwrap();
    assert_eq!(comment.commentable_type, Some(types::CommentableType::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn create_comment_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/comments").header("content-type", "application/json").json_body(request_example("create_comment"));
            then.status(201).json_body(example("Comment"));
        })
        .await;
    let response = client(&server)
        .create_comment()
        .body_map(|b| {
            b.commentable_id(123)
                .commentable_type(types::CommentCommentableType::Project)
                .text("<div>Project was ordered on <strong>1.10.2017</strong></div>.")
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 123);
}

#[tokio::test]
async fn create_comment_with_a_base64_attachment_and_migration_timestamp() {
    // The attachment goes in the flat fields `attachment_filename` / `attachment_content`.
    let server = MockServer::start_async().await;
    let pdf = "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==";
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/comments").json_body(json!({
                "commentable_id": 760253573,
                "commentable_type": "Company",
                "text": "Signed contract",
                "attachment_filename": "contract.pdf",
                "attachment_content": pdf,
                "created_at": "2018-05-09T05:40:06"
            }));
            then.status(200).json_body(example("Comment"));
        })
        .await;
    client(&server)
        .create_comment()
        .body_map(|b| {
            b.commentable_id(760253573)
                .commentable_type(types::CommentCommentableType::Company)
                .text("Signed contract")
                .attachment_filename("contract.pdf")
                .attachment_content(pdf)
                .created_at("2018-05-09T05:40:06")
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_comments_bulk_sends_the_docs_example_body_and_decodes_the_comments() {
    let server = MockServer::start_async().await;
    let created: Vec<Value> = [123, 234, 345]
        .iter()
        .enumerate()
        .map(|(i, contact)| {
            let mut comment = example("Comment");
            comment["id"] = json!(900 + i);
            comment["commentable_id"] = json!(contact);
            comment["commentable_type"] = json!("Contact");
            comment["text"] = json!("Sent Newsletter RJ-2019/03");
            comment
        })
        .collect();
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/comments/bulk")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("create_comments_bulk"));
            then.status(201).json_body(json!(created));
        })
        .await;
    let response = client(&server)
        .create_comments_bulk()
        .body_map(|b| {
            b.commentable_ids(vec![123, 234, 345])
                .commentable_type(types::CommentCommentableType::Contact)
                .text("Sent Newsletter RJ-2019/03")
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let comments = response.into_inner();
    assert_decoded(&comments, &json!(created));
    let targets: Vec<_> = comments.iter().map(|c| (c.id, c.commentable_id)).collect();
    assert_eq!(targets, vec![(900, Some(123)), (901, Some(234)), (902, Some(345))]);
    assert!(comments.iter().all(|c| c.commentable_type == Some(types::CommentableType::Contact)));
}

#[tokio::test]
async fn create_comments_bulk_with_an_attachment_through_the_type() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/comments/bulk").json_body(json!({
                "commentable_ids": [11, 12],
                "commentable_type": "Invoice",
                "text": "Reminder sent",
                "attachment_filename": "reminder.txt",
                "attachment_content": "UmVtaW5kZXI="
            }));
            then.status(200).json_body(json!([]));
        })
        .await;
    let body = types::CommentBulkCreate {
        commentable_ids: vec![11, 12],
        commentable_type: types::CommentCommentableType::Invoice,
        text: "Reminder sent".into(),
        attachment_filename: Some("reminder.txt".into()),
        attachment_content: Some("UmVtaW5kZXI=".into()),
        created_at: None,
    };
    let comments = client(&server).create_comments_bulk().body(body).send().await.unwrap();
    mock.assert_async().await;
    assert!(comments.is_empty());
}

#[tokio::test]
async fn update_comment_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mut updated = example("Comment");
    updated["text"] = json!("<div>Project is paused for now.</div>.");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/comments/123").is_true(exact_query(&[])).json_body(request_example("update_comment"));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let comment = client(&server).update_comment(123).body_map(|b| b.text("<div>Project is paused for now.</div>.")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&comment, &updated);
    assert_eq!(comment.text.as_deref(), Some("<div>Project is paused for now.</div>."));
}

#[tokio::test]
async fn delete_comment() {
    assert_deletes("/comments/123", 204, |c| async move { c.delete_comment(123).send_with_response().await }).await;
}

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_tags_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_tags");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/tags").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "100"),
                ("sort_by", "name asc"),
                ("updated_after", "2018-10-01T00:00:00Z"),
                ("ids", "12345678,12345679"),
                ("context", "Project"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let tags = client(&server)
        .list_tags()
        .page(2)
        .per_page(100)
        .sort_by(SortBy::asc("name"))
        .updated_after(timestamp("2018-10-01T00:00:00Z"))
        .ids([12345678, 12345679])
        .context(types::ListTagsContext::Project)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&tags, &body);
    let tag = &tags[0];
    assert_eq!((tag.id, tag.name.as_str(), tag.color.as_deref()), (12345678, "Important", Some("#FF0000")));
    assert_eq!(tag.context, Some(types::TagContext::Project));
}

#[tokio::test]
async fn list_tags_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/tags").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_tags().send().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_tag() {
    let body = example("Tag");
    let server = serving("/tags/12345678", body.clone()).await;
    let tag = client(&server).get_tag(12345678).send().await.unwrap();
    assert_decoded(&tag, &body);
    assert_eq!(tag.name, "Important");
    assert_eq!(tag.updated_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn tag_with_every_nullable_field_null_decodes() {
    let sparse = with_nulls("Tag", &example("Tag"));
    assert!(sparse["color"].is_null() && sparse["context"].is_null());
    let server = serving("/tags/12345678", sparse).await;
    let tag = client(&server).get_tag(12345678).send().await.unwrap();
    assert_eq!((tag.id, tag.name.as_str()), (12345678, "Important"));
    assert_eq!((tag.color, tag.context, tag.created_at), (None, None, None));
}

#[tokio::test]
async fn tag_with_an_unknown_context_decodes() {
    let (future, changed) = with_unknown_enums("Tag", &example("Tag"));
    assert_eq!(changed, vec!["$.context".to_string()]);
    let server = serving("/tags/12345678", future).await;
    let tag = client(&server).get_tag(12345678).send().await.unwrap();
    assert_eq!(tag.context, Some(types::TagContext::Unknown(UNKNOWN_ENUM_VALUE.into())));
}

#[tokio::test]
async fn create_tag_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let created = json!({"id": 12345679, "name": "ONHOLD", "color": "#FFFF00", "context": "Project"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/tags").header("content-type", "application/json").json_body(request_example("create_tag"));
            then.status(201).json_body(created.clone());
        })
        .await;
    let response = client(&server)
        .create_tag()
        .body_map(|b| b.name("ONHOLD").color("#FFFF00").context(types::TagCreateContext::Project))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let tag = response.into_inner();
    assert_decoded(&tag, &created);
    assert_eq!((tag.id, tag.context), (12345679, Some(types::TagContext::Project)));
}

#[tokio::test]
async fn update_tag_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/tags/12345678").is_true(exact_query(&[])).json_body(request_example("update_tag"));
            then.status(200).json_body(example("Tag"));
        })
        .await;
    let tag = client(&server).update_tag(12345678).body_map(|b| b.color("#FF0000")).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(tag.color.as_deref(), Some("#FF0000"));
}

#[tokio::test]
async fn delete_tag() {
    assert_deletes("/tags/12345678", 204, |c| async move { c.delete_tag(12345678).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_tag_merging_into_another_sends_merge_tag_id_as_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/tags/12345678").is_true(exact_query(&[("merge_tag_id", "12345679")])).is_true(no_body());
            then.status(204);
        })
        .await;
    let response = client(&server).delete_tag(12345678).merge_tag_id(12345679).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 204);
}

// ---------------------------------------------------------------------------------------------
// Taggings
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_taggings_decodes_the_bare_array_of_names() {
    let body = response_example("list_taggings");
    assert!(body.is_array());
    let server = serving("/taggings/Project/357", body.clone()).await;
    let names = client(&server).list_taggings(types::TaggableEntity::Project, 357).send().await.unwrap();
    assert_decoded(&names, &body);
    assert_eq!(names.0, vec!["cool".to_string(), "on hold".to_string()]);
}

#[tokio::test]
async fn list_taggings_puts_each_entity_in_the_path_and_decodes_no_tags() {
    let server = MockServer::start_async().await;
    let company = server
        .mock_async(|when, then| {
            moco(when, GET, "/taggings/Company/760253573").is_true(no_body());
            then.status(200).json_body(json!([]));
        })
        .await;
    let user = server
        .mock_async(|when, then| {
            moco(when, GET, "/taggings/User/933590696").is_true(no_body());
            then.status(200).json_body(json!(["Designer"]));
        })
        .await;
    let client = client(&server);
    let names = client.list_taggings(types::TaggableEntity::Company, 760253573).send().await.unwrap();
    assert!(names.is_empty());
    let names = client.list_taggings(types::TaggableEntity::User, 933590696).send().await.unwrap();
    assert_eq!(&names[..], &["Designer".to_string()]);
    company.assert_async().await;
    user.assert_async().await;
}

#[tokio::test]
async fn add_taggings_patches_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/taggings/Project/357")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("add_taggings"));
            then.status(200).json_body(json!(["Important", "cool", "on hold"]));
        })
        .await;
    let names = client(&server)
        .add_taggings(types::TaggableEntity::Project, 357)
        .body_map(|b| b.tags(vec!["cool".to_string(), "on hold".to_string()]))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(names.0, vec!["Important", "cool", "on hold"]);
}

#[tokio::test]
async fn replace_taggings_puts_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/taggings/Deal/123").is_true(exact_query(&[])).json_body(request_example("replace_taggings"));
            then.status(200).json_body(response_example("replace_taggings"));
        })
        .await;
    let names = client(&server)
        .replace_taggings(types::TaggableEntity::Deal, 123)
        .body(types::TaggingsChange { tags: vec!["cool".into(), "on hold".into()] })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(names.0, vec!["cool", "on hold"]);
}

#[tokio::test]
async fn replace_taggings_with_an_empty_list_removes_every_tag() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/taggings/Contact/123").json_body(json!({"tags": []}));
            then.status(200).json_body(json!([]));
        })
        .await;
    let names = client(&server)
        .replace_taggings(types::TaggableEntity::Contact, 123)
        .body_map(|b| b.tags(Vec::<String>::new()))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(names.is_empty());
}

#[tokio::test]
async fn delete_taggings_sends_the_names_in_a_json_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/taggings/Invoice/42")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("delete_taggings"));
            then.status(200).json_body(json!(["on hold"]));
        })
        .await;
    let response = client(&server)
        .delete_taggings(types::TaggableEntity::Invoice, 42)
        .body_map(|b| b.tags(vec!["cool".to_string()]))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_inner().0, vec!["on hold"]);
}
