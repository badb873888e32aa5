//! The three workloads run against each server rate rule (`RateRule`), shared by
//! `examples/bench_rules.rs` (figures) and `tests/rate_rules.rs` (bounds): a burst of GETs at
//! once, a long sync through `.stream()`, and many concurrent creates through one client. Each
//! checks that nothing was lost or duplicated and counts the 429s the fake answered.

use std::time::Instant;

use futures::StreamExt;
use moco_fake::FakeMoco;

/// What a workload did.
#[derive(Debug)]
pub struct Outcome {
    /// Calls (or, for the sync, pages the list has).
    pub calls: usize,
    /// Calls that succeeded.
    pub succeeded: usize,
    /// Requests the fake received, 429s included.
    pub requests: usize,
    /// 429s the fake answered.
    pub refused: usize,
    pub wall_s: f64,
    /// What was lost or duplicated, if anything.
    pub problems: Vec<String>,
}

fn finish(fake: &FakeMoco, calls: usize, succeeded: usize, started: Instant, problems: Vec<String>) -> Outcome {
    let seen = fake.requests_seen();
    Outcome {
        calls,
        succeeded,
        requests: seen.len(),
        refused: seen.iter().filter(|r| r.status == 429).count(),
        wall_s: started.elapsed().as_secs_f64(),
        problems,
    }
}

/// `calls` GET /projects/{id} at once; each answer must be the project asked for.
pub async fn burst(fake: &FakeMoco, client: &mocoapp::Client, calls: usize) -> Outcome {
    let ids: Vec<i64> = fake.entities("/projects").unwrap_or_default().iter().filter_map(|p| p["id"].as_i64()).collect();
    fake.clear_requests();
    let started = Instant::now();
    let results = futures::future::join_all((0..calls).map(|i| {
        let id = ids[i % ids.len()];
        async move { (id, client.get_project(id).send().await) }
    }))
    .await;
    let mut problems = Vec::new();
    let (mut succeeded, mut failed, mut first_failure) = (0, 0, None);
    for (id, result) in results {
        match result {
            Ok(project) if project.id == id => succeeded += 1,
            Ok(project) => problems.push(format!("asked for project {id}, got {}", project.id)),
            Err(e) => {
                failed += 1;
                first_failure.get_or_insert(format!("project {id}: {e}"));
            }
        }
    }
    if let Some(first) = first_failure {
        problems.push(format!("{failed} calls failed, e.g. {first}"));
    }
    finish(fake, calls, succeeded, started, problems)
}

/// Every activity through `.stream()` with `per_page`; each must come exactly once.
pub async fn sync(fake: &FakeMoco, client: &mocoapp::Client, per_page: i64) -> Outcome {
    let mut expected: Vec<i64> = fake.entities("/activities").unwrap_or_default().iter().filter_map(|a| a["id"].as_i64()).collect();
    expected.sort_unstable();
    let pages = expected.len().div_ceil(per_page as usize);
    fake.clear_requests();
    let started = Instant::now();
    let mut stream = client.list_activities().per_page(per_page).stream();
    let (mut got, mut problems) = (Vec::new(), Vec::new());
    while let Some(item) = stream.next().await {
        match item {
            Ok(activity) => got.push(activity.id),
            Err(e) => {
                problems.push(format!("the stream failed: {e}"));
                break;
            }
        }
    }
    let yielded = got.len();
    got.sort_unstable();
    got.dedup();
    if got.len() != yielded {
        problems.push(format!("{} activities yielded twice", yielded - got.len()));
    }
    if got != expected {
        problems.push(format!("{} activities yielded, {} exist", got.len(), expected.len()));
    }
    let succeeded = fake.requests_seen().iter().filter(|r| r.path.ends_with("/activities") && r.status == 200).count();
    finish(fake, pages, succeeded, started, problems)
}

/// `calls` POST /deal_categories at once, each with its own name; each must exist exactly once
/// afterwards (a 429 is retried, and a refused request must not have been carried out).
pub async fn creates(fake: &FakeMoco, client: &mocoapp::Client, calls: usize, tag: &str) -> Outcome {
    fake.clear_requests();
    let started = Instant::now();
    let results = futures::future::join_all((0..calls).map(|i| async move {
        let name = format!("{tag} {i}");
        client.create_deal_category().body_map(|b| b.name(name.clone()).probability(50)).send().await.map(|c| c.name == name)
    }))
    .await;
    let mut problems = Vec::new();
    let succeeded = results.iter().filter(|r| matches!(r, Ok(true))).count();
    if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
        problems.push(format!("{} creates failed, e.g. {e}", results.iter().filter(|r| r.is_err()).count()));
    }
    let names: Vec<String> = fake
        .entities("/deal_categories")
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["name"].as_str().filter(|n| n.starts_with(&format!("{tag} "))).map(str::to_string))
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != names.len() {
        problems.push(format!("{} deal categories created twice", names.len() - unique.len()));
    }
    if unique.len() != calls {
        problems.push(format!("{} of {calls} deal categories exist", unique.len()));
    }
    finish(fake, calls, succeeded, started, problems)
}
