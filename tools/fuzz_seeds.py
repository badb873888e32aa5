#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets (fuzz/) into OUT_DIR/<target>/, from the examples
of openapi/moco.yaml plus a few hand-made header sets. Input formats: see
tests/properties/harness.rs. Usage: tools/fuzz_seeds.py OUT_DIR (tools/fuzz.sh runs it).
Seeds are regenerated on every run and not committed."""

import json
import pathlib
import re
import shutil
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "moco.yaml"
HARNESS = ROOT / "tests" / "properties" / "harness.rs"


def response_types():
    """The (schema, Rust type) list of the harness, in order: the index is the selector byte."""
    text = HARNESS.read_text()
    block = text[text.index("// BEGIN RESPONSE TYPES"):text.index("// END RESPONSE TYPES")]
    return re.findall(r'^\s*"([^"]+)" => (\w+),', block, re.M)


def resolve(spec, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def examples_by_schema(spec):
    """Examples of each response schema: its own, and those of responses that return it."""
    found = {}
    for name, schema in spec["components"]["schemas"].items():
        if "example" in schema:
            found.setdefault(name, []).append(schema["example"])
    for item in spec["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for code, response in op.get("responses", {}).items():
                if not str(code).startswith("2"):
                    continue
                media = response.get("content", {}).get("application/json")
                if not media:
                    continue
                schema = media["schema"]
                if "$ref" in schema:
                    name, is_list = schema["$ref"].split("/")[-1], False
                elif schema.get("type") == "array" and "$ref" in schema.get("items", {}):
                    name, is_list = schema["items"]["$ref"].split("/")[-1], True
                else:
                    name, is_list = op["operationId"] + "[]", True
                    if "example" in schema.get("items", {}):
                        found.setdefault(name, []).append(schema["items"]["example"])
                values = [media["example"]] if "example" in media else []
                values += [e.get("value") for e in media.get("examples", {}).values() if "value" in e]
                for value in values:
                    if is_list and isinstance(value, list):
                        found.setdefault(name, []).extend(value[:3])
                    elif not is_list:
                        found.setdefault(name, []).append(value)
    return found


def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "fuzz" / "seeds")
    shutil.rmtree(out, ignore_errors=True)
    spec = yaml.safe_load(SPEC.read_text())
    examples = examples_by_schema(spec)

    # decode_responses: selector byte + body; each example alone and as a one-item list.
    types = response_types()
    target = out / "decode_responses"
    for index, (schema, _) in enumerate(types):
        for k, example in enumerate(examples.get(schema, [])[:4]):
            body = json.dumps(example, ensure_ascii=False).encode()
            write(target, f"{index:03}-{schema.strip('[]')}-{k}", bytes([index]) + body)
            write(target, f"{index:03}-{schema.strip('[]')}-{k}-list", bytes([index]) + b"[" + body + b"]")
    error = len(types)
    for k, body in enumerate([
        json.dumps(resolve(spec, {"$ref": "#/components/schemas/Error"})["example"]).encode(),
        b'{"message":"Validation failed","errors":{"name":["muss ausgef\xc3\xbcllt werden"]}}',
        b"<html><body>502 Bad Gateway</body></html>",
        b"",
    ]):
        write(target, f"error-{k}", bytes([error, k]) + body)

    # pagination_headers: concurrency, items per page, then header blocks.
    target = out / "pagination_headers"
    link = "<https://example.mocoapp.com/api/v1/projects?page={}&tags=a,b>; rel=\"next\""
    pages = [
        "X-Page: 1\nX-Per-Page: 2\nX-Total: 5\nLink: " + link.format(2),
        "X-Page: 2\nX-Per-Page: 2\nX-Total: 5\nLink: " + link.format(3),
        "X-Page: 3\nX-Per-Page: 2\nX-Total: 5\nLink: <https://example.mocoapp.com/api/v1/projects?page=1>; rel=\"first\"",
    ]
    write(target, "three-pages", bytes([3, 2]) + "\n\n".join(pages).encode())
    write(target, "sequential", bytes([0, 1]) + "\n\n".join(p.replace("X-Total: 5\n", "") for p in pages).encode())
    write(target, "relative-link", bytes([1, 1]) + b"X-Page: 1\nLink: </api/v1/activities?page=2>; rel=\"next\"")
    write(target, "backwards", bytes([1, 1]) + b"X-Page: 3\nLink: <https://x/api?page=2>; rel=\"next\"")
    write(target, "grows", bytes([2, 1]) + b"X-Page: 1\nX-Per-Page: 1\nX-Total: 1\nLink: <https://x/api?page=2>; rel=\"next\"")
    write(target, "huge-total", bytes([4, 0]) + b"X-Page: 1\nX-Per-Page: 100\nX-Total: 9223372036854775807\nLink: <https://x/api?page=2>; rel=\"next\"")
    write(target, "two-links", bytes([1, 3]) + b"Link: <https://x/api?page=1>; rel=\"prev\"\nLink: <https://x/api?ids=1,2&page=4>; rel=\"next last\"")
    write(target, "empty", bytes([0, 0]) + b"X-Total: 0")

    # webhooks: target, event, flags, minutes late, header lines, empty line, body.
    target = out / "webhooks"
    webhook_targets = ["Activity", "Company", "Customer", "Contact", "Deal", "Invoice", "Offer", "Project",
                       "Purchase", "User", "Comment", "Schedule", "PlanningEntry", "Invoice::Payment"]
    schema_of = {"Customer": "Company", "Invoice::Payment": "InvoicePayment"}
    for t, name in enumerate(webhook_targets):
        for example in examples.get(schema_of.get(name, name), [])[:1]:
            body = json.dumps(example, ensure_ascii=False).encode()
            write(target, f"{name.replace(':', '_')}-create", bytes([t, 0, 0, 0]) + b"\n\n" + body)
            write(target, f"{name.replace(':', '_')}-update-late", bytes([t, 1, 4, 90]) + b"\n\n" + body)
    write(target, "docs-delete", bytes([0, 2, 0, 0]) + b"\n\n" + b'{"id":111,"description":"a description"}')
    write(target, "docs-signature", bytes([0, 2, 3, 0])
          + b"X-Moco-Signature: bf027a86207ef1ca1cb76f5a536b41a14287ab1a0fd5b33bfe86924bc2f48fd1\n\n"
          + b'{"id":111,"description":"a description"}')
    write(target, "tampered", bytes([7, 1, 1, 5]) + b"\n\n" + b'{"id":1}')
    write(target, "headers", bytes([255, 255, 2, 0]) + b"X-Moco-Target: Unknown\nX-Moco-Event: merge\n"
          + b"X-Moco-Timestamp: -1\nX-Moco-User-Id: x\nkey:  other key \n\n[]")
    for directory in sorted(out.iterdir()):
        print(f"{directory.name}: {len(list(directory.iterdir()))} seeds")


if __name__ == "__main__":
    main()
