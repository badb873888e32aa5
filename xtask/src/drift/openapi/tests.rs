//! `drift --openapi` on the fixture pair in `xtask/tests/fixtures/drift-openapi/`: a small spec in
//! the project's conventions and an "official" description in plain forms that match it. First
//! the clean pair, then one change at a time (an operation only on one side, a parameter, a body
//! field, a response field, a value, a status code) and the declarations that accept a change.

use std::{path::Path, process::ExitCode};

use serde_json::{json, Value};

use super::{check_text, render, summary, Category, Report};

const SPEC: &str = include_str!("../../../tests/fixtures/drift-openapi/spec.yaml");
const OFFICIAL: &str = include_str!("../../../tests/fixtures/drift-openapi/official.json");

/// The official fixture, changed by `edit`.
fn official(edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(OFFICIAL).unwrap();
    edit(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap()
}

/// The value at a JSON pointer of the official fixture (`~1` for `/`).
fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("the official fixture has no {pointer}"))
}

fn spec_with(from: &str, to: &str) -> String {
    assert!(SPEC.contains(from), "the spec fixture has no {from:?}");
    SPEC.replacen(from, to, 1)
}

fn drift(spec: &str, official: &str) -> Report {
    check_text(spec, official).unwrap()
}

fn all(report: &Report) -> String {
    render(report, true)
}

/// Every finding as `operation id | category | key | detail`.
fn findings(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for op in &report.operations {
        let id = op.label.split(['(', ')']).nth(1).unwrap_or_default();
        for finding in &op.findings {
            out.push(format!("{id} | {} | {} | {}", finding.category.name(), finding.key, finding.detail));
        }
    }
    out
}

const THING: &str = "/components/schemas/Thing/properties";
const CREATE: &str = "/paths/~1things~1/post/requestBody/content/application~1json/schema";

#[test]
fn the_matching_pair_has_no_finding() {
    let report = drift(SPEC, OFFICIAL);
    assert_eq!(report.findings(), 0, "{}", all(&report));
    assert_eq!((report.matched, report.spec_operations, report.official_operations), (7, 7, 7));
    assert_eq!(report.accepted(), 0);
    assert_eq!(
        summary(&report),
        "openapi drift: 0 missing from the spec, 0 missing from the official description, 0 params, 0 body, 0 response, 0 enum, 0 status; 0 declared (Official Things 1.0.0)"
    );
    assert_eq!(render(&report, false), "checked 7 matched operations (spec: 7, official description: 7)\n");
}

#[test]
fn placeholders_trailing_slashes_and_pdf_suffixes_compare_like_the_docs_drift() {
    // The clean pair already has `/things` against `/things/` and `{thing_id}` against `{id}`;
    // a `.pdf` download is not the entity itself.
    let report = drift(SPEC, &official(|doc| drop(doc["paths"].as_object_mut().unwrap().remove("/things/{id}.pdf"))));
    assert_eq!(report.only_spec.len(), 1, "{}", all(&report));
    assert_eq!(report.only_spec[0].label, "GET /things/{thing_id}.pdf (download_thing_pdf) [spec line 101]");
    assert_eq!(report.matched, 6);
}

#[test]
fn an_operation_only_in_one_document_is_reported_in_the_right_direction() {
    let official = official(|doc| {
        doc["paths"].as_object_mut().unwrap().remove("/things/{id}.pdf");
        doc["paths"]["/things/{id}/archive"] =
            json!({"put": {"summary": "Archive thing", "tags": ["Things"], "responses": {"200": {"description": "ok"}}}});
    });
    let report = drift(SPEC, &official);
    assert_eq!(
        report.only_official.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(),
        ["PUT /things/{id}/archive \"Archive thing\" [Things]"]
    );
    assert!(report.only_official[0].note.contains("`x-openapi-drift: {\"PUT /things/{id}/archive\": <reason>}`"), "{}", all(&report));
    assert_eq!(
        report.only_spec.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(),
        ["GET /things/{thing_id}.pdf (download_thing_pdf) [spec line 101]"]
    );
    assert!(summary(&report).starts_with("openapi drift: 1 missing from the spec, 1 missing from the official description, 0 params,"));
    let text = render(&report, false);
    assert!(text.contains("missing from the spec: PUT /things/{id}/archive \"Archive thing\" [Things]\n"), "{text}");
    assert!(text.contains("missing from the official description: GET /things/{thing_id}.pdf (download_thing_pdf)"), "{text}");

    // An operation marked as coming from the official description, which no longer has it.
    let report = drift(SPEC, &official_without("/things/{id}", "patch"));
    assert_eq!(report.only_spec.len(), 1, "{}", all(&report));
    assert!(report.only_spec[0].label.starts_with("PATCH /things/{thing_id} (update_thing_via_patch)"));
    assert!(report.only_spec[0].note.contains("marked `x-source: openapi`, but the official description no longer has it"));
}

fn official_without(path: &str, method: &str) -> String {
    official(|doc| drop(doc["paths"][path].as_object_mut().unwrap().remove(method)))
}

#[test]
fn parameters_differ_by_name_type_and_required() {
    let official = official(|doc| {
        let params = at(doc, "/paths/~1things~1/get/parameters").as_array_mut().unwrap();
        params.push(json!({"in": "query", "name": "term", "schema": {"type": "string"}}));
        params[1]["required"] = json!(true);
        params[2]["schema"] = json!({"type": "boolean"});
        *at(doc, "/paths/~1things~1{id}/get/parameters/0/schema") = json!({"type": "string"});
    });
    let spec = spec_with(
        "        - $ref: '#/components/parameters/SortBy'\n",
        "        - $ref: '#/components/parameters/SortBy'\n        - {name: q, in: query, schema: {type: string}}\n",
    );
    let report = drift(&spec, &official);
    assert_eq!(
        findings(&report),
        [
            "list_things | param | query.company_id | array of integer in the spec, boolean in the official description",
            "list_things | param | query.q | only in the spec",
            "list_things | param | query.status | required in the official description, optional in the spec",
            "list_things | param | query.term | only in the official description (string)",
            "get_thing | param | path.thing_id | integer in the spec, string in the official description",
        ],
        "{}",
        all(&report)
    );
    let get = report.operations.iter().find(|op| op.label.contains("get_thing")).unwrap();
    assert_eq!(get.findings[0].subject, "path parameter `thing_id` (`id` there)");
    assert!(summary(&report).contains(", 5 params,"));
    // `sort_by` (a global filter) is only in the spec without being a finding, and the spec's
    // comma-separated list equals a plain integer or string parameter.
    let report = drift(SPEC, &self::official(|doc| *at(doc, "/paths/~1things~1/get/parameters/2/schema") = json!({"type": "string"})));
    assert_eq!(report.findings(), 0, "{}", all(&report));
}

#[test]
fn request_body_fields_differ_by_name_type_and_required() {
    let official = official(|doc| {
        let schema = at(doc, CREATE);
        schema["properties"]["color"] = json!({"type": "string"});
        schema["properties"]["total"] = json!({"type": "string"});
        schema["properties"].as_object_mut().unwrap().remove("due_date");
        schema["properties"]["items"]["items"]["properties"]["title"] = json!({"type": "integer"});
        schema["required"] = json!(["name", "status"]);
    });
    let report = drift(SPEC, &official);
    assert_eq!(
        findings(&report),
        [
            "create_thing | body | body.color | only in the official description (string)",
            "create_thing | body | body.due_date | only in the spec",
            "create_thing | body | body.items[].title | string in the spec, integer in the official description",
            "create_thing | body | body.status | required in the official description, optional in the spec",
            "create_thing | body | body.total | decimal in the spec, string in the official description",
        ],
        "{}",
        all(&report)
    );
    let color = &report.operations.iter().find(|op| op.label.contains("create_thing")).unwrap().findings[0];
    assert_eq!(color.owner.as_deref(), Some("ThingCreate.color"));
    assert_eq!(color.todo, "add it to ThingCreate, or declare on schema ThingCreate: `x-openapi-drift: {color: <reason>}`");

    // A body only one document has.
    let report = drift(SPEC, &official_without_body());
    assert_eq!(findings(&report), ["update_thing | body | body | only in the spec (application/json)"], "{}", all(&report));
}

fn official_without_body() -> String {
    official(|doc| drop(at(doc, "/paths/~1things~1{id}/put").as_object_mut().unwrap().remove("requestBody")))
}

#[test]
fn response_fields_differ_by_name_type_and_strictness() {
    let official = official(|doc| {
        let thing = at(doc, THING);
        thing["color"] = json!({"type": "string"});
        thing["id"] = json!({"type": "string"});
        thing["tags"]["nullable"] = json!(true);
        thing.as_object_mut().unwrap().remove("rate");
        *at(doc, "/components/schemas/Thing/required") = json!(["name"]);
    });
    let report = drift(SPEC, &official);
    // The component is shared by four operations: each difference is reported once.
    assert_eq!(
        findings(&report),
        [
            "list_things | response | response[].color | only in the official description (string)",
            "list_things | response | response[].id | integer in the spec, string in the official description",
            "list_things | response | response[].rate | only in the spec",
            "list_things | response | response[].tags | nullable in the official description, not in the spec (a strict client rejects null)",
        ],
        "{}",
        all(&report)
    );
    let color = &report.operations[0].findings[0];
    assert_eq!(color.also, ["create_thing", "update_thing", "update_thing_via_patch"]);
    assert!(render(&report, false).contains(
        "  response: response field `[].color` (Thing.color): only in the official description (string) [also in create_thing, update_thing, update_thing_via_patch] → add it to Thing, or declare on schema Thing: `x-openapi-drift: {color: <reason>}`\n"
    ));

    // A field the spec requires and the official description lists as optional: a client built
    // from the spec would reject an answer without it. A description without a `required` list
    // says nothing either way.
    let required = |list: Value| {
        drift(
            SPEC,
            &self::official(|doc| *at(doc, "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/required") = list),
        )
    };
    let report = required(json!(["name"]));
    assert_eq!(
        findings(&report),
        ["get_thing | response | response.id | required in the spec, optional in the official description (a client rejects an answer without it)"]
    );
    let report = drift(SPEC, &self::official(|doc| drop(at(doc, "/components/schemas/Thing").as_object_mut().unwrap().remove("required"))));
    assert_eq!(report.findings(), 0, "{}", all(&report));

    // Another form of a nested object (the full user beside the reference) is one finding.
    let report = drift(
        SPEC,
        &self::official(|doc| {
            at(doc, THING)["owner"] = json!({"oneOf": [
                {"type": "object", "properties": {"id": {"type": "integer"}, "firstname": {"type": "string"}}},
                {"type": "object", "properties": {"id": {"type": "integer"}, "firstname": {"type": "string"}, "email": {"type": "string"}, "active": {"type": "boolean"}}},
            ], "nullable": true})
        }),
    );
    assert_eq!(
        findings(&report),
        ["list_things | response | response[].owner | the official description has another form of it (an anyOf/oneOf alternative) with fields the spec lacks: `active`, `email`"],
        "{}",
        all(&report)
    );
    assert_eq!(
        report.operations[0].findings[0].todo,
        "add that form to the spec where MOCO sends it, or declare on schema Thing: `x-openapi-drift: {owner: <reason>}`"
    );

    // A free-form object says nothing about the fields below it.
    let report =
        drift(SPEC, &self::official(|doc| *at(doc, "/components/schemas/Thing") = json!({"type": "object", "additionalProperties": true})));
    assert_eq!(report.findings(), 0, "{}", all(&report));

    // A JSON answer only one document has.
    let report = drift(
        SPEC,
        &self::official(
            |doc| *at(doc, "/paths/~1things~1{id}/delete/responses") = json!({"200": {"description": "Deleted", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}}),
        ),
    );
    assert_eq!(
        findings(&report),
        ["delete_thing | response | response | JSON (object) at 200 in the official description; the spec declares no body"],
        "{}",
        all(&report)
    );
}

#[test]
fn known_values_differ() {
    let official = official(|doc| {
        at(doc, THING)["status"]["enum"] = json!(["active", "archived", "paused"]);
        at(doc, CREATE)["properties"]["status"]["enum"] = json!(["active"]);
        at(doc, "/components/schemas/ThingUpdate/properties")["name"]["enum"] = json!(["a", "b"]);
        at(doc, "/paths/~1things~1/get/parameters/1/schema")["enum"] = json!(["active", "archived", "all"]);
    });
    let report = drift(SPEC, &official);
    assert_eq!(
        findings(&report),
        [
            "list_things | enum | query.status | values only in the official description: \"all\"",
            "list_things | enum | response[].status | values only in the official description: \"paused\"",
            "create_thing | enum | body.status | values the spec sends that the official description does not list: \"archived\"",
            "update_thing | enum | body.name | the official description knows the values \"a\", \"b\", the spec none",
        ],
        "{}",
        all(&report)
    );
    assert!(summary(&report).contains(", 4 enum,"));
    // The spec's open enum knows `deleted` too: a response may know more values than the other side.
    let report = drift(SPEC, &self::official(|doc| at(doc, THING)["status"]["enum"] = json!(["active"])));
    assert_eq!(report.findings(), 0, "{}", all(&report));
}

#[test]
fn success_status_codes_differ_only_where_the_spec_lacks_one() {
    let official = official(|doc| {
        at(doc, "/paths/~1things~1{id}/delete/responses")["202"] = json!({"description": "Deletion scheduled"});
        at(doc, "/paths/~1things~1/post/responses")["201"] = json!({"description": "Created"});
    });
    let report = drift(SPEC, &official);
    assert_eq!(
        findings(&report),
        ["delete_thing | status | status.202 | only in the official description (\"Deletion scheduled\")"],
        "{}",
        all(&report)
    );
    assert!(summary(&report).contains(", 1 status;"));
}

#[test]
fn decimals_dates_and_nullable_references_compare_equal_to_plain_forms() {
    // The clean pair: decimal anyOf against `number` and against a string whose example is a
    // number (`rate`), the `""` date branch against a nullable date, the `{}` reference branch
    // against a nullable object (through `allOf`), the open enum against a closed one, int64
    // against integer. A string whose example is no number is no decimal.
    assert_eq!(drift(SPEC, OFFICIAL).findings(), 0);
    let report = drift(SPEC, &official(|doc| at(doc, "/components/schemas/Thing/example")["rate"] = json!("soon")));
    assert_eq!(
        findings(&report),
        ["list_things | response | response[].rate | decimal in the spec, string in the official description"],
        "{}",
        all(&report)
    );
    // A nullable date is still a date.
    let report =
        drift(SPEC, &official(|doc| at(doc, THING)["due_date"] = json!({"type": "string", "format": "date-time", "nullable": true})));
    assert_eq!(
        findings(&report),
        ["list_things | response | response[].due_date | nullable date in the spec, nullable date-time in the official description"],
        "{}",
        all(&report)
    );
}

/// The spec with declarations for the differences of [`declared_official`].
fn declared_spec() -> String {
    SPEC.replacen("info: {title: Things, version: v1}\n", "info: {title: Things, version: v1}\nx-openapi-drift:\n  PUT /things/{thing_id}/archive: MOCO's docs do not describe archiving; the spec leaves it out.\n", 1)
        .replacen("      operationId: list_things\n", "      operationId: list_things\n      x-openapi-drift: {query.term: The docs name no search for things.}\n", 1)
        .replacen("    Thing:\n      type: object\n", "    Thing:\n      type: object\n      x-openapi-drift: {color: Only the official description has it; no answer shows it.}\n", 1)
        .replacen(
            "        total: {type: number, format: decimal}\n        status:",
            "        total: {type: number, format: decimal, x-openapi-drift: The docs send a number.}\n        status:",
            1,
        )
        .replacen("    UserRef:\n      type: object\n", "    UserRef:\n      type: object\n      x-openapi-drift: {nickname: No longer differs.}\n", 1)
}

fn declared_official() -> String {
    official(|doc| {
        doc["paths"]["/things/{id}/archive"] = json!({"put": {"summary": "Archive thing", "responses": {"200": {"description": "ok"}}}});
        at(doc, "/paths/~1things~1/get/parameters")
            .as_array_mut()
            .unwrap()
            .push(json!({"in": "query", "name": "term", "schema": {"type": "string"}}));
        at(doc, THING)["color"] = json!({"type": "string"});
        at(doc, CREATE)["properties"]["total"] = json!({"type": "string"});
    })
}

#[test]
fn declared_differences_are_accepted() {
    let official = declared_official();
    let undeclared = drift(SPEC, &official);
    assert_eq!((undeclared.findings(), undeclared.accepted()), (4, 0), "{}", all(&undeclared));

    let report = drift(&declared_spec(), &official);
    assert_eq!(report.findings(), 0, "{}", all(&report));
    assert_eq!(report.accepted(), 4, "{}", all(&report));
    assert!(summary(&report).ends_with("0 status; 4 declared (Official Things 1.0.0)"), "{}", summary(&report));
    let verbose = render(&report, true);
    for line in [
        "accepted: PUT /things/{id}/archive \"Archive thing\" is in one document only — declared on the top of the spec: MOCO's docs do not describe archiving; the spec leaves it out.\n",
        "accepted: GET /things (list_things) [spec line 11]: param: query parameter `term`: only in the official description (string) — declared on operation GET /things (list_things): The docs name no search for things.\n",
        "accepted: GET /things (list_things) [spec line 11]: response: response field `[].color` (Thing.color): only in the official description (string) [also in create_thing, update_thing, update_thing_via_patch] — declared on schema Thing: Only the official description has it; no answer shows it.\n",
        "accepted: POST /things (create_thing) [spec line 36]: body: body field `total` (ThingCreate.total): decimal in the spec, string in the official description — declared on property ThingCreate.total: The docs send a number.\n",
        "info: declared on schema UserRef `nickname` (No longer differs.), but nothing differs there: remove the declaration\n",
    ] {
        assert!(verbose.contains(line), "no {line:?} in\n{verbose}");
    }
    let brief = render(&report, false);
    assert!(brief.contains("info: 4 declared differences accepted (--verbose lists them)\n"), "{brief}");
    assert!(brief.contains("info: 1 declarations accept nothing (--verbose lists them; remove them)\n"), "{brief}");
    assert!(!brief.contains("accepted:"), "{brief}");

    // A key covers what is below it; a declaration needs a reason.
    let spec = declared_spec().replace("{query.term: The docs name no search for things.}", "{query: ''}");
    let report = drift(&spec, &official);
    assert_eq!(report.invalid, ["x-openapi-drift on operation GET /things (list_things): `query` needs a reason (a sentence), not \"\""]);
    assert_eq!(report.findings(), 2, "{}", all(&report));
    assert!(summary(&report).contains(", 1 malformed declarations;"));
    let spec = declared_spec().replace("{query.term: The docs name no search for things.}", "{query: The docs name none.}");
    assert_eq!(drift(&spec, &official).findings(), 0);
}

#[test]
fn the_command_exits_non_zero_on_findings_unless_report_only() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drift-openapi");
    let spec = fixtures.join("spec.yaml").display().to_string();
    let args = |official: &str, extra: &[&str]| {
        let mut args = vec!["--openapi".to_string(), official.to_string(), "--spec".to_string(), spec.clone()];
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let run = |args: Vec<String>| crate::drift::run(Path::new("."), &args);
    assert_eq!(run(args(&fixtures.join("official.json").display().to_string(), &[])), ExitCode::SUCCESS);
    let dir = std::env::temp_dir().join(format!("xtask-drift-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let drifted = dir.join("official.json");
    std::fs::write(&drifted, official_without_body()).unwrap();
    let drifted = drifted.display().to_string();
    assert_eq!(run(args(&drifted, &[])), ExitCode::FAILURE);
    assert_eq!(run(args(&drifted, &["--report-only"])), ExitCode::SUCCESS);
    assert_eq!(run(args(&drifted, &["--verbose", "--report-only"])), ExitCode::SUCCESS);
    assert_eq!(run(args("/nonexistent/v1.json", &["--report-only"])), ExitCode::from(2));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run(vec!["--openapi".to_string()]), ExitCode::from(2));
    assert_eq!(run(vec!["--report-only".to_string()]), ExitCode::from(2));
}

#[test]
fn categories_name_the_summary_counts() {
    let names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["param", "body", "response", "enum", "status"]);
}
