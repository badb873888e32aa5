//! `cargo xtask drift --openapi FILE [--spec FILE] [--verbose] [--report-only]`: compares
//! `openapi/moco.yaml` with another OpenAPI description of MOCO's API, in practice MOCO's own
//! (beta; `../shared/moco-openapi/v1.json`, see its `SOURCE.md`), both ways:
//!
//! - **operations** only one of them has (matched by method and path, placeholders equal);
//! - per matched operation, **param** (path and query parameters), **body** (request body
//!   fields), **response** (success response fields), **enum** (known values anywhere) and
//!   **status** (success status codes) differences.
//!
//! Types compare with the spec's conventions read as the plain forms they stand for (decimals,
//! `""` dates, `{}` objects, open enums: `types.rs`), so only real differences are reported.
//! What is compared, and which direction counts, is described in `compare.rs`.
//!
//! Not every difference is the spec's mistake: the other description is a beta and has its own
//! (SOURCE.md). A difference decided on purpose is declared in the spec with `x-openapi-drift`
//! and a reason (`declared.rs`; openapi/CONVENTIONS.md, "Declared exceptions") and counts as
//! accepted. The report groups the findings by operation and says for each what differs, in
//! which document, and what to do; the last line is a summary for a pull request. The command
//! exits 1 on any undeclared finding, malformed declaration or missing operation (unless
//! `--report-only`), 2 when it cannot read a document.

mod compare;
mod declared;
mod document;
mod fields;
#[cfg(test)]
mod tests;
mod types;

use std::path::Path;

pub use compare::{Category, Report};

/// Reads both documents and compares them.
pub fn check(spec_file: &Path, official_file: &Path) -> Result<Report, String> {
    let read = |file: &Path| std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()));
    check_text(&read(spec_file)?, &read(official_file)?)
}

pub fn check_text(spec_text: &str, official_text: &str) -> Result<Report, String> {
    let spec = document::Document::parse(spec_text).map_err(|e| format!("the spec: {e}"))?;
    let official = document::Document::parse(official_text).map_err(|e| format!("the official description: {e}"))?;
    Ok(compare::compare(&spec, &official))
}

/// `a, b, c and 4 more`.
fn names(list: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut out = list.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if list.len() > SHOWN {
        out.push_str(&format!(" and {} more", list.len() - SHOWN));
    }
    out
}

fn finding_line(finding: &compare::Finding) -> String {
    let owner = finding.owner.as_ref().map(|o| format!(" ({o})")).unwrap_or_default();
    let also = if finding.also.is_empty() { String::new() } else { format!(" [also in {}]", names(&finding.also)) };
    let todo = if finding.todo.is_empty() { String::new() } else { format!(" → {}", finding.todo) };
    format!("{}: {}{owner}: {}{also}{todo}", finding.category.name(), finding.subject, finding.detail)
}

/// The report: missing operations each way, then the findings per operation; with `verbose`
/// also the accepted (declared) differences and the declarations nothing needs.
pub fn render(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    if !report.only_official.is_empty() {
        out.push_str(&format!("== {} operations only in the official description (missing from the spec)\n", report.only_official.len()));
        for missing in &report.only_official {
            out.push_str(&format!("missing from the spec: {}\n  → {}\n", missing.label, missing.note));
        }
    }
    if !report.only_spec.is_empty() {
        out.push_str(&format!("== {} operations only in the spec (missing from the official description)\n", report.only_spec.len()));
        for missing in &report.only_spec {
            out.push_str(&format!("missing from the official description: {}\n  → {}\n", missing.label, missing.note));
        }
    }
    let differing: Vec<_> = report.operations.iter().filter(|op| !op.findings.is_empty()).collect();
    if !differing.is_empty() {
        let count: usize = differing.iter().map(|op| op.findings.len()).sum();
        out.push_str(&format!("== {count} differences in {} of {} matched operations\n", differing.len(), report.matched));
        for op in differing {
            out.push_str(&format!("{} ~ official{}\n", op.label, op.official));
            for finding in &op.findings {
                out.push_str(&format!("  {}\n", finding_line(finding)));
            }
        }
    }
    if !report.invalid.is_empty() {
        out.push_str(&format!("== {} malformed declarations\n", report.invalid.len()));
        for problem in &report.invalid {
            out.push_str(&format!("declaration: {problem}\n"));
        }
    }
    let accepted = report.accepted();
    if verbose {
        if accepted > 0 {
            out.push_str(&format!("== {accepted} declared differences, accepted\n"));
        }
        for (missing, place, reason) in &report.accepted_operations {
            out.push_str(&format!("accepted: {} is in one document only — declared on {place}: {reason}\n", missing.label));
        }
        for op in &report.operations {
            for item in &op.accepted {
                out.push_str(&format!(
                    "accepted: {}: {} — declared on {}: {}\n",
                    op.label,
                    finding_line(&item.finding),
                    item.place,
                    item.reason
                ));
            }
        }
        for (place, key, reason) in &report.unused {
            let key = if key.is_empty() { String::new() } else { format!(" `{key}`") };
            out.push_str(&format!("info: declared on {place}{key} ({reason}), but nothing differs there: remove the declaration\n"));
        }
    } else {
        if accepted > 0 {
            out.push_str(&format!("info: {accepted} declared differences accepted (--verbose lists them)\n"));
        }
        if !report.unused.is_empty() {
            out.push_str(&format!("info: {} declarations accept nothing (--verbose lists them; remove them)\n", report.unused.len()));
        }
    }
    out.push_str(&format!(
        "checked {} matched operations (spec: {}, official description: {})\n",
        report.matched, report.spec_operations, report.official_operations
    ));
    out
}

/// `openapi drift: 0 missing from the spec, 0 missing from the official description, 0 params,
/// 0 body, 0 response, 0 enum, 0 status; 3 declared (MOCO API v1 (beta) 1.0.0)`.
pub fn summary(report: &Report) -> String {
    let mut counts = vec![
        format!("{} missing from the spec", report.only_official.len()),
        format!("{} missing from the official description", report.only_spec.len()),
    ];
    for category in Category::ALL {
        let count = report.count(category);
        let name = category.name();
        counts.push(if category == Category::Param && count != 1 { format!("{count} params") } else { format!("{count} {name}") });
    }
    if !report.invalid.is_empty() {
        counts.push(format!("{} malformed declarations", report.invalid.len()));
    }
    format!("openapi drift: {}; {} declared ({})", counts.join(", "), report.accepted(), report.official_title)
}
