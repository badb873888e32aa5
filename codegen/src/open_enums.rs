//! Open enums: response fields with known values that must still accept values MOCO adds later.
//!
//! The spec writes them as `anyOf: [{type: string, enum: [...]}, {type: string, nullable: true}]`
//! (numeric codes: an integer `enum` with `x-enum-varnames`, plus plain integer and string
//! branches; see openapi/CONVENTIONS.md). typify would turn that into a struct of optional
//! halves, so [`hoist`] replaces each one in the generator's copy of the spec with a reference
//! to a placeholder component, which progenitor maps to a type that [`items`] emits: an
//! invocation of the hand-written `open_enum!` macro (`src/open_enum.rs`), giving a
//! `#[non_exhaustive]` enum with an `Unknown(String)` variant.

use serde_json::{json, Map, Value};

use crate::naming::pascal_case;

/// What the wire values are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wire {
    /// Strings.
    Text,
    /// Integer codes, sent as numbers or as numeric strings.
    Integer,
}

/// One open enum found in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenEnum {
    /// The Rust type name.
    pub name: String,
    /// How values travel.
    pub wire: Wire,
    /// `(variant, wire value)` pairs.
    pub variants: Vec<(String, String)>,
    /// Where it was found, for the docs.
    pub found_at: String,
}

/// Replaces every open enum under `components/schemas` with a `$ref` to a placeholder component
/// of its own name (nullable ones as `allOf` + `nullable`, which typify reads as `Option`), and
/// returns them. Fails on two different enums under one name or on unnamable values.
pub fn hoist(spec: &mut Value) -> Result<Vec<OpenEnum>, String> {
    let mut found: Vec<OpenEnum> = Vec::new();
    let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return Ok(found) };
    for (name, schema) in schemas.iter_mut() {
        visit(schema, name, name, &mut found)?;
    }
    if let Some(clash) = found.iter().find(|open| schemas.contains_key(&open.name)) {
        return Err(format!(
            "the open enum at {} would be named {}, which is a component schema already; give it a `title`",
            clash.found_at, clash.name
        ));
    }
    for open in &found {
        schemas.insert(open.name.clone(), json!({ "type": "string", "description": format!("Open enum {}", open.name) }));
    }
    Ok(found)
}

/// `context` is the name an open enum found here gets (`Invoice` + `Status`), `path` where it
/// is, for the docs (`Invoice.status`).
fn visit(value: &mut Value, context: &str, path: &str, found: &mut Vec<OpenEnum>) -> Result<(), String> {
    let Value::Object(map) = value else { return Ok(()) };
    if let Some((open, nullable)) = detect(map, context, path)? {
        let reference = json!({ "$ref": format!("#/components/schemas/{}", open.name) });
        let description = map.get("description").cloned();
        let mut replacement = Map::new();
        if nullable {
            replacement.insert("allOf".into(), json!([reference]));
            replacement.insert("nullable".into(), json!(true));
        } else {
            replacement.insert("allOf".into(), json!([reference]));
        }
        if let Some(description) = description {
            replacement.insert("description".into(), description);
        }
        *map = replacement;
        match found.iter().find(|f| f.name == open.name) {
            Some(existing) if existing.variants != open.variants || existing.wire != open.wire => {
                return Err(format!(
                    "two open enums are named {}: at {} and at {} (give one a different `title`)",
                    open.name, existing.found_at, open.found_at
                ));
            }
            Some(_) => {}
            None => found.push(open),
        }
        return Ok(());
    }
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "properties" => {
                if let Some(properties) = child.as_object_mut() {
                    for (property, schema) in properties.iter_mut() {
                        visit(schema, &format!("{context}{}", pascal_case(property)), &format!("{path}.{property}"), found)?;
                    }
                }
            }
            "items" | "additionalProperties" => visit(child, context, &format!("{path}[]"), found)?,
            "allOf" | "anyOf" | "oneOf" => {
                if let Some(branches) = child.as_array_mut() {
                    for branch in branches {
                        visit(branch, context, path, found)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Recognises the open-enum form: an `anyOf` with exactly one branch carrying a non-null `enum`
/// and only plain scalar branches besides.
fn detect(map: &Map<String, Value>, context: &str, path: &str) -> Result<Option<(OpenEnum, bool)>, String> {
    let Some(branches) = map.get("anyOf").and_then(Value::as_array) else { return Ok(None) };
    let with_enum: Vec<&Value> =
        branches.iter().filter(|b| b.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().any(|v| !v.is_null()))).collect();
    let plain = |b: &Value| {
        b.get("enum").is_none()
            && b.get("$ref").is_none()
            && matches!(b.get("type").and_then(Value::as_str), Some("string" | "integer" | "number"))
    };
    if with_enum.len() != 1 || branches.len() < 2 || !branches.iter().filter(|b| b.get("enum").is_none()).all(plain) {
        return Ok(None);
    }
    let known = with_enum[0];
    let nullable = branches.iter().any(|b| b.get("nullable") == Some(&Value::Bool(true)));
    let name = map.get("title").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| context.to_string());
    let values = known["enum"].as_array().cloned().unwrap_or_default();
    let (wire, variants) = match known.get("type").and_then(Value::as_str) {
        Some("integer") => {
            let names = known
                .get("x-enum-varnames")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("open enum {name}: integer codes need `x-enum-varnames` to name them"))?;
            if names.len() != values.len() {
                return Err(format!("open enum {name}: `x-enum-varnames` has {} names for {} values", names.len(), values.len()));
            }
            let variants =
                values.iter().zip(names).map(|(value, name)| (pascal_case(name.as_str().unwrap_or_default()), value.to_string())).collect();
            (Wire::Integer, variants)
        }
        _ => {
            let variants = values.iter().filter_map(Value::as_str).map(|value| (pascal_case(value), value.to_string())).collect();
            (Wire::Text, variants)
        }
    };
    let variants: Vec<(String, String)> = variants;
    for (i, (variant, value)) in variants.iter().enumerate() {
        if variant.is_empty() || variant == "Unknown" {
            return Err(format!("open enum {name}: cannot name a variant for the value {value:?}"));
        }
        if variants[..i].iter().any(|(other, _)| other == variant) {
            return Err(format!("open enum {name}: two values become the variant {variant}"));
        }
    }
    Ok(Some((OpenEnum { name, wire, variants, found_at: path.to_string() }, nullable)))
}

/// The items that define the open enums, for the generated `types` module.
pub fn items(enums: &[OpenEnum]) -> Result<Vec<syn::Item>, String> {
    enums
        .iter()
        .map(|open| {
            let name = syn::Ident::new(&open.name, proc_macro2::Span::call_site());
            let doc = format!("The known values of `{}`; any other value MOCO sends is kept in `Unknown`.", open.found_at);
            let variants = open.variants.iter().map(|(variant, value)| {
                let variant = syn::Ident::new(variant, proc_macro2::Span::call_site());
                match open.wire {
                    Wire::Text => quote::quote! { #variant = #value },
                    Wire::Integer => {
                        let code = proc_macro2::Literal::i64_unsuffixed(value.parse().unwrap_or_default());
                        quote::quote! { #variant = #code }
                    }
                }
            });
            let kind = match open.wire {
                Wire::Text => quote::quote! { text },
                Wire::Integer => quote::quote! { integer },
            };
            let tokens = quote::quote! {
                crate::open_enum::open_enum! {
                    #[doc = #doc]
                    #name: #kind { #(#variants),* }
                }
            };
            syn::parse2(tokens).map_err(|e| format!("open enum {}: {e}", open.name))
        })
        .collect()
}
