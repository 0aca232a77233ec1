"""Table of contents of a journal issue.

The table of contents (TOC) is the one part of an issue that survives a bad
PDF extraction intact, so for scrambled issues it is the skeleton every
article hangs on. This module finds the TOC, reads its rubrics (sections) and
entries, and turns each entry into authors, titles per language and pages.

Layouts handled (all seen in trilingual Kazakh bulletins):

* one line per language variant, pages at the end of each line
  ("Zhumatay G. The American-Israel alliance ....\t9-22");
* hard-wrapped variants with dot leaders, and the page ranges of the whole
  entry printed afterwards on their own lines ("...........10-22" x 3);
* a monolingual TOC (one variant per entry) and a language-by-language TOC
  (the same pages listed once per language in separate runs), which are
  merged by page range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import labels as L
from .names import AUTHOR_START_RE, split_authors_title, starts_with_name
from .text import (
    KAZAKH_LETTERS,
    collapse_ws,
    detect_language,
    join_lines,
    latin_twins,
    norm_key,
    normalise_letters,
)

# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass
class TocVariant:
    """One language version of a TOC entry: "Authors. Title ..... pages"."""

    language: str
    authors: list[str]
    title: str
    raw: str
    first_page: int | None = None
    last_page: int | None = None


@dataclass
class TocEntry:
    """One article as the table of contents lists it."""

    position: int
    variants: dict[str, TocVariant] = field(default_factory=dict)
    first_page: int | None = None
    last_page: int | None = None
    last_page_printed: bool = False
    section: dict[str, str] = field(default_factory=dict)

    @property
    def titles(self) -> dict[str, str]:
        return {lang: v.title for lang, v in self.variants.items() if v.title}

    @property
    def authors(self) -> dict[str, list[str]]:
        return {lang: v.authors for lang, v in self.variants.items() if v.authors}


@dataclass
class Toc:
    """A parsed table of contents and where it sits in the text."""

    entries: list[TocEntry]
    sections: list[dict[str, str]]
    start: int  # line index of the TOC heading
    end: int  # line index just past the last TOC line
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------

TOC_HEADING_RE = re.compile(
    r"^\W*(?:МАЗМҰНЫ|МАЗМҰН|СОДЕРЖАНИЕ|CONTENTS?|TABLE OF CONTENTS|ОГЛАВЛЕНИЕ)\b"
    r"(?:\s*[/|,]\s*(?:МАЗМҰНЫ|МАЗМҰН|СОДЕРЖАНИЕ|CONTENTS?|ОГЛАВЛЕНИЕ)\b)*\W*$",
    re.IGNORECASE,
)
_ROMAN = r"[IVXLСІ]+|\d+"
_SECTION_WORDS = {
    "kk": r"БӨЛІМ(?:І)?|БӨЛІМШЕ|СЕКЦИЯСЫ",
    "ru": r"РАЗДЕЛ|СЕКЦИЯ|ЧАСТЬ",
    "en": r"PART|SECTION|CHAPTER",
}
SECTION_RE = re.compile(
    r"^\s*(?:(?P<num1>" + _ROMAN + r")\s*\.?\s*)?"
    r"(?P<word>" + "|".join(_SECTION_WORDS.values()) + r")\b\.?\s*"
    r"(?:(?P<num2>" + _ROMAN + r")\b\s*\.?)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "...........10-22", "....\t23-43", "9-22", "… 5", with en/em dashes
PAGES_TAIL_RE = re.compile(
    r"(?:\s*(?:\.{2,}|…+|\t|\s{2,}))?\s*(?P<first>\d{1,4})(?:\s*[-–—]\s*(?P<last>\d{1,4}))?\s*$"
)
PAGES_ONLY_RE = re.compile(
    r"^\s*(?:\.{2,}|…+)?\s*(?P<first>\d{1,4})(?:\s*[-–—]\s*(?P<last>\d{1,4}))?\s*$"
)
LEADERS_RE = re.compile(r"(?:\s*(?:\.\s?){2,}|\s*…+)\s*$")


# --------------------------------------------------------------------------
# Finding the TOC
# --------------------------------------------------------------------------


def find_toc_heading(lines: list[str]) -> int | None:
    """Index of the TOC heading line, or None.

    A heading counts only if page-numbered entries follow within a few dozen
    lines, so a stray word "Content" in a body paragraph is not a TOC.
    """
    for i, line in enumerate(lines):
        if len(line) > 80 or not TOC_HEADING_RE.match(line.strip()):
            continue
        hits = 0
        for nxt in lines[i + 1 : i + 80]:
            if PAGES_TAIL_RE.search(nxt) and re.search(r"\d\s*[-–—]\s*\d", nxt):
                hits += 1
        if hits >= 1:
            return i
    return None


def _is_noise(line: str) -> bool:
    """Running heads and page numbers that break into the TOC."""
    s = line.strip()
    if not s:
        return True
    if re.fullmatch(r"\d{1,4}", s) or re.fullmatch(r"[.…\s]+", s):
        return True
    if re.search(r"\bISSN\b", s) or "_____" in s:
        return True
    if L.ISSUE_DESIGNATION_RE.search(s) and not re.search(r"\d\s*[-–—]\s*\d+\s*$", s):
        return True
    if re.search(r"(?:pp?\.|С\.|Б\.)\s*\d+\s*[-–—]\s*\d+\s*$", s) and L.ISSUE_DESIGNATION_RE.search(
        s
    ):
        return True
    if re.search(r"ХАБАРШЫСЫ|BULLETIN\s+of|ИЗВЕСТИЯ\s+Каз", s) and len(s) < 120:
        return True
    # "7«ХАЛЫҚАРАЛЫҚ ҚАТЫНАСТАР ... » сериясы": a running head with its page number
    if re.search(r"(?i)\b(?:сериясы|серия|series)\b", s) and re.search(r"[«“\"]", s):
        if not re.search(r"\d\s*[-–—]\s*\d+\s*$", s) and len(s) < 120:
            return True
    return False


def _section_language(word: str, rest: str) -> str:
    w = word.upper()
    for lang, pat in _SECTION_WORDS.items():
        if re.fullmatch(pat, normalise_letters(w), re.IGNORECASE):
            return lang
    return detect_language(rest)


def _roman(num: str) -> str:
    return latin_twins(num).upper() if num else ""


def format_section(lang: str, num: str, name: str) -> str:
    """Rubric name as printed, without its "PART I." / "РАЗДЕЛ I." numbering.

    The numbering is dropped because it is layout, not the rubric's name;
    capitals are kept as printed (compare case-insensitively).
    """
    return collapse_ws(normalise_letters(name).strip(" .:"))


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # "section", "text", "pages"
    text: str = ""
    lang: str = ""
    num: str = ""
    first: int | None = None
    last: int | None = None
    ends_variant: bool = False


def _tokenise(lines: list[str], start: int) -> tuple[list[_Item], int]:
    """Turn the lines after the TOC heading into items; return them and the end index."""
    items: list[_Item] = []
    seen_sections: set[tuple[str, str]] = set()
    i = start
    n = len(lines)
    last_content = start
    entries_seen = 0
    while i < n:
        raw = lines[i]
        s = normalise_letters(raw.strip())
        if L.ARTICLE_HEAD_RE.search(s):
            break
        if not s or _is_noise(s):
            # page-number glued to a running head: "5“ХАЛЫҚАРАЛЫҚ ... №2 (60) 2025"
            i += 1
            continue
        sm = SECTION_RE.match(s)
        if sm and (sm.group("num1") or sm.group("num2")) and len(s) < 200:
            num = _roman(sm.group("num1") or sm.group("num2") or "")
            lang = _section_language(sm.group("word"), sm.group("rest"))
            key = (lang, num)
            if key in seen_sections and entries_seen:
                break  # the rubric repeats: the first article has begun
            seen_sections.add(key)
            rest = [sm.group("rest")]
            j = i + 1
            # continuation lines: capitals, not a new rubric, not an entry
            while j < n:
                t = normalise_letters(lines[j].strip())
                if not t:
                    j += 1
                    continue
                if SECTION_RE.match(t) and (
                    SECTION_RE.match(t).group("num1") or SECTION_RE.match(t).group("num2")
                ):
                    break
                letters = [c for c in t if c.isalpha()]
                if (
                    letters
                    and sum(1 for c in letters if c.isupper()) >= 0.8 * len(letters)
                    and not PAGES_TAIL_RE.search(t)
                    and not _is_noise(t)
                    and (detect_language(t) == "en") == (lang == "en")
                ):
                    rest.append(t)
                    j += 1
                    continue
                break
            items.append(_Item("section", text=join_lines(rest), lang=lang, num=num))
            last_content = j
            i = j
            continue
        pm = PAGES_ONLY_RE.match(s)
        if pm and (pm.group("last") or s.startswith(".")):
            items.append(
                _Item(
                    "pages",
                    first=int(pm.group("first")),
                    last=int(pm.group("last")) if pm.group("last") else None,
                )
            )
            last_content = i + 1
            i += 1
            continue
        # an entry line, maybe with leaders and pages at its end
        item = _Item("text", text=s)
        tm = PAGES_TAIL_RE.search(s)
        if tm and (
            tm.group("last")
            or re.search(r"(?:\.{2,}|…|\t)\s*\d+\s*$", raw)
            or re.search(r"\s{2,}\d+\s*$", raw)
        ):
            body = s[: tm.start()]
            if body.strip() and not re.search(r"[-–—(№]\s*$", body):
                item.text = LEADERS_RE.sub("", body).strip()
                item.first = int(tm.group("first"))
                item.last = int(tm.group("last")) if tm.group("last") else None
                item.ends_variant = True
        if LEADERS_RE.search(item.text):
            item.text = LEADERS_RE.sub("", item.text).strip()
            item.ends_variant = True
        if item.text:
            items.append(item)
            entries_seen += 1
        elif item.first is not None:
            items.append(_Item("pages", first=item.first, last=item.last))
        last_content = i + 1
        i += 1
        if len(s) > 400:
            break  # a body paragraph: the TOC is over
    return items, last_content


def _same_opening(first_line: str, line: str) -> bool:
    """A line that repeats the opening words of the current variant (the
    author list of the next language version) starts a new variant."""
    a, b = norm_key(first_line).split(" ")[:3], norm_key(line).split(" ")[:3]
    return len(a) == 3 and a == b


def _build_variant(lines: list[str], first: int | None, last: int | None) -> TocVariant:
    raw = join_lines(lines)
    authors, title = split_authors_title(raw)
    lang = detect_language(title) or detect_language(raw)
    return TocVariant(lang, authors, title, raw, first, last)


def _author_key(v: TocVariant) -> str:
    if not v.authors:
        return ""
    sur = norm_key(v.authors[0]).split(" ")[0]
    return latin_twins(sur)[:3]


def parse_toc(text: str) -> Toc | None:
    """Find and parse the issue's table of contents; None if there is none."""
    lines = text.splitlines()
    head = find_toc_heading(lines)
    if head is None:
        return None
    items, end = _tokenise(lines, head + 1)

    # 1. items -> variants (with optional pages) and section markers
    stream: list[tuple[str, object]] = []  # ("section", (lang,num,text)) / ("variant", v)
    buf: list[str] = []

    def flush(first: int | None = None, last: int | None = None) -> None:
        if buf:
            stream.append(("variant", _build_variant(list(buf), first, last)))
            buf.clear()

    for it in items:
        if it.kind == "section":
            flush()
            stream.append(("section", (it.lang, it.num, it.text)))
        elif it.kind == "pages":
            flush()
            stream.append(("pages", (it.first, it.last)))
        else:
            if buf and (
                (AUTHOR_START_RE.match(it.text) and starts_with_name(it.text))
                or _same_opening(buf[0], it.text)
            ):
                flush()
            buf.append(it.text)
            if it.ends_variant:
                flush(it.first, it.last)
    flush()

    # 2. variants -> entries
    sections: list[dict[str, str]] = []
    current_section: dict[str, str] = {}
    last_section_was_new = False
    entries: list[TocEntry] = []
    pending: list[TocVariant] = []  # variants waiting for a pages line
    group: TocEntry | None = None

    def new_entry(variants: list[TocVariant], first: int | None, last: int | None) -> TocEntry:
        e = TocEntry(position=len(entries) + 1, first_page=first, last_page=last)
        e.last_page_printed = last is not None
        e.section = dict(current_section)
        for v in variants:
            _add_variant(e, v)
        entries.append(e)
        return e

    for kind, payload in stream:
        if kind == "section":
            lang, num, name = payload  # type: ignore[misc]
            if pending:
                group = new_entry(pending, None, None)
                pending = []
            if not last_section_was_new:
                current_section = {}
                sections.append(current_section)
            current_section[lang] = format_section(lang, num, name)
            last_section_was_new = True
            group = None
            continue
        last_section_was_new = False
        if kind == "pages":
            first, last = payload  # type: ignore[misc]
            if pending:
                for part in _split_groups(pending):
                    group = new_entry(part, first, last)
                pending = []
            elif group is not None and group.first_page is None:
                group.first_page, group.last_page = first, last
                group.last_page_printed = last is not None
            continue
        v: TocVariant = payload  # type: ignore[assignment]
        if v.first_page is None:
            pending.append(v)
            continue
        if (
            group is not None
            and not pending
            and group.first_page == v.first_page
            and group.last_page == v.last_page
            and not _starts_new(group, v)
        ):
            _add_variant(group, v)
            continue
        group = new_entry(pending + [v], v.first_page, v.last_page)
        pending = []
    if pending:
        for part in _split_groups(pending):
            new_entry(part, None, None)

    entries = _merge_language_runs(entries)
    _fill_last_pages(entries)
    for k, e in enumerate(entries, 1):
        e.position = k
    sections = [s for s in sections if s]
    return Toc(entries=entries, sections=sections, start=head, end=end)


def _starts_new(group: TocEntry, v: TocVariant) -> bool:
    """A variant opens a new entry if its language is already in the group
    and the first authors differ (two articles sharing a misprinted range)."""
    if v.language not in group.variants:
        return False
    other = group.variants[v.language]
    return _author_key(other) != _author_key(v) or len(group.variants) >= 3


def _split_groups(variants: list[TocVariant]) -> list[list[TocVariant]]:
    """Split a run of page-less variants into entries on a repeated language."""
    parts: list[list[TocVariant]] = []
    cur: list[TocVariant] = []
    langs: set[str] = set()
    for v in variants:
        if v.language in langs and (
            len(cur) >= 3 or _author_key(cur[0]) != _author_key(v) or len(variants) > 3
        ):
            parts.append(cur)
            cur, langs = [], set()
        cur.append(v)
        langs.add(v.language)
    if cur:
        parts.append(cur)
    return parts


def _add_variant(e: TocEntry, v: TocVariant) -> None:
    lang = v.language or "en"
    if lang in e.variants:
        # two Cyrillic variants both read as one language: the more Kazakh one is kk
        other = e.variants[lang]
        if lang in ("kk", "ru"):

            def kk_score(x: TocVariant) -> float:
                letters = [c for c in x.title if c.isalpha()] or ["x"]
                return sum(1 for c in letters if c in KAZAKH_LETTERS) / len(letters)

            a, b = (other, v) if kk_score(other) >= kk_score(v) else (v, other)
            if "kk" not in e.variants or "ru" not in e.variants:
                a.language, b.language = "kk", "ru"
                e.variants.pop(lang, None)
                e.variants["kk"], e.variants["ru"] = a, b
                return
        # otherwise keep the first, remember the second under a spare key
        for spare in ("en", "kk", "ru"):
            if spare not in e.variants:
                v.language = spare
                e.variants[spare] = v
                return
        return
    v.language = lang
    e.variants[lang] = v


def _merge_language_runs(entries: list[TocEntry]) -> list[TocEntry]:
    """Language-by-language TOCs list each article once per language run;
    merge entries that share the page range and have disjoint languages."""
    if len(entries) < 2:
        return entries
    out: list[TocEntry] = []
    by_pages: dict[tuple[int | None, int | None], TocEntry] = {}
    for e in entries:
        key = (e.first_page, e.last_page)
        host = by_pages.get(key) if e.first_page is not None else None
        if host is not None and not (set(host.variants) & set(e.variants)):
            host.variants.update(e.variants)
            for lang, name in e.section.items():
                host.section.setdefault(lang, name)
            continue
        by_pages.setdefault(key, e)
        out.append(e)
    return out


def _fill_last_pages(entries: list[TocEntry]) -> None:
    """Last page = next entry's first page - 1 where it is not printed.

    The last article keeps None: the TOC cannot tell where it ends.
    """
    for a, b in zip(entries, entries[1:], strict=False):
        if a.last_page is None and a.first_page is not None and b.first_page is not None:
            if b.first_page > a.first_page:
                a.last_page = b.first_page - 1
