//! Load: 1,000 calls at once through one client and its impersonating clones, against the fake
//! MOCO with its rate limit on. MOCO's rule ("at most n requests in any window w") is kept, with
//! a window scaled down so the test takes seconds rather than the standard plan's 16 minutes:
//! 100 requests per 2 s on both sides.
//!
//! Every call must succeed, the fake must have received each exactly once (no loss, no
//! duplicate, no 429 answered, so none surfaced), and the wall time must be close to what the
//! limit allows: at least the 9 windows 1,000 requests need beyond the first 100, at most 1.3
//! times that.

use std::{
    collections::{BTreeSet, HashSet},
    time::{Duration, Instant},
};

use moco_fake::{FakeConfig, FakeMoco};
use mocoapp::{types, Client, Error, RateLimit};

const CALLS: usize = 1000;
const LIMIT: u32 = 100;
const WINDOW: Duration = Duration::from_secs(2);

/// What a call returned, for the checks after the run.
enum Done {
    Created(i64),
    Read,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_all_complete_within_the_rate_limit() {
    let server_limit = moco_fake::RateLimit { requests: LIMIT, window: WINDOW };
    let fake = FakeMoco::start(FakeConfig { rate_limit: Some(server_limit), ..FakeConfig::default() }).await.unwrap();
    let client = fake.client_builder().rate_limit(RateLimit::per_window(LIMIT, WINDOW)).build().unwrap();
    let ids = |collection: &str| -> Vec<i64> { fake.entities(collection).unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect() };
    let projects = ids("/projects");
    let colleagues: Vec<i64> = ids("/users").into_iter().filter(|&id| id != fake.owner_id()).take(4).collect();
    assert_eq!(colleagues.len(), 4);
    // One client and four impersonating clones, sharing one connection pool and one limiter.
    let clients: Vec<Client> = std::iter::once(client.clone()).chain(colleagues.iter().map(|&id| client.impersonate(id))).collect();

    let started = Instant::now();
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let client = clients[i % clients.len()].clone();
            let project = projects[i % projects.len()];
            tokio::spawn(async move {
                match i % 10 {
                    // A tenth are POSTs, which are never retried on a 5xx: each must go through once.
                    0 => {
                        let name = format!("load-{i}");
                        let tag =
                            client.create_tag().body_map(|b| b.name(name.clone()).context(types::TagCreateContext::Project)).send().await?;
                        assert_eq!(tag.name, name);
                        Ok::<_, Error>(Done::Created(tag.id))
                    }
                    1..=5 => {
                        assert_eq!(client.get_project(project).send().await?.id, project);
                        Ok(Done::Read)
                    }
                    6..=8 => {
                        assert!(!client.list_projects().per_page(5).send().await?.is_empty());
                        Ok(Done::Read)
                    }
                    _ => {
                        client.verify_key().await?;
                        Ok(Done::Read)
                    }
                }
            })
        })
        .collect();
    let mut created = Vec::new();
    let mut failures = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await.expect("no call panics") {
            Ok(Done::Created(id)) => created.push(id),
            Ok(Done::Read) => {}
            Err(e) => failures.push((i, e)),
        }
    }
    let elapsed = started.elapsed();

    // All complete; no 429 reached a caller.
    let rate_limited = failures.iter().filter(|(_, e)| matches!(e, Error::RateLimited { .. })).count();
    assert_eq!(rate_limited, 0, "429s surfaced to callers");
    assert!(failures.is_empty(), "{} calls failed, e.g. {:?}", failures.len(), &failures[..failures.len().min(3)]);

    // None lost, none duplicated: the fake got each call exactly once and never had to refuse one.
    let seen = fake.requests_seen();
    let refused = seen.iter().filter(|r| r.status == 429).count();
    assert_eq!(refused, 0, "the fake answered 429 to {refused} requests: the client exceeded the limit");
    assert_eq!(seen.len(), CALLS, "requests received");
    assert!(seen.iter().all(|r| (200..300).contains(&r.status)), "a request failed on the fake");
    let impersonated = seen.iter().filter(|r| r.headers.contains_key("x-impersonate-user-id")).count();
    assert_eq!(impersonated, (0..CALLS).filter(|i| i % clients.len() != 0).count(), "impersonated requests");
    let posts = seen.iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, CALLS / 10, "POSTs received");
    let unique: HashSet<i64> = created.iter().copied().collect();
    assert_eq!((created.len(), unique.len()), (CALLS / 10, CALLS / 10), "created tags and distinct ids");
    let stored: BTreeSet<String> = fake
        .entities("/tags")
        .unwrap()
        .iter()
        .filter(|t| unique.contains(&t["id"].as_i64().unwrap()))
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = (0..CALLS).step_by(10).map(|i| format!("load-{i}")).collect();
    assert_eq!(stored, expected, "every created tag is stored once, under its own name");

    // As fast as the limit allows: 1,000 requests at 100 per window need 9 windows after the
    // first burst; the client may add a little per window (it counts a place from the response).
    let minimum = WINDOW * (CALLS.div_ceil(LIMIT as usize) as u32 - 1);
    assert!(elapsed >= minimum, "{elapsed:?} is faster than the limit allows ({minimum:?})");
    assert!(elapsed <= minimum.mul_f64(1.3), "{elapsed:?} is more than 1.3 × the minimum {minimum:?}");
    println!("{CALLS} calls in {elapsed:?} (minimum {minimum:?}, {:.1} %)", 100.0 * minimum.as_secs_f64() / elapsed.as_secs_f64());
}
