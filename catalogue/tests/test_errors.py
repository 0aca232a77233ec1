"""Errors reach the log, never the visitor: 404/500/503 pages, JSON log lines, timeouts."""

import json
import logging
import re

import psycopg
import pytest
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from catalogue_site import urls as site_urls
from catalogue_site.jsonlog import JsonFormatter

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("secret internal detail 4f2a")


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def slow(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse("finished")


def slow_on_its_own(request):
    with connection.cursor() as cursor:  # autocommit: no transaction around the query
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse("finished")


urlpatterns = [
    path("boom/", boom),
    path("slow-on-its-own/", slow_on_its_own),
    path("db-gone/", database_gone),
    path("api/db-gone", database_gone),
    path("slow/", slow),
    path("admin/slow/", slow),
    path("desk/slow/", slow),
    *site_urls.urlpatterns,
]


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@override_settings(ROOT_URLCONF=__name__)
def test_exception_gives_the_500_page_without_traceback_and_is_logged(visitor, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = visitor.get("/boom/?x=1")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "secret internal detail" not in html and "Traceback" not in html
    assert "RuntimeError" not in html
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR"
    assert line["method"] == "GET" and line["path"] == "/boom/"
    assert line["status_code"] == 500
    assert line["exception"] == "RuntimeError"
    assert "secret internal detail 4f2a" in line["traceback"]


def test_unknown_page_gives_the_404_page(visitor):
    response = visitor.get("/no/such/page/<script>")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "<script>" not in html


def test_missing_article_gives_the_404_page(visitor):
    response = visitor.get("/en/articles/999999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_database_error_gives_503_page_and_is_logged(visitor, caplog):
    with caplog.at_level(logging.ERROR, logger="catalogue.requests"):
        response = visitor.get("/db-gone/")
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "briefly unavailable" in html and "127.0.0.1" not in html
    [record] = [r for r in caplog.records if r.name == "catalogue.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/db-gone/" and line["status_code"] == 503


@override_settings(ROOT_URLCONF=__name__)
def test_database_error_in_the_api_gives_json_503(visitor):
    response = visitor.get("/api/db-gone")
    assert response.status_code == 503
    assert "unavailable" in response.json()["error"]


@override_settings(ROOT_URLCONF=__name__, PUBLIC_STATEMENT_TIMEOUT_MS=200)
def test_slow_public_query_is_cancelled_with_a_503(visitor):
    response = visitor.get("/slow/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
    # The connection is still good for the next request.
    assert visitor.get("/en/").status_code == 200


@pytest.fixture
def timeout_cleared_after():
    """The flush after a transactional test runs on the same session: without its
    200 ms timeout, however many tables it empties."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__, PUBLIC_STATEMENT_TIMEOUT_MS=200)
def test_a_kept_connection_is_given_the_timeout_once_and_still_cancels(
    visitor, monkeypatch, timeout_cleared_after
):
    sent = []
    execute = psycopg.Connection.execute

    def spy(self, query, *args, **kwargs):
        if "statement_timeout" in str(query):
            sent.append(str(query))
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", spy)
    assert visitor.get("/slow-on-its-own/").status_code == 503
    assert visitor.get("/slow-on-its-own/").status_code == 503  # the session kept it
    assert visitor.get("/admin/slow/").status_code == 200
    assert visitor.get("/slow-on-its-own/").status_code == 503
    set_it = "SET statement_timeout = 200"
    assert sent == [set_it, "RESET statement_timeout", set_it]


@override_settings(ROOT_URLCONF=__name__, PUBLIC_STATEMENT_TIMEOUT_MS=200)
def test_editors_pages_have_no_statement_timeout(visitor):
    visitor.get("/en/")  # a public request first: the session carries its timeout
    response = visitor.get("/admin/slow/")
    assert response.status_code == 200 and response.content == b"finished"


@override_settings(ROOT_URLCONF=__name__, PUBLIC_STATEMENT_TIMEOUT_MS=200, ADMIN_URL_PREFIX="desk/")
def test_only_the_configured_admin_prefix_escapes_the_statement_timeout(visitor):
    # With the admin moved to /desk/, /admin/ is an ordinary public path.
    assert visitor.get("/admin/slow/").status_code == 503
    response = visitor.get("/desk/slow/")
    assert response.status_code == 200 and response.content == b"finished"


def test_json_formatter_writes_one_line_per_record():
    record = logging.LogRecord("catalogue", logging.INFO, __file__, 1, "hello %s", ("wörld",), None)
    record.issue = 42
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "hello wörld" and line["issue"] == 42 and line["level"] == "INFO"


# Each error page in each language: (status, path) -> the heading, per language.
ERROR_PAGES = {
    (400, "/articles/?" + "&".join(f"year={2000 + i}" for i in range(30))): {
        "en": "Bad request",
        "ru": "Неверный запрос",
        "kk": "Сұрау дұрыс емес",
    },
    (404, "/no/such/page/"): {
        "en": "Page not found",
        "ru": "Страница не найдена",
        "kk": "Бет табылмады",
    },
    (500, "/boom/"): {
        "en": "Something went wrong",
        "ru": "Что-то пошло не так",
        "kk": "Бірдеңе дұрыс болмады",
    },
    (503, "/db-gone/"): {
        "en": "The catalogue is briefly unavailable",
        "ru": "Каталог ненадолго недоступен",
        "kk": "Каталог біраз уақытқа қолжетімсіз",
    },
}
SITE_NAME = {"en": "Journal catalogue", "ru": "Каталог журналов", "kk": "Журналдар каталогы"}
ARCHIVE_LINK = {"en": "Archive", "ru": "Архив", "kk": "Мұрағат"}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize(("status", "path"), list(ERROR_PAGES))
@override_settings(ROOT_URLCONF=__name__)
def test_error_pages_are_translated_with_navigation_and_the_site_name(
    visitor, caplog, status, path, language
):
    with caplog.at_level(logging.CRITICAL):
        response = visitor.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status
    html = response.content.decode()
    heading = ERROR_PAGES[(status, path)][language]
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert re.search(rf"<title>[^<]+ · {SITE_NAME[language]}</title>", html)
    # The site's navigation, in the page's language.
    assert 'class="site-nav"' in html
    assert f'<a href="/{language}/archive/">{ARCHIVE_LINK[language]}</a>' in html
    if language != "en":
        assert "Journal catalogue" not in html
