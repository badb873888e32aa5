//! Pagination integrity against the fake's ground truth (`FakeMoco::entities`): a stream yields
//! every record exactly once, also when pages fail and are retried, and when a colleague creates
//! or deletes records while it runs (MOCO pages by number, so the pages shift): the shift is
//! noticed and the list read again, or, if it keeps changing, reported as `Error::Pagination`.
//! Both with `stream()` (4 pages at a time) and `stream_concurrent(1)` (one after the other).

use std::{collections::HashSet, time::Duration};

use futures::{stream::BoxStream, StreamExt, TryStreamExt};
use moco_fake::{FakeConfig, FakeMoco, Faults};
use mocoapp::{pagination::MAX_PASSES, types, Client, Error, RetryPolicy, SortBy};
use serde_json::Value;

/// Active projects asked of the fake; it seeds one archived project per six on top, and the
/// lists here include them.
const ACTIVE: usize = 47;
const PROJECTS: usize = ACTIVE + ACTIVE / 6;
const PER_PAGE: i64 = 5;
const PAGES: usize = PROJECTS.div_ceil(PER_PAGE as usize);

async fn fake() -> FakeMoco {
    FakeMoco::start(FakeConfig { projects: ACTIVE, ..FakeConfig::default() }).await.unwrap()
}

/// The ids of the fake's projects, in id order: the ground truth.
fn truth(fake: &FakeMoco) -> Vec<i64> {
    fake.entities("/projects").unwrap().iter().map(|p: &Value| p["id"].as_i64().unwrap()).collect()
}

fn list(client: &Client) -> mocoapp::builder::ListProjects<'_> {
    client.list_projects().include_archived(true).per_page(PER_PAGE)
}

#[derive(Clone, Copy, Debug)]
enum Mode {
    /// `stream()`: the pages after the first, 4 at a time.
    Concurrent,
    /// `stream_concurrent(1)`: one page after the other.
    Sequential,
}

const MODES: [Mode; 2] = [Mode::Concurrent, Mode::Sequential];

fn stream(list: mocoapp::builder::ListProjects<'_>, mode: Mode) -> BoxStream<'_, Result<types::Project, Error>> {
    match mode {
        Mode::Concurrent => list.stream(),
        Mode::Sequential => list.stream_concurrent(1),
    }
}

/// The list requests the fake saw.
fn list_requests(fake: &FakeMoco) -> usize {
    fake.requests_seen().iter().filter(|r| r.method == "GET" && r.path == "/api/v1/projects").count()
}

#[track_caller]
fn assert_each_once(ids: &[i64], mode: Mode) {
    let distinct: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), ids.len(), "{mode:?}: an id came twice: {ids:?}");
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn every_record_comes_exactly_once_and_a_quiet_list_is_read_once() {
    let fake = fake().await;
    let client = fake.client();
    let expected = truth(&fake);
    assert_eq!(expected.len(), PROJECTS);
    for mode in MODES {
        fake.clear_requests();
        let ids: Vec<i64> = stream(list(&client), mode).map_ok(|p| p.id).try_collect().await.unwrap();
        assert_eq!(ids, expected, "{mode:?}");
        assert_eq!(list_requests(&fake), PAGES, "{mode:?}: one request per page, no second pass");
    }
    let all = list(&client).collect_all().await.unwrap();
    assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), expected);
}

#[tokio::test]
async fn pages_that_fail_are_retried_and_every_record_still_comes_once() {
    let fake = fake().await;
    let expected = truth(&fake);
    // Faults within the bound of one page's retries, so that every page gets through.
    let client = fake
        .client_builder()
        .retry(RetryPolicy::default().max_retries(12).initial_backoff(Duration::from_millis(2)).max_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    for (mode, seed) in MODES.into_iter().zip([11, 12]) {
        fake.clear_requests();
        fake.set_faults(
            Faults::none()
                .server_errors(0.15, 503)
                .connection_resets(0.1)
                .truncated_body(0.1)
                .rate_limited(0.1, Duration::ZERO)
                .resets_after_processing(0.1)
                .max_faults(12)
                .seed(seed),
        );
        let ids: Vec<i64> = stream(list(&client), mode).map_ok(|p| p.id).try_collect().await.unwrap();
        assert_eq!(ids, expected, "{mode:?}");
        let statuses: Vec<u16> = fake.requests_seen().iter().filter(|r| r.path == "/api/v1/projects").map(|r| r.status).collect();
        assert!(statuses.iter().any(|s| *s != 200), "{mode:?}: faults were injected: {statuses:?}");
        assert!(statuses.len() > PAGES && statuses.len() <= PAGES + 12, "{mode:?}: {statuses:?}");
    }
}

#[tokio::test]
async fn deletes_behind_the_position_are_noticed_and_nothing_is_skipped() {
    for mode in MODES {
        let fake = fake().await;
        let client = fake.client();
        let colleague = fake.client();
        let before = truth(&fake);
        let mut projects = stream(list(&client), mode);
        let mut ids = Vec::new();
        // The first page, then a pause: no further page has been asked for yet.
        for _ in 0..PER_PAGE {
            ids.push(projects.try_next().await.unwrap().unwrap().id);
        }
        // Two projects the stream has passed, and one it has not reached: every later page
        // shifts back by three, so the first three of the old page 2 land on page 1.
        for id in [before[1], before[3], before[30]] {
            colleague.delete_project(id).send().await.unwrap();
        }
        while let Some(project) = projects.try_next().await.unwrap() {
            ids.push(project.id);
        }
        assert_each_once(&ids, mode);
        let after = truth(&fake);
        for id in &after {
            assert!(ids.contains(id), "{mode:?}: project {id} existed throughout but was skipped");
        }
        assert!(ids.iter().all(|id| before.contains(id)), "{mode:?}");
        assert!(!ids.contains(&before[30]), "{mode:?}: deleted before the stream reached it");
        assert_eq!(sorted(ids), sorted([after, vec![before[1], before[3]]].concat()), "{mode:?}");
        assert!(list_requests(&fake) > PAGES, "{mode:?}: the list was read again");
    }
}

#[tokio::test]
async fn creates_ahead_of_the_position_are_not_yielded_twice() {
    // Newest first: what a colleague creates goes to the front and pushes every page forward,
    // so the end of the page just read comes again at the start of the next one.
    for mode in MODES {
        let fake = fake().await;
        let client = fake.client();
        let colleague = fake.client();
        let leader = colleague.list_users().per_page(1).send().await.unwrap()[0].id;
        let customer = colleague.list_companies().per_page(1).send().await.unwrap()[0].id;
        let mut projects = stream(list(&client).sort_by(SortBy::desc("id")), mode);
        let mut ids = Vec::new();
        for _ in 0..PER_PAGE {
            ids.push(projects.try_next().await.unwrap().unwrap().id);
        }
        for n in 0..3 {
            colleague
                .create_project()
                .body_map(|b| b.name(format!("Created meanwhile {n}")).currency("EUR").leader_id(leader).customer_id(customer))
                .send()
                .await
                .unwrap();
        }
        while let Some(project) = projects.try_next().await.unwrap() {
            ids.push(project.id);
        }
        assert_each_once(&ids, mode);
        assert_eq!(sorted(ids), truth(&fake), "{mode:?}: every project, the new ones too, once");
    }
}

#[tokio::test]
async fn a_list_that_keeps_changing_ends_with_a_pagination_error_after_distinct_items() {
    for mode in MODES {
        let fake = fake().await;
        // Every request takes 40 ms; a colleague creates a project after another meanwhile,
        // so that every pass sees X-Total change between its first page and its last.
        fake.set_faults(Faults::none().latency(Duration::from_millis(40)));
        let client = fake.client();
        let colleague = fake.client();
        let leader = colleague.list_users().per_page(1).send().await.unwrap()[0].id;
        let customer = colleague.list_companies().per_page(1).send().await.unwrap()[0].id;
        fake.clear_requests();
        let creating = tokio::spawn(async move {
            loop {
                let created = colleague
                    .create_project()
                    .body_map(|b| b.name("Busy").currency("EUR").leader_id(leader).customer_id(customer))
                    .send()
                    .await;
                created.unwrap();
            }
        });
        let results: Vec<Result<types::Project, Error>> = stream(list(&client), mode).collect().await;
        creating.abort();
        let (last, items) = results.split_last().unwrap();
        match last {
            Err(Error::Pagination(message)) => assert!(message.contains("changed") && message.contains("passes"), "{message}"),
            other => panic!("{mode:?}: expected Error::Pagination at the end, got {other:?}"),
        }
        let ids: Vec<i64> = items.iter().map(|r| r.as_ref().unwrap().id).collect();
        assert_each_once(&ids, mode);
        assert!(ids.len() >= PROJECTS, "{mode:?}: the items it got are all there");
        assert!(list_requests(&fake) >= MAX_PASSES as usize * PAGES, "{mode:?}: {MAX_PASSES} passes");
        let all = list(&fake.client()).collect_all().await;
        assert!(all.is_ok(), "once the list holds still, it is read in one go");
    }
}
