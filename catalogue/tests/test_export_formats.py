"""`export --format bibtex|ris|csl-json` with browse filters; BibTeX and RIS parsed back."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import KeywordConcept

from .factories import add_keyword, make_article, make_full_article, make_issue

pytestmark = pytest.mark.django_db


def export(*args):
    out = StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def parse_bibtex(text):
    """Entries as {"type", "key", fields...}: a small parser for the braces BibTeX uses."""
    entries = []
    position = 0
    head = re.compile(r"@(\w+)\{([^,]+),")
    while match := head.search(text, position):
        entry = {"type": match.group(1), "key": match.group(2)}
        i = match.end()
        while True:
            field = re.compile(r"\s*(\w+)\s*=\s*\{").match(text, i)
            if not field:
                break
            depth, j = 1, field.end()
            while depth:
                if text[j] == "\\":
                    j += 2
                    continue
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            entry[field.group(1)] = text[field.end() : j - 1]
            i = j
            comma = re.compile(r"\s*,").match(text, i)
            if comma:
                i = comma.end()
        closing = re.compile(r"\s*\}").match(text, i)
        assert closing, f"entry {entry['key']} is not closed"
        entries.append(entry)
        position = closing.end()
    return entries


def parse_ris(text):
    records, current = [], []
    for line in text.split("\r\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, f"not an RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "ER":
            records.append(current)
            current = []
        else:
            current.append((tag, value))
    assert not current, "record without ER"
    return records


@pytest.fixture
def catalogue():
    article = make_full_article()
    concept = KeywordConcept.objects.get(keywords__text="soft power")
    older = make_article(make_issue(year=2024), title_en="Older {braces} & 100% <b>")
    add_keyword(older, "history")
    return {"article": article, "older": older, "concept": concept}


def test_bibtex_of_the_whole_catalogue_parses_back(catalogue):
    entries = parse_bibtex(export("--format", "bibtex"))
    assert [e["type"] for e in entries] == ["article", "article"]
    first = entries[0]
    assert first["title"] == r"Soft power \& <small> states"
    assert first["author"] == "Zhumatay, G. and Baissultanova, K. Ch."
    assert first["doi"] == "10.48371/ISMO.2025.60.2.001"
    assert first["pages"] == "10--22"
    assert entries[1]["title"] == r"Older \{braces\} \& 100\% <b>"


def test_bibtex_filtered_by_year_and_keyword(catalogue):
    entries = parse_bibtex(export("--format", "bibtex", "--filter", "year=2024"))
    assert [e["title"] for e in entries] == [r"Older \{braces\} \& 100\% <b>"]
    keyword = f"keyword={catalogue['concept'].pk}"
    entries = parse_bibtex(
        export("--format", "bibtex", "--filter", "year=2025", "--filter", keyword)
    )
    assert [e["doi"] for e in entries] == ["10.48371/ISMO.2025.60.2.001"]
    assert parse_bibtex(export("--format", "bibtex", "--filter", "year=2023")) == []


def test_ris_parses_back_with_authors_and_links(catalogue):
    text = export("--format", "ris", "--base-url", "https://cat.example.org")
    records = parse_ris(text)
    assert len(records) == 2
    first = records[0]
    assert ("TY", "JOUR") == first[0]
    assert [v for t, v in first if t == "AU"] == ["Zhumatay, G.", "Baissultanova, K.Ch."]
    assert ("DO", "10.48371/ISMO.2025.60.2.001") in first
    url = f"https://cat.example.org/en/articles/{catalogue['article'].pk}/"
    assert ("UR", url) in first


def test_ris_filtered_by_issue(catalogue):
    records = parse_ris(export("--format", "ris", "--issue", str(catalogue["older"].issue_id)))
    assert [v for t, v in records[0] if t == "TI"] == ["Older {braces} & 100% <b>"]


def test_csl_json_is_a_json_array_of_items(catalogue):
    items = json.loads(export("--format", "csl-json"))
    assert [item["type"] for item in items] == ["article-journal"] * 2
    assert items[0]["DOI"] == "10.48371/ISMO.2025.60.2.001"
    items = json.loads(export("--format", "csl-json", "--filter", "q=soft power"))
    assert len(items) == 1


def test_json_export_is_unchanged_and_takes_filters(catalogue):
    whole = json.loads(export())
    assert len(whole) == 2
    assert json.loads(export("--format", "json")) == whole
    only = json.loads(export("--filter", "year=2024"))
    assert [item["title"]["en"] for item in only] == ["Older {braces} & 100% <b>"]


@pytest.mark.parametrize("bad", ["year", "colour=red", "year=soon", "sort=title", "language=fr"])
def test_bad_filters_are_refused(catalogue, bad):
    with pytest.raises(CommandError):
        export("--format", "bibtex", "--filter", bad)
