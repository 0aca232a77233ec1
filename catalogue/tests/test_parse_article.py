"""Per-article parser (catalogue.parsing.article) and issue splitter, on small strings
that mimic the layouts, plus end-to-end checks on the seed article 003."""

import datetime
from pathlib import Path

import pytest

from catalogue.parsing.article import (
    find_abstract_blocks,
    find_keyword_blocks,
    parse_affiliation,
    parse_article,
    parse_author_info_block,
    parse_codes,
    parse_date,
    parse_dates,
    parse_references,
    split_keywords,
)
from catalogue.parsing.records import WarningKind
from catalogue.parsing.split import split_issue

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

BULLETIN_ARTICLE = """UDC 327:008

IRSTI 11.25.25; 73.47.31

<https://doi.org/10.48371/ISMO.2025.62.4.777>.

**WATER POLICY OF THE
STEPPE STATES**

*Abenov K.F.¹, Serikova M.-A.K.²

*¹ Narxoz University, Almaty, Kazakhstan

² Turan University, Astana, Kazakhstan

Abstract. The paper studies water. It has two paragraphs.

The second paragraph ends here.

Key words: water; steppe; policy.

Introduction

Body text of the article in English, long enough to tell its language from the others.
It cites [1] and [2].

REFERENCES

[1] Smith J. Water // Journal. – 2020. – P. 1–2.

[2] Brown K. Steppe states and
their rivers // Review. – 2019.

ДАЛА МЕМЛЕКЕТТЕРІНІҢ СУ САЯСАТЫ

*Әбенов Қ.Ф.¹, Серікова М.-А.К.²

*¹ Нархоз университеті, Алматы, Қазақстан

² Тұран университеті, Астана, Қазақстан

Аңдатпа. Бұл мақалада су мәселесі қарастырылады.

Тірек сөздер: су, дала, саясат

ВОДНАЯ ПОЛИТИКА СТЕПНЫХ ГОСУДАРСТВ

*Абенов К.Ф.¹, Серикова М.-А.К.²

*¹ Университет Нархоз, Алматы, Казахстан

² Университет Туран, Астана, Казахстан

Аннотация. В данной статье рассматривается вода.

Ключевые слова: вода, степь, политика.

Received: 31.08.2025

Accepted: November 10, 2025

Information about authors:

Abenov Kairat Farukhovich – PhD student, Narxoz University, e-mail: k.abenov@example.kz

Serikova M.-A.K. - Professor, Turan University; ORCID: <https://orcid.org/0000-0003-3343-5660>

Авторлар туралы мәлімет:

Әбенов Қайрат Фарухұлы – PhD докторанты, Нархоз университеті, e-mail: k.abenov@example.kz
"""

OTHER_JOURNAL_ARTICLE = """# Digital Archives and Memory in Central Asia

Gabit Zhumatay^{1*}, Aigul Kistaubayeva^{2}

^{1} Narxoz University, Almaty, Kazakhstan
^{2} National Museum, Astana, Kazakhstan

## Abstract

Archives are examined as sites of memory. The study compares three collections.

**Keywords:** archives; memory; Central Asia

## Introduction

The body of the article is written in English and discusses archives at length here.

## References

1. Nora P. Between Memory and History. – 1989.
2. Assmann J. Cultural Memory. – 2011.

# Орталық Азиядағы цифрлық мұрағаттар және жады

Ғабит Жұматай^{1*}, Айгүл Кистаубаева^{2}

^{1} Нархоз университеті, Алматы, Қазақстан
^{2} Ұлттық музей, Астана, Қазақстан

## Түйіндеме

Мұрағаттар жады орны ретінде қарастырылады және үш коллекция салыстырылады.

**Түйін сөздер:** мұрағаттар; жады; Орталық Азия

**Received:** 2025-03-01
"""


@pytest.fixture(scope="module")
def bulletin():
    return parse_article(BULLETIN_ARTICLE)


def test_head_codes_and_doi(bulletin):
    assert bulletin.udc == ["327:008"]
    assert bulletin.irsti == ["11.25.25", "73.47.31"]
    assert bulletin.doi == "10.48371/ISMO.2025.62.4.777"


def test_titles_per_language_joined_and_unbolded(bulletin):
    assert bulletin.title["en"] == "WATER POLICY OF THE STEPPE STATES"
    assert bulletin.title["kk"] == "ДАЛА МЕМЛЕКЕТТЕРІНІҢ СУ САЯСАТЫ"
    assert bulletin.title["ru"] == "ВОДНАЯ ПОЛИТИКА СТЕПНЫХ ГОСУДАРСТВ"


def test_multi_paragraph_abstract_stops_at_keywords(bulletin):
    assert bulletin.abstract["en"].startswith("The paper studies water.")
    assert bulletin.abstract["en"].endswith("The second paragraph ends here.")
    assert "Key words" not in bulletin.abstract["en"]
    assert bulletin.abstract["kk"] == "Бұл мақалада су мәселесі қарастырылады."


def test_keywords_split_and_trailing_period_removed(bulletin):
    assert bulletin.keywords["en"] == ["water", "steppe", "policy"]
    assert bulletin.keywords["ru"] == ["вода", "степь", "политика"]


def test_authors_tied_across_languages_by_position(bulletin):
    first, second = bulletin.authors
    assert first.names == {"en": "Abenov K.F.", "kk": "Әбенов Қ.Ф.", "ru": "Абенов К.Ф."}
    assert second.names["kk"] == "Серікова М.-А.К."
    assert first.corresponding and not second.corresponding


def test_affiliations_follow_markers(bulletin):
    first, second = bulletin.authors
    assert first.affiliations[0].name["en"] == "Narxoz University"
    assert first.affiliations[0].name["kk"] == "Нархоз университеті"
    assert (second.affiliations[0].city, second.affiliations[0].country) == (
        "Astana",
        "Kazakhstan",
    )


def test_author_information_attached_by_name(bulletin):
    first, second = bulletin.authors
    assert first.full_names["en"] == "Abenov Kairat Farukhovich"
    assert first.full_names["kk"] == "Әбенов Қайрат Фарухұлы"
    assert first.email == "k.abenov@example.kz"
    assert second.orcid == "0000-0003-3343-5660"
    assert second.details["en"] == "Professor, Turan University"


def test_dates_references_and_body_language(bulletin):
    assert bulletin.received == datetime.date(2025, 8, 31)
    assert bulletin.accepted == datetime.date(2025, 11, 10)
    assert bulletin.references == [
        "Smith J. Water // Journal. – 2020. – P. 1–2.",
        "Brown K. Steppe states and their rivers // Review. – 2019.",
    ]
    assert bulletin.language == "en"
    assert not [w for w in bulletin.warnings if w.kind == WarningKind.MISSING_FIELD]


def test_other_journal_with_full_names_headings_and_bold_labels():
    rec = parse_article(OTHER_JOURNAL_ARTICLE)
    assert rec.udc == [] and rec.doi == ""
    assert rec.title["en"] == "Digital Archives and Memory in Central Asia"
    assert rec.title["kk"] == "Орталық Азиядағы цифрлық мұрағаттар және жады"
    assert rec.abstract["en"].startswith("Archives are examined")
    assert rec.keywords["kk"] == ["мұрағаттар", "жады", "Орталық Азия"]
    assert rec.authors[0].names == {"en": "Gabit Zhumatay", "kk": "Ғабит Жұматай"}
    assert rec.authors[0].corresponding
    assert rec.references == [
        "Nora P. Between Memory and History. – 1989.",
        "Assmann J. Cultural Memory. – 2011.",
    ]
    assert rec.received == datetime.date(2025, 3, 1)


def test_language_present_without_keywords_is_reported_missing():
    text = OTHER_JOURNAL_ARTICLE.replace("**Түйін сөздер:** мұрағаттар; жады; Орталық Азия", "")
    rec = parse_article(text)
    missing = {(w.field, w.language) for w in rec.warnings if w.kind == WarningKind.MISSING_FIELD}
    assert ("keywords", "kk") in missing
    assert "kk" not in rec.keywords


def test_author_information_for_unknown_name_is_not_attached():
    text = BULLETIN_ARTICLE.replace("Abenov Kairat Farukhovich", "Nurlanov Erlan Bolatovich")
    rec = parse_article(text)
    assert "en" not in rec.authors[0].full_names
    assert any(w.kind == WarningKind.UNATTACHED_BLOCK for w in rec.warnings)


def test_block_finders_report_language_and_span():
    (block,) = [b for b in find_abstract_blocks(BULLETIN_ARTICLE) if b[0] == "ru"]
    lang, text, (start, end) = block
    assert text == "В данной статье рассматривается вода."
    assert BULLETIN_ARTICLE[start:end].startswith("Аннотация.")
    langs = [lang for lang, _, _ in find_keyword_blocks(BULLETIN_ARTICLE)]
    assert langs == ["en", "kk", "ru"]


def test_kazakh_abstract_under_russian_label_is_read_as_kazakh():
    (block,) = find_abstract_blocks("Аннотация. Бұл мақалада Ресейдің саясаты қарастырылады.\n")
    assert block[0] == "kk"


def test_hard_wrapped_abstract_and_keywords_with_running_head():
    text = (
        "Abstract. In the modern world, in the context of intensive digital-\n"
        "ization of the economy, cyberspace is recognised.\n\n"
        "BULLETIN of Ablai Khan KazUIRandWL\n\n"
        "193\n\n"
        "It is the common interest of all mankind.\n"
        "Key words: cybersecurity, International Relations, \n"
        "digital sovereignty, cyber threats \n\n"
        "Introduction\n"
    )
    ((lang, abstract, _),) = find_abstract_blocks(text)
    assert "digitalization of the economy" in abstract
    assert "BULLETIN" not in abstract and "193" not in abstract
    assert abstract.endswith("common interest of all mankind.")
    ((_, kws, _),) = find_keyword_blocks(text)
    assert kws == [
        "cybersecurity",
        "International Relations",
        "digital sovereignty",
        "cyber threats",
    ]


def test_keywords_not_split_inside_brackets():
    assert split_keywords("C5+1 (USA, Kazakhstan), security.") == [
        "C5+1 (USA, Kazakhstan)",
        "security",
    ]


def test_references_printed_twice_keep_first_list():
    text = (
        "ЛИТЕРАТУРА\n\n1. Иванов И. Книга. – 2020.\n\n2. Петров П. Статья\nв журнале. – 2021.\n\n"
        "REFERENCES\n\n1. Ivanov I. Kniga. – 2020.\n\n2. Petrov P. Statya. – 2021.\n"
    )
    assert parse_references(text) == [
        "Иванов И. Книга. – 2020.",
        "Петров П. Статья в журнале. – 2021.",
    ]


def test_year_at_line_start_is_not_a_new_reference_number():
    text = "References\n[1] Smith J. Title // Journal.\n2015. – Vol. 3.\n[2] Doe J. Book. – 2010.\n"
    assert parse_references(text) == [
        "Smith J. Title // Journal. 2015. – Vol. 3.",
        "Doe J. Book. – 2010.",
    ]


def test_dates_in_three_languages_and_formats():
    assert parse_dates(
        "Мақала түсті: 08 Қараша 2025\nЖариялауға қабылданды: 02 Желтоқсан 2025"
    ) == (
        datetime.date(2025, 11, 8),
        datetime.date(2025, 12, 2),
    )
    assert parse_dates("Статья поступила в редакцию: 9 сентября 2025 г.\nПринята: 15.12.2025")[
        1
    ] == (datetime.date(2025, 12, 15))
    assert parse_date("September 20, 2025") == datetime.date(2025, 9, 20)


def test_codes_with_kazakh_labels_and_several_values():
    udc, irsti = parse_codes("ӘОЖ 331.56, 325.3, 342.7\n\nFTAMP 11.25.59\nУДК 327.7.\n")
    assert udc == ["331.56", "325.3", "342.7", "327.7"]
    assert irsti == ["11.25.59"]


def test_author_info_entry_with_orcid_placeholder_and_honorific():
    (info,) = parse_author_info_block(
        "Information about the authors:\n\n"
        "Dr. Keron Dave Ganpat – Lecturer, ORCID 0000-0000-0000-0000, "
        "e-mail: kd@example.org\n"
    )
    assert info.name == "Keron Dave Ganpat"
    assert info.orcid == "" and info.email == "kd@example.org"


def test_split_issue_finds_article_heads_and_front_matter():
    second = BULLETIN_ARTICLE.replace("62.4.777", "62.4.778")
    issue = "CONTENTS\n\nAbenov K.F. Water policy ... 5-20\n\n" + BULLETIN_ARTICLE + "\n" + second
    result = split_issue(issue)
    assert len(result.articles) == 2
    assert result.front_matter.startswith("CONTENTS")
    assert [parse_article(a).doi[-3:] for a in result.articles] == ["777", "778"]


# ------------------------------------------------------------------ seed 003, checked by hand


@pytest.fixture(scope="module")
def seed_003():
    path = next(SEEDS.glob("003_*.txt"))
    return parse_article(path.read_text(encoding="utf-8"))


def test_seed_003_head(seed_003):
    assert seed_003.doi == "10.48371/ISMO.2025.62.4.002"
    assert seed_003.udc == ["327:008"]
    assert seed_003.irsti == ["11.25.25"]
    assert seed_003.language == "en"


def test_seed_003_authors(seed_003):
    assert [a.names["en"] for a in seed_003.authors] == ["Konyrshin K.F.", "Sydyknazarov M.-A.K."]
    assert seed_003.authors[0].names["kk"] == "Қоныршин Қ.Ф."
    assert seed_003.authors[1].orcid == "0000-0003-3343-5660"
    assert seed_003.authors[0].email == "jldbk92@gmail.com"


def test_seed_003_keywords_references_dates(seed_003):
    assert {lang: len(kws) for lang, kws in seed_003.keywords.items()} == {
        "en": 8,
        "kk": 7,
        "ru": 7,
    }
    # 15 numbered entries plus the 16th printed without its "[16]" (the body cites [16]).
    assert len(seed_003.references) == 16
    assert seed_003.references[-1].startswith("Global Soft Power Index 2025")
    assert seed_003.received == datetime.date(2025, 9, 20)
    assert seed_003.accepted == datetime.date(2025, 11, 10)
    assert set(seed_003.abstract) == {"en", "kk", "ru"}


# ---------------------------------------------------------------- stacked bylines (other journals)

STACKED_BYLINE = """THE STEPPE AND THE SEA

**Aigerim Nurlanovna Sadykova***

PhD student, Al-Farabi Kazakh National University, Almaty, Kazakhstan

e-mail: a.sadykova@example.kz

ORCID: 0000-0002-4471-3316

**Timur Ospanov**

Associate Professor, L.N. Gumilyov Eurasian National University, Astana, Kazakhstan

**Abstract.** The paper compares the steppe and the sea.

**Keywords:** steppe, sea
"""


def test_stacked_byline_gives_full_names_positions_affiliations_and_contacts():
    record = parse_article(STACKED_BYLINE)
    assert record.title == {"en": "THE STEPPE AND THE SEA"}
    first, second = record.authors
    assert first.full_names == first.names == {"en": "Aigerim Nurlanovna Sadykova"}
    assert first.corresponding
    assert first.details == {"en": "PhD student"}
    assert first.affiliations[0].name == {"en": "Al-Farabi Kazakh National University"}
    assert (first.affiliations[0].city, first.affiliations[0].country) == ("Almaty", "Kazakhstan")
    assert (first.email, first.orcid) == ("a.sadykova@example.kz", "0000-0002-4471-3316")
    assert second.full_names == {"en": "Timur Ospanov"}
    assert second.details == {"en": "Associate Professor"}
    assert second.affiliations[0].name == {"en": "L.N. Gumilyov Eurasian National University"}
    assert record.abstract == {"en": "The paper compares the steppe and the sea."}
    assert not [w for w in record.warnings if w.field in ("authors", "title")]


def test_a_bold_name_without_a_position_line_is_not_a_stacked_byline():
    record = parse_article(
        "THE STEPPE\n\n**Timur Ospanov**\n\nAbstract. The paper studies the steppe.\n"
    )
    assert all(not author.full_names for author in record.authors)


def test_bulletin_bylines_in_bold_stay_bylines_with_initials():
    record = parse_article(
        "THE STEPPE\n\n**Abenov K.F.¹, Serikova M.-A.K.²**\n\n"
        "¹ Narxoz University, Almaty, Kazakhstan\n\n² Turan University, Astana, Kazakhstan\n\n"
        "Abstract. The paper studies the steppe.\n"
    )
    assert [a.names["en"] for a in record.authors] == ["Abenov K.F.", "Serikova M.-A.K."]
    assert [a.affiliations[0].name["en"] for a in record.authors] == [
        "Narxoz University",
        "Turan University",
    ]
    assert all(not author.full_names for author in record.authors)


def test_an_affiliation_line_may_star_the_corresponding_authors_marker():
    assert parse_affiliation("3, *4 Institute of Philosophy, Almaty, Kazakhstan") == (
        ["3", "4"],
        "Institute of Philosophy",
        "Almaty",
        "Kazakhstan",
    )
