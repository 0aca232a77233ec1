"""The login lockout and the report limit hold across gunicorn workers.

gunicorn serves the test database with two workers, each replaced after every request
(--max-requests 1), so no two requests share a process's memory: a count kept in a
worker's own memory never reaches the limit. The server trusts 127.0.0.1 as its proxy,
and each request says which client it forwards (X-Forwarded-For). The same run with
CACHE_URL=locmem:// (each worker's memory, as before CACHES was set) shows the test can
tell. Bounded: a handful of requests, 127.0.0.1 only, gunicorn stopped afterwards.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from .editors import PASSWORD
from .factories import make_article
from .served import free_port, stop, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _database_url() -> str:
    db = connection.settings_dict  # the test database, which the test commits to
    quote = urllib.parse.quote
    return (
        f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}"
        f"/{quote(db['NAME'])}"
    )


@pytest.fixture
def serve(transactional_db, tmp_path):
    """serve(cache_url, **env) -> base URL of gunicorn with two workers on the test
    database (more settings, such as DATABASE_REPLICA_URL, in env)."""
    started = []

    def start(cache_url: str = "", **extra) -> str:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "catalogue.tests.served_settings",
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "0",
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": "workers-test-only",
            "LOG_LEVEL": "WARNING",
            "CACHE_URL": cache_url,
            "TRUSTED_PROXIES": "127.0.0.1",
            "ADMIN_LOGIN_MAX_FAILURES": "3",
            "REPORTS_PER_HOUR": "2",
            **extra,
        }
        log = open(tmp_path / f"gunicorn-{port}.log", "w")  # closed when gunicorn stops
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "catalogue_site.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--max-requests", "1"),
                *("--preload", "--timeout", "30", "--access-logfile", "/dev/null"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(base, process, tmp_path / f"gunicorn-{port}.log")
        return base

    cache.clear()
    yield start
    for process, log in started:
        stop(process)
        log.close()
    cache.clear()


class Client:
    """One visitor: cookies of their own, and the address the proxy forwards for them."""

    def __init__(self, base: str, address: str):
        self.base, self.address = base, address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-Forwarded-For": self.address}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path: str, data: dict) -> tuple[int, str]:
        status, page = self.open(path)
        assert status == 200, page[:500]
        return self.open(path, {**data, "csrfmiddlewaretoken": TOKEN.search(page)[1]})

    def login(self, password: str) -> tuple[int, str]:
        path = reverse("admin:login")
        return self.post_form(path, {"username": "erin", "password": password, "next": "/"})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _lockout_and_reports(base: str, article_pk: int) -> dict:
    attacker, editor, reader, other = (
        Client(base, address)
        for address in ("203.0.113.66", "198.51.100.20", "203.0.113.5", "198.51.100.30")
    )
    wrong = [attacker.login("wrong guess")[0] for _ in range(3)]
    status, page = attacker.login(PASSWORD)
    report = reverse("report_error", args=[article_pk])
    reports = [reader.post_form(report, {"message": "Typo in the title."})[0] for _ in range(3)]
    return {
        "wrong": wrong,
        "attacker with the password": (status, "Too many failed logins" in page),
        "editor elsewhere": editor.login(PASSWORD)[0],
        "reports": reports,
        "another reader": other.post_form(report, {"message": "Typo."})[0],
    }


def test_the_limits_hold_across_workers(serve, editor):
    article = make_article(title_en="Soft power")
    result = _lockout_and_reports(serve(), article.pk)
    assert result == {
        "wrong": [200, 200, 200],
        "attacker with the password": (200, True),
        "editor elsewhere": 302,
        "reports": [200, 200, 429],
        "another reader": 200,
    }


def test_counts_in_each_workers_memory_do_not_hold(serve, editor):
    """The control: with a per-process cache the same requests are never refused."""
    article = make_article(title_en="Soft power")
    result = _lockout_and_reports(serve("locmem://"), article.pk)
    assert result["attacker with the password"] == (302, False)
    assert result["reports"] == [200, 200, 200]
