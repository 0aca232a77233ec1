"""Read the catalogue's own JSON export back into parsed records.

The format is declared once, in json_export.schema.json (JSON Schema 2020-12);
a file is checked against it before anything is read, and the first problem
is reported as one line naming the article and the field. An export may hold
articles of many issues and journals; each issue becomes one DocumentRecord so
that the store treats it like any other document.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

from .records import (
    AffiliationRecord,
    ArticleRecord,
    AuthorRecord,
    DocumentError,
    DocumentRecord,
    IssueRecord,
    JournalRecord,
)
from .text import detect_language

_ISSN = re.compile(r"^\d{4}-\d{3}[\dXx]$")
SCHEMA = json.loads(Path(__file__).with_name("json_export.schema.json").read_text("utf-8"))


def _inlined(node: object, root: dict) -> object:
    """The schema with each local "$ref" replaced by what it names: the same rules,
    checked without resolving references for every value (about twice as fast on a
    large export). The export schema has no recursive reference."""
    if isinstance(node, list):
        return [_inlined(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: value for key, value in node.items() if key != "$defs"}
    if "$ref" in node:
        target: object = root
        for part in node.pop("$ref").removeprefix("#/").split("/"):
            target = target[part]  # type: ignore[index]
        node = {**_inlined(target, root), **node}  # type: ignore[dict-item]
    return {key: _inlined(value, root) for key, value in node.items()}


_VALIDATOR = Draft202012Validator(
    _inlined(SCHEMA, SCHEMA), format_checker=Draft202012Validator.FORMAT_CHECKER
)


def looks_like_export(text: str) -> bool:
    return text.lstrip().startswith("[")


def parse_export(text: str) -> list[DocumentRecord]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    problem = first_problem(items)
    if problem:
        raise DocumentError(problem)
    documents: dict[tuple, DocumentRecord] = {}
    for item in items:
        key, document = _document_for(item)
        document = documents.setdefault(key, document)
        article = _article(item)
        article.position = len(document.articles) + 1  # the export lists articles in order
        document.articles.append(article)
    return list(documents.values())


def first_problem(items: object) -> str:
    """The first place where `items` breaks the export schema, as one line; "" if none."""
    errors = sorted(_VALIDATOR.iter_errors(items), key=lambda e: [str(p) for p in e.path])
    if not errors:
        return ""
    error = errors[0]
    path = list(error.path)
    if not path:
        if isinstance(items, list) and not items:
            return "the export holds no article"
        return "JSON is not an array of article objects"
    index, *field = path
    article = items[index] if isinstance(items, list) else {}
    doi = article.get("doi") if isinstance(article, dict) else None
    where = f"article {index + 1}" + (f" (DOI {doi})" if isinstance(doi, str) and doi else "")
    name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in field).lstrip(".")
    detail = error.message if len(error.message) <= 120 else error.message[:117] + "..."
    return f"{where}, field {name or '(the article itself)'}: {detail}"


def _document_for(item: dict) -> tuple[tuple, DocumentRecord]:
    issns = [issn for issn in item.get("issn") or [] if _ISSN.match(issn)]
    journal = JournalRecord(
        title={"en": item["journal"]},
        issn_print=issns[0] if issns else "",
        issn_online=issns[1] if len(issns) > 1 else "",
        doi_prefix=(item.get("doi") or "").split("/")[0],
    )
    series = {"en": item["series"]} if item.get("series") else {}
    issue = IssueRecord(
        year=int(item["year"]),
        number=str(item["issue"]),
        whole_number=str(item.get("whole_number") or ""),
        volume=str(item.get("volume") or ""),
    )
    key = (item["journal"], item.get("series"), issue.year, issue.number)
    return key, DocumentRecord(kind="issue", journal=journal, series=series, issue=issue)


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _affiliation(text: str) -> AffiliationRecord:
    """ "Narxoz University, Almaty, Kazakhstan" -> name, city, country."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) >= 3:
        name, city, country = ", ".join(parts[:-2]), parts[-2], parts[-1]
    else:
        name, city, country = text.strip(), "", ""
    return AffiliationRecord(name={detect_language(name) or "en": name}, city=city, country=country)


def _article(item: dict) -> ArticleRecord:
    authors = [
        AuthorRecord(
            position=position,
            names=dict(author.get("name") or {}),
            full_names=dict(author.get("full_name") or {}),
            email=author.get("email") or "",
            orcid=author.get("orcid") or "",
            affiliations=[_affiliation(text) for text in author.get("affiliations") or []],
            catalogue_id=author.get("author_id"),
        )
        for position, author in enumerate(item.get("authors") or [], 1)
    ]
    return ArticleRecord(
        doi=item.get("doi") or "",
        doi_inferred=bool(item.get("doi_inferred")),
        first_page=item.get("first_page"),
        last_page=item.get("last_page"),
        section=dict(item.get("section") or {}),
        udc=list(item.get("udc") or []),
        irsti=list(item.get("irsti") or []),
        language=item.get("language") or "",
        title=dict(item.get("title") or {}),
        printed_title=dict(item.get("printed_title") or {}),
        abstract=dict(item.get("abstract") or {}),
        keywords={lang: list(words) for lang, words in (item.get("keywords") or {}).items()},
        authors=authors,
        received=_date(item.get("received")),
        accepted=_date(item.get("accepted")),
        references=list(item.get("references") or []),
        sources=list(item.get("sources") or []),
    )
