//! The fake answers like MOCO's servers (`AnswerStyle::RealWorld`, the default): decimals as
//! strings or numbers, integers as integral floats, absent dates as `""`, absent nested objects
//! as `{}`; with `AnswerStyle::Docs`, in the docs' clean form. The forms are found by walking the
//! spec's response schemas here (independently of the fake's own walk).

use std::{collections::BTreeMap, time::Duration};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{client::legacy::Client as HttpClient, rt::TokioExecutor};
use moco_fake::{AnswerStyle, FakeConfig, FakeMoco};
use serde_json::{json, Value};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

async fn fake(answers: AnswerStyle) -> FakeMoco {
    FakeMoco::start(FakeConfig { answers, ..FakeConfig::default() }).await.expect("the fake starts")
}

/// A raw `GET`: status and body.
async fn get(fake: &FakeMoco, path: &str) -> (u16, Bytes) {
    let client: HttpClient<_, Full<Bytes>> = HttpClient::builder(TokioExecutor::new()).build_http();
    let request = hyper::Request::get(format!("{}{}", fake.url(), path))
        .header("authorization", format!("Token token={}", fake.api_key()))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = client.request(request).await.unwrap();
    let status = response.status().as_u16();
    (status, response.into_body().collect().await.unwrap().to_bytes())
}

fn spec() -> &'static Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| serde_norway::from_str(moco_fake::SPEC_YAML).unwrap())
}

fn resolve(mut schema: &Value) -> &Value {
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        schema = &spec()["components"]["schemas"][reference.rsplit('/').next().unwrap()];
    }
    schema
}

/// The real-world forms, by class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Form {
    /// A decimal field not in its docs' form (a string where the docs show a number, or the
    /// other way round).
    DecimalSwitched,
    /// A decimal sent as a string where the docs show a number.
    DecimalAsString,
    /// An integer field sent as an integral float.
    IntegralFloat,
    /// An integer field sent as a numeric string.
    IntegerText,
    /// An absent date or timestamp sent as `""`.
    EmptyDate,
    /// An absent nested object sent as `{}`.
    EmptyObject,
}

/// Every real-world form in `value` (an answer of `schema`), with where it was found.
fn forms(value: &Value, schema: &Value, at: &str, found: &mut Vec<(Form, String, Value)>) {
    let schema = resolve(schema);
    if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        let branches: Vec<&Value> = branches.iter().map(resolve).collect();
        let decimal = |b: &&&Value| b["format"] == "decimal";
        if branches.iter().filter(decimal).count() == 2 {
            let docs_kind = branches[0]["type"].as_str().unwrap();
            let sent = match value {
                Value::Number(_) => "number",
                Value::String(_) => "string",
                _ => return,
            };
            if sent != docs_kind {
                found.push((Form::DecimalSwitched, at.to_string(), value.clone()));
            }
            if sent == "string" && docs_kind == "number" {
                found.push((Form::DecimalAsString, at.to_string(), value.clone()));
            }
            return;
        }
        if value == "" && branches.iter().any(|b| b["maxLength"] == 0) {
            found.push((Form::EmptyDate, at.to_string(), value.clone()));
            return;
        }
        // (Of a nested object with properties: `{}` for a map such as `custom_properties` is an
        // empty map, which the docs show too.)
        let nested_object = branches.iter().any(|b| b["properties"].is_object());
        if value == &json!({}) && nested_object && branches.iter().any(|b| b["maxProperties"] == 0) {
            found.push((Form::EmptyObject, at.to_string(), value.clone()));
            return;
        }
        for branch in branches {
            let fits = match value {
                Value::Object(_) => branch["properties"].is_object(),
                Value::Array(_) => branch["type"] == "array",
                _ => false,
            };
            if fits {
                forms(value, branch, at, found);
                return;
            }
        }
        return;
    }
    match value {
        Value::Object(fields) => {
            for (name, v) in fields {
                if let Some(prop) = schema["properties"].get(name) {
                    forms(v, prop, &format!("{at}.{name}"), found);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                forms(item, &schema["items"], &format!("{at}[{i}]"), found);
            }
        }
        Value::Number(n) if schema["type"] == "integer" && n.is_f64() => found.push((Form::IntegralFloat, at.to_string(), value.clone())),
        Value::String(text) if schema["type"] == "integer" => {
            assert!(text.parse::<i64>().is_ok(), "{at}: {text:?} is no integer");
            found.push((Form::IntegerText, at.to_string(), value.clone()));
        }
        _ => {}
    }
}

/// The field a path found by [`forms`] ends in (`/projects[0].leader` → `leader`).
fn field_of(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// Every `GET` of the spec without path parameters, with its response schema.
fn plain_gets() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec()["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let required_query = op["parameters"].as_array().into_iter().flatten().any(|p| p["required"] == true);
        if path.contains('{') || required_query {
            continue;
        }
        let schema = op["responses"]["200"]["content"]["application/json"]["schema"].clone();
        if !schema.is_null() {
            out.push((path.clone(), schema));
        }
    }
    out
}

/// The forms in the answers of every plain `GET`, by class.
async fn forms_of_every_list(fake: &FakeMoco) -> BTreeMap<Form, Vec<String>> {
    let mut by_form: BTreeMap<Form, Vec<String>> = BTreeMap::new();
    let gets = plain_gets();
    assert!(gets.len() > 50, "the spec has many plain GETs ({})", gets.len());
    for (path, schema) in gets {
        let (status, body) = get(fake, &path).await;
        assert_eq!(status, 200, "GET {path}: {}", String::from_utf8_lossy(&body));
        let value: Value = serde_json::from_slice(&body).unwrap();
        let mut found = Vec::new();
        forms(&value, &schema, &path, &mut found);
        for (form, at, _) in found {
            by_form.entry(form).or_default().push(at);
        }
    }
    by_form
}

#[tokio::test]
async fn by_default_answers_have_every_real_world_form() {
    let fake = fake(AnswerStyle::RealWorld).await;
    assert_eq!(fake.answers(), AnswerStyle::RealWorld);
    let by_form = forms_of_every_list(&fake).await;
    for form in [Form::DecimalSwitched, Form::DecimalAsString, Form::IntegralFloat, Form::IntegerText, Form::EmptyDate, Form::EmptyObject] {
        let places = by_form.get(&form).map(Vec::as_slice).unwrap_or_default();
        assert!(!places.is_empty(), "no {form:?} in any answer");
        // Not one field only: the habit covers several fields.
        let fields: std::collections::BTreeSet<&str> = places.iter().map(|p| field_of(p)).collect();
        assert!(fields.len() >= 2, "{form:?} only in {fields:?}");
    }
    // Integral floats in `..._id` fields too, never in `id`.
    let floats = &by_form[&Form::IntegralFloat];
    assert!(floats.iter().any(|p| field_of(p).ends_with("_id")), "{floats:?}");
    assert!(!floats.iter().any(|p| field_of(p) == "id"), "{floats:?}");
    assert!(!by_form[&Form::IntegerText].iter().any(|p| field_of(p) == "id"));
}

#[tokio::test]
async fn docs_answers_have_none_of_them() {
    let fake = fake(AnswerStyle::Docs).await;
    let by_form = forms_of_every_list(&fake).await;
    assert!(by_form.is_empty(), "{by_form:#?}");
}

#[tokio::test]
async fn the_style_can_be_switched_at_run_time() {
    let fake = fake(AnswerStyle::RealWorld).await;
    let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Invoice"}});
    let (_, real) = get(&fake, "/invoices").await;
    let mut found = Vec::new();
    forms(&serde_json::from_slice(&real).unwrap(), &schema, "/invoices", &mut found);
    assert!(!found.is_empty());
    fake.set_answers(AnswerStyle::Docs);
    assert_eq!(fake.answers(), AnswerStyle::Docs);
    let (_, docs) = get(&fake, "/invoices").await;
    let mut found = Vec::new();
    forms(&serde_json::from_slice(&docs).unwrap(), &schema, "/invoices", &mut found);
    assert!(found.is_empty(), "{found:?}");
    fake.set_answers(AnswerStyle::RealWorld);
    assert_eq!(get(&fake, "/invoices").await.1, real);
}

#[tokio::test]
async fn the_same_request_gets_the_same_answer() {
    let fake = fake(AnswerStyle::RealWorld).await;
    let project = fake.entities("/projects").unwrap()[0]["id"].as_i64().unwrap();
    for path in ["/projects".to_string(), format!("/projects/{project}"), "/activities?per_page=50".into(), "/invoices/payments".into()] {
        let (status, first) = get(&fake, &path).await;
        assert_eq!(status, 200);
        assert_eq!(first, get(&fake, &path).await.1, "GET {path} twice");
    }
    // And across fakes started alike.
    let again = self::fake(AnswerStyle::RealWorld).await;
    assert_eq!(get(&fake, "/deals").await.1, get(&again, "/deals").await.1);
}

#[tokio::test]
async fn values_keep_their_meaning() {
    let fake = fake(AnswerStyle::RealWorld).await;
    let (_, real) = get(&fake, "/projects").await;
    fake.set_answers(AnswerStyle::Docs);
    let (_, docs) = get(&fake, "/projects").await;
    let (real, docs): (Value, Value) = (serde_json::from_slice(&real).unwrap(), serde_json::from_slice(&docs).unwrap());
    assert_same(&real, &docs, "/projects");
    // Decimals as text: two places where the value has at most two (the seeded budgets and
    // rates have), else its own digits.
    let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Project"}});
    let mut found = Vec::new();
    forms(&real, &schema, "", &mut found);
    let texts: Vec<&str> = found.iter().filter(|(f, _, _)| *f == Form::DecimalAsString).map(|(_, _, v)| v.as_str().unwrap()).collect();
    assert!(!texts.is_empty());
    for text in texts {
        assert!(text.split_once('.').is_some_and(|(_, places)| places.len() >= 2), "{text}");
    }
    // Integral floats are integral.
    for (_, at, value) in found.iter().filter(|(f, _, _)| *f == Form::IntegralFloat) {
        assert_eq!(value.as_f64().unwrap().fract(), 0.0, "{at}");
    }
}

/// Equal, where an absent value may be `null`, `""` or `{}`, and a number may be its text.
fn assert_same(a: &Value, b: &Value, at: &str) {
    let absent = |v: &Value| v.is_null() || v == "" || v == &json!({});
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if !x.is_empty() && !y.is_empty() => {
            assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>(), "keys at {at}");
            for (k, v) in x {
                assert_same(v, &y[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "length at {at}");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                assert_same(v, w, &format!("{at}[{i}]"));
            }
        }
        _ if absent(a) && absent(b) => {}
        _ if number(a).is_some() && number(a) == number(b) => {}
        _ => assert_eq!(a, b, "at {at}"),
    }
}

/// `value` with every number (and numeric string) as an `f64`: decimals compare as numbers,
/// whatever their scale or form.
fn numbers_as_f64(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::String(s) => match s.parse::<f64>() {
            Ok(f) if s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') => json!(f),
            _ => Value::String(s),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
        Value::Object(fields) => Value::Object(fields.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect()),
        other => other,
    }
}

/// Decoded values, made comparable.
macro_rules! decoded {
    ($items:expr) => {
        numbers_as_f64(serde_json::to_value(&$items)?)
    };
}

/// Lists and gets of the main entities through the client: they decode in both styles and
/// decode to the same values.
async fn main_entities(client: &mocoapp::Client) -> Result<BTreeMap<&'static str, Value>> {
    let mut out = BTreeMap::new();
    let projects = client.list_projects().collect_all().await?;
    out.insert("project", decoded!(client.get_project(projects[3].id).send().await?));
    out.insert("projects", decoded!(projects));
    let activities = client.list_activities().collect_all().await?;
    out.insert("activity", decoded!(client.get_activity(activities[5].id).send().await?));
    out.insert("activities", decoded!(activities));
    let invoices = client.list_invoices().collect_all().await?;
    out.insert("invoice", decoded!(client.get_invoice(invoices[1].id).send().await?));
    out.insert("invoices", decoded!(invoices));
    let deals = client.list_deals().collect_all().await?;
    out.insert("deal", decoded!(client.get_deal(deals[2].id).send().await?));
    out.insert("deals", decoded!(deals));
    let purchases = client.list_purchases().collect_all().await?;
    out.insert("purchase", decoded!(client.get_purchase(purchases[0].id).send().await?));
    out.insert("purchases", decoded!(purchases));
    let payments = client.list_invoice_payments().collect_all().await?;
    out.insert("invoice payment", decoded!(client.get_invoice_payment(payments[0].id).send().await?));
    out.insert("invoice payments", decoded!(payments));
    let companies = client.list_companies().collect_all().await?;
    out.insert("company", decoded!(client.get_company(companies[4].id).send().await?));
    out.insert("companies", decoded!(companies));
    let users = client.list_users().collect_all().await?;
    out.insert("user", decoded!(client.get_user(users[1].id).send().await?));
    out.insert("users", decoded!(users));
    Ok(out)
}

#[tokio::test]
async fn the_client_reads_real_world_answers_as_the_docs_ones() -> Result {
    let fake = fake(AnswerStyle::RealWorld).await;
    let client = fake.client();
    let real = main_entities(&client).await?;
    fake.set_answers(AnswerStyle::Docs);
    let docs = main_entities(&client).await?;
    assert_eq!(real.keys().collect::<Vec<_>>(), docs.keys().collect::<Vec<_>>());
    for (name, value) in &real {
        assert_eq!(value, &docs[name], "{name}: decoded differently");
    }
    Ok(())
}

#[tokio::test]
async fn what_is_created_is_answered_and_delivered_with_the_same_habits() -> Result {
    let fake = fake(AnswerStyle::RealWorld).await;
    let client = fake.client();
    // A hook nobody listens at: the delivery fails, but is recorded with its body.
    client
        .create_web_hook()
        .body_map(|b| {
            b.target(mocoapp::types::WebHookCreateTarget::Project)
                .event(mocoapp::types::WebHookCreateEvent::Create)
                .hook("http://127.0.0.1:9/hook")
        })
        .send()
        .await?;
    let leader = client.list_users().send().await?.remove(0);
    let customer = client.list_companies().send().await?.remove(0);
    let created = client
        .create_project()
        .body_map(|b| b.name("Habits").currency("EUR").leader_id(leader.id).customer_id(customer.id).budget(1234).hourly_rate(95))
        .send()
        .await?;
    assert_eq!(created.budget, Some(mocoapp::Decimal::from(1234)));
    let (_, answer) = get(&fake, &format!("/projects/{}", created.id)).await;
    let mut deliveries = fake.webhook_deliveries();
    for _ in 0..250 {
        if !deliveries.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        deliveries = fake.webhook_deliveries();
    }
    assert_eq!(deliveries.len(), 1);
    let delivered: Value = serde_json::from_slice(&deliveries[0].body)?;
    let answered: Value = serde_json::from_slice(&answer)?;
    let mut found = Vec::new();
    forms(&delivered, &json!({"$ref": "#/components/schemas/Project"}), "", &mut found);
    assert!(!found.is_empty(), "the payload has the habits: {delivered}");
    // The same fields, the same way (the answer is newer only in what the clock set).
    for (form, at, _) in &found {
        let field = at.trim_start_matches('.');
        if !field.contains(['.', '[']) {
            assert_eq!(delivered[field], answered[field], "{form:?} at {field}");
        }
    }
    // The state stays clean.
    let stored = fake.entities("/projects").unwrap().into_iter().find(|p| p["id"] == created.id).unwrap();
    let mut in_state = Vec::new();
    forms(&stored, &json!({"$ref": "#/components/schemas/Project"}), "", &mut in_state);
    assert!(in_state.is_empty(), "{in_state:?}");
    Ok(())
}
