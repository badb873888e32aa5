//! The README's first command, `cargo run --example quickstart`, run against the fake MOCO: the
//! main job does what it prints, and against a "real" account it writes nothing without
//! `--write`. (Its own binary: the example's `main` is compiled in, unused.)

#[path = "../examples/quickstart.rs"]
#[allow(dead_code)]
mod quickstart;

use moco_fake::{FakeConfig, FakeMoco};
use quickstart::{run, Options, Target};

fn quiet() -> Options {
    Options { progress: false, ..Options::default() }
}

async fn fake() -> FakeMoco {
    FakeMoco::start(FakeConfig { projects: 23, activities: 340, ..FakeConfig::default() }).await.unwrap()
}

fn non_get_requests(fake: &FakeMoco) -> Vec<String> {
    fake.requests_seen().into_iter().filter(|r| r.method != "GET").map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test]
async fn against_the_fake_the_job_streams_logs_reports_and_syncs_incrementally() {
    let fake = fake().await;
    let client = fake.client();
    let summary = run(&client, Target::Fake, &quiet()).await.unwrap();

    // 1. Every project, across pages (23 > the default page size is not needed: count is exact).
    // (The fake seeds archived projects on top of the 23 active ones; the list shows those.)
    let active = fake.entities("/projects").unwrap().iter().filter(|p| p["active"] == true).count();
    assert_eq!(summary.projects, active);
    assert_eq!(summary.projects, 23);

    // 2. The activity was created while impersonating: it belongs to the impersonated user, and
    //    the fake saw the X-IMPERSONATE-USER-ID header on the create.
    let user = summary.impersonated_user.expect("a user was impersonated");
    assert_ne!(user, fake.owner_id(), "impersonating the key's owner shows nothing");
    let activity = summary.logged_activity.clone().expect("the fake is written to");
    assert_eq!(activity.user.as_ref().map(|u| u.id), Some(user));
    assert_eq!(activity.seconds, Some(900));
    let create = fake.requests_seen().into_iter().find(|r| r.method == "POST" && r.path.ends_with("/activities")).expect("a POST");
    assert_eq!(create.headers.get("x-impersonate-user-id").and_then(|v| v.to_str().ok()), Some(user.to_string().as_str()));

    // 3. A report of a project the user is staffed on.
    assert!(summary.report_project.is_some());
    assert!(fake.requests_seen().iter().any(|r| r.path.ends_with("/report") && r.status == 200));

    // 4. The full pass saw every activity of the range (the seeded ones plus the new one), and the
    //    incremental pass asked with updated_after and found the activity edited in between.
    let stored = fake.entities("/activities").unwrap().len();
    assert_eq!(summary.synced, stored);
    assert_eq!(summary.synced_total, Some(stored as i64));
    let incremental = fake
        .requests_seen()
        .into_iter()
        .filter(|r| r.path.ends_with("/activities") && r.method == "GET" && r.query.contains("updated_after="))
        .count();
    assert!(incremental >= 1, "the second pass filters by updated_after");
    assert!(summary.updated_after.unwrap() < summary.sync_started.unwrap());
    assert!(summary.changed.contains(&activity.id), "the edited activity is found: {:?}", summary.changed);
    assert!(summary.changed.len() < summary.synced, "the incremental pass does not return everything");
}

#[tokio::test]
async fn against_a_real_account_nothing_is_written_without_write() {
    let fake = fake().await;
    let client = fake.client();
    let summary = run(&client, Target::Real, &Options { from: Some("2024-01-01".parse().unwrap()), ..quiet() }).await.unwrap();
    assert!(summary.logged_activity.is_none());
    assert_eq!(non_get_requests(&fake), Vec::<String>::new());
    assert_eq!(summary.synced, fake.entities("/activities").unwrap().len());
    assert!(summary.changed.is_empty(), "nothing changed between the passes: {:?}", summary.changed);
}

#[tokio::test]
async fn against_a_real_account_write_logs_and_edits_one_activity() {
    let fake = fake().await;
    let before = fake.entities("/activities").unwrap().len();
    let client = fake.client();
    let summary = run(&client, Target::Real, &Options { write: true, from: Some("2024-01-01".parse().unwrap()), ..quiet() }).await.unwrap();
    let id = summary.logged_activity.expect("--write logs an activity").id;
    assert_eq!(fake.entities("/activities").unwrap().len(), before + 1);
    assert_eq!(non_get_requests(&fake), vec!["POST /api/v1/activities".to_string(), format!("PUT /api/v1/activities/{id}")]);
}

#[tokio::test]
async fn a_wrong_key_fails_at_the_first_request_with_unauthorized() {
    let fake = fake().await;
    let client = mocoapp::Client::builder().base_url(fake.url()).api_key("not-the-key").build().unwrap();
    let err = run(&client, Target::Real, &quiet()).await.unwrap_err();
    assert!(matches!(err, mocoapp::Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(fake.requests_seen().len(), 1);
}

#[test]
fn options_parse_flags_dates_and_help() {
    let parse = |args: &[&str]| Options::parse(args.iter().map(|a| a.to_string()));
    assert_eq!(parse(&[]).unwrap(), Some(Options { progress: true, ..Options::default() }));
    let options = parse(&["--write", "--from", "2024-02-01", "--to=2024-03-31", "--verbose"]).unwrap().unwrap();
    assert!(options.write && options.verbose);
    assert_eq!(options.from, Some("2024-02-01".parse().unwrap()));
    assert_eq!(options.to, Some("2024-03-31".parse().unwrap()));
    assert_eq!(parse(&["--help"]).unwrap(), None);
    assert_eq!(parse(&["-h", "--bogus"]).unwrap(), None);
    assert!(parse(&["--from"]).unwrap_err().contains("needs a date"));
    assert!(parse(&["--from", "yesterday"]).unwrap_err().contains("not a date"));
    assert!(parse(&["--writ"]).unwrap_err().contains("unknown option --writ"));
}
