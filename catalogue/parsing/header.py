"""The issue a document belongs to: journal titles, ISSNs, series and issue designation.

A whole issue prints these on its cover and front matter. A lone article says
them, if at all, in the shape of its DOI (DOI_SHAPES), a running head
("Vol. 12, No. 3, 2024", "№ 2 (60) 2025"), a "for citation" line, or a journal
citation line at its head; `place_of_article` reads them all, each filling
what the others leave open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import labels as L
from .records import IssueRecord, JournalRecord
from .text import collapse_ws, detect_language, join_lines, normalise_letters

ISSN_RE = re.compile(
    r"(?P<pre>e-?ISSN|ISSN)\s*[:\s]?\s*(?:\((?P<kind1>[^)]*)\)\s*[:\s]?\s*)?"
    r"(?P<issn>\d{4}\s?[-–]\s?\d{3}[\dXxХх])\s*(?:\((?P<kind2>[^)]*)\))?",
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DASH = r"\s*[,.]?\s*(?:[–—-]\s*)?"
ISSUE_RE = re.compile(
    rf"(?:{L.NUMBER_WORDS})?\s*(?P<num>\d{{1,2}})\s*\(\s*(?P<whole>\d{{1,4}})\s*\)"
    rf"\s*[,.]?\s*{_YEAR}\b"
)
# "Vol. 12, No. 3, 2024", "Т. 5, № 1, 2023", "Volume 12, Issue 3 (2024)"
VOL_ISSUE_RE = re.compile(
    rf"(?:{L.VOLUME_WORDS})\s*(?P<vol>\d{{1,4}}){_DASH}(?:{L.NUMBER_WORDS})\s*"
    rf"(?P<num>\d{{1,2}})\s*[,.]?\s*\(?{_YEAR}\)?",
    re.IGNORECASE,
)
# "2024, Vol. 12, No. 3", "2024. – Т. 5, № 1"
YEAR_VOL_ISSUE_RE = re.compile(
    rf"\b{_YEAR}{_DASH}(?:{L.VOLUME_WORDS})\s*(?P<vol>\d{{1,4}}){_DASH}"
    rf"(?:{L.NUMBER_WORDS})\s*(?P<num>\d{{1,2}})\b",
    re.IGNORECASE,
)
# "2024. – № 3", "No. 3, 2024" (a number with no volume)
YEAR_ISSUE_RE = re.compile(
    rf"\b{_YEAR}{_DASH}(?:{L.NUMBER_WORDS})\s*(?P<num>\d{{1,2}})\b"
    rf"|(?:{L.NUMBER_WORDS})\s*(?P<num2>\d{{1,2}})\s*[,.]\s*\(?(?P<year2>(?:19|20)\d\d)\)?(?!\d)",
    re.IGNORECASE,
)
# "Journal of X, 12(3), 45–58": volume(number) as citations print it
APA_VOLUME_RE = re.compile(
    r"(?:^|[,.]\s)\s*(?P<vol>\d{1,4})\s*\((?P<num>\d{1,3})\)\s*[,:]\s*"
    r"(?:(?P<first>\d{1,5})\s*[–—-]\s*(?P<last>\d{1,5}))?"
)
PAGES_RE = re.compile(
    rf"(?:^|[\s.,(–—-])(?:{L.PAGES_WORDS})\s*(?P<first>\d{{1,5}})\s*[–—-]\s*(?P<last>\d{{1,5}})"
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
        m = VOL_ISSUE_RE.search(line) or YEAR_VOL_ISSUE_RE.search(line)
        if m:
            return IssueRecord(
                year=int(m.group("year")), number=m.group("num"), volume=m.group("vol")
            )
    return None


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
    journal.title, series, journal.publisher = _journal_titles(front)
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
_UNIVERSITY_RE = re.compile(r"(?i)(?:universit|университет|academ|академи|institut|институт)")
_SERIES_NAME_RE = re.compile(
    r"[«“\"](?P<a>[^»”\"«“]{4,120})[»”\"]\s*(?:СЕРИЯСЫ|сериясы)\b"
    r"|\b(?:SERIES|Series|series|СЕРИЯ|Серия|серия)\s*:?\s*[«“\"](?P<b>[^»”\"«“]{4,120})[»”\"]"
)


def _cover_blocks(front: list[str]) -> list[str]:
    """The cover's lines in blocks (blank lines, ISSNs and issue lines cut them)."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in front[:150]:
        s = normalise_letters(line.strip())
        if not s or "ISSN" in s or L.ISSUE_DESIGNATION_RE.search(s) or len(s) > 120:
            if cur:
                blocks.append(cur)
                cur = []
            continue
        cur.append(s)
    if cur:
        blocks.append(cur)
    return [join_lines(block) for block in blocks]


def _journal_titles(front: list[str]) -> tuple[dict[str, str], dict[str, str], str]:
    """Journal title per language, series name per language, and the publisher.

    A cover prints, per language, a title word (BULLETIN, ИЗВЕСТИЯ, ХАБАРШЫСЫ) and
    the name of the university it belongs to, in capitals, in blocks that a
    PDF-to-text tool may put out of order. The title is the word with its own
    language's name: after the word in English and Russian ("BULLETIN OF KAZAKH
    ... UNIVERSITY ..."), before it in Kazakh ("... УНИВЕРСИТЕТІ ХАБАРШЫСЫ").
    """
    flat = normalise_letters(collapse_ws(" ".join(front[:200])))
    series: dict[str, str] = {}
    for m in _SERIES_NAME_RE.finditer(flat):
        name = collapse_ws(m.group("a") or m.group("b") or "")
        lang = detect_language(name)
        if name and lang and lang not in series:
            series[lang] = name
    words: list[tuple[int, str, str, str]] = []  # (block, language, word, name after it)
    names: list[tuple[int, str, str]] = []  # (block, language, a name of the university)
    for k, text in enumerate(_cover_blocks(front)):
        found = next(
            (
                (lang, m)
                for lang, pat in _TITLE_WORDS.items()
                if (m := re.match(rf"(?:{pat})\b", text))
            ),
            None,
        )
        if found:
            lang, m = found
            rest = text[m.end() :].strip()
            if _SERIES_RE.search(rest) or re.match(r"[«“\"]", rest):
                rest = ""  # the word, then its series: the name is printed elsewhere
            words.append((k, lang, m.group(0), rest))
        elif _SERIES_RE.search(text) or re.search(r"[«“\"»”]", text):
            continue
        elif (lang := detect_language(text)) and (
            _UNIVERSITY_RE.search(text) or _reads_on(names, k, lang)
        ):
            names.append((k, lang, text))
    merged = _merge_wrapped_names(names)
    titles: dict[str, str] = {}
    publisher = ""
    for k, lang, word, rest in words:
        name = rest or _nearest_name(k, lang, merged)
        if lang in titles or not name:
            continue
        titles[lang] = f"{name} {word}" if lang == "kk" else f"{word} {name}"
        if lang == "en":
            publisher = _title_case(re.sub(r"(?i)^OF\s+", "", name))
    return titles, series, publisher


_CONNECTIVE_END_RE = re.compile(r"(?i)\b(?:and|of|for|the|и|в|жәнe|және|мен)$")
_SMALL_WORDS = {"of", "and", "for", "the", "in", "on", "at", "a", "an"}


def _reads_on(names: list[tuple[int, str, str]], k: int, lang: str) -> bool:
    """Block `k` goes on from a name cut by a blank line ("... RELATIONS AND" / "WORLD ...")."""
    return (
        bool(names)
        and names[-1][0] == k - 1
        and names[-1][1] == lang
        and bool(_CONNECTIVE_END_RE.search(names[-1][2]))
    )


def _title_case(name: str) -> str:
    """A name printed in capitals as it is written in running text."""
    if not name.isupper():
        return name
    words = name.lower().split()
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def _merge_wrapped_names(names: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Blocks of one name cut by a blank line ("... UNIVERSITY OF / WORLD LANGUAGES")."""
    merged: list[tuple[int, str, str]] = []
    for k, lang, text in names:
        if merged and merged[-1][1] == lang and merged[-1][0] == k - 1:
            merged[-1] = (k, lang, f"{merged[-1][2]} {text}")
        else:
            merged.append((k, lang, text))
    return merged


def _nearest_name(k: int, lang: str, names: list[tuple[int, str, str]]) -> str:
    """The name of the university in `lang` printed nearest to block `k`; in English the
    one that reads on from the word ("OF ...")."""
    candidates = [(abs(j - k), text) for j, language, text in names if language == lang]
    if lang == "en":
        candidates = [c for c in candidates if c[1].startswith("OF ")] or candidates
    return min(candidates)[1] if candidates else ""


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


# ---------------------------------------------------------------- a lone article's place

_CODE = r"(?P<code>[A-Za-z][A-Za-z0-9-]*?|\d{4}-\d{3}[\dXx])"
_POS = r"(?P<pos>\d{1,4})"
_PAGES = r"(?P<first>\d{1,4})-(?P<last>\d{1,4})"
# The shapes of DOIs that say where their article is printed: year, volume or
# whole number, number within the year, and the article's position or pages.
# The first is also the catalogue's own journal's (labels.DOI_SHAPE_RE); a
# middle number in it is read as the whole number, unless the article's
# running head or citation line calls it the volume.
DOI_SHAPES = tuple(
    re.compile(rf"^(?P<prefix>10\.\d{{4,9}})/{shape}$", re.IGNORECASE)
    for shape in (
        # ISMO.2025.62.4.002, 2959-5967.2024.78.1.001, jour.2023.15.2.7
        rf"{_CODE}\.{_YEAR}\.(?P<whole>\d{{1,4}})\.(?P<num>\d{{1,2}})\.{_POS}",
        # JPsS.2023.v84.i1.01, EJE.2020.vol94.no2.05
        rf"{_CODE}\.{_YEAR}\.v(?:ol)?(?P<vol>\d{{1,4}})\.(?:i|n|no|iss)(?P<num>\d{{1,2}})\.{_POS}",
        # 2521-6589.2024-3.05
        rf"{_CODE}\.{_YEAR}-(?P<num>\d{{1,2}})\.{_POS}",
        # 2077-9038-2024-1-45-52: number, then first and last page
        rf"{_CODE}-{_YEAR}-(?P<num>\d{{1,2}})-{_PAGES}",
        # 2616-7034-2023-145-4-7-17: whole number, number, pages
        rf"{_CODE}-{_YEAR}-(?P<whole>\d{{2,4}})-(?P<num>\d{{1,2}})-{_PAGES}",
        # 2024HMath1/45-58: year, series code and number, pages
        rf"{_YEAR}(?P<code>[A-Za-z]+)(?P<num>\d{{1,2}})/{_PAGES}",
        # 2024-2/2664-0686.07: year and number, journal code, position
        rf"{_YEAR}-(?P<num>\d{{1,2}})/{_CODE}\.{_POS}",
    )
)


@dataclass
class ArticlePlace:
    """Where a lone article says it is printed; empty fields are not said."""

    year: int | None = None
    volume: str = ""
    number: str = ""
    whole_number: str = ""
    first_page: int | None = None
    last_page: int | None = None
    journal: dict[str, str] = field(default_factory=dict)  # lang -> title
    doi_prefix: str = ""
    evidence: list[str] = field(default_factory=list)  # what said it: "DOI", "running head"...

    def fill(self, other: ArticlePlace, evidence: str) -> None:
        """Take what `other` says and this place does not; a year or number that
        disagrees is not taken (the first source read wins)."""
        if other.year and self.year and other.year != self.year:
            return
        if other.number and self.number and other.number != self.number:
            return
        took = False
        for name in ("year", "volume", "number", "whole_number", "first_page", "last_page"):
            if getattr(other, name) and not getattr(self, name):
                setattr(self, name, getattr(other, name))
                took = True
        if self.whole_number and self.whole_number == other.volume and not other.whole_number:
            # "jour.2023.15.2.7" read 15 as the whole number; the head calls it the volume
            self.volume, self.whole_number = self.whole_number, ""
            took = True
        for lang, title in other.journal.items():
            if lang not in self.journal:
                self.journal[lang] = title
                took = True
        if took:
            self.evidence.append(evidence)

    def issue(self) -> IssueRecord | None:
        if self.year is None or not self.number:
            return None
        return IssueRecord(
            year=self.year,
            number=self.number,
            whole_number=self.whole_number,
            volume=self.volume,
        )


def place_from_doi(doi: str) -> ArticlePlace:
    """Year, volume, numbers and position or pages that a DOI's shape gives."""
    doi = L.clean_doi(doi) if doi else ""
    for shape in DOI_SHAPES:
        m = shape.match(doi)
        if not m:
            continue
        found = m.groupdict()
        first = int(found["first"]) if found.get("first") else None
        last = int(found["last"]) if found.get("last") else None
        if first is not None and last is not None and first > last:
            continue
        return ArticlePlace(
            year=int(found["year"]),
            volume=found.get("vol") or "",
            number=str(int(found["num"])),
            whole_number=found.get("whole") or "",
            first_page=first,
            last_page=last,
            doi_prefix=found["prefix"],
        )
    return ArticlePlace()


def place_from_line(line: str) -> ArticlePlace:
    """The issue a running head or a citation prints: "Vol. 12, No. 3, 2024",
    "№ 2 (60) 2025", "Т. 5, № 1, 2023", "2024. – Т. 5, № 1. – С. 45–58",
    "Journal of X, 12(3), 45–58"."""
    s = normalise_letters(collapse_ws(re.sub(r"https?://\S+|\b10\.\d{4,9}/\S+", " ", line)))
    place = ArticlePlace()
    m = ISSUE_RE.search(s)
    if m:
        place = ArticlePlace(
            year=int(m.group("year")), number=m.group("num"), whole_number=m.group("whole")
        )
    else:
        m = VOL_ISSUE_RE.search(s) or YEAR_VOL_ISSUE_RE.search(s)
        if m:
            place = ArticlePlace(
                year=int(m.group("year")), volume=m.group("vol"), number=m.group("num")
            )
        else:
            m = YEAR_ISSUE_RE.search(s)
            if m:
                place = ArticlePlace(
                    year=int(m.group("year") or m.group("year2")),
                    number=m.group("num") or m.group("num2"),
                )
    apa = APA_VOLUME_RE.search(s)
    if apa and not place.number:
        years = re.findall(r"\((?:19|20)\d\d\)|\b(?:19|20)\d\d\b", s[: apa.start()])
        place = ArticlePlace(
            year=int(years[0].strip("()")) if years else None,
            volume=apa.group("vol"),
            number=apa.group("num"),
        )
    pages = PAGES_RE.search(s) or (apa if apa and apa.group("first") else None)
    if pages and place.number:
        first, last = int(pages.group("first")), int(pages.group("last"))
        if first <= last:
            place.first_page, place.last_page = first, last
    return place


_GOST_JOURNAL_RE = re.compile(
    rf"//\s*(?P<title>.+?)\s*[.,]\s*(?:[–—-]\s*)?(?:{_YEAR}\b|(?:{L.VOLUME_WORDS})\s*\d|(?:{L.NUMBER_WORDS})\s*\d)"
)
_APA_JOURNAL_RE = re.compile(r"[.?!]\s+(?P<title>[^.?!]{3,200}?),\s*\d{1,4}\s*\(\d{1,3}\)")


def place_from_citation(text: str) -> ArticlePlace:
    """A "for citation" line (and the lines it wraps onto): journal, year, volume,
    number and pages. GOST ("... // Journal. – 2024. – Т. 5, № 1. – С. 45–58.")
    and APA ("... (2024). Title. Journal, 12(3), 45–58.") styles."""
    place = place_from_line(text)
    s = collapse_ws(re.sub(r"https?://\S+|\b10\.\d{4,9}/\S+", " ", text))
    m = _GOST_JOURNAL_RE.search(s) or _APA_JOURNAL_RE.search(s)
    if m:
        title = m.group("title").strip(" .,*")
        if 3 <= len(title) <= 300:
            place.journal = {detect_language(title) or "en": title}
    return place


def _citation_blocks(lines: list[str]) -> list[str]:
    """Each "for citation" line with the lines it runs onto, label removed."""
    blocks = []
    for k, line in enumerate(lines):
        plain = line.strip().replace("**", "")
        m = L.CITATION_RE.match(plain)
        if not m:
            continue
        parts = [plain[m.end() :]]
        for following in lines[k + 1 : k + 4]:
            if not following.strip() or L.is_label_line(following.strip().replace("**", "")):
                break
            parts.append(following.strip())
        blocks.append(join_lines(parts))
    return blocks


def _head_doi(text: str) -> str:
    for line in text.splitlines()[:60]:
        s = line.strip().strip("<>*")
        m = L.DOI_RE.search(s)
        if m and re.match(r"^(?:https?://(?:dx\.)?doi\.org/|DOI\s*:?\s*)?10\.", s, re.I):
            return L.clean_doi(m.group(1))
    return ""


def _head_lines(text: str) -> list[str]:
    """Lines that may be running heads: short, not reference entries or citations."""
    return [
        ln
        for ln in text.splitlines()
        if len(ln) < 200
        and not re.match(r"^\s*\[?\d+[\].]", ln)
        and "//" not in ln
        and not L.CITATION_RE.match(ln.strip().replace("**", ""))
    ]


def place_of_article(text: str, doi: str = "") -> ArticlePlace:
    """Where a lone article says it is printed, from everything it prints.

    In order, each filling only what the ones before left open: the shape of
    its DOI, a "for citation" line, a journal citation line at its head, a
    running head. The journal's title comes from a citation line or the head.
    """
    lines = text.splitlines()
    place = ArticlePlace()
    place.fill(place_from_doi(doi or _head_doi(text)), "DOI")
    if place.evidence:
        place.doi_prefix = place_from_doi(doi or _head_doi(text)).doi_prefix
    for block in _citation_blocks(lines):
        place.fill(place_from_citation(block), "citation line")
    head = journal_title_from_head(text)
    if head:
        first = next(
            line for line in lines if line.strip() and _JOURNAL_HEAD_RE.match(line.strip())
        )
        found = place_from_line(first)
        found.journal = head
        place.fill(found, "journal line")
    if place.issue() is None or not place.volume:
        issue = _find_issue_designation(_head_lines(text))
        if issue is not None:
            place.fill(
                ArticlePlace(
                    year=issue.year,
                    number=issue.number,
                    whole_number=issue.whole_number,
                    volume=issue.volume,
                ),
                "running head",
            )
    return place
