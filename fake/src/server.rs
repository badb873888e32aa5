//! The HTTP side: an accept loop serving an axum `Router` per connection (so that a fault can
//! reset the connection), and the pipeline every request goes through: latency and faults,
//! routing, API key, rate limit, impersonation, parameter and body validation, then the
//! operation itself and the web hook deliveries it causes.

use std::{
    convert::Infallible,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::Response,
    Router,
};
use chrono::{DateTime, NaiveDate};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{mpsc, watch, Notify},
    task::JoinSet,
    time::Instant,
};
use tower::ServiceExt;

use crate::{
    answers,
    handlers::{self, Call, Reply, ReplyBody},
    model::{model, OpKind},
    spec::{spec, Location, Method, Operation},
    store::{Actor, Rng, Store},
    validate::BodyValidator,
    webhooks::{self, Job, Outbox},
    AnswerStyle, Faults, SeenRequest, SlowBody,
};

pub(crate) use crate::rate_rules::Limiter;

/// Everything the request handler shares.
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    /// The owner's API key (every user has one: see `Accounts`).
    pub api_key: String,
    pub origin: String,
    /// Refuse unknown query parameters (400) instead of ignoring them.
    pub strict: AtomicBool,
    /// Request bodies beyond this many bytes are refused with 413.
    pub max_request_body: usize,
    pub faults: Mutex<FaultState>,
    pub limiter: Mutex<Limiter>,
    pub seen: Mutex<Vec<SeenRequest>>,
    pub record_requests: bool,
    /// How JSON answers are serialized.
    pub answers: Mutex<AnswerStyle>,
    pub hooks: mpsc::UnboundedSender<Job>,
    /// Web hook retries, failures and the delivery log.
    pub outbox: Outbox,
}

pub(crate) struct FaultState {
    pub faults: Faults,
    rng: Rng,
    injected: u64,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> Self {
        FaultState { rng: Rng::new(faults.seed), faults, injected: 0 }
    }

    /// The fault for the next request, if any (drawn from the seeded generator).
    fn draw(&mut self) -> Option<Fault> {
        let f = &self.faults;
        if f.max_faults.is_some_and(|max| self.injected >= max) {
            return None;
        }
        let rates = [
            (f.server_errors, Fault::ServerError),
            (f.connection_resets, Fault::Reset),
            (f.html_error_page, Fault::Html),
            (f.malformed_json, Fault::Malformed),
            (f.truncated_body, Fault::Truncated),
            (f.rate_limited, Fault::RateLimited),
            (f.resets_after_processing, Fault::ResetAfterProcessing),
            (f.stalls, Fault::Stall),
            (f.oversized_body, Fault::Oversized),
        ];
        if rates.iter().all(|(rate, _)| *rate <= 0.0) {
            return None;
        }
        let draw = self.rng.unit();
        let mut cumulative = 0.0;
        for (rate, fault) in rates {
            cumulative += rate.max(0.0);
            if draw < cumulative {
                self.injected += 1;
                return Some(fault);
            }
        }
        None
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    ServerError,
    Reset,
    Html,
    Malformed,
    Truncated,
    RateLimited,
    ResetAfterProcessing,
    Stall,
    Oversized,
}

/// Asks the connection's task to reset the connection.
#[derive(Clone)]
struct Kill(Arc<Notify>);

/// Accepts connections until shutdown, then closes the listener and returns once every open
/// connection has finished its request (so that a caller awaiting this knows the port is free).
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let router = Router::new().fallback(handle).with_state(shared);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                connections.spawn(connection(stream, router.clone(), shutdown.clone()));
            }
            // Reaps finished connections as they end.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

async fn connection(stream: TcpStream, router: Router, mut shutdown: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    // A second handle on the socket, to reset it (SO_LINGER 0) when a fault asks for it.
    let Ok(std_stream) = stream.into_std() else { return };
    let spare = std_stream.try_clone().ok();
    let Ok(stream) = TcpStream::from_std(std_stream) else { return };
    let kill = Arc::new(Notify::new());
    let handle = Kill(kill.clone());
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(handle.clone());
        let router = router.clone();
        async move { Ok::<_, Infallible>(router.oneshot(request.map(Body::new)).await.unwrap_or_else(|e| match e {})) }
    });
    let conn = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = kill.notified() => {
            if let Some(spare) = spare.and_then(|s| TcpStream::from_std(s).ok()) {
                let _ = spare.set_zero_linger();
            }
        }
        _ = shutdown.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.as_mut()).await;
        }
    }
}

fn json_response(status: u16, body: &Value) -> Response {
    let mut response = Response::new(Body::from(serde_json::to_vec(body).unwrap_or_default()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// Path parameters by name.
pub(crate) type PathParams = Vec<(String, String)>;

/// The operation a path and method name, with the path's parameters.
pub(crate) fn route(method: Method, path: &str) -> Option<(usize, PathParams)> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut best: Option<(usize, usize, PathParams)> = None;
    for (i, op) in spec().ops.iter().enumerate() {
        if op.method != method || op.segments.len() != segments.len() {
            continue;
        }
        let mut params = Vec::new();
        let mut score = 0;
        let mut matched = true;
        for (template, actual) in op.segments.iter().zip(&segments) {
            match template.matches(actual) {
                Some(Some(value)) => {
                    let crate::spec::Segment::Param { name, .. } = template else { unreachable!() };
                    let decoded = percent_decode(value);
                    if !path_value_ok(op, name, &decoded) {
                        matched = false;
                        break;
                    }
                    params.push((name.clone(), decoded));
                    score += template.literal_len();
                }
                Some(None) => score += template.literal_len(),
                None => {
                    matched = false;
                    break;
                }
            }
        }
        if matched && best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, i, params));
        }
    }
    best.map(|(_, i, params)| (i, params))
}

fn percent_decode(value: &str) -> String {
    form_urlencoded::parse(format!("v={}", value.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| value.to_string())
}

/// Integer path parameters must be integers (otherwise the path names no entity: 404).
fn path_value_ok(op: &Operation, name: &str, value: &str) -> bool {
    let Some(param) = op.params.iter().find(|p| p.location == Location::Path && p.name == name) else { return true };
    let schema = spec().resolve(&param.schema);
    match schema["type"].as_str() {
        Some("integer") => value.parse::<i64>().is_ok(),
        _ => schema["enum"].as_array().is_none_or(|values| values.iter().any(|v| v.as_str() == Some(value))),
    }
}

/// Checks a query value against its parameter's schema; `Err` names the problem.
fn check_query_value(schema: &Value, value: &str) -> Result<(), String> {
    let spec = spec();
    let schema = spec.resolve(schema);
    match schema["type"].as_str() {
        Some("integer") => value.trim().parse::<i64>().map(|_| ()).map_err(|_| format!("{value:?} is not an integer")),
        Some("number") => value.trim().parse::<f64>().map(|_| ()).map_err(|_| format!("{value:?} is not a number")),
        Some("boolean") => match value {
            "true" | "false" | "1" | "0" => Ok(()),
            _ => Err(format!("{value:?} is not true or false")),
        },
        Some("array") => value.split(',').filter(|v| !v.is_empty()).try_for_each(|item| check_query_value(&schema["items"], item.trim())),
        Some("string") => {
            if let Some(values) = schema["enum"].as_array() {
                if !values.iter().any(|v| v.as_str() == Some(value)) {
                    return Err(format!("{value:?} is not one of {}", values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")));
                }
            }
            match schema["format"].as_str() {
                Some("date") => {
                    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(|_| ()).map_err(|_| format!("{value:?} is not a date (YYYY-MM-DD)"))
                }
                Some("date-time") => {
                    DateTime::parse_from_rfc3339(value).map(|_| ()).map_err(|_| format!("{value:?} is not a timestamp (RFC 3339)"))
                }
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// The key in an `Authorization` header: `Token token=KEY` (quoted or not) or `Bearer KEY`.
fn presented_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    if let Some(rest) = value.strip_prefix("Token ") {
        let key = rest.trim().strip_prefix("token=")?;
        return Some(key.trim().trim_matches('"').to_string());
    }
    value.strip_prefix("Bearer ").map(|k| k.trim().to_string())
}

/// Why a request body was not read.
enum BodyProblem {
    /// Longer than the limit.
    TooLarge,
    /// The client's stream broke off.
    Incomplete(String),
}

/// What of a refused body's excess is still read (and dropped), so that the client, still
/// sending, reads the 413 rather than a reset; beyond this the connection just closes.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;

/// Reads a request body of at most `limit` bytes.
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, BodyProblem> {
    use http_body_util::BodyExt;
    let mut bytes = Vec::new();
    let mut excess: Option<usize> = None;
    while let Some(frame) = body.frame().await {
        let data = match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) => data,
                Err(_) => continue,
            },
            Err(e) => return Err(BodyProblem::Incomplete(e.to_string())),
        };
        match &mut excess {
            Some(drained) => {
                *drained += data.len();
                if *drained > DRAIN_BYTES {
                    break;
                }
            }
            None if bytes.len() + data.len() > limit => {
                excess = Some(0);
                bytes = Vec::new();
            }
            None => bytes.extend_from_slice(&data),
        }
    }
    match excess {
        Some(_) => Err(BodyProblem::TooLarge),
        None => Ok(Bytes::from(bytes)),
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let kill = parts.extensions.get::<Kill>().cloned();
    let bytes = match read_body(body, shared.max_request_body).await {
        Ok(bytes) => bytes,
        Err(problem) => {
            // Refused before anything else, as the proxy in front of MOCO's servers would.
            let (status, message) = match problem {
                BodyProblem::TooLarge => (
                    413,
                    format!(
                        "Request Entity Too Large: the body is over {} bytes (moco-fake's limit, FakeConfig::max_request_body)",
                        shared.max_request_body
                    ),
                ),
                BodyProblem::Incomplete(e) => (400, format!("the request body broke off: {e}")),
            };
            let operation_id = Method::parse(parts.method.as_str())
                .zip(parts.uri.path().strip_prefix("/api/v1"))
                .and_then(|(method, path)| route(method, path))
                .map(|(i, _)| spec().ops[i].id.clone());
            record(
                &shared,
                SeenRequest {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_string(),
                    query: parts.uri.query().unwrap_or_default().to_string(),
                    operation_id,
                    headers: parts.headers.clone(),
                    body: Bytes::new(),
                    status,
                },
            );
            return json_response(status, &json!({ "message": message }));
        }
    };
    let (latency, fault, slow, config) = {
        let mut faults = shared.faults.lock().unwrap_or_else(|e| e.into_inner());
        let fault = faults.draw();
        (faults.faults.latency, fault, faults.faults.slow_body, faults.faults.clone())
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut seen = SeenRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        operation_id: None,
        headers: parts.headers.clone(),
        body: bytes.clone(),
        status: 0,
    };
    let response = match fault {
        Some(Fault::ServerError) => {
            let status = match shared.faults.lock().map(|f| f.faults.server_error_status).unwrap_or(500) {
                s @ 500..=599 => s,
                _ => 500,
            };
            json_response(status, &json!({ "message": "Internal Server Error (injected by moco-fake)" }))
        }
        Some(Fault::Reset) => {
            seen.status = 0;
            record(&shared, seen);
            if let Some(Kill(kill)) = kill {
                kill.notify_one();
            }
            // The connection task drops this request with the connection.
            std::future::pending::<()>().await;
            unreachable!()
        }
        Some(Fault::RateLimited) => {
            let wait = config.rate_limited_retry_after;
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut response = json_response(
                429,
                &json!({ "message": format!("Rate limit exceeded. Retry in {seconds} seconds. (injected by moco-fake)") }),
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Some(Fault::ResetAfterProcessing) => {
            let (operation_id, _, jobs) = process(&shared, &parts, &bytes);
            seen.operation_id = operation_id;
            for job in jobs {
                let _ = shared.hooks.send(job);
            }
            record(&shared, seen);
            if let Some(Kill(kill)) = kill {
                kill.notify_one();
            }
            std::future::pending::<()>().await;
            unreachable!()
        }
        Some(Fault::Html) => {
            let mut response = Response::new(Body::from(
                "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>The upstream server is not reachable (injected by moco-fake).</p></body></html>\n",
            ));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            response
        }
        _ => {
            let (operation_id, reply, jobs) = process(&shared, &parts, &bytes);
            seen.operation_id = operation_id;
            for job in jobs {
                let _ = shared.hooks.send(job);
            }
            respond(reply, fault, config.oversized_bytes)
        }
    };
    seen.status = response.status().as_u16();
    record(&shared, seen);
    if fault == Some(Fault::Stall) {
        // Recorded first: a client that gives up may drop this request before the answer.
        tokio::time::sleep(config.stall).await;
    }
    match slow {
        Some(slow) => dribble(response, slow),
        None => response,
    }
}

fn record(shared: &Shared, seen: SeenRequest) {
    if shared.record_requests {
        shared.seen.lock().unwrap_or_else(|e| e.into_inner()).push(seen);
    }
}

/// Routing, auth, rate limit, impersonation, validation, the operation itself, and its answer
/// in the configured [`AnswerStyle`].
fn process(shared: &Shared, parts: &axum::http::request::Parts, bytes: &Bytes) -> (Option<String>, Reply, Vec<Job>) {
    let spec = spec();
    let not_found = || Reply::error(404, "Not found");
    let Some(method) = Method::parse(parts.method.as_str()) else { return (None, not_found(), Vec::new()) };
    let Some(path) = parts.uri.path().strip_prefix("/api/v1") else { return (None, not_found(), Vec::new()) };
    let Some((op_index, params)) = route(method, path) else { return (None, not_found(), Vec::new()) };
    let op = &spec.ops[op_index];
    let operation_id = Some(op.id.clone());
    let fail = |reply: Reply| (operation_id.clone(), reply, Vec::new());

    // API key: the owner's, or another user's personal key.
    let key = presented_key(&parts.headers);
    let key_user = key.as_deref().and_then(|key| {
        let store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
        store.accounts.user_of_key(key, store.owner_id, store.colls[Store::coll("/users")].keys().copied())
    });
    if op.secured && key_user.is_none() {
        return fail(Reply::error(401, "Unauthorized: the API key is missing or invalid"));
    }
    // Rate limit, per key.
    let limited = shared.limiter.lock().unwrap_or_else(|e| e.into_inner()).admit(key.as_deref().unwrap_or("anonymous"), Instant::now());
    if let Err(wait) = limited {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut reply = Reply::error(429, format!("Rate limit exceeded. Retry in {} seconds.", seconds.max(1)));
        reply.headers.push(("retry-after", seconds.max(1).to_string()));
        return fail(reply);
    }
    // Query parameters: unknown ones are ignored (refused when strict), declared ones must parse.
    let query: Vec<(String, String)> =
        form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if shared.strict.load(Ordering::Relaxed) {
        if let Some((unknown, _)) = query.iter().find(|(name, _)| !declared_in_query(op, name)) {
            return fail(Reply::error(400, format!("unknown query parameter `{unknown}` for {} (moco-fake --strict)", op.id)));
        }
    }
    for param in op.params.iter().filter(|p| p.location == Location::Query) {
        let given = query.iter().filter(|(k, _)| *k == param.name).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
        if given.is_empty() && param.required {
            return fail(Reply::error(400, format!("param is missing or the value is empty: {}", param.name)));
        }
        for value in given {
            if let Err(problem) = check_query_value(&param.schema, value) {
                return fail(Reply::error(400, format!("invalid value for parameter {}: {problem}", param.name)));
            }
        }
    }
    // Entities the path names must exist, before the body is looked at.
    let mut store = shared.store.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(missing) = handlers::check_path(&store, op_index, &params) {
        return fail(missing);
    }
    // The body.
    let body: Option<Value> = match &op.body {
        Some(declared) if declared.content_type.contains("json") => {
            let parsed = if bytes.iter().all(u8::is_ascii_whitespace) {
                if declared.required {
                    Some(json!({}))
                } else {
                    None
                }
            } else {
                match serde_json::from_slice::<Value>(bytes) {
                    Ok(value) => Some(value),
                    Err(e) => return fail(Reply::error(400, format!("malformed JSON in the request body: {e}"))),
                }
            };
            if let (Some(value), Some(validator)) = (&parsed, BodyValidator::for_operation(op)) {
                if let Some(problem) = validator.check(value) {
                    return fail(Reply::json(422, problem));
                }
            }
            parsed
        }
        _ => None,
    };

    // Impersonation.
    let owner = key_user.unwrap_or(store.owner_id);
    let actor = match parts.headers.get("x-impersonate-user-id").map(|v| v.to_str().unwrap_or_default().trim().to_string()) {
        None => Actor { user_id: owner, impersonated_by: None },
        Some(raw) => {
            let users = Store::coll("/users");
            match raw.parse::<i64>() {
                Ok(id) if store.entity(users, id).is_some() => Actor { user_id: id, impersonated_by: Some(owner) },
                _ => return fail(Reply::error(403, format!("cannot impersonate user {raw:?}: no such user"))),
            }
        }
    };
    let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = host.map(|h| format!("http://{h}")).unwrap_or_else(|| shared.origin.clone());
    let call = Call { op_index, params: &params, query: &query, body: body.as_ref(), actor, origin: &origin, path: parts.uri.path() };
    let mut reply = handlers::handle(&mut store, &call);
    remember_password(&mut store, op_index, &call, &reply);
    // MOCO's serialization habits, on the way out only (the state stays clean).
    let style = *shared.answers.lock().unwrap_or_else(|e| e.into_inner());
    if let (200..=299, ReplyBody::Json(body)) = (reply.status, &mut reply.body) {
        answers::dress(style, op, body);
    }
    for event in &mut reply.events {
        answers::dress_entity(style, event.schema, &mut event.body);
    }
    let jobs = webhooks::jobs(&mut store, std::mem::take(&mut reply.events), &shared.origin);
    (operation_id, reply, jobs)
}

/// Whether a query parameter is declared for the operation: by its name, or as a key of a
/// `deepObject` one (`custom_properties[Sector]`, `custom_properties[Sector][]`).
fn declared_in_query(op: &Operation, name: &str) -> bool {
    op.query_param(name).is_some()
        || name.split_once('[').is_some_and(|(base, rest)| {
            rest.ends_with(']') && op.query_param(base).is_some_and(|p| spec().resolve(&p.schema)["type"] == "object")
        })
}

/// A user created or updated with a `password` logs in with it from now on.
fn remember_password(store: &mut Store, op_index: usize, call: &Call<'_>, reply: &Reply) {
    let users = Store::coll("/users");
    let id = match &model().kinds[op_index] {
        OpKind::Create { coll } if *coll == users => match &reply.body {
            ReplyBody::Json(created) => created["id"].as_i64(),
            _ => None,
        },
        OpKind::Update { coll } if *coll == users => call.params.iter().find(|(k, _)| k == "id").and_then(|(_, v)| v.parse().ok()),
        _ => None,
    };
    if let (Some(id), Some(password), 200..=299) = (id, call.body.and_then(|b| b["password"].as_str()), reply.status) {
        store.accounts.set_password(id, password);
    }
}

/// The HTTP response for a reply, with a malformed, truncated or oversized body if that fault was
/// drawn.
fn respond(reply: Reply, fault: Option<Fault>, oversized_bytes: usize) -> Response {
    let (content_type, bytes): (Option<&'static str>, Vec<u8>) = match reply.body {
        ReplyBody::Json(value) => (Some("application/json; charset=utf-8"), serde_json::to_vec(&value).unwrap_or_default()),
        ReplyBody::Pdf(bytes) => (Some("application/pdf"), bytes),
        ReplyBody::Empty => (None, Vec::new()),
    };
    let mut status = reply.status;
    let mut builder = Response::builder();
    for (name, value) in &reply.headers {
        builder = builder.header(*name, value);
    }
    let response = match fault {
        Some(Fault::Malformed) => {
            if status == 204 {
                status = 200;
            }
            let broken = b"{\"id\": 1, \"name\": \"Website Relaunch\", \"tasks\": [{\"id\": 2,, \"name\"".to_vec();
            builder.header(header::CONTENT_TYPE, "application/json; charset=utf-8").body(Body::from(broken))
        }
        Some(Fault::Truncated) => {
            if status == 204 {
                status = 200;
            }
            let full = if bytes.is_empty() { b"{\"message\": \"a body that will not arrive in full\"}".to_vec() } else { bytes };
            let half = Bytes::from(full[..full.len() / 2].to_vec());
            // The error comes a moment after the half: hyper would otherwise abort the connection
            // before flushing the status, headers and half body, and the client would see no
            // answer at all instead of a body that breaks off.
            let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(half) }).chain(futures::stream::once(async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "truncated by moco-fake"))
            }));
            builder
                .header(header::CONTENT_TYPE, content_type.unwrap_or("application/json; charset=utf-8"))
                .header(header::CONTENT_LENGTH, full.len())
                .body(Body::from_stream(stream))
        }
        Some(Fault::Oversized) if content_type.is_some_and(|t| t.contains("json")) => {
            const CHUNK: usize = 64 * 1024;
            let padding = Bytes::from(vec![b' '; CHUNK.min(oversized_bytes).max(1)]);
            let mut chunks = vec![Bytes::from(bytes)];
            let mut left = oversized_bytes;
            while left > 0 {
                let n = left.min(CHUNK);
                chunks.push(padding.slice(..n));
                left -= n;
            }
            let stream = futures::stream::iter(chunks.into_iter().map(Ok::<Bytes, std::io::Error>));
            builder.header(header::CONTENT_TYPE, content_type.unwrap_or_default()).body(Body::from_stream(stream))
        }
        _ => {
            if let Some(content_type) = content_type {
                builder = builder.header(header::CONTENT_TYPE, content_type);
            }
            builder.body(Body::from(bytes))
        }
    };
    let mut response = response.unwrap_or_else(|_| Response::new(Body::empty()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// Sends the body in small chunks with a pause before each.
fn dribble(response: Response, slow: SlowBody) -> Response {
    let (mut parts, body) = response.into_parts();
    let stream = futures::stream::once(async move { axum::body::to_bytes(body, usize::MAX).await })
        .map(move |result| {
            let bytes = result.unwrap_or_default();
            let chunk = slow.chunk_size.max(1);
            let pieces: Vec<Bytes> = (0..bytes.len()).step_by(chunk).map(|i| bytes.slice(i..(i + chunk).min(bytes.len()))).collect();
            futures::stream::iter(pieces).then(move |piece| async move {
                tokio::time::sleep(slow.delay).await;
                Ok::<Bytes, std::io::Error>(piece)
            })
        })
        .flatten();
    let length = parts.headers.get(header::CONTENT_LENGTH).cloned();
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut response = Response::from_parts(parts, Body::from_stream(stream));
    if let Some(length) = length {
        response.headers_mut().insert(header::CONTENT_LENGTH, length);
    }
    response
}

use futures::StreamExt;

#[cfg(test)]
mod tests {
    use super::*;

    fn op_id(method: Method, path: &str) -> Option<&'static str> {
        route(method, path).map(|(i, _)| spec().ops[i].id.as_str())
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        assert_eq!(op_id(Method::Get, "/projects/assigned"), Some("list_assigned_projects"));
        assert_eq!(op_id(Method::Get, "/projects/12"), Some("get_project"));
        assert_eq!(op_id(Method::Get, "/projects/expenses"), Some("list_all_project_expenses"));
        assert_eq!(op_id(Method::Get, "/invoices/12.pdf"), Some("download_invoice_pdf"));
        assert_eq!(op_id(Method::Get, "/invoices/12"), Some("get_invoice"));
        assert_eq!(op_id(Method::Delete, "/projects/5/tasks/destroy_all"), Some("delete_all_project_tasks"));
        assert_eq!(op_id(Method::Get, "/projects/abc"), None);
        assert_eq!(op_id(Method::Get, "/taggings/Project/5"), Some("list_taggings"));
        assert_eq!(op_id(Method::Get, "/taggings/Nope/5"), None);
    }

    #[test]
    fn every_operation_is_routable() {
        for (i, op) in spec().ops.iter().enumerate() {
            let path: String = op
                .segments
                .iter()
                .map(|s| match s {
                    crate::spec::Segment::Literal(l) => format!("/{l}"),
                    crate::spec::Segment::Param { name, prefix, suffix } => {
                        let value = if name == "entity" { "Project".to_string() } else { "7".to_string() };
                        format!("/{prefix}{value}{suffix}")
                    }
                })
                .collect();
            let routed = route(op.method, &path).map(|(j, _)| j);
            assert_eq!(routed, Some(i), "{} {} routes elsewhere", op.id, path);
        }
    }
}
