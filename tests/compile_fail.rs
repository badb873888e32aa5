//! Misuse that must not compile (trybuild): a missing required id, a string where a list of
//! numbers is meant, the generated constructors and client state that bypass `Client::builder`.
//! The expected compiler messages are in `tests/compile_fail/*.stderr`; after an intended change
//! regenerate them with `TRYBUILD=overwrite cargo test --test compile_fail` and review the diff.

#[test]
fn misuse_does_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
