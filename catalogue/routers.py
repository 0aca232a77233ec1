"""Read replicas: public GET pages read from the "replica" database when there is one.

settings.py defines the "replica" alias when DATABASE_REPLICA_URL is set (a streaming
standby of default: scripts/replica starts one), adds this router to DATABASE_ROUTERS
and `replica_reads` to the middleware. A request is served from the replica only when
it is a GET or HEAD outside the admin, from someone not logged in, who has not just
written (read-your-writes): a POST, PUT, PATCH or DELETE leaves a cookie that sends
that browser's reads to the primary for REPLICA_PIN_SECONDS, the time the standby may
lag. Everything else (the admin, editors on the public pages, ingestion, management
commands) reads and writes the primary ("default"), so an editor always sees what
they just saved. Replication lag only ever shows on anonymous public pages.

A replica that does not answer is left alone for REPLICA_RETRY_SECONDS and its
requests go to the primary: the site keeps answering when the standby stops.
"""

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger("catalogue.requests")

REPLICA = "replica"
# Set on a response to a write: that browser reads from the primary while it lasts.
PIN_COOKIE = "read_primary"
_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)
_replica_down_until = 0.0  # per process: a standby that failed is not tried again before


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_from_replica():
    """Within this block, model reads go to the replica (when one is configured)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def is_public_read(request) -> bool:
    admin_prefix = "/" + settings.ADMIN_URL_PREFIX
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(admin_prefix)


def reads_from_replica(request) -> bool:
    """A public read by someone not logged in who has not just written, with a replica
    that answers."""
    if not (is_public_read(request) and replica_configured()):
        return False
    if PIN_COOKIE in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return replica_answers()


def replica_answers() -> bool:
    """Whether the replica can be read now; a failure keeps it aside for a while."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        # Checks a kept connection (CONN_HEALTH_CHECKS) or opens one (connect_timeout).
        replica.cursor().close()
    except DatabaseError as problem:
        _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning("replica unavailable, reading from the primary: %s", problem)
        replica.close()
        return False
    return True


def replica_reads(get_response):
    """Middleware (after AuthenticationMiddleware): serve public reads from the replica,
    and pin a browser that writes to the primary."""

    def middleware(request):
        if reads_from_replica(request):
            with reading_from_replica():
                return get_response(request)
        response = get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return middleware


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == "django_cache":
            return "default"  # the rate limits' counters: always the current count
        if _use_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of default: objects from both may relate

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # replication brings the schema
