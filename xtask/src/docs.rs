//! `cargo xtask docs [--check] [--skip-html]`: the API reference in `docs/`, generated from
//! `openapi/moco.yaml` and checked into git.
//!
//! - `docs/README.md`: the index, with the operations per section (tag) and the section's file
//!   in MOCO's docs (`x-docs-file`);
//! - `docs/<tag-slug>.md`: per tag, every operation with its Rust call as a user writes it,
//!   parameters, request and response fields, and examples (`markdown.rs`);
//! - `docs/reference.html`: the whole spec as one HTML page, by Redocly (`html.rs`).
//!
//! `docs` writes them (and removes files in `docs/` that are no longer generated); `docs --check`
//! generates them in memory (the HTML in a temporary directory) and fails, naming the files,
//! when `docs/` differs. The HTML needs Node and the pinned tools (`npm ci --prefix tools`);
//! `--skip-html` leaves it out explicitly, and the output says that it was not checked. Without
//! the flag, a missing Node is an error, so CI, where the tools are installed, always checks it.
//! Everything is deterministic and needs nothing outside the repository (no MOCO docs checkout).

mod html;
mod markdown;
mod rust;
mod schema;
mod spec;
#[cfg(test)]
mod tests;

use std::{collections::BTreeMap, fs, path::Path, process::ExitCode, time::Instant};

/// The generated HTML page.
const HTML: &str = "reference.html";

const USAGE: &str = "usage: cargo xtask docs [--check] [--skip-html]
  (no flag)    regenerate docs/ from openapi/moco.yaml
  --check      fail (naming the files) when docs/ differs from what the spec gives; writes nothing
  --skip-html  leave docs/reference.html out (it needs Node and tools/node_modules); says so";

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let mut check = false;
    let mut skip_html = false;
    for arg in args {
        match arg.as_str() {
            "--check" => check = true,
            "--skip-html" => skip_html = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("cargo xtask docs: unknown argument {other:?}\n{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    let started = Instant::now();
    let html = if skip_html { HtmlMode::Skip } else { HtmlMode::Build };
    let result = if check { check_docs(root, html) } else { write_docs(root, html) };
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(report) => {
            for line in &report.lines {
                println!("{line}");
            }
            let ok = report.stale.is_empty() && report.html_problem.is_none();
            if check && !report.stale.is_empty() {
                println!("docs/ is stale: run `cargo xtask docs` and commit the result");
            }
            if let Some(problem) = &report.html_problem {
                eprintln!("{problem}");
            }
            println!("cargo xtask docs{}: {} ({seconds:.1} s)", if check { " --check" } else { "" }, if ok { "ok" } else { "FAILED" });
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("cargo xtask docs: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether to build (or check) `docs/reference.html`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HtmlMode {
    Build,
    Skip,
}

/// What a run found or did.
#[derive(Debug, Default)]
pub struct Report {
    /// What was written, removed or found stale, for the user.
    pub lines: Vec<String>,
    /// Files (relative to the root) that differ, are missing or are not generated (`--check`).
    pub stale: Vec<String>,
    /// Why the HTML could not be built, when it was asked for.
    pub html_problem: Option<String>,
}

/// The Markdown pages the spec at `root/openapi/moco.yaml` gives: file name → content.
pub fn markdown(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let path = root.join("openapi/moco.yaml");
    let source = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let spec = spec::Spec::parse(&source)?;
    markdown::render(&spec)
}

/// Generated file name → bytes (the HTML page only when built).
type Files = BTreeMap<String, Vec<u8>>;

/// The generated files, and why the HTML is missing when it was asked for.
fn generate(root: &Path, html: HtmlMode) -> Result<(Files, Option<String>), String> {
    let mut files: Files = markdown(root)?.into_iter().map(|(name, text)| (name, text.into_bytes())).collect();
    let mut problem = None;
    if html == HtmlMode::Build {
        match html::build(root) {
            Ok(page) => {
                files.insert(HTML.to_string(), page);
            }
            Err(html::HtmlError::Unavailable(why)) => {
                problem = Some(format!(
                    "docs/{HTML} was NOT built or checked: {why}. Install Node and the pinned tools \
                     (`npm ci --prefix tools --ignore-scripts`), or pass --skip-html to leave the HTML out on purpose."
                ));
            }
            Err(html::HtmlError::Failed(why)) => problem = Some(format!("docs/{HTML}: {why}\n(the command: {})", html::COMMAND)),
        }
    }
    Ok((files, problem))
}

/// Compares `docs/` with what the spec gives; writes nothing.
pub fn check_docs(root: &Path, html: HtmlMode) -> Result<Report, String> {
    let (expected, html_problem) = generate(root, html)?;
    let docs = root.join("docs");
    let mut report = Report { html_problem, ..Report::default() };
    for (name, bytes) in &expected {
        match fs::read(docs.join(name)) {
            Ok(current) if current == *bytes => {}
            _ => report.stale.push(format!("docs/{name}")),
        }
    }
    for name in present(&docs)? {
        if !accounted_for(&name, &expected) {
            report.stale.push(format!("docs/{name}"));
        }
    }
    report.stale.sort();
    for file in &report.stale {
        let why = match file.strip_prefix("docs/") {
            Some(name) if !expected.contains_key(name) => "not generated from the spec (remove it)",
            _ if !root.join(file).exists() => "missing",
            _ if file.ends_with(HTML) => "differs from what the spec gives with the Redocly that tools/package-lock.json pins",
            _ => "differs from what the spec gives",
        };
        report.lines.push(format!("stale: {file}: {why}"));
    }
    let markdown_files = expected.keys().filter(|n| n.ends_with(".md")).count();
    let markdown_stale = expected.keys().filter(|n| n.ends_with(".md") && report.stale.contains(&format!("docs/{n}"))).count();
    report.lines.push(format!("{} of {markdown_files} Markdown files up to date", markdown_files.saturating_sub(markdown_stale)));
    report.lines.push(match (html, expected.contains_key(HTML)) {
        (HtmlMode::Skip, _) => format!("docs/{HTML} NOT checked (--skip-html)"),
        (HtmlMode::Build, true) if report.stale.iter().any(|f| f.ends_with(HTML)) => format!("docs/{HTML} is stale"),
        (HtmlMode::Build, true) => format!("docs/{HTML} up to date"),
        (HtmlMode::Build, false) => format!("docs/{HTML} NOT checked (see below)"),
    });
    Ok(report)
}

/// Writes what differs and removes files that are no longer generated.
pub fn write_docs(root: &Path, html: HtmlMode) -> Result<Report, String> {
    let (expected, html_problem) = generate(root, html)?;
    let docs = root.join("docs");
    fs::create_dir_all(&docs).map_err(|e| format!("cannot create {}: {e}", docs.display()))?;
    let mut report = Report { html_problem, ..Report::default() };
    let mut unchanged = 0;
    for (name, bytes) in &expected {
        let path = docs.join(name);
        if fs::read(&path).is_ok_and(|current| current == *bytes) {
            unchanged += 1;
            continue;
        }
        fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        report.lines.push(format!("wrote docs/{name} ({} bytes)", bytes.len()));
    }
    for name in present(&docs)? {
        if accounted_for(&name, &expected) {
            continue;
        }
        let path = docs.join(&name);
        if path.is_file() {
            fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            report.lines.push(format!("removed docs/{name} (no longer generated)"));
        } else {
            report.lines.push(format!("left docs/{name} alone (not a file; nothing generates it)"));
        }
    }
    report.lines.push(format!("{unchanged} file(s) unchanged"));
    if html == HtmlMode::Skip {
        report.lines.push(format!("docs/{HTML} NOT regenerated (--skip-html)"));
    }
    Ok(report)
}

/// A name in `docs/` that is generated. The HTML page always is, also when it was not built
/// (`--skip-html`, or no Node): then it is left alone, neither flagged nor removed.
fn accounted_for(name: &str, expected: &Files) -> bool {
    expected.contains_key(name) || name == HTML
}

/// The names in `docs/` (none when it does not exist).
fn present(docs: &Path) -> Result<Vec<String>, String> {
    let Ok(entries) = fs::read_dir(docs) else { return Ok(Vec::new()) };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", docs.display()))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}
