//! Every operation of `sections/projects.md`: the exact request and the decoded answer.

use chrono::NaiveDate;
use httpmock::prelude::*;
use mocoapp::{types, CustomFields, SortBy};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn list_projects_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_projects");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").is_true(exact_query(&[
                ("page", "2"),
                ("sort_by", "name desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "1,2"),
                ("include_archived", "true"),
                ("include_company", "false"),
                ("leader_id", "933590696"),
                ("company_id", "1233434,42"),
                ("created_from", "2018-01-01"),
                ("created_to", "2018-12-31"),
                ("updated_from", "2019-01-01"),
                ("updated_to", "2019-12-31"),
                ("tags", "Important,Strategic"),
                ("identifier", "P001"),
                ("retainer", "false"),
                ("project_group_id", "456687"),
                ("deal_id", "5635453"),
                ("term", "Website"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let date = |s: &str| s.parse::<NaiveDate>().unwrap();
    let projects = client(&server)
        .list_projects()
        .page(2)
        .sort_by(SortBy::desc("name"))
        .updated_after("2022-04-20T09:17:58Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap())
        .ids([1, 2])
        .include_archived(true)
        .include_company(false)
        .leader_id([933590696])
        .company_id([1233434, 42])
        .created_from(date("2018-01-01"))
        .created_to(date("2018-12-31"))
        .updated_from(date("2019-01-01"))
        .updated_to(date("2019-12-31"))
        .tags(["Important", "Strategic"])
        .identifier(["P001"])
        .retainer(false)
        .project_group_id([456687])
        .deal_id([5635453])
        .term("Website")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&projects, &body);
    let project = &projects[0];
    assert_eq!(project.id, 1234567);
    assert_eq!(project.name, "Website Support");
    assert_eq!(project.start_date, None);
    assert_eq!(project.finish_date, Some(date("2018-12-31")));
    assert_eq!(project.leader.as_ref().unwrap().firstname.as_deref(), Some("Michael"));
    assert!(project.co_leader.is_none());
    assert_eq!(project.tasks.as_ref().unwrap().len(), 2);
    assert_eq!(project.custom_properties.as_ref().unwrap().text("Project Management"), Some("https://basecamp.com/123456"));
}

#[tokio::test]
async fn list_assigned_projects() {
    let server = MockServer::start_async().await;
    let body = response_example("list_assigned_projects");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/assigned").is_true(exact_query(&[("active", "true")]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let projects = client(&server).list_assigned_projects().active(true).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&projects, &body);
    assert_eq!(projects[0].contract.as_ref().unwrap().user_id, Some(65455));
    assert_eq!(projects[0].tasks.as_ref().unwrap()[0].name.as_deref(), Some("Integrations"));
}

#[tokio::test]
async fn get_project() {
    let server = MockServer::start_async().await;
    let body = example("Project");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234567").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let project = client(&server).get_project(1234567).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&project, &body);
    assert_eq!(project.billing_variant, Some(types::ProjectBillingVariant::Project));
    assert_eq!(project.budget, Some(dec("18200.0")));
}

#[tokio::test]
async fn create_project_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_project");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects").header("content-type", "application/json").json_body(request.clone());
            then.status(201).json_body(example("Project"));
        })
        .await;
    let project = client(&server)
        .create_project()
        .body_map(|b| {
            b.name("Website Relaunch")
                .currency("EUR")
                .leader_id(1234)
                .customer_id(5678)
                .tags(vec!["Print".to_string(), "Digital".to_string()])
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(project.status(), 201);
    assert_eq!(project.into_inner().id, 1234567);
}

#[tokio::test]
async fn create_project_with_every_field() {
    let server = MockServer::start_async().await;
    let request = example("ProjectCreate");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects").is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Project"));
        })
        .await;
    let body: types::ProjectCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.custom_properties.as_ref().and_then(|c| c.text("PO-Nummer")), Some("123-ABC"));
    assert_eq!(body.billing_variant, Some(types::BillingVariant::Project));
    client(&server).create_project().body(body).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn update_project_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567").json_body(json!({
                "budget": 25000.0,
                "custom_properties": {"PO-Nummer": "123-ABC", "Sector": ["Pharma", "Chemistry"]}
            }));
            then.status(200).json_body(example("Project"));
        })
        .await;
    let project = client(&server)
        .update_project(1234567)
        .body_map(|b| {
            b.budget(dec("25000.0"))
                .custom_properties(CustomFields::new().with("PO-Nummer", "123-ABC").with("Sector", ["Pharma", "Chemistry"]))
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(project.id, 1234567);
}

#[tokio::test]
async fn delete_project() {
    assert_deletes("/projects/1234567", 204, |client| async move { client.delete_project(1234567).send_with_response().await }).await;
}

#[tokio::test]
async fn archive_and_unarchive_project() {
    let server = MockServer::start_async().await;
    let mut archived = example("Project");
    archived["active"] = json!(false);
    let archive = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567/archive").is_true(no_body());
            then.status(200).json_body(archived.clone());
        })
        .await;
    let unarchive = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567/unarchive").is_true(no_body());
            then.status(200).json_body(example("Project"));
        })
        .await;
    let client = client(&server);
    let project = client.archive_project(1234567).send().await.unwrap();
    assert_eq!(project.active, Some(false));
    let project = client.unarchive_project(1234567).send().await.unwrap();
    assert_eq!(project.active, Some(true));
    archive.assert_async().await;
    unarchive.assert_async().await;
}

#[tokio::test]
async fn get_project_report() {
    let server = MockServer::start_async().await;
    let body = example("ProjectReport");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234567/report");
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_project_report(1234567).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    assert_eq!(report.budget_total, Some(dec("50000.0")));
    let by_task = report.costs_by_task.unwrap();
    assert_eq!(by_task.len(), 3);
    assert_eq!(by_task[1].name.as_deref(), Some("Design"));
    assert_eq!(by_task[1].hours_total, Some(dec("71.98")));
}

#[tokio::test]
async fn share_and_disable_share() {
    let server = MockServer::start_async().await;
    let shared = response_example("share_project");
    let unshared = response_example("disable_project_share");
    let share = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/123/share").is_true(no_body());
            then.status(200).json_body(shared.clone());
        })
        .await;
    let disable = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/123/disable_share").is_true(no_body());
            then.status(200).json_body(unshared.clone());
        })
        .await;
    let client = client(&server);
    let on = client.share_project(123).send().await.unwrap();
    assert_eq!((on.active, on.url.as_deref()), (Some(true), Some("https://...")));
    let off = client.disable_project_share(123).send().await.unwrap();
    assert_eq!((off.active, off.url), (Some(false), None));
    share.assert_async().await;
    disable.assert_async().await;
}

#[tokio::test]
async fn assign_and_unassign_project_group() {
    let server = MockServer::start_async().await;
    let assign = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567/assign_project_group").json_body(request_example("assign_project_group"));
            then.status(200).json_body(example("Project"));
        })
        .await;
    let unassign = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567/unassign_project_group").is_true(no_body());
            let mut project = example("Project");
            project["project_group"] = json!(null);
            then.status(200).json_body(project);
        })
        .await;
    let client = client(&server);
    let project = client.assign_project_group(1234567).body_map(|b| b.project_group_id(123)).send().await.unwrap();
    assert_eq!(project.project_group.unwrap().id, 456687);
    let project = client.unassign_project_group(1234567).send().await.unwrap();
    assert!(project.project_group.is_none());
    assign.assert_async().await;
    unassign.assert_async().await;
}

#[tokio::test]
async fn include_company_swaps_in_a_full_company() {
    // With include_company=true the customer carries all company fields; decoding must not fail.
    let server = MockServer::start_async().await;
    let mut project = example("Project");
    project["customer"] =
        json!({"id": 1233434, "name": "Beispiel AG", "type": "customer", "website": "https://beispiel.ch", "custom_properties": {}});
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param("include_company", "true");
            then.status(200).json_body(json!([project]));
        })
        .await;
    let projects = client(&server).list_projects().include_company(true).send().await.unwrap();
    assert_eq!(projects[0].customer.as_ref().unwrap().name.as_deref(), Some("Beispiel AG"));
}

#[tokio::test]
async fn update_project_can_clear_the_tags_and_takes_plain_text() {
    // An empty list is sent (it removes all tags), while fields never set are left out.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1").json_body(json!({"tags": [], "info": "Billed yearly"}));
            then.status(200).json_body(example("Project"));
        })
        .await;
    client(&server).update_project(1).body_map(|b| b.tags(Vec::<String>::new()).info("Billed yearly")).send().await.unwrap();
    mock.assert_async().await;
}
