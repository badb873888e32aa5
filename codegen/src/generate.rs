//! progenitor itself, with the settings the wrapper relies on, and the search for the operations
//! at fault when it fails.

use serde_json::{json, Value};

/// Generates the client's token stream from the adapted spec.
/// `replaced` names the placeholder components of open enums (see `open_enums.rs`); their Rust
/// types are emitted separately.
pub fn generate(raw: &Value, replaced: &[String]) -> Result<proc_macro2::TokenStream, String> {
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).map_err(|e| format!("the spec is not an OpenAPI 3.0 document: {e}"))?;
    let mut settings = progenitor::GenerationSettings::default();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_inner_type("crate::client::ClientState".parse().unwrap())
        .with_hooks(progenitor::HooksMode::Expected)
        .with_derive("PartialEq")
        // Custom field values are strings or lists of strings; the hand-written type gives
        // typed accessors and tolerates other JSON the server may send.
        .with_replacement("CustomProperties", "crate::CustomFields", std::iter::empty())
        .with_replacement("CustomPropertiesInput", "crate::CustomFields", std::iter::empty());
    // Exact decimals (see adapt.rs); `lenient.rs` turns `DecimalText` into `Decimal` once its
    // fields have their serde functions.
    for name in crate::adapt::DECIMAL_PLACEHOLDERS {
        settings.with_replacement(name, format!("crate::{name}"), std::iter::empty());
    }
    for name in replaced {
        settings.with_replacement(name, format!("crate::types::{name}"), std::iter::empty());
    }
    // progenitor reports some problems by panicking; turn those into an error too.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(move || progenitor::Generator::new(&settings).generate_tokens(&spec));
    std::panic::set_hook(previous_hook);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(format!("progenitor cannot generate the client: {e}")),
        Err(panic) => Err(format!("progenitor panicked: {}{}", panic_message(&panic), hint(&panic_message(&panic)))),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

/// What the panics progenitor is known for mean (see ../shared/PROGENITOR.md).
fn hint(panic: &str) -> &'static str {
    if panic.contains("response_types.len() <= 1") {
        " (an operation may have one success body type and one error body type; give every 2xx the same schema)"
    } else {
        ""
    }
}

/// Generates each operation alone to find the ones progenitor rejects.
pub fn blame_operations(raw: &Value, replaced: &[String]) -> String {
    let mut culprits = Vec::new();
    let paths = raw.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    for (path, item) in &paths {
        for method in ["get", "put", "post", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let mut single_item = json!({ method: op });
            if let Some(shared) = item.get("parameters") {
                single_item["parameters"] = shared.clone();
            }
            let mut single = raw.clone();
            single["paths"] = json!({ path.clone(): single_item });
            if let Err(e) = generate(&single, replaced) {
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or("(no operationId)");
                culprits.push(format!("  - {id} ({} {path}): {e}", method.to_uppercase()));
            }
        }
    }
    if culprits.is_empty() {
        "Every operation generates on its own; the problem lies in how they combine (duplicate names?).".into()
    } else {
        format!("Operations at fault:\n{}", culprits.join("\n"))
    }
}
