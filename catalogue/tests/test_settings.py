"""The catalogue's own settings: read from the environment, checked, used as declared."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from catalogue.routers import is_public_read
from catalogue_site.settings import envemails, envint

from .test_security import PRODUCTION, manage, printed


def test_envint_reads_a_whole_number_or_the_default(monkeypatch):
    monkeypatch.delenv("OAI_PAGE_SIZE", raising=False)
    assert envint("OAI_PAGE_SIZE", 100, minimum=1) == 100
    monkeypatch.setenv("OAI_PAGE_SIZE", " 25 ")
    assert envint("OAI_PAGE_SIZE", 100, minimum=1) == 25


@pytest.mark.parametrize("value", ["ten", "2.5", "", "1e3"])
def test_envint_refuses_what_is_not_a_whole_number(monkeypatch, value):
    monkeypatch.setenv("REPORTS_PER_HOUR", value)
    with pytest.raises(ImproperlyConfigured, match="REPORTS_PER_HOUR must be a whole number"):
        envint("REPORTS_PER_HOUR", 5, minimum=1)


@pytest.mark.parametrize("value", ["0", "-3"])
def test_envint_refuses_a_number_below_its_minimum(monkeypatch, value):
    monkeypatch.setenv("ADMIN_LOGIN_MAX_FAILURES", value)
    with pytest.raises(ImproperlyConfigured, match="ADMIN_LOGIN_MAX_FAILURES must be at least 1"):
        envint("ADMIN_LOGIN_MAX_FAILURES", 5, minimum=1)


def test_envemails_reads_a_comma_separated_list_and_refuses_a_name(monkeypatch):
    monkeypatch.setenv("OAI_ADMIN_EMAILS", "editor@example.org, office@journal.example.kz,")
    assert envemails("OAI_ADMIN_EMAILS") == ["editor@example.org", "office@journal.example.kz"]
    monkeypatch.setenv("OAI_ADMIN_EMAILS", "editor@example.org, Editorial office")
    with pytest.raises(ImproperlyConfigured, match="'Editorial office'"):
        envemails("OAI_ADMIN_EMAILS")


def test_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s; print(s.OAI_PAGE_SIZE, s.REPORTS_PER_HOUR, "
        "s.ADMIN_LOGIN_LOCKOUT_SECONDS, s.OAI_ADMIN_EMAILS, repr(s.OAI_REPOSITORY_NAME))"
    )
    assert printed(code, **PRODUCTION) == "100 5 900 [] 'Journal catalogue'"
    environment = {
        "OAI_PAGE_SIZE": "20",
        "REPORTS_PER_HOUR": "12",
        "ADMIN_LOGIN_LOCKOUT_SECONDS": "60",
        "OAI_ADMIN_EMAILS": "a@example.org,b@example.org",
        "OAI_REPOSITORY_NAME": "Eurasian journals",
    }
    assert printed(code, **PRODUCTION, **environment) == (
        "20 12 60 ['a@example.org', 'b@example.org'] 'Eurasian journals'"
    )


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("OAI_PAGE_SIZE", "lots", "OAI_PAGE_SIZE must be a whole number, not 'lots'"),
        ("ADMIN_LOGIN_MAX_FAILURES", "0", "ADMIN_LOGIN_MAX_FAILURES must be at least 1"),
        ("ADMIN_URL_PREFIX", "/admin", "ADMIN_URL_PREFIX must look like admin/"),
        ("CATALOGUE_BASE_URL", "catalogue.example.org", "must start with http:// or https://"),
        ("CROSSREF_DEPOSITOR_EMAIL", "office", "CROSSREF_DEPOSITOR_EMAIL must be an e-mail"),
        ("TRUSTED_PROXIES", "10.0.0.1,proxy", "TRUSTED_PROXIES must be IP addresses or networks"),
        ("CACHE_URL", "memcached://127.0.0.1", "CACHE_URL must be empty, db://TABLE"),
    ],
)
def test_a_bad_value_stops_the_site_naming_the_variable(name, value, message):
    result = manage("check", **PRODUCTION, **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_cache_is_the_database_unless_cache_url_names_redis():
    code = (
        "from django.conf import settings as s; c = s.CACHES['default'];"
        " print(c['BACKEND'], c.get('LOCATION'), s.TRUSTED_PROXIES)"
    )
    assert printed(code, **PRODUCTION) == "catalogue.cache.DatabaseCache catalogue_cache []"
    assert printed(
        code, **PRODUCTION, CACHE_URL="redis://127.0.0.1:6379/1", TRUSTED_PROXIES="10.0.0.0/8, ::1"
    ) == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/1 ['10.0.0.0/8', '::1']"
    )


def test_pages_are_cached_apart_from_the_counters():
    code = (
        "from django.conf import settings as s; c = s.CACHES['pages'];"
        " print(c['BACKEND'], c.get('LOCATION'), c.get('KEY_PREFIX', ''))"
    )
    assert printed(code, **PRODUCTION) == "catalogue.cache.DatabaseCache catalogue_cache_pages"
    assert printed(code, **PRODUCTION, CACHE_URL="redis://127.0.0.1:6379/1") == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/1 pages"
    )


def test_urls_and_router_follow_admin_url_prefix():
    code = (
        "from django.test import RequestFactory; from django.urls import reverse; "
        "from catalogue.routers import is_public_read; url = reverse('admin:index'); "
        "print(url, is_public_read(RequestFactory().get(url + 'catalogue/article/')))"
    )
    assert printed(code, **PRODUCTION) == "/admin/ False"
    assert printed(code, **PRODUCTION, ADMIN_URL_PREFIX="backstage/") == "/backstage/ False"


@override_settings(ADMIN_URL_PREFIX="backstage/")
def test_the_router_reads_the_admin_prefix_from_settings():
    factory = RequestFactory()
    assert not is_public_read(factory.get("/backstage/catalogue/article/"))
    assert is_public_read(factory.get("/admin/catalogue/article/"))


@override_settings(ADMIN_URL_PREFIX="backstage/")
def test_robots_txt_disallows_the_admin_where_it_is(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /backstage/" in lines and "Disallow: /admin/" not in lines
