//! Computed reports: each figure is checked against the same data read another way (the lists,
//! through the client), and changes when the data does. Canned answers say so in a header.

use chrono::NaiveDate;
use futures::TryStreamExt;
use moco_fake::{FakeConfig, FakeMoco};
use mocoapp::{types, Decimal};
use reqwest::Method;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn f(value: Option<Decimal>) -> f64 {
    value.map(|d| d.to_string().parse().unwrap()).unwrap_or_default()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.011
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn fake() -> FakeMoco {
    FakeMoco::start(FakeConfig::default()).await.expect("the fake starts")
}

#[tokio::test]
async fn the_project_report_sums_the_projects_activities_and_follows_a_new_one() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let project = client.list_projects().per_page(1).send().await?.remove(0);
    let activities: Vec<types::Activity> = client.list_activities().project_id(project.id).stream().try_collect().await?;
    assert!(!activities.is_empty(), "the seeded project has activities");
    let hours: f64 = activities.iter().map(|a| f(a.hours)).sum();
    let billable: f64 = activities.iter().filter(|a| a.billable == Some(true)).map(|a| f(a.hours)).sum();

    let report = client.get_project_report(project.id).send().await?;
    assert!(close(f(report.hours_total), hours), "{:?} vs {hours}", report.hours_total);
    assert!(close(f(report.hours_billable), billable), "{:?} vs {billable}", report.hours_billable);
    assert_eq!(f(report.budget_total), f(project.budget));
    let by_task = report.costs_by_task.clone().unwrap_or_default();
    let task_hours: f64 = by_task.iter().map(|t| f(t.hours_total)).sum();
    assert!(close(task_hours, hours), "the tasks' hours add up to the project's");

    // Two more billable hours on the first task show in the totals and on the task.
    let task = project.tasks.as_ref().unwrap().iter().find(|t| t.billable == Some(true)).expect("a billable task").id;
    client
        .create_activity()
        .body_map(|b| b.date(date("2024-06-03")).project_id(project.id).task_id(task).seconds(7200).description("More work"))
        .send()
        .await?;
    let after = client.get_project_report(project.id).send().await?;
    assert!(close(f(after.hours_total), hours + 2.0));
    assert!(close(f(after.hours_billable), billable + 2.0));
    let on_task = |r: &types::ProjectReport| f(r.costs_by_task.as_ref().unwrap().iter().find(|t| t.id == task).unwrap().hours_total);
    assert!(close(on_task(&after), on_task(&report) + 2.0));
    assert!(f(after.budget_remaining) < f(report.budget_remaining), "billable work uses up the budget");
    Ok(())
}

#[tokio::test]
async fn a_users_performance_report_counts_the_users_activities_per_month() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let user = fake.owner_id();
    let activities: Vec<types::Activity> =
        client.list_activities().user_id(user).from(date("2024-01-01")).to(date("2024-12-31")).stream().try_collect().await?;
    let tracked: f64 = activities.iter().map(|a| f(a.hours)).sum();
    let report = client.get_user_performance_report(user).year(2024).send().await?;
    let annual = report.annually.unwrap();
    assert!(close(f(annual.hours_tracked_total), tracked), "{:?} vs {tracked}", annual.hours_tracked_total);
    let months = report.monthly.unwrap();
    assert_eq!(months.len(), 12);
    let per_month: f64 = months.iter().map(|m| f(m.hours_tracked_total)).sum();
    assert!(close(per_month, tracked));
    let march: f64 = activities.iter().filter(|a| a.date.is_some_and(|d| d.format("%m").to_string() == "03")).map(|a| f(a.hours)).sum();
    assert!(close(f(months[2].hours_tracked_total), march));
    // The profile's report is the acting user's.
    let own = client.get_profile_performance_report().year(2024).send().await?;
    assert!(close(f(own.annually.unwrap().hours_tracked_total), tracked));
    // Another year has nothing tracked.
    let empty = client.get_user_performance_report(user).year(2019).send().await?;
    assert_eq!(f(empty.annually.unwrap().hours_tracked_total), 0.0);
    Ok(())
}

#[tokio::test]
async fn the_absence_report_counts_sick_days_and_follows_a_new_absence() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let schedules: Vec<types::Schedule> =
        client.list_schedules().from(date("2024-01-01")).to(date("2024-12-31")).stream().try_collect().await?;
    let report = client.get_absences_report().year(2024).send().await?;
    for entry in &report {
        let user = entry.user.as_ref().unwrap().id;
        let sick: f64 = schedules
            .iter()
            .filter(|s| s.user.as_ref().is_some_and(|u| u.id == user))
            .filter(|s| s.assignment.as_ref().is_some_and(|a| a.code == Some(types::ScheduleAssignmentCode::SickDay)))
            .map(|s| 0.5 * (s.am == Some(true)) as u8 as f64 + 0.5 * (s.pm == Some(true)) as u8 as f64)
            .sum();
        assert!(close(f(entry.sickdays), sick), "user {user}: {:?} vs {sick}", entry.sickdays);
    }
    let owner = fake.owner_id();
    let before = report.iter().find(|e| e.user.as_ref().unwrap().id == owner).map(|e| f(e.sickdays)).unwrap();
    client
        .create_schedule()
        .body_map(|b| {
            b.date(date("2024-11-04")).absence_code(types::ScheduleAbsenceCode::try_from(3_i64).unwrap()).am(true).pm(true).user_id(owner)
        })
        .send()
        .await?;
    let after = client.get_absences_report().year(2024).send().await?;
    let now = after.iter().find(|e| e.user.as_ref().unwrap().id == owner).map(|e| f(e.sickdays)).unwrap();
    assert!(close(now, before + 1.0), "{before} + 1 vs {now}");
    Ok(())
}

#[tokio::test]
async fn planned_vs_tracked_and_utilization_follow_the_activities() -> Result {
    let fake = fake().await;
    let client = fake.client();
    let activities: Vec<types::Activity> =
        client.list_activities().from(date("2024-01-01")).to(date("2024-12-31")).stream().try_collect().await?;
    let rows = client.get_planned_vs_tracked_report().from(date("2024-01-01")).to(date("2024-12-31")).send().await?;
    let tracked: f64 = rows.iter().map(|r| f(r.tracked_hours)).sum();
    let expected: f64 = activities.iter().map(|a| f(a.hours)).sum();
    assert!(close(tracked, expected), "{tracked} vs {expected}");
    for row in &rows {
        assert!(close(f(row.delta), f(row.tracked_hours) - f(row.planned_hours)));
    }
    // One project only.
    let project = activities[0].project.as_ref().unwrap().id;
    let one = client.get_planned_vs_tracked_report().from(date("2024-01-01")).to(date("2024-12-31")).project_id(project).send().await?;
    assert!(!one.is_empty() && one.iter().all(|r| r.project_id == Some(project)));

    // Utilization of one day: each user's billable seconds are that day's billable activities.
    let day = activities[0].date.unwrap();
    let entries = client.get_utilization_report().from(day).to(day).send().await?;
    assert!(!entries.is_empty());
    for entry in &entries {
        let user = entry.user_id.unwrap();
        let billable: f64 = activities
            .iter()
            .filter(|a| a.date == Some(day) && a.user.as_ref().is_some_and(|u| u.id == user) && a.billable == Some(true))
            .map(|a| a.seconds.unwrap_or_default() as f64)
            .sum();
        assert_eq!(f(entry.billable_seconds), billable, "user {user} on {day}");
    }
    Ok(())
}

#[tokio::test]
async fn computed_and_canned_answers_say_which_they_are() -> Result {
    let fake = fake().await;
    let http = fake.client();
    let project = http.list_projects().per_page(1).send().await?.remove(0).id;
    let get = |path: String, query: Option<(&'static str, &'static str)>| {
        let mut request = http.request(Method::GET, &path);
        if let Some((name, value)) = query {
            request = request.query(name, value);
        }
        request.send_with_response::<serde_json::Value>()
    };
    let computed = get(format!("/projects/{project}/report"), None).await?;
    assert_eq!(computed.headers()["x-moco-fake-computed"], "true");
    assert_eq!(computed.headers()["x-moco-fake-canned"], "hours_remaining");
    let canned = get("/report/cashflow".into(), None).await?;
    assert_eq!(canned.headers()["x-moco-fake-canned"], "example");
    assert!(canned.headers().get("x-moco-fake-computed").is_none());
    // A company that does not exist is not answered with the account's rates.
    let missing = get("/account/hourly_rates".into(), Some(("company_id", "999999999"))).await;
    assert!(matches!(missing, Err(mocoapp::Error::NotFound { .. })), "{missing:?}");
    Ok(())
}
