"""Reading a PDF the way a reader sees its pages, through pypdfium2.

Characters come with their boxes, sizes and fonts. From them, page by page:
lines (characters on one baseline, words split at gaps), columns (one, two or
three, found from where lines start and end across the document), a block
across the page above the columns read first, then each column top to bottom;
running heads, footers and page numbers (the same text, digits aside, at the
top or foot of many pages) taken out, with the printed page numbers kept;
paragraphs from line spacing, indents and short last lines.

The text comes out as the parser reads best: one paragraph per line, a blank
line between paragraphs, words hyphenated at line ends rejoined
(text.join_lines), **bold** runs, ^{1} for raised small affiliation markers.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2
import pypdfium2.raw as pdfium_c

from .text import is_running_head, join_lines

LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_BOLD_NAME_RE = re.compile(r"(?i)bold|black|heavy|semibold|demi")
_FORCE_BOLD = 1 << 18  # a PDF font descriptor's ForceBold flag
_NUMBER_ONLY_RE = re.compile(r"^[\s\-–—|]*(\d{1,4})[\s\-–—|]*$")
_LINE_END_HYPHENS = {0x02, 0xFFFE}
_LIST_START_RE = re.compile(r"^(?:[-•]\s*)?\[\d+\]|^\d{1,3}[.)]\s+\w|^•")


class PdfError(ValueError):
    """A PDF that cannot be read as text; the message is one line."""


def _c_function(function, restype, *argtypes):
    """The same pdfium function with plain pointer arguments: far cheaper per call."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_VOID = ctypes.c_void_p
_char_box = _c_function(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, _VOID, ctypes.c_int, _VOID)
_unicode = _c_function(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _VOID, ctypes.c_int)
_font_size = _c_function(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _VOID, ctypes.c_int)
_text_object = _c_function(pdfium_c.FPDFText_GetTextObject, _VOID, _VOID, ctypes.c_int)
_font_weight = _c_function(pdfium_c.FPDFText_GetFontWeight, ctypes.c_int, _VOID, ctypes.c_int)
_font_info = _c_function(
    pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong, _VOID, ctypes.c_int, _VOID, ctypes.c_ulong, _VOID
)


@dataclass
class PdfText:
    """A PDF's text in reading order, with the page numbers printed on its pages."""

    text: str
    pages: list[int | None]  # printed number of each page of the file (None: none printed)
    page_starts: list[int] = field(default_factory=list)  # offset in text where each page starts


@dataclass(slots=True)
class Char:
    ch: str
    x0: float
    x1: float
    bottom: float  # of the loose box: the baseline less the font's descent
    size: float
    bold: bool


@dataclass(slots=True)
class Fragment:
    """Characters that run left to right on one baseline with no wide gap."""

    chars: list[Char]
    x0: float
    x1: float
    bottom: float
    size: float

    def add(self, char: Char) -> None:
        self.chars.append(char)
        self.x1 = max(self.x1, char.x1)
        if char.size > self.size:
            self.size, self.bottom = char.size, char.bottom


@dataclass
class Line:
    fragments: list[Fragment]
    left: float  # the frame (column or text area) the line is set in
    right: float
    column: int  # -1: across the page
    page: int
    text: str = ""

    @property
    def x0(self) -> float:
        return self.fragments[0].x0

    @property
    def x1(self) -> float:
        return self.fragments[-1].x1

    @property
    def bottom(self) -> float:
        return max(self.fragments, key=lambda f: f.size).bottom

    @property
    def size(self) -> float:
        return max(f.size for f in self.fragments)


# --------------------------------------------------------------------------
# Characters
# --------------------------------------------------------------------------


def _page_chars(page) -> list[Char]:
    textpage = page.get_textpage()
    try:
        handle = ctypes.cast(textpage.raw, _VOID).value
        count = textpage.count_chars()
        rect = pdfium_c.FS_RECTF()
        rect_ptr = ctypes.addressof(rect)
        name = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        flags_ptr = ctypes.addressof(flags)
        style_of: dict[int | None, tuple[float, bool]] = {}
        previous_object, size, bold = -1, 0.0, False
        chars: list[Char] = []
        text = textpage.get_text_range()  # one call; per character only where it does not align
        aligned = len(text) == count
        for i in range(count):
            code = ord(text[i]) if aligned else _unicode(handle, i)
            if code in _LINE_END_HYPHENS:
                code = 0xAD  # pdfium's mark for a hyphen at a line's end
            elif code <= 32 or code in (0xA0, 0xFFFF):
                continue
            if not _char_box(handle, i, rect_ptr):
                continue
            obj = _text_object(handle, i)
            if obj != previous_object:  # pdfium's text objects have one font and size each
                previous_object = obj
                if obj not in style_of:
                    _font_info(handle, i, ctypes.addressof(name), 256, flags_ptr)
                    style_of[obj] = (
                        _font_size(handle, i),
                        _font_weight(handle, i) >= 600
                        or bool(flags.value & _FORCE_BOLD)
                        or bool(_BOLD_NAME_RE.search(name.value.decode("latin-1"))),
                    )
                size, bold = style_of[obj]
            chars.append(Char(chr(code), rect.left, rect.right, rect.bottom, size, bold))
        return chars
    finally:
        textpage.close()


def _fragments(chars: list[Char]) -> list[Fragment]:
    """Runs of characters in the content's order, broken where the pen jumps."""
    out: list[Fragment] = []
    current: Fragment | None = None
    for c in chars:
        if current is not None:
            size = max(current.size, c.size)
            last = current.chars[-1]
            dy = c.bottom - current.bottom
            # a raised marker before a word ("^{1} Narxoz"): the word sits lower
            below = 0.75 * size if c.size > 1.15 * current.size else 0.3 * size
            gap = c.x0 - current.x1
            ligature = abs(c.x0 - last.x0) < 0.01 and abs(c.x1 - last.x1) < 0.01
            if -below < dy < 0.75 * size and (-0.3 * size < gap < 1.2 * size or ligature):
                current.add(c)
                continue
        current = Fragment([c], c.x0, c.x1, c.bottom, c.size)
        out.append(current)
    return out


# --------------------------------------------------------------------------
# Rows, page furniture and printed page numbers
# --------------------------------------------------------------------------


def _rows(fragments: list[Fragment]) -> list[list[Fragment]]:
    """Fragments on one baseline across the whole page, top to bottom, each left to right."""
    rows: list[list[Fragment]] = []
    for f in sorted(fragments, key=lambda f: -f.bottom):
        if rows and _same_row(rows[-1][0], f):
            rows[-1].append(f)
        else:
            rows.append([f])
    for row in rows:
        row.sort(key=lambda f: f.x0)
    return rows


def _same_row(a: Fragment, b: Fragment) -> bool:
    small, large = sorted((a.size, b.size))
    if small < 0.85 * large:  # a raised marker beside its line
        return -0.2 * large < (b.bottom - a.bottom) * (1 if b.size < a.size else -1) < 0.6 * large
    return abs(a.bottom - b.bottom) < 0.3 * small


def _row_text(row: list[Fragment]) -> str:
    """A row's text with a space at every gap between words (for comparing rows)."""
    out = []
    last = None
    for f in row:
        for c in f.chars:
            if last is not None and c.x0 - last.x1 > 0.15 * min(c.size, last.size):
                out.append(" ")
            out.append(c.ch)
            last = c
    return "".join(out)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _edge_rows(rows: list[list[Fragment]], height: float) -> list[int]:
    """Indexes of the rows at the top and foot of a page where furniture is printed."""
    if not rows:
        return []
    picked = []
    for k in (0, 1):
        if k < len(rows) and rows[k][0].bottom > height * 0.88:
            picked.append(k)
    for k in (len(rows) - 1, len(rows) - 2):
        if k >= 0 and k not in picked and rows[k][0].bottom < height * 0.12:
            picked.append(k)
    return picked


def _furniture(pages: list[list[list[Fragment]]], heights: list[float]) -> list[int | None]:
    """Remove running heads, footers and page numbers; return the printed page numbers.

    Furniture is a row at the top or foot of a page whose text, digits aside,
    recurs on several pages at one height that the pages' own text does not use
    (a heading such as "UDC 327" recurs too, but at the height of body lines).
    """
    edge: list[dict[int, tuple[str, str, float]]] = []
    keys_on: Counter[str] = Counter()
    for rows, height in zip(pages, heights, strict=True):
        picked = {}
        for k in _edge_rows(rows, height):
            text = _row_text(rows[k])
            picked[k] = (text, _furniture_key(text), rows[k][0].bottom)
        edge.append(picked)
        keys_on.update({key for _, key, _ in picked.values()})
    many = max(2, min(3, len(pages) // 2))
    heights_of: dict[str, list[float]] = {}
    for picked in edge:
        for text, key, y in picked.values():
            if keys_on[key] >= many and not _NUMBER_ONLY_RE.match(text):
                heights_of.setdefault(key, []).append(y)
    furniture = set()
    for key, ys in heights_of.items():
        y = sorted(ys)[len(ys) // 2]
        others = sum(
            1
            for picked in edge
            for text, other, other_y in picked.values()
            if abs(other_y - y) < 1.5 and keys_on[other] < many and not _NUMBER_ONLY_RE.match(text)
        )
        if others <= 0.25 * len(ys):
            furniture.add(key)
    furniture.update(_set_apart(pages, edge))
    candidates: list[int | None] = [None] * len(pages)
    number_rows: list[dict[int, int]] = []  # page -> {row index: the number alone on it}
    slots: dict[str, list[tuple[int, list[int]]]] = {}
    drops: list[set[int]] = []
    for p, picked in enumerate(edge):
        drop: set[int] = set()
        drops.append(drop)
        number_rows.append({})
        for k, (text, key, _) in picked.items():
            number = _NUMBER_ONLY_RE.match(text)
            if number:
                number_rows[p][k] = int(number.group(1))
                if candidates[p] is None:  # the row nearest the page's edge comes first
                    candidates[p] = int(number.group(1))
            elif key in furniture:
                drop.add(k)
                slots.setdefault(key, []).append((p, [int(d) for d in re.findall(r"\d+", text)]))
    for seen in slots.values():
        for slot in range(min(len(numbers) for _, numbers in seen)):
            offsets = Counter(numbers[slot] - p for p, numbers in seen)
            offset, hits = offsets.most_common(1)[0]
            if len(seen) >= 2 and hits >= 0.6 * len(seen) and len(offsets) < len(seen):
                for p, numbers in seen:
                    if candidates[p] is None and numbers[slot] - p == offset:
                        candidates[p] = numbers[slot]
    printed = _consistent(candidates)
    for p, rows in enumerate(number_rows):
        # a number alone is the page's number where it follows on; else it is text ("2025")
        drops[p].update(k for k, n in rows.items() if n == printed[p])
        pages[p] = [row for k, row in enumerate(pages[p]) if k not in drops[p]]
    return printed


def _set_apart(pages: list[list[list[Fragment]]], edge) -> set[str]:
    """Keys of edge rows that look like furniture on their own, for documents too short to
    show repetition: a running head the text layer knows, or a row smaller than the body
    text and set apart from it."""
    sizes = Counter(round(f.size, 1) for rows in pages for row in rows for f in row)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    found = set()
    for rows, picked in zip(pages, edge, strict=True):
        for k, (text, key, y) in picked.items():
            if is_running_head(text):
                found.add(key)
                continue
            neighbour = rows[1] if k == 0 else rows[k - 1] if k == len(rows) - 1 else None
            if neighbour is None or max(f.size for f in rows[k]) >= 0.95 * body:
                continue
            if abs(neighbour[0].bottom - y) > 2.2 * body:
                found.add(key)
    return found


def _consistent(candidates: list[int | None]) -> list[int | None]:
    """Keep the page numbers that follow on from their neighbours or the usual offset."""
    offsets = Counter(n - p for p, n in enumerate(candidates) if n is not None)
    if not offsets:
        return candidates
    usual = offsets.most_common(1)[0][0]
    out: list[int | None] = []
    for p, n in enumerate(candidates):
        before = candidates[p - 1] if p else None
        after = candidates[p + 1] if p + 1 < len(candidates) else None
        follows = (before is not None and n == before + 1) or (after is not None and n == after - 1)
        out.append(n if n is not None and (n - p == usual or follows) else None)
    return out


# --------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------


@dataclass
class Columns:
    frames: list[tuple[float, float]]  # (left, right) of each column
    area: tuple[float, float]  # the text area across the page

    def gutters(self) -> list[tuple[float, float]]:
        return [(self.frames[k][1], self.frames[k + 1][0]) for k in range(len(self.frames) - 1)]


def _clusters(values: list[float], tolerance: float = 1.5) -> list[tuple[float, int]]:
    """(position, count) of groups of nearly equal values, largest first."""
    counts = Counter(round(v) for v in values)
    out = []
    used: set[int] = set()
    for value, _ in counts.most_common():
        if value in used:
            continue
        members = [v for v in counts if abs(v - value) <= tolerance and v not in used]
        used.update(members)
        out.append((value, sum(counts[v] for v in members)))
    return out


def _columns(fragments: list[Fragment]) -> Columns:
    """The columns of pages of one size, from where their lines start and end."""
    if not fragments:
        return Columns([(0.0, 0.0)], (0.0, 0.0))
    lines = [f for f in fragments if len(f.chars) > 3]
    starts = _clusters([f.x0 for f in lines])
    ends = _clusters([f.x1 for f in lines])
    least = max(5, 0.04 * len(lines))
    strong_starts = sorted(x for x, n in starts if n >= least)
    strong_ends = sorted(x for x, n in ends if n >= least)
    left = strong_starts[0] if strong_starts else min(f.x0 for f in lines)
    right = strong_ends[-1] if strong_ends else max(f.x1 for f in lines)
    area = (left, right)
    width = right - left
    lefts = [left]
    for x in strong_starts[1:]:
        if x - lefts[-1] >= 0.25 * width and x <= left + 0.75 * width:
            lefts.append(x)
    frames: list[tuple[float, float]] = []
    for k, column_left in enumerate(lefts):
        if k + 1 == len(lefts):
            frames.append((column_left, right))
            break
        following = lefts[k + 1]
        inside = [f.x1 for f in lines if abs(f.x0 - column_left) < 2 and f.x1 < following - 3]
        starting = [f for f in lines if abs(f.x0 - column_left) < 2]
        if len(inside) < least or len(inside) < 0.5 * len(starting):
            return Columns([area], area)
        column_right = max(x for x, n in _clusters(inside) if n >= 0.2 * len(inside))
        frames.append((column_left, column_right))
    return Columns(frames, area)


def _crosses(row: list[Fragment], columns: Columns) -> bool:
    return any(
        f.x0 < gutter_right - 1 and f.x1 > gutter_left + 1
        for f in row
        for gutter_left, gutter_right in columns.gutters()
    )


def _column_of(fragment: Fragment, columns: Columns) -> int:
    for k in range(len(columns.frames) - 1, -1, -1):
        if fragment.x0 >= columns.frames[k][0] - 2:
            return k
    return 0


def _reading_order(rows: list[list[Fragment]], columns: Columns, page: int) -> list[Line]:
    """Rows across the page as they come; between them, each column top to bottom."""
    out: list[Line] = []
    area_left, area_right = columns.area
    buffers: list[list[Fragment]] = [[] for _ in columns.frames]

    def flush() -> None:
        filled = [k for k, b in enumerate(buffers) if b]
        real = len(filled) > 1 and all(
            sum(1 for f in buffers[k] if f.x1 >= columns.frames[k][1] - 2) >= 2 for k in filled[:-1]
        )
        if len(filled) == 1 or real:
            for k in filled:
                left, right = columns.frames[k]
                for row in _rows(buffers[k]):
                    out.append(Line(row, left, right, k, page))
        elif filled:
            for row in _rows([f for b in buffers for f in b]):
                out.append(Line(row, area_left, area_right, -1, page))
        for b in buffers:
            b.clear()

    for row in rows:
        if len(columns.frames) > 1 and not _crosses(row, columns):
            for f in row:
                buffers[_column_of(f, columns)].append(f)
            continue
        flush()
        out.append(Line(row, area_left, area_right, -1, page))
    flush()
    return out


# --------------------------------------------------------------------------
# Lines to text
# --------------------------------------------------------------------------


def _line_text(line: Line, use_bold: bool) -> str:
    """A line's words, with ^{..} for raised small characters and ** around bold runs."""
    size = line.size
    body = Counter(
        round(c.bottom, 1) for f in line.fragments for c in f.chars if c.size >= 0.9 * size
    )
    base = body.most_common(1)[0][0] if body else line.bottom
    pieces: list[str] = []
    bold_open = sup_open = False
    last_x1: float | None = None
    gaps = sorted(b.x0 - a.x1 for a, b in zip(line.fragments, line.fragments[1:], strict=False))
    tab = max(2.5 * size, 2.5 * gaps[len(gaps) // 2]) if gaps else 0.0
    for n, fragment in enumerate(line.fragments):
        for k, c in enumerate(fragment.chars):
            sup = c.size < 0.85 * size and c.bottom > base + 0.12 * size
            space = ""
            if last_x1 is not None:
                gap = c.x0 - last_x1
                if n and not k and gap > tab:
                    space = "\t"
                elif gap > 0.15 * (size if sup else c.size) or (n and not k and gap > -0.01):
                    space = " "
            bold = use_bold and c.bold
            if sup_open and (not sup or space):
                pieces.append("}")
                sup_open = False
            if bold_open and not bold:
                pieces.append("**")
                bold_open = False
            pieces.append(space)
            if bold and not bold_open:
                pieces.append("**")
                bold_open = True
            if sup and not sup_open:
                pieces.append("^{")
                sup_open = True
            pieces.append(c.ch)
            last_x1 = c.x1
    if sup_open:
        pieces.append("}")
    if bold_open:
        pieces.append("**")
    text = "".join(pieces).translate(LIGATURES)
    return re.sub(r"\u00ad(?=.)", "", text)


def _leading(lines: list[Line]) -> float:
    """The usual distance between baselines, as a multiple of the size."""
    ratios = []
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.1:
            ratio = (a.bottom - b.bottom) / a.size
            if 0.8 < ratio < 2.5:
                ratios.append(round(ratio, 2))
    return Counter(ratios).most_common(1)[0][0] if ratios else 1.2


def _break(a: Line, b: Line, leading: float) -> str:
    """What comes between two lines read one after the other: "", "\\n" or "\\n\\n"."""
    size = a.size
    full = a.x1 >= a.right - max(1.5, 0.15 * size)
    offset = b.x0 - b.left
    indented = 0.4 * b.size < offset < 5 * b.size and (b.x1 >= b.right - 1.5 or not full)
    if abs(a.size - b.size) > 0.1 * size:
        return "\n\n"
    if a.page != b.page or a.column != b.column:
        return "" if full and not indented else "\n\n"
    distance = a.bottom - b.bottom
    if distance > leading * size * 1.3 or distance < 0:
        return "\n\n"
    if indented and not (0.4 * a.size < a.x0 - a.left < 5 * a.size and not full):
        return "\n\n"
    if "\t" in a.text or "\t" in b.text:
        return "\n"
    if not full:
        nearly = a.x1 >= a.right - 1.2 * size
        go_on = b.text[:1].islower() or b.text[:1].isdigit() and not _LIST_START_RE.match(b.text)
        return "" if nearly and go_on else "\n"
    if _LIST_START_RE.match(b.text) and a.text.rstrip().endswith((".", ";")):
        return "\n"
    return ""


def _compose(lines: list[Line], use_bold: bool, page_count: int) -> tuple[str, list[int]]:
    for line in lines:
        line.text = _line_text(line, use_bold)
    leading = _leading(lines)
    out: list[str] = []
    page_starts = [0] * page_count
    seen_pages: set[int] = set()
    current: list[str] = []
    length = 0

    def finish(sep: str) -> None:
        nonlocal length
        if current:
            joined = join_lines(current).replace("** **", " ")
            out.append(joined)
            out.append(sep)
            length += len(joined) + len(sep)
            current.clear()

    for k, line in enumerate(lines):
        if k:
            sep = _break(lines[k - 1], line, leading)
            if sep:
                finish(sep)
        if line.page not in seen_pages:
            seen_pages.add(line.page)
            page_starts[line.page] = length
        current.append(line.text)
    finish("\n")
    for p in range(1, page_count):
        if p not in seen_pages:
            page_starts[p] = page_starts[p - 1]
    return "".join(out), page_starts


# --------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------


def read_pdf(data: bytes, on_page: Callable[[int, int], None] | None = None) -> PdfText:
    """A PDF's text in reading order; PdfError (one line) when it has none or is damaged.
    `on_page(read, total)` hears of each page read, for a progress display."""
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        reason = str(error).splitlines()[0] if str(error) else "damaged"
        if "password" in reason.casefold():
            raise PdfError("PDF is protected by a password") from None
        raise PdfError(f"PDF cannot be read (damaged file: {reason})") from None
    try:
        page_rows: list[list[list[Fragment]]] = []
        sizes: list[tuple[int, int]] = []
        heights: list[float] = []
        total = len(document)
        for number, page in enumerate(document, 1):
            width, height = page.get_size()
            page_rows.append(_rows(_fragments(_page_chars(page))))
            sizes.append((round(width), round(height)))
            heights.append(height)
            page.close()
            if on_page:
                on_page(number, total)
    except pypdfium2.PdfiumError as error:
        raise PdfError(f"PDF cannot be read (damaged page: {error})") from None
    finally:
        document.close()
    if not any(page_rows):
        raise PdfError("PDF has no text layer (a scan): it needs OCR first")
    printed = _furniture(page_rows, heights)
    columns_of = {
        size: _columns(
            [f for p, rows in enumerate(page_rows) if sizes[p] == size for r in rows for f in r]
        )
        for size in set(sizes)
    }
    lines: list[Line] = []
    for p, rows in enumerate(page_rows):
        lines.extend(_reading_order(rows, columns_of[sizes[p]], p))
    chars = [c for rows in page_rows for r in rows for f in r for c in f.chars]
    bold = sum(c.bold for c in chars)
    use_bold = 0 < bold < 0.5 * len(chars)
    text, page_starts = _compose(lines, use_bold, len(page_rows))
    return PdfText(text, printed, page_starts)
