//! Reads a checkout of MOCO's markdown docs: the endpoints (`## METHOD /path` headings, or the
//! curl commands of a page without such headings), and per endpoint its curl commands (method,
//! path, query parameters, `-d` body), its parameters (`- **name** – ...` list items at the
//! margin, or the first cells of a table's rows), its JSON examples and its text; per file the
//! entity examples (JSON blocks outside endpoint sections).

use std::path::{Path, PathBuf};

use super::json::Json;

pub const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

#[derive(Debug, Default)]
pub struct Docs {
    pub files: Vec<DocFile>,
}

#[derive(Debug, Default)]
pub struct DocFile {
    /// The path relative to the docs root, with `/` separators (`sections/projects.md`).
    pub rel: String,
    /// The whole file.
    pub text: String,
    pub endpoints: Vec<Endpoint>,
    /// JSON blocks outside the endpoint sections (the "Attributes" example of the entity).
    pub entity_examples: Vec<Example>,
}

#[derive(Debug, Default)]
pub struct Endpoint {
    /// `GET`, `POST`, ... as written in the heading (or the curl command).
    pub method: String,
    /// The path as written (`/projects/{id}`, `invoices/payments/{id}`).
    pub path: String,
    /// 1-based line of the heading (or of the curl command).
    pub line: usize,
    /// Documented by a curl command on a page without endpoint headings (`authentication.md`).
    pub from_curl: bool,
    pub curls: Vec<Curl>,
    pub params: Vec<Listed>,
    /// Names of indented list items: fields of a listed object (`items`, `file`).
    pub nested_params: Vec<String>,
    pub examples: Vec<Example>,
    /// Everything between this heading and the next `##` heading, code included.
    pub text: String,
}

impl Endpoint {
    pub fn heading(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Default)]
pub struct Curl {
    pub method: String,
    /// The path after `/api/v1`, without the query string.
    pub path: String,
    /// Names of the query parameters in the URL (`custom_properties[Sector]` gives `custom_properties`).
    pub query: Vec<String>,
    pub body: Option<Json>,
    pub line: usize,
}

/// A name from a parameter list item (`- **name\*** – ...`) or table row (`| name | ... |`).
#[derive(Debug)]
pub struct Listed {
    pub name: String,
    pub line: usize,
}

#[derive(Debug)]
pub struct Example {
    pub json: Json,
    pub line: usize,
}

impl Docs {
    /// Reads every `sections/**/*.md` file plus the `extra` files (relative paths, such as the
    /// spec's `x-docs-file` values outside `sections/`) that exist.
    pub fn read(root: &Path, extra: &[String]) -> Result<Docs, String> {
        let sections = root.join("sections");
        if !sections.is_dir() {
            return Err(format!("{} has no sections/ directory; is it a checkout of MOCO's API docs?", root.display()));
        }
        let mut paths = Vec::new();
        collect_markdown(&sections, &mut paths).map_err(|e| format!("cannot read {}: {e}", sections.display()))?;
        let mut rels: Vec<String> = paths
            .iter()
            .filter_map(|p| p.strip_prefix(root).ok())
            .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"))
            .collect();
        for rel in extra {
            if !rels.contains(rel) && root.join(rel).is_file() {
                rels.push(rel.clone());
            }
        }
        rels.sort();
        let mut docs = Docs::default();
        for rel in rels {
            let text = std::fs::read_to_string(root.join(&rel)).map_err(|e| format!("cannot read {rel}: {e}"))?;
            docs.files.push(parse_file(&rel, &text));
        }
        Ok(docs)
    }

    pub fn file(&self, rel: &str) -> Option<&DocFile> {
        self.files.iter().find(|f| f.rel == rel)
    }
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_markdown(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// `## GET /projects` → `("GET", "/projects")`.
pub fn endpoint_heading(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("## ")?;
    let mut words = rest.split_whitespace();
    let method = words.next()?;
    let path = words.next()?;
    if !METHODS.contains(&method) || words.next().is_some() {
        return None;
    }
    Some((method.to_string(), path.to_string()))
}

/// One block of a markdown file: a code fence or a plain line.
enum Block<'a> {
    Line(usize, &'a str),
    Code { line: usize, lang: String, body: String },
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            let mut body = String::new();
            // An unclosed fence runs to the end of the file.
            for (_, inner) in lines.by_ref() {
                if inner.trim() == "```" {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            out.push(Block::Code { line: index + 1, lang: info.trim().to_ascii_lowercase(), body });
        } else {
            out.push(Block::Line(index + 1, line));
        }
    }
    out
}

pub fn parse_file(rel: &str, text: &str) -> DocFile {
    let blocks = blocks(text);
    let has_headings = blocks.iter().any(|b| matches!(b, Block::Line(_, l) if endpoint_heading(l).is_some()));
    let mut file = DocFile { rel: rel.to_string(), text: text.to_string(), ..DocFile::default() };
    // The endpoint the current block belongs to (an index into file.endpoints), if any.
    let mut current: Option<usize> = None;
    // The previous line was a table row (so this row is not the table's header).
    let mut in_table = false;
    for block in &blocks {
        match block {
            Block::Line(number, line) => {
                let row = line.trim_start().starts_with('|');
                let header = row && !in_table;
                in_table = row;
                if line.starts_with("## ") || line.starts_with("# ") {
                    current = None;
                    if let Some((method, path)) = endpoint_heading(line) {
                        file.endpoints.push(Endpoint { method, path, line: *number, ..Endpoint::default() });
                        current = Some(file.endpoints.len() - 1);
                    }
                    continue;
                }
                if let Some(index) = current {
                    let endpoint = &mut file.endpoints[index];
                    endpoint.text.push_str(line);
                    endpoint.text.push('\n');
                    let names = if row { (!header).then(|| table_name(line)).flatten().into_iter().collect() } else { listed_names(line) };
                    for name in names {
                        endpoint.params.push(Listed { name, line: *number });
                    }
                    if line.starts_with(' ') && !row {
                        endpoint.nested_params.extend(listed_names(line.trim_start()));
                    }
                }
            }
            Block::Code { line, lang, body } => {
                in_table = false;
                let trimmed = body.trim_start();
                let is_curl = trimmed.starts_with("curl");
                if is_curl && !has_headings {
                    // A page without endpoint headings: each curl command documents an endpoint.
                    for curl in parse_curls(body, *line) {
                        file.endpoints.push(Endpoint {
                            method: curl.method.clone(),
                            path: curl.path.clone(),
                            line: curl.line,
                            from_curl: true,
                            ..Endpoint::default()
                        });
                        current = Some(file.endpoints.len() - 1);
                        let endpoint = file.endpoints.last_mut().expect("just pushed");
                        endpoint.text.push_str(body);
                        endpoint.curls.push(curl);
                    }
                    continue;
                }
                let json = if lang == "json" || (lang.is_empty() && (trimmed.starts_with('{') || trimmed.starts_with('['))) {
                    Json::parse(body)
                } else {
                    None
                };
                match current {
                    Some(index) => {
                        let endpoint = &mut file.endpoints[index];
                        endpoint.text.push_str(body);
                        if is_curl {
                            endpoint.curls.extend(parse_curls(body, *line));
                        } else if let Some(json) = json {
                            endpoint.examples.push(Example { json, line: *line });
                        }
                    }
                    None => {
                        if let Some(json) = json {
                            file.entity_examples.push(Example { json, line: *line });
                        }
                    }
                }
            }
        }
    }
    file
}

/// The parameter names of a list item at the left margin: the bold names before the first dash
/// (`- **name\*** – ...`, `- **from, to** – ...`, `- either **project_id\*** or **deal_id\*** – ...`).
/// Indented items (fields of a nested object) are not parameters of the endpoint.
pub fn listed_names(line: &str) -> Vec<String> {
    let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
        return Vec::new();
    };
    // The names stand before the description, which follows a dash or an opening parenthesis.
    let mut head_end = rest.len();
    for separator in [" – ", " - ", " — ", " ("] {
        if let Some(at) = rest.find(separator) {
            head_end = head_end.min(at);
        }
    }
    // `**name\***`: the escaped star marks a mandatory field.
    let head = rest[..head_end].replace("\\*", "");
    let mut names = Vec::new();
    let mut parts = head.split("**");
    parts.next();
    while let Some(bold) = parts.next() {
        for name in bold.split(',') {
            let name = name.replace(['*', '`'], "");
            let name = name.trim().trim_end_matches("[]");
            if is_identifier(name) {
                names.push(name.to_string());
            }
        }
        // Skip the text between two bold spans.
        parts.next();
    }
    names
}

/// The parameter name in the first cell of a table row (`| **name\*** | ... |`, `` | `name` | ``);
/// `None` for the separator row and cells that hold no single name.
pub fn table_name(line: &str) -> Option<String> {
    let cell = line.trim().trim_start_matches('|').split('|').next()?;
    let name = cell.replace("\\*", "").replace(['*', '`'], "");
    let name = name.trim().trim_end_matches("[]");
    is_identifier(name).then(|| name.to_string())
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The curl commands of a code block.
pub fn parse_curls(body: &str, first_line: usize) -> Vec<Curl> {
    let tokens = shell_words(body);
    let mut curls = Vec::new();
    let mut command: Vec<(String, usize)> = Vec::new();
    for token in tokens {
        if token.0 == "curl" && !command.is_empty() {
            curls.extend(curl(&command, first_line));
            command.clear();
        }
        command.push(token);
    }
    if !command.is_empty() {
        curls.extend(curl(&command, first_line));
    }
    curls
}

fn curl(tokens: &[(String, usize)], first_line: usize) -> Option<Curl> {
    if tokens.first()?.0 != "curl" {
        return None;
    }
    let mut method = None;
    let mut head = false;
    let mut body = None;
    let mut form = false;
    let mut url = None;
    let mut i = 1;
    while i < tokens.len() {
        let token = tokens[i].0.as_str();
        let value = tokens.get(i + 1).map(|t| t.0.as_str());
        match token {
            "-X" | "--request" => {
                method = value.map(str::to_ascii_uppercase);
                i += 1;
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" => {
                body = value.and_then(Json::parse);
                i += 1;
            }
            "-F" | "--form" => {
                form = true;
                i += 1;
            }
            "-H" | "--header" | "-u" | "--user" | "-o" | "--output" => i += 1,
            "-I" | "--head" => head = true,
            _ if token.contains("://") => url = Some(token.to_string()),
            _ => {}
        }
        i += 1;
    }
    let url = url?;
    let after = match url.find("/api/v1") {
        Some(at) => &url[at + "/api/v1".len()..],
        None => return None,
    };
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, query),
        None => (after, ""),
    };
    let query = query
        .split('&')
        .filter_map(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            let name = name.split('[').next().unwrap_or("");
            (!name.is_empty()).then(|| name.to_string())
        })
        .collect();
    let method = method.unwrap_or_else(|| {
        if head {
            "HEAD".into()
        } else if body.is_some() || form {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    Some(Curl { method, path: path.to_string(), query, body, line: first_line + tokens[0].1 })
}

/// Splits a shell command into words (single and double quotes, backslash escapes and line
/// continuations), each with the 0-based line offset where it starts.
fn shell_words(text: &str) -> Vec<(String, usize)> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut start_line = 0;
    let mut line = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {
                    line += 1;
                    if in_word {
                        words.push((std::mem::take(&mut word), start_line));
                        in_word = false;
                    }
                }
                Some(next) => {
                    if !in_word {
                        start_line = line;
                    }
                    in_word = true;
                    word.push(next);
                }
                None => {}
            },
            '\'' | '"' => {
                if !in_word {
                    start_line = line;
                }
                in_word = true;
                while let Some(inner) = chars.next() {
                    if inner == c {
                        break;
                    }
                    if inner == '\n' {
                        line += 1;
                    }
                    if c == '"' && inner == '\\' {
                        if let Some(escaped) = chars.next() {
                            word.push(escaped);
                        }
                        continue;
                    }
                    word.push(inner);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push((std::mem::take(&mut word), start_line));
                    in_word = false;
                }
                if c == '\n' {
                    line += 1;
                }
            }
            c => {
                if !in_word {
                    start_line = line;
                }
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push((word, start_line));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_name_parameters() {
        assert_eq!(listed_names("- **include_archived** – true/false"), ["include_archived"]);
        assert_eq!(listed_names(r#"- **name\*** – "Relaunch""#), ["name"]);
        assert_eq!(listed_names("- **from, to** – \"2018-01-01\", \"2018-12-31\""), ["from", "to"]);
        assert_eq!(listed_names(r"- either **project_id\*** or **deal_id\*** – 4322"), ["project_id", "deal_id"]);
        assert_eq!(listed_names("- **salutation** (salutation text)"), ["salutation"]);
        assert!(listed_names("- **X-Page** – Current page number").is_empty());
        assert!(listed_names("  - **title\\*** – Ticket").is_empty());
        assert!(listed_names("- [Global filters apply](../entities#global-filters)").is_empty());
        assert!(listed_names("- custom properties").is_empty());
        assert!(listed_names("- is **not** a list of **names** – x").iter().all(|n| n == "not" || n == "names"));
    }

    #[test]
    fn table_rows_name_parameters() {
        let text = "# T\n\n## GET /things\n\n| Parameter | Description |\n|---|---|\n| **status\\*** | state |\n| `term` | text |\n| Some prose | x |\n";
        let file = parse_file("sections/t.md", text);
        let names: Vec<_> = file.endpoints[0].params.iter().map(|p| (p.name.as_str(), p.line)).collect();
        assert_eq!(names, [("status", 7), ("term", 8)]);
    }

    #[test]
    fn curl_commands() {
        let block = "curl -X PUT \\\n  'https://{domain}.mocoapp.com/api/v1/projects/{id}?a=1&custom_properties[X][]=2' \\\n  -H 'Authorization: Token token=KEY' \\\n  -d '{\n    \"budget\": 25000,\n  }'\n";
        let curls = parse_curls(block, 10);
        assert_eq!(curls.len(), 1);
        let curl = &curls[0];
        assert_eq!((curl.method.as_str(), curl.path.as_str()), ("PUT", "/projects/{id}"));
        assert_eq!(curl.query, ["a", "custom_properties"]);
        assert_eq!(curl.body, Some(Json::Object(vec![("budget".into(), Json::Scalar)])));
        assert_eq!(curl.line, 10);
        let plain = parse_curls("curl https://x.mocoapp.com/api/v1/session \\\n -H 'Accept: application/json'\n", 1);
        assert_eq!((plain[0].method.as_str(), plain[0].path.as_str()), ("GET", "/session"));
        let head = parse_curls("curl -I -X GET \\\n 'https://x/api/v1/report/x'", 1);
        assert_eq!(head[0].method, "GET");
    }

    #[test]
    fn sections_examples_and_lists() {
        let text = "# Things\n\n## Attributes\n\n```json\n{\"id\": 1}\n```\n\n## GET /things\n\n```bash\ncurl -X GET \\\n  'https://x/api/v1/things?q=1'\n```\n\n- **term** – text\n\n```json\n[{\"id\": 1}]\n```\n\n## Notes\n\n- **not_a_param** – prose\n\n## PUT things/{id}\n\ntext\n";
        let file = parse_file("sections/things.md", text);
        assert_eq!(file.entity_examples.len(), 1);
        assert_eq!(file.endpoints.len(), 2);
        let list = &file.endpoints[0];
        assert_eq!((list.heading(), list.line), ("GET /things".to_string(), 9));
        assert_eq!(list.curls[0].query, ["q"]);
        assert_eq!(list.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["term"]);
        assert_eq!(list.examples.len(), 1);
        assert_eq!(file.endpoints[1].heading(), "PUT things/{id}");
    }

    #[test]
    fn pages_without_headings_document_endpoints_by_curl() {
        let text = "# Auth\n\n```bash\ncurl -X POST \\\n  https://x/api/v1/session \\\n  -d '{\"email\": \"a\"}'\n```\n\nThen:\n\n```json\n{\"id\": 1}\n```\n";
        let file = parse_file("authentication.md", text);
        assert_eq!(file.endpoints.len(), 1);
        assert_eq!(file.endpoints[0].heading(), "POST /session");
        assert!(file.endpoints[0].from_curl);
        assert_eq!(file.endpoints[0].examples.len(), 1);
    }
}
