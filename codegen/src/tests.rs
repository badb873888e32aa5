//! What each step of the generation guarantees, on a small spec and on the real one.

use serde_json::json;

use crate::adapt;

const MINI: &str = r##"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /things:
    get:
      operationId: list_things
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: ids, in: query, style: form, explode: false, schema: {type: array, items: {type: integer}}}
        - {$ref: '#/components/parameters/Filter'}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
        '4XX': {description: err, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
    post:
      operationId: create_thing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/ThingCreate'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '4XX': {description: err, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
components:
  parameters:
    Filter: {name: custom_properties, in: query, style: deepObject, explode: true, schema: {type: object}}
  schemas:
    Error: {type: object, properties: {message: {type: string, nullable: true}, errors: {nullable: true}}}
    Thing:
      type: object
      required: [id]
      properties: {id: {type: integer, format: int64}, tags: {type: array, items: {type: string}}}
    ThingCreate:
      type: object
      required: [name, labels]
      properties:
        name: {type: string}
        note: {type: string}
        labels: {type: array, items: {type: string}}
        tags: {type: array, items: {type: string}}
"##;

fn mini() -> serde_json::Value {
    serde_norway::from_str(MINI).unwrap()
}

#[test]
fn comma_lists_become_strings() {
    let mut spec = mini();
    adapt::adapt_spec(&mut spec);
    let ids = &spec["paths"]["/things"]["get"]["parameters"][1];
    assert_eq!(ids["name"], "ids");
    assert_eq!(ids["schema"], json!({"type": "string"}));
    assert_eq!(ids.get("explode"), None);
}

#[test]
fn deep_object_parameters_are_dropped_from_operations() {
    let mut spec = mini();
    adapt::adapt_spec(&mut spec);
    let params = spec["paths"]["/things"]["get"]["parameters"].as_array().unwrap();
    let names: Vec<_> = params.iter().map(|p| p["name"].as_str().unwrap_or("(ref)")).collect();
    assert_eq!(names, ["page", "ids"]);
}

#[test]
fn optional_arrays_become_nullable_and_required_ones_stay() {
    let mut spec = mini();
    adapt::adapt_spec(&mut spec);
    let create = &spec["components"]["schemas"]["ThingCreate"]["properties"];
    assert_eq!(create["tags"]["nullable"], true);
    assert_eq!(create["labels"].get("nullable"), None);
    assert_eq!(spec["components"]["schemas"]["Thing"]["properties"]["tags"]["nullable"], true);
}

#[test]
fn builders_get_send_wrappers_and_list_builders_get_pagination() {
    let code = crate::generate(MINI).unwrap();
    let compact: String = code.split_whitespace().collect::<Vec<_>>().join(" ").replace("( ", "(").replace(" )", ")");
    assert!(compact.contains("pub(crate) async fn send_raw(self"), "{code}");
    assert_eq!(compact.matches("crate::error::capture(self.send_raw()).await").count(), 2, "one per operation");
    assert!(compact.contains("impl<'a> crate::pagination::PagedRequest<'a> for ListThings<'a>"), "{code}");
    assert!(compact.contains("type Item = types::Thing;"), "{code}");
    assert!(!compact.contains("PagedRequest<'a> for CreateThing"), "only lists with a page parameter");
    assert!(compact.contains("pub fn stream(") && compact.contains("pub fn pages(") && compact.contains("pub async fn collect_all("));
    assert!(!compact.contains("custom_properties"), "the deepObject filter is not generated");
}

#[test]
fn optional_body_setters_take_into_optional() {
    let code = crate::generate(MINI).unwrap();
    let compact: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(compact.contains("pub fn note<T>(mut self, value: T) -> Self where T: crate::IntoOptional<::std::string::String>"), "{code}");
    assert!(compact.contains("self.note = Ok(value.into_optional());"), "{code}");
    // Required fields keep typify's conversion.
    assert!(compact.contains("pub fn name<T>(mut self, value: T) -> Self where T: ::std::convert::TryInto<::std::string::String>"), "{code}");
}

#[test]
fn a_failing_operation_is_named_with_a_hint() {
    let broken = MINI.replacen(
        "'201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}",
        "'201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}",
        1,
    );
    let message = crate::generate(&broken).unwrap_err();
    assert!(message.contains("Operations at fault:\n  - create_thing (POST /things)"), "{message}");
    assert!(message.contains("give every 2xx the same schema"), "{message}");
    assert!(!message.contains("list_things"), "{message}");
}

#[test]
fn invalid_yaml_and_non_openapi_documents_are_reported() {
    assert!(crate::generate("paths: [").unwrap_err().contains("not valid YAML"));
    assert!(crate::generate("openapi: 3.0.3\n").unwrap_err().contains("not an OpenAPI 3.0 document"));
}

#[test]
fn the_real_spec_generates_and_every_paginated_list_streams() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/moco.yaml")).unwrap();
    let code = crate::generate(&text).unwrap();
    let spec: serde_json::Value = serde_norway::from_str(&text).unwrap();
    let mut paginated = 0;
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let takes_page = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["$ref"] == "#/components/parameters/Page"));
            if takes_page {
                paginated += 1;
                let id = op["operationId"].as_str().unwrap();
                let builder: String = id.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
                assert!(
                    code.contains(&format!("crate::pagination::PagedRequest<'a> for {builder}<'a>")),
                    "{id} takes `page` but does not stream"
                );
            }
        }
    }
    assert!(paginated >= 10, "{paginated}");
    assert_eq!(code.matches("crate::pagination::PagedRequest<'a> for").count(), paginated);
}
