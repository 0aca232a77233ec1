"""Issue header, issue assembly and the document entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.parsing.document import parse_document, parse_issue_header
from catalogue.parsing.records import DocumentError, WarningKind
from catalogue.parsing.text import is_capitals

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


@pytest.fixture(autouse=True)
def _plain_static_files():  # noqa: PT004 - overrides the Django-only conftest fixture
    """These parser tests need no Django; shadow conftest's settings override."""
    yield


def _seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc001():
    return parse_document(_seed("001"), "001")


@pytest.fixture(scope="module")
def doc004():
    return parse_document(_seed("004"), "004")


OTHER_HEADER = """\
e-ISSN 2222-3333
ISSN 1111-2226 (Print)

VESTNIK OF THE STEPPE UNIVERSITY
SERIES “HISTORY AND LAW”

No. 3 (71), 2024

CONTENTS
Omarov A. First paper\t5-9
Berik T. Second paper\t10-20
"""


def test_issue_header_in_another_format() -> None:
    h = parse_issue_header(OTHER_HEADER)
    assert h.journal.issn_print == "1111-2226"
    assert h.journal.issn_online == "2222-3333"
    assert h.issue is not None
    assert (h.issue.year, h.issue.number, h.issue.whole_number) == (2024, "3", "71")
    assert h.series == {"en": "HISTORY AND LAW"}


def test_issue_header_with_cyrillic_lookalike_in_online() -> None:
    h = parse_issue_header("ISSN 2411-8753 (Print)\nISSN 2710-3633 (Оnline)\n№ 2 (60) 2025\n")
    assert (h.journal.issn_print, h.journal.issn_online) == ("2411-8753", "2710-3633")
    assert h.issue is not None and h.issue.whole_number == "60"


def test_issue_from_small_text_keeps_every_toc_entry_in_order() -> None:
    doc = parse_document(OTHER_HEADER, "x")
    assert doc.kind == "issue"
    assert [a.position for a in doc.articles] == [1, 2]
    assert [a.title["en"] for a in doc.articles] == ["First paper", "Second paper"]
    assert (doc.articles[1].first_page, doc.articles[1].last_page) == (10, 20)
    assert doc.articles[0].authors[0].names["en"] == "Omarov A."
    # no DOI anywhere: nothing may be inferred
    assert all(not a.doi for a in doc.articles)


def test_text_without_articles_is_rejected() -> None:
    with pytest.raises(DocumentError):
        parse_document("Just a shopping list.\nMilk, bread.\n", "x")
    with pytest.raises(DocumentError):
        parse_document("   \n", "x")


def test_seed_004_yields_20_articles_with_printed_dois_in_order(doc004) -> None:
    assert doc004.kind == "issue"
    assert len(doc004.articles) == 20
    assert [a.doi for a in doc004.articles] == [
        f"10.48371/ISMO.2025.62.4.{k:03d}" for k in range(1, 21)
    ]
    assert not any(a.doi_inferred for a in doc004.articles)
    assert [a.position for a in doc004.articles] == list(range(1, 21))


def test_seed_004_issue_header(doc004) -> None:
    i = doc004.issue
    assert i is not None and (i.year, i.number, i.whole_number) == (2025, "4", "62")
    assert doc004.journal.issn_print == "2411-8753"
    assert doc004.journal.issn_online == "2710-3633"
    assert doc004.journal.doi_prefix == "10.48371"
    assert doc004.printed_series["en"] == "INTERNATIONAL RELATIONS AND REGIONAL STUDIES"
    # shown as the journal writes its series' name in running text
    assert doc004.series["en"] == "International Relations and Regional Studies"


def test_seed_004_pages_and_sections_from_toc(doc004) -> None:
    arts = doc004.articles
    assert (arts[0].first_page, arts[0].last_page) == (9, 22)
    assert (arts[4].first_page, arts[4].last_page) == (76, 102)
    assert (arts[19].first_page, arts[19].last_page) == (338, 358)
    assert arts[9].printed_section["en"] == "WORLD POLITICS AND INTERNATIONAL RELATIONS"
    assert arts[9].section["en"] == "World politics and international relations"
    assert arts[10].printed_section == {
        "kk": "АЙМАҚТАНУ",
        "ru": "РЕГИОНОВЕДЕНИЕ",
        "en": "REGIONAL STUDIES",
    }
    assert arts[10].section == {"kk": "Аймақтану", "ru": "Регионоведение", "en": "Regional Studies"}


def test_seed_004_head_title_wins_and_toc_difference_is_flagged(doc004) -> None:
    first = doc004.articles[0]
    printed = "THE AMERICAN-ISRAELI ALLIANCE IN THE CONTEXT OF THE WAR IN GAZA"
    assert first.printed_title["en"] == printed
    assert first.title["en"] == "The American-Israeli alliance in the context of the war in Gaza"
    kinds = [(w.kind, w.field) for w in first.warnings]
    assert (WarningKind.TOC_MISMATCH, "title") in kinds


def test_seed_001_yields_19_articles_in_toc_order_with_pages(doc001) -> None:
    arts = doc001.articles
    assert len(arts) == 19
    assert [a.position for a in arts] == list(range(1, 20))
    pages = [(a.first_page, a.last_page) for a in arts]
    assert pages == [
        (10, 22), (23, 38), (39, 64), (65, 76), (77, 99), (100, 114), (115, 124),
        (125, 138), (139, 149), (150, 162), (163, 176), (177, 201),
        (202, 214),  # TOC misprints 139-149; the running head prints pp. 202-214
        (215, 233), (234, 254), (255, 273), (274, 295), (296, 308), (309, 328),
    ]  # fmt: skip
    assert any(w.kind == WarningKind.TOC_MISMATCH for w in doc001.warnings)
    assert arts[0].title["en"].startswith("Actual problems of cybersecurity")
    assert arts[2].authors[1].names["ru"] == "Де Мартино М."


def test_seed_001_dois_printed_twice_inferred_elsewhere(doc001) -> None:
    arts = doc001.articles
    assert doc001.issue is not None
    assert (doc001.issue.year, doc001.issue.number, doc001.issue.whole_number) == (2025, "2", "60")
    assert arts[0].doi == "10.48371/ISMO.2025.60.2.001" and not arts[0].doi_inferred
    assert arts[2].doi == "10.48371/ISMO.2025.60.2.003" and not arts[2].doi_inferred
    assert arts[1].doi == "10.48371/ISMO.2025.60.2.002" and arts[1].doi_inferred
    assert arts[18].doi == "10.48371/ISMO.2025.60.2.019" and arts[18].doi_inferred
    assert any(w.kind == WarningKind.INFERRED_DOI for w in arts[1].warnings)


def test_seed_001_attaches_abstracts_only_after_matching_titles(doc001) -> None:
    first = doc001.articles[0]
    assert first.abstract["en"].startswith("In the modern world, in the context of intensive")
    assert first.abstract["ru"].startswith("В современном мире, в условиях интенсивной")
    assert first.keywords["en"][0] == "cybersecurity"
    # The English abstract of article 2 follows no title. It is attached only because
    # it sits between article 1's and article 2's heads, article 1 already has its
    # English abstract, and it shares clearly more words with article 2's TOC title;
    # the attachment is flagged for the editors.
    second = doc001.articles[1]
    assert second.abstract["en"].startswith("This article analyzes the components of ideology")
    assert any(w.kind == WarningKind.UNCERTAIN and w.field == "abstract" for w in second.warnings)
    assert not any(w.field == "abstract" for w in doc001.articles[0].warnings)


def test_seed_003_single_article_with_issue_from_doi() -> None:
    doc = parse_document(_seed("003"), "003")
    assert doc.kind == "article"
    assert len(doc.articles) == 1
    art = doc.articles[0]
    assert art.doi == "10.48371/ISMO.2025.62.4.002"
    assert art.position is None
    assert doc.issue is not None
    assert (doc.issue.year, doc.issue.number, doc.issue.whole_number) == (2025, "4", "62")


def test_single_article_with_running_head_and_no_doi() -> None:
    text = (
        "UDC 327\n\nA SHORT STUDY OF THINGS\n\n*Omarov A.1\n\n"
        "Abstract. This is the abstract of the study.\n\n"
        "Key words: things, study\n\n"
        "Series “HISTORY” №4(62), 2025\n\nIntroduction\nBody text.\n"
    )
    doc = parse_document(text, "x")
    assert doc.kind == "article"
    assert doc.issue is not None
    assert (doc.issue.year, doc.issue.number, doc.issue.whole_number) == (2025, "4", "62")


def test_single_article_without_issue_clues_has_no_issue() -> None:
    text = (
        "UDC 327\n\nA SHORT STUDY OF THINGS\n\n*Omarov A.1\n\n"
        "Abstract. This is the abstract of the study.\n\nKey words: things, study\n"
    )
    doc = parse_document(text, "x")
    assert doc.issue is None


def test_lone_article_names_its_journal_from_a_citation_line_at_its_head():
    from catalogue.parsing.header import journal_title_from_head

    assert journal_title_from_head(
        "# Journal of Central Asian Studies, Vol. 12, No. 3, 2024\n"
    ) == {"en": "Journal of Central Asian Studies"}
    assert journal_title_from_head("**Bulletin of the Karaganda University**, No. 4, 2023") == {
        "en": "Bulletin of the Karaganda University"
    }
    assert journal_title_from_head("Вестник КазНУ. Серия международные отношения, №2, 2025") == {
        "ru": "Вестник КазНУ. Серия международные отношения"
    }
    assert journal_title_from_head("UDC 327\n\nSome title of a paper, Vol. 3") == {}


def test_a_failing_step_fails_the_parse_instead_of_emptying_fields(monkeypatch) -> None:
    from catalogue.parsing import article

    def broken(text):
        raise RuntimeError("reference reader is broken")

    monkeypatch.setattr(article, "parse_references", broken)
    # Seed 001 is scrambled: references are read from the text after each matched title.
    with pytest.raises(RuntimeError, match="reference reader is broken"):
        parse_document(_seed("001"), "001")


COVER_TITLES = {
    "en": "BULLETIN OF KAZAKH ABLAI KHAN UNIVERSITY OF INTERNATIONAL RELATIONS AND WORLD LANGUAGES",
    "kk": "АБЫЛАЙ ХАН АТЫНДАҒЫ ҚАЗАҚ ХАЛЫҚАРАЛЫҚ ҚАТЫНАСТАР ЖӘНЕ ӘЛЕМ ТІЛДЕРІ УНИВЕРСИТЕТІ "
    "ХАБАРШЫСЫ",
    "ru": "ИЗВЕСТИЯ КАЗАХСКОГО УНИВЕРСИТЕТА МЕЖДУНАРОДНЫХ ОТНОШЕНИЙ И МИРОВЫХ ЯЗЫКОВ ИМЕНИ "
    "АБЫЛАЙ ХАНА",
}


@pytest.mark.parametrize("seed", ["001", "004"])
def test_the_journal_is_named_in_each_language_as_its_cover_prints_it(seed):
    journal = parse_document(_seed(seed), seed).journal
    assert journal.printed_title == COVER_TITLES
    # shown in the case the document writes the words in, not in the cover's capitals
    assert {lang: title.upper() for lang, title in journal.title.items()} == COVER_TITLES
    assert not any(is_capitals(title) for title in journal.title.values())
    assert journal.publisher == (
        "Kazakh Ablai Khan University of International Relations and World Languages"
    )


def test_a_cover_read_out_of_order_still_pairs_each_title_word_with_its_own_name():
    cover = (
        "ISSN 1234-5678\n\nХАБАРШЫСЫ\n\nСТЕПЬ УНИВЕРСИТЕТІ\n\n"
        "OF THE STEPPE UNIVERSITY OF\nWATER AND\n\nLAND\n\n"
        "ИЗВЕСТИЯ\n\nBULLETIN\n\nСТЕПНОГО УНИВЕРСИТЕТА\n\n"
        "СЕРИЯ «ВОДА»\n\nSERIES “WATER”\n"
    )
    header = parse_issue_header(cover)
    assert header.journal.title == {
        "kk": "СТЕПЬ УНИВЕРСИТЕТІ ХАБАРШЫСЫ",
        "ru": "ИЗВЕСТИЯ СТЕПНОГО УНИВЕРСИТЕТА",
        "en": "BULLETIN OF THE STEPPE UNIVERSITY OF WATER AND LAND",
    }
    assert header.journal.publisher == "The Steppe University of Water and Land"
