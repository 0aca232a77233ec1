"""The API's contract: an OpenAPI 3.1 description that openapi-spec-validator
accepts, which schemathesis checks against the running API (through its WSGI
app); JSON errors on every /api/ path; HEAD, OPTIONS and CORS."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from catalogue import openapi

from .factories import add_author, add_keyword, make_article, make_author, make_full_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    article = make_full_article()
    other = make_article(article.issue, title_en="Trade routes", position=2, language="ru")
    add_author(other, make_author("Ivanov I."), name_en="Ivanov I.", name_ru="Иванов И.")
    add_keyword(other, "trade", "en")
    return article


def test_the_description_is_valid_openapi_3_1(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert {"/api/articles", "/api/articles/{id}", "/api/authors"} <= set(document["paths"])


def test_articles_are_described_by_the_export_schema():
    """The export's JSON Schema is the API's article: the two cannot drift apart."""
    schemas = openapi.document()["components"]["schemas"]
    with open(openapi.EXPORT_SCHEMA, encoding="utf-8") as file:
        export = json.load(file)
    assert set(export["$defs"]) <= set(schemas)
    assert schemas["article"]["required"] == export["$defs"]["article"]["required"]
    assert "#/$defs/" not in json.dumps(schemas)


CONTRACT = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The bare WSGI app closes the database connection after each request (Django's
    test client stops that; the test transaction lives on the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operation(path: str):
    """One operation of the description as schemathesis loads it from the WSGI app."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    return schema[path]["GET"]


@pytest.mark.parametrize("path", ["/api/articles", "/api/articles/{id}", "/api/authors"])
def test_the_running_api_keeps_to_its_description(catalogue, wsgi_keeps_the_test_connection, path):
    """Requests schemathesis makes from the description: no server error, and every
    answer (status, content type, body) as described."""

    @CONTRACT
    @given(case=_operation(path).as_strategy())
    def check(case):
        case.call_and_validate()

    check()


@pytest.mark.parametrize("path", ["/api/articles", "/api/articles/{id}", "/api/authors"])
def test_the_running_api_refuses_what_its_description_does_not_allow(
    catalogue, wsgi_keeps_the_test_connection, path
):
    """Requests that break the description: a 4xx, never a server error."""

    @CONTRACT
    @given(case=_operation(path).as_strategy(GenerationMode.NEGATIVE))
    def check(case):
        case.call_and_validate(checks=[not_a_server_error])

    check()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/articles/abc", 404),
        ("get", "/api/articles/999999", 404),
        ("get", "/api/nothing/here", 404),
        ("get", "/api/", 404),
        ("get", "/api/articles?page=0", 400),
        ("get", "/api/authors", 400),
        ("post", "/api/articles", 405),
        ("delete", "/api/articles/1", 405),
        ("put", "/api/openapi.json", 405),
    ],
)
def test_every_api_error_is_json(client, catalogue, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["error"]
    if status == 405:
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_server_error_under_api_is_json(catalogue, monkeypatch):
    from django.test import Client

    from catalogue import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "search_authors", broken)
    response = Client(raise_request_exception=False).get("/api/authors", {"q": "Zhumatay"})
    assert response.status_code == 500
    assert response.json() == {"error": "internal server error"}
    assert "boom" not in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/articles", "/api/articles/{pk}", "/api/authors?q=Zhumatay", "/api/openapi.json"]
)
def test_head_and_cors_wherever_get_is(client, catalogue, path):
    path = path.format(pk=catalogue.pk)
    got = client.get(path)
    head = client.head(path)
    assert (got.status_code, head.status_code) == (200, 200)
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"] == "application/json"
    assert head["Content-Length"] == str(len(got.content))
    assert got["Access-Control-Allow-Origin"] == head["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(client, catalogue):
    response = client.options(
        "/api/articles",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept, x-requested-with",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept, x-requested-with"
    assert int(response["Access-Control-Max-Age"]) > 0
    assert client.options("/api/unknown").status_code == 404


def test_the_html_site_sends_no_cors_header(client, catalogue):
    assert "Access-Control-Allow-Origin" not in client.get("/en/articles/")


def test_sitemap_answers_head(client, catalogue):
    got, head = client.get("/sitemap.xml"), client.head("/sitemap.xml")
    assert (got.status_code, head.status_code) == (200, 200)
    assert head.content == b"" and head["Content-Type"] == got["Content-Type"]
    assert client.head("/robots.txt").status_code == 200
