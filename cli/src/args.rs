//! Reading parsed arguments as the types the client's setters take. The generated code calls
//! these with the type that matches the parameter's `Kind` (see `table.rs`).

use std::{
    io::Read,
    path::{Path, PathBuf},
    str::FromStr,
};

use clap::ArgMatches;
use serde::de::DeserializeOwned;

use crate::run::Failure;

type Value<T> = Result<Option<T>, Failure>;

/// An optional value.
pub(crate) fn opt_value<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Value<T> {
    m.try_get_one::<T>(id).map(|v| v.cloned()).map_err(|e| Failure::usage(format!("--{id}: {e}")))
}

/// A required value (clap has checked that it is there).
pub(crate) fn req_value<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Result<T, Failure> {
    opt_value(m, id)?.ok_or_else(|| Failure::usage(format!("{id} is required")))
}

/// An optional list (comma-separated or repeated).
pub(crate) fn opt_list<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Value<Vec<T>> {
    m.try_get_many::<T>(id).map(|v| v.map(|v| v.cloned().collect())).map_err(|e| Failure::usage(format!("--{id}: {e}")))
}

/// An optional enum value, as the client's enum (clap has checked it is one of the spec's values).
pub(crate) fn opt_enum<T: FromStr>(m: &ArgMatches, id: &str) -> Value<T> {
    opt_value::<String>(m, id)?.map(|text| parse_enum(id, &text)).transpose()
}

/// A required enum value.
pub(crate) fn req_enum<T: FromStr>(m: &ArgMatches, id: &str) -> Result<T, Failure> {
    parse_enum(id, &req_value::<String>(m, id)?)
}

/// An optional list of enum values.
pub(crate) fn opt_enum_list<T: FromStr>(m: &ArgMatches, id: &str) -> Value<Vec<T>> {
    opt_list::<String>(m, id)?.map(|list| list.iter().map(|text| parse_enum(id, text)).collect()).transpose()
}

fn parse_enum<T: FromStr>(id: &str, text: &str) -> Result<T, Failure> {
    text.parse().map_err(|_| Failure::usage(format!("{id}: {text:?} is not a value the client knows")))
}

/// The body of `--json-body FILE` (`-`: standard input), decoded into the client's request type:
/// a missing required field or an unknown one is reported here, before anything is sent.
pub(crate) fn json_body<T: DeserializeOwned>(m: &ArgMatches) -> Result<T, Failure> {
    json_body_opt(m)?.ok_or_else(|| Failure::usage("--json-body FILE is required"))
}

/// Like [`json_body`], when the body is optional.
pub(crate) fn json_body_opt<T: DeserializeOwned>(m: &ArgMatches) -> Value<T> {
    let Some(path) = opt_value::<PathBuf>(m, "json-body")? else { return Ok(None) };
    let bytes = read_input(&path)?;
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        Failure::usage(format!(
            "{}: not a valid request body: {e} (the fields are those of `{}` in the spec)",
            shown(&path),
            short_type_name::<T>()
        ))
    })
}

/// Reads a JSON file (`-`: standard input) as plain JSON (for `moco api`).
pub(crate) fn json_file(path: &Path) -> Result<serde_json::Value, Failure> {
    let bytes = read_input(path)?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::usage(format!("{}: not valid JSON: {e}", shown(path))))
}

/// The file of an upload flag: its name (for the multipart part) and bytes.
pub(crate) fn file(m: &ArgMatches, id: &str) -> Result<(String, Vec<u8>), Failure> {
    let path = req_value::<PathBuf>(m, id)?;
    let bytes = read_input(&path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "upload".into());
    Ok((name, bytes))
}

fn read_input(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let read =
        if path == Path::new("-") { std::io::stdin().read_to_end(&mut bytes).map(|_| ()) } else { std::fs::read(path).map(|b| bytes = b) };
    read.map_err(|e| Failure::usage(format!("cannot read {}: {e}", shown(path))))?;
    Ok(bytes)
}

fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

fn short_type_name<T>() -> &'static str {
    std::any::type_name::<T>().rsplit("::").next().unwrap_or_default()
}
