//! Integration tests against a mock MOCO server (httpmock). One test binary, one module per
//! concern, so the crate is compiled and linked once.

mod support;

mod account;
mod config;
mod crm;
mod errors;
mod faults;
mod impersonation;
mod invoices;
mod load;
mod offers_receipts;
mod official;
mod official_resources;
mod pagination;
mod pagination_integrity;
mod path_params;
mod people;
mod planning;
mod project_details;
mod projects;
mod purchases;
mod rate_limit;
mod retry;
mod secrets;
mod session;
mod surface;
mod timetracking;
mod webhooks;
