//! One generated file for every set of features: the code for all resources, each item gated
//! with `#[cfg(feature = "...")]` by the resources that need it.
//!
//! The generated code is committed (`src/generated/codegen.rs`, written by `cargo xtask codegen`)
//! so that building the client does not build and run the generator, which was a third of a
//! clean build (see BENCHMARKS.md, "Build cost"). Cargo features still prune it: the code is
//! generated once with no resource ("base": the session operations and the always-kept schemas),
//! once per resource and once with all; an item of the full code present in the base output
//! stays ungated, any other gets `cfg(any(...))` of the resources whose output has it.
//! [`gate`] then checks its own work: with the cfgs of one resource applied, the full code must be
//! exactly what generating that resource alone gives, item for item.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

/// One generation: its name (`None` for the base) and its syntax tree.
pub struct Generation {
    pub feature: Option<String>,
    pub file: syn::File,
}

/// Gates the items of `full` by the generations that contain them; fails if an item of `full`
/// is in none of them, or if the gated code, seen with one feature, differs from that feature's
/// own generation.
pub fn gate(full: &mut syn::File, generations: &[Generation]) -> Result<(), String> {
    let mut presence: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for generation in generations {
        let mut keys = Vec::new();
        collect_keys(&generation.file.items, "", &mut keys);
        for key in keys {
            presence.entry(key).or_default().insert(generation.feature.clone());
        }
    }
    let everywhere: BTreeSet<Option<String>> = generations.iter().map(|g| g.feature.clone()).collect();
    gate_items(&mut full.items, "", &everywhere, &presence)?;
    for generation in generations {
        let seen = project(&full.items, generation.feature.as_deref());
        compare(&seen, &generation.file.items, "").map_err(|difference| {
            format!(
                "the gated code seen with {} differs from generating that alone: {difference}",
                generation.feature.as_deref().map_or("no resource feature".to_string(), |f| format!("feature `{f}`"))
            )
        })?;
    }
    Ok(())
}

/// A key naming an item in its module or impl block, stable across generations: the kind and
/// name, the trait and self type of an impl, or the whole tokens of anything else.
fn key(item: &syn::Item) -> String {
    match item {
        syn::Item::Struct(s) => format!("struct {}", s.ident),
        syn::Item::Enum(e) => format!("enum {}", e.ident),
        syn::Item::Type(t) => format!("type {}", t.ident),
        syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
        syn::Item::Const(c) => format!("const {}", c.ident),
        syn::Item::Static(s) => format!("static {}", s.ident),
        syn::Item::Trait(t) => format!("trait {}", t.ident),
        syn::Item::Mod(m) => format!("mod {}", m.ident),
        syn::Item::Impl(imp) => {
            let generics = imp.generics.to_token_stream();
            let self_ty = imp.self_ty.to_token_stream();
            match &imp.trait_ {
                Some((path, _)) => format!("impl{generics} {} for {self_ty}", path.to_token_stream()),
                None => format!("impl{generics} {self_ty}"),
            }
        }
        other => other.to_token_stream().to_string(),
    }
}

fn impl_item_key(item: &syn::ImplItem) -> String {
    match item {
        syn::ImplItem::Fn(f) => format!("fn {}", f.sig.ident),
        syn::ImplItem::Const(c) => format!("const {}", c.ident),
        syn::ImplItem::Type(t) => format!("type {}", t.ident),
        other => other.to_token_stream().to_string(),
    }
}

fn collect_keys(items: &[syn::Item], path: &str, out: &mut Vec<String>) {
    for item in items {
        let here = format!("{path}/{}", key(item));
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_keys(inner, &here, out);
                }
            }
            syn::Item::Impl(imp) => {
                out.extend(imp.items.iter().map(|i| format!("{here}/{}", impl_item_key(i))));
            }
            _ => {}
        }
        out.push(here);
    }
}

/// Adds a cfg to every item whose presence differs from its parent's (`inherited`).
fn gate_items(
    items: &mut [syn::Item],
    path: &str,
    inherited: &BTreeSet<Option<String>>,
    presence: &BTreeMap<String, BTreeSet<Option<String>>>,
) -> Result<(), String> {
    for item in items.iter_mut() {
        let here = format!("{path}/{}", key(item));
        let present = presence.get(&here).ok_or_else(|| format!("`{here}` is in no single resource's code"))?;
        if present != inherited {
            add_cfg(attrs_mut(item), present)?;
        }
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    gate_items(inner, &here, present, presence)?;
                }
            }
            syn::Item::Impl(imp) => {
                for inner in &mut imp.items {
                    let inner_key = format!("{here}/{}", impl_item_key(inner));
                    let inner_present = presence.get(&inner_key).ok_or_else(|| format!("`{inner_key}` is in no single resource's code"))?;
                    if inner_present != present {
                        if let syn::ImplItem::Fn(f) = inner {
                            add_cfg(Some(&mut f.attrs), inner_present)?;
                        } else {
                            return Err(format!("`{inner_key}` would need a cfg of its own"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn add_cfg(attrs: Option<&mut Vec<syn::Attribute>>, present: &BTreeSet<Option<String>>) -> Result<(), String> {
    let attrs = attrs.ok_or("an item that needs a cfg cannot carry attributes")?;
    if present.contains(&None) {
        // In the base output: present whatever the features.
        return Ok(());
    }
    let features: Vec<&str> = present.iter().flatten().map(String::as_str).collect();
    attrs.push(match features.as_slice() {
        [one] => syn::parse_quote!(#[cfg(feature = #one)]),
        many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
    });
    Ok(())
}

fn attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(i) => Some(&mut i.attrs),
        syn::Item::Enum(i) => Some(&mut i.attrs),
        syn::Item::Type(i) => Some(&mut i.attrs),
        syn::Item::Fn(i) => Some(&mut i.attrs),
        syn::Item::Const(i) => Some(&mut i.attrs),
        syn::Item::Static(i) => Some(&mut i.attrs),
        syn::Item::Trait(i) => Some(&mut i.attrs),
        syn::Item::Mod(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Use(i) => Some(&mut i.attrs),
        syn::Item::Macro(i) => Some(&mut i.attrs),
        _ => None,
    }
}

/// The features of a cfg [`add_cfg`] wrote (`feature = "a"` or `any(feature = "a", ...)`);
/// `None` for any other cfg (progenitor writes `cfg(not(target_arch = "wasm32"))`).
fn feature_cfg(attr: &syn::Attribute) -> Option<Vec<String>> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let mut named = Vec::new();
    attr.parse_nested_meta(|meta| {
        let mut feature = |meta: syn::meta::ParseNestedMeta| -> syn::Result<()> {
            if !meta.path.is_ident("feature") {
                return Err(meta.error("not a feature"));
            }
            named.push(meta.value()?.parse::<syn::LitStr>()?.value());
            Ok(())
        };
        if meta.path.is_ident("any") {
            meta.parse_nested_meta(feature)
        } else {
            feature(meta)
        }
    })
    .ok()?;
    Some(named)
}

/// Whether an item with these attributes is compiled with `feature` alone (`None`: no
/// resource); its feature cfgs are removed.
fn take_enabled(attrs: &mut Vec<syn::Attribute>, feature: Option<&str>) -> bool {
    let mut on = true;
    attrs.retain(|a| match feature_cfg(a) {
        Some(features) => {
            on &= feature.is_some_and(|f| features.iter().any(|n| n == f));
            false
        }
        None => true,
    });
    on
}

/// The items the compiler keeps with `feature` alone, cfgs removed.
fn project(items: &[syn::Item], feature: Option<&str>) -> Vec<syn::Item> {
    let mut kept = Vec::new();
    for item in items {
        let mut item = item.clone();
        let Some(attrs) = attrs_mut(&mut item) else {
            kept.push(item);
            continue;
        };
        if !take_enabled(attrs, feature) {
            continue;
        }
        match &mut item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    *inner = project(inner, feature);
                }
            }
            syn::Item::Impl(imp) => {
                imp.items.retain_mut(|i| match i {
                    syn::ImplItem::Fn(f) => take_enabled(&mut f.attrs, feature),
                    _ => true,
                });
            }
            _ => {}
        }
        kept.push(item);
    }
    kept
}

/// Compares two item lists by key, recursing into modules and impl blocks (impl blocks with the
/// same key are taken together); the first difference found, named by its key.
fn compare(seen: &[syn::Item], expected: &[syn::Item], path: &str) -> Result<(), String> {
    fn by_key(items: &[syn::Item]) -> BTreeMap<String, Vec<&syn::Item>> {
        let mut map: BTreeMap<String, Vec<&syn::Item>> = BTreeMap::new();
        for item in items {
            map.entry(key(item)).or_default().push(item);
        }
        map
    }
    fn module_items(items: &[&syn::Item]) -> Vec<syn::Item> {
        items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Mod(m) => m.content.as_ref().map(|(_, inner)| inner.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }
    fn text(items: &[&syn::Item]) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (n, item) in items.iter().enumerate() {
            match item {
                syn::Item::Impl(imp) => {
                    let attrs = &imp.attrs;
                    out.insert(format!("{n} attrs"), quote::quote!(#(#attrs)*).to_string());
                    for inner in &imp.items {
                        out.insert(impl_item_key(inner), inner.to_token_stream().to_string());
                    }
                }
                syn::Item::Mod(m) => {
                    let attrs = &m.attrs;
                    out.insert(format!("{n}"), quote::quote!(#(#attrs)*).to_string());
                }
                other => {
                    out.insert(format!("{n}"), other.to_token_stream().to_string());
                }
            }
        }
        out
    }
    let (seen, expected) = (by_key(seen), by_key(expected));
    for k in seen.keys().chain(expected.keys()) {
        let here = format!("{path}/{k}");
        let (Some(a), Some(b)) = (seen.get(k), expected.get(k)) else {
            return Err(format!("`{here}` is {}", if seen.contains_key(k) { "extra" } else { "missing" }));
        };
        if let [syn::Item::Mod(_), ..] = a.as_slice() {
            compare(&module_items(a), &module_items(b), &here)?;
        }
        let (a, b) = (text(a), text(b));
        if a != b {
            let which = a.keys().chain(b.keys()).find(|i| a.get(*i) != b.get(*i)).cloned().unwrap_or_default();
            return Err(format!("`{here}` differs ({which})"));
        }
    }
    Ok(())
}
