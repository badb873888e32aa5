//! The fake through the real `mocoapp::Client`: paging, CRUD, auth, validation, impersonation,
//! rate limiting, faults and web hook deliveries.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::body::Bytes;
use futures::TryStreamExt;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client as HttpClient, rt::TokioExecutor};
use moco_fake::{http::HeaderMap, FakeConfig, FakeMoco, Faults, RateLimit};
use mocoapp::{types, AuthScheme, Error, RetryPolicy, SortBy};
use serde_json::{json, Value};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

async fn fake() -> FakeMoco {
    FakeMoco::start(FakeConfig::default()).await.expect("the fake starts")
}

/// A client that does not retry, for the tests that want to see the first answer.
fn no_retry(fake: &FakeMoco) -> mocoapp::Client {
    fake.client_builder().retry(RetryPolicy::none()).build().unwrap()
}

/// A raw request: status, headers and body.
async fn raw(fake: &FakeMoco, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, HeaderMap, Bytes) {
    let client: HttpClient<_, Full<Bytes>> = HttpClient::builder(TokioExecutor::new()).build_http();
    let mut request = hyper::Request::builder().method(method).uri(format!("{}{}", fake.url(), path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = client.request(request.body(Full::new(Bytes::from(body.to_string()))).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body)
}

fn auth(fake: &FakeMoco) -> String {
    format!("Token token={}", fake.api_key())
}

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Paging and filters

#[tokio::test]
async fn pages_carry_mocos_headers_and_streams_see_every_item_once() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let pages: Vec<mocoapp::Page<types::Project>> = client.list_projects().per_page(10).pages().try_collect().await?;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(), [10, 10, 5]);
    assert!(pages.iter().all(|p| p.total == Some(25) && p.per_page == Some(10)));
    assert_eq!(pages.iter().map(|p| p.page).collect::<Vec<_>>(), [Some(1), Some(2), Some(3)]);
    assert_eq!(pages[0].next_page, Some(2));
    assert_eq!(pages[2].next_page, None);

    let streamed: Vec<types::Project> = client.list_projects().per_page(7).stream().try_collect().await?;
    let ids: Vec<i64> = streamed.iter().map(|p| p.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "in id order");
    assert_eq!(ids.len(), 25);
    sorted.dedup();
    assert_eq!(sorted.len(), 25, "no duplicates");
    // Each project lists its seeded tasks and contracts.
    assert!(streamed.iter().all(|p| p.tasks.as_ref().is_some_and(|t| t.len() == 3)));
    assert!(streamed.iter().all(|p| p.contracts.as_ref().is_some_and(|c| c.len() == 2)));
    Ok(())
}

#[tokio::test]
async fn the_next_link_keeps_the_other_query_parameters() {
    let fake = fake().await;
    let (status, headers, _) =
        raw(&fake, "GET", "/activities?per_page=5&billable=true&from=2024-01-01", &[("authorization", &auth(&fake))], "").await;
    assert_eq!(status, 200);
    let link = headers["link"].to_str().unwrap();
    let next = link.split(", ").find(|l| l.ends_with("rel=\"next\"")).unwrap();
    assert!(next.starts_with(&format!("<{}/activities?", fake.url())), "{next}");
    for part in ["per_page=5", "billable=true", "from=2024-01-01", "page=2"] {
        assert!(next.contains(part), "{part} missing in {next}");
    }
    assert_eq!(headers["x-page"], "1");
    assert_eq!(headers["x-per-page"], "5");
    // 100 per page unless asked otherwise.
    let (_, headers, body) = raw(&fake, "GET", "/activities", &[("authorization", &auth(&fake))], "").await;
    assert_eq!(headers["x-per-page"], "100");
    assert_eq!(headers["x-total"], "200");
    assert_eq!(serde_json::from_slice::<Vec<Value>>(&body).unwrap().len(), 100);
}

#[tokio::test]
async fn ids_sort_by_and_field_filters() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let all = client.list_projects().collect_all().await?;
    let picked = [all[3].id, all[7].id];
    let some = client.list_projects().ids(picked).send().await?;
    assert_eq!(some.iter().map(|p| p.id).collect::<Vec<_>>(), picked);

    let by_name = client.list_projects().sort_by(SortBy::desc("name")).collect_all().await?;
    let names: Vec<String> = by_name.iter().map(|p| p.name.to_lowercase()).collect();
    let mut expected = names.clone();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, expected);

    let project = &all[0];
    let activities = client.list_activities().project_id(project.id).collect_all().await?;
    assert!(!activities.is_empty());
    assert!(activities.iter().all(|a| a.project.as_ref().map(|p| p.id) == Some(project.id)));
    let first_half = client.list_purchases().date("2024-01-01:2024-06-30").collect_all().await?;
    assert!(first_half.iter().all(|p| p.date.is_some_and(|d| d <= date("2024-06-30"))));
    assert!(first_half.len() < client.list_purchases().collect_all().await?.len());
    let in_march = client.list_activities().from(date("2024-03-01")).to(date("2024-03-31")).collect_all().await?;
    assert!(!in_march.is_empty());
    assert!(in_march.iter().all(|a| a.date.is_some_and(|d| d >= date("2024-03-01") && d <= date("2024-03-31"))));
    Ok(())
}

#[tokio::test]
async fn updated_after_returns_what_changed_since() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let everything = client.list_activities().collect_all().await?;
    let newest = everything.iter().filter_map(|a| a.updated_at).max().unwrap();
    assert!(client.list_activities().updated_after(newest).collect_all().await?.is_empty());

    let project = client.list_projects().per_page(1).send().await?.remove(0);
    let task = project.tasks.as_ref().unwrap()[0].id;
    let created = client
        .create_activity()
        .body_map(|b| b.date(date("2024-06-03")).project_id(project.id).task_id(task).seconds(1800).description("Sync me"))
        .send()
        .await?;
    let changed = client.list_activities().updated_after(newest).collect_all().await?;
    assert_eq!(changed.iter().map(|a| a.id).collect::<Vec<_>>(), [created.id]);
    Ok(())
}

#[tokio::test]
async fn the_dataset_is_deterministic_and_sized_by_the_config() -> Result {
    let config = FakeConfig { seed: 7, projects: 40, activities: 350, ..FakeConfig::default() };
    let a = FakeMoco::start(config.clone()).await?;
    let b = FakeMoco::start(config).await?;
    let c = FakeMoco::start(FakeConfig { seed: 8, projects: 40, activities: 350, ..FakeConfig::default() }).await?;
    let projects_a = a.entities("/projects").unwrap();
    assert_eq!(projects_a.len(), 40);
    assert_eq!(a.entities("/activities").unwrap().len(), 350);
    assert_eq!(projects_a, b.entities("/projects").unwrap());
    assert_eq!(a.entities("/activities").unwrap(), b.entities("/activities").unwrap());
    let names = |fake: &FakeMoco| fake.entities("/projects").unwrap().iter().map(|p| p["name"].clone()).collect::<Vec<_>>();
    assert_ne!(names(&a), names(&c));
    // Every activity's task belongs to its project, and its customer is the project's.
    let tasks = a.entities("/projects/{project_id}/tasks").unwrap();
    for activity in a.entities("/activities").unwrap() {
        let project = projects_a.iter().find(|p| p["id"] == activity["project"]["id"]).unwrap();
        assert!(project["tasks"].as_array().unwrap().iter().any(|t| t["id"] == activity["task"]["id"]));
        assert_eq!(project["customer"]["id"], activity["customer"]["id"]);
        assert!(tasks.iter().any(|t| t["id"] == activity["task"]["id"]));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// CRUD

#[tokio::test]
async fn create_get_update_delete_round_trip() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let leader = client.list_users().per_page(1).send().await?.remove(0);
    let customer = client.list_companies().per_page(1).send().await?.remove(0);
    let before = client.list_projects().collect_all().await?;

    let created = client
        .create_project()
        .body_map(|b| b.name("Fake Relaunch").currency("EUR").leader_id(leader.id).customer_id(customer.id).budget(1234))
        .send()
        .await?;
    assert!(before.iter().all(|p| p.id < created.id), "ids increase");
    assert_eq!(created.name, "Fake Relaunch");
    assert_eq!(created.budget, Some(mocoapp::Decimal::from(1234)));
    assert_eq!(created.leader.as_ref().unwrap().id, leader.id);
    assert_eq!(created.leader.as_ref().unwrap().lastname, leader.lastname);
    assert_eq!(created.customer.as_ref().unwrap().id, customer.id);
    assert_eq!(created.customer.as_ref().unwrap().name, Some(customer.name.clone()));
    let stamped = created.created_at.unwrap();
    assert!((chrono::Utc::now() - stamped).num_seconds().abs() < 60, "created_at from the clock");
    assert_eq!(created.tasks.as_deref(), Some(&[][..]));

    let fetched = client.get_project(created.id).send().await?;
    assert_eq!(fetched, created);

    let updated = client.update_project(created.id).body_map(|b| b.name("Fake Relaunch II").info("merged")).send().await?;
    assert_eq!(updated.name, "Fake Relaunch II");
    assert_eq!(updated.info.as_deref(), Some("merged"));
    assert_eq!(updated.budget, Some(mocoapp::Decimal::from(1234)), "fields left out are kept");
    assert!(updated.updated_at >= created.updated_at);

    let task = client.create_project_task(created.id).body_map(|b| b.name("Design").billable(true).hourly_rate(120)).send().await?;
    let with_task = client.get_project(created.id).send().await?;
    assert_eq!(with_task.tasks.as_ref().unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), [task.id]);
    let other = before[0].id;
    assert!(matches!(client.get_project_task(other, task.id).send().await, Err(Error::NotFound { .. })), "a task of another project");

    let archived = client.archive_project(created.id).send().await?;
    assert_eq!(archived.active, Some(false));
    assert!(client.list_projects().collect_all().await?.iter().all(|p| p.id != created.id), "archived projects are not listed");
    assert!(client.list_projects().include_archived(true).collect_all().await?.iter().any(|p| p.id == created.id));

    client.delete_project(created.id).send().await?;
    match client.get_project(created.id).send().await {
        Err(Error::NotFound { message }) => assert!(message.unwrap().contains(&created.id.to_string())),
        other => panic!("expected 404, got {other:?}"),
    }
    assert!(matches!(client.get_project_task(created.id, task.id).send().await, Err(Error::NotFound { .. })), "tasks go with it");
    assert!(matches!(client.delete_project(created.id).send().await, Err(Error::NotFound { .. })));
    Ok(())
}

#[tokio::test]
async fn entities_of_the_issue_are_stateful() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let unit = client.create_unit().body_map(|b| b.name("Fake Team")).send().await?;
    assert_eq!(client.get_unit(unit.id).send().await?.name.as_deref(), Some("Fake Team"));
    let tag = client.create_tag().body_map(|b| b.name("Fake").context(types::TagCreateContext::Project)).send().await?;
    assert_eq!(client.list_tags().ids([tag.id]).send().await?[0].name, "Fake");
    let company =
        client.create_company().body_map(|b| b.name("Fake AG").kind(types::CompanyCreateType::Customer).currency("EUR")).send().await?;
    let contact = client
        .create_contact()
        .body_map(|b| b.lastname("Fake").gender(types::ContactCreateGender::F).company_id(company.id))
        .send()
        .await?;
    assert_eq!(contact.company.as_ref().unwrap().id, company.id);
    let deal = client
        .create_deal()
        .body_map(|b| {
            b.name("Fake deal")
                .currency("EUR")
                .money(1000.0)
                .reminder_date(date("2024-12-01"))
                .user_id(fake.owner_id())
                .deal_category_id(fake.entities("/deal_categories").unwrap()[0]["id"].as_i64().unwrap())
        })
        .send()
        .await?;
    assert_eq!(deal.user.as_ref().unwrap().id, fake.owner_id());
    assert!(client.get_deal(deal.id).send().await.is_ok());
    client.delete_tag(tag.id).send().await?;
    assert!(matches!(client.get_tag(tag.id).send().await, Err(Error::NotFound { .. })));
    for collection in [
        "/users",
        "/units",
        "/companies",
        "/contacts/people",
        "/projects",
        "/projects/{project_id}/tasks",
        "/projects/{project_id}/contracts",
        "/activities",
        "/deals",
        "/invoices",
        "/offers",
        "/schedules",
        "/users/presences",
        "/purchases",
        "/tags",
        "/account/web_hooks",
    ] {
        assert!(FakeMoco::collections().contains(&collection), "{collection} is stateful");
    }
    Ok(())
}

#[tokio::test]
async fn taggings_change_the_entitys_tags() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let project = client.list_projects().per_page(1).send().await?.remove(0);
    let entity = types::TaggableEntity::Project;
    let before = client.list_taggings(entity, project.id).send().await?.0;
    assert_eq!(Some(&before), project.tags.as_ref());
    let added = client.add_taggings(entity, project.id).body_map(|b| b.tags(vec!["Fake".to_string()])).send().await?.0;
    assert_eq!(added.last().map(String::as_str), Some("Fake"));
    assert_eq!(client.get_project(project.id).send().await?.tags, Some(added.clone()));
    let replaced = client.replace_taggings(entity, project.id).body_map(|b| b.tags(vec!["A".to_string(), "B".to_string()])).send().await?.0;
    assert_eq!(replaced, ["A", "B"]);
    let removed = client.delete_taggings(entity, project.id).body_map(|b| b.tags(vec!["A".to_string()])).send().await?.0;
    assert_eq!(removed, ["B"]);
    assert!(matches!(client.list_taggings(entity, 1).send().await, Err(Error::NotFound { .. })));
    Ok(())
}

#[tokio::test]
async fn downloads_are_pdfs_and_stateless_operations_answer_from_the_spec() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let invoice = client.list_invoices().per_page(1).send().await?.remove(0);
    let pdf = client.download_invoice_pdf(invoice.id).send().await?;
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(matches!(client.download_invoice_pdf(1).send().await, Err(Error::NotFound { .. })));
    let report = client.get_project_report(client.list_projects().per_page(1).send().await?[0].id).send().await?;
    assert!(report.hours_total.is_some());
    let roles = client.list_user_roles().send().await?;
    assert!(!roles.is_empty());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Auth, validation, impersonation

#[tokio::test]
async fn a_wrong_key_gets_401_with_mocos_body() {
    let fake = fake().await;
    let wrong = mocoapp::Client::builder().base_url(fake.url()).api_key("wrong-key").rate_limit(mocoapp::RateLimit::off()).build().unwrap();
    match wrong.list_projects().send().await {
        Err(Error::Unauthorized { message }) => assert!(message.unwrap().contains("API key")),
        other => panic!("expected 401, got {other:?}"),
    }
    let (status, _, body) = raw(&fake, "GET", "/projects", &[], "").await;
    assert_eq!(status, 401);
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["message"].is_string());
    // Both schemes are accepted.
    let bearer = fake.client_builder().auth_scheme(AuthScheme::Bearer).build().unwrap();
    assert_eq!(bearer.verify_key().await.unwrap().id, fake.owner_id());
    // Login needs no key.
    let (status, _, body) =
        raw(&fake, "POST", "/session", &[("content-type", "application/json")], r#"{"email":"max.muster@example.com","password":"x"}"#)
            .await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["api_key"], fake.api_key());
}

#[tokio::test]
async fn a_body_that_violates_the_spec_gets_422_naming_the_violation() {
    let fake = fake().await;
    let client = fake.client();
    let missing = client.request(moco_fake::http::Method::POST, "/projects").json(&json!({ "name": "No currency" })).send::<Value>().await;
    match missing {
        Err(Error::Unprocessable { message, errors }) => {
            let errors = errors.unwrap();
            for field in ["currency", "leader_id", "customer_id"] {
                assert!(errors[field].is_array(), "{field} in {errors}");
            }
            assert!(message.unwrap().contains("can't be blank"));
        }
        other => panic!("expected 422, got {other:?}"),
    }
    let wrong_type = client
        .request(moco_fake::http::Method::POST, "/projects")
        .json(&json!({ "name": "x", "currency": "EUR", "leader_id": "one", "customer_id": 1 }))
        .send::<Value>()
        .await;
    assert!(matches!(&wrong_type, Err(Error::Unprocessable { errors: Some(e), .. }) if e["leader_id"].is_array()), "{wrong_type:?}");
    let closed_enum = client
        .request(moco_fake::http::Method::POST, "/account/web_hooks")
        .json(&json!({ "target": "Spaceship", "event": "create", "hook": "http://x" }))
        .send::<Value>()
        .await;
    match closed_enum {
        Err(Error::Unprocessable { message, errors }) => {
            assert!(message.unwrap().contains("target"));
            assert!(errors.unwrap()["target"][0].as_str().unwrap().contains("not included in the list"));
        }
        other => panic!("expected 422, got {other:?}"),
    }
    let bad_date = client.request(moco_fake::http::Method::POST, "/projects/1/tasks").json(&json!({ "name": 1 })).send::<Value>().await;
    assert!(matches!(bad_date, Err(Error::NotFound { .. })), "the path is checked first");

    // Malformed JSON is a 400; unknown query parameters are ignored, bad known ones are a 400.
    let json = [("authorization", auth(&fake)), ("content-type", "application/json".to_string())];
    let headers: Vec<(&str, &str)> = json.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, body) = raw(&fake, "POST", "/units", &headers, "{\"name\": ").await;
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("malformed JSON"));
    let (status, _, _) = raw(&fake, "GET", "/units?flavour=vanilla", &headers, "").await;
    assert_eq!(status, 200);
    let (status, _, body) = raw(&fake, "GET", "/units?page=two", &headers, "").await;
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("page"));
    let (status, _, _) = raw(&fake, "GET", "/activities?updated_after=yesterday", &headers, "").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn what_you_create_while_impersonating_belongs_to_that_user() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let colleague = client.list_users().collect_all().await?.into_iter().find(|u| u.id != fake.owner_id()).unwrap();
    let as_colleague = client.impersonate(colleague.id);
    assert_eq!(as_colleague.verify_key().await?.id, colleague.id);
    assert_eq!(as_colleague.get_profile().send().await?.id, colleague.id);

    let project = client.list_projects().per_page(1).send().await?.remove(0);
    let task = project.tasks.as_ref().unwrap()[0].id;
    let activity = as_colleague
        .create_activity()
        .body_map(|b| b.date(date("2024-05-02")).project_id(project.id).task_id(task).seconds(3600))
        .send()
        .await?;
    let user = activity.user.as_ref().unwrap();
    assert_eq!((user.id, user.lastname.as_deref()), (colleague.id, colleague.lastname.as_deref()));
    assert_eq!(activity.hours, Some(mocoapp::Decimal::ONE));
    assert_eq!(activity.project.as_ref().unwrap().id, project.id);
    assert_eq!(activity.customer.as_ref().unwrap().id, project.customer.as_ref().unwrap().id);
    let presence = as_colleague.create_presence().body_map(|b| b.date(date("2024-05-02")).from("08:00").to("12:00")).send().await?;
    assert_eq!(presence.user.as_ref().unwrap().id, colleague.id);
    let own = client.create_activity().body_map(|b| b.date(date("2024-05-02")).project_id(project.id).task_id(task)).send().await?;
    assert_eq!(own.user.as_ref().unwrap().id, fake.owner_id());
    assert!(matches!(client.impersonate(424242).get_profile().send().await, Err(Error::Forbidden { .. })));
    let seen = fake.requests_seen();
    let create = seen.iter().find(|r| r.operation_id.as_deref() == Some("create_presence")).unwrap();
    assert_eq!(create.headers["x-impersonate-user-id"], colleague.id.to_string());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rate limit and faults

#[tokio::test]
async fn beyond_the_rate_limit_the_fake_answers_429_with_retry_after() {
    let fake = FakeMoco::start(FakeConfig {
        rate_limit: Some(RateLimit { requests: 3, window: Duration::from_secs(60) }),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let client = no_retry(&fake);
    for _ in 0..3 {
        client.get_session().send().await.unwrap();
    }
    match client.get_session().send().await {
        Err(Error::RateLimited { retry_after, attempts }) => {
            let wait = retry_after.unwrap();
            assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(60), "{wait:?}");
            assert_eq!(attempts, 1);
        }
        other => panic!("expected 429, got {other:?}"),
    }
    let (status, headers, body) = raw(&fake, "GET", "/session", &[("authorization", &auth(&fake))], "").await;
    assert_eq!(status, 429);
    assert!(headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap() <= 60);
    assert!(serde_json::from_slice::<Value>(&body).unwrap()["message"].as_str().unwrap().contains("Rate limit"));
    // Per key: a wrong key is not counted against the right one (it gets its 401).
    assert_eq!(raw(&fake, "GET", "/session", &[], "").await.0, 401);
    // (The client pauses after a 429 until `Retry-After`; a fresh one does not.)
    let client = no_retry(&fake);
    fake.set_rate_limit(None);
    assert!(client.get_session().send().await.is_ok());
    fake.set_rate_limit(Some(RateLimit::standard()));
    for _ in 0..120 {
        client.get_session().send().await.unwrap();
    }
    assert!(matches!(client.get_session().send().await, Err(Error::RateLimited { .. })));
}

#[tokio::test]
async fn server_errors_are_5xx_at_the_configured_rate() {
    let fake = fake().await;
    let client = no_retry(&fake);
    fake.set_faults(Faults::none().server_errors(1.0, 503));
    match client.list_units().send().await {
        Err(Error::Http { status, message, .. }) => {
            assert_eq!(status.as_u16(), 503);
            assert!(message.unwrap().contains("injected"));
        }
        other => panic!("expected 503, got {other:?}"),
    }
    // At a rate, with a seed: the same sequence each time.
    let sequence = |seed| {
        let fake = &fake;
        let client = client.clone();
        async move {
            fake.set_faults(Faults::none().server_errors(0.3, 500).seed(seed));
            let mut failures = Vec::new();
            for _ in 0..40 {
                failures.push(client.list_units().send().await.is_err());
            }
            failures
        }
    };
    let first = sequence(3).await;
    assert_eq!(first, sequence(3).await);
    let failed = first.iter().filter(|f| **f).count();
    assert!((4..=20).contains(&failed), "{failed} of 40 at 30%");
    // A retrying client gets through once the faults are used up.
    fake.set_faults(Faults::none().server_errors(1.0, 502).max_faults(2));
    let retrying = fake
        .client_builder()
        .retry(RetryPolicy { initial_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(20), ..RetryPolicy::default() })
        .build()
        .unwrap();
    assert!(retrying.list_units().send().await.is_ok());
    let statuses: Vec<u16> = fake.requests_seen().iter().rev().take(3).map(|r| r.status).collect();
    assert_eq!(statuses, [200, 502, 502]);
    fake.set_faults(Faults::none());
    assert!(client.list_units().send().await.is_ok());
}

#[tokio::test]
async fn connection_resets_are_transport_errors() {
    let fake = fake().await;
    fake.set_faults(Faults::none().connection_resets(1.0));
    match no_retry(&fake).list_units().send().await {
        Err(Error::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(fake.requests_seen().last().unwrap().status, 0);
    // The fake keeps serving new connections.
    fake.set_faults(Faults::none());
    assert!(no_retry(&fake).list_units().send().await.is_ok());
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let fake = fake().await;
    fake.set_faults(Faults::none().malformed_json(1.0));
    match no_retry(&fake).list_units().send().await {
        Err(Error::Decode { status, excerpt, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert!(excerpt.starts_with("{\"id\": 1"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_bodies_end_early() {
    let fake = fake().await;
    fake.set_faults(Faults::none().truncated_body(1.0));
    match no_retry(&fake).list_projects().send().await {
        Err(Error::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_error_pages_come_with_status_200() {
    let fake = fake().await;
    fake.set_faults(Faults::none().html_error_page(1.0));
    match no_retry(&fake).list_units().send().await {
        Err(Error::Decode { status, excerpt, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert!(excerpt.contains("<html>"), "{excerpt}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let (status, headers, _) = raw(&fake, "GET", "/units", &[("authorization", &auth(&fake))], "").await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn latency_and_slow_bodies_delay_the_answer_but_not_its_content() {
    let fake = fake().await;
    let client = fake.client();
    let expected = client.list_units().send().await.unwrap();
    fake.set_faults(Faults::none().latency(Duration::from_millis(150)));
    let started = Instant::now();
    assert_eq!(client.list_units().send().await.unwrap(), expected);
    assert!(started.elapsed() >= Duration::from_millis(150));

    fake.set_faults(Faults::none().slow_body(64, Duration::from_millis(20)));
    let (_, _, body) = raw(&fake, "GET", "/units", &[("authorization", &auth(&fake))], "").await;
    let chunks = body.len().div_ceil(64) as u32;
    let started = Instant::now();
    assert_eq!(client.list_units().send().await.unwrap(), expected);
    assert!(started.elapsed() >= Duration::from_millis(20) * chunks, "{:?} for {chunks} chunks", started.elapsed());
    assert_eq!(fake.faults().slow_body.unwrap().chunk_size, 64);
}

// ---------------------------------------------------------------------------------------------
// Web hooks

/// A receiver on loopback that keeps every delivery.
async fn receiver() -> (String, Arc<Mutex<Vec<(HeaderMap, Bytes)>>>, tokio::sync::mpsc::UnboundedReceiver<()>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let store = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            let tx = tx.clone();
            async move {
                store.lock().unwrap().push((headers, body));
                let _ = tx.send(());
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received, rx)
}

#[tokio::test]
async fn web_hooks_receive_signed_deliveries_on_create_update_and_delete() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let (url, received, mut arrived) = receiver().await;
    let mut hooks = Vec::new();
    for event in [types::WebHookCreateEvent::Create, types::WebHookCreateEvent::Update, types::WebHookCreateEvent::Delete] {
        let hook = client
            .create_web_hook()
            .body_map(|b| b.target(types::WebHookCreateTarget::Activity).event(event).hook(url.clone()))
            .send()
            .await?;
        hooks.push(hook);
    }
    // A hook for another target stays silent.
    client
        .create_web_hook()
        .body_map(|b| b.target(types::WebHookCreateTarget::Project).event(types::WebHookCreateEvent::Create).hook(url.clone()))
        .send()
        .await?;
    let listed = client.list_web_hooks().send().await?;
    assert_eq!(listed.len(), 4);

    let project = client.list_projects().per_page(1).send().await?.remove(0);
    let task = project.tasks.as_ref().unwrap()[0].id;
    let colleague = client.list_users().collect_all().await?.into_iter().find(|u| u.id != fake.owner_id()).unwrap();
    let activity = client
        .impersonate(colleague.id)
        .create_activity()
        .body_map(|b| b.date(date("2024-07-01")).project_id(project.id).task_id(task).seconds(900).description("hooked"))
        .send()
        .await?;
    client.update_activity(activity.id).body_map(|b| b.description("hooked again")).send().await?;
    client.delete_activity(activity.id).send().await?;
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), arrived.recv()).await?;
    }
    let deliveries = received.lock().unwrap().clone();
    assert_eq!(deliveries.len(), 3);
    let mut events = Vec::new();
    for ((headers, body), hook) in deliveries.iter().zip(&hooks) {
        let verifier = mocoapp::webhooks::WebhookVerifier::new(fake.webhook_key(hook.id)).tolerance(Duration::from_secs(60));
        let event = verifier.parse(headers, body)?;
        assert_eq!(event.target, "Activity");
        assert_eq!(event.account_url.as_deref(), Some(fake.url().trim_end_matches("/api/v1")));
        // A hook's key does not verify another hook's delivery.
        let other = mocoapp::webhooks::WebhookVerifier::new(fake.webhook_key(hook.id + 1000));
        assert!(other.parse(headers, body).is_err());
        events.push((event.event.clone(), event.user_id, event.payload));
    }
    match &events[0] {
        (e, Some(user), mocoapp::webhooks::WebhookPayload::Activity(a)) if e == "create" => {
            assert_eq!(a.id, activity.id);
            assert_eq!(*user, colleague.id);
            assert_eq!(a.description.as_deref(), Some("hooked"));
        }
        other => panic!("unexpected first delivery {other:?}"),
    }
    match &events[1] {
        (e, _, mocoapp::webhooks::WebhookPayload::Activity(a)) if e == "update" => {
            assert_eq!(a.description.as_deref(), Some("hooked again"))
        }
        other => panic!("unexpected second delivery {other:?}"),
    }
    assert!(matches!(&events[2], (e, _, mocoapp::webhooks::WebhookPayload::Deleted { id }) if e == "delete" && *id == activity.id));
    let mut log = fake.webhook_deliveries();
    for _ in 0..100 {
        if log.len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        log = fake.webhook_deliveries();
    }
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|d| d.status == Some(200) && d.target == "Activity"));

    // Disabled hooks are not called.
    client.disable_web_hook(hooks[0].id).send().await?;
    client.create_activity().body_map(|b| b.date(date("2024-07-02")).project_id(project.id).task_id(task)).send().await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(received.lock().unwrap().len(), 3);
    Ok(())
}

#[tokio::test]
async fn a_configured_webhook_key_signs_every_delivery() -> Result {
    let fake =
        FakeMoco::start(FakeConfig { webhook_key: Some("1d608b9d72219b90ff2393a1d3ee0ac0".into()), ..FakeConfig::default() }).await?;
    assert_eq!(fake.webhook_key(1), "1d608b9d72219b90ff2393a1d3ee0ac0");
    assert_eq!(
        moco_fake::webhook_signature("1d608b9d72219b90ff2393a1d3ee0ac0", br#"{"id":111,"description":"a description"}"#),
        "bf027a86207ef1ca1cb76f5a536b41a14287ab1a0fd5b33bfe86924bc2f48fd1"
    );
    Ok(())
}

#[tokio::test]
async fn the_fake_stops_when_dropped() {
    let fake = fake().await;
    let url = fake.url();
    let client = fake.client();
    assert!(client.list_units().send().await.is_ok());
    fake.shutdown().await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let fresh = mocoapp::Client::builder().base_url(url).api_key("fake-api-key").retry(RetryPolicy::none()).build().unwrap();
    assert!(matches!(fresh.list_units().send().await, Err(Error::Transport(_))));
}
