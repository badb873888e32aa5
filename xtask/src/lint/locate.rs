//! Line numbers for findings: finds a node of the YAML text by its key path, without a second
//! parser. It reads block-style YAML as `moco.yaml` is written (mappings indented under their key,
//! sequences as `- ` items indented under theirs); inside a flow collection (`{...}`, `[...]`) or a
//! node it cannot find, it answers with the line of the deepest node it found.

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    /// A mapping key (`paths`, `/projects`, `get`, `'200'`).
    Key(String),
    /// The sequence item whose field `.0` has the scalar value `.1` (`name: Projects`).
    Item(String, String),
    /// The n-th sequence item, from 0.
    Index(usize),
}

/// Key path segments from plain keys: `segs(["components", "schemas", "Project"])`.
pub fn segs<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<Seg> {
    keys.into_iter().map(|k| Seg::Key(k.to_string())).collect()
}

/// The segments of a JSON pointer (`/paths/~1projects/get`), array indices as `Index`.
pub fn pointer_segs(pointer: &str) -> Vec<Seg> {
    pointer
        .split('/')
        .skip(1)
        .map(|part| {
            let part = part.replace("~1", "/").replace("~0", "~");
            match part.parse::<usize>() {
                Ok(index) => Seg::Index(index),
                Err(_) => Seg::Key(part),
            }
        })
        .collect()
}

#[derive(Debug)]
struct Line {
    /// Column of the first character (the `-` of a sequence item).
    indent: usize,
    dash: bool,
    /// Column of the key (after `- ` for an item's first key).
    key_col: usize,
    key: Option<String>,
    value: String,
}

#[derive(Debug, Default)]
pub struct Locator {
    /// Content lines (no blanks, no comments) with their 1-based line numbers.
    lines: Vec<(usize, Line)>,
}

impl Locator {
    pub fn new(text: &str) -> Self {
        let mut lines = Vec::new();
        for (number, raw) in text.lines().enumerate() {
            let trimmed = raw.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = raw.len() - trimmed.len();
            let (dash, rest, key_col) = match trimmed.strip_prefix("- ") {
                Some(after) => {
                    let after_trim = after.trim_start();
                    (true, after_trim, indent + 2 + (after.len() - after_trim.len()))
                }
                None if trimmed == "-" => (true, "", indent + 1),
                None => (false, trimmed, indent),
            };
            let (key, value) = split_key(rest);
            lines.push((number + 1, Line { indent, dash, key_col, key, value }));
        }
        Locator { lines }
    }

    /// The 1-based line of the node at `path`, or of its deepest ancestor found; `None` if not even
    /// the first segment is found.
    pub fn line(&self, path: &[Seg]) -> Option<usize> {
        let mut range = 0..self.lines.len();
        let mut found = None;
        for seg in path {
            let Some((at, block)) = self.find(range.clone(), seg) else { break };
            found = Some(self.lines[at].0);
            range = block;
        }
        found
    }

    /// Finds `seg` among the direct children of the block `range`; returns the index of its line and
    /// the range of its own block (the lines below it).
    fn find(&self, range: std::ops::Range<usize>, seg: &Seg) -> Option<(usize, std::ops::Range<usize>)> {
        if range.is_empty() {
            return None;
        }
        let level = self.lines[range.start].1.indent;
        // The direct children: mapping keys at `level` or sequence items whose dash is at `level`.
        let children: Vec<usize> = range.clone().filter(|&i| self.lines[i].1.indent == level).collect();
        let block_of = |i: usize, col: usize| {
            let end = (i + 1..range.end).find(|&j| self.lines[j].1.indent <= col).unwrap_or(range.end);
            i + 1..end
        };
        match seg {
            Seg::Key(key) => children.into_iter().find_map(|i| {
                let line = &self.lines[i].1;
                (!line.dash && line.key.as_deref() == Some(key.as_str())).then(|| (i, block_of(i, line.key_col)))
            }),
            Seg::Item(field, value) => children.into_iter().filter(|&i| self.lines[i].1.dash).find_map(|i| {
                let item = i..block_of(i, level).end;
                let key_col = self.lines[i].1.key_col;
                item.clone()
                    .filter(|&j| j == i || self.lines[j].1.indent == key_col)
                    .any(|j| {
                        let line = &self.lines[j].1;
                        line.key.as_deref() == Some(field.as_str()) && unquote(&line.value) == value.as_str()
                    })
                    .then(|| (i, self.item_block(i, item.end)))
            }),
            // A number in a JSON pointer is a sequence index, or a mapping key such as `'200'`.
            Seg::Index(n) if !children.iter().any(|&i| self.lines[i].1.dash) => self.find(range, &Seg::Key(n.to_string())),
            Seg::Index(n) => {
                let i = *children.iter().filter(|&&i| self.lines[i].1.dash).nth(*n)?;
                let end = block_of(i, level).end;
                Some((i, self.item_block(i, end)))
            }
        }
    }

    /// The block of a sequence item as a mapping: its first line (the one with the dash) belongs to
    /// it, so that its first key is found like the others.
    fn item_block(&self, i: usize, end: usize) -> std::ops::Range<usize> {
        // The first key sits on the dash line; searching from the next line finds the others, and a
        // lookup of the first key falls back to the item's line, which is the same line.
        if i + 1 < end {
            i + 1..end
        } else {
            i..i
        }
    }
}

/// Splits `key: value` (or `key:`); a quoted key may contain `: `. Lines without a key (scalars,
/// flow collections) give `None`.
fn split_key(rest: &str) -> (Option<String>, String) {
    if let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
        if let Some(close) = rest[1..].find(quote) {
            let after = &rest[close + 2..];
            if let Some(value) = after.strip_prefix(':') {
                return (Some(rest[1..close + 1].to_string()), value.trim().to_string());
            }
        }
        return (None, rest.to_string());
    }
    if rest.starts_with('{') || rest.starts_with('[') {
        return (None, rest.to_string());
    }
    if let Some(pos) = rest.find(": ") {
        return (Some(rest[..pos].to_string()), rest[pos + 2..].trim().to_string());
    }
    match rest.strip_suffix(':') {
        Some(key) => (Some(key.to_string()), String::new()),
        None => (None, rest.to_string()),
    }
}

fn unquote(value: &str) -> &str {
    let value = value.split(" #").next().unwrap_or(value).trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
openapi: 3.0.3
tags:
  - name: One
    description: first
  - name: 'Two'
    x-docs-file: two.md

paths:
  /things/{id}:
    parameters:
      - in: path
        name: id
    get:
      responses:
        '200':
          description: |
            text: that looks like a key
          content: {application/json: {}}
components:
  schemas:
    Thing:
      properties:
        id: {type: integer}
";

    #[test]
    fn finds_keys_items_and_falls_back_to_the_deepest_node() {
        let at = Locator::new(TEXT);
        assert_eq!(at.line(&segs(["paths", "/things/{id}", "get"])), Some(13));
        assert_eq!(at.line(&segs(["paths", "/things/{id}", "get", "responses", "200", "content"])), Some(18));
        assert_eq!(at.line(&[Seg::Key("tags".into()), Seg::Item("name".into(), "Two".into())]), Some(5));
        assert_eq!(at.line(&[Seg::Key("tags".into()), Seg::Item("name".into(), "Two".into()), Seg::Key("x-docs-file".into())]), Some(6));
        assert_eq!(at.line(&[Seg::Key("tags".into()), Seg::Index(0), Seg::Key("description".into())]), Some(4));
        let param = [segs(["paths", "/things/{id}", "parameters"]), vec![Seg::Item("name".into(), "id".into())]].concat();
        assert_eq!(at.line(&param), Some(11));
        // Inside a flow mapping: the line of the key that holds it.
        assert_eq!(at.line(&segs(["components", "schemas", "Thing", "properties", "id", "type"])), Some(23));
        // Text inside a block scalar is not a key.
        assert_eq!(at.line(&segs(["paths", "/things/{id}", "get", "responses", "200", "text"])), Some(15));
        assert_eq!(at.line(&segs(["nothing"])), None);
        assert_eq!(at.line(&pointer_segs("/paths/~1things~1{id}/get")), Some(13));
    }
}
