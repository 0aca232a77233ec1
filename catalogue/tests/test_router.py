"""The read-replica router: public reads from "replica", writes and the admin on default.

The replica here is a second alias for the test database on the same server,
added for the duration of a test; pytest-django's per-test database guard
forbids opening it, so the tests check where the router sends each read.
"""

import pytest
from django.db import connections, router
from django.test import RequestFactory, override_settings

from catalogue.models import Article, Journal
from catalogue.routers import ReplicaRouter, is_public_read, reading_from_replica, replica_reads

ROUTED = override_settings(DATABASE_ROUTERS=["catalogue.routers.ReplicaRouter"])


@pytest.fixture
def replica(transactional_db):
    """A second connection ("replica") to the test database, on the same server."""
    connections.settings["replica"] = dict(connections["default"].settings_dict)
    yield "replica"
    if "replica" in connections:
        connections["replica"].close()
        del connections["replica"]
    del connections.settings["replica"]


def test_router_reads_from_the_replica_only_inside_a_public_read(monkeypatch):
    routes = ReplicaRouter()
    monkeypatch.setattr("catalogue.routers.replica_configured", lambda: True)
    assert routes.db_for_read(Article) == "default"
    with reading_from_replica():
        assert routes.db_for_read(Article) == "replica"
    assert routes.db_for_read(Article) == "default"


def test_router_sends_every_write_to_default(monkeypatch):
    routes = ReplicaRouter()
    monkeypatch.setattr("catalogue.routers.replica_configured", lambda: True)
    with reading_from_replica():
        assert routes.db_for_write(Article) == "default"
    assert routes.allow_migrate("replica", "catalogue") is False
    assert routes.allow_migrate("default", "catalogue") is True


def test_only_public_get_and_head_requests_use_the_replica():
    factory = RequestFactory()
    assert is_public_read(factory.get("/en/articles/"))
    assert is_public_read(factory.head("/en/authors/"))
    assert not is_public_read(factory.post("/en/articles/1/report/"))
    assert not is_public_read(factory.get("/admin/catalogue/article/"))


@ROUTED
def test_public_get_reads_through_the_replica_alias_and_saves_go_to_default(replica, monkeypatch):
    monkeypatch.setattr("catalogue.routers.replica_answers", lambda: True)
    seen = {}

    def view(request):
        seen["read"] = ReplicaRouter().db_for_read(Journal)
        journal = Journal.objects.using("default").get(pk=created.pk)
        journal.publisher = "Changed"
        journal.save()
        seen["write"] = router.db_for_write(Journal, instance=journal)
        return None

    created = Journal.objects.create(title_en="Routed")
    replica_reads(view)(RequestFactory().get("/en/articles/"))
    assert seen == {"read": "replica", "write": "default"}
    assert Journal.objects.using("default").get(pk=created.pk).publisher == "Changed"


@ROUTED
def test_admin_requests_read_from_default(replica):
    seen = {}

    def view(request):
        seen["read"] = Journal.objects.get(pk=created.pk)._state.db
        seen["routed"] = ReplicaRouter().db_for_read(Journal)

    created = Journal.objects.create(title_en="Admin")
    replica_reads(view)(RequestFactory().get("/admin/catalogue/journal/"))
    assert seen == {"read": "default", "routed": "default"}


@ROUTED
def test_raw_sql_of_public_pages_follows_the_router_to_the_replica(replica):
    """Facet counts, author summaries and the trigram threshold run on the read alias.

    pytest-django refuses queries to the replica alias, and its refusal names the
    alias: proof that these raw statements went there rather than to default.
    """
    from catalogue.facets import count_all
    from catalogue.models import Author
    from catalogue.search import trigram_thresholds

    with reading_from_replica():
        with pytest.raises(Exception, match="replica"):
            count_all(["year"], keyword_limit=None)
        with pytest.raises(Exception, match="replica"):
            Author.objects.filter(pk=1).summaries()
        with pytest.raises(Exception, match="replica"), trigram_thresholds(0.5):
            pass
    count_all(["year"], keyword_limit=None)  # outside a public read: default, allowed
