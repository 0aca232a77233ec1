"""An inferred DOI is a guess: shown as one, and sent nowhere until an editor confirms it."""

import json

import pytest
from django.urls import reverse
from lxml import etree

from catalogue import citations, editorial
from catalogue.interop.crossref import deposit
from catalogue.interop.jats import jats_article
from catalogue.models import Article, IngestWarning

from .factories import make_full_article

pytestmark = pytest.mark.django_db

DOI = "10.48371/ISMO.2025.60.2.001"


@pytest.fixture
def guessed():
    article = make_full_article(doi=DOI, doi_inferred=True)
    IngestWarning.objects.create(
        article=article, kind=IngestWarning.Kind.INFERRED_DOI, field="doi", message="inferred"
    )
    return Article.objects.with_details().get(pk=article.pk)


def article_page(client, article):
    return client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()


def outputs(article):
    """Every place a DOI could leave the catalogue for one article, as text."""
    return {
        "bibtex": citations.bibtex(article),
        "ris": citations.ris(article),
        "csl-json": citations.csl_json_text(article),
        "gost": citations.gost(article),
        "apa": citations.apa(article),
        "meta": json.dumps(citations.meta_tags(article, "https://example.org/a/1/")),
        "json-ld": citations.json_ld(article, "https://example.org/a/1/"),
        "jats": etree.tostring(jats_article(article), encoding="unicode"),
    }


def test_an_inferred_doi_is_shown_as_unconfirmed_and_not_linked(client, guessed):
    html = article_page(client, guessed)
    assert DOI in html and "inferred, not yet confirmed" in html
    assert f"https://doi.org/{DOI}" not in html
    assert "citation_doi" not in html
    assert "info%3Adoi" not in html  # COinS


def test_an_inferred_doi_is_left_out_of_every_citation_and_export(guessed):
    for name, text in outputs(guessed).items():
        assert DOI not in text, name


def test_an_inferred_doi_is_not_harvested(client, guessed):
    response = client.get(
        "/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": _oai_id(client)}
    )
    assert response.status_code == 200 and b"<dc:title" in response.content
    assert DOI.encode() not in response.content


def test_a_crossref_deposit_leaves_out_an_article_whose_doi_is_a_guess(guessed):
    _root, skipped = deposit(
        guessed.issue,
        [guessed],
        base_url="https://example.org",
        depositor="Editor",
        email="editor@example.org",
    )
    assert skipped == [guessed]


def test_a_confirmed_doi_goes_out_everywhere(client, guessed):
    editorial.confirm_doi(guessed)
    article = Article.objects.with_details().get(pk=guessed.pk)
    assert f"https://doi.org/{DOI}" in article_page(client, article)
    for name, text in outputs(article).items():
        assert DOI in text, name


def test_the_review_queue_confirms_one_doi_in_one_click(editor_client, guessed):
    queue = editor_client.get(reverse("admin:review_queue")).content.decode()
    assert f"Confirm DOI {DOI}" in queue
    response = editor_client.post(reverse("admin:confirm_dois"), {"article": guessed.pk})
    assert response.status_code == 302 and response["Location"] == reverse("admin:review_queue")
    guessed.refresh_from_db()
    assert guessed.doi_inferred is False
    assert not guessed.warnings.open().filter(kind=IngestWarning.Kind.INFERRED_DOI).exists()


def test_the_review_queue_confirms_every_inferred_doi_of_an_issue(editor_client, guessed):
    other = Article.objects.create(
        issue=guessed.issue, position=2, title_en="Second", doi=DOI[:-1] + "2", doi_inferred=True
    )
    queue = editor_client.get(reverse("admin:review_queue"), {"issue": guessed.issue_id})
    assert "Confirm all 2 inferred DOIs of this issue" in queue.content.decode()
    editor_client.post(
        reverse("admin:confirm_dois"),
        {"issue": guessed.issue_id, "issue_filter": guessed.issue_id},
    )
    assert not Article.objects.filter(pk__in=[guessed.pk, other.pk], doi_inferred=True).exists()


def test_confirming_dois_needs_a_post(editor_client, guessed):
    assert editor_client.get(reverse("admin:confirm_dois")).status_code == 405


def _oai_id(client):
    listing = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(listing.content)
    return root.findtext(".//{http://www.openarchives.org/OAI/2.0/}identifier")
