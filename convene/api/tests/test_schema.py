"""The OpenAPI schema: built without a warning, and it documents what the endpoints really answer."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def spec():
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def test_schema_builds_without_warnings_or_errors(tmp_path):
    """drf-spectacular fails the command on any warning (an untyped path id, an unknown
    authenticator, an enum name collision) and validates the result against the OpenAPI spec."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_ids_in_paths_are_documented_as_integers(spec):
    meeting = spec["paths"]["/api/v1/networks/{network_slug}/meetings/{id}/"]["get"]
    (param,) = [p for p in meeting["parameters"] if p["name"] == "id"]
    assert param["schema"]["type"] == "integer"


def test_every_operation_documents_its_error_answers(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "patch", "put", "delete"):
                assert "400" in codes, (method, path)


def test_the_bearer_token_is_the_documented_security_scheme(spec):
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["bearerAuth"]["type"], schemes["bearerAuth"]["scheme"]) == ("http", "bearer")
    assert {"bearerAuth": []} in spec["paths"]["/api/v1/networks/"]["get"]["security"]


def test_links_that_may_be_empty_are_documented_as_nullable(spec):
    meeting = spec["components"]["schemas"]["Meeting"]["properties"]
    assert meeting["called_by"].get("nullable") is True
    assert meeting["unct_meeting"].get("nullable") is True
