//! Keeps the type builders (`types::builder::X`, `X::builder()`) of request types only.
//!
//! typify emits a builder for every schema when progenitor uses its builder interface; a
//! response type never needs one (MOCO builds it, serde decodes it), and the builders were over a
//! third of the generated code and most of its `From`/`TryFrom` impls, which the compiler checks
//! for coherence one against another (see BENCHMARKS.md, "Build cost"). A type keeps its builder
//! when an operation's body uses it, or a type that keeps one holds it in a field: invoice items
//! and other nested request values are built the same way as the body around them.

use std::collections::BTreeSet;

use syn::visit::Visit;

use crate::syntax::{module, module_mut};

/// Removes the builders of the types no request body reaches.
pub fn prune_type_builders(file: &mut syn::File) -> Result<(), String> {
    let roots = {
        let operations = module(&file.items, "builder").ok_or("generated code has no `builder` module")?;
        let mut roots = BuilderPaths::default();
        for item in operations {
            roots.visit_item(item);
        }
        roots.0
    };
    let types = module_mut(&mut file.items, "types").ok_or("generated code has no `types` module")?;
    let keep = request_types(types, roots);
    let builders = module_mut(types, "builder").ok_or("generated code has no `types::builder` module")?;
    builders.retain(|item| subject(item).is_none_or(|name| keep.contains(&name)));
    types.retain_mut(|item| {
        let needed = subject(item).is_none_or(|name| keep.contains(&name));
        match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() && !needed => {
                imp.items.retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
                !imp.items.is_empty()
            }
            _ => true,
        }
    });
    Ok(())
}

/// The body types the operations use, and every type of the `types` module their fields hold,
/// transitively.
fn request_types(types: &[syn::Item], roots: BTreeSet<String>) -> BTreeSet<String> {
    let defined: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut keep = BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !keep.insert(name.clone()) {
            continue;
        }
        let mut named = TypeNames::default();
        for item in types {
            match item {
                syn::Item::Struct(s) if s.ident == name => named.visit_fields(&s.fields),
                syn::Item::Enum(e) if e.ident == name => e.variants.iter().for_each(|v| named.visit_fields(&v.fields)),
                _ => {}
            }
        }
        todo.extend(named.0.into_iter().filter(|n| defined.contains(n) && !keep.contains(n)));
    }
    keep
}

/// The type a builder-module item is about: a struct's name, or the last segment of an impl's
/// self type (`impl TryFrom<X> for super::X` is about `X`).
fn subject(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Impl(imp) => match &*imp.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Collects `X` of every path `types::builder::X`.
#[derive(Default)]
struct BuilderPaths(BTreeSet<String>);

impl<'ast> Visit<'ast> for BuilderPaths {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let [.., types, builder, name] = segments.as_slice() {
            if types == "types" && builder == "builder" {
                self.0.insert(name.clone());
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// Collects the identifier of every path segment in the types it visits (`Vec<super::X>` gives
/// `Vec`, `super` and `X`; the caller keeps the names of generated types).
#[derive(Default)]
struct TypeNames(BTreeSet<String>);

impl<'ast> Visit<'ast> for TypeNames {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        self.0.insert(segment.ident.to_string());
        syn::visit::visit_path_segment(self, segment);
    }
}
