//! `cargo xtask drift [--docs PATH] [--openapi FILE] [--spec FILE] [--verbose] [--report-only]`
//! compares `openapi/moco.yaml` with MOCO's docs (`--docs`, below), with another OpenAPI
//! description of the API (`--openapi`, in practice MOCO's own beta description: see
//! `drift/openapi.rs`), or with both. `--report-only` prints the reports but exits 0 on findings,
//! for a CI step that informs while known gaps are being closed; by default findings fail.
//!
//! `--docs PATH` compares the spec with a checkout of MOCO's markdown API docs (the `everii-Group/mocoapp-api-docs` repository, or a
//! snapshot of it) and lists the gaps:
//!
//! - **missing endpoints**: a `## METHOD /path` heading (or, on a page without such headings, a
//!   curl example) that no operation describes;
//! - **removed**: an operation the docs no longer mention;
//! - **params**: a query parameter of the docs (parameter list or table, curl query string) the
//!   operation lacks, or a query parameter of the operation its docs section never mentions (the
//!   global `page`, `per_page`, `sort_by`, `updated_after`, `ids` and `custom_properties`
//!   excepted);
//! - **fields**: a key of a docs JSON example (response examples, curl `-d` bodies) or a listed
//!   body field the matching schema lacks, or a property of a schema the docs showed that appears
//!   nowhere in the docs.
//!
//! Each of these is an error: the command exits 1 when there is any. Schema properties the docs
//! mention only in prose, never in an example or parameter list, are information (counted in the
//! output, listed with `--verbose`). The last line is a summary to paste into a pull request:
//! `drift: 0 missing endpoints, 0 removed, 0 params, 0 fields (docs @ <rev>)`.
//!
//! How operations find their docs, and what each check compares, is described in `compare.rs`.
//! The docs' heading typos need no list here: paths compare with placeholders equal and the
//! leading `/` optional, an operation also matches its endpoint's curl example, and where neither
//! settles it the operation names its heading with `x-docs-heading` (openapi/CONVENTIONS.md).
//! Operations marked `x-source: openapi` (only MOCO's OpenAPI description has them) are left to
//! `--openapi`; an `x-alias-of` operation (a PUT or PATCH beside the documented update) belongs to
//! the docs section of the operation it is an alias of.

mod compare;
mod docs;
mod json;
mod openapi;
mod spec;
#[cfg(test)]
mod tests;

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

pub use compare::Report;

const USAGE: &str = "usage: cargo xtask drift [--docs PATH] [--openapi FILE] [--spec FILE] [--verbose] [--report-only]\n\
  --docs PATH: a checkout of MOCO's API docs (the directory that holds sections/)\n\
  --openapi FILE: another OpenAPI description of MOCO's API (MOCO's own: ../shared/moco-openapi/v1.json)\n\
  --spec FILE: the spec to check (default openapi/moco.yaml)\n\
  --verbose: also list information and the accepted (declared) differences\n\
  --report-only: print the report but exit 0 on findings (2 still means an unreadable input)";

/// What to compare the spec with, and how to report.
#[derive(Default)]
struct Args {
    docs: Option<PathBuf>,
    openapi: Option<PathBuf>,
    spec: Option<PathBuf>,
    verbose: bool,
    report_only: bool,
}

/// `Ok(None)` for `--help`.
fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut out = Args::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // `--docs=PATH` as well as `--docs PATH`.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value =
            |what: &str| inline.clone().or_else(|| args.next().cloned()).map(PathBuf::from).ok_or(format!("{name} needs {what}"));
        match name {
            "--docs" => out.docs = Some(value("a path")?),
            "--openapi" => out.openapi = Some(value("a file")?),
            "--spec" => out.spec = Some(value("a file")?),
            "--verbose" | "-v" => out.verbose = true,
            "--report-only" => out.report_only = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if out.docs.is_none() && out.openapi.is_none() {
        return Err("--docs PATH or --openapi FILE is required".to_string());
    }
    Ok(Some(out))
}

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let args = match parse_args(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => return usage(&problem),
    };
    let spec_file = args.spec.clone().unwrap_or_else(|| root.join("openapi/moco.yaml"));
    let mut findings = 0;
    if let Some(docs_dir) = &args.docs {
        match check(&spec_file, docs_dir) {
            Ok(report) => {
                print!("{}", render(&report, args.verbose));
                println!("{}", summary(&report, &docs_revision(docs_dir)));
                findings += report.gaps();
            }
            Err(message) => {
                eprintln!("drift: {message}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(official) = &args.openapi {
        match openapi::check(&spec_file, official) {
            Ok(report) => {
                print!("{}", openapi::render(&report, args.verbose));
                println!("{}", openapi::summary(&report));
                findings += report.findings();
            }
            Err(message) => {
                eprintln!("drift: {message}");
                return ExitCode::from(2);
            }
        }
    }
    if findings == 0 {
        ExitCode::SUCCESS
    } else if args.report_only {
        println!("drift: --report-only: {findings} findings reported, not failing");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("drift: {problem}\n{USAGE}");
    ExitCode::from(2)
}

/// Reads the spec and the docs and compares them.
pub fn check(spec_file: &Path, docs_dir: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(spec_file).map_err(|e| format!("cannot read {}: {e}", spec_file.display()))?;
    check_text(&text, docs_dir)
}

pub fn check_text(spec_text: &str, docs_dir: &Path) -> Result<Report, String> {
    let mut spec = spec::Spec::parse(spec_text)?;
    // Operations only MOCO's OpenAPI description has are `drift --openapi`'s business.
    spec.ops.retain(|op| op.source.as_deref() != Some("openapi"));
    let extra: Vec<String> = spec.ops.iter().filter_map(|op| op.docs_file.clone()).collect();
    let docs = docs::Docs::read(docs_dir, &extra)?;
    Ok(compare::compare(&spec, &docs))
}

/// The findings, one per line, grouped by kind.
pub fn render(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    for (kind, lines) in
        [("missing endpoint", &report.missing), ("removed", &report.removed), ("param", &report.params), ("field", &report.fields)]
    {
        for line in lines {
            out.push_str(&format!("{kind}: {line}\n"));
        }
    }
    let prose = report.prose_only_count();
    if prose > 0 {
        if verbose {
            for (schema, properties) in &report.prose_only {
                let list: Vec<_> = properties.iter().map(|p| format!("`{p}`")).collect();
                out.push_str(&format!("info: schema {schema}: mentioned only in the docs' prose: {}\n", list.join(", ")));
            }
        } else {
            out.push_str(&format!(
                "info: {prose} schema properties in {} schemas appear in the docs' prose but in no example or parameter list (not an error; --verbose lists them)\n",
                report.prose_only.len()
            ));
        }
    }
    out.push_str(&format!("checked {} operations against {} documented endpoints\n", report.operations, report.endpoints));
    out
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// `drift: 0 missing endpoints, 0 removed, 2 params, 1 field (docs @ 1a2b3c4d5e6f)`.
pub fn summary(report: &Report, revision: &str) -> String {
    format!(
        "drift: {}, {} removed, {}, {} (docs @ {revision})",
        plural(report.missing.len(), "missing endpoint", "missing endpoints"),
        report.removed.len(),
        plural(report.params.len(), "param", "params"),
        plural(report.fields.len(), "field", "fields"),
    )
}

/// The docs' git commit (with `-dirty` when the checkout has changes), else the commit a
/// `SOURCE.md` of a snapshot names, else the directory.
fn docs_revision(dir: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if let Some(rev) = git(&["rev-parse", "--short=12", "HEAD"]).filter(|r| !r.is_empty()) {
        let dirty = git(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
        return if dirty { format!("{rev}-dirty") } else { rev };
    }
    let display = dir.display().to_string();
    if let Ok(source) = std::fs::read_to_string(dir.join("SOURCE.md")) {
        let commit = source
            .lines()
            .filter(|l| l.contains("Commit"))
            .find_map(|l| l.split(|c: char| !c.is_ascii_hexdigit()).find(|word| word.len() >= 12).map(|w| w[..12].to_string()));
        if let Some(commit) = commit {
            return format!("{commit}, snapshot {display}");
        }
    }
    display
}
