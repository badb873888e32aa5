//! Rule `tags`: one tag per docs section. Every operation has exactly one tag, declared at the top
//! level; every declared tag is used, declared once, and links its docs section with
//! `externalDocs.url` and `x-docs-file` (the section's markdown file in MOCO's docs, e.g.
//! `sections/projects.md`); the URL is the document's `externalDocs.url` plus that path without
//! `.md`. A resource the docs never describe, only MOCO's OpenAPI description, names that
//! description's tag with `x-openapi-tag` instead.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Findings, Seg, Spec};

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    let declared: Vec<&Value> = spec.doc["tags"].as_array().map(|t| t.iter().collect()).unwrap_or_default();
    let names: BTreeSet<&str> = declared.iter().filter_map(|t| t["name"].as_str()).collect();
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &spec.operations {
        let line = spec.op_line(op, &["tags"]);
        let tags: Vec<&str> = op.op["tags"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        match tags.len() {
            0 => out.add("tags", op.name(), spec.op_line(op, &[]), "no tag; tag it with its docs section"),
            1 => {}
            n => out.add("tags", op.name(), line, format!("{n} tags ({}); an operation belongs to one docs section", tags.join(", "))),
        }
        for tag in tags {
            *used.entry(tag).or_default() += 1;
            if !names.contains(tag) {
                out.add("tags", op.name(), line, format!("tag {tag:?} is not declared in the top-level tags"));
            }
        }
    }
    let site = spec.doc["externalDocs"]["url"].as_str();
    let mut seen = BTreeSet::new();
    for (i, tag) in declared.iter().enumerate() {
        let name = tag["name"].as_str().unwrap_or("?");
        let at = |key: Option<&str>| {
            let mut path = vec![Seg::Key("tags".into()), Seg::Index(i)];
            path.extend(key.map(|k| Seg::Key(k.into())));
            spec.line(&path)
        };
        let subject = format!("tag {name}");
        if !seen.insert(name) {
            out.add("tags", &subject, at(None), "declared twice");
        }
        if !used.contains_key(name) {
            out.add("tags", &subject, at(None), "no operation has this tag");
        }
        let url = tag["externalDocs"]["url"].as_str().filter(|u| !u.is_empty());
        let file = tag["x-docs-file"].as_str().filter(|f| !f.is_empty());
        // A resource only MOCO's OpenAPI description has: named by its tag there, no docs section.
        if let Some(official) = tag.get("x-openapi-tag") {
            match (official.as_str().filter(|t| !t.is_empty()), file) {
                (Some(_), None) => {}
                (None, _) => {
                    out.add("tags", &subject, at(Some("x-openapi-tag")), "x-openapi-tag must name the tag of MOCO's OpenAPI description")
                }
                (Some(_), Some(_)) => out.add(
                    "tags",
                    &subject,
                    at(None),
                    "has both x-docs-file and x-openapi-tag; a resource the docs describe keeps its docs section",
                ),
            }
            continue;
        }
        if url.is_none() {
            out.add("tags", &subject, at(None), "no externalDocs.url linking its docs section");
        }
        match file {
            None => out.add("tags", &subject, at(None), "no x-docs-file naming its docs section's file (`sections/projects.md`)"),
            Some(file) if !file.ends_with(".md") || file.starts_with('/') || file.contains("..") => out.add(
                "tags",
                &subject,
                at(Some("x-docs-file")),
                format!("x-docs-file {file:?} is not a markdown file relative to the docs' root"),
            ),
            Some(file) => {
                if let (Some(url), Some(site)) = (url, site) {
                    let expected = format!("{}/{}", site.trim_end_matches('/'), file.trim_end_matches(".md"));
                    if url.trim_end_matches('/') != expected {
                        out.add(
                            "tags",
                            &subject,
                            at(Some("externalDocs")),
                            format!("externalDocs.url {url} does not link x-docs-file {file} (expected {expected})"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    #[test]
    fn a_tag_beyond_the_docs_names_the_official_tag_instead() {
        let official = "  - name: Things\n    x-openapi-tag: Things\n";
        let spec = good_with(
            "  - name: Things\n    externalDocs:\n      url: https://docs.example/sections/things\n    x-docs-file: sections/things.md\n",
            official,
        );
        assert_eq!(findings(&spec, "tags"), Vec::<String>::new());
        let both = good_with("    x-docs-file: sections/things.md\n", "    x-docs-file: sections/things.md\n    x-openapi-tag: Things\n");
        assert!(findings(&both, "tags")[0].contains("has both x-docs-file and x-openapi-tag"), "{:?}", findings(&both, "tags"));
        let empty = good_with(
            "  - name: Things\n    externalDocs:\n      url: https://docs.example/sections/things\n    x-docs-file: sections/things.md\n",
            "  - name: Things\n    x-openapi-tag: ''\n",
        );
        assert!(findings(&empty, "tags")[0].contains("x-openapi-tag must name"), "{:?}", findings(&empty, "tags"));
    }

    #[test]
    fn operation_tags_are_checked() {
        let found = findings(
            &good_with("      tags: [Things]\n      summary: Get a thing", "      tags: [Other]\n      summary: Get a thing"),
            "tags",
        );
        assert_eq!(found, ["GET /things/{id} (get_thing): tag \"Other\" is not declared in the top-level tags [tags, line 64]"]);
        let found = findings(&good_with("      tags: [Things]\n      summary: Get a thing", "      summary: Get a thing"), "tags");
        assert!(found[0].starts_with("GET /things/{id} (get_thing): no tag"), "{found:?}");
        let found = findings(
            &good_with("      tags: [Things]\n      summary: Get a thing", "      tags: [Things, Things]\n      summary: Get a thing"),
            "tags",
        );
        assert!(found[0].contains("2 tags"), "{found:?}");
    }

    #[test]
    fn tags_link_their_docs_section() {
        let found = findings(&good_with("    x-docs-file: sections/things.md\n", ""), "tags");
        assert_eq!(found, ["tag Things: no x-docs-file naming its docs section's file (`sections/projects.md`) [tags, line 7]"]);
        let found = findings(
            &good_with("      url: https://docs.example/sections/things\n", "      url: https://docs.example/sections/other\n"),
            "tags",
        );
        assert!(found[0].starts_with("tag Things: externalDocs.url https://docs.example/sections/other does not link"), "{found:?}");
        let found = findings(&good_with("x-docs-file: sections/things.md", "x-docs-file: sections/things.html"), "tags");
        assert!(found[0].contains("is not a markdown file"), "{found:?}");
        let spec =
            good_with("paths:\n", "  - name: Unused\n    externalDocs: {url: 'https://docs.example/u'}\n    x-docs-file: u.md\npaths:\n");
        assert_eq!(findings(&spec, "tags"), ["tag Unused: no operation has this tag [tags, line 11]"]);
    }
}
