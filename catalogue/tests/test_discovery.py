"""Discovery as readers expect it: bounded parameters, odd corners of the browse, one
search box that understands what people paste."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse

from catalogue import middleware
from catalogue.models import Article, SearchWord

from .factories import (
    add_author,
    add_keyword,
    add_reference,
    make_article,
    make_author,
    make_issue,
    make_journal,
    make_section,
    make_series,
    page_url,
)

pytestmark = pytest.mark.django_db

BROWSE = reverse("catalogue:article_list")


# ------------------------------------------------------------ bounded parameters


def test_four_hundred_repeated_years_get_a_400(client):
    response = client.get(BROWSE + "?" + "&".join(f"year={1800 + i}" for i in range(400)))
    assert response.status_code == 400
    assert "year" in response.content.decode()


def test_the_api_refuses_too_many_values_as_json(client):
    response = client.get("/api/articles?" + "&".join(["section=1"] * 21))
    assert response.status_code == 400
    assert "section" in response.json()["error"]


def test_too_many_values_in_all_get_a_400(client):
    per_name = middleware.MAX_VALUES_PER_PARAMETER
    names = [f"p{k}" for k in range(middleware.MAX_VALUES_TOTAL // per_name + 1)]
    query = "&".join(f"{name}={i + 1}" for name in names for i in range(per_name))
    assert client.get(BROWSE + "?" + query).status_code == 400


def test_an_overlong_value_gets_a_400(client):
    assert client.get(BROWSE, {"q": "x" * (middleware.MAX_VALUE_LENGTH + 1)}).status_code == 400


def test_values_within_the_bounds_are_served(client):
    make_article(make_issue(year=2024))
    years = [str(2000 + i) for i in range(middleware.MAX_VALUES_PER_PARAMETER)]
    assert client.get(BROWSE, {"year": years}).status_code == 200


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_400_page_is_in_the_visitors_language(client, language):
    browse = page_url("catalogue:article_list", language=language)
    response = client.get(browse + "?" + "&".join(["year=2024"] * 30))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "Bad request" not in html


# ------------------------------------------------------------ odd corners


@pytest.fixture
def two_years():
    journal = make_journal(title_en="Bulletin of Studies")
    series = make_series(journal, name_en="International relations")
    section = make_section(journal, "Theory")
    old = make_article(make_issue(series, year=2020, number="1"), title_en="Old", section=section)
    new = make_article(make_issue(series, year=2024, number="4", whole_number="62"), title_en="New")
    return SimpleNamespace(old=old, new=new, section=section)


def shown(response) -> list[Article]:
    """The articles of the result page, in its order."""
    assert response.status_code == 200
    ids = [result.pk for result in response.context["page"].object_list]
    found = Article.objects.in_bulk(ids)
    return [found[pk] for pk in ids]


def titles(response) -> list[str]:
    return [a.title_en for a in shown(response)]


def test_a_reversed_year_range_is_turned_round_and_said_so(client, two_years):
    response = client.get(BROWSE, {"year_from": 2025, "year_to": 2019})
    assert sorted(titles(response)) == ["New", "Old"]
    assert "given backwards" in response.content.decode()
    response = client.get(BROWSE, {"year_from": 2022, "year_to": 2019})
    assert titles(response) == ["Old"]


@pytest.mark.parametrize("page", ["0", "-1", "2", "99999", "abc"])
def test_a_page_that_is_not_there_is_not_found(client, two_years, page):
    assert client.get(BROWSE, {"page": page}).status_code == 404


def test_page_one_and_no_page_are_the_first(client, two_years):
    assert titles(client.get(BROWSE, {"page": "1"})) == titles(client.get(BROWSE))


def test_an_invalid_value_is_reported_and_the_valid_one_kept(client, two_years):
    response = client.get(BROWSE + f"?section={two_years.section.pk}&section=abc")
    assert titles(response) == ["Old"]
    html = response.content.decode()
    assert "“abc” is not a valid value." in html
    assert 'role="alert"' in html


def test_the_api_refuses_an_invalid_value_beside_a_valid_one(client, two_years):
    response = client.get(f"/api/articles?section={two_years.section.pk}&section=abc")
    assert response.status_code == 400
    assert "section" in response.json()["errors"]


def page_title(response) -> str:
    html = response.content.decode()
    return html.split("<title>", 1)[1].split("</title>", 1)[0]


@pytest.mark.parametrize(
    ("language", "site", "number"),
    [("en", "Journal catalogue", "No. 4 (62) 2024"), ("ru", "Каталог журналов", "№ 4 (62) 2024")]
    + [("kk", "Журналдар каталогы", "№ 4 (62) 2024")],
)
def test_page_titles_say_what_is_on_the_page(client, two_years, language, site, number):
    browse = page_url("catalogue:article_list", language=language)
    title = page_title(client.get(browse, {"q": "power"}))
    assert "“power”" in title and title.endswith(site)
    issue = two_years.new.issue
    title = page_title(client.get(browse, {"issue": issue.pk}))
    assert number in title and title.endswith(site)
    title = page_title(client.get(page_url("catalogue:issue_detail", issue.pk, language=language)))
    assert title.startswith(number) and title.endswith(site)
    article = page_url("catalogue:article_detail", two_years.new.pk, language=language)
    html = client.get(article).content
    assert number in html.decode()


def test_each_reference_address_is_printed_once(client, two_years):
    article = two_years.new
    add_reference(article, "Nye J. Soft power. 2004. https://example.org/soft-power")
    article.references.filter().update(url="https://example.org/soft-power")
    with_doi = add_reference(article, "Keohane R. Power. 2001. https://doi.org/10.1000/xyz1")
    with_doi.doi = "10.1000/xyz1"
    with_doi.save()
    bare = add_reference(article, "Waltz K. Theory. 1979.")
    bare.doi = "10.1000/abc2"
    bare.save()
    html = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    references = html.split('class="references"', 1)[1]
    assert references.count("https://example.org/soft-power") == 2  # the href and the text
    assert references.count('href="https://example.org/soft-power"') == 1
    assert references.count("10.1000/xyz1") == 2
    assert 'href="https://doi.org/10.1000/abc2">doi:10.1000/abc2</a>' in references


def test_every_page_links_the_favicon_and_it_is_served(client, two_years):
    html = client.get(BROWSE).content.decode()
    assert 'rel="icon" href="/static/catalogue/favicon.svg"' in html
    assert (Path(settings.BASE_DIR) / "static/catalogue/favicon.svg").exists()


def test_one_sort_control_links_not_a_dropdown(client, two_years):
    html = client.get(BROWSE, {"q": "old", "sort": "title"}).content.decode()
    assert '<select id="id_sort"' not in html
    assert '<input type="hidden" name="sort" value="title">' in html
    assert "<strong>title</strong>" in html


@pytest.mark.parametrize(
    ("language", "expected"), [("ru", ["Английский", "№ 4 (62)"]), ("kk", ["Ағылшын", "№ 4 (62)"])]
)
def test_language_names_and_issues_are_translated(client, two_years, language, expected):
    Article.objects.filter(pk=two_years.new.pk).update(language="en")
    html = client.get(page_url("catalogue:article_list", language=language)).content.decode()
    for text in expected:
        assert text in html
    article = page_url("catalogue:article_detail", two_years.new.pk, language=language)
    html = client.get(article).content
    for text in expected:
        assert text in html.decode()


# ------------------------------------------------------------ one search box


@pytest.fixture
def diplomacy():
    article = make_article(
        make_issue(year=2024),
        title_en="Public diplomacy of Kazakhstan",
        abstract_en="The article studies how soft power and public diplomacy <b>work</b> together.",
        doi="10.1000/KZ.2024.7",
    )
    add_author(article, make_author("Zhumatay G."))
    add_keyword(article, "cultural diplomacy", "en")
    return article


@pytest.mark.parametrize(
    "pasted",
    ["10.1000/kz.2024.7", "doi:10.1000/KZ.2024.7", "https://doi.org/10.1000/kz.2024.7"]
    + ["http://dx.doi.org/10.1000%2Fkz.2024.7", " https://doi.org/10.1000/KZ.2024.7. "],
)
def test_a_pasted_doi_goes_to_its_article(client, diplomacy, pasted):
    response = client.get(BROWSE, {"q": pasted})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:article_detail", args=[diplomacy.pk])


def test_an_inferred_doi_is_not_followed(client, diplomacy):
    Article.objects.filter(pk=diplomacy.pk).update(doi_inferred=True)
    assert client.get(BROWSE, {"q": "10.1000/kz.2024.7"}).status_code == 200


def test_authors_matching_the_query_are_offered_above_the_results(client, diplomacy):
    html = client.get(BROWSE, {"q": "Zhumatay"}).content.decode()
    offered = html.split('class="author-matches"', 1)[1].split("</section>", 1)[0]
    assert "Authors matching “Zhumatay”" in offered
    assert "Zhumatay G.</a> — 1 article" in offered
    assert 'class="author-matches"' not in client.get(BROWSE, {"q": "diplomacy"}).content.decode()


def test_the_vocabulary_is_kept_by_the_database(diplomacy):
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"public", "diplomacy", "kazakhstan", "cultural"} <= words
    Article.objects.filter(pk=diplomacy.pk).update(title_ru="Публичная дипломатия")
    assert SearchWord.objects.filter(word="дипломатия").exists()


def test_a_misspelt_word_gets_a_did_you_mean_from_the_catalogues_words(client, diplomacy):
    response = client.get(BROWSE, {"q": "diplomasy"})
    html = response.content.decode()
    assert "Did you mean:" in html
    assert response.context["suggestion"] == "diplomacy"
    assert "q=diplomacy" in response.context["suggestion_url"]
    response = client.get(BROWSE, {"q": "public diplomasy kazahstan"})
    assert response.context["suggestion"] == "public diplomacy kazakhstan"
    assert client.get(BROWSE, {"q": "diplomacy"}).context["suggestion"] == ""


def test_results_show_a_highlighted_snippet_escaped(client, diplomacy):
    html = client.get(BROWSE, {"q": "soft power"}).content.decode()
    snippet = html.split('class="snippet"', 1)[1].split("</p>", 1)[0]
    assert "<mark>soft</mark> <mark>power</mark>" in snippet
    assert "work" in snippet and "<b>" not in snippet  # the abstract's own markup is not kept
    assert 'class="snippet"' not in client.get(BROWSE).content.decode()


def test_a_long_facet_folds_its_tail_under_more_but_keeps_a_chosen_value_in_sight(client):
    series = make_series()
    issues = [make_issue(series, year=2000 + i, number="1") for i in range(12)]
    for issue in issues:
        make_article(issue)
    response = client.get(BROWSE, {"year": "2000"})
    facets = {name: (values, folded) for name, _label, values, folded in response.context["facets"]}
    values, folded = facets["year"]
    assert folded == 3  # twelve years, eight in sight, 2000 chosen among the rest
    assert [v["value"] for v in values if not v["more"]][-1] == 2000
    html = response.content.decode()
    year_facet = html.split('id="facet-year"', 1)[1].split("</section>", 1)[0]
    assert '<details class="more-values">' in year_facet
    assert "3 more" in year_facet


def test_titles_sort_as_filed_in_the_interface_languages_order(client):
    from catalogue.models import title_collation

    if not title_collation("kk"):
        pytest.skip("this PostgreSQL has no ICU collations")
    issue = make_issue()
    for title in ["Бота", "Әлем", "«Ана»"]:
        make_article(issue, title_en="", title_kk=title)
    for title in ["The Zebra", "apple", "“Mango”"]:
        make_article(issue, title_en=title)
    response = client.get(page_url("catalogue:article_list", language="kk"), {"sort": "title"})
    listed = [a.title_kk or a.title_en for a in shown(response)]
    kazakh = [title for title in listed if title[0] not in "Ta“"]
    assert kazakh == ["«Ана»", "Әлем", "Бота"]
    response = client.get(page_url("catalogue:article_list", language="en"), {"sort": "title"})
    assert [title for title in titles(response) if title] == ["apple", "“Mango”", "The Zebra"]
