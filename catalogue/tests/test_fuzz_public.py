"""Fuzzing the public pages and the API: whatever a visitor sends gets a page or a 4xx.

Random strings, huge numbers, wrong types, SQL and HTML fragments, NUL bytes,
invalid UTF-8 and encoded lone surrogates go into every parameter of every public
URL; nothing may answer 5xx, and nothing sent may come back as live markup.
Example counts are modest so the whole suite stays fast.
"""

import json
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.export import export_articles
from catalogue.models import Article

from .factories import (
    add_author,
    add_keyword,
    make_article,
    make_author,
    make_full_article,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

LIST_PAGES = [
    "/en/",
    "/en/articles/",
    "/en/articles/keywords/",
    "/en/authors/",
    "/api/articles",
    "/api/authors",
]
DETAIL_PATTERNS = [
    "/en/articles/{}/",
    "/en/articles/{}/cite.bib",
    "/en/articles/{}/cite.ris",
    "/en/articles/{}/cite.json",
    "/en/articles/{}/cite.{}",
    "/en/authors/{}/",
    "/en/issues/{}/",
    "/en/series/{}/",
    "/api/articles/{}",
]
PARAMETERS = [
    "q",
    "kq",
    "page",
    "sort",
    "series",
    "year",
    "year_from",
    "year_to",
    "keyword",
    "language",
    "issue",
    "section",
    "irsti",
]
NASTY = [
    "' OR 1=1 --",
    "1; DROP TABLE catalogue_article; --",
    "1) UNION SELECT password FROM auth_user --",
    "%",
    "_",
    "\\",
    "%%%",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "NaN",
    "Infinity",
    "-0",
    "1e999",
    "0x1F",
    "١٢٣",
    "１２３",
    "99999999999999999999999999999999",
    "-9223372036854775809",
    "9223372036854775808",
    "2147483648",
    "0",
    "-1",
    "1.5",
    "[]",
    "{}",
    "null",
    "true",
    "\u202etxt.exe",
    "\ufeff",
    "a\u0301\u0301\u0301",
    "𝕏𝕐",
    "00.00.00.00",
    "11.25",
    "11.",
    "en",
    "relevance",
]
RAW = [
    b"\x00",
    b"a\x00b",
    b"\xed\xa0\x80",  # an encoded lone surrogate (not valid UTF-8)
    b"\xed\xb3\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x82",
    b"\xc0\xaf",
]

texts = st.one_of(
    st.text(max_size=40).map(lambda s: s.encode("utf-8")),
    st.text(max_size=10).map(lambda s: (s + "\x00" + s).encode("utf-8")),
    st.sampled_from(NASTY).map(lambda s: s.encode("utf-8")),
    st.sampled_from(RAW),
    st.binary(max_size=20),
    st.integers(min_value=-(10**40), max_value=10**40).map(lambda n: str(n).encode()),
    st.text(max_size=3000, alphabet="ab ").map(lambda s: s.encode()),
)
names = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8).map(str.strip))
query_strings = st.lists(st.tuples(names, texts), max_size=6).map(
    lambda pairs: "&".join(
        quote_from_bytes(name.encode("utf-8", "surrogatepass")) + "=" + quote_from_bytes(value)
        for name, value in pairs
    )
)
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
    st.integers(min_value=10**19, max_value=10**60),
)


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.fixture
def catalogue():
    article = make_full_article()
    other = make_article(article.issue, title_en="Trade routes", position=2)
    add_author(other, make_author("Ivanov I."))
    add_keyword(other, "trade", "en")
    return article


def assert_handled(response, sent: str):
    assert response.status_code < 500, (response.status_code, sent)
    assert b"<script>alert" not in response.content, sent
    # Escaped text may keep the words ("&lt;img src=x onerror=...") but never the tag.
    assert b"<img src=x" not in response.content, sent
    if response.status_code == 400 and response["Content-Type"].startswith("application/json"):
        assert "error" in json.loads(response.content)


@pytest.mark.parametrize("page", LIST_PAGES)
@settings(FUZZ, max_examples=30)
@given(query=query_strings)
def test_list_pages_and_api_take_any_parameters(visitor, catalogue, page, query):
    response = visitor.get(page, QUERY_STRING=query)
    assert_handled(response, f"{page}?{query}")


@FUZZ
@given(
    pattern=st.sampled_from(DETAIL_PATTERNS),
    number=numbers,
    fmt=st.text(max_size=10),
    query=query_strings,
)
def test_detail_pages_take_any_number(visitor, catalogue, pattern, number, fmt, query):
    path = pattern.format(number, quote_from_bytes(fmt.encode("utf-8")))
    response = visitor.get(path, QUERY_STRING=query)
    assert_handled(response, path)
    assert response.status_code in (200, 301, 302, 400, 404), path


@FUZZ
@given(segment=texts)
def test_any_path_segment_is_a_page_or_404(visitor, catalogue, segment):
    for prefix in ("/en/articles/", "/en/authors/", "/api/articles/", "/"):
        path = prefix + quote_from_bytes(segment)
        response = visitor.get(path)
        assert_handled(response, path)


@FUZZ
@given(method=st.sampled_from(["POST", "PUT", "DELETE", "PATCH"]), page=st.sampled_from(LIST_PAGES))
def test_wrong_methods_are_refused_not_fatal(visitor, catalogue, method, page):
    response = visitor.generic(method, page, data=b"\x00\xff<script>", content_type="text/plain")
    assert_handled(response, f"{method} {page}")


@pytest.mark.parametrize(
    "url",
    [
        "/en/articles/keywords/?kq=%00",
        "/en/authors/?q=a%00b",
        "/api/authors?q=%00",
        "/api/articles?q=%00",
        "/en/articles/?year=99999999999999999999",
        "/api/articles?keyword=99999999999999999999",
        "/api/articles?page=99999999999999999999",
        "/en/articles/keywords/?kq=%ED%A0%80",
        "/en/authors/?q=%ED%A0%80",
        "/en/articles/?q=%26%7C!%3A*",
        "/en/articles/" + "9" * 40 + "/",
    ],
)
def test_known_hard_inputs(visitor, catalogue, url):
    path, _, query = url.partition("?")
    assert_handled(visitor.get(path, QUERY_STRING=query), url)


# ---------------------------------------------------------------- metadata as text

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile():
    article = make_full_article(title_en=SCRIPT, abstract_en=f"Abstract {SCRIPT}")
    author = make_author(f"Evil {SCRIPT}")
    add_author(article, author, name_en=f"Evil {SCRIPT}")
    add_keyword(article, f"kw {SCRIPT}", "en")
    return article, author


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_html_in_metadata_is_text_on_public_pages(visitor, hostile):
    article, author = hostile
    for url in [
        f"/en/articles/{article.pk}/",
        "/en/articles/",
        "/en/articles/?q=alert",
        "/en/articles/keywords/",
        f"/en/authors/{author.pk}/",
        "/en/authors/?q=Evil",
        f"/en/issues/{article.issue_id}/",
        "/en/",
    ]:
        html = page_text(visitor, url)
        assert SCRIPT not in html, url
        assert "<script>alert" not in html, url
    assert ESCAPED in page_text(visitor, f"/en/articles/{article.pk}/")
    assert ESCAPED in page_text(visitor, "/en/articles/")
    assert ESCAPED in page_text(visitor, f"/en/authors/{author.pk}/")


def test_html_in_metadata_is_data_in_the_api_and_citations(visitor, hostile):
    article, author = hostile
    response = visitor.get(f"/api/articles/{article.pk}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"]["en"] == SCRIPT
    response = visitor.get("/api/authors", {"q": "Evil"})
    assert response["Content-Type"].startswith("application/json")
    assert any(SCRIPT in row["name"].get("en", "") for row in response.json()["results"])
    for fmt in ("bib", "ris", "json"):
        response = visitor.get(f"/en/articles/{article.pk}/cite.{fmt}")
        assert response.status_code == 200
        assert not response["Content-Type"].startswith("text/html")
        assert response["Content-Disposition"].startswith("attachment")


def test_html_in_metadata_round_trips_the_export_unchanged(hostile, tmp_path):
    article, _ = hostile
    [item] = [a for a in export_articles() if a["doi"] == article.doi]
    assert item["title"]["en"] == SCRIPT
    out = tmp_path / "export.json"
    call_command("export", output=str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(entry["title"].get("en") == SCRIPT for entry in data)


def test_html_in_metadata_is_text_in_the_admin(client, hostile):
    article, author = hostile
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-passphrase-1")
    client.force_login(admin)
    for url in [
        "/admin/catalogue/article/",
        f"/admin/catalogue/article/{article.pk}/change/",
        "/admin/catalogue/author/",
        f"/admin/catalogue/author/{author.pk}/change/",
        "/admin/catalogue/keyword/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html, url
    assert Article.objects.filter(title_en=SCRIPT).exists()
