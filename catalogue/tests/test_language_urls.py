"""The language is in the URL (/en/, /kk/, /ru/): old addresses move there for good, every
page names its other-language versions (hreflang), the switcher goes to the same page,
the sitemaps list every language, and the machine interfaces keep their addresses."""

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import etree
from lxml import html as lxml_html

from .factories import make_author, make_full_article

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "kk", "ru")


@pytest.fixture
def article():
    return make_full_article(title_kk="Шағын мемлекеттердің жұмсақ күші")


def pages(article):
    """Every kind of public page, as (URL name, arguments)."""
    author = article.authorships.first().author
    return [
        ("catalogue:home", []),
        ("catalogue:article_list", []),
        ("catalogue:keyword_list", []),
        ("catalogue:article_detail", [article.pk]),
        ("catalogue:statistics", []),
        ("catalogue:author_list", []),
        ("catalogue:author_detail", [author.pk]),
        ("catalogue:issue_detail", [article.issue_id]),
        ("catalogue:series_detail", [article.issue.series_id]),
        ("report_error", [article.pk]),
    ]


def url_in(language, name, args=()):
    with translation.override(language):
        return reverse(name, args=args)


def test_every_page_is_under_each_languages_prefix(client, article):
    for name, args in pages(article):
        for language in LANGUAGES:
            url = url_in(language, name, args)
            assert url.startswith(f"/{language}/")
            # The URL decides, whatever the browser prefers.
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru" if language != "ru" else "en")
            assert response.status_code == 200, url
            assert response["Content-Language"] == language
            tree = lxml_html.fromstring(response.content)
            assert tree.get("lang") == language


def test_old_unprefixed_addresses_move_for_good_to_the_visitors_language(client, article):
    response = client.get(f"/articles/{article.pk}/?lang=x")
    assert response.status_code == 301
    assert response["Location"] == f"/en/articles/{article.pk}/?lang=x"
    response = client.get(f"/articles/{article.pk}/", HTTP_ACCEPT_LANGUAGE="kk")
    assert (response.status_code, response["Location"]) == (301, f"/kk/articles/{article.pk}/")
    assert "Accept-Language" in response["Vary"]
    assert client.get("/").status_code == 301
    assert client.get("/", follow=True).redirect_chain == [("/en/", 301)]
    assert client.get("/no/such/page/").status_code == 404


def test_every_page_links_its_versions_in_every_language_and_x_default(client, article):
    for name, args in pages(article):
        url = url_in("ru", name, args)
        tree = lxml_html.fromstring(client.get(url).content)
        links = {
            link.get("hreflang"): link.get("href")
            for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")
        }
        assert links == {
            **{code: f"http://testserver{url_in(code, name, args)}" for code in LANGUAGES},
            "x-default": "http://testserver" + url_in("en", name, args).removeprefix("/en"),
        }, url
        for code in LANGUAGES:
            assert client.get(links[code].removeprefix("http://testserver")).status_code == 200


def test_alternates_keep_the_query_string(client, article):
    tree = lxml_html.fromstring(client.get("/kk/articles/?q=soft&year=2025").content)
    (russian,) = tree.xpath("//link[@hreflang='ru']/@href")
    assert russian == "http://testserver/ru/articles/?q=soft&year=2025"


def test_the_language_switcher_goes_to_the_same_page_in_the_other_language(client, article):
    page = client.get(f"/en/articles/{article.pk}/?from=list")
    tree = lxml_html.fromstring(page.content)
    (form,) = tree.xpath("//form[contains(@class, 'language-switcher')]")
    data = {field.get("name"): field.get("value") for field in form.xpath(".//input[@name]")}
    data["language"] = "kk"
    response = client.post(form.get("action"), data)
    assert response.status_code == 302
    assert response["Location"] == f"/kk/articles/{article.pk}/?from=list"
    assert "Шағын мемлекеттердің жұмсақ күші" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "path",
    ["/oai?verb=Identify", "/api/articles", "/api/openapi.json", "/robots.txt", "/sitemap.xml"],
)
def test_machine_interfaces_keep_their_unprefixed_addresses(client, article, path, settings):
    settings.CATALOGUE_BASE_URL = "http://testserver"
    assert client.get(path).status_code == 200
    for language in LANGUAGES:
        assert client.get(f"/{language}{path}").status_code == 404


def test_health_feeds_and_admin_stay_unprefixed(client, article, settings):
    assert client.get(reverse("healthz")).status_code == 200
    assert reverse("healthz") == "/healthz"
    assert client.get("/feeds/articles.atom").status_code == 200
    assert reverse("admin:index") == f"/{settings.ADMIN_URL_PREFIX}"


def test_records_give_the_article_page_in_the_articles_own_language(client, article, settings):
    settings.CATALOGUE_BASE_URL = "http://testserver"
    article.language = "kk"
    article.save()
    for accept in LANGUAGES:
        oai = client.get(
            "/oai",
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": f"oai:testserver:article/{article.pk}",
            },
            HTTP_ACCEPT_LANGUAGE=accept,
        )
        assert f"http://testserver/kk/articles/{article.pk}/".encode() in oai.content


SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def test_sitemaps_list_every_language_with_its_alternates(client, article):
    author = make_author("Lone A.")
    doc = etree.fromstring(client.get("/sitemap-articles.xml", HTTP_ACCEPT_LANGUAGE="ru").content)
    locations = doc.xpath("s:url/s:loc/text()", namespaces=SM)
    assert locations == [f"http://testserver/{code}/articles/{article.pk}/" for code in LANGUAGES]
    for entry in doc.findall("s:url", SM):
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in entry.findall("xhtml:link[@rel='alternate']", SM)
        }
        assert alternates == {
            **{code: f"http://testserver/{code}/articles/{article.pk}/" for code in LANGUAGES},
            "x-default": f"http://testserver/articles/{article.pk}/",
        }
    doc = etree.fromstring(client.get("/sitemap-authors.xml").content)
    assert f"http://testserver/kk/authors/{author.pk}/" in doc.xpath(
        "s:url/s:loc/text()", namespaces=SM
    )
