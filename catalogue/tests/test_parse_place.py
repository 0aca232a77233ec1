"""Where a lone article says it is printed: DOI shapes, running heads, citation lines."""

from __future__ import annotations

import pytest

from catalogue.parsing.header import (
    place_from_citation,
    place_from_doi,
    place_from_line,
    place_of_article,
)


@pytest.fixture(autouse=True)
def _plain_static_files():  # noqa: PT004 - overrides the Django-only conftest fixture
    """These parser tests need no Django; shadow conftest's settings override."""
    yield


def where(place):
    return (
        place.year,
        place.volume,
        place.number,
        place.whole_number,
        place.first_page,
        place.last_page,
    )


# ---------------------------------------------------------------- DOI shapes


@pytest.mark.parametrize(
    "doi, expected",
    [
        # CODE.YEAR.WHOLE.NUMBER.POSITION
        ("10.48371/ISMO.2025.62.4.002", (2025, "", "4", "62", None, None)),
        ("10.51889/2959-5967.2024.78.1.001", (2024, "", "1", "78", None, None)),
        ("10.1234/jour.2023.15.2.7", (2023, "", "2", "15", None, None)),
        # CODE.YEAR.vVOLUME.iNUMBER.POSITION
        ("10.26577/JPsS.2023.v84.i1.01", (2023, "84", "1", "", None, None)),
        ("10.26577/EJE.2020.vol94.no2.05", (2020, "94", "2", "", None, None)),
        # ISSN.YEAR-NUMBER.POSITION
        ("10.26577/2521-6589.2024-3.05", (2024, "", "3", "", None, None)),
        # ISSN-YEAR-NUMBER-FIRST-LAST (pages)
        ("10.1234/2077-9038-2024-1-45-52", (2024, "", "1", "", 45, 52)),
        # ISSN-YEAR-WHOLE-NUMBER-FIRST-LAST
        ("10.32523/2616-7034-2023-145-4-7-17", (2023, "", "4", "145", 7, 17)),
        # YEAR + series code + NUMBER / pages
        ("10.31489/2024HMath1/45-58", (2024, "", "1", "", 45, 58)),
        # YEAR-NUMBER / ISSN.POSITION
        ("10.47526/2024-2/2664-0686.07", (2024, "", "2", "", None, None)),
        # a URL and trailing punctuation as printed
        ("https://doi.org/10.26577/2521-6589.2024-3.05.", (2024, "", "3", "", None, None)),
    ],
)
def test_doi_shapes_say_year_volume_number_and_position_or_pages(doi, expected):
    assert where(place_from_doi(doi)) == expected


def test_doi_shape_gives_the_prefix():
    assert place_from_doi("10.26577/2521-6589.2024-3.05").doi_prefix == "10.26577"


@pytest.mark.parametrize(
    "doi",
    ["10.1016/S0140-6736(20)30183-5", "10.1234/abc", "10.1234/2077-9038-2024-1-52-45", ""],
)
def test_doi_that_says_no_place_gives_nothing(doi):
    assert place_from_doi(doi).issue() is None


# ---------------------------------------------------------------- running heads


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Vol. 12, No. 3, 2024", (2024, "12", "3", "", None, None)),
        ("Volume 12, Issue 3 (2024)", (2024, "12", "3", "", None, None)),
        ("№ 2 (60) 2025", (2025, "", "2", "60", None, None)),
        ("Т. 5, № 1, 2023", (2023, "5", "1", "", None, None)),
        ("2024, Vol. 12, No. 3, pp. 45-58", (2024, "12", "3", "", 45, 58)),
        ("2024. – Т. 5, № 1. – С. 45–58.", (2023 + 1, "5", "1", "", 45, 58)),
        ("Вестник. 2024. – № 3", (2024, "", "3", "", None, None)),
        ("Journal of Steppe Studies, 12(3), 45–58.", (None, "12", "3", "", 45, 58)),
    ],
)
def test_running_head_and_citation_designations(line, expected):
    assert where(place_from_line(line)) == expected


def test_a_line_without_a_designation_says_nothing():
    assert where(place_from_line("The steppe in 2024 and after")) == (None, "", "", "", None, None)


# ---------------------------------------------------------------- citation lines


def test_gost_citation_gives_journal_year_volume_number_pages():
    place = place_from_citation(
        "Садыкова А.Н. Кочевое наследие // Вестник КазНУ. Серия историческая. – 2024. – "
        "Т. 107, № 3. – С. 45–58."
    )
    assert where(place) == (2024, "107", "3", "", 45, 58)
    assert place.journal == {"ru": "Вестник КазНУ. Серия историческая"}


def test_apa_citation_gives_journal_year_volume_number_pages():
    place = place_from_citation(
        "Sadykova, A. N., & Ospanov, T. B. (2024). Nomadic heritage. "
        "Journal of Steppe Studies, 12(3), 45–58. https://doi.org/10.1234/jss.2024.12.3.5"
    )
    assert where(place) == (2024, "12", "3", "", 45, 58)
    assert place.journal == {"en": "Journal of Steppe Studies"}


@pytest.mark.parametrize(
    "label",
    ["Для цитирования:", "Дәйексөз үшін:", "Cite this article:", "How to cite:", "For citation:"],
)
def test_citation_labels_in_every_language(label):
    text = (
        "TITLE OF THE ARTICLE\n\nAbstract. Text.\n\nKeywords: a, b\n\n"
        f"{label} Omarov A. Title // Steppe Review. 2023. Vol. 5, No. 2. P. 10-20.\n"
    )
    place = place_of_article(text)
    assert where(place) == (2023, "5", "2", "", 10, 20)
    assert place.journal == {"en": "Steppe Review"}
    assert place.evidence == ["citation line"]


# ---------------------------------------------------------------- the sources together


def test_doi_first_then_citation_fills_volume_and_pages():
    text = (
        "DOI: 10.26577/2521-6589.2024-3.05\n\nTITLE\n\n"
        "**For citation:** Sadykova A.N. Title // Steppe Review. – 2024. – Vol. 9, No. 3. – "
        "P. 45–58.\n"
    )
    place = place_of_article(text)
    assert where(place) == (2024, "9", "3", "", 45, 58)
    assert place.evidence == ["DOI", "citation line"]


def test_citation_that_disagrees_with_the_doi_is_not_taken():
    text = "For citation: Omarov A. Title // Steppe Review. 2023. Vol. 5, No. 2. P. 10-20.\n"
    place = place_of_article(text, "10.26577/2521-6589.2024-3.05")
    assert where(place) == (2024, "", "3", "", None, None)


def test_running_head_calls_the_doi_middle_number_a_volume():
    text = "Steppe Review Vol. 15, No. 2, 2023\n\nTITLE\n\nAbstract. Text.\n"
    place = place_of_article(text, "10.1234/jour.2023.15.2.7")
    assert where(place) == (2023, "15", "2", "", None, None)


def test_journal_citation_line_at_the_head():
    text = "Journal of Steppe Studies, Vol. 12, No. 3, 2024\n\nTITLE\n\nAbstract. Text.\n"
    place = place_of_article(text)
    assert where(place)[:3] == (2024, "12", "3")
    assert place.journal == {"en": "Journal of Steppe Studies"}


def test_reference_entries_are_not_running_heads():
    text = "TITLE\n\nAbstract. Text.\n\nReferences\n1. Omarov A. Title. Vol. 5, No. 2, 2019.\n"
    assert place_of_article(text).issue() is None
