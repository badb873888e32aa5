//! Finding the generated modules (`types`, `builder`, `types::builder`) in the syntax tree.

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
