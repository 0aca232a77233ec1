"""Table-of-contents parsing on small hand-written strings and on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.parsing.names import split_authors_title
from catalogue.parsing.toc import parse_toc

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


@pytest.fixture(autouse=True)
def _plain_static_files():  # noqa: PT004 - overrides the Django-only conftest fixture
    """These parser tests need no Django; shadow conftest's settings override."""
    yield


TRILINGUAL_TOC = """\
ISSN 1234-5678 (Print)

CONTENTS / МАЗМҰНЫ / СОДЕРЖАНИЕ

PART I. ECONOMICS OF THE STEPPE
I БӨЛІМ. ДАЛА ЭКОНОМИКАСЫ
РАЗДЕЛ I. ЭКОНОМИКА СТЕПИ

Abenov A.B., Li S. Grain markets of the steppe ......\t5-17
Әбенов А.Б., Ли С. Даланың астық нарықтары\t5-17
Абенов А.Б., Ли С. Зерновые рынки степи\t5-17
Smith J. Wool trade routes\t18-30
Смит Дж. Жүн саудасының жолдары\t18-30
Смит Дж. Пути торговли шерстью\t18-30

PART II. LAW
II БӨЛІМ. ҚҰҚЫҚ
РАЗДЕЛ II. ПРАВО

Omarova G. Land law reform\t31
Омарова Г. Жер құқығының реформасы\t31
Омарова Г. Реформа земельного права\t31
Berik T. Water codes\t45
Берік Т. Су кодекстері\t45
Берик Т. Водные кодексы\t45

PART I. ECONOMICS OF THE STEPPE

UDC 330
Abstract. The body of the first article starts here.
"""

# Hard-wrapped variants, dot leaders, pages printed after all three variants.
WRAPPED_TOC = """\
МАЗМҰНЫ / СОДЕРЖАНИЕ / CONTENT

PART I. THEORY

Sayatbek S.S. Baissultanova K.Ch. Actual problems of
cybersecurity research in modern international relations ...............
Саятбек С.С., Байсултанова К. Ч. Қазіргі халықаралық
қатынастардағы киберқауіпсіздікті зерттеудің өзекті мәселелері
Саятбек С.С., Байсултанова К. Ч. Актуальные проблемы
исследования кибербезопасности в современных
международных отношениях .........................................................

...........10-22

...........10-22

...........10-22
Тулепов М.Ш., Де Мартино М.О новой роли
внешнеполитического ведомства ..
Тулепов М.Ш., Де Мартино М.  Қазақстанның сыртқы саяси
ведомствосының жаңа рөлі туралы .........
Tulepov M., De Martino M. On the new role of the Kazakh
foreign ministry .....................................................

...........23-40

..........23-40

...........23-40
"""


def test_trilingual_toc_gives_one_entry_per_article_with_all_languages() -> None:
    toc = parse_toc(TRILINGUAL_TOC)
    assert toc is not None
    assert [e.position for e in toc.entries] == [1, 2, 3, 4]
    first = toc.entries[0]
    assert set(first.variants) == {"en", "kk", "ru"}
    assert first.titles["en"] == "Grain markets of the steppe"
    assert first.titles["kk"] == "Даланың астық нарықтары"
    assert first.titles["ru"] == "Зерновые рынки степи"
    assert first.authors["en"] == ["Abenov A.B.", "Li S."]
    assert (first.first_page, first.last_page) == (5, 17)


def test_toc_sections_are_read_per_language_without_numbering() -> None:
    toc = parse_toc(TRILINGUAL_TOC)
    assert toc is not None
    assert toc.entries[0].section == {
        "en": "ECONOMICS OF THE STEPPE",
        "kk": "ДАЛА ЭКОНОМИКАСЫ",
        "ru": "ЭКОНОМИКА СТЕПИ",
    }
    assert toc.entries[2].section["en"] == "LAW"
    assert toc.entries[3].section["ru"] == "ПРАВО"


def test_missing_last_page_is_next_first_page_minus_one_but_not_for_last_entry() -> None:
    toc = parse_toc(TRILINGUAL_TOC)
    assert toc is not None
    third, fourth = toc.entries[2], toc.entries[3]
    assert (third.first_page, third.last_page) == (31, 44)
    assert third.last_page_printed is False
    assert (fourth.first_page, fourth.last_page) == (45, None)


def test_toc_stops_where_the_repeated_rubric_opens_the_first_article() -> None:
    toc = parse_toc(TRILINGUAL_TOC)
    assert toc is not None
    assert len(toc.entries) == 4
    lines = TRILINGUAL_TOC.splitlines()
    assert "UDC" not in "\n".join(lines[toc.start : toc.end])


def test_hard_wrapped_entries_with_trailing_page_lines() -> None:
    toc = parse_toc(WRAPPED_TOC)
    assert toc is not None
    assert len(toc.entries) == 2
    e1, e2 = toc.entries
    assert (e1.first_page, e1.last_page) == (10, 22)
    assert e1.titles["kk"] == (
        "Қазіргі халықаралық қатынастардағы киберқауіпсіздікті зерттеудің өзекті мәселелері"
    )
    assert e1.titles["ru"].startswith("Актуальные проблемы исследования кибербезопасности")
    assert e1.authors["en"] == ["Sayatbek S.S.", "Baissultanova K.Ch."]
    # a title glued to the last initial ("М.О новой роли")
    assert e2.titles["ru"].startswith("О новой роли")
    assert e2.authors["ru"] == ["Тулепов М.Ш.", "Де Мартино М."]
    assert (e2.first_page, e2.last_page) == (23, 40)


@pytest.mark.parametrize(
    ("text", "authors", "title"),
    [
        ("Akhmetova Sh.K. The role of the EU", ["Akhmetova Sh.K."], "The role of the EU"),
        ("Medeu A., Anuash Zh. Water security", ["Medeu A.", "Anuash Zh."], "Water security"),
        ("Мукатова Д.Б Түркияның бағыттары", ["Мукатова Д.Б."], "Түркияның бағыттары"),
        ("Zhumatay G. A study of war", ["Zhumatay G."], "A study of war"),
        ("Иванов И.И. В контексте войны", ["Иванов И.И."], "В контексте войны"),
        (
            "Raghunath Mahabir, Keron Ganpat. Haiti – the black sheep",
            ["Raghunath Mahabir", "Keron Ganpat"],
            "Haiti – the black sheep",
        ),
        (
            "Kurmangali A.K., Eimad Abusham “Soft power” as a tool",
            ["Kurmangali A.K.", "Eimad Abusham"],
            "“Soft power” as a tool",
        ),
        ("Foreword of the editor", [], "Foreword of the editor"),
    ],
)
def test_authors_are_split_from_title(text: str, authors: list[str], title: str) -> None:
    assert split_authors_title(text) == (authors, title)


def test_text_without_contents_heading_has_no_toc() -> None:
    assert parse_toc("Abstract. Text.\nContent analysis was used.\n5-7\n") is None


def test_seed_001_toc_has_19_entries_in_order_with_pages() -> None:
    toc = parse_toc((SEEDS / "001_8d26e6e43fb1402a.txt").read_text(encoding="utf-8"))
    assert toc is not None
    assert len(toc.entries) == 19
    firsts = [e.first_page for e in toc.entries]
    # as printed: entry 13 (Musagalieva) repeats 139-149 in the TOC (a misprint)
    assert firsts == [10, 23, 39, 65, 77, 100, 115, 125, 139, 150, 163, 177, 139, 215, 234,
                      255, 274, 296, 309]  # fmt: skip
    assert toc.entries[-1].last_page == 328
    assert all(set(e.variants) == {"en", "kk", "ru"} for e in toc.entries)
    assert toc.entries[18].section["en"] == "METHODOLOGY AND RESEARCH METHODS"
    assert toc.entries[11].authors["en"][0] == "Abu Shawer Omar Ahmad"


def test_seed_004_toc_has_20_entries_and_two_sections() -> None:
    toc = parse_toc((SEEDS / "004_5cc4925e9724fd50.txt").read_text(encoding="utf-8"))
    assert toc is not None
    assert len(toc.entries) == 20
    assert [e.section["en"] for e in toc.entries].count("REGIONAL STUDIES") == 10
    assert (toc.entries[0].first_page, toc.entries[0].last_page) == (9, 22)
    assert (toc.entries[-1].first_page, toc.entries[-1].last_page) == (338, 358)
    assert toc.entries[13].authors["en"] == ["Akhmetova Sh.K."]
