//! Rewrites of the generated builders that spare every request work it does not need (each
//! measured: BENCHMARKS.md, per-request overhead):
//! - an integer path parameter goes into the URL as its digits: no `String` of its own and no
//!   percent-encoding, which digits and `-` do not need;
//! - an optional query parameter that is not set is left out before reqwest sees it
//!   (`crate::query::OptionalQuery`): reqwest's `query` takes the URL's query apart and puts it back
//!   even for a value that adds nothing;
//! - a path parameter's placeholder in the builder's `new` is an empty `String` rather than a
//!   formatted message: the `Client` method sets every path parameter before the builder is
//!   seen (see `surface.rs`), so the message could never be read.
//!
//! Runs after `wrap.rs` (which names `build_request`) and `surface.rs`.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

use crate::facts::Operations;
use crate::surface::type_name;
use crate::syntax::{first_generic, last_segment, module_mut};

/// Applies the rewrites to every operation builder.
pub fn apply(file: &mut syn::File, operations: &Operations) -> Result<(), String> {
    let builder = module_mut(&mut file.items, "builder").ok_or("generated code has no `builder` module")?;
    let fields = field_kinds(builder);
    let mut uses_optional_query = false;
    for (id, facts) in operations {
        let name = crate::naming::pascal_case(id);
        // (Operations progenitor leaves out, multipart uploads, have no builder.)
        let Some(kinds) = fields.get(&name) else { continue };
        for item in builder.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() || type_name(&imp.self_ty).as_deref() != Some(name.as_str()) {
                continue;
            }
            for member in imp.items.iter_mut() {
                let syn::ImplItem::Fn(f) = member else { continue };
                if f.sig.ident == "build_request" {
                    let mut rewrite = BuildRequest { kinds, integer_paths: 0, optional_queries: 0, error: None };
                    rewrite.visit_block_mut(&mut f.block);
                    if let Some(error) = rewrite.error {
                        return Err(format!("{id}: {error}"));
                    }
                    let integer_params = facts.path_params.iter().filter(|p| kinds.get(*p) == Some(&Kind::Integer)).count();
                    if rewrite.integer_paths != integer_params {
                        return Err(format!(
                            "{id}: {integer_params} integer path parameters, but {} formatted as `encode_path(&p.to_string())`",
                            rewrite.integer_paths
                        ));
                    }
                    uses_optional_query |= rewrite.optional_queries > 0;
                } else if f.sig.ident == "new" {
                    quiet_placeholders(f, &facts.path_params);
                }
            }
        }
    }
    if uses_optional_query {
        builder.insert(
            0,
            syn::parse_quote!(
                use crate::query::OptionalQuery as _;
            ),
        );
    }
    Ok(())
}

/// What a builder field holds, as far as these rewrites are concerned.
#[derive(Debug, PartialEq)]
enum Kind {
    /// `Result<i64, String>` (or another integer type).
    Integer,
    /// `Result<Option<T>, String>`: an optional parameter.
    Optional,
    Other,
}

/// `builder → field → kind`, from the builder structs.
fn field_kinds(builder: &[syn::Item]) -> BTreeMap<String, BTreeMap<String, Kind>> {
    let mut out = BTreeMap::new();
    for item in builder {
        let syn::Item::Struct(s) = item else { continue };
        let fields = s.fields.iter().filter_map(|f| Some((f.ident.as_ref()?.to_string(), kind(&f.ty)))).collect::<BTreeMap<_, _>>();
        out.insert(s.ident.to_string(), fields);
    }
    out
}

fn kind(ty: &syn::Type) -> Kind {
    let Some(result) = last_segment(ty).filter(|s| s.ident == "Result") else { return Kind::Other };
    let Some(inner) = first_generic(result) else { return Kind::Other };
    match last_segment(&inner) {
        Some(s) if ["i64", "i32", "u64", "u32"].iter().any(|t| s.ident == t) => Kind::Integer,
        Some(s) if s.ident == "Option" => Kind::Optional,
        _ => Kind::Other,
    }
}

struct BuildRequest<'k> {
    kinds: &'k BTreeMap<String, Kind>,
    integer_paths: usize,
    optional_queries: usize,
    error: Option<String>,
}

impl VisitMut for BuildRequest<'_> {
    /// `format!("{}/projects/{}", client.baseurl, encode_path(&id.to_string()))` →
    /// `format!("{}/projects/{}", client.baseurl, id)` for an integer `id`.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let mut text = mac.tokens.to_string();
        for (field, kind) in self.kinds {
            if *kind != Kind::Integer {
                continue;
            }
            let ident = syn::Ident::new(field, proc_macro2::Span::call_site());
            let encoded = quote::quote!(encode_path(&#ident.to_string())).to_string();
            let found = text.matches(&encoded).count();
            if found > 0 {
                text = text.replace(&encoded, &ident.to_string());
                self.integer_paths += found;
            }
        }
        match text.parse() {
            Ok(tokens) => mac.tokens = tokens,
            Err(e) => self.error = Some(format!("the URL's format! no longer parses: {e}")),
        }
    }

    /// `builder.query(&progenitor_client::QueryParam::new("name", &name))` →
    /// `builder.optional_query("name", &name)` for an optional `name`.
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else { return };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some((name, value)) = query_param(&call.args[0]) else { return };
        if self.kinds.get(&value.to_string()) != Some(&Kind::Optional) {
            return;
        }
        let receiver = &call.receiver;
        *expr = syn::parse_quote!(#receiver.optional_query(#name, &#value));
        self.optional_queries += 1;
    }
}

/// `&progenitor_client::QueryParam::new("name", &value)` → (`"name"`, `value`).
fn query_param(arg: &syn::Expr) -> Option<(syn::LitStr, syn::Ident)> {
    let syn::Expr::Reference(reference) = arg else { return None };
    let syn::Expr::Call(call) = &*reference.expr else { return None };
    let syn::Expr::Path(function) = &*call.func else { return None };
    let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
    if segments.len() < 2 || segments[segments.len() - 2..] != ["QueryParam", "new"] || call.args.len() != 2 {
        return None;
    }
    let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. }) = &call.args[0] else { return None };
    let syn::Expr::Reference(value) = &call.args[1] else { return None };
    let syn::Expr::Path(value) = &*value.expr else { return None };
    Some((name.clone(), value.path.get_ident()?.clone()))
}

/// `id: Err("id was not initialized".to_string())` → `id: Err(String::new())` for the path
/// parameters, which the `Client` method always sets.
fn quiet_placeholders(new: &mut syn::ImplItemFn, path_params: &[String]) {
    struct Quiet<'p>(&'p [String]);
    impl VisitMut for Quiet<'_> {
        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            let syn::Member::Named(name) = &field.member else { return };
            if self.0.iter().any(|p| name == p) && quote::ToTokens::to_token_stream(&field.expr).to_string().contains("was not initialized")
            {
                field.expr = syn::parse_quote!(Err(::std::string::String::new()));
            }
        }
    }
    Quiet(path_params).visit_block_mut(&mut new.block);
}
