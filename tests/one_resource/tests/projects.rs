//! `cargo test -p mocoapp-one-resource`: mocoapp with `default-features = false, features =
//! ["projects"]` (what `.ci/run` checks; the workspace's other members would turn on `full`).
//! The operations of that resource work end to end, the session ones are there, the others are
//! not compiled (`tests/one_resource/tests/` has no way to name them: `client.list_activities()`
//! would not compile).

use httpmock::prelude::*;
use mocoapp::prelude::*;

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.url("/api/v1")).api_key("KEY").rate_limit(RateLimit::off()).build().unwrap()
}

#[tokio::test]
async fn a_projects_only_client_streams_a_list_across_pages() {
    let server = MockServer::start_async().await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects").query_param("page", "2").header("authorization", "Token token=KEY");
            then.status(200).header("X-Page", "2").header("X-Total", "3").json_body(mocoapp::serde_json::json!([{"id": 3, "name": "C"}]));
        })
        .await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects").query_param_missing("page").query_param("tags", "Print,Web");
            let next = server.url("/api/v1/projects?page=2&tags=Print,Web");
            then.status(200)
                .header("X-Page", "1")
                .header("X-Total", "3")
                .header("Link", format!("<{next}>; rel=\"next\""))
                .json_body(mocoapp::serde_json::json!([{"id": 1, "name": "A"}, {"id": 2.0, "name": "B"}]));
        })
        .await;
    let projects: Vec<types::Project> = client(&server).list_projects().tags(["Print", "Web"]).stream().try_collect().await.unwrap();
    let ids: Vec<(i64, &str)> = projects.iter().map(|p| (p.id, p.name.as_str())).collect();
    assert_eq!(ids, [(1, "A"), (2, "B"), (3, "C")]);
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn a_projects_only_client_sends_a_constructed_body_and_has_the_session_operations() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/projects").json_body(mocoapp::serde_json::json!({
                "currency": "EUR", "customer_id": 2, "leader_id": 1, "name": "Website", "budget": 25000
            }));
            then.status(200).json_body(mocoapp::serde_json::json!({"id": 7, "name": "Website"}));
        })
        .await;
    let session = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/session");
            then.status(200).json_body(mocoapp::serde_json::json!({"id": 933590696}));
        })
        .await;
    let client = client(&server);
    let body = types::ProjectCreate::new("Website", "EUR", 1, 2).budget(25000);
    assert_eq!(client.create_project().body(body).send().await.unwrap().id, 7);
    assert_eq!(client.verify_key().await.unwrap().id, 933590696);
    create.assert_async().await;
    session.assert_async().await;
}
