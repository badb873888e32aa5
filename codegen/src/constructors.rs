//! Constructors that take a request type's required fields, and setters for its optional ones,
//! so that a body without a required field does not compile:
//! `types::ActivityCreate::new(date, project_id, task_id).description("Meeting")`.
//!
//! Every type that keeps its typify builder (a request body, or a value one holds; see
//! [`crate::builders`]) gets them. Which fields are required is read from the builder's
//! `Default`, whose required fields start as `Err("no value supplied for ..")`; the builder
//! itself stays for `body_map`. Required arguments come in the order of the schema's `required`
//! list and take `impl Into<T>`; an optional field's
//! setter takes `impl IntoOptional<T>` (a value, an `Option`, a `&str` for text) or, for a
//! field that is no `Option` (a list or map with a default), `impl Into<T>`.

use std::collections::BTreeMap;

use crate::syntax::{module, module_mut};

/// Adds `new(required..)` and a setter per optional field to every request type. `spec` (the
/// adapted spec) gives the order of the required arguments: the schema's `required` list, as
/// the docs name the fields (`ProjectCreate::new(name, currency, leader_id, customer_id)`); a
/// type that is no component schema takes them in field order.
pub fn add_constructors(file: &mut syn::File, spec: &serde_json::Value) -> Result<(), String> {
    let types = module_mut(&mut file.items, "types").ok_or("generated code has no `types` module")?;
    let required = required_fields(types)?;
    let mut added: BTreeMap<String, Vec<syn::ImplItem>> = BTreeMap::new();
    for item in types.iter() {
        let syn::Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        let Some(required) = required.get(&name) else { continue };
        let syn::Fields::Named(fields) = &s.fields else { continue };
        let order = required_order(spec, &name);
        added.insert(name.clone(), members(&name, fields, required, &order)?);
    }
    // Into the type's own `impl X { fn builder() .. }`, which every type with a builder has.
    for item in types.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !imp.items.iter().any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder")) {
            continue;
        }
        let syn::Type::Path(p) = &*imp.self_ty else { continue };
        let Some(name) = p.path.get_ident().map(ToString::to_string) else { continue };
        if let Some(members) = added.remove(&name) {
            let taken: Vec<String> = imp
                .items
                .iter()
                .filter_map(|i| match i {
                    syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                })
                .collect();
            for member in &members {
                let syn::ImplItem::Fn(f) = member else { continue };
                if taken.contains(&f.sig.ident.to_string()) {
                    return Err(format!("{name}: a field's setter or `new` would clash with the method `{}`", f.sig.ident));
                }
            }
            imp.items.extend(members);
        }
    }
    match added.keys().next() {
        Some(name) => Err(format!("{name}: a request type without an `impl {name} {{ fn builder() }}` to add its constructor to")),
        None => Ok(()),
    }
}

/// `type → (field → required)`, from the `Default` impls of `types::builder`.
fn required_fields(types: &[syn::Item]) -> Result<BTreeMap<String, BTreeMap<String, bool>>, String> {
    let mut out = BTreeMap::new();
    let Some(builders) = module(types, "builder") else { return Ok(out) };
    for item in builders {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((path, _)) = &imp.trait_ else { continue };
        if path.segments.last().is_none_or(|s| s.ident != "Default") {
            continue;
        }
        let syn::Type::Path(p) = &*imp.self_ty else { continue };
        let Some(name) = p.path.get_ident().map(ToString::to_string) else { continue };
        let Some(syn::ImplItem::Fn(default)) = imp.items.first() else { continue };
        let Some(syn::Stmt::Expr(syn::Expr::Struct(init), None)) = default.block.stmts.last() else {
            return Err(format!("{name}: its builder's `Default` does not end in `Self {{ .. }}`"));
        };
        let mut fields = BTreeMap::new();
        for field in &init.fields {
            let syn::Member::Named(ident) = &field.member else { continue };
            let required = match &field.expr {
                syn::Expr::Call(call) => matches!(&*call.func, syn::Expr::Path(f) if f.path.is_ident("Err")),
                _ => return Err(format!("{name}.{ident}: an unexpected builder default")),
            };
            fields.insert(ident.to_string(), required);
        }
        out.insert(name, fields);
    }
    Ok(out)
}

/// The Rust names of a component schema's `required` fields, in the spec's order.
fn required_order(spec: &serde_json::Value, name: &str) -> Vec<String> {
    let required = spec.pointer(&format!("/components/schemas/{name}/required")).and_then(serde_json::Value::as_array);
    required
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .map(|wire| {
            let typify = format!("{wire}_");
            crate::surface::RENAMES.iter().find(|(from, _)| *from == typify).map_or(wire.to_string(), |(_, to)| to.to_string())
        })
        .collect()
}

/// `new` and the setters of one type.
fn members(
    name: &str,
    fields: &syn::FieldsNamed,
    required: &BTreeMap<String, bool>,
    order: &[String],
) -> Result<Vec<syn::ImplItem>, String> {
    let mut arguments: Vec<(usize, syn::FnArg, String)> = Vec::new();
    let mut inits: Vec<syn::FieldValue> = Vec::new();
    let mut setters: Vec<syn::ImplItem> = Vec::new();
    for field in &fields.named {
        let ident = field.ident.as_ref().ok_or_else(|| format!("{name}: an unnamed field"))?;
        let ty = &field.ty;
        let is_required = *required.get(&ident.to_string()).ok_or_else(|| format!("{name}.{ident}: not in its builder"))?;
        if is_required {
            // The spec's order first, then any other required field in field order.
            let position = order.iter().position(|o| ident == o).unwrap_or(order.len() + arguments.len());
            arguments.push((position, syn::parse_quote!(#ident: impl ::std::convert::Into<#ty>), format!("`{ident}`")));
            inits.push(syn::parse_quote!(#ident: #ident.into()));
            continue;
        }
        inits.push(syn::parse_quote!(#ident: ::std::default::Default::default()));
        let docs: Vec<&syn::Attribute> = field.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
        let setter: syn::ImplItem = match option_inner(ty) {
            Some(inner) => syn::parse_quote! {
                #(#docs)*
                #[must_use]
                pub fn #ident(mut self, value: impl crate::IntoOptional<#inner>) -> Self {
                    self.#ident = value.into_optional();
                    self
                }
            },
            None => syn::parse_quote! {
                #(#docs)*
                #[must_use]
                pub fn #ident(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#ident = value.into();
                    self
                }
            },
        };
        setters.push(setter);
    }
    arguments.sort_by_key(|(position, _, _)| *position);
    let names: Vec<String> = arguments.iter().map(|(_, _, name)| name.clone()).collect();
    let arguments: Vec<syn::FnArg> = arguments.into_iter().map(|(_, argument, _)| argument).collect();
    let doc = if names.is_empty() {
        format!("`{name}` with every field left out; the setters add them.")
    } else {
        format!("`{name}` with its required fields ({}); the setters add the optional ones.", names.join(", "))
    };
    let mut members: Vec<syn::ImplItem> = vec![syn::parse_quote! {
        #[doc = #doc]
        #[must_use]
        pub fn new(#(#arguments),*) -> Self {
            Self { #(#inits),* }
        }
    }];
    members.extend(setters);
    Ok(members)
}

/// `Option<T>` / `::std::option::Option<T>` → `T`
fn option_inner(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let segment = p.path.segments.last()?;
    if segment.ident != "Option" {
        return None;
    }
    crate::syntax::first_generic(segment)
}
