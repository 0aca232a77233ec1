"""The browse index and facet counts stay exact through every kind of write.

The triggers of migration 0005 keep BrowseEntry and FacetCount in step with
articles, issues and keywords. Each test changes the catalogue the way
ingestion, an editor or a merge would and compares FacetCount with counts
taken straight from the articles.
"""

from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from catalogue.ingest.bulk import allocate_ids, copy_rows
from catalogue.models import (
    Article,
    ArticleKeyword,
    BrowseEntry,
    FacetCount,
    Keyword,
    KeywordConcept,
)

from .factories import add_keyword, make_article, make_issue, make_section, make_series

pytestmark = pytest.mark.django_db


def live_counts() -> Counter:
    """(facet, value) -> articles, counted from the articles themselves."""
    counts = Counter()
    for article in Article.objects.select_related("issue").prefetch_related(
        "article_keywords__keyword"
    ):
        counts["total", ""] += 1
        counts["series", str(article.issue.series_id)] += 1
        counts["year", str(article.issue.year)] += 1
        counts["issue", str(article.issue_id)] += 1
        if article.language:
            counts["language", article.language] += 1
        if article.section_id:
            counts["section", str(article.section_id)] += 1
        for concept in {ak.keyword.concept_id for ak in article.article_keywords.all()}:
            counts["keyword", str(concept)] += 1
        prefixes = set()
        for code in article.irsti:
            parts = code.split(".")
            prefixes.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        for prefix in prefixes:
            counts["irsti", prefix] += 1
    return counts


def stored_counts() -> Counter:
    return Counter(
        {(row.facet, row.value): row.count for row in FacetCount.objects.filter(count__gt=0)}
    )


@pytest.fixture
def two_issues():
    series = make_series()
    return make_issue(series, year=2023, number="1"), make_issue(series, year=2024, number="1")


def test_a_new_article_gets_an_entry_and_is_counted(two_issues):
    older, _ = two_issues
    article = make_article(older, language="ru", irsti=["11.25.91"])
    add_keyword(article, "soft power")
    entry = BrowseEntry.objects.get(article=article)
    assert (entry.year, entry.series_id, entry.language) == (2023, older.series_id, "ru")
    assert entry.irsti == ["11", "11.25", "11.25.91"]
    assert len(entry.concepts) == 1
    assert stored_counts() == live_counts()


def test_an_editors_changes_move_the_counts(two_issues):
    older, newer = two_issues
    article = make_article(older, language="ru")
    make_article(older, language="en", position=2)
    article.language = "kk"
    article.issue = newer
    article.section = make_section(older.series.journal)
    article.save()
    assert stored_counts() == live_counts()
    assert stored_counts()["year", "2024"] == 1


def test_moving_an_issue_to_another_year_moves_its_articles(two_issues):
    older, _ = two_issues
    make_article(older)
    make_article(older, position=2)
    older.year = 2020
    older.save()
    assert set(BrowseEntry.objects.values_list("year", flat=True)) == {2020}
    assert stored_counts() == live_counts()


def test_keyword_changes_and_concept_merges_reach_the_keyword_counts(two_issues):
    older, _ = two_issues
    first, second = make_article(older), make_article(older, position=2)
    power = add_keyword(first, "soft power")
    add_keyword(second, "мягкая сила", "ru")
    add_keyword(first, "security")
    # An editor merges the Russian wording into the English keyword's concept.
    russian = Keyword.objects.get(text="мягкая сила")
    russian.concept = power.keyword.concept
    russian.save()
    assert stored_counts()["keyword", str(power.keyword.concept_id)] == 2
    ArticleKeyword.objects.filter(article=first, keyword__text="security").delete()
    assert stored_counts() == live_counts()


def test_deleting_articles_removes_their_entries_and_counts(two_issues):
    older, newer = two_issues
    keep = make_article(newer)
    gone = make_article(older, irsti=["12.00"])
    add_keyword(gone, "security")
    gone.delete()
    assert list(BrowseEntry.objects.values_list("article_id", flat=True)) == [keep.pk]
    assert stored_counts() == live_counts()
    older.delete()
    assert stored_counts() == live_counts()


def test_rows_written_with_copy_are_indexed_and_counted(two_issues):
    """Bulk loads (the export import, synth) write with COPY and bypass the ORM."""
    older, newer = two_issues
    ids = allocate_ids(Article, 3)
    columns = ["id", "issue_id", "position", "doi_inferred", "language", "irsti", "udc"]
    columns += ["title_en", "title_kk", "title_ru", "abstract_en", "abstract_kk", "abstract_ru"]
    columns += ["edited_fields", "created", "updated"]
    now = timezone.now()
    copy_rows(
        Article,
        columns,
        [
            (pk, (older if i else newer).pk, i + 1, False, "en", ["11.25"], [])
            + (f"Copied {i}", "", "", "", "", "", [], now, now)
            for i, pk in enumerate(ids)
        ],
    )
    concept = KeywordConcept.objects.create()
    keyword = Keyword.objects.create(language="en", text="energy", concept=concept)
    copy_rows(
        ArticleKeyword,
        ["id", "article_id", "keyword_id", "position"],
        [
            (k, pk, keyword.pk, 1)
            for k, pk in zip(allocate_ids(ArticleKeyword, 3), ids, strict=True)
        ],
    )
    assert BrowseEntry.objects.count() == 3
    assert stored_counts() == live_counts()
    assert stored_counts()["keyword", str(concept.pk)] == 3


def test_saving_an_unchanged_article_writes_no_entry(two_issues):
    article = make_article(two_issues[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            ["catalogue_browseentry"],
        )
        before = cursor.fetchone()[0]
        article.save()
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            ["catalogue_browseentry"],
        )
        assert cursor.fetchone()[0] == before
