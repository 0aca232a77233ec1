"""Headings printed in capitals are shown as a copy editor would set them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Article, Journal, Section, Series
from catalogue.parsing.display import CaseBook, display_case
from catalogue.parsing.text import is_capitals


def shown(heading: str, language: str, text: str = "") -> str:
    return display_case(heading, language, CaseBook.read(text, [heading]))


def test_a_name_takes_its_case_from_the_document():
    text = "This paper studies how Kazakhstan uses transport corridors."
    assert (
        shown("KAZAKHSTAN'S TRANSPORT DIPLOMACY", "en", text) == "Kazakhstan's transport diplomacy"
    )


def test_an_abbreviation_the_document_writes_in_capitals_stays():
    text = "Статья рассматривает интеграцию в рамках ЕАЭС и ее последствия."
    assert shown("РОЛЬ ЕАЭС В ИНТЕГРАЦИИ", "ru", text) == "Роль ЕАЭС в интеграции"


def test_a_sentence_opening_word_is_not_taken_for_a_name():
    text = "Transport matters. Transport corridors grow, and the transport sector with them."
    assert shown("TRANSPORT CORRIDORS", "en", text) == "Transport corridors"
    assert shown("NEW TRANSPORT CORRIDORS", "en", text) == "New transport corridors"


def test_the_documents_own_mixed_case_form_of_the_whole_heading_wins():
    toc = "Ivanov I. Water security in the Syr Darya basin ..... 58-75\n"
    assert (
        shown("WATER SECURITY IN THE SYR DARYA BASIN", "en", toc)
        == "Water security in the Syr Darya basin"
    )


def test_an_inflected_kazakh_name_takes_the_case_of_its_stem():
    text = "Зерттеу Қазақстан мен көршілес елдердің тәжірибесін салыстырады."
    assert (
        shown("ҚАЗАҚСТАННЫҢ МӘДЕНИ ДИПЛОМАТИЯСЫ", "kk", text) == "Қазақстанның мәдени дипломатиясы"
    )


def test_a_case_ending_after_an_abbreviation_is_lower_case():
    text = "ЕО елдерінің тәжірибесі қарастырылады."
    assert shown("ЕО-НЫҢ ХАЛЫҚАРАЛЫҚ ТӘЖІРИБЕСІ", "kk", text) == "ЕО-ның халықаралық тәжірибесі"


def test_roman_numerals_stay_in_capitals():
    assert shown("ИСТОРИЯ КАЗАХСТАНА В XX ВЕКЕ", "ru") == "История Казахстана в XX веке"


def test_english_capitalises_after_a_colon_and_russian_does_not():
    assert shown("SOFT POWER: A COMPARATIVE ANALYSIS", "en") == "Soft power: A comparative analysis"
    assert shown("МЯГКАЯ СИЛА: СРАВНИТЕЛЬНЫЙ АНАЛИЗ", "ru") == "Мягкая сила: сравнительный анализ"


def test_a_quoted_name_opens_with_a_capital():
    assert shown("КОНЦЕПТ «РУССКОГО МИРА»", "ru") == "Концепт «Русского мира»"


def test_a_title_whose_capitals_stop_midway_is_finished_in_sentence_case():
    text = "Орталық Азиядағы елдер инфрақұрылымды дамытады."
    printed = "ОРТАЛЫҚ АЗИЯДАҒЫ ИНФРАҚҰРЫЛЫМДЫ ДАМУ ЖӘНЕ Өңірлік интеграция"
    assert (
        shown(printed, "kk", text) == "Орталық Азиядағы инфрақұрылымды даму және өңірлік интеграция"
    )


def test_title_case_in_references_is_no_evidence():
    text = "[4] Nye J. S. Soft Power: The Means to Success in World Politics. 2004. P. 191.\n"
    assert shown("WORLD POLITICS TODAY", "en", text) == "World politics today"


def test_a_heading_in_mixed_case_is_left_as_printed():
    assert shown("Soft power of the EU in Central Asia", "en") == (
        "Soft power of the EU in Central Asia"
    )


def ingest(path, **options):
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO(), **options)


@pytest.mark.django_db
def test_no_heading_of_the_fixtures_is_shown_in_capitals(seeds):
    ingest(seeds)
    articles = list(Article.objects.all())
    assert len(articles) == 39
    shouted_before = 0
    for article in articles:
        for lang in ("en", "kk", "ru"):
            title, printed = (
                getattr(article, f"title_{lang}"),
                getattr(article, f"printed_title_{lang}"),
            )
            assert not is_capitals(title), (article.pk, lang, title)
            shouted_before += bool(printed)
    assert shouted_before == 20 * 3  # every title of No. 4 (62) was printed in capitals
    for named in (*Section.objects.all(), *Series.objects.all()):
        for lang in ("en", "kk", "ru"):
            assert not is_capitals(getattr(named, f"name_{lang}")), (named, lang)
    for journal in Journal.objects.all():
        for lang in ("en", "kk", "ru"):
            title = getattr(journal, f"title_{lang}")
            assert title and not is_capitals(title), (journal, lang)
            assert getattr(journal, f"printed_title_{lang}") == title.upper()


@pytest.mark.django_db
def test_display_forms_replace_capitals_loaded_before_them_and_keep_an_editors_title(seeds):
    issue = next(seeds.glob("004_*.txt"))
    ingest(issue)
    article = Article.objects.get(doi__iendswith=".62.4.001")
    # As a catalogue loaded before display forms held it: the printed capitals shown.
    Article.objects.filter(pk=article.pk).update(
        title_en=article.printed_title_en, printed_title_en=""
    )
    edited = Article.objects.get(doi__iendswith=".62.4.002")
    edited.title_ru = "Культурная дипломатия Казахстана (исправлено редактором)"
    edited.edited_fields = ["title_ru"]
    edited.save()
    section = Section.objects.get(name_en__iexact="regional studies")
    Section.objects.filter(pk=section.pk).update(name_en="REGIONAL STUDIES", printed_name_en="")

    ingest(issue)

    article.refresh_from_db()
    assert article.title_en == "The American-Israeli alliance in the context of the war in Gaza"
    assert article.printed_title_en.startswith("THE AMERICAN-ISRAELI ALLIANCE")
    edited.refresh_from_db()
    assert edited.title_ru == "Культурная дипломатия Казахстана (исправлено редактором)"
    section.refresh_from_db()
    assert section.name_en == "Regional Studies" and section.printed_name_en == "REGIONAL STUDIES"


@pytest.mark.django_db
def test_the_admin_shows_the_printed_form_beside_the_one_shown(client, seeds, editor):
    ingest(next(seeds.glob("004_*.txt")))
    article = Article.objects.get(doi__iendswith=".62.4.001")
    client.force_login(editor)
    page = client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    html = page.content.decode()
    assert "The American-Israeli alliance in the context of the war in Gaza</textarea>" in html
    assert "THE AMERICAN-ISRAELI ALLIANCE IN THE CONTEXT OF THE WAR IN GAZA" in html
    section = article.section
    page = client.get(reverse("admin:catalogue_section_change", args=[section.pk]))
    assert "WORLD POLITICS AND INTERNATIONAL RELATIONS" in page.content.decode()


def test_a_universitys_name_opens_with_a_capital_in_russian():
    text = "Статья о грамматике казахского языка, её издал Казахский университет мировых языков."
    printed = "ИЗВЕСТИЯ КАЗАХСКОГО УНИВЕРСИТЕТА МИРОВЫХ ЯЗЫКОВ"
    assert shown(printed, "ru", text) == "Известия Казахского университета мировых языков"
