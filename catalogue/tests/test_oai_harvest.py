"""A real OAI-PMH client (Sickle) harvests the provider over HTTP, deleted records included."""

import pytest
from sickle import Sickle

from catalogue.oai import FORMATS

from .factories import make_article, make_full_article
from .test_oai import assert_valid

pytestmark = pytest.mark.django_db(transaction=True)

ROOTS = {"oai_dc": "}dc", "jats": "}article", "oai_openaire": "}resource", "marc21": "}record"}


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


@pytest.mark.parametrize("prefix", list(FORMATS))
def test_sickle_harvests_every_metadata_format_and_each_response_validates(endpoint, prefix):
    kept = make_full_article(title_kk="Шағын мемлекеттердің жұмсақ күші")
    make_article(kept.issue, position=2, title_ru="Вторая статья")
    make_article(kept.issue, position=3, title_en="Withdrawn article").delete()

    sickle = Sickle(endpoint)
    listed = sickle.ListMetadataFormats()
    assert prefix in [item.metadataPrefix for item in listed]
    records = list(sickle.ListRecords(metadataPrefix=prefix, ignore_deleted=False))
    assert [record.deleted for record in records] == [False, False, True]
    for record in records:
        # Each record as the harvester received it, back inside its response, validates.
        assert_valid(record.xml.getroottree().getroot())
    assert records[0].xml.find(".//{*}metadata")[0].tag.endswith(ROOTS[prefix])
