//! Every operation of sections/account/catalog_services.md, custom_properties.md,
//! expense_templates.md, fixed_costs.md, hourly_rates.md, internal_hourly_rates.md,
//! task_templates.md and sections/web_hooks.md: the exact request and the decoded answer.

use httpmock::prelude::*;
use mocoapp::{types, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

fn at(timestamp: &str) -> chrono::DateTime<chrono::Utc> {
    timestamp.parse().unwrap()
}

/// The query every paginated list of these sections takes (the global filters), as sent by
/// `with_global_filters`.
const GLOBAL_FILTERS: &[(&str, &str)] =
    &[("page", "2"), ("per_page", "50"), ("sort_by", "title desc"), ("updated_after", "2022-04-20T09:17:58Z"), ("ids", "123,456")];

/// Sets the global filters on a list builder (every list here has the same five setters).
macro_rules! with_global_filters {
    ($builder:expr) => {
        $builder.page(2).per_page(50).sort_by(SortBy::desc("title")).updated_after(at("2022-04-20T09:17:58Z")).ids([123, 456])
    };
}

/// A server answering every `GET /api/v1{path}` with `body`.
async fn serving(path: &str, body: Value) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, path);
            then.status(200).json_body(body);
        })
        .await;
    server
}

// ---------------------------------------------------------------------------------------------
// Catalog services

#[tokio::test]
async fn list_catalog_services_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_catalog_services");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/catalog_services").is_true(exact_query(GLOBAL_FILTERS)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let services = with_global_filters!(client(&server).list_catalog_services()).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&services, &body);
    let service = &services[0];
    assert_eq!((service.id, service.title.as_str()), (20370, "Catalog entry"));
    assert_eq!(service.created_at, Some(at("2022-06-16T12:24:30Z")));
    let items = service.items.as_ref().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].id, 113400);
    assert_eq!(items[0].kind, Some(types::CatalogServiceItemType::Item));
    assert_eq!((items[0].quantity, items[0].unit_price, items[0].net_total), (None, None, Some(dec("1200.0"))));
    assert_eq!(items[0].description, None);
    let category = items[1].revenue_category.as_ref().unwrap();
    assert_eq!((category.id, category.revenue_account), (127, Some(30059)));
    assert_eq!(category.cost_category, Some(types::CatalogRevenueCategoryCostCategory::Variant0("CO1".into())));
    assert_eq!((items[1].quantity, items[1].unit.as_deref(), items[1].unit_price), (Some(dec("20.0")), Some("h"), Some(dec("150.0"))));
}

#[tokio::test]
async fn create_catalog_service_with_its_items_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/catalog_services")
                .header("content-type", "application/json")
                .json_body(request_example("create_catalog_service"));
            then.status(201).json_body(example("CatalogService"));
        })
        .await;
    let item = |b: types::builder::CatalogServiceItemCreate| -> types::CatalogServiceItemCreate { b.try_into().unwrap() };
    let items = vec![
        item(
            types::CatalogServiceItemCreate::builder()
                .kind(types::CatalogServiceItemCreateType::Item)
                .title("Setup")
                .net_total(dec("1200.0")),
        ),
        item(
            types::CatalogServiceItemCreate::builder()
                .kind(types::CatalogServiceItemCreateType::Item)
                .title("Consulting")
                .quantity(dec("20.0"))
                .unit("h")
                .unit_price(dec("150.0"))
                .net_total(dec("3000.0")),
        ),
    ];
    let response =
        client(&server).create_catalog_service().body_map(|b| b.title("Catalog entry").items(items)).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let service = response.into_inner();
    assert_eq!(service.id, 20370);
    assert_eq!(service.items.unwrap().len(), 2);
}

#[tokio::test]
async fn get_catalog_service() {
    let server = MockServer::start_async().await;
    let body = example("CatalogService");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/catalog_services/20370").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let service = client(&server).get_catalog_service(20370).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&service, &body);
    let items = service.items.unwrap();
    assert_eq!(items[1].id, 76675);
    assert_eq!(items[1].optional, Some(false));
    assert_eq!(items[1].updated_at, Some(at("2022-06-16T12:24:30Z")));
}

#[tokio::test]
async fn update_catalog_service_changes_only_the_title() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/catalog_services/20370")
                .is_true(exact_query(&[]))
                .json_body(request_example("update_catalog_service"));
            then.status(200).json_body(example("CatalogService"));
        })
        .await;
    let service = client(&server).update_catalog_service(20370).body_map(|b| b.title("Catalog entry")).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(service.title, "Catalog entry");
}

#[tokio::test]
async fn delete_catalog_service() {
    assert_deletes("/account/catalog_services/20370", 204, |client| async move {
        client.delete_catalog_service(20370).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn create_catalog_service_item_posts_under_its_service() {
    let server = MockServer::start_async().await;
    let body = example("CatalogServiceItem");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/catalog_services/20370/items")
                .header("content-type", "application/json")
                .json_body(request_example("create_catalog_service_item"));
            then.status(201).json_body(body.clone());
        })
        .await;
    let response = client(&server)
        .create_catalog_service_item(20370)
        .body_map(|b| {
            b.kind(types::CatalogServiceItemCreateType::Item)
                .title("Consulting")
                .quantity(dec("20.0"))
                .unit("h")
                .unit_price(dec("150.0"))
                .net_total(dec("3000.0"))
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let item = response.into_inner();
    assert_decoded(&item, &body);
    assert_eq!(item.id, 76675);
    assert_eq!(item.kind, Some(types::CatalogServiceItemType::Item));
}

#[tokio::test]
async fn get_catalog_service_item_takes_the_service_id_then_the_item_id() {
    let server = MockServer::start_async().await;
    let body = response_example("get_catalog_service_item");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/catalog_services/20370/items/76675").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let item = client(&server).get_catalog_service_item(20370, 76675).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&item, &body);
    assert_eq!(item.title.as_deref(), Some("Consulting"));
    assert_eq!((item.unit_cost, item.part, item.additional), (Some(dec("0.0")), Some(false), Some(false)));
    assert_eq!(item.revenue_category.unwrap().name.as_deref(), Some("Consulting"));
}

#[tokio::test]
async fn update_catalog_service_item() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/catalog_services/20370/items/76675")
                .is_true(exact_query(&[]))
                .json_body(request_example("update_catalog_service_item"));
            then.status(200).json_body(example("CatalogServiceItem"));
        })
        .await;
    let item = client(&server)
        .update_catalog_service_item(20370, 76675)
        .body_map(|b| {
            b.kind(types::CatalogServiceItemUpdateType::Item)
                .title("Consulting")
                .quantity(dec("20.0"))
                .unit("h")
                .unit_price(dec("150.0"))
                .net_total(dec("3000.0"))
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!((item.id, item.net_total), (76675, Some(dec("3000.0"))));
}

#[tokio::test]
async fn update_catalog_service_item_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/catalog_services/20370/items/113400").json_body(json!({"optional": true, "unit_cost": 80.0}));
            then.status(200).json_body(example("CatalogServiceItem"));
        })
        .await;
    client(&server).update_catalog_service_item(20370, 113400).body_map(|b| b.optional(true).unit_cost(dec("80.0"))).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_catalog_service_item() {
    assert_deletes("/account/catalog_services/20370/items/76675", 204, |client| async move {
        client.delete_catalog_service_item(20370, 76675).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn catalog_service_item_types_travel_by_their_wire_names() {
    // The request enum is closed (`page-break` is not a Rust identifier); the answer's is open.
    let server = MockServer::start_async().await;
    let mut page_break = example("CatalogServiceItem");
    page_break["type"] = json!("page-break");
    let mut subtotal = example("CatalogServiceItem");
    subtotal["type"] = json!("subtotal");
    subtotal["part"] = json!(true);
    let break_mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/catalog_services/20370/items").json_body(json!({"type": "page-break"}));
            then.status(200).json_body(page_break.clone());
        })
        .await;
    let subtotal_mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/catalog_services/20370/items/5").json_body(json!({"type": "subtotal", "part": true}));
            then.status(200).json_body(subtotal.clone());
        })
        .await;
    let client = client(&server);
    let item = client
        .create_catalog_service_item(20370)
        .body_map(|b| b.kind(types::CatalogServiceItemCreateType::PageBreak))
        .send()
        .await
        .unwrap();
    assert_eq!(item.kind, Some(types::CatalogServiceItemType::PageBreak));
    let item = client
        .update_catalog_service_item(20370, 5)
        .body_map(|b| b.kind(types::CatalogServiceItemUpdateType::Subtotal).part(true))
        .send()
        .await
        .unwrap();
    assert_eq!((item.kind, item.part), (Some(types::CatalogServiceItemType::Subtotal), Some(true)));
    break_mock.assert_async().await;
    subtotal_mock.assert_async().await;
}

#[tokio::test]
async fn create_catalog_service_item_without_a_type_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(example("CatalogServiceItem"));
        })
        .await;
    let err = client(&server).create_catalog_service_item(20370).body_map(|b| b.title("Consulting")).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("no value supplied for kind")), "{err:?}");
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn catalog_services_decode_nulls_unknown_types_and_an_empty_list() {
    let service = example("CatalogService");
    let mut sparse_items = with_nulls("CatalogService", &service);
    assert!(sparse_items["items"].is_null() && sparse_items["created_at"].is_null());
    // Items with every nullable field null, inside a service.
    sparse_items["items"] =
        Value::Array(service["items"].as_array().unwrap().iter().map(|i| with_nulls("CatalogServiceItem", i)).collect());
    let (future, changed) = with_unknown_enums("CatalogService", &service);
    assert_eq!(changed, ["$.items[0].type", "$.items[1].type"]);
    let mut numeric_cost_category = example("CatalogServiceItem");
    numeric_cost_category["revenue_category"]["cost_category"] = json!(42);

    let server = MockServer::start_async().await;
    for (id, body) in [(1, with_nulls("CatalogService", &service)), (2, sparse_items), (3, future)] {
        server
            .mock_async(|when, then| {
                moco(when, GET, &format!("/account/catalog_services/{id}"));
                then.status(200).json_body(body);
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/catalog_services/1/items/2");
            then.status(200).json_body(numeric_cost_category);
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/catalog_services");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);

    let sparse = client.get_catalog_service(1).send().await.unwrap();
    assert_eq!((sparse.id, sparse.title.as_str()), (20370, "Catalog entry"));
    assert_eq!((sparse.items, sparse.created_at, sparse.updated_at), (None, None, None));

    let service = client.get_catalog_service(2).send().await.unwrap();
    let item = &service.items.unwrap()[1];
    assert_eq!(item.id, 76675);
    assert_eq!((item.kind.clone(), item.title.clone(), item.quantity, item.net_total), (None, None, None, None));
    assert_eq!((item.optional, item.part, item.additional), (None, None, None));
    assert_eq!((item.revenue_category.clone(), item.created_at), (None, None));

    let future = client.get_catalog_service(3).send().await.unwrap();
    for item in future.items.unwrap() {
        assert_eq!(item.kind, Some(types::CatalogServiceItemType::Unknown(UNKNOWN_ENUM_VALUE.into())));
    }

    let item = client.get_catalog_service_item(1, 2).send().await.unwrap();
    let category = item.revenue_category.unwrap().cost_category;
    assert_eq!(category, Some(types::CatalogRevenueCategoryCostCategory::Variant1(Some(42))));

    assert!(client.list_catalog_services().send().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Custom properties (field definitions)

#[tokio::test]
async fn list_custom_property_definitions_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_custom_property_definitions");
    let mut query = GLOBAL_FILTERS.to_vec();
    query.push(("entity", "Project"));
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/custom_properties").is_true(exact_query(&query)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let definitions = with_global_filters!(client(&server).list_custom_property_definitions()).entity("Project").send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&definitions, &body);
    let definition = &definitions[0];
    assert_eq!((definition.id, definition.name.as_str()), (8601, "Purchase Order Number"));
    assert_eq!(definition.name_alt.as_deref(), Some("Numero Identificativo Acquisto"));
    assert_eq!(definition.placeholder.as_deref(), Some(""));
    assert_eq!(definition.entity.as_deref(), Some("Project"));
    assert_eq!(definition.kind, Some(types::CustomPropertyDefinitionKind::String));
    assert_eq!((definition.print_on_invoice, definition.print_on_offer), (Some(true), Some(false)));
    assert_eq!(definition.defaults, Some(vec![]));
    assert_eq!(definition.created_at, Some(at("2022-08-15T15:31:22Z")));
}

#[tokio::test]
async fn create_custom_property_definition_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/custom_properties")
                .header("content-type", "application/json")
                .json_body(request_example("create_custom_property_definition"));
            then.status(201).json_body(example("CustomPropertyDefinition"));
        })
        .await;
    let response = client(&server)
        .create_custom_property_definition()
        .body_map(|b| b.name("Slogan").kind(types::CustomPropertyDefinitionCreateKind::String).entity("Deal"))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 8601);
}

#[tokio::test]
async fn create_custom_property_definition_with_every_field() {
    // A selection whose options include the empty string, which the docs call valid.
    let server = MockServer::start_async().await;
    let expected = json!({
        "name": "Sector",
        "kind": "MultiSelect",
        "entity": "Customer",
        "placeholder": "Pick sectors",
        "placeholder_alt": "Branchen wählen",
        "print_on_invoice": false,
        "print_on_offer": true,
        "print_on_timesheet": false,
        "notification_enabled": false,
        "api_only": true,
        "defaults": ["", "Pharma", "Chemistry"]
    });
    let mut answer = example("CustomPropertyDefinition");
    answer["kind"] = json!("MultiSelect");
    answer["defaults"] = json!(["", "Pharma", "Chemistry"]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/custom_properties").json_body(expected.clone());
            then.status(200).json_body(answer.clone());
        })
        .await;
    let definition = client(&server)
        .create_custom_property_definition()
        .body_map(|b| {
            b.name("Sector")
                .kind(types::CustomPropertyDefinitionCreateKind::MultiSelect)
                .entity("Customer")
                .placeholder("Pick sectors")
                .placeholder_alt("Branchen wählen")
                .print_on_invoice(false)
                .print_on_offer(true)
                .print_on_timesheet(false)
                .notification_enabled(false)
                .api_only(true)
                .defaults(["", "Pharma", "Chemistry"])
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(definition.kind, Some(types::CustomPropertyDefinitionKind::MultiSelect));
    assert_eq!(definition.defaults.unwrap(), ["", "Pharma", "Chemistry"]);
}

#[tokio::test]
async fn get_custom_property_definition() {
    let server = MockServer::start_async().await;
    let body = example("CustomPropertyDefinition");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/custom_properties/8601").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let definition = client(&server).get_custom_property_definition(8601).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&definition, &body);
    assert_eq!((definition.print_on_timesheet, definition.notification_enabled), (Some(true), Some(false)));
    assert_eq!(definition.updated_at, Some(at("2022-08-15T15:31:28Z")));
}

#[tokio::test]
async fn update_custom_property_definition_uses_patch() {
    let server = MockServer::start_async().await;
    let mut answer = example("CustomPropertyDefinition");
    answer["name"] = json!("Slogan");
    answer["placeholder"] = json!("Enter your slogan here");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/account/custom_properties/8601")
                .is_true(exact_query(&[]))
                .json_body(request_example("update_custom_property_definition"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let definition = client(&server)
        .update_custom_property_definition(8601)
        .body_map(|b| b.name("Slogan").placeholder("Enter your slogan here"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(definition.name, "Slogan");
    assert_eq!(definition.placeholder.as_deref(), Some("Enter your slogan here"));
}

#[tokio::test]
async fn delete_custom_property_definition() {
    assert_deletes("/account/custom_properties/8601", 204, |client| async move {
        client.delete_custom_property_definition(8601).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn custom_property_definitions_decode_nulls_unknown_kinds_and_an_empty_list() {
    let definition = example("CustomPropertyDefinition");
    let (future, changed) = with_unknown_enums("CustomPropertyDefinition", &definition);
    assert_eq!(changed, ["$.kind"]);
    let server = MockServer::start_async().await;
    for (id, body) in [(1, with_nulls("CustomPropertyDefinition", &definition)), (2, future)] {
        server
            .mock_async(|when, then| {
                moco(when, GET, &format!("/account/custom_properties/{id}"));
                then.status(200).json_body(body);
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/custom_properties");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);

    let sparse = client.get_custom_property_definition(1).send().await.unwrap();
    assert_eq!((sparse.id, sparse.name.as_str()), (8601, "Purchase Order Number"));
    assert_eq!((sparse.name_alt, sparse.placeholder, sparse.entity), (None, None, None));
    assert_eq!((sparse.kind, sparse.defaults), (None, None));
    assert_eq!((sparse.print_on_invoice, sparse.notification_enabled, sparse.created_at), (None, None, None));

    let future = client.get_custom_property_definition(2).send().await.unwrap();
    assert_eq!(future.kind, Some(types::CustomPropertyDefinitionKind::Unknown(UNKNOWN_ENUM_VALUE.into())));

    assert!(client.list_custom_property_definitions().send().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Expense templates

#[tokio::test]
async fn list_expense_templates_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_expense_templates");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/expense_templates").is_true(exact_query(GLOBAL_FILTERS)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let templates = with_global_filters!(client(&server).list_expense_templates()).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&templates, &body);
    let template = &templates[0];
    assert_eq!((template.id, template.title.as_str()), (1, "Hosting L"));
    assert_eq!(template.unit.as_deref(), Some("month"));
    assert_eq!(template.currency.as_deref(), Some("EUR"));
    assert_eq!(template.revenue_category.as_ref().unwrap().id, 124);
}

#[tokio::test]
async fn create_expense_template_sends_prices_as_decimal_strings() {
    let server = MockServer::start_async().await;
    let request = request_example("create_expense_template");
    assert_eq!((&request["unit_price"], &request["unit_cost"]), (&json!("20.0"), &json!("15.0")));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/expense_templates").header("content-type", "application/json").json_body(request.clone());
            then.status(201).json_body(example("ExpenseTemplate"));
        })
        .await;
    let response = client(&server)
        .create_expense_template()
        .body_map(|b| {
            b.title("Hosting S")
                .description("The small hosting package")
                .unit("month")
                .unit_price(dec("20.0"))
                .unit_cost(dec("15.0"))
                .currency("EUR")
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 1);
}

#[tokio::test]
async fn get_expense_template_keeps_prices_as_decimal_strings() {
    let server = MockServer::start_async().await;
    let body = example("ExpenseTemplate");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/expense_templates/1").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let template = client(&server).get_expense_template(1).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&template, &body);
    // The decimals arrive as text, are read exactly and are written back as text, as the docs send them.
    assert_eq!((template.unit_price, template.unit_cost), (Some(dec("50.0")), Some(dec("40.0"))));
    assert_eq!(template.unit_price.unwrap().to_string(), "50.0");
    assert_eq!(serde_json::to_value(&template).unwrap()["unit_cost"], json!("40.0"));
    assert_eq!(template.created_at, Some(at("2022-09-17T18:14:31Z")));
}

#[tokio::test]
async fn update_expense_template() {
    let server = MockServer::start_async().await;
    let mut answer = example("ExpenseTemplate");
    answer["title"] = json!("Hosting Small");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/expense_templates/1").is_true(exact_query(&[])).json_body(request_example("update_expense_template"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let template = client(&server).update_expense_template(1).body_map(|b| b.title("Hosting Small")).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(template.title, "Hosting Small");
}

#[tokio::test]
async fn update_expense_template_price_is_sent_as_a_string() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/expense_templates/1").json_body(json!({"unit_price": "22.50"}));
            then.status(200).json_body(example("ExpenseTemplate"));
        })
        .await;
    client(&server).update_expense_template(1).body_map(|b| b.unit_price(dec("22.50"))).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_expense_template() {
    assert_deletes(
        "/account/expense_templates/1",
        204,
        |client| async move { client.delete_expense_template(1).send_with_response().await },
    )
    .await;
}

#[tokio::test]
async fn expense_templates_decode_nulls_and_an_empty_list() {
    let template = example("ExpenseTemplate");
    assert!(with_unknown_enums("ExpenseTemplate", &template).1.is_empty());
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/expense_templates/1");
            then.status(200).json_body(with_nulls("ExpenseTemplate", &template));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/expense_templates");
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    let sparse = client.get_expense_template(1).send().await.unwrap();
    assert_eq!((sparse.id, sparse.title.as_str()), (1, "Hosting L"));
    assert_eq!((sparse.description, sparse.unit, sparse.currency), (None, None, None));
    assert_eq!((sparse.unit_price, sparse.unit_cost), (None, None));
    assert_eq!((sparse.revenue_category, sparse.updated_at), (None, None));
    assert!(client.list_expense_templates().send().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Fixed costs

#[tokio::test]
async fn list_fixed_costs_of_one_year() {
    let server = MockServer::start_async().await;
    let body = response_example("list_fixed_costs");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/fixed_costs").is_true(exact_query(&[("year", "2020")])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let costs = client(&server).list_fixed_costs().year(2020).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&costs, &body);
    let cost = &costs[0];
    assert_eq!((cost.id, cost.title.as_deref()), (123, Some("Salaries")));
    let months = cost.costs.as_ref().unwrap();
    assert_eq!(months.len(), 3);
    assert_eq!((months[2].year, months[2].month, months[2].amount), (Some(2020), Some(3), Some(dec("100000.0"))));
    assert_eq!(cost.updated_at, Some(at("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn fixed_costs_decode_nulls_and_an_empty_list() {
    let cost = example("FixedCost");
    let mut sparse_months = cost.clone();
    sparse_months["costs"] = json!([with_nulls("FixedCostMonth", &example("FixedCostMonth"))]);
    let server = MockServer::start_async().await;
    let all = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/fixed_costs").is_true(exact_query(&[]));
            then.status(200).json_body(json!([with_nulls("FixedCost", &cost), sparse_months]));
        })
        .await;
    let client = client(&server);
    let costs = client.list_fixed_costs().send().await.unwrap();
    all.assert_async().await;
    assert_eq!((costs[0].id, costs[0].title.clone(), costs[0].description.clone()), (123, None, None));
    assert_eq!((costs[0].costs.clone(), costs[0].created_at), (None, None));
    let month = &costs[1].costs.as_ref().unwrap()[0];
    assert_eq!((month.year, month.month, month.amount), (None, None, None));

    let empty = serving("/account/fixed_costs", json!([])).await;
    assert!(self::client(&empty).list_fixed_costs().year(1999).send().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Hourly rates

#[tokio::test]
async fn get_hourly_rates_sends_both_filters_and_decodes_the_nested_report() {
    let server = MockServer::start_async().await;
    let body = response_example("get_hourly_rates");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/hourly_rates")
                .is_true(exact_query(&[("company_id", "123456"), ("include_archived_users", "true")]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let rates = client(&server).get_hourly_rates().company_id(123456).include_archived_users(true).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&rates, &body);
    let defaults = rates.defaults_rates.as_ref().unwrap();
    assert_eq!(defaults.len(), 3);
    assert_eq!((defaults[1].currency.as_deref(), defaults[1].hourly_rate), (Some("EUR"), Some(dec("150.0"))));
    let tasks = rates.tasks.as_ref().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!((tasks[2].id, tasks[2].name.as_deref()), (5006, Some("Projektleitung")));
    let lead = tasks[2].rates.as_ref().unwrap();
    assert_eq!((lead[0].currency.as_deref(), lead[0].hourly_rate), (Some("CHF"), Some(dec("170.0"))));
    let users = rates.users.as_ref().unwrap();
    assert_eq!((users[1].id, users[1].full_name.as_deref()), (933589844, Some("Peter Müller")));
    assert_eq!(users[1].rates.as_ref().unwrap()[2].hourly_rate, Some(dec("180.0")));
}

#[tokio::test]
async fn get_global_hourly_rates_decodes_nulls_and_empty_lists() {
    let rates = example("HourlyRates");
    let mut sparse_entries = rates.clone();
    sparse_entries["defaults_rates"] = json!([with_nulls("HourlyRateByCurrency", &rates["defaults_rates"][0])]);
    sparse_entries["tasks"] = json!([with_nulls("HourlyRateTask", &rates["tasks"][0])]);
    sparse_entries["users"] = json!([with_nulls("HourlyRateUser", &rates["users"][0])]);
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/hourly_rates").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(with_nulls("HourlyRates", &rates));
        })
        .await;
    let client = client(&server);
    let sparse = client.get_hourly_rates().send().await.unwrap();
    mock.assert_async().await;
    assert_eq!((sparse.defaults_rates, sparse.tasks, sparse.users), (None, None, None));

    for (body, expect_entries) in [(sparse_entries, true), (json!({"defaults_rates": [], "tasks": [], "users": []}), false)] {
        let server = serving("/account/hourly_rates", body).await;
        let rates = self::client(&server).get_hourly_rates().send().await.unwrap();
        let (defaults, tasks, users) = (rates.defaults_rates.unwrap(), rates.tasks.unwrap(), rates.users.unwrap());
        if expect_entries {
            assert_eq!((defaults[0].currency.clone(), defaults[0].hourly_rate), (None, None));
            assert_eq!((tasks[0].id, tasks[0].name.clone(), tasks[0].rates.clone()), (5004, None, None));
            assert_eq!((users[0].id, users[0].full_name.clone(), users[0].rates.clone()), (933589840, None, None));
        } else {
            assert!(defaults.is_empty() && tasks.is_empty() && users.is_empty());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Internal hourly rates

#[tokio::test]
async fn list_internal_hourly_rates_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_internal_hourly_rates");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/internal_hourly_rates")
                .is_true(exact_query(&[("years", "2020,2021"), ("unit_id", "1234"), ("include_archived", "true")]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let users = client(&server).list_internal_hourly_rates().years([2020, 2021]).unit_id(1234).include_archived(true).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&users, &body);
    assert_eq!((users[0].id, users[0].full_name.as_deref()), (933589613, Some("Daniela Demo")));
    let rates = users[0].rates.as_ref().unwrap();
    assert_eq!((rates[1].year, rates[1].rate), (Some(2021), Some(dec("130.0"))));
}

#[tokio::test]
async fn internal_hourly_rates_of_a_single_year_decode_nulls_and_an_empty_list() {
    let user = example("InternalHourlyRateUser");
    let mut sparse_year = user.clone();
    sparse_year["rates"] = json!([with_nulls("InternalHourlyRateYear", &user["rates"][0])]);
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/internal_hourly_rates").is_true(exact_query(&[("years", "2021")]));
            then.status(200).json_body(json!([with_nulls("InternalHourlyRateUser", &user), sparse_year]));
        })
        .await;
    let users = client(&server).list_internal_hourly_rates().years([2021]).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!((users[0].id, users[0].full_name.clone(), users[0].rates.clone()), (933589613, None, None));
    let year = &users[1].rates.as_ref().unwrap()[0];
    assert_eq!((year.year, year.rate), (None, None));

    let empty = serving("/account/internal_hourly_rates", json!([])).await;
    assert!(client(&empty).list_internal_hourly_rates().send().await.unwrap().is_empty());
}

fn rate(user_id: i64, rate: mocoapp::Decimal) -> types::InternalHourlyRateUserRate {
    types::InternalHourlyRateUserRate { user_id, rate }
}

#[tokio::test]
async fn update_internal_hourly_rates_sends_patch_with_the_docs_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/account/internal_hourly_rates")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("update_internal_hourly_rates"));
            then.status(204);
        })
        .await;
    let response = client(&server)
        .update_internal_hourly_rates()
        .body_map(|b| b.year(2021).rates(vec![rate(933589613, dec("140.0")), rate(933618769, dec("130.0"))]))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 204);
}

#[tokio::test]
async fn set_internal_hourly_rates_sends_put_with_the_docs_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/internal_hourly_rates")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .json_body(request_example("set_internal_hourly_rates"));
            then.status(200);
        })
        .await;
    let body = types::InternalHourlyRatesUpdate { year: 2021, rates: vec![rate(933589613, dec("140.0")), rate(933618769, dec("130.0"))] };
    let response = client(&server).set_internal_hourly_rates().body(body).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn internal_hourly_rates_without_a_year_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(204);
        })
        .await;
    let err =
        client(&server).update_internal_hourly_rates().body_map(|b| b.rates(vec![rate(933589613, dec("140.0"))])).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("year")), "{err:?}");
    anything.assert_calls_async(0).await;
}

// ---------------------------------------------------------------------------------------------
// Task templates

#[tokio::test]
async fn list_task_templates_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_task_templates");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/task_templates").is_true(exact_query(GLOBAL_FILTERS)).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let templates = with_global_filters!(client(&server).list_task_templates()).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&templates, &body);
    let template = &templates[0];
    assert_eq!((template.id, template.name.as_str()), (1, "Service A"));
    assert_eq!((template.billable, template.project_default, template.index), (Some(true), Some(true), Some(10)));
    // This docs example has a numeric cost category.
    let category = template.revenue_category.as_ref().unwrap();
    assert_eq!((category.id, category.revenue_account), (4567, Some(1000)));
    assert_eq!(category.cost_category, Some(types::CatalogRevenueCategoryCostCategory::Variant1(Some(99))));
}

#[tokio::test]
async fn create_task_template_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/task_templates")
                .header("content-type", "application/json")
                .json_body(request_example("create_task_template"));
            then.status(201).json_body(example("TaskTemplate"));
        })
        .await;
    let response = client(&server)
        .create_task_template()
        .body_map(|b| {
            b.name("Web Development")
                .description("Building the web application")
                .revenue_category_id(4567)
                .billable(true)
                .project_default(true)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 1);
}

#[tokio::test]
async fn get_task_template() {
    let server = MockServer::start_async().await;
    let body = example("TaskTemplate");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/task_templates/1").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let template = client(&server).get_task_template(1).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&template, &body);
    assert_eq!(template.description.as_deref(), Some("A description"));
    assert_eq!(template.created_at, Some(at("2025-07-17T18:14:31Z")));
}

#[tokio::test]
async fn update_task_template_sends_name_not_the_docs_title() {
    let server = MockServer::start_async().await;
    let mut answer = example("TaskTemplate");
    answer["name"] = json!("Development");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/task_templates/1").is_true(exact_query(&[])).json_body(request_example("update_task_template"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let template = client(&server).update_task_template(1).body_map(|b| b.name("Development")).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(template.name, "Development");
}

#[tokio::test]
async fn delete_task_template() {
    assert_deletes("/account/task_templates/1", 204, |client| async move { client.delete_task_template(1).send_with_response().await })
        .await;
}

#[tokio::test]
async fn task_templates_decode_nulls_and_an_empty_list() {
    let template = example("TaskTemplate");
    assert!(with_unknown_enums("TaskTemplate", &template).1.is_empty());
    let mut null_cost_category = template.clone();
    null_cost_category["revenue_category"]["cost_category"] = Value::Null;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/task_templates");
            then.status(200).json_body(json!([with_nulls("TaskTemplate", &template), null_cost_category]));
        })
        .await;
    let templates = client(&server).list_task_templates().send().await.unwrap();
    let sparse = &templates[0];
    assert_eq!((sparse.id, sparse.name.as_str()), (1, "Service A"));
    assert_eq!((sparse.description.clone(), sparse.revenue_category.clone()), (None, None));
    assert_eq!((sparse.billable, sparse.project_default, sparse.index, sparse.created_at), (None, None, None, None));
    assert_eq!(templates[1].revenue_category.as_ref().unwrap().cost_category, None);

    let empty = serving("/account/task_templates", json!([])).await;
    assert!(client(&empty).list_task_templates().send().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Web hooks

#[tokio::test]
async fn list_web_hooks_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_web_hooks");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/web_hooks")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(GLOBAL_FILTERS))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let hooks = with_global_filters!(client(&server).list_web_hooks()).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&hooks, &body);
    let hook = &hooks[0];
    assert_eq!(hook.id, 123);
    assert_eq!(hook.target, Some(types::WebHookTarget::Activity));
    assert_eq!(hook.event, Some(types::WebHookEvent::Create));
    assert_eq!(hook.hook.as_deref(), Some("https://example.org/do-stuff"));
    assert_eq!((hook.disabled, hook.disabled_at), (Some(false), None));
}

#[tokio::test]
async fn create_web_hook_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/web_hooks").header("content-type", "application/json").json_body(request_example("create_web_hook"));
            then.status(201).json_body(example("WebHook"));
        })
        .await;
    let response = client(&server)
        .create_web_hook()
        .body_map(|b| {
            b.target(types::WebHookCreateTarget::Activity).event(types::WebHookCreateEvent::Create).hook("https://example.org/do-stuff")
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let hook = response.into_inner();
    assert_eq!((hook.id, hook.target), (123, Some(types::WebHookTarget::Activity)));
}

#[tokio::test]
async fn create_web_hook_sends_namespaced_targets_by_their_wire_name() {
    let server = MockServer::start_async().await;
    let mut answer = example("WebHook");
    answer["target"] = json!("Invoice::Approval");
    answer["event"] = json!("delete");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/account/web_hooks").json_body(json!({
                "target": "Invoice::Approval",
                "event": "delete",
                "hook": "https://example.org/approvals"
            }));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let body = types::WebHookCreate {
        target: types::WebHookCreateTarget::InvoiceApproval,
        event: types::WebHookCreateEvent::Delete,
        hook: "https://example.org/approvals".into(),
    };
    let hook = client(&server).create_web_hook().body(body).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(hook.target, Some(types::WebHookTarget::InvoiceApproval));
    assert_eq!(hook.event, Some(types::WebHookEvent::Delete));
}

#[tokio::test]
async fn create_web_hook_refuses_an_unknown_target_or_event_before_sending() {
    // The request enums are closed: MOCO only accepts the documented values.
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(example("WebHook"));
        })
        .await;
    let client = client(&server);
    let err = client
        .create_web_hook()
        .body_map(|b| b.target("Invoice::Bogus").event("create").hook("https://example.org"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("target")), "{err:?}");
    let err =
        client.create_web_hook().body_map(|b| b.target("Invoice").event("archive").hook("https://example.org")).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("event")), "{err:?}");
    anything.assert_calls_async(0).await;
    assert_eq!(
        "User::PeriodLockOverride".parse::<types::WebHookCreateTarget>().unwrap(),
        types::WebHookCreateTarget::UserPeriodLockOverride
    );
}

#[tokio::test]
async fn get_web_hook_uses_the_plural_path() {
    let server = MockServer::start_async().await;
    let body = example("WebHook");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/account/web_hooks/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let hook = client(&server).get_web_hook(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&hook, &body);
    assert_eq!(hook.created_at, Some(at("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn update_web_hook_changes_only_the_url() {
    let server = MockServer::start_async().await;
    let mut answer = example("WebHook");
    answer["hook"] = json!("https://example.org/v2");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/web_hooks/123").is_true(exact_query(&[])).json_body(request_example("update_web_hook"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let hook = client(&server).update_web_hook(123).body_map(|b| b.hook("https://example.org/v2")).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(hook.hook.as_deref(), Some("https://example.org/v2"));
}

#[tokio::test]
async fn delete_web_hook() {
    assert_deletes("/account/web_hooks/123", 204, |client| async move { client.delete_web_hook(123).send_with_response().await }).await;
}

#[tokio::test]
async fn disable_and_enable_web_hook() {
    let server = MockServer::start_async().await;
    let mut disabled = example("WebHook");
    disabled["disabled"] = json!(true);
    disabled["disabled_at"] = json!("2022-05-05T10:00:00Z");
    let disable = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/web_hooks/123/disable").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(disabled.clone());
        })
        .await;
    let enable = server
        .mock_async(|when, then| {
            moco(when, PUT, "/account/web_hooks/123/enable").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(example("WebHook"));
        })
        .await;
    let client = client(&server);
    let hook = client.disable_web_hook(123).send().await.unwrap();
    assert_decoded(&hook, &disabled);
    assert_eq!((hook.disabled, hook.disabled_at), (Some(true), Some(at("2022-05-05T10:00:00Z"))));
    let hook = client.enable_web_hook(123).send().await.unwrap();
    assert_eq!((hook.disabled, hook.disabled_at), (Some(false), None));
    disable.assert_calls_async(1).await;
    enable.assert_calls_async(1).await;
}

#[tokio::test]
async fn web_hooks_decode_nulls_unknown_targets_and_events_and_an_empty_list() {
    let hook = example("WebHook");
    let (future, changed) = with_unknown_enums("WebHook", &hook);
    assert_eq!(changed, ["$.event", "$.target"]);
    let mut namespaced = hook.clone();
    namespaced["target"] = json!("User::HolidayRequest");
    namespaced["event"] = json!("update");
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/account/web_hooks");
            then.status(200).json_body(json!([with_nulls("WebHook", &hook), future, namespaced]));
        })
        .await;
    let hooks = client(&server).list_web_hooks().send().await.unwrap();
    let sparse = &hooks[0];
    assert_eq!(sparse.id, 123);
    assert_eq!((sparse.target.clone(), sparse.event.clone(), sparse.hook.clone()), (None, None, None));
    assert_eq!((sparse.disabled, sparse.disabled_at, sparse.created_at), (None, None, None));

    let unknown = &hooks[1];
    assert_eq!(unknown.target, Some(types::WebHookTarget::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(unknown.event, Some(types::WebHookEvent::Unknown(UNKNOWN_ENUM_VALUE.into())));
    // An unknown value is written back as received.
    assert_eq!(serde_json::to_value(unknown).unwrap()["target"], json!(UNKNOWN_ENUM_VALUE));

    assert_eq!(hooks[2].target, Some(types::WebHookTarget::UserHolidayRequest));
    assert_eq!(hooks[2].target.as_ref().unwrap().as_str(), "User::HolidayRequest");
    assert_eq!(hooks[2].event, Some(types::WebHookEvent::Update));

    let empty = serving("/account/web_hooks", json!([])).await;
    assert!(client(&empty).list_web_hooks().send().await.unwrap().is_empty());
}
