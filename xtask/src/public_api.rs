//! `cargo xtask public-api [--check]`: the public API of `mocoapp` and `mocoapp-types` as a
//! sorted listing, one line per item (paths, fields, variants, signatures, trait impls), in
//! `public-api/<crate>.txt`. With `--check` it fails when the listing differs from the committed
//! one, so that every change to what users can name shows in review (CI runs it).
//!
//! Read from rustdoc's JSON output, which needs a nightly toolchain (`cargo +nightly rustdoc
//! -- -Z unstable-options --output-format json`); the crates' default features (`full`).
//! Auto traits and blanket impls are left out: they follow from the rest.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    process::{Command, ExitCode},
};

use serde_json::Value;

/// The crates listed, by package name, and the listing's file name.
const CRATES: &[(&str, &str)] = &[("mocoapp", "mocoapp.txt"), ("mocoapp-types", "mocoapp-types.txt")];

pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let check = args.iter().any(|a| a == "--check");
    let mut stale = Vec::new();
    for (package, file) in CRATES {
        let listing = match listing(root, package) {
            Ok(listing) => listing,
            Err(e) => {
                eprintln!("public-api: {package}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let path = root.join("public-api").join(file);
        if check {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed != listing {
                print_difference(&committed, &listing);
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::create_dir_all(path.parent().unwrap()).expect("create public-api/");
            std::fs::write(&path, &listing).expect("write the listing");
            println!("wrote {} ({} lines)", path.display(), listing.lines().count());
        }
    }
    if stale.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "public-api: the public API differs from {}; if the change is intended, run `cargo xtask public-api` and commit the listing",
            stale.join(", ")
        );
        ExitCode::FAILURE
    }
}

/// Lines only in one of the two listings.
fn print_difference(committed: &str, current: &str) {
    let old: BTreeSet<&str> = committed.lines().collect();
    let new: BTreeSet<&str> = current.lines().collect();
    for line in old.difference(&new) {
        println!("- {line}");
    }
    for line in new.difference(&old) {
        println!("+ {line}");
    }
}

/// Builds the crate's rustdoc JSON and renders its listing.
fn listing(root: &Path, package: &str) -> Result<String, String> {
    let target = root.join("target/public-api");
    let status = Command::new("cargo")
        .current_dir(root)
        .args(["+nightly", "rustdoc", "--quiet", "--lib", "-p", package, "--target-dir"])
        .arg(&target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .status()
        .map_err(|e| format!("cannot run cargo +nightly rustdoc: {e}"))?;
    if !status.success() {
        return Err("cargo +nightly rustdoc failed (is the nightly toolchain installed?)".into());
    }
    let json = target.join("doc").join(format!("{}.json", package.replace('-', "_")));
    let text = std::fs::read_to_string(&json).map_err(|e| format!("cannot read {}: {e}", json.display()))?;
    let krate: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json.display()))?;
    let mut lines = BTreeSet::new();
    let root_id = krate["root"].clone();
    let name = package.replace('-', "_");
    let mut walker = Walker { index: &krate["index"], lines: &mut lines, depth: 0, canonical: BTreeMap::new() };
    walker.collect_paths(&root_id, &name);
    walker.item(&root_id, &name);
    let mut out = format!("# The public API of {package} (`cargo xtask public-api`); do not edit.\n");
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

struct Walker<'a> {
    index: &'a Value,
    lines: &'a mut BTreeSet<String>,
    depth: usize,
    /// Each item's canonical path (the shortest, then the first in order): a re-export under
    /// another path is listed as `pub use`, the item's members once.
    canonical: BTreeMap<String, String>,
}

impl Walker<'_> {
    fn key(id: &Value) -> String {
        match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// Records every public path of every item (through modules and re-exports).
    fn collect_paths(&mut self, id: &Value, path: &str) {
        if self.depth > 12 {
            return;
        }
        let key = Self::key(id);
        let shorter = |old: &String| (path.matches("::").count(), path) < (old.matches("::").count(), old.as_str());
        match self.canonical.get(&key) {
            Some(old) if !shorter(old) => return,
            _ => {
                self.canonical.insert(key, path.to_string());
            }
        }
        let Some(item) = self.get(id).cloned() else { return };
        let Some(children) = item["inner"].get("module").and_then(|m| m["items"].as_array()).cloned() else { return };
        self.depth += 1;
        for child in &children {
            let Some(c) = self.get(child).cloned() else { continue };
            if c["visibility"] != "public" {
                continue;
            }
            match c["inner"].get("use") {
                Some(u) if u["is_glob"].as_bool().unwrap_or(false) => {
                    let target = self.get(&u["id"]).cloned().unwrap_or_default();
                    for grandchild in target["inner"]["module"]["items"].as_array().into_iter().flatten() {
                        let Some(g) = self.get(grandchild).cloned() else { continue };
                        if g["visibility"] == "public" && g["name"].is_string() {
                            self.collect_paths(grandchild, &format!("{path}::{}", g["name"].as_str().unwrap()));
                        }
                    }
                }
                Some(u) => {
                    let name = u["name"].as_str().unwrap_or("?").to_string();
                    self.collect_paths(&u["id"].clone(), &format!("{path}::{name}"));
                }
                None => {
                    let name = c["name"].as_str().unwrap_or("?").to_string();
                    self.collect_paths(child, &format!("{path}::{name}"));
                }
            }
        }
        self.depth -= 1;
    }

    fn get(&self, id: &Value) -> Option<&Value> {
        let key = match id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.index.get(key).filter(|v| !v.is_null())
    }

    /// The item `id` under `path` (its full path, name included).
    fn item(&mut self, id: &Value, path: &str) {
        // Re-exports can form cycles (`pub use crate::*` inside a module); paths stay short.
        if self.depth > 12 {
            return;
        }
        let Some(item) = self.get(id).cloned() else { return };
        let Some((kind, inner)) = item["inner"].as_object().and_then(|o| o.iter().next()) else { return };
        if kind != "use" {
            if let Some(canonical) = self.canonical.get(&Self::key(id)) {
                if canonical != path {
                    self.lines.insert(format!("pub use {path} = {canonical}"));
                    return;
                }
            }
        }
        let attrs = non_exhaustive(&item);
        match kind.as_str() {
            "module" => {
                self.lines.insert(format!("pub mod {path}"));
                for child in inner["items"].as_array().into_iter().flatten() {
                    self.child(child, path);
                }
            }
            "struct" => {
                self.lines.insert(format!("{attrs}pub struct {path}{}", generics(&inner["generics"])));
                let kind = &inner["kind"];
                if let Some(fields) = kind.get("plain").and_then(|p| p["fields"].as_array()) {
                    for field in fields {
                        self.field(field, path);
                    }
                }
                if let Some(fields) = kind.get("tuple").and_then(Value::as_array) {
                    let shown: Vec<String> =
                        fields.iter().map(|f| self.get(f).map_or("_".into(), |f| ty(&f["inner"]["struct_field"]))).collect();
                    self.lines.insert(format!("pub struct {path}({})", shown.join(", ")));
                }
                self.impls(&inner["impls"], path);
            }
            "enum" => {
                self.lines.insert(format!("{attrs}pub enum {path}{}", generics(&inner["generics"])));
                for variant in inner["variants"].as_array().into_iter().flatten() {
                    let Some(v) = self.get(variant).cloned() else { continue };
                    let name = v["name"].as_str().unwrap_or("?");
                    let vkind = &v["inner"]["variant"]["kind"];
                    let shape = if let Some(fields) = vkind.get("tuple").and_then(Value::as_array) {
                        let shown: Vec<String> =
                            fields.iter().map(|f| self.get(f).map_or("_".into(), |f| ty(&f["inner"]["struct_field"]))).collect();
                        format!("({})", shown.join(", "))
                    } else if let Some(fields) = vkind.get("struct").and_then(|s| s["fields"].as_array()) {
                        for field in fields {
                            self.field(field, &format!("{path}::{name}"));
                        }
                        " { .. }".to_string()
                    } else {
                        String::new()
                    };
                    self.lines.insert(format!("{}pub variant {path}::{name}{shape}", non_exhaustive(&v)));
                }
                self.impls(&inner["impls"], path);
            }
            "union" => {
                self.lines.insert(format!("pub union {path}"));
                self.impls(&inner["impls"], path);
            }
            "trait" => {
                self.lines.insert(format!("pub trait {path}{}", generics(&inner["generics"])));
                for member in inner["items"].as_array().into_iter().flatten() {
                    let Some(m) = self.get(member).cloned() else { continue };
                    self.member(&m, path, true);
                }
                for imp in inner["implementations"].as_array().into_iter().flatten() {
                    let Some(imp) = self.get(imp).cloned() else { continue };
                    let imp = &imp["inner"]["impl"];
                    self.lines.insert(format!("impl {path} for {}", ty(&imp["for"])));
                }
            }
            "function" => {
                self.lines.insert(format!("pub fn {path}{}", signature(inner)));
            }
            "constant" => {
                self.lines.insert(format!("pub const {path}: {}", ty(&inner["type"])));
            }
            "static" => {
                self.lines.insert(format!("pub static {path}: {}", ty(&inner["type"])));
            }
            "type_alias" => {
                self.lines.insert(format!("pub type {path}{} = {}", generics(&inner["generics"]), ty(&inner["type"])));
            }
            "macro" => {
                self.lines.insert(format!("macro {path}!"));
            }
            "use" => {
                let source = inner["source"].as_str().unwrap_or("?");
                let glob = inner["is_glob"].as_bool().unwrap_or(false);
                let target = &inner["id"];
                match self.get(target).cloned() {
                    // A local item: listed where it is re-exported.
                    Some(_) if glob => {
                        self.depth += 1;
                        let module = self.get(target).cloned().unwrap_or_default();
                        for child in module["inner"]["module"]["items"].as_array().into_iter().flatten() {
                            self.child(child, path.rsplit_once("::").map_or(path, |(parent, _)| parent));
                        }
                        self.depth -= 1;
                    }
                    Some(_) => {
                        self.depth += 1;
                        self.item(target, path);
                        self.depth -= 1;
                    }
                    // Another crate's item: the re-export itself is the promise.
                    None => {
                        self.lines.insert(format!("pub use {path} = {source}{}", if glob { "::*" } else { "" }));
                    }
                }
            }
            _ => {
                self.lines.insert(format!("pub {kind} {path}"));
            }
        }
    }

    fn child(&mut self, id: &Value, parent: &str) {
        let Some(item) = self.get(id).cloned() else { return };
        if item["visibility"] != "public" {
            return;
        }
        let name = match item["inner"].get("use") {
            Some(u) => u["name"].as_str().unwrap_or("?").to_string(),
            None => item["name"].as_str().unwrap_or("?").to_string(),
        };
        self.item(id, &format!("{parent}::{name}"));
    }

    fn field(&mut self, id: &Value, parent: &str) {
        let Some(field) = self.get(id).cloned() else { return };
        if field["visibility"] != "public" {
            return;
        }
        let name = field["name"].as_str().unwrap_or("?");
        self.lines.insert(format!("pub field {parent}::{name}: {}", ty(&field["inner"]["struct_field"])));
    }

    /// Inherent methods and trait impls (not auto traits or blanket impls).
    fn impls(&mut self, impls: &Value, path: &str) {
        for imp in impls.as_array().into_iter().flatten() {
            let Some(imp) = self.get(imp).cloned() else { continue };
            let inner = &imp["inner"]["impl"];
            if inner["is_synthetic"].as_bool().unwrap_or(false) || !inner["blanket_impl"].is_null() {
                continue;
            }
            match inner["trait"].as_object() {
                Some(_) => {
                    let negative = if inner["is_negative"].as_bool().unwrap_or(false) { "!" } else { "" };
                    let name = path_of(&inner["trait"]);
                    // The compiler's marker for derived `PartialEq`: not the crate's promise.
                    if name == "StructuralPartialEq" {
                        continue;
                    }
                    // The self type by its full path (`Client` is `mocoapp::Client`).
                    let for_type = ty(&inner["for"]);
                    let short = path.rsplit("::").next().unwrap_or(path);
                    let for_type = match for_type.strip_prefix(short) {
                        Some(rest) if rest.is_empty() || rest.starts_with('<') => format!("{path}{rest}"),
                        _ => for_type,
                    };
                    self.lines.insert(format!("impl{} {negative}{name} for {for_type}", generics(&inner["generics"])));
                }
                None => {
                    for member in inner["items"].as_array().into_iter().flatten() {
                        let Some(m) = self.get(member).cloned() else { continue };
                        if m["visibility"] == "public" {
                            self.member(&m, path, false);
                        }
                    }
                }
            }
        }
    }

    fn member(&mut self, m: &Value, path: &str, in_trait: bool) {
        let name = m["name"].as_str().unwrap_or("?");
        let Some((kind, inner)) = m["inner"].as_object().and_then(|o| o.iter().next()) else { return };
        let line = match kind.as_str() {
            "function" => format!("pub fn {path}::{name}{}", signature(inner)),
            "assoc_const" | "constant" => format!("pub const {path}::{name}: {}", ty(&inner["type"])),
            "assoc_type" if in_trait => format!("pub type {path}::{name}"),
            _ => return,
        };
        self.lines.insert(line);
    }
}

fn non_exhaustive(item: &Value) -> &'static str {
    let text = item["attrs"].to_string();
    if text.contains("non_exhaustive") {
        "#[non_exhaustive] "
    } else {
        ""
    }
}

fn signature(f: &Value) -> String {
    let header = &f["header"];
    let asyncness = if header["is_async"].as_bool().unwrap_or(false) { " async" } else { "" };
    let inputs: Vec<String> = f["sig"]["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let name = pair[0].as_str().unwrap_or("_");
            let t = ty(&pair[1]);
            match (name, t.as_str()) {
                ("self", "Self") => "self".into(),
                ("self", "&Self") => "&self".into(),
                ("self", "&mut Self") => "&mut self".into(),
                _ => format!("{name}: {t}"),
            }
        })
        .collect();
    let output = match &f["sig"]["output"] {
        Value::Null => String::new(),
        t => format!(" -> {}", ty(t)),
    };
    format!("{}({}){output}{}{asyncness}", generics(&f["generics"]), inputs.join(", "), where_clause(&f["generics"]))
}

fn generics(g: &Value) -> String {
    let params: Vec<String> = g["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| !p["kind"]["type"]["is_synthetic"].as_bool().unwrap_or(false))
        .map(|p| {
            let name = p["name"].as_str().unwrap_or("?");
            match p["kind"].as_object().and_then(|o| o.iter().next()) {
                Some((k, v)) if k == "type" => {
                    let bounds = bounds(&v["bounds"]);
                    if bounds.is_empty() {
                        name.to_string()
                    } else {
                        format!("{name}: {bounds}")
                    }
                }
                Some((k, v)) if k == "const" => format!("const {name}: {}", ty(&v["type"])),
                _ => name.to_string(),
            }
        })
        .collect();
    if params.is_empty() {
        String::new()
    } else {
        format!("<{}>", params.join(", "))
    }
}

fn where_clause(g: &Value) -> String {
    let predicates: Vec<String> = g["where_predicates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let b = p.get("bound_predicate")?;
            Some(format!("{}: {}", ty(&b["type"]), bounds(&b["bounds"])))
        })
        .collect();
    if predicates.is_empty() {
        String::new()
    } else {
        format!(" where {}", predicates.join(", "))
    }
}

fn bounds(bounds: &Value) -> String {
    let shown: Vec<String> = bounds
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| match b.as_object().and_then(|o| o.iter().next()) {
            Some((k, v)) if k == "trait_bound" => {
                let modifier = if v["modifier"] == "maybe" { "?" } else { "" };
                format!("{modifier}{}", path_of(&v["trait"]))
            }
            Some((k, v)) if k == "outlives" => v.as_str().unwrap_or("'_").to_string(),
            _ => "?".into(),
        })
        .collect();
    shown.join(" + ")
}

/// A path with its generic arguments: `Result<T, Error>`, `Fn(u8) -> bool`.
fn path_of(p: &Value) -> String {
    let name = p["path"].as_str().or_else(|| p["name"].as_str()).unwrap_or("?");
    let args = &p["args"];
    if let Some(angle) = args.get("angle_bracketed") {
        let mut shown: Vec<String> = angle["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| match a.as_object().and_then(|o| o.iter().next()) {
                Some((k, v)) if k == "type" => ty(v),
                Some((k, v)) if k == "lifetime" => v.as_str().unwrap_or("'_").to_string(),
                Some((_, v)) => v.to_string(),
                None => a.as_str().unwrap_or("_").to_string(),
            })
            .collect();
        for c in angle["constraints"].as_array().into_iter().flatten() {
            let cname = c["name"].as_str().unwrap_or("?");
            match c["binding"].as_object().and_then(|o| o.iter().next()) {
                Some((k, v)) if k == "equality" => shown.push(format!("{cname} = {}", v.get("type").map_or(v.to_string(), ty))),
                Some((_, v)) => shown.push(format!("{cname}: {}", bounds(v))),
                None => shown.push(cname.to_string()),
            }
        }
        if shown.is_empty() {
            name.to_string()
        } else {
            format!("{name}<{}>", shown.join(", "))
        }
    } else if let Some(paren) = args.get("parenthesized") {
        let inputs: Vec<String> = paren["inputs"].as_array().into_iter().flatten().map(ty).collect();
        let output = match &paren["output"] {
            Value::Null => String::new(),
            t => format!(" -> {}", ty(t)),
        };
        format!("{name}({}){output}", inputs.join(", "))
    } else {
        name.to_string()
    }
}

fn ty(t: &Value) -> String {
    let Some((kind, v)) = t.as_object().and_then(|o| o.iter().next()) else {
        return t.as_str().map_or("_".into(), |s| if s == "infer" { "_".into() } else { s.to_string() });
    };
    match kind.as_str() {
        "resolved_path" => path_of(v),
        "generic" | "primitive" => v.as_str().unwrap_or("?").to_string(),
        "borrowed_ref" => {
            let lifetime = v["lifetime"].as_str().map_or(String::new(), |l| format!("{l} "));
            let mutability = if v["is_mutable"].as_bool().unwrap_or(false) { "mut " } else { "" };
            format!("&{lifetime}{mutability}{}", ty(&v["type"]))
        }
        "raw_pointer" => {
            let mutability = if v["is_mutable"].as_bool().unwrap_or(false) { "mut" } else { "const" };
            format!("*{mutability} {}", ty(&v["type"]))
        }
        "tuple" => {
            let parts: Vec<String> = v.as_array().into_iter().flatten().map(ty).collect();
            format!("({})", parts.join(", "))
        }
        "slice" => format!("[{}]", ty(v)),
        "array" => format!("[{}; {}]", ty(&v["type"]), v["len"].as_str().unwrap_or("_")),
        "impl_trait" => format!("impl {}", bounds(v)),
        "dyn_trait" => {
            let traits: Vec<String> = v["traits"].as_array().into_iter().flatten().map(|t| path_of(&t["trait"])).collect();
            let lifetime = v["lifetime"].as_str().map_or(String::new(), |l| format!(" + {l}"));
            format!("dyn {}{lifetime}", traits.join(" + "))
        }
        "qualified_path" => {
            let name = v["name"].as_str().unwrap_or("?");
            match v["trait"].as_object() {
                Some(_) => format!("<{} as {}>::{name}", ty(&v["self_type"]), path_of(&v["trait"])),
                None => format!("{}::{name}", ty(&v["self_type"])),
            }
        }
        "function_pointer" => {
            let inputs: Vec<String> = v["sig"]["inputs"].as_array().into_iter().flatten().map(|p| ty(&p[1])).collect();
            let output = match &v["sig"]["output"] {
                Value::Null => String::new(),
                t => format!(" -> {}", ty(t)),
            };
            format!("fn({}){output}", inputs.join(", "))
        }
        other => format!("<{other}>"),
    }
}
