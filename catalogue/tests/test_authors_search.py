"""Author search at /authors/?q=: one person found by any spelling, in any script."""

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from catalogue import pagecache
from catalogue.authors import search_authors
from catalogue.editorial import merge_authors
from catalogue.models import (
    Article,
    Author,
    AuthorLatest,
    AuthorOrganisation,
    Authorship,
    AuthorshipAffiliation,
    CoAuthor,
    Organisation,
)

from .factories import (
    add_author,
    add_name_variant,
    make_article,
    make_author,
    make_issue,
    make_organisation,
)

pytestmark = pytest.mark.django_db

AUTHORS = reverse("catalogue:author_list")


@pytest.fixture
def people():
    zhumatay = make_author("Zhumatay G.", "en", orcid="0000-0002-1825-0097", email="g@example.kz")
    add_name_variant(zhumatay, "Жұматай Ғ.Б.", "kk")
    add_name_variant(zhumatay, "Жұматай Ғабит Бекенұлы", "kk", kind="full")
    baissultanova = make_author("Baissultanova K.Ch.", "en")
    add_name_variant(baissultanova, "Байсултанова К.Ч.", "ru")
    other = make_author("Akhmetova Sh.K.", "en")
    narxoz = make_organisation("Narxoz University")
    for year, position in ((2023, 1), (2025, 1)):
        article = make_article(make_issue(year=year), position=position)
        add_author(article, zhumatay, affiliations=[narxoz], name_en="Zhumatay G.")
        add_author(article, baissultanova, name_en="Baissultanova K.Ch.")
    return {"zhumatay": zhumatay, "baissultanova": baissultanova, "other": other}


def first(query):
    results = search_authors(query)["results"]
    return results[0]["author_id"] if results else None


@pytest.mark.parametrize("query", ["Жұматай", "Zhumatay", "zhumatai", "Жуматай", "ZHUMATAY G"])
def test_one_person_is_found_whatever_the_script_or_spelling(people, query):
    assert first(query) == people["zhumatay"].pk


def test_cyrillic_query_finds_the_latin_byline(people):
    result = search_authors("Байсултанова")["results"][0]
    assert result["author_id"] == people["baissultanova"].pk
    assert result["names"]["en"] == ["Baissultanova K.Ch."]
    assert result["names"]["ru"] == ["Байсултанова К.Ч."]


@pytest.mark.parametrize("typo", ["Baisultanva", "Baissultnova", "Zumatay", "Bajsultanova"])
def test_a_misspelt_name_still_finds_the_person(people, typo):
    assert first(typo) in (people["zhumatay"].pk, people["baissultanova"].pk)
    assert first(typo) != people["other"].pk


def test_results_show_the_matching_form_articles_years_and_affiliation(people):
    result = search_authors("Жұматай Ғабит")["results"][0]
    assert result["matched"] == "Жұматай Ғабит Бекенұлы"
    assert result["article_count"] == 2
    assert (result["first_year"], result["last_year"]) == (2023, 2025)
    assert result["affiliations"] == ["Narxoz University, Almaty, Kazakhstan"]


def test_a_persons_new_article_and_affiliation_show_in_the_next_search(people):
    assert search_authors("Zhumatay")["results"][0]["article_count"] == 2
    article = make_article(make_issue(year=2026), position=1)
    add_author(article, people["zhumatay"], affiliations=[make_organisation("KazNU")])
    result = search_authors("Zhumatay")["results"][0]
    assert (result["article_count"], result["last_year"]) == (3, 2026)
    assert result["affiliations"] == ["KazNU, Almaty, Kazakhstan"]


def test_nothing_found_offers_did_you_mean(client, people):
    response = client.get(AUTHORS, {"q": "Zhumbatov"})
    assert response.context["results"] == []
    assert "Zhumatay G." in response.context["suggestions"]
    assert "Did you mean" in response.content.decode()


def test_close_spellings_come_alone_and_loose_ones_only_when_nothing_is_close(people):
    make_author("Zhumatayuly A.")  # begins with "Zhumatay": a close match
    close = {row["author_id"] for row in search_authors("Zhumatay")["results"]}
    assert close == {people["zhumatay"].pk, Author.objects.get(display_name="Zhumatayuly A.").pk}
    # "Zumatay" is close to no one (about 0.45): the looser pass finds the person.
    loose = search_authors("Zumatay")["results"]
    assert [row["author_id"] for row in loose] == [people["zhumatay"].pk]
    assert 0.35 <= loose[0]["score"] < 0.6


def test_author_search_page_lists_people_in_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    for n in range(10):
        make_author(f"Zhumatayev{n} A.")
    # The listing of a name that thousands of forms start with (nothing here), the forms
    # scored (pg_trgm's thresholds set in the same query string), the catalogue's version
    # (twice: pagecache.kept_whole and the cards) and the cards from the cache; made, each
    # card's people, summaries, forms and latest affiliations (five), then kept (a
    # savepoint, a count, one insert and the release).
    with django_assert_max_num_queries(14):
        response = client.get(AUTHORS, {"q": "Zhumatay"})
    assert response.context["results"][0]["author_id"] == people["zhumatay"].pk
    assert "Narxoz University" in response.content.decode()
    pagecache.MEMORY.clear()  # the page made again, from the cards this worker kept
    with django_assert_max_num_queries(4):
        response = client.get(AUTHORS, {"q": "Zhumatay"})
    assert "Narxoz University" in response.content.decode()
    pagecache.MEMORY.clear()
    pagecache.PARTS.clear()  # another worker: the cards from the cache
    with django_assert_max_num_queries(5):
        response = client.get(AUTHORS, {"q": "Zhumatay"})
    assert "Narxoz University" in response.content.decode()


def test_author_page_shows_variants_articles_and_co_authors_not_email(client, people):
    url = reverse("catalogue:author_detail", args=[people["zhumatay"].pk])
    html = client.get(url).content.decode()
    assert "Жұматай Ғабит Бекенұлы" in html
    assert "https://orcid.org/0000-0002-1825-0097" in html
    assert "Baissultanova K.Ch." in html  # co-author
    assert "g@example.kz" not in html
    with override_settings(CATALOGUE_PUBLISH_EMAILS=True):
        assert "g@example.kz" in client.get(url).content.decode()


def test_author_page_query_count_does_not_grow_with_articles(
    client, people, django_assert_max_num_queries
):
    for position in range(2, 12):
        article = make_article(make_issue(year=2024), position=position)
        add_author(article, people["zhumatay"])
    page = reverse("catalogue:author_detail", args=[people["zhumatay"].pk])
    # The first request renders the result entries and keeps them (five queries more);
    # each asks for the catalogue's version first (pagecache.kept_whole).
    with django_assert_max_num_queries(15):
        client.get(page)
    pagecache.MEMORY.clear()  # the page made again, its entries from the cache
    with django_assert_max_num_queries(10):
        client.get(page)


def author_page(client, author, **params):
    return client.get(reverse("catalogue:author_detail", args=[author.pk]), params).context


def coauthor_list(client, author) -> list[tuple[str, int]]:
    return [(p.display_name, p.shared) for p in author_page(client, author)["coauthors"]]


def test_coauthors_rank_by_shared_articles_then_name_and_follow_every_write(client, people):
    zhumatay, baissultanova = people["zhumatay"], people["baissultanova"]
    assert coauthor_list(client, zhumatay) == [("Baissultanova K.Ch.", 2)]
    # A co-author added (as ingestion and the admin's inline add them).
    article = zhumatay.authorships.first().article
    add_author(article, make_author("Abenov A."))
    add_author(article, make_author("Yessen Y."))
    assert coauthor_list(client, zhumatay) == [
        ("Baissultanova K.Ch.", 2),
        ("Abenov A.", 1),
        ("Yessen Y.", 1),
    ]
    # Removed again, and a person merged into another: the shared articles move with it.
    article.authorships.filter(author__display_name="Yessen Y.").delete()
    merge_authors(people["other"], [baissultanova], None)
    assert coauthor_list(client, zhumatay) == [("Akhmetova Sh.K.", 2), ("Abenov A.", 1)]
    assert coauthor_list(client, people["other"]) == [("Zhumatay G.", 2), ("Abenov A.", 1)]


def recounted_coauthors() -> dict:
    """Every pair of people and the articles they share, counted from the authorships."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x.author_id, y.author_id, count(*) FROM catalogue_authorship x"
            " JOIN catalogue_authorship y ON y.article_id = x.article_id"
            " AND y.author_id <> x.author_id GROUP BY 1, 2"
        )
        return {(a, b): n for a, b, n in cursor.fetchall()}


def kept_coauthors() -> dict:
    return {(c.author_id, c.coauthor_id): c.shared for c in CoAuthor.objects.all()}


def test_coauthor_counts_stay_exact_under_every_kind_of_write(people):
    zhumatay, baissultanova, other = people["zhumatay"], people["baissultanova"], people["other"]
    assert kept_coauthors() == recounted_coauthors() != {}
    article = make_article(make_issue(year=2024), position=5)
    for person in (zhumatay, other, make_author("Abenov A.")):
        add_author(article, person)
    assert kept_coauthors() == recounted_coauthors()
    # An authorship moved to another article, and to another person, in one statement.
    moved = article.authorships.get(author=other)
    target = zhumatay.authorships.exclude(article=article).first().article
    Authorship.objects.filter(pk=moved.pk).update(article=target, position=9)
    assert kept_coauthors() == recounted_coauthors()
    Authorship.objects.filter(article=article, author=zhumatay).update(author=baissultanova)
    assert kept_coauthors() == recounted_coauthors()
    # A byline corrected (no pair changes), then the article deleted with its authorships.
    Authorship.objects.filter(article=article).update(name_en="Corrected")
    assert kept_coauthors() == recounted_coauthors()
    article.delete()
    assert kept_coauthors() == recounted_coauthors()
    Authorship.objects.all().delete()
    assert kept_coauthors() == {}


def recounted_organisations() -> set:
    return set(
        AuthorshipAffiliation.objects.values_list("authorship__author_id", "organisation_id")
    )


def kept_organisations() -> set:
    return set(AuthorOrganisation.objects.values_list("author_id", "organisation_id"))


def test_an_authors_organisations_stay_exact_under_every_kind_of_write(client, people):
    zhumatay, other = people["zhumatay"], people["other"]
    narxoz, kaznu = Organisation.objects.get(), make_organisation("KazNU")
    assert kept_organisations() == recounted_organisations() == {(zhumatay.pk, narxoz.pk)}
    article = make_article(make_issue(year=2024), position=6)
    authorship = add_author(article, other, affiliations=[kaznu, narxoz])
    assert kept_organisations() == recounted_organisations()
    assert list(author_page(client, other)["affiliations"]) == [kaznu, narxoz]
    # An organisation merged into another (the links re-pointed), a link removed, an
    # authorship given to another person, and the article deleted.
    AuthorshipAffiliation.objects.filter(organisation=kaznu).update(
        organisation=make_organisation("Al-Farabi University")
    )
    assert kept_organisations() == recounted_organisations()
    authorship.affiliation_links.filter(organisation=narxoz).delete()
    assert kept_organisations() == recounted_organisations()
    Authorship.objects.filter(pk=authorship.pk).update(author=people["baissultanova"])
    assert kept_organisations() == recounted_organisations()
    assert list(author_page(client, other)["affiliations"]) == []
    article.delete()
    assert kept_organisations() == recounted_organisations() == {(zhumatay.pk, narxoz.pk)}


def test_only_the_most_shared_coauthors_are_shown_ties_by_name(people):
    zhumatay = people["zhumatay"]
    article = make_article(make_issue(year=2024), position=3)
    add_author(article, zhumatay)
    for name in ("Dosov D.", "Ahmet A.", "Kenes K.", "Bekov B."):
        add_author(article, make_author(name))
    shown = [(p.display_name, p.shared) for p in zhumatay.coauthors(3)]
    assert shown == [("Baissultanova K.Ch.", 2), ("Ahmet A.", 1), ("Bekov B.", 1)]
    assert people["other"].coauthors(3) == []


def test_author_page_lists_the_articles_newest_first_with_counts_from_the_index(client, people):
    zhumatay = people["zhumatay"]
    context = author_page(client, zhumatay)
    assert context["summary"] == {"article_count": 2, "first_year": 2023, "last_year": 2025}
    shown = [Article.objects.get(pk=article.pk).issue.year for article, _ in context["entries"]]
    assert shown == [2025, 2023]
    assert all('class="result-title"' in entry for _, entry in context["entries"])
    add_author(make_article(make_issue(year=2019), position=4), zhumatay)
    context = author_page(client, zhumatay)
    assert context["summary"] == {"article_count": 3, "first_year": 2019, "last_year": 2025}
    assert context["page"].paginator.count == 3


def test_name_words_are_kept_for_every_printed_form(people):
    """The distinct words the looser search starts from, written by a database trigger."""
    from catalogue.models import NameWord

    words = set(NameWord.objects.values_list("word", flat=True))
    assert {"jumatai", "baisultanova"} <= words
    add_name_variant(people["other"], "Ахметова Шолпан", "ru")
    assert "sholpan" in set(NameWord.objects.values_list("word", flat=True))


def test_summaries_follow_the_latest_issue_and_every_change_of_articles(people):
    zhumatay = people["zhumatay"]
    series = zhumatay.authorships.first().article.issue.series
    for number, home in (("30001", "Abai University"), ("30003", "KazNU")):
        article = make_article(make_issue(series, year=2025, number=number), position=5)
        add_author(article, zhumatay, affiliations=[make_organisation(home)], name_en="Zhumatay G.")

    def summary():
        return Author.objects.filter(pk=zhumatay.pk).summaries()[zhumatay.pk]

    def latest_issue_number():
        return zhumatay.authorships.get(pk=summary()["latest_authorship"]).article.issue.number

    assert (summary()["article_count"], summary()["first_year"], summary()["last_year"]) == (
        4,
        2023,
        2025,
    )
    assert latest_issue_number() == "30003"  # the later issue of the last year
    zhumatay.authorships.get(article__issue__number="30003").article.delete()
    assert summary()["article_count"] == 3
    assert latest_issue_number() == "30001"


def kept_latest() -> dict:
    return dict(AuthorLatest.objects.values_list("author_id", "article_id"))


def latest_from_entries() -> dict:
    """Each person's most recent article (year, then issue, then id), from the entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (u.author) u.author, b.article_id"
            " FROM catalogue_browseentry b, unnest(b.authors) AS u(author)"
            " ORDER BY u.author, b.year DESC, b.number_sort DESC, b.article_id DESC"
        )
        return dict(cursor.fetchall())


def test_each_persons_latest_article_stays_exact_under_every_kind_of_write(people):
    zhumatay, baissultanova, other = people["zhumatay"], people["baissultanova"], people["other"]
    assert kept_latest() == latest_from_entries() != {}
    newer = make_article(make_issue(year=2026), position=1)
    add_author(newer, other)
    add_author(newer, zhumatay)
    assert kept_latest() == latest_from_entries()
    assert kept_latest()[zhumatay.pk] == newer.pk
    # The article moved back to an older issue, then its issue's year corrected.
    older = make_issue(year=2020)
    Article.objects.filter(pk=newer.pk).update(issue=older)
    assert kept_latest() == latest_from_entries()
    assert kept_latest()[zhumatay.pk] != newer.pk
    type(older).objects.filter(pk=older.pk).update(year=2027)
    assert kept_latest() == latest_from_entries()
    assert kept_latest()[zhumatay.pk] == newer.pk
    # Two people merged (the authorships re-pointed), then the article deleted.
    merge_authors(baissultanova, [other], None)
    assert kept_latest() == latest_from_entries()
    newer.delete()
    assert kept_latest() == latest_from_entries()
    Article.objects.all().delete()
    assert kept_latest() == {}


def test_a_short_name_with_many_prefix_matches_lists_what_scoring_would(people):
    """Past `most` forms starting with a one-word query, the unscored listing gives
    exactly the first `most` forms the scored one would: all of them score 1."""
    from catalogue.models import NameVariant, NameVariantQuerySet
    from catalogue.search import trigram_thresholds

    for name in ("Ivanov Akim", "Akimov A.", "Akimbaev B.", "Akimova C.", "Akin D.", "Kim E."):
        make_author(name)
    threshold = NameVariantQuerySet.MATCH_THRESHOLD
    with trigram_thresholds(threshold):
        scored = NameVariant.objects.scored_matching("Akim", threshold, most=3)
        listed = NameVariant.objects.matching("Akim", most=3)
        everything = NameVariant.objects.matching("Akim", most=30)
    assert listed == scored and {row["score"] for row in listed} == {1.0}
    assert "Ivanov Akim" in {row["name"] for row in scored + listed}
    # Fewer prefix matches than `most`: the scored path, looser matches included.
    assert "Akin D." in {row["name"] for row in everything}
