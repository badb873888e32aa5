//! # mocoapp
//!
//! An async client for the [MOCO](https://www.mocoapp.com) API, generated from the
//! hand-maintained OpenAPI description in `openapi/moco.yaml`, plus a thin hand-written layer:
//! authentication, pagination streams, rate limiting, retries, impersonation and one error type.
//!
//! Every operation of the spec is a method on [`Client`], named after its `operationId`. Required
//! path parameters are its arguments; it returns a request builder whose setters take the
//! optional parameters (and `.body(..)`/`.body_map(..)`); `.send()` returns the decoded answer,
//! `.send_with_response()` the answer with status and headers. Lists also have `.stream()`,
//! `.pages()` and `.collect_all()`. [`Client::request`] calls any other endpoint.
//!
#![cfg_attr(feature = "full", doc = include_str!("generated/resources.md"))]
//!
//! ## Example
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use mocoapp::{Client, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::builder().account("example").api_key("YOUR_API_KEY").build()?;
//!
//! // All active projects with the tag "Digital", across every page, 200 per request.
//! let mut projects = client.list_projects().tags(["Digital"]).per_page(200).stream();
//! while let Some(project) = projects.try_next().await? {
//!     println!("{} {}", project.id, project.name);
//! }
//!
//! // The same API, on behalf of a colleague (needs the Staff permission).
//! let colleague = client.impersonate(933590696);
//! match colleague.get_project(1234).send().await {
//!     Ok(project) => println!("{:?}", project.leader),
//!     Err(Error::NotFound { .. }) => println!("no such project"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! Where things live: `client.rs` (setup), `hooks.rs` (what happens to every request),
//! `answer.rs` (what a call makes of the answer), `retry.rs`, `rate_limit.rs`, `pagination.rs`,
//! `error.rs`, `query.rs`, `raw.rs` (the escape
//! hatch); `generated.rs` includes the generated code in `generated/` (written by
//! `cargo xtask codegen`); the types, with `CustomFields` and the open enums (response enums that
//! keep unknown values), are in the `mocoapp-types` crate (`types/`), re-exported here.
#![warn(missing_docs)]
// With some resources only (see Cargo.toml's features), helpers the left-out operations would
// use go unused; the default `full` build keeps these lints.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]

#[doc(hidden)]
#[path = "fuzz_hooks.rs"]
pub mod __fuzz;
mod answer;
mod auth;
mod client;
mod download;
mod error;
mod generated;
mod hooks;
pub mod pagination;
mod query;
mod rate_limit;
mod raw;
mod retry;
#[cfg(feature = "purchases")]
mod uploads;
pub mod webhooks;

pub use auth::{ApiKey, AuthScheme};
pub use client::{ClientBuilder, ENV_ACCOUNT, ENV_API_KEY, ENV_BASE_URL};
pub use error::Error;
pub use generated::{builder, types, Client};
pub use hooks::IMPERSONATE_HEADER;
pub use mocoapp_types::{CustomFieldValue, CustomFields, Decimal, IntoOptional};
pub use pagination::Page;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use query::{Period, SortBy};
pub use rate_limit::RateLimit;
pub use raw::RawRequest;
pub use retry::RetryPolicy;
#[cfg(feature = "purchases")]
pub use uploads::StorePurchaseDocument;

/// The README's examples are compiled as doc tests, so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
