"""Whole public pages kept in each worker's memory under the catalogue's version.

The version (CatalogueChange) moves when a transaction that wrote a public table
commits, and only then; a page a visitor asked for is served again whole, after one
query for the version, until it moves. Editors and pages that hand out a cookie or a
form token never get or leave a shared copy.
"""

import time

import psycopg
import pytest
from django.apps import apps
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.urls import reverse

from catalogue import pagecache
from catalogue.models import Article, CatalogueChange
from catalogue.sql import names

from .factories import add_author, add_keyword, make_article, make_author, make_issue, page_url
from .test_admin_concurrency import open_form, save

# Tables no public page reads: written by visitors' reports, editors' uploads, the
# history of edits, and the change count itself.
# A counted search's own row only says which searches to count: its counts (searchfacetcount)
# are what a page reads.
PRIVATE_TABLES = {"errorreport", "documentupload", "cataloguechange", "countedsearch"}


def version() -> str:
    return CatalogueChange.objects.version()


def weight() -> int:
    return int(version().split(".")[0])


@pytest.fixture
def article():
    article = make_article(title_en="Water policy of Central Asia", doi="10.1234/water.1")
    add_author(article, make_author("Zhumatay G."), name_en="Zhumatay G.")
    add_keyword(article, "water")
    return article


@pytest.mark.django_db
def test_a_visitors_repeated_page_is_served_whole_after_one_query(
    client, article, django_assert_num_queries
):
    urls = [
        reverse("catalogue:article_list") + "?q=water",
        reverse("catalogue:author_list") + "?q=Zhumatay",
        "/api/articles?q=water",
        page_url("catalogue:article_detail", article.pk, language="ru"),
    ]
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(1):  # the version
            again = client.get(url)
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]
        assert again["ETag"] == first["ETag"]
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_a_write_in_the_same_request_cycle_shows_on_the_next_page(client, article):
    url = reverse("catalogue:article_list")
    assert "Water policy of Central Asia" in client.get(url).content.decode()
    Article.objects.filter(pk=article.pk).update(title_en="Rivers and treaties")
    html = client.get(url).content.decode()
    assert "Rivers and treaties" in html and "Water policy" not in html


@pytest.mark.django_db
def test_an_editors_admin_save_shows_on_the_visitors_next_page(client, editor, article):
    url = reverse("catalogue:article_list") + "?q=water"
    assert "Water policy of Central Asia" in client.get(url).content.decode()
    editor_client = type(client)()
    editor_client.force_login(editor)
    form = open_form(editor_client, article)
    form["title_en"] = "Water policy of the Aral basin"
    assert save(editor_client, article, form).status_code == 302
    assert "Water policy of the Aral basin" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_logged_in_editor_never_gets_the_visitors_copy(client, editor, article):
    url = reverse("catalogue:article_list")
    visitor = client.get(url)
    assert "public" in visitor["Cache-Control"]
    client.force_login(editor)
    mine = client.get(url)
    assert "private" in mine["Cache-Control"] or "no-cache" in mine["Cache-Control"]
    assert "public" not in mine["Cache-Control"]
    assert len(pagecache.MEMORY.pages) == 1  # the visitor's page only


@pytest.mark.django_db
def test_a_page_with_a_form_token_is_not_kept(rf):
    made = []

    @pagecache.kept_whole
    def page_with_a_form(request):
        made.append(request)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    for _ in range(2):
        assert page_with_a_form(rf.get("/form/")).status_code == 200
    assert len(made) == 2  # made again: each visitor's token is their own
    assert pagecache.MEMORY.pages == {}


@pytest.mark.django_db
def test_a_page_in_another_language_or_with_other_parameters_is_another_page(client, article):
    client.get(page_url("catalogue:article_list", language="en"))
    kazakh = client.get(page_url("catalogue:article_list", language="kk"))
    assert 'lang="kk"' in kazakh.content.decode()
    client.get(page_url("catalogue:article_list", language="en") + "?sort=title")
    assert len(pagecache.MEMORY.pages) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["catalogue:article_list", "catalogue:keyword_list"])
def test_a_page_whose_counts_ran_out_of_time_is_kept_briefly(client, article, page):
    url = reverse(page) + "?q=water"
    with override_settings(SEARCH_COUNTS_MS=0):
        assert client.get(url).status_code == 200
        (kept,) = pagecache.MEMORY.pages.values()
        assert kept.expires - time.monotonic() <= pagecache.BRIEF_SECONDS
    client.get(url)  # the counts fit now
    (full,) = pagecache.MEMORY.pages.values()
    assert full.expires - time.monotonic() > pagecache.BRIEF_SECONDS


@pytest.mark.django_db
def test_no_pages_are_kept_when_the_budget_is_zero(client, article):
    with override_settings(PAGE_MEMORY_MB=0):
        client.get(reverse("catalogue:article_list"))
    assert pagecache.MEMORY.pages == {}


def test_the_memory_drops_the_least_recently_served_page_past_its_budget():
    memory = pagecache.PageMemory()
    later = time.monotonic() + 60
    for name in ("a", "b", "c"):
        memory.keep(name, pagecache.KeptPage(b"x" * 100, (), later), budget=250)
    assert list(memory.pages) == ["b", "c"] and memory.size == 200
    assert memory.get("b") is not None  # now the most recent
    memory.keep("d", pagecache.KeptPage(b"y" * 100, (), later), budget=250)
    assert list(memory.pages) == ["b", "d"]
    memory.keep("old", pagecache.KeptPage(b"z", (), time.monotonic() - 1), budget=250)
    assert memory.get("old") is None and "old" not in memory.pages


@pytest.mark.django_db
def test_serving_public_pages_writes_nothing_that_moves_the_version(client, article):
    before = version()
    for url in (
        "/",
        reverse("catalogue:article_list") + "?q=water&year=2024",
        reverse("catalogue:author_list") + "?q=Жұматай",
        page_url("catalogue:article_detail", article.pk),
        page_url("catalogue:issue_detail", article.issue_id),
        "/api/articles",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/sitemap.xml",
    ):
        assert client.get(url, follow=True).status_code == 200, url
    assert version() == before


@pytest.mark.django_db
def test_every_table_a_public_page_reads_moves_the_version():
    """A new model's table must be counted, or said to be private, here."""
    tables = {
        model._meta.db_table.removeprefix("catalogue_")
        for model in apps.get_app_config("catalogue").get_models(include_auto_created=True)
        if not model._meta.db_table.startswith("catalogue_historical")
    }
    assert tables == set(names.PUBLIC_TABLES) | PRIVATE_TABLES
    for table in names.PUBLIC_TABLES:
        before = version()
        with transaction.atomic(), connection.cursor() as cursor:
            column = _first_column(cursor, table)
            cursor.execute(f"UPDATE catalogue_{table} SET {column} = {column} WHERE false")
        assert version() != before, table  # its own triggers' statements count too


def _first_column(cursor, table: str) -> str:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum LIMIT 1",
        [f"catalogue_{table}"],
    )
    return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_when_a_writer_commits_and_never_otherwise():
    start = version()
    issue = make_issue()
    committed = version()
    assert committed != start
    with transaction.atomic():
        make_article(issue=issue, title_en="One transaction")
        inside = version()
        assert inside != committed  # the writer sees its own writes at once
        Article.objects.filter(issue=issue).update(title_en="Many statements")
        assert version() != inside
    committed = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article(issue=issue, title_en="Rolled back")
        raise RuntimeError
    assert version() == committed
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint rolled back: its count goes with it
                Article.objects.filter(issue=issue).update(title_en="Savepoint")
                raise RuntimeError
        except RuntimeError:
            pass
        assert version() == committed
        Article.objects.filter(issue=issue).update(title_en="Counted after the savepoint")
    assert version() != committed
    committed = version()

    # Another connection's write is seen only once it commits.
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as other:
        other.execute("UPDATE catalogue_article SET title_en = 'Elsewhere'")
        other.execute("UPDATE catalogue_article SET title_en = 'Elsewhere again'")
        assert version() == committed
        other.commit()
    assert version() != committed


@pytest.mark.django_db
def test_the_version_never_repeats_after_the_count_is_restarted():
    """A backup restored, or `flush` (TRUNCATE ... RESTART IDENTITY): the same sum and
    highest id again must not find the pages kept for the old data."""
    make_issue()
    before = version()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(weight), max(id) FROM catalogue_cataloguechange")
        total, highest = cursor.fetchone()
        cursor.execute("TRUNCATE catalogue_cataloguechange RESTART IDENTITY")
        cursor.execute(
            "INSERT INTO catalogue_cataloguechange (id, weight) VALUES (%s, %s)", [highest, total]
        )
    assert version().split(".")[0] == before.split(".")[0]  # the same sum of weights
    assert version() != before


@pytest.mark.django_db
def test_a_transaction_of_many_statements_writes_its_count_row_once():
    """Each further statement counts itself in a setting: updating the transaction's row
    instead left a row version per statement, which every later statement walked."""

    def writes_to_the_count():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE relname = 'catalogue_cataloguechange'"
            )
            return cursor.fetchone()

    issue = make_issue()  # the transaction's row (and a fold, every 64th)
    first = writes_to_the_count()
    for n in range(50):
        Article.objects.filter(issue=issue).update(title_en=f"Edit {n}")
    assert writes_to_the_count() == first
    assert first[1] == 0


@pytest.mark.django_db(transaction=True)
def test_the_count_stays_a_few_rows_however_many_writers_commit():
    issue = make_issue()
    start = weight()
    for n in range(200):
        Article.objects.filter(issue=issue).update(title_en=f"Edit {n}")
    assert weight() >= start + 200
    assert CatalogueChange.objects.count() < 70
