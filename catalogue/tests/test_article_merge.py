"""Merging a duplicate article into the one kept: what moves, the redirect, the tombstone,
and what a harvester (Sickle) is told afterwards."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from sickle import Sickle

from catalogue.models import (
    Article,
    ArticleSource,
    ErrorReport,
    OaiTombstone,
    RecordDatestamp,
    SourceDocument,
)

from .factories import add_author, add_reference, make_article, make_author, make_full_article
from .test_editorial_people import merge_through_admin

pytestmark = pytest.mark.django_db


def add_source(article, name):
    document = SourceDocument.objects.create(
        file_name=name, sha256=name.encode().hex().ljust(64, "0"), size=1, parser_version="1"
    )
    return ArticleSource.objects.create(article=article, document=document)


@pytest.fixture
def duplicates():
    kept = make_full_article()
    lost = make_article(
        kept.issue,
        position=2,
        title_en=kept.title_en,
        title_kk="Шағын мемлекеттердің жұмсақ күші",
        accepted="2025-03-01",
        doi=None,
    )
    add_author(lost, make_author("Someone E."), name_en="Someone E.")
    add_reference(lost, "A reference only the duplicate has.")
    add_source(kept, "issue-60.pdf")
    add_source(lost, "issue-60-reprint.pdf")
    ErrorReport.objects.create(article=lost, message="This is a duplicate.")
    return kept, lost


def test_a_merge_moves_sources_and_fills_what_the_kept_article_lacks(editor_client, duplicates):
    kept, lost = duplicates
    authors_before = list(kept.authorships.values_list("author_id", flat=True))
    response, preview = merge_through_admin(editor_client, "article", [kept, lost], kept)
    assert preview.context["suggested_keep"] == kept.pk
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalogue_article_change", args=[kept.pk])
    assert not Article.objects.filter(pk=lost.pk).exists()
    kept.refresh_from_db()
    assert kept.title_kk == "Шағын мемлекеттердің жұмсақ күші"
    assert str(kept.accepted) == "2025-03-01"
    assert {"title_kk", "accepted"} <= set(kept.edited_fields)
    # It had authors and references of its own: those stay as they were.
    assert list(kept.authorships.values_list("author_id", flat=True)) == authors_before
    assert kept.references.count() == 2
    assert sorted(kept.sources.values_list("document__file_name", flat=True)) == [
        "issue-60-reprint.pdf",
        "issue-60.pdf",
    ]
    assert kept.error_reports.count() == 1
    tombstone = OaiTombstone.objects.get(article_id=lost.pk)
    assert tombstone.merged_into == kept.pk
    assert LogEntry.objects.filter(
        object_id=str(kept.pk), change_message__contains="Merged"
    ).exists()


def test_the_lost_articles_address_redirects_for_good_to_the_kept_one(
    client, editor_client, duplicates
):
    kept, lost = duplicates
    merge_through_admin(editor_client, "article", [kept, lost], kept)
    response = client.get(reverse("catalogue:article_detail", args=[lost.pk]) + "?x=1")
    assert response.status_code == 301
    assert response["Location"] == reverse("catalogue:article_detail", args=[kept.pk]) + "?x=1"
    assert client.get(response["Location"]).status_code == 200


def test_a_merge_into_an_article_later_merged_again_leads_to_the_last_one(editor_client):
    withdrawn = make_article(title_en="Withdrawn")
    withdrawn_pk = withdrawn.pk
    withdrawn.delete()
    first, second, third = (make_article(title_en=f"Same {n}") for n in range(3))
    merge_through_admin(editor_client, "article", [first, second], second)
    merge_through_admin(editor_client, "article", [second, third], third)
    merged = dict(OaiTombstone.objects.values_list("article_id", "merged_into"))
    # A plain deletion stays a plain deletion.
    assert merged == {withdrawn_pk: None, first.pk: third.pk, second.pk: third.pk}


def test_articles_with_different_dois_are_not_merged(editor_client):
    one = make_article(doi="10.48371/ISMO.2025.60.2.001")
    other = make_article(doi="10.48371/ISMO.2025.60.2.002")
    response, preview = merge_through_admin(editor_client, "article", [one, other], one)
    assert response.status_code == 200
    assert "different DOIs" in response.content.decode()
    assert Article.objects.filter(pk__in=[one.pk, other.pk]).count() == 2
    assert not OaiTombstone.objects.exists()


def test_the_kept_article_takes_the_duplicates_doi_when_it_has_none(editor_client):
    kept = make_article(title_en="Without a DOI")
    lost = make_article(title_en="With one", doi="10.48371/ISMO.2025.60.2.009")
    merge_through_admin(editor_client, "article", [kept, lost], kept)
    kept.refresh_from_db()
    assert kept.doi == "10.48371/ISMO.2025.60.2.009"


@pytest.mark.django_db(transaction=True)
def test_a_harvest_reports_the_lost_identifier_deleted_and_the_kept_one_changed(
    live_server, settings, monkeypatch, editor
):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    settings.OAI_REPOSITORY_IDENTIFIER = "catalogue.example.org"
    kept = make_full_article()
    lost = make_article(kept.issue, position=2, title_en=kept.title_en, doi=None)
    untouched = make_article(kept.issue, position=3, title_en="Another article")
    # Every record was last changed an hour ago; the merge is the only change since.
    before = timezone.now() - timedelta(hours=1)
    RecordDatestamp.objects.update(changed=before)
    client = Client()
    client.force_login(editor)
    merge_through_admin(client, "article", [kept, lost], kept)

    assert RecordDatestamp.objects.get(article=kept).changed > before
    since = OaiTombstone.objects.get(article_id=lost.pk).deleted.strftime("%Y-%m-%dT%H:%M:%SZ")
    sickle = Sickle(f"{live_server.url}/oai")
    for prefix in ("oai_dc", "oai_openaire", "marc21"):
        headers = list(
            sickle.ListIdentifiers(metadataPrefix=prefix, ignore_deleted=False, **{"from": since})
        )
        reported = {h.identifier.rsplit("/", 1)[1]: h.deleted for h in headers}
        assert reported == {str(kept.pk): False, str(lost.pk): True}, prefix
    assert str(untouched.pk) not in reported
    record = sickle.GetRecord(
        identifier=f"oai:catalogue.example.org:article/{lost.pk}", metadataPrefix="oai_dc"
    )
    assert record.deleted
