//! Lists the account's projects and prints the report of one of them.
//!
//! ```sh
//! MOCO_ACCOUNT=yourcompany MOCO_API_KEY=... cargo run --example quickstart
//! cargo run --example quickstart -- --verbose     # also log every request (tracing spans)
//! ```
//! `MOCO_BASE_URL` points it at another server instead (e.g. a local stand-in).

use std::process::ExitCode;

use futures::TryStreamExt;
use mocoapp::{Client, Error};

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--verbose") {
        tracing_subscriber::fmt().with_max_level(tracing::Level::DEBUG).with_target(false).init();
    }
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(Error::Config(problem)) => {
            eprintln!("quickstart needs a MOCO account to talk to: {problem}.");
            eprintln!();
            eprintln!("  export MOCO_ACCOUNT=yourcompany      # from https://yourcompany.mocoapp.com");
            eprintln!("  export MOCO_API_KEY=...              # profile page → Integrations, or an account key");
            eprintln!("  cargo run --example quickstart");
            eprintln!();
            eprintln!("(or MOCO_BASE_URL=http://host:port/api/v1 for another server)");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("cannot set up the client: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&client).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: &Client) -> Result<(), Error> {
    let me = client.verify_key().await?;
    println!("Connected to {} as user {}", client.base_url(), me.id);

    let mut projects = client.list_projects().sort_by(mocoapp::SortBy::asc("name")).stream();
    let mut first = None;
    let mut count = 0;
    println!("\n{:<12} {:<40} {:<28} leader", "identifier", "project", "customer");
    while let Some(project) = projects.try_next().await? {
        count += 1;
        let customer = project.customer.as_ref().and_then(|c| c.name.clone()).unwrap_or_default();
        let leader = project
            .leader
            .as_ref()
            .map(|l| format!("{} {}", l.firstname.as_deref().unwrap_or(""), l.lastname.as_deref().unwrap_or("")))
            .unwrap_or_default();
        println!(
            "{:<12} {:<40} {:<28} {}",
            project.identifier.as_deref().unwrap_or("-"),
            truncate(&project.name, 40),
            truncate(&customer, 28),
            leader.trim()
        );
        first.get_or_insert(project);
    }
    println!("{count} project(s)");

    let Some(project) = first else { return Ok(()) };
    let report = client.get_project_report(project.id).send().await?;
    let currency = report.currency.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into());
    println!("\nReport for {} ({})", project.name, project.identifier.as_deref().unwrap_or("-"));
    println!("  budget        {} {currency} ({}% used, {} remaining)", num(report.budget_total), num(report.budget_progress_in_percentage), num(report.budget_remaining));
    println!("  invoiced      {} {currency}", num(report.invoiced_total));
    println!("  hours         {} total, {} billable, {} remaining", num(report.hours_total), num(report.hours_billable), num(report.hours_remaining));
    println!("  costs         {} activities, {} expenses", num(report.costs_activities), num(report.costs_expenses));
    for task in report.costs_by_task.unwrap_or_default() {
        println!("    {:<30} {:>8} h {:>12}", truncate(task.name.as_deref().unwrap_or("-"), 30), num(task.hours_total), num(task.total_costs));
    }
    Ok(())
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}
