//! # moco-fake
//!
//! A fake MOCO API server built from `openapi/moco.yaml`, for tests, demos and benchmarks. It
//! runs in-process on loopback and hands you a ready [`mocoapp::Client`]:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let fake = moco_fake::FakeMoco::start(moco_fake::FakeConfig::default()).await?;
//! let projects = fake.client().list_projects().collect_all().await?;
//! # Ok(()) }
//! ```
//!
//! What it does:
//!
//! - **every operation of the spec answers**: paths and methods are routed from the spec; the
//!   API key is checked (`Token token=KEY` or `Bearer KEY`; 401 with MOCO's `{"message": ..}`
//!   otherwise; every user has a personal key, [`FakeMoco::user_api_key`]); `POST /session`
//!   checks the user's password ([`FakeConfig::password`]); operations without state answer with the spec's examples (PDF downloads with a
//!   small valid PDF);
//! - **stateful CRUD** for every collection the spec's paths describe (`/things` with
//!   `/things/{id}`, nested ones like `/projects/{project_id}/tasks`): ids are assigned in
//!   increasing order, a created entity is the schema's example merged with the request's fields,
//!   `..._id` fields fill the references they name (`leader_id` → `leader`), `created_at` and
//!   `updated_at` come from the clock, updates merge, deletes remove, unknown ids are 404;
//!   actions such as `archive`, `start_timer`, `disable` or `update_status` change the entity;
//! - a **deterministic seeded dataset** ([`FakeConfig::seed`] and the sizes beside it);
//! - MOCO's **paging** (`page`, `per_page`, `X-Page`, `X-Per-Page`, `X-Total`, `Link`) and
//!   **filters** (`ids`, `updated_after`, `sort_by`, `from`/`to`, and parameters named like a
//!   field or reference, e.g. `company_id`);
//! - **validation**: request bodies are checked against the spec (422 with
//!   `{"message", "errors": {field: [..]}}`), malformed JSON and bad query values get 400;
//!   unknown query parameters are ignored, as MOCO does, or refused with 400 when
//!   [`FakeConfig::strict`]; bodies over [`FakeConfig::max_request_body`] get 413;
//! - **impersonation** (`X-IMPERSONATE-USER-ID`): what you create belongs to that user;
//! - a **rate limit** like MOCO's ([`RateLimit`]; 429 with `Retry-After`), counted by a rule
//!   of your choice ([`RateRule`]: sliding or fixed window, token bucket, strict pace);
//! - **latency and faults** ([`Faults`]), changeable at run time with [`FakeMoco::set_faults`];
//! - **web hook deliveries** to hooks registered through `/account/web_hooks`, signed like
//!   MOCO's (see [`FakeMoco::webhook_key`]), retried with backoff and disabled after repeated
//!   failures as MOCO does ([`WebhookRetry`]);
//! - **real-world answers**, on by default ([`AnswerStyle::RealWorld`]): JSON answers and web
//!   hook payloads are serialized with the habits of MOCO's servers, which the docs' examples do
//!   not show: decimals as strings (`"17999.00"`) in some fields and as numbers in others,
//!   integers as integral floats (`10.0`) or numeric strings (`"10"`) in some fields (never
//!   `id`), absent dates as `""` and
//!   absent nested objects as `{}` in most of the fields that admit them; each field always the
//!   same way, so the same request gets the same answer. [`FakeConfig::answers`] /
//!   [`FakeMoco::set_answers`] with [`AnswerStyle::Docs`] (binary: `--docs-answers`) answer in
//!   the docs' clean form instead.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::{atomic::Ordering, Arc, Mutex},
    time::{Duration, SystemTime},
};

use serde_json::Value;
use tokio::{
    sync::{mpsc, watch},
    task::JoinHandle,
};

mod accounts;
mod answers;
mod filters;
mod handlers;
mod model;
mod pdf;
mod rate_rules;
mod reports;
mod seed;
mod server;
mod spec;
mod store;
mod validate;
mod webhooks;

#[cfg(test)]
mod coverage;

pub use accounts::DEFAULT_PASSWORD;
pub use axum::http;
pub use rate_rules::RateRule;
pub use spec::SPEC_YAML;
pub use webhooks::{signature as webhook_signature, DeliveryOutcome, WebhookRetry};

use server::{FaultState, Limiter, Shared};
use store::Store;
use webhooks::Outbox;

/// The default of [`FakeConfig::max_request_body`]: 64 MiB. MOCO documents no limit of its
/// own; this one keeps a runaway client from filling the fake's memory.
pub const DEFAULT_MAX_REQUEST_BODY: usize = 64 * 1024 * 1024;

/// How a fake starts: key, address, dataset, rate limit, faults, answer style.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// The API key the fake accepts (default `fake-api-key`).
    pub api_key: String,
    /// The address to listen on (default 127.0.0.1).
    pub host: IpAddr,
    /// The port (default 0: any free port).
    pub port: u16,
    /// Seeds the dataset (the same seed gives the same data).
    pub seed: u64,
    /// Active users; the first one owns the API key. One deactivated user comes on top (for
    /// `include_archived`).
    pub users: usize,
    /// Teams.
    pub units: usize,
    /// Active companies (customers, with suppliers and organizations among them); one archived
    /// company per seven comes on top.
    pub companies: usize,
    /// Contact persons.
    pub contacts: usize,
    /// Active projects; one archived project per six comes on top.
    pub projects: usize,
    /// Tasks of each project.
    pub tasks_per_project: usize,
    /// Staff contracts of each project.
    pub contracts_per_project: usize,
    /// Activities (time entries) on random tasks of random projects.
    pub activities: usize,
    /// Deals.
    pub deals: usize,
    /// Invoices.
    pub invoices: usize,
    /// Offers.
    pub offers: usize,
    /// Absences (schedules).
    pub schedules: usize,
    /// Presences.
    pub presences: usize,
    /// Purchases.
    pub purchases: usize,
    /// Tags.
    pub tags: usize,
    /// Entities of every other collection (expenses, comments, catalog services, ...).
    /// Web hooks always start empty.
    pub others: usize,
    /// The server's rate limit (default: none).
    pub rate_limit: Option<RateLimit>,
    /// How the rate limit counts (default: a sliding window, the client's own model).
    pub rate_rule: RateRule,
    /// Latency and faults injected from the start.
    pub faults: Faults,
    /// The key every web hook's deliveries are signed with; by default each hook gets its own
    /// (see [`FakeMoco::webhook_key`]).
    pub webhook_key: Option<String>,
    /// Keep every request for [`FakeMoco::requests_seen`] (default true; turn off for long
    /// benchmarks).
    pub record_requests: bool,
    /// How JSON answers are serialized: like MOCO's servers ([`AnswerStyle::RealWorld`], the
    /// default) or in the docs' clean form ([`AnswerStyle::Docs`]); changeable at run time with
    /// [`FakeMoco::set_answers`].
    pub answers: AnswerStyle,
    /// Answer 400 to a query parameter the spec does not declare for the operation (a typo such
    /// as `compnay_id` shows), instead of ignoring it as MOCO does (default false); changeable
    /// at run time with [`FakeMoco::set_strict`].
    pub strict: bool,
    /// The password of every user (default [`DEFAULT_PASSWORD`]) for `POST /session`; a user
    /// created or updated with a `password` has that one instead.
    pub password: String,
    /// Request bodies over this many bytes get 413 (default [`DEFAULT_MAX_REQUEST_BODY`]).
    pub max_request_body: usize,
    /// How failed web hook deliveries are retried and when a hook is disabled (default: MOCO's
    /// rule, [`WebhookRetry::moco`]); changeable at run time with [`FakeMoco::set_webhook_retry`].
    pub webhook_retry: WebhookRetry,
}

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            api_key: "fake-api-key".into(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 1,
            users: 8,
            units: 3,
            companies: 20,
            contacts: 30,
            projects: 25,
            tasks_per_project: 3,
            contracts_per_project: 2,
            activities: 200,
            deals: 10,
            invoices: 10,
            offers: 10,
            schedules: 20,
            presences: 20,
            purchases: 10,
            tags: 8,
            others: 3,
            rate_limit: None,
            rate_rule: RateRule::SlidingWindow,
            faults: Faults::default(),
            webhook_key: None,
            record_requests: true,
            answers: AnswerStyle::RealWorld,
            strict: false,
            password: DEFAULT_PASSWORD.into(),
            max_request_body: DEFAULT_MAX_REQUEST_BODY,
            webhook_retry: WebhookRetry::moco(),
        }
    }
}

/// How the fake serializes its JSON success answers (and its web hook payloads).
///
/// MOCO's servers (Rails) do not send what the docs' examples show; `openapi/CONVENTIONS.md`
/// ("Real answers") lists their habits, which the spec's response schemas admit. By default the
/// fake has them too, so that code tested against it meets real-world answers before production
/// does. Request validation is the same in both styles (requests stay strict), and the fake's
/// state ([`FakeMoco::entities`]) is always kept in the clean form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AnswerStyle {
    /// Like MOCO's servers (the default). Each habit applies to a stable subset of the fields
    /// whose response schema admits it, chosen per (schema, field) by a fixed hash, so a field
    /// is sent the same way in every answer and the same request gets the same answer:
    ///
    /// - **decimals** (`format: decimal`) as strings in some fields (`"17999.00"`: two places
    ///   where the value has at most two, else its own digits) and as JSON numbers in the others,
    ///   whatever form the docs show (`InvoicePayment.paid_total`, a string in the docs, is sent
    ///   as a number);
    /// - **integers as integral floats** (`10.0`) in about a third of the integer fields, and
    ///   as numeric strings (`"10"`) in a sixth of the others,
    ///   `..._id` fields and counts alike; never in fields named `id` (an entity's or a
    ///   reference's id stays a plain integer, for code that reads ids from raw JSON), nor in
    ///   lists of integers or integer enums;
    /// - **absent dates and timestamps as `""`** instead of `null` in about two thirds of the
    ///   nullable date fields;
    /// - **absent nested objects as `{}`** instead of `null` in about two thirds of the nullable
    ///   object fields.
    ///
    /// Values keep their meaning (`"17999.00"` is 17999, `10.0` is 10) and every answer still
    /// matches its response schema. Numeric strings for integers (which MOCO also sends) are not
    /// used: the schemas keep `type: integer` there.
    #[default]
    RealWorld,
    /// The docs' clean form: the state as it is kept, integers as integers, decimals in the form
    /// the docs show, `null` for absent values.
    Docs,
}

/// A server-side rate limit: `requests` per API key per `window`, counted as
/// [`FakeConfig::rate_rule`] says (by default at most `requests` in any span of `window`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The window's length.
    pub window: Duration,
}

impl RateLimit {
    /// MOCO's standard plan: 120 requests per 2 minutes.
    pub const fn standard() -> Self {
        RateLimit { requests: 120, window: Duration::from_secs(120) }
    }

    /// MOCO's unlimited plan: 1200 requests per 2 minutes.
    pub const fn unlimited_plan() -> Self {
        RateLimit { requests: 1200, window: Duration::from_secs(120) }
    }
}

/// Latency and faults. Rates are fractions of requests (0.0 to 1.0), drawn from a generator
/// seeded with [`Faults::seed`], in this order: server errors, resets, HTML pages, malformed
/// JSON, truncated bodies, 429s, resets after processing, stalls, oversized bodies (their rates
/// add up; at most one fault per request).
///
/// | fault | what the client sees | does the request take effect? |
/// |---|---|---|
/// | `latency` | every answer (faulted or not) is delayed by this much | yes |
/// | `server_errors` | status `server_error_status` (default 500) with `{"message": ..}` | no |
/// | `connection_resets` | the TCP connection is reset (RST) before any answer | no |
/// | `html_error_page` | status 200, `text/html`, a proxy's "502 Bad Gateway" page | no |
/// | `malformed_json` | status 200 (204 becomes 200), `application/json`, a body that is not JSON | yes |
/// | `truncated_body` | the real status and headers, `Content-Length` of the full body, half of it, then the connection closes | yes |
/// | `rate_limited` | status 429 with `Retry-After: rate_limited_retry_after` (whole seconds, rounded up) and MOCO's `{"message": ..}` | no |
/// | `resets_after_processing` | the TCP connection is reset (RST) before any answer | **yes** |
/// | `stalls` | the real answer, held back for `stall` (a client with a shorter timeout gives up) | yes |
/// | `oversized_body` | the real status and JSON, followed by `oversized_bytes` of whitespace (still valid JSON), streamed in 64 KiB chunks without `Content-Length` | yes |
/// | `slow_body` | every body sent in chunks of `chunk_size` bytes, `delay` before each | yes |
///
/// Every request is in [`FakeMoco::requests_seen`], a reset one with status 0 (and its
/// `operation_id` when it took effect).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// Rate of 5xx answers.
    pub server_errors: f64,
    /// The status of those (500 to 599; anything else means 500).
    pub server_error_status: u16,
    /// Rate of connection resets.
    pub connection_resets: f64,
    /// Rate of HTML error pages with status 200.
    pub html_error_page: f64,
    /// Rate of malformed JSON bodies.
    pub malformed_json: f64,
    /// Rate of truncated bodies.
    pub truncated_body: f64,
    /// Rate of 429 answers (a storm at 1.0).
    pub rate_limited: f64,
    /// The `Retry-After` of those.
    pub rate_limited_retry_after: Duration,
    /// Rate of connection resets after the request took effect.
    pub resets_after_processing: f64,
    /// Rate of answers held back after the request took effect.
    pub stalls: f64,
    /// How long those are held back.
    pub stall: Duration,
    /// Rate of oversized bodies.
    pub oversized_body: f64,
    /// The whitespace appended to those, in bytes.
    pub oversized_bytes: usize,
    /// Every body trickles out slowly.
    pub slow_body: Option<SlowBody>,
    /// Stop injecting faults after this many (latency and slow bodies continue).
    pub max_faults: Option<u64>,
    /// Seeds the draws.
    pub seed: u64,
}

/// How slowly bodies are sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlowBody {
    /// Bytes per chunk.
    pub chunk_size: usize,
    /// Pause before each chunk.
    pub delay: Duration,
}

impl Faults {
    /// No latency, no faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Delays every answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Answers this fraction of requests with `status` (500 to 599).
    pub fn server_errors(mut self, rate: f64, status: u16) -> Self {
        self.server_errors = rate;
        self.server_error_status = status;
        self
    }

    /// Resets the connection for this fraction of requests.
    pub fn connection_resets(mut self, rate: f64) -> Self {
        self.connection_resets = rate;
        self
    }

    /// Answers this fraction of requests with an HTML error page and status 200.
    pub fn html_error_page(mut self, rate: f64) -> Self {
        self.html_error_page = rate;
        self
    }

    /// Answers this fraction of requests with a body that is not JSON.
    pub fn malformed_json(mut self, rate: f64) -> Self {
        self.malformed_json = rate;
        self
    }

    /// Cuts this fraction of bodies in half and closes the connection.
    pub fn truncated_body(mut self, rate: f64) -> Self {
        self.truncated_body = rate;
        self
    }

    /// Answers this fraction of requests with 429 and `Retry-After` (whole seconds, rounded up),
    /// without processing them.
    pub fn rate_limited(mut self, rate: f64, retry_after: Duration) -> Self {
        self.rate_limited = rate;
        self.rate_limited_retry_after = retry_after;
        self
    }

    /// Processes this fraction of requests, then resets the connection instead of answering:
    /// the request took effect, the client cannot know.
    pub fn resets_after_processing(mut self, rate: f64) -> Self {
        self.resets_after_processing = rate;
        self
    }

    /// Processes this fraction of requests, then holds the answer back for `stall`.
    pub fn stalls(mut self, rate: f64, stall: Duration) -> Self {
        self.stalls = rate;
        self.stall = stall;
        self
    }

    /// Appends `bytes` of whitespace to this fraction of JSON answers (the JSON stays valid and
    /// means the same), streamed without `Content-Length`, like a proxy that does not stop.
    pub fn oversized_body(mut self, rate: f64, bytes: usize) -> Self {
        self.oversized_body = rate;
        self.oversized_bytes = bytes;
        self
    }

    /// Sends every body in chunks of `chunk_size` bytes with `delay` before each.
    pub fn slow_body(mut self, chunk_size: usize, delay: Duration) -> Self {
        self.slow_body = Some(SlowBody { chunk_size, delay });
        self
    }

    /// Injects at most `n` faults, then behaves.
    pub fn max_faults(mut self, n: u64) -> Self {
        self.max_faults = Some(n);
        self
    }

    /// Seeds the draws.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// A request the fake received.
#[derive(Clone, Debug)]
pub struct SeenRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, e.g. `/api/v1/projects`.
    pub path: String,
    /// The raw query string (without `?`).
    pub query: String,
    /// The operation it was routed to.
    pub operation_id: Option<String>,
    /// The request headers.
    pub headers: http::HeaderMap,
    /// The raw body.
    pub body: axum::body::Bytes,
    /// The status answered (0 for a reset connection).
    pub status: u16,
}

/// One attempt of a web hook delivery (a failed delivery has one per retry, each with the same
/// headers, body and signature).
#[derive(Clone, Debug)]
pub struct WebhookDelivery {
    /// The hook's id.
    pub hook_id: i64,
    /// Where it was posted.
    pub url: String,
    /// `X-Moco-Target`.
    pub target: String,
    /// `X-Moco-Event`.
    pub event: String,
    /// The headers sent.
    pub headers: Vec<(String, String)>,
    /// The body sent.
    pub body: axum::body::Bytes,
    /// The receiver's status, if it answered.
    pub status: Option<u16>,
    /// Why the attempt failed without an answer (connection error, timeout), if it did.
    pub error: Option<String>,
    /// Which attempt this was: 1 for the first, 2 for the first retry, ...
    pub attempt: u32,
    /// When it was sent.
    pub sent_at: SystemTime,
    /// What came of it: delivered (a 2xx in time), a retry after a wait, given up, or the hook
    /// disabled (see [`WebhookRetry`]).
    pub outcome: DeliveryOutcome,
}

/// A running fake. Dropping it shuts the server down (connections finish their current
/// request); [`FakeMoco::shutdown`] also waits until it has.
pub struct FakeMoco {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    /// The accept loop and the web hook worker, awaited by `shutdown`.
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeMoco {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeMoco").field("url", &self.url()).finish()
    }
}

impl FakeMoco {
    /// Seeds the dataset and starts serving (on the current tokio runtime).
    pub async fn start(config: FakeConfig) -> std::io::Result<FakeMoco> {
        let listener = tokio::net::TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let mut store = Store::new(config.seed);
        store.fixed_hook_key = config.webhook_key.clone();
        store.accounts = accounts::Accounts::new(&config.api_key, &config.password, config.seed);
        seed::seed(&mut store, &config);
        let (hooks_tx, hooks_rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            api_key: config.api_key.clone(),
            origin: format!("http://{addr}"),
            strict: config.strict.into(),
            max_request_body: config.max_request_body,
            faults: Mutex::new(FaultState::new(config.faults.clone())),
            limiter: Mutex::new(Limiter::new(config.rate_limit, config.rate_rule)),
            seen: Mutex::new(Vec::new()),
            record_requests: config.record_requests,
            answers: Mutex::new(config.answers),
            hooks: hooks_tx,
            outbox: Outbox::new(config.webhook_retry),
        });
        let (shutdown, shutdown_rx) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(webhooks::worker(hooks_rx, shared.clone(), shutdown_rx.clone())),
            tokio::spawn(server::serve(listener, shared.clone(), shutdown_rx)),
        ];
        Ok(FakeMoco { shared, addr, shutdown, tasks })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234/api/v1`.
    pub fn url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key of the owner (the first seeded user); every other user has a personal key
    /// too ([`FakeMoco::user_api_key`]).
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// The personal API key of a user (what `POST /session` hands out for them): requests with
    /// it act as that user. The owner's is [`FakeMoco::api_key`]. `None` for an unknown user.
    pub fn user_api_key(&self, user_id: i64) -> Option<String> {
        let store = self.store();
        store.entity(Store::coll("/users"), user_id)?;
        Some(store.accounts.key_of(user_id, store.owner_id))
    }

    /// The id of the user who owns the API key (the first seeded user).
    pub fn owner_id(&self) -> i64 {
        self.store().owner_id
    }

    /// A client builder pointed at the fake, with its key and no client-side rate limit.
    pub fn client_builder(&self) -> mocoapp::ClientBuilder {
        mocoapp::Client::builder().base_url(self.url()).api_key(self.api_key()).rate_limit(mocoapp::RateLimit::off())
    }

    /// A ready client: the fake's URL and key, no client-side rate limit, default retries.
    pub fn client(&self) -> mocoapp::Client {
        self.client_builder().build().expect("a client for the fake's URL and key builds")
    }

    /// Replaces the latency and faults (the draws restart from `faults.seed`).
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().unwrap_or_else(|e| e.into_inner()) = FaultState::new(faults);
    }

    /// The current latency and faults.
    pub fn faults(&self) -> Faults {
        self.shared.faults.lock().unwrap_or_else(|e| e.into_inner()).faults.clone()
    }

    /// Switches how JSON answers (and web hook payloads) are serialized from the next request on.
    pub fn set_answers(&self, style: AnswerStyle) {
        *self.shared.answers.lock().unwrap_or_else(|e| e.into_inner()) = style;
    }

    /// How JSON answers are serialized now.
    pub fn answers(&self) -> AnswerStyle {
        *self.shared.answers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Refuses (`true`) or ignores (`false`, MOCO's way) query parameters the spec does not
    /// declare for the operation, from the next request on (see [`FakeConfig::strict`]).
    pub fn set_strict(&self, strict: bool) {
        self.shared.strict.store(strict, Ordering::Relaxed);
    }

    /// Whether unknown query parameters are refused.
    pub fn strict(&self) -> bool {
        self.shared.strict.load(Ordering::Relaxed)
    }

    /// Replaces the web hook retry rule, for the attempts made from now on.
    pub fn set_webhook_retry(&self, retry: WebhookRetry) {
        *self.shared.outbox.retry.lock().unwrap_or_else(|e| e.into_inner()) = retry;
    }

    /// The web hook retry rule in force.
    pub fn webhook_retry(&self) -> WebhookRetry {
        *self.shared.outbox.retry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the rate limit (`None` switches it off), keeping its rule; the count starts
    /// afresh.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        let mut limiter = self.shared.limiter.lock().unwrap_or_else(|e| e.into_inner());
        *limiter = Limiter::new(limit, limiter.rule);
    }

    /// Replaces how the rate limit counts ([`RateRule`]); the count starts afresh.
    pub fn set_rate_rule(&self, rule: RateRule) {
        let mut limiter = self.shared.limiter.lock().unwrap_or_else(|e| e.into_inner());
        *limiter = Limiter::new(limiter.limit, rule);
    }

    /// Every request received so far, in order.
    pub fn requests_seen(&self) -> Vec<SeenRequest> {
        self.shared.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.seen.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The key deliveries of web hook `hook_id` are signed with (for
    /// `mocoapp::webhooks::WebhookVerifier::new`).
    pub fn webhook_key(&self, hook_id: i64) -> String {
        self.store().hook_key(hook_id)
    }

    /// Every web hook delivery attempt so far (delivered or failed, retries included), in the
    /// order they were made.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.shared.outbox.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The entities of a collection, by its list path as the spec writes it (`/projects`,
    /// `/projects/{project_id}/tasks`), in id order, as `GET` shows them in the docs' clean form
    /// ([`AnswerStyle::Docs`]; the state is kept that way). `None` if the spec has no such
    /// collection.
    pub fn entities(&self, collection: &str) -> Option<Vec<Value>> {
        let coll = model::model().collection(collection)?;
        let store = self.store();
        Some(store.colls[coll].values().map(|e| store.render(coll, e)).collect())
    }

    /// The list paths of every stateful collection.
    pub fn collections() -> Vec<&'static str> {
        model::model().collections.iter().map(|c| c.base.as_str()).collect()
    }

    /// Stops serving and waits until the server has stopped: the listener is closed (the port
    /// refuses connections), requests in progress have been answered (each connection gets up to
    /// 5 s), and web hook deliveries have stopped (pending retries are dropped).
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.shared.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for FakeMoco {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
