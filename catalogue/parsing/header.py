"""The issue a document belongs to: journal titles, ISSNs, series and issue designation.

A whole issue prints these on its cover and front matter; a lone article
only in its running heads, a citation line at its head, or the shape of its
DOI (prefix/CODE.year.whole.number.position).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import labels as L
from .records import IssueRecord, JournalRecord
from .text import collapse_ws, detect_language, join_lines, normalise_letters

ISSN_RE = re.compile(
    r"(?P<pre>e-?ISSN|ISSN)\s*[:\s]?\s*(?:\((?P<kind1>[^)]*)\)\s*[:\s]?\s*)?"
    r"(?P<issn>\d{4}\s?[-–]\s?\d{3}[\dXxХх])\s*(?:\((?P<kind2>[^)]*)\))?",
)
ISSUE_RE = re.compile(
    r"(?:№|No\.?|Nо\.?|Number|Нөмір|Номер)?\s*(?P<num>\d{1,2})\s*\(\s*(?P<whole>\d{1,4})\s*\)"
    r"\s*[,.]?\s*(?P<year>(?:19|20)\d\d)\b"
)
VOL_ISSUE_RE = re.compile(
    r"(?:Vol\.?|Volume|Том|Т\.)\s*(?P<vol>\d{1,4})\s*[,.]?\s*(?:No\.?|№|Issue|Вып\.?)\s*"
    r"(?P<num>\d{1,2})\s*[,.]?\s*\(?(?P<year>(?:19|20)\d\d)\)?",
    re.IGNORECASE,
)


@dataclass
class IssueHeader:
    """What the front matter of a document says about its journal and issue."""

    journal: JournalRecord
    series: dict[str, str]
    issue: IssueRecord | None


def _find_issue_designation(lines: list[str]) -> IssueRecord | None:
    """'4 (62) 2025', '№ 2 (60) 2025', 'Number 2 (60) 2025', 'Vol. 5, No. 2, 2025'."""
    for line in lines:
        s = normalise_letters(line)
        if re.search(r"(?i)\b(?:Т\.|Vol\.|Том)\s*\d+\s*,\s*№", s):
            continue  # a citation of another volume in a reference list
        m = ISSUE_RE.search(s)
        if m and not L.DOI_RE.search(s):
            return IssueRecord(
                year=int(m.group("year")), number=m.group("num"), whole_number=m.group("whole")
            )
    for line in lines:
        m = VOL_ISSUE_RE.search(line)
        if m:
            return IssueRecord(year=int(m.group("year")), number=m.group("num"))
    return None


def _issue_from_doi(doi: str) -> IssueRecord | None:
    m = L.DOI_SHAPE_RE.match(doi)
    if not m:
        return None
    return IssueRecord(
        year=int(m.group("year")), number=m.group("num"), whole_number=m.group("whole")
    )


def _front_matter(lines: list[str], limit: int) -> list[str]:
    return lines[: max(limit, 0)] if limit > 0 else lines[:150]


def parse_issue_header(text: str, front_end: int | None = None) -> IssueHeader:
    """Read journal titles, ISSNs, series and issue designation from front matter.

    `front_end` is the line where the front matter ends (the TOC heading);
    without it the first 250 lines are read. Returns issue=None when no issue
    designation is printed.
    """
    lines = text.splitlines()
    front = lines[: front_end if front_end is not None else 250]
    journal = JournalRecord()
    for line in front:
        s = normalise_letters(line)
        for m in ISSN_RE.finditer(s):
            issn = re.sub(r"\s|–", lambda x: "-" if x.group(0) == "–" else "", m.group("issn"))
            issn = issn.upper().replace("Х", "X")
            kind = ((m.group("kind1") or "") + (m.group("kind2") or "")).lower()
            online = (
                "online" in kind or "электрон" in kind or m.group("pre").lower().startswith("e")
            )
            if online:
                journal.issn_online = journal.issn_online or issn
            elif "print" in kind or "печат" in kind or not journal.issn_print:
                if not journal.issn_print:
                    journal.issn_print = issn
    issue = _find_issue_designation(front)
    journal.title, series = _journal_titles(front)
    for m in L.DOI_RE.finditer(text[:400000]):
        shape = L.DOI_SHAPE_RE.match(L.clean_doi(m.group(1)))
        if shape:
            journal.doi_prefix = shape.group("prefix")
            break
    return IssueHeader(journal=journal, series=series, issue=issue)


_TITLE_WORDS = {
    "en": r"BULLETIN|JOURNAL|PROCEEDINGS",
    "kk": r"ХАБАРШЫСЫ|ЖАРШЫСЫ",
    "ru": r"ИЗВЕСТИЯ|ВЕСТНИК",
}
_SERIES_RE = re.compile(r"(?i)(?:SERIES|СЕРИЯ|СЕРИЯСЫ)")
_SERIES_NAME_RE = re.compile(
    r"[«“\"](?P<a>[^»”\"«“]{4,120})[»”\"]\s*(?:СЕРИЯСЫ|сериясы)\b"
    r"|\b(?:SERIES|Series|series|СЕРИЯ|Серия|серия)\s*:?\s*[«“\"](?P<b>[^»”\"«“]{4,120})[»”\"]"
)


def _journal_titles(front: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Journal title per language and series name per language, from the cover.

    Cover blocks are printed in capitals in blocks separated by blank lines:
    "BULLETIN / OF KAZAKH ... UNIVERSITY ..." and "SERIES “...”".
    """
    titles: dict[str, str] = {}
    series: dict[str, str] = {}
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in front[:120]:
        s = normalise_letters(line.strip())
        if not s:
            if cur:
                blocks.append(cur)
                cur = []
            continue
        if "ISSN" in s or L.ISSUE_DESIGNATION_RE.search(s) or len(s) > 120:
            if cur:
                blocks.append(cur)
                cur = []
            continue
        cur.append(s)
    if cur:
        blocks.append(cur)
    flat = normalise_letters(collapse_ws(" ".join(front[:200])))
    for m in _SERIES_NAME_RE.finditer(flat):
        name = collapse_ws(m.group("a") or m.group("b") or "")
        lang = detect_language(name)
        if name and lang and lang not in series:
            series[lang] = name
    for k, block in enumerate(blocks):
        text = join_lines(block)
        if _SERIES_RE.search(text) and re.search(r"[«“\"]", text):
            continue
        for lang, pat in _TITLE_WORDS.items():
            if re.search(rf"\b(?:{pat})\b", text) and lang not in titles:
                if re.fullmatch(rf"(?:{pat})", text) and k + 1 < len(blocks):
                    text = text + " " + join_lines(blocks[k + 1])
                elif re.fullmatch(rf"(?:{pat})", text) and k > 0:
                    text = join_lines(blocks[k - 1]) + " " + text
                if detect_language(text) == lang:
                    titles[lang] = collapse_ws(text)
    return titles, series


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
        m = L.DOI_RE.search(s)
        if m and re.match(r"^(?:https?://(?:dx\.)?doi\.org/|DOI\s*:?\s*)?10\.", s, re.I):
            return L.clean_doi(m.group(1))
    return ""


def issue_of_article(text: str, doi: str) -> IssueRecord | None:
    """A lone article's issue: from its DOI, else from a running head; else None."""
    doi = doi or _head_doi(text)
    m = L.DOI_SHAPE_RE.match(doi) if doi else None
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
