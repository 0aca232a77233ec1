"""The archive of every issue, and the A–Z author index that /authors/ shows with no query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import authors
from catalogue.models import Author

from .factories import (
    add_author,
    make_article,
    make_author,
    make_issue,
    make_journal,
    make_series,
    page_url,
)

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("catalogue:archive")
AUTHORS = reverse("catalogue:author_list")


# ------------------------------------------------------------ archive


@pytest.fixture
def shelves():
    bulletin = make_journal(title_en="Bulletin of Ablai Khan University")
    relations = make_series(bulletin, name_en="International Relations")
    philology = make_series(bulletin, name_en="Philology")
    review = make_journal(title_en="Central Asian Review")
    issues = {
        "ir-2024": make_issue(relations, year=2024, number="1", whole_number="55"),
        "ir-2025-4": make_issue(relations, year=2025, number="4", whole_number="62"),
        "ir-2025-3": make_issue(relations, year=2025, number="3", whole_number="61"),
        "ph-2025": make_issue(philology, year=2025, number="2"),
        "review": make_issue(make_series(review), year=2023, number="1"),
    }
    for _ in range(3):
        make_article(issues["ir-2025-4"])
    make_article(issues["ph-2025"])
    return issues


def test_archive_lists_every_issue_by_journal_series_and_year(client, shelves):
    html = client.get(ARCHIVE).content.decode()
    html = html[html.index('<section class="archive-journal"') :]  # below the journals' index
    order = [
        "Bulletin of Ablai Khan University",
        "International Relations",
        "No. 4 (62) 2025",
        "No. 3 (61) 2025",
        "No. 1 (55) 2024",
        "Philology",
        "No. 2 2025",
        "Central Asian Review",
        "No. 1 2023",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    for issue in shelves.values():
        assert reverse("catalogue:issue_detail", args=[issue.pk]) in html


def test_archive_counts_each_issues_articles(client, shelves):
    html = client.get(ARCHIVE).content.decode()
    link = reverse("catalogue:issue_detail", args=[shelves["ir-2025-4"].pk])
    assert re.search(
        re.escape(link) + r'">No. 4 \(62\) 2025</a> <span class="count">3 articles', html
    )
    empty = reverse("catalogue:issue_detail", args=[shelves["review"].pk])
    assert re.search(re.escape(empty) + r'">No. 1 2023</a> <span class="count">0 articles', html)


def test_archive_is_linked_from_every_page_and_titled(client, shelves):
    home = client.get(reverse("catalogue:home")).content.decode()
    assert f'href="{ARCHIVE}"' in home
    html = client.get(ARCHIVE).content.decode()
    assert "<title>Archive of issues · Journal catalogue</title>" in html


@pytest.mark.parametrize(
    ("language", "designation", "count", "title"),
    [
        ("ru", "№ 4 (62) 2025", "3 статьи", "Архив выпусков"),
        ("kk", "№ 4 (62) 2025", "3 мақала", "Шығарылымдар мұрағаты"),
    ],
)
def test_archive_in_kazakh_and_russian(client, shelves, language, designation, count, title):
    html = client.get(page_url("catalogue:archive", language=language)).content.decode()
    assert f'{designation}</a> <span class="count">{count}' in html
    assert f"<h1>{title}</h1>" in html
    assert "No. 4" not in html


def test_archive_queries_do_not_grow_with_issues(client, shelves):
    with CaptureQueriesContext(connection) as few:
        client.get(ARCHIVE)
    series = make_series(make_journal())
    for year in range(2000, 2010):
        make_article(make_issue(series, year=year))
    with CaptureQueriesContext(connection) as many:
        client.get(ARCHIVE)
    assert len(many) == len(few)


# ------------------------------------------------------------ A–Z author index


@pytest.fixture
def people():
    names = [
        "Baker J.",
        "Abenova A.",
        "Ahmed S.",
        "Әлиев Б.",
        "Абаев А.",
        "Жұматай Г.",
        "Қасымов Н.",
        "Кенжебаев К.",
        "Ясинская О.",
        "Абай Е.",
    ]
    people = {name: make_author(name) for name in names}
    add_author(make_article(), people["Abenova A."])
    add_author(make_article(), people["Abenova A."])
    return people


def test_letters_of_each_script_in_alphabetical_order(client, people):
    index = authors.author_index("", "")
    assert index["scripts"] == [
        ("Latin", ["A", "B"]),
        ("Cyrillic", ["А", "Ә", "Ж", "К", "Қ", "Я"]),
    ]


def test_no_query_shows_the_first_letter_in_alphabetical_order(client, people):
    html = client.get(AUTHORS).content.decode()
    assert '<strong aria-current="page">A</strong>' in html
    found = re.findall(r'<li><a href="/en/authors/\d+/">([^<]+)</a>', html)
    assert found == ["Abenova A.", "Ahmed S."]
    assert "2 articles" in html


def test_a_cyrillic_letter_lists_its_names_in_kazakh_order(client, people):
    html = client.get(AUTHORS, {"letter": "А"}).content.decode()
    found = re.findall(r'<li><a href="/en/authors/\d+/">([^<]+)</a>', html)
    assert found == ["Абаев А.", "Абай Е."]
    html = client.get(AUTHORS, {"letter": "ә"}).content.decode()  # either case
    assert re.findall(r'<li><a href="/en/authors/\d+/">([^<]+)</a>', html) == ["Әлиев Б."]


def test_the_index_pages_by_keyset_through_a_letter(client, monkeypatch):
    monkeypatch.setattr(authors, "INDEX_PAGE_SIZE", 3)
    names = [f"Sadykov {chr(ord('A') + i)}." for i in range(7)]
    for name in reversed(names):
        make_author(name)
    make_author(names[2])  # two people of one name: ids break the tie
    seen, url, pages = [], AUTHORS + "?letter=S", 0
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r'<li><a href="/en/authors/(\d+)/">([^<]+)</a>', html)
        following = re.search(r'rel="next" href="([^"]+)"', html)
        url = AUTHORS + following.group(1).replace("&amp;", "&") if following else ""
        pages += 1
    assert pages == 3
    assert [name for _pk, name in seen] == sorted(names + [names[2]])
    assert len({pk for pk, _name in seen}) == 8


def test_a_keyset_page_starts_just_after_the_given_author(people):
    after = people["Abenova A."]
    page = list(Author.objects.under_initial("A", after))
    assert [person.display_name for person in page] == ["Ahmed S."]


def test_the_keyset_page_query_enters_the_index_at_the_last_name(people):
    after = people["Abenova A."]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: say what a million do
    plan = Author.objects.under_initial("A", after)[:51].explain()
    # The row comparison is an index condition, not a filter over the letter's names.
    assert "author_initial_idx" in plan
    assert "Index Cond" in plan and "ROW(" in plan.split("Index Cond", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize(
    "params",
    [{"letter": "Q"}, {"letter": "A", "after": "999999999"}, {"letter": "A", "after": "x"}],
)
def test_a_letter_or_page_that_is_not_there_is_not_found(client, people, params):
    assert client.get(AUTHORS, params).status_code == 404


def test_an_empty_catalogue_has_an_empty_index(client):
    response = client.get(AUTHORS)
    assert response.status_code == 200
    assert "No authors yet." in response.content.decode()


def test_a_large_archive_shows_one_journal_at_a_time_with_an_index(client, shelves, monkeypatch):
    monkeypatch.setattr("catalogue.views.ARCHIVE_ALL_UP_TO", 4)  # five issues: too many
    html = client.get(ARCHIVE).content.decode()
    review = shelves["review"].series.journal
    assert '<strong aria-current="page">Bulletin of Ablai Khan University</strong>' in html
    assert f'<a href="?journal={review.pk}">Central Asian Review</a>' in html
    assert "4 issues" in html and "1 issue" in html
    assert "No. 4 (62) 2025" in html and "No. 1 2023" not in html
    html = client.get(ARCHIVE, {"journal": review.pk}).content.decode()
    assert "No. 1 2023" in html and "No. 4 (62) 2025" not in html
    assert client.get(ARCHIVE, {"journal": "999999"}).status_code == 404
