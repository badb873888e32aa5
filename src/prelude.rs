//! `use mocoapp::prelude::*;`: what most code using the client names, with the traits that give
//! the streams `try_next()` and `next()`; nothing else needs to be in the user's Cargo.toml.
//!
//! ```no_run
//! use mocoapp::prelude::*;
//!
//! # async fn run(client: Client) -> Result<(), Error> {
//! let mut activities = client.list_activities().from(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).stream();
//! while let Some(activity) = activities.try_next().await? {
//!     println!("{:?} {:?}", activity.date, activity.hours);
//! }
//! # Ok(()) }
//! ```

pub use chrono::{DateTime, NaiveDate, Utc};
pub use futures::{StreamExt as _, TryStreamExt as _};
pub use reqwest::Method;

pub use crate::{types, Client, ClientBuilder, CustomFields, Decimal, Error, IntoOptional, Page, RateLimit, RetryPolicy};
