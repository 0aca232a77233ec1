"""Production settings and security headers: the deploy check, CSP, cookies, clear errors."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import make_full_article

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!kq2-production-like-secret-with-many-distinct-characters-0123456789",
    "ALLOWED_HOSTS": "catalogue.example.org",
    "DATABASE_URL": "postgres://catalogue:pw@127.0.0.1:5432/catalogue",
}


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "HTTPS",
            "SECURE_PROXY_SSL_HEADER",
            "DATABASE_URL",
        }
    }
    environment.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed(code, **env) -> str:
    """The last line a `manage.py shell -c CODE` printed (the shell announces its imports)."""
    result = manage("shell", "--no-imports", "-c", code, **env)
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else result.stderr


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_complains_when_https_is_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, HTTPS="false")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "missing, message",
    [
        ("SECRET_KEY", "SECRET_KEY is not set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS is not set"),
        ("DATABASE_URL", "DATABASE_URL is not set"),
    ],
)
def test_missing_production_setting_is_a_clear_error(missing, message):
    result = manage("check", **{**PRODUCTION, missing: None})
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_is_off_unless_asked():
    code = "from django.conf import settings; print(settings.DEBUG)"
    # Without DEBUG in the environment: production, so SECRET_KEY is demanded.
    assert "SECRET_KEY is not set" in manage("shell", "-c", code).stderr
    assert printed(code, **{**PRODUCTION, "DEBUG": None}) == "False"
    assert printed(code, **{**PRODUCTION, "DEBUG": "true"}) == "True"


def test_proxy_header_is_configurable():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    header = printed(code, **PRODUCTION, SECURE_PROXY_SSL_HEADER="X-Scheme=https")
    assert header == "('HTTP_X_SCHEME', 'https')"
    assert printed(code, **PRODUCTION, SECURE_PROXY_SSL_HEADER="") == "None"


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    article = make_full_article()
    for url in [
        reverse("catalogue:home"),
        reverse("catalogue:article_detail", args=[article.pk]),
        reverse("api:article_list"),
        "/admin/login/",
        "/no-such-page/",
    ]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url


def test_cookies_are_secure_when_served_over_https():
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, "
        "s.SESSION_COOKIE_HTTPONLY)"
    )
    assert printed(code, **PRODUCTION).split() == ["True"] * 5


def test_https_redirect_behind_the_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    response = client.get("/i18n/setlang/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get("/i18n/setlang/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code != 301
    assert "max-age=3600" in response["Strict-Transport-Security"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_templates_have_no_inline_executable_script():
    """CSP forbids inline script: only JSON-LD data blocks and same-origin files are allowed."""
    roots = [ROOT / "templates", ROOT / "catalogue"]
    offenders = []
    for root in roots:
        for path in root.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
                offenders.append(str(path.relative_to(ROOT)))
            if re.search(r"javascript:", text, re.I):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_rendered_article_page_has_only_data_scripts(client):
    article = make_full_article()
    html = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html)


def test_settings_loaded_for_tests_are_not_debug():
    assert settings.DEBUG is False
