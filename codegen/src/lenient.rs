//! Gives every field of the generated types that MOCO's servers send in more than one form the
//! serde functions of mocoapp-types' `lenient` module (openapi/CONVENTIONS.md, "Real answers"),
//! chosen by the field's Rust type, so that no field is forgotten:
//! - integers, decimals, dates and timestamps, alone, optional or in a list:
//!   `#[serde(with = "crate::lenient")]` (decimals the docs send as text:
//!   `crate::lenient::text`);
//! - an optional generated struct (a nested object): `deserialize_with = "crate::lenient::object"`,
//!   which reads `{}` as absent.
//!
//! Optional fields also get `default`, which serde gives an `Option` field by itself only when
//! it has no function of its own, so that a missing field stays `None`. Last, the placeholder
//! `crate::DecimalText` becomes `crate::Decimal` everywhere: one decimal type for users.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// What a field holds, as far as reading it goes.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// Read and written through `crate::lenient`.
    Scalar,
    /// A decimal written as text: `crate::lenient::text`.
    DecimalText,
    /// An optional nested object: `crate::lenient::object`.
    Object,
}

const SCALARS: [&str; 7] =
    ["i64", "u64", "i32", "u32", "crate::Decimal", "::chrono::naive::NaiveDate", "::chrono::DateTime<::chrono::offset::Utc>"];

/// Adds the serde attributes to the fields of every struct and enum variant in `types` (not in
/// its submodules: `types::builder` holds no serde types) and renames the decimal placeholder.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let types = crate::syntax::module_mut(&mut file.items, "types").ok_or("generated code has no `types` module")?;
    let structs: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in types.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(fields) = &mut s.fields else { continue };
        for field in fields.named.iter_mut() {
            let ty = compact(&field.ty);
            let Some((kind, optional)) = classify(&ty, &structs) else { continue };
            let function = match kind {
                Kind::Scalar => quote::quote!(with = "crate::lenient"),
                Kind::DecimalText => quote::quote!(with = "crate::lenient::text"),
                Kind::Object => quote::quote!(deserialize_with = "crate::lenient::object"),
            };
            let has_default = field.attrs.iter().any(|a| a.path().is_ident("serde") && a.to_token_stream().to_string().contains("default"));
            field.attrs.push(if optional && !has_default {
                syn::parse_quote!(#[serde(default, #function)])
            } else {
                syn::parse_quote!(#[serde(#function)])
            });
        }
    }
    // The branches of a `oneOf`/`anyOf` of scalars (typify's untagged enums: a code that is a
    // string or a number) read their integers and decimals leniently too.
    for item in types.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        for variant in e.variants.iter_mut() {
            let syn::Fields::Unnamed(fields) = &mut variant.fields else { continue };
            for field in fields.unnamed.iter_mut() {
                match classify(&compact(&field.ty), &structs) {
                    Some((Kind::Scalar, _)) => field.attrs.push(syn::parse_quote!(#[serde(with = "crate::lenient")])),
                    Some((Kind::DecimalText, _)) => field.attrs.push(syn::parse_quote!(#[serde(with = "crate::lenient::text")])),
                    _ => {}
                }
            }
        }
    }
    RenameDecimalText.visit_file_mut(file);
    Ok(())
}

/// A type's tokens without spaces: `::std::option::Option<i64>`.
fn compact(ty: &syn::Type) -> String {
    ty.to_token_stream().to_string().chars().filter(|c| !c.is_whitespace()).collect()
}

/// The kind of a field's type and whether it is optional; `None` for fields read as they are.
fn classify(ty: &str, structs: &BTreeSet<String>) -> Option<(Kind, bool)> {
    let (inner, optional) = match ty.strip_prefix("::std::option::Option<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => (inner, true),
        None => (ty, false),
    };
    let (leaf, list) = match inner.strip_prefix("::std::vec::Vec<").and_then(|t| t.strip_suffix('>')) {
        Some(leaf) => (leaf, true),
        None => (inner, false),
    };
    if SCALARS.contains(&leaf) {
        Some((Kind::Scalar, optional))
    } else if leaf == "crate::DecimalText" {
        Some((Kind::DecimalText, optional))
    } else if optional && !list && structs.contains(leaf) {
        Some((Kind::Object, true))
    } else {
        None
    }
}

struct RenameDecimalText;

impl VisitMut for RenameDecimalText {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if names == ["crate", "DecimalText"] {
            if let Some(last) = path.segments.last_mut() {
                last.ident = syn::Ident::new("Decimal", last.ident.span());
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structs() -> BTreeSet<String> {
        ["CompanyRef".to_string()].into()
    }

    #[test]
    fn fields_are_classified_by_their_type() {
        let s = structs();
        assert_eq!(classify("i64", &s), Some((Kind::Scalar, false)));
        assert_eq!(classify("::std::option::Option<i64>", &s), Some((Kind::Scalar, true)));
        assert_eq!(classify("::std::vec::Vec<crate::Decimal>", &s), Some((Kind::Scalar, false)));
        assert_eq!(classify("::std::option::Option<::std::vec::Vec<i64>>", &s), Some((Kind::Scalar, true)));
        assert_eq!(classify("::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>", &s), Some((Kind::Scalar, true)));
        assert_eq!(classify("::std::option::Option<crate::DecimalText>", &s), Some((Kind::DecimalText, true)));
        assert_eq!(classify("::std::option::Option<CompanyRef>", &s), Some((Kind::Object, true)));
        // A required object has no absent form; a list of objects reads each as it is.
        assert_eq!(classify("CompanyRef", &s), None);
        assert_eq!(classify("::std::option::Option<::std::vec::Vec<CompanyRef>>", &s), None);
        assert_eq!(classify("::std::option::Option<::std::string::String>", &s), None);
        assert_eq!(classify("::std::option::Option<bool>", &s), None);
    }

    #[test]
    fn attributes_are_added_and_the_placeholder_renamed() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Thing {
                    pub id: i64,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub total: ::std::option::Option<crate::Decimal>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub company: ::std::option::Option<CompanyRef>,
                    pub unit_price: crate::DecimalText,
                    pub name: ::std::string::String,
                }
                pub struct CompanyRef { pub id: i64 }
                #[serde(untagged)]
                pub enum Code { Variant0(::std::string::String), Variant1(::std::option::Option<i64>) }
            }
        };
        apply(&mut file).unwrap();
        let code = prettyplease::unparse(&file);
        assert!(code.contains("#[serde(with = \"crate::lenient\")]\n        pub id: i64"), "{code}");
        // `default` is not added twice.
        assert!(code.contains("#[serde(default, skip_serializing_if = \"::std::option::Option::is_none\")]\n        #[serde(with = \"crate::lenient\")]\n        pub total"), "{code}");
        assert!(code.contains("#[serde(default, deserialize_with = \"crate::lenient::object\")]\n        pub company"), "{code}");
        assert!(code.contains("#[serde(with = \"crate::lenient::text\")]\n        pub unit_price: crate::Decimal,"), "{code}");
        assert!(!code.contains("DecimalText"), "{code}");
        assert!(code.contains("pub name: ::std::string::String"), "{code}");
        assert!(
            code.contains(
                "Variant0(::std::string::String),\n        Variant1(#[serde(with = \"crate::lenient\")] ::std::option::Option<i64>)"
            ),
            "{code}"
        );
    }
}
