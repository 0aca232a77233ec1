"""The article page describes itself in its own language, read the way crawlers and
reference managers read it: JSON-LD through extruct, the citation_* tags and the COinS
span through lxml's HTML parser, the OpenURL through urllib."""

from urllib.parse import parse_qs

import extruct
import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html

from .factories import add_author, add_keyword, make_article, make_author, make_full_article

pytestmark = pytest.mark.django_db


def described(client, article, language):
    """What the page at the `language` URL (/ru/articles/5/) says the article's title and
    authors are."""
    with translation.override(language):
        url = reverse("catalogue:article_detail", args=[article.pk])
    assert url.startswith(f"/{language}/")
    # The URL decides the page's language, not what the browser asks for.
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en" if language != "en" else "ru")
    assert response.status_code == 200
    page = response.content.decode()
    tree = lxml_html.fromstring(page)
    tags = [(m.get("name"), m.get("content")) for m in tree.xpath("//meta[@name]")]
    (json_ld,) = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    (span,) = tree.xpath("//span[@class='Z3988']")
    openurl = parse_qs(span.get("title"))
    return {
        "h1": tree.xpath("string(//h1)"),
        "citation_title": dict(tags)["citation_title"],
        "json_ld_name": json_ld["name"],
        "coins_atitle": openurl["rft.atitle"][0],
        "citation_authors": [value for name, value in tags if name == "citation_author"],
        "json_ld_authors": [person["name"] for person in json_ld["author"]],
        "coins_authors": openurl["rft.au"],
        "json_ld_keywords": json_ld.get("keywords"),
        "citation_keywords": dict(tags).get("citation_keywords"),
    }


@pytest.fixture
def russian_article():
    return make_full_article(language="ru")


@pytest.fixture
def kazakh_article():
    article = make_article(
        title_en="Steppe diplomacy",
        title_kk="Дала дипломатиясы",
        title_ru="Степная дипломатия",
        abstract_kk="Дала дипломатиясы туралы.",
        language="kk",
    )
    author = make_author("Sayatbek S.S.")
    add_author(article, author, name_en="Sayatbek S.S.", name_kk="Сайатбек С.С.")
    add_author(article, make_author("Omarova A."), name_en="Omarova A.", name_kk="Омарова А.")
    add_keyword(article, "дипломатия", "kk")
    add_keyword(article, "diplomacy", "en")
    return article


@pytest.mark.parametrize(
    ("fixture", "language", "title", "authors"),
    [
        (
            "russian_article",
            "ru",
            "Мягкая сила малых государств",
            ["Жұматай, Ғ.Б.", "Байсултанова, К.Ч."],
        ),
        ("kazakh_article", "kk", "Дала дипломатиясы", ["Сайатбек, С.С.", "Омарова, А."]),
        ("kazakh_article", "ru", "Степная дипломатия", ["Sayatbek, S.S.", "Omarova, A."]),
        ("kazakh_article", "en", "Steppe diplomacy", ["Sayatbek, S.S.", "Omarova, A."]),
    ],
)
def test_h1_citation_title_json_ld_and_coins_agree_in_the_pages_language(
    client, request, fixture, language, title, authors
):
    article = request.getfixturevalue(fixture)
    page = described(client, article, language)
    assert (
        page["h1"]
        == page["citation_title"]
        == page["json_ld_name"]
        == page["coins_atitle"]
        == title
    )
    # Every author, "Family, Given", in the page language's script where printed in it.
    assert page["citation_authors"] == page["json_ld_authors"] == page["coins_authors"] == authors


def test_keywords_are_those_of_the_pages_language(client, kazakh_article):
    page = described(client, kazakh_article, "kk")
    assert page["citation_keywords"] == "дипломатия"
    assert page["json_ld_keywords"] == ["дипломатия"]
    page = described(client, kazakh_article, "en")
    assert page["json_ld_keywords"] == ["diplomacy"]
