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
    assert!(compact.contains("pub(crate) fn build_request(self"), "synchronous: {code}");
    let dense = code.split_whitespace().collect::<String>().replace(",)", ")");
    let sent = "letrequest=self.build_request().map_err(crate::error::not_sent)?;letanswer=crate::hooks::send(client,\"list_things\",request,crate::hooks::Success::Json).await?;";
    assert_eq!(dense.matches(sent).count(), 2, "send and send_with_response: {code}");
    assert_eq!(dense.matches("letanswer=crate::hooks::send(").count(), 4, "two per operation: {code}");
    assert!(dense.contains("crate::answer::Call::new(self.client,\"list_things\")"), "{code}");
    // send_with_response hands back a ResponseValue, send the value alone.
    assert!(dense.contains("200u16=>call.json(answer),_=>::std::result::Result::Err(call.failure(answer))"), "{code}");
    assert!(dense.contains("200u16=>call.value(answer),_=>::std::result::Result::Err(call.failure(answer))"), "{code}");
    assert!(!dense.contains("ResponseValue::into_inner"), "send does not go through send_with_response: {code}");
    assert!(
        !dense.contains("Error::ErrorResponse") && !dense.contains("letresponse=result?;"),
        "the status match left build_request: {code}"
    );
    assert!(dense.contains("crate::hooks::prepare(client,&mutrequest,&info);Ok(request)}"), "{code}");
    assert!(!dense.contains("client.pre("), "{code}");
    assert!(!dense.contains("client.exec(") && !dense.contains("client.post(&result"), "{code}");
    assert!(!code.contains("api-version"), "{code}");
    assert!(dense.contains("letmutheader_map=::reqwest::header::HeaderMap::new();"), "no room reserved: {code}");
    assert!(compact.contains("impl<'a> crate::pagination::PagedRequest<'a> for ListThings<'a>"), "{code}");
    assert!(compact.contains("type Item = types::Thing;"), "{code}");
    assert!(
        dense.contains("fnclient(&self)->::std::option::Option<&'acrate::Client>{::std::option::Option::Some(self.client)}"),
        "the stream finds the client's limiter: {code}"
    );
    assert!(!compact.contains("PagedRequest<'a> for CreateThing"), "only lists with a page parameter");
    assert!(compact.contains("pub fn stream(") && compact.contains("pub fn pages(") && compact.contains("pub async fn collect_all("));
    // (`dense`: without any whitespace (and trailing commas), so prettyplease's line breaks do
    // not matter.)
    for (method, calls) in [
        ("stream(self)", "stream_items_auto(self)"),
        ("stream_concurrent(self,concurrency:usize)", "stream_items_concurrent(self,concurrency)"),
        ("pages(self)", "stream_pages_auto(self)"),
        ("pages_concurrent(self,concurrency:usize)", "stream_pages_concurrent(self,concurrency)"),
        ("asyncfncollect_all(self)", "collect_all_auto(self).await"),
        ("asyncfncollect_all_concurrent(self,concurrency:usize)", "collect_all_concurrent(self,concurrency).await"),
    ] {
        let start = dense.find(&format!("{method}->")).unwrap_or_else(|| panic!("no {method}: {code}"));
        let body = &dense[start..start + dense[start..].find("}").unwrap()];
        assert!(body.contains(&format!("crate::pagination::{calls}")), "{method} should call {calls}: {body}");
    }
    assert!(!compact.contains("fn custom_properties"), "the deepObject filter is not generated");
}

#[test]
fn optional_body_setters_take_into_optional() {
    let code = crate::generate(MINI).unwrap();
    let compact: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(compact.contains("pub fn note<T>(mut self, value: T) -> Self where T: crate::IntoOptional<::std::string::String>"), "{code}");
    assert!(compact.contains("self.note = Ok(value.into_optional());"), "{code}");
    // Required fields keep typify's conversion.
    assert!(
        compact.contains("pub fn name<T>(mut self, value: T) -> Self where T: ::std::convert::TryInto<::std::string::String>"),
        "{code}"
    );
}

#[test]
fn request_types_get_a_constructor_of_their_required_fields_and_setters_for_the_rest() {
    let code = crate::generate(MINI).unwrap();
    // Required: `name` and `labels`, in the order of the schema's `required` list; nothing else.
    assert!(
        has(
            &code,
            "pub fn new(name: impl ::std::convert::Into<::std::string::String>, labels: impl ::std::convert::Into<::std::vec::Vec<::std::string::String>>) -> Self {
                Self { labels: labels.into(), name: name.into(), note: ::std::default::Default::default(), tags: ::std::default::Default::default() }
            }"
        ),
        "{code}"
    );
    assert!(
        has(&code, "pub fn note(mut self, value: impl crate::IntoOptional<::std::string::String>) -> Self { self.note = value.into_optional(); self }"),
        "{code}"
    );
    assert!(has(&code, "pub fn tags(mut self, value: impl crate::IntoOptional<::std::vec::Vec<::std::string::String>>) -> Self"), "{code}");
    assert!(!has(&code, "pub fn name(mut self"), "a required field has no setter on the type: {code}");
    // Response types get none.
    assert_eq!(norm(&code).matches("pubfnnew(name:").count(), 1, "{code}");
    assert!(!has(&code, "impl Thing {"), "{code}");
}

#[test]
fn each_paginated_lists_item_tells_its_id() {
    let code = crate::generate(MINI).unwrap();
    assert!(has(&code, "impl crate::ListItem for Thing { fn item_id(&self) -> ::std::option::Option<i64> { Some(self.id) } }"), "{code}");
    assert_eq!(norm(&code).matches("implcrate::ListItemfor").count(), 1, "only list items: {code}");
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
            let takes_page = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["$ref"] == "#/components/parameters/Page"));
            if takes_page {
                paginated += 1;
                let id = op["operationId"].as_str().unwrap();
                let builder: String = id.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
                assert!(
                    has(&code, &format!("crate::pagination::PagedRequest<'a> for {builder}<'a>")),
                    "{id} takes `page` but does not stream"
                );
            }
        }
    }
    assert!(paginated >= 10, "{paginated}");
    assert_eq!(norm(&code).matches(&norm("crate::pagination::PagedRequest<'a> for")).count(), paginated);
}

const SURFACE: &str = r##"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /things/{thing_id}/parts/{id}:
    parameters:
      - {name: thing_id, in: path, required: true, schema: {type: integer, format: int64}}
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: get_part
      parameters:
        - {name: codes, in: query, required: true, style: form, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Part'}}}}
  /things/{id}/file.pdf:
    get:
      operationId: download_thing_pdf
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: ok, content: {application/pdf: {schema: {type: string, format: binary}}}}
        '204': {description: not a PDF}
  /things/{id}/upload:
    patch:
      operationId: upload_thing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      requestBody:
        content: {multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}}}}}
      responses:
        '200': {description: ok}
components:
  schemas:
    Owner: {type: object, properties: {id: {type: integer}}}
    Part:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int64}
        type: {type: string, nullable: true}
        owner:
          anyOf:
            - $ref: '#/components/schemas/Owner'
            - {type: object, nullable: true, enum: [null]}
        status:
          anyOf:
            - {type: string, enum: [created, page-break]}
            - {type: string, nullable: true}
        code:
          title: PartCode
          anyOf:
            - {type: integer, enum: [1, 2], x-enum-varnames: [sick_day, holiday]}
            - {type: integer}
            - {type: string, nullable: true}
        color: {type: string, pattern: '^#[0-9a-f]{6}$'}
"##;

/// Code without white space and without the trailing commas prettyplease adds when it breaks
/// lines, so needles do not depend on line lengths.
fn norm(code: &str) -> String {
    let flat: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    flat.replace(",)", ")").replace(",>", ">").replace(",}", "}")
}

fn has(code: &str, needle: &str) -> bool {
    norm(code).contains(&norm(needle))
}

#[test]
fn facts_name_path_parameters_in_path_order_and_comma_lists() {
    let facts = crate::facts::read(&serde_norway::from_str(SURFACE).unwrap());
    let part = &facts["get_part"];
    assert_eq!(part.path_params, vec!["thing_id", "id"]);
    assert_eq!(part.comma_lists, vec![("codes".to_string(), crate::facts::ListItem::Text)]);
    assert_eq!(part.required_query, vec!["codes"]);
}

#[test]
fn path_parameters_become_method_arguments_and_their_setters_are_hidden() {
    let code = crate::generate(SURFACE).unwrap();
    assert!(
        has(&code, "pub fn get_part(&self, thing_id: impl ::std::convert::Into<i64>, id: impl ::std::convert::Into<i64>,) -> builder::GetPart<'_> { builder::GetPart::new(self).thing_id(thing_id.into()).id(id.into()) }"),
        "{code}"
    );
    assert!(has(&code, "pub(crate) fn thing_id<V>(mut self"), "{code}");
    assert!(has(&code, "let response = client.get_part(thing_id, id)"), "docs show the call: {code}");
    assert!(has(&code, "Required query parameters (checked before sending): `.codes(..)`."), "{code}");
    assert!(has(&code, "pub(crate) fn new(baseurl: &str"), "constructors are crate-private: {code}");
    assert!(has(&code, "pub(crate) fn new(client: &'a super::Client) -> Self"), "so are the request builders': {code}");
    assert!(!has(&code, "pub fn new("), "{code}");
}

#[test]
fn comma_lists_take_collections_of_their_item_type() {
    let code = crate::generate(SURFACE).unwrap();
    assert!(
        has(&code, "pub fn codes<I>(mut self, values: I) -> Self where I: ::std::iter::IntoIterator, I::Item: ::std::convert::Into<::std::string::String>,"),
        "{code}"
    );
    assert!(has(&code, "self.codes = Ok(joined);"), "required list: {code}");
}

#[test]
fn open_enums_become_macro_invocations_and_keywords_are_renamed() {
    let code = crate::generate(SURFACE).unwrap();
    assert!(has(&code, "crate::open_enum::open_enum! {"), "{code}");
    assert!(has(&code, "PartStatus: text { Created = \"created\", PageBreak = \"page-break\" }"), "{code}");
    assert!(has(&code, "PartCode: integer { SickDay = 1, Holiday = 2 }"), "{code}");
    assert!(has(&code, "pub status: ::std::option::Option<crate::types::PartStatus>"), "{code}");
    assert!(has(&code, "pub owner: ::std::option::Option<Owner>"), "nullable reference is an Option: {code}");
    assert!(has(&code, "rename = \"type\"") && has(&code, "pub kind: ::std::option::Option<::std::string::String>"), "{code}");
    assert!(!code.contains("type_"), "{code}");
    assert!(has(&code, "pub color: ::std::option::Option<::std::string::String>"), "patterns are dropped: {code}");
}

#[test]
fn multipart_operations_are_left_out_and_downloads_return_bytes() {
    let code = crate::generate(SURFACE).unwrap();
    assert!(!code.contains("upload_thing"), "{code}");
    assert!(has(&code, "pub async fn send(self) -> ::std::result::Result<::std::vec::Vec<u8>, crate::Error>"), "{code}");
    assert!(
        has(&code, "crate::hooks::send(client, \"download_thing_pdf\", request, crate::hooks::Success::File)"),
        "a file streams: {code}"
    );
    assert!(has(&code, "204u16 =>"), "the empty answer is accepted: {code}");
}

#[test]
fn two_open_enums_under_one_name_or_a_clash_with_a_component_are_errors() {
    let clash = SURFACE.replace("title: PartCode", "title: Owner");
    assert!(crate::generate(&clash).unwrap_err().contains("give it a `title`"));
    let unnamed = SURFACE.replace(", x-enum-varnames: [sick_day, holiday]", "");
    assert!(crate::generate(&unnamed).unwrap_err().contains("need `x-enum-varnames`"));
}

#[test]
fn only_request_types_keep_their_builders() {
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /things:
    post:
      operationId: create_thing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/ThingCreate'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Owner: {type: object, properties: {id: {type: integer}}}
    Thing:
      type: object
      required: [id]
      properties: {id: {type: integer}, owner: {$ref: '#/components/schemas/Owner'}}
    PartInput: {type: object, required: [title], properties: {title: {type: string}}}
    ThingCreate:
      type: object
      required: [name]
      properties: {name: {type: string}, parts: {type: array, items: {$ref: '#/components/schemas/PartInput'}}}
"##;
    let code = crate::generate(spec).unwrap();
    for kept in ["ThingCreate", "PartInput"] {
        assert!(has(&code, &format!("pub struct {kept} {{")), "{kept} is generated");
        assert!(has(&code, &format!("pub fn builder() -> builder::{kept} {{")), "{kept}::builder() is kept: {code}");
        assert!(has(&code, &format!("impl ::std::convert::TryFrom<{kept}> for super::{kept}")), "{kept}'s builder is kept");
    }
    for pruned in ["Thing", "Owner"] {
        assert!(has(&code, &format!("pub struct {pruned} {{")), "{pruned} is generated");
        assert!(!has(&code, &format!("pub fn builder() -> builder::{pruned} {{")), "{pruned} is a response type: {code}");
        assert!(!has(&code, &format!("for super::{pruned} {{")), "{pruned}'s builder is gone: {code}");
    }
}

#[test]
fn an_alias_is_no_method_of_its_own_and_is_named_in_the_docs_of_the_update() {
    let spec = MINI.replace(
        "components:\n",
        "  /things/{id}:\n    parameters:\n      - {name: id, in: path, required: true, schema: {type: integer}}\n    \
         put:\n      operationId: update_thing\n      description: Changes a thing.\n      requestBody:\n        required: true\n        \
         content: {application/json: {schema: {$ref: '#/components/schemas/ThingCreate'}}}\n      responses:\n        \
         '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n    \
         patch:\n      operationId: update_thing_via_patch\n      x-alias-of: update_thing\n      requestBody:\n        required: true\n        \
         content: {application/json: {schema: {$ref: '#/components/schemas/ThingCreate'}}}\n      responses:\n        \
         '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n\
         components:\n",
    );
    let code = crate::generate(&spec).unwrap();
    assert!(code.contains("pub fn update_thing("), "the update is generated");
    assert!(!code.contains("update_thing_via_patch("), "the alias is not a method of its own");
    assert!(
        code.contains("MOCO also accepts this update with PATCH (`update_thing_via_patch` in the spec); this method sends PUT."),
        "{code}"
    );
    assert!(!code.contains("Method::PATCH"), "nothing sends PATCH");
}

const PARTS: &str = r##"
openapi: 3.0.3
info: {title: t, version: v1}
paths:
  /things/{id}/parts/{kind}:
    get:
      operationId: get_part
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
        - {name: kind, in: path, required: true, schema: {type: string}}
        - {name: full, in: query, schema: {type: boolean}}
        - {name: from, in: query, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Part'}}}}
components:
  schemas:
    Part: {type: object, properties: {id: {type: integer, format: int64}}}
"##;

#[test]
fn requests_are_built_without_work_they_do_not_need() {
    let code = crate::generate(PARTS).unwrap();
    assert!(
        has(&code, r#"format!("{}/things/{}/parts/{}", client.baseurl, id, encode_path(&kind.to_string()))"#),
        "integer ids unencoded: {code}"
    );
    assert!(has(&code, r#".optional_query("full", &full)"#), "unset options are not serialized: {code}");
    assert!(has(&code, r#".query(&progenitor_client::QueryParam::new("from", &from))"#), "required ones are: {code}");
    assert!(has(&code, "use crate::query::OptionalQuery as _;"), "{code}");
    assert!(has(&code, "id: Err(::std::string::String::new())"), "the Client method sets path parameters: {code}");
    assert!(has(&code, r#"from: Err("from was not initialized".to_string())"#), "a required query parameter keeps its message: {code}");
}
