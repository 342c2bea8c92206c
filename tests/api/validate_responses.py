#!/usr/bin/python3
"""Checks every API response a test recorded against the OpenAPI document
(issue #16): the operation by method and path template, the response by
status, the body by the response's JSON Schema (Draft 2020-12, which
OpenAPI 3.1 uses), with Debian's python3-jsonschema.

usage: validate_responses.py openapi.json responses.jsonl
Each line of responses.jsonl: {"method", "path", "status", "body"}.
Exit 0 when all fit; 1 with one line per misfit otherwise."""
import json
import re
import sys

from jsonschema import Draft202012Validator, RefResolver


def template_regex(template):
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


def main():
    document = json.load(open(sys.argv[1]))
    resolver = RefResolver.from_schema(document)
    routes = [(template_regex(path), item) for path, item in document["paths"].items()]
    failures = 0
    count = 0
    for number, line in enumerate(open(sys.argv[2]), 1):
        record = json.loads(line)
        count += 1
        path = record["path"].split("?")[0]
        method = record["method"].lower()
        if method == "head":
            continue  # no body to check
        operations = [item for regex, item in routes if regex.match(path)]
        operation = operations[0].get(method) if operations else None
        where = f"line {number}: {record['method']} {record['path']} {record['status']}"
        if operation is None:
            # Outside the document: only the error shape applies.
            schema = {"$ref": "#/components/schemas/Error"}
        else:
            response = operation["responses"].get(str(record["status"]))
            if response is not None and "$ref" in response:
                response = document["components"]["responses"][response["$ref"].split("/")[-1]]
            if response is None:
                print(f"{where}: status not documented for this operation")
                failures += 1
                continue
            schema = response["content"]["application/json"]["schema"]
        try:
            body = json.loads(record["body"])
        except ValueError as error:
            print(f"{where}: body is not JSON: {error}")
            failures += 1
            continue
        validator = Draft202012Validator(schema, resolver=resolver)
        for error in validator.iter_errors(body):
            print(f"{where}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
            failures += 1
    print(f"{count} responses checked, {failures} misfits")
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
