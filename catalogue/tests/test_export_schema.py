"""The JSON export format, declared once as a JSON Schema, and loads that break it."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator

from catalogue.export import export_articles
from catalogue.models import Article, Issue
from catalogue.parsing.json_export import SCHEMA, first_problem

from .factories import add_author, add_keyword, make_article, make_author, make_issue

pytestmark = pytest.mark.django_db

ARTICLE_003 = "003_fdd0b68bd806740f.txt"
ISSUE_004 = "004_5cc4925e9724fd50.txt"


def good_article(**changes):
    article = {
        "doi": "10.1234/TEST.2024.1.1.001",
        "journal": "Test Journal",
        "series": None,
        "issn": [],
        "year": 2024,
        "issue": "1",
        "title": {"en": "Water policy of the steppe states"},
        "abstract": {"en": "Rivers cross borders."},
        "keywords": {"en": ["water", "policy"]},
        "authors": [{"name": {"en": "Abenov K."}, "affiliations": []}],
        "references": ["Brown K. Rivers. 2019."],
        "sources": [],
    }
    article.update(changes)
    return article


def ingest(*paths):
    out = StringIO()
    call_command("ingest", *[str(p) for p in paths], stdout=out, stderr=out)
    return out.getvalue()


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_what_the_catalogue_exports_keeps_to_the_schema():
    article = make_article(
        make_issue(), doi="10.1234/TEST.2024.1.1.002", abstract_en="Text.", udc=["327"]
    )
    add_author(article, make_author("Abenov K."))
    add_keyword(article, "water")
    exported = list(export_articles())
    assert first_problem(exported) == ""


MALFORMED = [
    ({"references": [1, 2, {"text": "x"}]}, "field references[0]: 1 is not of type 'string'"),
    ({"sources": [{"url": 5}]}, "field sources[0]"),
    ({"title": {"en": 12345}}, "field title.en: 12345 is not of type 'string'"),
    ({"abstract": {"en": ["a", "b"]}}, "field abstract.en"),
    ({"keywords": {"en": "word"}}, "field keywords.en: 'word' is not of type 'array'"),
    ({"issue": None}, "field issue"),
    ({"title": {"en": "x" * 1_000_000}}, "field title.en: 'xxxx"),
    ({"title": {"fr": "Politique de l'eau"}}, "field title"),
    ({"year": "2024"}, "field year: '2024' is not of type 'integer'"),
    ({"received": "1 March 2024"}, "field received"),
]


@pytest.mark.parametrize("changes, message", MALFORMED, ids=[m for _, m in MALFORMED])
def test_a_malformed_export_is_refused_in_one_line_naming_article_and_field(
    tmp_path, changes, message
):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([good_article(doi=None), good_article(**changes)]))
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 documents failed"):
        call_command("ingest", str(path), stdout=out, stderr=out)
    lines = [line for line in out.getvalue().splitlines() if "export.json" in line]
    assert len(lines) == 1
    assert "article 2 (DOI 10.1234/TEST.2024.1.1.001)" in lines[0] and message in lines[0]
    assert len(lines[0]) < 400
    assert Article.objects.count() == 0 and Issue.objects.count() == 0


def test_a_malformed_export_does_not_stop_the_other_documents(tmp_path, seeds):
    (tmp_path / "a_export.json").write_text(json.dumps([good_article(references=[1])]))
    shutil.copy(seeds / ARTICLE_003, tmp_path / "b_article.txt")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 documents failed"):
        call_command(
            "ingest",
            str(tmp_path),
            stdout=out,
            stderr=out,
            journal="Bulletin of Ablai Khan KazUIRandWL",
            series="International Relations",
        )
    assert Article.objects.count() == 1
    assert "Traceback" not in out.getvalue()


def test_an_export_that_is_not_an_array_of_articles_is_refused(tmp_path):
    for content, message in (("[]", "holds no article"), ("[1, 2]", "field (the article")):
        path = tmp_path / "export.json"
        path.write_text(content)
        out = StringIO()
        with pytest.raises(CommandError):
            call_command("ingest", str(path), stdout=out, stderr=out)
        assert message in out.getvalue()


# ---------------------------------------------------------------- an export takes over no article


def exported_seed(tmp_path, seeds):
    """The lone article 003 loaded, and the catalogue's export of it."""
    shutil.copy(seeds / ARTICLE_003, tmp_path / "article.txt")
    ingest_with_journal(tmp_path / "article.txt")
    target = tmp_path / "export.json"
    call_command("export", "--format", "json", "--output", str(target))
    return json.loads(target.read_text(encoding="utf-8"))


def ingest_with_journal(path, **options):
    out = StringIO()
    call_command(
        "ingest",
        str(path),
        stdout=out,
        stderr=out,
        journal="Bulletin of Ablai Khan KazUIRandWL",
        series="International Relations",
        **options,
    )
    return out.getvalue()


def hijack(item):
    return {
        **item,
        "journal": "Another Journal",
        "series": None,
        "year": 1999,
        "issue": "9",
        "whole_number": None,
        "title": {"en": "Something else entirely"},
        "authors": [{"name": {"en": "Stranger Q."}, "affiliations": []}],
    }


def test_an_export_that_keeps_a_doi_but_describes_another_article_is_refused(tmp_path, seeds):
    [item] = exported_seed(tmp_path, seeds)
    path = tmp_path / "hijack.json"
    path.write_text(json.dumps([hijack(item)]))
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 documents failed"):
        call_command("ingest", str(path), stdout=out, stderr=out)
    assert "give --replace to overwrite it" in out.getvalue()
    article = Article.objects.get()
    assert article.issue.year == 2025 and "CULTURAL DIPLOMACY" in article.title_en.upper()


def test_replace_lets_a_document_take_over_the_article_its_doi_names(tmp_path, seeds):
    [item] = exported_seed(tmp_path, seeds)
    path = tmp_path / "hijack.json"
    path.write_text(json.dumps([hijack(item)]))
    call_command("ingest", str(path), "--replace", stdout=StringIO(), stderr=StringIO())
    article = Article.objects.get()
    assert article.issue.year == 1999 and article.title_en == "Something else entirely"


def test_an_export_of_one_new_article_joins_an_issue_that_has_articles(tmp_path, seeds):
    call_command("ingest", str(seeds / ISSUE_004), stdout=StringIO(), stderr=StringIO())
    item = next(iter(export_articles()))
    newcomer = {
        **item,
        "doi": "10.48371/ISMO.2025.62.4.099",
        "title": {"en": "A newcomer to the issue"},
        "authors": [{"name": {"en": "Newcomer N."}, "affiliations": []}],
    }
    path = tmp_path / "new.json"
    path.write_text(json.dumps([newcomer]))
    call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    added = Article.objects.get(doi="10.48371/ISMO.2025.62.4.099")
    assert added.issue_id == Article.objects.get(doi=item["doi"]).issue_id
    assert added.position == 21  # after the issue's twenty, not on top of the first
