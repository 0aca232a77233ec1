"""A real OAI-PMH client (Sickle) harvests the provider over HTTP, deleted records included."""

import pytest
from sickle import Sickle

from .factories import make_article, make_full_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def endpoint(live_server, settings, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings.OAI_REPOSITORY_IDENTIFIER = "catalogue.example.org"
    return f"{live_server.url}/oai"


def test_sickle_harvests_records_and_a_deleted_article(endpoint):
    kept = make_full_article(title_kk="Шағын мемлекеттердің жұмсақ күші")
    gone = make_article(kept.issue, position=2, title_en="Withdrawn article")
    series = kept.issue.series
    gone_pk = gone.pk
    gone.delete()

    sickle = Sickle(endpoint)
    assert sickle.Identify().deletedRecord == "persistent"

    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    by_id = {record.header.identifier: record for record in records}
    assert set(by_id) == {
        f"oai:catalogue.example.org:article/{kept.pk}",
        f"oai:catalogue.example.org:article/{gone_pk}",
    }
    deleted = by_id[f"oai:catalogue.example.org:article/{gone_pk}"]
    assert deleted.deleted and deleted.header.deleted
    assert deleted.header.setSpecs == [
        f"journal:{series.journal_id}",
        f"journal:{series.journal_id}:series:{series.pk}",
    ]
    live = by_id[f"oai:catalogue.example.org:article/{kept.pk}"]
    assert not live.deleted
    assert "Шағын мемлекеттердің жұмсақ күші" in live.metadata["title"]

    # A harvester that skips deleted records gets only the live one.
    skipping = sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True)
    assert [r.header.identifier for r in skipping] == [
        f"oai:catalogue.example.org:article/{kept.pk}"
    ]
    headers = list(sickle.ListIdentifiers(metadataPrefix="jats", ignore_deleted=False))
    assert [h.deleted for h in headers] == [False, True]
    record = sickle.GetRecord(
        identifier=f"oai:catalogue.example.org:article/{gone_pk}", metadataPrefix="jats"
    )
    assert record.deleted
