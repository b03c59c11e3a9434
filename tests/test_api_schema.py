"""The OpenAPI schema: generated without warnings, valid, listing every endpoint; docs served locally."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

# (path, method) -> the operation id's resource_action ending
OPERATIONS = {
    ("/api/v1/auth/token/", "post"): "auth_token_create",
    ("/api/v1/agencies/", "get"): "agencies_list",
    ("/api/v1/agencies/{id}/", "get"): "agencies_retrieve",
    ("/api/v1/children/", "get"): "children_list",
    ("/api/v1/children/", "post"): "children_create",
    ("/api/v1/children/{id}/", "get"): "children_retrieve",
    ("/api/v1/children/{id}/", "put"): "children_update",
    ("/api/v1/children/{id}/", "patch"): "children_partial_update",
    ("/api/v1/assessments/", "get"): "assessments_list",
    ("/api/v1/assessments/", "post"): "assessments_create",
    ("/api/v1/assessments/{id}/", "get"): "assessments_retrieve",
    ("/api/v1/assessments/{id}/", "put"): "assessments_update",
    ("/api/v1/assessments/{id}/", "patch"): "assessments_partial_update",
    ("/api/v1/plans/", "get"): "plans_list",
    ("/api/v1/plans/", "post"): "plans_create",
    ("/api/v1/plans/{id}/", "get"): "plans_retrieve",
    ("/api/v1/reviews/", "get"): "reviews_list",
    ("/api/v1/reviews/", "post"): "reviews_create",
    ("/api/v1/reviews/{id}/", "get"): "reviews_retrieve",
    ("/api/v1/reviews/{id}/", "put"): "reviews_update",
    ("/api/v1/reviews/{id}/", "patch"): "reviews_partial_update",
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it; the command raises on any
    warning, error or OpenAPI validation failure."""
    target = tmp_path_factory.mktemp("schema") / "schema.json"
    GENERATOR_STATS.reset()  # warnings are counted per process; count only this run's
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)
    )
    return json.loads(target.read_text())


def test_schema_has_no_warnings_or_errors(schema):
    assert not GENERATOR_STATS, "schema generation emitted warnings or errors"
    assert schema["openapi"].startswith("3.")


def test_every_endpoint_is_documented_with_a_sensible_unique_operation_id(schema):
    # Other apps add their own endpoints; this test speaks for the core and ehcp ones.
    ours = {path for path, _ in OPERATIONS}
    operations = {
        (path, method): operation["operationId"]
        for path, item in schema["paths"].items()
        if path in ours
        for method, operation in item.items()
        if method in HTTP_METHODS
    }
    assert set(operations) == set(OPERATIONS)
    for key, op_id in operations.items():
        assert op_id.endswith(OPERATIONS[key]), (key, op_id)
    every_id = [
        op["operationId"] for item in schema["paths"].values() for m, op in item.items() if m in HTTP_METHODS
    ]
    assert len(every_id) == len(set(every_id))


def test_token_endpoint_is_documented_without_auth(schema):
    post = schema["paths"]["/api/v1/auth/token/"]["post"]

    request = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"username", "password"} <= set(schema["components"]["schemas"][request]["properties"])
    response = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][response]["properties"]) == {"token"}
    assert "400" in post["responses"]
    assert not post.get("security")
    assert "tokenAuth" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize(
    "path, names",
    [
        ("/api/v1/agencies/", {"kind", "is_active", "page"}),
        (
            "/api/v1/children/",
            {
                "agency",
                "primary_need",
                "key_stage",
                "setting_type",
                "review_overdue",
                "looked_after",
                "search",
                "page",
            },
        ),
        ("/api/v1/plans/", {"child", "kind", "page"}),
        ("/api/v1/reviews/", {"child", "overdue", "page"}),
        ("/api/v1/assessments/", {"child", "page"}),
    ],
)
def test_list_filters_are_documented_with_types(schema, path, names):
    parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}

    assert names <= set(parameters)
    for name in {"agency", "child"} & set(parameters):
        assert parameters[name]["type"] == "integer"
    for name in {"review_overdue", "overdue", "is_active", "looked_after"} & set(parameters):
        assert parameters[name]["type"] == "boolean"


def test_list_responses_are_paginated(schema):
    for path in ("/api/v1/agencies/", "/api/v1/children/", "/api/v1/plans/", "/api/v1/reviews/"):
        ref = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
            "$ref"
        ]
        page = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert {"count", "next", "previous", "results"} <= set(page["properties"]), path


def test_review_schema_documents_its_deadlines(schema):
    review = schema["components"]["schemas"]["Review"]["properties"]
    deadline = schema["components"]["schemas"]["Deadline"]["properties"]

    assert review["deadlines"]["readOnly"] is True
    assert {"label", "due_on", "done_on", "status"} <= set(deadline)


def test_schema_endpoint_serves_the_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/children/" in json.loads(response.content)["paths"]


def test_docs_page_serves_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert "/api/schema/" in html
