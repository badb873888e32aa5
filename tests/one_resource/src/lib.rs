//! Nothing but the tests in `tests/`: the client with the `projects` feature alone.
