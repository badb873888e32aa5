#!/usr/bin/env python3
"""Decode every response example of openapi/moco.yaml with the Python client generated from it.

usage: python3 tools/python_decode_check.py SPEC CLIENT_DIR
  SPEC        the OpenAPI document (openapi/moco.yaml)
  CLIENT_DIR  the directory holding the generated package `moco_client`
              (openapi-python-client, tools/openapi-python-client.yaml; see check_generators.sh)

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

Prints each failure and 'decoded N response examples and M schema examples'; exits 1 on any failure.
"""
from __future__ import annotations

import enum
import importlib
import json
import pkgutil
import re
import sys
import traceback
from pathlib import Path
from typing import Any

import httpx
import yaml

PACKAGE = "moco_client"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


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


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
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
    response_schemas: set[str] = set()

    def fail(where: str, error: BaseException) -> None:
        last = traceback.extract_tb(error.__traceback__)[-1]
        failures.append(f"{where}: {type(error).__name__}: {error} ({Path(last.filename).name}:{last.lineno})")

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
                    for label, example in examples:
                        where = f"{op_id} response {code}{label}"
                        http_response = httpx.Response(
                            status,
                            content=json.dumps(example).encode(),
                            headers={"content-type": "application/json"},
                            request=httpx.Request(method.upper(), "https://example.mocoapp.com/api/v1" + path),
                        )
                        try:
                            parsed = module._parse_response(client=client, response=http_response)
                            values = parsed if isinstance(parsed, list) else [parsed]
                            for value in values:
                                if value is None or isinstance(value, (dict, str)) and isinstance(example, (dict, list)):
                                    raise TypeError(f"decoded to {value!r} instead of a model")
                            to_plain(parsed)
                        except Exception as error:  # noqa: BLE001 - every failure is a finding
                            fail(where, error)
                            continue
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
        try:
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                cls(schema["example"])
            else:
                to_plain(cls.from_dict(schema["example"]))
        except Exception as error:  # noqa: BLE001 - every failure is a finding
            fail(f"schema {name}", error)
            continue
        decoded_schemas += 1

    for failure in failures:
        print(failure)
    if embedded_only:
        print(f"no class of their own, decoded inside the models that embed them: {', '.join(embedded_only)}")
    print(
        f"decoded {decoded_responses} response examples and {decoded_schemas} schema examples "
        f"with the generated Python client; {len(failures)} failure(s)"
    )
    return 1 if failures or not (decoded_responses + decoded_schemas) else 0


if __name__ == "__main__":
    sys.exit(main())
