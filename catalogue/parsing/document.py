"""Entry point: one source document (a whole issue or a lone article) to records.

A document with a table of contents is an issue (issue.parse_issue); one
without is a lone article (article.parse_article), whose issue is read from
its DOI or running heads (header.issue_of_article); when neither tells, the
issue is None.
"""

from __future__ import annotations

from . import labels as L
from .article import parse_article
from .header import IssueHeader, issue_of_article, journal_title_from_head
from .header import parse_issue_header as parse_front_matter
from .issue import parse_issue
from .records import DocumentError, DocumentRecord, ParseWarning, WarningKind
from .toc import parse_toc

__all__ = ["parse_document", "parse_issue_header"]


def parse_issue_header(text: str) -> IssueHeader:
    """Journal titles, ISSNs, series and issue designation from the front matter."""
    toc = parse_toc(text)
    return parse_front_matter(text, front_end=toc.start if toc else None)


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
    return _parse_lone_article(text)


def _parse_lone_article(text: str) -> DocumentRecord:
    """A lone article: the article parser plus the issue its DOI or running head names."""
    if len(L.ARTICLE_SIGN_RE.findall(text)) < 2 and not L.DOI_RE.search(text):
        raise DocumentError("no recognisable article")
    rec = parse_article(text)
    if not (rec.title or rec.abstract or rec.doi or rec.authors):
        raise DocumentError("no recognisable article")
    journal = parse_front_matter(text, front_end=None).journal
    # ISSNs and series printed in a lone article's running heads are kept;
    # the cover titles are not (a lone article has no cover), but a citation
    # line at the head ("Journal of X, Vol. 12, No. 3, 2024") names the journal.
    journal.title = journal_title_from_head(text)
    doc = DocumentRecord(
        kind="article",
        journal=journal,
        series={},
        issue=issue_of_article(text, rec.doi),
        articles=[rec],
        warnings=[],
    )
    if rec.doi:
        m = L.DOI_SHAPE_RE.match(rec.doi)
        if m:
            journal.doi_prefix = m.group("prefix")
    return doc
