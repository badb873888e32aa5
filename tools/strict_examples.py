#!/usr/bin/env python3
"""Check openapi/moco.yaml's examples the way a strict OpenAPI 3.0.3 consumer reads them.

usage: python3 tools/strict_examples.py [SPEC]   (default: openapi/moco.yaml)

Every example of the document is validated with openapi-schema-validator's OAS30Validator, the
validator behind openapi-core and several validating proxies. Its semantics are the standard's:
`nullable: true` admits null only beside a `type` in the same schema object (an `allOf: [$ref]`
with `nullable` beside it does not), and a nullable `enum` admits null only if it lists it.
Formats are checked too: OpenAPI's own (int32, int64, float, double, byte) and date, date-time
(RFC 3339) and uuid.

Examples checked: the `example` of every schema object at any depth (components, parameters,
headers, request and response bodies), every parameter and header `example`, and every media
type `example` and named `examples` value (including `$ref`s to components/examples).

Lists: a paginated list (a GET with a `page` or `per_page` parameter, or whose 200 response
declares X-Page/X-Per-Page/X-Total/Link) must take both `page` and `per_page` and declare all four
pagination headers (openapi/CONVENTIONS.md).

Prints each finding, then 'examples N, rejected R; paginated lists P, incomplete Q', and exits 1
if anything was found (or no example at all).
"""
from __future__ import annotations

import datetime
import re
import sys
import uuid
from pathlib import Path
from typing import Any, Iterator

import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

BASE = "urn:moco-spec"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PAGINATION_HEADERS = ("X-Page", "X-Per-Page", "X-Total", "Link")
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 as OpenAPI uses it: an unquoted 2024-01-31 stays a string, as every JSON-based
    tool (Spectral, Redocly, the generators) reads it, instead of becoming a Python date."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, (func, raises) in OAS30Validator.FORMAT_CHECKER.checkers.items():
        checker.checks(name, raises)(func)

    @checker.checks("date", raises=ValueError)
    def is_date(value: object) -> bool:
        return not isinstance(value, str) or (len(value) == 10 and bool(datetime.date.fromisoformat(value)))

    @checker.checks("date-time")
    def is_date_time(value: object) -> bool:
        return not isinstance(value, str) or bool(RFC3339.match(value))

    @checker.checks("uuid", raises=ValueError)
    def is_uuid(value: object) -> bool:
        return not isinstance(value, str) or bool(uuid.UUID(value))

    return checker


class Checker:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.registry: Registry[Any] = Registry().with_resource(
            BASE, Resource.from_contents(spec, default_specification=DRAFT4)
        )
        self.formats = format_checker()
        self.examples = 0
        self.rejected = 0
        self.findings: list[str] = []

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = self.spec
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def rebase(self, schema: Any) -> Any:
        """Local `#/...` references point into the registered document."""
        if isinstance(schema, dict):
            return {
                k: BASE + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else self.rebase(v)
                for k, v in schema.items()
            }
        if isinstance(schema, list):
            return [self.rebase(x) for x in schema]
        return schema

    def check(self, schema: Any, example: Any, where: str) -> None:
        self.examples += 1
        validator = OAS30Validator(self.rebase(schema), registry=self.registry, format_checker=self.formats)
        errors = sorted(validator.iter_errors(example), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            self.rejected += 1
            for error in errors[:3]:
                at = "/" + "/".join(map(str, error.absolute_path))
                self.findings.append(f"example of {where} at {at}: {error.message[:160]}")

    def schema_examples(self, schema: Any, where: str) -> None:
        """The `example` of this schema object and of every schema object inside it."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        if "example" in schema:
            self.check(schema, schema["example"], where)
        for name, sub in (schema.get("properties") or {}).items():
            self.schema_examples(sub, f"{where}.{name}")
        for key, suffix in (("items", "[]"), ("additionalProperties", ".*"), ("not", ".not")):
            if isinstance(schema.get(key), dict):
                self.schema_examples(schema[key], where + suffix)
        for key in ("allOf", "anyOf", "oneOf"):
            for i, sub in enumerate(schema.get(key) or []):
                self.schema_examples(sub, f"{where}.{key}[{i}]")

    def holder_examples(self, holder: Any, where: str) -> None:
        """A parameter, header or media type object: its schema's examples, `example`, `examples`."""
        holder = self.deref(holder)
        schema = holder.get("schema")
        if schema is None:
            return
        self.schema_examples(schema, where)
        if "example" in holder:
            self.check(schema, holder["example"], where)
        for name, example in (holder.get("examples") or {}).items():
            example = self.deref(example)
            if "value" in example:
                self.check(schema, example["value"], f"{where} example {name}")

    def content(self, holder: Any, where: str) -> None:
        holder = self.deref(holder)
        for media, media_object in (holder.get("content") or {}).items():
            self.holder_examples(media_object, f"{where} {media}")
        for name, header in (holder.get("headers") or {}).items():
            self.holder_examples(header, f"{where} header {name}")

    def run(self) -> None:
        components = self.spec.get("components") or {}
        for name, schema in (components.get("schemas") or {}).items():
            self.schema_examples(schema, f"schema {name}")
        for kind in ("parameters", "headers"):
            for name, holder in (components.get(kind) or {}).items():
                self.holder_examples(holder, f"{kind[:-1]} {name}")
        for name, response in (components.get("responses") or {}).items():
            self.content(response, f"response {name}")
        for name, body in (components.get("requestBodies") or {}).items():
            self.content(body, f"request body {name}")
        for path, item in (self.spec.get("paths") or {}).items():
            for param in item.get("parameters") or []:
                if "$ref" not in param:
                    self.holder_examples(param, f"{path} parameter {param.get('name')}")
            for method in METHODS:
                op = item.get(method)
                if op is None:
                    continue
                at = f"{method.upper()} {path}"
                for param in op.get("parameters") or []:
                    if "$ref" not in param:
                        self.holder_examples(param, f"{at} parameter {param.get('name')}")
                if "requestBody" in op and "$ref" not in op["requestBody"]:
                    self.content(op["requestBody"], f"{at} request")
                for code, response in (op.get("responses") or {}).items():
                    if "$ref" not in response:
                        self.content(response, f"{at} response {code}")

    def paginated_lists(self) -> tuple[int, int]:
        lists = incomplete = 0
        for path, item in (self.spec.get("paths") or {}).items():
            op = item.get("get")
            if op is None:
                continue
            params = [self.deref(p) for p in (item.get("parameters") or []) + (op.get("parameters") or [])]
            names = {p.get("name") for p in params if p.get("in") == "query"}
            ok = self.deref((op.get("responses") or {}).get("200") or {})
            headers = set(ok.get("headers") or {})
            if not ({"page", "per_page"} & names or set(PAGINATION_HEADERS) & headers):
                continue
            lists += 1
            missing = [f"parameter {n}" for n in ("page", "per_page") if n not in names]
            missing += [f"200 header {h}" for h in PAGINATION_HEADERS if h not in headers]
            if missing:
                incomplete += 1
                self.findings.append(f"GET {path} is a paginated list without {', '.join(missing)}")
        return lists, incomplete


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "openapi/moco.yaml")
    spec = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    checker = Checker(spec)
    checker.run()
    lists, incomplete = checker.paginated_lists()
    for finding in checker.findings:
        print(finding)
    print(
        f"examples {checker.examples}, rejected {checker.rejected}; "
        f"paginated lists {lists}, incomplete {incomplete}"
    )
    return 1 if checker.findings or not checker.examples else 0


if __name__ == "__main__":
    sys.exit(main())
