"""Parse the text of ONE article (trilingual en/kk/ru layout) into an ArticleRecord.

Layout handled (any order of the language blocks, clean or hard-wrapped):

    UDC 327 / IRSTI 11.25.91 / https://doi.org/10....     (head codes)
    TITLE                                                 (per language)
    *Surname I.O.¹, Surname I.O.²                         (byline)
    ¹ Organisation, City, Country                         (affiliations)
    Abstract. ...                                         (abstract)
    Key words: a, b, c                                    (keywords)
    body ... REFERENCES [1] ...                           (first language only)
    Received: ... Accepted: ...
    Information about authors: Name – details, e-mail, ORCID

The block functions (find_abstract_blocks, find_keyword_blocks, ...) work on
any text and report spans, so the issue-level assembler can use them on
scrambled documents. Nothing is attached on a guess: when in doubt a field is
left empty and a ParseWarning says why.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from . import labels as L
from .names import BylineName, clean_name, looks_like_name, parse_byline, same_person
from .records import (
    LANGUAGES,
    AffiliationRecord,
    ArticleRecord,
    AuthorRecord,
    ParseWarning,
    WarningKind,
)
from .text import (
    Line,
    collapse_ws,
    detect_language,
    is_capitals,
    is_running_head,
    join_lines,
    letters_by_script,
    split_lines,
    strip_markdown,
)

Span = tuple[int, int]


def _is_heading(line: Line) -> bool:
    return bool(L.HEADING_WORDS_RE.match(line.plain)) or line.raw.lstrip().startswith("#")


def _span(lines: list[Line], first: int, last: int) -> Span:
    return (lines[first].start, lines[last].end)


def _label_rest(rx: re.Pattern[str], text: str) -> str:
    m = rx.match(text)
    return text[m.end() :] if m else text


# ------------------------------------------------------------------ bylines

_AFFIL_WORDS_RE = re.compile(
    rf"(?i)({L.ORGANISATION_WORDS}|"
    r"kazakhstan|қазақстан|казахстан|russia|россия|ресей|almaty|алматы|astana|астана|"
    r"\bUSA\b|\bUK\b|china|қытай|китай|germany|poland|польша|turkey|türkiye|түркия|турция)"
)
_MARKER_START_RE = re.compile(r"^(?:\*|\^\{|[¹²³⁴⁵⁶⁷⁸⁹⁰]|\d{1,2}(?=\s*[^\d\s.,)]))")


def _looks_affiliation(line: Line) -> bool:
    text = line.clean
    if not text or L.ABSTRACT_RE.match(line.plain) or len(text) > 400:
        return False
    if _MARKER_START_RE.match(text):
        return True
    return bool(_AFFIL_WORDS_RE.search(text)) and not text.endswith(":")


def _next_nonblank(lines: list[Line], i: int, limit: int = 3) -> int | None:
    j = i + 1
    while j < len(lines) and lines[j].blank and limit > 0:
        j += 1
        limit -= 1
    return j if j < len(lines) and not lines[j].blank else None


@dataclass
class StackedAuthor:
    """What a stacked byline prints under one author's name."""

    details: str  # position and degree: "PhD student", "Associate Professor"
    affiliation: tuple[list[str], str, str, str]  # as parse_affiliation gives it
    email: str = ""
    orcid: str = ""


@dataclass
class Byline:
    first: int  # line index of the byline (first line)
    last: int
    names: list[BylineName]
    # A stacked byline (other journals): each author's full name in bold on its
    # own line, with a position/affiliation line and perhaps e-mail and ORCID
    # lines under it; one entry per name.
    stacked: list[StackedAuthor] = field(default_factory=list)


def find_bylines(lines: list[Line]) -> list[Byline]:
    """Lines that parse wholly as names and are followed by an affiliation or abstract."""
    found: list[Byline] = []
    i = 0
    while i < len(lines):
        byline = stacked_byline_at(lines, i) or byline_at(lines, i)
        if byline is not None:
            found.append(byline)
            i = byline.last + 1
        else:
            i += 1
    return found


def byline_at(lines: list[Line], i: int) -> Byline | None:
    """The byline starting at line i (possibly wrapped after commas), or None."""
    line = lines[i]
    if (
        line.blank
        or len(line.clean) > 300
        or "\t" in line.raw
        or "|" in line.raw
        or L.is_label_line(line.plain)
    ):
        return None
    text, last = line.printed, i
    while text.rstrip().endswith(",") and last + 1 < len(lines) and not lines[last + 1].blank:
        last += 1
        text += " " + lines[last].printed
    names = parse_byline(text)
    nxt = _next_nonblank(lines, last)
    if names and nxt is not None:
        follower = lines[nxt]
        if _looks_affiliation(follower) or L.ABSTRACT_RE.match(follower.plain):
            return Byline(i, last, names)
    return None


_BOLD_LINE_RE = re.compile(
    r"^\s*(?:\*\*|__)(?P<name>[^*_]+?)(?P<star>\*?)(?:\*\*|__)\s*(?P<after>\*?)\s*$"
)


def _bold_full_name(line: Line) -> tuple[str, bool] | None:
    """ "**Aigerim Nurlanovna Sadykova**" -> (the name, starred); None for anything
    else: a line in bold that is one person's full name, with no initials."""
    m = _BOLD_LINE_RE.match(line.raw)
    if not m:
        return None
    name = clean_name(m.group("name"))
    if "." in name or len(name.split()) < 2 or not looks_like_name(name):
        return None
    return name, bool(m.group("star") or m.group("after"))


def _position_and_affiliation(text: str) -> tuple[str, tuple[list[str], str, str, str]]:
    """ "PhD student, Al-Farabi Kazakh National University, Almaty, Kazakhstan" ->
    ("PhD student", affiliation): what precedes the first organisation word is the
    author's position and degree."""
    parts = [part.strip() for part in text.split(",")]
    first = next(
        (n for n, part in enumerate(parts) if re.search(L.ORGANISATION_WORDS, part, re.I)), 0
    )
    return ", ".join(parts[:first]), parse_affiliation(", ".join(parts[first:]))


def _stacked_entry(lines: list[Line], k: int) -> tuple[StackedAuthor, int] | None:
    """The lines under one stacked author's name (at k): position/affiliation, e-mail,
    ORCID; with the index of the last of them. None when no position line follows."""
    positions: list[str] = []
    email = orcid = ""
    last = k
    for j in range(k + 1, min(len(lines), k + 12)):
        line = lines[j]
        if line.blank:
            continue
        text = line.plain
        if _bold_full_name(line) or L.is_label_line(text) or _is_heading(line) or len(text) > 300:
            break
        if _EMAIL_RE.search(text) and len(text) < 120:
            email = email or _EMAIL_RE.search(text).group(0).rstrip(".")
            found = _ORCID_RE.search(text)
            orcid = orcid or (found.group(1) if found else "")
        elif _ORCID_RE.search(text) and len(text) < 120:
            orcid = orcid or _ORCID_RE.search(text).group(1)
        elif (
            len(positions) < 2
            and not email
            and not orcid
            and (_looks_affiliation(line) or "," in text)
        ):
            positions.append(text)
        else:
            break
        last = j
    if not positions:
        return None
    details, affiliation = _position_and_affiliation(", ".join(positions))
    return StackedAuthor(details, affiliation, email, orcid), last


def stacked_byline_at(lines: list[Line], i: int) -> Byline | None:
    """A stacked byline starting at line i: full names in bold, each on its own line
    with its position/affiliation (and perhaps e-mail, ORCID) lines under it."""
    names: list[BylineName] = []
    entries: list[StackedAuthor] = []
    k, last = i, i
    while k < len(lines):
        bold = _bold_full_name(lines[k])
        entry = _stacked_entry(lines, k) if bold else None
        if not bold or entry is None:
            break
        names.append(BylineName(bold[0], [], bold[1]))
        entries.append(entry[0])
        last = entry[1]
        k = _next_nonblank(lines, last) or len(lines)
    if not names:
        return None
    return Byline(i, last, names, entries)


def title_lines(lines: list[Line], byline_first: int, floor: int) -> tuple[int, int] | None:
    """Walk back from a byline to the title: caps lines across blank lines, or one paragraph."""
    j = byline_first - 1
    while j > floor and lines[j].blank:
        j -= 1
    if j <= floor - 1 or j < 0 or lines[j].blank or not _title_candidate(lines[j]):
        return None
    last = j
    caps = is_capitals(lines[j].plain)
    first = j
    k = j - 1
    while k > floor:
        if lines[k].blank:
            if not caps:
                break
            k -= 1
            continue
        if not _title_candidate(lines[k]) or (caps and not is_capitals(lines[k].plain)):
            break
        if not caps and lines[k].raw.lstrip().startswith("#") and first != k + 1:
            break
        first = k
        if last - first > 8:
            break
        k -= 1
    return first, last


def _title_candidate(line: Line) -> bool:
    text = line.plain
    return (
        bool(text)
        and len(text) < 400
        and not L.is_label_line(text)
        and not re.match(r"^\s*(?:\[\d+\]|\d+\.\s)", text)
        and not is_running_head(line.raw)
    )


# ------------------------------------------------------------------ abstracts & keywords


def _abstract_end(lines: list[Line], start: int) -> int:
    """Index of the last line of an abstract starting at `start`."""
    last = start
    paragraphs = 0
    for k in range(start + 1, len(lines)):
        line = lines[k]
        if line.blank:
            paragraphs += 1
            if paragraphs > 14:
                break
            continue
        text = line.plain
        if L.is_label_line(text) or _is_heading(line):
            break
        if is_capitals(text) and len(text) > 12 and not text.endswith("."):
            break
        if parse_byline(line.clean) and _looks_affiliation(
            lines[k + 1] if k + 1 < len(lines) else line
        ):
            break
        last = k
    return last


def _standalone_name(line: Line) -> bool:
    return len(line.plain) < 60 and bool(parse_byline(line.clean)) and not line.plain.endswith(",")


def _block_text(lines: list[Line], first: int, last: int, rx: re.Pattern[str]) -> str:
    """Join a labelled block's lines into paragraphs, dropping the label and running heads."""
    parts: list[list[str]] = [[]]
    for k in range(first, last + 1):
        line = lines[k]
        if line.blank:
            parts.append([])
            continue
        if k > first and (is_running_head(line.raw) or _standalone_name(line)):
            continue
        text = line.plain
        if k == first:
            text = _label_rest(rx, text)
            while rx.match(text):  # "Аңдатпа. Аңдатпа." printed twice
                text = _label_rest(rx, text)
        parts[-1].append(text)
    return "\n\n".join(join_lines(p) for p in parts if join_lines(p))


def find_abstract_blocks(text: str) -> list[tuple[str, str, Span]]:
    """Every labelled abstract: (language, abstract text, span in `text`).

    The language is read from the abstract's own text (a Kazakh abstract can be
    labelled "Аннотация"); the label decides only when the text cannot.
    """
    return [(lang, body, span) for lang, body, span, _ in _abstracts(split_lines(text))]


def _abstracts(lines: list[Line]) -> list[tuple[str, str, Span, int]]:
    result = []
    for line in lines:
        if not L.ABSTRACT_RE.match(line.plain):
            continue
        last = _abstract_end(lines, line.index)
        body = _block_text(lines, line.index, last, L.ABSTRACT_RE)
        if not body:
            continue
        lang = detect_language(body) or L.label_language(line.plain)
        result.append((lang, body, _span(lines, line.index, last), line.index))
    return result


_CONJUNCTION_RE = re.compile(r"(?i)(?:and|or|и|или|және|мен|немесе)\s")  # a sentence's list
_LAST_SENTENCE_RE = re.compile(r"(?:^|(?<=[.!?…]))\s+(?=\S[^.!?…]*$)")


def trailing_keyword_list(abstract: str) -> tuple[str, list[str]]:
    """(abstract, keywords): a keyword list printed without its label at the end of an
    abstract ("... деген қорытындыға келеді. Қауіпсіздік, цифрлық егемендік, халықаралық
    құқық,") is cut off it. Only a run of at least three short comma-separated phrases
    after the last sentence counts."""
    paragraphs = abstract.rstrip().split("\n\n")
    last = paragraphs[-1]
    cut = [m.end() for m in _LAST_SENTENCE_RE.finditer(last)]
    start = cut[-1] if cut else 0
    tail = last[start:].strip()
    items = [item.strip() for item in tail.rstrip(".,;").split(",")]
    cut_short = tail[-1:] not in ".!?…"  # a list the page or the scrambling broke off
    if (
        len(items) < 3
        or len(tail) > 300
        or not all(0 < len(item.split()) <= 4 and len(item) <= 40 for item in items)
        or (start == 0 and len(paragraphs) == 1)
        or not (cut_short or (start == 0 and len(items) >= 4))
        or any(_CONJUNCTION_RE.match(item) for item in items)
    ):
        return abstract, []
    paragraphs[-1] = last[:start].rstrip()
    return "\n\n".join(p for p in paragraphs if p), items


def keyword_language(keyword: str, listed: str) -> str:
    """The language a keyword is written in, where its letters say so plainly: a Cyrillic
    keyword in the English list, a keyword with Kazakh letters in the Russian one. Latin
    names in a Cyrillic list ("Bayraktar TB2") stay where they are."""
    latin, cyrillic, kazakh = letters_by_script(keyword)
    if listed == "en" and cyrillic > latin:
        return "kk" if kazakh else "ru"
    if listed == "ru" and kazakh:
        return "kk"
    return listed


def split_keywords(text: str) -> list[str]:
    """Split a keyword list on ';' (if any) else ',' outside brackets; drop final period."""
    text = collapse_ws(text).strip()
    sep = ";" if ";" in text else ","
    items, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "([{«"
        depth -= ch in ")]}»"
        if ch == sep and depth <= 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    cleaned = [re.sub(r"[.;,\s]+$", "", item).strip(" \t-–—") for item in items]
    return [c for c in cleaned if c]


def _keywords_end(lines: list[Line], start: int) -> int:
    last = start
    for k in range(start + 1, len(lines)):
        line = lines[k]
        if line.blank or L.is_label_line(line.plain) or _is_heading(line):
            break
        if is_capitals(line.plain) and len(line.plain) > 12:
            break
        last = k
    return last


def find_keyword_blocks(text: str) -> list[tuple[str, list[str], Span]]:
    """Every labelled keyword list: (language, keywords, span in `text`)."""
    return [(lang, kws, span) for lang, kws, span, _ in _keywords(split_lines(text))]


def _keywords(lines: list[Line]) -> list[tuple[str, list[str], Span, int]]:
    result = []
    for line in lines:
        if not L.KEYWORDS_RE.match(line.plain):
            continue
        last = _keywords_end(lines, line.index)
        body = _block_text(lines, line.index, last, L.KEYWORDS_RE)
        kws = split_keywords(body)
        if not kws:
            continue
        lang = L.label_language(line.plain)
        detected = detect_language(body)
        if lang in ("", "kk", "ru") and detected and not (lang == "kk" and detected == "ru"):
            lang = detected if detected != "en" or lang == "" else lang
        result.append((lang, kws, _span(lines, line.index, last), line.index))
    return result


# ------------------------------------------------------------------ codes, DOI, dates


def parse_codes(text: str) -> tuple[list[str], list[str]]:
    """UDC and IRSTI codes printed at line starts: (udc list, irsti list), deduplicated."""
    udc: list[str] = []
    irsti: list[str] = []
    for line in split_lines(text):
        for rx, out, sep in ((L.UDC_RE, udc, r"[;,]\s+|;"), (L.IRSTI_RE, irsti, r"[;,]\s*")):
            m = rx.match(line.plain)
            if not m:
                continue
            for code in re.split(sep, m.group(1)):
                code = code.strip().rstrip(".;,").strip()
                if code and re.match(r"^\d", code) and code not in out:
                    out.append(code)
    return udc, irsti


def _find_doi(lines: list[Line], ranges: list[tuple[int, int, str]]) -> str:
    ref_ranges = [(first, last) for first, last, _ in ranges]
    for line in lines:
        if any(a <= line.index <= b for a, b in ref_ranges):
            continue
        if L.DOI_LINE_RE.match(line.plain) or re.match(r"(?i)^doi\s*[:.]?\s*", line.plain):
            doi = L.clean_doi(line.plain)
            if doi:
                return doi
    return ""


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}  # fmt: skip


def _month(word: str) -> int | None:
    word = word.lower().strip(".")
    if len(word) >= 3 and word[:3] in {m[:3] for m in _MONTHS if m.isascii()}:
        for name, num in _MONTHS.items():
            if name.isascii() and name.startswith(word[:3]):
                return num
    best = None
    for name, num in _MONTHS.items():
        if not name.isascii() and word.startswith(name) and (best is None or len(name) > best[0]):
            best = (len(name), num)
    return best[1] if best else None


def parse_date(text: str) -> datetime.date | None:
    """First date in text: 31.08.2025, 2025-08-31, September 20, 2025, 20 сентября 2025 г."""
    text = collapse_ws(text)
    patterns = (
        (r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", lambda m: (m[3], m[2], m[1])),
        (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", lambda m: (m[1], m[2], m[3])),
        (r"\b(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})", lambda m: (m[3], _month(m[2]), m[1])),
        (r"\b([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})", lambda m: (m[3], _month(m[1]), m[2])),
    )
    found = []
    for rx, parts in patterns:
        m = re.search(rx, text)
        if m:
            y, mo, d = parts(m)
            try:
                found.append((m.start(), datetime.date(int(y), int(mo), int(d))))
            except (TypeError, ValueError):
                continue
    return min(found)[1] if found else None


def parse_dates(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """(received, accepted) from labelled lines in any of the three languages."""
    return _parse_dates(split_lines(text))


def _parse_dates(lines: list[Line]) -> tuple[datetime.date | None, datetime.date | None]:
    received = accepted = None
    for line in lines:
        if received is None and L.RECEIVED_RE.match(line.plain):
            received = parse_date(_label_rest(L.RECEIVED_RE, line.plain))
        elif accepted is None and L.ACCEPTED_RE.match(line.plain):
            accepted = parse_date(_label_rest(L.ACCEPTED_RE, line.plain))
    return received, accepted


# ------------------------------------------------------------------ references

_NOTES_RE = re.compile(r"(?i)^(?:notes|примечани[яе]|ескертпе|ескертулер|сноски)\s*:?\s*$")
_REF_START_RE = re.compile(r"^\s*(?:[-•*]\s*)?(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s*(?=\S)")


def _reference_ranges(lines: list[Line]) -> list[tuple[int, int, str]]:
    """(label line, last line, label) of every labelled reference list."""
    ranges = []
    for line in lines:
        if not L.REFERENCES_RE.match(line.plain):
            continue
        last = line.index
        for k in range(line.index + 1, len(lines)):
            cur = lines[k]
            if cur.blank:
                continue
            if L.is_label_line(cur.plain) and not L.DOI_LINE_RE.match(cur.plain):
                break
            if _NOTES_RE.match(cur.plain) or cur.raw.lstrip().startswith("#"):
                break  # notes, or a markdown heading (the next language block)
            if (
                not _REF_START_RE.match(cur.plain)
                and is_capitals(cur.plain)
                and len(cur.plain) > 15
                and not is_running_head(cur.raw)
            ):
                break  # a title in capitals (not a running head): next language block
            if not _REF_START_RE.match(cur.plain) and _section_starts_at(lines, k):
                break
            last = k
        ranges.append((line.index, last, line.plain))
    return ranges


def _section_starts_at(lines: list[Line], k: int) -> bool:
    """A byline at k (followed by an affiliation) starts a language block."""
    names = parse_byline(lines[k].clean)
    nxt = _next_nonblank(lines, k)
    return bool(names) and nxt is not None and _looks_affiliation(lines[nxt])


def _entries(lines: list[Line], first: int, last: int) -> tuple[list[str], bool]:
    """Numbered entries of one list; returns (entries, kept_unnumbered)."""
    entries: list[list[str]] = []
    one_line_each = True
    expected = None
    after_blank = False
    unnumbered = False
    for k in range(first + 1, last + 1):
        line = lines[k]
        if line.blank:
            after_blank = True
            continue
        if is_running_head(line.raw) or (after_blank and _standalone_name(line) and entries):
            continue
        m = _REF_START_RE.match(line.plain)
        number = int(m.group(1) or m.group(2)) if m else None
        if m and (expected is None or number == expected):
            entries.append([line.plain[m.end() :].lstrip(".) ")])
            expected = number + 1
        elif entries:
            if not after_blank:
                one_line_each = False
            starts_new = (
                after_blank
                and one_line_each
                and re.search(r"[.)\]\d]$", entries[-1][-1].rstrip())
                and line.plain[:1].isupper()
                and re.search(r"\b(1[89]|20)\d\d\b", line.plain)
                and len(line.plain) > 30
            )
            if starts_new:
                entries.append([line.plain])
                unnumbered = True
            else:
                entries[-1].append(line.plain)
        after_blank = False
    return [collapse_ws(join_lines(e)) for e in entries if join_lines(e)], unnumbered


def find_reference_lists(text: str) -> list[tuple[str, list[str], Span]]:
    """Every labelled reference list: (label as printed, entries, span)."""
    lines = split_lines(text)
    return [
        (label, _entries(lines, first, last)[0], _span(lines, first, last))
        for first, last, label in _reference_ranges(lines)
    ]


def parse_references(text: str) -> list[str]:
    """Entries of the FIRST reference list, one per number.

    Articles often print the list twice: as written and transliterated
    ("References" after "Литература"). The first is the original and the one
    the body cites, so it is kept; the second is ignored. In a clean list
    (one line per entry) an unnumbered line that reads as a reference is kept
    as its own entry (the number was lost in extraction); in hard-wrapped
    text such lines are continuations.
    """
    lists = find_reference_lists(text)
    return lists[0][1] if lists else []


# ------------------------------------------------------------------ author information

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
_ORCID_RE = re.compile(r"\b(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")
_ENTRY_RE = re.compile(r"^(.{3,90}?)\s*(?:\s[–—-]|[–—]|\s-\s?|:)\s*(?=\S)")


@dataclass
class AuthorInfo:
    """One entry of an "Information about authors" block."""

    name: str
    details: str = ""
    email: str = ""
    orcid: str = ""
    language: str = ""
    span: Span = (0, 0)


_PATRONYMIC_END_RE = re.compile(
    r"(?i)(?:ович|евич|овна|евна|ична|ұлы|улы|қызы|кызы|ovich|evich|ovna|evna|uly|kyzy|qyzy)$"
)


def _entry_name(text: str) -> tuple[str, str] | None:
    """Split an author-information entry into (name, rest): "Name – ...", "Name, ...",
    or a name running straight into the text ("Juan Luis López Aranguren is ...")."""
    m = _ENTRY_RE.match(text)
    if m and looks_like_name(m.group(1)):
        return clean_name(m.group(1)), text[m.end() :]
    head, sep, rest = text.partition(",")
    if sep and looks_like_name(head):
        return clean_name(head), rest
    words = text.split()
    if (
        len(words) > 3
        and _PATRONYMIC_END_RE.search(words[2])
        and looks_like_name(" ".join(words[:3]))
    ):
        return clean_name(" ".join(words[:3])), " ".join(words[3:])
    for n in (4, 3, 2):
        if len(words) > n and looks_like_name(" ".join(words[:n])) and words[n][:1].islower():
            return clean_name(" ".join(words[:n])), " ".join(words[n:])
    return None


def parse_author_entry(text: str, language: str = "") -> AuthorInfo | None:
    """Split "Name – degree, position, org, city, country, e-mail: x, ORCID: y"."""
    text = collapse_ws(strip_markdown(join_lines(text.splitlines())))
    split = _entry_name(text)
    if not split:
        return None
    name, rest = split
    email = _EMAIL_RE.search(rest)
    orcid = _ORCID_RE.search(rest)
    if orcid and orcid.group(1).startswith("0000-0000-0000"):
        orcid = None  # a placeholder, not an identifier
    details = _EMAIL_RE.sub("", rest)
    details = re.sub(r"(?i)https?://orcid\.org/\S*", "", details)
    details = _ORCID_RE.sub("", details)
    details = re.sub(
        r"(?i)\b(?:e-?mail|электронная почта|эл\.\s*почта|ORCID(?:\s*ID)?)\s*[:.]?", "", details
    )
    details = re.sub(r"\s*[,;]\s*(?=[,;]|$)", "", details)
    details = collapse_ws(details).strip(" ,;.:") + ("." if details.strip().endswith(".") else "")
    return AuthorInfo(
        name=name,
        details=collapse_ws(details).strip(" ,;"),
        email=email.group(0).rstrip(".") if email else "",
        orcid=orcid.group(1) if orcid else "",
        language=detect_language(rest) or language,
    )


def parse_author_info_block(text: str) -> list[AuthorInfo]:
    """Parse every "Information about authors" block in text (any language)."""
    lines = split_lines(text)
    return [info for _, infos in _author_info_blocks(lines) for info in infos]


def _author_info_blocks(lines: list[Line]) -> list[tuple[tuple[int, int], list[AuthorInfo]]]:
    blocks = []
    for line in lines:
        if not L.AUTHOR_INFO_RE.match(line.plain):
            continue
        lang = L.author_info_language(line.plain)
        entries: list[tuple[int, int, list[str]]] = []
        rest = _label_rest(L.AUTHOR_INFO_RE, line.plain).strip()
        if rest and _entry_name(rest):
            entries.append((line.index, line.index, [rest]))
        last = line.index
        for k in range(line.index + 1, len(lines)):
            cur = lines[k]
            if cur.blank:
                continue
            if L.is_label_line(cur.plain) or (is_capitals(cur.plain) and len(cur.plain) > 15):
                break
            if len(parse_byline(cur.printed)) >= 2:
                continue  # the article's byline repeated as a running head
            if _entry_name(cur.printed):
                entries.append((k, k, [cur.printed]))
            elif entries and lines[k - 1].blank is False:
                entries[-1][2].append(cur.printed)
            elif entries and not _section_starts_at(lines, k):
                entries[-1][2].append(cur.printed)
            else:
                break
            last = k
        infos = []
        for first, _, parts in entries:
            info = parse_author_entry("\n".join(parts), lang)
            if info:
                info.span = (lines[first].start, lines[first].end)
                infos.append(info)
        blocks.append(((line.index, last), infos))
    return blocks


# ------------------------------------------------------------------ affiliations


def parse_affiliation(text: str) -> tuple[list[str], str, str, str]:
    """ "*^{1,2} Org, City, Country" -> (markers, organisation, city, country)."""
    text = collapse_ws(text)
    markers: list[str] = []
    m = re.match(
        # "3, *4 Institute ...": a star (the corresponding author) may stand before a marker
        r"^[\s*]*(?:\^\{([^{}]*)\}|([¹²³⁴⁵⁶⁷⁸⁹⁰,]+)|(\d{1,2}(?:\s*,\s*\*?\s*\d{1,2})*)(?=\s*\D))"
        r"[\s*]*",
        text,
    )
    if m:
        raw = (m.group(1) or m.group(2) or m.group(3) or "").translate(
            str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
        )
        markers = [x for x in re.split(r"[,\s*]+", raw) if x]
        text = text[m.end() :]
    text = text.lstrip("* ").strip().rstrip(".")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    country = city = ""
    if len(parts) >= 2 and _place_like(parts[-1]):
        country = parts.pop()
        if (
            len(parts) >= 2
            and _place_like(parts[-1])
            and not _AFFIL_WORDS_RE.search(parts[-1][:0] or "x")
        ):
            if not re.search(r"(?i)universit|университет|institut|институт", parts[-1]):
                city = parts.pop()
    return markers, ", ".join(parts), city, country


def _place_like(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and len(text) <= 40 and not re.search(r"\d", text)


# ------------------------------------------------------------------ language sections


@dataclass
class Section:
    """One language block: title, byline, affiliations, abstract, keywords."""

    language: str
    byline: Byline
    title: str = ""
    title_span: tuple[int, int] | None = None
    affiliations: list[tuple[list[str], str, str, str]] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)


def _affiliation_lines(lines: list[Line], byline: Byline) -> list[str]:
    """Affiliation entries after a byline: a new entry at each marker, else per paragraph."""
    entries: list[str] = []
    blank_before = True
    for k in range(byline.last + 1, min(len(lines), byline.last + 25)):
        line = lines[k]
        if line.blank:
            blank_before = True
            continue
        if L.is_label_line(line.plain) or _is_heading(line):
            break
        marked = bool(_MARKER_START_RE.match(line.clean))
        if not entries and not _looks_affiliation(line):
            break
        if marked or blank_before or not entries:
            if not marked and entries and not _looks_affiliation(line):
                break
            entries.append(line.clean)
        else:
            entries[-1] = entries[-1] + "\n" + line.clean
        blank_before = False
    return [join_lines(e.split("\n")) for e in entries]


def attach_byline_affiliations(
    text: str, authors: list[AuthorRecord], lang: str, warnings: list[ParseWarning]
) -> bool:
    """Attach the organisations printed under the first byline of `text` (the head of one
    language block, wherever a scrambled issue put it) to `authors`, in byline order.

    False when no byline is found there, or its names are not these authors'."""
    lines = split_lines(text)
    byline = next(iter(find_bylines(lines)), None)
    if byline is None or len(byline.names) != len(authors):
        return False
    for author, name in zip(authors, byline.names, strict=True):
        known = [n for n in author.names.values() if n]
        if known and not any(same_person(name.printed, n, fuzzy=True) for n in known):
            return False
    section = Section(lang, byline)
    section.affiliations = [parse_affiliation(a) for a in _affiliation_lines(lines, byline)]
    _attach_affiliations(authors, section, lang, warnings)
    return True


def _sections(
    lines: list[Line],
    warnings: list[ParseWarning],
    abstracts: list[tuple[str, str, Span, int]] | None = None,
    keywords: list[tuple[str, list[str], Span, int]] | None = None,
) -> list[Section]:
    bylines = find_bylines(lines)
    abstracts = _abstracts(lines) if abstracts is None else abstracts
    keywords = _keywords(lines) if keywords is None else keywords
    sections: list[Section] = []
    floor = -1
    for n, byline in enumerate(bylines):
        limit = bylines[n + 1].first if n + 1 < len(bylines) else len(lines)
        title_range = title_lines(lines, byline.first, floor)
        section = Section("", byline)
        if title_range:
            section.title_span = title_range
            section.title = _join_title(lines, *title_range)
        section.affiliations = [parse_affiliation(a) for a in _affiliation_lines(lines, byline)]
        own_abs = [a for a in abstracts if byline.last < a[3] < limit]
        own_kw = [k for k in keywords if byline.last < k[3] < limit]
        if own_abs and not _block_between(lines, byline.last, own_abs[0][3]):
            section.abstract = own_abs[0][1]
        if own_kw:
            section.keywords = own_kw[0][1]
        floor = byline.last
        if not section.abstract and not (section.title and is_capitals(section.title)):
            continue  # a repeated byline (running head) or a table row, not a language block
        sample = " ".join([section.title, section.abstract[:600], " ".join(section.keywords)])
        section.language = detect_language(sample)
        sections.append(section)
    return sections


def _block_between(lines: list[Line], a: int, b: int) -> bool:
    """Is there a reference list or author-info label between line a and b?"""
    return any(
        L.REFERENCES_RE.match(lines[k].plain) or L.AUTHOR_INFO_RE.match(lines[k].plain)
        for k in range(a + 1, b)
    )


def _join_title(lines: list[Line], first: int, last: int) -> str:
    parts = [lines[k].plain for k in range(first, last + 1) if not lines[k].blank]
    title = join_lines(parts)
    return re.sub(r"\s*\.{3,}\s*$", "", title).strip(" *")


# ------------------------------------------------------------------ parse_article


def parse_article(text: str) -> ArticleRecord:
    """Parse the text of one article (head to end) into an ArticleRecord."""
    lines = split_lines(text)
    record = ArticleRecord()
    warnings = record.warnings
    # each block scan runs once per article; the helpers below share the results
    abstracts = _abstracts(lines)
    keywords = _keywords(lines)
    ref_ranges = _reference_ranges(lines)
    sections = _sections(lines, warnings, abstracts, keywords)
    by_lang: dict[str, Section] = {}
    for section in sections:
        if not section.language:
            continue
        if section.language in by_lang:
            warnings.append(
                ParseWarning(
                    WarningKind.UNCERTAIN,
                    f"two title/byline blocks read as {section.language}; kept the first",
                    "title",
                    section.language,
                )
            )
            continue
        by_lang[section.language] = section
    for lang, section in by_lang.items():
        if section.title:
            record.title[lang] = section.title
        if section.abstract:
            record.abstract[lang] = section.abstract
        if section.keywords:
            record.keywords[lang] = section.keywords
    _fill_unclaimed_blocks(lines, record, warnings, abstracts, keywords)
    record.udc, record.irsti = parse_codes(_head_text(lines))
    record.doi = _find_doi(lines, ref_ranges)
    record.received, record.accepted = _parse_dates(lines)
    if ref_ranges:
        record.references, unnumbered = _entries(lines, ref_ranges[0][0], ref_ranges[0][1])
        if unnumbered:
            warnings.append(
                ParseWarning(
                    WarningKind.UNCERTAIN,
                    "an unnumbered line in the reference list was kept as its own entry",
                    "references",
                )
            )
    record.authors = _authors(by_lang, sections, warnings)
    _attach_author_info(lines, record.authors, warnings)
    record.language = _body_language(lines, sections, record, keywords, ref_ranges)
    _missing_warnings(record)
    return record


def _head_text(lines: list[Line]) -> str:
    """Text before the first abstract or reference label: where the codes are printed."""
    end = len(lines)
    for line in lines:
        if L.ABSTRACT_RE.match(line.plain) or L.REFERENCES_RE.match(line.plain):
            end = line.index
            break
    return "\n".join(line.raw for line in lines[:end])


def _fill_unclaimed_blocks(
    lines: list[Line],
    record: ArticleRecord,
    warnings: list,
    abstracts: list[tuple[str, str, Span, int]] | None = None,
    keywords: list[tuple[str, list[str], Span, int]] | None = None,
) -> None:
    """Abstracts/keywords outside any title+byline block: attach by their own language
    only if that language is still empty (one article, so language decides)."""
    abstracts = _abstracts(lines) if abstracts is None else abstracts
    keywords = _keywords(lines) if keywords is None else keywords
    for lang, body, _, _ in abstracts:
        if lang and lang not in record.abstract:
            record.abstract[lang] = body
            warnings.append(
                ParseWarning(
                    WarningKind.UNCERTAIN,
                    "abstract found outside a title/byline block; attached by its language",
                    "abstract",
                    lang,
                )
            )
    for lang, kws, _, _ in keywords:
        if lang and lang not in record.keywords:
            record.keywords[lang] = kws
            warnings.append(
                ParseWarning(
                    WarningKind.UNCERTAIN,
                    "keywords found outside a title/byline block; attached by their language",
                    "keywords",
                    lang,
                )
            )


def _authors(
    by_lang: dict[str, Section], sections: list[Section], warnings: list[ParseWarning]
) -> list[AuthorRecord]:
    """Tie byline names across languages by position; affiliations by markers."""
    if not sections:
        return []
    base = sections[0]
    authors = [
        AuthorRecord(position=i + 1, corresponding=n.corresponding)
        for i, n in enumerate(base.byline.names)
    ]
    for lang, section in by_lang.items():
        names = section.byline.names
        if len(names) != len(authors):
            warnings.append(
                ParseWarning(
                    WarningKind.UNCERTAIN,
                    f"byline has {len(names)} names in {lang} but {len(authors)} in "
                    f"{base.language or 'the first block'}; {lang} names not tied",
                    "authors",
                    lang,
                )
            )
            continue
        for author, name in zip(authors, names, strict=True):
            others = list(author.names.values())
            if others and not any(same_person(name.printed, o, fuzzy=True) for o in others):
                warnings.append(
                    ParseWarning(
                        WarningKind.UNCERTAIN,
                        f"byline position {author.position}: {name.printed!r} does not read "
                        f"like {others[0]!r}; tied by position",
                        "authors",
                        lang,
                    )
                )
            author.names[lang] = name.printed
            author.corresponding = author.corresponding or name.corresponding
        _attach_affiliations(authors, section, lang, warnings)
    return authors


def _attach_affiliations(
    authors: list[AuthorRecord], section: Section, lang: str, warnings: list[ParseWarning]
) -> None:
    if section.byline.stacked:
        for author, name, entry in zip(
            authors, section.byline.names, section.byline.stacked, strict=True
        ):
            _, org, city, country = entry.affiliation
            author.full_names.setdefault(lang, name.printed)
            if org:
                author.affiliations.append(
                    AffiliationRecord(name={lang: org}, city=city, country=country)
                )
            if entry.details:
                author.details.setdefault(lang, entry.details)
            author.email = author.email or entry.email
            author.orcid = author.orcid or entry.orcid
        return
    affs = section.affiliations
    if not affs:
        return
    names = section.byline.names
    marked = any(n.markers for n in names) and any(a[0] for a in affs)
    for author, name in zip(authors, names, strict=True):
        if marked:
            mine = [a for a in affs if set(a[0]) & set(name.markers)]
            lost = set(name.markers) - {m for a in affs for m in a[0]}
            if lost:
                warnings.append(
                    ParseWarning(
                        WarningKind.UNCERTAIN,
                        f"byline marker {', '.join(sorted(lost))} of {name.printed!r} has no "
                        "affiliation line",
                        "affiliations",
                        lang,
                    )
                )
        elif len(affs) == 1:
            mine = affs
        else:
            if author.position == 1:
                warnings.append(
                    ParseWarning(
                        WarningKind.UNCERTAIN,
                        "several affiliations without markers; not attached",
                        "affiliations",
                        lang,
                    )
                )
            continue
        for j, (_, org, city, country) in enumerate(mine):
            while len(author.affiliations) <= j:
                author.affiliations.append(AffiliationRecord())
            aff = author.affiliations[j]
            aff.name[lang] = org
            if lang == "en" or not aff.city:
                aff.city = city or aff.city
            if lang == "en" or not aff.country:
                aff.country = country or aff.country


def _attach_author_info(
    lines: list[Line], authors: list[AuthorRecord], warnings: list[ParseWarning]
) -> None:
    """Attach full names, details, e-mail, ORCID by name match, never by position."""
    for _, infos in _author_info_blocks(lines):
        for info in infos:
            matches = [
                a
                for a in authors
                if any(same_person(info.name, n) for n in a.names.values())
                or any(same_person(info.name, n) for n in a.full_names.values())
            ]
            if len(matches) != 1:
                matches = [
                    a
                    for a in authors
                    if any(same_person(info.name, n, fuzzy=True) for n in a.names.values())
                ]
            if len(matches) != 1:
                warnings.append(
                    ParseWarning(
                        WarningKind.UNATTACHED_BLOCK,
                        f"author information for {info.name!r} matches "
                        f"{len(matches)} byline names; not attached",
                        "authors",
                        info.language,
                    )
                )
                continue
            author = matches[0]
            lang = info.language or detect_language(info.name) or ""
            if lang:
                author.full_names.setdefault(lang, info.name)
            if info.details and lang:
                author.details.setdefault(lang, info.details)
            author.email = author.email or info.email
            author.orcid = author.orcid or info.orcid


def _body_language(
    lines: list[Line],
    sections: list[Section],
    record: ArticleRecord,
    kws: list[tuple[str, list[str], Span, int]],
    refs: list[tuple[int, int, str]],
) -> str:
    """Language of the body: text between the first keywords and the references."""
    start = kws[0][3] + 1 if kws else 0
    end = refs[0][0] if refs and refs[0][0] > start else len(lines)
    if sections:
        later = [s.title_span[0] for s in sections[1:] if s.title_span and s.title_span[0] > start]
        if later:
            end = min(end, later[0])
    sample = " ".join(line.plain for line in lines[start:end] if not line.blank)[:5000]
    lang = detect_language(sample) if len(sample) > 200 else ""
    if not lang and sections:
        lang = sections[0].language
    return lang


def _missing_warnings(record: ArticleRecord) -> None:
    present = set(record.title) | set(record.abstract) | set(record.keywords)
    for lang in LANGUAGES:
        if lang not in present:
            continue
        for name, value in (
            ("title", record.title),
            ("abstract", record.abstract),
            ("keywords", record.keywords),
        ):
            if lang not in value:
                record.warnings.append(
                    ParseWarning(
                        WarningKind.MISSING_FIELD, f"no {name} found in {lang}", name, lang
                    )
                )
