"""The statistics page at /statistics/ and the year histogram on /articles/."""

import re
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import charts, facets
from catalogue.models import KeywordConcept, Organisation

from .factories import (
    add_author,
    add_keyword,
    make_article,
    make_author,
    make_issue,
    make_journal,
    make_organisation,
    make_series,
    page_url,
)

pytestmark = pytest.mark.django_db

STATISTICS = reverse("catalogue:statistics")
BROWSE = reverse("catalogue:article_list")


@pytest.fixture
def catalogue():
    """Five articles, hand-counted:

    a1  series A, 2023, en, "soft power"/"мягкая сила" (C1), authors at Narxoz and KazNU
    a2  series A, 2024, ru, C1,                          two authors both at Narxoz
    a3  series A, 2024, en, "security" (C2),             author at KazNU
    a4  series B, 2024, kk, C2 and C1,                   author without affiliation
    a5  series B, 2024, no language, no keywords, no authors
    """
    journal = make_journal(title_en="Bulletin of Studies", title_ru="Вестник исследований")
    series_a = make_series(journal, name_en="International relations", name_ru="Международные")
    series_b = make_series(journal, name_en="Philology")
    issue_2023 = make_issue(series_a, year=2023, number="1")
    issue_2024 = make_issue(series_a, year=2024, number="1")
    issue_b = make_issue(series_b, year=2024, number="1")
    a1 = make_article(issue_2023, position=1, language="en")
    a2 = make_article(issue_2024, position=1, language="ru")
    a3 = make_article(issue_2024, position=2, language="en")
    a4 = make_article(issue_b, position=1, language="kk")
    a5 = make_article(issue_b, position=2)
    soft_power, security = KeywordConcept.objects.create(), KeywordConcept.objects.create()
    add_keyword(a1, "soft power", "en", soft_power)
    add_keyword(a1, "мягкая сила", "ru", soft_power)
    add_keyword(a2, "мягкая сила", "ru", soft_power)
    add_keyword(a3, "security", "en", security)
    add_keyword(a4, "қауіпсіздік", "kk", security)
    add_keyword(a4, "soft power", "en", soft_power)
    narxoz = make_organisation("Narxoz University")
    kaznu = make_organisation("Al-Farabi Kazakh National University")
    kaznu.name_ru = "КазНУ им. аль-Фараби"
    kaznu.save()
    add_author(a1, make_author("Zhumatay G."), affiliations=[narxoz])
    add_author(a1, make_author("Baissultanova K."), affiliations=[kaznu])
    add_author(a2, make_author("Abenova A."), affiliations=[narxoz])
    add_author(a2, make_author("Sarsenov B."), affiliations=[narxoz])
    add_author(a3, make_author("Omarov D."), affiliations=[kaznu, narxoz])
    add_author(a4, make_author("Nurlanov E."))
    return SimpleNamespace(
        series_a=series_a,
        series_b=series_b,
        soft_power=soft_power,
        security=security,
        narxoz=narxoz,
        kaznu=kaznu,
        articles=[a1, a2, a3, a4, a5],
    )


def counts(rows):
    return {row["value"]: row["count"] for row in rows}


def test_statistics_count_per_year_series_language_keyword_and_organisation(catalogue):
    stats = facets.statistics()
    assert counts(stats["year"]) == {2023: 1, 2024: 4}
    assert counts(stats["series"]) == {catalogue.series_a.pk: 3, catalogue.series_b.pk: 2}
    assert counts(stats["language"]) == {"en": 2, "ru": 1, "kk": 1}
    # A concept counts an article once, whatever languages its keywords are in.
    assert [(row["value"], row["count"]) for row in stats["keyword"]] == [
        (catalogue.soft_power.pk, 3),
        (catalogue.security.pk, 2),
    ]
    # Two Narxoz authors on one article count it once; a4 has no affiliation.
    assert [(row["value"], row["count"]) for row in stats["organisation"]] == [
        (catalogue.narxoz.pk, 3),
        (catalogue.kaznu.pk, 2),
    ]


def test_rankings_are_limited_to_the_top(catalogue):
    stats = facets.statistics(top=1)
    assert [row["value"] for row in stats["keyword"]] == [catalogue.soft_power.pk]
    assert [row["value"] for row in stats["organisation"]] == [catalogue.narxoz.pk]


def tables(html):
    """{caption: [(row header, count)]} of every table on the page."""
    result = {}
    for table in re.findall(r"<table.*?</table>", html, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S).group(1).strip()
        rows = re.findall(r'<th scope="row">(.*?)</th><td class="number">(\d+)</td>', table, re.S)
        result[caption] = [(re.sub(r"<[^>]+>", "", label), int(n)) for label, n in rows]
    return result


def test_page_draws_a_chart_and_a_table_per_measure(client, catalogue):
    html = client.get(STATISTICS).content.decode()
    assert html.count('<svg class="bar-chart" role="img"') == 5
    assert html.count('<title id="chart-') == 5
    assert html.count('<th scope="col">') == 5
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        ElementTree.fromstring(svg)  # well-formed
    found = tables(html)
    assert found["Articles per year"] == [("2023", 1), ("2024", 4)]
    assert found["Articles per series"] == [
        ("Bulletin of Studies: International relations", 3),
        ("Bulletin of Studies: Philology", 2),
    ]
    assert found["Articles per language"] == [("English", 2), ("Kazakh", 1), ("Russian", 1)]
    assert found["The 15 most frequent keywords"] == [("soft power", 3), ("security", 2)]
    assert found["The 15 most productive organisations"] == [
        ("Narxoz University", 3),
        ("Al-Farabi Kazakh National University", 2),
    ]
    # Bars count what the table says; chart rows link to the browse filter.
    assert f'href="{BROWSE}?keyword={catalogue.soft_power.pk}"' in html
    assert f'href="{BROWSE}?year=2024"' in html


def test_labels_in_the_visitors_language(client, catalogue):
    html = client.get(page_url("catalogue:statistics", language="ru")).content.decode()
    assert "мягкая сила" in html and "КазНУ им. аль-Фараби" in html
    assert "Вестник исследований: Международные" in html
    assert "Статистика" in html


def test_statistics_is_linked_from_the_navigation_and_the_home_page(client, catalogue):
    html = client.get(reverse("catalogue:home")).content.decode()
    assert html.count(f'href="{STATISTICS}"') == 2


def test_empty_catalogue(client, db):
    response = client.get(STATISTICS)
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()


def test_statistics_runs_a_fixed_number_of_queries(
    client, catalogue, django_assert_max_num_queries
):
    # The counts, the organisations' counts, the catalogue's version and the names of
    # what they count (facets.attach_all_names), and the version again for
    # pagecache.kept_whole.
    with django_assert_max_num_queries(5) as few:
        assert client.get(STATISTICS).status_code == 200
    journal = make_journal()
    for year in range(2000, 2020):
        series = make_series(journal, name_en=f"Series {year}")
        article = make_article(make_issue(series, year=year), language="kk")
        add_keyword(article, f"keyword {year}")
        add_author(
            article, make_author(f"Author {year}."), affiliations=[make_organisation(f"Org {year}")]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(STATISTICS).status_code == 200


def test_browse_histogram_links_each_year_to_its_filter(client, catalogue):
    html = client.get(BROWSE).content.decode()
    histogram = re.search(r'<svg class="year-histogram".*?</svg>', html, re.S).group(0)
    # A group of links, not role=img: an image may not contain interactive elements.
    assert 'role="group"' in histogram
    ElementTree.fromstring(histogram)
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', histogram)
    assert links == [("?year=2023", "2023: 1 article"), ("?year=2024", "2024: 4 articles")]


def test_browse_histogram_adds_no_query(client, catalogue):
    with CaptureQueriesContext(connection) as with_histogram:
        client.get(BROWSE)
    queries = [q["sql"] for q in with_histogram.captured_queries]
    # The histogram reuses the year facet's counts: no other query reads years.
    assert len([sql for sql in queries if "year" in sql and "catalogue_issue" not in sql]) == 1


def test_a_long_chart_label_wraps_in_its_column_instead_of_being_cut(client, catalogue):
    long_name = "Kazakh Ablai Khan University of International Relations and World Languages"
    Organisation.objects.filter(name_en="Narxoz University").update(name_en=long_name)
    html = client.get(STATISTICS).content.decode()
    svg = [s for s in re.findall(r"<svg.*?</svg>", html, re.S) if "Kazakh Ablai" in s][0]
    label = re.search(r'<text text-anchor="end">((?:<tspan[^>]*>[^<]*</tspan>)+)</text>', svg)
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", label.group(1))
    assert len(lines) == charts.LABEL_LINES
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert " ".join(lines).startswith("Kazakh Ablai Khan University of International")
    # Whole words on each line, and the full name in the bar's tooltip and the table.
    assert lines[0].split()[-1] in long_name.split()
    assert f"<title>{long_name}: 3</title>" in svg
    ElementTree.fromstring(svg)
    # The row grew to hold two lines: the next bar starts below them.
    ys = [float(y) for y in re.findall(r'<rect x="[^"]+" y="([^"]+)"', svg)]
    assert ys[1] - ys[0] >= charts.LABEL_LINES * charts.LINE_HEIGHT


def test_wrap_keeps_short_labels_on_one_line():
    assert charts.wrap("Narxoz University") == ["Narxoz University"]
    assert charts.wrap("x" * 80) == ["x" * (charts.LABEL_CHARS - 1) + "…"]
