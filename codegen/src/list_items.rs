//! `impl ListItem for X` for the item type `X` of every paginated list: which top-level `id`
//! the item has, so that the page streams never yield an entity twice (see mocoapp's
//! `pagination.rs`). Known from the type itself: an `i64` id, an optional one, or none (a text
//! id is no MOCO id and is not compared).

use std::collections::BTreeSet;

use crate::syntax::{module, module_mut};

/// Adds the impls, to the `types` module, for the `type Item` of every `PagedRequest` impl.
pub fn add_list_item_ids(file: &mut syn::File) -> Result<(), String> {
    let builder = module(&file.items, "builder").ok_or("generated code has no `builder` module")?;
    let mut listed = BTreeSet::new();
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((path, _)) = &imp.trait_ else { continue };
        if path.segments.last().is_none_or(|s| s.ident != "PagedRequest") {
            continue;
        }
        for member in &imp.items {
            let syn::ImplItem::Type(t) = member else { continue };
            let syn::Type::Path(p) = &t.ty else { return Err("a paged list's item is no path".into()) };
            match p.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().as_slice() {
                [types, name] if types == "types" => listed.insert(name.clone()),
                _ => return Err(format!("a paged list's item is not a generated type: {}", quote::quote!(#p))),
            };
        }
    }
    let types = module_mut(&mut file.items, "types").ok_or("generated code has no `types` module")?;
    let mut impls: Vec<syn::Item> = Vec::new();
    for name in &listed {
        let body: syn::Expr = match types.iter().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        }) {
            Some(s) => id_of(s),
            None if types.iter().any(|item| matches!(item, syn::Item::Enum(e) if e.ident == name)) => syn::parse_quote!(None),
            None => return Err(format!("the list item type {name} is not in the `types` module")),
        };
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        impls.push(syn::parse_quote! {
            impl crate::ListItem for #ident {
                fn item_id(&self) -> ::std::option::Option<i64> {
                    #body
                }
            }
        });
    }
    types.extend(impls);
    Ok(())
}

/// `Some(self.id)`, `self.id` or `None`, by the type of the struct's `id` field.
fn id_of(s: &syn::ItemStruct) -> syn::Expr {
    let Some(field) = s.fields.iter().find(|f| f.ident.as_ref().is_some_and(|i| i == "id")) else {
        return syn::parse_quote!(None);
    };
    let ty = &field.ty;
    let dense: String = quote::quote!(#ty).to_string().split_whitespace().collect();
    match dense.as_str() {
        "i64" => syn::parse_quote!(Some(self.id)),
        "::std::option::Option<i64>" | "Option<i64>" => syn::parse_quote!(self.id),
        _ => syn::parse_quote!(None),
    }
}
