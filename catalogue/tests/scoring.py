"""Field-by-field accuracy of a parsed document against a hand-checked expectation.

The expectation format is described in catalogue/tests/data/expected/README.md.
Articles are matched by TOC position (a single-article document without
positions is matched to its one parsed article). Every comparison is one
`Check`; a field whose expected value is null is correct only when the parser
gives nothing for it, so inventing a value costs as much as missing one.
An expected article the parser did not produce fails all its checks.

Plain Python, no Django.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from catalogue.parsing.records import LANGUAGES, ArticleRecord, AuthorRecord, DocumentRecord

# Order of the rows in reports.
FIELDS = (
    "article",
    "doi",
    "first_page",
    "last_page",
    "section",
    "udc",
    "irsti",
    "language",
    "title",
    "display_title",
    "display_section",
    "authors",
    "full_names",
    "emails",
    "orcids",
    "keywords",
    "abstract_start",
    "received",
    "accepted",
    "reference_count",
)
PER_LANGUAGE = ("section", "title", "keywords", "abstract_start")


@dataclass
class Check:
    position: int | None  # expected article's TOC position (None: single article)
    field: str
    language: str  # "" when the field has no language
    expected: Any
    got: Any
    ok: bool
    index: int | None = None  # author index (0-based) for per-author fields

    def describe(self) -> str:
        where = f"#{self.position}" if self.position is not None else "#-"
        what = self.field
        if self.index is not None:
            what += f"[{self.index}]"
        if self.language:
            what += f".{self.language}"
        return f"{where} {what}: expected {self.expected!r}, got {self.got!r}"


@dataclass
class Score:
    checks: list[Check] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(1 for c in self.checks if c.ok)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    @property
    def mismatches(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def by_field(self) -> dict[str, tuple[int, int]]:
        """field -> (correct, total), in FIELDS order (fields without checks omitted)."""
        out: dict[str, tuple[int, int]] = {}
        for name in FIELDS:
            cs = [c for c in self.checks if c.field == name]
            if cs:
                out[name] = (sum(1 for c in cs if c.ok), len(cs))
        return out


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------


def fold_space(s: str | None) -> str:
    """Case-folded, whitespace collapsed ('' for None)."""
    return " ".join((s or "").split()).casefold()


def fold_text(s: str | None) -> str:
    """fold_space, plus markdown/punctuation removed (titles, abstract words)."""
    s = (s or "").replace("*", "")
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith("P"))
    return fold_space(s)


def fold_display(s: str | None) -> str:
    """Whitespace collapsed, a closing period dropped; case kept."""
    return " ".join((s or "").replace("*", "").split()).rstrip(".")


def fold_name(s: str | None) -> str:
    """A byline/full name: case and whitespace folded, surrounding spaces dropped."""
    return fold_space(s).strip()


def fold_code(s: str | None) -> str:
    return " ".join((s or "").split()).rstrip(".")


def _blank(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == {}


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def _match_articles(
    record: DocumentRecord, expected_articles: list[dict]
) -> list[tuple[dict, ArticleRecord | None]]:
    parsed = record.articles
    by_pos = {a.position: a for a in parsed if a.position is not None}
    pairs: list[tuple[dict, ArticleRecord | None]] = []
    for k, exp in enumerate(expected_articles):
        pos = exp.get("position")
        if pos is not None:
            got = by_pos.get(pos)
            if got is None and not by_pos and k < len(parsed):
                got = parsed[k]  # parser gave no positions: TOC order
        else:
            got = parsed[k] if k < len(parsed) and len(expected_articles) == len(parsed) else None
            if got is None and len(expected_articles) == 1 and parsed:
                got = parsed[0]
        pairs.append((exp, got))
    return pairs


def score_document(record: DocumentRecord, expected: dict) -> Score:
    """Score a parsed document against an expectation dict (one expected/*.json)."""
    score = Score()
    expected_articles = expected.get("articles") or []
    pairs = _match_articles(record, expected_articles)
    matched_ids = {id(a) for _, a in pairs if a is not None}
    for exp, got in pairs:
        pos = exp.get("position")
        score.checks.append(
            Check(pos, "article", "", "present", "present" if got else None, bool(got))
        )
        _score_article(score, exp, got)
    for a in record.articles:
        if id(a) not in matched_ids:
            score.checks.append(
                Check(a.position, "article", "", None, f"extra: {_short_title(a)}", False)
            )
    return score


def _short_title(a: ArticleRecord) -> str:
    t = next((v for v in a.title.values() if v), "")
    return t[:60]


def _score_article(score: Score, exp: dict, got: ArticleRecord | None) -> None:
    pos = exp.get("position")
    missing = got is None
    art = got or ArticleRecord()

    def add(name: str, lang: str, e: Any, g: Any, ok: bool, index: int | None = None) -> None:
        score.checks.append(Check(pos, name, lang, e, g, ok and not missing, index))

    # scalar fields
    e_doi = exp.get("doi")
    g_doi = art.doi or None
    if g_doi and art.doi_inferred:
        g_doi = f"{g_doi} (inferred)"
    add("doi", "", e_doi, g_doi, _eq(e_doi, art.doi, lambda s: (s or "").strip().casefold()))
    for name in ("first_page", "last_page"):
        e, g = exp.get(name), getattr(art, name)
        add(name, "", e, g, e == g)
    for name in ("udc", "irsti"):
        e, g = exp.get(name), list(getattr(art, name))
        ok = _blank(g) if e is None else [fold_code(x) for x in e] == [fold_code(x) for x in g]
        add(name, "", e, g, ok)
    e, g = exp.get("language"), art.language or None
    add("language", "", e, g, (e or None) == g)
    for name in ("received", "accepted"):
        e = exp.get(name)
        gv = getattr(art, name)
        g = gv.isoformat() if isinstance(gv, datetime.date) else (gv or None)
        add(name, "", e, g, (e or None) == g)
    e = exp.get("reference_count")
    g = len(art.references)
    add("reference_count", "", e, g or None, g == 0 if e is None else g == e)

    # per-language fields
    _per_language(add, "section", exp.get("section"), art.section, fold_space)
    _per_language(add, "title", exp.get("title"), art.title, fold_text)
    # Display forms are compared with their case: that is what they are about.
    if "display_title" in exp:
        _per_language(add, "display_title", exp["display_title"], art.title, fold_display)
    if exp.get("display_section"):
        _per_language(add, "display_section", exp["display_section"], art.section, fold_display)
    e_kw = exp.get("keywords")
    for lang in LANGUAGES:
        e = (e_kw or {}).get(lang)
        g = art.keywords.get(lang) or []
        if e is None:
            ok = not g
        else:
            ok = [_fold_keyword(x) for x in e] == [_fold_keyword(x) for x in g]
        add("keywords", lang, e, g or None, ok)
    e_abs = exp.get("abstract_start")
    for lang in LANGUAGES:
        e = (e_abs or {}).get(lang)
        g = art.abstract.get(lang) or ""
        if e is None:
            ok = not g.strip()
        else:
            want = fold_text(e).split()
            ok = bool(want) and fold_text(g).split()[: len(want)] == want
        add("abstract_start", lang, e, g[:80] or None, ok)

    # per-author fields
    e_authors = exp.get("authors") or []
    g_authors: list[AuthorRecord] = sorted(art.authors, key=lambda a: a.position)
    e_full = exp.get("full_names") or []
    e_mail = exp.get("emails") or []
    e_orcid = exp.get("orcids") or []
    n = max(len(e_authors), len(g_authors))
    for i in range(n):
        ga = g_authors[i] if i < len(g_authors) else None
        ea = e_authors[i] if i < len(e_authors) else {}
        for lang in LANGUAGES:
            e = ea.get(lang) if ea else None
            g = (ga.names.get(lang) if ga else "") or None
            add("authors", lang, e, g, _eq(e, g, fold_name), i)
        ef = e_full[i] if i < len(e_full) else {}
        for lang in LANGUAGES:
            e = (ef or {}).get(lang)
            g = (ga.full_names.get(lang) if ga else "") or None
            add("full_names", lang, e, g, _eq(e, g, fold_name), i)
        e = e_mail[i] if i < len(e_mail) else None
        g = (ga.email if ga else "") or None
        add("emails", "", e, g, _eq(e, g, lambda s: (s or "").strip().casefold()), i)
        e = e_orcid[i] if i < len(e_orcid) else None
        g = (ga.orcid if ga else "") or None
        add("orcids", "", e, g, _eq(e, g, lambda s: (s or "").strip().upper()), i)


def _per_language(add, name: str, e_dict: dict | None, g_dict: dict[str, str], fold) -> None:
    for lang in LANGUAGES:
        e = (e_dict or {}).get(lang)
        g = g_dict.get(lang) or None
        add(name, lang, e, g, _eq(e, g, fold))


def _eq(e: Any, g: Any, fold) -> bool:
    """Null expected: correct iff nothing given; else folded equality."""
    if e is None:
        return _blank(g)
    if _blank(g):
        return False
    return fold(e) == fold(g)


def _fold_keyword(s: str) -> str:
    s = fold_space(s.replace("*", ""))
    return re.sub(r"[\s.;]+$", "", s)


def format_table(scores: dict[str, Score]) -> str:
    """Fields x documents table of correct/total, with overall accuracy per document."""
    names = list(scores)
    width = max(len(f) for f in FIELDS) + 2
    head = "field".ljust(width) + "".join(n.rjust(12) for n in names)
    lines = [head, "-" * len(head)]
    per_doc = {n: s.by_field() for n, s in scores.items()}
    for f in FIELDS:
        if not any(f in per_doc[n] for n in names):
            continue
        row = f.ljust(width)
        for n in names:
            c, t = per_doc[n].get(f, (0, 0))
            row += (f"{c}/{t}" if t else "-").rjust(12)
        lines.append(row)
    lines.append("-" * len(head))
    row = "total".ljust(width)
    for n in names:
        row += f"{scores[n].correct}/{scores[n].total}".rjust(12)
    lines.append(row)
    row = "accuracy".ljust(width)
    for n in names:
        row += f"{scores[n].accuracy:.3f}".rjust(12)
    lines.append(row)
    return "\n".join(lines)
