//! Exit codes: what a script can tell apart without reading stderr. README.md lists them.

use mocoapp::Error;

/// Success.
pub const OK: u8 = 0;
/// Anything not listed below: an answer that does not decode, a list that kept changing while it
/// was read, an answer beyond the size limit, an output that cannot be written.
pub const OTHER: u8 = 1;
/// Usage or configuration: bad arguments, an unreadable or invalid `--json-body`, missing or
/// malformed `MOCO_ACCOUNT`/`MOCO_BASE_URL`/`MOCO_API_KEY` (clap's own code for bad arguments).
pub const USAGE: u8 = 2;
/// Authentication or permission: 401 (the API key is wrong or revoked) or 403.
pub const AUTH: u8 = 3;
/// 404: no such entity.
pub const NOT_FOUND: u8 = 4;
/// Validation: 422 (MOCO did not accept the data), or a request the client refused to send (a
/// required body field missing).
pub const VALIDATION: u8 = 5;
/// 429 after the client's retries.
pub const RATE_LIMITED: u8 = 6;
/// Transport: no complete answer (connection refused or reset, TLS, timeout, a body that broke off).
pub const TRANSPORT: u8 = 7;
/// Another HTTP status: a 5xx after the retries, a proxy's page, a status the spec does not declare.
pub const SERVER: u8 = 8;

/// The exit code of a client error.
pub fn of(error: &Error) -> u8 {
    match error {
        Error::Unauthorized { .. } | Error::Forbidden { .. } => AUTH,
        Error::NotFound { .. } => NOT_FOUND,
        Error::Unprocessable { .. } | Error::InvalidRequest(_) => VALIDATION,
        Error::RateLimited { .. } => RATE_LIMITED,
        Error::Transport(_) => TRANSPORT,
        Error::Http { .. } => SERVER,
        Error::Config(_) => USAGE,
        _ => OTHER,
    }
}
