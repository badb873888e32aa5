//! Every operation of `sections/schedules.md`, `planning_entries.md`, `holidays.md`,
//! `work_time_adjustments.md` and `reports.md`: the exact request and the decoded answer.

use futures::TryStreamExt;
use httpmock::prelude::*;
use mocoapp::{types, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// Two pages of the list at `path`: the first (asked for without `page`) links to the second.
/// Both pages only match when they carry exactly `filters` (plus `page=2` on the second).
async fn two_pages<'a>(
    server: &'a MockServer,
    path: &str,
    filters: &[(&str, &str)],
    first: Value,
    second: Value,
) -> [httpmock::Mock<'a>; 2] {
    let link = format!("<{}?page=2>; rel=\"next\"", server.url(format!("/api/v1{path}")));
    let page_one = server
        .mock_async(|when, then| {
            moco(when, GET, path).is_true(exact_query(filters));
            then.status(200)
                .header("X-Page", "1")
                .header("X-Per-Page", "1")
                .header("X-Total", "2")
                .header("Link", link.as_str())
                .json_body(first);
        })
        .await;
    let mut with_page = filters.to_vec();
    with_page.push(("page", "2"));
    let page_two = server
        .mock_async(|when, then| {
            moco(when, GET, path).is_true(exact_query(&with_page));
            then.status(200).header("X-Page", "2").header("X-Per-Page", "1").header("X-Total", "2").json_body(second);
        })
        .await;
    [page_one, page_two]
}

/// A copy of `value` with `changes` merged into its top level.
fn with(mut value: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        value[k] = v.clone();
    }
    value
}

// ---------------------------------------------------------------------------------------------
// Schedules (absences)
// ---------------------------------------------------------------------------------------------

/// The docs' schedule, but with the assignment code as the number 4 instead of the string "4".
fn schedule_with_numeric_code() -> Value {
    let mut schedule = example("Schedule");
    schedule["id"] = json!(124);
    schedule["date"] = json!("2017-06-15");
    schedule["pm"] = json!(false);
    schedule["symbol"] = json!(5);
    schedule["assignment"]["code"] = json!(4);
    schedule
}

#[tokio::test]
async fn list_schedules_sends_every_filter_and_decodes_string_and_numeric_codes() {
    let server = MockServer::start_async().await;
    let body = json!([example("Schedule"), schedule_with_numeric_code()]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/schedules").is_true(no_body()).is_true(exact_query(&[
                ("page", "3"),
                ("sort_by", "date desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "123,124"),
                ("from", "2017-05-01"),
                ("to", "2017-06-30"),
                ("user_id", "567"),
                ("absence_code", "3,4"),
                ("absence_request_id", "98765"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let schedules = client(&server)
        .list_schedules()
        .page(3)
        .sort_by(SortBy::desc("date"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 124])
        .from(date("2017-05-01"))
        .to(date("2017-06-30"))
        .user_id(567)
        .absence_code([3, 4])
        .absence_request_id(98765)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&schedules, &body);
    assert_eq!(schedules.len(), 2);

    let docs = &schedules[0];
    assert_eq!(docs.id, 123);
    assert_eq!(docs.date, Some(date("2017-06-14")));
    assert_eq!((docs.am, docs.pm, docs.symbol.clone()), (Some(true), Some(true), None));
    assert_eq!(docs.user.as_ref().unwrap().lastname.as_deref(), Some("Schäuble"));
    let assignment = docs.assignment.as_ref().unwrap();
    // The docs send the code as the string "4".
    assert_eq!(assignment.code, Some(types::ScheduleAssignmentCode::Holiday));
    assert_eq!(assignment.kind, Some(types::ScheduleAssignmentType::Absence));

    let numeric = &schedules[1];
    let code = numeric.assignment.as_ref().unwrap().code.as_ref().unwrap();
    // Whichever form MOCO sends, the code reads the same.
    assert_eq!(code, &types::ScheduleAssignmentCode::Holiday);
    assert_eq!(code.code(), Some(4));
    assert_eq!(code.to_string(), "4");
    assert_eq!((numeric.pm, numeric.symbol.clone()), (Some(false), Some(types::AbsenceSymbol::Cocktail)));
}

#[tokio::test]
async fn list_schedules_streams_two_pages_keeping_filters() {
    let server = MockServer::start_async().await;
    let filters = [("from", "2018-10-01"), ("to", "2018-10-31"), ("absence_code", "3,4")];
    let pages = two_pages(&server, "/schedules", &filters, json!([example("Schedule")]), json!([schedule_with_numeric_code()])).await;
    let client = client(&server);
    let ids: Vec<i64> = client
        .list_schedules()
        .from(date("2018-10-01"))
        .to(date("2018-10-31"))
        .absence_code([3, 4])
        .stream()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, vec![123, 124]);
    for page in &pages {
        page.assert_async().await;
    }
}

#[tokio::test]
async fn get_schedule() {
    let server = MockServer::start_async().await;
    let body = example("Schedule");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/schedules/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let schedule = client(&server).get_schedule(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&schedule, &body);
    assert_eq!(schedule.comment.as_deref(), Some("Half day off"));
    assert_eq!(schedule.assignment.unwrap().name.as_deref(), Some("Holiday"));
    assert_eq!(schedule.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn create_schedule_sends_the_absence_code_as_a_number() {
    let server = MockServer::start_async().await;
    let request = request_example("create_schedule");
    assert_eq!(request, json!({"date": "2018-10-01", "absence_code": 4}));
    let answer = with(schedule_with_numeric_code(), json!({"id": 125, "date": "2018-10-01"}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/schedules")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .header_missing("x-impersonate-user-id")
                .json_body(request.clone());
            then.status(201).json_body(answer.clone());
        })
        .await;
    let response =
        client(&server).create_schedule().body_map(|b| b.date(date("2018-10-01")).absence_code(4)).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let schedule = response.into_inner();
    assert_decoded(&schedule, &answer);
    assert_eq!(schedule.id, 125);
    assert_eq!(schedule.assignment.unwrap().code, Some(types::ScheduleAssignmentCode::Holiday));
}

#[tokio::test]
async fn create_schedule_with_every_field_for_a_colleague() {
    let server = MockServer::start_async().await;
    let request = example("ScheduleCreate");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/schedules").header("x-impersonate-user-id", "933590696").json_body(request.clone());
            then.status(200).json_body(example("Schedule"));
        })
        .await;
    let body: types::ScheduleCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(*body.absence_code, 4);
    assert_eq!(body.symbol.as_deref(), Some(&1));
    let schedule = client(&server).create_schedule().x_impersonate_user_id(933590696).body(body).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(schedule.id, 123);
}

#[tokio::test]
async fn create_schedule_refuses_an_unknown_absence_code_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(example("Schedule"));
        })
        .await;
    let client = client(&server);
    let result = client.create_schedule().body_map(|b| b.date(date("2018-10-01")).absence_code(6_i64)).send().await;
    assert!(matches!(&result, Err(Error::InvalidRequest(_))), "{result:?}");
    // The date is required too.
    let result = client.create_schedule().body_map(|b| b.absence_code(4)).send().await;
    assert!(matches!(&result, Err(Error::InvalidRequest(m)) if m.contains("date")), "{result:?}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_schedule_rejected_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/schedules");
            then.status(422).json_body(json!({
                "message": "Datum ist bereits vergeben",
                "errors": {"date": ["ist bereits vergeben"]}
            }));
        })
        .await;
    let error = client(&server).create_schedule().body_map(|b| b.date(date("2018-10-01")).absence_code(4)).send().await.unwrap_err();
    mock.assert_async().await;
    match error {
        Error::Unprocessable { message, errors } => {
            assert_eq!(message.as_deref(), Some("Datum ist bereits vergeben"));
            assert_eq!(errors, Some(json!({"date": ["ist bereits vergeben"]})));
        }
        other => panic!("expected Unprocessable, got {other:?}"),
    }
}

#[tokio::test]
async fn update_schedule_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let request = request_example("update_schedule");
    let answer = with(example("Schedule"), json!({"comment": "A comment"}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/schedules/123").is_true(exact_query(&[])).json_body(request.clone());
            then.status(200).json_body(answer.clone());
        })
        .await;
    let schedule = client(&server).update_schedule(123).body_map(|b| b.comment("A comment")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&schedule, &answer);
    assert_eq!(schedule.comment.as_deref(), Some("A comment"));
}

#[tokio::test]
async fn update_schedule_absence_code_is_a_number() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/schedules/123").json_body(json!({"absence_code": 3, "am": true, "pm": false}));
            then.status(200).json_body(with(example("Schedule"), json!({"pm": false})));
        })
        .await;
    let schedule = client(&server)
        .update_schedule(123)
        .body_map(|b| b.absence_code(types::ScheduleAbsenceCode::try_from(3_i64).unwrap()).am(true).pm(false))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(schedule.pm, Some(false));
}

#[tokio::test]
async fn delete_schedule() {
    assert_deletes("/schedules/123", 204, |client| async move { client.delete_schedule(123).send_with_response().await }).await;
}

// ---------------------------------------------------------------------------------------------
// Planning entries
// ---------------------------------------------------------------------------------------------

/// A planning entry on a deal: the docs' deal attributes, the project set to null.
fn deal_entry() -> Value {
    with(
        example("PlanningEntry"),
        json!({
            "id": 4840,
            "title": "Pitch",
            "project": null,
            "task": null,
            "deal": example("PlanningEntryDeal"),
            "tentative": true,
            "hours_per_day": 2.5,
        }),
    )
}

#[tokio::test]
async fn list_planning_entries_sends_the_period_verbatim_and_decodes_project_and_deal_entries() {
    let server = MockServer::start_async().await;
    let body = json!([example("PlanningEntry"), deal_entry()]);
    let mock = server
        .mock_async(|when, then| {
            // After URL decoding the period is exactly `FROM:TO`, the colon included.
            moco(when, GET, "/planning_entries").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("sort_by", "starts_on asc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "4839,4840"),
                ("period", "2020-05-01:2020-07-31"),
                ("user_id", "5484"),
                ("project_id", "4553"),
                ("deal_id", "6542"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let entries = client(&server)
        .list_planning_entries()
        .page(2)
        .sort_by(SortBy::asc("starts_on"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([4839, 4840])
        .period(mocoapp::Period::new(date("2020-05-01"), date("2020-07-31")))
        .user_id(5484)
        .project_id(4553)
        .deal_id(6542)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&entries, &body);

    let on_project = &entries[0];
    assert_eq!(on_project.hours_per_day, Some(dec("6.0")));
    assert_eq!(on_project.starts_on, Some(date("2020-05-04")));
    let project = on_project.project.as_ref().unwrap();
    assert_eq!((project.id, project.identifier.as_deref()), (4553, Some("130")));
    assert!(on_project.deal.is_none());
    assert_eq!(on_project.task.as_ref().unwrap().id, 6789);
    assert_eq!(on_project.user.as_ref().unwrap().firstname.as_deref(), Some("Thomas"));

    let on_deal = &entries[1];
    assert!(on_deal.project.is_none());
    let deal = on_deal.deal.as_ref().unwrap();
    assert_eq!((deal.id, deal.name.as_deref(), deal.color.as_deref()), (6542, Some("Redesign website"), Some("#aacb84")));
    assert_eq!((on_deal.tentative, on_deal.hours_per_day), (Some(true), Some(dec("2.5"))));
}

#[tokio::test]
async fn the_period_colon_is_not_altered_on_the_wire() {
    // Whatever the encoding, the raw query must decode to the colon (`:` or `%3A`), never to a
    // double-encoded `%253A` or a split value.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/planning_entries").is_true(|request: &HttpMockRequest| {
                let query = request.uri().query().unwrap_or_default().to_string();
                query == "period=2020-04-01:2020-07-31" || query == "period=2020-04-01%3A2020-07-31"
            });
            then.status(200).json_body(json!([]));
        })
        .await;
    let entries = client(&server).list_planning_entries().period("2020-04-01:2020-07-31").send().await.unwrap();
    mock.assert_async().await;
    assert!(entries.is_empty());
}

#[tokio::test]
async fn list_planning_entries_streams_two_pages_keeping_filters() {
    let server = MockServer::start_async().await;
    let filters = [("period", "2020-05-01:2020-07-31"), ("user_id", "5484")];
    let pages = two_pages(&server, "/planning_entries", &filters, json!([example("PlanningEntry")]), json!([deal_entry()])).await;
    let client = client(&server);
    let entries = client.list_planning_entries().period("2020-05-01:2020-07-31").user_id(5484).collect_all().await.unwrap();
    assert_eq!(entries.iter().map(|e| e.id).collect::<Vec<_>>(), vec![4839, 4840]);
    assert!(entries[0].project.is_some() && entries[1].deal.is_some());
    for page in &pages {
        page.assert_async().await;
    }
}

#[tokio::test]
async fn get_planning_entry() {
    let server = MockServer::start_async().await;
    let body = example("PlanningEntry");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/planning_entries/4839").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let entry = client(&server).get_planning_entry(4839).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&entry, &body);
    assert_eq!(entry.title.as_deref(), Some("Project Management"));
    assert_eq!((entry.read_only, entry.tentative, entry.series_id), (Some(false), Some(false), None));
    assert_eq!(entry.project.unwrap().customer_name.as_deref(), Some("Acme GmbH"));
}

#[tokio::test]
async fn get_planning_entry_that_does_not_exist_is_not_found() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/planning_entries/1");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let error = client(&server).get_planning_entry(1).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&error, Error::NotFound { message } if message.as_deref() == Some("Not found")), "{error:?}");
}

#[tokio::test]
async fn create_planning_entry_for_a_project_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_planning_entry");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/planning_entries")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("PlanningEntry"));
        })
        .await;
    let response = client(&server)
        .create_planning_entry()
        .body_map(|b| {
            b.project_id(4322)
                .task_id(6789)
                .title("Project Management")
                .starts_on(date("2020-05-20"))
                .ends_on(date("2020-05-30"))
                .hours_per_day(3.0)
                .comment("A comment...")
                .symbol(types::PlanningEntrySymbol::try_from(2_i64).unwrap())
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let entry = response.into_inner();
    assert_eq!(entry.id, 4839);
    assert!(entry.project.is_some() && entry.deal.is_none());
}

#[tokio::test]
async fn create_planning_entry_for_a_deal_leaves_the_project_out() {
    let server = MockServer::start_async().await;
    let answer = deal_entry();
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/planning_entries").is_true(json_equiv(json!({
                "deal_id": 6542,
                "user_id": 5484,
                "starts_on": "2020-05-04",
                "ends_on": "2020-05-04",
                "hours_per_day": 2.5,
                "title": "Pitch",
                "tentative": true
            })));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let entry = client(&server)
        .create_planning_entry()
        .body_map(|b| {
            b.deal_id(6542)
                .user_id(5484)
                .starts_on(date("2020-05-04"))
                .ends_on(date("2020-05-04"))
                .hours_per_day(2.5)
                .title("Pitch")
                .tentative(true)
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&entry, &answer);
    assert!(entry.project.is_none());
    assert_eq!(entry.deal.unwrap().customer_name.as_deref(), Some("Acme GmbH"));
}

#[tokio::test]
async fn create_planning_entry_without_dates_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(example("PlanningEntry"));
        })
        .await;
    let result = client(&server).create_planning_entry().body_map(|b| b.project_id(4322).hours_per_day(3.0)).send().await;
    assert!(matches!(&result, Err(Error::InvalidRequest(m)) if m.contains("starts_on") || m.contains("ends_on")), "{result:?}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn update_planning_entry_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let request = request_example("update_planning_entry");
    let answer = with(example("PlanningEntry"), json!({"hours_per_day": 5.0}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/planning_entries/4839").is_true(exact_query(&[])).is_true(json_equiv(request.clone()));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let entry = client(&server).update_planning_entry(4839).body_map(|b| b.hours_per_day(dec("5.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&entry, &answer);
    assert_eq!(entry.hours_per_day, Some(dec("5.0")));
}

#[tokio::test]
async fn delete_planning_entry() {
    assert_deletes("/planning_entries/4839", 200, |client| async move { client.delete_planning_entry(4839).send_with_response().await })
        .await;
}

#[tokio::test]
async fn delete_planning_entry_without_permission_is_forbidden() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/planning_entries/4839");
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    let error = client(&server).delete_planning_entry(4839).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&error, Error::Forbidden { message } if message.as_deref() == Some("Keine Berechtigung")), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// User holidays
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_holidays_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_holidays");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/holidays").is_true(no_body()).is_true(exact_query(&[
                ("page", "1"),
                ("sort_by", "year desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "12345"),
                ("year", "2019"),
                ("user_id", "933590696"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let holidays = client(&server)
        .list_holidays()
        .page(1)
        .sort_by(SortBy::desc("year"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([12345])
        .year(2019)
        .user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&holidays, &body);
    let holiday = &holidays[0];
    assert_eq!((holiday.year, holiday.days, holiday.hours), (Some(2019), Some(dec("20.0")), Some(dec("160.0"))));
    assert_eq!(holiday.user.as_ref().unwrap().id, 933590696);
    assert_eq!(holiday.creator.as_ref().unwrap().firstname.as_deref(), Some("Jane"));
}

#[tokio::test]
async fn list_holidays_streams_two_pages_keeping_filters() {
    let server = MockServer::start_async().await;
    let second = with(example("UserHoliday"), json!({"id": 12346, "title": "Sonderurlaub", "days": 2.5, "hours": 20.0}));
    let pages = two_pages(&server, "/users/holidays", &[("year", "2019")], json!([example("UserHoliday")]), json!([second])).await;
    let client = client(&server);
    let holidays: Vec<types::UserHoliday> = client.list_holidays().year(2019).stream().try_collect().await.unwrap();
    assert_eq!(holidays.iter().map(|h| h.id).collect::<Vec<_>>(), vec![12345, 12346]);
    assert_eq!(holidays[1].days, Some(dec("2.5")));
    for page in &pages {
        page.assert_async().await;
    }
}

#[tokio::test]
async fn get_holiday() {
    let server = MockServer::start_async().await;
    let body = example("UserHoliday");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/holidays/12345").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let holiday = client(&server).get_holiday(12345).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&holiday, &body);
    assert_eq!(holiday.title.as_deref(), Some("Urlaubsanspruch 80%"));
    assert_eq!(holiday.updated_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn create_holiday_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_holiday");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/holidays")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("UserHoliday"));
        })
        .await;
    let response = client(&server)
        .create_holiday()
        .body_map(|b| b.user_id(933590696).year(2019).title("Urlaubsanspruch 80%").days(20.0))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().hours, Some(dec("160.0")));
}

#[tokio::test]
async fn create_holiday_with_a_creator() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/holidays").is_true(json_equiv(json!({
                "user_id": 933590696,
                "year": 2020,
                "title": "Halber Tag",
                "days": 0.5,
                "creator_id": 933590000
            })));
            then.status(200).json_body(with(example("UserHoliday"), json!({"days": 0.5, "hours": 4.0})));
        })
        .await;
    let holiday = client(&server)
        .create_holiday()
        .body_map(|b| b.user_id(933590696).year(2020).title("Halber Tag").days(0.5).creator_id(933590000))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!((holiday.days, holiday.hours), (Some(dec("0.5")), Some(dec("4.0"))));
}

#[tokio::test]
async fn update_holiday_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let request = request_example("update_holiday");
    let answer = with(example("UserHoliday"), json!({"days": 22, "hours": 176}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/holidays/12345").is_true(exact_query(&[])).is_true(json_equiv(request.clone()));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let holiday = client(&server).update_holiday(12345).body_map(|b| b.days(dec("22.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&holiday, &answer);
    assert_eq!((holiday.days, holiday.hours), (Some(dec("22.0")), Some(dec("176.0"))));
}

#[tokio::test]
async fn delete_holiday() {
    assert_deletes("/users/holidays/12345", 204, |client| async move { client.delete_holiday(12345).send_with_response().await }).await;
}

// ---------------------------------------------------------------------------------------------
// User work time adjustments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_work_time_adjustments_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_work_time_adjustments");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/work_time_adjustments").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("sort_by", "date asc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "1972,1973"),
                ("from", "2022-01-01"),
                ("to", "2022-01-31"),
                ("user_id", "933590696"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let adjustments = client(&server)
        .list_work_time_adjustments()
        .page(2)
        .sort_by(SortBy::asc("date"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([1972, 1973])
        .from(date("2022-01-01"))
        .to(date("2022-01-31"))
        .user_id(933590696)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&adjustments, &body);
    let adjustment = &adjustments[0];
    assert_eq!(adjustment.hours, Some(dec("172.01")));
    assert_eq!(adjustment.date, Some(date("2022-01-01")));
    assert_eq!(adjustment.creator.as_ref().unwrap().id, 933590697);
    assert_eq!(adjustment.user.as_ref().unwrap().firstname.as_deref(), Some("John"));
}

#[tokio::test]
async fn list_work_time_adjustments_streams_two_pages_keeping_filters() {
    let server = MockServer::start_async().await;
    let filters = [("from", "2018-06-01"), ("to", "2018-06-30"), ("user_id", "933590696")];
    let second = with(example("WorkTimeAdjustment"), json!({"id": 1973, "hours": -8.0, "description": "Correction"}));
    let pages = two_pages(&server, "/users/work_time_adjustments", &filters, json!([example("WorkTimeAdjustment")]), json!([second])).await;
    let client = client(&server);
    let adjustments =
        client.list_work_time_adjustments().from(date("2018-06-01")).to(date("2018-06-30")).user_id(933590696).collect_all().await.unwrap();
    assert_eq!(
        adjustments.iter().map(|a| (a.id, a.hours)).collect::<Vec<_>>(),
        vec![(1972, Some(dec("172.01"))), (1973, Some(dec("-8.0")))]
    );
    for page in &pages {
        page.assert_async().await;
    }
}

#[tokio::test]
async fn get_work_time_adjustment() {
    let server = MockServer::start_async().await;
    let body = example("WorkTimeAdjustment");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/work_time_adjustments/1972").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let adjustment = client(&server).get_work_time_adjustment(1972).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&adjustment, &body);
    assert_eq!(adjustment.description.as_deref(), Some("Overtime from 2021"));
    assert_eq!(adjustment.created_at, Some(timestamp("2022-01-02T17:31:00Z")));
}

#[tokio::test]
async fn create_work_time_adjustment_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_work_time_adjustment");
    let answer = with(example("WorkTimeAdjustment"), json!({"description": "Overtime 2021", "hours": 42.0}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/work_time_adjustments")
                .is_true(exact_query(&[]))
                .header("content-type", "application/json")
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(answer.clone());
        })
        .await;
    let response = client(&server)
        .create_work_time_adjustment()
        .body_map(|b| b.user_id(123).description("Overtime 2021").date(date("2022-01-01")).hours(42.0))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let adjustment = response.into_inner();
    assert_decoded(&adjustment, &answer);
    assert_eq!(adjustment.hours, Some(dec("42.0")));
}

#[tokio::test]
async fn create_work_time_adjustment_subtracting_hours() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/work_time_adjustments").is_true(json_equiv(json!({
                "user_id": 123, "description": "Unpaid leave", "date": "2022-02-01", "hours": -7.5
            })));
            then.status(200).json_body(with(example("WorkTimeAdjustment"), json!({"hours": -7.5})));
        })
        .await;
    let adjustment = client(&server)
        .create_work_time_adjustment()
        .body_map(|b| b.user_id(123).description("Unpaid leave").date(date("2022-02-01")).hours(-7.5))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(adjustment.hours, Some(dec("-7.5")));
}

#[tokio::test]
async fn update_work_time_adjustment_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let request = request_example("update_work_time_adjustment");
    let answer = with(example("WorkTimeAdjustment"), json!({"description": "A new description"}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/work_time_adjustments/1972").is_true(exact_query(&[])).json_body(request.clone());
            then.status(200).json_body(answer.clone());
        })
        .await;
    let adjustment =
        client(&server).update_work_time_adjustment(1972).body_map(|b| b.description("A new description")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&adjustment, &answer);
    assert_eq!(adjustment.description.as_deref(), Some("A new description"));
}

#[tokio::test]
async fn update_work_time_adjustment_rejected_by_moco_is_unprocessable() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/work_time_adjustments/1972");
            then.status(422).json_body(json!({"message": "Beschreibung muss ausgefüllt werden"}));
        })
        .await;
    let error = client(&server).update_work_time_adjustment(1972).body_map(|b| b.description(String::new())).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(
        matches!(&error, Error::Unprocessable { message, errors: None } if message.as_deref() == Some("Beschreibung muss ausgefüllt werden")),
        "{error:?}"
    );
}

#[tokio::test]
async fn delete_work_time_adjustment() {
    assert_deletes("/users/work_time_adjustments/1972", 204, |client| async move {
        client.delete_work_time_adjustment(1972).send_with_response().await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_absences_report_sends_its_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("get_absences_report");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/report/absences").is_true(no_body()).is_true(exact_query(&[("active", "true"), ("year", "2021")]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_absences_report().active(true).year(2021).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let entry = &report[0];
    let user = entry.user.as_ref().unwrap();
    assert_eq!((user.id, user.firstname.as_deref(), user.lastname.as_deref()), (123, Some("Jane"), Some("Doe")));
    assert_eq!(entry.total_vacation_days, Some(dec("25.0")));
    assert_eq!(entry.used_vacation_days, Some(dec("10.5")));
    assert_eq!(entry.planned_vacation_days, Some(dec("5.0")));
    assert_eq!(entry.sickdays, Some(dec("4.0")));
}

#[tokio::test]
async fn get_absences_report_without_filters_sends_no_query() {
    // MOCO's defaults (current year, all users) apply only when nothing is sent.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/report/absences").is_true(exact_query(&[]));
            then.status(200).json_body(json!([]));
        })
        .await;
    let report = client(&server).get_absences_report().send().await.unwrap();
    mock.assert_async().await;
    assert!(report.is_empty());
}

#[tokio::test]
async fn get_cashflow_report_sends_its_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("get_cashflow_report");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/report/cashflow").is_true(no_body()).is_true(exact_query(&[
                ("from", "2024-01-01"),
                ("to", "2024-12-31"),
                ("term", "Kronenhalle"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let report =
        client(&server).get_cashflow_report().from(date("2024-01-01")).to(date("2024-12-31")).term("Kronenhalle").send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let entry = &report[0];
    assert_eq!(entry.record_id, Some(28206351));
    assert_eq!(entry.amount_in_account_currency, Some(dec("1022.07")));
    assert_eq!(entry.kind, Some(types::ReportCashflowEntryKind::InvoiceCreated));
    assert_eq!(entry.date, Some(date("2024-09-17")));
    let company = entry.company.as_ref().unwrap();
    assert_eq!((company.id, company.name.as_deref()), (760683172, Some("Kronenhalle Bar")));
    assert_eq!(entry.user.as_ref().unwrap().lastname.as_deref(), Some("Doe"));
}

#[tokio::test]
async fn get_finance_report_sends_its_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("get_finance_report");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/report/finance").is_true(no_body()).is_true(exact_query(&[
                ("from", "2025-01-01"),
                ("to", "2025-12-31"),
                ("term", "Maus AG"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_finance_report().from(date("2025-01-01")).to(date("2025-12-31")).term("Maus AG").send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let entry = &report[0];
    assert_eq!(entry.net_amount_in_account_currency, Some(dec("100.0")));
    assert_eq!(entry.kind, Some(types::ReportFinanceEntryKind::IncomingExpenses));
    assert_eq!(entry.company.as_ref().unwrap().name.as_deref(), Some("Maus AG"));
    assert_eq!(entry.user.as_ref().unwrap().firstname.as_deref(), Some("Jenni"));
}

#[tokio::test]
async fn get_finance_report_without_permission_is_forbidden() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/report/finance");
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    let error = client(&server).get_finance_report().send_with_response().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&error, Error::Forbidden { message } if message.as_deref() == Some("Keine Berechtigung")), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn get_planned_vs_tracked_report_is_a_get_and_decodes_the_nested_user_and_project() {
    let server = MockServer::start_async().await;
    let body = response_example("get_planned_vs_tracked_report");
    let mock = server
        .mock_async(|when, then| {
            // The docs' curl uses `-I` (HEAD); the endpoint is a GET with a JSON body.
            moco(when, GET, "/report/planned_vs_tracked")
                .is_true(no_body())
                .is_true(exact_query(&[("from", "2025-01-01"), ("to", "2025-12-31")]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_planned_vs_tracked_report().from(date("2025-01-01")).to(date("2025-12-31")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let entry = &report[0];
    assert_eq!((entry.user_id, entry.project_id), (Some(111), Some(222)));
    assert_eq!(
        (entry.tracked_hours, entry.planned_hours, entry.delta, entry.quota),
        (Some(dec("0.0")), Some(dec("218.0")), Some(dec("-218.0")), Some(dec("0.0")))
    );
    let user = entry.user.as_ref().unwrap();
    assert_eq!((user.firstname.as_deref(), user.name.as_deref(), user.initials.as_deref()), (Some("John"), Some("Smith"), Some("JS")));
    assert_eq!(user.unit.as_ref().unwrap().name.as_deref(), Some("4 Support / Success"));
    let project = entry.project.as_ref().unwrap();
    assert_eq!(project.identifier.as_deref(), Some("276"));
    assert_eq!(project.company.as_ref().unwrap().name.as_deref(), Some("hundertzehn GmbH"));
}

#[tokio::test]
async fn get_utilization_report_decodes_seconds_as_integers_and_as_floats() {
    let server = MockServer::start_async().await;
    let body = response_example("get_utilization_report");
    // The docs mix `0.0` and `15487` for the seconds; both must decode.
    assert_eq!(body[3]["billable_seconds"], json!(0.0));
    assert_eq!(body[0]["billable_seconds"], json!(15487));
    assert_eq!(body[5]["billable_seconds"], json!(0));
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/report/utilization").is_true(no_body()).is_true(exact_query(&[("from", "2025-08-20"), ("to", "2025-08-22")]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_utilization_report().from(date("2025-08-20")).to(date("2025-08-22")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    assert_eq!(report.len(), 6);
    let first = &report[0];
    assert_eq!((first.date, first.user_id), (Some(date("2025-08-20")), Some(92345)));
    assert_eq!((first.target_hours, first.billable_hours, first.unbillable_hours), (Some(dec("6.4")), Some(dec("4.3")), Some(dec("0.83"))));
    assert_eq!((first.billable_seconds, first.unbillable_seconds), (Some(dec("15487.0")), Some(dec("3000.0"))));
    assert_eq!((report[3].billable_seconds, report[3].unbillable_seconds), (Some(dec("0.0")), Some(dec("0.0"))));
    assert_eq!((report[5].billable_seconds, report[5].unbillable_seconds), (Some(dec("0.0")), Some(dec("900.0"))));
}
