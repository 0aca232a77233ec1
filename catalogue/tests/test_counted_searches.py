"""A counted search's kept facet counts equal the counts of its matches, through every
kind of write, and the browse page reads them instead of counting."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from catalogue import counted_searches, editorial, facets
from catalogue.facets import count_matching
from catalogue.filters import ArticleFilter
from catalogue.models import BrowseEntry, CountedSearch, SearchFacetCount

from .factories import (
    add_author,
    add_keyword,
    make_article,
    make_author,
    make_issue,
    make_organisation,
    make_series,
)

pytestmark = pytest.mark.django_db

# The searches a page may read from the kept counts: the words alone, or with years
# and languages.
SEARCHES = [
    {"q": "policy"},
    {"q": "policy", "year": ["2023"]},
    {"q": "policy", "language": ["ru"]},
    {"q": "policy", "year": ["2023", "2024"], "language": ["en", "ru"]},
    {"q": "policy", "year_from": "2024"},
    {"q": "policy", "year": ["2023", "2024"]},
]


def assert_kept_counts_exact(params_list=SEARCHES):
    """Every facet of each search, read from the kept rows, equals its count over the entries."""
    for params in params_list:
        filterset = ArticleFilter(params)
        assert filterset.is_valid() and filterset.search_slices() is not None
        kept = filterset.counts(ArticleFilter.FACETS, keyword_limit=None)
        for facet in ArticleFilter.FACETS:
            excluded = facet if filterset.value(facet) else None
            entries = filterset.filter_queryset(BrowseEntry.objects.all(), exclude=excluded)
            total, counted = count_matching(entries, [facet], keyword_limit=None)
            key = lambda row: (str(row["value"]), row["count"])  # noqa: E731
            assert sorted(kept[facet], key=key) == sorted(counted[facet], key=key), (params, facet)
            if excluded is None:
                assert filterset.total == total, params


@pytest.fixture
def catalogue_of_policies():
    """Eight articles over two years and three languages, most of them on policy, with
    keywords, authors and organisations."""
    series = make_series()
    issues = make_issue(series, year=2023, number="1"), make_issue(series, year=2024, number="1")
    people = [make_author(name) for name in ("Abenova A.", "Sarsenov B.", "Omarov D.")]
    homes = [make_organisation("Narxoz University"), make_organisation("KazNU")]
    titles = ["Energy policy", "Water", "Policy of water", "Policies", "Soft power"]
    articles = []
    for n, language in enumerate(["ru", "en", "kk", "ru", "en", "ru", "kk", "en"]):
        article = make_article(
            issues[n % 2], position=n + 1, language=language, title_en=titles[n % len(titles)]
        )
        add_keyword(article, ("energy", "water")[n % 2])
        for person in people[: 1 + n % 3]:
            add_author(article, person, affiliations=[homes[(n + people.index(person)) % 2]])
        articles.append(article)
    return articles


def kept_slices(params):
    filterset = ArticleFilter(params)
    assert filterset.is_valid()
    return filterset.search_slices()


def count_now(text="policy") -> CountedSearch:
    call_command("count_searches", text, stdout=StringIO())
    return CountedSearch.objects.get(text=text)


def test_a_counted_search_is_read_from_its_kept_counts(catalogue_of_policies):
    search = count_now()
    assert search.counted and search.matches == 5  # "Policies" stems alike
    assert kept_slices({"q": "policy"}) == (search.pk, None, None)
    # The page shows what the kept rows say, not a count of the entries.
    SearchFacetCount.objects.filter(search=search, facet="year", value="2023").update(count=99)
    counts = ArticleFilter({"q": "policy"}).counts(["year"], keyword_limit=None)
    assert {"value": 2023, "count": 99} in counts["year"]


def test_kept_counts_equal_the_counts_of_the_matches(catalogue_of_policies):
    count_now()
    assert_kept_counts_exact()


@pytest.mark.parametrize("depth", [1, 2, 100])
def test_people_over_several_years_are_summed_exactly_from_each_years_top(
    catalogue_of_policies, monkeypatch, depth
):
    monkeypatch.setattr(facets, "SLICE_DEPTH", depth)
    count_now()
    assert_kept_counts_exact([{"q": "policy", "year": ["2023", "2024"]}])


def test_kept_counts_follow_new_edited_and_deleted_articles(catalogue_of_policies):
    count_now()
    first, second, *_ = catalogue_of_policies
    new = make_article(first.issue, position=20, language="en", title_en="Policy anew")
    add_keyword(new, "policy")
    second.title_en = "Water policy"  # now matches
    second.language = "kk"
    second.save()
    first.title_en = "Energy"  # no longer matches
    first.save()
    first.issue.year = 2020  # every article of the issue moves
    first.issue.save()
    catalogue_of_policies[2].delete()
    assert_kept_counts_exact(SEARCHES + [{"q": "policy", "year": ["2020"]}])


def test_kept_counts_follow_merges_of_people_and_organisations(catalogue_of_policies, editor):
    first = catalogue_of_policies[0]
    twin = make_author("Abenova Aigul")  # the same person, entered twice
    add_author(make_article(first.issue, position=30, title_en="Policy again"), twin)
    count_now()
    editorial.merge_authors(first.authorships.get().author, [twin], editor)
    organisations = sorted(
        {link.organisation for link in _affiliations(catalogue_of_policies)}, key=lambda o: o.pk
    )
    editorial.merge_organisations(organisations[0], organisations[1:], editor)
    assert_kept_counts_exact()


def _affiliations(articles):
    return [
        link
        for article in articles
        for authorship in article.authorships.all()
        for link in authorship.affiliation_links.all()
    ]


def test_kept_counts_follow_an_ingest(seeds):
    call_command("ingest", str(seeds / "003_fdd0b68bd806740f.txt"), stdout=StringIO())
    search = count_now()
    assert search.matches > 0
    call_command("ingest", str(seeds / "004_5cc4925e9724fd50.txt"), stdout=StringIO())
    assert CountedSearch.objects.get(pk=search.pk).counted
    assert_kept_counts_exact(SEARCHES[:3])


@override_settings(SEARCH_NOTED_MS=0)
def test_a_slow_search_is_noted_then_counted_by_the_command(client, catalogue_of_policies):
    assert client.get("/en/articles/", {"q": "Policy"}).status_code == 200
    (noted,) = CountedSearch.objects.all()
    assert (noted.text, noted.counted) == ("Policy", False)
    assert kept_slices({"q": "policy"}) is None  # noted, not yet counted
    out = StringIO()
    call_command("count_searches", stdout=out)
    assert "Policy: 5 matches" in out.getvalue()
    # Another wording of the same search reads the same counts.
    assert kept_slices({"q": "policy"}) is not None
    assert_kept_counts_exact()


def test_a_counted_search_is_not_counted_again_unless_asked(catalogue_of_policies):
    count_now()
    SearchFacetCount.objects.filter(facet="total").update(count=99)
    out = StringIO()
    call_command("count_searches", "policy", stdout=out)
    assert "already counted (5 matches)" in out.getvalue()
    call_command("count_searches", "policy", "--all", stdout=out)
    assert_kept_counts_exact()


@override_settings(SEARCH_NOTED_MS=0)
def test_a_counted_search_whose_people_are_counted_is_not_noted_again(
    client, catalogue_of_policies
):
    count_now()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/articles/", {"q": "policy", "language": "ru"}).status_code == 200
    assert not [
        q for q in queries.captured_queries if "INSERT INTO catalogue_countedsearch" in q["sql"]
    ]


def test_a_fast_search_is_not_noted(client, catalogue_of_policies):
    assert client.get("/en/articles/", {"q": "policy"}).status_code == 200
    assert not CountedSearch.objects.exists()


def test_words_that_make_no_search_are_refused_and_nothing_is_kept():
    with pytest.raises(CommandError, match="make no search"):
        call_command("count_searches", "policy", "!!", stdout=StringIO())
    assert not CountedSearch.objects.exists()


def test_a_forgotten_search_is_counted_from_the_entries_again(catalogue_of_policies):
    search = count_now()
    call_command("count_searches", "--forget", "policy", stdout=StringIO())
    assert not CountedSearch.objects.exists()
    assert not SearchFacetCount.objects.filter(search_id=search.pk).exists()
    assert kept_slices({"q": "policy"}) is None
    assert counted_searches.counted_id("policy") is None
