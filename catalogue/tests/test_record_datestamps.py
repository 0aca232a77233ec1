"""OAI-PMH datestamps and sitemap lastmod change whenever anything a record shows changes.

Each test sets every datestamp back to 2020, changes one thing, and harvests with
from=2021-01-01: exactly the articles whose records show the changed thing come back.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.urls import reverse
from lxml import etree

from catalogue.models import Article, Author, Organisation, RecordDatestamp
from catalogue.pgcopy import allocate_ids, copy_rows

from .factories import (
    add_author,
    add_keyword,
    add_reference,
    make_article,
    make_author,
    make_issue,
    make_organisation,
)
from .test_oai import NS, error_codes, harvest

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def catalogue():
    """Two issues of one series; an author on two articles; an organisation on one."""
    first = make_issue(year=2024, number="1")
    second = make_issue(first.series, year=2024, number="2")
    shared = make_author("Zhumatay G.")
    other = make_author("Baissultanova K.Ch.")
    university = make_organisation("Narxoz University")
    a = make_article(first, position=1, title_en="Soft power")
    b = make_article(first, position=2, title_en="Water diplomacy")
    c = make_article(second, position=1, title_en="Regional security")
    add_author(a, shared, affiliations=[university], name_en="Zhumatay G.")
    add_author(c, shared, name_en="Zhumatay G.")
    add_author(b, other, name_en="Baissultanova K.Ch.")
    add_keyword(b, "water")
    return {"a": a, "b": b, "c": c, "shared": shared, "university": university, "first": first}


def set_back():
    RecordDatestamp.objects.update(changed=LONG_AGO)


def changed_since(client, verb="ListIdentifiers") -> list[int]:
    doc = harvest(client, verb=verb, metadataPrefix="oai_dc", **{"from": "2021-01-01"})
    if error_codes(doc) == ["noRecordsMatch"]:
        return []
    identifiers = doc.xpath("//o:header/o:identifier/text()", namespaces=NS)
    return sorted(int(identifier.rsplit("/", 1)[1]) for identifier in identifiers)


def test_every_article_gets_a_datestamp_with_it(catalogue):
    assert RecordDatestamp.objects.count() == Article.objects.count() == 3
    article = catalogue["a"]
    assert article.datestamp.changed >= article.updated


def test_an_authors_orcid_changes_the_datestamps_of_their_articles(client, catalogue):
    set_back()
    assert changed_since(client) == []
    author = Author.objects.get(pk=catalogue["shared"].pk)
    author.orcid = "0000-0002-1825-0097"
    author.save()
    expected = sorted([catalogue["a"].pk, catalogue["c"].pk])
    assert changed_since(client) == expected
    assert changed_since(client, "ListRecords") == expected
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-01-01")
    stamps = doc.xpath("//o:header/o:datestamp/text()", namespaces=NS)
    assert stamps == ["2020-01-01T00:00:00Z"]  # the other article kept its datestamp


def test_an_organisation_rename_changes_the_datestamps_of_its_authors_articles(client, catalogue):
    set_back()
    Organisation.objects.filter(pk=catalogue["university"].pk).update(
        name_en="Narxoz University of Economics"
    )
    assert changed_since(client) == [catalogue["a"].pk]


def test_an_issue_change_changes_the_datestamps_of_its_articles(client, catalogue):
    set_back()
    issue = catalogue["first"]
    issue.published = datetime(2024, 3, 1).date()
    issue.save()
    assert changed_since(client) == sorted([catalogue["a"].pk, catalogue["b"].pk])


def test_the_journal_series_keyword_and_article_parts_change_datestamps(client, catalogue):
    journal = catalogue["first"].series.journal
    set_back()
    journal.publisher = "Ablai Khan University"
    journal.save()
    assert len(changed_since(client)) == 3
    set_back()
    keyword = catalogue["b"].article_keywords.get().keyword
    keyword.text = "Water"
    keyword.save()
    assert changed_since(client) == [catalogue["b"].pk]
    set_back()
    add_reference(catalogue["c"], "Nye J. Soft power. 2004.")
    assert changed_since(client) == [catalogue["c"].pk]
    set_back()
    catalogue["a"].authorships.get().affiliation_links.all().delete()
    assert changed_since(client) == [catalogue["a"].pk]
    set_back()
    Article.objects.filter(pk=catalogue["b"].pk).update(title_en="Water diplomacy revisited")
    assert changed_since(client) == [catalogue["b"].pk]


def test_a_save_that_changes_nothing_keeps_the_datestamps(client, catalogue):
    set_back()
    Author.objects.get(pk=catalogue["shared"].pk).save()
    catalogue["first"].save()
    catalogue["university"].save()
    assert changed_since(client) == []


def test_deleting_an_article_takes_its_datestamp_and_parts_with_it(catalogue):
    catalogue["a"].delete()
    catalogue["first"].series.journal.delete()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would check
    assert not RecordDatestamp.objects.exists() and not Article.objects.exists()


def test_rows_written_with_copy_get_datestamps(catalogue):
    (pk,) = allocate_ids(Article, 1)
    now = datetime.now(UTC)
    copy_rows(
        Article,
        ["id", "issue_id", "doi_inferred", "language", "irsti", "udc", "title_en"]
        + ["title_kk", "title_ru", "abstract_en", "abstract_kk", "abstract_ru"]
        + ["edited_fields", "created", "updated"],
        [(pk, catalogue["first"].pk, False, "en", [], [], "Copied", "", "", "", "", "", [])
         + (now, now)],
    )  # fmt: skip
    assert RecordDatestamp.objects.get(article_id=pk).changed == now


def test_the_sitemap_gives_the_record_datestamp(client, catalogue):
    set_back()
    author = Author.objects.get(pk=catalogue["shared"].pk)
    author.email = "g.zhumatay@example.kz"
    author.save()
    response = client.get(reverse("interop:sitemap_section", args=["articles"]))
    root = etree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {
        int(url.findtext("s:loc", namespaces=ns).rstrip("/").rsplit("/", 1)[1]): url.findtext(
            "s:lastmod", namespaces=ns
        )
        for url in root.findall("s:url", ns)
    }
    assert lastmod[catalogue["b"].pk].startswith("2020-01-01")
    assert not lastmod[catalogue["a"].pk].startswith("2020")
