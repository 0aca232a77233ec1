"""Request guards: security headers, and a database that is slow or away.

SecurityHeadersMiddleware adds the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY)
to every response; Django's SecurityMiddleware sends the other security headers.

DatabaseGuardMiddleware gives each public request a statement timeout
(settings.PUBLIC_STATEMENT_TIMEOUT_MS) so a slow query is cancelled instead of
holding a worker, and turns a database that cannot answer (down, restarting, or a
cancelled statement) into a clean 503 page, logged, instead of a 500 traceback.
A server that is frozen (stopped, or its host gone) cancels nothing: a watchdog
then cuts the request's database connections off once the statement timeout and a
little more have passed without an answer, and refuses new ones for the rest of the
request, so the visitor gets the 503 page instead of a worker hung for good (new
connections are bounded by connect_timeout, in settings.DATABASES).

ParameterBoundsMiddleware refuses, with a translated 400, a public request whose
query string repeats a parameter too often or carries too many values in all: each
value of a facet parameter is one more condition for every facet count, so a few
kilobytes of `year=` would otherwise buy seconds of database time.

LocaleMiddleware is Django's, with permanent redirects: a page's address without
its language prefix (the catalogue's addresses before they had one) moves for good
to the prefixed page, in the visitor's language (cookie, Accept-Language, else the
default), so links and bookmarks from before keep working.

PublicCacheMiddleware says who may keep a copy of a response (Cache-Control): a public
page asked for by a visitor who is not logged in, and the same for everyone who sends
the same cookies and languages, may be kept by a reverse proxy or CDN for
PUBLIC_CACHE_SECONDS and by the browser until it revalidates (ETag, 304). A request of
someone logged in, the admin, an answer that sets a cookie or carries a CSRF token: no
one keeps a copy, so an editor never gets a stale or shared page.
"""

import logging
import os
import socket
import threading
import time
from contextlib import ExitStack
from weakref import WeakKeyDictionary

import psycopg
from django.conf import settings
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

logger = logging.getLogger("catalogue.requests")

RETRY_AFTER_SECONDS = 30
# How long past the statement timeout the watchdog waits for a frozen server.
WATCHDOG_GRACE_SECONDS = 0.25
# Bounds on a public query string (ParameterBoundsMiddleware): values of one parameter,
# values in all, and characters in one value.
MAX_VALUES_PER_PARAMETER = 20
# Past the per-parameter bound the browse filters could still take 20 values each; the
# total stays above what they can add up to (and the API's description allows).
MAX_VALUES_TOTAL = 200
MAX_VALUE_LENGTH = 500


class LocaleMiddleware(DjangoLocaleMiddleware):
    response_redirect_class = HttpResponsePermanentRedirect


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class DatabaseGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET):
            # PostgreSQL text cannot hold NUL: refuse here rather than fail in a query.
            return bad_request(request, "parameters must not contain NUL characters")
        # The editors' pages (the admin) have no statement timeout: merges and reports may be slow.
        public = not request.path_info.startswith("/" + settings.ADMIN_URL_PREFIX)
        # Every database alias the request may read from (the replica too) gets the limit.
        with ExitStack() as stack:
            watchdog = None
            milliseconds = int(settings.PUBLIC_STATEMENT_TIMEOUT_MS)
            if public and milliseconds > 0:
                seconds = milliseconds / 1000 + WATCHDOG_GRACE_SECONDS
                wrappers = [connections[alias] for alias in connections]
                watchdog = stack.enter_context(Watchdog(wrappers, seconds))
            for alias in connections:
                limit = StatementTimeout(public, watchdog)
                stack.enter_context(connections[alias].execute_wrapper(limit))
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return unavailable(request, exception)
        return None


# The statement_timeout each driver connection's session holds, set outside a transaction
# by a request before: a kept connection (CONN_MAX_AGE) skips the round trip when the next
# request wants the same. A new connection is a new key; its entry goes with it. (Behind a
# pooler in transaction mode a session is not a connection: PgBouncer needs session mode.)
IDLE = psycopg.pq.TransactionStatus.IDLE
_SESSION_TIMEOUT: "WeakKeyDictionary[object, str]" = WeakKeyDictionary()


class StatementTimeout:
    """Before a request's first query: SET (public) or RESET (editors) statement_timeout.

    Requests that never touch the database never open a connection for it. The SET
    goes over the driver's connection directly: one short round trip that Django's
    query log does not count, so the pages' query budgets are unchanged; and none when
    the session already holds that setting from a request before.
    """

    def __init__(self, public: bool, watchdog=None):
        self.public = public
        self.watchdog = watchdog
        self.done = False

    def __call__(self, execute, sql, params, many, context):
        if self.watchdog is not None:
            self.watchdog.touch()  # each statement has the whole limit to be answered
        if not self.done:
            self.done = True
            milliseconds = int(settings.PUBLIC_STATEMENT_TIMEOUT_MS)
            statement = (
                f"SET statement_timeout = {milliseconds}"
                if self.public and milliseconds > 0
                else "RESET statement_timeout"
            )
            connection = context["connection"]
            raw = connection.connection
            if _SESSION_TIMEOUT.get(raw) != statement:
                with connection.wrap_database_errors:
                    raw.execute(statement)
                if raw.autocommit and raw.info.transaction_status == IDLE:  # it holds on
                    _SESSION_TIMEOUT[raw] = statement
                else:
                    _SESSION_TIMEOUT.pop(raw, None)  # a rollback may take it back
        return execute(sql, params, many, context)


class PublicCacheMiddleware:
    """Cache-Control for public pages (before SessionMiddleware, to see every cookie)."""

    SHAREABLE = (200, 301, 304, 404, 410)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response or request.method not in ("GET", "HEAD"):
            return response
        if request.path_info.startswith("/" + settings.ADMIN_URL_PREFIX):
            return response  # the admin sends its own never-cache headers
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            add_never_cache_headers(response)
        elif (
            response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.status_code not in self.SHAREABLE
        ):
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PUBLIC_CACHE_SECONDS
            )
        # The page depends on the language (cookie or Accept-Language) and on who asks.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response


class ParameterBoundsMiddleware:
    """A 400 for a public query string past the bounds above (after LocaleMiddleware, so
    the page is in the visitor's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/" + settings.ADMIN_URL_PREFIX):
            problem = parameter_problem(request.GET)
            if problem:
                return bad_request(request, problem)
        return self.get_response(request)


def parameter_problem(params) -> str:
    """Why a query string is refused, in the active language; "" when it is within bounds."""
    total = 0
    for name, values in params.lists():
        total += len(values)
        if len(values) > MAX_VALUES_PER_PARAMETER:
            return _("“%(name)s” is given %(count)s times; at most %(limit)s values are taken.") % {
                "name": name[:40],
                "count": len(values),
                "limit": MAX_VALUES_PER_PARAMETER,
            }
        if any(len(value) > MAX_VALUE_LENGTH for value in values):
            return _("A value of “%(name)s” is longer than %(limit)s characters.") % {
                "name": name[:40],
                "limit": MAX_VALUE_LENGTH,
            }
    if total > MAX_VALUES_TOTAL:
        return _("The address has %(count)s parameters; at most %(limit)s are taken.") % {
            "count": total,
            "limit": MAX_VALUES_TOTAL,
        }
    return ""


class Watchdog:
    """When `seconds` pass with no new statement sent (since the request began or its last
    statement), shut down the sockets of `wrappers` (this request's connections) and
    refuse new ones until the request ends: a query waiting on a frozen server then fails
    with an OperationalError, which becomes the 503 page. A request of many quick
    statements may take longer in all; one that waits on one answer may not.

    One thread per worker process watches every request's watchdog (`_Monitor`): a
    thread started per request cost more than the floor view's own work. The refusal
    is an attribute on the request's own connection objects, taken away again when the
    request ends.
    """

    def __init__(self, wrappers, seconds: float):
        self.wrappers = wrappers
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.finished = False
        self.fired = False

    def __enter__(self):
        _monitor.watch(self)
        return self

    def __exit__(self, *exc):
        with self.lock:
            self.finished = True
        _monitor.forget(self)
        if self.fired:
            for wrapper in self.wrappers:
                wrapper.__dict__.pop("get_new_connection", None)
        return False

    def touch(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def expire(self):
        with self.lock:
            if self.finished:
                return
            self.fired = True
            for wrapper in self.wrappers:
                wrapper.get_new_connection = _refuse_connection
                _shut_down(wrapper.connection)


class _Monitor:
    """The thread of a worker process that expires the watchdogs whose deadline passed.

    It sleeps until the earliest deadline (a request's statement moves its deadline on,
    so it may wake early and sleep again), or IDLE_SECONDS with nothing to watch. A new
    watchdog wakes it only when its deadline comes before that wake-up: with a limit of
    seconds, never. Started in the process that first needs it (a forked worker starts
    its own).
    """

    IDLE_SECONDS = 1.0

    def __init__(self):
        self.pid = None
        self.starting = threading.Lock()

    def _started(self) -> None:
        if self.pid == os.getpid():
            return
        with self.starting:
            if self.pid == os.getpid():
                return
            self.condition = threading.Condition(threading.Lock())
            self.watched: set[Watchdog] = set()
            self.wake_at = 0.0
            threading.Thread(target=self.run, daemon=True, name="database-watchdog").start()
            self.pid = os.getpid()

    def watch(self, watchdog: Watchdog) -> None:
        self._started()
        with self.condition:
            self.watched.add(watchdog)
            if watchdog.deadline < self.wake_at:
                self.condition.notify()

    def forget(self, watchdog: Watchdog) -> None:
        with self.condition:
            self.watched.discard(watchdog)

    def run(self) -> None:
        with self.condition:
            while True:
                now = time.monotonic()
                for watchdog in [w for w in self.watched if w.deadline <= now]:
                    self.watched.discard(watchdog)
                    try:
                        watchdog.expire()
                    except Exception:  # the thread must go on watching the other requests
                        logger.exception("the database watchdog could not cut a request off")
                self.wake_at = min(
                    (w.deadline for w in self.watched), default=now + self.IDLE_SECONDS
                )
                self.condition.wait(max(0.0, self.wake_at - now))


_monitor = _Monitor()


def _refuse_connection(conn_params):
    raise psycopg.OperationalError("the database did not answer in time")


def _shut_down(raw) -> None:
    """Shut down a psycopg connection's socket from another thread: its wait ends."""
    try:
        fd = raw.pgconn.socket if raw is not None else -1
    except psycopg.Error:  # closed: nothing to cut off
        return
    if fd < 0:
        return
    try:
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


def bad_request(request, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(render_to_string("400.html", {"reason": message}), status=400)


def unavailable(request, error) -> HttpResponse:
    """503 for a database that did not answer; the details go to the log only."""
    logger.error(
        "database unavailable: %s",
        str(error).splitlines()[0] if str(error) else error.__class__.__name__,
        exc_info=error,
        extra={"request": request, "status_code": 503},
    )
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"error": "the catalogue is briefly unavailable; try again shortly"}, status=503
        )
    else:
        # The database may have failed before LocaleMiddleware ran: choose the language here.
        with translation.override(translation.get_language_from_request(request)):
            response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
