//! Generates the MOCO client from `openapi/moco.yaml` with progenitor (builder interface).
//!
//! Three steps, each small:
//! 1. `adapt_spec`: rewrite the in-memory copy of the spec where the spec says something true that
//!    progenitor cannot express (the file on disk stays truthful, see SPEC_GUIDE principle 1).
//! 2. progenitor generates types, the `Client` and one builder per operation. When it fails, every
//!    operation is generated on its own to name the ones at fault.
//! 3. `wrap_builders`: every builder's generated `send` becomes the private `send_raw`; a new `send`
//!    maps errors into `crate::Error`, and builders of paginated lists get `pages`/`stream`/
//!    `collect_all`. This is what makes the hand-written layer apply to all 256 operations with no
//!    per-operation code. `relax_optional_setters` lets the body builders' optional fields take
//!    plain values (`.description("text")`, not `.description("text".to_string())`).
//!
//! Output: `$OUT_DIR/codegen.rs`, included by `src/generated.rs`.

use std::{env, fs, path::Path};

use serde_json::{json, Value};

const SPEC: &str = "openapi/moco.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let mut raw: Value =
        serde_norway::from_str(&text).unwrap_or_else(|e| fail(&format!("{SPEC} is not valid YAML: {e}")));
    adapt_spec(&mut raw);

    let tokens = match generate(&raw) {
        Ok(tokens) => tokens,
        Err(message) => fail(&format!("{message}\n{}", blame_operations(&raw))),
    };
    let mut file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| fail(&format!("generated code does not parse: {e}")));
    wrap_builders(&mut file);
    relax_optional_setters(&mut file);

    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("codegen.rs");
    fs::write(&out, prettyplease::unparse(&file)).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("\nmocoapp build.rs: {message}\n");
    std::process::exit(1);
}

// ---------------------------------------------------------------------------------------------
// 1. Spec adaptations (in memory only)
// ---------------------------------------------------------------------------------------------

fn adapt_spec(spec: &mut Value) {
    comma_lists_to_strings(spec);
    drop_deep_object_parameters(spec);
    if let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        schemas.values_mut().for_each(optional_arrays_to_nullable);
    }
}

/// typify leaves an optional array out of the JSON when it is empty, so `tags: []` (remove all
/// tags) could not be sent. As `Option<Vec<_>>`, `None` is left out and `Some(vec![])` is sent.
fn optional_arrays_to_nullable(schema: &mut Value) {
    let required: Vec<Value> = schema.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            if property.get("type") == Some(&json!("array")) && !required.contains(&json!(name)) {
                property["nullable"] = json!(true);
            }
            optional_arrays_to_nullable(property);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        optional_arrays_to_nullable(items);
    }
}

/// progenitor rejects `style: deepObject` (the `custom_properties[Name]=value` filter). Such
/// parameters are left out of the generated builders; `Client::filter_custom_fields` sends them.
fn drop_deep_object_parameters(spec: &mut Value) {
    let is_deep = |p: &Value| p.get("style") == Some(&json!("deepObject"));
    let deep_refs: Vec<Value> = spec
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .map(|params| {
            params
                .iter()
                .filter(|(_, p)| is_deep(p))
                .map(|(name, _)| json!(format!("#/components/parameters/{name}")))
                .collect()
        })
        .unwrap_or_default();
    let keep = |p: &Value| !is_deep(p) && !p.get("$ref").is_some_and(|r| deep_refs.contains(r));
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, value) in item.iter_mut() {
                let params = if key == "parameters" { Some(value) } else { value.get_mut("parameters") };
                if let Some(list) = params.and_then(Value::as_array_mut) {
                    list.retain(keep);
                }
            }
        }
    }
}

/// progenitor ignores `explode: false` and would send `ids=1&ids=2`, while MOCO expects
/// `ids=1,2`. Such parameters become plain strings here; callers build the value with
/// `mocoapp::CommaList`.
fn comma_lists_to_strings(spec: &mut Value) {
    if let Some(params) = spec.pointer_mut("/components/parameters").and_then(Value::as_object_mut) {
        params.values_mut().for_each(comma_list_to_string);
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for (key, value) in item.iter_mut() {
                let params = if key == "parameters" { Some(value) } else { value.get_mut("parameters") };
                if let Some(list) = params.and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(comma_list_to_string);
                }
            }
        }
    }
}

fn comma_list_to_string(param: &mut Value) {
    let is_comma_list = param.get("in") == Some(&json!("query"))
        && param.get("explode") == Some(&json!(false))
        && param.pointer("/schema/type") == Some(&json!("array"));
    if is_comma_list {
        param["schema"] = json!({ "type": "string" });
        param.as_object_mut().map(|p| p.remove("explode"));
    }
}

// ---------------------------------------------------------------------------------------------
// 2. progenitor
// ---------------------------------------------------------------------------------------------

fn generate(raw: &Value) -> Result<proc_macro2::TokenStream, String> {
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).map_err(|e| format!("{SPEC} is not an OpenAPI 3.0 document: {e}"))?;
    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type("crate::client::ClientState".parse().unwrap())
        .with_hooks(progenitor::HooksMode::Expected)
        .with_derive("PartialEq")
        // Custom field values are strings or lists of strings; the hand-written type gives
        // typed accessors and tolerates other JSON the server may send.
        .with_replacement("CustomProperties", "crate::CustomFields", std::iter::empty());
    // progenitor reports some problems by panicking; turn those into an error too.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(move || progenitor::Generator::new(&settings).generate_tokens(&spec));
    std::panic::set_hook(previous_hook);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(format!("progenitor cannot generate the client: {e}")),
        Err(panic) => Err(format!("progenitor panicked: {}{}", panic_message(&panic), hint(&panic_message(&panic)))),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

/// What the panics progenitor is known for mean (see ../shared/PROGENITOR.md).
fn hint(panic: &str) -> &'static str {
    if panic.contains("response_types.len() <= 1") {
        " (an operation may have one success body type and one error body type; give every 2xx the same schema)"
    } else {
        ""
    }
}

/// Generates each operation alone to find the ones progenitor rejects.
fn blame_operations(raw: &Value) -> String {
    let mut culprits = Vec::new();
    let paths = raw.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    for (path, item) in &paths {
        for method in ["get", "put", "post", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let mut single_item = json!({ method: op });
            if let Some(shared) = item.get("parameters") {
                single_item["parameters"] = shared.clone();
            }
            let mut single = raw.clone();
            single["paths"] = json!({ path.clone(): single_item });
            if let Err(e) = generate(&single) {
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or("(no operationId)");
                culprits.push(format!("  - {id} ({} {path}): {e}", method.to_uppercase()));
            }
        }
    }
    if culprits.is_empty() {
        "Every operation generates on its own; the problem lies in how they combine (duplicate names?).".into()
    } else {
        format!("Operations at fault:\n{}", culprits.join("\n"))
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Builder wrappers
// ---------------------------------------------------------------------------------------------

fn wrap_builders(file: &mut syn::File) {
    let builder_mod = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
            _ => None,
        })
        .unwrap_or_else(|| fail("generated code has no `builder` module"));
    let items = &mut builder_mod.1;
    let mut added: Vec<syn::Item> = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let has_page = imp.items.iter().any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "page"));
        let Some(send) = imp.items.iter_mut().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        }) else {
            continue;
        };
        send.sig.ident = syn::Ident::new("send_raw", send.sig.ident.span());
        send.vis = syn::parse_quote!(pub(crate));
        send.attrs.retain(|a| !a.path().is_ident("doc"));
        let success = response_value_type(&send.sig.output)
            .unwrap_or_else(|| fail("a generated `send` does not return Result<ResponseValue<T>, _>"));
        let generics = &imp.generics;
        let self_ty = &imp.self_ty;
        added.push(syn::parse_quote! {
            impl #generics #self_ty {
                /// Sends the request, with the client's rate limit, retries and impersonation,
                /// and maps every failure into [`crate::Error`].
                pub async fn send(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> {
                    crate::error::capture(self.send_raw()).await
                }
            }
        });
        if let (true, Some(item_ty)) = (has_page, vec_item_type(&success)) {
            added.push(syn::parse_quote! {
                impl #generics crate::pagination::PagedRequest<'a> for #self_ty {
                    type Item = #item_ty;
                    fn with_page(self, page: u64) -> Self {
                        self.page(page as i64)
                    }
                    fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Item> {
                        ::std::boxed::Box::pin(self.send())
                    }
                }
            });
            added.push(syn::parse_quote! {
                impl #generics #self_ty {
                    /// Streams every item of every page, following MOCO's `Link: rel="next"`
                    /// header and keeping all filters set on this builder.
                    pub fn stream(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<#item_ty, crate::Error>> {
                        crate::pagination::stream_items(self)
                    }
                    /// Streams whole pages with their `X-Page`/`X-Per-Page`/`X-Total` metadata.
                    pub fn pages(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<crate::Page<#item_ty>, crate::Error>> {
                        crate::pagination::stream_pages(self)
                    }
                    /// Fetches every page and returns all items in order.
                    pub async fn collect_all(self) -> ::std::result::Result<::std::vec::Vec<#item_ty>, crate::Error> {
                        crate::pagination::collect_all(self).await
                    }
                }
            });
        }
    }
    items.extend(added);
}

/// typify's body builders take optional fields as `T: TryInto<Option<X>>`, which `&str` is not
/// (for `X = String`). Their setters are rewritten to take `T: crate::IntoOptional<X>`: an `X`,
/// an `Option<X>`, or a `&str` for text.
fn relax_optional_setters(file: &mut syn::File) {
    let Some(types_mod) = module_items(&mut file.items, "types") else { fail("generated code has no `types` module") };
    let Some(builders) = module_items(types_mod, "builder") else { return };
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        for member in imp.items.iter_mut() {
            let syn::ImplItem::Fn(setter) = member else { continue };
            let Some(inner) = optional_setter_type(setter) else { continue };
            let name = &setter.sig.ident;
            let attrs = &setter.attrs;
            *setter = syn::parse_quote! {
                #(#attrs)*
                pub fn #name<T>(mut self, value: T) -> Self
                where
                    T: crate::IntoOptional<#inner>,
                {
                    self.#name = Ok(value.into_optional());
                    self
                }
            };
        }
    }
}

fn module_items<'m>(items: &'m mut [syn::Item], name: &str) -> Option<&'m mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// For a setter bounded by `T: TryInto<Option<X>>`, returns `X`.
fn optional_setter_type(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let where_clause = setter.sig.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(p) = predicate else { return None };
        p.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(t) = bound else { return None };
            let segment = t.path.segments.last()?;
            if segment.ident != "TryInto" {
                return None;
            }
            let target = first_generic(segment)?;
            let option = last_segment(&target)?;
            (option.ident == "Option").then(|| first_generic(option)).flatten()
        })
    })
}

/// `Result<ResponseValue<T>, E>` → `T`
fn response_value_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else { return None };
    let result = last_segment(ty)?;
    let first = first_generic(result)?;
    let response_value = last_segment(&first)?;
    (response_value.ident == "ResponseValue").then(|| first_generic(response_value)).flatten()
}

/// `Vec<T>` / `::std::vec::Vec<T>` → `T`
fn vec_item_type(ty: &syn::Type) -> Option<syn::Type> {
    let segment = last_segment(ty)?;
    (segment.ident == "Vec").then(|| first_generic(segment)).flatten()
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

fn first_generic(segment: &syn::PathSegment) -> Option<syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        }),
        _ => None,
    }
}
