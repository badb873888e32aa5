//! Integration tests against a mock MOCO server (httpmock). One test binary, one module per
//! concern, so the crate is compiled and linked once.

mod support;

mod config;
mod errors;
mod impersonation;
mod pagination;
mod people;
mod planning;
mod projects;
mod rate_limit;
mod retry;
mod secrets;
mod session;
mod surface;
mod timetracking;
mod webhooks;
