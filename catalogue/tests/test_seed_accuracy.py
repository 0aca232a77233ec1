"""Parser accuracy on the seed documents, and the scorer that measures it.

No database: the parser and catalogue.tests.scoring are plain Python.
Expectations: catalogue/tests/data/expected/ (see its README.md).
"""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

import pytest

from catalogue.parsing.document import parse_document
from catalogue.parsing.records import ArticleRecord, AuthorRecord, DocumentRecord
from catalogue.tests.scoring import score_document

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS.parents[1] / "fixtures" / "seeds"
EXPECTED = TESTS / "data" / "expected"


@pytest.fixture(autouse=True)
def _plain_static_files():  # noqa: PT004 - overrides the Django-only conftest fixture
    """These tests need no Django; shadow conftest's settings override."""
    yield


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


_PARSED: dict[str, DocumentRecord] = {}


def _parsed(name: str) -> DocumentRecord:
    if name not in _PARSED:
        doc = _expected(name)["document"]
        _PARSED[name] = parse_document((SEEDS / doc).read_text(encoding="utf-8"), doc)
    return _PARSED[name]


def _report(name: str) -> str:
    score = score_document(_parsed(name), _expected(name))
    lines = [f"{name}: {score.correct}/{score.total} = {score.accuracy:.3f}"]
    lines += [c.describe() for c in score.mismatches[:40]]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "minimum"), [("004", 0.97), ("003", 0.97), ("001", 0.90)])
def test_seed_accuracy(name: str, minimum: float) -> None:
    score = score_document(_parsed(name), _expected(name))
    assert score.total > 30 * len(_expected(name)["articles"])  # every field was scored
    assert score.accuracy >= minimum, _report(name)


def test_001_yields_every_toc_article() -> None:
    doc = _parsed("001")
    assert doc.kind == "issue"
    assert [a.position for a in doc.articles] == list(range(1, 20))


def test_004_yields_twenty_articles_with_dois_in_order() -> None:
    doc = _parsed("004")
    assert [a.position for a in doc.articles] == list(range(1, 21))
    assert [a.doi for a in doc.articles] == [
        f"10.48371/ISMO.2025.62.4.{k:03d}" for k in range(1, 21)
    ]
    assert not any(a.doi_inferred for a in doc.articles)


@pytest.mark.parametrize("name", ["001", "004"])
def test_no_duplicate_dois_or_positions(name: str) -> None:
    arts = _parsed(name).articles
    positions = [a.position for a in arts]
    dois = [a.doi for a in arts if a.doi]
    assert len(set(positions)) == len(positions)
    assert len(set(dois)) == len(dois)


def test_003_is_the_single_article_of_issue_62_4() -> None:
    doc = _parsed("003")
    assert doc.kind == "article"
    assert len(doc.articles) == 1
    assert doc.issue is not None
    assert (doc.issue.year, doc.issue.number, doc.issue.whole_number) == (2025, "4", "62")


# --------------------------------------------------------------------------
# The scorer itself, on tiny hand-made records
# --------------------------------------------------------------------------

EXPECTED_TINY = {
    "document": "tiny.txt",
    "articles": [
        {
            "position": 1,
            "doi": "10.1/X.2025.1.1.001",
            "first_page": 5,
            "last_page": 9,
            "section": {"en": "REGIONAL STUDIES"},
            "udc": ["327"],
            "irsti": None,
            "language": "en",
            "title": {"en": "Water diplomacy: a study", "ru": None},
            "authors": [{"en": "Omarov A."}, {"en": "Berik T."}],
            "full_names": [{"en": "Omarov Aidos"}, {}],
            "emails": ["a@x.kz", None],
            "orcids": [None, "0000-0002-1825-0097"],
            "keywords": {"en": ["water", "Central Asia"], "kk": None},
            "abstract_start": {"en": "The article examines water"},
            "received": "2025-01-02",
            "accepted": None,
            "reference_count": 3,
        }
    ],
}


def _tiny_record() -> DocumentRecord:
    art = ArticleRecord(
        position=1,
        doi="10.1/X.2025.1.1.001",
        first_page=5,
        last_page=9,
        section={"en": "Regional  studies"},
        udc=["327"],
        language="en",
        title={"en": "WATER DIPLOMACY — A STUDY"},
        authors=[
            AuthorRecord(position=1, names={"en": "Omarov A."}, full_names={"en": "Omarov Aidos"}),
            AuthorRecord(position=2, names={"en": "Berik T."}, email="", orcid=""),
        ],
        keywords={"en": ["Water", "Central  Asia."]},
        abstract={"en": "The article\nexamines water use in the basin."},
        received=datetime.date(2025, 1, 2),
        references=["a", "b", "c"],
    )
    art.authors[0].email = "a@x.kz"
    art.authors[1].orcid = "0000-0002-1825-0097"
    return DocumentRecord(kind="issue", articles=[art])


def test_scorer_gives_full_marks_to_a_record_that_matches() -> None:
    score = score_document(_tiny_record(), EXPECTED_TINY)
    assert score.mismatches == []
    assert score.accuracy == 1.0
    assert score.by_field()["title"] == (3, 3)  # one check per language


def test_scorer_counts_a_wrong_title() -> None:
    rec = _tiny_record()
    rec.articles[0].title["en"] = "Water diplomacy: another study"
    score = score_document(rec, EXPECTED_TINY)
    assert score.accuracy < 1.0
    assert [(c.field, c.language) for c in score.mismatches] == [("title", "en")]


def test_scorer_counts_an_invented_value_for_a_null_field() -> None:
    rec = _tiny_record()
    rec.articles[0].title["ru"] = "Водная дипломатия"
    rec.articles[0].accepted = datetime.date(2025, 2, 1)
    rec.articles[0].irsti = ["11.25.91"]
    rec.articles[0].keywords["kk"] = ["су"]
    fields = {c.field for c in score_document(rec, EXPECTED_TINY).mismatches}
    assert fields == {"title", "accepted", "irsti", "keywords"}


def test_scorer_counts_missing_authors_emails_and_wrong_lists() -> None:
    rec = _tiny_record()
    art = rec.articles[0]
    art.authors = art.authors[:1]
    art.keywords["en"] = ["Central Asia", "water"]  # order matters
    art.references = ["a", "b"]
    art.abstract["en"] = "This article examines water"
    bad = {(c.field, c.index) for c in score_document(rec, EXPECTED_TINY).mismatches}
    assert ("authors", 1) in bad
    assert ("orcids", 1) in bad
    assert ("keywords", None) in bad
    assert ("reference_count", None) in bad
    assert ("abstract_start", None) in bad


def test_scorer_fails_every_check_of_a_missing_article_and_counts_extras() -> None:
    empty = DocumentRecord(kind="issue", articles=[])
    score = score_document(empty, EXPECTED_TINY)
    assert score.correct == 0 and score.total > 20
    extra = _tiny_record()
    extra.articles.append(ArticleRecord(position=2, title={"en": "Stray"}))
    score = score_document(extra, EXPECTED_TINY)
    assert [c.field for c in score.mismatches] == ["article"]


def test_scorer_does_not_change_the_expectation() -> None:
    before = copy.deepcopy(EXPECTED_TINY)
    score_document(_tiny_record(), EXPECTED_TINY)
    assert before == EXPECTED_TINY
