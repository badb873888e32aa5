#!/usr/bin/env python3
"""Decode every response example of openapi/moco.yaml, and its real-world variants, with the Python
client generated from it.

usage: python3 tools/python_decode_check.py SPEC CLIENT_DIR
       python3 tools/python_decode_check.py --self-test
  SPEC         the OpenAPI document (openapi/moco.yaml)
  CLIENT_DIR   the directory holding the generated package `moco_client`
               (openapi-python-client, tools/openapi-python-client.yaml; see check_generators.sh)
  --self-test  only check the variant builder against a tiny in-memory spec (no client needed);
               the full run does this first, too

What a Python user of the spec would hit first is a response the generated client cannot parse.
This script feeds it the spec's own response examples:
- every `example`/`examples` value of a JSON response goes through the operation module's
  `_parse_response`, the function `sync()`/`asyncio()` use, as an httpx.Response with that status
  (a range such as 4XX as its first code); the result must be the declared model (lists: every
  item) and must serialize back with `to_dict()`;
- the `example` of every component schema reachable from a response goes through that model's
  `from_dict` (enums: the enum's constructor), and back through `to_dict()`.
Component schemas with no class of their own (unions such as open enums, scalars) are decoded as
part of the models that embed them, and are listed as such.

MOCO's servers send some fields in forms the docs' examples do not show (openapi/CONVENTIONS.md,
"Real answers"). So each example is also decoded, with the same checks, in these variants, built
by walking the schema alongside the example ($refs resolved; `properties`,
`additionalProperties`, `items` and the branches of `anyOf`/`oneOf`/`allOf` followed):
- "integers as floats" / "integers as strings": every integer at a `type: integer` position
  (including the integer branches of an anyOf, such as numeric open-enum codes) as an integral
  float (10 -> 10.0) / as a numeric string (10 -> "10");
- "decimals as strings": every number at a `format: decimal` position as a string
  (17999.5 -> "17999.5"); "decimals as numbers": every numeric string there as a JSON number;
- "empty dates": every present value (a date or null) at a position with a
  `{type: string, maxLength: 0, nullable: true}` branch as "";
- "empty objects": every present value (an object or null) at a position with a
  `{type: object, nullable: true, maxProperties: 0}` branch as {}.
A variant with nothing to change is skipped. openapi-python-client reads `type: integer`, unions
and decimals by passing the JSON value through (an `int` attribute may then hold 10.0 or "10"):
the integer variants cannot expect a converted value, only that decoding and `to_dict()` do not
raise; the script prints how many changed values came back from `to_dict()` exactly as sent.
A failing variant is reported with its name (`get_invoice response 200 [empty dates]: ...`) and
the changed fields that fail on their own.

Prints each failure, 'decoded N response examples and M schema examples' and the number of
variant decodes per variant; exits 1 on any failure.
"""
from __future__ import annotations

import enum
import importlib
import json
import pkgutil
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

PACKAGE = "moco_client"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
VARIANTS = (
    "integers as floats",
    "integers as strings",
    "decimals as strings",
    "decimals as numbers",
    "empty dates",
    "empty objects",
)
NUMERIC = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")

Steps = tuple[Any, ...]  # keys and indexes from the example's root to a value


class Yaml12Loader(yaml.SafeLoader):
    """Dates stay strings, as in JSON: the client receives JSON text, not YAML timestamps."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def normalize(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def deref(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def refs(node: Any) -> set[str]:
    """Names of the component schemas a schema refers to, directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= refs(value)
    return found


def status_of(code: str) -> int | None:
    if code.isdigit():
        return int(code)
    if re.fullmatch(r"[1-5]XX", code.upper()):
        return int(code[0]) * 100
    return None  # `default`: no status to build a response with


def to_plain(value: Any) -> Any:
    """Serialize a decoded value back (models via to_dict), so a half-decoded model fails here."""
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    return value


# --- Real-world variants -------------------------------------------------------------------------


def branches(spec: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """The schema and the branches of its anyOf/oneOf/allOf, flattened, every $ref resolved."""
    found: list[dict[str, Any]] = []
    todo = [schema]
    while todo:
        node = deref(spec, todo.pop(0))
        if not isinstance(node, dict) or any(node is seen for seen in found):
            continue
        found.append(node)
        for key in ("allOf", "anyOf", "oneOf"):
            todo.extend(node.get(key) or [])
    return found


@dataclass
class Position:
    """What the schema at one place of an example admits."""

    integer: bool  # a `type: integer` branch
    decimal: bool  # a `format: decimal` branch
    empty_string: bool  # the `{type: string, maxLength: 0, nullable: true}` branch
    empty_object: bool  # the `{type: object, nullable: true, maxProperties: 0}` branch
    properties: dict[str, Any]  # of every object branch, the first one winning a name
    additional: Any  # the first object branch's additionalProperties schema, if any
    items: Any  # the first array branch's items schema, if any


def position(spec: dict[str, Any], schema: Any) -> Position:
    nodes = branches(spec, schema)
    properties: dict[str, Any] = {}
    additional: Any = None
    items: Any = None
    for node in nodes:
        for name, child in (node.get("properties") or {}).items():
            properties.setdefault(name, child)
        if additional is None and isinstance(node.get("additionalProperties"), dict):
            additional = node["additionalProperties"]
        if items is None and "items" in node:
            items = node["items"]
    return Position(
        integer=any(node.get("type") == "integer" for node in nodes),
        decimal=any(node.get("format") == "decimal" for node in nodes),
        empty_string=any(node.get("maxLength") == 0 and node.get("type", "string") == "string" for node in nodes),
        empty_object=any(node.get("maxProperties") == 0 and node.get("type", "object") == "object" for node in nodes),
        properties=properties,
        additional=additional,
        items=items,
    )


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rewrite_value(kind: str, where: Position, value: Any) -> Any:
    """The value in the variant's form, or the value itself where the variant changes nothing."""
    if kind == "empty objects":
        return {} if where.empty_object and (value is None or isinstance(value, dict) and value) else value
    if kind == "empty dates":
        return "" if where.empty_string and (value is None or isinstance(value, str) and value) else value
    if kind.startswith("integers") and where.integer and isinstance(value, int) and not isinstance(value, bool):
        return float(value) if kind == "integers as floats" else str(value)
    if kind == "decimals as strings" and where.decimal and is_number(value):
        return str(value)
    if kind == "decimals as numbers" and where.decimal and isinstance(value, str) and NUMERIC.fullmatch(value):
        return json.loads(value)
    return value


def variant(
    spec: dict[str, Any], schema: Any, value: Any, kind: str, only: Steps | None = None
) -> tuple[Any, list[Steps]]:
    """The example in the variant's form and the paths it changed (`only`: change just that one)."""
    changed: list[Steps] = []

    def walk(schema: Any, value: Any, path: Steps) -> Any:
        if schema is None:
            return value  # free-form: nothing to go by
        where = position(spec, schema)
        new = rewrite_value(kind, where, value)
        if json.dumps(new) != json.dumps(value):
            if only is None or only == path:
                changed.append(path)
                return new
        if isinstance(value, dict):
            return {
                key: walk(where.properties.get(key, where.additional), item, path + (key,))
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(where.items, item, path + (index,)) for index, item in enumerate(value)]
        return value

    return walk(schema, value, ()), changed


def show(path: Steps) -> str:
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return text.lstrip(".") or "(the whole value)"


def lookup(value: Any, path: Steps) -> Any:
    for part in path:
        if isinstance(value, dict) and not isinstance(part, int) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            raise LookupError(show(path))
    return value


SELF_TEST_SPEC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Ref": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string", "nullable": True}},
            },
            "Code": {
                "anyOf": [
                    {"type": "integer", "enum": [1, 2]},
                    {"type": "integer"},
                    {"type": "string", "nullable": True},
                ]
            },
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "flag": {"type": "boolean"},
                    "code": {"$ref": "#/components/schemas/Code"},
                    "total": {
                        "anyOf": [
                            {"type": "number", "format": "decimal"},
                            {"type": "string", "format": "decimal", "nullable": True},
                        ]
                    },
                    "paid": {
                        "anyOf": [
                            {"type": "string", "format": "decimal"},
                            {"type": "number", "format": "decimal", "nullable": True},
                        ]
                    },
                    "due": {
                        "anyOf": [
                            {"type": "string", "format": "date"},
                            {"type": "string", "maxLength": 0, "nullable": True},
                        ]
                    },
                    "sent_at": {
                        "anyOf": [
                            {"type": "string", "format": "date-time"},
                            {"type": "string", "maxLength": 0, "nullable": True},
                        ]
                    },
                    "title": {"type": "string"},
                    "owner": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/Ref"},
                            {"type": "object", "nullable": True, "maxProperties": 0},
                        ]
                    },
                    "deputy": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/Ref"},
                            {"type": "object", "nullable": True, "maxProperties": 0},
                        ]
                    },
                    "items": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Ref"}]}},
                    "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "free": {"type": "object", "additionalProperties": True},
                },
            },
        }
    }
}

SELF_TEST_EXAMPLE: dict[str, Any] = {
    "id": 10,
    "flag": True,
    "code": 2,
    "total": 17999.5,
    "paid": "17999.00",
    "due": "2024-01-31",
    "sent_at": None,
    "title": "10",
    "owner": {"id": 7, "name": "Ann"},
    "deputy": None,
    "items": [{"id": 1}, {"id": 2, "name": None}],
    "extra": {"a": 3},
    "free": {"n": 4},
}


def parse(text: str) -> Steps:
    """show() backwards, for the self-test."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", text))


def self_test() -> None:
    """The variant builder changes what it should and nothing else (a tiny in-memory spec)."""
    schema = {"$ref": "#/components/schemas/Thing"}
    example = SELF_TEST_EXAMPLE
    before = json.dumps(example)

    def expect(kind: str, changes: dict[str, Any], value: Any = example) -> None:
        got, changed = variant(SELF_TEST_SPEC, schema, value, kind)
        assert sorted(map(show, changed)) == sorted(changes), (kind, sorted(map(show, changed)))
        want = json.loads(json.dumps(value))
        for text, new in changes.items():
            *parents, last = parse(text)
            lookup(want, tuple(parents))[last] = new
        assert json.dumps(got) == json.dumps(want), (kind, got, want)  # exact: 10.0 is not 10
        for path in changed:  # `only`, for pinning a failure on one field: that field alone
            assert variant(SELF_TEST_SPEC, schema, value, kind, only=path)[1] == [path], (kind, show(path))

    integers = ["id", "code", "owner.id", "items[0].id", "items[1].id", "extra.a"]
    expect("integers as floats", {path: float(lookup(example, parse(path))) for path in integers})
    expect("integers as strings", {path: str(lookup(example, parse(path))) for path in integers})
    expect("decimals as strings", {"total": "17999.5"})
    expect("decimals as numbers", {"paid": 17999.0})
    expect("decimals as numbers", {"total": 10, "paid": -0.5}, {"total": "10", "paid": "-0.50"})
    expect("empty dates", {"due": "", "sent_at": ""})
    expect("empty objects", {"owner": {}, "deputy": {}})
    # Nothing to change: no variant (booleans are no integers, the title is a string).
    for kind in VARIANTS:
        expect(kind, {}, {"title": "10", "flag": False, "free": {"n": 4}})
    # Already in the variant's form, or not a number: no second variant of it.
    expect("empty objects", {}, {"owner": {}, "due": ""})
    expect("empty dates", {}, {"owner": {}, "due": ""})
    expect("integers as strings", {}, {"code": "2", "paid": "n/a"})
    expect("decimals as numbers", {}, {"code": "2", "paid": "n/a"})
    assert json.dumps(example) == before, "the builder must not change the example it reads"


# --- The check ----------------------------------------------------------------------------------


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        print("variant builder self-test passed")
        return 0
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    self_test()
    import httpx  # only the decoding needs it; the self-test runs without the generated client

    spec = yaml.load(Path(sys.argv[1]).read_text(encoding="utf-8"), Loader=Yaml12Loader)
    sys.path.insert(0, str(Path(sys.argv[2]).resolve()))
    client_package = importlib.import_module(PACKAGE)
    models = importlib.import_module(f"{PACKAGE}.models")
    api = importlib.import_module(f"{PACKAGE}.api")
    operations = {
        info.name.rsplit(".", 1)[1]: info.name
        for info in pkgutil.walk_packages(api.__path__, f"{PACKAGE}.api.")
        if not info.ispkg
    }
    classes = {normalize(name): getattr(models, name) for name in getattr(models, "__all__", dir(models))}
    client = client_package.Client(base_url="https://example.mocoapp.com/api/v1", raise_on_unexpected_status=True)

    failures: list[str] = []
    decoded_responses = 0
    decoded_variants = dict.fromkeys(VARIANTS, 0)
    changed_values = dict.fromkeys(VARIANTS, 0)
    sent_back = dict.fromkeys(VARIANTS, 0)  # changed values that to_dict() gave back exactly as sent
    response_schemas: set[str] = set()

    def fail(where: str, error: BaseException, note: str = "") -> None:
        last = traceback.extract_tb(error.__traceback__)[-1]
        failures.append(
            f"{where}: {type(error).__name__}: {error} ({Path(last.filename).name}:{last.lineno}){note}"
        )

    def check(where: str, schema: Any, example: Any, decode: Callable[[Any], Any]) -> bool:
        """Decode the example, then each of its variants; True if the plain example decoded."""
        try:
            decode(example)
        except Exception as error:  # noqa: BLE001 - every failure is a finding
            fail(where, error)
            return False
        for kind in VARIANTS:
            value, changed = variant(spec, schema, example, kind)
            if not changed:
                continue
            try:
                plain = decode(value)
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                culprits = []
                for path in changed:
                    try:
                        decode(variant(spec, schema, example, kind, only=path)[0])
                    except Exception:  # noqa: BLE001 - this field fails on its own
                        culprits.append(show(path))
                fail(f"{where} [{kind}]", error, f"; failing on their own: {', '.join(culprits) or 'none'}")
                continue
            decoded_variants[kind] += 1
            changed_values[kind] += len(changed)
            for path in changed:
                try:
                    same = json.dumps(lookup(plain, path)) == json.dumps(lookup(value, path))
                except (LookupError, TypeError):
                    same = False
                sent_back[kind] += same
        return True

    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            op_id = op.get("operationId", "")
            for code, response in (op.get("responses") or {}).items():
                response = deref(spec, response)
                for media, media_object in (response.get("content") or {}).items():
                    if "json" not in media:
                        continue
                    response_schemas |= refs(media_object.get("schema"))
                    examples = [("", media_object["example"])] if "example" in media_object else []
                    for name, example in (media_object.get("examples") or {}).items():
                        example = deref(spec, example)
                        if "value" in example:
                            examples.append((f" example {name}", example["value"]))
                    status = status_of(code)
                    if not examples or status is None:
                        continue
                    if op_id not in operations:
                        failures.append(f"{method.upper()} {path}: no generated module for operationId {op_id!r}")
                        continue
                    module = importlib.import_module(operations[op_id])
                    request = httpx.Request(method.upper(), "https://example.mocoapp.com/api/v1" + path)

                    def decode_response(
                        body: Any, module: Any = module, status: int = status, request: Any = request
                    ) -> Any:
                        http_response = httpx.Response(
                            status,
                            content=json.dumps(body).encode(),
                            headers={"content-type": "application/json"},
                            request=request,
                        )
                        parsed = module._parse_response(client=client, response=http_response)
                        # An object (or a list's object item) must come back as a model; a
                        # scalar item (an id in a list of ids or objects) may stay a scalar.
                        pairs = zip(parsed, body) if isinstance(parsed, list) and isinstance(body, list) else [(parsed, body)]
                        for value, sent in pairs:
                            if value is None or isinstance(value, (dict, str)) and isinstance(sent, (dict, list)):
                                raise TypeError(f"decoded to {value!r} instead of a model")
                        return to_plain(parsed)

                    for label, example in examples:
                        where = f"{op_id} response {code}{label}"
                        if check(where, media_object.get("schema"), example, decode_response):
                            decoded_responses += 1

    # Everything reachable from a response schema.
    schemas = spec.get("components", {}).get("schemas", {})
    todo = list(response_schemas)
    while todo:
        for name in refs(schemas.get(todo.pop(), {})):
            if name not in response_schemas:
                response_schemas.add(name)
                todo.append(name)

    decoded_schemas = 0
    embedded_only: list[str] = []
    for name in sorted(response_schemas):
        schema = schemas.get(name, {})
        if "example" not in schema:
            continue
        cls = classes.get(normalize(name))
        if cls is None:
            embedded_only.append(name)
            continue

        def decode_schema(value: Any, cls: Any = cls) -> Any:
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                return cls(value).value
            return to_plain(cls.from_dict(value))

        if check(f"schema {name}", schema, schema["example"], decode_schema):
            decoded_schemas += 1

    for failure in failures:
        print(failure)
    if embedded_only:
        print(f"no class of their own, decoded inside the models that embed them: {', '.join(embedded_only)}")
    print("real-world variants decoded (changed values; of them given back by to_dict() exactly as sent):")
    for kind in VARIANTS:
        print(f"  {kind}: {decoded_variants[kind]} ({changed_values[kind]}; {sent_back[kind]})")
    print(
        f"decoded {decoded_responses} response examples and {decoded_schemas} schema examples "
        f"and {sum(decoded_variants.values())} real-world variants of them "
        f"with the generated Python client; {len(failures)} failure(s)"
    )
    return 1 if failures or not (decoded_responses + decoded_schemas) else 0


if __name__ == "__main__":
    sys.exit(main())
