"""The OpenAPI document the app serves, the documentation page and the API's edges."""

import re

import pytest
import schemathesis
from django.urls import reverse

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/calls/",
    "/api/v1/calls/{slug}",
    "/api/v1/regions/",
    "/api/v1/notices/",
    "/api/v1/selected/",
    "/api/v1/cases/",
    "/api/v1/cases/{id}",
    "/api/v1/projects/",
    "/api/v1/projects/{id}",
    "/api/v1/me/applications/",
    "/api/v1/me/applications/{id}",
    "/api/v1/tracking/reports/",
}
PUBLIC = {"/api/v1/calls/", "/api/v1/calls/{slug}", "/api/v1/regions/", "/api/v1/notices/"}
PUBLIC |= {"/api/v1/selected/", "/api/v1/cases/", "/api/v1/cases/{id}"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_document_is_served_valid_and_names_every_path(document):
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3.1 schema
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == PATHS
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path  # read-only


def test_public_operations_need_no_credentials_and_the_others_name_both(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["Session"]["in"] == "cookie"
    for path, item in document["paths"].items():
        security = item["get"].get("security")
        if path in PUBLIC:
            assert not security, path
        else:
            assert security == [{"BearerToken": []}, {"Session": []}], path


def test_errors_are_documented_with_the_one_error_body(document):
    body = document["components"]["schemas"]["ErrorBody"]
    assert body["required"] == ["error"]
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        expected = {"200", "404", "422", "429"} | (set() if path in PUBLIC else {"401", "403"})
        assert set(responses) == expected, path
        for status in expected - {"200"}:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}


def test_money_is_a_string_with_two_decimals_and_times_are_china_time(document):
    project = document["components"]["schemas"]["ProjectOut"]["properties"]
    money = project["total_investment"]["anyOf"][0]
    assert money["type"] == "string"
    assert money["pattern"] == r"^-?\d+\.\d{2}$"
    assert "万元" in money["description"]
    assert project["updated_at"]["format"] == "date-time"
    assert "+08:00" in project["updated_at"]["description"]


def test_limits_are_in_the_document(document):
    parameters = document["paths"]["/api/v1/projects/"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100
    assert limit["schema"]["minimum"] == 1


def test_the_docs_page_runs_under_the_sites_csp(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html
    assert "/api/v1/openapi.json" in html
    assert "cdn" not in html.lower()


def test_the_docs_assets_are_django_ninjas_own_and_nothing_else(client):
    script = client.get(reverse("api:docs_asset", args=["swagger-ui-bundle.js"]))
    assert script.status_code == 200
    assert script["Content-Type"] == "text/javascript"
    assert b"SwaggerUIBundle" in b"".join(script.streaming_content)
    css = client.get(reverse("api:docs_asset", args=["swagger-ui.css"]))
    assert css["Content-Type"] == "text/css"
    assert client.get(reverse("api:docs_asset", args=["redoc.standalone.js"])).status_code == 404
    assert client.get("/api/v1/docs/assets/..%2F..%2F__init__.py").status_code == 404


def test_an_unknown_path_and_an_unsafe_method_answer_with_the_error_body(client):
    missing = client.get("/api/v1/nothing/here")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": "not_found", "message": "未找到该资源，或无权查看。", "details": []}
    }
    posted = client.post("/api/v1/calls/")
    assert posted.status_code == 405
    assert posted["Allow"] == "GET"
    assert posted.json()["error"]["code"] == "method_not_allowed"


def test_validation_errors_say_what_is_wrong_where_in_chinese(client):
    response = client.get("/api/v1/regions/", {"limit": "500", "kind": "planet"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    details = {d["field"]: d for d in error["details"]}
    assert details["limit"]["location"] == "query"
    assert details["limit"]["message"] == "不能大于 100。"
    assert details["kind"]["message"] == "取值不在允许范围内。"


def test_unknown_query_parameters_are_ignored(client, regions):
    response = client.get("/api/v1/regions/", {"kind": "city", "colour": "blue"})
    assert response.status_code == 200
    assert response.json()["count"] == 13


def test_a_server_error_answers_with_the_error_body_and_is_logged(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("keyprojects.api.queries.calls", broken)  # a fault, simulated
    response = client.get("/api/v1/calls/")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "server_error", "message": "服务器内部错误，请稍后再试。", "details": []}
    }
    assert "the database went away" not in response.content.decode()
    assert any(record.exc_info for record in caplog.records if record.name == "django.request")
