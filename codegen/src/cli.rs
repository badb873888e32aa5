//! The `moco` command line's operations (crate mocoapp-cli, `cli/src/generated.rs`), generated
//! from the spec and from the generated client.
//!
//! The spec gives each operation's subcommand: its name (the `operationId` in kebab case), help
//! (summary and description), path parameters (positional, in path order), query parameters
//! (flags named after the wire name, with their enum values), body and PUT/PATCH aliases (which
//! become aliases of the update's subcommand, as they are one method of the client). The
//! generated client gives the Rust side: the `Client` method and its arguments, each setter's
//! type (`i64`, `NaiveDate`, a list of `i64`, `types::ListCompaniesType`...), the body type,
//! whether the builder pages (`PagedRequest`) and whether `send` returns a file (`Vec<u8>`).
//! Every query parameter must find its setter and every type its [`Kind`], or generation fails:
//! a new type in the spec cannot silently become an untyped flag.
//!
//! The output is a table (`OPERATIONS`: data, from which the runtime builds clap's commands)
//! and one small `async fn` per operation that calls the typed builder, so that 300 subcommands
//! cost little to compile.

use std::{collections::BTreeMap, fmt::Write as _};

use serde_json::Value;

use crate::{
    facts::resolve,
    surface::{returned_builder, try_into_target, type_name, RENAMES},
    syntax::module,
};

/// Where `cargo xtask codegen` writes the command line's operations, relative to mocoapp's root.
pub const GENERATED_CLI: &str = "cli/src/generated.rs";

/// How a value is read from the command line (the runtime maps each to a clap value parser and a
/// Rust type; the generated code reads it with the same type).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Bool,
    Text,
    Date,
    DateTime,
    /// A closed enum of the client (`types::X`), given as one of the spec's values.
    Enum(String),
}

impl Kind {
    fn of(ty: &syn::Type) -> Result<Kind, String> {
        let text = quote::quote!(#ty).to_string().replace(' ', "");
        Ok(match text.as_str() {
            "i64" => Kind::Int,
            "bool" => Kind::Bool,
            "::std::string::String" | "String" => Kind::Text,
            "::chrono::naive::NaiveDate" => Kind::Date,
            "::chrono::DateTime<::chrono::offset::Utc>" => Kind::DateTime,
            other => match other.strip_prefix("types::") {
                Some(name) if name.chars().all(|c| c.is_ascii_alphanumeric()) => Kind::Enum(name.to_string()),
                _ => {
                    return Err(format!("no command-line kind for the type `{other}` (add one to codegen/src/cli.rs and cli/src/args.rs)"))
                }
            },
        })
    }

    /// The runtime's `Kind` variant.
    fn variant(&self, list: bool) -> &'static str {
        match (self, list) {
            (Kind::Int, false) => "Int",
            (Kind::Int, true) => "IntList",
            (Kind::Bool, _) => "Bool",
            (Kind::Text, false) => "Text",
            (Kind::Text, true) => "TextList",
            (Kind::Date, _) => "Date",
            (Kind::DateTime, _) => "DateTime",
            (Kind::Enum(_), false) => "Enum",
            (Kind::Enum(_), true) => "EnumList",
        }
    }

    /// The Rust type the generated code reads the value as.
    fn rust(&self) -> &'static str {
        match self {
            Kind::Int => "i64",
            Kind::Bool => "bool",
            Kind::Text | Kind::Enum(_) => "String",
            Kind::Date => "chrono::NaiveDate",
            Kind::DateTime => "chrono::DateTime<chrono::Utc>",
        }
    }
}

/// What the generated client says about one builder.
#[derive(Default)]
struct Builder {
    /// setter → (item type, is a comma list)
    setters: BTreeMap<String, (syn::Type, bool)>,
    paged: bool,
    download: bool,
}

/// What the generated client says about one `Client` method.
struct Method {
    builder: String,
    /// Arguments in order: name and type (`impl Into<T>` → `T`).
    arguments: Vec<(String, syn::Type)>,
}

struct ClientFacts {
    methods: BTreeMap<String, Method>,
    builders: BTreeMap<String, Builder>,
}

fn client_facts(file: &syn::File) -> Result<ClientFacts, String> {
    let mut methods = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || type_name(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for member in &imp.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            let Some(builder) = returned_builder(method) else { continue };
            let mut arguments = Vec::new();
            for input in method.sig.inputs.iter().skip(1) {
                let syn::FnArg::Typed(arg) = input else { continue };
                let syn::Pat::Ident(name) = &*arg.pat else { continue };
                let ty = match &*arg.ty {
                    syn::Type::ImplTrait(bound) => bound
                        .bounds
                        .iter()
                        .find_map(|b| match b {
                            syn::TypeParamBound::Trait(t) => crate::syntax::first_generic(t.path.segments.last()?),
                            _ => None,
                        })
                        .ok_or_else(|| format!("{}: cannot read the type of `{}`", method.sig.ident, name.ident))?,
                    other => other.clone(),
                };
                arguments.push((name.ident.to_string(), ty));
            }
            methods.insert(method.sig.ident.to_string(), Method { builder, arguments });
        }
    }
    let mut builders: BTreeMap<String, Builder> = BTreeMap::new();
    for item in module(&file.items, "builder").ok_or("generated code has no `builder` module")? {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = type_name(&imp.self_ty) else { continue };
        let builder = builders.entry(name).or_default();
        if let Some((path, _)) = &imp.trait_ {
            if path.segments.last().is_some_and(|s| s.ident == "PagedRequest") {
                builder.paged = true;
            }
            continue;
        }
        for member in &imp.items {
            let syn::ImplItem::Fn(f) = member else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let name = f.sig.ident.to_string();
            if name == "send" {
                let output = &f.sig.output;
                builder.download = quote::quote!(#output).to_string().replace(' ', "").contains("Result<::std::vec::Vec<u8>");
            } else if let Some(ty) = try_into_target(f) {
                builder.setters.insert(name, (ty, false));
            } else if let Some(ty) = list_item(f) {
                builder.setters.insert(name, (ty, true));
            }
        }
    }
    Ok(ClientFacts { methods, builders })
}

/// For a comma-list setter (`where I: IntoIterator, I::Item: Into<T>`), returns `T`.
fn list_item(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let where_clause = setter.sig.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(p) = predicate else { return None };
        let bounded = &p.bounded_ty;
        if quote::quote!(#bounded).to_string().replace(' ', "") != "I::Item" {
            return None;
        }
        p.bounds.iter().find_map(|bound| match bound {
            syn::TypeParamBound::Trait(t) if t.path.segments.last()?.ident == "Into" => {
                crate::syntax::first_generic(t.path.segments.last()?)
            }
            _ => None,
        })
    })
}

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Flags every subcommand may have, which a query parameter must not shadow.
const RESERVED: &[&str] = &["all", "output", "json-body", "custom-field", "impersonate", "fake", "help", "file"];

/// The generated `cli/src/generated.rs` for a spec (YAML text) and the generated client's code
/// (the text of `src/generated/codegen.rs`), headed by the spec's hash.
pub fn generate(spec_yaml: &str, client_code: &str) -> Result<String, String> {
    let spec: Value = serde_norway::from_str(spec_yaml).map_err(|e| format!("the spec is not valid YAML: {e}"))?;
    let file = syn::parse_file(client_code).map_err(|e| format!("the generated client does not parse: {e}"))?;
    let facts = client_facts(&file)?;
    let paths = spec.get("paths").and_then(Value::as_object).ok_or("the spec has no paths")?;

    // PUT/PATCH variants of an update: aliases of its subcommand.
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in paths.values() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            if let (Some(of), Some(id)) = (op.get("x-alias-of").and_then(Value::as_str), op.get("operationId").and_then(Value::as_str)) {
                aliases.entry(of.to_string()).or_default().push(kebab(id));
            }
        }
    }

    let mut table = String::new();
    let mut functions = String::new();
    let mut arms = String::new();
    let mut count = 0;
    for (path, item) in paths {
        let shared: Vec<Value> = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            if op.get("x-alias-of").is_some() {
                continue;
            }
            let id = op.get("operationId").and_then(Value::as_str).ok_or_else(|| format!("{method} {path} has no operationId"))?;
            let own: Vec<Value> = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            let params: Vec<&Value> = shared.iter().chain(own.iter()).map(|p| resolve(&spec, p)).collect();
            let operation = Operation { spec: &spec, facts: &facts, id, method, path, op, params };
            let (entry, function) = operation.generate(aliases.get(id).map(Vec::as_slice).unwrap_or_default())?;
            table.push_str(&entry);
            functions.push_str(&function);
            let _ = writeln!(arms, "        {id:?} => {id}(ctx, m).await,");
            count += 1;
        }
    }
    let header = format!(
        "// @generated by `cargo xtask codegen` from openapi/moco.yaml (spec hash {:016x}); do not edit.\n",
        crate::spec_hash(spec_yaml)
    );
    Ok(format!(
        "{header}//! The operations of the spec as subcommands: `OPERATIONS` describes them (the runtime builds\n\
         //! clap's commands from it), `dispatch` runs one through the client's typed request builder.\n\
         #![allow(clippy::too_many_lines, unused_mut)]\n\n\
         use clap::ArgMatches;\n\n\
         use crate::args;\n\
         use crate::run::{{Ctx, Failure}};\n\
         use crate::table::{{Body, Kind, Op, Output, Param}};\n\n\
         /// Every operation of the spec ({count}; PUT/PATCH variants are aliases), by path.\n\
         pub(crate) static OPERATIONS: &[Op] = &[\n{table}];\n\n\
         /// Runs the operation `id` with the parsed arguments.\n\
         pub(crate) async fn dispatch(ctx: &Ctx, id: &str, m: &ArgMatches) -> Result<(), Failure> {{\n    \
         match id {{\n{arms}        _ => Err(Failure::usage(format!(\"no operation {{id}}\"))),\n    }}\n}}\n{functions}"
    ))
}

struct Operation<'a> {
    spec: &'a Value,
    facts: &'a ClientFacts,
    id: &'a str,
    method: &'a str,
    path: &'a str,
    op: &'a Value,
    params: Vec<&'a Value>,
}

impl Operation<'_> {
    fn generate(&self, aliases: &[String]) -> Result<(String, String), String> {
        let id = self.id;
        let multipart = self.op.pointer("/requestBody/content/multipart~1form-data/schema").map(|s| resolve(self.spec, s));
        if let Some(schema) = multipart {
            return self.generate_upload(schema, aliases);
        }
        let method = self.facts.methods.get(id).ok_or_else(|| format!("{id}: the generated client has no method `{id}`"))?;
        let builder = self.facts.builders.get(&method.builder).ok_or_else(|| format!("{id}: no builder `{}`", method.builder))?;
        let mut params = String::new();
        let mut body_code = String::new();
        // Path parameters: the method's arguments, positional, in order.
        let mut arguments = Vec::new();
        for (name, ty) in &method.arguments {
            let param = self.param(name, "path").ok_or_else(|| format!("{id}: `{name}` is no path parameter of the spec"))?;
            let kind = Kind::of(ty)?;
            params.push_str(&self.param_entry(name, name, "true", &kind, false, true, param)?);
            arguments.push(read_value(name, &kind, false)?);
        }
        let mut setters = String::new();
        let mut custom_fields = false;
        for param in &self.params {
            let name = param.get("name").and_then(Value::as_str).unwrap_or_default();
            if param.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            if param.get("style").and_then(Value::as_str) == Some("deepObject") {
                custom_fields = true;
                continue;
            }
            let flag = kebab(name);
            if RESERVED.contains(&flag.as_str()) {
                return Err(format!("{id}: the query parameter `{name}` would shadow the flag --{flag}"));
            }
            let snake = name.replace('-', "_");
            let setter = std::iter::once(snake.clone())
                .chain(RENAMES.iter().filter(|(from, _)| from.strip_suffix('_') == Some(snake.as_str())).map(|(_, to)| to.to_string()))
                .find(|s| builder.setters.contains_key(s))
                .ok_or_else(|| format!("{id}: the builder has no setter for the query parameter `{name}`"))?;
            let (ty, list) = &builder.setters[&setter];
            let kind = Kind::of(ty)?;
            let required = param.get("required") == Some(&Value::Bool(true));
            if required && *list {
                return Err(format!("{id}: a required list parameter `{name}` (cli/src/args.rs has no req_list yet)"));
            }
            params.push_str(&self.param_entry(name, &flag, "false", &kind, *list, required, param)?);
            let value = read_value(name, &kind, *list)?;
            if required {
                let _ = writeln!(setters, "    let b = b.{setter}({});", value.replace("args::opt_", "args::req_"));
            } else {
                let _ = writeln!(setters, "    let b = match {value} {{ Some(v) => b.{setter}(v), None => b }};");
            }
        }
        let body = match self.op.get("requestBody") {
            None => "Body::None".to_string(),
            Some(request_body) => {
                let request_body = resolve(self.spec, request_body);
                if request_body.pointer("/content/application~1json").is_none() {
                    return Err(format!("{id}: a request body the command line cannot send (only JSON and multipart uploads)"));
                }
                let (ty, _) = builder.setters.get("body").ok_or_else(|| format!("{id}: the builder has no `body` setter"))?;
                let ty = quote::quote!(#ty).to_string().replace(' ', "");
                let required = request_body.get("required") == Some(&Value::Bool(true));
                if required {
                    let _ = writeln!(body_code, "    let b = b.body(args::json_body::<mocoapp::{ty}>(m)?);");
                } else {
                    let _ = writeln!(
                        body_code,
                        "    let b = match args::json_body_opt::<mocoapp::{ty}>(m)? {{ Some(v) => b.body(v), None => b }};"
                    );
                }
                let schema = ty.trim_start_matches("types::");
                format!("Body::Json {{ required: {required}, schema: {schema:?} }}")
            }
        };
        let (output, finish) = if builder.download {
            ("Output::Download", "    ctx.download(b.send().await?, m)\n")
        } else if builder.paged {
            ("Output::Paged", "    ctx.paged(b, m).await\n")
        } else {
            ("Output::Json", "    ctx.print(&b.send().await?)\n")
        };
        let entry = self.entry(aliases, &params, &body, output, custom_fields);
        let function = format!(
            "\nasync fn {id}(ctx: &Ctx, m: &ArgMatches) -> Result<(), Failure> {{\n    let client = ctx.client_for(m)?;\n    \
             let b = client.{id}({});\n{setters}{body_code}{finish}}}\n",
            arguments.iter().map(|a| a.replace("args::opt_", "args::req_")).collect::<Vec<_>>().join(", ")
        );
        Ok((entry, function))
    }

    /// A multipart upload (hand-written in the client: `Client::<id>(path ids.., file name,
    /// bytes)`): one `--<field> FILE` flag for its single binary part.
    fn generate_upload(&self, schema: &Value, aliases: &[String]) -> Result<(String, String), String> {
        let id = self.id;
        let props =
            schema.get("properties").and_then(Value::as_object).ok_or_else(|| format!("{id}: a multipart body without properties"))?;
        let [(field, _)] = props.iter().collect::<Vec<_>>()[..] else {
            return Err(format!("{id}: the command line uploads multipart bodies of one file part only"));
        };
        let mut params = String::new();
        let mut arguments = Vec::new();
        let mut path_params: Vec<(usize, &str)> = Vec::new();
        for param in self.params.iter().filter(|p| p.get("in").and_then(Value::as_str) == Some("path")) {
            let name = param.get("name").and_then(Value::as_str).unwrap_or_default();
            path_params.push((self.path.find(&format!("{{{name}}}")).unwrap_or(usize::MAX), name));
        }
        path_params.sort();
        for (_, name) in path_params {
            let param = self.param(name, "path").ok_or_else(|| format!("{id}: no path parameter `{name}`"))?;
            params.push_str(&self.param_entry(name, name, "true", &Kind::Int, false, true, param)?);
            arguments.push(read_value(name, &Kind::Int, false)?.replace("args::opt_", "args::req_"));
        }
        let entry = self.entry(aliases, &params, &format!("Body::File {{ field: {field:?} }}"), "Output::Json", false);
        let function = format!(
            "\nasync fn {id}(ctx: &Ctx, m: &ArgMatches) -> Result<(), Failure> {{\n    let client = ctx.client_for(m)?;\n    \
             let (name, bytes) = args::file(m, {field:?})?;\n    \
             ctx.print(&client.{id}({}, &name, bytes).send().await?)\n}}\n",
            arguments.join(", ")
        );
        Ok((entry, function))
    }

    fn entry(&self, aliases: &[String], params: &str, body: &str, output: &str, custom_fields: bool) -> String {
        let text = |pointer: &str| self.op.pointer(pointer).and_then(Value::as_str).unwrap_or_default().trim().to_string();
        format!(
            "    Op {{\n        id: {:?},\n        name: {:?},\n        aliases: &{aliases:?},\n        method: {:?},\n        path: {:?},\n        \
             tag: {:?},\n        summary: {:?},\n        description: {:?},\n        params: &[\n{params}        ],\n        \
             body: {body},\n        output: {output},\n        custom_fields: {custom_fields},\n    }},\n",
            self.id,
            kebab(self.id),
            self.method.to_uppercase(),
            self.path,
            text("/tags/0"),
            text("/summary"),
            text("/description"),
        )
    }

    fn param(&self, name: &str, place: &str) -> Option<&Value> {
        self.params
            .iter()
            .copied()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name) && p.get("in").and_then(Value::as_str) == Some(place))
    }

    #[allow(clippy::too_many_arguments)]
    fn param_entry(
        &self,
        wire: &str,
        flag: &str,
        positional: &str,
        kind: &Kind,
        list: bool,
        required: bool,
        param: &Value,
    ) -> Result<String, String> {
        // The spec's values of an enum: the client's closed enums, and integer codes (which the
        // builders take as plain integers) too.
        let schema = param.get("schema").map(|s| resolve(self.spec, s)).unwrap_or(&Value::Null);
        let schema = if list { schema.get("items").map(|s| resolve(self.spec, s)).unwrap_or(&Value::Null) } else { schema };
        let values: Vec<String> = schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect())
            .unwrap_or_default();
        match kind {
            Kind::Enum(name) if values.is_empty() => {
                return Err(format!("{}: the parameter `{wire}` is a `types::{name}` without enum values in the spec", self.id));
            }
            Kind::Bool | Kind::Date | Kind::DateTime if !values.is_empty() => {
                return Err(format!("{}: the parameter `{wire}` has enum values the command line cannot check", self.id));
            }
            _ => {}
        }
        let help = param.get("description").and_then(Value::as_str).unwrap_or_default().trim();
        Ok(format!(
            "            Param {{ id: {wire:?}, flag: {flag:?}, positional: {positional}, kind: Kind::{}, required: {required}, help: {help:?}, values: &{values:?} }},\n",
            kind.variant(list)
        ))
    }
}

/// The generated expression that reads a parameter as the setter's type (`args::opt_*`, which the
/// caller turns into `args::req_*` for required ones).
fn read_value(wire: &str, kind: &Kind, list: bool) -> Result<String, String> {
    Ok(match (kind, list) {
        (Kind::Enum(name), false) => format!("args::opt_enum::<mocoapp::types::{name}>(m, {wire:?})?"),
        (Kind::Enum(name), true) => format!("args::opt_enum_list::<mocoapp::types::{name}>(m, {wire:?})?"),
        (kind, false) => format!("args::opt_value::<{}>(m, {wire:?})?", kind.rust()),
        (kind, true) => format!("args::opt_list::<{}>(m, {wire:?})?", kind.rust()),
    })
}

/// `list_projects` → `list-projects`, `X-Page` → `x-page`.
pub fn kebab(name: &str) -> String {
    name.replace('_', "-").to_ascii_lowercase()
}
