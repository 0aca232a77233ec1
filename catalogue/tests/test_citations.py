"""Citation formats: BibTeX and RIS read back to the same facts; GOST and APA strings."""

import json
import re

import pytest

from catalogue import citations
from catalogue.models import Article

from .factories import make_full_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return Article.objects.with_details().get(pk=make_full_article().pk)


def parse_bibtex(text: str) -> tuple[str, str, dict]:
    """A tiny parser for one entry whose values are {braced}, with escaped specials."""
    match = re.fullmatch(r"@(\w+)\{([^,]+),\n(.*)\n\}\n", text, re.S)
    assert match, text
    kind, key, body = match.groups()
    fields = {}
    for name, value in re.findall(r"^  (\w+) = \{(.*)\},?$", body, re.M):
        fields[name] = re.sub(r"\\([{}&%$#_])", r"\1", value)
    return kind, key, fields


def parse_ris(text: str) -> list[tuple[str, str]]:
    lines = text.split("\r\n")
    assert lines[-1] == ""
    pairs = []
    for line in lines[:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, line
        pairs.append(match.groups())
    return pairs


def test_bibtex_parses_back_to_the_articles_facts(article):
    kind, key, fields = parse_bibtex(citations.bibtex(article))
    assert kind == "article"
    assert key == f"jumatai2025_{article.pk}"
    assert fields["author"] == "Zhumatay, G. and Baissultanova, K. Ch."
    assert fields["title"] == "Soft power & <small> states"
    assert fields["journal"] == "Bulletin of Ablai Khan KazUIRandWL"
    assert fields["year"] == "2025"
    assert fields["number"] == "2 (60)"
    assert fields["pages"] == "10--22"
    assert fields["doi"] == "10.48371/ISMO.2025.60.2.001"
    assert fields["issn"] == "2411-8753, 2710-3633"
    assert "soft power" in fields["keywords"] and "мягкая сила" in fields["keywords"]


def test_bibtex_escapes_special_characters(article):
    assert r"Soft power \& <small> states" in citations.bibtex(article)


def test_ris_parses_back_to_the_articles_facts(article):
    pairs = parse_ris(citations.ris(article))
    assert pairs[0] == ("TY", "JOUR") and pairs[-1] == ("ER", "")
    tags = {}
    for tag, value in pairs:
        tags.setdefault(tag, []).append(value)
    assert tags["AU"] == ["Zhumatay, G.", "Baissultanova, K.Ch."]
    assert tags["TI"] == ["Soft power & <small> states"]
    assert tags["PY"] == ["2025"]
    assert (tags["SP"], tags["EP"]) == (["10"], ["22"])
    assert tags["DO"] == ["10.48371/ISMO.2025.60.2.001"]
    assert tags["SN"] == ["2411-8753", "2710-3633"]
    assert "мягкая сила" in tags["KW"]


def test_csl_json_is_a_list_with_one_article_journal(article):
    [item] = json.loads(citations.csl_json_text(article))
    assert item["type"] == "article-journal"
    assert item["author"][1] == {"family": "Baissultanova", "given": "K.Ch."}
    assert item["issued"] == {"date-parts": [[2025]]}
    assert item["page"] == "10-22"
    assert item["DOI"] == "10.48371/ISMO.2025.60.2.001"


def test_gost_reference_follows_r_7_0_5(article):
    article.language = "ru"
    assert citations.gost(article) == (
        "Жұматай Ғ.Б. Мягкая сила малых государств / Ғ.Б. Жұматай, К.Ч. Байсултанова"
        " // Вестник КазУМОиМЯ им. Абылай хана. International relations and regional studies."
        " – 2025. – № 2 (60). – С. 10–22. – DOI: 10.48371/ISMO.2025.60.2.001."
    )


def test_apa_reference(article):
    assert citations.apa(article) == (
        "Zhumatay, G., & Baissultanova, K. Ch. (2025). Soft power & <small> states."
        " Bulletin of Ablai Khan KazUIRandWL. International relations and regional studies,"
        " (2), 10–22. https://doi.org/10.48371/ISMO.2025.60.2.001"
    )


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Sayatbek S.S.", "Sayatbek", "S.S."),
        ("Kenzhegalieva D. M.", "Kenzhegalieva", "D.M."),
        ("Akhmetova Sh.K.", "Akhmetova", "Sh.K."),
        ("Abu Shawer Omar", "Abu", "Shawer Omar"),
    ],
)
def test_citation_name_parts_separate_surname_from_initials(name, family, given):
    parts = citations.citation_name_parts(name)
    assert (parts["family"], parts["given"]) == (family, given)
