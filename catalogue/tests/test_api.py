"""The JSON API: browse as data, one article, author search; bad input is a JSON 400."""

import json

import pytest
from django.urls import reverse

from .factories import add_keyword, make_article, make_full_article, make_issue

pytestmark = pytest.mark.django_db

ARTICLES = reverse("api:article_list")
AUTHORS = reverse("api:author_list")


@pytest.fixture
def article():
    article = make_full_article()
    older = make_article(make_issue(article.issue.series, year=2023), language="ru")
    add_keyword(older, "security")
    return article


def test_article_list_returns_export_dicts_and_facets(client, article):
    data = client.get(ARTICLES).json()
    assert (data["count"], data["page"], data["pages"]) == (2, 1, 1)
    first = data["results"][0]
    assert first["id"] == article.pk
    assert first["doi"] == "10.48371/ISMO.2025.60.2.001"
    assert first["title"]["ru"] == "Мягкая сила малых государств"
    assert first["authors"][0]["name"] == {"en": "Zhumatay G.", "ru": "Жұматай Ғ.Б."}
    assert {"value": 2025, "label": "2025", "count": 1} in data["facets"]["year"]
    assert set(data["facets"]) == {
        "series",
        "year",
        "keyword",
        "author",
        "organisation",
        "language",
        "issue",
        "section",
        "irsti",
    }


def test_article_list_takes_the_browse_parameters(client, article):
    assert client.get(ARTICLES, {"year": ["2023", "2025"]}).json()["count"] == 2
    assert client.get(ARTICLES, {"year": "2025", "language": "ru"}).json()["count"] == 0
    assert client.get(ARTICLES, {"q": "мягкую силу"}).json()["count"] == 1
    assert client.get(ARTICLES, {"irsti": "11.25"}).json()["count"] == 1
    assert client.get(ARTICLES, {"year_from": "2024", "sort": "title"}).json()["count"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"year": "twenty"},
        {"year_from": "0"},
        {"page": "x"},
        {"page": "0"},
        {"sort": "random"},
        {"language": "de"},
        {"irsti": "11.2"},
        {"series": "1;drop"},
    ],
)
def test_bad_parameters_are_a_json_400(client, article, params):
    response = client.get(ARTICLES, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "error" in response.json()


def test_a_page_past_the_last_is_a_json_404(client, article):
    response = client.get(ARTICLES, {"page": "9"})
    assert response.status_code == 404
    assert response.json() == {"error": "page 9 is out of range (1 to 1)"}


def test_one_article_in_export_format(client, article):
    data = client.get(reverse("api:article_detail", args=[article.pk])).json()
    assert data["id"] == article.pk
    assert data["keywords"] == {"en": ["soft power", "Kazakhstan"], "ru": ["мягкая сила"]}
    missing = client.get(reverse("api:article_detail", args=[999999]))
    assert missing.status_code == 404 and "error" in missing.json()


def test_author_search(client, article):
    data = client.get(AUTHORS, {"q": "Жуматай"}).json()
    assert data["count"] >= 1
    top = data["results"][0]
    assert top["name"] == {"en": "Zhumatay G.", "ru": "Жұматай Ғ.Б."}
    assert top["orcid"] == "0000-0002-1825-0097"
    assert top["articles"] == 1
    assert top["matched"] in ("Zhumatay G.", "Жұматай Ғ.Б.")
    assert client.get(AUTHORS, {"q": ""}).status_code == 400
    nothing = client.get(AUTHORS, {"q": "Zhumbayev"}).json()
    assert nothing["count"] == 0 and "Zhumatay G." in nothing["suggestions"]


def test_article_list_runs_a_fixed_number_of_queries(
    client, article, django_assert_max_num_queries
):
    for position in range(2, 20):
        make_article(article.issue, position=position)
    # The first request makes the twenty articles' exports and keeps them (pagecache).
    with django_assert_max_num_queries(22):
        assert client.get(ARTICLES).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(ARTICLES).status_code == 200


def test_an_error_echoing_what_was_sent_cannot_open_a_tag(client):
    response = client.get("/api/articles", {"sort": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert b"<script" not in response.content
    assert "<script>" in json.dumps(response.json())  # the text is kept, only escaped
