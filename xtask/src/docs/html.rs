//! `docs/reference.html`: the spec as one self-contained HTML page, rendered by Redocly's
//! `build-docs` from the pinned `tools/` package (`@redocly/cli`, tools/package-lock.json).
//!
//! `--inlineBundle` embeds Redoc's script, so the page works offline and from a checkout
//! (without it the page loads the script from Redocly's CDN). The output has no timestamp, no
//! absolute path and no random id: two runs give the same bytes (a test of `docs --check` in CI
//! would catch a Redocly update that changes this).

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{SystemTime, UNIX_EPOCH},
};

/// The spec, relative to the workspace root.
const SPEC: &str = "openapi/moco.yaml";

/// Why the page was not built.
#[derive(Debug)]
pub enum HtmlError {
    /// Node or the pinned tools are not installed (and could not be).
    Unavailable(String),
    /// Redocly ran and failed.
    Failed(String),
}

/// The exact command, for messages and the docs.
pub const COMMAND: &str = "tools/node_modules/.bin/redocly build-docs openapi/moco.yaml --output docs/reference.html \
    --config tools/redocly.yaml --inlineBundle";

/// Builds the page and returns its bytes. Installs the pinned Node tools first
/// (`npm ci --prefix tools --ignore-scripts`) when `tools/node_modules` lacks Redocly or is older
/// than tools/package-lock.json, and npm is there.
pub fn build(root: &Path) -> Result<Vec<u8>, HtmlError> {
    if Command::new("node").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        return Err(HtmlError::Unavailable("`node` is not installed".into()));
    }
    let redocly = root.join("tools/node_modules/.bin/redocly");
    if !redocly.exists() || lock_newer_than_install(root) {
        install(root)?;
        if !redocly.exists() {
            return Err(HtmlError::Unavailable(format!("{} is missing after `npm ci --prefix tools`", redocly.display())));
        }
    }
    let dir = temp_dir();
    fs::create_dir_all(&dir).map_err(|e| HtmlError::Failed(format!("cannot create {}: {e}", dir.display())))?;
    let output = dir.join("reference.html");
    let result = Command::new(&redocly)
        .arg("build-docs")
        .arg(SPEC)
        .arg("--output")
        .arg(&output)
        .args(["--config", "tools/redocly.yaml", "--inlineBundle"])
        .current_dir(root)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output();
    let page = match result {
        Ok(run) if run.status.success() => fs::read(&output).map_err(|e| HtmlError::Failed(format!("redocly wrote no page: {e}"))),
        Ok(run) => Err(HtmlError::Failed(format!(
            "`redocly build-docs` failed ({}):\n{}{}",
            run.status,
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        ))),
        Err(e) => Err(HtmlError::Unavailable(format!("cannot run {}: {e}", redocly.display()))),
    };
    let _ = fs::remove_dir_all(&dir);
    page
}

/// tools/package-lock.json changed after the last `npm ci` (as tools/check_spec.sh decides):
/// another Redocly would render another page.
fn lock_newer_than_install(root: &Path) -> bool {
    let modified = |path: &str| fs::metadata(root.join(path)).and_then(|m| m.modified()).ok();
    match (modified("tools/package-lock.json"), modified("tools/node_modules/.package-lock.json")) {
        (Some(lock), Some(installed)) => lock > installed,
        _ => false,
    }
}

fn install(root: &Path) -> Result<(), HtmlError> {
    if !root.join("tools/package-lock.json").exists() {
        return Err(HtmlError::Unavailable("tools/package-lock.json is missing".into()));
    }
    if Command::new("npm").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        return Err(HtmlError::Unavailable("the Node tools are not installed (tools/node_modules) and `npm` is missing".into()));
    }
    eprintln!("installing the pinned Node tools: npm ci --prefix tools --ignore-scripts");
    let status = Command::new("npm")
        .args(["ci", "--prefix", "tools", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(root)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| HtmlError::Unavailable(format!("cannot run npm: {e}")))?;
    if !status.success() {
        return Err(HtmlError::Unavailable(format!("`npm ci --prefix tools --ignore-scripts` failed ({status})")));
    }
    Ok(())
}

fn temp_dir() -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or_default();
    std::env::temp_dir().join(format!("xtask-docs-html-{}-{nanos}", std::process::id()))
}
