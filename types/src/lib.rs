//! The types of the MOCO API, generated from `openapi/moco.yaml`, with the hand-written ones
//! they use: [`CustomFields`], [`IntoOptional`] and the open enums' macro. Use them through the
//! `mocoapp` crate (`mocoapp::types`); they are a crate of their own only so that they compile
//! while the HTTP stack does.
#![warn(missing_docs)]
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]

mod custom_fields;
mod extras;
mod into_optional;
mod lenient;
mod list_item;
mod open_enum;

pub use custom_fields::{CustomFieldValue, CustomFields};
pub use into_optional::IntoOptional;
pub use list_item::ListItem;
/// The exact decimal type of every money amount and other decimal quantity (prices, rates,
/// budgets, hours, quantities, tax): read from a JSON number or a numeric string without an
/// `f64` in between, written as the docs ask. From [rust_decimal](https://docs.rs/rust_decimal).
pub use rust_decimal::Decimal;

// `types::X`: one Rust type per schema of the spec, written by `cargo xtask codegen` (nothing in
// it is written by hand); every item is gated by the features of the resources that use it.
include!("generated.rs");
