//! Rewrites of the generated syntax tree that connect it to the hand-written layer:
//! - every builder's `send` becomes the crate-private `send_raw`, and a new `send` maps errors
//!   into `crate::Error`;
//! - builders of paginated lists implement `crate::pagination::PagedRequest` and get `stream`,
//!   `pages` and `collect_all` (concurrent once `X-Total` is known) and their `_concurrent(n)`
//!   variants;
//! - the body builders' optional setters take `crate::IntoOptional<X>`.

use crate::syntax::module_mut;

/// Adds `send` wrappers and pagination to every operation builder.
pub fn wrap_builders(file: &mut syn::File) -> Result<(), String> {
    let items = module_mut(&mut file.items, "builder").ok_or("generated code has no `builder` module")?;
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
            .ok_or("a generated `send` does not return Result<ResponseValue<T>, _>")?;
        let generics = &imp.generics;
        let self_ty = &imp.self_ty;
        if last_segment(&success).is_some_and(|s| s.ident == "ByteStream") {
            // Downloads (PDFs): `send` returns the whole body; `send_with_response` streams it.
            added.push(syn::parse_quote! {
                impl #generics #self_ty {
                    /// Sends the request and returns the whole file; see `send_with_response` to
                    /// stream it or to read its status and headers.
                    pub async fn send(self) -> ::std::result::Result<::std::vec::Vec<u8>, crate::Error> {
                        crate::download::collect(self.send_with_response().await?.into_inner()).await
                    }
                    /// Sends the request and returns the answer with its status and headers; the
                    /// body arrives as a stream of chunks.
                    // (`Box::pin`: the request's future is large; boxed once, the awaits above it
                    // move a pointer instead of copying it, which was most of the client's
                    // per-request overhead, see BENCHMARKS.md.)
                    pub async fn send_with_response(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> {
                        crate::error::capture(::std::boxed::Box::pin(self.send_raw())).await
                    }
                }
            });
            continue;
        }
        added.push(syn::parse_quote! {
            impl #generics #self_ty {
                /// Sends the request (with the client's rate limit, retries and impersonation)
                /// and returns the decoded answer; every failure is a [`crate::Error`].
                pub async fn send(self) -> ::std::result::Result<#success, crate::Error> {
                    self.send_with_response().await.map(ResponseValue::into_inner)
                }
                /// Like `send`, but also returns the HTTP status and headers of the answer.
                pub async fn send_with_response(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> {
                    crate::error::capture(::std::boxed::Box::pin(self.send_raw())).await
                }
            }
        });
        if let (true, Some(item_ty)) = (has_page, vec_item_type(&success)) {
            added.push(syn::parse_quote! {
                impl #generics crate::pagination::PagedRequest<'a> for #self_ty {
                    type Item = #item_ty;
                    fn with_page(self, page: i64) -> Self {
                        self.page(page)
                    }
                    fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Item> {
                        ::std::boxed::Box::pin(self.send_with_response())
                    }
                }
            });
            added.push(syn::parse_quote! {
                impl #generics #self_ty {
                    /// Streams every item of every page, keeping all filters (and `per_page`) set
                    /// on this builder. Once the first page tells `X-Total`, the remaining pages
                    /// are fetched `mocoapp::pagination::DEFAULT_CONCURRENCY` at a time (within
                    /// the rate limit); items come in order. Without it, MOCO's
                    /// `Link: rel="next"` header is followed page by page.
                    ///
                    /// Never yields an `id` twice. If the list changes while it is read
                    /// (a page's `X-Total` differs, or an `id` comes twice), it is read again,
                    /// yielding only what is new; if it still changes after
                    /// `mocoapp::pagination::MAX_PASSES` passes, the stream ends with
                    /// `Error::Pagination` after the items it got, since some may be missing.
                    /// Retried pages (see `RetryPolicy`) are transparent. The guarantee and its
                    /// limits are in the `mocoapp::pagination` module docs.
                    pub fn stream(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<#item_ty, crate::Error>> {
                        crate::pagination::stream_items_concurrent(self, crate::pagination::DEFAULT_CONCURRENCY)
                    }
                    /// Like `stream`, with at most `concurrency` pages in flight (1: one after
                    /// the other, following `Link: rel="next"`).
                    pub fn stream_concurrent(self, concurrency: usize) -> ::futures::stream::BoxStream<'a, ::std::result::Result<#item_ty, crate::Error>> {
                        crate::pagination::stream_items_concurrent(self, concurrency)
                    }
                    /// Streams whole pages, in order, with their `X-Page`/`X-Per-Page`/`X-Total`
                    /// metadata; fetched like `stream`, but as MOCO sent them: no de-duplication,
                    /// no second pass when the list changes (compare the pages' `total`).
                    pub fn pages(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<crate::Page<#item_ty>, crate::Error>> {
                        crate::pagination::stream_pages_concurrent(self, crate::pagination::DEFAULT_CONCURRENCY)
                    }
                    /// Like `pages`, with at most `concurrency` pages in flight.
                    pub fn pages_concurrent(self, concurrency: usize) -> ::futures::stream::BoxStream<'a, ::std::result::Result<crate::Page<#item_ty>, crate::Error>> {
                        crate::pagination::stream_pages_concurrent(self, concurrency)
                    }
                    /// Fetches every page (like `stream`) and returns all items in order, each `id`
                    /// once; `Error::Pagination` if the list kept changing while it was read.
                    pub async fn collect_all(self) -> ::std::result::Result<::std::vec::Vec<#item_ty>, crate::Error> {
                        crate::pagination::collect_all_concurrent(self, crate::pagination::DEFAULT_CONCURRENCY).await
                    }
                    /// Like `collect_all`, with at most `concurrency` pages in flight.
                    pub async fn collect_all_concurrent(self, concurrency: usize) -> ::std::result::Result<::std::vec::Vec<#item_ty>, crate::Error> {
                        crate::pagination::collect_all_concurrent(self, concurrency).await
                    }
                }
            });
        }
    }
    items.extend(added);
    Ok(())
}

/// typify's body builders take optional fields as `T: TryInto<Option<X>>`, which `&str` is not
/// (for `X = String`). Their setters are rewritten to take `T: crate::IntoOptional<X>`: an `X`,
/// an `Option<X>`, or a `&str` for text.
pub fn relax_optional_setters(file: &mut syn::File) -> Result<(), String> {
    let types_mod = module_mut(&mut file.items, "types").ok_or("generated code has no `types` module")?;
    let Some(builders) = module_mut(types_mod, "builder") else { return Ok(()) };
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
    Ok(())
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
