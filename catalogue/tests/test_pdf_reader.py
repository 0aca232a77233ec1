"""PDFs of journals in the layouts they are printed in, read back through the ingest's reading path.

The documents are typeset here (catalogue/tests/pdfmaker.py) from the seed
texts and from samples of other journals' pages, then read with read_source
and parsed with parse_document, and scored field by field against the same
hand-checked expectations as the seed texts. No database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from catalogue.parsing.document import parse_document
from catalogue.parsing.records import DocumentRecord
from catalogue.parsing.sources import SourceError, SourceText, read_source
from catalogue.tests.pdfmaker import HEADS_004, LAYOUTS, Layout, make_pdf
from catalogue.tests.scoring import score_document

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS.parents[1] / "fixtures" / "seeds"
EXPECTED = TESTS / "data" / "expected"
SAMPLES = TESTS / "data" / "pdf"
MAX_BYTES = 200_000_000
ECONOMICS = Layout(
    "a5-economics",
    page=A5,
    margin=34,
    size=8.0,
    indent=10.0,
    heads=("Bulletin of Turan University. No. 3 2024", "ISSN 1562-2959. Economic series"),
    first_page=112,
)


@pytest.fixture(autouse=True)
def _plain_static_files():  # noqa: PT004 - overrides the Django-only conftest fixture
    """These tests need no Django; shadow conftest's settings override."""
    yield


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


class Library:
    """PDFs typeset once per test session, and what the reading path makes of them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.read: dict[tuple[str, str], tuple[SourceText, DocumentRecord]] = {}

    def pdf(self, name: str, layout: Layout) -> Path:
        path = self.folder / f"{name}-{layout.name}.pdf"
        if not path.exists():
            if name in {"003", "004"}:
                text = (SEEDS / _expected(name)["document"]).read_text(encoding="utf-8")
            else:
                text = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
            make_pdf(text, path, layout)
        return path

    def parsed(self, name: str, layout: Layout) -> tuple[SourceText, DocumentRecord]:
        key = (name, layout.name)
        if key not in self.read:
            path = self.pdf(name, layout)
            source = read_source(path, MAX_BYTES)
            self.read[key] = (source, parse_document(source.text, path.name))
        return self.read[key]


@pytest.fixture(scope="session")
def library(tmp_path_factory) -> Library:
    return Library(tmp_path_factory.mktemp("pdfs"))


def _report(name: str, record: DocumentRecord) -> str:
    score = score_document(record, _expected(name))
    lines = [f"{name}: {score.correct}/{score.total} = {score.accuracy:.3f}"]
    return "\n".join(lines + [c.describe()[:200] for c in score.mismatches[:30]])


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_the_whole_issue_reads_as_well_from_its_pdf_as_from_its_text(library, layout):
    source, record = library.parsed("004", layout)
    assert source.encoding == "pdf"
    score = score_document(record, _expected("004"))
    assert score.total > 30 * 20
    assert score.accuracy >= 0.97, _report("004", record)


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_a_lone_article_reads_as_well_from_its_pdf_as_from_its_text(library, layout):
    _, record = library.parsed("003", layout)
    assert record.kind == "article"
    score = score_document(record, _expected("003"))
    assert score.accuracy >= 0.97, _report("003", record)


def test_the_two_column_issue_yields_exactly_the_twenty_contents_articles(library):
    _, record = library.parsed("004", LAYOUTS["a4-two-columns"])
    assert [a.position for a in record.articles] == list(range(1, 21))
    assert [a.doi for a in record.articles] == [
        f"10.48371/ISMO.2025.62.4.{k:03d}" for k in range(1, 21)
    ]
    phantoms = [a for a in record.articles if not a.doi and a.position is None]
    assert phantoms == []


@pytest.mark.parametrize("layout", ["a4-two-columns", "a5-one-column"])
def test_running_heads_and_page_numbers_stay_out_of_the_text(library, layout):
    source, record = library.parsed("004", LAYOUTS[layout])
    lines = set(source.text.splitlines())
    for head in HEADS_004:
        assert not any(head in line for line in lines)
    seed = (SEEDS / _expected("004")["document"]).read_text(encoding="utf-8").splitlines()
    assert {line for line in lines if line.strip().isdigit()} <= set(seed)
    for article in record.articles:
        for text in [*article.title.values(), *article.abstract.values()]:
            assert "Abylai Khan KazUIRandWL Bulletin" not in text
            assert "ҚазХҚжӘТУ Хабаршысы. «Халықаралық" not in text


@pytest.mark.parametrize("layout", ["a4-two-columns", "a5-one-column"])
def test_the_printed_page_numbers_are_kept_page_by_page(library, layout):
    source, _ = library.parsed("003", LAYOUTS[layout])
    assert source.pages == list(range(1, len(source.pages) + 1))
    source, _ = library.parsed("economics_article", ECONOMICS)
    assert source.pages == list(range(112, 112 + len(source.pages)))


def test_another_journal_in_a5_with_indented_paragraphs_reads_field_by_field(library):
    source, record = library.parsed("economics_article", ECONOMICS)
    assert record.kind == "article"
    [article] = record.articles
    assert article.doi == "10.52821/2789-4401-2024-3-112-125"
    assert article.udc == ["338.2"] and article.irsti == ["06.52.13"]
    assert article.title["en"].replace("*", "") == (
        "Regional financial inclusion and small business lending in Kazakhstan"
    )
    assert [a.names["en"] for a in article.authors] == ["Seitkali A.B.", "Omarova D.K.", "Lee J."]
    assert [[o.name["en"] for o in a.affiliations] for a in article.authors] == [
        ["Narxoz University"],
        ["Turan University"],
        ["Narxoz University"],
    ]
    assert article.keywords["en"] == [
        "financial inclusion",
        "small business",
        "lending",
        "regions",
        "digital services",
    ]
    assert article.abstract["en"].startswith("The article examines how the availability")
    assert (
        "The findings support a policy of developing digital financial services"
        in (article.abstract["en"])
    )
    assert len(article.references) == 4


def test_bold_runs_and_raised_affiliation_markers_are_kept_as_marks(library):
    source, _ = library.parsed("economics_article", ECONOMICS)
    lines = source.text.splitlines()
    assert "*Seitkali A.B.^{1}, Omarova D.K.^{2}, Lee J.^{1}" in lines
    assert "^{2} Turan University, Almaty, Kazakhstan" in lines
    assert any(line.startswith("**Abstract.** The article examines") for line in lines)
    assert "**Introduction**" in lines


def test_ligatures_and_words_hyphenated_at_line_ends_are_rejoined(library):
    source, _ = library.parsed("economics_article", ECONOMICS)
    assert "ﬁ" not in source.text and "\u00ad" not in source.text
    assert "digital financial services in rural districts" in source.text
    words = set(source.text.split())
    seed_words = set((SAMPLES / "economics_article.txt").read_text(encoding="utf-8").split())
    broken = {w for w in words if w.rstrip(".,;:").endswith("-")}
    assert broken <= {w for w in seed_words if w.rstrip(".,;:").endswith("-")}
    assert "enterprises." in words and "infrastructure" in words


def _image_only_pdf(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    scan = Image.new("L", (600, 800), 255)
    for x in range(60, 540):
        for y in range(100, 700, 24):
            scan.putpixel((x, y), 0)
    canvas.drawImage(ImageReader(scan), 40, 40, width=515, height=760)
    canvas.showPage()
    canvas.save()
    return path


def test_a_scan_without_a_text_layer_is_refused_as_needing_ocr(tmp_path):
    with pytest.raises(SourceError) as refused:
        read_source(_image_only_pdf(tmp_path / "scan.pdf"), MAX_BYTES)
    message = str(refused.value)
    assert "OCR" in message and "\n" not in message


def test_a_damaged_pdf_is_refused_in_one_line(library, tmp_path):
    whole = library.pdf("003", LAYOUTS["a4-one-column"]).read_bytes()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(SourceError) as refused:
        read_source(damaged, MAX_BYTES)
    assert str(refused.value).startswith("PDF") and "\n" not in str(refused.value)


def test_a_lone_article_that_prints_no_pages_takes_them_from_its_page_numbers(tmp_path):
    layout = dataclasses.replace(LAYOUTS["a4-two-columns"], first_page=23)
    path = tmp_path / "003.pdf"
    make_pdf((SEEDS / _expected("003")["document"]).read_text(encoding="utf-8"), path, layout)
    source = read_source(path, MAX_BYTES)
    numbers = [n for n in source.pages if n is not None]
    assert numbers and numbers[0] == 23
    [article] = parse_document(source.text, path.name, printed_pages=source.pages).articles
    assert (article.first_page, article.last_page) == (23, max(numbers))
    [without] = parse_document(source.text, path.name).articles
    assert without.first_page is None  # the text alone does not say
