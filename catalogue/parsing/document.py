"""Entry point: one source document (a whole issue or a lone article) to records.

A document with a table of contents is an issue (issue.parse_issue); one
without is a lone article (article.parse_article), whose issue is read from
its DOI, citation line or running heads (header.place_of_article); when none
tells, the issue is None.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import labels as L
from .article import keyword_language, parse_article, trailing_keyword_list
from .display import CaseBook, display_forms
from .header import IssueHeader, place_of_article
from .header import parse_issue_header as parse_front_matter
from .issue import parse_issue
from .names import name_in_one_script
from .records import ArticleRecord, DocumentError, DocumentRecord, ParseWarning, WarningKind
from .text import letters_by_script
from .toc import parse_toc

__all__ = ["parse_document", "parse_issue_header"]


def parse_issue_header(text: str) -> IssueHeader:
    """Journal titles, ISSNs, series and issue designation from the front matter."""
    toc = parse_toc(text)
    return parse_front_matter(text, front_end=toc.start if toc else None)


def parse_document(
    text: str, filename: str = "", printed_pages: Sequence[int | None] = ()
) -> DocumentRecord:
    """Parse one document; raise DocumentError when nothing article-like is in it.

    `printed_pages` are the page numbers a PDF prints on its pages (sources.SourceText):
    a lone article that says its pages nowhere else takes them from there."""
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
        return _tidied(doc, text)
    return _tidied(_parse_lone_article(text, printed_pages), text)


def _tidied(doc: DocumentRecord, text: str) -> DocumentRecord:
    """Records as a copy editor would type them: headings printed in capitals in display
    case (learnt from the document's own text), names each in one script."""
    headings = [t for a in doc.articles for d in (a.title, a.section) for t in d.values()]
    book = CaseBook.read(
        text, headings + list(doc.series.values()) + list(doc.journal.title.values())
    )
    doc.series, doc.printed_series = _displayed(doc.series, book)
    doc.journal.title, doc.journal.printed_title = _displayed(doc.journal.title, book)
    for article in doc.articles:
        _keywords_in_their_lists(article)
        article.title, article.printed_title = _displayed(article.title, book)
        article.section, article.printed_section = _displayed(article.section, book)
        for author in article.authors:
            for forms in (author.names, author.full_names):
                for lang, name in forms.items():
                    repaired = name_in_one_script(name)
                    if repaired != name:
                        forms[lang] = repaired
                        author.printed_forms.append((lang, name))
    return doc


def _keywords_in_their_lists(article: ArticleRecord) -> None:
    """Each keyword in the list of its own language; an unlabelled keyword list cut off
    the end of an abstract."""
    for lang, abstract in list(article.abstract.items()):
        rest, found = trailing_keyword_list(abstract)
        if found:
            article.abstract[lang] = rest
            if not article.keywords.get(lang):
                article.keywords[lang] = found
            article.warnings.append(
                ParseWarning(
                    WarningKind.UNCERTAIN,
                    f"an unlabelled list of {len(found)} keywords was cut off the end of the "
                    "abstract",
                    "keywords",
                    lang,
                )
            )
    for lang in list(article.keywords):
        keywords = article.keywords[lang]
        stray = [(i, kw) for i, kw in enumerate(keywords) if keyword_language(kw, lang) != lang]
        for i, keyword in reversed(stray):
            target = keyword_language(keyword, lang)
            others = article.keywords.setdefault(target, [])
            if lang == "ru" and target == "kk" and i < len(others):
                # Swapped in print: the Kazakh list holds the Russian words at the same places.
                if keyword_language(others[i], "kk") == "kk" and not _has_kazakh(others[i]):
                    keywords[i], others[i] = others[i], keyword
                    continue
            del keywords[i]
            if keyword not in others:
                others.append(keyword)
    for lang in [lang for lang, keywords in article.keywords.items() if not keywords]:
        del article.keywords[lang]


def _has_kazakh(text: str) -> bool:
    return letters_by_script(text)[2] > 0


def _displayed(printed: dict[str, str], book: CaseBook) -> tuple[dict, dict]:
    """(display forms, the printed forms that differ from them)."""
    shown = display_forms(printed, book)
    return shown, {lang: text for lang, text in printed.items() if shown[lang] != text}


def _parse_lone_article(text: str, printed_pages: Sequence[int | None] = ()) -> DocumentRecord:
    """A lone article: the article parser plus the place (journal, issue, pages)
    its DOI, citation line or running head names (header.place_of_article)."""
    if len(L.ARTICLE_SIGN_RE.findall(text)) < 2 and not L.DOI_RE.search(text):
        raise DocumentError("no recognisable article")
    rec = parse_article(text)
    if not (rec.title or rec.abstract or rec.doi or rec.authors):
        raise DocumentError("no recognisable article")
    journal = parse_front_matter(text, front_end=None).journal
    place = place_of_article(text, rec.doi)
    # ISSNs and series printed in a lone article's running heads are kept;
    # the cover titles are not (a lone article has no cover), but a citation
    # line ("Journal of X, Vol. 12, No. 3, 2024" at the head, or "For citation:
    # ... // Journal. 2024. Vol. 5, No. 1") names the journal.
    journal.title = place.journal
    if place.doi_prefix:
        journal.doi_prefix = place.doi_prefix
    if rec.first_page is None and place.first_page is not None:
        rec.first_page, rec.last_page = place.first_page, place.last_page
    numbers = [n for n in printed_pages if n is not None]
    if rec.first_page is None and numbers:
        rec.first_page, rec.last_page = min(numbers), max(numbers)
    return DocumentRecord(
        kind="article",
        journal=journal,
        series={},
        issue=place.issue(),
        articles=[rec],
        warnings=[],
    )
