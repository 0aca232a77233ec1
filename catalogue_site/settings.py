"""Settings for the catalogue: one module, everything read from the environment.

DATABASE_URL names the database. When it is unset, the project's scripts
start a private PostgreSQL cluster under var/ and point DATABASE_URL at it, so
this module always has one; running Django without it is a configuration error.
"""

import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def envint(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name, str(default)).strip()
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def is_email(value: str) -> bool:
    """The pattern OAI-PMH.xsd gives adminEmail: enough to catch a name pasted by mistake."""
    return re.fullmatch(r"\S+@(\S+\.)+\S+", value) is not None


def envemails(name: str, default: str = "") -> list[str]:
    emails = envlist(name, default)
    for email in emails:
        if not is_email(email):
            raise ImproperlyConfigured(f"{name} must be e-mail addresses, not {email!r}")
    return emails


def envnetworks(name: str, default: str = "") -> list[str]:
    """Comma-separated IP addresses or networks (192.0.2.10, 10.0.0.0/8, 2001:db8::/32)."""
    networks = envlist(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses or networks, not {network!r}"
            ) from None
    return networks


def caches_from_url(url: str) -> dict:
    """CACHES from CACHE_URL: empty or db://TABLE for the database (the default, shared by
    every worker and needing no other server), redis://... for Redis, locmem:// for one
    process's own memory (counters then hold per worker only: development, tests).

    Two caches: "default" holds the rate limits' counters, "pages" what public pages show
    of a record (catalogue.pagecache). They are kept apart so that pages filling the
    cache can never cull a counter: in the database, a table each (TABLE and
    TABLE_pages); in Redis, a key prefix each."""
    url = url.strip()
    if not url or url.startswith("db://"):
        table = url.removeprefix("db://") or "catalogue_cache"
        return {
            "default": {
                "BACKEND": "catalogue.cache.DatabaseCache",
                "LOCATION": table,
                # Django culls a third of the entries past MAX_ENTRIES: far above what the
                # counters need, so that no one can flush them by filling the table.
                "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 100_000, minimum=1000)},
            },
            "pages": {
                "BACKEND": "catalogue.cache.DatabaseCache",
                "LOCATION": f"{table}_pages",
                "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_MAX_ENTRIES", 300_000, minimum=1000)},
            },
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        backend = "django.core.cache.backends.redis.RedisCache"
        return {
            "default": {"BACKEND": backend, "LOCATION": url},
            "pages": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "pages"},
        }
    if url == "locmem://":
        backend = "django.core.cache.backends.locmem.LocMemCache"
        return {
            "default": {"BACKEND": backend},
            "pages": {"BACKEND": backend, "LOCATION": "pages"},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must be empty, db://TABLE, redis://HOST:PORT/DB or locmem://, not {url!r}"
    )


def database_from_url(url: str) -> dict:
    """Parse postgres://user:pass@host:port/name?host=/socket/dir into Django's form."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL")
    query = parse_qs(parts.query)
    host = unquote(parts.hostname or "") or query.get("host", [""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        # A server that does not answer: a new connection gives up after connect_timeout
        # seconds (libpq's minimum is 2), and TCP keepalives find a connection whose host
        # has gone (idle seconds before the first probe, then count probes interval apart).
        # A server that accepts but stops answering mid-query is cut off by
        # catalogue.middleware.DatabaseGuardMiddleware's watchdog.
        "OPTIONS": {
            "connect_timeout": envint("DATABASE_CONNECT_TIMEOUT", 2, minimum=2),
            "keepalives": 1,
            "keepalives_idle": envint("DATABASE_KEEPALIVES_IDLE", 30, minimum=1),
            "keepalives_interval": envint("DATABASE_KEEPALIVES_INTERVAL", 5, minimum=1),
            "keepalives_count": envint("DATABASE_KEEPALIVES_COUNT", 3, minimum=1),
        },
        # TEST_DATABASE_NAME lets two test runs share one server without colliding.
        "TEST": {
            "NAME": os.environ.get("TEST_DATABASE_NAME")
            or unquote(parts.path.lstrip("/")) + "_test"
        },
    }


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (the README's run script "
            "sets a development key, with DEBUG=true)."
        )
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the site's host names, comma-separated "
        "(e.g. ALLOWED_HOSTS=catalogue.example.org), or DEBUG=true for a local run."
    )
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# ---------------------------------------------------------------- HTTPS and headers
# HTTPS=true (the default unless DEBUG) means visitors reach the site over HTTPS,
# normally through a reverse proxy: plain-HTTP requests are redirected, cookies are
# Secure-only and browsers are told to stay on HTTPS (HSTS). HTTPS=false serves
# plain HTTP, for local runs of the production configuration (scripts/loadtest).
HTTPS = envbool("HTTPS", "False" if DEBUG else "True")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
# The request header by which the proxy says the visitor used HTTPS, as NAME=VALUE
# (default X-Forwarded-Proto=https). The proxy must set it on every request, replacing
# any sent by the visitor. Empty: no proxy; Django sees the connection's own scheme.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto=https").strip()
if _proxy_header:
    _name, _sep, _value = _proxy_header.partition("=")
    if not (_name.strip() and _value.strip()):
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must look like X-Forwarded-Proto=https")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _name.strip().upper().replace("-", "_"),
        _value.strip(),
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (catalogue.middleware.SecurityHeadersMiddleware): only our own
# scripts, styles, images and fonts; no inline script, no plugins, no framing.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)
# Preloading is a separate, hard-to-undo submission to the browsers' lists; the
# header alone does not need it, so the deploy check's reminder is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or not HTTPS else ["security.W021"]

# A public page's SQL statements are cancelled after this long, so a slow query cannot
# hold a worker (catalogue.middleware.DatabaseGuardMiddleware); 0 turns it off. The
# admin, the editors' pages and management commands have no limit.
PUBLIC_STATEMENT_TIMEOUT_MS = int(os.environ.get("PUBLIC_STATEMENT_TIMEOUT_MS", "5000"))
# The time a text search's facet counts may take in all; past it the page shows the
# results without the counts left (a word in most of a large catalogue), not a 503.
SEARCH_COUNTS_MS = int(os.environ.get("SEARCH_COUNTS_MS", "2000"))
# A text search whose counts take longer is noted, and `manage.py count_searches` (run
# from cron) keeps its counts from then on (catalogue.counted_searches).
SEARCH_NOTED_MS = int(os.environ.get("SEARCH_NOTED_MS", "250"))

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use scripts/run or scripts/test, which start a private "
        "PostgreSQL cluster when it is unset, or export DATABASE_URL=postgres://..."
    )
DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
# A read replica (streaming replication of default): public GET pages read from it.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **database_from_url(os.environ["DATABASE_REPLICA_URL"]),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["catalogue.routers.ReplicaRouter"]
# After a visitor's POST their reads go to the primary this long (read-your-writes):
# above the replica's usual lag. An unanswering replica is tried again after this long.
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10, minimum=1)
REPLICA_RETRY_SECONDS = envint("REPLICA_RETRY_SECONDS", 5, minimum=1)

# The cache holds the admin login lockout and the error-report limit, so it must be one
# store for all workers: the database by default (table catalogue_cache, created by a
# migration), Redis when CACHE_URL names it (install the `redis` package).
CACHES = caches_from_url(os.environ.get("CACHE_URL", ""))
# The "pages" cache keeps what public pages show of a record, rendered once per version
# of it (catalogue.pagecache); an entry lives this long after it was rendered.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 7 * 24 * 3600, minimum=1)
# A name for this release of the code and templates (a commit id), part of every
# cache key and ETag. Empty: a digest of the code, templates and translations.
PAGE_CACHE_RELEASE = os.environ.get("PAGE_CACHE_RELEASE", "").strip()
# Each worker keeps whole public pages for visitors who are not logged in, up to this
# many megabytes, under the catalogue's version (catalogue.pagecache.kept_whole), and
# each page PAGE_MEMORY_SECONDS at most (for what depends on the date). 0: none kept.
PAGE_MEMORY_MB = envint("PAGE_MEMORY_MB", 64, minimum=0)
PAGE_MEMORY_SECONDS = envint("PAGE_MEMORY_SECONDS", 300, minimum=1)
# How long a reverse proxy or CDN may serve a public page to visitors who are not
# logged in without asking again (Cache-Control s-maxage; browsers always revalidate).
# 0: the proxy revalidates every time (a 304 when the page has not changed).
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 60, minimum=0)
# Reverse proxies whose X-Forwarded-For is believed (catalogue.limits.client_address):
# addresses or networks, comma-separated. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = envnetworks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "catalogue.admin_apps.CatalogueAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "catalogue",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "catalogue.middleware.SecurityHeadersMiddleware",
    "catalogue.api.ApiMiddleware",  # /api/: JSON errors, HEAD, OPTIONS, CORS
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "catalogue.middleware.DatabaseGuardMiddleware",
    "catalogue.middleware.PublicCacheMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETags for the other pages
    "django.contrib.sessions.middleware.SessionMiddleware",
    "catalogue.middleware.LocaleMiddleware",  # language prefixes; 301 from unprefixed pages
    "catalogue.middleware.ParameterBoundsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "catalogue.routers.replica_reads",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "catalogue_site.urls"
WSGI_APPLICATION = "catalogue_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalogue.context_processors.detail_paths",
                "catalogue.context_processors.language_alternates",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("kk", "Қазақша"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Ingestion refuses larger files outright: no journal issue is this big.
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(50 * 1024 * 1024)))
# E-mail addresses of authors are shown on public pages only when this is on.
CATALOGUE_PUBLISH_EMAILS = envbool("CATALOGUE_PUBLISH_EMAILS", "False")

# The site's public address (https://catalogue.example.org), for article links in
# `manage.py export`; Crossref deposits need it. Empty: the export has no links.
CATALOGUE_BASE_URL = os.environ.get("CATALOGUE_BASE_URL", "").strip()
if CATALOGUE_BASE_URL and not CATALOGUE_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("CATALOGUE_BASE_URL must start with http:// or https://")
# The depositor named in Crossref deposits (empty: the journal's publisher) and the
# address Crossref writes to about them (empty: `export --depositor-email` is required).
CROSSREF_DEPOSITOR_NAME = os.environ.get("CROSSREF_DEPOSITOR_NAME", "").strip()
CROSSREF_DEPOSITOR_EMAIL = os.environ.get("CROSSREF_DEPOSITOR_EMAIL", "").strip()
if CROSSREF_DEPOSITOR_EMAIL and not is_email(CROSSREF_DEPOSITOR_EMAIL):
    raise ImproperlyConfigured(
        f"CROSSREF_DEPOSITOR_EMAIL must be an e-mail address, not {CROSSREF_DEPOSITOR_EMAIL!r}"
    )

# ---------------------------------------------------------------- OAI-PMH (/oai)
# Records per ListRecords/ListIdentifiers page; a resumption token fetches the next.
# The DOI resolver `manage.py checkdois` asks about inferred DOIs (its handle API).
DOI_RESOLVER_URL = os.environ.get("DOI_RESOLVER_URL", "https://doi.org").strip()

OAI_PAGE_SIZE = envint("OAI_PAGE_SIZE", 100, minimum=1)
# The namespace of OAI identifiers (oai:IDENTIFIER:article/1). Empty: the host name of
# CATALOGUE_BASE_URL, else "localhost" (never the request's Host header).
OAI_REPOSITORY_IDENTIFIER = os.environ.get("OAI_REPOSITORY_IDENTIFIER", "").strip()
# Identify's repositoryName (an empty value counts as unset).
OAI_REPOSITORY_NAME = os.environ.get("OAI_REPOSITORY_NAME", "").strip() or "Journal catalogue"
# Identify's adminEmail, comma-separated. Empty: the e-mails in ADMINS, and failing
# those admin@example.org (catalogue.oai.identify).
OAI_ADMIN_EMAILS = envemails("OAI_ADMIN_EMAILS")

# ---------------------------------------------------------------- admin and reports
# Where the admin is served, without a leading slash. The URLconf, the replica router
# (the admin always reads the primary), the statement timeout (none in the admin) and
# robots.txt all use it.
ADMIN_URL_PREFIX = os.environ.get("ADMIN_URL_PREFIX", "admin/").strip()
if not re.fullmatch(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/", ADMIN_URL_PREFIX):
    raise ImproperlyConfigured(
        f"ADMIN_URL_PREFIX must look like admin/ (no leading slash, one trailing slash), "
        f"not {ADMIN_URL_PREFIX!r}"
    )
# After this many failed logins from one address for one username, that login is
# refused for ADMIN_LOGIN_LOCKOUT_SECONDS (catalogue.admin_site).
ADMIN_LOGIN_MAX_FAILURES = envint("ADMIN_LOGIN_MAX_FAILURES", 5, minimum=1)
ADMIN_LOGIN_LOCKOUT_SECONDS = envint("ADMIN_LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# Error reports one client address may send an hour (catalogue.reports).
REPORTS_PER_HOUR = envint("REPORTS_PER_HOUR", 5, minimum=1)

# JSON lines on standard output (catalogue_site.jsonlog): one object per record, with
# the request's method and path when there is one. LOG_FORMAT=plain for reading by eye.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "catalogue_site.jsonlog.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
