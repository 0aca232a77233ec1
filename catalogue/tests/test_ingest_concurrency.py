"""Two ingests of one document at once must not create anything twice."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from catalogue.models import Article, Author, Keyword

ISSUE_004 = "004_5cc4925e9724fd50.txt"


# The flush after this test empties the Editors group too; tests/editors.py restores it.
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ingests_of_one_document_create_no_duplicates(seeds):
    errors = []
    start = threading.Barrier(2)

    def ingest():
        try:
            start.wait()
            call_command("ingest", str(seeds / ISSUE_004), verbosity=0)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Article.objects.count() == 20
    assert Article.objects.values("doi").distinct().count() == 20
    people = Author.objects.count()
    call_command("ingest", str(seeds / ISSUE_004), verbosity=0)
    assert Author.objects.count() == people
    assert (
        Keyword.objects.values("language", "normalized").distinct().count()
        == Keyword.objects.count()
    )
