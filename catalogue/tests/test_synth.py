"""The synthetic catalogue: the counts asked for, names in two scripts, Zipf-like keywords,
the schema intact after the load (or a failed one), the same rows however it is made."""

import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from catalogue import synth
from catalogue.models import (
    Article,
    ArticleKeyword,
    Author,
    Authorship,
    Issue,
    KeywordConcept,
    NameVariant,
    Reference,
)

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LATIN = re.compile(r"^[A-Za-z .'-]+$")

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthesized():
    call_command("synth", articles=200, seed=3, verbosity=0)


def test_synth_creates_the_requested_number_of_articles_in_many_issues(synthesized):
    assert Article.objects.count() == 200
    assert Issue.objects.count() > 1
    years = set(Issue.objects.values_list("year", flat=True))
    assert len(years) > 1
    assert all(a.title_en and a.title_ru and a.title_kk for a in Article.objects.all()[:20])


def test_synth_gives_several_authors_per_article_on_average(synthesized):
    per_article = Counter(Authorship.objects.values_list("article_id", flat=True))
    assert len(per_article) == 200
    assert sum(per_article.values()) / 200 > 1.5


def test_synth_authors_have_latin_and_cyrillic_name_variants(synthesized):
    variants = list(NameVariant.objects.values_list("author_id", "name"))
    by_author = {}
    for author_id, name in variants:
        by_author.setdefault(author_id, []).append(name)
    for names in by_author.values():
        assert any(CYRILLIC.search(name) for name in names)
        assert any(LATIN.match(name) for name in names)


def test_synth_keyword_use_is_zipf_like(synthesized):
    uses = Counter(
        ArticleKeyword.objects.filter(keyword__language="en").values_list(
            "keyword__concept_id", flat=True
        )
    )
    ranked = [count for _, count in uses.most_common()]
    # A few concepts are very common, most are rare: the head far outweighs the median.
    assert ranked[0] >= 5 * ranked[len(ranked) // 2]
    assert ranked[0] > ranked[4] > ranked[-1]
    assert KeywordConcept.objects.count() >= len(ranked)


def test_synthesized_articles_are_searchable_and_found_by_author_name(synthesized, client):
    response = client.get("/en/articles/", {"q": "policy"})
    assert response.status_code == 200
    name = NameVariant.objects.filter(language="ru").values_list("name", flat=True).first()
    response = client.get("/api/authors", {"q": name.split()[0]})
    assert response.json()["count"] >= 1


def test_synth_refuses_a_catalogue_that_already_has_articles(synthesized):
    with pytest.raises(CommandError):
        call_command("synth", articles=10, verbosity=0)


def _schema():
    """Index and constraint definitions and trigger states of the tables synth fills."""
    tables = [model._meta.db_table for model in synth.FILLED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])",
            [tables],
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
            [tables],
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger"
            " WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal",
            [tables],
        )
        triggers = set(cursor.fetchall())
    return indexes, constraints, triggers


def test_synth_leaves_every_index_constraint_and_trigger_as_it_found_them():
    before = _schema()
    assert len(before[0]) > 30 and any("FOREIGN KEY" in c[2] for c in before[1])
    call_command("synth", articles=120, seed=5, verbosity=0)
    assert _schema() == before


def test_a_failed_synth_rolls_back_rows_and_schema_changes(monkeypatch):
    before = _schema()

    def broken(plan, articles, workers, report, say):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synth, "_load_articles", broken)
    with pytest.raises(RuntimeError):
        synth.synthesize(50, workers=0)
    assert _schema() == before
    assert not Author.objects.exists() and not Issue.objects.exists()


def _fingerprint():
    """The catalogue's content, without the ids (sequences move on between runs)."""
    return (
        list(Article.objects.order_by("id").values_list("title_en", "abstract_kk", "language")),
        list(Authorship.objects.order_by("id").values_list("position", "name_en", "name_ru")),
        list(ArticleKeyword.objects.order_by("id").values_list("position", "keyword__normalized")),
        list(Reference.objects.order_by("id").values_list("position", "text")),
        list(NameVariant.objects.order_by("id").values_list("name", "language", "kind")),
    )


class _Undo(Exception):
    pass


def test_synth_makes_the_same_catalogue_whatever_the_number_of_workers():
    fingerprints = []
    for workers in (0, 2):
        try:
            with transaction.atomic():
                synth.synthesize(300, seed=7, workers=workers)
                fingerprints.append(_fingerprint())
                raise _Undo
        except _Undo:
            pass
    assert len(fingerprints[0][0]) == 300
    assert fingerprints[0] == fingerprints[1]


def test_synth_leaves_the_id_sequences_past_the_rows_it_wrote(synthesized):
    article = Article.objects.order_by("id").first()
    author = Author.objects.create(display_name="Newcomer N.", match_key="newcomer n")
    authorship = Authorship.objects.create(article=article, author=author, position=99)
    assert author.pk > max(Author.objects.exclude(pk=author.pk).values_list("pk", flat=True))
    assert authorship.pk > max(
        Authorship.objects.exclude(pk=authorship.pk).values_list("pk", flat=True)
    )


def test_synth_text_has_no_characters_copy_would_misread():
    words = [*synth.EN_WORDS, *synth.RU_WORDS, *synth.KK_WORDS, *synth.SYLLABLES, *synth.GIVEN]
    words += [w for filler in synth.FILLER.values() for w in filler]
    assert not any(ch in word for word in words for ch in "\t\n\r\\")


def test_synth_fills_the_browse_index_when_there_is_one(synthesized):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('catalogue_browseentry') IS NOT NULL")
        if not cursor.fetchone()[0]:
            pytest.skip("no browse index in this schema")
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE concepts <> '{}') FROM catalogue_browseentry"
        )
        assert cursor.fetchone() == (200, 200)
        cursor.execute("SELECT count FROM catalogue_facetcount WHERE facet = 'total'")
        assert cursor.fetchone()[0] == 200


def rows_and_differences(kept: str, counted: str) -> tuple[int, int]:
    """The rows of the query `kept`, and how many rows it and `counted` do not share."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({kept}) k),"
            f" (SELECT count(*) FROM (({counted} EXCEPT {kept}) UNION ALL"
            f" ({kept} EXCEPT {counted})) d)"
        )
        return cursor.fetchone()


def test_synth_fills_every_persons_coauthors_and_organisations(synthesized):
    pairs, differences = rows_and_differences(
        "SELECT author_id, coauthor_id, shared FROM catalogue_coauthor",
        "SELECT x.author_id, y.author_id, count(*)::int FROM catalogue_authorship x"
        " JOIN catalogue_authorship y ON y.article_id = x.article_id"
        " AND y.author_id <> x.author_id GROUP BY 1, 2",
    )
    assert pairs > 0 and differences == 0
    signed, differences = rows_and_differences(
        "SELECT author_id, organisation_id FROM catalogue_authororganisation",
        "SELECT DISTINCT au.author_id, aa.organisation_id FROM catalogue_authorship au"
        " JOIN catalogue_authorshipaffiliation aa ON aa.authorship_id = au.id",
    )
    assert signed > 0 and differences == 0
    people, differences = rows_and_differences(
        "SELECT author_id, article_id FROM catalogue_authorlatest", LATEST_FROM_ENTRIES
    )
    assert people > 0 and differences == 0


# Each person's most recent article, looked up from the browse entries.
LATEST_FROM_ENTRIES = (
    "SELECT * FROM (SELECT DISTINCT ON (u.author) u.author, b.article_id"
    " FROM catalogue_browseentry b, unnest(b.authors) AS u(author)"
    " ORDER BY u.author, b.year DESC, b.number_sort DESC, b.article_id DESC) AS latest"
)


def test_synth_knows_every_insert_trigger_on_the_tables_it_fills():
    """synth turns off the triggers it can replay in one statement; any other insert trigger
    would fire per COPY with the foreign-key indexes dropped, and crawl."""
    tables = [model._meta.db_table for model in synth.FILLED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal AND tgtype & 4 <> 0",
            [tables],
        )
        functions = {row[0] for row in cursor.fetchall()}
    assert functions <= set(synth.BROWSE_TRIGGER_FUNCTIONS + synth.LOAD_SAFE_TRIGGER_FUNCTIONS)
