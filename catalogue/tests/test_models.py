import pytest
from django.db import IntegrityError, transaction

from catalogue.models import Article, Author, Issue

from .factories import make_article, make_author, make_issue, make_series

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_duplicate_doi_is_refused_whatever_its_case():
    make_article(doi="10.48371/ISMO.2025.62.4.001")
    assert refused(lambda: make_article(doi="10.48371/ismo.2025.62.4.001"))


def test_articles_without_doi_may_be_many():
    make_article(doi="")
    make_article(doi=None)
    assert Article.objects.filter(doi__isnull=True).count() == 2


def test_duplicate_orcid_is_refused():
    make_author(orcid="0000-0002-1825-0097")
    assert refused(lambda: make_author(name="Other P.", orcid="0000-0002-1825-0097"))


def test_malformed_orcid_is_refused():
    assert refused(lambda: Author.objects.create(display_name="X", orcid="1234"))


def test_issue_is_unique_per_series_year_and_number():
    series = make_series()
    make_issue(series, year=2025, number="4")
    assert refused(lambda: Issue.objects.create(series=series, year=2025, number="4"))


def test_pages_must_be_in_order():
    assert refused(lambda: make_article(first_page=22, last_page=9))


def test_article_needs_a_title_in_some_language():
    assert refused(lambda: make_article(title_en=""))
    assert make_article(title_en="", title_kk="Тақырып").pk


def test_received_cannot_follow_accepted():
    import datetime

    assert refused(
        lambda: make_article(
            received=datetime.date(2025, 11, 14), accepted=datetime.date(2025, 8, 31)
        )
    )


def test_issue_numbers_sort_numerically():
    series = make_series()
    for number in ("10", "2", "1-2"):
        make_issue(series, number=number)
    assert [i.number for i in series.issues.latest_first()] == ["10", "2", "1-2"]
