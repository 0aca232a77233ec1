"""Cut a whole-issue document into per-article texts.

An article starts at its head: the cluster of UDC / IRSTI / DOI lines printed
above the first title and byline. A document that prints no such codes is
cut at each title + byline block that follows a reference list (each
article's first language block comes after the previous article's
references and author information).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import labels as L
from .article import byline_at, find_bylines, title_lines
from .text import Line, split_lines


@dataclass
class SplitResult:
    front_matter: str
    articles: list[str]
    starts: list[int]  # character offset of each article in the document


def _is_head_line(line: Line) -> bool:
    text = line.plain
    return bool(L.UDC_RE.match(text) or L.IRSTI_RE.match(text) or L.DOI_LINE_RE.match(text))


def _head_starts(lines: list[Line]) -> list[int]:
    """Line index of each head cluster that is followed by a byline soon after."""
    starts: list[int] = []
    k = 0
    while k < len(lines):
        if not _is_head_line(lines[k]):
            k += 1
            continue
        first = k
        while k < len(lines) and (lines[k].blank or _is_head_line(lines[k])):
            k += 1
        seen = 0
        j = k
        while j < len(lines) and seen < 12:
            if not lines[j].blank and byline_at(lines, j) is not None:
                starts.append(first)
                break
            seen += not lines[j].blank
            j += 1
    return starts


def _starts_after_references(lines: list[Line]) -> list[int]:
    """The title above the first byline after each reference list."""
    starts: list[int] = []
    after_refs = True
    floor = -1
    for byline in find_bylines(lines):
        seen_refs = any(L.REFERENCES_RE.match(x.plain) for x in lines[floor + 1 : byline.first])
        if after_refs or seen_refs:
            title = title_lines(lines, byline.first, floor)
            starts.append(title[0] if title else byline.first)
            after_refs = False
        floor = byline.last
    return starts


def split_issue(text: str) -> SplitResult:
    """Cut an issue into (front matter, article texts in order)."""
    lines = split_lines(text)
    starts = _head_starts(lines) or _starts_after_references(lines)
    if not starts:
        return SplitResult(text, [], [])
    offsets = [lines[i].start for i in starts]
    articles = [
        text[a:b].strip("\n") for a, b in zip(offsets, offsets[1:] + [len(text)], strict=True)
    ]
    return SplitResult(text[: offsets[0]], articles, offsets)
