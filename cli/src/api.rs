//! `moco api METHOD PATH [--query k=v].. [--json-body FILE]`: any endpoint, also one the spec
//! lacks, through the client's raw requests (`Client::request`): the same authentication,
//! impersonation, rate limit, retries and errors as every other command.

use std::path::PathBuf;

use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};

use crate::{
    args,
    run::{Ctx, Failure},
};

pub(crate) fn subcommand() -> Command {
    Command::new("api")
        .about("Call any endpoint (also one the spec lacks): moco api GET /projects --query per_page=5")
        .long_about(
            "Call any endpoint below the base URL (/api/v1), also one the spec lacks, with the client's \
             authentication, impersonation, rate limit, retries and errors. Prints the JSON answer.",
        )
        .arg(Arg::new("method").required(true).value_name("METHOD").help("GET, POST, PUT, PATCH or DELETE"))
        .arg(Arg::new("path").required(true).value_name("PATH").help("The path below /api/v1, e.g. /projects/123"))
        .arg(
            Arg::new("query")
                .long("query")
                .short('q')
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A query parameter (repeatable)"),
        )
        .arg(
            Arg::new("json-body")
                .long("json-body")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("A JSON file to send as the body (`-`: standard input)"),
        )
}

pub(crate) async fn run(ctx: &Ctx, m: &ArgMatches) -> Result<(), Failure> {
    let method = args::req_value::<String>(m, "method")?;
    let method = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| Failure::usage(format!("{method:?} is not an HTTP method")))?;
    let path = args::req_value::<String>(m, "path")?;
    let body = args::opt_value::<PathBuf>(m, "json-body")?.map(|path| args::json_file(&path)).transpose()?;
    let mut request = ctx.client.request(method, &path);
    for pair in m.get_many::<String>("query").into_iter().flatten() {
        let (name, value) = pair.split_once('=').ok_or_else(|| Failure::usage(format!("--query {pair:?}: expected NAME=VALUE")))?;
        request = request.query(name, value);
    }
    if let Some(body) = &body {
        request = request.json(body);
    }
    let answer: serde_json::Value = request.send().await?;
    ctx.print(&answer)
}
