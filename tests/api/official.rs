//! Operations only MOCO's OpenAPI description (beta) has, not the docs (`x-source: openapi`):
//! revenue categories, user absence requests, purchase budgets' create, update, delete and yearly
//! target, offers' update and delete, and the current user's performance report. For each: the
//! exact request and the decoded answer. The PUT aliases (`x-alias-of`) share their update's
//! method and are covered by it.

use httpmock::prelude::*;
use mocoapp::{types, CustomFields, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// Revenue categories
// ---------------------------------------------------------------------------------------------

/// `example` without `key`, after checking that the example sends it as `null`. The client
/// leaves an unset optional field out of the body and has no way to write an explicit `null`
/// (see the report on `revenue_account`).
fn without_null(mut example: Value, key: &str) -> Value {
    assert_eq!(example.get(key), Some(&Value::Null), "the example sends {key}: null");
    example.as_object_mut().unwrap().remove(key);
    example
}

#[tokio::test]
async fn list_revenue_categories_sends_every_filter_and_decodes_the_example() {
    let server = MockServer::start_async().await;
    let mut body = response_example("list_revenue_categories");
    // A second category as MOCO's description shows them elsewhere: with an account number.
    body.as_array_mut().unwrap().push(json!({
        "id": 2, "name": "Design", "revenue_account": 30055, "cost_category": null, "assignment_kind": "tasks_and_expenses"
    }));
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/revenue_categories").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body()).is_true(
                exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "name desc"),
                    ("updated_after", "2024-01-01T08:00:00Z"),
                    ("ids", "1,2"),
                    ("term", "Entwicklung"),
                    ("revenue_account", "30055"),
                    ("cost_category", "KOST1"),
                ]),
            );
            then.status(200).json_body(body.clone());
        })
        .await;
    let categories = client(&server)
        .list_revenue_categories()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("name"))
        .updated_after(timestamp("2024-01-01T08:00:00Z"))
        .ids([1, 2])
        .term("Entwicklung")
        .revenue_account(30055)
        .cost_category("KOST1")
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&categories, &body);
    assert_eq!(categories.len(), 2);
    let first = &categories[0];
    assert_eq!((first.id, first.name.as_deref(), first.revenue_account), (1, Some("Entwicklung"), None));
    assert_eq!(first.cost_category.as_deref(), Some("KOST1"));
    assert_eq!(first.assignment_kind, Some(types::RevenueCategoryAssignmentKind::OnlyTasks));
    let second = &categories[1];
    assert_eq!((second.id, second.revenue_account, second.cost_category.as_deref()), (2, Some(30055), None));
    assert_eq!(second.assignment_kind, Some(types::RevenueCategoryAssignmentKind::TasksAndExpenses));
}

#[tokio::test]
async fn list_revenue_categories_streams_every_page() {
    let server = MockServer::start_async().await;
    let next = format!("<{}?page=2&term=Entwicklung>; rel=\"next\"", server.url("/api/v1/revenue_categories"));
    let mut second = example("RevenueCategory");
    second["id"] = json!(2);
    let first_page = server
        .mock_async(|when, then| {
            moco(when, GET, "/revenue_categories").is_true(exact_query(&[("term", "Entwicklung")]));
            then.status(200).header("Link", next.as_str()).json_body(json!([example("RevenueCategory")]));
        })
        .await;
    let second_page = server
        .mock_async(|when, then| {
            moco(when, GET, "/revenue_categories").is_true(exact_query(&[("term", "Entwicklung"), ("page", "2")]));
            then.status(200).json_body(json!([second.clone()]));
        })
        .await;
    let all = client(&server).list_revenue_categories().term("Entwicklung").collect_all().await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1, 2]);
    first_page.assert_async().await;
    second_page.assert_async().await;
}

#[tokio::test]
async fn get_revenue_category() {
    let server = MockServer::start_async().await;
    let body = response_example("get_revenue_category");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/revenue_categories/1")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let category = client(&server).get_revenue_category(1).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&category, &body);
    assert_eq!(category.id, 1);
    assert_eq!(category.name.as_deref(), Some("Entwicklung"));
    assert_eq!(category.revenue_account, None);
    assert_eq!(category.cost_category.as_deref(), Some("KOST1"));
    assert_eq!(category.assignment_kind, Some(types::RevenueCategoryAssignmentKind::OnlyTasks));
}

#[tokio::test]
async fn get_revenue_category_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/revenue_categories/999");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).get_revenue_category(999).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{error:?}");
}

#[test]
fn revenue_categories_decode_sparse_with_account_numbers_as_text_and_unknown_kinds() {
    let sparse = with_nulls("RevenueCategory", &example("RevenueCategory"));
    assert!(sparse["name"].is_null() && sparse["assignment_kind"].is_null());
    let category: types::RevenueCategory = serde_json::from_value(sparse).unwrap();
    assert_eq!(category.id, 1);
    assert_eq!((category.name, category.revenue_account, category.cost_category, category.assignment_kind), (None, None, None, None));

    // An account number sent as text reads as the number.
    let mut text = example("RevenueCategory");
    text["revenue_account"] = json!("30055");
    assert_eq!(serde_json::from_value::<types::RevenueCategory>(text).unwrap().revenue_account, Some(30055));

    let (future, changed) = with_unknown_enums("RevenueCategory", &example("RevenueCategory"));
    assert_eq!(changed, ["$.assignment_kind"]);
    let category: types::RevenueCategory = serde_json::from_value(future).unwrap();
    assert_eq!(category.assignment_kind, Some(types::RevenueCategoryAssignmentKind::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(serde_json::to_value(&category).unwrap()["assignment_kind"], json!(UNKNOWN_ENUM_VALUE));
}

#[tokio::test]
async fn create_revenue_category_sends_the_example_body() {
    let server = MockServer::start_async().await;
    // The example sends `revenue_account: null`; the client leaves an unset field out, which
    // for a new category means the same: no revenue account.
    let request = without_null(request_example("create_revenue_category"), "revenue_account");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/revenue_categories")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(response_example("create_revenue_category"));
        })
        .await;
    let response = client(&server)
        .create_revenue_category()
        .x_impersonate_user_id(933590696)
        .body_map(|b| {
            b.name("Entwicklung")
                .revenue_account(None::<i64>)
                .cost_category("KOST1")
                .assignment_kind(types::RevenueCategoryCreateAssignmentKind::OnlyTasks)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let category = response.into_inner();
    assert_decoded(&category, &example("RevenueCategory"));
    assert_eq!((category.id, category.name.as_deref()), (1, Some("Entwicklung")));
}

#[tokio::test]
async fn create_revenue_category_with_an_account_number() {
    let server = MockServer::start_async().await;
    let mut created = example("RevenueCategory");
    created["revenue_account"] = json!(30055);
    created["assignment_kind"] = json!("only_expenses");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/revenue_categories")
                .is_true(json_equiv(json!({"name": "Reisen", "revenue_account": 30055, "assignment_kind": "only_expenses"})));
            then.status(200).json_body(created.clone());
        })
        .await;
    let category = client(&server)
        .create_revenue_category()
        .body(types::RevenueCategoryCreate {
            name: "Reisen".into(),
            revenue_account: Some(30055),
            cost_category: None,
            assignment_kind: Some(types::RevenueCategoryCreateAssignmentKind::OnlyExpenses),
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(category.revenue_account, Some(30055));
    assert_eq!(category.assignment_kind, Some(types::RevenueCategoryAssignmentKind::OnlyExpenses));
}

#[tokio::test]
async fn create_revenue_category_without_a_name_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, POST, "/revenue_categories", example("RevenueCategory")).await;
    let error = client(&server)
        .create_revenue_category()
        .body_map(|b| b.cost_category("KOST1").assignment_kind(types::RevenueCategoryCreateAssignmentKind::OnlyTasks))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("name")), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_revenue_category_with_a_blank_name_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/revenue_categories").is_true(json_equiv(json!({"name": ""})));
            then.status(422).json_body(validation_error());
        })
        .await;
    let error = client(&server).create_revenue_category().body_map(|b| b.name("")).send().await.unwrap_err();
    assert_validation_error(&error);
}

#[tokio::test]
async fn update_revenue_category_sends_the_example_body_with_patch() {
    let server = MockServer::start_async().await;
    let request = without_null(request_example("update_revenue_category"), "revenue_account");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/revenue_categories/1")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request.clone()));
            then.status(200).json_body(response_example("update_revenue_category"));
        })
        .await;
    let category = client(&server)
        .update_revenue_category(1)
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.name("Entwicklung").cost_category("KOST1").assignment_kind(types::RevenueCategoryUpdateAssignmentKind::OnlyTasks))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&category, &example("RevenueCategory"));
    assert_eq!((category.id, category.assignment_kind), (1, Some(types::RevenueCategoryAssignmentKind::OnlyTasks)));
}

#[tokio::test]
async fn update_revenue_category_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mut updated = example("RevenueCategory");
    updated["revenue_account"] = json!(30056);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/revenue_categories/1").json_body(json!({"revenue_account": 30056}));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let category = client(&server)
        .update_revenue_category(1)
        .body(types::RevenueCategoryUpdate { revenue_account: Some(30056), ..Default::default() })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(category.revenue_account, Some(30056));
}

#[tokio::test]
async fn update_revenue_category_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, PATCH, "/revenue_categories/999");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).update_revenue_category(999).body_map(|b| b.name("Design")).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn delete_revenue_category() {
    assert_deletes("/revenue_categories/1", 204, |client| async move { client.delete_revenue_category(1).send_with_response().await })
        .await;
    assert_deletes("/revenue_categories/2", 200, |client| async move { client.delete_revenue_category(2).send_with_response().await })
        .await;
}

#[tokio::test]
async fn delete_revenue_category_ignores_the_deleted_category_in_the_answer() {
    // MOCO's description shows the deleted category as the body of the 200.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/revenue_categories/1")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(example("RevenueCategory"));
        })
        .await;
    client(&server).delete_revenue_category(1).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_revenue_category_in_use_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/revenue_categories/1");
            then.status(422).json_body(json!({"message": "Erlöskategorie wird verwendet"}));
        })
        .await;
    let error = client(&server).delete_revenue_category(1).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Erlöskategorie wird verwendet")),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// User absence requests
// ---------------------------------------------------------------------------------------------

/// The example absence request, field by field.
fn assert_example_absence_request(request: &types::AbsenceRequest) {
    assert_eq!(request.id, 4711);
    assert_eq!(request.kind, Some(types::AbsenceRequestType::Vacation));
    assert_eq!(request.status, Some(types::AbsenceRequestStatus::Pending));
    assert_eq!(request.total_days, Some(dec("1.5")));
    let days = request.days.as_ref().unwrap();
    assert_eq!(
        days,
        &[
            types::AbsenceRequestDay { date: Some(date("2024-07-01")), am: Some(true), pm: Some(true) },
            types::AbsenceRequestDay { date: Some(date("2024-07-02")), am: Some(true), pm: Some(false) },
        ]
    );
    assert_eq!(request.comment.as_deref(), Some("Sommerferien"));
    assert_eq!(request.approved_at, None);
    assert_eq!(request.created_at, Some(timestamp("2024-06-03T08:15:00Z")));
    let user = request.user.as_ref().unwrap();
    assert_eq!((user.id, user.firstname.as_deref(), user.lastname.as_deref()), (933590696, Some("Michael"), Some("Mustermann")));
    assert!(request.approver.is_none());
    let approver = request.selected_approver.as_ref().unwrap();
    assert_eq!((approver.id, approver.lastname.as_deref()), (933589840, Some("Miesel")));
}

#[tokio::test]
async fn list_absence_requests_sends_every_filter_and_decodes_the_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_absence_requests");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/absence_requests").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body()).is_true(
                exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "created_at desc"),
                    ("updated_after", "2024-06-01T00:00:00Z"),
                    ("ids", "4711,4712"),
                    ("custom_properties[Vertretung]", "Tobias Miesel"),
                    ("user_id", "933590696"),
                    ("selected_approver_id", "933589840"),
                    ("type", "vacation"),
                    ("status", "pending"),
                ]),
            );
            then.status(200).json_body(body.clone());
        })
        .await;
    let requests = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Vertretung", "Tobias Miesel"))
        .list_absence_requests()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("created_at"))
        .updated_after(timestamp("2024-06-01T00:00:00Z"))
        .ids([4711, 4712])
        .user_id(933590696)
        .selected_approver_id(933589840)
        .kind(types::ListAbsenceRequestsType::Vacation)
        .status(types::ListAbsenceRequestsStatus::Pending)
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&requests, &body);
    assert_eq!(requests.len(), 1);
    assert_example_absence_request(&requests[0]);
}

#[tokio::test]
async fn list_absence_requests_without_filters_sends_no_query_and_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/absence_requests").is_true(exact_query(&[])).header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).header("X-Total", "0").json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_absence_requests().send().await.unwrap().is_empty());
    mock.assert_async().await;
}

#[tokio::test]
async fn get_absence_request() {
    let server = MockServer::start_async().await;
    let body = response_example("get_absence_request");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/absence_requests/4711")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let request = client(&server).get_absence_request(4711).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&request, &body);
    assert_example_absence_request(&request);
}

#[tokio::test]
async fn get_absence_request_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/users/absence_requests/1");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).get_absence_request(1).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{error:?}");
}

#[test]
fn absence_requests_decode_sparse_and_approved() {
    let sparse = with_nulls("AbsenceRequest", &example("AbsenceRequest"));
    assert!(sparse["days"].is_null() && sparse["total_days"].is_null() && sparse["user"].is_null());
    let request: types::AbsenceRequest = serde_json::from_value(sparse).unwrap();
    assert_eq!(request.id, 4711);
    assert_eq!((request.kind, request.status, request.total_days), (None, None, None));
    assert_eq!((request.days, request.comment), (None, None));
    assert_eq!((request.approved_at, request.created_at, request.updated_at), (None, None, None));
    assert!(request.user.is_none() && request.approver.is_none() && request.selected_approver.is_none());
    assert!(request.custom_properties.is_none());

    // Absent dates as `""`, absent users as `{}`, a day whose fields are all null.
    let mut empty = example("AbsenceRequest");
    empty["created_at"] = json!("");
    empty["approver"] = json!({});
    empty["days"] = json!([with_nulls("AbsenceRequestDay", &example("AbsenceRequestDay"))]);
    let request: types::AbsenceRequest = serde_json::from_value(empty).unwrap();
    assert_eq!(request.created_at, None);
    assert!(request.approver.is_none());
    assert_eq!(request.days.unwrap(), [types::AbsenceRequestDay::default()]);

    // Approved: the approver and the time, the day count as text.
    let mut approved = example("AbsenceRequest");
    approved["status"] = json!("approved");
    approved["approved_at"] = json!("2024-06-04T10:00:00Z");
    approved["approver"] = json!({"id": 933589840, "firstname": "Tobias", "lastname": "Miesel"});
    approved["total_days"] = json!("1.5");
    let request: types::AbsenceRequest = serde_json::from_value(approved).unwrap();
    assert_eq!(request.status, Some(types::AbsenceRequestStatus::Approved));
    assert_eq!(request.approved_at, Some(timestamp("2024-06-04T10:00:00Z")));
    assert_eq!(request.approver.unwrap().id, 933589840);
    assert_eq!(request.total_days, Some(dec("1.5")));
}

#[test]
fn absence_requests_keep_kinds_and_states_from_the_future() {
    let (future, mut changed) = with_unknown_enums("AbsenceRequest", &example("AbsenceRequest"));
    changed.sort();
    assert_eq!(changed, ["$.status", "$.type"]);
    let request: types::AbsenceRequest = serde_json::from_value(future).unwrap();
    assert_eq!(request.kind, Some(types::AbsenceRequestType::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(request.status, Some(types::AbsenceRequestStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
    let written = serde_json::to_value(&request).unwrap();
    assert_eq!((&written["type"], &written["status"]), (&json!(UNKNOWN_ENUM_VALUE), &json!(UNKNOWN_ENUM_VALUE)));
}

#[tokio::test]
async fn create_absence_request_sends_the_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/absence_requests")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_absence_request")));
            then.status(201).json_body(response_example("create_absence_request"));
        })
        .await;
    let response = client(&server)
        .create_absence_request()
        .x_impersonate_user_id(933590696)
        .body_map(|b| {
            b.approver_user_id(933589840)
                .kind(types::AbsenceRequestCreateType::Vacation)
                .entries(vec![
                    types::AbsenceRequestEntry { date: date("2024-07-01"), am: true, pm: true },
                    types::AbsenceRequestEntry { date: date("2024-07-02"), am: true, pm: false },
                ])
                .comment("Sommerferien")
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_example_absence_request(&response.into_inner());
}

#[tokio::test]
async fn create_absence_request_with_custom_values_sends_the_ids_as_numbers() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/absence_requests").is_true(json_equiv(json!({
                "approver_user_id": 933589840,
                "type": "other",
                "entries": [{"date": "2024-08-05", "am": false, "pm": true}],
                "custom_values": [{"custom_property_id": 4312, "value": "Tobias Miesel"}]
            })));
            then.status(200).json_body(example("AbsenceRequest"));
        })
        .await;
    let custom = types::AbsenceRequestCustomValue::try_from(
        types::AbsenceRequestCustomValue::builder().custom_property_id(4312).value("Tobias Miesel"),
    )
    .unwrap();
    client(&server)
        .create_absence_request()
        .body_map(|b| {
            b.approver_user_id(933589840)
                .kind(types::AbsenceRequestCreateType::Other)
                .entries(vec![types::AbsenceRequestEntry { date: date("2024-08-05"), am: false, pm: true }])
                .custom_values(vec![custom])
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_absence_request_without_the_mandatory_fields_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, POST, "/users/absence_requests", example("AbsenceRequest")).await;
    let client = client(&server);
    // No days.
    let error = client
        .create_absence_request()
        .body_map(|b| b.approver_user_id(933589840).kind(types::AbsenceRequestCreateType::Vacation))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("entries")), "{error:?}");
    // No approver.
    let error = client
        .create_absence_request()
        .body_map(|b| {
            b.kind(types::AbsenceRequestCreateType::Vacation).entries(vec![types::AbsenceRequestEntry {
                date: date("2024-07-01"),
                am: true,
                pm: true,
            }])
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("approver_user_id")), "{error:?}");
    // No kind.
    let error = client
        .create_absence_request()
        .body_map(|b| {
            b.approver_user_id(933589840).entries(vec![types::AbsenceRequestEntry { date: date("2024-07-01"), am: true, pm: true }])
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    mock.assert_calls_async(0).await;
    // A kind outside the documented ones cannot be written.
    assert!("holiday".parse::<types::AbsenceRequestCreateType>().is_err());
}

#[tokio::test]
async fn create_absence_request_refused_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/users/absence_requests");
            then.status(422).json_body(json!({
                "message": "Abwesenheitsantrag ist ungültig",
                "errors": {"entries": ["überschneiden sich mit einer bestehenden Abwesenheit"]}
            }));
        })
        .await;
    let error = client(&server)
        .create_absence_request()
        .body_map(|b| {
            b.approver_user_id(933589840).kind(types::AbsenceRequestCreateType::Sickness).entries(vec![types::AbsenceRequestEntry {
                date: date("2024-07-01"),
                am: true,
                pm: true,
            }])
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, ref errors }
            if message.as_deref() == Some("Abwesenheitsantrag ist ungültig")
                && errors.as_ref().unwrap()["entries"][0] == "überschneiden sich mit einer bestehenden Abwesenheit"),
        "{error:?}"
    );
}

#[tokio::test]
async fn delete_absence_request_sends_the_reason_as_query() {
    for status in [204, 200] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                moco(when, DELETE, "/users/absence_requests/4711")
                    .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                    .is_true(exact_query(&[("comment", "Urlaub verschoben")]))
                    .is_true(no_body());
                then.status(status);
            })
            .await;
        let response = client(&server)
            .delete_absence_request(4711)
            .comment("Urlaub verschoben")
            .x_impersonate_user_id(933590696)
            .send_with_response()
            .await
            .unwrap();
        mock.assert_async().await;
        assert_eq!(response.status(), status);
    }
}

#[tokio::test]
async fn delete_absence_request_ignores_the_deleted_request_in_the_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/users/absence_requests/4711").is_true(exact_query(&[("comment", "Storniert & verschoben")]));
            then.status(200).json_body(example("AbsenceRequest"));
        })
        .await;
    client(&server).delete_absence_request(4711).comment("Storniert & verschoben").send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_absence_request_without_a_reason_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/users/absence_requests/4711");
            then.status(204);
        })
        .await;
    let error = client(&server).delete_absence_request(4711).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("comment")), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn delete_absence_request_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/users/absence_requests/1");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).delete_absence_request(1).comment("weg").send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Purchase budgets
// ---------------------------------------------------------------------------------------------

/// A budget as MOCO's OpenAPI description shows one: a numeric id and a cost category.
fn official_budget() -> Value {
    json!({
        "id": 21, "year": 2024, "title": "Marketing", "cost_category": "travel_expenses", "active": true,
        "target": 50000.0, "exhaused": 12500.5, "planned": 2000, "remaining": "35499.50"
    })
}

#[tokio::test]
async fn create_purchase_budget_sends_the_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/budgets")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_purchase_budget")));
            then.status(201).json_body(official_budget());
        })
        .await;
    let response = client(&server)
        .create_purchase_budget()
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.title("Marketing").cost_category("travel_expenses").active(true))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let budget = response.into_inner();
    assert_decoded(&budget, &official_budget());
    assert_eq!((budget.id, budget.year, budget.title.as_deref()), (21, Some(2024), Some("Marketing")));
    assert_eq!(budget.cost_category.as_deref(), Some("travel_expenses"));
    assert_eq!(budget.active, Some(true));
    assert_eq!(
        (budget.target, budget.exhaused, budget.planned, budget.remaining),
        (Some(dec("50000")), Some(dec("12500.5")), Some(dec("2000")), Some(dec("35499.50")))
    );
}

#[tokio::test]
async fn create_purchase_budget_decodes_the_spec_example_answer() {
    let server = MockServer::start_async().await;
    let body = response_example("create_purchase_budget");
    server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/budgets").is_true(json_equiv(json!({"title": "Betrieb – Hosting"})));
            then.status(200).json_body(body.clone());
        })
        .await;
    let budget = client(&server)
        .create_purchase_budget()
        .body(types::PurchaseBudgetCreate { title: "Betrieb – Hosting".into(), cost_category: None, active: None })
        .send()
        .await
        .unwrap();
    assert_decoded(&budget, &body);
    assert_eq!((budget.id, budget.target, budget.cost_category), (2, Some(dec("84000")), None));
}

#[tokio::test]
async fn create_purchase_budget_without_a_title_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, POST, "/purchases/budgets", example("PurchaseBudget")).await;
    let error =
        client(&server).create_purchase_budget().body_map(|b| b.cost_category("travel_expenses").active(true)).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("title")), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_purchase_budget_refused_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/purchases/budgets");
            then.status(422).json_body(validation_error());
        })
        .await;
    let error = client(&server).create_purchase_budget().body_map(|b| b.title("")).send().await.unwrap_err();
    assert_validation_error(&error);
}

#[test]
fn purchase_budgets_decode_the_official_shape_sparse() {
    let mut sparse = official_budget();
    sparse = with_nulls("PurchaseBudget", &sparse);
    assert!(sparse["cost_category"].is_null() && sparse["remaining"].is_null());
    let budget: types::PurchaseBudget = serde_json::from_value(sparse).unwrap();
    assert_eq!(budget.id, 21);
    assert_eq!((budget.year, budget.title, budget.cost_category, budget.active), (None, None, None, None));
    assert_eq!((budget.target, budget.exhaused, budget.planned, budget.remaining), (None, None, None, None));
}

#[tokio::test]
async fn update_purchase_budget_sends_the_example_body_with_patch() {
    let server = MockServer::start_async().await;
    let mut updated = official_budget();
    updated["active"] = json!(false);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/budgets/21")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("update_purchase_budget")));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let budget = client(&server)
        .update_purchase_budget(21)
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.title("Marketing").active(false))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&budget, &updated);
    assert_eq!((budget.id, budget.active, budget.title.as_deref()), (21, Some(false), Some("Marketing")));
}

#[tokio::test]
async fn update_purchase_budget_decodes_the_spec_example_answer_and_sends_only_the_cost_category() {
    let server = MockServer::start_async().await;
    let body = response_example("update_purchase_budget");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/budgets/2").json_body(json!({"cost_category": "hosting"}));
            then.status(200).json_body(body.clone());
        })
        .await;
    let budget = client(&server)
        .update_purchase_budget(2)
        .body(types::PurchaseBudgetUpdate { cost_category: Some("hosting".into()), ..Default::default() })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&budget, &body);
    assert_eq!((budget.id, budget.remaining), (2, Some(dec("13023"))));
}

#[tokio::test]
async fn update_purchase_budget_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, PATCH, "/purchases/budgets/999");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).update_purchase_budget(999).body_map(|b| b.active(false)).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { ref message } if message.as_deref() == Some("Not found")), "{error:?}");
}

#[tokio::test]
async fn update_purchase_budget_target_sends_the_example_body_with_put() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/purchases/budgets/21/target")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("update_purchase_budget_target")));
            then.status(200).json_body(official_budget());
        })
        .await;
    let budget = client(&server)
        .update_purchase_budget_target(21)
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.target_amount(50000).year(2024))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&budget, &official_budget());
    assert_eq!((budget.id, budget.year, budget.target), (21, Some(2024), Some(dec("50000"))));
}

#[tokio::test]
async fn update_purchase_budget_target_sends_an_exact_amount_and_no_year_for_the_current_one() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            // The amount as its exact decimal, not a float's rendering.
            moco(when, PUT, "/purchases/budgets/2/target").body(r#"{"target_amount":12345.67}"#);
            then.status(200).json_body(example("PurchaseBudget"));
        })
        .await;
    client(&server)
        .update_purchase_budget_target(2)
        .body(types::PurchaseBudgetTargetUpdate { target_amount: dec("12345.67"), year: None })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn update_purchase_budget_target_without_an_amount_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, PUT, "/purchases/budgets/2/target", example("PurchaseBudget")).await;
    let error = client(&server).update_purchase_budget_target(2).body_map(|b| b.year(2024)).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("target_amount")), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn update_purchase_budget_target_refused_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, PUT, "/purchases/budgets/2/target");
            then.status(422).json_body(json!({"message": "Betrag muss größer oder gleich 0 sein"}));
        })
        .await;
    let error = client(&server).update_purchase_budget_target(2).body_map(|b| b.target_amount(dec("-1"))).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Betrag muss größer oder gleich 0 sein")),
        "{error:?}"
    );
}

#[tokio::test]
async fn delete_purchase_budget() {
    assert_deletes("/purchases/budgets/21", 204, |client| async move { client.delete_purchase_budget(21).send_with_response().await })
        .await;
    assert_deletes("/purchases/budgets/2", 200, |client| async move { client.delete_purchase_budget(2).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_purchase_budget_ignores_the_deleted_budget_in_the_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/purchases/budgets/21").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(no_body());
            then.status(200).json_body(official_budget());
        })
        .await;
    client(&server).delete_purchase_budget(21).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_purchase_budget_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/purchases/budgets/999");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).delete_purchase_budget(999).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Offers: update and delete
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_offer_sends_the_example_body_with_patch() {
    let server = MockServer::start_async().await;
    let mut updated = example("Offer");
    updated["identifier"] = json!("A-2024-001");
    updated["title"] = json!("Updated Offer Title");
    updated["date"] = json!("2024-03-01");
    updated["due_date"] = json!("2024-03-31");
    updated["tags"] = json!(["Relaunch"]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offers/273")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("update_offer")));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let item = types::OfferItemUpdate::try_from(
        types::OfferItemUpdate::builder()
            .kind(types::OfferItemUpdateType::Item)
            .title("Konzeption")
            .quantity(10)
            .unit("h")
            .unit_price(180)
            .net_total(1800),
    )
    .unwrap();
    let offer = client(&server)
        .update_offer(273)
        .x_impersonate_user_id(933590696)
        .body_map(|b| {
            b.identifier("A-2024-001")
                .title("Updated Offer Title")
                .date(date("2024-03-01"))
                .due_date(date("2024-03-31"))
                .vat_code_id(42)
                .tags(["Relaunch"])
                .items(vec![item])
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&offer, &updated);
    assert_eq!(offer.id, 273);
    assert_eq!(offer.identifier.as_deref(), Some("A-2024-001"));
    assert_eq!((offer.date, offer.due_date), (Some(date("2024-03-01")), Some(date("2024-03-31"))));
    assert_eq!(offer.tags.as_deref(), Some(&["Relaunch".to_string()][..]));
    assert_eq!(offer.gross_total, Some(dec("15172.5")));
}

#[tokio::test]
async fn update_offer_changes_an_existing_position_and_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offers/273").is_true(json_equiv(json!({
                "discount": 7.5,
                "change_address": "customer",
                "recipient_address": "Acme AG\nMusterweg 1",
                "custom_properties": {"Projektart": "Relaunch"},
                "items": [
                    {"id": 1, "type": "item", "unit_price": 182.5, "optional": true},
                    {"type": "subtotal", "subtotal_type": "sub_total"}
                ]
            })));
            then.status(200).json_body(example("Offer"));
        })
        .await;
    let offer = client(&server)
        .update_offer(273)
        .body(types::OfferUpdate {
            discount: Some(dec("7.5")),
            change_address: Some(types::OfferUpdateChangeAddress::Customer),
            recipient_address: Some("Acme AG\nMusterweg 1".into()),
            custom_properties: Some(CustomFields::new().with("Projektart", "Relaunch")),
            items: Some(vec![
                types::OfferItemUpdate::try_from(
                    types::OfferItemUpdate::builder().id(1).kind(types::OfferItemUpdateType::Item).unit_price(dec("182.5")).optional(true),
                )
                .unwrap(),
                types::OfferItemUpdate::try_from(
                    types::OfferItemUpdate::builder()
                        .kind(types::OfferItemUpdateType::Subtotal)
                        .subtotal_type(types::OfferItemUpdateSubtotalType::SubTotal),
                )
                .unwrap(),
            ]),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(offer.id, 273);
    // A position without a type cannot be built.
    assert!(types::OfferItemUpdate::try_from(types::OfferItemUpdate::builder().id(1).title("Konzeption")).is_err());
}

#[tokio::test]
async fn update_offer_no_longer_editable_is_refused_with_400() {
    // MOCO answers 400 for an offer that is neither `created` nor `sent`.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offers/273");
            then.status(400).json_body(json!({"message": "Offer can not be updated"}));
        })
        .await;
    let error = client(&server).update_offer(273).body_map(|b| b.title("Neu")).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Http { status, ref message, .. } if status == 400 && message.as_deref() == Some("Offer can not be updated")),
        "{error:?}"
    );
}

#[tokio::test]
async fn update_offer_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offers/1");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).update_offer(1).body_map(|b| b.title("Neu")).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn delete_offer() {
    assert_deletes("/offers/273", 204, |client| async move { client.delete_offer(273).send_with_response().await }).await;
    assert_deletes("/offers/274", 200, |client| async move { client.delete_offer(274).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_offer_ignores_the_deleted_offer_in_the_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/offers/273").header(mocoapp::IMPERSONATE_HEADER, "933590696").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(example("Offer"));
        })
        .await;
    client(&server).delete_offer(273).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_offer_already_sent_is_refused_with_400() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/offers/273");
            then.status(400).json_body(json!({"message": "Offer can not be deleted"}));
        })
        .await;
    let error = client(&server).delete_offer(273).send().await.unwrap_err();
    assert!(matches!(error, Error::Http { status, .. } if status == 400), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn delete_offer_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/offers/1");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).delete_offer(1).send().await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Profile: performance report
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_profile_performance_report_of_a_year_decodes_the_example() {
    let server = MockServer::start_async().await;
    let body = response_example("get_profile_performance_report");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/profile/performance_report")
                .header(mocoapp::IMPERSONATE_HEADER, "933590696")
                .is_true(exact_query(&[("year", "2024")]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_profile_performance_report().year(2024).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let year = report.annually.as_ref().unwrap();
    assert_eq!(year.year, 2024);
    assert_eq!((year.employment_hours, year.target_hours), (Some(dec("2080")), Some(dec("1760"))));
    assert_eq!((year.hours_tracked_total, year.hours_billable_total), (Some(dec("430")), Some(dec("320"))));
    assert_eq!((year.variation, year.variation_until_today), (Some(dec("-55")), Some(dec("-42"))));
    let months = report.monthly.as_ref().unwrap();
    assert_eq!(months.len(), 1);
    let january = &months[0];
    assert_eq!((january.year, january.month), (2024, 1));
    assert_eq!((january.target_hours, january.hours_tracked_total), (Some(dec("147")), Some(dec("132"))));
    assert_eq!((january.variation, january.hours_billable_total), (Some(dec("-15")), Some(dec("100"))));
}

#[tokio::test]
async fn get_profile_performance_report_without_a_year_sends_no_query_and_keeps_fractions_exact() {
    let server = MockServer::start_async().await;
    // The shape of the schema's example: fractional hours, which must stay exact.
    let body = example("UserPerformanceReport");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/profile/performance_report").is_true(exact_query(&[])).header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_profile_performance_report().send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let year = report.annually.unwrap();
    assert_eq!((year.hours_tracked_total, year.variation), (Some(dec("210.95")), Some(dec("-1395.45"))));
    assert_eq!(report.monthly.unwrap()[1].variation, Some(dec("-50.76")));
}

#[test]
fn a_sparse_profile_performance_report_decodes() {
    let sparse = with_nulls("UserPerformanceReport", &example("UserPerformanceReport"));
    let report: types::UserPerformanceReport = serde_json::from_value(sparse).unwrap();
    assert!(report.annually.is_none() && report.monthly.is_none());
    // A year not yet started: the parts there, their figures null.
    let mut empty = example("UserPerformanceReport");
    empty["annually"] = with_nulls("UserPerformanceReportYear", &empty["annually"]);
    empty["monthly"] = json!([with_nulls("UserPerformanceReportMonth", &empty["monthly"][0])]);
    let report: types::UserPerformanceReport = serde_json::from_value(empty).unwrap();
    let year = report.annually.unwrap();
    assert_eq!((year.year, year.target_hours, year.variation_until_today), (2021, None, None));
    let month = &report.monthly.unwrap()[0];
    assert_eq!((month.month, month.target_hours, month.hours_tracked_total), (1, None, None));
}

#[tokio::test]
async fn get_profile_performance_report_of_a_year_out_of_range_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/profile/performance_report").is_true(exact_query(&[("year", "1999")]));
            then.status(422).json_body(json!({"message": "year must be between 2000 and 2100"}));
        })
        .await;
    let error = client(&server).get_profile_performance_report().year(1999).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("year must be between 2000 and 2100")),
        "{error:?}"
    );
}
