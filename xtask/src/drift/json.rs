//! A lenient reader for the JSON in MOCO's docs: it only needs the shape (objects, their keys,
//! arrays), and the docs' examples are not always valid JSON (`// comments`, trailing commas,
//! `"key", value`, `"key: "value"`, annotations after a value, `...`). It never fails: whatever it
//! cannot read becomes a scalar.

/// The shape of a JSON example.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Null,
    /// Any other scalar (string, number, boolean) or unreadable text.
    Scalar,
}

impl Json {
    /// Reads `text` leniently; `None` when it does not start with `{` or `[`.
    pub fn parse(text: &str) -> Option<Json> {
        let mut reader = Reader { chars: text.chars().collect(), pos: 0 };
        reader.skip_ws();
        match reader.peek() {
            Some('{') | Some('[') => Some(reader.value()),
            _ => None,
        }
    }
}

struct Reader {
    chars: Vec<char>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Skips whitespace and `//` or `#` comments up to the end of their line.
    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += 1;
            } else if c == '/' && self.chars.get(self.pos + 1) == Some(&'/') {
                self.skip_line();
            } else {
                break;
            }
        }
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '\n' {
                break;
            }
        }
    }

    fn value(&mut self) -> Json {
        self.skip_ws();
        match self.peek() {
            Some('{') => self.object(),
            Some('[') => self.array(),
            Some('"') => {
                self.string();
                Json::Scalar
            }
            _ => {
                let token = self.bare();
                if token == "null" {
                    Json::Null
                } else {
                    Json::Scalar
                }
            }
        }
    }

    /// A quoted string (the opening quote at `pos`), without its quotes.
    fn string(&mut self) -> String {
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '"' => break,
                '\\' => {
                    if let Some(next) = self.peek() {
                        self.pos += 1;
                        out.push(next);
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// An unquoted token: up to a delimiter or the end of the line.
    fn bare(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if matches!(c, ',' | '}' | ']' | '\n') {
                break;
            }
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect::<String>().trim().to_string()
    }

    /// After a value: a separator, the closing bracket, or text to skip (an annotation).
    fn after_value(&mut self, close: char) {
        self.skip_ws();
        match self.peek() {
            Some(',') => self.pos += 1,
            Some(c) if c == close => {}
            Some(_) => {
                // `"file_url": "..." ⚠️ annotation`: skip the rest of the line.
                self.skip_line();
            }
            None => {}
        }
    }

    fn object(&mut self) -> Json {
        self.pos += 1;
        let mut fields = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => break,
                Some('}') => {
                    self.pos += 1;
                    break;
                }
                Some(',') => self.pos += 1,
                Some('"') => {
                    let raw = self.string();
                    self.skip_ws();
                    // `"unit:"` and `"credit_account: "4000"`: the colon ended up in the key.
                    let key = match raw.split_once(':') {
                        Some((key, _)) => key.trim().to_string(),
                        None => raw.trim().to_string(),
                    };
                    let value = match self.peek() {
                        Some(':') => {
                            self.pos += 1;
                            self.value()
                        }
                        // `"net_total", 12.0`: a comma where the colon belongs.
                        Some(',') if !raw.contains(':') => {
                            self.pos += 1;
                            self.value()
                        }
                        Some('}') | Some(',') => Json::Scalar,
                        // `"credit_account: "4000"`: the value follows the key's closing quote.
                        _ => self.value(),
                    };
                    if !key.is_empty() {
                        fields.push((key, value));
                    }
                    self.after_value('}');
                }
                Some(_) => {
                    // An unquoted key or `...`: skip to the next separator.
                    let _ = self.bare();
                    if self.peek() == Some('\n') {
                        self.pos += 1;
                    }
                }
            }
        }
        Json::Object(fields)
    }

    fn array(&mut self) -> Json {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => break,
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                Some(',') => self.pos += 1,
                Some('}') => {
                    // A stray closing brace: give up on this array.
                    break;
                }
                Some(_) => {
                    let before = self.pos;
                    let item = self.value();
                    if !(item == Json::Scalar && self.pos == before) {
                        items.push(item);
                    }
                    self.after_value(']');
                    if self.pos == before {
                        self.pos += 1;
                    }
                }
            }
        }
        Json::Array(items)
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    fn keys(json: &Json) -> Vec<String> {
        match json {
            Json::Object(fields) => fields.iter().map(|(k, _)| k.clone()).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn reads_valid_json() {
        let json = Json::parse(r#"{"a": 1, "b": {"c": [1, 2]}, "d": null, "e": "x, y"}"#).unwrap();
        assert_eq!(keys(&json), ["a", "b", "d", "e"]);
        let Json::Object(fields) = &json else { panic!() };
        assert_eq!(fields[1].1, Json::Object(vec![("c".into(), Json::Array(vec![Json::Scalar, Json::Scalar]))]));
        assert_eq!(fields[2].1, Json::Null);
    }

    #[test]
    fn reads_the_docs_broken_json() {
        let text = r#"{
          "name": "A", // for customers only
          "file_url": "https://x" ⚠️ short-lived link
          "unit:": "h",
          "net_total", 12.0,
          "credit_account: "4000",
          "tags": ["a", "b",],
          "last": true,
        }"#;
        let json = Json::parse(text).unwrap();
        assert_eq!(keys(&json), ["name", "file_url", "unit", "net_total", "credit_account", "tags", "last"]);
    }

    #[test]
    fn ignores_text_that_is_not_json() {
        assert_eq!(Json::parse("curl -X GET"), None);
        assert_eq!(Json::parse(r#"["cool", "on hold"]"#), Some(Json::Array(vec![Json::Scalar, Json::Scalar])));
    }
}
