//! Streams over MOCO's pages: `Link: rel="next"` is followed, filters are kept, metadata exposed.

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use mocoapp::{Error};
use serde_json::{json, Value};

use crate::support::*;

fn project(id: i64) -> Value {
    json!({"id": id, "name": format!("Project {id}")})
}

/// Three pages of two, one, and one project, each linking to the next except the last.
async fn three_pages(server: &MockServer) -> Vec<httpmock::Mock<'_>> {
    let mut mocks = Vec::new();
    for (page, ids) in [(1, vec![1, 2]), (2, vec![3, 4]), (3, vec![5])] {
        let link = (page < 3).then(|| {
            format!("<{}?page={}&tags=Digital&ids=1,2,3,4,5>; rel=\"next\"", server.url("/api/v1/projects"), page + 1)
        });
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
        vec![
            (Some(1), Some(2), Some(5), Some(2), 2),
            (Some(2), Some(2), Some(5), Some(3), 2),
            (Some(3), Some(2), Some(5), None, 1)
        ]
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
            then.status(200)
                .header("X-Page", "1")
                .header("Link", "</api/v1/projects?page=1>; rel=\"next\"")
                .json_body(json!([project(1)]));
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
    // build.rs gives every list builder with a `page` parameter the stream methods; this
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
