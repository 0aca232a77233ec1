import datetime
import json

import pytest
from django.core.management import call_command

from catalogue.export import article_to_dict, export_articles
from catalogue.models import Article

from .factories import (
    add_author,
    add_keyword,
    add_reference,
    make_article,
    make_author,
    make_issue,
    make_journal,
    make_organisation,
    make_section,
    make_series,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    journal = make_journal(
        title_en="Bulletin of Ablai Khan KazUIRandWL",
        issn_print="2411-8753",
        issn_online="2710-3633",
    )
    series = make_series(journal, name_en="International Relations and Regional Studies")
    issue = make_issue(series, year=2025, number="4", whole_number="62")
    article = make_article(
        issue,
        doi="10.48371/ISMO.2025.62.4.001",
        first_page=9,
        last_page=22,
        section=make_section(journal, "World politics", name_ru="Мировая политика"),
        udc=["327"],
        irsti=["11.25.91"],
        language="en",
        title_en="Soft power",
        title_ru="Мягкая сила",
        abstract_en="An abstract.",
        received=datetime.date(2025, 8, 31),
        accepted=datetime.date(2025, 11, 14),
    )
    author = make_author("Zhumatay G.", orcid="0000-0002-1825-0097", email="g@example.org")
    add_author(
        article,
        author,
        affiliations=[make_organisation()],
        name_en="Zhumatay G.",
        name_kk="Жұматай Ғ.Б.",
        full_name_en="Zhumatay Gabit",
    )
    add_keyword(article, "soft power", "en")
    add_keyword(article, "diplomacy", "en")
    add_keyword(article, "мягкая сила", "ru")
    add_reference(article, "Nye J. Soft Power. 2004.")
    return article


def test_export_has_the_documented_shape(article):
    [item] = list(export_articles())
    assert item == {
        "doi": "10.48371/ISMO.2025.62.4.001",
        "doi_inferred": False,
        "journal": "Bulletin of Ablai Khan KazUIRandWL",
        "series": "International Relations and Regional Studies",
        "issn": ["2411-8753", "2710-3633"],
        "year": 2025,
        "issue": "4",
        "whole_number": "62",
        "volume": None,
        "first_page": 9,
        "last_page": 22,
        "section": {"en": "World politics", "ru": "Мировая политика"},
        "udc": ["327"],
        "irsti": ["11.25.91"],
        "language": "en",
        "title": {"en": "Soft power", "ru": "Мягкая сила"},
        "printed_title": {},
        "abstract": {"en": "An abstract."},
        "keywords": {"en": ["soft power", "diplomacy"], "ru": ["мягкая сила"]},
        "authors": [
            {
                "author_id": article.authorships.get().author_id,
                "name": {"en": "Zhumatay G.", "kk": "Жұматай Ғ.Б."},
                "full_name": {"en": "Zhumatay Gabit"},
                "orcid": "0000-0002-1825-0097",
                "email": "g@example.org",
                "affiliations": ["Narxoz University, Almaty, Kazakhstan"],
            }
        ],
        "received": "2025-08-31",
        "accepted": "2025-11-14",
        "references": ["Nye J. Soft Power. 2004."],
        "sources": [],
    }


def test_export_leaves_unknown_scalars_null():
    item = article_to_dict(Article.objects.with_details().get(pk=make_article().pk))
    assert item["doi"] is None and item["first_page"] is None and item["received"] is None
    assert item["title"] == {"en": item["title"]["en"]} and item["abstract"] == {}


def test_export_queries_do_not_grow_with_articles(article, django_assert_max_num_queries):
    for _ in range(5):
        other = make_article(article.issue)
        add_author(other, make_author("Other A."), name_en="Other A.")
    with django_assert_max_num_queries(8):
        assert len(list(export_articles())) == 6


def test_export_command_writes_a_json_array(article, tmp_path):
    target = tmp_path / "out.json"
    call_command("export", "--format", "json", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [item["doi"] for item in data] == ["10.48371/ISMO.2025.62.4.001"]
