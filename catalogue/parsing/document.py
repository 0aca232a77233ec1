"""Entry point: one source document (whole issue or single article) to records.

A document with a table of contents is an issue (issue.parse_issue); one
without is a single article (article.parse_article), whose issue is read
from its DOI (prefix/CODE.year.whole.number.position) or from a running head
such as "№4(62), 2025"; when neither tells, issue is None.

Plain Python, no Django.
"""

from __future__ import annotations

import re

from .issue import (
    _DOI_SHAPE_RE,
    DOI_RE,
    HEAD_CODE_RE,
    IssueHeader,
    _chunk_codes,
    _find_issue_designation,
    clean_doi,
    parse_issue,
)
from .issue import parse_issue_header as _parse_issue_header
from .records import (
    ArticleRecord,
    DocumentError,
    DocumentRecord,
    IssueRecord,
    ParseWarning,
    WarningKind,
)
from .text import detect_language
from .toc import parse_toc

try:
    from . import article as _article  # type: ignore[attr-defined]
except Exception:  # noqa: BLE001
    _article = None

__all__ = ["parse_document", "parse_issue_header"]

_ARTICLE_SIGNS = re.compile(
    r"(?im)^\s*(?:\*\*)?(?:Abstract|Аннотация|Аңдатпа|Key\s*words|Keywords|Ключевые слова|"
    r"Түйін(?:ді)? сөздер|References|Список литературы|Әдебиеттер тізімі|UDC|УДК|ӘОЖ)\b"
)


def parse_issue_header(text: str) -> IssueHeader:
    """Journal titles, ISSNs, series and issue designation from the front matter."""
    toc = parse_toc(text)
    return _parse_issue_header(text, front_end=toc.start if toc else None)


def parse_document(text: str, filename: str = "") -> DocumentRecord:
    """Parse one document; raise DocumentError when nothing article-like is in it."""
    if not text or not text.strip():
        raise DocumentError("no recognisable article")
    toc = parse_toc(text)
    if toc is not None and toc.entries:
        res = parse_issue(text, toc)
        doc = DocumentRecord(
            kind="issue",
            journal=res.header.journal,
            series=res.header.series,
            issue=res.header.issue,
            articles=res.articles,
            warnings=res.warnings,
        )
        if doc.issue is None:
            doc.warnings.append(
                ParseWarning(WarningKind.MISSING_FIELD, "issue designation not found", "issue")
            )
        return doc
    return _parse_single(text, filename)


def _parse_single(text: str, filename: str) -> DocumentRecord:
    """A single article: article parser plus the issue its DOI/running head names."""
    if len(_ARTICLE_SIGNS.findall(text)) < 2 and not DOI_RE.search(text):
        raise DocumentError("no recognisable article")
    rec: ArticleRecord | None = None
    if _article is not None and hasattr(_article, "parse_article"):
        rec = _article.parse_article(text)
    if rec is None:
        rec = _fallback_article(text)
    if not (rec.title or rec.abstract or rec.doi or rec.authors):
        raise DocumentError("no recognisable article")
    header = _parse_issue_header(text, front_end=None)
    issue = _issue_for_single(text, rec)
    journal = header.journal
    # ISSNs and series printed in a single article's running heads are kept;
    # the cover titles are not (a single article has no cover), but a citation
    # line at the head ("Journal of X, Vol. 12, No. 3, 2024") names the journal.
    journal.title = journal_title_from_head(text)
    doc = DocumentRecord(
        kind="article", journal=journal, series={}, issue=issue, articles=[rec], warnings=[]
    )
    if rec.doi:
        m = _DOI_SHAPE_RE.match(rec.doi)
        if m:
            journal.doi_prefix = m.group("prefix")
    return doc


_JOURNAL_WORDS = (
    r"Journal|Bulletin|Review|Studies|Proceedings|Annals|Transactions|Quarterly|Herald|"
    r"Вестник|Известия|Журнал|Хабаршы(?:сы)?|Жаршы(?:сы)?"
)
_JOURNAL_HEAD_RE = re.compile(
    r"^[#*\s]*(?P<title>[^\n,]*\b(?:" + _JOURNAL_WORDS + r")\b[^\n,]{0,150}?)[*\s]*,\s*"
    r"(?:Vol\.?|Volume|Т\.|Том|Issue|No\.?|№|N)\s*\d",
    re.IGNORECASE,
)


def journal_title_from_head(text: str) -> dict[str, str]:
    """The journal a lone article names in a citation line among its first lines."""
    lines = [line for line in text.splitlines() if line.strip()][:15]
    for line in lines:
        match = _JOURNAL_HEAD_RE.match(line.strip())
        if match:
            title = " ".join(match.group("title").strip(" *#.").split())
            language = detect_language(title) or "en"
            return {language: title}
    return {}


def _head_doi(text: str) -> str:
    for line in text.splitlines()[:60]:
        s = line.strip().strip("<>*")
        m = DOI_RE.search(s)
        if m and re.match(r"^(?:https?://(?:dx\.)?doi\.org/|DOI\s*:?\s*)?10\.", s, re.I):
            return clean_doi(m.group(1))
    return ""


def _issue_for_single(text: str, rec: ArticleRecord) -> IssueRecord | None:
    """Issue from the article's own DOI, else from a running head; else None."""
    doi = rec.doi or _head_doi(text)
    m = _DOI_SHAPE_RE.match(doi) if doi else None
    if m:
        return IssueRecord(
            year=int(m.group("year")), number=m.group("num"), whole_number=m.group("whole")
        )
    # running heads: only lines that look like heads, not reference entries
    heads = [
        ln
        for ln in text.splitlines()
        if len(ln) < 200 and not re.match(r"^\s*\[?\d+[\].]", ln) and "//" not in ln
    ]
    return _find_issue_designation(heads)


def _fallback_article(text: str) -> ArticleRecord:
    """Minimal head reading used only when article.parse_article is unavailable."""
    lines = text.splitlines()
    rec = ArticleRecord(doi=_head_doi(text))
    head_end = next((i for i, ln in enumerate(lines) if HEAD_CODE_RE.match(ln.strip())), 0)
    rec.udc, rec.irsti = _chunk_codes(lines, head_end, len(lines))
    for ln in lines[head_end : head_end + 20]:
        s = ln.strip().strip("*")
        letters = [c for c in s if c.isalpha()]
        if len(letters) > 10 and sum(c.isupper() for c in letters) > 0.8 * len(letters):
            if not HEAD_CODE_RE.match(s):
                from .toc import script_language

                rec.title[script_language(s) or "en"] = s
                break
    return rec
