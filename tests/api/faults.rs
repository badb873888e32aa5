//! The fault matrix, against the fake's fault injection (real sockets, real waits kept short):
//! every fault, for a read (GET) and for the writes it matters for (POST and PATCH, which are
//! never repeated once the server may have processed them; PUT and DELETE, which are).
//!
//! Each test pins the exact [`Error`] variant, how many requests the fake saw (retries are
//! bounded: at most `RETRIES + 1`), the decoded value when a GET retried into success, and the
//! fake's ground truth after a write (created once, never twice).

use std::time::{Duration, Instant};

use moco_fake::{FakeConfig, FakeMoco, Faults};
use mocoapp::{types, Client, Error, RetryPolicy};
use serde_json::Value;

/// Retries after the first attempt.
const RETRIES: u32 = 3;
/// The name of every project these tests create, to count them in the fake's store.
const CREATED: &str = "Fault Matrix";

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: RETRIES,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_total_wait: Duration::from_secs(10),
        retry_server_errors: true,
    }
}

/// A fake, a retrying client, and entities to work on.
struct Case {
    fake: FakeMoco,
    client: Client,
    project: types::Project,
    leader_id: i64,
    customer_id: i64,
    activity_id: i64,
}

async fn case() -> Case {
    case_with(|builder| builder).await
}

/// A case whose client is configured further (timeout, size limit).
async fn case_with(configure: impl FnOnce(mocoapp::ClientBuilder) -> mocoapp::ClientBuilder) -> Case {
    let fake = FakeMoco::start(FakeConfig { projects: 6, activities: 6, ..FakeConfig::default() }).await.unwrap();
    let client = configure(fake.client_builder().retry(policy()).timeout(Some(Duration::from_secs(10)))).build().unwrap();
    let setup = fake.client();
    let project = setup.list_projects().per_page(1).send().await.unwrap().remove(0);
    let leader_id = setup.list_users().per_page(1).send().await.unwrap()[0].id;
    let customer_id = setup.list_companies().per_page(1).send().await.unwrap()[0].id;
    let activity_id = id(&fake.entities("/activities").unwrap()[0]);
    fake.clear_requests();
    Case { fake, client, project, leader_id, customer_id, activity_id }
}

fn id(entity: &Value) -> i64 {
    entity["id"].as_i64().unwrap()
}

impl Case {
    fn project_path(&self) -> String {
        format!("/api/v1/projects/{}", self.project.id)
    }

    async fn get(&self) -> Result<types::Project, Error> {
        self.client.get_project(self.project.id).send().await
    }

    async fn post(&self) -> Result<types::Project, Error> {
        let (leader, customer) = (self.leader_id, self.customer_id);
        self.client.create_project().body_map(|b| b.name(CREATED).currency("EUR").leader_id(leader).customer_id(customer)).send().await
    }

    async fn patch(&self) -> Result<types::Activity, Error> {
        self.client.start_activity_timer(self.activity_id).send().await
    }

    async fn put(&self) -> Result<types::Project, Error> {
        self.client.update_project(self.project.id).body_map(|b| b.name("Renamed by the matrix")).send().await
    }

    async fn delete(&self) -> Result<(), Error> {
        self.client.delete_project(self.project.id).send().await.map(|_| ())
    }

    /// The statuses the fake answered to `method path`, in order (0: reset, no answer).
    fn seen(&self, method: &str, path: &str) -> Vec<u16> {
        self.fake.requests_seen().iter().filter(|r| r.method == method && r.path == path).map(|r| r.status).collect()
    }

    fn gets(&self) -> Vec<u16> {
        self.seen("GET", &self.project_path())
    }

    fn posts(&self) -> Vec<u16> {
        self.seen("POST", "/api/v1/projects")
    }

    fn patches(&self) -> Vec<u16> {
        self.seen("PATCH", &format!("/api/v1/activities/{}/start_timer", self.activity_id))
    }

    /// How many projects the POSTs created (the ground truth).
    fn created(&self) -> usize {
        self.fake.entities("/projects").unwrap().iter().filter(|p| p["name"] == CREATED).count()
    }

    fn timer_started(&self) -> bool {
        let activities = self.fake.entities("/activities").unwrap();
        let activity = activities.iter().find(|a| id(a) == self.activity_id).unwrap();
        !activity["timer_started_at"].is_null()
    }

    fn project_exists(&self) -> bool {
        self.fake.entities("/projects").unwrap().iter().any(|p| id(p) == self.project.id)
    }
}

fn times(status: u16, n: u32) -> Vec<u16> {
    vec![status; n as usize]
}

fn all_attempts() -> u32 {
    RETRIES + 1
}

// ---------------------------------------------------------------------------------------------
// 500, 502, 503, 504

#[tokio::test]
async fn server_errors_of_a_get_are_retried_into_the_right_answer() {
    for status in [500, 502, 503, 504] {
        let case = case().await;
        case.fake.set_faults(Faults::none().server_errors(1.0, status).max_faults(2));
        assert_eq!(case.get().await.unwrap(), case.project, "{status}");
        assert_eq!(case.gets(), [status, status, 200]);
    }
}

#[tokio::test]
async fn server_errors_of_a_get_give_up_after_the_bounded_retries() {
    for status in [500, 502, 503, 504] {
        let case = case().await;
        case.fake.set_faults(Faults::none().server_errors(1.0, status));
        match case.get().await {
            Err(Error::Http { status: got, message, .. }) => {
                assert_eq!(got.as_u16(), status);
                assert!(message.unwrap().contains("injected"));
            }
            other => panic!("{status}: expected Error::Http, got {other:?}"),
        }
        assert_eq!(case.gets(), times(status, all_attempts()), "{status}");
    }
}

#[tokio::test]
async fn server_errors_of_a_post_or_patch_are_not_retried() {
    for status in [500, 502, 503, 504] {
        let case = case().await;
        case.fake.set_faults(Faults::none().server_errors(1.0, status));
        assert!(matches!(case.post().await, Err(Error::Http { status: s, .. }) if s.as_u16() == status));
        assert!(matches!(case.patch().await, Err(Error::Http { status: s, .. }) if s.as_u16() == status));
        assert_eq!(case.posts(), [status], "a POST that may have been processed is sent once");
        assert_eq!(case.patches(), [status]);
    }
}

#[tokio::test]
async fn server_errors_of_put_and_delete_are_retried() {
    let case = case().await;
    case.fake.set_faults(Faults::none().server_errors(1.0, 503).max_faults(1));
    assert_eq!(case.put().await.unwrap().name, "Renamed by the matrix");
    assert_eq!(case.seen("PUT", &case.project_path()), [503, 200]);
    case.fake.set_faults(Faults::none().server_errors(1.0, 502).max_faults(1));
    case.delete().await.unwrap();
    assert_eq!(case.seen("DELETE", &case.project_path()), [502, 204]);
    assert!(!case.project_exists());
}

// ---------------------------------------------------------------------------------------------
// 429 storms

#[tokio::test]
async fn a_429_storm_gives_up_after_the_bounded_retries_for_every_method() {
    let case = case().await;
    case.fake.set_faults(Faults::none().rate_limited(1.0, Duration::ZERO));
    match case.get().await {
        Err(Error::RateLimited { retry_after, attempts }) => {
            assert_eq!(attempts, all_attempts());
            assert_eq!(retry_after, Some(Duration::ZERO));
        }
        other => panic!("expected Error::RateLimited, got {other:?}"),
    }
    assert!(matches!(case.post().await, Err(Error::RateLimited { attempts, .. }) if attempts == all_attempts()));
    assert!(matches!(case.patch().await, Err(Error::RateLimited { attempts, .. }) if attempts == all_attempts()));
    assert_eq!(case.gets(), times(429, all_attempts()));
    assert_eq!(case.posts(), times(429, all_attempts()));
    assert_eq!(case.patches(), times(429, all_attempts()));
    assert_eq!(case.created(), 0);
    assert!(!case.timer_started());
}

#[tokio::test]
async fn after_a_429_storm_every_method_goes_through_exactly_once() {
    // A 429 means MOCO did not process the request: repeating a POST is safe, and needed.
    let case = case().await;
    case.fake.set_faults(Faults::none().rate_limited(1.0, Duration::ZERO).max_faults(RETRIES.into()));
    assert_eq!(case.post().await.unwrap().name, CREATED);
    assert_eq!(case.posts(), [429, 429, 429, 200]);
    assert_eq!(case.created(), 1);

    case.fake.set_faults(Faults::none().rate_limited(1.0, Duration::ZERO).max_faults(2));
    assert!(case.patch().await.unwrap().timer_started_at.is_some());
    assert_eq!(case.patches(), [429, 429, 200]);

    case.fake.set_faults(Faults::none().rate_limited(1.0, Duration::ZERO).max_faults(2));
    assert_eq!(case.get().await.unwrap(), case.project);
    assert_eq!(case.gets(), [429, 429, 200]);
}

#[tokio::test]
async fn a_429s_retry_after_is_waited_for() {
    let case = case().await;
    case.fake.set_faults(Faults::none().rate_limited(1.0, Duration::from_secs(1)).max_faults(1));
    let started = Instant::now();
    assert_eq!(case.get().await.unwrap(), case.project);
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(case.gets(), [429, 200]);
}

#[tokio::test]
async fn a_429_storm_on_concurrent_pages_is_absorbed_page_by_page() {
    // Half of the requests of a stream of 6 pages, fetched 4 at a time, answered 429 (at most 8
    // of them): each page retries its own, within its bound, and every project comes once.
    let case = case_with(|builder| builder.retry(RetryPolicy { max_retries: 10, ..policy() })).await;
    let expected: Vec<i64> = case.fake.entities("/projects").unwrap().iter().map(id).collect();
    case.fake.set_faults(Faults::none().rate_limited(0.5, Duration::ZERO).max_faults(8).seed(7));
    let ids: Vec<i64> =
        case.client.list_projects().include_archived(true).per_page(1).collect_all().await.unwrap().iter().map(|p| p.id).collect();
    assert_eq!(ids, expected);
    let statuses = case.seen("GET", "/api/v1/projects");
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert!((1..=8).contains(&limited), "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), expected.len(), "each page once");
}

// ---------------------------------------------------------------------------------------------
// Connection resets: before the request is processed, after it, and no connection at all

#[tokio::test]
async fn a_reset_before_processing_is_retried_for_a_get() {
    let case = case().await;
    case.fake.set_faults(Faults::none().connection_resets(1.0).max_faults(2));
    assert_eq!(case.get().await.unwrap(), case.project);
    assert_eq!(case.gets(), [0, 0, 200]);

    case.fake.set_faults(Faults::none().connection_resets(1.0));
    assert!(matches!(case.get().await, Err(Error::Transport(_))));
    assert_eq!(case.gets()[3..], times(0, all_attempts()));
}

#[tokio::test]
async fn a_reset_is_not_retried_for_a_post_or_patch() {
    // The client cannot tell whether MOCO processed the request: it must not send it again.
    let case = case().await;
    case.fake.set_faults(Faults::none().connection_resets(1.0));
    assert!(matches!(case.post().await, Err(Error::Transport(_))));
    assert!(matches!(case.patch().await, Err(Error::Transport(_))));
    assert_eq!(case.posts(), [0]);
    assert_eq!(case.patches(), [0]);
    assert_eq!(case.created(), 0, "this fault drops the request unprocessed");
}

#[tokio::test]
async fn a_reset_after_processing_never_duplicates_a_post_or_patch() {
    let case = case().await;
    case.fake.set_faults(Faults::none().resets_after_processing(1.0));
    assert!(matches!(case.post().await, Err(Error::Transport(_))));
    assert!(matches!(case.patch().await, Err(Error::Transport(_))));
    assert_eq!(case.posts(), [0]);
    assert_eq!(case.patches(), [0]);
    assert_eq!(case.created(), 1, "the POST took effect once, and only once");
    assert!(case.timer_started(), "the PATCH took effect");
}

#[tokio::test]
async fn a_reset_after_processing_is_retried_for_get_put_and_delete() {
    let case = case().await;
    case.fake.set_faults(Faults::none().resets_after_processing(1.0).max_faults(1));
    assert_eq!(case.get().await.unwrap(), case.project);
    assert_eq!(case.gets(), [0, 200]);

    case.fake.set_faults(Faults::none().resets_after_processing(1.0).max_faults(1));
    assert_eq!(case.put().await.unwrap().name, "Renamed by the matrix");
    assert_eq!(case.seen("PUT", &case.project_path()), [0, 200]);

    // A DELETE is idempotent, so it is repeated; the first attempt did delete, so the second
    // finds nothing: NotFound, and the project is gone.
    case.fake.set_faults(Faults::none().resets_after_processing(1.0).max_faults(1));
    assert!(matches!(case.delete().await, Err(Error::NotFound { .. })));
    assert_eq!(case.seen("DELETE", &case.project_path()), [0, 404]);
    assert!(!case.project_exists());
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_method_since_nothing_was_sent() {
    // Nothing listens on this port (bound, then closed). The backoff's sum is the proof that
    // the retries happened: 100 + 200 + 400 ms at least (jitter adds up to as much again).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/v1"))
        .api_key("fake-api-key")
        .rate_limit(mocoapp::RateLimit::off())
        .retry(RetryPolicy { initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(400), ..policy() })
        .build()
        .unwrap();
    let started = Instant::now();
    match client.create_project().body_map(|b| b.name(CREATED).currency("EUR").leader_id(1).customer_id(2)).send().await {
        Err(Error::Transport(e)) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected a connection error, got {other:?}"),
    }
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(700) && waited < Duration::from_millis(3000), "{waited:?}");
    let started = Instant::now();
    assert!(matches!(client.get_project(1).send().await, Err(Error::Transport(e)) if e.is_connect()));
    assert!(started.elapsed() >= Duration::from_millis(700));
}

// ---------------------------------------------------------------------------------------------
// Timeouts

async fn with_timeout(timeout: Duration) -> Case {
    case_with(|builder| builder.timeout(Some(timeout))).await
}

#[tokio::test]
async fn a_stalled_get_times_out_and_is_retried_into_the_right_answer() {
    let case = with_timeout(Duration::from_millis(300)).await;
    case.fake.set_faults(Faults::none().stalls(1.0, Duration::from_secs(2)).max_faults(1));
    let started = Instant::now();
    assert_eq!(case.get().await.unwrap(), case.project);
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(2), "{took:?}");
    assert_eq!(case.gets(), [200, 200]);
}

#[tokio::test]
async fn a_get_that_always_stalls_gives_up_with_a_timeout_after_the_bounded_retries() {
    let case = with_timeout(Duration::from_millis(200)).await;
    case.fake.set_faults(Faults::none().stalls(1.0, Duration::from_secs(2)));
    match case.get().await {
        Err(Error::Transport(e)) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(case.gets(), times(200, all_attempts()), "the fake answered each attempt, too late");
}

#[tokio::test]
async fn a_post_or_patch_that_times_out_is_not_repeated() {
    let case = with_timeout(Duration::from_millis(200)).await;
    case.fake.set_faults(Faults::none().stalls(1.0, Duration::from_secs(2)));
    assert!(matches!(case.post().await, Err(Error::Transport(e)) if e.is_timeout()));
    assert!(matches!(case.patch().await, Err(Error::Transport(e)) if e.is_timeout()));
    assert_eq!(case.posts(), [200]);
    assert_eq!(case.patches(), [200]);
    assert_eq!(case.created(), 1, "processed once, not repeated");
    assert!(case.timer_started());
}

#[tokio::test]
async fn without_a_timeout_a_stalled_answer_is_waited_for() {
    let case = case_with(|builder| builder.timeout(None)).await;
    case.fake.set_faults(Faults::none().stalls(1.0, Duration::from_millis(400)));
    let started = Instant::now();
    assert_eq!(case.get().await.unwrap(), case.project);
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(case.gets(), [200]);
}

// ---------------------------------------------------------------------------------------------
// Bodies: malformed, truncated, HTML with 200, oversized, slow

#[tokio::test]
async fn malformed_json_is_a_decode_error_and_not_retried() {
    // A whole answer that does not decode would decode no better the second time.
    let case = case().await;
    case.fake.set_faults(Faults::none().malformed_json(1.0));
    match case.get().await {
        Err(Error::Decode { operation, status, excerpt, .. }) => {
            assert_eq!(operation, "get_project");
            assert_eq!(status.as_u16(), 200);
            assert!(excerpt.starts_with("{\"id\": 1"), "{excerpt}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(matches!(case.post().await, Err(Error::Decode { operation: "create_project", status, .. }) if status.as_u16() == 200));
    assert!(matches!(case.patch().await, Err(Error::Decode { .. })));
    assert_eq!(case.gets(), [200]);
    assert_eq!(case.posts(), [200]);
    assert_eq!(case.patches(), [200]);
    assert_eq!(case.created(), 1);
}

#[tokio::test]
async fn a_truncated_body_of_a_get_is_retried_into_the_right_answer() {
    let case = case().await;
    case.fake.set_faults(Faults::none().truncated_body(1.0).max_faults(2));
    assert_eq!(case.get().await.unwrap(), case.project);
    assert_eq!(case.gets(), [200, 200, 200]);

    case.fake.set_faults(Faults::none().truncated_body(1.0));
    assert!(matches!(case.get().await, Err(Error::Transport(_))));
    assert_eq!(case.gets().len(), 3 + all_attempts() as usize);
}

#[tokio::test]
async fn a_truncated_body_of_a_post_or_patch_is_not_retried() {
    let case = case().await;
    case.fake.set_faults(Faults::none().truncated_body(1.0));
    assert!(matches!(case.post().await, Err(Error::Transport(_))));
    assert!(matches!(case.patch().await, Err(Error::Transport(_))));
    assert_eq!(case.posts(), [200]);
    assert_eq!(case.patches(), [200]);
    assert_eq!(case.created(), 1);
}

#[tokio::test]
async fn an_html_page_with_status_200_is_a_decode_error_and_not_retried() {
    let case = case().await;
    case.fake.set_faults(Faults::none().html_error_page(1.0));
    match case.get().await {
        Err(Error::Decode { status, excerpt, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert!(excerpt.contains("<html>") && excerpt.contains("Bad Gateway"), "{excerpt}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(matches!(case.post().await, Err(Error::Decode { .. })));
    assert!(matches!(case.patch().await, Err(Error::Decode { .. })));
    assert_eq!(case.gets(), [200]);
    assert_eq!(case.posts(), [200]);
    assert_eq!(case.patches(), [200]);
    assert_eq!(case.created(), 0);
}

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn an_oversized_body_stops_at_the_limit_and_is_not_retried() {
    let case = case_with(|builder| builder.max_response_size(Some(MIB))).await;
    case.fake.set_faults(Faults::none().oversized_body(1.0, 8 * MIB));
    assert!(matches!(case.get().await, Err(Error::ResponseTooLarge { limit }) if limit == MIB));
    assert!(matches!(case.post().await, Err(Error::ResponseTooLarge { limit }) if limit == MIB));
    assert!(matches!(case.patch().await, Err(Error::ResponseTooLarge { .. })));
    assert_eq!(case.gets(), [200]);
    assert_eq!(case.posts(), [200]);
    assert_eq!(case.patches(), [200]);
    assert_eq!(case.created(), 1);
    // Below the limit the same padded answer decodes to the right value.
    let roomy = case.fake.client_builder().max_response_size(Some(16 * MIB)).build().unwrap();
    assert_eq!(roomy.get_project(case.project.id).send().await.unwrap(), case.project);
}

#[tokio::test]
async fn the_default_limit_is_64_mib_and_none_lifts_it() {
    let case = case().await;
    case.fake.set_faults(Faults::none().oversized_body(1.0, 65 * MIB));
    assert!(matches!(case.get().await, Err(Error::ResponseTooLarge { limit }) if limit == 64 * MIB));
    let unlimited = case.fake.client_builder().max_response_size(None).build().unwrap();
    assert_eq!(unlimited.get_project(case.project.id).send().await.unwrap(), case.project);
}

#[tokio::test]
async fn an_announced_content_length_beyond_the_limit_is_refused_before_reading() {
    use httpmock::prelude::*;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v1/projects/1");
            then.status(200).header("content-type", "application/json").body(" ".repeat(2 * MIB));
        })
        .await;
    let client = crate::support::builder(&server).max_response_size(Some(MIB)).build().unwrap();
    assert!(matches!(client.get_project(1).send().await, Err(Error::ResponseTooLarge { limit }) if limit == MIB));
}

#[tokio::test]
async fn a_download_beyond_the_limit_is_cut_off_too() {
    let fake = FakeMoco::start(FakeConfig::default()).await.unwrap();
    let invoice = id(&fake.entities("/invoices").unwrap()[0]);
    let pdf = fake.client().download_invoice_pdf(invoice).send().await.unwrap();
    let small = fake.client_builder().max_response_size(Some(pdf.len() - 1)).build().unwrap();
    assert!(matches!(small.download_invoice_pdf(invoice).send().await, Err(Error::ResponseTooLarge { .. })));
    let exact = fake.client_builder().max_response_size(Some(pdf.len())).build().unwrap();
    assert_eq!(exact.download_invoice_pdf(invoice).send().await.unwrap(), pdf);
}

#[tokio::test]
async fn a_slow_body_within_the_timeout_gives_the_right_answer() {
    let case = case().await;
    case.fake.set_faults(Faults::none().slow_body(512, Duration::from_millis(5)));
    assert_eq!(case.get().await.unwrap(), case.project);
    assert_eq!(case.post().await.unwrap().name, CREATED);
    assert_eq!(case.gets(), [200]);
    assert_eq!(case.created(), 1);
}

#[tokio::test]
async fn a_slow_body_beyond_the_timeout_is_retried_for_a_get_only() {
    let case = with_timeout(Duration::from_millis(150)).await;
    case.fake.set_faults(Faults::none().slow_body(16, Duration::from_millis(20)));
    assert!(matches!(case.get().await, Err(Error::Transport(e)) if e.is_timeout()));
    assert_eq!(case.gets(), times(200, all_attempts()));
    assert!(matches!(case.post().await, Err(Error::Transport(e)) if e.is_timeout()));
    assert_eq!(case.posts(), [200]);
    assert_eq!(case.created(), 1);
}
