//! Rust names made from the spec's words. One file on its own, without dependencies, so that
//! `cargo xtask docs` includes this very file (`#[path]`) and names types and builders in the API
//! reference exactly as the generated code does.

/// `page-break` → `PageBreak`, `sick_day` → `SickDay`, `Absence` → `Absence`, `1a` → `V1a`.
pub fn pascal_case(text: &str) -> String {
    let mut out = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}
