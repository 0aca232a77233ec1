"""The public browse at /articles/: facets, filters, text search, sorting, paging."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue import facets as facets_module
from catalogue.facets import PEOPLE_FACET_SIZE
from catalogue.filters import ArticleFilter
from catalogue.models import Article, KeywordConcept, title_collation
from catalogue.querystring import Links
from catalogue.views import FACET_SHOWN

from .factories import (
    add_author,
    add_keyword,
    make_article,
    make_author,
    make_issue,
    make_journal,
    make_organisation,
    make_section,
    make_series,
    page_url,
)

pytestmark = pytest.mark.django_db

BROWSE = reverse("catalogue:article_list")


@pytest.fixture
def catalogue():
    """Four articles in two series, two years, two keyword concepts, three languages.

    a1  series A, 2024, en, "soft power" (C1), IRSTI 11.25.91, section Theory
    a2  series A, 2025, ru, "мягкая сила" (C1), IRSTI 11.25.67, section Theory
    a3  series A, 2025, en, "security" (C2),    IRSTI 12.00.24, section Regions
    a4  series B, 2025, kk, "қауіпсіздік" (C2), IRSTI 11.27.01, section Regions
    """
    journal = make_journal(title_en="Bulletin of Studies")
    series_a = make_series(journal, name_en="International relations")
    series_b = make_series(journal, name_en="Philology")
    issue_2024 = make_issue(series_a, year=2024, number="1")
    issue_2025 = make_issue(series_a, year=2025, number="2")
    issue_b = make_issue(series_b, year=2025, number="1")
    theory = make_section(journal, "Theory")
    regions = make_section(journal, "Regions")
    soft_power, security = KeywordConcept.objects.create(), KeywordConcept.objects.create()
    a1 = make_article(
        issue_2024,
        position=1,
        language="en",
        title_en="Soft power of middle states",
        abstract_en="Culture as an instrument of foreign policy.",
        irsti=["11.25.91"],
        section=theory,
    )
    a2 = make_article(
        issue_2025,
        position=1,
        language="ru",
        title_en="Cultural diplomacy",
        title_ru="Мягкая сила Казахстана",
        irsti=["11.25.67"],
        section=theory,
    )
    a3 = make_article(
        issue_2025,
        position=2,
        language="en",
        title_en="Border regimes",
        abstract_en="We discuss soft power only in passing.",
        irsti=["12.00.24"],
        section=regions,
    )
    a4 = make_article(
        issue_b,
        position=1,
        language="kk",
        title_en="Regional threats",
        title_kk="Қазақстанның қауіпсіздігі",
        irsti=["11.27.01"],
        section=regions,
    )
    add_keyword(a1, "soft power", "en", soft_power)
    add_keyword(a2, "soft power", "en", soft_power)
    add_keyword(a2, "мягкая сила", "ru", soft_power)
    add_keyword(a3, "security", "en", security)
    add_keyword(a4, "қауіпсіздік", "kk", security)
    narxoz, kaznu = make_organisation("Narxoz University"), make_organisation("KazNU")
    abenova, sarsenov = make_author("Abenova A."), make_author("Sarsenov B.")
    add_author(a1, abenova, affiliations=[narxoz])
    add_author(a2, abenova, affiliations=[kaznu])
    add_author(a2, sarsenov, affiliations=[kaznu])
    add_author(a3, sarsenov, affiliations=[kaznu])
    return SimpleNamespace(
        a1=a1,
        a2=a2,
        a3=a3,
        a4=a4,
        series_a=series_a,
        series_b=series_b,
        issue_2025=issue_2025,
        theory=theory,
        regions=regions,
        soft_power=soft_power,
        security=security,
        abenova=abenova,
        sarsenov=sarsenov,
        narxoz=narxoz,
        kaznu=kaznu,
    )


def browse(query: str = "", **data):
    filterset = ArticleFilter(data)
    assert filterset.is_valid(), filterset.form.errors
    return filterset


def counts(facet: list[dict]) -> dict:
    return {value["value"]: value["count"] for value in facet}


def ids(filterset) -> set:
    return {article.pk for article in filterset.results()}


def test_facet_counts_without_filters_match_a_hand_count(catalogue):
    facets = browse().facets()

    assert counts(facets["series"]) == {catalogue.series_a.pk: 3, catalogue.series_b.pk: 1}
    assert counts(facets["year"]) == {2024: 1, 2025: 3}
    assert counts(facets["keyword"]) == {catalogue.soft_power.pk: 2, catalogue.security.pk: 2}
    assert counts(facets["language"]) == {"en": 2, "ru": 1, "kk": 1}
    assert counts(facets["section"]) == {catalogue.theory.pk: 2, catalogue.regions.pk: 2}
    # Only the top level of IRSTI until a code is chosen.
    assert counts(facets["irsti"]) == {"11": 3, "12": 1}


def test_each_facet_counts_with_the_other_filters_applied(catalogue):
    facets = browse(year=["2025"], keyword=[str(catalogue.security.pk)]).facets()

    # The year facet ignores the year filter but respects the keyword filter.
    assert counts(facets["year"]) == {2025: 2}
    # The keyword facet ignores the keyword filter but respects the year filter.
    assert counts(facets["keyword"]) == {catalogue.soft_power.pk: 1, catalogue.security.pk: 2}
    # Other facets see both filters: a3 and a4.
    assert counts(facets["series"]) == {catalogue.series_a.pk: 1, catalogue.series_b.pk: 1}
    assert counts(facets["language"]) == {"en": 1, "kk": 1}
    selected = [value["value"] for value in facets["year"] if value["selected"]]
    assert selected == [2025]


def test_values_of_one_facet_or_and_different_facets_and(catalogue):
    c = catalogue
    assert ids(browse(year=["2024", "2025"])) == {c.a1.pk, c.a2.pk, c.a3.pk, c.a4.pk}
    assert ids(browse(language=["en", "kk"])) == {c.a1.pk, c.a3.pk, c.a4.pk}
    assert ids(browse(series=[str(c.series_a.pk)], language=["en"])) == {c.a1.pk, c.a3.pk}
    assert ids(browse(year=["2025"], language=["en", "ru"])) == {c.a2.pk, c.a3.pk}


def test_keyword_facet_counts_a_concept_once_whatever_its_languages(catalogue):
    # a2 carries both "soft power" and "мягкая сила": one article, one value.
    facets = browse().facets()
    assert counts(facets["keyword"])[catalogue.soft_power.pk] == 2
    assert ids(browse(keyword=[str(catalogue.soft_power.pk)])) == {
        catalogue.a1.pk,
        catalogue.a2.pk,
    }


def test_keyword_facet_is_labelled_in_the_visitors_language(catalogue):
    with translation.override("ru"):
        labels = {v["value"]: v["label"] for v in browse().facets()["keyword"]}
    assert labels[catalogue.soft_power.pk] == "мягкая сила"
    with translation.override("en"):
        labels = {v["value"]: v["label"] for v in browse().facets()["keyword"]}
    assert labels[catalogue.soft_power.pk] == "soft power"


def test_irsti_filter_takes_codes_below_a_prefix_and_the_facet_opens_its_children(catalogue):
    c = catalogue
    assert ids(browse(irsti=["11"])) == {c.a1.pk, c.a2.pk, c.a4.pk}
    assert ids(browse(irsti=["11.25"])) == {c.a1.pk, c.a2.pk}
    assert ids(browse(irsti=["11.25.91"])) == {c.a1.pk}

    facet = browse(irsti=["11.25"]).facets()["irsti"]
    assert [(v["value"], v["count"], v["depth"]) for v in facet] == [
        ("11", 3, 0),
        ("11.25", 2, 1),
        ("11.25.67", 1, 2),
        ("11.25.91", 1, 2),
        ("11.27", 1, 1),
        ("12", 1, 0),
    ]


def test_year_range_limits_results_and_every_facet(catalogue):
    filterset = browse(year_from="2025", year_to="2025")
    assert ids(filterset) == {catalogue.a2.pk, catalogue.a3.pk, catalogue.a4.pk}
    assert counts(filterset.facets()["year"]) == {2025: 3}


def test_text_search_uses_russian_stemming_and_is_case_insensitive_for_kazakh(catalogue):
    # a2's Russian title; a1 through its keyword concept, whose Russian wording matches.
    assert ids(browse(q="мягкой силы")) == {catalogue.a1.pk, catalogue.a2.pk}
    assert ids(browse(q="ҚАЗАҚСТАННЫҢ")) == {catalogue.a4.pk}
    assert ids(browse(q="instruments")) == {catalogue.a1.pk}  # English stem of the abstract


def test_text_search_finds_keywords_and_ranks_title_matches_first(catalogue):
    assert catalogue.a3.pk in ids(browse(q="security"))  # only a keyword says so
    ranked = [article.pk for article in browse(q="soft power").results()]
    assert ranked[0] == catalogue.a1.pk  # in the title, and a keyword
    assert ranked[-1] == catalogue.a3.pk  # only in the abstract


def test_sort_newest_first_by_default_and_by_title_on_request(catalogue):
    c = catalogue
    newest = [article.pk for article in browse().results()]
    assert newest[-1] == c.a1.pk  # the only 2024 article
    with translation.override("en"):
        ids = [article.pk for article in browse(sort="title").results()]
    titles = dict(Article.objects.values_list("pk", "title_en"))
    by_title = [titles[pk] for pk in ids]
    assert by_title == sorted(by_title, key=str.lower)


@pytest.fixture
def title_index_only():
    """The planner as it is at a million articles, where walking the title index in
    order beats sorting: here, with a handful of rows, sorting is turned off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")


def title_order(language: str, **params) -> list[int]:
    with translation.override(language):
        return [article.pk for article in browse(sort="title", **params).results()]


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_title_sort_reads_the_interface_languages_index_in_order(
    catalogue, title_index_only, language
):
    if not title_collation(language):
        pytest.skip("this PostgreSQL has no ICU collations")
    with translation.override(language):
        entries = browse(sort="title").qs.by_title()
    query = entries.values_list("article_id", flat=True)[20:40]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"article_title_{language}_idx" in plan
    assert "Sort" not in plan


def test_an_edited_title_moves_the_article_in_the_title_sort(catalogue, title_index_only):
    c = catalogue
    before = title_order("en")
    # An editor's save, then a bulk update (as a merge or a script writes).
    c.a1.title_en = "Aaa first of all"
    c.a1.save()
    assert title_order("en")[0] == c.a1.pk
    Article.objects.filter(pk=c.a1.pk).update(title_en="Zzz last of all")
    assert title_order("en")[-1] == c.a1.pk
    assert sorted(title_order("en")) == sorted(before)
    # A title only in Kazakh is filed under it in every interface, by each one's rules:
    # Cyrillic before Latin in Kazakh, after it in English.
    Article.objects.filter(pk=c.a2.pk).update(title_en="", title_ru="", title_kk="«Ааа»")
    assert title_order("kk")[0] == c.a2.pk
    assert title_order("en")[-1] == c.a2.pk
    assert title_order("en", year=["2025"])[-1] == c.a2.pk


def test_bad_parameters_are_reported_not_fatal(client, catalogue):
    response = client.get(BROWSE, {"year": "abc", "sort": "sideways", "irsti": "x"})
    assert response.status_code == 200
    assert b"not a valid" in response.content
    assert response.context["page"].paginator.count == 4


def test_page_shows_removable_chips_and_clear_all(client, catalogue):
    response = client.get(BROWSE, {"year": "2025", "language": "en", "q": "border"})
    html = response.content.decode()
    chips = response.context["chips"]
    assert {chip["label"] for chip in chips} == {"“border”", "2025", "English"}
    year_chip = next(chip for chip in chips if chip["label"] == "2025")
    assert "year=" not in year_chip["url"] and "language=en" in year_chip["url"]
    assert "Clear all" in html
    assert "Border regimes" in html


def test_pagination_links_keep_the_filters(client, catalogue):
    issue = catalogue.issue_2025
    for position in range(3, 30):
        make_article(issue, position=position, language="en")
    response = client.get(BROWSE, {"year": "2025", "language": "en"})
    links = response.context["page_links"]
    assert "year=2025" in links["next"] and "language=en" in links["next"]
    assert "page=2" in links["next"]
    second = client.get(BROWSE + links["next"])
    assert second.context["page"].number == 2


def test_keyword_more_page_lists_every_keyword_and_searches_them(client, catalogue):
    response = client.get(reverse("catalogue:keyword_list"), {"year": "2025", "kq": "мягк"})
    choices = response.context["choices"]
    assert [c["value"] for c in choices] == [catalogue.soft_power.pk]
    assert "year=2025" in choices[0]["url"] and "keyword=" in choices[0]["url"]


def _browse_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BROWSE, params).status_code == 200
    return len(queries)


def test_browse_runs_the_same_number_of_queries_for_any_result_count(
    client, catalogue, django_assert_max_num_queries
):
    params = {"q": "power", "year": ["2024", "2025"], "irsti": "11"}
    few = _browse_queries(client, params)
    author = make_author("Zhumatay G.")
    for position in range(3, 25):
        article = make_article(
            catalogue.issue_2025, position=position, title_en="Power", irsti=["11.25.91"]
        )
        add_author(article, author)
        add_keyword(article, f"power {position}")
    assert _browse_queries(client, params) == few
    # 15 (the author and organisation facets' names among them), plus a savepoint, a SET
    # LOCAL and a release around each of the three counts of a text search (a planner hint
    # for that statement only); then the page's snippets (1), the authors matching the
    # query (5; 2 more when someone matches) and the vocabulary check for "did you mean"
    # (1; 1 more per word the catalogue never uses).
    with django_assert_max_num_queries(30):
        client.get(BROWSE, params)


def test_a_search_with_too_many_matches_to_rank_lists_the_newest_and_says_so(
    client, catalogue, monkeypatch
):
    monkeypatch.setattr("catalogue.filters.RELEVANCE_LIMIT", 1)
    filterset = browse(q="soft power")
    filterset.facets()
    assert filterset.too_many_to_rank
    assert filterset.ordering == "newest"
    newest = [a.pk for a in browse(q="soft power", sort="newest").results()]
    assert [a.pk for a in filterset.results()] == newest
    html = client.get(BROWSE, {"q": "soft power"}).content.decode()
    assert "Too many matches to rank by relevance" in html


def slow_counts(monkeypatch, seconds: float = 0.5):
    """Every statement counting a text search's facets takes at least `seconds`."""
    parts = facets_module._parts
    monkeypatch.setattr(
        facets_module,
        "_parts",
        lambda *args: [*parts(*args), f"SELECT 'total', '', 0 FROM pg_sleep({seconds})"],
    )


def test_a_search_too_broad_to_count_in_time_shows_its_results_without_counts(
    client, catalogue, monkeypatch, settings
):
    in_2025 = browse(q="soft power", year=["2025"]).results().count()
    everywhere = browse(q="soft power").results().count()
    settings.SEARCH_COUNTS_MS = 100
    slow_counts(monkeypatch)
    response = client.get(BROWSE, {"q": "soft power", "year": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not all be counted in time" in html
    assert response.context["page"].paginator.count == in_2025  # counted within the cap
    assert not response.context["count_capped"]
    assert all(
        not values for _name, _label, values, _more in response.context["facets"] if _name != "year"
    )
    assert "Too many matches to rank by relevance" in html  # ranking all would be slow too
    api = client.get(reverse("api:article_list"), {"q": "soft power"}).json()
    assert api["count_complete"] is False
    assert api["count"] == everywhere


def test_a_capped_count_says_more_than(client, catalogue, monkeypatch, settings):
    settings.SEARCH_COUNTS_MS = 100
    slow_counts(monkeypatch)
    monkeypatch.setattr("catalogue.filters.COUNT_CAP", 2)
    response = client.get(BROWSE, {"q": "soft power"})
    assert response.context["count_capped"]
    assert "More than 2 articles" in response.content.decode()


def test_a_search_counted_in_time_is_complete(client, catalogue):
    response = client.get(BROWSE, {"q": "soft power"})
    assert "could not all be counted" not in response.content.decode()
    assert client.get(reverse("api:article_list"), {"q": "soft power"}).json()["count_complete"]


# ------------------------------------------------------------ author and organisation facets


def test_author_and_organisation_facets_count_articles_with_the_other_filters(catalogue):
    facets = browse().facets()
    assert counts(facets["author"]) == {catalogue.abenova.pk: 2, catalogue.sarsenov.pk: 2}
    assert counts(facets["organisation"]) == {catalogue.narxoz.pk: 1, catalogue.kaznu.pk: 2}
    facets = browse(year=["2025"]).facets()  # a FacetCount slice
    assert counts(facets["author"]) == {catalogue.abenova.pk: 1, catalogue.sarsenov.pk: 2}
    facets = browse(section=[str(catalogue.theory.pk)]).facets()  # counted from the entries
    assert counts(facets["author"]) == {catalogue.abenova.pk: 2, catalogue.sarsenov.pk: 1}
    assert counts(facets["organisation"]) == {catalogue.narxoz.pk: 1, catalogue.kaznu.pk: 1}


def test_choosing_an_author_or_organisation_narrows_the_results(catalogue):
    assert ids(browse(author=[str(catalogue.abenova.pk)])) == {catalogue.a1.pk, catalogue.a2.pk}
    assert ids(browse(organisation=[str(catalogue.kaznu.pk)])) == {
        catalogue.a2.pk,
        catalogue.a3.pk,
    }
    both = browse(author=[str(catalogue.abenova.pk)], organisation=[str(catalogue.kaznu.pk)])
    assert ids(both) == {catalogue.a2.pk}
    # The chosen facet still counts its other values (under the other filters only).
    facets = both.facets()
    assert counts(facets["author"]) == {catalogue.abenova.pk: 1, catalogue.sarsenov.pk: 2}


def test_people_facets_are_labelled_by_name_in_the_visitors_language(client, catalogue):
    catalogue.kaznu.name_ru = "КазНУ им. аль-Фараби"
    catalogue.kaznu.save()
    html = client.get(page_url("catalogue:article_list", language="ru")).content.decode()
    assert "КазНУ им. аль-Фараби" in html and "Abenova A." in html
    assert f"author={catalogue.abenova.pk}" in html
    html = client.get(BROWSE).content.decode()
    assert ">☐</span> KazNU<" in html


def test_long_author_facet_folds_under_more_and_stays_bounded(client, catalogue):
    for n in range(PEOPLE_FACET_SIZE + 5):
        add_author(catalogue.a4, make_author(f"Person {n:02d}."))
    response = client.get(BROWSE)
    [(_name, _label, values, folded)] = [
        facet for facet in response.context["facets"] if facet[0] == "author"
    ]
    assert len(values) == PEOPLE_FACET_SIZE
    assert folded == PEOPLE_FACET_SIZE - FACET_SHOWN
    # The most prolific first: the two people with two articles are never folded away.
    assert {values[0]["value"], values[1]["value"]} == {
        catalogue.abenova.pk,
        catalogue.sarsenov.pk,
    }
    assert f"{PEOPLE_FACET_SIZE - FACET_SHOWN} more" in response.content.decode()


def test_an_invalid_author_value_is_reported_not_dropped(client, catalogue):
    response = client.get(BROWSE, {"author": [str(catalogue.abenova.pk), "abc"]})
    assert response.context["page"].paginator.count == 2
    assert "“abc” is not a valid value." in response.content.decode()


def test_a_facet_link_toggles_one_value_and_keeps_the_other_parameters_in_order():
    links = Links(QueryDict("q=water+%26+power&year=2024&page=3&language=ru&year=2025"))
    assert links.toggled("year", 2024) == "?q=water+%26+power&language=ru&year=2025"
    assert links.toggled("keyword", 7) == (
        "?q=water+%26+power&year=2024&year=2025&language=ru&keyword=7"
    )
    assert links.with_params(q=None) == "?year=2024&year=2025&language=ru"
    assert links.with_params(sort="title", page=None) == (
        "?q=water+%26+power&year=2024&year=2025&language=ru&sort=title"
    )
    assert Links(QueryDict("page=2")).with_params() == "?"
    cyrillic = QueryDict("q=Жұматай&year=2024")
    assert Links(cyrillic).with_params() == "?" + cyrillic.urlencode()
