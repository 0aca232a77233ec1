"""The synthetic catalogue: the counts asked for, names in two scripts, Zipf-like keywords."""

import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import (
    Article,
    ArticleKeyword,
    Authorship,
    Issue,
    KeywordConcept,
    NameVariant,
)

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LATIN = re.compile(r"^[A-Za-z .'-]+$")

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthesized():
    call_command("synth", articles=200, seed=3, verbosity=0)


def test_synth_creates_the_requested_number_of_articles_in_many_issues(synthesized):
    assert Article.objects.count() == 200
    assert Issue.objects.count() > 1
    years = set(Issue.objects.values_list("year", flat=True))
    assert len(years) > 1
    assert all(a.title_en and a.title_ru and a.title_kk for a in Article.objects.all()[:20])


def test_synth_gives_several_authors_per_article_on_average(synthesized):
    per_article = Counter(Authorship.objects.values_list("article_id", flat=True))
    assert len(per_article) == 200
    assert sum(per_article.values()) / 200 > 1.5


def test_synth_authors_have_latin_and_cyrillic_name_variants(synthesized):
    variants = list(NameVariant.objects.values_list("author_id", "name"))
    by_author = {}
    for author_id, name in variants:
        by_author.setdefault(author_id, []).append(name)
    for names in by_author.values():
        assert any(CYRILLIC.search(name) for name in names)
        assert any(LATIN.match(name) for name in names)


def test_synth_keyword_use_is_zipf_like(synthesized):
    uses = Counter(
        ArticleKeyword.objects.filter(keyword__language="en").values_list(
            "keyword__concept_id", flat=True
        )
    )
    ranked = [count for _, count in uses.most_common()]
    # A few concepts are very common, most are rare: the head far outweighs the median.
    assert ranked[0] >= 5 * ranked[len(ranked) // 2]
    assert ranked[0] > ranked[4] > ranked[-1]
    assert KeywordConcept.objects.count() >= len(ranked)


def test_synthesized_articles_are_searchable_and_found_by_author_name(synthesized, client):
    response = client.get("/articles/", {"q": "policy"})
    assert response.status_code == 200
    name = NameVariant.objects.filter(language="ru").values_list("name", flat=True).first()
    response = client.get("/api/authors", {"q": name.split()[0]})
    assert response.json()["count"] >= 1


def test_synth_refuses_a_catalogue_that_already_has_articles(synthesized):
    with pytest.raises(CommandError):
        call_command("synth", articles=10, verbosity=0)
