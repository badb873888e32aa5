//! Finding the generated modules (`types`, `builder`, `types::builder`) in the syntax tree, and
//! reading types out of it.

/// The items of the inline module `name` among `items`.
pub(crate) fn module<'m>(items: &'m [syn::Item], name: &str) -> Option<&'m Vec<syn::Item>> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// Like [`module`], to change them.
pub(crate) fn module_mut<'m>(items: &'m mut [syn::Item], name: &str) -> Option<&'m mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The first type argument of a path segment (`T` of `Option<T>`, `Vec<T>`, `TryInto<T>`).
pub(crate) fn first_generic(segment: &syn::PathSegment) -> Option<syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        }),
        _ => None,
    }
}

/// The last segment of a path type (`Vec` of `::std::vec::Vec<T>`).
pub(crate) fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}
