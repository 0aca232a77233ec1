"""Public pages rendered once per version of their record, and HTTP caching.

The record's part of an article or issue page is kept in the cache (the database
cache here, as in production by default) under the record's harvest datestamp; every
kind of write that changes what a record shows moves it, so the next request shows
the change. Conditional GETs of an unchanged page get 304; a page a visitor who is not
logged in gets may be kept by a proxy, an editor's never.
"""

import json

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import pagecache
from catalogue.models import (
    Article,
    ArticleSource,
    Author,
    IngestWarning,
    Keyword,
    SourceDocument,
)

from .factories import (
    add_author,
    add_keyword,
    add_reference,
    make_article,
    make_author,
    page_url,
)
from .test_admin_concurrency import open_form, save
from .test_editorial_people import merge_through_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[0, 64], ids=["record-parts", "whole-pages"])
def _whole_pages(request, settings):
    """Each test twice: with the record's parts cached alone (what a page asked for the
    first time since the catalogue changed goes through), and with whole pages kept too."""
    settings.PAGE_MEMORY_MB = request.param


def page(client, article, language="en", **headers):
    return client.get(
        page_url("catalogue:article_detail", article.pk, language=language), headers=headers
    )


def cached_queries(django_assert_max_num_queries, client, url):
    """The page is served from the cache: the stamp, the cache look-up (or, whole, the
    catalogue's version)."""
    with django_assert_max_num_queries(2):
        return client.get(url)


@pytest.fixture
def article():
    article = make_article(title_en="Water policy of Central Asia", doi="10.1234/water.1")
    add_author(article, make_author("Zhumatay G."), name_en="Zhumatay G.")
    add_reference(article, "Nye J. Soft Power. New York, 2004.")
    return article


def test_a_conditional_get_of_an_unchanged_article_page_gets_304(client, article):
    first = page(client, article)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    again = page(client, article, if_none_match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = page(client, article, if_modified_since=first["Last-Modified"])
    assert since.status_code == 304

    article.title_en = "Water and energy policy"
    article.save()
    changed = page(client, article, if_none_match=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Water and energy policy" in changed.content.decode()


def test_the_etag_differs_by_interface_language(client, article):
    english = page(client, article, language="en")
    russian = page(client, article, language="ru")
    assert english["ETag"] != russian["ETag"]
    assert page(client, article, language="ru", if_none_match=english["ETag"]).status_code == 200
    # The record's part was rendered for each language, not served from the other's.
    assert "<h2>Сведения</h2>" in russian.content.decode()
    assert "<h2>Details</h2>" in english.content.decode()


def test_the_record_is_rendered_once_then_served_from_the_cache(
    client, article, django_assert_max_num_queries
):
    url = reverse("catalogue:article_detail", args=[article.pk])
    first = client.get(url)
    second = cached_queries(django_assert_max_num_queries, client, url)
    assert second.content == first.content
    assert "Water policy of Central Asia" in second.content.decode()
    assert 'name="citation_title"' in second.content.decode()  # the meta tags come too


def test_an_editors_change_is_visible_on_the_next_request(editor_client, article):
    visitor = Client()
    assert "Water policy of Central Asia" in page(visitor, article).content.decode()
    before = page(editor_client, article)
    assert "Water policy of Central Asia" in before.content.decode()
    # The editor's own pages are never kept by anyone.
    assert "no-store" in before["Cache-Control"] and "private" in before["Cache-Control"]

    form = open_form(editor_client, article)
    response = save(editor_client, article, {**form, "title_en": "Water policies of Central Asia"})
    assert response.status_code == 302

    for client in (editor_client, visitor):
        html = page(client, article).content.decode()
        assert "Water policies of Central Asia" in html
        assert "Water policy of Central Asia" not in html


def test_an_ingest_that_changes_a_record_changes_its_page(client, seeds, tmp_path):
    call_command(
        "ingest",
        str(seeds / "003_fdd0b68bd806740f.txt"),
        journal="Bulletin of Ablai Khan KazUIRandWL",
        series="International Relations",
        verbosity=0,
    )
    article = Article.objects.get()
    assert article.title in page(client, article).content.decode()
    export = tmp_path / "catalogue.json"
    call_command("export", "--format", "json", "--output", str(export))
    records = json.loads(export.read_text(encoding="utf-8"))
    records[0]["abstract"]["en"] = "An abstract read again from a corrected document."
    export.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    call_command("ingest", str(export), verbosity=0)

    assert (
        "An abstract read again from a corrected document."
        in page(client, article).content.decode()
    )


def test_an_author_merge_changes_the_pages_of_their_articles(client, editor_client):
    keep = make_author("Zhumatay G.", orcid="0000-0002-1825-0097")
    other = make_author("Zhumatay Gulnara")
    article = make_article(title_en="Soft power")
    add_author(article, other)
    assert "0000-0002-1825-0097" not in page(client, article).content.decode()

    response, _ = merge_through_admin(editor_client, "author", [keep, other], keep)
    assert response.status_code == 302 and list(Author.objects.all()) == [keep]

    html = page(client, article).content.decode()
    assert "0000-0002-1825-0097" in html
    assert reverse("catalogue:author_detail", args=[keep.pk]) in html


def test_an_issue_page_shows_a_changed_or_added_article_at_once(
    client, article, django_assert_max_num_queries
):
    url = reverse("catalogue:issue_detail", args=[article.issue_id])
    assert "Water policy of Central Asia" in client.get(url).content.decode()
    with django_assert_max_num_queries(2):
        client.get(url)
    article.title_en = "Water and energy"
    article.save()
    assert "Water and energy" in client.get(url).content.decode()
    make_article(article.issue, title_en="A second article")
    assert "A second article" in client.get(url).content.decode()
    Author.objects.filter(display_name="Zhumatay G.").update(display_name="Zhumatay Gulnara")
    article.authorships.update(name_en="")
    assert "Zhumatay Gulnara" in client.get(url).content.decode()


def test_a_citation_download_follows_the_record(client, article):
    url = reverse("catalogue:article_cite", args=[article.pk, "bib"])
    first = client.get(url)
    assert "Water policy of Central Asia" in first.content.decode()
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    article.title_en = "Water and energy"
    article.save()
    assert "Water and energy" in client.get(url).content.decode()
    assert (
        client.get(reverse("catalogue:article_cite", args=[article.pk, "nope"])).status_code == 404
    )


def test_a_visitors_public_page_may_be_kept_by_a_proxy(client, article):
    response = page(client, article)
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in control and "max-age=0" in control
    assert any(part.startswith("s-maxage=") for part in control)
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary
    assert not response.cookies
    # Other public pages too, with an ETag from their content.
    browse = client.get(reverse("catalogue:article_list"))
    assert "public" in browse["Cache-Control"] and browse["ETag"]
    assert (
        client.get(
            reverse("catalogue:article_list"), headers={"if-none-match": browse["ETag"]}
        ).status_code
        == 304
    )


def test_a_page_with_a_form_token_is_kept_by_no_proxy(client, article):
    response = client.get(reverse("report_error", args=[article.pk]))
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_new_release_gets_new_etags(client, article):
    first = page(client, article)
    pagecache.release.cache_clear()
    try:
        with override_settings(PAGE_CACHE_RELEASE="next-release"):
            assert page(client, article, if_none_match=first["ETag"]).status_code == 200
    finally:
        pagecache.release.cache_clear()


def test_a_result_list_shows_a_changed_record_at_once(client, article):
    url = reverse("catalogue:article_list")
    first = client.get(url).content.decode()
    assert "Water policy of Central Asia" in first and "Zhumatay G." in first
    assert client.get(url).content.decode() == first  # the entries from the cache
    author = Author.objects.get(display_name="Zhumatay G.")
    author.orcid = "0000-0002-1825-0097"
    author.save()
    article.authorships.update(name_en="Zhumatay Gulnara")
    article.title_en = "Water and energy"
    article.save()
    html = client.get(url).content.decode()
    assert "Water and energy" in html and "Zhumatay Gulnara" in html
    assert "Water policy of Central Asia" not in html


def test_the_facets_show_a_renamed_series_keyword_or_person_at_once(client, article):
    """The facet values' names are kept in each worker's memory under the catalogue's
    version: a rename of what a facet shows moves it."""
    add_keyword(article, "water security")
    url = reverse("catalogue:article_list")

    def facets() -> str:
        html = client.get(url).content.decode()
        return html[html.index('<aside class="facets"') : html.index("</aside>")]

    first = facets()
    assert "water security" in first and "Zhumatay G." in first
    series = article.issue.series
    series.name_en = "Hydropolitics"
    series.save()
    Keyword.objects.filter(text="water security").update(text="water safety")
    Author.objects.filter(display_name="Zhumatay G.").update(display_name="Zhumatay Gulnara")
    shown = facets()
    assert "Hydropolitics" in shown and "water safety" in shown and "Zhumatay Gulnara" in shown
    assert "water security" not in shown and "Zhumatay G." not in shown


def test_a_worker_reads_the_entries_it_kept_from_its_memory(client, article):
    """The second worker's request reads them from the shared cache; the same worker's
    next one, from its memory (no look-up in the cache table)."""
    url = reverse("catalogue:article_list")
    first = client.get(url).content.decode()
    pagecache.PARTS.clear()  # another worker
    pagecache.MEMORY.clear()  # the page made again (the whole-pages pass keeps it)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content.decode() == first
    assert any("catalogue_cache_pages" in query["sql"] for query in queries)
    pagecache.MEMORY.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content.decode() == first
    assert not any("catalogue_cache_pages" in query["sql"] for query in queries)


def test_a_worker_keeps_the_newest_parts_up_to_its_limit(monkeypatch):
    monkeypatch.setattr(pagecache, "PARTS_KEPT", 3)
    for n in range(5):
        pagecache._set_many({f"part:{n}": n})
    assert list(pagecache.PARTS) == ["part:2", "part:3", "part:4"]
    assert pagecache._get_many(["part:0", "part:4"]) == {"part:0": 0, "part:4": 4}


def test_the_api_shows_a_changed_record_and_a_new_source_at_once(client, article):
    listed = client.get("/api/articles").json()["results"][0]
    assert listed == client.get(f"/api/articles/{article.pk}").json()
    assert listed["title"]["en"] == "Water policy of Central Asia" and listed["sources"] == []
    assert client.get("/api/articles").json()["results"][0] == listed  # from the cache
    article.title_en = "Water and energy"
    article.save()
    # A document's link to the article moves no datestamp: sources are read every time.
    document = SourceDocument.objects.create(file_name="003.pdf", size=1, parser_version="1")
    ArticleSource.objects.create(article=article, document=document)
    for found in (
        client.get("/api/articles").json()["results"][0],
        client.get(f"/api/articles/{article.pk}").json(),
    ):
        assert found["title"]["en"] == "Water and energy" and found["sources"] == ["003.pdf"]
        assert list(found) == list(listed)  # the same keys, in the same order


def test_the_database_cache_writes_many_entries_in_one_statement(django_assert_max_num_queries):
    store = caches["pages"]
    with django_assert_max_num_queries(4):  # a savepoint, the count, the insert, its release
        store.set_many({f"entry-{n}": f"<li>{n}</li>" for n in range(20)})
    store.set_many({"entry-3": "<li>three</li>"})
    found = store.get_many([f"entry-{n}" for n in range(20)])
    assert len(found) == 20 and found["entry-3"] == "<li>three</li>"
    store.set("entry-4", {"body": "four"}, 60)
    assert store.get("entry-4") == {"body": "four"}


def test_a_query_string_does_not_reach_the_cached_meta_tags(client, article):
    url = reverse("catalogue:article_detail", args=[article.pk])
    head = client.get(url + "?utm_source=newsletter").content.decode().split("</head>")[0]
    cached = [line for line in head.splitlines() if "<meta name=" in line or "ld+json" in line]
    assert f'content="http://testserver{url}"' in head
    assert not any("utm_source" in line for line in cached)
    assert "utm_source" not in client.get(url).content.decode()


def test_resolving_a_review_warning_changes_the_trust_line_at_once(client, article):
    warning = IngestWarning.objects.create(
        article=article,
        kind=IngestWarning.Kind.MISSING_FIELD,
        field="pages",
        message="no pages",
    )
    assert "Metadata as extracted" in page(client, article).content.decode()
    warning.resolved = True
    warning.save()
    assert "Checked by an editor: pages." in page(client, article).content.decode()
