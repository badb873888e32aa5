//! The resources only MOCO's OpenAPI description (beta) has, not the docs (`x-source: openapi`):
//! approvals (with approve and deny), offer confirmations (with the PDF), planned purchases and
//! to-dos. For each operation: the exact request, the decoded answer (sparse, in the real-world
//! form, with values from the future) and the refusals; for each resource a stateful round trip
//! against the built-in fake. The PUT aliases (`x-alias-of`) share their update's method and are
//! covered by it.
//!
//! The `#[ignore]`d tests at the end of each section pin down what the fake does not do yet for
//! these resources (see their reasons); they fail until it does.

use httpmock::prelude::*;
use moco_fake::FakeMoco;
use mocoapp::{types, CustomFields, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// The user the requests impersonate.
const ACTING_USER: &str = "933590696";

/// A mock answering `method path` with MOCO's 404.
async fn not_found_at<'a>(server: &'a MockServer, method: httpmock::Method, path: &str) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            moco(when, method, path);
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await
}

/// Asserts that `error` is MOCO's 404 with the message `not_found_at` answers.
fn assert_not_found(error: &Error) {
    assert!(matches!(error, Error::NotFound { message } if message.as_deref() == Some("Not found")), "{error:?}");
}

/// Asserts that `error` is the fake's 404 for `id`.
fn assert_fake_not_found(error: &Error, id: i64) {
    assert!(matches!(error, Error::NotFound { message: Some(message) } if message.contains(&format!("'id'={id}"))), "{error:?}");
}

fn user(id: i64, firstname: &str, lastname: &str) -> types::UserRef {
    types::UserRef { id, firstname: Some(firstname.into()), lastname: Some(lastname.into()) }
}

/// A fake with the default dataset.
async fn fake() -> FakeMoco {
    FakeMoco::start(Default::default()).await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// Approvals
// ---------------------------------------------------------------------------------------------

/// The example approval, field by field.
fn assert_example_approval(approval: &types::Approval) {
    assert_eq!(approval.id, 480811249);
    assert_eq!(approval.status, Some(types::ApprovalStatus::Pending));
    assert_eq!(approval.target_type, Some(types::ApprovalTargetType::Purchase));
    assert_eq!(approval.created_at, Some(timestamp("2024-03-21T09:00:00Z")));
    assert_eq!(approval.updated_at, Some(timestamp("2024-03-21T12:00:00Z")));
    assert_eq!(approval.decided_at, None);
    assert_eq!(approval.note.as_deref(), Some("review pls"));
    assert_eq!(approval.deny_note, None);
    assert_eq!(approval.creator, Some(user(433109936, "Tobias", "Minder")));
    assert_eq!(approval.approver, Some(user(933590696, "Michael", "Mustermann")));
    assert_eq!((&approval.approver2, &approval.processed_by), (&None, &None));
    assert_eq!(
        approval.target,
        Some(types::ApprovalTarget {
            id: 1234567,
            title: Some("Server hosting".into()),
            date: Some(date("2024-03-20")),
            net_total: Some(dec("500")),
            currency: Some("CHF".into()),
        })
    );
}

/// The example approval after a decision: its state, when, by whom (and why, for a denial).
fn decided_approval(status: &str, deny_note: Option<&str>) -> Value {
    let mut decided = example("Approval");
    decided["status"] = json!(status);
    decided["decided_at"] = json!("2024-03-22T07:30:00Z");
    decided["updated_at"] = json!("2024-03-22T07:30:00Z");
    decided["processed_by"] = json!({"id": 933590696, "firstname": "Michael", "lastname": "Mustermann"});
    decided["deny_note"] = json!(deny_note);
    decided
}

#[tokio::test]
async fn list_approvals_sends_every_filter_and_decodes_the_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_approvals");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/approvals").header(mocoapp::IMPERSONATE_HEADER, ACTING_USER).is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "created_at desc"),
                ("updated_after", "2024-03-01T00:00:00Z"),
                ("ids", "480811249,480811250"),
                ("type", "purchase"),
                ("approver_user_id", "933590696"),
                ("creator_user_id", "433109936"),
                ("approval_status", "pending"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let approvals = client(&server)
        .list_approvals()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("created_at"))
        .updated_after(timestamp("2024-03-01T00:00:00Z"))
        .ids([480811249, 480811250])
        .kind(types::ListApprovalsType::Purchase)
        .approver_user_id(933590696)
        .creator_user_id(433109936)
        .approval_status(types::ListApprovalsApprovalStatus::Pending)
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&approvals, &body);
    assert_eq!(approvals.len(), 1);
    assert_example_approval(&approvals[0]);
}

#[tokio::test]
async fn list_approvals_of_invoices_decided_streams_every_page() {
    let server = MockServer::start_async().await;
    let filters = [("type", "invoice"), ("approval_status", "denied")];
    let next = format!("<{}?page=2&type=invoice&approval_status=denied>; rel=\"next\"", server.url("/api/v1/approvals"));
    let mut first = decided_approval("denied", Some("Nicht im Budget"));
    first["target_type"] = json!("invoice");
    let mut second = first.clone();
    second["id"] = json!(480811250);
    let first_page = server
        .mock_async(|when, then| {
            moco(when, GET, "/approvals").is_true(exact_query(&filters)).header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).header("Link", next.as_str()).header("X-Total", "2").json_body(json!([first.clone()]));
        })
        .await;
    let second_page = server
        .mock_async(|when, then| {
            moco(when, GET, "/approvals").is_true(exact_query(&[filters[0], filters[1], ("page", "2")]));
            then.status(200).header("X-Total", "2").json_body(json!([second.clone()]));
        })
        .await;
    let all = client(&server)
        .list_approvals()
        .kind(types::ListApprovalsType::Invoice)
        .approval_status(types::ListApprovalsApprovalStatus::Denied)
        .collect_all()
        .await
        .unwrap();
    first_page.assert_async().await;
    second_page.assert_async().await;
    assert_eq!(all.iter().map(|a| a.id).collect::<Vec<_>>(), [480811249, 480811250]);
    for approval in &all {
        assert_eq!(approval.status, Some(types::ApprovalStatus::Denied));
        assert_eq!(approval.target_type, Some(types::ApprovalTargetType::Invoice));
        assert_eq!(approval.deny_note.as_deref(), Some("Nicht im Budget"));
    }
}

#[tokio::test]
async fn get_approval() {
    let server = MockServer::start_async().await;
    let body = response_example("get_approval");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/approvals/480811249")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let approval = client(&server).get_approval(480811249).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&approval, &body);
    assert_example_approval(&approval);
}

#[tokio::test]
async fn get_approval_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, GET, "/approvals/999").await;
    assert_not_found(&client(&server).get_approval(999).send().await.unwrap_err());
}

#[test]
fn approvals_decode_sparse_and_in_the_real_world_form() {
    let sparse = with_nulls("Approval", &example("Approval"));
    assert!(sparse["status"].is_null() && sparse["target"].is_null() && sparse["creator"].is_null());
    let approval: types::Approval = serde_json::from_value(sparse).unwrap();
    assert_eq!(approval.id, 480811249);
    assert_eq!((approval.status, approval.target_type), (None, None));
    assert_eq!((approval.note, approval.deny_note), (None, None));
    assert_eq!((approval.decided_at, approval.created_at, approval.updated_at), (None, None, None));
    assert!(approval.creator.is_none() && approval.approver.is_none() && approval.approver2.is_none());
    assert!(approval.processed_by.is_none() && approval.target.is_none());

    // A target with its fields null.
    let mut bare_target = example("Approval");
    bare_target["target"] = with_nulls("ApprovalTarget", &example("ApprovalTarget"));
    let target = serde_json::from_value::<types::Approval>(bare_target).unwrap().target.unwrap();
    assert_eq!(target, types::ApprovalTarget { id: 1234567, title: None, date: None, net_total: None, currency: None });

    // As MOCO's servers send it: absent times as "", absent users as {}, the amount as text.
    let mut real = example("Approval");
    real["decided_at"] = json!("");
    real["approver2"] = json!({});
    real["processed_by"] = json!({});
    real["target"]["net_total"] = json!("500.00");
    real["target"]["date"] = json!("");
    let approval: types::Approval = serde_json::from_value(real).unwrap();
    assert_eq!(approval.decided_at, None);
    assert!(approval.approver2.is_none() && approval.processed_by.is_none());
    let target = approval.target.unwrap();
    assert_eq!((target.net_total, target.date), (Some(dec("500.00")), None));

    // Decided, with a second approver.
    let mut decided = decided_approval("denied", Some("Nicht im Budget"));
    decided["approver2"] = json!({"id": 433109937, "firstname": "Tina", "lastname": "Graf"});
    let approval: types::Approval = serde_json::from_value(decided).unwrap();
    assert_eq!(approval.status, Some(types::ApprovalStatus::Denied));
    assert_eq!(approval.decided_at, Some(timestamp("2024-03-22T07:30:00Z")));
    assert_eq!(approval.deny_note.as_deref(), Some("Nicht im Budget"));
    assert_eq!(approval.approver2, Some(user(433109937, "Tina", "Graf")));
    assert_eq!(approval.processed_by, Some(user(933590696, "Michael", "Mustermann")));
}

#[test]
fn approvals_keep_states_and_target_kinds_from_the_future() {
    let (future, mut changed) = with_unknown_enums("Approval", &example("Approval"));
    changed.sort();
    assert_eq!(changed, ["$.status", "$.target_type"]);
    let approval: types::Approval = serde_json::from_value(future).unwrap();
    assert_eq!(approval.status, Some(types::ApprovalStatus::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(approval.target_type, Some(types::ApprovalTargetType::Unknown(UNKNOWN_ENUM_VALUE.into())));
    let written = serde_json::to_value(&approval).unwrap();
    assert_eq!((&written["status"], &written["target_type"]), (&json!(UNKNOWN_ENUM_VALUE), &json!(UNKNOWN_ENUM_VALUE)));
    // A filter value outside the documented ones cannot be written.
    assert!("withdrawn".parse::<types::ListApprovalsApprovalStatus>().is_err());
    assert!("offer".parse::<types::ApprovalCreateTargetType>().is_err());
}

#[tokio::test]
async fn create_approval_sends_the_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, "433109936")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_approval")));
            then.status(201).json_body(response_example("create_approval"));
        })
        .await;
    let response = client(&server)
        .create_approval()
        .x_impersonate_user_id(433109936)
        .body_map(|b| b.target_type(types::ApprovalCreateTargetType::Purchase).target_id(1234567).approver_id(933590696).note("review pls"))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let approval = response.into_inner();
    assert_decoded(&approval, &example("Approval"));
    assert_example_approval(&approval);
}

#[tokio::test]
async fn create_approval_of_an_invoice_with_a_second_approver() {
    let server = MockServer::start_async().await;
    let mut created = example("Approval");
    created["target_type"] = json!("invoice");
    created["note"] = Value::Null;
    created["approver2"] = json!({"id": 433109937, "firstname": "Tina", "lastname": "Graf"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals").is_true(json_equiv(json!({
                "target_type": "invoice", "target_id": 80547, "approver_id": 933590696, "approver2_id": 433109937
            })));
            then.status(200).json_body(created.clone());
        })
        .await;
    let approval = client(&server)
        .create_approval()
        .body(types::ApprovalCreate {
            target_type: types::ApprovalCreateTargetType::Invoice,
            target_id: 80547,
            approver_id: 933590696,
            approver2_id: Some(433109937),
            note: None,
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(approval.target_type, Some(types::ApprovalTargetType::Invoice));
    assert_eq!(approval.note, None);
    assert_eq!(approval.approver2, Some(user(433109937, "Tina", "Graf")));
}

#[tokio::test]
async fn create_approval_without_the_mandatory_fields_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, POST, "/approvals", example("Approval")).await;
    let client = client(&server);
    let purchase = types::ApprovalCreateTargetType::Purchase;
    // No kind of target.
    let error = client.create_approval().body_map(|b| b.target_id(1234567).approver_id(933590696)).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("target_type")), "{error:?}");
    // No target.
    let error = client.create_approval().body_map(|b| b.target_type(purchase).approver_id(933590696)).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("target_id")), "{error:?}");
    // No approver (a second one alone is not enough).
    let error = client
        .create_approval()
        .body_map(|b| b.target_type(purchase).target_id(1234567).approver2_id(433109937).note("review pls"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("approver_id")), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_approval_refused_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals");
            then.status(422).json_body(json!({
                "message": "Freigabe ist ungültig",
                "errors": {"target": ["hat bereits eine offene Freigabe"]}
            }));
        })
        .await;
    let error = client(&server)
        .create_approval()
        .body_map(|b| b.target_type(types::ApprovalCreateTargetType::Purchase).target_id(1234567).approver_id(933590696))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, ref errors }
            if message.as_deref() == Some("Freigabe ist ungültig")
                && errors.as_ref().unwrap()["target"][0] == "hat bereits eine offene Freigabe"),
        "{error:?}"
    );
}

#[tokio::test]
async fn approve_approval_sends_no_body_and_decodes_the_approved_request() {
    let server = MockServer::start_async().await;
    // The spec's answer (the approval) once approved.
    let approved = decided_approval("approved", None);
    assert_eq!(approved["id"], response_example("approve_approval")["id"]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/approve")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(approved.clone());
        })
        .await;
    let approval = client(&server).approve_approval(480811249).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&approval, &approved);
    assert_eq!(approval.id, 480811249);
    assert_eq!(approval.status, Some(types::ApprovalStatus::Approved));
    assert_eq!(approval.decided_at, Some(timestamp("2024-03-22T07:30:00Z")));
    assert_eq!(approval.processed_by, Some(user(933590696, "Michael", "Mustermann")));
    assert_eq!((approval.note.as_deref(), approval.deny_note), (Some("review pls"), None));
}

#[tokio::test]
async fn approve_approval_decodes_the_spec_example_answer() {
    let server = MockServer::start_async().await;
    let body = response_example("approve_approval");
    server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/approve").header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).json_body(body.clone());
        })
        .await;
    let approval = client(&server).approve_approval(480811249).send().await.unwrap();
    assert_decoded(&approval, &body);
    assert_example_approval(&approval);
}

#[tokio::test]
async fn approve_approval_by_someone_not_asked_is_forbidden_and_of_an_unknown_id_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/approve").header(mocoapp::IMPERSONATE_HEADER, "433109936");
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    not_found_at(&server, POST, "/approvals/999/approve").await;
    let client = client(&server);
    let error = client.approve_approval(480811249).x_impersonate_user_id(433109936).send().await.unwrap_err();
    assert!(matches!(error, Error::Forbidden { ref message } if message.as_deref() == Some("Keine Berechtigung")), "{error:?}");
    assert_not_found(&client.approve_approval(999).send().await.unwrap_err());
}

#[tokio::test]
async fn approve_approval_already_decided_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/approve");
            then.status(422).json_body(json!({"message": "Freigabe wurde bereits bearbeitet"}));
        })
        .await;
    let error = client(&server).approve_approval(480811249).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Freigabe wurde bereits bearbeitet")),
        "{error:?}"
    );
}

#[tokio::test]
async fn deny_approval_sends_the_example_body() {
    let server = MockServer::start_async().await;
    let denied = decided_approval("denied", Some("Not in this year's budget"));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/deny")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("deny_approval")));
            then.status(200).json_body(denied.clone());
        })
        .await;
    let approval = client(&server)
        .deny_approval(480811249)
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.note("Not in this year's budget"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&approval, &denied);
    assert_eq!(approval.status, Some(types::ApprovalStatus::Denied));
    assert_eq!(approval.deny_note.as_deref(), Some("Not in this year's budget"));
    // The requester's note stays what it was.
    assert_eq!(approval.note.as_deref(), Some("review pls"));
    assert_eq!(approval.processed_by.map(|u| u.id), Some(933590696));
}

#[tokio::test]
async fn deny_approval_without_a_reason_sends_an_empty_object() {
    let server = MockServer::start_async().await;
    let denied = decided_approval("denied", None);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/deny").is_true(exact_query(&[])).json_body(json!({}));
            then.status(200).json_body(denied.clone());
        })
        .await;
    let client = client(&server);
    let approval = client.deny_approval(480811249).send().await.unwrap();
    assert_eq!((approval.status, approval.deny_note), (Some(types::ApprovalStatus::Denied), None));
    client.deny_approval(480811249).body(types::ApprovalDeny { note: None }).send().await.unwrap();
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn deny_approval_already_decided_is_unprocessable_and_of_an_unknown_id_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/approvals/480811249/deny");
            then.status(422).json_body(json!({"message": "Freigabe wurde bereits bearbeitet"}));
        })
        .await;
    not_found_at(&server, POST, "/approvals/999/deny").await;
    let client = client(&server);
    let error = client.deny_approval(480811249).body_map(|b| b.note("zu spät")).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Freigabe wurde bereits bearbeitet")),
        "{error:?}"
    );
    assert_not_found(&client.deny_approval(999).send().await.unwrap_err());
}

#[tokio::test]
async fn delete_approval() {
    assert_deletes("/approvals/480811249", 204, |client| async move { client.delete_approval(480811249).send_with_response().await }).await;
    assert_deletes("/approvals/480811250", 200, |client| async move { client.delete_approval(480811250).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_approval_ignores_the_deleted_approval_in_the_answer() {
    // MOCO's description shows the deleted approval as the body of the 200.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/approvals/480811249")
                .header(mocoapp::IMPERSONATE_HEADER, "433109936")
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(example("Approval"));
        })
        .await;
    client(&server).delete_approval(480811249).x_impersonate_user_id(433109936).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_approval_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, DELETE, "/approvals/999").await;
    assert_not_found(&client(&server).delete_approval(999).send().await.unwrap_err());
}

#[tokio::test]
async fn approvals_round_trip_against_the_fake() {
    let fake = fake().await;
    let client = fake.client();
    let before = client.list_approvals().collect_all().await.unwrap();
    assert!(!before.is_empty(), "the fake seeds approvals");
    // The seeded ones decode from the fake's real-world answers ("500.00", {} for no one).
    assert!(before.iter().all(|a| a.target.as_ref().is_some_and(|t| t.net_total == Some(dec("500")))));

    let purchase = client.list_purchases().per_page(1).send().await.unwrap().remove(0);
    let approver = client.list_users().send().await.unwrap().into_iter().find(|u| u.id != fake.owner_id()).unwrap();
    let created = client
        .create_approval()
        .body_map(|b| {
            b.target_type(types::ApprovalCreateTargetType::Purchase).target_id(purchase.id).approver_id(approver.id).note("Bitte prüfen")
        })
        .send()
        .await
        .unwrap();
    assert!(before.iter().all(|a| a.id < created.id), "ids increase");
    assert_eq!(created.target_type, Some(types::ApprovalTargetType::Purchase));
    assert_eq!(created.note.as_deref(), Some("Bitte prüfen"));
    assert_eq!(created.status, Some(types::ApprovalStatus::Pending));
    assert!((chrono::Utc::now() - created.created_at.unwrap()).num_seconds().abs() < 60, "created_at from the clock");

    assert_eq!(client.get_approval(created.id).send().await.unwrap(), created);
    let listed = client.list_approvals().collect_all().await.unwrap();
    assert_eq!(listed.len(), before.len() + 1);
    assert_eq!(listed.iter().find(|a| a.id == created.id), Some(&created));

    // Approve answers with the approval (what it changes: see the ignored test below).
    assert_eq!(client.approve_approval(created.id).send().await.unwrap().id, created.id);

    client.delete_approval(created.id).send().await.unwrap();
    assert_fake_not_found(&client.get_approval(created.id).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.approve_approval(created.id).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.delete_approval(created.id).send().await.unwrap_err(), created.id);
    assert_eq!(client.list_approvals().collect_all().await.unwrap(), before);

    // The fake checks the body against the spec too (the typed client would not send this).
    let refused =
        client.request(reqwest::Method::POST, "/approvals").json(&json!({"target_id": 1, "approver_id": 2})).send::<Value>().await;
    assert!(
        matches!(refused, Err(Error::Unprocessable { ref errors, .. }) if errors.as_ref().is_some_and(|e| e.get("target_type").is_some())),
        "{refused:?}"
    );
}

/// What the fake does not do for approvals yet:
/// - `approver_id`, `approver2_id` and `target_id` do not fill `approver`, `approver2` and
///   `target` (fake/src/store.rs `ref_target` knows none of these names): a created approval
///   shows the example's approver 933590696 (no user of the fake) and target 1234567;
/// - the caller does not become the `creator` (the example's 433109936 stays);
/// - approve and deny change nothing (fake/src/handlers.rs `apply_action` has no `approve` or
///   `deny`): `status` stays `pending`, `decided_at` and `processed_by` empty;
/// - deny's `{"note": ..}` is merged into the approval, so the reason overwrites the requester's
///   `note` and `deny_note` stays null;
/// - list_approvals' own filters (`type`, `approval_status`, `approver_user_id`,
///   `creator_user_id`) name no field of `Approval`, so the fake ignores them.
#[tokio::test]
#[ignore = "moco-fake does not link an approval's users and target nor record decisions (see the doc comment)"]
async fn the_fake_links_approvals_and_records_decisions() {
    let fake = fake().await;
    let client = fake.client();
    let purchase = client.list_purchases().per_page(1).send().await.unwrap().remove(0);
    let approver = client.list_users().send().await.unwrap().into_iter().find(|u| u.id != fake.owner_id()).unwrap();
    let created = client
        .create_approval()
        .body_map(|b| {
            b.target_type(types::ApprovalCreateTargetType::Purchase).target_id(purchase.id).approver_id(approver.id).note("Bitte prüfen")
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.approver.as_ref().map(|u| u.id), Some(approver.id), "approver_id names the approver");
    assert_eq!(created.creator.as_ref().map(|u| u.id), Some(fake.owner_id()), "the caller becomes the creator");
    assert_eq!(created.target.as_ref().map(|t| t.id), Some(purchase.id), "target_id names the target");

    let mine = client.list_approvals().creator_user_id(fake.owner_id()).approver_user_id(approver.id).collect_all().await.unwrap();
    assert_eq!(mine.iter().map(|a| a.id).collect::<Vec<_>>(), [created.id], "the filters narrow the list");
    assert!(client.list_approvals().approval_status(types::ListApprovalsApprovalStatus::Approved).collect_all().await.unwrap().is_empty());

    let approved = client.approve_approval(created.id).x_impersonate_user_id(approver.id).send().await.unwrap();
    assert_eq!(approved.status, Some(types::ApprovalStatus::Approved));
    assert!(approved.decided_at.is_some());
    assert_eq!(approved.processed_by.map(|u| u.id), Some(approver.id));

    let other = client
        .create_approval()
        .body_map(|b| {
            b.target_type(types::ApprovalCreateTargetType::Purchase).target_id(purchase.id).approver_id(approver.id).note("Bitte prüfen")
        })
        .send()
        .await
        .unwrap();
    let denied =
        client.deny_approval(other.id).x_impersonate_user_id(approver.id).body_map(|b| b.note("Nicht im Budget")).send().await.unwrap();
    assert_eq!(denied.status, Some(types::ApprovalStatus::Denied));
    assert_eq!(denied.deny_note.as_deref(), Some("Nicht im Budget"));
    assert_eq!(denied.note.as_deref(), Some("Bitte prüfen"), "the requester's note stays");
}

// ---------------------------------------------------------------------------------------------
// Offer confirmations
// ---------------------------------------------------------------------------------------------

/// A PDF with bytes that are not valid UTF-8, to be sure the client hands them out untouched.
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog>>\nstream\n\x00\xff\xfe\x80\x81\nendstream\n%%EOF\n";

/// The example offer confirmation, field by field.
fn assert_example_offer_confirmation(confirmation: &types::OfferConfirmationDetail) {
    assert_eq!(confirmation.id, 123456);
    assert_eq!(confirmation.date, Some(date("2024-03-15")));
    assert_eq!(confirmation.title.as_deref(), Some("Auftragsbestätigung – Website Relaunch"));
    assert_eq!(confirmation.salutation_raw.as_deref(), Some("<p>Vielen Dank für Ihren Auftrag.</p>"));
    assert_eq!(confirmation.footer_raw.as_deref(), Some("<p>Freundliche Grüsse<br>Michael Mustermann</p>"));
    assert_eq!(confirmation.file_url.as_deref(), Some("http://example.mocoapp.com/api/v1/offer_confirmations/123456.pdf"));
    assert_eq!(confirmation.user, Some(user(933590696, "Michael", "Mustermann")));
    assert_eq!(
        confirmation.offer,
        Some(types::OfferRef { id: 991122, identifier: Some("O-2024-014".into()), title: Some("Website Relaunch".into()) })
    );
    assert_eq!((confirmation.created_at, confirmation.updated_at), (None, None));
}

#[tokio::test]
async fn list_offer_confirmations_sends_every_filter_and_decodes_the_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_offer_confirmations");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offer_confirmations").header(mocoapp::IMPERSONATE_HEADER, ACTING_USER).is_true(no_body()).is_true(
                exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "date desc"),
                    ("updated_after", "2024-03-01T00:00:00Z"),
                    ("ids", "123456,123457"),
                    ("offer_id", "991122,991123"),
                ]),
            );
            then.status(200).json_body(body.clone());
        })
        .await;
    let confirmations = client(&server)
        .list_offer_confirmations()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("date"))
        .updated_after(timestamp("2024-03-01T00:00:00Z"))
        .ids([123456, 123457])
        .offer_id([991122, 991123])
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&confirmations, &body);
    assert_eq!(confirmations.len(), 1);
    assert_example_offer_confirmation(&confirmations[0]);
}

#[tokio::test]
async fn list_offer_confirmations_of_one_offer_sends_one_id_and_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offer_confirmations")
                .is_true(exact_query(&[("offer_id", "991122")]))
                .header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).header("X-Total", "0").json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_offer_confirmations().offer_id([991122]).send().await.unwrap().is_empty());
    mock.assert_async().await;
}

#[tokio::test]
async fn get_offer_confirmation() {
    let server = MockServer::start_async().await;
    let body = response_example("get_offer_confirmation");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/offer_confirmations/123456")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let confirmation = client(&server).get_offer_confirmation(123456).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&confirmation, &body);
    assert_example_offer_confirmation(&confirmation);
}

#[tokio::test]
async fn get_offer_confirmation_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, GET, "/offer_confirmations/999").await;
    assert_not_found(&client(&server).get_offer_confirmation(999).send().await.unwrap_err());
}

#[test]
fn offer_confirmations_decode_sparse_and_in_the_real_world_form() {
    let sparse = with_nulls("OfferConfirmationDetail", &example("OfferConfirmationDetail"));
    assert!(sparse["salutation_raw"].is_null() && sparse["footer_raw"].is_null() && sparse["offer"].is_null());
    let confirmation: types::OfferConfirmationDetail = serde_json::from_value(sparse).unwrap();
    assert_eq!(confirmation.id, 123456);
    assert_eq!((confirmation.date, confirmation.title, confirmation.file_url), (None, None, None));
    assert_eq!((confirmation.salutation_raw, confirmation.footer_raw), (None, None));
    assert!(confirmation.user.is_none() && confirmation.offer.is_none());

    // An offer without number and title.
    let mut bare_offer = example("OfferConfirmationDetail");
    bare_offer["offer"] = with_nulls("OfferRef", &example("OfferRef"));
    let offer = serde_json::from_value::<types::OfferConfirmationDetail>(bare_offer).unwrap().offer.unwrap();
    assert_eq!(offer, types::OfferRef { id: 991122, identifier: None, title: None });

    // As MOCO's servers send it: "" for no date, {} for no user; the times of the short form.
    let mut real = example("OfferConfirmationDetail");
    real["date"] = json!("");
    real["user"] = json!({});
    real["created_at"] = json!("2024-03-15T10:00:00Z");
    real["updated_at"] = json!("");
    let confirmation: types::OfferConfirmationDetail = serde_json::from_value(real).unwrap();
    assert_eq!((confirmation.date, confirmation.user), (None, None));
    assert_eq!((confirmation.created_at, confirmation.updated_at), (Some(timestamp("2024-03-15T10:00:00Z")), None));
    assert_eq!(confirmation.offer.unwrap().id, 991122);
}

#[tokio::test]
async fn create_offer_confirmation_sends_the_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/offer_confirmations")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_offer_confirmation")));
            then.status(201).json_body(response_example("create_offer_confirmation"));
        })
        .await;
    let response = client(&server)
        .create_offer_confirmation()
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.offer_id(991122).title("Auftragsbestätigung – Website Relaunch").date(date("2024-03-15")))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let confirmation = response.into_inner();
    assert_decoded(&confirmation, &example("OfferConfirmationDetail"));
    assert_example_offer_confirmation(&confirmation);
}

#[tokio::test]
async fn create_offer_confirmation_with_only_the_offer_or_with_its_texts() {
    let server = MockServer::start_async().await;
    let only_offer = server
        .mock_async(|when, then| {
            // Title, date and texts left to MOCO's defaults.
            moco(when, POST, "/offer_confirmations").json_body(json!({"offer_id": 991122}));
            then.status(200).json_body(example("OfferConfirmationDetail"));
        })
        .await;
    let with_texts = server
        .mock_async(|when, then| {
            moco(when, POST, "/offer_confirmations").is_true(json_equiv(json!({
                "offer_id": 991123,
                "salutation_raw": "<p>Danke!</p>",
                "footer_raw": "<p>Grüsse</p>"
            })));
            then.status(200).json_body(example("OfferConfirmationDetail"));
        })
        .await;
    let client = client(&server);
    let confirmation = client.create_offer_confirmation().body_map(|b| b.offer_id(991122)).send().await.unwrap();
    assert_eq!(confirmation.offer.unwrap().id, 991122);
    client
        .create_offer_confirmation()
        .body(types::OfferConfirmationCreate {
            offer_id: 991123,
            title: None,
            date: None,
            salutation_raw: Some("<p>Danke!</p>".into()),
            footer_raw: Some("<p>Grüsse</p>".into()),
        })
        .send()
        .await
        .unwrap();
    only_offer.assert_async().await;
    with_texts.assert_async().await;
}

#[tokio::test]
async fn create_offer_confirmation_without_an_offer_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, POST, "/offer_confirmations", example("OfferConfirmationDetail")).await;
    let error = client(&server)
        .create_offer_confirmation()
        .body_map(|b| b.title("Auftragsbestätigung").date(date("2024-03-15")))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("offer_id")), "{error:?}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_offer_confirmation_for_an_offer_already_confirmed_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/offer_confirmations").json_body(json!({"offer_id": 991122}));
            then.status(422).json_body(json!({
                "message": "Auftragsbestätigung ist ungültig",
                "errors": {"offer": ["hat bereits eine Auftragsbestätigung"]}
            }));
        })
        .await;
    let error = client(&server).create_offer_confirmation().body_map(|b| b.offer_id(991122)).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, ref errors }
            if message.as_deref() == Some("Auftragsbestätigung ist ungültig")
                && errors.as_ref().unwrap()["offer"][0] == "hat bereits eine Auftragsbestätigung"),
        "{error:?}"
    );
}

#[tokio::test]
async fn update_offer_confirmation_sends_the_example_body_with_patch() {
    let server = MockServer::start_async().await;
    let mut updated = example("OfferConfirmationDetail");
    updated["title"] = json!("Updated title");
    updated["date"] = json!("2024-04-01");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offer_confirmations/123456")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("update_offer_confirmation")));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let confirmation = client(&server)
        .update_offer_confirmation(123456)
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.title("Updated title").date(date("2024-04-01")))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&confirmation, &updated);
    assert_eq!(confirmation.id, 123456);
    assert_eq!((confirmation.title.as_deref(), confirmation.date), (Some("Updated title"), Some(date("2024-04-01"))));
    assert_eq!(confirmation.offer.unwrap().id, 991122);
}

#[tokio::test]
async fn update_offer_confirmation_sends_only_the_changed_texts() {
    let server = MockServer::start_async().await;
    let body = response_example("update_offer_confirmation");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offer_confirmations/123456").json_body(json!({"footer_raw": "<p>Beste Grüsse</p>"}));
            then.status(200).json_body(body.clone());
        })
        .await;
    let confirmation = client(&server)
        .update_offer_confirmation(123456)
        .body(types::OfferConfirmationUpdate { footer_raw: Some("<p>Beste Grüsse</p>".into()), ..Default::default() })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&confirmation, &body);
    assert_example_offer_confirmation(&confirmation);
}

#[tokio::test]
async fn update_offer_confirmation_of_an_unknown_id_is_not_found_and_a_blank_title_unprocessable() {
    let server = MockServer::start_async().await;
    not_found_at(&server, PATCH, "/offer_confirmations/999").await;
    server
        .mock_async(|when, then| {
            moco(when, PATCH, "/offer_confirmations/123456").json_body(json!({"title": ""}));
            then.status(422).json_body(validation_error());
        })
        .await;
    let client = client(&server);
    assert_not_found(&client.update_offer_confirmation(999).body_map(|b| b.title("Neu")).send().await.unwrap_err());
    assert_validation_error(&client.update_offer_confirmation(123456).body_map(|b| b.title("")).send().await.unwrap_err());
}

#[tokio::test]
async fn delete_offer_confirmation() {
    assert_deletes("/offer_confirmations/123456", 204, |client| async move {
        client.delete_offer_confirmation(123456).send_with_response().await
    })
    .await;
    assert_deletes("/offer_confirmations/123457", 200, |client| async move {
        client.delete_offer_confirmation(123457).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn delete_offer_confirmation_ignores_the_deleted_confirmation_in_the_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/offer_confirmations/123456")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(example("OfferConfirmationDetail"));
        })
        .await;
    client(&server).delete_offer_confirmation(123456).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_offer_confirmation_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, DELETE, "/offer_confirmations/999").await;
    assert_not_found(&client(&server).delete_offer_confirmation(999).send().await.unwrap_err());
}

#[tokio::test]
async fn download_offer_confirmation_pdf_returns_the_exact_bytes() {
    let server = MockServer::start_async().await;
    let default = server
        .mock_async(|when, then| {
            moco(when, GET, "/offer_confirmations/123456.pdf")
                .is_true(exact_query(&[]))
                .is_true(no_body())
                .header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let on_paper = server
        .mock_async(|when, then| {
            moco(when, GET, "/offer_confirmations/123456.pdf")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[("letter_paper_id", "123")]))
                .is_true(no_body());
            then.status(200).header("content-type", "application/pdf").body(PDF);
        })
        .await;
    let client = client(&server);

    let file: Vec<u8> = client.download_offer_confirmation_pdf(123456).send().await.unwrap();
    assert_eq!(file, PDF);
    assert!(file.starts_with(b"%PDF"));
    let response = client
        .download_offer_confirmation_pdf(123456)
        .letter_paper_id(123)
        .x_impersonate_user_id(933590696)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    use futures::TryStreamExt;
    let chunks: Vec<bytes::Bytes> = response.into_inner().into_inner().try_collect().await.unwrap();
    assert_eq!(chunks.concat(), PDF);

    default.assert_async().await;
    on_paper.assert_async().await;
}

#[tokio::test]
async fn download_offer_confirmation_pdf_of_an_unknown_id_is_not_found_and_a_locked_one_refused_with_423() {
    let server = MockServer::start_async().await;
    not_found_at(&server, GET, "/offer_confirmations/999.pdf").await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/offer_confirmations/123456.pdf");
            then.status(423).json_body(json!({"message": "Dokument wird gerade erstellt"}));
        })
        .await;
    let client = client(&server);
    assert_not_found(&client.download_offer_confirmation_pdf(999).send().await.unwrap_err());
    let error = client.download_offer_confirmation_pdf(123456).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Http { status, ref message, .. }
            if status == reqwest::StatusCode::LOCKED && message.as_deref() == Some("Dokument wird gerade erstellt")),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(reqwest::StatusCode::LOCKED));
}

#[tokio::test]
async fn offer_confirmations_round_trip_against_the_fake() {
    let fake = fake().await;
    let client = fake.client();
    let before = client.list_offer_confirmations().collect_all().await.unwrap();
    assert!(!before.is_empty(), "the fake seeds offer confirmations");
    let confirmed: Vec<i64> = before.iter().filter_map(|c| c.offer.as_ref().map(|o| o.id)).collect();
    let offer = client.list_offers().collect_all().await.unwrap().into_iter().find(|o| !confirmed.contains(&o.id)).unwrap();

    let created = client
        .create_offer_confirmation()
        .body_map(|b| b.offer_id(offer.id).title("AB – Fake Relaunch").date(date("2024-05-02")))
        .send()
        .await
        .unwrap();
    assert!(before.iter().all(|c| c.id < created.id), "ids increase");
    assert_eq!((created.title.as_deref(), created.date), (Some("AB – Fake Relaunch"), Some(date("2024-05-02"))));
    let linked = created.offer.clone().unwrap();
    assert_eq!(
        (linked.id, linked.identifier.as_deref(), linked.title.as_deref()),
        (offer.id, offer.identifier.as_deref(), offer.title.as_deref())
    );
    assert_eq!(created.user.as_ref().map(|u| u.id), Some(fake.owner_id()), "the caller is the author");

    assert_eq!(client.get_offer_confirmation(created.id).send().await.unwrap(), created);
    let of_offer = client.list_offer_confirmations().offer_id([offer.id]).collect_all().await.unwrap();
    assert_eq!(of_offer, std::slice::from_ref(&created));

    let updated = client
        .update_offer_confirmation(created.id)
        .body_map(|b| b.title("AB – Fake Relaunch II").footer_raw("<p>Grüsse</p>"))
        .send()
        .await
        .unwrap();
    assert_eq!((updated.title.as_deref(), updated.footer_raw.as_deref()), (Some("AB – Fake Relaunch II"), Some("<p>Grüsse</p>")));
    assert_eq!(updated.date, Some(date("2024-05-02")), "fields left out are kept");
    assert_eq!(updated.offer.as_ref().map(|o| o.id), Some(offer.id));
    assert_eq!(client.get_offer_confirmation(created.id).send().await.unwrap(), updated);

    let pdf = client.download_offer_confirmation_pdf(created.id).send().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));

    client.delete_offer_confirmation(created.id).send().await.unwrap();
    assert_fake_not_found(&client.get_offer_confirmation(created.id).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.download_offer_confirmation_pdf(created.id).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.update_offer_confirmation(created.id).body_map(|b| b.title("weg")).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.delete_offer_confirmation(created.id).send().await.unwrap_err(), created.id);
    assert_eq!(client.list_offer_confirmations().collect_all().await.unwrap(), before);
}

/// What the fake does not do for offer confirmations yet: a created confirmation keeps the
/// example's `file_url` (`…/offer_confirmations/123456.pdf`), not a link to its own PDF.
#[tokio::test]
#[ignore = "moco-fake links a created offer confirmation to the example's PDF (see the doc comment)"]
async fn the_fake_links_a_created_offer_confirmation_to_its_pdf() {
    let fake = fake().await;
    let client = fake.client();
    let offer = client.list_offers().collect_all().await.unwrap().remove(0);
    let created = client.create_offer_confirmation().body_map(|b| b.offer_id(offer.id)).send().await.unwrap();
    let url = created.file_url.unwrap();
    assert!(url.ends_with(&format!("/offer_confirmations/{}.pdf", created.id)), "{url}");
}

// ---------------------------------------------------------------------------------------------
// Planned purchases
// ---------------------------------------------------------------------------------------------

/// The example planned purchase, field by field.
fn assert_example_planned_purchase(planned: &types::PlannedPurchase) {
    assert_eq!(planned.id, 12345);
    assert_eq!((planned.date, planned.finish_date), (Some(date("2024-01-01")), Some(date("2024-12-31"))));
    assert_eq!(planned.active, Some(true));
    assert_eq!(planned.frequency, Some(types::PlannedPurchaseFrequency::Monthly));
    assert_eq!(planned.variant, Some(types::PlannedPurchaseVariant::Recurring));
    assert_eq!(planned.title.as_deref(), Some("Office Supplies"));
    assert_eq!(planned.info.as_deref(), Some("Monthly office supply budget"));
    assert_eq!((planned.net_total, planned.net_total_in_account_currency), (Some(dec("500")), Some(dec("500"))));
    assert_eq!((planned.exhausted, planned.exhausted_in_account_currency), (Some(dec("250")), Some(dec("250"))));
    assert_eq!(planned.currency.as_deref(), Some("CHF"));
    assert_eq!(planned.company, Some(types::CompanyRef { id: 67890, name: Some("Office Depot AG".into()) }));
    assert_eq!(planned.purchase_budget, Some(types::PurchaseBudgetRef { id: 11111, title: Some("General Administration".into()) }));
    assert_eq!(planned.user, Some(user(22222, "Max", "Mustermann")));
    assert_eq!(
        planned.purchases.as_deref(),
        Some(
            &[types::PlannedPurchasePurchase {
                id: 33333,
                number: Some("E-2024-001".into()),
                date: Some(date("2024-01-15")),
                net_total: Some(dec("150")),
                currency: Some("CHF".into()),
                status: Some(types::PlannedPurchasePurchaseStatus::Pending),
            }][..]
        )
    );
    assert_eq!(planned.create_on_recur, Some(true));
    assert_eq!(planned.recur_next_on, Some(date("2024-02-01")));
    assert_eq!(planned.custom_properties, None);
    assert_eq!(planned.created_at, Some(timestamp("2024-01-01T08:00:00Z")));
    assert_eq!(planned.updated_at, Some(timestamp("2024-01-15T10:30:00Z")));
}

#[tokio::test]
async fn list_planned_purchases_sends_every_filter_and_decodes_the_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_planned_purchases");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/planned_purchases").header(mocoapp::IMPERSONATE_HEADER, ACTING_USER).is_true(no_body()).is_true(exact_query(
                &[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "date desc"),
                    ("updated_after", "2024-01-01T00:00:00Z"),
                    ("ids", "12345,12346"),
                    ("custom_properties[Kostenstelle]", "Verwaltung & IT"),
                ],
            ));
            then.status(200).json_body(body.clone());
        })
        .await;
    let planned = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Kostenstelle", "Verwaltung & IT"))
        .list_planned_purchases()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("date"))
        .updated_after(timestamp("2024-01-01T00:00:00Z"))
        .ids([12345, 12346])
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&planned, &body);
    assert_eq!(planned.len(), 1);
    assert_example_planned_purchase(&planned[0]);
}

#[tokio::test]
async fn list_planned_purchases_without_filters_sends_no_query_and_decodes_an_empty_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/planned_purchases").is_true(exact_query(&[])).header_missing(mocoapp::IMPERSONATE_HEADER);
            then.status(200).header("X-Total", "0").json_body(json!([]));
        })
        .await;
    assert!(client(&server).list_planned_purchases().send().await.unwrap().is_empty());
    mock.assert_async().await;
}

#[tokio::test]
async fn get_planned_purchase() {
    let server = MockServer::start_async().await;
    let body = response_example("get_planned_purchase");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/planned_purchases/12345")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let planned = client(&server).get_planned_purchase(12345).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&planned, &body);
    assert_example_planned_purchase(&planned);
}

#[tokio::test]
async fn get_planned_purchase_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, GET, "/planned_purchases/999").await;
    assert_not_found(&client(&server).get_planned_purchase(999).send().await.unwrap_err());
}

#[test]
fn planned_purchases_decode_sparse_and_in_the_real_world_form() {
    let sparse = with_nulls("PlannedPurchase", &example("PlannedPurchase"));
    assert!(sparse["net_total"].is_null() && sparse["purchases"].is_null() && sparse["company"].is_null());
    let planned: types::PlannedPurchase = serde_json::from_value(sparse).unwrap();
    assert_eq!(planned.id, 12345);
    assert_eq!((planned.date, planned.finish_date, planned.recur_next_on), (None, None, None));
    assert_eq!((planned.frequency, planned.variant, planned.active, planned.create_on_recur), (None, None, None, None));
    assert_eq!((planned.title, planned.info, planned.currency), (None, None, None));
    assert_eq!((planned.net_total, planned.net_total_in_account_currency), (None, None));
    assert_eq!((planned.exhausted, planned.exhausted_in_account_currency), (None, None));
    assert!(planned.company.is_none() && planned.purchase_budget.is_none() && planned.user.is_none());
    assert_eq!((planned.purchases, planned.created_at, planned.updated_at), (None, None, None));

    // A purchase of the plan with its fields null.
    let mut bare = example("PlannedPurchase");
    bare["purchases"] = json!([with_nulls("PlannedPurchasePurchase", &example("PlannedPurchasePurchase"))]);
    let purchases = serde_json::from_value::<types::PlannedPurchase>(bare).unwrap().purchases.unwrap();
    assert_eq!(
        purchases,
        [types::PlannedPurchasePurchase { id: 33333, number: None, date: None, net_total: None, currency: None, status: None }]
    );

    // As MOCO's servers send it: amounts as text with their places, "" for a one-off's finish,
    // {} for no supplier and no budget, custom fields.
    let mut real = example("PlannedPurchase");
    real["frequency"] = json!("once");
    real["variant"] = json!("once");
    real["finish_date"] = json!("");
    real["recur_next_on"] = json!("");
    real["net_total"] = json!("1890.55");
    real["exhausted"] = json!("0.00");
    real["company"] = json!({});
    real["purchase_budget"] = json!({});
    real["purchases"] = json!([]);
    real["custom_properties"] = json!({"Kostenstelle": "Verwaltung & IT"});
    let planned: types::PlannedPurchase = serde_json::from_value(real).unwrap();
    assert_eq!(
        (planned.frequency, planned.variant),
        (Some(types::PlannedPurchaseFrequency::Once), Some(types::PlannedPurchaseVariant::Once))
    );
    assert_eq!((planned.finish_date, planned.recur_next_on), (None, None));
    assert_eq!(planned.net_total.unwrap().to_string(), "1890.55");
    assert_eq!(planned.exhausted, Some(dec("0")));
    assert!(planned.company.is_none() && planned.purchase_budget.is_none());
    assert_eq!(planned.purchases.as_deref(), Some(&[][..]));
    assert_eq!(planned.custom_properties.unwrap().text("Kostenstelle"), Some("Verwaltung & IT"));
}

#[test]
fn planned_purchases_keep_frequencies_variants_and_purchase_states_from_the_future() {
    let (future, mut changed) = with_unknown_enums("PlannedPurchase", &example("PlannedPurchase"));
    changed.sort();
    assert_eq!(changed, ["$.frequency", "$.purchases[0].status", "$.variant"]);
    let planned: types::PlannedPurchase = serde_json::from_value(future).unwrap();
    let unknown = || UNKNOWN_ENUM_VALUE.to_string();
    assert_eq!(planned.frequency, Some(types::PlannedPurchaseFrequency::Unknown(unknown())));
    assert_eq!(planned.variant, Some(types::PlannedPurchaseVariant::Unknown(unknown())));
    assert_eq!(planned.purchases.as_ref().unwrap()[0].status, Some(types::PlannedPurchasePurchaseStatus::Unknown(unknown())));
    let written = serde_json::to_value(&planned).unwrap();
    assert_eq!(written["frequency"], json!(UNKNOWN_ENUM_VALUE));
    assert_eq!(written["purchases"][0]["status"], json!(UNKNOWN_ENUM_VALUE));
    // A frequency outside the documented ones cannot be written.
    assert!("daily".parse::<types::PlannedPurchaseCreateFrequency>().is_err());
    assert!("daily".parse::<types::PlannedPurchaseUpdateFrequency>().is_err());
}

#[tokio::test]
async fn create_planned_purchase_sends_the_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/planned_purchases")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_planned_purchase")));
            then.status(201).json_body(response_example("create_planned_purchase"));
        })
        .await;
    let response = client(&server)
        .create_planned_purchase()
        .x_impersonate_user_id(933590696)
        .body_map(|b| {
            b.date(date("2024-01-01"))
                .finish_date(date("2024-12-31"))
                .frequency(types::PlannedPurchaseCreateFrequency::Monthly)
                .title("Office Supplies")
                .info("Monthly office supply budget")
                .net_total(500)
                .currency("CHF")
                .company_id(67890)
                .purchase_budget_id(11111)
                .user_id(22222)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let planned = response.into_inner();
    assert_decoded(&planned, &example("PlannedPurchase"));
    assert_example_planned_purchase(&planned);
}

#[tokio::test]
async fn create_planned_purchase_once_sends_an_exact_amount_and_custom_fields() {
    let server = MockServer::start_async().await;
    let mut created = example("PlannedPurchase");
    created["frequency"] = json!("once");
    created["variant"] = json!("once");
    created["finish_date"] = Value::Null;
    created["net_total"] = json!("1890.55");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/planned_purchases")
                .is_true(json_equiv(json!({
                    "date": "2024-06-01",
                    "frequency": "once",
                    "title": "Laptop",
                    "net_total": 1890.55,
                    "currency": "EUR",
                    "user_id": 22222,
                    "custom_properties": {"Kostenstelle": "Verwaltung & IT"}
                })))
                // The amount as its exact decimal, not a float's rendering.
                .is_true(|request: &HttpMockRequest| String::from_utf8_lossy(request.body_ref()).contains(r#""net_total":1890.55"#));
            then.status(200).json_body(created.clone());
        })
        .await;
    let planned = client(&server)
        .create_planned_purchase()
        .body(types::PlannedPurchaseCreate {
            date: date("2024-06-01"),
            finish_date: None,
            frequency: Some(types::PlannedPurchaseCreateFrequency::Once),
            title: "Laptop".into(),
            info: None,
            net_total: dec("1890.55"),
            currency: "EUR".into(),
            company_id: None,
            purchase_budget_id: None,
            user_id: 22222,
            custom_properties: Some(CustomFields::new().with("Kostenstelle", "Verwaltung & IT")),
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!((planned.variant, planned.finish_date), (Some(types::PlannedPurchaseVariant::Once), None));
    assert_eq!(planned.net_total.unwrap().to_string(), "1890.55");
}

#[tokio::test]
async fn create_planned_purchase_without_the_mandatory_fields_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let mock = never_called(&server, POST, "/planned_purchases", example("PlannedPurchase")).await;
    let client = client(&server);
    let complete = || {
        types::PlannedPurchaseCreate::builder()
            .date(date("2024-01-01"))
            .title("Office Supplies")
            .net_total(500)
            .currency("CHF")
            .user_id(22222)
    };
    // The complete body builds.
    assert!(types::PlannedPurchaseCreate::try_from(complete()).is_ok());
    let without: [(&str, types::builder::PlannedPurchaseCreate); 5] = [
        ("date", types::PlannedPurchaseCreate::builder().title("Office Supplies").net_total(500).currency("CHF").user_id(22222)),
        ("title", types::PlannedPurchaseCreate::builder().date(date("2024-01-01")).net_total(500).currency("CHF").user_id(22222)),
        (
            "net_total",
            types::PlannedPurchaseCreate::builder().date(date("2024-01-01")).title("Office Supplies").currency("CHF").user_id(22222),
        ),
        (
            "currency",
            types::PlannedPurchaseCreate::builder().date(date("2024-01-01")).title("Office Supplies").net_total(500).user_id(22222),
        ),
        (
            "user_id",
            types::PlannedPurchaseCreate::builder().date(date("2024-01-01")).title("Office Supplies").net_total(500).currency("CHF"),
        ),
    ];
    for (missing, body) in without {
        let error = client.create_planned_purchase().body_map(|_| body).send().await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains(missing)), "{missing}: {error:?}");
    }
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_planned_purchase_refused_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/planned_purchases");
            then.status(422).json_body(json!({
                "message": "Geplante Ausgabe ist ungültig",
                "errors": {"currency": ["ist nicht aktiviert"]}
            }));
        })
        .await;
    let error = client(&server)
        .create_planned_purchase()
        .body_map(|b| b.date(date("2024-01-01")).title("Office Supplies").net_total(500).currency("XYZ").user_id(22222))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, ref errors }
            if message.as_deref() == Some("Geplante Ausgabe ist ungültig")
                && errors.as_ref().unwrap()["currency"][0] == "ist nicht aktiviert"),
        "{error:?}"
    );
}

#[tokio::test]
async fn update_planned_purchase_sends_the_example_body_with_patch() {
    let server = MockServer::start_async().await;
    let body = response_example("update_planned_purchase");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/planned_purchases/12345")
                .header("content-type", "application/json")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("update_planned_purchase")));
            then.status(200).json_body(body.clone());
        })
        .await;
    let planned = client(&server)
        .update_planned_purchase(12345)
        .x_impersonate_user_id(933590696)
        .body_map(|b| b.title("Office Supplies").finish_date(date("2024-12-31")).net_total(500))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&planned, &body);
    assert_example_planned_purchase(&planned);
}

#[tokio::test]
async fn update_planned_purchase_to_once_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mut updated = example("PlannedPurchase");
    updated["frequency"] = json!("once");
    updated["variant"] = json!("once");
    updated["finish_date"] = Value::Null;
    updated["net_total"] = json!(99.95);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/planned_purchases/12345")
                .is_true(json_equiv(json!({"frequency": "once", "net_total": 99.95, "purchase_budget_id": 11112})))
                .is_true(|request: &HttpMockRequest| String::from_utf8_lossy(request.body_ref()).contains(r#""net_total":99.95"#));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let planned = client(&server)
        .update_planned_purchase(12345)
        .body(types::PlannedPurchaseUpdate {
            frequency: Some(types::PlannedPurchaseUpdateFrequency::Once),
            net_total: Some(dec("99.95")),
            purchase_budget_id: Some(11112),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!((planned.frequency, planned.finish_date), (Some(types::PlannedPurchaseFrequency::Once), None));
    assert_eq!(planned.net_total, Some(dec("99.95")));
}

#[tokio::test]
async fn update_planned_purchase_clears_the_supplier_budget_and_info_only_through_a_raw_request() {
    // The spec: "Null clears the supplier, the budget or the info". The typed body leaves out
    // what is None (unchanged), so it cannot send that null; the raw request can.
    let typed = types::PlannedPurchaseUpdate { company_id: None, purchase_budget_id: None, info: None, ..Default::default() };
    assert_eq!(serde_json::to_value(&typed).unwrap(), json!({}));
    let server = MockServer::start_async().await;
    let mut cleared = example("PlannedPurchase");
    cleared["company"] = Value::Null;
    cleared["purchase_budget"] = json!({});
    cleared["info"] = Value::Null;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/planned_purchases/12345")
                .header("content-type", "application/json")
                .json_body(json!({"company_id": null, "purchase_budget_id": null, "info": null}));
            then.status(200).json_body(cleared.clone());
        })
        .await;
    let planned: types::PlannedPurchase = client(&server)
        .request(reqwest::Method::PATCH, "/planned_purchases/12345")
        .json(&json!({"company_id": null, "purchase_budget_id": null, "info": null}))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(planned.company.is_none() && planned.purchase_budget.is_none() && planned.info.is_none());
    assert_eq!(planned.title.as_deref(), Some("Office Supplies"));
}

#[tokio::test]
async fn update_planned_purchase_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, PATCH, "/planned_purchases/999").await;
    let error = client(&server).update_planned_purchase(999).body_map(|b| b.title("Neu")).send().await.unwrap_err();
    assert_not_found(&error);
}

#[tokio::test]
async fn delete_planned_purchase() {
    assert_deletes(
        "/planned_purchases/12345",
        204,
        |client| async move { client.delete_planned_purchase(12345).send_with_response().await },
    )
    .await;
    assert_deletes(
        "/planned_purchases/12346",
        200,
        |client| async move { client.delete_planned_purchase(12346).send_with_response().await },
    )
    .await;
}

#[tokio::test]
async fn delete_planned_purchase_ignores_the_deleted_entry_in_the_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/planned_purchases/12345")
                .header(mocoapp::IMPERSONATE_HEADER, ACTING_USER)
                .is_true(exact_query(&[]))
                .is_true(no_body());
            then.status(200).json_body(example("PlannedPurchase"));
        })
        .await;
    client(&server).delete_planned_purchase(12345).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn delete_planned_purchase_with_purchases_is_unprocessable_and_of_an_unknown_id_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, DELETE, "/planned_purchases/12345");
            then.status(422).json_body(json!({"message": "Geplante Ausgabe hat verknüpfte Ausgaben"}));
        })
        .await;
    not_found_at(&server, DELETE, "/planned_purchases/999").await;
    let client = client(&server);
    let error = client.delete_planned_purchase(12345).send().await.unwrap_err();
    assert!(
        matches!(error, Error::Unprocessable { ref message, .. } if message.as_deref() == Some("Geplante Ausgabe hat verknüpfte Ausgaben")),
        "{error:?}"
    );
    assert_not_found(&client.delete_planned_purchase(999).send().await.unwrap_err());
}

#[tokio::test]
async fn planned_purchases_round_trip_against_the_fake() {
    let fake = fake().await;
    let client = fake.client();
    let before = client.list_planned_purchases().collect_all().await.unwrap();
    assert!(!before.is_empty(), "the fake seeds planned purchases");
    let responsible = client.list_users().send().await.unwrap().into_iter().find(|u| u.id != fake.owner_id()).unwrap();
    let supplier = client.list_companies().per_page(1).send().await.unwrap().remove(0);

    let created = client
        .create_planned_purchase()
        .body_map(|b| {
            b.date(date("2024-06-01"))
                .finish_date(date("2025-05-31"))
                .frequency(types::PlannedPurchaseCreateFrequency::Quarterly)
                .title("Fake Hosting")
                .net_total(dec("1890.55"))
                .currency("EUR")
                .company_id(supplier.id)
                .user_id(responsible.id)
        })
        .send()
        .await
        .unwrap();
    assert!(before.iter().all(|p| p.id < created.id), "ids increase");
    assert_eq!((created.date, created.finish_date), (Some(date("2024-06-01")), Some(date("2025-05-31"))));
    assert_eq!(created.frequency, Some(types::PlannedPurchaseFrequency::Quarterly));
    assert_eq!((created.title.as_deref(), created.currency.as_deref()), (Some("Fake Hosting"), Some("EUR")));
    assert_eq!(created.net_total, Some(dec("1890.55")), "the exact amount, whatever form the fake sends");
    assert_eq!(created.company.as_ref().map(|c| (c.id, c.name.clone())), Some((supplier.id, Some(supplier.name.clone()))));
    assert_eq!(created.user.as_ref().map(|u| u.id), Some(responsible.id));

    assert_eq!(client.get_planned_purchase(created.id).send().await.unwrap(), created);
    let listed = client.list_planned_purchases().ids([created.id]).send().await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&created));

    let updated = client
        .update_planned_purchase(created.id)
        .body_map(|b| b.title("Fake Hosting XL").net_total(2100).info("Mehr Speicher"))
        .send()
        .await
        .unwrap();
    assert_eq!((updated.title.as_deref(), updated.info.as_deref()), (Some("Fake Hosting XL"), Some("Mehr Speicher")));
    assert_eq!(updated.net_total, Some(dec("2100")));
    assert_eq!((updated.currency.as_deref(), updated.date), (Some("EUR"), Some(date("2024-06-01"))), "fields left out are kept");
    assert_eq!(updated.company.as_ref().map(|c| c.id), Some(supplier.id));
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(client.get_planned_purchase(created.id).send().await.unwrap(), updated);

    // Null clears the supplier (through the raw request: the typed body cannot send null).
    let cleared: types::PlannedPurchase = client
        .request(reqwest::Method::PATCH, &format!("/planned_purchases/{}", created.id))
        .json(&json!({"company_id": null}))
        .send()
        .await
        .unwrap();
    assert_eq!((cleared.company, cleared.title.as_deref()), (None, Some("Fake Hosting XL")));
    assert!(client.get_planned_purchase(created.id).send().await.unwrap().company.is_none());

    client.delete_planned_purchase(created.id).send().await.unwrap();
    assert_fake_not_found(&client.get_planned_purchase(created.id).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.update_planned_purchase(created.id).body_map(|b| b.title("weg")).send().await.unwrap_err(), created.id);
    assert_fake_not_found(&client.delete_planned_purchase(created.id).send().await.unwrap_err(), created.id);
    assert_eq!(client.list_planned_purchases().collect_all().await.unwrap(), before);
}

/// What the fake does not do for planned purchases yet:
/// - `purchase_budget_id` does not fill `purchase_budget` (fake/src/store.rs `ref_target` has no
///   `purchase_budget`): a created plan shows the example's budget 11111;
/// - `variant` does not follow `frequency` (`once` stays `recurring`), and `once` keeps
///   `finish_date` (on create and on update);
/// - a new plan shows the example's `info`, `exhausted` (250) and linked purchase 33333.
#[tokio::test]
#[ignore = "moco-fake does not link a planned purchase's budget nor derive its variant and figures (see the doc comment)"]
async fn the_fake_links_the_budget_and_derives_a_new_plans_figures() {
    let fake = fake().await;
    let client = fake.client();
    let budget = client.list_purchase_budgets().send().await.unwrap().remove(0);
    let created = client
        .create_planned_purchase()
        .body_map(|b| {
            b.date(date("2024-06-01"))
                .frequency(types::PlannedPurchaseCreateFrequency::Once)
                .title("Laptop")
                .net_total(1890)
                .currency("EUR")
                .purchase_budget_id(budget.id)
                .user_id(fake.owner_id())
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.purchase_budget.as_ref().map(|b| b.id), Some(budget.id), "purchase_budget_id names the budget");
    assert_eq!(created.variant, Some(types::PlannedPurchaseVariant::Once), "variant follows frequency");
    assert_eq!(created.finish_date, None, "a one-off has no finish date");
    assert_eq!(created.info, None, "no info was given");
    assert_eq!(created.exhausted, Some(dec("0")), "nothing is spent on a new plan");
    assert_eq!(created.purchases.as_deref(), Some(&[][..]), "no purchase is created from a new plan");

    let recurring = client
        .create_planned_purchase()
        .body_map(|b| {
            b.date(date("2024-06-01"))
                .finish_date(date("2024-12-31"))
                .frequency(types::PlannedPurchaseCreateFrequency::Monthly)
                .title("Hosting")
                .net_total(100)
                .currency("EUR")
                .user_id(fake.owner_id())
        })
        .send()
        .await
        .unwrap();
    let once = client
        .update_planned_purchase(recurring.id)
        .body_map(|b| b.frequency(types::PlannedPurchaseUpdateFrequency::Once))
        .send()
        .await
        .unwrap();
    assert_eq!((once.variant, once.finish_date), (Some(types::PlannedPurchaseVariant::Once), None), "once clears finish_date");
}

// ---------------------------------------------------------------------------------------------
// To-dos
// ---------------------------------------------------------------------------------------------

/// The example to-do, field by field.
fn assert_example_todo(todo: &types::Todo) {
    assert_eq!(todo.id, 456789);
    assert_eq!(todo.title.as_deref(), Some("Follow up on offer"));
    assert_eq!(todo.due_date.as_deref(), Some("2026-02-15T00:00:00Z"));
    assert_eq!((todo.completed, todo.completed_at), (Some(false), None));
    assert_eq!(todo.personal, Some(false));
    assert_eq!(todo.todoable_id, Some(7845511));
    assert_eq!(todo.todoable_type, Some(types::TodoTodoableType::Offer));
    assert_eq!(todo.todoable_description.as_deref(), Some("Website Relaunch"));
    assert_eq!(todo.created_by, Some(user(933590696, "Michael", "Mustermann")));
    assert_eq!(todo.assigned_to, Some(user(933590696, "Michael", "Mustermann")));
    assert_eq!((todo.created_at, todo.updated_at), (Some(timestamp("2026-01-15T09:00:00Z")), Some(timestamp("2026-01-15T09:00:00Z"))));
}

#[tokio::test]
async fn list_todos_sends_every_filter_and_decodes_the_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_todos");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/todos").header(mocoapp::IMPERSONATE_HEADER, ACTING_USER).is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("per_page", "50"),
                ("sort_by", "due_date asc"),
                ("updated_after", "2026-01-01T00:00:00Z"),
                ("ids", "456789,456790"),
                ("responsible_user_id", "933590696"),
                ("assigned_to_user_id", "933590696"),
                ("created_by_user_id", "433109936"),
                ("term", "Follow up & offer"),
                ("completed", "false"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let todos = client(&server)
        .list_todos()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::asc("due_date"))
        .updated_after(timestamp("2026-01-01T00:00:00Z"))
        .ids([456789, 456790])
        .responsible_user_id(933590696)
        .assigned_to_user_id(933590696)
        .created_by_user_id(433109936)
        .term("Follow up & offer")
        .completed(false)
        .x_impersonate_user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&todos, &body);
    assert_eq!(todos.len(), 1);
    assert_example_todo(&todos[0]);
}

#[tokio::test]
async fn list_todos_completed_streams_every_page() {
    let server = MockServer::start_async().await;
    let next = format!("<{}?page=2&completed=true>; rel=\"next\"", server.url("/api/v1/todos"));
    let mut done = example("Todo");
    done["completed"] = json!(true);
    done["completed_at"] = json!("2026-02-14T16:45:00Z");
    let mut second = done.clone();
    second["id"] = json!(456790);
    let first_page = server
        .mock_async(|when, then| {
            moco(when, GET, "/todos").is_true(exact_query(&[("completed", "true")]));
            then.status(200).header("Link", next.as_str()).json_body(json!([done.clone()]));
        })
        .await;
    let second_page = server
        .mock_async(|when, then| {
            moco(when, GET, "/todos").is_true(exact_query(&[("completed", "true"), ("page", "2")]));
            then.status(200).json_body(json!([second.clone()]));
        })
        .await;
    let all = client(&server).list_todos().completed(true).collect_all().await.unwrap();
    first_page.assert_async().await;
    second_page.assert_async().await;
    assert_eq!(all.iter().map(|t| t.id).collect::<Vec<_>>(), [456789, 456790]);
    assert!(all.iter().all(|t| t.completed == Some(true) && t.completed_at == Some(timestamp("2026-02-14T16:45:00Z"))));
}

#[tokio::test]
async fn list_todos_impersonating_someone_unknown_is_forbidden() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/todos").header(mocoapp::IMPERSONATE_HEADER, "1");
            then.status(403).json_body(json!({"message": "Benutzer nicht gefunden"}));
        })
        .await;
    let error = client(&server).list_todos().x_impersonate_user_id(1).send().await.unwrap_err();
    assert!(matches!(error, Error::Forbidden { ref message } if message.as_deref() == Some("Benutzer nicht gefunden")), "{error:?}");
}

#[tokio::test]
async fn get_todo() {
    let server = MockServer::start_async().await;
    let body = response_example("get_todo");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/todos/456789").header(mocoapp::IMPERSONATE_HEADER, ACTING_USER).is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let todo = client(&server).get_todo(456789).x_impersonate_user_id(933590696).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&todo, &body);
    assert_example_todo(&todo);
}

#[tokio::test]
async fn get_todo_of_an_unknown_id_is_not_found() {
    let server = MockServer::start_async().await;
    not_found_at(&server, GET, "/todos/999").await;
    assert_not_found(&client(&server).get_todo(999).send().await.unwrap_err());
}

#[test]
fn todos_decode_sparse_and_in_the_real_world_form() {
    let sparse = with_nulls("Todo", &example("Todo"));
    assert!(sparse["title"].is_null() && sparse["due_date"].is_null() && sparse["assigned_to"].is_null());
    let todo: types::Todo = serde_json::from_value(sparse).unwrap();
    assert_eq!(todo.id, 456789);
    assert_eq!((todo.title, todo.due_date, todo.todoable_description), (None, None, None));
    assert_eq!((todo.completed, todo.completed_at, todo.personal), (None, None, None));
    assert_eq!(todo.todoable_type, None);
    // The id of the record it is attached to is not nullable.
    assert_eq!(todo.todoable_id, Some(7845511));
    assert!(todo.created_by.is_none() && todo.assigned_to.is_none());
    assert_eq!((todo.created_at, todo.updated_at), (None, None));

    // Due as a plain date (as every other `due_date`), or as ""; not completed as "";
    // assigned to no one as {}; attached to a record given as an integral float.
    let mut real = example("Todo");
    real["due_date"] = json!("2026-02-15");
    real["completed_at"] = json!("");
    real["assigned_to"] = json!({});
    real["todoable_id"] = json!(7845511.0);
    let todo: types::Todo = serde_json::from_value(real).unwrap();
    assert_eq!(todo.due_date.as_deref(), Some("2026-02-15"));
    assert_eq!((todo.completed_at, todo.assigned_to), (None, None));
    assert_eq!(todo.todoable_id, Some(7845511));
    // "" is kept as it came: the field is a plain string.
    let mut blank = example("Todo");
    blank["due_date"] = json!("");
    let todo: types::Todo = serde_json::from_value(blank).unwrap();
    assert_eq!(todo.due_date.as_deref(), Some(""));

    // Completed.
    let mut done = example("Todo");
    done["completed"] = json!(true);
    done["completed_at"] = json!("2026-02-14T16:45:00Z");
    let todo: types::Todo = serde_json::from_value(done).unwrap();
    assert_eq!((todo.completed, todo.completed_at), (Some(true), Some(timestamp("2026-02-14T16:45:00Z"))));
}

#[test]
fn todos_keep_kinds_of_records_from_the_future() {
    let (future, changed) = with_unknown_enums("Todo", &example("Todo"));
    assert_eq!(changed, ["$.todoable_type"]);
    let todo: types::Todo = serde_json::from_value(future).unwrap();
    assert_eq!(todo.todoable_type, Some(types::TodoTodoableType::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(serde_json::to_value(&todo).unwrap()["todoable_type"], json!(UNKNOWN_ENUM_VALUE));
    // MOCO's class names, as they are spelled.
    let known: types::Todo = serde_json::from_value(json!({"id": 1, "todoable_type": "PurchaseDraft"})).unwrap();
    assert_eq!(known.todoable_type, Some(types::TodoTodoableType::PurchaseDraft));
}

#[tokio::test]
async fn todos_round_trip_against_the_fake() {
    // To-dos are read-only in the API (no create, update or delete): list, get, narrow, 404.
    let fake = fake().await;
    let client = fake.client();
    let all = client.list_todos().collect_all().await.unwrap();
    assert!(!all.is_empty(), "the fake seeds to-dos");
    for todo in &all {
        assert_eq!(&client.get_todo(todo.id).send().await.unwrap(), todo);
    }
    let first = &all[0];
    assert_eq!(client.list_todos().ids([first.id]).send().await.unwrap(), std::slice::from_ref(first));
    let open = client.list_todos().completed(false).collect_all().await.unwrap();
    assert_eq!(open.len(), all.iter().filter(|t| t.completed == Some(false)).count());
    assert!(client.list_todos().completed(true).collect_all().await.unwrap().iter().all(|t| t.completed == Some(true)));
    let title = first.title.clone().unwrap();
    let found = client.list_todos().term(title.clone()).collect_all().await.unwrap();
    assert!(found.iter().any(|t| t.id == first.id), "term finds {title:?}");
    let paged: Vec<i64> = client.list_todos().per_page(1).collect_all().await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(paged, all.iter().map(|t| t.id).collect::<Vec<_>>(), "one per page, each once");

    let unknown = all.iter().map(|t| t.id).max().unwrap() + 1_000_000;
    assert_fake_not_found(&client.get_todo(unknown).send().await.unwrap_err(), unknown);
}

/// What the fake does not do for to-dos yet:
/// - the seeded to-dos keep the example's `created_by` and `assigned_to` (user 933590696, no
///   user of the fake): fake/src/seed.rs `link` and store.rs `ref_target` know neither name;
/// - list_todos' `assigned_to_user_id`, `created_by_user_id` and `responsible_user_id` name no
///   field of `Todo`, so the fake ignores them and answers every to-do.
#[tokio::test]
#[ignore = "moco-fake neither links to-dos to its users nor narrows them by user (see the doc comment)"]
async fn the_fake_narrows_todos_by_user() {
    let fake = fake().await;
    let client = fake.client();
    let users: Vec<i64> = client.list_users().send().await.unwrap().iter().map(|u| u.id).collect();
    let all = client.list_todos().collect_all().await.unwrap();
    for todo in &all {
        assert!(users.contains(&todo.assigned_to.as_ref().unwrap().id), "assigned to a user of the fake");
        assert!(users.contains(&todo.created_by.as_ref().unwrap().id), "created by a user of the fake");
    }
    let nobody = users.iter().max().unwrap() + 1;
    assert!(client.list_todos().assigned_to_user_id(nobody).collect_all().await.unwrap().is_empty());
    assert!(client.list_todos().created_by_user_id(nobody).collect_all().await.unwrap().is_empty());
    assert!(client.list_todos().responsible_user_id(nobody).collect_all().await.unwrap().is_empty());
}
