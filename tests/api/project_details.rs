//! Every operation of sections/project_tasks.md, project_contracts.md, project_expenses.md,
//! project_recurring_expenses.md, project_payment_schedules.md and project_groups.md: the exact
//! request and the decoded answer.

use chrono::{DateTime, Utc};
use httpmock::prelude::*;
use mocoapp::{types, CustomFields, SortBy};
use serde_json::{json, Value};

use crate::support::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

const UPDATED_AFTER: &str = "2022-04-20T09:17:58Z";

/// `value` with `changes` merged over its top-level fields.
fn with(mut value: Value, changes: Value) -> Value {
    for (key, field) in changes.as_object().unwrap() {
        value[key] = field.clone();
    }
    value
}

/// Answers `GET /api/v1{path}` (any query) with `[]` and checks that `call` decodes it as an
/// empty list.
async fn assert_empty_list<T, F, Fut>(path: &str, call: F)
where
    F: FnOnce(mocoapp::Client) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, mocoapp::Error>>,
{
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, path);
            then.status(200).json_body(json!([]));
        })
        .await;
    let list = call(client(&server)).await.unwrap();
    mock.assert_async().await;
    assert!(list.is_empty());
}

// ------------------------------------------------------------------------------ Project Tasks

#[tokio::test]
async fn list_project_tasks_sends_the_global_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_project_tasks");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234567/tasks")
                .is_true(exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "name asc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "760253573,760253574"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let tasks = client(&server)
        .list_project_tasks(1234567)
        .page(2)
        .per_page(50)
        .sort_by(SortBy::asc("name"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([760253573, 760253574])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&tasks, &body);
    let task = &tasks[0];
    assert_eq!((task.id, task.name.as_str()), (760253573, "Projektleitung"));
    assert_eq!((task.budget, task.hourly_rate), (Some(dec("2900.0")), Some(dec("120.0"))));
    let category = task.revenue_category.as_ref().unwrap();
    assert_eq!((category.id, category.revenue_account, category.cost_category.as_deref()), (126, Some(30058), Some("PM1")));
    assert_eq!(task.created_at, Some(utc("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn get_project_task() {
    let server = MockServer::start_async().await;
    let body = example("ProjectTask");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234567/tasks/760253573").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let task = client(&server).get_project_task(1234567, 760253573).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&task, &body);
    assert_eq!(task.billable, Some(true));
    assert_eq!(task.description.as_deref(), Some("A task description"));
}

#[tokio::test]
async fn create_project_task_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234567/tasks")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_project_task")));
            then.status(201).json_body(example("ProjectTask"));
        })
        .await;
    let response = client(&server)
        .create_project_task(1234567)
        .body_map(|b| b.name("Design / UX").billable(true).hourly_rate(dec("120.0")))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_decoded(&response.into_inner(), &example("ProjectTask"));
}

#[tokio::test]
async fn update_project_task_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let answer = with(example("ProjectTask"), json!({"budget": 5000, "hourly_rate": 130}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567/tasks/760253573").is_true(json_equiv(request_example("update_project_task")));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let task = client(&server)
        .update_project_task(1234567, 760253573)
        .body_map(|b| b.budget(dec("5000.0")).hourly_rate(dec("130.0")))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&task, &answer);
    assert_eq!((task.budget, task.hourly_rate), (Some(dec("5000.0")), Some(dec("130.0"))));
}

#[tokio::test]
async fn delete_project_task() {
    assert_deletes("/projects/1234567/tasks/760253573", 204, |c| async move {
        c.delete_project_task(1234567, 760253573).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn delete_all_project_tasks() {
    assert_deletes("/projects/1234567/tasks/destroy_all", 204, |c| async move {
        c.delete_all_project_tasks(1234567).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn destroy_all_and_a_single_task_delete_reach_their_own_routes() {
    // `destroy_all` sits where a task id goes: each call must hit its own route (never the
    // other), and a 200 without body (the docs show none) is a success as well as a 204.
    let server = MockServer::start_async().await;
    let all = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/projects/1234567/tasks/destroy_all").is_true(exact_query(&[])).is_true(no_body());
            then.status(200);
        })
        .await;
    let one = server
        .mock_async(|when, then| {
            moco(when, DELETE, "/projects/1234567/tasks/760253573").is_true(exact_query(&[])).is_true(no_body());
            then.status(200);
        })
        .await;
    let client = client(&server);
    let response = client.delete_all_project_tasks(1234567).send_with_response().await.unwrap();
    assert_eq!(response.status(), 200);
    all.assert_calls_async(1).await;
    one.assert_calls_async(0).await;
    client.delete_project_task(1234567, 760253573).send().await.unwrap();
    all.assert_calls_async(1).await;
    one.assert_calls_async(1).await;
}

#[tokio::test]
async fn project_task_shapes_real_servers_send() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("ProjectTask", &example("ProjectTask"));
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/tasks/2");
            then.status(200).json_body(sparse.clone());
        })
        .await;
    let task = client(&server).get_project_task(1, 2).send().await.unwrap();
    assert_decoded(&task, &sparse);
    assert_eq!((task.id, task.name.as_str()), (760253573, "Projektleitung"));
    assert_eq!((task.billable, task.active, task.budget, task.hourly_rate), (None, None, None, None));
    assert!(task.revenue_category.is_none() && task.description.is_none() && task.updated_at.is_none());

    let category: types::ProjectTaskRevenueCategory =
        serde_json::from_value(with_nulls("ProjectTaskRevenueCategory", &example("ProjectTaskRevenueCategory"))).unwrap();
    assert_eq!((category.id, category.name, category.revenue_account, category.cost_category), (126, None, None, None));

    assert_empty_list("/projects/1/tasks", |c| async move { c.list_project_tasks(1).send().await }).await;
}

// -------------------------------------------------------------------------- Project Contracts

#[tokio::test]
async fn list_project_contracts_sends_the_global_filters_and_decodes_the_docs_example() {
    let server = MockServer::start_async().await;
    let body = response_example("list_project_contracts");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234567/contracts")
                .is_true(exact_query(&[
                    ("page", "3"),
                    ("per_page", "20"),
                    ("sort_by", "lastname desc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "760253573"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let contracts = client(&server)
        .list_project_contracts(1234567)
        .page(3)
        .per_page(20)
        .sort_by(SortBy::desc("lastname"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([760253573])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&contracts, &body);
    let contract = &contracts[0];
    assert_eq!((contract.id, contract.user_id), (760253573, Some(938487474)));
    assert_eq!((contract.firstname.as_deref(), contract.lastname.as_deref()), (Some("Nicola"), Some("Piccinini")));
    assert_eq!((contract.budget, contract.hourly_rate), (Some(dec("9900.0")), Some(dec("110.0"))));
}

#[tokio::test]
async fn get_project_contract() {
    let server = MockServer::start_async().await;
    let body = example("ProjectContract");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234567/contracts/760253573").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let contract = client(&server).get_project_contract(1234567, 760253573).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&contract, &body);
    assert_eq!((contract.billable, contract.active), (Some(true), Some(true)));
    assert_eq!(contract.updated_at, Some(utc("2018-10-17T09:33:46Z")));
}

#[tokio::test]
async fn create_project_contract_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234567/contracts")
                .header("content-type", "application/json")
                .is_true(json_equiv(request_example("create_project_contract")));
            then.status(201).json_body(example("ProjectContract"));
        })
        .await;
    let response = client(&server)
        .create_project_contract(1234567)
        .body_map(|b| b.user_id(123456).budget(dec("9900.0")))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.into_inner().id, 760253573);
}

#[tokio::test]
async fn update_project_contract_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let answer = with(example("ProjectContract"), json!({"budget": 8800}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234567/contracts/760253573").is_true(json_equiv(request_example("update_project_contract")));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let contract = client(&server).update_project_contract(1234567, 760253573).body_map(|b| b.budget(dec("8800.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&contract, &answer);
    assert_eq!(contract.budget, Some(dec("8800.0")));
}

#[tokio::test]
async fn delete_project_contract() {
    assert_deletes("/projects/1234567/contracts/760253573", 204, |c| async move {
        c.delete_project_contract(1234567, 760253573).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn project_contract_shapes_real_servers_send() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("ProjectContract", &example("ProjectContract"));
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/contracts/2");
            then.status(200).json_body(sparse.clone());
        })
        .await;
    let contract = client(&server).get_project_contract(1, 2).send().await.unwrap();
    assert_decoded(&contract, &sparse);
    assert_eq!(contract.id, 760253573);
    assert_eq!((contract.user_id, contract.firstname, contract.budget, contract.created_at), (None, None, None, None));

    assert_empty_list("/projects/1/contracts", |c| async move { c.list_project_contracts(1).send().await }).await;
}

// --------------------------------------------------------------------------- Project Expenses

/// A receipt's bytes (`%PDF-1.4\n%âãÏÓ\n` and four high bytes) and their base64 form, which
/// holds every character that needs care in transport: `+`, `/` and `=` padding.
const RECEIPT_BASE64: &str = "JVBERi0xLjQKJeLjz9MK++++/w==";

fn assert_docs_expense(expense: &types::ProjectExpense) {
    assert_eq!((expense.id, expense.title.as_str()), (47266, "Hosting XS"));
    assert_eq!(expense.date, Some(date("2024-06-07")));
    assert_eq!((expense.quantity, expense.price, expense.cost), (Some(dec("3.0")), Some(dec("87.0")), Some(dec("57.0"))));
    assert_eq!(expense.currency.as_deref(), Some("CHF"));
    assert_eq!((expense.billable, expense.billed, expense.purchase_assignment_locked), (Some(true), Some(false), Some(true)));
    assert_eq!((expense.planned_purchase_date, expense.invoice_id, expense.recurring_expense_id), (None, None, None));
    assert_eq!(expense.service_period.as_deref(), Some("06/2024"));
    assert_eq!((expense.service_period_from, expense.service_period_to), (Some(date("2024-06-01")), Some(date("2024-06-30"))));
    assert_eq!(expense.revenue_category.as_ref().unwrap().revenue_account, Some(30056));
    assert_eq!(expense.custom_properties.as_ref().unwrap().text("Type"), Some("Website"));
    assert_eq!(expense.company.as_ref().unwrap().name.as_deref(), Some("Acme Corp."));
    assert_eq!(expense.project.as_ref().unwrap().id, 1234);
    assert_eq!(expense.group.as_ref().unwrap().budget, Some(dec("5200.0")));
    let item = &expense.purchase_items.as_ref().unwrap()[0];
    assert_eq!((item.id, item.purchase_id, item.net_total), (1234, Some(345), Some(dec("12.0"))));
    assert_eq!(item.document.as_ref().unwrap().id, Some(567));
    assert_eq!(expense.created_at, Some(utc("2024-06-06T09:33:46Z")));
}

#[tokio::test]
async fn list_all_project_expenses_sends_every_filter_on_the_top_level_path() {
    let server = MockServer::start_async().await;
    let body = response_example("list_all_project_expenses");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/expenses")
                .is_true(exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "date desc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "47266,47267"),
                    ("custom_properties[Type]", "Website"),
                    ("from", "2019-01-01"),
                    ("to", "2019-01-31"),
                    ("billable", "true"),
                    ("billed", "false"),
                    ("budget_relevant", "true"),
                    ("tags", "tag one,tag two"),
                    ("user_id", "123456"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let expenses = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Type", "Website"))
        .list_all_project_expenses()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::desc("date"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([47266, 47267])
        .from(date("2019-01-01"))
        .to(date("2019-01-31"))
        .billable(true)
        .billed(false)
        .budget_relevant(true)
        .tags(["tag one", "tag two"])
        .user_id(123456)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&expenses, &body);
    assert_docs_expense(&expenses[0]);
}

#[tokio::test]
async fn list_all_project_expenses_keeps_its_filters_on_every_page() {
    // `from` and `to` only work together: both must reach the server on the follow-up page too.
    let server = MockServer::start_async().await;
    let next = format!("<{}?page=2>; rel=\"next\"", server.url("/api/v1/projects/expenses"));
    let filters = [("from", "2019-01-01"), ("to", "2019-01-31"), ("tags", "Hosting")];
    let first = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/expenses").is_true(exact_query(&filters));
            then.status(200).header("Link", next.as_str()).json_body(json!([example("ProjectExpense")]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            let mut query = filters.to_vec();
            query.push(("page", "2"));
            moco(when, GET, "/projects/expenses").is_true(exact_query(&query));
            then.status(200).json_body(json!([with(example("ProjectExpense"), json!({"id": 47267}))]));
        })
        .await;
    let expenses = client(&server)
        .list_all_project_expenses()
        .from(date("2019-01-01"))
        .to(date("2019-01-31"))
        .tags(["Hosting"])
        .collect_all()
        .await
        .unwrap();
    first.assert_async().await;
    second.assert_async().await;
    assert_eq!(expenses.iter().map(|e| e.id).collect::<Vec<_>>(), vec![47266, 47267]);
}

#[tokio::test]
async fn list_project_expenses_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_project_expenses");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234/expenses")
                .is_true(exact_query(&[
                    ("page", "1"),
                    ("per_page", "100"),
                    ("sort_by", "title asc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "47266"),
                    ("custom_properties[Type]", "Website"),
                    ("billable", "false"),
                    ("billed", "true"),
                    ("budget_relevant", "false"),
                    ("user_id", "123456"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let expenses = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Type", "Website"))
        .list_project_expenses(1234)
        .page(1)
        .per_page(100)
        .sort_by(SortBy::asc("title"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([47266])
        .billable(false)
        .billed(true)
        .budget_relevant(false)
        .user_id(123456)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&expenses, &body);
    assert_docs_expense(&expenses[0]);
}

#[tokio::test]
async fn get_project_expense() {
    let server = MockServer::start_async().await;
    let body = example("ProjectExpense");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234/expenses/47266").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let expense = client(&server).get_project_expense(1234, 47266).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&expense, &body);
    assert_docs_expense(&expense);
}

#[tokio::test]
async fn create_project_expense_sends_the_docs_example_with_its_base64_file() {
    let server = MockServer::start_async().await;
    let request = request_example("create_project_expense");
    assert_eq!(request["file"]["filename"], "document.pdf");
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/expenses")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request.clone()));
            then.status(201).json_body(example("ProjectExpense"));
        })
        .await;
    let response = client(&server)
        .create_project_expense(1234)
        .body_map(|b| {
            b.date(date("2018-10-01")).title("Hosting XS").quantity(3).unit("months").unit_price(29).unit_cost(19).file(
                types::ProjectExpenseFile { filename: "document.pdf".into(), base64: "JVBERi0xLjQKJeLjz9MKNCAwIG9iago8PC9GaWx...".into() },
            )
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_docs_expense(&response.into_inner());
}

#[tokio::test]
async fn create_project_expense_with_every_field_sends_the_receipt_verbatim() {
    let server = MockServer::start_async().await;
    let expected = json!({
        "date": "2021-01-15",
        "title": "Hosting XS",
        "quantity": 1.5,
        "unit": "months",
        "unit_price": 29,
        "unit_cost": 19,
        "description": "Hosting, Monitoring, Backup",
        "billable": false,
        "budget_relevant": true,
        "service_period_from": "2021-01-01",
        "service_period_to": "2021-01-31",
        "user_id": 456,
        "custom_properties": {"Type": "Website"},
        "file": {"filename": "beleg 1.pdf", "base64": RECEIPT_BASE64}
    });
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/expenses").is_true(json_equiv(expected.clone()));
            then.status(200).json_body(example("ProjectExpense"));
        })
        .await;
    let receipt =
        types::ProjectExpenseFile::try_from(types::ProjectExpenseFile::builder().filename("beleg 1.pdf").base64(RECEIPT_BASE64)).unwrap();
    let body = types::ProjectExpenseCreate::try_from(
        types::ProjectExpenseCreate::builder()
            .date(date("2021-01-15"))
            .title("Hosting XS")
            .quantity(1.5)
            .unit("months")
            .unit_price(29.0)
            .unit_cost(19.0)
            .description("Hosting, Monitoring, Backup")
            .billable(false)
            .budget_relevant(true)
            .service_period_from(date("2021-01-01"))
            .service_period_to(date("2021-01-31"))
            .user_id(456)
            .custom_properties(CustomFields::new().with("Type", "Website"))
            .file(receipt),
    )
    .unwrap();
    let expense = client(&server).create_project_expense(1234).body(body).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(expense.id, 47266);
}

#[tokio::test]
async fn create_project_expenses_bulk_wraps_the_entries_in_bulk_data() {
    let server = MockServer::start_async().await;
    let created = json!([example("ProjectExpense"), with(example("ProjectExpense"), json!({"id": 47267, "date": "2024-06-08"}))]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/expenses/bulk")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("create_project_expenses_bulk")));
            then.status(201).json_body(created.clone());
        })
        .await;
    let entry = |day: &str| {
        types::ProjectExpenseBulkItem::try_from(
            types::ProjectExpenseBulkItem::builder()
                .date(date(day))
                .title("Hosting: Server")
                .quantity(1)
                .unit("Server")
                .unit_price(29)
                .unit_cost(19)
                .service_period_from(date("2018-10-01"))
                .service_period_to(date("2018-10-31")),
        )
        .unwrap()
    };
    let response = client(&server)
        .create_project_expenses_bulk(1234)
        .body_map(|b| b.bulk_data(vec![entry("2018-10-20"), entry("2018-10-22")]))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let expenses = response.into_inner();
    assert_decoded(&expenses, &created);
    assert_eq!(expenses.iter().map(|e| e.id).collect::<Vec<_>>(), vec![47266, 47267]);
    assert_eq!(expenses[1].date, Some(date("2024-06-08")));
}

#[tokio::test]
async fn create_project_expenses_bulk_sends_the_optional_fields_of_each_entry() {
    // The docs' example sets no optional field; each entry carries its own, and only those.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/expenses/bulk").is_true(json_equiv(json!({
                "bulk_data": [
                    {"date": "2024-01-05", "title": "Domain", "quantity": 1, "unit": "Jahr", "unit_price": 20, "unit_cost": 8,
                     "description": "example.ch", "billable": false},
                    {"date": "2024-01-06", "title": "Server", "quantity": 2, "unit": "Monat", "unit_price": 29, "unit_cost": 19,
                     "budget_relevant": true}
                ]
            })));
            then.status(200).json_body(json!([]));
        })
        .await;
    let body = types::ProjectExpenseBulkCreate {
        bulk_data: vec![
            types::ProjectExpenseBulkItem::builder()
                .date(date("2024-01-05"))
                .title("Domain")
                .quantity(1)
                .unit("Jahr")
                .unit_price(20)
                .unit_cost(8)
                .description("example.ch")
                .billable(false)
                .try_into()
                .unwrap(),
            types::ProjectExpenseBulkItem::builder()
                .date(date("2024-01-06"))
                .title("Server")
                .quantity(2)
                .unit("Monat")
                .unit_price(29)
                .unit_cost(19)
                .budget_relevant(true)
                .try_into()
                .unwrap(),
        ],
    };
    let created = client(&server).create_project_expenses_bulk(1234).body(body).send().await.unwrap();
    mock.assert_async().await;
    assert!(created.is_empty());
}

#[tokio::test]
async fn disregard_project_expenses_sends_the_ids_and_the_reason() {
    let server = MockServer::start_async().await;
    let settled = json!([
        with(example("ProjectExpense"), json!({"id": 1234, "billed": true})),
        with(example("ProjectExpense"), json!({"id": 5678, "billed": true}))
    ]);
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/expenses/disregard")
                .header("content-type", "application/json")
                .is_true(exact_query(&[]))
                .is_true(json_equiv(request_example("disregard_project_expenses")));
            then.status(200).json_body(settled.clone());
        })
        .await;
    let expenses = client(&server)
        .disregard_project_expenses(1234)
        .body_map(|b| b.expense_ids(vec![1234, 5678]).reason("Courtesy services, as discussed"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let expenses = expenses.expect("the entries, when MOCO sends them");
    assert_decoded(&expenses, &settled);
    assert_eq!(expenses.iter().map(|e| (e.id, e.billed)).collect::<Vec<_>>(), vec![(1234, Some(true)), (5678, Some(true))]);
}

#[tokio::test]
async fn disregard_project_expenses_answered_with_nothing_is_none() {
    // What MOCO's OpenAPI description shows: 204 without a body.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/expenses/disregard");
            then.status(204);
        })
        .await;
    let answer = client(&server)
        .disregard_project_expenses(1234)
        .body_map(|b| b.expense_ids(vec![1234]).reason("Courtesy"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!((answer.status().as_u16(), answer.into_inner()), (204, None));
}

#[tokio::test]
async fn update_project_expense_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let answer = with(example("ProjectExpense"), json!({"unit_price": 49, "price": 147}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234/expenses/47266").is_true(json_equiv(request_example("update_project_expense")));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let expense = client(&server).update_project_expense(1234, 47266).body_map(|b| b.unit_price(dec("49.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&expense, &answer);
    assert_eq!((expense.unit_price, expense.price), (Some(dec("49.0")), Some(dec("147.0"))));
}

#[tokio::test]
async fn delete_project_expense() {
    assert_deletes(
        "/projects/1234/expenses/47266",
        204,
        |c| async move { c.delete_project_expense(1234, 47266).send_with_response().await },
    )
    .await;
}

#[tokio::test]
async fn project_expense_shapes_real_servers_send() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("ProjectExpense", &example("ProjectExpense"));
    assert!(sparse["purchase_items"].is_null());
    let mut sparse_items = sparse.clone();
    sparse_items["purchase_items"] = json!([with_nulls("ProjectExpensePurchaseItem", &example("ProjectExpensePurchaseItem"))]);
    sparse_items["group"] = with_nulls("ProjectExpenseGroup", &example("ProjectExpenseGroup"));
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/expenses/2");
            then.status(200).json_body(sparse.clone());
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/expenses/3");
            then.status(200).json_body(sparse_items.clone());
        })
        .await;
    let client = client(&server);
    let expense = client.get_project_expense(1, 2).send().await.unwrap();
    assert_decoded(&expense, &sparse);
    assert_eq!((expense.id, expense.title.as_str()), (47266, "Hosting XS"));
    assert_eq!((expense.date, expense.quantity, expense.price, expense.billed), (None, None, None, None));
    assert!(expense.file_url.is_none() && expense.service_period.is_none() && expense.custom_properties.is_none());
    assert!(expense.revenue_category.is_none() && expense.company.is_none() && expense.project.is_none());
    assert!(expense.group.is_none() && expense.purchase_items.is_none() && expense.created_at.is_none());

    let expense = client.get_project_expense(1, 3).send().await.unwrap();
    assert_decoded(&expense, &sparse_items);
    let item = &expense.purchase_items.as_ref().unwrap()[0];
    assert_eq!((item.id, item.title.as_deref(), item.document.as_ref()), (1234, None, None));
    let group = expense.group.unwrap();
    assert_eq!((group.id, group.title, group.budget), (456, None, None));

    assert_empty_list("/projects/expenses", |c| async move { c.list_all_project_expenses().send().await }).await;
    assert_empty_list("/projects/1/expenses", |c| async move { c.list_project_expenses(1).send().await }).await;
}

// ----------------------------------------------------------------- Project Recurring Expenses

fn assert_docs_recurring_expense(recurring: &types::ProjectRecurringExpense) {
    assert_eq!((recurring.id, recurring.title.as_str()), (47266, "Hosting XS"));
    assert_eq!(recurring.start_date, Some(date("2017-07-01")));
    assert_eq!(recurring.finish_date, Some(date("2017-12-31")));
    assert_eq!(recurring.recur_next_date, Some(date("2017-09-01")));
    assert_eq!(recurring.period, Some(types::ProjectRecurringExpensePeriod::Monthly));
    assert_eq!(recurring.service_period_direction, Some(types::ProjectRecurringExpenseServicePeriodDirection::Forward));
    assert_eq!((recurring.unit_price, recurring.unit_cost), (Some(dec("29.0")), Some(dec("19.0"))));
    assert_eq!(recurring.custom_properties.as_ref().unwrap().text("Type"), Some("Website"));
    assert_eq!(recurring.project.as_ref().unwrap().name.as_deref(), Some("Project A"));
    assert_eq!(recurring.revenue_category.as_ref().unwrap().cost_category.as_deref(), Some("HO1"));
}

#[tokio::test]
async fn list_all_project_recurring_expenses_uses_the_top_level_path_with_the_global_filters() {
    let server = MockServer::start_async().await;
    let body = response_example("list_all_project_recurring_expenses");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/recurring_expenses")
                .is_true(exact_query(&[
                    ("page", "2"),
                    ("per_page", "25"),
                    ("sort_by", "start_date desc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "47266,47267"),
                    ("custom_properties[Type]", "Website"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let recurring = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Type", "Website"))
        .list_all_project_recurring_expenses()
        .page(2)
        .per_page(25)
        .sort_by(SortBy::desc("start_date"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([47266, 47267])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&recurring, &body);
    assert_docs_recurring_expense(&recurring[0]);
}

#[tokio::test]
async fn list_project_recurring_expenses_sends_the_global_filters() {
    let server = MockServer::start_async().await;
    let body = response_example("list_project_recurring_expenses");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234/recurring_expenses")
                .is_true(exact_query(&[
                    ("page", "1"),
                    ("per_page", "10"),
                    ("sort_by", "title asc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "47266"),
                    ("custom_properties[Type]", "Website"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let recurring = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Type", "Website"))
        .list_project_recurring_expenses(1234)
        .page(1)
        .per_page(10)
        .sort_by(SortBy::asc("title"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([47266])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&recurring, &body);
    assert_docs_recurring_expense(&recurring[0]);
}

#[tokio::test]
async fn get_project_recurring_expense() {
    let server = MockServer::start_async().await;
    let body = example("ProjectRecurringExpense");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1234/recurring_expenses/47266").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let recurring = client(&server).get_project_recurring_expense(1234, 47266).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&recurring, &body);
    assert_docs_recurring_expense(&recurring);
}

#[tokio::test]
async fn create_project_recurring_expense_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/recurring_expenses")
                .header("content-type", "application/json")
                .is_true(json_equiv(request_example("create_project_recurring_expense")));
            then.status(201).json_body(example("ProjectRecurringExpense"));
        })
        .await;
    let response = client(&server)
        .create_project_recurring_expense(1234)
        .body_map(|b| {
            b.start_date(date("2018-10-01"))
                .period(types::ProjectRecurringExpenseCreatePeriod::Monthly)
                .service_period_direction(types::ProjectRecurringExpenseCreateServicePeriodDirection::Forward)
                .title("Hosting XS")
                .quantity(1)
                .unit("Server")
                .unit_price(29)
                .unit_cost(19)
        })
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    assert_docs_recurring_expense(&response.into_inner());
}

#[test]
fn recurring_expense_request_enums_use_the_wire_names() {
    use types::ProjectRecurringExpenseCreatePeriod as Period;
    use types::ProjectRecurringExpenseCreateServicePeriodDirection as Direction;
    let periods = [
        (Period::Weekly, "weekly"),
        (Period::Biweekly, "biweekly"),
        (Period::Monthly, "monthly"),
        (Period::Quarterly, "quarterly"),
        (Period::Biannual, "biannual"),
        (Period::Annual, "annual"),
    ];
    for (period, wire) in periods {
        assert_eq!(serde_json::to_value(period).unwrap(), json!(wire));
    }
    for (direction, wire) in [(Direction::None, "none"), (Direction::Forward, "forward"), (Direction::Backward, "backward")] {
        assert_eq!(serde_json::to_value(direction).unwrap(), json!(wire));
    }
    let update = types::ProjectRecurringExpenseUpdate::try_from(
        types::ProjectRecurringExpenseUpdate::builder()
            .service_period_direction(types::ProjectRecurringExpenseUpdateServicePeriodDirection::Backward)
            .finish_date(date("2018-12-31")),
    )
    .unwrap();
    assert_eq!(serde_json::to_value(update).unwrap(), json!({"service_period_direction": "backward", "finish_date": "2018-12-31"}));
}

#[tokio::test]
async fn update_project_recurring_expense_sends_only_the_changed_fields() {
    let server = MockServer::start_async().await;
    let answer = with(example("ProjectRecurringExpense"), json!({"unit_price": 49, "price": 49}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/1234/recurring_expenses/47266")
                .is_true(json_equiv(request_example("update_project_recurring_expense")));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let recurring =
        client(&server).update_project_recurring_expense(1234, 47266).body_map(|b| b.unit_price(dec("49.0"))).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&recurring, &answer);
    assert_eq!(recurring.unit_price, Some(dec("49.0")));
}

#[tokio::test]
async fn delete_project_recurring_expense() {
    assert_deletes("/projects/1234/recurring_expenses/47266", 204, |c| async move {
        c.delete_project_recurring_expense(1234, 47266).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn recur_project_recurring_expense_posts_without_body_and_decodes_the_created_expense() {
    let server = MockServer::start_async().await;
    // The additional service it created, as MOCO's OpenAPI description shows.
    let created = with(example("ProjectExpense"), json!({"id": 47300, "recurring_expense_id": 47266}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/1234/recurring_expenses/47266/recur").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(created.clone());
        })
        .await;
    let expense = client(&server).recur_project_recurring_expense(1234, 47266).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&expense, &created);
    assert_eq!((expense.id, expense.recurring_expense_id), (47300, Some(47266)));
}

#[tokio::test]
async fn project_recurring_expense_shapes_real_servers_send() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("ProjectRecurringExpense", &example("ProjectRecurringExpense"));
    let (future, changed) = with_unknown_enums("ProjectRecurringExpense", &example("ProjectRecurringExpense"));
    assert_eq!(changed, vec!["$.period".to_string(), "$.service_period_direction".to_string()]);
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/recurring_expenses/2");
            then.status(200).json_body(sparse.clone());
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/recurring_expenses/3");
            then.status(200).json_body(future.clone());
        })
        .await;
    let client = client(&server);
    let recurring = client.get_project_recurring_expense(1, 2).send().await.unwrap();
    assert_decoded(&recurring, &sparse);
    assert_eq!((recurring.id, recurring.title.as_str()), (47266, "Hosting XS"));
    assert_eq!((recurring.start_date, recurring.finish_date, recurring.recur_next_date), (None, None, None));
    assert_eq!((recurring.period, recurring.service_period_direction), (None, None));
    assert!(recurring.custom_properties.is_none() && recurring.project.is_none() && recurring.revenue_category.is_none());

    let recurring = client.get_project_recurring_expense(1, 3).send().await.unwrap();
    assert_decoded(&recurring, &future);
    assert_eq!(recurring.period, Some(types::ProjectRecurringExpensePeriod::Unknown(UNKNOWN_ENUM_VALUE.into())));
    assert_eq!(
        recurring.service_period_direction,
        Some(types::ProjectRecurringExpenseServicePeriodDirection::Unknown(UNKNOWN_ENUM_VALUE.into()))
    );

    assert_empty_list("/recurring_expenses", |c| async move { c.list_all_project_recurring_expenses().send().await }).await;
    assert_empty_list("/projects/1/recurring_expenses", |c| async move { c.list_project_recurring_expenses(1).send().await }).await;
}

// ------------------------------------------------------------------ Project Payment Schedules

fn assert_docs_payment_schedule(schedule: &types::ProjectPaymentSchedule) {
    assert_eq!(schedule.id, 760153573);
    assert_eq!(schedule.date, Some(date("2017-04-05")));
    assert_eq!(schedule.title.as_deref(), Some("Erste Anzahlung"));
    assert_eq!(schedule.net_total, Some(dec("1000.0")));
    let project = schedule.project.as_ref().unwrap();
    assert_eq!((project.id, project.identifier.as_deref()), (822322322, Some("P0077")));
    assert_eq!((schedule.checked, schedule.billed), (Some(false), Some(false)));
}

#[tokio::test]
async fn list_all_project_payment_schedules_sends_every_filter_on_the_top_level_path() {
    let server = MockServer::start_async().await;
    let body = response_example("list_all_project_payment_schedules");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/payment_schedules")
                .is_true(exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "date asc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "760153573,760153574"),
                    ("from", "2021-02-01"),
                    ("to", "2021-02-28"),
                    ("checked", "false"),
                    ("company_id", "1234"),
                    ("project_id", "822322322"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let schedules = client(&server)
        .list_all_project_payment_schedules()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::asc("date"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([760153573, 760153574])
        .from(date("2021-02-01"))
        .to(date("2021-02-28"))
        .checked(false)
        .company_id(1234)
        .project_id(822322322)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&schedules, &body);
    assert_docs_payment_schedule(&schedules[0]);
}

#[tokio::test]
async fn list_project_payment_schedules_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_project_payment_schedules");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/822322322/payment_schedules")
                .is_true(exact_query(&[
                    ("page", "1"),
                    ("per_page", "100"),
                    ("sort_by", "date desc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "760153573"),
                    ("from", "2021-02-01"),
                    ("to", "2021-02-28"),
                    ("checked", "true"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let schedules = client(&server)
        .list_project_payment_schedules(822322322)
        .page(1)
        .per_page(100)
        .sort_by(SortBy::desc("date"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([760153573])
        .from(date("2021-02-01"))
        .to(date("2021-02-28"))
        .checked(true)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&schedules, &body);
    assert_docs_payment_schedule(&schedules[0]);
}

#[tokio::test]
async fn get_project_payment_schedule() {
    let server = MockServer::start_async().await;
    let body = example("ProjectPaymentSchedule");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/822322322/payment_schedules/760153573").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let schedule = client(&server).get_project_payment_schedule(822322322, 760153573).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&schedule, &body);
    assert_docs_payment_schedule(&schedule);
    assert_eq!(schedule.description.as_deref(), Some("<div>A description for this payment schedule</div>"));
}

#[tokio::test]
async fn create_project_payment_schedule_sends_the_docs_example_body() {
    let server = MockServer::start_async().await;
    let answer = with(example("ProjectPaymentSchedule"), json!({"net_total": 1800, "date": "2019-10-28"}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, POST, "/projects/822322322/payment_schedules")
                .header("content-type", "application/json")
                .is_true(json_equiv(request_example("create_project_payment_schedule")));
            then.status(201).json_body(answer.clone());
        })
        .await;
    let response = client(&server)
        .create_project_payment_schedule(822322322)
        .body_map(|b| b.net_total(1800).title("Erste Anzahlung").date(date("2019-10-28")))
        .send_with_response()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 201);
    let schedule = response.into_inner();
    assert_decoded(&schedule, &answer);
    assert_eq!((schedule.net_total, schedule.date), (Some(dec("1800.0")), Some(date("2019-10-28"))));
}

#[tokio::test]
async fn update_project_payment_schedule_checks_it_off() {
    let server = MockServer::start_async().await;
    let answer = with(example("ProjectPaymentSchedule"), json!({"checked": true}));
    let mock = server
        .mock_async(|when, then| {
            moco(when, PUT, "/projects/822322322/payment_schedules/760153573")
                .is_true(json_equiv(request_example("update_project_payment_schedule")));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let schedule =
        client(&server).update_project_payment_schedule(822322322, 760153573).body_map(|b| b.checked(true)).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&schedule, &answer);
    assert_eq!(schedule.checked, Some(true));
}

#[tokio::test]
async fn delete_project_payment_schedule() {
    assert_deletes("/projects/822322322/payment_schedules/760153573", 204, |c| async move {
        c.delete_project_payment_schedule(822322322, 760153573).send_with_response().await
    })
    .await;
}

#[tokio::test]
async fn project_payment_schedule_shapes_real_servers_send() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("ProjectPaymentSchedule", &example("ProjectPaymentSchedule"));
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/1/payment_schedules/2");
            then.status(200).json_body(sparse.clone());
        })
        .await;
    let schedule = client(&server).get_project_payment_schedule(1, 2).send().await.unwrap();
    assert_decoded(&schedule, &sparse);
    assert_eq!(schedule.id, 760153573);
    assert_eq!((schedule.date, schedule.title, schedule.net_total, schedule.checked), (None, None, None, None));
    assert!(schedule.project.is_none() && schedule.description.is_none() && schedule.created_at.is_none());

    assert_empty_list("/projects/payment_schedules", |c| async move { c.list_all_project_payment_schedules().send().await }).await;
    assert_empty_list("/projects/1/payment_schedules", |c| async move { c.list_project_payment_schedules(1).send().await }).await;
}

// ------------------------------------------------------------------------------ Project Group

fn assert_docs_project_group(group: &types::ProjectGroup) {
    assert_eq!((group.id, group.name.as_str()), (234, "Project Group Name"));
    let user = group.user.as_ref().unwrap();
    assert_eq!((user.id, user.firstname.as_deref()), (933613686, Some("Jane")));
    assert_eq!(group.company.as_ref().unwrap().id, 760553185);
    assert_eq!((group.budget, group.currency.as_deref()), (Some(dec("42000.0")), Some("EUR")));
    assert!(group.custom_properties.as_ref().unwrap().is_empty());
    let project = &group.projects.as_ref().unwrap()[0];
    assert_eq!((project.id, project.identifier.as_deref(), project.active), (944958556, Some("P1234"), Some(true)));
    assert_eq!(group.created_at, Some(utc("2024-08-16T08:36:44Z")));
}

#[tokio::test]
async fn list_project_groups_sends_every_filter() {
    let server = MockServer::start_async().await;
    let body = response_example("list_project_groups");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/groups")
                .is_true(exact_query(&[
                    ("page", "2"),
                    ("per_page", "50"),
                    ("sort_by", "name asc"),
                    ("updated_after", UPDATED_AFTER),
                    ("ids", "234,235"),
                    ("custom_properties[Sector][]", "Pharma"),
                    ("custom_properties[Sector][]", "Chemistry"),
                    ("user_id", "933613686"),
                    ("company_id", "760553185"),
                ]))
                .is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let groups = client(&server)
        .filter_custom_fields(&CustomFields::new().with("Sector", ["Pharma", "Chemistry"]))
        .list_project_groups()
        .page(2)
        .per_page(50)
        .sort_by(SortBy::asc("name"))
        .updated_after(utc(UPDATED_AFTER))
        .ids([234, 235])
        .user_id(933613686)
        .company_id(760553185)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_decoded(&groups, &body);
    assert_docs_project_group(&groups[0]);
}

#[tokio::test]
async fn get_project_group() {
    let server = MockServer::start_async().await;
    let body = example("ProjectGroup");
    let mock = server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/groups/234").is_true(exact_query(&[])).is_true(no_body());
            then.status(200).json_body(body.clone());
        })
        .await;
    let group = client(&server).get_project_group(234).send().await.unwrap();
    mock.assert_async().await;
    assert_decoded(&group, &body);
    assert_docs_project_group(&group);
    assert!(group.customer_report_url.as_deref().unwrap().ends_with("/customer_report/1142853e926ee7c4dd7e"));
}

#[tokio::test]
async fn project_group_shapes_real_servers_send() {
    let server = MockServer::start_async().await;
    let sparse = with_nulls("ProjectGroup", &example("ProjectGroup"));
    let mut sparse_projects = sparse.clone();
    sparse_projects["projects"] = json!([with_nulls("ProjectGroupProject", &example("ProjectGroupProject"))]);
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/groups/1");
            then.status(200).json_body(sparse.clone());
        })
        .await;
    server
        .mock_async(|when, then| {
            moco(when, GET, "/projects/groups/2");
            then.status(200).json_body(sparse_projects.clone());
        })
        .await;
    let client = client(&server);
    let group = client.get_project_group(1).send().await.unwrap();
    assert_decoded(&group, &sparse);
    assert_eq!((group.id, group.name.as_str()), (234, "Project Group Name"));
    assert!(group.user.is_none() && group.company.is_none() && group.custom_properties.is_none());
    assert_eq!((group.budget, group.currency, group.projects), (None, None, None));

    let group = client.get_project_group(2).send().await.unwrap();
    assert_decoded(&group, &sparse_projects);
    let project = &group.projects.unwrap()[0];
    assert_eq!((project.id, project.name.as_deref(), project.active, project.budget), (944958556, None, None, None));

    assert_empty_list("/projects/groups", |c| async move { c.list_project_groups().send().await }).await;
}
