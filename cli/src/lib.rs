//! `moco`: every operation of the MOCO API as a subcommand, on the `mocoapp` client.
//!
//! The subcommands come from `openapi/moco.yaml`: `cargo xtask codegen` writes `generated.rs`
//! (a table of the operations and one function per operation calling the client's typed
//! request builder; see `codegen/src/cli.rs`). The rest is written by hand: `table.rs` turns the
//! table into clap commands, `args.rs` reads the arguments as the builders' types, `run.rs`
//! runs a command (client, output, progress, errors), `exit.rs` has the exit codes, `api.rs`
//! the raw `moco api METHOD PATH`.

use std::ffi::OsString;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};

mod api;
mod args;
pub mod exit;
// Written by `cargo xtask codegen` (its own layout; `codegen --check` compares it byte for byte).
#[rustfmt::skip]
mod generated;
mod run;
mod table;

use run::{Ctx, Failure};

/// The operations of the spec that have a subcommand: `(operationId, subcommand name, aliases)`.
pub fn operations() -> impl Iterator<Item = (&'static str, &'static str, &'static [&'static str])> {
    generated::OPERATIONS.iter().map(|op| (op.id, op.name, op.aliases))
}

/// The whole command line (for completions, tests and docs).
pub fn command() -> Command {
    Command::new("moco")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Every operation of the MOCO API (mocoapp.com) as a subcommand; JSON on standard output")
        .long_about(
            "Every operation of the MOCO API (mocoapp.com) as a subcommand named after its operationId, \
             with the mocoapp client's rate limit, retries and errors. Answers are JSON on standard output \
             (lists: one page as an array, or every item as JSON lines with --all).",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("fake")
                .long("fake")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Run against the built-in fake MOCO (seeded data, started in this process) instead of MOCO_ACCOUNT"),
        )
        .arg(
            Arg::new("impersonate")
                .long("impersonate")
                .global(true)
                .value_name("USER_ID")
                .value_parser(value_parser!(i64))
                .help("Act on behalf of this user (X-IMPERSONATE-USER-ID; the key's owner needs the Staff permission)"),
        )
        .subcommands(generated::OPERATIONS.iter().map(table::Op::subcommand))
        .subcommand(api::subcommand())
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script (bash, zsh, fish, elvish, powershell)")
                .arg(Arg::new("shell").required(true).value_parser(value_parser!(clap_complete::Shell))),
        )
        .after_help(
            "Environment: MOCO_ACCOUNT (your subdomain) or MOCO_BASE_URL, and MOCO_API_KEY.\n\
             Exit codes: 0 ok, 1 other, 2 usage or configuration, 3 auth (401/403), 4 not found, \
             5 validation (422), 6 rate limited, 7 transport, 8 other HTTP status (5xx).",
        )
}

/// Runs the command line (the binary's `main`) and returns the exit code.
///
/// Not generic on purpose: the 300 operations are then compiled once, in this library, not again
/// in each crate that calls it.
pub fn run(args: Vec<OsString>) -> u8 {
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return u8::try_from(e.exit_code()).unwrap_or(exit::USAGE);
        }
    };
    if let Some(("completions", m)) = matches.subcommand() {
        let Some(shell) = m.get_one::<clap_complete::Shell>("shell") else { return exit::USAGE };
        // Into memory first: clap_complete panics when its writer fails (a closed pipe).
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut command(), "moco", &mut script);
        return match std::io::Write::write_all(&mut std::io::stdout().lock(), &script) {
            Ok(()) => exit::OK,
            Err(e) => Failure::Output(e).report(),
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("moco: cannot start the async runtime: {e}");
            return exit::OTHER;
        }
    };
    match runtime.block_on(execute(&matches)) {
        Ok(()) => exit::OK,
        Err(failure) => failure.report(),
    }
}

async fn execute(matches: &ArgMatches) -> Result<(), Failure> {
    let Some((name, m)) = matches.subcommand() else { return Err(Failure::usage("no command given")) };
    let ctx = Ctx::new(m).await?;
    if name == "api" {
        return api::run(&ctx, m).await;
    }
    let op = generated::OPERATIONS.iter().find(|op| op.name == name).ok_or_else(|| Failure::usage(format!("no command {name}")))?;
    generated::dispatch(&ctx, op.id, m).await
}
