//! The drift check on small docs trees written to temporary directories, against a small inline
//! spec: a clean tree, then one change at a time (an added endpoint, a removed one, a removed
//! field, an added field, a renamed parameter, ...).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{check_text, render, summary, Report};

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Things, version: v1}
tags:
  - name: Things
    x-docs-file: sections/things.md
  - name: Session
    x-docs-file: authentication.md
paths:
  /session:
    get:
      operationId: get_session
      tags: [Session]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: integer}
                  uuid: {type: string}
  /things:
    get:
      operationId: list_things
      tags: [Things]
      parameters:
        - $ref: '#/components/parameters/Page'
        - {name: status, in: query, schema: {type: string}}
        - {name: term, in: query, schema: {type: string}}
        - {name: X-IMPERSONATE-USER-ID, in: header, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Thing'}
    post:
      operationId: create_thing
      tags: [Things]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingCreate'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: get_thing
      tags: [Things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    put:
      operationId: update_thing
      tags: [Things]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingCreate'}
      responses:
        '200':
          description: ok
    delete:
      operationId: delete_thing
      tags: [Things]
      responses:
        '204':
          description: ok
  /labels/{entity}/{entity_id}:
    get:
      operationId: list_labels
      tags: [Things]
      parameters:
        - {name: entity, in: path, required: true, schema: {type: string}}
        - {name: entity_id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
components:
  parameters:
    Page: {name: page, in: query, schema: {type: integer}}
  schemas:
    Thing:
      type: object
      x-not-in-docs:
        secret: Sent by the server although the docs never show it.
      properties:
        id: {type: integer}
        name: {type: string}
        color: {type: string, nullable: true}
        secret: {type: string}
        owner:
          anyOf:
            - $ref: '#/components/schemas/Owner'
            - {type: object, nullable: true, enum: [null]}
        custom_properties: {type: object, additionalProperties: {type: string}}
    Owner:
      type: object
      properties:
        id: {type: integer}
        firstname: {type: string}
    ThingCreate:
      type: object
      x-docs-names: {title: name}
      properties:
        name: {type: string}
        color: {type: string}
"##;

const THINGS: &str = r##"---
layout: default
---

# Things

## Attributes

```json
{
  "id": 1,
  "name": "A thing",
  "color": "#ff0000",
  "owner": {"id": 2, "firstname": "Ann"},
  "custom_properties": {"Any Key": "value"}
}
```

## GET /things

```bash
curl -X GET \
  'https://{domain}.mocoapp.com/api/v1/things?term=x' \
  -H 'Authorization: Token token=YOUR_API_KEY'
```

The following parameters can be supplied:

- [Global filters apply](../entities#global-filters)
- **status** – "active" or "archived"
- **term** – search text

## GET /things/{id}

```bash
curl -X GET \
  'https://{domain}.mocoapp.com/api/v1/things/{id}' \
  -H 'Authorization: Token token=YOUR_API_KEY'
```

## POST /things

```bash
curl -X POST \
  'https://{domain}.mocoapp.com/api/v1/things' \
  -H 'Content-Type: application/json' \
  -d '{
        "name": "A thing",
        "color": "#ff0000",
      }'
```

- **name\*** – "A thing"
- **color** – "#ff0000"

## PUT things/{id}

```bash
curl -X PUT \
  'https://{domain}.mocoapp.com/api/v1/things/{id}' \
  -d '{
        "title": "Renamed"
      }'
```

## DELETE /users/{id}

```bash
curl -X DELETE \
  'https://{domain}.mocoapp.com/api/v1/things/{id}'
```

## GET /labels

```bash
curl -X GET \
  'https://{domain}.mocoapp.com/api/v1/labels/Project/357'
```
"##;

const AUTHENTICATION: &str = r#"# Authentication

```bash
curl https://{domain}.mocoapp.com/api/v1/session \
  -H 'Accept: application/json'
```

```json
{"id": 123, "uuid": "aec324a2"}
```
"#;

/// A docs tree in a fresh temporary directory, removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str, files: &[(&str, &str)]) -> Tree {
        let dir = std::env::temp_dir().join(format!("xtask-drift-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Tree(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The report for the fixture docs with `things.md` changed by `edit`.
fn drift(name: &str, edit: impl Fn(&str) -> String) -> Report {
    drift_with(name, SPEC, &edit(THINGS))
}

fn drift_with(name: &str, spec: &str, things: &str) -> Report {
    let tree = Tree::new(name, &[("sections/things.md", things), ("authentication.md", AUTHENTICATION), ("index.md", "# Index\n")]);
    check_text(spec, tree.path()).unwrap()
}

fn edit(from: &str, to: &str) -> impl Fn(&str) -> String {
    let (from, to) = (from.to_string(), to.to_string());
    move |text: &str| {
        assert!(text.contains(&from), "the fixture has no {from:?}");
        text.replacen(&from, &to, 1)
    }
}

fn all(report: &Report) -> String {
    render(report, true)
}

#[test]
fn the_fixture_is_clean() {
    let report = drift("clean", str::to_string);
    assert_eq!(report.gaps(), 0, "{}", all(&report));
    assert_eq!((report.operations, report.endpoints), (7, 7));
    assert_eq!(report.prose_only_count(), 0, "{}", all(&report));
    assert_eq!(summary(&report, "abc123"), "drift: 0 missing endpoints, 0 removed, 0 params, 0 fields (docs @ abc123)");
}

#[test]
fn the_real_world_form_of_a_nullable_reference_is_read_as_the_reference() {
    // In answers the null branch also admits `{}` (openapi/CONVENTIONS.md, "Real answers"); the
    // docs' owner example must still be matched against `Owner`.
    let spec = SPEC.replace(
        "            - {type: object, nullable: true, enum: [null]}\n",
        "            - {type: object, nullable: true, maxProperties: 0}\n",
    );
    assert_ne!(spec, SPEC);
    let report = drift_with("real-world-reference", &spec, THINGS);
    assert_eq!(report.gaps(), 0, "{}", all(&report));
}

#[test]
fn an_added_endpoint_is_missing_from_the_spec() {
    let report = drift("added-endpoint", edit("## GET /labels", "## POST /things/{id}/archive\n\nArchive a thing.\n\n## GET /labels"));
    assert_eq!(report.missing.len(), 1, "{}", all(&report));
    assert!(report.missing[0].starts_with("POST /things/{id}/archive (sections/things.md:"), "{}", all(&report));
    assert_eq!(report.gaps(), 1, "{}", all(&report));
    assert_eq!(summary(&report, "r"), "drift: 1 missing endpoint, 0 removed, 0 params, 0 fields (docs @ r)");
}

#[test]
fn a_removed_endpoint_is_reported() {
    let report = drift("removed-endpoint", |text| {
        let start = text.find("## DELETE /users/{id}").unwrap();
        let end = text.find("## GET /labels").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    });
    assert_eq!(report.removed.len(), 1, "{}", all(&report));
    assert!(report.removed[0].starts_with("DELETE /things/{id} (delete_thing) [spec line "), "{}", all(&report));
    assert_eq!(report.gaps(), 1, "{}", all(&report));
}

#[test]
fn a_removed_field_is_a_property_the_docs_no_longer_show() {
    let report = drift("removed-field", edit("  \"color\": \"#ff0000\",\n", ""));
    // `color` is still in the POST request, so the docs mention it: information, not a gap.
    assert_eq!(report.gaps(), 0, "{}", all(&report));
    assert_eq!(report.prose_only.get("Thing").map(|p| p.iter().cloned().collect::<Vec<_>>()), Some(vec!["color".to_string()]));

    let report = drift("removed-field-everywhere", |text| {
        text.replace("  \"color\": \"#ff0000\",\n", "")
            .replace("        \"color\": \"#ff0000\",\n", "")
            .replace("- **color** – \"#ff0000\"\n", "")
    });
    assert_eq!(report.fields.len(), 2, "{}", all(&report));
    assert!(
        report.fields.contains(&"schema Thing: property `color` appears nowhere in the docs (sections/things.md)".to_string()),
        "{}",
        all(&report)
    );
    assert!(
        report.fields.contains(&"schema ThingCreate: property `color` appears nowhere in the docs (sections/things.md)".to_string()),
        "{}",
        all(&report)
    );
    assert_eq!(summary(&report, "r"), "drift: 0 missing endpoints, 0 removed, 0 params, 2 fields (docs @ r)");
}

#[test]
fn an_added_field_is_missing_from_the_schema() {
    let report = drift(
        "added-field",
        edit(
            "\"owner\": {\"id\": 2, \"firstname\": \"Ann\"}",
            "\"owner\": {\"id\": 2, \"firstname\": \"Ann\", \"email\": \"ann@example.com\"}",
        ),
    );
    assert_eq!(report.fields.len(), 1, "{}", all(&report));
    assert!(
        report.fields[0]
            == "Thing (entity example): field `email` of the docs' entity example (sections/things.md:9) is not a property of Owner",
        "{}",
        all(&report)
    );
    assert_eq!(report.gaps(), 1);

    let report =
        drift("added-body-field", edit("\"color\": \"#ff0000\",\n      }'", "\"color\": \"#ff0000\",\n        \"size\": 3\n      }'"));
    assert_eq!(report.fields.len(), 1, "{}", all(&report));
    assert!(
        report.fields[0].starts_with("POST /things (create_thing): field `size` of the docs' request body (sections/things.md:"),
        "{}",
        all(&report)
    );

    let report = drift("added-listed-field", edit("- **color** – \"#ff0000\"\n", "- **color** – \"#ff0000\"\n- **size** – 3\n"));
    assert_eq!(report.fields.len(), 1, "{}", all(&report));
    assert!(report.fields[0].contains("`size`, listed in the docs (sections/things.md:"), "{}", all(&report));
}

#[test]
fn a_renamed_parameter_is_reported_both_ways() {
    let report = drift("renamed-param", edit("- **status** –", "- **state** –"));
    assert_eq!(report.params.len(), 2, "{}", all(&report));
    assert!(
        report.params[0].starts_with("GET /things (list_things): `state`, listed in the docs (sections/things.md:"),
        "{}",
        all(&report)
    );
    assert!(report.params[1].starts_with("GET /things (list_things) [spec line "), "{}", all(&report));
    assert!(report.params[1].contains("query parameter `status` is not mentioned in the docs' section GET /things"), "{}", all(&report));
    assert_eq!(summary(&report, "r"), "drift: 0 missing endpoints, 0 removed, 2 params, 0 fields (docs @ r)");

    let report = drift("curl-param", edit("things?term=x", "things?term=x&sort=name"));
    assert_eq!(report.params.len(), 1, "{}", all(&report));
    assert!(report.params[0].contains("query parameter `sort` of the docs' curl example"), "{}", all(&report));
}

#[test]
fn global_parameters_need_no_mention() {
    // `page` is in the spec but not in the section; the impersonation header is no query parameter.
    let report = drift("global", str::to_string);
    assert!(report.params.is_empty(), "{}", all(&report));
}

#[test]
fn heading_typos_are_settled_by_the_curl_example_or_x_docs_heading() {
    // `PUT things/{id}` lacks its `/`; `DELETE /users/{id}` is wrong but its curl is right;
    // `GET /labels` has a curl with values for the placeholders.
    let report = drift("typos", str::to_string);
    assert_eq!(report.gaps(), 0, "{}", all(&report));
    // Without a curl example, the wrong heading needs `x-docs-heading`.
    let no_curl = |text: &str| text.replace("curl -X DELETE \\\n  'https://{domain}.mocoapp.com/api/v1/things/{id}'", "(no example)");
    let report = drift("typo-no-curl", no_curl);
    assert_eq!(report.removed.len(), 1, "{}", all(&report));
    // ... and `DELETE /users/{id}` documents nothing of this spec.
    assert_eq!(report.missing.len(), 1, "{}", all(&report));
    let spec = SPEC.replace("operationId: delete_thing\n", "operationId: delete_thing\n      x-docs-heading: DELETE /users/{id}\n");
    let report = drift_with("typo-heading", &spec, &no_curl(THINGS));
    assert_eq!(report.gaps(), 0, "{}", all(&report));
}

#[test]
fn declared_differences_are_not_gaps() {
    // Without `x-docs-names`, the PUT example's `title` is a field ThingCreate lacks; without
    // `x-not-in-docs`, the docs never show `secret`.
    let spec = SPEC
        .replace("      x-docs-names: {title: name}\n", "")
        .replace("      x-not-in-docs:\n        secret: Sent by the server although the docs never show it.\n", "");
    let report = drift_with("undeclared", &spec, THINGS);
    assert_eq!(report.fields.len(), 2, "{}", all(&report));
    assert!(report.fields[0].starts_with("PUT /things/{id} (update_thing): field `title` of the docs' request body"), "{}", all(&report));
    assert_eq!(report.fields[1], "schema Thing: property `secret` appears nowhere in the docs (sections/things.md)");
}

#[test]
fn a_new_docs_file_without_a_tag_is_read() {
    let tree = Tree::new(
        "new-file",
        &[
            ("sections/things.md", THINGS),
            ("authentication.md", AUTHENTICATION),
            ("sections/account/widgets.md", "# Widgets\n\n## GET /account/widgets\n\ntext\n"),
        ],
    );
    let report = check_text(SPEC, tree.path()).unwrap();
    assert_eq!(report.missing, ["GET /account/widgets (sections/account/widgets.md:3): documented (a heading), but no operation of the spec has this method and path"]);
}

#[test]
fn the_command_exits_non_zero_on_gaps() {
    let spec_dir = Tree::new("cli-spec", &[("moco.yaml", SPEC)]);
    let spec = spec_dir.path().join("moco.yaml").display().to_string();
    let clean = Tree::new("cli-clean", &[("sections/things.md", THINGS), ("authentication.md", AUTHENTICATION)]);
    let args = |docs: &Path| vec!["--docs".to_string(), docs.display().to_string(), "--spec".to_string(), spec.clone()];
    assert_eq!(super::run(Path::new("."), &args(clean.path())), ExitCode::SUCCESS);
    let drifted = Tree::new(
        "cli-drifted",
        &[("sections/things.md", &THINGS.replace("- **status** –", "- **state** –")), ("authentication.md", AUTHENTICATION)],
    );
    assert_eq!(super::run(Path::new("."), &args(drifted.path())), ExitCode::FAILURE);
    assert_eq!(super::run(Path::new("."), &["--docs".to_string(), "/nonexistent/docs".to_string()]), ExitCode::from(2));
    assert_eq!(super::run(Path::new("."), &[]), ExitCode::from(2));
}

#[test]
fn operations_from_the_openapi_description_are_left_to_drift_openapi() {
    // A PATCH the docs never show: removed, unless it comes from MOCO's OpenAPI description or is
    // an alias of the documented update (then it belongs to the update's section).
    let patch = |extra: &str| {
        SPEC.replace(
            "    delete:\n      operationId: delete_thing\n",
            &format!("    patch:\n      operationId: patch_thing\n      tags: [Things]\n{extra}      responses:\n        '200':\n          description: ok\n    delete:\n      operationId: delete_thing\n"),
        )
    };
    let report = drift_with("patch-undocumented", &patch(""), THINGS);
    assert_eq!(report.removed.len(), 1, "{}", all(&report));
    assert!(report.removed[0].starts_with("PATCH /things/{id} (patch_thing)"), "{}", all(&report));
    let report = drift_with("patch-openapi", &patch("      x-source: openapi\n"), THINGS);
    assert_eq!(report.gaps(), 0, "{}", all(&report));
    assert_eq!(report.operations, 7);
    let body = "      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/ThingCreate'}\n";
    let report = drift_with("patch-alias", &patch(&format!("      x-alias-of: update_thing\n{body}")), THINGS);
    assert_eq!(report.gaps(), 0, "{}", all(&report));
    assert_eq!(report.operations, 8);
}
