"""Read replicas: public GET pages read from the "replica" database when there is one.

settings.py defines the "replica" alias when DATABASE_REPLICA_URL is set, adds
this router to DATABASE_ROUTERS and `replica_reads` to the middleware. A
request is served from the replica only when it is a GET or HEAD outside the
admin; everything else (POSTs, the admin, ingestion, management commands)
reads and writes the primary ("default"), so an editor always sees what they
just saved. Replication lag only ever shows on anonymous public pages.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


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


def replica_reads(get_response):
    """Middleware: serve public GET and HEAD requests from the replica."""

    def middleware(request):
        if is_public_read(request) and replica_configured():
            with reading_from_replica():
                return get_response(request)
        return get_response(request)

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
