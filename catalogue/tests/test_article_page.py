"""The article page: every language, links, crawler metadata, citations; and issue/series pages."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from catalogue.models import Article

from .factories import (
    add_author,
    make_article,
    make_author,
    make_full_article,
    make_section,
    page_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_full_article()


def meta(html: str) -> list[tuple[str, str]]:
    return [
        (name, unescape(content))
        for name, content in re.findall(r'<meta name="(citation_\w+)" content="([^"]*)">', html)
    ]


def test_google_scholar_meta_tags_are_present(client, article):
    html = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    tags = meta(html)
    names = {name for name, _ in tags}
    assert {
        "citation_title",
        "citation_author",
        "citation_doi",
        "citation_journal_title",
        "citation_issn",
        "citation_volume",
        "citation_issue",
        "citation_firstpage",
        "citation_lastpage",
        "citation_publication_date",
        "citation_keywords",
        "citation_abstract_html_url",
    } <= names
    assert ("citation_title", "Soft power & <small> states") in tags
    # "Family, Given", every author, as Google Scholar's inclusion guidelines ask.
    assert [v for n, v in tags if n == "citation_author"] == [
        "Zhumatay, G.",
        "Baissultanova, K.Ch.",
    ]
    # No. 2 (60): the whole number stands for the volume the journal does not print.
    assert ("citation_volume", "60") in tags and ("citation_issue", "2") in tags
    assert [v for n, v in tags if n == "citation_issn"] == ["2411-8753", "2710-3633"]
    assert ("citation_doi", "10.48371/ISMO.2025.60.2.001") in tags
    assert ("citation_firstpage", "10") in tags and ("citation_lastpage", "22") in tags
    assert ("citation_abstract_html_url", f"http://testserver/en/articles/{article.pk}/") in tags


def test_meta_tags_follow_the_pages_language(client, article):
    html = client.get(page_url("catalogue:article_detail", article.pk, language="ru")).content
    html = html.decode()
    tags = meta(html)
    assert ("citation_title", "Мягкая сила малых государств") in tags
    assert [v for n, v in tags if n == "citation_author"] == [
        "Жұматай, Ғ.Б.",
        "Байсултанова, К.Ч.",
    ]
    # A page language the article has no title in falls back to the article's own.
    html = client.get(page_url("catalogue:article_detail", article.pk, language="kk")).content
    assert ("citation_title", "Soft power & <small> states") in meta(html.decode())


def test_json_ld_is_a_scholarly_article_and_cannot_break_out_of_its_script(client, article):
    Article.objects.filter(pk=article.pk).update(abstract_en="</script><script>alert(1)")
    html = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    [payload] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(payload)
    assert data["@type"] == "ScholarlyArticle"
    assert data["abstract"] == "</script><script>alert(1)"
    assert [author["name"] for author in data["author"]] == ["Zhumatay, G.", "Baissultanova, K.Ch."]
    assert data["identifier"]["value"] == "10.48371/ISMO.2025.60.2.001"
    assert "<script>alert" not in html


def test_page_shows_every_language_visitors_first(client, article):
    url = page_url("catalogue:article_detail", article.pk, language="ru")
    html = client.get(url).content.decode()
    assert "<h1>Мягкая сила малых государств</h1>" in html
    body = html[html.index("<main") :]
    assert body.index("Мы изучаем мягкую силу.") < body.index("We study soft power.")
    html = client.get(page_url("catalogue:article_detail", article.pk)).content.decode()
    assert "<h1>Soft power &amp; &lt;small&gt; states</h1>" in html


def test_page_links_authors_keywords_doi_and_references(client, article):
    html = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    first_author = article.authorships.first().author
    assert reverse("catalogue:author_detail", args=[first_author.pk]) in html
    assert "Narxoz University, Almaty, Kazakhstan" in html
    concept = article.article_keywords.first().keyword.concept_id
    assert f'href="/en/articles/?keyword={concept}"' in html
    assert 'href="https://doi.org/10.48371/ISMO.2025.60.2.001"' in html
    assert 'href="https://doi.org/10.2307/j.ctt7sq9s"' in html
    assert "Nye J. Soft power. New York, 2004." in html
    assert "11.25.91" in html and "327.8" in html
    assert "№ 2 (60)" in html  # the GOST reference
    assert "https://orcid.org/0000-0002-1825-0097" in html


def test_citation_downloads(client, article):
    for fmt, start in (("bib", "@article{"), ("ris", "TY  - JOUR"), ("json", "[")):
        response = client.get(reverse("catalogue:article_cite", args=[article.pk, fmt]))
        assert response.status_code == 200
        assert response.content.decode().startswith(start)
        assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/en/articles/{article.pk}/cite.doc").status_code == 404


def test_article_page_runs_a_fixed_number_of_queries(
    client, article, django_assert_max_num_queries
):
    for n in range(8):
        add_author(article, make_author(f"Extra{n} A."))
    url = reverse("catalogue:article_detail", args=[article.pk])
    # Rendering the record: its 8 queries, the stamp, the trust line, and the cache's
    # look-up and store (a savepoint, the count, the insert, its release).
    with django_assert_max_num_queries(8 + 2 + 5):
        assert client.get(url).status_code == 200
    # Served from the cache: the stamp (with the review warnings' state), the look-up.
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


def test_issue_page_groups_articles_by_section_in_page_order(
    client, article, django_assert_max_num_queries
):
    issue = article.issue
    regions = make_section(issue.series.journal, "Regional studies")
    make_article(issue, position=3, section=regions, title_en="Third")
    make_article(issue, position=2, section=article.section, title_en="Second")
    url = reverse("catalogue:issue_detail", args=[issue.pk])
    # Its 5 queries, the stamp, and the cache's look-up and store; then from the cache.
    with django_assert_max_num_queries(5 + 1 + 6):
        response = client.get(url)
    with django_assert_max_num_queries(2):
        assert client.get(url).content == response.content
    sections = response.context["sections"]
    assert [section.name for section, _ in sections] == ["World politics", "Regional studies"]
    assert [a.title for a in sections[0][1]] == ["Soft power & <small> states", "Second"]


def test_series_page_lists_issues_by_year_and_home_links_them(client, article):
    series = article.issue.series
    response = client.get(reverse("catalogue:series_detail", args=[series.pk]))
    assert [year for year, _ in response.context["years"]] == [2025]
    home = client.get(reverse("catalogue:home")).content.decode()
    assert reverse("catalogue:issue_detail", args=[article.issue.pk]) in home
    assert reverse("catalogue:series_detail", args=[series.pk]) in home
    assert 'name="q"' in home


def test_language_switcher_returns_to_the_same_page(client, article):
    url = reverse("catalogue:article_detail", args=[article.pk])
    response = client.post("/i18n/setlang/", {"language": "kk", "next": url})
    assert response.status_code == 302
    assert response["Location"] == page_url("catalogue:article_detail", article.pk, language="kk")
