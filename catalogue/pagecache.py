"""Pay once, serve many: what a public page shows of a record, rendered once per version.

A published article changes rarely, but its page costs tens of milliseconds to render
(the body, citations in two styles, meta tags, JSON-LD, COinS) and a citation download
as much. So the parts that depend only on the record are rendered once and kept in
Django's "pages" cache (settings.CACHES: a database table by default, Redis when
CACHE_URL names it), under a key made of the record's *stamp*, the interface language, the host the
page was asked for and the release (the code and templates that render it).

An article's stamp is its harvest datestamp (RecordDatestamp.changed), which the
database's triggers move in the transaction of every write that changes what the
record shows: ingest, admin edits, merges, SQL; with the state of its review
warnings, which the page's trust line shows. An issue's is its own version, its
article count and the latest datestamp among its articles. A write therefore never
invalidates anything: it gives the record a new stamp, so the next request misses and
renders the new version, and the old entries expire (PAGE_CACHE_SECONDS) or are culled.
No write path can forget to invalidate.

The same stamp gives the page's ETag and Last-Modified, so a conditional GET of an
unchanged page is answered 304 after one small query (`record_page`). A result list
keeps each article's entry the same way (`article_entries`), the stamps coming with
the page's ids.
"""

import hashlib
import itertools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .export import article_to_dict
from .models import Article, ArticleSource, CatalogueChange, Issue, RecordDatestamp

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "catalogue/includes/article_entry.html"


@dataclass(frozen=True)
class Stamp:
    """A record's version as the cache and HTTP validators see it."""

    kind: str
    pk: int
    token: str
    modified: datetime | None

    def key(self, request, part: str = "page") -> str:
        """The cache key of one rendered part of this version, in this language and host."""
        where = f"{request.scheme}://{request.get_host()}"  # absolute links in meta tags
        parts = [self.kind, str(self.pk), self.token, part, _language(), where]
        return ":".join(["record", *parts, release()])

    def etag(self) -> str:
        raw = f"{self.kind}-{self.pk}-{self.token}-{_language()}-{release()}"
        return quote_etag(hashlib.sha1(raw.encode()).hexdigest()[:20])


# The stamps as SQL written once: the ORM spent longer compiling the expressions of these
# two small look-ups than the rest of a cached page took.
ARTICLE_STAMP_SQL = (
    "SELECT d.changed, coalesce(string_agg(w.id::text || w.resolved::text, ',' "
    "ORDER BY w.id), '') FROM catalogue_recorddatestamp d "
    "JOIN catalogue_article a ON a.id = d.article_id "
    "LEFT JOIN catalogue_ingestwarning w ON w.article_id = d.article_id "
    "WHERE d.article_id = %s GROUP BY d.article_id"
)
ISSUE_STAMP_SQL = (
    "SELECT i.version, count(a.id), max(d.changed) FROM catalogue_issue i "
    "LEFT JOIN catalogue_article a ON a.issue_id = i.id "
    "LEFT JOIN catalogue_recorddatestamp d ON d.article_id = a.id "
    "WHERE i.id = %s GROUP BY i.id"
)


def _one_row(sql: str, pk: int, model) -> tuple | None:
    if not 0 < pk < 2**63:  # no such record; PostgreSQL's bigint would refuse it
        return None
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def article_stamp(pk: int) -> Stamp | None:
    """The record's datestamp, and which of its review warnings are resolved: the trust
    line (catalogue_trust) shows those, and the review queue changes them without
    changing the record."""
    row = _one_row(ARTICLE_STAMP_SQL, pk, RecordDatestamp)
    return None if row is None else _article_stamp(pk, *row)


def _article_stamp(pk: int, changed: datetime, checks: str = "") -> Stamp:
    token = f"{changed.timestamp():.6f}"
    if checks:
        token += "." + hashlib.sha1(checks.encode()).hexdigest()[:10]
    return Stamp("article", pk, token, changed)


def issue_stamp(pk: int) -> Stamp | None:
    row = _one_row(ISSUE_STAMP_SQL, pk, Issue)
    if row is None:
        return None
    # A series or journal rename moves its articles' datestamps; an issue without
    # articles shows it only after its own next change or PAGE_CACHE_SECONDS.
    version, count, latest = row
    token = f"{version}.{count}.{latest.timestamp() if latest else 0:.6f}"
    return Stamp("issue", pk, token, latest)


def record_page(stamp_of):
    """View decorator: 404 without a record, 304 for a conditional GET of the version the
    client holds, else the view (called with the stamp) with ETag and Last-Modified."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            stamp = stamp_of(pk)
            if stamp is None:
                raise Http404("No such record.")
            etag = stamp.etag()
            modified = stamp.modified.timestamp() if stamp.modified else None
            response = get_conditional_response(request, etag=etag, last_modified=modified)
            if response is None:
                response = view(request, pk, *args, stamp=stamp, **kwargs)
            if response.status_code in (200, 304):
                response.headers.setdefault("ETag", etag)
                if modified is not None:
                    response.headers.setdefault("Last-Modified", http_date(modified))
            return response

        return wrapper

    return decorator


def rendered(request, stamp: Stamp, part: str, render) -> dict[str, str]:
    """The part of this record's version ({name: HTML, or a plain value}), from the cache
    or made by `render()` and kept. Its strings were escaped when they were rendered."""
    key = stamp.key(request, part)
    store = caches["pages"]
    value = store.get(key)
    if value is None:
        value = render()
        store.set(key, value, settings.PAGE_CACHE_SECONDS)
    return {
        name: mark_safe(text) if isinstance(text, str) else text for name, text in value.items()
    }


def article_entries(request, articles) -> list[tuple]:
    """[(article, entry HTML)] for a page of a result list whose articles carry `stamp`
    (filters.ResultArticle, or Article.objects.with_stamp()): each entry rendered once
    per version of its record, those not in the cache in one query."""

    def render(missing):
        return {
            article.pk: render_to_string(ENTRY, {"article": article}, request)
            for article in Article.objects.for_browse().filter(pk__in=missing)
        }

    entries = _per_version(request, articles, "entry", render)
    return [
        (article, mark_safe(entries[article.pk])) for article in articles if article.pk in entries
    ]


def article_exports(request, articles) -> list[dict]:
    """The export object (catalogue.export) of each article carrying `stamp`, with its
    `id` first, as the API gives it: made once per version of its record, those not in
    the cache from one `with_details()` query. Its source documents are not part of what
    the stamp follows (adding a document's link changes no datestamp), so they are read
    every time, in one query."""

    def export(missing):
        return {
            article.pk: {
                key: value for key, value in article_to_dict(article).items() if key != "sources"
            }
            for article in Article.objects.with_details().filter(pk__in=missing)
        }

    made = _per_version(request, articles, "export", export)
    sources: dict[int, list[str]] = {}
    for pk, name in (
        ArticleSource.objects.filter(article_id__in=list(made))
        .order_by("ingested", "id")
        .values_list("article_id", "document__file_name")
    ):
        sources.setdefault(pk, []).append(name)
    return [
        {"id": article.pk, **made[article.pk], "sources": sources.get(article.pk, [])}
        for article in articles
        if article.pk in made
    ]


def _per_version(request, articles, part: str, make) -> dict:
    """{pk: value} of one part of each article's record, kept per version (`stamp`):
    those not in the cache are made by `make(pks) -> {pk: value}` and kept."""
    keys = {
        article.pk: _article_stamp(article.pk, article.stamp).key(request, part)
        for article in articles
        if article.stamp is not None
    }
    cached = _get_many(keys.values())
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [article.pk for article in articles if article.pk not in found]
    if missing:
        made = make(missing)
        _set_many({keys[pk]: value for pk, value in made.items() if pk in keys})
        found.update(made)
    return found


def per_catalogue_version(part: str, pks: list[int], make) -> dict:
    """{pk: value} of what depends on a record and on others around it (a person's article
    count, years and latest affiliation), kept under the catalogue's version, which every
    write moves, and the interface language: `make(pks) -> {pk: value}` makes those not
    in the cache, and they are kept."""
    prefix = f"{part}:{CatalogueChange.objects.version()}:{_language()}:{release()}"
    keys = {pk: f"{prefix}:{pk}" for pk in pks}
    cached = _get_many(keys.values())
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        made = make(missing)
        _set_many({keys[pk]: value for pk, value in made.items()})
        found.update(made)
    return found


# The parts this worker read from the "pages" cache or put there, also kept in its memory,
# at most PARTS_KEPT of them (the oldest dropped first). A key names one version of a part
# (the record's datestamp or the catalogue's version is in it), so what is kept never goes
# stale; a result page then reads its twenty entries, or a name search its people's cards,
# without a round trip to the cache and the unpickling of each. Values are shared between
# requests: callers copy what they change.
PARTS_KEPT = 5000
PARTS: dict = {}


def _get_many(keys) -> dict:
    found = {key: PARTS[key] for key in keys if key in PARTS}
    missing = [key for key in keys if key not in found]
    if missing:
        read = caches["pages"].get_many(missing)
        _keep(read)
        found.update(read)
    return found


def _set_many(values: dict) -> None:
    caches["pages"].set_many(values, settings.PAGE_CACHE_SECONDS)
    _keep(values)


def _keep(values: dict) -> None:
    PARTS.update(values)
    if len(PARTS) > PARTS_KEPT:
        for key in list(itertools.islice(PARTS, len(PARTS) - PARTS_KEPT)):
            PARTS.pop(key, None)


@cache
def release() -> str:
    """A digest of what renders the pages (code, templates, translations): a new release
    gets new keys and ETags, so no page rendered by the old one is served after it."""
    digest = hashlib.sha1(settings.PAGE_CACHE_RELEASE.encode())
    if not settings.PAGE_CACHE_RELEASE:
        files = [
            *(ROOT / "catalogue").rglob("*.py"),
            *(ROOT / "templates").rglob("*.html"),
            *(ROOT / "locale").rglob("*.mo"),
        ]
        for path in sorted(files):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


# ------------------------------------------------------------------------ whole pages
#
# A page that a visitor who is not logged in asks for is the same for every such visitor
# until the catalogue changes: each worker keeps the whole response in its own memory
# under the catalogue's version (CatalogueChange), which every committed write moves.
# Serving it again costs the version's one small query instead of the page's queries and
# templates, and a write is seen by the next request, since that request reads the new
# version. A page that depends on the clock (an embargo ending) is kept
# PAGE_MEMORY_SECONDS at most.

BRIEF_SECONDS = 60  # a page whose counts were cut short (filters.counts_incomplete)


@dataclass(frozen=True)
class KeptPage:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    expires: float

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        return response


class PageMemory:
    """A worker's whole pages, the least recently served dropped first past the budget."""

    def __init__(self):
        self.pages: OrderedDict[str, KeptPage] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> KeptPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if page.expires < time.monotonic():
                self._drop(key)
                return None
            self.pages.move_to_end(key)
            return page

    def keep(self, key: str, page: KeptPage, budget: int) -> None:
        with self.lock:
            if key in self.pages:
                self._drop(key)
            self.pages[key] = page
            self.size += len(page.content)
            while self.size > budget and self.pages:
                self._drop(next(iter(self.pages)))

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= len(self.pages.pop(key).content)


MEMORY = PageMemory()


def keep_briefly(response) -> None:
    """Keep this page BRIEF_SECONDS at most: its counts ran out of time, and a quieter
    moment may give them whole."""
    response.kept_seconds = BRIEF_SECONDS


def kept_whole(view):
    """View decorator: a visitor's GET of this page served from MEMORY when the catalogue
    has not changed since the page was made. For the pages that read the catalogue: the
    version costs a query, which a page that reads nothing (robots.txt) would not repay.
    A failed version query fails the view, so the database guard answers 503 as usual."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _whole_page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        page = MEMORY.get(key)
        if page is not None:
            return page.response()
        response = view(request, *args, **kwargs)
        seconds = _keep_for(request, response)
        if seconds:
            headers = tuple((name, value) for name, value in response.items())
            page = KeptPage(response.content, headers, time.monotonic() + seconds)
            MEMORY.keep(key, page, settings.PAGE_MEMORY_MB * 1024 * 1024)
        return response

    return wrapper


def _whole_page_key(request) -> str | None:
    """None for a request whose answer may depend on who asks: an editor's (a session),
    one with messages waiting, the admin, anything but GET."""
    if (
        not settings.PAGE_MEMORY_MB
        or request.method != "GET"
        or request.path_info.startswith("/" + settings.ADMIN_URL_PREFIX)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
    ):
        return None
    # Read outside any writing transaction (ATOMIC_REQUESTS is off; the one write a GET
    # makes, noting a slow search, commits on its own): inside one, a version could recur
    # after a rollback.
    version = CatalogueChange.objects.version()
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"{version}|{_language()}|{where}|{release()}"


def _keep_for(request, response) -> int:
    """Seconds to keep the page, 0 if it must not be shared: not a plain 200, or it set a
    cookie, used the session or a CSRF token, or said itself who may keep it."""
    session = getattr(request, "session", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Cache-Control")
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
    ):
        return 0
    longest = settings.PAGE_MEMORY_SECONDS
    return min(getattr(response, "kept_seconds", longest), longest)
