//! Every operation of `sections/users.md`, `employments.md`, `units.md`, `user_roles.md` and
//! `profile.md`: the exact request and the decoded answer.

use futures::TryStreamExt;
use httpmock::prelude::*;
use mocoapp::{types, CustomFields, Error, SortBy};
use serde_json::{json, Value};

use crate::support::*;

/// Two pages of a list at `path`: page 1 (no `page` parameter) links to page 2 with the same
/// filters, page 2 has no next link. Each page must be requested with exactly `filters`.
async fn two_pages<'a>(
    server: &'a MockServer,
    path: &str,
    filters: &[(&str, &str)],
    first: Value,
    second: Value,
) -> (httpmock::Mock<'a>, httpmock::Mock<'a>) {
    let link_query: String = filters.iter().map(|(k, v)| format!("&{k}={v}")).collect();
    let link = format!("<{}?page=2{link_query}>; rel=\"next\"", server.url(format!("/api/v1{path}")));
    let first_query = filters.to_vec();
    let mut second_query = filters.to_vec();
    second_query.push(("page", "2"));
    let page_1 = server
        .mock_async(|when, then| {
            moco(when, GET, path).is_true(exact_query(&first_query)).is_true(no_body());
            then.status(200)
                .header("X-Page", "1")
                .header("X-Per-Page", "1")
                .header("X-Total", "2")
                .header("Link", link.as_str())
                .json_body(first);
        })
        .await;
    let page_2 = server
        .mock_async(|when, then| {
            moco(when, GET, path).is_true(exact_query(&second_query)).is_true(no_body());
            then.status(200).header("X-Page", "2").header("X-Per-Page", "1").header("X-Total", "2").json_body(second);
        })
        .await;
    (page_1, page_2)
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_users_sends_every_filter_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_users");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users").is_true(no_body()).is_true(exact_query(&[
                ("page", "3"),
                ("sort_by", "lastname asc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "123,456"),
                ("include_archived", "true"),
                ("tags", "Designer,Developer"),
                ("email", "mail@example.org"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let users = client(&server)
        .list_users()
        .page(3)
        .sort_by(SortBy::asc("lastname"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([123, 456])
        .include_archived(true)
        .tags(["Designer", "Developer"])
        .email("mail@example.org")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&users, &body);
    let user = &users[0];
    assert_eq!(user.id, 123);
    assert_eq!((user.firstname.as_deref(), user.lastname.as_deref()), (Some("Max"), Some("Muster")));
    // Responses say `extern` and `birthday`.
    assert_eq!(user.external, Some(false));
    assert_eq!(user.birthday, Some(date("1970-01-01")));
    assert_eq!(user.unit.as_ref().unwrap().name.as_deref(), Some("Geschäftsleitung"));
    assert_eq!(user.role.as_ref().unwrap().id, 42);
    assert_eq!(user.tags.as_deref(), Some(&["Deutschland".to_string()][..]));
    assert_eq!(user.custom_properties.as_ref().unwrap().text("Starting Month"), Some("January 2015"));
    assert_eq!(user.created_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn list_users_streams_two_pages_keeping_include_archived_and_tags() {
    let server = MockServer::start_async().await;
    let mut max = example("User");
    let mut erika = example("User");
    max["id"] = json!(1);
    erika["id"] = json!(2);
    erika["firstname"] = json!("Erika");
    erika["active"] = json!(false);
    let (page_1, page_2) =
        two_pages(&server, "/users", &[("include_archived", "true"), ("tags", "Designer,Developer")], json!([max]), json!([erika])).await;
    let client = client(&server);
    let users: Vec<types::User> =
        client.list_users().include_archived(true).tags(["Designer", "Developer"]).stream().try_collect().await.unwrap();
    page_1.assert_async().await;
    page_2.assert_async().await;
    let seen: Vec<_> = users.iter().map(|u| (u.id, u.firstname.as_deref(), u.active)).collect();
    assert_eq!(seen, vec![(1, Some("Max"), Some(true)), (2, Some("Erika"), Some(false))]);
}

#[tokio::test]
async fn get_user() {
    let server = MockServer::start_async().await;
    let body = example("User");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/123").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let user = client(&server).get_user(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&user, &body);
    assert_eq!(user.email.as_deref(), Some("max.muster@beispiel.de"));
    assert_eq!(user.iban.as_deref(), Some("CH3181239000001245689"));
    assert_eq!(user.active, Some(true));
}

#[tokio::test]
async fn get_user_that_does_not_exist_is_not_found() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/999");
            then.status(404).json_body(json!({"message": "Not found"}));
        })
        .await;
    let err = client(&server).get_user(999).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&err, Error::NotFound { message: Some(m) } if m == "Not found"), "{err:?}");
}

#[tokio::test]
async fn create_user_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_user");
    let mut created = example("User");
    created["firstname"] = json!("Carmen");
    created["lastname"] = json!("Sandiego");
    created["email"] = json!("carmen.sandiego@acme.corp");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users").header("content-type", "application/json").json_body(request.clone());
            then.status(201).json_body(created.clone());
        })
        .await;
    let response = client(&server)
        .create_user()
        .body_map(|b| {
            b.firstname("Carmen").lastname("Sandiego").email("carmen.sandiego@acme.corp").password("dAfsdf88fw8fKjtD28f293!").unit_id(123)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let user = response.into_inner();
    assert_decoded(&user, &created);
    assert_eq!(user.firstname.as_deref(), Some("Carmen"));
}

#[tokio::test]
async fn create_user_sends_bday_external_and_a_base64_avatar_and_decodes_birthday_and_extern() {
    // Requests call the fields `bday` and `external`; the answer calls them `birthday` and `extern`.
    let server = MockServer::start_async().await;
    let expected_request = json!({
        "firstname": "Peter",
        "lastname": "Müller",
        "email": "peter.mueller@meinefirma.de",
        "unit_id": 123,
        "role_id": 42,
        "active": true,
        "external": true,
        "language": "de-CH",
        "mobile_phone": "+41 79 123 45 67",
        "work_phone": "+41 44 123 45 67",
        "home_address": "Peter Müller\nBeispielstrasse 123\nBeispielstadt",
        "bday": "1975-01-17",
        "iban": "CH3181239000001245689",
        "tags": ["Switzerland"],
        "custom_properties": {"Starting Month": "01.01.2016"},
        "info": "Info for this person...",
        "welcome_email": false,
        "avatar": {"filename": "peter.png", "base64": "iVBORw0KGgo="}
    });
    let mut created = example("User");
    created["id"] = json!(933590158);
    created["firstname"] = json!("Peter");
    created["lastname"] = json!("Müller");
    created["extern"] = json!(true);
    created["birthday"] = json!("1975-01-17");
    created["avatar_url"] = json!("https://meinefirma.mocoapp.com/.../peter.png");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users").json_body(expected_request.clone());
            then.status(200).json_body(created.clone());
        })
        .await;
    let user = client(&server)
        .create_user()
        .body_map(|b| {
            b.firstname("Peter")
                .lastname("Müller")
                .email("peter.mueller@meinefirma.de")
                .unit_id(123)
                .role_id(42)
                .active(true)
                .external(true)
                .language(types::UserLanguage::DeCh)
                .mobile_phone("+41 79 123 45 67")
                .work_phone("+41 44 123 45 67")
                .home_address("Peter Müller\nBeispielstrasse 123\nBeispielstadt")
                .bday(date("1975-01-17"))
                .iban("CH3181239000001245689")
                .tags(vec!["Switzerland".to_string()])
                .custom_properties(CustomFields::new().with("Starting Month", "01.01.2016"))
                .info("Info for this person...")
                .welcome_email(false)
                .avatar(types::UserAvatar { filename: "peter.png".into(), base64: "iVBORw0KGgo=".into() })
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&user, &created);
    assert_eq!(user.id, 933590158);
    assert_eq!(user.external, Some(true));
    assert_eq!(user.birthday, Some(date("1975-01-17")));
    assert_eq!(user.avatar_url.as_deref(), Some("https://meinefirma.mocoapp.com/.../peter.png"));
}

#[tokio::test]
async fn create_user_from_the_schema_example() {
    let server = MockServer::start_async().await;
    let request = example("UserCreate");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users").json_body(request.clone());
            then.status(200).json_body(example("User"));
        })
        .await;
    let body: types::UserCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.bday, Some(date("1975-01-17")));
    assert_eq!(body.external, Some(false));
    assert_eq!(body.language, Some(types::UserLanguage::DeCh));
    client(&server).create_user().body(body).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_user_without_a_mandatory_field_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_when, then| {
            then.status(200).json_body(example("User"));
        })
        .await;
    // `unit_id` is mandatory.
    let err = client(&server)
        .create_user()
        .body_map(|b| b.firstname("Carmen").lastname("Sandiego").email("carmen.sandiego@acme.corp"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("unit_id")), "{err:?}");
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn create_user_validation_failure_is_unprocessable() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users");
            then.status(422).json_body(json!({
                "message": "Validation failed",
                "errors": {"email": ["ist bereits vergeben"]}
            }));
        })
        .await;
    let err = client(&server)
        .create_user()
        .body(serde_json::from_value::<types::UserCreate>(request_example("create_user")).unwrap())
        .send()
        .await
        .unwrap_err();
    mock.assert_async().await;
    match &err {
        Error::Unprocessable { message, errors } => {
            assert_eq!(message.as_deref(), Some("Validation failed"));
            assert_eq!(errors.as_ref().unwrap()["email"][0], "ist bereits vergeben");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn update_user_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("update_user");
    let mut updated = example("User");
    updated["lastname"] = json!("Casanova");
    updated["email"] = json!("carmen.casanova@acme.corp");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/123").header("content-type", "application/json").json_body(request.clone());
            then.status(200).json_body(updated.clone());
        })
        .await;
    let user =
        client(&server).update_user(123).body_map(|b| b.lastname("Casanova").email("carmen.casanova@acme.corp")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&user, &updated);
    assert_eq!(user.lastname.as_deref(), Some("Casanova"));
}

#[tokio::test]
async fn update_user_moves_them_to_a_team_with_the_request_field_names() {
    let server = MockServer::start_async().await;
    let mut updated = example("User");
    updated["unit"] = json!({"id": 909147861, "name": "C Office"});
    updated["extern"] = json!(true);
    updated["birthday"] = json!("1980-02-29");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/123").json_body(json!({
                "unit_id": 909147861,
                "external": true,
                "bday": "1980-02-29",
                "active": false
            }));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let user = client(&server)
        .update_user(123)
        .body_map(|b| b.unit_id(909147861).external(true).bday(date("1980-02-29")).active(false))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(user.unit.unwrap().id, 909147861);
    assert_eq!(user.external, Some(true));
    assert_eq!(user.birthday, Some(date("1980-02-29")));
}

#[tokio::test]
async fn delete_user() {
    assert_deletes("/users/123", 204, |client| async move { client.delete_user(123).send_with_response().await }).await;
}

#[tokio::test]
async fn delete_user_with_billed_hours_is_refused() {
    // "Deleting a staff member is only possible if no hours are billed already."
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/users/123");
            then.status(422).json_body(json!({"message": "Benutzer hat bereits verrechnete Stunden"}));
        })
        .await;
    let err = client(&server).delete_user(123).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(
        matches!(&err, Error::Unprocessable { message: Some(m), errors: None } if m == "Benutzer hat bereits verrechnete Stunden"),
        "{err:?}"
    );
}

#[tokio::test]
async fn get_user_performance_report_decodes_the_annual_and_monthly_parts() {
    let server = MockServer::start_async().await;
    let body = response_example("get_user_performance_report");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/123/performance_report").is_true(exact_query(&[("year", "2021")])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_user_performance_report(123).year(2021).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    let year = report.annually.unwrap();
    assert_eq!(year.year, 2021);
    assert_eq!(year.employment_hours, Some(dec("1670.4")));
    assert_eq!(year.target_hours, Some(dec("1606.4")));
    assert_eq!(year.hours_tracked_total, Some(dec("210.95")));
    assert_eq!(year.variation, Some(dec("-1395.45")));
    assert_eq!(year.variation_until_today, Some(dec("-0.25")));
    assert_eq!(year.hours_billable_total, Some(dec("190.95")));
    let months = report.monthly.unwrap();
    assert_eq!(months.iter().map(|m| m.month).collect::<Vec<_>>(), (1..=12).collect::<Vec<_>>());
    assert!(months.iter().all(|m| m.year == 2021));
    assert_eq!(months[0].hours_tracked_total, Some(dec("133.71")));
    assert_eq!(months[0].variation, Some(dec("5.71")));
    assert_eq!(months[1].variation, Some(dec("-50.76")));
    assert_eq!(months[11].target_hours, Some(dec("147.2")));
    assert_eq!(months[11].hours_billable_total, Some(dec("0.0")));
}

#[tokio::test]
async fn get_user_performance_report_without_year_sends_no_query() {
    let server = MockServer::start_async().await;
    let body = example("UserPerformanceReport");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/123/performance_report").is_true(exact_query(&[]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let report = client(&server).get_user_performance_report(123).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&report, &body);
    assert_eq!(report.monthly.unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// User Employments
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_employments_sends_every_filter_and_decodes_the_pattern() {
    let server = MockServer::start_async().await;
    let body = response_example("list_employments");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/employments").is_true(no_body()).is_true(exact_query(&[
                ("from", "2018-01-01"),
                ("to", "2018-12-31"),
                ("user_id", "933590696"),
                ("page", "2"),
                ("sort_by", "from desc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "982237015,982237016"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let employments = client(&server)
        .list_employments()
        .from(date("2018-01-01"))
        .to(date("2018-12-31"))
        .user_id(933590696)
        .page(2)
        .sort_by(SortBy::desc("from"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([982237015, 982237016])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&employments, &body);
    let employment = &employments[0];
    assert_eq!(employment.id, 982237015);
    assert_eq!(employment.weekly_target_hours, Some(dec("29.75")));
    let pattern = employment.pattern.as_ref().unwrap();
    assert_eq!(pattern.am, vec![dec("0.0"), dec("4.25"), dec("4.25"), dec("4.25"), dec("4.25")]);
    assert_eq!(pattern.pm, vec![dec("0.0"), dec("4.25"), dec("4.25"), dec("4.25"), dec("0.0")]);
    assert_eq!(employment.from, Some(date("2017-01-01")));
    assert_eq!(employment.to, None, "open-ended");
    assert_eq!(employment.user.as_ref().unwrap().lastname.as_deref(), Some("Doe"));
}

#[tokio::test]
async fn list_employments_without_from_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_when, then| {
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    let err = client.list_employments().user_id(123).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("from")), "{err:?}");
    // The stream refuses it the same way.
    let err = client.list_employments().collect_all().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(_)), "{err:?}");
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn list_employments_streams_two_pages_keeping_from_to_and_user() {
    let server = MockServer::start_async().await;
    let first = example("Employment");
    let mut second = example("Employment");
    second["id"] = json!(982237016);
    second["from"] = json!("2019-01-01");
    second["pattern"] = json!({"am": [4, 4, 4, 4, 4], "pm": [4, 4, 4, 4, 4]});
    let (page_1, page_2) = two_pages(
        &server,
        "/users/employments",
        &[("from", "2017-01-01"), ("to", "2019-12-31"), ("user_id", "933590696")],
        json!([first]),
        json!([second]),
    )
    .await;
    let client = client(&server);
    let employments =
        client.list_employments().from(date("2017-01-01")).to(date("2019-12-31")).user_id(933590696).collect_all().await.unwrap();
    page_1.assert_async().await;
    page_2.assert_async().await;
    assert_eq!(employments.iter().map(|e| e.id).collect::<Vec<_>>(), vec![982237015, 982237016]);
    assert_eq!(employments[1].weekly_target_hours, Some(dec("29.75")));
    assert_eq!(employments[1].pattern.as_ref().unwrap().pm, vec![dec("4.0"); 5]);
}

#[tokio::test]
async fn get_employment() {
    let server = MockServer::start_async().await;
    let body = example("Employment");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/employments/982237015").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let employment = client(&server).get_employment(982237015).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&employment, &body);
    assert_eq!(employment.pattern.unwrap().am.iter().sum::<mocoapp::Decimal>(), dec("17.0"));
    assert_eq!(employment.user.unwrap().id, 933590696);
}

#[tokio::test]
async fn create_employment_sends_the_weekly_pattern() {
    let server = MockServer::start_async().await;
    let request = request_example("create_employment");
    let mut created = example("Employment");
    created["from"] = json!("2022-01-01");
    created["to"] = json!("2022-12-31");
    created["user"] = json!({"id": 123, "firstname": "Max", "lastname": "Muster"});
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/employments").header("content-type", "application/json").is_true(json_equiv(request.clone()));
            then.status(201).json_body(created.clone());
        })
        .await;
    let response = client(&server)
        .create_employment()
        .body_map(|b| {
            b.user_id(123)
                .pattern(types::EmploymentPattern {
                    am: vec![dec("0.0"), dec("4.25"), dec("4.25"), dec("4.25"), dec("4.25")],
                    pm: vec![dec("0.0"), dec("4.25"), dec("4.25"), dec("4.25"), dec("0.0")],
                })
                .from(date("2022-01-01"))
                .to(date("2022-12-31"))
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let employment = response.into_inner();
    assert_decoded(&employment, &created);
    assert_eq!(employment.to, Some(date("2022-12-31")));
    assert_eq!(employment.pattern.unwrap().pm[4], dec("0.0"));
}

#[tokio::test]
async fn create_employment_from_the_docs_example_json() {
    let server = MockServer::start_async().await;
    let request = request_example("create_employment");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/users/employments").is_true(json_equiv(request.clone()));
            then.status(200).json_body(example("Employment"));
        })
        .await;
    let body: types::EmploymentCreate = serde_json::from_value(request.clone()).unwrap();
    assert_eq!(body.pattern.am, vec![dec("0.0"), dec("4.25"), dec("4.25"), dec("4.25"), dec("4.25")]);
    client(&server).create_employment().body(body).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_employment_without_a_pattern_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_when, then| {
            then.status(200).json_body(example("Employment"));
        })
        .await;
    let err = client(&server).create_employment().body_map(|b| b.user_id(123)).send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("pattern")), "{err:?}");
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn update_employment_sends_only_the_new_pattern() {
    let server = MockServer::start_async().await;
    let request = request_example("update_employment");
    let mut updated = example("Employment");
    updated["weekly_target_hours"] = json!(32.0);
    updated["pattern"] = request["pattern"].clone();
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/users/employments/982237015").is_true(json_equiv(request.clone()));
            then.status(200).json_body(updated.clone());
        })
        .await;
    let employment = client(&server)
        .update_employment(982237015)
        .body_map(|b| {
            b.pattern(types::EmploymentPattern {
                am: vec![dec("0.0"), dec("4.0"), dec("4.0"), dec("4.0"), dec("4.0")],
                pm: vec![dec("0.0"), dec("4.0"), dec("4.0"), dec("4.0"), dec("4.0")],
            })
        })
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&employment, &updated);
    assert_eq!(employment.weekly_target_hours, Some(dec("32.0")));
    assert_eq!(employment.pattern.unwrap().am, vec![dec("0.0"), dec("4.0"), dec("4.0"), dec("4.0"), dec("4.0")]);
}

#[tokio::test]
async fn delete_employment() {
    assert_deletes(
        "/users/employments/982237015",
        204,
        |client| async move { client.delete_employment(982237015).send_with_response().await },
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Units / Teams
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_units_sends_the_global_filters_and_decodes_the_members() {
    let server = MockServer::start_async().await;
    let body = response_example("list_units");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/units").is_true(no_body()).is_true(exact_query(&[
                ("page", "2"),
                ("sort_by", "name asc"),
                ("updated_after", "2022-04-20T09:17:58Z"),
                ("ids", "909147861"),
            ]));
            then.status(200).json_body(body.clone());
        })
        .await;
    let units = client(&server)
        .list_units()
        .page(2)
        .sort_by(SortBy::asc("name"))
        .updated_after(timestamp("2022-04-20T09:17:58Z"))
        .ids([909147861])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&units, &body);
    let unit = &units[0];
    assert_eq!((unit.id, unit.name.as_deref()), (909147861, Some("C Office")));
    let members = unit.users.as_ref().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[1].lastname.as_deref(), Some("Schäuble"));
    assert_eq!(members[0].email.as_deref(), Some("tobias@domain.com"));
}

#[tokio::test]
async fn list_units_streams_two_pages_keeping_ids() {
    let server = MockServer::start_async().await;
    let first = example("Unit");
    let second = json!({"id": 909147862, "name": "Design", "users": []});
    let (page_1, page_2) = two_pages(&server, "/units", &[("ids", "909147861,909147862")], json!([first]), json!([second])).await;
    let client = client(&server);
    let pages: Vec<_> = client.list_units().ids([909147861, 909147862]).pages().try_collect().await.unwrap();
    page_1.assert_async().await;
    page_2.assert_async().await;
    let meta: Vec<_> = pages.iter().map(|p| (p.page, p.total, p.next_page)).collect();
    assert_eq!(meta, vec![(Some(1), Some(2), Some(2)), (Some(2), Some(2), None)]);
    assert_eq!(pages[1].items[0].name.as_deref(), Some("Design"));
    assert_eq!(pages[1].items[0].users.as_deref(), Some(&[][..]));
}

#[tokio::test]
async fn get_unit() {
    let server = MockServer::start_async().await;
    let body = example("Unit");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/units/909147861").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let unit = client(&server).get_unit(909147861).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&unit, &body);
    assert_eq!(unit.users.unwrap()[0].id, 933590158);
    assert_eq!(unit.updated_at, Some(timestamp("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn create_unit_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("create_unit");
    let created = json!({
        "id": 909147999,
        "name": "A great new team",
        "users": [],
        "created_at": "2024-03-01T10:00:00Z",
        "updated_at": "2024-03-01T10:00:00Z"
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/units").header("content-type", "application/json").json_body(request.clone());
            then.status(201).json_body(created.clone());
        })
        .await;
    let response = client(&server).create_unit().body_map(|b| b.name("A great new team")).send_with_response().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let unit = response.into_inner();
    assert_decoded(&unit, &created);
    assert_eq!(unit.id, 909147999);
    assert!(unit.users.unwrap().is_empty());
}

#[tokio::test]
async fn update_unit_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let request = request_example("update_unit");
    let mut renamed = example("Unit");
    renamed["name"] = json!("A new name");
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/units/909147861").json_body(request.clone());
            then.status(200).json_body(renamed.clone());
        })
        .await;
    let unit = client(&server).update_unit(909147861).body_map(|b| b.name("A new name")).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&unit, &renamed);
    assert_eq!(unit.name.as_deref(), Some("A new name"));
}

#[tokio::test]
async fn delete_unit_hits_units_not_users() {
    // The docs' heading says `DELETE /users/{id}` (an erratum); the curl says `/units/{id}`.
    let server = MockServer::start_async().await;
    let units = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/units/909147861").is_true(exact_query(&[])).is_true(no_body());
            then.status(204);
        })
        .await;
    let users = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/api/v1/users/909147861");
            then.status(204);
        })
        .await;
    let response = client(&server).delete_unit(909147861).send_with_response().await.unwrap();
    assert_eq!(response.status(), 204);
    units.assert_async().await;
    users.assert_calls_async(0).await;
}

#[tokio::test]
async fn delete_unit_with_members_is_refused() {
    // "Deleting a unit is only possible if no users are assigned to it."
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/units/909147861");
            then.status(422).json_body(json!({"message": "Team hat noch Mitarbeitende"}));
        })
        .await;
    let err = client(&server).delete_unit(909147861).send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&err, Error::Unprocessable { message: Some(m), .. } if m == "Team hat noch Mitarbeitende"), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// User permission roles
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_user_roles() {
    let server = MockServer::start_async().await;
    let body = response_example("list_user_roles");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/roles").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let roles = client(&server).list_user_roles().send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&roles, &body);
    let role = &roles[0];
    assert_eq!((role.id, role.name.as_deref()), (42, Some("Entwickler")));
    assert_eq!((role.is_default, role.is_admin), (Some(false), Some(false)));
    let permission = role.permission.as_ref().unwrap();
    assert_eq!(permission.projects, Some(types::PermissionLevel::Full));
    assert_eq!(permission.invoicing, Some(types::PermissionLevel::None));
    assert_eq!(permission.time_tracking, Some(types::PermissionLevel::Full));
}

#[tokio::test]
async fn list_user_roles_without_permission_is_forbidden() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/users/roles");
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    let err = client(&server).list_user_roles().send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&err, Error::Forbidden { message: Some(m) } if m == "Keine Berechtigung"), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Profile
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_profile_decodes_first_last_and_full_name() {
    let server = MockServer::start_async().await;
    let body = example("Profile");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/profile").is_true(exact_query(&[])).is_true(no_body()).header_missing("x-impersonate-user-id");
            then.status(200).json_body(body.clone());
        })
        .await;
    let profile = client(&server).get_profile().send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&profile, &body);
    assert_eq!(profile.id, 237852983);
    assert_eq!(profile.first_name.as_deref(), Some("Janine"));
    assert_eq!(profile.last_name.as_deref(), Some("Küsters"));
    assert_eq!(profile.full_name.as_deref(), Some("Janine Küsters"));
    assert_eq!(profile.external, Some(false));
    assert_eq!(profile.unit.unwrap().name.as_deref(), Some("Design"));
    assert_eq!(profile.updated_at, Some(timestamp("2022-08-02T14:21:56Z")));
}

#[tokio::test]
async fn get_profile_of_an_impersonated_user() {
    let server = MockServer::start_async().await;
    let colleague = json!({
        "id": 933590158,
        "email": "tobias@domain.com",
        "full_name": "Tobias Miesel",
        "first_name": "Tobias",
        "last_name": "Miesel",
        "active": true,
        "external": true,
        "avatar_url": null,
        "unit": {"id": 909147861, "name": "C Office"},
        "created_at": "2018-10-17T09:33:46Z",
        "updated_at": "2018-10-17T09:33:46Z"
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/profile").header("x-impersonate-user-id", "933590158").is_true(no_body());
            then.status(200).json_body(colleague.clone());
        })
        .await;
    let client = client(&server);
    let profile = client.impersonate(933590158).get_profile().send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&profile, &colleague);
    assert_eq!(profile.id, 933590158);
    assert_eq!(profile.full_name.as_deref(), Some("Tobias Miesel"));
    assert_eq!(profile.external, Some(true));
    assert_eq!(profile.avatar_url, None);
}

#[tokio::test]
async fn impersonating_without_the_staff_permission_is_forbidden() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/profile").header("x-impersonate-user-id", "933590158");
            then.status(403).json_body(json!({"message": "Keine Berechtigung für Personal"}));
        })
        .await;
    let err = client(&server).impersonate(933590158).get_profile().send().await.unwrap_err();
    mock.assert_async().await;
    assert!(matches!(&err, Error::Forbidden { message: Some(m) } if m == "Keine Berechtigung für Personal"), "{err:?}");
}
