//! The client's main job in four timed steps: stream all projects, impersonate a user and log an
//! activity, print one project's report, and an incremental sync of activities (a full pass, then
//! only what changed since it started), with a progress bar on the sync.
//!
//! ```sh
//! cargo run --example quickstart                   # no MOCO_API_KEY: against a built-in fake MOCO
//! MOCO_ACCOUNT=yourcompany MOCO_API_KEY=... cargo run --example quickstart             # read-only
//! MOCO_ACCOUNT=yourcompany MOCO_API_KEY=... cargo run --example quickstart -- --write  # logs 15 min
//! cargo run --example quickstart -- --help
//! ```
//! `MOCO_BASE_URL` (e.g. `http://127.0.0.1:8080/api/v1`, see `cargo run -p moco-fake -- --help`)
//! points it at another server instead of `MOCO_ACCOUNT`'s.
//!
//! Without `MOCO_API_KEY` it starts `moco_fake::FakeMoco` in this process (a seeded dataset on
//! loopback) and writes freely. Against a real account it only reads unless `--write` is given:
//! then it logs a 15-minute activity for the impersonated user (and edits its description once, so
//! the second sync pass has a change to find). The activity is left in place; its id is printed.

use std::{
    process::ExitCode,
    time::{Duration, Instant},
};

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mocoapp::{types, Client, Error};

const USAGE: &str = "\
usage: cargo run --example quickstart [-- OPTIONS]

Runs the client's main job: stream all projects, impersonate a user and log an activity,
print one project's report, then an incremental sync of activities (updated_after).

Where it runs:
  MOCO_API_KEY unset      against a built-in fake MOCO started in this process (seeded data)
  MOCO_API_KEY and        against your account (MOCO_ACCOUNT=yourcompany for
  MOCO_ACCOUNT set        https://yourcompany.mocoapp.com, or MOCO_BASE_URL=http://host:port/api/v1)

Options:
  --write                 against a real account, log (and edit) a 15-minute activity for the
                          impersonated user; without it nothing is written (the fake is always
                          written to)
  --from YYYY-MM-DD       first day of the activity sync (default: 90 days ago; the fake: 2024-01-01)
  --to YYYY-MM-DD         last day of the activity sync (default: today)
  --verbose               log every request (tracing spans)
  -h, --help              this text";

/// What the command line asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Write to a real account (the fake is always written to).
    pub write: bool,
    /// First day of the activity sync.
    pub from: Option<NaiveDate>,
    /// Last day of the activity sync.
    pub to: Option<NaiveDate>,
    /// Log every request.
    pub verbose: bool,
    /// Draw the progress bar (on stderr, when it is a terminal).
    pub progress: bool,
}

impl Options {
    /// Reads the arguments after the program's name. `Ok(None)` for `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
        let mut options = Options { progress: true, ..Options::default() };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
                _ => (arg.clone(), None),
            };
            match flag.as_str() {
                "-h" | "--help" => return Ok(None),
                "--write" => options.write = true,
                "--verbose" => options.verbose = true,
                "--from" | "--to" => {
                    let value = inline.or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a date (YYYY-MM-DD)"))?;
                    let date =
                        NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| format!("{flag} {value}: not a date (YYYY-MM-DD)"))?;
                    if flag == "--from" {
                        options.from = Some(date)
                    } else {
                        options.to = Some(date)
                    }
                }
                _ => return Err(format!("unknown option {arg}")),
            }
        }
        Ok(Some(options))
    }
}

/// Whom the job talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The in-process fake: writes are fine, the dataset's activities are in 2024.
    Fake,
    /// A real account: writes only with `--write`.
    Real,
}

/// What the job did, for the closing summary and for tests.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Projects streamed in step 1.
    pub projects: usize,
    /// The user impersonated in step 2.
    pub impersonated_user: Option<i64>,
    /// The activity logged in step 2 (and edited between the sync passes), if writes were allowed.
    pub logged_activity: Option<types::Activity>,
    /// The project whose report step 3 printed.
    pub report_project: Option<i64>,
    /// Activities seen by the full sync pass.
    pub synced: usize,
    /// `X-Total` of the full pass's first page.
    pub synced_total: Option<i64>,
    /// When the full pass started, and the `updated_after` the second pass used.
    pub sync_started: Option<DateTime<Utc>>,
    pub updated_after: Option<DateTime<Utc>>,
    /// The ids the second (incremental) pass found.
    pub changed: Vec<i64>,
}

#[allow(dead_code)] // tests/quickstart.rs includes this file for `run`
#[tokio::main]
async fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("quickstart: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if options.verbose {
        tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).with_target(false).with_writer(std::io::stderr).init();
    }

    let key_set = std::env::var("MOCO_API_KEY").is_ok_and(|key| !key.trim().is_empty());
    // Kept alive until the job is done: dropping it stops the server.
    let mut _fake = None;
    let (client, target) = if key_set {
        match Client::from_env() {
            Ok(client) => {
                let mode = if options.write { "WRITES enabled (--write)" } else { "read-only (--write to log an activity)" };
                println!("Running against {} (MOCO_API_KEY is set), {mode}.", client.base_url());
                (client, Target::Real)
            }
            Err(Error::Config(problem)) => {
                eprintln!("quickstart: MOCO_API_KEY is set, but {problem}.");
                eprintln!();
                eprintln!("  export MOCO_ACCOUNT=yourcompany      # from https://yourcompany.mocoapp.com");
                eprintln!("  (or MOCO_BASE_URL=http://host:port/api/v1 for another server;");
                eprintln!("   unset MOCO_API_KEY to run against the built-in fake MOCO)");
                return ExitCode::from(2);
            }
            Err(e) => {
                eprintln!("quickstart: cannot set up the client: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let config = moco_fake::FakeConfig::default();
        let sizes = format!("{} users, {} projects, {} activities", config.users, config.projects, config.activities);
        let fake = match moco_fake::FakeMoco::start(config).await {
            Ok(fake) => fake,
            Err(e) => {
                eprintln!("quickstart: cannot start the built-in fake MOCO: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("No MOCO_API_KEY set: running against a built-in fake MOCO at {} (seeded: {sizes}).", fake.url());
        println!("Set MOCO_API_KEY and MOCO_ACCOUNT to run against your account (read-only without --write).");
        let client = fake.client();
        _fake = Some(fake);
        (client, Target::Fake)
    };

    let started = Instant::now();
    match run(&client, target, &options).await {
        Ok(summary) => {
            println!();
            println!(
                "Done in {}: {} projects, {} activities synced, {} changed since the full pass.",
                took(started.elapsed()),
                summary.projects,
                summary.synced,
                summary.changed.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("quickstart: {e}");
            if matches!(e, Error::Unauthorized { .. }) {
                eprintln!("(check MOCO_API_KEY: profile page → Integrations, or an account key)");
            }
            ExitCode::FAILURE
        }
    }
}

/// The main job. Prints what it does and how long each step took, and returns the figures.
pub async fn run(client: &Client, target: Target, options: &Options) -> Result<Summary, Error> {
    let writes = target == Target::Fake || options.write;
    let mut summary = Summary::default();

    let me = client.verify_key().await?;
    println!("API key OK: it belongs to user {}.", me.id);

    // 1. Every project, across all pages.
    let step = Instant::now();
    println!("\n[1/4] Streaming all projects (list_projects().stream())");
    let projects: Vec<types::Project> = client.list_projects().stream().try_collect().await?;
    summary.projects = projects.len();
    for project in projects.iter().take(5) {
        let customer = project.customer.as_ref().and_then(|c| c.name.as_deref()).unwrap_or("-");
        println!(
            "      {:<10} {:<38} {}",
            project.identifier.as_deref().unwrap_or("-"),
            truncate(&project.name, 38),
            truncate(customer, 30)
        );
    }
    if projects.len() > 5 {
        println!("      … and {} more", projects.len() - 5);
    }
    println!("      {} project(s) in {}", projects.len(), took(step.elapsed()));

    // 2. Impersonate a colleague and log an activity for them.
    let step = Instant::now();
    println!("\n[2/4] Impersonating a user and logging an activity");
    let users: Vec<types::User> = client.list_users().stream().try_collect().await?;
    // The first active user other than the key's owner (impersonating yourself shows nothing).
    let user =
        users.iter().filter(|u| u.active != Some(false)).find(|u| u.id != me.id).or_else(|| users.iter().find(|u| u.active != Some(false)));
    let mut report_project = projects.first().map(|p| (p.id, p.name.clone()));
    match user {
        None => println!("      skipped: the account has no active user"),
        Some(user) => {
            summary.impersonated_user = Some(user.id);
            let name = format!("{} {}", user.firstname.as_deref().unwrap_or(""), user.lastname.as_deref().unwrap_or(""));
            println!("      user {} ({}), the first active user besides the key's owner", user.id, name.trim());
            match pick_task(&projects, user.id) {
                None => println!("      skipped: the user is on no project with an active task"),
                Some((project, task)) => {
                    report_project = Some((project.id, project.name.clone()));
                    let task_name = task.name.as_deref().unwrap_or("-");
                    if writes {
                        let colleague = client.impersonate(user.id);
                        let activity = colleague
                            .create_activity()
                            .body_map(|b| {
                                b.date(Utc::now().date_naive())
                                    .project_id(project.id)
                                    .task_id(task.id)
                                    .seconds(900)
                                    .description("Logged by the mocoapp quickstart")
                            })
                            .send()
                            .await?;
                        let owner = activity.user.as_ref().map(|u| u.id.to_string()).unwrap_or_else(|| "?".into());
                        println!(
                            "      logged activity {}: {} on {} / {}, {:?} h, owned by user {owner}",
                            activity.id,
                            activity.date.map(|d| d.to_string()).unwrap_or_default(),
                            project.name,
                            task_name,
                            activity.hours.unwrap_or_default()
                        );
                        summary.logged_activity = Some(activity);
                    } else {
                        println!(
                            "      skipped logging 15 min on {} / {}: read-only against a real account (pass --write)",
                            project.name, task_name
                        );
                    }
                }
            }
        }
    }
    println!("      in {}", took(step.elapsed()));

    // 3. One project's report.
    let step = Instant::now();
    println!("\n[3/4] Report of one project (get_project_report)");
    if let Some((id, name)) = report_project {
        summary.report_project = Some(id);
        let report = client.get_project_report(id).send().await?;
        let currency = report.currency.clone().unwrap_or_default();
        let num = |v: Option<mocoapp::Decimal>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
        println!("      {name} (project {id})");
        if target == Target::Fake {
            println!("      (the fake MOCO answers reports with the spec's example figures)");
        }
        println!(
            "      budget  {} {currency} ({}% used, {} remaining)",
            num(report.budget_total),
            num(report.budget_progress_in_percentage),
            num(report.budget_remaining)
        );
        println!(
            "      hours   {} total, {} billable, {} remaining",
            num(report.hours_total),
            num(report.hours_billable),
            num(report.hours_remaining)
        );
        println!("      costs   {} activities, {} expenses", num(report.costs_activities), num(report.costs_expenses));
    } else {
        println!("      skipped: no project");
    }
    println!("      in {}", took(step.elapsed()));

    // 4. Incremental sync of activities: a full pass, then only what changed since it started.
    let today = Utc::now().date_naive();
    let default_from = match target {
        Target::Fake => NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(today),
        Target::Real => today - chrono::Duration::days(90),
    };
    let (from, to) = (options.from.unwrap_or(default_from), options.to.unwrap_or(today));
    println!("\n[4/4] Incremental sync of activities from {from} to {to}");
    let step = Instant::now();
    let started = Utc::now();
    summary.sync_started = Some(started);
    let full = client.list_activities().from(from).to(to);
    let (synced, total) = sync_pass(full.pages(), options.progress).await?;
    summary.synced = synced;
    summary.synced_total = total;
    println!("      full pass: {synced} activities (X-Total {}) in {}", total.map_or("-".into(), |t| t.to_string()), took(step.elapsed()));

    if let Some(activity) = &summary.logged_activity {
        let edited = client
            .impersonate(summary.impersonated_user.unwrap_or(me.id))
            .update_activity(activity.id)
            .body_map(|b| b.description("Logged by the mocoapp quickstart (edited)"))
            .send()
            .await?;
        println!("      edited activity {} meanwhile, so the next pass has a change to find", edited.id);
    }

    // MOCO's timestamps have whole seconds: a change in the second the full pass started reads as
    // that second, before `started`. Ask from one whole second earlier; seeing an item twice is
    // harmless to a sync that upserts by id.
    let updated_after = started.trunc_subsecs(0) - chrono::Duration::seconds(1);
    summary.updated_after = Some(updated_after);
    let step = Instant::now();
    let changed: Vec<types::Activity> =
        client.list_activities().from(from).to(to).updated_after(updated_after).stream().try_collect().await?;
    summary.changed = changed.iter().map(|a| a.id).collect();
    println!(
        "      incremental pass (updated_after {}): {} changed{} in {}",
        updated_after.format("%Y-%m-%dT%H:%M:%SZ"),
        changed.len(),
        if changed.is_empty() {
            String::new()
        } else {
            format!(" ({})", changed.iter().take(10).map(|a| format!("#{}", a.id)).collect::<Vec<_>>().join(", "))
        },
        took(step.elapsed())
    );
    Ok(summary)
}

/// Drains a stream of pages, counting items, with a progress bar sized by the first page's
/// `X-Total`. Returns the count and that total.
async fn sync_pass(
    mut pages: futures::stream::BoxStream<'_, Result<mocoapp::Page<types::Activity>, Error>>,
    progress: bool,
) -> Result<(usize, Option<i64>), Error> {
    let mut bar: Option<ProgressBar> = None;
    let (mut count, mut total) = (0, None);
    while let Some(page) = pages.try_next().await? {
        let bar = bar.get_or_insert_with(|| {
            total = page.total;
            let bar = ProgressBar::with_draw_target(
                page.total.map(|t| t.max(0) as u64),
                if progress { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
            );
            if let Ok(style) = ProgressStyle::with_template("      {bar:40} {pos}/{len} activities ({per_sec}, {elapsed})") {
                bar.set_style(style);
            }
            bar
        });
        count += page.items.len();
        bar.inc(page.items.len() as u64);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok((count, total))
}

/// The first project with `user_id` on its staff (MOCO only takes activities from staffed users)
/// and one of its active tasks.
fn pick_task(projects: &[types::Project], user_id: i64) -> Option<(&types::Project, &types::ProjectTaskSummary)> {
    let staffed = |p: &types::Project| {
        p.contracts.as_ref().is_some_and(|cs| cs.iter().any(|c| c.user_id == Some(user_id) && c.active != Some(false)))
    };
    projects.iter().filter(|p| staffed(p)).find_map(|p| Some((p, p.tasks.as_ref()?.iter().find(|t| t.active != Some(false))?)))
}

fn took(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{:.1} ms", elapsed.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}
