//! Streams over MOCO's pages: `Link: rel="next"` is followed, filters are kept, metadata exposed;
//! once `X-Total` is known the remaining pages are fetched concurrently (bounded), in order.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use mocoapp::Error;
use serde_json::{json, Value};

use crate::support::*;

fn project(id: i64) -> Value {
    json!({"id": id, "name": format!("Project {id}")})
}

/// Three pages of two, one, and one project, each linking to the next except the last.
async fn three_pages(server: &MockServer) -> Vec<httpmock::Mock<'_>> {
    let mut mocks = Vec::new();
    for (page, ids) in [(1, vec![1, 2]), (2, vec![3, 4]), (3, vec![5])] {
        let link =
            (page < 3).then(|| format!("<{}?page={}&tags=Digital&ids=1,2,3,4,5>; rel=\"next\"", server.url("/api/v1/projects"), page + 1));
        let mut query = vec![("tags", "Digital"), ("ids", "1,2,3,4,5"), ("include_archived", "true")];
        let page_text = page.to_string();
        if page > 1 {
            query.push(("page", page_text.as_str()));
        }
        let body = Value::Array(ids.iter().map(|&id| project(id)).collect());
        mocks.push(
            server
                .mock_async(|when, then| {
                    moco(when, GET, "/projects").is_true(exact_query(&query));
                    let then = then
                        .status(200)
                        .header("X-Page", page.to_string())
                        .header("X-Per-Page", "2")
                        .header("X-Total", "5")
                        .json_body(body.clone());
                    if let Some(link) = &link {
                        then.header("Link", link.as_str());
                    }
                })
                .await,
        );
    }
    mocks
}

fn filtered(client: &mocoapp::Client) -> mocoapp::builder::ListProjects<'_> {
    client.list_projects().tags(["Digital"]).ids([1, 2, 3, 4, 5]).include_archived(true)
}

#[tokio::test]
async fn stream_follows_links_across_three_pages_keeping_filters() {
    let server = MockServer::start_async().await;
    let mocks = three_pages(&server).await;
    let client = client(&server);
    let ids: Vec<i64> = filtered(&client).stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, vec![1, 2, 3, 4, 5]);
    for mock in &mocks {
        mock.assert_async().await; // each page exactly once
    }
}

#[tokio::test]
async fn pages_expose_the_metadata_headers() {
    let server = MockServer::start_async().await;
    three_pages(&server).await;
    let client = client(&server);
    let pages: Vec<_> = filtered(&client).pages().try_collect().await.unwrap();
    let meta: Vec<_> = pages.iter().map(|p| (p.page, p.per_page, p.total, p.next_page, p.items.len())).collect();
    assert_eq!(
        meta,
        vec![(Some(1), Some(2), Some(5), Some(2), 2), (Some(2), Some(2), Some(5), Some(3), 2), (Some(3), Some(2), Some(5), None, 1)]
    );
}

#[tokio::test]
async fn collect_all_gathers_every_item() {
    let server = MockServer::start_async().await;
    three_pages(&server).await;
    let client = client(&server);
    let all = filtered(&client).collect_all().await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[4].name, "Project 5");
}

#[tokio::test]
async fn a_single_page_without_link_ends_the_stream() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").is_true(exact_query(&[]));
            then.status(200).json_body(json!([project(7)]));
        })
        .await;
    let all = client(&server).list_projects().collect_all().await.unwrap();
    assert_eq!(all.len(), 1);
    mock.assert_async().await;
}

#[tokio::test]
async fn a_link_that_does_not_advance_is_an_error_not_a_loop() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects");
            then.status(200).header("X-Page", "1").header("Link", "</api/v1/projects?page=1>; rel=\"next\"").json_body(json!([project(1)]));
        })
        .await;
    let results: Vec<_> = client(&server).list_projects().pages().collect().await;
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(Error::Pagination(_))), "{results:?}");
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_with_that_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param_missing("page");
            then.status(200).header("Link", "</api/v1/projects?page=2>; rel=\"next\"").json_body(json!([project(1)]));
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param("page", "2");
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    let results: Vec<_> = client(&server).list_projects().stream().collect().await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, 1);
    assert!(matches!(&results[1], Err(Error::Forbidden { .. })), "{results:?}");
}

#[tokio::test]
async fn every_paginated_list_of_the_spec_streams() {
    // The codegen gives every list builder with a `page` parameter the stream methods; this
    // compiles only if it did for these.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET);
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = client(&server);
    assert!(client.list_projects().collect_all().await.unwrap().is_empty());
}

#[tokio::test]
async fn custom_field_filters_go_on_every_page() {
    let server = MockServer::start_async().await;
    let expected = |page: Option<&'static str>| {
        let mut query = vec![
            ("custom_properties[Line of business]", "Automotive"),
            ("custom_properties[Sector][]", "Pharma"),
            ("custom_properties[Sector][]", "Chemistry"),
            ("custom_properties[Newsletter]", "true"),
            ("include_archived", "true"),
        ];
        query.extend(page.map(|p| ("page", p)));
        exact_query(&query)
    };
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").is_true(expected(None));
            then.status(200).header("Link", "</api/v1/projects?page=2>; rel=\"next\"").json_body(json!([project(1)]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").is_true(expected(Some("2")));
            then.status(200).json_body(json!([project(2)]));
        })
        .await;
    let not_filtered = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1/archive").is_true(exact_query(&[]));
            then.status(200).json_body(project(1));
        })
        .await;
    let single = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1").is_true(exact_query(&[]));
            then.status(200).json_body(project(1));
        })
        .await;
    let client = client(&server);
    let filtered = client.filter_custom_fields(
        &mocoapp::CustomFields::new()
            .with("Line of business", "Automotive")
            .with("Sector", ["Pharma", "Chemistry"])
            .with("Newsletter", "true"),
    );
    let all = filtered.list_projects().include_archived(true).collect_all().await.unwrap();
    assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1, 2]);
    // Only the lists that declare the filter carry it: not an action, not a single GET.
    filtered.archive_project(1).send().await.unwrap();
    filtered.get_project(1).send().await.unwrap();
    first.assert_async().await;
    second.assert_async().await;
    not_filtered.assert_async().await;
    single.assert_async().await;
}

// ---- Concurrent pages ----

/// One mock per page of `total` projects (ids 1..=total), `per_page` each, with `X-Page`,
/// `X-Per-Page`, `X-Total` and `Link: rel="next"` (except on the last page). Page `n` answers
/// after `delay(n)`.
async fn paged_mocks(server: &MockServer, total: i64, per_page: i64, delay: impl Fn(i64) -> Duration) -> Vec<httpmock::Mock<'_>> {
    let last = (total + per_page - 1) / per_page;
    let mut mocks = Vec::new();
    for page in 1..=last {
        let ids: Vec<i64> = ((page - 1) * per_page + 1..=(page * per_page).min(total)).collect();
        let delay = delay(page);
        mocks.push(
            server
                .mock_async(|when, then| {
                    let when = moco(when, GET, "/projects");
                    if page == 1 {
                        when.query_param_missing("page");
                    } else {
                        when.query_param("page", page.to_string());
                    }
                    let then = then
                        .status(200)
                        .header("X-Page", page.to_string())
                        .header("X-Per-Page", per_page.to_string())
                        .header("X-Total", total.to_string())
                        .delay(delay)
                        .json_body(Value::Array(ids.iter().map(|&id| project(id)).collect()));
                    if page < last {
                        then.header("Link", format!("</api/v1/projects?page={}>; rel=\"next\"", page + 1));
                    }
                })
                .await,
        );
    }
    mocks
}

#[tokio::test]
async fn later_pages_answering_faster_keep_their_order() {
    let server = MockServer::start_async().await;
    // Page 2 is the slowest, page 4 the fastest: one after the other this takes at least 1.2 s.
    let mocks = paged_mocks(&server, 7, 2, |page| Duration::from_millis([0, 0, 600, 400, 200][page as usize])).await;
    let client = client(&server);
    let started = Instant::now();
    let ids: Vec<i64> = client.list_projects().stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, (1..=7).collect::<Vec<_>>());
    assert!(started.elapsed() < Duration::from_millis(1200), "pages 2 to 4 overlapped: {:?}", started.elapsed());
    for mock in &mocks {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn every_item_comes_exactly_once_and_pages_keep_their_metadata() {
    let server = MockServer::start_async().await;
    let mocks = paged_mocks(&server, 29, 3, |page| Duration::from_millis((page as u64 * 37) % 50)).await;
    let client = client(&server);
    let all = client.list_projects().collect_all_concurrent(3).await.unwrap();
    assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), (1..=29).collect::<Vec<_>>());
    for mock in &mocks {
        mock.assert_async().await; // each page requested exactly once
    }
    let pages: Vec<_> = client.list_projects().pages_concurrent(3).try_collect().await.unwrap();
    let meta: Vec<_> = pages.iter().map(|p| (p.page, p.next_page, p.items.len())).collect();
    let expected: Vec<_> = (1..=10).map(|n| (Some(n), (n < 10).then_some(n + 1), if n < 10 { 3 } else { 2 })).collect();
    assert_eq!(meta, expected);
    assert!(pages.iter().all(|p| (p.per_page, p.total) == (Some(3), Some(29))));
}

#[tokio::test]
async fn an_error_on_a_concurrent_page_ends_the_stream_with_that_error() {
    let server = MockServer::start_async().await;
    // Page 3 fails; pages 4 and 5 (perhaps already fetched) are not yielded.
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param("page", "3");
            then.status(403).json_body(json!({"message": "Keine Berechtigung"}));
        })
        .await;
    paged_mocks(&server, 10, 2, |_| Duration::ZERO).await;
    let results: Vec<_> = client(&server).list_projects().stream().collect().await;
    let ids: Vec<i64> = results.iter().filter_map(|r| r.as_ref().ok()).map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    assert_eq!(results.len(), 5, "{results:?}");
    assert!(matches!(&results[4], Err(Error::Forbidden { .. })), "{results:?}");
}

#[tokio::test]
async fn a_page_without_a_next_link_ends_the_list_even_if_x_total_promised_more() {
    // The list shrank during the sync: X-Total said 4 pages, page 2 is the last one now.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param("page", "2");
            then.status(200).header("X-Page", "2").header("X-Per-Page", "2").header("X-Total", "6").json_body(json!([project(3)]));
        })
        .await;
    paged_mocks(&server, 8, 2, |_| Duration::ZERO).await;
    let items = client(&server).list_projects().pages().map_ok(|p| p.items).try_concat().await.unwrap();
    assert_eq!(items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    // The item stream sees X-Total change (8, then 6) in every pass: it reports it after the items.
    let results: Vec<_> = client(&server).list_projects().stream().collect().await;
    let ids: Vec<i64> = results.iter().filter_map(|r| r.as_ref().ok()).map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert!(matches!(results.last(), Some(Err(Error::Pagination(_)))), "{results:?}");
}

#[tokio::test]
async fn a_next_link_beyond_x_total_is_followed() {
    // The list grew during the sync: X-Total said 3 pages, page 3 links to a fourth.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param("page", "3");
            then.status(200)
                .header("X-Page", "3")
                .header("X-Per-Page", "2")
                .header("X-Total", "7")
                .header("Link", "</api/v1/projects?page=4>; rel=\"next\"")
                .json_body(json!([project(5), project(6)]));
        })
        .await;
    let fourth = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects").query_param("page", "4");
            then.status(200).header("X-Page", "4").header("X-Per-Page", "2").header("X-Total", "7").json_body(json!([project(7)]));
        })
        .await;
    paged_mocks(&server, 6, 2, |_| Duration::ZERO).await;
    let items = client(&server).list_projects().pages().map_ok(|p| p.items).try_concat().await.unwrap();
    assert_eq!(items.iter().map(|p| p.id).collect::<Vec<_>>(), (1..=7).collect::<Vec<_>>());
    fourth.assert_async().await;
    // The item stream sees X-Total change (6, then 7) in every pass: it reports it after the items.
    let results: Vec<_> = client(&server).list_projects().stream().collect().await;
    let ids: Vec<i64> = results.iter().filter_map(|r| r.as_ref().ok()).map(|p| p.id).collect();
    assert_eq!(ids, (1..=7).collect::<Vec<_>>());
    assert!(matches!(results.last(), Some(Err(Error::Pagination(_)))), "{results:?}");
}

/// What the paging server saw.
#[derive(Default)]
struct Paging {
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    pages: Mutex<Vec<i64>>,
}

/// An in-process MOCO list of `total` projects, `per_page` per page, that counts the requests in
/// flight (each takes 100 ms); `X-Total` only if `with_total`.
async fn paging_server(total: i64, per_page: i64, with_total: bool) -> (mocoapp::Client, Arc<Paging>) {
    paging_server_limited(total, per_page, with_total, mocoapp::RateLimit::off()).await
}

/// [`paging_server`] with a client-side rate limit.
async fn paging_server_limited(total: i64, per_page: i64, with_total: bool, limit: mocoapp::RateLimit) -> (mocoapp::Client, Arc<Paging>) {
    let seen = Arc::new(Paging::default());
    let app = axum::Router::new().fallback({
        let seen = seen.clone();
        move |uri: axum::http::Uri| {
            let seen = seen.clone();
            async move {
                let page: i64 =
                    uri.query().unwrap_or("").split('&').find_map(|pair| pair.strip_prefix("page=")).map_or(1, |n| n.parse().unwrap());
                seen.pages.lock().unwrap().push(page);
                let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                seen.in_flight.fetch_sub(1, Ordering::SeqCst);
                let last = (total + per_page - 1) / per_page;
                let ids = ((page - 1) * per_page + 1)..=(page * per_page).min(total);
                let body = Value::Array(ids.map(project).collect()).to_string();
                let mut response = axum::http::Response::builder()
                    .header("content-type", "application/json")
                    .header("x-page", page.to_string())
                    .header("x-per-page", per_page.to_string());
                if with_total {
                    response = response.header("x-total", total.to_string());
                }
                if page < last {
                    response = response.header("link", format!("</api/v1/projects?page={}>; rel=\"next\"", page + 1));
                }
                response.body(axum::body::Body::from(body)).unwrap()
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    install_tls_provider();
    let http = reqwest::Client::builder().build().unwrap();
    let client = mocoapp::Client::builder().base_url(url).api_key(KEY).http_client(http).rate_limit(limit).build().unwrap();
    (client, seen)
}

#[tokio::test]
async fn the_number_of_pages_in_flight_is_bounded() {
    for concurrency in [1, 3, 6] {
        let (client, seen) = paging_server(36, 3, true).await;
        let all = client.list_projects().collect_all_concurrent(concurrency).await.unwrap();
        assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), (1..=36).collect::<Vec<_>>());
        assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), concurrency, "collect_all_concurrent({concurrency})");
        let mut pages = seen.pages.lock().unwrap().clone();
        pages.sort();
        assert_eq!(pages, (1..=12).collect::<Vec<_>>(), "each page once");
    }
    let (client, seen) = paging_server(36, 3, true).await;
    let ids: Vec<i64> = client.list_projects().stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids.len(), 36);
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), mocoapp::pagination::DEFAULT_CONCURRENCY, "stream()");
}

#[tokio::test]
async fn stream_follows_the_rate_limiters_room() {
    // An empty window of 100: the 11 pages after the first go at once (up to MAX_CONCURRENCY).
    let (client, seen) = paging_server_limited(36, 3, true, mocoapp::RateLimit::per_window(100, Duration::from_secs(60))).await;
    let ids: Vec<i64> = client.list_projects().stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, (1..=36).collect::<Vec<_>>());
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 11, "as many as the window has room for");
    // A window of 7: the first page leaves room for 6, which go at once; then the floor of
    // DEFAULT_CONCURRENCY waits for places (they free a second after each answer).
    let (client, seen) = paging_server_limited(36, 3, true, mocoapp::RateLimit::per_window(7, Duration::from_secs(1))).await;
    let ids: Vec<i64> = client.list_projects().stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, (1..=36).collect::<Vec<_>>());
    let most = seen.most_in_flight.load(Ordering::SeqCst);
    assert!(
        most > mocoapp::pagination::DEFAULT_CONCURRENCY && most <= 7,
        "more than the floor while there is room, never beyond the window: {most}"
    );
    let mut pages = seen.pages.lock().unwrap().clone();
    pages.sort();
    assert_eq!(pages, (1..=12).collect::<Vec<_>>(), "each page once");
    // An explicit bound is kept whatever the room.
    let (client, seen) = paging_server_limited(36, 3, true, mocoapp::RateLimit::per_window(100, Duration::from_secs(60))).await;
    assert_eq!(client.list_projects().collect_all_concurrent(3).await.unwrap().len(), 36);
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn without_x_total_pages_follow_the_links_one_at_a_time() {
    let (client, seen) = paging_server(20, 4, false).await;
    let ids: Vec<i64> = client.list_projects().stream_concurrent(8).map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, (1..=20).collect::<Vec<_>>());
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 1);
    assert_eq!(*seen.pages.lock().unwrap(), vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_stream_starting_at_a_later_page_fetches_the_rest_concurrently() {
    let (client, seen) = paging_server(20, 2, true).await;
    let ids: Vec<i64> = client.list_projects().page(6).stream().map_ok(|p| p.id).try_collect().await.unwrap();
    assert_eq!(ids, (11..=20).collect::<Vec<_>>());
    let pages = seen.pages.lock().unwrap().clone();
    assert_eq!(pages[0], 6);
    assert_eq!(pages.len(), 5);
    assert_eq!(seen.most_in_flight.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn concurrent_pages_stay_within_the_rate_limit() {
    // 12 pages on a 5-per-10-s limit: the pages beyond the first window wait for it, whatever
    // the concurrency (on the paused clock, in no real time).
    let server = MockServer::start_async().await;
    paged_mocks(&server, 12, 1, |_| Duration::ZERO).await;
    let client = builder(&server).rate_limit(mocoapp::RateLimit::per_window(5, Duration::from_secs(10))).build().unwrap();
    let started = tokio::time::Instant::now();
    let all = client.list_projects().collect_all_concurrent(8).await.unwrap();
    assert_eq!(all.len(), 12);
    assert!(started.elapsed() >= Duration::from_secs(20), "{:?}", started.elapsed());
}
