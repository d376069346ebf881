"""The OpenAPI document says what the API does: one component per schema class, each operation described by its own
schemas, every refusal declared, every whole number bounded."""

import json
import typing
from collections import defaultdict

import pytest
from django.http import HttpResponse
from pydantic import BaseModel
from schemathesis.core.failures import FailureGroup

from bangfu.api import api
from tests.conftest import assert_documented


def _schema_classes() -> set[type[BaseModel]]:
    """Every pydantic class the operations' parameters, bodies and answers name: each becomes a component of the
    document under its class name (ninja's own wrappers of an operation's parameters and answer do not)."""
    found: set[type[BaseModel]] = set()

    def walk(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.add(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation)
            return
        for argument in typing.get_args(annotation):
            walk(argument)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    for field in getattr(wrapper, "model_fields", {}).values():
                        walk(field.annotation)
    return found


def test_no_two_schema_classes_share_a_component_name():
    by_name = defaultdict(set)
    for cls in _schema_classes():
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert not shared, f"ninja names components by class name; one of these overwrites the other: {shared}"


def _document(client):
    return client.get("/api/v1/openapi.json").json()


def _component(spec, ref_holder):
    return spec["components"]["schemas"][ref_holder["$ref"].rsplit("/", 1)[-1]]


def test_routes_are_described_by_their_own_schemas(client, db):
    spec = _document(client)
    paths = spec["paths"]
    advance = paths["/api/v1/clues/{clue_id}/advance"]["post"]["requestBody"]["content"]["application/json"]
    assert "stage" in _component(spec, advance["schema"])["properties"]
    claim = paths["/api/v1/labor/claims/{claim_id}/advance"]["post"]["requestBody"]["content"]["application/json"]
    assert "status" in _component(spec, claim["schema"])["properties"]
    for path, field in (("/api/v1/pairings/summary", "recipient_counties"), ("/api/v1/funds/summary", "fiscal"),
                        ("/api/v1/labor/summary", "registered")):
        answer = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
        assert field in _component(spec, answer["schema"])["properties"], path


def test_every_operation_declares_its_refusals_with_the_error_schema(client, db):
    spec = _document(client)
    assert set(spec["components"]["schemas"]["ErrorOut"]["required"]) == {"message", "errors"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "422"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def _integers(node, where=""):
    """(where, schema) of every integer in a piece of the document."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield where, node
        for key, value in node.items():
            yield from _integers(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _integers(value, f"{where}/{i}")


def test_every_whole_number_a_client_sends_is_bounded(client, db):
    """An unbounded integer reaches the database (beyond 64 bits: an overflow) or a date (year 10000): a 500. Every
    integer of a query or a request body carries the bounds that make such a value a 422 naming the field. (An id
    in the path is looked up as it is: beyond the database's integers it matches nothing, a 404.)"""
    spec = _document(client)
    inputs = [(f"{method.upper()} {path}",
               [[p for p in operation.get("parameters", []) if p["in"] != "path"], operation.get("requestBody", {})])
              for path, operations in spec["paths"].items() for method, operation in operations.items()]
    components_sent = set()
    for _name, parts in inputs:
        components_sent |= set(_refs(parts))
    pending = list(components_sent)
    while pending:
        for ref in _refs(spec["components"]["schemas"][pending.pop()]):
            if ref not in components_sent:
                components_sent.add(ref)
                pending.append(ref)
    pieces = inputs + [(f"component {name}", spec["components"]["schemas"][name]) for name in components_sent]
    unbounded = [f"{name}{where}" for name, piece in pieces for where, schema in _integers(piece)
                 if "maximum" not in schema or "minimum" not in schema]
    assert not unbounded, unbounded


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"].rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_an_answer_unlike_the_document_fails_the_test_that_received_it(db):
    """The check `ApiClient` makes after every call: a body that does not fit, or a status not declared, fails."""
    misfit = HttpResponse(json.dumps({"pairings": "many"}), content_type="application/json")
    with pytest.raises(FailureGroup):
        assert_documented("GET", "/api/v1/pairings/summary", misfit)
    teapot = HttpResponse(json.dumps({"message": "", "errors": {}}), content_type="application/json", status=418)
    with pytest.raises(AssertionError, match="418"):
        assert_documented("GET", "/api/v1/pairings/summary", teapot)
    with pytest.raises(AssertionError, match="no operation"):
        assert_documented("DELETE", "/api/v1/pairings/summary", teapot)
