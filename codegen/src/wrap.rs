//! Rewrites of the generated syntax tree that connect it to the hand-written layer:
//! - every builder's `send` is split: what builds the request stays as the crate-private,
//!   synchronous `build_request` (with `crate::hooks::prepare` in place of progenitor's async
//!   `pre` hook); the new `send` and `send_with_response` send it through `crate::hooks::send`
//!   and take over progenitor's `match` on the answer's status, where the spec's success
//!   statuses decode through `crate::answer::Call` and every other status is an error (see
//!   `src/answer.rs`). `send` decodes straight into the operation's type rather than through
//!   `send_with_response`: a decoded value or a future moved through one layer fewer is a
//!   measurable share of the client's own cost (BENCHMARKS.md, per-request overhead);
//! - progenitor's `api-version` header is not sent (MOCO has no use for it);
//! - builders of paginated lists implement `crate::pagination::PagedRequest` and get `stream`,
//!   `pages` and `collect_all` (concurrent once `X-Total` is known) and their `_concurrent(n)`
//!   variants;
//! - the body builders' optional setters take `crate::IntoOptional<X>`.

use crate::syntax::{first_generic, last_segment, module_mut};

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
        send.sig.ident = syn::Ident::new("build_request", send.sig.ident.span());
        send.sig.asyncness = None;
        send.vis = syn::parse_quote!(pub(crate));
        send.attrs.retain(|a| !a.path().is_ident("doc"));
        let success = response_value_type(&send.sig.output).ok_or("a generated `send` does not return Result<ResponseValue<T>, _>")?;
        drop_api_version(send);
        let (operation, arms) = split_send(send)?;
        let download = last_segment(&success).is_some_and(|s| s.ident == "ByteStream");
        let kind: syn::Path =
            if download { syn::parse_quote!(crate::hooks::Success::File) } else { syn::parse_quote!(crate::hooks::Success::Json) };
        let by_status = |arms: Vec<syn::Arm>| -> syn::Block {
            syn::parse_quote!({
                let (client, call) = (self.client, crate::answer::Call::new(self.client, #operation));
                let request = self.build_request().map_err(crate::error::not_sent)?;
                let answer = crate::hooks::send(client, #operation, request, #kind).await?;
                match answer.status().as_u16() {
                    #(#arms,)*
                    _ => ::std::result::Result::Err(call.failure(answer)),
                }
            })
        };
        let answer = by_status(arms.iter().map(|(with_response, _)| with_response.clone()).collect());
        let generics = &imp.generics;
        let self_ty = &imp.self_ty;
        if download {
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
                    pub async fn send_with_response(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> #answer
                }
            });
            continue;
        }
        let value = by_status(arms.into_iter().map(|(_, value)| value).collect());
        added.push(syn::parse_quote! {
            impl #generics #self_ty {
                /// Sends the request (with the client's rate limit, retries and impersonation)
                /// and returns the decoded answer; every failure is a [`crate::Error`].
                pub async fn send(self) -> ::std::result::Result<#success, crate::Error> #value
                /// Like `send`, but also returns the HTTP status and headers of the answer.
                pub async fn send_with_response(self) -> ::std::result::Result<ResponseValue<#success>, crate::Error> #answer
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
                    fn client(&self) -> ::std::option::Option<&'a crate::Client> {
                        ::std::option::Option::Some(self.client)
                    }
                }
            });
            added.push(syn::parse_quote! {
                impl #generics #self_ty {
                    /// Streams every item of every page, keeping all filters (and `per_page`) set
                    /// on this builder. Once the first page tells `X-Total`, the remaining pages
                    /// are fetched concurrently, as many as the client's rate limit has room for
                    /// (from `mocoapp::pagination::DEFAULT_CONCURRENCY` to `MAX_CONCURRENCY`);
                    /// items come in order. Without it, MOCO's `Link: rel="next"` header is
                    /// followed page by page.
                    ///
                    /// Never yields an `id` twice. If the list changes while it is read
                    /// (a page's `X-Total` differs, or an `id` comes twice), it is read again,
                    /// yielding only what is new; if it still changes after
                    /// `mocoapp::pagination::MAX_PASSES` passes, the stream ends with
                    /// `Error::Pagination` after the items it got, since some may be missing.
                    /// Retried pages (see `RetryPolicy`) are transparent. The guarantee and its
                    /// limits are in the `mocoapp::pagination` module docs.
                    pub fn stream(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<#item_ty, crate::Error>> {
                        crate::pagination::stream_items_auto(self)
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
                        crate::pagination::stream_pages_auto(self)
                    }
                    /// Like `pages`, with at most `concurrency` pages in flight.
                    pub fn pages_concurrent(self, concurrency: usize) -> ::futures::stream::BoxStream<'a, ::std::result::Result<crate::Page<#item_ty>, crate::Error>> {
                        crate::pagination::stream_pages_concurrent(self, concurrency)
                    }
                    /// Fetches every page (like `stream`) and returns all items in order, each `id`
                    /// once; `Error::Pagination` if the list kept changing while it was read.
                    pub async fn collect_all(self) -> ::std::result::Result<::std::vec::Vec<#item_ty>, crate::Error> {
                        crate::pagination::collect_all_auto(self).await
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

/// Removes progenitor's `api-version` header (the spec's `info.version`, which MOCO has no use
/// for) from a generated `send`, and starts its header map empty instead of with room reserved:
/// most calls add no header of their own, and an empty map costs no allocation.
fn drop_api_version(send: &mut syn::ImplItemFn) {
    send.block.stmts.retain(|stmt| !quote::quote!(#stmt).to_string().contains("\"api-version\""));
    for stmt in send.block.stmts.iter_mut() {
        let syn::Stmt::Local(local) = stmt else { continue };
        let Some(init) = &mut local.init else { continue };
        if dense(&init.expr).starts_with("::reqwest::header::HeaderMap::with_capacity(") {
            *init.expr = syn::parse_quote!(::reqwest::header::HeaderMap::new());
        }
    }
}

/// Splits a generated `send` (already renamed `build_request`): it keeps building the request,
/// prepares it with `crate::hooks::prepare` and returns it. Gives back the operation's id and
/// the arms of its `match` on the status that are successes, rewritten to decode through
/// `crate::answer::Call`, each twice: for `send_with_response` (a `ResponseValue`) and for `send`
/// (the value alone). The error arms are left to `Call::failure`.
fn split_send(send: &mut syn::ImplItemFn) -> Result<(syn::LitStr, Vec<(syn::Arm, syn::Arm)>), String> {
    let name = send.sig.ident.to_string();
    let operation = send
        .block
        .stmts
        .iter()
        .find_map(|stmt| match stmt {
            syn::Stmt::Local(syn::Local { init: Some(init), .. }) => match &*init.expr {
                syn::Expr::Struct(s) if s.path.is_ident("OperationInfo") => s.fields.iter().find_map(|f| match (&f.member, &f.expr) {
                    (syn::Member::Named(m), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. })) if m == "operation_id" => {
                        Some(id.clone())
                    }
                    _ => None,
                }),
                _ => None,
            },
            _ => None,
        })
        .ok_or_else(|| format!("{name}: no `OperationInfo {{ operation_id }}` in the generated code"))?;
    let id = operation.value();
    let Some(syn::Stmt::Expr(syn::Expr::Match(by_status), None)) = send.block.stmts.pop() else {
        return Err(format!("{id}: the generated `send` does not end in a `match` on the status"));
    };
    let mut arms = Vec::new();
    for arm in by_status.arms {
        let body = dense(&arm.body);
        // (A body of one expression may come in braces.)
        let body = match body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            Some(inner) if !inner.contains(';') => inner.to_string(),
            _ => body,
        };
        if body.contains("Error::ErrorResponse") || body.contains("Error::UnexpectedResponse") {
            continue;
        }
        let pat = &arm.pat;
        match body.as_str() {
            "ResponseValue::from_response(response).await" => {
                arms.push((syn::parse_quote!(#pat => call.json(answer)), syn::parse_quote!(#pat => call.value(answer))))
            }
            "Ok(ResponseValue::empty(response))" => {
                arms.push((syn::parse_quote!(#pat => Ok(call.empty(answer))), syn::parse_quote!(#pat => Ok(()))))
            }
            // (`send` of a download collects `send_with_response`'s stream: its own arm is unused.)
            "Ok(ResponseValue::stream(response))" => {
                arms.push((syn::parse_quote!(#pat => call.stream(answer)), syn::parse_quote!(#pat => call.stream(answer))))
            }
            _ => return Err(format!("{id}: a status arm this rewrite does not know: {} => {body}", dense(pat))),
        }
    }
    // progenitor's tail: `exec` (replaced by `crate::hooks::send`, called by `send`, which returns
    // the answer's head and body apart), `post` (a hook this client does not use), and
    // unwrapping the result.
    let tail = ["letresult=client.exec(request,&info).await;", "client.post(&result,&info).await?;", "letresponse=result?;"];
    for expected in tail {
        let at = send.block.stmts.iter().position(|stmt| dense(stmt) == expected);
        send.block.stmts.remove(at.ok_or_else(|| format!("{id}: no `{expected}` in the generated `send`"))?);
    }
    // progenitor's `pre` hook is async, which would make building the request a future of its
    // own; `prepare` does the same work without one.
    let pre = send.block.stmts.iter().position(|stmt| dense(stmt) == "client.pre(&mutrequest,&info).await?;");
    let pre = pre.ok_or_else(|| format!("{id}: no `client.pre(&mut request, &info).await?` in the generated `send`"))?;
    send.block.stmts[pre] = syn::parse_quote!(crate::hooks::prepare(client, &mut request, &info););
    if send.block.stmts.iter().any(|stmt| dense(stmt).contains(".await")) {
        return Err(format!("{id}: the generated `send` awaits something besides its hooks; `build_request` cannot be synchronous"));
    }
    send.block.stmts.push(syn::Stmt::Expr(syn::parse_quote!(Ok(request)), None));
    let syn::ReturnType::Type(_, output) = &mut send.sig.output else { unreachable!("checked by response_value_type") };
    let error = last_segment(output).and_then(|result| match &result.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().nth(1).cloned(),
        _ => None,
    });
    let error = error.ok_or_else(|| format!("{id}: the generated `send` has no error type"))?;
    **output = syn::parse_quote!(::std::result::Result<::reqwest::Request, #error>);
    Ok((operation, arms))
}

/// Tokens without whitespace, for comparing generated code with what a rewrite expects.
fn dense(tokens: &impl quote::ToTokens) -> String {
    quote::ToTokens::to_token_stream(tokens).to_string().split_whitespace().collect()
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
