"""Discovery as readers expect it: bounded parameters, odd corners of the browse, one
search box that understands what people paste."""

import pytest
from django.conf import settings
from django.urls import reverse

from catalogue import middleware

from .factories import make_article, make_issue

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
    names = ["year", "series", "keyword", "issue"]
    query = "&".join(f"{name}={i + 1}" for name in names for i in range(16))  # 64 values
    assert client.get(BROWSE + "?" + query).status_code == 400


def test_an_overlong_value_gets_a_400(client):
    assert client.get(BROWSE, {"q": "x" * (middleware.MAX_VALUE_LENGTH + 1)}).status_code == 400


def test_values_within_the_bounds_are_served(client):
    make_article(make_issue(year=2024))
    years = [str(2000 + i) for i in range(middleware.MAX_VALUES_PER_PARAMETER)]
    assert client.get(BROWSE, {"year": years}).status_code == 200


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_400_page_is_in_the_visitors_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(BROWSE + "?" + "&".join(["year=2024"] * 30))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "Bad request" not in html
