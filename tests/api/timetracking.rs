//! Every operation of `sections/activities.md` and `sections/presences.md`: the exact request and
//! the decoded answer, impersonation when booking for a colleague, and the documented errors
//! (422 on a timer, 403 on billable seconds, 423 on a conflicting touch).

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use httpmock::prelude::*;
use mocoapp::{types, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

fn activity(id: i64) -> Value {
    let mut activity = example("Activity");
    activity["id"] = json!(id);
    activity
}

fn presence(id: i64, from: &str, to: Option<&str>) -> Value {
    let mut presence = example("Presence");
    presence["id"] = json!(id);
    presence["from"] = json!(from);
    presence["to"] = json!(to);
    presence
}

fn new_activity(day: &str, description: &str, seconds: i64) -> types::ActivityCreate {
    types::ActivityCreate::builder()
        .date(date(day))
        .project_id(123456)
        .task_id(234567)
        .description(description.to_string())
        .seconds(seconds)
        .try_into()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Activities

#[tokio::test]
async fn list_activities_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_activities");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/activities").is_true(no_body()).is_true(exact_query(&[
                ("page", "3"),
                ("sort_by", "date desc"),
                ("updated_after", "2018-10-17T09:33:46Z"),
                ("ids", "982237015,982237016"),
                ("from", "2018-06-01"),
                ("to", "2018-06-30"),
                ("user_id", "933590696"),
                ("project_id", "944587499"),
                ("task_id", "658636"),
                ("company_id", "760253684"),
                ("billable", "false"),
                ("billed", "true"),
                ("term", "search terms"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let activities = client(&server)
        .list_activities()
        .page(3)
        .sort_by(SortBy::desc("date"))
        .updated_after("2018-10-17T09:33:46Z".parse::<DateTime<Utc>>().unwrap())
        .ids([982237015, 982237016])
        .from(date("2018-06-01"))
        .to(date("2018-06-30"))
        .user_id(933590696)
        .project_id(944587499)
        .task_id(658636)
        .company_id(760253684)
        .billable(false)
        .billed(true)
        .term("search terms")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&activities, &body);
    let activity = &activities[0];
    assert_eq!(activity.id, 982237015);
    assert_eq!(activity.date, Some(date("2018-07-03")));
    assert_eq!((activity.hours, activity.seconds, activity.worked_seconds), (Some(dec("1.25")), Some(4500), Some(4500)));
    assert_eq!(activity.hourly_rate, Some(dec("150.0")));
    assert_eq!(activity.remote_service, Some(types::RemoteService::Trello));
    assert_eq!(activity.invoice_id, None);
    assert_eq!(activity.timer_started_at, None);
    let project = activity.project.as_ref().unwrap();
    assert_eq!((project.id, project.name.as_deref(), project.billable), (944587499, Some("Website Relaunch"), Some(false)));
    assert_eq!(activity.task.as_ref().unwrap().name.as_deref(), Some("Concept"));
    assert_eq!(activity.customer.as_ref().unwrap().id, 760253684);
    assert_eq!(activity.user.as_ref().unwrap().lastname.as_deref(), Some("Doe"));
}

#[tokio::test]
async fn list_activities_streams_two_pages_keeping_its_filters() {
    let server = MockServer::start_async().await;
    let filters = [("from", "2018-06-01"), ("to", "2018-06-30"), ("project_id", "4242"), ("billable", "true")];
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/activities").is_true(exact_query(&filters));
            then.status(200)
                .header("X-Page", "1")
                .header("X-Per-Page", "2")
                .header("X-Total", "3")
                .header(
                    "Link",
                    format!(
                        "<{}?from=2018-06-01&to=2018-06-30&project_id=4242&billable=true&page=2>; rel=\"next\"",
                        server.url("/api/v1/activities")
                    ),
                )
                .json_body(json!([activity(1), activity(2)]));
        })
        .await;
    let mut second_query = filters.to_vec();
    second_query.push(("page", "2"));
    let second = server
        .mock_async(|when, then| {
            moco(when, GET, "/activities").is_true(exact_query(&second_query));
            then.status(200).header("X-Page", "2").header("X-Per-Page", "2").header("X-Total", "3").json_body(json!([activity(3)]));
        })
        .await;
    let client = client(&server);
    let activities: Vec<types::Activity> = client
        .list_activities()
        .from(date("2018-06-01"))
        .to(date("2018-06-30"))
        .project_id(4242)
        .billable(true)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(activities.iter().map(|a| a.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(activities[2].description.as_deref(), Some("Analysis context and dependencies"));
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn get_activity() {
    let server = MockServer::start_async().await;
    let body = example("Activity");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/activities/982237015").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let activity = client(&server).get_activity(982237015).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&activity, &body);
    assert_eq!(activity.description.as_deref(), Some("Analysis context and dependencies"));
    assert_eq!(activity.remote_url.as_deref(), Some("https://trello.com/c/9qzOS8AA/123-analyse"));
    assert_eq!(activity.billed, Some(false));
    assert_eq!(activity.created_at, Some("2018-10-17T09:33:46Z".parse::<DateTime<Utc>>().unwrap()));
}

#[tokio::test]
async fn create_activity_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_activity");
    let mut created = example("Activity");
    created["date"] = json!("2017-06-11");
    created["seconds"] = json!(3600);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities")
                .header("content-type", "application/json")
                .header_missing("x-impersonate-user-id")
                .json_body(request.clone());
            then.status(201).json_body(created.clone());
        })
        .await;
    let response = client(&server)
        .create_activity()
        .body_map(|b| {
            b.date(date("2017-06-11")).description("Analysis context and dependencies").project_id(123456).task_id(234567).seconds(3600)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let activity = response.into_inner();
    assert_decoded(&activity, &created);
    assert_eq!((activity.date, activity.seconds), (Some(date("2017-06-11")), Some(3600)));
}

#[tokio::test]
async fn create_activity_with_every_field() {
    let server = MockServer::start_async().await;
    let request = example("ActivityCreate");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities").json_body(request.clone());
            then.status(200).json_body(example("Activity"));
        })
        .await;
    let body: types::ActivityCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.remote_service, Some(types::ActivityRemoteService::Jira));
    assert_eq!(body.tag.as_deref(), Some("RMT-123"));
    assert_eq!(body.billable, Some(true));
    let activity = client(&server).create_activity().body(body).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(activity.id, 982237015);
}

#[tokio::test]
async fn create_activity_for_another_user_through_impersonation() {
    let server = MockServer::start_async().await;
    let colleague_id = 933590697;
    let mut created = example("Activity");
    created["user"] = json!({"id": colleague_id, "firstname": "Jane", "lastname": "Roe"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities").header("x-impersonate-user-id", colleague_id.to_string()).json_body(json!({
                "date": "2018-07-03",
                "project_id": 944587499,
                "task_id": 658636,
                "seconds": 4500,
                "description": "Analysis context and dependencies",
                "remote_service": "trello",
                "remote_id": "9qzOS8AA"
            }));
            then.status(201).json_body(created.clone());
        })
        .await;
    let client = client(&server);
    let colleague = client.impersonate(colleague_id);
    assert_eq!(colleague.impersonated_user(), Some(colleague_id));
    let activity = colleague
        .create_activity()
        .body_map(|b| {
            b.date(date("2018-07-03"))
                .project_id(944587499)
                .task_id(658636)
                .seconds(4500)
                .description("Analysis context and dependencies")
                .remote_service(types::ActivityRemoteService::Trello)
                .remote_id("9qzOS8AA")
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&activity, &created);
    assert_eq!(activity.user.unwrap().id, colleague_id);
}

#[tokio::test]
async fn create_activity_without_impersonation_sends_no_impersonation_header() {
    let server = MockServer::start_async().await;
    let request = request_example("create_activity");
    let as_colleague = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities").header_exists("x-impersonate-user-id");
            then.status(201).json_body(example("Activity"));
        })
        .await;
    let as_self = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities").header_missing("x-impersonate-user-id").json_body(request.clone());
            then.status(201).json_body(example("Activity"));
        })
        .await;
    let client = client(&server);
    // Deriving an impersonating client leaves the original untouched.
    let _colleague = client.impersonate(933590697);
    assert_eq!(client.impersonated_user(), None);
    let body: types::ActivityCreate = serde_json::from_value(request.clone()).unwrap();
    let activity = client.create_activity().body(body).send().await.unwrap();
    assert_eq!(activity.user.unwrap().id, 933590696);
    as_self.assert_async().await;
    as_colleague.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_activities_bulk_sends_the_activities_array() {
    let server = MockServer::start_async().await;
    let request = request_example("create_activities_bulk");
    let mut first = activity(1001);
    first["description"] = json!("Activity 1");
    first["seconds"] = json!(3600);
    let mut second = activity(1002);
    second["description"] = json!("Activity 2");
    second["seconds"] = json!(7200);
    let created = json!([first, second]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities/bulk").header("content-type", "application/json").json_body(request.clone());
            then.status(200).json_body(created.clone());
        })
        .await;
    assert_eq!(request["activities"].as_array().unwrap().len(), 2);
    let activities = client(&server)
        .create_activities_bulk()
        .body_map(|b| b.activities(vec![new_activity("2023-08-21", "Activity 1", 3600), new_activity("2023-08-21", "Activity 2", 7200)]))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&activities, &created);
    let summary: Vec<_> = activities.iter().map(|a| (a.id, a.description.as_deref(), a.seconds)).collect();
    assert_eq!(summary, vec![(1001, Some("Activity 1"), Some(3600)), (1002, Some("Activity 2"), Some(7200))]);
}

#[tokio::test]
async fn update_activity_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let mut updated = example("Activity");
    updated["seconds"] = json!(7200);
    updated["worked_seconds"] = json!(7200);
    updated["hours"] = json!(2.0);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/activities/982237015").json_body(request_example("update_activity"));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let activity = client(&server).update_activity(982237015).body_map(|b| b.seconds(7200)).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&activity, &updated);
    assert_eq!((activity.seconds, activity.hours), (Some(7200), Some(dec("2.0"))));
}

#[tokio::test]
async fn update_activity_billable_seconds_leaves_worked_seconds() {
    let server = MockServer::start_async().await;
    let mut updated = example("Activity");
    updated["seconds"] = json!(7200);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/activities/982237015/billable_seconds")
                .header("content-type", "application/json")
                .json_body(request_example("update_activity_billable_seconds"));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let activity = client(&server).update_activity_billable_seconds(982237015).body_map(|b| b.seconds(7200)).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&activity, &updated);
    assert_eq!((activity.seconds, activity.worked_seconds), (Some(7200), Some(4500)));
}

#[tokio::test]
async fn update_activity_billable_seconds_without_permission_is_forbidden() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/activities/982237015/billable_seconds").json_body(json!({"seconds": 7200}));
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    let err = client(&server)
        .update_activity_billable_seconds(982237015)
        .body(types::ActivityBillableSeconds { seconds: 7200 })
        .send()
        .await
        .unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&err, Error::Forbidden { message: Some(m) } if m == "Keine Berechtigung"), "{err:?}");
}

#[tokio::test]
async fn start_activity_timer() {
    let server = MockServer::start_async().await;
    let mut running = example("Activity");
    running["timer_started_at"] = json!("2018-07-03T10:15:00Z");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/activities/982237015/start_timer").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(running.clone());
        })
        .await;
    let activity = client(&server).start_activity_timer(982237015).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&activity, &running);
    assert_eq!(activity.timer_started_at, Some("2018-07-03T10:15:00Z".parse::<DateTime<Utc>>().unwrap()));
}

#[tokio::test]
async fn start_activity_timer_on_another_day_is_unprocessable() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/activities/982237015/start_timer").is_true(no_body());
            then.status(422).json_body(json!({
                "message": "Timer kann nicht gestartet werden",
                "errors": {"timer_started_at": ["ist nur für heute möglich"]}
            }));
        })
        .await;
    let err = client(&server).start_activity_timer(982237015).send_with_response().await.unwrap_err();
    mock.assert_async().await;
    match &err {
        Error::Unprocessable { message, errors } => {
            assert_eq!(message.as_deref(), Some("Timer kann nicht gestartet werden"));
            assert_eq!(errors.as_ref().unwrap()["timer_started_at"][0], "ist nur für heute möglich");
        }
        other => panic!("expected Unprocessable, got {other:?}"),
    }
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNPROCESSABLE_ENTITY));
}

#[tokio::test]
async fn stop_activity_timer() {
    let server = MockServer::start_async().await;
    let mut stopped = example("Activity");
    stopped["seconds"] = json!(5400);
    stopped["worked_seconds"] = json!(5400);
    stopped["hours"] = json!(1.5);
    let mock = server
        .mock_async(|when, then| {
            moco(when, PATCH, "/activities/982237015/stop_timer").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(stopped.clone());
        })
        .await;
    let activity = client(&server).stop_activity_timer(982237015).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&activity, &stopped);
    assert_eq!(activity.timer_started_at, None);
    assert_eq!((activity.hours, activity.worked_seconds), (Some(dec("1.5")), Some(5400)));
}

#[tokio::test]
async fn delete_activity() {
    assert_deletes("/activities/982237015", 204, |client| async move { client.delete_activity(982237015).send_with_response().await })
        .await;
}

#[tokio::test]
async fn disregard_activities_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("disregard_activities");
    // The ids, as MOCO's OpenAPI description shows the answer.
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities/disregard").header("content-type", "application/json").json_body(request.clone());
            then.status(200).json_body(json!([47268, 47269.0]));
        })
        .await;
    let client = client(&server);
    let ids = client
        .disregard_activities()
        .body_map(|b| b.activity_ids(vec![47268, 47269]).reason("Courtesy service as agreed").company_id(123456))
        .send()
        .await
        .unwrap()
        .unwrap();
    mock.assert_async().await;
    assert_eq!(ids, vec![types::DisregardedActivity::Id(47268), types::DisregardedActivity::Id(47269)]);
}

#[tokio::test]
async fn disregard_activities_accepts_the_activities_or_nothing() {
    let server = MockServer::start_async().await;
    let full = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities/disregard");
            then.status(200).json_body(json!([activity(47268), 47269]));
        })
        .await;
    let client = client(&server);
    let disregard =
        || client.disregard_activities().body_map(|b| b.activity_ids(vec![47268, 47269]).reason("Courtesy service").company_id(123456));
    let answer = disregard().send().await.unwrap().unwrap();
    assert!(matches!(&answer[0], types::DisregardedActivity::Activity(a) if a.id == 47268), "{answer:?}");
    assert_eq!(answer.iter().map(types::DisregardedActivity::id).collect::<Vec<_>>(), vec![47268, 47269]);
    full.delete_async().await;
    for status in [204, 200] {
        let empty = server
            .mock_async(|when, then| {
                moco(when, POST, "/activities/disregard");
                then.status(status);
            })
            .await;
        let answer = disregard().send_with_response().await.unwrap();
        assert_eq!((answer.status().as_u16(), answer.into_inner()), (status, None));
        empty.delete_async().await;
    }
    // Anything else is still a decode error.
    server
        .mock_async(|when, then| {
            moco(when, POST, "/activities/disregard");
            then.status(200).json_body(json!({"ok": true}));
        })
        .await;
    assert!(matches!(disregard().send().await, Err(Error::Decode { .. })));
}

#[tokio::test]
async fn disregard_activities_of_one_project() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/activities/disregard").json_body(json!({
                "activity_ids": [123, 234, 345],
                "reason": "Courtesy service as agreed",
                "company_id": 123456,
                "project_id": 234567
            }));
            then.status(200).json_body(json!([activity(123), activity(234), activity(345)]));
        })
        .await;
    let activities = client(&server)
        .disregard_activities()
        .body(types::ActivityDisregard {
            activity_ids: vec![123, 234, 345],
            reason: "Courtesy service as agreed".into(),
            company_id: 123456,
            project_id: Some(234567),
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(activities.map(|a| a.len()), Some(3));
}

// ---------------------------------------------------------------------------------------------
// User presences

#[tokio::test]
async fn list_presences_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_presences");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/presences").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("sort_by", "date asc"),
                ("updated_after", "2018-10-17T09:33:46Z"),
                ("ids", "982237015,982237016"),
                ("from", "2018-06-01"),
                ("to", "2018-06-30"),
                ("user_id", "933590696"),
                ("is_home_office", "true"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let presences = client(&server)
        .list_presences()
        .page(2)
        .sort_by(SortBy::asc("date"))
        .updated_after("2018-10-17T09:33:46Z".parse::<DateTime<Utc>>().unwrap())
        .ids([982237015, 982237016])
        .from(date("2018-06-01"))
        .to(date("2018-06-30"))
        .user_id(933590696)
        .is_home_office(true)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&presences, &body);
    let presence = &presences[0];
    assert_eq!(presence.id, 982237015);
    assert_eq!(presence.date, Some(date("2018-07-03")));
    assert_eq!((presence.from.as_deref(), presence.to.as_deref()), (Some("07:30"), Some("13:15")));
    assert_eq!(presence.is_home_office, Some(true));
    assert_eq!(presence.user.as_ref().unwrap().id, 933590696);
}

#[tokio::test]
async fn list_presences_collects_two_pages_keeping_its_filters() {
    let server = MockServer::start_async().await;
    let filters = [("from", "2018-06-01"), ("to", "2018-06-30"), ("user_id", "933590696")];
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/presences").is_true(exact_query(&filters));
            then.status(200)
                .header("X-Page", "1")
                .header("X-Per-Page", "2")
                .header("X-Total", "3")
                .header(
                    "Link",
                    format!(
                        "<{}?from=2018-06-01&to=2018-06-30&user_id=933590696&page=2>; rel=\"next\"",
                        server.url("/api/v1/users/presences")
                    ),
                )
                .json_body(json!([presence(1, "08:00", Some("12:00")), presence(2, "13:00", Some("17:30"))]));
        })
        .await;
    let mut second_query = filters.to_vec();
    second_query.push(("page", "2"));
    let second = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/presences").is_true(exact_query(&second_query));
            then.status(200).header("X-Page", "2").json_body(json!([presence(3, "09:15", None)]));
        })
        .await;
    let presences =
        client(&server).list_presences().from(date("2018-06-01")).to(date("2018-06-30")).user_id(933590696).collect_all().await.unwrap();
    first.assert_async().await;
    second.assert_async().await;
    let times: Vec<_> = presences.iter().map(|p| (p.id, p.from.as_deref(), p.to.as_deref())).collect();
    assert_eq!(times, vec![(1, Some("08:00"), Some("12:00")), (2, Some("13:00"), Some("17:30")), (3, Some("09:15"), None)]);
}

#[tokio::test]
async fn get_presence() {
    let server = MockServer::start_async().await;
    let body = example("Presence");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/presences/982237015").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let presence = client(&server).get_presence(982237015).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&presence, &body);
    assert_eq!((presence.from.as_deref(), presence.to.as_deref()), (Some("07:30"), Some("13:15")));
    assert_eq!(presence.updated_at, Some("2018-10-17T09:33:46Z".parse::<DateTime<Utc>>().unwrap()));
}

#[tokio::test]
async fn create_presence_sends_hh_mm_times() {
    let server = MockServer::start_async().await;
    let request = request_example("create_presence");
    let mut created = presence(982237016, "08:00", Some("10:00"));
    created["date"] = json!("2018-06-11");
    created["is_home_office"] = json!(false);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/presences").header("content-type", "application/json").json_body(request.clone());
            then.status(201).json_body(created.clone());
        })
        .await;
    let response = client(&server)
        .create_presence()
        .body_map(|b| b.date(date("2018-06-11")).from("08:00").to("10:00"))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let presence = response.into_inner();
    assert_decoded(&presence, &created);
    assert_eq!(presence.date, Some(date("2018-06-11")));
    assert_eq!((presence.from.as_deref(), presence.to.as_deref()), (Some("08:00"), Some("10:00")));
}

#[tokio::test]
async fn create_an_open_home_office_presence() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/presences").json_body(json!({"date": "2018-06-11", "from": "08:00", "is_home_office": true}));
            then.status(200).json_body(presence(982237017, "08:00", None));
        })
        .await;
    let presence = client(&server)
        .create_presence()
        .body(types::PresenceCreate { date: date("2018-06-11"), from: "08:00".into(), to: None, is_home_office: Some(true) })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(presence.to, None);
}

#[tokio::test]
async fn touch_presence_with_an_override_time() {
    let server = MockServer::start_async().await;
    let opened = presence(982237018, "14:45", None);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/presences/touch")
                .header("content-type", "application/json")
                .json_body(json!({"is_home_office": true, "override": "2022-03-27 14:45"}));
            then.status(200).json_body(opened.clone());
        })
        .await;
    let presence =
        client(&server).touch_presence().body_map(|b| b.is_home_office(true).override_time("2022-03-27 14:45")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&presence, &opened);
    assert_eq!((presence.from.as_deref(), presence.to), (Some("14:45"), None));
}

#[tokio::test]
async fn touch_presence_with_the_spec_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("touch_presence");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/presences/touch").json_body(request.clone());
            then.status(201).json_body(presence(982237019, "09:30", None));
        })
        .await;
    let body: types::PresenceTouch = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.is_home_office, Some(true));
    let response = client(&server).touch_presence().body(body).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn touch_presence_without_fields_clocks_out() {
    // The docs' first curl sends no body; the generated builder sends an empty JSON object.
    let server = MockServer::start_async().await;
    let closed = presence(982237019, "09:30", Some("11:30"));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/presences/touch").is_true(exact_query(&[])).json_body(json!({}));
            then.status(200).json_body(closed.clone());
        })
        .await;
    let presence = client(&server).touch_presence().send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&presence, &closed);
    assert_eq!((presence.from.as_deref(), presence.to.as_deref()), (Some("09:30"), Some("11:30")));
}

#[tokio::test]
async fn touch_presence_conflicting_with_an_existing_one_is_locked() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/presences/touch").json_body(json!({"override": "2022-03-27 14:45"}));
            then.status(423).json_body(json!({"message": "Konflikt mit bestehender Arbeitszeit"}));
        })
        .await;
    let err = client(&server).touch_presence().body_map(|b| b.override_time("2022-03-27 14:45")).send_with_response().await.unwrap_err();
    mock.assert_calls_async(1).await;
    match &err {
        Error::Http { status, message, .. } => {
            assert_eq!(*status, reqwest::StatusCode::LOCKED);
            assert_eq!(message.as_deref(), Some("Konflikt mit bestehender Arbeitszeit"));
        }
        other => panic!("expected Http 423, got {other:?}"),
    }
    assert_eq!(err.status(), Some(reqwest::StatusCode::LOCKED));
}

#[tokio::test]
async fn update_presence_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let updated = presence(982237015, "07:30", Some("14:00"));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/presences/982237015").json_body(request_example("update_presence"));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let presence = client(&server).update_presence(982237015).body_map(|b| b.to("14:00")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&presence, &updated);
    assert_eq!(presence.to.as_deref(), Some("14:00"));
}

#[tokio::test]
async fn delete_presence() {
    assert_deletes("/users/presences/982237015", 204, |client| async move { client.delete_presence(982237015).send_with_response().await })
        .await;
}
