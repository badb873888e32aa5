//! Rewrites that give the generated client the surface a Rust user expects:
//! - required path parameters are arguments of the `Client` method (`client.get_project(id)`),
//!   so leaving one out does not compile; their builder setters are no longer public;
//! - comma-separated list parameters take any collection of their item type (`.ids([1, 2])`);
//! - field and setter names never end in `_` (`type_` → `kind`, ...);
//! - the generated constructors are crate-private: `Client::builder()` is the way to a client,
//!   and the `Client` method the way to a request builder (so that no required argument can be
//!   left out);
//! - each method's docs show the call as it is written and name what is required.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

use crate::facts::{ListItem, Operations};
use crate::syntax::{module, module_mut};

/// Names for wire fields that are Rust keywords; typify would append `_`. serde keeps the wire
/// names. README.md lists these renames.
pub const RENAMES: &[(&str, &str)] = &[("type_", "kind"), ("extern_", "external"), ("override_", "override_time")];

/// Applies every rewrite of this module.
pub fn apply(file: &mut syn::File, operations: &Operations) -> Result<(), String> {
    rename_fields(file)?;
    let setters = builder_setter_types(file)?;
    let builder = module_mut(&mut file.items, "builder").ok_or("generated code has no `builder` module")?;
    typed_lists(builder, operations)?;
    hide_path_setters(builder, operations);
    hide_builder_constructors(builder);
    for item in file.items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_client(&imp.self_ty) {
            continue;
        }
        for member in imp.items.iter_mut() {
            let syn::ImplItem::Fn(method) = member else { continue };
            let name = method.sig.ident.to_string();
            if name == "new" || name == "new_with_client" {
                method.vis = syn::parse_quote!(pub(crate));
                continue;
            }
            if let Some(facts) = operations.get(&name) {
                required_arguments(method, facts, &setters)?;
            }
        }
    }
    Ok(())
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// `builder type → setter → T` for setters bounded by `V: TryInto<T>`.
type SetterTypes = BTreeMap<String, BTreeMap<String, syn::Type>>;

fn builder_setter_types(file: &syn::File) -> Result<SetterTypes, String> {
    let mut out = SetterTypes::new();
    let builder = module(&file.items, "builder").ok_or("generated code has no `builder` module")?;
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(ty) = type_name(&imp.self_ty) else { continue };
        for member in &imp.items {
            let syn::ImplItem::Fn(setter) = member else { continue };
            if let Some(target) = try_into_target(setter) {
                out.entry(ty.clone()).or_default().insert(setter.sig.ident.to_string(), target);
            }
        }
    }
    Ok(out)
}

pub(crate) fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// For a setter bounded by `V: TryInto<T>`, returns `T`.
pub(crate) fn try_into_target(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let where_clause = setter.sig.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(p) = predicate else { return None };
        p.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(t) = bound else { return None };
            let segment = t.path.segments.last()?;
            if segment.ident != "TryInto" {
                return None;
            }
            crate::syntax::first_generic(segment)
        })
    })
}

/// The builder type a `Client` method returns: `builder::GetProject<'_>` → `GetProject`.
pub(crate) fn returned_builder(method: &syn::ImplItemFn) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = &method.sig.output else { return None };
    type_name(ty)
}

/// `fn get_project(&self) -> builder::GetProject<'_>` becomes
/// `fn get_project(&self, id: impl Into<i64>) -> builder::GetProject<'_>`.
fn required_arguments(method: &mut syn::ImplItemFn, facts: &crate::facts::Operation, setters: &SetterTypes) -> Result<(), String> {
    let operation = method.sig.ident.to_string();
    let builder = returned_builder(method).ok_or_else(|| format!("{operation}: cannot see which builder it returns"))?;
    let builder_path: syn::Path = syn::parse_str(&format!("builder::{builder}")).map_err(|e| e.to_string())?;
    let mut chain: syn::Expr = syn::parse_quote!(#builder_path::new(self));
    for param in &facts.path_params {
        let ident = syn::Ident::new(param, proc_macro2::Span::call_site());
        let ty = setters
            .get(&builder)
            .and_then(|s| s.get(param))
            .ok_or_else(|| format!("{operation}: the builder has no setter for the path parameter `{param}`"))?;
        method.sig.inputs.push(syn::parse_quote!(#ident: impl ::std::convert::Into<#ty>));
        chain = syn::parse_quote!(#chain.#ident(#ident.into()));
    }
    method.block = syn::parse_quote!({ #chain });
    rewrite_docs(method, facts);
    Ok(())
}

/// progenitor's doc example calls every setter; path parameters are now arguments.
fn rewrite_docs(method: &mut syn::ImplItemFn, facts: &crate::facts::Operation) {
    let operation = method.sig.ident.to_string();
    let arguments = facts.path_params.join(", ");
    let mut required: Vec<String> = Vec::new();
    if !facts.required_query.is_empty() {
        let names: Vec<String> = facts.required_query.iter().map(|n| format!("`.{n}(..)`")).collect();
        required.push(format!("Required query parameters (checked before sending): {}.", names.join(", ")));
    }
    if !facts.required_body.is_empty() {
        let names: Vec<String> = facts.required_body.iter().map(|n| format!("`{n}`")).collect();
        required.push(format!(
            "Required body fields: {}. The body type's `new(..)` takes them, so a body without one does not compile (one built with `body_map` is checked before sending).",
            names.join(", ")
        ));
    }
    for attr in method.attrs.iter_mut() {
        let syn::Meta::NameValue(nv) = &mut attr.meta else { continue };
        if !nv.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &nv.value else { continue };
        let mut doc: String = text
            .value()
            .lines()
            .filter(|line| !facts.path_params.iter().any(|p| line.trim() == format!(".{p}({p})")))
            .map(|line| line.replace(&format!("client.{operation}()"), &format!("client.{operation}({arguments})")))
            .collect::<Vec<_>>()
            .join("\n");
        if !required.is_empty() {
            doc.push_str("\n\n");
            doc.push_str(&required.join("\n\n"));
        }
        let lit = syn::LitStr::new(&doc, text.span());
        nv.value = syn::parse_quote!(#lit);
    }
}

/// Path-parameter setters are set by the `Client` method; calling them again is no use.
fn hide_path_setters(builder: &mut [syn::Item], operations: &Operations) {
    let hidden: Vec<(String, Vec<String>)> = operations
        .iter()
        .filter(|(_, facts)| !facts.path_params.is_empty())
        .map(|(id, facts)| (crate::naming::pascal_case(id), facts.path_params.clone()))
        .collect();
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(ty) = type_name(&imp.self_ty) else { continue };
        let Some((_, params)) = hidden.iter().find(|(name, _)| *name == ty) else { continue };
        for member in imp.items.iter_mut() {
            if let syn::ImplItem::Fn(setter) = member {
                if params.iter().any(|p| setter.sig.ident == p) {
                    setter.vis = syn::parse_quote!(pub(crate));
                }
            }
        }
    }
}

/// `builder::X::new(&client)` would make a request builder without its path parameters (a
/// request that fails only when sent); the `Client` method, which takes them, is the way in.
fn hide_builder_constructors(builder: &mut [syn::Item]) {
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        for member in imp.items.iter_mut() {
            if let syn::ImplItem::Fn(constructor) = member {
                if constructor.sig.ident == "new" {
                    constructor.vis = syn::parse_quote!(pub(crate));
                }
            }
        }
    }
}

/// Comma-list setters take `impl IntoIterator<Item: Into<T>>` and join the values with commas.
fn typed_lists(builder: &mut [syn::Item], operations: &Operations) -> Result<(), String> {
    for (id, facts) in operations.iter().filter(|(_, f)| !f.comma_lists.is_empty()) {
        let builder_name = crate::naming::pascal_case(id);
        let imp = builder
            .iter_mut()
            .find_map(|item| match item {
                syn::Item::Impl(imp) if imp.trait_.is_none() && type_name(&imp.self_ty).as_deref() == Some(&builder_name) => Some(imp),
                _ => None,
            })
            .ok_or_else(|| format!("{id}: no builder {builder_name} in the generated code"))?;
        for (param, item) in &facts.comma_lists {
            let item_ty: syn::Type = match item {
                ListItem::Integer => syn::parse_quote!(i64),
                ListItem::Text => syn::parse_quote!(::std::string::String),
                ListItem::Schema(name) => syn::parse_str(&format!("types::{name}")).map_err(|e| e.to_string())?,
            };
            let ident = syn::Ident::new(param, proc_macro2::Span::call_site());
            let value: syn::Expr =
                if facts.required_query.contains(param) { syn::parse_quote!(Ok(joined)) } else { syn::parse_quote!(Ok(Some(joined))) };
            let setter = imp
                .items
                .iter_mut()
                .find_map(|member| match member {
                    syn::ImplItem::Fn(f) if f.sig.ident == param => Some(f),
                    _ => None,
                })
                .ok_or_else(|| format!("{id}: no setter for the list parameter `{param}`"))?;
            let doc = format!("Sends `{param}` as MOCO's comma-separated list (`{param}=a,b`); takes any collection of values.");
            *setter = syn::parse_quote! {
                #[doc = #doc]
                pub fn #ident<I>(mut self, values: I) -> Self
                where
                    I: ::std::iter::IntoIterator,
                    I::Item: ::std::convert::Into<#item_ty>,
                {
                    let joined = crate::query::comma_join(values.into_iter().map(::std::convert::Into::<#item_ty>::into));
                    self.#ident = #value;
                    self
                }
            };
        }
    }
    Ok(())
}

/// Renames identifiers typify gave a trailing `_` (wire names that are Rust keywords), everywhere
/// they appear: struct fields, builder fields and setters, field accesses.
fn rename_fields(file: &mut syn::File) -> Result<(), String> {
    struct Renamer {
        unknown: Vec<String>,
    }
    impl VisitMut for Renamer {
        // typify's builders name missing fields in messages: "no value supplied for type_".
        fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
            let text = literal.value();
            if let Some((from, to)) = RENAMES.iter().find(|(from, _)| text.ends_with(&format!(" {from}"))) {
                let renamed = format!("{}{to}", &text[..text.len() - from.len()]);
                *literal = syn::LitStr::new(&renamed, literal.span());
            }
        }
        fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
            let name = ident.to_string();
            if !name.ends_with('_') || name.starts_with('_') {
                return;
            }
            match RENAMES.iter().find(|(from, _)| *from == name) {
                Some((_, to)) => *ident = syn::Ident::new(to, ident.span()),
                None => self.unknown.push(name),
            }
        }
    }
    let mut renamer = Renamer { unknown: Vec::new() };
    renamer.visit_file_mut(file);
    renamer.unknown.sort();
    renamer.unknown.dedup();
    if renamer.unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generated code has names ending in `_` ({}); add a Rust name for each to RENAMES in codegen/src/surface.rs and to the README's table",
            renamer.unknown.join(", ")
        ))
    }
}
