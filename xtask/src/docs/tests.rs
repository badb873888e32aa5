use std::{collections::BTreeMap, fs, path::PathBuf};

use super::{check_docs, markdown, rust, spec::Spec, write_docs, HtmlMode};

/// Three operations of one tag: path parameters listed out of path order, a comma-separated
/// filter, a keyword parameter, the impersonation header, a paginated list, a JSON body, and a
/// schema with an open enum, nullable fields, a renamed field, a nullable reference and an
/// inline array of objects.
const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Mini API, version: v9}
tags:
  - name: Project Tasks
    description: Tasks of a project.
    x-docs-file: sections/project_tasks.md
    externalDocs: {url: 'https://example.org/project_tasks'}
paths:
  /projects/{project_id}/tasks:
    parameters:
      - {name: project_id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: list_project_tasks
      tags: [Project Tasks]
      summary: List tasks
      description: All tasks, one page at a time.
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: One page.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Task'}}
    post:
      operationId: create_project_task
      tags: [Project Tasks]
      summary: Create a task
      description: Adds a task.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TaskCreate'}
            example: {name: Design}
      responses:
        '201':
          description: The task.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Task'}
  /projects/{project_id}/tasks/{id}:
    parameters:
      - {name: id, in: path, required: true, description: The task's id., schema: {type: integer, format: int64}}
      - {name: project_id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: get_project_task
      tags: [Project Tasks]
      summary: Get a task
      description: One task of a project.
      parameters:
        - name: user_ids
          in: query
          description: Only tasks of these users.
          style: form
          explode: false
          schema: {type: array, items: {type: integer, format: int64}}
        - {name: type, in: query, description: Only tasks of this kind., schema: {type: string, enum: [work, travel]}}
        - {name: X-IMPERSONATE-USER-ID, in: header, description: Act for this user., schema: {type: integer}}
      responses:
        '200':
          description: The task.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Task'}
        '4XX':
          description: Refused.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
components:
  schemas:
    Task:
      type: object
      description: A task.
      required: [id]
      properties:
        id: {type: integer, format: int64}
        status:
          description: Where the task stands.
          anyOf:
            - {type: string, enum: [open, done]}
            - {type: string, nullable: true}
        type: {type: string, nullable: true, description: The kind of task.}
        budget: {type: number, nullable: true}
        leader:
          anyOf:
            - $ref: '#/components/schemas/UserRef'
            - {type: object, nullable: true, enum: [null]}
        checklist:
          type: array
          items:
            type: object
            properties:
              title: {type: string}
      example: {id: 7, status: open, type: work, budget: null, leader: null, checklist: [{title: Sketch}]}
    TaskCreate:
      type: object
      required: [name]
      properties:
        name: {type: string}
        override: {type: string}
    UserRef:
      type: object
      description: A user as embedded elsewhere.
      properties:
        id: {type: integer}
    Error:
      type: object
      properties:
        message: {type: string, nullable: true}
"##;

fn pages() -> BTreeMap<String, String> {
    markdown::render(&Spec::parse(SPEC).expect("the test spec parses")).expect("the test spec renders")
}

/// The section of a page from `<a id="{id}">` to the next operation or the types.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<a id=\"{id}\"></a>")).unwrap_or_else(|| panic!("no anchor {id}"));
    let rest = &page[start + 1..];
    let end = [rest.find("\n<a id=\"list_"), rest.find("\n<a id=\"get_"), rest.find("\n<a id=\"create_"), rest.find("\n## Types")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    &page[start..start + 1 + end]
}

#[test]
fn renders_one_operation_with_its_rust_call_parameters_and_fields() {
    let pages = pages();
    assert_eq!(pages.keys().collect::<Vec<_>>(), ["README.md", "project-tasks.md"]);
    let page = &pages["project-tasks.md"];
    let get = section(page, "get_project_task");

    assert!(get.contains("## Get a task\n\n`GET /projects/{project_id}/tasks/{id}` · `get_project_task`\n"), "{get}");
    // Path parameters are arguments in path order (the spec lists `id` first); one optional
    // comma-list filter shows the setter shape.
    assert!(get.contains("```rust\nlet task = client.get_project_task(project_id, id).user_ids([..]).send().await?;\n```"), "{get}");
    assert!(get.contains("Returns `types::Task`. `.user_ids(..)` is optional"), "{get}");
    assert!(get.contains("Path parameters are the arguments (`project_id`, `id`)."), "{get}");

    // The parameter table: path parameters first, comma-list encoding, keyword and header names.
    assert!(get.contains("| Name | In | Type | Required | Rust | Description |"), "{get}");
    assert!(get.contains("| `project_id` | path | integer (int64) | yes | argument `project_id` |  |"), "{get}");
    assert!(get.contains("| `id` | path | integer (int64) | yes | argument `id` | The task's id. |"), "{get}");
    assert!(
        get.contains("| `user_ids` | query | list of integer (int64), comma-separated (`user_ids=1,2`) |  | `.user_ids([..])` | Only tasks of these users. |"),
        "{get}"
    );
    assert!(get.contains("| `type` | query | string, one of `work`, `travel` |  | `.kind(..)` | Only tasks of this kind. |"), "{get}");
    assert!(get.contains("| `X-IMPERSONATE-USER-ID` | header | integer |  | `.x_impersonate_user_id(..)` | Act for this user. |"), "{get}");

    // Responses and the fields of the body's type: open enum, nullable, renamed, nested.
    assert!(get.contains("- `200`: [`Task`](#type-task). The task."), "{get}");
    assert!(get.contains("- `4XX`: [`Error`](#type-error) (in Rust: a `mocoapp::Error`). Refused."), "{get}");
    let list = section(page, "list_project_tasks");
    assert!(list.contains("<a id=\"type-task\"></a>\nFields of `Task`:"), "the first use of Task on the page shows its table:\n{list}");
    assert!(list.contains(
        "| `status` | one of `open`, `done` (open: other values possible), nullable |  | Where the task stands. Rust: `types::TaskStatus`. |"
    ));
    assert!(list.contains("| `id` | integer (int64) | yes |  |"));
    assert!(list.contains("| `budget` | number, nullable |  |  |"));
    assert!(list.contains("| `type` (Rust: `kind`) | string, nullable |  | The kind of task. |"));
    assert!(list.contains("| `leader` | [`UserRef`](#type-userref), nullable |  |  |"));
    assert!(list.contains("| `checklist` | array of object |  |  |\n| `checklist[].title` | string |  |  |"));
    assert!(get.contains("Fields of `Task`: [above](#type-task)."), "later uses link to it:\n{get}");
    assert!(
        list.contains("```json\n[\n  {\n    \"id\": 7,\n    \"status\": \"open\","),
        "a list's example is its item's, in the spec's key order:\n{list}"
    );
    assert!(get.contains("Example (`200`): as for [`create_project_task`](#create_project_task)."), "{get}");

    // A paginated list streams; a body is set with body_map and its required fields.
    assert!(list.contains("let mut tasks = client.list_project_tasks(project_id).stream();"), "{list}");
    assert!(list.contains("`GET /projects/{project_id}/tasks` · `list_project_tasks` · paginated"), "{list}");
    let create = section(page, "create_project_task");
    assert!(create.contains("let task = client.create_project_task(project_id).body_map(|b| b.name(..)).send().await?;"), "{create}");
    assert!(create.contains("Required body fields (checked before sending): `name`."), "{create}");
    assert!(create.contains("| `override` (Rust: `override_time`) | string |  |  |"), "{create}");
    assert!(create.contains("Example:\n\n```json\n{\n  \"name\": \"Design\"\n}\n```"), "{create}");

    // Types only linked to are listed at the end.
    let types = &page[page.find("## Types").expect("a Types section")..];
    assert!(types.contains("<a id=\"type-userref\"></a>\n### `UserRef`\n\nA user as embedded elsewhere.\n\n| Field |"), "{types}");
    assert!(types.contains("### `Error`"), "{types}");
    assert!(!types.contains("### `Task`"), "Task is shown with its first operation");

    let index = &pages["README.md"];
    assert!(index.contains("# Mini API reference (v9)"));
    assert!(index.contains(
        "| [Project Tasks](project-tasks.md) | 3 | 2 GET, 1 POST | [`sections/project_tasks.md`](https://example.org/project_tasks) |"
    ));
    assert!(index.contains("| **All** | **3** | 2 GET, 1 POST | |"));
    for page in pages.values() {
        assert!(page.starts_with(markdown::GENERATED));
        assert!(page.ends_with('\n') && !page.ends_with("\n\n"));
    }
}

#[test]
fn integer_codes_and_nested_types_read_well() {
    let spec = Spec::parse(
        r#"
openapi: 3.0.3
info: {title: T, version: '1'}
components:
  schemas:
    Absence:
      type: object
      properties:
        code:
          title: AbsenceCode
          anyOf:
            - {type: integer, enum: [1, 2], x-enum-varnames: [sick_day, holiday]}
            - {type: integer}
            - {type: string, nullable: true}
        labels:
          type: object
          additionalProperties:
            type: array
            items: {type: string, nullable: true}
"#,
    )
    .unwrap();
    let mut types = super::schema::Types::new(&spec);
    let fields = types.fields(spec.schema("Absence").unwrap(), Some("Absence"));
    assert_eq!(fields[0].ty, "one of `1` (sick_day), `2` (holiday) (open: other values possible; sent as integer or string), nullable");
    assert!(fields[0].description.contains("Rust: `types::AbsenceCode`."), "a `title` names the open enum");
    assert_eq!(fields[1].ty, "map of string to array of (string, nullable)");
}

#[test]
fn page_names_are_tag_slugs() {
    assert_eq!(markdown::slug("Units / Teams"), "units-teams");
    assert_eq!(markdown::slug("Taggings (tag associations)"), "taggings-tag-associations");
    assert_eq!(markdown::slug("VAT Codes"), "vat-codes");
}

#[test]
fn rust_names_follow_the_codegen() {
    // The renames and replaced types are the codegen's (codegen/src/surface.rs, generate.rs).
    let surface = include_str!("../../../codegen/src/surface.rs");
    for (wire, rust) in rust::RENAMES {
        assert!(surface.contains(&format!("(\"{wire}_\", \"{rust}\")")), "codegen/src/surface.rs no longer renames {wire}_ to {rust}");
    }
    let generate = include_str!("../../../codegen/src/generate.rs");
    for (schema, rust) in rust::REPLACED {
        let crate_path = rust.replace("mocoapp::", "crate::");
        assert!(
            generate.contains(&format!(".with_replacement(\"{schema}\", \"{crate_path}\"")),
            "codegen/src/generate.rs no longer replaces {schema} with {crate_path}"
        );
    }
    assert_eq!(rust::ident("X-IMPERSONATE-USER-ID"), "x_impersonate_user_id");
    assert_eq!(rust::ident("type"), "kind");
    assert_eq!(rust::ident("billing_email_cc"), "billing_email_cc");
}

/// A workspace root of its own in the temporary directory, removed on drop.
struct TempRoot(PathBuf);

impl TempRoot {
    fn new(name: &str) -> TempRoot {
        let dir = std::env::temp_dir().join(format!("xtask-docs-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("openapi")).unwrap();
        fs::write(dir.join("openapi/moco.yaml"), SPEC).unwrap();
        TempRoot(dir)
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_names_stale_missing_and_extra_files_and_write_fixes_them() {
    let root = TempRoot::new("check");
    let docs = root.0.join("docs");

    // Nothing generated yet: every page is missing.
    let report = check_docs(&root.0, HtmlMode::Skip).unwrap();
    assert_eq!(report.stale, ["docs/README.md", "docs/project-tasks.md"]);
    assert!(report.lines.contains(&"stale: docs/README.md: missing".to_string()), "{:?}", report.lines);

    let written = write_docs(&root.0, HtmlMode::Skip).unwrap();
    assert!(written.lines.contains(&"docs/reference.html NOT regenerated (--skip-html)".to_string()), "{:?}", written.lines);
    let report = check_docs(&root.0, HtmlMode::Skip).unwrap();
    assert!(report.stale.is_empty(), "{:?}", report.lines);
    assert!(report.lines.contains(&"docs/reference.html NOT checked (--skip-html)".to_string()), "{:?}", report.lines);
    assert!(report.html_problem.is_none());

    // A page edited by hand, a page no tag produces, and a checked-in HTML page that
    // --skip-html leaves alone.
    let page = docs.join("project-tasks.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("Get a task", "Get one task")).unwrap();
    fs::write(docs.join("old-section.md"), "a section that is gone\n").unwrap();
    fs::write(docs.join("reference.html"), "<html></html>\n").unwrap();
    let report = check_docs(&root.0, HtmlMode::Skip).unwrap();
    assert_eq!(report.stale, ["docs/old-section.md", "docs/project-tasks.md"]);
    assert!(report.lines.contains(&"stale: docs/project-tasks.md: differs from what the spec gives".to_string()), "{:?}", report.lines);
    assert!(
        report.lines.contains(&"stale: docs/old-section.md: not generated from the spec (remove it)".to_string()),
        "{:?}",
        report.lines
    );
    assert!(report.lines.contains(&"1 of 2 Markdown files up to date".to_string()), "{:?}", report.lines);

    // A changed spec makes the pages stale too.
    fs::write(root.0.join("openapi/moco.yaml"), SPEC.replace("summary: Get a task", "summary: Fetch a task")).unwrap();
    write_docs(&root.0, HtmlMode::Skip).unwrap();
    fs::write(root.0.join("openapi/moco.yaml"), SPEC).unwrap();
    let report = check_docs(&root.0, HtmlMode::Skip).unwrap();
    assert_eq!(report.stale, ["docs/project-tasks.md"], "{:?}", report.lines);

    let written = write_docs(&root.0, HtmlMode::Skip).unwrap();
    assert!(written.lines.iter().any(|l| l.starts_with("wrote docs/project-tasks.md")), "{:?}", written.lines);
    assert!(!docs.join("old-section.md").exists(), "write removes pages no longer generated");
    assert!(docs.join("reference.html").exists(), "--skip-html leaves the HTML page alone");
    assert!(check_docs(&root.0, HtmlMode::Skip).unwrap().stale.is_empty());
}

#[test]
fn a_broken_spec_is_an_error_not_a_stale_report() {
    let root = TempRoot::new("broken");
    fs::write(root.0.join("openapi/moco.yaml"), "openapi: [").unwrap();
    let error = check_docs(&root.0, HtmlMode::Skip).unwrap_err();
    assert!(error.contains("not YAML"), "{error}");
    let untagged = SPEC.replace("      tags: [Project Tasks]\n      summary: Get a task", "      summary: Get a task");
    fs::write(root.0.join("openapi/moco.yaml"), untagged).unwrap();
    let error = check_docs(&root.0, HtmlMode::Skip).unwrap_err();
    assert_eq!(error, "get_project_task: no tag, so no page to put it on");
}
