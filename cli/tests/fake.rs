//! The `moco` binary against the fake MOCO: what it sends (the fake's request log), what it
//! prints, and its exit codes. The fake's own state is the ground truth, not the client.

use std::{collections::BTreeSet, process::Output, time::Duration};

use moco_fake::{FakeConfig, FakeMoco, Faults};
use serde_json::Value;

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.stdout)))
    }

    fn lines(&self) -> Vec<Value> {
        String::from_utf8(self.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

/// Runs the binary with the fake's URL and key in the environment, as a user would.
async fn moco(fake: &FakeMoco, args: &[&str]) -> Run {
    moco_with(args, &[("MOCO_BASE_URL", &fake.url()), ("MOCO_API_KEY", fake.api_key())]).await
}

async fn moco_with(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_moco"));
    command.args(args).env_remove("MOCO_ACCOUNT").env_remove("MOCO_BASE_URL").env_remove("MOCO_API_KEY");
    command.stdin(std::process::Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    // Waited for off the runtime's threads, which serve the fake meanwhile.
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap();
    let Output { status, stdout, stderr } = output.expect("moco runs");
    Run { code: status.code().expect("moco exited"), stdout, stderr: String::from_utf8_lossy(&stderr).into_owned() }
}

async fn fake() -> FakeMoco {
    FakeMoco::start(FakeConfig::default()).await.unwrap()
}

fn ids(values: &[Value]) -> Vec<i64> {
    values.iter().map(|v| v["id"].as_i64().unwrap()).collect()
}

fn active_projects(fake: &FakeMoco) -> Vec<i64> {
    let projects = fake.entities("/projects").unwrap();
    ids(&projects.into_iter().filter(|p| p["active"] == Value::Bool(true)).collect::<Vec<_>>())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_prints_one_page_as_an_array_and_sends_the_typed_filters() {
    let fake = fake().await;
    // The request, exactly: MOCO's comma lists, typed values, the flag without a value as true.
    let run =
        moco(&fake, &["list-projects", "--company-id", "12,34", "--per-page", "200", "--include-archived", "--created-from", "2024-05-31"])
            .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json().is_array());
    let request = fake.requests_seen().into_iter().find(|r| r.path == "/api/v1/projects").unwrap();
    assert_eq!(request.method, "GET");
    let query: BTreeSet<String> = request.query.split('&').map(|p| p.replace("%2C", ",")).collect();
    let expected = ["company_id=12,34", "per_page=200", "include_archived=true", "created_from=2024-05-31"];
    assert_eq!(query, expected.into_iter().map(String::from).collect(), "as the client sends it");

    // The answer: the page asked for, as the fake holds it.
    let run = moco(&fake, &["list-projects", "--per-page", "5"]).await;
    assert_eq!(ids(run.json().as_array().unwrap()), active_projects(&fake)[..5], "the first page only");
    let wanted = &active_projects(&fake)[2..4];
    let run = moco(&fake, &["list-projects", "--ids", &format!("{},{}", wanted[0], wanted[1])]).await;
    assert_eq!(ids(run.json().as_array().unwrap()), wanted, "the fake's filter got the ids");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_streams_every_item_of_every_page_once_as_json_lines() {
    let fake = fake().await;
    let expected = active_projects(&fake);
    assert!(expected.len() > 14, "enough projects for several pages: {}", expected.len());
    fake.clear_requests();
    let run = moco(&fake, &["list-projects", "--all", "--per-page", "7"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = ids(&run.lines());
    assert_eq!(got, expected, "each project once, in order");
    let pages = fake.requests_seen().into_iter().filter(|r| r.path == "/api/v1/projects").count();
    assert_eq!(pages, expected.len().div_ceil(7), "one request per page");
    assert!(!run.stderr.contains('\u{1b}'), "no progress bar when stderr is no terminal: {:?}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_get_prints_the_entity() {
    let fake = fake().await;
    let project = fake.entities("/projects").unwrap().remove(3);
    let id = project["id"].as_i64().unwrap().to_string();
    let run = moco(&fake, &["get-project", &id]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = run.json();
    assert_eq!(got["id"], project["id"]);
    assert_eq!(got["name"], project["name"]);
    assert_eq!(got["customer"]["id"], project["customer"]["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_sends_the_json_body_and_prints_what_was_created() {
    let fake = fake().await;
    let leader = fake.entities("/users").unwrap()[0]["id"].as_i64().unwrap();
    let customer = fake.entities("/companies").unwrap()[0]["id"].as_i64().unwrap();
    let dir = std::env::temp_dir().join(format!("moco-cli-create-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("project.json");
    let body = serde_json::json!({ "name": "From the shell", "currency": "EUR", "leader_id": leader, "customer_id": customer });
    std::fs::write(&file, body.to_string()).unwrap();
    let run = moco(&fake, &["create-project", "--json-body", file.to_str().unwrap()]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let created = run.json();
    assert_eq!(created["name"], "From the shell");
    let id = created["id"].as_i64().unwrap();
    let stored = fake.entities("/projects").unwrap().into_iter().find(|p| p["id"] == id).expect("the fake has it");
    assert_eq!(stored["name"], "From the shell");
    assert_eq!(stored["leader"]["id"], leader);
    let request = fake.requests_seen().into_iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&request.body).unwrap(), body, "the file's body, as written");

    // A body that is not the request type is refused before anything is sent.
    std::fs::write(&file, r#"{"name": "No currency", "leader_id": 1, "customer_id": 2, "colour": "red"}"#).unwrap();
    fake.clear_requests();
    let run = moco(&fake, &["create-project", "--json-body", file.to_str().unwrap()]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("project.json") && run.stderr.contains("ProjectCreate"), "{}", run.stderr);
    assert!(fake.requests_seen().is_empty(), "nothing sent");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_entity_exits_with_the_not_found_code_and_says_so() {
    let fake = fake().await;
    let run = moco(&fake, &["get-project", "999999999"]).await;
    assert_eq!(run.code, mocoapp_cli::exit::NOT_FOUND as i32);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.starts_with("moco: not found (404)") && run.stderr.contains("999999999"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_tell_auth_validation_rate_limit_transport_and_server_failures_apart() {
    let fake = fake().await;
    let wrong_key = moco_with(&["list-projects"], &[("MOCO_BASE_URL", &fake.url()), ("MOCO_API_KEY", "wrong")]).await;
    assert_eq!(wrong_key.code, mocoapp_cli::exit::AUTH as i32, "{}", wrong_key.stderr);
    assert!(wrong_key.stderr.contains("401") && wrong_key.stderr.contains("MOCO_API_KEY"), "{}", wrong_key.stderr);
    assert!(!wrong_key.stderr.contains("wrong"), "the key is never shown: {}", wrong_key.stderr);

    let no_config = moco_with(&["list-projects"], &[]).await;
    assert_eq!(no_config.code, mocoapp_cli::exit::USAGE as i32);
    assert!(no_config.stderr.contains("MOCO_ACCOUNT"), "{}", no_config.stderr);

    // The fake answers 422 to a project without its required fields (sent raw: the typed
    // command refuses such a body itself).
    let dir = std::env::temp_dir().join(format!("moco-cli-codes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "{}").unwrap();
    let invalid = moco(&fake, &["api", "POST", "/projects", "--json-body", empty.to_str().unwrap()]).await;
    assert_eq!(invalid.code, mocoapp_cli::exit::VALIDATION as i32, "{}", invalid.stderr);
    assert!(invalid.stderr.contains("422"), "{}", invalid.stderr);
    std::fs::remove_dir_all(dir).ok();

    fake.set_faults(Faults::none().rate_limited(1.0, Duration::ZERO));
    let limited = moco(&fake, &["list-projects"]).await;
    assert_eq!(limited.code, mocoapp_cli::exit::RATE_LIMITED as i32, "{}", limited.stderr);

    // A POST is not retried after a reset (it may have been processed): a transport failure.
    fake.set_faults(Faults::none().connection_resets(1.0));
    let reset = moco(&fake, &["api", "POST", "/projects"]).await;
    assert_eq!(reset.code, mocoapp_cli::exit::TRANSPORT as i32, "{}", reset.stderr);

    fake.set_faults(Faults::none().server_errors(1.0, 500));
    let server = moco(&fake, &["api", "POST", "/projects"]).await;
    assert_eq!(server.code, mocoapp_cli::exit::SERVER as i32, "{}", server.stderr);
    assert!(server.stderr.contains("500"), "{}", server.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_download_goes_to_the_output_file_or_to_standard_output() {
    let fake = fake().await;
    let invoice = fake.entities("/invoices").unwrap()[0]["id"].as_i64().unwrap().to_string();
    let file = std::env::temp_dir().join(format!("moco-cli-invoice-{}.pdf", std::process::id()));
    let run = moco(&fake, &["download-invoice-pdf", &invoice, "--output", file.to_str().unwrap()]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(&file).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(run.stdout.is_empty());
    std::fs::remove_file(&file).ok();

    let run = moco(&fake, &["download-invoice-pdf", &invoice, "--blank"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, pdf, "the same file on standard output");
    let request = fake.requests_seen().into_iter().filter(|r| r.path.ends_with(".pdf")).last().unwrap();
    assert_eq!(request.query, "blank=true");
}

#[tokio::test(flavor = "multi_thread")]
async fn api_calls_any_path_with_the_clients_settings() {
    let fake = fake().await;
    let run = moco(&fake, &["--impersonate", &fake.owner_id().to_string(), "api", "get", "/projects", "--query", "per_page=3"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(run.json().as_array().unwrap()), active_projects(&fake)[..3]);
    let request = fake.requests_seen().into_iter().last().unwrap();
    assert_eq!((request.method.as_str(), request.path.as_str(), request.query.as_str()), ("GET", "/api/v1/projects", "per_page=3"));
    assert_eq!(request.headers.get("x-impersonate-user-id").unwrap(), &fake.owner_id().to_string());
    assert!(request.headers.get("authorization").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn impersonate_applies_to_every_command() {
    let fake = fake().await;
    let user = fake.entities("/users").unwrap()[1]["id"].as_i64().unwrap().to_string();
    let run = moco(&fake, &["get-project", &active_projects(&fake)[0].to_string(), "--impersonate", &user]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = fake.requests_seen().into_iter().last().unwrap();
    assert_eq!(request.headers.get("x-impersonate-user-id").unwrap(), &user);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_built_in_fake_needs_no_account() {
    // Same seed as the fake started here: the same dataset.
    let reference = fake().await;
    let run = moco_with(&["--fake", "list-projects", "--all"], &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.lines()), active_projects(&reference));
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_are_printed_for_the_shells() {
    let run = moco_with(&["completions", "bash"], &[]).await;
    assert_eq!(run.code, 0);
    let script = String::from_utf8(run.stdout).unwrap();
    assert!(script.contains("list-projects") && script.contains("--company-id"), "bash completes commands and flags");
    let run = moco_with(&["completions", "fish"], &[]).await;
    assert!(String::from_utf8(run.stdout).unwrap().contains("download-invoice-pdf"));
}
