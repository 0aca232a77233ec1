"""The browse index and facet counts stay exact through every kind of write.

The triggers of migration 0005 keep BrowseEntry and FacetCount in step with
articles, issues and keywords. Each test changes the catalogue the way
ingestion, an editor or a merge would and compares FacetCount with counts
taken straight from the articles.
"""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue import facets
from catalogue.facets import count_matching
from catalogue.filters import ArticleFilter
from catalogue.models import (
    Article,
    ArticleKeyword,
    AuthorshipAffiliation,
    BrowseEntry,
    FacetCount,
    Keyword,
    KeywordConcept,
)
from catalogue.pgcopy import allocate_ids, copy_rows

from .factories import (
    add_author,
    add_keyword,
    make_article,
    make_author,
    make_issue,
    make_organisation,
    make_section,
    make_series,
)

pytestmark = pytest.mark.django_db


def live_counts(year: int = 0, language: str = "*") -> Counter:
    """(facet, value) -> articles, counted from the articles themselves (of one slice)."""
    counts = Counter()
    for article in Article.objects.select_related("issue").prefetch_related(
        "article_keywords__keyword", "authorships__affiliation_links"
    ):
        if year and article.issue.year != year or language != "*" and article.language != language:
            continue
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
        organisations = {
            link.organisation_id
            for authorship in article.authorships.all()
            for link in authorship.affiliation_links.all()
        }
        for organisation in organisations:
            counts["organisation", str(organisation)] += 1
        for author in {authorship.author_id for authorship in article.authorships.all()}:
            counts["author", str(author)] += 1
    return counts


def stored_counts(year: int = 0, language: str = "*") -> Counter:
    rows = FacetCount.objects.filter(count__gt=0, year=year, language=language)
    return Counter({(row.facet, row.value): row.count for row in rows})


def assert_every_slice_exact():
    """The whole catalogue, each year, each language and each pair hold live counts."""
    years = {0} | set(Article.objects.values_list("issue__year", flat=True))
    languages = {"*"} | set(Article.objects.values_list("language", flat=True))
    for year in years:
        for language in languages:
            assert stored_counts(year, language) == live_counts(year, language), (year, language)


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
    assert_every_slice_exact()
    assert stored_counts()["year", "2024"] == 1


def test_moving_an_issue_to_another_year_moves_its_articles(two_issues):
    older, _ = two_issues
    make_article(older)
    make_article(older, position=2)
    older.year = 2020
    older.save()
    assert set(BrowseEntry.objects.values_list("year", flat=True)) == {2020}
    assert_every_slice_exact()


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


def found(text: str) -> set[int]:
    return set(BrowseEntry.objects.search(text).values_list("article_id", flat=True))


def test_a_wording_added_to_a_concept_finds_every_article_with_the_concept(two_issues):
    older, _ = two_issues
    first, second = make_article(older), make_article(older, position=2)
    power = add_keyword(first, "soft power")
    assert found("мягкая сила") == set()
    # The second article brings the Russian wording of the same concept: the first
    # article, which prints only the English one, is found by it too.
    add_keyword(second, "мягкая сила", "ru", concept=power.keyword.concept)
    assert found("мягкой силы") == {first.pk, second.pk}


def test_a_keyword_corrected_or_deleted_is_searched_as_it_now_reads(two_issues):
    older, _ = two_issues
    first, second = make_article(older), make_article(older, position=2)
    link = add_keyword(first, "cibersecurity")
    other = add_keyword(second, "cyber", concept=link.keyword.concept).keyword
    assert found("cibersecurity") == {first.pk, second.pk}
    keyword = link.keyword
    keyword.text = "cybersecurity"
    keyword.save()
    assert found("cibersecurity") == set()
    assert found("cybersecurity") == {first.pk, second.pk}
    ArticleKeyword.objects.filter(keyword=other).delete()
    other.delete()  # a wording gone from the concept: no article is found by it
    assert found("cyber") == set()
    assert found("cybersecurity") == {first.pk}


def test_moving_a_wording_to_another_concept_moves_what_finds_the_articles(two_issues):
    older, _ = two_issues
    first, second = make_article(older), make_article(older, position=2)
    power = add_keyword(first, "soft power")
    force = add_keyword(second, "мягкая сила", "ru")
    assert found("soft power") == {first.pk}
    force.keyword.concept = power.keyword.concept
    force.keyword.save()
    assert found("soft power") == {first.pk, second.pk}
    assert found("мягкая сила") == {first.pk, second.pk}


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
    assert_every_slice_exact()
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


@pytest.fixture
def mixed_catalogue(two_issues):
    """Nine articles over two years, three languages, two sections, three concepts, three
    authors at two organisations."""
    older, newer = two_issues
    people = [make_author(name) for name in ("Abenova A.", "Sarsenov B.", "Omarov D.")]
    homes = [make_organisation("Narxoz University"), make_organisation("KazNU")]
    sections = [make_section(older.series.journal, name) for name in ("Theory", "Regions")]
    languages = ["ru", "en", "kk", "ru", "", "en", "ru", "kk", "ru"]
    for n, language in enumerate(languages):
        article = make_article(
            (older, newer)[n % 2],
            position=n + 1,
            language=language,
            section=sections[n % 2] if n % 3 else None,
            irsti=[f"1{n % 2}.2{n % 3}"],
        )
        for word in ("policy", "energy", "water")[: 1 + n % 3]:
            add_keyword(article, word)
        for person in people[: 1 + n % 3]:
            add_author(article, person, affiliations=[homes[(n + people.index(person)) % 2]])


@pytest.mark.parametrize(
    "filters",
    [
        {"year": ["2023"]},
        {"language": ["ru"]},
        {"year": ["2023", "2024"], "language": ["en", "ru"]},
        {"year_from": "2024"},
        {"year_to": "2023", "language": ["kk"]},
        {"year": ["2024"], "year_from": "2024", "year_to": "2030"},
        {"year": ["1999"]},
    ],
)
def test_counts_read_from_slices_equal_counts_of_the_entries(mixed_catalogue, filters):
    """Year and language filters read FacetCount; counting the entries agrees."""
    filterset = ArticleFilter(filters)
    assert filterset.is_valid()
    sliced = filterset.counts(ArticleFilter.FACETS, keyword_limit=None)
    for facet in ArticleFilter.FACETS:
        excluded = facet if filterset.value(facet) else None
        assert filterset.slices(exclude=excluded) is not None
        entries = filterset.filter_queryset(BrowseEntry.objects.all(), exclude=excluded)
        _total, counted = count_matching(entries, [facet], keyword_limit=None)
        key = lambda row: (str(row["value"]), row["count"])  # noqa: E731
        assert sorted(sliced[facet], key=key) == sorted(counted[facet], key=key), facet


def test_affiliations_and_organisation_merges_reach_the_organisation_counts(two_issues):
    older, newer = two_issues
    first, second = make_article(older), make_article(newer)
    narxoz, kaznu = make_organisation("Narxoz University"), make_organisation("KazNU")
    # Two authors of one article at one organisation count the article once.
    add_author(first, make_author("Abenova A."), affiliations=[narxoz])
    add_author(first, make_author("Sarsenov B."), affiliations=[narxoz, kaznu])
    add_author(second, make_author("Omarov D."), affiliations=[kaznu])
    assert stored_counts()["organisation", str(narxoz.pk)] == 1
    assert stored_counts()["organisation", str(kaznu.pk)] == 2
    # An editor moves Omarov's affiliation to Narxoz: the link changes, the counts follow.
    AuthorshipAffiliation.objects.filter(authorship__article=second).update(organisation=narxoz)
    assert stored_counts()["organisation", str(narxoz.pk)] == 2
    assert stored_counts()["organisation", str(kaznu.pk)] == 1
    second.authorships.all().delete()
    assert_every_slice_exact()


def test_authorships_and_author_merges_reach_the_author_counts(two_issues):
    older, newer = two_issues
    first, second = make_article(older), make_article(newer)
    abenova, sarsenov = make_author("Abenova A."), make_author("Sarsenov B.")
    add_author(first, abenova)  # no affiliation: the authorship alone counts
    add_author(first, sarsenov)
    add_author(second, sarsenov)
    assert stored_counts()["author", str(abenova.pk)] == 1
    assert stored_counts()["author", str(sarsenov.pk)] == 2
    assert BrowseEntry.objects.get(article=first).authors == sorted([abenova.pk, sarsenov.pk])
    # A merge moves Sarsenov's authorship of the second article to Abenova.
    second.authorships.filter(author=sarsenov).update(author=abenova)
    assert stored_counts()["author", str(sarsenov.pk)] == 1
    first.authorships.filter(author=sarsenov).delete()
    assert stored_counts()["author", str(abenova.pk)] == 2
    assert stored_counts()["author", str(sarsenov.pk)] == 0
    first.authorships.all().delete()
    assert_every_slice_exact()


@pytest.mark.parametrize("depth", [1, 2, 100])
@pytest.mark.parametrize("size", [1, 2, 3])
@pytest.mark.parametrize("facet", ["author", "organisation"])
def test_people_summed_over_slices_from_each_slices_top_are_exact(
    mixed_catalogue, monkeypatch, depth, size, facet
):
    """However shallow the look into each slice, the values kept and their counts are
    those of summing every value (the threshold check falls back when it must)."""
    monkeypatch.setattr(facets, "SLICE_DEPTH", depth)
    years, languages = [2023, 2024], ["ru", "en", "kk"]
    summed = Counter()
    for year in years:
        for language in languages:
            for (name, value), count in stored_counts(year, language).items():
                if name == facet:
                    summed[value] += count
    expected = sorted(summed.items(), key=lambda item: (-item[1], item[0]))[:size]
    found = facets.top_over_slices(facet, years, languages, size=size)
    assert [(str(row["value"]), row["count"]) for row in found] == expected


def test_a_clear_leader_is_found_from_the_slices_tops_in_one_statement(two_issues, monkeypatch):
    monkeypatch.setattr(facets, "SLICE_DEPTH", 2)
    older, newer = two_issues
    leader, others = make_author("Abenova A."), [make_author(f"Other {n}.") for n in range(4)]
    for issue in (older, newer):
        for n in range(4):
            article = make_article(issue, language="en")
            add_author(article, leader)
            add_author(article, others[n])
    with CaptureQueriesContext(connection) as queries:
        found = facets.top_over_slices("author", [2023, 2024], ["en"], size=1)
    assert found == [{"value": leader.pk, "count": 8}]
    assert len(queries) == 1  # the threshold held: no sum over every author


@pytest.mark.parametrize(
    ("facet", "filters"),
    [
        ("keyword", {"language": ["ru"]}),
        ("keyword", {"year": ["2023"], "language": ["ru", "en"]}),
        ("series", {"year_from": "2024"}),
        ("author", {"year": ["2024"]}),
        ("organisation", {"language": ["kk"], "year_to": "2023"}),
        ("section", {"year": ["2023", "2024"]}),
        ("irsti", {"language": ["en"]}),
        ("issue", {"language": ["ru"]}),
        ("keyword", {"year": ["1999"]}),
    ],
)
def test_year_and_language_counts_within_one_value_equal_counts_of_the_entries(
    mixed_catalogue, facet, filters
):
    """One value of one facet beside year and language filters: the year and language
    facets read that value's FacetCount rows; counting the entries agrees."""
    values = {
        "keyword": lambda: Keyword.objects.get(text="energy").concept_id,
        "series": lambda: BrowseEntry.objects.values_list("series_id", flat=True)[0],
        "author": lambda: BrowseEntry.objects.exclude(authors=[]).values_list("authors", flat=True)[
            0
        ][-1],
        "organisation": lambda: BrowseEntry.objects.exclude(organisations=[]).values_list(
            "organisations", flat=True
        )[0][0],
        "section": lambda: BrowseEntry.objects.exclude(section=None).values_list(
            "section_id", flat=True
        )[0],
        "irsti": lambda: "10",
        "issue": lambda: BrowseEntry.objects.values_list("issue_id", flat=True)[0],
    }
    filterset = ArticleFilter({**filters, facet: [str(values[facet]())]})
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        counts = filterset.counts(["year", "language"], keyword_limit=None)
    assert not any("catalogue_browseentry" in query["sql"] for query in queries.captured_queries)
    counts.update(filterset.counts(ArticleFilter.FACETS, keyword_limit=None))
    for name in ArticleFilter.FACETS:
        excluded = name if filterset.value(name) else None
        entries = filterset.filter_queryset(BrowseEntry.objects.all(), exclude=excluded)
        _total, counted = count_matching(entries, [name], keyword_limit=None)
        key = lambda row: (str(row["value"]), row["count"])  # noqa: E731
        assert sorted(counts[name], key=key) == sorted(counted[name], key=key), name
