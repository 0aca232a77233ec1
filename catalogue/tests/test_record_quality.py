"""Records an editor would sign: affiliations of a scrambled issue, one person per author."""

from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from catalogue.interop.jats import jats_article
from catalogue.models import Article, Author, Authorship, IngestWarning, NameVariant
from catalogue.parsing.article import keyword_language, trailing_keyword_list
from catalogue.parsing.text import letters_by_script

pytestmark = pytest.mark.django_db

ISSUE_001 = "001_8d26e6e43fb1402a.txt"
# Article 6's organisation lines and author 3's of article 8 (marker 3) are not printed
# anywhere in this document: the scrambling lost them.
NOT_PRINTED = {("10.48371/ISMO.2025.60.2.006", p) for p in (1, 2, 3)} | {
    ("10.48371/ISMO.2025.60.2.008", 3)
}


def ingest(path):
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())


def test_every_printed_affiliation_of_the_scrambled_issue_is_attached(seeds):
    ingest(seeds / ISSUE_001)
    authorships = Authorship.objects.filter(article__issue__whole_number="60")
    assert authorships.count() == 44
    for authorship in authorships.select_related("article"):
        where = (authorship.article.doi, authorship.position)
        has = authorship.affiliations.exists()
        assert has == (where not in NOT_PRINTED), where


def test_a_byline_marker_without_its_line_is_reported(seeds):
    ingest(seeds / ISSUE_001)
    warnings = IngestWarning.objects.filter(
        article__doi__iexact="10.48371/ISMO.2025.60.2.008", field="affiliations"
    )
    assert any("marker 3" in w.message and "Нуров" in w.message for w in warnings)


def test_reingesting_the_scrambled_issue_changes_no_affiliation(seeds):
    ingest(seeds / ISSUE_001)
    before = sorted(Authorship.objects.values_list("pk", "affiliations__pk"))
    ingest(seeds / ISSUE_001)
    assert sorted(Authorship.objects.values_list("pk", "affiliations__pk")) == before


def test_a_full_name_and_its_byline_initials_are_one_person_across_issues(seeds):
    ingest(seeds / ISSUE_001)
    ingest(seeds / "004_5cc4925e9724fd50.txt")
    people = Author.objects.filter(name_variants__name__icontains="ganpat").distinct()
    assert people.count() == 1
    person = people.get()
    names = set(person.name_variants.values_list("name", flat=True))
    assert {"Keron Ganpat", "Ganpat K. D."} <= names
    assert person.authorships.count() == 2


def test_no_name_of_the_fixtures_mixes_scripts(seeds):
    ingest(seeds)
    for authorship in Authorship.objects.all():
        for name in (authorship.name_en, authorship.name_kk, authorship.name_ru):
            latin, cyrillic, _ = letters_by_script(name)
            assert not (latin and cyrillic), name
    for author in Author.objects.all():
        latin, cyrillic, _ = letters_by_script(str(author))
        assert not (latin and cyrillic), str(author)
    # the forms as printed stay findable, as variants of their person
    printed = NameVariant.objects.filter(kind=NameVariant.Kind.PRINTED)
    assert printed.filter(name="Ospanova А.", author__name_variants__name="Ospanova A.")
    for variant in printed:
        latin, cyrillic, _ = letters_by_script(variant.name)
        assert latin and cyrillic, variant.name


def test_keywords_of_the_fixtures_sit_in_their_own_language(seeds):
    ingest(seeds)
    for article in Article.objects.prefetch_related("article_keywords__keyword"):
        for item in article.article_keywords.all():
            keyword = item.keyword
            assert keyword_language(keyword.text, keyword.language) == keyword.language, (
                article.doi,
                keyword.language,
                keyword.text,
            )


def test_an_unlabelled_keyword_list_is_cut_off_the_end_of_an_abstract(seeds):
    ingest(seeds / ISSUE_001)
    article = Article.objects.get(doi__iexact="10.48371/ISMO.2025.60.2.001")
    assert article.abstract_kk.endswith("деген қорытындыға келеді.")
    kazakh = article.article_keywords.filter(keyword__language="kk").order_by("position")
    assert [k.keyword.text for k in kazakh][:2] == ["Қауіпсіздік", "цифрлық егемендік"]


def test_abstract_paragraphs_are_kept(seeds):
    ingest(seeds / ISSUE_001)
    article = Article.objects.get(doi__iexact="10.48371/ISMO.2025.60.2.001")
    assert article.abstract_en.count("\n\n") == 2


@pytest.mark.parametrize(
    ("abstract", "keywords"),
    [
        ("Бірінші сөйлем. Екінші сөйлем келеді. Қауіпсіздік, цифрлық егемендік, құқық,", 3),
        ("A study of trade, transit, and ports in three countries.", 0),
        ("First paragraph.\n\nIt concerns Kazakhstan, Russia, China, and India today.", 0),
    ],
)
def test_only_a_run_of_short_phrases_after_the_last_sentence_is_a_keyword_list(abstract, keywords):
    rest, found = trailing_keyword_list(abstract)
    assert len(found) == keywords
    assert (rest == abstract) == (keywords == 0)


def test_abstract_paragraphs_are_shown_and_harvested_as_paragraphs(client, seeds):
    ingest(seeds / ISSUE_001)
    article = Article.objects.with_details().get(doi__iexact="10.48371/ISMO.2025.60.2.001")
    page = client.get(reverse("catalogue:article_detail", args=[article.pk]))
    english = lxml.html.fromstring(page.content).xpath(
        '//article[@lang="en"]//div[@class="abstract"]/p'
    )
    assert [p.text_content() for p in english] == article.abstract_paragraphs("en")
    assert len(english) == 3
    record = etree.fromstring(etree.tostring(jats_article(article)))
    paragraphs = record.xpath("//*[local-name()='abstract'][@xml:lang='en']/*[local-name()='p']")
    assert len(paragraphs) == 3
