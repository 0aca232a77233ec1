"""Atom feeds, sitemap.xml, robots.txt and COinS spans."""

from urllib.parse import parse_qs

import pytest
from lxml import etree

from .factories import make_article, make_author, make_full_article, make_issue, make_series

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SM = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(response):
    assert response.status_code == 200
    return etree.fromstring(response.content, etree.XMLParser(no_network=True))


@pytest.fixture
def article():
    return make_full_article(abstract_en="Soft <script>alert(1)</script> power.")


def test_latest_articles_feed_is_atom_with_every_article(client, article):
    other = make_article(make_issue(), title_en="Another article")
    response = client.get("/feeds/articles.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = xml(response)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    titles = feed.xpath("a:entry/a:title/text()", namespaces=ATOM)
    assert set(titles) == {"Soft power & <small> states", "Another article"}
    links = feed.xpath("a:entry/a:link/@href", namespaces=ATOM)
    assert f"http://testserver/en/articles/{other.pk}/" in links
    entry = feed.xpath("a:entry[a:title='Soft power & <small> states']", namespaces=ATOM)[0]
    assert entry.findtext("a:author/a:name", namespaces=ATOM) == "Zhumatay G., Baissultanova K.Ch."
    assert entry.findtext("a:id", namespaces=ATOM) == "https://doi.org/10.48371/ISMO.2025.60.2.001"


def test_feed_escapes_markup_in_metadata(client, article):
    body = client.get("/feeds/articles.atom").content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;" in body


def test_series_feed_has_only_that_series(client, article):
    elsewhere = make_article(make_issue(make_series()), title_en="Elsewhere")
    feed = xml(client.get(f"/feeds/series/{article.issue.series_id}.atom"))
    titles = feed.xpath("a:entry/a:title/text()", namespaces=ATOM)
    assert titles == ["Soft power & <small> states"]
    assert "International relations" in feed.findtext("a:title", namespaces=ATOM)
    assert client.get("/feeds/series/999999.atom").status_code == 404
    assert elsewhere.pk


def test_pages_link_the_feeds_in_their_head(client, article):
    page = client.get("/en/").content.decode()
    assert 'type="application/atom+xml"' in page
    assert 'href="/feeds/articles.atom"' in page
    series_page = client.get(f"/en/series/{article.issue.series_id}/").content.decode()
    assert f'href="/feeds/series/{article.issue.series_id}.atom"' in series_page


def test_sitemap_index_lists_sections_that_list_every_page(client, article):
    author = make_author("Lone A.")
    index = xml(client.get("/sitemap.xml"))
    locations = index.xpath("s:sitemap/s:loc/text()", namespaces=SM)
    assert locations == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("home", "articles", "issues", "series", "authors")
    ]
    urls = []
    for location in locations:
        section = xml(client.get(location.removeprefix("http://testserver")))
        assert section.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        urls += section.xpath("s:url/s:loc/text()", namespaces=SM)
    expected = {
        "http://testserver/en/",
        f"http://testserver/en/articles/{article.pk}/",
        f"http://testserver/en/issues/{article.issue_id}/",
        f"http://testserver/en/series/{article.issue.series_id}/",
        f"http://testserver/en/authors/{author.pk}/",
    }
    assert expected <= set(urls)
    articles = xml(client.get("/sitemap-articles.xml"))
    assert articles.findtext("s:url/s:lastmod", namespaces=SM).startswith(str(article.updated.year))
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_robots_txt_lets_harvesters_reach_oai(client, settings):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert not any(line.startswith("Disallow: /oai") for line in lines)
    assert [line for line in lines if line.startswith("Disallow:")] == ["Disallow: /admin/"]
    settings.CATALOGUE_BASE_URL = "https://catalogue.example.org"
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: https://catalogue.example.org/sitemap.xml" in lines


def coins(page):
    """The ContextObjects of every COinS span in a page, parsed."""
    doc = etree.fromstring(page, etree.HTMLParser())
    return [parse_qs(span.get("title")) for span in doc.xpath("//span[@class='Z3988']")]


def test_article_page_has_a_coins_span_for_zotero(client, article):
    page = client.get(f"/en/articles/{article.pk}/").content
    (context,) = coins(page)
    assert context["ctx_ver"] == ["Z39.88-2004"]
    assert context["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert context["rft.atitle"] == ["Soft power & <small> states"]
    assert context["rft.jtitle"] == ["Bulletin of Ablai Khan KazUIRandWL"]
    assert context["rft.au"] == ["Zhumatay, G.", "Baissultanova, K.Ch."]
    assert (context["rft.aulast"], context["rft.aufirst"]) == (["Zhumatay"], ["G."])
    assert context["rft.spage"] == ["10"] and context["rft.epage"] == ["22"]
    # Print ISSN in rft.issn, online in rft.eissn; volume and issue as the meta tags.
    assert (context["rft.issn"], context["rft.eissn"]) == (["2411-8753"], ["2710-3633"])
    assert (context["rft.volume"], context["rft.issue"]) == (["60"], ["2"])
    assert context["rft_id"] == [
        "info:doi/10.48371/ISMO.2025.60.2.001",
        f"http://testserver/en/articles/{article.pk}/",
    ]


def test_coins_title_follows_the_pages_language(client, article):
    page = client.get(f"/ru/articles/{article.pk}/").content
    (context,) = coins(page)
    assert context["rft.atitle"] == ["Мягкая сила малых государств"]
    assert context["rft.au"][0] == "Жұматай, Ғ.Б."


def test_browse_results_carry_one_coins_span_each(client, article):
    make_article(make_issue(), title_en="Second <script>x</script>")
    page = client.get("/en/articles/").content
    contexts = coins(page)
    assert sorted(c["rft.atitle"][0] for c in contexts) == [
        "Second <script>x</script>",
        "Soft power & <small> states",
    ]
    assert b"<script>x</script>" not in page
